"""Rules -> mentions and relations for one article (no rdflib here).

Per sentence: segment; then for each stage, match the stage's rules, resolve
overlapping entity candidates (priority, then longest, then leftmost), emit
relations, and merge the surviving mentions into single "entity tokens" that
later stages can match with ``entity = "Class"``. Around the sentences,
section and enumeration rules give each sentence its context: the section's
role (an answer to "存在哪些问题" holds Problems), the enumeration item it
belongs to, and whether it is the item's head.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .matcher import SIGNATURES, Match, Prefilter, compiled
from .model import Article, Extraction, Mention, Relation, Sentence, Token, header_mentions
from .names import normalise, short_forms
from .rules import Cleanup, Rule, RuleSet, SectionRule, ordinal

QUOTES = "“”‘’《》「」『』\"'"

EDGE_PUNCT = "，。；、：:,.;！？!?（）()【】[]…—- \u3000" 
SENTENCE_START = "<s>"  # a zero-width token before every sentence, for patterns
# a zero-width token after a sentence that ends without a mark (a headline, a line of a list),
# so that a pattern ending at a clause break (@clause_breaks lists it) also ends there
SENTENCE_END = "</s>"
CLAUSE_SPLIT = re.compile(r"[，；：,;。！？!?]")
CLAUSE_MARKS = frozenset("，；：,;。！？!?")
# the rule id of a demonstrative's mention (该行: the bank last named), lists.toml demonstratives
DEMONSTRATIVE_RULE = "lists.demonstratives"
# the rule id of a short name's mention (某某（以下简称“甲”）……甲推出了……), lists.toml short_name_marks
SHORT_NAME_RULE = "lists.short_name_marks"
# the rule id of a place named by its stem after its full name (余姚市……余姚), lists.toml
# place_stem_suffixes
PLACE_STEM_RULE = "lists.place_stem_suffixes"
ADMIN_SUFFIXES = "省市县区州"  # a stem written with two of these names no one place
MAX_SHORT_NAME = 12  # a short name given in brackets is at most this long
# words by which a clause refers back to the sentence before it (这导致……, 由此引发……)
_DEMONSTRATIVES = frozenset({"这", "此", "这些", "这一", "这种", "由此", "此举"})
# words by which a frame refers back to the problems just named (针对上述问题，……)
_BACK_REFERENCES = _DEMONSTRATIVES | {"上述", "以上", "前述", "这类", "此类", "该"}
_PLURAL_REFERENCES = frozenset({"这些", "上述", "以上", "前述", "这类", "此类"})
MAX_LEAD_OFFSET = 4  # a paragraph's lead measure starts within this many characters
MAX_LEAD_FRAME = 20  # or within this many, when it ends the paragraph's first sentence
MAX_TOPIC_FRAME = 10  # the topic of a frame before a lead (在政策传导上，) is this short
MAX_LEAD_TAIL = 6  # or it opens a first sentence that only says how it advances (……不断推进。)
SENTENCE_ENDS = "。；！"
MEANS_USERS = ("Remedy", "Product")  # what the clause after a means (通过X，……) names
# what an institution inside a measure does when it only grows (支持民营企业发展): it is
# served, it carries nothing out
GROWS = re.compile(r"[^，。；]{0,6}(发展|壮大|成长)$")
MAX_SPEAKER_PREFIX = 16  # characters: 某部部长某某： opens a speaker's turn
INDUSTRY = "业"  # 中国银行业协会 names the banking industry (银行业), not a body of 中国银行
MIN_NAME_REST = 2  # characters a name holds after the name at its start (商务部门 is no
# part of 商务部; 某银行某分行 is)


@dataclass
class Context:
    """Where a sentence stands in its article."""

    section: int | None = None
    role: str | None = None
    section_rule: SectionRule | None = None
    item: tuple | None = None  # (section number, ordinal) of the level-1 item
    head: bool = False
    marker_end: int = 0  # characters of the enumeration marker at the sentence start
    sub: int = 0  # number of the sub-item (一方面 = 1, 另一方面 = 2) within the item
    opens_section: bool = False  # the sentence that opened its section
    # the context rules that acted on the sentence: the section rule that opened its
    # section, the enumeration rule of its marker, the item role its item's head gave
    fired: tuple = ()


def contexts(article: Article, rs: RuleSet) -> list[Context]:
    out: list[Context] = []
    section = role = rule = None
    n_sections = 0
    item = None
    count = sub = 0
    item_role = item_rule = None  # a role inferred from an item's head, in a section without one
    paragraph = None
    for s in article.sentences:
        opens = False
        if s.paragraph != paragraph:
            paragraph = s.paragraph
            if item is not None and not any(er.level == 1 and er.marker.match(s.text)
                                            for er in rs.enumerations):
                # a list item ends with its paragraph unless the next one is an item too
                item, sub, item_role, item_rule = None, 0, None, None
        for sr in rs.sections:
            if sr.match.search(s.text):
                if sr.role is not None and sr.role == role and count == 0:
                    break  # the answer restating its question's section continues it
                n_sections += 1
                section, role, rule, item, count, sub = n_sections, sr.role, sr, None, 0, 0
                item_role = item_rule = None
                opens = True
                break
        ctx = Context(section, item_role or role, item_rule or rule, item,
                      opens_section=opens, fired=(rule,) if opens else ())
        for er in rs.enumerations:
            m = er.marker.match(s.text)
            if not m:
                continue
            if er.level == 1:
                count += 1
                sub = 0
                n = ordinal(m.groupdict().get("n") or "") if "n" in er.marker.groupindex else None
                item = (section, n or count)
                item_role = item_rule = None
                may_infer = rule is None or rule.infer
                for ir in rs.item_roles:
                    if (may_infer and role is None) or (ir.override and role and ir.role != role):
                        if ir.applies(s.text[m.end():]):
                            item_role, item_rule = ir.role, ir
                            break
                ctx = Context(section, item_role or role, item_rule or rule, item, True,
                              m.end(), opens_section=opens,
                              fired=(*ctx.fired, er, *([item_rule] if item_rule else [])))
            elif item is not None:
                sub += 1
                ctx.fired += (er,)
            break
        ctx.item = item
        ctx.sub = sub if item is not None else 0
        out.append(ctx)
    return out


def clean_span(text: str, start: int, end: int, cleanup: Cleanup,
               keep_quotes: bool = False, bounds: set | None = None
               ) -> tuple[int, int, str, tuple] | None:
    """Trim a span to its label: edge punctuation, curated prefixes/suffixes.

    Returns (start, end, label, alts) with ``text[start:end]`` the trimmed
    surface, or None if nothing sensible is left. With ``bounds`` (the offsets
    where tokens start or end), a prefix or suffix is only cut at a token
    boundary: 应 is cut from 应加强 but not from 应用.
    """
    changed = True
    stripped: list[str] = []  # suffixes cut off: label + suffixes is kept as an alternative label
    first = None  # where the span starts once edge punctuation is gone (before prefixes)
    marked = False  # a marker prefix (二是, 此外) was cut: what stood in front is no name
    while changed and start < end:
        changed = False
        while start < end and text[start] in EDGE_PUNCT:
            start, changed = start + 1, True
        while start < end and text[end - 1] in EDGE_PUNCT:
            end, changed = end - 1, True
        if start == end:
            break
        if first is None:
            first = start
        s = text[start:end]
        for p in cleanup.prefixes_by_first.get(s[0], ()):
            if s.startswith(p) and len(s) > len(p) and (bounds is None or start + len(p) in bounds):
                start, changed = start + len(p), True
                marked = marked or p in cleanup.marker_prefixes
                break
        s = text[start:end]
        for p in cleanup.suffixes_by_last.get(s[-1], ()):
            if s.endswith(p) and len(s) > len(p) and (bounds is None or end - len(p) in bounds):
                end, changed = end - len(p), True
                stripped.append(p)
                break
    surface = text[start:end]
    # unbalanced quote marks at the edges belong to a neighbour
    while surface and surface[0] in "”’》」』":
        start += 1
        surface = surface[1:]
    while surface and surface[-1] in "“‘《「『":
        end -= 1
        surface = surface[:-1]
    label = surface if keep_quotes else "".join(c for c in surface if c not in QUOTES)
    label = label.strip()
    alts = []
    if stripped and label:
        alts.append(label + "".join(reversed(stripped)))  # 数据孤岛 also answers to 数据孤岛问题
    if first is not None and first < start and label and not marked:
        # the words cut in front (prefixes of [cleanup]) are part of the phrase as written:
        # the label with them is kept as an alternative label
        lead = "".join(c for c in text[first:start] if c not in QUOTES and c not in EDGE_PUNCT)
        if 0 < len(lead) <= 4:
            alts.append(lead + label)
    # (a quoted word inside a title, 《“十四五”某某规划》, is no name of the title)
    m = re.search(r"[“《「『‘]([^“”《》「」『』‘’]+)[”》」』’]", surface)
    if m and m.group(1) != label and m.start() == 0:
        alts.append(m.group(1))  # “浙里办”App is also 浙里办; 推广“蓉易贷”模式 is no 蓉易贷
    # drop, alt and reject patterns, length (a whole title in 《》 may be longer), stop labels
    forms = cleanup.forms(label, surface.startswith("《") and surface.endswith("》"))
    if forms is None:
        return None
    label, more = forms
    alts = tuple(dict.fromkeys(a for a in (*alts, *more) if a != label))
    if all(c in EDGE_PUNCT or c in QUOTES for c in label):
        return None
    return start, end, label, alts


@dataclass
class _Candidate:
    start: int
    end: int
    label: str
    alts: tuple
    cls: str
    rule: Rule
    match: Match
    capture: str
    block: bool = False  # holds no entity of its class (EntityEmit.block): never emitted
    modifier: bool = False  # a concept word right before a noun (宏观调控工具)


@dataclass
class ArticleState:
    """What the extraction of one article accumulates, sentence after sentence."""

    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    heads: dict = field(default_factory=dict)          # item -> head mention indices
    item_mentions: dict = field(default_factory=dict)  # item -> mention indices
    topics: dict = field(default_factory=dict)         # section -> topic mention indices
    actors: dict = field(default_factory=dict)         # paragraph -> actor mention indices
    modifiers: set = field(default_factory=set)        # indices of concept words before a noun
    # 比如，A……；B……: an examples cue that is a clause of its own and whose sentence ends
    # with ； goes on in the next sentence of the paragraph: (paragraph, cue id, predicate,
    # object)
    open_examples: list = field(default_factory=list)
    # the speaker's turn: (paragraph of the last turn checked, the speaker's institution
    # mention or None); lists.toml first_person
    turn: tuple = (-1, None, "")
    # short names the article gives (某某（以下简称“甲”）) and the stems of its places named with
    # a suffix (余姚市: 余姚): short name -> (label, class, alts, rule)
    short_names: dict = field(default_factory=dict)


@dataclass
class SentenceTrace:
    """What happened in one sentence (for ``kg explain``)."""

    tokens: list[Token] = field(default_factory=list)
    matches: list[tuple[int, str, str, list[str]]] = field(default_factory=list)  # stage, rule, text, emitted
    why: dict = field(default_factory=dict)  # index in matches -> why it emitted nothing


class Extractor:
    def __init__(self, rules: RuleSet, lexicon, segmenter=None):
        self.rs = rules
        self.lexicon = lexicon
        self.type_class = {name: t.cls for name, t in lexicon.types.items() if t.cls}
        self._lexicon_words = frozenset(e.word for e in lexicon.entries)
        self._typed_words = {w: self.type_class[t] for w, t in lexicon.type_of().items()}
        self._seg = segmenter
        pairs = [(r, compiled(r, self.type_class)) for r in rules.rules]
        self._prefilter = Prefilter([c for _, c in pairs], self.type_class)
        needs = self._prefilter.needs
        self._stages = [(stage, [(r, c, needs[id(c)]) for r, c in pairs if r.stage == stage])
                        for stage in rules.stages]
        self._by_context: dict[tuple, list] = {}
        # cue word -> its cue rules; first character -> cue words, longest first
        self._cues_by_word: dict[str, list] = {}
        for cue in rules.cues:
            if cue.shape in OWN_WORD_SHAPES:  # its words are read by the shape itself
                continue
            for w in sorted(cue.words):
                self._cues_by_word.setdefault(w, []).append(cue)
        self._cue_words_by_first: dict[str, list[str]] = {}
        for w in sorted(self._cues_by_word, key=lambda w: (-len(w), w)):
            self._cue_words_by_first.setdefault(w[:1], []).append(w)
        self._prefix_words: dict[str, dict] = {}
        self._modifier_suffixes = frozenset(rules.lists.get("modifier_suffixes", ()))
        self._concept_aspect_heads = frozenset(rules.lists.get("concept_aspect_heads", ()))
        self._generic_actors = frozenset(rules.lists.get("generic_actors", ()))
        self._kind_actors = self._generic_actors | frozenset(rules.lists.get("duty_actors", ()))
        self._actor_topic_heads = frozenset(rules.lists.get("actor_topic_heads", ()))
        self._deficiency_words = tuple(rules.lists.get("deficiency_words", ()))
        self._verbs_as_nouns = frozenset(  # 助力/n, 赋能/n, 上线/n: jieba's verbs tagged as nouns
            w for k in ("enable_verbs", "aim_verbs", "recipient_marks", "issue_verbs", "build_verbs")
            for w in rules.lists.get(k, ()))
        self._says = frozenset(rules.lists.get("say_verbs", ()))
        self._plan_words = frozenset(rules.lists.get("plan_words", ()))
        self._issue_verbs = frozenset(rules.lists.get("issue_verbs", ()))
        self._build_verbs = frozenset(rules.lists.get("build_verbs", ()))
        self._launch_verbs = self._issue_verbs | self._build_verbs  # 推出, 上线, 搭建 …
        self._launch_prefixes = tuple(sorted(self._launch_verbs))
        self._product_heads = tuple(rules.lists.get("product_heads", ()))
        self._means = frozenset(rules.lists.get("means", ()))
        self._prevent_verbs = frozenset(rules.lists.get("prevent_verbs", ()))
        self._solve_verbs = frozenset(  # 解决, 防范: 为了解决这一问题 still refers back
            w for k in ("address_verbs", "prevent_verbs") for w in rules.lists.get(k, ()))
        self._part_modifiers = tuple(sorted(rules.lists.get("part_modifiers", ()),
                                            key=lambda w: (-len(w), w)))
        self._recipient_marks = frozenset(rules.lists.get("recipient_marks", ()))
        self._recipient_joins = frozenset(rules.lists.get("recipient_joins", ()))
        self._owner_words = frozenset(rules.lists.get("owner_words", ()))
        # 建设某市场，政府要……: an actor and a modal after an opening aim are the subject
        self._aim_actors = (frozenset(c for c in rules.vocab.parents
                                      if rules.vocab.is_subclass(c, "Institution")),
                            frozenset(rules.lists.get("modals", ())))
        self._partner_marks = frozenset(rules.lists.get("partner_marks", ()))
        self._lead_verbs = frozenset(rules.lists.get("lead_verbs", ()))
        self._place_borrow_words = tuple(rules.lists.get("place_borrow_words", ()))
        # predicates from an institution to something else (offers, undertakes): who acts
        v = rules.vocab
        self._actor_predicates = frozenset(
            p for p, dom in sorted((v.domains or {}).items())
            if dom and all(v.is_subclass(c, "Institution") for c in dom)
            and (v.ranges or {}).get(p)
            and not any(v.is_subclass(c, "Institution") for c in v.ranges[p]))
        # (phrase, classes, head noun or "")
        self._demonstratives = tuple(
            (phrase, tuple(spec.partition("@")[0].split("|")), spec.partition("@")[2])
            for phrase, _, spec in (v.partition(":") for v in rules.lists.get("demonstratives", ())))
        # whether a sentence holds any of them, in one search (most sentences hold none)
        self._demonstrative_search = re.compile(
            "|".join(re.escape(phrase) for phrase, _, _ in self._demonstratives)).search
        self._first_person = frozenset(rules.lists.get("first_person", ()))
        self._indefinite_marks = tuple(rules.lists.get("indefinite_marks", ()))
        self._face_verbs = frozenset(rules.lists.get("face_verbs", ()))
        self._question_marks = tuple(rules.lists.get("question_marks", ()))
        self._speaker_bodies = tuple(rules.lists.get("first_person_bodies", ()))
        self._time_ends = frozenset(rules.lists.get("time_clause_ends", ()))
        self._use_verbs = frozenset(rules.lists.get("use_verbs", ()))
        self._name_tails = tuple(rules.lists.get("short_name_tails", ()))
        suffixes = rules.lists.get("place_stem_suffixes", ())
        self._place_stem = re.compile(
            "([\u4e00-\u9fff]{2,})(?:" + "|".join(map(re.escape, suffixes)) + ")").fullmatch \
            if suffixes else None
        marks = sorted(rules.lists.get("short_name_marks", ()), key=lambda w: (-len(w), w))
        self._short_name_re = re.compile(
            "[（(](?:" + "|".join(map(re.escape, marks)) + ")[为:：]?(?:([“\"《])([^”\"》（）()，。；、]{1,%d})"
            "[”\"》]|([^“”\"《》（）()，。；、\\s]{2,%d}))[）)]"
            % (MAX_SHORT_NAME, MAX_SHORT_NAME)) if marks else None
        # a tuple: str.startswith takes it whole
        self._cue_adverbs = tuple(sorted(rules.lists.get("cue_adverbs", ()),
                                         key=lambda w: (-len(w), w)))
        # shape nearby: its cues, and each predicate's cue words (a pair with one between is
        # the cue rules' to relate or not)
        self._nearby_cues = [c for c in rules.cues if c.shape == "nearby"]
        self._cue_words_of: dict[str, set] = {}
        for c in rules.cues:
            self._cue_words_of.setdefault(c.predicate, set()).update(c.words)

    def _speaker_body(self, article: Article, sent: Sentence, st: ArticleState) -> Mention | None:
        """The institution of the speaker whose turn ``sent`` is in: a paragraph opening with
        ``某某：`` (a person met before with a post, 周某：; 部长周某：) opens a turn, one opening
        with a question mark word (记者：) closes it; other paragraphs go on with it."""
        para, body, pending = st.turn
        if sent.paragraph == para:
            return body
        if sent.index and article.sentences[sent.index - 1].paragraph == sent.paragraph:
            return body  # not the first sentence of its paragraph (met mid-paragraph)

        def post(said: str):
            return next((r.object for r in st.relations if r.predicate == "affiliatedWith"
                         and said.endswith(normalise(r.subject.label))
                         and any(self.rs.vocab.is_subclass(r.object.cls, c)
                                 for c in self._speaker_bodies)), None)

        if pending:  # a speaker line of its own (某部部长某某：), its post read since
            body = post(pending) or body
            pending = ""
        head = sent.text[:MAX_SPEAKER_PREFIX]
        colon = next((k for k, c in enumerate(head) if c in "：:"), None)
        if colon is not None:
            said = normalise(head[:colon].strip())
            if said.endswith(self._question_marks):
                body = None
            elif post(said) is not None:
                body = post(said)
            elif not sent.text[colon + 1:].strip():
                pending = said  # the post is read in this line: known from the next paragraph
            # else a label inside the answer (关键词：……): the speaker goes on
        st.turn = (sent.paragraph, body, pending)
        return body

    def _first_person_mentions(self, article: Article, sent: Sentence, tokens: list[Token],
                               st: ArticleState, local: list[int], trace) -> None:
        """A first-person word of lists.toml ``first_person`` (我们, 我行) in a speaker's turn
        names the institution the speaker holds a post at (某银行行长周某：我行推出了……):
        a mention of it, so the rules see who acts, offers and relies on what."""
        if not self._first_person:
            return
        body = self._speaker_body(article, sent, st)
        if body is None:
            return
        mentions = st.mentions
        for t in tokens:
            if t.text in self._first_person and \
                    not any(mentions[i].start < t.end and t.start < mentions[i].end for i in local):
                mentions.append(Mention(article.id, sent.index, t.start, t.end, t.text,
                                        body.label, body.cls, DEMONSTRATIVE_RULE, body.alts))
                local.append(len(mentions) - 1)
                if trace is not None:
                    trace.matches.append((0, DEMONSTRATIVE_RULE, t.text,
                                          [f"{body.label}:{body.cls}"]))

    def _demonstrative_mentions(self, article: Article, sent: Sentence, tokens: list[Token],
                                st: ArticleState, local: list[int], trace) -> None:
        """A demonstrative of lists.toml ``demonstratives`` (该行, 该平台) names the last entity
        of its class in this paragraph or the one before: a mention of that entity, so the
        rules see who acts (该行推出了……) where the article does not repeat the name."""
        if not self._demonstratives or self._demonstrative_search(sent.text) is None:
            return
        text, mentions = article.text, st.mentions
        starts = {t.start: i for i, t in enumerate(tokens)}
        ends = {t.end for t in tokens}
        for phrase, classes, noun in self._demonstratives:
            at = sent.text.find(phrase)
            while at >= 0:
                start, end = sent.start + at, sent.start + at + len(phrase)
                at = sent.text.find(phrase, at + len(phrase))
                if start not in starts or end not in ends or \
                        any(mentions[i].start < end and start < mentions[i].end for i in local):
                    continue
                # the nearest one named before it earlier in its own sentence (记者从某局获悉，
                # 该局将……: found once the sentence's names are), else the last one named in
                # the paragraph or the one before: by position (mentions are listed by stage),
                # of two starting together the shorter (the quoted core of “某某”平台), one
                # named with the demonstrative's head first (该平台: “某某”服务平台, not a product
                # named after it); not a word inside a longer name that is no other name of it
                # (the 农商行 of 东川农商行; but the 某某 of “某某”平台)
                fits = [m for m in mentions if m.rule != DEMONSTRATIVE_RULE
                        and any(self.rs.vocab.is_subclass(m.cls, c) for c in classes)
                        and not self._kind_named(text, m)
                        and (not noun or any(n.endswith(noun) for n in (m.label, *m.alts)) or
                             text.startswith(noun, m.end + (text[m.end:m.end + 1] in "”》")))]
                ante = max((m for m in fits if m.sentence == sent.index and m.end <= start),
                           key=lambda m: (m.end, -m.start), default=None)
                if ante is None:
                    head = noun or (phrase[1:] if phrase.startswith("该") else phrase)
                    ante = max((m for m in fits if m.sentence < sent.index
                                and sent.paragraph - article.sentences[m.sentence].paragraph <= 1
                                and not any(o.start <= m.start and m.end <= o.end
                                            and (o.start, o.end) != (m.start, m.end)
                                            and m.label not in (o.label, *o.alts) for o in fits)),
                               key=lambda m: (_named_as(text, m, head), m.start, -m.end),
                               default=None)
                if ante is None:
                    continue
                # 某银行某省分行……该行: the branch, not the bank named at the start of its name
                ante = next((m for m in reversed(mentions)
                             if m.sentence == ante.sentence and m.start == ante.start
                             and ante.end < m.end and m.rule != DEMONSTRATIVE_RULE
                             and self.rs.vocab.is_subclass(m.cls, "Institution")), ante)
                mentions.append(Mention(article.id, sent.index, start, end, text[start:end],
                                        ante.label, ante.cls, DEMONSTRATIVE_RULE, ante.alts))
                local.append(len(mentions) - 1)
                if trace is not None:
                    trace.matches.append((0, DEMONSTRATIVE_RULE, text[start:end],
                                          [f"{ante.label}:{ante.cls}"]))

    def _kind_named(self, text: str, m: Mention) -> bool:
        """临江银行是一家扎根本地的城市商业银行: a kind, said of a name (a word of
        ``indefinite_marks`` earlier in its clause), is no thing a demonstrative (该行)
        refers to."""
        if not self._indefinite_marks:
            return False
        clause = text[max(0, m.start - 24):m.start]
        clause = clause[max(clause.rfind(c) for c in "，。；：！？") + 1:]
        return any(w in clause for w in self._indefinite_marks)

    def _demonstratives_in_sentence(self, mentions: list, local: list[int]) -> bool:
        """A demonstrative whose sentence names an entity of its class before it (以某行为例，
        该行……): that entity, not the one of an earlier sentence, is the one it names. Whether
        it renamed one."""
        kinds = {phrase: classes for phrase, classes, _ in self._demonstratives}
        changed = False
        for k in local:
            d = mentions[k]
            if d.rule != DEMONSTRATIVE_RULE or d.surface not in kinds:
                continue
            before = [mentions[i] for i in local if mentions[i].end <= d.start
                      and mentions[i].rule != DEMONSTRATIVE_RULE
                      and any(self.rs.vocab.is_subclass(mentions[i].cls, c)
                              for c in kinds[d.surface])]
            ante = max(before, key=lambda m: (m.end, m.end - m.start)) if before else None
            if ante is not None and ante.label != d.label:
                mentions[k] = replace(d, label=ante.label, cls=ante.cls, alts=ante.alts)
                changed = True
        return changed

    def _short_name_mentions(self, sent: Sentence, tokens: list[Token], st: ArticleState,
                             local: list[int], trace, places: bool = False) -> None:
        """A short name the article gave earlier (某某（以下简称“甲”）) names that entity where
        it comes again: a mention of the full entity, so that later sentences' relations go
        to it (甲推出了……: 某某 offers it). With ``places`` (once the sentence's names are
        found: 余姚农商银行 holds no place stem), a place's stem too, where no noun follows it
        (余姚力量 is no place)."""
        if not st.short_names:
            return
        mentions = st.mentions
        starts = {t.start for t in tokens}
        ends = {t.end for t in tokens}
        noun_after = {t.start for t in tokens if t.pos.startswith("n") or t.pos in ("vn", "j")}
        for short in sorted(st.short_names, key=lambda w: (-len(w), w)):
            label, cls, alts, rule = st.short_names[short]
            if rule == PLACE_STEM_RULE and not places:
                continue
            if short.startswith("《"):
                short = short[1:-1]
                titled = True
            else:
                titled = False
            at = sent.text.find(short)
            while at >= 0:
                start, end = sent.start + at, sent.start + at + len(short)
                at = sent.text.find(short, at + len(short))
                rel = start - sent.start
                quoted = rel > 0 and rel + len(short) < len(sent.text) and \
                    sent.text[rel - 1] in "“\"《" and sent.text[rel + len(short)] in "”\"》"
                if not quoted and (titled or start not in starts or end not in ends):
                    continue
                if rule == PLACE_STEM_RULE and (
                        end in noun_after or  # 余姚力量
                        sent.text.count("“", 0, rel) > sent.text.count("”", 0, rel)):  # “余姚e贷”
                    continue
                if titled and sent.text[rel - 1] != "《":
                    continue
                if any(mentions[i].start < end and start < mentions[i].end for i in local):
                    continue
                # the full name written out again holds the short one (东川人寿保险……)
                held = any(sent.text.startswith(label, k - sent.start)
                           for k in range(max(sent.start, end - len(label)), start + 1))
                if held:
                    continue
                mentions.append(Mention(sent.article_id, sent.index, start, end, short, label,
                                        cls, rule, alts))
                local.append(len(mentions) - 1)
                if trace is not None:
                    trace.matches.append((0, rule, short, [f"{label}:{cls}"]))

    def _register_place_stems(self, text: str, st: ArticleState, local: list[int]) -> None:
        """A place the article names with a suffix of ``place_stem_suffixes`` (余姚市, 临溪县)
        is named by its stem in the later sentences (余姚): a mention of that place where the
        stem is a word of its own, as for a short name given in brackets. Not a stem that is a
        word of the lexicon (an entity of its own there), a short name already, or the stem
        of another place of the article (江东市 and 江东省: 江东 names neither)."""
        if self._place_stem is None:
            return
        mentions = st.mentions
        for i in local:
            m = mentions[i]
            named = None if m.rule in (SHORT_NAME_RULE, PLACE_STEM_RULE, DEMONSTRATIVE_RULE) or \
                self.rs.vocab.core(m.cls) != "Region" else self._place_stem(m.label)
            if named is None:
                continue
            stem = named.group(1)
            if stem in st.short_names or stem in self._lexicon_words or \
                    any(stem + c in text for c in ADMIN_SUFFIXES if c != m.label[len(stem)]):
                continue
            alts = m.alts if stem in m.alts else (*m.alts, stem)
            st.short_names[stem] = (m.label, m.cls, alts, PLACE_STEM_RULE)

    def _register_short_names(self, article: Article, sent: Sentence, st: ArticleState,
                              local: list[int], trace) -> None:
        """某某（以下简称“甲”）: 甲 is 某某's short name in the rest of the article. The entity
        is the one named right before the bracket (or before a company form of
        ``short_name_tails``); the short name's own mention becomes a mention of it (its
        altLabel), and later ones are found by _short_name_mentions. Called once the
        sentence's names are found and again at its end (for mentions made later)."""
        if self._short_name_re is None or "（" not in sent.text and "(" not in sent.text:
            return
        text, mentions = article.text, st.mentions
        for m in self._short_name_re.finditer(sent.text):
            bracket = sent.start + m.start()
            g = 2 if m.group(2) else 3  # quoted (简称“甲”) or not (简称甲)
            s_start, s_end = sent.start + m.start(g), sent.start + m.end(g)
            short = m.group(g)
            # a short name given as a title (《规划》) is that title only where written so
            key = "《" + short + "》" if m.group(1) == "《" else short
            entry = st.short_names.get(key)
            if entry is None:
                # the name right before the bracket, or before a company form (股份有限公司)
                full = [i for i in local if mentions[i].end <= bracket
                        and mentions[i].rule not in (DEMONSTRATIVE_RULE, SHORT_NAME_RULE)
                        and text[mentions[i].end:bracket].strip("”\"》") in
                        ("", *self._name_tails)]
                if not full:
                    continue
                # the nearest name, and of two ending there the longer
                f = mentions[max(full, key=lambda i: (mentions[i].end, -mentions[i].start, -i))]
                alts = list(f.alts)
                for name in (text[f.start:bracket].strip("“”\"《》"), short):
                    if name != f.label and name not in alts:
                        alts.append(name)
                entry = st.short_names[key] = (f.label, f.cls, tuple(alts), SHORT_NAME_RULE)
                if trace is not None:
                    trace.matches.append((9, SHORT_NAME_RULE, short, [f"{f.label}:{f.cls}"]))
            label, cls, alts, _ = entry
            # the short name's own mention (a word of the lexicon, 宁波银行, too: it takes the
            # full name, 宁波银行股份有限公司, as an alternative label)
            same = [i for i in local if (mentions[i].start, mentions[i].end) in
                    ((s_start, s_end), (s_start - 1, s_end + 1))
                    and (mentions[i].label, mentions[i].cls, mentions[i].alts) != (label, cls, alts)]
            new = Mention(article.id, sent.index, s_start, s_end, short, label, cls,
                          SHORT_NAME_RULE, alts)
            if same:
                old = {id(mentions[i]): new for i in same}
                for i in same:
                    mentions[i] = new
                st.relations[:] = [replace(r, subject=old.get(id(r.subject), r.subject),
                                           object=old.get(id(r.object), r.object))
                                   for r in st.relations]
            elif not any(mentions[i].start < s_end and s_start < mentions[i].end for i in local):
                mentions.append(new)
                local.append(len(mentions) - 1)

    def _stage_rules(self, ctx: Context) -> list[tuple[int, list]]:
        """(stage, [(rule, compiled rule, its needs)]) of the rules that may apply in this
        context."""
        key = (ctx.role, ctx.item is not None, ctx.head)
        hit = self._by_context.get(key)
        if hit is None:
            hit = self._by_context[key] = [(stage, [x for x in rules if _applies(x[0], ctx)])
                                           for stage, rules in self._stages]
        return hit

    @property
    def segmenter(self):
        if self._seg is None:
            from . import segment

            self._seg = segment.get(self.lexicon)
        return self._seg

    # ------------------------------------------------------------ article
    def extract(self, article: Article, traces: list | None = None) -> Extraction:
        ctxs = contexts(article, self.rs)
        st = ArticleState()
        for sent, ctx in zip(article.sentences, ctxs):
            trace = SentenceTrace() if traces is not None else None
            self._sentence(article, sent, ctx, st, trace)
            if traces is not None:
                traces.append(trace)
        self._section_relations(article, ctxs, st.mentions, st.relations, st.heads,
                                st.item_mentions)
        self._discourse_relations(article, st, traces)
        inner = _inner_words(st.mentions, self.rs.vocab)
        issued = _issuing(st.mentions, self.rs.vocab, self._issue_verbs, self._product_heads)
        why = {i: f"named only inside a longer entity's label ({held})" for i, held in inner.items()}
        why.update({i: f"named only as a modifier of a noun ({noun})"
                    for i, noun in _modifiers_only(st, article.text, self.rs.vocab).items()})
        why.update({i: f"a generic actor named only as a modifier of a noun ({noun}), in no relation"
                    for i, noun in _generic_modifiers(st, article.text, self.rs.vocab).items()})
        why.update({i: f"a country named only inside institutions' names ({held})"
                    for i, held in _countries_inside_names(st.mentions, self.rs.vocab).items()})
        why.update({i: f"an institution named only inside an event's name ({held}): its organiser"
                    for i, held in _inside_events(st.mentions, self.rs.vocab).items()})
        why.update({i: f"it only issues {thing.label}, the entity readers name"
                    for i, thing in issued.items()})
        short = _place_named_bodies(st.mentions, self.rs.vocab, self._generic_actors)
        for i, body in short.items():  # the head inside the body's own name is a word of it
            m = st.mentions[i]
            if any(b.sentence == m.sentence and b.start <= m.start and m.end <= b.end
                   for b in st.mentions if b.label == body.label):
                why[i] = f"the generic head of {body.label}, named inside it"
        short = {i: body for i, body in short.items() if i not in why}
        def note(i: int, tag: str, what: str) -> None:  # kg explain: why a mention changed
            m = st.mentions[i]
            if traces is not None and m.sentence < len(traces) and traces[m.sentence] is not None:
                traces[m.sentence].matches.append((9, tag, m.surface, [f"{m.label}:{m.cls}{what}"]))

        for i in sorted(why):
            note(i, "(dropped)", f": {why[i]}")
        dropped = {id(st.mentions[i]) for i in why}
        # a generic head on its own names the one place-named body of the article ending with it
        renamed = {id(st.mentions[i]): replace(st.mentions[i], label=body.label, cls=body.cls,
                                               alts=st.mentions[i].alts + (st.mentions[i].label,))
                   for i, body in short.items()}
        for i in sorted(short):
            note(i, "(renamed)", f" -> {short[i].label}: the one body of the article named by a "
                                 f"place and this head")
        for i, name in _kinds_of_quoted_names(st.mentions, article.text, self.rs.vocab,
                                              self._typed_words).items():
            if i not in why and id(st.mentions[i]) not in renamed:
                renamed[id(st.mentions[i])] = replace(st.mentions[i], label=name.label,
                                                      cls=name.cls, alts=name.alts)
                note(i, "(renamed)", f" -> {name.label}:{name.cls}: the quoted name and the kind "
                                     f"written beside it are one thing")
        mentions = [renamed.get(id(m), m) for m in st.mentions if id(m) not in dropped]
        # what a measure that only issues a product uses, the product uses (借助区块链技术，
        # 推出“某某链”: 某某链 uses 区块链技术)
        things = {id(st.mentions[i]): thing for i, thing in issued.items()}
        # ... and so does a measure that builds one (借助人工智能，打造“某某管家”; 建设某平台，
        # 利用人工智能实现……: the platform uses it)
        things.update({id(st.mentions[i]): thing for i, thing in
                       _issuing(st.mentions, self.rs.vocab, self._build_verbs).items()
                       if id(st.mentions[i]) not in things})
        relations = [replace(r, subject=things[id(r.subject)])
                     if r.predicate == "uses" and id(r.subject) in things
                     and self.rs.vocab.fits(r.predicate, things[id(r.subject)].cls, r.object.cls)
                     else r for r in st.relations]
        relations = [replace(r, subject=renamed.get(id(r.subject), r.subject),
                             object=renamed.get(id(r.object), r.object))
                     for r in relations if id(r.subject) not in dropped and id(r.object) not in dropped]
        relations += self._nearby(article, mentions, relations, traces)
        return Extraction(article, mentions, _dedupe(relations))

    def _nearby(self, article: Article, mentions: list[Mention], relations: list[Relation],
                traces) -> list[Relation]:
        """Cues of shape ``nearby``, last of all: in each sentence, an entity of the
        subject classes and the nearest one of the object classes on the cue's side, where
        no rule related the two entities (in either direction) anywhere in the article, no
        entity of the subject classes stands between them, and no cue word of the predicate
        does either (the cue rules weighed that pair and made nothing). Of nested mentions
        only the outer one takes part (it is what the sentence talks about); an institution
        after a word of @recipient_marks (为, 向) in its clause acts in nothing, and a place
        right before 的 (在某市的一家商场) says where another thing is."""
        cues, cue_words = self._nearby_cues, self._cue_words_of
        if not cues:
            return []
        vocab = self.rs.vocab
        linked = {r.subject.label for r in relations} | {r.object.label for r in relations}
        related = {(r.subject.label, r.object.label) for r in relations}
        related |= {(b, a) for a, b in related}
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        out = []
        for sid, ms in sorted(by_sentence.items()):
            ms = sorted(ms, key=lambda m: (m.start, -m.end))
            outer = [m for m in ms if not any(
                o is not m and o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start
                for o in ms)]
            for cue in cues:
                for i, a in enumerate(outer):
                    if a.cls not in cue.subject:
                        continue
                    if cue.predicate in self._actor_predicates:
                        head = article.text[_clause_start(article.text, a.start,
                                                          article.sentences[sid].start):a.start]
                        if any(w in head for w in self._recipient_marks):
                            continue  # 为某园区一家企业发放……: a recipient does not act
                    side = outer[i + 1:] if cue.side == "after" else outer[:i][::-1]
                    k = next((k for k, b in enumerate(side) if b.cls in cue.object), None)
                    if k is None or any(m.cls in cue.subject for m in side[:k]):
                        continue  # the nearest pair only: another subject stands closer
                    b = side[k]
                    lo, hi = (a.end, b.start) if cue.side == "after" else (b.end, a.start)
                    if any(w in article.text[lo:hi] for w in cue_words.get(cue.predicate, ())):
                        continue  # a cue word of the predicate between: the cue rules decided
                    if any(w in article.text[lo:hi] for w in cue.unless):
                        continue  # 记者从某局获悉, 从未获得过: a source or a receiver, no pair
                    if a.label == b.label or (a.label, b.label) in related:
                        continue
                    gap = article.text[lo:hi]
                    if gap in self.rs.cleanup.separators:
                        continue  # 培育智能网联汽车、数字健康等产业: items of one list, not a pair
                    if cue.adjacent and gap not in ("", "的"):
                        continue  # 我国社会主义制度, 深圳的李女士: a place as the name's modifier
                    if article.text.startswith("的", b.end) and vocab.core(b.cls) == "Region" \
                            and gap != "的":
                        continue  # 在某市的一家商场: the place says where something else is
                    if cue.isolated and a.label in linked and b.label in linked:
                        continue
                    if not vocab.fits(cue.predicate, a.cls, b.cls):
                        continue
                    related |= {(a.label, b.label), (b.label, a.label)}
                    out.append(Relation(a, cue.predicate, b, cue.id, article.id, sid))
                    if traces is not None and sid < len(traces) and traces[sid] is not None:
                        traces[sid].matches.append((9, cue.id, article.sentences[sid].text,
                                                    [f"{a.label} {cue.predicate} {b.label}"]))
        return out

    def _discourse_relations(self, article: Article, st: ArticleState, traces) -> None:
        """Article-level cue rules, over every mention of the article: labels that hold
        other entities' labels or sit inside them (``contains``, ``contained``), places
        inside places (``gazetteer``), the measures a paragraph opens with (``lead``), of a
        speaker's answers (``speaker``), the authors' note (``byline``); then ``via_part``
        over every relation made."""
        mentions, vocab = st.mentions, self.rs.vocab
        shapes = {"contains": _contains, "acts_on": _contains, "contained": _contains,
                  "applies": _contains,
                  "speaker": _speaker,
                  "gazetteer": _gazetteer, "lead": _lead, "by_parts": _by_parts,
                  "heading": _heading, "byline": _byline, "reasons": _reasons,
                  "then_now": _then_now}
        out: list[tuple[int, str, int, str, int]] = []  # subject, predicate, object, rule, sentence
        for cue in self.rs.cues:
            if cue.shape in shapes:
                out += shapes[cue.shape](self, cue, article, st)
        for cue in self.rs.cues:  # last: over every relation made so far
            if cue.shape == "via_part":
                _via_part(cue, article, st, [Relation(mentions[a], p, mentions[b], "", "", 0)
                                             for a, p, b, _, _ in out], vocab)
        for s, pred, o, rule, sentence in out:
            a, b = mentions[s], mentions[o]
            if s == o or a.label == b.label or not vocab.fits(pred, a.cls, b.cls):
                continue
            st.relations.append(Relation(a, pred, b, rule, article.id, sentence))
            if traces is not None and sentence < len(traces) and traces[sentence] is not None:
                traces[sentence].matches.append((9, rule, article.sentences[sentence].text,
                                                 [f"{a.label} {pred} {b.label}"]))

    def _sentence(self, article, sent: Sentence, ctx: Context, st: ArticleState, trace) -> None:
        mentions, relations, heads = st.mentions, st.relations, st.heads
        item_mentions, topics = st.item_mentions, st.topics
        text = article.text
        tokens = [Token(SENTENCE_START, "bos", sent.start, sent.start)]
        tokens += _join_names(_drop_unit_asides(self.segmenter.tokens(sent.text, sent.start)))
        if tokens[-1].pos != "bos" and tokens[-1].text[-1:] not in CLAUSE_MARKS:
            tokens.append(Token(SENTENCE_END, "eos", sent.end, sent.end))
        bounds = {t.start for t in tokens} | {t.end for t in tokens}
        if trace is not None:
            trace.tokens = tokens
        local: list[int] = []  # mention indices of this sentence

        # stage 0: the heads of enumeration items whose section (or own head) gives a role
        if ctx.head and ctx.role and ctx.section_rule:
            body_start = sent.start + ctx.marker_end
            pos = body_start
            for piece in CLAUSE_SPLIT.split(text[body_start:sent.end]):
                cut = self._duty_actor_end(piece, pos, tokens) if ctx.role == "Remedy" else 0
                spans = self._head_parts(piece[cut:], pos + cut, ctx.role, tokens)
                pos += len(piece) + 1
                for lo, hi in spans:
                    c = clean_span(text, lo, hi, self.rs.cleanup, bounds=bounds)
                    if c is None:
                        continue
                    start, end, label, alts = c
                    mentions.append(Mention(article.id, sent.index, start, end, text[start:end],
                                            label, ctx.role, ctx.section_rule.id, alts))
                    local.append(len(mentions) - 1)
                    heads.setdefault(ctx.item, []).append(len(mentions) - 1)
                    if trace is not None:
                        trace.matches.append((0, ctx.section_rule.id, text[start:end],
                                              [f"{label}:{ctx.role}"]))
        self._demonstrative_mentions(article, sent, tokens, st, local, trace)
        self._first_person_mentions(article, sent, tokens, st, local, trace)
        self._short_name_mentions(sent, tokens, st, local, trace)
        chunks = _chunk(tokens, mentions, local)

        SIGNATURES.start()
        token_key = SIGNATURES.key(tokens)  # one signature string per token list
        leading = self.rs.lists.get("encourage_verbs", ())
        skip = self.rs.lists.get("subject_skip", ())
        says = self._says
        frames = dict(owners=self._owner_words, time_ends=self._time_ends,
                      aim_actors=self._aim_actors)
        seen_chunks = None  # the chunks the subject, needs met and key below belong to
        token_met = self._prefilter.met(token_key, tokens)
        named = False  # demonstratives of this sentence's own names: after its first stage
        for stage, stage_rules in self._stage_rules(ctx):
            if not named and stage > 1:
                named = True
                n_local = len(local)
                # short names given in this sentence and used later in it, then demonstratives
                # (those already made taking an antecedent named before them in the sentence)
                self._register_short_names(article, sent, st, local, trace)
                self._short_name_mentions(sent, tokens, st, local, trace, places=True)
                renamed = self._demonstratives_in_sentence(mentions, local)
                self._demonstrative_mentions(article, sent, tokens, st, local, trace)
                if renamed or len(local) != n_local:
                    chunks = _chunk(tokens, mentions, local)
            if chunks is not seen_chunks:
                # the sentence's subject; without one, the topic of its section (zero anaphora)
                own = _subject(chunks, leading, skip, says, **frames)
                subject = own or topics.get(ctx.section, [])
                own_classes = {mentions[i].cls for i in own}
                chunk_key = token_key if chunks is tokens else SIGNATURES.key(chunks)
                # of tokens and chunks: nested rules match the one, the others the other
                met = token_met if chunks is tokens else \
                    self._prefilter.met(chunk_key, chunks, token_met)
                seen_chunks = chunks
            matches = []
            for r, c, needs in stage_rules:
                # all its needs met (written without ~met: inverting a long integer per
                # rule copied it twice)
                if needs & met == needs and \
                        (r.subject is None or not r.subject.isdisjoint(own_classes)):
                    found = c.find(tokens, token_key) if r.nested else c.find(chunks, chunk_key)
                    if found:
                        matches += found
            if not matches:
                continue
            n_local = len(local)
            cands, reuse = self._candidates(text, chunks, tokens, matches, bounds)
            accepted, lost_to = self._resolve(cands, mentions, local, article.id, sent.index, text)
            by_capture: dict[tuple[int, str], list[int]] = {}
            for cand, idx in accepted:
                by_capture.setdefault((id(cand.match), cand.capture), []).append(idx)
                if cand.modifier:
                    st.modifiers.add(idx)
            for key, idxs in reuse.items():
                by_capture.setdefault(key, []).extend(idxs)
            for m in matches:
                emitted = []
                why: list[str] = []  # for kg explain: why nothing came of the match
                for e in m.rule.entities:
                    emitted += [f"{mentions[i].label}:{mentions[i].cls}"
                                for i in by_capture.get((id(m), e.capture), [])]
                    lost = lost_to.get((id(m), e.capture))
                    if lost and not by_capture.get((id(m), e.capture)):
                        why.append(f"its {e.capture!r} lost to {lost[1]}:{lost[2]} of rule {lost[0]} "
                                   f"(higher priority or longer)")
                for r in m.rule.relations:
                    subs = self._endpoint(r.subject, m, chunks, by_capture, ctx, heads, subject)
                    objs = self._endpoint(r.object, m, chunks, by_capture, ctx, heads, subject)
                    vocab = self.rs.vocab
                    if not subs or not objs:
                        why.append(f"no entity for {r.subject if not subs else r.object!r} of "
                                   f"{r.predicate}")
                    for s in subs:
                        for o in objs:
                            a, b = mentions[s], mentions[o]
                            if r.same_class and vocab.core(a.cls) != vocab.core(b.cls):
                                why.append(f"{a.label}:{a.cls} and {b.label}:{b.cls} are not of one "
                                           f"class ({r.predicate} asks same_class)")
                                continue
                            if s == o or a.label == b.label:
                                why.append(f"{a.label} cannot be {r.predicate} itself")
                            elif not vocab.fits(r.predicate, a.cls, b.cls):
                                why.append(f"{a.label}:{a.cls} {r.predicate} {b.label}:{b.cls} does "
                                           f"not fit {r.predicate}'s domain and range")
                            else:
                                relations.append(Relation(a, r.predicate, b, m.rule.id,
                                                          article.id, sent.index))
                                emitted.append(f"{a.label} {r.predicate} {b.label}")
                if trace is not None:
                    seq = tokens if m.rule.nested else chunks
                    span = text[seq[m.start].start:seq[m.end - 1].end]
                    if not emitted:
                        blocks = [e.cls for e in m.rule.entities if e.block]
                        trace.why[len(trace.matches)] = why or (
                            [f"it blocks {', '.join(blocks)} in its span"] if blocks else
                            ["its entities were found by other rules first"])
                    trace.matches.append((stage, m.rule.id, span, emitted))
            if len(local) != n_local:  # new mentions: merge them into entity tokens
                chunks = _chunk(tokens, mentions, local)
        self._register_short_names(article, sent, st, local, trace)
        self._register_place_stems(article.text, st, local)
        own = _subject(chunks, leading, skip, says, **frames)
        self._cue_relations(article, sent, ctx, chunks, local, st, own, trace)
        if ctx.item is not None:
            item_mentions.setdefault(ctx.item, []).extend(local)
        if ctx.opens_section and ctx.section is not None:
            # the topic a section is about: an actor or an idea, not a place
            topic = [i for i in _subject(chunks, leading, skip, says, **frames)
                     if self.rs.vocab.core(mentions[i].cls) != "Region"]
            topics[ctx.section] = topic[:1]

    # ------------------------------------------------------------ cue relations
    def _cue_relations(self, article, sent: Sentence, ctx: Context, chunks: list[Token],
                       local: list[int], st: ArticleState, own: list[int], trace) -> None:
        """Relations signalled by cue words (``[[cue]]`` rules), over the sentence's
        entities: each end chosen among the clause's entities by the predicate's domain
        and range; a missing subject is the sentence's, else the paragraph's actor, else
        the section's topic; coordinated entities each get the relation. Then the
        sentence-level shapes that need no word (actor, place_subject, nested)."""
        if not self.rs.cues:
            return
        cs = _CueSentence(self, article, sent, chunks, local, st, own,
                          para_actor=st.actors.get(sent.paragraph, []),
                          topic=st.topics.get(ctx.section, []) if ctx.section is not None else [])
        out = cs.word_cues() + cs.wordless()
        out += cs.continued_examples()
        mentions, vocab = st.mentions, self.rs.vocab
        for s, pred, o, rule in out:
            a, b = mentions[s], mentions[o]
            if s == o or a.label == b.label or not vocab.fits(pred, a.cls, b.cls):
                continue
            st.relations.append(Relation(a, pred, b, rule, article.id, sent.index))
            if trace is not None:
                trace.matches.append((9, rule, sent.text, [f"{a.label} {pred} {b.label}"]))
        actors = [m for m in own if vocab.is_subclass(mentions[m].cls, "Institution")]
        if actors:
            st.actors[sent.paragraph] = actors

    def _name_prefix(self, cue, outer: Mention, article, sent: Sentence, st: ArticleState,
                     local: list[int]) -> int | None:
        """A mention for the longest lexicon word of the cue's object classes that starts
        the name ``outer``, made if the text has it there; not a generic actor (政府部门 is
        no part of a body named 政府, 街道办事处 none of 街道)."""
        if cue.object is None:
            return None
        words = self._prefix_words.get(cue.id)
        if words is None:  # word -> class, and the longest word's length
            words = {}
            for e in self.lexicon.entries:
                cls = self.type_class.get(e.type) if e.type else None
                if cls in cue.object and len(e.word) >= 2:
                    words.setdefault(e.word, cls)
            self._prefix_words[cue.id] = words = (words, max(map(len, words), default=0))
        words, longest = words
        label = outer.label
        same = set(short_forms(self.rs.vocab.core(outer.cls), normalise(label)))
        # the name's text may open with a mark (《四川省……若干措施》): the word starts after it
        start = outer.start + len(outer.surface) - len(outer.surface.lstrip(_OPENING_MARKS))
        for n in range(min(longest, len(label)), 1, -1):  # the longest word first
            word = label[:n]
            cls = words.get(word)
            if cls is None:
                continue
            if word in same:
                return None  # a short form of the name is the same thing
            if len(word) + MIN_NAME_REST <= len(label) \
                    and not label.startswith(INDUSTRY, len(word)) \
                    and word not in self._generic_actors \
                    and article.text.startswith(word, start):
                st.mentions.append(Mention(article.id, sent.index, start,
                                           start + len(word), word, word, cls, cue.id))
                local.append(len(st.mentions) - 1)
                return len(st.mentions) - 1
        return None

    def _candidates(self, text: str, chunks: list[Token], tokens: list[Token],
                    matches: list[Match], bounds: set):
        cands: list[_Candidate] = []
        reuse: dict[tuple[int, str], list[int]] = {}
        cleanup = self.rs.cleanup
        for m in matches:
            for e in m.rule.entities:
                if e.capture not in m.captures:
                    continue
                lo, hi = m.captures[e.capture]
                seq = tokens if m.rule.nested else chunks
                if m.rule.nested and hi < len(seq) and seq[hi].text in self._modifier_suffixes:
                    continue  # a word before a modifier suffix is no entity
                if e.block:
                    if hi > lo:
                        cands.append(_Candidate(seq[lo].start, seq[hi - 1].end, "", (), e.cls,
                                                m.rule, m, e.capture, block=True))
                    continue
                groups = (_split(seq[lo:hi], cleanup.separators, e.split_before, e.split_after,
                                 cleanup.verbal_nouns) if e.split else [seq[lo:hi]])
                lead = ""
                if e.lead is not None and e.lead in m.captures and len(groups) > 1:
                    vlo, vhi = m.captures[e.lead]
                    if vhi > vlo:
                        lead = text[seq[vlo].start:seq[vhi - 1].end]
                for group in groups:
                    if not group:
                        continue
                    # an item that is (or holds) an entity of the same kind is that entity
                    core = self.rs.vocab.core(e.cls) if e.cls != "$type" else None
                    bare = [t for t in group if t.text not in QUOTES]  # a quoted name is the name
                    # (a list of names, not of phrases: split_before splits phrases)
                    inner = [t.mention for t in bare if t.mention is not None and
                             (len(bare) == 1 or (e.split and e.split_before is None and e.split_after is None and core
                                                 and self.rs.vocab.core(t.ent) == core))]
                    if inner:
                        reuse.setdefault((id(m), e.capture), []).extend(inner)
                        continue
                    cls = e.cls
                    if cls == "$type":
                        typed = [t.ltype for t in group if t.ltype]
                        if not typed:
                            continue
                        cls = self.type_class[typed[0]]
                    modifier = bool(m.rule.nested) and self._modifies_noun(seq, hi, cls)
                    c = clean_span(text, group[0].start, group[-1].end, cleanup, e.keep_quotes, bounds)
                    if c is None:
                        continue
                    start, end, label, alts = c
                    cls = next((other for suffix, other in e.suffix_classes
                                if label.endswith(suffix)), cls)
                    first = (_first_object(group, self.rs.lists.get("remedy_verbs", ()))
                             if self.rs.vocab.core(cls) == "Remedy" else None)
                    if first is not None:
                        short = "".join(ch for ch in text[group[0].start:first] if ch not in QUOTES)
                        if short.startswith(label[:2]) and short != label:
                            alts = (*alts, short)
                    if lead and not label.startswith(lead):
                        # the shared verb opens every item (建立A体系、B体系 -> 建立B体系);
                        # the item as written stays an alternative label
                        forms = cleanup.forms(lead + label)
                        if forms is not None:
                            full, more = forms
                            alts = tuple(dict.fromkeys(a for a in (label, *more, *alts) if a != full))
                            label = full
                    if len(group) > 1 and all(t.ent is not None for t in group) and \
                            all(self.rs.vocab.core(t.ent) == "Region" for t in group) and \
                            self.rs.vocab.core(cls) == "Region":
                        # a place written after the place it lies in (某省某某新区) is that
                        # place: its own name is an alternative label
                        alts = tuple(dict.fromkeys((*alts, group[-1].text)))
                    cands.append(_Candidate(start, end, label, alts, cls, m.rule, m, e.capture,
                                            modifier=modifier))
        return cands, reuse

    def _modifies_noun(self, seq: list[Token], hi: int, cls: str) -> bool:
        """A concept word of the lexicon right before a noun of another thing (宏观调控工具,
        数字支付服务体系) is a modifier of that noun, no concept of its own;
        before a head that names the concept's own field or aim (人工智能领域, 金融强国目标:
        concept_aspect_heads), a verbal noun (数字经济发展, 运用人工智能优化流程: mostly
        verbs there), a word of the lexicon or a verb jieba tags as a noun (助力) it stays.
        Only a mark: _modifiers_only drops the concepts named so and no other way."""
        if hi >= len(seq):
            return False
        nxt = seq[hi]
        if self.rs.vocab.core(cls) == "Institution" and seq[hi - 1].text in self._generic_actors:
            # a generic actor right before a noun or a place (街道某某新村, 高校某某校区)
            return nxt.pos in ("n", "nz", "ns") and nxt.ent is None and not nxt.quoted \
                and (nxt.ltype is None or self.rs.vocab.core(self.type_class[nxt.ltype]) == "Region") \
                and nxt.text not in self._verbs_as_nouns and nxt.text not in self._actor_topic_heads
        if self.rs.vocab.core(cls) != "Concept":
            return False
        return nxt.pos in ("n", "nz") and nxt.ent is None and nxt.ltype is None \
            and not nxt.quoted \
            and nxt.text not in self._concept_aspect_heads and nxt.text not in self._verbs_as_nouns

    def _resolve(self, cands: list[_Candidate], mentions: list[Mention], local: list[int],
                 article_id: str, sentence: int, text: str):
        """Keep the best of overlapping candidates: priority, then length, then position.
        Returns the kept (candidate, mention index) pairs and, for kg explain, what beat
        each dropped candidate: (match, capture) -> (rule, label, class)."""
        vocab = self.rs.vocab
        lost_to: dict = {}
        cands.sort(key=lambda c: (-c.rule.priority, -(c.end - c.start), c.start, c.rule.id, c.cls))
        kept: list[_Candidate] = []
        out = []
        for c in cands:
            clash = None
            for k in kept:
                if (k.block or c.block) and vocab.core(k.cls) != vocab.core(c.cls):
                    continue  # a blocked span only keeps out (and meets) its own class
                # words of the lexicon (nested) never block a longer entity
                if c.start < k.end and k.start < c.end and not (
                        k.rule.nested and (k.start, k.end) != (c.start, c.end)):
                    clash = k
                    break
            if clash is not None and c.rule.nested and (clash.start, clash.end) != (c.start, c.end):
                clash = None  # a word of the lexicon inside a longer entity stays a mention
            if clash is None and c.rule.nested:
                # ... unless it is inside an entity of its own kind (联盟 in ……产业创新联盟)
                if any(k.start <= c.start and c.end <= k.end and (k.start, k.end) != (c.start, c.end)
                       and vocab.core(k.cls if k.cls != "$type" else c.cls) == vocab.core(c.cls)
                       for k in kept):
                    continue
            if clash is not None and c.start <= clash.start and clash.end <= c.end and \
                    (c.start, c.end) != (clash.start, clash.end) and \
                    "$type" not in (c.cls, clash.cls) and \
                    vocab.core(c.cls) != vocab.core(clash.cls):
                # an entity of another kind inside a longer one: both stand (the measure
                # 纠正X holds the problem X)
                clash = next((k for k in kept if c.start < k.end and k.start < c.end and
                              not (c.start <= k.start and k.end <= c.end) and not k.rule.nested
                              and not (k.block and vocab.core(k.cls) != vocab.core(c.cls))),
                             None)
            if clash is not None and clash.block:
                lost_to[(id(c.match), c.capture)] = (clash.rule.id, "(no " + clash.cls + " here)",
                                                     clash.cls)
                continue
            if c.block:
                if clash is None:
                    kept.append(c)
                continue
            if clash is not None:
                if clash.match is c.match and (c.start, c.end) != (clash.start, clash.end):
                    pass  # nested spans emitted by one match are both kept
                elif (c.start, c.end, c.cls) == (clash.start, clash.end, clash.cls):
                    out.append((c, next(i for k2, i in out if k2 is clash)))
                    continue
                else:
                    lost_to[(id(c.match), c.capture)] = (clash.rule.id, clash.label, clash.cls)
                    continue
            # an identical mention from an earlier stage is reused, not duplicated
            same = next((i for i in local if (mentions[i].start, mentions[i].end) ==
                         (c.start, c.end)), None)
            kept.append(c)
            if same is not None:
                out.append((c, same))
                continue
            mentions.append(Mention(article_id, sentence, c.start, c.end, text[c.start:c.end],
                                    c.label, c.cls, c.rule.id, c.alts))
            local.append(len(mentions) - 1)
            out.append((c, len(mentions) - 1))
        return out, lost_to

    def _duty_actor_end(self, piece: str, at: int = 0, tokens: list[Token] = ()) -> int:
        """Length of an actor and its modal opening a measure item (金融机构要加快……:
        金融机构; 中国人民银行和国家金融监督管理总局应加强协同: both institutions, words the
        lexicon types as institutions joined by list separators), which the actor undertakes
        rather than names; 0 when there is none. ``at`` is where the piece starts in the
        text, ``tokens`` the sentence's words."""
        lists = self.rs.lists
        actor = next((a for a in sorted(lists.get("duty_actors", ()), key=len, reverse=True)
                      if piece.startswith(a)), "") or self._named_actors(piece, at, tokens)
        if not actor:
            return 0
        rest = piece[len(actor):]
        for adv in sorted(lists.get("adverbs", ()), key=len, reverse=True):
            if rest.startswith(adv):
                rest = rest[len(adv):]
                break
        return len(actor) if any(rest.startswith(m) for m in lists.get("aim_modals", ())) else 0

    def _named_actors(self, piece: str, at: int, tokens: list[Token]) -> str:
        """The institutions of the lexicon that open ``piece``, joined by list separators
        (中国人民银行和国家金融监督管理总局), or ""."""
        pos, named = at, at  # where the next word must start; the end of the last name
        for t in (t for t in tokens if at <= t.start < at + len(piece)):
            if t.start != pos:
                break
            if pos == named and t.text in self.rs.cleanup.separators and named > at:
                pos = t.end  # a separator after a name: another name must follow
            elif t.ltype and self.rs.vocab.is_subclass(self.type_class.get(t.ltype, ""),
                                                       "Institution"):
                pos = named = t.end
            else:
                break
        return piece[:named - at]

    def _nearest(self, in_item: list[int], item_heads: list[int], role: str, target: str,
                  mentions: list[Mention]):
        """Pair each `target` entity of an item with the measure that answers it: the first
        entity of the section's role in its sentence, else the next one in the item, else
        the item's head."""
        vocab = self.rs.vocab
        ordered = sorted(set(in_item), key=lambda i: (mentions[i].start, mentions[i].end))
        actors = [i for i in ordered if vocab.is_subclass(mentions[i].cls, role)
                  and not any(mentions[i].start <= mentions[o].start < mentions[i].end
                              for o in ordered if vocab.is_subclass(mentions[o].cls, target))]
        for o in ordered:
            if not vocab.is_subclass(mentions[o].cls, target):
                continue
            same = [a for a in actors if mentions[a].sentence == mentions[o].sentence]
            later = [a for a in actors if mentions[a].start > mentions[o].end]
            if same:
                yield o, same[0]
            elif later:
                yield o, later[0]
            else:
                for h in item_heads:
                    yield o, h

    @staticmethod
    def _endpoint(name: str, m: Match, chunks, by_capture, ctx: Context, heads,
                  subject: list[int]) -> list[int]:
        if name == "$subject":
            return subject
        if name == "$item":
            if not ctx.item:
                return []
            item_heads = heads.get(ctx.item, [])
            if ctx.sub and 1 < len(item_heads) and ctx.sub <= len(item_heads):
                return [item_heads[ctx.sub - 1]]  # 另一方面 explains the item's second clause
            return list(item_heads)
        got = by_capture.get((id(m), name))
        if got is not None:
            return got
        if name not in m.captures:
            return []
        lo, hi = m.captures[name]
        return [t.mention for t in chunks[lo:hi] if t.mention is not None]

    def _head_parts(self, piece: str, pos: int, role: str, tokens) -> list[tuple[int, int]]:
        """The spans of one clause of a problem item's head: the clause, or its parts
        at 、 when each part (of three characters or more) holds a word of the
        ``deficiency_words`` list or a problem of the lexicon (二是系统重复建设、标准不统一:
        two problems; 逾期率、不良率有所上升: one, its first part holds neither)."""
        whole = [(pos, pos + len(piece))]
        if "、" not in piece or self.rs.vocab.core(role) != "Problem":
            return whole
        words = self._deficiency_words
        spans, lo = [], pos
        for p in piece.split("、"):
            hi = lo + len(p)
            typed = any(t.ltype and lo <= t.start and t.end <= hi and
                        self.rs.vocab.core(self.type_class[t.ltype]) == "Problem" for t in tokens)
            if len(p) < 3 or not (typed or any(w in p for w in words)):
                return whole
            spans.append((lo, hi))
            lo = hi + 1
        return spans

    def _section_relations(self, article, ctxs, mentions, relations, heads, item_mentions):
        """Relations between enumeration items: declared by section rules."""
        by_section: dict[int, Context] = {}
        for ctx in ctxs:
            if ctx.section is not None and isinstance(ctx.section_rule, SectionRule):
                by_section.setdefault(ctx.section, ctx)
        head_sentence = {}
        for sent, ctx in zip(article.sentences, ctxs):
            if ctx.head:
                head_sentence[ctx.item] = sent.index
        head_ctx = {ctx.item: ctx for ctx in ctxs if ctx.head}
        for item in sorted(heads, key=lambda k: (k[0] is None, k[0] or 0, k[1])):
            hctx = head_ctx.get(item)
            if hctx is None or hctx.section_rule is None:
                continue
            rule = hctx.section_rule
            for pred, target, _scope in rule.relate:
                for o, h in self._nearest(item_mentions.get(item, []), heads[item], hctx.role,
                                          target, mentions):
                    if self.rs.vocab.fits(pred, mentions[h].cls, mentions[o].cls):
                        relations.append(Relation(mentions[h], pred, mentions[o], rule.id,
                                                  article.id, mentions[o].sentence))
        for sec, ctx in sorted(by_section.items()):
            rule = ctx.section_rule
            if rule is None:
                continue
            items = sorted(k for k in heads if k and k[0] == sec)
            if rule.align:
                prev = [s for s, c in by_section.items() if s < sec and c.section_rule and
                        c.role and c.role != ctx.role]
                if not prev:
                    continue
                psec = max(prev)
                for (s, n) in items:
                    mine, theirs = heads.get((s, n), []), heads.get((psec, n), [])
                    pairs = (list(zip(mine, theirs)) if len(mine) == len(theirs)
                             else [(a, b) for a in mine for b in theirs])
                    for a, b in pairs:
                        if self.rs.vocab.fits("addresses", mentions[a].cls, mentions[b].cls):
                            relations.append(Relation(mentions[a], "addresses", mentions[b], rule.id,
                                                      article.id, head_sentence[(s, n)]))


