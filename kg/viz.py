"""Interactive, self-contained HTML views of the graph (pyvis + vis-network).

Pages carry every resource in line (vis-network from pyvis's package, our own
template, CSS and a small script) and reference nothing over the network, so
they open from ``file://`` offline. Everything that comes from a source text
(labels, aliases, sentences) reaches the page only as JSON inside a script
(``<``, ``>``, ``&`` escaped as ``\\u003c``...) or as HTML-escaped text, and the
page script turns it into DOM text nodes (``textContent``), never markup.

``render_view`` is ``kg viz``; ``write_pages`` is called by the build to write
``graph.html`` (with the ``kg stats`` figures in a side panel) and one page per
article. Output is deterministic: sorted nodes and edges, a fixed layout seed,
no timestamps.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import KgError
from .graphnx import PROVENANCE_CLASSES

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

ISOLATED_SHOWN_MAX = 60  # bigger views start with entities without relations hidden
MAX_NODES = 2500  # larger views keep the most connected entities and say how to focus
LABEL_CHARS = 14  # longer labels are shortened on the canvas (full text on hover)
MAX_EVIDENCE = 5  # evidence sentences carried per edge
LAYOUT_SEED = 7
FONT_FACE = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"

VIS_OPTIONS = {
    "autoResize": True,
    "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                             "springLength": 110, "springConstant": 0.08, "avoidOverlap": 0.2},
        "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 10, "fit": True},
        "minVelocity": 1,
        "timestep": 0.5,
    },
    "nodes": {"font": {"size": 14, "face": FONT_FACE, "strokeWidth": 3, "strokeColor": "#ffffff"},
              "borderWidth": 1},
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": "#9aa5b1", "highlight": "#33475b", "hover": "#33475b"},
        "font": {"size": 11, "face": FONT_FACE, "align": "middle", "color": "#33475b",
                 "strokeWidth": 3, "strokeColor": "#ffffff"},
        "width": 1,
        "selectionWidth": 2,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": False,
                    "navigationButtons": False, "keyboard": False, "multiselect": True},
}

# Placeholders replaced after pyvis renders the template. Each contains "<", which
# cannot occur in the tojson-escaped data, so source text can never match them.
PH_TITLE = "<kg-placeholder-title/>"
PH_HEAD = "<kg-placeholder-heading/>"
PH_SIDE = "<kg-placeholder-side/>"
PH_META = "<kg-placeholder-meta/>"

TEMPLATE_NAME = "kg_view.html"
TEMPLATE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><kg-placeholder-title/></title>
<script>
window.__kgErrors = [];
window.addEventListener("error", function (ev) {
  window.__kgErrors.push(String(ev && ev.message ? ev.message : ev));
  document.documentElement.setAttribute("data-kg-errors", String(window.__kgErrors.length));
});
</script>
<style>{% include 'lib/vis-9.1.2/vis-network.css' %}</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<style>
html, body { margin: 0; padding: 0; height: 100%; }
body { font-family: FONTFACE; font-size: 14px; color: #1f2d3d; background: #f7f9fb;
       display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 8px 14px;
         background: #ffffff; border-bottom: 1px solid #dde3ea; }
header h1 { font-size: 17px; margin: 0; font-weight: 600; }
header .kg-search { display: flex; gap: 6px; align-items: center; }
header input[type=search] { width: 16em; padding: 4px 6px; font: inherit; }
header button { font: inherit; padding: 3px 10px; cursor: pointer; }
#kg-status { color: #52606d; font-size: 13px; }
#kg-notice { width: 100%; margin: 0; padding: 6px 10px; background: #fff4d6; border: 1px solid #f0d58a;
             border-radius: 4px; font-size: 13px; }
#kg-notice:empty { display: none; }
main { flex: 1; display: flex; min-height: 0; }
#kg-network { flex: 1; min-width: 0; height: 100%; background: #ffffff; }
aside { width: 360px; max-width: 40%; overflow-y: auto; border-left: 1px solid #dde3ea;
        padding: 8px 14px 20px; box-sizing: border-box; background: #fbfcfd; }
aside h2 { font-size: 15px; margin: 14px 0 6px; }
aside h3 { font-size: 13px; margin: 12px 0 4px; color: #3e4c59; }
.kg-legend ul { list-style: none; margin: 0; padding: 0; }
.kg-legend li { margin: 2px 0; }
.kg-legend label { cursor: pointer; }
.kg-sym { display: inline-block; width: 1.3em; text-align: center; font-size: 15px; }
.kg-count { color: #7b8794; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 2px 4px; border-bottom: 1px solid #edf0f3; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.kg-none { color: #7b8794; }
#kg-details .kg-d-title { font-size: 15px; font-weight: 600; margin: 4px 0; }
#kg-details .kg-d-row { margin: 2px 0; }
#kg-details .kg-d-rel { margin: 6px 0; padding: 4px 6px; background: #ffffff; border: 1px solid #edf0f3;
                        border-radius: 4px; }
.kg-ev { margin: 3px 0 0; font-size: 12.5px; }
.kg-ev q { quotes: "\\201C" "\\201D"; }
.kg-rule { color: #7b8794; font-size: 11.5px; }
div.vis-tooltip { white-space: normal; max-width: 420px; font-family: FONTFACE; font-size: 13px;
                  line-height: 1.45; padding: 6px 8px; }
.kg-tip-title { font-weight: 600; margin-bottom: 2px; }
.kg-links a { color: #2f6690; }
</style>
</head>
<body>
<header>
  <h1><kg-placeholder-heading/></h1>
  <div class="kg-search">
    <input type="search" id="kg-search" list="kg-labels" placeholder="搜索实体 search entity" autocomplete="off">
    <datalist id="kg-labels"></datalist>
    <button type="button" id="kg-go">定位 find</button>
    <button type="button" id="kg-reset">全部 show all</button>
  </div>
  <span id="kg-status"></span>
  <p id="kg-notice"></p>
</header>
<main>
  <div id="kg-network"></div>
  <aside>
    <kg-placeholder-side/>
  </aside>
</main>
<script type="application/json" id="kg-meta"><kg-placeholder-meta/></script>
<script>
(function () {
  "use strict";
  var root = document.documentElement;
  function mark(key, value) { root.setAttribute("data-kg-" + key, String(value)); }
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    return x;
  }
  var meta = JSON.parse(document.getElementById("kg-meta").textContent);
  var rawNodes = {{ nodes|tojson }};
  var rawEdges = {{ edges|tojson }};
  var options = {{ options|safe }};
  var byId = {};
  rawNodes.forEach(function (n) { byId[n.id] = n; });
  var status = document.getElementById("kg-status");
  document.getElementById("kg-notice").textContent = meta.notice || "";

  function nodeTip(n) {
    var d = el("div", "kg-tip");
    d.appendChild(el("div", "kg-tip-title", n.kgLabel));
    d.appendChild(el("div", null, "类别 class: " + n.kgClassZh + " (" + n.kgClass + ")"));
    if (n.kgAliases.length) { d.appendChild(el("div", null, "别名 aliases: " + n.kgAliases.join("、"))); }
    d.appendChild(el("div", null, "文章 articles: " + (n.kgArticles.join(", ") || "-")));
    d.appendChild(el("div", null, "度 degree: " + n.kgDegree));
    return d;
  }
  function evidenceBlock(parent, e) {
    e.kgEvidence.forEach(function (ev) {
      var p = el("div", "kg-ev");
      p.appendChild(el("q", null, ev[0]));
      p.appendChild(el("div", "kg-rule", "规则 rule: " + ev[1] + " · " + ev[2]));
      parent.appendChild(p);
    });
    if (e.kgMore > 0) { parent.appendChild(el("div", "kg-rule", "… +" + e.kgMore)); }
    if (!e.kgEvidence.length) { parent.appendChild(el("div", "kg-rule", "(no evidence recorded)")); }
  }
  function edgeHead(e) {
    var a = byId[e.from], b = byId[e.to];
    return (a ? a.kgLabel : e.from) + " —" + e.label + "→ " + (b ? b.kgLabel : e.to);
  }
  function edgeTip(e) {
    var d = el("div", "kg-tip");
    d.appendChild(el("div", "kg-tip-title", edgeHead(e)));
    d.appendChild(el("div", "kg-rule", e.kgPred));
    evidenceBlock(d, e);
    return d;
  }
  rawNodes.forEach(function (n) { n.title = nodeTip(n); });
  rawEdges.forEach(function (e) { e.title = edgeTip(e); });

  var details = document.getElementById("kg-details");
  function clear(x) { while (x.firstChild) { x.removeChild(x.firstChild); } }
  function showNode(id) {
    var n = byId[id];
    if (!n || !details) { return; }
    clear(details);
    details.appendChild(el("div", "kg-d-title", n.kgLabel));
    details.appendChild(el("div", "kg-d-row", "类别 class: " + n.kgClassZh + " (" + n.kgClass + ")"));
    if (n.kgAliases.length) { details.appendChild(el("div", "kg-d-row", "别名 aliases: " + n.kgAliases.join("、"))); }
    details.appendChild(el("div", "kg-d-row", "文章 articles: " + (n.kgArticles.join(", ") || "-")));
    rawEdges.forEach(function (e) {
      if (e.from !== id && e.to !== id) { return; }
      var box = el("div", "kg-d-rel");
      box.appendChild(el("div", null, edgeHead(e)));
      evidenceBlock(box, e);
      details.appendChild(box);
    });
  }
  function showEdge(id) {
    var e = null;
    rawEdges.forEach(function (x) { if (x.id === id) { e = x; } });
    if (!e || !details) { return; }
    clear(details);
    details.appendChild(el("div", "kg-d-title", edgeHead(e)));
    details.appendChild(el("div", "kg-rule", e.kgPred));
    evidenceBlock(details, e);
  }

  var labelList = document.getElementById("kg-labels");
  rawNodes.map(function (n) { return n.kgLabel; }).sort().forEach(function (label) {
    var o = document.createElement("option");
    o.value = label;
    labelList.appendChild(o);
  });

  var container = document.getElementById("kg-network");
  mark("nodes", rawNodes.length);
  mark("edges", rawEdges.length);
  if (!rawNodes.length) {
    container.appendChild(el("p", "kg-none", "没有实体 no entities in this view"));
    mark("drawn", "empty");
    return;
  }
  // Entities without relations in this view may start off the canvas (big views);
  // the "kg-isolated" box adds them on a grid below the laid-out graph.
  var isoBox = document.getElementById("kg-isolated");
  var isolated = rawNodes.filter(function (n) { return n.kgIsolated; });
  var connected = rawNodes.filter(function (n) { return !n.kgIsolated; });
  var nodes = new vis.DataSet(isoBox && !isoBox.checked ? connected : rawNodes);
  var edges = new vis.DataSet(rawEdges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  window.kgNetwork = network;

  var hidden = {};
  function applyFilter() {
    var boxes = document.querySelectorAll("input[data-kg-core]");
    hidden = {};
    Array.prototype.forEach.call(boxes, function (cb) {
      if (!cb.checked) { hidden[cb.getAttribute("data-kg-core")] = true; }
    });
    nodes.update(nodes.getIds().map(function (id) { return {id: id, hidden: !!hidden[byId[id].kgCore]}; }));
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-kg-core]"), function (cb) {
    cb.addEventListener("change", applyFilter);
  });
  function showIsolated(show) {
    if (isoBox) { isoBox.checked = show; }
    var missing = isolated.filter(function (n) { return nodes.get(n.id) === null; });
    if (!show) { nodes.remove(isolated.map(function (n) { return n.id; })); return; }
    if (!missing.length) { return; }
    var pos = network.getPositions(connected.map(function (n) { return n.id; }));
    var minX = Infinity, maxX = -Infinity, maxY = -Infinity;
    Object.keys(pos).forEach(function (id) {
      minX = Math.min(minX, pos[id].x); maxX = Math.max(maxX, pos[id].x); maxY = Math.max(maxY, pos[id].y);
    });
    if (minX === Infinity) { minX = 0; maxX = 0; maxY = 0; }
    var step = 110, cols = Math.max(1, Math.floor((maxX - minX) / step) + 1);
    nodes.add(missing.map(function (n, i) {
      var copy = {};
      Object.keys(n).forEach(function (k) { copy[k] = n[k]; });
      copy.x = minX + (i % cols) * step;
      copy.y = maxY + 140 + Math.floor(i / cols) * 70;
      return copy;
    }));
    applyFilter();
  }
  if (isoBox) {
    isoBox.addEventListener("change", function () { showIsolated(isoBox.checked); network.fit(); });
  }

  var search = document.getElementById("kg-search");
  function find(q) {
    q = q.trim();
    if (!q) { return []; }
    var visible = rawNodes.filter(function (n) { return !hidden[n.kgCore]; });  // isolated ones included
    var exact = visible.filter(function (n) { return n.kgLabel === q || n.kgAliases.indexOf(q) >= 0; });
    if (exact.length) { return exact; }
    return visible.filter(function (n) {
      return n.kgLabel.indexOf(q) >= 0 || n.kgAliases.some(function (a) { return a.indexOf(q) >= 0; });
    });
  }
  function go() {
    var hits = find(search.value);
    if (!hits.length) { status.textContent = "未找到 not found: " + search.value; return; }
    var ids = hits.map(function (n) { return n.id; });
    if (hits.some(function (n) { return n.kgIsolated; })) { showIsolated(true); }
    network.selectNodes(ids);
    if (ids.length === 1) {
      network.focus(ids[0], {scale: 1.3, animation: {duration: 400}});
    } else {
      network.fit({nodes: ids, animation: {duration: 400}});
    }
    showNode(ids[0]);
    status.textContent = hits.length + " 个匹配 match(es)";
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { go(); } });
  document.getElementById("kg-go").addEventListener("click", go);
  document.getElementById("kg-reset").addEventListener("click", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-kg-core]"), function (cb) {
      cb.checked = true;
    });
    applyFilter();
    network.unselectAll();
    network.fit({animation: {duration: 300}});
    status.textContent = "";
  });
  // deep link: page.html#find=LABEL selects that entity and shows its evidence
  function fromHash() {
    var h = window.location.hash;
    if (h.indexOf("#find=") !== 0) { return; }
    try { search.value = decodeURIComponent(h.slice(6)); } catch (err) { return; }
    go();
  }
  window.addEventListener("hashchange", fromHash);
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); } else if (p.edges.length) { showEdge(p.edges[0]); }
  });

  var settled = false, measured = false;
  function settle() {
    if (settled) { return; }
    settled = true;
    network.setOptions({physics: {enabled: false}});
    status.textContent = "";
    mark("stable", "1");
    network.fit({animation: false});
    network.redraw();  // synchronous: the afterDrawing handler below measures the canvas
    fromHash();  // once the layout is done
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "布局中 laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  network.on("afterDrawing", function () {
    if (!settled || measured) { return; }
    measured = true;
    var canvas = container.querySelector("canvas");
    var ink = 0;
    try {
      var px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      for (var i = 3; i < px.length; i += 16) { if (px[i] > 0) { ink += 1; } }
    } catch (err) { ink = -1; }
    mark("ink", ink);
    mark("drawn", "1");
  });
}());
</script>
</body>
</html>
""".replace("FONTFACE", FONT_FACE)


