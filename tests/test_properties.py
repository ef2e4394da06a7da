"""Property-based tests (hypothesis): arbitrary text never crashes the normaliser or the
matcher, offsets always index their own text, the Turtle always re-parses and every HTML
page escapes what it shows."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.model import Article, Entity, Mention, Relation
from kg.normalize import MAX_SENTENCE, normalize, split_sentences, to_simplified

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=8, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Arbitrary Unicode (no lone surrogates: they cannot exist in a decoded file), with the
# characters that matter here made frequent: Chinese, quotes, sentence ends, breaks.
CHINESE = st.sampled_from("网商银行推出微业贷产品杭州是智慧城市数字金融赋能新质生产力發展們")
MARKS = st.sampled_from(list("。！？；，、：“”《》「」（）【】□■ \u3000\t\n\r\ufeff") + ["\n\n", "\r\n"])
FULLWIDTH = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)
ANY = st.characters(blacklist_categories=("Cs",))
TEXT = st.lists(st.one_of(CHINESE, MARKS, FULLWIDTH, ANY, st.sampled_from(["AI", "6G", "ESG", "App"])),
                max_size=200).map("".join)


@FAST
@given(TEXT)
def test_normalize_never_crashes_and_offsets_index_the_text(body):
    text, sentences = normalize(body, "a")
    assert isinstance(text, str)
    for i, s in enumerate(sentences):
        assert s.index == i
        assert text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert len(s.text) <= MAX_SENTENCE
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))


@FAST
@given(TEXT, st.integers(min_value=1, max_value=40))
def test_split_sentences_spans_are_ordered_trimmed_and_capped(paragraph, cap):
    spans = split_sentences(paragraph, cap)
    for a, b in spans:
        assert 0 <= a < b <= len(paragraph)
        assert b - a <= cap
        piece = paragraph[a:b]
        assert piece == piece.strip()
    assert all(s1[1] <= s2[0] for s1, s2 in zip(spans, spans[1:]))
    # nothing but whitespace is lost
    covered = "".join(paragraph[a:b] for a, b in spans)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", paragraph)


@FAST
@given(TEXT)
def test_to_simplified_never_crashes(text):
    assert isinstance(to_simplified(text), str)


_EXTRACTOR = None


def extractor():
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from kg.pipeline import load_extractor

        _EXTRACTOR = load_extractor()
    return _EXTRACTOR


@settings(max_examples=40, deadline=None)
@given(TEXT)
def test_matcher_never_crashes_and_mentions_index_their_text(body):
    text, sentences = normalize(body, "a")
    article = Article("a", text, sentences)
    ex = extractor().extract(article)
    for m in ex.mentions:
        assert text[m.start:m.end] == m.surface
        s = sentences[m.sentence]
        assert s.start <= m.start <= m.end <= s.end
    for r in ex.relations:
        assert r.subject in ex.mentions and r.object in ex.mentions


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["网商银行", "推出", "了", "“", "微业贷", "”", "产品", "。",
                                 "杭州", "是", "智慧城市", "的", "，", "和", "、", "AI", "旗下"]),
                max_size=60).map("".join))
def test_matcher_on_dense_domain_text(body):
    text, sentences = normalize(body, "a")
    ex = extractor().extract(Article("a", text, sentences))
    for m in ex.mentions:
        assert text[m.start:m.end] == m.surface


# ------------------------------------------------------------------ graph and pages
LABEL = st.one_of(
    TEXT.filter(lambda t: t.strip()),
    st.sampled_from(['<script>alert("x")</script>', "</script><script>alert(1)</script>",
                     "a\"b'c\\d", "\x00\x01\x7f", "<!--", "]]>", "&amp;&lt;", "line\nbreak",
                     "{{ x }}", "${x}", "@zh", "\"\"\"", "<b onmouseover=alert(1)>"]))


def graph_of(label1: str, label2: str, article_title: str):
    from kg import rdf

    return rdf.build_graph(*resolved(label1, label2, article_title))


def resolved(label1: str, label2: str, article_title: str, surface2: str = ""):
    """(articles, entities, relations) of one sentence: label1 offers label2."""
    from kg.resolve import entity_key

    sentence_text = f"{label1}推出了{label2}。"
    text, sentences = normalize(sentence_text, "a")
    if not sentences:
        text, sentences = "句子。", normalize("句子。", "a")[1]
    s = sentences[0]
    article = Article("a", text, sentences, title=article_title, authors=(label2,))
    m1 = Mention("a", 0, s.start, s.start, "", label1, "Bank", "test.rule")
    m2 = Mention("a", 0, s.start, s.start, surface2, label2, "Product", "test.rule")
    e1 = Entity(entity_key("Institution", label1), "Bank", label1, {label1, label1 + "股份"}, [m1])
    e2 = Entity(entity_key("Product", label2), "Product", label2, {label2}, [m2])
    return [article], [e1, e2], [(e1, "offers", e2, Relation(m1, "offers", m2, "test.rule", "a", 0))]


@SLOW
@given(LABEL, LABEL, LABEL, LABEL)
def test_the_turtle_written_in_parts_is_the_turtle_of_the_whole_graph(label1, label2, title,
                                                                      surface):
    """kg build writes the reified statements apart from the rest: same bytes."""
    from kg import pipeline, rdf
    from kg.export import rdftext

    articles, entities, rels = resolved(label1, label2, title, surface)
    whole = rdf.build_triples(articles, entities, rels)
    for pages in (True, False):
        graph, text, count, rest = pipeline.graph_and_turtle(articles, entities, rels,
                                                             whole=pages)
        assert text == rdftext.turtle(whole)
        assert count == len(whole)
        if pages:  # the pages need the whole graph
            assert set(graph.plain()) == set(whole.plain())
        else:
            assert set(graph.plain()) < set(whole.plain())
            assert not any("/stmt-" in s[1] for s in graph.by_subject)
            # the statements left out, as a store gets them
            assert set(graph.plain()) | set(rdf.statement_triples(rest)) == set(whole.plain())


def test_two_statements_with_one_node_merge_as_in_the_whole_graph():
    """Statements differing only in their surface texts have one node: written whole."""
    from dataclasses import replace

    from kg import pipeline, rdf
    from kg.export import rdftext

    articles, entities, rels = resolved("网商银行", "大山雀", "标题", "“大山雀”")
    e1, p, e2, rel = rels[0]
    rels.append((e1, p, e2, replace(rel, object=replace(rel.object, surface="大山雀系统"))))
    whole = rdf.build_triples(articles, entities, rels)
    _, text, count, _ = pipeline.graph_and_turtle(articles, entities, rels, whole=False)
    assert text == rdftext.turtle(whole)
    assert count == len(whole)
    assert 'kg:objectText "“大山雀”"@zh, "大山雀系统"@zh ;' in text  # one node, both texts


@SLOW
@given(LABEL, LABEL, LABEL)
def test_turtle_always_reparses(label1, label2, title):
    import rdflib
    from rdflib.namespace import RDFS

    from kg.export import serialize

    g = graph_of(label1, label2, title)
    ttl = serialize(g, "ttl")
    back = rdflib.Graph().parse(data=ttl, format="turtle")
    assert len(back) == len(g)
    assert {str(o) for o in back.objects(None, RDFS.label)} == \
        {str(o) for o in g.objects(None, RDFS.label)}


PAYLOADS = ['<script>alert("x")</script>', "</script><script>alert(1)</script>",
            "<img src=x onerror=alert(1)>", "<b onmouseover=alert(1)>粗体</b>"]


@settings(max_examples=4, deadline=None)
@given(st.sampled_from(PAYLOADS), st.sampled_from(PAYLOADS), TEXT)
def test_every_page_escapes_what_it_shows(payload1, payload2, noise):
    from kg.pages import Records, write_pages

    records = resolved(noise.strip()[:20] + payload1, payload2, "标题" + payload1)
    with tempfile.TemporaryDirectory() as d:
        pages = write_pages(Path(d), Records(*records))
        assert pages
        for page in pages:
            html = page.read_text("utf-8")
            for payload in (payload1, payload2):
                assert payload not in html, (page.name, payload)
            # the payloads may appear escaped (&lt;, \u003c), never as markup
            for markup in ("<script>alert", "</script><script>", "<img src=x", "<b onmouseover"):
                assert markup not in html, (page.name, markup)
