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
    (GOOD.replace('class = "Bank"', 'class = "Sentence"'),
     "rule 'x.ok': class 'Sentence' is not an entity class"),
    (GOOD.replace('class = "Bank"', 'class = "Article"'),
     "rule 'x.ok': class 'Article' is not an entity class"),
    (GOOD.replace('entities = [{ capture = "b", class = "Bank" }]',
                  'relations = [{ subject = "b", predicate = "ownz", object = "b" }]'),
     "rule 'x.ok': unknown predicate 'ownz'"),
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ regex = "银(行", capture = "b" }'),
     "rule 'x.ok': regex: bad regex '银(行'"),
    (GOOD.replace('capture = "b", class', 'capture = "c", class'),
     "rule 'x.ok': entity uses capture 'c' that the pattern never defines"),
    (GOOD.replace('capture = "b", class = "Bank"', 'capture = "b", class = "Bank", split = true, lead = "v"'),
     "rule 'x.ok': entity lead 'v' must name another capture of the pattern"),
    (GOOD.replace('capture = "b", class = "Bank"',
                  'capture = "b", class = "Bank", split_before = "和", split_after = "体系"'),
     "rule 'x.ok': entity takes split_before or split_after, not both"),
    (GOOD.replace('class = "Bank"', 'class = "Bank", suffix_classes = { "市" = "City" }'),
     "rule 'x.ok': suffix_classes: '市' gives class 'City', not a kind of Institution like 'Bank'"),
    (GOOD.replace('class = "Bank"', 'class = "Bank", suffix_classes = { "行" = "Bnak" }'),
     "rule 'x.ok': suffix_classes: unknown class 'Bnak'"),
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


