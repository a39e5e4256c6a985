"""Rows -> leaves: a ruleset whose rows are data, made concrete for one set of facts.

A rule file with `rows` inputs (spec section 10) says how any row is scored; the
facts say which rows there are. `expand` takes the checked model and the validated
facts and returns a model of version 1 shape: every `each` becomes a group of leaves
(one per selected row, under a sub-group per `group` value), every column a constant
of that row, every aggregate its value. That model then compiles and evaluates like
any other, so scores, reasons, `explain`, reports and overrides treat a row like any
leaf, with its path (`产出指标.数量指标.补贴渔船数`).

Every problem of the facts that only the rows reveal (weights that do not add up, a
duplicate key, a row that no `each` selects, a missing judged value) is reported at
once, naming the table, the row number and its key.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from perfrules import decimal_context, records
from perfrules.backend.reference import rule_points
from perfrules.catalogue import Said, lang_of, phrases
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Collector, Diagnostic, EvaluationError, FactsError
from perfrules.inputs.facts import MISSING, Row, RowsFactsError, validate
from perfrules.inputs.facts_file import Facts, key_span, row_span
from perfrules.semantics import arithmetic, model
from perfrules.semantics.measure import AchievementError, Measure, achievement, as_measure
from perfrules.source import Source, Span

Place = Said | str  # what a message names: a row (`T` row 3), an input, or "" for none

class _Substitute(Exception):
    """A condition `_Expander.row_value` does not read: `sub` substitutes it, then it is interpreted."""


_MISSING_VALUE = frozenset({"F304", "F307"})  # a judged row without points, an empty column read


class _Unreached(Exception):
    """A branch the row does not take would read what is not there: `_Expander.unreached` stands in."""


def cell_text(value: Any) -> str:
    """A key or group cell as a row's name: a number as written plainly, a text stripped."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return arithmetic.plain(value)
    return str(value).strip()


def evenly(scale: Decimal, unit: Decimal, groups: list[str] | None, count: int) -> list[Decimal]:
    """`weight evenly`: `scale` in units of the last decimal over `count` rows, the extra units to
    the rows in the order the result lists them (spec §10): sub-groups (`groups`, each row's) in
    first-seen order, rows in file order within each."""
    units = int((scale / unit).to_integral_value(rounding="ROUND_FLOOR"))
    base, extra = divmod(units, count)
    shares = [base] * count
    order = list(range(count))
    if groups is not None:
        first_seen = {group: k for k, group in reversed(list(enumerate(groups)))}
        order.sort(key=lambda k: (first_seen[groups[k]], k))
    for k in order[:extra]:
        shares[k] += 1
    return [share * unit for share in shares]


def _branches_type(type_: model.ValueType, then: model.Expr, otherwise: model.Expr,
                   taken: bool | None) -> model.ValueType:  # fmt: skip
    """An `if` is a percent when the branch it takes is one (a measure aggregate over percents, or
    `0%`), or, when that is not known here, when its branches are a percent and a percent or the
    guard's 0: the guard the docs give for a mean over no rows keeps the mean's kind."""
    if type_ != model.NUMBER:
        return type_
    if taken is not None:
        return model.PERCENT if (then if taken else otherwise).type == model.PERCENT else type_
    kinds = {b.type for b in (then, otherwise) if not (isinstance(b, model.Const) and b.value == 0)}
    return model.PERCENT if kinds == {model.PERCENT} else type_


def _kind(value: Measure) -> Said:
    if value.percent:
        return say.AGGREGATE_KIND_PERCENT()
    return say.AGGREGATE_KIND_UNIT(unit=value.unit) if value.unit else say.AGGREGATE_KIND_PLAIN()


def _stand_in(type_: model.ValueType) -> Any:
    """A value of the type, for a branch never evaluated."""
    if type_.kind == "bool":
        return False
    if type_.kind == "count":
        return 0
    if type_.kind == "text":
        return ""
    if type_.kind == "grade":
        return type_.labels[0] if type_.labels else ""
    if type_.kind == "measure":
        return as_measure(arithmetic.ZERO)
    return arithmetic.ZERO


def _never_scored(rule: model.Rule) -> model.Rule:
    """The rule of a row that does not apply and lacks what its own rule reads: never evaluated
    (`applies … else` decides its points), so a rule that reads nothing stands in."""
    return records.evolve(rule, kind="full", expr=None, tiers=(), grades=(), items=(), bands=None, because=None,
                        band_column=None)


