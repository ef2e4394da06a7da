"""The token matcher: rules compiled to regular expressions over mask characters must
match exactly as the backtracking definition of docs/rules.md says (leftmost, greedy or
lazy, non-overlapping, captures as spans of tokens)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from kg import matcher
from kg.matcher import compile_spec, find
from kg.model import Token
from kg.rules import MAX_PREDICATES, Rule, TokenSpec


def rule_of(*pattern: TokenSpec) -> Rule:
    return Rule("r", "", 0, 1, tuple(pattern), (), (), None, None, None, (), (), "test.toml")


def tokens_of(words: str) -> list[Token]:
    """'银行/n 推出/v' -> tokens; a leading * marks a quoted token, =Cls an entity chunk."""
    out, pos = [], 0
    for item in words.split():
        quoted = item.startswith("*")
        item = item.lstrip("*")
        word, _, tag = item.partition("/")
        ent = tag[1:] if tag.startswith("=") else None
        out.append(Token(word, "ent" if ent else tag or "n", pos, pos + len(word), None, quoted, ent))
        pos += len(word)
    return out


def reference(rule: Rule, tokens: list[Token]) -> list[tuple[int, int, dict]]:
    """The plain backtracking definition: at each position, the first way the pattern
    matches (greedy counts from the longest, lazy from the shortest)."""
    pattern = rule.pattern
    preds = [compile_spec(s, {}) for s in pattern]

    def rec(k, j, caps):
        if k == len(pattern):
            return j, caps
        spec = pattern[k]
        limit = len(tokens) - j if spec.max is None else min(spec.max, len(tokens) - j)
        count = 0
        while count < limit and preds[k](tokens[j + count]):
            count += 1
        order = range(spec.min, count + 1) if spec.lazy else range(count, spec.min - 1, -1)
        for c in order:
            new = dict(caps)
            if c:
                for name in spec.capture:
                    lo, hi = new.get(name, (j, j + c))
                    new[name] = (min(lo, j), max(hi, j + c))
            r = rec(k + 1, j + c, new)
            if r is not None:
                return r
        return None

    out, i = [], 0
    while i < len(tokens):
        r = rec(0, i, {})
        if r is None or r[0] == i:
            i += 1
            continue
        end, caps = r
        out.append((i, end, caps))
        i = max(i + 1, max((hi for _, hi in caps.values()), default=end))
    return out


def spans(rule, tokens):
    return [(m.start, m.end, m.captures) for m in find(rule, tokens, {})]


@pytest.mark.parametrize("pattern, words, expected", [
    # greedy: the longest run, then backtrack for what follows
    ((TokenSpec(pos=("n",), max=None, capture=("x",)), TokenSpec(text="银行")),
     "数字/n 普惠/n 银行/n", [(0, 3, {"x": (0, 2)})]),
    # lazy: the shortest run that lets the rest match
    ((TokenSpec(max=None, lazy=True, capture=("x",)), TokenSpec(text="，")),
     "推出/v 产品/n ，/x 服务/n ，/x", [(0, 3, {"x": (0, 2)}), (2, 5, {"x": (2, 4)})]),
    # one name on two items: the capture spans both
    ((TokenSpec(text="推出", capture=("a",)), TokenSpec(pos=("n",), capture=("a", "b"))),
     "推出/v 产品/n", [(0, 2, {"a": (0, 2), "b": (1, 2)})]),
    # an optional item that matched nothing captures nothing
    ((TokenSpec(text="新", min=0, capture=("adj",)), TokenSpec(text="产品")),
     "推出/v 产品/n", [(1, 2, {})]),
    # a bounded count
    ((TokenSpec(pos=("n",), min=2, max=3),), "a/n b/n c/n d/n e/n", [(0, 3, {}), (3, 5, {})]),
    # a context token after the last capture may open the next match
    ((TokenSpec(pos=("n",), capture=("x",)), TokenSpec(text="、")),
     "a/n 、/x b/n 、/x", [(0, 2, {"x": (0, 1)}), (2, 4, {"x": (2, 3)})]),
    # negation, quoted and entity constraints
    ((TokenSpec(quoted=True, max=None, capture=("q",)),), "“/x *微/n *业贷/n ”/x", [(1, 3, {"q": (1, 3)})]),
    ((TokenSpec(entity=frozenset({"Bank"})), TokenSpec(text="推出", negate=True)),
     "网商银行/=Bank 推出/v 网商银行/=Bank 发布/v", [(2, 4, {})]),
    # a match of no tokens is no match
    ((TokenSpec(text="x", min=0),), "a/n b/n", []),
])
def test_matches(pattern, words, expected):
    rule = rule_of(*pattern)
    tokens = tokens_of(words)
    assert spans(rule, tokens) == expected
    assert reference(rule, tokens) == expected


WORDS = ["银行", "推出", "产品", "，", "的", "贷"]
SPEC = st.builds(
    lambda kind, word, words, neg, q, lazy, caps: TokenSpec(
        text=word if kind == "text" else None,
        in_=frozenset(words) if kind == "in" else None,
        pos=("v",) if kind == "pos" else None,
        quoted=True if kind == "quoted" else None,
        entity=frozenset({"Bank"}) if kind == "entity" else None,
        negate=neg, min=q[0], max=q[1], lazy=lazy and q != (1, 1), capture=caps),
    st.sampled_from(["text", "in", "pos", "quoted", "entity", "any"]),
    st.sampled_from(WORDS), st.sets(st.sampled_from(WORDS), min_size=1, max_size=3), st.booleans(),
    st.sampled_from([(1, 1), (0, 1), (0, None), (1, None), (2, 3), (0, 2)]), st.booleans(),
    st.sampled_from([(), ("a",), ("b",), ("a", "b")]))
TOKEN = st.builds(lambda w, pos, quoted, ent: Token(w, "ent" if ent else pos, 0, 0, None, quoted,
                                                    "Bank" if ent else None),
                  st.sampled_from(WORDS), st.sampled_from(["n", "v", "x"]), st.booleans(),
                  st.booleans())


@settings(max_examples=400, deadline=None)
@given(st.lists(SPEC, min_size=1, max_size=5), st.lists(TOKEN, max_size=14))
def test_compiled_matcher_agrees_with_backtracking(pattern, tokens):
    rule = rule_of(*pattern)
    assert spans(rule, tokens) == reference(rule, tokens)


def test_signature_tables_start_afresh_without_changing_matches(monkeypatch):
    """The interned signatures are bounded: when the table fills, it starts afresh."""
    monkeypatch.setattr(matcher, "MAX_SIGNATURES", 8)
    monkeypatch.setattr(matcher, "SIGNATURES", matcher._Signatures())
    rule = rule_of(TokenSpec(pos=("n",), max=None, capture=("x",)), TokenSpec(text="银行"))
    first = matcher.SIGNATURES.generation
    for i in range(20):  # new words every time: the table overflows again and again
        tokens = tokens_of(f"w{i}/n v{i}/n 银行/n 推出/v")
        assert spans(rule, tokens) == [(0, 3, {"x": (0, 2)})]
    assert matcher.SIGNATURES.generation > first
    assert len(matcher.SIGNATURES.ids) <= 8


def test_as_many_constraints_as_allowed_still_compile():
    words = [f"w{i}" for i in range(MAX_PREDICATES)]
    rule = rule_of(*(TokenSpec(text=w) for w in words))
    assert spans(rule, tokens_of(" ".join(f"{w}/n" for w in words))) == [(0, MAX_PREDICATES, {})]


def test_extraction_is_the_same_when_the_tables_start_afresh_between_sentences(monkeypatch):
    from pathlib import Path

    from kg import pipeline
    from kg.sources import read_sources

    article = read_sources([Path(__file__).parent.parent / "sources" / "digital_finance.txt"])[0]
    extractor = pipeline.load_extractor()
    normal = extractor.extract(article)
    monkeypatch.setattr(matcher, "MAX_SIGNATURES", 50)  # afresh every few sentences
    monkeypatch.setattr(matcher, "SIGNATURES", matcher._Signatures())
    monkeypatch.setattr("kg.extract.SIGNATURES", matcher.SIGNATURES)
    first = matcher.SIGNATURES.generation
    small = extractor.extract(article)
    assert matcher.SIGNATURES.generation > first + 10
    assert small.mentions == normal.mentions
    assert small.relations == normal.relations


def test_masks_made_at_once_equal_the_specs_one_by_one():
    # every shipped rule, on the tokens of the bundled articles and some entity chunks:
    # the mask built from word and tag tables is the one the specs give one by one
    from pathlib import Path

    from kg.curated import load_extractor
    from kg.rules import distinct_constraints
    from kg.sources import read_article

    ex = load_extractor()
    tokens = []
    for path in sorted(Path(__file__).resolve().parent.parent.glob("sources/*.txt")):
        for sent in read_article(path).sentences:
            tokens += ex.segmenter.tokens(sent.text, sent.start)
    tokens += tokens_of("银行/=Bank 推出/v 、/x 和/c *数字金融/=Concept *贷/n 长治/ns 上海市/=City")
    assert len(tokens) > 1000
    for rule in ex.rs.rules:
        shapes = distinct_constraints(rule.pattern)
        maker = matcher._MaskMaker(shapes, ex.type_class)
        preds = [compile_spec(s, ex.type_class) for s in shapes]
        for t in tokens:
            assert maker.mask(t) == sum(1 << b for b, p in enumerate(preds) if p(t)), (rule.id, t)


def test_word_regexes_run_by_re_agree_with_the_bounded_ones():
    # the matcher tests words with the standard library's re where a pattern is linear
    # enough; on every shipped token regex and every word of the bundled articles it must
    # say what the bounded regex says
    from pathlib import Path

    from kg.curated import load_extractor
    from kg.sources import read_article

    ex = load_extractor()

    def regexes(spec):
        out = [spec.regex] if spec.regex is not None else []
        for a in spec.any_of or ():
            out += regexes(a)
        return out

    patterns = {rx for rule in ex.rs.rules for spec in rule.pattern for rx in regexes(spec)}
    assert patterns and any(rx._plain is not None for rx in patterns)
    words = {t.text for path in sorted(Path(__file__).resolve().parent.parent.glob("sources/*.txt"))
             for sent in read_article(path).sentences for t in ex.segmenter.tokens(sent.text)}
    words |= {"中国人民银行成都分行", "河南省自然资源厅", "12", "数字金融", "“", "AI"}
    for rx in patterns:
        for w in words:
            assert rx.word_match(w) == (rx.fullmatch(w) is not None), (rx.pattern, w)


@pytest.mark.parametrize("pattern, linear", [
    ("[\\u4e00-\\u9fff]{2,4}", True), (".*(大学|学院)", True), ("(?!.*(局|厅)$).{1,6}", True),
    ("(a|ab)+", False), ("(ab*)+c", False), ("(?:x(yy|z))*", False),
    ("[^的]{2,}?(?=[^的]{2}率(、[^的]{2}率)*(有所|明显)?上升$)", True), ("x(y|z)?w", True),
    ("(a?a?)+", False), ("(x(y|z)?)+", False), ("(a{2}|b)+", False),
])
def test_which_word_regexes_may_run_unbounded(pattern, linear):
    from kg.rules import linear_enough

    assert linear_enough(pattern) is linear


# ------------------------------------------------------------------ prefilter
def _bundled_tokens(ex) -> list[list[Token]]:
    from pathlib import Path

    from kg.sources import read_article

    out = []
    for path in sorted(Path(__file__).resolve().parent.parent.glob("sources/*.txt")):
        out += [ex.segmenter.tokens(sent.text, sent.start) for sent in read_article(path).sentences]
    out.append(tokens_of("银行/=Bank 推出/v 、/x 和/c *数字金融/=Concept *贷/n 长治/ns 上海市/=City"))
    return out


def _met_by(rule: Rule, tokens: list[Token], type_class: dict) -> bool:
    compiled = matcher.compiled(rule, type_class)
    prefilter = matcher.Prefilter([compiled], type_class)
    matcher.SIGNATURES.start()
    needs = prefilter.needs[id(compiled)]
    return not needs & ~prefilter.met(matcher.SIGNATURES.key(tokens), tokens)


def test_the_prefilter_passes_every_sentence_a_shipped_rule_matches():
    # every shipped rule on every sentence of the bundled articles (whatever its stage
    # and context): where it matches, the sentence meets all its needs
    from kg.curated import load_extractor

    ex = load_extractor()
    sentences = _bundled_tokens(ex)
    skipped = 0
    for rule in ex.rs.rules:
        for tokens in sentences:
            if find(rule, tokens, ex.type_class):
                assert _met_by(rule, tokens, ex.type_class), (rule.id, [t.text for t in tokens])
            else:
                skipped += not _met_by(rule, tokens, ex.type_class)
    assert skipped > len(ex.rs.rules) * len(sentences) // 2  # and it skips most


@settings(max_examples=300, deadline=None)
@given(st.lists(SPEC, min_size=1, max_size=5), st.lists(TOKEN, max_size=14))
def test_the_prefilter_passes_every_token_list_a_rule_matches(pattern, tokens):
    rule = rule_of(*pattern)
    if find(rule, tokens, {}):
        assert _met_by(rule, tokens, {})


def test_extraction_is_the_same_without_the_prefilter(monkeypatch):
    from pathlib import Path

    from kg.curated import load_extractor
    from kg.sources import read_sources

    articles = read_sources([Path(__file__).resolve().parent.parent / "sources"])
    ex = load_extractor()
    filtered = [ex.extract(a) for a in articles]
    monkeypatch.setattr(matcher.Prefilter, "met", lambda self, key, tokens, met=0: -1)  # all met
    for article, before in zip(articles, filtered):
        after = ex.extract(article)
        assert after.mentions == before.mentions
        assert after.relations == before.relations


@settings(max_examples=150, deadline=None)
@given(st.lists(SPEC, min_size=1, max_size=6), st.lists(TOKEN, max_size=14))
def test_a_rule_regex_read_from_the_cache_matches_as_one_compiled_afresh(pattern, tokens):
    """The mask regexes come from the cache folder after the first build; read back,
    each must find what ``re.compile`` of its source finds (both cache paths run)."""
    import re

    from kg import regexcache

    c = matcher.CompiledRule(rule_of(*pattern), {})
    text = c.masks(matcher.SIGNATURES.key(tokens), tokens)
    fresh = re.compile(c.source)
    for rx in (regexcache.read_or_compile(c.source), regexcache.read_or_compile(c.source)):  # made, then read
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in fresh.finditer(text)]
        assert rx.groups == fresh.groups and rx.pattern == c.source


def test_the_regex_cache_survives_damage_and_refuses_nothing_re_accepts(tmp_path, monkeypatch):
    import re

    from kg import regexcache
    from kg.fileio import seal

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    source = "([\x01\x03])+[\x02-\x03]?"
    text = "\x00\x01\x03\x02\x01"
    want = [m.span() for m in re.finditer(source, text)]
    assert [m.span() for m in regexcache.read_or_compile(source).finditer(text)] == want
    (copy,) = (tmp_path / "regex").glob("*.json")
    good = copy.read_bytes()
    for damage in (b"", b"garbage", good[:-2], good.replace(b"[", b"[9,", 1),
                   seal(regexcache._HEADER, b"[0,[1,2,3],0]")):
        copy.write_bytes(damage)  # truncated, checksum wrong, or code _sre refuses
        assert [m.span() for m in regexcache.read_or_compile(source).finditer(text)] == want
    named = "(?P<a>x)y"
    assert regexcache.read_or_compile(named).groupindex == {"a": 1}  # not cached, still compiled
    with pytest.raises(re.error):
        regexcache.read_or_compile("(unclosed")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a folder")  # cannot cache: compiles all the same
    assert [m.span() for m in regexcache.read_or_compile(source).finditer(text)] == want


def test_a_rule_regex_is_read_once_per_process(tmp_path, monkeypatch):
    """The rule loader checks a regex and the matcher uses it: one pattern object."""
    from kg import regexcache

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    source = "[\x01-\x04]+\x05"
    assert regexcache.compile(source) is regexcache.compile(source)
    assert regexcache.compile(source).fullmatch("\x01\x04\x05")
