"""How large a value can grow: the `{…}` insertions of reasons that may pass the engine's limit.

The engine's decimal context traps every value of 10^30 or more (decimal_context.CONTEXT,
Emax): such a value could not be rounded to the ruleset's precision within 40 digits.
The compiled evaluator computes points, so an overflow there is an E503 at once. The
insertions of `because` texts are computed later, when a reason is printed; an insertion
that may overflow is therefore also computed at evaluation (engine.Ruleset), so that a
result that exists can always be printed. Which insertions may overflow is decided here
once per ruleset, from a bound on the size of every value: nearly all are a name or a
small formula, and cost nothing at evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from perfrules import records
from perfrules.semantics import model

# Values below 10^LIMIT are safe: decimal_context.CONTEXT's Emax is LIMIT - 1.
LIMIT = 30
# Facts numbers and counts are below 10^18 (facts.MAX_MAGNITUDE).
FACTS = 18
_UNBOUNDED = math.inf


def _digits(value: Any) -> float:
    """Decimal digits before the point of a constant: |value| < 10^result."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return 1
    number = Decimal(value)
    if not number.is_finite():
        return _UNBOUNDED
    if number.is_zero():
        return 0
    return max(number.adjusted() + 1, 0)


class _Bounds:
    def __init__(self, ruleset: model.CheckedRuleset):
        self.ruleset = ruleset
        self.lets: dict[int, float] = {}

    def of(self, expr: model.Expr) -> float:
        """An exponent e with |value| < 10^e for every facts within the facts limits."""
        match expr:
            case model.Const(value=value) | model.ParamRef(value=value):
                return _digits(value)
            case model.InputRef(index=index):
                inp = self.ruleset.inputs[index]
                return max(FACTS, _digits(inp.default) if inp.has_default else 0)
            case model.LetRef(index=index):
                if index not in self.lets:
                    self.lets[index] = _UNBOUNDED  # a cycle (never passes the checker) stays unbounded
                    self.lets[index] = self.of(self.ruleset.lets[index].expr)
                return self.lets[index]
            case model.Unary(operand=operand):
                return self.of(operand)
            case model.Binary(op=op, left=left, right=right):
                a, b = self.of(left), self.of(right)
                if op in ("+", "-"):
                    return max(a, b) + 1
                if op == "*":
                    return a + b
                if isinstance(right, (model.Const, model.ParamRef)) and isinstance(right.value, (int, Decimal)) \
                        and not isinstance(right.value, bool) and Decimal(right.value).is_finite() \
                        and not Decimal(right.value).is_zero():  # fmt: skip
                    return a - Decimal(right.value).adjusted()
                return _UNBOUNDED  # a divisor from the facts may be as small as 10^-30
            case model.Compare() | model.Logical():
                return 1
            case model.IfElse(then=then, otherwise=otherwise):
                return max(self.of(then), self.of(otherwise))
            case model.Call(args=args):
                return max((self.of(a) for a in args), default=0) + 1
        return _UNBOUNDED  # an expression kind added later: computed at evaluation, to be safe


def templates(ruleset: model.CheckedRuleset) -> Iterator[model.Template]:
    """Every `because` template of a checked ruleset: of rules and adjustments (of indicators, of
    `each` arms, of the whole ruleset) and of vetoes, the three places the model has one.

    Read from those places rather than by walking every node (`all_templates`): an expanded rows
    ruleset has thousands of nodes, and the walk cost more than the rest of a new project's
    evaluation (bench/rows.py). tests/test_bounds.py holds the two equal on every ruleset."""
    seen: set[int] = set()

    def of(rule: model.Rule | None, adjustments: tuple[model.Adjustment, ...]) -> Iterator[model.Template]:
        for template in (rule.because if rule is not None else None, *(a.because for a in adjustments)):
            if template is not None and id(template) not in seen:
                seen.add(id(template))
                yield template

    for ind in ruleset.all_indicators():
        yield from of(ind.rule, ind.adjustments)
        if ind.each is not None:
            for arm in ind.each.arms:
                yield from of(arm.rule, arm.adjustments)
    yield from of(None, ruleset.adjustments)
    for veto in ruleset.vetoes:
        if id(veto.because) not in seen:
            seen.add(id(veto.because))
            yield veto.because


def all_templates(ruleset: model.CheckedRuleset) -> Iterator[model.Template]:
    """Every `because` template of a checked ruleset, found by walking all its records: the
    reference that `templates` is tested against (a Template added to the model elsewhere)."""
    seen: set[int] = set()
    stack: list[Any] = [ruleset]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, model.Template):
            yield node
            continue
        if isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif records.has(type(node)):
            for field in records.fields(type(node)):
                if field.name not in ("span", "source"):
                    stack.append(getattr(node, field.name))


def risky_insertions(ruleset: model.CheckedRuleset) -> tuple[model.Expr, ...]:
    """The `{…}` insertions whose value may reach 10^30 for facts within the limits."""
    bounds = _Bounds(ruleset)
    risky: list[model.Expr] = []
    for template in templates(ruleset):
        risky.extend(part for part in template.insertions() if bounds.of(part) > LIMIT)
    risky.sort(key=lambda e: e.span.start)
    return tuple(risky)
