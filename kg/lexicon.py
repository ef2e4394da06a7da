"""The typed domain lexicon: ``ontology/lexicon/*.txt`` plus ``types.toml``.

A lexicon line is ``word [freq] [type]`` (``#`` starts a comment). ``type`` is a
tag declared in ``types.toml``, which gives the ontology class of the words of
that type and the jieba part-of-speech they get. Every line is validated here:
jieba's own reader silently swallows bad tags into the word.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, LexiconError
from .fileio import read_text_input, toml_loads
from .ontology import ONTOLOGY_DIR, Vocabulary

LEXICON_DIR = ONTOLOGY_DIR / "lexicon"
LINE = re.compile(r"^(?P<word>[^\s#]+)(?:\s+(?P<freq>\d+))?(?:\s+(?P<type>[a-z]+))?$")
POS_TAG = re.compile(r"^[a-z]{1,4}$")


@dataclass(frozen=True)
class LexType:
    name: str
    cls: str  # ontology class; "" for a type that only gives its words a part of speech
    pos: str  # jieba POS given to the words


@dataclass(frozen=True)
class Entry:
    word: str
    freq: int | None
    type: str | None
    where: str  # file:line


@dataclass(frozen=True)
class Lexicon:
    types: dict  # name -> LexType
    entries: tuple  # Entry, in file order
    digest: str  # hash of the content, for caches

    def type_of(self) -> dict[str, str]:
        """word -> type name (the last entry wins, like jieba); words of a type that only
        gives a part of speech (no class) are untyped here."""
        return {e.word: e.type for e in self.entries if e.type and self.types[e.type].cls}


def _files(path: Path) -> tuple[Path | None, list[Path]]:
    """The types file and the word files of a lexicon folder or file. The types are those
    of a types.toml beside the words, else the bundled ones (a lexicon file of one's own,
    ``--lexicon mine.txt``, uses the types every lexicon has: 科创贷 finprod)."""
    if path.is_dir():
        folder, files = path, sorted(path.glob("*.txt"))
    elif path.is_file():
        folder, files = path.parent, [path]
    else:
        raise LexiconError([f"{path}: lexicon not found"])
    types = folder / "types.toml"
    if not types.exists():
        types = LEXICON_DIR / "types.toml"
    return (types if types.exists() else None), files


def load_types(path: Path, vocab: Vocabulary, problems: list[str]) -> dict[str, LexType]:
    try:
        data = toml_loads(read_text_input(path, "lexicon types file"))
    except InputError as e:
        problems.append(str(e))
        return {}
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{path}: invalid TOML: {e}")
        return {}
    if not isinstance(data.get("types", {}), dict):
        problems.append(f"{path}: types: expected a table of types")
        return {}
    types = {}
    for name, spec in data.get("types", {}).items():
        where = f"{path}: type {name!r}"
        if not re.fullmatch(r"[a-z]+", name):
            problems.append(f"{where}: type names must be lowercase ASCII letters")
            continue
        if not isinstance(spec, dict) or set(spec) - {"class", "pos", "description"}:
            problems.append(f"{where}: expected keys class, pos, description")
            continue
        # a type without a class only gives its words a part of speech (segmentation.txt)
        cls, pos = spec.get("class", ""), spec.get("pos", "n")
        if not isinstance(cls, str) or not isinstance(pos, str):
            problems.append(f"{where}: class and pos must be strings")
            continue
        if "class" in spec and not vocab.is_class(cls):
            problems.append(f"{where}: unknown class {cls!r}")
            continue
        if not POS_TAG.match(pos):
            problems.append(f"{where}: bad pos {pos!r} (lowercase letters)")
            continue
        types[name] = LexType(name, cls, pos)
    for key in set(data) - {"types"}:
        problems.append(f"{path}: unknown key {key!r}")
    return types


def load(path: str | Path | None, vocab: Vocabulary) -> Lexicon:
    """Load and validate a lexicon folder (or one file); all problems at once."""
    path = Path(path) if path else LEXICON_DIR
    types_file, files = _files(path)
    problems: list[str] = []
    types = load_types(types_file, vocab, problems) if types_file else {}
    entries = []
    h = hashlib.sha256()
    for f in files:
        try:
            text = read_text_input(f, "lexicon file")
        except InputError as e:
            problems.append(str(e))
            continue
        h.update(f.name.encode() + b"\0" + text.encode("utf-8"))
        for n, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            m = LINE.match(line)
            if not m:
                problems.append(f'{f}:{n}: expected "word [freq] [type]", got {raw.strip()!r}')
                continue
            t = m.group("type")
            if t and t not in types:
                problems.append(f"{f}:{n}: unknown type {t!r}"
                                + (f" (declare it in {types_file})" if types_file else ""))
                continue
            freq = int(m.group("freq")) if m.group("freq") else None
            entries.append(Entry(m.group("word"), freq, t, f"{f}:{n}"))
    if types_file and not problems:
        h.update(types_file.read_bytes())
    if problems:
        raise LexiconError(problems)
    return Lexicon(types=types, entries=tuple(entries), digest=h.hexdigest())
