"""Segmentation: jieba's part-of-speech cut over jieba's dictionary and the typed lexicon.

The words, their frequencies and tags, and the HMM that tags unknown runs are
jieba's, with the lexicon of ``ontology/lexicon/`` added as ``jieba.Tokenizer.add_word``
adds it (the global ``jieba.dt`` is never touched). Preparing that model with jieba
costs about 2.5 s in every process (its prefix dictionary, the word-tag table read
from dict.txt, the HMM tables); so it is prepared once per jieba version and lexicon
and kept as one file in the cache folder (``kg.fileio.cache_root``), which a process
loads in about half a second without importing jieba at all. The file is plain JSON
(nothing in it can run code; the word frequencies and the HMM's emission probabilities
as base64 of little-endian arrays of 64-bit numbers, several times faster to read than
JSON numbers, exact) behind a SHA-256 of it, and is checked when loaded
(non-empty tables, values of the right types, every HMM state known): a damaged or
foreign file is dropped with a warning and the model is prepared again.

The cut is ``jieba.posseg.POSTokenizer.cut`` (HMM on) written over that model, with
the faster Viterbi of ``kg.viterbi``: the same words and tags (tests/test_segment.py
compares both on every sentence of the test articles and on random text).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import sys
from array import array
from dataclasses import dataclass
from itertools import chain, repeat
from math import log
from .errors import OutputError
from .fileio import atomic_write, cache_root, seal, unseal
from .lexicon import Lexicon
from .model import Token
from .viterbi import viterbi

OPEN_QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’"}
MODEL_VERSION = "3"  # of the layout of the model file

# jieba.posseg's patterns (re_han_internal, re_skip_internal, re_han_detail, ...)
_HAN_INTERNAL = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")
_SKIP_INTERNAL = re.compile(r"(\r\n|\s)")
_HAN_DETAIL = re.compile(r"([\u4E00-\u9FD5]+)")
_SKIP_DETAIL = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_ENG = re.compile(r"[a-zA-Z0-9]+")
_NUM = re.compile(r"[\.0-9]+")


@dataclass
class Model:
    """What the cut needs: jieba's tokenizer state with the lexicon, and its POS HMM."""

    freq: dict  # word or word prefix -> frequency (0 for a prefix only)
    total: int
    tags: dict  # word -> POS tag
    char_states: dict  # the HMM: character -> possible (position, tag) states
    start: dict
    trans: dict
    emit: dict

    def dump(self) -> bytes:
        """The model file: a header line, the SHA-256 of the payload, the payload (JSON).
        Words are one string and their frequencies a list in the same order, the
        tagged words first, in runs of one tag (loads several times faster than a
        JSON object per word); HMM states ("B", "n") are written "B n"."""
        groups: dict[str, list[str]] = {}  # tagged words first, grouped by tag
        for w in self.freq:
            groups.setdefault(self.tags.get(w, ""), []).append(w)
        runs = sorted(t for t in groups if t)
        words = [w for t in runs for w in groups[t]] + groups.get("", [])

        def state(s):
            return f"{s[0]} {s[1]}"

        if any(len(c) != 1 for v in self.emit.values() for c in v):
            raise ValueError("the HMM emits characters: one per key")

        payload = {
            "words": "\n".join(words), "freq": _pack("q", [self.freq[w] for w in words]),
            "total": self.total, "tag_runs": [[t, len(groups[t])] for t in runs],
            "other_tags": {w: t for w, t in self.tags.items() if w not in self.freq},
            "char_states": {c: [state(x) for x in v] for c, v in self.char_states.items()},
            "start": {state(k): v for k, v in self.start.items()},
            "trans": {state(k): {state(k2): p for k2, p in v.items()} for k, v in self.trans.items()},
            "emit": {state(k): ["".join(v), _pack("d", v.values())] for k, v in self.emit.items()},
        }
        return seal(_HEADER, json.dumps(payload, ensure_ascii=False,
                                        separators=(",", ":")).encode("utf-8"))

    @classmethod
    def load(cls, data: bytes) -> "Model":
        """The model of a file made by ``dump``; ModelFileError says what is wrong."""
        try:
            payload = unseal(data, _HEADER)
        except ValueError as e:
            raise ModelFileError(str(e)) from None
        try:
            return cls._checked(json.loads(payload))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
            raise ModelFileError(f"malformed ({' '.join(str(e).split())[:80]})") from None

    @classmethod
    def _checked(cls, p: dict) -> "Model":
        words = p["words"].split("\n")
        freq, total, runs = _unpack("q", p["freq"]), p["total"], p["tag_runs"]
        _require(len(words) == len(freq) and words != [""], "word tables")
        _require(type(total) is int and total > 0, "total")
        _require(min(freq) >= 0, "frequencies")
        _require(all(type(t) is str and type(n) is int and n > 0 for t, n in runs)
                 and sum(n for _, n in runs) <= len(words), "tags")
        other = p["other_tags"]
        _require(all(type(t) is str for t in other.values()), "tags")
        states: dict[str, tuple] = {}

        def state(text):
            if text not in states:
                a, b = text.split(" ")
                states[text] = (a, b)
            return states[text]

        char_states = {c: tuple(map(state, v)) for c, v in p["char_states"].items()}
        start = {state(k): v for k, v in p["start"].items()}
        trans = {state(k): {state(k2): x for k2, x in v.items()} for k, v in p["trans"].items()}
        emit = {}
        for k, (chars, probs) in p["emit"].items():
            probs = _unpack("d", probs)
            _require(type(chars) is str and len(chars) == len(probs), "HMM probabilities")
            emit[state(k)] = dict(zip(chars, probs))
        _require(char_states and all(char_states.values()), "char_states")
        used = set(chain.from_iterable(char_states.values()))
        _require(used <= start.keys() and used <= trans.keys() and used <= emit.keys(),
                 "HMM states")
        numbers = chain(start.values(), *(v.values() for v in trans.values()))  # emit: floats
        _require(set(map(type, numbers)) <= {float, int}, "HMM probabilities")
        # the words of each run of tags in turn, then the words without a frequency
        tags = dict(zip(words, chain.from_iterable(repeat(t, n) for t, n in runs)))
        tags.update(other)
        return cls(dict(zip(words, freq)), total, tags, char_states, start, trans, emit)


