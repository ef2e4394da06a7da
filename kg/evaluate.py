"""``kg eval``: score a built graph against hand-made gold annotations.

A gold file (format: docs/gold.md) lists the entities and relations of one
article::

    {"article": "digital_finance",
     "entities": [{"id": "e1", "label": "某某银行", "types": ["Institution"], "aliases": []}],
     "relations": [{"s": "e1", "p": "offers", "o": "e2", "evidence": "…"}]}

Matching:

* a graph entity matches a gold entity when one of its labels (``rdfs:label``
  or ``skos:altLabel``) equals the gold label or one of its aliases in the
  form the resolver merges labels in (``kg.resolve.normalise``: NFKC, quote marks
  and white space removed, Latin lower-cased). Its type, or any ``kg:`` superclass of
  its type (``rdfs:subClassOf`` in ontology/kg.ttl), must also be among the
  gold ``types``;
* only the entities the article mentions (``kgd:article-<id> kg:mentions ?e``)
  take part, for recall as well as for precision;
* a graph relation belongs to an article when its reified statement was
  derived from a sentence of that article. An asserted relation without
  reification belongs to every article that mentions both its ends;
* a graph relation ``s p o`` matches a gold relation ``S P O`` when ``s``
  matches ``S`` and ``o`` matches ``O``. The predicate does not count for the
  match. Predicate agreement is reported apart: ``p`` agrees when it is ``P``
  or a sub-property of ``P`` (``subsidiaryOf`` agrees with ``partOf``,
  ``prevents`` with ``addresses``).

Matching is many-to-one. Two graph entities that match the same gold entity
both count as correct. Such unmerged duplicates are listed as "split".
Per-class rows count gold entities under their first type and graph entities
under their core class. Several gold files give one report each plus a
micro-averaged total (counts summed over the files).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import rdflib  # kg eval reads or builds an rdflib graph whatever it is asked
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from . import ontology, pipeline
from .errors import EvalError, InputError, counted
from .fileio import load_graph, read_input
from .rdf import article_iri
from .names import normalise
from .triples import NS


# Classes a gold entity may have (kg:Article and kg:Sentence are not entities).
ENTITY_CLASSES = ("Institution", "Product", "Problem", "Remedy", "Region",
                  "Person", "Concept", "Event", "Document")
# The five classes the extractor must deliver.
CORE_FIVE = ("Institution", "Product", "Problem", "Remedy", "Region")
# Object properties that are bookkeeping, not relations between entities.
_NOT_RELATIONS = frozenset({"mentions", "mentionedIn", "inArticle"})

_ENTITY_KEYS = {"id", "label", "types", "aliases"}
_RELATION_KEYS = {"s", "p", "o", "evidence"}
_TOP_KEYS = {"article", "text", "genre", "topic", "entities", "relations"}
_MAX_PROBLEMS = 3


# ------------------------------------------------------------------ ontology
@dataclass(frozen=True)
class _Ontology:
    class_parents: dict        # local name -> parent local name or None
    property_parents: dict     # local name -> set of super-property local names
    relation_properties: tuple  # predicates a gold relation may use

    def ancestors(self, cls: str) -> set[str]:
        return set(ontology.ancestors(self.class_parents, cls))

    def core(self, cls: str) -> str:
        return next((c for c in ontology.ancestors(self.class_parents, cls)
                     if c in ENTITY_CLASSES), cls)

    def agrees(self, graph_p: str, gold_p: str) -> bool:
        todo, seen = [graph_p], set()
        while todo:
            p = todo.pop()
            if p == gold_p:
                return True
            if p not in seen:
                seen.add(p)
                todo.extend(self.property_parents.get(p, ()))
        return False


def _ontology(path: str | None = None) -> _Ontology:
    vocab = ontology.load(path or ontology.ONTOLOGY_FILE)
    relation_props = tuple(sorted(p for p in vocab.properties
                                  if p not in vocab.inverses and p not in _NOT_RELATIONS))
    return _Ontology(class_parents=dict(vocab.parents), property_parents=vocab.property_parents,
                     relation_properties=relation_props)


# ---------------------------------------------------------------- gold files
@dataclass(frozen=True)
class GoldEntity:
    id: str
    label: str
    types: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for k in (normalise(x) for x in (self.label, *self.aliases)) if k)


@dataclass(frozen=True)
class GoldRelation:
    s: str
    p: str
    o: str
    evidence: str = ""


@dataclass(frozen=True)
class Gold:
    path: str
    article: str
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    text: str = ""     # file name of the article's text
    genre: str = ""
    topic: str = ""


def _fail(path, problems: list[str]):
    shown = "; ".join(problems[:_MAX_PROBLEMS])
    more = len(problems) - _MAX_PROBLEMS
    if more > 0:
        shown += f" (and {more} more)"
    raise EvalError(f"{path}: {shown}")


def _is_str(x) -> bool:
    return isinstance(x, str) and x.strip() != ""


def load_gold(path: str | Path, ontology_path: str | None = None) -> Gold:
    """Read and validate a gold file; raise EvalError naming the file and its problems."""

    path = Path(path)
    try:
        raw = read_input(path, "gold file")
    except InputError as e:
        raise EvalError(str(e)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise EvalError(f"{path}: not UTF-8 text (byte {e.start})") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise EvalError(f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from e
    if not isinstance(data, dict):
        raise EvalError(f"{path}: the top level must be a JSON object with keys article, entities, relations")

    problems: list[str] = []
    for key in ("article", "entities", "relations"):
        if key not in data:
            problems.append(f"missing key {key!r}")
    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(f"unknown key {key!r} (expected article, text, genre, topic, entities, relations)")
    if problems:
        _fail(path, problems)
    if not _is_str(data["article"]):
        problems.append("'article' must be a non-empty string")
    for key in ("text", "genre", "topic"):
        if key in data and not _is_str(data[key]):
            problems.append(f"{key!r} must be a non-empty string")
    for key in ("entities", "relations"):
        if not isinstance(data[key], list):
            problems.append(f"{key!r} must be a list")
    if problems:
        _fail(path, problems)

    onto = _ontology(ontology_path)
    entities: list[GoldEntity] = []
    ids: set[str] = set()
    for n, item in enumerate(data["entities"], 1):
        where = f"entity {n}"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object")
            continue
        if _is_str(item.get("id")):
            where = f"entity {item['id']}"
        for key in ("id", "label", "types"):
            if key not in item:
                problems.append(f"{where}: missing key {key!r}")
        for key in sorted(set(item) - _ENTITY_KEYS):
            problems.append(f"{where}: unknown key {key!r} (expected id, label, types, aliases)")
        eid, label = item.get("id"), item.get("label")
        types, aliases = item.get("types"), item.get("aliases", [])
        if "id" in item and not _is_str(eid):
            problems.append(f"{where}: 'id' must be a non-empty string")
        elif isinstance(eid, str) and eid in ids:
            problems.append(f"{where}: duplicate id")
        if "label" in item and not (_is_str(label) and normalise(label)):
            problems.append(f"{where}: 'label' must be a non-empty string")
        if "types" in item:
            if not (isinstance(types, list) and types and all(isinstance(t, str) for t in types)):
                problems.append(f"{where}: 'types' must be a non-empty list of class names")
                types = None
            else:
                for t in types:
                    if t not in ENTITY_CLASSES:
                        problems.append(f"{where}: unknown type {t!r} (expected one of "
                                        f"{', '.join(ENTITY_CLASSES)})")
        if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            problems.append(f"{where}: 'aliases' must be a list of strings")
            aliases = []
        if _is_str(eid):
            ids.add(eid)
            if _is_str(label) and types:
                entities.append(GoldEntity(eid, label, tuple(types), tuple(aliases)))

    relations: list[GoldRelation] = []
    for n, item in enumerate(data["relations"], 1):
        where = f"relation {n}"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object")
            continue
        for key in ("s", "p", "o"):
            if key not in item:
                problems.append(f"{where}: missing key {key!r}")
        for key in sorted(set(item) - _RELATION_KEYS):
            problems.append(f"{where}: unknown key {key!r} (expected s, p, o, evidence)")
        s, p, o, ev = item.get("s"), item.get("p"), item.get("o"), item.get("evidence", "")
        for role, ref in (("s", s), ("o", o)):
            if role in item and ref not in ids:
                problems.append(f"{where}: {role!r} refers to unknown entity id {ref!r}")
        if "p" in item and p not in onto.relation_properties:
            problems.append(f"{where}: unknown predicate {p!r} (expected one of "
                            f"{', '.join(onto.relation_properties)})")
        if not isinstance(ev, str):
            problems.append(f"{where}: 'evidence' must be a string")
        if s in ids and o in ids and p in onto.relation_properties:
            relations.append(GoldRelation(s, p, o, ev if isinstance(ev, str) else ""))
    if problems:
        _fail(path, problems)
    return Gold(str(path), data["article"], tuple(entities), tuple(relations),
                data.get("text", ""), data.get("genre", ""), data.get("topic", ""))


# --------------------------------------------------------------------- graph
@dataclass(frozen=True)
class GraphEntity:
    iri: str
    label: str
    types: tuple[str, ...]          # kg: local names of its rdf:type(s)
    core: str                       # its core class (first type's)
    keys: frozenset[str]            # normalised label and alt labels
    ancestors: frozenset[str]       # its types and all their kg: superclasses


@dataclass(frozen=True)
class GraphRelation:
    s: str
    p: str
    o: str


@dataclass
class _ArticleView:
    exists: bool
    entities: dict = field(default_factory=dict)   # iri -> GraphEntity
    relations: set = field(default_factory=set)    # GraphRelation


class _GraphIndex:
    """What the evaluation needs from the graph, computed once per graph."""

    def __init__(self, g, onto: _Ontology):
        KG = rdflib.Namespace(NS)

        self.g, self.onto = g, onto
        self._rdflib, self._RDF, self._RDFS, self._SKOS = rdflib, RDF, RDFS, SKOS
        self._KG, self._NS = KG, NS
        self._entities: dict = {}
        # relations: asserted kg: object-property triples between entities
        self._relations: dict[GraphRelation, set[str]] = {}
        statements: dict[tuple, set[str]] = {}
        for st in g.subjects(RDF.type, RDF.Statement):
            p = g.value(st, RDF.predicate)
            local = self._local(p)
            if local is None or local in _NOT_RELATIONS:
                continue
            key = (g.value(st, RDF.subject), p, g.value(st, RDF.object))
            for sent in g.objects(st, PROV.wasDerivedFrom):
                for art in g.objects(sent, KG.inArticle):
                    statements.setdefault(key, set()).add(str(art))
        for s, p, o in g:
            local = self._local(p)
            if local not in onto.relation_properties or isinstance(o, rdflib.Literal):
                continue
            arts = statements.get((s, p, o))
            if arts is None:  # not reified: every article that mentions both ends
                arts = {str(a) for a in g.subjects(KG.mentions, s)} & \
                       {str(a) for a in g.subjects(KG.mentions, o)}
            self._relations[GraphRelation(str(s), local, str(o))] = arts

    def _local(self, term) -> str | None:
        if isinstance(term, self._rdflib.URIRef) and str(term).startswith(self._NS):
            return str(term)[len(self._NS):]
        return None

    def entity(self, node) -> GraphEntity:
        iri = str(node)
        if iri not in self._entities:
            g = self.g
            types = tuple(sorted(t for t in (self._local(x) for x in g.objects(node, self._RDF.type)) if t))
            labels = sorted(str(x) for x in g.objects(node, self._RDFS.label))
            alts = sorted(str(x) for x in g.objects(node, self._SKOS.altLabel))
            ancestors = frozenset().union(*(self.onto.ancestors(t) for t in types)) if types else frozenset()
            core = next((self.onto.core(t) for t in types), "(untyped)")
            keys = frozenset(k for k in (normalise(x) for x in labels + alts) if k)
            self._entities[iri] = GraphEntity(iri, labels[0] if labels else iri, types, core,
                                              keys, ancestors)
        return self._entities[iri]

    def article(self, article_id: str) -> _ArticleView:
        node = self._rdflib.URIRef(article_iri(article_id)[1])
        exists = (node, self._RDF.type, self._KG.Article) in self.g \
            or (node, self._KG.mentions, None) in self.g
        view = _ArticleView(exists=exists)
        for e in self.g.objects(node, self._KG.mentions):
            ent = self.entity(e)
            if "Article" in ent.ancestors or "Sentence" in ent.ancestors:
                continue
            view.entities[ent.iri] = ent
        for rel, arts in self._relations.items():
            if str(node) in arts and rel.s in view.entities and rel.o in view.entities:
                view.relations.add(rel)
        return view

    def article_ids(self) -> list[str]:
        return sorted({str(i) for a in self.g.subjects(self._RDF.type, self._KG.Article)
                       for i in self.g.objects(a, DCTERMS.identifier)})


# ----------------------------------------------------------------- scoring
def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass
class Counts:
    """Counts behind precision/recall: gold items found, graph items correct."""

    gold: int = 0
    found: int = 0
    graph: int = 0
    correct: int = 0

    def add(self, other: "Counts") -> None:
        self.gold += other.gold
        self.found += other.found
        self.graph += other.graph
        self.correct += other.correct

    @property
    def recall(self):
        return _ratio(self.found, self.gold)

    @property
    def precision(self):
        return _ratio(self.correct, self.graph)

    @property
    def f1(self):
        return _f1(self.precision, self.recall)

    def as_dict(self) -> dict:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {"gold": self.gold, "found": self.found, "recall": r(self.recall),
                "graph": self.graph, "correct": self.correct, "precision": r(self.precision),
                "f1": r(self.f1)}


@dataclass
class Score:
    entities: Counts = field(default_factory=Counts)
    classes: dict = field(default_factory=lambda: {c: Counts() for c in ENTITY_CLASSES})
    relations: Counts = field(default_factory=Counts)
    core_five: Counts = field(default_factory=Counts)   # only gold/found are used
    matched_relations: int = 0
    agreeing_relations: int = 0
    # per predicate: gold relations of that predicate found; graph relations of it correct
    predicates: dict = field(default_factory=dict)
    # entities with at least one relation: gold = gold entities, found = linked ones;
    # graph = graph entities, correct = linked ones
    linked: Counts = field(default_factory=Counts)

    def add(self, other: "Score") -> None:
        self.entities.add(other.entities)
        for c, counts in other.classes.items():
            self.classes.setdefault(c, Counts()).add(counts)
        for p, counts in other.predicates.items():
            self.predicates.setdefault(p, Counts()).add(counts)
        self.relations.add(other.relations)
        self.core_five.add(other.core_five)
        self.linked.add(other.linked)
        self.matched_relations += other.matched_relations
        self.agreeing_relations += other.agreeing_relations

    @property
    def linked_share(self):
        """Share of the graph's entities that have at least one relation."""
        return _ratio(self.linked.correct, self.linked.graph)

    @property
    def gold_linked_share(self):
        return _ratio(self.linked.found, self.linked.gold)

    @property
    def agreement(self):
        return _ratio(self.agreeing_relations, self.matched_relations)

    def as_dict(self) -> dict:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {
            "entities": self.entities.as_dict(),
            "classes": {c: n.as_dict() for c, n in self.classes.items() if n.gold or n.graph},
            "relations": self.relations.as_dict(),
            "predicate_agreement": {"matched": self.matched_relations,
                                    "agreeing": self.agreeing_relations,
                                    "rate": r(self.agreement)},
            "core_five_found": {"classes": list(CORE_FIVE), "gold": self.core_five.gold,
                                "found": self.core_five.found, "recall": r(self.core_five.recall)},
            "predicates": {p: n.as_dict() for p, n in sorted(self.predicates.items())},
            "linked": {"graph_entities": self.linked.graph, "graph_linked": self.linked.correct,
                       "share": r(self.linked_share), "gold_entities": self.linked.gold,
                       "gold_linked": self.linked.found, "gold_share": r(self.gold_linked_share)},
        }


