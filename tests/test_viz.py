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



def make_records(sentences: dict, entities: list, relations: list, titles: dict | None = None):
    """(articles, entities, relations) as the pipeline hands them to the pages.

    sentences: {article id: [sentence text, ...]} (one paragraph per article)
    entities: [(key, class, label, aliases, [(article id, sentence index), ...])]; each
        mention spans the label's first occurrence in its sentence
    relations: [(subject key, predicate, object key, article id, sentence index, rule)]
    titles: {article id: title} (default "title <id>")
    """
    articles = {}
    for aid, texts in sentences.items():
        sents, pos = [], 0
        for i, t in enumerate(texts):
            sents.append(Sentence(aid, i, pos, pos + len(t), t))
            pos += len(t)
        title = (titles or {}).get(aid, f"title {aid}")
        articles[aid] = Article(id=aid, text="".join(texts), sentences=tuple(sents), title=title)
    ents, mention_of = {}, {}
    for key, cls, label, aliases, where in entities:
        ms = []
        for a, i in where:
            sent = articles[a].sentences[i]
            at = sent.text.find(label)
            start = sent.start + max(at, 0)
            ms.append(Mention(a, i, start, start + (len(label) if at >= 0 else 0), label if at >= 0 else "",
                              label, cls, "test.entity"))
        ents[key] = Entity(key=key, cls=cls, label=label, alt_labels=set(aliases), mentions=ms)
        mention_of[key] = ms[0]
    rels = [(ents[s], p, ents[o], Relation(mention_of[s], p, mention_of[o], rule, a, i))
            for s, p, o, a, i, rule in relations]
    return list(articles.values()), list(ents.values()), rels


def make_graph(*args, **kwargs):
    """The same records as a graph, built the way the pipeline builds kg.ttl."""
    from kg.rdf import build_graph

    return build_graph(*make_records(*args, **kwargs))


DF = ["数字金融赋能新质生产力。",
      "例如，蚂蚁金服旗下的网商银行，利用人工智能，向中小科创企业提供无抵押信用贷款，有效解决融资难问题。"]
SC = ["推广杭州“城市大脑”治理拥堵，利用人工智能实现精准预警。", "杭州位于长三角。"]


def mini_records():
    """The graph of tests/data/mini.ttl, as records with article texts."""
    df, sc = "digital_finance", "smart_city"
    return make_records(
        {df: DF, sc: SC},
        [("concept-300e6438a00c", "Concept", "新质生产力", set(), [(df, 0)]),
         ("concept-63fe855a0040", "Technology", "人工智能", set(), [(df, 1), (sc, 0)]),
         ("concept-795487e33952", "Concept", "数字金融", set(), [(df, 0)]),
         ("institution-222a3d6f89d0", "Company", "蚂蚁金服", set(), [(df, 1)]),
         ("institution-7d126eb4c850", "Bank", "网商银行", set(), [(df, 1)]),
         ("problem-567cc631762d", "Problem", "融资难", set(), [(df, 1)]),
         ("problem-6b1b772a6120", "Problem", "拥堵", set(), [(sc, 0)]),
         ("product-764ed9f9f944", "FinancialProduct", "无抵押信用贷款", set(), [(df, 1)]),
         ("product-9255af81d2b1", "Platform", "城市大脑", {"“城市大脑”"}, [(sc, 0)]),
         ("region-c2d2d67e9afb", "City", "杭州", set(), [(sc, 0), (sc, 1)]),
         ("region-e6f3e57e8755", "Region", "长三角", {"长江三角洲"}, [(sc, 1)]),
         ("remedy-cc5271693bb0", "Remedy", "推广杭州“城市大脑”治理拥堵", set(), [(sc, 0)])],
        [("concept-795487e33952", "enables", "concept-300e6438a00c", df, 0, "fixture.relation"),
         ("institution-7d126eb4c850", "offers", "product-764ed9f9f944", df, 1, "fixture.relation"),
         ("institution-7d126eb4c850", "subsidiaryOf", "institution-222a3d6f89d0", df, 1, "fixture.relation"),
         ("institution-7d126eb4c850", "uses", "concept-63fe855a0040", df, 1, "fixture.relation"),
         ("product-764ed9f9f944", "addresses", "problem-567cc631762d", df, 1, "fixture.relation"),
         ("product-9255af81d2b1", "addresses", "problem-6b1b772a6120", sc, 0, "fixture.relation"),
         ("product-9255af81d2b1", "locatedIn", "region-c2d2d67e9afb", sc, 0, "fixture.relation"),
         ("region-c2d2d67e9afb", "locatedIn", "region-e6f3e57e8755", sc, 1, "fixture.relation"),
         ("remedy-cc5271693bb0", "addresses", "problem-6b1b772a6120", sc, 0, "fixture.relation")],
        titles={df: "数字金融如何更好赋能新质生产力发展", sc: "构建长三角便捷高效智慧城市共同体"})


