"""Language version 2: rows of indicators as data (spec sections 10-14).

Every expected score is worked out by hand in the comment above it: leaves are
rounded half-up to `precision`, groups are exact sums, `out of` groups convert
their sum and round, shared weight goes to the applicable siblings.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import EvaluationError, FactsError, RulesError
from perfrules.semantics.arithmetic import percent_text
from perfrules.semantics.measure import parse_measure
from perfrules.text.explain import explain

FORM_ZH = """
规则集 "项目支出绩效自评" {
  总分 100
  精度 2
}
输入 预算数: 数值 "全年预算数"
输入 执行数: 数值 "全年执行数"
输入 绩效指标: 行表 "绩效指标表" {
  一级指标: 文本 "一级指标"
  二级指标: 文本 "二级指标"
  三级指标: 文本 "三级指标"
  指标值: 度量 "年度指标值"
  完成值: 度量 "实际完成值"
  权重: 数值 "分值"
  自评分: 数值 可缺 "得分（定性指标）"
  偏差原因: 文本 可缺 "偏差原因分析及改进措施"
}
设 满意度行数 = 行数(绩效指标 筛选 一级指标 == "满意度指标")
指标 预算执行率 分值 10 { 按比例 执行数 / 预算数 }
指标 产出指标 分值 80 满分 100 {
  逐行 绩效指标 {
    筛选 一级指标 == "产出指标"
    分组 二级指标
    键 三级指标
    分值 权重
    当 属定性(指标值) { 评定 取 自评分 区间 { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) } }
    否则 { 按比例 达成度(完成值, 指标值) }
  }
}
指标 满意度指标 分值 10 {
  适用 当 满意度行数 > 0 否则 折算
  逐行 绩效指标 { 筛选 一级指标 == "满意度指标"; 键 三级指标; 分值 平均
    按比例 达成度(完成值, 指标值, 正向)
  }
}
"""

# The same rules in English keywords (spec section 9/14).
FORM_EN = """
ruleset "项目支出绩效自评" {
  total 100
  precision 2
}
input 预算数: number "全年预算数"
input 执行数: number "全年执行数"
input 绩效指标: rows "绩效指标表" {
  一级指标: text "一级指标"
  二级指标: text "二级指标"
  三级指标: text "三级指标"
  指标值: measure "年度指标值"
  完成值: measure "实际完成值"
  权重: number "分值"
  自评分: number optional "得分（定性指标）"
  偏差原因: text optional "偏差原因分析及改进措施"
}
let 满意度行数 = count(绩效指标 where 一级指标 == "满意度指标")
indicator 预算执行率 weight 10 { ratio 执行数 / 预算数 }
indicator 产出指标 weight 80 out of 100 {
  each 绩效指标 {
    where 一级指标 == "产出指标"
    group 二级指标
    key 三级指标
    weight 权重
    when qualitative(指标值) {
      judged from 自评分 bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }
    }
    else { ratio achievement(完成值, 指标值) }
  }
}
indicator 满意度指标 weight 10 {
  applies when 满意度行数 > 0 else rescale
  each 绩效指标 { where 一级指标 == "满意度指标"; key 三级指标; weight evenly
    ratio achievement(完成值, 指标值, 正向)
  }
}
"""


def row(level1: str, level2: str, name: str, target: Any, actual: Any, weight: Any, **extra: Any) -> dict[str, Any]:
    return {"一级指标": level1, "二级指标": level2, "三级指标": name, "指标值": target, "完成值": actual,
            "权重": weight, **extra}


FACTS: dict[str, Any] = {
    "facts": {
        "预算数": 100,
        "执行数": 95,
        "绩效指标": [
            row("产出指标", "数量指标", "补贴渔船数", "≥6艘", "5艘", 50),
            row("产出指标", "质量指标", "验收合格率", "≥95%", "98%", 30),
            row("产出指标", "质量指标", "群众评价", "好", "较好", 20, 自评分=17),
            row("满意度指标", "满意度", "服务对象满意度", "≥90%", "85%", 10),
        ],
    }
}


@pytest.fixture(scope="module", params=["zh", "en"])
def form(request: pytest.FixtureRequest) -> perfrules.Ruleset:
    return perfrules.loads(FORM_ZH if request.param == "zh" else FORM_EN, f"form-{request.param}.rules")


def test_form_scores_rows_to_the_cent(form: perfrules.Ruleset) -> None:
    result = form.evaluate(FACTS)
    points = result.breakdown
    # 预算执行率: 95 / 100 × 10 = 9.50
    assert points["预算执行率"] == Decimal("9.50")
    # 补贴渔船数: 达成度 5 / 6 = 83.333…% × 50 = 41.666… → 41.67
    assert points["产出指标.数量指标.补贴渔船数"] == Decimal("41.67")
    # 验收合格率: 98% / 95% = 103.16% → clamped to the weight 30
    assert points["产出指标.质量指标.验收合格率"] == Decimal("30.00")
    # 群众评价 is qualitative: the evaluator's 17 points from 自评分
    assert points["产出指标.质量指标.群众评价"] == Decimal("17.00")
    # sub-groups are exact sums of their rows
    assert points["产出指标.质量指标"] == Decimal("47.00")
    # 产出指标 out of 100: (41.67 + 47.00) × 80 ÷ 100 = 70.936 → 70.94
    assert points["产出指标"] == Decimal("70.94")
    # 满意度: one row, weight evenly = 10; 85% / 90% = 94.44…% × 10 = 9.444… → 9.44
    assert points["满意度指标.服务对象满意度"] == Decimal("9.44")
    # total 9.50 + 70.94 + 9.44 = 89.88
    assert result.total == Decimal("89.88")


def test_row_reasons_name_target_actual_and_achievement(form: perfrules.Ruleset) -> None:
    result = form.evaluate(FACTS)
    reasons = {loss.path: loss.reasons for loss in result.lost}
    assert reasons["产出指标.数量指标.补贴渔船数"] == ("补贴渔船数：目标≥6艘，完成5艘，达成度83.33%，得41.67分",)
    assert reasons["产出指标.质量指标.群众评价"] == ("群众评价：评定得17分（达成）",)
    over = FACTS | {"facts": FACTS["facts"] | {"绩效指标": [
        row("产出指标", "数量指标", "补贴渔船数", "≥6艘", "7艘", 100),
        row("满意度指标", "满意度", "服务对象满意度", "≥90%", "85%", 10)]}}
    record = form.evaluate(over).indicator("产出指标.数量指标.补贴渔船数")
    # 7 / 6 = 116.67%: full points, and the over-achievement shows in the audit
    assert record.points == Decimal("100.00") and percent_text(record.value) == "116.67%"
    assert record.reasons == ("补贴渔船数：目标≥6艘，完成7艘，达成度116.67%，满分为止，得100分",)


def test_json_shows_the_row_and_both_scales(form: perfrules.Ruleset) -> None:
    data = form.evaluate(FACTS).to_dict()
    rows = {i["path"]: i for i in data["indicators"]}
    fish = rows["产出指标.数量指标.补贴渔船数"]
    assert fish["row"]["number"] == 1 and fish["row"]["key"] == "补贴渔船数"
    assert fish["row"]["columns"]["指标值"] == {"text": "≥6艘", "number": "6", "percent": False, "unit": "艘"}
    assert fish["inputs"]["完成值"] == "5艘"
    # the out-of group: sum on its own scale 41.67 + 47 = 88.67 of 100, converted to 70.94
    assert rows["产出指标"]["scale"] == {"out_of": "100", "sum": "88.67", "counted": "100"}
    assert rows["产出指标"]["points"] == "70.94"


def test_no_satisfaction_rows_rescales(form: perfrules.Ruleset) -> None:
    facts = {"facts": FACTS["facts"] | {"绩效指标": FACTS["facts"]["绩效指标"][:3]}}
    result = form.evaluate(facts)
    # 满意度指标 does not apply: (9.50 + 70.94) × 100 ÷ (100 − 10) = 89.377… → 89.38
    assert result.total == Decimal("89.38")


def test_override_addresses_a_row_by_path(form: perfrules.Ruleset) -> None:
    facts = FACTS | {"override": {"产出指标.数量指标.补贴渔船数": {"points": 45, "because": "核定"}}}
    result = form.evaluate(facts)
    # (45 + 47) × 80 ÷ 100 = 73.60; total 9.50 + 73.60 + 9.44 = 92.54
    assert result.points("产出指标") == Decimal("73.60")
    assert result.total == Decimal("92.54")


EVENLY = """
ruleset "evenly" { total 50 }
input 表: rows { 名称: text; 完成率: percent }
indicator 产出 weight 50 {
  each 表 { key 名称; weight evenly
    ratio 完成率
  }
}
"""


def test_evenly_gives_the_remainder_to_the_first_rows() -> None:
    rs = perfrules.loads(EVENLY)
    facts = {"表": [{"名称": n, "完成率": "100%"} for n in "甲乙丙"]}
    result = rs.evaluate(facts)
    # 50 over 3 rows at precision 2: 5000 hundredths = 1666 × 3 + 2 → 16.67, 16.67, 16.66
    assert [result.indicator(f"产出.{n}").weight for n in "甲乙丙"] == [
        Decimal("16.67"), Decimal("16.67"), Decimal("16.66")]
    assert result.total == Decimal("50.00")


@settings(max_examples=40, deadline=None)
@given(count=st.integers(min_value=1, max_value=13), weight=st.integers(min_value=1, max_value=200))
def test_evenly_split_weights_always_add_up(count: int, weight: int) -> None:
    rs = perfrules.loads(EVENLY.replace("total 50", f"total {weight}").replace("weight 50", f"weight {weight}"))
    result = rs.evaluate({"表": [{"名称": f"r{k}", "完成率": "100%"} for k in range(count)]})
    weights = [r.weight for r in result.indicators if r.is_leaf]
    assert sum(weights) == weight
    assert max(weights) - min(weights) <= Decimal("0.01")
    assert result.total == weight


SHARE = """
ruleset "share" { total 100 }
input 有中小企业项目: bool
input a: percent
input b: percent
indicator 扶持 weight 100 {
  indicator 大企业 weight 50 { ratio a }
  indicator 中小企业 weight 50 { applies when 有中小企业项目 else share
    ratio b }
}
"""


def test_share_gives_the_weight_to_the_applicable_sibling() -> None:
    rs = perfrules.loads(SHARE)
    result = rs.evaluate({"有中小企业项目": False, "a": "90%", "b": "0%"})
    # 大企业 90% × 50 = 45.00; 中小企业 shared away: 扶持 = 45.00 × 100 ÷ 50 = 90.00
    assert result.points("扶持.大企业") == Decimal("45.00")
    record = result.indicator("扶持.中小企业")
    assert record.points == 0 and not record.applicable
    assert result.points("扶持") == Decimal("90.00") and result.total == Decimal("90.00")
    assert [loss.path for loss in result.lost] == ["扶持.大企业"]
    both = rs.evaluate({"有中小企业项目": True, "a": "90%", "b": "80%"})
    # 45.00 + 40.00 = 85.00, nothing shared
    assert both.total == Decimal("85.00")


WEIGHTED = """
ruleset "dept" { total 100 }
input 项目: rows { 名称: text; 资金: number; 得分率: percent }
let 均值: percent = weighted_mean(项目.得分率, 项目.资金)
let 达标资金 = sum(项目.资金 where 得分率 >= 90%)
indicator 项目绩效 weight 90 { ratio 均值 }
indicator 资金 weight 10 { score 达标资金 / 100 }
"""


def test_weighted_mean_and_sum_where() -> None:
    rs = perfrules.loads(WEIGHTED)
    facts = {"项目": [{"名称": "甲", "资金": 300, "得分率": "90%"}, {"名称": "乙", "资金": 100, "得分率": "70%"}]}
    result = rs.evaluate(facts)
    # (300 × 0.9 + 100 × 0.7) ÷ 400 = 340 ÷ 400 = 85% × 90 = 76.50
    assert result.points("项目绩效") == Decimal("76.50")
    # sum of 资金 where 得分率 ≥ 90% = 300; ÷ 100 = 3 points
    assert result.points("资金") == Decimal("3.00")


MEASURED = """
ruleset "units" { total 10 }
input 单位: rows { 名称: text; 执行率: measure; 预算: number }
let 平均执行率 = weighted_mean(单位.执行率, 单位.预算)
indicator 执行 weight 10 { ratio 平均执行率 }
"""


def test_a_measure_column_of_percents_aggregates_to_a_percent() -> None:
    rs = perfrules.loads(MEASURED)
    result = rs.evaluate({"单位": [{"名称": "甲", "执行率": "90%", "预算": 100},
                                 {"名称": "乙", "执行率": "80%", "预算": 300}]})
    # (90% × 100 + 80% × 300) ÷ 400 = (90 + 240) ÷ 400 = 82.5%; × 10 = 8.25
    assert result.total == Decimal("8.25")
    # spec 13, "a percent column aggregates to a percent": shown as 82.5%, not 0.825
    steps = [step.text for step in explain(result, "执行", "en").steps]
    assert "平均执行率 = weighted_mean(单位.执行率, 单位.预算) = 82.5%" in steps


@pytest.mark.parametrize("second", ["80次", "0.8"])
def test_an_aggregate_over_mixed_units_is_an_error_naming_the_row(second: str) -> None:
    # 90% beside 80次 (or beside a plain 0.8) has no sum: it was (0.9 × 100 + 80 × 300) ÷ 400 = 60.2,
    # a silently full score
    rs = perfrules.loads(MEASURED)
    with pytest.raises(EvaluationError) as caught:
        rs.evaluate({"单位": [{"名称": "甲", "执行率": "90%", "预算": 100},
                             {"名称": "乙", "执行率": second, "预算": 300}]})
    (d,) = caught.value.diagnostics
    kind = "in 次" if second == "80次" else "a plain number"
    assert d.code == "E505" and d.location() == "<rules>:4:13"
    assert d.message == (f"`单位` row 2: `{second}` is {kind}, but `90%` (`单位` row 1) is a percentage: "
                         "`weighted_mean(单位.执行率, 单位.预算)` takes values of one kind only")
    assert d.help == "write every row's `执行率` in one unit (all percentages, or all in the same unit)"


def test_rows_without_a_unit_aggregate_with_rows_that_have_one() -> None:
    rs = perfrules.loads(MEASURED.replace("ratio 平均执行率", "score 平均执行率 / 100"))
    result = rs.evaluate({"单位": [{"名称": "甲", "执行率": "600", "预算": 1},
                                 {"名称": "乙", "执行率": "800人", "预算": 3}]})
    # (600 × 1 + 800 × 3) ÷ 4 = 3000 ÷ 4 = 750; ÷ 100 = 7.5 points
    assert result.total == Decimal("7.50")
    with pytest.raises(EvaluationError, match="`900艘` is in 艘, but `800人`"):
        rs.evaluate({"单位": [{"名称": "甲", "执行率": "600", "预算": 1}, {"名称": "乙", "执行率": "800人", "预算": 3},
                             {"名称": "丙", "执行率": "900艘", "预算": 1}]})


@pytest.mark.parametrize("actual", ["平均执行率", "weighted_mean(单位.执行率, 单位.预算)"])
def test_a_percent_aggregate_is_a_percent_to_achievement(actual: str) -> None:
    # the aggregate is shown as 82.5%, and achievement reads it so: against the target 90% it was
    # `0.825` "is not a percentage" (E505). (90% × 100 + 80% × 300) ÷ 400 = 82.5%;
    # 82.5% ÷ 90% = 91.666…%; × 10 = 9.1666… → 9.17
    rules = MEASURED.replace("input 单位:", "input 目标: measure\ninput 单位:")
    rs = perfrules.loads(rules.replace("ratio 平均执行率", f"ratio achievement({actual}, 目标)"))
    result = rs.evaluate({"目标": "90%", "单位": [{"名称": "甲", "执行率": "90%", "预算": 100},
                                               {"名称": "乙", "执行率": "80%", "预算": 300}]})
    assert result.total == Decimal("9.17")


def test_achievement_outside_a_row_names_the_call() -> None:
    # the mean is 82.5% (as above) and the target a plain 0.9: they do not compare; the message began
    # with an empty place, `: the target …`
    rules = MEASURED.replace("input 单位:", "input 目标: measure\ninput 单位:")
    rs = perfrules.loads(rules.replace("ratio 平均执行率", "ratio achievement(平均执行率, 目标)"))
    with pytest.raises(EvaluationError) as caught:
        rs.evaluate({"目标": "0.9", "单位": [{"名称": "甲", "执行率": "90%", "预算": 100},
                                            {"名称": "乙", "执行率": "80%", "预算": 300}]})
    (d,) = caught.value.diagnostics
    assert d.code == "E505" and d.message.startswith("`achievement(平均执行率, 目标)`: the target `0.9` and ")


@pytest.mark.parametrize("function", ["mean", "max"])
def test_a_where_that_reads_an_empty_cell_says_so_once_per_row(function: str) -> None:
    # the rows are chosen once per aggregate: choosing them again for the percent type of a measure
    # aggregate said each F307 twice (4 problems for 2 rows); `max` also checks for no rows first
    aggregate = f"{function}(单位.执行率 where 预算 > 1)"
    rs = perfrules.loads(MEASURED.replace("weighted_mean(单位.执行率, 单位.预算)", aggregate)
                         .replace("预算: number", "预算: number optional"))
    with pytest.raises(FactsError) as caught:
        rs.evaluate({"单位": [{"名称": "甲", "执行率": "90%"}, {"名称": "乙", "执行率": "80%"}]})
    assert [(d.code, d.message.split(":")[0]) for d in caught.value.diagnostics] == [
        ("F307", "`单位` row 1"), ("F307", "`单位` row 2")]


REVERSE = """
ruleset "sichuan" { total 20 }
input 表: rows { 名称: text; 指标值: measure; 完成值: measure; 权重: number }
indicator 成本 weight 20 { each 表 { key 名称; weight 权重
  ratio achievement(完成值, 指标值) } }
