"""The checked ruleset: names resolved, types known, weights verified, outcomes in points.

Built by `check` from the AST; consumed by `compile`, `facts`, the renderers and
`testing`. Never imports `ast`: a model node keeps only its span and source text.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

import attrs

from .source import Source, Span

Kind = Literal["number", "percent", "count", "bool", "text", "grade"]
NUMERIC: frozenset[str] = frozenset({"number", "percent", "count"})


@attrs.frozen
class ValueType:
    """The type of a value; a grade type carries its labels, best first."""

    kind: Kind
    labels: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    def describe(self) -> str:
        if self.kind == "grade":
            return "grade(" + ", ".join(self.labels) + ")"
        return self.kind


NUMBER = ValueType("number")
PERCENT = ValueType("percent")
COUNT = ValueType("count")
BOOL = ValueType("bool")
TEXT = ValueType("text")

Value = Decimal | int | bool | str

# ---- typed expressions -----------------------------------------------------------


@attrs.frozen
class Const:
    value: Value
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class InputRef:
    name: str
    index: int
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class ParamRef:
    name: str
    value: Value
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class LetRef:
    name: str
    index: int
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Unary:
    op: Literal["-", "not"]
    operand: Expr
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Binary:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Compare:
    """A comparison; grades compare by rank (0 = best), so `>=` means 'at least as good'."""

    op: Literal[">=", ">", "<=", "<", "==", "!=", "better>=", "better>", "worse<=", "worse<"]
    left: Expr
    right: Expr
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Logical:
    op: Literal["and", "or"]
    left: Expr
    right: Expr
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class IfElse:
    condition: Expr
    then: Expr
    otherwise: Expr
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Call:
    function: Literal["min", "max", "abs", "floor", "ceil", "round", "clamp", "shortfall", "excess"]
    args: tuple[Expr, ...]
    type: ValueType
    span: Span = attrs.field(eq=False, repr=False)


Expr = Const | InputRef | ParamRef | LetRef | Unary | Binary | Compare | Logical | IfElse | Call


def children(expr: Expr) -> tuple[Expr, ...]:
    """The immediate sub-expressions of an expression, left to right."""
    match expr:
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=a, right=b) | Compare(left=a, right=b) | Logical(left=a, right=b):
            return (a, b)
        case IfElse(condition=c, then=t, otherwise=o):
            return (c, t, o)
        case Call(args=args):
            return args
    return ()


def walk(expr: Expr) -> Iterator[Expr]:
    """An expression and everything inside it, parents first, left to right."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


@attrs.frozen
class Template:
    """A `because` text with `{expr}` insertions."""

    parts: tuple[str | Expr, ...]
    span: Span = attrs.field(eq=False, repr=False)


# ---- declarations ----------------------------------------------------------------


@attrs.frozen
class Input:
    name: str
    index: int
    type: ValueType
    low: Decimal | None
    high: Decimal | None
    label: str | None
    default: Value | None
    has_default: bool
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Param:
    name: str
    value: Value
    type: ValueType
    label: str | None
    cite: str | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Let:
    name: str
    index: int
    type: ValueType
    expr: Expr
    span: Span = attrs.field(eq=False, repr=False)


# ---- indicators -------------------------------------------------------------------


@attrs.frozen
class TierArm:
    """`op value: outcome`; op None is the `else` arm. `points` is already in points."""

    op: str | None
    value: Decimal | None
    value_text: str
    points: Decimal
    outcome_text: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class GradeArm:
    label: str | None
    points: Decimal
    outcome_text: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class CheckItem:
    text: str
    points: Decimal
    condition: Expr | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Band:
    """A judged band, in points: [low, high] with open or closed ends."""

    label: str
    low: Decimal
    low_closed: bool
    high: Decimal
    high_closed: bool
    text: str
    span: Span = attrs.field(eq=False, repr=False)

    def contains(self, points: Decimal) -> bool:
        above = points >= self.low if self.low_closed else points > self.low
        below = points <= self.high if self.high_closed else points < self.high
        return above and below


RuleKind = Literal["full", "ratio", "score", "tiers", "grade", "checklist", "judged"]


@attrs.frozen
class Rule:
    kind: RuleKind
    expr: Expr | None
    tiers: tuple[TierArm, ...]
    grades: tuple[GradeArm, ...]
    items: tuple[CheckItem, ...]
    bands: tuple[Band, ...] | None
    because: Template | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Per:
    step: Expr
    rounding: Literal["exact", "whole", "started"]
    of: Expr


@attrs.frozen
class Adjustment:
    kind: Literal["deduct", "bonus"]
    amount: Expr
    per: Per | None
    when: Expr | None
    cap: Expr | None
    because: Template | None
    span: Span = attrs.field(eq=False, repr=False)

    def expressions(self) -> list[Expr]:
        """The formulas this adjustment computes with (its `because` text aside)."""
        out = [e for e in (self.amount, self.when, self.cap) if e is not None]
        if self.per is not None:
            out.extend((self.per.step, self.per.of))
        return out


@attrs.frozen
class Applies:
    condition: Expr
    otherwise: Literal["full", "rescale"]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Indicator:
    """A group (children) or a leaf (rule + adjustments). `index` is its file order."""

    index: int
    path: str
    name: str
    label: str | None
    weight: Decimal
    cite: str | None
    note: str | None
    depth: int
    children: tuple[Indicator, ...]
    rule: Rule | None
    adjustments: tuple[Adjustment, ...]
    applies: Applies | None
    span: Span = attrs.field(eq=False, repr=False)

    @property
    def is_leaf(self) -> bool:
        return self.rule is not None

    def expressions(self) -> list[Expr]:
        """The formulas of this indicator itself (not its children; `because` texts aside)."""
        out: list[Expr] = []
        if self.applies is not None:
            out.append(self.applies.condition)
        if self.rule is not None:
            if self.rule.expr is not None:
                out.append(self.rule.expr)
            out.extend(item.condition for item in self.rule.items if item.condition is not None)
        for adj in self.adjustments:
            out.extend(adj.expressions())
        return out

    def walk(self) -> list[Indicator]:
        """This indicator and all below it, in file order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@attrs.frozen
class RatingArm:
    op: str | None
    threshold: Decimal | None
    label: str


@attrs.frozen
class Veto:
    condition: Expr
    because: Template
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Ruleset:
    """A checked ruleset: everything the compiler and the renderers need."""

    name: str
    version: str | None
    total: Decimal
    precision: int
    cite: str | None
    rating: tuple[RatingArm, ...]
    inputs: tuple[Input, ...]
    params: tuple[Param, ...]
    lets: tuple[Let, ...]
    indicators: tuple[Indicator, ...]
    adjustments: tuple[Adjustment, ...]
    vetoes: tuple[Veto, ...]
    chinese_keywords: bool
    chinese: bool
    source: Source = attrs.field(eq=False, repr=False)

    def all_indicators(self) -> list[Indicator]:
        out: list[Indicator] = []
        for top in self.indicators:
            out.extend(top.walk())
        return out

    def leaves(self) -> list[Indicator]:
        return [i for i in self.all_indicators() if i.is_leaf]

    def find(self, path: str) -> Indicator | None:
        for ind in self.all_indicators():
            if ind.path == path:
                return ind
        return None
