"""The text writers (Turtle, N-Triples, JSON-LD): ``fn(graph) -> Rendered``, deterministic.

They take plain triples (``kg.triples.Triples``) or any rdflib graph, and import no
rdflib for the former: ``kg build`` writes kg.ttl without loading rdflib."""

from __future__ import annotations

import json
from collections import defaultdict

from ..triples import BNODE, LITERAL, PREFIXES, RDF_TYPE
from . import Rendered, rdftext, triples


def write_turtle(graph) -> Rendered:
    return Rendered(rdftext.turtle(graph), triples(len(graph)))


def write_ntriples(graph) -> Rendered:
    text = rdftext.ntriples(graph)
    return Rendered(text, triples(text.count("\n")))  # one line a triple


# -------------------------------------------------------------------- JSON-LD
def _jsonld_term(t: tuple, used: set) -> str:
    if t[0] == BNODE:
        return rdftext.bnode_label(t[1])
    return rdftext.compact(t[1], used) or t[1]


def _jsonld_value(o: tuple, used: set):
    kind, value, lang, datatype = o
    if kind == LITERAL:
        if lang:
            return {"@value": value, "@language": lang}
        if not datatype:
            return value
        return {"@value": value, "@type": rdftext.compact(datatype, used) or datatype}
    return {"@id": _jsonld_term(o, used)}


def write_jsonld(graph) -> Rendered:
    """Flattened JSON-LD: an @context of the prefixes used and a sorted @graph."""
    used: set = set()
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in sorted(rdftext.plain_triples(graph)):
        by_subject[s][p].append(o)
    nodes, n = [], 0
    for s, props in by_subject.items():
        node = {"@id": _jsonld_term(s, used)}
        if RDF_TYPE in props:
            types = [_jsonld_term(t, used) for t in props[RDF_TYPE] if t[0] != LITERAL]
            node["@type"] = types[0] if len(types) == 1 else types
        for p in sorted(props, key=lambda p: p[1]):
            objs = props[p]
            if p == RDF_TYPE and not any(o[0] == LITERAL for o in objs):
                continue
            values = [_jsonld_value(o, used) for o in objs]
            node[_jsonld_term(p, used)] = values[0] if len(values) == 1 else values
        n += sum(len(objs) for objs in props.values())
        nodes.append(node)
    context = {p: PREFIXES[p] for p in sorted(used)}
    text = json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"
    return Rendered(text, triples(n))
