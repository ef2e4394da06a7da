"""Figures for docs/scale.md (issue 19): kg build on a Dask cluster, shards, Oxigraph load.

Usage: python bench/cluster_bench.py [--articles 200] [--big 1000] [--repeat 3]

A scheduler and ``dask worker --nworkers K --nthreads 1`` run as separate processes on
127.0.0.1 (K = 1, then 2). On a corpus of ``--articles`` articles (the bundled ones copied
under distinct ids, as bench/build_bench.py does) each K runs ``kg build --cluster
--no-cache --no-pages`` ``--repeat`` times: wall time, articles per second per worker,
peak memory of each worker process and of the client (which merges). Then the ``--big``
corpus is built once on K = 2 with ``--shards``: shard sizes, and ``oxigraph load`` of the
shards into a fresh store, ``--repeat`` times. Medians, with the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import write_corpus  # noqa: E402

BIN = Path(sys.executable).parent


def start_cluster(base: Path, workers: int):
    info = base / f"scheduler-{workers}.json"
    env = {**os.environ, "DASK_LOGGING__DISTRIBUTED": "error"}
    sched = subprocess.Popen([BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                              "--no-dashboard", "--scheduler-file", info],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                             start_new_session=True)
    while not info.exists():
        time.sleep(0.1)
    time.sleep(0.2)
    address = json.loads(info.read_text())["address"]
    work = subprocess.Popen([BIN / "dask", "worker", address, "--nworkers", str(workers),
                             "--nthreads", "1", "--no-dashboard",
                             "--local-directory", base / "dask-workers"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    from distributed import Client

    client = Client(address, timeout=30, set_as_default=False)
    client.wait_for_workers(workers, timeout=60)
    return address, client, [work, sched]


def stop(procs) -> None:
    import signal

    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def worker_peaks_mb(client) -> list[float]:
    def peak():
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    return sorted(client.run(peak).values())


def timed_build(args: list) -> tuple[float, float, str]:
    """(seconds, peak MB of the kg process, its output)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([BIN / "kg", "build", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"kg build {' '.join(map(str, args))} failed:\n{out}")
    return seconds, usage.ru_maxrss / 1024, out


def med(xs):
    return f"{statistics.median(xs):.2f} (spread {min(xs):.2f}-{max(xs):.2f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--big", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="kg-cluster-bench-"))
    os.environ["KG_CACHE_DIR"] = str(base / "cache")
    try:
        small = write_corpus(base / "small", args.articles // 2)
        big = write_corpus(base / "big", args.big // 2)
        chars = sum(len(p.read_text("utf-8")) for p in small.glob("*.txt"))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.articles} articles, "
              f"{chars:,} characters of source; median of {args.repeat} runs", flush=True)
        timed_build([small, "--out", base / "warm", "--no-pages", "--no-cache"])  # warms jieba's cache
        for k in (1, 2):
            address, client, procs = start_cluster(base, k)
            try:
                runs, peaks = [], []
                for _ in range(args.repeat):
                    s, mb, _ = timed_build([small, "--out", base / f"out{k}", "--no-cache",
                                            "--no-pages", "--cluster", address])
                    runs.append(s)
                    peaks.append(mb)
                rate = [args.articles / s / k for s in runs]
                print(f"K={k} workers: build {med(runs)} s; {statistics.median(rate):.1f} "
                      f"articles/s per worker; client peak {statistics.median(peaks):.0f} MB; "
                      f"worker peaks {', '.join(f'{x:.0f}' for x in worker_peaks_mb(client))} MB",
                      flush=True)
                if k == 2:
                    s, mb, out = timed_build([big, "--shards", base / "shards",
                                              "--cluster", address])
                    print(f"{args.big} articles with --shards on K=2: {s:.1f} s, client peak "
                          f"{mb:.0f} MB; {out.splitlines()[0]}", flush=True)
            finally:
                client.close()
                stop(procs)
        shards = sorted((base / "shards").glob("kg-*.nt"))
        sizes = [p.stat().st_size for p in shards]
        lines = [sum(1 for _ in open(p, "rb")) for p in shards]
        print(f"shards: {len(shards)}, {sum(sizes) / 1e6:.1f} MB and {sum(lines):,} triples in "
              f"all; per shard {min(sizes) / 1e6:.1f}-{max(sizes) / 1e6:.1f} MB, "
              f"{sum(sizes) / sum(lines):.0f} bytes per triple")
        loads = []
        for i in range(args.repeat):
            store = base / f"store{i}"
            t0 = time.perf_counter()
            subprocess.run([BIN / "oxigraph", "load", "--location", store, "--file", *shards],
                           check=True, capture_output=True)
            loads.append(time.perf_counter() - t0)
            du = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
            shutil.rmtree(store)
        print(f"oxigraph load of the shards: {med(loads)} s "
              f"({sum(lines) / statistics.median(loads):,.0f} triples/s); store {du / 1e6:.0f} MB")
        s, mb, _ = timed_build([big, "--shards", base / "shards-cached"])
        print(f"{args.big} articles --shards from the cache (merge and write only): {s:.1f} s, "
              f"peak {mb:.0f} MB")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
