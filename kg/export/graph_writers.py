"""The writers that need rdflib's graph API: TriG (split by article) and GraphML."""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..errors import counted
from ..triples import DATA_NS as KGD_NS, NS as KG_NS, Triples, from_rdflib
from . import Rendered, rdftext, triples

KG_ARTICLE = URIRef(KG_NS + "Article")
KG_SENTENCE = URIRef(KG_NS + "Sentence")
KG_IN_ARTICLE = URIRef(KG_NS + "inArticle")
EVIDENCE_JOIN = "\n"  # between several rules, articles or sentences of one GraphML edge


def _rdflib(graph):
    """An rdflib Graph of ``graph`` (these writers query the graph)."""
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


def write_trig(graph) -> Rendered:
    """A triple that two articles assert is written in the graph of each."""
    default, named = split_by_article(_rdflib(graph))
    n = len(default) + sum(len(ts) for ts in named.values())
    graphs = len(named) + bool(default)
    return Rendered(rdftext.trig(default, named),
                    f"{triples(n)} in {counted(graphs, 'graph', thousands=True)}")


# -------------------------------------------------------------------- GraphML
def to_networkx(graph):
    """A MultiDiGraph of entities and articles (nodes) and object-property triples (edges).

    Sentences and reified statements are not nodes: they are provenance, not part of
    the entity network. Each edge carries its evidence instead: ``rule``, ``article``
    and ``sentence`` (the distinct values over its statements; several are joined by
    ``EVIDENCE_JOIN``) and ``evidence`` (how many statements). Its id (the GraphML edge
    id) is the CURIE of its first statement, unique in the file; an edge that no
    statement asserts is ``edge-N`` (N: its rank among the edges).
    """
    import networkx as nx

    from ..graphnx import article_id_map, statement_evidence

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
    evidence = statement_evidence(graph, article_id_map(graph), mentions=True)
    for i, (s, p, o) in enumerate(edges):
        name = rdftext.compact(str(p)) or str(p)
        found = evidence.get((str(s), str(p), str(o)), [])
        key = (rdftext.compact(found[0][0]) or found[0][0]) if found else f"edge-{i}"
        g.add_edge(str(s), str(o), key=key, predicate=name, label=str(p)[len(KG_NS):],
                   evidence=len(found),
                   **{field: EVIDENCE_JOIN.join(dict.fromkeys(ev[k] for ev in found if ev[k]))
                      for k, field in ((2, "rule"), (3, "article"), (1, "sentence"))})
    return g


def write_graphml(graph) -> Rendered:
    """Nodes (entities and articles) and edges (relations and kg:mentions)."""
    import io

    import networkx as nx

    g = to_networkx(_rdflib(graph))
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return Rendered(buf.getvalue(), f"{counted(g.number_of_nodes(), 'node', thousands=True)} and "
                                    f"{counted(g.number_of_edges(), 'edge', thousands=True)}")
