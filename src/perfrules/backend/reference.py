"""The reference evaluator: the language's meaning read straight off the checked model.

The compiled evaluator (compile.py) is fast because it is generated code; this module is
slow because it is not. It walks the model with `arithmetic.interpret` and says, in the
plainest code, what spec sections 3, 6, 11 and 12 say a score is. Tests compare the two
on every indicator of every shipped ruleset and of generated facts (tests/test_reference.py):
two independent readings of the spec that must agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from perfrules import decimal_context, records
from perfrules.semantics import arithmetic, model


@records.record
class Scores:
    points: dict[str, Decimal]  # every indicator by path, rounded as the table shows it
    applicable: dict[str, bool]
    total: Decimal


class _Reference:
    def __init__(self, rs: model.CheckedRuleset, values: Sequence[Any], judged: Sequence[Decimal]):
        self.rs = rs
        self.values = values
        self.judged = list(judged)
        self.lets: dict[int, Any] = {}
        self.points: dict[str, Decimal] = {}
        self.applicable: dict[str, bool] = {}
        self.dropped = arithmetic.ZERO

    def let(self, index: int) -> Any:
        if index not in self.lets:
            self.lets[index] = arithmetic.interpret(self.rs.lets[index].expr, self.values, self.let)
        return self.lets[index]

    def value(self, expr: model.Expr) -> Any:
        return arithmetic.interpret(expr, self.values, self.let)

    def round(self, value: Decimal) -> Decimal:
        return arithmetic.round_half_up(value, self.rs.precision)

    def run(self) -> Scores:
        total_weight = self.rs.total
        raw = sum((self.indicator(ind, Decimal(1), top=True) for ind in self.rs.indicators), arithmetic.ZERO)
        total = raw
        if self.dropped:
            if self.dropped >= total_weight:
                raise _NothingApplies()
            total = self.round(raw * total_weight / (total_weight - self.dropped))
        for adj in self.rs.adjustments:
            amount = self.adjustment(adj)
            total = total - amount if adj.kind == "deduct" else total + amount
        if self.rs.adjustments:
            total = self.round(min(max(total, arithmetic.ZERO), total_weight))
        if any(bool(self.value(v.condition)) for v in self.rs.vetoes):
            total = self.round(arithmetic.ZERO)
        return Scores(self.points, self.applicable, total)

    def mark(self, ind: model.Indicator, points: Decimal, applicable: bool) -> Decimal:
        self.points[ind.path] = points
        self.applicable[ind.path] = applicable
        return points

    def not_applicable(self, ind: model.Indicator, otherwise: str) -> None:
        for node in ind.walk():
            points = node.weight if otherwise == "full" else arithmetic.ZERO
            self.mark(node, self.round(points), False)

    def indicator(self, ind: model.Indicator, factor: Decimal, top: bool = False) -> Decimal:
        """An indicator's points; `factor` takes its weight to the top scale (for rescale)."""
        if ind.applies is not None and not bool(self.value(ind.applies.condition)):
            otherwise = ind.applies.otherwise
            self.not_applicable(ind, otherwise)
            if otherwise == "rescale" or (otherwise == "share" and top):
                self.dropped += ind.weight * factor
            return self.points[ind.path]
        if ind.is_leaf:
            return self.mark(ind, self.leaf(ind), True)
        child_factor = factor * ind.weight / ind.scale if ind.scale else factor
        sum_ = sum((self.indicator(c, child_factor) for c in ind.children), arithmetic.ZERO)
        shares = any(c.can_share for c in ind.children)
        if ind.out_of is None and not shares:
            return self.mark(ind, sum_, True)
        # spec 12: shared among the applicable children, whose weight is the scale less what was shared
        # away and what `rescale` dropped (spec 6: it drops out wherever it sits, and stays dropped)
        dropped = ind.dropped_within(self.applied) if shares else arithmetic.ZERO
        kept = ind.scale - dropped
        counted = kept - sum((self.given_away(c) for c in ind.children if self.shared_away(c)), arithmetic.ZERO)
        if counted <= 0:
            if not all(c.can_share for c in ind.children):  # a child that dropped its weight holds it
                return self.mark(ind, self.round(arithmetic.ZERO), True)
            # every child was shared away: the group does not apply either (spec 12); at the top level its weight
            # is rescaled, less what `rescale` dropped inside it (in `self.dropped` already)
            if top:
                self.dropped += ind.weight * kept / ind.scale if dropped else ind.weight
            return self.mark(ind, self.round(arithmetic.ZERO), False)
        if ind.out_of is None and counted == kept:
            return self.mark(ind, sum_, True)
        if not dropped:
            return self.mark(ind, self.round(sum_ * ind.weight / counted), True)
        return self.mark(ind, self.round(sum_ * ind.weight * kept / (ind.scale * counted)), True)

    def applied(self, ind: model.Indicator) -> bool:
        """Did its own `applies` hold (a group may still be shared away, none of its children applying)?"""
        return ind.applies is None or bool(self.value(ind.applies.condition))

    def given_away(self, ind: model.Indicator) -> Decimal:
        """The weight a child shared away gives its siblings: all of it, or, for a group none of whose children
        applies, what `rescale` left it (the dropped part stays dropped, counted by dropped_within)."""
        if ind.is_leaf or not ind.drops_within or not self.applied(ind):
            return ind.weight
        return ind.weight - ind.dropped_for_parent(self.applied)

    def shared_away(self, ind: model.Indicator) -> bool:
        """Did this child give its weight to its siblings (spec 12)?"""
        if not ind.can_share:
            return False
        own = ind.applies is not None and ind.applies.otherwise == "share" and not self.applicable[ind.path]
        return own or (not ind.is_leaf and not self.applicable[ind.path])

    def leaf(self, ind: model.Indicator) -> Decimal:
        rule = ind.rule
        assert rule is not None
        weight = ind.weight
        raw = rule_points(rule, weight, self.value)
        if raw is None:  # judged: the [judged] table in leaf order (a row judged from its column has its expr)
            raw = self.judged.pop(0)
        points = raw
        for adj in ind.adjustments:
            amount = self.adjustment(adj)
            points = points - amount if adj.kind == "deduct" else points + amount
        return self.round(min(max(points, arithmetic.ZERO), weight))

    def adjustment(self, adj: model.Adjustment) -> Decimal:
        if adj.when is not None and not bool(self.value(adj.when)):
            return arithmetic.ZERO
        amount = arithmetic.to_decimal(self.value(adj.amount))
        if adj.per is not None:
            steps = arithmetic.to_decimal(self.value(adj.per.of)) / arithmetic.to_decimal(self.value(adj.per.step))
            if adj.per.rounding == "whole":
                steps = arithmetic.floor(steps)
            elif adj.per.rounding == "started":
                steps = arithmetic.ceil(steps)
            amount = amount * steps
        if adj.cap is not None:
            amount = min(amount, arithmetic.to_decimal(self.value(adj.cap)))
        return max(amount, arithmetic.ZERO)


