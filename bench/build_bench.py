"""Throughput, memory, linearity and parallel speed-up of `kg build` (issue 7).

Usage: python bench/build_bench.py [--sizes 1,10,100] [--keep DIR] [--texts DIR] [--profile N]

Corpora of 1x, 10x and 100x the bundled articles (each copy under its own id)
are written to a temporary folder. Every figure comes from a fresh interpreter,
so peak memory (ru_maxrss) belongs to one measurement only:

* build   -- ``kg.pipeline.build(use_cache=False, pages=False)``, i.e.
             ``kg build --no-cache --no-pages``: the whole build as a user runs it
             on a large corpus: loading rules, lexicon and jieba, reading,
             extracting, resolving, writing kg.ttl (and once with the pages);
* raw     -- the same normalised article texts through ``jieba.posseg.lcut``
             (global default tokenizer, HMM on), with its dictionary load.

The ratio is build time / raw time (both from a cold interpreter). Targets:
ratio <= 1.5; time(100x) <= 110 x time(1x); --jobs 2 >= 1.6x faster than
--jobs 1 on the 100x corpus; the middle corpus's text as one article at most 1.5x the time
of the same text as separate articles (work per article stays linear in its length). Each figure is the median of ``--repeat`` runs
(default 3, build and raw alternating), since a shared machine drifts by 10 %
and more from one minute to the next; the spread is printed beside it. ``--profile N`` instead profiles one jobs=1
build of the Nx corpus with cProfile and prints where the time goes. ``--texts DIR`` also
times a folder of distinct real articles: in the repeated corpora every copy after the
first finds the matcher's per-word tables full, so they understate the cost of new words.
The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
TARGET_RATIO, TARGET_LINEAR, TARGET_SPEEDUP = 1.5, 110.0, 1.6
TARGET_LONG = 1.5  # one article of N copies costs at most this times the N copies as articles


# --------------------------------------------------------------------- corpora
def write_corpus(folder: Path, copies: int) -> Path:
    """``copies`` copies of each bundled article, the n-th under id ``<id>_n`` (n > 0)."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(SOURCES.glob("*.txt")):
        text = src.read_text("utf-8")
        base = re.search(r"^# id: *(\S+)", text, re.M).group(1)
        for n in range(copies):
            new_id = base if n == 0 else f"{base}_{n}"
            (folder / f"{new_id}.txt").write_text(
                re.sub(r"^# id: *\S+", f"# id: {new_id}", text, count=1, flags=re.M), "utf-8")
    return folder


