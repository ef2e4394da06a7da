"""Segmentation: kg's cut (and its faster Viterbi) gives exactly jieba's words and tags.

kg.viterbi replaces the Viterbi of jieba.posseg for speed only: on every run of
Chinese characters of the bundled, held-out and blind articles, on random pieces of
them and on random characters (many unknown to the model), it must return what
jieba's own returns, score and states; and the Segmenter, which cuts without jieba
from a model prepared once and cached, must cut every sentence of those articles, and
random text mixing Han, Latin, digits and spaces, as jieba's POSTokenizer over the same
dictionary and lexicon does.
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


@pytest.fixture(scope="module")
def lex():
    return lexicon.load(None, ontology.load())


@pytest.fixture(scope="module")
def jieba_pos(lex):
    """jieba's own POSTokenizer over the same dictionary and lexicon."""
    return segment.jieba_tokenizer(lex)


@pytest.fixture(scope="module")
def model(lex):
    return segment.prepare(lex)


@pytest.fixture(scope="module")
def seg(lex, model):
    return segment.Segmenter(lex, model)


@pytest.fixture
def preparations(model, monkeypatch, tmp_path):
    """A fresh cache folder; jieba's preparation replaced by a counted copy of ``model``."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    calls = []
    monkeypatch.setattr(segment, "prepare", lambda lex: calls.append(lex) or model)
    return calls


def test_segmenter_cuts_every_sentence_as_jieba_does(seg, jieba_pos):
    for a in ARTICLES:
        for s in a.sentences:
            assert list(seg.cut(s.text)) == [(p.word, p.flag) for p in jieba_pos.cut(s.text)], s.text


# Han text mixed with what jieba treats apart: Latin, digits, decimals, percentages,
# the characters it keeps inside words (+#&._), spaces, CRLF and punctuation.
MIXED = st.lists(st.one_of(
    st.sampled_from(RUNS[:300]), CJK, KNOWN,
    st.sampled_from(["AI", "5G", "3.5", "60%", "C++", "R&D", "v2.0", "_", "#", "-", "x"]),
    st.sampled_from([" ", "\r\n", "\n", "\t", "\u3000", "，", "。", "“", "”", "（", "）", "《", "》"]),
), min_size=1, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_segmenter_cuts_mixed_text_as_jieba_does(seg, jieba_pos, text):
    assert list(seg.cut(text)) == [(p.word, p.flag) for p in jieba_pos.cut(text)]


def test_tokens_keep_offsets_and_drop_spaces(seg):
    tokens = seg.tokens("网商银行 推出“大山雀”系统", offset=100)
    assert [t.text for t in tokens][:2] == ["网商银行", "推出"]
    assert all(t.text == "网商银行 推出“大山雀”系统"[t.start - 100:t.end - 100] for t in tokens)
    assert [t.quoted for t in tokens if t.text == "大山雀"] == [True]


# ------------------------------------------------------------ the model cache
def test_the_model_is_prepared_once_then_loaded_from_the_cache(lex, seg, preparations, tmp_path):
    segment.Segmenter(lex)
    assert len(preparations) == 1
    again = segment.Segmenter(lex)
    assert len(preparations) == 1
    assert again.model == seg.model
    assert again.tokens("数字金融赋能新质生产力") == seg.tokens("数字金融赋能新质生产力")


def _resealed(good: bytes, edit) -> bytes:
    """The model file with its JSON payload edited and a checksum that matches (planted)."""
    import hashlib
    import json

    header, _, payload = good.split(b"\n", 2)
    payload = json.dumps(edit(json.loads(payload)), ensure_ascii=False).encode()
    return header + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _flip(good: bytes) -> bytes:
    data = bytearray(good)
    data[len(data) // 2] ^= 0b101
    return bytes(data)


DAMAGED = {
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: b"not a model",
    "empty": lambda good: b"",
    "binary": lambda good: b"\xff" * 9,
    "bit-flip": _flip,
    "empty-tables": lambda good: _resealed(good, lambda p: {**p, "words": "", "freq": [],
                                                           "tags": [], "total": 0}),
    "zero-total": lambda good: _resealed(good, lambda p: {**p, "total": 0}),
    "string-frequency": lambda good: _resealed(good, lambda p: {**p, "freq": ["1"] * len(p["freq"])}),
    "unknown-state": lambda good: _resealed(good, lambda p: {**p, "start": {}}),
    "list-for-table": lambda good: _resealed(good, lambda p: {**p, "emit": []}),
}


@pytest.mark.parametrize("damage", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_model_file_is_prepared_again(lex, preparations, tmp_path, capsys, damage):
    segment.Segmenter(lex)
    (path,) = (tmp_path / "segmenter").glob("*.json")
    good = path.read_bytes()
    capsys.readouterr()
    path.write_bytes(damage(good))
    assert segment.Segmenter(lex).tokens("网商银行")[0].text == "网商银行"
    assert len(preparations) == 2
    assert path.read_bytes() == good  # made again, and kept
    err = capsys.readouterr().err
    assert err.startswith(f"Warning: cached segmenter model {path} is damaged (")
    assert err.endswith("); preparing it again\n") and err.count("\n") == 1


def test_an_unwritable_cache_only_costs_time(lex, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker))
    assert [t.text for t in segment.Segmenter(lex).tokens("网商银行")] == ["网商银行"]


def test_another_lexicon_gets_its_own_model(lex, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    words = tmp_path / "lexicon"
    words.mkdir()
    (words / "types.toml").write_bytes((lexicon.LEXICON_DIR / "types.toml").read_bytes())
    (words / "words.txt").write_text("山雀云图系统 20 product\n", "utf-8")
    other = lexicon.load(words, ontology.load())
    assert "山雀云图系统" not in [t.text for t in segment.Segmenter(lex).tokens("山雀云图系统上线")]
    tokens = segment.Segmenter(other).tokens("山雀云图系统上线")
    assert [(t.text, t.ltype) for t in tokens][0] == ("山雀云图系统", "product")
    assert len(list((tmp_path / "cache" / "segmenter").glob("*.json"))) == 2
