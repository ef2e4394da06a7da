"""Resolved entities and relations -> the graph (plain triples, kg.triples) with provenance.

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

from .model import Article, Entity, Mention, Relation
from .ontology import DATA_NS, NS
from .resolve import article_key, safe_id
from .triples import RDF_NS, RDF_TYPE, Triples, integer, iri, literal

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"kg": NS, "kgd": DATA_NS, "rdfs": RDFS, "skos": SKOS, "prov": PROV,
            "dcterms": DCTERMS, "xsd": XSD}

_STATEMENT = iri(RDF_NS + "Statement")
_SUBJECT, _PREDICATE, _OBJECT = (iri(RDF_NS + x) for x in ("subject", "predicate", "object"))
_LABEL, _ALT_LABEL = iri(RDFS + "label"), iri(SKOS + "altLabel")
_DERIVED = iri(PROV + "wasDerivedFrom")
_TITLE, _CREATOR, _SOURCE, _DATE, _IDENTIFIER = (
    iri(DCTERMS + x) for x in ("title", "creator", "source", "date", "identifier"))
_K = {name: iri(NS + name) for name in (
    "Article", "Sentence", "mentions", "rule", "subjectText", "objectText", "text",
    "inArticle", "beginOffset", "endOffset")}


def bind_prefixes(g):
    """Bind the prefixes of the graph's vocabularies on an rdflib Graph."""
    from rdflib import URIRef

    for prefix, ns in PREFIXES.items():
        g.bind(prefix, URIRef(ns), override=True, replace=True)
    return g


def article_iri(article_id: str) -> tuple:
    return iri(DATA_NS + article_key(article_id))


def sentence_iri(article_id: str, index: int) -> tuple:
    return iri(f"{DATA_NS}sentence-{safe_id(article_id)}-{index}")


def entity_iri(entity: Entity) -> tuple:
    return iri(DATA_NS + entity.key)


def _statement_iri(*parts: str) -> tuple:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return iri(f"{DATA_NS}stmt-{digest}")


def _zh(text: str) -> tuple:
    return literal(text, "zh")


def build_triples(articles: list[Article], entities: list[Entity],
                  relations: list[tuple[Entity, str, Entity, Relation]]) -> Triples:
    """Assemble the graph as plain triples. ``relations`` are (subject entity, predicate,
    object entity, provenance)."""
    g = Triples(prefixes=PREFIXES)
    add = g.add
    by_id = {a.id: a for a in articles}
    used_sentences: set[tuple[str, int]] = set()

    for a in articles:
        node = article_iri(a.id)
        add((node, RDF_TYPE, _K["Article"]))
        add((node, _LABEL, _zh(a.title or a.id)))
        add((node, _IDENTIFIER, literal(a.id)))
        if a.title:
            add((node, _TITLE, _zh(a.title)))
        for author in a.authors:
            add((node, _CREATOR, _zh(author)))
        if a.source:
            add((node, _SOURCE, _zh(a.source)))
        if a.date:
            add((node, _DATE, literal(a.date)))

    def reify(s: tuple, p: tuple, o: tuple, sentence: tuple[str, int], rule: str,
              s_text: str | None, o_text: str | None) -> None:
        st = _statement_iri(s[1], p[1], o[1], sentence[0], str(sentence[1]), rule)
        if sentence[1] < 0:  # from the article's header, not a sentence
            source = article_iri(sentence[0])
        else:
            source = sentence_iri(*sentence)
            used_sentences.add(sentence)
        pairs = [(RDF_TYPE, _STATEMENT), (_SUBJECT, s), (_PREDICATE, p), (_OBJECT, o),
                 (_DERIVED, source), (_K["rule"], literal(rule))]
        if s_text is not None:
            pairs.append((_K["subjectText"], _zh(s_text)))
        if o_text is not None:
            pairs.append((_K["objectText"], _zh(o_text)))
        g.add_all(st, pairs)

    for e in entities:
        if e.cls == "Article":
            continue  # articles are written above
        node = entity_iri(e)
        add((node, RDF_TYPE, iri(NS + e.cls)))
        add((node, _LABEL, _zh(e.label)))
        for alt in sorted(e.alt_labels - {e.label}):
            add((node, _ALT_LABEL, _zh(alt)))
        # one kg:mentions per article, explained by the first mention in it
        first: dict[str, Mention] = {}
        for m in sorted(e.mentions, key=lambda m: (m.article_id, m.start, m.end, m.rule)):
            first.setdefault(m.article_id, m)
        for art, m in sorted(first.items()):
            a_node = article_iri(art)
            add((a_node, _K["mentions"], node))
            reify(a_node, _K["mentions"], node, (art, m.sentence), m.rule, None, m.surface or None)

    for s_ent, pred, o_ent, rel in relations:
        s, p, o = entity_iri(s_ent), iri(NS + pred), entity_iri(o_ent)
        add((s, p, o))
        reify(s, p, o, (rel.article_id, rel.sentence), rel.rule,
              rel.subject.surface or None, rel.object.surface or None)

    for art, idx in sorted(used_sentences):
        sent = by_id[art].sentences[idx]
        node = sentence_iri(art, idx)
        add((node, RDF_TYPE, _K["Sentence"]))
        add((node, _K["text"], _zh(sent.text)))
        add((node, _K["inArticle"], article_iri(art)))
        add((node, _K["beginOffset"], integer(sent.start)))
        add((node, _K["endOffset"], integer(sent.end)))
    return g


def build_graph(articles: list[Article], entities: list[Entity],
                relations: list[tuple[Entity, str, Entity, Relation]]):
    """The same graph as an rdflib Graph."""
    return build_triples(articles, entities, relations).to_rdflib()
