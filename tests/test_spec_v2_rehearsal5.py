"""Spec v2 rehearsal, round 5: the examples of sections 10-14 taken literally, in both keyword sets.

Each expected number is worked out by hand in the comment above its assertion.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import perfrules

# §10's each-example over a table without `where` or `group`: rows are named by 名.
NAMED = """规则集 "达成度" {
  总分 100
}
输入 表: 行表 {
  名: 文本
  目标: 度量
  实际: 度量
  性质: 方向 可缺
  权重: 数值
}
指标 全部 分值 100 {
  逐行 表 {
    键 名
    分值 权重
    当 有值(性质) { 按比例 达成度(实际, 目标, 性质) }
    否则 { 按比例 达成度(实际, 目标) }
  }
}
"""


def named_row(name: str, target: str, weight: str) -> str:
    return f'[[facts."表"]]\n"名" = "{name}"\n"目标" = "{target}"\n"实际" = "8"\n"权重" = {weight}\n'


def test_two_rows_left_out_for_their_own_problems_under_one_name_are_said_at_once() -> None:
    # §10 「Every problem in every row is reported at once」: row 1 「1,62」 (F204) and row 2 a
    # weight 「二十」 (F204) are both named a. Each problem alone let the duplicate be said; both
    # together hid it until one was fixed.
    facts = named_row("a", "1,62", "50") + named_row("a", "≥10", '"二十"')
    try:
        perfrules.loads(NAMED).evaluate(perfrules.parse_facts(facts, "dup.toml"))
    except perfrules.FactsError as caught:
        said = sorted((d.code, d.message) for d in caught.diagnostics)
    else:
        raise AssertionError("the facts were accepted")
    assert [code for code, _ in said] == ["F204", "F204", "F302"]
    assert said[2][1] == "`表` row 2 (a) has the same 名 as row 1"
    # fixed, 8 of ≥10 is 80%: 50 × 80% + 50 × 80% → 80 once the names differ
    fixed = named_row("a", "≥10", "50") + named_row("b", "≥10", "50")
    assert perfrules.loads(NAMED).evaluate(perfrules.parse_facts(fixed, "ok.toml")).total == 80


# §13 aggregates, §11 `out of` and §12 `else share` in one file, English keywords.
AGGREGATES = """ruleset "agg" { total 100; precision 2 }
input n: count "计划次数"
input has_sme: bool
input units: rows "子单位" {
  name: text
  budget: number
  rate: percent
  done: count
  kind: text
}
let wavg: percent = weighted_mean(units.rate, units.budget)
let wavg_a = weighted_mean(units.rate, units.budget where kind == "A")
let total_done = sum(units.done)
let n_units = count(units where kind == "A")
let m = mean(units.rate)
let lo = min(units.rate)
let hi = max(units.rate where kind == "B")

