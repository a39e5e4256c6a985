"""A sheet as a grid of cells, from .xlsx (xlsxgrid, or openpyxl), .xls (xlsgrid) or .csv.

Merged ranges are filled with their top-left cell, so a reader of forms can look at any cell
of a merged 一级指标 and find its value and its origin. What the cells mean is workbook.py's job.
"""

from __future__ import annotations

import csv
import datetime
import functools
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Collector
from perfrules.files import MAX_FORM_BYTES


@functools.lru_cache(maxsize=4096)  # forms repeat their labels: work each out once
def normalize(text: str) -> str:
    """A header cell as compared with a label: no spaces or line breaks, ASCII brackets."""
    text = re.sub(r"\s+", "", text)
    return text.replace("（", "(").replace("）", ")").replace("：", ":")


@functools.lru_cache(maxsize=4096)
def without_note(text: str) -> str:
    """A label without a trailing bracketed note: 「全年预算数(A)」, 「执行率(B/A)」, 「（万元）」."""
    return re.sub(r"\([^()]*\)$", "", normalize(text))



# ---- sheets as grids ---------------------------------------------------------------


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


@attrs.frozen
class Cell:
    """A value of the sheet; `origin` is the top-left cell of its merged range."""

    value: Any
    origin: tuple[int, int]
    percent_format: bool = False


@attrs.define
class Grid:
    """One sheet: cells by (row, column), 1-based; merged ranges filled with their origin."""

    name: str
    cells: dict[tuple[int, int], Cell]
    rows: int
    cols: int
    file: str = ""
    hidden: frozenset[int] = frozenset()  # rows hidden in Excel
    uncomputed: Callable[[int, int], bool] | None = None  # (row, col) → an uncomputed formula?
    _labels: dict[int, list[tuple[int, str, str]]] | None = attrs.field(default=None, init=False, repr=False)

    def get(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))

    def labels(self) -> dict[int, list[tuple[int, str, str]]]:
        """Text cells (merged ranges once, at their top-left cell) by row: (column, normalized, bare)."""
        index = self._labels
        if index is None:
            index = {}
            for (r, c), cell in sorted(self.cells.items()):
                if cell.origin == (r, c) and isinstance(cell.value, str) and cell.value.strip():
                    index.setdefault(r, []).append((c, normalize(cell.value), without_note(cell.value)))
            self._labels = index
        return index

    def header_texts(self, row: int) -> list[tuple[int, str, str]]:
        """The texts a header in this row shows: its own cells, and the cells merged down into it.

        A header two rows tall (「年度指标值」 over 「指标性质 | 指标值 | 度量单位」, with 「实际完成值」
        and 「分值」 merged over both rows) is whole only in its second row.
        """
        own = self.labels().get(row, [])
        down = []
        for col in range(1, self.cols + 1):
            cell = self.cells.get((row, col))
            if cell is not None and cell.origin[0] < row and cell.origin[1] == col \
                    and isinstance(cell.value, str) and cell.value.strip():
                down.append((col, normalize(cell.value), without_note(cell.value)))
        return sorted(own + down) if down else own

    def text(self, row: int, col: int) -> str:
        cell = self.cells.get((row, col))
        if cell is None or cell.value is None:
            return ""
        return plain(cell.value).strip()

    def ref(self, row: int, col: int) -> str:
        return f"{column_letter(col)}{row}"

    def where(self, row: int, col: int) -> str:
        """The cell as errors and comments name it: the merged range's top-left cell."""
        origin = self.cells[(row, col)].origin if (row, col) in self.cells else (row, col)
        return f"{self.sheet}!{self.ref(*origin)}"

    @property
    def sheet(self) -> str:
        """The sheet as errors name it: file and sheet (a CSV file is its own sheet)."""
        return self.file if self.name == self.file else f"{self.file}:{self.name}"