def _subject(chunks: list[Token], leading=(), skip=(), says=(), owners=(), time_ends=(),
             aim_actors=(frozenset(), frozenset())) -> list[int]:
    """The sentence's subject: the entity tokens (and their coordinates, 政府和行业协会)
    before the first verb, after a short leading phrase (同时，/ 例如，/ X：/ a person's X认为，),
    after an opening clause of time (某部印发《意见》以来，: a word of ``time_ends`` before
    its comma), after an opening aim that an actor and a modal follow (建设统一数据市场，政府
    要……: ``aim_actors``, the actor classes and the modals) and after a leading verb of
    encouragement (鼓励科技企业……: the encouraged actor); of a relative clause (成都银行推出的
    “蓉易贷”) or an owner's (某集团旗下的某银行: a word of ``owners``), the head; never a name
    inside a title's 《》."""
    start = 0
    first = _time_clause_end(chunks, time_ends)
    if first is not None:
        start = first + 1
    actor_classes, modals = aim_actors
    for i, t in enumerate(chunks[start:start + 8], start):
        if t.text in ("，", "：", ":", ","):
            if all(c.mention is None for c in chunks[:i]) or t.text in "：:" or (
                    any(c.text in says for c in chunks[:i]) and
                    any(c.ent == "Person" for c in chunks[:i] if c.mention is not None)):
                start = i + 1  # a person's words (X认为，……): the speaker is not the subject
            elif i + 2 < len(chunks) and chunks[i + 1].ent in actor_classes \
                    and chunks[i + 2].text in modals \
                    and not any(c.ent in actor_classes for c in chunks[start:i]):
                start = i + 1  # an opening aim, then who is to act on it
            break
    # skip pronouns and interview words (您认为 / 我认为) before the subject
    while start < len(chunks) and (chunks[start].pos in ("bos", "r", "d", "c") or
                                   chunks[start].text in skip):
        start += 1
    if start < len(chunks) and chunks[start].text in leading:
        start += 1
    out: list[int] = []
    j = start
    while j < len(chunks):
        t = chunks[j]
        if t.text == "《" and t.mention is None:  # a title naming its issuer is no subject
            j = next((k for k in range(j + 1, len(chunks)) if chunks[k].text == "》"), len(chunks))
        elif t.mention is not None:
            out.append(t.mention)
        elif out and (_relative(chunks, j) or t.text in owners and j + 1 < len(chunks)
                      and chunks[j + 1].text == "的") and j + 2 < len(chunks) \
                and chunks[j + 2].mention is not None:
            out, j = [], j + 2  # a relative clause (成都银行推出的“蓉易贷”): its head is the subject
            continue
        elif t.pos.startswith("v") or t.pos in ("p", "l", "i") or t.text in ("，", "。", "；", "：", "是"):
            break
        j += 1
    return out


