"""Extraction rules: load ``ontology/rules/*.toml``, validate, compile.

Every problem in every file is collected and reported at once, one line each,
naming the file and the rule. See docs/rules.md for the format.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from . import regexcache
from .errors import InputError, RuleError
from .fileio import read_input, toml_loads
from .ontology import NOT_ENTITY, ONTOLOGY_DIR, Vocabulary

RULES_DIR = ONTOLOGY_DIR / "rules"

TOKEN_KEYS = {"text", "in", "not_in", "regex", "pos", "not_pos", "type", "class", "entity",
              "quoted", "any", "any_of", "op", "capture", "not"}

# The declared schema of rule files: every kind of table, its keys and their types
# (token tables are checked item by item in _Loader.token). ``conform`` checks a table
# against it before anything reads it, so a wrongly typed value is a rule error, never a
# crash. A list ``[t]`` holds values of type t; STRINGS is a string or a list of them.
STRINGS = "strings"
SCHEMA: dict[str, dict] = {
    "file": {"lists": dict, "rule": [dict], "section": [dict], "enumeration": [dict],
             "cleanup": dict, "item_role": [dict], "cue": [dict], "within": dict},
    "cue": {"id": str, "description": str, "predicate": str, "words": STRINGS, "shape": str,
            "subject": STRINGS, "object": STRINGS, "fallback": bool, "same_class": bool,
            "openers": STRINGS, "leads": STRINGS, "heads": STRINGS, "earlier": str,
            "earlier_subject": STRINGS, "unless": STRINGS, "single": bool, "trim": STRINGS,
            "nesting": str, "side": str, "isolated": bool, "adjacent": bool,
            "examples": list,
            "counter_examples": list},
    "rule": {"id": str, "description": str, "priority": int, "stage": int, "when": dict,
             "pattern": list, "entities": [dict], "relations": [dict], "examples": list,
             "counter_examples": list, "nested": bool},
    "when": {"section": STRINGS, "item": bool, "head": bool, "subject": STRINGS},
    "entity": {"capture": str, "class": str, "split": bool, "split_before": STRINGS,
               "split_after": STRINGS, "lead": str, "keep_quotes": bool, "block": bool,
               "suffix_classes": dict},
    "relation": {"subject": str, "predicate": str, "object": str, "same_class": bool},
    "section": {"id": str, "description": str, "priority": int, "match": str, "role": str,
                "align": bool, "relate": [dict], "infer": bool, "examples": list,
                "counter_examples": list},
    "enumeration": {"id": str, "description": str, "level": int, "marker": str,
                    "examples": list, "counter_examples": list},
    "relate": {"predicate": str, "to": str, "scope": str},
    "cleanup": {"strip_prefixes": [str], "strip_suffixes": [str], "separators": [str],
                "min_length": int, "max_length": int, "title_max_length": int, "stop_labels": [str],
                "drop_patterns": [str], "reject_patterns": [str], "alt_patterns": [str],
                "marker_prefixes": [str], "verbal_nouns": [str]},
    "item_role": {"id": str, "description": str, "role": str, "starts_with": STRINGS,
                  "skip": STRINGS, "contains": STRINGS, "override": bool, "relate": [dict],
                  "examples": list, "counter_examples": list},
}
RULE_KEYS = set(SCHEMA["rule"])
WHEN_KEYS = set(SCHEMA["when"])
ENTITY_KEYS = set(SCHEMA["entity"])
RELATION_KEYS = {"subject", "predicate", "object"}
RELATION_OPTIONS = {"same_class"}
EXAMPLE_KEYS = {"text", "entities", "relations"}
SECTION_KEYS = set(SCHEMA["section"])
ENUM_KEYS = set(SCHEMA["enumeration"])
RELATE_KEYS = set(SCHEMA["relate"])
CLEANUP_KEYS = set(SCHEMA["cleanup"])
FILE_KEYS = set(SCHEMA["file"])
ITEM_ROLE_KEYS = set(SCHEMA["item_role"])
# How a cue word places the two ends of its relation (docs/rules.md, "Cue rules"):
CUE_SHAPES = {
    "forward",   # subject … cue … object, in one clause (A 缓解了 B)
    "means",     # like forward; with no subject before the cue in its clause, the
                 # measures and products of the next clause (通过 B，A: A uses B)
    "inverse",   # object … cue … subject (X 包括 A、B: A partOf X)
    "tail",      # subject … object cue (A 是 B 之一)
    "listed",    # object … subject、subject 等 + a generic word: the
                 # items of a list closed by the cue exemplify the nearest entity of their
                 # kind before the list
    "because",   # cue subject，object (由于 A，B: A causes B); with no object after, the
                 # nearest earlier clause's (B，是因为A)
    "purpose",   # cue object，subject (针对 A，B: B addresses A)
    "aim",       # aim cue subject: an aim opening the sentence with a word of `openers`
                 # (做好数字金融大文章，需要加快……), then a cue word (a modal): the
                 # measures after it serve the aim's entities
    "consequence",  # subject，cue object (A，导致B): the subject before the cue in its
                    # clause, else in the nearest earlier clause, else after 这 in the
                    # last clause of the previous sentence
    "examples",  # whole，cue example、example (X，如 A、B: A exemplifies X)
    "case",      # opener example cue (以 A 为例): A exemplifies the whole the previous
                 # sentence names first
    "actor",     # no word: an institution undertakes the measures of its clause, sentence,
                 # paragraph or section
    "nested",    # no word: a name holds another at its start (a place, a parent body)
    "contains",  # no word: a label holds another entity's label (纠正X → X)
    "acts_on",   # no word: like contains, the inner label right after an action word
                 # (@remedy_verbs) or at the start, and not the label's end nor a list
                 # item (加快数字金融基础设施建设 → 数字金融; not 推进人民币国际化)
    "applies",   # like contains, over the article's labels: the inner label is put to use
                 # in the outer one, by one of the cue's words (运用X, X的应用, X+行动)
    "speaker",   # no word: the institution of the speaker of an answer (某某：……) undertakes
                 # the measures of the answer
    "contained",  # no word: the entity inside another's label is the subject (X undertakes
                  # 鼓励X做Y)
    "gazetteer", # no word: two places of the article, one inside the other by [within]
    "lead",      # no word: a paragraph that opens with a measure as its own clause
                 # (X。……): the paragraph's other measures detail it
    "by_parts",  # no word: a measure on a whole whose parts the article names (做好五篇大
                 # 文章), then paragraphs that each name a part: their measures detail it
    "heading",   # no word: a headline ending with a measure (四、完善……体系): the measures
                 # opening the paragraphs under it as their own clause detail it
    "reasons",   # a sentence announcing several reasons (A有多方面原因; A的原因有：; 问题出在哪？)
                 # or summing them up (多种因素导致A): the problems after it in its
                 # paragraph, or of the sentence before, cause A
    "then_now",  # a clause opened by a word of the past (以前得跑三趟) names problems that what a
                 # later clause opened by a word of `openers` (现在, 如今) names addresses
    "byline",    # cue in a sentence (an author's note): the authors of the article's
                 # header are affiliated with its institutions and their parents
    "place_subject",  # no word: a sentence whose subject is a place:
                      # its entities of the subject classes are located there
    "nearby",    # no word, last of all: an entity of the subject classes and the nearest entity
                 # of the object classes on its `side` in the same sentence, where no rule
                 # related the two (a default of the class pair, by its precision on dev)
    "via_part",  # no word: a relation of the cue's predicate to a part holds for the whole
                 # too (a person affiliated with a school → with its university)
}
WORDLESS_SHAPES = {"actor", "nested", "contains", "acts_on", "contained", "speaker", "gazetteer",
                   "lead", "by_parts", "heading", "place_subject", "via_part", "nearby"}
# the shapes whose `openers` are single words, and what those words are (`aim` takes frames
# of two words too; `listed` and `contained` take openers only if they have any)
SINGLE_OPENERS = {
    "case": "the word that opens its frame (以)",
    "listed": "the words one of which stands right before the list (聚焦)",
    "then_now": "the words of the present that open what changed (现在, 如今)",
    "contained": "the words that put the inner actor to work (引导, 严禁)",
}
# shape lead: the kinds of lead a cue takes (all by default)
LEAD_KINDS = {
    "clause",    # a measure as its own clause opens the paragraph (强化信贷支持。……)
    "progress",  # a first sentence that is only a topic and how it advances (……加快构建。)
}
# Lists the extraction engine reads by name (kg/extract.py), beside those rules name as
# "@list": a rule set that defines lists must define these (a renamed list fails at load).
ENGINE_LISTS = {
    "modifier_suffixes": "suffixes that make a word a modifier",
    "concept_aspect_heads": "heads of an aspect of a concept",
    "generic_actors": "generic actors, no entity when named only as a modifier",
    "actor_topic_heads": "nouns after a generic actor that make it a topic, not a modifier (方面)",
    "enable_verbs": "verbs jieba may tag as nouns",
    "aim_verbs": "verbs of an aim",
    "recipient_marks": "words before a recipient, who does not act",
    "recipient_joins": "words that go on a recipient's noun phrase",
    "say_verbs": "verbs of saying",
    "plan_words": "words that open what a speaker says as a plan of the speaker's body (将, 下一步)",
    "issue_verbs": "verbs that only issue a product or document",
    "product_heads": "heads of a product's kind after its name (推出“某贷”线上信用贷款产品)",
    "build_verbs": "verbs of a measure that builds a product (what it uses, the product uses)",
    "means": "words of a means (通过): a forward cue after one takes no earlier subject",
    "address_verbs": "verbs of solving: before a back reference (为了解决这些难题，) the purpose frame still refers back",
    "part_modifiers": "words between 的 and 之一/组成部分 that leave the whole before 的 (的重要组成部分)",
    "owner_words": "words after an owner (旗下)",
    "partner_marks": "words joining two actors (会同)",
    "lead_verbs": "verbs of leading (牵头)",
    "demonstratives": "phrases that name the last entity of a class (该行:Bank, 该机制:Remedy|Product@机制)",
    "short_name_marks": "words that give a short name in brackets (以下简称)",
    "face_verbs": "verbs of facing a problem: a cue's objects end there (治理仍面临A风险)",
    "indefinite_marks": "words of a kind said of a name (是一家): no antecedent of a demonstrative",
    "use_verbs": "verbs of use (借助): a means clause opening with one gives its means to the institution opening the next",
    "place_stem_suffixes": "suffixes of a place also named by its stem later (余姚市: 余姚)",
    "short_name_tails": "company forms between a name and the bracket of its short name (股份有限公司)",
    "first_person": "words that name the institution of the speaker of an answer (我行)",
    "first_person_bodies": "classes of the institution a speaker's first person names",
    "time_clause_ends": "words that end an opening clause of time",
    "cue_adverbs": "manner words before a cue word",
    "encourage_verbs": "verbs of encouragement before an actor",
    "subject_skip": "words skipped before a sentence's subject",
    "remedy_verbs": "action words of a measure",
    "aim_modals": "modals after a measure that states an aim",
    "topic_frame_ends": "words that end a topic frame (上, 方面)",
    "question_marks": "turns that open a question in an interview",
    "place_borrow_words": "words of a place's experience borrowed elsewhere (借鉴, 推广)",
    "reason_counts": "words near a reason word that announce several (多方面, 多种)",
    "deficiency_words": "words of deficiency: a problem item's head is split at 、 where each part holds one",
    "duty_actors": "actors opening a measure item stated as a duty (金融机构要……): cut from its label",
    "adverbs": "adverbs between a duty actor and its modal (中小银行则应……)",
    "prevent_verbs": "verbs of preventing: before a back reference (为防范此类风险，) the frame still refers back",
    "modals": "modals after an actor that follows an opening aim (建设某市场，政府要……): the actor is the subject",
}
SIDES = ("after", "before")  # shape nearby: where the object stands from the subject
# shapes forward, means: which subjects the earlier clauses of the sentence supply
EARLIER_KINDS = ("all", "first")
NESTING_KINDS = ("inner", "outer")  # shape contains: which of two nested held labels counts
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", dict: "a table",
               list: "a list", STRINGS: "a string or a list of strings"}
MAX_REPEAT = 100  # the largest bound of an {m,n} op: a rule matches within one sentence
REGEX_TIMEOUT = 1.0  # seconds a rule's regex may take on one text


def _type_ok(value, t) -> bool:
    if isinstance(t, list):
        return isinstance(value, list) and all(_type_ok(v, t[0]) for v in value)
    if t is STRINGS:
        return isinstance(value, str) or _type_ok(value, [str])
    if t is int:
        return type(value) is int
    return isinstance(value, t)


def _type_name(t) -> str:
    if isinstance(t, list):
        return {dict: "a list of tables", str: "a list of strings"}[t[0]]
    return _TYPE_NAMES[t]


@lru_cache(maxsize=1024)  # a loaded pattern is parsed once for all the checks below
def _regex_tree(pattern: str):
    """(the parsed pattern, the sre constants, the repeat opcodes) for the shape checks
    and ``required_literals``: read only."""
    import re._constants as c
    import re._parser as sre

    repeats = (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT))
    return sre.parse(pattern), c, repeats


def catastrophic(pattern: str) -> bool:
    """True for a regex with an unbounded repeat of a group whose every part is itself
    optional or repeated, like (a+)+ or (a*b*)*: the shape that backtracks exponentially.
    (Subtler cases are caught by the time bound when the regex runs.)"""
    try:
        tree, c, repeats = _regex_tree(pattern)
    except Exception:  # noqa: BLE001 -- not parsable by re: the compile reports it
        return False

    def parts(items):  # the items of a sequence, groups unwrapped
        for op, av in items:
            if op == c.SUBPATTERN:
                yield from parts(av[3])
            else:
                yield op, av

    def walk(items) -> bool:
        for op, av in items:
            if op in repeats:
                lo, hi, body = av
                inner = list(parts(body))
                if hi == c.MAXREPEAT and inner and all(
                        o in repeats and (a[0] == 0 or a[1] == c.MAXREPEAT) for o, a in inner):
                    return True
                if walk(body):
                    return True
            elif op == c.SUBPATTERN and walk(av[3]):
                return True
            elif op == c.BRANCH and any(walk(b) for b in av[1]):
                return True
        return False

    return walk(tree)


def linear_enough(pattern: str) -> bool:
    """True for a regex without a repeated group that holds an alternation or a repeat
    ((a|ab)+, (ab*)+; a fixed run of one character, [^的]{2}, and an optional item are no
    repeats here): on a word
    of a few dozen characters it cannot backtrack for long, so it may run without the time
    bound."""
    try:
        tree, c, repeats = _regex_tree(pattern)
    except Exception:  # noqa: BLE001 -- not parsable by re: keep the bounded regex
        return False

    def one_char(items) -> bool:
        return len(items) == 1 and items[0][0] in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY)

    def risky(items, in_repeat: bool) -> bool:
        for op, av in items:
            if op in repeats:
                if av[0] == av[1] and one_char(av[2]):
                    continue  # x{2}: a fixed run of single characters, no choice to undo
                if av[1] == 1:  # (x)?: no repeat but a choice, like (x|): as a branch
                    if in_repeat or risky(av[2], in_repeat):
                        return True
                elif in_repeat or risky(av[2], True):
                    return True
            elif op == c.BRANCH:
                if in_repeat or any(risky(b, in_repeat) for b in av[1]):
                    return True
            elif op == c.SUBPATTERN:
                if risky(av[3], in_repeat):
                    return True
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if risky(av[1], in_repeat):
                    return True
        return False

    return not risky(tree, False)


MAX_LITERALS = 64  # strings a required-literal set may hold before it is given up
# what re parses as literal characters but the regex package does not: a POSIX class
# ([[:alpha:]]) and a fuzzy constraint ({e<=1}); no literals are taken from such a pattern
REGEX_ONLY_SYNTAX = re.compile(r"\[:|\{(?![\d,])")


def required_literals(pattern: str) -> frozenset | None:
    """Strings one of which every match of the regex contains (``.*(大学|学院)`` needs 大学
    or 学院), the most selective such set found; None when none is found (or the pattern
    is not one ``re`` parses, or ignores case). A BoundedRegex does not run on a text
    without one, and the matcher's prefilter skips a sentence without one for the rules
    whose token specs have the regex."""
    if REGEX_ONLY_SYNTAX.search(pattern):
        return None
    try:
        tree, c, repeats = _regex_tree(pattern)
    except Exception:  # noqa: BLE001 -- not parsable by re: no prefilter
        return None
    if tree.state.flags & c.SRE_FLAG_IGNORECASE:
        return None

    def product(a: set, b: set) -> set | None:
        out = {x + y for x in a for y in b}
        return out if len(out) <= MAX_LITERALS else None

    def exact(op, av) -> set | None:
        """The strings this item matches, when they are few and fixed."""
        if op == c.LITERAL:
            return {chr(av)}
        if op == c.IN and all(o == c.LITERAL for o, _ in av):
            return {chr(a) for _, a in av}
        if op == c.SUBPATTERN and not av[1] and not av[2]:
            return exact_sequence(av[3])
        if op == c.BRANCH:
            return union(exact_sequence(b) for b in av[1])
        return None

    def exact_sequence(items) -> set | None:
        out: set | None = {""}
        for item in items:
            one = exact(*item)
            out = product(out, one) if one is not None else None
            if out is None:
                return None
        return out

    def union(sets) -> set | None:
        out: set = set()
        for s in sets:
            if s is None:
                return None
            out |= s
        return out if len(out) <= MAX_LITERALS else None

    def needed(op, av) -> set | None:
        """Strings one of which every match of this item contains."""
        if op == c.SUBPATTERN and not av[1] and not av[2]:
            return sequence(av[3])
        if op == c.BRANCH:
            return union(sequence(b) for b in av[1])
        if op in repeats and av[0] >= 1:
            return sequence(av[2])
        return None

    def better(a: set | None, b: set | None) -> set | None:
        usable = [s for s in (a, b) if s and "" not in s]
        return max(usable, key=lambda s: (min(map(len, s)), -len(s)), default=None)

    def sequence(items) -> set | None:
        """Consecutive fixed items make one string; else the best of the items."""
        best, run = None, {""}
        for op, av in items:
            one = exact(op, av)
            joined = product(run, one) if one is not None else None
            if joined is not None:
                run = joined
                continue
            best = better(best, run)
            run = one if one is not None else {""}
            if one is None:
                best = better(best, needed(op, av))
        return better(best, run)

    found = sequence(tree)
    return frozenset(found) if found else None


WORD_UNBOUNDED = 64  # characters: a word this short runs a linear-enough regex unbounded


class BoundedRegex:
    """A rule's regex (compiled by the ``regex`` package) whose every use is bounded
    in time: past REGEX_TIMEOUT it raises a RuleError naming the rule, not a hang.
    ``word_match`` (the matcher's test of one token) runs a linear-enough pattern with
    the standard library's ``re`` instead, unbounded: several times faster, and a word is
    short. Its other uses run such a pattern on a text of up to WORD_UNBOUNDED characters
    with the ``regex`` package, but without the time bound. A text that holds none of the
    pattern's ``literals`` (``required_literals``) holds no match: the regex does not run
    on it."""

    __slots__ = ("pattern", "where", "literals", "_rx", "_plain", "_has_literal")

    def __init__(self, pattern: str, where: str):
        self.pattern, self.where = pattern, where
        # the ``regex`` package's compiled form is made on first use: most patterns only
        # ever test single tokens (``word_match``, the standard library's ``re``), and
        # compiling every rule's regex twice at load was a sixth of the start-up time
        self._rx = None
        try:
            self._plain = regexcache.compile(pattern) if linear_enough(pattern) else None
        except re.error:
            self._plain = None
        self.literals = required_literals(pattern)
        self._has_literal = None if self.literals is None else \
            regexcache.compile("|".join(map(re.escape, sorted(self.literals)))).search

    @property
    def literal_check(self):
        """``search(text)`` of the pattern's literals (None where the text holds none, and
        so no match), or None if the pattern has no required literals."""
        return self._has_literal

    def word_match(self, word: str) -> bool:
        """Whether one token's text matches the whole pattern."""
        if self._has_literal is not None and self._has_literal(word) is None:
            return False
        if self._plain is not None and len(word) <= WORD_UNBOUNDED:
            return self._plain.fullmatch(word) is not None
        return self.fullmatch(word) is not None

    def _bounded(self, method: str, *args):
        text = args[1] if method == "sub" else args[0]
        if self._has_literal is not None and self._has_literal(text) is None:
            return text if method == "sub" else None
        if self._plain is not None and len(text) <= WORD_UNBOUNDED:
            # linear enough, on a short text (a label): it cannot run long, and the time
            # bound costs more than the match (the regex package reads the clock: 7 us a
            # call on a quiet machine, up to 1 ms on a busy one, against 1 us)
            return getattr(self._compiled(), method)(*args)
        try:
            return getattr(self._compiled(), method)(*args, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise RuleError([f"{self.where}: regex {self.pattern!r} ran over {REGEX_TIMEOUT:g} s "
                             f"on {text[:30]!r}: it backtracks catastrophically; simplify it"]) \
                from None

    def search(self, text, *args):
        return self._bounded("search", text, *args)

    def match(self, text, *args):
        return self._bounded("match", text, *args)

    def fullmatch(self, text, *args):
        return self._bounded("fullmatch", text, *args)

    def sub(self, repl, text, count=0):
        return self._bounded("sub", repl, text, count)

    def _compiled(self):
        if self._rx is None:
            import regex

            self._rx = regex.compile(self.pattern, flags=regex.VERSION0)
        return self._rx

    @property
    def groupindex(self):
        return self._compiled().groupindex

    @property
    def groups(self):
        return self._compiled().groups

    def __eq__(self, other):
        return isinstance(other, BoundedRegex) and other.pattern == self.pattern

    def __hash__(self):
        return hash(self.pattern)

    def __repr__(self):
        return f"BoundedRegex({self.pattern!r})"

    def __reduce__(self):  # sent to worker processes
        return BoundedRegex, (self.pattern, self.where)


CONTEXT_REFS = {"$item", "$subject"}
OP = re.compile(r"^(\?|\*|\+|\{(\d+),(\d*)\})(\?)?$")
ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                    "九": 9, "十": 10}


