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

from .errors import InputError, LexiconError, closest, counted
from .fileio import read_text_input, toml_loads
from .ontology import NOT_ENTITY, ONTOLOGY_DIR, Vocabulary

LEXICON_DIR = ONTOLOGY_DIR / "lexicon"
# a type is checked against types.toml: 某某银行 Bank is an unknown type (did you mean bank?)
LINE = re.compile(r"^(?P<word>[^\s#]+)(?:\s+(?P<freq>\d+))?(?:\s+(?P<type>[A-Za-z][A-Za-z0-9_-]*))?$")
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


def load_types(path: Path, vocab: Vocabulary, problems: list[str]
               ) -> tuple[dict[str, LexType] | None, dict[str, str]]:
    """The types of a types file and the problems of those declared but invalid (type
    name -> problem: reported once with the number of words of that type). The types
    are None if the file cannot be read, its problem in ``problems``: then no word's
    type can be checked."""
    try:
        data = toml_loads(read_text_input(path, "lexicon types file"))
    except InputError as e:
        problems.append(str(e))
        return None, {}
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{path}: invalid TOML: {e}")
        return None, {}
    if not isinstance(data.get("types", {}), dict):
        problems.append(f"{path}: types: expected a table of types")
        return None, {}
    types, broken = {}, {}
    for name, spec in data.get("types", {}).items():
        where = f"{path}: type {name!r}"
        if not re.fullmatch(r"[a-z]+", name):
            broken[name] = f"{where}: type names must be lowercase ASCII letters"
            continue
        if not isinstance(spec, dict) or set(spec) - {"class", "pos", "description"}:
            broken[name] = f"{where}: expected keys class, pos, description"
            continue
        # a type without a class only gives its words a part of speech (segmentation.txt)
        cls, pos = spec.get("class", ""), spec.get("pos", "n")
        if not isinstance(cls, str) or not isinstance(pos, str):
            broken[name] = f"{where}: class and pos must be strings"
        elif "class" in spec and not vocab.is_class(cls):
            near = closest(cls, vocab.parents)
            broken[name] = (f"{where}: unknown class {cls!r}"
                            + (f" (did you mean {near!r}?)" if near else ""))
        elif cls and not vocab.is_entity_class(cls):
            broken[name] = f"{where}: class {cls!r} {NOT_ENTITY}"
        elif not POS_TAG.match(pos):
            broken[name] = f"{where}: bad pos {pos!r} (lowercase letters)"
        else:
            types[name] = LexType(name, cls, pos)
    for key in set(data) - {"types"}:
        problems.append(f"{path}: unknown key {key!r}")
    return types, broken


def load(path: str | Path | None, vocab: Vocabulary) -> Lexicon:
    """Load and validate a lexicon folder (or one file); all problems at once, each cause
    once: a type that is unknown or invalid in one line with the number of its words."""
    path = Path(path) if path else LEXICON_DIR
    types_file, files = _files(path)
    problems: list[str | None] = []
    types, broken = load_types(types_file, vocab, problems) if types_file else ({}, {})
    uses: dict[str, list] = {}  # a type that failed -> [its line in problems, its words]
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
            if t and types is not None and t not in types:
                if t not in uses:
                    uses[t] = [len(problems), 0]
                    problems.append(None if t in broken else
                                    f"{f}:{n}: unknown type {t!r}" + _declare_hint(t, types, types_file))
                uses[t][1] += 1
                continue
            freq = int(m.group("freq")) if m.group("freq") else None
            entries.append(Entry(m.group("word"), freq, t, f"{f}:{n}"))
    if types_file and not problems and not broken:
        h.update(types_file.read_bytes())
    for t, (at, n) in uses.items():
        if t in broken:  # said once, with the number of its words, before the words' problems
            broken[t] += f"; used by {counted(n, 'lexicon entry')}"
        elif n > 1:
            problems[at] += f"; used by {counted(n, 'lexicon entry')}"
    problems = [*broken.values(), *(p for p in problems if p is not None)]
    if problems:
        raise LexiconError(problems)
    return Lexicon(types=types, entries=tuple(entries), digest=h.hexdigest())


def _declare_hint(t: str, types: dict, types_file: Path | None) -> str:
    near = closest(t, types)
    if types_file is None:
        return f" (did you mean {near!r}?)" if near else ""
    return (f" (did you mean {near!r}? or declare it in {types_file})" if near else
            f" (declare it in {types_file})")