def rule_points(rule: model.Rule, weight: Decimal, value: Callable[[model.Expr], Any]) -> Decimal | None:
    """What a leaf's scoring rule awards, before its adjustments (spec 6), its formulas worked by `value`:
    `ratio` and `score` within [0, weight]; None for `judged` without a formula (the [judged] table's)."""
    match rule.kind:
        case "full":
            return weight
        case "ratio":
            assert rule.expr is not None
            return min(max(weight * arithmetic.to_decimal(value(rule.expr)), arithmetic.ZERO), weight)
        case "score":
            assert rule.expr is not None
            return min(max(arithmetic.to_decimal(value(rule.expr)), arithmetic.ZERO), weight)
        case "tiers":
            assert rule.expr is not None
            subject = value(rule.expr)
            return next(arm.points for arm in rule.tiers
                        if arm.op is None or arithmetic.compare(arm.op, subject, arm.value))
        case "grade":
            assert rule.expr is not None
            label = value(rule.expr)
            return next(arm.points for arm in rule.grades if arm.label == label or arm.label is None)
        case "checklist":
            return sum((item.points for item in rule.items
                        if item.condition is None or bool(value(item.condition))), arithmetic.ZERO)
        case _:  # judged: from the row (judged from), else the [judged] table
            return arithmetic.to_decimal(value(rule.expr)) if rule.expr is not None else None


class _NothingApplies(Exception):
    pass


def evaluate(rs: model.CheckedRuleset, values: Sequence[Any], judged: Sequence[Decimal] = ()) -> Scores:
    """Every indicator's points and the total, by the plain reading of the model (no overrides).

    `values` are validated input values in declaration order; `judged` the [judged] points of
    the `judged` leaves in file order. Raises arithmetic.DivisionByZero as the compiled code does.
    """
    with decimal_context.EngineContext():
        return _Reference(rs, values, judged).run()
