"""The compiled evaluator against the reference evaluator (perfrules.backend.reference), indicator by indicator.

Two independent readings of the spec: generated straight-line code (compile.py) and a plain
walk of the model (reference.py). They must agree on every indicator's points and
applicability and on the total, for every shipped ruleset and for facts Hypothesis draws.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import EvaluationError
from perfrules.backend import reference
from perfrules.testing import facts

ROOT = Path(__file__).resolve().parents[1]
RULESETS = sorted((ROOT / "rulesets").rglob("*.rules"))


def _agree(result: perfrules.Result) -> None:
    expanded = result.ruleset.model  # for rows: the leaves the rows made
    judged = [j.points for j in result.facts.judged]
    scores = reference.evaluate(expanded, result.facts.values, judged)
    for record in result.indicators:
        assert record.points == scores.points[record.path], record.path
        assert record.applicable == scores.applicable[record.path], record.path
    assert result.total == scores.total


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
def test_shipped_facts_agree(path: Path) -> None:
    facts_file = path.with_suffix(".facts.toml")
    if not facts_file.exists():
        pytest.skip(f"{path.name} ships no facts file")
    _agree(perfrules.load(path).evaluate(facts_file))


# `else share` beside `else rescale`, in groups nested under `out of` (spec 6, 11, 12): weight shared away
# goes to the siblings that apply; weight dropped stays dropped, converted at every level
DROPS_BESIDE_SHARES = """ruleset "drops beside shares" {
  total 100
  precision 2
}
input a: bool
input b: bool
input c: bool
input r: percent in 0%..100%
indicator P weight 60 out of 100 {
  indicator G weight 50 {
    indicator X weight 20 { applies when a else share; ratio r }
    indicator Y weight 10 { applies when b else rescale; ratio r }
    indicator Q weight 20 out of 30 {
      indicator Q1 weight 15 { applies when c else rescale; ratio r }
      indicator Q2 weight 15 { applies when a else share; full }
    }
  }
  indicator H weight 50 { applies when c else share; ratio r }
}
indicator Z weight 40 { applies when b or c else rescale; ratio r }
"""


def _rulesets() -> list[Any]:
    from .test_rows import ARMS, FORM_EN, FORM_ZH, SHARE, WEIGHTED

    texts = [FORM_ZH, FORM_EN.replace("else rescale", "else share"), ARMS, SHARE, WEIGHTED, DROPS_BESIDE_SHARES]
    return [perfrules.load(p) for p in RULESETS] + [perfrules.loads(t, f"generated{k}.rules")
                                                    for k, t in enumerate(texts)]


@pytest.mark.parametrize("ruleset", _rulesets(), ids=lambda r: r.display_name)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_drawn_facts_agree(ruleset: perfrules.Ruleset, data: st.DataObject) -> None:
    drawn = data.draw(facts(ruleset))
    try:
        result = ruleset.evaluate(drawn)
    except EvaluationError:
        return  # a division the rules do not guard: both evaluators raise it (see below)
    _agree(result)


def test_achievement_of_numbers_and_percents_outside_rows() -> None:
    # Spec §10 does not limit `achievement` to measures: a version 1 file may take it of number
    # and percent inputs. It once passed `check` and crashed evaluation with AttributeError.
    rs = perfrules.loads("""
ruleset "x" { total 30 }
input done: number
input target: number
input late: number
input allowed: number
input rate: percent
input goal: percent
indicator 数量 weight 10 { ratio achievement(done, target) }
indicator 超时 weight 10 { ratio achievement(late, allowed, 反向) }
indicator 比率 weight 10 { ratio achievement(rate, goal) }
""")
    result = rs.evaluate({"done": 5, "target": 6, "late": 12, "allowed": 10, "rate": "90%", "goal": "95%"})
    # 5 ÷ 6 = 83.333…% of 10 = 8.33; 反向: 10 ÷ 12 = 83.333…% of 10 = 8.33; 90% ÷ 95% = 94.736…% of 10 = 9.47
    assert [r.points for r in result.indicators] == [Decimal("8.33"), Decimal("8.33"), Decimal("9.47")]
    assert result.total == Decimal("26.13")
    _agree(result)


def test_achievement_of_a_percent_against_a_number_is_an_evaluation_error_at_its_call() -> None:
    # spec §10: a percent against a plain number is an evaluation error naming the two values
    rs = perfrules.loads('ruleset "x" { total 10 }\ninput a: percent\ninput b: number\n'
                         "indicator A weight 10 { ratio achievement(a, b) }\n")
    with pytest.raises(EvaluationError) as caught:
        rs.evaluate({"a": "90%", "b": 6})
    [d] = caught.value.diagnostics
    assert d.code == "E505" and d.span is not None and d.span.text() == "achievement(a, b)"
    assert "`90%` is a percentage and `6` is not" in d.message