@dataclass
class FileReport:
    gold: Gold
    score: Score
    missed_entities: list
    extra_entities: list
    split_entities: list
    missed_relations: list
    extra_relations: list
    disagreements: list


def _matches(gold: GoldEntity, ent: GraphEntity) -> bool:
    return bool(gold.keys & ent.keys) and any(t in ent.ancestors for t in gold.types)


def score_article(gold: Gold, view: _ArticleView, onto: _Ontology) -> FileReport:
    """Compare one gold file with the graph entities and relations of its article."""
    by_key: dict[str, list[GraphEntity]] = {}
    for ent in view.entities.values():
        for k in ent.keys:
            by_key.setdefault(k, []).append(ent)

    match: dict[str, list[GraphEntity]] = {}   # gold id -> matching graph entities
    for ge in gold.entities:
        cands = {e.iri: e for k in ge.keys for e in by_key.get(k, ()) if _matches(ge, e)}
        match[ge.id] = sorted(cands.values(), key=lambda e: e.iri)
    matched_iris = {e.iri for ents in match.values() for e in ents}

    sc = Score()
    sc.entities = Counts(gold=len(gold.entities), found=sum(1 for g in gold.entities if match[g.id]),
                         graph=len(view.entities), correct=len(matched_iris))
    for ge in gold.entities:
        c = sc.classes.setdefault(ge.types[0], Counts())
        c.gold += 1
        c.found += bool(match[ge.id])
        if ge.types[0] in CORE_FIVE:
            sc.core_five.gold += 1
            sc.core_five.found += bool(match[ge.id])
    for ent in view.entities.values():
        c = sc.classes.setdefault(ent.core, Counts())
        c.graph += 1
        c.correct += ent.iri in matched_iris

    # relations
    gold_of: dict[str, set[str]] = {}      # graph iri -> gold ids it matches
    for gid, ents in match.items():
        for e in ents:
            gold_of.setdefault(e.iri, set()).add(gid)
    rel_index: dict[tuple[str, str], list[GraphRelation]] = {}
    for rel in view.relations:
        for gs in gold_of.get(rel.s, ()):
            for go in gold_of.get(rel.o, ()):
                rel_index.setdefault((gs, go), []).append(rel)
    labels = {g.id: g.label for g in gold.entities}
    missed_rel, disagreements, correct_rels = [], [], set()
    found = agreeing = 0
    for gr in gold.relations:
        hits = sorted(rel_index.get((gr.s, gr.o), ()), key=lambda r: (r.p, r.s, r.o))
        if not hits:
            missed_rel.append({"s": labels[gr.s], "p": gr.p, "o": labels[gr.o]})
            continue
        found += 1
        correct_rels.update(hits)
        if any(onto.agrees(h.p, gr.p) for h in hits):
            agreeing += 1
        else:
            disagreements.append({"s": labels[gr.s], "o": labels[gr.o], "gold": gr.p,
                                  "graph": sorted({h.p for h in hits})})
    sc.relations = Counts(gold=len(gold.relations), found=found, graph=len(view.relations),
                          correct=len(correct_rels))
    for gr in gold.relations:
        c = sc.predicates.setdefault(gr.p, Counts())
        c.gold += 1
        c.found += bool(rel_index.get((gr.s, gr.o)))
    for rel in view.relations:
        c = sc.predicates.setdefault(rel.p, Counts())
        c.graph += 1
        c.correct += rel in correct_rels
    gold_linked = {x for gr in gold.relations for x in (gr.s, gr.o)}
    graph_linked = {x for rel in view.relations for x in (rel.s, rel.o)}
    sc.linked = Counts(gold=len(gold.entities), found=sum(g.id in gold_linked for g in gold.entities),
                       graph=len(view.entities), correct=sum(i in graph_linked for i in view.entities))
    sc.matched_relations, sc.agreeing_relations = found, agreeing

    def show(iri: str) -> str:
        return view.entities[iri].label if iri in view.entities else iri

    missed = [{"id": g.id, "label": g.label, "types": list(g.types)}
              for g in gold.entities if not match[g.id]]
    extra = sorted(({"iri": e.iri, "label": e.label, "type": e.types[0] if e.types else e.core,
                     "core": e.core}
                    for e in view.entities.values() if e.iri not in matched_iris),
                   key=lambda d: (d["core"], d["label"], d["iri"]))
    split = [{"id": gid, "label": labels[gid], "graph": [e.label for e in ents]}
             for gid, ents in match.items() if len(ents) > 1]
    extra_rel = sorted(({"s": show(r.s), "p": r.p, "o": show(r.o)}
                        for r in view.relations if r not in correct_rels),
                       key=lambda d: (d["p"], d["s"], d["o"]))
    return FileReport(gold, sc, missed, extra, split, missed_rel, extra_rel, disagreements)


