"""How institutions are named: whole names of branches, departments and offices, and no
institution made of a word around a name."""

from __future__ import annotations

import pytest

from kg.explain import explain


@pytest.mark.parametrize("text, present, absent", [
    # a bank's branch is an institution of its own, also after the legal form of the name
    ("中国人民银行杭州中心支行指导辖内银行开展普惠金融服务。", {"中国人民银行杭州中心支行"}, {"内银行"}),
    ("中国建设银行股份有限公司宁波市分行推出新产品。", {"中国建设银行股份有限公司宁波市分行"}, set()),
    # 旗下 marks a subsidiary: two institutions, not one
    ("蚂蚁集团旗下网商银行推出新的信贷技术。", {"蚂蚁集团", "网商银行"}, {"蚂蚁集团旗下网商银行"}),
    # a department of a Party committee, a street office
    ("临江市委网信办会同市公安局开展专项行动。", {"临江市委网信办", "市公安局"}, set()),
    ("江口街道办事处探索网格化治理。", {"江口街道办事处"}, set()),
    # an aim named like a kind of enterprise is none (稳企业: the lexicon says a concept)
    ("稳就业、稳企业、稳市场、稳预期，政策工具箱动态完善。", set(), {"稳企业"}),
    # a local body kept whole with its place, fields joined by 和 included, not an association
    ("临江市发展和改革委员会会同市财政局研究制定。", {"临江市发展和改革委员会", "市财政局"},
     {"改革委员会"}),
    ("省发展改革委、省财政厅联合印发通知。", {"省发展改革委", "省财政厅"}, set()),
    # a branch named by a place word that is no known region, a numbered sub-office
    ("临江农商银行吴兴支行为企业发放贷款。", {"临江农商银行吴兴支行"}, set()),
    # ... and a branch before 为, which jieba would cut as 分/行为
    ("中国农业发展银行芜湖市分行为管网更新提供贷款。", {"中国农业发展银行芜湖市分行"}, set()),
    # a government department named by its place and a generic name jieba cuts (医疗/保障局)
    ("受潍坊市医疗保障局委托，公司开展试点。", {"潍坊市医疗保障局"}, set()),
    # an insurer named by …人寿 and its provincial branch
    ("齐安人寿山东分公司开展长期护理保险试点。", {"齐安人寿山东分公司", "齐安人寿"}, set()),
    ("临江市税务局第一税务分局推出新举措。", {"临江市税务局第一税务分局"}, set()),
    # an exchange and a hospital keep their place
    ("东海股权交易中心设立专板。", {"东海股权交易中心"}, {"股权交易中心"}),
    ("临江市第一人民医院开通了互联网诊疗服务。", {"临江市第一人民医院"}, {"人民医院"}),
    # a discipline body jieba cuts as a name
    ("纪检监察机关要加强监督。", {"纪检监察机关"}, set()),
    # a generic actor only before a noun or a place, in no relation, is part of a name
    ("临江路街道东湖新村居委会开展活动。", set(), {"街道"}),
    # ... but one that carries out the measure it sits in stays
    ("要推动金融机构信贷投放提质增效。", {"金融机构"}, set()),
    # ... and so does one that opens a topic (某某方面，)
    ("金融机构方面，政策性银行要发挥逆周期调节作用。", {"金融机构", "政策性银行"}, set()),
    # the local authorities as a whole, given work
    ("各地要落实属地责任。", {"各地"}, set()),
    # names listed before 等 and a kind of institution
    ("青禾、云杉等评级机构下调了评级。", {"青禾", "云杉", "评级机构"}, set()),
    # a sector before 等 is no name
    ("银行、保险等金融机构要加强合作。", {"金融机构"}, {"保险"}),
    # the writer's own city and an office facility word
    ("由市大数据中心承担平台建设任务。", {"市大数据中心"}, {"大数据中心"}),
    # a measure verb is no part of a kind of enterprise
    ("会议部署农业企业融资协调工作。", set(), {"会议部署农业企业"}),
    # the writer's own government, a company named with a verbal noun, a working group
    ("区政府与国网临江供电公司签署了合作协议。", {"区政府", "国网临江供电公司"}, set()),
    ("当地成立了数字人民币试点工作专班。", {"数字人民币试点工作专班"}, set()),
    # an office facility named with a place jieba does not know before its 市
    ("临溪市城市运行管理中心汇聚了各部门数据。", {"临溪市城市运行管理中心"}, {"市城市运行管理中心"}),
    # 有关公司 is no company's name
    ("公安局同有关公司展开合作。", set(), {"有关公司"}),
    # the verb before a list is no name of it; a city's own government, a group's office
    ("将持续深化与青禾、云杉等评级机构的合作。", {"青禾", "云杉"}, {"深化"}),
    ("临溪市数字人民币试点工作领导小组办公室设在市金融办。",
     {"临溪市数字人民币试点工作领导小组办公室", "市金融办"}, set()),
    ("英伟达、微软等国外企业也在加快布局。", {"国外企业"}, set()),
    # an insurer's group name with （集团） before its head
    ("东海人寿保险（集团）公司旗下养老公司开业。", {"东海人寿保险（集团）公司"}, set()),
    # a kind of enterprise before a company's name is no part of it; a macro-region's office;
    # a street's own party body after its name
    ("本地企业云岫智联科技有限公司开发了小程序。", {"云岫智联科技有限公司"}, {"企业云岫智联科技有限公司"}),
    ("长三角区域合作办公室发布了数据标准。", {"长三角区域合作办公室"}, set()),
    ("鹤溪街道党工委书记李明远表示。", {"鹤溪街道党工委"}, set()),
    # the short name an article gives a body in brackets is that body's: a mention of it
    # (its altLabel, test_resolve_names), no node of its own
    ("临溪市城市运行管理中心（以下简称“城运中心”）是中枢。", {"临溪市城市运行管理中心"}, {"城运中心"}),
    # a generic head (政务服务中心) in an article naming one body by a place and that head is
    # that body: no node of its own, inside the name or on its own
    ("西湖区政务服务中心推出帮办服务。政务服务中心还设立了专窗。", {"西湖区政务服务中心"}, {"政务服务中心"}),
    # ... but with two such bodies it names neither
    ("西湖区政务服务中心和上城区政务服务中心推出帮办服务。政务服务中心还设立了专窗。",
     {"西湖区政务服务中心", "上城区政务服务中心", "政务服务中心"}, set()),
])
def test_institution_names(expect_labels, text, present, absent):
    expect_labels(text, "Institution", present, absent)


