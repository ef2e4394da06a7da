"""Rule files: validation messages, and every rule's own examples."""

import shutil
from pathlib import Path

import pytest

from kg import ontology
from kg.errors import LexiconError, RuleError
from kg.lexicon import load as load_lexicon
from kg.rules import load as load_rules

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def write_rules(tmp_path, text):
    d = tmp_path / "rules"
    d.mkdir()
    (d / "r.toml").write_text(text, encoding="utf-8")
    return d


GOOD = '''
[[rule]]
id = "x.ok"
pattern = [{ text = "银行", capture = "b" }]
entities = [{ capture = "b", class = "Bank" }]
examples = ["银行"]
'''


@pytest.mark.parametrize("text, expected", [
    ("[[rule]\nid = 1", "invalid TOML"),
    (GOOD.replace('class = "Bank"', 'class = "Bnak"'),
     "rule 'x.ok': unknown class 'Bnak'"),
    (GOOD.replace('entities = [{ capture = "b", class = "Bank" }]',
                  'relations = [{ subject = "b", predicate = "ownz", object = "b" }]'),
     "rule 'x.ok': unknown predicate 'ownz'"),
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ regex = "银(行", capture = "b" }'),
     "rule 'x.ok': regex: bad regex '银(行'"),
    (GOOD.replace('capture = "b", class', 'capture = "c", class'),
     "rule 'x.ok': entity uses capture 'c' that the pattern never defines"),
    (GOOD + GOOD, "duplicate rule id 'x.ok'"),
    (GOOD.replace('examples = ["银行"]', ''), "rule 'x.ok': has no examples"),
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ txt = "银行", capture = "b" }'),
     "rule 'x.ok': unknown key(s) txt"),
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ text = "银行", capture = "b", op = "++" }'),
     "rule 'x.ok': op: expected ?, *, + or {m,n} (lazy with a trailing ?), got '++'"),
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ in = "@nolist", capture = "b" }'),
     "rule 'x.ok': in: unknown list '@nolist'"),
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ entity = "Bank", capture = "b" }'),
     "rule 'x.ok': entity constraints need stage = 2 or later"),
    (GOOD.replace('{ text = "银行", capture = "b" }',
                  ", ".join(f'{{ text = "w{i}" }}' for i in range(17)) + ', { text = "银行", capture = "b" }'),
     "rule 'x.ok': pattern has more than 16 different token tables"),
])
def test_bad_rule_files_are_reported_with_file_and_rule(tmp_path, text, expected):
    d = write_rules(tmp_path, text)
    with pytest.raises(RuleError) as e:
        load_rules(d, ontology.load())
    assert any(expected in p and str(d / "r.toml") in p for p in e.value.problems), e.value.problems


def test_all_problems_reported_at_once(tmp_path):
    text = GOOD.replace('class = "Bank"', 'class = "Bnak"') + GOOD.replace('x.ok', 'y.ok').replace(
        '"银行"', '"银(行"').replace("text =", "regex =")
    d = write_rules(tmp_path, text)
    with pytest.raises(RuleError) as e:
        load_rules(d, ontology.load())
    f = d / "r.toml"
    assert [p.split(": ", 2)[1:] for p in e.value.problems] == [
        ["rule 'x.ok'", f"unknown class 'Bnak' (not in {ontology.load().path})"],
        ["rule 'y.ok'", "regex: bad regex '银(行': missing ), unterminated subpattern at position 1"],
    ]
    assert all(p.startswith(f"{f}: ") for p in e.value.problems)


@pytest.mark.parametrize("line, expected", [
    ("网商银行 10 Bank", 'expected "word [freq] [type]"'),
    ("网商银行 bank 10", 'expected "word [freq] [type]"'),
    ("网商银行 10 nosuch", "unknown type 'nosuch'"),
])
def test_bad_lexicon_lines_name_file_and_line(tmp_path, line, expected):
    d = tmp_path / "lex"
    shutil.copytree(ONTOLOGY / "lexicon", d)
    f = d / "zz_extra.txt"
    f.write_text("# extra\n微业贷 finprod\n" + line + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as e:
        load_lexicon(d, ontology.load())
    assert e.value.problems == [f"{f}:3: {expected}" + ("" if "unknown" not in expected
                                else f" (declare it in {d / 'types.toml'})")
                                if "unknown" in expected else f"{f}:3: {expected}, got {line!r}"]


# ---------------------------------------------------------------- examples
def _items():
    rs = load_rules(None, ontology.load())
    return [*rs.rules, *rs.sections, *rs.enumerations, *rs.item_roles]


@pytest.fixture(scope="module")
def extractor():
    from kg.pipeline import load_extractor

    return load_extractor()


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.id)
def test_rule_examples(extractor, item):
    """Every curated rule yields what its examples say and stays quiet on its counter-examples."""
    from kg.ruletest import check_item

    assert item.examples, f"{item.id} has no example"
    failures = [f"{o.kind} {o.text!r}: {'; '.join(o.problems)}"
                for o in check_item(extractor, item) if not o.ok]
    assert not failures, "\n".join(failures)
