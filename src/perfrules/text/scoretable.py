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
from perfrules.results.result import IndicatorRecord, Result
from perfrules.semantics import arithmetic, model
from perfrules.text.render import META_LABELS
from perfrules.text.wording import _in_engine_context, standard

Lang = Literal["zh", "en"]

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


_LEVELS_ZH = "一二三四五六七八九十"


def _lang(result: Result, lang: str | None) -> Lang:
    if lang is None:
        return "zh" if result.ruleset.model.chinese else "en"
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown report language {lang!r}: use 'zh' or 'en'")
    return "zh" if lang == "zh" else "en"


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
            header.append((names[key], str(meta.pop(key))))
    header.extend((names.get(k, k), str(v)) for k, v in meta.items())
    header.append(("规则集" if zh else "ruleset", rs.name))
    if rs.version:
        header.append(("版本" if zh else "version", rs.version))
    if rs.cite:
        header.append(("依据" if zh else "cite", rs.cite))
    header.append(("规则文件" if zh else "rules file", result.ruleset.display_name))
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
            before = tuple(_form_cell(values.get(name)) for name, _ in before_columns)
            after = tuple(_form_cell(values.get(name)) for name, _ in after_columns)
            rows.append(Row("leaf", record, chain, standard(rs, ind, zh), reasons, dropped, before, after))
            return dropped
        dropped = sum((walk(child, chain) for child in ind.children), arithmetic.ZERO)
        scale = result.group_scale(ind.path)
        if len(ind.children) >= 2 or scale is not None or ind.note:
            note = _scale_note(scale, ind, record, places, zh) if scale is not None and record.applicable else ""
            note = ("；" if zh else "; ").join(n for n in (ind.note, note) if n)  # a group's 评分标准 is its note
            rows.append(Row("subtotal", record, chain, note, "", dropped, ("",) * len(before_columns),
                            ("",) * len(after_columns)))
        return dropped

    dropped = sum((walk(top, ()) for top in rs.indicators), arithmetic.ZERO)
    levels = max((len(r.chain) for r in rows), default=1)
    if zh:
        level_names = [
            f"{_LEVELS_ZH[k] if k < len(_LEVELS_ZH) else k + 1}级指标" for k in range(levels)
        ]
        columns = (*level_names, *(label for _, label in before_columns), "分值", "得分", "扣分", "评分标准",
                   "扣分原因", *(label for _, label in after_columns))
    else:
        columns = (
            *(f"level {k + 1}" for k in range(levels)),
            *(label for _, label in before_columns),
            "weight",
            "points",
            "lost",
            "standard",
            "reasons for lost points",
            *(label for _, label in after_columns),
        )

    extras: list[Extra] = []
    if result.rescaled:
        extras.append(
            Extra(
                "折算前合计" if zh else "sum before rescaling",
                rs.total - dropped,
                result.raw_total,
                None,
                "不适用指标不计分，总分按适用分值折算为满分"
                if zh
                else "indicators that do not apply are dropped; the total is rescaled",
            )
        )
    for adj in result.top_adjustments:
        if adj.applied:
            word = ("扣分" if adj.kind == "deduct" else "加分") if zh else adj.kind
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
        if zh:
            word = "满分为止" if clamp < 0 else "扣完为止"
        else:
            word = "capped at the total" if clamp < 0 else "floored at 0"
        extras.append(Extra(word, None, clamp, None, ""))
    veto = result.veto
    if veto is not None:
        extras.append(Extra("一票否决" if zh else "veto", None, arithmetic.ZERO, None, veto.because))
    lost_total = rs.total - result.total
    extras.append(
        Extra(
            "合计" if zh else "total",
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


def _form_columns(rs: model.CheckedRuleset) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The columns of a form whose rows are data (spec 10) that the report shows as the form does:
    measures (年度指标值, 实际完成值) before 分值, texts the rules do not place (偏差原因…) after 扣分原因.
    The columns that place a row (where, group, key) or weigh it are the table's own."""
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
    before: list[tuple[str, str]] = []
    after: list[tuple[str, str]] = []
    for inp in rs.inputs:
        if not placed or not any(t == inp.index for t, _ in placed):
            continue
        for column in inp.columns:
            if (inp.index, column.name) in placed:
                continue
            target = before if column.type.kind in ("measure", "number", "percent", "count") else after
            target.append((column.name, column.label or column.name))
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


def _scale_note(scale: Any, ind: model.Indicator, record: IndicatorRecord, places: int, zh: bool) -> str:
    """Both scales of an `out of` group (spec 11), and where shared weight went (spec 12)."""
    total, counted = arithmetic.fixed(scale.sum, places), arithmetic.plain(scale.counted)
    points, weight = arithmetic.fixed(record.points, places), arithmetic.plain(ind.weight)
    shared = scale.out_of - scale.counted
    if zh:
        text = f"下级指标合计{total}分（满分{arithmetic.plain(scale.out_of)}）"
        if shared:
            text += f"，不适用指标的{arithmetic.plain(shared)}分由适用指标按分值比例分摊"
        return text + f"，折算：{total}×{weight}÷{counted}={points}分"
    text = f"children add up to {total} of {arithmetic.plain(scale.out_of)}"
    if shared:
        text += f"; {arithmetic.plain(shared)} points of weight not applicable, shared among the rest"
    return text + f"; converted: {total} × {weight} ÷ {counted} = {points}"


def _reason_cell(record: IndicatorRecord, places: int, zh: bool) -> str:
    sep = "；" if zh else "; "
    if not record.applicable:
        if record.points == record.weight:
            return "不适用，得满分" if zh else "does not apply: full points"
        return "不适用，不计分" if zh else "does not apply: not scored"
    text = sep.join(_trim(r) for r in record.reasons)
    if record.override is not None:
        computed = arithmetic.fixed(record.override["computed"], places)
        note = (
            f"评价人认定，计算得分{computed}"
            if zh
            else f"set by the evaluator; computed {computed}"
        )
        if not record.reasons:
            text = record.override["because"]
        text += f"（{note}）" if zh else f" ({note})"
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
    zh = chosen == "zh"
    rs = result.ruleset.model
    places = rs.precision
    meta = result.meta
    entity = str(meta.get("entity", "")).strip()
    period = str(meta.get("period", "")).strip()
    total = arithmetic.fixed(result.total, places)
    items: list[tuple[Decimal, str]] = []
    for loss in result.lost:
        ind = rs.find(loss.path)
        name = display(ind) if ind is not None else loss.path
        reasons = (
            "，".join(_trim(r) for r in loss.reasons)
            if zh
            else "; ".join(_trim(r) for r in loss.reasons)
        )
        lost = arithmetic.fixed(loss.points, places)
        items.append(
            (
                loss.points,
                f"{reasons}（{name}扣{lost}分）" if zh else f"{reasons} ({name}: {lost} lost)",
            )
        )
    for adj in result.top_adjustments:
        if adj.applied and adj.kind == "deduct":
            lost = arithmetic.fixed(adj.amount, places)
            because = _trim(adj.because or ("总分扣分" if zh else "deduction from the total"))
            items.append(
                (
                    adj.amount,
                    f"{because}（总分扣{lost}分）" if zh else f"{because} ({lost} off the total)",
                )
            )
    items.sort(key=lambda item: -item[0])  # stable: file order among equal losses
    if zh:
        who = entity + (f"{period}年度" if re.fullmatch(r"\d{4}", period) else period)
        head = f"{who or '本次'}绩效自评得分为{total}分（满分{arithmetic.plain(rs.total)}分）"
        if result.rating:
            head += f"，自评等级为“{result.rating}”"
        head += "。"
        if result.veto is not None:
            head += f"因{_trim(result.veto.because)}，实行一票否决，总分记为0分。"
        if not items:
            return head + "各项指标均得满分，无扣分事项。"
        body = "；".join(f"{k}.{text}" for k, (_, text) in enumerate(items, 1))
        return f"{head}扣分原因主要是：{body}。"
    who = " ".join(x for x in (entity, period) if x)
    head = f"{who + ': ' if who else ''}self-evaluation score {total} of {arithmetic.plain(rs.total)}"
    if result.rating:
        head += f", rating “{result.rating}”"
    head += "."
    if result.veto is not None:
        head += f" Vetoed: {_trim(result.veto.because)}; the total is 0."
    if not items:
        return head + " Every indicator scored full points."
    body = "; ".join(f"{k}. {text}" for k, (_, text) in enumerate(items, 1))
    return f"{head} Points were lost mainly because: {body}."


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