def _time_clause_end(chunks: list[Token], time_ends) -> int | None:
    """The index of the comma that closes an opening clause of time (……印发以来，), if any."""
    for i, t in enumerate(chunks):
        if t.mention is None and t.text in CLAUSE_MARKS:
            return i if t.text in "，," and i > 0 and chunks[i - 1].text in time_ends else None
    return None


def _named_as(text: str, m: Mention, head: str) -> bool:
    """Whether mention ``m`` is named with ``head`` (a kind word: 平台, 产品): in its label or
    right after it in its clause (“某某”一站式服务平台)."""
    if len(head) < 2 or head in m.label:
        return len(head) >= 2
    after = re.split(r"[，。；：！？、,;:!?]", text[m.end:m.end + 12], maxsplit=1)[0]
    return head in after


def _receiving(chunks: list[Token], marks, joins, separators, is_place=None) -> set[int]:
    """Indices of the entity chunks that receive rather than act: the entity right after a
    word of ``marks`` (为小微企业开辟……) and those of the same noun phrase after it, joined by
    list separators or words of ``joins`` (帮助企业特别是中小微企业改善……), also across plain
    nouns and modifiers that are no entity (向广大农户和个体工商户提供……) and across a place
    that opens the phrase (为某园区一家企业发放……: the place tells where the firm is)."""
    out: set[int] = set()
    for i, t in enumerate(chunks):
        if t.mention is not None or t.text not in marks or t.quoted:
            continue
        j, joined = i + 1, True  # joined: the next entity still belongs to the phrase
        while j < len(chunks):
            c = chunks[j]
            if c.mention is not None and joined:
                out.add(j)
                joined = is_place is not None and is_place(c.mention)
            elif c.text in separators or c.text in joins:
                joined = True
            elif j + 1 < len(chunks) and c.text + chunks[j + 1].text in joins:
                j, joined = j + 1, True
            elif c.mention is None and c.text not in CLAUSE_MARKS and \
                    (c.pos.startswith("n") or c.pos in ("m", "q", "b", "a", "uj")):
                pass  # a plain noun or modifier of the phrase (广大, 企业)
            else:
                break
            j += 1
    return out