def write_pages(records, out: Path, single_file: bool = False) -> list[Path]:
    from kg.pages import Records, write_pages as write

    return write(out, Records(*records, single_file=single_file))


def payload(page: Path) -> dict:
    """The data a page script reads: its own #kg-data, else the build's assets/graph-data.js."""
    text = page.read_text("utf-8")
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    own = json.loads(m.group(1)) if m else {}
    if "nodes" not in own:
        shared = (page.parent / ("../" if page.parent.name == "articles" else "") / "assets" / "graph-data.js")
        data = shared.read_text("utf-8")
        own = {**json.loads(data[data.index("=") + 1:].strip().rstrip(";")), **own}
    return own


def page_data(page: Path) -> tuple[dict, list]:
    """A graph page's entities by label (with class names resolved) and its edges as
    (subject label, predicate label, object label, predicate, evidence)."""
    d = payload(page)
    nodes = {}
    for n in d["nodes"]:
        cls, core, zh = d["classes"][n["c"]]
        nodes[n["l"]] = {**n, "cls": cls, "core": core, "zh": zh, "style": d["styles"][core],
                         "articles": [d["articles"][i][0] for i in n["ar"]]}
    edges = [(d["nodes"][e["s"]]["l"], d["preds"][e["p"]], d["nodes"][e["o"]]["l"], e["p"],
              [[d["sentences"][s], d["rules"][r], d["articles"][a][0]] for s, r, a in e["ev"]])
             for e in d["edges"]]
    return nodes, edges


def labels_of(page: Path) -> set:
    return set(page_data(page)[0])


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
    assert labels_of(out) == expected
    noun = "entity" if len(expected) == 1 else "entities"
    assert f"Wrote {out}: {len(expected)} {noun}, " in result.output


