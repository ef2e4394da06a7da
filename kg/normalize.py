"""Normalisation of article bodies: pure ``str -> ...`` functions.

* full-width Latin letters and digits become ASCII (ＡＩ -> AI); Chinese
  punctuation is kept;
* an article written in traditional characters is converted to simplified
  ones (OpenCC tables, package ``opencc-python-reimplemented``), so that the
  lexicon and rules, which are simplified, apply; simplified text is never
  touched;
* page furniture lines (section tags, bylines, stray Latin column labels) are
  dropped;
* column-width line breaks are joined without inventing spaces; a paragraph
  ends at a blank line or an indented line, but only after sentence-final
  punctuation (a blank line inside a sentence is a page break, not a paragraph);
* half-width , . ; : ! ? written as Chinese punctuation (next to Chinese
  characters) become ，。；：！？ (a . in a number, 3.85, or in a Latin word or
  address, www.gov.cn, and a , in 1,000 stay), so they break clauses and
  sentences as the full-width marks do; every replacement is one character for
  one, so offsets are those of the text as written;
* corner quotes 「」『』 and balanced pairs of ASCII double quotes in Chinese
  text ("链e贷") become “”, the quote marks the lexicon and rules are written with;
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

# A Latin-only line standing alone (Finance, A3): a column or page label, unless it
# continues a sentence.
LATIN_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9 &.-]{0,30}$")

SENTENCE_END = "。！？；!?;"
CLOSERS = "”’」』）)】》\"'"
PARA_END = SENTENCE_END + "：:" + CLOSERS + "…"
PARA_END_TUPLE = tuple(PARA_END)


# Half-width punctuation written as Chinese punctuation: a mark right after a Chinese
# character or mark (or after a quote mark after one: 推出"某贷",), or right before one.
# A . has no Latin letter or digit on either side (3.85, www.gov.cn, AI.该 stay) and stands
# alone (... is an ellipsis).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff" + "，。、；：？！“”‘’「」『』（）《》【】…—"
_AFTER_CJK = rf'(?:(?<=[{_CJK}])|(?<=[{_CJK}]"))'
_BEFORE_CJK = rf'(?=[{_CJK}]|"[{_CJK}])'
_HALFWIDTH_BREAK = re.compile(rf"{_AFTER_CJK}[,;:!?]|[,;:!?]{_BEFORE_CJK}"
                              rf"|{_AFTER_CJK}\.(?![.A-Za-z0-9])|(?<![.A-Za-z0-9\s])\.{_BEFORE_CJK}")
_FULLWIDTH_BREAK = {",": "，", ".": "。", ";": "；", ":": "：", "!": "！", "?": "？"}


def fullwidth_breaks(text: str) -> str:
    """``text`` with its half-width , . ; : ! ? written as Chinese punctuation made
    full-width (推出"某贷",缓解了融资难.该行 -> 推出"某贷"，缓解了融资难。该行); the same length."""
    return _HALFWIDTH_BREAK.sub(lambda m: _FULLWIDTH_BREAK[m.group()], text)


_CORNER_QUOTES = str.maketrans("「」『』", "“”“”")
_ASCII_QUOTED = re.compile(r'"([^"]*)"')
_CJK_CHAR = re.compile(f"[{_CJK}]")


def chinese_quotes(paragraph: str) -> str:
    """``paragraph`` with its corner quotes (「」『』) and ASCII double quotes around or
    next to Chinese (推出"某贷"产品) as “”; the same length. ASCII quotes are paired
    in order, and only where the paragraph has an even number of them (an odd one,
    an inch mark or a stray quote, leaves them all as they are)."""
    paragraph = paragraph.translate(_CORNER_QUOTES)
    if paragraph.count('"') % 2:
        return paragraph

    def pair(m: re.Match) -> str:
        around = paragraph[m.start() - 1:m.start()] + m.group(1) + paragraph[m.end():m.end() + 1]
        return f"“{m.group(1)}”" if _CJK_CHAR.search(around) else m.group()

    return _ASCII_QUOTED.sub(pair, paragraph)


TRADITIONAL_SHARE = 0.15  # share of CJK characters t2s changes: ~0.35 in the articles written traditional
_SAMPLE = 20000  # characters looked at to decide
_t2s = None


def _converter():
    global _t2s
    if _t2s is None:
        from opencc import OpenCC  # opencc-python-reimplemented: pure Python, loaded on demand

        _t2s = OpenCC("t2s")
    return _t2s


def looks_traditional(text: str) -> bool:
    """True if the text is written in traditional characters.

    Decided on a sample: in a traditional text many of the Chinese
    characters (a third, on the bundled articles converted to traditional)
    change under traditional-to-simplified conversion; in a
    simplified one almost none (a stray 乾 or 後 is not enough).
    """
    cjk = [c for c in text[:_SAMPLE] if "\u4e00" <= c <= "\u9fff"]
    if len(cjk) < 2:
        return False
    changing = {c for c in set(cjk) if _changes(c)}
    return sum(1 for c in cjk if c in changing) >= TRADITIONAL_SHARE * len(cjk)


_changed: dict[str, bool] = {}  # character -> whether t2s changes it (a few thousand at most)


def _changes(c: str) -> bool:
    hit = _changed.get(c)
    if hit is None:
        hit = _changed[c] = _converter().convert(c) != c
    return hit


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters (phrase-aware, OpenCC t2s)."""
    return _converter().convert(text) if text else text


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


