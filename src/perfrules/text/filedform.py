"""The form to file: the 财预〔2020〕10号 项目支出绩效自评表 laid out as departments file it.

For a ruleset whose indicators are rows of a table (language version 2), `perfrules
report` writes the official layout instead of the generic 评分表: the 项目资金 block
(年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分), one line per 三级指标 with its
年度指标值 and 实际完成值 as written, 分值, 得分 and 偏差原因分析及改进措施, then 总分,
评级 and the signature block (填报单位, 填报人, 联系电话, 填报日期 from `[meta]`).

`filed_form(result, rows)` builds the data; `markdown`, `html` and `xlsx` print it.
Points, the 执行率 and the total come from the Result (never recomputed); targets and
actual values come from the facts as written. The HTML prints on A4: headings kept
with what follows, rows never split across pages, names never broken mid-word,
provenance (rule file, sha256, engine) in a small footer.
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from perfrules.catalogue import phrases
from perfrules.controls import escaped
from perfrules.inputs.workbook import labels_of
from perfrules.results.audit_rows import meta_text
from perfrules.results.result import IndicatorRecord, Result
from perfrules.semantics import arithmetic
from perfrules.text.mdtext import md
from perfrules.text.scoretable import scale_note
from perfrules.text.xlsxout import CellTexts, save

SIGNATURE = ("填报单位", "填报人", "联系电话", "填报日期")
# [meta] keys that may stand for a signature field
SIGNATURE_KEYS = {"填报单位": ("填报单位", "entity", "实施单位"), "填报人": ("填报人", "preparer"),
                  "联系电话": ("联系电话", "phone"), "填报日期": ("填报日期", "date")}
ROLE_LABELS = {
    "first": "一级指标", "second": "二级指标", "key": "三级指标", "target": "年度指标值",
    "actual": "实际完成值", "reason": "偏差原因分析及改进措施",
}
BUDGET_LABELS = {"start": "年初预算数", "budget": "全年预算数", "spent": "全年执行数"}
BUDGET_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
LINE_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                "偏差原因分析及改进措施")


@attrs.frozen
class Line:
    """One line of the form: a 三级指标 with what was set, what was done and what it scored."""

    first: str
    second: str
    third: str
    target: str
    actual: str
    weight: Decimal
    points: Decimal
    reason: str
    # a block on its own scale (`产出指标 分值 80 满分 100`, spec 11) or with weight shared away (spec 12)
    # closes with this line: its 分值 and 得分 on the form's scale, and how its lines' sum converts to it
    subtotal: bool = False


@attrs.frozen
class Budget:
    """The 项目资金 block: figures as entered, the 执行率 and its points as the engine scored them."""

    start: Any
    budget: Any
    spent: Any
    weight: Decimal
    rate: Any
    points: Decimal


@attrs.frozen
class FiledForm:
    """Everything the printed form shows."""

    title: str
    period: str | None
    header: tuple[tuple[str, str], ...]  # 项目名称, 主管部门, 实施单位 …
    budget: Budget | None
    lines: tuple[Line, ...]
    total: Decimal
    max: Decimal
    rating: str | None
    precision: int
    signature: tuple[tuple[str, str], ...]
    provenance: str


def a4_landscape(ws: Any, header_row: int) -> None:
    """Print a sheet on A4 landscape, fit to width, its header row repeated on every page."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _rows_input(result: Result) -> tuple[Any, tuple[Any, ...]] | None:
    """The rows input of the ruleset and its columns, if it has one (language version 2)."""
    for inp in result.ruleset.model.inputs:
        columns = tuple(getattr(inp, "columns", ()) or ())
        if columns:
            return inp, columns
    return None


def has_rows(result: Result) -> bool:
    """Whether this result comes from a ruleset with a rows input: then the form layout applies."""
    return _rows_input(result) is not None


def _roles(columns: Sequence[Any]) -> dict[str, str]:
    """Which column plays which part on the form, found by its label (as the workbook reader does)."""
    roles: dict[str, str] = {}
    for role, label in ROLE_LABELS.items():
        wanted = labels_of(label, label)
        for column in columns:
            if set(labels_of(column.name, column.label)) & set(wanted) and column.name not in roles.values():
                roles[role] = column.name
                break
    return roles


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return arithmetic.plain(value)
    return str(value)