def test_a_renamed_engine_list_fails_at_load(tmp_path):
    """The engine reads some lists by name: a lists.toml without one of them (renamed by an
    analyst) is an error naming the file and the list, not a silently empty list."""
    from kg.rules import RULES_DIR

    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    lists = d / "lists.toml"
    lists.write_text(lists.read_text(encoding="utf-8").replace("say_verbs =", "speech_verbs =", 1),
                     encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules(d, ontology.load())
    assert any(str(lists) in p and "list 'say_verbs' is missing: the engine reads it" in p
               for p in e.value.problems), e.value.problems


@pytest.mark.parametrize("entry, problem", [
    ("该行:Bnak", "'该行:Bnak': unknown class 'Bnak' (not in {kg_ttl})"),
    ("该机制:Remedy|Prodcut@机制", "'该机制:Remedy|Prodcut@机制': unknown class 'Prodcut' (not in {kg_ttl})"),
    ("该句:Sentence", f"'该句:Sentence': class 'Sentence' {ontology.NOT_ENTITY}"),
    ("该行", "'该行': expected a phrase, ':' and the entity classes it refers to, '|' between "
             "them, maybe '@' and a head noun after them (该行:Bank, 该机制:Remedy|Product@机制)"),
    (":Bank", "':Bank': expected a phrase, ':' and the entity classes it refers to, '|' between "
              "them, maybe '@' and a head noun after them (该行:Bank, 该机制:Remedy|Product@机制)"),
], ids=["unknown-class", "unknown-alternative", "no-entity-class", "no-class", "no-phrase"])
def test_a_bad_demonstrative_is_one_line_saying_what_is_expected(tmp_path, entry, problem):
    from kg.rules import RULES_DIR

    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    lists = d / "lists.toml"
    text = lists.read_text(encoding="utf-8")
    assert '"该行:Bank", ' in text
    lists.write_text(text.replace('"该行:Bank", ', f'"{entry}", ', 1), encoding="utf-8")
    r = kg_cli("rules", "check", "--rules", d)
    problem = problem.format(kg_ttl=ontology.ONTOLOGY_FILE)
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", f"Error: {lists}: list 'demonstratives': {problem}\n")


def test_engine_lists_are_the_lists_the_engine_reads():
    import re

    from kg.rules import ENGINE_LISTS

    package = Path(__file__).parent.parent / "kg"
    code = "".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    read = set(re.findall(r'lists\.get\("(\w+)"', code))
    read |= {n for group in re.findall(r'for k in \(([^)]*)\)\s+for w in rules\.lists\.get\(k', code)
             for n in re.findall(r'"(\w+)"', group)}
    assert read == set(ENGINE_LISTS)


@pytest.mark.parametrize("line, expected", [
    ("网商银行 10 Bank", "unknown type 'Bank' (did you mean 'bank'? or declare it in {types})"),
    ("东港市大数据发展局 Gov", "unknown type 'Gov' (did you mean 'gov'? or declare it in {types})"),
    ("网商银行 bank 10", "expected \"word [freq] [type]\", got '网商银行 bank 10'"),
    ("网商银行 10 nosuch", "unknown type 'nosuch' (declare it in {types})"),
])
def test_bad_lexicon_lines_name_file_and_line(tmp_path, line, expected):
    d = tmp_path / "lex"
    shutil.copytree(ONTOLOGY / "lexicon", d)
    f = d / "zz_extra.txt"
    f.write_text("# extra\n微业贷 finprod\n" + line + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as e:
        load_lexicon(d, ontology.load())
    assert e.value.problems == [f"{f}:3: " + expected.format(types=d / "types.toml")]


def test_a_type_nobody_declared_is_one_problem_with_the_number_of_its_words(tmp_path):
    d = tmp_path / "lex"
    shutil.copytree(ONTOLOGY / "lexicon", d)
    f = d / "zz_extra.txt"
    f.write_text("甲市财政局 goverment\n乙市财政局 goverment\n微业贷 finprod\n丙县农业局 10 goverment\n",
                 encoding="utf-8")
    with pytest.raises(LexiconError) as e:
        load_lexicon(d, ontology.load())
    assert e.value.problems == [f"{f}:1: unknown type 'goverment' (declare it in "
                                f"{d / 'types.toml'}); used by 3 lexicon entries"]


@pytest.mark.parametrize("text, rule, matches", [
    ("一是打通数据壁垒。\n\n二是优化审批流程。", "enum.shi", 2),
    ("如何破解？首先，完善监管规则。其次，加强监管协同。", "enum.sequence", 2),
    ("存在以下问题。（1）融资渠道单一。（2）信息不对称。", "enum.numbered", 2),
    ("记者：数字金融发挥了哪些作用？谢子远：一是推动了企业科技创新。", "section.effects", 1),
    ("记者：数字金融为什么重要？谢子远：一是能够优化要素配置。", "section.effects", 1),
    ("记者：您如何看待数字金融的未来？谢子远：一是技术将更加成熟。", "section.question", 1),
])
def test_rules_stats_counts_the_context_rules_where_they_give_a_sentence_its_context(
        tmp_path, text, rule, matches):
    from kg.ruletest import rule_stats

    src = tmp_path / "a.txt"
    src.write_text(text, encoding="utf-8")
    lines = rule_stats([src]).splitlines()
    assert [int(line.split()[1]) for line in lines if line.split()[0] == rule] == [matches]
    assert rule not in lines[-1].removeprefix("Never fired: ").split(", ")


def test_a_rule_file_read_alone_says_once_that_its_folder_defines_its_lists(tmp_path):
    """--rules FILE: the lists another file of the folder defines are unknown; one line says
    so (a folder read whole still names each use of a list nobody defines)."""
    text = GOOD.replace('{ text = "银行", capture = "b" }',
                        '{ not_in = "@clause_breaks" }, { in = "@modals" }, { text = "银行", capture = "b" }')
    d = write_rules(tmp_path, text)
    with pytest.raises(RuleError) as e:
        load_rules(d / "r.toml", ontology.load())
    assert e.value.problems == [
        f"{d / 'r.toml'}: uses 2 lists it does not define (@clause_breaks, @modals): read alone, "
        f"a rule file has only its own lists; check its folder instead (--rules {d}), or define "
        "them in the file"]
    with pytest.raises(RuleError) as e:
        load_rules(d, ontology.load())
    assert e.value.problems == [f"{d / 'r.toml'}: rule 'x.ok': not_in: unknown list '@clause_breaks'",
                                f"{d / 'r.toml'}: rule 'x.ok': in: unknown list '@modals'"]


def test_a_lexicon_file_of_ones_own_uses_the_bundled_types(tmp_path):
    """--lexicon mine.txt, no types.toml beside it: the types every lexicon has."""
    f = tmp_path / "mine.txt"
    f.write_text("科创贷 finprod\n杭州银行 10 bank\n", encoding="utf-8")
    lex = load_lexicon(f, ontology.load())
    assert [(e.word, e.type) for e in lex.entries] == [("科创贷", "finprod"), ("杭州银行", "bank")]
    f.write_text("科创贷 nosuch\n", encoding="utf-8")
    with pytest.raises(LexiconError) as e:
        load_lexicon(f, ontology.load())
    assert e.value.problems == [f"{f}:1: unknown type 'nosuch' (declare it in "
                                f"{ONTOLOGY / 'lexicon' / 'types.toml'})"]


# ---------------------------------------------------------------- examples
def _items():
    rs = load_rules(None, ontology.load())
    return [*rs.rules, *rs.sections, *rs.enumerations, *rs.item_roles, *rs.cues]


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.id)
def test_rule_examples(extractor, item):
    """Every curated rule yields what its examples say and stays quiet on its counter-examples."""
    from kg.ruletest import check_item

    assert item.examples, f"{item.id} has no example"
    failures = [f"{o.kind} {o.text!r}: {'; '.join(o.problems)}"
                for o in check_item(extractor, item) if not o.ok]
    assert not failures, "\n".join(failures)


QUESTIONS = '''
[[section]]
id = "section.why"
priority = 20
match = "为什么"
role = "none"
examples = ["记者：数字金融为什么重要？"]

[[section]]
id = "section.any"
priority = 10
match = "^记者："
role = "none"
examples = ["记者：数字金融为什么重要？"]
counter_examples = ["记者：为什么？"]
'''


def test_rules_test_fails_a_section_example_that_a_section_of_higher_priority_opens(tmp_path):
    """A section's example is its own only where that section opens the section, as in a
    build (and kg rules stats): matching its pattern is not enough."""
    d = write_rules(tmp_path, QUESTIONS)
    r = kg_cli("rules", "test", "--rules", d)
    assert (r.returncode, r.stderr, r.stdout.splitlines()) == (1, "", [
        "FAIL section.any (r.toml) example '记者：数字金融为什么重要？': did not fire: section.why "
        "took the sentences it matches", "2 passed, 1 failed"])


# ------------------------------------------------------ hardening (issue 17)
import subprocess  # noqa: E402
import sys  # noqa: E402

SECTION = '''
[[section]]
id = "section.x"
match = "针对上述问题"
role = "Remedy"
examples = ["针对上述问题，应当如何？"]
'''


def kg_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


WRONG_TYPES = [
    (GOOD.replace('id = "x.ok"', 'id = "x.ok"\npriority = "high"'),
     "rule 'x.ok': priority: expected an integer, got str 'high'"),
    (GOOD.replace('id = "x.ok"', 'id = "x.ok"\npriority = true'),
     "rule 'x.ok': priority: expected an integer, got bool True"),
    (GOOD + '\n[cleanup]\nmin_length = "2"\n', "[cleanup]: min_length: expected an integer, got str '2'"),
    (GOOD.replace('class = "Bank"', 'class = ["Bank"]'),
     "rule 'x.ok': entities: class: expected a string, got list ['Bank']"),
    (GOOD.replace('id = "x.ok"', 'id = "x.ok"\nwhen = { section = 3 }'),
     "rule 'x.ok': when: section: expected a string or a list of strings, got int 3"),
    (GOOD.replace('entities = [{ capture = "b", class = "Bank" }]',
                  'entities = [{ capture = "b", class = "Bank" }]\n'
                  'relations = [{ subject = "b", predicate = ["offers"], object = "b" }]'),
     "rule 'x.ok': relations: predicate: expected a string, got list ['offers']"),
    (GOOD + SECTION.replace('role = "Remedy"', 'role = ["Remedy"]'),
     "section 'section.x': role: expected a string, got list ['Remedy']"),
    (GOOD + SECTION.replace('role = "Remedy"', 'role = "Remedy"\npriority = "9"'),
     "section 'section.x': priority: expected an integer, got str '9'"),
    ('lists = ["a"]\n' + GOOD, "lists: expected a table, got list ['a']"),
    ('[rule]\nid = "x.table"\n', "rule: expected a list of tables, got dict"),
    (GOOD + '\n[cleanup]\nstrip_prefixes = [1, 2]\n',
     "[cleanup]: strip_prefixes: expected a list of strings, got list [1, 2]"),
    ('cleanup = 3\n' + GOOD, "cleanup: expected a table, got int 3"),
    (GOOD + '\n[cleanup]\nstrip_prefixes = ["一是"]\nmarker_prefixes = ["一是", "二是"]\n',
     "[cleanup]: marker_prefixes 二是 are not strip_prefixes (only a prefix that is cut can be a marker)"),
]


@pytest.mark.parametrize("text, expected", WRONG_TYPES)
def test_wrongly_typed_values_are_rule_errors(tmp_path, text, expected):
    d = write_rules(tmp_path, text)
    with pytest.raises(RuleError) as e:
        load_rules(d, ontology.load())
    assert any(p.startswith(f"{d / 'r.toml'}: ") and expected in p for p in e.value.problems), \
        e.value.problems


UNSAFE = [
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ text = "银行", capture = "b", op = "{1,4294967295}" }'),
     "rule 'x.ok': op: {1,4294967295} is above the largest bound, 100 (use + or * for any number)"),
    (GOOD.replace('{ text = "银行", capture = "b" }', '{ regex = "(a+)+b", capture = "b" }'),
     "rule 'x.ok': regex: regex '(a+)+b' repeats a group of repeats (like (a+)+), which "
     "backtracks catastrophically: rewrite it"),
    (GOOD + SECTION.replace('match = "针对上述问题"', 'match = "(a+)+$"'),
     "section 'section.x': match: regex '(a+)+$' repeats a group of repeats (like (a+)+), "
     "which backtracks catastrophically: rewrite it"),
]


