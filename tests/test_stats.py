"""`kg stats`: counts, central entities and bridges between articles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

MINI = Path(__file__).parent / "data" / "mini.ttl"


def section(output: str, heading: str) -> list[str]:
    """The lines under ``heading`` up to the next blank line, stripped."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading)) + 1
    out = []
    for line in lines[start:]:
        if not line.strip():
            break
        out.append(" ".join(line.split()))
    return out


@pytest.fixture(scope="module")
def mini_stats():
    result = CliRunner().invoke(main, ["stats", "--graph", str(MINI)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("heading, line", [
    ("Entities by class", "Institution 机构 2"),
    ("Entities by class", "Bank 银行 1"),
    ("Entities by class", "Company 企业 1"),
    ("Entities by class", "Concept 概念 3"),
    ("Entities by class", "Technology 技术 1"),
    ("Relations by predicate", "addresses 应对 3"),
    ("Relations by predicate", "locatedIn 位于 2"),
    ("Relations by predicate", "subsidiaryOf 旗下 1"),
    ("Most central entities: degree", "1. 网商银行 (Bank) 3"),
    ("Most central entities: betweenness", "1. 网商银行 (Bank) 0.091"),
    ("Entities bridging articles", "人工智能 (Technology) digital_finance, smart_city"),
])
def test_stats_lines(mini_stats, heading, line):
    assert line in section(mini_stats, heading)


def test_totals_line(mini_stats):
    assert "Articles: 2 · evidence sentences: 2 · entities: 12 · relations: 9 · mentions: 13" in mini_stats


def test_only_shared_entities_bridge(mini_stats):
    assert section(mini_stats, "Entities bridging articles") == [
        "人工智能 (Technology) digital_finance, smart_city"]


def test_mentions_are_not_relations(mini_stats):
    assert not any(line.startswith("mentions") for line in section(mini_stats, "Relations by predicate"))


def test_betweenness_ranks_the_middle_of_a_path():
    from test_viz import make_graph

    from kg.stats import compute

    g = make_graph(
        {"a1": ["甲位于乙。", "乙位于丙。"], "a2": ["丙位于丁。"]},
        [("region-a", "City", "甲", set(), [("a1", 0)]),
         ("region-b", "Province", "乙", set(), [("a1", 0)]),
         ("region-c", "Country", "丙", set(), [("a1", 1), ("a2", 0)]),
         ("region-d", "Region", "丁", set(), [("a2", 0)])],
        [("region-a", "locatedIn", "region-b", "a1", 0, "r.loc"),
         ("region-b", "locatedIn", "region-c", "a1", 1, "r.loc"),
         ("region-c", "locatedIn", "region-d", "a2", 0, "r.loc")])
    st = compute(g)
    # ties are listed in label order; the ends of the path have no betweenness and are left out
    assert [(r.label, round(r.value, 3)) for r in st.betweenness] == [("丙", 0.667), ("乙", 0.667)]
    assert [(r.label, r.value) for r in st.degree] == [("丙", 2), ("乙", 2), ("丁", 1), ("甲", 1)]
    assert st.bridges == [("丙", "Country", ["a1", "a2"])]
    assert st.by_class == [("Region", "地区", 4, [("City", "城市", 1), ("Country", "国家", 1),
                                                  ("Province", "省份", 1)])]


def test_missing_graph(tmp_path):
    result = CliRunner().invoke(main, ["stats", "--graph", str(tmp_path / "x.ttl")])
    assert result.exit_code == 1
    assert result.output == f"Error: graph file not found: {tmp_path / 'x.ttl'} (run `kg build` first?)\n"


def test_stats_does_not_import_jieba():
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from kg.cli import main; "
            f"r = CliRunner().invoke(main, ['stats', '--graph', {str(MINI)!r}]); "
            "r2 = CliRunner().invoke(main, ['viz', '--graph', "
            f"{str(MINI)!r}, '--out', sys.argv[1]]); "
            "assert r.exit_code == 0 and r2.exit_code == 0, (r.output, r2.output); "
            "print('jieba' in sys.modules)")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / "v.html")],
                             capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_stats_as_json_carries_the_same_figures():
    import json
    import subprocess
    import sys

    mini = Path(__file__).parent / "data" / "mini.ttl"
    text = subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--graph", str(mini)],
                          capture_output=True, text=True, check=True).stdout
    r = subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--graph", str(mini),
                        "--format", "json"], capture_output=True, text=True, check=True)
    doc = json.loads(r.stdout)
    assert (f"entities: {doc['entities']} · relations: {doc['relations']} · "
            f"mentions: {doc['mentions']}") in text
    assert sum(c["count"] for c in doc["by_class"]) == doc["entities"]
    assert {"label", "class", "value"} == set(doc["degree"][0])


