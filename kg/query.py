"""``kg query``: read-only SPARQL over a graph file, executed by Oxigraph.

pyoxigraph parses and queries ~10x faster than rdflib and imports faster, so
this module never imports rdflib (nor jieba): a cold ``kg query`` costs little
more than starting Python (bench/query_startup.py measures it).

* The query is a SPARQL string, a ``.rq`` file, or the NAME of a canned query
  in ``ontology/queries/NAME.rq`` (its first comment line describes it).
* The graph file and the ontology (``ontology/kg.ttl``) are loaded together
  into the default graph, so ``?x a/rdfs:subClassOf* kg:Institution`` works.
  The usual prefixes (kg, kgd, rdf, rdfs, owl, xsd, skos, prov, dcterms,
  schema, foaf) are predeclared.
* Updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD) and
  SERVICE are refused before anything runs.
* Output: ``table`` (aligned for Chinese wide characters; at most ``limit``
  rows, long cells cut), ``csv`` and ``json`` (the SPARQL 1.1 results
  formats, never truncated). CONSTRUCT and DESCRIBE print Turtle.

Oxigraph lowercases language tags: write ``"杭州"@zh``, compare ``lang()``
with lowercase tags.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import GraphError, QueryError
from .fileio import DEFAULT_GRAPH
from .ontology import DATA_NS, NS, ONTOLOGY_DIR, ONTOLOGY_FILE

QUERIES_DIR = ONTOLOGY_DIR / "queries"
DEFAULT_LIMIT = 100  # rows shown by the table format; 0 shows all
MAX_CELL = 60  # display columns of a table cell before it is cut with "…"
FORMATS = ("table", "csv", "json")

PREFIXES = {
    "kg": NS,
    "kgd": DATA_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_QUERY_WORDS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
# Strings, IRIs and comments are blanked before looking for keywords.
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*")
_KEYWORD = re.compile(r"(?<![\w?$:])([A-Za-z]+)(?![\w:])")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_RDF_FORMATS = {
    ".ttl": "TURTLE", ".turtle": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS",
    ".trig": "TRIG", ".rdf": "RDF_XML", ".owl": "RDF_XML", ".xml": "RDF_XML",
    ".jsonld": "JSON_LD", ".n3": "N3",
}


# ------------------------------------------------------------ canned queries
def canned_queries() -> dict[str, tuple[Path, str]]:
    """{name: (path, one-line description)} of ontology/queries/*.rq."""
    found = {}
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        description = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("#"):
                description = line.strip().lstrip("#").strip()
                break
        found[path.stem] = (path, description)
    return found


def list_queries() -> str:
    queries = canned_queries()
    if not queries:
        return f"No canned queries in {QUERIES_DIR}"
    width = max(len(name) for name in queries)
    lines = [f"{name.ljust(width)}  {desc}" for name, (_, desc) in queries.items()]
    return "\n".join(lines + ["", "Run one with: kg query NAME [--format table|csv|json]"])


def resolve(query: str | None, query_file: str | Path | None) -> str:
    """The SPARQL text of a string, a file or a canned query name."""
    if query_file is not None:
        if query:
            raise QueryError("give either a query or --file, not both")
        path = Path(query_file)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"query file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise QueryError(f"cannot read query file {path}: {e}") from e
    if not query or not query.strip():
        raise QueryError("give a SPARQL query, --file FILE.rq or a canned query name "
                         "(see `kg query --list`)")
    if _NAME.match(query.strip()):
        queries = canned_queries()
        name = query.strip()
        if name not in queries:
            raise QueryError(f"unknown canned query {name!r} (see `kg query --list`)")
        return queries[name][0].read_text(encoding="utf-8")
    return query


# ------------------------------------------------------------ read-only check
def check_read_only(text: str) -> None:
    """Refuse updates and SERVICE; raises QueryError naming the keyword."""
    code = _NOISE.sub(" ", text)
    words = [m.group(1).upper() for m in _KEYWORD.finditer(code)]
    if "SERVICE" in words:
        raise QueryError("SERVICE is refused: kg query does not call other endpoints")
    for word in words:
        if word in _QUERY_WORDS:
            return
        if word in _UPDATE_WORDS:
            raise QueryError(f"{word} is refused: kg query is read-only (SPARQL updates are not run)")


# ------------------------------------------------------------------- running
def load_store(graph_path: str | Path, with_ontology: bool = True):
    import pyoxigraph as ox

    store = ox.Store()
    path = Path(graph_path)
    if not path.is_file():
        raise GraphError(f"graph file not found: {path} (run `kg build` first?)")
    fmt = getattr(ox.RdfFormat, _RDF_FORMATS.get(path.suffix.lower(), "TURTLE"))
    sources = [path] + ([ONTOLOGY_FILE] if with_ontology and ONTOLOGY_FILE.is_file() else [])
    for src in sources:
        src_fmt = fmt if src == path else ox.RdfFormat.TURTLE
        try:
            store.bulk_load(path=str(src), format=src_fmt)
        except (SyntaxError, ValueError, OSError) as e:
            msg = " ".join(str(e).split()) or type(e).__name__
            raise GraphError(f"cannot parse {src}: {msg}") from e
    return store


def execute(store, text: str):
    """Run a checked query; SPARQL errors become one-line QueryErrors."""
    check_read_only(text)
    try:
        return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as e:
        m = _SYNTAX.match(str(e))
        if m:
            detail = " ".join(m.group(3).split())
            raise QueryError(f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: "
                             f"{detail}") from None
        raise QueryError(f"SPARQL syntax error: {' '.join(str(e).split())}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"query failed: {' '.join(str(e).split())}") from None


def run(query: str | None = None, *, query_file: str | Path | None = None,
        graph_path: str | Path = DEFAULT_GRAPH, fmt: str = "table",
        limit: int = DEFAULT_LIMIT) -> str:
    """``kg query``: the formatted result (ends with a newline)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    text = resolve(query, query_file)
    check_read_only(text)  # refuse before loading anything
    store = load_store(graph_path)
    result = execute(store, text)
    return render(result, fmt, limit)


# ----------------------------------------------------------------- rendering
def compact(iri: str) -> str:
    for prefix, ns in _BY_LENGTH:
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


def table(header: list[str], rows: list[list[str]], total: int) -> str:
    rows = [[_fit(c, MAX_CELL) for c in row] for row in rows]
    sizes = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, s) for h, s in zip(header, sizes)).rstrip(),
             "  ".join("-" * s for s in sizes)]
    lines += ["  ".join(_pad(c, s) for c, s in zip(row, sizes)).rstrip() for row in rows]
    if len(rows) < total:
        lines.append(f"({len(rows)} of {total} rows shown; --limit 0 shows all, "
                     f"--format csv or json never cut)")
    else:
        lines.append(f"({total} row{'s' * (total != 1)})")
    return "\n".join(lines) + "\n"


def render(result, fmt: str, limit: int = DEFAULT_LIMIT) -> str:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return ("true" if bool(result) else "false") + "\n"
        return result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode("utf-8") + (
            "\n" if fmt == "json" else "")
    if isinstance(result, ox.QueryTriples):
        triples = sorted(result, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        used = {p: ns for p, ns in PREFIXES.items()
                if any(ns in str(x) for t in triples for x in (t.subject, t.predicate, t.object))}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used).decode("utf-8")
    if fmt in ("csv", "json"):
        out = result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode("utf-8")
        return out if out.endswith("\n") else out + "\n"
    variables = [v.value for v in result.variables]
    rows, total = [], 0
    for solution in result:
        total += 1
        if limit and total > limit:
            continue
        rows.append([cell(solution[v]) for v in variables])
    return table(variables, rows, total)
