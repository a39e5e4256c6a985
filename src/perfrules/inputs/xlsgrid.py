"""Cell values of an Excel 97–2003 workbook (.xls), read with xlrd (an optional extra).

Finance systems and older 自评表 templates still hand out .xls. xlrd 2.x reads exactly this
format (it dropped .xlsx), is pure Python and maintained. It gives each number as the
double Excel stored; its shortest repr is the decimal the department typed (「37.24」 is
Decimal("37.24")), as for .xlsx. Merged ranges, hidden rows and percent formats come from
the file's formatting records. A .xls file always stores a formula's last computed value,
so no formula is ever "uncomputed" here.

`read_sheets(path)` gives the same `Sheet`s as perfrules.inputs.xlsxgrid; it raises
`NeedsXlrd` when xlrd is not installed and `NotReadable` for a file it cannot read.
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfrules.inputs.xlsxgrid import Sheet


class NeedsXlrd(Exception):
    """xlrd is not installed."""


class NotReadable(Exception):
    """The file is not a workbook xlrd can read."""


def _number(value: float) -> int | Decimal:
    exact = Decimal(repr(value))
    return int(exact) if exact == exact.to_integral() else exact


def read_sheets(path: Path) -> list[Sheet]:
    try:
        # imported by name: xlrd is optional and ships without type information
        xlrd: Any = importlib.import_module("xlrd")
    except ImportError:
        raise NeedsXlrd() from None
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except (xlrd.XLRDError, OSError, ValueError, KeyError, IndexError, AssertionError) as exc:
        raise NotReadable(type(exc).__name__) from None
    percent_formats = {key for key, fmt in book.format_map.items() if "%" in (fmt.format_str or "")}
    sheets = []
    for sheet in book.sheets():
        values: dict[tuple[int, int], Any] = {}
        percent: set[tuple[int, int]] = set()
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                place = (r + 1, c + 1)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if cell.ctype == xlrd.XL_CELL_TEXT:
                    values[place] = cell.value
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    values[place] = _number(cell.value)
                    if book.xf_list[cell.xf_index].format_key in percent_formats:
                        percent.add(place)
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    values[place] = xlrd.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values[place] = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    values[place] = xlrd.error_text_from_code.get(cell.value, "#ERROR")
        merged = tuple((rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells)
        hidden = frozenset(r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden)
        sheets.append(Sheet(sheet.name, values, frozenset(percent), merged, hidden, frozenset(),
                            sheet.nrows, sheet.ncols))
    return sheets
