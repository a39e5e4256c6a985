"""Cases files (`*.cases.toml`) read into `CasesFile`s: hand-computed cases for `perfrules test`.

A cases file names a rule file and lists cases (facts in, expected results out),
plus optional declared intentions for `--properties` (tools/intentions.py); tools/testrun.py
runs them. The format is described in
docs/cases.md. Expected values are written by people: there is no switch that
rewrites them from the engine's output.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.decimal_context import parse_decimal
from perfrules.diagnostics import Collector, Diagnostic, PerfrulesError, did_you_mean
from perfrules.files import MAX_CASES_BYTES, TooLarge, read_limited
from perfrules.inputs.facts_file import load_facts
from perfrules.source import Source, Span
from perfrules.tools.intentions import INTENTION_KEYS, Intention, exact_number

SUFFIX = ".cases.toml"
TOP_KEYS = ("rules", "case", "intention")
CASE_KEYS = ("name", "facts", "judged", "override", "meta", "expect")
EXPECT_KEYS = ("total", "rating", "error", "lost_paths", "veto", "points", "lost")


class CasesError(PerfrulesError):
    """A cases file that cannot be run: bad TOML, unknown keys, wrong value types."""


@attrs.frozen
class Expect:
    """What a case expects; None means 'not checked'."""

    total: Decimal | None = None
    rating: str | None = None
    error: str | None = None
    lost_paths: tuple[str, ...] | None = None
    veto: bool | str | None = None
    points: Mapping[str, Decimal] = attrs.field(factory=dict)
    lost: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


@attrs.frozen
class Case:
    """One case: its facts (a facts-file-shaped mapping) and what it expects."""

    name: str
    facts: Mapping[str, Any]
    expect: Expect
    line: int
    span: Span = attrs.field(eq=False, repr=False)


@attrs.frozen
class CasesFile:
    """A parsed cases file: the rule file it names, its cases and declared intentions."""

    path: Path
    rules: Path
    rules_span: Span = attrs.field(eq=False, repr=False)
    cases: tuple[Case, ...] = ()
    intentions: tuple[Intention, ...] = ()
    intention_spans: tuple[Mapping[str | None, Span], ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class CaseResult:
    case: Case
    differences: tuple[str, ...]
    result: Any = attrs.field(default=None, eq=False, repr=False)  # the Result, when the case evaluated

    @property
    def passed(self) -> bool:
        return not self.differences


# ---- finding where a key sits, for messages ------------------------------------------------


def _header(line: str) -> tuple[bool, str] | None:
    """(is it `[[...]]`, the name inside) for a table header line; None for any other line.
    By hand, not by a regex: `[` and thousands of spaces made the regex take seconds (issue 16)."""
    stripped = line.strip()
    close = stripped.find("]")
    if not stripped.startswith("[") or close < 0:
        return None
    double = stripped.startswith("[[")
    inner = stripped[2 if double else 1 : close].strip()
    return (double, inner) if inner else None


class _Locator:
    """Finds the line of a table or key in cases TOML (tomllib keeps no positions)."""

    # Compiled by re on first use: its \u0080-\uffff class costs ~4 ms to compile (see
    # inputs.facts_file.Locator._KEY).
    KEY = r'^\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_\-\u0080-\uffff]+)\s*='

    def __init__(self, source: Source):
        self.source = source
        self.entries: list[tuple[tuple[Any, ...], str | None, int, int]] = []  # (table, key, start, end)
        counters: dict[str, int] = {}
        table: tuple[Any, ...] = ()
        offset = 0
        for line in source.text.split("\n"):
            header = _header(line)
            if header is not None:
                double, inner = header
                parts = [p.strip().strip('"') for p in inner.split(".")]
                if double:
                    counters[parts[0]] = counters.get(parts[0], -1) + 1
                    table = (parts[0], counters[parts[0]])
                elif parts and parts[0] in counters and len(parts) > 1:
                    table = (parts[0], counters[parts[0]], *parts[1:])
                else:
                    table = tuple(parts)
                start = offset + line.index("[")
                self.entries.append((table, None, start, offset + len(line.rstrip())))
            else:
                key = re.match(self.KEY, line)
                if key:
                    name = key.group(1)
                    if name[0] in "\"'":
                        name = name[1:-1]
                    self.entries.append((table, name, offset + key.start(1), offset + key.end(1)))
            offset += len(line) + 1

    def span(self, table: tuple[Any, ...], key: str | None = None) -> Span:
        """The key in the table, else the table's header, else the start of the file."""
        for want in ((table, key), (table, None), (table[:2], None)):
            for t, k, start, end in self.entries:
                if t == want[0] and k == want[1]:
                    return Span(self.source, start, end)
        return Span(self.source, 0, 0)


