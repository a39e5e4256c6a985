"""Batch scoring: many records in, one line out per record, streamed.

    perfrules eval RULES --batch FILE.jsonl|FILE.csv|DIR [--workers N] [--format json|csv] [-o FILE]

Inputs: JSON lines (one object of inputs per line, numbers read exactly with
`parse_float=Decimal`), CSV (the header names the inputs; each cell is converted
by its input's declared type; an empty cell is a missing input), or a folder of
facts `.toml` files. Output: one JSON object per record (its identity, total,
rating and every indicator's points, or its error with the diagnostics), or CSV
of totals and indicator points. Records stream through: memory stays bounded
whatever the number of records. A record that fails is reported (on stderr, with
its row or file, and in the output) and the batch goes on. A result is written
whole or not at all. Exit status: 0 if every record scored, 1 if any failed.

`--workers N` scores in N processes; each loads the ruleset once, records go in
chunks, and the output is in input order, byte for byte the same as with one.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import errno
import io
import json
import multiprocessing
import os
import re
import signal
import tempfile
from collections.abc import Callable, Generator, Iterator
from decimal import ROUND_HALF_UP, Decimal
from json.encoder import encode_basestring as encode_text  # json.dumps(text, ensure_ascii=False), in C
from pathlib import Path
from typing import IO, Any, Protocol

import attrs

from perfrules import decimal_context
from perfrules.catalogue import Lang, Said, usage
from perfrules.catalogue import diagnostics as say
from perfrules.controls import escaped, escaped_line
from perfrules.decimal_context import parse_decimal
from perfrules.diagnostics import Diagnostic, FactsError, PerfrulesError, WordedError
from perfrules.engine import Ruleset, loads
from perfrules.files import MAX_RECORD_BYTES
from perfrules.inputs.facts_file import DuplicateKey, unique_keys
from perfrules.results.result import Result
from perfrules.results.writer import lost_writer_for
from perfrules.semantics import arithmetic

CHUNK = 256  # CSV rows or facts files per task sent to a worker
BLOCK = 1 << 19  # bytes of a .jsonl file per task (whole lines)
WINDOW = 4  # chunks in flight per worker: bounds memory, keeps workers busy

Item = tuple[int, Any]  # (record number from 1, raw payload: a JSON line, a CSV row, a path)
Scored = tuple[bool, str, str]  # (scored?, output text with its newline, stderr text or "")
Chunk = tuple[str, Any]  # ("jsonl", (line, bytes)), ("jsonl-at", (line, offset, size)), ("items", [Item])
Done = tuple[int, int, bytes, str]  # a scored chunk: (scored, failed, output as UTF-8, stderr text)


# ---- reading ---------------------------------------------------------------------------


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
            # filled-in forms (.xlsx, .xlsm, .xls) are read as `perfrules import` reads them (perfrules.inputs.workbook)
            files = sorted(p for p in self.path.iterdir()
                           if ((p.suffix == ".toml" and not p.name.endswith(".cases.toml"))
                               or p.suffix.lower() in (".xlsx", ".xlsm", ".xls")) and p.is_file())
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


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_surrogate(record: dict[str, Any]) -> bool:
    """Does a JSON record hold a lone surrogate, which has no UTF-8 form (and cannot be written out)?"""
    try:
        json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


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


def _points_cell(cell: str) -> Any:
    text = cell.strip()
    return Decimal(text) if _NUMBER.fullmatch(text) else text


# ---- scoring one record -----------------------------------------------------------------


class Scorer:
    """Turns one raw item into its output line (and its stderr report when it fails)."""

    def __init__(self, ruleset: Ruleset, kind: str, header: list[str] | None, fmt: str, label: str,
                 path: str = "", lang: Lang = "en"):
        self.ruleset = ruleset
        self.lang = lang  # of the reports on stderr; the output lines keep English for machines
        self.kind = kind
        self.path = path
        self.file: IO[bytes] | None = None
        self.header = [name.strip() for name in header] if header is not None else None
        self.converters = cell_converters(ruleset, header) if header is not None else []
        self.columns = csv_columns(ruleset, header) if header is not None else []
        if any(table != "facts" for table, _, _ in self.columns):
            # points and reasons of judged leaves and overrides: facts-shaped records
            self.converters = [convert if table == "facts" else (_points_cell if field == "" else str.strip)
                               for convert, (table, _, field) in zip(self.converters, self.columns, strict=True)]
        else:
            self.columns = []  # inputs only: plain records, the fast entry
        # "json+reasons": every JSON line also carries its 扣分原因 (`--reasons`), what a bureau reads
        self.fmt, _, extra = fmt.partition("+")
        self.reasons = extra == "reasons"
        if self.reasons and not ruleset.rows:
            # every result's reasons are read: the evaluator keeps its values rather than running again for them
            ruleset.keep_values = True
        self.label = label
        # A rows ruleset's leaves differ from record to record: JSON lines carry every path of each
        # record; CSV output (fixed columns) carries the indicators the rule file itself names.
        self.rows = ruleset.rows
        self.paths = [i.path for i in ruleset.indicator_list] if self.rows else \
            [path for path, _slot in ruleset.point_slots]  # fmt: skip
        self.places = ruleset.model.precision
        self.quantum = arithmetic.quantum(self.places)
        self.adjustments = len(ruleset.model.adjustments)
        # JSON pieces that are the same on every line, encoded once
        self.json_keys = [json.dumps(path, ensure_ascii=False) + ": " for path in self.paths]
        self.json_paths: dict[str, str] = {}  # path -> the start of its 扣分原因 object, encoded once
        self.vetoes = bool(ruleset.model.vetoes)
        self.json_ratings = {arm.label: json.dumps(arm.label, ensure_ascii=False) for arm in ruleset.model.rating}

    # identity of a record in messages and output
    def identity(self, number: int, payload: Any) -> dict[str, Any]:
        if self.kind == "dir":
            return {"file": Path(payload).name}
        return {"row": number}

    def facts(self, payload: Any) -> Any:
        if self.kind == "jsonl":
            try:
                record = json.loads(payload.decode("utf-8"), parse_float=parse_decimal, object_pairs_hook=unique_keys)
            except UnicodeDecodeError as exc:
                raise FactsError([Diagnostic(say.F101_LINE_NOT_UTF8(byte=exc.start + 1), None,
                                             where="<jsonl>")]) from None
            except DuplicateKey as exc:
                raise FactsError([Diagnostic(say.F100_KEY_TWICE_ON_LINE(key=exc.key), None, where="<jsonl>",
                                             help=say.F100_KEEP_ONE())]) from None
            except json.JSONDecodeError as exc:
                raise FactsError([Diagnostic(say.F100_LINE_NOT_JSON(detail=exc.msg, column=exc.colno), None,
                                             where="<jsonl>")]) from None
            if not isinstance(record, dict):
                raise FactsError([Diagnostic(say.F100_LINE_NOT_OBJECT(), None, where="<jsonl>")])
            if _SURROGATE.search(payload) and _has_surrogate(record):
                raise FactsError([Diagnostic(say.F101_LINE_SURROGATE(), None, where="<jsonl>",
                                             help=say.F101_WRITE_AGAIN())])
            return record
        if self.kind == "csv":
            assert self.header is not None
            if isinstance(payload, RowProblem):
                raise FactsError([Diagnostic(payload.said, None, where="<csv>")])
            if len(payload) > len(self.header):
                raise FactsError([Diagnostic(say.F100_ROW_CELLS(cells=len(payload), columns=len(self.header)), None,
                                             where="<csv>")])
            if not self.columns:
                return {name: convert(cell) for name, convert, cell in
                        zip(self.header, self.converters, payload, strict=False) if cell.strip() != ""}
            shaped: dict[str, dict[str, Any]] = {"facts": {}}
            for (table, key, field), convert, cell in zip(self.columns, self.converters, payload, strict=False):
                if cell.strip() == "":
                    continue
                entries = shaped.setdefault(table, {})
                if field == "":
                    if table == "facts" or key not in entries:
                        entries[key] = convert(cell)
                    else:
                        entries[key]["points"] = convert(cell)
                else:
                    entry = entries.setdefault(key, {})
                    if not isinstance(entry, dict):
                        entry = entries[key] = {"points": entry}
                    entry[field] = convert(cell)
            for table in ("judged", "override"):  # points alone stay bare for judged, as in a facts file
                for key, entry in shaped.get(table, {}).items():
                    if table == "override" and not isinstance(entry, dict):
                        shaped[table][key] = {"points": entry}
            return shaped
        return payload  # a facts file path

    def score(self, item: Item) -> Scored:
        number, payload = item
        ident = self.identity(number, payload)
        record_id: Any = None
        try:
            facts = self.facts(payload)
            if isinstance(facts, dict):
                inputs = facts.get("facts") if self.columns else facts
                record_id = inputs.get("id") if isinstance(inputs, dict) else None
            if isinstance(facts, str) and facts.lower().endswith((".xlsx", ".xlsm", ".xls")):
                from perfrules.inputs.workbook import evaluate_form

                result = evaluate_form(self.ruleset, facts)
            else:
                result = self.ruleset.evaluate(facts)
        except PerfrulesError as exc:
            return False, self.error_line(ident, record_id, exc), self.error_report(ident, exc)
        except (ValueError, RecursionError) as exc:
            # a 5000-digit number or nesting Python cannot read: this record fails, the batch goes on
            error = FactsError([Diagnostic(say.F100_RECORD_UNREADABLE(error=type(exc).__name__), None,
                                           help=say.F100_AT_MOST_30_DIGITS_FLAT(), where=f"<{self.kind}>")])
            return False, self.error_line(ident, record_id, error), self.error_report(ident, error)
        return True, self.result_line(ident, record_id, result), ""

    def score_chunk(self, chunk: Chunk) -> Done:
        kind, payload = chunk
        if kind == "jsonl-at":
            first, offset, length = payload
            if self.file is None:
                self.file = open(self.path, "rb")  # kept open for the scorer's life
            self.file.seek(offset)
            kind, payload = "jsonl", (first, self.file.read(length))
        if kind == "too-long":
            number, size = payload
            error = FactsError([Diagnostic(say.F100_LINE_TOO_LONG(size=size, limit=MAX_RECORD_BYTES), None,
                                           where="<jsonl>", help=say.F100_LINE_DAMAGED())])
            ident = self.identity(number, None)
            return 0, 1, self.error_line(ident, None, error).encode("utf-8"), self.error_report(ident, error)
        if kind == "jsonl":
            first, block = payload
            items: list[Item] = []
            for k, raw in enumerate(block.split(b"\n")):
                if raw.strip():
                    items.append((first + k, raw))
        else:
            items = payload
        scored = failed = 0
        out: list[str] = []
        err: list[str] = []
        for item in items:
            ok, line, report = self.score(item)
            out.append(line)
            if ok:
                scored += 1
            else:
                failed += 1
                err.append(report)
        # Ids, keys and texts come from the records: ESC or U+202E in them must not reach a terminal.
        # In JSON the escape is `\u202e`, the same value (json.dumps escaped C0 already); in CSV it is text.
        return scored, failed, escaped("".join(out)).encode("utf-8"), "".join(err)

    # formatting
    def fixed(self, value: Decimal) -> str:
        """arithmetic.fixed(value, precision), with the quantum computed once."""
        return format(value.quantize(self.quantum, ROUND_HALF_UP, decimal_context.CONTEXT), "f")

    def result_line(self, ident: dict[str, Any], record_id: Any, result: Result) -> str:
        fixed = self.fixed
        breakdown = result.breakdown
        if self.rows:
            keys = [json.dumps(path, ensure_ascii=False) + ": " for path in breakdown]
            shown = breakdown if self.fmt != "csv" else {p: breakdown[p] for p in self.paths}
            points = [fixed(p) for p in shown.values()]
        else:
            keys = self.json_keys
            points = [fixed(p) for p in breakdown.values()]
        total = fixed(result.total)
        if self.fmt == "csv":
            return _csv_line([*ident.values(), _plain(record_id), total, result.rating or "", *points, ""])
        # Built by hand, not json.dumps: the numbers are plain digit strings and every
        # other piece is encoded by json.dumps (once per batch for keys and ratings).
        parts = [json.dumps(dict(ident))[:-1]]
        if record_id is not None:
            parts.append(', "id": ' + json.dumps(_plain(record_id), ensure_ascii=False))
        rating = "null" if result.rating is None else self.json_ratings[result.rating]
        parts.append(f', "total": "{total}", "rating": {rating}, "points": {{')
        parts.append(", ".join([f'{key}"{p}"' for key, p in zip(keys, points, strict=True)]))
        parts.append("}")
        if self.adjustments:
            amounts = ", ".join([f'"{arithmetic.plain(a)}"' for a in result.adjustment_amounts])
            parts.append(f', "adjustments": [{amounts}]')
        if self.reasons:
            parts.append(', "lost": ')
            parts.append(self.lost_json(result))
        if self.vetoes:
            # a 0.00 total says nothing of why: a vetoed record carries its reason
            veto = result.veto
            parts.append(', "veto": ' + ("null" if veto is None else json.dumps(veto.because, ensure_ascii=False)))
        parts.append("}\n")
        return "".join(parts)

    def lost_json(self, result: Result) -> str:
        """The 扣分原因 as JSON: `[{"path": …, "points": "…", "reasons": […]}, …]`, byte for byte as
        json.dumps(…, ensure_ascii=False) writes it (its encoder writes each text with encode_basestring).
        From the ruleset's generated lost list once it has one (writer.py): no record is built."""
        generated = lost_writer_for(result.ruleset)
        if generated is not None:
            return generated.lost_json(result)
        lost = result.lost
        if not lost:
            return "[]"
        fixed, paths = self.fixed, self.json_paths
        items = []
        for loss in lost:
            points, path, reasons = loss.points, loss.path, loss.reasons
            key = paths.get(path)
            if key is None:
                key = paths[path] = '{"path": ' + json.dumps(path, ensure_ascii=False) + ', "points": "'
            said = ", ".join(map(encode_text, reasons))
            items.append(f'{key}{fixed(points)}", "reasons": [{said}]}}')
        return "[" + ", ".join(items) + "]"

    def error_line(self, ident: dict[str, Any], record_id: Any, exc: PerfrulesError) -> str:
        if self.fmt == "csv":
            message = "; ".join(str(d) for d in exc.diagnostics)
            return _csv_line([*ident.values(), _plain(record_id), "", "", *([""] * len(self.paths)), message])
        out: dict[str, Any] = dict(ident)
        if record_id is not None:
            out["id"] = _plain(record_id)
        out["error"] = [
            {"code": d.code, "message": d.message, "where": d.location(), "help": d.help} for d in exc.diagnostics
        ]
        return json.dumps(out, ensure_ascii=False) + "\n"

    def error_report(self, ident: dict[str, Any], exc: PerfrulesError) -> str:
        lang = self.lang
        record = ident["file"] if "file" in ident else usage.RECORD_ROW(row=ident["row"])
        where = usage.OF_RECORD(batch=self.label, record=record)
        lines = []
        for d in exc.diagnostics:
            location = d.location()
            place = "" if location in ("<input>", "<jsonl>", "<csv>") or "file" in ident else location
            line = usage.RECORD_ERROR(where=where, place=usage.AT(location=place) if place else "", code=d.code,
                                      message=d.said)
            lines.append(escaped_line(line.in_(lang)) + "\n")
        return "".join(lines)

    def csv_header(self) -> str:
        first = "file" if self.kind == "dir" else "row"
        return _csv_line([first, "id", "total", "rating", *self.paths, "error"])


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if not value.is_finite() or abs(value.adjusted()) >= 30:
            return str(value)  # an id like 1e400 (found by bench/fuzz.py), shown as written, not an Overflow
        return arithmetic.plain(value)
    return value if isinstance(value, (str, int)) else str(value)


