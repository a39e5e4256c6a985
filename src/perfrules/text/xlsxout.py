"""Workbooks out: text that an xlsx cell can hold, and a whole file or none.

The xlsx format has no place for C0 control characters other than tab, newline and carriage
return: openpyxl refuses them (IllegalCharacterError), so a `[meta] entity = "A\\u0001B"`
once stopped the report (issue 16, item 18). Each is written as its escape, `A\\x01B`, as a
terminal shows it, and counted so that the command can say so. The file is saved whole or
not at all (issue 16, item 10).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from perfrules.files import write_workbook

# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE (tests/test_xlsx_text.py checks they agree)
ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


class CellTexts:
    """Makes strings fit an xlsx cell, counting the characters it had to write as escapes."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str) and ILLEGAL.search(value):
            self.replaced += len(ILLEGAL.findall(value))
            return ILLEGAL.sub(_escape, value)
        return value

    def sheet(self, worksheet: Any) -> Any:
        """The worksheet, with every value given to `cell` and `append` made to fit."""
        return _Sheet(worksheet, self)


class _Sheet:
    def __init__(self, worksheet: Any, clean: CellTexts):
        object.__setattr__(self, "_worksheet", worksheet)
        object.__setattr__(self, "_clean", clean)

    def cell(self, row: int, column: int, value: Any = None) -> Any:
        return self._worksheet.cell(row=row, column=column, value=self._clean(value))

    def append(self, values: Any) -> None:
        self._worksheet.append([self._clean(v) for v in values])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._worksheet, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._worksheet, name, value)


def save(workbook: Any, path: str | Path) -> None:
    """Save a workbook whole: into memory, then to a temporary file renamed over `path`
    (perfrules.files.write_workbook: a failure is CannotWrite, said once)."""
    write_workbook(path, workbook)