@pytest.mark.parametrize("args, message", [
    (["--focus", "数字经济"], "Error: no entity labelled '数字经济' in the graph; did you mean: 数字金融?"),
    (["--focus", "量子计算"], "Error: no entity labelled '量子计算' in the graph"),
    (["--types", "Bnk"], "Error: unknown class Bnk in --types (did you mean: Bank?)"),
    (["--article", "nope"], "Error: unknown article 'nope' (articles in the graph: digital_finance, smart_city)"),
    (["--article", "smart_city", "--focus", "网商银行"],
     "Error: '网商银行' is not mentioned in article 'smart_city' (it is in: digital_finance); "
     "drop --article or focus on an entity of that article"),
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
    _, edges = page_data(out)
    assert edges == [("数字金融", "赋能", "新质生产力", "enables",
                      [["例如，蚂蚁金服旗下的网商银行，利用大数据征信技术，向中小科创企业提供无抵押信用贷款，"
                        "有效解决融资难问题。", "fixture.relation", "digital_finance"]])]


def test_nodes_carry_class_aliases_articles_and_style(tmp_path):
    _, out = run_viz(tmp_path)
    nodes, _ = page_data(out)
    brain = nodes["城市大脑"]
    assert (brain["cls"], brain["zh"], brain["core"]) == ("Platform", "平台", "Product")
    assert brain["a"] == ["“城市大脑”"]
    assert nodes["人工智能"]["articles"] == ["digital_finance", "smart_city"]
    # a subclass takes its core class's colour and shape
    assert nodes["网商银行"]["style"] == nodes["蚂蚁金服"]["style"] != nodes["融资难"]["style"]
    # size grows with degree: 网商银行 has three relations, 蚂蚁金服 one
    assert (nodes["网商银行"]["d"], nodes["蚂蚁金服"]["d"]) == (3, 1)


def test_page_has_legend_search_and_class_filter(tmp_path):
    _, out = run_viz(tmp_path)
    page = out.read_text("utf-8")
    for core in ("Institution", "Product", "Problem", "Remedy", "Region", "Concept"):
        assert f'data-kg-core="{core}"' in page
    assert 'data-kg-core="Person"' not in page  # no Person in the graph, none in the legend
    assert 'id="kg-search"' in page
    assert "机构 Institution" in page


@pytest.mark.parametrize("rule, noted", [("default.offers", True), ("cue.offers", False)])
def test_legend_explains_dashed_edges_only_where_a_default_drew_one(tmp_path, rule, noted):
    records = make_records({"a": ["东海银行“甲乙贷”累计放款百亿元。"]},
                           [("i", "Bank", "东海银行", set(), [("a", 0)]),
                            ("p", "FinancialProduct", "甲乙贷", set(), [("a", 0)])],
                           [("i", "offers", "p", "a", 0, rule)])
    pages = write_pages(records, tmp_path / "out")
    graph = next(p for p in pages if p.name == "graph.html").read_text("utf-8")
    assert ("虚线 dashed" in graph) is noted


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


# ------------------------------------------------------------------ the build's pages
REMOTE = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/|node_modules|cdnjs|jsdelivr|unpkg""", re.I)
REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"'#][^"']*)["']""", re.I)


def test_pages_share_their_scripts_and_reference_only_files_of_the_build(tmp_path):
    """The offline guarantee: every script, style and link of every page is a file of the
    output folder, and no file written loads anything from the network."""
    paths = write_pages(mini_records(), tmp_path)
    names = [p.relative_to(tmp_path).as_posix() for p in paths]
    assert names == ["graph.html", "articles/digital_finance.html", "articles/smart_city.html",
                     "assets/vis-network.min.js", "assets/vis-network.css", "assets/kg.css",
                     "assets/kg-common.js", "assets/kg-graph.js", "assets/kg-article.js", "assets/graph-data.js"]
    for p in paths:
        text = p.read_text("utf-8")
        if p.suffix == ".html":
            refs = REFERENCE.findall(text)
            assert refs, p
            for ref in refs:
                assert (p.parent / ref).resolve().is_file(), (p.name, ref)
            assert "<script>" not in text.split("</head>")[1].replace(
                '<script type="application/json" id="kg-data">', ""), p  # no code in line
        if p.name.startswith("vis-network"):  # pyvis's copy of vis-network, unchanged
            import pyvis

            lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / p.name
            assert text == lib.read_text("utf-8"), p.name
        else:
            assert not REMOTE.search(text), p.name
    assert (tmp_path / "assets" / "vis-network.min.js").stat().st_size > 400_000
    assert sum(p.stat().st_size for p in paths if p.suffix == ".html") < 40_000  # the pages stay small


def test_single_file_pages_stand_alone(tmp_path):
    paths = write_pages(mini_records(), tmp_path, single_file=True)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "graph.html", "articles/digital_finance.html", "articles/smart_city.html"]
    for p in paths:
        text = p.read_text("utf-8")
        markup = re.sub(r"<script>.*?</script>", "", text, flags=re.S)
        assert REFERENCE.findall(markup) == (["../graph.html"] if "articles" in p.parts else
                                             ["articles/digital_finance.html", "articles/smart_city.html"])
        assert "vis.Network" in text and not REMOTE.search(markup)
    # an article page alone carries the entities it mentions, no others
    data = payload(paths[2])
    assert sorted(n["l"] for n in data["nodes"]) == ["人工智能", "城市大脑", "拥堵", "推广杭州“城市大脑”治理拥堵",
                                                   "杭州", "长三角"]