"""


def test_reverse_rows_with_zero_actuals_score_full() -> None:
    rs = perfrules.loads(REVERSE)
    facts = {"表": [
        {"名称": "科目调整次数", "指标值": "≤10次", "完成值": "0次", "权重": 10},
        {"名称": "结余率", "指标值": "≤5%", "完成值": "8%", "权重": 10},
    ]}
    result = rs.evaluate(facts)
    # 反向 from the target's sign: 0 ≤ 10 → 100% → 10.00; 8% > 5% → 5 ÷ 8 = 62.5% × 10 = 6.25
    assert result.points("成本.科目调整次数") == Decimal("10.00")
    assert result.points("成本.结余率") == Decimal("6.25")
    assert result.total == Decimal("16.25")


def test_unit_mismatch_is_an_evaluation_error_naming_the_row() -> None:
    rs = perfrules.loads(REVERSE)
    facts = {"表": [
        {"名称": "里程", "指标值": "≥10公里", "完成值": "9000米", "权重": 10},
        {"名称": "合格率", "指标值": "≥95%", "完成值": "0.97", "权重": 10},
    ]}
    with pytest.raises(EvaluationError) as caught:
        rs.evaluate(facts)
    text = str(caught.value)
    assert "E505" in text and "row 1 (里程)" in text and "公里" in text and "米" in text
    assert "row 2 (合格率)" in text and "percentage" in text


def test_facts_errors_in_rows_are_all_reported_at_once(form: perfrules.Ruleset) -> None:
    facts = {"facts": {"预算数": 100, "执行数": 95, "绩效指标": [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "补贴渔船数", "指标值": "1,62", "完成值": "5艘"},
        row("产出指标", "数量指标", "补贴渔船数", "约100", "5艘", 20),
    ]}}
    with pytest.raises(FactsError) as caught:
        form.evaluate(facts)
    messages = [d.message for d in caught.value.diagnostics]
    # row 1: a missing required column and a misplaced thousands separator; row 2: an approximate value
    assert any("row 1 (补贴渔船数)" in m and "missing column `权重`" in m for m in messages)
    assert any("row 1 (补贴渔船数)" in m and "`指标值`" in m and "thousands" in m for m in messages)
    assert any("row 2 (补贴渔船数)" in m and "approximate" in m for m in messages)


def test_row_level_facts_errors(form: perfrules.Ruleset) -> None:
    facts = {"facts": {"预算数": 100, "执行数": 95, "绩效指标": [
        row("产出指标", "数量指标", "补贴渔船数", "≥6艘", "5艘", 50),
        row("产出指标", "数量指标", "补贴渔船数", "≥6艘", "6艘", 20),
        row("产出指标", "质量指标", "群众评价", "好", "较好", 20),
        row("产出指标 ", "质量指标", "验收合格率", "≥95%", "98%", 10),
    ]}}
    with pytest.raises(FactsError) as caught:
        form.evaluate(facts)
    text = "\n".join(d.message for d in caught.value.diagnostics)
    assert "F302" in str(caught.value) and "row 2 (补贴渔船数) has the same 三级指标 as row 1" in text
    assert "row 3 (群众评价) is judged, but its `自评分` has no value" in text
    assert "row 4 (验收合格率) is scored by no indicator" in text
    # the weights of every selected row, the duplicate included: 50 + 20 + 20 = 90
    assert "add up to 90 (补贴渔船数 50, 补贴渔船数 20, 群众评价 20), but its `out of` is 100" in text
    assert text.count("row 3 (群众评价)") == 1  # one problem, said once


def test_row_problems_and_expansion_problems_come_in_one_run(form: perfrules.Ruleset) -> None:
    # Row 1 lacks its 权重 (F203, found while reading the rows); rows 2 and 3 share a key (F302)
    # and row 4 is judged without points (F304), both found only by expanding the rows. Before,
    # the official fixed row 1, ran again, and only then learnt of rows 3 and 4.
    facts = {"facts": {"预算数": 100, "执行数": 95, "绩效指标": [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "补贴渔船数", "指标值": "≥6艘", "完成值": "5艘"},
        row("产出指标", "数量指标", "验收批次", "≥2批", "2批", 30),
        row("产出指标", "数量指标", "验收批次", "≥2批", "1批", 30),
        row("产出指标", "质量指标", "群众评价", "好", "较好", 20),
    ]}}
    with pytest.raises(FactsError) as caught:
        form.evaluate(facts)
    codes = [d.code for d in caught.value.diagnostics]
    text = "\n".join(d.message for d in caught.value.diagnostics)
    assert codes.count("F203") == 1 and "row 1 (补贴渔船数): missing column `权重`" in text
    assert "row 3 (验收批次) has the same 三级指标 as row 2" in text
    assert "row 4 (群众评价) is judged, but its `自评分` has no value" in text
    # Row 1's weight is unknown, so the rows' sum (60 + 20 without it) is not held against 100.
    assert "F301" not in codes


def test_permuting_rows_never_changes_the_total(form: perfrules.Ruleset) -> None:
    baseline = form.evaluate(FACTS).total
    rows = list(FACTS["facts"]["绩效指标"])
    rng = random.Random(7)
    for _ in range(10):
        rng.shuffle(rows)
        facts = {"facts": FACTS["facts"] | {"绩效指标": list(rows)}}
        assert form.evaluate(facts).total == baseline


def test_checker_refuses_what_it_can_see() -> None:
    bad = """