@dataclass(frozen=True)
class TokenSpec:
    text: str | None = None
    in_: frozenset | None = None
    not_in: frozenset | None = None
    regex: re.Pattern | None = None
    pos: tuple | None = None
    not_pos: tuple | None = None
    types: frozenset | None = None  # lexicon type tags ("*" = any typed word)
    classes: frozenset | None = None  # lexicon classes, subclass-aware (expanded at load)
    entity: frozenset | None = None  # classes of entity chunks (expanded), "*" any
    quoted: bool | None = None
    any_of: tuple | None = None  # alternatives: the token must satisfy one of them
    negate: bool = False
    min: int = 1
    max: int | None = 1  # None = unbounded
    lazy: bool = False  # take as few tokens as possible (op ending in "?", e.g. "*?")
    capture: tuple = ()  # capture names this token belongs to


@dataclass(frozen=True)
class EntityEmit:
    capture: str
    cls: str
    split: bool = False
    keep_quotes: bool = False
    split_before: frozenset | None = None  # split only where the next word is one of these
    block: bool = False  # the span holds no entity of this class: it wins overlaps against
    # lower-priority entities of the class's core and is not emitted itself
    split_after: tuple | None = None  # split only where the word before ends with one of these
    lead: str | None = None  # capture whose words open every item of the split (the shared verb)
    # (suffix, class): a label ending with the suffix takes that class instead (某某市: City)
    suffix_classes: tuple = ()


