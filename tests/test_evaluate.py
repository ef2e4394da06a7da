"""`kg eval`: matching, exact figures on a hand-computed case, reports, bad gold files."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import EvalError
from kg.evaluate import evaluate_files, load_gold, normalise

MINI = Path(__file__).parent / "data" / "mini.ttl"

# The digital_finance article of mini.ttl mentions 7 entities: 蚂蚁金服 (Company),
# 网商银行 (Bank), 无抵押信用贷款 (FinancialProduct), 融资难 (Problem), 人工智能
# (Technology), 数字金融 and 新质生产力 (Concept). It has 5 relations: 网商银行
# subsidiaryOf 蚂蚁金服, 网商银行 offers 无抵押信用贷款, 网商银行 uses 人工智能,
# 无抵押信用贷款 addresses 融资难, 数字金融 enables 新质生产力.
TINY = {
    "article": "digital_finance",
    "entities": [
        {"id": "e1", "label": "网商银行", "types": ["Institution"], "aliases": []},       # Bank ⊑ Institution
        {"id": "e2", "label": "蚂蚁金服集团", "types": ["Institution"], "aliases": ["“蚂蚁金服”"]},
        {"id": "e3", "label": "无抵押信用贷款", "types": ["Product"]},
        {"id": "e4", "label": "融资难", "types": ["Problem"], "aliases": []},
        {"id": "e5", "label": "数字金融", "types": ["Product"], "aliases": []},            # wrong type
        {"id": "e6", "label": "微业贷", "types": ["Product"], "aliases": []},              # not in graph
    ],
    "relations": [
        {"s": "e1", "p": "partOf", "o": "e2", "evidence": "蚂蚁金服旗下的网商银行"},     # graph: subsidiaryOf
        {"s": "e1", "p": "offers", "o": "e3"},
        {"s": "e3", "p": "causes", "o": "e4"},                                            # graph: addresses
        {"s": "e2", "p": "offers", "o": "e6"},                                            # end missing
        {"s": "e4", "p": "causes", "o": "e3"},                                            # reversed
    ],
}


def write_gold(tmp_path: Path, data, name: str = "gold.json") -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def run_json(*gold_paths: Path, graph: Path = MINI) -> dict:
    return json.loads(evaluate_files(list(gold_paths), graph, fmt="json"))


def approx(fraction: Fraction) -> float:
    return pytest.approx(float(fraction), abs=1e-4)


# ------------------------------------------------------------ exact figures
def test_tiny_case_entity_figures(tmp_path):
    report = run_json(write_gold(tmp_path, TINY))["files"][0]
    ents = report["entities"]
    # found: 网商银行, 蚂蚁金服 (by alias), 无抵押信用贷款, 融资难 -> 4 of 6 gold, 4 of 7 graph
    assert (ents["gold"], ents["found"], ents["graph"], ents["correct"]) == (6, 4, 7, 4)
    assert ents["recall"] == approx(Fraction(4, 6))
    assert ents["precision"] == approx(Fraction(4, 7))
    assert ents["f1"] == approx(Fraction(8, 13))


def test_tiny_case_per_class_and_core_five(tmp_path):
    report = run_json(write_gold(tmp_path, TINY))["files"][0]
    classes = report["classes"]
    assert {k: (v["gold"], v["found"], v["graph"], v["correct"]) for k, v in classes.items()} == {
        "Institution": (2, 2, 2, 2),   # kg:Bank and kg:Company count as Institution
        "Product": (3, 1, 1, 1),
        "Problem": (1, 1, 1, 1),
        "Concept": (0, 0, 3, 0),       # kg:Technology counts as Concept
    }
    assert report["core_five_found"]["gold"] == 6
    assert report["core_five_found"]["found"] == 4
    assert report["core_five_found"]["recall"] == approx(Fraction(4, 6))


def test_tiny_case_relation_figures(tmp_path):
    report = run_json(write_gold(tmp_path, TINY))["files"][0]
    rels = report["relations"]
    # found: partOf (as subsidiaryOf), offers, e3->e4 (as addresses); reversed and missing-end are not
    assert (rels["gold"], rels["found"], rels["graph"], rels["correct"]) == (5, 3, 5, 3)
    assert rels["recall"] == approx(Fraction(3, 5))
    assert rels["precision"] == approx(Fraction(3, 5))
    # subsidiaryOf agrees with partOf (sub-property); addresses does not agree with causes
    assert report["predicate_agreement"] == {"matched": 3, "agreeing": 2, "rate": approx(Fraction(2, 3))}


def test_tiny_case_lists_misses_and_extras(tmp_path):
    report = run_json(write_gold(tmp_path, TINY))["files"][0]
    assert [m["label"] for m in report["missed_entities"]] == ["数字金融", "微业贷"]
    assert sorted(e["label"] for e in report["extra_entities"]) == ["人工智能", "数字金融", "新质生产力"]
    assert {(r["s"], r["p"], r["o"]) for r in report["missed_relations"]} == {
        ("蚂蚁金服集团", "offers", "微业贷"), ("融资难", "causes", "无抵押信用贷款")}
    assert {(r["s"], r["p"], r["o"]) for r in report["extra_relations"]} == {
        ("网商银行", "uses", "人工智能"), ("数字金融", "enables", "新质生产力")}
    assert report["predicate_disagreements"] == [
        {"s": "无抵押信用贷款", "o": "融资难", "gold": "causes", "graph": ["addresses"]}]


def test_text_report_is_readable(tmp_path):
    gold = write_gold(tmp_path, TINY)
    text = evaluate_files([gold], MINI, fmt="text")
    lines = text.splitlines()
    assert lines[0] == f"== {gold} (article digital_finance) against {MINI}"
    entity_row = next(line for line in lines if line.startswith("Entities"))
    assert entity_row.split() == ["Entities", "6", "4", "0.667", "7", "4", "0.571", "0.615"]
    assert "Predicate agreement   2/3 matched relations = 0.667" in lines
    assert "Core five found       4/6 = 0.667  (Institution, Product, Problem, Remedy, Region)" in lines
    assert "Missed entities (2):" in lines
    assert "  微业贷 [Product]" in lines
    assert "  人工智能 [Technology]" in lines
    assert "  融资难 --causes--> 无抵押信用贷款" in lines
    assert "  无抵押信用贷款 → 融资难: gold causes, graph addresses" in lines
    assert "Total" not in text  # one file: no total section


# ------------------------------------------------------------ matching rules
@pytest.mark.parametrize("article, label, aliases, types, found", [
    ("digital_finance", "网商银行", [], ["Institution"], True),          # kg:Bank ⊑ FinancialInstitution ⊑ Institution
    ("digital_finance", "网商银行", [], ["Product"], False),             # type must agree
    ("digital_finance", "网商银行", [], ["Product", "Institution"], True),  # any listed type
    ("digital_finance", "人工智能", [], ["Concept"], True),              # kg:Technology ⊑ Concept
    ("digital_finance", "“网商银行”", [], ["Institution"], True),        # quote marks stripped (gold side)
    ("digital_finance", "网 商 银行", [], ["Institution"], True),        # white space stripped
    ("digital_finance", "阿里网商", ["《网商银行》"], ["Institution"], True),  # alias
    ("digital_finance", "网商", [], ["Institution"], False),             # no partial match
    ("smart_city", "长江三角洲", [], ["Region"], True),                  # graph skos:altLabel
    ("smart_city", "城市大脑", [], ["Product"], True),                   # kg:Platform ⊑ Product
    ("smart_city", "杭州", [], ["Region"], True),                        # kg:City ⊑ Region
    ("digital_finance", "杭州", [], ["Region"], False),                  # not mentioned by this article
])
def test_entity_matching(tmp_path, article, label, aliases, types, found):
    gold = {"article": article, "relations": [],
            "entities": [{"id": "e1", "label": label, "types": types, "aliases": aliases}]}
    report = run_json(write_gold(tmp_path, gold))["files"][0]
    assert report["entities"]["found"] == int(found)


@pytest.mark.parametrize("text, expected", [
    ("“城市大脑”", "城市大脑"),
    ("《关于做好金融“五篇大文章”的指导意见》", "关于做好金融五篇大文章的指导意见"),
    ("「一网 通办」\n", "一网通办"),
    ("'6G'", "6g"),
    ("“５Ｇ基站”", "5g基站"),  # NFKC, Latin lower-cased: as the resolver merges labels
])
def test_normalise(text, expected):
    """kg eval compares labels in the resolver's form (``kg.resolve.normalise``)."""
    assert normalise(text) == expected


