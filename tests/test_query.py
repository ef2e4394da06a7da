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


# Entries of ontology/queries/ that are not a good query: (name, how it is made, its line
# in the list (None: not listed), the error of running it (None: it cannot be asked for))
GBK_QUERY = "# 按机构统计产品数量\nSELECT ?i (COUNT(?p) AS ?n) WHERE { ?i kg:offers ?p } GROUP BY ?i\n"
BAD_ENTRIES = [
    (".#located-in.rq", lambda p: p.symlink_to("root@host.123:1700000000"), None, None),
    ("product-count.rq", lambda p: p.write_bytes(GBK_QUERY.encode("gbk")),
     "product-count (cannot be read: canned query {p} is not UTF-8 (bad byte at 2))",
     "canned query {p} is not UTF-8 (bad byte at 2)"),
    ("product-count.rq", lambda p: p.mkdir(), None, "canned query {p} is a folder, not a file"),
    ("broken.rq", lambda p: p.write_text("# A broken one.\nSELECT ?x WHERE { ?x a kg:Bank .\n",
                                         "utf-8"),
     "broken A broken one.",
     "{p}: SPARQL syntax error at line 3, column 1: unexpected end of query"),
]


@pytest.fixture
def queries_copy(tmp_path, monkeypatch):
    """A copy of ontology/queries/ that kg query reads instead."""
    import shutil

    import kg.query

    copy = tmp_path / "queries"
    shutil.copytree(QUERIES_DIR, copy)
    monkeypatch.setattr(kg.query, "QUERIES_DIR", copy)
    return copy


@pytest.mark.parametrize("name, make, listed, _", BAD_ENTRIES[:3],
                         ids=["editor-lock", "gbk", "folder"])
def test_a_bad_entry_among_the_canned_queries_spoils_no_other(queries_copy, name, make, listed, _):
    good = sorted(p.stem for p in queries_copy.glob("*.rq"))
    make(queries_copy / name)
    r = CliRunner().invoke(main, ["query", "--list"])
    assert r.exit_code == 0, r.output
    names = [line.split()[0] for line in r.output.splitlines()[:-2] if line]
    assert names == sorted(good + ([Path(name).stem] if listed else []))
    if listed:
        assert listed.format(p=queries_copy / name) in [" ".join(line.split())
                                                        for line in r.output.splitlines()]
    assert csv_rows("located-in")  # the query beside it runs


@pytest.mark.parametrize("name, make, _, error", [e for e in BAD_ENTRIES if e[3]],
                         ids=["gbk", "folder", "syntax-error"])
def test_a_bad_canned_query_is_one_line_naming_its_file(queries_copy, name, make, _, error):
    make(queries_copy / name)
    r = query(Path(name).stem)
    assert r.exit_code == 1
    assert r.output.splitlines() == ["Error: " + error.format(p=queries_copy / name)]


def test_a_query_file_with_a_syntax_error_is_named(tmp_path):
    f = tmp_path / "broken.rq"
    f.write_text("# A broken one.\nSELECT ?x WHERE { ?x a kg:Bank .\n", "utf-8")
    r = query("--file", str(f))
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        f"Error: {f}: SPARQL syntax error at line 3, column 1: unexpected end of query"]


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
    assert lines[-1] == "(first 2 rows shown; --limit 0 shows all, --format csv or json never cut)"
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
    ('SELECT * WHERE {\n  ?s ?p }', "Error: SPARQL syntax error at line 2, column 3: unexpected '?s'"),
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


def test_query_imports_no_jieba_and_no_checker():
    code = ("import sys; from click.testing import CliRunner; from kg.cli import main; "
            f"r = CliRunner().invoke(main, ['query', '--graph', {str(MINI)!r}, 'evidence']); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('jieba', 'pyshacl', 'owlrl', 'networkx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------ hardening (issue 17)
def kg_cmd(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True,
                          text=True, timeout=60, **kw)


CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_service_behind_an_escaped_quote_is_refused_and_sends_nothing():
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *a):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        text = ("SELECT ?a WHERE { OPTIONAL { ?q ?r kg:u\\' } SERVICE <http://127.0.0.1:"
                f"{server.server_port}/sparql> {{ ?a ?b ?c }} FILTER(?a != 'x') }}")
        r = kg_cmd("query", "--graph", str(MINI), text)
    finally:
        server.shutdown()
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.splitlines() == ["Error: SERVICE is refused: kg query does not call other endpoints"]
    assert hits == []


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o . SERVICE SILENT <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
    "ASK { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s rdfs:label \"}SERVICE\" . SERVICE <http://x/> { ?s ?p ?o } }",
])
def test_service_anywhere_in_the_algebra_is_refused(text):
    result = query(text)
    assert (result.exit_code, result.output) == (
        1, "Error: SERVICE is refused: kg query does not call other endpoints\n")


def test_unknown_prefix_is_one_line():
    result = query("SELECT * WHERE { ?s nope:p ?o }")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: unknown prefix nope: (declare it with PREFIX; predeclared: kg, kgd, rdf, rdfs, "
        "owl, xsd, skos, prov, dcterms, schema, foaf, sh)"]


def test_errors_while_iterating_become_one_line(monkeypatch):
    import pyoxigraph as ox

    import kg.query as q

    class Failing:
        variables = [ox.Variable("a")]

        def __iter__(self):
            raise OSError("Connection refused (os error 111)")

    monkeypatch.setattr(q, "execute", lambda store, text, checked=False: Failing())
    result = query("SELECT ?a WHERE { ?a ?b ?c }", "--format", "csv")
    assert (result.exit_code, result.output) == (
        1, "Error: query failed: Connection refused (os error 111)\n")


