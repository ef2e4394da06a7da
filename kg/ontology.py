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


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"


def _read_triples(path: Path) -> list[tuple]:
    """(subject, predicate, object) of a Turtle file, each term as its pyoxigraph term.

    Read with pyoxigraph, not rdflib: every build reads the ontology, and rdflib costs
    a fifth of a second to import where pyoxigraph costs a twentieth."""
    import pyoxigraph as ox

    try:
        with open(path, "rb") as fh:
            return [(t.subject, t.predicate, t.object)
                    for t in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())]
    except FileNotFoundError:
        raise OntologyError([f"{path}: ontology file not found"]) from None
    except OSError as e:
        raise OntologyError([f"{path}: cannot read ontology: {e.strerror or e}"]) from None
    except (SyntaxError, ValueError) as e:
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise OntologyError([f"{path}: cannot parse ontology: {msg}"]) from None


@lru_cache(maxsize=4)
def load(path: str | Path = ONTOLOGY_FILE) -> Vocabulary:
    import pyoxigraph as ox

    path = Path(path)
    objects: dict[tuple, list] = {}  # (subject, predicate IRI) -> objects
    subjects: dict[tuple, list] = {}  # (predicate IRI, object) -> subjects
    for s, p, o in _read_triples(path):
        objects.setdefault((s, p.value), []).append(o)
        subjects.setdefault((p.value, o), []).append(s)

    def local(term) -> str | None:
        if isinstance(term, ox.NamedNode) and term.value.startswith(NS):
            return term.value[len(NS):]
        return None

    def typed(cls: str) -> list[str]:
        return [n for n in (local(x) for x in subjects.get((_RDF + "type", ox.NamedNode(cls)), []))
                if n is not None]

    parents: dict[str, str | None] = {}
    for name in typed(_OWL + "Class"):
        parent = None
        for sup in objects.get((ox.NamedNode(NS + name), _RDFS + "subClassOf"), []):
            parent = local(sup) or parent
        parents[name] = parent
    props = frozenset(typed(_OWL + "ObjectProperty"))

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

    def one(node, pred: str):
        values = objects.get((node, pred), [])
        return values[0] if values else None

    def classes_of(node) -> frozenset | None:
        """The classes a domain or range allows: a class and its subclasses, or a union."""
        if isinstance(node, ox.NamedNode):
            name = local(node)
            return frozenset(below(name)) if name is not None else None
        members = one(node, _OWL + "unionOf")
        if members is None:
            return None
        out: set[str] = set()
        seen = set()
        while isinstance(members, ox.BlankNode) and members not in seen:  # an RDF list
            seen.add(members)
            first = one(members, _RDF + "first")
            sub = classes_of(first) if first is not None else None
            if sub is None:
                return None
            out |= sub
            members = one(members, _RDF + "rest")
        return frozenset(out)

    domains, ranges = {}, {}
    for p in props:
        node = ox.NamedNode(NS + p)
        for table, pred in ((domains, _RDFS + "domain"), (ranges, _RDFS + "range")):
            value = one(node, pred)
            if value is not None:
                cls = classes_of(value)
                if cls is not None:
                    table[p] = cls
    missing = [c for c in CORE_CLASSES if c not in parents]
    if missing:
        raise OntologyError([f"{path}: core class {c} is not declared" for c in missing])
    return Vocabulary(parents=parents, properties=props, path=str(path), domains=domains,
                      ranges=ranges)
