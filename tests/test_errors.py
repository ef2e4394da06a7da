"""The CLI error matrix: every user-caused problem is one ``Error: ...`` answer and a
non-zero exit, never a traceback; outputs already built are never damaged."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.ontology import ONTOLOGY_DIR, ONTOLOGY_FILE

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "data" / "mini.ttl"
BODY = "网商银行推出了“微业贷”产品。杭州是一座智慧城市。"
TRADITIONAL = "網商銀行推出了「微業貸」產品。杭州是一座智慧城市。"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """kg's caches (the segmenter's model) in a tmp folder shared by these tests, never the
    user's."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kg-cache"))


def kg(*args) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def build(tmp_path, *sources, extra=()):
    return kg("build", *sources, "--out", tmp_path / "out", "--no-cache", *extra)


def error_lines(result) -> list[str]:
    """The stderr of a failed command, which must carry no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


def labels(out: Path) -> set[str]:
    """Labels and alternative labels of the built graph."""
    import rdflib
    from rdflib.namespace import RDFS, SKOS

    g = rdflib.Graph().parse(out / "kg.ttl")
    return {str(o) for p in (RDFS.label, SKOS.altLabel) for o in g.objects(None, p)}


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ----------------------------------------------------------------- inputs: success
@pytest.mark.parametrize("data, extra", [
    (("# id: a\n\n" + BODY).encode("utf-8"), ()),
    (b"\xef\xbb\xbf" + ("# id: a\n\n" + BODY).encode("utf-8"), ()),
    (("# id: a\r\n\r\n" + BODY.replace("。", "。\r\n")).encode("utf-8"), ()),
    (("# id: a\n\n" + BODY).encode("gbk"), ()),
    (("# id: a\n\n" + BODY).encode("gb18030"), ()),
    (("# id: a\n\n" + TRADITIONAL).encode("big5"), ("--encoding", "big5")),
    (("# id: a\n\n" + BODY).encode("gbk"), ("--encoding", "gbk")),
], ids=["utf8", "utf8-bom", "crlf", "gbk-detected", "gb18030-detected", "big5-named",
        "gbk-named"])
def test_encodings_build_the_same_entities(tmp_path, data, extra):
    src = write(tmp_path / "src" / "a.txt", data)
    r = build(tmp_path, src, extra=extra)
    assert r.exit_code == 0, r.output
    assert r.stderr == ""
    assert {"网商银行", "杭州"} <= labels(tmp_path / "out")


def test_traditional_and_fullwidth_text_builds_simplified_entities(tmp_path):
    src = write(tmp_path / "src" / "t.txt",
                "# id: t\n# author: 江英華\n\n網商銀行推出了「微業貸」產品。杭州發展ＡＩ與６Ｇ技術。")
    r = build(tmp_path, src)
    assert r.exit_code == 0, r.output
    found = labels(tmp_path / "out")
    assert {"网商银行", "杭州", "江英华"} <= found
    assert not {"網商銀行", "江英華"} & found
    ttl = (tmp_path / "out" / "kg.ttl").read_text("utf-8")
    assert "ＡＩ" not in ttl and "６Ｇ" not in ttl


def test_latin_inside_chinese_is_kept_intact(tmp_path):
    src = write(tmp_path / "src" / "l.txt",
                "# id: l\n\n杭州推动AI、6G与ESG投资发展，上线App应用。人工智能和AI技术赋能数字金融。")
    r = build(tmp_path, src)
    assert r.exit_code == 0, r.output
    ttl = (tmp_path / "out" / "kg.ttl").read_text("utf-8")
    for word in ("AI", "6G", "ESG", "App"):
        assert word in ttl
    assert "A I" not in ttl and "6 G" not in ttl
    assert {"AI", "6G"} <= labels(tmp_path / "out")


def test_empty_and_blank_files_warn_and_the_build_goes_on(tmp_path):
    src = tmp_path / "src"
    write(src / "a.txt", "# id: a\n\n" + BODY)
    empty = write(src / "empty.txt", b"")
    blank = write(src / "blank.txt", " \n\u3000\n\t\r\n")
    header_only = write(src / "header.txt", "# id: h\n# title: 只有标题\n")
    r = build(tmp_path, src)
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == [f"Warning: {f}: empty source, skipped"
                                     for f in (blank, empty, header_only)]
    assert "网商银行" in labels(tmp_path / "out")


# ----------------------------------------------------------------- inputs: errors
@pytest.mark.parametrize("files, args, message", [
    ({"a.txt": bytes(range(256)) * 8}, ("{src}/a.txt",), "{src}/a.txt: binary file, not text"),
    ({"a.txt": b"\x89PNG\r\n\x1a\n" + bytes((i * 37 + 11) % 256 for i in range(4000))},
     ("{src}",), "{src}/a.txt: binary file, not text"),
    ({"a.txt": "café crème, déjà vu.".encode("latin-1")}, ("{src}",),
     "{src}/a.txt: not UTF-8 (bad byte at 3) nor GB18030; name the encoding with --encoding"),
    ({"a.txt": (TRADITIONAL * 2).encode("big5")}, ("{src}",),
     "{src}/a.txt: cannot detect the encoding (not UTF-8, and not Chinese as GB18030); "
     "name it with --encoding"),
    ({"a.txt": BODY.encode("gbk")}, ("{src}", "--encoding", "utf-8"),
     "{src}/a.txt: cannot decode as utf-8 at byte 0"),
    ({"a.txt": BODY.encode("utf-8")}, ("{src}", "--encoding", "klingon"),
     "unknown encoding 'klingon'"),
    ({"a.txt": b""}, ("{src}",), "no article with any text in {src}"),
    ({}, ("{src}/missing.txt",), "source not found: {src}/missing.txt"),
    ({"notes.md": BODY.encode()}, ("{src}",), "no .txt files in folder {src}"),
    ({"x/a.txt": ("# id: same\n" + BODY).encode(), "y/b.txt": ("# id: same\n" + BODY).encode()},
     ("{src}",), "duplicate article id 'same': {src}/x/a.txt and {src}/y/b.txt"),
    ({"a.txt": ("# title 没有冒号\n" + BODY).encode()}, ("{src}",),
     '{src}/a.txt:1: malformed header line, expected "# key: value"'),
    ({"a.txt": ("# id: a\n# colour: red\n" + BODY).encode()}, ("{src}",),
     "{src}/a.txt:2: unknown header key 'colour' (known: id, title, author, source, date, topic, genre)"),
    ({"a.txt": ("# id: a/b\n" + BODY).encode()}, ("{src}",),
     "{src}/a.txt: bad article id 'a/b' from its '# id:' line: letters (Chinese too), digits, _ . - "
     "only, at most 80"),
], ids=["binary", "binary-in-folder", "undecodable", "big5-undetected", "wrong-encoding",
        "unknown-encoding", "only-empty", "missing-path", "no-txt", "duplicate-id",
        "malformed-header", "unknown-header-key", "bad-id"])
def test_bad_inputs_are_one_line_errors(tmp_path, files, args, message):
    src = tmp_path / "src"
    src.mkdir()
    for name, data in files.items():
        write(src / name, data)
    r = build(tmp_path, *[a.format(src=src) for a in args])
    assert r.exit_code == 1
    lines = error_lines(r)
    assert lines[-1] == "Error: " + message.format(src=src)
    assert all(line.startswith("Warning: ") for line in lines[:-1])
    assert not (tmp_path / "out").exists()


def test_a_long_line_without_newline_builds(tmp_path):
    # 30 kB on one line with no punctuation at all: cut into bounded sentences, so
    # rule matching stays linear (the 1 MB normaliser case is in test_sources.py)
    unit = "数字金融依托数字技术实现与科技创新主体资金需求的精准匹配"
    src = write(tmp_path / "src" / "line.txt", unit * (30_000 // len(unit.encode())))
    t = time.perf_counter()
    r = build(tmp_path, src)
    assert r.exit_code == 0, r.output
    assert time.perf_counter() - t < 60
    assert "数字金融" in labels(tmp_path / "out")


# ----------------------------------------------------------------- curated data
@pytest.fixture
def curated(tmp_path):
    """Copies of ontology/rules and ontology/lexicon to break."""
    rules, lexicon = tmp_path / "rules", tmp_path / "lexicon"
    shutil.copytree(ONTOLOGY_DIR / "rules", rules)
    shutil.copytree(ONTOLOGY_DIR / "lexicon", lexicon)
    return rules, lexicon


BROKEN_RULES = '''
[[rule]]
id = "broken.unknown_class"
pattern = [{ type = "bank", capture = "e" }]
entities = [{ capture = "e", class = "Bankk" }]
examples = ["网商银行。"]

[[rule]]
id = "broken.unknown_predicate"
stage = 2
pattern = [{ entity = "Institution", capture = "s" }, { text = "推出" }, { entity = "Product", capture = "o" }]
relations = [{ subject = "s", predicate = "sells", object = "o" }]
examples = ["网商银行推出微业贷。"]

[[rule]]
id = "broken.bad_regex"
pattern = [{ regex = "(银行", capture = "e" }]
entities = [{ capture = "e", class = "Bank" }]
examples = ["网商银行。"]
'''


def rule_problems(rules: Path) -> list[str]:
    return [
        f"{rules}/zz_syntax.toml: invalid TOML: Expected '=' after a key in a key/value pair "
        "(at line 2, column 5)",
        f"{rules}/zz_broken.toml: rule 'broken.unknown_class': unknown class 'Bankk' "
        f"(not in {ONTOLOGY_FILE})",
        f"{rules}/zz_broken.toml: rule 'broken.unknown_predicate': unknown predicate 'sells' "
        f"(not in {ONTOLOGY_FILE})",
        f"{rules}/zz_broken.toml: rule 'broken.bad_regex': regex: bad regex '(银行': "
        "missing ), unterminated subpattern at position 0",
    ]


def lexicon_problems(lexicon: Path) -> list[str]:
    return [
        f"{lexicon}/zz_broken.txt:2: unknown type 'Inst' (did you mean 'inst'? or declare it in "
        f"{lexicon}/types.toml)",
        f"{lexicon}/zz_broken.txt:3: unknown type 'bogus' (declare it in {lexicon}/types.toml)",
        f"{lexicon}/zz_broken.txt:4: expected \"word [freq] [type]\", got '石墨烯 n 3'",
    ]


def break_rules(rules: Path) -> None:
    write(rules / "zz_syntax.toml", "# a typo\nbad toml = \n")
    write(rules / "zz_broken.toml", BROKEN_RULES)


def break_lexicon(lexicon: Path) -> None:
    write(lexicon / "zz_broken.txt", "好词 tech\n网商银行 10 Inst\n测试词 bogus\n石墨烯 n 3\n")


@pytest.mark.parametrize("command", [("rules", "check"), ("build", "{src}", "--out", "{out}")],
                         ids=["rules-check", "build"])
@pytest.mark.parametrize("broken", ["rules", "lexicon", "both"])
def test_bad_curated_data_lists_every_problem(tmp_path, curated, command, broken):
    rules, lexicon = curated
    src = write(tmp_path / "src" / "a.txt", BODY)
    expected = []
    if broken in ("rules", "both"):
        break_rules(rules)
        expected += rule_problems(rules)
    if broken in ("lexicon", "both"):
        break_lexicon(lexicon)
        expected += lexicon_problems(lexicon)
    args = [a.format(src=src, out=tmp_path / "out") for a in command]
    r = kg(*args, "--rules", rules, "--lexicon", lexicon)
    assert r.exit_code == 1
    lines = error_lines(r)
    if command[0] == "rules":  # the list, then one error line
        assert r.stdout.splitlines() == expected
        assert lines == [f"Error: {len(expected)} problems in the curated files"]
    else:  # one line: the first problem, and where to see them all
        assert lines == [f"Error: {expected[0]} (and {len(expected) - 1} more problems: "
                         "`kg rules check` lists them all)"]
    assert not (tmp_path / "out").exists()


def test_lexicon_file_option_validates_that_file(tmp_path, curated):
    _, lexicon = curated
    break_lexicon(lexicon)
    r = kg("rules", "check", "--lexicon", lexicon / "zz_broken.txt")
    assert r.exit_code == 1
    assert error_lines(r) == ["Error: 3 problems in the curated files"]
    assert r.stdout.splitlines() == lexicon_problems(lexicon)


@pytest.mark.parametrize("option, name, message", [
    ("--rules", "nowhere", "{p}: rules folder not found"),
    ("--lexicon", "nowhere", "{p}: lexicon not found"),
])
def test_missing_curated_data_folder(tmp_path, option, name, message):
    p = tmp_path / name
    r = kg("rules", "check", option, p)
    assert r.exit_code == 1
    assert error_lines(r) == ["Error: " + message.format(p=p)]


def test_intact_copies_check_clean(curated):
    rules, lexicon = curated
    r = kg("rules", "check", "--rules", rules, "--lexicon", lexicon)
    assert r.exit_code == 0, r.output
    assert r.output.startswith("OK: ")


def lexicon_entries_of_type(name: str) -> int:
    from kg import ontology
    from kg.lexicon import load

    return sum(e.type == name for e in load(None, ontology.load()).entries)


# one mistake in a copy of ontology/: (file, text replaced or None to append, its
# replacement, the one line that names the cause: {o} the copy, {line} the line of the
# replacement's last line); the mistakes of what depends on it are not reported
ONE_CAUSE = [
    ("kg.ttl", "kg:FinancialProduct a owl:Class ;\n    rdfs:subClassOf kg:Product ;",
     "kg:FinancialProduct a owl:Class ;\n    rdfs:subClassOf kg:Prodcut ;",
     "{o}/kg.ttl:{line}: kg:Prodcut is not declared (did you mean kg:Product?); named by "
     "kg:FinancialProduct"),
    ("kg.ttl", "kg:FinancialProduct a owl:Class", "kg:FinancialProduct a owl:Clas",
     "{o}/kg.ttl:{line}: owl:Clas is no OWL term (did you mean owl:Class?); named by "
     "kg:FinancialProduct"),
    ("lexicon/types.toml", None, '\n[types.snt]\nclass = "Sentence"\npos = "nz"\n',
     "{o}/lexicon/types.toml: type 'snt': class 'Sentence' is not an entity class (those are "
     "Institution, Product, Problem, Remedy, Region, Person, Concept, Event, Document and their "
     "subclasses); used by 1 lexicon entry"),
    ("lexicon/types.toml", None, '\n[types.art]\nclass = "Article"\npos = "nz"\n',
     "{o}/lexicon/types.toml: type 'art': class 'Article' is not an entity class (those are "
     "Institution, Product, Problem, Remedy, Region, Person, Concept, Event, Document and their "
     "subclasses)"),
    ("lexicon/types.toml", 'class = "GovernmentBody"', 'class = "GovermentBody"',
     "{o}/lexicon/types.toml: type 'gov': unknown class 'GovermentBody' (did you mean "
     f"'GovernmentBody'?); used by {lexicon_entries_of_type('gov')} lexicon entries"),
    ("lexicon/types.toml", None, "\n[types.xx\n",
     "{o}/lexicon/types.toml: invalid TOML: Expected ']' at the end of a table declaration "
     "(at line {line}, column 10)"),
    ("rules/lists.toml", None, "\n[[cue]\n",
     "{o}/rules/lists.toml: invalid TOML: Expected ']]' at the end of an array declaration "
     "(at line {line}, column 6)"),
    ("aliases.toml", None, '\n[[alias]]\nclass = "Regin"\nlabel = "长三角"\n',
     "{o}/aliases.toml: alias #%d: class must be a core class, got 'Regin'"
     % ((ONTOLOGY_DIR / "aliases.toml").read_text("utf-8").count("[[alias]]") + 1)),
]


@pytest.mark.parametrize("name, old, new, cause", ONE_CAUSE,
                         ids=["superclass", "owl-term", "sentence-type", "article-type",
                              "type-class", "types-syntax", "lists-syntax", "alias-class"])
@pytest.mark.parametrize("command", [("rules", "check"), ("build", "{src}", "--out", "{out}")],
                         ids=["rules-check", "build"])
def test_rules_check_fails_where_the_build_would_naming_the_cause_once(tmp_path, name, old, new,
                                                                       cause, command):
    onto = tmp_path / "onto"
    shutil.copytree(ONTOLOGY_DIR, onto)
    f = onto / name
    text = f.read_text("utf-8")
    text = text + new if old is None else text.replace(old, new, 1)
    f.write_text(text, "utf-8")
    if "snt" in new:  # a word of that type
        with open(onto / "lexicon" / "products.txt", "a", encoding="utf-8") as words:
            words.write("科创快贷 snt\n")
    line = max(n for n, t in enumerate(text.splitlines(), 1) if new.strip().splitlines()[-1] in t)
    src = write(tmp_path / "src" / "a.txt", BODY)
    args = [a.format(src=src, out=tmp_path / "out") for a in command]
    r = subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True,
                       text=True, timeout=300,
                       env={**os.environ, "KG_ONTOLOGY_DIR": str(onto),
                            "KG_CACHE_DIR": str(tmp_path / "cache")})
    assert (r.returncode, r.stdout, r.stderr) == (1, "", f"Error: {cause.format(o=onto, line=line)}\n")
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------- SPARQL
@pytest.mark.parametrize("query, message", [
    ("SELEC ?s WHERE { ?s ?p ?o }", "SPARQL syntax error at line 1, column 1: unexpected 'SELEC' "
     "(a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK)"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }",
     "INSERT is refused: kg query is read-only (SPARQL updates are not run)"),
    ("DELETE WHERE { ?s ?p ?o }",
     "DELETE is refused: kg query is read-only (SPARQL updates are not run)"),
    ("PREFIX ex: <http://example.org/>\nLOAD <http://example.org/data.ttl> INTO GRAPH ex:g",
     "LOAD is refused: kg query is read-only (SPARQL updates are not run)"),
    ("CLEAR ALL", "CLEAR is refused: kg query is read-only (SPARQL updates are not run)"),
    ("DROP GRAPH <urn:g>", "DROP is refused: kg query is read-only (SPARQL updates are not run)"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     "SERVICE is refused: kg query does not call other endpoints"),
    ("select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
     "SERVICE is refused: kg query does not call other endpoints"),
], ids=["syntax", "insert", "delete", "load", "clear", "drop", "service", "service-lowercase"])
def test_bad_or_refused_queries(query, message):
    r = kg("query", query, "--graph", MINI)
    assert r.exit_code == 1
    assert error_lines(r) == ["Error: " + message]


def test_syntax_error_on_a_later_line_is_one_line_with_its_position():
    r = kg("query", "SELECT ?s\nWHERE { ?s ?p ?o", "--graph", MINI)
    assert r.exit_code == 1
    lines = error_lines(r)
    assert len(lines) == 1
    assert lines[0].startswith("Error: SPARQL syntax error at line 2, column 17: ")


def test_refused_query_does_not_touch_the_graph(tmp_path):
    graph = tmp_path / "g.ttl"
    shutil.copy(MINI, graph)
    before = graph.read_bytes()
    r = kg("query", "DELETE WHERE { ?s ?p ?o }", "--graph", graph)
    assert r.exit_code == 1
    assert graph.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (("SELECT * WHERE { ?s ?p ?o }", "--graph", "{tmp}/none.ttl"),
     "graph file not found: {tmp}/none.ttl (run `kg build` first?)"),
    (("--file", "{tmp}/none.rq", "--graph", str(MINI)), "query file not found: {tmp}/none.rq"),
    (("no-such-canned-query", "--graph", str(MINI)),
     "unknown canned query 'no-such-canned-query' (see `kg query --list`)"),
])
def test_missing_query_inputs(tmp_path, args, message):
    r = kg("query", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert r.exit_code == 1
    assert error_lines(r) == ["Error: " + message.replace("{tmp}", str(tmp_path))]


def test_unparsable_graph_is_one_line(tmp_path):
    graph = write(tmp_path / "bad.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    r = kg("query", "SELECT * WHERE { ?s ?p ?o }", "--graph", graph)
    assert r.exit_code == 1
    lines = error_lines(r)
    assert lines == [f"Error: cannot parse {graph} as Turtle: line 2, column 11: . is not a valid RDF object"]


GOLD = REPO / "tests" / "gold" / "digital_finance.json"
# Broken graph files: (name, how it is made, the line that must name it)
BROKEN = [
    ("cut.ttl", lambda: MINI.read_bytes()[:247],  # ends in "@" (rdflib: string index out of range)
     "as Turtle: line 6, column 1: Unexpected end of file"),
    ("cut-in-a-character.ttl", lambda: MINI.read_bytes()[:654],  # half of a UTF-8 character
     "as Turtle: line 15, column 19: Unexpected end of file"),
    ("article.ttl", lambda: "# id: t1\n# title: 测试\n\n杭州银行面向科技型中小企业推出“科创贷”。\n".encode(),
     "as Turtle: line 4, columns 1-15: 杭州银行面向科技型中小企业推出 is not a valid subject or graph name"),
    ("latin1.ttl", lambda: b"@prefix ex: <http://example.org/> .\nex:a ex:b \"caf\xe9\" .\n",
     "as Turtle: line 2, column 15: a byte that is not UTF-8 (graph files are UTF-8 text)"),
    ("cut.nt", lambda: b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
                       b"<http://example.org/a> <http://example.org/b> \"open\n",
     "as N-Triples: line 2, column 47: Unexpected end of file"),
    ("cut.owl", lambda: b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                        b'<rdf:Description rdf:about="http://example.org/a"',
     "as RDF/XML: line 3, column 1: unclosed token"),
]
GRAPH_COMMANDS = [
    ("stats",), ("validate",), ("reason", "--out", "{tmp}/out/x.ttl"), ("viz", "--out", "{tmp}/out/x.html"),
    ("export", "--format", "nt", "--out", "{tmp}/out/x.nt"), ("query", "ASK {}"),
    ("eval", "--gold", str(GOLD)), ("push", "--endpoint", "http://127.0.0.1:9/store"),
]


@pytest.mark.parametrize("name, content, where", BROKEN, ids=[b[0] for b in BROKEN])
@pytest.mark.parametrize("command", GRAPH_COMMANDS, ids=[c[0] for c in GRAPH_COMMANDS])
def test_an_unparsable_graph_is_named_with_its_line_and_why(tmp_path, command, name, content, where):
    graph = write(tmp_path / name, content())
    r = kg(*[a.replace("{tmp}", str(tmp_path)) for a in command], "--graph", graph)
    assert r.exit_code == 1
    assert error_lines(r) == [f"Error: cannot parse {graph} {where}"]
    assert not (tmp_path / "out").exists()  # nothing written


# Files of another kind given as the graph: refused by their suffix, before any parser
# (whose guess was "rdfa" for a page, and whose warnings came before the error).
NOT_GRAPHS = [
    ("graph.html", "<!DOCTYPE html>\n<html><body>知识图谱</body></html>\n"),
    ("g.graphml", '<?xml version="1.0"?>\n<graphml><graph id="G"><node id="a b"/></graph></graphml>\n'),
    ("article.txt", "# id: t1\n\n杭州银行面向科技型中小企业推出“科创贷”。\n"),
]


@pytest.mark.parametrize("name, content", NOT_GRAPHS, ids=[n for n, _ in NOT_GRAPHS])
@pytest.mark.parametrize("command", GRAPH_COMMANDS, ids=[c[0] for c in GRAPH_COMMANDS])
def test_a_file_of_another_kind_is_one_line_saying_what_a_graph_file_is(tmp_path, command, name,
                                                                         content):
    graph = write(tmp_path / name, content)
    r = kg(*[a.replace("{tmp}", str(tmp_path)) for a in command], "--graph", graph)
    assert r.exit_code == 1
    assert (r.stdout, error_lines(r)) == ("", [
        f"Error: {graph} is not a graph file kg reads: give Turtle (.ttl), N-Triples (.nt), "
        "N-Quads (.nq), TriG (.trig), JSON-LD (.jsonld), RDF/XML (.rdf, .owl, .xml) or N3 (.n3)"])
    assert not (tmp_path / "out").exists()  # nothing written


FOLDER_COMMANDS = [
    ("stats",), ("validate",), ("reason", "--out", "{tmp}/r.ttl"), ("viz", "--out", "{tmp}/v.html"),
    ("export", "--format", "nt", "--out", "{tmp}/x.nt"),
    ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), ("eval", "--gold", str(GOLD)),
]


def same_but_timing(text: str) -> str:
    import re

    return re.sub(r"\bin \d+\.\d s\b", "in _ s", text)


@pytest.mark.parametrize("command", FOLDER_COMMANDS, ids=[c[0] for c in FOLDER_COMMANDS])
def test_a_folder_that_kg_build_wrote_is_read_as_its_kg_ttl(tmp_path, command):
    folder = tmp_path / "built"
    folder.mkdir()
    shutil.copy(MINI, folder / "kg.ttl")
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    by_file = kg(*args, "--graph", folder / "kg.ttl")
    by_folder = kg(*args, "--graph", folder)
    assert by_file.exit_code in (0, 1) and "Error" not in by_file.output, by_file.output
    assert by_folder.exit_code == by_file.exit_code
    assert same_but_timing(by_folder.output) == same_but_timing(by_file.output)


@pytest.mark.parametrize("command, takes", [
    *[(c, "a graph file or a folder that `kg build` wrote") for c in FOLDER_COMMANDS if c[0] != "query"],
    (("query", "ASK {}"), "a graph file, a folder that `kg build` wrote or an Oxigraph store "
                          "(kg build --store)"),
    (("push", "--endpoint", "http://127.0.0.1:9/store"),
     "a graph file, a folder that `kg build` wrote or a folder of shards (kg build --shards)"),
], ids=[c[0] for c in FOLDER_COMMANDS if c[0] != "query"] + ["query", "push"])
def test_another_folder_as_a_graph_is_one_line_saying_what_is_taken(tmp_path, command, takes):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.txt").write_text("not a graph", encoding="utf-8")
    r = kg(*[a.replace("{tmp}", str(tmp_path)) for a in command], "--graph", folder)
    assert r.exit_code == 1
    assert error_lines(r) == [f"Error: {folder} is a folder with no kg.ttl in it: give {takes}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]  # nothing written


HUGE = ("SELECT ?a ?b ?c ?d ?e WHERE { VALUES ?a {0 1 2 3 4 5 6 7 8 9} VALUES ?b {0 1 2 3 4 5 6 7 8 9} "
        "VALUES ?c {0 1 2 3 4 5 6 7 8 9} VALUES ?d {0 1 2 3 4 5 6 7 8 9} "
        "VALUES ?e {0 1 2 3 4 5 6 7 8 9} }")


def test_huge_result_is_limited_with_a_note():
    r = kg("query", HUGE, "--graph", MINI)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[-1] == ("(first 100 rows shown; --limit 0 shows all, "
                         "--format csv or json never cut)")
    assert len(lines) == 2 + 100 + 1  # header, rule, rows, note


def test_huge_result_in_csv_is_complete():
    r = kg("query", HUGE, "--graph", MINI, "--format", "csv")
    assert r.exit_code == 0
    assert len(r.output.splitlines()) == 1 + 100_000


# ----------------------------------------------------------------- outputs
def snapshot(out: Path) -> dict[str, bytes]:
    """Visible output files (temporary files start with '.') and their bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