def _relative(chunks: list[Token], j: int) -> bool:
    """Whether a verb and 的 at ``j`` close a relative clause (成都银行推出的……)."""
    return chunks[j].pos.startswith("v") and j + 1 < len(chunks) and chunks[j + 1].text == "的"


def _applies(rule: Rule, ctx: Context) -> bool:
    if rule.sections is not None and ctx.role not in rule.sections:
        return False
    if rule.item is not None and (ctx.item is not None) != rule.item:
        return False
    if rule.head is not None and ctx.head != rule.head:
        return False
    return True


def _split(tokens: list[Token], separators, before=None, after=None, nouns=frozenset()
           ) -> list[list[Token]]:
    """Items of a list (also adjacent quoted names, “甲贷”“乙贷”, when neither ``before`` nor
    ``after`` is given); with ``before``, split only where the next word is in it and both
    sides are phrases of two words or more (巩固和提升X is one measure), and not at 与/或,
    which join the two objects of one action (统筹优化供给与扩大需求), nor between two verbs
    sharing one noun (的监测和化解能力: _shared_head); with ``after``, only
    where the word before ends with one of its heads (A体系、B体系 but not 产品和服务体系),
    or is a name found before (某某工程和某某工程)."""
    groups: list[list[Token]] = [[]]
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else None
        prev = tokens[i - 1].text if i > 0 else ""
        if before is None and after is None and t.text == "“" and prev == "”" and groups[-1]:
            groups.append([t])  # “甲贷”“乙贷”: adjacent quoted names are items of a list
            continue
        if t.text in separators and t.mention is None and (after is None or (
                prev.endswith(after) and (len(groups[-1]) >= 2 or groups[-1][-1].mention is not None))) and (before is None or (
                nxt in before and t.text not in OBJECT_JOINERS and len(groups[-1]) >= 2
                and _phrase_length(tokens, i + 1, separators) >= 2
                and not _shared_head(tokens, i, separators, nouns))):
            groups.append([])
        else:
            groups[-1].append(t)
    return [g for g in groups if g]


# predicates whose objects a clause's face verb ends (面临A风险 is no object of 治理, 推动,
# 依托); a cause leads to what comes up (导致出现A)
_FACED_PREDICATES = frozenset({"addresses", "enables", "uses"})
OBJECT_JOINERS = frozenset({"与", "或"})  # join the objects of one action, not two actions


def _first_object(group: list[Token], verbs) -> int | None:
    """合理布局应急仓库、救援力量和备用设施: one verb, a list of objects; readers often name
    the measure by its verb and first object. The end offset of that first object, or None
    when the group opens with no verb, names examples (A、B等领域) or has no 、 list."""
    if len(group) < 4 or not (group[0].pos.startswith("v") or group[0].text in verbs) \
            or any(t.text == "等" for t in group):
        return None
    for i, t in enumerate(group):
        if t.text == "、" and t.mention is None:
            return group[i - 1].end if i >= 2 else None
    return None


def _shared_head(tokens: list[Token], i: int, separators, nouns=frozenset()) -> bool:
    """X的监测和化解能力: a verbal noun after 的, then a verb and a single noun after the
    joiner, modify that noun together (the capacity to monitor and to defuse X): one measure.
    Likewise a word ending with a verbal noun (or one) and a verbal noun of ``nouns`` after the
    joiner (城市运行和治理智能中枢: the hub of running and governing the city)."""
    if i >= 2 and tokens[i - 2].text == "的" and tokens[i - 1].pos == "vn" \
            and _phrase_length(tokens, i + 1, separators) == 2:
        return True
    return 1 <= i < len(tokens) - 1 and tokens[i + 1].text in nouns \
        and tokens[i + 1].mention is None \
        and (tokens[i - 1].pos == "vn" or tokens[i - 1].text[-2:] in nouns)


def _phrase_length(tokens: list[Token], i: int, separators) -> int:
    """Words from ``i`` to the next separator."""
    n = 0
    while i + n < len(tokens) and (tokens[i + n].text not in separators
                                   or tokens[i + n].mention is not None):
        n += 1
    return n


def _chunk(tokens: list[Token], mentions: list[Mention], local: list[int]) -> list[Token]:
    """Replace the tokens covered by this sentence's outermost mentions by one token each."""
    spans = sorted(((mentions[i].start, -mentions[i].end, i) for i in local))
    outer: list[tuple[int, int, int]] = []
    for start, neg_end, i in spans:
        end = -neg_end
        if outer and start < outer[-1][1]:
            continue
        outer.append((start, end, i))
    if not outer:
        return tokens
    out: list[Token] = []
    k = 0
    for t in tokens:
        while k < len(outer) and outer[k][1] <= t.start:
            k += 1
        if k < len(outer) and t.start < outer[k][1] and outer[k][0] < t.end:
            start, end, i = outer[k]
            if not out or out[-1].mention != i:
                m = mentions[i]
                out.append(Token(m.label, "ent", start, end, None, t.quoted, m.cls, i))
            continue
        out.append(t)
    return out


def _only_inside(mentions: list[Mention], vocab, core: str, holders) -> dict[int, str]:
    """Mentions of the ``core`` class whose label is named only inside other entities:
    ``holders(m)`` gives the labels of what holds mention ``m`` (empty: named on its own,
    so every mention of the label stays). Index -> a holder's label."""
    held: dict[str, set[str]] = {}
    by_label: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        if vocab.core(m.cls) != core:
            continue
        by_label.setdefault(m.label, []).append(i)
        held.setdefault(m.label, set()).update(holders(m) or {""})
    return {i: sorted(h)[0] for label, h in held.items() if "" not in h for i in by_label[label]}


_UNIT_WORDS = frozenset({"省", "市", "区", "县", "州", "旗", "盟", "镇", "乡", "村", "街道", "自治区",
                         "自治州", "自治县", "、", ",", "，"})
_ASIDE_MARKS = {"（": "）", "(": ")"}


def _drop_unit_asides(tokens: list[Token]) -> list[Token]:
    """Tokens without the asides of policy texts that widen a unit of government (每个市
    （州）, 各省（区、市）, 各县（市、区）): the clause reads on across them, so a measure
    is not cut at the bracket. Offsets stay those of the text: a label spanning the aside
    keeps it."""
    out: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        close = _ASIDE_MARKS.get(tokens[i].text)
        if close is not None and out and out[-1].text[-1:] in "省市区县州旗盟镇乡村":
            j = i + 1
            while j < n and j - i <= 6 and tokens[j].text in _UNIT_WORDS:
                j += 1
            if j < n and j > i + 1 and tokens[j].text == close:
                i = j + 1  # the aside and its brackets
                continue
        out.append(tokens[i])
        i += 1
    return out


def _launched_at(chunks: list[Token], i: int, verbs: frozenset) -> bool:
    """Whether the entity chunk at ``i`` follows a launching verb, maybe with 了 between
    (推出“某贷”; 搭建了“某某云”)."""
    j = i - 1
    if j > 0 and chunks[j].text == "了":
        j -= 1
    return j >= 0 and chunks[j].text in verbs


_OPENING_MARKS = "《“「‘\"'"
_GIVEN_NAME_TAGS = frozenset({"nr", "nrt", "nrfg"})


def _join_names(tokens: list[Token]) -> list[Token]:
    """A three-character name jieba cut in two (李/nr 淑芬/nrt, 白光/nr 迪/nr) joined into
    one name token (李淑芬/nr): the person rules see a name as one word, as they do
    where jieba keeps it whole (张明/nr)."""
    out: list[Token] = []
    for t in tokens:
        last = out[-1] if out else None
        if last is not None and last.pos == "nr" and last.ltype is None and t.ltype is None \
                and t.pos in _GIVEN_NAME_TAGS and len(last.text) + len(t.text) == 3 \
                and last.end == t.start and last.quoted == t.quoted:
            out[-1] = Token(last.text + t.text, "nr", last.start, t.end, None, t.quoted)
            continue
        out.append(t)
    return out


def _institution_holders(mentions: list[Mention], vocab):
    """``holders(m)``: the labels of the institutions whose names hold mention ``m``, if
    only institutions hold it (empty: named on its own, or inside something else)."""
    by_sentence: dict[int, list[Mention]] = {}  # a holder is in the mention's sentence
    for k in mentions:
        by_sentence.setdefault(k.sentence, []).append(k)

    def holders(m: Mention) -> set[str]:
        held = [k for k in by_sentence.get(m.sentence, ()) if k.start <= m.start and m.end <= k.end
                and (k.start, k.end) != (m.start, m.end)]
        inside = all(vocab.core(k.cls) == "Institution" for k in held)
        return {k.label for k in held} if held and inside else set()
    return holders


def _inner_words(mentions: list[Mention], vocab) -> dict[int, str]:
    """Products named only inside institutions' names (大数据中心 in 成都市大数据中心): words
    of the name, not nodes of their own. Index -> a holder's label. A product named on its
    own or inside a measure (推出“某某链”) stays, and so do concepts named inside measures:
    readers annotate them (README, Quality)."""
    return _only_inside(mentions, vocab, "Product", _institution_holders(mentions, vocab))


def _countries_inside_names(mentions: list[Mention], vocab) -> dict[int, str]:
    """A country named only inside institutions' names (中国 in 中国银行业协会, 中国人民银行)
    in an article that names no country on its own: a word of the names, not a place
    readers mark (probes and bundled articles: 15 such articles without it in the gold, 1
    with it). A country named on its own anywhere (中国, 我国, 美国) keeps them all: readers
    who mark the country link the bodies named after it. Index -> a holder's label."""
    holders = _institution_holders(mentions, vocab)
    countries = {i: holders(m) for i, m in enumerate(mentions)
                 if vocab.is_subclass(m.cls, "Country")}
    if any(not held for held in countries.values()):
        return {}
    return {i: sorted(held)[0] for i, held in countries.items()}


def _modifiers_only(st: ArticleState, text: str, vocab) -> dict[int, str]:
    """Concepts of the lexicon named only right before a noun of another thing (宏观调控工具,
    数字支付服务体系): modifiers, no concepts readers annotate. Index -> the noun's text. A
    concept named once on its own, or by another rule, stays with all its mentions (its
    relations may hang on any of them)."""
    free: set[str] = set()
    by_label: dict[str, list[int]] = {}
    for i, m in enumerate(st.mentions):
        if vocab.core(m.cls) != "Concept":
            continue
        by_label.setdefault(m.label, []).append(i)
        if i not in st.modifiers:
            free.add(m.label)
    return {i: text[st.mentions[i].end:st.mentions[i].end + 2] for label, idxs in by_label.items()
            if label not in free for i in idxs}


