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
from kg.viz import CLASS_STYLE, browser_command, find_chromium, screenshot
from test_viz import make_records, mini_records, payload, write_pages

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
    """graph.html and the two article pages of a build (assets shared)."""
    return write_pages(mini_records(), tmp_path_factory.mktemp("pages"))[:3]


def open_page(chromium, page: Path, tmp_path: Path, fragment: str = "", *extra: str,
              timeout: float = 60) -> tuple[str, str]:
    """Load a page headless; return (serialised DOM after scripts ran, browser log). The
    browser has no usable network: every request but file:// goes to a closed port."""
    profile = tmp_path / f"profile-{next(_profiles)}"  # a fresh profile each time
    cmd = browser_command(chromium, page.resolve().as_uri() + fragment, profile,
                          "--enable-logging=stderr", "--v=0", "--proxy-server=127.0.0.1:9",
                          "--proxy-bypass-list=<-loopback>", *extra, "--dump-dom")
    done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
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


@pytest.mark.parametrize("single_file", [False, True])
def test_every_built_page_draws_without_errors(chromium, tmp_path, single_file):
    for page in write_pages(mini_records(), tmp_path / "out", single_file=single_file)[:3]:
        dom, log = open_page(chromium, page, tmp_path)
        assert_drawn(dom, log)
        assert html_attr(dom, "data-kg-stable") == "1"  # physics stabilised, then switched off


def test_an_author_s_article_is_drawn_but_not_counted_as_an_entity(chromium, tmp_path):
    from test_stats import AUTHORED

    (tmp_path / "a.txt").write_text(AUTHORED, "utf-8")
    built = CliRunner().invoke(main, ["build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"),
                                      "--no-cache"])
    assert built.exit_code == 0, built.output
    entities = re.search(r"^Entities: (\d+)$", built.output, re.M).group(1)
    dom, log = open_page(chromium, tmp_path / "o" / "graph.html", tmp_path)
    assert_drawn(dom, log)
    assert html_attr(dom, "data-kg-nodes") == str(int(entities) + 1)  # and the article
    assert html_attr(dom, "data-kg-entities") == entities


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


def test_default_edges_are_drawn_dashed(chromium, tmp_path):
    # the same relation twice: once by a class pair's default alone, once by a cue word
    records = make_records({"a": ["东海银行“甲乙贷”累计放款百亿元。", "西岭银行推出了“丙丁贷”。"]},
                           [("i", "Bank", "东海银行", set(), [("a", 0)]),
                            ("p", "FinancialProduct", "甲乙贷", set(), [("a", 0)]),
                            ("j", "Bank", "西岭银行", set(), [("a", 1)]),
                            ("q", "FinancialProduct", "丙丁贷", set(), [("a", 1)])],
                           [("i", "offers", "p", "a", 0, "default.offers"),
                            ("j", "offers", "q", "a", 1, "cue.offers")])
    page = write_pages(records, tmp_path / "out")[0]
    dom, log = open_page(chromium, page, tmp_path)
    assert_drawn(dom, log)
    assert (html_attr(dom, "data-kg-edges"), html_attr(dom, "data-kg-dashed")) == ("2", "1")


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
    assert 'href="articles/digital_finance.html#find=%E7%BD%91%E5%95%86%E9%93%B6%E8%A1%8C"' in details


def sparse_records(n_unrelated: int):
    """One relation and ``n_unrelated`` entities without relations."""
    return make_records(
        {"a": ["甲银行提供乙贷款。"]},
        [("institution-a", "Bank", "甲银行", set(), [("a", 0)]),
         ("product-b", "FinancialProduct", "乙贷款", set(), [("a", 0)])]
        + [(f"concept-{i:03d}", "Concept", f"概念{i:03d}", set(), [("a", 0)]) for i in range(n_unrelated)],
        [("institution-a", "offers", "product-b", "a", 0, "r.offers")])


def test_search_finds_an_entity_without_relations(chromium, tmp_path):
    page = write_pages(sparse_records(80), tmp_path / "out")[0]  # the first view: the related ones
    dom, log = open_page(chromium, page, tmp_path, "#find=" + quote("概念042"))
    assert_drawn(dom, log)
    assert '<div class="kg-d-title">概念042</div>' in dom[dom.index('id="kg-details"'):]
    assert "1 个匹配 match(es)" in dom and html_attr(dom, "data-kg-nodes") == "3"  # added to the view


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