def test_relation_without_reification_counts_where_both_ends_are_mentioned(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(MINI.read_text("utf-8") + "\nkgd:institution-7d126eb4c850 kg:uses kgd:concept-795487e33952 .\n",
                     "utf-8")   # 网商银行 uses 数字金融, asserted only
    gold = {"article": "digital_finance",
            "entities": [{"id": "a", "label": "网商银行", "types": ["Institution"]},
                         {"id": "b", "label": "数字金融", "types": ["Concept"]}],
            "relations": [{"s": "a", "p": "uses", "o": "b"}]}
    report = run_json(write_gold(tmp_path, gold), graph=graph)["files"][0]
    assert report["relations"]["found"] == 1
    assert report["predicate_agreement"]["agreeing"] == 1


def test_split_entities_are_listed(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(MINI.read_text("utf-8") + """
kgd:institution-000000000001 a kg:Bank ; rdfs:label "网商"@zh ; skos:altLabel "浙江网商银行"@zh .
kgd:article-digital_finance kg:mentions kgd:institution-000000000001 .
""", "utf-8")
    gold = {"article": "digital_finance", "relations": [],
            "entities": [{"id": "a", "label": "网商银行", "types": ["Institution"], "aliases": ["浙江网商银行"]}]}
    report = run_json(write_gold(tmp_path, gold), graph=graph)["files"][0]
    [split] = report["split_entities"]
    assert (split["label"], sorted(split["graph"])) == ("网商银行", ["网商", "网商银行"])
    assert report["entities"]["correct"] == 2   # both nodes are right, neither is an extra


# ------------------------------------------------------------ several files
def test_several_gold_files_are_micro_averaged(tmp_path):
    first = write_gold(tmp_path, TINY, "df.json")
    second = write_gold(tmp_path, {
        "article": "smart_city",
        "entities": [{"id": "c", "label": "城市大脑", "types": ["Product"]},
                     {"id": "d", "label": "拥堵", "types": ["Problem"]},
                     {"id": "x", "label": "一网统管", "types": ["Product"]}],
        "relations": [{"s": "c", "p": "addresses", "o": "d"}]}, "sc.json")
    doc = run_json(first, second)
    assert [f["article"] for f in doc["files"]] == ["digital_finance", "smart_city"]
    sc = doc["files"][1]["entities"]
    # smart_city mentions 6 entities: 人工智能, 拥堵, 城市大脑, 杭州, 长三角, 推广城市大脑治理拥堵
    assert (sc["gold"], sc["found"], sc["graph"], sc["correct"]) == (3, 2, 6, 2)
    total = doc["total"]["entities"]
    assert (total["gold"], total["found"], total["graph"], total["correct"]) == (6 + 3, 4 + 2, 7 + 6, 4 + 2)
    assert total["recall"] == approx(Fraction(6, 9))
    assert total["precision"] == approx(Fraction(6, 13))
    assert doc["total"]["relations"]["found"] == 3 + 1
    assert doc["total"]["files"] == 2
    text = evaluate_files([first, second], MINI, fmt="text")
    assert any(line.startswith("== Total, micro-averaged over 2 gold files") for line in text.splitlines())


def test_shipped_gold_files_are_valid():
    for path in sorted((Path(__file__).parent / "gold").glob("*.json")):
        gold = load_gold(path)
        assert gold.article == path.stem
        labels = [normalise(e.label) for e in gold.entities]
        assert len(labels) == len(set(labels)), f"{path}: duplicate labels"


# ------------------------------------------------------------ CLI and errors
def test_cli_eval_prints_report(tmp_path):
    gold = write_gold(tmp_path, TINY)
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--graph", str(MINI)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"== {gold} (article digital_finance)")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--graph", str(MINI),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"][0]["entities"]["found"] == 4


_GOOD_ENTITY = {"id": "e1", "label": "网商银行", "types": ["Institution"]}


@pytest.mark.parametrize("content, message", [
    ("{", "invalid JSON at line 1, column 2: Expecting property name enclosed in double quotes"),
    ('{"article": "x",\n "entities": [,]}', "invalid JSON at line 2, column 15: Expecting value"),
    ("[]", "the top level must be a JSON object with keys article, entities, relations"),
    (b'{"article": "\xff"}', "not UTF-8 text (byte 13)"),
    ({"article": "digital_finance", "relations": []}, "missing key 'entities'"),
    ({"entities": [], "relations": []}, "missing key 'article'"),
    ({"article": "digital_finance", "entities": [], "relations": [], "notes": 1},
     "unknown key 'notes' (expected article, text, genre, topic, entities, relations)"),
    ({"article": "", "entities": [], "relations": []}, "'article' must be a non-empty string"),
    ({"article": "digital_finance", "entities": {}, "relations": []}, "'entities' must be a list"),
    ({"article": "digital_finance", "relations": [],
      "entities": [{"id": "e1", "label": "网商银行", "types": ["Bank"]}]},
     "entity e1: unknown type 'Bank' (expected one of Institution, Product, Problem, Remedy, "
     "Region, Person, Concept, Event, Document)"),
    ({"article": "digital_finance", "relations": [],
      "entities": [{"id": "e1", "label": "网商银行", "type": ["Institution"]}]},
     "entity e1: missing key 'types'; entity e1: unknown key 'type' (expected id, label, types, aliases)"),
    ({"article": "digital_finance", "relations": [],
      "entities": [{"id": "e1", "label": "“”", "types": ["Institution"]}]},
     "entity e1: 'label' must be a non-empty string"),
    ({"article": "digital_finance", "relations": [],
      "entities": [{"id": "e1", "label": "网商银行", "types": []}]},
     "entity e1: 'types' must be a non-empty list of class names"),
    ({"article": "digital_finance", "relations": [], "entities": [_GOOD_ENTITY, _GOOD_ENTITY]},
     "entity e1: duplicate id"),
    ({"article": "digital_finance", "entities": [_GOOD_ENTITY],
      "relations": [{"s": "e1", "p": "offers", "o": "e9"}]},
     "relation 1: 'o' refers to unknown entity id 'e9'"),
    ({"article": "digital_finance", "entities": [_GOOD_ENTITY],
      "relations": [{"s": "e1", "p": "owns", "o": "e1"}]},
     "relation 1: unknown predicate 'owns' (expected one of addresses, affiliatedWith, authorOf, "
     "causes, enables, exemplifies, locatedIn, offers, partOf, prevents, subsidiaryOf, undertakes, uses)"),
    ({"article": "digital_finance", "entities": [_GOOD_ENTITY], "relations": [{"s": "e1", "o": "e1"}]},
     "relation 1: missing key 'p'"),
    ({"article": "digital_finance", "entities": [_GOOD_ENTITY],
      "relations": [{"s": f"x{i}", "p": "offers", "o": "e1"} for i in range(5)]},
     "relation 1: 's' refers to unknown entity id 'x0'; relation 2: 's' refers to unknown entity id "
     "'x1'; relation 3: 's' refers to unknown entity id 'x2' (and 2 more)"),
    ({"article": "no_such_article", "entities": [], "relations": []},
     "article 'no_such_article' is not in the graph {graph} (articles there: digital_finance, smart_city)"),
])
def test_bad_gold_file_is_one_line_error(tmp_path, content, message):
    gold = write_gold(tmp_path, content)
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--graph", str(MINI)])
    assert result.exit_code == 1
    assert result.output == f"Error: {gold}: {message.format(graph=MINI)}\n"
    assert "Traceback" not in result.output


def test_missing_gold_file(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path / "none.json"), "--graph", str(MINI)])
    assert result.exit_code == 1
    assert result.output == f"Error: gold file not found: {tmp_path / 'none.json'}\n"


