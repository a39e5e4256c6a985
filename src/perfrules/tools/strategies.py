"""Hypothesis strategies that draw facts for a ruleset, aimed at the edges its rules name.

`facts(ruleset)` draws valid facts (a mapping shaped like a facts file) from the declared
inputs: every numeric constant of the rules, and for every comparison, tier threshold,
`shortfall` / `excess` target, ratio and score edge an input solved to put the expression
exactly on the edge or one step either side. Public through `perfrules.testing`.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any, Literal

import attrs
from hypothesis import strategies as st

from perfrules import decimal_context, records
from perfrules.catalogue import checks
from perfrules.catalogue import diagnostics as say
from perfrules.engine import Ruleset, load
from perfrules.inputs.values import convert
from perfrules.semantics import arithmetic, model
from perfrules.tools.intentions import IntentionError

RulesetLike = Ruleset | str | Path
CENT = Decimal("0.01")
# Inputs without a declared range: realistic magnitudes for budget figures (万元), counts and rates.
NUMBER_HIGH = Decimal(1_000_000)
COUNT_HIGH = 500
PERCENT_LOW, PERCENT_HIGH = Decimal("-0.5"), Decimal(2)


def ruleset_of(ruleset: RulesetLike) -> Ruleset:
    return ruleset if isinstance(ruleset, Ruleset) else load(ruleset)


# ---- facts TOML -------------------------------------------------------------------------


def _toml_key(key: str) -> str:
    return json.dumps(str(key), ensure_ascii=False)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"facts hold finite numbers, not {value}")
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("facts hold exact numbers: use decimal.Decimal, not float")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a facts file")


def to_toml(facts_mapping: Mapping[str, Any]) -> str:
    """A facts mapping (`{"facts": ..., "judged": ...}` or plain inputs) as facts-file TOML.

    Numbers are written exactly (Decimal, never float); percents stay strings like
    "95.13%"; judged entries with a band become inline tables.
    """
    if not isinstance(facts_mapping.get("facts"), Mapping):
        facts_mapping = {"facts": facts_mapping}
    out: list[str] = []
    for table in ("meta", "facts", "judged", "override"):
        entries = facts_mapping.get(table)
        if entries is None or (not entries and table != "facts"):
            continue
        if out:
            out.append("")
        out.append(f"[{table}]")
        for key, value in entries.items():
            out.append(f"{_toml_key(key)} = {toml_value(value)}")
    return "\n".join(out) + "\n"


# ---- what the rules say about boundaries ---------------------------------------------------

Target = model.Expr | Decimal


@attrs.frozen
class _Plan:
    """What the strategy needs to know about a ruleset, computed once."""

    ruleset: model.CheckedRuleset
    pools: Mapping[str, tuple[Any, ...]]  # input name -> raw fact values taken from the rules' constants
    divisors: frozenset[str]  # inputs that some `/` divides by: zero is drawn, but rarely
    sites: tuple[tuple[model.Expr, Target], ...]  # make left == right, by solving for an input


def _exprs(rs: model.CheckedRuleset) -> list[model.Expr]:
    """Every expression of the ruleset, at the top of its tree."""
    out: list[model.Expr] = [let.expr for let in rs.lets]
    for ind in rs.all_indicators():
        out.extend(ind.expressions())
    for adj in rs.adjustments:
        out.extend(adj.expressions())
    out.extend(v.condition for v in rs.vetoes)
    return out


def _dynamic(e: model.Expr, rs: model.CheckedRuleset) -> bool:
    """Whether an expression depends on inputs."""
    for node in model.walk(e):
        if isinstance(node, model.InputRef):
            return True
        if isinstance(node, model.LetRef) and _dynamic(rs.lets[node.index].expr, rs):
            return True
    return False


def _inputs_in(e: model.Expr, rs: model.CheckedRuleset) -> set[int]:
    return rs.inputs_read([e])


def edge_plan(rs: model.CheckedRuleset) -> _Plan:
    numbers: set[Decimal] = set()
    percents: set[Decimal] = set()
    texts: set[str] = set()
    sites: list[tuple[model.Expr, Target]] = []

    def constant(v: Any, t: model.ValueType) -> None:
        if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
            if isinstance(v, str) and t.kind == "text":
                texts.add(v)
            return
        (percents if t.kind == "percent" else numbers).add(Decimal(v))

    for p in rs.params:
        constant(p.value, p.type)
    for top in _exprs(rs):
        for node in model.walk(top):
            match node:
                case model.Const(value=v, type=t):
                    constant(v, t)
                case model.Compare(left=a, right=b):
                    sites.append((a, b))
                case model.Call(function="shortfall" | "excess" | "min" | "max", args=args):
                    sites.append((args[0], args[1]))
                case model.Call(function="clamp", args=args):
                    sites.extend(((args[0], args[1]), (args[0], args[2])))
                case model.Call(function="abs", args=args):
                    sites.append((args[0], Decimal(0)))
    for ind in rs.all_indicators():
        rule = ind.rule
        if rule is None:
            continue
        if rule.expr is not None and rule.kind == "ratio":
            sites.extend(((rule.expr, Decimal(1)), (rule.expr, Decimal(0))))
        if rule.expr is not None and rule.kind == "score":
            sites.extend(((rule.expr, ind.weight), (rule.expr, Decimal(0))))
        for arm in rule.tiers:
            if rule.expr is not None and arm.value is not None:
                sites.append((rule.expr, arm.value))
                (percents if rule.expr.type.kind == "percent" else numbers).add(arm.value)
        for adj in ind.adjustments:
            if adj.per is not None:
                sites.extend(((adj.per.of, adj.per.step), (adj.per.of, Decimal(0))))
    divisors = frozenset(
        rs.inputs[k].name
        for top in _exprs(rs)
        for node in model.walk(top)
        if isinstance(node, model.Binary) and node.op == "/"
        for k in _inputs_in(node.right, rs)
    )
    useful = tuple(s for s in sites if _dynamic(s[0], rs) or (not isinstance(s[1], Decimal) and _dynamic(s[1], rs)))
    pools: dict[str, tuple[Any, ...]] = {}
    for inp in rs.inputs:
        candidates: list[Any] = []
        if inp.low is not None and inp.high is not None:
            (percents if inp.type.kind == "percent" else numbers).update((inp.low, inp.high))
        if inp.type.kind == "number":
            for n in sorted(numbers | percents):
                candidates.extend((n, n - CENT, n + CENT))
        elif inp.type.kind == "percent":
            for n in sorted(percents):
                candidates.extend(_percent_raw(n + d) for d in (Decimal(0), -CENT / 100, CENT / 100))
        elif inp.type.kind == "count":
            for n in sorted(numbers):
                if n == n.to_integral_value():
                    candidates.extend((int(n), int(n) - 1, int(n) + 1))
        elif inp.type.kind == "text":
            candidates.extend(sorted(texts))
        valid = [c for c in dict.fromkeys(candidates) if convert(inp, c)[1] is None]
        pools[inp.name] = tuple(valid)
    return _Plan(rs, pools, divisors, useful)


# ---- drawing values ------------------------------------------------------------------------


def _percent_raw(fraction: Decimal) -> str:
    return arithmetic.plain(decimal_context.CONTEXT.multiply(fraction, 100)) + "%"


def _grid(low: Decimal, high: Decimal, step: Decimal) -> st.SearchStrategy[Decimal]:
    """Multiples of `step` in [low, high], plus both ends (which may be off the grid)."""
    # Worked out in the engine's context: strategies are drawn in the caller's.
    first = decimal_context.CONTEXT.divide(low, step).to_integral_value(ROUND_CEILING)
    last = decimal_context.CONTEXT.divide(high, step).to_integral_value(ROUND_FLOOR)
    ends = st.sampled_from([low, high])
    if first > last:
        return ends
    grid = st.integers(int(first), int(last)).map(lambda k: decimal_context.CONTEXT.multiply(k, step))
    return st.one_of(ends, grid)


def input_values(inp: model.Input, pool: Sequence[Any] = ()) -> st.SearchStrategy[Any]:
    """Raw fact values for one input (as a facts file holds them), always valid for it."""
    kind = inp.type.kind
    base: st.SearchStrategy[Any]
    if kind == "bool":
        return st.booleans()
    if kind == "measure":
        bounds = (inp.low, inp.high) if inp.low is not None and inp.high is not None else None
        return st.builds(lambda pair: pair[1], st.composite(lambda draw: _measure_pair(draw, False, bounds))())
    if kind == "grade":
        return st.sampled_from(inp.type.labels)
    if kind == "text":
        return st.sampled_from([*pool, "", "说明"])
    if kind == "number":
        if inp.low is not None and inp.high is not None:
            base = st.one_of(_grid(inp.low, inp.high, CENT), _grid(inp.low, inp.high, Decimal(1)))
        else:
            base = st.one_of(
                st.integers(0, 100).map(Decimal),
                _grid(Decimal(0), NUMBER_HIGH, CENT),
                _grid(Decimal(-1000), Decimal(0), CENT),
            )
    elif kind == "percent":
        low = inp.low if inp.low is not None else PERCENT_LOW
        high = inp.high if inp.high is not None else PERCENT_HIGH
        common = (max(low, Decimal(0)), min(high, Decimal(1)))  # most rates lie in 0%..100%
        grids = [_grid(low, high, Decimal("0.0001")), _grid(low, high, CENT)]
        if common[0] <= common[1]:
            grids.append(_grid(common[0], common[1], Decimal("0.0001")))
        base = st.one_of(*grids).map(_percent_raw)
    else:  # count
        low_count = int(inp.low) if inp.low is not None else 0
        high_count = int(inp.high) if inp.high is not None else COUNT_HIGH
        base = st.one_of(st.integers(low_count, min(high_count, low_count + 12)), st.integers(low_count, high_count))
    if pool:
        return st.one_of(st.sampled_from(tuple(pool)), base)
    return base


Variant = Literal["exact", "below", "above"]
VARIANTS: tuple[Variant, ...] = ("exact", "exact", "below", "above")  # on the edge twice as often


def fit_value(inp: model.Input, value: Any, variant: Variant) -> Any | None:
    """A raw fact value for `inp` at (or one step beside) a typed value; None when not valid."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    value = Decimal(value)
    if not value.is_finite() or abs(value) >= Decimal(10) ** 15:
        return None
    kind = inp.type.kind
    raw: Any
    if kind == "count":
        whole = value.to_integral_value()
        if variant == "exact":
            if whole != value:
                return None
            raw = int(whole)
        elif variant == "below":
            raw = int(value.to_integral_value(ROUND_FLOOR)) - (1 if whole == value else 0)
        else:
            raw = int(value.to_integral_value(ROUND_CEILING)) + (1 if whole == value else 0)
    elif kind == "number":
        step = CENT
        if variant == "exact":
            raw = arithmetic.round_half_up(value, 6).normalize()
        elif variant == "below":
            raw = value.quantize(step, ROUND_FLOOR) - (step if value == value.quantize(step) else 0)
        else:
            raw = value.quantize(step, ROUND_CEILING) + (step if value == value.quantize(step) else 0)
        raw = Decimal(arithmetic.plain(raw)) if raw else Decimal(0)
    elif kind == "percent":
        percent = value * 100
        step = CENT
        if variant == "exact":
            shown = arithmetic.round_half_up(percent, 4)
        elif variant == "below":
            shown = percent.quantize(step, ROUND_FLOOR) - (step if percent == percent.quantize(step) else 0)
        else:
            shown = percent.quantize(step, ROUND_CEILING) + (step if percent == percent.quantize(step) else 0)
        raw = arithmetic.plain(shown) + "%"
    else:
        return None
    return raw if convert(inp, raw)[1] is None else None


