"""The 评分表 as data: one row per leaf, a subtotal after every group of two or more children,
then the total rows, with each leaf's 评分标准 and 扣分原因; and the 「存在的主要问题」 paragraph.

Every report format (report.py, report_xlsx.py) and the filed form draw from this one model.
Numbers come from the Result as Decimals and are never recomputed here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from perfrules import decimal_context
from perfrules.catalogue import Lang, lang_of, phrases
from perfrules.results.audit_rows import meta_text
from perfrules.results.result import IndicatorRecord, Result
from perfrules.semantics import arithmetic, model
from perfrules.text.render import META_LABELS
from perfrules.text.wording import _in_engine_context, standard

# ---- the row model --------------------------------------------------------------------------

RowKind = Literal["leaf", "subtotal"]


@attrs.frozen
class Row:
    """One row of the 评分表: a leaf, or the subtotal of a group (after its children)."""

    kind: RowKind
    record: IndicatorRecord
    chain: tuple[model.Indicator, ...]  # from the top-level indicator down to this one
    standard: str
    reasons: str
    dropped: Decimal  # weight under this row dropped by `applies ... else rescale`
    before: tuple[str, ...] = ()  # a row of a rows input: its form columns before 分值 (年度指标值, 实际完成值)
    after: tuple[str, ...] = ()  # … and after 扣分原因 (偏差原因分析及改进措施)

    @property
    def lost(self) -> Decimal:
        """Points lost among what applies: weight − dropped weight − points."""
        context = decimal_context.CONTEXT
        return context.subtract(context.subtract(self.record.weight, self.dropped), self.record.points)

    @property
    def owners(self) -> tuple[model.Indicator, ...]:
        """The groups whose merged name cell covers this row."""
        return self.chain[:-1]


@attrs.frozen
class Extra:
    """A row under the table: raw sum before rescaling, a top-level adjustment, veto, total."""

    label: str
    weight: Decimal | None
    points: Decimal | None
    lost: Decimal | None
    note: str


@attrs.frozen
class Table:
    """Everything a report shows, in the chosen language, shared by all three formats."""

    zh: bool
    title: str
    header: tuple[tuple[str, str], ...]
    levels: int
    before: int  # form columns between the levels and 分值 (a rows ruleset: 年度指标值, 实际完成值)
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    extras: tuple[Extra, ...]
    total: Decimal
    rating: str | None
    problems: str
    precision: int

    @property
    def lang(self) -> Lang:
        return lang_of(self.zh)


_LEVELS_ZH = "一二三四五六七八九十"


def _lang(result: Result, lang: str | None) -> Lang:
    if lang is None:
        return lang_of(result.ruleset.model.chinese)
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown report language {lang!r}: use 'zh' or 'en'")
    return lang_of(lang == "zh")


def _level_number(k: int, lang: Lang) -> str | int:
    """The number of the (k+1)th level of indicators: 一, 二 … in Chinese, 1, 2 … in English."""
    return _LEVELS_ZH[k] if lang == "zh" and k < len(_LEVELS_ZH) else k + 1


def display(ind: model.Indicator) -> str:
    return ind.label or ind.name


@_in_engine_context
def table(result: Result, lang: str | None = None) -> Table:
    """The report's content as data: header, rows, extras, total, rating and 存在的主要问题."""
    chosen = _lang(result, lang)
    zh = chosen == "zh"
    rs = result.ruleset.model
    places = rs.precision
    header: list[tuple[str, str]] = []
    names = META_LABELS[chosen]
    meta = dict(result.meta)
    for key in ("entity", "period"):
        if key in meta:
            header.append((names[key], meta_text(meta.pop(key))))
    header.extend((names.get(k, k), meta_text(v)) for k, v in meta.items())
    header.append((phrases.HEADER_RULESET.in_(chosen), rs.name))
    if rs.version:
        header.append((phrases.HEADER_VERSION.in_(chosen), rs.version))
    if rs.cite:
        header.append((phrases.HEADER_CITE.in_(chosen), rs.cite))
    header.append((phrases.HEADER_RULES_FILE.in_(chosen), result.ruleset.display_name))
    header.append(("SHA-256", rs.source.sha256))

    rows: list[Row] = []
    origin = result.ruleset.origin  # a rows ruleset: its `each` blocks say which columns place a row
    before_columns, after_columns = _form_columns(origin.model if origin is not None else rs)

    def walk(ind: model.Indicator, chain: tuple[model.Indicator, ...]) -> Decimal:
        """Append the rows of `ind`; return the weight dropped under it."""
        chain = (*chain, ind)
        record = result.indicator(ind.path)
        if ind.is_leaf:
            dropped = record.weight if is_dropped(record) else arithmetic.ZERO
            reasons = _reason_cell(record, places, zh)
            values = dict(ind.row.values) if ind.row is not None else {}
            before = tuple(_form_cell(values.get(name)) for name, _, _ in before_columns)
            after = tuple(_form_cell(values.get(name)) for name, _, _ in after_columns)
            rows.append(Row("leaf", record, chain, standard(rs, ind, zh), reasons, dropped, before, after))
            return dropped
        dropped = sum((walk(child, chain) for child in ind.children), arithmetic.ZERO)
        scale = result.group_scale(ind.path)
        if scale is not None and record.applicable and scale.out_of:
            # weight shared among the children (spec 12) is scored by them, not dropped; what a
            # rescale drops inside counts on the parent's scale (weight ÷ out of), as the engine counts it
            context = decimal_context.CONTEXT
            dropped = context.divide(context.multiply(context.subtract(dropped, scale.shared), ind.weight),
                                     scale.out_of)
        if len(ind.children) >= 2 or scale is not None or ind.note:
            note = scale_note(scale, ind, record, places, zh) if scale is not None and record.applicable \
                and result.scale_worth_saying(ind.path, scale) else ""  # fmt: skip
            note = phrases.LIST_SEMICOLON.in_(chosen).join(n for n in (ind.note, note) if n)  # its note is its 评分标准
            rows.append(Row("subtotal", record, chain, note, "", dropped, ("",) * len(before_columns),
                            ("",) * len(after_columns)))
        return dropped

    dropped = sum((walk(top, ()) for top in rs.indicators), arithmetic.ZERO)
    levels = max((len(r.chain) for r in rows), default=1)
    level_names = [phrases.LEVEL.format(chosen, number=_level_number(k, chosen)) for k in range(levels)]
    own = (phrases.COLUMN_WEIGHT, phrases.COLUMN_POINTS, phrases.COLUMN_LOST, phrases.COLUMN_STANDARD,
           phrases.COLUMN_REASONS)
    own_names = [c.in_(chosen) for c in own]
    # A form's own column may be labelled as a level is (a text column 二级指标 beside the levels
    # the rules group by): the heading then names its table too, so that no two columns read alike.
    taken = {*level_names, *own_names}
    before_labels, after_labels = ([label if label not in taken else
                                    phrases.FORM_COLUMN_OF_TABLE.format(chosen, column=label, table=of)
                                    for _, label, of in found] for found in (before_columns, after_columns))
    columns = (*level_names, *before_labels, *own_names, *after_labels)

    extras: list[Extra] = []
    if result.rescaled:
        extras.append(
            Extra(phrases.SUM_BEFORE_RESCALING.in_(chosen), rs.total - dropped, result.raw_total, None,
                  phrases.RESCALED_NOTE.in_(chosen))
        )
    for adj in result.top_adjustments:
        if adj.applied:
            word = (phrases.TOP_DEDUCT if adj.kind == "deduct" else phrases.TOP_BONUS).in_(chosen)
            signed = -adj.amount if adj.kind == "deduct" else adj.amount
            extras.append(
                Extra(
                    word,
                    None,
                    signed,
                    adj.amount if adj.kind == "deduct" else None,
                    adj.because or "",
                )
            )
    clamp = result.total_clamp
    if clamp:
        word = (phrases.CAPPED_AT_TOTAL if clamp < 0 else phrases.FLOORED_AT_ZERO_TOTAL).in_(chosen)
        extras.append(Extra(word, None, clamp, None, ""))
    veto = result.veto
    if veto is not None:
        extras.append(Extra(phrases.VETO.in_(chosen), None, arithmetic.ZERO, None, veto.because))
    lost_total = rs.total - result.total
    extras.append(
        Extra(
            phrases.TOTAL.in_(chosen),
            rs.total,
            result.total,
            lost_total if lost_total > 0 else None,
            "",
        )
    )
    return Table(
        zh=zh,
        title=rs.name,
        header=tuple(header),
        levels=levels,
        before=len(before_columns),
        columns=columns,
        rows=tuple(rows),
        extras=tuple(extras),
        total=result.total,
        rating=result.rating,
        problems=problems(result, chosen),
        precision=places,
    )


