"""Results and their audit trail: what happened to every indicator, with spans and values.

A Result holds the evaluator's flat tuple and reads it on demand: the total and
rating are immediate; indicator records, reasons and JSON are built the first
time they are asked for. What they contain never depends on when they are read.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from perfrules import decimal_context, records
from perfrules.catalogue import Lang, lang_of, phrases
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Diagnostic, PerfrulesError, did_you_mean
from perfrules.inputs.facts import Judged, Validated
from perfrules.results.audit_rows import (
    DIRECTIONS_EN,
    SCHEMA,
    TIER_SYMBOLS,
    AuditRow,
    column_json,
    describe,
    input_text,
    jsonable,
    rows_of,
    written,
)
from perfrules.semantics import arithmetic, model

if TYPE_CHECKING:
    from perfrules.engine import Ruleset



def dumps(data: Any, indent: int | None = 2) -> str:
    """The JSON writer (shape.dumps), imported when first used: a plain `perfrules eval` prints a
    table, and json and the writers cost its start-up ~4 ms (issue 15). Tests and bench import it
    from here."""
    from perfrules.results import shape

    return shape.dumps(data, indent)


@records.record
class AdjustmentRecord:
    """One deduct/bonus as applied: the amount is what it actually took or gave."""

    kind: str
    amount: Decimal
    because: str | None
    source: str
    applied: bool


@records.record
class IndicatorRecord:
    """Everything about one indicator's points: the row of the table and its audit trail."""

    path: str
    name: str
    label: str | None
    depth: int
    weight: Decimal
    points: Decimal
    exact: Decimal
    rule: str
    source: str
    inputs: Mapping[str, Any]
    adjustments: tuple[AdjustmentRecord, ...]
    override: Mapping[str, Any] | None
    applicable: bool
    clamped: bool
    is_leaf: bool
    reasons: tuple[str, ...]
    raw: Decimal | None  # the scoring rule's points before adjustments
    value: Any  # the rule's expression value (ratio/score/tiers/grade)
    arm: int | None  # tiers/grade: the arm taken
    computed: Decimal  # points before an override
    note: str | None

    @property
    def lost(self) -> Decimal:
        return decimal_context.CONTEXT.subtract(self.weight, self.points)


@records.record
class Loss:
    """A leaf that scored below its weight, and why: one line of 扣分原因."""

    path: str
    points: Decimal
    reasons: tuple[str, ...]


@records.record
class GroupScale:
    """A group's children add up to `sum` on its own scale `out_of`; `counted` is `out_of` less the
    weight of children shared away and, in a group that shares, of what `rescale` dropped inside it
    (`dropped`). Its points are sum × weight ÷ counted, rounded (spec 11, 12); with weight dropped,
    sum × `kept_weight` ÷ counted, the weight less its dropped share."""

    sum: Decimal
    out_of: Decimal
    counted: Decimal
    dropped: Decimal = arithmetic.ZERO

    def kept_weight(self, weight: Decimal) -> Decimal:
        """The group's weight less what `rescale` dropped inside it, on the group's scale."""
        if not self.dropped:
            return weight
        return decimal_context.CONTEXT.divide(
            decimal_context.CONTEXT.multiply(weight, self.out_of - self.dropped), self.out_of)

    @property
    def shared(self) -> Decimal:
        """The weight of the children shared away."""
        return self.out_of - self.counted - self.dropped


@records.record
class VetoRecord:
    because: str
    source: str


