"""explain: the step-by-step computation of one indicator, pinned by golden text per ruleset."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.diagnostics import PerfrulesError
from perfrules.semantics import arithmetic, model
from perfrules.text import explain as ex
from perfrules.text import wording

from .drawn import rule_files
from .goldens import CASES, ROOT, check_golden, evaluate

GOLDEN = ROOT / "tests" / "golden" / "explain"


def everything(rules: str, facts: str, lang: str | None = None) -> str:
    """The explanation of every indicator of a ruleset, groups included, in file order."""
    result = evaluate(rules, facts)
    parts = [ex.text(ex.explain(result, ind.path, lang)) for ind in result.ruleset.indicator_list]
    return ("=" * 60 + "\n").join(parts)


@pytest.mark.parametrize(("name", "rules", "facts"), CASES, ids=[c[0] for c in CASES])
def test_explain_golden(name: str, rules: str, facts: str) -> None:
    check_golden(GOLDEN / f"{name}.txt", everything(rules, facts))


def test_explain_golden_english() -> None:
    _, rules, facts = CASES[-1]
    check_golden(GOLDEN / "showcase.en.txt", everything(rules, facts, "en"))


def steps(path: str, case: int = 0, lang: str | None = None) -> list[str]:
    result = evaluate(*CASES[case][1:])
    return [s.text for s in ex.explain(result, path, lang).steps]


def test_ratio_with_let_guangzhou() -> None:
    lines = steps("管理效能.预算执行.预算执行率")
    # 8448.73 / 8881.35 = 0.95128893692…; × 10 = 9.5128893692… → 9.51
    assert ("一般公共预算执行率 = 一般公共预算支出数 ÷ 一般公共预算财政拨款收入 = 8448.73 ÷ 8881.35 "
            "= 95.1288936929…%") in lines
    assert "按比例：10 × 95.1288936929…% = 9.5128893692…" in lines
    assert "9.5128893692… → 9.51，四舍五入（保留2位小数）" in lines
    assert lines[-1] == "得分 9.51 / 10，扣0.49分"


def test_issue_example_numbers() -> None:
    # the issue's example: 215457.6 / 250000 = 0.8618304 exactly; 10 × 86.18304% = 8.618304 → 8.62
    lines = steps("预算执行率", case=4)
    assert "执行率 = 执行数 ÷ 预算数 = 215457.6 ÷ 250000 = 86.18304%" in lines
    assert "按比例：10 × 86.18304% = 8.618304" in lines
    assert "8.618304 → 8.62，四舍五入（保留2位小数）" in lines


def test_tiers_shows_each_arm_tried() -> None:
    # 12% is not == 0%, not <= 10%, and is <= 20%: half the weight 5 = 2.5
    lines = steps("产出.预算调整", case=4)
    assert "12% = 0%：不成立" in lines
    assert "12% ≤ 10%：不成立" in lines
    assert "12% ≤ 20%：成立 → 得2.5分" in lines


def test_per_deduction_cap_clamp_and_bonus() -> None:
    # 培训次数: shortfall(4, 12) = 8; 8 ÷ 1 = 8; 8 × 0.5 = 4; cap 4 not exceeded; 10 − 4 = 6
    training = steps("产出.培训次数", case=4)
    assert any("未达(实际次数, 计划次数) = 未达(4, 12) = 8；8 ÷ 1 = 8；8 × 0.5 = 4；10 - 4 = 6" in s
               for s in training)  # fmt: skip
    # 按时报送: 5 − 10 = −5 → 扣完为止 → 0
    late = steps("产出.按时报送", case=4)
    assert any("条件 非 按时报送（非 否）：成立" in s and "5 - 10 = -5" in s for s in late)
    assert "扣完为止：-5 → 0" in late
    # 合规性: 3 × 1 = 3 off, then 4 × 0.5 = 2 added but capped at 1: 10 − 3 + 1 = 8
    compliance = steps("产出.合规性", case=4)
    assert any("4 × 0.5 = 2；上限1：2 → 1；7 + 1 = 8" in s for s in compliance)


def test_override_checklist_grade_judged_and_rescale() -> None:
    # 综合评分: score 10 − 4/2 = 8, overridden to 7.5
    assert "计算得分8.00，评价人认定为7.50；原因：按评审组意见调整" in steps("效益.综合评分", case=4)
    checklist = steps("产出.制度建设", case=4)
    assert "✓ 制度健全（制度健全（是）：成立） → 得5分" in checklist
    assert "✗ 制度有效执行（制度执行（否）：不成立） → 不得分" in checklist
    assert "较好" not in "".join(steps("效益.结果应用", case=4))
    assert "良：分值的80%，10 × 80% = 8分" in steps("效益.结果应用", case=4)
    judged = steps("效益.社会效益", case=4)
    assert judged[0].startswith("评价人评定：7分，区间“部分达成”[6, 8)分，7在区间内")
    dropped = steps("满意度.服务对象满意度", case=4)
    assert dropped[-2:] == ["开展调查（否）：不成立 → 不适用，不计分，总分按适用分值折算",
                            "不适用，不计分（总分按适用分值折算）"]  # fmt: skip


def test_group_is_the_sum_of_children() -> None:
    lines = steps("履职效能.产出数量")
    # 5 + 5 + 5 + 3.80 (= 1.50 + 2.30) = 18.80
    assert lines[-2] == ("下级指标得分之和：产出数量 = 对口支援援建项目 + 共建产业园区 + 广州博览会 + "
                         "西部地区人才培训 = 5.00 + 5.00 + 5.00 + 3.80 = 18.80")  # fmt: skip


def test_every_step_has_a_source_line_in_the_rules() -> None:
    result = evaluate(*CASES[0][1:])
    e = ex.explain(result, "履职效能.产出数量.西部地区人才培训")
    lines = (ROOT / CASES[0][1]).read_text(encoding="utf-8").splitlines()
    for step in e.steps:
        if step.section == "round":
            continue
        assert step.source is not None and step.source.startswith("rulesets/guangzhou/xiezuo-2022.rules:")
        line = int(step.source.rsplit(":", 1)[1])
        assert lines[line - 1].strip(), step
    rule_line = next(s.source for s in e.steps if s.section == "rule")
    assert rule_line is not None
    assert "score 2 * min(实际培训次数 / 计划培训次数, 1)" in lines[int(rule_line.rsplit(":", 1)[1]) - 1]


def test_json_has_the_same_steps() -> None:
    result = evaluate(*CASES[0][1:])
    e = ex.explain(result, "管理效能.预算执行.预算执行率")
    data = json.loads(e.to_json())
    assert data["schema"] == "perfrules.explain/1"
    assert data["points"] == "9.51" and data["weight"] == "10"
    assert [s["text"] for s in data["steps"]] == [s.text for s in e.steps]
    rounding = next(s for s in data["steps"] if s["section"] == "round")
    assert rounding["values"]["points"] == "9.51"
    assert Decimal(rounding["values"]["exact"]) == result.indicator("管理效能.预算执行.预算执行率").exact


def test_english() -> None:
    lines = steps("预算执行率", case=4, lang="en")
    assert "ratio: 10 × 86.18304% = 8.618304" in lines
    assert "8.618304 → 8.62, rounded half up to 2 decimals" in lines


def test_unknown_path_is_e601_with_close_paths() -> None:
    result = evaluate(*CASES[0][1:])
    with pytest.raises(PerfrulesError) as info:
        ex.explain(result, "管理效能.预算执行.预算执行")
    d = info.value.diagnostics[0]
    assert d.code == "E601"
    assert d.help is not None and "did you mean `管理效能.预算执行.预算执行率`" in d.help


def test_unique_name_is_enough() -> None:
    result = evaluate(*CASES[0][1:])
    assert ex.explain(result, "预算执行率").path == "管理效能.预算执行.预算执行率"


def test_cli_explain(capsys: pytest.CaptureFixture[str]) -> None:
    from perfrules.cli import main

    rules, facts = (str(ROOT / p) for p in CASES[0][1:])
    assert main(["explain", rules, facts, "预算执行率", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["points"] == "9.51"
    assert main(["explain", rules, facts, "没有这个指标"]) == 1
    assert "[E601]" in capsys.readouterr().err


def test_exact_text_cuts_long_quotients_without_rounding() -> None:
    assert wording.exact_text(Decimal("0.8618304"), model.PERCENT) == "86.18304%"
    assert wording.exact_text(Decimal(2) / Decimal(3)) == "0.6666666666…"


def test_english_explanation_has_no_full_width_brackets() -> None:
    src = ('ruleset "t" { total 10 }\nparam target = 90%\ninput x: percent\n'
           "indicator A weight 10 { tiers x { >= target: full; else: 0 } }\n")
    result = perfrules.loads(src, "t.rules").evaluate({"x": "50%"})
    text = ex.text(ex.explain(result, "A", "en"))
    # 50% is not >= target (90%): the else arm, 0 points
    assert "target (90%)" in text and "（" not in text


_SHIPPED = sorted((Path(__file__).resolve().parents[1] / "rulesets").rglob("*.rules"))


@pytest.mark.parametrize("path", _SHIPPED, ids=lambda p: p.name)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_explain_agrees_with_the_recorded_values_for_drawn_facts(path: Path, data: st.DataObject) -> None:
    # explain reads what the evaluator recorded; where it works a value out again (the clamp
    # of the running points, a ratio's product) it asserts that it equals the recorded one
    from perfrules.testing import facts

    ruleset = perfrules.load(path)
    try:
        result = ruleset.evaluate(data.draw(facts(ruleset)))
    except perfrules.EvaluationError:
        return
    for record in result.indicators:
        explained = ex.explain(result, record.path)  # raises AssertionError if a worked value differs
        assert (explained.points, explained.exact) == (record.points, record.exact)
        assert explained.steps, record.path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_explain_agrees_with_the_recorded_values_of_drawn_rule_files(data: st.DataObject) -> None:
    # every rule kind, adjustment, `applies`, `out of` and let (one that may divide by zero): what
    # explain works out again to show a formula is asserted equal to what the evaluator recorded
    from perfrules.testing import facts

    ruleset = perfrules.loads(data.draw(rule_files()), "drawn.rules")
    try:
        result = ruleset.evaluate(data.draw(facts(ruleset)))
    except perfrules.EvaluationError:
        return
    for record in result.indicators:
        explained = ex.explain(result, record.path)  # raises AssertionError if a worked value differs
        assert (explained.points, explained.exact) == (record.points, record.exact)


LET_RULES = """
input a: number
input b: number
let portion: percent = a / b
indicator A weight 10 { score portion * 10 }
indicator B weight 90 { full }
"""


def test_explain_shows_the_let_the_evaluator_recorded_and_checks_what_it_works_out() -> None:
    from .conftest import rules

    ruleset = rules(LET_RULES)
    result = ruleset.evaluate({"a": Decimal(4), "b": Decimal(5)})
    # portion = 4 / 5 = 80%, recorded in the values tuple with the rest
    assert result.let_value(0) == Decimal("0.8")
    assert any(step.section == "lets" and "80%" in step.text for step in ex.explain(result, "A").steps)
    # a recorded let that disagreed with the rule's recorded value (8 points) would be caught:
    # explain reads the let (50%), works the formula out again (5) and asserts it equals 8
    values = list(result._all)
    values[ruleset.compiled.layout.lets[0]] = Decimal("0.5")
    result._values = tuple(values)
    with pytest.raises(AssertionError, match="portion"):
        ex.explain(result, "A")


def test_a_let_that_divided_by_zero_is_recorded_as_such() -> None:
    from .conftest import rules

    ruleset = rules(LET_RULES.replace("score portion * 10", "full"))
    result = ruleset.evaluate({"a": Decimal(4), "b": Decimal(0)})
    # 4 / 0: nothing reads the let, so the result stands; the let itself says what happened
    with pytest.raises(arithmetic.DivisionByZero):
        result.let_value(0)