indicator 加权完成率 weight 20 { ratio wavg }
indicator 年度绩效目标 weight 60 out of 100 {
  indicator 完成数 weight 50 { ratio total_done / n }
  indicator 最低 weight 30 { ratio lo / 90% }
  indicator 扶持中小企业 weight 20 { applies when has_sme else share; full }
}
indicator 均值 weight 20 {
  tiers m { >= 90%: full; >= 80%: 80%; else: 0 }
  deduct 1 when n_units < 3 because "A类{n_units}个，最高{hi}，A加权{wavg_a}"
}
"""
UNITS = """[facts]
n = 12
has_sme = false
[[facts.units]]
name = "u1"
budget = 100
rate = "90%"
done = 5
kind = "A"
[[facts.units]]
name = "u2"
budget = 300
rate = "80%"
done = 3
kind = "B"
[[facts.units]]
name = "u3"
budget = 100
rate = "100%"
done = 2
kind = "A"
"""


def test_aggregates_out_of_and_share_say_the_same_in_both_keyword_sets() -> None:
    # weighted_mean = (90%×100 + 80%×300 + 100%×100) ÷ 500 = 430 ÷ 500 = 86% → 20 × 86% = 17.20
    # 完成数: sum 5+3+2 = 10 of 12 → 50 × 10/12 = 41.666… → 41.67
    # 最低: min 80% ÷ 90% = 0.888… → 30 × 0.888… = 26.666… → 26.67
    # 扶持中小企业 shares its 20 away: (41.67 + 26.67) × 60 ÷ 80 = 68.34 × 0.75 = 51.255 → 51.26
    # 均值: mean (90+80+100)/3 = 90% → full 20; count(A) = 2 < 3 → −1 → 19.00
    # total 17.20 + 51.26 + 19.00 = 87.46
    chinese = (AGGREGATES.replace("ruleset", "规则集").replace("total 100; precision 2", "总分 100; 精度 2")
               .replace("input ", "输入 ").replace(": count", ": 计数").replace(": bool", ": 是否")
               .replace(": rows", ": 行表").replace(": text", ": 文本").replace(": number", ": 数值")
               .replace(": percent", ": 百分比").replace("let ", "设 ").replace("weighted_mean(", "加权平均(")
               .replace(" where ", " 筛选 ").replace("sum(", "合计(").replace("count(", "行数(")
               .replace("mean(", "平均值(").replace("min(", "最小(").replace("max(", "最大(")
               .replace("indicator ", "指标 ").replace("weight 60 out of 100", "分值 60 满分 100")
               .replace("weight ", "分值 ").replace("ratio ", "按比例 ").replace("applies when", "适用 当")
               .replace("else share; full", "否则 分摊; 满分").replace("tiers m", "分档 m")
               .replace(": full;", ": 满分;").replace("else: 0", "否则: 0").replace("deduct 1 when", "扣 1 当")
               .replace("because", "原因"))
    assert "weight" not in chinese and "indicator" not in chinese and "mean(" not in chinese.replace("平均", "")
    facts = perfrules.parse_facts(UNITS, "units.toml")
    for text in (AGGREGATES, chinese):
        result = perfrules.loads(text).evaluate(facts)
        points = {i.path: str(i.points) for i in result.indicators}
        assert (points["加权完成率"], points["年度绩效目标.完成数"], points["年度绩效目标.最低"]) == (
            "17.20", "41.67", "26.67")
        assert (points["年度绩效目标"], points["均值"], str(result.total)) == ("51.26", "19.00", "87.46")
        # percent columns aggregate to percents: max(80%) of B and weighted_mean 95% of A print as such
        [lost] = [entry for entry in result.lost if entry.path == "均值"]
        assert lost.reasons == ("A类2个，最高80%，A加权95%",)
    # 扶持中小企业 applies: (41.67 + 26.67 + 20) × 60 ÷ 100 = 53.004 → 53.00; 17.20 + 53.00 + 19.00 = 89.20
    applies = perfrules.parse_facts(UNITS.replace("has_sme = false", "has_sme = true"), "units.toml")
    assert perfrules.loads(AGGREGATES).evaluate(applies).total == Decimal("89.20")


def test_report_writes_the_format_its_output_file_names(tmp_path: Path) -> None:
    # `report … -o 自评.xlsx` wrote markdown text into a file named .xlsx; `--format md` was refused
    from perfrules.cli import main

    (tmp_path / "agg.rules").write_text(AGGREGATES, encoding="utf-8")
    (tmp_path / "agg.toml").write_text(UNITS, encoding="utf-8")
    rules, facts = str(tmp_path / "agg.rules"), str(tmp_path / "agg.toml")
    assert main(["report", rules, facts, "-o", str(tmp_path / "r.xlsx")]) == 0
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"  # a zip: the workbook
    assert main(["report", rules, facts, "-o", str(tmp_path / "r.HTML")]) == 0
    assert (tmp_path / "r.HTML").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert main(["report", rules, facts, "--format", "md", "-o", str(tmp_path / "r.txt")]) == 0
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("# agg")
    # an explicit --format wins over the suffix; no suffix known: markdown, as before
    assert main(["report", rules, facts, "--format", "html", "-o", str(tmp_path / "r.md")]) == 0
    assert "<table" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert main(["report", rules, facts, "-o", str(tmp_path / "r.out")]) == 0
    assert "| **合计** |  | 100 | **87.46** |" in (tmp_path / "r.out").read_text(encoding="utf-8")


# §10 `judged from COLUMN band COLUMN bands {...}`, weights left out (each block's weight is its rows'
# sum), the direction column with a default, and §10's `applies when count(…) > 0 else rescale`.
BANDED = """ruleset "no weight" { total 100 }
input 预算数: number
input 执行数: number
input 绩效指标: rows {
  一级指标: text
  三级指标: text
  指标值: measure
  完成值: measure
  权重: number
  性质: direction = 正向
  自评分: number optional in 0..100
  档次: text optional
}
indicator 预算执行率 weight 10 { ratio 执行数 / 预算数 }
indicator 产出指标 {
  each 绩效指标 { where 一级指标 == "产出指标"; key 三级指标; weight 权重
    when 性质 == 定性 {
      judged from 自评分 band 档次 bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }
    }
    else { ratio achievement(完成值, 指标值, 性质) } }
}
indicator 效益指标 {
  each 绩效指标 { where 一级指标 == "效益指标"; key 三级指标; weight 权重
    when qualitative(指标值) {
      judged from 自评分 bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }
    }
    else { ratio achievement(完成值, 指标值) } }
}
indicator 满意度指标 {
  applies when count(绩效指标 where 一级指标 == "满意度指标") > 0 else rescale
  each 绩效指标 { where 一级指标 == "满意度指标"; key 三级指标; weight 权重; ratio achievement(完成值, 指标值) }
}
"""
BANDED_FACTS = """[facts]
"预算数" = 100
"执行数" = 95
[[facts."绩效指标"]]
"一级指标" = "产出指标"
"三级指标" = "A"
"指标值" = "≥10"
"完成值" = "9"
"权重" = 40
[[facts."绩效指标"]]
"一级指标" = "产出指标"
"三级指标" = "B"
"指标值" = "按时"
"完成值" = "按时"
"权重" = 30
"性质" = "定性"
"自评分" = 20
"档次" = "部分达成"
[[facts."绩效指标"]]
"一级指标" = "效益指标"
"三级指标" = "C"
"指标值" = "≤5%"
"完成值" = "4%"
"权重" = 20
"""


def test_a_band_column_scores_and_a_point_outside_it_names_the_band_in_points() -> None:
    # 预算执行率 95/100 × 10 = 9.50; A ≥10 done 9 (direction 正向 by default): 90% × 40 = 36.00;
    # B judged 20 in 部分达成 [18, 24) of 30 → 20.00; C ≤5% done 4% → 100% × 20 = 20.00;
    # 满意度指标 has no row: it does not apply and drops 0 points. 产出 70 + 效益 20 + 10 = 100 = total.
    # total 9.50 + 56.00 + 20.00 = 85.50
    result = perfrules.loads(BANDED).evaluate(perfrules.parse_facts(BANDED_FACTS, "banded.toml"))
    assert str(result.total) == "85.50"
    points = {i.path: str(i.points) for i in result.indicators}
    assert (points["产出指标.A"], points["产出指标.B"], points["效益指标.C"]) == ("36.00", "20.00", "20.00")
    # 达成 of 30 is [80% × 30, 100% × 30] = [24, 30]: 20 is outside it, and the message says so in points
    wrong = BANDED_FACTS.replace('"档次" = "部分达成"', '"档次" = "达成"')
    try:
        perfrules.loads(BANDED).evaluate(perfrules.parse_facts(wrong, "banded.toml"))
    except perfrules.FactsError as caught:
        [problem] = caught.diagnostics
    else:
        raise AssertionError("20 points in 达成 [24, 30] were accepted")
    assert problem.code == "F305"
    assert problem.message == "`绩效指标` row 2 (B): 20 points lies outside the band `达成`, which is [24, 30] points"
    # the top-level sums are checked when the facts are read: A at 35 makes 10 + 65 + 20 + 0 = 95
    short = BANDED_FACTS.replace('"权重" = 40', '"权重" = 35')
    try:
        perfrules.loads(BANDED).evaluate(perfrules.parse_facts(short, "banded.toml"))
    except perfrules.FactsError as caught:
        [problem] = caught.diagnostics
    else:
        raise AssertionError("weights adding up to 95 were accepted")
    assert problem.message == ("the weights at the top level add up to 95 (预算执行率 10, 产出指标 65, 效益指标 20, "
                               "满意度指标 0), but `total` is 100")


def test_a_direction_sign_in_a_rule_file_asks_for_its_label() -> None:
    # §10: the direction labels are 「not keywords: write them bare in both keyword sets
    # (`achievement(a, b, 反向)`); the symbols are accepted only in facts files」. `≤` there was told
    # 「comparisons are not chained」 with the help to join two comparisons by `and`.
    text = ('ruleset "a" { total 10 }\ninput T: rows { name: text; a: measure; b: measure }\n'
            "indicator A weight 10 { each T { key name; weight evenly; ratio achievement(a, b, {sign}) } }\n")
    for sign, label in (("≤", "反向"), ("<=", "反向"), (">=", "正向"), ("==", "等于"), ("=", "等于")):
        try:
            perfrules.loads(text.replace("{sign}", sign))
        except perfrules.PerfrulesError as caught:
            [problem] = caught.diagnostics
        else:
            raise AssertionError(f"{sign} was accepted")
        assert problem.message == f"unexpected `{sign}`: a rule file writes a direction as its label, not as a sign"
        assert problem.help is not None and problem.help.startswith(f"write `{label}`")
    # the label is read: 8 against 10 反向 → 100% (8 ≤ 10): full 10
    rows = perfrules.parse_facts('[[facts.T]]\nname = "r"\na = 8\nb = 10\n', "t.toml")
    assert perfrules.loads(text.replace("{sign}", "反向")).evaluate(rows).total == 10
    # a chained comparison is still said as one
    chained = 'ruleset "a" { total 10 }\ninput x: number\nindicator A weight 10 { ratio if 1 < x < 3 then 1 else 0 }\n'
    try:
        perfrules.loads(chained)
    except perfrules.PerfrulesError as caught:
        assert [d.message for d in caught.diagnostics] == ["unexpected `<`: comparisons are not chained"]
    else:
        raise AssertionError("a chained comparison was accepted")


def test_measure_inputs_column_defaults_and_a_formulas_english_reason() -> None:
    # §10: `measure` and `direction` may be plain inputs; a column takes `in LOW..HIGH` and `= DEFAULT`.
    text = """ruleset "m" { total 30 }