_HEADER = f"kg-segmenter-model {MODEL_VERSION}\n".encode()


def _pack(code: str, values) -> str:
    """Numbers as base64 of a little-endian ``array`` of type ``code``."""
    a = array(code, values)
    if sys.byteorder == "big":
        a.byteswap()
    return base64.b64encode(a.tobytes()).decode("ascii")


def _unpack(code: str, text: str) -> array:
    """The numbers of ``_pack``; ValueError or TypeError if ``text`` is not such a string."""
    if type(text) is not str:
        raise TypeError(f"expected a string, got {type(text).__name__}")
    a = array(code)
    a.frombytes(base64.b64decode(text, validate=True))
    if sys.byteorder == "big":
        a.byteswap()
    return a


class ModelFileError(ValueError):
    """A cached model file is damaged or foreign."""


def _require(ok, what: str) -> None:
    if not ok:
        raise ModelFileError(f"bad {what}")


def jieba_tokenizer(lexicon: Lexicon):
    """jieba's own ``POSTokenizer`` over a private ``jieba.Tokenizer`` with the lexicon
    added: what the model is prepared from (and what the tests compare the cut with)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    folder = cache_root()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tk.tmp_dir = str(folder)  # jieba's own cache of its prefix dictionary
    except OSError:
        pass  # jieba falls back to the system's temporary folder
    tk.initialize()
    for e in lexicon.entries:
        pos = lexicon.types[e.type].pos if e.type else None
        tk.add_word(e.word, e.freq, pos)
    # POSTokenizer(tk) would re-read the word-tag table of the default dictionary;
    # importing jieba.posseg has read it already: copy it, then add the lexicon's tags
    # (what POSTokenizer.makesure_userdict_loaded does on its first cut).
    ptk = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    ptk.tokenizer = tk
    ptk.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    ptk.makesure_userdict_loaded()
    return ptk


def prepare(lexicon: Lexicon) -> Model:
    """The model, prepared with jieba (the slow way)."""
    import jieba.posseg as posseg

    ptk = jieba_tokenizer(lexicon)
    freq = ptk.tokenizer.FREQ
    # one string object per word and per tag: a smaller file, loaded faster
    words = {w: w for w in freq}
    names: dict = {}
    tags = {words.get(w, w): names.setdefault(t, t) for w, t in ptk.word_tag_tab.items()}
    return Model(freq, ptk.tokenizer.total, tags, posseg.char_state_tab_P, posseg.start_P,
                 posseg.trans_P, posseg.emit_P)


def model_key(lexicon: Lexicon) -> str:
    """The model's cache key: its layout, jieba's version, the lexicon."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        jieba_version = version("jieba")
    except PackageNotFoundError:
        jieba_version = "?"
    return hashlib.sha256("\0".join([MODEL_VERSION, jieba_version,
                                     lexicon.digest]).encode()).hexdigest()[:32]