ruleset "x" { total 10 }
input t: rows { 名称: text; 值: measure; 备注: text }
indicator a weight 10 {
  full
  each t { key 名称; weight 备注
    ratio achievement(备注, 值) }
}
indicator b weight 5 out of 10 { indicator c weight 4 { full } }
"""
    with pytest.raises(RulesError) as caught:
        perfrules.loads(bad)
    codes = {d.code for d in caught.value.diagnostics}
    # E405: `full` beside `each`; E301: weight from a text column, achievement of a text column;
    # E410: 4 ≠ out of 10
    assert {"E405", "E301", "E410"} <= codes


@pytest.mark.parametrize(("text", "sign", "number", "percent", "unit"), [
    ("≥6艘", "≥", "6", False, "艘"),
    ("≤1500元", "≤", "1500", False, "元"),
    ("98%以上", "≥", "0.98", True, ""),
    ("不低于95%", "≥", "0.95", True, ""),
    ("1,620", None, "1620", False, ""),
    (">3", "≥", "3", False, ""),
    ("≤202.6万元", "≤", "202.6", False, "万元"),
    ("-5", None, "-5", False, ""),
    ("+5", None, "5", False, ""),  # a plus sign reads as a minus sign does: a number, not a sentence
    ("≥+5%", "≥", "0.05", True, ""),
    ("≧735人次", "≥", "735", False, "人次"),  # 云南's 公开14表 prints 「≧」 and 「═」 in 指标性质
    ("≦5300元", "≤", "5300", False, "元"),
    ("═100%", "=", "1.00", True, ""),
])
def test_measures_read_as_the_form_writes_them(text: str, sign: str | None, number: str, percent: bool,
                                               unit: str) -> None:
    measure = parse_measure(text)
    assert measure is not None
    assert (measure.sign, measure.number, measure.percent, measure.unit) == (sign, Decimal(number), percent, unit)


@pytest.mark.parametrize("text", ["达成", "效果明显", "12月底之前完成"])
def test_other_text_is_a_qualitative_measure(text: str) -> None:
    measure = parse_measure(text)
    assert measure is not None and measure.qualitative


def test_the_invariants_hold_for_a_rows_ruleset(form: perfrules.Ruleset) -> None:
    from perfrules.testing import check_ruleset

    report = check_ruleset(form, max_examples=60, shrink=False)
    assert report.examples == 60


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_permuting_drawn_rows_never_changes_the_total(data: st.DataObject) -> None:
    from perfrules.testing import facts

    # With `weight evenly` the remainder goes to the first rows (spec 10), so order can move a total by
    # a cent; with weights from a column, order never matters.
    rs = perfrules.loads(FORM_ZH.replace("分值 平均", "分值 权重"), "form.rules")
    drawn = data.draw(facts(rs))
    try:
        baseline = rs.evaluate(drawn)
    except EvaluationError:
        return  # a division the rules do not guard (预算数 0): nothing to compare
    rows = list(drawn["facts"]["绩效指标"])
    shuffled = data.draw(st.permutations(rows))
    again = rs.evaluate({**drawn, "facts": {**drawn["facts"], "绩效指标": shuffled}})
    assert again.total == baseline.total
    assert again.breakdown.keys() == baseline.breakdown.keys()


def test_drawn_row_tables_include_zero_rows_and_every_direction() -> None:
    from hypothesis import find

    from perfrules.testing import facts

    rs = perfrules.loads(FORM_ZH, "form.rules")
    # 满意度指标 may not apply (`适用 当 满意度行数 > 0`): the strategy draws tables without its rows
    find(facts(rs), lambda d: not any(r["一级指标"] == "满意度指标" for r in d["facts"]["绩效指标"]))
    for sign in ("≥", "≤", "="):
        def signed(d: dict[str, Any], s: str = sign) -> bool:
            return any(str(r["指标值"]).startswith(s) for r in d["facts"]["绩效指标"])

        find(facts(rs), signed)
    # a reverse row right on its edge: actual == target
    find(facts(rs), lambda d: any(str(r["指标值"]) == "≤" + str(r["完成值"]) for r in d["facts"]["绩效指标"]))


def test_report_shows_the_forms_own_columns(form: perfrules.Ruleset) -> None:
    from perfrules.text.report import markdown

    facts = {"facts": FACTS["facts"] | {"绩效指标": [
        *FACTS["facts"]["绩效指标"][:2],
        row("产出指标", "质量指标", "群众评价", "好", "较好", 20, 自评分=17, 偏差原因="加强培训"),
        FACTS["facts"]["绩效指标"][3]]}}
    text = markdown(form.evaluate(facts), "zh")
    # the 10号 form's columns: 年度指标值 and 实际完成值 before 分值, 偏差原因分析及改进措施 at the end
    assert ("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 扣分 | 评分标准 | 扣分原因 "
            "| 偏差原因分析及改进措施 |") in text
    assert "| 补贴渔船数 | ≥6艘 | 5艘 | 50 | 41.67 | 8.33 |" in text
    assert "| 加强培训 |" in text
    # the out-of group's subtotal shows both scales: (41.67 + 47.00) = 88.67 of 100, × 80 ÷ 100 = 70.94
    assert "下级指标合计88.67分（满分100），折算：88.67×80÷100=70.94分" in text


def test_a_keyword_as_a_column_name_gets_a_name_and_keeps_the_wording() -> None:
    text = '规则集 "x" { 总分 10 }\n输入 表: 行表 { 名称: 文本; 分值: 数值 }\n指标 a 分值 10 { 满分 }\n'
    with pytest.raises(RulesError) as caught:
        perfrules.loads(text, "x.rules")
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "E105"
    assert diagnostic.help is not None and "`权重`" in diagnostic.help and '`权重: … "分值"`' in diagnostic.help


def test_a_version_1_name_that_version_2_reserves_is_named_as_such() -> None:
    with pytest.raises(RulesError) as caught:
        perfrules.loads('ruleset "x" { total 10 }\ninput key: number\nindicator a weight 10 { score key }\n')
    assert "reserved since language version 2" in caught.value.diagnostics[0].message


ARMS = """
ruleset "arms" { total 30 }
input 表: rows { 名称: text; 性质: direction; 指标值: measure; 完成值: measure; 权重: number
                是否适用: bool = true; 自评分: number optional }