@dataclass
class View:
    """The part of the graph a page shows."""

    nodes: list  # node ids (IRIs), sorted
    edges: list  # (u, v, key), sorted
    title: str
    notice: str = ""
    focus: tuple = ()
    description: str = "whole graph"


# ---------------------------------------------------------------- selection
def _suggest(query: str, nxg) -> list[str]:
    names = sorted({d["label"] for _, d in nxg.nodes(data=True)}
                   | {a for _, d in nxg.nodes(data=True) for a in d["aliases"]})
    near = difflib.get_close_matches(query, names, n=5, cutoff=0.5)
    within = [x for x in names if query and (query in x or x in query)]
    out: list[str] = []
    for x in near + sorted(within, key=lambda s: (abs(len(s) - len(query)), s)):
        if x not in out:
            out.append(x)
    return out[:5]


def find_entities(nxg, label: str) -> list[str]:
    """Node ids whose label or alias is ``label``; KgError with suggestions if none."""
    q = label.strip()
    hits = sorted(n for n, d in nxg.nodes(data=True) if d["label"] == q or q in d["aliases"])
    if hits:
        return hits
    suggestions = _suggest(q, nxg)
    hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
    raise KgError(f"no entity labelled {label!r} in the graph{hint}")


def _resolve_types(types: list[str], labels) -> list[str]:
    classes = [c for c in labels.parents if c not in PROVENANCE_CLASSES]
    by_name = {c.lower(): c for c in classes}
    by_name.update({labels.zh[c]: c for c in classes if c in labels.zh})
    out, unknown = [], []
    for t in types:
        t = t.strip()
        if not t:
            continue
        c = by_name.get(t.lower()) or by_name.get(t)
        (out if c else unknown).append(c or t)
    if unknown:
        names = sorted(classes)
        near = sorted({m for u in unknown for m in difflib.get_close_matches(u, names, n=3, cutoff=0.6)})
        hint = f"did you mean: {', '.join(near)}?" if near else f"known: {', '.join(names)}"
        raise KgError(f"unknown class {', '.join(unknown)} in --types ({hint})")
    return out


