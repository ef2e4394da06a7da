"""Where a problem begins and ends: the labels a reader gives the problems of a text."""

from __future__ import annotations

import pytest

from kg.curated import load_extractor
from kg.ruletest import article_of


@pytest.fixture(scope="module")
def extractor():
    return load_extractor()


def problems(extractor, text: str) -> set[str]:
    return {m.label for m in extractor.extract(article_of(text)).mentions if m.cls == "Problem"}


@pytest.mark.parametrize("text, present, absent", [
    # hard or dear to do, in a word jieba keeps whole (停车难) or cuts (充电/难)
    ("群众反映看病难、看病贵。", {"看病难", "看病贵"}, set()),
    ("老旧小区充电难问题突出。", {"充电难"}, set()),
    # a negated quality jieba cuts into 不 + 畅
    ("数据共享不畅，信息孤岛现象依然突出。", {"数据共享不畅", "信息孤岛"}, set()),
    # items listed before 等 and the head word 困难
    ("基层治理面临人才短缺、资金不足等困难。", {"人才短缺", "资金不足"}, set()),
])
def test_problem_labels(extractor, text, present, absent):
    got = problems(extractor, text)
    assert present <= got, got
    assert not (absent & got), got
