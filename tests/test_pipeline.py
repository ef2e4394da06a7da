"""`kg build` at scale: the same bytes for any --jobs, an incremental cache that re-extracts
only what changed, and a cache that can never break a build."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from kg import pipeline, segment
from kg.cli import main
from kg.extract import Extractor
from kg.fileio import load_graph

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
RULES = ROOT / "ontology" / "rules"
KG = "https://w3id.org/kg-zh/ontology#"
KGD = "https://w3id.org/kg-zh/id/"

BRIEF = """# id: brief
# title: 简讯
# author: 张三
# source: 测试简报

网商银行推出了“大山雀”系统，服务小微企业。宁波市设立了数字金融产业基金。
"""
# A sentence whose institution appears nowhere else in the corpus.
ADDED_SENTENCE = "中国建设银行推出了“惠懂你”平台。"
ADDED_LABEL = "中国建设银行"


def with_id(text: str, new_id: str, body_lines: int | None = None) -> str:
    """``text`` with its ``# id:`` header replaced, the body cut to ``body_lines`` lines."""
    lines = text.splitlines()
    header = [re.sub(r"^# id: .*", f"# id: {new_id}", line) for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    if body_lines is not None:
        body = body[:body_lines]
    return "\n".join(header + body) + "\n"


def write_corpus(folder: Path) -> Path:
    """The two bundled articles cut short, a shorter copy of each under another id, and the
    brief article."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(SOURCES.glob("*.txt")):
        text = src.read_text("utf-8")
        (folder / src.name).write_text(with_id(text, src.stem, 20), "utf-8")
        (folder / f"{src.stem}_copy.txt").write_text(with_id(text, f"{src.stem}_copy", 12), "utf-8")
    (folder / "brief.txt").write_text(BRIEF, "utf-8")
    return folder


def output_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def labels(ttl: Path) -> set[str]:
    return {str(o) for o in load_graph(ttl).objects(None, RDFS.label)}


@pytest.fixture
def count_extractions(monkeypatch):
    """Record the id of every article extracted in this process."""
    seen: list[str] = []
    original = Extractor.extract

    def counting(self, article, *args, **kwargs):
        seen.append(article.id)
        return original(self, article, *args, **kwargs)

    monkeypatch.setattr(Extractor, "extract", counting)
    return seen


# ------------------------------------------------------------ any --jobs, same bytes
@pytest.fixture(scope="module")
def builds_by_jobs(tmp_path_factory):
    """`kg build --no-cache --jobs N` of one corpus for N = 1, 2, 3: (files, pids of the
    extractions, pids of the segmenter's model loads) per N."""
    tmp = tmp_path_factory.mktemp("jobs")
    corpus = write_corpus(tmp / "corpus")
    pid_log, load_log = tmp / "pids.txt", tmp / "loads.txt"
    original, original_load = Extractor.extract, segment.load_model

    def log(path: Path) -> None:
        with open(path, "a") as f:  # workers are forked: a file sees all of them
            f.write(f"{os.getpid()}\n")

    def logging_extract(self, article, *args, **kwargs):
        log(pid_log)
        return original(self, article, *args, **kwargs)

    def logging_load(*args):
        log(load_log)
        return original_load(*args)

    results = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_CACHE_DIR", str(tmp / "cache"))
        mp.setattr(Extractor, "extract", logging_extract)
        mp.setattr(segment, "load_model", logging_load)
        for jobs in (1, 2, 3):
            pid_log.write_text("")
            load_log.write_text("")
            mp.setattr(segment, "_cache", {})  # as in a new process
            out = tmp / f"out-{jobs}"
            result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out),
                                               "--jobs", str(jobs), "--no-cache"])
            assert result.exit_code == 0, result.output
            assert "5 extracted, 0 from cache" in result.output
            results[jobs] = (output_files(out), pid_log.read_text().split(),
                             load_log.read_text().split())
    return results


@pytest.mark.parametrize("jobs", [2, 3])
def test_output_is_byte_identical_for_any_jobs(builds_by_jobs, jobs):
    one, _, _ = builds_by_jobs[1]
    many, _, _ = builds_by_jobs[jobs]
    assert sorted(many) == sorted(one)
    assert {"kg.ttl", "graph.html", "articles/brief.html"} <= set(one)
    for name in one:
        assert many[name] == one[name], f"{name} differs between --jobs 1 and --jobs {jobs}"


@pytest.mark.parametrize("jobs, in_workers", [(1, False), (2, True), (3, True)])
def test_jobs_extract_in_worker_processes(builds_by_jobs, jobs, in_workers):
    _, pids, _ = builds_by_jobs[jobs]
    assert len(pids) == 5  # every article extracted once
    assert all(int(p) != os.getpid() for p in pids) is in_workers


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_the_segmenter_is_loaded_once_and_shared_with_the_workers(builds_by_jobs, jobs):
    """Its model takes ~100 MB and half a second: workers use the build's own copy."""
    _, _, loads = builds_by_jobs[jobs]
    assert loads == [str(os.getpid())]