def write_long(folder: Path, copies: int) -> Path:
    """One article holding ``copies`` copies of the bundled articles' text: what a build
    does per article must not grow faster than the article (a scan of all of an article's
    mentions per mention once made one long article quadratic)."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = []
    for src in sorted(SOURCES.glob("*.txt")):
        text = src.read_text("utf-8")
        bodies.append(re.sub(r"\A(?:#[^\n]*\n)+", "", text).strip())
    body = "\n\n".join(bodies * copies)
    (folder / "long.txt").write_text(f"# id: long\n# title: long\n\n{body}\n", "utf-8")
    return folder


def write_unpunctuated(folder: Path, copies: int) -> Path:
    """The long article of ``write_long`` with its punctuation and line breaks removed: one
    run of text with no clause or sentence mark (a pasted table, OCR output). Splitting such
    a run into bounded sentences keeps it linear; a scan back to the last clause mark per
    mention once made it quadratic (27,000 characters: 27 s)."""
    long = write_long(folder.with_name(folder.name + "-src"), copies) / "long.txt"
    head, body = long.read_text("utf-8").split("\n\n", 1)
    body = re.sub(r"[，。；：！？、“”‘’《》（）—…\s]", "", body)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "flat.txt").write_text(f"# id: flat\n# title: flat\n\n{body}\n", "utf-8")
    return folder


# ---------------------------------------------------------- worker processes
def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def worker_build(corpus: Path, out: Path, jobs: int, pages: bool) -> dict:
    from kg import pipeline

    stages: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                stages[name] = stages.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    # pipeline.build looks these names up at call time: time each stage.
    pipeline.load_extractor = timed("load rules+lexicon", pipeline.load_extractor)
    pipeline.extract_sources = timed("read+extract", pipeline.extract_sources)
    pipeline.resolve_extractions = timed("resolve", pipeline.resolve_extractions)
    pipeline.graph_and_turtle = timed("graph+turtle", pipeline.graph_and_turtle)
    pipeline.write_outputs = timed("write outputs", pipeline.write_outputs)
    c0, t0 = _cpu(), time.perf_counter()
    summary = pipeline.build([corpus], out_dir=out, jobs=jobs, use_cache=False, pages=pages)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    own, kids = _peak_mb()
    return {"seconds": seconds, "cpu": cpu, "chars": summary.characters, "articles": summary.articles,
            "triples": summary.triples, "peak_mb": own, "peak_child_mb": kids, "stages": stages}


def worker_raw(corpus: Path) -> dict:
    from kg.sources import read_sources

    texts = [a.text for a in read_sources([corpus])]
    c0, t0 = _cpu(), time.perf_counter()
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    t1 = time.perf_counter()
    tokens = 0
    for text in texts:
        tokens += len(jieba.posseg.lcut(text))
    t2 = time.perf_counter()
    cpu = _cpu() - c0
    own, _ = _peak_mb()
    return {"load": t1 - t0, "cut": t2 - t1, "seconds": t2 - t0, "cpu": cpu, "chars": sum(map(len, texts)),
            "tokens": tokens, "peak_mb": own}


def run_worker(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"worker {' '.join(args)} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def profile(corpus: Path, out: Path, top: int = 30) -> None:
    import cProfile
    import pstats
    from collections import defaultdict

    from kg import pipeline

    prof = cProfile.Profile()
    prof.enable()
    pipeline.build([corpus], out_dir=out, jobs=1, use_cache=False, pages=False)
    prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())
    # own time grouped by module: where the CPU goes
    by_module: dict[str, float] = defaultdict(float)
    for (file, _, _), (_, _, tottime, _, _) in stats.stats.items():
        m = re.search(r"/(kg/[\w/]+\.py|jieba/[\w/]+\.py|rdflib/[\w/]+\.py)$", file)
        key = m.group(1) if m else ("<builtins>" if file == "~" else "other: " + Path(file).name)
        by_module[key] += tottime
    print(f"\nOwn time by module (total {total:.1f} s of profiled CPU):")
    for key, t in sorted(by_module.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {t:7.2f} s  {100 * t / total:5.1f} %  {key}")
    print(f"\nTop {top} functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)


# ----------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--keep", type=Path, default=None, help="write the corpora here and keep them")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is shown)")
    ap.add_argument("--texts", type=Path, default=None, metavar="DIR",
                    help="also time a folder of distinct real articles (in the repeated "
                         "corpora every copy after the first finds the matcher's tables full)")
    ap.add_argument("--profile", type=int, default=None, metavar="N",
                    help="profile a jobs=1 build of the Nx corpus instead")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        kind, *rest = args.worker
        if kind == "build":
            result = worker_build(Path(rest[0]), Path(rest[1]), int(rest[2]), rest[3] == "1")
        else:
            result = worker_raw(Path(rest[0]))
        print(json.dumps(result))
        return

    base = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    os.environ.setdefault("KG_CACHE_DIR", str(base / "cache"))  # jieba's dictionary cache
    try:
        if args.profile:
            profile(write_corpus(base / f"corpus-{args.profile}x", args.profile), base / "out-prof")
            return
        bench(base, [int(s) for s in args.sizes.split(",")], max(1, args.repeat), args.texts)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def median_run(runs: list[dict]) -> dict:
    """The run of median time, with the spread of all runs."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    out = dict(ordered[len(ordered) // 2])
    out["spread"] = (ordered[0]["seconds"], ordered[-1]["seconds"])
    return out


