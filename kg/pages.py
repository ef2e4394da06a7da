"""HTML pages of the graph, drawn from plain records (no rdflib, no networkx).

A build writes ``graph.html`` (the whole graph) and ``articles/<id>.html`` (the text
of each article with its mentions highlighted by class, the relations of each
sentence beside it, and the article's subgraph). The pages share one copy of their
scripts, styles and of the graph's data in ``assets/``, referenced by relative
path; ``single_file`` inlines everything into each page instead (``kg viz`` always
does). Nothing is loaded over the network: the only scripts are vis-network (from
pyvis's package) and our own files in ``kg/templates/``.

Source text (labels, sentences, titles) reaches a page only as JSON (with ``<``,
``>`` and ``&`` escaped) or as HTML-escaped text; the page scripts put it into the
DOM with ``textContent``, never as markup. Output is deterministic: sorted records,
sorted JSON keys, no timestamps.
"""

from __future__ import annotations

import html
import importlib.util
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .fileio import atomic_write
from .rdf import evidence_sentences, statements_of
from .ontology import labels as ontology_labels
from .resolve import article_key, safe_id
from .triples import local_name

TEMPLATES = Path(__file__).parent / "templates"
VIS_FILES = ("vis-network.min.js", "vis-network.css")
ASSETS = ("vis-network.min.js", "vis-network.css", "kg.css", "kg-common.js", "kg-graph.js",
          "kg-article.js", "graph-data.js")

# Colour and shape per core class (a subclass takes its core class's style).
CLASS_STYLE = {
    "Institution": ("#4E79A7", "dot"),
    "Product": ("#F28E2B", "square"),
    "Problem": ("#E15759", "triangle"),
    "Remedy": ("#59A14F", "diamond"),
    "Region": ("#76B7B2", "hexagon"),
    "Person": ("#EDC948", "star"),
    "Concept": ("#B07AA1", "dot"),
    "Event": ("#FF9DA7", "triangleDown"),
    "Document": ("#9C755F", "square"),
    "Article": ("#79706E", "star"),
}
OTHER_STYLE = ("#BAB0AC", "dot")
SHAPE_SYMBOL = {"dot": "●", "square": "■", "triangle": "▲", "diamond": "◆", "hexagon": "⬢",
                "star": "★", "triangleDown": "▼"}

FIRST_VIEW = 120  # a whole-graph page opens on this many of its most connected entities
MAX_EVIDENCE = 5  # evidence sentences carried per edge
MAX_NODE_ARTICLES = 5  # article links carried per entity
TOP = 10  # rows of the side panel's rankings


# ---------------------------------------------------------------- the data of a page
@dataclass
class Node:
    key: str  # IRI local name, e.g. institution-7d126eb4c850
    label: str
    cls: str
    core: str
    aliases: tuple = ()
    articles: tuple = ()  # ids of the articles that mention it, sorted


@dataclass
class Edge:
    s: str  # node keys
    p: str
    o: str
    evidence: list = field(default_factory=list)  # sorted (sentence text, rule, article id)


@dataclass
class PageGraph:
    """What a graph page shows: nodes sorted by key, edges sorted, article titles."""

    nodes: list
    edges: list
    articles: dict  # article id -> title
    title: str = "知识图谱 Knowledge graph"
    notice: str = ""
    focus: tuple = ()  # node keys to mark and always show


@dataclass
class Records:
    """What a build hands the pages: the records kg.ttl is written from."""

    articles: list  # [Article]
    entities: list  # [Entity]
    relations: list  # [(Entity, predicate, Entity, Relation)]
    single_file: bool = False