input 目标: measure "年度指标值"
input 实际: measure "实际完成值"
input T: rows { name: text; lvl: text; v: number in 0..10 = 5 }
let avg = mean(T.v where lvl == "x")
indicator A weight 10 { ratio achievement(实际, 目标) }
indicator B weight 10 { each T { where lvl == "x"; key name; weight evenly; score v } }
indicator C weight 10 { ratio avg / 10 }
"""
    facts = ('[facts]\n"目标" = "≤5%"\n"实际" = "6%"\n[[facts.T]]\nname = "a"\nlvl = "x"\n'
             '[[facts.T]]\nname = "b"\nlvl = "x"\nv = 9\n[[facts.T]]\nname = "c"\nlvl = "x"\nv = 2\n')
    result = perfrules.loads(text).evaluate(perfrules.parse_facts(facts, "m.toml"))
    # A: ≤5% against 6% is 反向: 5/6 = 83.33…% × 10 = 8.333… → 8.33
    # B: 10 over 3 rows → 3.34, 3.33, 3.33; a takes the default 5 → clamped 3.34; b 9 → 3.33; c 2 → 2.00
    #    8.67 in all
    # C: mean(5, 9, 2) = 16/3 = 5.333…; ÷ 10 = 53.33…% × 10 = 5.333… → 5.33
    # total 8.33 + 8.67 + 5.33 = 22.33
    assert str(result.total) == "22.33"
    assert [str(result.indicator(p).points) for p in ("A", "B.a", "B.b", "B.c", "C")] == [
        "8.33", "3.34", "3.33", "2.00", "5.33"]
    # the formula's value is said with `=`, as the Chinese says 「为」: it read 「avg / 10 53.33%」
    assert result.indicator("C").reasons == ("avg / 10 = 53.33%: 5.33 points in proportion",)
    assert result.indicator("A").reasons == (
        "achievement(实际, 目标): target ≤5%, actual 6%, achievement 83.33%: 8.33 points",)


def test_a_measure_signed_with_a_typographic_minus_is_a_number() -> None:
    # 「−3%」 (U+2212, as word processors write it), 「－3%」 and 「＋5」 (full width) were qualitative
    # measures, so `achievement` refused them; they read as 「-3%」 and 「+5」 do.
    text = ('ruleset "m" { total 10 }\ninput T: rows { name: text; t: measure; a: measure }\n'
            "indicator A weight 10 { each T { key name; weight evenly; ratio achievement(a, t) } }\n")
    rules = perfrules.loads(text)
    for target, actual, points in (
        ("−3", "-2", "6.67"),  # -2 ÷ -3 = 66.66…% × 10 = 6.666… → 6.67
        ("－3%", "-2%", "6.67"),  # the same in percents
        ("＋5", "4", "8.00"),  # 4 ÷ 5 = 80% × 10 = 8.00
    ):
        result = rules.evaluate({"T": [{"name": "r", "t": target, "a": actual}]})
        assert str(result.total) == points, target
    # the measure keeps its text as written
    result = rules.evaluate({"T": [{"name": "r", "t": "−3", "a": "-2"}]})
    assert result.indicator("A.r").reasons == ("r: target −3, actual -2, achievement 66.67%: 6.67 points",)


# A 10号 county table from Anhui, written from the spec alone in Chinese keywords:
# 天长市水利局 水旱灾害防御经费 项目支出绩效自评表（2022年度）, 发布时间 2023-12-05 (a stored copy
# of 「天长市水利局水旱灾害防御股项目支出绩效自评」; the search tool gave no address). Published:
# 预算执行率 880/880 → 10; eight rows of 10 and 满意度 90% → 100% worth 10; 总分 100. Most rows print
# no 年度指标值 or 实际完成值 at all (the 三级指标 names the target: 「工程质量合格」): those cells are
# left out of the facts, so both columns are `可缺` and such a row is judged from its 得分.
TIANCHANG = """规则集 "项目支出绩效自评表" {
  总分 100
  精度 2
}
输入 全年预算数: 数值 "全年预算数（A）"
输入 全年执行数: 数值 "全年执行数（B）"
输入 绩效指标: 行表 "年度绩效指标完成情况" {
  一级指标: 文本
  二级指标: 文本
  三级指标: 文本
  指标值: 度量 可缺 "年度指标值"
  完成值: 度量 可缺 "实际完成值"
  权重: 数值 "分值"
  自评分: 数值 可缺 "得分"
}
指标 预算执行率 分值 10 { 按比例 如果 全年预算数 == 0 则 0 否则 全年执行数 / 全年预算数 }
指标 产出指标 分值 50 { 逐行 绩效指标 { 筛选 一级指标 == "产出指标"; 分组 二级指标; 键 三级指标; 分值 权重
  当 非 有值(指标值) 或 非 有值(完成值) 或 属定性(指标值) 或 属定性(完成值) { 评定 取 自评分 }
  否则 { 按比例 达成度(完成值, 指标值) } } }
