"""Token-pattern matching (pure: tokens + compiled rules -> matches).

A pattern is a sequence of token specs with quantifiers; matching is
leftmost, greedy (or lazy) with backtracking, like a regular expression over
tokens, and non-overlapping for one rule. It *is* a regular expression: each
rule is compiled once into a Python ``re`` pattern over a string with one
character per token, the character encoding which of the rule's token specs
the token satisfies (a bit mask over the specs, offset into a private-use
plane). A spec becomes the character class of every mask with its bit set,
its quantifier the regex quantifier, a capture a group. The regex engine (C)
then does the backtracking, and each predicate is evaluated once per distinct
token, not once per position tried.

Tokens are interned by their signature (text, POS, lexicon type, quoted,
entity class), the only fields predicates read: a sentence becomes a string of
signature ids, and ``str.translate`` maps it to each rule's mask string
through a per-rule table filled on first sight of a signature. A signature's
mask is made with the word and tag tests of all the rule's specs at once (a dict
lookup each), the other tests spec by spec (``_MaskMaker``).

Most rules cannot match most sentences, and a sentence's new words would fill their
tables for nothing: ``Prefilter`` first checks what every match of a rule needs
(``rule_needs``), for each token spec the pattern cannot skip a token with one of its
words, tags, lexicon types or entity classes, and a word holding one of the literal
strings of its word regex. The needs are bits of one integer, a sentence's met needs
another, so a rule is tried only where ``needs & ~met`` is 0.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple

from . import regexcache
from .model import Token
from .rules import MAX_PREDICATES, Rule, TokenSpec, constraint, distinct_constraints


@dataclass(frozen=True)
class Match:
    rule: Rule
    start: int  # token index
    end: int  # token index (exclusive)
    captures: dict  # name -> (first token, last token + 1)


_compiled: dict[int, tuple[TokenSpec, Callable]] = {}


def _pos_check(tags: tuple) -> Callable[[str], bool]:
    exact = frozenset(t for t in tags if not t.endswith("*"))
    prefixes = tuple(t[:-1] for t in tags if t.endswith("*"))
    if prefixes:
        return lambda tag: tag in exact or tag.startswith(prefixes)
    return exact.__contains__


def compile_spec(spec: TokenSpec, type_class: dict) -> Callable[[Token], bool]:
    """A predicate for one token spec (all its constraints, negated if asked)."""
    hit = _compiled.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    checks: list[Callable[[Token], bool]] = []
    if spec.text is not None:
        text = spec.text
        checks.append(lambda t: t.text == text)
    if spec.in_ is not None:
        words = spec.in_
        checks.append(lambda t: t.text in words)
    if spec.not_in is not None:
        banned = spec.not_in
        checks.append(lambda t: t.text not in banned)
    if spec.regex is not None:
        word_match = spec.regex.word_match
        checks.append(lambda t: word_match(t.text))
    if spec.pos is not None:
        pos_ok = _pos_check(spec.pos)
        checks.append(lambda t: pos_ok(t.pos))
    if spec.not_pos is not None:
        pos_bad = _pos_check(spec.not_pos)
        checks.append(lambda t: not pos_bad(t.pos))
    if spec.types is not None:
        types, any_type = spec.types, "*" in spec.types
        checks.append(lambda t: t.ltype is not None and (any_type or t.ltype in types))
    if spec.classes is not None:
        classes = spec.classes
        checks.append(lambda t: t.ltype is not None and type_class.get(t.ltype) in classes)
    if spec.entity is not None:
        ents, any_ent = spec.entity, "*" in spec.entity
        checks.append(lambda t: t.ent is not None and (any_ent or t.ent in ents))
    if spec.quoted is not None:
        quoted = spec.quoted
        checks.append(lambda t: t.quoted == quoted)
    if spec.any_of is not None:
        alternatives = [compile_spec(a, type_class) for a in spec.any_of]
        checks.append(lambda t: any(a(t) for a in alternatives))
    if not checks:
        pred = (lambda t: False) if spec.negate else (lambda t: True)
    elif len(checks) == 1:
        only = checks[0]
        pred = (lambda t: not only(t)) if spec.negate else only
    elif spec.negate:
        pred = lambda t: not all(c(t) for c in checks)  # noqa: E731
    else:
        pred = lambda t: all(c(t) for c in checks)  # noqa: E731
    _compiled[id(spec)] = (spec, pred)
    return pred


# ------------------------------------------------------------ prefilter
def token_atoms(tok: Token, type_class: dict) -> list[tuple]:
    """What token specs test of one token, as atoms a Need may list: its word, its tag and
    each prefix of it (for ``n*``), its lexicon type and class, entity class, quote flag."""
    tag = tok.pos
    out = [("word", tok.text), ("pos", tag), ("quoted", tok.quoted)]
    out += [("pos*", tag[:i]) for i in range(len(tag) + 1)]
    if tok.ltype is not None:
        out += [("type", tok.ltype), ("type", "*"), ("class", type_class.get(tok.ltype))]
    if tok.ent is not None:
        out += [("entity", tok.ent), ("entity", "*")]
    return out


class Need(NamedTuple):
    """A sentence can hold a match only if one of its tokens has one of ``atoms``
    (``token_atoms``) or a word holding one of ``literals``."""

    atoms: frozenset = frozenset()
    literals: frozenset = frozenset()


def _spec_needs(spec: TokenSpec) -> list[Need]:
    """What a sentence needs for a token to satisfy ``spec``: one Need per test the spec
    makes (its words first, the most selective); none for a negated spec."""
    if spec.negate:
        return []
    out = []
    if spec.text is not None or spec.in_ is not None:
        words = spec.in_ if spec.text is None else \
            frozenset([spec.text]) & (spec.in_ if spec.in_ is not None else {spec.text})
        out.append(Need(frozenset(("word", w) for w in words - (spec.not_in or frozenset()))))
    for kind, values in (("entity", spec.entity), ("type", spec.types), ("class", spec.classes)):
        if values is not None:
            out.append(Need(frozenset((kind, v) for v in values)))
    if spec.regex is not None and spec.regex.literals is not None:
        out.append(Need(literals=spec.regex.literals))
    if spec.pos is not None:
        out.append(Need(frozenset(("pos*", t[:-1]) if t.endswith("*") else ("pos", t)
                                  for t in spec.pos)))
    if spec.quoted is not None:
        out.append(Need(frozenset([("quoted", spec.quoted)])))
    if spec.any_of is not None:
        first = [_spec_needs(a)[:1] for a in spec.any_of]
        if all(first):  # one need of each alternative: the sentence has one of them
            out.append(Need(frozenset().union(*(n.atoms for [n] in first)),
                            frozenset().union(*(n.literals for [n] in first))))
    return out


def rule_needs(rule: Rule) -> tuple[Need, ...]:
    """What a sentence needs for ``rule`` to match in it: the needs of every token spec a
    match cannot skip (min >= 1). Necessary only: a sentence that has them all may hold no
    match, one that lacks one holds none."""
    return tuple(dict.fromkeys(n for spec in rule.pattern if spec.min >= 1
                               for n in _spec_needs(constraint(spec))))


# ------------------------------------------------------------ token signatures
BASE = 0xE000  # first character of the mask alphabet of a rule of over 8 specs (private
# use, above the surrogates); a rule of 8 or fewer has its masks in chr(0)..chr(255): one
# byte a character, and classes ``re`` compiles to a 256-bit map (a private-use class
# takes a table of the whole plane, several times slower to compile)
MAX_SIGNATURES = 1 << 16  # interned signatures before the tables start afresh (bounds memory;
# a sentence may add a few thousand beyond it: chr() takes ids up to 0x10FFFF)


_generations = itertools.count()
# a token's signature: (text, pos, ltype, quoted, ent), the fields predicates read
_signature = operator.itemgetter(*map(Token._fields.index, ("text", "pos", "ltype", "quoted", "ent")))


class _Signatures:
    """Token signatures interned as small integers (one per distinct predicate input)."""

    def __init__(self):
        self.ids: dict[tuple, int] = {}
        self.generation = next(_generations)  # which ids the rule tables were filled for

    def start(self) -> None:
        """Call before the keys of a new sentence: a full table starts afresh here, never
        between the keys of one sentence (which may be used together)."""
        if len(self.ids) >= MAX_SIGNATURES:
            self.ids.clear()
            self.generation = next(_generations)

    def key(self, tokens: list[Token]) -> str:
        """One character (``chr(id)``) per token."""
        ids = self.ids
        # the signatures and their ids looked up by map() (no Python loop per token);
        # then the new ones numbered in token order (one seen twice gets one id)
        sigs = list(map(_signature, tokens))
        out = list(map(ids.get, sigs))
        if None in out:
            for n, i in enumerate(out):
                if i is None:
                    sig = sigs[n]
                    i = ids.get(sig)
                    if i is None:
                        i = ids[sig] = len(ids)
                    out[n] = i
        return "".join(map(chr, out))


SIGNATURES = _Signatures()


def _mask_base(n_bits: int) -> int:
    """The code of the character of mask 0 for a rule of ``n_bits`` specs."""
    return 0 if n_bits <= 8 else BASE


_CLASS_CHARS = [re.escape(chr(i)) for i in range(256)]  # as written in a class


@functools.cache  # rules share their sizes: a few hundred classes, each written once
def _char_class(n_bits: int, bit: int) -> str:
    """A regex character class of every mask of ``n_bits`` bits with ``bit`` set."""
    step, base = 1 << bit, _mask_base(n_bits)
    char = _CLASS_CHARS.__getitem__ if base == 0 else chr  # private-use: nothing to escape
    ranges = []
    for lo in range(base + step, base + (1 << n_bits), 2 * step):
        a, b = char(lo), char(lo + step - 1)
        ranges.append(a if a == b else f"{a}-{b}")
    return "[" + "".join(ranges) + "]"


def _quantifier(spec: TokenSpec) -> str:
    lo, hi = spec.min, spec.max
    if hi is None:
        q = "*" if lo == 0 else "+" if lo == 1 else f"{{{lo},}}"
    else:
        q = "" if (lo, hi) == (1, 1) else "?" if (lo, hi) == (0, 1) else f"{{{lo},{hi}}}"
    return q + "?" if spec.lazy and q else q


class _MaskMaker:
    """A rule's token specs turned into one function of a token giving its mask, written
    as Python source and compiled once per rule: each spec one test of the token's fields
    (``compile_spec``'s checks, inline, cheapest first, a word regex last), its bit set
    where the test holds. The tests' values (word sets, tag sets, regexes) are bound as
    names of the function's namespace, never written into the source."""

    def __init__(self, shapes: list[TokenSpec], type_class: dict):
        self._names: dict[int, str] = {}  # id(value) -> its name in the namespace
        self._env: dict[str, object] = {"tc_get": type_class.get}
        lines = ["def mask(t):", "    text, pos, _s, _e, ltype, quoted, ent = t[:7]", "    m = 0"]
        for bit, shape in enumerate(shapes):
            lines.append(f"    if {self._expr(shape)}: m |= {1 << bit}")
        lines.append("    return m")
        code = compile("\n".join(lines), f"<mask of {len(shapes)} specs>", "exec")
        exec(code, self._env)  # noqa: S102 -- our own source; values by name only
        self.mask: Callable[[Token], int] = self._env["mask"]

    def _name(self, value) -> str:
        name = self._names.get(id(value))
        if name is None:
            name = self._names[id(value)] = f"v{len(self._names)}"
            self._env[name] = value
        return name

    def _pos(self, tags: tuple) -> str:
        exact = frozenset(t for t in tags if not t.endswith("*"))
        prefixes = tuple(t[:-1] for t in tags if t.endswith("*"))
        test = f"pos in {self._name(exact)}"
        return f"({test} or pos.startswith({self._name(prefixes)}))" if prefixes else test

    def _expr(self, spec: TokenSpec) -> str:
        """``compile_spec(spec)``'s test as a Python expression over the token's fields."""
        tests = []
        if spec.text is not None:
            tests.append(f"text == {self._name(spec.text)}")
        if spec.in_ is not None:
            tests.append(f"text in {self._name(spec.in_)}")
        if spec.not_in is not None:
            tests.append(f"text not in {self._name(spec.not_in)}")
        if spec.pos is not None:
            tests.append(self._pos(spec.pos))
        if spec.not_pos is not None:
            tests.append(f"not {self._pos(spec.not_pos)}")
        if spec.types is not None:
            tests.append("ltype is not None" if "*" in spec.types
                         else f"ltype is not None and ltype in {self._name(spec.types)}")
        if spec.classes is not None:
            tests.append(f"ltype is not None and tc_get(ltype) in {self._name(spec.classes)}")
        if spec.entity is not None:
            tests.append("ent is not None" if "*" in spec.entity
                         else f"ent is not None and ent in {self._name(spec.entity)}")
        if spec.quoted is not None:
            tests.append(f"quoted == {self._name(spec.quoted)}")
        if spec.any_of is not None:
            tests.append("(" + " or ".join(f"({self._expr(a)})" for a in spec.any_of) + ")")
        if spec.regex is not None:
            tests.append(f"{self._name(spec.regex.word_match)}(text)")
        if not tests:
            return "False" if spec.negate else "True"
        expr = " and ".join(f"({x})" for x in tests)
        return f"not ({expr})" if spec.negate else f"({expr})"


def _signature_table(owner) -> list:
    """``owner.table`` (a list indexed by signature id, None where not yet filled) made
    long enough for every signature id, and emptied if the ids started afresh since."""
    table = owner.table
    if owner.generation != SIGNATURES.generation:
        table.clear()
        owner.generation = SIGNATURES.generation
    n_ids = len(SIGNATURES.ids)
    if len(table) < n_ids:
        table.extend([None] * (n_ids - len(table)))
    return table


class CompiledRule:
    """One rule as a regex over mask characters. What only matching needs (the mask
    function, the regex) is made on first use: a build tries only the rules
    whose needs its sentences meet (``Prefilter``), which needs ``needs`` alone."""

    def __init__(self, rule: Rule, type_class: dict):
        self.rule = rule
        self.type_class = type_class
        self._shapes = distinct_constraints(rule.pattern)
        if len(self._shapes) > MAX_PREDICATES:  # the rule loader refuses such rules; be safe
            raise ValueError(f"rule {rule.id}: more than {MAX_PREDICATES} distinct token specs")
        self._maker: _MaskMaker | None = None
        self._source: str | None = None
        self._regex: re.Pattern | None = None
        self.groups: list[tuple[int, tuple]] = []
        self.table: list[str | None] = []
        self.generation = SIGNATURES.generation
        self.needs = rule_needs(rule)

    @property
    def maker(self) -> _MaskMaker:
        if self._maker is None:
            self._maker = _MaskMaker(self._shapes, self.type_class)
            # a mask's character is chr(base + mask), made when a signature is first seen
            # (a list of every mask's character was 65,536 strings for a rule of 16 specs)
            self.base = _mask_base(len(self._shapes))
        return self._maker

    @property
    def source(self) -> str:
        """The regex over mask characters: a class per token spec, its quantifier, a group
        per capture (``groups``: group number, capture names)."""
        if self._source is None:
            shapes = self._shapes
            bits = {shape: bit for bit, shape in enumerate(shapes)}
            n = len(shapes)
            regex, group, groups = [], 0, []
            for spec in self.rule.pattern:
                item = _char_class(n, bits[constraint(spec)]) + _quantifier(spec)
                if spec.capture:
                    group += 1
                    groups.append((group, spec.capture))
                    item = f"({item})"
                regex.append(item)
            self.groups = groups
            self._source = "".join(regex)
        return self._source

    @property
    def regex(self) -> re.Pattern:
        """The rule's regex over mask characters, compiled on first use: compiling the
        classes of every rule's masks was a fifth of the start-up time."""
        if self._regex is None:
            self._regex = regexcache.compile(self.source)
        return self._regex

    def masks(self, key: str, tokens: list[Token]) -> str:
        """The mask string of ``tokens`` (whose signature string is ``key``)."""
        table = _signature_table(self)
        out = key.translate(table)  # a None entry deletes its character
        if len(out) == len(key):
            return out
        make = self.maker.mask
        base = self.base
        for ch, tok in zip(key, tokens):
            i = ord(ch)
            if table[i] is None:
                table[i] = chr(base + make(tok))
        return key.translate(table)

    def find(self, tokens: list[Token], key: str | None = None) -> list[Match]:
        """Leftmost, non-overlapping matches."""
        if key is None:
            SIGNATURES.start()
            key = SIGNATURES.key(tokens)
        text = self.masks(key, tokens)
        search = self.regex.search
        m = search(text)
        if m is None:  # most rules, most sentences
            return []
        out: list[Match] = []
        n = len(text)
        while m is not None:
            start, end = m.span()
            if end == start:
                i = start + 1
            else:
                caps: dict[str, tuple[int, int]] = {}
                for g, names in self.groups:
                    lo, hi = m.span(g)
                    if hi > lo:
                        for name in names:
                            old = caps.get(name)
                            caps[name] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
                out.append(Match(self.rule, start, end, caps))
                # context tokens after the last capture (a closing comma) may open the next match
                i = max(start + 1, max((hi for _lo, hi in caps.values()), default=end))
            m = search(text, i) if i < n else None
        return out


class Prefilter:
    """The needs of some rules (``rule_needs``) as the bits of one integer each, and the
    needs a sentence meets as one integer: a rule may match only where all its bits are
    met. A token's bits are found once per signature, as the rules' masks are."""

    def __init__(self, rules: list[CompiledRule], type_class: dict):
        self.type_class = type_class
        self.atom_bits: dict[tuple, int] = {}  # atom -> bits of the needs it meets
        self.literal_bits: dict[str, int] = {}  # literal -> bits of the needs it meets
        self.needs: dict[int, int] = {}  # id(compiled rule) -> bits of its needs
        bit_of: dict[Need, int] = {}
        for c in rules:
            for n in c.needs:
                if n not in bit_of:
                    bit = bit_of[n] = 1 << len(bit_of)
                    for table, keys in ((self.atom_bits, n.atoms), (self.literal_bits, n.literals)):
                        for k in keys:
                            table[k] = table.get(k, 0) | bit
            self.needs[id(c)] = sum(bit_of[n] for n in c.needs)  # distinct needs, distinct bits
        self.longest = max(map(len, self.literal_bits), default=0)
        self.table: list[int | None] = []
        self.generation = SIGNATURES.generation

    def met(self, key: str, tokens: list[Token], met: int = 0) -> int:
        """``met`` and the needs ``tokens`` (whose signature string is ``key``) meet."""
        table = _signature_table(self)
        for ch, tok in dict(zip(key, tokens)).items():
            bits = table[ord(ch)]
            if bits is None:
                bits = table[ord(ch)] = self._token_bits(tok)
            if bits:  # most tokens meet no need: spare the (long) integer's copy
                met |= bits
        return met

    def _token_bits(self, tok: Token) -> int:
        """The needs one token meets: by its atoms, and by the literals in its word (each
        piece of the word up to the longest literal looked up)."""
        bits, get = 0, self.atom_bits.get
        for atom in token_atoms(tok, self.type_class):
            bits |= get(atom, 0)
        word, literal = tok.text, self.literal_bits.get
        for i in range(len(word)):
            for j in range(i + 1, min(len(word), i + self.longest) + 1):
                bits |= literal(word[i:j], 0)
        return bits


_rules: dict[int, CompiledRule] = {}


def compiled(rule: Rule, type_class: dict) -> CompiledRule:
    hit = _rules.get(id(rule))
    if hit is None or hit.rule is not rule:
        hit = _rules[id(rule)] = CompiledRule(rule, type_class)
    return hit


def find(rule: Rule, tokens: list[Token], type_class: dict, key: str | None = None) -> list[Match]:
    """Leftmost, non-overlapping matches of one rule (``key``: ``SIGNATURES.key(tokens)``)."""
    return compiled(rule, type_class).find(tokens, key)