def _neighbourhood(nxg, centres: list[str], depth: int, allowed: set[str]) -> set[str]:
    seen = set(centres)
    frontier = list(centres)
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for m in list(nxg.successors(n)) + list(nxg.predecessors(n)):
                if m in allowed and m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    return seen


def select_view(nxg, labels, *, focus: str | None = None, depth: int = 1,
                types: list[str] | None = None, article: str | None = None,
                max_nodes: int = MAX_NODES) -> View:
    """Choose the nodes and edges of a view (article -> focus -> types, then the cap)."""
    articles = nxg.graph.get("articles", {})
    nodes = set(nxg.nodes)
    parts = []
    title = "知识图谱 Knowledge graph"
    if article is not None:
        if article not in articles:
            known = ", ".join(sorted(articles)) or "none"
            raise KgError(f"unknown article {article!r} (articles in the graph: {known})")
        nodes = {n for n in nodes if article in nxg.nodes[n]["articles"]}
        title = f"{articles[article]} ({article})"
        parts.append(f"article {article}")
    centres: list[str] = []
    if focus is not None:
        centres = find_entities(nxg, focus)
        nodes = _neighbourhood(nxg, centres, depth, nodes | set(centres))
        title = f"{focus} · 邻域 depth {depth}" + (f" · {article}" if article else "")
        parts.append(f"focus {focus}, depth {depth}")
    if types:
        wanted = _resolve_types(types, labels)
        nodes = {n for n in nodes if n in centres
                 or any(labels.is_subclass(nxg.nodes[n]["cls"], t) for t in wanted)}
        title += " · " + ",".join(wanted)
        parts.append("types " + ",".join(wanted))

    def edge_ok(u, v, data) -> bool:
        if u not in nodes or v not in nodes:
            return False
        if article is None or not data["evidence"]:
            return True
        return any(ev[2] == article for ev in data["evidence"])

    notice = ""
    if len(nodes) > max_nodes:
        deg = dict(nxg.degree(nodes))
        keep = sorted(nodes, key=lambda n: (-deg[n], nxg.nodes[n]["label"], n))[:max_nodes]
        notice = (f"Showing the {max_nodes} most connected of {len(nodes)} entities. To see the rest, "
                  f"narrow the view: kg viz --focus LABEL --depth 1, --types CLASS,... or --article ID.")
        nodes = set(keep) | set(centres)
    edges = sorted((u, v, k) for u, v, k, d in nxg.edges(keys=True, data=True) if edge_ok(u, v, d))
    return View(nodes=sorted(nodes), edges=edges, title=title, notice=notice, focus=tuple(centres),
                description="; ".join(parts) or "whole graph")