# ---- reading a cases file ------------------------------------------------------------------


# What a cases file may name: a rule file, and facts files (it never reads other kinds of file,
# whose lines an error would otherwise show).
RULES_SUFFIXES = (".rules",)
FACTS_SUFFIXES = (".toml", ".json")


def load_cases(path: str | Path, within: Path | None = None, outside_allowed: bool = False) -> CasesFile:
    """Read and check a cases file; raise CasesError listing every problem at once.

    The rule and facts files it names are relative to it and must lie in the folder `within`
    (the tree being tested; by default the cases file's own folder), unless `outside_allowed`.
    """
    path = Path(path)
    try:
        source = Source.from_bytes(str(path), read_limited(path, MAX_CASES_BYTES))
    except TooLarge:
        raise CasesError([Diagnostic(say.C100_TOO_LARGE(limit=MAX_CASES_BYTES), None, help=say.C100_SPLIT(),
                                     where=f"{path}:1:1")]) from None
    except UnicodeDecodeError as exc:
        raise CasesError([Diagnostic(say.C100_NOT_UTF8(byte=exc.start), None, help=say.C100_SAVE_AS_UTF8(),
                                     where=f"{path}:1:1")]) from None
    return parse_cases(source, path, within, outside_allowed)


def parse_cases(source: Source, path: Path, within: Path | None = None, outside_allowed: bool = False) -> CasesFile:
    """Parse cases TOML text; `path` anchors the relative rule and facts file names, which must
    lie in the folder `within` (see `load_cases`)."""
    tree = None if outside_allowed else Path(path).parent if within is None else Path(within)
    errors = Collector()
    try:
        data = tomllib.loads(source.text, parse_float=parse_decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        offset = source.offset_of_line(int(match.group(1))) + int(match.group(2)) - 1 if match else 0
        text = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "invalid TOML"
        errors.error(say.C101_NOT_TOML(detail=text[0].lower() + text[1:]), Span(source, offset, offset + 1),
                     help=say.C101_ONE_KEY_PER_LINE())
        raise CasesError(errors.items) from None
    except (ValueError, RecursionError) as exc:
        # a number of more than 4300 digits, or nesting Python cannot read
        errors.error(say.C101_PYTHON_CANNOT_READ(error=type(exc).__name__), Span(source, 0, 0),
                     help=say.C101_AT_MOST_30_DIGITS())
        raise CasesError(errors.items) from None
    locate = _Locator(source)
    base = path.parent

    def error(table: tuple[Any, ...], key: str | None, message: Said, help: Said | None = None,
              code: str | None = None) -> None:
        # most of these messages say what is wanted (「`total` must be a number like "97.21"」); where no help
        # says more, docs/cases.md shows the whole form
        errors.error(message, locate.span(table, key), help=help or say.C200_SEE_CASES_MD(), code=code)

    def refused(table: tuple[Any, ...], key: str, name: str, suffixes: tuple[str, ...]) -> bool:
        """Is the file `name` one this cases file may not read (outside the tree, or not a rule or facts file)?"""
        target = base / name
        if tree is not None and not _inside(target, tree):
            error(table, key, say.C206_OUTSIDE_TREE(key=key, tree=str(tree)), help=say.C206_KEEP_INSIDE(tree=str(tree)))
            return True
        if target.suffix.lower() not in suffixes:
            error(table, key, say.C207_WRONG_KIND(key=key, suffixes=" or ".join(suffixes), name=target.name),
                  help=say.C207_ONLY_RULES_AND_FACTS())
            return True
        return False

    def unknown(table: tuple[Any, ...], keys: Iterable[str], allowed: Sequence[str], what: Said) -> None:
        for key in keys:
            if key not in allowed:
                guess = did_you_mean(str(key), allowed)
                error(table, str(key), say.C201_UNKNOWN_KEY(key=key, what=what),
                      say.DID_YOU_MEAN(guess=guess) if guess else say.C201_THE_KEYS(keys=tuple(allowed)))

    unknown((), data, TOP_KEYS, say.IN_CASES_FILE())
    rules_name = data.get("rules")
    rules_span = locate.span((), "rules")
    if not isinstance(rules_name, str):
        error((), "rules", say.C202_NO_RULES() if rules_name is None else say.C202_RULES_NOT_TEXT(),
              help=say.C202_ADD_RULES())
        rules_name = ""
    elif refused((), "rules", rules_name, RULES_SUFFIXES):
        rules_name = ""
    rules = base / rules_name
    raw_cases = data.get("case", [])
    if not isinstance(raw_cases, list) or not all(isinstance(c, dict) for c in raw_cases):
        error((), "case", say.C203_CASE_TABLES())
        raw_cases = []
    if not raw_cases and "intention" not in data:
        error((), None, say.C204_NO_CASE(), help=say.C204_ADD_CASE())
    cases = [c for k, raw in enumerate(raw_cases)
             if (c := _case(raw, k, base, locate, error, unknown, refused)) is not None]
    intentions = _intentions(data.get("intention", []), locate, error, unknown)
    if errors:
        problems = CasesError(errors.items)
        problems.chinese = _written_in_chinese(rules) if rules_name else None  # its rules' language, as its cases'
        raise problems
    return CasesFile(
        path, rules, rules_span, tuple(cases), tuple(i for i, _ in intentions), tuple(span for _, span in intentions)
    )


def _written_in_chinese(rules: Path) -> bool | None:
    """Whether a rule file (one the cases file may read) is written in Chinese; None if it cannot be told."""
    from perfrules.engine import load

    if not rules.is_file():
        return None
    try:
        return load(rules).model.chinese_keywords
    except PerfrulesError as exc:
        return exc.chinese
    except (OSError, ValueError):
        return None


def _inside(target: Path, tree: Path) -> bool:
    """Is `target`, links followed, in the folder `tree` or below it?"""
    return target.resolve().is_relative_to(tree.resolve())


def _case(raw: Mapping[str, Any], k: int, base: Path, locate: _Locator, error: Any, unknown: Any,
          refused: Any) -> Case | None:  # fmt: skip
    here = ("case", k)
    span = locate.span(here)
    ok = True
    unknown(here, raw, CASE_KEYS, say.IN_CASE())
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        error(here, "name", say.C210_NO_NAME(), say.C210_ADD_NAME())
        name = f"case {k + 1}"
        ok = False
    facts: dict[str, Any] = {}
    source = raw.get("facts")
    if isinstance(source, str):
        facts_path = base / source
        if refused(here, "facts", source, FACTS_SUFFIXES):
            ok = False
        elif not facts_path.is_file():
            error(here, "facts", say.C211_NO_FACTS_FILE(name=source, path=facts_path))
            ok = False
        else:
            try:
                loaded = load_facts(facts_path)
            except PerfrulesError as exc:
                for d in exc.diagnostics:
                    error(here, "facts", say.C211_IN_FACTS_FILE(path=facts_path, problem=d.said), code=d.code)
                ok = False
            else:
                facts = {
                    "facts": dict(loaded.facts),
                    "meta": dict(loaded.meta),
                    "judged": dict(loaded.judged),
                    "override": dict(loaded.override),
                }
                for table in loaded.extra_tables:
                    error(here, "facts", say.C212_UNKNOWN_TABLE(name=source, table=table))
                    ok = False
    elif isinstance(source, dict):
        facts = {"facts": dict(source)}
    elif source is None:
        error(here, None, say.C213_NO_FACTS(name=name), say.C213_ADD_FACTS())
        ok = False
    else:
        error(here, "facts", say.C213_FACTS_FORM())
        ok = False
    for table in ("judged", "override", "meta"):
        value = raw.get(table)
        if value is None:
            continue
        if not isinstance(value, dict):
            error(here, table, say.C214_NOT_A_TABLE(key=table))
            ok = False
            continue
        # inline tables add to (and replace keys of) the facts file's tables
        facts[table] = {**facts.get(table, {}), **value}
    expect = _expect(raw.get("expect"), here, locate, error, unknown)
    if expect is None or not ok:
        return None
    return Case(name, facts, expect, span.line, span)


def _expect(raw: Any, here: tuple[Any, ...], locate: _Locator, error: Any, unknown: Any) -> Expect | None:
    at = (*here, "expect")
    if not isinstance(raw, dict) or not raw:
        error(here, None, say.C220_EXPECTS_NOTHING(), say.C220_ADD_EXPECT())
        return None
    unknown(at, raw, EXPECT_KEYS, say.IN_EXPECT())
    ok = True
    total = None
    if "total" in raw:
        total = exact_number(raw["total"])
        if total is None:
            error(at, "total", say.C221_TOTAL(found=repr(raw["total"])))
            ok = False
    strings: dict[str, str | None] = {}
    for key in ("rating", "error"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            error(at, key, say.C222_TEXT(key=key))
            ok = False
            value = None
        strings[key] = value
    veto = raw.get("veto")
    if veto is not None and not isinstance(veto, (bool, str)):
        error(at, "veto", say.C222_VETO())
        ok = False
    lost_paths = raw.get("lost_paths")
    if lost_paths is not None and (not isinstance(lost_paths, list) or not all(isinstance(p, str) for p in lost_paths)):
        error(at, "lost_paths", say.C223_LOST_PATHS())
        ok = False
    points: dict[str, Decimal] = {}
    raw_points = raw.get("points", {})
    if not isinstance(raw_points, dict):
        error(at, "points", say.C224_POINTS_TABLE())
        ok, raw_points = False, {}
    for path, value in raw_points.items():
        number = exact_number(value)
        if number is None:
            error((*at, "points"), path, say.C224_POINTS_NUMBER(path=path))
            ok = False
        else:
            points[path] = number
    lost: dict[str, tuple[str, ...]] = {}
    raw_lost = raw.get("lost", {})
    if not isinstance(raw_lost, dict):
        error(at, "lost", say.C225_LOST_TABLE())
        ok, raw_lost = False, {}
    for path, value in raw_lost.items():
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            error((*at, "lost"), path, say.C225_LOST_TEXTS(path=path))
            ok = False
        else:
            lost[path] = tuple(value)
    if strings["error"] is not None:
        others = [k for k in raw if k != "error"]
        if others:
            error(at, "error", say.C226_ERROR_AND_MORE(others=tuple(others)), say.C226_SPLIT())
            ok = False
    if not ok:
        return None
    return Expect(
        total,
        strings["rating"],
        strings["error"],
        tuple(lost_paths) if lost_paths is not None else None,
        veto,
        points,
        lost,
    )


def _intentions(raw: Any, locate: _Locator, error: Any, unknown: Any) -> list[tuple[Intention, dict[str | None, Span]]]:
    if not raw:
        return []
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        error((), "intention", say.C230_INTENTION_TABLES())
        return []
    out = []
    for k, item in enumerate(raw):
        here = ("intention", k)
        unknown(here, item, INTENTION_KEYS, say.IN_INTENTION())
        points = item.get("points")
        number = exact_number(points) if points is not None else None
        if points is not None and number is None:
            error(here, "points", say.C231_POINTS())
        within = item.get("within", {})
        if not isinstance(within, dict) or not all(isinstance(v, list) and len(v) == 2 for v in within.values()):
            error(here, "within", say.C231_WITHIN())
            within = {}
        when = item.get("when", {})
        if not isinstance(when, dict):
            error(here, "when", say.C231_WHEN())
            when = {}
        for key in ("kind", "path", "input", "direction", "name"):
            if key in item and not isinstance(item[key], str):
                error(here, key, say.C231_TEXT(key=key))
        kind = item.get("kind")
        if kind is None:
            error(here, None, say.C232_NO_KIND(), say.C232_THE_KINDS())
        span = locate.span(here)
        spans = {key: locate.span(here, key) for key in (None, *INTENTION_KEYS)}
        intention = Intention(
            kind=kind if isinstance(kind, str) else "",  # type: ignore[arg-type]  # checked by keyed_problems
            name=item.get("name"),
            path=item.get("path"),
            input=item.get("input"),
            direction=item.get("direction", "up"),
            when=dict(when),
            points=number,
            where=f"{span.source.name}:{span.line}",
            within={k: tuple(v) for k, v in within.items()},
        )
        out.append((intention, spans))
    return out