indicator 产出 weight 30 {
  each 表 { key 名称; weight 权重
    when 性质 == 定性 { judged from 自评分 }
    when given(自评分) { score 自评分 }
    else { applies when 是否适用 else share
      ratio achievement(完成值, 指标值, 性质) }
  }
}
"""


def test_arms_directions_given_and_shared_rows() -> None:
    rs = perfrules.loads(ARMS, "arms.rules")
    facts = {"表": [
        {"名称": "甲", "性质": "≤", "指标值": "10", "完成值": "20", "权重": 10},
        {"名称": "乙", "性质": "正向", "指标值": "10", "完成值": "5", "权重": 10, "是否适用": False},
        {"名称": "丙", "性质": "定性", "指标值": "好", "完成值": "好", "权重": 5, "自评分": 4},
        {"名称": "丁", "性质": "等于", "指标值": "10", "完成值": "8", "权重": 5, "自评分": 3},
    ]}
    result = rs.evaluate(facts)
    # 甲: direction ≤ (a symbol in the facts) is 反向; 20 > 10 → 10 ÷ 20 = 50% × 10 = 5.00
    # 乙: does not apply, its 10 points are shared; 丙: judged 4 from 自评分; 丁: given(自评分) → score 3
    # 产出: (5 + 0 + 4 + 3) = 12 of the applicable 20 → 12 × 30 ÷ 20 = 18.00
    assert [result.points(f"产出.{n}") for n in "甲乙丙丁"] == [Decimal("5.00"), 0, Decimal("4.00"), Decimal("3.00")]
    assert result.total == Decimal("18.00")
    reasons = {loss.path: loss.reasons for loss in result.lost}
    assert reasons["产出.甲"] == ("甲：目标10（反向），完成20，达成度50%，得5分",)
    assert reasons["产出.丁"] == ("丁：自评分为3，得3分",)
    assert "产出.乙" not in reasons and not result.indicator("产出.乙").applicable


def test_a_json_facts_file_gives_rows_as_a_list(form: perfrules.Ruleset, tmp_path: Any) -> None:
    import json

    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS, ensure_ascii=False), "utf-8")
    # the same facts as FACTS: 9.50 + 70.94 + 9.44 = 89.88 (see test_form_scores_rows_to_the_cent)
    assert form.evaluate(path).total == Decimal("89.88")


def test_a_mean_over_no_rows_is_a_division_a_guard_can_take() -> None:
    text = """