def hostile_records():
    pwn = "document.title='pwned'"
    sentence = f"{HOSTILE_LABELS[0]}向{HOSTILE_LABELS[1]}提供贷款。"
    return make_records(
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
    pages = write_pages(hostile_records(), tmp_path / "out")
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


# ------------------------------------------------------------------ article text view
def with_probe(page: Path, script: str) -> Path:
    """A copy of ``page`` beside it (same relative assets) running ``script`` once the
    page has settled; the script reports through data-kg-probe-* attributes."""
    probe = page.with_name(page.stem + "-probe.html")
    text = page.read_text("utf-8")
    run = ("<script>(function () { var t = setInterval(function () {"
           " if (!document.documentElement.hasAttribute('data-kg-drawn')) { return; }"
           " clearInterval(t); var root = document.documentElement;"
           " function probe(k, v) { root.setAttribute('data-kg-probe-' + k, String(v)); }"
           f" {script} }}, 50); }}());</script>")
    probe.write_text(text.replace("</body>", run + "</body>"), "utf-8")
    return probe


def test_article_page_shows_the_text_with_mentions_by_class_and_relations_beside(chromium, mini_pages,
                                                                               tmp_path):
    dom, log = open_page(chromium, mini_pages[1], tmp_path)
    assert_drawn(dom, log)
    assert html_attr(dom, "data-kg-mentions") == "7"
    text = dom[dom.index('id="kg-text"'):]
    assert re.search(r'<mark class="k-Institution" data-e="\d+" title="网商银行 · 银行 Bank">网商银行</mark>', text)
    assert re.search(r'<mark class="k-Problem" data-e="\d+"[^>]*>融资难</mark>', text)
    # the second sentence's row: its text, then its relations
    row = re.search(r'<div class="kg-sent" id="s1">(.*?)</ul></div>', text, re.S).group(1)
    plain = re.sub(r"<[^>]+>", "", row)
    assert plain.startswith("例如，蚂蚁金服旗下的网商银行")
    assert "网商银行 —提供→ 无抵押信用贷款" in plain and "无抵押信用贷款 —应对→ 融资难" in plain
    assert "数字金融 —赋能→ 新质生产力" not in plain  # that is sentence 0's


NESTED = ["杭州银行面向科技型中小企业推出“科创贷”。", "杭州市科技局、余杭区数据资源管理局参与。",
          "民营企业融资渠道较窄。"]
# (outer, its class, inner, its class, sentence): the first four start where the inner
# mention starts, the last starts before it
NESTINGS = [("杭州银行", "Bank", "杭州", "City", 0),
            ("杭州市科技局", "GovernmentBody", "杭州市", "City", 1),
            ("余杭区数据资源管理局", "GovernmentBody", "余杭区", "District", 1),
            ("民营企业融资渠道较窄", "Problem", "民营企业", "Company", 2),
            ("科技型中小企业", "Company", "中小企业", "Company", 0)]


@pytest.fixture(scope="module", params=[False, True], ids=["assets", "single-file"])
def nested_page(request, tmp_path_factory):
    """An article page whose mentions hold other mentions, and the node index of each
    label: ``(page, {label: data-e})``."""
    entities = []
    for outer, oc, inner, ic, i in NESTINGS:
        entities += [(f"e-{outer}", oc, outer, set(), [("t1", i)]),
                     (f"e-{inner}", ic, inner, set(), [("t1", i)])]
    entities.append(("e-科创贷", "FinancialProduct", "科创贷", set(), [("t1", 0)]))
    records = make_records({"t1": NESTED}, entities,
                           [("e-杭州银行", "offers", "e-科创贷", "t1", 0, "fixture.relation")],
                           titles={"t1": "测试"})
    page = write_pages(records, tmp_path_factory.mktemp("nested"), single_file=request.param)[1]
    data = payload(page)
    return page, {n["l"]: i for i, n in enumerate(data["nodes"])}


@pytest.mark.parametrize("outer, inner", [(o, i) for o, _, i, _, _ in NESTINGS])
def test_a_mention_holding_another_is_marked_and_clickable(chromium, nested_page, tmp_path,
                                                          outer, inner):
    page, index = nested_page
    # click the outer mark on a character outside the inner one
    probe = with_probe(page, f"""
        var m = document.querySelector('#kg-text mark[data-e="{index[outer]}"]');
        probe('outer', m ? m.textContent : '');
        var inner = m && m.querySelector('mark[data-e="{index[inner]}"]');
        probe('inner', inner ? inner.textContent : '');
        var rest = [].slice.call(m ? m.childNodes : []).filter(function (c) {{ return c.nodeType === 3; }});
        if (rest.length) {{
          var ev = new MouseEvent('click', {{bubbles: true}});
          rest[0].parentNode.dispatchEvent(ev);
        }}
        probe('title', (document.querySelector('#kg-details .kg-d-title') || {{}}).textContent);
        probe('lit', document.querySelectorAll('#kg-text mark.kg-on').length);
    """)
    dom, log = open_page(chromium, probe, tmp_path)
    assert_drawn(dom, log)
    assert html_attr(dom, "data-kg-mentions") == str(len(index))  # every mention is marked
    assert html_attr(dom, "data-kg-probe-outer") == outer
    assert html_attr(dom, "data-kg-probe-inner") == inner  # nested inside the outer mark
    assert html_attr(dom, "data-kg-probe-title") == outer  # a click on it selects it
    assert html_attr(dom, "data-kg-probe-lit") == "1"


def test_click_from_text_to_node_and_back(chromium, mini_pages, tmp_path):
    probe = with_probe(mini_pages[1], """
        var m = document.querySelector('#kg-text mark[title^="网商银行"]');
        m.click();
        probe('selected', window.kgNetwork.getSelectedNodes().join(','));
        probe('from-text', m.getAttribute('data-e'));
        window.kgNetwork.body.emitter.emit('click', {nodes: [Number(m.getAttribute('data-e')) ], edges: []});
        probe('lit', document.querySelectorAll('#kg-text mark.kg-on').length);
        var lit = document.querySelector('#kg-text mark.kg-on');
        probe('lit-text', lit ? lit.textContent : '');
        var i = Number(document.querySelector('#kg-text mark[title^="人工智能"]').getAttribute('data-e'));
        window.kgNetwork.body.emitter.emit('click', {nodes: [i], edges: []});
        probe('lit2', document.querySelector('#kg-text mark.kg-on').textContent);
    """)
    dom, log = open_page(chromium, probe, tmp_path)
    assert_drawn(dom, log)
    node = html_attr(dom, "data-kg-probe-from-text")
    assert html_attr(dom, "data-kg-probe-selected") == node  # text -> the node is selected
    assert (html_attr(dom, "data-kg-probe-lit"), html_attr(dom, "data-kg-probe-lit-text")) == ("1", "网商银行")
    assert html_attr(dom, "data-kg-probe-lit2") == "人工智能"  # node -> its mention lights up
    assert '<div class="kg-d-title">人工智能</div>' in dom


def test_article_link_from_the_whole_graph_lights_the_mentions(chromium, mini_pages, tmp_path):
    dom, log = open_page(chromium, mini_pages[2], tmp_path, "#find=" + quote("杭州"))
    assert_drawn(dom, log)
    assert html_attr(dom, "data-kg-lit") == "2"  # 杭州 is met in both sentences
    assert 'href="../graph.html#find=%E6%9D%AD%E5%B7%9E"' in dom


# ------------------------------------------------------------------ phone
LAYOUT = """
    var g = document.getElementById('kg-network').getBoundingClientRect();
    var a = document.querySelector('aside').getBoundingClientRect();
    probe('graph', [g.left, g.top, g.width, g.height].map(Math.round).join(','));
    probe('aside', [a.left, a.top, a.width].map(Math.round).join(','));
    probe('scroll-width', document.documentElement.scrollWidth);
"""


def in_phone_frame(page: Path, width: int = 420, height: int = 860) -> Path:
    """A page holding ``page`` in a ``width`` px frame (headless Chromium's window is at
    least 500 px wide); the frame's <html> attributes are copied onto the holder's."""
    holder = page.with_name(page.stem + "-phone.html")
    holder.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{page.name}" '
        f'style="border:0;width:{width}px;height:{height}px"></iframe><script>'
        "setInterval(function () { var d = document.getElementById('f').contentDocument;"
        " if (!d || !d.documentElement) { return; }"  # the frame's page is not there yet
        " Array.prototype.forEach.call(d.documentElement.attributes, function (a) {"
        " document.documentElement.setAttribute(a.name, a.value); }); }, 50);"
        "</script></body></html>", "utf-8")
    return holder


