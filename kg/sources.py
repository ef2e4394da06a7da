"""Reading source articles: files and folders, encodings, header lines."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Callable

from .errors import SourceError
from .model import Article
from .normalize import looks_traditional, normalize, to_simplified
from .resolve import safe_id

HEADER = re.compile(r"^#\s*([A-Za-z_][A-Za-z0-9_-]*)\s*[:：]\s*(.*?)\s*$")
HEADER_KEYS = ("id", "title", "author", "source", "date", "topic", "genre")  # genre: for kg eval
AUTHOR_SEPARATORS = re.compile(r"\s*[、,，;；/｜|]\s*|\s+(?:和|与|及|and)\s+|\s{1,}")
# a Latin name keeps its spaces (Zhang San, Li Si): only marks and "and" separate them
LATIN_AUTHOR_SEPARATORS = re.compile(r"\s*[、,，;；/｜|]\s*|\s+(?:和|与|及|and)\s+")
# what a byline says of a name, not a name (本报记者 王芳 通讯员 李明; 文/王芳)
# (文, 图, 摄 alone only: 文静 is a name)
AUTHOR_ROLES = re.compile(r"^(?:(?:本报|新华社|人民网|央视网|特约|见习|实习|首席)?(?:记者|通讯员|实习生|"
                          r"撰稿人|评论员|编辑|责任编辑|作者|撰文|整理|摄影)[:：]?|(?:文|图|摄)[:：]?$)")
ARTICLE_ID = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,80}$")
MAX_BYTES = 64 * 1024 * 1024


def discover(paths: list[Path]) -> list[Path]:
    """The .txt files named by ``paths`` (files, or folders searched recursively, the
    suffix in any case: .TXT too), sorted."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.suffix.lower() == ".txt" and f.is_file()
                           and not f.name.startswith("."))
            if not files:
                raise SourceError(f"no .txt files in folder {p}")
            found.extend(files)
        elif p.is_file():
            found.append(p)
        elif not p.exists():
            raise SourceError(f"source not found: {p}")
        else:
            raise SourceError(f"not a file or folder: {p}")
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b") + b"\x7f"


def looks_binary(data: bytes) -> bool:
    """A NUL byte, or more than 2% control bytes, in the first 8 KiB.

    Text in UTF-8 or GB18030 never uses control bytes inside its multi-byte
    characters, so text files stay far below the threshold.
    """
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > 0.02 * len(sample)


def _reads_as_big5(data: bytes) -> bool:
    """Whether ``data`` decodes as Big5 into Chinese with Chinese punctuation."""
    try:
        text = data.decode("big5")
    except UnicodeDecodeError:
        return False
    return any(c in text for c in "，。、；：？！") and \
        sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= 2


def decode(data: bytes, path: Path, encoding: str | None = None) -> str:
    """Decode bytes as ``encoding``, or detect UTF-8 (with or without BOM) / GB18030.

    UTF-16 files with a byte-order mark are read too; binary files are refused.
    """
    wide = encoding and encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32", "utf16", "utf32"))
    if not wide and not (encoding is None and data[:2] in (b"\xff\xfe", b"\xfe\xff")) \
            and looks_binary(data):
        raise SourceError(f"{path}: binary file, not text")
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise SourceError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise SourceError(f"{path}: cannot decode as {encoding} at byte {e.start}") from None
        return text[1:] if text.startswith("\ufeff") else text
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise SourceError(f"{path}: cannot decode as UTF-16 at byte {e.start}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise SourceError(
                f"{path}: not UTF-8 (bad byte at {utf8_error.start}) nor GB18030; "
                "name the encoding with --encoding") from None
        # GB18030 decodes almost anything (Big5 bytes too, as nonsense): accept it
        # only if it looks like Chinese prose: mostly CJK characters, and Chinese
        # punctuation somewhere (Big5's ，。 decode as private-use characters).
        cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        punctuated = any(c in text for c in "，。、；：？！")
        if cjk < 0.3 * sum(1 for c in text if not c.isspace() and not c.isascii()) \
                or (cjk >= 20 and not punctuated):
            raise SourceError(f"{path}: cannot detect the encoding (not UTF-8, and not "
                              "Chinese as GB18030); name it with --encoding")
        if not punctuated and _reads_as_big5(data):
            # a short text: GB18030 makes characters of Big5 bytes without a complaint
            raise SourceError(f"{path}: reads as Big5 (traditional Chinese) as well as GB18030; "
                              "name the encoding with --encoding big5 or --encoding gb18030")
        return text


def parse_header(text: str, path: Path) -> tuple[dict[str, str], str]:
    """Split leading ``# key: value`` lines from the body.

    Only the header lines are looked at one by one (a 20 MB body is not split
    into a list of lines here); line ends are normalised to ``\n``.
    """
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}  # key -> its header line
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pos, lineno = 0, 0
    while pos < len(text):
        nl = text.find("\n", pos)
        nxt = len(text) if nl < 0 else nl + 1
        line = text[pos:nxt].rstrip("\n").lstrip("\ufeff")
        lineno += 1
        if not line.strip() and not meta:
            pos = nxt
            continue
        if not line.startswith("#"):
            break
        m = HEADER.match(line)
        if not m:
            raise SourceError(f'{path}:{lineno}: malformed header line, expected "# key: value"')
        key, value = m.group(1).lower(), m.group(2)
        if key not in HEADER_KEYS:
            raise SourceError(f"{path}:{lineno}: unknown header key {key!r} "
                              f"(known: {', '.join(HEADER_KEYS)})")
        if key in meta:
            raise SourceError(f"{path}:{lineno}: header key {key!r} given twice "
                              f"(first on line {lines[key]})")
        if key == "date" and value:
            value = parse_date(value, f"{path}:{lineno}")
        meta[key], lines[key] = value, lineno
        pos = nxt
    return meta, text[pos:]


