"""Facts: TOML files and Python mappings -> typed input values, every problem at once.

Numbers are read exactly (TOML floats become Decimal, never float). A value is
accepted only when it is exactly what the input declares; everything else is a
FactsError naming the key, what was expected and what was found.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from perfrules import decimal_context
from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Collector, FactsError, did_you_mean, suggestion_budget
from perfrules.semantics import arithmetic, model
from perfrules.semantics.measure import doubtful, parse_measure
from perfrules.source import Source, Span

# Inputs are budget figures and rates: refuse what no budget has, before it can
# slow arithmetic down or lose digits in the 40-digit context.
MAX_DIGITS = 30
MAX_MAGNITUDE = Decimal(10) ** 18
# A number with more integer digits than the engine's precision is not even printed back.
_PRECISION = decimal_context.CONTEXT.prec
_TOO_LONG_TO_PRINT = 10**_PRECISION
TABLES = ("meta", "facts", "judged", "override")


@attrs.frozen
class Facts:
    """A facts file or mapping, not yet checked against a ruleset."""

    facts: Mapping[str, Any]
    meta: Mapping[str, Any] = attrs.field(factory=dict)
    judged: Mapping[str, Any] = attrs.field(factory=dict)
    override: Mapping[str, Any] = attrs.field(factory=dict)
    source: Source | None = attrs.field(default=None, eq=False, repr=False)
    extra_tables: tuple[str, ...] = ()
    loose_keys: tuple[str, ...] = ()  # keys above any [table] header


class _Missing:
    """An optional column with no value in a row (spec section 10)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
MAX_ROWS = 10_000  # rows per table: each becomes a leaf of the generated evaluator


@attrs.frozen
class Row:
    """One record of a rows input: values by column index (MISSING for an absent optional value)."""

    number: int  # from 1, in the order written
    values: tuple[Any, ...]
    written: tuple[Any, ...]  # as the facts wrote them, for the audit and reports


@attrs.frozen
class Judged:
    points: Decimal
    band: str | None
    because: str | None


@attrs.frozen
class Override:
    points: Decimal
    because: str


@attrs.frozen
class Validated:
    """Facts that fit the ruleset: values in input order, judged and overrides by leaf order."""

    values: tuple[Any, ...]
    judged: tuple[Judged, ...]
    overrides: tuple[Override | None, ...] | None
    meta: Mapping[str, Any]
    source_name: str | None


