"""Syntax nodes: what the rule file says, as written, each with its span.

Frozen attrs classes that mirror the grammar. Nothing here evaluates or checks;
`check` turns these nodes into the checked model.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from perfrules.source import Source, Span

# ---- expressions ----------------------------------------------------------------


@attrs.frozen
class Number:
    value: Decimal
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Percent:
    """A percent literal; `value` is the fraction (95.13% -> 0.9513)."""

    value: Decimal
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class String:
    value: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Bool:
    value: bool
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Name:
    name: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Call:
    function: str
    args: tuple[Expr, ...]
    function_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)
    where: Expr | None = None  # aggregates over rows: `sum(T.COL where COND)`


@attrs.frozen
class ColumnRef:
    """`T.COL`: a column of a rows input, written only as an aggregate's argument."""

    table: str
    column: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Negate:
    operand: Expr
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Not:
    operand: Expr
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Binary:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr
    op_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Compare:
    op: Literal[">=", ">", "<=", "<", "==", "!="]
    left: Expr
    right: Expr
    op_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Logical:
    op: Literal["and", "or"]
    left: Expr
    right: Expr
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class If:
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = attrs.field(eq=False, repr=False)


Expr = Number | Percent | String | Bool | Name | Call | ColumnRef | Negate | Not | Binary | Compare | Logical | If


@attrs.frozen
class Template:
    """A `because` text: literal pieces and `{expr}` insertions."""

    parts: tuple[str | Expr, ...]
    span: Span = attrs.field(eq=False, repr=False)


# ---- header ----------------------------------------------------------------------


@attrs.frozen
class RatingArm:
    op: str | None  # None for `else`
    threshold: Expr | None
    label: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Rating:
    arms: tuple[RatingArm, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class HeaderItem:
    key: Literal["version", "total", "precision", "cite", "rating"]
    value: str | Decimal | Rating
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Header:
    name: str
    items: tuple[HeaderItem, ...]
    name_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


# ---- declarations ---------------------------------------------------------------


@attrs.frozen
class TypeSpec:
    kind: Literal["number", "percent", "count", "bool", "text", "grade", "measure", "direction"]
    labels: tuple[str, ...] = ()
    label_spans: tuple[Span, ...] = attrs.field(default=(), eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False, kw_only=True)


@attrs.frozen
class Input:
    name: str
    type: TypeSpec
    low: Expr | None
    high: Expr | None
    label: str | None
    default: Expr | None
    name_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Column:
    """One column of a `rows` input."""

    name: str
    type: TypeSpec
    optional: bool
    low: Expr | None
    high: Expr | None
    label: str | None
    default: Expr | None
    name_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class RowsInput:
    """`input NAME: rows "label" { COLUMN ... }`: a table of records (spec section 10)."""

    name: str
    label: str | None
    columns: tuple[Column, ...]
    name_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Param:
    name: str
    expr: Expr
    label: str | None
    cite: str | None
    name_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Let:
    name: str
    type: TypeSpec | None
    expr: Expr
    name_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


# ---- indicators -----------------------------------------------------------------


@attrs.frozen
class Outcome:
    """A tier/grade/checklist result: `full`, a share of the weight, or points."""

    kind: Literal["full", "share", "points"]
    value: Decimal
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class TierArm:
    op: str | None  # None for `else`
    value: Expr | None
    outcome: Outcome
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class GradeArm:
    label: str | None  # None for `else`
    outcome: Outcome
    label_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class CheckItem:
    text: str
    outcome: Outcome
    condition: Expr | None
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Band:
    label: str
    low: Expr
    low_closed: bool
    high: Expr
    high_closed: bool
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Rule:
    """The one scoring rule of a leaf indicator."""

    kind: Literal["full", "ratio", "score", "tiers", "grade", "checklist", "judged"]
    expr: Expr | None = None
    tiers: tuple[TierArm, ...] = ()
    grades: tuple[GradeArm, ...] = ()
    items: tuple[CheckItem, ...] = ()
    bands: tuple[Band, ...] | None = None
    because: Template | None = None
    from_column: Name | None = None  # `judged from COLUMN` (rows)
    band_column: Name | None = None  # `judged from COLUMN band COLUMN`
    span: Span = attrs.field(eq=False, repr=False, kw_only=True)


@attrs.frozen
class Per:
    step: Expr
    rounding: Literal["exact", "whole", "started"]
    of: Expr
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Clause:
    key: Literal["when", "cap", "because"]
    value: Expr | Template
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Adjustment:
    kind: Literal["deduct", "bonus"]
    amount: Expr
    per: Per | None
    clauses: tuple[Clause, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Applies:
    condition: Expr
    otherwise: Literal["full", "rescale", "share"]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Note:
    text: str
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Setting:
    """A setting of an `each` block: `where COND`, `group COL`, `key COL`, `weight COL|evenly`."""

    key: Literal["where", "group", "key", "weight"]
    value: Expr | Name | None  # None: `weight evenly`
    span: Span = attrs.field(eq=False, repr=False)


LeafItem = Rule | Adjustment | Applies | Note


@attrs.frozen
class EachArm:
    """`when COND { LEAF BODY }`, or `else { LEAF BODY }` (condition None)."""

    condition: Expr | None
    items: tuple[LeafItem, ...]
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Each:
    """`each TABLE { settings; LEAF BODY or arms }`: one leaf per selected row (spec section 10)."""

    table: str
    items: tuple[Setting | EachArm | LeafItem, ...]
    table_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class Indicator:
    name: str
    label: str | None
    weight: Decimal | None  # None: the sum of its rows' weights (an `each … weight COLUMN`)
    cite: str | None
    items: tuple[Indicator | Rule | Adjustment | Applies | Note | Each, ...]
    name_span: Span = attrs.field(eq=False, repr=False)
    weight_span: Span = attrs.field(eq=False, repr=False)
    span: Span = attrs.field(eq=False, repr=False)
    out_of: Decimal | None = None  # `weight 80 out of 100` (spec section 11)


@attrs.frozen
class Veto:
    condition: Expr
    because: Template
    span: Span = attrs.field(eq=False, repr=False)


Statement = Header | Input | RowsInput | Param | Let | Indicator | Adjustment | Veto


@attrs.frozen
class RuleFile:
    """A parsed rule file. `chinese_keywords` tells how bools print in reasons."""

    source: Source = attrs.field(eq=False, repr=False)
    statements: tuple[Statement, ...]
    chinese_keywords: bool = False
