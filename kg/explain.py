"""``kg explain``: the curator's debugger for one sentence (or a short text)."""

from __future__ import annotations

import re

from .curated import load_extractor
from .errors import InputError
from .extract import contexts
from .names import normalise
from .ruletest import article_of


def explain(text: str, rules_dir=None, lexicon_path=None, expect: tuple = ()) -> str:
    art = article_of(text)
    if not art.sentences:  # before loading the rules: nothing to explain
        raise InputError("no sentence to explain: the text is empty, or only a Latin line, "
                         "which a page reads as a column label")
    extractor = load_extractor(rules_dir, lexicon_path)
    traces: list = []
    ex = extractor.extract(art, traces=traces)
    ctxs = contexts(art, extractor.rs)
    lines = ["(tokens: word/POS[lexicon type]; stage 0 = enumeration heads, 1 = words, 2+ = relations)"]
    for sent, ctx, trace in zip(art.sentences, ctxs, traces):
        lines.append(f"Sentence {sent.index}: {sent.text}")
        where = []
        if ctx.section_rule:
            where.append(f"section {ctx.role or '-'} ({ctx.section_rule.id})")
        if ctx.item:
            where.append(f"item {ctx.item[1]}" + (" head" if ctx.head else ""))
        if where:
            lines.append("  Context: " + ", ".join(where))
        toks = []
        for t in trace.tokens:
            if t.pos == "bos":
                continue
            toks.append(f"{t.text}/{t.pos}" + (f"[{t.ltype}]" if t.ltype else "") +
                        ("(quoted)" if t.quoted else ""))
        lines.append("  Tokens: " + " ".join(toks))
        if not trace.matches:
            lines.append("  No rule matched.")
        for n, (stage, rule, span, emitted) in enumerate(trace.matches):
            lines.append(f"  [stage {stage}] {rule}: “{span}” -> "
                         + ("; ".join(emitted) if emitted else
                            "(nothing: " + "; ".join(dict.fromkeys(trace.why.get(n, ["-"]))) + ")"))
    kept = sorted({f"{m.label}:{m.cls}" for m in ex.mentions})
    lines.append("Entities: " + (", ".join(kept) if kept else "none"))
    rels = sorted({f"{r.subject.label} {r.predicate} {r.object.label} ({r.rule})"
                   for r in ex.relations})
    lines.append("Relations: " + ("; ".join(rels) if rels else "none"))
    for phrase in expect:
        lines.extend(_expected(phrase, art, ex, traces, extractor))
    return "\n".join(lines)


def _expected(phrase: str, art, ex, traces, extractor) -> list[str]:
    """Why an entity (a phrase of the text, or ``label:Class`` as rule examples write it)
    or a relation (``A predicate B``) the user expected is or is not in the result, as far
    as the pipeline can tell."""
    vocab = extractor.rs.vocab
    parts = phrase.split()
    if len(parts) == 3 and parts[1] in vocab.properties:
        return _expected_relation(*parts, ex)
    phrase = phrase.strip()
    label, colon, cls = phrase.rpartition(":")
    if colon and label and re.fullmatch(r"[A-Za-z]\w*", cls):
        if not vocab.is_entity_class(cls):
            return [f"Expected “{phrase}”: {cls} is not an entity class of the ontology "
                    "(write label:Class, e.g. 科创贷:FinancialProduct, or the label alone)"]
        return _expected_entity(label, art, ex, traces, extractor, cls)
    return _expected_entity(phrase, art, ex, traces, extractor)


def _named(ex, label: str) -> list:
    key = normalise(label)
    return [m for m in ex.mentions
            if key in (normalise(m.label), normalise(m.surface), *map(normalise, m.alts))]