class Result:
    """The outcome of one evaluation. `total`, `rating` and `indicators` are the main reads."""

    # Slots for what every Result holds; `__dict__` (created on first use) holds the
    # lazily built audit records. Fewer objects per result: less for the GC to walk
    # when a batch keeps many results. The generated evaluator (compile.py) makes
    # every Result and sets exactly these slots; `Ruleset.evaluate` is the way in.
    __slots__ = ("__dict__", "_facts", "_values", "max", "rating", "ruleset", "total")
    ruleset: Ruleset
    _values: tuple[Any, ...]
    _facts: Validated | None  # None: plain inputs that passed the fast checks
    total: Decimal
    max: Decimal
    rating: str | None

    # -- quick reads
    @property
    def facts(self) -> Validated:
        """The validated facts this result was computed from."""
        facts = self._facts
        if facts is None:
            # from a plain dict of inputs: no meta, judged or overrides
            facts = self._facts = Validated(self.head_inputs(), (), None, {}, None)
        return facts

    def head_inputs(self) -> tuple[Any, ...]:
        """The input values, which every values tuple holds right after its head (see compile.py)."""
        start = self.ruleset.compiled.layout.inputs
        return self._values[start:start + len(self.ruleset.model.inputs)]

    @property
    def _all(self) -> tuple[Any, ...]:
        """Every value the evaluator computed (the fast entry keeps only the head; see compile.py)."""
        values = self._values
        if len(values) != self.ruleset.compiled.layout.size:
            # the same function on the same inputs, in the same context: the same values
            rs, facts = self.ruleset, self.facts
            judged = tuple([j.points for j in facts.judged])
            values = self._values = rs.compiled.function(None, facts.values, judged, None, rs)._values
        return values

    @property
    def meta(self) -> Mapping[str, Any]:
        return self.facts.meta

    @property
    def raw_total(self) -> Decimal:
        """The sum of the top-level points before rescaling, adjustments and veto."""
        value: Decimal = self._all[self.ruleset.compiled.layout.raw_total]
        return value

    @property
    def rescaled(self) -> bool:
        slot = self.ruleset.compiled.layout.dropped
        return slot is not None and bool(self._all[slot])

    @property
    def base_total(self) -> Decimal:
        """The total that top-level adjustments start from: the sum, rescaled if weights were dropped."""
        value: Decimal = self._all[self.ruleset.compiled.layout.base_total]
        return value

    @property
    def total_clamp(self) -> Decimal:
        """What 满分为止 / 扣完为止 cut from the total after top-level adjustments (signed; 0 if nothing)."""
        layout = self.ruleset.compiled.layout
        if self.veto is not None or layout.unclamped_total is None:
            return arithmetic.ZERO
        values = self._all
        return decimal_context.CONTEXT.subtract(values[layout.total_exact], values[layout.unclamped_total])

    @property
    def veto(self) -> VetoRecord | None:
        k = self._all[self.ruleset.compiled.layout.veto]
        if k < 0:
            return None
        veto = self.ruleset.model.vetoes[k]
        return VetoRecord(self._render(veto.because), self._source(veto.span))

    @property
    def top_adjustments(self) -> tuple[AdjustmentRecord, ...]:
        slots, values = self.ruleset.compiled.layout.adjustments, self._all
        return tuple(self._adjustment(a, values[slots[k]], self._source(a.span))
                     for k, a in enumerate(self.ruleset.model.adjustments))

    @property
    def adjustment_amounts(self) -> tuple[Decimal, ...]:
        """What each top-level deduct/bonus took or gave, in file order, without building records."""
        amounts: tuple[Decimal, ...] = self.ruleset.adjustment_getter(self._values)
        return amounts

    def points(self, path: str) -> Decimal:
        """The points of one indicator, by path, or by its name alone when no other indicator has it
        (as `explain` accepts). Raises KeyError for an unknown or ambiguous name."""
        ind = self._find(path)
        layout = self.ruleset.compiled.layout
        slots = layout.leaves.get(ind.index) or layout.groups[ind.index]
        value: Decimal = self._values[slots.points]  # points are in the head
        return value

    @property
    def breakdown(self) -> dict[str, Decimal]:
        """Every indicator's points by path, without building the audit records."""
        return self.ruleset.breakdown_of(self._values)

    # -- audit records
    @functools.cached_property
    def indicators(self) -> list[IndicatorRecord]:
        """Every indicator, groups included, in file order."""
        # Reasons compute and print values: do it in the engine's context, not the caller's.
        with self.ruleset.decimal_context():
            values, facts = self._all, self.facts
            return [self._record(row, values, facts) for row in rows_of(self.ruleset)]

    @functools.cached_property
    def lost(self) -> list[Loss]:
        """Every leaf below its weight, largest loss first (file order among equals)."""
        if "indicators" in self.__dict__:
            losses = [Loss(r.path, r.lost, r.reasons) for r in self.indicators
                      if r.is_leaf and r.applicable and r.points < r.weight]
        else:
            # Only the records that lost points: a batch with --reasons reads this and nothing else.
            with self.ruleset.decimal_context():
                values, facts = self._all, self.facts
                losses = []
                for row in rows_of(self.ruleset):
                    if row.leaf is None or values[row.points] >= row.ind.weight:
                        continue
                    if row.applicable is not None and not values[row.applicable]:
                        continue
                    r = self._record(row, values, facts)
                    losses.append(Loss(r.path, r.lost, r.reasons))
        # reverse=True keeps file order among equal losses (Python's sort is stable both ways)
        return sorted(losses, key=operator.attrgetter("points"), reverse=True)

    def group_scale(self, path: str) -> GroupScale | None:
        """A group on its own scale (`out of`, spec 11) or with weight shared away (spec 12): the
        children's sum, what it is out of, and what that counts after sharing; None for any other."""
        ind = self.ruleset.model.find(path)
        if ind is None or ind.is_leaf:
            return None
        slots = self.ruleset.compiled.layout.groups[ind.index]
        if slots.scaled is None or slots.base is None:
            return None
        values = self._all
        dropped = arithmetic.ZERO
        if ind.drops_within and any(c.can_share for c in ind.children):  # as the evaluator counts it
            # by each child's own `applies`: a group none of whose children applies is shared away, yet what was
            # dropped inside it stays dropped
            dropped = ind.dropped_within(lambda c: c.applies is None or bool(self.value_of(c.applies.condition)))
        return GroupScale(values[slots.scaled], ind.scale, values[slots.base], dropped)

    def scale_worth_saying(self, path: str, scale: GroupScale) -> bool:
        """Whether a report says a group's scale: an `out of` group, or one whose children shared
        weight away. A group of rows that only could share (`applies … else share`), where every
        child applies, adds up like any group: 「合计56分（满分60），折算为60分制得56分」 says nothing."""
        ind = self.ruleset.model.find(path)
        return ind is not None and (ind.out_of is not None or scale.counted != scale.out_of)

    def lost_points(self, path: str) -> Decimal:
        """What an indicator lost: a leaf's loss, or the sum of its applicable leaves' losses.

        Weight dropped by `applies ... else rescale` is not lost: it was not scored.
        """
        ind = self.ruleset.model.find(path)
        if ind is not None and any(self._own_scale(node) for node in ind.walk()):
            return self._scaled_loss(ind)
        below = [loss.points for loss in self.lost if loss.path == path or loss.path.startswith(path + ".")]
        with self.ruleset.decimal_context():
            return sum(below, arithmetic.ZERO)

    def _scaled_loss(self, ind: model.Indicator) -> Decimal:
        """A group on its own scale (`out of`, shared weight) loses its weight less its points, where it
        applies; a group above it adds up what its children lost, each on its parent's scale."""
        record = self.indicator(ind.path)
        if ind.is_leaf:
            return record.lost if record.applicable and record.points < record.weight else arithmetic.ZERO
        if not record.applicable:
            return arithmetic.ZERO
        if self._own_scale(ind):
            scale = self.group_scale(ind.path)
            weight = scale.kept_weight(ind.weight) if scale is not None else ind.weight
            return decimal_context.CONTEXT.subtract(weight, record.points)
        return sum((self._scaled_loss(c) for c in ind.children), arithmetic.ZERO)

    def _own_scale(self, ind: model.Indicator) -> bool:
        """Whether a group's points can be its children's sum converted (`out of`, or weight shared
        among them): also when a child group shares its weight because none of its own applies
        (spec 12), which no `applies` of the group's children says."""
        if ind.is_leaf:
            return False
        slots = self.ruleset.compiled.layout.groups.get(ind.index)
        return ind.out_of is not None or _shares(ind) or (slots is not None and slots.scaled is not None)

    def indicator(self, path: str) -> IndicatorRecord:
        """The audit record of one indicator, by path or by its unique name (see `points`)."""
        for record in self.indicators:
            if record.path == path:
                return record
        path = self._find(path).path
        for record in self.indicators:
            if record.path == path:
                return record
        raise KeyError(path)  # pragma: no cover - every indicator has its record

    def _find(self, path: str) -> model.Indicator:
        try:
            return find(self, path)
        except PerfrulesError as exc:
            raise KeyError(f"{exc.diagnostics[0].message}; {exc.diagnostics[0].help}") from None

    # -- JSON
    def to_dict(self) -> dict[str, Any]:
        """The JSON result of spec section 8, as plain Python data (numbers as strings).

        Once a ruleset has written `writer.GENERATE_AT` results, by code generated for the ruleset
        (writer.py); before, from the audit records (`dict_from_records`), which the generated code
        is tested against. Both write the same data.
        """
        from perfrules.results import writer  # here: the table of a plain `eval` needs neither it nor json

        writers = writer.writer_for(self.ruleset)
        return dict_from_records(self) if writers is None else writers.to_dict(self)

    def _records_dict(self) -> dict[str, Any]:
        rs = self.ruleset
        places = rs.model.precision
        veto = self.veto
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "ruleset": {"name": rs.model.name, "version": rs.model.version, "sha256": rs.model.source.sha256},
            "engine": f"perfrules {rs.engine_version}",
            "meta": jsonable(self.meta),
            "total": arithmetic.fixed(self.total, places),
            "max": arithmetic.plain(self.max),
            "rating": self.rating,
            "veto": None if veto is None else {"because": veto.because, "source": veto.source},
            "raw_total": arithmetic.fixed(self.raw_total, places),
            "rescaled": self.rescaled,
            "adjustments": [_adjustment_json(a) for a in self.top_adjustments],
            "indicators": [self._indicator_json(r, row, places)
                           for r, row in zip(self.indicators, rows_of(rs), strict=True)],
            "lost": [
                {"path": loss.path, "points": arithmetic.fixed(loss.points, places), "reasons": list(loss.reasons)}
                for loss in self.lost
            ],
        }
        return out

    def _indicator_json(self, r: IndicatorRecord, row: AuditRow, places: int) -> dict[str, Any]:
        override = None
        if r.override is not None:
            override = {"points": arithmetic.fixed(r.override["points"], places), "because": r.override["because"],
                        "computed": arithmetic.fixed(r.override["computed"], places)}
        out = {
            "path": r.path, "label": r.label, "weight": row.weight,
            "points": arithmetic.fixed(r.points, places), "exact": arithmetic.plain(r.exact), "rule": r.rule,
            "source": r.source, "inputs": dict(r.inputs),
            "adjustments": [_adjustment_json(a) for a in r.adjustments] if r.adjustments else [],
            "override": override, "applicable": r.applicable, "clamped": r.clamped,
            "reasons": list(r.reasons),
        }  # fmt: skip
        if row.ind.row is not None:
            info = row.ind.row
            out["row"] = {"table": info.table, "number": info.number, "key": info.key,
                          "columns": {name: column_json(value) for name, value in info.values}}
        scale = self.group_scale(row.ind.path) if row.group_scale else None
        if scale is not None:
            out["scale"] = {"out_of": arithmetic.plain(scale.out_of), "sum": arithmetic.plain(scale.sum),
                            "counted": arithmetic.plain(scale.counted)}
        if row.judged_number is not None:
            # a judged leaf's row also says what the evaluator entered: points, band, reason
            entry = self.facts.judged[row.judged_number]
            out["judged"] = {"points": arithmetic.fixed(entry.points, places), "band": entry.band,
                             "because": entry.because}
        return out

    def to_json(self, indent: int | None = 2) -> str:
        """`to_dict()` as JSON text: as `json.dumps(data, ensure_ascii=False, indent=indent)` writes it.

        With the default indent, once the ruleset's code is generated (see `to_dict`), the text is
        written directly by it (writer.py), without the data in between."""
        from perfrules.results import writer  # here: the table of a plain `eval` needs neither it nor json

        writers = writer.writer_for(self.ruleset)
        if writers is None:
            return dumps(dict_from_records(self), indent)
        return writers.to_json(self) if indent == 2 else dumps(writers.to_dict(self), indent)

    def __repr__(self) -> str:
        return f"<Result {self.ruleset.model.name!r} total={self.total} rating={self.rating!r}>"

    # -- building records
    def _source(self, span: Any) -> str:
        return self.ruleset.source_of(span)

    @functools.cached_property
    def _let_cache(self) -> dict[int, Any]:
        return {}

    @functools.cached_property
    def _input_texts(self) -> dict[int, Any]:
        """Input number -> its value as records show it, made on first use: most inputs feed several
        records, and a batch that prints only the lost ones never needs the rest."""
        return {}

    def _input_text_of(self, k: int) -> Any:
        texts = self._input_texts
        text = texts.get(k, texts)
        if text is texts:
            value = self.facts.values[k]
            text = texts[k] = _ROWS if isinstance(value, tuple) else input_text(value)
        return text

    def value_of(self, expr: model.Expr) -> Any:
        """Evaluate an expression of the rules against these facts (for reasons and explain)."""
        with self.ruleset.decimal_context():
            return arithmetic.interpret(expr, self.facts.values, self._let)

    def let_value(self, index: int) -> Any:
        """Let `index` as the evaluator recorded it; raises its DivisionByZero if it divided by zero."""
        value = self._all[self.ruleset.compiled.layout.lets[index]]
        error = getattr(value, "error", None)  # a let that failed is recorded as compile.Poison
        if isinstance(error, arithmetic.DivisionByZero):
            raise error
        return value

    def _let(self, index: int) -> Any:
        # A method, not a closure: a closure that calls itself is a reference cycle through its
        # cell, which would keep every Result that rendered a value alive until the cyclic GC.
        if len(self._values) == self.ruleset.compiled.layout.size:
            return self.let_value(index)  # recorded
        # worked out, for a result that has not re-run the evaluator for its other values (yet)
        cache = self._let_cache
        if index not in cache:
            cache[index] = arithmetic.interpret(self.ruleset.model.lets[index].expr, self.facts.values, self._let)
        return cache[index]

    def show(self, expr: model.Expr, value: Any = None) -> str:
        """A value as it prints in reasons (spec section 2)."""
        if value is None:
            try:
                value = self.value_of(expr)
            except arithmetic.DivisionByZero:
                return "—"
        m = self.ruleset.model
        return arithmetic.show(value, expr.type, m.precision, m.chinese_keywords)

    def describe(self, expr: model.Expr) -> str:
        """How an expression is named in a generated reason: an input's label, else its text."""
        return describe(self.ruleset, expr)

    def _render(self, template: model.Template) -> str:
        parts = template.parts
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0]  # most reasons are plain text
        return "".join(p if isinstance(p, str) else self.show(p) for p in template.parts)

    def _adjustment(self, adj: model.Adjustment, amount: Decimal | None, source: str) -> AdjustmentRecord:
        applied = amount is not None and amount > 0
        because = self._render(adj.because) if adj.because is not None else None
        return AdjustmentRecord(adj.kind, amount if amount is not None else arithmetic.ZERO, because, source, applied)

    def _record(self, row: AuditRow, v: tuple[Any, ...], facts: Validated) -> IndicatorRecord:
        ind = row.ind
        # JSON-ready strings, bools too ("true"/"false"), as docs/api.md says
        if ind.row is not None:
            inputs = {name: written(value) for name, value in ind.row.values}
        else:
            text_of = self._input_text_of
            inputs = {name: text for name, k in row.inputs if (text := text_of(k)) is not _ROWS}
        applicable = True if row.applicable is None else v[row.applicable]  # a bool: see compile.py
        points = v[row.points]
        slots = row.leaf
        if slots is None:
            return IndicatorRecord(
                ind.path, ind.name, ind.label, ind.depth, ind.weight, points, points, "group", row.source, inputs,
                (), None, applicable, False, False, (), None, None, None, points, ind.note,
            )  # fmt: skip
        adjustments = tuple([self._adjustment(a, v[slot], source) for a, slot, source in row.adjustments]) \
            if row.adjustments else ()
        override = None
        if facts.overrides is not None:
            assert row.leaf_number is not None
            o = facts.overrides[row.leaf_number]
            if o is not None:
                override = {"points": o.points, "because": o.because, "computed": v[slots.computed]}
        # positional: the field order of IndicatorRecord
        record = IndicatorRecord(
            ind.path, ind.name, ind.label, ind.depth, ind.weight, points, v[slots.exact], row.rule, row.source,
            inputs, adjustments, override, applicable, v[slots.clamped], True, (),
            v[slots.raw] if slots.raw is not None else None,
            v[slots.value] if slots.value is not None else None,
            v[slots.arm] if slots.arm is not None else None, v[slots.computed], ind.note,
        )  # fmt: skip
        if applicable and points < ind.weight:
            # Reasons read the record; it is not shared yet, so complete it in place
            # (records.evolve would copy all 21 fields: a third of a whole to_dict()).
            object.__setattr__(record, "reasons", tuple(self._reasons(row, record)))
        elif applicable and record.override is None and _over_achieved(ind, record):
            # 「达成度116.67%，满分为止」: full points, but the audit shows the row went past its target
            object.__setattr__(record, "reasons", (self._rule_reason(row, record) or "",))
        return record

    def _reasons(self, row: AuditRow, record: IndicatorRecord) -> list[str]:
        if record.override is not None:
            return [record.override["because"]]
        ind = row.ind
        rule = ind.rule
        assert rule is not None
        lang = lang_of(self.ruleset.model.chinese)
        reasons: list[str] = []
        if record.raw is not None and record.raw < ind.weight:
            if rule.because is not None:
                reasons.append(self._render(rule.because))
            else:
                generated = self._rule_reason(row, record)
                if generated:
                    reasons.append(generated)
        if record.adjustments:
            for adj, applied in zip(ind.adjustments, record.adjustments, strict=True):
                if adj.kind == "deduct" and applied.applied:
                    reasons.append(applied.because or self._adjustment_reason(adj, applied.amount))
        if record.clamped and record.points == 0 and reasons and phrases.FLOORED_WORDS.in_(lang) not in reasons[-1]:
            # the deductions shown add up to more than the weight: say where they stopped (unless the
            # rule file's own words already do)
            reasons[-1] += phrases.FLOORED_AT_ZERO.in_(lang)
        if not reasons:
            points = self._points_text(record.points)
            reasons.append(phrases.POINTS_OF_WEIGHT.format(lang, points=points, weight=row.weight))
        return reasons

    def _points_text(self, value: Decimal | None) -> str:
        if value is None:
            return "0"
        return arithmetic.plain(arithmetic.round_half_up(value, self.ruleset.model.precision))

    def _rule_reason(self, row: AuditRow, record: IndicatorRecord) -> str | None:
        text = self._rule_reason_text(row, record)
        ind = row.ind
        if text is None or ind.row is None or text.startswith(ind.name):
            return text
        # a row's reason names the row, as its 扣分原因 stands among many: 「丁：自评分为3，得3分」
        return phrases.OF_ROW.format(lang_of(self.ruleset.model.chinese), name=ind.name, text=text)

    def _rule_reason_text(self, row: AuditRow, record: IndicatorRecord) -> str | None:
        ind = row.ind
        rule = ind.rule
        assert rule is not None
        lang = lang_of(self.ruleset.model.chinese)
        raw = self._points_text(record.raw)
        expr_text = row.named
        if rule.expr is not None and isinstance(rule.expr, model.Call) and rule.expr.function == "achievement":
            return self._achievement_reason(ind, rule.expr, record, raw, lang)
        match rule.kind:
            case "judged" if rule.expr is not None:  # `judged from COLUMN`: the row holds the points
                band = rule.band_column.value if isinstance(rule.band_column, model.Const) else None
                name = phrases.NAME_PREFIX.format(lang, name=ind.name) if ind.row is not None else ""
                shown = phrases.IN_BRACKETS.format(lang, text=band) if band else ""
                return phrases.JUDGED_POINTS.format(lang, name=name, points=raw, band=shown)
            case "ratio":
                assert rule.expr is not None
                shown = arithmetic.percent_text(record.value) if record.value is not None else "—"
                simple = isinstance(rule.expr, (model.InputRef, model.LetRef, model.ParamRef, model.Const))
                reason = phrases.RATIO_REASON if simple else phrases.RATIO_OF_FORMULA_REASON
                return reason.format(lang, expr=expr_text, value=shown, points=raw)
            case "score":
                assert rule.expr is not None
                shown = self.show(rule.expr, record.value)
                return phrases.SCORE_REASON.format(lang, expr=expr_text, value=shown, points=raw)
            case "tiers":
                assert rule.expr is not None and record.arm is not None
                shown = self.show(rule.expr, record.value)
                tier = rule.tiers[record.arm]
                if tier.op is None:
                    band = phrases.TIER_ELSE.in_(lang)
                else:
                    op = TIER_SYMBOLS.get(tier.op, tier.op) if lang == "zh" else tier.op
                    band = phrases.TIER.format(lang, op=op, value=tier.value_text)
                return phrases.TIER_REASON.format(lang, expr=expr_text, value=shown, tier=band, points=raw)
            case "grade":
                return phrases.GRADE_REASON.format(lang, expr=expr_text, value=str(record.value), points=raw)
            case "checklist":
                flags = record.value or ()
                missed = [item.text for item, ok in zip(rule.items, flags, strict=False) if not ok]
                if not missed:
                    return None
                return phrases.NOT_MET.format(lang, items=phrases.LIST_SEMICOLON.in_(lang).join(missed))
            case "judged":
                judged = self._judged(ind)
                if judged.because:
                    return judged.because
                band = phrases.IN_BRACKETS.format(lang, text=judged.band) if judged.band else ""
                return phrases.JUDGED_POINTS.format(lang, name="", points=raw, band=band)
        return None

    def _achievement_reason(self, ind: model.Indicator, call: model.Call, record: IndicatorRecord, raw: str,
                            lang: Lang) -> str:  # fmt: skip
        """「补贴渔船数：目标≥6艘，完成5艘，达成度83.33%，得16.67分」 (spec section 10)."""
        actual, target = (self._as_written(a) for a in call.args[:2])
        written = call.args[1].value if isinstance(call.args[1], model.Const) else None
        if len(call.args) > 2 and isinstance(call.args[2], model.Const) \
                and getattr(written, "direction", lambda: None)() != call.args[2].value:  # fmt: skip
            # the direction came from the rules or a direction column, not the target's sign: say it
            way = str(call.args[2].value)
            target += phrases.IN_BRACKETS.format(lang, text=way if lang == "zh" else DIRECTIONS_EN.get(way, way))
        reached = arithmetic.percent_text(record.value) if record.value is not None else "—"
        # only `ratio` clamps an achievement past 100% to full points (spec 10): a tier table does not
        capped_by_ratio = ind.rule is not None and ind.rule.kind == "ratio"
        over = record.value is not None and record.value > 1
        name = ind.name if ind.row is not None else self.describe(call).strip()
        capped = phrases.CAPPED_AT_FULL.in_(lang) if over and capped_by_ratio else ""
        return phrases.ACHIEVEMENT_REASON.format(lang, name=name, target=target, actual=actual, reached=reached,
                                                 capped=capped, points=raw)

    def _as_written(self, expr: model.Expr) -> str:
        if isinstance(expr, model.Const):
            value = expr.value
            if hasattr(value, "text"):
                return str(value.text)
        return self.show(expr)

    def _judged(self, ind: model.Indicator) -> Judged:
        return self.facts.judged[self.ruleset.judged_number[ind.index]]

    def _adjustment_reason(self, adj: model.Adjustment, amount: Decimal) -> str:
        lang = lang_of(self.ruleset.model.chinese)
        shown = self._points_text(amount)
        if adj.per is not None:
            of = adj.per.of
            if isinstance(of, model.Call) and of.function in ("shortfall", "excess"):
                # shortfall(实际, 目标) reads 「实际比目标少N」, not the formula
                actual, target = (self.describe(a).strip() for a in of.args)
                gap = self.show(of)
                gone = phrases.SHORTFALL_DEDUCTED if of.function == "shortfall" else phrases.EXCESS_DEDUCTED
                return gone.format(lang, actual=actual, target=target, gap=gap, points=shown)
            return phrases.PER_DEDUCTED.format(lang, what=self.describe(of), value=self.show(of), points=shown)
        if adj.when is not None:
            return phrases.WHEN_DEDUCTED.format(lang, condition=adj.when.span.text(), points=shown)
        return phrases.DEDUCTED.format(lang, points=shown)

    def judged_entry(self, ind: model.Indicator) -> Judged | None:
        number = self.ruleset.judged_number.get(ind.index)
        return None if number is None else self.facts.judged[number]


