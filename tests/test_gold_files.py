"""Every committed gold file follows the guidelines of tests/gold/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import goldcheck
from kg.evaluate import load_gold

ROOT = Path(__file__).resolve().parent.parent
SETS = {"gold": 2, "dev": 20, "blind": 10, "probes": 31, "agreement": 6,
        "agreement/bundled/second": 2, "agreement/bundled/third": 2}
FILES = sorted(p for name in SETS for p in (ROOT / "tests" / name).glob("*.json"))
# the probes (tests/probes/README.md) test constructions of the genre, each text beside its
# gold: they are annotated completely but not as densely as a reader's article
READERS = {"gold", "dev", "blind", "agreement", "second", "third"}


@pytest.mark.parametrize("name,count", sorted(SETS.items()))
def test_each_set_has_its_gold_files(name, count):
    assert len(list((ROOT / "tests" / name).glob("*.json"))) == count


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.relative_to(ROOT / 'tests')}/{p.stem}")
def test_gold_file_is_valid_and_dense(path):
    gold = load_gold(path)            # the format kg eval reads
    assert gold.text, f"{path} names no text"
    beside = (path.parent / gold.text).is_file() or (ROOT / "sources" / gold.text).is_file()
    if not beside and not goldcheck.corpus_dir().is_dir():
        pytest.skip(f"corpus not found at {goldcheck.corpus_dir()}: set KG_CORPUS")
    errors, warnings, _ = goldcheck.check(path)
    assert not errors
    data = json.loads(path.read_text(encoding="utf-8"))
    if path.parent.name in READERS:
        assert len(data["relations"]) >= 1.1 * len(data["entities"])
    else:  # a probe: every entity in some relation is not asked, most are
        linked = {e for r in data["relations"] for e in (r["s"], r["o"])}
        assert len(linked) >= 0.8 * len(data["entities"])


def test_split_is_the_seeded_one():
    import make_split

    by_topic = {"finance": [f"{n:02d}_f.txt" for n in range(1, 16)],
                "smart_city": [f"{n:02d}_c.txt" for n in range(16, 31)]}
    dev, blind = make_split.split(by_topic)
    assert len(dev) == 20 and len(blind) == 10
    assert make_split.split(by_topic) == (dev, blind)   # same seed, same split
    if goldcheck.corpus_dir().is_dir():
        dev, blind = make_split.split(make_split.topics(goldcheck.corpus_dir()))
        assert sorted(p.stem for p in (ROOT / "tests" / "dev").glob("*.json")) == [d[:-4] for d in dev]
        assert sorted(p.stem for p in (ROOT / "tests" / "blind").glob("*.json")) == [b[:-4] for b in blind]
