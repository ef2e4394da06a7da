"""Segmentation: kg's faster part-of-speech Viterbi gives exactly jieba's tags.

kg.viterbi replaces the Viterbi of jieba.posseg for speed only: on every run of
Chinese characters of the bundled, held-out and blind articles, on random pieces of
them and on random characters (many unknown to the model), it must return what
jieba's own returns, score and states; and the Segmenter must cut every sentence of
those articles as a plain jieba POSTokenizer over the same dictionary does.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import jieba.posseg as posseg
import pytest
from hypothesis import given, settings, strategies as st
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from kg import lexicon, ontology, segment
from kg.sources import read_sources
from kg.viterbi import viterbi

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "sources", ROOT / "tests" / "heldout", ROOT / "tests" / "heldout2"]
MODEL = (posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
ARTICLES = [a for folder in FOLDERS for a in read_sources([folder])]
RUNS = sorted({run for a in ARTICLES for run in re.findall("[\u4E00-\u9FD5]+", a.text)})


def pieces(seed: int = 0, per_run: int = 1) -> list[str]:
    """Random pieces (2-8 characters) of the runs: the size of the unknown words jieba tags."""
    rng = random.Random(seed)
    out = []
    for run in RUNS:
        for _ in range(per_run):
            i = rng.randrange(len(run))
            out.append(run[i:i + rng.randint(2, 8)])
    return out


def test_the_texts_give_many_runs():
    assert len(RUNS) > 500


@pytest.mark.parametrize("group", ["runs", "pieces"])
def test_viterbi_agrees_with_jieba_on_the_articles(group):
    texts = RUNS if group == "runs" else pieces()
    diffs = [t for t in texts if viterbi(t, *MODEL) != jieba_viterbi(t, *MODEL)]
    assert diffs == []


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FD5)
KNOWN = st.sampled_from(sorted(posseg.char_state_tab_P)[:4000])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CJK, KNOWN), min_size=1, max_size=14).map("".join))
def test_viterbi_agrees_with_jieba_on_random_characters(text):
    assert viterbi(text, *MODEL) == jieba_viterbi(text, *MODEL)


def test_segmenter_cuts_as_jieba_does():
    seg = segment.get(lexicon.load(None, ontology.load()))
    plain = posseg.POSTokenizer.__new__(posseg.POSTokenizer)  # jieba's own, same dictionary
    plain.tokenizer = seg._posseg.tokenizer
    plain.word_tag_tab = seg._posseg.word_tag_tab
    for a in ARTICLES:
        for s in a.sentences:
            ours = [(t.text, t.pos) for t in seg.tokens(s.text)]
            theirs = [(p.word, p.flag) for p in plain.cut(s.text) if not p.word.isspace()]
            assert ours == theirs, s.text
