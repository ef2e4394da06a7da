"""Print lexicon and gazetteer lines for China's administrative divisions that
ontology/ lacks, from an ``adcodes.csv`` (adcode,name,... as shipped in the ``cpca``
package, MIT: ``pip download cpca --no-deps`` and unzip; cpca/resources/adcodes.csv).

Run once by hand; its output was reviewed and appended to ontology/lexicon/regions.txt
and ontology/rules/gazetteer.toml (session 14). Not a dependency of kg.

Usage: python scripts/places_from_adcodes.py ADCODES.csv lexicon|gazetteer|counties

* prefecture-level divisions (cities, autonomous prefectures, 地区, 盟) missing from the
  lexicon, typed ``city``, with their short form (淄博市 -> 淄博, 凉山彝族自治州 -> 凉山)
  unless jieba's dictionary knows the short form as a word that is no place name
  (开封 v, 日照 n) or it is in AMBIGUOUS;
* county-level divisions (…县, …区, …市, …旗) by their full name only, typed ``district``
  (their short forms are too often words: 城关, 新华, 朝阳), and not where the name without
  its suffix is a word jieba knows as no place (新建区: 要新建区域性中心); generic names
  left out;
* gazetteer: each prefecture-level division missing from [within], in its province
  (not 海南, a province of its own, nor 朝阳, a district of Beijing too);
* counties: each county-level division the lexicon has, named once in the country, in its
  prefecture-level city (镜湖区 = 芜湖).
"""

from __future__ import annotations

import csv
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AMBIGUOUS = {"开封", "日照", "来宾", "长治", "朝阳", "白山", "红河", "怒江", "海南", "阿里", "玉树",
             "兴安", "海北", "海西", "海东", "北海", "黄山", "文山", "和田", "通化", "本溪", "吉安",
             "永州", "安顺", "新余", "佳木斯", "三明", "南平", "抚州", "益阳", "信阳", "阳江",
             "河源", "百色", "玉林", "河池", "崇左", "贺州", "铁岭", "四平", "辽阳", "营口", "盘锦",
             "丹东", "黑河", "伊春", "鸡西", "鹤岗", "新乡", "许昌", "随州", "商丘", "泰安", "德州", "普洱"}
NOT_WITHIN = {"海南", "朝阳"}  # a province of its own; a district of Beijing as well
GENERIC = {"城区", "郊区", "矿区", "市中区", "新区", "市辖区", "县", "开发区", "高新区", "城关区",
           "城中区", "城东区", "城西区", "城南区", "城北区", "中区", "东区", "西区", "南区", "北区"}
SUFFIXES = ("土家族苗族自治州", "藏族羌族自治州", "布依族苗族自治州", "苗族侗族自治州", "哈尼族彝族自治州",
            "壮族苗族自治州", "傣族景颇族自治州", "傈僳族自治州", "朝鲜族自治州", "蒙古族藏族自治州",
            "柯尔克孜自治州", "哈萨克自治州", "蒙古自治州", "回族自治州", "彝族自治州", "白族自治州",
            "傣族自治州", "藏族自治州", "自治州", "地区", "盟", "市")


def short_form(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def lexicon_words() -> set[str]:
    words = set()
    for f in (ROOT / "ontology" / "lexicon").glob("*.txt"):
        for line in f.read_text("utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line:
                words.add(line.split()[0])
    return words


def jieba_non_places() -> set[str]:
    """Words of jieba's dictionary that are no place names, or common words whatever their
    tag (新建 ns 1000: 新建区 would be found in 新建区域; 长安, 江山)."""
    import jieba

    out = set()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, freq, tag = line.split()
            if not tag.startswith("ns") or int(freq) >= 500:
                out.add(word)
    return out


def lexicon_lines(prefectures: list[dict], counties: list[dict]):
    """Lexicon lines of the places the lexicon lacks."""
    have, non_places = lexicon_words(), jieba_non_places()
    for r in sorted(prefectures, key=lambda r: r["adcode"]):
        name, short = r["name"], short_form(r["name"])
        if name not in have:
            yield f"{name} city"
        if short != name and short not in have and short not in AMBIGUOUS \
                and short not in non_places:
            yield f"{short} city"
    seen = set()
    for r in sorted(counties, key=lambda r: r["adcode"]):
        name = r["name"]
        if name in have or name in seen or name in GENERIC or len(name) < 3 \
                or not re.search(r"(县|区|市|旗)$", name) or name[:-1] in non_places:
            continue  # 新建区: 新建 is a word (要新建区域性中心), so is 平湖 …
        seen.add(name)
        yield f"{name} district"


def within_table() -> dict:
    return tomllib.loads((ROOT / "ontology" / "rules" / "gazetteer.toml").read_text("utf-8"))["within"]


def gazetteer_lines(prefectures: list[dict], province: dict):
    """[within] lines: each prefecture-level division the table lacks, in its province."""
    within = within_table()
    for r in sorted(prefectures, key=lambda r: r["adcode"]):
        name, short = r["name"], short_form(r["name"])
        prov = short_form(province[r["adcode"][:2]]).removesuffix("省")
        prov = re.sub(r"(壮族|回族|维吾尔)?自治区$", "", prov)
        if name in within or short in within or short in NOT_WITHIN:
            continue
        yield f'"{short}" = "{prov}"'


def county_lines(prefectures: list[dict], counties: list[dict]):
    """[within] lines: a district or county in its prefecture-level city (镜湖区 = 芜湖), names
    the lexicon has, given once in the country (an ambiguous name, 朝阳区, left out)."""
    within, have = within_table(), lexicon_words()
    count: dict[str, int] = {}
    for r in counties:
        count[r["name"]] = count.get(r["name"], 0) + 1
    pref = {r["adcode"][:4]: r["name"] for r in prefectures}
    for r in sorted(counties, key=lambda r: r["adcode"]):
        name, parent = r["name"], pref.get(r["adcode"][:4])
        if parent is None or count[name] > 1 or name not in have or name in within \
                or name in GENERIC:
            continue
        yield f'"{name}" = "{short_form(parent)}"'


def main(path: str, what: str) -> None:
    rows = [r for r in csv.DictReader(open(path, encoding="utf-8"))
            if not r["name"].endswith(("直辖县级行政区划", "市辖区")) and r["name"] != "县"]
    province = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:] == "0" * 10}
    prefectures = [r for r in rows if r["adcode"][2:4] != "00" and r["adcode"][4:] == "0" * 8]
    counties = [r for r in rows if r["adcode"][4:6] != "00" and r["adcode"][6:] == "0" * 6]
    lines = {"lexicon": lambda: lexicon_lines(prefectures, counties),
             "gazetteer": lambda: gazetteer_lines(prefectures, province),
             "counties": lambda: county_lines(prefectures, counties)}[what]()
    for line in lines:
        print(line)


if __name__ == "__main__":
    main(*sys.argv[1:3])