def _inside_events(mentions: list[Mention], vocab) -> dict[int, str]:
    """Institutions named only inside the name of a meeting (全国人大 in 十四届全国人大三次会议,
    中央金融委员会 in 中央金融委员会会议): the organiser is part of the event's name, and
    readers annotate the event, not the body. Index -> an event's label."""
    events = [m for m in mentions if vocab.core(m.cls) == "Event"]
    return _only_inside(mentions, vocab, "Institution", lambda m: {
        e.label for e in events if e.sentence == m.sentence and e.start <= m.start
        and m.end <= e.end and (e.start, e.end) != (m.start, m.end)})


def _kinds_of_quoted_names(mentions: list[Mention], text: str, vocab, typed=None
                           ) -> dict[int, Mention]:
    """A product's kind written right after its quoted name (“甲乙管”城市运行管理平台,
    “社区云”基层治理数字化平台) or right before it (线上信用贷款产品“某e贷”): one thing, which readers name by the quoted name (the whole
    as its alternative name), not two. Index of the kind's mention -> the name's mention,
    with the whole as an alternative label; ``typed`` (word -> class) gives the lexicon's
    class of the name where it is finer than the rule's."""
    typed = typed or {}
    index = {id(m): i for i, m in enumerate(mentions)}
    names = {}  # (sentence, where the closing quote mark ends) -> the quoted name
    for m in mentions:
        if vocab.core(m.cls) != "Product":
            continue
        if text[m.start:m.start + 1] == "“" and text[m.end - 1:m.end] == "”":
            names[m.sentence, m.end] = m  # the span holds its quote marks
        elif text[m.start - 1:m.start] == "“" and text[m.end:m.end + 1] == "”":
            names[m.sentence, m.end + 1] = m
    # a quoted name by where its opening quote mark stands
    starts = {(q.sentence, q.start if text[q.start] == "“" else q.start - 1): q
              for q in names.values()}
    quoted = {id(q) for q in names.values()}
    out = {}
    for i, k in enumerate(mentions):
        if vocab.core(k.cls) != "Product":
            continue
        q = names.get((k.sentence, k.start))
        if q is not None and q is not k and text[k.start] != "“":  # “苏科贷”“苏农贷”: no kind
            whole = q.label + k.label
        elif text[k.start] == "“" and 0 < text.find("”", k.start) < k.end - 1:
            # the whole, “甲乙管”平台, found as one product beside its quoted name
            q = names.get((k.sentence, text.find("”", k.start) + 1))
            if q is None or q is k or not k.start <= q.start < q.end <= k.end:
                continue
            whole = k.label
        elif id(k) not in quoted and (q := _named_after_kind(k, text, starts)) is not None:
            # the kind written before the name (推出线上信用贷款产品“某e贷”): the same thing;
            # not a quoted name before another (“甲乙平台”“丙丁平台”: two items)
            whole = text[k.start:q.end].replace("“", "").replace("”", "")
        else:
            continue
        cls = typed.get(q.label, q.cls)  # the lexicon's finer class (a platform word of the lexicon: Platform)
        cls = cls if vocab.is_subclass(cls, q.cls) else q.cls
        if cls == q.cls and vocab.is_subclass(k.cls, q.cls):
            cls = k.cls  # else the kind's (“某某贷”信用贷款产品: a financial product)
        out[i] = replace(q, cls=cls, alts=q.alts + (whole,) if whole not in q.alts else q.alts)
        if cls != q.cls:  # the name's own mention too: one class for the one thing
            out.setdefault(index[id(q)], replace(q, cls=cls))
    return out


# the words of a kind that may stand between a product's kind and its quoted name
# (线上信用贷款产品“某e贷”, 综合金融服务平台“某某通”)
_KIND_HEADS = ("产品", "平台", "系统", "服务", "小程序", "应用", "App", "APP")


def _named_after_kind(kind: Mention, text: str, starts: dict) -> Mention | None:
    """The quoted product name right after a product's kind (线上信用贷款产品“某e贷”, where
    the kind or the head word after it names a kind: 产品, 平台, 服务 …), ending its phrase
    (a clause mark, 、, 和 or 等 after it): an apposition. Not a quoted modifier (信用贷款“秒批”
    服务: a name followed by a noun is a name and its kind, the branch above)."""
    gap = ""
    at = kind.end
    for head in _KIND_HEADS:
        if text.startswith(head, at):
            gap = head
            break
    if not (gap or kind.label.endswith(_KIND_HEADS)):
        return None
    q = starts.get((kind.sentence, at + len(gap)))
    if q is None or q is kind:
        return None
    after = text[q.end + (text[q.end:q.end + 1] == "”"):][:1]
    return q if after in ("", "，", "。", "；", "、", "和", "等", "！", "？", "）", "：") else None


def _place_named_bodies(mentions: list[Mention], vocab, kinds: frozenset = frozenset()
                        ) -> dict[int, Mention]:
    """Institutions named by a generic head (卫生健康局, 政务服务中心, 供销合作社) in an article
    that names exactly one body as a place and that head (北京市卫生健康局, 西湖区政务服务中心):
    the head is that body, named short. Inside the full name it is a word of the name (the
    caller drops it); on its own (卫生健康局负责统筹) it stands for the body. Not a head that
    names a kind of actor (``kinds``, the generic actors: 导致银行不敢贷 is about banks, not
    about 宁波银行). Index -> the full name's mention."""
    places = {(m.sentence, m.start): m.label for m in mentions if vocab.core(m.cls) == "Region"}
    full: dict[str, set] = {}  # head -> labels of place-named bodies ending with it
    first: dict[str, Mention] = {}
    for m in mentions:
        if vocab.core(m.cls) != "Institution":
            continue
        place = places.get((m.sentence, m.start))
        if place and m.label.startswith(place) and len(m.label) - len(place) >= 2:
            head = m.label[len(place):]
            full.setdefault(head, set()).add(m.label)
            first.setdefault(m.label, m)
    return {i: first[next(iter(full[m.label]))] for i, m in enumerate(mentions)
            if vocab.core(m.cls) == "Institution" and len(full.get(m.label, ())) == 1
            and m.label not in kinds}


def _generic_modifiers(st: ArticleState, text: str, vocab) -> dict[int, str]:
    """Generic actors (lists.toml generic_actors: 政府, 高校, 街道) named only right before a
    noun or a place (街道某某新村, 所属高校某某校区) and in no relation: part of a name or a
    modifier, no actor readers annotate. Index -> the noun's text."""
    free: set[str] = set()
    by_label: dict[str, list[int]] = {}
    related = {id(m) for r in st.relations for m in (r.subject, r.object)}
    for i, m in enumerate(st.mentions):
        if vocab.core(m.cls) != "Institution":
            continue
        by_label.setdefault(m.label, []).append(i)
        if i not in st.modifiers or id(m) in related:
            free.add(m.label)
    return {i: text[st.mentions[i].end:st.mentions[i].end + 2] for label, idxs in by_label.items()
            if label not in free for i in idxs}


def _issuing(mentions: list[Mention], vocab, verbs, heads=()) -> dict[int, Mention]:
    """Measures that only issue or launch a product or a document (设立国家创业投资引导基金,
    推出“某某链”, 印发《方案》), also several of them and their kind after them (推出“甲贷”
    “乙贷”等产品, 上线“某某通”线上服务平台: the kind ends in one of `heads`): the thing is the
    entity, named by its own mention, and no reader annotates the act. Index -> the first
    thing's mention."""
    things = {}
    for m in mentions:
        if vocab.core(m.cls) in ("Product", "Document"):
            things.setdefault(m.sentence, []).append(m)
    out = {}
    for i, m in enumerate(mentions):
        if vocab.core(m.cls) != "Remedy":
            continue
        inside = sorted((k for k in things.get(m.sentence, ())
                         if m.start < k.start and k.end <= m.end + 1),  # a closing quote
                        key=lambda k: (k.start, -k.end))
        if not inside:
            continue
        first = inside[0]
        verb = "".join(c for c in m.surface[:first.start - m.start] if c not in QUOTES)
        if verb not in verbs:
            continue
        # the things that follow one another, joined by quotes or a list mark; what
        # follows them is their kind
        pos = first.end
        for k in inside[1:]:
            if k.start < pos:
                continue
            gap = "".join(c for c in m.surface[pos - m.start:k.start - m.start] if c not in QUOTES)
            if gap not in ("", "、", "和", "及", "与"):
                break
            pos = k.end
        rest = "".join(c for c in m.surface[pos - m.start:] if c not in QUOTES)
        if not rest or (heads and len(rest) <= 10 and rest.endswith(heads)
                        and not any(c in rest for c in "，、；")):
            out[i] = first
    return out


def _dedupe(relations: list[Relation]) -> list[Relation]:
    seen = set()
    out = []
    for r in relations:
        key = (r.subject.start, r.subject.end, r.subject.label, r.predicate, r.object.start,
               r.object.end, r.object.label)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


# cue shapes whose words the shape reads itself (the modals of an aim, the use words inside a
# label), not cue words found in a clause
OWN_WORD_SHAPES = frozenset({"aim", "applies", "reasons", "then_now"})
# what follows a cue word that is used as a noun, not as a verb (拓展应用、……; 加快应用。)
_NOUN_AFTER = frozenset(CLAUSE_MARKS) | frozenset("、")