def filed_form(result: Result, rows: Sequence[Mapping[str, Any]], lang: str | None = None,
               given: Mapping[str, Any] | None = None) -> FiledForm:
    """The form for this result; `rows` are the rows input's rows as written in the facts, and
    `given` the facts' `[facts]` table when known (a 年初预算数 left out shows blank, not its default)."""
    model = result.ruleset.model
    found = _rows_input(result)
    roles = _roles(found[1]) if found else {}
    records = list(result.indicators)
    leaves = [r for r in records if r.is_leaf]
    budget = _budget(result, leaves, given)
    budget_leaf = next((r for r in leaves if budget is not None and r.path == budget[1]), None)
    lines: list[Line] = []
    scaled: list[IndicatorRecord] = []  # the scaled blocks whose lines are being written, outermost first

    def close_blocks(path: str) -> None:
        while scaled and not path.startswith(scaled[-1].path + "."):
            lines.append(_subtotal(result, scaled.pop()))

    for record in records:
        close_blocks(record.path)
        if not record.is_leaf:
            scale = result.group_scale(record.path)
            if scale is not None and record.applicable and result.scale_worth_saying(record.path, scale):
                scaled.append(record)
        elif record is not budget_leaf:
            lines.append(_line(record, rows, roles))
    close_blocks("")
    meta = dict(result.meta)
    header = tuple((label, meta_text(meta[key])) for key, label in (("project", "项目名称"), ("主管部门", "主管部门"),
                                                              ("实施单位", "实施单位")) if meta.get(key))
    signature = tuple((field, next((meta_text(meta[k]) for k in SIGNATURE_KEYS[field] if meta.get(k)), ""))
                      for field in SIGNATURE)
    engine = f"perfrules {result.ruleset.engine_version}"
    provenance = f"{Path(model.source.name).name} · sha256 {model.source.sha256[:16]}… · {engine}"
    period = meta_text(meta["period"]) if meta.get("period") else None
    return FiledForm("项目支出绩效自评表", period, header, budget[0] if budget else None, tuple(lines),
                     result.total, result.max, result.rating, model.precision, signature, provenance)


def _budget(result: Result, leaves: Sequence[IndicatorRecord],
            given: Mapping[str, Any] | None = None) -> tuple[Budget, str] | None:
    """The leaf scored from 全年预算数 and 全年执行数, with the figures it used."""
    model = result.ruleset.model
    names: dict[str, str] = {}
    for role, label in BUDGET_LABELS.items():
        for inp in model.inputs:
            if set(labels_of(inp.name, inp.label)) & set(labels_of(label, label)):
                names[role] = inp.name
                break
    if "budget" not in names or "spent" not in names:
        return None
    for record in leaves:
        if names["budget"] in record.inputs and names["spent"] in record.inputs:
            values = dict(zip((i.name for i in model.inputs), result.head_inputs(), strict=False))
            start = values.get(names["start"]) if "start" in names else None
            if given is not None and "start" in names and names["start"] not in given:
                start = None  # not on the form: its default is not a figure the department entered
            return Budget(start, record.inputs[names["budget"]], record.inputs[names["spent"]], record.weight,
                          record.value, record.points), record.path
    return None


def _line(record: IndicatorRecord, rows: Sequence[Mapping[str, Any]], roles: Mapping[str, str]) -> Line:
    parts = record.path.split(".")
    first, second = parts[0], (parts[-2] if len(parts) >= 3 else "")
    key = parts[-1]
    matches = [r for r in rows if _text(r.get(roles.get("key", ""))) == key
               and (not second or _text(r.get(roles.get("second", ""))) == second)]
    if len(matches) > 1:
        matches = [r for r in matches if _text(r.get(roles.get("first", ""))) == first]
    row: Mapping[str, Any] = matches[0] if len(matches) == 1 else {}
    reason = _text(row.get(roles.get("reason", ""))) if row else ""
    if not reason and record.points < record.weight:
        reason = "；".join(record.reasons)
    return Line(first, second, key, _text(row.get(roles.get("target", ""))), _text(row.get(roles.get("actual", ""))),
                record.weight, record.points, reason)


