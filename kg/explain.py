"""``kg explain``: the curator's debugger for one sentence (or a short text)."""

from __future__ import annotations

from .curated import load_extractor
from .errors import InputError
from .extract import contexts
from .ruletest import article_of


def explain(text: str, rules_dir=None, lexicon_path=None) -> str:
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
    return "\n".join(lines)
