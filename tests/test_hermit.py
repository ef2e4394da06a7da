"""kg reason --reasoner hermit and kg export --format owl, with the real HermiT (owlready2 + Java).

The test extra installs owlready2 and .ci/run installs Java, so these run in CI; a
machine without them fails here, as CI would, unless CI is unset (then they skip).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini.ttl"
BUNDLED = ROOT / "outputs" / "kg.ttl"
KG = rdflib.Namespace("https://w3id.org/kg-zh/ontology#")
KGD = rdflib.Namespace("https://w3id.org/kg-zh/id/")

BANK = KGD["institution-7d126eb4c850"]  # 网商银行 (Bank)
ANT = KGD["institution-222a3d6f89d0"]  # 蚂蚁金服 (Company)
HANGZHOU = KGD["region-c2d2d67e9afb"]  # 杭州 (City)
CONGESTION = KGD["problem-6b1b772a6120"]  # 拥堵 (Problem)
REMEDY = KGD["remedy-cc5271693bb0"]
SENTENCE = KGD["sentence-smart_city-0"]
SENTENCE_TEXT = "推广杭州“城市大脑”治理拥堵，利用人工智能实现精准预警。"


def _missing() -> str | None:
    try:
        import owlready2
    except ImportError:
        return "owlready2 (extra [dl]) is not installed"
    if not shutil.which(owlready2.JAVA_EXE):
        return "Java is not installed (apt-get install default-jre-headless)"
    return None


if _missing():
    if os.environ.get("CI"):
        pytest.fail(f"HermiT tests must run in CI: {_missing()}", pytrace=False)
    pytest.skip(_missing(), allow_module_level=True)


def hermit(path: Path):
    return CliRunner().invoke(main, ["reason", "--reasoner", "hermit", "--graph", str(path)])


def inject(tmp_path: Path, triples: list, rule: str = "test.injected") -> Path:
    """mini.ttl plus ``triples``, each reified with ``rule`` and a real sentence."""
    g = rdflib.Graph().parse(MINI)
    for n, (s, p, o) in enumerate(triples):
        g.add((s, p, o))
        if p != RDF.type:
            st = KGD[f"stmt-injected{n}"]
            g.add((st, RDF.type, RDF.Statement))
            g.add((st, RDF.subject, s))
            g.add((st, RDF.predicate, p))
            g.add((st, RDF.object, o))
            g.add((st, PROV.wasDerivedFrom, SENTENCE))
            g.add((st, KG.rule, Literal(rule)))
    path = tmp_path / "bad.ttl"
    g.serialize(path, format="turtle")
    return path


# -------------------------------------------------------------- consistency
def test_bundled_graph_is_consistent():
    result = hermit(BUNDLED)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("HermiT (OWL 2 DL): ontology + ")
    assert result.output.rstrip().endswith("consistent; no unsatisfiable class")


CONTRADICTIONS = [
    # (name, injected triples, words the report must contain)
    ("two disjoint types", [(REMEDY, RDF.type, KG.Problem)],
     ["<kgd:remedy-cc5271693bb0> is both kg:Problem and kg:Remedy, which are disjoint",
      "kg:Problem (asserted)", "kg:Remedy (asserted)",
      f"mention in kgd:article-smart_city: rule fixture.entity, kgd:sentence-smart_city-0 “{SENTENCE_TEXT}”"]),
    ("reflexive cause", [(CONGESTION, KG.causes, CONGESTION)],
     ["拥堵 <kgd:problem-6b1b772a6120> kg:causes itself, but kg:causes is irreflexive",
      f"rule test.injected, kgd:sentence-smart_city-0 “{SENTENCE_TEXT}”"]),
    ("range violation", [(BANK, KG.offers, CONGESTION)],
     ["拥堵 <kgd:problem-6b1b772a6120> is both kg:Problem and kg:Product, which are disjoint",
      "kg:Product (range of kg:offers)",
      "网商银行 <kgd:institution-7d126eb4c850> kg:offers 拥堵 <kgd:problem-6b1b772a6120>: "
      "rule test.injected, kgd:sentence-smart_city-0"]),
    ("domain violation of a union", [(BANK, KG.addresses, CONGESTION)],
     ["网商银行 <kgd:institution-7d126eb4c850> is the subject of kg:addresses, which needs one of "
      "kg:Concept, kg:Product, kg:Remedy, but it is a kg:Institution",
      "kg:Institution (subclass of kg:FinancialInstitution) ← kg:FinancialInstitution (subclass of kg:Bank) ← kg:Bank (asserted)",
      "网商银行 <kgd:institution-7d126eb4c850> kg:addresses 拥堵 <kgd:problem-6b1b772a6120>: "
      "rule test.injected"]),
    ("cycle of subsidiaries", [(ANT, KG.subsidiaryOf, BANK)],
     ["蚂蚁金服 <kgd:institution-222a3d6f89d0> and 网商银行 <kgd:institution-7d126eb4c850> are kg:subsidiaryOf of each other, but kg:subsidiaryOf is asymmetric",
      "蚂蚁金服 <kgd:institution-222a3d6f89d0> kg:subsidiaryOf 网商银行 <kgd:institution-7d126eb4c850>: "
      "rule test.injected",
      "网商银行 <kgd:institution-7d126eb4c850> kg:subsidiaryOf 蚂蚁金服 <kgd:institution-222a3d6f89d0>: "
      "rule fixture."]),
    ("region inside a problem", [(HANGZHOU, KG.partOf, CONGESTION)],
     ["拥堵 <kgd:problem-6b1b772a6120> is both kg:Problem and kg:Region, which are disjoint",
      "kg:Region (kg:partOf value of a kg:Region: kg:Region ⊑ ∀kg:partOf.kg:Region) ← kg:Region "
      "(subclass of kg:City) ← kg:City (asserted)",
      "杭州 <kgd:region-c2d2d67e9afb> kg:partOf 拥堵 <kgd:problem-6b1b772a6120>: rule test.injected"]),
]


@pytest.mark.parametrize("name,triples,expected", CONTRADICTIONS, ids=[c[0] for c in CONTRADICTIONS])
def test_injected_contradiction_is_reported_with_evidence(tmp_path, name, triples, expected):
    result = hermit(inject(tmp_path, triples))
    assert result.exit_code == 1, result.output
    assert "INCONSISTENT" in result.output.splitlines()[0]
    for words in expected:
        assert words in result.output, f"{words!r} missing from:\n{result.output}"
    assert "Traceback" not in result.output


def test_unsatisfiable_class_is_reported(tmp_path):
    onto_dir = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto_dir)
    with open(onto_dir / "kg.ttl", "a", encoding="utf-8") as f:
        f.write("\nkg:BankRegion a owl:Class ; rdfs:subClassOf kg:Bank , kg:City .\n")
    env = dict(os.environ, KG_ONTOLOGY_DIR=str(onto_dir))
    result = subprocess.run([sys.executable, "-m", "kg.cli", "reason", "--reasoner", "hermit",
                             "--graph", str(MINI)], capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].endswith(
        "consistent, but with unsatisfiable classes (no individual can be in them; check their axioms):")
    assert result.stdout.splitlines()[1:] == ["  kg:BankRegion"]


def test_missing_graph_is_one_line_error(tmp_path):
    result = hermit(tmp_path / "none.ttl")
    assert result.exit_code == 1
    assert result.output.startswith("Error: graph file not found")
    assert len(result.output.splitlines()) == 1


def test_owlrl_stays_the_default_and_needs_no_java(tmp_path):
    out = tmp_path / "inferred.ttl"
    result = CliRunner().invoke(main, ["reason", "--graph", str(MINI), "--out", str(out)],
                                env={"PATH": str(tmp_path)})  # no java on PATH
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Inferred ")
    assert out.exists()


def test_missing_java_is_a_one_line_error(monkeypatch):
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    result = CliRunner().invoke(main, ["reason", "--reasoner", "hermit", "--graph", str(MINI)])
    assert result.exit_code == 1
    assert result.output == ("Error: HermiT needs Java ('/nonexistent/java' not found): "
                             "apt-get install default-jre-headless\n")


def test_missing_owlready2_is_a_one_line_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "owlready2", None)  # import fails
    result = CliRunner().invoke(main, ["reason", "--reasoner", "hermit", "--graph", str(MINI)])
    assert result.exit_code == 1
    assert result.output == ("Error: HermiT needs owlready2: pip install 'kg[dl]' "
                             "(and Java: apt-get install default-jre-headless)\n")


# ------------------------------------------------------------------ export
@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("owl") / "kg.owl"
    result = CliRunner().invoke(main, ["export", "--graph", str(BUNDLED), "--format", "owl",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_export_loads_in_owlready2_with_every_entity_as_an_individual(exported):
    import owlready2

    graph = rdflib.Graph().parse(BUNDLED)
    entities = {s for s, o in graph.subject_objects(RDF.type)
                if str(s).startswith(str(KGD)) and o != RDF.Statement and o != KG.Sentence}
    world = owlready2.World()
    onto = world.get_ontology(exported.as_uri()).load()
    individuals = {i.iri for i in onto.individuals()}
    world.close()
    assert individuals == {str(e) for e in entities}
    assert str(BANK) in individuals


def test_export_is_owl_2_dl_for_the_owl_api(exported):
    """The OWL API (what Protégé is built on, bundled in HermiT.jar) reads the file as is
    and finds it in the OWL 2 DL profile, with every entity an individual."""
    import owlready2
    from owlready2 import reasoning

    result = subprocess.run([owlready2.JAVA_EXE, "-cp", reasoning._HERMIT_CLASSPATH,
                             str(Path(__file__).parent / "data" / "DLProfile.java"), exported.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(BUNDLED)
    n_entities = len({s for s, o in graph.subject_objects(RDF.type)
                      if o not in (RDF.Statement, KG.Sentence)})
    assert result.stdout.splitlines() == [f"individuals {n_entities}", "OWL 2 DL true"]


def test_export_declares_everything_and_leaves_provenance_out(exported):
    g = rdflib.Graph().parse(exported, format="xml")
    assert (BANK, RDF.type, OWL.NamedIndividual) in g
    assert (BANK, RDF.type, KG.Bank) in g
    assert (BANK, KG.offers, KGD["product-764ed9f9f944"]) in g
    assert (KG.offers, RDF.type, OWL.ObjectProperty) in g
    assert (KG.Bank, RDF.type, OWL.Class) in g
    assert (KG.causes, RDF.type, OWL.IrreflexiveProperty) in g
    assert list(g.subjects(RDF.type, RDF.Statement)) == []
    assert list(g.subjects(RDF.type, KG.Sentence)) == []
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [KGD["graph"]]
    # no punning: no IRI is both an individual and a class or property
    individuals = set(g.subjects(RDF.type, OWL.NamedIndividual))
    vocabulary = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                              OWL.AnnotationProperty) for s in g.subjects(RDF.type, t)}
    assert individuals and not individuals & vocabulary
    # every predicate used on an individual is declared
    used = {p for s in individuals for p in g.predicates(s) if p != RDF.type}
    assert used <= vocabulary | {URIRef("http://www.w3.org/2000/01/rdf-schema#label")}


def test_export_is_deterministic(exported, tmp_path):
    again = tmp_path / "again.owl"
    result = CliRunner().invoke(main, ["export", "--graph", str(BUNDLED), "--format", "owl",
                                       "--out", str(again)])
    assert result.exit_code == 0
    assert again.read_bytes() == exported.read_bytes()
