"""rdflib Graph -> networkx graph of entities, for layout, centrality and views.

Nodes are entities (IRI strings) with attributes ``label``, ``cls`` (class local
name), ``core`` (its core class), ``aliases`` and ``articles`` (article ids that
mention it). Edges are the asserted relations between entities (``kg:mentions``
excluded: it is held in the ``articles`` attribute), keyed by predicate, with
``predicate``, ``label`` (Chinese predicate label from ``ontology/kg.ttl``) and
``evidence``: a sorted list of ``(sentence text, rule id, article id)`` read from
the reified statements. Sentences, statements and articles are provenance, not
nodes (an article becomes a node only when a relation other than ``kg:mentions``
points at it, e.g. ``kg:authorOf``; ``is_entity`` tells it from the entities).
"""

from __future__ import annotations

import networkx as nx  # this module is the networkx form of the graph: its users need it

from .ontology import Labels, labels as ontology_labels  # noqa: F401  (kg.graphnx.ontology_labels)
from .triples import NS, local_name

# Classes that are provenance, never entities.
PROVENANCE_CLASSES = frozenset({"Sentence"})


def is_entity(data: dict) -> bool:
    """Whether a node (its attributes) is an entity: an article drawn as the object of
    ``kg:authorOf`` is a node, but never counted, ranked or tabled as an entity."""
    return data["core"] != "Article"


def _pick_label(literals) -> str | None:
    """The ``@zh`` label if there is one, else any; smallest for determinism."""
    zh = sorted(str(x) for x in literals if (getattr(x, "language", None) or "").lower().startswith("zh"))
    if zh:
        return zh[0]
    other = sorted(str(x) for x in literals)
    return other[0] if other else None


def article_id_map(graph) -> dict[str, str]:
    """Article IRI -> article id (its dcterms:identifier, else the IRI's local name)."""
    import rdflib
    from rdflib.namespace import DCTERMS, RDF

    ids = {}
    for a in graph.subjects(RDF.type, rdflib.URIRef(NS + "Article")):
        ident = graph.value(a, DCTERMS.identifier)
        ids[str(a)] = (str(ident) if ident is not None
                       else local_name(str(a)).removeprefix("article-"))
    return ids


def statement_evidence(graph, article_ids: dict[str, str],
                       mentions: bool = False) -> dict[tuple[str, str, str], list[tuple]]:
    """(s, p, o) IRIs -> sorted ``(statement IRI, sentence text, rule id, article id)``
    of the reified statements asserting it (``kg:mentions`` only if ``mentions``). A
    statement drawn from an article's header (``kg:authorOf``) has no sentence: its text
    is empty and its article is the article it was derived from."""
    import rdflib
    from rdflib.namespace import PROV, RDF

    kg = rdflib.Namespace(NS)
    evidence: dict[tuple[str, str, str], set] = {}
    for st in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if p is None or (p == kg.mentions and not mentions):
            continue
        rule = str(graph.value(st, kg.rule) or "")
        for source in graph.objects(st, PROV.wasDerivedFrom):
            text = graph.value(source, kg.text)
            art = source if str(source) in article_ids else graph.value(source, kg.inArticle)
            evidence.setdefault((str(s), str(p), str(o)), set()).add(
                (str(st), str(text) if text is not None else "", rule,
                 article_ids.get(str(art), local_name(str(art)) if art is not None else "")))
    return {triple: sorted(found) for triple, found in evidence.items()}


def to_networkx(graph, labels: Labels | None = None):
    """Build a ``networkx.MultiDiGraph`` of the entities of an rdflib graph."""
    import rdflib
    from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

    labels = labels or ontology_labels()
    kg = rdflib.Namespace(NS)
    nxg = nx.MultiDiGraph()

    # articles: IRI -> id
    article_ids = article_id_map(graph)
    article_titles: dict[str, str] = {}
    for a in graph.subjects(RDF.type, kg.Article):
        aid = article_ids[str(a)]
        article_titles[aid] = (_pick_label(list(graph.objects(a, DCTERMS.title)))
                               or _pick_label(list(graph.objects(a, RDFS.label))) or aid)

    # entities: anything typed with a kg: class other than Article and provenance
    types: dict[str, list[str]] = {}
    for s, t in graph.subject_objects(RDF.type):
        if isinstance(s, rdflib.URIRef) and isinstance(t, rdflib.URIRef) and str(t).startswith(NS):
            types.setdefault(str(s), []).append(str(t)[len(NS):])

    def node_attrs(iri: str, classes: list[str]) -> dict:
        cls = sorted(classes)[0]
        ref = rdflib.URIRef(iri)
        label = _pick_label(list(graph.objects(ref, RDFS.label))) or local_name(iri)
        aliases = sorted({str(x) for x in graph.objects(ref, SKOS.altLabel)} - {label})
        return {
            "label": label,
            "cls": cls,
            "core": labels.core(cls) or cls,
            "aliases": aliases,
            "articles": [],
        }

    for iri, classes in sorted(types.items()):
        if iri in article_ids or any(c in PROVENANCE_CLASSES for c in classes):
            continue
        nxg.add_node(iri, **node_attrs(iri, classes))

    for a, e in graph.subject_objects(kg.mentions):
        if str(e) in nxg and str(a) in article_ids:
            nxg.nodes[str(e)]["articles"].append(article_ids[str(a)])
    for _, data in nxg.nodes(data=True):
        data["articles"] = sorted(set(data["articles"]))

    # evidence of each (s, p, o), from the reified statements
    evidence = {triple: {ev[1:] for ev in found}
                for triple, found in statement_evidence(graph, article_ids).items()}

    # relations: asserted kg: object-property triples between entities (and articles)
    article_nodes: set[str] = set()
    triples = []
    for s, p, o in graph.triples((None, None, None)):
        if not (isinstance(p, rdflib.URIRef) and str(p).startswith(NS)) or p == kg.mentions:
            continue
        if not (isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef)):
            continue
        s, o = str(s), str(o)
        ends_ok = all(x in nxg or x in article_ids for x in (s, o))
        if not ends_ok or (s in article_ids and o in article_ids):
            continue
        triples.append((s, str(p), o))
        article_nodes.update(x for x in (s, o) if x in article_ids)

    for iri in sorted(article_nodes):
        nxg.add_node(iri, **node_attrs(iri, types.get(iri, ["Article"])))
        nxg.nodes[iri]["articles"] = [article_ids[iri]]

    for s, p, o in sorted(triples):
        pred = p[len(NS):]
        nxg.add_edge(s, o, key=pred, predicate=pred, label=labels.zh_label(pred),
                     evidence=sorted(evidence.get((s, p, o), ())))
    # article id -> title, for page headings and filters
    nxg.graph["articles"] = {aid: article_titles[aid] for aid in sorted(article_titles)}
    return nxg


def undirected(nxg):
    """A simple undirected ``networkx.Graph`` with the same nodes (for centrality)."""
    g = nx.Graph()
    g.add_nodes_from(sorted(nxg.nodes))
    g.add_edges_from(sorted((u, v) for u, v in nxg.edges() if u != v))
    return g