def test_a_parse_error_keeps_its_reason(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open\n",
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", "--graph", str(bad)])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line == f"Error: cannot parse {bad} as Turtle: line 3, column 11: Unexpected end of file"


def test_build_stats_and_validate_count_the_same_entities(tmp_path):
    """One definition of an entity everywhere (a typed node that is not an article)."""
    import re

    from click.testing import CliRunner

    from kg.cli import main

    root = Path(__file__).resolve().parent.parent
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(root / "sources"), "--out", str(tmp_path / "o"),
                                 "--no-pages"])
    assert built.exit_code == 0, built.output
    n_build = int(re.search(r"^Entities: (\d+)$", built.output, re.M).group(1))
    graph = str(tmp_path / "o" / "kg.ttl")
    stats = runner.invoke(main, ["stats", "--graph", graph, "--format", "json"])
    assert json.loads(stats.output)["entities"] == n_build
    valid = runner.invoke(main, ["validate", "--graph", graph])
    assert f"({n_build} entities," in valid.output


# An article with an author: 周明 authorOf the article, which is drawn as a node of the
# graph, but is no entity: every count of entities is the build's.
AUTHORED = "# title: 测试\n# author: 周明\n\n网商银行推出了“微业贷”产品，缓解了融资难问题。杭州是一座智慧城市。\n"


@pytest.fixture(scope="module")
def authored(tmp_path_factory):
    """(the output folder of a build of AUTHORED, the build's count of entities)."""
    import re

    tmp = tmp_path_factory.mktemp("authored")
    (tmp / "a.txt").write_text(AUTHORED, "utf-8")
    r = CliRunner().invoke(main, ["build", str(tmp / "a.txt"), "--out", str(tmp / "o"), "--no-cache"])
    assert r.exit_code == 0, r.output
    assert re.search(r"^  authorOf +1$", r.output, re.M), r.output
    return tmp / "o", int(re.search(r"^Entities: (\d+)$", r.output, re.M).group(1))


def _stats(out: Path, *args) -> str:
    r = CliRunner().invoke(main, ["stats", "--graph", str(out), *args])
    assert r.exit_code == 0, r.output
    return r.output


def _viz(out: Path) -> str:
    r = CliRunner().invoke(main, ["viz", "--graph", str(out), "--out", str(out / "view.html")])
    assert r.exit_code == 0, r.output
    return r.output + (out / "view.html").read_text("utf-8")


ENTITY_COUNTS = {  # where a count of entities is read -> that count
    "stats": lambda out: int(re.search(r" entities: (\d+) ", _stats(out)).group(1)),
    "stats-by-class": lambda out: sum(int(n) for n in re.findall(  # core classes, unindented
        r"^  \S+ \S+ +(\d+)$", _stats(out).split("Entities by class")[1].split("\n\n")[0], re.M)),
    "stats-json": lambda out: json.loads(_stats(out, "--format", "json"))["entities"],
    "stats-json-by-class": lambda out: sum(
        c["count"] for c in json.loads(_stats(out, "--format", "json"))["by_class"]),
    "viz": lambda out: int(re.search(r"^Wrote \S+: (\d+) entities", _viz(out)).group(1)),
    "viz-page": lambda out: int(re.search(r"实体 entities (\d+)", _viz(out)).group(1)),
    "graph-page": lambda out: int(re.search(r"实体 entities (\d+)", (
        out / "graph.html").read_text("utf-8")).group(1)),
}


@pytest.mark.parametrize("where", ENTITY_COUNTS)
def test_an_article_is_never_counted_as_an_entity(authored, where):
    out, n_build = authored
    assert ENTITY_COUNTS[where](out) == n_build


def test_an_article_is_in_no_table_of_entities(authored):
    text = _stats(authored[0])
    assert "Article 文章" not in text and "(Article)" not in text
    doc = json.loads(_stats(authored[0], "--format", "json"))
    tables = doc["by_class"] + doc["degree"] + doc["betweenness"] + doc["bridges"]
    assert [row for row in tables if row["class"] == "Article"] == []