TOTALS_ONLY = ".totals-only"  # in a gold folder: kg eval shows only its totals (a blind set)


def gold_files(paths: list[str | Path]) -> list[Path]:
    """The gold files named by ``paths``: files, or folders (every ``*.json`` in them)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.glob("*.json") if f.is_file())
            if not found:
                raise EvalError(f"{p}: no gold files (*.json) in this folder")
            out.extend(found)
        else:
            out.append(p)
    if not out:
        raise EvalError("no gold file given (use --gold FILE.json or --gold FOLDER)")
    return out


def corpus_dir() -> Path:
    """The folder of the real-text corpus: ``$KG_CORPUS``, else ``../shared/corpus``."""
    return Path(os.environ.get("KG_CORPUS") or Path("..") / "shared" / "corpus")


def find_text(gold: Gold, texts_dir: Path | None = None) -> Path:
    """The text a gold file annotates: in ``texts_dir``, beside the gold file, in
    ``sources/`` or in the corpus folder (``$KG_CORPUS``). A gold file in the spec's form
    names no text, only its article: the text is then ``<article>.txt`` there, or the
    .txt of ``texts_dir``, the gold file's folder or ``sources/`` whose ``# id:`` is the
    article."""
    places = [texts_dir] if texts_dir is not None else []
    places += [Path(gold.path).parent, Path("sources"), corpus_dir()]
    name = gold.text or f"{gold.article}.txt"
    for folder in places:
        if (folder / name).is_file():
            return folder / name
    if not gold.text:
        for folder in places[:-1]:  # not the whole corpus: its files are named by the text key
            for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
                if _header_id(path) == gold.article:
                    return path
        raise EvalError(f"{gold.path}: no text of article {gold.article!r} (no {name}, and no "
                        f"text whose '# id:' is {gold.article}) in "
                        f"{', '.join(str(f) for f in places[:-1])}: add a \"text\" key, give "
                        f"--texts DIR, or score a built graph with --graph FILE")
    raise EvalError(f"{gold.path}: text {gold.text} not found in "
                    f"{', '.join(str(f) for f in places)} (set KG_CORPUS or --texts DIR)")


def _header(path: Path) -> dict[str, str]:
    """The ``# key: value`` lines that open a text (read leniently: only looked at)."""
    found: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            for line in fh:
                if not line.startswith("#"):
                    break
                key, _, value = line[1:].partition(":")
                found[key.strip()] = value.strip()
    except OSError:
        pass
    return found