DATE_FORMS = re.compile(
    r"^(?P<y>\d{4})(?:(?:[-/.]|年)(?P<m>\d{1,2})月?(?:(?:[-/.]|(?<=月))(?P<d>\d{1,2})日?)?)?年?$")


def parse_date(value: str, where: str) -> str:
    """A header date in ISO form: 2025-05-06, 2025/5/6, 2025.5.6 and 2025年5月6日 give
    2025-05-06; a month (2025-05, 2025年5月) or a year (2025, 2025年) stays one. Anything
    else, or a day the calendar lacks, is an error naming the header line."""
    m = DATE_FORMS.match(value.strip())
    try:
        if not m:
            raise ValueError
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        datetime.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        raise SourceError(f"{where}: date {value!r} is not a date (expected 2025-05-06, "
                          "2025年5月6日, 2025-05 or 2025)") from None
    return "-".join([f"{int(y):04d}"] + [f"{int(x):02d}" for x in (mo, d) if x])


def read_article(path: Path, encoding: str | None = None) -> Article | None:
    """Read one source file; ``None`` if its body is empty."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"{path}: file too large ({size} bytes; limit {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read {path}: {e.strerror or e}") from None
    text = decode(data, path, encoding)
    del data  # keep at most one copy of a big file alive
    meta, body = parse_header(text, path)
    del text
    for key in ("title", "author", "source", "topic"):
        if meta.get(key) and looks_traditional(meta[key]):
            meta[key] = to_simplified(meta[key])
    article_id = meta.get("id") or file_id(path)
    if not ARTICLE_ID.match(article_id):
        where = "its '# id:' line" if meta.get("id") else "the file name (give it an '# id:' line)"
        raise SourceError(f"{path}: bad article id {article_id!r} from {where}: letters (Chinese "
                          "too), digits, _ . - only, at most 80")
    if article_id.startswith("."):
        raise SourceError(f"{path}: bad article id {article_id!r} (must not start with '.': "
                          "its page would be a hidden file, or name a folder)")
    text, sentences = normalize(body, article_id)
    if not sentences:
        return None
    authors = parse_authors(meta.get("author", ""))
    title = meta.get("title") or headline(sentences)
    return Article(id=article_id, text=text, sentences=sentences, title=title,
                   authors=authors, source=meta.get("source", ""), date=meta.get("date", ""),
                   topic=meta.get("topic", ""), path=str(path))


def file_id(path: Path) -> str:
    """The id of an article without an ``# id:`` line: its file name without the suffix,
    each run of characters an id cannot hold made one _ (数字金融 (1).txt: 数字金融_1)."""
    return re.sub(r"[^A-Za-z0-9_.\-\u4e00-\u9fff]+", "_", path.stem).strip("_")


def parse_authors(byline: str) -> tuple[str, ...]:
    """The names of an ``# author:`` line: separated by marks, 和/与/and or spaces (a
    Latin name keeps its spaces); the words of a byline that are no name (本报记者,
    通讯员, 文/) dropped; a two-character name padded with a space (李  扬) joined."""
    latin = re.search(r"[A-Za-z]{2}", byline) is not None
    parts = (LATIN_AUTHOR_SEPARATORS if latin else AUTHOR_SEPARATORS).split(byline.strip())
    names: list[str] = []
    for part in parts:
        part = part.strip()
        while part and AUTHOR_ROLES.match(part):
            part = AUTHOR_ROLES.sub("", part, count=1).strip()
        if not part:
            continue
        if names and len(names[-1]) == 1 and len(part) == 1 and not latin:
            names[-1] += part  # 李 扬: one name padded to the width of the others
        else:
            names.append(part)
    return tuple(names)


class ArticleIds:
    """The articles read so far by id: a second article with an id, or with an id that
    gives the same IRI and page name (non-ASCII ids are hashed), is an error naming
    both files."""

    def __init__(self):
        self.by_id: dict[str, Article] = {}
        self.by_name: dict[str, Article] = {}

    def add(self, art: Article) -> None:
        if art.id in self.by_id:
            raise SourceError(f"duplicate article id {art.id!r}: {self.by_id[art.id].path} "
                              f"and {art.path}")
        name = safe_id(art.id)
        other = self.by_name.get(name)
        if other is not None:
            raise SourceError(f"article ids {other.id!r} ({other.path}) and {art.id!r} "
                              f"({art.path}) give the same IRI and page name {name!r}: "
                              "change one of them")
        self.by_id[art.id] = self.by_name[name] = art


def headline(sentences) -> str:
    """A text without a ``# title:`` header: its first line when that is a headline (a
    paragraph of one short sentence without a full stop), else no title."""
    first = sentences[0]
    alone = len(sentences) == 1 or sentences[1].paragraph != first.paragraph
    if alone and len(first.text) <= 40 and not first.text.endswith(tuple("。！？；：…")):
        return first.text.strip()
    return ""


def read_sources(paths: list[Path], encoding: str | None = None,
                 warn: Callable[[str], None] = lambda m: None) -> list[Article]:
    """Every article under ``paths``, sorted by id; duplicate ids are an error."""
    ids = ArticleIds()
    articles = ids.by_id
    for f in discover(paths):
        art = read_article(f, encoding)
        if art is None:
            warn(f"{f}: empty source, skipped")
            continue
        ids.add(art)
    if not articles:
        raise SourceError("no article with any text in " + ", ".join(str(p) for p in paths))
    return [articles[k] for k in sorted(articles)]
