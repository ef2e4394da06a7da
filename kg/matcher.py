"""Token-pattern matching (pure: tokens + compiled rules -> matches).

A pattern is a sequence of token specs with quantifiers; matching is
leftmost, greedy (or lazy) with backtracking, like a regular expression over
tokens, and non-overlapping for one rule. Each spec is compiled once into a
predicate on tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .model import Token
from .rules import Rule, TokenSpec


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
        fullmatch = spec.regex.fullmatch
        checks.append(lambda t: fullmatch(t.text) is not None)
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


def match_at(pattern: tuple, tokens: list[Token], i: int, type_class: dict,
             preds: list | None = None, failed: set | None = None, cache: dict | None = None):
    """(end, captures) of the match of ``pattern`` at token ``i``, or None.

    ``failed`` and ``cache`` may be shared by calls on the same tokens: whether
    the rest of a pattern can match from a position does not depend on where the
    match started."""
    n_pat, n_tok = len(pattern), len(tokens)
    preds = preds or [compile_spec(s, type_class) for s in pattern]
    failed = set() if failed is None else failed
    cache = {} if cache is None else cache

    def ok(k: int, j: int) -> bool:
        key = k * n_tok + j
        v = cache.get(key)
        if v is None:
            v = cache[key] = preds[k](tokens[j])
        return v

    def rec(k: int, j: int, caps: dict):
        if k == n_pat:
            return j, caps
        key = k * (n_tok + 1) + j
        if key in failed:
            return None
        spec = pattern[k]
        limit = n_tok - j if spec.max is None else min(spec.max, n_tok - j)
        count = 0
        while count < limit and ok(k, j + count):
            count += 1
        counts = range(spec.min, count + 1) if spec.lazy else range(count, spec.min - 1, -1)
        for c in counts:
            new = caps
            if spec.capture and c > 0:
                new = dict(caps)
                for name in spec.capture:
                    lo, hi = new.get(name, (j, j + c))
                    new[name] = (lo if lo < j else j, hi if hi > j + c else j + c)
            r = rec(k + 1, j + c, new)
            if r is not None:
                return r
        failed.add(key)
        return None

    return rec(0, i, {})


def find(rule: Rule, tokens: list[Token], type_class: dict) -> list[Match]:
    """Leftmost, non-overlapping matches of one rule."""
    out: list[Match] = []
    preds = [compile_spec(s, type_class) for s in rule.pattern]
    first, first_ok = rule.pattern[0], preds[0]
    n = len(tokens)
    failed: set[int] = set()
    cache: dict[int, bool] = {}
    i = 0
    while i < n:
        if first.min > 0 and not first_ok(tokens[i]):
            i += 1
            continue
        r = match_at(rule.pattern, tokens, i, type_class, preds, failed, cache)
        if r is None or r[0] == i:
            i += 1
            continue
        end, caps = r
        out.append(Match(rule, i, end, caps))
        # context tokens after the last capture (a closing comma) may open the next match
        i = max(i + 1, max((hi for _lo, hi in caps.values()), default=end))
    return out
