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

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from json.encoder import encode_basestring as encode_text  # json.dumps(text, ensure_ascii=False), in C
from pathlib import Path
from typing import IO, Any

from perfrules import decimal_context
from perfrules.catalogue import Lang, usage
from perfrules.catalogue import diagnostics as say
from perfrules.controls import escaped, escaped_line
from perfrules.decimal_context import parse_decimal
from perfrules.diagnostics import Diagnostic, FactsError, PerfrulesError
from perfrules.engine import Ruleset
from perfrules.files import MAX_RECORD_BYTES
from perfrules.inputs.facts_file import DuplicateKey, unique_keys
from perfrules.results.result import Result
from perfrules.results.writer import LostWriter, fused_for, lost_writer_for
from perfrules.semantics import arithmetic
from perfrules.tools.batch_input import Chunk, Item, RowProblem, cell_converters, csv_columns, points_cell

_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_surrogate(record: dict[str, Any]) -> bool:
    """Does a JSON record hold a lone surrogate, which has no UTF-8 form (and cannot be written out)?"""
    try:
        json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


Scored = tuple[bool, str, str]  # (scored?, output text with its newline, stderr text or "")
Done = tuple[int, int, bytes, str]  # a scored chunk: (scored, failed, output as UTF-8, stderr text)


class Scorer:
    """Turns one raw item into its output line (and its stderr report when it fails)."""

    def __init__(self, ruleset: Ruleset, kind: str, header: list[str] | None, fmt: str, label: str,
                 path: str = "", lang: Lang = "en"):
        self.ruleset = ruleset
        # of the reports on stderr and of the messages in the output lines: the language `eval` says a
        # facts file's errors in, so that a summary page made from the output shows officials their own
        # (Chinese for a Chinese-keyword file); `code` is for machines
        self.lang = lang
        self.kind = kind
        self.path = path
        self.file: IO[bytes] | None = None
        self.header = [name.strip() for name in header] if header is not None else None
        self.converters = cell_converters(ruleset, header) if header is not None else []
        self.columns = csv_columns(ruleset, header) if header is not None else []
        if any(table != "facts" for table, _, _ in self.columns):
            # points and reasons of judged leaves and overrides: facts-shaped records
            self.converters = [convert if table == "facts" else (points_cell if field == "" else str.strip)
                               for convert, (table, _, field) in zip(self.converters, self.columns, strict=True)]
        else:
            self.columns = []  # inputs only: plain records, the fast entry
        # "json+reasons": every JSON line also carries its 扣分原因 (`--reasons`), what a bureau reads
        self.fmt, _, extra = fmt.partition("+")
        self.reasons = extra == "reasons"
        if self.reasons and not ruleset.rows:
            # every result's reasons are read: the evaluator keeps its values rather than running again for them
            ruleset.keep_values = True
        # A plain dict of inputs with its 扣分原因 as JSON: one generated function scores and writes them
        # (writer.fused_for), from the ruleset's GENERATE_AT-th result on; `fused` is None until then.
        self.fusing = self.reasons and self.fmt == "json" and not ruleset.rows and not ruleset.judged_number
        self.fused: Any = None
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
        # A JSON line holds a control character only if the record brought it (an id, a file name, a rows
        # path, a text in a veto's or a reason's because, an error): the rule file's texts have none (E102),
        # numbers and the catalogue's words neither. A chunk whose lines are all known clean is written
        # without looking through it for any (`escaped`); `unsafe` says a line of the chunk may hold one.
        self.clean_lines = self.fmt == "json" and self.kind != "dir" and not self.rows
        self.unsafe = False

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
                                             where="<jsonl>", help=say.E100_SAVE_AS_UTF8())]) from None
            except DuplicateKey as exc:
                raise FactsError([Diagnostic(say.F100_KEY_TWICE_ON_LINE(key=exc.key), None, where="<jsonl>",
                                             help=say.F100_KEEP_ONE())]) from None
            except json.JSONDecodeError as exc:
                raise FactsError([Diagnostic(say.F100_LINE_NOT_JSON(detail=exc.msg, column=exc.colno), None,
                                             where="<jsonl>", help=say.ONE_OBJECT_A_LINE())]) from None
            if not isinstance(record, dict):
                raise FactsError([Diagnostic(say.F100_LINE_NOT_OBJECT(), None, where="<jsonl>",
                                             help=say.ONE_OBJECT_A_LINE())])
            if _SURROGATE.search(payload) and _has_surrogate(record):
                raise FactsError([Diagnostic(say.F101_LINE_SURROGATE(), None, where="<jsonl>",
                                             help=say.F101_WRITE_AGAIN())])
            return record
        if self.kind == "csv":
            assert self.header is not None
            if isinstance(payload, RowProblem):
                raise FactsError([Diagnostic(payload.said, None, where="<csv>", help=say.FIX_CSV_ROW())])
            if len(payload) > len(self.header):
                raise FactsError([Diagnostic(say.F100_ROW_CELLS(cells=len(payload), columns=len(self.header)), None,
                                             where="<csv>", help=say.SAME_CELLS_AS_HEADER())])
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
            if self.fusing and type(facts) is dict:
                if self.fused is None:
                    self.fused = fused_for(self.ruleset)
                made = self.ruleset.evaluate_fused(self.fused, facts) if self.fused is not None else None
                if made is not None:
                    return True, self.result_line(ident, record_id, made[0], made[1]), ""
            result = self.ruleset.evaluate(facts)  # a facts file's or a form's path, or a record
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
        self.unsafe = not self.clean_lines
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
        text = "".join(out)
        return scored, failed, (escaped(text) if self.unsafe else text).encode("utf-8"), "".join(err)

    # formatting
    def fixed(self, value: Decimal) -> str:
        """arithmetic.fixed(value, precision), with the quantum computed once."""
        return format(value.quantize(self.quantum, ROUND_HALF_UP, decimal_context.CONTEXT), "f")

    def result_line(self, ident: dict[str, Any], record_id: Any, result: Result, lost: str | None = None) -> str:
        """The output line of a scored record; `lost`: its 扣分原因 as JSON, if written already (clean:
        from a plain dict, by the generated writer, which says if it inserts texts of the facts)."""
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
            if type(record_id) is not int and type(record_id) is not Decimal:
                self.unsafe = True  # a text (or anything else) the record brought
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
            if lost is None:
                lost = self.lost_json(result)
            elif not self.lost_clean(result):
                self.unsafe = True
            parts.append(lost)
        if self.vetoes:
            # a 0.00 total says nothing of why: a vetoed record carries its reason
            veto = result.veto
            if veto is not None:
                self.unsafe = True  # its because may insert a text of the facts
            parts.append(', "veto": ' + ("null" if veto is None else json.dumps(veto.because, ensure_ascii=False)))
        parts.append("}\n")
        return "".join(parts)

    def lost_json(self, result: Result) -> str:
        """The 扣分原因 as JSON: `[{"path": …, "points": "…", "reasons": […]}, …]`, byte for byte as
        json.dumps(…, ensure_ascii=False) writes it (its encoder writes each text with encode_basestring).
        From the ruleset's generated lost list once it has one (writer.py): no record is built."""
        generated = lost_writer_for(result.ruleset)
        if generated is not None:
            if not self.lost_clean(result):
                self.unsafe = True  # an override's or a judged leaf's because, or a text input, may be in it
            return generated.lost_json(result)
        self.unsafe = True  # written from the records: not looked into here
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

    def lost_clean(self, result: Result) -> bool:
        """Is the generated 扣分原因 of this result known to hold no control character (LostWriter.clean)?"""
        generated = result.ruleset.lost_writer
        return type(generated) is LostWriter and generated.clean and result._facts is None

    def error_line(self, ident: dict[str, Any], record_id: Any, exc: PerfrulesError) -> str:
        self.unsafe = True  # messages quote the record
        if self.fmt == "csv":
            message = "; ".join(d.line(self.lang) for d in exc.diagnostics)
            return _csv_line([*ident.values(), _plain(record_id), "", "", *([""] * len(self.paths)), message])
        out: dict[str, Any] = dict(ident)
        if record_id is not None:
            out["id"] = _plain(record_id)
        out["error"] = [
            {"code": d.code, "message": d.message_in(self.lang), "where": d.location(), "help": d.help_in(self.lang)}
            for d in exc.diagnostics
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
            at = usage.RECORD_AT(where=where, place=usage.AT(location=place) if place else "")
            lines.append(escaped_line(at.in_(lang) + d.error_text(lang)) + "\n")
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
