"""AST -> checked model: the structure the spec requires (header, declarations, the indicator
tree and its weights, rows and `each`); the names and types of the formulas inside are
expressions.py's.

Every problem in the file is collected; if there is any, one RulesError carries
them all, sorted by position. Nothing half-checked is returned.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Collector, RulesError
from perfrules.semantics import arithmetic, model
from perfrules.semantics.expressions import num, source
from perfrules.semantics.measure import Measure, parse_measure
from perfrules.semantics.rules import RuleChecker, _Cover
from perfrules.source import Span
from perfrules.syntax import nodes
from perfrules.syntax.keywords import FUNCTION_OF

MAX_PRECISION = 10
MAX_INDICATORS = 2000


def check(rule_file: nodes.RuleFile) -> model.CheckedRuleset:
    """Check a parsed rule file; return the model or raise RulesError with every problem."""
    return _Checker(rule_file).run()


class _Checker(RuleChecker):
    def __init__(self, rule_file: nodes.RuleFile):
        self.file = rule_file
        self.errors = Collector()
        self.inputs: list[model.Input] = []
        self.params: list[model.Param] = []
        self.lets: list[model.Let] = []
        # name -> declared model object, filled in file order
        self.scope: dict[str, model.Input | model.Param | model.Let] = {}
        # every declaration in the file, to tell 'declared later' from 'unknown'
        self.declared_anywhere: dict[str, nodes.Input | nodes.Param | nodes.Let] = {}
        self.current_let: str | None = None
        # lets whose formula had an error already said and no declared type: a use has no type to
        # check, so it says nothing more (`设 x = 非超支` then `如果 x 则 …` is one error, not two)
        self.untyped_lets: set[str] = set()
        self.declaring_column = False  # a rows input's column is being declared (E204's help)
        self.indicator_count = 0
        # inside `each TABLE` (or an aggregate's `where`): that rows input, whose columns are names
        self.row_table: model.Input | None = None

    # ---- driver -------------------------------------------------------------------

    def run(self) -> model.CheckedRuleset:
        statements = self.file.statements
        headers = [s for s in statements if isinstance(s, nodes.Header)]
        for s in statements:
            if isinstance(s, (nodes.Input, nodes.Param, nodes.Let)):
                self.declared_anywhere.setdefault(s.name, s)
            elif isinstance(s, nodes.RowsInput):
                self.declared_anywhere.setdefault(s.name, s)  # type: ignore[arg-type]
        header = self._header(headers)
        precision = header["precision"]
        indicators: list[model.Indicator] = []
        adjustments: list[model.Adjustment] = []
        vetoes: list[model.Veto] = []
        seen_indicators: dict[str, nodes.Indicator] = {}
        for s in statements:
            match s:
                case nodes.Input():
                    self._input(s)
                case nodes.RowsInput():
                    self._rows_input(s)
                case nodes.Param():
                    self._param(s)
                case nodes.Let():
                    self._let(s)
                case nodes.Indicator():
                    self._unique_indicator(s, seen_indicators)
                    built = self._indicator(s, "", 0, precision)
                    if built is not None:
                        indicators.append(built)
                case nodes.Adjustment():
                    adj = self._adjustment(s, header["total"])
                    if adj is not None:
                        adjustments.append(adj)
                case nodes.Veto():
                    cond = self._condition(s.condition, say.WHAT["veto"]())
                    because = self._template(s.because)
                    if cond is not None and because is not None:
                        vetoes.append(model.Veto(cond, because, s.span))
        top_weights = [i.weight for i in statements if isinstance(i, nodes.Indicator) and i.weight is not None]
        from_rows = any(isinstance(i, nodes.Indicator) and i.weight is None for i in statements)
        if header["total"] is not None and headers:
            if not top_weights and not from_rows:
                self.errors.error(say.E402_NO_INDICATORS(), headers[0].name_span, help=say.E402_ADD_INDICATOR())
            elif sum(top_weights) != header["total"] and not from_rows:
                self.errors.error(
                    say.E410_TOP_SUM(sum=num(sum(top_weights, Decimal(0))), total=self._kw("total"),
                                     value=num(header["total"])),
                    header["total_span"],
                    help=say.E410_MAKE_TOP_ADD_UP(parts=_sum_text(top_weights), total=self._kw("total")),
                )
        rating = self._rating(header["rating"], header["total"])
        if self.indicator_count > MAX_INDICATORS:
            self.errors.error(say.E104_TOO_MANY_INDICATORS(count=self.indicator_count, limit=MAX_INDICATORS),
                              headers[0].name_span if headers else None, help=say.SPLIT_RULESET())
        self.errors.raise_if_any(RulesError)
        chinese = self.file.chinese_keywords or _has_cjk(header["name"]) or any(
            _has_cjk(i.name) for i in indicators
        )
        return model.CheckedRuleset(
            name=header["name"], version=header["version"], total=header["total"],
            precision=precision, cite=header["cite"], rating=rating,
            inputs=tuple(self.inputs), params=tuple(self.params), lets=tuple(self.lets),
            indicators=tuple(indicators), adjustments=tuple(adjustments), vetoes=tuple(vetoes),
            chinese_keywords=self.file.chinese_keywords, chinese=chinese, source=self.file.source,
        )  # fmt: skip

    # ---- header ---------------------------------------------------------------------

    def _header(self, headers: list[nodes.Header]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": "", "version": None, "total": None, "precision": 2, "cite": None,
            "rating": None, "total_span": None,
        }  # fmt: skip
        if not headers:
            source = self.file.source
            self.errors.error(say.E420_NO_HEADER(), Span(source, 0, 0), help=say.E420_START_WITH())
            return out
        for extra in headers[1:]:
            self.errors.error(say.E422_SECOND_HEADER(), extra.span, help=say.E422_MERGE())
        header = headers[0]
        out["name"] = header.name
        seen: dict[str, nodes.HeaderItem] = {}
        for item in header.items:
            if item.key in seen:
                self.errors.error(say.E422_HEADER_KEY_TWICE(key=item.key), item.span,
                                  help=say.E422_KEEP_ONE_LINE(key=item.key))
                continue
            seen[item.key] = item
            out[item.key] = item.value
            if item.key == "total":
                out["total_span"] = item.span
                assert isinstance(item.value, Decimal)
                if item.value <= 0:
                    self.errors.error(say.E421_TOTAL_ZERO(), item.span, help=say.TOTAL_ABOVE_ZERO())
            if item.key == "precision":
                assert isinstance(item.value, Decimal)
                if item.value != item.value.to_integral_value() or item.value > MAX_PRECISION:
                    self.errors.error(say.E423_PRECISION(limit=MAX_PRECISION), item.span,
                                      help=say.E423_MOST_TABLES())
                    out["precision"] = 2
                else:
                    out["precision"] = int(item.value)
            if item.key == "rating":
                out["rating"] = item
        if "total" not in seen:
            self.errors.error(say.E421_NO_TOTAL(), header.span, help=say.E421_ADD_TOTAL())
        return out

    def _rating(self, item: nodes.HeaderItem | None, total: Decimal | None) -> tuple[model.RatingArm, ...]:
        if item is None:
            return ()
        assert isinstance(item.value, nodes.Rating)
        self._too_many_arms(len(item.value.arms), item.span)
        arms: list[model.RatingArm] = []
        covered = _Cover()
        has_else = False
        for arm in item.value.arms:
            if has_else:
                self.errors.error(say.E431_RATING_AFTER_ELSE(), arm.span, help=say.PUT_ELSE_LAST())
            if arm.op is None:
                has_else = True
                arms.append(model.RatingArm(None, None, arm.label))
                continue
            assert arm.threshold is not None
            value = self._constant(arm.threshold, say.WHAT["rating_threshold"](), allow_later_params=True)
            if value is not None and isinstance(arm.threshold, nodes.Percent) and value != 0:
                # the total is points: `>= 90%` is 0.9 points, and would rate a total of 50 as 优. The plausible
                # reading first: that share of the total
                share = arithmetic.plain(value * total) if total is not None else None
                self.errors.error(say.E306_RATING_PERCENT(text=source(arm.threshold), value=arithmetic.plain(value)),
                                  arm.threshold.span,
                                  help=say.E306_RATING_POINTS(op=arm.op, points=share, text=source(arm.threshold))
                                  if share is not None else say.E306_RATING_POINTS_ONLY())  # fmt: skip
                continue
            if value is not None:
                # as with tiers: `>= 60: "中"; >= 80: "良"` gives 中 to every total from 60 up
                if covered.covers(arm.op, value):
                    self.errors.error(say.E431_RATING_UNREACHABLE(op=arm.op, value=source(arm.threshold)), arm.span,
                                      help=say.E431_REORDER_RATING())
                covered.add(arm.op, value)
                arms.append(model.RatingArm(arm.op, value, arm.label))
        if not has_else:
            self.errors.error(say.E430_RATING_NO_ELSE(otherwise=self._kw("else")), item.span,
                              help=say.E430_END_RATING(otherwise=self._kw("else")))
        return tuple(arms)

    # ---- declarations -------------------------------------------------------------

    def _declare(self, name: str, span: Span, decl: model.Input | model.Param | model.Let) -> None:
        english = FUNCTION_OF.get(name)
        if english is not None:
            # a column named as the form heads it (「达成度」, 「合计」): keep that wording as its label
            suggestion = f"{name}值" if not name.isascii() else f"{name}_value"
            help_text = say.E204_RENAME_COLUMN(suggestion=suggestion, name=name, function=english) \
                if self.declaring_column else say.E204_CHOOSE_ANOTHER(name=name, function=english)
            self.errors.error(say.E204_FUNCTION_NAME(name=name), span, help=help_text)
        elif name in self.scope:
            first = self.scope[name]
            self.errors.error(say.E205_DECLARED_TWICE(name=name), span, help=say.RENAME_ONE(),
                              notes=[say.FIRST_DECLARED_AT(place=first.span.location())])
            return
        self.scope[name] = decl

    def _type(self, spec: nodes.TypeSpec) -> model.ValueType:
        if spec.kind == "direction":
            return model.DIRECTION
        if spec.kind == "measure":
            return model.MEASURE
        if spec.kind == "grade":
            seen: set[str] = set()
            for label, span in zip(spec.labels, spec.label_spans, strict=True):
                if label in seen:
                    self.errors.error(say.E206_LABEL_TWICE(label=label), span, help=say.LABEL_ONCE())
                seen.add(label)
            return model.ValueType("grade", spec.labels)
        return model.ValueType(spec.kind)

    def _input(self, decl: nodes.Input) -> None:
        type_ = self._type(decl.type)
        low = high = None
        if decl.low is not None and decl.high is not None:
            if not type_.numeric:
                self.errors.error(say.E303_RANGE_ON_NON_NUMBER(name=decl.name, type=type_.said()),
                                  decl.low.span.to(decl.high.span), help=say.REMOVE_RANGE())
            else:
                low = self._bound(decl.low, type_)
                high = self._bound(decl.high, type_)
                if low is not None and high is not None and low > high:
                    self.errors.error(say.E303_LOW_ABOVE_HIGH(), decl.low.span.to(decl.high.span),
                                      help=say.E303_SMALLER_FIRST())
        default: model.Value | None = None
        if decl.default is not None:
            default = self._literal_of_type(decl.default, type_, decl.name)
            # a measure default (`= "≥10人"`) is held to the range by its number, as a facts value is
            number = default.number if isinstance(default, Measure) else default
            if number is not None and isinstance(number, (Decimal, int)) and not isinstance(number, bool):
                if (low is not None and number < low) or (high is not None and number > high):
                    self.errors.error(say.E303_DEFAULT_OUTSIDE(name=decl.name), decl.default.span,
                                      help=say.DEFAULT_IN_RANGE())
        inp = model.Input(decl.name, len(self.inputs), type_, low, high, decl.label, default,
                          decl.default is not None, decl.name_span, is_direction=decl.type.kind == "direction")
        self.inputs.append(inp)
        self._declare(decl.name, decl.name_span, inp)

    def _rows_input(self, decl: nodes.RowsInput) -> None:
        columns: list[model.Column] = []
        seen: dict[str, nodes.Column] = {}
        for col in decl.columns:
            if col.name in seen:
                self.errors.error(say.E205_COLUMN_TWICE(column=col.name, table=decl.name), col.name_span,
                                  help=say.RENAME_ONE(),
                                  notes=[say.FIRST_DECLARED_AT(place=seen[col.name].name_span.location())])
                continue
            seen[col.name] = col
            scratch = nodes.Input(col.name, col.type, col.low, col.high, col.label, col.default, col.name_span,
                                col.span)
            saved_scope = self.scope
            # the same checks as an input's (range, default, a function's name); a column may share an input's name
            self.scope = {k: v for k, v in saved_scope.items() if k != col.name}
            self.declaring_column = True
            try:
                self._input(scratch)
            finally:
                self.declaring_column = False
            made = self.inputs.pop()
            self.scope = saved_scope
            columns.append(model.Column(col.name, len(columns), made.type, col.optional, made.low, made.high,
                                        made.label, made.default, made.has_default, col.name_span))
        if not columns:
            self.errors.error(say.E218_NO_COLUMNS(name=decl.name), decl.span, help=say.E218_LIST_COLUMNS())
        inp = model.Input(decl.name, len(self.inputs), model.ROWS, None, None, decl.label, None, False,
                          decl.name_span, columns=tuple(columns))
        self.inputs.append(inp)
        self._declare(decl.name, decl.name_span, inp)

    def _bound(self, expr: nodes.Expr, type_: model.ValueType) -> Decimal | None:
        value = self._constant(expr, say.WHAT["range_bound"]())
        if value is None:
            return None
        if type_.kind == "percent" and isinstance(expr, nodes.Number) and value != 0:
            self.errors.error(say.E306_PERCENT_RANGE(), expr.span,
                              help=say.WRITE_PERCENT(value=arithmetic.plain(value)))
        if type_.kind == "count" and value != value.to_integral_value():
            self.errors.error(say.E303_COUNT_BOUNDS(), expr.span, help=say.WHOLE_BOUNDS())
        return value

    def _literal_of_type(self, expr: nodes.Expr, type_: model.ValueType, name: str) -> model.Value | None:
        kind = type_.kind
        if kind == "grade":
            label = (expr.name if isinstance(expr, nodes.Name)
                     else expr.value if isinstance(expr, nodes.String) else None)
            if label is None or label not in type_.labels:
                self._bad_label(str(label) if label is not None else source(expr), type_, expr.span)
                return None
            return label
        if kind == "text":
            if isinstance(expr, nodes.String):
                return expr.value
        elif kind == "bool":
            if isinstance(expr, nodes.Bool):
                return expr.value
        elif kind == "percent":
            if isinstance(expr, nodes.Percent) or (isinstance(expr, nodes.Number) and expr.value == 0):
                return expr.value
        elif kind == "count":
            if isinstance(expr, nodes.Number) and expr.value == expr.value.to_integral_value() and expr.value >= 0:
                return int(expr.value)
        elif kind == "measure" and isinstance(expr, nodes.String):
            measure = parse_measure(expr.value)  # a value as a form writes it (spec 10), as a facts file's text
            if measure is not None:
                return measure
        elif isinstance(expr, (nodes.Number, nodes.Percent)):
            return expr.value
        self.errors.error(say.E301_DEFAULT_TYPE(name=name, type=type_.said()), expr.span, help=_literal_help(type_))
        return None

    def _param(self, decl: nodes.Param) -> None:
        expr = self._expr(decl.expr, constant=True)
        if expr is None:
            self._declare(decl.name, decl.name_span,
                          model.Param(decl.name, arithmetic.ZERO, model.NUMBER, None, None, decl.name_span))
            return
        try:
            with_context = arithmetic.interpret(expr, (), lambda i: None)
        except arithmetic.DivisionByZero:
            self.errors.error(say.E501_DIVISION_IN_PARAM(), decl.expr.span, help=say.NONZERO_DIVISOR())
            with_context = arithmetic.ZERO
        param = model.Param(decl.name, with_context, expr.type, decl.label, decl.cite, decl.name_span)
        self.params.append(param)
        self._declare(decl.name, decl.name_span, param)

    def _let(self, decl: nodes.Let) -> None:
        self.current_let = decl.name
        expr = self._expr(decl.expr)
        self.current_let = None
        type_ = expr.type if expr is not None else model.NUMBER
        if expr is None and decl.type is None:
            self.untyped_lets.add(decl.name)
        if decl.type is not None:
            declared = self._type(decl.type)
            if expr is not None and not _assignable(expr.type, declared):
                self.errors.error(say.E301_LET_TYPE(name=decl.name, declared=declared.said(), actual=expr.type.said()),
                                  decl.expr.span,
                                  help=say.LET_TYPE_FIX(actual=expr.type.said(), declared=declared.said()))
            type_ = declared
        let = model.Let(decl.name, len(self.lets), type_, expr or model.Const(arithmetic.ZERO, model.NUMBER,
                        decl.expr.span), decl.name_span)  # fmt: skip
        self.lets.append(let)
        self._declare(decl.name, decl.name_span, let)

    # ---- indicators ---------------------------------------------------------------

    def _unique_indicator(self, ind: nodes.Indicator, seen: dict[str, nodes.Indicator]) -> None:
        if ind.name in seen:
            self.errors.error(say.E207_SAME_NAME(name=ind.name), ind.name_span, help=say.E207_OWN_NAME(),
                              notes=[say.E207_FIRST_AT(place=seen[ind.name].name_span.location())])
        seen.setdefault(ind.name, ind)

    def _indicator(self, ind: nodes.Indicator, parent: str, depth: int,
                   precision: int) -> model.Indicator | None:  # fmt: skip
        path = f"{parent}.{ind.name}" if parent else ind.name
        index = self.indicator_count
        self.indicator_count += 1
        eaches = [i for i in ind.items if isinstance(i, nodes.Each)]
        weight = ind.weight
        if weight is None and not (eaches and any(
                s.key == "weight" and s.value is not None for s in eaches[0].items if isinstance(s, nodes.Setting))):
            self.errors.error(say.E411_NO_WEIGHT(path=path, weight=self._kw("weight")), ind.name_span,
                              help=say.E411_WRITE_WEIGHT(weight=self._kw("weight"), each=self._kw("each")))
        elif weight is not None and weight <= 0:
            self.errors.error(say.E411_WEIGHT_ZERO(path=path), ind.weight_span, help=say.WEIGHT_ABOVE_ZERO())
        if ind.out_of is not None and ind.out_of <= 0:
            self.errors.error(say.E411_OUT_OF_ZERO(path=path), ind.weight_span, help=say.OUT_OF_ABOVE_ZERO())
        children_ast = [i for i in ind.items if isinstance(i, nodes.Indicator)]
        rules = [i for i in ind.items if isinstance(i, nodes.Rule)]
        adjustments_ast = [i for i in ind.items if isinstance(i, nodes.Adjustment)]
        applies_ast = [i for i in ind.items if isinstance(i, nodes.Applies)]
        notes = [i for i in ind.items if isinstance(i, nodes.Note)]
        for extra_applies in applies_ast[1:]:
            self.errors.error(say.E404_APPLIES(path=path), extra_applies.span, help=say.COMBINE_CONDITIONS())
        for extra_note in notes[1:]:
            self.errors.error(say.E404_NOTES(path=path), extra_note.span, help=say.E404_JOIN_NOTES())
        applies = None
        if applies_ast:
            cond = self._condition(applies_ast[0].condition, say.WHAT["applies"]())
            if cond is not None:
                applies = model.Applies(cond, applies_ast[0].otherwise, applies_ast[0].span)
        children: list[model.Indicator] = []
        rule: model.Rule | None = None
        adjustments: list[model.Adjustment] = []
        each: model.Each | None = None
        scale = ind.out_of if ind.out_of is not None else weight
        if eaches:
            others: list[nodes.Indicator | nodes.Rule | nodes.Adjustment | nodes.Each] = [
                *children_ast, *rules, *adjustments_ast, *eaches[1:]]
            for other in others:
                self.errors.error(say.E405_EACH_AND_MORE(path=path, each=self._kw("each"), note=self._kw("note"),
                                                         applies=self._kw("applies")),
                                  other.span, help=(say.E405_MOVE_ADJUSTMENT if isinstance(other, nodes.Adjustment)
                                                    else say.E405_MOVE)(each=self._kw("each")))
            each = self._each(eaches[0], path)
        elif children_ast:
            for r in rules:
                self.errors.error(say.E401_RULE_ON_GROUP(path=path), r.span, help=say.E401_MOVE_RULE())
            for a in adjustments_ast:
                self.errors.error(say.E401_ADJUSTMENT_ON_GROUP(path=path), a.span, help=say.E401_MOVE_ADJUSTMENT())
            seen: dict[str, nodes.Indicator] = {}
            for child in children_ast:
                self._unique_indicator(child, seen)
                built = self._indicator(child, path, depth + 1, precision)
                if built is not None:
                    children.append(built)
            child_weights = [c.weight for c in children_ast if c.weight is not None]
            total = sum(child_weights, Decimal(0))
            if scale is not None and total != scale and len(child_weights) == len(children_ast):
                parts = _sum_text(child_weights)
                if ind.out_of is not None:
                    message = say.E410_OUT_OF_SUM(path=path, sum=num(total), out_of=num(ind.out_of))
                    help_text = say.E410_MAKE_OUT_OF(parts=parts, out_of=num(ind.out_of))
                else:
                    message = say.E410_GROUP_SUM(path=path, sum=num(total), weight=num(scale))
                    help_text = say.E410_MAKE_GROUP(parts=parts, keyword=self._kw("weight"))
                self.errors.error(message, ind.weight_span, help=help_text)
        else:
            if ind.out_of is not None:
                self.errors.error(say.E412_OUT_OF_ON_LEAF(path=path), ind.weight_span,
                                  help=say.E412_BELONGS_TO_GROUP())
            if not rules:
                self.errors.error(say.E402_NO_RULE(path=path), ind.name_span, help=self._add_one_rule())
            for extra_rule in rules[1:]:
                self.errors.error(say.E403_RULES(path=path), extra_rule.span, help=say.KEEP_ONE_RULE())
            if rules:
                rule = self._rule(rules[0], weight or Decimal(1), path)
            for a in adjustments_ast:
                built_adj = self._adjustment(a, weight)
                if built_adj is not None:
                    adjustments.append(built_adj)
        return model.Indicator(
            index=index, path=path, name=ind.name, label=ind.label, weight=weight or Decimal(0), cite=ind.cite,
            note=notes[0].text if notes else None, depth=depth, children=tuple(children), rule=rule,
            adjustments=tuple(adjustments), applies=applies, span=ind.name_span, out_of=ind.out_of, each=each,
            weight_from_rows=weight is None,
        )  # fmt: skip

    def _each(self, each: nodes.Each, path: str) -> model.Each | None:
        decl = self.scope.get(each.table)
        if not isinstance(decl, model.Input) or decl.type.kind != "rows":
            rows = [i.name for i in self.inputs if i.type.kind == "rows"]
            self.errors.error(say.E211_NOT_ROWS(table=each.table), each.table_span,
                              help=say.E211_DECLARE_ROWS(table=each.table) if not rows else
                              say.E211_THE_ROWS_INPUTS(inputs=tuple(f"`{r}`" for r in rows)))
            return None
        settings: dict[str, nodes.Setting] = {}
        body_started = False
        arms_ast: list[nodes.EachArm] = []
        leaf_items: list[nodes.LeafItem] = []
        for item in each.items:
            if isinstance(item, nodes.Setting):
                if body_started:
                    self.errors.error(say.E406_AFTER_BODY(setting=self._kw(item.key)), item.span,
                                      help=say.E406_SETTINGS_FIRST(where=self._kw("where"), group=self._kw("group"),
                                                                   key=self._kw("key"), weight=self._kw("weight"),
                                                                   each=self._kw("each")))
                if item.key in settings:
                    self.errors.error(say.E406_TWICE(setting=self._kw(item.key)), item.span,
                                      help=say.KEEP_ONE(key=self._kw(item.key)))
                    continue
                settings[item.key] = item
                continue
            body_started = True
            if isinstance(item, nodes.EachArm):
                arms_ast.append(item)
            else:
                leaf_items.append(item)
        saved = self.row_table
        self.row_table = decl
        try:
            where = None
            if "where" in settings:
                value = settings["where"].value
                assert value is not None
                where = self._condition(value, say.WHAT["where"]())
            group = self._column_setting(settings.get("group"), decl, ("text", "grade", "count"), "group")
            key = self._column_setting(settings.get("key"), decl, ("text", "grade", "count", "number"), "key")
            weight_setting = settings.get("weight")
            weight: model.ColumnRef | None = None
            if weight_setting is None:
                self.errors.error(say.E407_NO_WEIGHT(each=self._kw("each"), path=path), each.span,
                                  help=say.E407_ADD_WEIGHT(weight=self._kw("weight"), evenly=self._kw("evenly")))
            elif weight_setting.value is not None:
                weight = self._column_setting(weight_setting, decl, ("number", "percent", "count"), "weight")
            arms: list[model.LeafBody] = []
            if arms_ast and leaf_items:
                self.errors.error(say.E408_BODY_AND_ARMS(each=self._kw("each"), when=self._kw("when")),
                                  leaf_items[0].span, help=say.E408_MOVE(otherwise=self._kw("else")))
            if arms_ast:
                elses = [a for a in arms_ast if a.condition is None]
                if len(elses) != 1 or arms_ast[-1].condition is not None:
                    otherwise, when = self._kw("else"), self._kw("when")
                    if not elses:
                        fix = say.E409_ADD_ELSE(otherwise=otherwise, when=when)
                    elif len(elses) > 1:
                        fix = say.E409_KEEP_ONE_ELSE(otherwise=otherwise)
                    else:
                        fix = say.E409_ELSE_LAST(otherwise=otherwise, when=when)
                    wrong = elses[1] if len(elses) > 1 else elses[0] if elses else arms_ast[-1]
                    self.errors.error(say.E409_ONE_ELSE(each=self._kw("each"), otherwise=otherwise), wrong.span,
                                      help=fix)
                for arm in arms_ast:
                    body = self._leaf_body(arm.condition, arm.items, arm.span, path)
                    if body is not None:
                        arms.append(body)
            else:
                body = self._leaf_body(None, tuple(leaf_items), each.span, path)
                if body is not None:
                    arms.append(body)
        finally:
            self.row_table = saved
        return model.Each(decl.index, where, group, key, weight, tuple(arms), each.span)

    def _leaf_body(self, condition: nodes.Expr | None, items: tuple[nodes.LeafItem, ...], span: Span,
                   path: str) -> model.LeafBody | None:  # fmt: skip
        cond = self._condition(condition, say.WHAT["arm_when"]()) if condition is not None else None
        rules = [i for i in items if isinstance(i, nodes.Rule)]
        adjustments_ast = [i for i in items if isinstance(i, nodes.Adjustment)]
        applies_ast = [i for i in items if isinstance(i, nodes.Applies)]
        notes = [i for i in items if isinstance(i, nodes.Note)]
        if not rules:
            self.errors.error(say.E402_ROWS_NO_RULE(path=path), span, help=self._add_one_rule())
            return None
        for extra in rules[1:]:
            self.errors.error(say.E403_ROW_RULES(), extra.span, help=say.KEEP_ONE_RULE())
        for extra_applies in applies_ast[1:]:
            self.errors.error(say.E404_ROW_APPLIES(), extra_applies.span, help=say.COMBINE_CONDITIONS())
        rule = self._rule(rules[0], Decimal(1), path)  # weights are shares here: rows scale them
        if rule is None:
            return None
        adjustments = [a for a in (self._adjustment(x, None) for x in adjustments_ast) if a is not None]
        applies = None
        if applies_ast:
            applies_cond = self._condition(applies_ast[0].condition, say.WHAT["applies"]())
            if applies_cond is not None:
                applies = model.Applies(applies_cond, applies_ast[0].otherwise, applies_ast[0].span)
        return model.LeafBody(cond, rule, tuple(adjustments), applies, notes[0].text if notes else None, span)

# ---- helpers ----------------------------------------------------------------------------


def _sum_text(weights: list[Decimal]) -> str:
    return " + ".join(num(w) for w in weights)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _assignable(actual: model.ValueType, declared: model.ValueType) -> bool:
    # A let's numeric type says how it prints (`let 执行率: percent = 执行数 / 预算数`), so any
    # numeric formula may be declared number, percent or count (a count prints whole).
    return actual == declared or (actual.numeric and declared.numeric)


def _literal_help(type_: model.ValueType) -> Said | None:
    help_text = say.LITERAL_HELP.get(type_.kind)
    return help_text() if help_text is not None else None
