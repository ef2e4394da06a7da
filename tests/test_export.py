"""kg export: every writer re-parses to the same graph; Turtle is deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.cli import main
from kg.export import WRITERS, serialize
from kg.export.graph_writers import split_by_article

MINI = Path(__file__).parent / "data" / "mini.ttl"
ROOT = Path(__file__).parent.parent
KG = rdflib.Namespace("https://w3id.org/kg-zh/ontology#")
KGD = rdflib.Namespace("https://w3id.org/kg-zh/id/")


def export(tmp_path, fmt, graph=MINI):
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["export", "--graph", str(graph), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_export_reparses_to_the_same_graph(tmp_path, fmt, parser):
    out, summary = export(tmp_path, fmt)
    assert summary.startswith("Wrote ") and f" triples to {out} " in summary
    assert isomorphic(rdflib.Graph().parse(out, format=parser), rdflib.Graph().parse(MINI))


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[str, Path]:
    """The mini graph as datasets: kg's own TriG export (a graph per article), and the
    same graphs as N-Quads and as JSON-LD."""
    out = tmp_path_factory.mktemp("datasets")
    trig, _ = export(out, "trig")
    ds = rdflib.Dataset()
    ds.parse(trig, format="trig")
    assert len(list(ds.graphs())) > 2  # the default graph, and one per article
    ds.serialize(out / "mini.nq", format="nquads")
    ds.serialize(out / "mini.jsonld", format="json-ld")
    return {".trig": trig, ".nq": out / "mini.nq", ".jsonld": out / "mini.jsonld"}


GOLD = Path(__file__).parent / "gold" / "digital_finance.json"
READERS = [("stats",), ("validate",), ("viz", "--out", "{out}.html"), ("reason", "--out", "{out}.ttl"),
           ("export", "--format", "nt", "--out", "{out}.nt"), ("eval", "--gold", GOLD),
           ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")]


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld"])
@pytest.mark.parametrize("command", READERS, ids=[c[0] for c in READERS])
def test_a_dataset_is_read_as_the_union_of_its_graphs_by_every_command(tmp_path, datasets, command,
                                                                        suffix):
    runs = []
    for name, graph in (("graph", MINI), ("dataset", datasets[suffix])):
        out = tmp_path / name
        args = [str(a).replace("{out}", str(out)) for a in command]
        r = CliRunner().invoke(main, [*args, "--graph", str(graph)])
        assert r.exit_code == 0, r.output
        written = sorted(tmp_path.glob(f"{name}.*"))
        runs.append([re.sub(r"\bin \d+\.\d s\b", "", text) for text in (
            r.output.replace(str(graph), "GRAPH").replace(str(out), "OUT"),
            *(p.read_text("utf-8") for p in written))])
    assert runs[1] == runs[0]


def shared_relation_graph(tmp_path) -> Path:
    """Two articles that both say 网商银行 offers 网商贷: TriG writes that triple in the
    graph of each."""
    from test_viz import make_graph

    g = make_graph({"a1": ["网商银行推出网商贷。"], "a2": ["网商银行推出网商贷。"]},
                   [("institution-bank", "Bank", "网商银行", set(), [("a1", 0), ("a2", 0)]),
                    ("product-loan", "FinancialProduct", "网商贷", set(), [("a1", 0), ("a2", 0)])],
                   [("institution-bank", "offers", "product-loan", "a1", 0, "fixture.relation"),
                    ("institution-bank", "offers", "product-loan", "a2", 0, "fixture.relation")])
    path = tmp_path / "shared.ttl"
    path.write_text(serialize(g, "ttl"), encoding="utf-8")
    return path


def what_the_file_holds(path: Path, fmt: str) -> str:
    """The counts of an exported file, read back by a parser."""
    if fmt == "graphml":
        g = nx.read_graphml(path)
        return f"{g.number_of_nodes():,} nodes and {g.number_of_edges():,} edges"
    if fmt == "trig":
        ds = rdflib.Dataset()
        ds.parse(path, format="trig")
        quads = list(ds.quads((None, None, None, None)))
        return f"{len(quads):,} triples in {len({q[3] for q in quads})} graphs"
    parser = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "owl": "xml"}[fmt]
    return f"{len(rdflib.Graph().parse(path, format=parser)):,} triples"


@pytest.mark.parametrize("graph", ["mini", "shared"])
@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_export_reports_what_the_written_file_holds(tmp_path, fmt, graph):
    out, summary = export(tmp_path, fmt, MINI if graph == "mini" else shared_relation_graph(tmp_path))
    assert summary.startswith(f"Wrote {what_the_file_holds(out, fmt)} "), summary
    assert f" to {out} (" in summary


def test_jsonld_has_a_context():
    import json

    doc = json.loads(serialize(rdflib.Graph().parse(MINI), "jsonld"))
    assert doc["@context"]["kg"] == str(KG)
    assert doc["@context"]["kgd"] == str(KGD)
    bank = next(n for n in doc["@graph"] if n["@id"] == "kgd:institution-7d126eb4c850")
    assert bank["@type"] == "kg:Bank"
    assert bank["rdfs:label"] == {"@value": "网商银行", "@language": "zh"}
    assert bank["kg:offers"] == {"@id": "kgd:product-764ed9f9f944"}


def test_trig_has_one_named_graph_per_article(tmp_path):
    out, _ = export(tmp_path, "trig")
    ds = rdflib.Dataset()
    ds.parse(out, format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    assert {str(KGD["graph-article-digital_finance"]), str(KGD["graph-article-smart_city"])} <= names
    smart = ds.graph(KGD["graph-article-smart_city"])
    finance = ds.graph(KGD["graph-article-digital_finance"])
    located = (KGD["region-c2d2d67e9afb"], KG.locatedIn, KGD["region-e6f3e57e8755"])
    offers = (KGD["institution-7d126eb4c850"], KG.offers, KGD["product-764ed9f9f944"])
    assert located in smart and located not in finance
    assert offers in finance and offers not in smart
    assert (KGD["sentence-smart_city-0"], RDF.type, KG.Sentence) in smart
    # entity labels belong to no single article: default graph
    assert (KGD["institution-7d126eb4c850"], RDFS.label, Literal("网商银行", lang="zh")) in ds.default_graph
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, rdflib.Graph().parse(MINI))


def test_split_by_article_loses_nothing():
    g = rdflib.Graph().parse(MINI)
    default, named = split_by_article(g)
    assert set(default) | {t for ts in named.values() for t in ts} == set(g)


def test_graphml_loads_in_networkx(tmp_path):
    out, _ = export(tmp_path, "graphml")
    G = nx.read_graphml(out)
    bank, loan = str(KGD["institution-7d126eb4c850"]), str(KGD["product-764ed9f9f944"])
    assert G.nodes[bank]["label"] == "网商银行"
    assert G.nodes[bank]["type"] == "kg:Bank"
    data = G.get_edge_data(bank, loan)
    edges = list(data.values()) if G.is_multigraph() else [data]
    assert [d["predicate"] for d in edges] == ["kg:offers"]
    # provenance stays out of the entity network
    assert not any("/stmt-" in n or "/sentence-" in n for n in G.nodes)


def graphml_edges(path: Path) -> list[tuple[str, dict]]:
    """(edge id, {attribute name: text}) of each edge, read as XML (networkx would merge
    edges of one id)."""
    import xml.etree.ElementTree as ET

    ns = "{http://graphml.graphdrawing.org/xmlns}"
    root = ET.parse(path).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iter(ns + "key")}
    return [(e.get("id"), {names[d.get("key")]: d.text or "" for d in e})
            for e in root.iter(ns + "edge")]


@pytest.mark.parametrize("graph", ["mini", "bundled"])
def test_graphml_edge_ids_are_unique(tmp_path, graph):
    out, _ = export(tmp_path, "graphml", MINI if graph == "mini" else ROOT / "outputs")
    ids = [i for i, _ in graphml_edges(out)]
    assert len(ids) > 10 and len(set(ids)) == len(ids)


@pytest.mark.parametrize("graph, predicate, rule, article, sentence", [
    ("mini", "kg:offers", "fixture.relation", "digital_finance", "例如，蚂蚁金服旗下的网商银行"),
    ("mini", "kg:mentions", "fixture.entity", "smart_city", "推广杭州“城市大脑”治理拥堵"),
    ("bundled", "kg:authorOf", "header.author", "smart_city", ""),  # from the header
])
def test_graphml_edges_carry_their_evidence(tmp_path, graph, predicate, rule, article, sentence):
    """In Gephi an analyst tells a default.* guess from a pattern rule, and reads the
    sentence and article behind each edge."""
    out, _ = export(tmp_path, "graphml", MINI if graph == "mini" else ROOT / "outputs")
    edges = [(i, d) for i, d in graphml_edges(out) if d["predicate"] == predicate]
    assert edges and all(i.startswith("kgd:stmt-") and d["rule"] for i, d in edges)
    assert any(d["rule"] == rule and d["article"] == article
               and d["sentence"].startswith(sentence) for _, d in edges), edges[:3]


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_exports_are_byte_identical_across_runs_and_input_order(tmp_path, fmt):
    g1 = rdflib.Graph().parse(MINI)
    g2 = rdflib.Graph()
    for t in sorted(g1, key=lambda t: (str(t[2]), str(t[1]), str(t[0])), reverse=True):
        g2.add(t)
    assert serialize(g1, fmt) == serialize(g2, fmt)


def test_turtle_is_sorted_and_readable():
    text = serialize(rdflib.Graph().parse(MINI), "ttl")
    subjects = [l.split()[0] for l in text.splitlines() if l and not l[0].isspace() and not l.startswith("@")]
    assert subjects == sorted(subjects)
    assert "kgd:institution-7d126eb4c850 a kg:Bank ;" in text


TRICKY = [
    Literal('引号"和\\反斜杠', lang="zh"),
    Literal("两行\n文本\t制表", lang="zh"),
    Literal(42, datatype=XSD.integer),
    Literal("2024-05-01", datatype=XSD.date),
    Literal("true", datatype=XSD.boolean),
    Literal("plain"),
    Literal("x", datatype=URIRef("http://example.org/dt#odd type")),
]


@pytest.mark.parametrize("lit", TRICKY, ids=[repr(str(l)) for l in TRICKY])
@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_literals_round_trip(lit, fmt, parser):
    g = rdflib.Graph()
    g.add((KGD["x"], KG.text, lit))
    assert isomorphic(rdflib.Graph().parse(data=serialize(g, fmt), format=parser), g)


def test_blank_nodes_and_lists_round_trip():
    onto = rdflib.Graph().parse(Path(__file__).parent.parent / "ontology" / "kg.ttl")
    text = serialize(onto, "ttl")
    assert "owl:unionOf ( kg:Product kg:Remedy kg:Concept )" in text
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), onto)
    g = rdflib.Graph()  # a cycle of blank nodes cannot be inlined
    a, b = BNode(), BNode()
    g.add((a, OWL.sameAs, b))
    g.add((b, OWL.sameAs, a))
    assert isomorphic(rdflib.Graph().parse(data=serialize(g, "ttl"), format="turtle"), g)


def test_unknown_format_is_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["export", "--graph", str(MINI), "--format", "xls",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: unknown export format 'xls' (choose from graphml, jsonld, nt, owl, trig, ttl)"]


# ------------------------------------------------------ special files (issue 17)
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402


def kg_cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, **kw)


def test_export_to_dev_stdout_writes_into_it_and_leaves_the_link():
    assert os.path.islink("/dev/stdout")
    r = kg_cli("export", "--graph", MINI, "--format", "nt", "--out", "/dev/stdout")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("<") and r.stdout == serialize(rdflib.Graph().parse(MINI), "nt")
    assert r.stderr.startswith("Wrote ") and r.stderr.endswith(" triples to /dev/stdout (N-Triples)\n")
    assert os.path.islink("/dev/stdout")


def test_dash_is_stdout_for_every_out_option(tmp_path):
    for args in (["export", "--format", "ttl"], ["viz"], ["reason"]):
        r = kg_cli(*args, "--graph", MINI, "--out", "-", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert r.stdout and r.stderr and "Traceback" not in r.stderr
        assert list(tmp_path.iterdir()) == []  # no file named "-"


OUT_COMMANDS = [
    ("build", str(Path(__file__).parent.parent / "sources" / "digital_finance.txt"), "--no-pages"),
    ("viz", "--graph", MINI), ("export", "--graph", MINI, "--format", "nt"), ("reason", "--graph", MINI),
]


@pytest.mark.parametrize("args", OUT_COMMANDS, ids=[c[0] for c in OUT_COMMANDS])
def test_every_out_creates_its_missing_folders_and_says_so(tmp_path, args):
    out = tmp_path / "new" / "dir" / ("out" if args[0] == "build" else "result")
    help_text = " ".join(CliRunner().invoke(main, [args[0], "--help"]).output.split())
    assert "created" in help_text[help_text.index("--out"):].split("--", 2)[1]
    r = kg_cli(*args, "--out", out, env={**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    assert (out / "kg.ttl" if args[0] == "build" else out).is_file()


def test_an_output_symlink_is_written_through(tmp_path):
    target = tmp_path / "real" / "graph.nt"
    target.parent.mkdir()
    target.write_text("old")
    os.chmod(target, 0o600)
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    result = CliRunner().invoke(main, ["export", "--graph", str(MINI), "--format", "nt",
                                       "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("<")
    assert oct(target.stat().st_mode & 0o777) == "0o600"  # the file keeps its mode
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.nt"]


def test_an_output_fifo_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    r = kg_cli("export", "--graph", MINI, "--format", "nt", "--out", fifo)
    out, _ = reader.communicate(timeout=60)
    assert r.returncode == 0, r.stderr
    assert out.decode("utf-8").startswith("<")
    assert fifo.is_fifo()


def test_graphml_export_reports_nodes_and_edges(tmp_path):
    result = CliRunner().invoke(main, ["export", "--graph", str(MINI), "--format", "graphml",
                                       "--out", str(tmp_path / "g.graphml")])
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert result.output == (f"Wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} "
                             f"edges to {tmp_path / 'g.graphml'} (GraphML of entities and "
                             "relations (networkx; opens in Gephi and Cytoscape))\n")


@pytest.mark.parametrize("name", list(WRITERS))
def test_export_format_option_names_every_format(name):
    text = CliRunner().invoke(main, ["export", "--help"]).output
    option = " ".join(text[text.index("--format FORMAT"):text.index("--out FILE")].split())
    assert re.search(rf"Export format: [a-z, ]*\b{name}\b[a-z, ]* \(described below\)", option), option


def test_export_help_lists_every_format():
    text = CliRunner().invoke(main, ["export", "--help"]).output
    assert "--list" not in text
    for w in WRITERS.values():
        assert f"{w.name:8} {w.description}" in text


@pytest.mark.parametrize("args, message", [
    (["eval", "--gold", "/dev/zero"], "Error: gold file /dev/zero is not a regular file"),
    (["eval", "--gold", "{tmp}"], "Error: {tmp}: no gold files (*.json) in this folder"),
    (["stats", "--graph", "/dev/zero"], "Error: graph file /dev/zero is not a regular file"),
    (["build", "{tmp}/src.txt", "--out", ""],
     "Error: Invalid value for '--out': an empty path (give a file or folder name)"),
])
def test_special_inputs_are_one_line_errors(tmp_path, args, message):
    (tmp_path / "src.txt").write_text("网商银行推出了新产品。", encoding="utf-8")
    r = kg_cli(*[a.format(tmp=tmp_path) for a in args], cwd=tmp_path)
    assert r.returncode in (1, 2)
    assert r.stderr.splitlines()[-1] == message.format(tmp=tmp_path)
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src.txt"]


@pytest.mark.parametrize("name", ["x.txt", "types.toml"])
def test_a_folder_where_a_lexicon_file_is_expected(tmp_path, name):
    lexicon = tmp_path / "lexicon"
    shutil.copytree(Path(__file__).parents[1] / "ontology" / "lexicon", lexicon)
    if (lexicon / name).exists():
        (lexicon / name).unlink()
    (lexicon / name).mkdir()
    kind = "lexicon types file" if name == "types.toml" else "lexicon file"
    r = kg_cli("rules", "check", "--lexicon", lexicon)
    assert r.returncode == 1
    assert r.stderr.splitlines()[-1].startswith("Error: ")
    assert f"{kind} {lexicon / name} is a folder, not a file" in r.stderr + r.stdout
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("lit", TRICKY, ids=[repr(str(l)) for l in TRICKY])
def test_owl_export_round_trips_literals_in_rdfxml(lit):
    g = rdflib.Graph()
    g.add((KGD["x"], RDF.type, KG.Concept))
    g.add((KGD["x"], RDFS.label, lit))
    back = rdflib.Graph().parse(data=serialize(g, "owl"), format="xml")
    assert (KGD["x"], RDFS.label, lit) in back
    assert (KGD["x"], RDF.type, OWL.NamedIndividual) in back


def test_owl_export_holds_the_ontology_axioms():
    back = rdflib.Graph().parse(data=serialize(rdflib.Graph().parse(MINI), "owl"), format="xml")
    onto = rdflib.Graph().parse(Path(__file__).parent.parent / "ontology" / "kg.ttl")
    missing = [t for t in onto if not isinstance(t[0], BNode) and not isinstance(t[2], BNode)
               and str(t[0]) != "https://w3id.org/kg-zh/ontology" and t not in back]
    assert missing == []
    assert len(list(back.subjects(RDF.type, OWL.AllDisjointClasses))) == 2
