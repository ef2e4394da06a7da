"""Figures about a graph: counts by class and predicate, central entities, and
entities that bridge articles. ``kg stats`` prints them; the whole-graph page
shows the same figures in its side panel (``render_html``)."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .fileio import load_graph
from .graphnx import is_entity, ontology_labels, to_networkx, undirected
from .triples import NS

TOP = 10  # entities listed per centrality ranking
EXACT_BETWEENNESS_MAX = 1000  # above this many nodes, betweenness is sampled
BETWEENNESS_SAMPLE = 500


@dataclass(frozen=True)
class Ranked:
    """An entity in a ranking."""

    label: str
    cls: str
    value: float


@dataclass
class Stats:
    articles: dict  # article id -> title
    sentences: int
    entities: int
    relations: int
    mentions: int
    by_class: list  # [(core class, zh label, count, [(subclass, zh label, count), ...])]
    by_predicate: list  # [(predicate, zh label, count)]
    degree: list = field(default_factory=list)  # [Ranked]
    betweenness: list = field(default_factory=list)  # [Ranked]
    betweenness_sampled: int | None = None  # sample size when approximate
    bridges: list = field(default_factory=list)  # [(label, cls, [article ids])]


def compute(graph, nxg=None, labels=None) -> Stats:
    """Compute the figures of an rdflib graph (``nxg``: its networkx form, if built)."""
    import networkx as nx
    import rdflib
    from rdflib.namespace import RDF


    labels = labels or ontology_labels()
    nxg = nxg if nxg is not None else to_networkx(graph, labels)
    kg = rdflib.Namespace(NS)

    entities = [n for n, d in nxg.nodes(data=True) if is_entity(d)]
    by_core: dict[str, dict[str, int]] = {}
    for d in (nxg.nodes[n] for n in entities):
        sub = by_core.setdefault(d["core"], {})
        sub[d["cls"]] = sub.get(d["cls"], 0) + 1
    by_class = []
    for core, subs in sorted(by_core.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        finer = [(c, labels.zh_label(c), n) for c, n in sorted(subs.items(), key=lambda kv: (-kv[1], kv[0]))
                 if c != core]
        by_class.append((core, labels.zh_label(core), sum(subs.values()), finer))

    preds: dict[str, int] = {}
    for _, _, p in nxg.edges(keys=True):
        preds[p] = preds.get(p, 0) + 1
    by_predicate = [(p, labels.zh_label(p), n) for p, n in sorted(preds.items(), key=lambda kv: (-kv[1], kv[0]))]

    ug = undirected(nxg)

    def ranked(scores: dict, keep_zero: bool) -> list:
        rows = [(-v, nxg.nodes[n]["label"], n) for n, v in scores.items()
                if (keep_zero or v > 0) and is_entity(nxg.nodes[n])]
        return [Ranked(label, nxg.nodes[n]["cls"], -neg) for neg, label, n in sorted(rows)[:TOP]]

    degree = ranked(dict(ug.degree()), keep_zero=False)
    sampled = None
    if ug.number_of_nodes() > EXACT_BETWEENNESS_MAX:
        sampled = BETWEENNESS_SAMPLE
        between = nx.betweenness_centrality(ug, k=sampled, seed=0)
    else:
        between = nx.betweenness_centrality(ug)
    betweenness = ranked(between, keep_zero=False)

    bridges = sorted(
        ((d["label"], d["cls"], list(d["articles"]), ug.degree(n)) for n, d in nxg.nodes(data=True)
         if len(d["articles"]) > 1),
        key=lambda row: (-len(row[2]), -row[3], row[0], row[1]))

    return Stats(
        articles=dict(nxg.graph.get("articles", {})),
        sentences=len(set(graph.subjects(RDF.type, kg.Sentence))),
        # one definition of an entity everywhere (build, validate, stats): a typed node
        # that is not an article (articles are nodes here as the objects of authorOf)
        entities=len(entities),
        relations=nxg.number_of_edges(),
        mentions=sum(1 for _ in graph.triples((None, kg.mentions, None))),
        by_class=by_class,
        by_predicate=by_predicate,
        degree=degree,
        betweenness=betweenness,
        betweenness_sampled=sampled,
        bridges=[(label, cls, arts) for label, cls, arts, _ in bridges],
    )


# ------------------------------------------------------------------ text
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[tuple[str, str]], indent: str = "  ") -> list[str]:
    if not rows:
        return [f"{indent}(none)"]
    w = max(_width(a) for a, _ in rows)
    return [f"{indent}{_pad(a, w)}  {b}" for a, b in rows]


def _fmt_between(v: float) -> str:
    return f"{v:.3f}"


def render_text(st: Stats, title: str | None = None) -> str:
    lines = []
    if title:
        lines.append(title)
    lines.append(f"Articles: {len(st.articles)} · evidence sentences: {st.sentences} · entities: {st.entities}"
                 f" · relations: {st.relations} · mentions: {st.mentions}")
    lines += ["", "Entities by class"]
    rows = []
    for core, zh, n, finer in st.by_class:
        rows.append((f"{core} {zh}", str(n)))
        rows += [(f"  {c} {czh}", str(m)) for c, czh, m in finer]
    lines += _table(rows)
    lines += ["", "Relations by predicate"]
    lines += _table([(f"{p} {zh}", str(n)) for p, zh, n in st.by_predicate])
    lines += ["", "Most central entities: degree"]
    lines += _table([(f"{i}. {r.label} ({r.cls})", str(int(r.value))) for i, r in enumerate(st.degree, 1)])
    note = f" (approximate, {st.betweenness_sampled} sampled sources)" if st.betweenness_sampled else ""
    lines += ["", f"Most central entities: betweenness{note}"]
    lines += _table([(f"{i}. {r.label} ({r.cls})", _fmt_between(r.value))
                     for i, r in enumerate(st.betweenness, 1)])
    lines += ["", "Entities bridging articles (mentioned by more than one)"]
    lines += _table([(f"{label} ({cls})", ", ".join(arts)) for label, cls, arts in st.bridges])
    return "\n".join(lines)


def render_stats(graph_path: str | Path, fmt: str = "text") -> str:
    """``kg stats``: the figures of the graph file as text or JSON."""

    graph = load_graph(graph_path)
    st = compute(graph)
    if fmt == "json":
        return render_json(st, graph_path)
    return render_text(st, title=f"Graph: {graph_path}")


def render_json(st: Stats, graph_path) -> str:
    """The figures as a JSON document (for scripts)."""
    import json

    doc = {
        "graph": str(graph_path),
        "articles": st.articles,
        "sentences": st.sentences, "entities": st.entities, "relations": st.relations,
        "mentions": st.mentions,
        "by_class": [{"class": c, "label": zh, "count": n,
                      "subclasses": [{"class": sc, "label": szh, "count": m} for sc, szh, m in finer]}
                     for c, zh, n, finer in st.by_class],
        "by_predicate": [{"predicate": p, "label": zh, "count": n} for p, zh, n in st.by_predicate],
        "degree": [{"label": r.label, "class": r.cls, "value": r.value} for r in st.degree],
        "betweenness": [{"label": r.label, "class": r.cls, "value": r.value}
                        for r in st.betweenness],
        "betweenness_sampled": st.betweenness_sampled,
        "bridges": [{"label": label, "class": cls, "articles": arts}
                    for label, cls, arts in st.bridges],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ HTML
def render_html(st: Stats) -> str:
    """The same figures as an HTML fragment; every text is escaped."""
    e = html.escape

    def table(head: tuple[str, str], rows: list[tuple[str, str]]) -> str:
        if not rows:
            return '<p class="kg-none">(none)</p>'
        body = "".join(f"<tr><td>{e(a)}</td><td class=\"num\">{e(b)}</td></tr>" for a, b in rows)
        return (f"<table><thead><tr><th>{e(head[0])}</th><th>{e(head[1])}</th></tr></thead>"
                f"<tbody>{body}</tbody></table>")

    parts = [
        '<section class="kg-stats">',
        "<h2>统计 Statistics</h2>",
        f"<p>文章 articles {len(st.articles)} · 证据句 evidence sentences {st.sentences} · 实体 entities "
        f"{st.entities} · 关系 relations {st.relations} · 提及 mentions {st.mentions}</p>",
        "<h3>实体类别 Entities by class</h3>",
    ]
    rows = []
    for core, zh, n, finer in st.by_class:
        rows.append((f"{zh} {core}", str(n)))
        rows += [(f"\u2003{czh} {c}", str(m)) for c, czh, m in finer]
    parts.append(table(("class", "n"), rows))
    parts.append("<h3>关系 Relations by predicate</h3>")
    parts.append(table(("predicate", "n"), [(f"{zh} {p}", str(n)) for p, zh, n in st.by_predicate]))
    parts.append("<h3>度中心性 Degree</h3>")
    parts.append(table(("entity", "degree"), [(f"{r.label} ({r.cls})", str(int(r.value))) for r in st.degree]))
    note = f" (approximate, {st.betweenness_sampled} sampled sources)" if st.betweenness_sampled else ""
    parts.append(f"<h3>介数中心性 Betweenness{e(note)}</h3>")
    parts.append(table(("entity", "betweenness"),
                       [(f"{r.label} ({r.cls})", _fmt_between(r.value)) for r in st.betweenness]))
    parts.append("<h3>跨文章实体 Bridging articles</h3>")
    parts.append(table(("entity", "articles"), [(f"{label} ({cls})", ", ".join(arts))
                                               for label, cls, arts in st.bridges]))
    parts.append("</section>")
    return "\n".join(parts)
