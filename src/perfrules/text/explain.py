"""How one indicator's points were computed, step by step, with the actual numbers.

`explain(result, path)` returns an `Explanation`: plain data (steps with their
text, their `FILE:LINE` and their values as exact strings). `text()` and
`to_dict()` render it; `main_explain` is the `perfrules explain` command.

Nothing here scores anything: every number shown is either read from the
`Result` or recomputed from the same Decimal values under the engine's own
decimal context, so a reviewer can redo each line by hand. Formulas are printed
by walking the model expression tree (`formula`), once with names and once with
the values substituted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs

from perfrules import decimal_context
from perfrules.catalogue import Lang, lang_of, phrases
from perfrules.controls import escaped
from perfrules.inputs.facts import Judged
from perfrules.results.result import IndicatorRecord, Result, find
from perfrules.semantics import arithmetic, model
from perfrules.syntax.keywords import KEYWORDS
from perfrules.text.wording import compare_op, exact_text, formula, is_name, names_in, standard

SCHEMA = "perfrules.explain/1"


# ---- the explanation -----------------------------------------------------------------------

Section = Literal[
    "inputs",
    "params",
    "lets",
    "applies",
    "rule",
    "adjustments",
    "clamp",
    "round",
    "override",
    "children",
    "result",
]


@attrs.frozen
class Step:
    """One line of the computation: what was done, with which values, and where the rules say so."""

    section: Section
    text: str
    source: str | None
    values: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Explanation:
    """The computation of one indicator's points, as data."""

    path: str
    name: str
    label: str | None
    weight: Decimal
    points: Decimal
    exact: Decimal
    precision: int
    rule: str
    source: str
    applicable: bool
    standard: str | None
    steps: tuple[Step, ...]
    reasons: tuple[str, ...]
    lang: Lang

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: numbers as exact strings, like the engine's result."""
        return {
            "schema": SCHEMA,
            "path": self.path,
            "name": self.name,
            "label": self.label,
            "weight": arithmetic.plain(self.weight),
            "points": arithmetic.fixed(self.points, self.precision),
            "exact": arithmetic.plain(self.exact),
            "rule": self.rule,
            "source": self.source,
            "applicable": self.applicable,
            "standard": self.standard,
            "steps": [
                {"section": s.section, "text": s.text, "source": s.source, "values": dict(s.values)}
                for s in self.steps
            ],
            "reasons": list(self.reasons),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def text(explanation: Explanation) -> str:
    """The explanation as numbered steps under headings, each with its `FILE:LINE`."""
    lang = explanation.lang
    h = {key: heading.in_(lang) for key, heading in phrases.EXPLAIN_HEADINGS.items()}
    colon = phrases.COLON.in_(lang)
    e = explanation
    title = e.path + (phrases.IN_BRACKETS.format(lang, text=e.label) if e.label else "")
    lines = [
        f"{h['indicator']}{colon}{title}",
        f"{h['weight']}{colon}{arithmetic.plain(e.weight)}",
        f"{h['source']}{colon}{e.source}",
    ]
    if e.standard:
        lines.append(f"{h['standard']}{colon}{e.standard}")
    section: str | None = None
    number = 0
    for step in e.steps:
        if step.section != section:
            section = step.section
            lines.append("")
            lines.append(h[section])
        number += 1
        where = f"    [{step.source}]" if step.source else ""
        lines.append(f"  {number}. {step.text}{where}")
    if e.reasons:
        lines.append("")
        lines.append(h["reasons"])
        for reason in e.reasons:
            lines.append(f"  - {reason}")
    return escaped("\n".join(lines)) + "\n"  # facts and keys may hold ESC or U+202E: never raw to a terminal


class _Explainer:
    def __init__(self, result: Result, ind: model.Indicator, record: IndicatorRecord, lang: Lang):
        self.result = result
        self.ind = ind
        self.record = record
        self.zh = lang == "zh"
        self.lang: Lang = lang
        self.rs = result.ruleset.model
        self.steps: list[Step] = []
        self.file = result.ruleset.display_name

    # -- helpers
    def src(self, span: Any) -> str:
        return f"{self.file}:{span.line}"

    def add(self, section: Section, text: str, source: str | None, **values: Any) -> None:
        self.steps.append(Step(section, text, source, {k: _json(v) for k, v in values.items()}))

    def value(self, expr: model.Expr) -> Any:
        try:
            return self.result.value_of(expr)
        except arithmetic.DivisionByZero:
            return None

    def recorded_let(self, index: int) -> Any:
        """A let's value as the evaluator recorded it; None if it divided by zero."""
        try:
            return self.result.let_value(index)
        except arithmetic.DivisionByZero:
            return None

    def agrees(self, expr: model.Expr, recorded: Any) -> None:
        """A value explain works out again (to show its formula) must be the one the evaluator recorded."""
        worked = self.value(expr)
        assert worked == recorded, (self.ind.path, expr.span.text(), worked, recorded)

    def shown(self, expr: model.Expr) -> str:
        return exact_text(self.value(expr), expr.type, self.zh)

    def num(self, value: Any) -> str:
        return exact_text(value, None, self.zh)

    def pct(self, value: Any) -> str:
        return exact_text(value, model.PERCENT, self.zh)

    def condition(self, expr: model.Expr) -> tuple[bool, str]:
        """Whether a condition holds, and `条件（代入值）：成立/不成立`."""
        holds = bool(self.value(expr))
        symbolic = formula(expr, self.zh)
        substituted = formula(expr, self.zh, self.shown)
        shown = symbolic if substituted == symbolic else symbolic + self.bracketed(substituted)
        verdict = (phrases.HOLDS if holds else phrases.DOES_NOT_HOLD).in_(self.lang)
        return holds, f"{shown}{phrases.COLON.in_(self.lang)}{verdict}"

    def bracketed(self, text: str) -> str:
        """` (text)`, or `（text）` in Chinese."""
        return phrases.IN_BRACKETS.format(self.lang, text=text)

    def calc(self, expr: model.Expr) -> str:
        """`formula = substituted = value`, dropping parts that say nothing new."""
        symbolic = formula(expr, self.zh)
        substituted = formula(expr, self.zh, self.shown)
        result = self.shown(expr)
        parts = [symbolic]
        if substituted not in parts:
            parts.append(substituted)
        if result not in parts:
            parts.append(result)
        return " = ".join(parts)

    # -- the walk
    def explain(self) -> None:
        if not self.ind.is_leaf:
            self.group()  # a group is the sum of its children: explain each child for its inputs
            return
        exprs = _expressions(self.ind)
        self.inputs()
        self.params(exprs)
        self.lets(exprs)
        self.leaf()

    def inputs(self) -> None:
        for name, k in self.result.ruleset.inputs_of[self.ind.index]:
            decl = self.rs.inputs[k]
            value = self.result.facts.values[k]
            label = self.bracketed(decl.label) if decl.label else ""
            self.add(
                "inputs",
                f"{name} = {exact_text(value, decl.type, self.zh)}{label}",
                self.src(decl.span),
                name=name,
                value=value,
            )

    def params(self, exprs: list[model.Expr]) -> None:
        seen: list[str] = []
        for expr in _closure(self.rs, exprs):
            if isinstance(expr, model.ParamRef) and expr.name not in seen:
                seen.append(expr.name)
        for param in self.rs.params:
            if param.name in seen:
                label = self.bracketed(param.label) if param.label else ""
                self.add(
                    "params",
                    f"{param.name} = {exact_text(param.value, param.type, self.zh)}{label}",
                    self.src(param.span),
                    name=param.name,
                    value=param.value,
                )

    def lets(self, exprs: list[model.Expr]) -> None:
        used = {e.index for e in _closure(self.rs, exprs) if isinstance(e, model.LetRef)}
        for let in self.rs.lets:
            if let.index in used:
                value = self.recorded_let(let.index)
                parts = [let.name]
                for part in (
                    formula(let.expr, self.zh),
                    formula(let.expr, self.zh, self.shown),
                    exact_text(value, let.type, self.zh),
                ):
                    if part not in parts:
                        parts.append(part)
                text = " = ".join(parts)
                self.add("lets", text, self.src(let.span), name=let.name, value=value)

    def _chain(self) -> list[model.Indicator]:
        """This indicator and its ancestors, top-level first."""
        chain = []
        node: model.Indicator | None = self.ind
        while node is not None:
            chain.append(node)
            node = self.result.ruleset.parent_of.get(node.index)
        return chain[::-1]

    def applies(self) -> bool:
        """The applicability step of this indicator or an ancestor; False if it does not apply."""
        for node in self._chain():
            if node.applies is None:
                continue
            holds, cond = self.condition(node.applies.condition)
            recorded = self.result.indicator(node.path).applicable
            # a group may also not apply because its every child was shared away (spec 12)
            assert holds == recorded if node.is_leaf else holds or not recorded, (node.path, holds, recorded)
            who = "" if node is self.ind else phrases.PARENT.format(self.lang, path=node.path)
            if holds:
                step = phrases.STEP_APPLIES
            elif node.applies.otherwise == "full":
                step = phrases.STEP_NOT_APPLIES_FULL
            elif node.applies.otherwise == "share" and "." in node.path:  # at the top level: rescale
                step = phrases.STEP_NOT_APPLIES_SHARE
            else:
                step = phrases.STEP_NOT_APPLIES_RESCALE
            text = step.format(self.lang, condition=cond, who=who)
            self.add(
                "applies",
                text,
                self.src(node.applies.span),
                holds=holds,
                otherwise=node.applies.otherwise,
            )
            if not holds:
                return False
        return True

    def leaf(self) -> None:
        rule = self.ind.rule
        assert rule is not None
        if not self.applies():
            self.finish()
            return
        running = self.rule(rule)
        running = self.adjustments(running)
        self.clamp(running)
        # what explain worked out again must be what the evaluator recorded (issue 11)
        clamped = min(max(running, arithmetic.ZERO), self.ind.weight)
        assert clamped == self.record.exact, (self.ind.path, clamped, self.record.exact)
        self.rounding()
        self.override()
        self.finish()

    # -- scoring rules
    def rule(self, rule: model.Rule) -> Decimal:
        record = self.record
        weight = self.ind.weight
        src = self.src(rule.span)
        lang = self.lang
        raw = record.raw if record.raw is not None else arithmetic.ZERO
        w = arithmetic.plain(weight)
        with self.result.ruleset.decimal_context():
            match rule.kind:
                case "full":
                    self.add("rule", phrases.STEP_FULL.format(lang, weight=w), src, points=raw)
                case "ratio":
                    assert rule.expr is not None
                    self.agrees(rule.expr, record.value)
                    if not is_name(rule.expr):
                        self.add("rule", self.calc(rule.expr), src, value=record.value)
                    product = weight * arithmetic.to_decimal(record.value)
                    assert min(max(product, arithmetic.ZERO), weight) == raw, (self.ind.path, product, raw)
                    head = phrases.HEAD_RATIO.in_(lang)
                    self.add(
                        "rule",
                        f"{head}{w} × {self.pct(record.value)} = {self.num(product)}",
                        src,
                        value=record.value,
                        product=product,
                    )
                    self.rule_clamp(product, src)
                case "score":
                    assert rule.expr is not None
                    head = phrases.HEAD_SCORE.in_(lang)
                    self.agrees(rule.expr, record.value)
                    self.add("rule", head + self.calc(rule.expr), src, value=record.value)
                    self.rule_clamp(arithmetic.to_decimal(record.value), src)
                case "tiers":
                    self.tiers(rule, src)
                case "grade":
                    self.grade(rule, src)
                case "checklist":
                    self.checklist(rule, src)
                case "judged":
                    self.judged(rule, src)
        return raw

    def rule_clamp(self, product: Decimal, src: str) -> None:
        w = arithmetic.plain(self.ind.weight)
        if product > self.ind.weight:
            self.add("rule", phrases.STEP_CAPPED.format(self.lang, value=self.num(product), weight=w), src,
                     points=self.ind.weight)
        elif product < 0:
            self.add("rule", phrases.STEP_NOT_BELOW_ZERO.format(self.lang, value=self.num(product)), src, points=0)

    def tiers(self, rule: model.Rule, src: str) -> None:
        assert rule.expr is not None and self.record.arm is not None
        lang = self.lang
        self.agrees(rule.expr, self.record.value)
        self.add("rule", phrases.HEAD_TIERS.in_(lang) + self.calc(rule.expr), src, value=self.record.value)
        shown = exact_text(self.record.value, rule.expr.type, self.zh)
        for k, arm in enumerate(rule.tiers[: self.record.arm + 1]):
            taken = k == self.record.arm
            points = arithmetic.plain(arm.points)
            if arm.op is None:
                text = phrases.STEP_TIER_ELSE.format(lang, points=points)
            else:
                test = f"{shown} {compare_op(arm.op)} {_threshold(arm, rule.expr.type, self.zh)}"
                if taken:
                    text = phrases.STEP_TIER_TAKEN.format(lang, test=test, points=points)
                else:
                    text = phrases.STEP_TIER_PASSED.format(lang, test=test)
            self.add("rule", text, self.src(arm.span), arm=k, taken=taken, points=arm.points)

    def grade(self, rule: model.Rule, src: str) -> None:
        assert rule.expr is not None and self.record.arm is not None
        lang = self.lang
        self.agrees(rule.expr, self.record.value)
        self.add("rule", phrases.HEAD_GRADE.in_(lang) + self.calc(rule.expr), src, value=self.record.value)
        arm = rule.grades[self.record.arm]
        label = arm.label if arm.label is not None else phrases.GRADE_ELSE.in_(lang)
        outcome = _outcome(arm.outcome_text, arm.points, self.ind.weight, self.zh)
        text = phrases.LABELLED.format(lang, label=label, text=outcome)
        self.add("rule", text, self.src(arm.span), arm=self.record.arm, points=arm.points)

    def checklist(self, rule: model.Rule, src: str) -> None:
        lang = self.lang
        flags = self.record.value or ()
        total = arithmetic.ZERO
        for item, ok in zip(rule.items, flags, strict=False):
            mark = "✓" if ok else "✗"
            points = arithmetic.plain(item.points)
            cond = ""
            if item.condition is not None:
                holds, cond = self.condition(item.condition)
                assert holds == bool(ok), (self.ind.path, item.text, holds, ok)
            gain = phrases.ITEM_MET.format(lang, points=points) if ok else phrases.ITEM_NOT_MET.in_(lang)
            when = self.bracketed(cond) if cond else ""
            self.add(
                "rule",
                f"{mark} {item.text}{when} → {gain}",
                self.src(item.span),
                met=bool(ok),
                points=item.points if ok else 0,
            )
            if ok:
                total += item.points
        self.add("rule", phrases.STEP_SUM.format(lang, points=arithmetic.plain(total)), src, points=total)

    def judged(self, rule: model.Rule, src: str) -> None:
        lang = self.lang
        entry = self.result.judged_entry(self.ind)
        if entry is None:  # `judged from COLUMN`: the row holds the points (and maybe the band)
            assert rule.expr is not None and self.ind.row is not None
            band_label = rule.band_column.value if isinstance(rule.band_column, model.Const) else None
            column = rule.expr.span.text()
            # the row's points, as the evaluator recorded them before any adjustment
            assert self.record.raw is not None
            self.agrees(rule.expr, self.record.raw)
            entry = Judged(self.record.raw, str(band_label) if band_label is not None else None, None)
            src = phrases.ROW_COLUMN.format(lang, source=src, table=self.ind.row.table, number=self.ind.row.number,
                                            column=column)
        points = arithmetic.plain(entry.points)
        facts = self.result.facts.source_name
        where = f'{facts} [judged] "{self.ind.path}"' if facts and rule.expr is None else None
        text = phrases.STEP_JUDGED.format(lang, points=points)
        if entry.band is not None and rule.bands:
            band = next((b for b in rule.bands if b.label == entry.band), None)
            if band is not None:
                interval = _interval(band)
                text += phrases.JUDGED_IN_BAND.format(lang, band=band.label, interval=interval, points=points)
        if entry.because:
            text += phrases.JUDGED_BECAUSE.format(lang, because=entry.because)
        self.add(
            "rule", text, where or src, points=entry.points, band=entry.band, because=entry.because
        )

    # -- adjustments, clamp, rounding, override
    def adjustments(self, running: Decimal) -> Decimal:
        lang = self.lang
        for adj, applied in zip(self.ind.adjustments, self.record.adjustments, strict=True):
            parts: list[str] = []
            holds = True
            if adj.when is not None:
                holds, shown = self.condition(adj.when)
                parts.append(phrases.WHEN_CONDITION.format(lang, condition=shown))
            amount = applied.amount
            if holds:
                steps, worked = self.amount(adj)
                parts.extend(steps)
                # what it works out must be what the evaluator applied (floored at 0, as it is)
                assert max(worked, arithmetic.ZERO) == amount, (self.ind.path, worked, amount)
            else:
                assert not applied.applied, (self.ind.path, applied)
            with self.result.ruleset.decimal_context():
                after = running - amount if adj.kind == "deduct" else running + amount
            sign = "-" if adj.kind == "deduct" else "+"
            if applied.applied:
                parts.append(f"{self.num(running)} {sign} {self.num(amount)} = {self.num(after)}")
            else:
                parts.append((phrases.NOTHING_DEDUCTED if adj.kind == "deduct" else phrases.NOTHING_ADDED).in_(lang))
            if applied.applied and applied.because:
                parts.append(phrases.BECAUSE.format(lang, because=applied.because))
            self.add(
                "adjustments",
                phrases.LABELLED.format(lang, label=_adjustment_head(adj, self.zh),
                                        text=phrases.LIST_SEMICOLON.in_(lang).join(parts)),
                applied.source,
                kind=adj.kind,
                condition=holds if adj.when is not None else None,
                amount=amount,
                applied=applied.applied,
                because=applied.because,
            )
            running = after
        return running

    def amount(self, adj: model.Adjustment) -> tuple[list[str], Decimal]:
        """The arithmetic of one adjustment's amount (per-step count, rounding, cap), and the amount."""
        zh = self.zh
        lang = self.lang
        parts: list[str] = []
        rate = self.value(adj.amount)
        with self.result.ruleset.decimal_context():
            if adj.per is None:
                amount = arithmetic.to_decimal(rate)
                if not is_name(adj.amount):
                    parts.append(self.calc(adj.amount))
            else:
                of = self.value(adj.per.of)
                step = self.value(adj.per.step)
                parts.append(self.calc(adj.per.of))
                of_text = exact_text(of, adj.per.of.type, zh)
                step_text = exact_text(step, adj.per.step.type, zh)
                q = arithmetic.to_decimal(of) / arithmetic.to_decimal(step)
                steps = f"{of_text} ÷ {step_text} = {self.num(q)}"
                if adj.per.rounding == "whole":
                    q = arithmetic.floor(q)
                    steps += phrases.WHOLE_STEPS_TAKEN.format(lang, steps=self.num(q))
                elif adj.per.rounding == "started":
                    q = arithmetic.ceil(q)
                    steps += phrases.STARTED_STEPS_TAKEN.format(lang, steps=self.num(q))
                parts.append(steps)
                amount = arithmetic.to_decimal(rate) * q
                parts.append(f"{self.num(q)} × {self.num(rate)} = {self.num(amount)}")
            if adj.cap is not None:
                cap = arithmetic.to_decimal(self.value(adj.cap))
                if amount > cap:
                    parts.append(phrases.STEP_CAP.format(lang, cap=self.num(cap), amount=self.num(amount)))
                    amount = cap
        return parts, amount

    def clamp(self, running: Decimal) -> None:
        weight = self.ind.weight
        w = arithmetic.plain(weight)
        src = self.src(self.ind.span)
        if running < 0:
            self.add("clamp", phrases.CLAMP_FLOOR.format(self.lang, value=self.num(running)), src,
                     before=running, after=0)
        elif running > weight:
            self.add("clamp", phrases.CLAMP_CAP.format(self.lang, value=self.num(running), weight=w), src,
                     before=running, after=weight)

    def rounding(self) -> None:
        places = self.rs.precision
        exact = self.record.exact
        computed = self.record.computed
        fixed = arithmetic.fixed(computed, places)
        if places == 0:  # "to 0 decimals" / "to 1 decimals" read wrong
            text = phrases.STEP_ROUNDED_WHOLE.format(self.lang, exact=self.num(exact), fixed=fixed)
        elif places == 1:
            text = phrases.STEP_ROUNDED_ONE.format(self.lang, exact=self.num(exact), fixed=fixed)
        else:
            text = phrases.STEP_ROUNDED.format(self.lang, exact=self.num(exact), fixed=fixed, places=places)
        self.add("round", text, None, exact=exact, points=computed)

    def override(self) -> None:
        o = self.record.override
        if o is None:
            return
        places = self.rs.precision
        facts = self.result.facts.source_name
        where = f'{facts} [override] "{self.ind.path}"' if facts else None
        computed = arithmetic.fixed(o["computed"], places)
        points = arithmetic.fixed(self.record.points, places)
        text = phrases.STEP_OVERRIDDEN.format(self.lang, computed=computed, points=points, because=o["because"])
        self.add(
            "override",
            text,
            where,
            computed=o["computed"],
            points=self.record.points,
            because=o["because"],
        )

    def finish(self) -> None:
        r = self.record
        places = self.rs.precision
        points = arithmetic.fixed(r.points, places)
        w = arithmetic.plain(r.weight)
        lost = self.result.lost_points(r.path) if r.applicable else arithmetic.ZERO
        lang = self.lang
        if not r.applicable and r.points == 0:
            # the first indicator above that does not apply says where the weight went
            first = next((n for n in self._chain() if n.applies is not None
                          and not self.result.indicator(n.path).applicable), None)
            shared = first is not None and first.applies is not None and first.applies.otherwise == "share" \
                and "." in first.path  # fmt: skip
            text = (phrases.RESULT_NOT_APPLIES_SHARED if shared else phrases.RESULT_NOT_APPLIES).in_(lang)
        elif lost > 0:
            text = phrases.RESULT_LOST.format(lang, points=points, weight=w, lost=arithmetic.fixed(lost, places))
        elif r.points < r.weight:
            # nothing lost, yet below the weight: a child was dropped by `else rescale`
            dropped = arithmetic.fixed(r.weight - r.points, places)
            text = phrases.RESULT_DROPPED.format(lang, points=points, weight=w, dropped=dropped)
        else:
            text = phrases.RESULT_FULL.format(lang, points=points, weight=w)
        self.add("result", text, r.source, points=r.points, weight=r.weight, lost=lost)

    def group(self) -> None:
        lang = self.lang
        if not self.applies():
            self.finish()
            return
        places = self.rs.precision
        children = [self.result.indicator(c.path) for c in self.ind.children]
        for child in children:
            state = "" if child.applicable else phrases.NOT_APPLICABLE_MARK.in_(lang)
            self.add(
                "children",
                f"{child.name} = {arithmetic.fixed(child.points, places)} / "
                f"{arithmetic.plain(child.weight)}{state}",
                child.source,
                path=child.path,
                points=child.points,
            )
        names = " + ".join(c.name for c in children)
        values = " + ".join(arithmetic.fixed(c.points, places) for c in children)
        total = arithmetic.fixed(self.record.points, places)
        head = phrases.SUM_OF_CHILDREN.in_(lang)
        group_scale = self.result.group_scale(self.ind.path)
        if group_scale is None:
            self.add("children", f"{head}{self.ind.name} = {names} = {values} = {total}", self.src(self.ind.span),
                     points=self.record.points)
            self.finish()
            return
        # `out of` (spec 11) or shared weight (spec 12): the sum is on the group's own scale, then converted
        scaled, base = group_scale.sum, group_scale.counted
        weight, scale = arithmetic.plain(self.ind.weight), arithmetic.plain(self.ind.scale)
        self.add("children", f"{head}{names} = {values} = {arithmetic.fixed(scaled, places)}"
                 + phrases.OUT_OF.format(lang, scale=scale), self.src(self.ind.span), points=scaled)
        if group_scale.dropped:
            # spec 6: weight `rescale` dropped stays dropped (the total is rescaled for it), not shared
            kept = group_scale.kept_weight(self.ind.weight)
            self.add("children", phrases.DROPPED_WITHIN.format(lang, dropped=arithmetic.plain(group_scale.dropped),
                                                               weight=self.num(kept)),
                     self.src(self.ind.span))
            weight = self.num(kept)
        if group_scale.shared:
            shared = arithmetic.plain(group_scale.shared)
            self.add("children", phrases.SHARED_AMONG_REST.format(lang, shared=shared, base=arithmetic.plain(base)),
                     self.src(self.ind.span))
        if base > 0:
            context = decimal_context.CONTEXT
            if group_scale.dropped:  # as the evaluator works it
                kept_scale = context.subtract(self.ind.scale, group_scale.dropped)
                exact = context.divide(context.multiply(context.multiply(scaled, self.ind.weight), kept_scale),
                                       context.multiply(self.ind.scale, base))
            else:
                exact = context.divide(context.multiply(scaled, self.ind.weight), base)
            self.add("children", phrases.CONVERTED.format(lang, sum=arithmetic.fixed(scaled, places), weight=weight,
                                                          base=arithmetic.plain(base), exact=self.num(exact),
                                                          total=total),
                     self.src(self.ind.span), points=self.record.points)
            assert arithmetic.round_half_up(exact, places) == self.record.points  # the evaluator's own value
        self.finish()


def _expressions(ind: model.Indicator) -> list[model.Expr]:
    out: list[model.Expr] = []
    for node in ind.walk():
        out.extend(node.expressions())
        if node.rule is not None and node.rule.because is not None:
            out.extend(node.rule.because.insertions())
    return out


def _closure(rs: model.CheckedRuleset, exprs: list[model.Expr]) -> list[model.Expr]:
    """Every name reached from the expressions, through lets."""
    out: list[model.Expr] = []
    seen: set[int] = set()
    todo = list(exprs)
    while todo:
        for name in names_in(todo.pop(0)):
            out.append(name)
            if isinstance(name, model.LetRef) and name.index not in seen:
                seen.add(name.index)
                todo.append(rs.lets[name.index].expr)
    return out


def _threshold(arm: model.TierArm, type_: model.ValueType, zh: bool) -> str:
    """A tier threshold: the literal as written, or a param's name with its value."""
    text = arm.value_text
    if arm.value is None:
        return text
    shown = exact_text(arm.value, type_, zh)
    if not text or text[0].isdigit() or text[0] in "-.":
        return shown
    return text + phrases.IN_BRACKETS.format(lang_of(zh), text=shown)


def _outcome(outcome_text: str, points: Decimal, weight: Decimal, zh: bool) -> str:
    p = arithmetic.plain(points)
    lang = lang_of(zh)
    if outcome_text in ("full", "满分"):
        return phrases.OUTCOME_FULL_STEP.format(lang, points=p)
    if outcome_text.endswith(("%", "％")):
        return phrases.OUTCOME_SHARE_STEP.format(lang, share=outcome_text, weight=arithmetic.plain(weight), points=p)
    return phrases.OUTCOME_POINTS_STEP.format(lang, points=p)


def _interval(band: model.Band) -> str:
    low = "[" if band.low_closed else "("
    high = "]" if band.high_closed else ")"
    return f"{low}{arithmetic.plain(band.low)}, {arithmetic.plain(band.high)}{high}"


def _adjustment_head(adj: model.Adjustment, zh: bool) -> str:
    """The adjustment as written, on one line (its `because` left out)."""
    def w(key: str) -> str:  # a keyword, as a Chinese-keyword file would write it
        return KEYWORDS.get(key, key) if zh else key

    head = f"{w(adj.kind)} {formula(adj.amount, zh)}"
    if adj.per is not None:
        head += f" {w('per')} {formula(adj.per.step, zh)}"
        if adj.per.rounding != "exact":
            head += f" {w(adj.per.rounding)}"
        head += f" {w('of')} {formula(adj.per.of, zh)}"
    if adj.when is not None:
        head += f" {w('when')} {formula(adj.when, zh)}"
    if adj.cap is not None:
        head += f" {w('cap')} {formula(adj.cap, zh)}"
    return head


def _json(value: Any) -> Any:
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return arithmetic.plain(value)
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return value


# ---- entry points ------------------------------------------------------------------------------


def explain(result: Result, path: str, lang: str | None = None) -> Explanation:
    """How the indicator at `path` got its points, as data.

    `lang` is "zh", "en" or None (the rule file's language).
    """

    ind = find(result, path)
    record = result.indicator(ind.path)
    chosen = lang_of(result.ruleset.model.chinese) if lang is None else lang_of(lang == "zh")
    explainer = _Explainer(result, ind, record, chosen)
    with result.ruleset.decimal_context():  # values are printed exactly, whatever the caller's context
        explainer.explain()
        std = standard(result.ruleset.model, ind, chosen == "zh") if ind.is_leaf else None
    return Explanation(
        path=ind.path,
        name=ind.name,
        label=ind.label,
        weight=ind.weight,
        points=record.points,
        exact=record.exact,
        precision=result.ruleset.model.precision,
        rule=record.rule,
        source=record.source,
        applicable=record.applicable,
        standard=std,
        steps=tuple(explainer.steps),
        reasons=record.reasons,
        lang=chosen,
    )