def test_query_timeout_stops_a_runaway_query():
    import time

    t0 = time.monotonic()
    r = kg_cmd("query", "--graph", str(MINI), "--timeout", "1", SLOW)
    assert time.monotonic() - t0 < 15
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "Error: query stopped after 1 s (raise --timeout, or 0 for no limit)"]


def test_ctrl_c_stops_a_running_query():
    import signal
    import time

    # Ctrl-C as at a terminal: a suite started in the background by a shell without job
    # control inherits SIGINT ignored, and Python then installs no KeyboardInterrupt
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", "--graph", str(MINI),
                             "--timeout", "0", SLOW], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        time.sleep(2.5)  # the query is running (in the child) by now
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:  # a query that does not stop must not outlive the test
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1
    assert "Aborted!" in err and "Traceback" not in err


def test_table_limit_reads_no_more_rows_than_it_shows():
    import time

    t0 = time.monotonic()
    result = query("--limit", "3", "--timeout", "20", CARTESIAN)
    assert time.monotonic() - t0 < 10
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 + 3 + 1
    assert lines[-1] == "(first 3 rows shown; --limit 0 shows all, --format csv or json never cut)"


def test_csv_rows_are_streamed():
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", "--graph", str(MINI),
                             "--format", "csv", "--timeout", "0", CARTESIAN],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = [proc.stdout.readline() for _ in range(3)]
        assert proc.poll() is None  # rows arrive while the query still runs
    finally:
        proc.kill()
        proc.wait()
    assert first[0] == "a,b,c,d,e,f,g,h,i\n"
    assert first[1].count(",") >= 8


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_streamed_results_equal_oxigraphs_serialiser(fmt):
    import pyoxigraph as ox

    from kg.query import PREFIXES, load_store

    text = ("SELECT ?s ?l ?n ?x WHERE { ?s rdfs:label ?l OPTIONAL { ?s kg:nope ?x } "
            "BIND(STRLEN(?l) AS ?n) } ORDER BY ?s ?l")
    result = query("--format", fmt, text)
    assert result.exit_code == 0, result.output
    expected = load_store(MINI).query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    want = expected.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode("utf-8")
    assert result.output.rstrip("\n") == want.replace("\r\n", "\n").rstrip("\n")


def test_query_file_must_be_a_regular_file(tmp_path):
    import os

    fifo = tmp_path / "q.fifo"
    os.mkfifo(fifo)
    for path, reason in (("/dev/zero", "is not a regular file"), (str(fifo), "is not a regular file"),
                         (str(tmp_path), "is a folder, not a file")):
        r = kg_cmd("query", "--graph", str(MINI), "--file", path)
        assert (r.returncode, r.stderr) == (1, f"Error: query file {path} {reason}\n")


def test_query_file_dash_reads_stdin():
    r = kg_cmd("query", "--graph", str(MINI), "--format", "csv", "--file", "-",
               input="SELECT ?l WHERE { ?x a kg:City ; rdfs:label ?l }")
    assert (r.returncode, r.stdout.splitlines()) == (0, ["l", "杭州"])


def test_graph_with_a_byte_order_mark_is_read(tmp_path):
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + MINI.read_bytes())
    result = CliRunner().invoke(main, ["query", "--graph", str(bom), "--format", "csv",
                                       "SELECT ?l WHERE { ?x a kg:City ; rdfs:label ?l }"])
    assert (result.exit_code, result.output.splitlines()) == (0, ["l", "杭州"])


def test_graph_that_is_not_a_regular_file():
    result = CliRunner().invoke(main, ["query", "--graph", "/dev/zero", "articles"])
    assert (result.exit_code, result.output) == (1, "Error: graph file /dev/zero is not a regular file\n")


BYLINES = [  # (the # author: line, the authors in its order)
    ("吕秋慧、钱志权", "吕秋慧、钱志权"),
    ("钱志权、吕秋慧", "钱志权、吕秋慧"),
    ("本报记者 王晓明 通讯员 陈静", "王晓明、陈静"),
]


@pytest.fixture(scope="module")
def bylines_graph(tmp_path_factory) -> Path:
    """A graph of one article per byline of BYLINES (article ids a0, a1, ...)."""
    root = tmp_path_factory.mktemp("bylines")
    for i, (byline, _) in enumerate(BYLINES):
        (root / f"a{i}.txt").write_text(f"# id: a{i}\n# title: 标题{i}\n# author: {byline}\n\n"
                                        "杭州银行推出科创贷。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(root / "out"),
                                       "--no-pages"],
                                env={"KG_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))})
    assert result.exit_code == 0, result.output
    return root / "out"


def canned_rows(graph: Path, name: str) -> list[dict]:
    result = CliRunner().invoke(main, ["query", "--graph", str(graph), name, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


@pytest.mark.parametrize("i", range(len(BYLINES)), ids=[b for b, _ in BYLINES])
def test_articles_lists_authors_in_header_order(bylines_graph, i):
    rows = {r["id"]: r for r in canned_rows(bylines_graph, "articles")}
    assert rows[f"a{i}"]["authors"] == BYLINES[i][1]


@pytest.mark.parametrize("i", range(len(BYLINES)), ids=[b for b, _ in BYLINES])
def test_evidence_includes_header_relations(bylines_graph, i):
    """authorOf is read from the header: its evidence row names the article, no sentence."""
    rows = canned_rows(bylines_graph, "evidence")
    authors = {r["subject"] for r in rows if r["relation"] == KG + "authorOf"
               and r["article"] == f"a{i}" and r["object"] == f"标题{i}"
               and r["rule"] == "header.author" and r["sentence"] == ""}
    assert authors == set(BYLINES[i][1].split("、"))
