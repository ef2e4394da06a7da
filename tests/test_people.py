"""People: names after titles and in bylines, no person made of the words around a name,
and who they work for."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, present, absent", [
    # 采访时 between a title and 表示 is no name
    ("某大学副院长赵明在接受记者采访时表示，政策空间依然充足。", {"赵明"}, {"采访时"}),
    # two reporters in a byline
    ("本报记者 李晓明 张伟", {"李晓明", "张伟"}, set()),
    # an author's note with a colon
    ("（作者：陈文玲，系某研究中心总经济师）", {"陈文玲"}, set()),
    # a name jieba cuts into surname and given name after a title, compound surnames too
    ("会上，临江市人民政府副市长孙卫国作主旨演讲。", {"孙卫国"}, {"孙", "卫国"}),
    ("东海云科技集团副总裁欧阳晓东先后发言。", {"欧阳晓东"}, {"晓东"}),
    # the same before a verb of saying, after a quote
    ("“数据要素价值巨大。”李红光说。", {"李红光"}, {"红光"}),
    # 均 after a name before a verb of saying is no part of it
    ("某局局长杨帆、某厅副厅长刘建国均认为，要打破数据壁垒。", {"刘建国"}, {"刘建国均"}),
    # a correspondent in a byline
    ("（记者 黄思远 通讯员 钟晓岚）", {"黄思远", "钟晓岚"}, set()),
    # a byline with a slash, and a split name before 看来 or a deputy's title
    ("文/孔令轩", {"孔令轩"}, set()),
    ("在邵振华看来，数字化是关键。", {"邵振华"}, {"振华"}),
    ("邵振华代表建议，加快建设平台。", {"邵振华"}, set()),
    # a three-character name jieba cuts after the surname or before the last character
    ("家住济南市历下区的退休教师李淑芬说。", {"李淑芬"}, {"淑芬"}),
    ("本报记者  王云杉  白光迪", {"王云杉", "白光迪"}, {"白光", "云杉"}),
    # a transliterated foreign name cut in pieces, with its middle dot
    ("东海基金组织总裁格奥尔基耶娃日前表示，全球经济面临风险。", {"格奥尔基耶娃"}, {"耶娃", "格奥尔基"}),
    ("东海银行首席经济学家英德尔米特·吉尔认为，技术有帮助。", {"英德尔米特·吉尔"}, {"吉尔"}),
    # a town jieba tags as a name is no person
    ("上海市金桥镇居民说，如今办事方便了。", set(), {"金桥镇"}),
    # a title of two words (行长助理): the name after the second
    ("该行行长助理韦晓岚表示，将扩大信贷投放。", {"韦晓岚"}, {"助理韦晓岚"}),
    # a farmer named after the kind of farm he runs, the name cut in two
    ("养殖大户刘长河介绍，今年收入翻了一番。", {"刘长河"}, {"长河"}),
])
def test_person_names(expect_labels, text, present, absent):
    expect_labels(text, "Person", present, absent)


def test_an_author_after_a_comma_and_系_is_affiliated(triples):
    rels = triples("（作者：陈文玲，系中国国际经济交流中心总经济师）")
    assert ("陈文玲", "affiliatedWith", "中国国际经济交流中心") in rels, rels


def test_a_speakers_institution_undertakes_nothing_the_speaker_advises(triples):
    rels = triples("光大银行研究员周茂华指出，需关注外部风险。")
    assert ("周茂华", "affiliatedWith", "光大银行") in rels, rels
    assert ("光大银行", "undertakes", "关注外部风险") not in rels, rels


def test_a_speaker_introduced_by_post_in_brackets_is_affiliated(triples):
    rels = triples("赵海平（临江市政务服务管理办公室主任）：我们推行了新办法。")
    assert ("赵海平", "affiliatedWith", "临江市政务服务管理办公室") in rels, rels


@pytest.mark.parametrize("text, person, institution", [
    ("郝德明，南开大学经济学院院长。", "郝德明", "南开大学经济学院"),
    ("来自东海大学的郝德明教授认为，要稳增长。", "郝德明", "东海大学"),
])
def test_a_post_in_apposition_or_an_origin_is_an_affiliation(triples, text, person, institution):
    rels = triples(text)
    assert (person, "affiliatedWith", institution) in rels, rels
