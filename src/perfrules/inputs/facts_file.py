"""A facts file read: TOML or JSON text (or a mapping shaped like one) -> `Facts`, not yet checked.

What cannot be read at all (not UTF-8, not TOML, a key twice) is a FactsError here, with its
line and column; whether the values fit the ruleset is facts.py's job. `Locator` finds where a
key is written, so that facts.py can name the line of every problem it finds.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from perfrules import records
from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.decimal_context import parse_decimal
from perfrules.diagnostics import Collector, FactsError
from perfrules.inputs.json_places import JsonSource
from perfrules.source import Source, Span

TABLES = ("meta", "facts", "judged", "override")


@records.record
class Facts:
    """A facts file or mapping, not yet checked against a ruleset."""

    facts: Mapping[str, Any]
    meta: Mapping[str, Any] = records.field(factory=dict)
    judged: Mapping[str, Any] = records.field(factory=dict)
    override: Mapping[str, Any] = records.field(factory=dict)
    source: Source | None = records.field(default=None, eq=False, repr=False)
    extra_tables: tuple[str, ...] = ()
    loose_keys: tuple[str, ...] = ()  # keys above any [table] header


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
        table = json.loads(text, parse_float=parse_decimal, object_pairs_hook=unique_keys)
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
    # problems are placed by where the JSON writes each key and row (json_places.py)
    shaped = any(isinstance(table.get(name), Mapping) for name in TABLES)
    return records.evolve(facts, source=JsonSource(name, text, shaped=shaped))


def parse_facts(data: bytes | str, name: str = "<facts>") -> Facts:
    """Parse facts TOML text."""
    try:
        source = Source.from_bytes(name, data) if isinstance(data, bytes) else Source(name, data)
    except UnicodeDecodeError as exc:
        raise FactsError([_bytes_diagnostic(name, data, exc)]) from None
    try:
        table = tomllib.loads(source.text, parse_float=parse_decimal)
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


class Locator:
    """Finds where a key sits in facts TOML text, for messages.

    The text is read once, into an index of keys and table headers, on the first question:
    a file with thousands of problems costs one pass, not one per problem (issue 16).
    """

    # A pattern, not a compiled one: re compiles it (and caches it) on the first message that
    # needs a place. Its \u0080-\uffff class costs re ~4 ms to compile, which every `eval` paid
    # at import (issue 15, start-up).
    _KEY = r'\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_\-\u0080-\uffff.]+)\s*='

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
                start = offset + line.index("[")
                self._headers.setdefault(table, start)
                path = _header_path(line)
                if len(path) == 2:
                    # `[facts."绩效指标"]`: a table under [facts] is written on its own header line,
                    # which is where a message about that input points (not at [facts])
                    end = offset + line.rindex("]") + 1
                    keys.setdefault((path[0], path[1]), (start, end))
            else:
                m = re.match(self._KEY, line)
                if m:
                    keys.setdefault((current, m.group(1).strip('"')), (offset + m.start(1), offset + m.end(1)))
            offset += len(line) + 1
        return keys

    def has_header(self, table: str) -> bool:
        """Whether a `[table]` or `[[table]]` line opens that table in the text (in JSON: whether
        the top-level key holds a list of rows)."""
        if self.source is None:
            return False
        if isinstance(self.source, JsonSource):
            return (table,) in self.source.places()[1]
        if self._keys is None:
            self._keys = self._index()
        return table in self._headers

    def key(self, table: str, key: str) -> tuple[Span | None, str]:
        where = f"[{table}] {key}" if key else f"[{table}]"
        if self.source is None:
            return None, f"facts[{key!r}]" if table == "facts" else f"{table}[{key!r}]"
        if isinstance(self.source, JsonSource):
            places = self.source.places()[0]
            path = self.source.path(table, key) if key else self.source.path(table)
            place = places.get(path) or places.get(self.source.path(table)) or (0, 0)
            return Span(self.source, *place), where
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


# Compiled by re on first use, as Locator._KEY is.
_HEADER_PART = r'\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_\-\u0080-\uffff]+)\s*(\.|$)'


def _header_path(line: str) -> tuple[str, ...]:
    """The dotted names of a `[a."b"]` or `[[a."b"]]` header line, unquoted; () if not read."""
    stripped = line.strip()
    close = stripped.find("]")
    inner = stripped[1:close].lstrip("[") if stripped.startswith("[") and close > 0 else ""
    parts: list[str] = []
    at = 0
    while at < len(inner):
        match = re.compile(_HEADER_PART).match(inner, at)
        if match is None:
            return ()
        parts.append(match.group(1)[1:-1] if match.group(1)[0] in "\"'" else match.group(1))
        at = match.end()
    return tuple(parts)


def key_span(source: Source | None, table: str, key: str) -> tuple[Span | None, str]:
    """Where `key` of `[table]` is written in a facts file (for messages), and how to name it."""
    return Locator(source).key(table, key)


def row_span(source: Source | None, table: str, number: int, column: str | None = None) -> Span | None:
    """Where row `number` of a rows input (its `[[facts."T"]]` header, or its `column` key) is written."""
    if source is None:
        return None
    if isinstance(source, JsonSource):
        places = source.places()[0]
        place = (places.get(source.path("facts", table, number, column)) if column is not None else None) \
            or places.get(source.path("facts", table, number))  # fmt: skip
        return Span(source, *place) if place is not None else None
    name = rf'(?:"{re.escape(table)}"|{re.escape(table)})'
    headers = list(re.finditer(rf"^[ \t]*\[\[[ \t]*facts[ \t]*\.[ \t]*{name}[ \t]*\]\]", source.text, re.M))
    if not headers:
        return _inline_row_span(source, name, number, column)
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


def _inline_row_span(source: Source, name: str, number: int, column: str | None) -> Span | None:
    """Where row `number` is written in rows given inline, `T = [{ k = "a", … }, { … }]`: its `{`, or its
    `column` key inside it."""
    key = re.search(rf"^[ \t]*{name}[ \t]*=[ \t]*\[", source.text, re.M)
    if key is None:
        return None
    text, depth, quote, rows = source.text, 1, "", 0
    at = key.end()
    while at < len(text) and depth > 0:
        char = text[at]
        if quote:  # inside a string: only its closing quote (not an escaped one) matters
            if char == "\\" and quote == '"':
                at += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            newline = text.find("\n", at)
            at = len(text) if newline < 0 else newline
            continue
        elif char in "[{":
            depth += 1
            if char == "{" and depth == 2:
                rows += 1
                if rows == number:
                    return _key_in_inline_table(source, at, column)
        elif char in "]}":
            depth -= 1
        at += 1
    return None


def _key_in_inline_table(source: Source, start: int, column: str | None) -> Span:
    """The `column` key of the inline table opening at `start` (its `{` when it has none, or none is asked)."""
    if column is not None:
        end = source.text.find("}", start)
        found = re.compile(rf'[{{,][ \t]*((?:"{re.escape(column)}"|{re.escape(column)}))[ \t]*=').search(
            source.text, start, end if end >= 0 else len(source.text))
        if found is not None:
            return Span(source, found.start(1), found.end(1))
    return Span(source, start, start + 1)


def _toml_help(line: str) -> Said:
    """What most likely went wrong on a line TOML could not read, in an official's terms."""
    header = _quoted_header(line)
    if header is not None:
        if header.startswith('[["') and header.count('"') == 2:  # one name, quoted
            # `[[绩效指标]]`: quoting it alone gives a table outside [facts] (F201); its rows go under facts
            return say.F100_ROWS_UNDER_FACTS(header="[[facts." + header[2:])
        return say.F100_QUOTE_CHINESE_TABLE(header=header)
    key = line.split("=", 1)[0].strip()
    if "=" in line and key and not key.startswith(('"', "'", "[")) and not key.isascii():
        return say.F100_QUOTE_CHINESE_KEYS(key=key)
    if any(q in line for q in "“”‘’"):
        return say.F100_STRAIGHT_QUOTES()
    return say.F100_ONE_KEY_PER_LINE()


def _quoted_header(line: str) -> str | None:
    """`[[facts.绩效指标]]` as TOML 1.0 reads it, `[[facts."绩效指标"]]`; None if it needs no quotes."""
    match = re.fullmatch(r"\s*(\[\[?)([^\]\"']+)(\]\]?)\s*(#.*)?", line)
    if match is None or match.group(2).isascii():
        return None
    parts = [part.strip() for part in match.group(2).split(".")]
    quoted = ".".join(part if part.isascii() else f'"{part}"' for part in parts)
    return f"{match.group(1)}{quoted}{match.group(3)}"


def _bytes_diagnostic(name: str, data: bytes | str, exc: UnicodeDecodeError) -> Any:
    from perfrules.diagnostics import Diagnostic

    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return Diagnostic(say.F101_NOT_UTF8(byte=raw[exc.start]), None, help=say.F101_SAVE_AS_UTF8(),
                      where=f"{name}:{line}:{column}")
