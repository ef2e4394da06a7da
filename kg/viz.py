"""``kg viz``: one self-contained, offline HTML view of a graph file.

The view (the whole graph, or the neighbourhood of an entity, some classes or one
article) is chosen here over the networkx form of the graph (``select_view``) and
drawn by ``kg.pages``, which also writes the build's pages from its records. A
view page carries every resource in line and references nothing over the network,
so it opens from ``file://`` offline.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .errors import KgError, counted
from .fileio import atomic_write, load_graph
from .graphnx import PROVENANCE_CLASSES, is_entity, ontology_labels, to_networkx
from .pages import CLASS_STYLE, OTHER_STYLE  # noqa: F401  (re-exported: tests and bench)
from .pages import graph_of_view, render_graph_page
from .stats import compute, render_html as stats_html

MAX_NODES = 2500  # larger views keep the most connected entities and say how to focus

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
        if article is not None:
            inside = [n for n in centres if n in nodes]
            if not inside:
                elsewhere = sorted({a for n in centres for a in nxg.nodes[n]["articles"]})
                raise KgError(f"{focus!r} is not mentioned in article {article!r} (it is in: "
                              f"{', '.join(elsewhere) or 'no article'}); drop --article or "
                              "focus on an entity of that article")
            centres = inside
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


# ---------------------------------------------------------------- entry point
def _summary(out_path: Path, view: View, entities: int) -> str:
    line = (f"Wrote {out_path}: {counted(entities, 'entity')}, "
            f"{counted(len(view.edges), 'relation')} ({view.description})")
    return line + (f"\n{view.notice}" if view.notice else "")


def render_view(graph_path, out_path, focus=None, depth=1, types=None, article=None) -> str:
    """``kg viz``: write one view of the graph file to ``out_path``; return a summary."""
    graph = load_graph(graph_path)
    labels = ontology_labels()
    nxg = to_networkx(graph, labels)
    view = select_view(nxg, labels, focus=focus, depth=depth, types=types, article=article)
    side = ""
    if focus is None and article is None and not types:
        side = stats_html(compute(graph, nxg, labels))
    page = render_graph_page(graph_of_view(nxg, view), labels, side=side, single_file=True)
    atomic_write(Path(out_path), page)
    return _summary(Path(out_path), view, sum(is_entity(nxg.nodes[n]) for n in view.nodes))


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
