import pytest

from kg.normalize import normalize, paragraphs, split_sentences


@pytest.mark.parametrize("body, expected", [
    # a sentence broken at column width is joined without a space
    ("发展新质生产力，离\n不开金融支持。", ["发展新质生产力，离不开金融支持。"]),
    # a blank line after a full stop is a paragraph break
    ("第一句。\n\n第二句。", ["第一句。", "第二句。"]),
    # a blank line inside a sentence is a page break, not a paragraph
    ("数字金融降低了小微\n\n企业的融资成本。", ["数字金融降低了小微企业的融资成本。"]),
    # an indented line after a full stop starts a paragraph
    ("第一段。\n\u3000\u3000第二段。", ["第一段。", "第二段。"]),
    # page furniture is dropped
    ("【理论】\n□本报记者 江英华\n正文在此。\n\nFinance\n", ["正文在此。"]),
    ("杭州银行推出科创贷产品。\n\nA3\n\n余杭区推出一码通办服务。", ["杭州银行推出科创贷产品。", "余杭区推出一码通办服务。"]),
    # CRLF line ends
    ("离\r\n不开。\r\n\r\n下一段。", ["离不开。", "下一段。"]),
    # full-width Latin letters and digits become ASCII; Chinese punctuation stays
    ("推动ＡＩ和６Ｇ发展，好。", ["推动AI和6G发展，好。"]),
    # Latin words broken across lines keep one space
    ("digital\nfinance 很重要。", ["digital finance 很重要。"]),
    # one paragraph per line (web copies): a heading line is not joined to the next
    ("保持工业经济行稳致远\n记者：今年工业经济运行总体平稳，请问下一步将采取哪些措施推动工业稳增长？\n"
     "李乐成：我们将实施新一轮十大重点行业稳增长工作方案，推动重点行业和重点地区稳定增长，挖潜扩大有效需求。\n",
     ["保持工业经济行稳致远", "记者：今年工业经济运行总体平稳，请问下一步将采取哪些措施推动工业稳增长？",
      "李乐成：我们将实施新一轮十大重点行业稳增长工作方案，推动重点行业和重点地区稳定增长，挖潜扩大有效需求。"]),
    # one paragraph per line with blank lines between: a line ending no sentence was wrapped
    # mid-sentence, however long the others are; a subtitle (——访……) is no continuation
    ("近日，杭州银行面向科技型中小企业推出“科创贷”信贷产品，单户授信额度最高可达1000万元。该产品以企业的知识产权和研发投入为主要评\n"
     "价依据，有效缓解了融资难的问题。\n\n杭州银行相关负责人表示，该行依托大数据风控\n模型，建立了评价体系。\n",
     ["近日，杭州银行面向科技型中小企业推出“科创贷”信贷产品，单户授信额度最高可达1000万元。该产品以企业的知识产权和研发投入为主要评"
      "价依据，有效缓解了融资难的问题。", "杭州银行相关负责人表示，该行依托大数据风控模型，建立了评价体系。"]),
    ("以数字化转型提升普惠金融服务质效\n——访某银行行长\n\n记者：今年工业经济运行总体平稳，请问下一步将采取哪些措施推动工业稳增长？\n\n"
     "李乐成：我们将实施新一轮十大重点行业稳增长工作方案，推动重点行业和重点地区稳定增长。\n",
     ["以数字化转型提升普惠金融服务质效", "——访某银行行长",
      "记者：今年工业经济运行总体平稳，请问下一步将采取哪些措施推动工业稳增长？",
      "李乐成：我们将实施新一轮十大重点行业稳增长工作方案，推动重点行业和重点地区稳定增长。"]),
])
def test_paragraphs(body, expected):
    assert paragraphs(body) == expected


@pytest.mark.parametrize("para, sentences", [
    ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
    ("一是监管。二是规则；三是创新。", ["一是监管。", "二是规则；", "三是创新。"]),
    # closing quotes stay on their sentence
    ("他说：“要加强监管。”然后离开。", ["他说：“要加强监管。”", "然后离开。"]),
    ("没有句号的结尾", ["没有句号的结尾"]),
])
def test_split_sentences(para, sentences):
    assert [para[a:b] for a, b in split_sentences(para)] == sentences


@pytest.mark.parametrize("body, sentences", [
    # a half-width full stop after Chinese ends a sentence as 。 does; its offsets hold
    ("小微企业融资难问题突出.临江银行推出“链e贷”产品.", ["小微企业融资难问题突出。", "临江银行推出“链e贷”产品。"]),
    ("利率3.85%.该行推出“链e贷”.", ["利率3.85%。", "该行推出“链e贷”。"]),
    ("访问www.gov.cn了解3.5亿元贷款。", ["访问www.gov.cn了解3.5亿元贷款。"]),
])
def test_halfwidth_full_stops_end_sentences(body, sentences):
    text, sents = normalize(body, "a")
    assert [s.text for s in sents] == sentences
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_sentence_offsets_index_the_text():
    text, sents = normalize("记者：为什么？\n\n谢子远：一是能够优化要\n素配置。二是驱动创新。", "a")
    assert [s.text for s in sents] == ["记者：为什么？", "谢子远：一是能够优化要素配置。", "二是驱动创新。"]
    for s in sents:
        assert text[s.start:s.end] == s.text
    assert [s.paragraph for s in sents] == [0, 1, 1]