def plain(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def read_grids(path: Path, collector: Collector) -> list[Grid]:
    """Every sheet of an .xlsx/.xlsm/.xls workbook, or the one table of a .csv file."""
    suffix = path.suffix.lower()
    size = _form_size(path, suffix)
    if size is not None and size > MAX_FORM_BYTES:
        collector.error(say.W100_TOO_LARGE(name=path.name, size=size, limit=MAX_FORM_BYTES), None,
                        help=say.W100_ONLY_THE_FORM(), where=str(path))
        return []
    if suffix == ".csv":
        return [_csv_grid(path, collector)]
    if suffix in (".xlsx", ".xlsm"):
        fast = _fast_grids(path)
        return fast if fast is not None else _xlsx_grids(path, collector)
    if suffix == ".xls":
        return _xls_grids(path, collector)
    collector.error(say.W100_NOT_A_FORM(name=path.name), None, help=say.W100_SAVE_AS_XLSX(), where=str(path))
    return []


def _error_name(exc: BaseException) -> str:
    """What went wrong reading a workbook, by its exception's name: `zlib.error`, not a bare `error`."""
    name = type(exc).__name__
    return f"{type(exc).__module__}.{name}" if name == "error" else name


def _form_size(path: Path, suffix: str) -> int | None:
    """The bytes a form holds: an .xlsx's parts unpacked (its zip directory says; the zip reader never
    gives more than that), another file's size; None if it cannot be told (the readers say why)."""
    import zipfile

    try:
        if suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as book:
                return sum(info.file_size for info in book.infolist())
        return path.stat().st_size
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _csv_grid(path: Path, collector: Collector) -> Grid:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        text = data.decode("utf-8", errors="replace")
    cells: dict[tuple[int, int], Cell] = {}
    rows = cols = 0
    for r, line in enumerate(csv.reader(text.splitlines()), start=1):
        rows = r
        for c, value in enumerate(line, start=1):
            cols = max(cols, c)
            if value.strip():
                cells[(r, c)] = Cell(value, (r, c))
    return Grid(path.name, cells, rows, cols, path.name)


def _fast_grids(path: Path) -> list[Grid] | None:
    """The sheets read straight from the file's XML (perfrules.inputs.xlsxgrid); None: let openpyxl read it."""
    from perfrules.inputs.xlsxgrid import read_sheets

    sheets = read_sheets(path)
    return None if sheets is None else _grids(path, sheets)


def _xls_grids(path: Path, collector: Collector) -> list[Grid]:
    """The sheets of an Excel 97–2003 workbook, read with xlrd (perfrules.inputs.xlsgrid)."""
    from perfrules.inputs import xlsgrid

    try:
        return _grids(path, xlsgrid.read_sheets(path))
    except xlsgrid.NeedsXlrd:
        collector.error(say.W101_NO_XLRD(), None, help=say.W101_INSTALL_XLRD(), where=str(path))
    except xlsgrid.NotReadable as exc:
        collector.error(say.W100_NOT_XLS(name=path.name, error=str(exc)), None, help=say.W100_SAVE_AGAIN(),
                        where=str(path))
    return []


def _grids(path: Path, sheets: Sequence[Any]) -> list[Grid]:
    """Grids of the sheets read by xlsxgrid or xlsgrid: merged ranges filled with their top-left cell."""
    grids = []
    for sheet in sheets:
        cells = {place: Cell(value, place, place in sheet.percent) for place, value in sheet.values.items()}
        rows, cols = sheet.rows, sheet.cols
        for min_row, min_col, max_row, max_col in sheet.merged:
            top = cells.get((min_row, min_col))
            rows, cols = max(rows, max_row), max(cols, max_col)
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    if (r, c) == (min_row, min_col):
                        continue
                    if top is None:
                        cells.pop((r, c), None)  # a merged range shows its top-left cell only
                    else:
                        cells[(r, c)] = Cell(top.value, (min_row, min_col), top.percent_format)
        grids.append(Grid(sheet.name, cells, rows, cols, path.name, sheet.hidden,
                          functools.partial(_member, sheet.uncomputed)))
    return grids


def _member(places: frozenset[tuple[int, int]], row: int, col: int) -> bool:
    return (row, col) in places


def _xlsx_grids(path: Path, collector: Collector) -> list[Grid]:
    import importlib

    try:
        # imported by name: openpyxl is optional and ships without type information
        openpyxl: Any = importlib.import_module("openpyxl")
    except ImportError:
        collector.error(say.W101_NO_OPENPYXL(), None, help=say.W101_INSTALL(), where=str(path))
        return []
    import warnings
    import zipfile
    import zlib

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation and styles it skips
            book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, zlib.error, EOFError) as exc:
        # zlib.error, EOFError: a part that does not unpack (a damaged file; found by bench/fuzz.py)
        collector.error(say.W100_NOT_XLSX(name=path.name, error=_error_name(exc)), None,
                        help=say.W100_SAVE_AGAIN(), where=str(path))
        return []
    grids = []
    formulas: dict[str, Any] = {}

    def uncomputed(title: str, row: int, col: int) -> bool:
        """Whether an empty cell holds a formula Excel never computed (read only when a cell is missing)."""
        if "book" not in formulas:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                formulas["book"] = openpyxl.load_workbook(path, data_only=False)
        source = formulas["book"][title].cell(row, col).value
        return isinstance(source, str) and source.startswith("=")

    for sheet in book.worksheets:
        cells: dict[tuple[int, int], Cell] = {}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cells[(cell.row, cell.column)] = Cell(
                    cell.value, (cell.row, cell.column), "%" in (cell.number_format or ""))
        for merged in sheet.merged_cells.ranges:
            top = cells.get((merged.min_row, merged.min_col))
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col) and top is not None:
                        cells[(r, c)] = attrs.evolve(top, origin=(merged.min_row, merged.min_col))
        hidden = frozenset(r for r, dim in sheet.row_dimensions.items() if dim.hidden)
        grids.append(Grid(sheet.title, cells, sheet.max_row, sheet.max_column, path.name, hidden,
                          functools.partial(uncomputed, sheet.title)))
    return grids