ruleset "m" { total 10 }
input 表: rows { 名称: text; 得分率: percent }
let 平均得分率: percent = if count(表) > 0 then mean(表.得分率) else 100%
indicator a weight 10 { ratio 平均得分率 }
indicator b weight 0.0001 { ratio mean(表.得分率) }
"""
    guarded = perfrules.loads(text.replace("indicator a weight 10", "indicator a weight 9.9999"))
    with pytest.raises(EvaluationError) as caught:
        guarded.evaluate({"表": []})
    # the unguarded mean in b fails as a division by zero, naming the expression
    assert caught.value.diagnostics[0].code == "E501" and "mean(表.得分率)" in str(caught.value)
    only_guarded = perfrules.loads(text.replace("\nindicator b weight 0.0001 { ratio mean(表.得分率) }", ""))
    # no rows: the guard gives 100% → 10.00; two rows 80% and 90%: mean 85% × 10 = 8.50
    assert only_guarded.evaluate({"表": []}).total == Decimal("10.00")
    rows = [{"名称": "甲", "得分率": "80%"}, {"名称": "乙", "得分率": "90%"}]
    assert only_guarded.evaluate({"表": rows}).total == Decimal("8.50")


def test_an_override_stands_in_for_a_row_the_standard_cannot_score() -> None:
    rs = perfrules.loads(REVERSE)
    facts = {"表": [{"名称": "费用控制", "指标值": "≤30万元", "完成值": "完成", "权重": 10},
                   {"名称": "结余率", "指标值": "≤5%", "完成值": "5%", "权重": 10}]}
    with pytest.raises(EvaluationError) as caught:
        rs.evaluate(facts)
    diagnostic = caught.value.diagnostics[0]
    assert "row 1 (费用控制)" in diagnostic.message and diagnostic.help is not None and "[override]" in diagnostic.help
    result = rs.evaluate({"facts": facts, "override": {"成本.费用控制": {"points": 9, "because": "按公布的自评表"}}})
    # 费用控制 9 (the override); 结余率 5% ≤ 5% → 100% → 10.00; total 19.00
    assert result.points("成本.费用控制") == Decimal("9.00") and result.total == Decimal("19.00")
    assert result.indicator("成本.费用控制").reasons == ("按公布的自评表",)


def test_a_form_that_spells_percent_out() -> None:
    from perfrules.semantics.measure import achievement

    target = parse_measure("≥100百分比")
    assert target is not None and target.unit == "百分比" and target.number == Decimal(100)
    # against a plain 98 it is a unit on one side only: 98 ÷ 100; against 98% it is 100%: 0.98 ÷ 1
    for actual in ("98", "98%"):
        written = parse_measure(actual)
        assert written is not None and achievement(written, target, None) == Decimal("0.98")


def test_explain_a_judged_row(form: perfrules.Ruleset) -> None:
    from perfrules.text.explain import explain

    steps = explain(form.evaluate(FACTS), "产出指标.质量指标.群众评价")
    text = "\n".join(step.text for step in steps.steps)
    # 群众评价 is judged from its 自评分 (17 of 20, in the band 达成 [16, 20])
    assert "17" in text and "达成" in text


def test_min_over_no_rows_is_an_error_only_where_it_is_computed() -> None:
    text = """
