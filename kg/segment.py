"""Segmentation: the only module that imports jieba.

A private ``jieba.Tokenizer`` loaded with the typed lexicon; the global
``jieba.dt`` is never touched. Runs of characters the dictionary does not know are
tagged by ``kg.viterbi``, jieba's part-of-speech Viterbi made faster, with the same
results. Loading costs about two seconds, so a Segmenter is made once per process
(see ``get``).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from .lexicon import Lexicon
from .model import Token

OPEN_QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’"}


class Segmenter:
    def __init__(self, lexicon: Lexicon, hmm: bool = True):
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        self.lexicon = lexicon
        self.hmm = hmm
        tk = jieba.Tokenizer()
        cache = Path(os.environ.get("KG_CACHE_DIR", Path(tempfile.gettempdir()) / "kg-jieba"))
        cache.mkdir(parents=True, exist_ok=True)
        tk.tmp_dir = str(cache)
        tk.initialize()
        self._types = lexicon.type_of()
        for e in lexicon.entries:
            pos = lexicon.types[e.type].pos if e.type else None
            tk.add_word(e.word, e.freq, pos)
        # POSTokenizer(tk) would re-read the word-tag table of the default dictionary
        # (about a second); importing jieba.posseg has read it already: copy it.
        cls = _tokenizer_class()
        ptk = cls.__new__(cls)
        ptk.tokenizer = tk
        ptk.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
        self._posseg = ptk

    def tokens(self, text: str, offset: int = 0) -> list[Token]:
        """Tokens of ``text`` (offsets shifted by ``offset``), with quote flags."""
        out: list[Token] = []
        pos = 0
        depth: list[str] = []
        for pair in self._posseg.cut(text, HMM=self.hmm):
            word, tag = pair.word, pair.flag
            start = text.find(word, pos)
            if start < 0:  # jieba never rewrites text, but be safe
                start = pos
            end = start + len(word)
            pos = end
            if word.isspace():
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


_class = None


def _tokenizer_class():
    """``jieba.posseg.POSTokenizer`` tagging unknown runs with kg.viterbi (same results)."""
    global _class
    if _class is None:
        import jieba.posseg as posseg

        from .viterbi import viterbi

        class POSTokenizer(posseg.POSTokenizer):
            def _POSTokenizer__cut(self, sentence):
                # jieba.posseg.POSTokenizer.__cut, with the faster Viterbi
                prob, pos_list = viterbi(sentence, posseg.char_state_tab_P, posseg.start_P,
                                         posseg.trans_P, posseg.emit_P)
                begin, nexti = 0, 0
                for i, char in enumerate(sentence):
                    pos = pos_list[i][0]
                    if pos == "B":
                        begin = i
                    elif pos == "E":
                        yield posseg.pair(sentence[begin:i + 1], pos_list[i][1])
                        nexti = i + 1
                    elif pos == "S":
                        yield posseg.pair(char, pos_list[i][1])
                        nexti = i + 1
                if nexti < len(sentence):
                    yield posseg.pair(sentence[nexti:], pos_list[nexti][1])

        _class = POSTokenizer
    return _class


_cache: dict[tuple[str, bool], Segmenter] = {}


def get(lexicon: Lexicon, hmm: bool = True) -> Segmenter:
    """One Segmenter per lexicon per process."""
    key = (lexicon.digest, hmm)
    if key not in _cache:
        _cache[key] = Segmenter(lexicon, hmm)
    return _cache[key]