def test_parallel_build_holds_every_article(builds_by_jobs):
    files, _, _ = builds_by_jobs[3]
    text = files["kg.ttl"].decode("utf-8")
    for article in ("brief", "digital_finance", "digital_finance_copy", "smart_city",
                    "smart_city_copy"):
        assert f"kgd:article-{article} a kg:Article" in text


def test_no_pages_writes_the_same_graph_and_no_page(builds_by_jobs, tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out),
                                                       "--no-pages", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert sorted(output_files(out)) == [".kg-outputs", "kg.ttl"]
    assert output_files(out)["kg.ttl"] == builds_by_jobs[1][0]["kg.ttl"]
    assert result.stderr == ""


def test_no_pages_removes_the_pages_of_an_earlier_build(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus).mkdir()
    (corpus / "brief.txt").write_text(BRIEF, "utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(corpus), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out),
                                                       "--no-pages"])
    assert result.exit_code == 0, result.output
    assert sorted(output_files(out)) == [".kg-outputs", "kg.ttl"]  # no page of another build beside it
    assert result.stderr == ""


# ---------------------------------------------------------------- incremental
@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A corpus built once with the cache on: (corpus, cache, kg.ttl bytes)."""
    tmp = tmp_path_factory.mktemp("warm")
    corpus = write_corpus(tmp / "corpus")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_CACHE_DIR", str(tmp / "cache"))
        summary = pipeline.build([corpus], out_dir=tmp / "out", pages=False)
    assert summary.extracted == summary.articles == 5
    return corpus, tmp / "cache", (tmp / "out" / "kg.ttl").read_bytes()


@pytest.fixture
def rebuild(warm, tmp_path, monkeypatch, count_extractions):
    """A private copy of the warm corpus and cache; calling it builds again with jobs=1."""
    corpus = tmp_path / "corpus"
    shutil.copytree(warm[0], corpus)
    shutil.copytree(warm[1], tmp_path / "cache")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))

    def run(**kwargs):
        count_extractions.clear()
        out = tmp_path / "out"
        summary = pipeline.build([corpus], out_dir=out, pages=False, **kwargs)
        return summary, sorted(count_extractions), out / "kg.ttl"

    run.corpus = corpus
    return run


def test_unchanged_corpus_extracts_nothing_and_gives_the_same_bytes(warm, rebuild):
    summary, extracted, ttl = rebuild()
    assert (summary.extracted, extracted) == (0, [])
    assert ttl.read_bytes() == warm[2]


def _append_sentence(corpus: Path) -> None:
    f = corpus / "brief.txt"
    f.write_text(f.read_text("utf-8") + ADDED_SENTENCE + "\n", "utf-8")


def _change_source(corpus: Path) -> None:
    f = corpus / "brief.txt"
    f.write_text(f.read_text("utf-8").replace("# source: 测试简报", "# source: 另一份简报"), "utf-8")


def _rename_file(corpus: Path) -> None:
    (corpus / "brief.txt").rename(corpus / "renamed.txt")  # the id comes from the header


def _add_article(corpus: Path) -> None:
    (corpus / "extra.txt").write_text(with_id(BRIEF, "extra"), "utf-8")


def _has_label(label):
    return lambda g: (None, RDFS.label, Literal(label, lang="zh")) in g


def _has_source(article, source):
    return lambda g: (URIRef(f"{KGD}article-{article}"), DCTERMS.source,
                      Literal(source, lang="zh")) in g


@pytest.mark.parametrize("edit, re_extracted, now_true, now_false", [
    (_append_sentence, ["brief"], _has_label(ADDED_LABEL), None),
    (_change_source, ["brief"], _has_source("brief", "另一份简报"), _has_source("brief", "测试简报")),
    (_rename_file, [], _has_source("brief", "测试简报"), None),
    (_add_article, ["extra"], _has_source("extra", "测试简报"), None),
], ids=["body", "header", "rename", "new-article"])
def test_an_edit_re_extracts_only_what_it_touched(rebuild, edit, re_extracted, now_true, now_false):
    before = load_graph(rebuild()[2])
    assert not now_true(before) or edit is _rename_file
    edit(rebuild.corpus)
    summary, extracted, ttl = rebuild()
    assert extracted == re_extracted
    assert summary.extracted == len(re_extracted)
    after = load_graph(ttl)
    assert now_true(after)
    if now_false is not None:
        assert not now_false(after)


def test_changed_article_matches_a_clean_build(rebuild, tmp_path, monkeypatch):
    """Cached and fresh extractions merge into the very graph a no-cache build gives."""
    _append_sentence(rebuild.corpus)
    _, _, ttl = rebuild()
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "other-cache"))
    pipeline.build([rebuild.corpus], out_dir=tmp_path / "clean", pages=False, use_cache=False)
    assert ttl.read_bytes() == (tmp_path / "clean" / "kg.ttl").read_bytes()


def test_a_rule_file_change_re_extracts_every_article(rebuild, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    first, _, _ = rebuild(rules_dir=rules)  # the same rules as the warm build, another folder
    assert first.extracted == 0
    victim = sorted(rules.glob("*.toml"))[0]
    victim.write_text(victim.read_text("utf-8") + "\n# edited\n", "utf-8")
    summary, extracted, _ = rebuild(rules_dir=rules)
    assert extracted == ["brief", "digital_finance", "digital_finance_copy", "smart_city",
                         "smart_city_copy"]
    assert summary.extracted == 5


def test_no_cache_extracts_everything_and_writes_no_cache(tmp_path, monkeypatch, count_extractions):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(BRIEF, "utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    for _ in range(2):
        summary = pipeline.build([corpus], out_dir=tmp_path / "out", pages=False, use_cache=False)
        assert summary.extracted == 1
    assert count_extractions == ["brief", "brief"]
    assert not list((cache / "extractions").rglob("*.json"))


# ------------------------------------------------------- the cache never breaks a build
def _corrupt_empty(f: Path) -> None:
    f.write_bytes(b"")


def _corrupt_garbage(f: Path) -> None:
    f.write_bytes(b"\x80\x04not json at all\xff" * 3)


def _corrupt_truncated(f: Path) -> None:
    f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2])


def _flip_bits(f: Path) -> None:
    # three bits of one character of a label: 长三角 would read 长伉角
    data = bytearray(f.read_bytes())
    at = data.rindex("网商银行".encode())
    data[at + 4] ^= 0b111
    f.write_bytes(bytes(data))


def _resealed(f: Path, edit) -> None:
    """``edit`` the JSON payload, with a checksum that matches it (a planted entry)."""
    import hashlib
    import json

    header, digest, payload = f.read_bytes().split(b"\n", 2)
    payload = json.dumps(edit(json.loads(payload)), ensure_ascii=False).encode()
    f.write_bytes(header + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def _corrupt_wrong_types(f: Path) -> None:
    def edit(p):
        p["table"][0][1] = "not an int"
        return p
    _resealed(f, edit)


def _corrupt_dangling_index(f: Path) -> None:
    def edit(p):
        p["mentions"].append(10_000)
        return p
    _resealed(f, edit)


def _corrupt_pickle(f: Path) -> None:
    # what an older kg wrote, or an attacker planted: never unpickled
    import pickle

    f.write_bytes(pickle.dumps({"article": "brief", "mentions": []}))


def _corrupt_directory(f: Path) -> None:
    f.unlink()
    f.mkdir()


@pytest.mark.parametrize("corrupt", [_corrupt_empty, _corrupt_garbage, _corrupt_truncated,
                                     _flip_bits, _corrupt_wrong_types, _corrupt_dangling_index,
                                     _corrupt_pickle, _corrupt_directory],
                         ids=["empty", "garbage", "truncated", "bit-flip", "wrong-types",
                              "dangling-index", "pickle", "directory"])
def test_a_corrupt_cache_entry_is_ignored(tmp_path, monkeypatch, count_extractions, corrupt):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(BRIEF, "utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    pipeline.build([corpus], out_dir=tmp_path / "clean", pages=False)
    # the extraction entries (the segmenter's model may be cached beside them)
    entries = list((tmp_path / "cache" / "extractions").rglob("*.json"))
    assert len(entries) == 1
    corrupt(entries[0])
    count_extractions.clear()
    warnings = []
    summary = pipeline.build([corpus], out_dir=tmp_path / "out", pages=False, warn=warnings.append)
    assert count_extractions == ["brief"]
    if corrupt is not _corrupt_directory:  # a folder cannot be read: a miss, not damage
        assert len(warnings) == 1 and warnings[0].startswith(
            f"cached extraction of brief ({entries[0]}) is damaged (")
        assert warnings[0].endswith("; extracting it again")
    assert summary.extracted == 1
    assert (tmp_path / "out" / "kg.ttl").read_bytes() == (tmp_path / "clean" / "kg.ttl").read_bytes()


def test_an_unwritable_cache_does_not_fail_the_build(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(BRIEF, "utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "extractions").write_text("a file where the cache folder should be")
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    for _ in range(2):
        summary = pipeline.build([corpus], out_dir=tmp_path / "out", pages=False)
        assert summary.extracted == 1
    assert "网商银行" in labels(tmp_path / "out" / "kg.ttl")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_segmenter_that_cannot_load_fails_the_build_in_one_line(tmp_path, monkeypatch, jobs):
    """A worker whose jieba cannot load reports it with its first article: a failing pool
    initializer would be respawned forever and the build would hang."""
    import signal

    from kg import segment
    from kg.errors import SourceError

    def broken(*args, **kwargs):
        raise SourceError("jieba cannot load here")

    corpus = write_corpus(tmp_path / "corpus")
    monkeypatch.setattr(segment, "get", broken)  # forked workers inherit it
    signal.signal(signal.SIGALRM, lambda *a: pytest.fail("the build hangs"))
    signal.alarm(120)
    try:
        result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out"),
                                           "--jobs", str(jobs), "--no-cache"])
    finally:
        signal.alarm(0)
    assert result.exit_code == 1
    assert result.stderr == "Error: jieba cannot load here\n"
    assert not (tmp_path / "out" / "kg.ttl").exists()


# ------------------------------------------------------- reading while extracting
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("name, content, message", [
    ("m_binary.txt", bytes(range(256)) * 8, "{corpus}/m_binary.txt: binary file, not text"),
    ("z_twin.txt", "# id: brief\n\n杭州是一座智慧城市。".encode(),
     "duplicate article id 'brief': {corpus}/brief.txt and {corpus}/z_twin.txt"),
], ids=["binary", "duplicate-id"])
def test_a_bad_source_after_good_ones_fails_the_build_in_one_line(tmp_path, monkeypatch, jobs,
                                                                   name, content, message):
    """Sources are read while earlier ones are being extracted: a bad one still stops
    the build with its own one-line error and no output."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / name).write_bytes(content)
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out"),
                                       "--jobs", str(jobs), "--no-cache"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message.format(corpus=corpus)}\n"
    assert not (tmp_path / "out").exists()


