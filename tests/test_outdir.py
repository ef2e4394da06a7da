"""A build's outputs appear together or not at all (kg/outdir.py): staging folder and
swap, a lock per output folder, leftovers of killed builds cleaned, full disks."""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

REPO = Path(__file__).resolve().parents[1]
BODY = "网商银行推出了无抵押信用贷款，缓解了融资难问题。杭州是一座智慧城市。"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kg-cache"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def files(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` (hidden ones too) and its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def sources(tmp_path: Path, name: str, *ids: str) -> Path:
    for i in ids:
        write(tmp_path / name / f"{i}.txt", f"# id: {i}\n# title: 文章{i}\n\n{BODY}")
    return tmp_path / name


def kg(*args, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=300, **kw)


def build(src: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["build", str(src), "--out", str(out), *extra])


@pytest.fixture
def previous(tmp_path):
    """An output folder with a finished build of articles a and b, beside a user's file."""
    out = tmp_path / "out"
    assert build(sources(tmp_path, "old", "a", "b"), out).exit_code == 0
    write(out / "view.html", "the user's own file")
    return out, files(out)


# Kill the build (with the signal in argv[1]) when it renders its first article page.
KILL_AT_PAGE = r"""
import os, signal, sys
import kg.pages as pages
sig = getattr(signal, sys.argv.pop(1))
real, calls = pages.render_article_page, []
def render_article_page(*a, **kw):
    calls.append(1)
    if len(calls) == 1:
        os.kill(os.getpid(), sig)
    return real(*a, **kw)
pages.render_article_page = render_article_page
from kg.cli import main
sys.argv = ["kg"] + sys.argv[1:]
main()
"""


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_a_build_killed_while_writing_pages_changes_nothing(tmp_path, previous, sig):
    out, before = previous
    new = sources(tmp_path, "new", "c")
    r = kg("-c", KILL_AT_PAGE, sig, "build", str(new), "--out", str(out))
    assert r.returncode == -getattr(signal, sig), r.stderr
    assert "Traceback" not in r.stderr
    left = {k: v for k, v in files(out).items() if not k.startswith(".kg-build-")}
    assert left == before  # kg.ttl written already, but not swapped in
    # the next build cleans what the killed one left, and drops the pages of a and b
    assert build(new, out).exit_code == 0
    assert [f for f in sorted(files(out)) if not f.startswith("assets/")] == [
        ".kg-outputs", "articles/c.html", "graph.html", "kg.ttl", "view.html"]


SWAP_CUT_SHORT = r"""
import os, signal, sys
import kg.outdir as outdir
real, calls = outdir._rename, []
def rename(src, dst):
    calls.append(1)
    if len(calls) == 3:  # old kg.ttl out, new kg.ttl in, then killed
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
outdir._rename = rename
from kg.cli import main
sys.argv = ["kg"] + sys.argv[1:]
main()
"""


