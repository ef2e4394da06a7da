"""Cold start-up cost of `kg query` against `python -c "import rdflib"`.

Usage: python bench/query_startup.py [--graph FILE] [--runs N] [--query NAME]

Each figure is the median wall time of N fresh interpreters (nothing is
cached between runs except the OS file cache). The target (issue 5) is a cold
`kg query` over the seed graph costing at most about 1.5x `import rdflib`.
The graph defaults to outputs/kg.ttl, or tests/data/mini.ttl if it is absent.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--query", default="evidence", help="canned query to run")
    args = ap.parse_args()
    graph = args.graph or (ROOT / "outputs" / "kg.ttl")
    if not graph.is_file():
        graph = ROOT / "tests" / "data" / "mini.ttl"
    triples = sum(1 for line in graph.read_text(encoding="utf-8").splitlines() if line.strip())

    py = sys.executable
    query = ["query", "--graph", str(graph), args.query]
    rows = [
        ("python -c pass", [py, "-c", "pass"]),
        ('python -c "import rdflib"', [py, "-c", "import rdflib"]),
        (f"python -m kg.cli {' '.join(query)}", [py, "-m", "kg.cli", *query]),
    ]
    script = shutil.which("kg")
    if script:
        rows.append((f"kg {' '.join(query)}  ({script})", [script, *query]))

    print(f"graph: {graph} ({graph.stat().st_size:,} bytes, {triples:,} non-empty lines); "
          f"median of {args.runs} runs; Python {sys.version.split()[0]}")
    results = {}
    for name, cmd in rows:
        results[name] = timed(cmd, args.runs)
        print(f"{results[name]:7.3f} s  {name}")
    base = results['python -c "import rdflib"']
    for name in list(results)[2:]:
        print(f"ratio {results[name] / base:.2f}x import rdflib  ({name.split('  (')[0]})")


if __name__ == "__main__":
    main()