def test_missing_graph_file(tmp_path):
    gold = write_gold(tmp_path, TINY)
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--graph", str(tmp_path / "kg.ttl")])
    assert result.exit_code == 1
    assert result.output == f"Error: graph file not found: {tmp_path / 'kg.ttl'} (run `kg build` first?)\n"


def test_load_gold_raises_eval_error(tmp_path):
    with pytest.raises(EvalError, match=r"gold\.json: missing key 'relations'$"):
        load_gold(write_gold(tmp_path, {"article": "a", "entities": []}))


def test_eval_does_not_import_jieba(tmp_path):
    gold = write_gold(tmp_path, TINY)
    code = ("import sys; from kg.evaluate import evaluate_files; "
            f"evaluate_files([{str(gold)!r}], {str(MINI)!r}); "
            "print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------- folders, fresh builds, rows
_TEXT = ("# id: tiny_bank\n# title: 小文章\n# genre: news report (test)\n\n"
         "微众银行推出了“微业贷”，缓解小微企业融资难问题。\n")
_TINY_GOLD = {
    "article": "tiny_bank", "text": "tiny_bank.txt", "topic": "finance",
    "entities": [
        {"id": "e1", "label": "微众银行", "types": ["Institution"], "aliases": []},
        {"id": "e2", "label": "微业贷", "types": ["Product"], "aliases": []},
        {"id": "e3", "label": "融资难", "types": ["Problem"], "aliases": []},
        {"id": "e4", "label": "不存在的东西", "types": ["Concept"], "aliases": []},
    ],
    "relations": [{"s": "e1", "p": "offers", "o": "e2"}, {"s": "e2", "p": "addresses", "o": "e3"}],
}


def _tiny_set(folder: Path, text_dir: Path | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (text_dir or folder).mkdir(parents=True, exist_ok=True)
    (text_dir or folder).joinpath("tiny_bank.txt").write_text(_TEXT, encoding="utf-8")
    folder.joinpath("tiny_bank.json").write_text(json.dumps(_TINY_GOLD, ensure_ascii=False),
                                                 encoding="utf-8")
    return folder


def test_eval_of_a_folder_builds_each_article_from_its_text(tmp_path):
    gold_dir = _tiny_set(tmp_path / "gold")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    total = doc["total"]
    assert total["files"] == 1
    assert total["entities"]["found"] == 3          # the bank, the product, the problem
    assert total["predicates"]["offers"]["found"] == 1
    assert doc["files"][0]["genre"] == "news report"
    assert set(doc["topics"]) == {"finance"}
    assert total["linked"]["gold_share"] == 0.75


def test_eval_finds_texts_through_texts_option(tmp_path):
    gold_dir = _tiny_set(tmp_path / "gold", text_dir=tmp_path / "texts")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {gold_dir / 'tiny_bank.json'}: text tiny_bank.txt not found in ")
    assert result.output.count("\n") == 1
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), "--texts",
                                       str(tmp_path / "texts")])
    assert result.exit_code == 0, result.output
    assert "Linked entities" in result.output


