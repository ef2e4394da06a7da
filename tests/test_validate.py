"""kg validate: SHACL shapes catch broken graphs and accept the contract's shape."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD

from kg.cli import main
from kg.validate import SHAPES_FILE, validate_graph

MINI = Path(__file__).parent / "data" / "mini.ttl"
KG = rdflib.Namespace("https://w3id.org/kg-zh/ontology#")
KGD = rdflib.Namespace("https://w3id.org/kg-zh/id/")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

BANK = KGD["institution-7d126eb4c850"]  # 网商银行, a kg:Bank
ANT = KGD["institution-222a3d6f89d0"]  # 蚂蚁金服
LOAN = KGD["product-764ed9f9f944"]  # 无抵押信用贷款
FIN_DIFFICULTY = KGD["problem-567cc631762d"]  # 融资难
HANGZHOU = KGD["region-c2d2d67e9afb"]
CITY_BRAIN = KGD["product-9255af81d2b1"]
CONGESTION = KGD["problem-6b1b772a6120"]
DIGITAL_FINANCE = KGD["concept-795487e33952"]
OFFERS_STMT = KGD["stmt-dfdcab719c23b9d4"]
SENTENCE = KGD["sentence-smart_city-0"]
ARTICLE = KGD["article-smart_city"]


def mini() -> rdflib.Graph:
    return rdflib.Graph().parse(MINI)


def run_validate(g: rdflib.Graph, tmp_path: Path):
    path = tmp_path / "g.ttl"
    g.serialize(path, format="turtle")
    return CliRunner().invoke(main, ["validate", "--graph", str(path)])


def test_mini_graph_conforms():
    result = CliRunner().invoke(main, ["validate", "--graph", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "conforms to the shapes" in result.output
    assert "Violation" not in result.output


def test_subclass_instances_satisfy_domain_and_range():
    g = mini()
    # the fixture exercises subclasses: a kg:Bank offers a kg:FinancialProduct
    assert (BANK, RDF.type, KG.Bank) in g and (LOAN, RDF.type, KG.FinancialProduct) in g
    assert (BANK, KG.offers, LOAN) in g
    conforms, problems = validate_graph(g)
    assert conforms, problems


def _add_reified(g, s, p, o):
    st = KGD["stmt-test"]
    for t in ((st, RDF.type, RDF.Statement), (st, RDF.subject, s), (st, RDF.predicate, p),
              (st, RDF.object, o), (st, PROV.wasDerivedFrom, KGD["sentence-digital_finance-0"]),
              (st, KG.rule, Literal("test.rule")), (s, p, o)):
        g.add(t)


def two_types(g):
    g.add((BANK, RDF.type, KG.Company))


def no_label(g):
    g.remove((FIN_DIFFICULTY, RDFS.label, None))


def english_label(g):
    g.remove((FIN_DIFFICULTY, RDFS.label, None))
    g.add((FIN_DIFFICULTY, RDFS.label, Literal("financing difficulty", lang="en")))


def quoted_label(g):
    g.remove((CITY_BRAIN, RDFS.label, None))
    g.add((CITY_BRAIN, RDFS.label, Literal("“城市大脑”", lang="zh")))


def domain_violation(g):
    _add_reified(g, HANGZHOU, KG.offers, LOAN)


def range_violation(g):
    _add_reified(g, BANK, KG.offers, FIN_DIFFICULTY)


def no_provenance_sentence(g):
    g.remove((OFFERS_STMT, PROV.wasDerivedFrom, None))


def no_rule(g):
    g.remove((OFFERS_STMT, KG.rule, None))


def unreified_relation(g):
    g.add((DIGITAL_FINANCE, KG.enables, KGD["concept-63fe855a0040"]))


def asserted_inverse(g):
    _add_reified(g, LOAN, KG.offeredBy, BANK)


def reified_not_asserted(g):
    g.remove((BANK, KG.offers, LOAN))


def offsets_mismatch(g):
    g.set((SENTENCE, KG.endOffset, Literal(30, datatype=XSD.integer)))


def sentence_without_text(g):
    g.remove((SENTENCE, KG.text, None))


def unknown_class(g):
    g.remove((HANGZHOU, RDF.type, None))
    g.add((HANGZHOU, RDF.type, KG.Citty))


def bad_iri(g):
    node = URIRef("https://w3id.org/kg-zh/id/机构-网商银行")
    g.add((node, RDF.type, KG.Bank))
    g.add((node, RDFS.label, Literal("某银行", lang="zh")))
    g.add((KGD["article-digital_finance"], KG.mentions, node))
    _add_reified(g, KGD["article-digital_finance"], KG.mentions, node)


def self_cause(g):
    _add_reified(g, FIN_DIFFICULTY, KG.causes, FIN_DIFFICULTY)


def subsidiary_cycle(g):
    _add_reified(g, KGD["institution-222a3d6f89d0"], KG.subsidiaryOf, BANK)


def region_part_of_problem(g):
    _add_reified(g, HANGZHOU, KG.partOf, FIN_DIFFICULTY)


def untyped_date(g):
    g.add((ARTICLE, DCTERMS.date, Literal("2025年5月")))


BROKEN = [
    (two_types, "Violation: 网商银行 (kgd:institution-7d126eb4c850) rdf:type: an entity has exactly one rdf:type"),
    (no_label, "Violation: kgd:problem-567cc631762d rdfs:label: an entity has exactly one rdfs:label"),
    (english_label, "Violation: financing difficulty (kgd:problem-567cc631762d) rdfs:label: "
                    "rdfs:label must be a Chinese literal tagged @zh"),
    (quoted_label, "Violation: “城市大脑” (kgd:product-9255af81d2b1) rdfs:label: "
                   "rdfs:label must not start or end with a space or a quote mark"),
    (domain_violation, "Violation: 杭州 (kgd:region-c2d2d67e9afb): the subject of kg:offers must be a kg:Institution"),
    (range_violation, "Violation: 网商银行 (kgd:institution-7d126eb4c850) kg:offers: "
                      "the object of kg:offers must be a kg:Product [value kgd:problem-567cc631762d]"),
    (no_provenance_sentence, "Violation: kgd:stmt-dfdcab719c23b9d4 prov:wasDerivedFrom: a statement is derived from"),
    (no_rule, "Violation: kgd:stmt-dfdcab719c23b9d4 kg:rule: a statement names exactly one extraction rule"),
    (unreified_relation, "Violation: 数字金融 (kgd:concept-795487e33952) kg:enables: relation kg:enables "
                         "kgd:concept-63fe855a0040 has no reified rdf:Statement (no provenance)"),
    (asserted_inverse, "Violation: 无抵押信用贷款 (kgd:product-764ed9f9f944) kg:offeredBy: kg:offeredBy is a "
                       "declared inverse: assert kg:offers in the other direction instead"),
    (reified_not_asserted, "Violation: kgd:stmt-dfdcab719c23b9d4: the reified triple kgd:institution-7d126eb4c850 "
                           "kg:offers kgd:product-764ed9f9f944 is not asserted in the graph"),
    (offsets_mismatch, "kgd:sentence-smart_city-0): kg:text has 28 characters but the offsets span 30"),
    (sentence_without_text, "Violation: kgd:sentence-smart_city-0 kg:text: a sentence has exactly one non-empty kg:text"),
    (unknown_class, "Violation: 杭州 (kgd:region-c2d2d67e9afb): rdf:type kg:Citty is not an entity class"),
    (bad_iri, "the IRI of a kg:Institution must be kgd:institution-<12 hex digits>"),
    (self_cause, "Violation: 融资难 (kgd:problem-567cc631762d): a problem kg:causes itself (kg:causes is irreflexive)"),
    (subsidiary_cycle, "kgd:institution-7d126eb4c850 and this institution are kg:subsidiaryOf each other "
                       "(kg:subsidiaryOf is asymmetric)"),
    (untyped_date, "Violation: 构建长三角便捷高效智慧城市共同体 (kgd:article-smart_city) dcterms:date: an article "
                   "has at most one dcterms:date, an xsd:date, xsd:gYearMonth or xsd:gYear [value '2025年5月']"),
    (region_part_of_problem, "Violation: 杭州 (kgd:region-c2d2d67e9afb) kg:partOf: a region is part only of a "
                             "kg:Region (kg:partOf) [value kgd:problem-567cc631762d]"),
]


@pytest.mark.parametrize("mutate,expected", BROKEN, ids=[f.__name__ for f, _ in BROKEN])
def test_broken_graph_is_caught(tmp_path, mutate, expected):
    g = mini()
    mutate(g)
    result = run_validate(g, tmp_path)
    assert result.exit_code == 1, result.output
    assert "does not conform" in result.output.splitlines()[0]
    assert expected in result.output, result.output
    assert "Traceback" not in result.output


def test_warnings_do_not_fail(tmp_path):
    g = mini()
    g.remove((ARTICLE, DCTERMS.creator, None))
    result = run_validate(g, tmp_path)
    assert result.exit_code == 0, result.output
    assert ("Warning: 构建长三角便捷高效智慧城市共同体 (kgd:article-smart_city) dcterms:creator: "
            "an article should have a dcterms:creator") in result.output


@pytest.mark.parametrize("mutate", [asserted_inverse, unreified_relation, offsets_mismatch, unknown_class,
                                    self_cause, subsidiary_cycle],
                         ids=lambda f: f.__name__)
def test_oxigraph_graph_checks_match_pyshacl(mutate):
    """The whole-graph SPARQL constraints give the same report in Oxigraph as in pySHACL."""
    g = mini()
    mutate(g)
    fast = validate_graph(g, sparql_engine="oxigraph")
    slow = validate_graph(g, sparql_engine="pyshacl")
    assert fast == slow
    assert not fast[0]


# A mistake in shapes.ttl: (what is replaced, by what, the graph, the line that names it)
ENTITY_LABEL = "sh:path rdfs:label ;\n        sh:minCount 1 ; sh:maxCount 1 ;"
PRODUCT_IRI = 'sh:pattern "^https://w3id\\\\.org/kg-zh/id/product-'
INSTITUTION_TARGET = "sh:targetClass kg:Institution ;"  # of kgsh:InstitutionIriShape
EMPTY = "@prefix kg: <https://w3id.org/kg-zh/ontology#> .\n"
BAD_SHAPES = [
    (ENTITY_LABEL, ENTITY_LABEL.replace("rdfs:label", '"rdfs:label"'), MINI,
     'shape kgsh:EntityShape, property "rdfs:label": Values of a property path cannot be a '
     "Literal"),
    ("sh:inversePath kg:mentions", "sh:inversPath kg:mentions", MINI,
     "shape kgsh:EntityShape, property [sh:inversPath kg:mentions]: sh:inversPath is not a known "
     "property for a sh:path"),
    (ENTITY_LABEL, ENTITY_LABEL.replace("sh:minCount 1", 'sh:minCount "one"'), MINI,
     "shape kgsh:EntityShape, property rdfs:label: MinCountConstraintComponent sh:minCount must "
     "be a literal with datatype xsd:integer"),
    (PRODUCT_IRI, 'sh:pattern "([a-z" ; rdfs:comment "', MINI,
     "shape kgsh:ProductIriShape: bad sh:pattern '([a-z': unterminated character set at "
     "position 1"),
    (ENTITY_LABEL, ENTITY_LABEL.replace("rdfs:label", '"rdfs:label"'), EMPTY,  # nothing to check
     'shape kgsh:EntityShape, property "rdfs:label": Values of a property path cannot be a '
     "Literal"),
    # a target naming no class of kg.ttl ({kg_ttl}) would silently check nothing
    (INSTITUTION_TARGET, 'sh:targetClass "Institution" ;', MINI,
     'shape kgsh:InstitutionIriShape: sh:targetClass "Institution" is no class of {kg_ttl} '
     "(did you mean kg:Institution?)"),
    (INSTITUTION_TARGET, "sh:targetClass kg:Instituton ;", MINI,
     "shape kgsh:InstitutionIriShape: sh:targetClass kg:Instituton is no class of {kg_ttl} "
     "(did you mean kg:Institution?)"),
    (INSTITUTION_TARGET, "sh:targetClass kg:offers ;", MINI,
     "shape kgsh:InstitutionIriShape: sh:targetClass kg:offers is no class of {kg_ttl}"),
]


# the commands that check shapes.ttl: kg validate, and kg rules check (the analyst's check of
# every curated file) with its one line
SHAPES_COMMANDS = pytest.mark.parametrize("command", [("validate", "--graph", "{graph}"),
                                                      ("rules", "check")],
                                          ids=["validate", "rules-check"])


@SHAPES_COMMANDS
@pytest.mark.parametrize("old, new, graph, problem", BAD_SHAPES,
                         ids=["literal-path", "misspelt-path", "min-count-text", "bad-pattern",
                              "empty-graph", "literal-target", "misspelt-target",
                              "property-target"])
def test_a_mistake_in_the_shapes_is_one_line_naming_the_file_shape_and_path(
        ontology_copy, old, new, graph, problem, command):
    shapes = ontology_copy.dir / "shapes.ttl"
    text = shapes.read_text("utf-8")
    assert old in text
    shapes.write_text(text.replace(old, new, 1), "utf-8")
    if not isinstance(graph, Path):
        graph = ontology_copy.dir.parent / "g.ttl"
        graph.write_text(EMPTY, "utf-8")
    r = ontology_copy(*(a.format(graph=graph) for a in command))
    assert r.returncode == 1
    problem = problem.format(kg_ttl=ontology_copy.dir / "kg.ttl")
    assert (r.stdout, r.stderr.splitlines()) == ("", [f"Error: {shapes}: {problem}"])


def test_every_mistake_in_the_shapes_is_counted(ontology_copy):
    shapes = ontology_copy.dir / "shapes.ttl"
    text = shapes.read_text("utf-8").replace(PRODUCT_IRI, 'sh:pattern "(" ; rdfs:comment "', 1)
    shapes.write_text(text.replace(ENTITY_LABEL, ENTITY_LABEL.replace("1 ;", '"1" ;'), 1), "utf-8")
    r = ontology_copy("validate", "--graph", MINI)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f"Error: {shapes}: shape kgsh:EntityShape, property rdfs:label: MinCountConstraintComponent "
        "sh:minCount must be a literal with datatype xsd:integer (and 1 more problem in that file)"]


def test_rules_check_lists_a_mistake_in_the_shapes_with_those_of_the_rules(ontology_copy):
    shapes, kg_ttl = ontology_copy.dir / "shapes.ttl", ontology_copy.dir / "kg.ttl"
    shapes.write_text(shapes.read_text("utf-8").replace(
        INSTITUTION_TARGET, "sh:targetClass kg:Instituton ;", 1), "utf-8")
    rule = ontology_copy.dir / "rules" / "zz_broken.toml"
    rule.write_text('[[rule]]\nid = "x.bad"\npattern = [{ text = "银行", capture = "b" }]\n'
                    'entities = [{ capture = "b", class = "Bnak" }]\nexamples = ["银行"]\n',
                    "utf-8")
    r = ontology_copy("rules", "check")
    assert (r.returncode, r.stdout.splitlines(), r.stderr.splitlines()) == (1, [
        f"{rule}: rule 'x.bad': unknown class 'Bnak' (not in {kg_ttl})",
        f"{shapes}: shape kgsh:InstitutionIriShape: sh:targetClass kg:Instituton is no class of "
        f"{kg_ttl} (did you mean kg:Institution?)"], ["Error: 2 problems in the curated files"])


@SHAPES_COMMANDS
def test_a_syntax_error_in_the_shapes_names_its_place(ontology_copy, command):
    shapes = ontology_copy.dir / "shapes.ttl"
    text = shapes.read_text("utf-8")
    shapes.write_text(text.replace("kgsh:EventIriShape a sh:NodeShape ;", "kgsh:EventIriShape a ;"),
                      "utf-8")
    line = text[:text.index("kgsh:EventIriShape a")].count("\n") + 1
    r = ontology_copy(*(a.format(graph=MINI) for a in command))
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"Error: cannot parse {shapes} as Turtle: line {line}, "
                                     "column 22: ; is not a valid RDF object"]


# a misspelt term of kg.ttl: (its text, what replaces it, the one problem kg build and kg
# rules check name, {line}: the line holding the replacement)
MISSPELT_TERMS = [
    ("kg:FinancialProduct a owl:Class ;\n    rdfs:subClassOf kg:Product ;",
     "kg:FinancialProduct a owl:Class ;\n    rdfs:subClassOf kg:Prodcut ;",
     "kg:Prodcut is not declared (did you mean kg:Product?); named by kg:FinancialProduct"),
    ("kg:FinancialProduct a owl:Class", "kg:FinancialProduct a owl:Clas",
     "owl:Clas is no OWL term (did you mean owl:Class?); named by kg:FinancialProduct"),
]


@pytest.mark.parametrize("old, new, problem", MISSPELT_TERMS, ids=["kg-class", "owl-term"])
def test_a_misspelt_term_of_the_ontology_is_one_line_naming_file_line_and_term(
        ontology_copy, old, new, problem):
    kg_ttl = ontology_copy.dir / "kg.ttl"
    text = kg_ttl.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    kg_ttl.write_text(text, "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if new.splitlines()[-1] in t)
    r = ontology_copy("validate", "--graph", MINI)
    assert (r.returncode, r.stdout, r.stderr.splitlines()) == (
        1, "", [f"Error: {kg_ttl}:{line}: {problem}"])


def test_missing_graph_is_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: graph file not found: {tmp_path / 'none.ttl'} (run `kg build` first?)"]


def _shape_for(shapes, prop):
    return next(shapes.subjects(SH.targetSubjectsOf, prop), None)


def _classes(shapes, node):
    """sh:class of a shape, or the sh:class of each member of its sh:or."""
    direct = set(shapes.objects(node, SH["class"]))
    for lst in shapes.objects(node, SH["or"]):
        for member in rdflib.collection.Collection(shapes, lst):
            direct |= set(shapes.objects(member, SH["class"]))
    return direct


def _union(onto, node):
    if isinstance(node, URIRef):
        return {node}
    lst = onto.value(node, OWL.unionOf)
    return set(rdflib.collection.Collection(onto, lst))


ONTO = rdflib.Graph().parse(Path(__file__).parent.parent / "ontology" / "kg.ttl")
SHAPES = rdflib.Graph().parse(SHAPES_FILE)
DOMAIN_RANGE = sorted(
    {p for p in ONTO.subjects(RDF.type, OWL.ObjectProperty)
     if str(p).startswith(str(KG)) and (ONTO.value(p, RDFS.domain) or ONTO.value(p, RDFS.range))},
    key=str)


@pytest.mark.parametrize("prop", DOMAIN_RANGE, ids=lambda p: str(p).rsplit("#", 1)[-1])
def test_shapes_mirror_ontology_domain_and_range(prop):
    shape = _shape_for(SHAPES, prop)
    assert shape is not None, f"no shape targets subjects of {prop}"
    domain = ONTO.value(prop, RDFS.domain)
    if domain is not None:
        assert _classes(SHAPES, shape) == _union(ONTO, domain)
    rng = ONTO.value(prop, RDFS.range)
    if rng is not None:
        prop_shapes = [ps for ps in SHAPES.objects(shape, SH.property) if SHAPES.value(ps, SH.path) == prop]
        assert [_classes(SHAPES, ps) for ps in prop_shapes] == [{rng}]


def test_validate_never_imports_jieba():
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from kg.cli import main; "
            f"r = CliRunner().invoke(main, ['validate', '--graph', {str(MINI)!r}]); "
            "assert r.exit_code == 0, r.output; print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