def graph_of_records(articles, entities, relations, labels) -> PageGraph:
    """The whole graph of a build, as kg.ttl holds it (``kg.graphnx`` reads the same
    nodes and edges back from the Turtle)."""
    nodes: dict[str, Node] = {}
    for e in entities:
        if e.cls == "Article":
            continue
        nodes[e.key] = Node(e.key, e.label, e.cls, labels.core(e.cls) or e.cls,
                            tuple(sorted(set(e.alt_labels) - {e.label})),
                            tuple(sorted({m.article_id for m in e.mentions})))
    by_id = {a.id: a for a in articles}
    titles = {a.id: a.title or a.id for a in articles}
    evidence: dict[tuple, set] = {}
    for s, p, o, r in relations:
        for end in (s, o):
            if end.key not in nodes and end.cls == "Article":  # an article as a node (authorOf)
                aid = next((a for a in titles if article_key(a) == end.key), end.label)
                nodes[end.key] = Node(end.key, titles.get(aid, end.label), "Article", "Article",
                                      (), (aid,))
        art = by_id.get(r.article_id)
        text = art.sentences[r.sentence].text if art is not None and r.sentence >= 0 else ""
        evidence.setdefault((s.key, p, o.key), set()).add((text, r.rule, r.article_id))
    edges = [Edge(s, p, o, sorted(ev)) for (s, p, o), ev in sorted(evidence.items())]
    return PageGraph(nodes=[nodes[k] for k in sorted(nodes)], edges=edges,
                     articles=dict(sorted(titles.items())))


def graph_of_view(nxg, view) -> PageGraph:
    """A ``kg viz`` view (``kg.viz.select_view`` over a networkx graph)."""
    def key(n):
        return local_name(n)

    nodes = [Node(key(n), d["label"], d["cls"], d["core"], tuple(d["aliases"]), tuple(d["articles"]))
             for n, d in ((n, nxg.nodes[n]) for n in view.nodes)]
    edges = [Edge(key(u), k, key(v), [tuple(ev) for ev in nxg.edges[u, v, k]["evidence"]])
             for u, v, k in view.edges]
    return PageGraph(nodes=sorted(nodes, key=lambda n: n.key), edges=edges,
                     articles=dict(nxg.graph.get("articles", {})), title=view.title,
                     notice=view.notice, focus=tuple(key(n) for n in view.focus))


def _degrees(pg: PageGraph) -> Counter:
    deg: Counter = Counter()
    for e in pg.edges:
        deg[e.s] += 1
        deg[e.o] += 1
    return deg


class _Table:
    """Strings numbered in order of first use (sentences, rules, articles)."""

    def __init__(self):
        self.index: dict = {}

    def __call__(self, value) -> int:
        n = self.index.get(value)
        if n is None:
            n = self.index[value] = len(self.index)
        return n

    def values(self) -> list:
        return list(self.index)


def _styles(labels) -> dict:
    return {core: [colour, shape, labels.zh_label(core)]
            for core, (colour, shape) in sorted({**CLASS_STYLE, "": OTHER_STYLE}.items())}


def graph_payload(pg: PageGraph, labels, article_href: str | None) -> dict:
    """The JSON the graph page script reads (and article pages, for entity names)."""
    deg = _degrees(pg)
    index = {n.key: i for i, n in enumerate(pg.nodes)}
    art_ids = list(pg.articles)
    art_index = {a: i for i, a in enumerate(art_ids)}
    sentences, rules = _Table(), _Table()
    classes = sorted({n.cls for n in pg.nodes})
    cls_index = {c: i for i, c in enumerate(classes)}
    nodes = []
    for n in pg.nodes:
        row = {"k": n.key, "l": n.label, "c": cls_index[n.cls], "d": deg[n.key],
               "ar": [art_index[a] for a in n.articles[:MAX_NODE_ARTICLES] if a in art_index],
               "na": len(n.articles)}
        if n.aliases:
            row["a"] = list(n.aliases)
        if n.key in pg.focus:
            row["f"] = 1
        nodes.append(row)
    edges = []
    for e in pg.edges:
        ev = [[sentences(t), rules(r), art_index.get(a, -1)] for t, r, a in e.evidence[:MAX_EVIDENCE]]
        row = {"s": index[e.s], "o": index[e.o], "p": e.p, "ev": ev}
        if len(e.evidence) > MAX_EVIDENCE:
            row["more"] = len(e.evidence) - MAX_EVIDENCE
        edges.append(row)
    href = None if article_href is None else article_href
    return {
        "title": pg.title, "notice": pg.notice, "first": FIRST_VIEW,
        "classes": [[c, labels.core(c) or c, labels.zh_label(c)] for c in classes],
        "styles": _styles(labels),
        "preds": {p: labels.zh_label(p) for p in sorted({e.p for e in pg.edges})},
        "articles": [[a, pg.articles[a], href.format(id=_page_id(a)) if href else ""] for a in art_ids],
        "sentences": sentences.values(), "rules": rules.values(),
        "nodes": nodes, "edges": edges,
    }


