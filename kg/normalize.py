"""Normalisation of article bodies: pure ``str -> ...`` functions.

* full-width Latin letters and digits become ASCII (ＡＩ -> AI); Chinese
  punctuation is kept;
* page furniture lines (section tags, bylines, stray Latin column labels) are
  dropped;
* column-width line breaks are joined without inventing spaces; a paragraph
  ends at a blank line or an indented line, but only after sentence-final
  punctuation (a blank line inside a sentence is a page break, not a paragraph);
* sentences end at 。！？； (and ! ? ;), closing quotes and brackets stay with
  their sentence; every sentence keeps its offsets in the normalised text.
"""

from __future__ import annotations

import re
import unicodedata

from .model import Sentence

# Full-width ASCII letters and digits (not punctuation: ，。 must survive).
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B))
                    + list(range(0xFF41, 0xFF5B))}
_FULLWIDTH_ALNUM[0x3000] = 0x20  # ideographic space -> space (only used at line starts)

# Lines that are page furniture, not content.
FURNITURE = (
    re.compile(r"^[【\[][^】\]]{1,12}[】\]]$"),            # 【理论】 section tags
    re.compile(r"^[□■◎●○◇◆☆★]\s*\S.{0,40}$"),           # □本报记者 江英华, ◎ 作者
    re.compile(r"^(第\s*\d+\s*版|\d+\s*版|责任编辑[:：].*|版式设计[:：].*)$"),
    re.compile(r"^[-—_=*·•\s]{3,}$"),                     # rules and separators
)

# A Latin-only line standing alone (Finance): a column label, unless it continues a sentence.
LATIN_LABEL = re.compile(r"^[A-Za-z][A-Za-z &.-]{0,30}$")

SENTENCE_END = "。！？；!?;"
CLOSERS = "”’」』）)】》\"'"
PARA_END = SENTENCE_END + "：:" + CLOSERS + "…"
PARA_END_TUPLE = tuple(PARA_END)


def to_halfwidth_alnum(text: str) -> str:
    return text.translate(_FULLWIDTH_ALNUM)


def clean_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\ufeff", "")
    return to_halfwidth_alnum(line).rstrip()


def is_furniture(line: str) -> bool:
    s = line.strip()
    return any(p.match(s) for p in FURNITURE)


def _joiner(left: str, right: str) -> str:
    """What to put between two joined line fragments: nothing in Chinese, a
    space between two Latin words (an English word broken at line end keeps a
    space only if the page put none of its own)."""
    if left and right and left[-1].isascii() and left[-1].isalnum() \
            and right[0].isascii() and right[0].isalnum():
        return " "
    return ""


def paragraphs(body: str) -> list[str]:
    """Join column-width lines into paragraphs (linear in the size of ``body``)."""
    paras: list[str] = []
    parts: list[str] = []  # fragments of the current paragraph (joined once: no quadratic +=)
    pending_break = False
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for n, raw in enumerate(lines):
        indented = raw[:1] in (" ", "\t", "\u3000") and raw.strip() != ""
        line = clean_line(raw).strip()
        if not line:
            pending_break = True
            continue
        if LATIN_LABEL.match(line) and (not parts or parts[-1].endswith(PARA_END_TUPLE)) \
                and (n + 1 == len(lines) or not lines[n + 1].strip()):
            continue
        if is_furniture(line):
            continue
        if parts and (pending_break or indented) and parts[-1].endswith(PARA_END_TUPLE):
            paras.append("".join(parts))
            parts = []
        if parts:
            joiner = _joiner(parts[-1], line)
            if joiner:
                parts.append(joiner)
        parts.append(line)
        pending_break = False
    if parts:
        paras.append("".join(parts))
    return paras


_SPLIT = re.compile(rf"[^{SENTENCE_END}]*(?:[{SENTENCE_END}]+[{CLOSERS}]*|$)")


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph, whitespace-trimmed."""
    spans = []
    for m in _SPLIT.finditer(paragraph):
        start, end = m.start(), m.end()
        while start < end and paragraph[start].isspace():
            start += 1
        while end > start and paragraph[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def normalize(body: str, article_id: str) -> tuple[str, tuple[Sentence, ...]]:
    """The normalised text (paragraphs joined by newlines) and its sentences."""
    text_parts: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    for p_index, para in enumerate(paragraphs(body)):
        for start, end in split_sentences(para):
            sentences.append(Sentence(article_id, len(sentences), offset + start, offset + end,
                                      para[start:end], p_index))
        text_parts.append(para)
        offset += len(para) + 1
    return "\n".join(text_parts), tuple(sentences)
