"""Reading and normalising sources: encodings, headers, big and odd inputs (library level).

The CLI side of the same cases (exit codes, ``Error: ...`` lines) is in test_errors.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import SourceError
from kg.normalize import (MAX_SENTENCE, looks_traditional, normalize, paragraphs,
                          split_sentences, to_simplified)
from kg.sources import decode, discover, looks_binary, parse_header, read_article, read_sources

BODY = "网商银行推出了“微业贷”产品。杭州是一座智慧城市。"
TRADITIONAL = "網商銀行推出了「微業貸」產品。杭州是一座智慧城市。數字金融賦能新質生產力發展。"
SIMPLIFIED = "网商银行推出了「微业贷」产品。杭州是一座智慧城市。数字金融赋能新质生产力发展。"
NORMALISED = SIMPLIFIED.replace("「", "“").replace("」", "”")  # corner quotes are read as “”


# ------------------------------------------------------------------ decoding
@pytest.mark.parametrize("data, encoding, expected", [
    (BODY.encode("utf-8"), None, BODY),
    (b"\xef\xbb\xbf" + BODY.encode("utf-8"), None, BODY),  # BOM dropped
    (BODY.encode("utf-16"), None, BODY),  # UTF-16 with its BOM
    (BODY.encode("gbk"), None, BODY),  # detected
    (BODY.encode("gb18030"), None, BODY),
    (TRADITIONAL.encode("gbk"), None, TRADITIONAL),  # traditional characters in GBK
    (TRADITIONAL.encode("big5"), "big5", TRADITIONAL),  # named
    (b"\xef\xbb\xbf" + BODY.encode("utf-8"), "utf-8", BODY),  # named, BOM still dropped
    ("plain ASCII text.".encode(), None, "plain ASCII text."),
], ids=["utf8", "utf8-bom", "utf16-bom", "gbk", "gb18030", "traditional-gbk", "big5-named",
        "utf8-named-bom", "ascii"])
def test_decode_reads_text(data, encoding, expected):
    assert decode(data, Path("a.txt"), encoding) == expected


@pytest.mark.parametrize("data, encoding, message", [
    (bytes(range(256)) * 8, None, "a.txt: binary file, not text"),
    (b"\x89PNG\r\n\x1a\n" + bytes((i * 37 + 11) % 256 for i in range(4000)), None,
     "a.txt: binary file, not text"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "gbk", "a.txt: binary file, not text"),
    ("café crème brûlée à la française, déjà vu.".encode("latin-1"), None,
     "a.txt: not UTF-8 (bad byte at 3) nor GB18030; name the encoding with --encoding"),
    # Big5 bytes decode as GB18030 nonsense: refused rather than read as garbage
    ((TRADITIONAL * 2).encode("big5"), None,
     "a.txt: cannot detect the encoding (not UTF-8, and not Chinese as GB18030); "
     "name it with --encoding"),
    (BODY.encode("gbk"), "utf-8", "a.txt: cannot decode as utf-8 at byte 0"),
    (BODY.encode("utf-8"), "no-such-codec", "unknown encoding 'no-such-codec'"),
], ids=["all-bytes", "png-like", "binary-named-encoding", "latin1", "big5-undetected",
        "wrong-encoding", "unknown-encoding"])
def test_decode_refuses_with_a_message_naming_the_file(data, encoding, message):
    with pytest.raises(SourceError) as e:
        decode(data, Path("a.txt"), encoding)
    assert str(e.value) == message


def test_text_with_a_few_control_characters_is_not_binary():
    text = ("第一段。\f\n" + "正文" * 200 + "。\x1a").encode("utf-8")
    assert not looks_binary(text)


# ------------------------------------------------------------------- headers
@pytest.mark.parametrize("text, meta, body", [
    ("# id: a\n# title: 标题\n\n正文。", {"id": "a", "title": "标题"}, "\n正文。"),
    ("\ufeff# id: a\r\n# author：张三、李四\r\n正文。\r\n", {"id": "a", "author": "张三、李四"}, "正文。\n"),
    ("\n\n# Title: T\n正文", {"title": "T"}, "正文"),
    ("正文。\n# id: not-a-header", {}, "正文。\n# id: not-a-header"),
    ("", {}, ""),
], ids=["plain", "bom-crlf-fullwidth-colon", "leading-blank-lines", "no-header", "empty"])
def test_parse_header(text, meta, body):
    assert parse_header(text, Path("a.txt")) == (meta, body)


@pytest.mark.parametrize("text, message", [
    ("# id a\n正文。", 'a.txt:1: malformed header line, expected "# key: value"'),
    ("# id: a\n#\n正文。", 'a.txt:2: malformed header line, expected "# key: value"'),
    ("# id: a\n# colour: red\n正文。",
     "a.txt:2: unknown header key 'colour' (known: id, title, author, source, date, topic, genre)"),
])
def test_bad_header_lines_name_file_and_line(text, message):
    with pytest.raises(SourceError) as e:
        parse_header(text, Path("a.txt"))
    assert str(e.value) == message


@pytest.mark.parametrize("value, iso", [
    ("2025-05-06", "2025-05-06"), ("2025/5/6", "2025-05-06"), ("2025.5.6", "2025-05-06"),
    ("2025年5月6日", "2025-05-06"), ("２０２５年５月６日", "2025-05-06"), ("2025-05", "2025-05"),
    ("2025年5月", "2025-05"), ("2025", "2025"), ("2025年", "2025"),
])
def test_header_dates_are_read_in_iso_form(value, iso):
    assert parse_header(f"# date: {value}\n正文。", Path("a.txt"))[0] == {"date": iso}


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "昨天", "20250506", "5月6日"])
def test_a_header_date_that_is_no_date_names_file_and_line(value):
    with pytest.raises(SourceError) as e:
        parse_header(f"# id: a\n# date: {value}\n正文。", Path("a.txt"))
    assert str(e.value) == (f"a.txt:2: date {value!r} is not a date (expected 2025-05-06, "
                            "2025年5月6日, 2025-05 or 2025)")


# --------------------------------------------------------- files and folders
def test_discover_and_read_sources(tmp_path):
    (tmp_path / "b.txt").write_text("# id: b\n" + BODY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "notes.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b" \n\t\n")
    (tmp_path / "C.TXT").write_text(BODY, encoding="utf-8")  # a suffix in capitals too
    assert [p.name for p in discover([tmp_path])] == ["C.TXT", "b.txt", "empty.txt", "a.txt"]
    warnings = []
    articles = read_sources([tmp_path], warn=warnings.append)
    assert [a.id for a in articles] == ["C", "a", "b"]
    assert warnings == [f"{tmp_path / 'empty.txt'}: empty source, skipped"]


def test_same_file_named_twice_is_read_once(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(BODY, encoding="utf-8")
    assert [a.id for a in read_sources([f, tmp_path, tmp_path / "." / "a.txt"])] == ["a"]


@pytest.mark.parametrize("name, content, message", [
    ("x.txt", "# id: a b\n正文。", "{p}: bad article id 'a b' from its '# id:' line: letters (Chinese "
     "too), digits, _ . - only, at most 80"),
    ("（）.txt", "正文。", "{p}: bad article id '' from the file name (give it an '# id:' line): letters "
     "(Chinese too), digits, _ . - only, at most 80"),
])
def test_bad_article_id(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as e:
        read_article(p)
    assert str(e.value) == message.format(p=p)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    import kg.sources as sources

    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:  # sparse: costs no disk and is never read
        f.truncate(sources.MAX_BYTES + 1)
    with pytest.raises(SourceError) as e:
        read_article(p)
    assert str(e.value) == f"{p}: file too large ({sources.MAX_BYTES + 1} bytes; limit {sources.MAX_BYTES})"


# ------------------------------------------------------------- normalising
@pytest.mark.parametrize("body, text", [
    ("ＡＩ和６Ｇ技术，ＥＳＧ投资。", "AI和6G技术，ESG投资。"),  # full-width Latin -> ASCII, punctuation kept
    ("发展新质生产力，离\n不开金融支持。", "发展新质生产力，离不开金融支持。"),  # no invented space
    ("使用App和AI\n技术。", "使用App和AI技术。"),
    ("an English\nword。", "an English word。"),
    ("第一段。\n\n第二段。", "第一段。\n第二段。"),
    ("第一段。\r\n\r\n第二段。", "第一段。\n第二段。"),  # CRLF
], ids=["fullwidth", "column-break", "latin-in-chinese", "english-break", "paragraphs", "crlf"])
def test_normalize_text(body, text):
    assert normalize(body, "a")[0] == text


@pytest.mark.parametrize("body, text", [
    # half-width marks written as Chinese punctuation are the full-width ones
    ("推出“链e贷”,缓解了融资难;该行表示:将扩大覆盖面!是否可行?问题突出.该行",
     "推出“链e贷”，缓解了融资难；该行表示：将扩大覆盖面！是否可行？问题突出。该行"),
    ("临江银行(Linjiang Bank)推出\"链e贷\"产品,破解融资难.", "临江银行(Linjiang Bank)推出“链e贷”产品，破解融资难。"),
    ("蚂蚁集团(Ant Group),推出产品", "蚂蚁集团(Ant Group)，推出产品"),
    ("利率为3.85%.该行", "利率为3.85%。该行"),
    # ... but not in numbers, times, addresses, Latin words and ellipses
    ("利率3.85%,共1,000家,时间10:30,网址www.gov.cn,运用AI.这", "利率3.85%，共1,000家，时间10:30，网址www.gov.cn，运用AI.这"),
    ("U.S.政府", "U.S.政府"),
    ("他说...好", "他说...好"),
    ("hello, world. ok? yes!", "hello, world. ok? yes!"),
], ids=["marks", "after-quote", "before-cjk", "after-percent", "numbers", "latin", "ellipsis", "english"])
def test_halfwidth_marks_in_chinese_are_breaks(body, text):
    assert normalize(body, "a")[0] == text


@pytest.mark.parametrize("body, text", [
    # corner quotes and ASCII double quotes in Chinese text are the quotes “”
    ("推出「链e贷」和『甲乙通』。", "推出“链e贷”和“甲乙通”。"),
    ('推出"链e贷"产品,运用"AI"技术。', "推出“链e贷”产品，运用“AI”技术。"),
    ("他说「要用『甲乙通』办事」。", "他说“要用“甲乙通”办事”。"),
    # ... not in English, nor where a quote has no partner (an inch mark)
    ('He said "hi" and left.', 'He said "hi" and left.'),
    ('配备6.1"屏幕的"甲乙"手机。', '配备6.1"屏幕的"甲乙"手机。'),
], ids=["corner", "ascii", "nested", "english", "unbalanced"])
def test_other_quote_marks_in_chinese_are_quotes(body, text):
    assert normalize(body, "a")[0] == text


def test_latin_inside_chinese_stays_whole_tokens():
    from kg.lexicon import load as load_lexicon
    from kg.ontology import load as load_vocab
    from kg.segment import get

    seg = get(load_lexicon(None, load_vocab()))
    text, _ = normalize("推动ＡＩ、6G、ESG投资和App应用发展。", "a")
    words = [t.text for t in seg.tokens(text)]
    for word in ("AI", "6G", "ESG", "App"):
        assert word in words, words


@pytest.mark.parametrize("text, traditional", [
    (TRADITIONAL, True),
    (SIMPLIFIED, False),
    ("数字金融如何更好赋能新质生产力发展——对话宁波财经学院", False),
    ("乾隆年间，后来他在这里工作了很多年，写了很多文章。", False),  # a stray 乾 is not enough
    ("AI 6G", False),
    ("", False),
])
def test_looks_traditional(text, traditional):
    assert looks_traditional(text) is traditional


def test_traditional_article_is_converted_to_simplified():
    text, sentences = normalize(TRADITIONAL, "a")
    assert to_simplified(TRADITIONAL) == SIMPLIFIED
    assert text == NORMALISED
    assert [s.text for s in sentences] == ["网商银行推出了“微业贷”产品。", "杭州是一座智慧城市。",
                                           "数字金融赋能新质生产力发展。"]


def test_simplified_article_is_never_touched():
    body = "乾隆年间的干部后来在乾燥的地方发展数字金融。"
    assert normalize(body, "a")[0] == body


def test_traditional_header_is_converted(tmp_path):
    p = tmp_path / "t.txt"
    p.write_bytes(("# title: 數字金融賦能發展\n# author: 江英華\n\n" + TRADITIONAL).encode("big5"))
    a = read_article(p, encoding="big5")
    assert (a.title, a.authors, a.text) == ("数字金融赋能发展", ("江英华",), NORMALISED)


@pytest.mark.parametrize("paragraph, max_length, pieces", [
    ("甲乙丙。丁戊。", 500, ["甲乙丙。", "丁戊。"]),
    ("甲" * 12, 5, ["甲" * 5, "甲" * 5, "甲" * 2]),  # no punctuation: hard cut
    ("甲甲甲，乙乙乙乙乙，丙", 6, ["甲甲甲，", "乙乙乙乙乙，", "丙"]),  # cut after a clause mark
    ("  甲乙。  ", 500, ["甲乙。"]),
    ("", 500, []),
])
def test_split_sentences_caps_length(paragraph, max_length, pieces):
    spans = split_sentences(paragraph, max_length)
    assert [paragraph[a:b] for a, b in spans] == pieces


# ------------------------------------------------------------- big inputs
def _time(fn, *args):
    """CPU seconds of fn(*args), the least of three runs: a complexity check compares two
    sizes, and one run's noise on a loaded machine (other processes' cache and memory
    pressure) can exceed the small input's whole time."""
    runs = []
    for _ in range(3):
        t = time.process_time()
        fn(*args)
        runs.append(time.process_time() - t)
    return min(runs)


