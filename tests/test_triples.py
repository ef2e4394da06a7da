"""kg.triples: the build's graph of plain tuple terms, a set of triples grouped by subject."""

from __future__ import annotations

import rdflib
from rdflib.compare import isomorphic

from kg.triples import XSD_INTEGER, XSD_STRING, Triples, from_rdflib, integer, iri, literal, to_rdflib

KG = "https://w3id.org/kg-zh/ontology#"
A, MENTIONS = iri("https://w3id.org/kg-zh/id/article-a"), iri(KG + "mentions")


def test_a_triple_added_twice_counts_once_as_objects_grow_from_list_to_set():
    g = Triples()
    entities = [iri(f"https://w3id.org/kg-zh/id/e{i}") for i in range(20)]
    for e in entities + entities[::-1]:  # past the short-list size, then all again
        g.add((A, MENTIONS, e))
    assert len(g) == 20
    assert sorted(g.plain()) == sorted((A, MENTIONS, e) for e in entities)


def test_add_all_is_add_of_each_pair():
    one, many = Triples(), Triples()
    pairs = [(MENTIONS, iri("https://w3id.org/kg-zh/id/x")), (iri(KG + "rule"), literal("r1")),
             (MENTIONS, iri("https://w3id.org/kg-zh/id/x"))]
    for p, o in pairs:
        one.add((A, p, o))
    many.add_all(A, pairs)
    assert sorted(one.plain()) == sorted(many.plain()) and len(many) == 2


def test_xsd_string_is_the_plain_literal_and_a_language_drops_the_datatype():
    assert literal("x", datatype=XSD_STRING) == literal("x")
    assert literal("x", "zh", XSD_STRING) == literal("x", "zh")
    assert integer(7) == literal("7", datatype=XSD_INTEGER)


def test_rdflib_terms_round_trip():
    for t in (rdflib.URIRef(KG + "Bank"), rdflib.BNode("b1"), rdflib.Literal("网商银行", lang="zh"),
              rdflib.Literal(3), rdflib.Literal("plain")):
        assert to_rdflib(from_rdflib(t)) == t


def test_to_rdflib_holds_the_same_graph_and_prefixes():
    g = Triples([(A, MENTIONS, iri("https://w3id.org/kg-zh/id/x")), (A, iri(KG + "rule"), literal("r"))],
                prefixes={"kg": KG})
    expected = rdflib.Graph()
    expected.add((rdflib.URIRef(A[1]), rdflib.URIRef(KG + "mentions"),
                  rdflib.URIRef("https://w3id.org/kg-zh/id/x")))
    expected.add((rdflib.URIRef(A[1]), rdflib.URIRef(KG + "rule"), rdflib.Literal("r")))
    converted = g.to_rdflib()
    assert isomorphic(converted, expected)
    assert ("kg", rdflib.URIRef(KG)) in set(converted.namespaces())
