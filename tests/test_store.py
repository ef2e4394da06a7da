"""`--store oxigraph:PATH`: the graph persisted in an on-disk Oxigraph store, same outputs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg import pipeline, rdf
from kg.cli import main
from kg.errors import OutputError
from kg.export import serialize
from kg.fileio import load_graph
from kg.store import StoreSpec, check_spec, persisted
from kg.triples import from_rdflib, to_ox

MINI = Path(__file__).parent / "data" / "mini.ttl"
KGD = "https://w3id.org/kg-zh/id/"
BRIEF = """# id: brief
# title: 简讯
# author: 张三
# source: 测试简报

网商银行推出了“大山雀”系统，服务小微企业。宁波市设立了数字金融产业基金。
"""


def default_graph(path: Path) -> set[tuple[str, str, str]]:
    """The default graph of the store at ``path``, read with pyoxigraph alone."""
    store = ox.Store.read_only(str(path))
    return {(str(q.subject), str(q.predicate), str(q.object))
            for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def ox_triples(graph) -> set[tuple[str, str, str]]:
    """rdflib triples written the way pyoxigraph prints its terms."""
    return {tuple(str(to_ox(from_rdflib(x))) for x in t) for t in graph}


@pytest.mark.parametrize("spec, expected", [
    (None, StoreSpec("memory")),
    ("memory", StoreSpec("memory")),
    ("oxigraph:db", StoreSpec("oxigraph", Path("db"))),
    ("Oxigraph:out/store", StoreSpec("oxigraph", Path("out/store"))),
])
def test_store_specs(spec, expected):
    assert check_spec(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ("oxigraph:", "--store 'oxigraph:': give the folder of the store, e.g. oxigraph:outputs/store"),
    ("oxigraph", "--store 'oxigraph': give the folder of the store, e.g. oxigraph:outputs/store"),
    ("sqlite:kg.db", "--store 'sqlite:kg.db': unknown store (use memory or oxigraph:PATH)"),
    ("fuseki", "--store 'fuseki': unknown store (use memory or oxigraph:PATH)"),
])
def test_bad_store_specs_name_the_problem(spec, message):
    with pytest.raises(OutputError) as e:
        check_spec(spec)
    assert str(e.value) == message


def test_a_file_is_not_a_store(tmp_path):
    f = tmp_path / "kg.db"
    f.write_text("")
    with pytest.raises(OutputError) as e:
        check_spec(f"oxigraph:{f}")
    assert str(e.value) == f"--store 'oxigraph:{f}': {f} exists and is not a folder"


def test_memory_store_is_the_graph_itself():
    g = load_graph(MINI)
    with persisted(g, None) as out:
        assert out is g


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_store_backed_graph_serialises_to_the_same_bytes(tmp_path, fmt):
    g = load_graph(MINI)
    with persisted(g, f"oxigraph:{tmp_path / 'db'}") as stored:
        assert stored is not g
        assert len(stored) == len(g)
        assert serialize(stored, fmt) == serialize(g, fmt)


def test_store_holds_the_graph_in_its_default_graph_after_closing(tmp_path):
    g = load_graph(MINI)
    with persisted(g, f"oxigraph:{tmp_path / 'db'}"):
        pass
    assert default_graph(tmp_path / "db") == ox_triples(g)


def test_a_second_build_replaces_the_default_graph_and_keeps_named_graphs(tmp_path):
    db = tmp_path / "db"
    with persisted(load_graph(MINI), f"oxigraph:{db}"):
        pass
    store = ox.Store(str(db))
    kept = ox.Quad(ox.NamedNode(KGD + "x"), ox.NamedNode(str(RDFS.label)), ox.Literal("x"),
                   ox.NamedNode(KGD + "graph-of-the-user"))
    store.add(kept)
    del store  # release the lock
    small = Graph()
    small.add((URIRef(KGD + "only"), RDFS.label, Literal("唯一", lang="zh")))
    with persisted(small, f"oxigraph:{db}"):
        pass
    assert default_graph(db) == {(f"<{KGD}only>", f"<{RDFS.label}>", '"唯一"@zh')}
    assert kept in set(ox.Store.read_only(str(db)).quads_for_pattern(None, None, None, None))


def test_a_locked_store_is_a_one_line_error(tmp_path):
    db = tmp_path / "db"
    holder = ox.Store(str(db))  # as `oxigraph serve --location db` would
    try:
        with pytest.raises(OutputError) as e:
            with persisted(load_graph(MINI), f"oxigraph:{db}"):
                pass
    finally:
        del holder
    assert str(e.value) == (f"cannot open the Oxigraph store {db}: it is in use by another "
                            "process (a running `oxigraph serve`?)")


# ------------------------------------------------------------ through the build
@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The same corpus built in memory and with --store oxigraph:PATH (pages included)."""
    tmp = tmp_path_factory.mktemp("store-build")
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(BRIEF, "utf-8")
    (corpus / "second.txt").write_text(BRIEF.replace("# id: brief", "# id: second"), "utf-8")
    def gathered(*args):
        raise AssertionError("the reified statements were gathered in memory")

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_CACHE_DIR", str(tmp / "cache"))
        pipeline.build([corpus], out_dir=tmp / "memory", use_cache=False)
        # a store gets the statements (most of a graph) one at a time, pages included
        mp.setattr(rdf, "add_statements", gathered)
        result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp / "oxigraph"),
                                           "--no-cache", "--store", f"oxigraph:{tmp / 'db'}"])
    assert result.exit_code == 0, result.output
    return tmp


def test_build_with_oxigraph_store_writes_byte_identical_outputs(builds):
    memory = {p.relative_to(builds / "memory"): p.read_bytes()
              for p in sorted((builds / "memory").rglob("*")) if p.is_file()}
    stored = {p.relative_to(builds / "oxigraph"): p.read_bytes()
              for p in sorted((builds / "oxigraph").rglob("*")) if p.is_file()}
    assert {Path("kg.ttl"), Path("graph.html")} <= set(memory)
    assert sorted(stored) == sorted(memory)
    for name in memory:
        assert stored[name] == memory[name], f"{name} differs"


def test_build_leaves_the_graph_in_the_store(builds):
    in_store = default_graph(builds / "db")
    assert in_store == ox_triples(load_graph(builds / "memory" / "kg.ttl"))
    assert (f"<{KGD}article-second>", f"<{RDFS.label}>", '"简讯"@zh') in in_store


def test_cli_rejects_a_bad_store_before_extracting(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(BRIEF, "utf-8")
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out"),
                                       "--store", "sqlite:kg.db"])
    assert result.exit_code == 1
    assert result.output == "Error: --store 'sqlite:kg.db': unknown store (use memory or oxigraph:PATH)\n"
    assert not (tmp_path / "out").exists()


def test_kg_query_reads_the_store_a_build_wrote(builds):
    import subprocess
    import sys

    text = "SELECT ?l WHERE { ?a a kg:Article ; rdfs:label ?l } ORDER BY ?l"
    answers = []
    for graph in (builds / "db", builds / "memory" / "kg.ttl"):
        r = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--graph", str(graph),
                            "--format", "csv", text], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        answers.append(r.stdout)
    assert answers[0] == answers[1] and "简讯" in answers[0]
