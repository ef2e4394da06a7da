"""Wall time of `kg reason --reasoner hermit` on the bundled graph.

Usage: python bench/hermit_bench.py [--graph FILE] [--runs N]

Prints each run and the median (fresh `kg` processes; Java and owlready2 as in
the `[dl]` extra). Target: median under 10 s on the bundled graph. This was a
timed test until session 13; a timing belongs here, where a busy machine makes
a figure slow rather than a test red.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 10.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=ROOT / "outputs" / "kg.ttl")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "kg.cli", "reason", "--reasoner", "hermit", "--graph", str(args.graph)]
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            print(f"kg reason --reasoner hermit failed: {(done.stderr or done.stdout).strip()}")
            return 1
    median = statistics.median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    verdict = "OK" if median < TARGET else "MISSED"
    print(f"HermiT on {args.graph.name}: median {median:.2f} s of {args.runs} runs ({runs}) "
          f"(target < {TARGET:.0f} s) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
