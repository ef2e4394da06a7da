"""ontology/kg.ttl: loads, declares the spec's vocabulary, and stays OWL 2 DL-clean."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from kg.ontology import CORE_CLASSES, ONTOLOGY_FILE, load

KG = rdflib.Namespace("https://w3id.org/kg-zh/ontology#")
SCHEMA = rdflib.Namespace("https://schema.org/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
ONTO = rdflib.Graph().parse(ONTOLOGY_FILE)
MINI = Path(__file__).parent / "data" / "mini.ttl"

TERMS = sorted({s for s in ONTO.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(str(KG))}, key=str)


def test_is_an_owl_ontology_with_a_version_iri():
    onto = URIRef("https://w3id.org/kg-zh/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ONTO
    assert ONTO.value(onto, OWL.versionIRI) is not None


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_every_term_has_zh_and_en_labels_and_a_comment(term):
    langs = {l.language for l in ONTO.objects(term, RDFS.label) if isinstance(l, Literal)}
    assert {"zh", "en"} <= langs
    assert ONTO.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("name", CORE_CLASSES)
def test_spec_classes_are_declared(name):
    assert (KG[name], RDF.type, OWL.Class) in ONTO


@pytest.mark.parametrize("sub,sup", [
    ("Bank", KG.Institution), ("GovernmentBody", KG.Institution), ("University", KG.Institution),
    ("Platform", KG.Product), ("City", KG.Region), ("Technology", KG.Concept),
    ("Institution", SCHEMA.Organization), ("Region", SCHEMA.Place), ("Person", FOAF.Person),
    ("Concept", SKOS.Concept), ("Article", PROV.Entity),
])
def test_subclasses_and_alignments(sub, sup):
    ancestors = set(ONTO.transitive_objects(KG[sub], RDFS.subClassOf))
    assert sup in ancestors


def test_alignment_uses_no_equivalences_to_outside_terms():
    for p in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs):
        assert list(ONTO.triples((None, p, None))) == []


def _domain(prop):
    d = ONTO.value(prop, RDFS.domain)
    if isinstance(d, BNode):
        return set(Collection(ONTO, ONTO.value(d, OWL.unionOf)))
    return {d} if d is not None else set()


@pytest.mark.parametrize("prop,domain,rng", [
    ("offers", {KG.Institution}, KG.Product),
    ("addresses", {KG.Product, KG.Remedy, KG.Concept}, KG.Problem),
    ("causes", {KG.Problem}, KG.Problem),
    ("locatedIn", set(), KG.Region),
    ("undertakes", {KG.Institution}, KG.Remedy),
    ("affiliatedWith", {KG.Person}, KG.Institution),
    ("authorOf", {KG.Person}, KG.Article),
    ("enables", set(), KG.Concept),
    ("uses", set(), KG.Concept),
    ("mentions", {KG.Article}, None),
    ("partOf", set(), None),
    ("exemplifies", set(), None),
])
def test_spec_properties_with_domain_and_range(prop, domain, rng):
    assert (KG[prop], RDF.type, OWL.ObjectProperty) in ONTO
    assert _domain(KG[prop]) == domain
    assert ONTO.value(KG[prop], RDFS.range) == rng


@pytest.mark.parametrize("prop,inverse", [
    ("offers", "offeredBy"), ("addresses", "addressedBy"), ("causes", "causedBy"),
    ("locatedIn", "locationOf"), ("partOf", "hasPart"), ("undertakes", "undertakenBy"),
    ("affiliatedWith", "hasAffiliate"), ("authorOf", "hasAuthor"), ("enables", "enabledBy"),
    ("uses", "usedBy"), ("exemplifies", "exemplifiedBy"), ("mentions", "mentionedIn"),
])
def test_inverses_are_declared(prop, inverse):
    assert (KG[prop], OWL.inverseOf, KG[inverse]) in ONTO
    assert (KG[inverse], RDF.type, OWL.ObjectProperty) in ONTO


@pytest.mark.parametrize("prop", ["locatedIn", "partOf"])
def test_transitive_properties(prop):
    assert (KG[prop], RDF.type, OWL.TransitiveProperty) in ONTO


@pytest.mark.parametrize("sub,sup", [("prevents", "addresses"), ("subsidiaryOf", "partOf")])
def test_finer_properties_are_subproperties(sub, sup):
    assert (KG[sub], RDFS.subPropertyOf, KG[sup]) in ONTO


def test_every_class_and_property_used_in_axioms_is_declared():
    """OWL 2 DL needs declarations; reserved vocabulary (rdf:Statement) is not a class."""
    declared_classes = set(ONTO.subjects(RDF.type, OWL.Class))
    declared_props = set(ONTO.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ONTO.subjects(RDF.type, OWL.DatatypeProperty))
    missing = []
    for p in (RDFS.subClassOf, RDFS.domain, RDFS.range):
        for s, o in ONTO.subject_objects(p):
            if p == RDFS.range and (s, RDF.type, OWL.DatatypeProperty) in ONTO:
                continue  # datatype ranges are datatypes
            if isinstance(o, URIRef) and o not in declared_classes:
                missing.append((s, p, o))
    for s, o in ONTO.subject_objects(RDFS.subPropertyOf):
        if o not in declared_props:
            missing.append((s, RDFS.subPropertyOf, o))
    assert missing == []


def test_graph_vocabulary_is_declared():
    """Every class and kg: predicate of the example graph exists in the ontology."""
    g = rdflib.Graph().parse(MINI)
    terms = set(ONTO.subjects())
    used = {o for o in g.objects(None, RDF.type) if str(o).startswith(str(KG))}
    used |= {p for p in g.predicates() if str(p).startswith(str(KG))}
    assert sorted(used - terms) == []


def test_vocabulary_loader_sees_the_class_tree():
    v = load()
    assert v.core("Bank") == "Institution"
    assert v.is_subclass("City", "Region")
    assert "offers" in v.properties


def test_vocabulary_reads_classes_properties_domains_and_ranges_as_rdflib_sees_them():
    vocab = load()
    classes = {str(c)[len(str(KG)):] for c in ONTO.subjects(RDF.type, OWL.Class)
               if isinstance(c, URIRef) and str(c).startswith(str(KG))}
    assert set(vocab.parents) == classes
    for c in classes:
        parent = next((str(p)[len(str(KG)):] for p in ONTO.objects(KG[c], RDFS.subClassOf)
                       if isinstance(p, URIRef) and str(p).startswith(str(KG))), None)
        assert vocab.parents[c] == parent, c
    assert vocab.properties == {str(p)[len(str(KG)):] for p in ONTO.subjects(RDF.type, OWL.ObjectProperty)
                                if str(p).startswith(str(KG))}
    assert vocab.is_subclass("Bank", "Institution")
    assert vocab.fits("offers", "Bank", "FinancialProduct")
    assert not vocab.fits("offers", "Problem", "Bank")


@pytest.mark.parametrize("text, expected", [
    ("@prefix kg: <https://w3id.org/kg-zh/ontology#> .\nkg:A a kg:B",
     "cannot parse {bad} as Turtle: line 2, column 12: Unexpected end"),
    ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n",
     "{bad}: core class Institution is not declared"),
])
def test_a_bad_ontology_file_is_named_in_one_line(tmp_path, text, expected):
    from kg.errors import OntologyError

    bad = tmp_path / "kg.ttl"
    bad.write_text(text, "utf-8")
    with pytest.raises(OntologyError) as e:
        load(bad)
    assert e.value.problems[0] == expected.format(bad=bad)


# Every command that reads kg.ttl names a syntax error in it alike: the file, the line
# and columns, and why (as a graph file's).
ONTOLOGY_COMMANDS = [
    ("build", MINI.parent / "none", "--out", "out"), ("explain", "杭州银行推出科创贷。"),
    ("rules", "check"), ("validate", "--graph", MINI), ("reason", "--graph", MINI, "--out", "r.ttl"),
    ("export", "--graph", MINI, "--format", "owl", "--out", "x.owl"), ("stats", "--graph", MINI),
    ("viz", "--graph", MINI, "--out", "v.html"), ("query", "--graph", MINI, "articles"),
]


@pytest.mark.parametrize("command", ONTOLOGY_COMMANDS, ids=lambda c: c[0])
def test_a_syntax_error_in_the_ontology_is_one_line_with_its_place_and_reason(ontology_copy,
                                                                               command):
    kg_ttl = ontology_copy.dir / "kg.ttl"
    text = kg_ttl.read_text("utf-8")
    kg_ttl.write_text(text + 'kg:X a owl:Class ;\n rdfs:subClassOf kg:Product\n rdfs:label "x"@zh .\n',
                      "utf-8")
    line = text.count("\n") + 3
    r = ontology_copy(*command)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"Error: cannot parse {kg_ttl} as Turtle: line {line}, "
                                     "columns 2-11: A dot is expected at the end of statements"]
    assert not any(p.name in ("out", "r.ttl", "x.owl", "v.html")
                   for p in ontology_copy.dir.parent.iterdir())


def test_a_missing_ontology_file_is_named(tmp_path):
    from kg.errors import OntologyError

    with pytest.raises(OntologyError) as e:
        load(tmp_path / "nope.ttl")
    assert e.value.problems == [f"{tmp_path / 'nope.ttl'}: ontology file not found"]


# a misspelt term: (the text of kg.ttl, what replaces it, the one problem with {line}: the
# line holding the replacement); its classes and properties are not reported again
MISSPELT = [
    ("kg:FinancialProduct a owl:Class", "kg:FinancialProduct a owl:Clas",
     "owl:Clas is no OWL term (did you mean owl:Class?); named by kg:FinancialProduct"),
    ("kg:FinancialProduct a owl:Class ;\n    rdfs:subClassOf kg:Product ;",
     "kg:FinancialProduct a owl:Class ;\n    rdfs:subClassOf kg:Prodcut ;",
     "kg:Prodcut is not declared (did you mean kg:Product?); named by kg:FinancialProduct"),
    ("kg:FinancialProduct a owl:Class ;\n    rdfs:subClassOf kg:Product ;",
     "kg:FinancialProduct a owl:Class ;\n    rdfs:subClasOf kg:Product ;",
     "rdfs:subClasOf is no RDFS term (did you mean rdfs:subClassOf?); named by kg:FinancialProduct"),
    ("kg:Region kg:Person kg:Event", "kg:Region kg:Persn kg:Event",
     "kg:Persn is not declared (did you mean kg:Person?)"),
    ("kg:Region kg:Person kg:Event", "kg:Region kg:Zzzz kg:Event", "kg:Zzzz is not declared"),
]


@pytest.mark.parametrize("old, new, problem", MISSPELT)
def test_a_misspelt_term_is_one_problem_naming_its_line(tmp_path, old, new, problem):
    from kg.errors import OntologyError

    text = ONTOLOGY_FILE.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    bad = tmp_path / "kg.ttl"
    bad.write_text(text, "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if new.splitlines()[-1] in t)
    with pytest.raises(OntologyError) as e:
        load(bad)
    assert e.value.problems == [f"{bad}:{line}: {problem}"]


@pytest.mark.parametrize("name, entity", [
    ("Bank", True), ("Institution", True), ("Concept", True),
    ("Article", False), ("Sentence", False), ("Bnak", False),
])
def test_entity_classes_are_those_below_a_core_class_but_article(name, entity):
    assert load().is_entity_class(name) is entity