def test_a_swap_cut_short_is_finished_by_the_next_build(tmp_path, previous):
    out, _ = previous
    new = sources(tmp_path, "new", "c")
    reference = tmp_path / "reference"
    assert build(new, reference).exit_code == 0
    r = kg("-c", SWAP_CUT_SHORT, "build", str(new), "--out", str(out))
    assert r.returncode == -signal.SIGKILL, r.stderr
    # the next build fails (a missing source), but finishes the swap first
    result = build(tmp_path / "missing", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("Warning: finishing the swap of outputs a killed build began")
    assert files(out) == {**files(reference), "view.html": b"the user's own file"}


def test_a_second_build_into_a_folder_in_use_fails_at_once(tmp_path, previous):
    out, before = previous
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        result = build(sources(tmp_path, "new", "c"), out)
    finally:
        os.close(fd)
    assert (result.exit_code, result.output) == (
        1, f"Error: {out} is in use by another kg build; wait for it to end\n")
    assert files(out) == before


def test_leftovers_of_killed_builds_are_removed(tmp_path, previous):
    out, before = previous
    junk = [".kg.ttl.abc123.tmp", ".graph.html.x1.tmp", "articles/.a.html.y2.tmp",
            ".kg-build-old/kg.ttl"]
    for name in junk:
        write(out / name, "left by a killed build")
    assert build(tmp_path / "old", out).exit_code == 0
    assert files(out) == before


def test_pages_of_articles_no_longer_in_the_sources_are_removed(tmp_path, previous):
    out, _ = previous
    result = build(tmp_path / "old" / "a.txt", out)
    assert result.exit_code == 0, result.output
    assert [f for f in sorted(files(out)) if not f.startswith("assets/")] == [
        ".kg-outputs", "articles/a.html", "graph.html", "kg.ttl", "view.html"]


class FullDisk:
    """A file whose writes fail with ENOSPC once ``after`` bytes are written."""

    def __init__(self, f, after: int = 0):
        self.f, self.left = f, after

    def write(self, data):
        if len(data) > self.left:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.left -= len(data)
        return self.f.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.f.__exit__(*exc)


def fill_disk_on(monkeypatch, name: str) -> None:
    """Writes of the output file ``name`` through kg.fileio fail: the disk is full."""
    import types

    import kg.fileio as fileio

    fake = types.ModuleType("os")
    fake.__dict__.update(os.__dict__)

    def fdopen(fd, *args, **kwargs):
        f = os.fdopen(fd, *args, **kwargs)
        target = os.readlink(f"/proc/self/fd/{fd}")
        return FullDisk(f) if os.path.basename(target).startswith(f".{name}.") else f

    fake.fdopen = fdopen
    monkeypatch.setattr(fileio, "os", fake)


def test_disk_full_during_a_build_is_one_line_and_changes_nothing(tmp_path, previous,
                                                                  monkeypatch):
    out, before = previous
    fill_disk_on(monkeypatch, "graph.html")  # kg.ttl is written, graph.html is not
    result = build(sources(tmp_path, "new", "c"), out)
    assert (result.exit_code, result.output) == (
        1, f"Error: cannot write {out}/graph.html: No space left on device\n")
    assert files(out) == before


@pytest.mark.parametrize("command", [
    ["export", "--format", "nt", "--out", "{out}"],
    ["viz", "--out", "{out}"],
    ["reason", "--out", "{out}"],
])
def test_disk_full_in_export_viz_reason_is_one_line(tmp_path, monkeypatch, command):
    out = write(tmp_path / "result.txt", "previous content")
    fill_disk_on(monkeypatch, "result.txt")
    graph = REPO / "tests" / "data" / "mini.ttl"
    args = [a.format(out=out) for a in command]
    result = CliRunner().invoke(main, [args[0], "--graph", str(graph), *args[1:]])
    assert (result.exit_code, result.output) == (
        1, f"Error: cannot write {out}: No space left on device\n")
    assert out.read_text() == "previous content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.txt"]


FULL_DISK = r"""
import errno, os, sys, types
import kg.fileio as fileio
fake = types.ModuleType("os")
fake.__dict__.update(os.__dict__)
class Full:
    def __init__(self, f): self.f = f
    def write(self, data): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    def __enter__(self): return self
    def __exit__(self, *exc): return self.f.__exit__(*exc)
fake.fdopen = lambda fd, *a, **kw: Full(os.fdopen(fd, *a, **kw))
fileio.os = fake
from kg.cli import main
sys.argv = ["kg"] + sys.argv[1:]
main()
"""


def test_disk_full_on_the_command_line(tmp_path, previous):
    out, before = previous
    r = kg("-c", FULL_DISK, "build", str(tmp_path / "old"), "--out", str(out))
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f"Error: cannot write {out}/kg.ttl: No space left on device\n"
    assert files(out) == before


# ---------------------------------------------------------------- files kg did not write
def no_extraction(monkeypatch):
    """A build that reaches extraction fails the test: a refused folder must be refused
    before any work (and before anything is written)."""
    import kg.pipeline as pipeline

    def load_extractor(*a, **kw):
        raise AssertionError("the build went on to extract")

    monkeypatch.setattr(pipeline, "load_extractor", load_extractor)