def _header_id(path: Path) -> str:
    """The ``# id:`` of a text's header ('' if it has none)."""
    return _header(path).get("id", "")


def _with_header(gold: Gold, text: Path) -> Gold:
    """The gold file's genre and topic, taken from its text's header where it has none."""
    if gold.genre and gold.topic:
        return gold
    found = _header(text)
    return replace(gold, genre=gold.genre or found.get("genre", ""),
                   topic=gold.topic or found.get("topic", ""))


def _built_views(golds: list[Gold], texts_dir, rules_dir, lexicon_path, onto: _Ontology):
    """For each gold file, its article's view in a graph built afresh from its text alone;
    and the gold files with the genre and topic of their texts' headers where they have
    none."""
    paths = [find_text(g, texts_dir) for g in golds]
    extractor = pipeline.load_extractor(rules_dir, lexicon_path)
    articles, extractions, _ = pipeline.extract_sources(sorted(set(paths)), extractor)
    by_id = {a.id: (a, ex) for a, ex in zip(articles, extractions)}
    by_path = {Path(a.path).resolve(): a.id for a in articles}
    views = []
    for gold, path in zip(golds, paths):
        art_id = by_path.get(path.resolve())
        if art_id != gold.article:
            raise EvalError(f"{gold.path}: article {gold.article!r} does not match the id "
                            f"{art_id!r} of its text {path}")
        art, ex = by_id[art_id]
        entities, rels = pipeline.resolve_extractions([ex])
        graph = pipeline.graph_and_turtle([art], entities, rels, whole=True)[0]
        views.append(_GraphIndex(graph.to_rdflib(), onto).article(art_id))
    return [_with_header(g, path) for g, path in zip(golds, paths)], views


