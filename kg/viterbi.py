"""jieba's part-of-speech Viterbi, with the same results, about five times faster.

``jieba.posseg`` tags the runs of characters its dictionary does not know with an
HMM over ~250 (position, POS) states; that Viterbi is most of the cost of
segmenting. jieba's version scores every state of the previous character against
every candidate state of this one, although most pairs have no transition (an
``M-n`` only follows a ``B-n`` or an ``M-n``). This one scores only the pairs with a
transition, walking whichever is shorter: the states with a transition into the
candidate (two for an ``M-n``) or the previous character's states (a ``B-n`` has
eighty predecessors, of which the previous character has a few). A candidate no
previous state leads to is not scored at all, as jieba drops it (unless none is left:
then jieba's fallback runs as jieba wrote it). A pair without a transition scores
minus infinity, so it can only matter when no pair with a transition scores better;
then the full comparison of jieba's version decides, ties included, so the result is
always jieba's (tests/test_segment.py compares both on every run of the bundled and
test articles and on random text). What depends on a character alone (its candidate
states, their emission probabilities, its scores as the first character) is found once
per character and kept (``_Tables``).

No jieba import here: the model tables are passed in, as jieba passes them.
"""

from __future__ import annotations

MIN_FLOAT = -3.14e100  # jieba's score of an emission the model never saw
MIN_INF = float("-inf")  # ... and of a transition it never saw


class _Tables:
    """What the Viterbi derives from one set of jieba's tables, made once: each state's
    predecessors, and per character of the model its first-character scores and its
    candidate states with their emission probabilities (looked up in ~250 large dicts
    per character otherwise: most of the cost). A character the model lacks (whose
    candidates are all the states) is not kept: it is rare, and would keep ~250 of them."""

    def __init__(self, states: dict, start_p: dict, trans_p: dict, emit_p: dict):
        self.key = (states, start_p, trans_p, emit_p)
        self.preds: dict = {}  # state -> {a state with a transition into it: its log prob}
        for y0, successors in trans_p.items():
            for y, p in successors.items():
                self.preds.setdefault(y, {})[y0] = p
        self.firsts: dict[str, dict] = {}  # char -> {state: start + emission}
        self.steps: dict[str, tuple] = {}  # char -> ((state, emission, its preds), ...)

    def first(self, char: str) -> dict:
        """{state: score} of ``char`` opening the run: jieba's first column."""
        hit = self.firsts.get(char)
        if hit is None:
            states, start_p, trans_p, emit_p = self.key
            hit = {y: start_p[y] + emit_p[y].get(char, MIN_FLOAT)
                   for y in states.get(char, trans_p.keys())}
            if char in states:
                self.firsts[char] = hit
        return hit

    def step(self, char: str) -> tuple:
        """(state, emission, {predecessor: transition}) of each of ``char``'s candidate
        states that some state has a transition into, in jieba's order."""
        hit = self.steps.get(char)
        if hit is None:
            states, _, trans_p, emit_p = self.key
            hit = tuple((y, emit_p[y].get(char, MIN_FLOAT), self.preds[y])
                        for y in states.get(char, trans_p.keys()) if y in self.preds)
            if char in states:
                self.steps[char] = hit
        return hit


_tables: dict[tuple, _Tables] = {}
MAX_TABLES = 4  # sets of tables kept (each keeps its HMM alive): a process uses one or two


def tables(states: dict, start_p: dict, trans_p: dict, emit_p: dict) -> _Tables:
    """The derived tables of these tables (made on first use)."""
    key = (id(states), id(start_p), id(trans_p), id(emit_p))
    hit = _tables.get(key)
    if hit is None or any(a is not b for a, b in zip(hit.key, (states, start_p, trans_p, emit_p))):
        if len(_tables) >= MAX_TABLES:
            _tables.clear()
        hit = _tables[key] = _Tables(states, start_p, trans_p, emit_p)
    return hit


def viterbi(obs: str, states: dict, start_p: dict, trans_p: dict, emit_p: dict
            ) -> tuple[float, list]:
    """(probability, state per character): ``jieba.posseg.viterbi.viterbi``'s result."""
    derived = tables(states, start_p, trans_p, emit_p)
    V = derived.first(obs[0])  # never changed: each column is a new dict
    paths = [dict.fromkeys(V, "")]
    for t in range(1, len(obs)):
        new_v, path = {}, {}
        # jieba's candidates: the character's states that a state of V has a transition
        # into, i.e. those with a predecessor in V (the others are skipped below)
        for y, e, into in derived.step(obs[t]):
            # (score, state) as jieba compares them: the higher score, then the higher
            # state; the score summed in jieba's order (the same floats)
            if len(into) < len(V):
                scores = [((V[y0] + p) + e, y0) for y0, p in into.items() if y0 in V]
            else:
                scores = [((v + into[y0]) + e, y0) for y0, v in V.items() if y0 in into]
            if not scores:
                continue
            best = max(scores)
            if best[0] == MIN_INF:  # ties with the pairs without transition
                best = max((V[y0] + trans_p[y0].get(y, MIN_INF) + e, y0) for y0 in V if trans_p[y0])
            new_v[y], path[y] = best
        if not new_v:  # none of the character's states follows V: jieba's fallback
            new_v, path = _fallback(obs[t], V, trans_p.keys(), trans_p, emit_p)
        V = new_v
        paths.append(path)
    prob, state = max((V[y], y) for y in paths[-1])
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return prob, route


def _fallback(char: str, V: dict, all_states, trans_p: dict, emit_p: dict) -> tuple[dict, dict]:
    """jieba's step when no state of ``char`` follows a state of ``V``: every state some
    state of V leads to (all states if none leads anywhere), each scored against every
    state of V that has a successor (jieba's ValueError if there is none)."""
    prev_states = [x for x in V if trans_p[x]]
    expected: set = set()
    for x in prev_states:
        expected.update(trans_p[x])
    new_v, path = {}, {}
    for y in expected or all_states:
        e = emit_p[y].get(char, MIN_FLOAT)
        new_v[y], path[y] = max((V[y0] + trans_p[y0].get(y, MIN_INF) + e, y0)
                                for y0 in prev_states)
    return new_v, path