def foreign_files_case(tmp_path: Path, case: str) -> tuple[Path, Path, list[str], str]:
    """An output folder holding a user's file where kg writes: (sources, out, extra build
    options, the file the error must name, relative to out)."""
    out = tmp_path / "proj"
    if case == "sources in out/articles":  # kg build proj --out proj
        for i in ("a", "b"):
            write(out / "articles" / f"{i}.txt", f"# id: {i}\n# title: 文章{i}\n\n{BODY}")
        return out, out, [], "articles/a.txt"
    if case == "no build before":
        write(out / "articles" / "mynotes.html", "<p>my notes</p>")
        write(out / "assets" / "custom.css", "body { color: #333 }")
        return sources(tmp_path, "src", "a"), out, [], "articles/mynotes.html"
    src = sources(tmp_path, "src", "a", "b")
    assert build(src, out).exit_code == 0
    options = {"--no-pages": ["--no-pages"], "--single-file": ["--single-file"]}.get(case, [])
    where = {"in assets/": "assets/custom.css", "--single-file": "assets/custom.css",
             "a folder in articles/": "articles/drafts/"}.get(case, "articles/mynotes.html")
    if where.endswith("/"):
        write(out / where / "draft.txt", "my draft")
    else:
        write(out / where, "the user's own file")
    if case == "old-style folder (no manifest)":  # made by a kg without the list
        (out / ".kg-outputs").unlink(missing_ok=True)
    return src, out, options, where


@pytest.mark.parametrize("case", [
    "sources in out/articles", "no build before", "in articles/", "in assets/",
    "a folder in articles/", "--no-pages", "--single-file", "old-style folder (no manifest)"])
def test_a_build_refuses_to_replace_files_it_did_not_write(tmp_path, monkeypatch, case):
    """kg build replaces articles/ and assets/ whole: a file there that no kg build wrote
    stops the build before it extracts anything, with the folder as it was."""
    src, out, options, where = foreign_files_case(tmp_path, case)
    before = files(out)
    no_extraction(monkeypatch)
    result = build(src, out, *options)
    folders, more = f"{out}/{where.split('/')[0]}/", ""
    if case == "sources in out/articles":
        more = " (and 1 more file)"
    if case == "no build before":
        folders, more = f"{out}/articles/ and {out}/assets/", " (and 1 more file)"
    assert (result.exit_code, result.output) == (1, (
        f"Error: {out}/{where}{more} was not written by kg build, which replaces {folders} as a "
        f"whole: move such files out of {'them' if ' and ' in folders else 'it'}, or choose "
        f"another --out\n"))
    assert files(out) == before


def test_a_file_put_in_articles_during_a_build_is_kept(tmp_path, previous, monkeypatch):
    """The check is made again just before the swap: a file that appeared while the
    build was extracting is not swept away with the previous pages."""
    import kg.pipeline as pipeline

    out, _ = previous
    real = pipeline.write_outputs

    def write_outputs(*a, **kw):
        write(out / "articles" / "late.txt", "written while kg was building")
        return real(*a, **kw)

    monkeypatch.setattr(pipeline, "write_outputs", write_outputs)
    result = build(sources(tmp_path, "new", "c"), out)
    assert (result.exit_code, result.output) == (1, (
        f"Error: {out}/articles/late.txt was not written by kg build, which replaces "
        f"{out}/articles/ as a whole: move such files out of it, or choose another --out\n"))
    assert (out / "articles" / "late.txt").read_text() == "written while kg was building"
    assert sorted(f for f in files(out) if not f.startswith("assets/")) == [
        ".kg-outputs", "articles/a.html", "articles/b.html", "articles/late.txt", "graph.html",
        "kg.ttl", "view.html"]


