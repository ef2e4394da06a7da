"""Where a measure begins and ends: the labels a reader gives the measures of a text."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, present, absent", [
    # 在 + a verb + 过程中 sets the scene: the problems after it are no measure; a measure
    # named by its weight (关键举措) is no named policy
    ("数字金融有效解决了科技创新企业在创新过程中的融资难、融资贵等问题。", set(),
     {"创新过程中的融资难、融资贵"}),
    ("这是探索城市现代化路径的关键举措。", set(), {"路径的关键举措", "关键举措"}),
    # a frame announcing the measures is none of them
    ("重点抓好以下工作：（一）着力扩大有效需求。实施消费提质扩容行动。", {"消费提质扩容行动"},
     {"重点抓好以下工作", "抓好以下工作"}),
    # an aside widening a unit of government (每个市（州）, 各省（区、市）) cuts no measure
    ("支持每个市（州）至少建设1个民营经济产业园。", {"支持每个市（州）至少建设1个民营经济产业园"}, {"支持每个市"}),
    ("各省（区、市）要加快推进数据共享。", {"加快推进数据共享"}, set()),
    # measures of policy texts: an amount given to whom 对 names; funds a finance department sets aside
    ("对符合条件的小微企业给予50%的贴息。", {"对符合条件的小微企业给予50%的贴息"}, set()),
    ("省级财政将安排30亿元专项资金。", {"安排30亿元专项资金"}, set()),
    # each step of a series 从A，到B，再到C that opens with an action is a measure
    ("从完善基本养老保险制度，到进一步扩大职业年金覆盖范围，再到丰富商业养老保险产品……改革不断深化。",
     {"完善基本养老保险制度", "扩大职业年金覆盖范围", "丰富商业养老保险产品"}, set()),
    # an action encouraged with no actor named is a measure, without the encouragement
    ("意见明确，要健全数据开放政策体系，鼓励建立数据开放需求受理机制。",
     {"建立数据开放需求受理机制"}, {"鼓励建立数据开放需求受理机制"}),
    # two verbal nouns joined before one head modify it together: one measure; two actions
    # joined by 和 are two
    ("在重庆，强调构建城市运行和治理智能中枢。", {"构建城市运行和治理智能中枢"},
     {"构建城市运行", "治理智能中枢"}),
    ("要加强数据共享和完善标准体系。", {"加强数据共享", "完善标准体系"}, set()),
    # verbs jieba tags as adverbs or nouns (立足/d, 着眼/d, 锚定/n) open measures like any verb
    ("中小银行则应立足本地、深耕细分市场，走差异化发展道路。", {"立足本地", "深耕细分市场"}, set()),
    ("要锚定金融强国建设目标，持续深化改革。", {"锚定金融强国建设目标"}, set()),
    # two actions joined by 、 are two measures
    ("要加快推进社会信用体系建设、完善社会信用体系法律法规制度。",
     {"加快推进社会信用体系建设", "完善社会信用体系法律法规制度"}, set()),
    # 统筹 A 与 B is one measure; 与 joins the objects of one action
    ("要统筹优化供给与扩大需求。", {"统筹优化供给与扩大需求"}, {"扩大需求"}),
    # a lone verb before 和 shares the object: 巩固和提升 X is one measure
    ("要巩固和提升香港国际金融中心地位。", {"巩固和提升香港国际金融中心地位"}, {"巩固"}),
    # two verbs sharing one noun of a capacity (X的监测和化解能力) are one measure
    ("各地要做到早发现，提升重点行业风险的监测和化解能力，守住底线。", {"提升重点行业风险的监测和化解能力"}, {"化解能力"}),
    ("如何应对？要提升对重大风险的识别和处置能力。", {"提升识别和处置能力"}, {"处置能力"}),
    # … but the 对 of a word (不对称) opens no such phrase: the label stays whole
    ("要降低信息不对称导致的融资难。", {"降低信息不对称导致的融资难"}, {"降低信息不融资难"}),
    # adjectives in a list of objects split nothing (重点领域和薄弱环节)
    ("要加大对重大战略、重点领域和薄弱环节的金融支持。", set(), {"重点领域和薄弱环节的金融支持"}),
    # a measure holding a lexicon measure is still the whole measure
    # (各地 is an actor: its measure is read as the actor's, without the manner word)
    ("各地持续优化风险监测预警工作框架，做到早识别。", {"优化风险监测预警工作框架"}, set()),
    # a subject and a modal of duty before the action
    ("消费者则应树立理性消费理念，防范过度负债。", {"树立理性消费理念"}, set()),
    # aims are no measures of their own; generic references are no measures
    ("各方要加强协作，实现金融监管全覆盖。", {"加强协作"}, {"实现金融监管全覆盖"}),
    ("出台了一系列举措。", set(), {"一系列举措"}),
    # jieba's adverb+verb words are actions
    ("同时，积极参与国际金融规则制定。", {"积极参与国际金融规则制定"}, set()),
    # a time adverbial before the modal is no part of the measure
    ("管理局表示，下一步将完善政府性融资担保体系。", {"完善政府性融资担保体系"},
     {"下一步将完善政府性融资担保体系"}),
    # jieba's dictionary tags 建立健全 as a person's name: it is an action
    ("要建立健全数据共享标准。", {"建立健全数据共享标准"}, set()),
    # the first of 一是……；二是…… items after a lead-in ending with a comma
    ("对此，专家建议，一是加快打通部门数据；二是完善数据安全管理制度。",
     {"加快打通部门数据", "完善数据安全管理制度"}, set()),
    # aims and results are no measures: playing a role, helping, bringing about
    ("要充分发挥数据要素的催化作用，助力企业增强创新能力。", set(),
     {"发挥数据要素的催化作用", "充分发挥数据要素的催化作用", "助力企业增强创新能力"}),
    ("推动消费品以旧换新相关政策取得积极成效。", set(), {"推动消费品以旧换新相关政策取得积极成效"}),
    # a sentence that is only a topic and its progress: the topic is a programme
    ("科技金融体制加快构建。", {"科技金融体制"}, set()),
    ("产业协同步伐加快。", {"产业协同"}, {"产业协同步伐"}),
    ("经济增长不断加快。", set(), {"经济增长"}),
    # the place that acts before a word of programme is no part of the measure
    ("今年，河北进一步完善生态补偿机制。", {"完善生态补偿机制"}, set()),
    # a lone dash joins words (科技—产业—金融, 5G—A); a double dash (——) breaks a clause
    ("要加快形成科技—产业—金融的良性循环。", {"加快形成科技—产业—金融的良性循环"}, {"加快形成科技"}),
    ("要加快推进老旧小区改造——这是今年的重点。", {"加快推进老旧小区改造"},
     {"加快推进老旧小区改造——这是今年的重点"}),
    # a generic reference to measures, an aim of a good setting: no measures
    ("要强化问题意识，采取有效措施，加快建设数据平台。", {"加快建设数据平台"}, {"采取有效措施"}),
    ("要健全监管规则，营造企业健康发展的良好生态。", {"健全监管规则"}, {"营造企业健康发展的良好生态"}),
    # ... but a good business environment is a policy aim readers do mark
    ("要营造良好营商环境。", {"营造良好营商环境"}, set()),
    # manner words of caution and firmness before the action (稳妥有序, 牢牢, 认真)
    ("要健全处置机制，稳妥有序化解和处置存量风险。", {"稳妥有序化解和处置存量风险"}, set()),
    ("要强化监管，牢牢守住不发生系统性风险的底线。", {"牢牢守住不发生系统性风险的底线"}, set()),
    ("各级干部要认真落实会议的各项部署。", {"认真落实会议的各项部署"}, set()),
    # a question states no measure; its answer does
    ("记者：怎样更安全地开发利用公共数据，加快释放数据要素价值？", set(),
     {"加快释放数据要素价值", "更安全地开发利用公共数据"}),
    ("如何应对？要加快建设数字基础设施。", {"加快建设数字基础设施"}, set()),
    # what follows 有助于/有利于/从而 to the end of the sentence is results, clause after clause
    ("这些举措有助于降低小店经营成本，减轻商户负担，提升服务效率。", set(),
     {"减轻商户负担", "提升服务效率"}),
    ("各地要简化审批流程，从而降低企业办事成本，提升政务服务效率。", {"简化审批流程"},
     {"降低企业办事成本", "提升政务服务效率"}),
    # ... until a quote or a new duty turns back to measures
    ("专家说，这有利于稳定预期，“下一步应完善纾困政策，加强金融监管。",
     {"完善纾困政策", "加强金融监管"}, set()),
    # a headline without a final mark states its measures too
    ("加强平台主体责任，探索建立数据分级制度", {"探索建立数据分级制度"}, set()),
    # what a document proposes; a proposal's 的构想 is no part of it; a proposed aim is none
    ("《实施意见》提出丰富普惠保险产品，加强协同。", {"丰富普惠保险产品"}, set()),
    ("会议提出加快建设数字强国的宏伟目标。", set(), {"加快建设数字强国的宏伟目标"}),
    # a duty stated by one set phrase
    ("各地执法部门都要严格执法，加强协作。", {"严格执法"}, set()),
    # an aim of development or strength is no measure
    ("要推动数字经济高质量发展，加快建设网络强国。", set(),
     {"推动数字经济高质量发展", "加快建设网络强国"}),
    # the last clause opened by a verb of an aim says what the measures are for
    ("打通部门数据壁垒，提高审批效率。", {"打通部门数据壁垒"}, {"提高审批效率"}),
    # a thing put somewhere or tied to another by 把/将
    ("下一步，将把数据安全纳入考核体系。", {"把数据安全纳入考核体系"}, set()),
    # a founding date is no measure
    ("该公司成立于1998年，总部在杭州。", set(), {"成立于1998年"}),
    # quoted slogans of one-character verbs and their objects, and one policy per unit
    ("各地要“强基础”“拓渠道”。", {"强基础", "拓渠道"}, set()),
    ("推动园区“提效率、降费用”。", {"提效率、降费用"}, set()),
    ("对重点园区实行“一园一策”。", {"一园一策"}, set()),
    ("形成“一核两翼”格局。", set(), {"一核两翼"}),
    # one verb building a long list of systems: one measure per system, each with the verb;
    # a system named 产品和服务体系 stays one item
    ("下一步，建立健全统一高效的数据调度体系、权责清晰的考核评价机制、多层次的产品和服务体系。",
     {"建立健全统一高效的数据调度体系", "建立健全权责清晰的考核评价机制", "建立健全多层次的产品和服务体系"},
     {"建立健全多层次的产品"}),
    # named programmes listed after one carrying-out verb: one measure each
    ("统筹推进东湖制造再造工程和蓝海装备攻关工程。", {"东湖制造再造工程", "蓝海装备攻关工程"},
     {"统筹推进东湖制造再造工程和蓝海装备攻关工程"}),
    ("推进科研成果“先试后付”改革试点、蓝海成果转化试点等，用好转移机构。",
     {"科研成果先试后付改革试点", "蓝海成果转化试点"}, set()),
    # measures named as nouns before 等 and a word of measures
    ("资金用于支持地方开展老旧管网更新改造、片区排水防涝提升工程等项目。",
     {"老旧管网更新改造", "片区排水防涝提升工程"}, set()),
    # a question word glued to its noun still makes a question
    ("记者：加快建设东湖现代化产业体系，贵部接下来将从哪些方面发力？", set(),
     {"加快建设东湖现代化产业体系"}),
    # a claim that a thing provides for another is no measure
    ("一、数字经济将为东湖经济的高质量发展提供有力支撑", set(),
     {"数字经济将为东湖经济的高质量发展提供有力支撑"}),
    # 促进 closing a sentence says what the measures are for
    ("发挥场景的连接作用，促进创新链与产业链无缝对接。", set(), {"促进创新链与产业链无缝对接"}),
    # what is treated with 对 and the treatment: one measure, labelled whole
    ("街道联合相关部门赶赴现场，对占道经营行为进行规范处置。", {"对占道经营行为进行规范处置"},
     {"占道经营行为进行规范处置"}),
    # an actor named by a collective noun and a list of actions
    ("未来，课题组将进一步改进指标体系、丰富数据来源、拓展案例研究，努力提供参考。",
     {"改进指标体系", "丰富数据来源", "拓展案例研究"}, set()),
    ("今年，东海三地将梳理产业链堵点清单。", {"梳理产业链堵点清单"}, set()),
    # the aspects a body will work on
    ("某会将从加快健全科技企业支持机制、加大金融产品供给等方面着力。",
     {"加快健全科技企业支持机制", "加大金融产品供给"}, set()),
    # what a thing can do, and an aim followed by what it takes, are no measures
    ("大数据能够有效提高基层治理的精细化水平，拓宽居民参与治理的渠道。", set(),
     {"拓宽居民参与治理的渠道"}),
    ("建设东湖金融中心需要长期努力。", set(), {"建设东湖金融中心需要长期努力", "建设东湖金融中心"}),
    # quoted policy names; 把A作为B is an orientation
    ("“两稳”“三保”政策持续发力。", {"两稳", "三保"}, set()),
    ("要把提升效能作为目标要求。", set(), {"把提升效能作为目标要求"}),
    # a measure as the subject of a sentence that calls it a means
    ("推进东湖要素市场化改革是激发市场活力的重要举措。", {"推进东湖要素市场化改革"}, set()),
    # a measure as the background of another (在做A的同时，开始做B): both are measures
    ("各地在注重城市“数字底座”建设的同时，开始积极推动社区设施的改造进度。",
     {"注重城市数字底座建设", "积极推动社区设施的改造进度"}, set()),
    # means listed after 通过 as whole actions, closed by 等举措: each is a measure
    ("东岭市通过建立风险分担机制、开展“银税互动”、推广知识产权质押融资等举措，缓解了融资难。",
     {"建立风险分担机制", "开展银税互动", "推广知识产权质押融资"}, set()),
    # a reference to the measures that follow is no measure, nor a company a verb opens
    ("我们将重点做好三件事：一是扩大涉农信贷投放；二是创新农村金融产品。",
     {"扩大涉农信贷投放", "创新农村金融产品"}, {"重点做好三件事"}),
    # a branch named with its parent and place acts like any body (某行某省分行将……)
    ("中国人民银行湖南省分行将推动普惠小微贷款扩面增量。", {"推动普惠小微贷款扩面增量"}, set()),
    # the aspects of a package of measures (从A、B两个方面提出N条措施)
    ("青岭市从稳定信贷供给、减轻融资负担两个方面提出15条措施。",
     {"稳定信贷供给", "减轻融资负担"}, set()),
    # a topic frame taken for a measure is the measure, without 在……方面
    ("如何破解？在降低融资成本方面，银行要减免服务收费。", {"降低融资成本"}, {"在降低融资成本方面"}),
    # launching named products with their kind is no measure: the products are the entities
    ("青岭农商银行推出“茶乡贷”“林农贷”等产品，服务农户。", set(), {"推出茶乡贷林农贷等产品"}),
    ("青岭银行推出“税享融”线上信用贷款产品。", set(), {"推出税享融线上信用贷款产品"}),
    # a result reported with its count is no measure
    ("青岭信用平台已上线，接入银行机构52家。", set(), {"接入银行机构52家"}),
    # a manner word and the body the action is done for open the measure
    ("市财政局将定期向银行推送企业融资需求清单。", {"定期向银行推送企业融资需求清单"}, set()),
    # 更多 (more) is one word: a measure runs on past it, never ends in 更
    ("下一步将推动更多企业上云用数。", {"推动更多企业上云用数"}, {"推动更"}),
    ("该局将支持更多小微企业获得贷款。", {"支持更多小微企业获得贷款"}, {"支持更"}),
    ("下一步，将推动更多事项跨省通办。", {"推动更多事项跨省通办"}, {"推动更"}),
    # ... and the institutions encouraged to act undertake what they are asked to do
    ("下一步将引导更多金融机构加大对小微企业的信贷投放。", {"加大信贷投放"}, {"引导更"}),
])
def test_measure_labels(expect_labels, text, present, absent):
    expect_labels(text, "Remedy", present, absent)


@pytest.mark.parametrize("text, label, alt, has", [
    # a quoted name and its kind are one node: the name, the whole its alternative label
    ("浙江上线了“浙里办”App。", "浙里办", "浙里办App", True),
    # a quoted name inside a measure is no label of the measure
    ("要推广“蓉易贷”模式。", "推广蓉易贷模式", "蓉易贷", False),
    # setting up a mechanism or a system is also named by the thing set up
    ("要建立公共数据资源登记制度。", "建立公共数据资源登记制度", "公共数据资源登记制度", True),
    ("天津正在实施沿海重点区域湿地修复。", "实施沿海重点区域湿地修复", "沿海重点区域湿地修复", True),
    # alternative labels of alternative labels: 严格落实X制度 -> 落实X制度 -> X制度
    ("各地要严格落实维修技术信息公开制度。", "严格落实维修技术信息公开制度",
     "维修技术信息公开制度", True),
    ("要持续推动企业融资成本下降。", "持续推动企业融资成本下降", "企业融资成本下降", True),
    # a measure carried out or heeded is also named by the measure itself
    ("各地要重视老年人数字技能培训。", "重视老年人数字技能培训", "老年人数字技能培训", True),
    ("要深入落实小微企业融资担保降费等政策。", "深入落实小微企业融资担保降费等政策",
     "小微企业融资担保降费", True),
    ("各地要开展专题调研。", "开展专题调研", "专题调研", True),
    ("各部门要落实责任。", "落实责任", "责任", False),
    # a measure tried out, done with care or done well is also named without that word
    ("要探索建立数据资产登记制度。", "探索建立数据资产登记制度", "建立数据资产登记制度", True),
    ("他当年提出建立区域数据中心的构想。", "建立区域数据中心的构想", "建立区域数据中心", True),
    # a measure with a list of examples before its object (A、B等领域X) is also named by X
    ("要推动教育、医疗、养老等领域数据有序共享。", "推动教育、医疗、养老等领域数据有序共享",
     "数据有序共享", True),
    ("要支持东城、西城等地建设区级平台。", "支持东城、西城等地建设区级平台", "建设区级平台", True),
    # one verb and a list of objects: also named by the verb and its first object
    ("各区要合理布局社区应急物资仓库、救援力量和备用设施。", "合理布局社区应急物资仓库、救援力量和备用设施",
     "合理布局社区应急物资仓库", True),
    ("要推动教育、医疗、养老等领域数据有序共享。", "推动教育、医疗、养老等领域数据有序共享",
     "推动教育", False),
    # each system of a list after one verb is also named by the system alone
    ("下一步，建立健全统一高效的数据调度体系、权责清晰的考核评价机制、多层次的产品和服务体系。",
     "建立健全权责清晰的考核评价机制", "权责清晰的考核评价机制", True),
    # a thing named with its kind in apposition (这一治理工具), and a set of measures issued
    ("要管好用好数字技术这一治理工具。", "管好用好数字技术这一治理工具", "管好用好数字技术", True),
    ("印发新一轮东湖就业12条政策举措。", "印发新一轮东湖就业12条政策举措", "东湖就业12条政策举措", True),
    # a causative with its actor (推动/引导 某某平台 做某事): also named by what is to be done
    ("要推动外卖平台公开展示骑手的计价规则。", "推动外卖平台公开展示骑手的计价规则",
     "公开展示骑手的计价规则", True),
    ("要引导网约车平台设置合理的抽成比例上限。", "引导网约车平台设置合理的抽成比例上限",
     "设置合理的抽成比例上限", True),
    # … but what a causative sets up (推动成立某某公司和某某机构) is no actor
    ("要推动成立新兴产业投资公司和地方担保机构。", "推动成立新兴产业投资公司和地方担保机构",
     "和地方担保机构", False),
    # a system set up with a second head sharing its words (X机制和平台): also named by the
    # system, through three rounds (引导某某行业建立X机制和平台 -> 建立X机制 -> X机制)
    ("要引导租赁行业建立押金资金存管机制和平台。", "引导租赁行业建立押金资金存管机制和平台",
     "押金资金存管机制", True),
    # a measure heeded to its effect, and a measure named by who issued it
    ("抓好年初出台的稳岗政策落地见效。", "抓好年初出台的稳岗政策落地见效", "稳岗政策", True),
    # strengthening something, kept up: also named by what is strengthened
    ("要持续加强分层分类定价。", "持续加强分层分类定价", "分层分类定价", True),
    # a toolbox of policies perfected is also named by the toolbox
    ("要不断完善稳外贸的政策工具箱。", "不断完善稳外贸的政策工具箱", "稳外贸的政策工具箱", True),
    # a measure reported with its count (N余场) or a package of N measures issued for an aim
    ("东岭市以产业链为纽带，组织银企对接会40余场。", "组织银企对接会40余场", "组织银企对接会", True),
    ("近日，东岭市出台新政，推出十条措施支持民营企业发展。", "推出十条措施支持民营企业发展", "支持民营企业发展", True),
    # a word that marks a list item or links a sentence is no word of the name; a stop label
    # (难题) left when a list is cut out is no name either
    ("平台建设也面临一些挑战：一是数据质量参差不齐，二是基层人员数字素养不高，三是运维资金投入不足。", "基层人员数字素养不高",
     "二是基层人员数字素养不高", False),
    ("要着力破解基层治理中信息孤岛、多头管理、响应迟缓等难题。", "破解基层治理中信息孤岛、多头管理、响应迟缓等难题",
     "难题", False),
])
def test_quoted_names_as_alternative_labels(alt_labels, text, label, alt, has):
    alts = alt_labels(text, label)
    assert (alt in alts) is has, alts


TURN = ("记者：针对这些风险，监管部门应该如何应对？\n\n林涛：首先，要加快完善金融科技监管规则。其次，要推广“监管沙盒”机制。"
        "再次，中国人民银行和国家金融监督管理总局应加强协同，运用监管科技提升穿透式监管能力。")


def test_an_answer_lists_its_measures_from_its_first_marker(extractor):
    """首先 right after the speaker's name opens item 1: 其次 is item 2, 再次 item 3."""
    from kg.extract import contexts
    from kg.ruletest import article_of

    art = article_of(TURN)
    items = [ctx.item[1] for ctx in contexts(art, extractor.rs) if ctx.head]
    assert items == [1, 2, 3]


def test_named_actors_opening_a_measure_item_undertake_it(labels, triples):
    assert "加强协同" in labels(TURN, "Remedy")
    assert not any(x.startswith("中国人民银行") for x in labels(TURN, "Remedy"))
    rels = triples(TURN)
    assert {("中国人民银行", "undertakes", "加强协同"),
            ("国家金融监督管理总局", "undertakes", "加强协同")} <= rels, rels