@pytest.mark.parametrize("text, expected", UNSAFE, ids=["huge-op", "nested-regex", "nested-section"])
@pytest.mark.parametrize("command", [["rules", "check"], ["build", "{src}", "--out", "{out}"],
                                     ["rules", "test"], ["explain", "银行"]])
def test_rules_that_would_hang_or_crash_are_one_line_errors(tmp_path, text, expected, command):
    d = write_rules(tmp_path, text)
    src = tmp_path / "a.txt"
    src.write_text("网商银行推出了新产品。", encoding="utf-8")
    args = [a.format(src=src, out=tmp_path / "out") for a in command]
    r = kg_cli(*args, "--rules", d)
    assert (r.returncode, r.stderr) == (1, f"Error: {d / 'r.toml'}: {expected}\n")


@pytest.mark.parametrize("pattern", ["(a+)+", "(a*)*b", "x(?:b*c*)+y", "((a+))*"])
def test_nested_repeats_are_refused(pattern):
    from kg.rules import catastrophic

    assert catastrophic(pattern)


@pytest.mark.parametrize("pattern", [r"(?:\d+、)+", "a+b+", "(ab)+", r"[一二三四五六七八九十]+是",
                                     "(针对|对于)(上述|以上)"])
def test_safe_repeats_are_allowed(pattern):
    from kg.rules import catastrophic

    assert not catastrophic(pattern)


