"""The row loop: a rows ruleset scored straight from a plain dict of inputs, without expanding it.

`rows.expand` makes one leaf per row and `compile.py` generates code for the tree it then has,
once per set of rows. The row loop is built once per ruleset, at load: the inputs are read by
the lines of `inputs/rowchecks.py` (generated), every expression of the rule file becomes a
generated Python function (written by the evaluator's expression writer, emitter.py, with the
row loop's hooks, `_RowExpressions`, and compiled here, once),
and per evaluation one loop over the rows selects, groups, keys and weighs them,
takes each row's arm and computes its points by the same Decimal operations, in the same
context, as the code the expansion generates, and adds up the groups as it does. It keeps the
inputs as read and, for each row scored, its place, key, weight and arm (`Scored`): from them and
each arm's audit (`_auditor`) results/loopwriter.py writes the audit without expanding.

It vouches only for what it supports, and says nothing itself. It supports inputs of every
kind but `measure`; lets, `where`, `group`, `key`, `weight COLUMN | evenly` (the remainder to
the first rows listed), `out of`, `when … else` arms and `ratio`, `score`, `full` and
`judged from` (without a band column); the expressions of compile.py but aggregates and the
functions other than `achievement`, `qualitative` and `given`. A rule file with anything else
(`applies`, `share`, adjustments, vetoes, a row's `because`, tiers, …) has no row loop (`build`
returns None), and at run time anything odd (a problem of the facts, a value that fails to
evaluate: a division by zero, a unit mismatch) makes `run` return None. The caller
then takes the expansion path, whose messages and outcomes stay exactly what they are.
tests/test_rowloop.py holds the loop equal to the expansion on drawn row tables.
"""

from __future__ import annotations

import decimal
import functools
import operator
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from perfrules import decimal_context
from perfrules.backend.emitter import ExprEmitter, Place
from perfrules.backend.rows import cell_text, evenly
from perfrules.catalogue import lang_of, phrases
from perfrules.inputs.facts import MISSING
from perfrules.inputs.rowchecks import Unsupported, row_checks
from perfrules.semantics import arithmetic, model
from perfrules.semantics.measure import AchievementError, Measure
from perfrules.semantics.measure import achievement as achievement_of


class Bail(Exception):
    """Something the row loop does not vouch for: the expansion path scores these facts."""


