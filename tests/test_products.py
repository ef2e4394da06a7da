"""Products, platforms and programmes: the labels a reader gives the named offerings of a text."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, present, absent", [
    # a quoted name before a service and a mini-program (one node: the name, the whole its
    # alternative name), a quoted digital assistant
    ("居民常用“临江通达”便民服务小程序办事。", {"临江通达"}, {"临江通达便民服务小程序"}),
    ("市民可以咨询“临江智能管家”。", {"临江智能管家"}, set()),
    ("它已成为群众身边的“管家”。", set(), {"管家"}),
    # the kind written after a quoted name is the same thing, not a second one; two quoted
    # names side by side are two
    ("鄞州区建设了“一网统管”城市运行管理平台。", {"一网统管"}, {"城市运行管理平台"}),
    ("推出“苏科贷”“苏农贷”等系列产品。", {"苏科贷", "苏农贷"}, set()),
    # a quoted line of a policy is a measure, not a product name ending in 系统
    ("方案提出“加快构建完善充电桩运维生态系统”等要求。", set(), {"加快构建完善充电桩运维生态系统"}),
    # a kind of financial product, not a manner, plain money, a policy's tool or a loan's terms
    ("发行跨境绿色债券，提供优惠利率贷款。", {"跨境绿色债券", "优惠利率贷款"}, set()),
    ("利率是央行重要的宏观调控工具。", set(), {"宏观调控工具"}),
    ("对困难企业给予资金补贴。", set(), {"资金补贴"}),
    ("银行可与借款人合理商定贷款偿还期限。", set(), {"合理商定贷款", "商定贷款"}),
    # a generic asset class is no product
    ("居民把储蓄投向股票和基金。", set(), {"股票"}),
    # well-known AI products and agents
    ("DeepSeek在人工智能领域脱颖而出。", {"DeepSeek"}, set()),
    ("具备多轮对话能力的智能体可帮助市民办事。", {"智能体"}, set()),
    # a programme set up or carried out: an earmarked 专项, a 工程 named with verbs of its field
    ("今年财政设立了老旧小区改造专项，支持社区建设。", {"老旧小区改造专项"}, set()),
    ("规划提出建设数据标注能力提升工程。", {"数据标注能力提升工程"}, set()),
    ("完成了年度计划。", set(), {"年度计划"}),
    # a lending verb or a manner is no product of finance
    ("根据契约向受信人放贷。", set(), {"信人放贷", "受信人放贷"}),
    ("为车主提供科学合理保险保障。", set(), {"科学合理保险"}),
    # quoted names of the 某某保 and 某某指数 kind are products; a slogan with 保 is not
    ("“临江惠企保”今年参保人数突破百万。", {"临江惠企保"}, set()),
    ("每月发布“临江小微景气指数”。", {"临江小微景气指数"}, set()),
    ("做到“应保尽保”。", set(), {"应保尽保"}),
    # a kind of financial product after 丰富 or a means word; a known product with 产品 after
    # it is that product
    ("要丰富养老金融产品，满足多样化需求。", {"养老金融产品"}, set()),
    ("商户通过消费分期工具获得资金。", {"消费分期工具"}, set()),
    ("持续丰富商业车险产品。", {"商业车险"}, {"商业车险产品"}),
    # 理财产品 is a kind of product readers name; a bare 金融产品 is not
    ("居民可以购买储蓄存款、理财产品等金融产品。", {"储蓄存款", "理财产品"}, {"金融产品"}),
    # a known kind of loan after 全市 is that kind, without the place word
    ("目前，全市普惠型小微企业贷款平均利率为4.1%。", {"普惠型小微企业贷款"}, {"全市普惠型小微企业贷款"}),
    # a quoted name is not cut into a product kind inside it
    ("东海银行推出“抵押快贷”。", {"抵押快贷"}, {"快贷"}),
    # a rate or a balance of loans holds no product; a generic good service is no product
    ("一季度，新发放企业贷款平均利率为3.5%。", set(), {"企业贷款"}),
    ("金融机构应为实体经济提供优质金融服务。", set(), {"优质金融服务"}),
    # a company running a platform does not enter the platform's name
    ("临江数科公司负责平台运营。", set(), {"临江数科公司负责平台"}),
    # a name in corner quotes or ASCII double quotes is quoted as one in “”
    ('临江银行推出"链e贷"产品，破解融资难问题。', {"链e贷"}, set()),
    ("临江银行推出「链e贷」产品，破解融资难问题。", {"链e贷"}, set()),
    ("临江银行推出『链e贷』产品，破解融资难问题。", {"链e贷"}, set()),
])
def test_product_labels(expect_labels, text, present, absent):
    expect_labels(text, "Product", present, absent)


def test_financial_system_is_an_actor(expect_labels):
    text = "金融系统要着力做好五篇大文章。"
    expect_labels(text, "Product", set(), {"金融系统"})
    expect_labels(text, "Institution", {"金融系统"}, set())


@pytest.mark.parametrize("text, present, absent", [
    # adjacent quoted names are two items of a list, not one name
    ("临江市整合“临江办”“临江管”等平台。", {("临江办", "Product"), ("临江管", "Product")}, {("临江办临江管", "Product")}),
    ("“甲乙网页”“丙丁快办”等特色服务一目了然。", {("甲乙网页", "Product"), ("丙丁快办", "Product")}, set()),
    # a quoted name ending in a word of a kind is no kind of the next name
    ("推出了“甲乙服务”“丙丁贷”。", {("甲乙服务", "Product"), ("丙丁贷", "Product")}, set()),
])
def test_adjacent_quoted_names(labels, text, present, absent):
    for label, core in present:
        assert label in labels(text, core), (text, label)
    for label, core in absent:
        assert label not in labels(text, core), (text, label)


@pytest.mark.parametrize("text, present, absent", [
    # each place of a list of 某地“某某办” owns its own product, not the first place all of them
    ("重庆“甲乙办”、湖北“丙丁办”等平台不断升级。",
     {("甲乙办", "locatedIn", "重庆"), ("丙丁办", "locatedIn", "湖北")},
     {("丙丁办", "locatedIn", "重庆")}),
    ("上海“甲乙办”“丙丁管”建设持续深化。",
     {("甲乙办", "locatedIn", "上海"), ("丙丁管", "locatedIn", "上海")}, set()),
])
def test_place_before_product_names_its_owner(triples, text, present, absent):
    got = triples(text)
    assert present <= got, (text, present - got)
    assert not (absent & got), (text, absent & got)


@pytest.mark.parametrize("text, present, absent", [
    # 面向 marks who is served, not who launches
    ("东海银行面向小微企业推出“甲乙贷”“丙丁贷”。",
     {("东海银行", "offers", "甲乙贷"), ("东海银行", "offers", "丙丁贷")},
     {("小微企业", "offers", "甲乙贷"), ("小微企业", "offers", "丙丁贷")}),
    # nor does 面向/针对 before a product of 的: the group is served, the subject launches
    ("东海银行推出面向小微企业的线上信用贷款产品。", {("东海银行", "offers", "线上信用贷款")},
     {("小微企业", "offers", "线上信用贷款")}),
    ("东海银行推出针对科技型企业的“甲乙贷”。", set(), {("科技型企业", "offers", "甲乙贷")}),
    # a kind before the name: the bank offers the named product, not "产品某e贷"
    ("临江银行推出线上信用贷款产品“链e贷”，支持小微企业。", {("临江银行", "offers", "链e贷")},
     {("临江银行", "offers", "产品链e贷"), ("临江银行", "offers", "线上信用贷款")}),
    # a later clause with an issue verb keeps the institution (the platform issues nothing)
    ("东海银行上线了“甲乙平台”，推出了“丙丁贷”等产品。", {("东海银行", "offers", "丙丁贷")}, set()),
    # two institutions that launched a product together both offer it
    ("“甲乙码”是东海银行联合东海市金融局推出的融资服务应用。",
     {("东海银行", "offers", "甲乙码"), ("东海市金融局", "offers", "甲乙码")}, set()),
    # an institution's own product named after 的, unquoted (a known product: offers.institution_de_known_product)
    ("江苏银行的苏科贷帮助科技型企业解决融资难题。", {("江苏银行", "offers", "苏科贷")}, set()),
])
def test_who_offers_a_product(triples, text, present, absent):
    got = triples(text)
    assert present <= got, (text, present - got)
    assert not (absent & got), (text, absent & got)


@pytest.mark.parametrize("text, label, cls, alt", [
    # a quoted name with its kind, found whole and as the name: one node, of the lexicon's
    # class (一网统管 is a platform there), the whole an alternative name
    ("下一步将推动“一网统管”平台与各部门系统融合。", "一网统管", "Platform", "一网统管平台"),
    ("上海市大数据中心表示，“一网通办”平台已接入3600余项事项。", "一网通办", "Platform", "一网通办平台"),
    # the kind after the name gives its finer class where the lexicon has none
    ("东海银行推出“甲乙贷”信用贷款产品。", "甲乙贷", "FinancialProduct", "甲乙贷信用贷款"),
    # the kind written before the name is the same thing: the kind's finer class
    ("临江银行推出线上信用贷款产品“链e贷”。", "链e贷", "FinancialProduct", "线上信用贷款产品链e贷"),
    ("该行开发了线上贷款平台“青禾e贷”，实现全流程线上办理。", "青禾e贷", "Platform", "线上贷款平台青禾e贷"),
])
def test_a_quoted_name_and_its_kind_are_one_node(extractor, text, label, cls, alt):
    from kg.ruletest import article_of

    products = [m for m in extractor.extract(article_of(text)).mentions
                if extractor.rs.vocab.core(m.cls) == "Product"]
    assert {m.label for m in products} == {label}, products
    assert {m.cls for m in products} == {cls}, products
    assert any(alt in m.alts for m in products), products  # the whole is another name of it
