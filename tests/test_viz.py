"""Interactive pages: what a view holds, how it looks, and that it is offline and safe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.model import Article, Entity, Mention, Relation, Sentence

MINI = Path(__file__).parent / "data" / "mini.ttl"

REMOTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""", re.I)


def make_graph(sentences: dict, entities: list, relations: list, titles: dict | None = None):
    """A graph built the way the pipeline builds it (kg.rdf.build_graph).

    sentences: {article id: [sentence text, ...]}
    entities: [(key, class, label, aliases, [(article id, sentence index), ...])]
    relations: [(subject key, predicate, object key, article id, sentence index, rule)]
    titles: {article id: title} (default "title <id>")
    """
    from kg.rdf import build_graph

    articles = []
    for aid, texts in sentences.items():
        sents, pos = [], 0
        for i, t in enumerate(texts):
            sents.append(Sentence(aid, i, pos, pos + len(t), t))
            pos += len(t)
        title = (titles or {}).get(aid, f"title {aid}")
        articles.append(Article(id=aid, text="".join(texts), sentences=tuple(sents), title=title))
    ents, mention_of = {}, {}
    for key, cls, label, aliases, where in entities:
        ms = [Mention(a, i, 0, len(label), label, label, cls, "test.entity") for a, i in where]
        ents[key] = Entity(key=key, cls=cls, label=label, alt_labels=set(aliases), mentions=ms)
        mention_of[key] = ms[0]
    rels = [(ents[s], p, ents[o], Relation(mention_of[s], p, mention_of[o], rule, a, i))
            for s, p, o, a, i, rule in relations]
    return build_graph(articles, list(ents.values()), rels)


def page_data(page: str) -> tuple[list, list]:
    """The node and edge data a page hands to vis-network."""
    nodes = re.search(r"var rawNodes = (\[.*?\]);\n", page, re.S).group(1)
    edges = re.search(r"var rawEdges = (\[.*?\]);\n", page, re.S).group(1)
    return json.loads(nodes), json.loads(edges)


def labels_of(page: str) -> set:
    return {n["kgLabel"] for n in page_data(page)[0]}


def run_viz(tmp_path, *args):
    out = tmp_path / "view.html"
    result = CliRunner().invoke(main, ["viz", "--graph", str(MINI), "--out", str(out), *args])
    return result, out


@pytest.mark.parametrize("args, expected", [
    (["--focus", "数字金融", "--depth", "1"], {"数字金融", "新质生产力"}),
    (["--focus", "网商银行", "--depth", "1"], {"网商银行", "蚂蚁金服", "无抵押信用贷款", "人工智能"}),
    (["--focus", "网商银行", "--depth", "2"], {"网商银行", "蚂蚁金服", "无抵押信用贷款", "人工智能", "融资难"}),
    (["--focus", "网商银行", "--depth", "0"], {"网商银行"}),
    (["--focus", "长江三角洲"], {"长三角", "杭州"}),  # an alias finds the entity
    (["--types", "Bank,Problem"], {"网商银行", "融资难", "拥堵"}),
    (["--types", "Institution"], {"网商银行", "蚂蚁金服"}),  # subclasses count
    (["--types", "地区"], {"杭州", "长三角"}),  # Chinese class label
    (["--focus", "网商银行", "--depth", "2", "--types", "Problem"], {"网商银行", "融资难"}),
    (["--article", "smart_city"], {"城市大脑", "拥堵", "杭州", "长三角", "推广城市大脑治理拥堵", "人工智能"}),
    (["--article", "digital_finance", "--types", "Concept"], {"数字金融", "新质生产力", "人工智能"}),
])
def test_view_holds_exactly_the_selected_entities(tmp_path, args, expected):
    result, out = run_viz(tmp_path, *args)
    assert result.exit_code == 0, result.output
    assert labels_of(out.read_text("utf-8")) == expected
    assert f"Wrote {out}: {len(expected)} entities" in result.output


@pytest.mark.parametrize("args, message", [
    (["--focus", "数字经济"], "Error: no entity labelled '数字经济' in the graph; did you mean: 数字金融?"),
    (["--focus", "量子计算"], "Error: no entity labelled '量子计算' in the graph"),
    (["--types", "Bnk"], "Error: unknown class Bnk in --types (did you mean: Bank?)"),
    (["--article", "nope"], "Error: unknown article 'nope' (articles in the graph: digital_finance, smart_city)"),
])
def test_view_errors_are_one_line(tmp_path, args, message):
    result, out = run_viz(tmp_path, *args)
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert not out.exists()