def _csv_line(cells: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([_inert(cell) for cell in cells])
    return buffer.getvalue()


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _inert(cell: Any) -> Any:
    """A cell a spreadsheet will not run: text beginning with = + - @, a tab or a carriage return
    gets a leading `'`, as OWASP's CSV-injection guidance says (ids and file names come from the
    input); a negative number stays a number."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# ---- the stream, in one process or several ------------------------------------------------

_worker: Scorer | None = None


def _init_worker(text: str, name: str, kind: str, header: list[str] | None, fmt: str, label: str,
                 path: str, lang: Lang = "en") -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the parent stops the batch and ends the workers, which
    # must not print a KeyboardInterrupt traceback each. SIGTERM ends a worker as it ends any process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker = Scorer(loads(text, name, pause_gc=True), kind, header, fmt, label, path, lang)


def _score_chunk(chunk: Chunk, spill: str) -> Done:
    """Score a chunk in a worker; its output goes to the file `spill`, not back through the pipe."""
    assert _worker is not None
    scored, failed, data, report = _worker.score_chunk(chunk)
    with open(spill, "wb") as f:
        f.write(data)
    return scored, failed, b"", report


class Spill:
    """A chunk's output left by a worker in a file, for the parent to copy in order."""

    def __init__(self, path: str):
        self.path = path

    def copy_to(self, out: IO[bytes]) -> None:
        with open(self.path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            try:
                target = out.fileno()
            except (AttributeError, OSError, io.UnsupportedOperation):
                out.write(f.read())
            else:
                out.flush()
                offset = 0
                while offset < size:  # the kernel copies: the parent never holds the text
                    try:
                        sent = os.sendfile(target, f.fileno(), offset, size - offset)
                    except OSError as exc:
                        if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                            raise
                        # an output sendfile cannot write to (/dev/full, some devices): an ordinary
                        # write, which also gives the real reason it fails (ENOSPC, not EINVAL)
                        f.seek(offset)
                        out.write(f.read())
                        out.flush()
                        break
                    if sent == 0:
                        break
                    offset += sent
        os.unlink(self.path)


class BatchStopped(Exception):
    """The batch stopped part way; the results of the records before are written, in order.
    `said` is the error; `what` says why in a few words, for the summary line."""

    what = usage.STOPPED

    def __init__(self, said: Said) -> None:
        super().__init__(said.en)
        self.said = said


class WorkerDied(BatchStopped):
    """A worker process ended in the middle of the batch (killed, or out of memory)."""

    what = usage.STOPPED_WORKER_DIED


class SpillFailed(BatchStopped):
    """A worker could not write a chunk's results to the spill folder (a full or read-only /tmp)."""

    what = usage.STOPPED_SPILL_FAILED


def score_stream(ruleset: Ruleset, source: BatchInput, fmt: str = "json", workers: int = 1,
                 label: str | None = None,
                 lang: Lang = "en") -> Generator[tuple[int, int, bytes | Spill, str], None, None]:  # fmt: skip
    """Score every record of `source` in order, streaming; one `Done` per chunk of records.

    One chunk in, one chunk out: a worker gets a block of raw lines (or rows, or
    paths; from a regular .jsonl file just its offset) and leaves its output in a
    spill file that the parent copies to the output in order (kernel to kernel), so
    little crosses between processes. A failed record's report on stderr is in `lang`.

    A worker that dies (`kill -9`, the kernel's OOM killer) breaks the pool: WorkerDied is
    raised once the chunks before it have been yielded, and the other workers and the spill
    folder are cleaned up, as they are when the caller stops early (closes the generator).
    """
    header = source.read_header()
    label = label if label is not None else source.path.name
    if workers <= 1:
        kept = ruleset.keep_values  # a Scorer with reasons sets it for the batch; the caller's ruleset gets it back
        scorer = Scorer(ruleset, source.kind, header, fmt, label, str(source.path), lang)
        try:
            for chunk in source.chunks():
                yield scorer.score_chunk(chunk)
        finally:
            ruleset.keep_values = kept
            if scorer.file is not None:
                scorer.file.close()
        return
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context()
    text = ruleset.model.source.text
    setup = (text, ruleset.display_name, source.kind, header, fmt, label, str(source.path), lang)
    with tempfile.TemporaryDirectory(prefix="perfrules-batch-") as spill_dir:
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=setup)
        finished = False
        try:
            pending: collections.deque[tuple[Future[Done], str]] = collections.deque()

            def done() -> tuple[int, int, Spill, str]:
                future, spill = pending.popleft()
                try:
                    scored, failed, _, report = future.result()
                except BrokenProcessPool:
                    raise WorkerDied(usage.BATCH_WORKER_DIED()) from None
                except OSError as exc:
                    raise SpillFailed(usage.BATCH_SPILL_FAILED(folder=spill_dir, reason=str(exc.strerror or exc))) \
                        from None
                return scored, failed, Spill(spill), report

            for number, chunk in enumerate(source.chunks()):
                spill = os.path.join(spill_dir, f"{number}.out")
                try:
                    future = pool.submit(_score_chunk, chunk, spill)
                except BrokenProcessPool:
                    while pending:  # the chunks scored before the death are still written, in order
                        yield done()
                    raise WorkerDied(usage.BATCH_WORKER_DIED()) from None
                pending.append((future, spill))
                while len(pending) >= WINDOW * workers:
                    yield done()
            while pending:
                yield done()
            finished = True
        finally:
            if not finished:
                # stopped early (an interrupt, a dead worker, an output that cannot be written): the
                # workers' unstarted chunks are dropped and running ones cut short, not waited for
                for future, _ in pending:
                    future.cancel()
                # the executor keeps its processes in `_processes` (CPython 3.8 to 3.13); without it,
                # shutdown below waits for the running chunks instead
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)


