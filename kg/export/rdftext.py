"""Deterministic text serialisations: sorted Turtle, N-Triples and TriG.

rdflib's own writers are correct but slow on large graphs and leave blank-node
labels to chance. These writers sort subjects, predicates and objects, give
blank nodes canonical labels (``rdflib.compare``), inline blank nodes that are
used once (``[ ... ]``) and RDF lists (``( ... )``), and compact IRIs only with
a fixed prefix table, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

# The prefixes written when used; a fixed table keeps the output stable.
PREFIXES = {
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "kg": "https://w3id.org/kg-zh/ontology#",
    "kgd": "https://w3id.org/kg-zh/id/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# Longest namespace first, so kgd: is not mistaken for a kg: name.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _iri(iri: str) -> str:
    return "<" + _IRI_BAD.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


def compact(iri: str, used: set | None = None) -> str | None:
    """``kg:offers`` for a known namespace and a safe local name, else None."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local == "" or _LOCAL.match(local):
                if used is not None:
                    used.add(prefix)
                return f"{prefix}:{local}"
            return None
    return None


def bnode_label(b: BNode) -> str:
    """An N-Triples/Turtle-safe blank node label."""
    label = re.sub(r"[^A-Za-z0-9_]", "_", str(b))
    return "_:" + (label if label[:1].isalpha() else "b" + label)


def literal_text(lit: Literal, used: set | None = None, short: bool = True) -> str:
    lex = str(lit)
    if lit.language:
        return f'"{_escape_string(lex)}"@{lit.language}'
    dt = lit.datatype
    if dt is None or dt == XSD.string:
        return f'"{_escape_string(lex)}"'
    if short and dt == XSD.integer and _INTEGER.match(lex):
        return lex
    if short and dt == XSD.boolean and lex in ("true", "false"):
        return lex
    dt_text = (compact(str(dt), used) if short else None) or _iri(str(dt))
    return f'"{_escape_string(lex)}"^^{dt_text}'


def term_text(t, used: set | None = None, short: bool = True) -> str:
    """Turtle (short=True) or N-Triples (short=False) text of one term."""
    if isinstance(t, Literal):
        return literal_text(t, used, short)
    if isinstance(t, BNode):
        return bnode_label(t)
    if short:
        if t == RDF.type:
            return "a"
        c = compact(str(t), used)
        if c is not None:
            return c
    return _iri(str(t))


def sort_key(t):
    """Total order on terms: IRIs, then blank nodes, then literals."""
    if isinstance(t, URIRef):
        return (0, str(t), "", "")
    if isinstance(t, BNode):
        return (1, str(t), "", "")
    return (2, str(t), t.language or "", str(t.datatype or ""))


def _pred_key(p):
    return (0 if p == RDF.type else 1, str(p))


def canonical_triples(triples: Iterable[tuple]) -> list[tuple]:
    """The triples with canonical blank node labels (unchanged if there are none)."""
    triples = list(triples)
    if not any(isinstance(x, BNode) for t in triples for x in (t[0], t[2])):
        return triples
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    g = Graph()
    for t in triples:
        g.add(t)
    return list(to_canonical_graph(g))


# ------------------------------------------------------------------ N-Triples
def ntriples(triples: Iterable[tuple]) -> str:
    lines = sorted(
        f"{term_text(s, short=False)} {term_text(p, short=False)} {term_text(o, short=False)} ."
        for s, p, o in canonical_triples(triples))
    return "".join(line + "\n" for line in lines)


# ------------------------------------------------------------------- Turtle
class _Block:
    """Turtle text of a set of triples (no prefix lines)."""

    def __init__(self, triples: list[tuple], used: set):
        self.used = used
        self.po: dict = defaultdict(lambda: defaultdict(list))
        refs: dict = defaultdict(int)
        for s, p, o in triples:
            self.po[s][p].append(o)
            if isinstance(o, BNode):
                refs[o] += 1
        for s in self.po:
            for p in self.po[s]:
                self.po[s][p].sort(key=sort_key)
        self.referenced = set(refs)
        self.inline = {b for b, n in refs.items() if n == 1 and b in self.po and not self._cyclic(b)}
        self.lists = {b for b in self.inline if self._list_items(b) is not None}

    def _cyclic(self, start) -> bool:
        stack, seen = [start], set()
        while stack:
            node = stack.pop()
            for objs in self.po.get(node, {}).values():
                for o in objs:
                    if o == start:
                        return True
                    if isinstance(o, BNode) and o not in seen:
                        seen.add(o)
                        stack.append(o)
        return False

    def _list_items(self, node):
        items = []
        while node != RDF.nil:
            props = self.po.get(node)
            if (not isinstance(node, BNode) or props is None or set(props) != {RDF.first, RDF.rest}
                    or len(props[RDF.first]) != 1 or len(props[RDF.rest]) != 1):
                return None
            if items and node not in self._once:
                return None
            items.append(props[RDF.first][0])
            node = props[RDF.rest][0]
        return items

    @property
    def _once(self):
        return self.inline

    def obj(self, o, indent: str) -> str:
        if isinstance(o, BNode) and o in self.inline:
            if o in self.lists:
                items = self._list_items(o)
                return "( " + " ".join(self.obj(i, indent + "    ") for i in items) + " )"
            inner = self.pred_list(o, indent + "    ")
            return "[\n" + indent + "    " + inner + "\n" + indent + "]"
        return term_text(o, self.used)

    def pred_list(self, s, indent: str) -> str:
        parts = []
        for p in sorted(self.po[s], key=_pred_key):
            objs = ", ".join(self.obj(o, indent + "    ") for o in self.po[s][p])
            parts.append(f"{term_text(p, self.used)} {objs}")
        return (" ;\n" + indent).join(parts)

    def _list_members(self):
        members = set()
        for head in self.lists:
            node = self.po[head][RDF.rest][0]
            while node != RDF.nil:
                members.add(node)
                node = self.po[node][RDF.rest][0]
        return members

    def render(self, indent: str = "") -> str:
        hidden = self.inline | self._list_members()
        chunks = []
        for s in sorted(self.po, key=sort_key):
            if s in hidden:
                continue
            unreferenced_bnode = isinstance(s, BNode) and s not in self.referenced
            head = "[]" if unreferenced_bnode else term_text(s, self.used)
            chunks.append(indent + head + " " + self.pred_list(s, indent + "    ") + " .\n")
        return "\n".join(chunks)


def _prefix_lines(used: set) -> str:
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(used))


def turtle(triples: Iterable[tuple], header: str = "") -> str:
    """Sorted Turtle of ``triples`` (any iterable, e.g. an rdflib Graph)."""
    used: set = set()
    body = _Block(canonical_triples(triples), used).render()
    text = "".join(f"# {line}\n" for line in header.splitlines() if header)
    pre = _prefix_lines(used)
    return text + pre + ("\n" if pre and body else "") + body


def trig(default: Iterable[tuple], named: dict) -> str:
    """Sorted TriG: the default graph, then one block per named graph IRI."""
    used: set = set()
    parts = []
    default = canonical_triples(default)
    if default:
        parts.append("{\n" + _Block(default, used).render("    ") + "}\n")
    for name in sorted(named, key=str):
        body = _Block(canonical_triples(named[name]), used).render("    ")
        parts.append(f"{term_text(name, used)} {{\n{body}}}\n")
    return _prefix_lines(used) + "\n" + "\n".join(parts)
