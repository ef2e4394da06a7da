"""The vocabulary of ``ontology/kg.ttl``: class tree, object properties, labels.

Rules, the resolver, the RDF writer, the pages and ``kg eval`` ask this module which
names exist, what they are called and what is below what; it reads the ontology file
once per process (with pyoxigraph, see ``_read_triples``). ``ancestors`` is the one walk
up the class tree.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterator

from .errors import OntologyError, closest
from .triples import DATA_NS, NS, OWL_NS as _OWL, RDF_NS as _RDF, RDFS_NS as _RDFS  # noqa: F401


def _ontology_dir() -> Path:
    """ontology/ of the source checkout (or editable install), else the copy that a
    regular install puts under <prefix>/share/kg; KG_ONTOLOGY_DIR overrides both."""
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
# The cores of what rules and the lexicon find in a text (an Article is a source)
ENTITY_CORES = tuple(c for c in CORE_CLASSES if c != "Article")
NOT_ENTITY = f"is not an entity class (those are {', '.join(ENTITY_CORES)} and their subclasses)"

# The terms of the W3C namespaces an ontology is written in: any other name there is a
# typo (owl:Clas, rdfs:subClasOf) that would silently drop what its statement says.
W3C_TERMS = {
    _OWL: ("OWL", frozenset("""
        AllDifferent AllDisjointClasses AllDisjointProperties Annotation AnnotationProperty
        AsymmetricProperty Axiom Class DataRange DatatypeProperty DeprecatedClass
        DeprecatedProperty FunctionalProperty InverseFunctionalProperty IrreflexiveProperty
        NamedIndividual NegativePropertyAssertion Nothing ObjectProperty Ontology
        OntologyProperty ReflexiveProperty Restriction SymmetricProperty Thing
        TransitiveProperty allValuesFrom annotatedProperty annotatedSource annotatedTarget
        assertionProperty backwardCompatibleWith bottomDataProperty bottomObjectProperty
        cardinality complementOf datatypeComplementOf deprecated differentFrom
        disjointUnionOf disjointWith distinctMembers equivalentClass equivalentProperty
        hasKey hasSelf hasValue imports incompatibleWith intersectionOf inverseOf
        maxCardinality maxQualifiedCardinality members minCardinality minQualifiedCardinality
        onClass onDataRange onDatatype onProperties onProperty oneOf priorVersion
        propertyChainAxiom propertyDisjointWith qualifiedCardinality rational real sameAs
        someValuesFrom sourceIndividual targetIndividual targetValue topDataProperty
        topObjectProperty unionOf versionIRI versionInfo withRestrictions""".split())),
    _RDFS: ("RDFS", frozenset("""
        Class Container ContainerMembershipProperty Datatype Literal Resource comment domain
        isDefinedBy label member range seeAlso subClassOf subPropertyOf""".split())),
    _RDF: ("RDF", frozenset("""
        Alt Bag CompoundLiteral HTML JSON List PlainLiteral Property Seq Statement XMLLiteral
        direction first langString language nil object predicate rest subject type
        value""".split())),
}


def ancestors(parents: dict, cls: str | None) -> Iterator[str]:
    """``cls`` and the classes above it, nearest first: the one walk up the class tree
    (``parents``: class -> parent class or None). A cycle in a broken ontology ends it."""
    seen: set[str] = set()
    while cls is not None and cls not in seen:
        yield cls
        seen.add(cls)
        cls = parents.get(cls)


@dataclass(frozen=True)
class Vocabulary:
    parents: dict  # class local name -> parent local name (None if outside kg:)
    properties: frozenset  # object property local names
    path: str
    domains: dict = None  # property -> frozenset of allowed subject classes (absent: any)
    ranges: dict = None  # property -> frozenset of allowed object classes (absent: any)
    zh: dict = field(default_factory=dict)  # class or property -> its (smallest) @zh label
    en: dict = field(default_factory=dict)  # class or property -> its (smallest) @en label
    property_parents: dict = field(default_factory=dict)  # property -> its super-properties
    inverses: frozenset = frozenset()  # properties declared the owl:inverseOf another

    def fits(self, prop: str, subject_cls: str, object_cls: str) -> bool:
        """Whether classes respect the property's domain and range."""
        d = (self.domains or {}).get(prop)
        r = (self.ranges or {}).get(prop)
        return (d is None or subject_cls in d) and (r is None or object_cls in r)

    def core(self, cls: str) -> str:
        """The core class a (sub)class descends from."""
        core = self._cores.get(cls)
        if core is None:
            core = core_of(self.parents, cls)
            if core is None:
                raise OntologyError([f"{self.path}: class {cls!r} does not descend from a core "
                                     "class"])
            self._cores[cls] = core
        return core

    @cached_property
    def _cores(self) -> dict:
        """class -> its core class, as ``core`` finds them (the class tree never changes)."""
        return {}

    def is_class(self, name: str) -> bool:
        return name in self.parents

    def is_entity_class(self, name: str) -> bool:
        """Whether rules and the lexicon may give an entity this class (not Sentence,
        which is no core class's, nor Article)."""
        return name in self.parents and core_of(self.parents, name) in ENTITY_CORES

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        return ancestor in ancestors(self.parents, cls)


def core_of(parents: dict, cls: str | None) -> str | None:
    """The core class ``cls`` descends from, None if none."""
    return next((c for c in ancestors(parents, cls) if c in CORE_CLASSES), None)


@dataclass(frozen=True)
class Labels:
    """Chinese and English labels of the ontology's classes and properties, and its
    class tree (what the pages and views need of the vocabulary)."""

    zh: dict
    en: dict
    parents: dict  # class local name -> parent local name

    def zh_label(self, name: str) -> str:
        return self.zh.get(name, name)

    def core(self, cls: str) -> str | None:
        """The core class ``cls`` descends from (None if it does not)."""
        return core_of(self.parents, cls)

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        return ancestor in ancestors(self.parents, cls)