def _is_zero(inp: model.Input, raw: Any) -> bool:
    value = convert(inp, raw)[0]
    return not isinstance(value, (bool, str)) and value == 0


# ---- solving for boundaries ---------------------------------------------------------------


class _Unsolvable(Exception):
    pass


def _evaluator(rs: model.CheckedRuleset, values: Sequence[Any]) -> Callable[[model.Expr], Any]:
    cache: dict[int, Any] = {}

    def let(index: int) -> Any:
        if index not in cache:
            cache[index] = arithmetic.interpret(rs.lets[index].expr, values, let)
        return cache[index]

    def value_of(e: model.Expr) -> Any:
        try:
            with decimal.localcontext(decimal_context.CONTEXT):
                return arithmetic.interpret(e, values, let)
        except (arithmetic.DivisionByZero, ArithmeticError, ValueError, TypeError):
            raise _Unsolvable from None

    return value_of


def _solve(
    rs: model.CheckedRuleset,
    e: model.Expr,
    target: Any,
    value_of: Callable[[model.Expr], Any],
    draw: st.DrawFn,
    free: set[int],
) -> tuple[int, Any]:
    """An input index and a value that make `e` equal `target` with every other input unchanged."""
    if isinstance(target, bool) or not isinstance(target, (int, Decimal)):
        raise _Unsolvable
    target = Decimal(target)

    def pick(options: Sequence[model.Expr], others: Callable[[model.Expr], set[int]]) -> model.Expr:
        usable = [o for o in options if _inputs_in(o, rs) & free and not (_inputs_in(o, rs) & others(o))]
        if not usable:
            raise _Unsolvable
        return usable[0] if len(usable) == 1 else draw(st.sampled_from(usable))

    with decimal.localcontext(decimal_context.CONTEXT):
        match e:
            case model.InputRef(index=index):
                if index not in free:
                    raise _Unsolvable
                return index, target
            case model.LetRef(index=index):
                return _solve(rs, rs.lets[index].expr, target, value_of, draw, free)
            case model.Unary(op="-", operand=o):
                return _solve(rs, o, -target, value_of, draw, free)
            case model.Binary(op=op, left=a, right=b):
                side = pick([a, b], lambda s: _inputs_in(b if s is a else a, rs))
                other = value_of(b if side is a else a)
                if op == "+":
                    goal = target - other
                elif op == "-":
                    goal = target + other if side is a else other - target
                elif op == "*":
                    if other == 0:
                        raise _Unsolvable
                    goal = target / other
                elif side is a:
                    goal = target * other
                else:
                    if target == 0:
                        raise _Unsolvable
                    goal = other / target
                return _solve(rs, side, goal, value_of, draw, free)
            case model.Call(function="shortfall" | "excess", args=(a, b)):
                # shortfall(a, b) = b − a and excess(a, b) = a − b on the side where they are positive
                side = pick([a, b], lambda s: _inputs_in(b if s is a else a, rs))
                other = value_of(b if side is a else a)
                positive = e.function == "excess"
                if side is a:
                    goal = other + target if positive else other - target
                else:
                    goal = other - target if positive else other + target
                return _solve(rs, side, goal, value_of, draw, free)
            case model.Call(function="min" | "max" | "clamp" | "floor" | "ceil" | "round" | "abs", args=args):
                dynamic = [x for x in args if _inputs_in(x, rs) & free]
                if not dynamic:
                    raise _Unsolvable
                return _solve(rs, dynamic[0], target, value_of, draw, free)
            case model.IfElse(condition=c, then=t, otherwise=o):
                return _solve(rs, t if value_of(c) else o, target, value_of, draw, free)
    raise _Unsolvable


