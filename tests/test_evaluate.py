"""Evaluation semantics (spec sections 3 and 6), each expectation worked out by hand."""

from __future__ import annotations

import decimal
import threading
from decimal import Decimal
from decimal import Decimal as D

import pytest

import perfrules

from .conftest import ROOT, codes, rules, score


def test_ratio_is_clamped_to_the_weight_and_rounded_half_up() -> None:
    text = "input a: number\ninput b: number\nindicator A weight 10 { ratio a / b }\nindicator B weight 90 { full }"
    # 215457.6 / 250000 = 0.8618304 → × 10 = 8.618304 → 8.62
    r = score(text, a=D("215457.6"), b=250000)
    assert r.points("A") == D("8.62")
    assert r.indicator("A").exact == D("8.618304")
    assert r.total == D("98.62")
    # 120 / 100 = 1.2 → 12 → clamped to 10 (满分为止)
    r = score(text, a=120, b=100)
    assert r.points("A") == D("10.00") and r.indicator("A").clamped


def test_rounding_is_half_up_not_bankers() -> None:
    # score 2.345 → 2.35 half-up (banker's rounding would give 2.34); 0.125 → 0.13
    text = "input x: number\ninput y: number\nindicator A weight 50 { score x }\nindicator B weight 50 { score y }"
    r = score(text, x=D("2.345"), y=D("0.125"))
    assert (r.points("A"), r.points("B")) == (D("2.35"), D("0.13"))
    assert r.total == D("2.48")


def test_parent_is_exact_sum_of_rounded_children() -> None:
    text = """
input x: number
indicator G weight 100 {
  indicator A weight 50 { score x }
  indicator B weight 50 { score x }
}
"""
    # each child 1.005 → 1.01 (half-up); parent = 1.01 + 1.01 = 2.02, not round(2.010) = 2.01
    r = score(text, x=D("1.005"))
    assert r.points("G") == D("2.02") and r.total == D("2.02")


def test_precision_header() -> None:
    text = 'ruleset "p" { total 10; precision 1 }\ninput x: number\nindicator A weight 10 { score x }'
    # 3.45 → 3.5 at one decimal
    r = perfrules.loads(text).evaluate({"x": D("3.45")})
    assert r.total == D("3.5") and r.to_dict()["total"] == "3.5"


def test_per_deduction_proportional_whole_and_started() -> None:
    base = "input rate: percent\nindicator A weight 100 {{ full\n deduct 0.1 per 1% {mode} of shortfall(rate, 100%) }}"
    # shortfall(95.13%, 100%) = 4.87% → 4.87 steps of 1%
    # proportional: 0.487 → 100 − 0.487 = 99.513 → 99.51
    assert score(base.format(mode=""), rate="95.13%").total == D("99.51")
    # whole (去尾): 4 steps → 0.4 → 99.60
    assert score(base.format(mode="whole"), rate="95.13%").total == D("99.60")
    # started (进一): 5 steps → 0.5 → 99.50
    assert score(base.format(mode="started"), rate="95.13%").total == D("99.50")


def test_deduction_cap_and_clamp_at_zero() -> None:
    text = """
input n: count
indicator A weight 5 {
  full
  deduct 1 per 1 of n cap 3
  deduct 0.5 per 1 of n
}
indicator B weight 95 { full }
"""
    # n = 4: first deduct 4 capped at 3; second 2 → 5 − 3 − 2 = 0 exactly, not clamped
    r = score(text, n=4)
    assert r.points("A") == D("0.00") and not r.indicator("A").clamped
    # n = 6: 3 + 3 = 6 > 5 → −1 → clamped to 0 (扣完为止)
    r = score(text, n=6)
    assert r.points("A") == D("0.00") and r.indicator("A").clamped
    assert [a.amount for a in r.indicator("A").adjustments] == [D(3), D(3)]