class _Expander:
    def __init__(self, ruleset: model.CheckedRuleset, values: tuple[Any, ...], overridden: frozenset[str],
                 source: Source | None, incomplete: frozenset[int] = frozenset(),
                 left_out: Mapping[int, tuple[Row, ...] | None] | None = None):
        self.rs = ruleset
        # Rows inputs that lost rows with problems (facts.RowsFactsError): their sums and counts
        # are not known, so nothing is said of them; every other problem still is. An `each`
        # whose `where` is known to refuse every row left out (`left_out`: the rows as read)
        # still has its sums checked.
        self.incomplete = incomplete
        self.left_out = left_out or {}
        self.source = source  # the facts file, to name the line of a row
        self.values = values
        # Rows whose points the facts replace ([override]): a value the standard cannot score
        # (「完成」 against 「≤30万元」) is then no error, since the override stands in for it.
        self.overridden = overridden
        self.current_path = ""
        self.weights_unknown = bool(incomplete)
        self.reaching = True  # False inside a branch the row does not take (`unreached`)
        self.read_empty: set[tuple[int, int, str]] = set()  # (table, row number, column): F307 said of it
        self.percent_weighted: set[str] = set()  # paths whose rows' 分值 are percents of a weight they lack (F309)
        # paths whose rows split their weight evenly, but some of their rows were left out for
        # problems of their own: each row's share is not known, so no range is said for it
        self.shares_unknown: set[str] = set()
        self.facts_errors = Collector()
        self.eval_errors = Collector()
        self.let_values: dict[int, Any] = {}
        self.lets: list[model.Let] = []
        self.percent_lets: set[int] = set()  # lets of a measure aggregate whose values are percents
        self.aggregates: dict[int, model.Expr] = {}  # id of an Aggregate of the model -> its value here
        self.selected: dict[int, set[int]] = {}  # table -> row numbers some `each` selected
        self.scored_tables: dict[int, list[tuple[str, model.Expr | None]]] = {}
        self.lang = lang_of(ruleset.chinese)  # rows without a key are named in the file's language
        # table -> column name -> column (Input.column searches the columns: this runs per row)
        self.columns = {inp.index: {c.name: c for c in inp.columns} for inp in ruleset.inputs if inp.columns}

    # ---- errors ------------------------------------------------------------------------
    def facts_error(self, message: Said, help: Said | None = None,
                    at: tuple[model.Input, Row, str | None] | None = None) -> None:
        """A problem of the facts; `at` = (table, row, column) names the line that holds it. A value
        that is missing (F304, F307) is no problem in what a row does not reach (a branch not taken,
        a row that does not apply): nothing reads it. A value that is there and wrong still is."""
        if not self.reaching and message.code in _MISSING_VALUE:
            raise _Unreached
        span = row_span(self.source, at[0].name, at[1].number, at[2]) if at is not None else None
        where = None
        if span is None:
            where = f"facts[{at[0].name!r}][{at[1].number}]" if at is not None else "facts"
        self.facts_errors.items.append(Diagnostic(message, span, help=help, where=where))

    def complete_for(self, each: model.Each, table: model.Input) -> bool:
        """Whether `each` has all its rows: its table lost none, or its `where` reads only cells
        that the rows left out have readable, and refuses every one of them."""
        if each.table not in self.incomplete:
            return True
        rows = self.left_out.get(each.table)
        return rows is not None and all(self.left_selects(each, table, row) is False for row in rows)

    def left_selects(self, each: model.Each, table: model.Input, row: Row) -> bool | None:
        """Whether `each` selects `row`, a row left out for problems of its own: None when its
        `where` reads a cell of the row that could not be read (then nothing is known)."""
        if each.where is None:
            return True
        columns = self.columns[table.index]
        read = [columns[e.column].index for e in model.walk(each.where) if isinstance(e, model.ColumnRef)]
        if any(row.values[k] is None or row.values[k] is MISSING for k in read):
            return None
        said = len(self.facts_errors.items), len(self.eval_errors.items)
        try:
            return self.holds(each.where, row, table)
        except Exception:  # a condition this row cannot answer: nothing is known of it
            return None
        finally:  # what was found reading a row that has problems of its own is not said
            del self.facts_errors.items[said[0]:]
            del self.eval_errors.items[said[1]:]

    def left_names(self, each: model.Each, table: model.Input) -> dict[tuple[str, str], Row]:
        """The rows left out for problems of their own that `each` is known to select and whose
        name (group and key) can be read: a clean row of the same name is a duplicate of theirs."""
        if each.table not in self.incomplete or each.key is None:
            return {}
        names: dict[tuple[str, str], Row] = {}
        for row in self.left_out.get(each.table) or ():
            key = self.text_of(row, table, each.key.column)
            group = self.text_of(row, table, each.group.column) if each.group is not None else ""
            if key and (group or each.group is None) and self.left_selects(each, table, row):
                first = names.setdefault((group, key), row)
                if first is not row:  # two rows left out under one name: said now, as for clean rows
                    same = {"row": self.row_name(table, row, key), "first": first.number,
                            "column": each.key.column}
                    self.facts_error(say.F302_SAME_NAME_IN_GROUP(group=group, **same) if group else
                                     say.F302_SAME_NAME(**same),
                                     say.F302_OWN_NAME(), at=(table, row, each.key.column))
        return names

    def row_name(self, table: model.Input, row: Row, key: str | None = None) -> Said:
        """「`T` row 2 (乙)」: a row by its number, and its key when it has one (spec 10), whoever names it."""
        if key is None:
            column = self.rs.key_column(table.index)
            key = self.text_of(row, table, column) if column is not None else None
        if key:
            return say.ROW_KEYED(table=table.name, number=row.number, key=key)
        return say.ROW(table=table.name, number=row.number)

    # ---- values ------------------------------------------------------------------------
    def let(self, index: int) -> Any:
        if index not in self.let_values:
            self.let_values[index] = arithmetic.interpret(self.lets[index].expr, self.values, self.let)
        return self.let_values[index]

    def value(self, expr: model.Expr) -> Any:
        return arithmetic.interpret(expr, self.values, self.let)

    def sub(self, expr: model.Expr, row: Row | None, table: model.Input | None, where: Place = "") -> model.Expr:
        """The expression with this row's columns, aggregates and measures as constants."""
        match expr:
            case model.LetRef(index=index) if index in self.percent_lets:
                return records.evolve(expr, type=model.PERCENT)
            case model.ColumnRef(column=name, type=type_, span=span):
                assert row is not None and table is not None
                column = self.columns[table.index].get(name)
                assert column is not None
                value = row.values[column.index]
                if value is MISSING:  # F307; in a branch the row does not take, facts_error raises _Unreached
                    self.facts_error(say.F307_NO_VALUE_READ(row=where or self.row_name(table, row), column=name,
                                                            formula=span.text(), place=span.location()),
                                     say.F307_FILL_OR_GUARD(column=name), at=(table, row, None))
                    self.read_empty.add((table.index, row.number, name))
                    return model.Const(arithmetic.ZERO, model.NUMBER, span)
                return self.measure_const(value, type_, span, where or self.row_name(table, row))
            case model.InputRef(type=type_, index=index, span=span) if type_.kind == "measure":
                inp = self.rs.inputs[index]
                return self.measure_const(self.values[index], type_, span, say.NAMED(name=inp.name))
            case model.Aggregate():
                # an aggregate reads its own table's rows, never the row in hand: computed once per
                # expansion, so that a rule reading it in every row neither says its problems once per
                # row nor costs rows × rows
                known = self.aggregates.get(id(expr))
                if known is None:
                    known = self.aggregates[id(expr)] = self.aggregate_value(expr)
                return known
            case model.Call(function="given", args=(model.ColumnRef(column=name),)):
                assert row is not None and table is not None
                column = self.columns[table.index].get(name)
                assert column is not None
                return model.Const(row.values[column.index] is not MISSING, model.BOOL, expr.span)
            case model.Call(function="qualitative", args=(arg,)):
                inner = self.sub_measure(arg, row, table, where)
                return model.Call("qualitative", (inner,), expr.type, expr.span)
            case model.Call(function="achievement", args=args):
                actual, target = (self.sub_measure(a, row, table, where) for a in args[:2])
                direction = self.sub(args[2], row, table, where) if len(args) > 2 and not \
                    self.empty_cell(args[2], row, table) else None  # fmt: skip
                assert isinstance(actual, model.Const) and isinstance(target, model.Const)
                if not (isinstance(actual.value, Measure) and isinstance(target.value, Measure)):
                    # an empty optional column, said where it was read (F307): nothing to compare
                    return model.Const(arithmetic.ZERO, model.PERCENT, expr.span)
                try:
                    way = self.value(direction) if direction is not None else None
                    achievement(actual.value, target.value, way)
                except AchievementError as exc:
                    if not self.reaching:
                        raise _Unreached from None
                    if self.current_path not in self.overridden:
                        # outside a row, the call itself, as engine.py names it (it began `: the target …`)
                        place = where or (self.row_name(table, row) if table is not None and row is not None
                                          else f"`{expr.span.text()}`")
                        self.eval_errors.error(say.E505_AT(place=place, problem=exc.said), expr.span,
                                               help=say.E505_OR_OVERRIDE(help=exc.help))
                    return model.Const(arithmetic.ZERO, model.PERCENT, expr.span)
                parts = (actual, target) if direction is None else (actual, target, direction)
                return model.Call("achievement", parts, expr.type, expr.span)
            case model.IfElse():
                # only the branch taken reads its columns: `if given(X) then X else 0` guards X (spec §10:
                # a missing value is an error where it is read; docs/language.md, the choices)
                said = self.problems_said()
                condition = self.sub(expr.condition, row, table, where)
                taken = self.known(condition, said)
                then = self.unreached(expr.then, row, table, where) if taken is False else \
                    self.sub(expr.then, row, table, where)  # fmt: skip
                otherwise = self.unreached(expr.otherwise, row, table, where) if taken is True else \
                    self.sub(expr.otherwise, row, table, where)  # fmt: skip
                type_ = _branches_type(expr.type, then, otherwise, taken)
                return model.IfElse(condition, then, otherwise, type_, expr.span)
            case model.Logical():
                # `given(X) and X > 1`: the right side is not read when the left decides
                said = self.problems_said()
                left = self.sub(expr.left, row, table, where)
                decided = self.known(left, said) is (expr.op == "or")
                right = self.unreached(expr.right, row, table, where) if decided else \
                    self.sub(expr.right, row, table, where)  # fmt: skip
                return model.Logical(expr.op, left, right, expr.type, expr.span)
        children = model.children(expr)
        if not children:
            return expr
        new = [self.sub(c, row, table, where) for c in children]
        match expr:
            case model.Unary():
                return records.evolve(expr, operand=new[0])
            case model.Binary() | model.Compare():
                return records.evolve(expr, left=new[0], right=new[1])
            case model.Call():
                return records.evolve(expr, args=tuple(new))
        raise AssertionError(expr)  # pragma: no cover

    def problems_said(self) -> int:
        return len(self.facts_errors.items) + len(self.eval_errors.items)

    def known(self, condition: model.Expr, said_before: int | None = None) -> bool | None:
        """A substituted condition's value for this row, or None if it cannot be worked out here: it
        failed, or substituting it said a problem (then the other side is read, so that its problems
        are said in the same run)."""
        if said_before is not None and self.problems_said() != said_before:
            return None
        try:
            return bool(self.value(condition))
        except Exception:  # an error of the condition itself is reported where it is evaluated
            return None

    def unreached(self, expr: model.Expr, row: Row | None, table: model.Input | None, where: Place) -> model.Expr:
        """A branch this row does not take: substituted as usual, unless that would report a value
        it never reads (an empty optional column, a qualitative measure as a number); then a
        constant of its type stands in, which the evaluator never reaches."""
        reaching, self.reaching = self.reaching, False
        try:
            return self.sub(expr, row, table, where)
        except _Unreached:
            return model.Const(_stand_in(expr.type), expr.type, expr.span)
        finally:
            self.reaching = reaching

    def sub_measure(self, expr: model.Expr, row: Row | None, table: model.Input | None, where: Place) -> model.Expr:
        """An `achievement`/`qualitative` argument: a measure constant, kept whole (sign, unit, text)."""
        if isinstance(expr, model.ColumnRef) and row is not None and table is not None:
            column = self.columns[table.index].get(expr.column)
            assert column is not None
            value = row.values[column.index]
            if value is MISSING:
                return self.sub(expr, row, table, where)  # reports it
            if isinstance(value, Measure):
                return model.Const(value, model.MEASURE, expr.span)
            if isinstance(value, str):  # a direction label
                return model.Const(value, expr.type, expr.span)
            return model.Const(as_measure(value, expr.type.kind == "percent"), model.MEASURE, expr.span)
        if isinstance(expr, model.InputRef) and expr.type.kind == "measure":
            return model.Const(self.values[expr.index], model.MEASURE, expr.span)
        if expr.type == model.DIRECTION:
            return model.Const(self.value(self.sub(expr, row, table, where)), expr.type, expr.span)
        if isinstance(expr, model.Call) and expr.function in ("min", "max") \
                and all(a.type.kind == "measure" for a in expr.args):  # fmt: skip
            # `achievement(min(完成值, 指标值), 指标值)`: the measure chosen, whole, as a measure is (a percent
            # stays one: spec §5, min and max of percents are percents)
            args = [self.sub_measure(a, row, table, where) for a in expr.args]
            measures = [a.value for a in args if isinstance(a, model.Const) and isinstance(a.value, Measure)]
            numbers = [m.number for m in measures if m.number is not None]
            # of one kind only: a percent against a plain number is achievement's E505 to say
            if len(numbers) == len(args) and len({m.percent for m in measures}) == 1:
                chosen = (min if expr.function == "min" else max)(range(len(numbers)), key=numbers.__getitem__)
                return model.Const(measures[chosen], model.MEASURE, expr.span)
        substituted = self.sub(expr, row, table, where)  # a measure aggregate over percents is a percent
        value = self.value(substituted)
        return model.Const(as_measure(value, substituted.type.kind == "percent"), model.MEASURE, expr.span)

    def measure_const(self, value: Any, type_: model.ValueType, span: Span, where: Place) -> model.Expr:
        if isinstance(value, Measure):
            if value.number is None:
                if not self.reaching:
                    raise _Unreached
                if self.current_path in self.overridden:
                    return model.Const(arithmetic.ZERO, model.NUMBER, span)
                self.eval_errors.error(say.E505_QUALITATIVE_AS_NUMBER(place=where, value=value.text,
                                                                      formula=span.text()),
                                       span, help=say.E505_SCORE_QUALITATIVE())
                return model.Const(arithmetic.ZERO, model.NUMBER, span)
            return model.Const(value.number, model.PERCENT if value.percent else model.NUMBER, span)
        return model.Const(value, type_, span)

    def aggregate_value(self, agg: model.Aggregate) -> model.Expr:
        """An aggregate as a constant; a mean over no rows as the division it is, so that a guard
        (`if count(T) > 0 then mean(T.COL) else 0`) works and an unguarded one fails as E501."""
        chosen = self.chosen_rows(agg)  # once: a `where` that reads a missing value says so once
        if agg.function in ("min", "max") and not chosen:
            # the least of no values: an error where it is computed, so that a guard can take it (E506)
            span = model.Const(agg.span, model.TEXT, agg.span)
            return model.Call("no_rows", (span,), agg.type, agg.span)
        type_ = self.aggregate_type(agg, chosen)
        if agg.function in ("mean", "weighted_mean"):
            numerator, denominator = self.aggregate(agg, chosen, split=True)
            if not denominator:
                zero = model.Const(arithmetic.ZERO, model.NUMBER, agg.span)
                return model.Binary("/", model.Const(numerator, model.NUMBER, agg.span), zero, type_, agg.span)
            return model.Const(numerator / denominator, type_, agg.span)
        return model.Const(self.aggregate(agg, chosen), type_, agg.span)

    def aggregate_type(self, agg: model.Aggregate, chosen: list[Row]) -> model.ValueType:
        """A measure column's aggregate is a percent when its values are (spec 13), so that it is
        shown as one (82.5%, not 0.825); the checker could only call it a number."""
        if agg.column is None or agg.column.type.kind != "measure":
            return agg.type
        table = self.rs.inputs[agg.table]
        index = self.columns[table.index][agg.column.column].index
        for row in chosen:
            value = row.values[index]
            if type(value) is Measure and value.number is not None:
                return model.PERCENT if value.percent else agg.type
        return agg.type

    def chosen_rows(self, agg: model.Aggregate) -> list[Row]:
        table = self.rs.inputs[agg.table]
        return [r for r in self.values[agg.table] if agg.where is None or self.holds(agg.where, r, table)]

    def aggregate(self, agg: model.Aggregate, chosen: list[Row], split: bool = False) -> Any:
        table = self.rs.inputs[agg.table]
        if agg.function == "count":
            return len(chosen)

        def number(ref: model.ColumnRef, row: Row) -> Decimal:
            value = self.value(self.sub(ref, row, table))
            return arithmetic.to_decimal(value)

        assert agg.column is not None
        for ref in (agg.column, agg.weight):
            if ref is not None and ref.type.kind == "measure":
                self.same_units(agg, ref, chosen, table)
        numbers = [number(agg.column, r) for r in chosen]
        if agg.function == "sum":
            return sum(numbers, arithmetic.ZERO)
        if agg.function in ("min", "max"):
            return min(numbers) if agg.function == "min" else max(numbers)
        if agg.function == "mean":
            return sum(numbers, arithmetic.ZERO), Decimal(len(numbers))
        assert agg.weight is not None and split
        weights = [number(agg.weight, r) for r in chosen]
        total = sum(weights, arithmetic.ZERO)
        return sum((n * w for n, w in zip(numbers, weights, strict=True)), arithmetic.ZERO), total

    def same_units(self, agg: model.Aggregate, ref: model.ColumnRef, rows: list[Row], table: model.Input) -> None:
        """A measure column adds like with like (spec 13: a percent column aggregates to a percent):
        a percent beside a plain number, or two units, is an error naming the row, as it is for
        `achievement` (spec 10), never a sum of 90% and 80次. A row without a unit goes with any."""
        index = self.columns[table.index][ref.column].index
        first: tuple[Row, Measure] | None = None  # the first value read, and the first with a unit
        first_unit: tuple[Row, Measure] | None = None
        for row in rows:
            value = row.values[index]
            if type(value) is not Measure or value.number is None:
                continue  # a qualitative or missing value is said where it is read
            first = first or (row, value)
            if value.unit:
                first_unit = first_unit or (row, value)
            if value.percent != first[1].percent:
                seen_row, seen = first
            elif first_unit is not None and value.unit and value.unit != first_unit[1].unit:
                seen_row, seen = first_unit
            else:
                continue
            if not self.reaching:
                raise _Unreached
            problem = say.AGGREGATE_UNITS(value=value.text, kind=_kind(value), first=seen.text,
                                          first_place=self.row_name(table, seen_row), first_kind=_kind(seen),
                                          formula=agg.span.text())
            self.eval_errors.error(say.E505_AT(place=self.row_name(table, row), problem=problem), agg.span,
                                   help=say.AGGREGATE_SAME_UNIT(column=ref.column))

    def holds(self, cond: model.Expr, row: Row, table: model.Input) -> bool:
        try:
            return bool(self.row_value(cond, row, table))
        except _Substitute:
            return bool(self.value(self.sub(cond, row, table)))

    def row_value(self, expr: model.Expr, row: Row, table: model.Input) -> Any:
        """A `where` or `when` condition read straight from the row, for the usual kinds of condition
        (comparisons of columns, inputs and constants; and, or, not; `qualitative`, `given`): what
        `value(sub(…))` gives, without building the substituted expression. The right side of
        `and`/`or` is read only when the left does not decide, as in `sub`. Anything else, or
        anything `sub` would report (an empty column, a qualitative measure as a number), raises
        _Substitute: `sub` then does it.
        tests/test_rows.py holds the two ways equal on drawn rows."""
        match expr:
            case model.ColumnRef(column=name):
                value = row.values[self.columns[table.index][name].index]
                if type(value) is Measure:
                    if value.number is None:
                        raise _Substitute
                    return value.number
                if value is MISSING:
                    raise _Substitute
                return value
            case model.Const(value=value) | model.ParamRef(value=value):
                return value
            case model.InputRef(index=index) if expr.type.kind != "measure":
                return self.values[index]
            case model.Compare(op=op, left=left, right=right):
                a, b = self.row_value(left, row, table), self.row_value(right, row, table)
                if left.type.kind == "grade" or right.type.kind == "grade":
                    return arithmetic.compare_grades(op, a, b, left.type.labels or right.type.labels)
                return arithmetic.compare(op, a, b)
            case model.Logical(op=op, left=left, right=right):
                decided = bool(self.row_value(left, row, table))
                if decided is (op == "or"):
                    return decided  # the right side is not read (as `sub` leaves it unreached)
                return bool(self.row_value(right, row, table))
            case model.Unary(op="not", operand=operand):
                return not self.row_value(operand, row, table)
            case model.Call(function="given", args=(model.ColumnRef(column=name),)):
                return row.values[self.columns[table.index][name].index] is not MISSING
            case model.Call(function="qualitative", args=(model.ColumnRef(column=name),)):
                value = row.values[self.columns[table.index][name].index]
                if type(value) is not Measure:
                    raise _Substitute
                return arithmetic.call("qualitative", [value])
        raise _Substitute

    # ---- the model -----------------------------------------------------------------------
    def run(self) -> model.CheckedRuleset:
        rs = self.rs
        for let in rs.lets:
            expr = self.sub(let.expr, None, None)
            if let.type == model.NUMBER and expr.type == model.PERCENT:
                # `let 平均 = mean(T.measure)` over percents is a percent (aggregate_type), and so shown;
                # so is its guarded form `if count(T) > 0 then mean(T.measure) else 0` (see IfElse)
                let = records.evolve(let, type=model.PERCENT)
                self.percent_lets.add(let.index)
            self.lets.append(records.evolve(let, expr=expr))
        indicators = [self.indicator(ind, "", 0, rs.total) for ind in rs.indicators]
        self.check_sums(rs.total, indicators, None)
        adjustments = tuple(self.adjustment(a, None, None, "") for a in rs.adjustments)
        vetoes = tuple(records.evolve(v, condition=self.sub(v.condition, None, None),
                                    because=self.template(v.because, None, None, "")) for v in rs.vetoes)
        self.unselected_rows()
        self.facts_errors.raise_if_any(FactsError)
        self.eval_errors.raise_if_any(EvaluationError)
        counter = iter(range(1_000_000))
        indicators = [_renumber(i, counter) for i in indicators]
        return records.evolve(rs, lets=tuple(self.lets), indicators=tuple(indicators), adjustments=adjustments,
                            vetoes=vetoes)

    def check_sums(self, scale: Decimal, children: list[model.Indicator], parent: model.Indicator | None) -> None:
        """Weights taken from rows, checked where the rule file could not check them (spec section 10)."""
        if not any(c.weight_from_rows for c in children) or self.weights_unknown:
            return
        total = sum((c.weight for c in children), arithmetic.ZERO)
        if total != scale:
            parts = tuple(f"{c.name} {arithmetic.plain(c.weight)}" for c in children)
            sums = {"sum": arithmetic.plain(total), "parts": parts, "scale": arithmetic.plain(scale)}
            if parent is None:
                said = say.F301_TOP_SUM(**sums)
            elif parent.out_of is not None:
                said = say.F301_GROUP_OUT_OF_SUM(group=parent.path, **sums)
            else:
                said = say.F301_GROUP_SUM(group=parent.path, **sums)
            # at the weight of the first row that counted: a facts error names its place in the facts
            first = next((leaf.row for c in children if c.weight_from_rows for leaf in c.walk()
                          if leaf.row is not None), None)
            declared = {i.index: i for i in self.rs.all_indicators()}  # expanded, `each` is gone
            column = next((e.weight.column for c in children if c.weight_from_rows
                           for e in [declared[c.index].each] if e is not None and e.weight is not None), None)
            span = row_span(self.source, first.table, first.number, column) if first is not None else None
            if span is None:
                self.facts_error(said, say.F301_CHECK_ROW_WEIGHTS())
            elif self.reaching:
                self.facts_errors.items.append(Diagnostic(said, span, help=say.F301_CHECK_ROW_WEIGHTS()))

    def indicator(self, ind: model.Indicator, parent: str, depth: int, scale: Decimal) -> model.Indicator:
        applies = self.applies(ind.applies, None, None, "")
        if ind.each is not None:
            return self.each(ind, applies, depth)
        children = [self.indicator(c, ind.path, depth + 1, ind.scale) for c in ind.children]
        self.check_sums(ind.scale, children, ind)
        if ind.rule is None:
            return records.evolve(ind, children=tuple(children), applies=applies)
        rule = self.rule(ind.rule, ind.weight, None, None, "")
        adjustments = tuple(self.adjustment(a, None, None, "") for a in ind.adjustments)
        return records.evolve(ind, children=tuple(children), applies=applies, rule=rule, adjustments=adjustments)

    def applies(self, applies: model.Applies | None, row: Row | None, table: model.Input | None,
                where: Place) -> model.Applies | None:  # fmt: skip
        if applies is None:
            return None
        return records.evolve(applies, condition=self.sub(applies.condition, row, table, where))

    def each(self, ind: model.Indicator, applies: model.Applies | None, depth: int) -> model.Indicator:
        each = ind.each
        assert each is not None
        table = self.rs.inputs[each.table]
        rows: tuple[Row, ...] = self.values[each.table]
        self.scored_tables.setdefault(each.table, []).append((ind.path, each.where))
        chosen = [r for r in rows if each.where is None or self.holds(each.where, r, table)]
        self.selected.setdefault(each.table, set()).update(r.number for r in chosen)
        applicable = applies is None or bool(self.value(applies.condition))
        if not applicable:
            chosen = []  # an indicator that does not apply is not evaluated (spec section 10)
        keys = [self.key(each, table, r) for r in chosen]
        weights = self.weights(ind, each, table, chosen, keys, applicable)
        weight = ind.weight if not ind.weight_from_rows else sum(weights, arithmetic.ZERO)
        groups: dict[str, list[model.Indicator]] = {}
        order: list[str] = []
        seen: dict[tuple[str, str], Row] = {}
        # a row left out for its own problems still has its name: a clean row of the same name is
        # said now, not once that row is fixed (issue 12: every problem in every row at once)
        left = self.left_names(each, table) if applicable else {}
        for row, key, row_weight in zip(chosen, keys, weights, strict=True):
            group = ""
            if each.group is not None:
                group = self.text_of(row, table, each.group.column)
                if not group and self.reaching:
                    # a row with no group would sit beside the groups, its path `A.key` that of a
                    # group `key` or of nothing (`A.`): the value `group` reads is missing (F307)
                    self.facts_error(say.F307_NO_VALUE_READ(row=self.row_name(table, row, key),
                                                            column=each.group.column,
                                                            formula=each.group.span.text(),
                                                            place=each.group.span.location()),
                                     say.F307_FILL_GROUP(column=each.group.column), at=(table, row, None))
            if "." in key or "." in group:
                # the cell that holds the dot: the group's when the key has none
                holder = each.key if "." in key else each.group
                self.facts_error(say.F308_DOT_IN_NAME(row=self.row_name(table, row, key),
                                                      name=key if "." in key else group),
                                 say.F308_NO_DOT(), at=(table, row, holder.column if holder else None))
            if (group, key) in left and (group, key) not in seen:
                other = left[(group, key)]
                first, later = (other, row) if other.number < row.number else (row, other)
                self.same_name(each, table, first, later, key, group)
                del left[(group, key)]
            if (group, key) in seen:
                self.same_name(each, table, seen[(group, key)], row, key, group)
                continue
            seen[(group, key)] = row
            if group not in groups:
                groups[group] = []
                order.append(group)
            path = ".".join(p for p in (ind.path, group, key) if p)
            groups[group].append(self.row_leaf(ind, each, table, row, key, row_weight, path,
                                               depth + (2 if group else 1)))
        if each.group is None:
            children = groups.get("", [])
        else:
            children = []
            for group in order:
                members = groups[group]
                children.append(model.Indicator(
                    index=0, path=f"{ind.path}.{group}", name=group, label=None,
                    weight=sum((m.weight for m in members), arithmetic.ZERO), cite=None, note=None, depth=depth + 1,
                    children=tuple(members), rule=None, adjustments=(), applies=None, span=each.span,
                ))  # fmt: skip
        return records.evolve(ind, weight=weight, children=tuple(children), each=None, applies=applies)

    def same_name(self, each: model.Each, table: model.Input, first: Row, later: Row, key: str, group: str) -> None:
        """F302 for two rows of one name (in one group). A row whose key cell is empty is named by its
        number (`row1`, 第1行): a row whose key is written so is then said to share it with that row,
        which is said as such, with the row whose key to fill in."""
        column = each.key.column if each.key else None
        empty = next((r for r in (first, later) if column is not None and not self.text_of(r, table, column)), None)
        if column is not None and empty is not None:
            self.facts_error(say.F302_EMPTY_KEY_NAMED(row=self.row_name(table, later, key), first=first.number,
                                                      key=key, empty=empty.number, column=column),
                             say.F302_FILL_KEY(empty=empty.number, column=column), at=(table, later, column))
            return
        same = {"row": self.row_name(table, later, key), "first": first.number, "column": column or say.F302_NAME()}
        self.facts_error(say.F302_SAME_NAME_IN_GROUP(group=group, **same) if group else say.F302_SAME_NAME(**same),
                         say.F302_OWN_NAME(), at=(table, later, column))

    def key(self, each: model.Each, table: model.Input, row: Row) -> str:
        if each.key is None:
            return phrases.ROW_KEY.format(self.lang, number=row.number)
        return self.text_of(row, table, each.key.column) or phrases.ROW_KEY.format(self.lang, number=row.number)

    def text_of(self, row: Row, table: model.Input, name: str) -> str:
        column = self.columns[table.index].get(name)
        assert column is not None
        return cell_text(row.values[column.index])

    def weights(self, ind: model.Indicator, each: model.Each, table: model.Input, rows: list[Row],
                keys: list[str], applicable: bool) -> list[Decimal]:  # fmt: skip
        precision = self.rs.precision
        scale = ind.scale
        if each.weight is None:  # evenly
            complete = self.complete_for(each, table)
            if not rows:
                if applicable and complete:
                    span, where = key_span(self.source, "facts", table.name)
                    self.facts_errors.items.append(Diagnostic(
                        say.F306_NO_ROWS(path=ind.path, table=table.name), span if self.source is not None else None,
                        help=say.F306_ADD_ROWS(), where=None if self.source is not None else where))
                return []
            if not complete:
                self.shares_unknown.add(ind.path)
            groups = None if each.group is None else [self.text_of(row, table, each.group.column) for row in rows]
            return evenly(scale, arithmetic.quantum(precision), groups, len(rows))
        column = self.columns[table.index].get(each.weight.column)
        assert column is not None
        out = []
        written: list[Decimal] = []  # a percent column's values as written (「权重 20%」)
        for row in rows:
            value = row.values[column.index]
            if value is MISSING:
                self.facts_error(say.F307_NO_WEIGHT(row=self.row_name(table, row), column=column.name),
                                 say.F307_FILL(column=column.name), at=(table, row, None))
                value = arithmetic.ZERO
            value = arithmetic.to_decimal(value)
            if value < 0:  # a negative weight scores below zero and still lets the weights add up
                self.facts_error(say.F205_NEGATIVE_WEIGHT(row=self.row_name(table, row), column=column.name,
                                                          value=arithmetic.plain(value)),
                                 say.WEIGHT_ZERO_OR_MORE(), at=(table, row, column.name))
            if column.type.kind == "percent":
                if ind.weight_from_rows:
                    self.facts_error(say.F309_PERCENT_WEIGHT(path=ind.path, column=column.name),
                                     say.F309_GIVE_WEIGHT(path=ind.path), at=(table, row, column.name))
                    self.weights_unknown = True  # no sum to check: said once, here
                    self.percent_weighted.add(ind.path)
                written.append(value)
                value = value * scale
            out.append(value)
        total = sum(out, arithmetic.ZERO)
        if not ind.weight_from_rows and applicable and total != scale and self.complete_for(each, table):
            listed = tuple(f"{k} {arithmetic.plain(w)}" for k, w in zip(keys, out, strict=True)) or say.F301_NO_ROW()
            sums = {"path": ind.path, "sum": arithmetic.plain(total), "parts": listed,
                    "scale": arithmetic.plain(scale)}
            said = say.F301_ROWS_OUT_OF_SUM(**sums) if ind.out_of is not None else say.F301_ROWS_SUM(**sums)
            if written and len(written) == len(rows):
                # the shares as the facts write them: 「a 40%, b 50%」, not the points they make
                said = say.F301_ROWS_PERCENT_SUM(
                    path=ind.path, sum=arithmetic.percent_text(sum(written, arithmetic.ZERO)),
                    parts=tuple(f"{k} {arithmetic.percent_text(w)}" for k, w in zip(keys, written, strict=True)),
                    scale=arithmetic.plain(scale))
            if rows:
                self.facts_error(said, say.F301_CHECK_COLUMN(column=column.name), at=(table, rows[0], column.name))
            else:  # no row selected: the table's key, as F306 says it (FILE:LINE:COL, spec section 8)
                span, where = key_span(self.source, "facts", table.name)
                self.facts_errors.items.append(Diagnostic(
                    said, span if self.source is not None else None, help=say.F306_ADD_ROWS(),
                    where=None if self.source is not None else where))
        return out

    def row_leaf(self, ind: model.Indicator, each: model.Each, table: model.Input, row: Row, key: str,
                 weight: Decimal, path: str, depth: int) -> model.Indicator:  # fmt: skip
        where = self.row_name(table, row, key)
        self.current_path = path
        body = next(arm for arm in each.arms if arm.condition is None or self.holds(arm.condition, row, table))
        said = self.problems_said()
        applies = self.applies(body.applies, row, table, where)
        reaching = self.reaching
        # a row that does not apply is not scored: what its rule reads need not be there (spec §10: only a
        # row that reaches `judged from` needs its points); a condition with a problem decides nothing
        self.reaching = not (applies is not None and self.known(applies.condition, said) is False)
        try:
            rule = self.rule(body.rule, weight, row, table, where)
            adjustments = tuple(self.adjustment(a, row, table, where) for a in body.adjustments)
        except _Unreached:
            rule, adjustments = _never_scored(body.rule), ()
        finally:
            self.reaching = reaching
        info = model.RowInfo(
            table.name, row.number, key,
            tuple((c.name, row.values[c.index]) for c in table.columns if row.values[c.index] is not MISSING),
            tuple((c.name, c.label or c.name) for c in table.columns),
        )  # fmt: skip
        self.current_path = ""
        return model.Indicator(
            index=0, path=path, name=key, label=None, weight=weight, cite=None, note=body.note, depth=depth,
            children=(), rule=rule, adjustments=adjustments, applies=applies, span=body.rule.span, row=info,
        )  # fmt: skip

    def rule(self, rule: model.Rule, weight: Decimal, row: Row | None, table: model.Input | None,
             where: Place) -> model.Rule:  # fmt: skip
        def scaled(points: Decimal, share: Decimal | None) -> Decimal:
            return points if share is None or row is None else share * weight

        judged_from = rule.kind == "judged" and rule.expr is not None and row is not None
        expr = self.sub(rule.expr, row, table, where) if rule.expr is not None and not judged_from else None
        tiers = tuple(records.evolve(t, points=scaled(t.points, t.share)) for t in rule.tiers)
        grades = tuple(records.evolve(g, points=scaled(g.points, g.share)) for g in rule.grades)
        items = tuple(records.evolve(i, points=scaled(i.points, i.share),
                                   condition=self.sub(i.condition, row, table, where) if i.condition else None)
                      for i in rule.items)  # fmt: skip
        bands = rule.bands
        if bands is not None and row is not None:
            bands = tuple(records.evolve(b, low=b.low * weight, high=b.high * weight) for b in bands)
        band_column = None
        if judged_from and table is not None and row is not None:
            expr, band_column = self.judged_row(rule, weight, bands, row, table, where)
        substituted = records.evolve(rule, expr=expr, tiers=tiers, grades=grades, items=items, bands=bands,
                                     because=None, band_column=band_column)
        if rule.because is None:
            return substituted
        if row is not None and self.below_weight(substituted, weight) is False:
            # spec §6: the because is "the reason shown when the rule awards less than the weight": a row
            # at full points never shows it, so an empty optional column it reads (a 偏差原因 left blank on
            # a row that met its target) is no problem; one that cannot be read leaves no because at all
            reaching, self.reaching = self.reaching, False
            try:
                return records.evolve(substituted, because=self.template(rule.because, row, table, where))
            except _Unreached:
                return substituted
            finally:
                self.reaching = reaching
        return records.evolve(substituted, because=self.template(rule.because, row, table, where))

    def empty_cell(self, expr: model.Expr, row: Row | None, table: model.Input | None) -> bool:
        """Is `expr` an optional column left empty in this row? `achievement(完成, 目标, 性质)` then takes its
        direction from the target's sign, else 正向 (spec 10: "the third argument when given")."""
        if not isinstance(expr, model.ColumnRef) or row is None or table is None:
            return False
        column = self.columns[table.index].get(expr.column)
        return column is not None and column.optional and row.values[column.index] is MISSING

    def below_weight(self, rule: model.Rule, weight: Decimal) -> bool | None:
        """Whether a row's rule, its values substituted, awards less than the weight (as the evaluator
        decides to show the rule's `because`); None when this cannot be worked out here (a problem of
        the rule itself, said where it is evaluated)."""
        try:
            raw = rule_points(rule, weight, self.value)
        except Exception:  # an error of the rule itself is reported where it is evaluated
            return None
        return None if raw is None else bool(raw < weight)

    def judged_row(self, rule: model.Rule, weight: Decimal, bands: tuple[model.Band, ...] | None, row: Row,
                   table: model.Input, where: Place) -> tuple[model.Expr, model.Expr | None]:  # fmt: skip
        assert isinstance(rule.expr, model.ColumnRef)
        column = self.columns[table.index].get(rule.expr.column)
        assert column is not None
        value = row.values[column.index]
        span = rule.expr.span
        # beside F309 a row's weight is a percent of nothing: 0..0 would send the reader the wrong way;
        # an even share among rows some of which were left out for their problems is not the true one
        weight_known = not any(self.current_path.startswith(p + ".")
                               for p in (*self.percent_weighted, *self.shares_unknown))
        if value is MISSING:
            # a row of weight 0: 「0 to 0」 read as a range to choose from; say what it means
            help_text = say.F304_FILL_POINTS_NO_RANGE(column=column.name) if not weight_known else \
                say.ROW_WEIGHS_ZERO(column=column.name) if weight.is_zero() else \
                say.F304_FILL_POINTS(column=column.name, weight=arithmetic.plain(weight))  # fmt: skip
            self.facts_error(say.F304_JUDGED_WITHOUT_POINTS(row=where, column=column.name), help_text,
                             at=(table, row, None))
            return model.Const(arithmetic.ZERO, model.NUMBER, span), None
        points = arithmetic.to_decimal(value)
        if weight_known and weight.is_zero() and not points.is_zero():
            # 「outside 0..0」 named no range to choose from: the row's points can only be 0
            self.facts_error(say.F305_POINTS_OF_ZERO_ROW(row=where, points=arithmetic.plain(points),
                                                         column=column.name),
                             say.ROW_WEIGHS_ZERO(column=column.name), at=(table, row, column.name))
        elif weight_known and not arithmetic.ZERO <= points <= weight:
            self.facts_error(say.F305_POINTS_OUTSIDE(row=where, points=arithmetic.plain(points), column=column.name,
                                                     weight=arithmetic.plain(weight)),
                             say.F305_ENTER_POINTS(), at=(table, row, column.name))
        band_const: model.Expr | None = None
        if bands and weight > 0:  # a row worth 0 points has no bands to fall in
            label = None
            if rule.band_column is not None:
                assert isinstance(rule.band_column, model.ColumnRef)
                band_column = self.columns[table.index].get(rule.band_column.column)
                assert band_column is not None
                raw = row.values[band_column.index]
                label = None if raw is MISSING else str(raw)
            fits = next((b for b in bands if b.contains(points)), None)
            if label is None:
                label = fits.label if fits is not None else None
            else:
                band = next((b for b in bands if b.label == label), None)
                if band is None:
                    self.facts_error(say.F305_UNKNOWN_BAND(row=where, band=label),
                                     say.F305_THE_BANDS(bands=tuple(b.label for b in bands)),
                                     at=(table, row, band_column.name if band_column is not None else None))
                elif not band.contains(points):
                    # what was expected, in points, as a judged leaf's F219 says it (once the weight is known)
                    bounds = (f"{'[' if band.low_closed else '('}{arithmetic.plain(band.low)}, "
                              f"{arithmetic.plain(band.high)}{']' if band.high_closed else ')'}")
                    self.facts_error(say.F305_OUTSIDE_BAND_POINTS(row=where, points=arithmetic.plain(points),
                                                                  band=label, bounds=bounds)
                                     if weight_known else
                                     say.F305_OUTSIDE_BAND(row=where, points=arithmetic.plain(points), band=label),
                                     say.CHOOSE_POINTS_IN_BAND(), at=(table, row, column.name))
            if label is not None:
                band_const = model.Const(label, model.TEXT, span)
        return model.Const(points, model.NUMBER, span), band_const

    def adjustment(self, adj: model.Adjustment, row: Row | None, table: model.Input | None,
                   where: Place) -> model.Adjustment:  # fmt: skip
        def s(e: model.Expr | None) -> Any:
            return self.sub(e, row, table, where) if e is not None else None

        said = self.problems_said()
        when = s(adj.when)
        if when is not None and row is not None and self.known(when, said) is False:
            # `deduct 次 when given(次)`: an adjustment that does not happen reads nothing of its amount
            reaching, self.reaching = self.reaching, False
            try:
                return self.adjustment_read(adj, row, table, where, when)
            except _Unreached:
                zero = model.Const(arithmetic.ZERO, model.NUMBER, adj.amount.span)
                return records.evolve(adj, amount=zero, per=None, when=when, cap=None, because=None)
            finally:
                self.reaching = reaching
        return self.adjustment_read(adj, row, table, where, when)

    def adjustment_read(self, adj: model.Adjustment, row: Row | None, table: model.Input | None, where: Place,
                        when: model.Expr | None) -> model.Adjustment:  # fmt: skip
        def s(e: model.Expr | None) -> Any:
            return self.sub(e, row, table, where) if e is not None else None

        per = records.evolve(adj.per, step=s(adj.per.step), of=s(adj.per.of)) if adj.per is not None else None
        because = self.template(adj.because, row, table, where) if adj.because is not None else None
        return records.evolve(adj, amount=s(adj.amount), per=per, when=when, cap=s(adj.cap), because=because)

    def template(self, template: model.Template, row: Row | None, table: model.Input | None,
                 where: Place) -> model.Template:  # fmt: skip
        parts = tuple(p if isinstance(p, str) else self.inserted(p, row, table, where) for p in template.parts)
        return records.evolve(template, parts=parts)

    def inserted(self, expr: model.Expr, row: Row | None, table: model.Input | None, where: Place) -> model.Expr:
        """An insertion of a because text: a measure alone (`{指标值}`) prints as written, its sign and
        unit included (spec section 10: 「printed in reasons」), and a qualitative one is no error there;
        in arithmetic (`{完成值 / 2}`) a measure is its number, as everywhere."""
        if expr.type.kind == "measure" and isinstance(expr, (model.ColumnRef, model.InputRef)):
            value = self.sub_measure(expr, row, table, where)
            if isinstance(value, model.Const) and isinstance(value.value, Measure):
                return model.Const(value.value.text, model.TEXT, expr.span)
            return value
        return self.sub(expr, row, table, where)

    def unselected_rows(self) -> None:
        for index, eaches in self.scored_tables.items():
            table = self.rs.inputs[index]
            chosen = self.selected.get(index, set())
            for row in self.values[index]:
                if row.number not in chosen:
                    conditions: Said | str = "; ".join(f"`{path}`: {w.span.text()}" for path, w in eaches
                                                       if w is not None)
                    read = dict.fromkeys(n.column for _, w in eaches if w is not None for n in model.walk(w)
                                         if isinstance(n, model.ColumnRef))
                    if any((index, row.number, c) in self.read_empty for c in read):
                        continue  # its `where` read an empty cell: F307 said so, naming the row and the column
                    values = tuple(f"{c} = {_column_value(row, table, c)}" for c in read)
                    if values:
                        conditions = say.F303_THE_ROW_HAS(conditions=conditions, values=values)
                    key_column = self.rs.key_column(index)
                    key = self.text_of(row, table, key_column) if key_column else None
                    self.facts_error(say.F303_UNSCORED_ROW(row=self.row_name(table, row, key), conditions=conditions),
                                     say.F303_CHECK_TYPO(columns="、".join(read) or say.F303_VALUES()),
                                     at=(table, row, None))