def test_eval_totals_only_hides_every_article(tmp_path):
    gold_dir = _tiny_set(tmp_path / "gold")
    second = dict(_TINY_GOLD, article="tiny_bank2", text="tiny_bank2.txt")
    (tmp_path / "gold2").mkdir()
    (tmp_path / "gold2" / "tiny_bank2.txt").write_text(_TEXT.replace("tiny_bank", "tiny_bank2"),
                                                       encoding="utf-8")
    (tmp_path / "gold2" / "copy.json").write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), "--gold",
                                       str(tmp_path / "gold2"), "--totals-only"])
    assert result.exit_code == 0, result.output
    assert "tiny_bank" not in result.output and "Missed" not in result.output
    assert "== Total, micro-averaged over 2 gold files" in result.output
    shown = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), "--gold",
                                      str(tmp_path / "gold2")])
    assert "== Per article" in shown.output and "== Per genre" in shown.output


def test_eval_of_an_empty_folder_is_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}: no gold files (*.json) in this folder\n"


def test_a_folder_marked_totals_only_is_never_shown_per_article(tmp_path):
    gold_dir = _tiny_set(tmp_path / "gold")
    (gold_dir / ".totals-only").write_text("blind\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), "--details"])
    assert result.exit_code == 0, result.output
    assert "tiny_bank" not in result.output and "Missed" not in result.output
    assert result.output.startswith("                        gold  found")
    doc = json.loads(CliRunner().invoke(main, ["eval", "--gold", str(gold_dir), "--format",
                                               "json"]).output)
    assert doc["files"] == [] and doc["total"]["files"] == 1


def test_the_blind_set_is_marked_totals_only():
    assert (Path(__file__).parent / "blind" / ".totals-only").is_file()


@pytest.mark.parametrize("named_by", ["file", "id"])
def test_a_gold_file_of_the_spec_names_its_article_only(tmp_path, named_by):
    """SPEC's gold form has no "text" key: the text is <article>.txt, or the text whose
    '# id:' is the article, in --texts DIR (or beside the gold file, or sources/)."""
    texts = tmp_path / "texts"
    texts.mkdir()
    name = "a1.txt" if named_by == "file" else "whatever.txt"
    (texts / name).write_text("# id: a1\n\n网商银行推出信用贷款。\n", "utf-8")
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"article": "a1", "entities": [
        {"id": "e1", "label": "网商银行", "types": ["Institution"], "aliases": []}],
        "relations": []}, ensure_ascii=False), "utf-8")
    r = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--texts", str(texts), "--totals-only"])
    assert r.exit_code == 0, r.output
    assert "Entities" in r.output
    r = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--totals-only"])
    assert r.exit_code == 1
    assert r.output.startswith(f"Error: {gold}: no text of article 'a1' (no a1.txt, and no text whose "
                               f"'# id:' is a1) in {tmp_path}, sources: ")