@pytest.mark.parametrize("options", [[], ["--no-pages"], ["--single-file"]])
@pytest.mark.parametrize("manifest", ["kept", "absent (an older kg's folder)"])
def test_a_second_build_replaces_its_own_outputs_and_removes_stale_ones(tmp_path, previous,
                                                                        manifest, options):
    """What a build wrote the next one may replace or remove (stale pages, and all pages
    with --no-pages, assets with --single-file); the folder lists what it holds. A folder
    of an older kg (no list) is taken as kg's where its graph.html links the pages."""
    out, _ = previous
    if manifest != "kept":
        (out / ".kg-outputs").unlink(missing_ok=True)
    result = build(tmp_path / "old" / "a.txt", out, *options)
    assert result.exit_code == 0, result.output
    written = sorted(f for f in files(out) if f not in (".kg-outputs", "view.html"))
    assert [f for f in written if not f.startswith("assets/")] == {
        (): ["articles/a.html", "graph.html", "kg.ttl"], ("--no-pages",): ["kg.ttl"],
        ("--single-file",): ["articles/a.html", "graph.html", "kg.ttl"]}[tuple(options)]
    assert any(f.startswith("assets/") for f in written) == (not options)
    listed = (out / ".kg-outputs").read_text(encoding="utf-8").splitlines()
    assert [line for line in listed if not line.startswith("#")] == written


# ---------------------------------------------------------------- a swap that fails
def fail_renames(monkeypatch, fails) -> None:
    """os.rename(src, dst) fails with EPERM (as on an immutable folder) where
    ``fails(src, dst)``."""
    real = os.rename

    def rename(src, dst, *a, **kw):
        if fails(str(src), str(dst)):
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(src))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "rename", rename)


def test_a_swap_that_fails_restores_the_previous_outputs(tmp_path, previous, monkeypatch):
    """kg.ttl and graph.html are in already when articles/ cannot be moved: they are put
    back, and the folder is exactly the previous build's."""
    out, before = previous
    fail_renames(monkeypatch, lambda src, dst: src == str(out / "articles"))
    result = build(sources(tmp_path, "new", "c"), out)
    assert (result.exit_code, result.output) == (1, (
        f"Error: cannot replace {out}/articles: Operation not permitted; {out} keeps the "
        f"previous outputs\n"))
    assert files(out) == before
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-outputs", "articles", "assets", "graph.html", "kg.ttl", "view.html"]


def test_a_swap_that_cannot_be_undone_says_the_folder_is_mixed(tmp_path, previous,
                                                               monkeypatch):
    """If putting the previous outputs back fails too, the error says so plainly, and the
    next build finishes the swap once the cause is gone."""
    out, _ = previous
    new = sources(tmp_path, "new", "c")
    reference = tmp_path / "reference"
    assert build(new, reference).exit_code == 0
    with monkeypatch.context() as m:
        # articles/ cannot be moved aside, nor the new graph.html back out
        fail_renames(m, lambda src, dst: src == str(out / "articles") or (
            src == str(out / "graph.html") and "/.old/" not in dst))
        result = build(new, out)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot replace {out}/articles: Operation not permitted; putting the previous "
        f"outputs back failed too ({out}/graph.html: Operation not permitted), so {out} holds "
        f"some new outputs and some previous ones: remove the cause and run kg build into it "
        f"again, which finishes this swap first\n")
    result = build(tmp_path / "missing", out)  # fails, but finishes the swap first
    assert result.stderr.startswith("Warning: finishing the swap of outputs a killed build began")
    assert files(out) == {**files(reference), "view.html": b"the user's own file"}


def test_an_immutable_articles_folder_leaves_the_previous_outputs_whole(tmp_path, previous):
    """The QA reproduction: chattr +i on articles/ (root, on a file system that has it)."""
    out, before = previous
    if os.geteuid() != 0 or subprocess.run(["chattr", "+i", str(out / "articles")],
                                           capture_output=True).returncode != 0:
        pytest.skip("needs root and chattr on a file system with the immutable flag")
    try:
        r = kg("-m", "kg.cli", "build", str(sources(tmp_path, "new", "c")), "--out", str(out))
    finally:
        subprocess.run(["chattr", "-i", str(out / "articles")], check=True)
    assert (r.returncode, r.stderr) == (1, (
        f"Error: cannot replace {out}/articles: Operation not permitted; {out} keeps the "
        f"previous outputs\n"))
    assert files(out) == before