def _expected_entity(phrase: str, art, ex, traces, extractor, cls: str | None = None
                     ) -> list[str]:
    """``cls``: the class expected too (a subclass of it will do), None: any."""
    head = f"Expected “{phrase}:{cls}”:" if cls else f"Expected “{phrase}”:"
    found = _named(ex, phrase)
    if found:
        vocab = extractor.rs.vocab
        fits = [m for m in found if cls is None or vocab.is_subclass(m.cls, cls)]
        if not fits:
            return _wrong_class(head, phrase, cls, found, traces, vocab)
        m = fits[0]
        how = "" if normalise(m.label) == normalise(phrase) else f" (as {m.label})"
        finer = f" ({m.cls} is a kind of {cls})" if cls and m.cls != cls else ""
        return [f"{head} found{how}: {m.label}:{m.cls}, rule {m.rule}{finer}"]
    at = art.text.find(phrase)
    if at < 0:
        return [f"{head} not extracted; it is not in the text as written (quote marks and "
                "spaces count)"]
    end = at + len(phrase)
    sent = next(s for s in art.sentences if s.start <= at < s.end)
    lines = [f"{head} not extracted. In sentence {sent.index}:"]
    tokens = [t for t in traces[sent.index].tokens if t.pos != "bos" and t.start < end and at < t.end]
    cut = " ".join(f"{t.text}/{t.pos}" for t in tokens)
    if tokens and (tokens[0].start != at or tokens[-1].end != end):
        lines.append(f"  - jieba's words cross its edges ({cut}): a rule matches whole words, "
                     "so no rule can give exactly this span (a lexicon entry of it would)")
    else:
        lines.append(f"  - jieba cuts it as {cut}")
    for m in sorted({(m.start, m.end, m.label, m.cls, m.rule) for m in ex.mentions
                     if m.start < end and at < m.end}):
        where = "holds it" if m[0] <= at and end <= m[1] else \
            "lies inside it" if at <= m[0] and m[1] <= end else "overlaps it"
        lines.append(f"  - the entity {m[2]}:{m[3]} (rule {m[4]}) {where}")
    words = extractor.type_class
    typed = [e for e in extractor.lexicon.entries if e.word == phrase]
    if typed:
        kinds = ", ".join(f"{e.type} ({words.get(e.type, 'no class')})" for e in typed)
        lines.append(f"  - the lexicon has it: {kinds}")
    lines.append("  - " + extractor.rs.cleanup.verdict(phrase))
    spans = [(rule, span) for stage, rule, span, _ in traces[sent.index].matches
             if phrase in span and rule[0] != "("]
    if spans:
        lines.append("  - rules that matched words holding it: "
                     + "; ".join(f"{r} (“{s}”)" for r, s in spans[:6]))
    else:
        lines.append("  - no rule matched words holding it")
    return lines


def _wrong_class(head: str, phrase: str, cls: str, found: list, traces, vocab) -> list[str]:
    """An expected entity found with another class: which rules typed it, and how the
    class found stands to the one expected."""
    m = found[0]
    lines = [f"{head} found as {m.label}:{m.cls} (rule {m.rule}), not as {cls}"]
    if vocab.is_subclass(cls, m.cls):
        lines.append(f"  - {cls} is a kind of {m.cls}: no rule or lexicon entry gave it the "
                     "finer class")
    elif vocab.core(cls) != vocab.core(m.cls):
        lines.append(f"  - {cls} and {m.cls} are of different core classes "
                     f"({vocab.core(cls)}, {vocab.core(m.cls)})")
    typed = sorted({(mm.rule, mm.cls) for mm in found})
    lines.append("  - typed by: " + "; ".join(f"{r} ({c})" for r, c in typed))
    labels = {normalise(mm.label) for mm in found}
    for trace in traces:
        for stage, rule, span, emitted in trace.matches:
            hits = [e for e in emitted
                    if any(normalise(part.split(":")[0]) in labels for part in e.split(" -> "))]
            if hits and rule[0] == "(":  # a step after matching: a rename, a merge
                lines.append(f"  - [stage {stage}] {rule}: “{span}” -> " + "; ".join(hits))
    return lines


def _expected_relation(s: str, p: str, o: str, ex) -> list[str]:
    head = f"Expected {s} {p} {o}:"
    same = [r for r in ex.relations if (normalise(r.subject.label), r.predicate,
            normalise(r.object.label)) == (normalise(s), p, normalise(o))]
    if same:
        return [f"{head} found, rule {same[0].rule}"]
    ends = [(x, _named(ex, x)) for x in (s, o)]
    missing = [x for x, found in ends if not found]
    if missing:
        return [f"{head} not made: no entity " + " or ".join(f"“{x}”" for x in missing)
                + f" (kg explain --expect {missing[0]} says why)"]
    pair = {normalise(s), normalise(o)}
    other = sorted({f"{r.subject.label} {r.predicate} {r.object.label} ({r.rule})"
                    for r in ex.relations
                    if {normalise(r.subject.label), normalise(r.object.label)} == pair})
    if other:
        return [f"{head} not made; the two are related otherwise: " + "; ".join(other)]
    return [f"{head} not made: both entities are found, but no rule or cue relates them "
            "(their relations are listed above)"]