def load_facts(path: str | Path) -> Facts:
    """Read a facts file: TOML, or JSON when it ends in `.json`; raise FactsError (with its position)
    if it cannot be read."""
    from perfrules.diagnostics import Diagnostic
    from perfrules.files import MAX_FACTS_BYTES, TooLarge, read_limited

    path = Path(path)
    try:
        data = read_limited(path, MAX_FACTS_BYTES)
    except TooLarge:
        raise FactsError([Diagnostic(say.F100_FACTS_TOO_LARGE(limit=MAX_FACTS_BYTES), None,
                                     help=say.F100_ONE_VALUE_PER_INPUT(), where=f"{path}:1:1")]) from None
    if path.suffix.lower() == ".json":
        return parse_json_facts(data, str(path))
    return parse_facts(data, str(path))


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when a key appears twice (json keeps the last one silently)."""
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return record


def parse_json_facts(data: bytes, name: str = "<facts>") -> Facts:
    """Facts as JSON: shaped like a facts file ({"facts": {...}, "judged": {...}, "meta": {...}}) or a
    plain object of inputs; rows are lists of objects (spec section 10). Numbers are read exactly."""
    import json

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactsError([_bytes_diagnostic(name, data, exc)]) from None
    source = Source(name, text)
    try:
        table = json.loads(text, parse_float=Decimal, object_pairs_hook=unique_keys)
    except DuplicateKey as exc:
        collector = Collector()
        collector.error(say.F100_KEY_TWICE(key=exc.key), Span(source, 0, 0), help=say.F100_KEEP_ONE())
        raise FactsError(collector.items) from None
    except json.JSONDecodeError as exc:
        collector = Collector()
        collector.error(say.F100_NOT_JSON(detail=exc.msg), Span(source, exc.pos, exc.pos + 1),
                        help=say.F100_WRITE_JSON_OBJECT())
        raise FactsError(collector.items) from None
    except (ValueError, RecursionError):
        collector = Collector()
        collector.error(say.F100_UNREADABLE_VALUE(), Span(source, 0, 0), help=say.F100_AT_MOST_30_DIGITS())
        raise FactsError(collector.items) from None
    if not isinstance(table, dict):
        collector = Collector()
        collector.error(say.F100_JSON_ONE_OBJECT(), Span(source, 0, 0), help=say.F100_WRITE_FACTS_OR_INPUTS())
        raise FactsError(collector.items) from None
    facts = coerce(table)
    return attrs.evolve(facts, source=None)


def parse_facts(data: bytes | str, name: str = "<facts>") -> Facts:
    """Parse facts TOML text."""
    try:
        source = Source.from_bytes(name, data) if isinstance(data, bytes) else Source(name, data)
    except UnicodeDecodeError as exc:
        raise FactsError([_bytes_diagnostic(name, data, exc)]) from None
    try:
        table = tomllib.loads(source.text, parse_float=Decimal)
    except RecursionError:
        collector = Collector()
        collector.error(say.F100_TOO_DEEP(), Span(source, 0, 0), help=say.F100_FLAT())
        raise FactsError(collector.items) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        offset = 0
        if match:
            offset = source.offset_of_line(int(match.group(1))) + int(match.group(2)) - 1
        text = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "invalid TOML"
        line = source.line_text(int(match.group(1))) if match else ""
        collector = Collector()
        collector.error(say.F100_NOT_TOML(detail=text[0].lower() + text[1:]),
                        Span(source, offset, offset + 1), help=_toml_help(line))
        raise FactsError(collector.items) from None
    except ValueError as exc:
        # Python refuses to read integers of more than 4300 digits
        collector = Collector()
        collector.error(say.F100_PYTHON_CANNOT_READ(detail=str(exc).split(";")[0]),
                        Span(source, 0, 0), help=say.F100_AT_MOST_30_DIGITS())
        raise FactsError(collector.items) from None
    return from_table(table, source)


def from_table(table: Mapping[str, Any], source: Source | None = None) -> Facts:
    """A Facts from a parsed TOML table, or from a mapping shaped like one."""
    def part(name: str) -> Mapping[str, Any]:
        value = table.get(name, {})
        return value if isinstance(value, Mapping) else {"": value}

    extra = tuple(k for k in table if k not in TABLES)
    loose = tuple(k for k in extra if not isinstance(table[k], Mapping))
    return Facts(part("facts"), part("meta"), part("judged"), part("override"), source, extra, loose)


def coerce(facts: Facts | Mapping[str, Any] | str | Path) -> Facts:
    """Accept what `evaluate` accepts: Facts, a path, a facts-file-shaped mapping, or plain inputs."""
    if isinstance(facts, Facts):
        return facts
    if isinstance(facts, (str, Path)):
        return load_facts(facts)
    if isinstance(facts, Mapping):
        # Inputs are never tables, so a table under one of the facts file's table names
        # means the mapping is shaped like a facts file ({"judged": {...}} alone included).
        if any(isinstance(facts.get(name), Mapping) for name in TABLES):
            return from_table(facts)
        return Facts(facts)
    raise TypeError(f"facts must be a mapping, a Facts or a path, not {type(facts).__name__}")


class _Locator:
    """Finds where a key sits in facts TOML text, for messages.

    The text is read once, into an index of keys and table headers, on the first question:
    a file with thousands of problems costs one pass, not one per problem (issue 16).
    """

    _KEY = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_\-\u0080-\uffff.]+)\s*=')

    def __init__(self, source: Source | None):
        self.source = source
        self._keys: dict[tuple[str, str], tuple[int, int]] | None = None
        self._headers: dict[str, int] = {}

    def _index(self) -> dict[tuple[str, str], tuple[int, int]]:
        assert self.source is not None
        keys: dict[tuple[str, str], tuple[int, int]] = {}
        current = ""
        offset = 0
        for line in self.source.text.split("\n"):
            table = table_header(line)
            if table is not None:
                current = table
                self._headers.setdefault(table, offset + line.index("["))
            else:
                m = self._KEY.match(line)
                if m:
                    keys.setdefault((current, m.group(1).strip('"')), (offset + m.start(1), offset + m.end(1)))
            offset += len(line) + 1
        return keys

    def key(self, table: str, key: str) -> tuple[Span | None, str]:
        where = f"[{table}] {key}" if key else f"[{table}]"
        if self.source is None:
            return None, f"facts[{key!r}]" if table == "facts" else f"{table}[{key!r}]"
        if self._keys is None:
            self._keys = self._index()
        found = self._keys.get((table, key))
        if found is not None:
            return Span(self.source, *found), where
        header = self._headers.get(table)
        if header is not None:
            return Span(self.source, header, header + len(table) + 2), where
        return Span(self.source, 0, 0), where


def table_header(line: str) -> str | None:
    """The table a `[table]` (or `[[table]]`) line opens, unquoted; None for any other line.

    Read by hand, not by a regex: `[` followed by thousands of spaces and no `]` made the
    regex this replaces take seconds (issue 16).
    """
    stripped = line.strip()
    if not stripped.startswith("["):
        return None
    close = stripped.find("]")
    if close < 0:
        return None
    inner = stripped[1:close].lstrip("[").strip()
    return inner.strip('"') if inner else None


class RowsFactsError(FactsError):
    """The inputs of a rows ruleset have problems, but only in rows (or in names nothing reads):
    the rows without problems can still be expanded to find the problems only expansion sees
    (weights that do not add up, a duplicate key, …), so that one run reports them all."""

    def __init__(self, diagnostics: list[Any], partial: tuple[Any, ...], incomplete: frozenset[int]):
        super().__init__(diagnostics)
        self.partial = partial  # the input values, each rows input without its rows that have problems
        self.incomplete = incomplete  # the indexes of the rows inputs that lost rows


def validate(ruleset: model.CheckedRuleset, facts: Facts, inputs_only: bool = False,
             inputs: tuple[Any, ...] | None = None) -> Validated:
    """Check facts against the ruleset's inputs, judged leaves and overrides; all problems at once.

    `inputs_only`: leave [judged] and [override] alone (a rows ruleset checks them against its
    leaves once the rows have made them; see rows.py). `inputs`: the input values, already
    validated that way, so that only [judged] and [override] are checked.
    """
    with suggestion_budget():
        return _validate(ruleset, facts, inputs_only, inputs)


def _validate(ruleset: model.CheckedRuleset, facts: Facts, inputs_only: bool,
              inputs: tuple[Any, ...] | None) -> Validated:
    errors = Collector()
    locate = _Locator(facts.source)

    def error(table: str, key: str, message: Said, help: Said | None = None, code: str | None = None) -> None:
        span, where = locate.key(table, key)
        errors.error(message, span, help=help, where=where, code=code)

    for table in facts.extra_tables:
        if table in facts.loose_keys:
            # `预算数 = 100` above any [table] header: most often the [facts] line is missing
            error("", table, say.F201_OUTSIDE_TABLES(key=table), say.F201_PUT_UNDER_FACTS())
            continue
        guess = did_you_mean(table, TABLES)
        error(table, "", say.F201_UNKNOWN_TABLE(table=table),
              say.F201_DID_YOU_MEAN(guess=guess) if guess else say.F201_THE_TABLES())
    values: list[Any] = []
    declared = {i.name: i for i in ruleset.inputs}
    scalars_ok = True  # every input that is not a table of rows is readable
    partial: list[Any] = []  # the inputs with every row that has a problem left out
    incomplete: set[int] = set()  # the rows inputs that lost rows (or all of them) that way
    if inputs is not None:
        judged = _judged(JudgedLeaves.of(ruleset), facts, error)
        overrides = _overrides(ruleset, facts, error)
        errors.raise_if_any(FactsError)
        return Validated(inputs, judged, overrides, dict(facts.meta), facts.source.name if facts.source else None)
    for key in facts.facts:
        if key not in declared:
            guess = did_you_mean(str(key), list(declared))
            error("facts", str(key), say.F202_UNKNOWN_INPUT(key=key),
                  say.DID_YOU_MEAN(guess=guess) if guess else say.F202_REMOVE_OR_DECLARE())
    for inp in ruleset.inputs:
        if inp.name not in facts.facts:
            if inp.has_default:
                values.append(inp.default)
                continue
            error("facts", inp.name, say.F203_MISSING_INPUT(name=inp.name, type=_describe(inp)),
                  say.F203_ADD_UNDER_FACTS(key=_toml_key(inp.name), example=_example(inp)))
            values.append(None)
            partial.append(() if inp.type.kind == "rows" else None)
            if inp.type.kind == "rows":
                incomplete.add(inp.index)
            else:
                scalars_ok = False
            continue
        raw = facts.facts[inp.name]
        if inp.type.kind == "rows":
            bad_rows: set[int] = set()

            def row_error(number: int, column: str | None, message: Said, help: Said | None = None,
                          table: str = inp.name, code: str | None = None, bad_rows: set[int] = bad_rows) -> None:
                bad_rows.add(number)
                span = row_span(facts.source, table, number, column)
                where = None if span is not None else f"facts[{table!r}][{number}]" + (
                    f"[{column!r}]" if column else "")
                errors.error(message, span, help=help, where=where, code=code)

            before = len(errors.items)
            rows = _rows(ruleset, inp, raw, error, row_error)
            values.append(rows)
            partial.append(tuple(r for r in rows if r.number not in bad_rows))
            if len(errors.items) > before:
                incomplete.add(inp.index)
            continue
        value, problem = convert(inp, raw)
        if problem is not None:
            message, help_text = problem
            error("facts", inp.name, say.OF_INPUT(name=inp.name, problem=message), help_text, code=message.code)
            scalars_ok = False
        values.append(value)
        partial.append(value)
    if inputs_only:
        judged = ()
        overrides = None
    else:
        judged = _judged(JudgedLeaves.of(ruleset), facts, error)
        overrides = _overrides(ruleset, facts, error)
    if errors and inputs_only and scalars_ok:
        raise RowsFactsError(errors.items, tuple(partial), frozenset(incomplete))
    errors.raise_if_any(FactsError)
    return Validated(tuple(values), judged, overrides, dict(facts.meta),
                     facts.source.name if facts.source else None)


def key_span(source: Source | None, table: str, key: str) -> tuple[Span | None, str]:
    """Where `key` of `[table]` is written in a facts file (for messages), and how to name it."""
    return _Locator(source).key(table, key)


def row_span(source: Source | None, table: str, number: int, column: str | None = None) -> Span | None:
    """Where row `number` of a rows input (its `[[facts."T"]]` header, or its `column` key) is written."""
    if source is None:
        return None
    name = rf'(?:"{re.escape(table)}"|{re.escape(table)})'
    headers = list(re.finditer(rf"^[ \t]*\[\[[ \t]*facts[ \t]*\.[ \t]*{name}[ \t]*\]\]", source.text, re.M))
    if not 0 < number <= len(headers):
        return None
    header = headers[number - 1]
    start = header.start() + len(header.group()) - len(header.group().lstrip())
    if column is not None:
        after = re.compile(r"^[ \t]*\[", re.M).search(source.text, header.end())
        end = after.start() if after is not None else len(source.text)
        key = re.compile(rf'^[ \t]*((?:"{re.escape(column)}"|{re.escape(column)}))[ \t]*=', re.M)
        found = key.search(source.text, header.end(), end)
        if found is not None:
            return Span(source, found.start(1), found.end(1))
    return Span(source, start, header.end())


def _rows(ruleset: model.CheckedRuleset, table: model.Input, raw: Any, error: Any, row_error: Any) -> tuple[Row, ...]:
    """A rows input: every problem in every row reported (spec section 10)."""
    if isinstance(raw, Mapping) or not isinstance(raw, (list, tuple)):
        error("facts", table.name, say.F204_EXPECTED_ROWS(name=table.name, found=_found(raw)),
              say.F204_WRITE_ROWS(name=table.name))
        return ()
    if len(raw) > MAX_ROWS:
        error("facts", table.name, say.F205_TOO_MANY_ROWS(name=table.name, count=len(raw), limit=MAX_ROWS),
              say.F205_SPLIT_FACTS())
        return ()
    key_column = ruleset.key_column(table.index)
    by_name = {c.name: c for c in table.columns}
    rows: list[Row] = []
    for number, record in enumerate(raw, start=1):
        if not isinstance(record, Mapping):
            row_error(number, None, say.F204_EXPECTED_ROW_TABLE(row=say.ROW(table=table.name, number=number),
                                                                found=_found(record)))
            continue
        key = record.get(key_column) if key_column is not None else None
        where = say.ROW_KEYED(table=table.name, number=number, key=key) if isinstance(key, str) and key else \
            say.ROW(table=table.name, number=number)  # fmt: skip
        for name in record:
            if name not in by_name:
                guess = did_you_mean(str(name), list(by_name))
                row_error(number, str(name), say.F202_UNKNOWN_COLUMN(row=where, column=name),
                          say.DID_YOU_MEAN(guess=guess) if guess else say.F202_THE_COLUMNS(columns=tuple(by_name)))
        values: list[Any] = []
        written: list[Any] = []
        for column in table.columns:
            if column.name not in record or record[column.name] is None:
                if column.has_default:
                    values.append(column.default)
                elif column.optional:
                    values.append(MISSING)
                else:
                    row_error(number, None, say.F203_MISSING_COLUMN(row=where, column=column.name,
                                                                    type=_describe(column)),
                              say.F203_ADD_TO_ROW(key=_toml_key(column.name), example=_example(column))
                              if column.type.kind != "rows" else None)  # fmt: skip
                    values.append(MISSING)
                written.append(None)
                continue
            cell = record[column.name]
            value, problem = convert(column, cell)
            if problem is not None:
                message, help_text = problem
                row_error(number, column.name, say.OF_COLUMN(row=where, column=column.name, problem=message),
                          help_text, code=message.code)
            values.append(value)
            written.append(cell if isinstance(cell, (str, bool)) else arithmetic.plain(Decimal(cell))
                           if isinstance(cell, (int, Decimal)) else str(cell))
        rows.append(Row(number, tuple(values), tuple(written)))
    return tuple(rows)


def _toml_help(line: str) -> Said:
    """What most likely went wrong on a line TOML could not read, in an official's terms."""
    key = line.split("=", 1)[0].strip()
    if "=" in line and key and not key.startswith(('"', "'", "[")) and not key.isascii():
        return say.F100_QUOTE_CHINESE_KEYS(key=key)
    if any(q in line for q in "“”‘’"):
        return say.F100_STRAIGHT_QUOTES()
    return say.F100_ONE_KEY_PER_LINE()


