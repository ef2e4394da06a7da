"""Reading inputs and writing outputs safely, shared by all commands.

* Outputs are written to a temporary file beside the target and renamed over
  it: a crash midway leaves the previous file whole. A symlink is written
  through (its target is replaced, not the link); a special file (a terminal,
  a pipe, ``/dev/null``) is written into, never replaced; ``-`` is stdout.
* Inputs must be regular files (or ``-``, stdin) of bounded size.
* Any OSError (a full disk, a read-only folder) becomes a one-line OutputError.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import GraphError, InputError, OutputError

BUILT_GRAPH = "kg.ttl"  # the graph file of a folder that kg build wrote
DEFAULT_GRAPH = Path("outputs") / BUILT_GRAPH
STDIO = "-"  # as a path: stdout for outputs, stdin for inputs
MAX_INPUT = 64 * 1024 * 1024  # bytes of a query, gold, rule or lexicon file


def cache_root() -> Path:
    """Where kg keeps its caches: $KG_CACHE_DIR, else $XDG_CACHE_HOME/kg or ~/.cache/kg."""
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kg")
    return Path(base)


def is_stdio(path) -> bool:
    return path is not None and str(path) == STDIO


def is_stream(path) -> bool:
    """``-``, or a path to a device, pipe or socket (/dev/stdout ...): not a file."""
    if is_stdio(path):
        return True
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _reason(e: OSError) -> str:
    return e.strerror or str(e) or type(e).__name__


# ------------------------------------------------------------------- inputs
def read_input(path: str | Path, what: str = "file", limit: int = MAX_INPUT) -> bytes:
    """The bytes of a regular file (or of stdin for ``-``) of at most ``limit`` bytes;
    an InputError naming ``what`` and the path otherwise (a folder, a device, a FIFO,
    a file too large, a missing or unreadable file)."""
    if is_stdio(path):
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"{what} on stdin is too large (limit {limit} bytes)")
        return data
    path = Path(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{what} {path} is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{what} {path} is not a regular file")
        if st.st_size > limit:
            raise InputError(f"{what} {path} is too large ({st.st_size} bytes; limit {limit})")
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{what} not found: {path}") from None
    except OSError as e:
        raise InputError(f"cannot read {what} {path}: {_reason(e)}") from None
    if len(data) > limit:  # it grew while we read it
        raise InputError(f"{what} {path} is too large (limit {limit} bytes)")
    return data


def read_text_input(path: str | Path, what: str = "file", limit: int = MAX_INPUT) -> str:
    """``read_input`` decoded as UTF-8 (a byte-order mark is dropped)."""
    data = read_input(path, what, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{what} {path} is not UTF-8 (bad byte at {e.start})") from None


def check_regular_file(path: Path, what: str, error=GraphError) -> None:
    """Raise ``error`` unless ``path`` is an existing regular file."""
    try:
        st = os.stat(path)
    except OSError:
        raise error(f"{what} not found: {path} (run `kg build` first?)") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{what} {path} is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise error(f"{what} {path} is not a regular file")


def graph_input(path: str | Path, folders: tuple = ()) -> Path:
    """What ``--graph PATH`` reads: a file as it is; a folder that kg build wrote (it
    holds kg.ttl) as its kg.ttl. ``folders``: (what, test) of the folders a command
    reads as folders (an Oxigraph store, shards), which come first. Any other folder is
    a GraphError that says what the command takes."""
    path = Path(path)
    if not path.is_dir():
        return path
    for _, test in folders:
        if test(path):
            return path
    if (path / BUILT_GRAPH).is_file():
        return path / BUILT_GRAPH
    takes = ["a graph file", "a folder that `kg build` wrote"] + [what for what, _ in folders]
    raise GraphError(f"{path} is a folder with no {BUILT_GRAPH} in it: give "
                     f"{', '.join(takes[:-1])} or {takes[-1]}")


# ------------------------------------------------------------------ outputs
@contextmanager
def _stdout(mode: str):
    out = sys.stdout.buffer if "b" in mode else sys.stdout
    try:
        yield out
        out.flush()
    except BrokenPipeError:
        raise OutputError("cannot write to stdout: the reader closed the pipe") from None
    except OSError as e:
        raise OutputError(f"cannot write to stdout: {_reason(e)}") from e


@contextmanager
def _into_special(path: Path, real: Path, mode: str, kwargs: dict):
    """Write straight into a device, pipe or socket: never replace it."""
    try:
        with open(real, mode, **kwargs) as f:
            yield f
    except OSError as e:
        raise OutputError(f"cannot write {path}: {_reason(e)}") from e


@contextmanager
def atomic_open(path: str | Path, mode: str = "w"):
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    A crash or kill midway leaves the previous file whole; any OSError (a full
    disk ...) removes the temporary file and becomes an OutputError. ``-`` is
    stdout; a symlink is written through; a special file is written into.
    """
    kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    if is_stdio(path):
        with _stdout(mode) as f:
            yield f
        return
    path = Path(path)
    if str(path) in ("", "."):
        raise OutputError("no output file given (an empty path)")
    try:
        st = os.stat(path)  # through symlinks
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {path}: it is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _into_special(path, path, mode, kwargs) as f:
            yield f
        return
    real = Path(os.path.realpath(path))  # a symlink is written through: its target replaced
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise OutputError(f"cannot write to {path.parent}: {_reason(e)}") from e
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o644)
        os.replace(tmp, real)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise OutputError(f"cannot write {path}: {_reason(e)}") from e
        raise


