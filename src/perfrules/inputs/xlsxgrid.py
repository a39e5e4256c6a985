"""A small, fast reader of .xlsx cell values: the sheets' XML read straight from the zip.

Forms are one page of cells; openpyxl builds a full object model for them (styles,
themes, every cell) and takes about 13 ms a form. This reader takes what the form
reader needs — values, whether a number shows as a percent or a date, merged
ranges, hidden rows, formulas without a computed value — in a few milliseconds.
Numbers are read from the file's text exactly (「37.24」 is Decimal("37.24")).

`read_sheets(path)` returns one `Sheet` per worksheet, or None when the file uses
something this reader does not handle (then perfrules.inputs.workbook falls back to
openpyxl). It never guesses a value.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
import zlib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import attrs

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# built-in number formats that show a date or a time, and those that show a percent
_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_PERCENT_IDS = frozenset({9, 10})
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


@attrs.frozen
class Sheet:
    """A worksheet's values by (row, column), 1-based, and what the form reader asks of it."""

    name: str
    values: dict[tuple[int, int], Any]
    percent: frozenset[tuple[int, int]]
    merged: tuple[tuple[int, int, int, int], ...]  # min_row, min_col, max_row, max_col
    hidden: frozenset[int]
    uncomputed: frozenset[tuple[int, int]]  # formulas without a computed value
    rows: int
    cols: int


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref)
    return (int(m.group(2)), _col(m.group(1))) if m else None


def _text(element: ElementTree.Element | None) -> str:
    """The text of a shared or inline string: its <t>, or its runs' <t> joined (phonetic runs left out)."""
    if element is None:
        return ""
    direct = element.find(f"{NS}t")
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for r in element.findall(f"{NS}r") for t in r.findall(f"{NS}t"))


def _is_date_code(code: str) -> bool:
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return bool(re.search(r"[ymdhsYMDHS]", bare)) and "General" not in code


def _styles(book: zipfile.ZipFile) -> tuple[list[str], dict[int, str]]:
    """For each cell style index: "percent", "date" or ""."""
    try:
        root = ElementTree.fromstring(book.read("xl/styles.xml"))
    except KeyError:
        return [], {}
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(f"{NS}numFmt")}
    kinds = []
    xfs = root.find(f"{NS}cellXfs")
    for xf in (xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        code = custom.get(fid, "")
        if fid in _PERCENT_IDS or (code and "%" in re.sub(r'"[^"]*"', "", code)):
            kinds.append("percent")
        elif fid in _DATE_IDS or (code and _is_date_code(code)):
            kinds.append("date")
        else:
            kinds.append("")
    return kinds, custom


def _excel_date(serial: Decimal) -> datetime.datetime:
    """An Excel serial day number (1900 system) as a datetime."""
    days = int(serial)
    seconds = round((serial - days) * 86400)
    base = datetime.datetime(1899, 12, 30)  # Excel's day 0, with its 1900 leap-year bug absorbed
    return base + datetime.timedelta(days=days, seconds=seconds)


def read_sheets(path: Path) -> list[Sheet] | None:
    """Every worksheet of an .xlsx file, or None if it holds what this reader does not read."""
    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
            if workbook.find(f"{NS}workbookPr[@date1904='1']") is not None or \
                    workbook.find(f"{NS}workbookPr[@date1904='true']") is not None:
                return None  # the 1904 date system: rare, left to openpyxl
            rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG_REL}Relationship")}
            strings: list[str] = []
            if "xl/sharedStrings.xml" in names:
                root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
                strings = [_text(si) for si in root.iter(f"{NS}si")]
            styles, _ = _styles(book)
            sheets = []
            for entry in workbook.iter(f"{NS}sheet"):
                target = targets.get(entry.get(f"{REL}id"), "")
                member = posixpath.normpath(target.lstrip("/") if target.startswith("/") else "xl/" + target)
                if member not in names:
                    return None
                sheet = _sheet(entry.get("name", ""), book.read(member), strings, styles)
                if sheet is None:
                    return None
                sheets.append(sheet)
            return sheets
    except (zipfile.BadZipFile, OSError, KeyError, ElementTree.ParseError, ValueError, InvalidOperation,
            IndexError, OverflowError, zlib.error, EOFError):  # zlib, EOF: a damaged part (bench/fuzz.py)
        return None


def _sheet(name: str, data: bytes, strings: list[str], styles: list[str]) -> Sheet | None:
    root = ElementTree.fromstring(data)
    values: dict[tuple[int, int], Any] = {}
    percent: set[tuple[int, int]] = set()
    uncomputed: set[tuple[int, int]] = set()
    hidden: set[int] = set()
    data_el = root.find(f"{NS}sheetData")
    rows = cols = 0
    for row in (data_el if data_el is not None else []):
        if row.get("hidden") in ("1", "true"):
            hidden.add(int(row.get("r", "0")))
        for c in row.iter(f"{NS}c"):
            ref = c.get("r")
            if ref is None:
                return None  # cells without their address: left to openpyxl
            place = _cell(ref)
            if place is None:
                return None
            rows, cols = max(rows, place[0]), max(cols, place[1])
            kind = c.get("t", "n")
            v = c.find(f"{NS}v")
            style = styles[int(c.get("s", "0"))] if styles and int(c.get("s", "0")) < len(styles) else ""
            if kind == "inlineStr":
                values[place] = _text(c.find(f"{NS}is"))
                continue
            if v is None or v.text is None:
                if c.find(f"{NS}f") is not None:
                    uncomputed.add(place)
                continue
            text = v.text
            if kind == "s":
                values[place] = strings[int(text)]
            elif kind in ("str", "e"):
                values[place] = text
            elif kind == "b":
                values[place] = text.strip() in ("1", "true")
            else:
                number = Decimal(text)
                if style == "date":
                    values[place] = _excel_date(number)
                    continue
                if style == "percent":
                    percent.add(place)
                values[place] = int(number) if number == number.to_integral() and "." not in text \
                    and "E" not in text.upper() else number
    merged = []
    for m in root.iter(f"{NS}mergeCell"):
        first, _, last = (m.get("ref") or "").partition(":")
        a, b = _cell(first), _cell(last or first)
        if a is None or b is None:
            return None
        merged.append((a[0], a[1], b[0], b[1]))
    return Sheet(name, values, frozenset(percent), tuple(merged), frozenset(hidden), frozenset(uncomputed),
                 rows, cols)
