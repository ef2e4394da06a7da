"""End to end: `kg build` on the bundled articles, and what a user sees in the graph."""

import filecmp
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDF, RDFS

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
KG = rdflib.Namespace("https://w3id.org/kg-zh/ontology#")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    cache = tmp_path_factory.mktemp("cache")
    result = CliRunner().invoke(main, ["build", str(ROOT / "sources"), "--out", str(out)],
                                env={"KG_CACHE_DIR": str(cache)})
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def graph(built):
    g = rdflib.Graph()
    g.parse(built[0] / "kg.ttl")
    return g


def label_of(g, node):
    return str(g.value(node, RDFS.label))


def node(g, label):
    hits = [s for s in g.subjects(RDFS.label, rdflib.Literal(label, lang="zh"))
            if (s, RDF.type, KG.Article) not in g]
    assert hits, f"no entity labelled {label}"
    return hits[0]


def test_build_prints_a_summary(built):
    out = built[1]
    assert re.search(r"Built \d+ triples from 2 articles", out)
    for cls in ("Institution", "Product", "Problem", "Remedy", "Region"):
        assert re.search(rf"^  {cls}\s+\d+$", out, re.M), cls


@pytest.fixture(scope="module")
def one_article(tmp_path_factory):
    """A build of one article of one sentence: (its folder, the build's summary)."""
    root = tmp_path_factory.mktemp("one")
    (root / "one.txt").write_text("# id: one\n# title: 一篇\n# date: 2025年5月6日\n\n杭州银行推出科创贷。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root / "one.txt"), "--out", str(root / "out")],
                                env={"KG_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))})
    assert result.exit_code == 0, result.output
    return root / "out", result.output


@pytest.mark.parametrize("args, line", [
    ([], r"Built \d+ triples from 1 article \(1 sentence read, 10 characters\) in [\d.]+ s; "
         r"1 extracted, 0 from cache\."),
    (["validate"], r".*kg\.ttl conforms to the shapes \(\d+ entities, 1 article, \d+ statements?, "
                   r"1 evidence sentence\)\..*"),
    (["viz", "--focus", "杭州银行", "--depth", "0"],
     r"Wrote .*v\.html: 1 entity, 0 relations \(focus 杭州银行, depth 0\)"),
    (["query", "--limit", "1", "SELECT ?s WHERE { ?s a ?class }"],
     r"\(first 1 row shown; --limit 0 shows all, --format csv or json never cut\)"),
    # the header date is an xsd:date: a query compares it as a date
    (["query", 'SELECT ?d WHERE { ?a dcterms:date ?d FILTER (?d > "2025-05-01"^^xsd:date) }'],
     r"2025-05-06"),
])
def test_counts_of_one_are_singular(one_article, tmp_path, args, line):
    out, summary = one_article
    if args:
        extra = ["--out", str(tmp_path / "v.html")] if args[0] == "viz" else []
        result = CliRunner().invoke(main, [*args, "--graph", str(out / "kg.ttl"), *extra])
        assert result.exit_code == 0, result.output
        summary = result.output
    assert any(re.fullmatch(line, text) for text in summary.splitlines()), summary


@pytest.fixture(scope="module")
def some_sentences_without_evidence(tmp_path_factory):
    """A build of 3 sentences: one with a relation, one with a mention only, one with
    neither. (its folder, the build's summary)"""
    root = tmp_path_factory.mktemp("evidence")
    (root / "a.txt").write_text("# id: a\n# title: 标题\n\n杭州银行推出科创贷。人工智能很重要。"
                                "今天天气很好。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root / "a.txt"), "--out", str(root / "out")],
                                env={"KG_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))})
    assert result.exit_code == 0, result.output
    return root / "out", result.output


# Where each view states the evidence sentences (those a relation or a mention was read
# from: the graph's kg:Sentence nodes), with the figure's label.
EVIDENCE_FIGURES = [
    (["stats"], None, r"evidence sentences: (\d+)"),
    (["validate"], None, r"(\d+) evidence sentences?\)"),
    (["viz"], "view.html", r"证据句 evidence sentences (\d+)"),
    ([], "graph.html", r"证据句 evidence sentences (\d+)"),  # the build's page
]


@pytest.mark.parametrize("args, page, figure", EVIDENCE_FIGURES,
                         ids=["stats", "validate", "viz", "build page"])
def test_every_view_counts_the_same_evidence_sentences(some_sentences_without_evidence,
                                                       tmp_path, args, page, figure):
    out, summary = some_sentences_without_evidence
    assert "(3 sentences read, " in summary  # the build counts what it read, and says so
    if args:
        extra = ["--out", str(tmp_path / page)] if page else []
        result = CliRunner().invoke(main, [*args, "--graph", str(out), *extra])
        assert result.exit_code == 0, result.output
        text = (tmp_path / page).read_text(encoding="utf-8") if page else result.output
    else:
        text = (out / page).read_text(encoding="utf-8")
    sentence_nodes = len(set(rdflib.Graph().parse(out / "kg.ttl").subjects(RDF.type, KG.Sentence)))
    assert sentence_nodes == 2
    assert [int(n) for n in re.findall(figure, text)] == [sentence_nodes]


@pytest.mark.parametrize("n, noun, text", [
    (0, "article", "0 articles"), (1, "article", "1 article"), (2, "sentence", "2 sentences"),
    (1, "entity", "1 entity"), (3, "entity", "3 entities"), (2, "lexicon entry", "2 lexicon entries"),
    (2, "day", "2 days"), (1, "triple", "1 triple"), (7603, "triple", "7603 triples"),
])
def test_counted_puts_a_noun_in_the_number_of_its_count(n, noun, text):
    from kg.errors import counted

    assert counted(n, noun) == text


def test_outputs_folder_is_in_sync_with_a_fresh_build(built):
    """outputs/ is committed: it must be exactly what `kg build` makes of sources/."""
    fresh, committed = built[0], ROOT / "outputs"
    names = sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*") if p.is_file())
    missing = [n for n in names if not (committed / n).is_file()]
    assert not missing, f"outputs/ lacks {missing}, run `kg build`"
    mismatch = [n for n in names if not filecmp.cmp(fresh / n, committed / n, shallow=False)]
    assert not mismatch, f"outputs/ is stale, run `kg build`: {mismatch}"


def test_each_core_class_has_entities(graph):
    vocab = __import__("kg.ontology", fromlist=["load"]).load()
    names = {str(o).split("#")[1] for o in graph.objects(None, RDF.type) if str(o).startswith(str(KG))}
    seen = {vocab.core(n) for n in names - {"Sentence"}}
    assert {"Institution", "Product", "Problem", "Remedy", "Region"} <= seen


@pytest.mark.parametrize("s, p, o", [
    ("网商银行", "subsidiaryOf", "蚂蚁集团"),   # 蚂蚁金服 merged into 蚂蚁集团 by the alias table
    ("微众银行", "offers", "微业贷"),
    ("中国建设银行", "offers", "智造之光专属服务方案"),
    ("城市大脑", "locatedIn", "杭州"),
    ("一网统管", "locatedIn", "上海"),
    ("数字金融", "enables", "新质生产力"),
    ("数字金融", "addresses", "融资难"),
    ("监管部门", "undertakes", "制定具体的市场竞争规则"),
    ("谢子远", "affiliatedWith", "宁波财经学院金融与信息学院"),
    ("谢子远", "affiliatedWith", "宁波财经学院"),
    ("宁波财经学院金融与信息学院", "partOf", "宁波财经学院"),
    ("科技金融", "partOf", "五篇大文章"),
    ("设立金融监管协调工作组", "exemplifies", "完善监管协调机制"),
])
def test_named_relations(graph, s, p, o):
    assert (node(graph, s), KG[p], node(graph, o)) in graph


def test_remedies_answer_the_problems_they_were_aligned_with(graph):
    """The n-th remedy of the interview's answer addresses the n-th problem."""
    assert (node(graph, "动态调整监管政策"), KG.addresses, node(graph, "监管政策滞后")) in graph
    assert (node(graph, "强化技术应用能力"), KG.addresses, node(graph, "技术应用不足")) in graph


def test_every_relation_explains_itself(graph):
    q = """
    PREFIX kg: <https://w3id.org/kg-zh/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?text ?rule ?art WHERE {
      ?st rdf:subject ?s ; rdf:predicate kg:offers ; rdf:object ?o ;
          prov:wasDerivedFrom ?sent ; kg:rule ?rule .
      ?s rdfs:label "微众银行"@zh . ?o rdfs:label "微业贷"@zh .
      ?sent kg:text ?text ; kg:inArticle ?art .
    }"""
    rows = list(graph.query(q))
    assert rows
    text, rule, art = rows[0]
    assert "微众银行的“微业贷”" in str(text)
    assert str(rule) == "offers.institution_de_product"
    assert str(art).endswith("article-digital_finance")


def test_entity_met_in_both_articles_is_one_node(graph):
    ai = node(graph, "人工智能")
    arts = {str(a).rsplit("-", 1)[-1] for a in graph.subjects(KG.mentions, ai)}
    assert arts == {"digital_finance", "smart_city"}


def test_iris_are_ascii(graph):
    for t in graph:
        for x in t:
            if isinstance(x, rdflib.URIRef):
                assert str(x).isascii(), x


def test_html_page_has_no_network_reference(built):
    html = (built[0] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_import_kg_does_not_load_jieba():
    code = "import sys, kg, kg.cli; print('jieba' in sys.modules, 'rdflib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_mention_offsets_index_the_article_text():
    from kg.pipeline import load_extractor
    from kg.sources import read_sources

    ex = load_extractor()
    for art in read_sources([ROOT / "sources"]):
        result = ex.extract(art)
        assert result.mentions
        for m in result.mentions:
            assert art.text[m.start:m.end] == m.surface, m
