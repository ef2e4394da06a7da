"""The cost of the pages (issue 16): build time, output size, a 10,000-entity graph.

Usage: python bench/pages_bench.py [--sizes 1,10,100] [--repeat 3] [--entities 10000]
                                   [--shot docs/graph-10k.png]

* build time: ``kg build --no-cache`` against ``kg build --no-cache --no-pages`` on
  corpora of 1x, 10x, 100x the bundled articles (``bench/build_bench.py`` makes them),
  each in a fresh interpreter, the two alternating; target: ratio <= 1.3;
* output size: the output folder but kg.ttl; target <= 3 MB + 10 KB per article;
* a graph of N entities (about 1.5 N relations, preferential attachment, fixed seed)
  written as a build writes its pages, opened in headless Chromium (the browser
  test's flags, no network): the page marks itself stable once the layout of its
  first view is done and physics is off (``data-kg-stable-ms``: the page's clock at
  that moment); the wall time of the whole browser run is printed beside it.
  Target: stable in under 10 s. A screenshot goes to ``--shot``.

Figures are medians of ``--repeat`` runs, with the spread (min-max).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from build_bench import write_corpus  # noqa: E402

TARGET_RATIO, BASE_MB, PER_ARTICLE_KB, TARGET_STABLE_S = 1.3, 3.0, 10.0, 10.0


def med(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}-{max(xs):.2f})"


def build(corpus: Path, out: Path, pages: bool) -> float:
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--no-cache"]
    if not pages:
        cmd.append("--no-pages")
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def folder_size(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and p.name != "kg.ttl")


def synthetic_records(n: int, seed: int = 0):
    """``n`` entities and about 1.5 n relations, as the pipeline hands them to the pages."""
    from kg.model import Article, Entity, Mention, Relation, Sentence

    rng = random.Random(seed)
    classes = ["Bank", "Company", "Platform", "Problem", "Remedy", "City", "Concept", "Technology"]
    preds = {"Bank": "offers", "Company": "uses", "Platform": "addresses", "Remedy": "addresses",
             "City": "locatedIn", "Problem": "causes", "Concept": "enables", "Technology": "enables"}
    texts = [f"合成句子{i}。" for i in range(50)]
    sents, pos = [], 0
    for i, t in enumerate(texts):
        sents.append(Sentence("synthetic", i, pos, pos + len(t), t))
        pos += len(t)
    article = Article(id="synthetic", text="".join(texts), sentences=tuple(sents), title="synthetic")
    ents = []
    for i in range(n):
        cls, label = classes[i % len(classes)], f"实体{i}"
        m = Mention("synthetic", i % 50, 0, 0, "", label, cls, "bench.entity")
        ents.append(Entity(key=f"{cls.lower()}-{i:06d}", cls=cls, label=label, mentions=[m]))
    rels, targets = [], [0]
    for i in range(1, n):
        for _ in range(1 if rng.random() < 0.5 else 2):
            j = rng.choice(targets)
            s, o = ents[i], ents[j]
            p = preds[s.cls]
            rels.append((s, p, o, Relation(s.mentions[0], p, o.mentions[0], "bench.rel", "synthetic", i % 50)))
            targets += [i, j]
    return [article], ents, rels


def open_big(page: Path, chromium: str, tmp: Path, n: int) -> tuple[float, float, str]:
    from kg.viz import browser_command

    cmd = browser_command(chromium, page.resolve().as_uri(), tmp / f"profile-{n}", "--window-size=1280,800",
                          "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--dump-dom")
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, timeout=300, check=False)
    wall = time.perf_counter() - t
    head = done.stdout.decode("utf-8", "replace")[:3000]

    def attr(name):
        m = re.search(name + r'="([^"]*)"', head)
        return m.group(1) if m else None

    stable = attr("data-kg-stable-ms")
    info = f"shown {attr('data-kg-nodes')} of {attr('data-kg-entities')}, label {attr('data-kg-font-px')} px"
    return (float(stable) / 1000 if stable else float("nan")), wall, info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--shot", type=Path, default=ROOT / "docs" / "graph-10k.png")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"medians of {args.repeat} runs (min-max)")
    with tempfile.TemporaryDirectory(prefix="kg-pages-bench-") as tmp:
        tmp = Path(tmp)
        build(write_corpus(tmp / "warm", 1), tmp / "warm-out", False)  # segmenter model cached
        for k in sizes:
            corpus = write_corpus(tmp / f"c{k}", k)
            arts = len(list(corpus.glob("*.txt")))
            with_pages, without = [], []
            for _ in range(args.repeat):
                without.append(build(corpus, tmp / f"o{k}n", False))
                with_pages.append(build(corpus, tmp / f"o{k}p", True))
            ratio = statistics.median(with_pages) / statistics.median(without)
            size = folder_size(tmp / f"o{k}p")
            limit = BASE_MB * 1e6 + PER_ARTICLE_KB * 1e3 * arts
            print(f"{k:>4}x ({arts} articles): build {med(with_pages)}, --no-pages {med(without)}: "
                  f"ratio {ratio:.2f} (target <= {TARGET_RATIO}) {'OK' if ratio <= TARGET_RATIO else 'MISSED'}; "
                  f"output but kg.ttl {size / 1e6:.2f} MB (limit {limit / 1e6:.2f} MB) "
                  f"{'OK' if size <= limit else 'MISSED'}", flush=True)

        from kg.pages import Records, write_pages
        from kg.viz import find_chromium, screenshot

        t = time.perf_counter()
        paths = write_pages(tmp / "big", Records(*synthetic_records(args.entities)))
        written = time.perf_counter() - t
        page = paths[0]
        chromium = find_chromium()
        if not chromium:
            print("chromium not found: no browser figures")
            return 1
        stable, wall, info = [], [], ""
        for i in range(args.repeat):
            s, w, info = open_big(page, chromium, tmp, i)
            stable.append(s)
            wall.append(w)
        ok = statistics.median(stable) < TARGET_STABLE_S and statistics.median(wall) < TARGET_STABLE_S
        print(f"{args.entities} entities: pages written in {written:.2f} s, graph.html + data "
              f"{(page.stat().st_size + (page.parent / 'assets' / 'graph-data.js').stat().st_size) / 1e6:.2f} MB; "
              f"stable at {med(stable)} on the page's clock, whole browser run {med(wall)}; {info} "
              f"(target < {TARGET_STABLE_S:.0f} s) {'OK' if ok else 'MISSED'}")
        if args.shot:
            screenshot(page, args.shot)
            print(f"screenshot: {args.shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