WIDEST_COLUMN = 40  # characters: no printed column is wider; a longer line is a paragraph


def one_paragraph_per_line(lines: list[str]) -> bool:
    """Whether the text is laid out one paragraph per line (web and archive copies)
    rather than broken at column width (printed pages): in the first some line is wider
    than any column and most lines end a sentence, in the second few do (measured on
    real texts: 81-100 % against 9-24 %)."""
    full = [ln.strip() for ln in lines if ln.strip()]
    if len(full) < 3 or max(map(len, full)) <= WIDEST_COLUMN:
        return False
    ends = sum(1 for ln in full if ln.endswith(PARA_END_TUPLE))
    return ends >= 0.5 * len(full)


def _blank_separated(lines: list[str]) -> bool:
    """Whether the text separates its paragraphs with blank lines: about every line that
    ends a paragraph is followed by one."""
    full = [n for n, ln in enumerate(lines) if ln.strip()]
    lines = lines[full[0]:full[-1] + 1] if full else []  # blank lines at the ends separate nothing
    ends = sum(1 for ln in lines if ln.strip().endswith(PARA_END_TUPLE))
    blanks = sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and not b.strip())
    return ends > 0 and blanks >= 0.5 * ends


def _line_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of a text laid out one per line. In a text that separates its
    paragraphs by blank lines as well, a line that ends no sentence and is followed
    directly by another was hard-wrapped mid-sentence (……该行依托大数据风控 / 模型), not a
    heading: it is joined to the next, unless that one is a subtitle (——访……). Without
    blank lines, such a line is a heading or a deck, however wide (web copies)."""
    blank_separated = _blank_separated(lines)
    paras: list[str] = []
    parts: list[str] = []
    for n, raw in enumerate(lines):
        line = clean_line(raw).strip()
        if not line or is_furniture(line):
            if parts and not line:
                paras.append("".join(parts))
                parts = []
            continue
        if parts:
            joiner = _joiner(parts[-1], line)
            if joiner:
                parts.append(joiner)
        parts.append(line)
        following = lines[n + 1].strip() if n + 1 < len(lines) else ""
        wrapped = blank_separated and following and not line.endswith(PARA_END_TUPLE) \
            and not following.startswith(("——", "—", "－－")) and not is_furniture(following)
        if not wrapped:
            paras.append("".join(parts))
            parts = []
    if parts:
        paras.append("".join(parts))
    return paras


def paragraphs(body: str) -> list[str]:
    """Join column-width lines into paragraphs (linear in the size of ``body``); in a
    text laid out one paragraph per line, each line is a paragraph (a heading line
    without final punctuation is not joined to the next)."""
    paras: list[str] = []
    parts: list[str] = []  # fragments of the current paragraph (joined once: no quadratic +=)
    pending_break = False
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if one_paragraph_per_line(lines):
        return _line_paragraphs(lines)
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


MAX_SENTENCE = 500  # characters; longer runs are cut (see split_sentences)
_CLAUSE_BREAKS = "，,、：:—… \t"


def _cut_long(paragraph: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut ``paragraph[start:end]`` into pieces of at most ``limit`` characters.

    A real sentence is never this long (the bundled articles peak near 130
    characters); such a run is a pasted table, a page without punctuation or
    garbage, and rule matching costs grow with the square of a sentence's
    length. Cut after the last clause mark (，、：) in the second half of the
    window, else hard at the limit.
    """
    spans = []
    while end - start > limit:
        window_end = start + limit
        cut = -1
        for mark in _CLAUSE_BREAKS:
            cut = max(cut, paragraph.rfind(mark, start + limit // 2, window_end))
        cut = cut + 1 if cut >= 0 else window_end
        spans.append((start, cut))
        start = cut
        while start < end and paragraph[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))
    return [(a, b) for a, b in (_trim(paragraph, a, b) for a, b in spans) if b > a]


def _trim(paragraph: str, start: int, end: int) -> tuple[int, int]:
    while start < end and paragraph[start].isspace():
        start += 1
    while end > start and paragraph[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(paragraph: str, max_length: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph, whitespace-trimmed.

    Runs longer than ``max_length`` characters are cut into pieces (linear
    time on any input).
    """
    spans = []
    for m in _SPLIT.finditer(paragraph):
        start, end = _trim(paragraph, m.start(), m.end())
        if end - start > max_length:
            spans.extend(_cut_long(paragraph, start, end, max_length))
        elif end > start:
            spans.append((start, end))
    return spans


def normalize(body: str, article_id: str) -> tuple[str, tuple[Sentence, ...]]:
    """The normalised text (paragraphs joined by newlines) and its sentences."""
    text_parts: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    paras = paragraphs(fullwidth_breaks(body))
    if paras and looks_traditional("".join(paras[:200])):
        paras = [to_simplified(p) for p in paras]
    paras = [chinese_quotes(p) for p in paras]
    for p_index, para in enumerate(paras):
        for start, end in split_sentences(para):
            sentences.append(Sentence(article_id, len(sentences), offset + start, offset + end,
                                      para[start:end], p_index))
        text_parts.append(para)
        offset += len(para) + 1
    return "\n".join(text_parts), tuple(sentences)
