"""Plain RDF: terms as tuples and a set of triples, without rdflib.

A term is ``(kind, value, language, datatype)``: an IRI ``(0, iri, "", "")``, a blank
node ``(1, label, "", "")`` or a literal ``(2, text, lang, datatype IRI or "")``. The
tuple is also the term's sort key (IRIs, then blank nodes, then literals, each by
text), so sorting a list of triples is one C-level sort. The build makes its graph of
these: rdflib terms cost several times more to make and an rdflib Graph as much again
to fill. Writers take plain triples; ``to_rdflib`` converts for what needs rdflib
(the HTML pages, the Oxigraph store, GraphML).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

IRI, BNODE, LITERAL = 0, 1, 2

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = (IRI, RDF_NS + "type", "", "")
XSD_STRING = XSD_NS + "string"
XSD_INTEGER = XSD_NS + "integer"


def iri(value: str) -> tuple:
    return (IRI, value, "", "")


def literal(value: str, lang: str = "", datatype: str = "") -> tuple:
    """A literal; xsd:string, the datatype of plain literals in RDF 1.1, is left implicit."""
    if datatype == XSD_STRING or lang:
        datatype = ""
    return (LITERAL, value, lang, datatype)


def integer(n: int) -> tuple:
    return (LITERAL, str(n), "", XSD_INTEGER)


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