def test_pages_are_byte_identical_for_the_same_records(tmp_path):
    import random

    a = write_pages(mini_records(), tmp_path / "a")
    articles, entities, relations = mini_records()
    rng = random.Random(3)
    for xs in (articles, entities):
        rng.shuffle(xs)
    b = write_pages((articles, entities, relations), tmp_path / "b")
    for p, q in zip(a, b):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_pages_are_drawn_from_the_records_without_rdflib_or_networkx(tmp_path):
    import subprocess
    import sys

    code = ("import sys, pathlib; sys.path.insert(0, 'tests'); from test_viz import mini_records, write_pages; "
            f"write_pages(mini_records(), pathlib.Path({str(tmp_path)!r})); "
            "print(sorted(m for m in ('rdflib', 'networkx', 'pyvis.network') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    assert out.stdout.split() == ["[]"]


def test_whole_graph_page_shows_stats_and_article_links(tmp_path):
    graph_page, df_page, sc_page = write_pages(mini_records(), tmp_path)[:3]
    text = graph_page.read_text("utf-8")
    assert "跨文章实体 Bridging articles" in text
    assert '<td>人工智能 (Technology)</td><td class="num">digital_finance, smart_city</td>' in text
    assert '<a href="articles/smart_city.html">构建长三角便捷高效智慧城市共同体</a>' in text
    assert "跨文章实体" not in sc_page.read_text("utf-8")
    nodes, edges = page_data(graph_page)
    assert len(nodes) == 12 and len(edges) == 9
    assert ("网商银行", "提供", "无抵押信用贷款", "offers",
            [[DF[1], "fixture.relation", "digital_finance"]]) in edges


def test_article_page_holds_its_text_mentions_and_sentence_relations(tmp_path):
    df_page = write_pages(mini_records(), tmp_path)[1]
    d = payload(df_page)
    assert d["text"] == "".join(DF)
    spans = {d["text"][s:e]: d["nodes"][n]["l"] for s, e, n in d["ments"]}
    assert spans == {"数字金融": "数字金融", "新质生产力": "新质生产力", "蚂蚁金服": "蚂蚁金服",
                     "网商银行": "网商银行", "人工智能": "人工智能", "无抵押信用贷款": "无抵押信用贷款",
                     "融资难": "融资难"}
    rels = {(i, d["nodes"][s]["l"], d["preds"][p], d["nodes"][o]["l"]) for i, s, p, o, _ in d["rels"]}
    assert (0, "数字金融", "赋能", "新质生产力") in rels
    assert (1, "网商银行", "提供", "无抵押信用贷款") in rels
    assert not any(x[1] == "城市大脑" for x in rels)  # the other article's relations stay there


@pytest.mark.parametrize("files, expected", [
    (["o/kg.ttl"], "Wrote o/kg.ttl"),
    (["o/kg.ttl", "o/graph.html", "o/articles/a.html", "o/assets/kg.css"],
     "Wrote o/kg.ttl, o/graph.html and 1 article page in o/articles/ (scripts and data in o/assets/)"),
    (["o/kg.ttl", "o/graph.html"] + [f"o/articles/{i}.html" for i in range(120)],
     "Wrote o/kg.ttl, o/graph.html and 120 article pages in o/articles/"),
])
def test_summary_names_what_was_written_in_one_line(files, expected):
    from kg.pipeline import written

    assert written(files) == expected


HOSTILE = ["<script>document.title='pwned'</script>", "<img src=x onerror=\"document.title='pwned'\">",
           "</script><script>alert(1)</script>", "&lt;b&gt;"]


def hostile_records():
    sentence = f"{HOSTILE[0]}提供{HOSTILE[1]}。"
    return make_records(
        {"evil": [sentence]},
        [("institution-evil1", "Bank", HOSTILE[0], {HOSTILE[2]}, [("evil", 0)]),
         ("product-evil2", "Product", HOSTILE[1], {HOSTILE[3]}, [("evil", 0)])],
        [("institution-evil1", "offers", "product-evil2", "evil", 0, "rule.<i>x</i>")],
        titles={"evil": HOSTILE[0]})


@pytest.mark.parametrize("single_file", [False, True])
def test_hostile_text_stays_text_in_the_page(tmp_path, single_file):
    paths = write_pages(hostile_records(), tmp_path, single_file=single_file)
    for p in paths:
        text = p.read_text("utf-8")
        for bad in HOSTILE + ["<i>x</i>"]:
            assert bad not in text, (p.name, bad)
    nodes, edges = page_data(paths[0])
    assert set(nodes) == {HOSTILE[0], HOSTILE[1]}
    assert edges[0][4][0][1] == "rule.<i>x</i>"
    # the side panel and the article page's heading show the text escaped
    escaped = "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"
    assert f"<td>{escaped} (Bank)</td>" in paths[0].read_text("utf-8").replace("&#x27;", "&#39;")
    assert f"<title>{escaped} (evil)</title>" in paths[1].read_text("utf-8")


@pytest.mark.parametrize("header, byline", [
    ("# author: 张伟\n# source: 宁波日报\n# date: 2024-06-10\n", "张伟 · 宁波日报 · 2024-06-10 · a"),
    ("# source: 市政府办公室\n", "市政府办公室 · a"),  # no author: no empty field before a ·
    ("", "a"),
])
def test_an_article_page_byline_holds_only_what_the_header_gives(tmp_path, header, byline):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(f"# id: a\n{header}\n杭州银行推出科创贷产品。\n", "utf-8")
    r = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "o" / "articles" / "a.html").read_text("utf-8")
    assert re.search(r'class="kg-byline">([^<]*)<', page).group(1) == byline