@pytest.fixture
def previous_build(tmp_path):
    """An output folder holding a finished build of a small article."""
    write(tmp_path / "small" / "a.txt", "# id: a\n\n" + BODY)
    out = tmp_path / "out"
    r = kg("build", tmp_path / "small", "--out", out, "--no-cache")
    assert r.exit_code == 0, r.output
    before = snapshot(out)
    assert {"kg.ttl", "graph.html"} <= set(before)
    return out, before


def corpus(tmp_path, copies: int) -> Path:
    """The bundled articles under several ids: a build of a few seconds."""
    src = tmp_path / "big"
    for f in sorted((REPO / "sources").glob("*.txt")):
        text = f.read_text("utf-8")
        body = text.split("\n\n", 1)[1] if text.startswith("#") else text
        for i in range(copies):
            write(src / f"{f.stem}_{i}.txt", f"# id: {f.stem}_{i}\n\n{body}")
    return src


def env():
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


KILL_WHILE_EXTRACTING = r"""
import contextlib, os, signal, sys
import kg.pipeline as pipeline

@contextlib.contextmanager
def progress(total, enabled):
    # called as each article's extraction arrives: the first one kills the build
    yield lambda n: os.kill(os.getpid(), signal.SIGKILL)

pipeline._progress = progress
from kg.cli import main
sys.argv = ["kg"] + sys.argv[1:]
main()
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_killed_while_running_leaves_previous_outputs_whole(tmp_path, previous_build, jobs):
    out, before = previous_build
    proc = subprocess.run([sys.executable, "-c", KILL_WHILE_EXTRACTING, "build",
                           str(corpus(tmp_path, 2)), "--out", str(out), "--no-cache",
                           "--jobs", str(jobs)], cwd=tmp_path, env=env(), capture_output=True,
                          timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert snapshot(out) == before
    # no hidden file but the list of the previous build's files (.kg-outputs)
    assert [p.name for p in out.rglob("*") if p.is_file() and p.name.startswith(".")] == [
        ".kg-outputs"]
    # the workers die with the build: no BrokenPipeError tracebacks (stderr is read to its
    # end, which comes when every process holding it has exited)
    assert b"Traceback" not in proc.stderr and b"BrokenPipe" not in proc.stderr


KILL_MID_WRITE = r"""
import os, signal, sys, types
import kg.fileio as fileio

