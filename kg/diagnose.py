"""Why a graph contradicts the ontology: the entities involved and their evidence.

HermiT says whether ontology + graph are consistent, not why. This module finds
the culprits for the kinds of axiom ontology/kg.ttl uses: disjoint classes,
domains and ranges (named classes and unions of them), ``C ⊑ ∀p.D``
restrictions, and irreflexive and asymmetric properties. An entity's classes are
its asserted type, what the domains and ranges of its relations put it in, and
what restrictions carry along relations, closed under rdfs:subClassOf; each class
keeps the reason it was given, and each reason its sentence and rule from the
graph's reified statements (the mention that typed the entity, or the relation
whose domain or range applied).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .ontology import NS

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


@dataclass(frozen=True)
class Evidence:
    """One triple of the graph, with the sentence and rule that produced it."""
    triple: tuple  # (s, p, o) IRIs as str
    rule: str | None
    sentence: str | None  # sentence IRI
    text: str | None  # sentence text


@dataclass(frozen=True)
class Reason:
    """Why an entity is in a class."""
    cls: str
    how: str  # "asserted", "domain of kg:p", "range of kg:p", "∀ kg:p from C", "subclass of C"
    evidence: Evidence | None = None
    via: "Reason | None" = None  # for subclass and restriction steps


@dataclass
class Finding:
    kind: str  # "disjoint", "irreflexive", "asymmetric"
    entity: str
    message: str
    other: str | None = None  # the second entity of an asymmetric pair
    reasons: list = field(default_factory=list)  # Reasons (disjoint)
    evidence: list = field(default_factory=list)  # Evidence (property characteristics)


class _Ontology:
    def __init__(self, onto):
        from rdflib import BNode, URIRef
        from rdflib.collection import Collection
        from rdflib.namespace import OWL, RDF, RDFS

        self.parents: dict = defaultdict(set)
        for c, sup in onto.subject_objects(RDFS.subClassOf):
            if isinstance(c, URIRef) and isinstance(sup, URIRef):
                self.parents[str(c)].add(str(sup))
        self.disjoint: set = set()
        for a, b in onto.subject_objects(OWL.disjointWith):
            self.disjoint |= {(str(a), str(b)), (str(b), str(a))}
        for node in onto.subjects(RDF.type, OWL.AllDisjointClasses):
            for members in onto.objects(node, OWL.members):
                ms = [str(m) for m in Collection(onto, members)]
                self.disjoint |= {(a, b) for a in ms for b in ms if a != b}

        def classes(node) -> frozenset | None:
            if isinstance(node, URIRef):
                return frozenset([str(node)])
            if isinstance(node, BNode):
                union = onto.value(node, OWL.unionOf)
                if union is not None:
                    return frozenset(str(m) for m in Collection(onto, union))
            return None

        self.super_props: dict = defaultdict(set)
        for p, q in onto.subject_objects(RDFS.subPropertyOf):
            self.super_props[str(p)].add(str(q))
        self.domain, self.range = {}, {}
        for table, pred in ((self.domain, RDFS.domain), (self.range, RDFS.range)):
            for p, node in onto.subject_objects(pred):
                cls = classes(node)
                if cls is not None:
                    table.setdefault(str(p), []).append(cls)
        self.all_values: dict = defaultdict(list)  # class -> [(property, filler)]
        for c, sup in onto.subject_objects(RDFS.subClassOf):
            if isinstance(c, URIRef) and isinstance(sup, BNode):
                p, filler = onto.value(sup, OWL.onProperty), onto.value(sup, OWL.allValuesFrom)
                if isinstance(p, URIRef) and isinstance(filler, URIRef):
                    self.all_values[str(c)].append((str(p), str(filler)))
        self.irreflexive = {str(p) for p in onto.subjects(RDF.type, OWL.IrreflexiveProperty)}
        self.asymmetric = {str(p) for p in onto.subjects(RDF.type, OWL.AsymmetricProperty)}

    def props_up(self, p: str) -> set:
        """p and its super-properties."""
        out, todo = {p}, [p]
        while todo:
            for q in self.super_props.get(todo.pop(), ()):
                if q not in out:
                    out.add(q)
                    todo.append(q)
        return out


def _evidence_table(graph) -> tuple[dict, dict]:
    """(triple -> [Evidence], sentence IRI -> text) from the reified statements."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    texts = {str(s): str(t) for s, t in graph.subject_objects(URIRef(NS + "text"))}
    table: dict = defaultdict(list)
    for st in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = (graph.value(st, RDF[x]) for x in ("subject", "predicate", "object"))
        if s is None or p is None or o is None:
            continue
        rule = graph.value(st, URIRef(NS + "rule"))
        sentence = graph.value(st, URIRef(PROV_DERIVED))
        key = (str(s), str(p), str(o))
        table[key].append(Evidence(key, str(rule) if rule is not None else None,
                                   str(sentence) if sentence is not None else None,
                                   texts.get(str(sentence)) if sentence is not None else None))
    for v in table.values():
        v.sort(key=lambda e: (e.sentence or "", e.rule or ""))
    return table, texts