def load_model(lexicon: Lexicon) -> Model:
    """The model of ``lexicon`` from the cache, else prepared and cached (if it can be).
    A damaged cached model is dropped with a warning (on stderr) and made again."""
    path = cache_root() / "segmenter" / f"{model_key(lexicon)}.json"
    model = None
    try:
        model = Model.load(path.read_bytes())
    except OSError:
        pass  # missing or unreadable: make it
    except ModelFileError as e:
        print(f"Warning: cached segmenter model {path} is damaged ({e}); preparing it again",
              file=sys.stderr)
    if model is None:
        model = prepare(lexicon)
        try:
            atomic_write(path, model.dump())
        except (OSError, OutputError):  # a cache is an optimisation: never fail over it
            pass
    return model


class Segmenter:
    def __init__(self, lexicon: Lexicon, model: Model | None = None):
        self.lexicon = lexicon
        self.model = model or load_model(lexicon)
        self._freq = self.model.freq
        self._tags = self.model.tags
        self._logtotal = log(self.model.total)
        self._types = lexicon.type_of()

    def tokens(self, text: str, offset: int = 0) -> list[Token]:
        """Tokens of ``text`` (offsets shifted by ``offset``), with quote flags."""
        out: list[Token] = []
        pos = 0
        depth: list[str] = []
        for word, tag in self.cut(text):
            start = text.find(word, pos)
            if start < 0:  # the cut never rewrites text, but be safe
                start = pos
            end = start + len(word)
            pos = end
            if word.isspace():
                continue
            if word == "—" and out and out[-1].text in ("—", "——") and out[-1].end == offset + start:
                # a dash of two marks (——) is one word, a break; a lone one joins words
                # (科技—产业—金融, 5G—A)
                last = out[-1]
                out[-1] = Token(last.text + word, last.pos, last.start, offset + end, None, last.quoted)
                continue
            quoted = bool(depth)  # marks nested in an outer quote are quoted text
            if depth and word == depth[-1]:
                depth.pop()
                quoted = bool(depth)
            elif word in OPEN_QUOTES and len(depth) < 8:
                quoted = bool(depth)
                depth.append(OPEN_QUOTES[word])
            out.append(Token(word, tag, offset + start, offset + end,
                             self._types.get(word), quoted))
        return out

    # -------------------------------------------- jieba.posseg.POSTokenizer.cut
    # Written as functions that append (word, tag) pairs to one list rather than as
    # jieba's nested generators: a word from the HMM passed up through four of them.
    def cut(self, sentence: str) -> list[tuple[str, str]]:
        """(word, tag) pairs: ``POSTokenizer.cut(sentence, HMM=True)``."""
        out: list[tuple[str, str]] = []
        append = out.append
        for blk in _HAN_INTERNAL.split(sentence):
            if _HAN_INTERNAL.match(blk):
                self._cut_dag(blk, out)
                continue
            for x in _SKIP_INTERNAL.split(blk):
                if _SKIP_INTERNAL.match(x):
                    append((x, "x"))
                    continue
                for xx in x:
                    if _NUM.match(xx):
                        append((xx, "m"))
                    elif _ENG.match(x):  # sic: jieba tests the whole run here
                        append((xx, "eng"))
                    else:
                        append((xx, "x"))
        return out

    def _route(self, sentence: str) -> list:
        """jieba's ``Tokenizer.get_DAG`` and ``calc``: the best (score, end) per position,
        the words from each position scored as they are found (the same sums in the same
        order: the same floats)."""
        freq, n = self._freq, len(sentence)
        logtotal = self._logtotal
        route: list = [None] * n + [(0, 0)]
        for k in range(n - 1, -1, -1):
            best = None
            i, frag = k, sentence[k]
            while i < n:
                f = freq.get(frag)
                if f is None:
                    break
                if f:  # a word (0: only the prefix of one)
                    score = (log(f) - logtotal + route[i + 1][0], i)
                    if best is None or score > best:
                        best = score
                i += 1
                frag = sentence[k:i + 1]
            # no word here: the character alone, at jieba's frequency 1
            route[k] = best or (log(1) - logtotal + route[k + 1][0], k)
        return route

    def _cut_dag(self, sentence: str, out: list) -> None:
        route, tags = self._route(sentence), self._tags
        x, n = 0, len(sentence)
        buf = 0  # where the run of single characters before x starts
        while x < n:
            y = route[x][1] + 1
            if y - x > 1:
                if buf < x:
                    self._cut_buffer(sentence[buf:x], out)
                word = sentence[x:y]
                out.append((word, tags.get(word, "x")))
                buf = y
            x = y
        if buf < n:
            self._cut_buffer(sentence[buf:], out)

    def _cut_buffer(self, buf: str, out: list) -> None:
        """A run of single characters: a word of the dictionary, or the HMM's words."""
        tags = self._tags
        if len(buf) == 1:
            out.append((buf, tags.get(buf, "x")))
        elif not self._freq.get(buf):
            self._cut_detail(buf, out)
        else:
            out.extend((ch, tags.get(ch, "x")) for ch in buf)

    def _cut_detail(self, sentence: str, out: list) -> None:
        for blk in _HAN_DETAIL.split(sentence):
            if _HAN_DETAIL.match(blk):
                self._cut_hmm(blk, out)
                continue
            for x in _SKIP_DETAIL.split(blk):
                if x:
                    if _NUM.match(x):
                        out.append((x, "m"))
                    elif _ENG.match(x):
                        out.append((x, "eng"))
                    else:
                        out.append((x, "x"))

    def _cut_hmm(self, sentence: str, out: list) -> None:
        m = self.model
        _, pos_list = viterbi(sentence, m.char_states, m.start, m.trans, m.emit)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            pos = pos_list[i][0]
            if pos == "B":
                begin = i
            elif pos == "E":
                out.append((sentence[begin:i + 1], pos_list[i][1]))
                nexti = i + 1
            elif pos == "S":
                out.append((char, pos_list[i][1]))
                nexti = i + 1
        if nexti < len(sentence):
            out.append((sentence[nexti:], pos_list[nexti][1]))


_cache: dict[str, Segmenter] = {}


def get(lexicon: Lexicon) -> Segmenter:
    """One Segmenter per lexicon per process."""
    if lexicon.digest not in _cache:
        _cache[lexicon.digest] = Segmenter(lexicon)
    return _cache[lexicon.digest]