def _toml_key(name: str) -> str:
    """A key as TOML needs it written: bare keys are ASCII only, so Chinese names are quoted."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else f'"{name}"'


def _describe(inp: model.Input | model.Column) -> Said:
    if inp.label:
        return say.TYPE_WITH_LABEL(type=inp.type.said(), label=inp.label)
    return inp.type.said()


def _example(inp: model.Input | model.Column) -> Said:
    """What to write for an input, described rather than filled in: a placeholder copied
    as it is (0, "100%") would quietly score."""
    if inp.type.kind == "grade":
        return say.EXAMPLE_GRADE(labels=tuple(f'"{label}"' for label in inp.type.labels))
    if isinstance(inp, model.Input) and inp.type.kind == "rows":
        return say.EXAMPLE_ROWS(name=inp.name, columns=tuple(c.name for c in inp.columns))
    return say.EXAMPLES[inp.type.kind]()


def _found(raw: Any) -> Said:
    if isinstance(raw, bool):
        return say.FOUND_BOOL(value=str(raw).lower())
    if isinstance(raw, str):
        return say.FOUND_TEXT(text=raw)
    if isinstance(raw, float):
        return say.FOUND_FLOAT(value=repr(raw))
    if isinstance(raw, int) and raw.bit_length() > 128:  # str() refuses ints of over 4,300 digits
        return say.FOUND_DIGITS(digits=Decimal(raw).adjusted() + 1)
    if isinstance(raw, (int, Decimal)):
        return say.FOUND_NUMBER(value=str(raw))
    if isinstance(raw, Mapping):
        return say.FOUND_TABLE()
    if isinstance(raw, (list, tuple)):
        return say.FOUND_LIST()
    return say.FOUND_OTHER(kind=type(raw).__name__)


Problem = tuple[Said, Said | None]  # what is wrong with a value (its code included), and the help


def _number(raw: Any) -> tuple[Decimal | None, Problem | None]:
    if isinstance(raw, bool):
        return None, (say.F204_EXPECTED_NUMBER(found=_found(raw)), None)
    if isinstance(raw, float):
        return None, (say.F204_EXPECTED_EXACT(found=_found(raw)), say.F204_NO_FLOATS())
    if isinstance(raw, int):
        if abs(raw) >= _TOO_LONG_TO_PRINT:
            return None, (say.F205_TOO_LARGE(power=MAX_MAGNITUDE.adjusted()), None)
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", raw):
        value = Decimal(raw.strip())
    else:
        return None, (say.F204_EXPECTED_NUMBER(found=_found(raw)), None)
    if value.is_zero():
        value = value.copy_abs()  # -0 is 0: a negative zero would print as -0.00
    if not value.is_finite():
        return None, (say.F205_NOT_FINITE(found=_found(raw)), None)
    if value.copy_abs() >= MAX_MAGNITUDE:
        power = MAX_MAGNITUDE.adjusted()
        if value.adjusted() < _PRECISION:
            return None, (say.F205_VALUE_TOO_LARGE(value=arithmetic.plain(value), power=power), None)
        return None, (say.F205_TOO_LARGE(power=power), None)
    if len(value.as_tuple().digits) > MAX_DIGITS or value.as_tuple().exponent < -MAX_DIGITS:  # type: ignore[operator]
        return None, (say.F205_TOO_MANY_DIGITS(digits=MAX_DIGITS), say.F205_ROUND())
    return value, None


def convert(inp: model.Input | model.Column, raw: Any) -> tuple[Any, Problem | None]:
    """One input value: the typed value, or what is wrong with it."""
    kind = inp.type.kind
    value: Any
    if kind == "measure":
        if isinstance(raw, float):
            return None, (say.F204_EXPECTED_AS_WRITTEN(found=_found(raw)), say.F204_WRITE_AS_TEXT())
        if isinstance(raw, str) and len(raw) > 200:
            return None, (say.F205_MEASURE_TOO_LONG(length=len(raw), limit=200), None)
        measure = parse_measure(raw)
        problem_text = doubtful(raw) if isinstance(raw, str) else None
        if problem_text is not None:
            return None, (say.F204_NOT_SCORABLE(value=raw, why=problem_text), say.F204_WRITE_AS_ON_FORM())
        if measure is None:
            return None, (say.F204_EXPECTED_MEASURE(found=_found(raw)), None)
        if measure.number is not None:
            _, problem = _number(measure.number)
            if problem is not None:
                return None, problem
        return measure, None
    if kind == "grade" and inp.type == model.DIRECTION and isinstance(raw, str):
        raw = {"≥": "正向", ">=": "正向", "≤": "反向", "<=": "反向", "=": "等于", "==": "等于"}.get(raw.strip(), raw)
    if kind == "number":
        value, problem = _number(raw)
        if problem is not None:
            if isinstance(raw, str) and problem[1] is None:
                problem = (problem[0], _number_text_hint(inp, raw))
            return None, problem
    elif kind == "percent":
        if not isinstance(raw, str) or not raw.strip().endswith(("%", "％")):
            hint = None
            number = None
            if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
                number = Decimal(raw)
            elif isinstance(raw, float):
                number = Decimal(str(raw))  # as written, not the binary value
            if number is not None and number.is_finite() and number.adjusted() < _PRECISION:
                hint = _percent_hint(inp, number, arithmetic.plain(number) if isinstance(raw, float) else str(raw))
            elif isinstance(raw, str) and _number(raw.strip())[1] is None:
                number = _number(raw.strip())[0]
                assert number is not None
                hint = _percent_hint(inp, number, raw.strip(), text=True)
            return None, (say.F206_EXPECTED_PERCENT(found=_found(raw)), hint)
        number, problem = _number(raw.strip()[:-1].strip())
        if problem is not None or number is None:
            return None, (say.F206_EXPECTED_PERCENT(found=_found(raw)), None)
        value = number.scaleb(-2, decimal_context.CONTEXT)
    elif kind == "count":
        number, problem = _number(raw) if not isinstance(raw, str) else (None, None)
        if problem is not None or number is None or number != number.to_integral_value() or number < 0:
            hint = _number_text_hint(inp, raw) if isinstance(raw, str) else None
            return None, (say.F207_EXPECTED_WHOLE(found=_found(raw)), hint)
        value = int(number)
    elif kind == "bool":
        if isinstance(raw, bool):
            value = raw
        elif raw in ("是", "否", "true", "false"):
            value = raw in ("是", "true")
        else:
            return None, (say.F208_EXPECTED_BOOL(found=_found(raw)), None)
    elif kind == "grade":
        if not isinstance(raw, str) or raw not in inp.type.labels:
            guess = did_you_mean(str(raw), inp.type.labels) if isinstance(raw, str) else None
            labels = inp.type.labels
            help_text = say.F209_DID_YOU_MEAN(guess=guess, labels=labels) if guess else \
                say.F209_THE_GRADES(labels=labels)  # fmt: skip
            return None, (say.F209_EXPECTED_GRADE(labels=labels, found=_found(raw)), help_text)
        value = raw
    else:
        if not isinstance(raw, str):
            return None, (say.F204_EXPECTED_TEXT(found=_found(raw)), say.F204_PUT_IN_QUOTES())
        value = raw
    if inp.low is not None and inp.high is not None and not (inp.low <= value <= inp.high):
        shown = arithmetic.show(value, inp.type, 6, False)
        low = arithmetic.show(inp.low, inp.type, 6, False)
        high = arithmetic.show(inp.high, inp.type, 6, False)
        return None, (say.F210_OUTSIDE_RANGE(value=shown, low=low, high=high), None)
    return value, None


_UNITS = {"元": 0, "千元": 3, "万元": 4, "百万元": 6, "千万元": 7, "亿元": 8, "个": 0, "次": 0, "人": 0, "人次": 0,
          "项": 0, "家": 0, "天": 0, "份": 0}  # fmt: skip
_NUMBER_AND_UNIT = re.compile(r"\s*(-?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?)\s*([^\d\s.,，-]\S*)?\s*")


def _number_text_hint(inp: model.Input | model.Column, raw: str) -> Said | None:
    """Help for a number written as an official would on paper: `"1,620"`, `"1620元"`, `"12"` for a count.

    The digits alone are offered only when that is the same amount: `"1620元"` for an input
    labelled in 万元 is converted (0.162), never passed on as 1620.
    """
    m = _NUMBER_AND_UNIT.fullmatch(raw)
    if m is None:
        return None
    digits, unit = m.group(1).replace(",", "").replace("，", ""), m.group(2)
    if unit is None:
        if inp.type.kind == "count" and raw.strip() == digits:
            return say.WRITE_WITHOUT_QUOTES(digits=digits)
        return say.WRITE_WITHOUT_SEPARATORS(digits=digits)
    declared = re.findall(r"[（(]([^）)]+)[）)]", inp.label or "")
    declared_unit = declared[-1].strip() if declared else None
    if declared_unit is None or declared_unit == unit:
        return say.WRITE_WITHOUT_UNIT(unit=unit, digits=digits)
    if unit in _UNITS and declared_unit in _UNITS and _UNITS[unit] != _UNITS[declared_unit]:
        shift = _UNITS[unit] - _UNITS[declared_unit]
        converted = arithmetic.plain(Decimal(digits).scaleb(shift, decimal_context.CONTEXT))
        return say.WRITE_CONVERTED(name=inp.name, declared=declared_unit, label=inp.label, digits=digits, unit=unit,
                                   converted=converted)
    return say.WRITE_IN_DECLARED_UNIT(declared=declared_unit, name=inp.name, label=inp.label, unit=unit)


def _percent_hint(inp: model.Input | model.Column, number: Decimal, written: str, text: bool = False) -> Said:
    """How to write a percentage given without its `%`, the plausible reading first.

    A bare 0.925 is far more often a fraction (92.5%) than 0.925%; following a help line
    that adds the `%` to it would score 0.925% and silently zero the indicator. So a
    number of at most 1 is offered as a fraction first and as a literal percentage only
    as the alternative, unless the input's declared range admits only the literal one.
    """
    literal = f"{written}%"
    if number.copy_abs() > 1:
        return say.ADD_PERCENT_SIGN(literal=literal) if text else say.WRITE_WITH_PERCENT_SIGN(literal=literal)
    fraction = _as_percent(number)
    readings = [(fraction, number), (literal, number.scaleb(-2, decimal_context.CONTEXT))]
    if inp.low is not None and inp.high is not None:
        low, high = inp.low, inp.high
        readings.sort(key=lambda reading: not low <= reading[1] <= high)  # stable: the fraction first on a tie
    if readings[0][0] == fraction:
        return say.FRACTION_FIRST(written=written, fraction=fraction, literal=literal)
    return say.LITERAL_FIRST(literal=literal, written=written, fraction=fraction)


def _as_percent(raw: Any) -> str:
    try:
        return arithmetic.plain(Decimal(str(raw)) * 100) + "%"
    except (InvalidOperation, ValueError):  # pragma: no cover
        return "..."


def _points(raw: Any) -> Decimal | None:
    value, problem = _number(raw)
    return value if problem is None else None


@attrs.frozen
class JudgedLeaves:
    """A ruleset's leaves as judged points are checked against them (made once per ruleset)."""

    judged: tuple[model.Indicator, ...]  # the `judged` leaves, in file order
    judged_paths: frozenset[str]
    leaf_paths: frozenset[str]

    @classmethod
    def of(cls, ruleset: model.CheckedRuleset) -> JudgedLeaves:
        leaves = ruleset.leaves()
        # `judged from COLUMN` reads the row (rows.py), not [judged]
        judged = tuple(leaf for leaf in leaves
                       if leaf.rule is not None and leaf.rule.kind == "judged" and leaf.rule.expr is None)
        return cls(judged, frozenset(leaf.path for leaf in judged), frozenset(leaf.path for leaf in leaves))