@st.composite
def _draw_facts(draw: st.DrawFn, plan: _Plan, fixed: Mapping[str, Any]) -> dict[str, Any]:
    with decimal_context.EngineContext():  # solved values are exact whatever the caller's decimal context
        return _drawn_facts(draw, plan, fixed)


def _drawn_facts(draw: st.DrawFn, plan: _Plan, fixed: Mapping[str, Any]) -> dict[str, Any]:
    rs = plan.ruleset
    raw: dict[str, Any] = {}
    omitted: set[str] = set()
    for inp in rs.inputs:
        if inp.name in fixed:
            raw[inp.name] = fixed[inp.name]
        elif inp.type.kind == "rows":
            raw[inp.name] = draw(row_tables(rs, inp))
        elif inp.has_default and draw(st.integers(0, 3)) == 0:
            omitted.add(inp.name)
        else:
            value = draw(input_values(inp, plan.pools.get(inp.name, ())))
            if inp.name in plan.divisors and _is_zero(inp, value) and draw(st.integers(0, 7)):
                # a zero divisor stops most evaluations (E501); keep it rare so the rules get exercised
                value = fit_value(inp, Decimal(0), "above") or value
            raw[inp.name] = value
    free = {inp.index for inp in rs.inputs if inp.name not in fixed and inp.name not in omitted}
    if plan.sites and free:
        for _ in range(draw(st.integers(0, min(4, len(plan.sites))))):
            left, right = draw(st.sampled_from(plan.sites))
            values = [convert(inp, raw[inp.name])[0] if inp.name in raw else inp.default for inp in rs.inputs]
            value_of = _evaluator(rs, values)
            try:
                if isinstance(right, Decimal):
                    index, goal = _solve(rs, left, right, value_of, draw, free)
                elif draw(st.booleans()) and _inputs_in(right, rs) & free:
                    index, goal = _solve(rs, right, value_of(left), value_of, draw, free - _inputs_in(left, rs))
                else:
                    index, goal = _solve(rs, left, value_of(right), value_of, draw, free - _inputs_in(right, rs))
            except _Unsolvable:
                continue
            inp = rs.inputs[index]
            variant: Variant = draw(st.sampled_from(VARIANTS))
            value = fit_value(inp, goal, variant)
            if value is not None:
                raw[inp.name] = value
    out: dict[str, Any] = {"facts": raw, "judged": {}}
    for leaf in rs.leaves():
        if leaf.rule is not None and leaf.rule.kind == "judged":
            out["judged"][leaf.path] = draw(_judged_entry(leaf, rs.precision))
    return out