def test_missing_graph_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["viz", "--graph", str(tmp_path / "none.ttl"),
                                       "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: graph file not found:")


def test_edges_carry_chinese_predicate_and_evidence(tmp_path):
    _, out = run_viz(tmp_path, "--focus", "数字金融")
    nodes, edges = page_data(out.read_text("utf-8"))
    ids = {n["id"]: n["kgLabel"] for n in nodes}
    (edge,) = edges
    assert (ids[edge["from"]], edge["label"], ids[edge["to"]]) == ("数字金融", "赋能", "新质生产力")
    assert edge["kgPred"] == "enables"
    assert edge["kgEvidence"] == [["例如，蚂蚁金服旗下的网商银行，利用大数据征信技术，向中小科创企业提供无抵押信用贷款，"
                                   "有效解决融资难问题。", "fixture.relation", "digital_finance"]]


def test_nodes_carry_class_aliases_articles_and_style(tmp_path):
    _, out = run_viz(tmp_path)
    nodes = {n["kgLabel"]: n for n in page_data(out.read_text("utf-8"))[0]}
    brain = nodes["城市大脑"]
    assert (brain["kgClass"], brain["kgClassZh"], brain["kgCore"]) == ("Platform", "平台", "Product")
    assert brain["kgAliases"] == ["“城市大脑”"]
    assert nodes["人工智能"]["kgArticles"] == ["digital_finance", "smart_city"]
    # a subclass takes its core class's colour and shape
    assert nodes["网商银行"]["color"] == nodes["蚂蚁金服"]["color"]
    assert nodes["网商银行"]["shape"] == nodes["蚂蚁金服"]["shape"]
    assert nodes["网商银行"]["color"] != nodes["融资难"]["color"]
    # size grows with degree: 网商银行 has three relations, 蚂蚁金服 one
    assert nodes["网商银行"]["size"] > nodes["蚂蚁金服"]["size"]


def test_page_has_legend_search_and_class_filter(tmp_path):
    _, out = run_viz(tmp_path)
    page = out.read_text("utf-8")
    for core in ("Institution", "Product", "Problem", "Remedy", "Region", "Concept"):
        assert f'data-kg-core="{core}"' in page
    assert 'data-kg-core="Person"' not in page  # no Person in the graph, none in the legend
    assert 'id="kg-search"' in page
    assert "机构 Institution" in page


def test_physics_settles_then_stops(tmp_path):
    _, out = run_viz(tmp_path)
    page = out.read_text("utf-8")
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page, re.S).group(1))
    assert options["physics"]["solver"] == "forceAtlas2Based"
    assert options["physics"]["stabilization"]["iterations"] == 150
    assert options["layout"]["improvedLayout"] is False
    assert "network.setOptions({physics: {enabled: false}})" in page


def test_big_views_are_capped_with_advice():
    from kg.fileio import load_graph
    from kg.graphnx import ontology_labels, to_networkx
    from kg.viz import select_view

    nxg = to_networkx(load_graph(MINI))
    view = select_view(nxg, ontology_labels(), max_nodes=3)
    assert len(view.nodes) == 3
    assert "https://w3id.org/kg-zh/id/institution-7d126eb4c850" in view.nodes  # 网商银行, most connected
    assert view.notice.startswith("Showing the 3 most connected of 12 entities.")
    assert "kg viz --focus LABEL" in view.notice


def test_write_pages_is_offline_and_deterministic(tmp_path):
    from kg.fileio import load_graph
    from kg.rdf import bind_prefixes
    from kg.viz import write_pages

    g = load_graph(MINI)
    paths = write_pages(g, tmp_path / "a")
    assert [p.relative_to(tmp_path / "a").as_posix() for p in paths] == [
        "graph.html", "articles/digital_finance.html", "articles/smart_city.html"]
    # same graph, parsed again from a re-serialisation (other triple order): same bytes
    import rdflib

    g2 = bind_prefixes(rdflib.Graph()).parse(data=g.serialize(format="nt"), format="nt")
    paths2 = write_pages(g2, tmp_path / "b")
    for p, q in zip(paths, paths2):
        assert p.read_bytes() == q.read_bytes(), p.name
    for p in paths:
        page = p.read_text("utf-8")
        assert REMOTE.search(page) is None, p
        for ref in ("node_modules", "cdnjs", "jsdelivr", "bootstrap", "tom-select"):
            assert ref not in page, (p.name, ref)
        assert "vis.Network" in page  # vis-network is in line


