"""Names: short forms merge within a class; one class per label in an article."""

from __future__ import annotations

import pytest

from kg import ontology
from kg.model import Article, Extraction, Mention
from kg.names import normalise, short_forms
from kg.resolve import one_class_per_label, resolve


@pytest.mark.parametrize("core, name, forms", [
    ("Region", "成都市", ["成都"]),
    ("Region", "河北省", ["河北"]),
    ("Region", "上海", []),
    ("Problem", "融资难题", ["融资难"]),
    ("Problem", "数据孤岛问题", ["数据孤岛"]),
    ("Institution", "成都市", []),          # only the classes of the table
    ("Region", "市", []),                   # nothing too short is left
    ("Concept", "区块链技术", ["区块链"]),    # a technology and its name without 技术
    ("Concept", "新技术", []),
])
def test_short_forms(core, name, forms):
    assert short_forms(core, normalise(name)) == forms


def _m(label, cls, start=0):
    return Mention("a", 0, start, start + len(label), label, label, cls, "r")


def test_short_forms_merge_into_one_entity():
    vocab = ontology.load()
    art = Article("a", "成都市 成都", ())
    ents, _ = resolve([Extraction(art, [_m("成都市", "City"), _m("成都", "City", 4)], [])], vocab, {})
    assert [(e.label, sorted(e.alt_labels)) for e in ents] in ([("成都", ["成都市"])], [("成都市", ["成都"])])


def test_a_technology_and_its_short_name_are_one_entity_across_articles():
    vocab = ontology.load()
    a, b = Article("a", "区块链技术", ()), Article("b", "区块链", ())
    ents, _ = resolve([Extraction(a, [_m("区块链技术", "Technology")], []),
                       Extraction(b, [Mention("b", 0, 0, 3, "区块链", "区块链", "Technology", "r")], [])],
                      vocab, {})
    assert [(e.label, sorted(e.alt_labels)) for e in ents] in (
        [("区块链技术", ["区块链"])], [("区块链", ["区块链技术"])]), ents


@pytest.mark.parametrize("mentions, label", [
    # a place by its full name, however often the short one was met: 杭州 three times beside
    # 杭州市 once is still 杭州市 (the IRI does not depend on the other articles of a build)
    ([("杭州市", "City"), ("杭州", "City"), ("杭州", "City"), ("杭州", "City")], "杭州市"),
    ([("杭州", "City")], "杭州"),
    # a problem by its short name
    ([("融资难题", "Problem"), ("融资难题", "Problem"), ("融资难", "Problem")], "融资难"),
])
def test_the_label_of_merged_names(mentions, label):
    vocab = ontology.load()
    ms, at = [], 0
    for name, cls in mentions:
        ms.append(_m(name, cls, at))
        at += len(name) + 1
    ents, _ = resolve([Extraction(Article("a", " ".join(n for n, _ in mentions), ()), ms, [])],
                      vocab, {})
    assert [e.label for e in ents] == [label]


def test_a_concept_reading_yields_to_a_more_specific_class():
    vocab = ontology.load()
    ms, changed = one_class_per_label([_m("蓉易贷", "Concept"), _m("蓉易贷", "FinancialProduct", 5),
                                       _m("数字金融", "Concept", 9)], vocab)
    assert [m.cls for m in ms] == ["FinancialProduct", "FinancialProduct", "Concept"]
    assert len(changed) == 1


@pytest.mark.parametrize("text, district, full", [
    ("上海临港新片区推出了新的年金计划。", "临港新片区", "上海临港新片区"),
    ("河北雄安新区率先推出自动加入机制。", "雄安新区", "河北雄安新区"),
])
def test_a_place_written_after_its_container_is_one_entity(extractor, text, district, full):
    from kg.pipeline import resolve_extractions
    from kg.ruletest import article_of
    ents, _ = resolve_extractions([extractor.extract(article_of(text))])
    districts = [e for e in ents if e.cls == "District"]
    # one node, named by its own name, that also answers to the name written with its container
    assert [e.label for e in districts] == [district]
    assert full in districts[0].alt_labels