# ---- rows (spec section 10) -------------------------------------------------------------------


def _selector(where: model.Expr | None) -> tuple[str, Any] | None:
    """`COLUMN == "value"` (or the first such test inside an `and`): what a drawn row needs to be selected."""
    match where:
        case model.Compare(op="==", left=model.ColumnRef(column=column), right=model.Const(value=value)):
            return column, value
        case model.Compare(op="==", left=model.Const(value=value), right=model.ColumnRef(column=column)):
            return column, value
        case model.Logical(op="and", left=left, right=right):
            return _selector(left) or _selector(right)
    return None


def _split(total: Decimal, parts: int, step: Decimal, draw: st.DrawFn) -> list[Decimal]:
    """`parts` weights on a grid of `step` that add up to `total` exactly (the last takes the rest)."""
    units = int((total / step).to_integral_value(ROUND_FLOOR))
    cuts = sorted(draw(st.lists(st.integers(0, units), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, units]
    weights = [Decimal(b - a) * step for a, b in itertools.pairwise(bounds)]
    weights[-1] += total - units * step
    return weights


def _measure_pair(draw: st.DrawFn, qualitative: bool,
                  bounds: tuple[Decimal, Decimal] | None = None) -> tuple[str, str]:  # fmt: skip
    """A target and an actual as a form writes them, often on the edges of each direction; within
    `bounds` (the columns' `in LOW..HIGH`, which hold a measure by its number) when given."""
    if qualitative and draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(["达成", "效果明显", "好"])), draw(st.sampled_from(["达成", "较好", "一般"]))
    percent = draw(st.booleans())
    if bounds is not None:
        scale = Decimal(100) if percent else Decimal(1)  # a percent measure's number is its fraction
        low, high = (decimal_context.CONTEXT.multiply(b, scale) for b in bounds)
        within = st.one_of(st.sampled_from([low, high]), _grid(low, high, CENT))
        sign = draw(st.sampled_from(["≥", "≤", "=", ""]))
        suffix = "%" if percent else ""
        return f"{sign}{arithmetic.plain(draw(within))}{suffix}", f"{arithmetic.plain(draw(within))}{suffix}"
    sign = draw(st.sampled_from(["≥", "≤", "=", ""]))
    target = draw(st.sampled_from([Decimal(0), Decimal(1), Decimal(6), Decimal(95), Decimal("1500.5")]))
    actual = draw(st.one_of(
        st.sampled_from([Decimal(0), target, target + 1, max(target - 1, Decimal(0))]),
        _grid(Decimal(0), Decimal(2000), CENT)))  # fmt: skip
    suffix = "%" if percent else draw(st.sampled_from(["", "艘"]))
    return f"{sign}{arithmetic.plain(target)}{suffix}", f"{arithmetic.plain(actual)}{suffix}"


def _measure_bounds(table: model.Input) -> tuple[Decimal, Decimal] | None:
    """What every ranged measure column of a table allows (the target and the actual of a drawn row are
    written to its measure columns in turn), or None when none has a range or they share no value."""
    ranged = [c for c in table.columns if c.type.kind == "measure" and c.low is not None and c.high is not None]
    if not ranged:
        return None
    low, high = max(c.low for c in ranged if c.low is not None), min(c.high for c in ranged if c.high is not None)
    return (low, high) if low <= high else None


def _holders(rs: model.CheckedRuleset, table: model.Input) -> list[tuple[model.Indicator, Decimal | None]]:
    """The indicators whose `each` scores this table, with what their rows' weights must add up to."""
    out: list[tuple[model.Indicator, Decimal | None]] = []

    def visit(siblings: Sequence[model.Indicator], scale: Decimal) -> None:
        fixed = sum((s.weight for s in siblings if not s.weight_from_rows), Decimal(0))
        loose = [s for s in siblings if s.weight_from_rows]
        for s in siblings:
            if s.each is not None and s.each.table == table.index:
                share = (scale - fixed) / len(loose) if s.weight_from_rows else s.scale
                out.append((s, share if share > 0 else None))
            visit(s.children, s.scale)

    visit(rs.indicators, rs.total)
    return out


@st.composite
def row_tables(draw: st.DrawFn, rs: model.CheckedRuleset, table: model.Input) -> list[dict[str, Any]]:
    """Rows for a rows input: for each `each` over it, zero (when it may not apply) or more selected rows
    whose weights add up as the rules require, with measures on the edges of every direction."""
    rows: list[dict[str, Any]] = []
    holders = _holders(rs, table)
    if not holders:
        # a table only aggregates read (`weighted_mean(项目.得分, 项目.资金)`, spec 13): any rows, of
        # one kind per measure column (units and percents mixed across rows stop a sum, E505)
        return draw(_free_rows(table))
    for holder, scale in holders:
        each = holder.each
        assert each is not None
        fewest = 0 if holder.applies is not None else 1
        count = draw(st.integers(fewest, 5))
        if count == 0:
            continue
        qualitative = any(arm.condition is not None and any(
            isinstance(n, model.Call) and n.function == "qualitative" for n in model.walk(arm.condition))
            for arm in each.arms)  # fmt: skip
        weights: list[Decimal | None] = [None] * count
        if each.weight is not None:
            column = table.column(each.weight.column)
            assert column is not None
            if column.type.kind == "percent":
                weights = [w for w in _split(Decimal(1), count, Decimal("0.05"), draw)]
            elif scale is not None:
                weights = list(_split(scale, count, Decimal("0.5"), draw))
        selector = _selector(each.where)
        group_values = draw(st.lists(st.sampled_from(["甲组", "乙组"]), min_size=count, max_size=count))
        for k in range(count):
            record: dict[str, Any] = {}
            target, actual = _measure_pair(draw, qualitative, _measure_bounds(table))
            measures = iter([target, actual])
            for column in table.columns:
                name = column.name
                if selector is not None and name == selector[0]:
                    record[name] = selector[1]
                elif each.key is not None and name == each.key.column:
                    record[name] = f"{holder.name}{len(rows) + 1}"
                elif each.group is not None and name == each.group.column:
                    record[name] = group_values[k]
                elif each.weight is not None and name == each.weight.column:
                    weight = weights[k]
                    record[name] = _percent_raw(weight) if column.type.kind == "percent" and weight is not None \
                        else weight  # fmt: skip
                elif column.type.kind == "measure":
                    record[name] = next(measures, actual)
                elif column.type == model.DIRECTION:
                    record[name] = draw(st.sampled_from(["正向", "反向", "等于"]))
                elif column.type.kind in ("number", "count") and column.optional:
                    # an evaluator's points: within the row's weight, so any band holds them
                    top = weights[k] if weights[k] is not None and column.type.kind == "number" else Decimal(0)
                    record[name] = draw(_grid(Decimal(0), top, CENT)) if top else Decimal(0)
                elif column.optional and draw(st.booleans()):
                    continue
                else:
                    record[name] = draw(input_values(records.evolve(column_as_input(column))))
            for arm in each.arms:  # `judged from P band B`: the band that holds the drawn points
                rule = arm.rule
                if rule.kind == "judged" and isinstance(rule.expr, model.ColumnRef) \
                        and isinstance(rule.band_column, model.ColumnRef) and rule.bands:  # fmt: skip
                    points, weight = record.get(rule.expr.column), weights[k]
                    share = Decimal(points) / weight if points is not None and weight else Decimal(0)
                    record[rule.band_column.column] = next((b.label for b in rule.bands if b.contains(share)),
                                                           rule.bands[-1].label)
            rows.append(record)
    return rows


@st.composite
def _free_rows(draw: st.DrawFn, table: model.Input) -> list[dict[str, Any]]:
    """Rows for a table no `each` scores: zero to five, each column drawn as an input of its type."""
    rows: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 5))):
        record: dict[str, Any] = {}
        for column in table.columns:
            if column.optional and draw(st.booleans()):
                continue
            if column.type.kind == "measure":
                low, high = (column.low, column.high) if column.low is not None and column.high is not None \
                    else (Decimal(0), Decimal(2000))  # fmt: skip
                record[column.name] = arithmetic.plain(draw(_grid(low, high, CENT)))
            elif column.type == model.DIRECTION:
                record[column.name] = draw(st.sampled_from(["正向", "反向", "等于"]))
            else:
                record[column.name] = draw(input_values(column_as_input(column)))
        rows.append(record)
    return rows


