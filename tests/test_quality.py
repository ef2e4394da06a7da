"""Extraction quality, scored on graphs built afresh from the texts (never the committed
outputs/), against four gold sets (tests/gold/README.md):

* bundled: the two articles of sources/, re-annotated densely; the rules were tuned on them;
* dev: 20 real articles of ../shared/corpus; the rules are tuned on them;
* blind: 10 real articles of ../shared/corpus; only their totals are ever read;
* probes: short texts written for the project, one per area of the genre, each beside its
  gold (tests/probes/README.md); the rules were tuned on them.

The floors sit a few points under the figures measured when they were set (README,
"Quality"), so a change to rules, lexicon or engine that loses quality fails here,
while ordinary noise of a rule change does not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.evaluate import corpus_dir

ROOT = Path(__file__).resolve().parent.parent

FLOORS = {
    # set: (entity F1, core-five recall, relation recall, relation precision, linked share)
    # a few points under the figures of the end of session 10 (README, Quality); the
    # bundled linked share fell to 0.72 when cue.undertakes.contained stopped linking
    # the institutions a measure only acts on (wrong links)
    "gold": (0.78, 0.88, 0.36, 0.55, 0.70),
    # session 12: the class pairs' defaults (cues.toml default.*) trade relation precision
    # for recall and linked share
    "dev": (0.74, 0.77, 0.31, 0.61, 0.61),
    "blind": (0.52, 0.52, 0.10, 0.26, 0.55),
    # probes: the seven whole-article probes of session 11 (by text type, harder than the
    # eight class-by-class probes of session 10) pulled the pooled figures down; session 12
    # added two fresh ones (not tuned on), session 13 two more, harder (not tuned on);
    # session 14 three more fresh and three training ones, whole articles written blind to
    # the rules: pooled 0.769 / 0.755 / 0.304 / 0.549 / 0.705 at the end of session 14
    "probes": (0.75, 0.74, 0.29, 0.51, 0.66),
}


def _corpus() -> Path:
    path = corpus_dir() if corpus_dir().is_absolute() else ROOT / corpus_dir()
    if not path.is_dir():
        pytest.skip(f"corpus not found at {path}: set KG_CORPUS to the folder of ../shared/corpus")
    return path


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request, monkeypatch_module):
    name = request.param
    args = ["eval", "--gold", str(ROOT / "tests" / name), "--format", "json", "--totals-only"]
    if name in ("dev", "blind"):  # the probes' texts are beside their gold
        args += ["--texts", str(_corpus())]
    monkeypatch_module.chdir(ROOT)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return name, json.loads(result.output)["total"]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_entity_f1_floor(scored):
    name, total = scored
    assert total["entities"]["f1"] >= FLOORS[name][0]


def test_core_five_recall_floor(scored):
    name, total = scored
    assert total["core_five_found"]["recall"] >= FLOORS[name][1]


def test_relation_recall_floor(scored):
    name, total = scored
    assert total["relations"]["recall"] >= FLOORS[name][2]


def test_relation_precision_floor(scored):
    name, total = scored
    assert total["relations"]["precision"] >= FLOORS[name][3]


def test_linked_share_floor(scored):
    name, total = scored
    assert total["linked"]["share"] >= FLOORS[name][4]