_ROWS = object()  # a rows input: a record shows its row's columns instead


def _over_achieved(ind: model.Indicator, record: IndicatorRecord) -> bool:
    rule = ind.rule
    return (rule is not None and isinstance(rule.expr, model.Call) and rule.expr.function == "achievement"
            and record.value is not None and record.value > 1)


def _shares(ind: model.Indicator) -> bool:
    return any(c.applies is not None and c.applies.otherwise == "share" for c in ind.children)


def _adjustment_json(a: AdjustmentRecord) -> dict[str, Any]:
    return {"kind": a.kind, "amount": arithmetic.plain(a.amount), "applied": a.applied, "because": a.because,
            "source": a.source}


def dict_from_records(result: Result) -> dict[str, Any]:
    """`Result.to_dict()` written from the audit records: the reference the generated writer is tested
    against (tests/test_writer.py), and what writes a ruleset's first results."""
    return result._records_dict()


def find(result: Result, path: str) -> model.Indicator:
    """The indicator at `path` (or with that unique name); E601 with close paths otherwise."""
    rs = result.ruleset.model
    ind = rs.find(path)
    if ind is not None:
        return ind
    named = [i for i in rs.all_indicators() if i.name == path]
    if len(named) == 1:
        return named[0]
    paths = [i.path for i in rs.all_indicators()]
    if named:
        help_text = say.E601_NAME_USED_TWICE(paths=tuple(f"`{i.path}`" for i in named))
    else:
        close = did_you_mean(path, paths) or did_you_mean(
            path.split(".")[-1], [i.name for i in rs.all_indicators()]
        )
        if close is not None and close not in paths:
            close = next(i.path for i in rs.all_indicators() if i.name == close)
        quoted = tuple(f"`{p}`" for p in paths)
        help_text = say.E601_DID_YOU_MEAN_PATHS(guess=close, paths=quoted) if close else \
            say.E601_THE_PATHS(paths=quoted)  # fmt: skip
    error = PerfrulesError([Diagnostic(say.E601_NO_INDICATOR(path=path), None, help=help_text,
                                       where=result.ruleset.display_name)])
    error.chinese = rs.chinese_keywords
    raise error