指标 效益指标 分值 30 { 逐行 绩效指标 { 筛选 一级指标 == "效益指标"; 分组 二级指标; 键 三级指标; 分值 权重
  当 非 有值(指标值) 或 非 有值(完成值) 或 属定性(指标值) 或 属定性(完成值) { 评定 取 自评分 }
  否则 { 按比例 达成度(完成值, 指标值) } } }
指标 满意度指标 分值 10 { 逐行 绩效指标 { 筛选 一级指标 == "满意度指标"; 分组 二级指标; 键 三级指标; 分值 权重
  当 非 有值(指标值) 或 非 有值(完成值) 或 属定性(指标值) 或 属定性(完成值) { 评定 取 自评分 }
  否则 { 按比例 达成度(完成值, 指标值) } } }
"""
TIANCHANG_FACTS = """[meta]
entity = "天长市水利局"
period = "2022"

[facts]
"全年预算数" = 880
"全年执行数" = 880

[[facts."绩效指标"]]
"一级指标" = "产出指标"
"二级指标" = "数量指标"
"三级指标" = "完成中型灌区节水改造项目数量"
"指标值" = "1"
"完成值" = "1"
"权重" = 10

[[facts."绩效指标"]]
"一级指标" = "产出指标"
"二级指标" = "数量指标"
"三级指标" = "完成农业综合水价改革项目"
"指标值" = "1"
"完成值" = "1"
"权重" = 10

