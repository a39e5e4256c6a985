"""Reports an official can file: the 评分表 and 「存在的主要问题」 as Markdown, HTML or xlsx.

Pure functions of a `Result`: `markdown(result, lang)`, `html(result, lang)`,
`xlsx(result, path, lang)`; `main_report` is the `perfrules report` command.

The 评分标准 column is generated from the rule itself (`standard`), so the
published standard cannot drift from what is computed; an indicator's
`note "..."` is shown instead when the rule file gives one. All three formats
share one row model (`rows`): one row per leaf, a subtotal row after every group
of two or more children, then the total rows. Numbers come from the Result as
Decimals and are never recomputed here.
"""

from __future__ import annotations

import argparse
import html as _html
import importlib
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from perfrules import decimal_context
from perfrules.diagnostics import Diagnostic, PerfrulesError
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


def _display(ind: model.Indicator) -> str:
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
            dropped = record.weight if _dropped(record) else arithmetic.ZERO
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
        name = _display(ind) if ind is not None else loss.path
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


# ---- Markdown ---------------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _fixed(value: Decimal | None, places: int) -> str:
    return "" if value is None else arithmetic.fixed(value, places)


def _level_cells(t: Table, row: Row, previous: Row | None) -> list[str]:
    """The hierarchy cells of a row: a group's name on its first row only, blank below it."""
    cells = [""] * t.levels
    before = previous.owners if previous is not None else ()
    for k, owner in enumerate(row.owners):
        if k >= len(before) or before[k].path != owner.path:
            cells[k] = _display(owner)
    own = len(row.chain) - 1
    name = _display(row.chain[-1])
    cells[own] = name if row.kind == "leaf" else (f"{name}小计" if t.zh else f"{name} subtotal")
    return cells


def _number_cells(t: Table, row: Row) -> tuple[str, str, str]:
    r = row.record
    weight = arithmetic.plain(r.weight)
    if _dropped(r):
        return weight, "不适用" if t.zh else "n/a", ""
    lost = row.lost
    return (
        weight,
        arithmetic.fixed(r.points, t.precision),
        arithmetic.fixed(lost, t.precision) if lost > 0 else "",
    )


def _dropped(record: IndicatorRecord) -> bool:
    """Not applicable and not scored: dropped by `applies ... else rescale`."""
    return not record.applicable and record.points == 0 and record.weight > 0


@_in_engine_context
def markdown(result: Result, lang: str | None = None) -> str:
    """The 评分表 and 「存在的主要问题」 as GitHub-flavoured Markdown."""
    t = table(result, lang)
    colon = "：" if t.zh else ": "
    out = [f"# {_md(t.title)}", ""]
    out.extend(f"- **{_md(k)}**{colon}{_md(v)}" for k, v in t.header)
    out += ["", "## 评分表" if t.zh else "## Score table", ""]
    out.append("| " + " | ".join(t.columns) + " |")
    aligns = ["---"] * (t.levels + t.before) + ["---:", "---:", "---:", "---", "---"] + \
        ["---"] * (len(t.columns) - t.levels - t.before - 5)  # fmt: skip
    out.append("|" + "|".join(aligns) + "|")
    previous: Row | None = None
    for row in t.rows:
        cells = _level_cells(t, row, previous)
        weight, points, lost = _number_cells(t, row)
        if row.kind == "subtotal":
            cells = [
                f"**{c}**" if c and k == len(row.chain) - 1 else c for k, c in enumerate(cells)
            ]
            points = f"**{points}**" if points else points
        out.append(
            "| "
            + " | ".join(_md(c) for c in [*cells, *row.before, weight, points, lost, row.standard, row.reasons,
                                           *row.after])
            + " |"
        )
        previous = row
    for extra in t.extras:
        label = f"**{extra.label}**" if extra is t.extras[-1] else extra.label
        weight = arithmetic.plain(extra.weight) if extra.weight is not None else ""
        points = _fixed(extra.points, t.precision)
        if extra is t.extras[-1]:
            points = f"**{points}**"
        cells = [label] + [""] * (t.levels - 1 + t.before)
        tail = [""] * (len(t.columns) - t.levels - t.before - 5)
        out.append(
            "| "
            + " | ".join(
                _md(c)
                for c in [*cells, weight, points, _fixed(extra.lost, t.precision), "", extra.note, *tail]
            )
            + " |"
        )
    out.append("")
    total = arithmetic.fixed(t.total, t.precision)
    if t.zh:
        out.append(f"总分：**{total}**分" + (f"；自评等级：**{t.rating}**" if t.rating else ""))
    else:
        out.append(f"Total: **{total}**" + (f"; rating: **{t.rating}**" if t.rating else ""))
    out += ["", "## 存在的主要问题" if t.zh else "## Main problems", "", t.problems, ""]
    return "\n".join(out)