# ------------------------------------------------------- a second reader (--reader)
def _second_reader() -> dict:
    """TINY as a second reader saw it: 微业贷 missed, 数字金融 read as a Concept, one more
    entity (人工智能), one relation reversed (e3 causes e4 read as e4 causes e3) and
    蚂蚁金服集团 → 网商银行 named by the short name alone."""
    other = json.loads(json.dumps(TINY))
    other["entities"] = [e for e in other["entities"] if e["id"] != "e6"]
    other["entities"][1] = {"id": "e2", "label": "蚂蚁金服", "types": ["Institution"]}
    other["entities"][4]["types"] = ["Concept"]
    other["entities"].append({"id": "e7", "label": "人工智能", "types": ["Concept"]})
    other["relations"] = [{"s": "e1", "p": "partOf", "o": "e2"}, {"s": "e1", "p": "offers", "o": "e3"},
                          {"s": "e4", "p": "causes", "o": "e3"}, {"s": "e1", "p": "uses", "o": "e7"}]
    return other


def test_a_reader_agrees_with_itself_entirely(tmp_path):
    gold = write_gold(tmp_path, TINY)
    total = json.loads(evaluate_files([gold], fmt="json", reader_paths=[gold]))["total"]
    for key in ("entities", "relations"):
        assert (total[key]["precision"], total[key]["recall"]) == (1.0, 1.0), key


