"""Run every rule's examples and counter-examples; count rule hits on a corpus."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .curated import load_extractor
from .extract import Extractor, contexts
from .model import Article
from .normalize import normalize
from .sources import parse_authors, parse_header, read_sources


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
    """The article of an example text; it may start with header lines (``# author: …``)."""

    meta, text = parse_header(text, Path(article_id)) if text.startswith("#") else ({}, text)
    body, sentences = normalize(text, article_id)
    authors = parse_authors(meta.get("author", ""))
    return Article(article_id, body, sentences, title=meta.get("title", ""), authors=authors)


HEADS = "<enumeration heads>"


def _context_fired(item, art: Article, rs) -> tuple[bool, list[str]]:
    """Whether a section or enumeration rule acted on ``art`` as a build reads it
    (``contexts``: of two sections matching a sentence, the one of higher priority opens
    it), and the rules of its kind that acted instead on the sentences it matches."""
    matches = item.marker.match if hasattr(item, "marker") else item.match.search
    fired, instead = False, {}
    for s, ctx in zip(art.sentences, contexts(art, rs)):
        fired = fired or any(r.id == item.id for r in ctx.fired)
        if matches(s.text):
            instead.update((r.id, None) for r in ctx.fired
                           if type(r) is type(item) and r.id != item.id)
    return fired, list(instead)


def run_text(extractor: Extractor, text: str):
    """Mentions, relations and what each rule produced on ``text``: rule id ->
    {"entities": {(label, class)}, "relations": {(s, p, o)}}. A rule has fired when it
    has an entry (a match, or a mention or relation of its own)."""
    art = article_of(text)
    traces: list = []
    ex = extractor.extract(art, traces=traces)
    produced: dict[str, dict[str, set]] = {}

    def entry(rule: str) -> dict[str, set]:
        return produced.setdefault(rule, {"entities": set(), "relations": set()})

    for t in traces:
        for stage, rule, _span, emitted in t.matches:
            e = entry(rule)
            if stage == 0:  # an enumeration item's head: the item marked it
                entry(HEADS)["entities"].update(tuple(x.rsplit(":", 1)) for x in emitted)
            for item in emitted:
                if ":" in item and " " not in item:
                    e["entities"].add(tuple(item.rsplit(":", 1)))
                else:
                    parts = item.split(" ")
                    if len(parts) == 3:
                        e["relations"].add(tuple(parts))
    for m in ex.mentions:
        entry(m.rule)["entities"].add((m.label, m.cls))
        for alt in m.alts:
            entry(m.rule)["entities"].add((alt, m.cls))
    for r in ex.relations:
        entry(r.rule)["relations"].add((r.subject.label, r.predicate, r.object.label))
    return ex, produced


def check_item(extractor: Extractor, item) -> list[Outcome]:
    """Each example must be produced by the item's own rule: its entities and relations
    emitted by that rule, not merely present because another rule found them."""
    vocab = extractor.rs.vocab
    out = []
    for ex in item.examples:
        extraction, produced = run_text(extractor, ex.text)
        own = produced.get(HEADS if hasattr(item, "marker") else item.id)
        instead = []
        if hasattr(item, "marker") or hasattr(item, "match"):  # enumerations and sections
            fired, instead = _context_fired(item, extraction.article, extractor.rs)
        else:
            fired = item.id in produced
        problems = [] if fired else ["did not fire" + (
            f": {', '.join(instead)} took the sentences it matches" if instead else "")]
        own = own or {"entities": set(), "relations": set()}
        for label, cls in ex.entities:
            if not any(lab == label and vocab.is_subclass(c, cls) for lab, c in own["entities"]):
                got = sorted(f"{lab}:{c}" for lab, c in own["entities"])
                problems.append(f"expected entity {label}:{cls} from this rule; it gave "
                                f"{', '.join(got) or 'none'}")
        for s, p, o in ex.relations:
            if (s, p, o) not in own["relations"]:
                got = sorted(" ".join(r) for r in own["relations"])
                problems.append(f"expected relation {s} {p} {o} from this rule; it gave "
                                f"{'; '.join(got) or 'none'}")
        out.append(Outcome(item.id, item.file, "example", ex.text, tuple(problems)))
    for text in item.counter_examples:
        extraction, produced = run_text(extractor, text)
        if hasattr(item, "marker") or hasattr(item, "match"):
            fired_here = _context_fired(item, extraction.article, extractor.rs)[0]
        else:
            own = produced.get(item.id)
            fired_here = bool(own and (own["entities"] or own["relations"]))
        out.append(Outcome(item.id, item.file, "counter-example", text,
                           ("fired on a counter-example",) if fired_here else ()))
    return out


def all_items(extractor: Extractor) -> list:
    rs = extractor.rs
    return [*rs.rules, *rs.sections, *rs.enumerations, *rs.item_roles, *rs.cues]


def run_rule_tests(rules_dir=None, lexicon_path=None) -> tuple[str, int]:
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
    extractor = load_extractor(rules_dir, lexicon_path)
    rs = extractor.rs
    # a context rule matches where it gives a sentence its context (the heads it then
    # makes entities of are what it emitted)
    context_rules = {i.id for i in (*rs.sections, *rs.enumerations, *rs.item_roles)}
    hits: Counter = Counter()
    emitted: Counter = Counter()
    for art in read_sources(sources):
        traces: list = []
        ex = extractor.extract(art, traces=traces)
        for t in traces:
            for _stage, rule, _span, _em in t.matches:
                if rule not in context_rules:
                    hits[rule] += 1
        for ctx in contexts(art, rs):
            hits.update(r.id for r in ctx.fired)
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
