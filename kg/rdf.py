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
    statements = statements_of(entities, relations)
    return add_statements(assertions(articles, entities, relations, statements), statements)


def statements_of(entities: list[Entity], relations: list[tuple[Entity, str, Entity, Relation]]
                  ) -> list[tuple]:
    """The statements to reify: ``(s, p, o, article id, sentence index, rule, subject
    text, object text)``, one per asserted relation and per ``kg:mentions`` (one per
    entity and article, explained by the first mention in it), distinct."""
    statements: list[tuple] = []
    for e in entities:
        if e.cls == "Article":
            continue
        node = entity_iri(e)
        first: dict[str, Mention] = {}
        for m in sorted(e.mentions, key=lambda m: (m.article_id, m.start, m.end, m.rule)):
            first.setdefault(m.article_id, m)
        for art, m in sorted(first.items()):
            statements.append((article_iri(art), _K["mentions"], node, art, m.sentence, m.rule,
                               None, m.surface or None))
    for s_ent, pred, o_ent, rel in relations:
        statements.append((entity_iri(s_ent), iri(NS + pred), entity_iri(o_ent), rel.article_id,
                           rel.sentence, rel.rule, rel.subject.surface or None,
                           rel.object.surface or None))
    return statements


def assertions(articles: list[Article], entities: list[Entity],
               relations: list[tuple[Entity, str, Entity, Relation]], statements: list[tuple]
               ) -> Triples:
    """The graph but the reified ``statements`` (``statements_of``): articles, entities,
    the statements asserted, and the sentences they come from."""
    g = Triples(prefixes=PREFIXES)
    add = g.add
    by_id = {a.id: a for a in articles}

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

    for e in entities:
        if e.cls == "Article":
            continue  # articles are written above
        node = entity_iri(e)
        add((node, RDF_TYPE, iri(NS + e.cls)))
        add((node, _LABEL, _zh(e.label)))
        for alt in sorted(e.alt_labels - {e.label}):
            add((node, _ALT_LABEL, _zh(alt)))
    for s, p, o, *_ in statements:
        add((s, p, o))

    for art, idx in sorted({(st[3], st[4]) for st in statements if st[4] >= 0}):
        sent = by_id[art].sentences[idx]
        node = sentence_iri(art, idx)
        add((node, RDF_TYPE, _K["Sentence"]))
        add((node, _K["text"], _zh(sent.text)))
        add((node, _K["inArticle"], article_iri(art)))
        add((node, _K["beginOffset"], integer(sent.start)))
        add((node, _K["endOffset"], integer(sent.end)))
    return g


def _reified(statement: tuple) -> tuple[tuple, list[tuple]]:
    """A statement's node and its (predicate, object) pairs."""
    s, p, o, art, idx, rule, s_text, o_text = statement
    node = _statement_iri(s[1], p[1], o[1], art, str(idx), rule)
    source = article_iri(art) if idx < 0 else sentence_iri(art, idx)
    pairs = [(RDF_TYPE, _STATEMENT), (_SUBJECT, s), (_PREDICATE, p), (_OBJECT, o),
             (_DERIVED, source), (_K["rule"], literal(rule))]
    if s_text is not None:
        pairs.append((_K["subjectText"], _zh(s_text)))
    if o_text is not None:
        pairs.append((_K["objectText"], _zh(o_text)))
    return node, pairs


def add_statements(g: Triples, statements: list[tuple]) -> Triples:
    """Reify each statement of ``statements_of``: an ``rdf:Statement`` derived from its
    sentence (or, for a header's authors, its article) by its rule."""
    for st in statements:
        g.add_all(*_reified(st))
    return g


def statement_part(statements: list[tuple]) -> tuple[set, list, int]:
    """The Turtle of the reified ``statements`` as ``rdftext.turtle_part`` gives it for
    ``add_statements(Triples(), statements)`` (prefixes used, chunks), and its number of
    triples; faster, since each statement is one subject of distinct predicates. (Two
    statements with one node would be two chunks of one subject: ``turtle_of_parts``
    refuses those.)"""
    from .export.rdftext import SubjectWriter

    writer = SubjectWriter()
    chunks, count = [], 0
    for st in statements:
        node, pairs = _reified(st)
        chunks.append(writer.chunk(node, pairs))
        count += len(pairs)
    chunks.sort(key=lambda c: c[0])
    return writer.used, chunks, count


def build_graph(articles: list[Article], entities: list[Entity],
                relations: list[tuple[Entity, str, Entity, Relation]]):
    """The same graph as an rdflib Graph."""
    return build_triples(articles, entities, relations).to_rdflib()
