"""The checked ruleset: names resolved, types known, weights verified, outcomes in points.

Built by `check` from the AST; consumed by `compile`, `facts`, the renderers and
`testing`. Never imports `ast`: a model node keeps only its span and source text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Literal

from perfrules import records
from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.decimal_context import CONTEXT
from perfrules.source import Source, Span

Kind = Literal["number", "percent", "count", "bool", "text", "grade", "measure", "rows"]
# A measure (spec section 10) is a number in arithmetic: its own percent sign decides, row by row.
NUMERIC: frozenset[str] = frozenset({"number", "percent", "count", "measure"})


@records.record
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

    def said(self) -> Said:
        """The type as a message names it, in either language: `count`, 计数, `grade(优, 良)`."""
        if self.kind == "grade":
            return say.TYPE_GRADE(labels=self.labels)
        return say.TYPE_NAMES[self.kind]()


NUMBER = ValueType("number")
PERCENT = ValueType("percent")
COUNT = ValueType("count")
BOOL = ValueType("bool")
TEXT = ValueType("text")
MEASURE = ValueType("measure")
ROWS = ValueType("rows")
# `direction` behaves as a grade with these four labels (spec section 10).
DIRECTION = ValueType("grade", ("正向", "反向", "等于", "定性"))

Value = Decimal | int | bool | str | Any  # Any: a Measure, or a rows table (tuple of Row)

# ---- typed expressions -----------------------------------------------------------


@records.record
class Const:
    value: Value
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class InputRef:
    name: str
    index: int
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class ParamRef:
    name: str
    value: Value
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class LetRef:
    name: str
    index: int
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class Unary:
    op: Literal["-", "not"]
    operand: Expr
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class Binary:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class Compare:
    """A comparison; grades compare by rank (0 = best), so `>=` means 'at least as good'."""

    op: Literal[">=", ">", "<=", "<", "==", "!="]
    left: Expr
    right: Expr
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class Logical:
    op: Literal["and", "or"]
    left: Expr
    right: Expr
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class IfElse:
    condition: Expr
    then: Expr
    otherwise: Expr
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class Call:
    function: Literal["min", "max", "abs", "floor", "ceil", "round", "clamp", "shortfall", "excess",
                      "achievement", "qualitative", "given", "no_rows"]
    args: tuple[Expr, ...]
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


@records.record
class ColumnRef:
    """A column of the row being scored (bare, inside `each` or a `where`), or `T.COL` of an aggregate."""

    table: int  # the rows input's index
    column: str
    type: ValueType
    optional: bool
    span: Span = records.field(eq=False, repr=False)


@records.record
class Aggregate:
    """`sum(T.COL where C)`, `count(T where C)`, `mean`, `weighted_mean`, `min`, `max` over rows (spec 13)."""

    function: Literal["sum", "count", "mean", "weighted_mean", "min", "max"]
    table: int
    column: ColumnRef | None  # None for count
    weight: ColumnRef | None  # weighted_mean's weight column
    where: Expr | None
    type: ValueType
    span: Span = records.field(eq=False, repr=False)


Expr = Const | InputRef | ParamRef | LetRef | Unary | Binary | Compare | Logical | IfElse | Call | ColumnRef | Aggregate


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
        case Aggregate(column=column, weight=weight, where=where):
            return tuple(e for e in (column, weight, where) if e is not None)
    return ()


def walk(expr: Expr) -> Iterator[Expr]:
    """An expression and everything inside it, parents first, left to right."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


@records.record
class Template:
    """A `because` text with `{expr}` insertions."""

    parts: tuple[str | Expr, ...]
    span: Span = records.field(eq=False, repr=False)

    def insertions(self) -> list[Expr]:
        """The `{expr}` insertions, in order."""
        return [p for p in self.parts if not isinstance(p, str)]


# ---- declarations ----------------------------------------------------------------


@records.record
class Column:
    """A column of a rows input; `optional` columns may be missing from a row."""

    name: str
    index: int
    type: ValueType
    optional: bool
    low: Decimal | None
    high: Decimal | None
    label: str | None
    default: Value | None
    has_default: bool
    span: Span = records.field(eq=False, repr=False)


