"""Shared pytest fixtures."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


# ------------------------------------------------------------ Oxigraph server
def _find_oxigraph() -> str | None:
    """The ``oxigraph`` command of this interpreter's environment, else the one on PATH."""
    beside_python = Path(sys.executable).parent
    return shutil.which("oxigraph", path=str(beside_python)) or shutil.which("oxigraph")


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(url, timeout=1) as response:
            return response.status < 500
    except urllib.error.HTTPError as e:
        return e.code < 500
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server on a free loopback port; yields its base URL.

    The Graph Store is at ``<url>/store``, SPARQL queries at ``<url>/query``. Fails (does
    not skip) when the ``oxigraph`` command is missing and the environment variable CI is set.
    """
    exe = _find_oxigraph()
    if exe is None:
        message = ("the `oxigraph` command (PyPI package `oxigraph`, in the test extra) is "
                   "not installed next to the Python interpreter nor on PATH")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    startup_s, attempts = 30.0, 3
    problems = []
    for attempt in range(attempts):  # another process may grab the free port first
        port = _free_loopback_port()
        location = tmp_path_factory.mktemp("oxigraph")
        log_path = location.parent / f"{location.name}.log"
        url = f"http://127.0.0.1:{port}"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + startup_s
        while proc.poll() is None and time.monotonic() < deadline and not _answers(url + "/"):
            time.sleep(0.1)
        if proc.poll() is None and _answers(url + "/"):
            break
        _stop(proc)
        output = log_path.read_text("utf-8", "replace").strip()
        problems.append(f"attempt {attempt + 1} on port {port}: exit code {proc.returncode}; "
                        f"output: {output or '(none)'}")
        if "in use" not in output.lower():
            break
    else:
        proc = None
    if proc is None or proc.poll() is not None:
        pytest.fail(f"`{exe} serve` did not answer within {startup_s:g} s:\n"
                    + "\n".join(problems))
    try:
        yield url
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