@pytest.mark.parametrize("index", [0, 1])
def test_phone_layout_puts_the_panel_below_the_graph(chromium, mini_pages, tmp_path, index):
    dom, log = open_page(chromium, in_phone_frame(with_probe(mini_pages[index], LAYOUT)), tmp_path, "",
                         "--allow-file-access-from-files")
    assert_drawn(dom, log)
    gx, gy, gw, gh = map(int, html_attr(dom, "data-kg-probe-graph").split(","))
    ax, ay, aw = map(int, html_attr(dom, "data-kg-probe-aside").split(","))
    assert int(html_attr(dom, "data-kg-probe-scroll-width")) <= 420  # nothing cut off sideways
    if index == 0:
        assert gw >= 400 and gh >= 300  # the graph takes the whole width
        assert ay >= gy + gh and aw >= 400  # the panel below it, full width
    else:
        assert aw >= 400 and gw >= 400  # article page: text, then graph and details, full width


def test_desktop_layout_keeps_the_panel_beside_the_graph(chromium, mini_pages, tmp_path):
    dom, log = open_page(chromium, with_probe(mini_pages[0], LAYOUT), tmp_path, "",
                         "--window-size=1280,800")
    gx, gy, gw, gh = map(int, html_attr(dom, "data-kg-probe-graph").split(","))
    ax, ay, aw = map(int, html_attr(dom, "data-kg-probe-aside").split(","))
    assert ax >= gx + gw and gw > 2 * aw