def _subtotal(result: Result, record: IndicatorRecord) -> Line:
    """The line closing a scaled block: its lines sum on their scale, converted to its 分值 (the score table's note)."""
    ind = result.ruleset.model.find(record.path)
    scale = result.group_scale(record.path)
    assert ind is not None and scale is not None
    parts = record.path.split(".")
    note = scale_note(scale, ind, record, result.ruleset.model.precision, True)
    return Line(parts[0], parts[1] if len(parts) >= 2 else "", phrases.SUBTOTAL.format("zh", name=parts[-1]), "", "",
                record.weight, record.points, note, subtotal=True)


# ---- printing ------------------------------------------------------------------------------


def _fixed(value: Decimal, places: int) -> str:
    return arithmetic.fixed(value, places)


def _rate(value: Any) -> str:
    if isinstance(value, Decimal):
        percent = (value * 100).quantize(Decimal("0.01"))
        return arithmetic.plain(percent.normalize()) + "%"
    return _text(value)


def markdown(form: FiledForm) -> str:
    """The form as Markdown: the budget block, the indicator table, total, rating, signatures."""
    # the title, [meta], rows and the rating come from the rules and the facts: escaped (perfrules.text.mdtext)
    out = [f"# {md(form.title)}", ""]
    if form.period:
        out += [f"（{md(form.period)}年度）", ""]
    for key, value in form.header:
        out.append(f"- **{md(key)}**：{md(value)}")
    if form.header:
        out.append("")
    if form.budget is not None:
        b = form.budget
        out += ["## 项目资金（万元）", "", "| 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |",
                "|---:|---:|---:|---:|---:|---:|",
                f"| {md(_text(b.start))} | {md(_text(b.budget))} | {md(_text(b.spent))} | "
                f"{arithmetic.plain(b.weight)} | {md(_rate(b.rate))} | {_fixed(b.points, form.precision)} |", ""]
    out += ["## 绩效指标", "", "| " + " | ".join(LINE_COLUMNS) + " |", "|---|---|---|---|---|---:|---:|---|"]
    previous: tuple[str, str] = ("", "")
    for line in form.lines:
        first = line.first if line.first != previous[0] else ""
        second = line.second if (line.first, line.second) != previous else ""
        previous = (line.first, line.second)
        cells = [md(c) for c in (first, second, line.third, line.target, line.actual, arithmetic.plain(line.weight),
                                 _fixed(line.points, form.precision), line.reason)]
        if line.subtotal:
            cells[2], cells[6] = f"**{cells[2]}**", f"**{cells[6]}**"
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"**总分**：{_fixed(form.total, form.precision)}（满分{arithmetic.plain(form.max)}）"
            + (f"　**评级**：{md(form.rating)}" if form.rating else ""), ""]
    out += [md("　".join(f"{k}：{v or '＿＿＿＿'}" for k, v in form.signature), block=True), ""]
    out += [f"<small>{md(form.provenance)}</small>", ""]
    return "\n".join(out)


_CSS = """\
@page { size: A4; margin: 15mm 12mm 16mm 12mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 10.5pt; margin: 0; }
h1 { text-align: center; font-size: 16pt; margin: 0 0 2mm; }
.period { text-align: center; margin: 0 0 4mm; }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 0.6pt solid #000; padding: 1mm 1.2mm; vertical-align: middle; }
th { font-weight: bold; text-align: center; background: #f2f2f2; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td { word-break: keep-all; overflow-wrap: anywhere; }
td.num { text-align: right; white-space: nowrap; }
td.cont { border-top-style: hidden; }
.keep { break-inside: avoid; page-break-inside: avoid; }
tr.closing, tr.tail { break-before: avoid; page-break-before: avoid; }
tr.closing td { border-left-style: hidden; border-right-style: hidden; border-bottom-style: hidden; }
tr.closing + tr.closing td { border-top-style: hidden; }
td.summary { padding-top: 3mm; font-size: 11pt; }
td.signature { padding-top: 5mm; }
td.signature span { display: inline-block; min-width: 42mm; margin-right: 4mm; }
footer { margin-top: 4mm; font-size: 7.5pt; color: #555; }
"""