def judged_points(leaves: JudgedLeaves, table: Mapping[str, Any]) -> tuple[Judged, ...] | None:
    """The [judged] table of a facts-shaped mapping, checked as `validate` does; None at the first
    problem (the caller then runs `validate`, which reports it with everything else)."""
    problems: list[Any] = []
    judged = _judged(leaves, Facts({}, judged=table), lambda *problem, **_: problems.append(problem))
    return None if problems else judged


def _judged(known: JudgedLeaves, facts: Facts, error: Any) -> tuple[Judged, ...]:
    leaves, judged_paths = known.judged, known.judged_paths
    for key in facts.judged:
        if key not in judged_paths:
            if key in known.leaf_paths:
                error("judged", key, say.F211_NOT_JUDGED(path=key), say.F211_USE_OVERRIDE())
            else:
                guess = did_you_mean(str(key), [leaf.path for leaf in leaves])  # file order: a stable guess
                error("judged", key, say.F212_UNKNOWN_INDICATOR(path=key),
                      say.DID_YOU_MEAN(guess=guess) if guess else say.F212_FULL_PATH())
    out: list[Judged] = []
    for leaf in leaves:
        assert leaf.rule is not None
        entry = facts.judged.get(leaf.path)
        if entry is None:
            bands = leaf.rule.bands
            weight = arithmetic.plain(leaf.weight)
            form = say.F213_FORM_BANDS(path=leaf.path, bands=tuple(b.label for b in bands)) if bands else \
                say.F213_FORM_POINTS(path=leaf.path, weight=weight)  # fmt: skip
            error("judged", leaf.path, say.F213_NO_POINTS(path=leaf.path, weight=weight),
                  say.F213_ADD_UNDER_JUDGED(form=form))
            out.append(Judged(Decimal(0), None, None))
            continue
        band_label = because = None
        raw_points: Any = entry
        if isinstance(entry, Mapping):
            raw_points = entry.get("points")
            band_label = entry.get("band")
            because = entry.get("because")
            for extra in entry:
                if extra not in ("points", "band", "because"):
                    error("judged", leaf.path, say.F214_UNKNOWN_FIELD(path=leaf.path, field=extra),
                          say.F214_THE_FIELDS())
        points = _points(raw_points)
        if points is None:
            error("judged", leaf.path, say.F215_NOT_A_NUMBER(path=leaf.path, found=_found(raw_points)))
            out.append(Judged(Decimal(0), None, None))
            continue
        if not Decimal(0) <= points <= leaf.weight:
            error("judged", leaf.path, say.F216_OUTSIDE_WEIGHT(path=leaf.path, points=arithmetic.plain(points),
                                                               weight=arithmetic.plain(leaf.weight)))
        if leaf.rule.bands:
            labels = [b.label for b in leaf.rule.bands]
            band = next((b for b in leaf.rule.bands if b.label == band_label), None)
            if band_label is None:
                fits = next((b.label for b in leaf.rule.bands if b.contains(points)), labels[0])
                error("judged", leaf.path, say.F217_NEEDS_BAND(path=leaf.path),
                      say.F217_WRITE_BAND(path=leaf.path, points=arithmetic.plain(points), band=fits,
                                          bands=tuple(labels)))
            elif band is None:
                error("judged", leaf.path, say.F218_UNKNOWN_BAND(path=leaf.path, band=band_label),
                      say.F305_THE_BANDS(bands=tuple(labels)))
            elif not band.contains(points):
                error("judged", leaf.path, say.F219_OUTSIDE_BAND(path=leaf.path, points=arithmetic.plain(points),
                                                                 band=band.label, bounds=_band_points(band)),
                      say.CHOOSE_POINTS_IN_BAND())
        if because is not None and not isinstance(because, str):
            error("judged", leaf.path, say.F214_BECAUSE_TEXT(path=leaf.path))
            because = None
        out.append(Judged(points, band_label if isinstance(band_label, str) else None, because))
    return tuple(out)


