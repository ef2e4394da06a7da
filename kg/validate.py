"""``kg validate``: SHACL validation of a graph against ontology/shapes.ttl.

pySHACL runs with ``inference="none"`` (RDFS inference would type every node
``rdfs:Resource``, which breaks ``sh:in`` on types) and the ontology mixed into the data graph, so
``sh:class`` follows ``rdfs:subClassOf``. The report lists one line per
problem: severity, the focus node's label and IRI, the path and the message.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import OntologyError, closest, counted
from .fileio import load_graph, one_line
from .ontology import ONTOLOGY_DIR, ONTOLOGY_FILE, load as load_vocabulary, parse_turtle
from .triples import DATA_NS, NS, PREFIXES_BY_LENGTH, SH_NS as SH

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
SHAPES_NS = "https://w3id.org/kg-zh/shapes#"
# prefixes of the names in reports and messages: the usual ones and the shapes' own
_SHORT_NAMES = sorted([*PREFIXES_BY_LENGTH, ("kgsh", SHAPES_NS)], key=lambda kv: -len(kv[1]))
GRAPH_NODE = SHAPES_NS + "graph"  # focus of the whole-graph checks
_IRI = re.compile(r"https?://[^\s<>\"{}|^`]+[^\s<>\"{}|^`.,;:)]")

def _short(term) -> str:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return "-"
    if isinstance(term, URIRef):
        s = str(term)
        for prefix, ns in _SHORT_NAMES:
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
    """sh:resultPath (or a shape's sh:path) as text: ``^p`` for an inverse path, ``"p"``
    for a literal, ``[sh:x p]`` for another blank node."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(path, URIRef):
        return _short(path)
    if isinstance(path, Literal):
        return f'"{path}"'
    if isinstance(path, BNode):
        inv = results.value(path, URIRef(SH + "inversePath"))
        if inv is not None:
            return "^" + _short(inv)
        parts = sorted(f"{_short(p)} {_short(o)}" for p, o in results.predicate_objects(path))
        return "[" + " ; ".join(parts) + "]"
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


def load_shapes(path: str | Path = SHAPES_FILE, ontology_path: str | Path = ONTOLOGY_FILE):
    """The shapes graph of ``path``, checked as pySHACL loads it before any data is
    validated: a mistake in it (a path written as a literal, a misspelt path keyword,
    ``sh:minCount "one"``, a bad ``sh:pattern``, a target class that is no class of the
    ontology at ``ontology_path``) is one OntologyError naming the file, the shape, its
    property path and why, whatever graph is then validated."""
    path = Path(path)
    shapes = parse_turtle(path, "SHACL shapes")
    problems = sorted(shape_problems(shapes) + _target_problems(shapes, ontology_path))
    if problems:
        more = (f" (and {counted(len(problems) - 1, 'more problem')} in that file)"
                if len(problems) > 1 else "")
        raise OntologyError([f"{path}: {problems[0]}{more}"])
    return shapes


def shape_problems(shapes) -> list[str]:
    """What pySHACL refuses in each shape of ``shapes`` ("shape kgsh:EntityShape,
    property rdfs:label: sh:minCount must be ..."), found by running every shape on a
    stand-in focus node over an empty graph: that loads its path and constraint
    components as a validation does, which is where pySHACL raises."""
    import logging

    from pyshacl.pytypes import SHACLExecutor
    from pyshacl.shapes_graph import ShapesGraph
    from rdflib import Graph, URIRef

    quiet = logging.getLogger("kg.validate.shapes")  # pySHACL logs what it raises
    quiet.disabled = True
    sh_property = URIRef(SH + "property")
    try:
        loaded = list(ShapesGraph(shapes, logger=quiet).shapes)
    except Exception as e:  # pySHACL's load errors come in many classes
        return [f"invalid shapes: {_shape_reason(e)}"]
    empty, focus = Graph(), URIRef("urn:kg:shape-check")
    found: dict = {}  # shape node -> why pySHACL refused it
    for shape in loaded:
        try:
            shape.validate(SHACLExecutor(), empty, focus=[focus])
        except Exception as e:  # ShapeLoadError, ConstraintLoadError, re.error ...
            found[shape.node] = _shape_reason(e)
    problems = []
    for node, why in found.items():
        inner = [found.get(p) for p in shapes.objects(node, sh_property)]
        if why in inner:
            continue  # one of its property shapes is the one to blame
        owner = next(iter(sorted(shapes.subjects(sh_property, node), key=str)), None)
        path = shapes.value(node, URIRef(SH + "path"))
        where = f"shape {_short(owner if owner is not None else node)}"
        if path is not None:
            where += f", property {_path_text(shapes, path)}"
        problems.append(f"{where}: {why}")
    return sorted(problems)


def _target_problems(shapes, ontology_path) -> list[str]:
    """A ``sh:targetClass`` that is no class of the ontology: a literal ("Bank"), or a kg:
    name it does not declare (pySHACL takes either and checks no node against the shape).
    A class of another vocabulary (rdf:Statement) is left to that vocabulary."""
    from rdflib import Literal, URIRef

    vocab = load_vocabulary(ontology_path)
    problems = []
    for shape, cls in shapes.subject_objects(URIRef(SH + "targetClass")):
        if isinstance(cls, Literal):
            term, name = f'"{cls}"', str(cls)
        elif str(cls).startswith(NS) and not vocab.is_class(str(cls)[len(NS):]):
            term, name = _short(cls), str(cls)[len(NS):]
        else:
            continue
        near = closest(name, vocab.parents)
        problems.append(f"shape {_short(shape)}: sh:targetClass {term} is no class of "
                        f"{vocab.path}" + (f" (did you mean kg:{near}?)" if near else ""))
    return problems


def _shape_reason(e: BaseException) -> str:
    """pySHACL's reason for refusing a shape, on one line with short names."""
    from rdflib import URIRef

    if isinstance(e, re.error):
        return f"bad sh:pattern {e.pattern!r}: {e.msg} at position {e.pos}"
    text = str(getattr(e, "message", "") or e).strip().splitlines()
    why = " ".join(text[0].split()) if text else type(e).__name__
    why = why.removesuffix(" Malformed shape?").rstrip(".")
    return _IRI.sub(lambda m: _short(URIRef(m.group())), why)


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


def _run_graph_checks(data, ontology, checks, shapes_path) -> list[dict]:
    """Run whole-graph SPARQL constraints in Oxigraph; one problem per result row."""
    import pyoxigraph as ox

    store = ox.Store()
    for g in (data, ontology):
        store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    problems = []
    for node, message, query in checks:
        try:
            solutions = store.query(query)
        except SyntaxError as e:
            raise OntologyError([f"{shapes_path}: constraint {_short(node)}: bad SPARQL: "
                                 f"{one_line(e)}"]) from e
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
    from pyshacl.errors import ReportableRuntimeError
    from rdflib import URIRef
    from rdflib.namespace import RDF

    load_vocabulary(ontology_path)  # the check of kg build: a misspelt term (owl:Clas, kg:Prodcut)
    shapes = load_shapes(shapes_path, ontology_path)
    ontology = parse_turtle(Path(ontology_path))
    checks = _graph_checks(shapes) if sparql_engine == "oxigraph" else []
    try:
        conforms, results, _text = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference="none",
            allow_warnings=True, advanced=False, abort_on_first=False)
    except (ReportableRuntimeError, re.error) as e:  # one only data brings to light
        raise OntologyError([f"{shapes_path}: invalid shapes: {_shape_reason(e)}"]) from e
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
    for p in _run_graph_checks(data, ontology, checks, shapes_path) if checks else []:
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
            "statement": len(statements), "evidence sentence": len(sentences)}


def validate(graph_path: str | Path, shapes_path: str | Path = SHAPES_FILE,
             ontology_path: str | Path = ONTOLOGY_FILE) -> tuple[bool, str]:
    """``kg validate``: (conforms, readable report)."""
    data = load_graph(graph_path)
    conforms, problems = validate_graph(data, shapes_path, ontology_path)
    return conforms, format_report(conforms, problems, graph_path, _counts(data))