# ---- HTML -------------------------------------------------------------------------------------

_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 10.5pt;
       color: #000; margin: 0; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 12pt 0 6pt; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 1pt 8pt; margin: 0 0 8pt; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: middle; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.text { font-size: 9.5pt; }
tr.subtotal td, tr.total td { font-weight: bold; }
p.problems { text-indent: 2em; line-height: 1.6; }
@media print { th { background: none; } }
""".strip()


def _h(text: str) -> str:
    return _html.escape(text, quote=True)


@_in_engine_context
def html(result: Result, lang: str | None = None) -> str:
    """The report as one self-contained HTML file (inline CSS, nothing external), for A4."""
    t = table(result, lang)
    lang_attr = "zh-CN" if t.zh else "en"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang_attr}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_h(t.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(t.title)}</h1>",
        '<dl class="meta">',
    ]
    for key, value in t.header:
        out.append(f"<dt>{_h(key)}</dt><dd>{_h(value)}</dd>")
    out.append("</dl>")
    out.append(f"<h2>{'评分表' if t.zh else 'Score table'}</h2>")
    out.append("<table>")
    out.append("<thead><tr>" + "".join(f"<th>{_h(c)}</th>" for c in t.columns) + "</tr></thead>")
    out.append("<tbody>")
    spans = _spans(t.rows)
    started: set[str] = set()
    for row in t.rows:
        cells: list[str] = []
        for owner in row.owners:
            if owner.path not in started:
                started.add(owner.path)
                cells.append(f'<td rowspan="{spans[owner.path]}">{_h(_display(owner))}</td>')
        own = len(row.chain) - 1
        colspan = t.levels - own
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        name = _display(row.chain[-1])
        label = name if row.kind == "leaf" else (f"{name}小计" if t.zh else f"{name} subtotal")
        cells.append(f"<td{span}>{_h(label)}</td>")
        cells += [f'<td class="text">{_h(v)}</td>' for v in row.before]
        weight, points, lost = _number_cells(t, row)
        cells += [f'<td class="num">{_h(v)}</td>' for v in (weight, points, lost)]
        cells += [f'<td class="text">{_h(v)}</td>' for v in (row.standard, row.reasons, *row.after)]
        cls = ' class="subtotal"' if row.kind == "subtotal" else ""
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    for extra in t.extras:
        cls = ' class="total"' if extra is t.extras[-1] else ""
        weight = arithmetic.plain(extra.weight) if extra.weight is not None else ""
        cells = [f'<td colspan="{t.levels + t.before}">{_h(extra.label)}</td>']
        cells += [
            f'<td class="num">{_h(v)}</td>'
            for v in (weight, _fixed(extra.points, t.precision), _fixed(extra.lost, t.precision))
        ]
        cells += ['<td class="text"></td>', f'<td class="text">{_h(extra.note)}</td>']
        cells += ['<td class="text"></td>'] * (len(t.columns) - t.levels - t.before - 5)
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody>")
    out.append("</table>")
    total = arithmetic.fixed(t.total, t.precision)
    if t.zh:
        summary = f"总分：<strong>{total}</strong>分" + (
            f"；自评等级：<strong>{_h(t.rating)}</strong>" if t.rating else ""
        )
    else:
        summary = f"Total: <strong>{total}</strong>" + (
            f"; rating: <strong>{_h(t.rating)}</strong>" if t.rating else ""
        )
    out.append(f"<p>{summary}</p>")
    out.append(f"<h2>{'存在的主要问题' if t.zh else 'Main problems'}</h2>")
    out.append(f'<p class="problems">{_h(t.problems)}</p>')
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _spans(rows: Sequence[Row]) -> dict[str, int]:
    """How many rows each group's merged name cell covers."""
    spans: dict[str, int] = {}
    for row in rows:
        for owner in row.owners:
            spans[owner.path] = spans.get(owner.path, 0) + 1
    return spans


# ---- xlsx -------------------------------------------------------------------------------------


def _openpyxl() -> Any:
    try:
        # imported by name: openpyxl is optional and ships without type information
        openpyxl = importlib.import_module("openpyxl")
        importlib.import_module("openpyxl.styles")
        importlib.import_module("openpyxl.utils")
    except ImportError:  # pragma: no cover - depends on the installation
        raise PerfrulesError(
            [
                Diagnostic(
                    "E602",
                    "writing xlsx needs the `openpyxl` package, which is not installed",
                    None,
                    help="install it: `pip install perfrules[report]` (or `pip install openpyxl`)",
                    where="--format xlsx",
                )
            ]
        ) from None
    return openpyxl