@dataclass(frozen=True)
class RelationEmit:
    subject: str
    predicate: str
    object: str
    same_class: bool = False  # only between entities of one core class


@dataclass(frozen=True)
class Example:
    text: str
    entities: tuple = ()  # (label, class)
    relations: tuple = ()  # (subject label, predicate, object label)


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    priority: int
    stage: int
    pattern: tuple
    entities: tuple
    relations: tuple
    sections: frozenset | None  # roles the sentence's section must have
    item: bool | None  # sentence must (True) / must not (False) be in an enumeration item
    head: bool | None  # sentence must be an item's head sentence
    examples: tuple
    counter_examples: tuple
    file: str
    nested: bool = False  # matches the plain words, and its entities may sit inside others
    subject: frozenset | None = None  # classes the sentence's own subject must have


MAX_PREDICATES = 16  # different token constraints in one pattern (see kg/matcher.py)


def constraint(spec: TokenSpec) -> TokenSpec:
    """The spec without its quantifier and captures: what it asks of one token (the spec
    itself if it has none). ``dataclasses.replace`` made each copy through ``__init__``,
    several times slower: a copy of the fields does it (TokenSpec has no __post_init__)."""
    if spec.min == 1 and spec.max == 1 and not spec.lazy and not spec.capture:
        return spec
    out = object.__new__(TokenSpec)
    out.__dict__.update(spec.__dict__, min=1, max=1, lazy=False, capture=())
    return out


def distinct_constraints(pattern: tuple) -> list[TokenSpec]:
    """The pattern's token constraints, each once, in order."""
    return list(dict.fromkeys(constraint(t) for t in pattern))