# ---------------------------------------------------------------- rendering
def _node_ids(nxg) -> dict[str, str]:
    from .graphnx import local_name

    short = {n: local_name(n) for n in nxg.nodes}
    if len(set(short.values())) != len(short):
        return {n: n for n in nxg.nodes}
    return short


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _json_for_script(obj) -> str:
    """JSON that cannot end a <script> element or open markup."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _legend_html(nxg, view: View, labels, n_isolated: int) -> str:
    counts: dict[str, int] = {}
    for n in view.nodes:
        core = nxg.nodes[n]["core"]
        counts[core] = counts.get(core, 0) + 1
    e = html.escape
    items = []
    for core in sorted(counts, key=lambda c: (-counts[c], c)):
        colour, shape = CLASS_STYLE.get(core, OTHER_STYLE)
        items.append(
            f'<li><label><input type="checkbox" checked data-kg-core="{e(core)}"> '
            f'<span class="kg-sym" style="color:{colour}">{SHAPE_SYMBOL.get(shape, "●")}</span>'
            f'{e(labels.zh_label(core))} {e(core)} <span class="kg-count">{counts[core]}</span></label></li>')
    iso = ""
    if n_isolated:
        # a big view with relations starts without its unrelated entities, which only crowd it
        shown = not (view.edges and len(view.nodes) > ISOLATED_SHOWN_MAX)
        iso = (f'<p><label><input type="checkbox" id="kg-isolated"{" checked" if shown else ""}> '
               f'显示无关系实体 show entities without relations <span class="kg-count">{n_isolated}</span>'
               '</label></p>')
    return ('<section class="kg-legend"><h2>图例 Legend · 按类别筛选 filter by class</h2>'
            f'<ul>{"".join(items)}</ul>{iso}</section>')


@lru_cache(maxsize=1)
def _template_env():
    """Our template, with pyvis's templates folder for the in-line vis-network files."""
    import jinja2
    import pyvis

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.DictLoader({TEMPLATE_NAME: TEMPLATE}),
            jinja2.FileSystemLoader(str(Path(pyvis.__file__).parent / "templates")),
        ]),
        autoescape=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False,
                                         "separators": (",", ":")}
    return env


