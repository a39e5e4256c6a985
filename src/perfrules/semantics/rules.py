"""AST -> checked model, the scoring inside a leaf: rules (tiers, grades, checklists, bands,
`judged`), deductions and bonuses, and `because` templates. Every arm is checked to be
reachable and every band set to cover 0..weight without overlap; the structure around the
leaves is check.py's, the formulas inside are expressions.py's.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from perfrules.catalogue import Said, Text
from perfrules.catalogue import diagnostics as say
from perfrules.semantics import arithmetic, model
from perfrules.semantics.expressions import ExpressionChecker, num, source
from perfrules.source import Span
from perfrules.syntax import nodes
from perfrules.syntax.keywords import KEYWORDS

MAX_ARMS = 100  # tier, grade and rating arms: each becomes a branch of the generated code


class RuleChecker(ExpressionChecker):
    """The checker's methods for what scores a leaf; check._Checker holds the structure around it."""

    def _column_setting(self, setting: nodes.Setting | None, table: model.Input, kinds: tuple[str, ...],
                        what: str) -> model.ColumnRef | None:  # fmt: skip
        if setting is None:
            return None
        name = setting.value
        assert isinstance(name, nodes.Name)
        column = table.column(name.name)
        if column is None:
            self._unknown_column(name.name, table, name.span)
            return None
        kind = "percent" if column.type.kind == "percent" else column.type.kind
        if kind not in kinds:
            wanted = {"weight": say.WANTED_WEIGHT_COLUMN, "from": say.WANTED_NUMBER_COLUMN}.get(
                what, say.WANTED_TEXT_COLUMN)()
            # what to do: a column of that kind, or how to declare one
            fitting = tuple(c.name for c in table.columns
                            if ("percent" if c.type.kind == "percent" else c.type.kind) in kinds)
            example = {"weight": f'权重: {self._kw("number")} "分值"',
                       "from": f'自评分: {self._kw("number")} {self._kw("optional")} "得分"'}.get(
                what, f"类别: {self._kw('text')}")
            help_text = say.E301_COLUMNS_OF_KIND(table=table.name, columns=fitting) if fitting else \
                say.E301_DECLARE_COLUMN(table=table.name, example=example)  # fmt: skip
            self.errors.error(say.E301_COLUMN_KIND(setting=self._kw(what), name=name.name, wanted=wanted,
                                                   type=column.type.said()), name.span, help=help_text)
            return None
        return model.ColumnRef(table.index, column.name, column.type, column.optional, name.span)

    def _rule(self, rule: nodes.Rule, weight: Decimal, path: str) -> model.Rule | None:
        expr: model.Expr | None = None
        tiers: tuple[model.TierArm, ...] = ()
        grades: tuple[model.GradeArm, ...] = ()
        items: tuple[model.CheckItem, ...] = ()
        bands: tuple[model.Band, ...] | None = None
        if rule.kind in ("ratio", "score", "tiers"):
            assert rule.expr is not None
            expr = self._numeric(rule.expr, say.WHAT_RULE(keyword=both_languages(rule.kind)))
        if rule.kind == "tiers":
            tiers = self._tiers(rule, weight, expr)
        elif rule.kind == "grade":
            assert rule.expr is not None
            expr = self._expr(rule.expr)
            if expr is not None and expr.type.kind != "grade":
                self.errors.error(say.E301_GRADE_NEEDS_GRADE(type=expr.type.said()), rule.expr.span,
                                  help=say.E301_USE_TIERS())
                expr = None
            grades = self._grades(rule, weight, expr)
        elif rule.kind == "checklist":
            items = tuple(self._check_item(i, weight) for i in rule.items)
        elif rule.kind == "judged" and rule.bands is not None:
            bands = self._bands(rule, weight)
        band_column: model.Expr | None = None
        if rule.from_column is not None:
            if self.row_table is None:
                self.errors.error(say.E213_FROM_OUTSIDE_EACH(judged=self._kw("judged"), keyword_from=self._kw("from"),
                                                             each=self._kw("each")),
                                  rule.span, help=say.E213_JUDGED_ALONE(each=self._kw("each"),
                                                                        judged=self._kw("judged")))
            else:
                expr = self._column_setting(nodes.Setting("key", rule.from_column, rule.from_column.span),
                                            self.row_table, ("number", "count"), "from")
                if rule.band_column is not None:
                    band_column = self._column_setting(nodes.Setting("key", rule.band_column, rule.band_column.span),
                                                       self.row_table, ("text", "grade"), "band")
        because = self._template(rule.because) if rule.because is not None else None
        return model.Rule(rule.kind, expr, tiers, grades, items, bands, because, rule.span, band_column)

    def _share(self, outcome: nodes.Outcome) -> Decimal | None:
        return Decimal(1) if outcome.kind == "full" else outcome.value if outcome.kind == "share" else None

    def _outcome(self, outcome: nodes.Outcome, weight: Decimal) -> Decimal:
        if outcome.kind == "full":
            return weight
        if outcome.kind == "share":
            points = weight * outcome.value
            if outcome.value > 1 or outcome.value < 0:
                self.errors.error(say.E433_SHARE_ABOVE_WEIGHT(share=source(outcome)), outcome.span,
                                  help=say.E433_SHARE_RANGE())
            return points
        if self.row_table is not None:
            return outcome.value  # a row's weight is known only from the facts: checked when they are read
        if outcome.value > weight:
            self.errors.error(say.E433_POINTS_ABOVE_WEIGHT(points=num(outcome.value), weight=num(weight)),
                              outcome.span, help=say.E433_AWARD_AT_MOST(weight=num(weight)))
        return outcome.value

    def _too_many_arms(self, count: int, span: Span) -> None:
        if count > MAX_ARMS:
            self.errors.error(say.E104_TOO_MANY_ARMS(count=count, limit=MAX_ARMS), span, help=say.E104_SPLIT_TABLE())

    def _tiers(self, rule: nodes.Rule, weight: Decimal, subject: model.Expr | None) -> tuple[model.TierArm, ...]:
        self._too_many_arms(len(rule.tiers), rule.span)
        arms: list[model.TierArm] = []
        covered = _Cover()
        seen_else = False
        for arm in rule.tiers:
            points = self._outcome(arm.outcome, weight)
            if seen_else:
                self.errors.error(say.E431_TIER_AFTER_ELSE(), arm.span, help=say.PUT_ELSE_LAST())
                continue
            if arm.op is None:
                seen_else = True
                arms.append(model.TierArm(None, None, "else", points, source(arm.outcome), arm.span,
                                          self._share(arm.outcome)))
                continue
            assert arm.value is not None
            value = self._constant(arm.value, say.WHAT["tier_threshold"]())
            if value is None:
                continue
            if subject is not None and subject.type.kind == "percent" and isinstance(arm.value, nodes.Number) \
                    and abs(value) > 1:  # fmt: skip
                self.errors.error(say.E306_PERCENT_VS_PLAIN(subject=source(rule.expr), value=num(value)),
                                  arm.value.span, help=say.WRITE_PERCENT(value=num(value)))
                # judge reachability as the help reads it (80 as 80%): an E431 from the missing `%`
                # beside this E306 would point at the wrong fix
                value = value.scaleb(-2)
            if covered.covers(arm.op, value):
                self.errors.error(say.E431_UNREACHABLE(op=arm.op, value=source(arm.value)), arm.span,
                                  help=say.E431_REORDER())
            covered.add(arm.op, value)
            # the threshold as reasons and the form print it: `60％` is the `60%` the reason's value is written in
            shown = source(arm.value).replace("％", "%")
            arms.append(model.TierArm(arm.op, value, shown, points, source(arm.outcome), arm.span,
                                      self._share(arm.outcome)))
        if not seen_else:
            self.errors.error(say.E430_TIERS_NO_ELSE(otherwise=self._kw("else")), rule.span,
                              help=say.E430_END_TIERS(otherwise=self._kw("else")))
        return tuple(arms)

    def _grades(self, rule: nodes.Rule, weight: Decimal, subject: model.Expr | None) -> tuple[model.GradeArm, ...]:
        arms: list[model.GradeArm] = []
        labels = subject.type.labels if subject is not None else ()
        seen: set[str] = set()
        has_else = False
        for arm in rule.grades:
            points = self._outcome(arm.outcome, weight)
            if arm.label is None:
                has_else = True
            elif subject is not None and arm.label not in labels:
                self._bad_label(arm.label, subject.type, arm.label_span)
                continue
            elif arm.label in seen:
                self.errors.error(say.E435_TWO_ARMS(label=arm.label), arm.label_span, help=say.E435_ONE_ARM())
                continue
            if arm.label is not None:
                seen.add(arm.label)
            arms.append(model.GradeArm(arm.label, points, source(arm.outcome), arm.span, self._share(arm.outcome)))
        missing = [label for label in labels if label not in seen]
        if subject is not None and missing and not has_else:
            self.errors.error(say.E434_MISSING_GRADES(labels=tuple(f"`{m}`" for m in missing)), rule.span,
                              help=say.E434_ADD_ARMS())
        return tuple(arms)

    def _check_item(self, item: nodes.CheckItem, weight: Decimal) -> model.CheckItem:
        points = self._outcome(item.outcome, weight)
        cond = self._condition(item.condition, say.WHAT["checklist"]()) if item.condition else None
        return model.CheckItem(item.text, points, cond, item.span, self._share(item.outcome))

    def _bands(self, rule: nodes.Rule, weight: Decimal) -> tuple[model.Band, ...]:
        assert rule.bands is not None
        bands: list[model.Band] = []
        labels: set[str] = set()
        for band in rule.bands:
            if band.label in labels:
                self.errors.error(say.E436_BAND_TWICE(band=band.label), band.span, help=say.BAND_ONCE())
            labels.add(band.label)
            ends = []
            for bound in (band.low, band.high):
                share = self._constant(bound, say.WHAT["band_bound"]())
                if share is not None and isinstance(bound, nodes.Number) and share != 0:
                    self.errors.error(say.E437_BOUND_PERCENT(), bound.span,
                                      help=say.E437_WRITE_PERCENT(value=num(share)))
                ends.append(share)
            low, high = ends
            if low is None or high is None:
                continue
            if low > high or (low == high and not (band.low_closed and band.high_closed)):
                self.errors.error(say.E436_EMPTY(band=band.label), band.span, help=say.E436_LOWER_FIRST())
                continue
            if low < 0 or high > 1:
                self.errors.error(say.E436_OUTSIDE(band=band.label), band.span, help=say.BAND_WITHIN())
            bands.append(model.Band(band.label, weight * low, band.low_closed, weight * high,
                                    band.high_closed, source(band), band.span))
        if not bands:
            self.errors.error(say.E436_NO_BAND(), rule.span, help=say.E436_LIST_BANDS())
            return tuple(bands)
        problem = _band_problem(bands, weight)
        if problem is not None:
            self.errors.error(problem, rule.span, help=say.E436_COVER())
        return tuple(bands)

    def _adjustment(self, adj: nodes.Adjustment, weight: Decimal | None) -> model.Adjustment | None:
        seen: dict[str, nodes.Clause] = {}
        for clause in adj.clauses:
            if clause.key in seen:
                self.errors.error(say.E440_CLAUSE_TWICE(key=both_languages(clause.key), kind=both_languages(adj.kind)),
                                  clause.span, help=say.KEEP_ONE(key=both_languages(clause.key)))
            seen.setdefault(clause.key, clause)
        amount = self._numeric(adj.amount, say.WHAT_AMOUNT(kind=both_languages(adj.kind)))
        self._points_not_percent(adj.amount, adj.kind, weight)
        for clause in adj.clauses:
            if clause.key == "cap" and not isinstance(clause.value, nodes.Template):
                self._points_not_percent(clause.value, adj.kind, weight)
        per = None
        if adj.per is not None:
            step = self._numeric(adj.per.step, say.WHAT["per_step"]())
            of = self._numeric(adj.per.of, say.WHAT["per_of"]())
            if step is not None and isinstance(step, (model.Const, model.ParamRef)):
                assert isinstance(step.value, (Decimal, int))
                if step.value <= 0:
                    self.errors.error(say.E441_STEP_ZERO(), adj.per.step.span, help=say.STEP_ABOVE_ZERO())
            if step is not None and of is not None:
                per = model.Per(step, adj.per.rounding, of)
                if of.type.kind == "percent" and isinstance(adj.per.step, nodes.Number):
                    # 「每低1个百分点」 written `per 1`: one step would be 100 percentage points
                    step_text = num(adj.per.step.value)
                    self.errors.error(say.E306_PER_STEP(subject=source(adj.per.of), step=step_text),
                                      adj.per.step.span, help=say.E306_WRITE_STEP(step=step_text))
        when = cap = None
        because = None
        if "when" in seen:
            value = seen["when"].value
            assert not isinstance(value, nodes.Template)
            when = self._condition(value, say.WHAT["when"]())
        if "cap" in seen:
            value = seen["cap"].value
            assert not isinstance(value, nodes.Template)
            cap = self._numeric(value, say.WHAT["cap"]())
        if "because" in seen:
            value = seen["because"].value
            assert isinstance(value, nodes.Template)
            because = self._template(value)
        if amount is None:
            return None
        return model.Adjustment(adj.kind, amount, per, when, cap, because, adj.span)

    def _points_not_percent(self, expr: nodes.Expr, kind: str, weight: Decimal | None) -> None:
        """`deduct 10%` reads as a share of the weight to an official but is 0.1 points: refuse it."""
        if isinstance(expr, nodes.Percent):
            help_text = say.E308_WRITE_POINTS_EXAMPLE(weight=num(weight), tenth=num(weight * Decimal("0.1"))) \
                if weight else say.E308_WRITE_POINTS()  # fmt: skip
            self.errors.error(say.E308_PERCENT_AMOUNT(kind=both_languages(kind), text=expr.span.text(),
                                                      points=num(expr.value)), expr.span, help=help_text)

    def _template(self, template: nodes.Template) -> model.Template | None:
        parts: list[str | model.Expr] = []
        for part in template.parts:
            if isinstance(part, str):
                parts.append(part)
            else:
                checked = self._expr(part)
                if checked is not None:
                    parts.append(checked)
        return model.Template(tuple(parts), template.span)


