"""``kg validate``: SHACL validation of a graph against ontology/shapes.ttl.

pySHACL runs with ``inference="none"`` (RDFS inference would type every node
``rdfs:Resource``, which breaks ``sh:in`` on types) and the ontology mixed into the data graph, so
``sh:class`` follows ``rdfs:subClassOf``. The report lists one line per
problem: severity, the focus node's label and IRI, the path and the message.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import OntologyError, counted
from .fileio import load_graph
from .ontology import ONTOLOGY_DIR, ONTOLOGY_FILE, parse_turtle
from .triples import DATA_NS, NS, PREFIXES_BY_LENGTH, SH_NS as SH

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
GRAPH_NODE = "https://w3id.org/kg-zh/shapes#graph"  # focus of the whole-graph checks
_IRI = re.compile(r"https?://[^\s<>\"{}|^`]+[^\s<>\"{}|^`.,;:)]")

def _short(term) -> str:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return "-"
    if isinstance(term, URIRef):
        s = str(term)
        for prefix, ns in PREFIXES_BY_LENGTH:
            if s.startswith(ns):
                return f"{prefix}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(term, Literal):
        text = str(term)
        return repr(text if len(text) <= 40 else text[:39] + "…")
    if isinstance(term, BNode):
        return "[]"
    return str(term)


def _path_text(results, path) -> str:
    """sh:resultPath as text, including ``^p`` for inverse paths."""
    from rdflib import BNode, URIRef

    if isinstance(path, URIRef):
        return _short(path)
    if isinstance(path, BNode):
        inv = results.value(path, URIRef(SH + "inversePath"))
        if inv is not None:
            return "^" + _short(inv)
    return "-" if path is None else _short(path)


def _label(data, node) -> str:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    labels = sorted(str(l) for l in data.objects(node, RDFS.label) if isinstance(l, Literal))
    if labels:
        return labels[0]
    text = data.value(node, URIRef(NS + "text"))
    if text is not None:
        text = str(text)
        return text if len(text) <= 20 else text[:19] + "…"
    return ""


def _load_rdf(path: Path, what: str):
    return parse_turtle(path, what)


def _graph_checks(shapes):
    """Split off the whole-graph SPARQL constraints (shapes targeting kgsh:graph).

    Returns [(constraint node, message, query text)] and removes their
    ``sh:sparql`` links from ``shapes`` so pySHACL does not run them.
    """
    from rdflib import URIRef

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    checks = []
    for shape in list(shapes.subjects(sh("targetNode"), URIRef(GRAPH_NODE))):
        for c in list(shapes.objects(shape, sh("sparql"))):
            prefixes = []
            for decl_owner in shapes.objects(c, sh("prefixes")):
                for d in shapes.objects(decl_owner, sh("declare")):
                    prefixes.append(f"PREFIX {shapes.value(d, sh('prefix'))}: "
                                    f"<{shapes.value(d, sh('namespace'))}>")
            message = str(shapes.value(c, sh("message")) or "constraint not met")
            query = "\n".join(sorted(prefixes)) + "\n" + str(shapes.value(c, sh("select")))
            checks.append((c, message, query))
            shapes.remove((shape, sh("sparql"), c))
    return checks


def _run_graph_checks(data, ontology, checks) -> list[dict]:
    """Run whole-graph SPARQL constraints in Oxigraph; one problem per result row."""
    import pyoxigraph as ox

    store = ox.Store()
    for g in (data, ontology):
        store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    problems = []
    for _node, message, query in checks:
        try:
            solutions = store.query(query)
        except SyntaxError as e:
            raise OntologyError([f"{SHAPES_FILE}: bad SPARQL constraint: {e}"]) from e
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {n: row[n] for n in names if row[n] is not None}
            text = re.sub(r"\{[?$](\w+)\}",
                          lambda m: bound[m.group(1)].value if m.group(1) in bound else m.group(0),
                          message)
            problems.append({"severity": "Violation", "focus": bound.get("value"),
                             "path": bound.get("path"), "message": text})
    return problems


def validate_graph(data, shapes_path: str | Path = SHAPES_FILE,
                   ontology_path: str | Path = ONTOLOGY_FILE,
                   sparql_engine: str = "oxigraph") -> tuple[bool, list[dict]]:
    """Validate an rdflib Graph; returns (conforms, problems sorted for display).

    Each problem is a dict with severity, focus, label, path, value and message.
    Warnings are listed but do not make the graph fail. With
    ``sparql_engine="oxigraph"`` the whole-graph SPARQL constraints run in
    Oxigraph and the rest in pySHACL; ``"pyshacl"`` runs everything in pySHACL
    (slow on large graphs; the tests check both give the same report).
    """
    import pyshacl
    from rdflib import URIRef
    from rdflib.namespace import RDF

    shapes = _load_rdf(Path(shapes_path), "SHACL shapes")
    ontology = _load_rdf(Path(ontology_path), "ontology")
    checks = _graph_checks(shapes) if sparql_engine == "oxigraph" else []
    conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none",
        allow_warnings=True, advanced=False, abort_on_first=False)
    if not hasattr(results, "subjects"):  # pySHACL rejected the shapes themselves
        raise OntologyError([f"{shapes_path}: invalid shapes: {str(_text).strip().splitlines()[-1]}"])
    raw = []
    for r in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        focus = results.value(r, URIRef(SH + "focusNode"))
        value = results.value(r, URIRef(SH + "value"))
        if str(focus) == GRAPH_NODE:  # whole-graph checks report the offending node as value
            focus, value = value, None
        elif value == focus:
            value = None
        severity = results.value(r, URIRef(SH + "resultSeverity"))
        messages = sorted(str(m) for m in results.objects(r, URIRef(SH + "resultMessage")))
        raw.append({
            "severity": str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            "focus": focus, "value": value,
            "path": _path_text(results, results.value(r, URIRef(SH + "resultPath"))),
            "message": messages[0] if messages else "constraint not met",
        })
    for p in _run_graph_checks(data, ontology, checks) if checks else []:
        conforms = False
        focus = URIRef(p["focus"].value) if p["focus"] is not None else None
        path = _short(URIRef(p["path"].value)) if p["path"] is not None else "-"
        raw.append({"severity": "Violation", "focus": focus, "value": None, "path": path,
                    "message": p["message"]})
    problems = [{
        "severity": p["severity"],
        "focus": _short(p["focus"]),
        "label": _label(data, p["focus"]),
        "path": p["path"],
        "value": _short(p["value"]),
        "message": _IRI.sub(lambda m: _short(URIRef(m.group())), p["message"]),
    } for p in raw]
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    problems.sort(key=lambda p: (order.get(p["severity"], 3), p["focus"], p["path"], p["message"],
                                 p["value"]))
    # pySHACL reports the same problem once per shape that finds it
    unique = []
    for p in problems:
        if not unique or p != unique[-1]:
            unique.append(p)
    conforms = conforms and not any(p["severity"] == "Violation" for p in unique)
    return bool(conforms), unique


def format_report(conforms: bool, problems: list[dict], graph_path, counts: dict) -> str:
    checked = ", ".join(counted(n, what) for what, n in counts.items())
    errors = sum(p["severity"] == "Violation" for p in problems)
    warnings = len(problems) - errors
    if conforms:
        head = f"{graph_path} conforms to the shapes ({checked})."
        if warnings:
            head += f" {counted(warnings, 'warning')}:"
    else:
        head = (f"{graph_path} does not conform: {counted(errors, 'violation')}"
                + (f", {counted(warnings, 'warning')}" if warnings else "")
                + f" ({checked}):")
    lines = [head]
    for p in problems:
        node = f"{p['label']} ({p['focus']})" if p["label"] else p["focus"]
        value = f" [value {p['value']}]" if p["value"] != "-" else ""
        path = f" {p['path']}" if p["path"] != "-" else ""
        lines.append(f"  {p['severity']}: {node}{path}: {p['message']}{value}")
    return "\n".join(lines)


def _counts(data) -> dict:
    from rdflib import URIRef
    from rdflib.namespace import RDF

    kg = lambda name: URIRef(NS + name)  # noqa: E731
    sentences = set(data.subjects(RDF.type, kg("Sentence")))
    articles = set(data.subjects(RDF.type, kg("Article")))
    statements = set(data.subjects(RDF.type, RDF.Statement))
    entities = {s for s in data.subjects(RDF.type, None)
                if str(s).startswith(DATA_NS)} - sentences - articles - statements
    return {"entity": len(entities), "article": len(articles),
            "statement": len(statements), "sentence": len(sentences)}


def validate(graph_path: str | Path, shapes_path: str | Path = SHAPES_FILE,
             ontology_path: str | Path = ONTOLOGY_FILE) -> tuple[bool, str]:
    """``kg validate``: (conforms, readable report)."""
    data = load_graph(graph_path)
    conforms, problems = validate_graph(data, shapes_path, ontology_path)
    return conforms, format_report(conforms, problems, graph_path, _counts(data))