def _column_value(row: Row, table: model.Input, name: str) -> str:
    """A row's value as a condition would compare it: a number as a number (`序 = 0`), a text
    quoted and unstripped (`类 = "效益 "`: a stray space is what the reader needs to see)."""
    column = table.column(name)
    assert column is not None
    value = row.values[column.index]
    if value is MISSING:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if column.type.kind == "percent" and isinstance(value, Decimal):
        return arithmetic.percent_text(value)
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return arithmetic.plain(value)
    return f'"{value}"'


def _renumber(ind: model.Indicator, counter: Any) -> model.Indicator:
    index = next(counter)
    children = tuple(_renumber(c, counter) for c in ind.children)
    return records.evolve(ind, index=index, children=children)


def expand(ruleset: model.CheckedRuleset, values: tuple[Any, ...], overridden: frozenset[str] = frozenset(),
           source: Source | None = None) -> model.CheckedRuleset:
    """The ruleset with its rows made leaves, for these validated input values; `overridden` are the
    paths the facts' [override] replaces; `source`, the facts file, names the lines of rows in errors."""
    with decimal_context.EngineContext():
        return _Expander(ruleset, values, overridden, source).run()


def problems_beyond(ruleset: model.CheckedRuleset, first: RowsFactsError, overridden: frozenset[str],
                    source: Source | None, facts: Facts | None = None) -> FactsError:
    """`first`'s problems and those that expanding its rows without problems finds besides
    (spec section 10: every problem in every row at once), and then those of the facts' [judged]
    and [override] (spec section 7: every problem in a facts file at once). Only facts problems are
    added: an evaluation error of rows that are incomplete would not be the facts' true outcome."""
    try:
        with decimal_context.EngineContext():
            expanded = _Expander(ruleset, first.partial, overridden, source, first.incomplete, first.left_out).run()
    except FactsError as more:
        return FactsError([*first.diagnostics, *more.diagnostics, *judged_problems(ruleset, facts)])
    except (EvaluationError, arithmetic.NoRows, arithmetic.DivisionByZero):
        return FactsError([*first.diagnostics, *judged_problems(ruleset, facts)])
    except Exception:
        if not first.bad_inputs:
            raise
        # a plain input with a problem stood in as None where it was read after all: its problem
        # is said, and the rows' own wait for it to be fixed, as they did before they could come
        return FactsError([*first.diagnostics, *judged_problems(ruleset, facts)])
    return FactsError([*first.diagnostics, *judged_problems(ruleset, facts, expanded, first.incomplete)])


