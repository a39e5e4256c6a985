"""The compiled evaluator against the reference evaluator (perfrules.backend.reference), indicator by indicator.

Two independent readings of the spec: generated straight-line code (compile.py) and a plain
walk of the model (reference.py). They must agree on every indicator's points and
applicability and on the total, for every shipped ruleset and for facts Hypothesis draws.
"""

from __future__ import annotations

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


def _rulesets() -> list[Any]:
    from .test_rows import ARMS, FORM_EN, FORM_ZH, SHARE, WEIGHTED

    texts = [FORM_ZH, FORM_EN.replace("else rescale", "else share"), ARMS, SHARE, WEIGHTED]
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
