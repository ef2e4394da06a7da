"""Token-pattern matching (pure: tokens + compiled rules -> matches).

A pattern is a sequence of token specs with quantifiers; matching is
leftmost, greedy with backtracking (like a regular expression over tokens),
and non-overlapping for one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Token
from .rules import Rule, TokenSpec


@dataclass(frozen=True)
class Match:
    rule: Rule
    start: int  # token index
    end: int  # token index (exclusive)
    captures: dict  # name -> (first token, last token + 1)


def _pos_ok(tags: tuple, tag: str) -> bool:
    for t in tags:
        if t.endswith("*"):
            if tag.startswith(t[:-1]):
                return True
        elif tag == t:
            return True
    return False


def token_ok(spec: TokenSpec, tok: Token, type_class: dict) -> bool:
    ok = True
    if spec.text is not None:
        ok = tok.text == spec.text
    if ok and spec.in_ is not None:
        ok = tok.text in spec.in_
    if ok and spec.not_in is not None:
        ok = tok.text not in spec.not_in
    if ok and spec.regex is not None:
        ok = spec.regex.fullmatch(tok.text) is not None
    if ok and spec.pos is not None:
        ok = _pos_ok(spec.pos, tok.pos)
    if ok and spec.not_pos is not None:
        ok = not _pos_ok(spec.not_pos, tok.pos)
    if ok and spec.types is not None:
        ok = tok.ltype is not None and ("*" in spec.types or tok.ltype in spec.types)
    if ok and spec.classes is not None:
        ok = tok.ltype is not None and type_class.get(tok.ltype) in spec.classes
    if ok and spec.entity is not None:
        ok = tok.ent is not None and ("*" in spec.entity or tok.ent in spec.entity)
    if ok and spec.quoted is not None:
        ok = tok.quoted == spec.quoted
    if ok and spec.any_of is not None:
        ok = any(token_ok(alt, tok, type_class) for alt in spec.any_of)
    return ok != spec.negate


def match_at(pattern: tuple, tokens: list[Token], i: int, type_class: dict):
    """(end, captures) of the greedy match of ``pattern`` at token ``i``, or None."""
    n_pat, n_tok = len(pattern), len(tokens)
    failed: set[tuple[int, int]] = set()
    cache: dict[tuple[int, int], bool] = {}

    def ok(k: int, j: int) -> bool:
        key = (k, j)
        v = cache.get(key)
        if v is None:
            v = cache[key] = token_ok(pattern[k], tokens[j], type_class)
        return v

    def rec(k: int, j: int, caps: dict):
        if k == n_pat:
            return j, caps
        if (k, j) in failed:
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
                    new[name] = (min(lo, j), max(hi, j + c))
            r = rec(k + 1, j + c, new)
            if r is not None:
                return r
        failed.add((k, j))
        return None

    return rec(0, i, {})


def find(rule: Rule, tokens: list[Token], type_class: dict) -> list[Match]:
    """Leftmost, non-overlapping matches of one rule."""
    out: list[Match] = []
    i = 0
    first = rule.pattern[0]
    while i < len(tokens):
        if first.min > 0 and not token_ok(first, tokens[i], type_class):
            i += 1
            continue
        r = match_at(rule.pattern, tokens, i, type_class)
        if r is None or r[0] == i:
            i += 1
            continue
        end, caps = r
        out.append(Match(rule, i, end, caps))
        # context tokens after the last capture (a closing comma) may open the next match
        i = max(i + 1, max((hi for _lo, hi in caps.values()), default=end))
    return out