def render_html(nxg, view: View, labels, *, side_extra: str = "") -> str:
    """The page of a view, as a string."""
    from pyvis.network import Network

    ids = _node_ids(nxg)
    degree = dict(nxg.to_undirected(as_view=True).degree())
    focus = set(view.focus)
    linked = {u for u, _, _ in view.edges} | {v for _, v, _ in view.edges}
    vis_nodes = []
    for n in view.nodes:
        d = nxg.nodes[n]
        colour, shape = CLASS_STYLE.get(d["core"], OTHER_STYLE)
        deg = degree.get(n, 0)
        node = {
            "id": ids[n],
            "label": _short(d["label"]),
            "shape": shape,
            "size": round(min(48.0, 9 + 5 * deg ** 0.5), 2),
            "color": {"background": colour, "border": "#1f2d3d" if n in focus else colour,
                      "highlight": {"background": colour, "border": "#1f2d3d"},
                      "hover": {"background": colour, "border": "#1f2d3d"}},
            "borderWidth": 4 if n in focus else 1,
            "kgLabel": d["label"],
            "kgClass": d["cls"],
            "kgClassZh": labels.zh_label(d["cls"]),
            "kgCore": d["core"],
            "kgAliases": list(d["aliases"]),
            "kgArticles": list(d["articles"]),
            "kgDegree": deg,
            "kgIsolated": n not in linked,
        }
        vis_nodes.append(node)
    vis_edges = []
    parallel: dict[tuple[str, str], int] = {}
    for i, (u, v, k) in enumerate(view.edges):
        d = nxg.edges[u, v, k]
        pair = (min(u, v), max(u, v))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        edge = {
            "id": f"e{i}",
            "from": ids[u],
            "to": ids[v],
            "label": d["label"],
            "kgPred": d["predicate"],
            "kgEvidence": [list(ev) for ev in d["evidence"][:MAX_EVIDENCE]],
            "kgMore": max(0, len(d["evidence"]) - MAX_EVIDENCE),
        }
        if rank:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.25 * rank, 2)}
        vis_edges.append(edge)

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.templateEnv = _template_env()
    net.path = TEMPLATE_NAME
    net.nodes = vis_nodes
    net.edges = vis_edges
    net.node_ids = [n["id"] for n in vis_nodes]
    net.options = json.loads(json.dumps(VIS_OPTIONS))
    if len(vis_edges) > 1000:  # keep dragging and zooming fluid on big views
        net.options["interaction"]["hideEdgesOnDrag"] = True
    page = net.generate_html(name="view.html")

    side = [_legend_html(nxg, view, labels, len(view.nodes) - len(linked & set(view.nodes))),
            '<section><h2>详情 Details</h2><div id="kg-details">'
            '<p class="kg-none">点击节点或关系查看证据 click a node or edge for its evidence</p></div></section>',
            side_extra]
    meta = {"notice": view.notice, "title": view.title}
    for placeholder, value in ((PH_TITLE, html.escape(view.title)), (PH_HEAD, html.escape(view.title)),
                               (PH_SIDE, "\n".join(x for x in side if x)),
                               (PH_META, _json_for_script(meta))):
        if page.count(placeholder) != 1:
            raise KgError(f"internal error: page template placeholder {placeholder} not found once")
        page = page.replace(placeholder, value, 1)
    check_offline(page)
    return page