[[facts."绩效指标"]]
"一级指标" = "产出指标"
"二级指标" = "质量指标"
"三级指标" = "工程质量合格"
"权重" = 10
"自评分" = 10

[[facts."绩效指标"]]
"一级指标" = "产出指标"
"二级指标" = "时效指标"
"三级指标" = "年度资金支付完成率100%"
"权重" = 10
"自评分" = 10

[[facts."绩效指标"]]
"一级指标" = "产出指标"
"二级指标" = "成本指标"
"三级指标" = "资金执行在预算范围内"
"权重" = 10
"自评分" = 10

[[facts."绩效指标"]]
"一级指标" = "效益指标"
"二级指标" = "经济效益指标"
"三级指标" = "全市安全度汛"
"权重" = 10
"自评分" = 10

[[facts."绩效指标"]]
"一级指标" = "效益指标"
"二级指标" = "社会效益指标"
"三级指标" = "保护全市人口财产不受损失"
"权重" = 10
"自评分" = 10

[[facts."绩效指标"]]
"一级指标" = "效益指标"
"二级指标" = "可持续影响指标"
"三级指标" = "已建工程良性运行"
"权重" = 10
"自评分" = 10

[[facts."绩效指标"]]
"一级指标" = "满意度指标"
"二级指标" = "服务对象满意度指标"
"三级指标" = "服务对象满意度"
"指标值" = "90%"
"完成值" = "100%"
"权重" = 10
"""


def test_tianchang_county_table_gives_its_published_total_and_rows() -> None:
    # published: every row 10, 总分 100; 预算执行率 880/880 = 100% × 10 = 10.00
    # 1 of 1 → 100% × 10 = 10.00 (both 数量 rows); 满意度 100% against 90% (no sign: 正向) = 111.11%,
    # clamped: 10.00; the six rows without values are judged 10 each. 10 + 50 + 30 + 10 = 100.00
    result = perfrules.loads(TIANCHANG).evaluate(perfrules.parse_facts(TIANCHANG_FACTS, "tianchang.toml"))
    assert str(result.total) == "100.00"
    leaves = [i for i in result.indicators if i.rule != "group"]
    assert len(leaves) == 10 and {str(i.points) for i in leaves} == {"10.00"}
    assert result.indicator("满意度指标.服务对象满意度指标.服务对象满意度").reasons == (
        "服务对象满意度：目标90%，完成100%，达成度111.11%，满分为止，得10分",)
    # HYPOTHETICAL: 满意度 85% → 85 ÷ 90 = 94.444…% × 10 = 9.444… → 9.44; 工程质量合格 judged 8:
    # 产出 48.00; total 10.00 + 48.00 + 30.00 + 9.44 = 97.44
    worse = (TIANCHANG_FACTS.replace('"完成值" = "100%"', '"完成值" = "85%"')
             .replace('"三级指标" = "工程质量合格"\n"权重" = 10\n"自评分" = 10',
                      '"三级指标" = "工程质量合格"\n"权重" = 10\n"自评分" = 8'))
    result = perfrules.loads(TIANCHANG).evaluate(perfrules.parse_facts(worse, "tianchang.toml"))
    assert (str(result.indicator("产出指标").points), str(result.total)) == ("48.00", "97.44")


def test_a_column_of_the_wrong_kind_is_told_which_columns_fit() -> None:
    # ground rule: every error says what to do. `judged from s` (text), `weight s` and `group n` named
    # the wrong column and the kind wanted, but no column to use instead, or how to declare one.
    head = 'ruleset "a" { total 10 }\ninput T: rows { name: text; n: number; s: text }\n'
    for body, message, help_text in (
        ("judged from s", "`from s` needs a number column, and `s` is text", "the columns of `T` that fit are n"),
        ("full", "`group n` needs a text column, and `n` is number", "the columns of `T` that fit are name, s"),
    ):
        group = "group n; " if body == "full" else ""
        text = head + f"indicator A weight 10 {{ each T {{ {group}key name; weight evenly; {body} }} }}\n"
        try:
            perfrules.loads(text)
        except perfrules.PerfrulesError as caught:
            [problem] = caught.diagnostics
        else:
            raise AssertionError(text)
        assert (problem.message, problem.help) == (message, help_text)
    # no text column but the key: none fits a weight, so the help says how to declare one
    text = ('ruleset "a" { total 10 }\ninput T: rows { name: text }\n'
            "indicator A weight 10 { each T { key name; weight name; full } }\n")
    try:
        perfrules.loads(text)
    except perfrules.PerfrulesError as caught:
        [problem] = caught.diagnostics
    else:
        raise AssertionError(text)
    assert problem.help == '`T` has no such column: declare one in its `rows { … }`, for example `权重: number "分值"`'


def test_a_batch_folder_reads_json_facts_files_as_eval_does(tmp_path: Path, capsys: Any) -> None:
    # §10 「Facts give rows as an array of tables (TOML), or a JSON list」: `eval RULES p.json` reads a
    # JSON facts file, but `eval RULES --batch FOLDER` skipped every .json in the folder without a word
    # (「已评分1条」 of three projects).
    from perfrules.cli import main

    rules = tmp_path / "agg.rules"
    rules.write_text(AGGREGATES, encoding="utf-8")
    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / "a.toml").write_text(UNITS, encoding="utf-8")
    facts = tomllib.loads(UNITS)
    (folder / "b.json").write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    facts["facts"]["has_sme"] = True
    (folder / "C.JSON").write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    (folder / "x.cases.toml").write_text("", encoding="utf-8")  # cases files are not facts
    assert main(["eval", str(rules), "--batch", str(folder)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # has_sme false: 87.46 (see the aggregates test); true: 89.20
    assert [(x["file"], x["total"]) for x in lines] == [("C.JSON", "89.20"), ("a.toml", "87.46"), ("b.json", "87.46")]


def test_judged_points_of_a_row_in_the_judged_table_are_sent_to_its_row() -> None:
    # §10: `judged from COLUMN` reads the row's column; 「outside `each`, `judged` reads [judged]」.
    # A [judged] entry for such a row was told 「is not a `judged` indicator; its points are computed」,
    # of a row that is judged, with the help to use [override].
    facts = BANDED_FACTS + '\n[judged]\n"产出指标.B" = 22\n'
    try:
        perfrules.loads(BANDED).evaluate(perfrules.parse_facts(facts, "banded.toml"))
    except perfrules.FactsError as caught:
        [problem] = caught.diagnostics
    else:
        raise AssertionError("[judged] for a row was accepted")
    assert (problem.code, problem.message) == (
        "F211", "`产出指标.B` is judged from the `自评分` of its row (绩效指标 row 2), not from [judged]")
    assert problem.help == ("write its points in that row's `自评分` and remove this entry; or replace them in "
                            "[override], with a reason")
    # a computed row is still told to use [override]
    facts = BANDED_FACTS + '\n[judged]\n"产出指标.A" = 22\n'
    try:
        perfrules.loads(BANDED).evaluate(perfrules.parse_facts(facts, "banded.toml"))
    except perfrules.FactsError as caught:
        [problem] = caught.diagnostics
    else:
        raise AssertionError("[judged] for a computed row was accepted")
    assert problem.message == "`产出指标.A` is not a `judged` indicator; its points are computed"


def test_a_because_text_prints_a_measure_as_written_and_takes_escaped_quotes(tmp_path: Path) -> None:
    # §10: a measure's 「sign and unit are used by `achievement` and printed in reasons」; §2: strings
    # take `\"`. `{t}` printed 「6」 for 「≥6艘」; in a `when qualitative(t)` arm it was an E505 error
    # (「uses it as a number」, with the help to score the row in a `when qualitative(...)` arm); and
    # `{… else \"无说明\"}` was 「unexpected character `\`」.
    text = r'''ruleset "c" { total 10 }
input T: rows { name: text; t: measure; a: measure; pts: number optional; why: text optional }
indicator A weight 10 {
  each T { key name; weight evenly
    when qualitative(t) { judged from pts because "{name}：目标{t}，完成{a}" }
    else {
      ratio achievement(a, t)
        because "{name}：目标{t}，完成{a}，一半{a / 2}，{if given(why) then why else \"无说明\"}"
    }
  }
}
'''
    facts = ('[[facts.T]]\nname = "x"\nt = "12月底前完成"\na = "未完成"\npts = 3\n'
             '[[facts.T]]\nname = "y"\nt = "≥6艘"\na = "5艘"\n')
    result = perfrules.loads(text).evaluate(perfrules.parse_facts(facts, "qb.toml"))
    # x judged 3 of 5; y 5 ÷ 6 = 83.33…% × 5 = 4.166… → 4.17; total 7.17
    assert str(result.total) == "7.17"
    assert result.indicator("A.x").reasons == ("x：目标12月底前完成，完成未完成",)
    # in arithmetic the measure is its number: 5艘 / 2 = 2.5
    assert result.indicator("A.y").reasons == ("y：目标≥6艘，完成5艘，一半2.5，无说明",)