class Terminal:
    """stderr as a terminal, keeping what is written."""

    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass

    def isatty(self):
        return True


def test_the_progress_bar_counts_cached_articles_too(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    corpus = write_corpus(tmp_path / "corpus")
    extractor = pipeline.load_extractor()
    pipeline.extract_sources([corpus], extractor)  # all five cached
    (corpus / "brief.txt").write_text(BRIEF + ADDED_SENTENCE, "utf-8")
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    articles, _, extracted = pipeline.extract_sources([corpus], extractor, progress=True)
    assert (len(articles), extracted) == (5, 1)
    states = terminal.text.split("\r")[1:]  # the bar, as drawn each time
    assert all("Extracting" in state for state in states)
    assert "20%" in states[-2]  # brief.txt, the first of five files, extracted
    assert "100%" in states[-1]  # the other four from the cache


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def test_a_planted_pickle_in_the_cache_runs_nothing(tmp_path, monkeypatch):
    import pickle

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text(BRIEF, "utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    pipeline.build([corpus], out_dir=tmp_path / "out", pages=False)
    marker = tmp_path / "planted-code-ran"
    for entry in (tmp_path / "cache").rglob("*.json"):  # extractions, the segmenter's model
        entry.write_bytes(pickle.dumps(_Exploit(str(marker))))
    for name in ("a.pickle", "b.marshal"):  # files of another format beside them
        (tmp_path / "cache" / "extractions" / name).write_bytes(pickle.dumps(_Exploit(str(marker))))
    summary = pipeline.build([corpus], out_dir=tmp_path / "out", pages=False)
    assert summary.extracted == 1
    assert not marker.exists()


def test_the_extraction_cache_key_covers_every_module_extraction_imports():
    """A change to code that decides what is extracted must make cached extractions stale:
    every kg module imported by one of the listed modules is listed too (modules that only
    report errors, read files or name RDF terms excepted)."""
    import ast

    from kg import pipeline

    here = Path(pipeline.__file__).parent
    listed = set(pipeline._EXTRACTION_MODULES)
    unrelated = {"errors.py", "fileio.py", "triples.py"}
    # curated.py validates aliases.toml with resolve.py's reader when it loads the curated
    # data: resolve.py merges what was extracted, after the cached extraction; and kg rules
    # check (curated.check) loads shapes.ttl with validate.py's loader, which no build runs
    after = {("curated.py", "resolve.py"), ("curated.py", "validate.py")}
    for name in sorted(listed):
        for node in ast.walk(ast.parse((here / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                targets = [node.module] if node.module else [a.name for a in node.names]
                for t in targets:
                    f = t.split(".")[0] + ".py"
                    if (here / f).is_file():
                        assert f in listed | unrelated or (name, f) in after, \
                            f"{name} imports {f}, not in the cache key"