def reader_view(gold: Gold, onto: _Ontology) -> _ArticleView:
    """A second reader's annotation of an article in the place of its graph: scored
    against the gold, it measures how far two careful readers agree (``kg eval --reader``)."""
    view = _ArticleView(exists=True)
    for e in gold.entities:
        iri = f"reader:{e.id}"
        ancestors = frozenset().union(*(onto.ancestors(t) for t in e.types))
        view.entities[iri] = GraphEntity(iri, e.label, e.types, onto.core(e.types[0]), e.keys,
                                         ancestors)
    view.relations = {GraphRelation(f"reader:{r.s}", r.p, f"reader:{r.o}") for r in gold.relations}
    return view


def _reader_views(golds: list[Gold], reader_paths, ontology_path, onto) -> list[_ArticleView]:
    readers: dict[str, Gold] = {}
    for path in gold_files(reader_paths):
        other = load_gold(path, ontology_path)
        if other.article in readers:
            raise EvalError(f"{path}: article {other.article!r} is annotated twice among the "
                            f"reader's files (also {readers[other.article].path})")
        readers[other.article] = other
    views = []
    for gold in golds:
        if gold.article not in readers:
            raise EvalError(f"{gold.path}: article {gold.article!r} has no annotation among the "
                            f"reader's files ({', '.join(map(str, reader_paths))})")
        views.append(reader_view(readers[gold.article], onto))
    return views