def test_a_branch_is_part_of_its_bank(triples):
    rels = triples("中国人民银行杭州中心支行召开会议。")
    assert ("中国人民银行杭州中心支行", "partOf", "中国人民银行") in rels, rels


@pytest.mark.parametrize("text, branch, measure", [
    ("中国人民银行湖南省分行将推动普惠小微贷款扩面增量。", "中国人民银行湖南省分行", "推动普惠小微贷款扩面增量"),
    ("国家金融监督管理总局湖南监管局将完善小微企业金融服务监管评价。",
     "国家金融监督管理总局湖南监管局", "完善小微企业金融服务监管评价"),
])
def test_a_branch_undertakes_its_measure_and_not_its_parent(triples, text, branch, measure):
    rels = triples(text)
    assert (branch, "undertakes", measure) in rels, rels
    assert not any(p == "undertakes" and o == measure and s != branch for s, p, o in rels), rels


def test_an_industry_association_is_no_body_of_the_bank_its_name_starts_with(triples):
    # 中国银行业协会: the association of the banking industry (银行业), not of 中国银行
    rels = triples("中国银行业协会发布年度报告。")
    assert not any(s == "中国银行业协会" and p == "partOf" for s, p, _ in rels), rels


def test_explain_says_why_a_generic_head_is_no_node():
    out = explain("西湖区政务服务中心推出帮办服务。政务服务中心还设立了专窗。")
    assert "(dropped): “政务服务中心” -> 政务服务中心:GovernmentBody: the generic head of 西湖区政务服务中心" in out
    assert "(renamed): “政务服务中心” -> 政务服务中心:GovernmentBody -> 西湖区政务服务中心" in out