def _page_id(article_id: str) -> str:
    return safe_id(article_id)


def article_payload(article, entities, relations, node_index: dict, labels,
                    nodes: list | None = None) -> dict:
    """The JSON an article page reads: its text, sentences, mentions and relations.
    Entities are numbers in ``node_index`` (the graph payload's nodes, or ``nodes``
    given here for a page standing alone)."""
    # by start, the longer of two that start together first: the page nests each
    # mention in the one before it that holds it (杭州 inside 杭州银行)
    spans = sorted({(m.start, m.end, node_index[e.key]) for e in entities for m in e.mentions
                    if m.article_id == article.id and m.sentence >= 0 and m.end > m.start
                    and e.key in node_index}, key=lambda x: (x[0], -x[1], x[2]))
    rules = _Table()
    rels = sorted({(r.sentence, node_index[s.key], p, node_index[o.key], rules(r.rule))
                   for s, p, o, r in relations if r.article_id == article.id
                   and s.key in node_index and o.key in node_index})
    out = {
        "id": article.id, "title": article.title or article.id, "text": article.text,
        "authors": list(article.authors), "source": article.source, "date": article.date,
        "sents": [[s.start, s.end, s.paragraph] for s in article.sentences],
        "ments": [list(x) for x in spans],
        "rels": [list(x) for x in rels], "rules": rules.values(),
        "preds": {p: labels.zh_label(p) for p in sorted({x[2] for x in rels})},
    }
    if nodes is not None:
        out["nodes"] = nodes
    return out


