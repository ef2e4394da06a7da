"""The registered writers: ``fn(graph) -> str | bytes``, all deterministic."""

from __future__ import annotations

import json
from collections import defaultdict

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..triples import BNODE, LITERAL, RDF_TYPE, Triples, from_rdflib
from . import rdftext

KG_NS = rdftext.PREFIXES["kg"]
KGD_NS = rdftext.PREFIXES["kgd"]
KG_ARTICLE = URIRef(KG_NS + "Article")
KG_SENTENCE = URIRef(KG_NS + "Sentence")
KG_IN_ARTICLE = URIRef(KG_NS + "inArticle")


def write_turtle(graph) -> str:
    return rdftext.turtle(graph)


def write_ntriples(graph) -> str:
    return rdftext.ntriples(graph)


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


def write_jsonld(graph) -> str:
    """Flattened JSON-LD: an @context of the prefixes used and a sorted @graph."""
    used: set = set()
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in sorted(rdftext.plain_triples(graph)):
        by_subject[s][p].append(o)
    nodes = []
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
        nodes.append(node)
    context = {p: rdftext.PREFIXES[p] for p in sorted(used)}
    return json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


def _rdflib(graph):
    """An rdflib Graph of ``graph`` (writers that query the graph need one)."""
    return graph.to_rdflib() if isinstance(graph, Triples) else graph


# ----------------------------------------------------------------------- TriG
def article_graph_name(article: URIRef) -> URIRef:
    """Named graph of an article: ``kgd:article-x`` -> ``kgd:graph-article-x``."""
    s = str(article)
    if s.startswith(KGD_NS):
        return URIRef(KGD_NS + "graph-" + s[len(KGD_NS):])
    return URIRef(s + "#graph")


def split_by_article(graph) -> tuple[list, dict]:
    """(default triples, {graph name: triples}).

    An article's graph holds the article resource, its sentences, the reified
    statements drawn from them and the triples those statements assert; the
    default graph holds what no single article owns (entity types and labels).
    The union of all graphs is the input graph.
    """
    articles = set(graph.subjects(RDF.type, KG_ARTICLE))
    sentence_article = {s: a for s, a in graph.subject_objects(KG_IN_ARTICLE) if a in articles}
    owner: dict = {a: a for a in articles}
    owner.update(sentence_article)
    asserted: dict = defaultdict(set)
    for st in graph.subjects(RDF.type, RDF.Statement):
        arts = {sentence_article[sen] for sen in graph.objects(st, PROV.wasDerivedFrom)
                if sen in sentence_article}
        if len(arts) == 1:
            art = next(iter(arts))
            owner[st] = art
            for s in graph.objects(st, RDF.subject):
                for p in graph.objects(st, RDF.predicate):
                    for o in graph.objects(st, RDF.object):
                        asserted[(s, p, o)].add(art)
    default, named = [], defaultdict(list)
    for t in graph:
        if t[0] in owner:
            named[article_graph_name(owner[t[0]])].append(t)
        elif t in asserted:
            for art in asserted[t]:
                named[article_graph_name(art)].append(t)
        else:
            default.append(t)
    return default, dict(named)


def write_trig(graph) -> str:
    default, named = split_by_article(_rdflib(graph))
    return rdftext.trig(default, named)


# -------------------------------------------------------------------- GraphML
def to_networkx(graph):
    """A MultiDiGraph of entities and articles (nodes) and object-property triples (edges).

    Sentences and reified statements are left out: they are provenance, not
    part of the entity network.
    """
    import networkx as nx

    skip = set(graph.subjects(RDF.type, RDF.Statement)) | set(graph.subjects(RDF.type, KG_SENTENCE))
    nodes: dict = {}
    for s, t in graph.subject_objects(RDF.type):
        if s in skip or not isinstance(s, URIRef) or not str(t).startswith(KG_NS):
            continue
        nodes.setdefault(s, []).append(rdftext.compact(str(t)) or str(t))
    g = nx.MultiDiGraph()
    for n in sorted(nodes, key=str):
        label = next((str(l) for l in sorted(graph.objects(n, RDFS.label), key=from_rdflib)
                      if getattr(l, "language", None) == "zh"), None)
        label = label or next((str(l) for l in graph.objects(n, DCTERMS.title)), rdftext.compact(str(n)))
        g.add_node(str(n), label=label, type=" ".join(sorted(nodes[n])),
                   curie=rdftext.compact(str(n)) or str(n))
    edges = sorted((t for t in graph if t[0] in nodes and t[2] in nodes and str(t[1]).startswith(KG_NS)),
                   key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    for s, p, o in edges:
        name = rdftext.compact(str(p)) or str(p)
        g.add_edge(str(s), str(o), key=name, predicate=name, label=str(p)[len(KG_NS):])
    return g


def write_graphml(graph) -> bytes:
    import io

    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(to_networkx(_rdflib(graph)), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()
