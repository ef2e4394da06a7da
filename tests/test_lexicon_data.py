"""The curated lexicon in ontology/lexicon/: format, types, and how jieba cuts with it."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict

import pytest

from kg import lexicon, ontology

LEXICON_DIR = lexicon.LEXICON_DIR
FILES = sorted(LEXICON_DIR.glob("*.txt"))
LINE = re.compile(r"^[^\s#]+( [0-9]+)?( [a-z]+)?$")
HAN = re.compile(r"^[\u4e00-\u9fff]$")
DECLARED = set(tomllib.loads((LEXICON_DIR / "types.toml").read_text("utf-8"))["types"])

# A word may carry two types only when listed here, with the reason.
INTENTIONAL_TYPE_CLASHES: dict[str, str] = {}


def _entries(path):
    """(line number, word, freq, type) of each non-comment line of a lexicon file."""
    out = []
    for n, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(" ")
        tag = parts[-1] if len(parts) > 1 and parts[-1].isalpha() else None
        freq = parts[1] if len(parts) > 1 and parts[1].isdigit() else None
        out.append((n, line, parts[0], freq, tag))
    return out


def test_lexicon_files_exist():
    names = {f.name for f in FILES}
    assert {"institutions.txt", "regions.txt", "concepts.txt", "problems.txt", "products.txt",
            "events_documents.txt", "segmentation.txt"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_line_is_word_freq_type_with_a_declared_type(path):
    bad = []
    for n, line, _word, _freq, tag in _entries(path):
        if not LINE.match(line):
            bad.append(f"{path.name}:{n}: not 'word [freq] [type]': {line!r}")
        elif tag and tag not in DECLARED:
            bad.append(f"{path.name}:{n}: type {tag!r} is not declared in types.toml")
    assert bad == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_starts_with_a_header_comment(path):
    assert path.read_text("utf-8").startswith("# ")


CLASSLESS = {name for name, spec in tomllib.loads((LEXICON_DIR / "types.toml")
                                                  .read_text("utf-8"))["types"].items()
             if "class" not in spec}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_typed_files_type_every_word_and_segmentation_gives_only_a_part_of_speech(path):
    """Typed files give every word a class; segmentation.txt gives at most a part of
    speech (a type without a class), so its words never make entities."""
    untyped = path.name == "segmentation.txt"
    wrong = [f"{path.name}:{n}: {word}" for n, _l, word, _f, tag in _entries(path)
             if (tag is None or tag in CLASSLESS) != untyped]
    assert wrong == []


def test_part_of_speech_types_tag_words_for_jieba_and_make_no_entity(segmenter):
    """加快推进 (segmentation.txt, type verb) is one verb to jieba and no entity."""
    from kg.curated import load_extractor
    from kg.ruletest import article_of

    toks = {t.text: t for t in segmenter.tokens("要加快推进数据共享。")}
    assert toks["加快推进"].pos == "v" and toks["加快推进"].ltype is None
    ex = load_extractor().extract(article_of("要加快推进数据共享。"))
    assert "加快推进" not in {m.label for m in ex.mentions}


def test_no_single_character_words():
    """A one-character entry would glue to its neighbours all over the text."""
    short = [f"{p.name}:{n}: {w}" for p in FILES for n, _l, w, _f, _t in _entries(p)
             if HAN.match(w)]
    assert short == []


def test_no_entry_holds_a_list_mark():
    """jieba never keeps 、 inside one token: an entry holding it can never match."""
    dead = [f"{p.name}:{n}: {w}" for p in FILES for n, _l, w, _f, _t in _entries(p) if "、" in w]
    assert dead == []


def test_no_word_listed_twice():
    seen = defaultdict(list)
    for p in FILES:
        for n, _l, word, _f, tag in _entries(p):
            seen[word].append((f"{p.name}:{n}", tag))
    clashes = {w: where for w, where in seen.items()
               if len({t for _, t in where}) > 1 and w not in INTENTIONAL_TYPE_CLASHES}
    repeats = {w: where for w, where in seen.items() if len(where) > 1 and w not in clashes}
    assert (clashes, repeats) == ({}, {})


def test_the_loader_accepts_the_curated_lexicon():
    lex = lexicon.load(None, ontology.load())
    assert lex.type_of()["网商银行"] == "bank"


# ---------------------------------------------------------------- segmentation
@pytest.fixture(scope="module")
def segmenter():
    from kg import segment

    return segment.get(lexicon.load(None, ontology.load()))


@pytest.mark.parametrize("sentence, expected", [
    # the lexicon keeps genre compounds whole and types them
    ("规范数字金融市场竞争秩序", [("数字金融", "concept")]),
    ("要做好科技金融、绿色金融、普惠金融、养老金融、数字金融五篇大文章",
     [("科技金融", "concept"), ("养老金融", "concept"), ("数字金融", "concept"),
      ("五篇大文章", "concept")]),
    ("构建统一的数字金融服务平台", [("数字金融服务平台", "platform")]),
    ("中国人民银行、国家金融监督管理总局、中国证监会联合印发通知",
     [("中国人民银行", "reg"), ("国家金融监督管理总局", "reg"), ("中国证监会", "reg")]),
    ("中国银行业协会发布报告", [("中国银行业协会", "assoc")]),
    ("中国银行业金融机构总资产持续增长", [("银行业金融机构", "fin")]),
    ("工商银行、工行和中国工商银行", [("工商银行", "bank"), ("工行", "bank"),
                                        ("中国工商银行", "bank")]),
    ("深圳前海微众银行推出微业贷", [("深圳前海微众银行", "bank"), ("微业贷", "finprod")]),
    ("缓解科技型中小企业融资难、融资贵问题",
     [("科技型中小企业", "company"), ("融资难", "problem"), ("融资贵", "problem")]),
    ("打破信息孤岛和数据烟囱，弥合数字鸿沟",
     [("信息孤岛", "problem"), ("数据烟囱", "problem"), ("数字鸿沟", "problem")]),
    ("浙江省杭州市依托城市大脑推进一网通办",
     [("浙江省", "province"), ("杭州市", "city"), ("城市大脑", "platform"),
      ("一网通办", "platform")]),
    ("成渝地区双城经济圈和粤港澳大湾区", [("成渝地区双城经济圈", "region"),
                                          ("粤港澳大湾区", "region")]),
    ("推动偏远地区和欠发达地区数字基础设施建设",
     [("偏远地区", "area"), ("欠发达地区", "area"), ("数字基础设施", "concept")]),
    ("前瞻部署6G、卫星互联网和算力网络", [("6G", "tech"), ("卫星互联网", "tech"),
                                          ("算力网络", "tech")]),
    ("中央经济工作会议指出，今年政府工作报告提出", [("中央经济工作会议", "event"),
                                                    ("政府工作报告", "doc")]),
    ("对数字经济新形态实行包容审慎监管", [("包容审慎监管", "remedy")]),
    ("实施东数西算工程", [("东数西算工程", "programme")]),
    # named state bodies, market infrastructure, financial firms and platforms
    ("中组部和国家林业和草原局联合印发", [("中组部", "gov"), ("国家林业和草原局", "gov")]),
    ("中债登和上海清算所发布数据", [("中债登", "fin"), ("上海清算所", "fin")]),
    ("中国银行间市场交易商协会发布指引", [("中国银行间市场交易商协会", "assoc")]),
    ("中信建投和国泰海通证券", [("中信建投", "fin"), ("国泰海通证券", "fin")]),
    ("成都银行推出京东白条和微信分付", [("成都银行", "bank"), ("京东白条", "finprod"),
                                        ("微信分付", "finprod")]),
    ("通过个人所得税App和渝快办办理", [("个人所得税App", "product"), ("渝快办", "product")]),
    # a city bank's name does not swallow the interbank market
    ("青岛银行间市场交易活跃", [("青岛", "city"), ("银行间市场", "concept")]),
    # untyped segmentation words only keep text together
    ("推动数实融合，提升金融服务质效", [("数实融合", None), ("质效", None)]),
    ("将推动更多企业上云", [("更多", None)]),
])
def test_segmentation_keeps_typed_compounds_whole(segmenter, sentence, expected):
    tokens = [(t.text, t.ltype) for t in segmenter.tokens(sentence)]
    missing = [pair for pair in expected if pair not in tokens]
    assert missing == [], tokens


@pytest.mark.parametrize("sentence, absent", [
    # a compound of the lexicon must not swallow a neighbouring word
    ("数字金融五篇大文章", "金融五篇大文章"),
    ("规范数字金融市场竞争秩序", "金融市场"),
    ("构建统一的数字金融服务平台", "数字"),
    ("城乡居民收入稳步增长", "城乡"),
    # city banks (上海银行, 青岛银行) are lexicon words: 银行间 stays with its market
    ("上海银行间同业拆放利率下行", "上海银行"),
    ("重庆银行间债券市场交易活跃", "重庆银行"),
    ("广州银行保险业服务实体经济", "广州银行"),
    # short names that are also common words are not in the lexicon
    ("要发扬钉钉子精神，不赚快钱", "钉钉"),
    ("提高大家保险意识", "大家保险"),
    # 更多 does not take the 多 of 多元化 and 多样化
    ("推动金融服务更多元化", "更多"),
    ("产品更多样化", "更多"),
])
def test_segmentation_does_not_glue_neighbours(segmenter, sentence, absent):
    assert absent not in [t.text for t in segmenter.tokens(sentence)]
