"""Concepts: the ideas, fields, aims and technologies a reader annotates, and the concept words
that only modify a noun of another thing."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, present, absent", [
    # a concept word right before a noun of another thing modifies it
    ("要守住数据安全底线。", set(), {"数据安全"}),
    ("利率是央行重要的宏观调控工具。", set(), {"宏观调控"}),
    ("银行推出数字支付服务体系。", set(), {"数字支付"}),
    # ... but not before a head naming its own field, aim or growth, nor before a verb
    # that jieba tags as a noun
    ("企业在人工智能领域加大投入。", {"人工智能"}, set()),
    ("政策将推动数字经济发展。", {"数字经济"}, set()),
    ("以金融高质量发展助力强国建设。", {"金融高质量发展", "强国建设"}, set()),
    # named once on its own, the concept stands with all its mentions
    ("要加强宏观调控。利率是宏观调控工具。", {"宏观调控"}, set()),
    # before another word of the lexicon (a list closed by its head), the items stand
    ("做好科技金融、绿色金融、普惠金融五篇大文章。", {"科技金融", "普惠金融", "五篇大文章"}, set()),
    # the aim of modernising governance is one concept, not its two halves
    ("要推进乡村治理体系和治理能力现代化。", {"乡村治理体系和治理能力现代化"}, {"治理能力现代化"}),
    ("这有助于实现城市治理体系和治理能力现代化。", {"城市治理体系和治理能力现代化"}, {"治理体系"}),
    ("要完善治理体系。", set(), {"治理体系和治理能力现代化"}),
    # a city's aimed standing as an international centre is a policy aim, not a platform
    ("增强上海国际金融中心的竞争力。", {"上海国际金融中心"}, set()),
    ("加快建设国际科技创新中心。", {"国际科技创新中心"}, set()),
    ("该市建成了大数据中心。", set(), {"大数据中心"}),
    # parallel fields named with one prefix of the genre are concepts, each prefix and word
    ("从数字基础、数字能力和数字应用三个维度评估。", {"数字基础", "数字能力", "数字应用"}, set()),
    ("推动未来制造、未来信息、未来材料等取得新突破。", {"未来制造", "未来信息", "未来材料"}, set()),
    # two items, or a prefix alone, are no such list
    ("数字和未来都很重要。", set(), {"数字", "未来"}),
    # a bare 新模式 names nothing once the words that made it a name are cut off
    ("将提供可借鉴的区域联防联控新模式。", set(), {"新模式"}),
    ("提升数字能力和数字素养。", set(), {"数字能力"}),
    # a coined quoted term is a concept; a quoted epithet after 是, or a quoted name of a
    # problem before 问题, is not
    ("这被称为“中国方案”。", {"中国方案"}, set()),
    ("金融是“国之大者”。", set(), {"国之大者"}),
    ("存在所谓“监管越位”问题。", set(), {"监管越位"}),
    # fields and aims of the genre (general-knowledge lexicon); a field prefixed to a
    # concept word or a region word is no word of its own
    ("加快发展新型储能和氢能。", {"新型储能", "氢能"}, set()),
    ("加快构建现代化经济体系。", {"现代化经济体系"}, set()),
    ("推进制造业数字化转型。", {"数字化转型"}, {"制造业数字化转型"}),
    ("进一步激活县域经济活力。", set(), {"县域经济"}),
    # a system that is the object of a measure is part of the measure; alone it stands
    ("要加快构建稳健高效的信贷调控体系。", set(), {"信贷调控体系"}),
    ("这离不开良好的数据开放政策体系。", {"数据开放政策体系"}, set()),
    # a figure of speech counted (五个“给力”) is no coined term; quoted slogans of short
    # measures and one-policy-per-unit formulas are measures, not concepts
    ("他用三个“硬气”来形容。", set(), {"硬气"}),
    ("所谓“闯市场”，就是主动出击。", set(), {"闯市场"}),
    ("各地要“强基础”“拓渠道”。", set(), {"强基础", "拓渠道"}),
    ("对重点园区实行“一园一策”。", set(), {"一园一策"}),
    # a plain one-word sector in a list of fields is no concept; a technology there is
    ("项目涉及交通、农业、水利等多个领域。", set(), {"交通", "农业", "水利"}),
    ("聚焦交通、量子计算应用、农业等领域。", {"量子计算应用"}, {"交通", "农业"}),
    # two concepts named as fusing are one named aim; a plain noun as the second is not
    ("推动数字经济与实体经济深度融合。", {"数字经济与实体经济深度融合"}, set()),
    ("推动数字经济与金融深度融合。", set(), {"数字经济与金融深度融合"}),
    # a verb jieba tags as a noun after a concept keeps it (协同发展)
    ("绿色金融与转型金融协同发展。", {"转型金融"}, set()),
    # a quoted pair of formulas a measure achieves, and a quoted theme, are named ideas
    ("居民办事实现“一次认证、一口登录”。", {"一次认证、一口登录"}, set()),
    ("本届大会以“数智向新、共创未来”为主题。", {"数智向新、共创未来"}, set()),
    ("本届大会以“数智向新”为抓手。", set(), {"数智向新"}),
    # general vocabulary of the genre, by field (helper h14-wt31): monetary policy, markets
    # and enterprise reform, energy, elderly care, rural reform, Party formulations
    ("要完善宏观审慎政策，健全现代中央银行制度。", {"宏观审慎政策", "现代中央银行制度"}, set()),
    ("加快构建高标准市场体系，营造亲清政商关系。", {"高标准市场体系", "亲清政商关系"}, set()),
    ("推进源网荷储一体化。", {"源网荷储一体化"}, set()),
    ("完善基本养老服务体系，推进医养结合。", {"基本养老服务体系", "医养结合"}, set()),
    ("深化农村集体产权制度改革。", {"农村集体产权制度改革"}, set()),
    ("坚持人口规模巨大的现代化。", {"人口规模巨大的现代化"}, set()),
    # a concept word with a generic head of building is the concept, not a word of its own
    ("加快数字政府建设。", {"数字政府"}, {"数字政府建设"}),
    # a shorter lexicon word does not cut a named strategy with its year
    ("深入实施中国制造2025。", {"中国制造2025"}, {"中国制造"}),
])
def test_concept_labels(expect_labels, text, present, absent):
    expect_labels(text, "Concept", present, absent)


@pytest.mark.parametrize("text, present, absent", [
    # a quoted name of a set of standards is a document, not a coined concept
    ("形成数据交换领域的“湾区标准”。", {"湾区标准"}, set()),
    ("提高“标准”。", set(), {"标准"}),
])
def test_quoted_standards_are_documents(expect_labels, text, present, absent):
    expect_labels(text, "Document", present, absent)


@pytest.mark.parametrize("text, present, absent", [
    # a short quoted coined term is a concept
    ("“双城效应”日益显现。", {"双城效应"}, set()),
    ("两地间的“通勤效应”日益显现。", {"通勤效应"}, set()),
    ("为各地提供“以智促治、以城兴业”的经验。", {"以智促治、以城兴业"}, set()),
    # a quoted action opened by a preposition, a count, a size figure, an epithet after 的
    # and a quoted modifier before 的 are none
    ("坚持“向群众要答案”的思路。", set(), {"向群众要答案"}),
    ("“向群众要答案”正在成为共识。", set(), {"向群众要答案"}),
    ("区里实现了“三个转变”。", set(), {"三个转变"}),
    ("从“小切口”入手，做出大文章。", set(), {"小切口"}),
    ("这里是城市的“会客厅”。", set(), {"会客厅"}),
    ("形成“一口受理”的办事体系。", set(), {"一口受理"}),
])
def test_quoted_terms(expect_labels, text, present, absent):
    expect_labels(text, "Concept", present, absent)