def test_whole_graph_page_shows_stats_and_article_links(tmp_path):
    from kg.fileio import load_graph
    from kg.viz import write_pages

    graph_page, df_page, sc_page = (p.read_text("utf-8") for p in write_pages(load_graph(MINI), tmp_path))
    assert "跨文章实体 Bridging articles" in graph_page
    assert "<td>人工智能 (Technology)</td><td class=\"num\">digital_finance, smart_city</td>" in graph_page
    assert '<a href="articles/smart_city.html">' in graph_page
    assert "跨文章实体" not in sc_page
    assert labels_of(df_page) == {"数字金融", "新质生产力", "人工智能", "蚂蚁金服", "网商银行", "无抵押信用贷款", "融资难"}


HOSTILE = ["<script>document.title='pwned'</script>", "<img src=x onerror=\"document.title='pwned'\">",
           "</script><script>alert(1)</script>", "&lt;b&gt;"]


def hostile_graph():
    sentence = f"{HOSTILE[0]}提供{HOSTILE[1]}。"
    return make_graph(
        {"evil": [sentence]},
        [("institution-evil1", "Bank", HOSTILE[0], {HOSTILE[2]}, [("evil", 0)]),
         ("product-evil2", "Product", HOSTILE[1], {HOSTILE[3]}, [("evil", 0)])],
        [("institution-evil1", "offers", "product-evil2", "evil", 0, "rule.<i>x</i>")],
        titles={"evil": HOSTILE[0]})


def test_hostile_text_stays_text_in_the_page(tmp_path):
    from kg.viz import write_pages

    paths = write_pages(hostile_graph(), tmp_path)
    for p in paths:
        page = p.read_text("utf-8")
        for bad in HOSTILE + ["<i>x</i>"]:
            assert bad not in page, (p.name, bad)
        nodes, edges = page_data(page)
        assert {n["kgLabel"] for n in nodes} == {HOSTILE[0], HOSTILE[1]}
        assert edges[0]["kgEvidence"][0][1] == "rule.<i>x</i>"
    # the side panel and the article page's heading show the text escaped
    escaped = "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;"
    assert f"<td>{escaped} (Bank)</td>" in paths[0].read_text("utf-8")
    assert f"<title>{escaped} (evil)</title>" in paths[1].read_text("utf-8")


def sparse_graph(n_unrelated: int):
    """One relation and ``n_unrelated`` entities without relations."""
    return make_graph(
        {"a": ["甲银行提供乙贷款。"]},
        [("institution-a", "Bank", "甲银行", set(), [("a", 0)]),
         ("product-b", "FinancialProduct", "乙贷款", set(), [("a", 0)])]
        + [(f"concept-{i:03d}", "Concept", f"概念{i:03d}", set(), [("a", 0)]) for i in range(n_unrelated)],
        [("institution-a", "offers", "product-b", "a", 0, "r.offers")])


@pytest.mark.parametrize("n_unrelated, box", [
    (0, None),
    (5, '<input type="checkbox" id="kg-isolated" checked>'),  # small view: shown
    (80, '<input type="checkbox" id="kg-isolated">'),  # big view: start hidden, one click away
])
def test_entities_without_relations_toggle(tmp_path, n_unrelated, box):
    from kg.viz import write_pages

    page = write_pages(sparse_graph(n_unrelated), tmp_path)[0].read_text("utf-8")
    nodes = {n["kgLabel"]: n for n in page_data(page)[0]}
    assert len(nodes) == n_unrelated + 2  # all entities are in the page, for search
    assert not nodes["甲银行"]["kgIsolated"]
    if box is None:
        assert 'id="kg-isolated"' not in page
    else:
        assert box in page
        assert nodes["概念000"]["kgIsolated"]