def test_a_second_reader_is_scored_like_a_graph(tmp_path):
    gold = write_gold(tmp_path, TINY)
    (tmp_path / "reader").mkdir()
    write_gold(tmp_path / "reader", _second_reader(), "mine.json")
    doc = json.loads(evaluate_files([gold], fmt="json", reader_paths=[tmp_path / "reader"]))
    total = doc["total"]
    # found: e1-e4 of six (e5 has another type, e6 is missed); correct: 4 of the reader's 6
    assert (total["entities"]["recall"], total["entities"]["precision"]) == (approx(Fraction(4, 6)),
                                                                           approx(Fraction(4, 6)))
    # found: e1 partOf e2, e1 offers e3 and e4 causes e3, of five; correct: 3 of 4
    assert (total["relations"]["recall"], total["relations"]["precision"]) == (approx(Fraction(3, 5)),
                                                                             approx(Fraction(3, 4)))
    assert doc["graph"].startswith("a second reader's annotation (")
    assert [e["label"] for e in doc["files"][0]["extra_entities"]] == ["人工智能", "数字金融"]


@pytest.mark.parametrize("case, message", [
    ("graph too", "Error: --reader and --graph cannot be given together: a gold file is scored "
                  "against a second reader's annotation or against a graph"),
    ("other article", "Error: {gold}: article 'digital_finance' has no annotation among the "
                      "reader's files ({reader})"),
])
def test_reader_errors_are_one_line(tmp_path, case, message):
    gold = write_gold(tmp_path, TINY)
    other = dict(_second_reader(), article="smart_city") if case == "other article" else _second_reader()
    reader = write_gold(tmp_path, other, "reader.json")
    args = ["eval", "--gold", str(gold), "--reader", str(reader)]
    if case == "graph too":
        args += ["--graph", str(MINI)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output == message.format(gold=gold, reader=reader) + "\n"
