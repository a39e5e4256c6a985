"""The caller's decimal context is never read (docs/limits.md): loading, evaluating,
the audit trail, the renderers and perfrules.testing give the same digits under a
hostile context as under Python's default one.

The hostile context keeps 3 significant digits, rounds toward -infinity, has a tiny
exponent range and traps every signal, FloatOperation included: any Decimal arithmetic
done in it either raises or gives different digits.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import perfrules
from perfrules.diagnostics import PerfrulesError
from perfrules.testing import check_intentions, check_ruleset
from perfrules.testing import facts as facts_strategy
from perfrules.text import explain, render, report, scoretable
from perfrules.tools.cases import load_cases

from .conftest import ROOT, rules
from .test_shipped_rulesets import INTENTIONS

RULESETS = ROOT / "rulesets"
RULE_FILES = sorted(RULESETS.glob("**/*.rules"))


def hostile() -> decimal.Context:
    return decimal.Context(
        prec=3,
        rounding=decimal.ROUND_FLOOR,
        Emax=9,
        Emin=-9,
        capitals=0,
        clamp=1,
        traps=[decimal.Inexact, decimal.Rounded, decimal.Subnormal, decimal.Underflow, decimal.Overflow,
               decimal.Clamped, decimal.InvalidOperation, decimal.DivisionByZero, decimal.FloatOperation],
    )


@contextmanager
def caller_context(ctx: decimal.Context | None) -> Iterator[None]:
    """Run with `ctx` as the thread's context (None: Python's default), and check it is left as found."""
    with decimal.localcontext(ctx if ctx is not None else decimal.Context()) as current:
        current.clear_flags()
        before = (current.prec, current.rounding, current.Emax, current.Emin, current.capitals,
                  dict(current.traps), dict(current.flags))
        yield
        assert decimal.getcontext() is current
        after = (current.prec, current.rounding, current.Emax, current.Emin, current.capitals,
                 dict(current.traps), dict(current.flags))
        assert after == before, "the caller's context was changed or its flags were raised"


def test_a_param_is_computed_in_the_engines_context() -> None:
    text = "input x: number\nparam k = 2/3\nindicator A weight 100 { score x * k * 100 }"
    # k = 2/3 = 0.6666… (40 digits in the engine's context); x = 1: 1 × 0.666… × 100 = 66.666… → 66.67.
    # Computed in a 3-digit caller context k would be 0.667 and the score 66.70.
    with caller_context(hostile()):
        assert rules(text).evaluate({"x": 1}).total == D("66.67")
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        assert rules(text).evaluate({"x": 1}).total == D("66.67")


def test_constants_are_computed_in_the_engines_context() -> None:
    text = (
        'ruleset "t" {\n  total 100\n  rating { >= good: "优"; else: "差" }\n}\n'
        "input x: number\nparam good = 200/3\n"
        "indicator A weight 100 { tiers x { >= -66.666: full; else: 0 } }"
    )
    # The tier threshold -66.666 is a literal: x = -66.68 is below it and scores 0, x = -66.66
    # scores 100. In a 3-digit caller context rounding toward -inf it would be -66.7 and
    # -66.68 would score 100. The rating threshold `good` = 200/3 = 66.666…: 100 is 优, 0 is 差.
    for ctx in (hostile(), decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR)):
        with caller_context(ctx):
            ruleset = rules(text)
            low, high = ruleset.evaluate({"x": D("-66.68")}), ruleset.evaluate({"x": D("-66.66")})
            assert (low.total, low.rating, high.total, high.rating) == (D("0.00"), "差", D("100.00"), "优")
            assert ruleset.model.params[0].value == decimal.Context(prec=40).divide(200, 3)


def test_the_evaluator_with_overrides_is_made_in_the_engines_context() -> None:
    # The evaluator that applies [override] is generated on the first facts that have one. Rows
    # whose 分值 are written 10.00 and 40.00 make a block weighing 50.00: four digits, which a
    # 3-digit caller context cannot hold (Rounded, trapped). Made in the engine's context it
    # scores A 10 × 100% = 10.00 overridden to 7, B 40 × 90/100 = 36.00: total 43.00 of 50.
    text = (
        'ruleset "t" {\n  total 50\n}\n'
        'input 表: rows {\n  name: text\n  target: measure\n  actual: measure\n  w: number\n}\n'
        "indicator G {\n  each 表 {\n    key name\n    weight w\n    ratio achievement(actual, target)\n  }\n}\n"
    )
    facts = {"facts": {"表": [{"name": "A", "target": "≥100", "actual": "100", "w": D("10.00")},
                              {"name": "B", "target": "≥100", "actual": "90", "w": D("40.00")}]},
             "override": {"G.A": {"points": 7, "because": "评价人调整"}}}
    with caller_context(hostile()):
        result = rules(text).evaluate(facts)
        assert (result.total, result.breakdown["G.B"]) == (D("43.00"), D("36.00"))


def _facts_of(path: Path) -> list[tuple[str, Any]]:
    """(name, facts) of a rule file's facts file and every case in its cases file."""
    out: list[tuple[str, Any]] = []
    facts = path.with_suffix(".facts.toml")
    if facts.exists():
        out.append((facts.name, facts))
    cases = path.with_suffix(".cases.toml")
    if cases.exists():
        out.extend((f"case {c.name}", c.facts) for c in load_cases(cases).cases)
    return out