def judged_problems(ruleset: model.CheckedRuleset, facts: Facts | None, expanded: model.CheckedRuleset | None = None,
                    incomplete: frozenset[int] = frozenset()) -> list[Diagnostic]:  # fmt: skip
    """The problems of the facts' [judged] and [override], said beside those of the inputs (spec section 7:
    every problem in a facts file at once): against the leaves the rows made (`expanded`), or the rules'
    own when the rows could not be made. An entry under an `each` whose rows were not all made (those of
    `incomplete` tables, or all of them) may be one of those rows': it is left until they are."""
    if facts is None:
        return []
    unmade = tuple(ind.path + "." for top in ruleset.indicators for ind in top.walk()
                   if ind.each is not None and (expanded is None or ind.each.table in incomplete))  # fmt: skip

    def made(table: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in table.items() if not str(k).startswith(unmade)}

    def without_unmade(ind: model.Indicator) -> model.Indicator:
        """The indicator without the rows an `each` whose rows were not all made has: neither their entries nor
        their absence is said (their weights are not known either)."""
        if ind.path + "." in unmade:
            return records.evolve(ind, children=())
        return records.evolve(ind, children=tuple(without_unmade(c) for c in ind.children))

    # the tables and keys outside any table were said with the inputs
    entries = records.evolve(facts, judged=made(facts.judged), override=made(facts.override), extra_tables=(),
                             loose_keys=())  # fmt: skip
    against = expanded or ruleset
    if expanded is not None and unmade:
        against = records.evolve(expanded, indicators=tuple(without_unmade(i) for i in expanded.indicators))
    try:
        validate(against, entries, inputs=())
    except FactsError as more:
        return list(more.diagnostics)
    return []