class _CueSentence:
    """One sentence as the cue rules see it: its chunks, the clause of each, its entities,
    and the carried subjects (the sentence's own, the paragraph's actor, the section's
    topic). ``word_cues`` and ``wordless`` give (subject, predicate, object, rule) index
    tuples; the extractor checks them against the ontology and records them."""

    def __init__(self, ex: "Extractor", article: Article, sent: Sentence, chunks: list[Token],
                 local: list[int], st: ArticleState, own: list[int], para_actor: list[int],
                 topic: list[int]):
        self.ex, self.article, self.sent, self.chunks, self.local, self.st = \
            ex, article, sent, chunks, local, st
        self.own, self.para_actor, self.topic = own, para_actor, topic
        # a sentence whose own subject is a place (四川省将设立……) acts itself: the previous
        # sentence's actor does not carry over to it
        self.place_subject = any(ex.rs.vocab.is_subclass(st.mentions[m].cls, "Region") for m in own)
        self.mentions, self.vocab = st.mentions, ex.rs.vocab
        self.clause: list[int] = []
        n = 0
        for t in chunks:
            if t.mention is None and t.text in CLAUSE_MARKS and not t.quoted:
                n += 1
            self.clause.append(n)
        self.ents = [(i, t.mention) for i, t in enumerate(chunks) if t.mention is not None]
        # what an institution launched or carries out in an earlier clause (某行推出某贷，): an
        # earlier subject of a cue whatever its class (``earlier_subject`` does not narrow it)
        # also a product launched or built by a verb of @issue_verbs or @build_verbs with no
        # institution named (该市推出“某贷”，……，缓解了首贷难: the product solves it, as an
        # institution's would; 借助A搭建了“某某云”平台: it uses A)
        self.launched_objs: set[int] = {
            m for i, m in self.ents if _launched_at(chunks, i, ex._launch_verbs)
            and ex.rs.vocab.core(st.mentions[m].cls) == "Product"}
        self.receiving = _receiving(
            chunks, ex._recipient_marks, ex._recipient_joins, ex.rs.cleanup.separators,
            lambda m: self.vocab.is_subclass(self.mentions[m].cls, "Region"))
        self.cue_heads: dict[int, str] = {}  # set by word_cues
        self.opened: list[tuple[str, str, int]] = []  # examples cues of a clause of their own

    def fits(self, cue, role: str, m: int) -> bool:
        """Whether mention ``m`` may be the subject (``s``) or object of ``cue``."""
        cls = self.mentions[m].cls
        allowed = cue.subject if role == "s" else cue.object
        if allowed is not None and cls not in allowed:
            return False
        bound = (self.vocab.domains if role == "s" else self.vocab.ranges) or {}
        return bound.get(cue.predicate) is None or cls in bound[cue.predicate]

    def fallback(self, cue, first: list[int]) -> list[int]:
        """The first of these groups with a fitting subject: ``first``, the sentence's
        subject, the paragraph's actor (not for a sentence whose subject is a place), the
        section's topic."""
        carried = [] if self.place_subject else self.para_actor
        for group in (first, self.own, carried, self.topic):
            got = [m for m in group if self.fits(cue, "s", m)]
            if got:
                return got
        return []

    # ---------------------------------------------------------------- cue words
    def _cue_positions(self) -> tuple[list[int], dict[int, list[int]], dict[int, str]]:
        """Chunks that are cue words; and entities (measures) that start with one, which
        are cues too, their objects the entities inside them."""
        by_word = self.ex._cues_by_word
        cue_at = [i for i, t in enumerate(self.chunks) if t.mention is None and t.text in by_word]
        inside: dict[int, list[int]] = {}
        word_of: dict[int, str] = {i: self.chunks[i].text for i in cue_at}
        for k, t in enumerate(self.chunks):
            if t.mention is None:
                continue
            m = self.mentions[t.mention]
            word = self._opening_word(m)
            if word is None:
                continue
            inner = [j for j in self.local if j != t.mention and m.start <= self.mentions[j].start
                     and self.mentions[j].end <= m.end]
            consequence = any(cue.shape == "consequence"
                              for cue in self.ex._cues_by_word.get(word, ()))
            if inner or consequence:
                # with a consequence cue (制约了……的发挥), the mention itself is the object
                inside[k], word_of[k] = inner, word
                cue_at.append(k)
        cue_at.sort()
        # two words of one means cue side by side (通过运用A、B; 通过“运用A、B等技术”): one
        # cue, the first word's, or the measure's when the second opens one
        at = set(cue_at)

        def same_means(i: int) -> bool:
            a, b = by_word.get(word_of[i - 1], ()), by_word.get(word_of[i], ())
            return bool(a) and all(c.shape == "means" for c in b) and \
                {c.id for c in a} == {c.id for c in b}
        drop = {(i - 1 if i in inside else i) for i in cue_at
                if i - 1 in at and i - 1 not in inside and same_means(i)}
        return [i for i in cue_at if i not in drop], inside, word_of

    def _opening_word(self, m: Mention) -> str | None:
        """The cue word a mention opens with, also after a manner word (坚决防范……)."""
        head = m.surface
        if head.startswith(self.ex._cue_adverbs):  # one test first: most open with none
            head = next(head[len(a):] for a in self.ex._cue_adverbs if head.startswith(a))
        return next((w for w in self.ex._cue_words_by_first.get(head[:1], ())
                     if head.startswith(w)), None)

    def word_cues(self) -> list[tuple[int, str, int, str]]:
        by_word, chunks, clause, ents = self.ex._cues_by_word, self.chunks, self.clause, self.ents
        cue_at, inside, word_of = self._cue_positions()
        # entities that open with a cue word: each is a cue of its own (降低某门槛)
        self.cue_heads = {m: w for _, m in ents
                          if (w := self._opening_word(self.mentions[m])) is not None}
        # entities that are the object of an earlier cue, with the cue's predicates: no
        # subject of a later cue of the same predicate (A缓解了B，降低了C), but a product an
        # institution launched solves what follows (某行推出某贷，解决了融资难)
        taken: dict[int, set[str]] = {}
        launched: dict[str, int] = {}  # cue id -> the first clause where it found both ends
        out = []
        for k in cue_at:
            c = clause[k]
            stop = next((j for j in cue_at if j > k and clause[j] == c), len(chunks))
            # 数字金融治理仍面临A、B等风险: what the clause faces after the cue word is faced,
            # not solved, enabled or used: those objects end at a word of @face_verbs (not
            # one of a relative clause, 乡村治理面临的A: what is solved, nor one right after
            # a verb of preventing, 防止出现A)
            first = k + 2 if chunks[k].text in self.ex._prevent_verbs else k + 1
            faced = next((j for j in range(first, stop) if chunks[j].mention is None
                          and chunks[j].text in self.ex._face_verbs
                          and (j + 1 == len(chunks) or chunks[j + 1].text != "的")), stop)
            prev = max((j for j in cue_at if j < k and clause[j] == c), default=-1)
            cues = by_word[word_of[k]]
            if k in inside:
                cues = [cue for cue in cues if cue.shape in ("forward", "means", "consequence")]
            elif k + 1 < len(chunks) and chunks[k + 1].mention is None and \
                    chunks[k + 1].text in _NOUN_AFTER:
                # a verb of a forward or means cue with no object (拓展应用、……): a noun
                cues = [cue for cue in cues if cue.shape not in ("forward", "means")]
            after = inside[k] if k in inside else \
                [m for i, m in ents if k < i < stop and clause[i] == c]
            named = [chunks[k].mention] if k in inside else []
            # an entity after a word of @recipient_marks receives, it does not act
            before_all = [m for i, m in ents if prev < i < k and clause[i] == c
                          and i not in self.receiving]
            earlier_all = [m for i, m in ents if clause[i] < c and i not in self.receiving]
            for cue in cues:
                if faced < stop and cue.predicate in _FACED_PREDICATES and k not in inside:
                    after_cue = [m for i, m in ents if k < i < faced and clause[i] == c]
                else:
                    after_cue = after
                before = [m for m in before_all if cue.predicate not in taken.get(m, ())]
                earlier = [m for m in earlier_all if cue.predicate not in taken.get(m, ())]
                if cue.shape == "forward" and cue.predicate in self.ex._actor_predicates \
                        and launched.get(cue.id, c) < c and \
                        word_of[k] not in self.ex._issue_verbs and \
                        not any(self.fits(cue, "s", m) for m in before):
                    # 某中心推出某系统，提供A、B等服务: what the earlier clause launched
                    # provides them, not the institution again (a cue from an institution);
                    # but a product issues nothing (某行上线某平台，推出了某贷: the bank's)
                    continue
                if k in inside and cue.shape == "consequence":
                    ends = self._ends(cue, k, named, before, earlier)
                else:
                    ends = self._ends(cue, k, after_cue, before, earlier)
                if ends is None:
                    continue
                subs, objs = ends
                if subs and objs and cue.id not in launched:
                    launched[cue.id] = c
                for s in subs:
                    for o in objs:
                        if not cue.same_class or self.vocab.core(self.mentions[s].cls) == \
                                self.vocab.core(self.mentions[o].cls):
                            out.append((s, cue.predicate, o, cue.id))
                            if cue.predicate in self.ex._actor_predicates:
                                self.launched_objs.add(o)
                if cue.shape in ("forward", "means") and objs and subs:
                    for o in objs:
                        taken.setdefault(o, set()).add(cue.predicate)
        return out

    def _ends(self, cue, k: int, after: list[int], before: list[int], earlier: list[int]
              ) -> tuple[list[int], list[int]] | None:
        """(subjects, objects) of a cue word at chunk ``k`` by the cue's shape."""
        fits, clause, ents, c = self.fits, self.clause, self.ents, self.clause[k]
        if cue.shape in ("forward", "means"):  # A 缓解了 B; A 依托 B
            subs = self._group([m for m in before if fits(cue, "s", m)], last=True)
            if cue.shape == "means":
                # 借助A搭建了“某云”平台; 该行依托A上线“某版”: the product the clause builds or
                # launches after the means (past the building verb, a cue word of its own), or
                # the measure that builds it (whose uses pass to the product), relies on it,
                # rather than who builds it
                built = [m for i, m in ents if i > k and clause[i] == c and fits(cue, "s", m)
                         and (m in self.launched_objs or (
                             self.vocab.core(self.mentions[m].cls) == "Remedy"
                             and self.mentions[m].label.startswith(self.ex._launch_prefixes)))]
                if built:
                    return built, self._group([m for m in after if m not in built
                                               and fits(cue, "o", m)], last=False)
            if not subs and cue.shape == "means":
                # 通过 B，A: the next clause's measures
                subs = [m for i, m in ents if clause[i] == c + 1 and fits(cue, "s", m)
                        and self.vocab.core(self.mentions[m].cls) in MEANS_USERS]
                if not subs and self.chunks[k].text in self.ex._use_verbs:
                    # 借助某平台，银行可以……: the actor that opens the next clause uses it
                    first = next(((i, m) for i, m in ents if clause[i] == c + 1), None)
                    if first is not None and fits(cue, "s", first[1]) and \
                            self.chunks[first[0] - 1].text in CLAUSE_MARKS and \
                            self.vocab.core(self.mentions[first[1]].cls) == "Institution":
                        subs = [first[1]]
                # and the product a measure there builds (借助A，打造某某管家: the product
                # relies on A as well as the measure)
                ms = self.mentions
                subs += [j for j in self.local if j not in subs and fits(cue, "s", j)
                         and self.vocab.core(ms[j].cls) == "Product" and any(
                             ms[s].start <= ms[j].start and ms[j].end <= ms[s].end
                             and self.vocab.core(ms[s].cls) == "Remedy" for s in subs)]
            if not subs and cue.shape == "forward" and cue.predicate == "addresses" and c == 1:
                # 该市依托某平台，解决了停车难问题: what the sentence's opening clause relies on
                # solves it (after a product or a measure, 推出A，借助B，破解C, that one does)
                subs = self._means_of_clause(cue, 0)
            if not subs and cue.fallback and not (cue.shape == "forward" and self._means_before(k)):
                # of earlier institutions, the nearest (and its coordinates) acts: 某集团旗下的
                # 某银行，……，向企业提供贷款 (the bank); other earlier subjects all do
                subs = [m for m in earlier if fits(cue, "s", m) and (
                    cue.earlier_subject is None or self.mentions[m].cls in cue.earlier_subject
                    or m in self.launched_objs)]
                if subs and cue.earlier == "first":
                    # the measure the sentence opens with (and its coordinates), not every
                    # step on the way to the cue (A，B，C，解决X: A addresses X); a measure
                    # that is a cue of its own (降低某门槛，……，解决X) answers what it names
                    own = [m for m in subs if self.cue_heads.get(m) not in cue.words]
                    subs = self._group(own, last=False)
                if subs and all(self.vocab.core(self.mentions[m].cls) == "Institution"
                                for m in subs):
                    # not one named only as the means' owner (该行借助某某行的系统，上线了A: 该行)
                    subs = [m for m in subs if not self._means_owner(m)] or subs
                    subs = self._group(subs, last=True)
                subs = self.fallback(cue, subs)
            if not subs and c > 0 and cue.fallback and self._opens_with_back_reference():
                # 此举有助于……，缓解……: a sentence opening with a demonstrative names no
                # actor of its own; its later clauses go on about the previous sentence's
                subs = self._previous_clause(cue)
            return subs, self._group([m for m in after if fits(cue, "o", m)], last=False,
                                     kinds=True)
        if cue.shape == "inverse":  # X 包括 A、B: A partOf X
            subs = [m for m in after if fits(cue, "s", m)] or \
                [m for i, m in ents if clause[i] > c and fits(cue, "s", m)]
            objs = [m for m in before if fits(cue, "o", m)][-1:]
            if not objs and cue.fallback:
                objs = [m for m in earlier if fits(cue, "o", m)][-1:]
            return subs, objs
        if cue.shape == "tail":  # A 是 B 之一: A partOf B
            # B的重要组成部分, but not B的X之一 (融资难的主要诱因之一: one of its causes)
            cue_at = self.chunks[k].start
            objs = [m for m in before if fits(cue, "o", m)
                    and _whole_before(self.article.text[self.mentions[m].end:cue_at],
                                      self.ex._part_modifiers)][-1:]
            return [m for m in before if m not in objs and fits(cue, "s", m)], objs
        if cue.shape == "listed":  # X …, A、B 等 + a generic word: A exemplifies X
            return self._listed(cue, k)
        if cue.shape == "consequence":  # A，导致B: A causes B
            # the cause stands before the cue in its clause, else in the nearest earlier
            # clause of the sentence that has one, else (after 这/此) in the last clause
            # of the previous sentence of the paragraph
            objs = [m for m in after if fits(cue, "o", m)]
            subs = [m for m in before if fits(cue, "s", m)]
            for n in range(c - 1, -1, -1):
                if subs:
                    break
                subs = [m for i, m in ents if clause[i] == n and fits(cue, "s", m)]
            if not subs and any(self.chunks[i].text in _DEMONSTRATIVES
                                for i in range(k) if clause[i] == c):
                subs = self._previous_clause(cue)
            elif not subs and c > 0 and self._opens_with_back_reference() and \
                    not any(clause[i] < c for i, _ in ents):
                # 此举有助于……，缓解……: a sentence opening with a demonstrative names no
                # actor of its own; its later clauses go on about the previous sentence's
                subs = self._previous_clause(cue)
            return subs, objs
        if cue.shape == "purpose":  # 针对 A，B: B addresses A
            objs = [m for i, m in ents if i > k and clause[i] == c and fits(cue, "o", m)]
            subs = [m for i, m in ents if clause[i] > c and fits(cue, "s", m)]
            if not objs and self._refers_back(k):
                # 为此，B; 针对这一问题，B: what the previous sentence of the paragraph names;
                # 针对上述问题，B opening a paragraph: what the previous paragraph names, for
                # the measures and products it takes (not in a question: 针对上述问题，您认为……？)
                idx = self.sent.index
                crossing = self._refers_to_many(k) and idx > 0 and \
                    self.article.sentences[idx - 1].paragraph != self.sent.paragraph and \
                    not self.sent.text.rstrip().endswith(("？", "?"))
                objs = self._previous_sentence(cue, crossing)
                if crossing:
                    subs = [m for m in subs if self.vocab.core(self.mentions[m].cls)
                            in ("Remedy", "Product")]
            return subs, objs
        if cue.shape == "because":  # 由于 A，B: A causes B
            # the cause is the whole rest of the cue's clause: another cue word inside it
            # (由于A、B等C不足: the 等 of a list) does not end it
            subs = [m for i, m in ents if i > k and clause[i] == c and fits(cue, "s", m)]
            objs = [m for i, m in ents if clause[i] > c and fits(cue, "o", m)]
            for n in range(c - 1, -1, -1):
                if objs or not subs:
                    break
                # the effect named first (B，是因为A; 之所以B，是由于A): the nearest earlier
                # clause that names one
                objs = [m for i, m in ents if clause[i] == n and fits(cue, "o", m)]
            return subs, objs
        if cue.shape == "case":  # 以 A 为例: A exemplifies what the sentence before names
            return self._case(cue, k)
        # examples: X，如 A、B
        objs = [m for m in before if fits(cue, "o", m)][-1:] or \
            [m for m in earlier if fits(cue, "o", m)][-1:]
        subs = [m for m in after if fits(cue, "s", m)]
        if not subs and objs and k + 1 < len(self.chunks) and \
                self.chunks[k + 1].text in CLAUSE_MARKS:
            # 比如，A……；B……: the cue is a clause of its own; its examples are the
            # entities of the object's kind in the rest of the sentence
            core = self.vocab.core(self.mentions[objs[0]].cls)
            subs = [m for i, m in ents if clause[i] > c and fits(cue, "s", m)
                    and self.vocab.core(self.mentions[m].cls) == core]
            self.opened.extend((cue.id, cue.predicate, o) for o in objs)
        return subs, objs

    def _case(self, cue, k: int) -> tuple[list[int], list[int]] | None:
        """以 A 为例: the entities between the nearest opener (以) of the cue's clause and
        the cue are examples of the first fitting entity of the sentence's earlier clauses
        (数字政府建设成效显著，以某市为例，……), else the first fitting entity (outermost) of
        the sentence before: of its paragraph, or the last of the paragraph before when the
        cue's sentence opens its own (数字政府建设成效显著。以某市为例，……)."""
        chunks, c = self.chunks, self.clause[k]
        op = max((j for j in range(k) if self.clause[j] == c and chunks[j].mention is None
                  and chunks[j].text in cue.openers), default=None)
        if op is None:
            return None
        subs = [m for i, m in self.ents if op < i < k and self.fits(cue, "s", m)]
        if not subs:
            return None
        # the whole: named in an earlier clause of the sentence (成效显著，以某市为例，……)
        earlier = [m for i, m in self.ents if self.clause[i] < c and self.fits(cue, "o", m)
                   and m not in subs]
        if earlier:
            return subs, earlier[:1]
        idx = self.sent.index - 1  # of its paragraph, or the last of the one before
        if idx < 0:
            return None
        ms = self.mentions
        before = [i for i, m in enumerate(ms) if m.sentence == idx]
        outer = [i for i in before if not any(
            j != i and ms[j].start <= ms[i].start and ms[i].end <= ms[j].end
            and (ms[j].start, ms[j].end) != (ms[i].start, ms[i].end) for j in before)]
        objs = sorted((i for i in outer if self.fits(cue, "o", i) and i not in subs),
                      key=lambda i: (ms[i].start, ms[i].end))
        if all(self.vocab.core(ms[m].cls) == "Institution" for m in subs):
            # a named institution as a case of the kind of actor the sentence before gives
            # a duty (中小银行则应……。以某农商银行为例，……)
            kinds = self.ex._kind_actors
            actors = sorted((i for i in outer if ms[i].label in kinds and i not in subs
                             and self.vocab.core(ms[i].cls) == "Institution"),
                            key=lambda i: (ms[i].start, ms[i].end))
            if actors:
                return subs, actors[:1]
        return subs, objs[:1]

    def continued_examples(self) -> list[tuple[int, str, int, str]]:
        """比如，A……；B……等。: the examples of a cue that is a clause of its own go on in
        the next sentences of its paragraph while each ends with ；: their entities of the
        object's core class exemplify it too."""
        st, text = self.st, self.sent.text.rstrip()
        out = []
        carried = [e[1:] for e in st.open_examples if e[0] == self.sent.paragraph]
        for cid, pred, o in carried:
            core = self.vocab.core(self.mentions[o].cls)
            out += [(m, pred, o, cid) for _, m in self.ents
                    if self.vocab.core(self.mentions[m].cls) == core]
        ends_open = text.endswith(("；", ";"))
        st.open_examples = [(self.sent.paragraph, *e) for e in carried + self.opened] \
            if ends_open else []
        return out

    def _group(self, ms: list[int], last: bool, kinds: bool = False) -> list[int]:
        """The entity of ``ms`` nearest the cue (the last when ``last``, else the first) and
        those coordinated with it (only list separators between, or a word of
        ``partner_marks``: 甲会同乙推进丙): 甲和乙推动丙 has two subjects; 甲在乙中推动丙 has
        one, 甲. With ``kinds`` (objects), the kind a name is given may stand before the
        separator (推出“甲”专属存款和“乙”消费贷款: two products)."""
        if not ms:
            return []
        pos = {t.mention: i for i, t in enumerate(self.chunks) if t.mention is not None}
        if any(m not in pos for m in ms):  # entities nested in a measure: all of them
            return ms
        seps = self.ex.rs.cleanup.separators | self.ex._partner_marks
        order = sorted(ms, key=lambda m: pos[m], reverse=last)
        group = [order[0]]
        for m in order[1:]:
            lo, hi = sorted((pos[group[-1]], pos[m]))
            between = [self.chunks[j] for j in range(lo + 1, hi)]
            if kinds and len(between) <= 3:  # the earlier name's kind, then the separator
                while len(between) > 1 and between[0].mention is None \
                        and between[0].pos.startswith("n") and between[0].text not in seps:
                    between = between[1:]
            if not all(t.text in seps for t in between):
                break
            group.append(m)
        return group

    def _means_owner(self, m: int) -> bool:
        """Whether mention ``m`` stands right after a word of the ``means`` list and before
        的 (借助某某行的系统): the owner of a means, not an actor."""
        pos = [i for i, t in enumerate(self.chunks) if t.mention == m]
        if not pos:
            return False
        i = pos[0]
        return 0 < i < len(self.chunks) - 1 and self.chunks[i - 1].text in self.ex._means \
            and self.chunks[i + 1].text == "的"

    def _means_of_clause(self, cue, c: int) -> list[int]:
        """The entities a clause relies on (依托A, 借助A和B), that fit as the cue's subject."""
        chunks, clause = self.chunks, self.clause
        at = next((j for j in range(len(chunks)) if clause[j] == c and chunks[j].mention is None
                   and chunks[j].text in self.ex._use_verbs), None)
        if at is None or any(clause[i] == c and m in self.launched_objs for i, m in self.ents):
            return []  # 借助A搭建了“某云”平台，防范了B: the platform does
        return self._group([m for i, m in self.ents if i > at and clause[i] == c
                            and self.fits(cue, "s", m)], last=False)

    def _means_before(self, k: int) -> bool:
        """Whether the clause of the cue word at chunk ``k`` names a means before it (以高水平
        监管防范风险; 通过某机制化解风险): what acts is that means, named in the clause, so no
        subject is taken from elsewhere (a word of the ``means`` list, or 以)."""
        c = self.clause[k]
        return any(self.clause[j] == c and self.chunks[j].mention is None
                   and (self.chunks[j].text == "以" or self.chunks[j].text in self.ex._means)
                   for j in range(k))

    def _refers_back(self, k: int) -> bool:
        """Whether the cue word at chunk ``k`` points back (为此, 对此) or its clause names
        nothing but a demonstrative (针对这一问题, 针对上述问题), maybe after a verb of solving
        or preventing (为了解决这一问题, 为了防范此类风险)."""
        if self.chunks[k].text[-1:] in _DEMONSTRATIVES:
            return True
        rest = [t for i, t in enumerate(self.chunks) if i > k and self.clause[i] == self.clause[k]
                and t.text not in CLAUSE_MARKS]
        if rest and rest[0].mention is None and rest[0].text in self.ex._solve_verbs:
            rest = rest[1:]
        return bool(rest) and rest[0].text in _BACK_REFERENCES and \
            all(t.mention is None for t in rest)

    def _refers_to_many(self, k: int) -> bool:
        """Whether the back reference of the cue at chunk ``k`` names several things (这些,
        上述, 以上 …), not one (为此, 这一)."""
        rest = [t.text for i, t in enumerate(self.chunks) if i > k and self.clause[i] == self.clause[k]]
        return any(w in _PLURAL_REFERENCES for w in rest[:3])

    def _previous_sentence(self, cue, paragraph: bool = False) -> list[int]:
        """Fitting objects named in the paragraph's previous sentence; with ``paragraph``,
        for a sentence that opens its paragraph (为解决这些难题，…… after a paragraph of
        problems), those of the whole previous paragraph."""
        idx = self.sent.index - 1
        if idx < 0:
            return []
        sents = self.article.sentences
        if sents[idx].paragraph != self.sent.paragraph and not paragraph:
            return []
        if sents[idx].paragraph == self.sent.paragraph:
            return [i for i, m in enumerate(self.mentions) if m.sentence == idx
                    and self.fits(cue, "o", i)]
        para = sents[idx].paragraph
        first = idx
        while first > 0 and sents[first - 1].paragraph == para:
            first -= 1
        return [i for i, m in enumerate(self.mentions) if first <= m.sentence <= idx
                and self.fits(cue, "o", i)]

    def _opens_with_back_reference(self) -> bool:
        """Whether the sentence opens with a demonstrative subject (此举, 这一做法)."""
        first = next((t for t in self.chunks if t.pos != "bos"), None)
        return first is not None and first.mention is None and first.text in _DEMONSTRATIVES

    def _previous_clause(self, cue) -> list[int]:
        """Fitting subjects in the last clause of the paragraph's previous sentence (the
        outermost mentions there), for a clause that refers back to it (这导致……)."""
        idx = self.sent.index - 1  # a sentence's index is its position in the article
        if idx < 0 or self.article.sentences[idx].paragraph != self.sent.paragraph:
            return []
        prev = self.article.sentences[idx]
        body = prev.text.rstrip("。！？!?；;")
        cut = prev.start + max(body.rfind(ch) for ch in "，；：,;") + 1
        ms = [i for i, m in enumerate(self.mentions) if m.sentence == idx and m.start >= cut]
        outer = [i for i in ms if not any(
            j != i and self.mentions[j].start <= self.mentions[i].start and
            self.mentions[i].end <= self.mentions[j].end and
            (self.mentions[j].start, self.mentions[j].end) !=
            (self.mentions[i].start, self.mentions[i].end) for j in ms)]
        return [i for i in outer if self.fits(cue, "s", i)]

    def _listed(self, cue, k: int) -> tuple[list[int], list[int]] | None:
        chunks, mentions, vocab = self.chunks, self.mentions, self.vocab
        if k + 1 < len(chunks) and chunks[k + 1].mention is not None:
            return None  # A、B 等 + an entity: a pattern rule's case
        if k + 1 >= len(chunks) or (chunks[k + 1].text not in cue.heads and not (
                k + 2 < len(chunks) and chunks[k + 2].mention is None
                and chunks[k + 1].text + chunks[k + 2].text in cue.heads)):
            # 等 + a head of its own (等企业, 等全流程服务): no generic word; a head may be
            # two words (等重点领域)
            return None
        j = k - 1  # the list: entities joined by separators right before the cue
        subs: list[int] = []
        seps = self.ex.rs.cleanup.separators
        while j >= 0 and (chunks[j].mention is not None or chunks[j].text in seps):
            if chunks[j].mention is not None:
                subs.append(chunks[j].mention)
            j -= 1
        if len(subs) < 2:
            return None
        if cue.openers and (j < 0 or chunks[j].text not in cue.openers):
            return None  # the list must follow an opener (聚焦A、B等领域)
        cores = {vocab.core(mentions[m].cls) for m in subs}
        first = min(mentions[m].start for m in subs)
        # the nearest entity of their kind before the list, also one nested in a longer one,
        # in the list's clause or the one before it (大力发展未来产业，聚焦量子科技、……等领域)
        text = self.article.text
        objs = sorted((m for m in self.local if mentions[m].end <= first and m not in subs
                       and vocab.core(mentions[m].cls) in cores and self.fits(cue, "o", m)
                       and sum(c in CLAUSE_MARKS for c in text[mentions[m].end:first]) <= 1),
                      key=lambda m: mentions[m].end)[-1:]
        return [m for m in subs if self.fits(cue, "s", m)], objs

    def _framed_place(self, cue) -> list[int]:
        """The places of a frame that opens the sentence (在黄浦区，……; 在甲市、乙市等地，……),
        the place that acts in a relative clause opening it (武汉市推出的“江城智治”平台……),
        or the one place named by the measure opening it (支持某市打造……)."""
        allw = [c for c in self.chunks if c.pos != "bos"]
        words = allw[:3]
        if len(words) < 3:
            return []
        if words[0].text == "在" and words[1].mention is not None:
            return self._frame_places(cue, allw)
        if _relative(words, 1):
            place = words[0].mention
        else:  # after a modal or adverb, if any (要支持某市……)
            place = self._named_place(cue, words[0] if words[0].mention is not None or
                                      words[0].text in CLAUSE_MARKS else words[1])
        return [place] if place is not None and self.fits(cue, "o", place) else []

    def _frame_places(self, cue, words: list[Token]) -> list[int]:
        """The places of a frame 在 + places + ， (在黄浦区，; 在某市某区，: the innermost;
        在甲市、乙市等地，: each)."""
        places: list[int] = []
        joined = False  # the last place is followed by a list separator
        for w in words[1:]:
            if w.mention is not None:
                if not self.fits(cue, "o", w.mention):
                    return []
                if places and not joined:
                    places[-1] = w.mention  # 某市某区: the innermost
                else:
                    places.append(w.mention)
                joined = False
            elif w.text in ("、", "和", "及", "与") and places:
                joined = True
            elif w.text in ("等", "等地", "地") and places and not joined:
                continue
            else:
                return places if w.text in ("，", ",") and not joined else []
        return []

    def _named_place(self, cue, first: Token) -> int | None:
        """The one place named by a measure that opens the sentence (支持某市打造……;
        构建与某市国际金融中心相匹配的……体系): the sentence is about that place. Not a
        place whose experience is borrowed (借鉴某省经验: @place_borrow_words)."""
        if first.mention is None or self.vocab.core(self.mentions[first.mention].cls) != "Remedy":
            return None
        m = self.mentions[first.mention]
        if any(w in m.surface for w in self.ex._place_borrow_words):
            return None
        inner = {self.mentions[j].label: j for j in self.local if j != first.mention and
                 m.start <= self.mentions[j].start and self.mentions[j].end <= m.end and
                 self.fits(cue, "o", j)}
        return next(iter(inner.values())) if len(inner) == 1 else None

    def _names_product(self, m: int) -> bool:
        """Whether place ``m`` stands right before a quoted name or a product (甲市“乙办”)."""
        i = next((i for i, e in self.ents if e == m), None)
        if i is None or i + 1 >= len(self.chunks):
            return False
        nxt = self.chunks[i + 1]
        if nxt.mention is None:
            return nxt.text == "“"
        return self.vocab.core(self.mentions[nxt.mention].cls) == "Product"

    def _other_place(self, cue, m: int, place: int) -> bool:
        """Whether mention ``m`` names a place of its own, not ``place`` (……，巩固香港……)."""
        a, label = self.mentions[m], self.mentions[place].label
        return any(self.fits(cue, "o", j) and
                   a.start <= self.mentions[j].start and self.mentions[j].end <= a.end and
                   j != m and self.mentions[j].label != label and
                   self.mentions[j].label not in label for j in self.local)

    # ------------------------------------------------------------ no cue word
    def wordless(self) -> list[tuple[int, str, int, str]]:
        out = []
        for cue in self.ex.rs.cues:
            if cue.shape == "actor":
                out += self._actor(cue)
            elif cue.shape == "place_subject":
                # the places that lead it, each of a list (甲市、乙市等地……); of places
                # written one inside the next (某省某市……), the innermost
                places: list[int] = []
                for m in self.own:
                    if not self.fits(cue, "o", m):
                        break
                    if places and self.mentions[m].start == self.mentions[places[-1]].end:
                        places[-1] = m
                    else:
                        places.append(m)
                # a place right before a product's name names whose it is (甲市“乙办”、
                # 丙省“丁通”等平台……): a modifier, not what leads the sentence
                places = [m for m in places if not self._names_product(m)]
                places = places or self._framed_place(cue)
                # ... and the products named inside its measures (推出“某某码”)
                top = {m for _, m in self.ents}
                inner = [m for m in self.local if m not in top and
                         self.vocab.core(self.mentions[m].cls) == "Product"]
                out += [(m, cue.predicate, p, cue.id) for p in places
                        for m in [m for _, m in self.ents] + inner
                        if m != p and self.fits(cue, "s", m) and not self._other_place(cue, m, p)]
            elif cue.shape == "nested":
                out += self._nested(cue)
            elif cue.shape == "aim":
                out += self._aim(cue)
        return out

    def _aim(self, cue) -> list[tuple[int, str, int, str]]:
        """An aim that opens the sentence (after a reporting frame, 习近平指出，) with a word of
        the cue's ``openers`` and runs up to the sentence's first cue word, a modal (做好数字金融
        大文章，需要加快……; 走好……之路要坚持……; 在科技金融领域要……): the entities of the aim,
        also those named inside its words, are served by the measures after the modal."""
        chunks = self.chunks
        k = next((i for i, t in enumerate(chunks) if t.mention is None and t.text in cue.words
                  and not t.quoted), None)
        if k is None:
            return []
        start = 0
        for j in range(k - 1):  # a reporting frame (X指出，) or a connective (因此，) first
            if chunks[j].mention is None and chunks[j + 1].text in ("，", "：", ":", ",") and (
                    chunks[j].text in self.ex._says or
                    (j == start and chunks[j].pos in ("c", "d", "bos"))):
                start = j + 2
        while start < k and chunks[start].pos == "bos":
            start += 1
        if start >= k:
            return []
        lo, hi = chunks[start].start, chunks[k].start
        aim = self.article.text[lo:hi].rstrip("，, ")
        if not any(aim.startswith(w) if "…" not in w else
                   aim.startswith(w.split("…")[0]) and aim.endswith(w.split("…")[1])
                   for w in cue.openers):
            return []
        objs = [m for m in self.local if lo <= self.mentions[m].start
                and self.mentions[m].end <= hi and self.fits(cue, "o", m)]
        subs = [m for i, m in self.ents if i > k and self.fits(cue, "s", m)]
        return [(s, cue.predicate, o, cue.id) for s in subs for o in objs]

    def _actor(self, cue) -> list[tuple[int, str, int, str]]:
        """Each measure is undertaken by the nearest actor before it in its clause, else in
        an earlier clause of the sentence, else (when the cue allows a fallback) by the
        carried subject; actors coordinated with the nearest one (甲和乙、丙等都有相应职责，
        要加强协同) each undertake it."""
        fits, clause, ents = self.fits, self.clause, self.ents
        # a speaker's clause (某大学教授某某认为，): the speaker's institution is no actor,
        # unless what the speaker says is a plan (某局局长某某表示，将……, 下一步……): the
        # speaker's body will carry it out
        speaking = {clause[j] for j, t in enumerate(self.chunks)
                    if t.mention is None and t.text in self.ex._says} \
            & {clause[j] for j, a in ents if self.mentions[a].cls == "Person"}
        opening = {}  # clause -> its first word
        for j, t in enumerate(self.chunks):
            if t.text not in CLAUSE_MARKS:
                opening.setdefault(clause[j], t.text)
        speaking = {c for c in speaking if opening.get(c + 1) not in self.ex._plan_words}
        # an entity after a word of @recipient_marks (帮助企业特别是小微企业……) receives, it
        # does not act
        acting = [(j, a) for j, a in ents if j not in self.receiving]
        # an opening clause of time (某部印发《意见》以来，……) names no actor
        framed = _time_clause_end(self.chunks, self.ex._time_ends)
        if framed is not None:
            acting = [(j, a) for j, a in acting if j > framed]
        # 由甲牵头，乙……，建立……: the leader of an earlier clause undertakes the measures too
        leads = [(j, a) for j, a in acting if j > 0 and self.chunks[j - 1].text == "由"
                 and fits(cue, "s", a) and any(self.chunks[k].text in self.ex._lead_verbs
                                               for k in range(j + 1, len(self.chunks))
                                               if clause[k] == clause[j])]
        out = []
        for i, m in ents:
            if not fits(cue, "o", m):
                continue
            out += [(a, cue.predicate, m, cue.id) for j, a in leads if clause[j] < clause[i]]
            near = [a for j, a in acting if j < i and clause[j] == clause[i] and fits(cue, "s", a)]
            before = [a for j, a in acting if clause[j] < clause[i] and clause[j] not in speaking
                      and fits(cue, "s", a)]
            # carried: the actor of the paragraph's previous sentence only (a section's topic,
            # or an actor sentences back, is too far for who acts)
            carried = [a for a in self.para_actor if fits(cue, "s", a)
                       and self.mentions[a].sentence == self.sent.index - 1] \
                if cue.fallback and not self.place_subject else []
            out += [(s, cue.predicate, m, cue.id)
                    for s in (self._group(near, last=True) or self._group(before, last=True)
                              or carried)]
        return out

    def _nested(self, cue) -> list[tuple[int, str, int, str]]:
        """A name and the entity at its start (a place, a parent body); a short form of the
        name is the same thing, not another. Places (a cue whose objects are places) go down
        a chain of places that opens the name, or that follows a parent body at its start,
        to the innermost one (某市某区某局 → 某区; 某总局某省监管局 → 某省)."""
        mentions, out = self.mentions, []
        places = cue.predicate == "locatedIn"
        for m in list(self.local):
            outer = mentions[m]
            if not self.fits(cue, "s", m):
                continue
            found = False
            same = set(short_forms(self.vocab.core(outer.cls), normalise(outer.label)))
            for o in self.local:
                inner = mentions[o]
                if inner.label in same:
                    found = True
                elif o != m and inner.start == outer.start \
                        and inner.end + MIN_NAME_REST <= outer.end and self.fits(cue, "o", o):
                    out.append((m, cue.predicate, self._innermost(cue, outer, o) if places
                                else o, cue.id))
                    found = True
            if not found and places and "Country" not in (cue.object or ()):
                # a place right after a parent body at the start (not a country: 某大学中国某某研究院)
                for q in self.local:
                    if q != m and mentions[q].start == outer.start \
                            and mentions[q].end < outer.end \
                            and self.vocab.core(mentions[q].cls) == "Institution":
                        o = next((p for p in self.local if mentions[p].start == mentions[q].end
                                  and mentions[p].end + MIN_NAME_REST <= outer.end
                                  and self.fits(cue, "o", p)), None)
                        if o is not None:
                            out.append((m, cue.predicate, self._innermost(cue, outer, o), cue.id))
                            found = True
                            break
            if not found:  # a lexicon word at the start of the name
                o = self.ex._name_prefix(cue, outer, self.article, self.sent, self.st, self.local)
                if o is not None:
                    out.append((m, cue.predicate, o, cue.id))
        return out

    def _innermost(self, cue, outer: Mention, o: int) -> int:
        """The last place of the chain of places that starts with ``o`` inside ``outer``."""
        mentions, seen = self.mentions, {o}
        while True:
            nxt = next((p for p in self.local if p not in seen
                        and mentions[p].start == mentions[o].end
                        and mentions[p].end + MIN_NAME_REST <= outer.end
                        and self.fits(cue, "o", p)), None)
            if nxt is None:
                return o
            o = nxt
            seen.add(o)