_REMOTE = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
                     r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+["']?(?:https?:)?//)""",
                     re.IGNORECASE)


def check_offline(page: str) -> None:
    """Refuse a page that would load anything over the network."""
    m = _REMOTE.search(page)
    if m:
        raise KgError(f"internal error: page would load a remote resource near {m.group(0)!r}")
    if "node_modules" in page:
        raise KgError("internal error: page references node_modules")


# ---------------------------------------------------------------- entry points
def _summary(out_path: Path, view: View) -> str:
    line = f"Wrote {out_path}: {len(view.nodes)} entities, {len(view.edges)} relations ({view.description})"
    return line + (f"\n{view.notice}" if view.notice else "")


def render_view(graph_path, out_path, focus=None, depth=1, types=None, article=None) -> str:
    """``kg viz``: write one view of the graph file to ``out_path``; return a summary."""
    from .fileio import atomic_write, load_graph
    from .graphnx import ontology_labels, to_networkx

    graph = load_graph(graph_path)
    labels = ontology_labels()
    nxg = to_networkx(graph, labels)
    view = select_view(nxg, labels, focus=focus, depth=depth, types=types, article=article)
    side = ""
    if focus is None and article is None and not types:
        from .stats import compute, render_html as stats_html

        side = stats_html(compute(graph, nxg, labels))
    atomic_write(Path(out_path), render_html(nxg, view, labels, side_extra=side))
    return _summary(Path(out_path), view)