def _band_points(band: model.Band) -> str:
    left = "[" if band.low_closed else "("
    right = "]" if band.high_closed else ")"
    return f"{left}{arithmetic.plain(band.low)}, {arithmetic.plain(band.high)}{right}"


def _overrides(ruleset: model.CheckedRuleset, facts: Facts, error: Any) -> tuple[Override | None, ...] | None:
    if not facts.override:
        return None
    leaves = ruleset.leaves()
    by_path = {leaf.path: k for k, leaf in enumerate(leaves)}
    out: list[Override | None] = [None] * len(leaves)
    for key, entry in facts.override.items():
        if key not in by_path:
            guess = did_you_mean(str(key), list(by_path))
            group = ruleset.find(str(key))
            if group:
                error("override", key, say.F220_NOT_A_LEAF(path=key), say.F220_OVERRIDE_LEAVES())
            else:
                error("override", key, say.F220_UNKNOWN_INDICATOR(path=key),
                      say.DID_YOU_MEAN(guess=guess) if guess else say.F220_FULL_PATH_OF_LEAF())
            continue
        if not isinstance(entry, Mapping):
            error("override", key, say.F221_EXPECTED_TABLE(path=key, found=_found(entry)))
            continue
        leaf = leaves[by_path[key]]
        points = _points(entry.get("points"))
        because = entry.get("because")
        if points is None:
            error("override", key, say.F221_NOT_A_NUMBER(path=key, found=_found(entry.get("points"))))
        elif not Decimal(0) <= points <= leaf.weight:
            error("override", key, say.F222_OUTSIDE_WEIGHT(path=key, points=arithmetic.plain(points),
                                                           weight=arithmetic.plain(leaf.weight)))
        if not isinstance(because, str) or not because.strip():
            error("override", key, say.F223_NO_REASON(path=key), say.F223_ADD_BECAUSE())
        if points is not None and isinstance(because, str):
            out[by_path[key]] = Override(arithmetic.round_half_up(points, ruleset.precision), because)
    return tuple(out)


def _bytes_diagnostic(name: str, data: bytes | str, exc: UnicodeDecodeError) -> Any:
    from perfrules.diagnostics import Diagnostic

    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return Diagnostic(say.F101_NOT_UTF8(byte=raw[exc.start]), None, help=say.F101_SAVE_AS_UTF8(),
                      where=f"{name}:{line}:{column}")
