"""Resolved entities and relations -> an rdflib Graph with provenance.

Shape of the data (see docs/vocabulary.md):

* entity: ``kgd:<class>-<hash>`` with exactly one ``rdf:type``, one
  ``rdfs:label "…"@zh`` and ``skos:altLabel``s;
* article: ``kgd:article-<id>`` typed ``kg:Article`` with ``dcterms:title``,
  ``dcterms:creator``, ``dcterms:source`` and ``kg:mentions`` of its entities;
* sentence: ``kgd:sentence-<article>-<n>`` with ``kg:text``, ``kg:inArticle``,
  ``kg:beginOffset``, ``kg:endOffset``;
* every relation (and every ``kg:mentions``) is asserted and reified as an
  ``rdf:Statement`` with ``prov:wasDerivedFrom`` its sentence and ``kg:rule``.
"""

from __future__ import annotations

import hashlib

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .model import Article, Entity, Mention, Relation
from .ontology import DATA_NS, NS
from .resolve import article_key, safe_id

KG = rdflib.Namespace(NS)
KGD = rdflib.Namespace(DATA_NS)


def bind_prefixes(g: rdflib.Graph) -> rdflib.Graph:
    for prefix, ns in (("kg", KG), ("kgd", KGD), ("rdfs", RDFS), ("skos", SKOS),
                       ("prov", PROV), ("dcterms", DCTERMS), ("xsd", XSD)):
        g.bind(prefix, ns, override=True, replace=True)
    return g


def article_iri(article_id: str) -> URIRef:
    return KGD[article_key(article_id)]


def sentence_iri(article_id: str, index: int) -> URIRef:
    return KGD[f"sentence-{safe_id(article_id)}-{index}"]


def entity_iri(entity: Entity) -> URIRef:
    return KGD[entity.key]


def _statement_iri(*parts: str) -> URIRef:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return KGD[f"stmt-{digest}"]


def build_graph(articles: list[Article], entities: list[Entity],
                relations: list[tuple[Entity, str, Entity, Relation]]) -> rdflib.Graph:
    """Assemble the graph. ``relations`` are (subject entity, predicate, object entity, provenance)."""
    g = bind_prefixes(rdflib.Graph())
    by_id = {a.id: a for a in articles}
    used_sentences: set[tuple[str, int]] = set()

    for a in articles:
        node = article_iri(a.id)
        g.add((node, RDF.type, KG.Article))
        g.add((node, RDFS.label, Literal(a.title or a.id, lang="zh")))
        g.add((node, DCTERMS.identifier, Literal(a.id)))
        if a.title:
            g.add((node, DCTERMS.title, Literal(a.title, lang="zh")))
        for author in a.authors:
            g.add((node, DCTERMS.creator, Literal(author, lang="zh")))
        if a.source:
            g.add((node, DCTERMS.source, Literal(a.source, lang="zh")))
        if a.date:
            g.add((node, DCTERMS.date, Literal(a.date)))

    def reify(s: URIRef, p: URIRef, o: URIRef, sentence: tuple[str, int], rule: str,
              s_text: str | None, o_text: str | None) -> None:
        st = _statement_iri(str(s), str(p), str(o), sentence[0], str(sentence[1]), rule)
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        if sentence[1] < 0:  # from the article's header, not a sentence
            g.add((st, PROV.wasDerivedFrom, article_iri(sentence[0])))
        else:
            g.add((st, PROV.wasDerivedFrom, sentence_iri(*sentence)))
            used_sentences.add(sentence)
        g.add((st, KG.rule, Literal(rule)))
        if s_text is not None:
            g.add((st, KG.subjectText, Literal(s_text, lang="zh")))
        if o_text is not None:
            g.add((st, KG.objectText, Literal(o_text, lang="zh")))

    for e in entities:
        if e.cls == "Article":
            continue  # articles are written above
        node = entity_iri(e)
        g.add((node, RDF.type, KG[e.cls]))
        g.add((node, RDFS.label, Literal(e.label, lang="zh")))
        for alt in sorted(e.alt_labels - {e.label}):
            g.add((node, SKOS.altLabel, Literal(alt, lang="zh")))
        # one kg:mentions per article, explained by the first mention in it
        first: dict[str, Mention] = {}
        for m in sorted(e.mentions, key=lambda m: (m.article_id, m.start, m.end, m.rule)):
            first.setdefault(m.article_id, m)
        for art, m in sorted(first.items()):
            a_node = article_iri(art)
            g.add((a_node, KG.mentions, node))
            reify(a_node, KG.mentions, node, (art, m.sentence), m.rule, None, m.surface or None)

    for s_ent, pred, o_ent, rel in relations:
        s, p, o = entity_iri(s_ent), KG[pred], entity_iri(o_ent)
        g.add((s, p, o))
        reify(s, p, o, (rel.article_id, rel.sentence), rel.rule,
              rel.subject.surface or None, rel.object.surface or None)

    for art, idx in sorted(used_sentences):
        sent = by_id[art].sentences[idx]
        node = sentence_iri(art, idx)
        g.add((node, RDF.type, KG.Sentence))
        g.add((node, KG.text, Literal(sent.text, lang="zh")))
        g.add((node, KG.inArticle, article_iri(art)))
        g.add((node, KG.beginOffset, Literal(sent.start, datatype=XSD.integer)))
        g.add((node, KG.endOffset, Literal(sent.end, datatype=XSD.integer)))
    return g
