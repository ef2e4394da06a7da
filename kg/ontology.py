"""The vocabulary of ``ontology/kg.ttl``: class tree and object properties.

Rules, the resolver and the RDF writer ask this module which names exist; it
reads the ontology file once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import OntologyError

NS = "https://w3id.org/kg-zh/ontology#"
DATA_NS = "https://w3id.org/kg-zh/id/"
def _ontology_dir() -> Path:
    """ontology/ of the source checkout (or editable install), else the copy that a
    regular install puts under <prefix>/share/kg; KG_ONTOLOGY_DIR overrides both."""
    import os
    import sys

    if os.environ.get("KG_ONTOLOGY_DIR"):
        return Path(os.environ["KG_ONTOLOGY_DIR"])
    beside = Path(__file__).resolve().parent.parent / "ontology"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "kg" / "ontology"


ONTOLOGY_DIR = _ontology_dir()
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"

# The classes the extractor delivers; every entity class descends from one of them.
CORE_CLASSES = (
    "Institution", "Product", "Problem", "Remedy", "Region",
    "Person", "Concept", "Event", "Document", "Article",
)


@dataclass(frozen=True)
class Vocabulary:
    parents: dict  # class local name -> parent local name (None if outside kg:)
    properties: frozenset  # object property local names
    path: str
    domains: dict = None  # property -> frozenset of allowed subject classes (absent: any)
    ranges: dict = None  # property -> frozenset of allowed object classes (absent: any)

    def fits(self, prop: str, subject_cls: str, object_cls: str) -> bool:
        """Whether classes respect the property's domain and range."""
        d = (self.domains or {}).get(prop)
        r = (self.ranges or {}).get(prop)
        return (d is None or subject_cls in d) and (r is None or object_cls in r)

    def core(self, cls: str) -> str:
        """The core class a (sub)class descends from."""
        seen = cls
        while seen is not None and seen not in CORE_CLASSES:
            seen = self.parents.get(seen)
        if seen is None:
            raise OntologyError([f"{self.path}: class {cls!r} does not descend from a core class"])
        return seen

    def is_class(self, name: str) -> bool:
        return name in self.parents

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        while cls is not None:
            if cls == ancestor:
                return True
            cls = self.parents.get(cls)
        return False


def parse_turtle(path: str | Path, what: str = "ontology"):
    """A curated Turtle file (ontology, shapes) as an rdflib Graph; one-line errors."""
    import rdflib

    path = Path(path)
    g = rdflib.Graph()
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError:
        raise OntologyError([f"{path}: {what} file not found"]) from None
    except Exception as e:  # rdflib parser errors come in many classes
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise OntologyError([f"{path}: cannot parse {what}: {msg}"]) from e
    return g


@lru_cache(maxsize=4)
def load(path: str | Path = ONTOLOGY_FILE) -> Vocabulary:
    import rdflib
    import rdflib.collection
    from rdflib.namespace import OWL, RDF, RDFS

    path = Path(path)
    g = parse_turtle(path)
    parents = {}
    for c in g.subjects(RDF.type, OWL.Class):
        if isinstance(c, rdflib.URIRef) and str(c).startswith(NS):
            name = str(c)[len(NS):]
            parent = None
            for p in g.objects(c, RDFS.subClassOf):
                if isinstance(p, rdflib.URIRef) and str(p).startswith(NS):
                    parent = str(p)[len(NS):]
            parents[name] = parent
    props = frozenset(
        str(p)[len(NS):]
        for p in g.subjects(RDF.type, OWL.ObjectProperty)
        if isinstance(p, rdflib.URIRef) and str(p).startswith(NS)
    )
    def below(name: str) -> set[str]:
        out = set()
        for c in parents:
            x = c
            while x is not None:
                if x == name:
                    out.add(c)
                    break
                x = parents.get(x)
        return out

    def classes_of(node) -> frozenset | None:
        if isinstance(node, rdflib.URIRef):
            if str(node).startswith(NS):
                return frozenset(below(str(node)[len(NS):]))
            return None
        members = g.value(node, OWL.unionOf)
        if members is None:
            return None
        out: set[str] = set()
        for m in rdflib.collection.Collection(g, members):
            sub = classes_of(m)
            if sub is None:
                return None
            out |= sub
        return frozenset(out)

    domains, ranges = {}, {}
    for p in props:
        iri = rdflib.URIRef(NS + p)
        for table, pred in ((domains, RDFS.domain), (ranges, RDFS.range)):
            node = g.value(iri, pred)
            if node is not None:
                cls = classes_of(node)
                if cls is not None:
                    table[p] = cls
    missing = [c for c in CORE_CLASSES if c not in parents]
    if missing:
        raise OntologyError([f"{path}: core class {c} is not declared" for c in missing])
    return Vocabulary(parents=parents, properties=props, path=str(path), domains=domains,
                      ranges=ranges)
