"""Mentions -> entities: label normalisation, curated aliases, stable keys.

Mentions merge when they share a core class and a normalised label (or an
alternative label, or a curated alias). Merging never crosses core classes.
An entity's key is ``<core class>-<12 hex of sha1(label)>``: the same label
and class give the same IRI in every article and every build.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .errors import OntologyError
from .fileio import toml_loads
from .model import HEADER_RULE, Entity, Extraction, Mention, Relation, header_mentions
from .names import normalise, short_forms
from .ontology import CORE_CLASSES, ONTOLOGY_DIR, Vocabulary

ALIASES_FILE = ONTOLOGY_DIR / "aliases.toml"
def entity_key(core: str, label: str) -> str:
    return f"{core.lower()}-{hashlib.sha1(normalise(label).encode('utf-8')).hexdigest()[:12]}"


def load_aliases(path: Path | None, vocab: Vocabulary) -> dict[tuple[str, str], str]:
    """(core class, normalised name) -> preferred label."""
    path = Path(path) if path else ALIASES_FILE
    if not path.exists():
        return {}
    try:
        data = toml_loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise OntologyError([f"{path}: invalid TOML: {e}"]) from None
    problems, table = [], {}
    for n, entry in enumerate(data.get("alias", []), 1):
        where = f"{path}: alias #{n}"
        if not isinstance(entry, dict) or set(entry) - {"class", "label", "aliases"}:
            problems.append(f"{where}: expected keys class, label, aliases")
            continue
        cls, label, aliases = entry.get("class"), entry.get("label"), entry.get("aliases", [])
        if cls not in CORE_CLASSES:
            problems.append(f"{where}: class must be a core class, got {cls!r}")
            continue
        if not isinstance(label, str) or not isinstance(aliases, list):
            problems.append(f"{where}: label must be a string and aliases a list")
            continue
        for name in [label, *aliases]:
            key = (cls, normalise(name))
            if key in table and table[key] != label:
                problems.append(f"{where}: {name!r} is already an alias of {table[key]!r}")
            table[key] = label
    for key in set(data) - {"alias"}:
        problems.append(f"{path}: unknown key {key!r}")
    if problems:
        raise OntologyError(problems)
    return table


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")


@lru_cache(maxsize=1 << 12)
def safe_id(text: str) -> str:
    """An ASCII IRI-safe form of an article id (hashed if it has other characters)."""
    if _SAFE_ID.fullmatch(text):
        return text
    return "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def article_key(article_id: str) -> str:
    """The key (and IRI local name) of an article's node."""
    return f"article-{safe_id(article_id)}"


def _not_preferred_form(core: str, label: str, labels) -> bool:
    """False if ``label`` is the form its class is named by among ``labels``, of a pair of
    forms (names.SHORT_FORMS): a place's full name (杭州市 beside 杭州), a problem's short
    one (融资难 beside 融资难题)."""
    if core == "Region":
        shorts = set(short_forms(core, normalise(label)))
        return not any(normalise(other) in shorts for other in labels if other != label)
    if core == "Problem":
        mine = normalise(label)
        return not any(mine in short_forms(core, normalise(other)) for other in labels
                       if other != label)
    return False