def test_bonus_is_clamped_to_the_weight() -> None:
    text = "input x: number\nindicator A weight 10 { score x\n bonus 3 when x > 8 }\nindicator B weight 90 { full }"
    # 9 + 3 = 12 → 10 (满分为止)
    r = score(text, x=9)
    assert r.points("A") == D("10.00") and r.indicator("A").clamped


def test_tiers_take_the_first_arm_that_holds() -> None:
    text = """
input rate: percent
indicator A weight 5 {
  tiers rate { >= 90%: full; >= 80%: 4; >= 70%: 3; >= 60%: 2; else: 0 }
}
indicator B weight 3 {
  tiers rate { == 0%: full; <= 10%: 2; <= 20%: 1; <= 30%: 0.5; else: 0 }
}
indicator C weight 92 { full }
"""
    # 重点支出安排率 90% → 5 (boundary is inclusive); 预算调整率 90% → else 0
    r = score(text, rate="90%")
    assert (r.points("A"), r.points("B")) == (D("5.00"), D("0.00"))
    # 79.99% → 70%(含)-80% → 3; 79.99% > 30% → 0
    r = score(text, rate="79.99%")
    assert r.points("A") == D("3.00")
    # 0% → A else 0; B == 0% → 3
    r = score(text, rate="0%")
    assert (r.points("A"), r.points("B")) == (D("0.00"), D("3.00"))
    # 10% → B <= 10% → 2
    assert score(text, rate="10%").points("B") == D("2.00")


def test_grade_outcomes() -> None:
    text = """
input g: grade(优, 良, 中, 差)
indicator A weight 20 { grade g { 优: full; 良: 80%; 中: 60%; 差: 0 } }
indicator B weight 80 { grade g { 优: full; else: 50 } }
"""
    # 良: 80% × 20 = 16; B else 50 → 66
    r = score(text, g="良")
    assert (r.points("A"), r.points("B"), r.total) == (D("16.00"), D("50.00"), D("66.00"))


def test_checklist_sums_items_that_hold() -> None:
    text = """
input a: bool
input b: bool
input c: bool
indicator 管理制度健全性 weight 3 {
  checklist {
    item "已制定管理制度" 1 when a
    item "制度合法合规完整" 1 when b
    item "制度有效执行" 1 when c
  }
}
indicator B weight 97 { full }
"""
    # a and c hold → 2 of 3; the reason names the missing item
    r = score(text, a=True, b=False, c=True)
    assert r.points("管理制度健全性") == D("2.00")
    assert r.lost[0].reasons == ("未满足：制度合法合规完整",)


def test_judged_with_bands() -> None:
    text = """
indicator 社会效益 weight 10 {
  judged bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }
}
indicator B weight 90 { full }
"""
    rs = rules(text)
    # 7.5 points in 部分达成 [6, 8) → 7.50
    r = rs.evaluate({"facts": {}, "judged": {"社会效益": {"points": D("7.5"), "band": "部分达成"}}})
    assert r.points("社会效益") == D("7.50") and r.total == D("97.50")
    # 8 points is not in [6, 8): a facts error, not a result
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"facts": {}, "judged": {"社会效益": {"points": 8, "band": "部分达成"}}})
    assert [d.code for d in info.value.diagnostics] == ["F219"]
    # the band is required
    with pytest.raises(perfrules.FactsError):
        rs.evaluate({"facts": {}, "judged": {"社会效益": 9}})


def test_override_replaces_points_and_keeps_both() -> None:
    text = "input x: number\nindicator A weight 10 { score x }\nindicator B weight 90 { full }"
    facts = {"facts": {"x": 10}, "override": {"A": {"points": D("8.125"), "because": "酌情扣分"}}}
    r = rules(text).evaluate(facts)
    # 8.125 → 8.13 (rounded like any leaf); total 98.13
    rec = r.indicator("A")
    assert rec.points == D("8.13") and rec.computed == D("10.00")
    assert r.total == D("98.13")
    assert r.lost[0].reasons == ("酌情扣分",)
    with pytest.raises(perfrules.FactsError):
        rules(text).evaluate({"facts": {"x": 1}, "override": {"A": {"points": 1}}})