@_in_engine_context
def xlsx(result: Result, path: str | Path, lang: str | None = None) -> None:
    """The report as an Excel workbook: sheet 评分表 (merged hierarchy cells, numbers with two
    decimals) and sheet 明细 (one row per indicator: path, weight, points, exact value, source).

    Numbers are written as the engine's Decimals, already rounded; openpyxl stores them as
    numbers, never as text. Subtotals and the total are values, not formulas, so every
    reader shows them without recalculating; they equal the sums of the cells above them.
    """
    openpyxl = _openpyxl()
    styles = openpyxl.styles
    Alignment, Border, Font, PatternFill, Side = (
        styles.Alignment,
        styles.Border,
        styles.Font,
        styles.PatternFill,
        styles.Side,
    )
    get_column_letter = openpyxl.utils.get_column_letter

    t = table(result, lang)
    places = t.precision
    points_format = "0." + "0" * places if places > 0 else "0"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表" if t.zh else "Score table"
    ncols = len(t.columns)
    lead = t.levels + t.before  # the columns before 分值: the levels, then a rows form's measures
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    bold = Font(bold=True)

    ws.cell(row=1, column=1, value=t.title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    r = 2
    for key, value in t.header:
        ws.cell(row=r, column=1, value=key).font = bold
        ws.cell(row=r, column=2, value=value)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=ncols)
        r += 1
    r += 1
    header_row = r
    for c, name in enumerate(t.columns, 1):
        cell = ws.cell(row=r, column=c, value=name)
        cell.font = bold
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
    first = r + 1
    spans = _spans(t.rows)
    starts: dict[str, int] = {}
    for k, row in enumerate(t.rows):
        rr = first + k
        for level, owner in enumerate(row.owners):
            if owner.path not in starts:
                starts[owner.path] = rr
                ws.cell(row=rr, column=level + 1, value=_display(owner))
                if spans[owner.path] > 1:
                    ws.merge_cells(
                        start_row=rr,
                        start_column=level + 1,
                        end_row=rr + spans[owner.path] - 1,
                        end_column=level + 1,
                    )
        own = len(row.chain) - 1
        name = _display(row.chain[-1])
        label = name if row.kind == "leaf" else (f"{name}小计" if t.zh else f"{name} subtotal")
        ws.cell(row=rr, column=own + 1, value=label)
        if own + 1 < t.levels:
            ws.merge_cells(start_row=rr, start_column=own + 1, end_row=rr, end_column=t.levels)
        rec = row.record
        for c, value in enumerate(row.before, t.levels + 1):
            ws.cell(row=rr, column=c, value=value or None)
        for c, value in enumerate(row.after, lead + 6):
            ws.cell(row=rr, column=c, value=value or None)
        _number(ws, rr, lead + 1, rec.weight, "General")
        if _dropped(rec):
            ws.cell(row=rr, column=lead + 2, value="不适用" if t.zh else "n/a")
        else:
            _number(ws, rr, lead + 2, rec.points, points_format)
            if row.lost > 0:
                _number(ws, rr, lead + 3, row.lost, points_format)
        ws.cell(row=rr, column=lead + 4, value=row.standard or None)
        ws.cell(row=rr, column=lead + 5, value=row.reasons or None)
        if row.kind == "subtotal":
            for c in range(1, ncols + 1):
                ws.cell(row=rr, column=c).font = bold
    r = first + len(t.rows)
    for extra in t.extras:
        ws.cell(row=r, column=1, value=extra.label).font = bold
        if t.levels > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=t.levels)
        if extra.weight is not None:
            _number(ws, r, lead + 1, extra.weight, "General")
        if extra.points is not None:
            _number(ws, r, lead + 2, extra.points, points_format)
        if extra.lost is not None:
            _number(ws, r, lead + 3, extra.lost, points_format)
        ws.cell(row=r, column=lead + 5, value=extra.note or None)
        r += 1
    last = r - 1
    for row_cells in ws.iter_rows(min_row=header_row + 1, max_row=last, max_col=ncols):
        for cell in row_cells:
            cell.border = border
            if cell.alignment is None or not cell.alignment.wrap_text:
                cell.alignment = wrap
    if t.rating:
        r += 1
        ws.cell(row=r, column=1, value="自评等级" if t.zh else "rating").font = bold
        ws.cell(row=r, column=2, value=t.rating)
    r += 2
    ws.cell(row=r, column=1, value="存在的主要问题" if t.zh else "Main problems").font = bold
    r += 1
    ws.cell(row=r, column=1, value=t.problems).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = max(30, 15 * (len(t.problems) // 60 + 1))

    widths = [14] * t.levels + [12] * t.before + [7, 8, 8, 40, 40] + [30] * (ncols - lead - 5)
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    from perfrules.text.filedform import a4_landscape

    a4_landscape(ws, header_row)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    detail = wb.create_sheet("明细" if t.zh else "Detail")
    heads = (
        ["路径", "名称", "层级", "分值", "得分", "扣分", "精确值", "规则", "适用", "位置"]
        if t.zh
        else [
            "path",
            "name",
            "depth",
            "weight",
            "points",
            "lost",
            "exact",
            "rule",
            "applicable",
            "source",
        ]
    )
    for c, name in enumerate(heads, 1):
        detail.cell(row=1, column=c, value=name).font = bold
    for k, rec in enumerate(result.indicators, 2):
        detail.cell(row=k, column=1, value=rec.path)
        detail.cell(row=k, column=2, value=rec.label or rec.name)
        detail.cell(row=k, column=3, value=rec.depth + 1)
        _number(detail, k, 4, rec.weight, "General")
        _number(detail, k, 5, rec.points, points_format)
        _number(detail, k, 6, result.lost_points(rec.path) if rec.applicable else Decimal(0), points_format)
        # the exact value as text: a spreadsheet number could not hold all its digits
        detail.cell(row=k, column=7, value=arithmetic.plain(rec.exact))
        detail.cell(row=k, column=8, value=rec.rule)
        detail.cell(row=k, column=9, value=rec.applicable)
        detail.cell(row=k, column=10, value=rec.source)
    for c, w in enumerate([40, 20, 6, 7, 8, 8, 22, 9, 6, 40], 1):
        detail.column_dimensions[get_column_letter(c)].width = w
    # openpyxl stores any text starting with "=" as a formula; this report writes no
    # formulas, so such text (an entity name, a reason from the facts) must stay text,
    # or a facts file could put =HYPERLINK(...) into an official's spreadsheet.
    for sheet in wb.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(str(path))


def _number(ws: Any, row: int, column: int, value: Decimal, number_format: str) -> None:
    """A numeric cell holding the Decimal itself (openpyxl writes Decimal as a number)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.number_format = number_format


# ---- the command ------------------------------------------------------------------------------


def main_report(ruleset: Any, args: argparse.Namespace) -> int:
    """`perfrules report RULES FACTS --format markdown|html|xlsx [-o FILE] [--lang zh|en]`."""
    facts = _facts_for_report(ruleset, args)
    result = ruleset.evaluate(facts)
    fmt = getattr(args, "format", "markdown") or "markdown"
    lang = getattr(args, "lang", None)
    output: Path | None = getattr(args, "output", None)
    if getattr(args, "layout", "table") == "form":  # the 自评表 as filed (perfrules.text.filedform)
        from perfrules.text import filedform

        if not filedform.has_rows(result):
            from perfrules.diagnostics import UsageError

            raise UsageError("--layout form needs a ruleset whose indicators are rows (a `rows` input)")
        return _filed_form(result, facts, fmt, output)
    if fmt == "xlsx":
        if output is None:
            from perfrules.diagnostics import UsageError

            raise UsageError("--format xlsx needs an output file: add `-o report.xlsx`")
        xlsx(result, output, lang)
        return 0
    text = html(result, lang) if fmt == "html" else markdown(result, lang)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
    return 0


def _facts_for_report(ruleset: Any, args: argparse.Namespace) -> Any:
    """The facts as read (a facts file, or a filled-in workbook), so the form can show them as written."""
    from perfrules.inputs.facts import load_facts, parse_facts
    from perfrules.inputs.workbook import is_workbook, read_form, specs_from_model

    path = Path(args.facts)
    if is_workbook(path):
        text = read_form(path, specs_from_model(ruleset.model.inputs), getattr(args, "sheet", None)).to_toml()
        return parse_facts(text, f"{path} (read as facts)")
    return load_facts(path)


def _filed_form(result: Result, facts: Any, fmt: str, output: Path | None) -> int:
    from perfrules.text import filedform

    rows: list[Any] = []
    for inp in result.ruleset.model.inputs:
        if getattr(inp, "columns", ()):
            raw = facts.facts.get(inp.name, [])
            rows = [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
            break
    form = filedform.filed_form(result, rows, given=facts.facts)
    if fmt == "xlsx":
        if output is None:
            from perfrules.diagnostics import UsageError

            raise UsageError("--format xlsx needs an output file: add `-o report.xlsx`")
        filedform.xlsx(form, output, _openpyxl())
        return 0
    text = filedform.html(form) if fmt == "html" else filedform.markdown(form)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
    return 0