class Progress(Protocol):
    """What `run_batch` tells of its progress (the command line draws it: perfrules.cli.progress)."""

    def update(self, scored: int, failed: int) -> None: ...

    def clear(self) -> None: ...  # before a failed record's report is written


@attrs.define
class Tally:
    """Records scored and failed so far, and whether all of them are written out."""

    scored: int = 0
    failed: int = 0


class Interrupted(Exception):
    """The batch was stopped by SIGINT or SIGTERM."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class StopRequests:
    """SIGINT and SIGTERM during a batch, made into Interrupted where the output allows it.

    While a chunk's results are being written, and while the batch cleans up, a signal is noted
    and acted on once that is done, so the output ends on a whole record and the workers and
    spill files are removed; anywhere else (waiting for a worker, reading a pipe) it stops the
    batch at once. A second signal stops it at once in any case.
    """

    def __init__(self) -> None:
        self.deferring = False
        self.received: int | None = None

    def _handle(self, signum: int, frame: Any) -> None:
        first = self.received is None
        if first:
            self.received = signum
        if not (first and self.deferring):
            raise Interrupted(signum)

    @contextlib.contextmanager
    def installed(self) -> Iterator[StopRequests]:
        """Take SIGINT and SIGTERM for the duration (in the main thread; elsewhere they are not ours)."""
        try:
            previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:
            yield self
            return
        try:
            yield self
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)


def run_batch(ruleset: Ruleset, path: Path, out: IO[str], err: IO[str], fmt: str = "json",
              workers: int = 1, progress: Progress | None = None, lang: Lang = "en", tally: Tally | None = None,
              signals: StopRequests | None = None) -> tuple[int, int]:  # fmt: skip
    """Score a batch into `out`, report failures on `err` (in `lang`), tell `progress` after each
    chunk; return (scored, failed).

    `tally` counts the records as their results are written, so that a batch that stops
    (WorkerDied, an OSError, Interrupted) can still say how far it got. With `signals`
    installed, SIGINT and SIGTERM stop the batch as `StopRequests` says.
    """
    tally = tally if tally is not None else Tally()
    signals = signals if signals is not None else StopRequests()  # not installed: receives nothing
    source = BatchInput(path)
    scorer_header = source.read_header()
    if scorer_header is not None:
        check_header(scorer_header, str(path))
    buffer: IO[bytes] | None = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()

    def write(data: bytes | Spill) -> None:
        if isinstance(data, Spill):
            if buffer is not None:
                data.copy_to(buffer)
            else:
                with open(data.path, "rb") as f:
                    out.write(f.read().decode("utf-8"))
                os.unlink(data.path)
        elif buffer is not None:
            buffer.write(data)
        else:
            out.write(data.decode("utf-8"))

    if fmt == "csv":
        write(Scorer(ruleset, source.kind, scorer_header, fmt, path.name).csv_header().encode("utf-8"))
    stream = score_stream(ruleset, source, fmt, workers, path.name, lang)
    try:
        for n_scored, n_failed, data, report in stream:
            signals.deferring = True  # a chunk is written whole, and counted
            write(data)
            tally.scored += n_scored
            tally.failed += n_failed
            if report:
                if progress is not None:
                    progress.clear()
                err.write(report)
            if progress is not None:
                progress.update(tally.scored, tally.failed)
            signals.deferring = False
            if signals.received is not None:
                raise Interrupted(signals.received)
    except WorkerDied:
        # SIGTERM to the whole process group ends the workers too: that is the interrupt, not a crash
        if signals.received is not None:
            raise Interrupted(signals.received) from None
        raise
    finally:
        signals.deferring = True  # the clean-up is not cut short
        stream.close()  # a batch that stops ends its workers and removes its spill folder now
        if progress is not None:
            progress.clear()
        if buffer is not None:
            with contextlib.suppress(OSError, ValueError):
                buffer.flush()
    return tally.scored, tally.failed