def _everything(path: Path) -> dict[str, Any]:
    """Load `path` and evaluate all its facts; every number, reason and rendering, as text."""
    ruleset = perfrules.load(path)
    out: dict[str, Any] = {"code": ruleset.code}
    for name, facts in _facts_of(path):
        try:
            result = ruleset.evaluate(facts)
        except PerfrulesError as exc:
            out[name] = ("error", render.diagnostics(exc.diagnostics))
            continue
        records = [(r.path, str(r.points), str(r.exact), str(r.lost), r.reasons, r.applicable, r.clamped)
                   for r in result.indicators]
        out[name] = {
            "total": str(result.total),
            "raw_total": str(result.raw_total),
            "rating": result.rating,
            "breakdown": {k: str(v) for k, v in result.breakdown.items()},
            "records": records,
            "lost": [(loss.path, str(loss.points), loss.reasons) for loss in result.lost],
            "lost_points": {r.path: str(result.lost_points(r.path)) for r in result.indicators},
            "json": result.to_json(),
            "table": render.table(result),
            "table_en": render.table(result, "en"),
            "markdown": report.markdown(result),
            "html": report.html(result, "en"),
            "problems": scoretable.problems(result),
            "explain": [_explained(result, r.path) for r in result.indicators],
        }
    return out


def _explained(result: perfrules.Result, path: str) -> str:
    try:
        return explain.text(explain.explain(result, path))
    except AssertionError:
        # explain of a judged row leaf asserts (explain.py `judged`: no judged entry for an
        # expanded row), whatever the context: reported to the lead, compared here as is
        return "explain failed: AssertionError"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(RULESETS)))
def test_every_shipped_ruleset_gives_the_same_digits_whatever_the_callers_context(path: Path) -> None:
    assert _facts_of(path), f"{path} has no facts or cases to evaluate"
    with caller_context(None):
        expected = _everything(path)
    with caller_context(hostile()):
        got = _everything(path)
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key
    # something was evaluated: a result (every number and text compared) or an error (its text compared)
    assert len(expected) >= 2


def test_the_shipped_examples_mostly_score() -> None:
    """The comparison above is worth something only if most shipped examples give a result."""
    scored = 0
    for path in RULE_FILES:
        ruleset = perfrules.load(path)
        for _name, facts in _facts_of(path):
            try:
                scored += ruleset.evaluate(facts).total > 0
            except PerfrulesError:
                pass
    assert scored >= 30  # the four version 1 rulesets alone give 32 scored results (54 of 73 in all)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(RULESETS)))
def test_perfrules_testing_runs_under_a_hostile_context(path: Path) -> None:
    """Strategies, invariants and intentions work out their values exactly in any caller context."""
    ruleset = perfrules.load(path)
    intentions = INTENTIONS.get(str(path.relative_to(RULESETS)), [])
    with caller_context(hostile()):
        reports = [check_ruleset(ruleset, max_examples=10, shrink=False),
                   *check_intentions(ruleset, intentions, max_examples=10)]
        drawn: list[dict[str, Any]] = []

        # the strategy on its own, drawn in the caller's context as a user's own @given test would
        @settings(max_examples=10, database=None, deadline=None)
        @given(facts_strategy(ruleset))
        def draw(facts: dict[str, Any]) -> None:
            ruleset.check_facts(facts)  # every drawn value is valid for its input
            drawn.append(facts)

        draw()
    assert [r.examples for r in reports] == [10] * (1 + len(intentions))
    assert len(drawn) == 10 and all(set(f["facts"]) <= {i.name for i in ruleset.model.inputs} for f in drawn)


def _rows_everything(text: str) -> dict[str, Any]:
    from .test_rows import FACTS

    ruleset = perfrules.loads(text, "form.rules")
    result = ruleset.evaluate(FACTS)
    return {"code": ruleset.code, "total": str(result.total), "json": result.to_json(),
            "table": render.table(result), "markdown": report.markdown(result), "html": report.html(result),
            "problems": scoretable.problems(result)}


@pytest.mark.parametrize("form", ["FORM_ZH", "FORM_EN"])
def test_a_rows_form_gives_the_same_digits_whatever_the_callers_context(form: str) -> None:
    from . import test_rows

    text = getattr(test_rows, form)
    with caller_context(None):
        expected = _rows_everything(text)
    with caller_context(hostile()):
        got = _rows_everything(text)
    assert expected["total"] == "89.88"  # worked out by hand in tests/test_rows.py
    for key in expected:
        assert got[key] == expected[key], key