@records.record
class Input:
    name: str
    index: int
    type: ValueType
    low: Decimal | None
    high: Decimal | None
    label: str | None
    default: Value | None
    has_default: bool
    span: Span = records.field(eq=False, repr=False)
    columns: tuple[Column, ...] = ()  # a rows input's columns
    is_direction: bool = False  # declared `direction` (facts may then write ≥ ≤ =)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@records.record
class Param:
    name: str
    value: Value
    type: ValueType
    label: str | None
    cite: str | None
    span: Span = records.field(eq=False, repr=False)


@records.record
class Let:
    name: str
    index: int
    type: ValueType
    expr: Expr
    span: Span = records.field(eq=False, repr=False)


# ---- indicators -------------------------------------------------------------------


@records.record
class TierArm:
    """`op value: outcome`; op None is the `else` arm. `points` is already in points."""

    op: str | None
    value: Decimal | None
    value_text: str
    points: Decimal
    outcome_text: str
    span: Span = records.field(eq=False, repr=False)
    share: Decimal | None = None  # `full` or a percent: that share of the weight (rows rescale it)


@records.record
class GradeArm:
    label: str | None
    points: Decimal
    outcome_text: str
    span: Span = records.field(eq=False, repr=False)
    share: Decimal | None = None


@records.record
class CheckItem:
    text: str
    points: Decimal
    condition: Expr | None
    span: Span = records.field(eq=False, repr=False)
    share: Decimal | None = None


@records.record
class Band:
    """A judged band, in points: [low, high] with open or closed ends."""

    label: str
    low: Decimal
    low_closed: bool
    high: Decimal
    high_closed: bool
    text: str
    span: Span = records.field(eq=False, repr=False)

    def contains(self, points: Decimal) -> bool:
        above = points >= self.low if self.low_closed else points > self.low
        below = points <= self.high if self.high_closed else points < self.high
        return above and below


RuleKind = Literal["full", "ratio", "score", "tiers", "grade", "checklist", "judged"]


@records.record
class Rule:
    kind: RuleKind
    expr: Expr | None  # for `judged from COLUMN`: the column (a row's value once rows are expanded)
    tiers: tuple[TierArm, ...]
    grades: tuple[GradeArm, ...]
    items: tuple[CheckItem, ...]
    bands: tuple[Band, ...] | None
    because: Template | None
    span: Span = records.field(eq=False, repr=False)
    band_column: Expr | None = None  # `judged from COLUMN band COLUMN`


@records.record
class Per:
    step: Expr
    rounding: Literal["exact", "whole", "started"]
    of: Expr


@records.record
class Adjustment:
    kind: Literal["deduct", "bonus"]
    amount: Expr
    per: Per | None
    when: Expr | None
    cap: Expr | None
    because: Template | None
    span: Span = records.field(eq=False, repr=False)

    def expressions(self) -> list[Expr]:
        """The formulas this adjustment computes with (its `because` text aside)."""
        out = [e for e in (self.amount, self.when, self.cap) if e is not None]
        if self.per is not None:
            out.extend((self.per.step, self.per.of))
        return out


@records.record
class Applies:
    condition: Expr
    otherwise: Literal["full", "rescale", "share"]
    span: Span = records.field(eq=False, repr=False)


@records.record
class LeafBody:
    """What a leaf holds: one rule, adjustments, `applies`, `note` (an `each` arm, spec section 10)."""

    condition: Expr | None  # the arm's `when`; None for `else` or a body without arms
    rule: Rule
    adjustments: tuple[Adjustment, ...]
    applies: Applies | None
    note: str | None
    span: Span = records.field(eq=False, repr=False)


@records.record
class Each:
    """`each TABLE { ... }`: the indicator's children are made from the rows at evaluation."""

    table: int
    where: Expr | None
    group: ColumnRef | None
    key: ColumnRef | None
    weight: ColumnRef | None  # None: `weight evenly`
    arms: tuple[LeafBody, ...]
    span: Span = records.field(eq=False, repr=False)


