"""kg build --cluster: extraction on a real Dask cluster (issue 19).

A scheduler and a ``dask worker --nworkers 2`` (two worker processes) run as separate
processes on 127.0.0.1; builds through them must give the bytes of a local build, even
when a worker process is killed mid-build. Dask is in the test extra: these tests run in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
START_S = 60.0


def _bench_module():
    """bench/build_bench.py, whose ``write_corpus`` copies the bundled articles under
    distinct ids (the first copy keeps the original id)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_bench", ROOT / "bench" / "build_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


write_corpus = _bench_module().write_corpus


def _exe(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.fail(f"the `{name}` command (dask[distributed], in the test extra) is missing")
    return exe


def _stop(proc: subprocess.Popen) -> None:
    """End a process we started and the processes it started (its own session)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A Dask scheduler and two single-threaded worker processes on 127.0.0.1: yields
    (address, client connected to it). Stopped even when a test fails."""
    import distributed  # in the test extra

    base = tmp_path_factory.mktemp("dask")
    info = base / "scheduler.json"
    procs = []
    client = None
    env = {**os.environ, "DASK_LOGGING__DISTRIBUTED": "warning",
           "KG_CACHE_DIR": str(base / "worker-cache")}
    try:
        with open(base / "scheduler.log", "wb") as log:
            procs.append(subprocess.Popen(
                [_exe("dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard", "--scheduler-file", str(info)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True))
        deadline = time.monotonic() + START_S
        while not info.exists() and time.monotonic() < deadline and procs[0].poll() is None:
            time.sleep(0.1)
        time.sleep(0.2)  # the file is complete once written; let the writer finish
        if not info.exists():
            pytest.fail("the Dask scheduler did not start: "
                        + (base / "scheduler.log").read_text("utf-8", "replace"))
        address = json.loads(info.read_text())["address"]
        with open(base / "workers.log", "wb") as log:
            procs.append(subprocess.Popen(
                [_exe("dask"), "worker", address, "--nworkers", "2", "--nthreads", "1",
                 "--no-dashboard", "--local-directory", str(base / "workers")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True))
        client = distributed.Client(address, timeout=30, set_as_default=False)
        client.wait_for_workers(2, timeout=START_S)
        yield address, client
    finally:
        if client is not None:
            client.close()
        for proc in reversed(procs):
            _stop(proc)


def local_build(corpus: Path, out: Path) -> bytes:
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--no-cache",
                                       "--no-pages"])
    assert result.exit_code == 0, result.output
    return (out / "kg.ttl").read_bytes()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A corpus of 8 articles and the kg.ttl of its local build."""
    base = tmp_path_factory.mktemp("small")
    corpus = write_corpus(base / "corpus", 4)
    return corpus, local_build(corpus, base / "local")


def extract_tasks_run(client) -> int:
    """How many kg extraction tasks the scheduler has seen finish."""
    def count(dask_scheduler):
        prefix = dask_scheduler.task_prefixes.get("kg-extract")
        return 0 if prefix is None else sum(
            n for state, n in prefix.state_counts.items() if state in ("memory", "forgotten",
                                                                       "released"))
    return client.run_on_scheduler(count)


def test_cluster_build_equals_local_build(scheduler, small, tmp_path):
    address, client = scheduler
    corpus, expected = small
    before = extract_tasks_run(client)
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path),
                                       "--no-cache", "--no-pages", "--cluster", address])
    assert result.exit_code == 0, result.output
    assert "8 extracted, 0 from cache" in result.output
    assert (tmp_path / "kg.ttl").read_bytes() == expected
    assert extract_tasks_run(client) - before >= 8  # the workers did the extraction


def test_cluster_build_fills_the_local_cache(scheduler, small, tmp_path, monkeypatch):
    address, _ = scheduler
    corpus, expected = small
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    first = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "a"),
                                      "--no-pages", "--cluster", address])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "b"),
                                      "--no-pages"])
    assert again.exit_code == 0, again.output
    assert "0 extracted, 8 from cache" in again.output
    assert (tmp_path / "b" / "kg.ttl").read_bytes() == expected


def test_killed_worker_mid_build_still_gives_the_local_bytes(scheduler, tmp_path):
    address, client = scheduler
    corpus = write_corpus(tmp_path / "corpus", 40)  # 80 articles: several seconds of work
    expected = local_build(corpus, tmp_path / "local")
    pids = client.run(os.getpid)  # worker address -> process id
    victim = sorted(pids.values())[0]
    before = extract_tasks_run(client)
    env = {**os.environ, "DASK_LOGGING__DISTRIBUTED": "warning"}
    with open(tmp_path / "build.log", "wb") as log:
        build = subprocess.Popen(
            [_exe("kg"), "build", str(corpus), "--out", str(tmp_path / "cluster"), "--no-cache",
             "--no-pages", "--cluster", address],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while extract_tasks_run(client) - before < 5 and time.monotonic() < deadline:
            assert build.poll() is None, (tmp_path / "build.log").read_text("utf-8")
            time.sleep(0.05)
        done_at_kill = extract_tasks_run(client) - before
        assert 5 <= done_at_kill < 80 and build.poll() is None  # really mid-build
        os.kill(victim, signal.SIGKILL)
        assert build.wait(timeout=300) == 0, (tmp_path / "build.log").read_text("utf-8")
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    output = (tmp_path / "build.log").read_text("utf-8")
    assert "80 extracted" in output
    assert (tmp_path / "cluster" / "kg.ttl").read_bytes() == expected
    assert victim not in client.run(os.getpid).values()


def test_local_cluster_build_equals_local_build(small, tmp_path):
    corpus, expected = small
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path),
                                       "--no-cache", "--no-pages", "--cluster", "local",
                                       "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kg.ttl").read_bytes() == expected


def test_unreachable_scheduler_is_a_one_line_error_in_bounded_time(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    proc = subprocess.run([_exe("kg"), "build", str(SOURCES), "--out", str(tmp_path),
                           "--no-cache", "--cluster", f"tcp://127.0.0.1:{port}"],
                          capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - t0
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert lines == [f"Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "
                     f"no answer within 10 s"], proc.stderr
    assert elapsed < 40
    assert not (tmp_path / "kg.ttl").exists()


def test_missing_dask_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = CliRunner().invoke(main, ["build", str(SOURCES), "--out", str(tmp_path),
                                       "--cluster", "local"])
    assert result.exit_code == 1
    assert result.output == ("Error: --cluster needs Dask, which is not installed: "
                             "pip install -e '.[cluster]'\n")