# ------------------------------------------------ article-level cue shapes
# Each takes (extractor, cue, article, state) and gives (subject, predicate, object, rule,
# sentence) tuples over the indices of the article's mentions.
def _allowed(classes, m: Mention) -> bool:
    return classes is None or m.cls in classes


def _contains(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """An entity whose label holds the label of another entity of the article: the outer
    one is the subject (``contains``: 纠正市场失灵 addresses 市场失灵), or the inner one
    (``contained``: 运营机构 undertakes 严禁运营机构超范围使用数据)."""
    mentions, out = st.mentions, []
    outer_is_subject = cue.shape in ("contains", "acts_on", "applies")
    actions = tuple(ex.rs.lists.get("remedy_verbs", ())) if cue.shape == "acts_on" else ()
    outer_classes, inner_classes = (cue.subject, cue.object) if outer_is_subject else \
        (cue.object, cue.subject)
    inner: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if _allowed(inner_classes, m) and len(m.label) >= 2:
            inner.setdefault(m.label, i)
    if cue.trim:  # 投保难 also answers to 投保 (车险好投保平台 addresses 投保难)
        for label, i in list(inner.items()):
            core = _trimmed(label, cue.trim)
            if core is not None:
                inner.setdefault(core, i)
    for i, m in enumerate(mentions):
        if not _allowed(outer_classes, m):
            continue
        held = [label for label in inner if label != m.label and label in m.label]
        if outer_is_subject:
            if cue.nesting == "outer":
                # the fullest name where it covers a shorter one: 守住不发生系统性金融风险的
                # 底线 guards against 系统性金融风险, not 金融风险 inside it
                held = [label for label in held if not _covered(m.label, label, held)]
            else:
                # the innermost names only: 构建货币政策体系 works for 货币政策, and
                # 货币政策体系 (which holds it) is no second object
                held = [label for label in held
                        if not any(o != label and o in label for o in held)]
            if cue.shape == "acts_on":
                held = [label for label in held if _acted_on(m.label, label, actions)]
            elif cue.shape == "applies":
                held = [label for label in held if _applied(m.label, label, cue.words)]
            if (cue.single and len(held) > 1) or any(w in m.label for w in cue.unless):
                held = []  # 支持甲、乙等地建设……; 借鉴某省经验
            out += [(i, cue.predicate, inner[label], cue.id, m.sentence) for label in held]
        else:  # the fullest names: 市数据局, not 数据局 inside it
            held = [label for label in held if not any(o != label and label in o for o in held)]
            if cue.openers:  # only an actor put to work: 引导企业与高校……, not 降低银行负债成本
                held = [label for label in held
                        if _put_to_work(m.label, label, cue.openers)]
            out += [(inner[label], cue.predicate, i, cue.id, m.sentence) for label in held]
    return out


def _put_to_work(outer: str, label: str, openers: tuple) -> bool:
    """Whether an occurrence of ``label`` in ``outer`` follows a word of ``openers``, also
    through short coordinates before it (引导企业与高校、科研院所: 科研院所 after 引导; not
    推动成立某某投资公司和某某机构, where a longer object stands between; nor one that ends the
    measure, 安排专项额度支持民营企业, which is given no work)."""
    words = "|".join(re.escape(w) for w in sorted(openers, key=len, reverse=True))
    after = re.compile(f"(?:{words})(?:[^，。；、与和及]{{1,6}}(?:以及|、|与|和|及|同))*$")
    return any(outer.startswith(label, k) and after.search(outer[:k])
               and outer[k + len(label):] != ""  # 安排专项额度支持民营企业: no work given
               and not GROWS.match(outer[k + len(label):])
               for k in range(len(outer)))


def _trimmed(label: str, endings: tuple[str, ...]) -> str | None:
    """``label`` without the first of ``endings`` (longest first) it ends with, and
    without a 的 then left at its end, if at least two characters remain (投保难 → 投保)."""
    for w in endings:
        if label.endswith(w):
            core = label[:-len(w)]
            core = core[:-1] if core.endswith("的") else core
            return core if len(core) >= 2 else None
    return None


def _covered(outer: str, label: str, held: list[str]) -> bool:
    """Whether every occurrence of ``label`` in ``outer`` lies inside an occurrence of a
    longer label of ``held``."""
    spans = [(j, j + len(o)) for o in held if o != label and label in o
             for j in range(len(outer)) if outer.startswith(o, j)]
    starts = [k for k in range(len(outer)) if outer.startswith(label, k)]
    return bool(spans) and all(any(a <= k and k + len(label) <= b for a, b in spans)
                               for k in starts)


def _acted_on(outer: str, inner: str, actions: tuple[str, ...]) -> bool:
    """``inner`` is what the action of ``outer`` works on a part of: right after an action
    word or at the start, with more of the object after it, and no list item (加快数字金融
    基础设施建设 → 数字金融; not 推进人民币国际化, nor 发展科技金融、绿色金融)."""
    k = outer.find(inner)
    end = k + len(inner)
    return (k == 0 or outer[:k].endswith(actions)) and end < len(outer) \
        and outer[end] not in "、和与及"


_LIST_GLUE = "、和与及"


def _applied(outer: str, inner: str, words) -> bool:
    """``outer`` puts ``inner`` to use: right after a use word of ``words`` (运用甲技术优化审批),
    or as an item of the list that follows one, with nothing but that list after it
    (运用甲技术、乙技术); before
    a use word that ends the label (推动甲技术在某领域的应用, 甲技术和实体经济深度融合); or
    before a "+" that names a programme by it (甲技术+行动). Not a technology that is
    built (布局甲技术等设施) or one that only qualifies the head (甲技术应用的门槛)."""
    k = outer.find(inner)
    if k < 0:
        return False
    rest = outer[k + len(inner):]
    if rest[:1] in ("+", "＋"):
        return True
    if any(outer.endswith(w) and len(outer) - len(w) >= k + len(inner) for w in words):
        return True
    if "的" in rest:  # 使用甲技术过程中的安全意识: the technology qualifies the head
        return False
    listed = rest == "" or rest[0] in _LIST_GLUE + "等"
    before = outer[:k]
    for w in words:
        j = before.rfind(w)
        if j < 0:
            continue
        between = before[j + len(w):]
        if between == "" or (listed and between[-1] in _LIST_GLUE and "的" not in between):
            return True
    return False


def _gazetteer(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """Two places of the article, one inside the other by [within]."""
    mentions, vocab, out = st.mentions, ex.rs.vocab, []

    def names(label: str) -> list[str]:
        return [normalise(label), *short_forms("Region", normalise(label))]

    places: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if _allowed(cue.object, m) and vocab.core(m.cls) == "Region":
            for n in names(m.label):
                places.setdefault(n, i)
    for i, m in enumerate(mentions):
        if not _allowed(cue.subject, m) or vocab.core(m.cls) != "Region":
            continue
        parents = next((ex.rs.within[n] for n in names(m.label) if n in ex.rs.within), ())
        for parent in parents:
            found = next((places[pn] for pn in names(parent) if pn in places), None)
            if found is not None:
                out.append((i, cue.predicate, found, cue.id, m.sentence))
    return out


def _paragraphs(article: Article) -> tuple[dict[int, Sentence], dict[int, int]]:
    """The first sentence of each paragraph, and the paragraph of each sentence."""
    first: dict[int, Sentence] = {}
    for sent in article.sentences:
        first.setdefault(sent.paragraph, sent)
    return first, {sent.index: sent.paragraph for sent in article.sentences}


def _lead(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """The later entities of the cue's subject classes in a paragraph that opens with a
    measure of its object classes as its own clause detail it. A paragraph whose first
    sentence is two such measures (加快建设强大的中央银行，推进人民币国际化。) has two leads:
    each later entity details the one it shares most words with (the first on a tie). A
    measure right before a comma and a word of the ``aim_modals`` list (做好……大文章，需要……)
    states an aim: it is no lead, and no part. The cue's ``leads`` narrow the kinds of lead
    taken (``clause``, ``progress``: a topic and how it advances, ……加快构建。)."""
    mentions, text, out = st.mentions, article.text, []
    first_sentence, para_of = _paragraphs(article)
    aims = tuple(sorted(ex.rs.lists.get("aim_modals", ()), key=lambda w: (-len(w), w)))
    wholes: dict[int, list[int]] = {}
    parts: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        para = para_of[m.sentence]
        if _allowed(cue.object, m):
            wholes.setdefault(para, []).append(i)
        if _allowed(cue.subject, m) and not _aim(text, m, aims):
            parts.setdefault(para, []).append(i)
    order = lambda i: (mentions[i].start, -mentions[i].end)  # noqa: E731
    item_of = {i: item for item, local in st.item_mentions.items() for i in local}
    for item, local in st.heads.items():
        item_of.update((i, item) for i in local)
    for para, group in sorted(wholes.items()):
        group.sort(key=order)
        leads, kind = _leads(ex, text, first_sentence[para], [mentions[i] for i in group])
        if not leads or (cue.leads and kind not in cue.leads) \
                or any(_aim(text, m, aims) for m in leads):
            if not cue.leads:
                out += _item_leads(cue, text, st, para, first_sentence[para], para_of, parts, aims)
            continue
        ends = group[:len(leads)]
        end = mentions[ends[-1]].end
        lead_item = item_of.get(ends[0])
        for i in sorted(parts.get(para, ()), key=order):
            if mentions[i].start >= end and i not in ends:
                item = item_of.get(i)
                if lead_item is not None and item is not None and item != lead_item:
                    # 一是A。……二是B。……: the lead is the first item's head; a later
                    # item's head is its sibling, the rest of that item details that head
                    heads = [h for h in st.heads.get(item, ()) if _allowed(cue.object, mentions[h])]
                    if heads and i not in st.heads.get(item, ()):
                        out.append((i, cue.predicate, heads[0], cue.id, mentions[i].sentence))
                    continue
                lead = _closest(mentions[i].label, [mentions[j].label for j in ends])
                out.append((i, cue.predicate, ends[lead], cue.id, mentions[i].sentence))
    return out


def _item_leads(cue, text: str, st: ArticleState, para: int, head: Sentence, para_of,
                parts: dict, aims: tuple) -> list:
    """In a paragraph with no lead that opens a list of measures after a preface (……，必须
    多措并举。首先，要夯实A。应当B，C。其次，……): the head of each enumeration item after
    its first sentence, a measure as its own clause, is detailed by the later measures of
    its item in the paragraph."""
    mentions, out = st.mentions, []
    for item, local in sorted(st.heads.items(), key=lambda kv: min(kv[1])):
        heads = [h for h in local if _allowed(cue.object, mentions[h])
                 and para_of[mentions[h].sentence] == para and mentions[h].sentence != head.index
                 and not _aim(text, mentions[h], aims)]
        if not heads:
            continue
        h = heads[0]
        members = set(st.item_mentions.get(item, ()))
        for i in parts.get(para, ()):
            if i in members and i not in local and mentions[i].start >= mentions[h].end:
                out.append((i, cue.predicate, h, cue.id, mentions[i].sentence))
    return out


MAX_HEADING = 40  # characters: a headline of a section is a short paragraph without an end mark


def _heading(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """A headline that ends with a measure of the cue's object classes (四、不断完善数字经济
    治理体系; “稳、扩、创、增”，保持工业经济行稳致远): the measures of its cue's subject
    classes that open the paragraphs under it as their own clause (一是坚持公平竞争。……;
    筑牢数字化基础。……) detail it, up to the next headline: the first of each paragraph
    (those after it in its sentence detail that one), unless it only restates the
    headline. A headline is a paragraph of one sentence, at most MAX_HEADING characters,
    without an end mark."""
    mentions, text, out = st.mentions, article.text, []
    first_sentence, para_of = _paragraphs(article)
    sentences_of: dict[int, int] = {}
    for sent in article.sentences:
        sentences_of[sent.paragraph] = sentences_of.get(sent.paragraph, 0) + 1
    aims = tuple(sorted(ex.rs.lists.get("aim_modals", ()), key=lambda w: (-len(w), w)))
    by_para: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        by_para.setdefault(para_of[m.sentence], []).append(i)
    order = lambda i: (mentions[i].start, -mentions[i].end)  # noqa: E731
    whole = None
    for para in sorted(first_sentence):
        head = first_sentence[para]
        body = head.text.rstrip()
        if sentences_of[para] == 1 and len(body) <= MAX_HEADING \
                and body[-1:] not in SENTENCE_ENDS + "？?：:":
            ends = [i for i in by_para.get(para, ()) if _allowed(cue.object, mentions[i])
                    and text[mentions[i].end:head.end].strip(QUOTES + EDGE_PUNCT) == ""
                    and _heading_start(text[head.start:mentions[i].start])]
            whole = max(ends, key=lambda i: (mentions[i].end - mentions[i].start, -i)) \
                if ends else None
            continue
        if whole is None:
            continue
        group = sorted((i for i in by_para.get(para, ()) if _allowed(cue.subject, mentions[i])),
                       key=order)
        leads, kind = _leads(ex, text, head, [mentions[i] for i in group]) if group else ([], "")
        if kind != "clause" or any(_aim(text, m, aims) for m in leads):
            continue
        lead = group[0]  # the first lead: the ones after it in its sentence detail it
        if normalise(mentions[lead].label) not in normalise(mentions[whole].label):
            out.append((lead, cue.predicate, whole, cue.id, mentions[lead].sentence))
        # 一是A。……二是B。…… in one paragraph: B, the head of a later item, details it too
        lead_item = next((item for item, local in st.heads.items() if lead in local), None)
        if lead_item is None:
            continue
        for item, local in sorted(st.heads.items(), key=lambda kv: min(kv[1])):
            heads = [h for h in local if _allowed(cue.subject, mentions[h])
                     and para_of[mentions[h].sentence] == para]
            if item != lead_item and heads and \
                    normalise(mentions[heads[0]].label) not in normalise(mentions[whole].label):
                out.append((heads[0], cue.predicate, whole, cue.id, mentions[heads[0]].sentence))
    return out


def _heading_start(before: str) -> bool:
    """What comes before a headline's measure: a short marker (四、), or a clause (“稳、扩、
    创、增”，) — not the first items of a list the measure ends (推进甲化、乙化、)."""
    return len(before) <= MAX_LEAD_OFFSET or before[-1:] in "，,：:"


def _whole_before(between: str, modifiers: tuple) -> bool:
    """Whether the text between a whole and a cue of a part (A 是 B____之一) leaves B the
    whole: nothing, or 的 and a modifier (的重要, 的有机); not 的 and a noun of its own
    (的主要诱因: one of the causes of B, not a part of B). The modifiers: ``part_modifiers``."""
    if "的" not in between:
        return True
    rest = between[between.rindex("的") + 1:]
    for w in modifiers:
        rest = rest.replace(w, "")
    return rest.strip("之的") == ""


def _aim(text: str, m: Mention, modals: tuple) -> bool:
    """A measure right before a comma and a modal (做好……，需要……): an aim."""
    return bool(modals) and text[m.end:m.end + 1] in "，," and text.startswith(modals, m.end + 1)


def _leads(ex: "Extractor", text: str, head: Sentence, group: list[Mention]
           ) -> tuple[list[Mention], str]:
    """The measures that open a paragraph, and the kind of lead (``clause``,
    ``progress``): the first one when it opens the paragraph (after a short enumeration
    marker) or a topic frame (——在政策传导上，进一步完善……，) and ends its clause, or only a
    short predicate follows it in the first sentence (生态保护不断推进。: progress), or
    ends the first sentence after a frame (某某指出，要着力……。《方案》提出，强化信贷支持。);
    with it the measures right after it, each its own clause, when together they make the
    whole first sentence."""
    first = group[0]
    if first.sentence != head.index or first.end >= len(text):
        return [], ""
    offset = first.start - head.start
    if text[head.start:first.start].endswith("从"):
        return [], ""  # 从A，到B，再到C: steps of a series, none leads the others
    framed = offset <= MAX_LEAD_FRAME or _said(ex, text[head.start:first.start])
    topic = offset <= MAX_LEAD_FRAME and _topic_frame(ex, text[head.start:first.start])
    if offset <= MAX_LEAD_OFFSET and len(group) > 1 and group[1].sentence != head.index \
            and 0 < head.end - first.end <= MAX_LEAD_TAIL and text[first.end] not in CLAUSE_MARKS:
        return [first], "progress"  # a topic and its progress: 生态保护不断推进。
    if not ((offset <= MAX_LEAD_OFFSET and text[first.end] in CLAUSE_MARKS)
            or (framed and text[first.end] in SENTENCE_ENDS)
            or (topic and text[first.end] in CLAUSE_MARKS)):
        return [], ""
    if text[first.end] == "；" and len(group) > 1 and group[1].sentence == first.sentence + 1 \
            and group[1].start == _clause_start(text, group[1].start):
        return [], ""  # 着力A；持续B；加快C。: a list of measures, each its own, no lead
    leads = [first]
    for m in group[1:]:
        if m.sentence != head.index or text[leads[-1].end] not in "，；" \
                or m.start != leads[-1].end + 1 or m.end >= len(text) or text[m.end] not in CLAUSE_MARKS:
            break
        leads.append(m)
    if text[leads[-1].end] not in SENTENCE_ENDS:
        return leads[:1], "clause"
    return leads, "clause"


def _clause_start(text: str, i: int, lo: int = 0) -> int:
    """Where the clause holding ``i`` starts: after a mark of a sentence or a clause, at
    ``lo`` (the sentence's start) at the earliest."""
    return max(lo, *(text.rfind(c, lo, i) + 1 for c in "。！？；，：\n"))


def _by_parts(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """A measure (of the cue's object classes) whose label names a whole that has at least
    two parts of its own core class in the article (做好“五篇大文章”, with 科技金融 and 绿色金
    融 part of 五篇大文章), then the paragraphs right after the measure's paragraph that each
    name one of the parts (在科技金融领域要……; 普惠金融……): their entities of the cue's
    subject classes detail the measure. The run ends at the first paragraph naming no
    part. A measure that states an aim (``aim_modals``) is no part."""
    mentions, text, vocab, out = st.mentions, article.text, ex.rs.vocab, []
    first_sentence, para_of = _paragraphs(article)
    aims = tuple(sorted(ex.rs.lists.get("aim_modals", ()), key=lambda w: (-len(w), w)))
    named: dict[str, set[str]] = {}  # a whole's label -> the labels of its parts
    for r in st.relations:
        if r.predicate == cue.predicate and vocab.core(r.subject.cls) == vocab.core(r.object.cls):
            named.setdefault(normalise(r.object.label), set()).add(normalise(r.subject.label))
    wholes = sorted(w for w, ps in named.items() if len(ps) >= 2)
    if not wholes:
        return out
    by_para: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        by_para.setdefault(para_of[m.sentence], []).append(i)
    for i, m in enumerate(mentions):
        label = normalise(m.label)
        whole = next((w for w in wholes if w in label and w != label), None)
        if whole is None or not _allowed(cue.object, m):
            continue
        para = para_of[m.sentence] + 1
        while para in first_sentence and any(
                p in normalise(mentions[j].label) for j in by_para.get(para, ())
                for p in named[whole]):
            out += [(j, cue.predicate, i, cue.id, mentions[j].sentence)
                    for j in by_para.get(para, ())
                    if _allowed(cue.subject, mentions[j]) and not _aim(text, mentions[j], aims)]
            para += 1
    return out


def _topic_frame(ex: "Extractor", frame: str) -> bool:
    """A frame that names the topic a paragraph turns to (——在政策传导上，; 在服务消费方面，进
    一步): 在, a short topic, a word of the ``topic_frame_ends`` list and a comma, then
    at most manner words (``cue_adverbs``)."""
    frame = frame.lstrip("—-－ ")
    for adverb in ex._cue_adverbs:
        if frame.endswith(adverb):
            frame = frame[:-len(adverb)]
            break
    if not frame.startswith("在") or frame[-1:] not in "，,":
        return False
    topic = frame[1:-1]
    return any(topic.endswith(w) and 0 < len(topic) - len(w) <= MAX_TOPIC_FRAME
               and not any(c in topic for c in "，。；：")
               for w in ex.rs.lists.get("topic_frame_ends", ()))


def _said(ex: "Extractor", frame: str) -> bool:
    """A frame that is one clause ending with a verb of saying (《方案》提出，)."""
    frame = frame.rstrip("，：:, ")
    return frame != "" and not any(c in frame for c in "，。；") \
        and any(frame.endswith(w) for w in ex._says)


def _closest(label: str, leads: list[str]) -> int:
    """The lead sharing most two-character runs with a label; the first on a tie."""
    pairs = {label[k:k + 2] for k in range(len(label) - 1)}
    scores = [len(pairs & {lead[k:k + 2] for k in range(len(lead) - 1)}) for lead in leads]
    return scores.index(max(scores))


_CLAUSE_SPLIT = re.compile("[，；：,;:]")
_REASON_COLON = re.compile(r"[^，。；？！,;?!]{0,4}[：:]")
REASON_COUNT_SPAN = 4  # characters around a reason word where a word of @reason_counts counts


def _reasons(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """A sentence that announces several reasons (导致A有多方面原因。; A的原因主要有：; a
    question, 问题出在哪儿？) or sums them up (多种因素导致A): the problems it names before
    its cue word (for a question with none, those of the last clause of the sentence before)
    are caused by the problems after the cue in the sentence, else by the first problems of
    each later sentence of the paragraph; the problems after a summing-up cue in its clause
    are caused by the problems of the paragraph's sentence before (all its parts joined by
    ；)."""
    mentions, text, vocab, out = st.mentions, article.text, ex.rs.vocab, []
    counts = tuple(ex.rs.lists.get("reason_counts", ()))
    words = sorted(cue.words, key=lambda w: (-len(w), w))
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        by_sent.setdefault(m.sentence, []).append(i)

    def fits(role: str, i: int) -> bool:
        cls = mentions[i].cls
        allowed = cue.subject if role == "s" else cue.object
        bound = (vocab.domains if role == "s" else vocab.ranges) or {}
        return (allowed is None or cls in allowed) and \
            (bound.get(cue.predicate) is None or cls in bound[cue.predicate])

    def outer(idx: int, role: str, lo: int = 0, hi: int | None = None) -> list[int]:
        ms = by_sent.get(idx, [])
        hi = len(text) if hi is None else hi
        got = [i for i in ms if fits(role, i) and lo <= mentions[i].start and mentions[i].end <= hi
               and not any(j != i and mentions[j].start <= mentions[i].start
                           and mentions[i].end <= mentions[j].end
                           and mentions[j].end - mentions[j].start
                           > mentions[i].end - mentions[i].start for j in ms)]
        return sorted(got, key=lambda i: (mentions[i].start, mentions[i].end))

    def clauses(sent: Sentence) -> list[tuple[int, int]]:
        spans, start = [], sent.start
        for mk in _CLAUSE_SPLIT.finditer(sent.text):
            spans.append((start, sent.start + mk.start()))
            start = sent.start + mk.end()
        return spans + [(start, sent.end)]

    # a problem another problem leads to (A，制约了B) is an effect, not a listed reason
    caused = {id(r.object) for r in st.relations if r.predicate == cue.predicate}
    sents = article.sentences
    for sent in sents:
        body = sent.text
        found = min(((body.find(w), w) for w in words if w in body), default=None)
        if found is None:
            continue
        p, w = found
        near = body[max(0, p - REASON_COUNT_SPAN):p] + "|" + body[p + len(w):p + len(w) + REASON_COUNT_SPAN]
        several = any(c in near for c in counts)
        colon = _REASON_COLON.match(body, p + len(w)) is not None
        question = body.rstrip().endswith(("？", "?"))
        at, past = sent.start + p, sent.start + p + len(w)
        effects = outer(sent.index, "o", hi=at)
        causes: list[int] = []
        if (several or colon or question) and (effects or (question and not by_sent.get(sent.index))):
            if not effects and sent.index > 0:  # 问题出在哪儿？: the clause before it
                prev = sents[sent.index - 1]
                effects = outer(prev.index, "o", lo=clauses(prev)[-1][0])
            # reasons named in the sentence itself (原因在于：一是A；二是B。: up to its 。)
            # are all: the sentences after it elaborate them; else each later sentence of
            # the paragraph opens with one (有的A；也有B。)
            causes = outer(sent.index, "s", lo=past)
            own = bool(causes)
            for later in sents[sent.index + 1:]:
                if later.paragraph != sent.paragraph or (own and not sents[
                        later.index - 1].text.rstrip().endswith(("；", ";"))):
                    break
                causes += next((got for lo, hi in clauses(later)
                                if (got := outer(later.index, "s", lo, hi))), [])
        elif several and sent.index > 0 and sents[sent.index - 1].paragraph == sent.paragraph:
            # 多种因素导致A: the causes are the sentence before (back to its 。: the
            # parts of one joined by ；)
            hi = next(hi for lo, hi in clauses(sent) if lo <= past <= hi)
            effects = outer(sent.index, "o", lo=past, hi=hi)
            j = sent.index - 1
            while j > 0 and sents[j - 1].paragraph == sent.paragraph and \
                    sents[j - 1].text.rstrip().endswith(("；", ";")):
                j -= 1
            causes = [i for k in range(j, sent.index) for i in outer(k, "s")] if effects else []
        out += [(s, cue.predicate, o, cue.id, sent.index) for s in causes for o in effects
                if s != o and mentions[s].label != mentions[o].label and id(mentions[s]) not in caused]
    return out


def _byline(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """The authors of the header are affiliated with the institutions of the sentence
    holding the cue (an author's note). Their mentions are the header's, not the text's,
    so the relations are recorded here."""
    authors = header_mentions(article)
    for sent in article.sentences if authors else ():
        if any(w in sent.text for w in cue.words):
            for m in st.mentions:
                if m.sentence == sent.index and _allowed(cue.object, m):
                    st.relations += [Relation(a, cue.predicate, m, cue.id, article.id, sent.index)
                                     for a in authors if ex.rs.vocab.fits(cue.predicate, a.cls, m.cls)]
    return []


def _speaker(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """In an interview or a press conference, the measures of a speaker's answer (the
    paragraphs from ``某某：`` to the next question (``记者：``, lists.toml
    ``question_marks``) or speaker) are undertaken by the
    institution the speaker is affiliated with, when no other actor undertakes them."""
    mentions, out = st.mentions, []
    affiliations: dict[str, list[int]] = {}
    index = {id(m): i for i, m in enumerate(mentions)}
    for r in st.relations:
        if r.predicate == "affiliatedWith" and _allowed(cue.subject, r.object) \
                and id(r.object) in index:
            affiliations.setdefault(normalise(r.subject.label), []).append(index[id(r.object)])
    done = {id(r.object) for r in st.relations if r.predicate == cue.predicate}
    # a body that already relies on a thing otherwise (我行依托某局的平台: uses) does not get it
    related = {(r.subject.label, r.object.label) for r in st.relations}
    first, para_of = _paragraphs(article)
    asks = tuple(ex.rs.lists.get("question_marks", ()))
    turn: dict[int, list[int]] = {}  # paragraph -> the institutions of its speaker
    current: list[int] = []
    for para in sorted(first):
        head = first[para]
        colon = next((k for k, c in enumerate(head.text[:MAX_SPEAKER_PREFIX]) if c in "：:"), None)
        if colon is not None:  # a new turn: a question, or a speaker's answer
            names = [normalise(m.label) for m in mentions if m.sentence == head.index
                     and m.cls == "Person" and m.end <= head.start + colon]
            said = normalise(head.text[:colon].strip())
            if not names and said in affiliations:  # 张明： a name met before, with its post
                names = [said]
            if names or head.text[:colon].strip().endswith(asks):
                current = sorted({i for n in names for i in affiliations.get(n, ())})
            # else a label inside the answer (关键词：……): the speaker goes on
        turn[para] = current
    for i, m in enumerate(mentions):
        if _allowed(cue.object, m) and id(m) not in done:
            out += [(a, cue.predicate, i, cue.id, m.sentence)
                    for a in turn.get(para_of[m.sentence], ())
                    if (mentions[a].label, m.label) not in related]
    return out


def _via_part(cue, article: Article, st: ArticleState, pending: list[Relation], vocab) -> None:
    """A relation of the cue's predicate to a part holds for the whole too."""
    whole: dict[int, list[Mention]] = {}
    for r in st.relations + pending:
        if r.predicate == "partOf":
            whole.setdefault(id(r.subject), []).append(r.object)
    for r in list(st.relations):
        if r.predicate == cue.predicate:
            st.relations += [Relation(r.subject, cue.predicate, w, cue.id, article.id, r.sentence)
                             for w in whole.get(id(r.object), ())
                             if w is not r.subject and vocab.fits(cue.predicate, r.subject.cls, w.cls)]


# a then-word that dates a stretch (过去一年, 过去五年) or qualifies a noun (原来的经验) opens no
# contrast
_THEN_NOT_BEFORE = re.compile(r"[的0-9０-９一二三四五六七八九十两几]")
THEN_NOW_SENTENCES = 3  # sentences after the then-sentence (of its paragraph) where the now may open
THEN_NOW_PRODUCT_SENTENCES = 3  # further sentences (also of the next paragraph) for a product


def _then_now(ex: "Extractor", cue, article: Article, st: ArticleState) -> list:
    """A then-and-now contrast: a clause opened by a word of the past (the cue's words:
    以前, 过去) states a burden, a later clause opened by a word of the present (the cue's
    ``openers``: 现在, 如今; in the same sentence or in one of the next sentences of the
    paragraph) tells what changed. The problems from the then-word to the end of its sentence
    are addressed by the entities of the subject classes from the now-word to the end of its
    sentence (only the product a demonstrative now-word names: 该平台通过……); if there are
    none, by the products of the next sentences (也 of the next paragraph: 以前得跑四个部门，
    现在几天就办结了！…… 在“某某办”上提交……)."""
    mentions, vocab, out = st.mentions, ex.rs.vocab, []
    sents = article.sentences
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        by_sent.setdefault(m.sentence, []).append(i)

    def fits(role: str, i: int, product: bool = False) -> bool:
        cls = mentions[i].cls
        if product and vocab.core(cls) != "Product":
            return False
        allowed = cue.subject if role == "s" else cue.object
        bound = (vocab.domains if role == "s" else vocab.ranges) or {}
        return (allowed is None or cls in allowed) and \
            (bound.get(cue.predicate) is None or cls in bound[cue.predicate])

    def opened(sent: Sentence, words, lo: int = 0, then: bool = False) -> int | None:
        """The offset of the first clause of ``sent`` (at or after ``lo``) that opens with one
        of ``words`` (after quotes); a then-word not before a dating or qualifying character."""
        body, start = sent.text, 0
        for piece in re.split(r"([，；：。！？,;:!?])", body):
            at = start + len(piece) - len(piece.lstrip("“”\"\" 　"))
            start += len(piece)
            if at < lo or piece in "，；：。！？,;:!?":
                continue
            for w in sorted(words, key=lambda w: (-len(w), w)):
                if body.startswith(w, at) and not (
                        then and _THEN_NOT_BEFORE.match(body, at + len(w))):
                    return at
        return None

    def within(idx: int, role: str, lo: int, product: bool = False) -> list[int]:
        ms = [i for i in by_sent.get(idx, []) if fits(role, i, product)
              and mentions[i].start >= lo]
        return sorted(ms, key=lambda i: (mentions[i].start, mentions[i].end))

    for sent in sents:
        at = opened(sent, cue.words, then=True)
        if at is None:
            continue
        problems = within(sent.index, "o", sent.start + at)
        if not problems:
            continue
        subs: list[int] = []
        now = opened(sent, cue.openers, at)
        later = sent.index
        if now is None:
            for nxt in sents[sent.index + 1: sent.index + 1 + THEN_NOW_SENTENCES]:
                if nxt.paragraph != sent.paragraph:
                    break
                if (now := opened(nxt, cue.openers)) is not None:
                    later = nxt.index
                    break
        if now is None:
            continue
        subs = within(later, "s", sents[later].start + now)
        # a demonstrative now-word (该平台通过……) names the one that removed the burden
        subs = [i for i in subs if mentions[i].start == sents[later].start + now
                and mentions[i].rule == DEMONSTRATIVE_RULE] or subs
        if not subs:
            for nxt in sents[later + 1: later + 1 + THEN_NOW_PRODUCT_SENTENCES]:
                if nxt.paragraph > sents[later].paragraph + 1:
                    break
                if subs := within(nxt.index, "s", nxt.start, product=True):
                    break
        out += [(s, cue.predicate, o, cue.id, sent.index) for s in subs for o in problems]
    return out
