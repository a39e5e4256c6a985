"""Syntax nodes: what the rule file says, as written, each with its span.

Frozen attrs classes that mirror the grammar. Nothing here evaluates or checks;
`check` turns these nodes into the checked model.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from .source import Source, Span

node = attrs.frozen


def _span() -> Span:
    return attrs.field(eq=False, repr=False)  # type: ignore[no-any-return]


# ---- expressions ----------------------------------------------------------------


@node
class Number:
    value: Decimal
    span: Span = _span()


@node
class Percent:
    """A percent literal; `value` is the fraction (95.13% -> 0.9513)."""

    value: Decimal
    span: Span = _span()


@node
class String:
    value: str
    span: Span = _span()


@node
class Bool:
    value: bool
    span: Span = _span()


@node
class Name:
    name: str
    span: Span = _span()


@node
class Call:
    function: str
    args: tuple[Expr, ...]
    function_span: Span = _span()
    span: Span = _span()


@node
class Negate:
    operand: Expr
    span: Span = _span()


@node
class Not:
    operand: Expr
    span: Span = _span()


@node
class Binary:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr
    op_span: Span = _span()
    span: Span = _span()


@node
class Compare:
    op: Literal[">=", ">", "<=", "<", "==", "!="]
    left: Expr
    right: Expr
    op_span: Span = _span()
    span: Span = _span()


@node
class Logical:
    op: Literal["and", "or"]
    left: Expr
    right: Expr
    span: Span = _span()


@node
class If:
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = _span()


Expr = Number | Percent | String | Bool | Name | Call | Negate | Not | Binary | Compare | Logical | If


@node
class Template:
    """A `because` text: literal pieces and `{expr}` insertions."""

    parts: tuple[str | Expr, ...]
    span: Span = _span()


# ---- header ----------------------------------------------------------------------


@node
class RatingArm:
    op: str | None  # None for `else`
    threshold: Expr | None
    label: str
    span: Span = _span()


@node
class Rating:
    arms: tuple[RatingArm, ...]
    span: Span = _span()


@node
class HeaderItem:
    key: Literal["version", "total", "precision", "cite", "rating"]
    value: str | Decimal | Rating
    span: Span = _span()


@node
class Header:
    name: str
    items: tuple[HeaderItem, ...]
    name_span: Span = _span()
    span: Span = _span()


# ---- declarations ---------------------------------------------------------------


@node
class TypeSpec:
    kind: Literal["number", "percent", "count", "bool", "text", "grade"]
    labels: tuple[str, ...] = ()
    label_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False, kw_only=True)


@node
class Input:
    name: str
    type: TypeSpec
    low: Expr | None
    high: Expr | None
    label: str | None
    default: Expr | None
    name_span: Span = _span()
    span: Span = _span()


@node
class Param:
    name: str
    expr: Expr
    label: str | None
    cite: str | None
    name_span: Span = _span()
    span: Span = _span()


@node
class Let:
    name: str
    type: TypeSpec | None
    expr: Expr
    name_span: Span = _span()
    span: Span = _span()


# ---- indicators -----------------------------------------------------------------


@node
class Outcome:
    """A tier/grade/checklist result: `full`, a share of the weight, or points."""

    kind: Literal["full", "share", "points"]
    value: Decimal
    span: Span = _span()


@node
class TierArm:
    op: str | None  # None for `else`
    value: Expr | None
    outcome: Outcome
    span: Span = _span()


@node
class GradeArm:
    label: str | None  # None for `else`
    outcome: Outcome
    label_span: Span = _span()
    span: Span = _span()


@node
class CheckItem:
    text: str
    outcome: Outcome
    condition: Expr | None
    span: Span = _span()


@node
class Band:
    label: str
    low: Expr
    low_closed: bool
    high: Expr
    high_closed: bool
    span: Span = _span()


@node
class Rule:
    """The one scoring rule of a leaf indicator."""

    kind: Literal["full", "ratio", "score", "tiers", "grade", "checklist", "judged"]
    expr: Expr | None = None
    tiers: tuple[TierArm, ...] = ()
    grades: tuple[GradeArm, ...] = ()
    items: tuple[CheckItem, ...] = ()
    bands: tuple[Band, ...] | None = None
    because: Template | None = None
    keyword_span: Span = attrs.field(eq=False, repr=False, kw_only=True)
    span: Span = attrs.field(eq=False, repr=False, kw_only=True)


@node
class Per:
    step: Expr
    rounding: Literal["exact", "whole", "started"]
    of: Expr
    span: Span = _span()


@node
class Clause:
    key: Literal["when", "cap", "because"]
    value: Expr | Template
    span: Span = _span()


@node
class Adjustment:
    kind: Literal["deduct", "bonus"]
    amount: Expr
    per: Per | None
    clauses: tuple[Clause, ...]
    span: Span = _span()


@node
class Applies:
    condition: Expr
    otherwise: Literal["full", "rescale"]
    span: Span = _span()


@node
class Note:
    text: str
    span: Span = _span()


@node
class Indicator:
    name: str
    label: str | None
    weight: Decimal
    cite: str | None
    items: tuple[Indicator | Rule | Adjustment | Applies | Note, ...]
    name_span: Span = _span()
    weight_span: Span = _span()
    span: Span = _span()


@node
class Veto:
    condition: Expr
    because: Template
    span: Span = _span()


Statement = Header | Input | Param | Let | Indicator | Adjustment | Veto


@node
class RuleFile:
    """A parsed rule file. `chinese_keywords` tells how bools print in reasons."""

    source: Source = attrs.field(eq=False, repr=False)
    statements: tuple[Statement, ...]
    chinese_keywords: bool = False