def json_for_script(obj) -> str:
    """JSON that cannot end a <script> element or open markup."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


# ---------------------------------------------------------------- side panels
def legend_html(pg: PageGraph, labels) -> str:
    counts = Counter(n.core for n in pg.nodes)
    e = html.escape
    items = []
    for core in sorted(counts, key=lambda c: (-counts[c], c)):
        colour, shape = CLASS_STYLE.get(core, OTHER_STYLE)
        items.append(
            f'<li><label><input type="checkbox" checked data-kg-core="{e(core)}"> '
            f'<span class="kg-sym" style="color:{colour}">{SHAPE_SYMBOL.get(shape, "●")}</span>'
            f'{e(labels.zh_label(core))} {e(core)} <span class="kg-count">{counts[core]}</span></label></li>')
    return ('<section class="kg-legend"><h2>图例 Legend · 按类别筛选 filter by class</h2>'
            f'<ul>{"".join(items)}</ul>{_default_note(pg)}</section>')


def _default_note(pg: PageGraph) -> str:
    """What a dashed edge means, where the page has one: drawn only by a class pair's
    default (rule ids default.*, as kg-graph.js tells them), no cue word."""
    if not any(ev and all(r.startswith("default.") for _, r, _ in ev) for ev in (e.evidence for e in pg.edges)):
        return ""
    return ('<p class="kg-note">虚线 dashed: 仅同句相邻 only the nearest pair of a sentence, '
            'no cue word (rule default.*)</p>')


def stats_html(pg: PageGraph, labels, sentences: int, mentions: int) -> str:
    """Counts by class and predicate, the most connected entities and those that bridge
    articles (the figures of ``kg stats`` but betweenness, which needs networkx)."""
    e = html.escape
    deg = _degrees(pg)

    def table(head, rows):
        if not rows:
            return '<p class="kg-none">(none)</p>'
        body = "".join(f'<tr><td>{e(a)}</td><td class="num">{e(b)}</td></tr>' for a, b in rows)
        return f"<table><thead><tr><th>{e(head[0])}</th><th>{e(head[1])}</th></tr></thead><tbody>{body}</tbody></table>"

    entities = [n for n in pg.nodes if n.core != "Article"]  # an article is drawn, not counted
    by_core: dict = {}
    for n in entities:
        by_core.setdefault(n.core, Counter())[n.cls] += 1
    rows = []
    for core, subs in sorted(by_core.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        rows.append((f"{labels.zh_label(core)} {core}", str(sum(subs.values()))))
        rows += [(f"\u2003{labels.zh_label(c)} {c}", str(k))
                 for c, k in sorted(subs.items(), key=lambda kv: (-kv[1], kv[0])) if c != core]
    preds = Counter(x.p for x in pg.edges)
    top = sorted((n for n in entities if deg[n.key]), key=lambda n: (-deg[n.key], n.label, n.key))[:TOP]
    bridges = sorted((n for n in pg.nodes if len(n.articles) > 1),
                     key=lambda n: (-len(n.articles), -deg[n.key], n.label, n.key))
    more = len(bridges) - TOP

    def arts(n):
        shown = ", ".join(n.articles[:3])
        return shown + (f" +{len(n.articles) - 3}" if len(n.articles) > 3 else "")

    parts = [
        '<section class="kg-stats"><h2>统计 Statistics</h2>',
        f"<p>文章 articles {len(pg.articles)} · 证据句 evidence sentences {sentences} · 实体 entities "
        f"{len(entities)} · 关系 relations {len(pg.edges)} · 提及 mentions {mentions}</p>",
        "<h3>实体类别 Entities by class</h3>", table(("class", "n"), rows),
        "<h3>关系 Relations by predicate</h3>",
        table(("predicate", "n"), [(f"{labels.zh_label(p)} {p}", str(k))
                                   for p, k in sorted(preds.items(), key=lambda kv: (-kv[1], kv[0]))]),
        "<h3>度中心性 Degree</h3>",
        table(("entity", "degree"), [(f"{n.label} ({n.cls})", str(deg[n.key])) for n in top]),
        "<h3>跨文章实体 Bridging articles</h3>",
        table(("entity", "articles"), [(f"{n.label} ({n.cls})", arts(n)) for n in bridges[:TOP]]),
    ]
    if more > 0:
        parts.append(f'<p class="kg-none">… +{more}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def article_links_html(pg: PageGraph, href: str) -> str:
    e = html.escape
    links = "".join(f'<li><a href="{e(href.format(id=_page_id(a)))}">{e(t)}</a> ({e(a)})</li>'
                    for a, t in pg.articles.items())
    return f'<section class="kg-links"><h2>文章 Articles</h2><ul>{links}</ul></section>' if links else ""


# ---------------------------------------------------------------- rendering
@lru_cache(maxsize=1)
def _env():
    import jinja2  # kept off the path of a build without pages

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              keep_trailing_newline=True)


@lru_cache(maxsize=None)
def _vis_file(name: str) -> str:
    """vis-network as pyvis ships it (found without importing pyvis, which loads networkx)."""
    spec = importlib.util.find_spec("pyvis")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "templates" / "lib" / "vis-9.1.2" / name).read_text("utf-8")


def page_labels():
    """The ontology's class and property labels (``kg.ontology.Labels``)."""
    return ontology_labels()


def class_css(labels) -> str:
    """Colours of mentions (displaCy style: tinted background, class name after)."""
    lines = []
    for core, (colour, _) in sorted({**CLASS_STYLE, "": OTHER_STYLE}.items()):
        name = f"k-{core or 'Other'}"
        zh = labels.zh_label(core) if core else "其他"
        lines.append(f"mark.{name} {{ background: {colour}2e; border-bottom: 2px solid {colour}; }}")
        lines.append(f'mark.{name}::after {{ content: "{zh}"; color: {colour}; }}')
    return "\n".join(lines) + "\n"


def asset_text(name: str, labels, data: dict | None = None) -> str:
    if name in VIS_FILES:
        return _vis_file(name)
    if name == "kg.css":
        return (TEMPLATES / "kg.css").read_text("utf-8") + class_css(labels)
    if name == "graph-data.js":
        return f"window.KG_DATA = {json_for_script(data)};\n"
    return (TEMPLATES / name).read_text("utf-8")