def evaluate(gold_paths: list[str | Path], graph_path: str | Path | None = None,
             ontology_path: str | None = None, texts_dir: Path | None = None,
             rules_dir=None, lexicon_path=None, reader_paths=None
             ) -> tuple[list[FileReport], Score]:
    """Score each gold file (files or folders) against ``graph_path``, or, without one,
    against a graph built afresh from the gold file's own text, or, with ``reader_paths``
    (gold files of the same articles by a second reader), against those; return the
    per-file reports and the total."""
    golds = [load_gold(p, ontology_path) for p in gold_files(gold_paths)]  # bad gold fails first
    onto = _ontology(ontology_path)
    if reader_paths:
        if graph_path is not None:
            raise EvalError("--reader and --graph cannot be given together: a gold file is "
                            "scored against a second reader's annotation or against a graph")
        views = _reader_views(golds, reader_paths, ontology_path, onto)
    elif graph_path is None:
        golds, views = _built_views(golds, texts_dir, rules_dir, lexicon_path, onto)
    else:
        index = _GraphIndex(load_graph(graph_path), onto)
        views = []
        for gold in golds:
            view = index.article(gold.article)
            if not view.exists:
                known = ", ".join(index.article_ids()) or "none"
                raise EvalError(f"{gold.path}: article {gold.article!r} is not in the graph "
                                f"{graph_path} (articles there: {known})")
            views.append(view)
    reports, total = [], Score()
    for gold, view in zip(golds, views):
        rep = score_article(gold, view, onto)
        reports.append(rep)
        total.add(rep.score)
    return reports, total