@pytest.mark.parametrize("text, full, short, cls, merged", [
    ("蓝海银行股份有限公司（以下简称“海行”）成立。海行推出贷款。",
     "蓝海银行股份有限公司", "海行", "Bank", True),
    ("《关于推进某某工作的意见》（以下简称《意见》）印发。《意见》提出。",
     "关于推进某某工作的意见", "意见", "Document", True),
    ("蓝海银行股份有限公司成立。海行推出贷款。",  # no bracket: two entities
     "蓝海银行股份有限公司", "海行", "Bank", False),
])
def test_a_short_name_given_in_brackets_is_the_same_entity(text, full, short, cls, merged):
    vocab = ontology.load()
    start = text.index(full)
    later = text.rindex(short)
    art = Article("a", text, ())
    ms = [Mention("a", 0, start, start + len(full), full, full, cls, "r"),
          Mention("a", 0, later, later + len(short), short, short, cls, "r")]
    ents, _ = resolve([Extraction(art, ms, [])], vocab, {})
    assert (len(ents) == 1) == merged
    if merged:
        assert ents[0].label == full


@pytest.mark.parametrize("surface, alt", [
    ("“浙里办”App", "浙里办"),              # a quoted name with its kind is the name
    ("《“十四五”数字经济发展规划》", None),   # a quoted word inside a title is no name of it
])
def test_the_quoted_core_of_a_name(surface, alt):
    from kg import rules
    from kg.extract import clean_span
    cleanup = rules.load(None, ontology.load()).cleanup
    _, _, _, alts = clean_span(surface, 0, len(surface), cleanup)
    assert (alt in alts) if alt else not any("十四五" in a for a in alts)
@pytest.mark.parametrize("text, full, short, relation", [
    # a short name given in brackets names the same entity later in the article
    ("青禾农村商业银行股份有限公司（下称“青禾农商行”）成立于2008年。\n\n青禾农商行推出了“禾易贷”。",
     "青禾农村商业银行", "青禾农商行", ("offers", "禾易贷")),
    ("蓝海市综合金融服务平台（简称“蓝金通”）上线运行。借助“蓝金通”，蓝海银行推出了“链e贷”。",
     "蓝海市综合金融服务平台", "蓝金通", None),
    ("《蓝海市数据条例》（以下简称《条例》）正式施行。《条例》明确了数据安全责任。",
     "蓝海市数据条例", "条例", None),
    # ... also unquoted (简称某某)
    ("青禾村镇银行股份有限公司（以下简称青禾村行）成立于2010年。青禾村行推出了“禾易贷”。",
     "青禾村镇银行", "青禾村行", ("offers", "禾易贷")),
])
def test_a_short_name_given_in_brackets_is_the_same_entity(extractor, text, full, short, relation):
    from kg.pipeline import resolve_extractions
    from kg.ruletest import article_of
    ents, rels = resolve_extractions([extractor.extract(article_of(text))])
    named = [e for e in ents if e.label == short or short in e.alt_labels]
    # one node, the short form an altLabel of the full name's node
    assert [e.label for e in named] == [full]
    # a company form before the bracket makes the whole name an altLabel too
    if "股份有限公司（" in text:
        assert full + "股份有限公司" in named[0].alt_labels
    if relation:
        assert any(s is named[0] and p == relation[0] and o.label == relation[1]
                   for s, p, o, _ in rels)


def test_a_title_short_name_needs_its_title_marks(extractor):
    from kg.pipeline import resolve_extractions
    from kg.ruletest import article_of
    text = "《蓝海市发展规划》（以下简称《规划》）印发。各区要编制本区的规划。"
    ents, _ = resolve_extractions([extractor.extract(article_of(text))])
    doc = next(e for e in ents if e.label == "蓝海市发展规划")
    # the plain word later is no mention of the title
    assert [m.surface for m in doc.mentions if m.surface == "规划"] == ["规划"]
