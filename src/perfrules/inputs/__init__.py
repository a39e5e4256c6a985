"""Stage 3, inputs: facts files, workbooks and CSV -> validated values for one evaluation.

facts (TOML/JSON facts, validation, every problem at once), fastchecks (the checks the
generated evaluator inlines for a plain dict), workbook (the 10号 form read by its
labels), xlsxgrid (a fast read of an .xlsx sheet's cells)."""

from __future__ import annotations

import os

# The files read as a filled-in form rather than a facts file; here, so that `perfrules eval` on a
# facts file decides without importing the workbook reader.
FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether `perfrules eval` should read this file as a workbook rather than a facts file."""
    return os.path.splitext(path)[1].lower() in FORM_SUFFIXES
