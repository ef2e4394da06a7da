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
