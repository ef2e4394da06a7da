"""kg build --shards: sorted N-Triples shards for a store's bulk loader, and kg push of them."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import _find_oxigraph
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
KG = "https://w3id.org/kg-zh/ontology#"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(kg.ttl's triples as sorted N-Triples lines, shard folder) of one build each."""
    base = tmp_path_factory.mktemp("shards")
    r = run("build", str(SOURCES), "--out", str(base / "out"), "--no-cache", "--no-pages")
    assert r.exit_code == 0, r.output
    r = run("export", "--graph", str(base / "out" / "kg.ttl"), "--format", "nt",
            "--out", str(base / "kg.nt"))
    assert r.exit_code == 0, r.output
    r = run("build", str(SOURCES), "--shards", str(base / "shards"), "--shard-count", "3",
            "--no-cache")
    assert r.exit_code == 0, r.output
    return (base / "kg.nt").read_text("utf-8").splitlines(), base / "shards", r.output


def test_shards_hold_the_triples_of_kg_ttl_sorted_and_by_subject(built):
    expected, shards, output = built
    files = sorted(shards.iterdir())
    assert [f.name for f in files] == ["kg-00000.nt", "kg-00001.nt", "kg-00002.nt"]
    parts = [f.read_text("utf-8").splitlines() for f in files]
    for lines in parts:
        assert lines and lines == sorted(set(lines))  # sorted, no duplicates, none empty
    assert sorted(line for lines in parts for line in lines) == expected
    subjects = [{line.split(" ", 1)[0] for line in lines} for lines in parts]
    assert not (subjects[0] & subjects[1] or subjects[0] & subjects[2]
                or subjects[1] & subjects[2])
    assert f"Built {len(expected)} triples" in output
    assert not (shards.parent / "shards" / "kg.ttl").exists()


def test_shards_are_deterministic_and_stale_ones_go(built, tmp_path):
    _, shards, _ = built
    folder = tmp_path / "again"
    folder.mkdir()
    (folder / "kg-00007.nt").write_text("stale\n", "utf-8")  # from an earlier, bigger build
    (folder / "notes.txt").write_text("mine\n", "utf-8")
    r = run("build", str(SOURCES), "--shards", str(folder), "--shard-count", "3", "--no-cache")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.iterdir()) == ["kg-00000.nt", "kg-00001.nt",
                                                        "kg-00002.nt", "notes.txt"]
    for name in ("kg-00000.nt", "kg-00001.nt", "kg-00002.nt"):
        assert (folder / name).read_bytes() == (shards / name).read_bytes()


def test_shards_load_into_oxigraph_with_its_bulk_loader(built, tmp_path):
    expected, shards, _ = built
    exe = _find_oxigraph()
    assert exe is not None, "the `oxigraph` command (test extra) is missing"
    store = tmp_path / "store"
    proc = subprocess.run([exe, "load", "--location", str(store), "--file",
                           *map(str, sorted(shards.glob("kg-*.nt")))],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    import pyoxigraph

    db = pyoxigraph.Store.read_only(str(store))
    assert len(db) == len(expected)
    assert db.query(f'ASK {{ ?b a <{KG}Bank> ; <http://www.w3.org/2000/01/rdf-schema#label> '
                    f'"网商银行"@zh }}')


def test_push_of_a_shard_folder_replaces_the_graph(built, oxigraph_server):
    expected, shards, _ = built
    graph = "https://example.org/graph/shards"
    for _ in range(2):  # the second push replaces, it does not add
        r = run("push", "--endpoint", f"{oxigraph_server}/store", "--graph", str(shards),
                "--graph-iri", graph)
        assert r.exit_code == 0, r.output
        assert r.output.startswith(f"Pushed {len(expected)} triples from 3 shards to ")
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        f"{oxigraph_server}/query?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        n = json.loads(response.read())["results"]["bindings"][0]["n"]["value"]
    assert int(n) == len(expected)


def test_push_of_a_folder_without_shards_is_a_one_line_error(tmp_path):
    r = run("push", "--endpoint", "http://127.0.0.1:9/store", "--graph", str(tmp_path))
    assert r.exit_code == 1
    assert r.output == (f"Error: {tmp_path} is a folder with no kg.ttl in it: give a graph file, "
                        "a folder that `kg build` wrote or a folder of shards (kg build --shards)\n")


def test_shards_and_store_are_alternatives(tmp_path):
    r = run("build", str(SOURCES), "--shards", str(tmp_path / "s"), "--store",
            f"oxigraph:{tmp_path / 'db'}")
    assert r.exit_code == 2
    assert "--shards and --store are alternatives: choose one" in r.output
