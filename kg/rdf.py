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
from functools import lru_cache
from typing import Iterator

from .model import Article, Entity, Mention, Relation
from .export import rdftext
from .resolve import article_key, safe_id
from .triples import (DATA_NS, DCTERMS_NS as DCTERMS, NS, PREFIXES, PROV_NS as PROV,
                      RDF_NS, RDF_TYPE, RDFS_NS as RDFS, SKOS_NS as SKOS, XSD_NS, Triples,
                      integer, iri, literal)

_STATEMENT = iri(RDF_NS + "Statement")
_SUBJECT, _PREDICATE, _OBJECT = (iri(RDF_NS + x) for x in ("subject", "predicate", "object"))
_LABEL, _ALT_LABEL = iri(RDFS + "label"), iri(SKOS + "altLabel")
_DERIVED = iri(PROV + "wasDerivedFrom")
BYLINE_SEPARATOR = "、"  # between the authors of kg:byline
_TITLE, _CREATOR, _SOURCE, _DATE, _IDENTIFIER = (
    iri(DCTERMS + x) for x in ("title", "creator", "source", "date", "identifier"))
# the header date (sources.parse_date): a year, a month or a day, by its count of "-"
_DATE_TYPES = tuple(XSD_NS + x for x in ("gYear", "gYearMonth", "date"))
_K = {name: iri(NS + name) for name in (
    "Article", "Sentence", "mentions", "rule", "subjectText", "objectText", "text",
    "inArticle", "beginOffset", "endOffset", "byline")}


@lru_cache(maxsize=1 << 16)  # each is asked for once per statement from it
def article_iri(article_id: str) -> tuple:
    return iri(DATA_NS + article_key(article_id))


@lru_cache(maxsize=1 << 16)
def sentence_iri(article_id: str, index: int) -> tuple:
    return iri(f"{DATA_NS}sentence-{safe_id(article_id)}-{index}")


def entity_iri(entity: Entity) -> tuple:
    return iri(DATA_NS + entity.key)


def _statement_iri(*parts: str) -> tuple:
    return iri(f"{DATA_NS}stmt-{_statement_digest(parts)}")


def _statement_digest(parts) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _zh(text: str) -> tuple:
    return literal(text, "zh")


def build_triples(articles: list[Article], entities: list[Entity],
                  relations: list[tuple[Entity, str, Entity, Relation]]) -> Triples:
    """Assemble the graph as plain triples. ``relations`` are (subject entity, predicate,
    object entity, provenance)."""
    statements = statements_of(entities, relations)
    return add_statements(assertions(articles, entities, statements), statements)


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


def evidence_sentences(statements: list[tuple]) -> list[tuple[str, int]]:
    """(article id, sentence index) of the sentences the ``statements`` were read from, in
    order: the graph's ``kg:Sentence`` nodes, counted as "evidence sentences" by kg build,
    kg validate, kg stats and the pages (a header's statements have none)."""
    return sorted({(st[3], st[4]) for st in statements if st[4] >= 0})


