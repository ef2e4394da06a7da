"""kg reason: OWL-RL inferences on the entity layer, kept apart from asserted triples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import BNode, Literal
from rdflib.namespace import OWL, RDF, RDFS

from kg.cli import main

MINI = Path(__file__).parent / "data" / "mini.ttl"
KG = rdflib.Namespace("https://w3id.org/kg-zh/ontology#")
KGD = rdflib.Namespace("https://w3id.org/kg-zh/id/")
SCHEMA = rdflib.Namespace("https://schema.org/")

BANK = KGD["institution-7d126eb4c850"]  # 网商银行
ANT = KGD["institution-222a3d6f89d0"]  # 蚂蚁金服
LOAN = KGD["product-764ed9f9f944"]  # 无抵押信用贷款
CITY_BRAIN = KGD["product-9255af81d2b1"]  # 城市大脑
HANGZHOU = KGD["region-c2d2d67e9afb"]
DELTA = KGD["region-e6f3e57e8755"]  # 长三角
CONGESTION = KGD["problem-6b1b772a6120"]
AI = KGD["concept-63fe855a0040"]


@pytest.fixture(scope="module")
def inferred(tmp_path_factory):
    out = tmp_path_factory.mktemp("reason") / "inferred.ttl"
    result = CliRunner().invoke(main, ["reason", "--graph", str(MINI), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output, rdflib.Graph().parse(out)


INFERENCES = [
    ("inverse offeredBy", (LOAN, KG.offeredBy, BANK)),
    ("inverse addressedBy", (CONGESTION, KG.addressedBy, CITY_BRAIN)),
    ("inverse usedBy", (AI, KG.usedBy, BANK)),
    ("inverse mentionedIn", (AI, KG.mentionedIn, KGD["article-smart_city"])),
    ("superclass Bank -> Institution", (BANK, RDF.type, KG.Institution)),
    ("superclass Bank -> FinancialInstitution", (BANK, RDF.type, KG.FinancialInstitution)),
    ("aligned superclass schema:Organization", (BANK, RDF.type, SCHEMA.Organization)),
    ("aligned superclass schema:Place", (HANGZHOU, RDF.type, SCHEMA.Place)),
    ("City -> Region", (HANGZHOU, RDF.type, KG.Region)),
    ("transitive locatedIn", (CITY_BRAIN, KG.locatedIn, DELTA)),
    ("inverse of transitive locatedIn", (DELTA, KG.locationOf, CITY_BRAIN)),
    ("subPropertyOf subsidiaryOf -> partOf", (BANK, KG.partOf, ANT)),
    ("inverse hasSubsidiary", (ANT, KG.hasSubsidiary, BANK)),
]


@pytest.mark.parametrize("name,triple", INFERENCES, ids=[n for n, _ in INFERENCES])
def test_inference_is_derived(inferred, name, triple):
    _, _, g = inferred
    assert triple in g


def test_output_holds_no_asserted_triple(inferred):
    _, _, g = inferred
    asserted = rdflib.Graph().parse(MINI)
    assert [t for t in g if t in asserted] == []
    assert (BANK, KG.offers, LOAN) not in g  # asserted, so not repeated
    assert (HANGZHOU, KG.locatedIn, DELTA) not in g


def test_output_has_no_reasoner_junk(inferred):
    _, _, g = inferred
    junk = [t for t in g if isinstance(t[0], Literal) or isinstance(t[2], BNode)
            or (t[1] == OWL.sameAs and t[0] == t[2])
            or (t[1] == RDF.type and t[2] in (OWL.Thing, RDFS.Resource))
            or not str(t[0]).startswith(str(KGD))]
    assert junk == []


def test_provenance_is_not_reasoned_over(inferred):
    _, _, g = inferred
    subjects = {str(s) for s in g.subjects()}
    assert not any("/stmt-" in s or "/sentence-" in s for s in subjects)


def test_summary_names_counts_by_predicate(inferred):
    out, output, _ = inferred
    assert output.splitlines()[0].startswith("Inferred ")
    assert f"wrote {out}" in output.splitlines()[0]
    assert any(line.split()[-1] == "kg:offeredBy" for line in output.splitlines()[1:])


def test_output_is_deterministic(inferred, tmp_path):
    out, _, _ = inferred
    again = tmp_path / "again.ttl"
    result = CliRunner().invoke(main, ["reason", "--graph", str(MINI), "--out", str(again)])
    assert result.exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_refuses_to_overwrite_input(tmp_path):
    g = tmp_path / "kg.ttl"
    g.write_bytes(MINI.read_bytes())
    result = CliRunner().invoke(main, ["reason", "--graph", str(g), "--out", str(g)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: refusing to overwrite the input graph {g} with inferred triples"
    assert g.read_bytes() == MINI.read_bytes()


def test_inconsistency_is_reported(tmp_path):
    g = rdflib.Graph().parse(MINI)
    g.add((BANK, RDF.type, KG.Problem))  # Institution and Problem are disjoint
    path = tmp_path / "bad.ttl"
    g.serialize(path, format="turtle")
    result = CliRunner().invoke(main, ["reason", "--graph", str(path), "--out", str(tmp_path / "inf.ttl")])
    assert result.exit_code == 0
    assert ("Inconsistency: Disjoint classes https://w3id.org/kg-zh/ontology#Institution and "
            "https://w3id.org/kg-zh/ontology#Problem have a common individual "
            "https://w3id.org/kg-zh/id/institution-7d126eb4c850") in result.output


def test_missing_graph_is_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["reason", "--graph", str(tmp_path / "x.ttl"),
                                       "--out", str(tmp_path / "o.ttl")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: graph file not found")
    assert not (tmp_path / "o.ttl").exists()


def test_reason_never_imports_jieba(tmp_path):
    code = ("import sys; from click.testing import CliRunner; from kg.cli import main; "
            f"r = CliRunner().invoke(main, ['reason', '--graph', {str(MINI)!r}, '--out', {str(tmp_path / 'i.ttl')!r}]); "
            "assert r.exit_code == 0, r.output; print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("command, name", [("reason", "inferred.ttl"), ("viz", "view.html")])
def test_default_output_goes_beside_the_graph_not_into_cwd_outputs(tmp_path, monkeypatch,
                                                                   command, name):
    """A graph elsewhere never writes into ./outputs (the bundled outputs in a checkout)."""
    graph_dir, cwd = tmp_path / "corpus_out", tmp_path / "checkout"
    graph_dir.mkdir()
    (cwd / "outputs").mkdir(parents=True)
    (graph_dir / "kg.ttl").write_bytes(MINI.read_bytes())
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, [command, "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.output
    assert (graph_dir / name).is_file()
    assert str(graph_dir / name) in result.output
    assert list((cwd / "outputs").iterdir()) == []


@pytest.mark.parametrize("command", ["reason", "viz", "stats", "validate", "export", "eval"])
def test_graph_given_twice_is_a_one_line_error(tmp_path, command):
    other = tmp_path / "other.ttl"
    other.write_bytes(MINI.read_bytes())
    extra = {"export": ["--format", "nt", "--out", str(tmp_path / "x.nt")],
             "eval": ["--gold", str(tmp_path)]}.get(command, ["--out", str(tmp_path / "x")])
    if command in ("stats", "validate"):
        extra = []
    result = CliRunner().invoke(main, [command, "--graph", str(MINI), "--graph", str(other),
                                       *extra])
    assert result.exit_code == 1
    assert result.output == "Error: --graph given 2 times: this command reads one graph, give it once\n"
    assert not list(tmp_path.glob("x*"))