def atomic_write(path: str | Path, data: str | bytes) -> None:
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def seal(header: bytes, payload: bytes) -> bytes:
    """A cache file: ``header`` (one line), the SHA-256 of ``payload``, ``payload``."""
    import hashlib

    return header + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unseal(data: bytes, header: bytes) -> bytes:
    """The payload of a ``seal``ed file; ValueError if its header or checksum is wrong."""
    import hashlib

    if not data.startswith(header):
        raise ValueError("not a kg cache file of this kind and version")
    digest, _, payload = data[len(header):].partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        raise ValueError("checksum mismatch")
    return payload


def load_graph(path: str | Path = DEFAULT_GRAPH, fmt: str | None = None):
    """Parse an RDF file into an rdflib Graph. A dataset (TriG, N-Quads, JSON-LD: what
    ``kg export --format trig`` writes) is read as the union of its graphs, as ``kg
    query`` reads it. A file it cannot parse is a one-line GraphError naming the file,
    the line and column and why (``parse_error``); rdflib logs nothing."""
    import rdflib

    path = graph_input(path)
    check_regular_file(path, "graph file")
    fmt = fmt or graph_format(path)
    g = rdflib.Graph()
    try:
        with quiet_rdflib():
            if fmt in DATASET_FORMATS:
                dataset = rdflib.Dataset()
                dataset.parse(path, format=fmt)
                g += ((s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None)))
            else:
                g.parse(path, format=fmt)
    except Exception as e:  # parser errors come in many classes
        raise parse_error(path, fmt, e) from e
    return g


@contextmanager
def quiet_rdflib():
    """rdflib's log (its "does not look like a valid URI" warnings) silenced: they are
    not the user's business, and a real problem is an error of its own."""
    import logging

    log = logging.getLogger("rdflib")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


# The graph files kg reads, by suffix: rdflib's format name (a file without a suffix is
# Turtle); those that may hold named graphs are read as the union of their graphs.
GRAPH_SUFFIXES = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".nq": "nquads",
                  ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
                  ".owl": "xml", ".xml": "xml", ".n3": "n3"}
DATASET_FORMATS = frozenset({"trig", "nquads", "json-ld"})


def graph_format(path: str | Path) -> str:
    """rdflib's name of the format of the graph file ``path``, by its suffix; a GraphError
    for a file of another kind (graph.html, g.graphml), never a guess."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return "turtle"
    if suffix not in GRAPH_SUFFIXES:
        raise GraphError(f"{path} is not a graph file kg reads: give Turtle (.ttl), N-Triples "
                         "(.nt), N-Quads (.nq), TriG (.trig), JSON-LD (.jsonld), RDF/XML (.rdf, "
                         ".owl, .xml) or N3 (.n3)")
    return GRAPH_SUFFIXES[suffix]


# rdflib's format names -> (pyoxigraph's RdfFormat, the name a user knows)
RDF_FORMATS = {"turtle": ("TURTLE", "Turtle"), "ttl": ("TURTLE", "Turtle"),
               "nt": ("N_TRIPLES", "N-Triples"), "nt11": ("N_TRIPLES", "N-Triples"),
               "ntriples": ("N_TRIPLES", "N-Triples"), "n3": ("N3", "N3"),
               "xml": ("RDF_XML", "RDF/XML"), "json-ld": ("JSON_LD", "JSON-LD"),
               "trig": ("TRIG", "TriG"), "nquads": ("N_QUADS", "N-Quads")}
_MAX_REASON = 160  # characters of a parser's reason kept in a message


def parse_error(path: Path, fmt: str, e: BaseException) -> GraphError:
    """One line for a graph file that ``fmt``'s parser refused: the file, the line and
    column, and why ("cannot parse x.ttl as Turtle: line 336, column 1: k is not a valid
    subject or graph name"). rdflib's messages are of many kinds (an IndexError, a
    repr of bytes), so the place and reason are those of Oxigraph's parser, run over
    the file again; rdflib's own message is the fallback."""
    ox_format, name = RDF_FORMATS.get(fmt, (None, fmt))
    where = xml_error(path) if ox_format == "RDF_XML" else None
    if ox_format is not None and where is None:
        try:
            import pyoxigraph as ox

            for _ in ox.parse(path=str(path), format=getattr(ox.RdfFormat, ox_format),
                              base_iri=Path(path).resolve().as_uri()):
                pass
        except SyntaxError as found:
            where = syntax_error_text(found, path)
        except (OSError, ValueError):
            pass
    if where is None:
        where = _rdflib_reason(e)
    return cannot_parse(path, name, where)


