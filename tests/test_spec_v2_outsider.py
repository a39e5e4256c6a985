"""Spec v2 conformance: rule files written by an outsider from language.md alone.

Each expected number is worked out by hand in the comment above its assertion.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import perfrules
from perfrules import EvaluationError

# A 10号 county-style table: percent weights, direction column, `where` with `or`,
# measures with sign words and thousands separators, a target of 0, an actual of 0,
# a 等于 row and a qualitative row judged from a column with its band column.
COUNTY = """ruleset "outsider" {
  total 100
  precision 2
}
input 表: rows "指标表" {
  一级指标: text
  名称: text
  性质: direction
  指标值: measure
  完成值: measure
  权重: percent
  自评分: number optional
  档次: text optional
}
indicator 产出 weight 100 {
  each 表 {
    weight 权重
    key 名称
    where 一级指标 == "产出" or 一级指标 == "产出指标"
    when 性质 == 定性 {
      judged from 自评分 band 档次 bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }
    }
    when 性质 == 等于 { ratio achievement(完成值, 指标值, 等于) }
    else { ratio achievement(完成值, 指标值, 性质) }
  }
}
"""


def r(l1: str, name: str, d: str, target: str, actual: str, w: str, **extra: Any) -> dict[str, Any]:
    return {"一级指标": l1, "名称": name, "性质": d, "指标值": target, "完成值": actual, "权重": w, **extra}


def test_county_table_with_every_direction() -> None:
    rs = perfrules.loads(COUNTY, "county.rules")
    rows = [
        r("产出", "培训人次", "正向", "不少于1,620人次", "1,458人次", "40%"),
        r("产出指标", "成本", "≤", "1500元以下", "0元", "20%"),
        r("产出", "事故数", ">=", "0", "2", "10%"),
        r("产出", "按期", "等于", "12", "10", "10%"),
        r("产出", "效果", "定性", "效果明显", "较明显", "20%", 自评分=13, 档次="部分达成"),
    ]
    result = rs.evaluate({"表": rows})
    # 培训人次: 40% of 100 = 40; 1458 / 1620 = 90% → 36.00
    assert result.points("产出.培训人次") == Decimal("36.00")
    # 成本: 反向 (≤ in the facts), actual 0 ≤ 1500 → 100% → 20.00
    assert result.points("产出.成本") == Decimal("20.00")
    # 事故数: 正向 with a target of 0 → any actual ≥ 0 reaches 100% → 10.00
    assert result.points("产出.事故数") == Decimal("10.00")
    # 按期: 等于, min/max = 10/12 = 83.33…% × 10 = 8.333… → 8.33
    assert result.points("产出.按期") == Decimal("8.33")
    # 效果: evaluator's 13 points, inside 部分达成 [60%, 80%) of 20 = [12, 16)
    assert result.points("产出.效果") == Decimal("13.00")
    # total 36 + 20 + 10 + 8.33 + 13 = 87.33
    assert result.total == Decimal("87.33")
    reasons = {loss.path: loss.reasons for loss in result.lost}
    assert reasons["产出.培训人次"] == ("培训人次：目标不少于1,620人次，完成1,458人次，达成度90%，得36分",)


# A Hubei-template table in Chinese keywords only: `满分` as `out of`, `分摊`,
# `方向`, `档`, `有值`, `合计`, `平均值`, `加权平均`, `且`/`或` inside `筛选`/`当`.
HUBEI = """规则集 "湖北模板" {
  总分 100
  精度 2
}
输入 资金到位: 百分比
输入 有企业项目: 是否
输入 表: 行表 {
  一级指标: 文本
  名称: 文本
  性质: 方向
  指标值: 度量
  完成值: 度量
  权重: 数值
  自评分: 数值 可缺
  档次: 文本 可缺
  资金: 数值 = 0
}
设 加权 = 加权平均(表.权重, 表.资金 筛选 资金 > 0)
设 合计资金 = 合计(表.资金)
设 均分 = 平均值(表.权重 筛选 一级指标 == "产出指标")
指标 资金管理 分值 20 {
  指标 到位 分值 10 { 按比例 资金到位 }
  指标 企业 分值 10 { 适用 当 有企业项目 否则 分摊
    满分 }
}
指标 年度绩效目标 分值 80 满分 100 {
  逐行 表 {
    筛选 一级指标 == "产出指标" 或 一级指标 == "效益指标"
    分组 一级指标
    键 名称
    分值 权重
    当 性质 == 定性 且 有值(自评分) { 评定 取 自评分 档 档次 区间 { "达成": [80%, 100%]; "未达成": [0, 80%) } }
    否则 { 按比例 达成度(完成值, 指标值, 性质) }
  }
}
"""


def test_hubei_template_in_chinese_keywords() -> None:
    rs = perfrules.loads(HUBEI, "hubei.rules")
    rows = [
        {"一级指标": "产出指标", "名称": "新建公路", "性质": "正向", "指标值": "≥30公里", "完成值": "27公里",
         "权重": 60, "资金": 300},
        {"一级指标": "效益指标", "名称": "群众满意", "性质": "定性", "指标值": "明显提升", "完成值": "有所提升",
         "权重": 40, "自评分": 35, "档次": "达成"},
    ]
    result = rs.evaluate({"资金到位": "95%", "有企业项目": False, "表": rows})
    # 到位 95% × 10 = 9.50; 企业 shared away: 资金管理 = 9.50 × 20 ÷ 10 = 19.00
    assert result.points("资金管理") == Decimal("19.00")
    # 新建公路 27 / 30 = 90% × 60 = 54.00; 群众满意 judged 35 (达成 is [32, 40])
    assert result.points("年度绩效目标.产出指标.新建公路") == Decimal("54.00")
    assert result.points("年度绩效目标.效益指标.群众满意") == Decimal("35.00")
    # out of 100: (54 + 35) × 80 ÷ 100 = 71.20; total 19.00 + 71.20 = 90.20
    assert result.points("年度绩效目标") == Decimal("71.20")
    assert result.total == Decimal("90.20")


def test_a_mean_over_no_rows_suggests_a_guard_that_works() -> None:
    text = 'ruleset "a" { total 10 }\ninput 表: rows { 名称: text; 钱: number }\nindicator A weight 10 { score %s }'
    with pytest.raises(EvaluationError) as caught:
        perfrules.loads(text % "mean(表.钱)").evaluate({"表": []})
    message = str(caught.value)
    # the old help said "`mean(表.钱)` is 0 … guard with `if mean(表.钱) > 0`", a guard that divides by zero itself
    assert "if mean(表.钱) > 0" not in message and "if count(…) > 0 then mean(表.钱) else 0" in message
    # the guard the help names does work: no rows → 0 points
    guarded = perfrules.loads(text % "if count(表) > 0 then mean(表.钱) else 0")
    assert guarded.evaluate({"表": []}).total == Decimal("0.00")
    # an ordinary division keeps naming its divisor
    plain = 'ruleset "a" { total 10 }\ninput x: number\ninput y: number\nindicator A weight 10 { score x / y }'
    with pytest.raises(EvaluationError) as caught:
        perfrules.loads(plain).evaluate({"x": 1, "y": 0})
    assert "`y` is 0 for these facts" in str(caught.value)


def test_the_expected_words_name_count_as_spec_14_spells_it_where_it_stands() -> None:
    # §14: the function `count` is 行数 in Chinese; the type `count` is 计数 (§9's type table)
    head = '规则集 "测" {\n  总分 10\n}\n'
    body = '指标 甲 分值 10 {\n  得分 10\n}\n'
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads(head + "设 n = \n" + body)
    expression_help = str(caught.value)
    assert "`count` (`行数`)" in expression_help and "`计数`" not in expression_help
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads(head + "输入 x: \n" + body)
    type_help = str(caught.value)
    assert "`count` (`计数`)" in type_help and "`行数`" not in type_help


_UNSCORED = '''ruleset "a" { total 10 }
input 表: rows { 名称: text; 类: text; 序: number; 占比: percent; 权重: number }
indicator A {
  each 表 {
    where 类 == "产出" and 序 > 1 and 占比 > 10%
    key 名称
    weight 权重
    full
  }
}
'''


def test_an_unscored_row_shows_its_values_as_the_condition_compares_them() -> None:
    facts = {"表": [{"名称": "x", "类": "产出", "序": 2, "占比": "20%", "权重": 10},
                   {"名称": "y", "类": "效益", "序": 0, "占比": "5%", "权重": 0}]}
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(_UNSCORED).evaluate(facts)
    # a number as a number and a percent as a percent: `序 = "0"` read as if 序 were text
    assert 'the row has 类 = "效益", 序 = 0, 占比 = 5%)' in str(caught.value)


def test_rows_weighted_by_a_percent_get_f309_alone_not_a_range_of_0_to_0() -> None:
    text = ('ruleset "a" { total 10 }\ninput 表: rows { 名称: text; 权重: percent; 得: number optional }\n'
            "indicator A {\n  each 表 {\n    key 名称\n    weight 权重\n    judged from 得\n  }\n}\n")
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(text).evaluate({"表": [{"名称": "x", "权重": "100%", "得": 20}]})
    codes = [d.code for d in caught.value.diagnostics]
    # the percent is a share of a weight A does not have: "20 points outside 0..0" (F305) sent readers astray
    assert codes == ["F309"]


def test_judged_points_above_a_known_row_weight_are_f305() -> None:
    text = ('ruleset "a" { total 10 }\ninput 表: rows { 名称: text; 权重: number; 得: number optional }\n'
            "indicator A {\n  each 表 {\n    key 名称\n    weight 权重\n    judged from 得\n  }\n}\n")
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(text).evaluate({"表": [{"名称": "x", "权重": 10, "得": 20}]})
    assert [d.code for d in caught.value.diagnostics] == ["F305"]
    assert "20 points in `得` lies outside 0..10" in str(caught.value)


def test_given_guards_an_optional_column_in_if_and_in_and() -> None:
    # §10: "reading a missing optional value anywhere but in given(COLUMN) is a facts error";
    # a branch not taken does not read it. Both used to say F307 for row x, whose help was the
    # very guard written here.
    text = ('ruleset "a" { total 10 }\ninput 表: rows { 名称: text; 值: number optional }\n'
            "indicator A weight 10 {\n  each 表 {\n    key 名称\n    weight evenly\n    %s\n  }\n}\n")
    facts = {"表": [{"名称": "x"}, {"名称": "y", "值": 3}]}
    # evenly: 5 and 5. x: no 值 → 0; y: 值 3 → 3 points (score caps at the row's 5)
    scored = perfrules.loads(text % "score if given(值) then 值 else 0").evaluate(facts)
    assert (scored.breakdown["A.x"], scored.breakdown["A.y"]) == (Decimal("0.00"), Decimal("3.00"))
    arms = "when given(值) and 值 > 1 {\n      full\n    }\n    else {\n      score 0\n    }"
    # x: given false → else → 0; y: 3 > 1 → full 5
    armed = perfrules.loads(text % arms).evaluate(facts)
    assert (armed.breakdown["A.x"], armed.breakdown["A.y"], armed.total) == (Decimal(0), Decimal(5), Decimal(5))
    with pytest.raises(perfrules.FactsError) as caught:  # unguarded, it is still the facts error
        perfrules.loads(text % "score 值").evaluate(facts)
    assert [d.code for d in caught.value.diagnostics] == ["F307"]


def test_evenly_hands_the_extra_units_out_in_the_order_the_result_lists_the_rows() -> None:
    # §10: "`weight evenly` hands the extra units to rows in the order the result lists them
    # (sub-groups in first-seen order, rows in file order within each)". 50 over 3 rows at
    # precision 2 is 5000 hundredths = 1666 each and 2 over. Written A (g1), B (g2), C (g1); listed
    # g1: A, C then g2: B, so A and C take the extra hundredths: 16.67, 16.67, 16.66 (B). Handing
    # them out in file order gave A and B the extra (C 16.66), a different g1 and g2.
    text = ('ruleset "d" { total 100 }\ninput T: rows { 名称: text; 组: text }\n'
            "indicator A weight 50 {\n  each T {\n    group 组\n    key 名称\n    weight evenly\n    full\n  }\n}\n"
            "indicator B weight 50 { full }\n")
    rows = [{"名称": "A", "组": "g1"}, {"名称": "B", "组": "g2"}, {"名称": "C", "组": "g1"}]
    result = perfrules.loads(text).evaluate({"T": rows})
    weights = {i.path: i.weight for i in result.ruleset.model.all_indicators()}
    assert (weights["A.g1.A"], weights["A.g1.C"], weights["A.g2.B"]) == (Decimal("16.67"), Decimal("16.67"),
                                                                          Decimal("16.66"))
    assert (weights["A.g1"], weights["A.g2"]) == (Decimal("33.34"), Decimal("16.66"))
    assert result.total == Decimal("100.00")


def test_a_column_may_write_its_range_before_or_after_optional() -> None:
    # §10: "Columns take `in LOW..HIGH` and `= DEFAULT` as inputs do", and a column is marked
    # `optional`; the spec fixes no order between the two, so both read alike
    head = 'ruleset "o" { total 10 }\ninput T: rows { 名称: text; 得: number %s; 权: number }\n'
    body = "indicator A {\n  each T {\n    key 名称\n    weight 权\n    judged from 得\n  }\n}\n"
    facts = {"T": [{"名称": "x", "得": 7, "权": 10}]}
    for column in ("optional in 0..100", "in 0..100 optional"):
        ruleset = perfrules.loads(head % column + body)
        assert ruleset.evaluate(facts).total == Decimal("7.00")  # judged 7 of 10
        [table] = [i for i in ruleset.model.inputs if i.columns]
        points = table.columns[1]
        assert (points.optional, points.low, points.high) == (True, Decimal(0), Decimal(100))


def test_a_row_that_does_not_apply_needs_no_judged_points() -> None:
    # §10: "A row that reaches `judged from` without a value in that column is a facts error";
    # a row whose `applies` fails is not scored, so it does not reach it
    text = ('ruleset "h" { total 100 }\n'
            "input T: rows { 名称: text; 可用: bool = true; 得: number optional in 0..100; 权: number }\n"
            "indicator A weight 60 {\n  each T {\n    key 名称\n    weight 权\n"
            "    applies when 可用 else rescale\n    judged from 得\n  }\n}\n"
            "indicator B weight 40 { full }\n")
    rows = [{"名称": "x", "得": 25, "权": 30}, {"名称": "y", "可用": False, "权": 30}]
    result = perfrules.loads(text).evaluate({"T": rows})
    # y does not apply and is rescaled away: 25 (x) + 40 (B) = 65 of the 70 that apply,
    # × 100 / 70 = 92.857… → 92.86
    assert result.total == Decimal("92.86")
    assert result.indicator("A.y").applicable is False
    with pytest.raises(perfrules.FactsError) as caught:  # a row that applies still needs them
        perfrules.loads(text).evaluate({"T": [rows[0], {**rows[1], "可用": True}]})
    assert [d.code for d in caught.value.diagnostics] == ["F304"]


def test_a_condition_with_a_problem_still_lets_the_other_side_say_its_own() -> None:
    # every problem in every row at once (§10): `值 > 1` reads an empty 值 (F307), so it decides
    # nothing, and `其他 > 2` is read too: its F307 is said in the same run
    text = ('ruleset "r1" { total 100 }\n'
            "input 表: rows { 名称: text; 值: number optional; 其他: number optional; 权重: number in 0..100 }\n"
            "indicator 甲 weight 100 {\n  each 表 {\n    key 名称\n    weight 权重\n"
            "    score if 值 > 1 and 其他 > 2 then 权重 else 0\n  }\n}\n")
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(text).evaluate({"表": [{"名称": "a", "权重": 100}]})
    assert [(d.code, "`其他`" in d.message) for d in caught.value.diagnostics] == [("F307", False), ("F307", True)]


def test_a_row_that_does_not_apply_still_has_its_wrong_values_said() -> None:
    # excused in a row that does not apply: what is missing (F304); not what is there and wrong
    text = ('ruleset "r2" { total 100 }\n'
            "input 表: rows { 名称: text; 值: number optional; 实际: number optional; 权重: number in 0..100 }\n"
            "indicator 甲 weight 100 {\n  each 表 {\n    key 名称\n    weight 权重\n"
            "    applies when given(实际) else full\n    judged from 值\n  }\n}\n")
    rows = [{"名称": "a", "值": 70, "权重": 50}, {"名称": "b", "实际": 1, "值": 5, "权重": 50}]
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(text).evaluate({"表": rows})
    assert [d.code for d in caught.value.diagnostics] == ["F305"]
    assert "70 points in `值` lies outside 0..50" in str(caught.value)


def test_an_adjustment_that_does_not_happen_reads_nothing_of_its_amount() -> None:
    # `deduct 次 when given(次)`: row a has no 次 and loses nothing; row b loses its 2.
    # evenly 10 over 2 rows: 5 and 5; a 5.00, b 5 − 2 = 3.00; total 8.00
    text = ('ruleset "r3" { total 10 }\ninput 表: rows { 名称: text; 次: number optional }\n'
            'indicator 甲 weight 10 {\n  each 表 {\n    key 名称\n    weight evenly\n    full\n'
            '    deduct 次 when given(次) because "扣{次}分"\n  }\n}\n')
    result = perfrules.loads(text).evaluate({"表": [{"名称": "a"}, {"名称": "b", "次": 2}]})
    assert (result.breakdown["甲.a"], result.breakdown["甲.b"], result.total) == (Decimal(5), Decimal(3),
                                                                                 Decimal(8))
    assert [(loss.path, loss.reasons) for loss in result.lost] == [("甲.b", ("扣2分",))]


def test_a_measure_in_a_str_subclass_is_checked_as_a_str_is() -> None:
    class Cell(str):
        pass

    text = ('ruleset "m" { total 10 }\ninput T: rows { 名称: text; 目标: measure; 实际: measure }\n'
            "indicator A weight 10 {\n  each T {\n    key 名称\n    weight evenly\n    ratio achievement(实际, 目标)\n"
            "  }\n}\n")
    for target, code in ((Cell("约100"), "F204"), (Cell("x" * 201), "F205")):
        with pytest.raises(perfrules.FactsError) as caught:
            perfrules.loads(text).evaluate({"T": [{"名称": "a", "目标": target, "实际": "5"}]})
        assert [d.code for d in caught.value.diagnostics] == [code]


# ---- round 3: facts files, the text table and explain, read as an outsider -------------------

_JUDGED = ('ruleset "j" {\n  total 20\n  precision 1\n}\n'
           "indicator a weight 10 { judged }\nindicator b weight 10 { full }\n")


def test_meta_values_print_as_the_facts_file_wrote_them() -> None:
    # §7: [meta] is "free text shown on reports". TOML lets a value be a number, a bool, a date,
    # an array or a table; none may reach the reader as a Python repr (`True`, `['a', 'b']`,
    # `{'a': 1}`, a datetime with a space where TOML wrote `T`).
    from perfrules.text import render
    facts = perfrules.parse_facts('[meta]\nentity = ["甲局", "乙局"]\nperiod = 2022\naudited = true\n'
                                  "signed = 2024-03-31T09:30:00\nextra = { a = 1 }\n[judged]\na = 10\n")
    result = perfrules.loads(_JUDGED).evaluate(facts)
    table = render.table(result, "en")
    for line in ("entity: 甲局, 乙局", "period: 2022", "audited: true", "signed: 2024-03-31T09:30:00",
                 "extra: {a = 1}"):
        assert line in table.splitlines()
    assert "True" not in table and "[" not in table
    meta = json.loads(result.to_json())["meta"]  # the writer the CLI uses
    assert (meta["signed"], meta["period"]) == ("2024-03-31T09:30:00", "2022")


def test_a_band_for_a_judged_leaf_without_bands_is_refused() -> None:
    # §7: "with bands, the band is required and the points must lie in it". A band given to a
    # `judged` rule that declares none was accepted and printed as 「评定9分（良）」 as if checked.
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(_JUDGED).evaluate(perfrules.parse_facts('[judged]\na = { points = 9, band = "良" }\n'))
    [problem] = caught.value.diagnostics
    assert problem.code == "F218" and "declares no bands" in (problem.help or "")
    # without the band: a judged 9 + b full 10 = 19.0 at precision 1
    assert perfrules.loads(_JUDGED).evaluate(perfrules.parse_facts("[judged]\na = 9\n")).total == Decimal("19.0")


def test_the_text_table_keeps_the_total_in_its_column() -> None:
    # Chinese headings are 4 columns wide: leaves of 5.00 fit under 得分, the total 19.00 did not,
    # and the total row stuck out by one. 5.00 + 9.00 + 5.00 = 19.00.
    from perfrules.text import render
    text = ('规则集 "宽" {\n  总分 30\n}\n指标 甲 分值 10 { 按比例 50% }\n指标 乙 分值 10 { 按比例 90% }\n'
            "指标 丙 分值 10 { 按比例 50% }\n")
    lines = render.table(perfrules.loads(text).evaluate({}), "zh").splitlines()
    row = next(line for line in lines if line.startswith("甲"))
    total = next(line for line in lines if line.startswith("总分"))
    # the points column ends at the same display column in both rows (a Chinese character is 2 wide)
    assert total.endswith("19.00") and render.width(row[:row.index("5.00") + 4]) == render.width(total)


def test_a_rescaled_total_is_shown_before_the_top_level_adjustments() -> None:
    # §3/§6: with rescale "the table also shows the raw sum beside the rescaled total"; with a
    # top-level bonus the lines read 41.1, +0.25, -0.04 = 82.4, which does not add up.
    # By hand: A (30) and B1 (20) are dropped, B2 = 20 × 88.88% = 17.776 → 17.8, C = 30 × 77.77%
    # = 23.331 → 23.3; raw 41.1 × 100 ÷ 50 = 82.2; + 0.25 − 0.04 = 82.41 → 82.4 at precision 1.
    from perfrules.text import render
    text = ('ruleset "R" {\n  total 100\n  precision 1\n}\ninput k: bool\n'
            "indicator A weight 30 { applies when k else rescale; full }\n"
            "indicator B weight 40 {\n  indicator B1 weight 20 { applies when k else rescale; full }\n"
            "  indicator B2 weight 20 { ratio 88.88% }\n}\nindicator C weight 30 { ratio 77.77% }\n"
            "bonus 0.25 when not k\ndeduct 0.04\n")
    result = perfrules.loads(text).evaluate({"k": False})
    assert (result.raw_total, result.base_total, result.total) == (Decimal("41.1"), Decimal("82.2"),
                                                                  Decimal("82.4"))
    lines = render.table(result, "en").splitlines()
    at = lines.index("sum before rescaling: 41.1")
    assert lines[at + 1:at + 4] == ["rescaled total: 82.2", "bonus: +0.25", "deducted: -0.04"]


def test_explain_says_one_decimal_and_a_whole_number() -> None:
    from perfrules.text.explain import explain, text
    rules = 'ruleset "p" {\n  total 10\n  precision %s\n}\nindicator a weight 10 { ratio 88.88%% }\n'
    # 10 × 88.88% = 8.888 → 8.9 (1 decimal), → 9 (whole)
    one = text(explain(perfrules.loads(rules % 1).evaluate({}), "a", "en"))
    whole = text(explain(perfrules.loads(rules % 0).evaluate({}), "a", "en"))
    assert "8.888 → 8.9, rounded half up to 1 decimal\n" in one
    assert "8.888 → 9, rounded half up to a whole number" in whole


def test_a_rating_band_that_can_never_be_reached_is_e431_as_a_tier_is() -> None:
    # §6 makes an unreachable tier an error; the rating (§3) is the same table over the total
    # and the same slip — thresholds written lowest first — gave 中 to every total from 60 up.
    text = ('ruleset "r" {\n  total 100\n  rating { >= 60: "中"; >= 80: "良"; >= 90: "优"; else: "差" }\n}\n'
            "indicator a weight 100 { ratio 95% }\n")
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads(text)
    assert [(d.code, d.message) for d in caught.value.diagnostics] == [
        ("E431", "the rating band `>= 80` can never be reached: the bands above it already take every such total"),
        ("E431", "the rating band `>= 90` can never be reached: the bands above it already take every such total")]
    # highest first it checks, and 95 points (100 × 95%) is 优
    fixed = text.replace('>= 60: "中"; >= 80: "良"; >= 90: "优"', '>= 90: "优"; >= 80: "良"; >= 60: "中"')
    assert perfrules.loads(fixed).evaluate({}).rating == "优"


def test_a_group_that_takes_a_shared_away_subgroups_weight_loses_its_weight_less_its_points() -> None:
    # §12: "When no child of a group applies, the group itself is treated as `else share` at its
    # own level". H1's children both share, so H1 shares its 30 with H2 though no `applies` of H's
    # children says so. By hand: H2 = 20 × 77.77% = 15.554 → 15.55; H = 15.55 × 50 ÷ 20 = 38.875
    # → 38.88, so H lost 50 − 38.88 = 11.12 (the table said 4.45, H2's loss on its own scale).
    # G shares everything away and, at the top level, is rescaled: 38.88 × 100 ÷ 50 = 77.76.
    text = ('ruleset "s" { total 100 }\ninput k: bool\n'
            "indicator G weight 50 {\n  indicator G1 weight 25 { applies when k else share; full }\n"
            "  indicator G2 weight 25 { applies when k else share; full }\n}\n"
            "indicator H weight 50 {\n  indicator H1 weight 30 {\n"
            "    indicator H1a weight 10 { applies when k else share; full }\n"
            "    indicator H1b weight 20 { applies when k else share; full }\n  }\n"
            "  indicator H2 weight 20 { ratio 77.77% }\n}\n")
    result = perfrules.loads(text).evaluate({"k": False})
    assert (result.points("H"), result.total) == (Decimal("38.88"), Decimal("77.76"))
    assert (result.lost_points("H"), result.lost_points("H.H2")) == (Decimal("11.12"), Decimal("4.45"))
    assert result.lost_points("G") == Decimal(0)  # not scored, not lost
    # The report's 评分表 agrees: H's subtotal lost 11.12 (it was blank: 50 − 30 "dropped" − 38.88
    # is below 0), and the sum before rescaling stands against the 50 that count (it said 20:
    # the shared 30 were taken for dropped).
    from perfrules.text import scoretable
    table = scoretable.table(result, "en")
    [h] = [row for row in table.rows if row.kind == "subtotal" and row.record.path == "H"]
    assert h.lost == Decimal("11.12")
    raw = table.extras[0]
    assert (raw.label, raw.weight, raw.points) == ("sum before rescaling", Decimal(50), Decimal("38.88"))
    # §12: "The audit and the reports show the shared weight": G1's standard said "the total is rescaled"
    [g1] = [row for row in table.rows if row.record.path == "H.H1.H1a"]
    assert g1.standard == "full points; applies when k, otherwise its weight is shared among its siblings"


def test_an_empty_cell_of_an_optional_column_is_no_value() -> None:
    # §10: "A column is required in every row unless marked optional". A sheet exported to JSON
    # or TOML writes an empty cell as "" — for an optional number column that was F204 ("expected
    # a number, found the text \"\""), so a form with a blank 自评分 on every quantitative row
    # could not be read. It is now no value (given() is false; a default applies).
    text = ('ruleset "e" { total 10 }\n'
            "input T: rows { 名称: text; 值: number optional; 系数: number = 1; 备注: text optional }\n"
            "indicator A weight 10 {\n  each T {\n    key 名称\n    weight evenly\n"
            "    score if given(值) then 值 * 系数 else 0\n  }\n}\n")
    rows = [{"名称": "x", "值": "", "系数": " ", "备注": ""}, {"名称": "y", "值": 2, "系数": "", "备注": "见附件"}]
    result = perfrules.loads(text).evaluate({"T": rows})
    # evenly 5 and 5; x: no 值 → 0; y: 2 × the default 1 = 2
    assert (result.points("A.x"), result.points("A.y"), result.total) == (Decimal(0), Decimal(2), Decimal(2))
    # a required column's empty cell is still what it says: a text "" for a number is F204
    required = text.replace("值: number optional", "值: number").replace("if given(值) then 值 * 系数 else 0", "值")
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(required).evaluate({"T": rows})
    assert [d.code for d in caught.value.diagnostics] == ["F204"]


def test_rows_written_outside_facts_are_told_where_they_go() -> None:
    # §10: rows are `[[facts."绩效指标"]]`. `[["绩效指标"]]` (with or without a [facts] line above)
    # was "`绩效指标` stands outside any table — put the inputs under a [facts] line", at line 1 even
    # when [facts] was already there; it is now at the rows' own header, with the form that works.
    text = ('ruleset "o" { total 10 }\ninput 表: rows { 名称: text }\n'
            "indicator A weight 10 { each 表 { key 名称; weight evenly; full } }\n")
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(text).evaluate(perfrules.parse_facts('[facts]\n[["表"]]\n"名称" = "x"\n', "f.toml"))
    f201 = next(d for d in caught.value.diagnostics if d.code == "F201")
    assert f201.message == "the rows `[[表]]` stand outside [facts]"
    assert f201.help == 'open each row with `[[facts."表"]]`'
    assert f201.span is not None and f201.span.source.line_col(f201.span.start) == (2, 1)
    # written as the spec says, the one row scores full: 10
    assert perfrules.loads(text).evaluate(perfrules.parse_facts('[[facts."表"]]\n"名称" = "x"\n')).total == 10


def test_row_weights_that_miss_the_total_are_placed_in_the_facts() -> None:
    # §10: an indicator without `weight` weighs what its rows add up to, "checked against `total`
    # ... when the facts are read: a mismatch is a facts error naming every group's sum". It
    # was printed as `facts: error[F301]: …` with no FILE:LINE:COL, source line or caret; it now
    # stands at the first row's weight. Rows 20 + 70 = 90 against total 100.
    text = ('ruleset "w" { total 100 }\ninput T: rows { 名称: text; 权重: number }\n'
            "indicator 产出 {\n  each T {\n    key 名称\n    weight 权重\n    full\n  }\n}\n")
    facts = '[[facts.T]]\n"名称" = "a"\n"权重" = 20\n[[facts.T]]\n"名称" = "b"\n"权重" = 70\n'
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(text).evaluate(perfrules.parse_facts(facts, "f.toml"))
    [problem] = caught.value.diagnostics
    assert problem.message == "the weights at the top level add up to 90 (产出 90), but `total` is 100"
    assert problem.span is not None and problem.span.source.line_col(problem.span.start) == (3, 1)
    # with 80 for b the rows make the total: 20 + 80 = 100, all full
    assert perfrules.loads(text).evaluate(perfrules.parse_facts(facts.replace("70", "80"))).total == 100


def test_an_applies_condition_with_a_problem_does_not_excuse_the_row() -> None:
    # `applies when 实际 > 0`: 实际 is empty (F307, read as 0), so the condition decides nothing and
    # the row's own missing judged points are still F304, in the same run
    text = ('ruleset "a" { total 100 }\n'
            "input 表: rows { 名称: text; 值: number optional; 实际: number optional; 权重: number in 0..100 }\n"
            "indicator 甲 weight 100 {\n  each 表 {\n    key 名称\n    weight 权重\n"
            "    applies when 实际 > 0 else full\n    judged from 值\n  }\n}\n")
    with pytest.raises(perfrules.FactsError) as caught:
        perfrules.loads(text).evaluate({"表": [{"名称": "a", "权重": 100}]})
    assert sorted(d.code for d in caught.value.diagnostics) == ["F304", "F307"]