# ------------------------------------------------------------------ 10,000 entities
def big_records(n: int):
    """``n`` entities, about 1.5 n relations (preferential attachment, fixed seed)."""
    import random

    rng = random.Random(0)
    classes = ["Bank", "Company", "Platform", "Problem", "Remedy", "City", "Concept", "Technology"]
    preds = {"Bank": "offers", "Company": "uses", "Platform": "addresses", "Remedy": "addresses",
             "City": "locatedIn", "Problem": "causes", "Concept": "enables", "Technology": "enables"}
    text = [f"句子{i}。" for i in range(50)]
    ents = [(f"e-{i:05d}", classes[i % 8], f"实体{i}", set(), [("big", i % 50)]) for i in range(n)]
    rels, targets = [], [0]
    for i in range(1, n):
        for _ in range(1 if rng.random() < 0.5 else 2):
            j = rng.choice(targets)
            rels.append((f"e-{i:05d}", preds[classes[i % 8]], f"e-{j:05d}", "big", i % 50, "bench.rel"))
            targets += [i, j]
    return make_records({"big": text}, ents, rels)


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    return write_pages(big_records(10_000), tmp_path_factory.mktemp("big"))[0]


def test_a_graph_of_10000_entities_opens_stable_with_readable_labels(chromium, big_page, tmp_path):
    dom, log = open_page(chromium, big_page, tmp_path, "", "--window-size=1280,800", timeout=120)
    assert_drawn(dom, log)
    assert html_attr(dom, "data-kg-stable") == "1"
    assert html_attr(dom, "data-kg-entities") == "10000"
    assert 20 <= int(html_attr(dom, "data-kg-nodes")) <= 120  # a first view that fits
    assert float(html_attr(dom, "data-kg-font-px")) >= 12  # labels readable without zooming
    assert "显示 showing" in dom and "/ 10000 个实体 entities" in dom


def test_find_link_brings_a_far_entity_into_view_centred_and_zoomed(chromium, big_page, tmp_path):
    probe = with_probe(big_page, """
        var id = window.kgNetwork.getSelectedNodes()[0];
        var p = window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions([id])[id]);
        var box = document.getElementById('kg-network');
        probe('at', Math.round(p.x - box.clientWidth / 2) + ',' + Math.round(p.y - box.clientHeight / 2));
        probe('scale', window.kgNetwork.getScale());
    """)
    dom, log = open_page(chromium, probe, tmp_path, "#find=" + quote("实体9876"), "--window-size=1280,800",
                         timeout=120)
    assert_drawn(dom, log)
    assert html_attr(dom, "data-kg-found") == "1"
    dx, dy = map(int, html_attr(dom, "data-kg-probe-at").split(","))
    assert abs(dx) <= 5 and abs(dy) <= 5  # centred
    assert float(html_attr(dom, "data-kg-probe-scale")) >= 1.0  # zoomed to a readable size
    assert '<div class="kg-d-title">实体9876</div>' in dom