def write_pages(graph, out_dir: Path) -> list[Path]:
    """Write ``out_dir/graph.html`` and ``out_dir/articles/<id>.html``; return the paths."""
    from .fileio import atomic_write
    from .graphnx import ontology_labels, to_networkx
    from .resolve import safe_id
    from .stats import compute, render_html as stats_html

    out_dir = Path(out_dir)
    labels = ontology_labels()
    nxg = to_networkx(graph, labels)
    articles = nxg.graph.get("articles", {})
    e = html.escape
    links = "".join(f'<li><a href="articles/{e(safe_id(a))}.html">{e(articles[a])}</a> ({e(a)})</li>'
                    for a in sorted(articles))
    side = stats_html(compute(graph, nxg, labels))
    if links:
        side = f'<section class="kg-links"><h2>文章 Articles</h2><ul>{links}</ul></section>\n' + side
    written = []
    path = out_dir / "graph.html"
    atomic_write(path, render_html(nxg, select_view(nxg, labels), labels, side_extra=side))
    written.append(path)
    for a in sorted(articles):
        path = out_dir / "articles" / f"{safe_id(a)}.html"
        back = ('<section class="kg-links"><h2>文章 Article</h2>'
                f'<p>{e(articles[a])} ({e(a)})</p><p><a href="../graph.html">← 全图 whole graph</a></p></section>')
        atomic_write(path, render_html(nxg, select_view(nxg, labels, article=a), labels, side_extra=back))
        written.append(path)
    return written


# ---------------------------------------------------------------- headless browser
# The flags the browser test and the README screenshot both use.
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
VIRTUAL_TIME_MS = 5000


def find_chromium() -> str | None:
    """Path of a Chromium binary, or None."""
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def browser_command(chromium: str, url: str, profile_dir: str | Path, *extra: str) -> list[str]:
    """A headless Chromium command line opening ``url`` with a fresh profile."""
    return [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile_dir}",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}", *extra, url]


def screenshot(html_path: str | Path, png_path: str | Path, *, width: int = 1280, height: int = 800,
               chromium: str | None = None, timeout: float = 180) -> Path:
    """Render a page in headless Chromium (same flags as the browser test) to a PNG."""
    import subprocess
    import tempfile

    from .fileio import atomic_write

    chromium = chromium or find_chromium()
    if not chromium:
        raise KgError("chromium not found: install it (Debian: apt-get install chromium fonts-noto-cjk)")
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise KgError(f"page not found: {html_path}")
    with tempfile.TemporaryDirectory(prefix="kg-shot-") as tmp:
        shot = Path(tmp) / "shot.png"
        cmd = browser_command(chromium, html_path.as_uri(), Path(tmp) / "profile",
                              f"--window-size={width},{height}", "--hide-scrollbars",
                              f"--screenshot={shot}")
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise KgError(f"chromium failed on {html_path}: {e}") from e
        if not shot.is_file():
            raise KgError(f"chromium wrote no screenshot of {html_path}")
        atomic_write(Path(png_path), shot.read_bytes())
    return Path(png_path)