def test_a_short_name_keeps_the_full_name_and_a_kind_is_no_short_name(extractor):
    """宁波银行股份有限公司（以下简称“宁波银行”）: the bank is also named by its legal name;
    银行 later on (导致银行不敢贷) names banks in general, not the article's bank."""
    from kg.ruletest import article_of

    x = extractor.extract(article_of(
        "宁波银行股份有限公司（以下简称“宁波银行”）日前推出“专精特新贷”。"
        "宁波银行普惠金融部总经理赵明介绍，担保不足等问题导致银行不敢贷。"))
    alts = {a for m in x.mentions if m.label == "宁波银行" for a in m.alts}
    assert "宁波银行股份有限公司" in alts
    assert "银行" not in alts


@pytest.mark.parametrize("text, body, place", [
    # jieba cuts an unknown county or city from its unit: the institution keeps the place,
    # so two counties' banks are two nodes, not one 农商银行
    ("青溪县农商银行推出“整村授信”模式。", "青溪县农商银行", "青溪县"),
    ("东港县农商银行推出新产品。", "东港县农商银行", "东港县"),
    ("北川市科技局发布通知。", "北川市科技局", "北川市"),
    # a public centre named by its place and field is an institution of the place
    ("青溪县大数据发展中心牵头建设了县级数据共享平台。", "青溪县大数据发展中心", "青溪县"),
    ("青溪县融媒体中心推出了短视频专栏。", "青溪县融媒体中心", "青溪县"),
])
def test_an_institution_keeps_the_place_jieba_cuts_off(labels, triples, text, body, place):
    assert body in labels(text, "Institution")
    assert (body, "locatedIn", place) in triples(text)
    assert not {"农商银行", "科技局", "东港"} & (labels(text, "Institution") | labels(text, "Product"))


def test_a_demonstrative_names_the_bank_and_not_the_kind_said_of_it(triples):
    rels = triples("临江银行是一家扎根本地的城市商业银行。该行行长王建国表示，将加大对小微企业的支持。")
    assert ("王建国", "affiliatedWith", "临江银行") in rels, rels
    assert ("王建国", "affiliatedWith", "城市商业银行") not in rels, rels


def test_a_locative_is_no_part_of_an_enterprise_kind(labels):
    assert labels("重点支持辖内科技型中小企业。", "Institution") == {"科技型中小企业"}


def test_a_verb_of_use_tagged_as_a_noun_is_no_part_of_a_name(labels):
    text = "青溪县农商银行推出“整村授信”模式，利用农户信用信息评价体系，为农户建立信用档案。"
    assert "利用农户" not in labels(text, "Institution")
    assert "农户信用信息评价体系" in labels(text, "Concept")
    assert not any(x.startswith("利用") for x in labels(text, "Concept"))


@pytest.mark.parametrize("text, body, person", [
    # jieba's 局局长 would cut the body's name short (发展/局局长)
    ("东港市大数据发展局局长吴刚介绍了情况。", "东港市大数据发展局", "吴刚"),
    ("临江市数据资源管理局局长王芳表示。", "临江市数据资源管理局", "王芳"),
    # ... and 市委常委: the city's Party committee is a body of its own
    ("这家银行是时任临江市委常委、常务副市长的王建国同志推动成立的。", "临江市委", "王建国"),
])
def test_a_post_after_a_body_leaves_the_body_whole(triples, text, body, person):
    assert (person, "affiliatedWith", body) in triples(text)
