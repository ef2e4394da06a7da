"""Places, meetings and documents: names of towns, clusters and zones, where a meeting is
held, places as examples of a kind of area, and documents with long titles."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, present, absent", [
    # a town, a village and a street named with their unit word
    ("临湖镇居民说，如今办事方便了。", {"临湖镇"}, set()),
    ("在杨柳村，村民们说。", {"杨柳村"}, set()),
    # kinds of villages are no places
    ("建设示范村，帮扶贫困村。", set(), {"示范村", "贫困村"}),
    # a metropolitan area named by its core place
    ("临江都市圈正在推动政务服务同城化。", {"临江都市圈"}, set()),
    # an autonomous prefecture
    ("湘西土家族苗族自治州推出新举措。", {"湘西土家族苗族自治州"}, set()),
    # short forms of a group of provinces and classes of areas
    ("川渝两地已有300项事项实现跨省通办。", {"川渝"}, set()),
])
def test_place_names(expect_labels, text, present, absent):
    expect_labels(text, "Region", present, absent)


def test_a_cluster_does_not_lie_in_its_core_place(triples):
    rels = triples("南京都市圈推动政务服务同城化。")
    assert ("南京都市圈", "locatedIn", "南京") not in rels, rels


@pytest.mark.parametrize("text, event, place", [
    ("第五届东海数字经济论坛11日在临江市举行。", "东海数字经济论坛", "临江市"),
    ("在广东省临江市召开的东海数字经济大会上，专家发言。", "东海数字经济大会", "临江市"),
])
def test_a_meeting_is_located_where_it_is_held(triples, text, event, place):
    rels = triples(text)
    assert any(s.endswith(event) and p == "locatedIn" and o == place for s, p, o in rels), rels


def test_places_listed_before_a_kind_of_area_exemplify_it(triples):
    rels = triples("临江市、宜丰县等改革开放前沿阵地先行先试。")
    assert ("宜丰县", "exemplifies", "改革开放前沿阵地") in rels, rels


def test_a_long_title_in_book_marks_is_a_document(labels, alt_labels):
    text = "某局发布了《临江市加快建设具有全球影响力的人工智能创新策源地实施方案（2023—2025年）》。"
    full = "临江市加快建设具有全球影响力的人工智能创新策源地实施方案（2023—2025年）"
    assert full in labels(text, "Document")
    assert "临江市加快建设具有全球影响力的人工智能创新策源地实施方案" in alt_labels(text, full)


@pytest.mark.parametrize("text, expected", [
    # a place at the start of a name stays a place, where the name is located
    ("柳溪县农商银行推出了新产品。", ("柳溪县农商银行", "locatedIn", "柳溪县")),
    ("柳溪县供销合作社搭建了电商平台。", ("柳溪县供销合作社", "locatedIn", "柳溪县")),
    # a village body and a co-operative named by their place
    ("在杨柳村，杨柳村党支部书记王建国说。", ("杨柳村党支部", "locatedIn", "杨柳村")),
    ("在溪口镇，溪口镇茶叶专业合作社拿到了贷款。", ("溪口镇茶叶专业合作社", "locatedIn", "溪口镇")),
    # a county written right before a town of it
    ("走进清河县柳溪镇，村民正忙着采茶。", ("柳溪镇", "locatedIn", "清河县")),
    ("青溪县城关镇推出了“邻里通”小程序。", ("城关镇", "locatedIn", "青溪县")),
    # 该县 names the county met last
    ("柳溪县是农业大县。该县上线了“惠农快贷”平台。", ("惠农快贷", "locatedIn", "柳溪县")),
])
def test_places_at_the_start_of_rural_names(triples, text, expected):
    rels = triples(text)
    assert expected in rels, rels


@pytest.mark.parametrize("text, country, linked", [
    # named only inside bodies' names: a word of the names, no place of its own
    ("中国银行业协会发布了报告，中国人民银行设立了专项再贷款。", False, False),
    # named on its own too (also as 我国): the place readers mark, the bodies located in it
    ("中国银行业协会发布了报告，我国消费金融市场发展迅速。", True, True),
    ("中国银行业协会发布了报告，中国消费金融市场发展迅速。", True, True),
])
def test_a_country_named_only_inside_names_is_no_place(labels, triples, text, country, linked):
    assert ("中国" in labels(text, "Region")) == country
    assert (("中国银行业协会", "locatedIn", "中国") in triples(text)) == linked


def test_a_document_named_after_a_place_in_book_marks_lies_there(triples):
    rels = triples("近日，河南省人民政府办公厅印发《河南省提振消费若干措施》。")
    assert ("河南省提振消费若干措施", "locatedIn", "河南省") in rels, rels


@pytest.mark.parametrize("text, named, not_named", [
    # a city or county named with its suffix is named by its stem in the later sentences
    ("余姚市推出“姚惠贷”。去年，余姚新增贷款120亿元。", {("余姚", "余姚市")}, set()),
    ("临溪县推广助农服务。临溪是产茶大县。", {("临溪", "临溪县")}, set()),
    # not inside the names of other things, not as a modifier, not in quotes
    ("余姚市推出新举措。余姚农商银行推出“余姚e贷”，汇聚余姚力量。", set(), {"余姚"}),
    # not before the full name is met, nor a stem of two places (江东市 and 江东省)
    ("余姚新增贷款。余姚市推出新举措。", set(), {"余姚"}),
    ("江东市推出新举措。江东省发布规划。江东是制造业大省。", set(), {"江东"}),
])
def test_a_place_is_named_by_its_stem_after_its_full_name(extractor, text, named, not_named):
    from kg.ruletest import article_of

    vocab = extractor.rs.vocab
    got = {(m.surface, m.label) for m in extractor.extract(article_of(text)).mentions
           if vocab.core(m.cls) == "Region"}
    assert named <= got, got
    assert not {s for s, _ in got} & not_named, got


@pytest.mark.parametrize("text, label, cls", [
    ("江山市的村民来了。", "江山市", "City"),      # one word with its unit
    ("北川市科技局发布通知。", "北川市", "City"),   # cut from its unit by jieba
    ("平湖县的村民来了。", "平湖县", "District"),
    ("临近中午，江山区的村民来了。", "江山区", "District"),
])
def test_a_place_named_with_shi_is_a_city(extractor, text, label, cls):
    from kg.ruletest import article_of

    got = {m.label: m.cls for m in extractor.extract(article_of(text)).mentions}
    assert got.get(label) == cls, got
