"""The README is the user's entry point: its commands must be the real ones."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.rules import SCHEMA

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(text):
    return re.findall(r"```(?:sh)?\n(.*?)```", text, re.S)


def test_readme_starts_with_exactly_two_commands():
    head = README.split("## ", 1)[0]
    blocks = [b.strip() for b in code_blocks(head)]
    assert len(blocks) == 2
    assert "kg build" in blocks[0]
    assert "pytest" in blocks[1] and ".[test]" in blocks[1]


def test_ci_runs_the_readme_test_command():
    test_command = [b.strip() for b in code_blocks(README.split("## ", 1)[0])][1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.replace("pip install", "python -m pip install -q") in ci or test_command in ci


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3
    assert f"kg {command}" in README


def test_the_module_map_matches_the_package():
    section = README.split("## Module map", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\* `(kg/[\w/]+\.py)` — \S", section, re.M)
    assert len(listed) == len(set(listed)), "a module listed twice"
    modules = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "kg").rglob("*.py"))
    assert sorted(listed) == modules


def test_the_rule_reference_is_generated_from_the_schema():
    import importlib.util

    spec = importlib.util.spec_from_file_location("rules_reference", ROOT / "docs" / "rules_reference.py")
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert ref.current(doc) == ref.reference(), "run python docs/rules_reference.py"
    for kind, keys in SCHEMA.items():
        assert f"**{kind}**" in doc
        for key in keys:
            assert f"| `{key}` |" in doc


def test_docs_link_the_gold_format_and_its_guidelines():
    gold = (ROOT / "docs" / "gold.md").read_text(encoding="utf-8")
    assert "(../tests/gold/README.md)" in gold
    assert "docs/gold.md" in README
