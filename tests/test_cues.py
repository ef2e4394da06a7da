"""Cue rules and the relations layer: validation, shapes, and what `kg explain` says."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import ontology
from kg.errors import RuleError
from kg.explain import explain
from kg.rules import load as load_rules
from kg.ruletest import article_of, check_item

CUE = '''
[[cue]]
id = "cue.x"
predicate = "addresses"
words = ["缓解"]
examples = [{ text = "数字金融缓解了融资难。", relations = ["数字金融 addresses 融资难"] }]
'''


def write_rules(tmp_path: Path, text: str) -> Path:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "c.toml").write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize("text, expected", [
    (CUE.replace('predicate = "addresses"', 'predicate = "solves"'),
     "cue 'cue.x': predicate: unknown property 'solves'"),
    (CUE.replace('words = ["缓解"]', 'shape = "sideways"\nwords = ["缓解"]'),
     "cue 'cue.x': shape: 'sideways' is not one of"),
    (CUE.replace('words = ["缓解"]', 'shape = "nested"\nwords = ["缓解"]'),
     "cue 'cue.x': words: a cue of shape 'nested' takes no words"),
    (CUE.replace('words = ["缓解"]', ''), "cue 'cue.x': words: a cue needs at least one word"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓 解"]'),
     "cue 'cue.x': words: '缓 解' holds a space: a cue word is one word as the text writes it"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nsubject = ["Sentence"]'),
     "cue 'cue.x': subject: class 'Sentence' is not an entity class"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nsingle = true'),
     "cue 'cue.x': single: only a cue of shape 'contains' takes single, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nunless = ["借鉴"]'),
     "cue 'cue.x': unless: only a cue of shape 'contains' or 'nearby' takes unless, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\ntrim = ["难"]'),
     "cue 'cue.x': trim: only a cue of shape 'contains' takes trim, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'shape = "contains"\ntrim = []'),
     "cue 'cue.x': trim: name at least one ending"),
    (CUE.replace('words = ["缓解"]', 'shape = "contains"\nnesting = "outermost"'),
     "cue 'cue.x': nesting: 'outermost' is not one of inner, outer"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nsubject = ["Bnak"]'),
     "cue 'cue.x': subject: unknown class 'Bnak'"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nfallback = "yes"'),
     "cue 'cue.x': fallback: expected true or false"),
    (CUE.replace('words = ["缓解"]', 'shape = "aim"\nwords = ["要"]'),
     "cue 'cue.x': openers: a cue of shape 'aim' needs the words that open an aim"),
    (CUE.replace('words = ["缓解"]', 'shape = "aim"\nwords = ["要"]\nopeners = ["在…领域…"]'),
     "cue 'cue.x': openers: '在…领域…' is a word or a frame of two words"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nopeners = ["做好"]'),
     "cue 'cue.x': openers: only a cue of shape 'aim', 'case', 'listed', 'then_now' or 'contained' takes openers, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'shape = "case"\nwords = ["为例"]'),
     "cue 'cue.x': openers: a cue of shape 'case' needs the word that opens its frame (以)"),
    (CUE.replace('words = ["缓解"]', 'shape = "listed"\nwords = ["等"]\nheads = ["领域"]\nopeners = []'),
     "cue 'cue.x': openers: a cue of shape 'listed' needs the words one of which stands right"),
    (CUE.replace('words = ["缓解"]', 'shape = "listed"\nwords = ["等"]\nheads = ["领域"]\n'
                 'openers = ["聚焦…领域"]'),
     "cue 'cue.x': openers: '聚焦…领域': a cue of shape 'listed' takes single words"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nleads = ["clause"]'),
     "cue 'cue.x': leads: only a cue of shape 'lead' takes leads, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'shape = "lead"\nleads = ["heading"]'),
     "cue 'cue.x': leads: 'heading' is not one of clause, progress"),
    (CUE.replace('words = ["缓解"]', 'shape = "lead"\nleads = []'),
     "cue 'cue.x': leads: name at least one kind of lead"),
    (CUE.replace('words = ["缓解"]', 'shape = "by_parts"\nwords = ["缓解"]'),
     "cue 'cue.x': words: a cue of shape 'by_parts' takes no words"),
    (CUE.replace('words = ["缓解"]', 'shape = "listed"\nwords = ["等"]'),
     "cue 'cue.x': heads: a cue of shape 'listed' needs the generic words"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nheads = ["领域"]'),
     "cue 'cue.x': heads: only a cue of shape 'listed' takes heads, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nearlier = "nearest"'),
     "cue 'cue.x': earlier: 'nearest' is not one of all, first"),
    (CUE.replace('words = ["缓解"]', 'shape = "purpose"\nwords = ["针对"]\nearlier = "first"'),
     "cue 'cue.x': earlier: only a cue of shape 'forward' or 'means' takes earlier"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nearlier_subject = ["Remdy"]'),
     "cue 'cue.x': earlier_subject: unknown class 'Remdy'"),
    (CUE.replace('words = ["缓解"]', 'shape = "applies"'),
     "cue 'cue.x': words: a cue needs at least one word"),
    (CUE.replace('words = ["缓解"]', 'shape = "then_now"\nwords = ["以前"]'),
     "cue 'cue.x': openers: a cue of shape 'then_now' needs the words of the present"),
    (CUE.replace('words = ["缓解"]', 'shape = "then_now"\nwords = ["以前"]\nopeners = ["如今…以后"]'),
     "cue 'cue.x': openers: '如今…以后': a cue of shape 'then_now' takes single words"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nside = "before"'),
     "cue 'cue.x': side: only a cue of shape 'nearby' takes side, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nadjacent = true'),
     "cue 'cue.x': adjacent: only a cue of shape 'nearby' takes adjacent, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'words = ["缓解"]\nisolated = true'),
     "cue 'cue.x': isolated: only a cue of shape 'nearby' takes isolated, not 'forward'"),
    (CUE.replace('words = ["缓解"]', 'shape = "nearby"\nsubject = ["Remedy"]\nobject = ["Problem"]\n'
                 'side = "left"'),
     "cue 'cue.x': side: 'left' is not one of after, before"),
    (CUE.replace('words = ["缓解"]', 'shape = "nearby"\nsubject = ["Remedy"]'),
     "cue 'cue.x': subject, object: a cue of shape 'nearby' names the classes of both ends"),
    (CUE + '\n[within]\n"太原" = "太原"\n', "[within] '太原': a place cannot lie in itself"),
    (CUE + '\n[within]\n"太原" = 3\n', "[within] '太原': expected a place name or a list of them"),
])
def test_bad_cue_rules_name_file_and_rule(tmp_path, text, expected):
    with pytest.raises(RuleError) as e:
        load_rules(write_rules(tmp_path, text), ontology.load())
    assert any(expected in p and "c.toml" in p for p in e.value.problems), e.value.problems


def relations(extractor, text: str) -> set[tuple[str, str, str]]:
    ex = extractor.extract(article_of(text))
    return {(r.subject.label, r.predicate, r.object.label) for r in ex.relations}


@pytest.mark.parametrize("text, expected", [
    # coordination distributes: one edge per coordinated object
    ("“蓉易贷”有效缓解了融资难、融资贵。", {("蓉易贷", "addresses", "融资难"),
                                       ("蓉易贷", "addresses", "融资贵")}),
    # a missing subject is the sentence's: the speaker is not it
    ("张明认为，数字普惠金融有效缓解了小微企业的融资约束。", {("数字普惠金融", "addresses", "融资约束")}),
    # the head of a relative clause is the subject (成都银行推出的“蓉易贷”……缓解了……)
    ("成都银行推出的“蓉易贷”依托大数据风控，有效缓解了小微企业融资难、融资贵问题。",
     {("蓉易贷", "addresses", "融资难"), ("蓉易贷", "addresses", "融资贵"),
      ("蓉易贷", "uses", "大数据风控"), ("成都银行", "offers", "蓉易贷")}),
    # the actor of an earlier clause undertakes the measures of later ones
    ("国家发展改革委将聚焦资金，持续加大科技创新投入力度。",
     {("国家发展改革委", "undertakes", "持续加大科技创新投入力度")}),
    # a place at the start of a name, a branch of its parent
    ("交通银行江苏省分行召开会议。", {("交通银行江苏省分行", "partOf", "交通银行"),
                                     ("交通银行江苏省分行", "locatedIn", "江苏省")}),
    # a chain of places opening a name, or after its parent body: the innermost place
    ("北京市海淀区市场监督管理局试点企业开办一日办结。",
     {("北京市海淀区市场监督管理局", "locatedIn", "海淀区")}),
    ("国家税务总局苏州市税务局推出新服务。", {("国家税务总局苏州市税务局", "locatedIn", "苏州市")}),
    # a place in a frame that opens the sentence (在某区，……) places what the sentence names
    ("在黄浦区，“要素一张图”实现了核心要素可视化管理。", {("要素一张图", "locatedIn", "黄浦区")}),
    ("在合肥、芜湖等地，“数据护照”服务已经上线。",
     {("数据护照服务", "locatedIn", "合肥"), ("数据护照服务", "locatedIn", "芜湖")}),
    ("武汉市推出的江城智治平台有效破解了信息孤岛问题。",
     {("江城智治平台", "locatedIn", "武汉市"), ("江城智治平台", "addresses", "信息孤岛")}),
    # places listed as the subject each place what the sentence names
    ("合肥、芜湖等地推出了“数据护照”服务。",
     {("数据护照服务", "locatedIn", "合肥"), ("数据护照服务", "locatedIn", "芜湖")}),
    # a measure that opens the sentence naming one place: the sentence is about that place
    ("要支持合肥打造数据要素集聚区，扩大公共数据开放范围。",
     {("扩大公共数据开放范围", "locatedIn", "合肥")}),
    # places inside places, by the gazetteer
    ("山西省和太原市都开通了跨省通办窗口。", {("太原市", "locatedIn", "山西省")}),
    # an institution put to work inside a measure carries it out; a measure naming a technology uses it
    ("要引导企业与高校、科研院所等联合攻关。", {("科研院所", "undertakes", "引导企业与高校、科研院所等联合攻关")}),
    ("要运用人工智能优化审批流程。", {("运用人工智能优化审批流程", "uses", "人工智能")}),
    # a minister's answers are the ministry's measures
    ("记者采访了商务部部长王某。\n\n记者：今年有何打算？\n\n王某：我们将扩大企业覆盖范围。",
     {("商务部", "undertakes", "扩大企业覆盖范围")}),
    # a label inside the answer (关键词：) does not end the speaker's turn
    ("记者采访了商务部部长王某。\n\n王某：\n\n关键词：提振消费\n\n今年以来消费市场持续回暖。我们将扩大企业覆盖范围。",
     {("商务部", "undertakes", "扩大企业覆盖范围")}),
    # the nearest coordinated group is the subject, not every entity of the clause
    ("数字金融和普惠金融在城市中推动实体经济发展。", {("数字金融", "enables", "实体经济"),
                                              ("普惠金融", "enables", "实体经济")}),
    # an aim stated first (after a connective), then a modal: the measures serve its concept
    ("为此，在科技金融领域要尽快补齐短板，加快形成良性循环。",
     {("尽快补齐短板", "enables", "科技金融"), ("加快形成良性循环", "enables", "科技金融")}),
    # purpose frames: 为X提供支撑, 以A推动B, 对X发挥作用 (a lexicon concept named only right
    # before another noun, 乡村治理水平, is a modifier and no entity: see _modifiers_only)
    ("近年来，数字技术为乡村治理提供了有力支撑。", {("数字技术", "enables", "乡村治理")}),
    ("各地以数据共享推动数字政府建设。", {("数据共享", "enables", "数字政府")}),
    ("数字技术对乡村振兴发挥了重要作用。", {("数字技术", "enables", "乡村振兴")}),
    # a product, then what it achieves
    ("甲市建成“云审批”平台，实现数字政府建设提速。", {("云审批", "enables", "数字政府")}),
    # 该行 after a branch named with its bank is the branch, not the bank
    ("东海银行临江分行在岭南举行发布会。该行推出了“甲乙钱包”。",
     {("东海银行临江分行", "offers", "甲乙钱包")}),
    # a white paper's recommendations are part of it (白皮书 names the last document)
    ("东海银行业协会发布《中小银行转型白皮书》。白皮书建议，中小银行应加快构建敏捷的组织架构。",
     {("构建敏捷的组织架构", "partOf", "中小银行转型白皮书")}),
    # two concepts supported at once; an aim that names only a back reference after a verb
    # of solving takes the problems of the sentence before
    ("数字孪生技术可以为城市规划和应急管理提供支撑。",
     {("数字孪生", "enables", "城市规划"), ("数字孪生", "enables", "应急管理")}),
    ("某县长期面临护理人员短缺的问题。为了解决这一问题，某县推出“暖心护”平台。",
     {("暖心护", "addresses", "护理人员短缺")}),
    # a measure naming what the problem says is missing addresses it
    ("与此同时，电子证照难以互认。要推进电子证照跨区域互认。",
     {("推进电子证照跨区域互认", "addresses", "电子证照难以互认")}),
    # a document's 明确要求 introduces its measures
    ("《某某行动方案》也明确要求，要推动更多事项跨省通办。",
     {("推动更多事项跨省通办", "partOf", "某某行动方案")}),
    # names launched together, each with its kind (推出“甲”专属存款和“乙”消费贷款)
    ("东岭银行推出“甲乙存”专属存款和“丙丁贷”消费贷款。",
     {("东岭银行", "offers", "甲乙存"), ("东岭银行", "offers", "丙丁贷")}),
    # a product built after a means relies on it and solves what the sentence names
    ("公司借助大数据技术搭建了“甲乙云”管理平台，有效防范了虚假护理等问题。",
     {("甲乙云", "uses", "大数据技术"), ("甲乙云", "addresses", "虚假护理")}),
    # ... also through the measure that launches it (依托A上线“某某通”平台: the platform)
    ("该行依托大数据技术上线“甲乙通”平台。", {("甲乙通", "uses", "大数据技术")}),
    # an opening aim, then the actor and a modal: the actor carries the paragraph's measures
    ("建设全国统一数据市场，政府要当好规则制定者。一方面，要加快落实数据产权制度。",
     {("政府", "undertakes", "加快落实数据产权制度")}),
    # what a relative clause faces is what the cue solves; 出现 after a verb of preventing
    ("数字技术有效解决了乡村治理面临的信息不对称问题。", {("数字技术", "addresses", "信息不对称")}),
    ("要加强部门协同，防止出现资金空转。", {("加强部门协同", "addresses", "资金空转")}),
    # what the sentence's opening clause relies on solves what the next clause says is solved
    ("海川市推出新政。该市依托“城市大脑”平台，解决了停车难问题。", {("城市大脑", "addresses", "停车难")}),
    # half-width full stops after Chinese end sentences as 。 does (web copies)
    ("临江银行推出“链e贷”,缓解了融资难.南州银行推出“电e融”,缓解了融资贵.",
     {("链e贷", "addresses", "融资难"), ("电e融", "addresses", "融资贵")}),
])
def test_cue_layer_makes_the_relations_a_reader_sees(extractor, text, expected):
    assert expected <= relations(extractor, text)


@pytest.mark.parametrize("text, absent", [
    # 之一 joins a region only to a region (HermiT found 长三角 partOf 中国经济)
    ("长三角作为中国经济发展最活跃的区域之一，肩负着国家使命。", ("长三角", "partOf", "中国经济")),
    # a recipient after 为 provides nothing
    ("云岫银行推出线上“甲乙贷”，为辖区小微企业提供纯信用贷款。", ("辖区小微企业", "offers", "纯信用贷款")),
    # a list item ends with its paragraph: no measure of a list addresses what follows it
    ("如何破解这些难题？一是推广街乡吹哨、部门报到工作模式。\n\n当前仍存在信息孤岛和数字鸿沟。",
     ("推广街乡吹哨、部门报到工作模式", "addresses", "信息孤岛")),
    # a speaker's institution does not undertake what the speaker says should be done
    ("浙江大学公共管理学院教授李明认为，数字政府建设要坚持以人民为中心。",
     ("浙江大学公共管理学院", "undertakes", "坚持以人民为中心")),
    # ... but a later measure naming a place of its own is not placed there
    ("要支持合肥打造数据要素集聚区，巩固芜湖港口枢纽地位。", ("巩固芜湖港口枢纽地位", "locatedIn", "合肥")),
    # ... nor are the measures after a place whose experience is borrowed
    ("要借鉴合肥经验，扩大公共数据开放范围。", ("扩大公共数据开放范围", "locatedIn", "合肥")),
    # a frame that says more than the place (在某市的一家商场，) is no place frame
    ("在合肥的一家商场，“数据护照”服务已经上线。", ("数据护照服务", "locatedIn", "合肥")),
    # a generic actor at the start of a name is no parent body of it
    ("各级政府部门要持续优化营商环境。", ("政府部门", "partOf", "政府")),
    # ... and not in the outer place of the chain
    ("北京市海淀区市场监督管理局试点企业开办一日办结。", ("北京市海淀区市场监督管理局", "locatedIn", "北京市")),
    # nor in the country a unit's name holds after its parent's (某大学中国某某研究院)
    ("作者单位：东海财经大学中国金融研究院。", ("东海财经大学中国金融研究院", "locatedIn", "中国")),
    # a place is not located in its own short name
    ("成都市大数据中心与成都银行合作。", ("成都市", "locatedIn", "成都")),
    # 商务部门 (the commerce departments) is no unit of 商务部: a name goes on after its parent
    ("商务部门要加强协调，商务部负责统筹。", ("商务部门", "partOf", "商务部")),
    # who receives (向……) does not offer
    ("网商银行向中小科创企业提供无抵押信用贷款。", ("中小科创企业", "offers", "无抵押信用贷款")),
    # ... nor whom a launch is aimed at (针对……问题，某行推出……)
    ("针对小微企业缺乏抵押物等问题，东岭银行推出“甲乙贷”，运用大数据技术开展线上审批。",
     ("小微企业", "offers", "甲乙贷")),
    ("针对小微企业缺乏抵押物等问题，东岭银行推出“甲乙贷”，运用大数据技术开展线上审批。",
     ("小微企业", "uses", "大数据技术")),
    # ... also after the place the receiver is in (为某园区一家企业发放……)
    ("东岭银行为临江工业园区一家生物医药企业发放了首笔“甲乙贷”。",
     ("生物医药企业", "offers", "甲乙贷")),
    # a sentence that opens with a statement, not an aim: its measures serve no concept of it
    ("数字经济发展很快，要加快建设数据中心。", ("加快建设数据中心", "enables", "数字经济")),
    # 为 naming who is served, not an aim: nothing is enabled
    ("数字技术为农民提供了便利。", ("数字技术", "enables", "农民")),
    # an institution a measure acts on or serves does not carry it out
    ("要降低银行负债成本。", ("银行", "undertakes", "降低银行负债成本")),
    ("要完善小微企业信贷产品体系。", ("小微企业", "undertakes", "完善小微企业信贷产品体系")),
    ("要推动中小企业专精特新发展。", ("中小企业", "undertakes", "推动中小企业专精特新发展")),
    # a predicate of four characters (高度重视) ends the subject: what follows is its object
    ("东岭市数据局高度重视中小企业发展。要加快建设公共数据平台。",
     ("中小企业", "undertakes", "加快建设公共数据平台")),
    # a sentence whose subject is a place acts on its own: the actor of the sentence before
    # neither undertakes nor offers what it sets up
    ("中国人民银行四川省分行将运用再贷款工具。四川省将设立融资风险补偿资金池。",
     ("中国人民银行四川省分行", "undertakes", "设立融资风险补偿资金池")),
    ("中国人民银行四川省分行将运用再贷款工具。四川省将设立融资风险补偿资金池。",
     ("中国人民银行四川省分行", "offers", "风险补偿资金池")),
    # what a subject faces after a noun that is a cue word (治理) is faced, not addressed
    ("数字金融治理仍面临数据泄露、算法歧视等风险。", ("数字金融", "addresses", "数据泄露")),
    ("乡村数字化治理面临人才短缺、资金不足等问题。", ("乡村数字化", "addresses", "人才短缺")),
    # a measure ends at a half-width full stop after Chinese
    ("临江银行推出“链e贷”产品,破解小微企业融资难问题.该产品运用大数据技术。",
     ("临江银行", "undertakes", "破解小微企业融资难问题.该产品运用大数据技术")),
    ("临江银行推出“链e贷”,缓解了融资难.南州银行推出“电e融”,缓解了融资贵.", ("链e贷", "addresses", "融资贵")),
])
def test_cue_layer_does_not_invent(extractor, text, absent):
    assert absent not in relations(extractor, text)


def test_modifier_words_are_no_entities(extractor):
    ex = extractor.extract(article_of("要完善政府性融资担保体系。"))
    assert "政府" not in {m.label for m in ex.mentions}


def test_explain_gives_the_true_reason_nothing_was_made():
    out = explain("作者吕秋慧系数字金融领域的博士研究生。")
    assert ("affiliation.person_is_member: “吕秋慧系数字金融领域的博士研究生” -> (nothing: "
            "吕秋慧:Person affiliatedWith 数字金融:Concept does not fit affiliatedWith's domain "
            "and range)") in out
    assert not any("person_is_member" in line and "lost to" in line
                   for line in out.splitlines())


@pytest.mark.parametrize("text", ["", "   ", "hello world"])
def test_explain_of_no_sentence_is_an_error(text):
    from click.testing import CliRunner

    from kg.cli import main

    r = CliRunner().invoke(main, ["explain", text])
    assert r.exit_code == 1
    assert r.output == ("Error: no sentence to explain: the text is empty, or only a Latin line, "
                        "which a page reads as a column label\n")


def test_an_example_made_only_by_another_rule_fails_its_rule(extractor):
    """Rule examples are checked against their own rule: an expected relation that another
    rule makes does not count."""
    cue = next(c for c in extractor.rs.cues if c.id == "cue.addresses")
    borrowed = type(cue.examples[0])(text="交通银行江苏省分行召开会议。", entities=(),
                                     relations=(("交通银行江苏省分行", "partOf", "交通银行"),))
    outcome = check_item(extractor, type(cue)(**{**cue.__dict__, "examples": (borrowed,)}))[0]
    assert not outcome.ok
    assert any("from this rule" in p for p in outcome.problems)


# ---- causes: the consequence and because shapes
@pytest.mark.parametrize("text, expected, absent", [
    # the cause is the problem of the nearest earlier clause
    ("审批流程冗长，网点布局分散，导致服务成本过高。",
     ("网点布局分散", "causes", "服务成本过高"), None),
    # 这 refers back to the last clause of the sentence before
    ("监管协调不足，网点布局分散。这导致服务成本过高。",
     ("网点布局分散", "causes", "服务成本过高"), ("监管协调不足", "causes", "服务成本过高")),
    # an effect named with its verb is itself the object
    ("网点布局分散，制约了小店的议价能力。",
     ("网点布局分散", "causes", "制约了小店的议价能力"), None),
    # the cause after 由于 is the whole rest of its clause, past a list's 等
    ("由于网点、人员等资源投入不足，服务成本过高。",
     ("资源投入不足", "causes", "服务成本过高"), None),
    # the effect named first, the cause after 是因为
    ("小店贷款难，主要是因为网点布局分散。", ("网点布局分散", "causes", "小店贷款难"),
     ("小店贷款难", "causes", "网点布局分散")),
    # a connective of result reads like a verb of consequence; a measure before it is no cause
    ("审批链条冗长，以致小店贷款难。", ("审批链条冗长", "causes", "小店贷款难"), None),
    # a modal of a likely outcome after a problem
    ("风控能力薄弱，可能出现坏账高企。", ("风控能力薄弱", "causes", "坏账高企"), None),
    # a verb of origin: what follows it causes what precedes it, not the other way
    ("小店融资难归因于网点布局分散。", ("网点布局分散", "causes", "小店融资难"),
     ("小店融资难", "causes", "网点布局分散")),
    # a sentence announcing several reasons: the later sentences of the paragraph name them
    ("导致小店贷款难有多方面原因。有的店主缺乏抵押物；也有店主过度负债。",
     ("店主过度负债", "causes", "小店贷款难"), None),
    # a question for the reason of the problem before it
    ("小店贷款覆盖面仍显不足。\n\n问题出在哪儿？审批流程繁琐、贷款门槛高、还款负担重。",
     ("贷款门槛高", "causes", "小店贷款覆盖面仍显不足"), None),
    # a summing-up: the factors are the sentence before
    ("店主信用记录缺失，抵押物缺乏。多种因素导致小店贷款难。",
     ("店主信用记录缺失", "causes", "小店贷款难"), None),
    # a single reason of its own (历史原因) announces no list: the next sentence is no reason
    ("小店贷款难有其历史原因。店主信用记录缺失。", None, ("店主信用记录缺失", "causes", "小店贷款难")),
    # reasons enumerated after a colon run on through ；, not past the 。
    ("小店贷款难的原因在于：一是抵押物缺乏；二是店主过度负债。此外，审批流程繁琐。",
     ("店主过度负债", "causes", "小店贷款难"), ("审批流程繁琐", "causes", "小店贷款难")),
    # reasons named in the announcing sentence itself: later sentences only elaborate them
    ("小店贷款难的原因主要有：抵押物缺乏、信用记录缺失。店主过度负债的情况也较普遍。",
     ("抵押物缺乏", "causes", "小店贷款难"), ("店主过度负债", "causes", "小店贷款难")),
    # 随着 a problem, another: the first causes the second
    ("随着人口老龄化加剧，企业用工成本持续高企。",
     ("人口老龄化加剧", "causes", "企业用工成本持续高企"), None),
    # an adverse shock in 受……影响 causes what follows
    ("受海运价格上涨影响，外贸企业利润收窄。", ("海运价格上涨", "causes", "外贸企业利润收窄"), None),
    # the root of a problem named after it (X高企的根源在于Y)
    ("融资成本高企的根源在于信息不对称。", ("信息不对称", "causes", "融资成本高企"), None),
])
def test_causes_shapes(extractor, text, expected, absent):
    rels = relations(extractor, text)
    assert expected is None or expected in rels, rels
    assert absent is None or absent not in rels


# ---- addresses: a then-and-now contrast (以前得跑三趟，如今……)
@pytest.mark.parametrize("text, expected, absent", [
    # the present clause in the same sentence names the product
    ("以前开一张证明得跑三个窗口，如今通过“椿城办”App足不出户就能办。",
     ("椿城办", "addresses", "跑三个窗口"), None),
    # the present opens a later sentence of the paragraph
    ("过去，不少小店面临融资慢的困境。如今，某行推出“快审贷”，最快三分钟放款。",
     ("快审贷", "addresses", "融资慢"), None),
    # the present names nothing: the product of a next sentence (of the next paragraph too)
    ("“以前办这事儿，得跑四个部门、交九份材料，现在两天就办结了！”他说。\n\n"
     "听说在“禾城办”上办理能快不少，他提交了联办申请。",
     ("禾城办", "addresses", "跑四个部门、交九份材料"), None),
    # a past that dates a stretch opens no contrast
    ("过去一年，数据壁垒问题突出。如今，某区推行一网通办改革。",
     None, ("一网通办", "addresses", "数据壁垒")),
    # no present after the past: nothing addresses the burden
    ("过去，不少小店面临融资慢的困境。某行推出“快审贷”。",
     None, ("快审贷", "addresses", "融资慢")),
    # a press release: 此前 states the burden, 该平台 the product that removed it (only that one)
    ("东岭市保险行业协会上线了“岭易赔”平台。此前，理赔存在材料多、流程长等痛点。"
     "该平台通过微信小程序实现一次提交。",
     ("岭易赔", "addresses", "材料多"), ("微信小程序", "addresses", "材料多")),
    # 该平台 is the product named a platform, not a product named after it (健康险)
    ("东岭市保险行业协会上线了“岭易赔”一站式理赔服务平台。此前，车险和健康险理赔存在材料多、"
     "流程长等痛点。该平台通过数据对接实现一次提交。",
     ("岭易赔", "addresses", "材料多"), ("健康险", "addresses", "材料多")),
])
def test_then_now_contrast(extractor, text, expected, absent):
    rels = relations(extractor, text)
    assert expected is None or expected in rels, rels
    assert absent is None or absent not in rels


# ---- partOf: the measures a paragraph opens with
HEADLINE = ("三、持续优化县域营商环境\n"
            "一是深化审批制度改革。推行并联审批，压减办理时限，让企业少跑腿、快办事、办成事，切实降低制度性交易成本。\n"
            "二是强化要素保障，完善用工服务。盘活闲置用地，帮助中小企业解决用地用工难题，稳定企业发展预期。\n"
            "四、着力维护公平竞争秩序\n"
            "一是加强监管执法。依法查处垄断和不正当竞争行为，清理妨碍统一市场和公平竞争的各种规定。")
ITEMS = ("多措并举提升金融服务质效\n"
         "一是优化信贷结构。引导信贷资源更多投向先进制造业。二是降低综合融资成本。"
         "推动贷款市场报价利率稳中有降，减免小微企业服务收费。\n"
         "通过上述举措，全市金融服务实体经济能力明显增强。")


@pytest.mark.parametrize("text, expected, absent", [
    # a measure after a frame that reports a document or a speaker leads its paragraph
    ("前不久印发的《提振消费专项行动方案》提出，强化信贷支持。鼓励金融机构在风险可控前提下加大个人消费贷款投放力度。",
     ("加大个人消费贷款投放力度", "partOf", "强化信贷支持"), None),
    # two leads: a later measure details the one it shares words with
    ("加快建设强大的中央银行，推进人民币国际化。要推动人民币离岸金融业务渐进式发展，提高中央银行的话语权。",
     ("推动人民币离岸金融业务渐进式发展", "partOf", "推进人民币国际化"),
     ("推动人民币离岸金融业务渐进式发展", "partOf", "加快建设强大的中央银行")),
    ("加快建设强大的中央银行，推进人民币国际化。要推动人民币离岸金融业务渐进式发展，健全中央银行的沟通机制。",
     ("健全中央银行的沟通机制", "partOf", "加快建设强大的中央银行"), None),
    # a first sentence that is only a topic and how it advances leads its paragraph
    ("生态保护不断推进。今年，河北进一步完善生态补偿机制，推进美丽海湾建设。",
     ("推进美丽海湾建设", "partOf", "生态保护"), None),
    # a short heading is no lead of the paragraphs under it (readers do not link them)
    ("提升风险评估能力\n\n相关金融机构应加快数字化转型，完善精细化运营体系。",
     None, ("加快数字化转型", "partOf", "提升风险评估能力")),
    # a measure right after a topic frame (——在……上，) leads its paragraph …
    ("——在信贷结构上，进一步完善续贷审批机制，优化小微信贷审批流程，引导银行合理让利。",
     ("优化小微信贷审批流程", "partOf", "完善续贷审批机制"), None),
    # … not after any frame that ends its clause
    ("——在当前形势下，进一步完善续贷审批机制，优化小微信贷审批流程，引导银行合理让利。",
     None, ("优化小微信贷审批流程", "partOf", "完善续贷审批机制")),
    # a measure before a comma and a modal states an aim: it leads nothing …
    ("做好县域金融这篇文章，需要加快补齐创投短板，完善企业信用档案。",
     None, ("加快补齐创投短板", "partOf", "做好县域金融这篇文章")),
    # … and details no lead, while the measures after the modal do
    ("要强化信贷支持。加快建设信用县域，必须完善企业信用档案。",
     ("完善企业信用档案", "partOf", "强化信贷支持"), ("加快建设信用县域", "partOf", "强化信贷支持")),
    # a measure and how it advances: the products the paragraph then names are its parts
    ("农村信用体系加快构建。设立“青禾创投引导基金”，带动社会资本近百亿元。",
     ("青禾创投引导基金", "partOf", "农村信用体系"), None),
    # not after a measure as its own clause
    ("要强化信贷支持。设立“青禾创投引导基金”，带动社会资本近百亿元。",
     None, ("青禾创投引导基金", "partOf", "强化信贷支持")),
    # paragraphs that each name a part of the whole a measure names detail the measure …
    ("做好“五篇大文章”，推动县域经济发展。要做好科技金融、绿色金融、普惠金融、养老金融、数字金融五篇大文章。"
     "\n\n在科技金融领域，要加快补齐县域创投短板，完善科技型企业信用档案。\n\n要优化县域营商环境。",
     ("完善科技型企业信用档案", "partOf", "做好五篇大文章"), None),
    # … up to the first paragraph that names none
    ("做好“五篇大文章”，推动县域经济发展。要做好科技金融、绿色金融、普惠金融、养老金融、数字金融五篇大文章。"
     "\n\n在科技金融领域，要加快补齐县域创投短板，完善科技型企业信用档案。\n\n要优化县域营商环境。",
     None, ("优化县域营商环境", "partOf", "做好五篇大文章")),
    # a headline ending with a measure: the measures opening the paragraphs under it detail it
    (HEADLINE, ("深化审批制度改革", "partOf", "持续优化县域营商环境"), None),
    (HEADLINE, ("强化要素保障", "partOf", "持续优化县域营商环境"), None),
    # only the first of a paragraph's leads (the next details that one), …
    (HEADLINE, None, ("完善用工服务", "partOf", "持续优化县域营商环境")),
    # … not the measures inside a paragraph, …
    (HEADLINE, None, ("推行并联审批", "partOf", "持续优化县域营商环境")),
    # … and none after the next headline
    (HEADLINE, None, ("加强监管执法", "partOf", "持续优化县域营商环境")),
    # a headline that ends a list (推进甲化、乙化、丙化发展) names no whole
    ("推进制造业智能化、绿色化、融合化发展\n一是推动传统产业焕新。实施焕新行动，聚焦冶金、化工、轻工等领域，分行业制定改造方案。\n"
     "二是加速新兴产业跃升。实施新兴产业培育行动，聚焦集成电路、新材料等领域，加快培育新动能。",
     None, ("推动传统产业焕新", "partOf", "融合化发展")),
    # a list of measures, each closed by ；, has no lead: its measures are siblings
    ("今年以来，我们着力稳住经济基本盘；持续深化营商环境改革；加快建设东岭数据交易所。",
     None, ("持续深化营商环境改革", "partOf", "稳住经济基本盘")),
    # items 一是……二是…… in one paragraph: each item's sentences detail its own head, …
    (ITEMS, ("推动贷款市场报价利率稳中有降", "partOf", "降低综合融资成本"),
     ("推动贷款市场报价利率稳中有降", "partOf", "优化信贷结构")),
    # … the second head is no part of the first, …
    (ITEMS, None, ("降低综合融资成本", "partOf", "优化信贷结构")),
    # … and under a headline, each item's head details the headline
    (ITEMS, ("降低综合融资成本", "partOf", "提升金融服务质效"), None),
    # the steps of a series 从A，到B，再到C are siblings: the first leads nothing
    ("从完善基本养老保险制度，到进一步扩大职业年金覆盖范围，再到丰富商业养老保险产品……改革不断深化。",
     None, ("丰富商业养老保险产品", "partOf", "完善基本养老保险制度")),
])
def test_lead_measures(extractor, text, expected, absent):
    rels = relations(extractor, text)
    assert expected is None or expected in rels, rels
    assert absent is None or absent not in rels


@pytest.mark.parametrize("text, kept, dropped", [
    # a facility word inside an office's name is no product; the office is kept whole
    ("成都市大数据中心与成都银行合作。", "成都市大数据中心", "大数据中心"),
    # a product named inside a measure is one (推出“泉城链”)
    ("济南推出“泉城链”平台。", "泉城链", None),
    # a concept named only inside a measure is one (readers annotate it)
    ("要不断完善数字经济治理体系。", "数字经济", None),
    # a measure that only sets up or issues a product or a document is no node: the thing is
    ("要设立国家创业投资引导基金，带动社会资本。", "国家创业投资引导基金", "设立国家创业投资引导基金"),
    ("要研究推出“惠民保”。", "惠民保", "研究推出惠民保"),
    ("印发《提振消费专项行动方案》。", "提振消费专项行动方案", "印发提振消费专项行动方案"),
    # a body named only inside a meeting's name is its organiser, no node of its own
    ("十四届全国人大三次会议举行经济主题记者会。", "十四届全国人大三次会议", "全国人大"),
])
def test_words_named_only_inside_one_entity_are_no_nodes(extractor, text, kept, dropped):
    labels = {m.label for m in extractor.extract(article_of(text)).mentions}
    assert kept in labels, labels
    assert dropped is None or dropped not in labels


# ---- undertakes, offers, uses, addresses: carried actors, means and coordination
@pytest.mark.parametrize("text, expected, absent", [
    # coordinated actors of an earlier clause each undertake the later clause's measure
    ("数据治理是系统工程，司法机关依法履职，数据管理部门和行业主管部门都有相应职责，要加强监管协同。",
     {("数据管理部门", "undertakes", "加强监管协同"), ("行业主管部门", "undertakes", "加强监管协同")},
     ("司法机关", "undertakes", "加强监管协同")),
    # a clause that opens with the means gives it to the next clause's measure only
    ("要依托云计算、区块链等技术，加快数字化转型升级，提高风险识别能力。",
     {("加快数字化转型升级", "uses", "云计算"), ("加快数字化转型升级", "uses", "区块链")},
     ("提高风险识别能力", "uses", "云计算")),
    # ... and not to the article's topic
    ("新型车险发展很快。\n\n要依托云计算、区块链等技术，加快数字化转型升级。",
     {("加快数字化转型升级", "uses", "云计算")}, ("新型车险", "uses", "云计算")),
    # a measure opening with a manner word and a cue word (坚决防范X) is the cue's: the
    # measure of the clause before addresses X
    ("宽松的货币政策不断完善。要强化预期引导，坚决防范汇率波动风险。",
     {("强化预期引导", "addresses", "汇率波动风险")}, ("货币政策", "addresses", "汇率波动风险")),
    # an entity after a word of @recipient_marks (为小微企业……) receives, it undertakes nothing
    ("商业银行要为小微企业开辟绿色通道，加快续贷审批。",
     {("商业银行", "undertakes", "加快续贷审批")}, ("小微企业", "undertakes", "加快续贷审批")),
    # a means that a measure issuing a product uses is the product's
    ("东海市借助区块链技术，推出“甲乙链”，方便市民授权数据。",
     {("甲乙链", "uses", "区块链技术")}, None),
    # ... also one joined to it by 特别是 / a list separator, across a plain noun (企业)
    ("高度重视帮助企业特别是中小微企业改善现金流，加力清理拖欠企业账款。",
     set(), ("中小微企业", "undertakes", "加力清理拖欠企业账款")),
    ("丰禾农商银行向广大农户和个体工商户提供“惠农贷”，加快审批流程。",
     {("丰禾农商银行", "offers", "惠农贷")}, ("个体工商户", "offers", "惠农贷")),
    # an opening clause of time names no actor: who issued the document acts in it no more
    ("中办、国办印发《关于推进某某工作的意见》以来，多地通过数据共享等方式，赋能社会治理。",
     set(), ("中办", "undertakes", "赋能社会治理")),
    # an issuer named inside a title (《某某委员会关于……的建议》) is not the sentence's actor
    ("《丰禾市委关于制定某某规划的建议》也提出要“推进产业数字化，推动数字技术和实体经济深度融合”。",
     set(), ("丰禾市委", "undertakes", "推动数字技术和实体经济深度融合")),
    # the owned body after 旗下的 acts, not its owner, also in later clauses without a subject
    # 甲会同乙……: both act
    ("蓝海市数据局会同蓝海市公安局全面整合原有分散的采集系统。",
     {("蓝海市数据局", "undertakes", "整合原有分散的采集系统"),
      ("蓝海市公安局", "undertakes", "整合原有分散的采集系统")}, None),
    # 由甲牵头，乙……，建立……: the leader undertakes the later measures too
    ("在城市更新中，由蓝海市数据局牵头，蓝海市公安局同有关公司展开合作，建立线上预审机制。",
     {("蓝海市数据局", "undertakes", "建立线上预审机制"),
      ("蓝海市公安局", "undertakes", "建立线上预审机制")}, None),
    # what an institution launched in an earlier clause provides the services of a later
    # one (推出“禾易贷”，提供……、智能审批等服务): the bank offers the loan, not the features
    ("蓝海农商银行推出“禾易贷”，提供线上申请、智能审批等服务。",
     {("蓝海农商银行", "offers", "禾易贷")}, ("蓝海农商银行", "offers", "智能审批")),
    # the actor of the paragraph's previous sentence undertakes a sentence's measures that
    # name none; not across a sentence that does not name it, nor across paragraphs
    ("蓝海市数据局是全市数据工作的主管部门。下一步，将加快建设公共数据平台，完善数据共享机制。",
     {("蓝海市数据局", "undertakes", "完善数据共享机制")}, None),
    ("蓝海市数据局是全市数据工作的主管部门。数据开放的意义很大。下一步，将加快建设公共数据平台。",
     set(), ("蓝海市数据局", "undertakes", "加快建设公共数据平台")),
    # an official says what the office will do (将, 下一步): the office undertakes it; an
    # expert's advice (认为，要……) is nobody's
    ("蓝海市数据局局长王明表示，将加快建设数字政府，完善数据共享机制。",
     {("蓝海市数据局", "undertakes", "加快建设数字政府"), ("蓝海市数据局", "undertakes", "完善数据共享机制")}, None),
    ("蓝海大学教授王明认为，要加快建设数字政府。", set(), ("蓝海大学", "undertakes", "加快建设数字政府")),
    # a measure that is an institution's decision (……，这是某委……作出的重大部署)
    ("建设数字乡村，这是蓝海省委立足省情作出的重大战略部署。",
     {("蓝海省委", "undertakes", "建设数字乡村")}, None),
    # a demonstrative (该行) names the bank last named: it acts
    ("蓝海村镇银行成立于2010年。\n\n该行推出了“禾易贷”，主要面向农户。",
     {("蓝海村镇银行", "offers", "禾易贷")}, None),
    ("蓝海数据交易所于2023年正式挂牌运营。\n\n为此，该所推出“数易链”交易平台。",
     {("蓝海数据交易所", "offers", "数易链")}, None),
    ("蓝海数字科技有限公司成立于2015年。该公司上线了“禾易通”平台。",
     {("蓝海数字科技有限公司", "offers", "禾易通")}, None),
    # the default pair of an institution and a product skips a source of the news and a
    # receiver (default.offers with unless)
    ("记者从临江市金融局获悉，“甲乙贷”已惠及3000家企业。", set(), ("临江市金融局", "offers", "甲乙贷")),
    ("其中超过六成小微企业从未获得过“甲乙贷”。", set(), ("小微企业", "offers", "甲乙贷")),
    # a demonstrative is the bank its own sentence names before it (以某行为例，该行……), not the last one
    ("青山农商银行成立于2010年。以蓝海村镇银行为例，该行推出了“禾易贷”。",
     {("蓝海村镇银行", "offers", "禾易贷")}, ("青山农商银行", "offers", "禾易贷")),
    # a measure's item in a list after a preface, in a section of problems: an actor's duty
    # (其次，金融机构要……) is a measure the actor undertakes, not a problem
    ("当前仍面临不少突出问题。数据标准不统一。\n\n推动青禾金融发展，必须多措并举。首先，要夯实青禾征信基础。应当完善青禾信用档案。其次，金融机构要加快青禾转型。",
     {("金融机构", "undertakes", "加快青禾转型"), ("完善青禾信用档案", "partOf", "夯实青禾征信基础")},
     ("金融机构要加快青禾转型", "addresses", "数据标准不统一")),
    # in a speaker's answer the first person (我行, 我们) names the speaker's institution;
    # not in a question, nor in an answer whose speaker holds no post
    ("记者采访了蓝海农商银行行长王海。\n\n记者：有何新举措？\n\n王海：我行推出了“禾易贷”，主要面向农户。",
     {("蓝海农商银行", "offers", "禾易贷")}, None),
    ("记者采访了蓝海农商银行行长王海。\n\n王海：情况如下。\n\n今年，我们推出了“禾易贷”。",
     {("蓝海农商银行", "offers", "禾易贷")}, None),
    ("蓝海农商银行行长王海：\n\n今年，我们依托大数据技术审批贷款。",
     {("蓝海农商银行", "uses", "大数据技术")}, None),
    ("记者采访了蓝海农商银行行长王海。\n\n记者：我们推出了“禾易贷”，您怎么看？",
     set(), ("蓝海农商银行", "offers", "禾易贷")),
    ("蓝海农商银行推出多款产品。\n\n刘青：我们推出了“禾易贷”。",
     set(), ("蓝海农商银行", "offers", "禾易贷")),
    ("蓝海控股集团旗下的蓝海村镇银行，利用大数据技术，向小微企业提供“禾易贷”。",
     {("蓝海村镇银行", "offers", "禾易贷")}, ("蓝海控股集团", "offers", "禾易贷")),
    # A，B，C，防止X: the measure the sentence opens with addresses X, not every step after it
    ("要建立跨部门会商机制，加强监测预警，共享风险信息，防止多头监管等问题出现。",
     {("建立跨部门会商机制", "addresses", "多头监管")}, ("共享风险信息", "addresses", "多头监管")),
    # ... skipping a measure that is a cue of its own (降低……门槛 answers what it names)
    ("要降低数字服务的使用门槛，加强自助终端的适老化改造，帮助老年人解决看不懂屏幕的问题。",
     {("加强自助终端的适老化改造", "addresses", "看不懂屏幕")},
     ("降低数字服务的使用门槛", "addresses", "看不懂屏幕")),
    # a product an institution launched solves what the next clause names (the first item
    # keeps whose it is, 小微企业融资难, with 融资难 an alternative label)
    ("蓝海农商银行推出“禾易贷”，有效解决了小微企业融资难、融资贵等问题。",
     {("禾易贷", "addresses", "小微企业融资难"), ("禾易贷", "addresses", "融资贵")}, None),
    # 为此，……: the measures answer the problems of the paragraph's previous sentence
    ("停车难问题日益突出。为此，蓝海区上线“泊位通”智慧停车平台。",
     {("泊位通", "addresses", "停车难")}, None),
    ("老城区停车难问题日益突出。\n\n为此，蓝海区上线“泊位通”智慧停车平台。",
     set(), ("泊位通", "addresses", "停车难")),
    # a measure or product naming what a problem says is too high or too low works on it
    ("目前，小微企业融资成本高、门槛高。要降低小微企业融资成本。",
     {("降低小微企业融资成本", "addresses", "小微企业融资成本高")}, None),
    ("城郊停车难问题突出。某区上线了智慧停车平台。",
     {("智慧停车平台", "addresses", "停车难")}, None),
    # a means named before the cue in its clause acts: no subject from an earlier clause
    ("要加强甲类监管，以高水平监管防范化解金融风险。", set(), ("加强甲类监管", "addresses", "金融风险")),
    ("要加强甲类监管，防范化解金融风险。", {("加强甲类监管", "addresses", "金融风险")}, None),
    ("当前，社区养老服务监管机制不完善。要完善社区养老服务监管机制。",
     {("完善社区养老服务监管机制", "addresses", "社区养老服务监管机制不完善")}, None),
    # ... not by a core left by an ending that is no degree (市场失灵 → 市场)
    ("市场失灵问题突出。要推进金融市场开放。", set(), ("推进金融市场开放", "addresses", "市场失灵")),
    # of two problems one inside the other, the fuller one the measure names
    ("区域性债务风险和债务风险交织。要守住不发生区域性债务风险的底线。",
     {("守住不发生区域性债务风险的底线", "addresses", "区域性债务风险")},
     ("守住不发生区域性债务风险的底线", "addresses", "债务风险")),
    # A 是 B 的重要组成部分: a part of B; A 是 B 的主要诱因之一: one of B's causes, no part
    ("数据安全是数字政府的重要组成部分。", {("数据安全", "partOf", "数字政府")}, None),
    ("信息不对称成为融资难的主要诱因之一。", set(), ("信息不对称", "partOf", "融资难")),
    # 该平台 names the last product, also one named by a quoted name
    ("东海市上线“海e办”平台。该平台有效解决了群众办事难的问题。",
     {("海e办", "addresses", "办事难")}, None),
    # a place that launches a product in its own clause hosts it; a body of the place does not
    ("临江市推出“临e办”服务，群众办事更方便。", {("临e办", "locatedIn", "临江市")}, None),
    # a function built into a product named with 在……上 is part of it
    ("临江市在“临e通”自助终端上嵌入AI手语翻译功能。",
     {("AI手语翻译功能", "partOf", "临e通")}, None),
    # what a product achieves is not what the means before it achieves
    ("依托临江人口专题库，“临江云”把数据推送到社区，助力基层治理。",
     {("临江云", "enables", "基层治理")}, ("临江人口专题库", "enables", "基层治理")),
    # a means before a measure that builds a product: the product uses it (the measure
    # hands what it uses to the product it builds: build_verbs)
    ("区里运用人工智能、云计算等技术，打造线上办税管家，方便企业。",
     {("线上办税管家", "uses", "人工智能"), ("线上办税管家", "uses", "云计算")}, None),
    # a product that provides named services: each is part of it
    ("东海市数据局推出“海e办”小程序，提供在线问诊、预约挂号、报告查询等一站式服务。",
     {("在线问诊", "partOf", "海e办"), ("东海市数据局", "offers", "海e办")},
     ("东海市数据局", "offers", "在线问诊")),
    # a plural reference opening a paragraph: the measures answer the previous paragraph's
    # problems; an interviewer's question naming them answers nothing
    ("小店普遍缺乏抵押物。银行与店主之间存在信息不对称。\n\n为了解决这些难题，某区推行整村授信。",
     {("整村授信", "addresses", "缺乏抵押物"), ("整村授信", "addresses", "信息不对称")}, None),
    ("小店普遍存在贷款难问题。\n\n记者：针对上述问题，您认为数字金融应如何赋能实体经济？",
     set(), ("数字金融", "addresses", "贷款难")),
    # the owner of a means is no actor of the next clause's launch
    ("为此，东岭农商银行借助东海银行的科技系统，上线了手机银行。",
     {("东岭农商银行", "offers", "手机银行")}, ("东海银行", "offers", "手机银行")),
])
def test_relation_shapes(extractor, text, expected, absent):
    rels = relations(extractor, text)
    assert expected <= rels, rels
    assert absent is None or absent not in rels


# ---- exemplifies and uses read from lists and labels
@pytest.mark.parametrize("text, expected, absent", [
    # a list closed by 等 and a head of a modifier and a noun: the head is their kind
    ("大数据、云计算等新兴技术与实体经济深度融合。",
     {("大数据", "exemplifies", "新兴技术"), ("云计算", "exemplifies", "新兴技术")}, None),
    # ... also after 不同的, when the head is a known entity of their class
    ("宏观上表现为数字政府、数字经济、数字社会等不同的数字生态。",
     {("数字政府", "exemplifies", "数字生态")}, None),
    # a field (等领域) is no kind: a list of fields a measure serves is no example of what
    # comes before it; the fields a plan focuses on (聚焦……等领域) are examples of its concept
    ("要与财政政策协同配合，更好服务数字经济、绿色发展等关键领域。", set(),
     ("数字经济", "exemplifies", "财政政策")),
    ("大力发展未来产业，聚焦量子科技、人形机器人等领域。",
     {("量子科技", "exemplifies", "未来产业"), ("人形机器人", "exemplifies", "未来产业")}, None),
    ("大力发展未来产业，量子科技、人形机器人等领域进展很快。", set(),
     ("量子科技", "exemplifies", "未来产业")),
    # a compound head of four characters or more names the kind of the listed concepts
    ("智慧交通、数字商城、数字政府等应用场景日益普及。",
     {("智慧交通", "exemplifies", "应用场景"), ("数字政府", "exemplifies", "应用场景")}, None),
    ("智慧交通、数字政府等技术日益普及。", set(), ("智慧交通", "exemplifies", "技术")),
    # problems listed before 等 and a modifier + a problem word: the head is their kind
    ("这可能导致非法集资、电信诈骗等风险事件发生。",
     {("非法集资", "exemplifies", "风险事件")}, None),
    ("要防范非法集资、电信诈骗等风险。", set(), ("非法集资", "exemplifies", "风险")),
    # 以A、B为代表的C
    ("以人工智能、大数据为代表的新一代信息技术加速演进。",
     {("人工智能", "exemplifies", "新一代信息技术")}, None),
    # 比如，A；B。: the examples go on after a ； in the paragraph, not after a 。
    ("数字政务也出现了“数字负担”等问题，比如，一些地方数据孤岛依然存在；一些平台重复建设严重。",
     {("平台重复建设严重", "exemplifies", "数字负担")}, None),
    ("数字政务也出现了“数字负担”等问题，比如，一些地方数据孤岛依然存在。一些平台重复建设严重。",
     set(), ("平台重复建设严重", "exemplifies", "数字负担")),
    # 以A为指导/支撑/抓手: the subject, or the next clause's measure, uses A
    ("《青禾规划》以绿色发展理念为指导，提出了明确的任务。", {("青禾规划", "uses", "绿色发展理念")}, None),
    ("以数字技术为支撑，加快推进基层治理数字化转型。",
     {("加快推进基层治理数字化转型", "uses", "数字技术")}, None),
    ("《青禾规划》以绿色发展理念为目标。", set(), ("青禾规划", "uses", "绿色发展理念")),
    # features listed after a platform exemplify it
    ("通过数据共享，“甲乙云”平台实现报表台账自动生成、字段智能预填等功能。",
     {("字段智能预填", "exemplifies", "甲乙云")}, None),
    # 比如 as a clause of its own: the examples of the problem's kind in the rest of it
    ("也出现了“数字负担”等问题，比如，出现“指尖上的形式主义”。",
     {("指尖上的形式主义", "exemplifies", "数字负担")}, None),
    # 以A为例: the case exemplifies what the sentence before names first (also across a
    # paragraph break); a case with no name (以此为例) or no sentence before gives nothing
    ("要推进公共数据开放。以“甲乙通”平台为例，市交通委开放了公交数据。",
     {("甲乙通", "exemplifies", "推进公共数据开放")}, None),
    ("数字政府建设成效显著。\n以“青禾办”为例，群众办事更方便了。",
     {("青禾办", "exemplifies", "数字政府")}, None),
    ("随着“青禾云”投入使用，部门实现一次登录。以户籍档案信息采集为例，各区推行一次采集。",
     {("户籍档案信息采集", "exemplifies", "青禾云")}, None),
    ("数字政府建设成效显著，以“青禾办”为例，群众办事更方便了。",
     {("青禾办", "exemplifies", "数字政府")}, None),
    ("要推进公共数据开放。去年，以“甲乙通”平台为例，市交通委开放了公交数据。",
     {("甲乙通", "exemplifies", "推进公共数据开放")}, None),
    ("以“甲乙通”平台为例，市交通委开放了公交数据。", set(),
     ("甲乙通", "exemplifies", "公交数据")),
    ("要推进公共数据开放。以“甲乙通”平台为抓手，打通数据壁垒。", set(),
     ("甲乙通", "exemplifies", "推进公共数据开放")),
    # a measure uses the technology it puts to use, not the one it builds or qualifies
    ("人工智能发展很快。要加快人工智能等新技术的融合应用。",
     {("加快人工智能等新技术的融合应用", "uses", "人工智能")}, None),
    ("人工智能发展很快。要降低人工智能应用的技术门槛。", set(),
     ("降低人工智能应用的技术门槛", "uses", "人工智能")),
    ("云计算发展很快。要加快布局5G、云计算等数字基础设施。", set(),
     ("加快布局5G、云计算等数字基础设施", "uses", "云计算")),
])
def test_examples_and_uses(extractor, text, expected, absent):
    rels = relations(extractor, text)
    assert expected <= rels, rels
    assert absent is None or absent not in rels


# ---- enables and exemplifies as the genre phrases them
@pytest.mark.parametrize("text, expected, absent", [
    # the support or engine of a concept enables it; a concept that needs another's
    # support is enabled by that other, not the reverse
    ("算力是数字经济发展的关键支撑。", {("算力", "enables", "数字经济")}, None),
    ("普惠金融的发展离不开区块链的支撑。", {("区块链", "enables", "普惠金融")},
     ("普惠金融", "enables", "区块链")),
    ("数字技术不断为城市治理赋能。", {("数字技术", "enables", "城市治理")}, None),
    ("数字经济将为中国经济的高质量发展提供有力支撑。", {("数字经济", "enables", "高质量发展")}, None),
    # a typical case exemplifies the concept
    ("低空经济作为新质生产力的典型代表，正在多地加速起飞。",
     {("低空经济", "exemplifies", "新质生产力")}, None),
    # a product after a field frame is a case of the field; a measure there is not
    ("在普惠金融领域，青禾银行推出了“禾苗贷”。", {("禾苗贷", "exemplifies", "普惠金融")}, None),
    # the parts of a quoted numbered whole
    ("扎实做好科技金融、绿色金融、普惠金融、养老金融、数字金融“五篇大文章”。",
     {("养老金融", "partOf", "五篇大文章")}, None),
    # cases framed before their kind
    ("包括人工智能、区块链在内的数字技术加速应用。",
     {("区块链", "exemplifies", "数字技术")}, None),
    # 要以A为核心/根本，B: the measure of the next clause uses A, also after a modal
    ("要以数字技术为核心，加快推进基层治理数字化转型。",
     {("加快推进基层治理数字化转型", "uses", "数字技术")}, None),
])
def test_genre_enables_and_examples(extractor, text, expected, absent):
    rels = relations(extractor, text)
    assert expected <= rels, rels
    assert absent is None or absent not in rels


# ---- addresses: an aim of solving a problem, and a problem eased after a product
@pytest.mark.parametrize("text, expected, absent", [
    # 为/为了 + a verb of solving opening the sentence: the product or measure after the comma
    ("为破解小店融资难题，某区上线“链易贷”平台。", ("链易贷", "addresses", "小店融资难题"), None),
    ("为有效防范数据泄露风险，建立数据分级保护制度。",
     ("建立数据分级保护制度", "addresses", "数据泄露风险"), None),
    # a problem that is gradually solved after a product spreads
    ("随着“椿城办”的推广，群众办事难的问题逐步得到解决。", ("椿城办", "addresses", "办事难"), None),
    # a weak spot aimed at with 针对 … 的短板
    ("针对农户缺少抵押物的短板，某行推出了“林权贷”。", ("林权贷", "addresses", "农户缺少抵押物"), None),
])
def test_addresses_aims(extractor, text, expected, absent):
    rels = relations(extractor, text)
    assert expected is None or expected in rels, rels
    assert absent is None or absent not in rels


@pytest.mark.parametrize("text, expected", [
    # a demonstrative names an entity of its class named earlier in its own sentence
    ("记者从蓝海市数据局获悉，下一步，该局将开展“数据赋能行动”。",
     ("蓝海市数据局", "undertakes", "数据赋能行动")),
    ("青禾科技有限公司成立于2015年。该企业推出了“禾链通”平台。",
     ("青禾科技有限公司", "offers", "禾链通")),
    # 这一模式 names the last entity the text calls a 模式, 此举 the last measure
    ("青禾县推行“禾信通”模式。这一模式有效缓解了农户贷款难问题。",
     ("禾信通", "addresses", "贷款难")),
    ("青禾市数据局表示，将进一步完善数据共享机制。此举有助于破解数据孤岛问题。",
     ("完善数据共享机制", "addresses", "数据孤岛")),
])
def test_demonstratives_name_the_entity_before_them(extractor, text, expected):
    from kg.pipeline import resolve_extractions
    ents, rels = resolve_extractions([extractor.extract(article_of(text))])
    assert expected in {(s.label, p, o.label) for s, p, o, _ in rels}


@pytest.mark.parametrize("text, expected, absent", [
    # no cue word: the class pair's default, to the nearest entity on its side
    ("“甲乙贷”上线三年，普惠金融成效明显。", {("甲乙贷", "enables", "普惠金融")}, set()),
    ("截至去年底，东海银行“甲乙贷”累计放款百亿元。", {("东海银行", "offers", "甲乙贷")}, set()),
    ("目前在临江市，“乙丙码”已覆盖全部社区。", {("乙丙码", "locatedIn", "临江市")}, set()),
    # the side counts: a place after the product locates nothing, a concept before a measure
    # only where the measure has no relation yet
    ("“乙丙码”已覆盖全部社区，临江市表示满意。", set(), {("乙丙码", "locatedIn", "临江市")}),
    # only the nearest: the measure serves the first concept after it, not the second
    ("要加快建设算力网络，为数字经济和智慧城市打下基础。",
     {("加快建设算力网络", "enables", "数字经济")}, {("加快建设算力网络", "enables", "智慧城市")}),
    # a pair a rule related already gets no default edge besides (nor the other way round)
    ("信息不对称导致融资难。", {("信息不对称", "causes", "融资难")}, {("融资难", "causes", "信息不对称")}),
    # isolated: a measure and a problem get a default edge where one of them has no relation
    # yet, none where both are related already (in an earlier sentence too)
    ("要完善担保体系以应对信用风险，融资难问题才能好转。",
     {("完善担保体系以应对信用风险", "addresses", "融资难")}, set()),
    ("数字普惠金融缓解了融资难。要完善担保体系以应对信用风险，融资难问题才能好转。", set(),
     {("完善担保体系以应对信用风险", "addresses", "融资难")}),
    # a place right before a name (or before 的 and the name) is where the thing is; one
    # that modifies another noun first is not (在合肥的一家商场，……)
    ("我国社会主义制度以公有制为基础。", {("社会主义制度", "locatedIn", "我国")}, set()),
    ("在合肥的一家商场，“数据护照”服务已经上线。", set(), {("数据护照服务", "locatedIn", "合肥")}),
    # a recipient (为……) offers nothing, not even by default
    ("东岭银行为临江工业园区一家生物医药企业发放了首笔“甲乙贷”。", {("东岭银行", "offers", "甲乙贷")},
     {("生物医药企业", "offers", "甲乙贷")}),
    # a cue word of the predicate between the two: the cue rules weighed the pair
    ("要加强甲类监管，以高水平监管防范化解金融风险。", set(), {("加强甲类监管", "addresses", "金融风险")}),
    # items of one list are no pair (培育智能网联汽车、数字健康等产业)
    ("重点培育智能网联汽车、数字健康、数字安防等智慧城市相关产业新增长点，打造具有国际竞争力的解决方案。",
     set(), {("智能网联汽车", "enables", "数字健康")}),
])
def test_class_pair_defaults_where_no_rule_relates(extractor, text, expected, absent):
    got = relations(extractor, text)
    assert expected <= got, got
    assert not absent & got, got


def test_default_edges_name_their_rule(extractor):
    ex = extractor.extract(article_of("截至去年底，东海银行“甲乙贷”累计放款百亿元。"))
    rules = {(r.subject.label, r.predicate, r.object.label): r.rule for r in ex.relations}
    assert rules[("东海银行", "offers", "甲乙贷")] == "default.offers"


@pytest.mark.parametrize("expect, lines", [
    # found, under its own label or another
    ("科技企业", ["Expected “科技企业”: found: 科技企业:Company, rule institution.enterprise_kind"]),
    # jieba glues a name to the verb after it: no rule can give the span
    ("张明", ["Expected “张明”: not extracted. In sentence 1:",
              "  - jieba's words cross its edges (张/q 明说/v): a rule matches whole words, so no "
              "rule can give exactly this span (a lexicon entry of it would)"]),
    # a stop label, and a shorter entity inside the phrase
    ("问题", ["  - [cleanup] rejects it: a stop label (stop_labels)"]),
    ("实体经济发展基础不够牢固", ["  - the entity 实体经济:Concept (rule lexicon.typed_word) lies inside it",
                       "  - no rule matched words holding it"]),
    ("在降低成本的前提下", ["  - [cleanup] rejects it: reject_patterns "
                    "^在[^，。；]{2,}(前提下|情况下|背景下|条件下|基础上)$"]),
    ("北京", ["Expected “北京”: not extracted; it is not in the text as written (quote marks and "
            "spaces count)"]),
    # label:Class, as rule examples write an entity: the class is judged too
    ("科技企业:Company", ["Expected “科技企业:Company”: found: 科技企业:Company, "
                        "rule institution.enterprise_kind"]),
    ("杭州银行:Institution", ["Expected “杭州银行:Institution”: found: 杭州银行:Bank, "
                          "rule institution.bank_name (Bank is a kind of Institution)"]),
    ("科创贷:FinancialProduct", ["Expected “科创贷:FinancialProduct”: found as 科创贷:Product "
                             "(rule product.launched_quoted), not as FinancialProduct",
                             "  - FinancialProduct is a kind of Product: no rule or lexicon "
                             "entry gave it the finer class",
                             "  - typed by: product.launched_quoted (Product)"]),
    ("杭州银行:Problem", ["Expected “杭州银行:Problem”: found as 杭州银行:Bank "
                      "(rule institution.bank_name), not as Problem",
                      "  - Problem and Bank are of different core classes (Problem, Institution)"]),
    ("北京:City", ["Expected “北京:City”: not extracted; it is not in the text as written "
                 "(quote marks and spaces count)"]),
    ("科创贷:Loan", ["Expected “科创贷:Loan”: Loan is not an entity class of the ontology "
                   "(write label:Class, e.g. 科创贷:FinancialProduct, or the label alone)"]),
    # relations: made, made otherwise, an end missing, both ends but no rule
    ("杭州银行 offers 科创贷", ["Expected 杭州银行 offers 科创贷: found, rule offers.institution_provides"]),
    ("科创贷 offers 杭州银行", ["Expected 科创贷 offers 杭州银行: not made; the two are related otherwise: "
                          "杭州银行 offers 科创贷 (offers.institution_provides)"]),
    ("科创贷 uses 大数据", ["Expected 科创贷 uses 大数据: not made: no entity “大数据” "
                      "(kg explain --expect 大数据 says why)"]),
    ("实体经济 enables 科创贷", ["Expected 实体经济 enables 科创贷: not made: both entities are found, "
                          "but no rule or cue relates them (their relations are listed above)"]),
])
def test_explain_says_why_an_expected_entity_or_relation_is_or_is_not_made(expect, lines):
    out = explain("“现在小程序太方便了！”张明说。群众跑腿多的问题得到解决。实体经济发展基础不够牢固。"
                  "在降低成本的前提下推进改革。杭州银行推出“科创贷”，缓解科技企业融资难问题。",
                  expect=(expect,)).splitlines()
    tail = out[out.index(next(x for x in out if x.startswith("Expected"))):]
    for line in lines:
        assert line in tail, "\n".join(tail)