def both_languages(english: str) -> Text:
    """A keyword named in a message: in Chinese in a Chinese message, in English in an English one."""
    return Text(KEYWORDS.get(english, english), english)


class _Cover:
    """The values earlier tier arms already take.

    Membership in any union of such arms is constant between two thresholds, so
    probing every threshold, every midpoint and one value beyond each end decides
    whether a new arm can ever be reached.
    """

    def __init__(self) -> None:
        self.arms: list[tuple[str, Decimal]] = []

    def add(self, op: str, value: Decimal) -> None:
        self.arms.append((op, value))

    def covers(self, op: str, value: Decimal) -> bool:
        probes = _probes([value, *(v for _, v in self.arms)])
        return all(
            any(arithmetic.compare(o, p, v) for o, v in self.arms)
            for p in probes
            if arithmetic.compare(op, p, value)
        )


def _probes(values: list[Decimal]) -> list[Decimal]:
    points = sorted(set(values))
    mids = [(a + b) / 2 for a, b in itertools.pairwise(points)]
    return [points[0] - 1, *points, *mids, points[-1] + 1]


def _band_problem(bands: list[model.Band], weight: Decimal) -> Said | None:
    ends = [b.low for b in bands] + [b.high for b in bands] + [Decimal(0), weight]
    for probe in sorted(p for p in _probes(ends) if 0 <= p <= weight):
        holding = [b.label for b in bands if b.contains(probe)]
        if not holding:
            return say.E436_GAP(points=num(probe))
        if len(holding) > 1:
            return say.E436_OVERLAP(bands=tuple(f"`{h}`" for h in holding), points=num(probe))
    return None
