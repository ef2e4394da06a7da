"""Run every rule's examples and counter-examples; count rule hits on a corpus."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .extract import Extractor
from .model import Article
from .normalize import normalize


@dataclass(frozen=True)
class Outcome:
    rule: str
    file: str
    kind: str  # "example" or "counter-example"
    text: str
    problems: tuple  # empty when it passed

    @property
    def ok(self) -> bool:
        return not self.problems


def article_of(text: str, article_id: str = "example") -> Article:
    body, sentences = normalize(text, article_id)
    return Article(article_id, body, sentences)


def run_text(extractor: Extractor, text: str):
    """Mentions, relations and the ids of the rules that fired on ``text``."""
    art = article_of(text)
    traces: list = []
    ex = extractor.extract(art, traces=traces)
    fired = {rule for t in traces for (_stage, rule, _span, _emitted) in t.matches}
    fired |= {m.rule for m in ex.mentions} | {r.rule for r in ex.relations}
    return ex, fired


def _context_fired(item, art: Article) -> bool:
    if hasattr(item, "starts_with"):  # item roles: judged by the entities they yield
        return True
    if hasattr(item, "marker"):
        return any(item.marker.match(s.text) for s in art.sentences)
    return any(item.match.search(s.text) for s in art.sentences)


def check_item(extractor: Extractor, item) -> list[Outcome]:
    vocab = extractor.rs.vocab
    out = []
    is_context = not hasattr(item, "pattern")
    for ex in item.examples:
        extraction, fired = run_text(extractor, ex.text)
        problems = []
        if is_context:
            if not _context_fired(item, extraction.article):
                problems.append("did not fire")
        elif item.id not in fired:
            problems.append("did not fire")
        for label, cls in ex.entities:
            if not any((m.label == label or label in m.alts) and vocab.is_subclass(m.cls, cls)
                       for m in extraction.mentions):
                got = sorted({f"{m.label}:{m.cls}" for m in extraction.mentions})
                problems.append(f"expected entity {label}:{cls}; got {', '.join(got) or 'none'}")
        for s, p, o in ex.relations:
            if not any(r.subject.label == s and r.object.label == o and
                       (r.predicate == p) for r in extraction.relations):
                got = sorted({f"{r.subject.label} {r.predicate} {r.object.label}"
                              for r in extraction.relations})
                problems.append(f"expected relation {s} {p} {o}; got {'; '.join(got) or 'none'}")
        out.append(Outcome(item.id, item.file, "example", ex.text, tuple(problems)))
    for text in item.counter_examples:
        if is_context:
            fired_here = _context_fired(item, article_of(text))
        else:
            extraction = run_text(extractor, text)[0]
            fired_here = any(x.rule == item.id for x in [*extraction.mentions,
                                                         *extraction.relations])
        out.append(Outcome(item.id, item.file, "counter-example", text,
                           ("fired on a counter-example",) if fired_here else ()))
    return out


def all_items(extractor: Extractor) -> list:
    rs = extractor.rs
    return [*rs.rules, *rs.sections, *rs.enumerations, *rs.item_roles]


def run_rule_tests(rules_dir=None, lexicon_path=None) -> tuple[str, int]:
    from .pipeline import load_extractor

    extractor = load_extractor(rules_dir, lexicon_path)
    outcomes = [o for item in all_items(extractor) for o in check_item(extractor, item)]
    failures = [o for o in outcomes if not o.ok]
    lines = []
    for o in failures:
        for p in o.problems:
            lines.append(f"FAIL {o.rule} ({Path(o.file).name}) {o.kind} {o.text!r}: {p}")
    lines.append(f"{len(outcomes) - len(failures)} passed, {len(failures)} failed")
    return "\n".join(lines), len(failures)


def rule_stats(sources: list[Path], rules_dir=None, lexicon_path=None) -> str:
    from .pipeline import load_extractor
    from .sources import read_sources

    extractor = load_extractor(rules_dir, lexicon_path)
    hits: Counter = Counter()
    emitted: Counter = Counter()
    for art in read_sources(sources):
        traces: list = []
        ex = extractor.extract(art, traces=traces)
        for t in traces:
            for _stage, rule, _span, _em in t.matches:
                hits[rule] += 1
        for m in ex.mentions:
            emitted[m.rule] += 1
        for r in ex.relations:
            emitted[r.rule] += 1
    ids = [i.id for i in all_items(extractor)]
    width = max(len(i) for i in ids)
    lines = [f"{'rule':<{width}}  matches  emitted"]
    for rid in sorted(ids, key=lambda r: (-hits[r] - emitted[r], r)):
        lines.append(f"{rid:<{width}}  {hits[rid]:>7}  {emitted[rid]:>7}")
    never = [r for r in ids if not hits[r] and not emitted[r]]
    lines.append(f"Never fired: {', '.join(never) if never else 'none'}")
    return "\n".join(lines)