def resolve(extractions: list[Extraction], vocab: Vocabulary, aliases: dict
            ) -> tuple[list[Entity], list[tuple[Entity, str, Entity, Relation]]]:
    """Merge the mentions of all articles into entities; map relations onto them."""
    mentions: list[Mention] = []
    retyped: dict[Mention, Mention] = {}
    for ex in extractions:
        ms, changed = one_class_per_label(ex.mentions, vocab)
        retyped.update(changed)
        mentions.extend(ms)
        mentions.extend(header_mentions(ex.article))

    def keys(m: Mention) -> list[tuple[str, str]]:
        """(core class, normalised name) of the mention's label and alternative labels,
        curated aliases replaced by their preferred label, and their short forms."""
        core = vocab.core(m.cls)
        out = []
        for n in (m.label, *m.alts):
            n = aliases.get((core, normalise(n)), n)
            out.append((core, normalise(n)))
        for _, n in list(out):
            out += [(core, short) for short in short_forms(core, n)]
        return out

    # mentions repeat the same names: each distinct (class, label, alts) is joined once
    names = {(m.cls, m.label, m.alts): m for m in mentions}
    uf = _UnionFind()
    for m in names.values():
        ks = keys(m)
        for k in ks:
            uf.find(k)
        for k in ks[1:]:
            uf.union(ks[0], k)

    groups: dict = {}
    roots: dict = {}
    for m in mentions:
        root = roots.get((m.cls, m.label))
        if root is None:
            root = roots[m.cls, m.label] = uf.find(keys(m)[0])
        groups.setdefault(root, []).append(m)

    entities: list[Entity] = []
    by_mention: dict[Mention, Entity] = {}
    for root, ms in groups.items():
        core = root[0]
        preferred = {aliases[(core, normalise(m.label))] for m in ms
                     if (core, normalise(m.label)) in aliases}
        counts = Counter(m.label for m in ms)
        if preferred:
            label = sorted(preferred)[0]
        else:
            # a place by its full name (杭州市, not 杭州), a problem by its short one (融资难, not
            # 融资难题), whichever was met more often: the label (and so the IRI) must not
            # depend on which other articles are built with this one; else the most frequent
            # label, ties to the shorter, then the first in code order
            label = sorted(counts, key=lambda lb: (_not_preferred_form(core, lb, counts),
                                                   -counts[lb], len(lb), lb))[0]
        cls = _most_specific([m.cls for m in ms], vocab)
        alts = {n for m in ms for n in (m.label, *m.alts)} - {label}
        alts = {a for a in alts if normalise(a) != normalise(label)}
        ent = Entity(entity_key(core, label), cls, label, alts, sorted(ms, key=_mention_order))
        entities.append(ent)
        for m in ms:
            by_mention[m] = ent
    entities.sort(key=lambda e: e.key)

    rels = []
    seen = set()
    for ex in extractions:
        for r in ex.relations:
            s = by_mention.get(retyped.get(r.subject, r.subject))
            o = by_mention.get(retyped.get(r.object, r.object))
            if s is None or o is None or s is o:
                continue
            key = (s.key, r.predicate, o.key, r.article_id, r.sentence, r.rule)
            if key in seen:
                continue
            seen.add(key)
            rels.append((s, r.predicate, o, r))
    # the authors named in a header wrote that article
    for ex in extractions:
        art = Entity(article_key(ex.article.id), "Article", ex.article.title or ex.article.id)
        for m in header_mentions(ex.article):
            rels.append((by_mention[m], "authorOf", art,
                         Relation(m, "authorOf", m, HEADER_RULE, m.article_id, -1)))
    rels.sort(key=lambda t: (t[0].key, t[1], t[2].key, t[3].article_id, t[3].sentence, t[3].rule))
    return entities, rels


def one_class_per_label(mentions: list[Mention], vocab: Vocabulary
                        ) -> tuple[list[Mention], dict[Mention, Mention]]:
    """One article names one thing by one label: where a label is read as a Concept by
    one rule and as something more specific by another (a product's quoted name read as a
    quoted concept too), the Concept readings take the other class. Returns the
    mentions and the map from the retyped mentions to their new form."""
    classes: dict[str, Counter] = {}
    for m in mentions:
        classes.setdefault(normalise(m.label), Counter())[m.cls] += 1
    changed: dict[Mention, Mention] = {}
    out = []
    for m in mentions:
        seen = classes[normalise(m.label)]
        if vocab.core(m.cls) == "Concept":
            others = [c for c in seen if vocab.core(c) != "Concept"]
            if others:
                cls = sorted(others, key=lambda c: (-seen[c], c))[0]
                new = replace(m, cls=cls)
                changed[m] = new
                m = new
        out.append(m)
    return out, changed


def _mention_order(m: Mention):
    return (m.article_id, m.sentence, m.start, m.end, m.rule, m.label)


def _most_specific(classes: list[str], vocab: Vocabulary) -> str:
    """The deepest class that the others are ancestors of; else the most frequent."""
    counts = Counter(classes)

    def depth(c):
        d = 0
        while c is not None:
            c = vocab.parents.get(c)
            d += 1
        return d

    candidates = sorted(counts, key=lambda c: (-depth(c), -counts[c], c))
    for c in candidates:
        if all(vocab.is_subclass(c, other) for other in counts):
            return c
    return sorted(counts, key=lambda c: (-counts[c], -depth(c), c))[0]