def test_applies_else_full() -> None:
    text = """
input has_project: bool
input ok: bool
indicator 绩效目标申报 weight 6 {
  applies when has_project else full
  score if ok then 6 else 3
}
indicator B weight 94 { full }
"""
    # no project → not applicable, full marks (如当年没有…得6分)
    r = score(text, has_project=False, ok=False)
    assert r.points("绩效目标申报") == D("6.00") and not r.indicator("绩效目标申报").applicable
    assert r.lost == []
    # project, not ok → 3
    assert score(text, has_project=True, ok=False).total == D("97.00")


def test_applies_else_rescale() -> None:
    text = """
input applicable: bool
input x: number
indicator A weight 20 {
  applies when applicable else rescale
  score x
}
indicator B weight 80 {
  indicator B1 weight 40 { score x }
  indicator B2 weight 40 { full }
}
"""
    # A dropped: raw = B1 30 + B2 40 = 70; total = 70 × 100 / (100 − 20) = 87.5
    r = score(text, applicable=False, x=30)
    assert r.raw_total == D("70.00") and r.total == D("87.50") and r.rescaled
    assert r.lost[0].path == "B.B1"
    # applicable: 20 + 30 + 40 = 90
    assert score(text, applicable=True, x=30).total == D("90.00")


def test_nothing_applies_when_the_only_indicator_is_shared_away() -> None:
    # `else share` at the top level has no sibling to give its weight to: it is rescaled (spec 12),
    # and when that drops all 100 points there is nothing to score: E502, not a crash
    text = """
input applicable: bool
indicator A weight 100 {
  applies when applicable else share
  full
}
"""
    with pytest.raises(perfrules.EvaluationError) as info:
        score(text, applicable=False)
    assert info.value.diagnostics[0].code == "E502"
    assert score(text, applicable=True).total == D("100.00")


def test_rescale_rounds_the_total() -> None:
    text = """
input a: bool
indicator A weight 10 { applies when a else rescale; full }
indicator B weight 20 { score 10 }
indicator C weight 70 { full }
"""
    # 80 × 100 / 90 = 88.888… → 88.89
    assert score(text, a=False).total == D("88.89")


def test_top_level_adjustments_and_clamp() -> None:
    text = """
input late: bool
input extra: number
indicator A weight 100 { score 99 }
deduct 1.234 when late because "逾期报送"
bonus extra cap 5
"""
    # 99 − 1.234 = 97.766 → 97.77
    assert score(text, late=True, extra=0).total == D("97.77")
    # 99 + 5 (capped) = 104 → clamped to 100
    assert score(text, late=False, extra=8).total == D("100.00")


def test_veto_sets_zero_and_last_rating() -> None:
    text = """
ruleset "v" { total 100; rating { >= 90: "优"; >= 60: "中"; else: "差" } }
input fraud: bool
indicator A weight 100 { full }
veto when fraud because "存在重大违规"
"""
    r = perfrules.loads(text).evaluate({"fraud": True})
    assert r.total == D("0.00") and r.rating == "差"
    assert r.veto is not None and r.veto.because == "存在重大违规"
    assert r.points("A") == D("100.00")  # kept for the record
    assert r.to_dict()["veto"] == {"because": "存在重大违规", "source": "<rules>:5"}
    r = perfrules.loads(text).evaluate({"fraud": False})
    assert r.total == D("100.00") and r.rating == "优" and r.veto is None


def test_rating_thresholds_may_be_params() -> None:
    text = """
ruleset "r" { total 100; rating { >= 优秀线: "优"; else: "差" } }
param 优秀线 = 85
input x: number
indicator A weight 100 { score x }
"""
    # 85 ≥ 85 → 优 (lower-inclusive); 84.99 → 差
    assert perfrules.loads(text).evaluate({"x": 85}).rating == "优"
    assert perfrules.loads(text).evaluate({"x": D("84.99")}).rating == "差"