@dataclass(frozen=True)
class SectionRule:
    id: str
    description: str
    priority: int
    match: re.Pattern
    role: str | None  # class of item heads; None = a section without a role
    align: bool
    relate: tuple  # (predicate, target class, scope)
    examples: tuple
    counter_examples: tuple
    file: str
    infer: bool = True  # item roles may be inferred from item heads in this section


@dataclass(frozen=True)
class CueRule:
    """A relation signalled by a cue word (or by the classes alone, for ``actor`` and
    ``nested``), its ends chosen among the clause's typed entities by domain and range."""

    id: str
    description: str
    predicate: str
    words: frozenset
    shape: str
    subject: frozenset | None  # classes allowed at each end (None: the predicate's own)
    object: frozenset | None
    fallback: bool  # no subject in the clause: the sentence's, paragraph's or section's
    same_class: bool  # both ends of one core class (a region is part only of a region …)
    examples: tuple
    counter_examples: tuple
    file: str
    # shape aim: words that open an aim (做好, 为了); "在…领域" a frame of a first and a last word;
    # shape listed: words one of which stands right before the list (聚焦A、B等领域)
    openers: tuple = ()
    # shape lead: the kinds of lead it takes (LEAD_KINDS; empty: all)
    leads: tuple = ()
    # shape listed: the generic words that close the list after 等 (领域, 方面)
    heads: frozenset = frozenset()
    # shapes forward, means: with no subject before the cue in its clause, which fitting
    # entities of the earlier clauses of the sentence are subjects: "all", or "first" (the
    # first one and its coordinates: the measure the sentence opens with)
    earlier: str = "all"
    # and of which classes they may be (None: any class the cue's subject allows)
    earlier_subject: frozenset | None = None
    # shape contains: an outer label holding one of these names none (借鉴某省经验)
    unless: frozenset = frozenset()
    # shape contains: an outer label holding two inner ones or more names none of them
    single: bool = False
    # shape contains: an inner label also answers to its core without one of these endings
    # (投保难 → 投保: 车险好投保平台 addresses 投保难)
    trim: tuple = ()
    # shape contains: of two held labels one inside the other, the "inner" one (default) or
    # the "outer" one where it covers the inner one (不发生系统性金融风险 → 系统性金融风险)
    nesting: str = "inner"
    # shape nearby: the object "after" or "before" the subject in the sentence; only where
    # one of the two has no relation yet (isolated)
    side: str = "after"
    isolated: bool = False
    # shape nearby: only an object right beside the subject (nothing or 的 between)
    adjacent: bool = False


@dataclass(frozen=True)
class EnumerationRule:
    id: str
    description: str
    level: int
    marker: re.Pattern
    examples: tuple
    counter_examples: tuple
    file: str


@dataclass(frozen=True)
class ItemRoleRule:
    """In a section without a role, the class of an item's head from its own words."""

    id: str
    description: str
    role: str
    starts_with: frozenset  # the head (after `skip` words) starts with one of these
    skip: tuple  # words that may come first (要, 应, 进一步 …), longest first
    contains: frozenset  # or the head contains one of these
    examples: tuple
    counter_examples: tuple
    file: str
    override: bool = False  # also replaces the role of a section that has one
    relate: tuple = ()  # (predicate, target class, scope), as for sections

    def applies(self, head: str) -> bool:
        text = head.lstrip("，,：: ")
        changed = True
        while changed:
            changed = False
            if any(text.startswith(w) for w in self.starts_with):
                return True  # a skip word may itself be the verb (要加快数字化转型)
            for w in self.skip:
                if text.startswith(w):
                    text, changed = text[len(w):], True
                    break
        if any(text.startswith(w) for w in self.starts_with):
            return True
        first = re.split(r"[，。；,;]", text, maxsplit=1)[0]
        return any(w in first for w in self.contains)


FORMS_MEMO = 1 << 16  # labels whose cleaned forms are remembered (then the memo starts afresh)


@dataclass(frozen=True)
class Cleanup:
    strip_prefixes: tuple = ()
    strip_suffixes: tuple = ()
    separators: frozenset = frozenset({"、", "和", "及", "与", "以及", "或"})
    min_length: int = 2
    max_length: int = 30
    title_max_length: int = 60  # the longest label of a whole title in 《》 (a document's full name)
    stop_labels: frozenset = frozenset()
    drop_patterns: tuple = ()  # regexes cut out of labels (the surface stays an alt label)
    reject_patterns: tuple = ()  # a label one of these regexes finds is no entity
    alt_patterns: tuple = ()  # what they find cut out of a label gives an alternative label
    # verbs that are also nouns: after one and a joiner, one modifies a head with it
    # (城市运行和治理智能中枢): no split of a measure there
    verbal_nouns: frozenset = frozenset()
    # prefixes that mark a list item or a link (二是, 此外), not words of the phrase: the
    # label with them is no alternative label
    marker_prefixes: frozenset = frozenset()

    @cached_property
    def _forms_memo(self) -> dict:
        return {}

    def forms(self, label: str, title: bool = False) -> tuple[str, tuple] | None:
        """A label after ``drop_patterns``, with the alternative labels they and
        ``alt_patterns`` give; None if it is no entity (too short or long, a stop label,
        found by a ``reject_patterns`` regex). A ``title`` (the whole span was in 《》) may
        be up to ``title_max_length`` long. Remembered per label: many rules propose
        the same span, and the same words come back."""
        memo = self._forms_memo
        given = (label, title)
        if given in memo:
            return memo[given]
        label, alts = self._dropped(label)
        # what an alt pattern cut out: another name of it; and what another cuts out of
        # that (严格落实X制度 -> 落实X制度 -> X制度), three rounds (引导某某行业建立X机制和平台 ->
        # 建立X机制和平台 -> 建立X机制 -> X机制)
        todo = [label]
        for _round in range(3):
            found = []
            for form in todo:
                for pattern, holds in self._alt_checks:
                    if holds is not None and holds(form) is None:
                        continue
                    shorter = pattern.sub("", form)
                    if shorter != form and len(shorter) >= self.min_length and \
                            shorter not in alts and shorter != label and \
                            shorter not in self.stop_labels:  # 某某等难题 is no 难题
                        alts.append(shorter)
                        found.append(shorter)
            todo = found
        out = None if self._rejection(label, title) else (label, tuple(alts))
        if len(memo) >= FORMS_MEMO:
            memo.clear()
        memo[given] = out
        return out

    def _dropped(self, label: str) -> tuple[str, list]:
        """The label after ``drop_patterns``, and the longer forms they cut (alt labels)."""
        alts = []
        for pattern, holds in self._drop_checks:
            if holds is not None and holds(label) is None:
                continue  # none of the literals its every match holds: no change
            shorter = pattern.sub("", label)
            if shorter != label and len(shorter) >= self.min_length:
                alts.append(label)
                label = shorter
        return label, alts

    def _rejection(self, label: str, title: bool = False) -> str:
        """Why a label (after ``drop_patterns``) is no entity, or "" when it is one."""
        longest = self.title_max_length if title else self.max_length
        if len(label) < self.min_length:
            return f"shorter than min_length {self.min_length}"
        if len(label) > longest:
            return f"longer than {'title_max_length' if title else 'max_length'} {longest}"
        if label in self.stop_labels:
            return "a stop label (stop_labels)"
        hit = next((p for p, holds in self._reject_checks
                    if (holds is None or holds(label) is not None) and p.search(label)), None)
        return f"reject_patterns {hit.pattern}" if hit is not None else ""

    def verdict(self, label: str) -> str:
        """What the clean-up makes of ``label``, in words (for ``kg explain``)."""
        shorter, _ = self._dropped(label)
        why = self._rejection(shorter)
        cut = f" once drop_patterns have made it {shorter}" if shorter != label else ""
        if why:
            return f"[cleanup] rejects it{cut}: {why}"
        return f"[cleanup] labels it {shorter} (drop_patterns)" if cut else \
            "[cleanup] keeps it as a label"

    # each pattern with its literal check (``BoundedRegex``): a label that holds none of
    # the literals is skipped without a call through the bounded regex (most labels, most
    # patterns: forms() tried some 100k patterns on the 20 dev articles)
    @cached_property
    def _drop_checks(self) -> tuple:
        return tuple((p, p.literal_check) for p in self.drop_patterns)

    @cached_property
    def _alt_checks(self) -> tuple:
        return tuple((p, p.literal_check) for p in self.alt_patterns)

    @cached_property
    def _reject_checks(self) -> tuple:
        return tuple((p, p.literal_check) for p in self.reject_patterns)

    @cached_property
    def prefixes_by_first(self) -> dict[str, tuple]:
        """strip_prefixes by their first character (in their order: longest first)."""
        out: dict[str, tuple] = {}
        for p in self.strip_prefixes:
            out[p[0]] = out.get(p[0], ()) + (p,)
        return out

    @cached_property
    def suffixes_by_last(self) -> dict[str, tuple]:
        """strip_suffixes by their last character (in their order: longest first)."""
        out: dict[str, tuple] = {}
        for p in self.strip_suffixes:
            out[p[-1]] = out.get(p[-1], ()) + (p,)
        return out


