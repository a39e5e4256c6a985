"""Properties a ruleset must have, checked with Hypothesis: the built-in invariants
(`check_ruleset`) and the author's declared intentions (`check_intentions`). A failure is a
`Counterexample` holding the shrunk facts as a TOML file. Public through `perfrules.testing`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from perfrules import decimal_context
from perfrules.catalogue import Said, Text, checks
from perfrules.diagnostics import EvaluationError, FactsError, PerfrulesError
from perfrules.engine import Ruleset
from perfrules.inputs.values import convert
from perfrules.semantics import arithmetic, model
from perfrules.tools.intentions import Intention, IntentionError, as_intention, keyed_problems
from perfrules.tools.strategies import (
    CENT,
    RulesetLike,
    edge_plan,
    facts,
    fit_value,
    input_values,
    narrowed,
    ruleset_of,
    to_toml,
    toml_value,
)


class Counterexample(AssertionError):
    """A property failed. `facts` holds the shrunk facts, `toml` the same as facts files.

    The message shows each TOML file; `perfrules eval RULES FILE` reproduces it.
    A monotonicity failure has two: the lower and the higher value of the input.
    `str()` is the English text; `said` renders it in either language.
    """

    def __init__(self, said: Said | Text | str, facts: Sequence[Mapping[str, Any]]):
        if isinstance(said, str):  # a caller's own message (the constructor took a str before the catalogue)
            said = Text(said, said)
        super().__init__(said.en)
        self.said = said
        self.facts = [dict(f) for f in facts]
        self.toml = [to_toml(f) for f in facts]


# ---- invariants ----------------------------------------------------------------------------


@attrs.define
class PropertyReport:
    """What a property run did: examples evaluated and evaluation errors met (tolerated)."""

    name: str
    examples: int = 0
    errors: int = 0


_SEED: contextvars.ContextVar[int | None] = contextvars.ContextVar("perfrules_seed", default=None)


@contextlib.contextmanager
def seeded(value: int | None) -> Iterator[None]:
    """Property checks run inside draw their examples from this seed (`perfrules test --seed N`):
    the same seed, the same examples and the same counterexample."""
    token = _SEED.set(value)
    try:
        yield
    finally:
        _SEED.reset(token)


_ON_EXAMPLE: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "perfrules_on_example", default=None)


@contextlib.contextmanager
def counting(on_example: Callable[[], None]) -> Iterator[None]:
    """Property checks run inside call `on_example()` after each example they draw (a progress bar:
    `perfrules test --properties` on a terminal)."""
    token = _ON_EXAMPLE.set(on_example)
    try:
        yield
    finally:
        _ON_EXAMPLE.reset(token)


def _one_more(report: PropertyReport) -> None:
    report.examples += 1
    on_example = _ON_EXAMPLE.get()
    if on_example is not None:
        on_example()


def _seeded(test: Callable[[], None]) -> Callable[[], None]:
    value = _SEED.get()
    return test if value is None else seed(value)(test)


def _hypothesis_settings(max_examples: int, shrink: bool = True) -> settings:
    phases = list(Phase) if shrink else [p for p in Phase if p is not Phase.shrink]
    return settings(
        phases=phases,
        max_examples=max_examples,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def _counterexample(rs: Ruleset, drawn: Mapping[str, Any], title: Said) -> Counterexample:
    return Counterexample(checks.COUNTEREXAMPLE(title=title, rules=rs.display_name, toml=to_toml(drawn)), [drawn])


def _error_text(exc: PerfrulesError) -> Text:
    """An error met while checking, in both languages (English as `str(exc)` writes it)."""
    return Text(*("\n".join(d.line_and_help(lang) for d in exc.diagnostics) for lang in ("zh", "en")))


def _lines(problems: Sequence[Said | Text]) -> Text:
    """Problems one a line, as a list: `  - …`."""
    return Text(*("\n".join(f"  - {p.in_(lang)}" for p in problems) for lang in ("zh", "en")))


def _evaluate(rs: Ruleset, drawn: Mapping[str, Any], report: PropertyReport, allow_errors: bool) -> Any:
    try:
        return rs.evaluate(drawn)
    except FactsError as exc:  # the strategy must only draw valid facts
        title = checks.STRATEGY_REFUSED(name=rs.name, error=_error_text(exc))
        raise _counterexample(rs, drawn, title) from None
    except EvaluationError as exc:
        if not allow_errors:
            raise _counterexample(rs, drawn, checks.EVALUATION_FAILED(error=_error_text(exc))) from None
        report.errors += 1
        return None


def invariant_problems(rs: Ruleset, result: Any) -> list[str]:
    """Every built-in invariant the result breaks (empty when all hold), in English; `said_problems`
    gives them in either language."""
    return [problem.en for problem in said_problems(rs, result)]


def said_problems(rs: Ruleset, result: Any) -> list[Said]:
    """`invariant_problems`, each a catalogue text in both languages."""
    m = result.ruleset.model  # for a rows ruleset: the leaves its rows made
    problems: list[Said] = []
    records = {r.path: r for r in result.indicators}
    zero = Decimal(0)
    quantum = arithmetic.quantum(m.precision)
    plain = arithmetic.plain
    for ind in m.all_indicators():
        r = records[ind.path]
        if not zero <= r.points <= ind.weight:
            problems.append(checks.OUTSIDE_WEIGHT(path=ind.path, points=plain(r.points), weight=plain(ind.weight)))
        if r.points.is_signed() and r.points == 0:
            problems.append(checks.NEGATIVE_ZERO(path=ind.path, points=arithmetic.fixed(r.points, m.precision)))
        if ind.is_leaf and r.points != r.points.quantize(quantum):
            problems.append(checks.NOT_ROUNDED(path=ind.path, points=plain(r.points), precision=m.precision))
        scale = result.group_scale(ind.path) if not ind.is_leaf else None
        if scale is not None:
            # `out of` or shared weight: the children's sum converted, rounded once (spec 11, 12)
            total = sum((records[c.path].points for c in ind.children), zero)
            counted = scale.counted
            expected = arithmetic.round_half_up(total * ind.weight / counted, m.precision) if counted > 0 else \
                arithmetic.round_half_up(zero, m.precision)  # fmt: skip
            if total != scale.sum or (r.applicable and expected != r.points):
                problems.append(checks.CHILDREN_OF_SCALE(path=ind.path, points=plain(r.points), sum=plain(total),
                                                         counted=plain(counted)))
        elif not ind.is_leaf:
            total = sum((records[c.path].points for c in ind.children), zero)
            if total != r.points:
                problems.append(checks.CHILDREN_SUM(path=ind.path, points=plain(r.points), sum=plain(total)))
    top = sum((records[t.path].points for t in m.indicators), zero)
    if top != result.raw_total:
        problems.append(checks.TOP_SUM(sum=plain(top), raw=plain(result.raw_total)))
    if result.total.is_signed() and result.total == 0:
        problems.append(checks.TOTAL_NEGATIVE_ZERO(total=arithmetic.fixed(result.total, m.precision)))
    if not zero <= result.total <= m.total:
        problems.append(checks.TOTAL_OUTSIDE(total=plain(result.total), scale=plain(m.total)))
    dropped = _dropped_weight(m, records)
    if result.rescaled != (dropped > 0):
        problems.append(checks.RESCALED_WRONG(rescaled=result.rescaled, dropped=plain(dropped)))
    if dropped and not result.raw_total <= m.total - dropped:
        problems.append(checks.RAW_OVER_APPLICABLE(raw=plain(result.raw_total), applicable=plain(m.total - dropped)))
    if result.veto is not None:
        if result.total != 0:
            problems.append(checks.VETOED_NOT_ZERO(because=result.veto.because, total=plain(result.total)))
        if m.rating and result.rating != m.rating[-1].label:
            problems.append(checks.VETOED_RATED(rating=repr(result.rating), last=repr(m.rating[-1].label)))
    elif not m.adjustments:
        expected = result.raw_total
        if dropped:
            expected = result.raw_total * m.total / (m.total - dropped)
        expected = arithmetic.round_half_up(expected, m.precision)
        if result.total != expected:
            sums = checks.TOTAL_NOT_RESCALED_SUM if dropped else checks.TOTAL_NOT_SUM
            problems.append(sums(total=plain(result.total), sum=plain(expected)))
    if m.rating and result.veto is None:
        expected_rating = _rating(m, result.total)
        if result.rating != expected_rating:
            problems.append(checks.WRONG_RATING(total=plain(result.total), rating=repr(result.rating),
                                                expected=repr(expected_rating)))
    lost_paths = set()
    for loss in result.lost:
        lost_paths.add(loss.path)
        if not loss.reasons or not all(isinstance(x, str) and x.strip() for x in loss.reasons):
            problems.append(checks.LOST_WITHOUT_REASON(path=loss.path, points=plain(loss.points)))
        if loss.points <= 0:
            problems.append(checks.LOST_NOT_POSITIVE(path=loss.path, points=plain(loss.points)))
    for leaf in m.leaves():
        r = records[leaf.path]
        if r.applicable and r.points < leaf.weight and leaf.path not in lost_paths:
            problems.append(checks.MISSING_FROM_LOST(path=leaf.path))
    return problems


def _rating(m: model.CheckedRuleset, total: Decimal) -> str | None:
    for arm in m.rating:
        if arm.op is None or arm.threshold is None or arithmetic.compare(arm.op, total, arm.threshold):
            return arm.label
    return None


def _dropped_weight(m: model.CheckedRuleset, records: Mapping[str, Any]) -> Decimal:
    """The weight of the outermost indicators dropped by `applies ... else rescale`."""
    dropped = Decimal(0)

    def visit(ind: model.Indicator, factor: Decimal, top: bool) -> None:
        nonlocal dropped
        otherwise = ind.applies.otherwise if ind.applies is not None else None
        if not records[ind.path].applicable and (otherwise == "rescale" or (top and (
                otherwise == "share" or (otherwise is None and not ind.is_leaf)))):
            # at the top level, weight shared away (or a group whose every child was) is rescaled (spec 12)
            dropped += ind.weight * factor
            return
        if not records[ind.path].applicable and otherwise is not None:
            return
        for child in ind.children:
            visit(child, factor * ind.weight / ind.scale if ind.scale else factor, False)

    for top in m.indicators:
        visit(top, Decimal(1), True)
    return dropped


def check_ruleset(
    ruleset: RulesetLike,
    *,
    max_examples: int = 200,
    allow_errors: bool = True,
    shrink: bool = True,
) -> PropertyReport:
    """Check the built-in invariants on `max_examples` drawn facts; raise AssertionError on a violation.

    Invariants: every indicator in [0, weight]; leaves rounded to `precision`; a
    parent is the exact sum of its children; the total lies in [0, total] and
    equals the (rescaled) sum; the rating matches the total; a veto gives 0 and
    the last rating band; every leaf below its weight is in `lost` with a reason;
    evaluating the same facts twice gives the same JSON. Evaluation errors that
    the language defines (division by zero the rules did not guard) are counted,
    not failures, unless `allow_errors=False`. `shrink=False` reports the first
    counterexample found, unshrunk (faster in a large suite).
    """
    rs = ruleset_of(ruleset)
    report = PropertyReport(checks.INVARIANTS_OF(name=rs.name).en)

    @_hypothesis_settings(max_examples, shrink)
    @given(facts(rs))
    def run(drawn: dict[str, Any]) -> None:
        _one_more(report)
        result = _evaluate(rs, drawn, report, allow_errors)
        if result is None:
            return
        problems: list[Said | Text] = [*said_problems(rs, result)]
        again = rs.evaluate(drawn)
        if again.to_json() != result.to_json():
            problems.append(checks.NOT_REPEATABLE)
        if problems:
            raise _counterexample(rs, drawn, checks.INVARIANT_VIOLATED(name=rs.name, problems=_lines(problems)))

    with decimal_context.EngineContext():  # the caller's decimal context is never read
        _seeded(run)()
    return report


# ---- declared intentions ------------------------------------------------------------------


def _typed(inp: model.Input, raw: Any) -> Any:
    value = convert(inp, raw)[0]
    if inp.type.kind == "grade":
        return -inp.type.labels.index(value)  # labels are listed best first: better is higher
    if inp.type.kind == "bool":
        return int(value)
    return value


def _neighbours(inp: model.Input, raw: Any) -> st.SearchStrategy[Any]:
    """Values one small step either side of `raw`, where valid."""
    value = convert(inp, raw)[0]
    if inp.type.kind in ("bool", "grade", "text"):
        return input_values(inp)
    steps = [Decimal(1), Decimal(10)] if inp.type.kind == "count" else [CENT, Decimal(1)]
    options = []
    for step in steps:
        for sign in (-1, 1):
            shifted = Decimal(value) + sign * step * (Decimal("0.01") if inp.type.kind == "percent" else 1)
            fitted = fit_value(inp, shifted, "exact")
            if fitted is not None:
                options.append(fitted)
    return st.sampled_from(options) if options else input_values(inp)


def _points_at(result: Any, path: str | None) -> Decimal:
    if path is None:
        value: Decimal = result.total
        return value
    return Decimal(result.points(path))


def check_intentions(
    ruleset: RulesetLike,
    intentions: Iterable[Intention | Mapping[str, Any]],
    *,
    max_examples: int = 200,
) -> list[PropertyReport]:
    """Check declared intentions with Hypothesis; raise AssertionError with a counterexample.

    Each intention is a mapping (or `Intention`), for example
    `{"kind": "monotonic", "path": "预算执行率", "input": "spent", "direction": "up"}`,
    `{"kind": "full_when", "path": "报送", "when": {"report_on_time": True}}`;
    kinds: monotonic, full_when, zero_when, at_least, at_most (see docs/testing.md).
    """
    rs = ruleset_of(ruleset)
    reports = []
    for item in intentions:
        intention = as_intention(item)
        problems = [said for _, said in keyed_problems(rs.model, intention)]
        if problems:
            listed = Text("；".join(p.zh for p in problems), "; ".join(p.en for p in problems))
            raise IntentionError(checks.DOES_NOT_FIT(intention=intention.said(), problems=listed))
        with decimal_context.EngineContext():  # the caller's decimal context is never read
            reports.append(_check_one(rs, intention, max_examples))
    return reports


def _check_one(rs: Ruleset, intention: Intention, max_examples: int) -> PropertyReport:
    report = PropertyReport(intention.describe())
    header = checks.DOES_NOT_HOLD(intention=intention.said(),
                                  where=checks.DECLARED_AT(where=intention.where) if intention.where else "")
    target = rs.model.find(intention.path) if intention.path else None
    full = target.weight if target is not None else rs.model.total
    strategy = facts(rs, fixed=intention.when, within=intention.within)

    if intention.kind == "monotonic":
        assert intention.input is not None
        plan = edge_plan(narrowed(rs.model, intention.within))
        inp = plan.ruleset.inputs[next(i.index for i in rs.model.inputs if i.name == intention.input)]
        pool = plan.pools.get(inp.name, ())

        @_hypothesis_settings(max_examples)
        @given(strategy, st.data())
        def run_monotonic(drawn: dict[str, Any], data: st.DataObject) -> None:
            _one_more(report)
            first = drawn["facts"].get(inp.name)
            if first is None:  # an omitted default: give it a value to move
                first = data.draw(input_values(inp, pool))
            second = data.draw(st.one_of(_neighbours(inp, first), input_values(inp, pool)))
            low_raw, high_raw = sorted((first, second), key=lambda r: _typed(inp, r))
            if _typed(inp, low_raw) == _typed(inp, high_raw):
                return
            low_facts = {**drawn, "facts": {**drawn["facts"], inp.name: low_raw}}
            high_facts = {**drawn, "facts": {**drawn["facts"], inp.name: high_raw}}
            low = _evaluate(rs, low_facts, report, True)
            high = _evaluate(rs, high_facts, report, True)
            if low is None or high is None:
                return
            a, b = _points_at(low, intention.path), _points_at(high, intention.path)
            broken = b < a if intention.direction == "up" else b > a
            if broken:
                places = rs.model.precision
                said = checks.MONOTONIC_BROKEN(
                    header=header, input=inp.name, low=toml_value(low_raw), low_points=arithmetic.fixed(a, places),
                    high=toml_value(high_raw), high_points=arithmetic.fixed(b, places), rules=rs.display_name,
                    low_toml=to_toml(low_facts), high_toml=to_toml(high_facts))
                raise Counterexample(said, [low_facts, high_facts])

        _seeded(run_monotonic)()
        return report

    @_hypothesis_settings(max_examples)
    @given(strategy)
    def run_condition(drawn: dict[str, Any]) -> None:
        _one_more(report)
        result = _evaluate(rs, drawn, report, True)
        if result is None:
            return
        points = _points_at(result, intention.path)
        expected = {"full_when": full, "zero_when": Decimal(0)}.get(intention.kind)
        wanted: Said | str
        if expected is not None:
            ok = points == expected
            wanted = arithmetic.fixed(expected, rs.model.precision)
        elif intention.kind == "at_least":
            assert intention.points is not None
            ok, wanted = points >= intention.points, checks.AT_LEAST(points=arithmetic.plain(intention.points))
        else:
            assert intention.points is not None
            ok, wanted = points <= intention.points, checks.AT_MOST(points=arithmetic.plain(intention.points))
        if not ok:
            reasons: Said | str = ""
            if intention.path is not None and rs.model.find(intention.path) is not None:
                record = result.indicator(intention.path)
                if record.reasons:
                    reasons = checks.REASONS(reasons="; ".join(record.reasons))
            said = checks.EXPECTED_POINTS(header=header, wanted=wanted,
                                          got=arithmetic.fixed(points, rs.model.precision), reasons=reasons)
            raise _counterexample(rs, drawn, said)

    _seeded(run_condition)()
    return report
