"""``kg export --format owl``: the graph as one OWL 2 DL document (RDF/XML).

The document holds the ontology (ontology/kg.ttl, its axioms inline rather than
imported, so it opens offline) and the entity layer of the graph: every entity and
article declared an ``owl:NamedIndividual`` with its class, labels and the
relations between them. OWL-API tools (Protégé, owlready2, HermiT) see no
individual without that declaration.

The provenance layer is left out: an ``rdf:Statement`` whose ``rdf:predicate`` is
``kg:offers`` uses an object property as an individual (punning that OWL 2 DL
forbids for reserved vocabulary), and sentences are evidence, not knowledge.
They stay in kg.ttl; ``kg reason --reasoner hermit`` reads them there to explain
an inconsistency.

The RDF/XML is written here, sorted, with canonical blank-node ids, so the same
graph always gives the same bytes (rdflib's RDF/XML writers do not sort).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..ontology import DATA_NS, NS, ONTOLOGY_FILE
from ..triples import BNODE, IRI, LITERAL, RDF_NS, RDF_TYPE, iri, literal
from ..errors import counted
from . import Rendered, rdftext, triples

OWL_NS = "http://www.w3.org/2002/07/owl#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
ONTOLOGY_IRI = "https://w3id.org/kg-zh/ontology"
GRAPH_IRI = DATA_NS + "graph"  # the exported document's ontology IRI

_NAMED_INDIVIDUAL = iri(OWL_NS + "NamedIndividual")
_OWL_ONTOLOGY = iri(OWL_NS + "Ontology")
_STATEMENT = iri(RDF_NS + "Statement")
_SENTENCE = iri(NS + "Sentence")
# Annotation properties OWL 2 DL has built in (need no declaration).
_BUILTIN_ANNOTATIONS = {RDFS_NS + "label", RDFS_NS + "comment", RDFS_NS + "seeAlso",
                        RDFS_NS + "isDefinedBy", OWL_NS + "versionInfo", OWL_NS + "deprecated"}


@dataclass
class DLDocument:
    triples: list  # plain triples (kg.triples), sorted
    individuals: int
    left_out: int  # triples of the provenance layer (and anything not DL) not exported


def _declared(ontology: list) -> dict[str, set]:
    kinds = {"Class": set(), "ObjectProperty": set(), "DatatypeProperty": set(),
             "AnnotationProperty": set(_BUILTIN_ANNOTATIONS)}
    for s, p, o in ontology:
        if p == RDF_TYPE and s[0] == IRI and o[0] == IRI and o[1].startswith(OWL_NS):
            kind = o[1][len(OWL_NS):]
            if kind in kinds:
                kinds[kind].add(s[1])
    return kinds


def load_ontology(path: str | Path = ONTOLOGY_FILE) -> list:
    """The ontology's plain triples (canonical blank nodes)."""
    from ..ontology import parse_turtle

    return rdftext.plain_triples(parse_turtle(path))


def dl_document(graph, ontology: list | None = None) -> DLDocument:
    """The OWL 2 DL triples of ontology + entity layer of ``graph`` (rdflib or plain)."""
    ontology = load_ontology() if ontology is None else ontology
    declared = _declared(ontology)
    classes, objprops = declared["Class"], declared["ObjectProperty"]
    dataprops, annprops = declared["DatatypeProperty"], declared["AnnotationProperty"]
    vocabulary = classes | objprops | dataprops | annprops

    out: set = set()
    for s, p, o in ontology:  # the vocabulary's header becomes the document's
        if s == iri(ONTOLOGY_IRI):
            if p[1] == OWL_NS + "versionIRI":
                continue
            s = iri(GRAPH_IRI)
        out.add((s, p, o))
    out.add((iri(GRAPH_IRI), iri(RDFS_NS + "comment"), literal(
        "Written by `kg export --format owl`: the kg ontology (" + ONTOLOGY_IRI + ") and the "
        "entities of a graph as named individuals. Provenance (sentences, rules) is in kg.ttl.",
        lang="en")))

    data = rdftext.plain_triples(graph)
    provenance = {s for s, p, o in data if p == RDF_TYPE and o in (_STATEMENT, _SENTENCE)}
    individuals: set = set()
    kept = 0

    def individual(t) -> bool:
        return t[0] == IRI and t not in provenance and t[1] not in vocabulary

    for s, p, o in data:
        if not individual(s):
            continue
        if p == RDF_TYPE:
            ok = o[0] == IRI and o[1] in classes and o != _SENTENCE
        elif p[1] in objprops:
            ok = individual(o)
            if ok:
                individuals.add(o)
        elif p[1] in dataprops:
            ok = o[0] == LITERAL
        elif p[1] in annprops:
            ok = o[0] == LITERAL or individual(o)
        else:
            ok = False
        if ok:
            out.add((s, p, o))
            individuals.add(s)
            kept += 1
    for ind in individuals:
        out.add((ind, RDF_TYPE, _NAMED_INDIVIDUAL))
    return DLDocument(sorted(out), len(individuals), len(data) - kept)


# -------------------------------------------------------------------- RDF/XML
_XML_PREFIXES = dict(rdftext.PREFIXES, xsd=rdftext.PREFIXES["xsd"])


def _qname(uri: str, namespaces: dict) -> str:
    for prefix, ns in sorted(_XML_PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if uri.startswith(ns) and rdftext._LOCAL.match(uri[len(ns):]) and not uri[len(ns)].isdigit():
            namespaces[prefix] = ns
            return f"{prefix}:{uri[len(ns):]}"
    cut = max(uri.rfind("/"), uri.rfind("#")) + 1
    ns, local = uri[:cut], uri[cut:]
    if not local or not (local[0].isalpha() or local[0] == "_"):
        raise ValueError(f"cannot write predicate {uri} in RDF/XML")
    prefix = next((k for k, v in namespaces.items() if v == ns), None) or f"ns{len(namespaces)}"
    namespaces[prefix] = ns
    return f"{prefix}:{local}"


def _node_attr(t: tuple, attr: str) -> str:
    if t[0] == BNODE:
        return f"rdf:nodeID={quoteattr(rdftext.bnode_label(t[1])[2:])}"
    return f"rdf:{attr}={quoteattr(t[1])}"


def rdfxml(triples: list) -> str:
    """RDF/XML, one ``rdf:Description`` per subject, subjects and properties sorted."""
    namespaces = {"rdf": RDF_NS}
    body = []
    by_subject: dict = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    for s in sorted(by_subject):
        body.append(f"  <rdf:Description {_node_attr(s, 'about')}>")
        for p, o in sorted(by_subject[s]):
            q = _qname(p[1], namespaces)
            if o[0] == LITERAL:
                attrs = ""
                if o[2]:
                    attrs = f" xml:lang={quoteattr(o[2])}"
                elif o[3]:
                    attrs = f" rdf:datatype={quoteattr(o[3])}"
                body.append(f"    <{q}{attrs}>{escape(o[1])}</{q}>")
            else:
                body.append(f"    <{q} {_node_attr(o, 'resource')}/>")
        body.append("  </rdf:Description>")
    head = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    head += [f"    xmlns:{k}={quoteattr(v)}" for k, v in sorted(namespaces.items())]
    head[-1] += ">"
    return "\n".join(head + body + ["</rdf:RDF>", ""])


def write_owl(graph) -> Rendered:
    """The ``owl`` export format: the ontology and the individuals, no provenance."""
    doc = dl_document(graph)
    return Rendered(rdfxml(doc.triples), f"{triples(len(doc.triples))} (the ontology and "
                                         f"{counted(doc.individuals, 'individual', thousands=True)})")
