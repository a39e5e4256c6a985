"""Names and types of expressions: resolve every name (inputs, params, lets, columns), infer
every type (number, percent, count, bool, grade, text), check calls and comparisons, and fold
constants. The part of the checker that reads formulas; check.py holds the structure around them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Collector, did_you_mean
from perfrules.semantics import arithmetic, model
from perfrules.source import Span
from perfrules.syntax import nodes
from perfrules.syntax.keywords import CHINESE_KEYWORDS, FUNCTION_OF, FUNCTIONS, KEYWORDS, keyword_prefix

ARITY = {
    "min": (2, 99), "max": (2, 99), "abs": (1, 1), "floor": (1, 1), "ceil": (1, 1),
    "round": (2, 2), "clamp": (3, 3), "shortfall": (2, 2), "excess": (2, 2),
}  # fmt: skip
PERCENT_PRESERVING = {"min", "max", "clamp", "shortfall", "excess"}
AGGREGATES = {"sum", "count", "mean", "weighted_mean"}
ROW_FUNCTIONS = {"achievement", "qualitative", "given"}


class ExpressionChecker:
    """The checker's methods for expressions; check._Checker holds the declarations they read."""

    errors: Collector
    file: nodes.RuleFile
    inputs: list[model.Input]
    params: list[model.Param]
    lets: list[model.Let]
    scope: dict[str, model.Input | model.Param | model.Let]
    declared_anywhere: dict[str, nodes.Input | nodes.Param | nodes.Let]
    current_let: str | None
    untyped_lets: set[str]
    row_table: model.Input | None

    def _param(self, decl: nodes.Param) -> None:
        raise NotImplementedError  # check._Checker declares a param; a constant may name one declared later

    def _unknown_column(self, name: str, table: model.Input, span: Span) -> None:
        guess = did_you_mean(name, [c.name for c in table.columns])
        self.errors.error(say.E212_NO_COLUMN(table=table.name, column=name), span,
                          help=say.DID_YOU_MEAN(guess=guess) if guess else
                          say.F202_THE_COLUMNS(columns=tuple(c.name for c in table.columns)))


    def _condition(self, expr: nodes.Expr, what: Said) -> model.Expr | None:
        checked = self._expr(expr)
        if checked is not None and checked.type.kind != "bool":
            self.errors.error(say.E302_NOT_BOOL(what=what, type=checked.type.said()), expr.span,
                              help=say.E302_COMPARE_IT())
            return None
        return checked

    def _numeric(self, expr: nodes.Expr, what: Said) -> model.Expr | None:
        checked = self._expr(expr)
        if checked is not None and not checked.type.numeric:
            self.errors.error(say.E302_NOT_NUMBER(what=what, type=checked.type.said()), expr.span,
                              help=say.NUMBER_WANTED())
            return None
        return checked

    def _constant(self, expr: nodes.Expr, what: Said, allow_later_params: bool = False) -> Decimal | None:
        if allow_later_params and isinstance(expr, nodes.Name) and expr.name not in self.scope:
            later = self.declared_anywhere.get(expr.name)
            if isinstance(later, nodes.Param):
                self._param(later)
        checked = self._expr(expr, constant=True)
        if checked is None:
            return None
        if not checked.type.numeric:
            self.errors.error(say.E302_NOT_NUMBER(what=what, type=checked.type.said()), expr.span,
                              help=say.NUMBER_WANTED())
            return None
        try:
            value = arithmetic.interpret(checked, (), lambda i: None)
        except arithmetic.DivisionByZero:
            self.errors.error(say.E501_DIVISION(), expr.span, help=say.NONZERO_DIVISOR())
            return None
        return arithmetic.to_decimal(value)

    def _expr(self, expr: nodes.Expr, constant: bool = False) -> model.Expr | None:
        """Type one expression; report problems and return None where it is wrong."""
        match expr:
            case nodes.Number(value=value):
                return model.Const(value, model.NUMBER, expr.span)
            case nodes.Percent(value=value):
                return model.Const(value, model.PERCENT, expr.span)
            case nodes.String(value=value):
                return model.Const(value, model.TEXT, expr.span)
            case nodes.Bool(value=value):
                return model.Const(value, model.BOOL, expr.span)
            case nodes.Name():
                return self._name(expr, constant)
            case nodes.Negate(operand=operand):
                inner = self._expr(operand, constant)
                if inner is None:
                    return None
                if not inner.type.numeric:
                    self._type_error(say.E301_NEGATE(type=inner.type.said()), operand.span, help=say.NUMBER_WANTED())
                    return None
                if isinstance(inner, model.Const):
                    assert isinstance(inner.value, (Decimal, int))
                    return model.Const(-inner.value, inner.type, expr.span)
                return model.Unary("-", inner, inner.type if inner.type.kind == "percent" else model.NUMBER,
                                   expr.span)
            case nodes.Not(operand=operand):
                inner = self._expr(operand, constant)
                if inner is None:
                    return None
                if inner.type.kind != "bool":
                    self._type_error(say.E301_NOT(type=inner.type.said()), operand.span, help=say.E302_COMPARE_IT())
                    return None
                return model.Unary("not", inner, model.BOOL, expr.span)
            case nodes.Binary(op=op, left=left, right=right):
                a, b = self._expr(left, constant), self._expr(right, constant)
                if a is None or b is None:
                    return None
                for side, node in ((a, left), (b, right)):
                    if not side.type.numeric:
                        self._type_error(say.E301_ARITHMETIC(op=op, operand=source(node), type=side.type.said()),
                                         node.span, help=say.E301_ARITHMETIC_HELP())
                        return None
                return model.Binary(op, a, b, model.NUMBER, expr.span)
            case nodes.Compare():
                return self._compare(expr, constant)
            case nodes.Logical(op=op, left=left, right=right):
                a, b = self._expr(left, constant), self._expr(right, constant)
                if a is None or b is None:
                    return None
                for side, node in ((a, left), (b, right)):
                    if side.type.kind != "bool":
                        self._type_error(say.E301_LOGICAL(op=op, operand=source(node), type=side.type.said()),
                                         node.span, help=say.E301_COMPARE_FIRST())
                        return None
                return model.Logical(op, a, b, model.BOOL, expr.span)
            case nodes.If(condition=c, then=t, otherwise=o):
                cond = self._expr(c, constant)
                then, other = self._expr(t, constant), self._expr(o, constant)
                if cond is None or then is None or other is None:
                    return None
                if cond.type.kind != "bool":
                    self._type_error(say.E301_IF_CONDITION(type=cond.type.said()), c.span, help=say.E302_COMPARE_IT())
                    return None
                joined = join(then.type, other.type)
                if joined is None:
                    self._type_error(say.E301_BRANCHES(then=then.type.said(), other=other.type.said()), expr.span,
                                     help=say.BRANCHES_ALIKE())
                    return None
                return model.IfElse(cond, then, other, joined, expr.span)
            case nodes.Call():
                return self._call(expr, constant)
            case nodes.ColumnRef():
                self.errors.error(say.E215_COLUMN_OUTSIDE(table=expr.table, column=expr.column), expr.span,
                                  help=say.E215_EXAMPLE(table=expr.table, column=expr.column, each=self._kw("each")))
                return None
        raise AssertionError(expr)  # pragma: no cover

    def _type_error(self, message: Said, span: Span, help: Said | None) -> None:
        self.errors.error(message, span, help=help)

    def _name(self, expr: nodes.Name, constant: bool) -> model.Expr | None:
        if self.row_table is not None:
            column = self.row_table.column(expr.name)
            if column is not None:
                if constant:
                    self._not_constant(expr)
                    return None
                return model.ColumnRef(self.row_table.index, column.name, column.type, column.optional, expr.span)
        decl = self.scope.get(expr.name)
        if decl is None:
            self._unknown_name(expr)
            return None
        if self.current_let == expr.name:
            self.errors.error(say.E203_ITSELF(name=expr.name), expr.span, help=say.E203_NOT_ITS_OWN())
            return None
        match decl:
            case model.Param():
                return model.ParamRef(decl.name, decl.value, decl.type, expr.span)
            case model.Input():
                if constant:
                    self._not_constant(expr)
                    return None
                if decl.type.kind == "rows":
                    self.errors.error(say.E214_TABLE_AS_VALUE(name=expr.name), expr.span,
                                      help=say.E214_SCORE_ROWS(each=self._kw("each"), name=expr.name))
                    return None
                return model.InputRef(decl.name, decl.index, decl.type, expr.span)
            case model.Let():
                if constant:
                    self._not_constant(expr)
                    return None
                if decl.name in self.untyped_lets:
                    return None  # its formula's error is said; what type it would have is not known
                return model.LetRef(decl.name, decl.index, decl.type, expr.span)
        raise AssertionError(decl)  # pragma: no cover

    def _not_constant(self, expr: nodes.Name) -> None:
        self.errors.error(say.E208_NOT_CONSTANT(name=expr.name), expr.span, help=say.E208_USE_CONSTANT())

    def _unknown_name(self, expr: nodes.Name) -> None:
        name = expr.name
        later = self.declared_anywhere.get(name)
        if later is not None:
            if name == self.current_let:  # `let a = a + n`: its own name, not yet in scope while its formula is read
                self.errors.error(say.E203_ITSELF(name=name), expr.span, help=say.E203_NOT_ITS_OWN())
                return
            if self.current_let is not None and self._reaches(later, self.current_let):
                self.errors.error(say.E203_EACH_OTHER(first=self.current_let, second=name), expr.span,
                                  help=say.E203_BREAK_CYCLE())
                return
            where = later.name_span.location()
            self.errors.error(say.E202_USED_BEFORE(name=name, place=where), expr.span,
                              help=say.E202_MOVE_UP(name=name))
            return
        known = self.scope.keys()
        glued = keyword_prefix(name)
        help_text = None
        notes: list[Said] = []
        if glued is not None and (glued in CHINESE_KEYWORDS or name[len(glued):] in self.scope):
            help_text = say.E201_GLUED(name=name, keyword=glued, rest=name[len(glued):])
        guess = did_you_mean(name, known)
        if guess is not None:
            if help_text is None:
                help_text = say.DID_YOU_MEAN(guess=guess)
            else:
                notes.append(say.E201_OR_DID_YOU_MEAN(guess=guess))
        if help_text is None:
            # a column read outside the rows that hold it: say whose column it is and where it can be read
            table = self._table_of_column(name)
            help_text = say.E201_COLUMN_OF(name=name, table=table, each=self._kw("each"), sum=self._fn("sum")) \
                if table is not None else say.E201_DECLARE_FIRST()  # fmt: skip
        self.errors.error(say.E201_UNKNOWN_NAME(name=name), expr.span, help=help_text, notes=notes)

    def _table_of_column(self, name: str) -> str | None:
        """The first rows input declared so far that has a column `name`. Made once per count of inputs: a
        file of thousands of misspelt names asks it for each (tests/corpus, 03-did-you-mean-6000)."""
        known: tuple[int, dict[str, str]] | None = getattr(self, "_columns_by_name", None)
        if known is None or known[0] != len(self.inputs):
            tables: dict[str, str] = {}
            for inp in self.inputs:
                for column in inp.columns if inp.type.kind == "rows" else ():
                    tables.setdefault(column.name, inp.name)
            known = (len(self.inputs), tables)
            self._columns_by_name = known
        return known[1].get(name)

    def _reaches(self, decl: nodes.Input | nodes.Param | nodes.Let, target: str) -> bool:
        """Does `decl`'s formula (transitively, through later lets) use `target`?"""
        stack: list[nodes.Input | nodes.Param | nodes.Let] = [decl]
        seen: set[str] = set()
        while stack:
            current = stack.pop()
            if current.name in seen or not isinstance(current, (nodes.Let, nodes.Param)):
                continue
            seen.add(current.name)
            for name in names_in(current.expr):
                if name == target:
                    return True
                nxt = self.declared_anywhere.get(name)
                if nxt is not None:
                    stack.append(nxt)
        return False

    def _compare(self, expr: nodes.Compare, constant: bool) -> model.Expr | None:
        left, right = expr.left, expr.right
        # A bare grade label (`results_used == 优`) is a label of the other side's grade.
        a = self._label_side(left, right, constant)
        b = self._label_side(right, left, constant)
        if a is None or b is None:
            return None
        ta, tb = a.type, b.type
        ok = False
        if ta.numeric and tb.numeric:
            ok = True
            self._percent_vs_plain(a, b, left, right)
        elif ta.kind == tb.kind == "grade":
            ok = ta.labels == tb.labels
        elif ta.kind == tb.kind and ta.kind in ("bool", "text"):
            ok = expr.op in ("==", "!=")
            if not ok:
                self._type_error(say.E301_EQUALITY_ONLY(kind=ta.said()), expr.op_span, help=say.EQUAL_OR_NOT())
                return None
        if not ok:
            self._type_error(say.E301_CANNOT_COMPARE(left=ta.said(), right=tb.said()), expr.span,
                             help=self._measure_with_text(left, right, ta, tb) or say.E301_COMPARE_LIKE())
            return None
        return model.Compare(expr.op, a, b, model.BOOL, expr.span)

    def _measure_with_text(self, left: nodes.Expr, right: nodes.Expr, ta: model.ValueType,
                           tb: model.ValueType) -> Said | None:  # fmt: skip
        """The help for `指标值 == "达成"`: a measure is asked whether it is qualitative, or compared
        with its target by achievement(); None unless a measure is compared with a text."""
        if {ta.kind, tb.kind} != {"measure", "text"}:
            return None
        measure, text = (left, right) if ta.kind == "measure" else (right, left)
        call = f"{self._fn('qualitative')}({measure.span.text()})"
        achievement = self._fn("achievement")
        if isinstance(text, nodes.String):
            from perfrules.semantics.measure import parse_measure

            read = parse_measure(text.value)
            if read is not None and read.qualitative:  # 「达成」, 「效果明显」: the words of a qualitative measure
                return say.E301_ASK_QUALITATIVE(call=call, text=text.value, achievement=achievement)
        return say.E301_MEASURE_BY_FUNCTION(call=call, achievement=achievement)

    def _label_side(self, side: nodes.Expr, other: nodes.Expr, constant: bool) -> model.Expr | None:
        if isinstance(side, (nodes.Name, nodes.String)):
            label = side.name if isinstance(side, nodes.Name) else side.value
            is_column = self.row_table is not None and self.row_table.column(label) is not None
            if not (isinstance(side, nodes.Name) and (label in self.scope or is_column)):
                other_type = self._peek_type(other)
                if other_type is not None and other_type.kind == "grade":
                    if label not in other_type.labels:
                        self._bad_label(label, other_type, side.span)
                        return None
                    return model.Const(label, other_type, side.span)
        return self._expr(side, constant)

    def _peek_type(self, expr: nodes.Expr) -> model.ValueType | None:
        if isinstance(expr, nodes.Name):
            if self.row_table is not None:
                column = self.row_table.column(expr.name)
                if column is not None:
                    return column.type
            decl = self.scope.get(expr.name)
            return decl.type if decl is not None else None
        return None

    def _add_one_rule(self) -> Said:
        rules = ("full", "ratio", "score", "tiers", "grade", "checklist", "judged")
        return say.ADD_ONE_RULE(rules=tuple(f"`{self._kw(k)}`" for k in rules))

    def _kw(self, english: str) -> str:
        """A keyword as this file spells it, for messages: `否则` in a Chinese-keyword file."""
        return KEYWORDS[english] if self.file.chinese_keywords else english

    def _fn(self, english: str) -> str:
        """A function as this file spells it, for messages: `合计` in a Chinese-keyword file."""
        return FUNCTIONS[english] if self.file.chinese_keywords else english

    def _percent_vs_plain(self, a: model.Expr, b: model.Expr, left: nodes.Expr, right: nodes.Expr) -> None:
        for this, that, node in ((a, b, right), (b, a, left)):
            if this.type.kind == "percent" and isinstance(that, model.Const) and isinstance(node, nodes.Number):
                assert isinstance(that.value, Decimal)
                if abs(that.value) > 1:
                    self.errors.error(say.E306_PERCENT_VS_PLAIN(subject=source(left if node is right else right),
                                                                value=num(that.value)),
                                      node.span, help=say.WRITE_PERCENT(value=num(that.value)))

    def _bad_label(self, label: str, type_: model.ValueType, span: Span) -> None:
        guess = did_you_mean(label, type_.labels)
        help_text = say.E304_DID_YOU_MEAN(guess=guess, labels=type_.labels) if guess is not None else \
            say.E304_THE_LABELS(labels=type_.labels)  # fmt: skip
        self.errors.error(say.E304_NOT_A_LABEL(label=label, type=type_.said()), span, help=help_text)

    def _call(self, expr: nodes.Call, constant: bool) -> model.Expr | None:
        function = FUNCTION_OF.get(expr.function)
        if function in AGGREGATES or (function in ("min", "max") and len(expr.args) == 1) or expr.where is not None:
            if constant:
                self.errors.error(say.E208_NOT_CONSTANT(name=expr.function), expr.span,
                                  help=say.E208_USE_CONSTANT_SHORT())
                return None
            return self._aggregate(expr, function)
        if function in ROW_FUNCTIONS:
            return self._row_function(expr, function, constant)
        if function is None:
            guess = did_you_mean(expr.function, list(FUNCTION_OF))
            self.errors.error(say.E209_UNKNOWN_FUNCTION(function=expr.function), expr.function_span,
                              help=say.DID_YOU_MEAN(guess=guess) if guess else say.E209_THE_FUNCTIONS())
            return None
        low, high = ARITY[function]
        if not low <= len(expr.args) <= high:
            takes = say.E210_TAKES if low == high else say.E210_TAKES_AT_LEAST
            self.errors.error(takes(function=expr.function, wanted=low, count=len(expr.args)), expr.span,
                              help=say.TAKES_VALUES(function=expr.function, wanted=low))
            return None
        args = [self._expr(a, constant) for a in expr.args]
        if any(a is None for a in args):
            return None
        checked = [a for a in args if a is not None]
        for arg, node in zip(checked, expr.args, strict=True):
            if not arg.type.numeric:
                self._type_error(say.E301_FUNCTION_NUMBERS(function=expr.function, operand=source(node),
                                                           type=arg.type.said()), node.span, help=say.NUMBER_WANTED())
                return None
        if function == "round":
            places = checked[1]
            if not isinstance(places, (model.Const, model.ParamRef)) or not whole(places.value):
                self.errors.error(say.E210_ROUND_PLACES(), expr.args[1].span, help=say.E210_ROUND_EXAMPLE())
                return None
        if function in PERCENT_PRESERVING and any(a.type.kind == "percent" for a in checked):
            # 未达(达标率, 100) means 100 = 10000%: almost always a forgotten `%`
            percent_arg = next(n for a, n in zip(checked, expr.args, strict=True) if a.type.kind == "percent")
            for node in expr.args:
                if isinstance(node, nodes.Number) and abs(node.value) > 1:
                    self.errors.error(say.E306_PERCENT_VS_PLAIN(subject=source(percent_arg), value=num(node.value)),
                                      node.span, help=say.WRITE_PERCENT(value=num(node.value)))
        type_ = model.NUMBER
        if function in PERCENT_PRESERVING and all(a.type.kind == "percent" for a in checked):
            type_ = model.PERCENT
        return model.Call(function, tuple(checked), type_, expr.span)  # type: ignore[arg-type]


    def _aggregate(self, expr: nodes.Call, function: str | None) -> model.Expr | None:
        if function not in AGGREGATES and function not in ("min", "max"):
            self.errors.error(say.E210_WHERE_NOT_AGGREGATE(function=expr.function), expr.span,
                              help=say.E210_THE_AGGREGATES())
            return None
        wanted = 2 if function == "weighted_mean" else 1
        if len(expr.args) != wanted:
            takes = say.E210_OVER_ROWS_TWO if wanted > 1 else say.E210_OVER_ROWS_ONE
            self.errors.error(takes(function=expr.function, count=len(expr.args)), expr.span,
                              help=say.E210_AGGREGATE_FORMS())
            return None
        columns: list[model.ColumnRef] = []
        table: model.Input | None = None
        for arg in expr.args:
            if function == "count":
                decl = self.scope.get(arg.name) if isinstance(arg, nodes.Name) else None
                if not isinstance(decl, model.Input) or decl.type.kind != "rows":
                    self.errors.error(say.E216_COUNT_ROWS(function=expr.function), arg.span, help=say.E216_COUNT_FORM())
                    return None
                table = decl
                continue
            if not isinstance(arg, nodes.ColumnRef):
                owner = next((i.name for i in self.inputs if isinstance(arg, nodes.Name) and i.column(arg.name)), None)
                named = arg.name if owner is not None and isinstance(arg, nodes.Name) else None
                example = f"{owner}.{named}" if named is not None else "绩效指标.权重"
                self.errors.error(say.E216_COLUMN_FORM(function=expr.function), arg.span,
                                  help=say.E216_EXAMPLE(function=expr.function, example=example))
                return None
            decl = self.scope.get(arg.table)
            if not isinstance(decl, model.Input) or decl.type.kind != "rows":
                self.errors.error(say.E211_NOT_ROWS(table=arg.table), arg.span, help=say.NAME_A_ROWS_INPUT())
                return None
            if table is not None and decl is not table:
                self.errors.error(say.E216_SAME_TABLE(), arg.span, help=say.ONE_TABLE())
                return None
            table = decl
            column = decl.column(arg.column)
            if column is None:
                self._unknown_column(arg.column, decl, arg.span)
                return None
            if not column.type.numeric:
                self.errors.error(say.E302_NUMBER_COLUMN(function=expr.function, column=arg.column,
                                                         type=column.type.said()), arg.span,
                                  help=say.NUMBER_COLUMN_WANTED())
                return None
            columns.append(model.ColumnRef(decl.index, column.name, column.type, column.optional, arg.span))
        assert table is not None
        where = None
        if expr.where is not None:
            saved = self.row_table
            self.row_table = table
            try:
                where = self._condition(expr.where, say.WHAT["where"]())
            finally:
                self.row_table = saved
            if where is None:
                return None
        if function == "count":
            type_ = model.COUNT
        elif function == "weighted_mean" or columns[0].type.kind != "percent":
            type_ = model.PERCENT if columns[0].type.kind == "percent" else model.NUMBER
        else:
            type_ = model.PERCENT
        return model.Aggregate(function, table.index, columns[0] if columns else None,  # type: ignore[arg-type]
                               columns[1] if len(columns) > 1 else None, where, type_, expr.span)

    def _row_function(self, expr: nodes.Call, function: str, constant: bool) -> model.Expr | None:
        arity = {"achievement": (2, 3), "qualitative": (1, 1), "given": (1, 1)}[function]
        if not arity[0] <= len(expr.args) <= arity[1]:
            said = say.E210_TAKES_TWO_OR_THREE(function=expr.function, count=len(expr.args)) \
                if function == "achievement" else say.E210_TAKES(function=expr.function, wanted=1, count=len(expr.args))
            self.errors.error(said, expr.span, help=say.E210_ROW_FUNCTIONS())
            return None
        if function == "achievement" and len(expr.args) == 3:
            third = expr.args[2]
            if isinstance(third, nodes.Name) and third.name in model.DIRECTION.labels and not (
                    self.row_table is not None and self.row_table.column(third.name)) and third.name not in self.scope:
                direction: model.Expr | None = model.Const(third.name, model.DIRECTION, third.span)
            else:
                direction = self._expr(third, constant)
                if direction is not None and direction.type != model.DIRECTION:
                    self.errors.error(say.E301_DIRECTION(function=expr.function, type=direction.type.said()),
                                      third.span, help=say.DIRECTION_WANTED())
                    return None
            if direction is None:
                return None
        args = [self._expr(a, constant) for a in expr.args[:2 if function == "achievement" else 1]]
        if any(a is None for a in args):
            return None
        checked = [a for a in args if a is not None]
        if function == "given":
            if not isinstance(checked[0], model.ColumnRef) or not checked[0].optional:
                self.errors.error(say.E217_NOT_OPTIONAL(text=expr.args[0].span.text(), function=expr.function),
                                  expr.args[0].span, help=say.E217_GIVEN_FORM())
                return None
            return model.Call("given", tuple(checked), model.BOOL, expr.span)
        if function == "qualitative":
            if checked[0].type not in (model.MEASURE, model.DIRECTION):
                self.errors.error(say.E302_MEASURE_OR_DIRECTION(function=expr.function, type=checked[0].type.said()),
                                  expr.args[0].span, help=say.MEASURE_WANTED())
                return None
            return model.Call("qualitative", tuple(checked), model.BOOL, expr.span)
        for arg, node in zip(checked, expr.args, strict=False):
            if not arg.type.numeric:
                self._type_error(say.E301_NUMBERS_OR_MEASURES(function=expr.function, operand=source(node),
                                                              type=arg.type.said()), node.span,
                                 help=say.NUMBER_WANTED())
                return None
        if len(expr.args) == 3 and direction is not None:
            checked.append(direction)
        return model.Call("achievement", tuple(checked), model.PERCENT, expr.span)


# ---- helpers ----------------------------------------------------------------------------


def num(value: Decimal) -> str:
    return arithmetic.plain(value)


def whole(value: object) -> bool:
    return isinstance(value, (Decimal, int)) and not isinstance(value, bool) and 0 <= value <= 20 \
        and value == int(value)  # fmt: skip


def source(node: Any) -> str:
    return str(node.span.text()) if node is not None and hasattr(node, "span") else ""


def join(a: model.ValueType, b: model.ValueType) -> model.ValueType | None:
    if a == b:
        return a
    if a.numeric and b.numeric:
        return model.NUMBER
    return None


def names_in(expr: nodes.Expr) -> Iterable[str]:
    stack = [expr]
    while stack:
        node = stack.pop()
        match node:
            case nodes.Name(name=name):
                yield name
            case nodes.Negate(operand=o) | nodes.Not(operand=o):
                stack.append(o)
            case nodes.Binary(left=a, right=b) | nodes.Compare(left=a, right=b) | nodes.Logical(left=a, right=b):
                stack.extend((a, b))
            case nodes.If(condition=c, then=t, otherwise=o):
                stack.extend((c, t, o))
            case nodes.Call(args=args):
                stack.extend(args)
