"""Where a problem begins and ends: the labels a reader gives the problems of a text."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, present, absent", [
    # hard or dear to do, in a word jieba keeps whole (停车难) or cuts (充电/难)
    ("群众反映看病难、看病贵。", {"看病难", "看病贵"}, set()),
    ("老旧小区充电难问题突出。", {"充电难"}, set()),
    # a negated quality jieba cuts into 不 + 畅
    ("数据共享不畅，信息孤岛现象依然突出。", {"数据共享不畅", "信息孤岛"}, set()),
    # items listed before 等 and the head word 困难
    ("基层治理面临人才短缺、资金不足等困难。", {"人才短缺", "资金不足"}, set()),
    # a predicate jieba cuts in two: 有待/提高, 碎片/化, 高/企 (no measure 有待完善)
    ("目前，乡村医生的业务能力有待提高。", {"乡村医生的业务能力有待提高"}, set()),
    ("部分平台个人信息保护有待完善。", {"平台个人信息保护有待完善"}, set()),
    ("当前，部分行业数据标准碎片化，难以共享。", {"行业数据标准碎片化"}, set()),
    ("今年以来，企业用工成本高企。", {"企业用工成本高企"}, set()),
    ("相关问题有待进一步研究。", set(), {"相关问题有待进一步研究"}),
    # 不/佳 cut apart, and 低下 as a word of deficiency
    ("一些地区网络覆盖不到位，服务质量不佳。", {"服务质量不佳"}, set()),
    ("部分系统运行效率低下，群众办事耗时长。", {"系统运行效率低下"}, set()),
    ("服务质量很好。", set(), {"服务质量很好"}),
    # 紧张 and 繁重 as words of shortfall or burden
    ("一方面，基层人手紧张；另一方面，考核任务繁重。", {"基层人手紧张", "考核任务繁重"}, set()),
    # two negated qualities in a row (不平衡不充分)
    ("当前，城乡公共服务发展仍不平衡不充分。", {"公共服务发展不平衡"}, set()),
    # a problem or phenomenon said to be prominent (……的问题较为突出)
    ("个人信息被过度收集的问题较为突出。", {"个人信息被过度收集"}, set()),
    ("这些问题比较突出。", set(), {"这些"}),
    # a weak capacity against risk: 风险 inside the phrase is no head word
    ("部分中小银行资本补充渠道单一，抗风险能力较弱。", {"抗风险能力较弱"}, set()),
    ("要提升抗风险能力。", set(), {"抗风险能力", "提升抗风险能力"}),
    # what a difficulty lies in (难点在于……)
    ("数字化转型的痛点在于中小企业缺乏资金和人才。", {"中小企业缺乏资金和人才"}, set()),
    ("关键在于加强统筹协调。", set(), {"加强统筹协调"}),
    # "X问题是Y": X names a topic, Y the problem
    ("服务消费问题是供给不足。", {"供给不足"}, {"服务消费"}),
    # an object jieba tags as a place name (长尾/ns) after 难以
    ("传统金融服务难以覆盖长尾客群。", {"难以覆盖长尾客群"}, set()),
    # the owner of a risk before 存在 stays out of its label
    ("部分平台存在数据滥用风险。", {"数据滥用风险"}, {"平台存在数据滥用风险"}),
    # 普遍存在 is one jieba word; 面临着 has 着 between the verb and the list
    ("中小企业普遍存在转型成本高、技术能力弱等问题。", {"转型成本高", "技术能力弱"}, {"中小企业普遍存在转型成本高"}),
    ("基层治理面临着人才短缺、资金不足等困难。", {"人才短缺", "资金不足"}, set()),
    # a shortfall said of some with 有的 (有 + 的 to jieba): the one it is said of stays out
    ("有的地方配套措施尚未跟上，有的企业参与意愿不强。", {"配套措施尚未跟上", "参与意愿不强"}, set()),
    ("有的平台信息披露滞后。", {"信息披露滞后"}, {"平台信息披露滞后"}),
    ("有的企业表现很好。", set(), {"企业表现很好", "表现很好"}),
    # set phrases of the genre kept whole (general-knowledge lexicon), and a problem word
    # inside a measure that is no concept word of its own
    ("要防范资产泡沫和高杠杆带来的风险。", {"资产泡沫"}, set()),
    ("一些地方仍存在乱收费、乱摊派现象。", {"乱收费", "乱摊派"}, set()),
    ("要积极应对人口老龄化。", {"人口老龄化"}, set()),
    # a shortfall predicate is no lexicon word: the rules keep its subject in the label
    ("当前，部分行业企业生产经营困难。", {"行业企业生产经营困难"}, {"生产经营困难"}),
])
def test_problem_labels(expect_labels, text, present, absent):
    expect_labels(text, "Problem", present, absent)
