"""How big a graph can a page take? Synthetic graphs -> page -> headless Chromium.

    python bench/viz_scale.py [N ...]        (default: 200 1000 2000 3000 5000)

For each N: builds a graph of N entities and about 1.5 N relations (fixed seed,
preferential attachment) with kg.rdf.build_graph, renders the whole-graph page
(kg.viz, the cap MAX_NODES applies), opens it in headless Chromium with the
browser test's flags and a generous virtual-time budget, and reports the page
size, the time to render it in Python, the wall time until Chromium returned the
DOM, and whether the page marked itself stable (physics off) and drawn.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.model import Article, Entity, Mention, Relation, Sentence
from kg.rdf import build_graph
from kg.viz import browser_command, find_chromium

CLASSES = ["Bank", "Company", "Platform", "Problem", "Remedy", "City", "Concept", "Technology"]
PREDICATES = {"Bank": "offers", "Company": "uses", "Platform": "addresses", "Remedy": "addresses",
              "City": "locatedIn", "Problem": "causes", "Concept": "enables", "Technology": "enables"}


def synthetic_graph(n: int, seed: int = 0):
    rng = random.Random(seed)
    text = "合成句子。"
    sentences = tuple(Sentence("synthetic", i, 0, len(text), text) for i in range(50))
    article = Article(id="synthetic", text=text, sentences=sentences, title="synthetic")
    ents = []
    for i in range(n):
        cls = CLASSES[i % len(CLASSES)]
        label = f"实体{i}"
        m = Mention("synthetic", i % 50, 0, len(label), label, label, cls, "bench.entity")
        ents.append(Entity(key=f"{cls.lower()}-{i:06d}", cls=cls, label=label, mentions=[m]))
    rels, targets = [], [0]
    for i in range(1, n):
        for _ in range(1 if rng.random() < 0.5 else 2):
            j = rng.choice(targets)
            s, o = ents[i], ents[j]
            p = PREDICATES[s.cls]
            rels.append((s, p, o, Relation(s.mentions[0], p, o.mentions[0], "bench.rel", "synthetic", i % 50)))
            targets += [i, j]
    return build_graph([article], ents, rels), len(rels)


def measure(n: int, chromium: str, budget_ms: int = 60000) -> str:
    from kg.graphnx import ontology_labels, to_networkx
    from kg.viz import render_html, select_view

    graph, n_rel = synthetic_graph(n)
    t0 = time.perf_counter()
    labels = ontology_labels()
    nxg = to_networkx(graph, labels)
    view = select_view(nxg, labels)
    page = render_html(nxg, view, labels)
    t_render = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        cmd = browser_command(chromium, path.as_uri(), Path(tmp) / "profile", "--dump-dom")
        cmd = [c if not c.startswith("--virtual-time-budget") else f"--virtual-time-budget={budget_ms}"
               for c in cmd]
        t1 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, timeout=600, check=False)
        t_browser = time.perf_counter() - t1
    dom = done.stdout.decode("utf-8", "replace")
    head = dom[:2000]

    def attr(name):
        m = re.search(name + r'="([^"]*)"', head)
        return m.group(1) if m else "-"

    return (f"{n:>6} entities {n_rel:>6} relations | shown {len(view.nodes):>5} | page {len(page) / 1e6:5.2f} MB"
            f" | python {t_render:5.1f} s | chromium {t_browser:5.1f} s | stable {attr('data-kg-stable')}"
            f" drawn {attr('data-kg-drawn')} errors {attr('data-kg-errors')}")


def main(argv: list[str]) -> int:
    chromium = find_chromium()
    if not chromium:
        print("chromium not found", file=sys.stderr)
        return 1
    for n in [int(a) for a in argv] or [200, 1000, 2000, 3000, 5000]:
        print(measure(n, chromium), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