def test_division_by_zero_names_the_expression_and_line() -> None:
    text = "input a: number\ninput b: number\nlet r = a / b\nindicator A weight 100 { ratio r }"
    with pytest.raises(perfrules.EvaluationError) as info:
        score(text, a=1, b=0)
    [d] = info.value.diagnostics
    assert d.code == "E501" and d.location() == "t.rules:6:9"
    assert "`a / b`" in d.message


def test_guarded_division_is_fine() -> None:
    text = """
input a: number
input b: number
let r = a / b
indicator A weight 50 { ratio if b > 0 then a / b else 1 }
indicator B weight 50 { applies when b > 0 else full; ratio r }
"""
    # b = 0: A's `if` takes the else branch (1 → 50); B does not apply → full 50; r is never read
    assert score(text, a=1, b=0).total == D("100.00")


def test_counts_divide_exactly() -> None:
    text = "input held: count\ninput planned: count\nindicator A weight 100 { ratio held / planned }"
    # 2 / 3 = 0.666… → 66.666… → 66.67 (integer counts must not truncate or become float)
    assert score(text, held=2, planned=3).total == D("66.67")


def test_lost_is_largest_first_with_reasons() -> None:
    text = """
input x: number
indicator A weight 10 { score x }
indicator B weight 10 { score x * 0.5; because "B低" }
indicator C weight 80 { full }
"""
    # A: 6 (lost 4); B: 3 (lost 7) → B first
    r = score(text, x=6)
    assert [(loss.path, loss.points) for loss in r.lost] == [("B", D(7)), ("A", D(4))]
    assert r.lost[0].reasons == ("B低",)
    assert r.lost[1].reasons == ("x为6，得6分",) or r.lost[1].reasons == ("x = 6: 6 points",)


def test_generated_ratio_reason_shows_the_value_as_percent() -> None:
    text = ("input 执行数: number\ninput 预算数: number\nlet 执行率 = 执行数 / 预算数\n"
            "指标 预算执行率 分值 100 { 按比例 执行率 }")
    r = score(text, 执行数=D("8448.73"), 预算数=D("8881.35"))
    # 0.951288… → 95.13%; 95.1288… → 95.13 points
    assert r.lost[0].reasons == ("执行率95.13%，按比例得95.13分",)


def test_a_ratio_of_a_param_names_the_param() -> None:
    # 系数 = 60% of 100 points → 60 points, 40 lost; the reason named the value twice (「60%为60%」 /
    # "60% 60%"): a param is named, as a let or an input is
    text = "param 系数 = 60%\ninput x: number\n指标 甲 分值 100 { 按比例 系数 }"  # a Chinese name: Chinese reasons
    r = score(text, x=D(1))
    assert r.lost[0].reasons == ("系数60%，按比例得60分",)


def test_interpolation_prints_by_type() -> None:
    text = """
input p: percent
input n: count
input x: number
input b: bool
input g: grade(优, 良)
indicator A weight 100 { full; deduct 1 because "{p}|{n}|{x}|{b}|{g}|{x / 3}" }
"""
    r = score(text, p="103.4%", n=12, x=D("2.5"), b=True, g="良")
    # percent 1.034 → 103.4%; count 12; number 2.5 (precision 2, zeros dropped); bool in an
    # English-keyword file → true; x / 3 = 0.8333… → 0.83
    assert r.lost[0].reasons == ("103.4%|12|2.5|true|良|0.83",)


def test_bools_print_in_chinese_in_a_chinese_keyword_file() -> None:
    text = ('规则集 "z" { 总分 100 }\n输入 按时: 是否\n'
            '指标 报送 分值 100 { 满分; 扣 10 当 非 按时 原因 "按时报送：{按时}" }')
    r = perfrules.loads(text).evaluate({"按时": False})
    assert r.lost[0].reasons == ("按时报送：否",)