@pytest.mark.parametrize("unit", [
    "数字金融赋能新质生产力",  # no punctuation at all
    "数字金融赋能新质生产力。",  # many short sentences
    "a",  # Latin, one word
    "”",  # closers only
], ids=["no-punctuation", "sentences", "latin", "closers"])
def test_a_1mb_line_without_newline_normalises_in_linear_time(unit):
    big = unit * (1_000_000 // len(unit.encode("utf-8")))
    small = big[: len(big) // 10]
    t_small, t_big = _time(normalize, small, "x"), _time(normalize, big, "x")
    text, sentences = normalize(big, "x")
    assert t_big < 10, f"1 MB line took {t_big:.1f} s of CPU"
    # ten times the input, at most ~ten times the time (+ slack for timer noise): no quadratic step
    assert t_big < 25 * t_small + 0.5, (t_small, t_big)
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences[:50] + sentences[-50:])


def test_many_broken_lines_without_paragraph_end_are_joined_in_linear_time():
    # a paragraph that never ends (every line ends in a comma): joining must not be quadratic
    unit = "发展新质生产力，是一项系统性、长期性工程，\n"
    big = unit * 20000  # ~1.2 MB
    assert len(paragraphs(big)) == 1
    t_small, t_big = _time(paragraphs, big[: len(big) // 10]), _time(paragraphs, big)
    assert t_big < 25 * t_small + 0.5, (t_small, t_big)


PEAK_RSS = r"""
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
from kg.sources import read_article
a = read_article(Path(sys.argv[1]))
try:  # this process's own peak: ru_maxrss also counts the parent's memory, kept across exec
    with open("/proc/self/status") as f:
        peak_kb = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"sentences": len(a.sentences), "chars": len(a.text),
                  "seconds": time.perf_counter() - t, "peak_mb": peak_kb / 1024}))
"""


def test_a_20mb_file_reads_and_normalises_with_bounded_memory(tmp_path):
    """Reading + normalising only: a full build of 20 MB (7M characters) would take
    many minutes of extraction, which is proportional but not a CI-sized test."""
    para = ("发展新质生产力，是一项系统性、长期性工程，离\n不开金融支持。2023年举行的中央"
            "金融工作会议提出，\n要做好科技金融、绿色金融、普惠金融。\n\n")
    p = tmp_path / "big.txt"
    p.write_text("# id: big\n\n" + para * (20_000_000 // len(para.encode("utf-8")) + 1),
                 encoding="utf-8")
    size_mb = p.stat().st_size / 2**20
    assert size_mb >= 19
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, str(p)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["sentences"] > 200_000
    # bounded: a small multiple of the file size (measured ~150 MB for 20 MB)
    assert r["peak_mb"] < 15 * size_mb, r


# ------------------------------------------------------------ article ids (issue 17)
def test_ids_that_give_the_same_iri_are_an_error_naming_both_files(tmp_path):
    a = tmp_path / "src" / "a.txt"
    b = tmp_path / "src" / "b.txt"
    a.parent.mkdir()
    a.write_text("# id: 数字金融\n\n" + BODY, encoding="utf-8")
    b.write_text("# id: x795487e33952\n\n" + BODY, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(a.parent), "--out",
                        str(tmp_path / "out"), "--no-cache"], capture_output=True, text=True,
                       timeout=300)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == (f"Error: article ids '数字金融' ({a}) and 'x795487e33952' ({b}) give the "
                        "same IRI and page name 'x795487e33952': change one of them\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("article_id", [".", "..", ".hidden"])
def test_ids_starting_with_a_dot_are_refused(tmp_path, article_id):
    f = tmp_path / "a.txt"
    f.write_text(f"# id: {article_id}\n\n" + BODY, encoding="utf-8")
    with pytest.raises(SourceError) as e:
        read_article(f)
    assert str(e.value) == (f"{f}: bad article id {article_id!r} (must not start with '.': its "
                            "page would be a hidden file, or name a folder)")


def test_a_header_key_given_twice_is_an_error(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("# id: first\n# title: 标题\n# id: second\n\n" + BODY, encoding="utf-8")
    with pytest.raises(SourceError) as e:
        read_article(f)
    assert str(e.value) == f"{f}:3: header key 'id' given twice (first on line 1)"


# ------------------------------------------------- things a user notices (issue 17)
def test_a_short_big5_file_is_not_read_as_gb18030_gibberish(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    src = tmp_path / "big5.txt"
    src.write_bytes("數位金融發展。".encode("big5"))
    r = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "o"), "--no-pages"])
    assert r.exit_code == 1
    assert r.output == (f"Error: {src}: reads as Big5 (traditional Chinese) as well as GB18030; "
                        "name the encoding with --encoding big5 or --encoding gb18030\n")
    r = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "o"), "--no-pages",
                                  "--encoding", "big5"])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("body, title", [
    # one paragraph a line (a web copy): the first line is the headline
    ("数字金融如何赋能新质生产力\n数字金融发展迅速，成效明显，金融机构推出了多种产品，服务实体经济的能力不断增强。\n"
     "第二段也是一个比较长的段落，讲的是金融机构如何通过数字技术更好地支持小微企业发展。\n",
     "数字金融如何赋能新质生产力"),
    ("数字金融发展迅速，成效明显。\n", ""),   # a sentence, not a headline
])
def test_a_text_without_headers_takes_its_headline_as_title(tmp_path, body, title):
    src = tmp_path / "plain.txt"
    src.write_text(body, encoding="utf-8")
    assert read_article(src).title == title


