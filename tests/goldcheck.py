"""Check gold annotation files against the guidelines of tests/gold/README.md.

    python tests/goldcheck.py FILE.json [FILE.json ...]

Prints one line per problem and a density line per file; exits 1 when a file has
an error (a warning, such as low density, does not fail). Used by annotators
while they write a file and by tests/test_gold_files.py on every committed file.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from kg.evaluate import ENTITY_CLASSES
from kg.names import normalise

ROOT = Path(__file__).resolve().parents[1]
TYPES = set(ENTITY_CLASSES)
PREDICATES = {"offers", "partOf", "addresses", "causes", "locatedIn", "undertakes",
              "affiliatedWith", "enables", "uses", "exemplifies"}
TOP_KEYS = {"article", "text", "genre", "topic", "entities", "relations"}
MIN_DENSITY = 1.1
MIN_LINKED = 0.9


def corpus_dir() -> Path:
    return Path(os.environ.get("KG_CORPUS") or ROOT.parent / "shared" / "corpus")


def find_text(gold_path: Path, name: str) -> Path | None:
    for folder in (gold_path.parent, ROOT / "sources", corpus_dir()):
        if (folder / name).is_file():
            return folder / name
    return None


def check(path: Path) -> tuple[list[str], list[str], str]:
    """(errors, warnings, summary) of one gold file."""
    errors: list[str] = []
    warnings: list[str] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    extra = set(data) - TOP_KEYS
    if extra:
        errors.append(f"unknown top-level keys {sorted(extra)}")
    for key in ("article", "text", "entities", "relations"):
        if key not in data:
            errors.append(f"missing {key!r}")
    if errors:
        return errors, warnings, ""
    text_path = find_text(path, data["text"])
    if text_path is None:
        return [f"text {data['text']!r} not found"], warnings, ""
    text = normalise(text_path.read_text(encoding="utf-8"))
    ids: set[str] = set()
    owner: dict[str, str] = {}
    for ent in data["entities"]:
        eid = ent.get("id")
        if eid in ids:
            errors.append(f"duplicate id {eid}")
        ids.add(eid)
        if set(ent) - {"id", "label", "types", "aliases"}:
            errors.append(f"{eid}: unknown keys {sorted(set(ent) - {'id', 'label', 'types', 'aliases'})}")
        bad = [t for t in ent.get("types", []) if t not in TYPES]
        if bad or not ent.get("types"):
            errors.append(f"{eid}: bad types {ent.get('types')}")
        label = ent.get("label", "")
        for form in [label] + list(ent.get("aliases", [])):
            f = normalise(form)
            if not f:
                errors.append(f"{eid}: empty label or alias")
                continue
            if f not in text:
                # The label must be the text's own phrase; an alias may be a form
                # an analyst would accept (建行 for 中国建设银行).
                (errors if form is label else warnings).append(f"{eid}: {form!r} not in the text")
            if f in owner and owner[f] != eid:
                errors.append(f"{eid}: {form!r} also belongs to {owner[f]}")
            owner[f] = eid
    linked: set[str] = set()
    seen_rel: set[tuple] = set()
    for i, rel in enumerate(data["relations"]):
        s, p, o = rel.get("s"), rel.get("p"), rel.get("o")
        if s not in ids or o not in ids:
            errors.append(f"relation {i}: unknown end {s if s not in ids else o}")
        if p not in PREDICATES:
            errors.append(f"relation {i}: bad predicate {p!r}")
        if s == o:
            errors.append(f"relation {i}: {s} related to itself")
        if (s, p, o) in seen_rel:
            warnings.append(f"relation {i}: duplicate {s} {p} {o}")
        seen_rel.add((s, p, o))
        linked |= {s, o}
    n_ent, n_rel = len(data["entities"]), len(data["relations"])
    density = n_rel / n_ent if n_ent else 0.0
    share = len(linked & ids) / n_ent if n_ent else 0.0
    if density < MIN_DENSITY:
        warnings.append(f"density {density:.2f} relations per entity (want >= {MIN_DENSITY})")
    if share < MIN_LINKED:
        lonely = [e["label"] for e in data["entities"] if e["id"] not in linked]
        warnings.append(f"only {share:.0%} of entities linked; unlinked: {'、'.join(lonely[:30])}")
    summary = f"{n_ent} entities, {n_rel} relations, {density:.2f} per entity, {share:.0%} linked"
    return errors, warnings, summary


def main(argv: list[str]) -> int:
    failed = False
    for arg in argv:
        path = Path(arg)
        try:
            errors, warnings, summary = check(path)
        except (OSError, ValueError) as e:
            errors, warnings, summary = [str(e)], [], ""
        for e in errors:
            print(f"{path}: error: {e}")
        for w in warnings:
            print(f"{path}: warning: {w}")
        print(f"{path}: {'FAILED' if errors else 'ok'}: {summary}")
        failed |= bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