# ----------------------------------------------------------------- reports
def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _table(score: Score) -> list[str]:
    head = f"{'':<22}{'gold':>6}{'found':>7}{'recall':>8}{'graph':>7}{'correct':>9}{'precision':>11}{'F1':>7}"
    lines = [head]

    def row(name: str, c: Counts) -> str:
        return (f"{name:<22}{c.gold:>6}{c.found:>7}{_fmt(c.recall):>8}{c.graph:>7}{c.correct:>9}"
                f"{_fmt(c.precision):>11}{_fmt(c.f1):>7}")

    lines.append(row("Entities", score.entities))
    for cls in ENTITY_CLASSES:
        c = score.classes.get(cls)
        if c and (c.gold or c.graph):
            lines.append(row(f"  {cls}", c))
    for cls, c in sorted(score.classes.items()):   # classes outside the nine (e.g. untyped)
        if cls not in ENTITY_CLASSES and (c.gold or c.graph):
            lines.append(row(f"  {cls}", c))
    lines.append(row("Relations", score.relations))
    for p, c in sorted(score.predicates.items(), key=lambda kv: (-kv[1].gold, kv[0])):
        lines.append(row(f"  {p}", c))
    lines.append(f"Predicate agreement   {score.agreeing_relations}/{score.matched_relations} "
                 f"matched relations = {_fmt(score.agreement)}")
    lines.append(f"Core five found       {score.core_five.found}/{score.core_five.gold} "
                 f"= {_fmt(score.core_five.recall)}  ({', '.join(CORE_FIVE)})")
    lines.append(f"Linked entities       graph {score.linked.correct}/{score.linked.graph} "
                 f"= {_fmt(score.linked_share)}; gold {score.linked.found}/{score.linked.gold} "
                 f"= {_fmt(score.gold_linked_share)}  (entities with at least one relation)")
    return lines


_ROW_HEAD = (f"{'':<34}{'ent P':>7}{'ent R':>7}{'ent F1':>7}{'core5 R':>8}{'rel P':>7}"
             f"{'rel R':>7}{'linked':>7}{'gold e/r':>10}")


def _row(name: str, sc: Score) -> str:
    return (f"{name[:33]:<34}{_fmt(sc.entities.precision):>7}{_fmt(sc.entities.recall):>7}"
            f"{_fmt(sc.entities.f1):>7}{_fmt(sc.core_five.recall):>8}"
            f"{_fmt(sc.relations.precision):>7}{_fmt(sc.relations.recall):>7}"
            f"{_fmt(sc.linked_share):>7}{f'{sc.entities.gold}/{sc.relations.gold}':>10}")


def genre_of(gold: Gold) -> str:
    """A gold file's genre, without its parenthesised detail ("interview (记者：/…)")."""
    return (gold.genre.split("(")[0].strip() or "(no genre)") if gold.genre else "(no genre)"


def _groups(reports: list[FileReport], key) -> list[tuple[str, Score]]:
    groups: dict[str, Score] = {}
    for rep in reports:
        groups.setdefault(key(rep.gold), Score()).add(rep.score)
    return sorted(groups.items())


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return [f"{title}: none"]
    return [f"{title} ({len(items)}):"] + [f"  {i}" for i in items]