def test_an_english_only_file_is_said_to_have_no_chinese(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    src = tmp_path / "en.txt"
    src.write_text("Digital finance is the base of the five big articles and it helps.\n",
                   encoding="utf-8")
    r = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "o"), "--no-pages"])
    assert r.exit_code == 0
    assert f"Warning: {src}: no Chinese text (kg reads Chinese articles): nothing to extract" in r.output


@pytest.mark.parametrize("byline, names", [
    ("刘锡良 王之扬", ("刘锡良", "王之扬")),
    ("吕秋慧、钱志权", ("吕秋慧", "钱志权")),
    # the words of a byline that are no name
    ("本报记者 王芳 通讯员 李明", ("王芳", "李明")),
    ("本报记者王芳", ("王芳",)),
    ("图/李明 文/王芳", ("李明", "王芳")),
    ("文静", ("文静",)),
    # a Latin name keeps its spaces; a name padded to the others' width is one name
    ("Zhang San, Li Si", ("Zhang San", "Li Si")),
    ("李  扬", ("李扬",)),
])
def test_author_lines_name_people(byline, names, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(f"# author: {byline}\n\n正文在此。\n", "utf-8")
    assert read_article(p).authors == names


@pytest.mark.parametrize("name, article_id", [
    ("数字金融 (1).txt", "数字金融_1"),
    ("report 2024.txt", "report_2024"),
    ("a.txt", "a"),
])
def test_an_article_without_id_is_named_by_its_file(tmp_path, name, article_id):
    p = tmp_path / name
    p.write_text(BODY, encoding="utf-8")
    assert read_article(p).id == article_id