ruleset "m" { total 10 }
input 表: rows { 名称: text; 权重: number }
let 最低 = min(表.权重)
indicator a weight 10 { score if count(表) > 0 then 最低 else 10 }
"""
    rs = perfrules.loads(text, "m.rules")
    # no rows: the guard gives 10 → 10.00; the unused branch's min is never computed
    assert rs.evaluate({"表": []}).total == Decimal("10.00")
    # rows 3 and 5: min 3 → 3.00
    assert rs.evaluate({"表": [{"名称": "甲", "权重": 3}, {"名称": "乙", "权重": 5}]}).total == Decimal("3.00")
    unguarded = perfrules.loads(text.replace("if count(表) > 0 then 最低 else 10", "最低"), "m.rules")
    with pytest.raises(EvaluationError) as caught:
        unguarded.evaluate({"表": []})
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "E506" and diagnostic.span is not None and diagnostic.span.text() == "min(表.权重)"


def test_arms_on_one_line() -> None:
    text = """ruleset "o" { total 20 }
input 表: rows { 名称: text; 指标值: measure; 完成值: measure; 权重: number; 自评分: number optional }
indicator a weight 20 { each 表 { key 名称; weight 权重; when qualitative(指标值) { judged from 自评分 } else { ratio achievement(完成值, 指标值) } } }
"""  # noqa: E501 - one line is the point
    rs = perfrules.loads(text, "o.rules")
    facts = {"表": [{"名称": "甲", "指标值": "好", "完成值": "好", "权重": 10, "自评分": 8},
                   {"名称": "乙", "指标值": "≥10", "完成值": "5", "权重": 10}]}
    # 甲 judged 8; 乙 5 ÷ 10 = 50% × 10 = 5.00; total 13.00
    assert rs.evaluate(facts).total == Decimal("13.00")


def test_an_arm_whose_brace_is_on_the_next_line() -> None:
    # `when COND` then `{` first on the line below (braces written on their own line) is the same arm; it was
    # read as a `when` clause of `weight 权重` above: E101, and a cascaded E411 and E407
    text = """ruleset "o" { total 20 }