def _form_columns(rs: model.CheckedRuleset) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The columns of a form whose rows are data (spec 10) that the report shows as the form does:
    measures (年度指标值, 实际完成值) before 分值, texts the rules do not place (偏差原因…) after 扣分原因.
    The columns that place a row (where, group, key) or weigh it are the table's own.
    Each: (column name, its label, the label of its table)."""
    placed: set[tuple[int, str]] = set()
    for ind in rs.all_indicators():
        each = ind.each
        if each is None:
            continue
        for ref in (each.group, each.key, each.weight):
            if ref is not None:
                placed.add((each.table, ref.column))
        for node in model.walk(each.where) if each.where is not None else ():
            if isinstance(node, model.ColumnRef):
                placed.add((each.table, node.column))
        for arm in each.arms:
            if arm.rule.kind == "judged" and isinstance(arm.rule.expr, model.ColumnRef):
                placed.add((each.table, arm.rule.expr.column))
    before: list[tuple[str, str, str]] = []
    after: list[tuple[str, str, str]] = []
    for inp in rs.inputs:
        if not placed or not any(t == inp.index for t, _ in placed):
            continue
        for column in inp.columns:
            if (inp.index, column.name) in placed:
                continue
            target = before if column.type.kind in ("measure", "number", "percent", "count") else after
            target.append((column.name, column.label or column.name, inp.label or inp.name))
    return before, after


def _form_cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "text"):
        return str(value.text)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (Decimal, int)):
        return arithmetic.plain(value)
    return str(value)


def scale_note(scale: Any, ind: model.Indicator, record: IndicatorRecord, places: int, zh: bool) -> str:
    """Both scales of an `out of` group (spec 11), and where shared weight went (spec 12)."""
    total, counted = arithmetic.fixed(scale.sum, places), arithmetic.plain(scale.counted)
    # the weight is what `rescale` left the group (result.GroupScale): the conversion then adds up
    points, weight = arithmetic.fixed(record.points, places), arithmetic.plain(scale.kept_weight(ind.weight))
    shared = scale.shared
    lang = lang_of(zh)
    text = phrases.SCALE_NOTE.format(lang, sum=total, out_of=arithmetic.plain(scale.out_of))
    if shared:
        text += phrases.SCALE_SHARED.format(lang, shared=arithmetic.plain(shared))
    return text + phrases.SCALE_CONVERTED.format(lang, sum=total, weight=weight, counted=counted, points=points)


def _reason_cell(record: IndicatorRecord, places: int, zh: bool) -> str:
    lang = lang_of(zh)
    if not record.applicable:
        if record.points == record.weight:
            return phrases.NOT_APPLICABLE_FULL.in_(lang)
        return phrases.NOT_APPLICABLE_NOT_SCORED.in_(lang)
    text = phrases.LIST_SEMICOLON.in_(lang).join(_trim(r) for r in record.reasons)
    if record.override is not None:
        computed = arithmetic.fixed(record.override["computed"], places)
        note = phrases.SET_BY_EVALUATOR.format(lang, computed=computed)
        if not record.reasons:
            text = record.override["because"]
        text += phrases.IN_BRACKETS.format(lang, text=note)
    return text


def _trim(reason: str) -> str:
    return reason.strip().rstrip("。；;，,.")


# ---- 存在的主要问题 ----------------------------------------------------------------------


@_in_engine_context
def problems(result: Result, lang: str | None = None) -> str:
    """The 「存在的主要问题」 paragraph: score, rating, then every loss numbered, largest first.

    Worded like a published 自评报告: 「…扣分原因主要是：1.…；2.…；3.…。」
    """
    chosen = _lang(result, lang)
    rs = result.ruleset.model
    places = rs.precision
    meta = result.meta
    entity = meta_text(meta.get("entity", "")).strip()
    period = meta_text(meta.get("period", "")).strip()
    total = arithmetic.fixed(result.total, places)
    items: list[tuple[Decimal, str]] = []
    for loss in result.lost:
        ind = rs.find(loss.path)
        name = display(ind) if ind is not None else loss.path
        reasons = phrases.REASONS_OF_ONE_LOSS.in_(chosen).join(_trim(r) for r in loss.reasons)
        lost = arithmetic.fixed(loss.points, places)
        items.append((loss.points, phrases.LOSS_ITEM.format(chosen, reasons=reasons, name=name, lost=lost)))
    for adj in result.top_adjustments:
        if adj.applied and adj.kind == "deduct":
            lost = arithmetic.fixed(adj.amount, places)
            because = _trim(adj.because or phrases.TOTAL_DEDUCTION.in_(chosen))
            items.append((adj.amount, phrases.TOTAL_DEDUCTION_ITEM.format(chosen, because=because, lost=lost)))
    items.sort(key=lambda item: -item[0])  # stable: file order among equal losses
    year = phrases.YEAR.format(chosen, year=period) if re.fullmatch(r"\d{4}", period) else period
    who = phrases.ENTITY_PERIOD.format(chosen, entity=entity, period=year).strip()
    full = arithmetic.plain(rs.total)
    head = phrases.SCORE_OF.format(chosen, who=who, total=total, full=full) if who else \
        phrases.SCORE.format(chosen, total=total, full=full)  # fmt: skip
    if result.rating:
        head += phrases.RATED.format(chosen, rating=result.rating)
    head += phrases.FULL_STOP.in_(chosen)
    if result.veto is not None:
        head += phrases.VETOED.format(chosen, because=_trim(result.veto.because))
    if not items:
        return head + phrases.NOTHING_LOST.in_(chosen)
    body = phrases.LIST_SEMICOLON.in_(chosen).join(
        phrases.NUMBERED.format(chosen, number=k, text=text) for k, (_, text) in enumerate(items, 1))
    return phrases.LOST_MAINLY_BECAUSE.format(chosen, head=head, items=body)


def is_dropped(record: IndicatorRecord) -> bool:
    """Not applicable and not scored: dropped by `applies ... else rescale`."""
    return not record.applicable and record.points == 0 and record.weight > 0


def level_spans(rows: Sequence[Row]) -> dict[str, int]:
    """How many rows each group's merged name cell covers."""
    spans: dict[str, int] = {}
    for row in rows:
        for owner in row.owners:
            spans[owner.path] = spans.get(owner.path, 0) + 1
    return spans