@dataclass(frozen=True)
class RuleSet:
    rules: tuple
    sections: tuple
    enumerations: tuple
    cleanup: Cleanup
    lists: dict
    digest: str
    vocab: Vocabulary = field(repr=False, compare=False)
    item_roles: tuple = ()
    cues: tuple = ()
    within: dict = field(default_factory=dict)  # place -> the places it lies in ([within])

    @property
    def stages(self) -> list[int]:
        return sorted({r.stage for r in self.rules})


def ordinal(text: str) -> int | None:
    """1 for 一/1/１, 12 for 十二; None if not a numeral."""
    if text.isdigit():
        return int(text)
    if text and all(c in CHINESE_NUMERALS for c in text):
        if len(text) == 1:
            return CHINESE_NUMERALS[text]
        if text[0] == "十":
            return 10 + (CHINESE_NUMERALS[text[1]] if len(text) > 1 else 0)
        if len(text) >= 2 and text[1] == "十":
            return CHINESE_NUMERALS[text[0]] * 10 + (CHINESE_NUMERALS[text[2]] if len(text) > 2 else 0)
    return None


class _Loader:
    """Collects problems while compiling; raises once at the end."""

    def __init__(self, vocab: Vocabulary, one_file: bool = False):
        self.vocab = vocab
        self.problems: list[str] = []
        # a rule file read alone (--rules FILE): the lists it uses and no file read defines
        # are gathered for one line (another file of its folder defines them), not one each
        self.one_file = one_file
        # a rule file that does not parse may define any list: then the uses of lists no
        # file read defines are its follow-on, not reported (its own error is the cause)
        self.unparsed = False
        self.missing_lists: set[str] = set()
        self.lists: dict[str, tuple[str, str]] = {}  # name -> (file, ...)
        self.list_values: dict[str, list[str]] = {}
        self._subclasses: dict[str, frozenset] = {}  # class -> it and its subclasses

    def err(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

    def entity_class(self, name: str, where: str, key: str = "") -> bool:
        """Whether an entity may have the class ``name`` (``key``: the key naming it); if
        not, the problem is noted: an unknown class, or one of no entity (Sentence)."""
        if not self.vocab.is_class(name):
            self.err(where, f"{key}unknown class {name!r} (not in {self.vocab.path})")
            return False
        if not self.vocab.is_entity_class(name):
            self.err(where, f"{key}class {name!r} {NOT_ENTITY}")
            return False
        return True

    def conform(self, raw, kind: str, where: str, prefix: str = "") -> dict | None:
        """``raw`` checked against SCHEMA[kind]: unknown keys and wrongly typed values are
        reported and dropped (defaults apply); None if ``raw`` is not a table."""
        schema = SCHEMA[kind]
        if not isinstance(raw, dict):
            self.err(where, f"{prefix}expected a table, got {type(raw).__name__} {raw!r:.40}")
            return None
        unknown = set(raw) - set(schema)
        if unknown:
            self.err(where, f"{prefix}unknown key(s) {', '.join(sorted(unknown))} "
                            f"(allowed: {', '.join(sorted(schema))})")
        out = {}
        for key, value in raw.items():
            if key not in schema:
                continue
            if _type_ok(value, schema[key]):
                out[key] = value
            else:
                self.err(where, f"{prefix}{key}: expected {_type_name(schema[key])}, got "
                                f"{type(value).__name__} {value!r:.40}")
        return out

    # -- helpers
    def words(self, value, where: str, key: str) -> frozenset | None:
        if isinstance(value, str):
            if value.startswith("@"):
                name = value[1:]
                if name not in self.list_values:
                    if self.one_file or self.unparsed:
                        # a list another file may define: "@name" stands for its words (no
                        # follow-on "needs a word"; the rule set is not used, it failed)
                        self.missing_lists.add(name)
                        return frozenset([value])
                    self.err(where, f"{key}: unknown list {value!r}")
                    return frozenset()
                return frozenset(self.list_values[name])
            return frozenset([value])
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            out: set[str] = set()
            for v in value:
                if v.startswith("@"):
                    out |= self.words(v, where, key) or set()
                else:
                    out.add(v)
            return frozenset(out)
        self.err(where, f"{key}: expected a word, a list of words or '@list'")
        return None

    def expand_classes(self, value, where: str, key: str, allow_star=True) -> frozenset | None:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            self.err(where, f"{key}: expected a class name or a list of them")
            return None
        if allow_star and names == ["*"]:
            return frozenset(["*"])
        out = set()
        for n in names:
            # "=Region": the class itself, without its subclasses (a macro-region typed
            # Region, not a country)
            exact = n.startswith("=")
            n = n.removeprefix("=")
            if not self.entity_class(n, where, f"{key}: "):
                continue
            if exact:
                out.add(n)
                continue
            subs = self._subclasses.get(n)
            if subs is None:
                subs = self._subclasses[n] = frozenset(
                    c for c in self.vocab.parents if self.vocab.is_subclass(c, n))
            out |= subs
        return frozenset(out)

    def regex(self, value, where: str, key: str) -> BoundedRegex | None:
        if not isinstance(value, str):
            self.err(where, f"{key}: expected a string")
            return None
        try:
            regexcache.compile(value)  # re's messages and syntax: the regex package's is wider
        except (re.error, OverflowError) as e:
            self.err(where, f"{key}: bad regex {value!r}: {e}")
            return None
        if catastrophic(value):
            self.err(where, f"{key}: regex {value!r} repeats a group of repeats (like (a+)+), "
                            "which backtracks catastrophically: rewrite it")
            return None
        return BoundedRegex(value, f"{where}: {key}")

    def token(self, spec, where: str) -> TokenSpec | None:
        if not isinstance(spec, dict):
            self.err(where, "pattern items must be tables like { text = \"的\" }")
            return None
        unknown = set(spec) - TOKEN_KEYS
        if unknown:
            self.err(where, f"unknown key(s) {', '.join(sorted(unknown))} "
                            f"(allowed: {', '.join(sorted(TOKEN_KEYS))})")
        kw = {}
        if "text" in spec:
            if isinstance(spec["text"], str):
                kw["text"] = spec["text"]
            else:
                self.err(where, "text: expected a string")
        if "in" in spec:
            kw["in_"] = self.words(spec["in"], where, "in")
        if "not_in" in spec:
            kw["not_in"] = self.words(spec["not_in"], where, "not_in")
        if "regex" in spec:
            kw["regex"] = self.regex(spec["regex"], where, "regex")
        for key, attr in (("pos", "pos"), ("not_pos", "not_pos")):
            if key in spec:
                v = spec[key]
                v = [v] if isinstance(v, str) else v
                if not isinstance(v, list) or not all(isinstance(x, str) and re.fullmatch(r"[a-zA-Z]+\*?", x) for x in v):
                    self.err(where, f"{key}: expected POS tags like \"n\" or \"n*\"")
                else:
                    kw[attr] = tuple(v)
        if "type" in spec:
            v = spec["type"]
            v = [v] if isinstance(v, str) else v
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                self.err(where, "type: expected a lexicon type or a list of them")
            else:
                kw["types"] = frozenset(v)
        if "class" in spec:
            kw["classes"] = self.expand_classes(spec["class"], where, "class", allow_star=False)
        if "entity" in spec:
            kw["entity"] = self.expand_classes(spec["entity"], where, "entity")
        if "quoted" in spec:
            if isinstance(spec["quoted"], bool):
                kw["quoted"] = spec["quoted"]
            else:
                self.err(where, "quoted: expected true or false")
        if "any_of" in spec:
            alts = spec["any_of"]
            if not isinstance(alts, list) or not alts:
                self.err(where, "any_of: expected a list of token tables")
            else:
                subs = []
                for a in alts:
                    if isinstance(a, dict) and set(a) & {"op", "capture", "any_of"}:
                        self.err(where, "any_of alternatives take no op, capture or any_of")
                        continue
                    t = self.token(a, where)
                    if t:
                        subs.append(t)
                kw["any_of"] = tuple(subs)
        if "any" in spec and spec["any"] is not True:
            self.err(where, "any: expected true")
        if "not" in spec:
            if isinstance(spec["not"], bool):
                kw["negate"] = spec["not"]
            else:
                self.err(where, "not: expected true or false")
        if "capture" in spec:
            names = spec["capture"]
            names = [names] if isinstance(names, str) else names
            if isinstance(names, list) and names and all(
                    isinstance(n, str) and re.fullmatch(r"[a-z_][a-z0-9_]*", n) for n in names):
                kw["capture"] = tuple(names)
            else:
                self.err(where, f"capture: bad name {spec['capture']!r} (lowercase letters, digits, _)")
        constraints = set(spec) & (TOKEN_KEYS - {"op", "capture", "not", "any"})
        if not constraints and "any" not in spec:
            self.err(where, "a pattern item needs a constraint (text, in, regex, pos, type, "
                            "class, entity, quoted) or any = true")
        if "op" in spec:
            m = OP.match(str(spec["op"]))
            if not m:
                self.err(where, f"op: expected ?, *, + or {{m,n}} (lazy with a trailing ?), got {spec['op']!r}")
            else:
                op = m.group(1)
                kw["lazy"] = bool(m.group(4))
                if op == "?":
                    kw["min"], kw["max"] = 0, 1
                elif op == "*":
                    kw["min"], kw["max"] = 0, None
                elif op == "+":
                    kw["min"], kw["max"] = 1, None
                else:
                    lo, hi = int(m.group(2)), (int(m.group(3)) if m.group(3) else None)
                    if hi is not None and hi < lo:
                        self.err(where, f"op: {op} has max below min")
                    if max(lo, hi or 0) > MAX_REPEAT:
                        self.err(where, f"op: {op} is above the largest bound, {MAX_REPEAT} "
                                        "(use + or * for any number)")
                        lo, hi = min(lo, MAX_REPEAT), None
                    kw["min"], kw["max"] = lo, hi
        return TokenSpec(**kw)

    def example(self, ex, where: str) -> Example | None:
        if isinstance(ex, str):
            return Example(ex)
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str):
            self.err(where, "an example is a string or a table with text, entities, relations")
            return None
        unknown = set(ex) - EXAMPLE_KEYS
        if unknown:
            self.err(where, f"unknown example key(s) {', '.join(sorted(unknown))}")
        ents = []
        for e in ex.get("entities", []):
            label, _, cls = str(e).rpartition(":")
            if not label or not self.vocab.is_class(cls):
                self.err(where, f"example entity {e!r}: expected \"label:Class\" with a known class")
                continue
            ents.append((label, cls))
        rels = []
        for r in ex.get("relations", []):
            parts = str(r).split()
            if len(parts) != 3 or parts[1] not in self.vocab.properties:
                self.err(where, f"example relation {r!r}: expected \"subject predicate object\" "
                                "with a known predicate")
                continue
            rels.append(tuple(parts))
        return Example(ex["text"], tuple(ents), tuple(rels))

    def examples(self, raw, where, required=True) -> tuple[tuple, tuple]:
        exs = raw.get("examples", [])
        cexs = raw.get("counter_examples", [])
        if not isinstance(exs, list) or not isinstance(cexs, list):
            self.err(where, "examples and counter_examples must be lists")
            return (), ()
        if required and not exs:
            self.err(where, "has no examples (every rule needs at least one)")
        out = tuple(e for e in (self.example(x, where) for x in exs) if e)
        cout = []
        for c in cexs:
            if isinstance(c, str):
                cout.append(c)
            else:
                self.err(where, "counter_examples must be strings")
        return out, tuple(cout)

    def rule(self, raw, file: str) -> Rule | None:
        rid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{file}: rule {rid!r}" if rid else f"{file}: rule without id"
        raw = self.conform(raw, "rule", where)
        if raw is None:
            return None
        rid = raw.get("id")
        if not isinstance(rid, str) or not ID.match(rid):
            self.err(where, "id must be dotted lowercase words like \"institution.bank_suffix\"")
        pattern_raw = raw.get("pattern")
        if not isinstance(pattern_raw, list) or not pattern_raw:
            self.err(where, "pattern must be a non-empty list of token tables")
            pattern_raw = []
        pattern = tuple(t for t in (self.token(s, where) for s in pattern_raw) if t)
        captures: dict[str, list[TokenSpec]] = {}
        for t in pattern:
            for name in t.capture:
                captures.setdefault(name, []).append(t)
        if pattern and all(t.min == 0 for t in pattern):
            self.err(where, "pattern can match nothing (every item optional)")
        if len(distinct_constraints(pattern)) > MAX_PREDICATES:
            self.err(where, f"pattern has more than {MAX_PREDICATES} different token tables "
                            "(split the rule, or share items with `in` lists)")
        stage = raw.get("stage", 1)
        if not isinstance(stage, int) or stage < 1:
            self.err(where, "stage must be a positive integer")
            stage = 1
        if stage == 1 and any(t.entity for t in pattern):
            self.err(where, "entity constraints need stage = 2 or later "
                            "(entities are merged between stages)")
        priority = raw.get("priority", 50)
        if not isinstance(priority, int):
            self.err(where, "priority must be an integer")
            priority = 50
        ents = []
        for e in raw.get("entities", []):
            e = self.conform(e, "entity", where, "entities: ")
            if e is None:
                continue
            cap, cls = e.get("capture"), e.get("class")
            if cap not in captures:
                self.err(where, f"entity uses capture {cap!r} that the pattern never defines")
            if cls != "$type":
                self.entity_class(cls or "", where)
            before = self.words(e["split_before"], where, "split_before") if "split_before" in e else None
            after = (tuple(sorted(self.words(e["split_after"], where, "split_after")))
                     if "split_after" in e else None)
            if before is not None and after is not None:
                self.err(where, "entity takes split_before or split_after, not both")
            lead = e.get("lead")
            if lead is not None and (lead not in captures or lead == cap):
                self.err(where, f"entity lead {lead!r} must name another capture of the pattern")
            if lead is not None and after is None and before is None and not e.get("split", False):
                self.err(where, "entity lead needs a split (split, split_before or split_after)")
            suffixes = []
            for suffix, other in (e.get("suffix_classes") or {}).items():
                if not isinstance(other, str):
                    self.err(where, f"suffix_classes: {suffix!r} must name a class (a string)")
                    continue
                if not self.entity_class(other, where, "suffix_classes: "):
                    continue
                if cls != "$type" and self.vocab.core(other) != self.vocab.core(cls or ""):
                    self.err(where, f"suffix_classes: {suffix!r} gives class {other!r}, not a "
                                    f"kind of {self.vocab.core(cls or '')} like {cls!r}")
                suffixes.append((suffix, other))
            ents.append(EntityEmit(str(cap), str(cls),
                                   bool(e.get("split", False)) or before is not None or after is not None,
                                   bool(e.get("keep_quotes", False)), before,
                                   bool(e.get("block", False)), after, lead,
                                   tuple(sorted(suffixes, key=lambda x: -len(x[0])))))
        emitted = {e.capture for e in ents}
        rels = []
        for r in raw.get("relations", []):
            r = self.conform(r, "relation", where, "relations: ")
            if r is None or not RELATION_KEYS <= set(r):
                self.err(where, "relations items need subject, predicate, object (and optional same_class)")
                continue
            if r["predicate"] not in self.vocab.properties:
                self.err(where, f"unknown predicate {r['predicate']!r} (not in {self.vocab.path})")
            for end in ("subject", "object"):
                name = r[end]
                if name in CONTEXT_REFS:
                    continue
                if name not in captures:
                    self.err(where, f"relation {end} uses capture {name!r} that the pattern never defines")
                elif name not in emitted and all(
                        (t.in_ is not None or t.text is not None) and not t.entity and not t.any_of
                        for t in captures[name]):
                    self.err(where, f"relation {end} capture {name!r} neither emits an entity "
                                    "nor matches entity tokens")
            rels.append(RelationEmit(r["subject"], r["predicate"], r["object"],
                                     bool(r.get("same_class", False))))
        if not ents and not rels:
            self.err(where, "emits nothing (needs entities or relations)")
        when = self.conform(raw.get("when", {}), "when", where, "when: ")
        sections = item = head = subject = None
        if when is not None:
            if "section" in when:
                s = when["section"]
                s = [s] if isinstance(s, str) else s
                for name in s:
                    self.entity_class(name, where, "when.section: ")
                sections = frozenset(s)
            if "item" in when:
                item = bool(when["item"])
            if "head" in when:
                head = bool(when["head"])
            if "subject" in when:
                subject = self.expand_classes(when["subject"], where, "when.subject", allow_star=False)
        nested = raw.get("nested", False)
        if not isinstance(nested, bool):
            self.err(where, "nested must be true or false")
        elif nested and (rels or any(t.entity for t in pattern)):
            self.err(where, "a nested rule matches plain words: no relations, no entity constraints")
        exs, cexs = self.examples(raw, where)
        return Rule(str(rid), str(raw.get("description", "")), priority, stage, pattern,
                    tuple(ents), tuple(rels), sections, item, head, exs, cexs, file,
                    bool(nested), subject)

    def section(self, raw, file: str) -> SectionRule | None:
        sid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{file}: section {sid!r}"
        raw = self.conform(raw, "section", where)
        if raw is None:
            return None
        if not isinstance(sid, str) or not ID.match(sid):
            self.err(where, "id must be dotted lowercase words")
        match = self.regex(raw.get("match"), where, "match")
        role = raw.get("role", "none")
        if role != "none":
            self.entity_class(str(role), where, "role: ")
        relate = self.relate(raw, where)
        exs, cexs = self.examples(raw, where)
        return SectionRule(str(sid), str(raw.get("description", "")), int(raw.get("priority", 50)),
                           match or re.compile("(?!)"), None if role == "none" else role,
                           bool(raw.get("align", False)), tuple(relate), exs, cexs, file,
                           bool(raw.get("infer", True)))

    def relate(self, raw, where: str) -> tuple:
        relate = []
        for r in raw.get("relate", []):
            r = self.conform(r, "relate", where, "relate: ")
            if r is None or "predicate" not in r or "to" not in r:
                self.err(where, "relate items need predicate and to (and optional scope)")
                continue
            if r["predicate"] not in self.vocab.properties:
                self.err(where, f"relate: unknown predicate {r['predicate']!r}")
            self.entity_class(r["to"], where, "relate: ")
            if r.get("scope", "item") not in ("item",):
                self.err(where, "relate.scope: only \"item\" is supported")
            relate.append((r["predicate"], r["to"], r.get("scope", "item")))
        return tuple(relate)

    def item_role(self, raw, file: str) -> ItemRoleRule | None:
        iid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{file}: item_role {iid!r}"
        raw = self.conform(raw, "item_role", where)
        if raw is None:
            return None
        if not isinstance(iid, str) or not ID.match(iid):
            self.err(where, "id must be dotted lowercase words")
        role = raw.get("role")
        self.entity_class(str(role), where, "role: ")
        starts = self.words(raw.get("starts_with", []), where, "starts_with") or frozenset()
        skip = self.words(raw.get("skip", []), where, "skip") or frozenset()
        contains = self.words(raw.get("contains", []), where, "contains") or frozenset()
        if not starts and not contains:
            self.err(where, "needs starts_with or contains")
        relate = self.relate(raw, where)
        exs, cexs = self.examples(raw, where)
        return ItemRoleRule(str(iid), str(raw.get("description", "")), str(role), starts,
                            tuple(sorted(skip, key=len, reverse=True)), contains, exs, cexs, file,
                            bool(raw.get("override", False)), relate)

    def enumeration(self, raw, file: str) -> EnumerationRule | None:
        eid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{file}: enumeration {eid!r}"
        raw = self.conform(raw, "enumeration", where)
        if raw is None:
            return None
        if not isinstance(eid, str) or not ID.match(eid):
            self.err(where, "id must be dotted lowercase words")
        marker = self.regex(raw.get("marker"), where, "marker")
        level = raw.get("level", 1)
        if level not in (1, 2):
            self.err(where, "level must be 1 (item) or 2 (sub-item)")
        exs, cexs = self.examples(raw, where)
        return EnumerationRule(str(eid), str(raw.get("description", "")), level,
                               marker or re.compile("(?!)"), exs, cexs, file)


    def cue(self, raw, file: str) -> CueRule | None:
        cid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{file}: cue {cid!r}"
        raw = self.conform(raw, "cue", where)
        if raw is None:
            return None
        if not isinstance(cid, str) or not ID.match(cid):
            self.err(where, "id must be dotted lowercase words")
        pred = raw.get("predicate")
        if pred not in self.vocab.properties:
            self.err(where, f"predicate: unknown property {pred!r} (not in {self.vocab.path})")
        shape = raw.get("shape", "forward")
        if shape not in CUE_SHAPES:
            self.err(where, f"shape: {shape!r} is not one of {', '.join(sorted(CUE_SHAPES))}")
        words = frozenset()
        if shape in WORDLESS_SHAPES:
            if "words" in raw:
                self.err(where, f"words: a cue of shape {shape!r} takes no words")
        else:
            words = self.words(raw.get("words"), where, "words") or frozenset()
            if not words:
                self.err(where, "words: a cue needs at least one word")
            for w in sorted(w for w in words if any(c.isspace() for c in w)):
                self.err(where, f"words: {w!r} holds a space: a cue word is one word as the text "
                                "writes it (jieba never makes a word of two)")
        subj = self.expand_classes(raw["subject"], where, "subject", allow_star=False) \
            if "subject" in raw else None
        obj = self.expand_classes(raw["object"], where, "object", allow_star=False) \
            if "object" in raw else None
        fallback = raw.get("fallback", True)
        openers: tuple = ()
        if shape == "aim":
            openers = tuple(sorted(self.words(raw.get("openers"), where, "openers") or ()))
            if not openers:
                self.err(where, "openers: a cue of shape 'aim' needs the words that open an aim")
            for w in openers:
                if w.count("…") > 1 or w.startswith("…") or w.endswith("…"):
                    self.err(where, f"openers: {w!r} is a word or a frame of two words (在…领域)")
        elif shape in SINGLE_OPENERS and (shape not in ("listed", "contained") or "openers" in raw):
            openers = tuple(sorted(self.words(raw.get("openers"), where, "openers") or ()))
            if not openers:
                self.err(where, f"openers: a cue of shape {shape!r} needs {SINGLE_OPENERS[shape]}")
            for w in openers:
                if "…" in w:
                    self.err(where, f"openers: {w!r}: a cue of shape {shape!r} takes single words")
        elif "openers" in raw:
            self.err(where, f"openers: only a cue of shape 'aim', 'case', 'listed', 'then_now' or 'contained' "
                            f"takes openers, not {shape!r}")
        leads: tuple = ()
        if "leads" in raw:
            if shape != "lead":
                self.err(where, f"leads: only a cue of shape 'lead' takes leads, not {shape!r}")
            leads = tuple(sorted(self.words(raw.get("leads"), where, "leads") or ()))
            if not leads:
                self.err(where, "leads: name at least one kind of lead "
                                f"({', '.join(sorted(LEAD_KINDS))})")
            for kind in leads:
                if kind not in LEAD_KINDS:
                    self.err(where, f"leads: {kind!r} is not one of {', '.join(sorted(LEAD_KINDS))}")
        heads: frozenset = frozenset()
        if shape == "listed":
            heads = self.words(raw.get("heads"), where, "heads") or frozenset()
            if not heads:
                self.err(where, "heads: a cue of shape 'listed' needs the generic words that "
                                "close its list (领域, 方面)")
        elif "heads" in raw:
            self.err(where, f"heads: only a cue of shape 'listed' takes heads, not {shape!r}")
        earlier = raw.get("earlier", "all")
        earlier_subj = None
        if ("earlier" in raw or "earlier_subject" in raw) and shape not in ("forward", "means"):
            self.err(where, f"earlier: only a cue of shape 'forward' or 'means' takes earlier "
                            f"or earlier_subject, not {shape!r}")
        if earlier not in EARLIER_KINDS:
            self.err(where, f"earlier: {earlier!r} is not one of {', '.join(EARLIER_KINDS)}")
        if "earlier_subject" in raw:
            earlier_subj = self.expand_classes(raw["earlier_subject"], where, "earlier_subject",
                                               allow_star=False)
        unless: frozenset = frozenset()
        if "unless" in raw and shape not in ("contains", "nearby"):
            self.err(where, f"unless: only a cue of shape 'contains' or 'nearby' takes unless, "
                            f"not {shape!r}")
        for key in ("single", "trim", "nesting"):
            if key in raw and shape != "contains":
                self.err(where, f"{key}: only a cue of shape 'contains' takes {key}, not {shape!r}")
        if "unless" in raw:
            unless = self.words(raw.get("unless"), where, "unless") or frozenset()
            if not unless:
                self.err(where, "unless: name at least one word (or '@list')")
        trim: tuple = ()
        if "trim" in raw:
            # the longest ending first, so that 相对有限 is cut before 有限
            trim = tuple(sorted(self.words(raw.get("trim"), where, "trim") or (),
                                key=lambda w: (-len(w), w)))
            if not trim:
                self.err(where, "trim: name at least one ending (or '@list')")
        nesting = raw.get("nesting", "inner")
        if nesting not in NESTING_KINDS:
            self.err(where, f"nesting: {nesting!r} is not one of {', '.join(NESTING_KINDS)}")
        for key in ("side", "isolated", "adjacent"):
            if key in raw and shape != "nearby":
                self.err(where, f"{key}: only a cue of shape 'nearby' takes {key}, not {shape!r}")
        side = raw.get("side", "after")
        if side not in SIDES:
            self.err(where, f"side: {side!r} is not one of {', '.join(SIDES)}")
        if shape == "nearby" and (subj is None or obj is None):
            self.err(where, "subject, object: a cue of shape 'nearby' names the classes of both ends")
        exs, cexs = self.examples(raw, where)
        return CueRule(str(cid), str(raw.get("description", "")), str(pred), words, shape,
                       subj, obj, bool(fallback), bool(raw.get("same_class", False)), exs, cexs,
                       file, openers, leads, frozenset(heads), str(earlier), earlier_subj,
                       frozenset(unless), bool(raw.get("single", False)), trim, str(nesting),
                       str(side), bool(raw.get("isolated", False)),
                       bool(raw.get("adjacent", False)))