real_fdopen = os.fdopen

OUT = os.path.realpath(os.environ["KG_TEST_OUT"])

class HalfThenDie:
    # Writes half of what it is given, flushes it to disk, then the process is killed.
    def __init__(self, f):
        self.f = f
    def write(self, data):
        self.f.write(data[: len(data) // 2])
        self.f.flush()
        os.fsync(self.f.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.f.__exit__(*exc)

fake_os = types.ModuleType("os")
fake_os.__dict__.update(os.__dict__)
def fdopen(fd, *args, **kwargs):
    f = real_fdopen(fd, *args, **kwargs)
    target = os.readlink(f"/proc/self/fd/{fd}")  # only output files, not kg's caches
    return HalfThenDie(f) if target.startswith(OUT + os.sep) else f

fake_os.fdopen = fdopen
fileio.os = fake_os  # only kg.fileio sees it
from kg.cli import main
sys.argv = ["kg"] + sys.argv[1:]
main()
"""


def test_a_build_killed_in_the_middle_of_writing_leaves_previous_outputs_whole(
        tmp_path, previous_build):
    out, before = previous_build
    write(tmp_path / "other" / "b.txt", "# id: b\n\n杭州是一座智慧城市。网商银行推出了新产品。")
    proc = subprocess.run([sys.executable, "-c", KILL_MID_WRITE, "build", str(tmp_path / "other"),
                           "--out", str(out), "--no-cache"], cwd=tmp_path,
                          env={**env(), "KG_TEST_OUT": str(out)},
                          capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert snapshot(out) == before
    leftovers = [p.name for p in out.rglob("*") if p.is_file() and p.name.startswith(".")
                 and p.name != ".kg-outputs"]  # the previous build's list of its files
    assert leftovers and all(n.startswith(".kg.ttl.") and n.endswith(".tmp") for n in leftovers)
    # the next build works and replaces the outputs
    r = kg("build", tmp_path / "other", "--out", out, "--no-cache")
    assert r.exit_code == 0, r.output
    assert "articles/b.html" in snapshot(out)


def test_a_failed_build_leaves_previous_outputs_whole(tmp_path, previous_build):
    out, before = previous_build
    write(tmp_path / "bad" / "a.txt", bytes(range(256)) * 8)
    r = kg("build", tmp_path / "bad", "--out", out, "--no-cache")
    assert r.exit_code == 1
    assert snapshot(out) == before


@pytest.mark.parametrize("out, code, message", [
    ("{f}/sub", 1, "cannot write to {f}/sub: Not a directory"),
    ("{f}", 2, "Invalid value for '--out': Directory '{f}' is a file."),
], ids=["under-a-file", "is-a-file"])
def test_unwritable_output_folder_is_a_clear_error(tmp_path, out, code, message):
    # tests run as root, where chmod does not block writes: a path under a regular file does
    f = write(tmp_path / "afile", b"not a folder")
    src = write(tmp_path / "src" / "a.txt", BODY)
    r = kg("build", src, "--out", out.format(f=f), "--no-cache")
    assert r.exit_code == code
    assert error_lines(r)[-1] == "Error: " + message.format(f=f)
    assert f.read_bytes() == b"not a folder"