def test_grade_comparison_with_labels() -> None:
    text = """
input g: grade(优, 良, 中, 差)
indicator A weight 100 { full; deduct 10 when g == 差; deduct 5 when not (g >= 良) }
"""
    # 差: 10 + 5 → 85; 中: not (中 at least 良) → 5 → 95; 良 → 100
    assert [score(text, g=g).total for g in ("差", "中", "良")] == [D("85.00"), D("95.00"), D("100.00")]


def test_evaluation_leaves_the_callers_decimal_context_alone() -> None:
    rs = rules("input a: number\ninput b: number\ninput p: percent\n"
               "indicator A weight 50 { ratio a / b }\nindicator B weight 50 { ratio p }")
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_DOWN
        ctx.clear_flags()
        before = (ctx.prec, ctx.rounding, dict(ctx.traps), dict(ctx.flags))
        result = rs.evaluate({"a": 2, "b": 3, "p": "86.18304%"})
        # 2 / 3 × 50 = 33.333… → 33.33 and 86.18304% × 50 = 43.09152 → 43.09, even though the
        # caller's context has 3 digits and rounds down; total 76.42
        assert result.total == D("76.42")
        # reasons print 86.18304% as 86.18% (two decimals), not 86.2% (three digits)
        assert result.indicator("B").reasons == ("p 86.18%: 43.09 points in proportion",)
        result.to_dict()
        assert (ctx.prec, ctx.rounding, dict(ctx.traps), dict(ctx.flags)) == before


def test_threads_get_identical_results() -> None:
    rs = rules("input a: number\ninput b: number\nindicator A weight 100 { ratio a / b }")
    facts = [{"a": k, "b": 7} for k in range(1, 8)]
    expected = [rs.evaluate(f).total for f in facts]
    out: list[list[D]] = []

    def work() -> None:
        out.append([rs.evaluate(f).total for f in facts for _ in range(50)][::50])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 1/7 × 100 = 14.2857… → 14.29, …, 7/7 → 100.00
    assert expected[0] == D("14.29") and expected[-1] == D("100.00")
    assert out == [expected] * 8


def test_result_json_shape() -> None:
    text = 'ruleset "j" { version "v1"; total 100 }\ninput a: number\nindicator A "标签" weight 100 {\n ratio a\n}'
    r = perfrules.loads(text, "j.rules").evaluate({"a": D("0.5")})
    d = r.to_dict()
    assert d["schema"] == "perfrules.result/1"
    assert d["ruleset"]["name"] == "j" and d["ruleset"]["version"] == "v1" and len(d["ruleset"]["sha256"]) == 64
    assert d["engine"].startswith("perfrules ")
    assert (d["total"], d["max"], d["rating"], d["veto"]) == ("50.00", "100", None, None)
    [ind] = d["indicators"]
    assert ind == {
        "path": "A", "label": "标签", "weight": "100", "points": "50.00", "exact": "50", "rule": "ratio",
        "source": "j.rules:4", "inputs": {"a": "0.5"}, "adjustments": [], "override": None,
        "applicable": True, "clamped": False, "reasons": ["a 50%: 50 points in proportion"],
    }
    # no Chinese keywords or names in this file, so the generated reason is English
    assert d["lost"] == [{"path": "A", "points": "50.00", "reasons": ["a 50%: 50 points in proportion"]}]


def test_no_partial_result_on_bad_facts() -> None:
    assert codes("input a: number\nindicator A weight 100 { score a }", {"a": "x"}) == ["F204"]


def test_negative_zero_never_shows() -> None:
    # 0 / −1000 = −0 in decimal arithmetic; × 10 = −0; a score of −0 must print as 0.00, unclamped
    text = "input budget: number\ninput spent: number\nindicator A weight 100 { ratio spent / budget }"
    r = score(text, budget=-1000, spent=0)
    assert r.to_dict()["total"] == "0.00" and r.to_dict()["indicators"][0]["points"] == "0.00"
    assert not r.points("A").is_signed() and not r.indicator("A").clamped
    # a fact of −0 is read as 0
    assert not score("input x: number\nindicator A weight 100 { score x }", x=D("-0")).total.is_signed()


