"""The 评分表 as an xlsx workbook: the rows of scoretable.py with number formats, merged level
cells and the 存在的主要问题 sheet."""

from __future__ import annotations

import importlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfrules.catalogue import diagnostics as say
from perfrules.catalogue import phrases
from perfrules.diagnostics import Diagnostic, PerfrulesError
from perfrules.results.result import Result
from perfrules.semantics import arithmetic
from perfrules.text.scoretable import display, is_dropped, level_spans, table
from perfrules.text.wording import _in_engine_context
from perfrules.text.xlsxout import CellTexts, save


def _openpyxl() -> Any:
    try:
        # imported by name: openpyxl is optional and ships without type information
        openpyxl = importlib.import_module("openpyxl")
        importlib.import_module("openpyxl.styles")
        importlib.import_module("openpyxl.utils")
    except ImportError:  # pragma: no cover - depends on the installation
        raise PerfrulesError([Diagnostic(say.E602_NO_OPENPYXL(), None, help=say.E602_INSTALL(),
                                         where="--format xlsx")]) from None
    return openpyxl


@_in_engine_context
def xlsx(result: Result, path: str | Path, lang: str | None = None) -> int:
    """The report as an Excel workbook: sheet 评分表 (merged hierarchy cells, numbers with two
    decimals) and sheet 明细 (one row per indicator: path, weight, points, exact value, source).

    Numbers are written as the engine's Decimals, already rounded; openpyxl stores them as
    numbers, never as text. Subtotals and the total are values, not formulas, so every
    reader shows them without recalculating; they equal the sums of the cells above them.
    Returns the number of control characters an xlsx cell cannot hold, written as escapes
    (perfrules.text.xlsxout).
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
    clean = CellTexts()
    ws = clean.sheet(wb.active)
    ws.title = phrases.SCORE_TABLE.in_(t.lang)
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
    spans = level_spans(t.rows)
    starts: dict[str, int] = {}
    for k, row in enumerate(t.rows):
        rr = first + k
        for level, owner in enumerate(row.owners):
            if owner.path not in starts:
                starts[owner.path] = rr
                ws.cell(row=rr, column=level + 1, value=display(owner))
                if spans[owner.path] > 1:
                    ws.merge_cells(
                        start_row=rr,
                        start_column=level + 1,
                        end_row=rr + spans[owner.path] - 1,
                        end_column=level + 1,
                    )
        own = len(row.chain) - 1
        name = display(row.chain[-1])
        label = name if row.kind == "leaf" else phrases.SUBTOTAL.format(t.lang, name=name)
        ws.cell(row=rr, column=own + 1, value=label)
        if own + 1 < t.levels:
            ws.merge_cells(start_row=rr, start_column=own + 1, end_row=rr, end_column=t.levels)
        rec = row.record
        for c, value in enumerate(row.before, t.levels + 1):
            ws.cell(row=rr, column=c, value=value or None)
        for c, value in enumerate(row.after, lead + 6):
            ws.cell(row=rr, column=c, value=value or None)
        _number(ws, rr, lead + 1, rec.weight, "General")
        if is_dropped(rec):
            ws.cell(row=rr, column=lead + 2, value=phrases.NOT_APPLICABLE_SHORT.in_(t.lang))
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
        ws.cell(row=r, column=1, value=phrases.RATING.in_(t.lang)).font = bold
        ws.cell(row=r, column=2, value=t.rating)
    r += 2
    ws.cell(row=r, column=1, value=phrases.MAIN_PROBLEMS.in_(t.lang)).font = bold
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

    detail = clean.sheet(wb.create_sheet(phrases.DETAIL_SHEET.in_(t.lang)))
    heads = [head.in_(t.lang) for head in phrases.DETAIL_COLUMNS]
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
    save(wb, path)
    return clean.replaced


def _number(ws: Any, row: int, column: int, value: Decimal, number_format: str) -> None:
    """A numeric cell holding the Decimal itself (openpyxl writes Decimal as a number)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.number_format = number_format


