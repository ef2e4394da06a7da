"""RDF terms and namespaces: the one place that knows them.

Plain terms without rdflib. A term is ``(kind, value, language, datatype)``: an IRI
``(0, iri, "", "")``, a blank node ``(1, label, "", "")`` or a literal ``(2, text, lang,
datatype IRI or "")``. The tuple is also the term's sort key (IRIs, then blank nodes,
then literals, each by text), so sorting a list of triples is one C-level sort. The
build makes its graph of these: rdflib terms cost several times more to make and an
rdflib Graph as much again to fill. Writers take plain triples; ``to_rdflib`` and
``to_ox`` convert for what needs rdflib (the HTML views, GraphML, TriG) or pyoxigraph
(the Oxigraph store), ``from_rdflib`` and ``from_ox`` back.

The namespaces of the graph and the ontology, and ``PREFIXES``, the one prefix table:
the Turtle, N-Triples, TriG and JSON-LD writers compact IRIs with it, ``kg query``
predeclares it and prints IRIs with it, ``kg validate`` reports with it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

IRI, BNODE, LITERAL = 0, 1, 2

# ----------------------------------------------------------------- namespaces
NS = "https://w3id.org/kg-zh/ontology#"  # the ontology: classes and properties (kg:)
DATA_NS = "https://w3id.org/kg-zh/id/"  # the data: entities, articles, sentences (kgd:)
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SH_NS = "http://www.w3.org/ns/shacl#"

# The prefix table. Its order is the order ``kg query`` lists the predeclared prefixes
# in; writers sort the prefixes they use, so the table's order never reaches a file.
PREFIXES = {
    "kg": NS,
    "kgd": DATA_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": OWL_NS,
    "xsd": XSD_NS,
    "skos": SKOS_NS,
    "prov": PROV_NS,
    "dcterms": DCTERMS_NS,
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": SH_NS,
}
# Longest namespace first, so that kgd: is never mistaken for a kg: name.
PREFIXES_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

RDF_TYPE = (IRI, RDF_NS + "type", "", "")
XSD_STRING = XSD_NS + "string"
XSD_INTEGER = XSD_NS + "integer"


def local_name(iri: str) -> str:
    """The part of an IRI after the last ``#`` or ``/``."""
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


def iri(value: str) -> tuple:
    return (IRI, value, "", "")


def literal(value: str, lang: str = "", datatype: str = "") -> tuple:
    """A literal; xsd:string, the datatype of plain literals in RDF 1.1, is left implicit."""
    if datatype == XSD_STRING or lang:
        datatype = ""
    return (LITERAL, value, lang, datatype)


def integer(n: int) -> tuple:
    return (LITERAL, str(n), "", XSD_INTEGER)


# ----------------------------------------------------------------- conversions
# rdflib and pyoxigraph are imported by the conversions, not here: ``kg build`` without
# pages makes and writes its graph of plain terms and never loads rdflib.
def from_rdflib(t) -> tuple:
    from rdflib import BNode, Literal

    if isinstance(t, Literal):
        return literal(str(t), t.language or "", str(t.datatype) if t.datatype else "")
    if isinstance(t, BNode):
        return (BNODE, str(t), "", "")
    return (IRI, str(t), "", "")


def to_rdflib(t: tuple):
    from rdflib import BNode, Literal, URIRef

    kind, value, lang, datatype = t
    if kind == IRI:
        return URIRef(value)
    if kind == BNODE:
        return BNode(value)
    return Literal(value, lang=lang or None, datatype=URIRef(datatype) if datatype else None)


def to_ox(t: tuple):
    """The pyoxigraph term of a plain term."""
    import pyoxigraph as ox

    kind, value, lang, datatype = t
    if kind == IRI:
        return ox.NamedNode(value)
    if kind == BNODE:
        return ox.BlankNode(value)
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def from_ox(t) -> tuple:
    """The plain term of a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(t, ox.Literal):
        return literal(t.value, t.language or "", t.datatype.value)
    if isinstance(t, ox.BlankNode):
        return (BNODE, t.value, "", "")
    return (IRI, t.value, "", "")


_SHORT = 8  # objects of one subject and predicate kept in a list up to this many, then a set


class Triples:
    """A set of plain triples grouped by subject, with the prefixes to write them with.

    Stored as subject -> predicate -> objects (a list while short, then a set), the
    shape Turtle is written in.
    Iterating yields rdflib triples (as iterating an rdflib Graph does); ``plain()``
    the tuples themselves.
    """

    def __init__(self, triples: Iterable[tuple] = (), prefixes: dict[str, str] | None = None):
        self.by_subject: dict[tuple, dict[tuple, list | set]] = {}
        self._n = 0
        self.has_bnodes = False
        self.prefixes = dict(prefixes or {})
        for t in triples:
            self.add(t)

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        props = self.by_subject.get(s)
        if props is None:
            props = self.by_subject[s] = {}
        objs = props.get(p)
        if objs is None:
            props[p] = [o]
        elif o in objs:
            return
        elif type(objs) is list:
            objs.append(o)
            if len(objs) > _SHORT:
                props[p] = set(objs)
        else:
            objs.add(o)
        self._n += 1
        if s[0] == BNODE or o[0] == BNODE:
            self.has_bnodes = True

    def add_all(self, s: tuple, pairs: Iterable[tuple[tuple, tuple]]) -> None:
        """Add (s, p, o) for every (p, o) of ``pairs``."""
        add = self.add
        for p, o in pairs:
            add((s, p, o))

    def __len__(self) -> int:
        return self._n

    def plain(self) -> list[tuple]:
        return [(s, p, o) for s, props in self.by_subject.items() for p, objs in props.items()
                for o in objs]

    def __iter__(self) -> Iterator[tuple]:
        conv = lru_cache(maxsize=None)(to_rdflib)  # terms recur: convert each once
        for s, p, o in sorted(self.plain()):
            yield conv(s), conv(p), conv(o)

    def namespaces(self) -> Iterator[tuple[str, str]]:
        from rdflib import URIRef

        for prefix, ns in sorted(self.prefixes.items()):
            yield prefix, URIRef(ns)

    def to_rdflib(self):
        """The same triples in an rdflib Graph (with the prefixes bound)."""
        import rdflib

        g = rdflib.Graph()
        for prefix, ns in self.namespaces():
            g.bind(prefix, ns, override=True, replace=True)
        for t in self:
            g.add(t)
        return g