def assertions(articles: list[Article], entities: list[Entity], statements: list[tuple]
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
        if a.authors:  # dcterms:creator is a set: the byline keeps the header's order
            add((node, _K["byline"], _zh(BYLINE_SEPARATOR.join(a.authors))))
        if a.source:
            add((node, _SOURCE, _zh(a.source)))
        if a.date:
            add((node, _DATE, literal(a.date, datatype=_DATE_TYPES[a.date.count("-")])))

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

    for art, idx in evidence_sentences(statements):
        sent = by_id[art].sentences[idx]
        node = sentence_iri(art, idx)
        add((node, RDF_TYPE, _K["Sentence"]))
        add((node, _K["text"], _zh(sent.text)))
        add((node, _K["inArticle"], article_iri(art)))
        add((node, _K["beginOffset"], integer(sent.start)))
        add((node, _K["endOffset"], integer(sent.end)))
    return g


# The predicates of a reified statement, by whether it has a subject and an object text.
_SHAPES = {(has_s, has_o): (RDF_TYPE, _SUBJECT, _PREDICATE, _OBJECT, _DERIVED, _K["rule"])
           + ((_K["subjectText"],) if has_s else ()) + ((_K["objectText"],) if has_o else ())
           for has_s in (False, True) for has_o in (False, True)}


def _reified(statement: tuple) -> tuple[tuple, list[tuple]]:
    """A statement's node and its (predicate, object) pairs."""
    s, p, o, art, idx, rule, s_text, o_text = statement
    node = _statement_iri(s[1], p[1], o[1], art, str(idx), rule)
    source = article_iri(art) if idx < 0 else sentence_iri(art, idx)
    objects = [_STATEMENT, s, p, o, source, literal(rule)]
    objects += [_zh(text) for text in (s_text, o_text) if text is not None]
    return node, list(zip(_SHAPES[s_text is not None, o_text is not None], objects))


def statement_triples(statements: list[tuple]) -> Iterator[tuple]:
    """The triples ``add_statements`` adds, one statement at a time."""
    for st in statements:
        node, pairs = _reified(st)
        for p, o in pairs:
            yield node, p, o


def add_statements(g: Triples, statements: list[tuple]) -> Triples:
    """Reify each statement of ``statements_of``: an ``rdf:Statement`` derived from its
    sentence (or, for a header's authors, its article) by its rule."""
    for st in statements:
        g.add_all(*_reified(st))
    return g


def turtle(g: Triples, statements: list[tuple]) -> tuple[str, int]:
    """kg.ttl: the Turtle of ``g`` and of the reified ``statements`` (the bytes of
    ``rdftext.turtle(add_statements(g, statements))``), and its number of triples. The
    statements, most of the triples, are written straight from their records
    (``statement_part``), the rest of the graph by ``rdftext.turtle_part``; the two
    parts have no subject in common (statement nodes are ``kgd:stmt-…``)."""
    used, chunks, count = statement_part(statements)
    return rdftext.turtle_of_parts([rdftext.turtle_part(g), (used, chunks)]), len(g) + count


def statement_part(statements: list[tuple]) -> tuple[set, list, int]:
    """The Turtle of the reified ``statements`` as ``rdftext.turtle_part`` gives it for
    ``add_statements(Triples(), statements)`` -- the prefixes used, and (node IRI, text)
    chunks in node order -- and its number of triples. Several times faster: each
    statement is one subject of a known shape, and its texts are looked up by string.
    Statements that differ only in their surface texts have one node: such a node is
    written from its triples, as in the whole graph."""
    writer = rdftext.SubjectWriter()
    term_text = writer.texts
    by_iri: dict[str, str] = {}  # IRI -> text (entities, predicates, articles, sentences)
    by_string: dict[str, str] = {}  # Chinese surface text -> literal text
    rules: dict[str, str] = {}
    statement_type = term_text[_STATEMENT]
    stmt = writer.prefixed(DATA_NS)  # "kgd:": the local names stmt-<hex> are safe
    chunks = []
    for s, p, o, art, idx, rule, s_text, o_text in statements:
        digest = _statement_digest((s[1], p[1], o[1], art, str(idx), rule))
        node = f"{DATA_NS}stmt-{digest}"
        source = article_iri(art) if idx < 0 else sentence_iri(art, idx)
        values = [statement_type]
        for term in (s, p, o, source):
            text = by_iri.get(term[1])
            if text is None:
                text = by_iri[term[1]] = term_text[term]
            values.append(text)
        text = rules.get(rule)
        if text is None:
            text = rules[rule] = term_text[literal(rule)]
        values.append(text)
        for surface in (s_text, o_text):
            if surface is not None:
                text = by_string.get(surface)
                if text is None:
                    text = by_string[surface] = term_text[_zh(surface)]
                values.append(text)
        template, order = writer.template(_SHAPES[s_text is not None, o_text is not None])
        head = f"{stmt}stmt-{digest}" if stmt else term_text[iri(node)]
        chunks.append((node, template.format(head, *[values[i] for i in order]), len(values)))
    chunks.sort(key=lambda c: c[0])
    shared = {a[0] for a, b in zip(chunks, chunks[1:]) if a[0] == b[0]}
    if shared:
        merged = Triples()
        for st in statements:
            node, pairs = _reified(st)
            if node[1] in shared:
                merged.add_all(node, pairs)
        used, part = rdftext.turtle_part(merged)
        writer.used |= used
        chunks = [c for c in chunks if c[0] not in shared] + [(n, t, 0) for n, t in part]
        chunks.sort(key=lambda c: c[0])
        return writer.used, [(n, t) for n, t, _ in chunks], sum(c[2] for c in chunks) + len(merged)
    return writer.used, [(n, t) for n, t, _ in chunks], sum(c[2] for c in chunks)


def build_graph(articles: list[Article], entities: list[Entity],
                relations: list[tuple[Entity, str, Entity, Relation]]):
    """The same graph as an rdflib Graph."""
    return build_triples(articles, entities, relations).to_rdflib()