def column_as_input(column: model.Column) -> model.Input:
    """A column seen as an input, for the strategies of plain values."""
    return model.Input(column.name, column.index, column.type, column.low, column.high, column.label,
                       column.default, column.has_default, column.span)


def _band_entry(label: str, points: Decimal) -> dict[str, Any]:
    return {"points": points, "band": label}


def _judged_entry(leaf: model.Indicator, precision: int) -> st.SearchStrategy[Any]:
    assert leaf.rule is not None
    step = arithmetic.quantum(precision)
    zero = Decimal(0)
    if not leaf.rule.bands:
        return st.one_of(st.sampled_from([zero, leaf.weight]), _grid(zero, leaf.weight, step))
    strategies = []
    for band in leaf.rule.bands:
        low = max(band.low, zero) if band.low_closed else band.low + step
        high = min(band.high, leaf.weight) if band.high_closed else band.high - step
        edges = [
            p
            for p in (band.low, band.high, band.low + step, band.high - step)
            if band.contains(p) and zero <= p <= leaf.weight
        ]
        choices: list[st.SearchStrategy[Decimal]] = []
        if edges:
            choices.append(st.sampled_from(edges))
        if low <= high:
            choices.append(_grid(low, high, step).filter(band.contains))
        if not choices:
            middle = (band.low + band.high) / 2
            if not (band.contains(middle) and zero <= middle <= leaf.weight):
                continue
            choices.append(st.just(middle))
        label = band.label
        strategies.append(st.one_of(*choices).map(functools.partial(_band_entry, label)))
    return st.one_of(*strategies)