@records.record
class RowInfo:
    """Where an expanded leaf came from: a row of a rows input."""

    table: str
    number: int  # from 1, in the order written
    key: str
    values: tuple[tuple[str, Any], ...]  # column -> value as read (a Measure keeps its text)
    labels: tuple[tuple[str, str], ...]  # column -> its label, for the form's columns


@records.record
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
    span: Span = records.field(eq=False, repr=False)
    out_of: Decimal | None = None  # `weight W out of M`: children add up to M (spec section 11)
    each: Each | None = None  # rows scored at evaluation (spec section 10)
    weight_from_rows: bool = False  # no `weight`: the sum of its rows' weights
    row: RowInfo | None = None  # an expanded row leaf (or row sub-group)

    @property
    def is_leaf(self) -> bool:
        return self.rule is not None

    @property
    def can_share(self) -> bool:
        """Can it give its weight to its siblings (spec 12): `applies … else share`, or a group whose
        children all can (when none of them applies, the group is shared away itself)?"""
        if self.applies is not None and self.applies.otherwise == "share":
            return True
        return bool(self.children) and all(c.can_share for c in self.children)

    @property
    def drops_within(self) -> bool:
        """Can `rescale` drop weight below it?"""
        return any((c.applies is not None and c.applies.otherwise == "rescale") or c.drops_within
                   for c in self.children)  # fmt: skip

    def dropped_within(self, applies: Callable[[Indicator], bool]) -> Decimal:
        """The weight that `rescale` dropped inside this group (spec 6), on its children's scale: every child
        that does not apply and drops its weight, and inside every other child, what it dropped, converted
        to this scale. `applies`: whether an indicator applied (its own `applies`)."""
        total = Decimal(0)
        for child in self.children:
            if child.applies is not None and child.applies.otherwise == "rescale" and not applies(child):
                total = CONTEXT.add(total, child.weight)
            elif child.drops_within and applies(child):
                total = CONTEXT.add(total, child.dropped_for_parent(applies))
        return total

    def dropped_for_parent(self, applies: Callable[[Indicator], bool]) -> Decimal:
        """`dropped_within` on its parent's scale: × weight ÷ scale, as the evaluator works it, in its context."""
        inner = self.dropped_within(applies)
        return inner if self.weight == self.scale else CONTEXT.divide(CONTEXT.multiply(inner, self.weight), self.scale)

    @property
    def scale(self) -> Decimal:
        """What the children's weights add up to: `out of`, else the weight."""
        return self.out_of if self.out_of is not None else self.weight

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


@records.record
class RatingArm:
    op: str | None
    threshold: Decimal | None
    label: str


@records.record
class Veto:
    condition: Expr
    because: Template
    span: Span = records.field(eq=False, repr=False)


@records.record
class CheckedRuleset:
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
    source: Source = records.field(eq=False, repr=False)

    def key_column(self, table: int) -> str | None:
        """The column an `each` over this rows input names its rows by, for messages."""
        for ind in self.all_indicators():
            if ind.each is not None and ind.each.table == table and ind.each.key is not None:
                return ind.each.key.column
        return None

    @property
    def has_rows(self) -> bool:
        """Rows or measures: expanded against the facts before compiling (see rows.py)."""
        return any(i.type.kind in ("rows", "measure") for i in self.inputs)

    def all_indicators(self) -> list[Indicator]:
        out: list[Indicator] = []
        for top in self.indicators:
            out.extend(top.walk())
        return out

    def leaves(self) -> list[Indicator]:
        return [i for i in self.all_indicators() if i.is_leaf]

    def inputs_read(self, exprs: list[Expr]) -> set[int]:
        """The numbers of the inputs these expressions read, directly or through lets."""
        pending = list(exprs)
        found: set[int] = set()
        seen_lets: set[int] = set()
        while pending:
            for e in walk(pending.pop()):
                if isinstance(e, InputRef):
                    found.add(e.index)
                elif isinstance(e, LetRef) and e.index not in seen_lets:
                    seen_lets.add(e.index)
                    pending.append(self.lets[e.index].expr)
        return found

    def find(self, path: str) -> Indicator | None:
        for ind in self.all_indicators():
            if ind.path == path:
                return ind
        return None
