"""The pages in a real browser: headless Chromium from file://, no network.

The page script marks the <html> element when the layout has settled and the
canvas was drawn (data-kg-drawn, data-kg-ink = painted canvas samples) and
counts uncaught errors (data-kg-errors); --dump-dom reads them back.
Chromium is required when CI is set (CI installs it); elsewhere the tests skip.
"""

from __future__ import annotations

import itertools
import os
import re
import struct
import subprocess
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.viz import CLASS_STYLE, browser_command, find_chromium, screenshot, write_pages

MINI = Path(__file__).parent / "data" / "mini.ttl"
_profiles = itertools.count()


@pytest.fixture(scope="module")
def chromium():
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI must install chromium and fonts-noto-cjk)")
        pytest.skip("chromium is not installed")
    return path


@pytest.fixture(scope="module")
def mini_pages(tmp_path_factory):
    from kg.fileio import load_graph

    out = tmp_path_factory.mktemp("pages")
    return write_pages(load_graph(MINI), out)


def open_page(chromium, page: Path, tmp_path: Path, fragment: str = "") -> tuple[str, str]:
    """Load a page headless; return (serialised DOM after scripts ran, browser log)."""
    profile = tmp_path / f"profile-{next(_profiles)}"  # a fresh profile each time
    cmd = browser_command(chromium, page.resolve().as_uri() + fragment, profile,
                          "--enable-logging=stderr", "--v=0", "--dump-dom")
    done = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
    return done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def console_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def html_attr(dom: str, name: str) -> str | None:
    m = re.search(r"<html\b[^>]*?\s" + re.escape(name) + r'="([^"]*)"', dom)
    return m.group(1) if m else None


def assert_drawn(dom: str, log: str) -> None:
    assert console_lines(log) == []
    assert html_attr(dom, "data-kg-errors") is None
    assert html_attr(dom, "data-kg-drawn") == "1"
    assert int(html_attr(dom, "data-kg-ink")) > 0  # the canvas is not blank


def test_every_built_page_draws_without_errors(chromium, mini_pages, tmp_path):
    for page in mini_pages:
        dom, log = open_page(chromium, page, tmp_path)
        assert_drawn(dom, log)
        assert html_attr(dom, "data-kg-stable") == "1"  # physics stabilised, then switched off


@pytest.mark.parametrize("args, nodes, edges", [
    (["--focus", "数字金融", "--depth", "1"], "2", "1"),
    (["--types", "Region"], "2", "1"),
])
def test_cli_views_draw(chromium, tmp_path, args, nodes, edges):
    out = tmp_path / "view.html"
    result = CliRunner().invoke(main, ["viz", "--graph", str(MINI), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    dom, log = open_page(chromium, out, tmp_path)
    assert_drawn(dom, log)
    assert (html_attr(dom, "data-kg-nodes"), html_attr(dom, "data-kg-edges")) == (nodes, edges)


def test_empty_view_says_so(chromium, tmp_path):
    out = tmp_path / "view.html"
    result = CliRunner().invoke(main, ["viz", "--graph", str(MINI), "--out", str(out), "--types", "Person"])
    assert result.exit_code == 0, result.output
    dom, log = open_page(chromium, out, tmp_path)
    assert console_lines(log) == []
    assert html_attr(dom, "data-kg-drawn") == "empty"
    assert "没有实体 no entities in this view" in dom


def test_search_link_shows_entity_and_evidence(chromium, mini_pages, tmp_path):
    dom, log = open_page(chromium, mini_pages[0], tmp_path, "#find=" + quote("网商银行"))
    assert_drawn(dom, log)
    details = dom[dom.index('id="kg-details"'):]
    assert '<div class="kg-d-title">网商银行</div>' in details
    assert "网商银行 —提供→ 无抵押信用贷款" in details
    assert "规则 rule: fixture.relation · digital_finance" in details


def test_search_finds_an_entity_without_relations(chromium, tmp_path):
    from test_viz import sparse_graph

    page = write_pages(sparse_graph(80), tmp_path / "out")[0]  # such entities start hidden
    dom, log = open_page(chromium, page, tmp_path, "#find=" + quote("概念042"))
    assert_drawn(dom, log)
    assert '<div class="kg-d-title">概念042</div>' in dom[dom.index('id="kg-details"'):]
    assert "1 个匹配 match(es)" in dom


# ------------------------------------------------------------------ screenshot
def png_rgb(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Decode an 8-bit RGB(A), non-interlaced PNG: (width, height, rows, bytes per pixel)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    assert depth == 8 and interlace == 0 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def test_screenshot_shows_nodes_in_class_colours(chromium, mini_pages, tmp_path):
    png = screenshot(mini_pages[0], tmp_path / "shot.png", width=900, height=600, chromium=chromium)
    width, height, rows, bpp = png_rgb(png.read_bytes())
    assert (width, height) == (900, 600)
    colours = {row[x:x + 3] for row in rows for x in range(0, width * bpp, bpp)}
    for core in ("Institution", "Problem", "Product", "Region"):
        rgb = bytes.fromhex(CLASS_STYLE[core][0].lstrip("#"))
        assert rgb in colours, core


# ------------------------------------------------------------------ injection
HOSTILE_LABELS = ["<script>document.title='pwned'</script>", "<img src=x onerror=\"document.title='pwned'\">"]


def hostile_graph():
    from test_viz import make_graph

    pwn = "document.title='pwned'"
    sentence = f"{HOSTILE_LABELS[0]}向{HOSTILE_LABELS[1]}提供贷款。"
    return make_graph(
        {"evil": [sentence]},
        [("institution-evil1", "Bank", HOSTILE_LABELS[0], {f"</script><script>{pwn}</script>"}, [("evil", 0)]),
         ("product-evil2", "Product", HOSTILE_LABELS[1], {f'<b onmouseover="{pwn}">x</b>'}, [("evil", 0)])],
        [("institution-evil1", "offers", "product-evil2", "evil", 0, f'rule.<img src=x onerror="{pwn}">')],
        titles={"evil": HOSTILE_LABELS[1]})


@pytest.mark.parametrize("page_index, fragment", [
    (0, ""),
    (0, "#find=" + quote(HOSTILE_LABELS[0], safe="")),
    (0, "#find=" + quote(HOSTILE_LABELS[1], safe="")),
    (1, "#find=" + quote(HOSTILE_LABELS[0], safe="")),
])
def test_hostile_text_runs_no_script(chromium, tmp_path, page_index, fragment):
    pages = write_pages(hostile_graph(), tmp_path / "out")
    dom, log = open_page(chromium, pages[page_index], tmp_path, fragment)
    assert_drawn(dom, log)
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    # the page's own title, never one set by source text (the article title is hostile text, escaped)
    assert title == ("知识图谱 Knowledge graph" if page_index == 0
                     else "&lt;img src=x onerror=\"document.title='pwned'\"&gt; (evil)")
    assert "<img" not in dom and "<b " not in dom  # no element was made from source text
    if fragment:  # the details panel shows the hostile text, as text
        details = dom[dom.index('id="kg-details"'):]
        assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in details
        assert "rule.&lt;img src=x onerror=\"document.title='pwned'\"&gt;" in details