def facts(
    ruleset: RulesetLike,
    fixed: Mapping[str, Any] | None = None,
    within: Mapping[str, Sequence[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """A Hypothesis strategy of valid facts for `ruleset`: `{"facts": {...}, "judged": {...}}`.

    Percents are strings ("95.13%"), numbers Decimal, counts int. `fixed` pins some
    inputs to given raw values (as a facts file would write them).
    """
    rs = ruleset_of(ruleset)
    fixed = dict(fixed or {})
    _check_fixed(rs.model, fixed)
    with decimal_context.EngineContext():
        plan = edge_plan(narrowed(rs.model, within or {}))
    return _draw_facts(plan, fixed)


def narrowed(rs: model.CheckedRuleset, within: Mapping[str, Sequence[Any]]) -> model.CheckedRuleset:
    """The ruleset with some inputs' ranges narrowed (`within = {name: [low, high]}`, raw fact values).

    Facts valid for the narrowed inputs are valid for the original ones.
    """
    if not within:
        return rs
    inputs = {i.name: i for i in rs.inputs}
    out = list(rs.inputs)
    for name, bounds in within.items():
        inp = inputs.get(name)
        if inp is None:
            raise IntentionError(say.INTENTION_WITHIN_UNKNOWN(name=name))
        if inp.type.kind not in ("number", "percent", "count") or len(bounds) != 2:
            raise IntentionError(checks.WITHIN_KIND(name=name))
        low, problem_low = convert(inp, bounds[0])
        high, problem_high = convert(inp, bounds[1])
        if problem_low or problem_high or low > high:
            raise IntentionError(checks.WITHIN_NOT_RANGE(low=bounds[0], high=bounds[1], name=name))
        out[inp.index] = records.evolve(inp, low=Decimal(low), high=Decimal(high))
    return records.evolve(rs, inputs=tuple(out))


def _check_fixed(rs: model.CheckedRuleset, fixed: Mapping[str, Any]) -> None:
    inputs = {i.name: i for i in rs.inputs}
    for name, raw in fixed.items():
        if name not in inputs:
            raise IntentionError(say.INTENTION_UNKNOWN_INPUT(name=name))
        problem = convert(inputs[name], raw)[1]
        if problem is not None:
            raise IntentionError(checks.FIXED_VALUE(name=name, problem=problem[0]))


