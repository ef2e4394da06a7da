"""kg query: canned and ad-hoc SPARQL over Oxigraph, read-only, three formats."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query import QUERIES_DIR, width

MINI = Path(__file__).parent / "data" / "mini.ttl"
KG = "https://w3id.org/kg-zh/ontology#"


def query(*args: str):
    return CliRunner().invoke(main, ["query", "--graph", str(MINI), *args])


def csv_rows(*args: str) -> list[dict]:
    result = query(*args, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


CANNED = [
    ("problems-remedies", {"problem": "融资难", "addressedBy": "无抵押信用贷款",
                           "class": KG + "FinancialProduct", "relation": KG + "addresses"}),
    ("problems-remedies", {"problem": "拥堵", "addressedBy": "推广城市大脑治理拥堵",
                           "class": KG + "Remedy", "relation": KG + "addresses"}),
    ("problems-remedies", {"problem": "拥堵", "addressedBy": "城市大脑",
                           "class": KG + "Platform", "relation": KG + "addresses"}),
    ("institution-products", {"institution": "网商银行", "class": KG + "Bank",
                              "product": "无抵押信用贷款", "productClass": KG + "FinancialProduct"}),
    ("institution-products", {"institution": "蚂蚁金服", "class": KG + "Company",
                              "product": "", "productClass": ""}),
    ("located-in", {"region": "长三角", "thing": "城市大脑", "class": KG + "Platform", "direct": "false"}),
    ("located-in", {"region": "长三角", "thing": "杭州", "class": KG + "City", "direct": "true"}),
    ("located-in", {"region": "杭州", "thing": "城市大脑", "class": KG + "Platform", "direct": "true"}),
    ("shared-entities", {"entity": "人工智能", "class": KG + "Technology", "articles": "2",
                         "articleIds": "digital_finance smart_city"}),
    ("evidence", {"subject": "网商银行", "relation": KG + "offers", "object": "无抵押信用贷款",
                  "rule": "fixture.relation", "article": "digital_finance",
                  "sentence": "例如，蚂蚁金服旗下的网商银行，利用大数据征信技术，向中小科创企业提供无抵押信用贷款，有效解决融资难问题。"}),
    ("evidence", {"subject": "杭州", "relation": KG + "locatedIn", "object": "长三角",
                  "rule": "fixture.relation", "article": "smart_city",
                  "sentence": "推广杭州“城市大脑”治理拥堵，利用人工智能实现精准预警。"}),
    ("articles", {"id": "smart_city", "title": "构建长三角便捷高效智慧城市共同体", "entities": "6"}),
]


@pytest.mark.parametrize("name,row", CANNED, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CANNED)])
def test_canned_query_returns_named_row(name, row):
    rows = csv_rows(name)
    assert any(all(r[k] == v for k, v in row.items()) for r in rows), rows


@pytest.mark.parametrize("name,absent", [
    ("shared-entities", "网商银行"),  # only in digital_finance
    ("located-in", "拥堵"),  # a problem, located nowhere
    ("institution-products", "城市大脑"),  # a product no institution offers in the fixture
])
def test_canned_query_excludes(name, absent):
    rows = csv_rows(name)
    assert rows
    assert absent not in {v for r in rows for v in r.values()}


def test_evidence_leaves_out_mentions():
    rows = csv_rows("evidence")
    assert KG + "mentions" not in {r["relation"] for r in rows}


def test_list_names_every_canned_query_with_its_description():
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    for path in QUERIES_DIR.glob("*.rq"):
        first_comment = next(l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("#"))
        line = next(l for l in result.output.splitlines() if l.split()[:1] == [path.stem])
        assert line.endswith(first_comment.lstrip("# ").strip())
    for required in ("problems-remedies", "institution-products", "located-in",
                     "shared-entities", "evidence"):
        assert required in result.output


def test_table_aligns_wide_characters():
    result = query("institution-products")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:-1]
    assert header.split() == ["institution", "class", "product", "productClass"]
    # the second column starts at the same display column on every line
    starts = []
    for line in [header] + rows:
        second = line.split()[1]
        starts.append(width(line[:line.index(second, len(line.split()[0]))]))
    assert len(set(starts)) == 1, lines
    assert "网商银行     kg:Bank     无抵押信用贷款  kg:FinancialProduct" in lines
    assert lines[-1] == "(2 rows)"


@pytest.mark.parametrize("text,cols", [("杭州", 4), ("ab", 2), ("Ａ", 2), ("“城市大脑”", 10)])
def test_display_width(text, cols):
    assert width(text) == cols


def test_table_limit_adds_a_note():
    result = query("evidence", "--limit", "2")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[-1] == "(2 of 9 rows shown; --limit 0 shows all, --format csv or json never cut)"
    assert len(lines) == 2 + 2 + 1


def test_json_is_sparql_results_json():
    result = query("shared-entities", "--format", "json")
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["entity", "class", "articles", "articleIds"]
    binding = data["results"]["bindings"][0]
    assert binding["entity"] == {"type": "literal", "value": "人工智能", "xml:lang": "zh"}
    assert binding["class"] == {"type": "uri", "value": KG + "Technology"}


def test_ask_and_construct():
    assert query("ASK { ?x kg:locatedIn/kg:locatedIn ?y }").output == "true\n"
    assert json.loads(query("--format", "json", "ASK { ?x kg:offeredBy ?y }").output) == {
        "head": {}, "boolean": False}
    result = query("CONSTRUCT { ?x kg:locatedIn ?y } WHERE { ?x kg:locatedIn+ ?y }")
    import rdflib

    g = rdflib.Graph().parse(data=result.output, format="turtle")
    kgd = rdflib.Namespace("https://w3id.org/kg-zh/id/")
    assert (kgd["product-9255af81d2b1"], rdflib.URIRef(KG + "locatedIn"), kgd["region-e6f3e57e8755"]) in g


def test_ontology_is_loaded_for_subclass_queries():
    rows = csv_rows("SELECT ?l WHERE { ?x a/rdfs:subClassOf* kg:Institution ; rdfs:label ?l } ORDER BY ?l")
    assert [r["l"] for r in rows] == ["网商银行", "蚂蚁金服"]


def test_language_tags_are_matched_lowercase():
    rows = csv_rows('SELECT ?x WHERE { ?x rdfs:label "杭州"@zh }')
    assert [r["x"] for r in rows] == ["https://w3id.org/kg-zh/id/region-c2d2d67e9afb"]


def test_query_from_file(tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT ?l WHERE { ?x a kg:City ; rdfs:label ?l }", encoding="utf-8")
    result = query("--file", str(f), "--format", "csv")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["l", "杭州"]


REFUSED = [
    ('INSERT DATA { kg:a kg:b kg:c }', "Error: INSERT is refused: kg query is read-only (SPARQL updates are not run)"),
    ('PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }',
     "Error: DELETE is refused: kg query is read-only (SPARQL updates are not run)"),
    ('LOAD <http://example.org/data.ttl>', "Error: LOAD is refused: kg query is read-only (SPARQL updates are not run)"),
    ('CLEAR ALL', "Error: CLEAR is refused: kg query is read-only (SPARQL updates are not run)"),
    ('DROP GRAPH <http://x/>', "Error: DROP is refused: kg query is read-only (SPARQL updates are not run)"),
    ('CREATE GRAPH <http://x/>', "Error: CREATE is refused: kg query is read-only (SPARQL updates are not run)"),
    ('SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }',
     "Error: SERVICE is refused: kg query does not call other endpoints"),
    ('SELECT * WHERE { service silent <http://x/> { ?s ?p ?o } }',
     "Error: SERVICE is refused: kg query does not call other endpoints"),
    ('SELECT * WHERE {\n  ?s ?p }', "Error: SPARQL syntax error at line 2, column 10: expected one of LATERAL, SERVICE, [_]"),
    ('nosuchquery', "Error: unknown canned query 'nosuchquery' (see `kg query --list`)"),
]


@pytest.mark.parametrize("text,message", REFUSED)
def test_refused_with_one_line(text, message):
    result = query(text)
    assert result.exit_code == 1
    assert result.output.splitlines() == [message]


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { ?service rdfs:label "INSERT" }',
    "SELECT ?x WHERE { ?x rdfs:label ?l FILTER(?l = 'DELETE') } # LOAD CLEAR",
])
def test_keywords_in_names_strings_and_comments_are_allowed(text):
    result = query(text)
    assert result.exit_code == 0, result.output


def test_missing_query_and_missing_graph(tmp_path):
    result = CliRunner().invoke(main, ["query"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: give a SPARQL query")
    result = CliRunner().invoke(main, ["query", "--graph", str(tmp_path / "none.ttl"), "articles"])
    assert result.output.splitlines() == [f"Error: graph file not found: {tmp_path / 'none.ttl'} (run `kg build` first?)"]


def test_query_imports_neither_jieba_nor_rdflib():
    code = ("import sys; from click.testing import CliRunner; from kg.cli import main; "
            f"r = CliRunner().invoke(main, ['query', '--graph', {str(MINI)!r}, 'evidence']); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('jieba', 'rdflib', 'pyshacl', 'owlrl', 'networkx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