input 表: rows { 名称: text; 指标值: measure; 完成值: measure; 权重: number; 自评分: number optional }
indicator a {
  each 表 {
    key 名称
    weight 权重
    when qualitative(指标值)
    {
      judged from 自评分
    }
    else
    {
      ratio achievement(完成值, 指标值)
    }
  }
}
"""
    rs = perfrules.loads(text, "o.rules")
    facts = {"表": [{"名称": "甲", "指标值": "好", "完成值": "好", "权重": 10, "自评分": 8},
                   {"名称": "乙", "指标值": "≥10", "完成值": "5", "权重": 10}]}
    # as test_arms_on_one_line: 甲 judged 8; 乙 5 ÷ 10 = 50% × 10 = 5.00; total 13.00
    assert rs.evaluate(facts).total == Decimal("13.00")
    # a `when` line with no `{` after it still goes on the statement above
    no_brace = text.replace("    {\n      judged", "    judged")
    no_brace = no_brace.replace("自评分\n    }\n    else", "自评分\n    else")
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads(no_brace)
    assert "E101" in [d.code for d in caught.value.diagnostics]


def test_a_json_facts_file_with_a_key_twice_is_refused(form: perfrules.Ruleset, tmp_path: Any) -> None:
    path = tmp_path / "facts.json"
    path.write_text('{"facts": {"预算数": 100, "预算数": 200}}', "utf-8")
    with pytest.raises(FactsError) as caught:
        form.evaluate(path)
    assert "`预算数` appears twice" in caught.value.diagnostics[0].message


# ---- conditions read straight from the row (rows._Expander.row_value) ---------------------------

CONDITIONS = """
ruleset "c" {
  total 100
  precision 2
}
input 门槛: number in 0..100 = 50
input 表: rows {
  名称: text
  类: text
  指标方向: direction optional
  目标: measure
  实际: measure optional
  占比: percent optional
  序: count
  权重: number in 0..100
  自评分: number optional in 0..100
}
let 半: number = 门槛 / 2
indicator 甲 weight 60 {
  each 表 {
    where (类 == "产出" or 类 == "效益") and not (序 > 8) and 权重 >= 0
    key 名称
    weight evenly
    when not given(实际) {
      score 0
    }
    when qualitative(目标) or qualitative(实际) {
      judged from 自评分 bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }
    }
    when given(占比) and 占比 >= 50% and 指标方向 == 正向 {
      ratio achievement(实际, 目标, 指标方向)
    }
    when 序 > 半 / 10 and 实际 > 门槛 {
      full
    }
    else {
      ratio achievement(实际, 目标)
    }
  }
}
indicator 乙 weight 40 {
  each 表 {
    where not (类 == "产出" or 类 == "效益") or 序 > 8
    key 名称
    weight evenly
    full
  }
}
"""


@st.composite
def _condition_rows(draw: st.DrawFn) -> dict[str, Any]:
    rows = []
    for k in range(draw(st.integers(0, 6))):
        row: dict[str, Any] = {
            "名称": f"r{k}", "类": draw(st.sampled_from(["产出", "效益", "满意度", "产出 "])),
            "目标": draw(st.sampled_from(["≥10", "≤5", "100%", "效果明显", "=3", "0"])),
            "序": draw(st.integers(0, 12)), "权重": draw(st.sampled_from([Decimal(0), Decimal(5), Decimal("2.5")])),
        }
        if draw(st.booleans()):
            row["实际"] = draw(st.sampled_from(["12", "4", "95%", "较好", "0", "3"]))
        if draw(st.booleans()):
            row["占比"] = draw(st.sampled_from(["40%", "50%", "80%"]))
        if draw(st.booleans()):
            row["指标方向"] = draw(st.sampled_from(["正向", "反向", "≥"]))
        if draw(st.booleans()):
            row["自评分"] = draw(st.sampled_from([Decimal(0), Decimal(7), Decimal(10), Decimal(25)]))
        rows.append(row)
    facts: dict[str, Any] = {"表": rows}
    if draw(st.booleans()):
        facts["门槛"] = draw(st.sampled_from([Decimal(0), Decimal(3), Decimal(100)]))
    return facts


def _outcome(ruleset: perfrules.Ruleset, drawn: dict[str, Any]) -> str:
    try:
        return ruleset.evaluate(drawn).to_json()
    except perfrules.PerfrulesError as exc:
        return f"{type(exc).__name__}: {exc}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=_condition_rows())
def test_conditions_read_from_the_row_are_what_substitution_gives(drawn: dict[str, Any]) -> None:
    from perfrules.backend import rows

    read = _outcome(perfrules.loads(CONDITIONS), drawn)
    with pytest.MonkeyPatch.context() as patched:  # every condition substituted, then interpreted: the reference

        def substitute(*_: Any) -> Any:
            raise rows._Substitute

        patched.setattr(rows._Expander, "row_value", substitute)
        substituted = _outcome(perfrules.loads(CONDITIONS), drawn)
    assert read == substituted


def test_the_condition_fixture_scores_rows_by_each_arm() -> None:
    # hand-worked: 门槛 50 → 半 25, 半/10 = 2.5. 甲 (60, evenly over 4 rows = 15 each):
    #   a: 实际 missing → score 0
    #   b: 目标 效果明显 (qualitative) → judged 自评分 12 of 15 (80% band 达成) → 12
    #   c: 占比 80% ≥ 50% and 方向 正向 → achievement(8, ≥10, 正向) = 80% → 15 × 80% = 12
    #   d: 序 5 > 2.5 and 实际 60 > 50 → full 15
    # 乙 (40): row e (类 满意度) → full 40. Total 0 + 12 + 12 + 15 + 40 = 79
    rows = [
        {"名称": "a", "类": "产出", "目标": "≥10", "序": 1, "权重": 5},
        {"名称": "b", "类": "产出", "目标": "效果明显", "实际": "达成", "序": 1, "权重": 5, "自评分": 12},
        {"名称": "c", "类": "效益", "目标": "≥10", "实际": "8", "占比": "80%", "指标方向": "正向", "序": 1, "权重": 5},
        {"名称": "d", "类": "效益", "目标": "≥100", "实际": "60", "序": 5, "权重": 5},
        {"名称": "e", "类": "满意度", "目标": "≥90%", "序": 0, "权重": 5},
    ]
    result = perfrules.loads(CONDITIONS).evaluate({"表": rows})
    assert result.breakdown["甲.a"] == Decimal("0.00")
    assert result.breakdown["甲.b"] == Decimal("12.00")
    assert result.breakdown["甲.c"] == Decimal("12.00")
    assert result.breakdown["甲.d"] == Decimal("15.00")
    assert result.total == Decimal("79.00")


def test_achievement_of_an_empty_optional_column_is_f307_not_an_internal_error() -> None:
    rs = perfrules.loads('ruleset "x" { total 10 }\n'
                         "input 表: rows { 名称: text; 指标值: measure; 完成值: measure optional }\n"
                         "indicator 产出 weight 10 { each 表 { key 名称; weight evenly\n"
                         "  ratio achievement(完成值, 指标值) } }\n")
    with pytest.raises(FactsError) as caught:  # it was an AssertionError in the expansion
        rs.evaluate({"表": [{"名称": "a", "指标值": "≥10"}]})
    (d,) = caught.value.diagnostics
    assert d.code == "F307" and "`表` row 1 (a)" in d.message and "`完成值` has no value" in d.message
    guarded = perfrules.loads(rs.model.source.text.replace("ratio achievement(完成值, 指标值)",
                                                           "when given(完成值) { ratio achievement(完成值, 指标值) }\n"
                                                           "  else { full }"))
    # the row without an actual takes the `else` arm: full, 10.00
    assert guarded.evaluate({"表": [{"名称": "a", "指标值": "≥10"}]}).total == Decimal("10.00")


def test_a_guarded_mean_of_percents_is_still_a_percent() -> None:
    rs = perfrules.loads('ruleset "x" { total 10 }\n'
                         "input 单位: rows { 名称: text; 执行率: measure }\ninput 目标: measure\n"
                         "let 均值 = if count(单位) > 0 then mean(单位.执行率) else 0\n"
                         "indicator 执行 weight 10 { ratio achievement(均值, 目标) }\n")
    result = rs.evaluate({"单位": [{"名称": "甲", "执行率": "90%"}, {"名称": "乙", "执行率": "80%"}], "目标": "≥90%"})
    # mean 85% (the guard docs/language.md gives keeps it a percent: it was E505, `0.85` against a
    # percent target); 85% ÷ 90% = 94.44…%; × 10 = 9.44
    assert result.total == Decimal("9.44")


def test_an_aggregate_read_in_every_row_is_computed_once() -> None:
    rs = perfrules.loads('ruleset "x" { total 30 }\ninput 单位: rows { 名称: text; 执行率: measure }\n'
                         "indicator 执行 weight 30 { each 单位 { key 名称; weight evenly\n"
                         "  ratio 执行率 / max(单位.执行率) } }\n")
    rows = [{"名称": "a", "执行率": "90%"}, {"名称": "b", "执行率": "45%"}, {"名称": "c", "执行率": "60%"}]
    # max 90%: a 90 ÷ 90 × 10 = 10.00; b 45 ÷ 90 × 10 = 5.00; c 60 ÷ 90 × 10 = 6.666… = 6.67; total 21.67
    assert rs.evaluate({"单位": rows}).total == Decimal("21.67")
    rows[1]["执行率"] = "80次"
    with pytest.raises(EvaluationError) as caught:
        rs.evaluate({"单位": rows})
    # said once, not once for each of the three rows that read it
    assert [d.code for d in caught.value.diagnostics] == ["E505"]


def test_a_row_without_its_group_is_f307_not_a_path_beside_the_groups() -> None:
    rs = perfrules.loads('ruleset "x" { total 100 }\n'
                         'input 表: rows { 组: text optional; 名: text; 值: number }\n'
                         "indicator A weight 100 { each 表 { group 组; key 名; weight evenly; ratio 值 / 10 } }\n")
    # row 2 has no 组: it made a group `A.` and a leaf `A.g` beside the group `A.g` (two indicators, one path)
    with pytest.raises(FactsError) as caught:
        rs.evaluate({"表": [{"组": "g", "名": "x", "值": 10}, {"名": "g", "值": 5}]})
    (d,) = caught.value.diagnostics
    assert d.code == "F307" and d.message.startswith("`表` row 2 (g): the column `组` has no value")
    # with its group: 50 each; x 10 ÷ 10 = 100% of 50 = 50.00; g 5 ÷ 10 = 50% of 50 = 25.00
    result = rs.evaluate({"表": [{"组": "g", "名": "x", "值": 10}, {"组": "h", "名": "g", "值": 5}]})
    assert result.breakdown == {"A": Decimal("75.00"), "A.g": Decimal("50.00"), "A.g.x": Decimal("50.00"),
                                "A.h": Decimal("25.00"), "A.h.g": Decimal("25.00")}


def test_a_negative_row_weight_is_refused() -> None:
    rs = perfrules.loads('ruleset "x" { total 50 }\ninput 表: rows { 名: text; 分: number; 值: number }\n'
                         "indicator A { each 表 { key 名; weight 分; ratio 值 / 10 } }\n")
    # 60 + (-10) = 50 adds up, and the -10 row scored -10.00 (ratio clamps to its weight)
    with pytest.raises(FactsError) as caught:
        rs.evaluate({"表": [{"名": "a", "分": 60, "值": 10}, {"名": "b", "分": -10, "值": 10}]})
    (d,) = caught.value.diagnostics
    assert d.code == "F205" and d.message == "`表` row 2 (b): the weight `分` is -10; a weight is 0 or more"


def test_over_no_rows_the_guard_s_0_percent_keeps_it_a_percent() -> None:
    text = ('ruleset "x" { total 10 }\ninput 单位: rows { 名称: text; 执行率: measure }\ninput 目标: measure\n'
            "let 均值 = if count(单位) > 0 then mean(单位.执行率) else 0%\n"
            "indicator 执行 weight 10 { ratio achievement(均值, 目标) }\n")
    # no rows: the guard takes `0%`; 0% ÷ 90% = 0 → 0.00 points
    assert perfrules.loads(text).evaluate({"单位": [], "目标": "≥90%"}).total == Decimal("0.00")
    # the guard's plain 0 is a number, not a percent: against 90% it is E505 (docs/language.md)
    with pytest.raises(EvaluationError, match="E505"):
        perfrules.loads(text.replace("else 0%", "else 0")).evaluate({"单位": [], "目标": "≥90%"})


def test_errors_without_a_source_place_come_in_row_order() -> None:
    # a plain dict's problems are placed at facts['表'][N]: sorted as text, row 10 came before rows 1 and 2
    rs = perfrules.loads('ruleset "s" { total 10 }\ninput 表: rows { 名: text; 完成: number }\n'
                         'indicator A weight 10 { each 表 { key 名; weight evenly; ratio 完成 } }\n')
    rows = [{"名": f"r{k}", "完成": "x" if k in (1, 2, 10) else Decimal(1)} for k in range(1, 12)]
    with pytest.raises(FactsError) as caught:
        rs.evaluate({"表": rows})
    assert [d.location() for d in caught.value.diagnostics] == [
        "facts['表'][1]['完成']", "facts['表'][2]['完成']", "facts['表'][10]['完成']"]


def test_a_division_by_zero_in_a_row_names_the_first_row_that_divides_by_zero() -> None:
    # One formula line serves every row: the error names the row to look up. Rows 甲 (b = 2), 乙 (b = 0),
    # 丙 (b = 0): 甲 divides, 乙 is the first whose b is 0.
    ruleset = perfrules.loads('规则集 "dz" { 总分 100 }\n输入 T: 行表 { 名: 文本; a: 数值; b: 数值; 权: 数值 }\n'
                              "指标 R 分值 100 {\n  逐行 T { 键 名; 分值 权; 按比例 a / b }\n}\n", "dz.rules")
    rows = [{"名": "甲", "a": 1, "b": 2, "权": 40}, {"名": "乙", "a": 1, "b": 0, "权": 30},
            {"名": "丙", "a": 1, "b": 0, "权": 30}]
    with pytest.raises(EvaluationError) as caught:
        ruleset.evaluate({"T": rows})
    [error] = caught.value.diagnostics
    assert error.code == "E501" and error.location() == "dz.rules:4:25"
    assert error.notes == ("in `T` row 2 (乙), the first row that divides by 0",)
    assert [note.in_("zh") for note in error.said_notes] == ["出现在`T`第2行（乙），即第一个除数为0的行"]
    # with 乙's b = 4 and 丙's 1: 40 × 1/2 + 30 × 1/4 + 30 × 1/1 = 20 + 7.5 + 30 = 57.50
    rows[1]["b"], rows[2]["b"] = 4, 1
    assert ruleset.evaluate({"T": rows}).total == Decimal("57.50")


def test_a_deduction_beside_each_is_not_helped_into_the_each_block() -> None:
    # `扣 2 当 x` beside `逐行` was helped to "move this into the each block": there it is taken from every
    # row, 2 × 2 rows = 4 points where the table means 2. The help says so, and where to take it once.
    text = ('规则集 "t" { 总分 10 }\n输入 x: 是否\n输入 T: 行表 { 名称: 文本; 权重: 数值 }\n'
            "指标 产出 分值 10 {\n  逐行 T { 键 名称; 分值 权重; 满分 }\n  扣 2 当 x\n}\n")
    with pytest.raises(RulesError) as caught:
        perfrules.loads(text, "t.rules")
    [error] = caught.value.diagnostics
    assert error.code == "E405" and error.location() == "t.rules:6:3"
    assert error.help_in("zh") == ("写进`逐行`块就会每一行都扣（加）一次；只算一次的，"
                                   "请写在文件顶层（不在任何指标内），或者单独作为一个指标")
    # the advice taken: at the top level it is taken once, rows a (4) and b (6) full: 10 − 2 = 8.00
    fixed = text.replace("  扣 2 当 x\n}\n", "}\n扣 2 当 x\n")
    rows = [{"名称": "a", "权重": 4}, {"名称": "b", "权重": 6}]
    assert perfrules.loads(fixed).evaluate({"x": True, "T": rows}).total == Decimal("8.00")
    # a rule beside `each` keeps its help: into the block, or an indicator of its own
    with pytest.raises(RulesError) as caught:
        perfrules.loads(text.replace("  扣 2 当 x\n", "  满分\n"), "t.rules")
    assert caught.value.diagnostics[0].help_in("zh") == "请把它移到`逐行`块中，或者单独作为一个指标"
