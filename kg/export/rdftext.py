"""Deterministic text serialisations: sorted Turtle, N-Triples and TriG.

rdflib's own writers are correct but slow on large graphs and leave blank-node
labels to chance. These writers sort subjects, predicates and objects, give
blank nodes canonical labels (``rdflib.compare``), inline blank nodes that are
used once (``[ ... ]``) and RDF lists (``( ... )``), and compact IRIs only with
the fixed prefix table of ``kg.triples``, so the same graph always gives the same
bytes.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from operator import itemgetter

from ..triples import (BNODE, IRI, LITERAL, PREFIXES, PREFIXES_BY_LENGTH, RDF_NS, RDF_TYPE,
                       XSD_NS, Triples, from_rdflib)

_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
RDF_FIRST, RDF_REST, RDF_NIL = (IRI, RDF_NS + "first", "", ""), (IRI, RDF_NS + "rest", "", ""), \
    (IRI, RDF_NS + "nil", "", "")
_XSD_INTEGER, _XSD_BOOLEAN = XSD_NS + "integer", XSD_NS + "boolean"


def _escape_char(m: re.Match) -> str:
    ch = m.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def _escape_string(s: str) -> str:
    return _NEEDS_ESCAPE.sub(_escape_char, s) if _NEEDS_ESCAPE.search(s) else s


def _iri(iri: str) -> str:
    return "<" + _IRI_BAD.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


_BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}


def compact(iri: str, used: set | None = None) -> str | None:
    """``kg:offers`` for a known namespace and a safe local name, else None."""
    # fast path: the namespace ends at the last / or # (no longer one can match)
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _BY_NAMESPACE.get(iri[:cut])
    if prefix is not None and (cut == len(iri) or _LOCAL.match(iri, cut)):
        if used is not None:
            used.add(prefix)
        return f"{prefix}:{iri[cut:]}"
    for prefix, ns in PREFIXES_BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local == "" or _LOCAL.match(local):
                if used is not None:
                    used.add(prefix)
                return f"{prefix}:{local}"
            return None
    return None


def bnode_label(label: str) -> str:
    """An N-Triples/Turtle-safe blank node label."""
    label = re.sub(r"[^A-Za-z0-9_]", "_", label)
    return "_:" + (label if label[:1].isalpha() else "b" + label)


def term_text(t: tuple, used: set | None = None, short: bool = True) -> str:
    """Turtle (short=True) or N-Triples (short=False) text of one plain term."""
    kind, value, lang, datatype = t
    if kind == LITERAL:
        if lang:
            return f'"{_escape_string(value)}"@{lang}'
        if not datatype:
            return f'"{_escape_string(value)}"'
        if short and datatype == _XSD_INTEGER and _INTEGER.match(value):
            return value
        if short and datatype == _XSD_BOOLEAN and value in ("true", "false"):
            return value
        dt_text = (compact(datatype, used) if short else None) or _iri(datatype)
        return f'"{_escape_string(value)}"^^{dt_text}'
    if kind == BNODE:
        return bnode_label(value)
    if short:
        if t == RDF_TYPE:
            return "a"
        c = compact(value, used)
        if c is not None:
            return c
    return _iri(value)


class _Texts(dict):
    """Memoised ``term_text`` for one document (terms recur: classes, predicates, nodes)."""

    def __init__(self, used: set, short: bool = True):
        super().__init__()
        self.used, self.short = used, short

    def __missing__(self, t: tuple) -> str:
        text = self[t] = term_text(t, self.used, self.short)
        return text


def _pred_key(p: tuple):
    return (0 if p == RDF_TYPE else 1, p[1])


def plain_triples(triples) -> list[tuple]:
    """Plain triples of a ``Triples`` set or of any iterable of rdflib triples, with
    canonical blank node labels (``rdflib.compare``) when there are blank nodes."""
    if isinstance(triples, Triples):
        return triples.plain()
    from rdflib import BNode

    triples = list(triples)
    if any(isinstance(x, BNode) for t in triples for x in (t[0], t[2])):
        from rdflib import Graph
        from rdflib.compare import to_canonical_graph

        g = Graph()
        for t in triples:
            g.add(t)
        triples = list(to_canonical_graph(g))
    cache: dict = {}
    out = []
    for tr in triples:
        out.append(tuple(cache[x] if x in cache else cache.setdefault(x, from_rdflib(x)) for x in tr))
    return list(dict.fromkeys(out))


# ------------------------------------------------------------------ N-Triples
def ntriples(triples) -> str:
    texts = _Texts(set(), short=False)
    lines = sorted(f"{texts[s]} {texts[p]} {texts[o]} ." for s, p, o in plain_triples(triples))
    return "".join(line + "\n" for line in lines)


# ------------------------------------------------------------------- Turtle
class _Block:
    """Turtle text of a set of plain triples (no prefix lines)."""

    def __init__(self, triples, used: set):
        """``triples``: a ``Triples`` set or a list of plain triples."""
        self.used = used
        self.texts = _Texts(used)
        self._orders: dict[tuple, list] = {}
        if isinstance(triples, Triples):
            self.po, bnodes = triples.by_subject, triples.has_bnodes
        else:
            self.po, bnodes = Triples(triples).by_subject, True
        refs: dict = defaultdict(int)
        if bnodes:
            for props in self.po.values():
                for objs in props.values():
                    for o in objs:
                        if o[0] == BNODE:
                            refs[o] += 1
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
                    if o[0] == BNODE and o not in seen:
                        seen.add(o)
                        stack.append(o)
        return False

    def _list_items(self, node):
        items = []
        while node != RDF_NIL:
            props = self.po.get(node)
            if (node[0] != BNODE or props is None or set(props) != {RDF_FIRST, RDF_REST}
                    or len(props[RDF_FIRST]) != 1 or len(props[RDF_REST]) != 1):
                return None
            if items and node not in self.inline:
                return None
            items.append(next(iter(props[RDF_FIRST])))
            node = next(iter(props[RDF_REST]))
        return items

    def obj(self, o, indent: str) -> str:
        if o in self.inline:
            if o in self.lists:
                items = self._list_items(o)
                return "( " + " ".join(self.obj(i, indent + "    ") for i in items) + " )"
            inner = self.pred_list(o, indent + "    ")
            return "[\n" + indent + "    " + inner + "\n" + indent + "]"
        return self.texts[o]

    def _order(self, props: dict) -> list:
        """The predicates of ``props`` in writing order (rdf:type first), memoised by
        their insertion order: most subjects of a graph share a handful of shapes."""
        keys = tuple(props)
        order = self._orders.get(keys)
        if order is None:
            order = self._orders[keys] = sorted(keys, key=_pred_key)
        return order

    def pred_list(self, s, indent: str) -> str:
        parts = []
        texts, inline = self.texts, self.inline
        deeper = indent + "    "
        props = self.po[s]
        for p in self._order(props):
            objs = props[p]
            if inline:
                text = ", ".join(self.obj(o, deeper) if o in inline else texts[o] for o in sorted(objs))
            elif len(objs) == 1:
                (o,) = objs
                text = texts[o]
            else:
                text = ", ".join([texts[o] for o in sorted(objs)])
            parts.append(texts[p] + " " + text)
        return (" ;\n" + indent).join(parts)

    def _list_members(self):
        members = set()
        for head in self.lists:
            node = next(iter(self.po[head][RDF_REST]))
            while node != RDF_NIL:
                members.add(node)
                node = next(iter(self.po[node][RDF_REST]))
        return members

    def chunks(self, indent: str = "") -> list[tuple[tuple, str]]:
        """(subject, its Turtle text) for every subject written, in subject order."""
        chunks = []
        deeper = indent + "    "
        if not self.inline:  # the common case, kept tight: no blank node to nest
            texts, po, order = self.texts, self.po, self._order
            sep = " ;\n" + deeper
            for s in sorted(po):
                props = po[s]
                parts = []
                for p in order(props):
                    objs = props[p]
                    if len(objs) == 1:
                        (o,) = objs
                        parts.append(texts[p] + " " + texts[o])
                    else:
                        parts.append(texts[p] + " " + ", ".join([texts[o] for o in sorted(objs)]))
                head = "[]" if s[0] == BNODE and s not in self.referenced else texts[s]
                chunks.append((s, indent + head + " " + sep.join(parts) + " .\n"))
            return chunks
        hidden = self.inline | self._list_members()
        for s in sorted(self.po):
            if s in hidden:
                continue
            unreferenced_bnode = s[0] == BNODE and s not in self.referenced
            head = "[]" if unreferenced_bnode else self.texts[s]
            chunks.append((s, indent + head + " " + self.pred_list(s, deeper) + " .\n"))
        return chunks

    def render(self, indent: str = "") -> str:
        return "\n".join([text for _, text in self.chunks(indent)])


class SubjectWriter:
    """Turtle chunks of subjects of a few known shapes, made one at a time: the chunks
    ``turtle_part`` gives for them, without first gathering triples by subject
    (statements are made by the ten thousand and share a handful of shapes)."""

    def __init__(self):
        self.used: set = set()
        self.texts = _Texts(self.used)  # term -> its text
        self._shapes: dict[tuple, tuple[str, list]] = {}

    def template(self, predicates: tuple) -> tuple[str, list[int]]:
        """For a subject with one object for each of ``predicates`` (distinct): a format
        string taking the subject's text then the objects' texts, and the order of the
        objects in it (indices into ``predicates``)."""
        hit = self._shapes.get(predicates)
        if hit is None:
            order = sorted(range(len(predicates)), key=lambda i: _pred_key(predicates[i]))
            body = " ;\n    ".join(
                [self.texts[predicates[i]].replace("{", "{{").replace("}", "}}") + " {}"
                 for i in order])
            hit = self._shapes[predicates] = ("{} " + body + " .\n", order)
        return hit

    def prefixed(self, namespace: str) -> str | None:
        """``kgd:`` for a namespace of the prefix table (then recorded as used), else None;
        the caller vouches that its local names are safe (``_LOCAL``)."""
        prefix = _BY_NAMESPACE.get(namespace)
        if prefix is not None:
            self.used.add(prefix)
            return prefix + ":"
        return None


def _prefix_lines(used: set) -> str:
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(used))


def _document(body: str, used: set, header: str) -> str:
    text = "".join(f"# {line}\n" for line in header.splitlines() if header)
    pre = _prefix_lines(used)
    return text + pre + ("\n" if pre and body else "") + body


def turtle(triples, header: str = "") -> str:
    """Sorted Turtle of ``triples`` (a ``Triples`` set, or rdflib triples, e.g. a Graph)."""
    used: set = set()
    body = _Block(triples if isinstance(triples, Triples) else plain_triples(triples), used).render()
    return _document(body, used, header)


def turtle_part(triples: Triples) -> tuple[set, list[tuple[str, str]]]:
    """One part of a graph whose parts are written apart (see ``turtle_of_parts``):
    the prefixes it uses and its (subject IRI, text) chunks in subject order. No blank
    nodes: they may nest across parts (and all subjects are IRIs, in IRI order)."""
    if triples.has_bnodes:
        raise ValueError("a graph with blank nodes is written whole")
    used: set = set()
    return used, [(s[1], text) for s, text in _Block(triples, used).chunks()]


def turtle_of_parts(parts: list[tuple[set, list]], header: str = "") -> str:
    """``turtle`` of the union of parts made by ``turtle_part`` (the same bytes). The
    parts have no subject in common (a ValueError says so)."""
    texts, last = [], None
    for subject, text in heapq.merge(*(chunks for _, chunks in parts), key=itemgetter(0)):
        if subject == last:
            raise ValueError(f"subject {subject} is in two parts")
        texts.append(text)
        last = subject
    return _document("\n".join(texts), set().union(*(used for used, _ in parts)), header)


def trig(default, named: dict) -> str:
    """Sorted TriG: the default graph, then one block per named graph IRI (rdflib terms)."""
    used: set = set()
    parts = []
    default = plain_triples(default)
    if default:
        parts.append("{\n" + _Block(default, used).render("    ") + "}\n")
    for name in sorted(named, key=str):
        body = _Block(plain_triples(named[name]), used).render("    ")
        parts.append(f"{term_text(from_rdflib(name), used)} {{\n{body}}}\n")
    return _prefix_lines(used) + "\n" + "\n".join(parts)