def test_json_records_what_the_evaluator_judged() -> None:
    rs = rules('indicator 效益 weight 100 { judged bands { "好": [80%, 100%]; "差": [0, 80%) } }')
    row = rs.evaluate({"judged": {"效益": {"points": D("85.5"), "band": "好", "because": "成效明显"}}}).to_dict()
    # 85.5 lies in 好 = [80, 100] points; the row keeps the band and the evaluator's reason
    assert row["indicators"][0]["judged"] == {"points": "85.50", "band": "好", "because": "成效明显"}
    assert row["indicators"][0]["points"] == "85.50"


def test_override_on_an_indicator_that_does_not_apply_is_refused() -> None:
    text = """
input has: bool
indicator G weight 40 { applies when has else rescale; indicator G1 weight 40 { full } }
indicator H weight 60 { indicator H1 weight 30 { applies when has else full; full }; indicator H2 weight 30 { full } }
"""
    rs = rules(text)
    facts = {"facts": {"has": False}, "override": {"H.H1": {"points": 12, "because": "人工"}}}
    with pytest.raises(perfrules.EvaluationError) as info:
        rs.evaluate(facts)
    assert [d.code for d in info.value.diagnostics] == ["E504"]
    # where it applies, the override is used: H1 12 + H2 30 + G1 40 = 82
    facts["facts"] = {"has": True}
    assert rs.evaluate(facts).total == D("82.00")


def test_lost_points_leave_out_dropped_weight() -> None:
    text = """
input has: bool
input x: number
indicator G weight 40 {
  indicator A weight 20 { score x }
  indicator B weight 20 { applies when has else rescale; full }
}
indicator H weight 60 { full }
"""
    r = score(text, has=False, x=18)
    # A loses 2; B's 20 are dropped, not lost: G lost 2, though it has 18 of 40
    assert r.lost_points("G") == D(2) and r.lost_points("G.A") == D(2) and r.lost_points("G.B") == 0


def test_a_let_may_be_declared_count_over_count_arithmetic() -> None:
    text = ('input a: count\ninput b: count\nlet c: count = a + b\n'
            'indicator X weight 100 { full; deduct 1 when c > 3 because "共{c}次" }')
    # 2 + 3 = 5 > 3 → deduct 1 → 99; the reason prints the count as a whole number
    r = score(text, a=2, b=3)
    assert r.total == D("99.00") and r.lost[0].reasons == ("共5次",)


def test_loading_does_not_touch_the_garbage_collector_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    switched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: switched.append("disable"))
    monkeypatch.setattr(gc, "enable", lambda: switched.append("enable"))
    text = 'ruleset "g" { total 10 }\ninput x: number\nindicator A weight 10 { score x }\n'
    perfrules.loads(text)
    perfrules.load(ROOT / "rulesets/mof/it-project.rules")
    assert switched == []  # a library leaves its host's process-wide settings alone
    perfrules.loads(text, pause_gc=True)
    assert switched == ["disable", "enable"]  # opted in: paused for the load, then restored