def _h(text: str) -> str:
    return escaped(_html.escape(text, quote=True))


def html(form: FiledForm) -> str:
    """The form as one self-contained HTML page for A4 (no scripts, nothing external)."""
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           f"<title>{_h(form.title)}</title>", f"<style>\n{_CSS}</style>", "</head>", "<body>",
           f"<h1>{_h(form.title)}</h1>"]
    if form.period:
        out.append(f'<p class="period">（{_h(form.period)}年度）</p>')
    if form.header:
        out.append('<table class="keep"><tbody>')
        for key, value in form.header:
            out.append(f'<tr><th style="width:22%">{_h(key)}</th><td>{_h(value)}</td></tr>')
        out.append("</tbody></table>")
    if form.budget is not None:
        b = form.budget
        out.append('<section class="keep"><h2>项目资金（万元）</h2><table><thead><tr>'
                   + "".join(f"<th>{c}</th>" for c in BUDGET_COLUMNS)
                   + "</tr></thead><tbody><tr>"
                   + "".join(f'<td class="num">{_h(v)}</td>' for v in (
                       _text(b.start), _text(b.budget), _text(b.spent), arithmetic.plain(b.weight), _rate(b.rate),
                       _fixed(b.points, form.precision)))
                   + "</tr></tbody></table></section>")
    widths = (10, 10, 17, 12, 12, 6, 7, 26)
    out.append("<h2>绩效指标</h2>")
    out.append("<table><colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup><thead><tr>"
               + "".join(f"<th>{c}</th>" for c in LINE_COLUMNS)
               + "</tr></thead><tbody>")
    # 一级/二级 are written on the first line of their run and the cells below join it (no top
    # border), which reads as a merged cell; a real rowspan would make Chromium keep the whole
    # run on one page and leave a near-empty page before it.
    for i, line in enumerate(form.lines):
        cells = []
        previous = form.lines[i - 1] if i else None
        new_first = previous is None or previous.first != line.first
        new_second = new_first or previous is None or previous.second != line.second
        cells.append(f"<td>{_h(line.first)}</td>" if new_first else '<td class="cont"></td>')
        cells.append(f"<td>{_h(line.second)}</td>" if new_second else '<td class="cont"></td>')
        strong = ("<strong>", "</strong>") if line.subtotal else ("", "")
        cells.append(f"<td>{strong[0]}{_h(line.third)}{strong[1]}</td>")
        cells += [f"<td>{_h(v)}</td>" for v in (line.target, line.actual)]
        cells.append(f'<td class="num">{_h(arithmetic.plain(line.weight))}</td>')
        cells.append(f'<td class="num">{strong[0]}{_h(_fixed(line.points, form.precision))}{strong[1]}</td>')
        cells.append(f"<td>{_h(line.reason)}</td>")
        tail = ' class="tail"' if i == len(form.lines) - 1 and i > 0 else ""
        out.append(f"<tr{tail}>" + "".join(cells) + "</tr>")
    # the total, the signatures and the provenance close the table as its last rows, kept with
    # the lines above them: never a page holding only the signatures or the footer
    summary = ("总分：<strong>" + _h(_fixed(form.total, form.precision)) + "</strong>"
               + f"（满分{_h(arithmetic.plain(form.max))}）"
               + (f"　评级：<strong>{_h(form.rating)}</strong>" if form.rating else ""))
    signature = "".join(f"<span>{_h(k)}：{_h(v) or '＿＿＿＿＿＿'}</span>" for k, v in form.signature)
    out.append(f'<tr class="closing"><td colspan="8" class="summary">{summary}</td></tr>')
    out.append(f'<tr class="closing"><td colspan="8" class="signature">{signature}</td></tr>')
    out.append(f'<tr class="closing"><td colspan="8"><footer>{_h(form.provenance)}</footer></td></tr>')
    out.append("</tbody></table>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def xlsx(form: FiledForm, path: str | Path, openpyxl: Any) -> int:
    """The form as an Excel sheet in the official layout, set up to print on A4 (fit to width).
    Returns the number of control characters written as escapes (perfrules.text.xlsxout)."""
    styles = openpyxl.styles
    thin = styles.Side(style="thin", color="000000")
    border = styles.Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = styles.Alignment(wrap_text=True, vertical="center")
    center = styles.Alignment(wrap_text=True, vertical="center", horizontal="center")
    bold = styles.Font(bold=True)
    wb = openpyxl.Workbook()
    clean = CellTexts()
    ws = clean.sheet(wb.active)
    ws.title = "自评表"
    ncols = 8
    ws.cell(1, 1, form.title).font = styles.Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1).alignment = center
    row = 2
    if form.period:
        ws.cell(row, 1, f"（{form.period}年度）").alignment = center
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        row += 1
    for key, value in form.header:
        ws.cell(row, 1, key).font = bold
        ws.cell(row, 2, value)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=ncols)
        row += 1
    places = form.precision
    points_format = "0." + "0" * places if places else "0"
    if form.budget is not None:
        b = form.budget
        ws.cell(row, 1, "项目资金（万元）").font = bold
        ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=2)
        for k, label in enumerate(BUDGET_COLUMNS):
            cell = ws.cell(row, 3 + k, label)
            cell.font, cell.alignment, cell.border = bold, center, border
        figures: list[Any] = [b.start, b.budget, b.spent, b.weight, b.rate, b.points]
        for k, value in enumerate(figures):
            cell = ws.cell(row + 1, 3 + k, value if isinstance(value, (Decimal, int)) else _text(value))
            cell.border = border
            if k == 4 and isinstance(value, Decimal):
                cell.number_format = "0.00%"
            elif k == 5:
                cell.number_format = points_format
        row += 3
    header_row = row
    for k, label in enumerate(LINE_COLUMNS):
        cell = ws.cell(row, 1 + k, label)
        cell.font, cell.alignment, cell.border = bold, center, border
    row += 1
    first_row = row
    for line in form.lines:
        values: list[Any] = [line.first, line.second, line.third, line.target, line.actual, line.weight,
                             line.points, line.reason]
        for k, value in enumerate(values):
            cell = ws.cell(row, 1 + k, value)
            cell.border, cell.alignment = border, wrap
            if k == 6:
                cell.number_format = points_format
            if line.subtotal and k in (2, 6):
                cell.font = bold
        row += 1
    groups: tuple[list[Any], list[Any]] = ([line.first for line in form.lines],
                                           [(line.first, line.second) for line in form.lines])
    for merge_col, keys in enumerate(groups, start=1):
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                if i - start > 1:
                    ws.merge_cells(start_row=first_row + start, start_column=merge_col,
                                   end_row=first_row + i - 1, end_column=merge_col)
                start = i
    ws.cell(row, 1, "总分").font = bold
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    ws.cell(row, 6, form.max)
    total = ws.cell(row, 7, form.total)
    total.number_format = points_format
    total.font = bold
    ws.cell(row, 8, f"评级：{form.rating}" if form.rating else "")
    for k in range(1, ncols + 1):
        ws.cell(row, k).border = border
    row += 2
    for k, (field, value) in enumerate(form.signature):
        ws.cell(row + k // 2, 1 + (k % 2) * 4, f"{field}：{value}")
    for letter, width in zip("ABCDEFGH", (12, 12, 24, 14, 14, 7, 8, 30), strict=True):
        ws.column_dimensions[letter].width = width
    a4_landscape(ws, header_row)
    ws.oddFooter.left.text = clean(form.provenance).replace("&", "&&")  # `&` starts a footer code (&P)
    ws.oddFooter.left.size = 7
    ws.oddFooter.right.text = "第 &P 页，共 &N 页"
    save(wb, path)
    return clean.replaced