Fn = Callable[[Any, tuple[Any, ...]], Any]  # (row tuple or None, inputs) -> value
# a row the loop scored: (its leaf's path, its `each` (_Each), its place in the table, its key, the scorer of
# the arm it took, its weight), in the order the loop scored them
Scored = tuple[str, Any, int, str, Callable[..., Decimal], Decimal]
_ZERO = arithmetic.ZERO
_ONE = Decimal(1)
_OPS: dict[str, Callable[[Any, Any], Any]] = {  # the rating's comparisons, called
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip


def _column(ref: model.ColumnRef, positions: dict[str, int] | None) -> int:
    if positions is None or ref.column not in positions:
        raise Unsupported("a column outside its row")
    return positions[ref.column]


# ---- expressions: generated Python, compiled once per ruleset --------------------------------------
# Each expression of the rule file becomes one function `f(r, i)` of a row tuple and the inputs (the
# lets after them), written as Python source at load by the writer of the evaluator's expressions
# (emitter.py) with the hooks of `_RowExpressions`, and compiled: per row, the loop calls it and nothing
# walks the model. Nothing from the rule file is pasted into the source: constants are passed in as
# globals (K0, K1, …), columns and inputs are places in tuples; what a step needs beyond Python's
# operators is one of the helpers below, each the same Decimal steps as the code the expansion generates.


def _cell(v: Any) -> Any:
    """A column's value as a number or text: a measure's number (its text when qualitative: E505)."""
    if v is MISSING:
        raise Bail  # F307
    if type(v) is Measure:
        n = v.number
        if n is None:
            raise Bail  # E505: a qualitative measure as a number
        return n
    return v


def _div(x: Any, y: Any) -> Any:
    if not y:
        raise Bail  # E501
    if type(x) is int:
        x = Decimal(x)  # compile.py: `_Decimal(a) / b`, `_div`: to_decimal(a) / b
    return x / y


def _qualitative(v: Any) -> bool:
    if type(v) is Measure:
        return v.number is None  # arithmetic.qualitative of a measure
    if v is MISSING:
        raise Bail
    return arithmetic.qualitative(v)


def _given_direction(v: Any) -> Any:
    """A direction column's value; an empty cell gives none, and the target's sign decides (rows.empty_cell)."""
    return None if v is MISSING else v


def _directed(actual: Any, target: Any, direction: Any) -> Any:
    if actual is MISSING or target is MISSING:
        raise Bail  # F307
    try:
        return achievement_of(actual, target, direction)
    except AchievementError:
        raise Bail from None  # E505, named by the expansion


def _achievement(actual: Any, target: Any) -> Any:
    """`achievement` of two measures, the direction from the target: measure.achievement, step by step for
    two numbers of the same kind."""
    if actual is MISSING or target is MISSING:
        raise Bail  # F307
    a, t = actual.number, target.number
    if (actual.percent is not target.percent or a is None or t is None
            or (actual.unit and target.unit and actual.unit != target.unit)):
        try:  # percents spelled 百分比, qualitative sides, mismatches: measure.achievement itself
            return achievement_of(actual, target, None)
        except AchievementError:
            raise Bail from None  # E505, named by the expansion
    sign = target.sign
    if sign == "≤":
        if a <= t:
            return _ONE
        return t / a if a else _ONE
    if sign == "=":
        if a == t:
            return _ONE
        if a == 0 or t == 0:
            return _ZERO
        return min(a, t) / max(a, t)
    if t == 0:
        return _ONE if a >= 0 else _ZERO
    return a / t


_HELPERS = {"_cell": _cell, "_div": _div, "_qualitative": _qualitative, "_given_direction": _given_direction,
            "_directed": _directed, "_achievement": _achievement, "_MISSING": MISSING}


def _expr(e: model.Expr, positions: dict[str, int] | None, lets_at: int) -> Fn:
    """A function computing `e` as the expansion's generated code does, or Unsupported.
    `positions`: the row's columns (column name -> place in the row tuple); None outside a row.
    `lets_at`: where the lets start in the inputs tuple `i` (after the inputs: RowLoop.run)."""
    writer = _RowExpressions(positions, lets_at)
    source = writer.expr(e)
    namespace: dict[str, Any] = {"__builtins__": {}, **_HELPERS}
    namespace.update((f"K{k}", value) for k, value in enumerate(writer.constants))
    exec(_compiled(f"def f(r, i):\n    return {source}\n"), namespace)
    function: Fn = namespace["f"]
    return function


@functools.lru_cache(maxsize=512)
def _compiled(text: str) -> Any:
    """compile() of an expression's function, kept by its text (constants are K names, not in it)."""
    return compile(text, "<perfrules row loop>", "exec")


class _RowExpressions(ExprEmitter):
    """The row loop's hooks of the expression writer (backend/emitter.py): inputs, lets and columns are
    places in the tuples `i` and `r`, a division by zero or anything odd bails out, and what the loop
    does not support is Unsupported. Each constant has its own K<n>, as each occurrence had before."""

    def __init__(self, positions: dict[str, int] | None, lets_at: int):
        super().__init__(shared_constants=False)
        self.positions = positions
        self.lets_at = lets_at

    def column(self, ref: model.ColumnRef) -> str:
        return f"r[{_column(ref, self.positions)}]"

    def place(self, e: Place) -> str:
        match e:
            case model.InputRef(index=index) if e.type.kind != "measure":
                return f"i[{int(index)}]"
            case model.LetRef(index=index):
                return f"i[{int(self.lets_at + index)}]"
            case model.ColumnRef():
                return f"_cell({self.column(e)})"
        raise Unsupported(f"the expression {type(e).__name__}")

    def divide(self, e: model.Binary) -> str:
        return f"_div({self.expr(e.left)}, {self.expr(e.right)})"

    def ranked(self, e: model.Compare, a: str, b: str) -> str:
        raise Unsupported("an ordered comparison of grades")

    def call(self, e: model.Call) -> str:
        match e:
            case model.Call(function="given", args=(model.ColumnRef() as ref,)):
                return f"({self.column(ref)} is not _MISSING)"
            case model.Call(function="qualitative", args=(model.ColumnRef() as ref,)):
                return f"_qualitative({self.column(ref)})"
            case model.Call(function="achievement", args=args):
                return self.achievement(args)
        raise Unsupported(f"the function {e.function}")

    def achievement(self, args: tuple[model.Expr, ...]) -> str:
        """`achievement(ACTUAL, TARGET[, DIRECTION])` of two measure columns (rows.py: their measures, whole)."""
        if len(args) not in (2, 3) or not all(isinstance(a, model.ColumnRef) and a.type.kind == "measure"
                                              for a in args[:2]):  # fmt: skip
            raise Unsupported("achievement of anything but two measure columns")
        assert isinstance(args[0], model.ColumnRef) and isinstance(args[1], model.ColumnRef)
        actual, target = self.column(args[0]), self.column(args[1])
        if len(args) == 2:
            return f"_achievement({actual}, {target})"
        direction = args[2]
        if isinstance(direction, model.Const) and isinstance(direction.value, str):
            return f"_directed({actual}, {target}, {self.const(direction.value)})"
        if isinstance(direction, model.ColumnRef) and direction.type == model.DIRECTION:
            return f"_directed({actual}, {target}, _given_direction({self.column(direction)}))"
        raise Unsupported("a direction that is not a column or a constant")


def _scorer(rule: model.Rule, positions: dict[str, int] | None, precision: int, lets_at: int) -> Callable[..., Decimal]:
    """A rule without adjustments as `score(row, inputs, weight)` -> the leaf's points, the steps of
    compile.py's leaf (`_Emitter.leaf`) for that rule, on the same Decimals."""
    quantum, context = arithmetic.quantum(precision), decimal_context.CONTEXT
    zero = arithmetic.round_half_up(0, precision)
    if rule.because is not None and positions is not None:
        raise Unsupported("a row's reason")  # its insertions are substituted per row
    if rule.kind in ("ratio", "score"):
        assert rule.expr is not None
        value = _expr(rule.expr, positions, lets_at)
        to_decimal = arithmetic.to_decimal

        def ratio(r: Any, i: tuple[Any, ...], weight: Decimal) -> Decimal:
            t = weight * value(r, i)
            if t > weight:
                return weight.quantize(quantum, ROUND_HALF_UP, context)  # arithmetic.round_half_up
            if t <= _ZERO:  # <=: a negative zero is 0 too
                return zero
            return t.quantize(quantum, ROUND_HALF_UP)  # type: ignore[no-any-return]

        if rule.kind == "ratio":
            return ratio

        def scored(r: Any, i: tuple[Any, ...], weight: Decimal) -> Decimal:
            t = to_decimal(value(r, i))
            if t > weight:
                return weight.quantize(quantum, ROUND_HALF_UP, context)  # arithmetic.round_half_up
            if t <= _ZERO:  # <=: a negative zero is 0 too
                return zero
            return t.quantize(quantum, ROUND_HALF_UP)

        return scored
    if rule.kind == "full":
        return lambda r, i, weight: weight.quantize(quantum, ROUND_HALF_UP, context)
    if rule.kind == "judged" and isinstance(rule.expr, model.ColumnRef) and positions is not None:
        if rule.band_column is not None:
            raise Unsupported("judged points with a band column")
        j = _column(rule.expr, positions)

        def judged(r: Any, i: tuple[Any, ...], weight: Decimal) -> Decimal:
            value = r[j]
            if value is MISSING:
                raise Bail  # F304
            t = arithmetic.to_decimal(value)
            if not _ZERO <= t <= weight:
                raise Bail  # F305
            return (t if t > _ZERO else _ZERO).quantize(quantum, ROUND_HALF_UP)

        return judged
    raise Unsupported(f"a {rule.kind} rule")


Audit = Callable[[Any, tuple[Any, ...], Decimal], tuple[Any, Decimal, Decimal, bool, Decimal]]


def _auditor(rule: model.Rule, positions: dict[str, int] | None, precision: int, lets_at: int) -> Audit:
    """What the audit of a leaf the loop scored takes from its rule, for results/loopwriter.py:
    `audit(row, inputs, weight)` -> (value, raw, exact, clamped, points), the slots compile.py's leaf
    (`_Emitter.leaf`) fills for that rule, by the same steps on the same Decimals. Only for rules
    `_scorer` supports (it has vouched for the values already: this never bails)."""
    quantum, context = arithmetic.quantum(precision), decimal_context.CONTEXT
    zero = arithmetic.round_half_up(0, precision)
    if rule.kind in ("ratio", "score"):
        assert rule.expr is not None
        value = _expr(rule.expr, positions, lets_at)
        to_decimal, ratio = arithmetic.to_decimal, rule.kind == "ratio"

        def product(r: Any, i: tuple[Any, ...], weight: Decimal) -> tuple[Any, Decimal, Decimal, bool, Decimal]:
            v = value(r, i)
            t = weight * v if ratio else to_decimal(v)
            if t > weight:
                return v, weight, weight, True, weight.quantize(quantum, ROUND_HALF_UP, context)
            if t <= _ZERO:
                return v, _ZERO, _ZERO, t < _ZERO, zero
            return v, t, t, False, t.quantize(quantum, ROUND_HALF_UP)

        return product
    if rule.kind == "full":
        return lambda r, i, weight: (None, weight, weight, False, weight.quantize(quantum, ROUND_HALF_UP, context))
    assert rule.kind == "judged" and isinstance(rule.expr, model.ColumnRef) and positions is not None
    j = _column(rule.expr, positions)

    def judged(r: Any, i: tuple[Any, ...], weight: Decimal) -> tuple[Any, Decimal, Decimal, bool, Decimal]:
        t = arithmetic.to_decimal(r[j])  # within [0, weight]: the loop bailed otherwise (F305)
        exact = t if t > _ZERO else _ZERO
        return None, t, exact, False, exact.quantize(quantum, ROUND_HALF_UP)

    return judged


class _Each:
    """An `each` indicator, ready to run over its table's rows."""

    def __init__(self, ind: model.Indicator, ruleset: model.CheckedRuleset):
        each = ind.each
        assert each is not None
        if ind.applies is not None:
            raise Unsupported("`applies` on an each")
        self.ind = ind
        self.table = each.table
        table = ruleset.inputs[each.table]
        self.positions = positions = {c.name: j for j, c in enumerate(table.columns)}
        lets_at = len(ruleset.inputs)
        self.kinds = {c.name: c.type.kind for c in table.columns}
        self.where = _expr(each.where, positions, lets_at) if each.where is not None else None
        # `where COLUMN == "text"` over a required column: compared in the loop, without a closure per row
        self.where_equal: tuple[int, Any] | None = None
        match each.where:
            case model.Compare(op="==", left=model.ColumnRef(optional=False) as ref, right=model.Const(value=value)) \
                    if self.kinds[ref.column] == "text" and isinstance(value, str):
                self.where_equal = (positions[ref.column], value)
        self.group = self.text_column(each.group)
        self.key = self.text_column(each.key)
        # a required text column holds a str: its text is the str stripped (`_text`)
        self.group_plain = each.group is not None and self.kinds[each.group.column] == "text" \
            and not each.group.optional
        self.key_plain = each.key is not None and self.kinds[each.key.column] == "text" and not each.key.optional
        self.weight = -1
        if each.weight is not None:
            if self.kinds[each.weight.column] not in ("number", "count"):
                raise Unsupported("a weight column that is not a number")
            self.weight = _column(each.weight, positions)
        elif ind.weight_from_rows:
            raise Unsupported("evenly without a weight")  # pragma: no cover - the checker refuses it
        self.arms: list[tuple[Fn | None, Callable[..., Decimal]]] = []
        # a scorer -> its arm's number and audit (results/loopwriter.py reads the rows the loop scored)
        self.audits: dict[Callable[..., Decimal], tuple[int, Audit]] = {}
        for number, arm in enumerate(each.arms):
            if arm.adjustments or arm.applies is not None:
                raise Unsupported("adjustments or `applies` in a row's arm")
            condition = _expr(arm.condition, positions, lets_at) if arm.condition is not None else None
            scorer = _scorer(arm.rule, positions, ruleset.precision, lets_at)
            self.arms.append((condition, scorer))
            self.audits[scorer] = (number, _auditor(arm.rule, positions, ruleset.precision, lets_at))
        self.scale = ind.scale if not ind.weight_from_rows else None
        self.unit = arithmetic.quantum(ruleset.precision)
        self.zero = arithmetic.round_half_up(0, ruleset.precision)
        self.lang = lang_of(ruleset.chinese)

    def text_column(self, ref: model.ColumnRef | None) -> int:
        if ref is None:
            return -1
        if self.kinds[ref.column] not in ("text", "number", "count"):
            raise Unsupported("a key or group column of another kind")
        return _column(ref, self.positions)

    def score(self, rows: list[tuple[Any, ...]], inputs: tuple[Any, ...], selected: set[int],
              points: dict[str, Decimal], trail: list[Scored]) -> tuple[Decimal, Decimal]:  # fmt: skip
        """This indicator's weight and points for these rows, its rows' and sub-groups' points into
        `points` in the order the expansion lists them (rows.py `_Expander.each`, then compile.py's
        groups: sums, converted from `out of` and rounded); each row scored into `trail`."""
        ind = self.ind
        where = self.where
        if self.where_equal is not None:
            j, value = self.where_equal
            chosen = [k for k, r in enumerate(rows) if r[j] == value]
        elif where is not None:
            chosen = [k for k, r in enumerate(rows) if where(r, inputs)]
        else:
            chosen = list(range(len(rows)))
        selected.update(chosen)
        g = self.group
        if g < 0:
            groups_of = None
        elif self.group_plain:
            groups_of = [rows[k][g].strip() for k in chosen]
        else:
            groups_of = [cell_text(rows[k][g]) for k in chosen]
        if groups_of is not None and "" in groups_of:
            raise Bail  # F307: a row without the group its `group` column names
        weights = self.weights(rows, chosen, groups_of)
        weight = ind.weight if self.scale is not None else sum(weights, _ZERO)
        path = ind.path
        points[path] = _ZERO  # its place, before its rows
        groups: dict[str, dict[str, Decimal]] = {}
        arms = self.arms
        key_plain, kj = self.key_plain, self.key
        for n, k in enumerate(chosen):
            r = rows[k]
            key = r[kj].strip() if key_plain else ""
            if not key:
                key = self.key_of(r, k)
            group = groups_of[n] if groups_of is not None else ""
            if "." in key or "." in group:
                raise Bail  # F308
            leaf_path = f"{path}.{group}.{key}" if group else f"{path}.{key}"  # `path` is never empty
            members = groups.get(group)
            if members is None:
                members = groups[group] = {}
            elif leaf_path in members:
                raise Bail  # F302: the same key twice in a group
            for condition, scorer in arms:
                if condition is None or condition(r, inputs):
                    members[leaf_path] = scorer(r, inputs, weights[n])
                    trail.append((leaf_path, self, k, key, scorer, weights[n]))
                    break
            else:
                raise Bail  # pragma: no cover - the last arm is `else` (the checker sees to it)
        if groups_of is None:
            members = groups.get("", {})
            got = sum(members.values(), _ZERO) if members else self.zero  # no rows: 0 at `precision`, as compile.py
            points.update(members)
        else:
            sums = []
            for group, members in groups.items():
                sums.append(group_sum := sum(members.values(), _ZERO))
                points[f"{path}.{group}"] = group_sum
                points.update(members)
            got = sum(sums, _ZERO) if sums else self.zero
        out_of = ind.out_of
        if out_of is not None:
            got = self.zero if out_of <= _ZERO else (got * weight / out_of).quantize(self.unit, ROUND_HALF_UP)
        points[path] = got
        return weight, got

    def key_of(self, r: tuple[Any, ...], k: int) -> str:
        """A row's key when the loop's quick read gave none: its cell as rows.py names it, or 第N行."""
        if self.key < 0:
            return phrases.ROW_KEY.format(self.lang, number=k + 1)
        return cell_text(r[self.key]) or phrases.ROW_KEY.format(self.lang, number=k + 1)

    def weights(self, rows: list[tuple[Any, ...]], chosen: list[int], groups: list[str] | None) -> list[Decimal]:
        """rows.py `_Expander.weights`: a column's values, or `evenly` with the remainder to the first rows listed."""
        if self.weight < 0:
            if not chosen:
                raise Bail  # F306
            assert self.scale is not None
            return evenly(self.scale, self.unit, groups, len(chosen))
        j = self.weight
        out = []
        for k in chosen:
            value = rows[k][j]
            if value is MISSING:
                raise Bail  # F307
            weight = arithmetic.to_decimal(value)
            if weight < 0:
                raise Bail  # F205: a negative weight
            out.append(weight)
        if self.scale is not None and sum(out, _ZERO) != self.scale:
            raise Bail  # F301
        return out


class RowLoop:
    """A rows ruleset's scorer from a plain dict of inputs; `run` returns (total, rating arm, points by path,
    the inputs as read with the lets after them, the rows scored) or None for anything it does not vouch for."""

    def __init__(self, ruleset: model.CheckedRuleset):
        if ruleset.adjustments or ruleset.vetoes:
            raise Unsupported("top-level adjustments or vetoes")
        from perfrules.semantics.bounds import risky_insertions

        if risky_insertions(ruleset):
            raise Unsupported("a reason's insertion that may pass the engine's limit")  # engine._insertions_fit
        # lets are worked out before the rows (compile.py does so too); one that fails, the loop does not vouch for
        self.lets = [_expr(let.expr, None, len(ruleset.inputs)) for let in ruleset.lets]
        checks = row_checks(ruleset)
        names = ", ".join(f"i{k}" for k in range(len(ruleset.inputs)))
        code = "def read(m):\n" + "".join(f"    {line}\n" for line in checks.lines) + f"    return ({names},)\n"
        namespace = dict(checks.namespace)
        exec(compile(code, "<perfrules row checks>", "exec"), namespace)
        self.read: Callable[[Any], tuple[Any, ...] | None] = namespace["read"]
        self.code = code
        self.rows_inputs = tuple(inp.name for inp in ruleset.inputs if inp.type.kind == "rows")
        self.precision = ruleset.precision
        self.quantum = arithmetic.quantum(ruleset.precision)
        self.zero = arithmetic.round_half_up(0, ruleset.precision)
        self.total = ruleset.total
        self.rating = ruleset.rating
        self.tables: dict[int, int] = {}  # table -> how many `each` read it
        self.leaf_audits: dict[int, Audit] = {}  # a leaf outside the rows (its index) -> its audit
        self.eaches: dict[str, _Each] = {}  # an `each` indicator's path -> it
        self.plan = [self.indicator(ind, ruleset) for ind in ruleset.indicators]

    def indicator(self, ind: model.Indicator, ruleset: model.CheckedRuleset) -> Any:
        if ind.applies is not None or ind.adjustments:
            raise Unsupported("`applies` or adjustments")
        if ind.each is not None:
            self.tables[ind.each.table] = self.tables.get(ind.each.table, 0) + 1
            made = self.eaches[ind.path] = _Each(ind, ruleset)
            return made
        if ind.weight_from_rows:
            raise Unsupported("an indicator without a weight that is not an each")  # pragma: no cover
        if ind.is_leaf:
            assert ind.rule is not None
            if ind.rule.kind == "judged":
                raise Unsupported("a judged leaf")  # its points come from a [judged] table
            scorer = _scorer(ind.rule, None, ruleset.precision, len(ruleset.inputs))
            self.leaf_audits[ind.index] = _auditor(ind.rule, None, ruleset.precision, len(ruleset.inputs))
            return (ind, scorer)
        return (ind, [self.indicator(c, ruleset) for c in ind.children])

    def run(self, facts: Any) -> tuple[Decimal, int, dict[str, Decimal], tuple[Any, ...], list[Scored]] | None:
        saved = decimal.getcontext()
        decimal.setcontext(decimal_context.LOCAL.context)
        try:
            inputs = self.read(facts)  # KeyError, TypeError: a row without a column, an unhashable value
            if inputs is None:
                return None
            for let in self.lets:
                inputs = (*inputs, let(None, inputs))
            selected: dict[int, set[int]] = {t: set() for t in self.tables}
            points: dict[str, Decimal] = {}
            trail: list[Scored] = []
            total = self.group(self.plan, inputs, selected, points, trail, self.total)
            for table, chosen in selected.items():
                if len(chosen) != len(inputs[table]):
                    return None  # F303: a row that no `each` selects
            arm = -1
            for k, rating in enumerate(self.rating):
                if rating.op is None or _OPS[rating.op](total, rating.threshold):
                    arm = k
                    break
            return total, arm, points, inputs, trail
        except (Bail, ArithmeticError, AchievementError, arithmetic.DivisionByZero, arithmetic.AchievementFailed,
                StopIteration, TypeError, ValueError, KeyError):  # fmt: skip
            return None  # the expansion path says what it is (or scores it: then it was not the loop's to score)
        finally:
            decimal.setcontext(saved)

    def group(self, steps: list[Any], inputs: tuple[Any, ...], selected: dict[int, set[int]],
              points: dict[str, Decimal], trail: list[Scored], scale: Decimal) -> Decimal:  # fmt: skip
        """The sum of these indicators' points (theirs into `points`); rows.py `check_sums` on their weights."""
        weights, sums = [], []
        for step in steps:
            if type(step) is _Each:
                weight, got = step.score(inputs[step.table], inputs, selected[step.table], points, trail)
            else:
                ind, inner = step
                weight = ind.weight
                if type(inner) is list:
                    points[ind.path] = _ZERO  # its place, before its children
                    got = self.group(inner, inputs, selected, points, trail, ind.scale)
                    if ind.out_of is not None:
                        got = self.zero if ind.out_of <= _ZERO else \
                            (got * weight / ind.out_of).quantize(self.quantum, ROUND_HALF_UP)  # fmt: skip
                else:
                    got = inner(None, inputs, weight)
                points[ind.path] = got
            weights.append(weight)
            sums.append(got)
        if any(type(s) is _Each and s.scale is None for s in steps) and sum(weights, _ZERO) != scale:
            raise Bail  # F301: weights taken from rows that do not add up to their parent's scale
        return sum(sums, _ZERO)


def build(ruleset: model.CheckedRuleset) -> RowLoop | None:
    """The row loop of a rows ruleset, or None if it uses anything the loop does not support."""
    if not any(inp.type.kind == "rows" for inp in ruleset.inputs):
        return None
    try:
        with decimal_context.EngineContext():
            return RowLoop(ruleset)
    except Unsupported:
        return None