def diagnose(graph, onto) -> list[Finding]:
    """Findings that explain an inconsistency of ``onto`` + ``graph`` (both rdflib)."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    o = _Ontology(onto)
    evidence, _ = _evidence_table(graph)
    mentions = defaultdict(list)  # entity -> Evidence of the mentions that typed it
    for (s, p, x), evs in evidence.items():
        if p == NS + "mentions":
            mentions[x].extend(evs)

    def first(triple) -> Evidence:
        evs = evidence.get(triple)
        return evs[0] if evs else Evidence(triple, None, None, None)

    relations = []  # (s, p, o) between IRIs, object properties of kg:
    classes: dict = defaultdict(dict)  # entity -> {class: Reason}
    for s, p, x in graph:
        if not isinstance(s, URIRef) or not isinstance(x, URIRef):
            continue
        s, p, x = str(s), str(p), str(x)
        if p == str(RDF.type):
            if x.startswith(NS) and x != NS + "Sentence":
                ev = mentions[s][0] if mentions.get(s) else None
                classes[s].setdefault(x, Reason(x, "asserted", ev))
        elif p.startswith(NS) and p != NS + "inArticle":
            relations.append((s, p, x))
    relations.sort()
    out_edges = defaultdict(list)
    for s, p, x in relations:
        for q in o.props_up(p):
            out_edges[s].append((q, x, (s, p, x)))

    def add(entity, reason) -> bool:
        if reason.cls in classes[entity]:
            return False
        classes[entity][reason.cls] = reason
        return True

    def close() -> None:  # superclasses and ∀ restrictions, to a fixed point
        changed = True
        while changed:
            changed = False
            for entity in sorted(classes):
                for cls, reason in sorted(classes[entity].items()):
                    for sup in sorted(o.parents.get(cls, ())):
                        changed |= add(entity, Reason(sup, f"subclass of {_short(cls)}", via=reason))
                    for prop, filler in o.all_values.get(cls, ()):
                        for q, target, triple in out_edges.get(entity, ()):
                            if q == prop:
                                changed |= add(target, Reason(
                                    filler, f"{_short(prop)} value of a {_short(cls)}: "
                                    f"{_short(cls)} ⊑ ∀{_short(prop)}.{_short(filler)}",
                                    first(triple), via=reason))

    # what the text typed first, so that a class an entity has anyway is explained by
    # its own type rather than by a relation's domain or range
    close()
    for s, p, x in relations:  # domains and ranges (named classes)
        for q in sorted(o.props_up(p)):
            for dom in o.domain.get(q, ()):
                if len(dom) == 1:
                    add(s, Reason(next(iter(dom)), f"domain of {_short(q)}", first((s, p, x))))
            for rng in o.range.get(q, ()):
                if len(rng) == 1:
                    add(x, Reason(next(iter(rng)), f"range of {_short(q)}", first((s, p, x))))
    close()

    findings = []
    for entity in sorted(classes):
        held = classes[entity]
        seen = set()
        for a in sorted(held):
            for b in sorted(held):
                if a < b and (a, b) in o.disjoint and (a, b) not in seen:
                    seen.add((a, b))
                    findings.append(Finding(
                        "disjoint", entity, f"is both {_short(a)} and {_short(b)}, which are disjoint",
                        reasons=[held[a], held[b]]))
        # a union domain or range none of whose members the entity can be in
        for s, p, x in relations:
            for q in o.props_up(p):
                for role, table, node in (("subject", o.domain, s), ("object", o.range, x)):
                    if node != entity:
                        continue
                    for allowed in table.get(q, ()):
                        if len(allowed) > 1 and all(
                                any((c, m) in o.disjoint for c in held) for m in allowed):
                            c = next(c for c in sorted(held) if any((c, m) in o.disjoint for m in allowed))
                            findings.append(Finding(
                                "domain" if role == "subject" else "range", entity,
                                f"is the {role} of {_short(q)}, which needs one of "
                                f"{', '.join(_short(m) for m in sorted(allowed))}, but it is a {_short(c)}",
                                reasons=[held[c]], evidence=[first((s, p, x))]))
    related = defaultdict(set)  # (s, o) -> properties (with super-properties) from s to o
    for s, p, x in relations:
        related[(s, x)] |= o.props_up(p)
    for s, p, x in relations:
        ups = o.props_up(p)
        if s == x and ups & o.irreflexive:
            q = sorted(ups & o.irreflexive)[0]
            findings.append(Finding("irreflexive", s, f"{_short(p)} itself, but {_short(q)} is irreflexive",
                                    evidence=[first((s, p, x))]))
        for q in sorted(ups & o.asymmetric & related.get((x, s), set())):
            if s < x:  # each pair once
                back = next(r for a, r, b in relations if (a, b) == (x, s) and q in o.props_up(r))
                findings.append(Finding(
                    "asymmetric", s, f"and {{other}} are {_short(q)} of each other, "
                    f"but {_short(q)} is asymmetric", other=x,
                    evidence=[first((s, p, x)), first((x, back, s))]))
    return findings


def _short(iri: str) -> str:
    from .export.rdftext import compact

    return compact(iri) or f"<{iri}>"


# ------------------------------------------------------------------ rendering
def render(findings: list[Finding], graph) -> list[str]:
    """Lines naming each offending entity with its label and evidence."""
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    def name(iri: str) -> str:
        label = graph.value(URIRef(iri), RDFS.label)
        return f"{label} <{_short(iri)}>" if label is not None else f"<{_short(iri)}>"

    def cite(ev: Evidence) -> str:
        s, p, o = ev.triple
        what = (f"mention in {_short(s)}" if p == NS + "mentions"
                else f"{name(s)} {_short(p)} {name(o)}")
        where = _short(ev.sentence) if ev.sentence else "no sentence"
        text = f" “{ev.text}”" if ev.text else ""
        return f"{what}: rule {ev.rule or '(none)'}, {where}{text}"

    def explain(r: Reason, indent: str) -> list[str]:
        steps = []
        while r is not None:
            steps.append(r)
            r = r.via
        out = [indent + " ← ".join(f"{_short(x.cls)} ({x.how})" for x in steps)]
        for x in steps:
            if x.evidence is not None:
                out.append(f"{indent}  {cite(x.evidence)}")
            elif x.how == "asserted":
                out.append(f"{indent}  (no mention with provenance in the graph)")
        return out

    lines = []
    for f in findings:
        message = f.message.replace("{other}", name(f.other)) if f.other else f.message
        lines.append(f"  {name(f.entity)} {message}")
        for r in f.reasons:
            lines += explain(r, "    ")
        for ev in f.evidence:
            lines.append(f"    {cite(ev)}")
    return lines