def bench(base: Path, sizes: list[int], repeat: int = 3, texts: Path | None = None) -> None:
    corpora = {k: write_corpus(base / f"corpus-{k}x", k) for k in sizes}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"median of {repeat} runs per figure", flush=True)
    run_worker("build", str(corpora[sizes[0]]), str(base / "warm"), "1", "0")  # warm caches
    raw, build = {}, {}
    big = max(sizes)
    jobs2_runs: list[dict] = []
    for k in sizes:
        raw_runs, build_runs = [], []
        for _ in range(repeat):
            raw_runs.append(run_worker("raw", str(corpora[k])))
            build_runs.append(run_worker("build", str(corpora[k]), str(base / f"out-{k}x"), "1", "0"))
            if k == big:  # --jobs 2 alternates with --jobs 1 on the same corpus
                jobs2_runs.append(run_worker("build", str(corpora[big]), str(base / "out-jobs2"), "2", "0"))
        raw[k], build[k] = median_run(raw_runs), median_run(build_runs)
        print(f"  measured {k}x: build {build[k]['seconds']:.1f} s, raw {raw[k]['seconds']:.1f} s",
              file=sys.stderr, flush=True)
    pages = run_worker("build", str(corpora[sizes[0]]), str(base / "out-pages"), "1", "1")
    jobs2 = median_run(jobs2_runs)
    same = (base / f"out-{big}x" / "kg.ttl").read_bytes() == (base / "out-jobs2" / "kg.ttl").read_bytes()

    print()
    head = (f"{'corpus':>6} {'articles':>8} {'chars':>9} {'triples':>9} | {'build s':>8} "
            f"{'chars/s':>8} {'peak MB':>8} | {'posseg s':>8} {'(load+cut)':>12} {'chars/s':>8} "
            f"{'peak MB':>8} | {'ratio':>5} {'CPU s build/raw':>16} {'ratio':>5}")
    print(head)
    print("-" * len(head))
    for k in sizes:
        b, r = build[k], raw[k]
        print(f"{str(k) + 'x':>6} {b['articles']:>8} {b['chars']:>9,} {b['triples']:>9,} | "
              f"{b['seconds']:>8.2f} {b['chars'] / b['seconds']:>8,.0f} {b['peak_mb']:>8.0f} | "
              f"{r['seconds']:>8.2f} {r['load']:>5.2f}+{r['cut']:<6.2f} "
              f"{r['chars'] / r['seconds']:>8,.0f} {r['peak_mb']:>8.0f} | "
              f"{b['seconds'] / r['seconds']:>5.2f} {b['cpu']:>7.2f}/{r['cpu']:<8.2f} "
              f"{b['cpu'] / r['cpu']:>5.2f}")
    print("spread (min-max s): " + "; ".join(
        f"{k}x build {build[k]['spread'][0]:.2f}-{build[k]['spread'][1]:.2f}, "
        f"raw {raw[k]['spread'][0]:.2f}-{raw[k]['spread'][1]:.2f}" for k in sizes)
        + f"; {big}x --jobs 2 {jobs2['spread'][0]:.2f}-{jobs2['spread'][1]:.2f}")
    print()
    b1 = build[sizes[0]]
    print(f"1x with pages (graph.html + article pages): {pages['seconds']:.2f} s "
          f"({pages['seconds'] - b1['seconds']:+.2f} s), peak {pages['peak_mb']:.0f} MB")
    lin = build[big]["seconds"] / b1["seconds"]
    print(f"linearity: time {big}x / time {sizes[0]}x = {lin:.1f} for {big // sizes[0]}x the text "
          f"(target <= {TARGET_LINEAR * big / 100 / sizes[0]:.0f}) "
          f"{'OK' if lin <= TARGET_LINEAR * big / 100 / sizes[0] else 'MISSED'}")
    sp = build[big]["seconds"] / jobs2["seconds"]
    print(f"--jobs 2 on {big}x: {jobs2['seconds']:.2f} s vs {build[big]['seconds']:.2f} s = "
          f"{sp:.2f}x speed-up (target >= {TARGET_SPEEDUP}) {'OK' if sp >= TARGET_SPEEDUP else 'MISSED'}; "
          f"peak {jobs2['peak_mb']:.0f} MB parent, {jobs2['peak_child_mb']:.0f} MB largest worker; "
          f"kg.ttl ({jobs2['triples']:,} triples) {'identical' if same else 'DIFFERENT'} to --jobs 1")
    if not same:
        print("  (if kg/ or ontology/ changed during the run, rerun on a frozen copy: "
              "PYTHONPATH=COPY python COPY/bench/build_bench.py)")
    worst = max(build[k]["seconds"] / raw[k]["seconds"] for k in sizes)
    print(f"ratio build / raw posseg (wall): worst {worst:.2f} (target <= {TARGET_RATIO}) "
          f"{'OK' if worst <= TARGET_RATIO else 'MISSED'}")
    if texts is not None:
        raw_runs, build_runs = [], []
        for _ in range(repeat):
            raw_runs.append(run_worker("raw", str(texts)))
            build_runs.append(run_worker("build", str(texts), str(base / "out-texts"), "1", "0"))
        r, b = median_run(raw_runs), median_run(build_runs)
        ratio = b["seconds"] / r["seconds"]
        print(f"varied texts ({texts}: {b['articles']} distinct articles, {b['chars']:,} chars): "
              f"build {b['seconds']:.2f} s ({b['spread'][0]:.2f}-{b['spread'][1]:.2f}), raw posseg "
              f"{r['seconds']:.2f} s ({r['spread'][0]:.2f}-{r['spread'][1]:.2f}): ratio {ratio:.2f} "
              f"(target <= {TARGET_RATIO}) {'OK' if ratio <= TARGET_RATIO else 'MISSED'}")
    mid = sorted(sizes)[len(sizes) // 2]
    if mid > 1:  # the same text as one article: per-article passes stay linear
        long_runs = [run_worker("build", str(write_long(base / f"long-{mid}x", mid)),
                                str(base / "out-long"), "1", "0") for _ in range(repeat)]
        lg = median_run(long_runs)
        ratio = lg["seconds"] / build[mid]["seconds"]
        print(f"one article of {mid}x the text ({lg['chars']:,} chars): {lg['seconds']:.2f} s "
              f"({lg['spread'][0]:.2f}-{lg['spread'][1]:.2f}) vs {build[mid]['seconds']:.2f} s as "
              f"{build[mid]['articles']} articles: {ratio:.2f}x (target <= {TARGET_LONG}) "
              f"{'OK' if ratio <= TARGET_LONG else 'MISSED'}")
        flat_runs = [run_worker("build", str(write_unpunctuated(base / f"flat-{mid}x", mid)),
                                str(base / "out-flat"), "1", "0") for _ in range(repeat)]
        fl = median_run(flat_runs)
        ratio = fl["seconds"] / lg["seconds"]
        print(f"the same article without punctuation ({fl['chars']:,} chars on one line): "
              f"{fl['seconds']:.2f} s ({fl['spread'][0]:.2f}-{fl['spread'][1]:.2f}) vs "
              f"{lg['seconds']:.2f} s punctuated: {ratio:.2f}x (target <= {TARGET_LONG}) "
              f"{'OK' if ratio <= TARGET_LONG else 'MISSED'}")
    worst_cpu = max(build[k]["cpu"] / raw[k]["cpu"] for k in sizes)
    print(f"ratio build / raw posseg (CPU time, less sensitive to a busy machine): worst "
          f"{worst_cpu:.2f} {'OK' if worst_cpu <= TARGET_RATIO else 'MISSED'}")
    lin_cpu = build[big]["cpu"] / b1["cpu"]
    print(f"linearity in CPU time: {lin_cpu:.1f}; CPU of --jobs 2 on {big}x: {jobs2['cpu']:.1f} s "
          f"vs {build[big]['cpu']:.1f} s with --jobs 1")
    print("\nStages of the jobs=1 builds (seconds):")
    names = list(dict.fromkeys(n for run in [*build.values(), jobs2] for n in run["stages"]))
    print(f"{'corpus':>6} " + " ".join(f"{n:>26}" for n in names))
    for k in sizes:
        print(f"{str(k) + 'x':>6} " + " ".join(f"{build[k]['stages'].get(n, 0):>26.2f}" for n in names))
    print(f"{big}x j2 " + " ".join(f"{jobs2['stages'].get(n, 0):>26.2f}" for n in names))
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