def _details(rep: FileReport, graph_path) -> list[str]:
    out = [f"== {rep.gold.path} (article {rep.gold.article}) against {graph_path}"]
    out.extend(_table(rep.score))
    out.append("")
    out.extend(_section("Missed entities", [f"{m['label']} [{'|'.join(m['types'])}]"
                                            for m in rep.missed_entities]))
    out.extend(_section("Extra entities", [f"{e['label']} [{e['type']}]"
                                           for e in rep.extra_entities]))
    out.extend(_section("Split entities (several graph nodes for one gold entity)",
                        [f"{s['label']}: {' / '.join(s['graph'])}" for s in rep.split_entities]))
    out.extend(_section("Missed relations", [f"{r['s']} --{r['p']}--> {r['o']}"
                                             for r in rep.missed_relations]))
    out.extend(_section("Extra relations", [f"{r['s']} --{r['p']}--> {r['o']}"
                                            for r in rep.extra_relations]))
    out.extend(_section("Predicate disagreements",
                        [f"{d['s']} → {d['o']}: gold {d['gold']}, graph {', '.join(d['graph'])}"
                         for d in rep.disagreements]))
    out.append("")
    return out


def render_text(reports: list[FileReport], total: Score, graph_path, details: bool | None = None,
                totals_only: bool = False) -> str:
    """One file: its figures and every miss. Several: a row per article, genre and topic,
    then the total (with ``details``, every file's misses too). ``totals_only``: the total
    alone (for a blind set, whose misses nobody may read)."""
    out: list[str] = []
    if details is None:
        details = len(reports) == 1
    if details and not totals_only:
        for rep in reports:
            out.extend(_details(rep, graph_path))
    if len(reports) > 1:
        if not totals_only:
            for title, rows in (("article", [(r.gold.article, r.score) for r in reports]),
                                ("genre", _groups(reports, genre_of)),
                                ("topic", _groups(reports, lambda g: g.topic or "(no topic)"))):
                out.append(f"== Per {title}")
                out.append(_ROW_HEAD)
                out.extend(_row(name, sc) for name, sc in rows)
                out.append("")
        out.append(f"== Total, micro-averaged over {counted(len(reports), 'gold file')} (graph counts "
                   f"are per article: an entity of two articles counts in both)")
        out.extend(_table(total))
    elif totals_only:
        out.extend(_table(total))
    return "\n".join(out).rstrip("\n")


def render_json(reports: list[FileReport], total: Score, graph_path, totals_only: bool = False
                ) -> str:
    files = [] if totals_only else [
        dict(gold=rep.gold.path, article=rep.gold.article, genre=genre_of(rep.gold),
             topic=rep.gold.topic, **rep.score.as_dict(),
             missed_entities=rep.missed_entities, extra_entities=rep.extra_entities,
             split_entities=rep.split_entities, missed_relations=rep.missed_relations,
             extra_relations=rep.extra_relations, predicate_disagreements=rep.disagreements)
        for rep in reports]
    doc = {"graph": str(graph_path), "files": files,
           "total": dict(files=len(reports), **total.as_dict())}
    if not totals_only:
        doc["genres"] = {k: sc.as_dict() for k, sc in _groups(reports, genre_of)}
        doc["topics"] = {k: sc.as_dict() for k, sc in _groups(reports, lambda g: g.topic or "(no topic)")}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def evaluate_files(gold_paths: list[str | Path], graph_path: str | Path | None = None,
                   fmt: str = "text", texts_dir: Path | None = None, rules_dir=None,
                   lexicon_path=None, details: bool | None = None, totals_only: bool = False,
                   reader_paths=None) -> str:
    """Entry point of ``kg eval``: the report as text or JSON."""
    if fmt not in ("text", "json"):
        raise EvalError(f"unknown format {fmt!r} (expected text or json)")
    reports, total = evaluate(gold_paths, graph_path, texts_dir=texts_dir, rules_dir=rules_dir,
                              lexicon_path=lexicon_path, reader_paths=reader_paths)
    # a blind set (a folder holding TOTALS_ONLY) is only ever read in totals
    totals_only = totals_only or any(Path(p).is_dir() and (Path(p) / TOTALS_ONLY).is_file()
                                     for p in gold_paths)
    shown = graph_path if graph_path is not None else \
        f"a second reader's annotation ({', '.join(map(str, reader_paths))})" if reader_paths else \
        "a graph built from each gold file's text"
    if fmt == "json":
        return render_json(reports, total, shown, totals_only)
    return render_text(reports, total, shown, details, totals_only)
