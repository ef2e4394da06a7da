"""``kg query``: read-only SPARQL over a graph file, executed by Oxigraph.

Oxigraph parses and queries ~10x faster than rdflib: it runs the query. rdflib's
SPARQL parser only checks it (below); jieba is never imported
(bench/query_startup.py measures a cold ``kg query``).

* The query is a SPARQL string, a ``.rq`` file, or the NAME of a canned query
  in ``ontology/queries/NAME.rq`` (its first comment line describes it).
* The graph (a file, or the folder of the Oxigraph store ``kg build --store``
  wrote) and the ontology (``ontology/kg.ttl``) are loaded together
  into the default graph, so ``?x a/rdfs:subClassOf* kg:Institution`` works.
  The prefixes of ``kg.triples.PREFIXES`` (kg, kgd, rdf, rdfs, owl, xsd, skos,
  prov, dcterms, schema, foaf, sh) are predeclared.
* Updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD) and
  SERVICE are refused before anything runs, decided on the parsed query (the
  algebra of rdflib's SPARQL parser), never on patterns over its text.
* The query runs in a child process, killed after ``timeout`` seconds or on
  Ctrl-C; its rows are printed as they come.
* Output: ``table`` (aligned for Chinese wide characters; at most ``limit``
  rows, long cells cut; no more rows are read), ``csv`` and ``json`` (the
  SPARQL 1.1 results formats, streamed, never truncated). CONSTRUCT and
  DESCRIBE print Turtle.

Oxigraph lowercases language tags: write ``"杭州"@zh``, compare ``lang()``
with lowercase tags.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Callable, Iterator

from .errors import GraphError, InputError, KgError, QueryError, counted
from .fileio import (DEFAULT_GRAPH, RDF_FORMATS, cannot_parse, check_regular_file, graph_format, graph_input,
                     is_stdio, one_line, quiet_rdflib, read_text_input, syntax_error_text,
                     xml_error)
from .ontology import ONTOLOGY_DIR, ONTOLOGY_FILE
from .process import ChildFailed, Timeout, run_in_child
from .triples import PREFIXES, PREFIXES_BY_LENGTH, XSD_STRING

QUERIES_DIR = ONTOLOGY_DIR / "queries"
DEFAULT_LIMIT = 100  # rows shown by the table format; 0 shows all
MAX_CELL = 60  # display columns of a table cell before it is cut with "…"
FORMATS = ("table", "csv", "json")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
DEFAULT_TIMEOUT = 60.0  # seconds a query may run (loading the graph included)
MAX_QUERY_BYTES = 1024 * 1024


# ------------------------------------------------------------ canned queries
def canned_queries() -> dict[str, tuple[Path, str]]:
    """{name: (path, one-line description)} of ontology/queries/*.rq. Hidden files (an
    editor's lock or backup, ``.#x.rq``) and folders are passed over; a file that cannot
    be read is listed, described by why."""
    found = {}
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        if path.name.startswith(".") or path.is_dir():
            continue
        try:
            description = _description(_read_canned(path))
        except QueryError as e:
            description = f"(cannot be read: {e})"
        found[path.stem] = (path, description)
    return found


def _description(text: str) -> str:
    """The first comment line of a query."""
    for line in text.splitlines():
        if line.strip().startswith("#"):
            return line.strip().lstrip("#").strip()
    return ""


def _read_canned(path: Path) -> str:
    try:
        return read_text_input(path, "canned query", MAX_QUERY_BYTES)
    except InputError as e:
        raise QueryError(str(e)) from None


def list_queries() -> str:
    queries = canned_queries()
    if not queries:
        return f"No canned queries in {QUERIES_DIR}"
    width = max(len(name) for name in queries)
    lines = [f"{name.ljust(width)}  {desc}" for name, (_, desc) in queries.items()]
    return "\n".join(lines + ["", "Run one with: kg query NAME [--format table|csv|json]"])


def resolve(query: str | None, query_file: str | Path | None) -> tuple[str, Path | None]:
    """The SPARQL text of a string, a file or a canned query name (only that file is
    read), and the file it came from (None for a string or stdin)."""
    if query_file is not None:
        if query:
            raise QueryError("give either a query or --file, not both")
        try:
            text = read_text_input(query_file, "query file", MAX_QUERY_BYTES)
        except InputError as e:
            raise QueryError(str(e)) from None
        return text, None if is_stdio(query_file) else Path(query_file)
    if not query or not query.strip():
        raise QueryError("give a SPARQL query, --file FILE.rq or a canned query name "
                         "(see `kg query --list`)")
    if _NAME.match(query.strip()):
        name = query.strip()
        path = QUERIES_DIR / f"{name}.rq"
        if not (path.exists() or path.is_symlink()):
            raise QueryError(f"unknown canned query {name!r} (see `kg query --list`)")
        return _read_canned(path), path
    return query, None


# ------------------------------------------------------------ read-only check
# What kg query refuses, by the names of rdflib's parse and algebra nodes.
_UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT", "DeleteData": "DELETE",
    "DeleteWhere": "DELETE", "Modify": "DELETE/INSERT",
}


def _nodes(value):
    """Every parse or algebra node (rdflib CompValue) reachable from ``value``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [value], set()
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if isinstance(v, CompValue):
            yield v
            stack.extend(v.values())
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set)):
            stack.extend(v)


def _syntax_error(e) -> QueryError:
    """A pyparsing error as "at line L, column C: unexpected X"."""
    rest = e.pstr[e.loc:].split()
    found = repr(rest[0][:30]) if rest else "end of query"
    hint = (" (a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK)"
            if e.loc == len(e.pstr) - len(e.pstr.lstrip()) else "")
    return QueryError(f"SPARQL syntax error at line {e.lineno}, column {e.col}: "
                      f"unexpected {found}{hint}")


def check_read_only(text: str) -> None:
    """Refuse updates and SERVICE, decided on a real parse of the query (rdflib's SPARQL
    parser and algebra), never on its text; a syntax error or an unknown prefix is a
    one-line QueryError."""
    with quiet_rdflib():
        _check(text)


def _check(text: str) -> None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import algebra, parser

    try:
        parsed = parser.parseQuery(text)
    except ParseException as e:
        try:
            update = parser.parseUpdate(text)
        except ParseException:
            raise _syntax_error(e) from None
        ops = [n.name for n in _nodes(update.get("request", [])) if n.name in _UPDATE_NAMES]
        word = _UPDATE_NAMES.get(ops[0], "an update") if ops else "an update"
        raise QueryError(f"{word} is refused: kg query is read-only (SPARQL updates are not run)") \
            from None
    except Exception as e:  # the parser's own failures (bad escapes ...)
        raise QueryError(f"SPARQL syntax error: {' '.join(str(e).split())}") from None
    try:
        tree = algebra.translateQuery(parsed, initNs=PREFIXES).algebra
    except Exception as e:  # rdflib raises a bare Exception for an unknown prefix
        msg = " ".join(str(e).split())
        m = re.match(r"Unknown namespace prefix : (\S*)", msg)
        if m:
            raise QueryError(f"unknown prefix {m.group(1)}: (declare it with PREFIX; predeclared: "
                             f"{', '.join(PREFIXES)})") from None
        raise QueryError(f"SPARQL error: {msg}") from None
    if any(n.name == "ServiceGraphPattern" for n in _nodes([tree, parsed])):
        raise QueryError("SERVICE is refused: kg query does not call other endpoints")


# ------------------------------------------------------------------- running
def load_store(graph_path: str | Path, with_ontology: bool = True):
    """An in-memory Oxigraph store with the graph (a file, or the folder of an Oxigraph
    store that ``kg build --store`` wrote) and the ontology."""
    import pyoxigraph as ox

    from .store import STORE_FOLDER

    store = ox.Store()
    path = graph_input(graph_path, (STORE_FOLDER,))
    if path.is_dir():
        _copy_store(store, path)
    else:
        check_regular_file(path, "graph file")
        fmt = getattr(ox.RdfFormat, RDF_FORMATS[graph_format(path)][0])
        _bulk_load(store, path, fmt)
    if with_ontology and ONTOLOGY_FILE.is_file():
        _bulk_load(store, ONTOLOGY_FILE, ox.RdfFormat.TURTLE)
    return store


def _bulk_load(store, path: Path, fmt) -> None:
    import pyoxigraph as ox

    if fmt == ox.RdfFormat.RDF_XML and (problem := xml_error(path)):
        raise cannot_parse(path, fmt.name, problem)
    try:
        with open(path, "rb") as f:
            bom = f.read(3) == b"\xef\xbb\xbf"
            if bom:  # Oxigraph refuses a byte-order mark; rdflib and editors accept it
                store.bulk_load(input=f, format=fmt)
        if not bom:
            store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as e:
        raise cannot_parse(path, fmt.name, syntax_error_text(e, path)) from e
    except (ValueError, OSError) as e:
        raise cannot_parse(path, fmt.name, one_line(e)) from e


def _copy_store(store, path: Path) -> None:
    import pyoxigraph as ox

    try:
        source = ox.Store.read_only(str(path))
        store.extend(source.quads_for_pattern(None, None, None, None))
    except OSError as e:
        raise GraphError(f"cannot read the Oxigraph store {path}: {one_line(e)}") from e


def execute(store, text: str, checked: bool = False):
    """Run a query (checked here unless ``checked``); SPARQL errors become one-line
    QueryErrors."""
    if not checked:
        check_read_only(text)
    try:
        return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {one_line(e)}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"query failed: {one_line(e)}") from None


def run(query: str | None = None, *, query_file: str | Path | None = None,
        graph_path: str | Path = DEFAULT_GRAPH, fmt: str = "table",
        limit: int = DEFAULT_LIMIT, timeout: float | None = DEFAULT_TIMEOUT,
        write: Callable[[str], None] | None = None) -> str:
    """``kg query``: the formatted result, passed to ``write`` piece by piece as it
    comes (and returned whole if ``write`` is None). The graph is loaded and the query
    run in a child process, killed after ``timeout`` seconds or on Ctrl-C."""

    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    text, source = resolve(query, query_file)
    try:
        check_read_only(text)  # refuse before loading anything
    except QueryError as e:
        if source is None:
            raise
        raise QueryError(f"{source}: {e}") from None
    parts: list[str] = []
    out = write or parts.append
    try:
        run_in_child(_run_child, (text, str(graph_path), fmt, limit),
                     lambda data: out(data.decode("utf-8")), timeout)
    except Timeout:
        raise QueryError(f"query stopped after {timeout:g} s (raise --timeout, or 0 for "
                         "no limit)") from None
    except ChildFailed as e:
        raise QueryError(f"the query process ended unexpectedly ({e})") from None
    except RuntimeError as e:
        raise QueryError(str(e)) from None
    return "".join(parts)


def _run_child(send, text: str, graph_path: str, fmt: str, limit: int) -> None:
    """In the child: load, run, and send the rendered result as it comes."""
    import time

    try:
        result = execute(load_store(graph_path), text, checked=True)
        pending, size, last = [], 0, time.monotonic()
        for piece in render_stream(result, fmt, limit):
            pending.append(piece)
            size += len(piece)
            if size > 65536 or time.monotonic() - last > 0.2:
                send(b"o", "".join(pending).encode("utf-8"))
                pending, size, last = [], 0, time.monotonic()
        if pending:
            send(b"o", "".join(pending).encode("utf-8"))
    except KgError:
        raise
    except (OSError, ValueError, RuntimeError, SyntaxError) as e:  # raised while iterating
        raise QueryError(f"query failed: {one_line(e)}") from None


# ----------------------------------------------------------------- rendering
def compact(iri: str) -> str:
    for prefix, ns in PREFIXES_BY_LENGTH:
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def cell(term) -> str:
    """Readable text of a term for the table."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def width(text: str) -> int:
    """Display columns: CJK and full-width characters take two."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())  # no line breaks inside a table cell
    if width(text) <= limit:
        return text
    out, w = [], 0
    for ch in text:
        cw = width(ch)
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def table(header: list[str], rows: list[list[str]], more: bool = False) -> str:
    """Aligned rows; ``more``: the query has rows beyond these (not read)."""
    rows = [[_fit(c, MAX_CELL) for c in row] for row in rows]
    sizes = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, s) for h, s in zip(header, sizes)).rstrip(),
             "  ".join("-" * s for s in sizes)]
    lines += ["  ".join(_pad(c, s) for c, s in zip(row, sizes)).rstrip() for row in rows]
    if more:
        lines.append(f"(first {counted(len(rows), 'row')} shown; --limit 0 shows all, "
                     f"--format csv or json never cut)")
    else:
        lines.append(f"({counted(len(rows), 'row')})")
    return "\n".join(lines) + "\n"


def render(result, fmt: str, limit: int = DEFAULT_LIMIT) -> str:
    return "".join(render_stream(result, fmt, limit))


def render_stream(result, fmt: str, limit: int = DEFAULT_LIMIT) -> Iterator[str]:
    """The formatted result in pieces, as the solutions come: csv and json rows one by
    one; the table once ``limit`` rows (and one more, to know there are more) are read."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            yield ("true" if bool(result) else "false") + "\n"
        else:
            yield result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode(
                "utf-8") + ("\n" if fmt == "json" else "")
        return
    if isinstance(result, ox.QueryTriples):
        triples = sorted(result, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        used = {p: ns for p, ns in PREFIXES.items()
                if any(ns in str(x) for t in triples for x in (t.subject, t.predicate, t.object))}
        yield ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used).decode("utf-8")
        return
    variables = [v.value for v in result.variables]
    if fmt == "csv":
        yield ",".join(_csv_field(v) for v in variables) + "\r\n"
        for solution in result:
            yield ",".join(_csv_field(_csv_value(solution[v])) for v in variables) + "\r\n"
        return
    if fmt == "json":
        yield '{"head":{"vars":' + _json(variables) + '},"results":{"bindings":['
        for n, solution in enumerate(result):
            binding = {v: _json_term(solution[v]) for v in variables if solution[v] is not None}
            yield ("," if n else "") + _json(binding)
        yield "]}}\n"
        return
    rows, more = [], False
    for solution in result:
        if limit and len(rows) == limit:
            more = True
            break
        rows.append([cell(solution[v]) for v in variables])
    yield table(variables, rows, more)


# The SPARQL 1.1 CSV and JSON results formats, written row by row (as Oxigraph's own
# serialiser writes them whole).
def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _csv_value(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _csv_field(text: str) -> str:
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}