def _read(path: Path, loader: _Loader) -> tuple[bytes, dict | None]:
    """The bytes of a rule file and its TOML (None, with the problem noted, if unusable)."""
    try:
        data = read_input(path, "rule file")
        return data, toml_loads(data.decode("utf-8"))
    except InputError as e:
        loader.err(str(path), str(e))
        return b"", None
    except tomllib.TOMLDecodeError as e:
        loader.err(str(path), f"invalid TOML: {e}")
    except UnicodeDecodeError:
        loader.err(str(path), "not UTF-8")
    return data, None


def load(rules_dir: str | Path | None, vocab: Vocabulary) -> RuleSet:
    """Load, validate and compile every rule file of ``rules_dir``."""
    rules_dir = Path(rules_dir) if rules_dir else RULES_DIR
    if rules_dir.is_file():
        files = [rules_dir]
    elif rules_dir.is_dir():
        files = sorted(rules_dir.glob("*.toml"))
        if not files:
            raise RuleError([f"{rules_dir}: no .toml rule files"])
    else:
        raise RuleError([f"{rules_dir}: rules folder not found"])
    loader = _Loader(vocab, one_file=rules_dir.is_file())
    h = hashlib.sha256()
    docs = []
    for f in files:
        data, doc = _read(f, loader)
        h.update(f.name.encode() + b"\0" + data)
        docs.append((str(f), loader.conform(doc, "file", str(f)) if doc is not None else None))
    loader.unparsed = any(doc is None for _, doc in docs)
    # lists first (any file may use any list)
    for file, doc in docs:
        if doc is None:
            continue
        for name, values in doc.get("lists", {}).items():
            if name in loader.list_values:
                loader.err(file, f"list {name!r} is also defined in {loader.lists[name]}")
            elif not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                loader.err(file, f"list {name!r} must be a list of words")
            else:
                loader.lists[name] = file
                loader.list_values[name] = values
                if name == "first_person_bodies":
                    for v in values:
                        loader.entity_class(v, file, "list 'first_person_bodies': ")
                if name == "demonstratives":  # 该行:Bank — a phrase and the class it refers to
                    # 该机制:Remedy|Product@机制 — classes it may refer to, and a head noun
                    # the entity's label ends with or the text writes right after it
                    for v in values:
                        phrase, _, spec = v.partition(":")
                        classes = spec.partition("@")[0]
                        if not phrase.strip() or not classes:
                            loader.err(file, f"list 'demonstratives': {v!r}: expected a phrase, "
                                             "':' and the entity classes it refers to, '|' "
                                             "between them, maybe '@' and a head noun after "
                                             "them (该行:Bank, 该机制:Remedy|Product@机制)")
                            continue
                        for c in classes.split("|"):
                            loader.entity_class(c, file, f"list 'demonstratives': {v!r}: ")
    if loader.lists and not loader.unparsed:  # a full rule set: the lists the engine reads by
        # name must be there
        where = next(iter(sorted(set(loader.lists.values()))))
        for name in sorted(ENGINE_LISTS.keys() - loader.lists.keys()):
            loader.err(where, f"list {name!r} is missing: the engine reads it ({ENGINE_LISTS[name]})")
    rules, sections, enums, cleanup, item_roles, cues = [], [], [], None, [], []
    within: dict[str, str] = {}
    for file, doc in docs:
        if doc is None:
            continue
        for raw in doc.get("rule", []):
            r = loader.rule(raw, file)
            if r:
                rules.append(r)
        for raw in doc.get("section", []):
            s = loader.section(raw, file)
            if s:
                sections.append(s)
        for raw in doc.get("enumeration", []):
            e = loader.enumeration(raw, file)
            if e:
                enums.append(e)
        for raw in doc.get("item_role", []):
            ir = loader.item_role(raw, file)
            if ir:
                item_roles.append(ir)
        table = doc.get("within", {})
        for place, parents in table.items():
            parents = [parents] if isinstance(parents, str) else parents
            if not isinstance(parents, list) or not parents or not place.strip() or \
                    not all(isinstance(x, str) and x.strip() for x in parents):
                loader.err(file, f"[within] {place!r}: expected a place name or a list of them, "
                                 f"got {table[place]!r}")
            elif place in parents:
                loader.err(file, f"[within] {place!r}: a place cannot lie in itself")
            elif place in within:
                loader.err(file, f"[within] {place!r} is given twice")
            else:
                within[place] = tuple(parents)
        for raw in doc.get("cue", []):
            cue = loader.cue(raw, file)
            if cue:
                cues.append(cue)
        if "cleanup" in doc:
            c = loader.conform(doc["cleanup"], "cleanup", file, "[cleanup]: ") or {}
            if cleanup is not None:
                loader.err(file, "[cleanup] is defined in more than one file")
            cleanup = Cleanup(
                strip_prefixes=tuple(sorted(c.get("strip_prefixes", []), key=len, reverse=True)),
                strip_suffixes=tuple(sorted(c.get("strip_suffixes", []), key=len, reverse=True)),
                separators=frozenset(c.get("separators", Cleanup.separators)),
                verbal_nouns=frozenset(c.get("verbal_nouns", [])),
                min_length=int(c.get("min_length", 2)), max_length=int(c.get("max_length", 30)),
                title_max_length=int(c.get("title_max_length", 60)),
                stop_labels=frozenset(c.get("stop_labels", [])),
                drop_patterns=tuple(p for p in (loader.regex(x, f"{file}: [cleanup]", "drop_patterns")
                                                for x in c.get("drop_patterns", [])) if p),
                reject_patterns=tuple(p for p in (loader.regex(x, f"{file}: [cleanup]",
                                                               "reject_patterns")
                                                  for x in c.get("reject_patterns", [])) if p),
                alt_patterns=tuple(p for p in (loader.regex(x, f"{file}: [cleanup]", "alt_patterns")
                                               for x in c.get("alt_patterns", [])) if p),
                marker_prefixes=frozenset(c.get("marker_prefixes", [])))
            unknown = cleanup.marker_prefixes - set(cleanup.strip_prefixes)
            if unknown:
                loader.err(file, f"[cleanup]: marker_prefixes {', '.join(sorted(unknown))} are not "
                                 "strip_prefixes (only a prefix that is cut can be a marker)")
    seen: dict[str, str] = {}
    for item in [*rules, *sections, *enums, *item_roles, *cues]:
        if item.id in seen:
            loader.err(item.file, f"duplicate rule id {item.id!r} (also in {seen[item.id]})")
        seen[item.id] = item.file
    if loader.missing_lists and not loader.unparsed:
        lists = sorted(loader.missing_lists)
        shown = ", ".join("@" + n for n in lists[:5]) + (", …" if len(lists) > 5 else "")
        loader.err(str(rules_dir), f"uses {len(lists)} list{'s' if len(lists) > 1 else ''} it does "
                                   f"not define ({shown}): read alone, a rule file has only its own "
                                   f"lists; check its folder instead (--rules {rules_dir.parent}), "
                                   "or define them in the file")
    if loader.problems:
        raise RuleError(loader.problems)
    return RuleSet(tuple(rules), tuple(sorted(sections, key=lambda s: (-s.priority, s.id))),
                   tuple(enums), cleanup or Cleanup(), loader.list_values, h.hexdigest(), vocab,
                   tuple(item_roles), tuple(cues), within)