def test_a_regex_that_backtracks_too_long_stops_the_build_with_a_rule_error(tmp_path):
    # (a|a)+$ passes the static check; the time bound stops it on a long run of a
    text = GOOD + SECTION.replace('match = "针对上述问题"', 'match = "(a|a)+$"')
    d = write_rules(tmp_path, text)
    src = tmp_path / "a.txt"
    src.write_text("网商银行推出了新产品" + "a" * 40 + "!。", encoding="utf-8")
    r = kg_cli("build", src, "--out", tmp_path / "out", "--rules", d, "--no-cache")
    assert r.returncode == 1
    assert r.stderr == (f"Error: {d / 'r.toml'}: section 'section.x': match: regex '(a|a)+$' "
                        f"ran over 1 s on '网商银行推出了新产品{'a' * 20}': it backtracks "
                        "catastrophically; simplify it\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("pattern, literals", [
    (".*(大学|学院)", {"大学", "学院"}),
    (".*银行", {"银行"}),
    ("[甲乙]公司.*", {"甲公司", "乙公司"}),
    ("(数字|智慧)(城市|金融)", {"数字城市", "数字金融", "智慧城市", "智慧金融"}),
    ("(局|厅|.*管理局)", {"局", "厅", "管理局"}),
    ("a(b|)c", {"ac", "abc"}),
    ("第.+次", {"第"}),
    ("(?<=[^，。]{4})等$", {"等"}),  # not what a lookaround looks at
    ("(?!.*(发挥|处理)$).+", None),  # nothing every match holds
    ("x*", None),
    ("a|", None),  # the empty match
    ("(?i)ab", None),  # case folded
    ("[[:alpha:]]x", None),  # the regex package reads what re takes for literals
    ("(?:abc){e<=1}", None),
])
def test_required_literals(pattern, literals):
    from kg.rules import required_literals

    assert required_literals(pattern) == (frozenset(literals) if literals else None)