def cannot_parse(path, format_name: str, reason: str) -> GraphError:
    """The one wording of a graph file a parser refused, for every command."""
    return GraphError(f"cannot parse {path} as {format_name}: {reason}")


def syntax_error_text(e: SyntaxError, path: str | Path | None = None) -> str:
    """Oxigraph's SyntaxError as "line 4, columns 1-15: reason" (its message starts
    "Parser error at line 4 between columns 1 and 16: " and may end "(file, line 4)").
    Its RDF/XML errors have no place: that of the first XML error in ``path``, if any."""
    import re

    reason = re.sub(r"^Parser error (?:at|between) [^:]*: ", "", " ".join(str(e.msg or "").split()))
    reason = re.sub(r" \([^()]*, line \d+\)$", "", reason) or "not valid"
    if reason.startswith("Invalid UTF-8"):  # its details count bytes from an inner buffer
        reason = "a byte that is not UTF-8 (graph files are UTF-8 text)"
    if len(reason) > _MAX_REASON:
        reason = reason[:_MAX_REASON - 1] + "…"
    if not e.lineno:
        return (xml_error(path) if path is not None else None) or reason
    place = f"line {e.lineno}"
    end = getattr(e, "end_offset", None)
    if e.offset and end and getattr(e, "end_lineno", None) == e.lineno and end > e.offset + 1:
        place += f", columns {e.offset}-{end - 1}"
    elif e.offset:
        place += f", column {e.offset}"
    return f"{place}: {reason}"


def xml_error(path: str | Path) -> str | None:
    """Where and why ``path`` is not well-formed XML ("line 5, column 3: unclosed
    token"); None if it is, or cannot be read. (Oxigraph takes an RDF/XML file cut
    short for a whole one.)"""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except expat.ExpatError as e:
        return f"line {e.lineno}, column {e.offset + 1}: {expat.ErrorString(e.code)}"
    except OSError:
        return None
    return None


def _rdflib_reason(e: BaseException) -> str:
    """rdflib's reason, readable: its line and why for a syntax error (never the repr
    of the bytes around it), the offset of a byte that is not UTF-8."""
    why, line = getattr(e, "_why", None), getattr(e, "lines", None)
    if isinstance(why, str) and isinstance(line, int):
        return f"line {line + 1}: {' '.join(why.split())}"
    if isinstance(e, UnicodeDecodeError):
        return f"a byte that is not UTF-8 (graph files are UTF-8 text; byte {e.start})"
    if callable(getattr(e, "getLineNumber", None)):  # the XML parser's SAXParseException
        return f"line {e.getLineNumber()}, column {e.getColumnNumber() + 1}: {e.getMessage()}"
    text = one_line(e)
    if "\\x" in text or len(text) > _MAX_REASON:
        return f"not valid ({type(e).__name__})"
    return text


def one_line(e: BaseException) -> str:
    """The whole message of an exception on one line (parsers put the reason on the
    second line: "at line 200 of <>:" then what is wrong)."""
    return " ".join(str(e).split()) or type(e).__name__


# ------------------------------------------------------------ TOML, parsed once
TOML_CACHE_VERSION = "1"
_TOML_HEADER = f"kg-toml {TOML_CACHE_VERSION}\n".encode()


def toml_loads(text: str) -> dict:
    """``tomllib.loads(text)``, read from a JSON copy in the cache folder once one was
    made: the curated files' TOML took several times longer to parse than its JSON (a
    tenth of a build's start-up). The copy is keyed by the SHA-256 of the text and
    Python's version (the parser's); a document JSON cannot hold exactly (dates,
    non-finite floats) is not copied; a damaged copy is ignored and made again. Errors
    are tomllib's, from parsing the text."""
    import hashlib
    import json
    import tomllib

    key = hashlib.sha256(f"{TOML_CACHE_VERSION}\0{sys.version}\0".encode()
                         + text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    path = cache_root() / "toml" / f"{key}.json"
    try:
        doc = json.loads(unseal(path.read_bytes(), _TOML_HEADER))
        if type(doc) is dict:
            return doc
    except (OSError, ValueError, RecursionError):
        pass  # missing or damaged: parse the text
    doc = tomllib.loads(text)
    if _json_exact(doc):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, seal(_TOML_HEADER, json.dumps(
                doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")))
        except (OSError, OutputError, ValueError):
            pass  # a cache is an optimisation: never fail over it
    return doc


def _json_exact(value) -> bool:
    """Whether JSON gives ``value`` back as it is (tables, arrays, strings, integers,
    booleans and finite floats only)."""
    import math

    t = type(value)
    if t is dict:
        return all(type(k) is str and _json_exact(v) for k, v in value.items())
    if t is list:
        return all(_json_exact(v) for v in value)
    if t is float:
        return math.isfinite(value)
    return t in (str, int, bool)
