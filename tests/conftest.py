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


# ------------------------------------------------------------ the curated extractor
@pytest.fixture(scope="session")
def extractor():
    """The extractor of the curated rules and lexicon of ontology/, loaded once."""
    from kg.curated import load_extractor

    return load_extractor()


@pytest.fixture(scope="session")
def labels(extractor):
    """labels(text, core) -> the labels of the entities of one core class (Remedy, Problem,
    Product, ...: subclasses included) that the text yields."""
    from kg.ruletest import article_of

    vocab = extractor.rs.vocab

    def labels_of(text: str, core: str) -> set[str]:
        return {m.label for m in extractor.extract(article_of(text)).mentions
                if vocab.core(m.cls) == core}
    return labels_of


@pytest.fixture(scope="session")
def alt_labels(extractor):
    """alt_labels(text, label) -> the alternative labels of the text's mentions labelled
    ``label``."""
    from kg.ruletest import article_of

    def alts_of(text: str, label: str) -> set[str]:
        return {a for m in extractor.extract(article_of(text)).mentions if m.label == label
                for a in m.alts}
    return alts_of


@pytest.fixture(scope="session")
def triples(extractor):
    """triples(text) -> the (subject label, predicate, object label) of the relations the
    text yields."""
    from kg.ruletest import article_of

    def triples_of(text: str) -> set[tuple[str, str, str]]:
        return {(r.subject.label, r.predicate, r.object.label)
                for r in extractor.extract(article_of(text)).relations}
    return triples_of


@pytest.fixture(scope="session")
def expect_labels(labels):
    """expect_labels(text, core, present, absent): the text yields every label of
    ``present`` and none of ``absent`` for entities of that core class."""
    def check(text: str, core: str, present: set, absent: set) -> None:
        got = labels(text, core)
        assert present <= got, (text, got)
        assert not (absent & got), (text, got)
    return check


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


# ------------------------------------------------------ a copy of ontology/ to break
@pytest.fixture
def ontology_copy(tmp_path):
    """A writable copy of ontology/ in a tmp folder, and ``run(*args)``: the kg command
    line run with that copy as its ontology (KG_ONTOLOGY_DIR) and a private cache."""
    from kg.ontology import ONTOLOGY_DIR

    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, copy)
    env = dict(os.environ, KG_ONTOLOGY_DIR=str(copy), KG_CACHE_DIR=str(tmp_path / "cache"))

    def run(*args) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)],
                              capture_output=True, text=True, timeout=300, env=env,
                              cwd=tmp_path)

    run.dir = copy
    return run