def _shipped_regexes(rs) -> set:
    """Every regex of a rule set: token specs, sections, enumerations, [cleanup]."""
    def of_spec(spec):
        return ([spec.regex] if spec.regex is not None else []) + \
            [rx for a in spec.any_of or () for rx in of_spec(a)]

    c = rs.cleanup
    return ({rx for r in rs.rules for spec in r.pattern for rx in of_spec(spec)}
            | {s.match for s in rs.sections} | {e.marker for e in rs.enumerations}
            | set(c.drop_patterns) | set(c.reject_patterns) | set(c.alt_patterns))


def test_a_shipped_regex_skips_only_texts_it_cannot_match(extractor):
    # on every sentence and word of the bundled articles (and a few more), each shipped
    # regex finds, replaces and matches words as the regex package does without the
    # literal test; a text it matches holds one of its literals
    from kg.sources import read_article

    ex = extractor
    texts = {"中国人民银行成都分行", "河南省自然资源厅", "宁波财经学院", "3项措施", "12"}
    for path in sorted((ONTOLOGY.parent / "sources").glob("*.txt")):
        for sent in read_article(path).sentences:
            texts.add(sent.text)
            texts |= {t.text for t in ex.segmenter.tokens(sent.text)}
    regexes = _shipped_regexes(ex.rs)
    assert sum(rx.literals is not None for rx in regexes) > len(regexes) // 2
    for rx in regexes:
        for text in texts:
            found = rx._compiled().search(text)
            assert (rx.search(text) is None) == (found is None), (rx.pattern, text)
            assert rx.sub("", text) == rx._compiled().sub("", text), (rx.pattern, text)
            assert rx.word_match(text) == (rx._compiled().fullmatch(text) is not None), (rx.pattern, text)
            if found is not None and rx.literals is not None:
                assert any(lit in text for lit in rx.literals), (rx.pattern, text)


def test_toml_is_read_from_its_cached_json_copy_and_a_damaged_copy_is_ignored(tmp_path, monkeypatch):
    import tomllib

    from kg.fileio import toml_loads

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    text = 'a = 1\nb = [1.5, -0.0, "x"]\n[t]\nc = { d = true, e = "中文" }\n[[r]]\nid = "one"\n'
    first = toml_loads(text)
    (copy,) = (tmp_path / "toml").glob("*.json")
    assert first == tomllib.loads(text) and toml_loads(text) == first
    assert [type(x) for x in toml_loads(text)["b"]] == [float, float, str]
    for damage in (b"", b"garbage", copy.read_bytes()[:-3], copy.read_bytes().replace(b"one", b"two")):
        copy.write_bytes(damage)
        assert toml_loads(text) == first  # parsed again (a changed payload fails its checksum)
    dated = "when = 2026-12-06\n"
    assert toml_loads(dated) == tomllib.loads(dated)
    assert len(list((tmp_path / "toml").glob("*.json"))) == 1  # a date: no JSON copy
    with pytest.raises(tomllib.TOMLDecodeError):
        toml_loads("a = ")