def _scripts(kind: str, labels, single_file: bool, root: str) -> dict:
    """What the templates link (``root + "assets/..."``) or put in line."""
    names = ["vis-network.css", "kg.css", "vis-network.min.js", "kg-common.js", f"kg-{kind}.js"]
    if single_file:
        return {"inline": {n: asset_text(n, labels) for n in names}, "root": root}
    return {"inline": None, "root": root}


def render_graph_page(pg: PageGraph, labels, *, side: str = "", single_file: bool = True,
                      root: str = "", article_href: str | None = None,
                      payload: dict | None = None) -> str:
    """A whole-graph (or view) page. With ``single_file`` everything is inline, else
    scripts and the data come from ``root + "assets/"``."""
    payload = payload if payload is not None else graph_payload(pg, labels, article_href)
    side = legend_html(pg, labels) + "\n" + (
        '<section><h2>详情 Details</h2><div id="kg-details"><p class="kg-none">'
        "点击节点或关系查看证据 click a node or edge for its evidence</p></div></section>\n") + side
    ctx = _scripts("graph", labels, single_file, root)
    return _env().get_template("graph.html").render(
        title=pg.title, side=side, data=json_for_script(payload) if single_file else None, **ctx)


def render_article_page(article, payload: dict, labels, *, single_file: bool) -> str:
    ctx = _scripts("article", labels, single_file, "../")
    return _env().get_template("article.html").render(
        title=f"{article.title or article.id} ({article.id})", article=article,
        data=json_for_script(payload), **ctx)


# ---------------------------------------------------------------- the build's pages
def write_pages(out_dir: Path, records: Records) -> list[Path]:
    """Write ``graph.html``, ``articles/<id>.html`` and (unless ``single_file``)
    ``assets/``; return the paths written (pages first)."""
    out_dir = Path(out_dir)
    labels = page_labels()
    articles = sorted(records.articles, key=lambda a: a.id)
    entities, relations = records.entities, records.relations
    single = records.single_file
    pg = graph_of_records(articles, entities, relations, labels)
    payload = graph_payload(pg, labels, "articles/{id}.html")
    n_sentences = len(evidence_sentences(statements_of(entities, relations)))
    n_mentions = sum(len({m.article_id for m in e.mentions}) for e in entities if e.cls != "Article")
    side = article_links_html(pg, "articles/{id}.html") + "\n" + stats_html(pg, labels, n_sentences, n_mentions)
    written = []
    path = out_dir / "graph.html"
    atomic_write(path, render_graph_page(pg, labels, side=side, single_file=single, payload=payload))
    written.append(path)

    index = {n.key: i for i, n in enumerate(pg.nodes)}
    by_article: dict[str, list] = {a.id: [] for a in articles}
    for e in entities:
        for aid in {m.article_id for m in e.mentions}:
            if aid in by_article:
                by_article[aid].append(e)
    rels_of: dict[str, list] = {a.id: [] for a in articles}
    for rel in relations:
        if rel[3].article_id in rels_of:
            rels_of[rel[3].article_id].append(rel)
    for a in articles:
        ents, rels = by_article[a.id], rels_of[a.id]
        if single:  # the page's own entity table, numbered locally
            keys = sorted({e.key for e in ents} | {x.key for s, _, o, _ in rels for x in (s, o)})
            keys = [k for k in keys if k in index]
            local = {k: i for i, k in enumerate(keys)}
            nodes = [payload["nodes"][index[k]] for k in keys]
            classes = payload["classes"]
            data = article_payload(a, ents, rels, local, labels, nodes=nodes)
            data["classes"], data["styles"] = classes, payload["styles"]
        else:
            data = article_payload(a, ents, rels, index, labels)
        path = out_dir / "articles" / f"{_page_id(a.id)}.html"
        atomic_write(path, render_article_page(a, data, labels, single_file=single))
        written.append(path)
    if not single:
        for name in ASSETS:
            path = out_dir / "assets" / name
            atomic_write(path, asset_text(name, labels, payload))
            written.append(path)
    return written