def labels(path: str | Path = ONTOLOGY_FILE) -> Labels:
    """The labels and class tree of the ontology at ``path`` (``load``)."""
    vocab = load(path)  # validates the file, raises OntologyError
    return Labels(zh=vocab.zh, en=vocab.en, parents=dict(vocab.parents))


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
        raise _syntax_problem(path, e) from e
    return g


def _syntax_problem(path: Path, e: BaseException) -> OntologyError:
    """A curated Turtle file that does not parse, worded as a graph file that does not
    ("cannot parse kg.ttl as Turtle: line 413, columns 2-11: A dot is expected ..."),
    whichever parser (rdflib, pyoxigraph) refused it."""
    from .fileio import parse_error

    return OntologyError([str(parse_error(path, "turtle", e))])


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
        raise _syntax_problem(path, e) from None


def _undeclared(triples: list[tuple], path: Path) -> list[str]:
    """One line per cause: a name of a W3C namespace that is none of its terms (owl:Clas),
    and a kg: name that nothing declares (no ``rdf:type``: kg:Prodcut for kg:Product), each
    with the terms whose statements name it (the follow-on of the cause, not reported)."""
    import pyoxigraph as ox

    declared = {s.value for s, p, _ in triples
                if p.value == _RDF + "type" and isinstance(s, ox.NamedNode)}

    def unknown(value: str) -> bool:
        if value.startswith(NS):
            return value not in declared
        ns, _, name = value.rpartition("#")
        terms = W3C_TERMS.get(ns + "#")
        return terms is not None and name not in terms[1] and not (
            ns + "#" == _RDF and re.fullmatch(r"_[1-9][0-9]*", name))  # rdf:_1, a member

    users: dict[str, dict] = {}  # a name in doubt -> the subjects naming it, in file order
    for s, p, o in triples:
        for term in (s, p, o):
            if isinstance(term, ox.NamedNode) and unknown(term.value):
                named = users.setdefault(term.value, {})
                if s != term and isinstance(s, ox.NamedNode):  # not a blank node (a list)
                    named[s.value] = None
    if not users:
        return []
    from .export.rdftext import compact

    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    problems = []
    for value, named in users.items():
        ns, _, name = value.rpartition("#")
        if value.startswith(NS):
            near = closest(name, [d[len(NS):] for d in declared if d.startswith(NS)])
            what, hint = "is not declared", f"kg:{near}" if near else None
        else:
            label, terms = W3C_TERMS[ns + "#"]
            near = closest(name, terms)
            what, hint = f"is no {label} term", f"{compact(ns + '#')}{near}" if near else None
        written = re.compile(rf"[:#]{re.escape(name)}(?![\w-])")  # kg:Prodcut, <…#Prodcut>
        n = next((n for n, line in enumerate(lines, 1)
                  if written.search(line) and not line.lstrip().startswith("#")), None)
        names = [compact(x) or f"<{x}>" for x in named]
        by = ("; named by " + ", ".join(names[:3])
              + (f" and {len(names) - 3} more" if len(names) > 3 else "")) if names else ""
        problems.append(f"{path}{f':{n}' if n else ''}: {compact(value) or f'<{value}>'} {what}"
                        + (f" (did you mean {hint}?)" if hint else "") + by)
    return problems


_LOADED: dict[str, Vocabulary] = {}  # resolved path -> its vocabulary


def load(path: str | Path = ONTOLOGY_FILE) -> Vocabulary:
    """The vocabulary of the ontology file at ``path``, read once per process whichever
    way its path is spelt."""
    key = str(Path(path).resolve())
    vocab = _LOADED.get(key)
    if vocab is None:
        vocab = _LOADED[key] = _load(Path(path))
    return vocab


def _load(path: Path) -> Vocabulary:
    import pyoxigraph as ox  # a twentieth of a second: imported by the first load only

    def local(term) -> str | None:
        if isinstance(term, ox.NamedNode) and term.value.startswith(NS):
            return term.value[len(NS):]
        return None

    path = Path(path)
    objects: dict[tuple, list] = {}  # (subject, predicate IRI) -> objects
    subjects: dict[tuple, list] = {}  # (predicate IRI, object) -> subjects
    labels: dict[str, dict] = {"zh": {}, "en": {}}
    triples = _read_triples(path)
    problems = _undeclared(triples, path)
    if problems:
        raise OntologyError(problems)
    for s, p, o in triples:
        objects.setdefault((s, p.value), []).append(o)
        subjects.setdefault((p.value, o), []).append(s)
        if p.value == _RDFS + "label" and local(s) is not None and isinstance(o, ox.Literal):
            lang = (o.language or "").lower()
            table = labels["zh"] if lang.startswith("zh") else labels["en"] if lang.startswith(
                "en") else None
            if table is not None:
                name = local(s)
                table[name] = min(table.get(name, o.value), o.value)

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
        return {c for c in parents if name in ancestors(parents, c)}

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
    property_parents: dict[str, set[str]] = {}
    for (sub, pred), sups in objects.items():
        if pred == _RDFS + "subPropertyOf" and local(sub) is not None:
            property_parents.setdefault(local(sub), set()).update(
                n for n in map(local, sups) if n is not None)
    inverses = frozenset(n for (_, pred), values in objects.items() if pred == _OWL + "inverseOf"
                         for n in map(local, values) if n is not None)
    return Vocabulary(parents=parents, properties=props, path=str(path), domains=domains,
                      ranges=ranges, zh=labels["zh"], en=labels["en"],
                      property_parents={k: frozenset(v) for k, v in property_parents.items() if v},
                      inverses=inverses)