def test_loading_with_pause_gc_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    text = 'ruleset "g" { total 10 }\ninput x: number\nindicator A weight 10 { score x }\n'
    assert gc.isenabled()
    perfrules.loads(text, pause_gc=True)
    assert gc.isenabled()
    with pytest.raises(perfrules.RulesError):
        perfrules.loads("ruleset {", pause_gc=True)  # a failed load switches it back on too
    assert gc.isenabled()
    gc.disable()
    try:
        perfrules.loads(text, pause_gc=True)
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()
    # loads in several threads share one pause: the last to end switches the collector back on
    from perfrules.engine import _collector_paused

    first, second = _collector_paused(), _collector_paused()
    first.__enter__()
    second.__enter__()  # a second thread starts loading while the first loads ...
    first.__exit__(None, None, None)  # ... and the first ends before it
    assert not gc.isenabled()  # still paused: the second is loading
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_results_and_rulesets_are_freed_when_dropped_without_the_cyclic_gc() -> None:
    """No reference cycles: a batch that reads reasons, or a service that reloads its rules,
    must not wait for the cyclic GC to free what it dropped."""
    import gc

    from perfrules.engine import Ruleset
    from perfrules.results.result import Result

    facts = ROOT / "rulesets/guangzhou/xiezuo-2022.facts.toml"
    gc.collect()
    gc.disable()
    try:
        rs = perfrules.load(ROOT / "rulesets/guangzhou/xiezuo-2022.rules")
        result = rs.evaluate(facts)
        assert result.lost and result.to_dict()["lost"]  # reasons rendered, values printed
        small = perfrules.loads('ruleset "r" { total 10 }\ninput done: count\ninput plan: count\n'
                                'let rate = done / plan\nindicator A weight 10 { ratio rate because "完成率{rate}" }\n')
        plain = small.evaluate({"done": 3, "plan": 4})  # the fast entry: audit values recomputed on reading
        # 3 / 4 = 75% of 10 = 7.5 points; the reason prints the let
        assert plain.to_dict()["lost"] == [{"path": "A", "points": "2.50", "reasons": ["完成率0.75"]}]
        del result, plain, rs, small
        gc.set_debug(gc.DEBUG_SAVEALL)  # keep what the collector finds, to look at it
        gc.collect()
        cycles = [type(o).__name__ for o in gc.garbage if isinstance(o, (Result, Ruleset))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert cycles == []


def test_score_of_a_let_that_divides_by_zero_is_e501_not_a_crash() -> None:
    # `score q` read the let's poison value directly and crashed with a TypeError
    rs = perfrules.loads('ruleset "x" { total 10 }\ninput a: number\ninput b: number\nlet q = a / b\n'
                         "indicator i weight 10 { score q }\n")
    with pytest.raises(perfrules.EvaluationError) as caught:
        rs.evaluate({"a": 1, "b": 0})
    assert caught.value.diagnostics[0].code == "E501"
    # b = 4: 1 / 4 = 0.25 points
    assert rs.evaluate({"a": 1, "b": 4}).total == Decimal("0.25")


def test_a_division_inside_achievement_is_written_and_placed_once() -> None:
    # The evaluator wrote achievement()'s arguments twice (a plain copy it then dropped), so the
    # division in `done / days` was registered at two sites; the one error still names its place.
    rs = perfrules.loads('ruleset "x" { total 10 }\ninput done: number\ninput days: number\ninput target: number\n'
                         "indicator X weight 10 { ratio achievement(done / days, target) }\n")
    assert len(rs.compiled.layout.divisions) == 1
    # 30 / 3 = 10 done a day against a target of 20 (正向): achievement 50% → 50% of 10 = 5.00 points
    assert rs.evaluate({"done": 30, "days": 3, "target": 20}).total == Decimal("5.00")
    with pytest.raises(perfrules.EvaluationError) as caught:
        rs.evaluate({"done": 30, "days": 0, "target": 20})
    error = caught.value.diagnostics[0]
    assert error.code == "E501"
    assert ":5:43:" in str(caught.value)  # line 5, the `done` of `done / days`


def test_a_tier_threshold_written_with_a_full_width_percent_reads_as_its_value_in_the_reason() -> None:
    # `>= 60％` (an input method's ％) is 60%: 60% scores the 6-point tier. The reason said
    # 「率为60%（≥60％档）」, the value and its tier in two spellings of one sign.
    rs = perfrules.loads('规则集 "t" { 总分 10 }\n输入 率: 百分比\n指标 A 分值 10 {\n'
                         "  分档 率 { >= 90％: 10; >= 60％: 6; 否则: 0 }\n}\n")
    result = rs.evaluate({"率": "60%"})
    assert result.total == Decimal("6.00")
    assert result.lost[0].reasons == ("率为60%（≥60%档），得6分",)
