"""Reading a batch: a .jsonl or .csv file, or a folder of facts files and filled-in forms, as
raw items in chunks for the scorers (`perfrules.tools.batch`); a CSV header checked and its cells
converted by each input's declared type."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs

from perfrules.catalogue import Said, usage
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import WordedError
from perfrules.engine import Ruleset
from perfrules.files import MAX_RECORD_BYTES
from perfrules.inputs import FORM_SUFFIXES

CHUNK = 256  # CSV rows or facts files per task sent to a worker
BLOCK = 1 << 19  # bytes of a .jsonl file per task (whole lines)

Item = tuple[int, Any]  # (record number from 1, raw payload: a JSON line, a CSV row, a path)
Chunk = tuple[str, Any]  # ("jsonl", (line, bytes)), ("jsonl-at", (line, offset, size)), ("items", [Item])


class BatchInput:
    """A batch source: its kind, the CSV header if any, and its raw items, streamed."""

    def __init__(self, path: Path):
        self.path = path
        self.header: list[str] | None = None
        if path.is_dir():
            self.kind = "dir"
        elif path.suffix.lower() == ".jsonl" or path.suffix.lower() == ".ndjson":
            self.kind = "jsonl"
        elif path.suffix.lower() == ".csv":
            self.kind = "csv"
        else:
            raise WordedError(usage.BATCH_KINDS(path=str(path)))

    def chunks(self) -> Iterator[Chunk]:
        """The records in chunks, as raw as possible: parsing happens where they are scored.

        A .jsonl file goes in blocks of whole lines (bytes; records are numbered by
        line); CSV rows and facts files in lists of (number, row or path).
        """
        if self.kind == "jsonl":
            yield from self._blocks()
            return
        items: list[Item] = []
        for item in self._items():
            items.append(item)
            if len(items) >= CHUNK:
                yield ("items", items)
                items = []
        if items:
            yield ("items", items)

    def _blocks(self) -> Iterator[Chunk]:
        # From a regular file, a worker reads its block itself (by offset): only
        # numbers cross between processes. From a pipe, the bytes go with the chunk.
        # Lines are read with a bounded readline: a line longer than MAX_RECORD_BYTES
        # is one failed record, skipped to its end, never held in memory whole.
        seekable = self.path.is_file()
        number = 0  # lines read
        offset = 0  # where the next line starts
        block_line, block_start, block_size = 1, 0, 0
        parts: list[bytes] = []

        def block() -> Chunk:
            if seekable:
                return ("jsonl-at", (block_line, block_start, block_size))
            return ("jsonl", (block_line, b"".join(parts)))

        with open(self.path, "rb") as f:
            while True:
                raw = f.readline(MAX_RECORD_BYTES + 1)
                if not raw:
                    break
                if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]  # a UTF-8 byte order mark
                    offset = block_start = 3
                number += 1
                if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                    if block_size:
                        yield block()
                    skipped = len(raw)
                    while not raw.endswith(b"\n"):
                        raw = f.readline(BLOCK)
                        if not raw:
                            break
                        skipped += len(raw)
                    yield ("too-long", (number, skipped))
                    offset += skipped
                    block_line, block_start, block_size, parts = number + 1, offset, 0, []
                    continue
                offset += len(raw)
                block_size += len(raw)
                if not seekable:
                    parts.append(raw)
                if block_size >= BLOCK:
                    yield block()
                    block_line, block_start, block_size, parts = number + 1, offset, 0, []
            if block_size:
                yield block()

    def _lines(self, f: IO[bytes]) -> Iterator[str]:
        """The text lines of a CSV file, each at most MAX_RECORD_BYTES; a line that is longer or
        not UTF-8 is replaced by an empty line and noted in `self.problems` for its row."""
        first = True
        while True:
            raw = f.readline(MAX_RECORD_BYTES + 1)
            if not raw:
                return
            if first and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            first = False
            if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(BLOCK)
                self.problems.append(say.F100_ROW_TOO_LONG(limit=MAX_RECORD_BYTES))
                yield "\n"
                continue
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.problems.append(say.F100_ROW_NOT_UTF8(byte=raw[exc.start], position=exc.start + 1))
                yield "\n"

    def _csv_rows(self, f: IO[bytes]) -> Iterator[list[str] | RowProblem]:
        """CSV rows, or the problem of a row that cannot be read (the batch goes on past it)."""
        self.problems: list[Said] = []
        reader = csv.reader(self._lines(f))
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RowProblem(say.F100_ROW_NOT_CSV(detail=str(exc)))
                continue
            if self.problems:
                yield RowProblem(self.problems.pop(0))
                self.problems.clear()
                continue
            yield row

    def _items(self) -> Iterator[Item]:
        if self.kind == "dir":
            # *.cases.toml files live beside facts files in rulesets/: they are not facts
            # facts files are .toml or .json, as `perfrules eval RULES FACTS` reads them (a .json one was skipped)
            # filled-in forms (.xlsx, .xlsm, .xls, .csv: FORM_SUFFIXES) are read as `perfrules eval RULES FORM` reads
            # them (perfrules.inputs.workbook); a .csv was skipped without a word
            files = sorted(p for p in self.path.iterdir()
                           if ((p.suffix.lower() in (".toml", ".json") and not p.name.lower().endswith(".cases.toml"))
                               or p.suffix.lower() in FORM_SUFFIXES) and p.is_file())
            for number, file in enumerate(files, start=1):
                yield number, str(file)
        else:
            with open(self.path, "rb") as f:
                rows = self._csv_rows(f)
                header = next(rows, [])
                self.header = header if isinstance(header, list) else []
                number = 0
                for row in rows:
                    if isinstance(row, RowProblem) or any(cell.strip() for cell in row):
                        number += 1
                        yield number, row

    def read_header(self) -> list[str] | None:
        """The CSV header, read ahead of the items (workers need it before the first row)."""
        if self.kind == "csv" and self.header is None:
            with open(self.path, "rb") as f:
                header = next(self._csv_rows(f), [])
            if isinstance(header, RowProblem):
                raise BatchError(usage.HEADER_UNREADABLE(path=str(self.path), problem=header.said))
            self.header = header
        return self.header

    def count(self) -> int | None:
        """How many records the batch holds, for the progress bar's total: the files of a folder,
        the non-blank lines of a .jsonl file; the non-blank lines of a .csv file after its
        header (more than its records if a quoted cell holds a line break). One pass, no parsing.
        None for a pipe: reading it to count would leave nothing to score."""
        if self.kind == "dir":
            return sum(1 for _ in self._items())
        if not self.path.is_file():
            return None
        lines, started = 0, False  # started: the line being read has more than white space
        with open(self.path, "rb") as f:
            while block := f.read(BLOCK):  # in blocks: a line over the record limit is never held whole
                *ended, rest = block.split(b"\n")
                for piece in ended:
                    lines += 1 if started or piece.strip() else 0
                    started = False
                started = started or bool(rest.strip())
        lines += started
        return max(lines - 1, 0) if self.kind == "csv" else lines


@attrs.frozen
class RowProblem:
    """A CSV row that cannot be read (too long, not UTF-8, bad quoting): that row fails."""

    said: Said


class BatchError(Exception):
    """A batch input that cannot be read at all (a CSV header naming a column twice): exit 1."""

    def __init__(self, said: Said) -> None:
        super().__init__(said.en)
        self.said = said


def check_header(header: list[str], name: str) -> None:
    """Refuse a CSV header that names a column twice: the row would keep the last cell silently."""
    first: dict[str, int] = {}
    for column, cell in enumerate(header, start=1):
        key = cell.strip()
        if key in first:
            raise BatchError(usage.HEADER_TWICE(path=name, column=column, key=key, first=first[key]))
        first[key] = column


_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_COUNT = re.compile(r"\d+")


def cell_converters(ruleset: Ruleset, header: list[str]) -> list[Callable[[str], Any]]:
    """One converter per CSV column, by the declared type of the input it names.

    Numbers become exact Decimals and counts ints when the cell is written that way;
    anything else stays text, so that validation reports it as for any facts.
    """
    kinds = {inp.name: inp.type.kind for inp in ruleset.model.inputs}

    def number(cell: str) -> Any:
        text = cell.strip()
        return Decimal(text) if _NUMBER.fullmatch(text) else cell

    def count(cell: str) -> Any:
        text = cell.strip()
        return int(text) if _COUNT.fullmatch(text) else cell

    def boolean(cell: str) -> Any:
        text = cell.strip()
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        return text

    def stripped(cell: str) -> Any:
        return cell.strip()

    def as_is(cell: str) -> Any:
        return cell

    table: dict[str, Callable[[str], Any]] = {
        "number": number, "count": count, "bool": boolean, "percent": stripped, "grade": stripped,
    }  # fmt: skip
    return [table.get(kinds.get(name.strip(), "text"), as_is) for name in header]


# CSV columns beyond inputs (docs/batch.md): `评定:PATH` / `judged:PATH` for a judged leaf's points,
# `…:PATH:区间` / `…:PATH:band` and `…:PATH:原因` / `…:PATH:because` for its band and reason;
# `调整:PATH` / `override:PATH` for an override's points, `…:PATH:原因` / `…:PATH:because` for its reason.
_TABLE_OF_PREFIX = {"评定": "judged", "judged": "judged", "调整": "override", "override": "override"}
_FIELD_OF_SUFFIX = {"区间": "band", "band": "band", "原因": "because", "because": "because"}
Column = tuple[str, str, str]  # (table: facts, judged or override; key: input name or path; field, "" for points)


def csv_columns(ruleset: Ruleset, header: list[str]) -> list[Column]:
    """Where each CSV column goes in a facts-shaped record: an input, or a judged leaf's or an override's field.

    A bare column that names a `judged` leaf (and no input) is read as that leaf's points,
    as `评定:PATH` is. Anything else is an input name, reported as unknown if it is not one.
    """
    inputs = {inp.name for inp in ruleset.model.inputs}
    judged_paths = set(ruleset.judged_leaves.judged_paths)
    columns: list[Column] = []
    for raw in header:
        name = raw.strip()
        parts = [p.strip() for p in re.split(r"[:：]", name)]
        table = _TABLE_OF_PREFIX.get(parts[0]) if len(parts) > 1 else None
        if table is not None and len(parts) == 2:
            columns.append((table, parts[1], ""))
        elif table is not None and len(parts) == 3 and parts[2] in _FIELD_OF_SUFFIX \
                and not (table == "override" and _FIELD_OF_SUFFIX[parts[2]] == "band"):  # fmt: skip
            columns.append((table, parts[1], _FIELD_OF_SUFFIX[parts[2]]))
        elif name not in inputs and name in judged_paths:
            columns.append(("judged", name, ""))
        else:
            columns.append(("facts", name, ""))
    return columns


def points_cell(cell: str) -> Any:
    text = cell.strip()
    return Decimal(text) if _NUMBER.fullmatch(text) else text


# ---- scoring one record -----------------------------------------------------------------
