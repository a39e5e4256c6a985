"""perfrules.testing: the facts strategy, the invariants, intentions and their counterexamples."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings

import perfrules
from perfrules.cli import main
from perfrules.testing import Counterexample, check_intentions, check_ruleset, facts, invariant_problems, to_toml
from perfrules.tools.intentions import IntentionError

FIXTURES = Path(__file__).parent / "fixtures" / "cases"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
SEARCH = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck), database=None)

EVERY_TYPE = perfrules.loads(
    """
ruleset "every type" {
  total 100
  precision 2
  rating { >= 90: "优"; >= 60: "中"; else: "差" }
}
input budget: number "预算数"
input spent: number "执行数"
input hours: number in 0..720 "响应时长"
input rate: percent in 0%..100% "满意度"
input change: percent "变动率"
input planned: count
input held: count in 0..50
input on_time: bool = true
input rank: grade(好, 较好, 一般, 差) = 好
input remark: text = ""
let execution: percent = if budget > 0 then spent / budget else 0%
indicator 执行 weight 20 { ratio execution }
indicator 时效 weight 10 { ratio if hours == 0 then 1 else 2 / hours }
indicator 满意 weight 20 { tiers rate { >= 90%: full; >= 80%: 80%; >= 60%: 50%; else: 0 } }
indicator 变动 weight 10 { full; deduct 0.5 per 1% of excess(change, 0%) }
indicator 培训 weight 10 {
  full
  deduct 2 per 1 of shortfall(held, planned) because "少{shortfall(held, planned)}次"
  bonus 3 when on_time
}
indicator 效益 weight 10 { grade rank { 好: full; 较好: 80%; 一般: 60%; 差: 0 } }
indicator 定性 weight 10 {
  judged bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }
}
indicator 打分 weight 10 { judged }
""",
    "every-type.rules",
)


def test_strategy_draws_valid_facts_for_every_type() -> None:
    @FAST
    @given(facts(EVERY_TYPE))
    def check(drawn: dict[str, Any]) -> None:
        assert set(drawn) == {"facts", "judged"}
        EVERY_TYPE.check_facts(drawn)  # raises FactsError if anything is refused
        values = drawn["facts"]
        for name in ("budget", "spent", "hours"):
            assert isinstance(values[name], (Decimal, int)) and not isinstance(values[name], bool)
        for name in ("rate", "change"):
            assert re.fullmatch(r"-?\d+(\.\d{1,4})?%", values[name]), values[name]
        assert isinstance(values["planned"], int) and values["planned"] >= 0
        assert 0 <= values["held"] <= 50
        band = drawn["judged"]["定性"]
        assert set(band) == {"points", "band"}
        assert Decimal(0) <= drawn["judged"]["打分"] <= 10

    check()


def test_strategy_for_the_small_fixture_and_the_shipped_rulesets() -> None:
    paths = [FIXTURES / "good" / "small.rules", *sorted(Path("rulesets").glob("**/*.rules"))]
    for path in paths:
        ruleset = perfrules.load(path)

        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(facts(ruleset))
        def check(drawn: dict[str, Any]) -> None:
            ruleset.check_facts(drawn)  # noqa: B023 - runs before the loop moves on

        check()


def found(condition: Callable[[dict[str, Any]], bool], ruleset: perfrules.Ruleset = EVERY_TYPE) -> dict[str, Any]:
    return find(facts(ruleset), condition, settings=SEARCH)


def pct(raw: str) -> Decimal:
    return Decimal(raw.rstrip("%")) / 100


def test_a_tier_threshold_is_found() -> None:
    # hypothesis `find`: some draw puts the percent input exactly on the 90% tier threshold
    found(lambda d: pct(d["facts"]["rate"]) == Decimal("0.9"))


BOUNDARIES: dict[str, Callable[[dict[str, Any]], bool]] = {
    # tier thresholds on a percent input, exactly, and one step (0.01%) below
    "rate == 90%": lambda d: pct(d["facts"]["rate"]) == Decimal("0.9"),
    "rate == 80%": lambda d: pct(d["facts"]["rate"]) == Decimal("0.8"),
    "rate == 60%": lambda d: pct(d["facts"]["rate"]) == Decimal("0.6"),
    "rate just below a threshold": lambda d: (
        pct(d["facts"]["rate"]) in (Decimal("0.8999"), Decimal("0.7999"), Decimal("0.5999"))
    ),
    # a ratio's full edge reached through a `let`: spent / budget == 100%
    "execution == 100%": lambda d: (
        d["facts"]["budget"] > 0 and Decimal(d["facts"]["spent"]) / d["facts"]["budget"] == 1
    ),
    # the target of `shortfall(held, planned)`, and one short of it
    "held == planned > 0": lambda d: d["facts"]["held"] == d["facts"]["planned"] > 0,
    "held == planned - 1": lambda d: d["facts"]["held"] == d["facts"]["planned"] - 1,
    # the target of `excess(change, 0%)`
    "change == 0%": lambda d: d["facts"]["change"] == "0%",
    # the `hours == 0` guard and both ends of the declared range 0..720
    "hours == 0": lambda d: d["facts"]["hours"] == 0,
    "hours == 720": lambda d: d["facts"]["hours"] == 720,
    # band edges of a judged leaf: the closed lower edge of 达成 is 80% × 10 = 8
    "judged on 8 (达成)": lambda d: d["judged"]["定性"] == {"points": Decimal(8), "band": "达成"},
    "judged just below 8 (部分达成)": lambda d: d["judged"]["定性"] == {"points": Decimal("7.99"), "band": "部分达成"},
    # defaults sometimes omitted, sometimes given
    "on_time omitted": lambda d: "on_time" not in d["facts"],
    "rank given as 差": lambda d: d["facts"].get("rank") == "差",
}


def test_boundaries_are_drawn() -> None:
    hits = dict.fromkeys(BOUNDARIES, 0)

    @settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    @given(facts(EVERY_TYPE))
    def count(drawn: dict[str, Any]) -> None:
        for name, condition in BOUNDARIES.items():
            hits[name] += bool(condition(drawn))

    count()
    missed = [name for name, n in hits.items() if n == 0]
    assert not missed, hits
    # thresholds are not rare events: several tier edges among 500 draws
    assert hits["rate == 90%"] + hits["rate == 80%"] + hits["rate == 60%"] >= 10, hits


def test_fixed_inputs() -> None:
    @FAST
    @given(facts(EVERY_TYPE, fixed={"rate": "85%", "on_time": False}))
    def check(drawn: dict[str, Any]) -> None:
        assert drawn["facts"]["rate"] == "85%" and drawn["facts"]["on_time"] is False

    check()
    with pytest.raises(IntentionError) as info:
        facts(EVERY_TYPE, fixed={"rate": "185%"})
    # the problem itself (this once said "`rate`: None": it showed the problem's help, which has none)
    assert str(info.value) == "`rate`: 185% lies outside the declared range 0%..100%"
    assert info.value.said.zh == "`rate`：185%不在声明的范围0%..100%之内"


def test_to_toml_round_trips_exactly() -> None:
    drawn = {
        "meta": {"entity": "某某局"},
        "facts": {
            "spent": Decimal("7993.215"),
            "planned": 8,
            "rate": "95.13%",
            "on_time": True,
            "rank": "较好",
            "remark": 'say "hi"',
        },
        "judged": {"定性": {"points": Decimal("8.00"), "band": "达成"}, "打分": Decimal("3.5")},
    }
    text = to_toml(drawn)
    assert '"spent" = 7993.215' in text and '"rate" = "95.13%"' in text
    parsed = perfrules.parse_facts(text)
    assert dict(parsed.facts) == drawn["facts"]
    assert dict(parsed.judged) == drawn["judged"]
    assert dict(parsed.meta) == drawn["meta"]
    with pytest.raises(TypeError, match="float"):
        to_toml({"facts": {"x": 0.1}})


def test_invariants_hold_even_when_a_bonus_overshoots_the_weight() -> None:
    # 培训 is 10 + 3 bonus before the clamp: the leaf must still be ≤ 10.
    report = check_ruleset(EVERY_TYPE, max_examples=150)
    assert report.examples >= 150


def eval_json(
    rules: Path, facts_toml: str, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any] | str]:
    path = tmp_path / name
    path.write_text(facts_toml, encoding="utf-8")
    code = main(["eval", str(rules), str(path), "--format", "json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if code == 0 else captured.err


def points_of(result: Any, path: str) -> Decimal:
    return Decimal(next(r["points"] for r in result["indicators"] if r["path"] == path))


def test_wrong_monotonicity_is_caught_and_reproduces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # bad/cost.rules deducts for `shortfall(cost_rate, 100%)` where `excess` was meant
    rules = FIXTURES / "bad" / "cost.rules"
    intention = {"kind": "monotonic", "path": "成本控制", "input": "cost_rate", "direction": "down"}
    with pytest.raises(Counterexample) as info:
        check_intentions(perfrules.load(rules), [intention], max_examples=200)
    error = info.value
    message = str(error)
    assert "intention does not hold: the points of `成本控制` never rise when `cost_rate` rises" in message
    lower_toml, higher_toml = error.toml
    assert lower_toml in message and higher_toml in message
    code, lower = eval_json(rules, lower_toml, tmp_path, "lower.toml", capsys)
    assert code == 0
    code, higher = eval_json(rules, higher_toml, tmp_path, "higher.toml", capsys)
    assert code == 0
    assert pct(error.facts[0]["facts"]["cost_rate"]) < pct(error.facts[1]["facts"]["cost_rate"])
    # the rules contradict the intention: the higher cost rate scores more
    assert points_of(higher, "成本控制") > points_of(lower, "成本控制")


def test_wrong_full_when_is_caught(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = FIXTURES / "good" / "small.rules"
    # 85% satisfaction is the `>= 80%` arm: 20 of 30, so "full when 85%" is wrong
    with pytest.raises(Counterexample) as info:
        check_intentions(
            perfrules.load(rules),
            [{"kind": "full_when", "path": "满意度", "when": {"satisfaction": "85%"}}],
            max_examples=50,
        )
    assert "expected 30.00 points, got 20.00" in str(info.value)
    code, result = eval_json(rules, info.value.toml[0], tmp_path, "c.toml", capsys)
    assert code == 0 and points_of(result, "满意度") == Decimal("20.00")


def test_declared_intentions_of_the_small_fixture_hold() -> None:
    rules = perfrules.load(FIXTURES / "good" / "small.rules")
    reports = check_intentions(
        rules,
        [
            {"kind": "monotonic", "path": "预算执行率", "input": "spent"},
            {"kind": "monotonic", "input": "satisfaction"},  # the total
            {"kind": "monotonic", "path": "结果应用", "input": "results_used"},  # a better grade
            {"kind": "monotonic", "path": "报送", "input": "report_on_time"},  # false → true
            {"kind": "zero_when", "path": "报送", "when": {"report_on_time": False}},
            {"kind": "at_most", "path": "培训", "points": "35", "when": {"trainings_planned": 8, "trainings_held": 7}},
        ],
        max_examples=60,
    )
    assert len(reports) == 6


def test_unguarded_division_is_a_counterexample_when_errors_are_not_allowed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = """ruleset "除法" { total 10 }
input budget: number in 0..1000
input spent: number
indicator 执行 weight 10 { ratio spent / budget }
"""
    rules = tmp_path / "div.rules"
    rules.write_text(text, encoding="utf-8")
    ruleset = perfrules.load(rules)
    assert check_ruleset(ruleset, max_examples=100).errors >= 1  # tolerated by default
    with pytest.raises(Counterexample) as info:
        check_ruleset(ruleset, max_examples=300, allow_errors=False)
    assert "division by zero" in str(info.value)
    # the same counterexample in Chinese, `FILE:LINE:COL: ` first (column 32: `spent / budget` on line 4)
    assert info.value.said.zh.split("\n")[0] == f"计算失败：{rules}:4:32: error: `spent / budget`中除数为零 [E501]"
    assert "反例（存为facts.toml，再运行`perfrules eval" in info.value.said.zh
    code, err = eval_json(rules, info.value.toml[0], tmp_path, "zero.toml", capsys)
    assert code == 1 and "E501" in str(err)


def test_intentions_that_do_not_fit_raise() -> None:
    rules = perfrules.load(FIXTURES / "good" / "small.rules")
    with pytest.raises(IntentionError, match="did you mean `满意度`"):
        check_intentions(rules, [{"kind": "full_when", "path": "满意"}])
    with pytest.raises(IntentionError, match="unknown intention keys: inptu"):
        check_intentions(rules, [{"kind": "monotonic", "inptu": "spent"}])
    with pytest.raises(IntentionError, match="needs `input`"):
        check_intentions(rules, [{"kind": "monotonic"}])


def test_the_api_s_refusals_are_english_and_carry_the_chinese() -> None:
    rules = perfrules.load(FIXTURES / "good" / "small.rules")

    def refusal(call: Callable[[], object]) -> tuple[str, str]:
        with pytest.raises(IntentionError) as info:
            call()
        return str(info.value), info.value.said.zh

    assert refusal(lambda: check_intentions(rules, [{"kind": "full_when", "path": "满意"}])) == (
        "intention `满意` scores full marks: unknown indicator `满意` (did you mean `满意度`?)",
        "意图`满意`得满分：未知的指标`满意`（是不是`满意度`？）")
    # two problems, joined with `; ` in English and `；` in Chinese
    assert refusal(lambda: check_intentions(rules, [{"kind": "at_most", "input": "spent"}])) == (
        "intention the total scores at most 0: `input` and `direction` belong to `monotonic`, not `at_most`; "
        "an `at_most` intention needs `points`",
        "意图总分至多得0分：`input`和`direction`属于`monotonic`，不属于`at_most`；`at_most`意图需要`points`")
    assert refusal(lambda: check_intentions(rules, [{"kind": "monotonic", "inptu": "spent"}])) == (
        "unknown intention keys: inptu; the keys are kind, name, path, input, direction, when, within, points",
        "未知的意图键：inptu；可用的键有：kind、name、path、input、direction、when、within、points")
    assert refusal(lambda: check_intentions(rules, [{"kind": "at_most", "points": 1.5}])) == (
        "`points` must be exact: a string or a Decimal, not a float",
        "`points`必须是精确数：字符串或Decimal，不能是float")
    assert refusal(lambda: check_intentions(rules, [{"kind": "at_most", "points": "many"}])) == (
        "`points` must be a number, not 'many'", "`points`必须是数，不能是'many'")
    assert refusal(lambda: facts(EVERY_TYPE, fixed={"rat": "1%"})) == ("unknown input `rat`", "未知的输入项`rat`")
    assert refusal(lambda: facts(EVERY_TYPE, within={"rate": ["50%", "10%"]})) == (
        "`within`: [50%, 10%] is not a range of valid `rate` values", "`within`：[50%, 10%]不是`rate`有效值的范围")
    assert refusal(lambda: facts(EVERY_TYPE, within={"on_time": [0, 1]})) == (
        "`within`: `on_time` needs [LOW, HIGH] and must be a number, percent or count",
        "`within`：`on_time`需要[LOW, HIGH]，且必须是数、百分比或计数")
    assert refusal(lambda: facts(EVERY_TYPE, within={"x": [1, 2]})) == (
        "`within`: unknown input `x`", "`within`：未知的输入项`x`")


def test_the_python_api_of_the_checks_keeps_its_plain_texts() -> None:
    # callers that made their own Counterexample, or joined invariant_problems, keep working
    from perfrules.tools.properties import said_problems

    error = Counterexample("my own check failed", [{"facts": {}}])
    assert str(error) == "my own check failed" and error.said.in_("zh") == "my own check failed"
    ruleset = perfrules.load(FIXTURES / "good" / "small.rules")
    result = ruleset.evaluate(FIXTURES / "good" / "small.facts.toml")
    assert "\n".join(invariant_problems(ruleset, result)) == ""  # a clean result: nothing broken
    assert said_problems(ruleset, result) == []
