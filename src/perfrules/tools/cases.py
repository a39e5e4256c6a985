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

from perfrules.diagnostics import Collector, Diagnostic, PerfrulesError, did_you_mean
from perfrules.files import MAX_CASES_BYTES, TooLarge, read_limited
from perfrules.inputs.facts import load_facts
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

    KEY = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_\-\u0080-\uffff]+)\s*=')

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
                key = self.KEY.match(line)
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


def load_cases(path: str | Path) -> CasesFile:
    """Read and check a cases file; raise CasesError listing every problem at once."""
    path = Path(path)
    try:
        source = Source.from_bytes(str(path), read_limited(path, MAX_CASES_BYTES))
    except TooLarge:
        raise CasesError([Diagnostic("C100", f"this cases file is larger than the limit of {MAX_CASES_BYTES:,} "
                                     "bytes", None, help="split the cases into several files",
                                     where=f"{path}:1:1")]) from None
    except UnicodeDecodeError as exc:
        raise CasesError(
            [
                Diagnostic(
                    "C100",
                    f"this cases file is not UTF-8 text (byte {exc.start})",
                    None,
                    help="save the file as UTF-8",
                    where=f"{path}:1:1",
                )
            ]
        ) from None
    return parse_cases(source, path)


def parse_cases(source: Source, path: Path) -> CasesFile:
    """Parse cases TOML text; `path` anchors the relative rule and facts file names."""
    errors = Collector()
    try:
        data = tomllib.loads(source.text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        offset = source.offset_of_line(int(match.group(1))) + int(match.group(2)) - 1 if match else 0
        text = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "invalid TOML"
        errors.error(
            "C101",
            f"this cases file is not valid TOML: {text[0].lower() + text[1:]}",
            Span(source, offset, offset + 1),
            help="write one `key = value` per line; texts in quotes",
        )
        raise CasesError(errors.items) from None
    except (ValueError, RecursionError) as exc:
        # a number of more than 4300 digits, or nesting Python cannot read
        errors.error("C101", f"this cases file holds a value Python cannot read ({type(exc).__name__})",
                     Span(source, 0, 0), help="numbers have at most 30 digits")
        raise CasesError(errors.items) from None
    locate = _Locator(source)
    base = path.parent

    def error(table: tuple[Any, ...], key: str | None, code: str, message: str, help: str | None = None) -> None:
        errors.error(code, message, locate.span(table, key), help=help)

    def unknown(table: tuple[Any, ...], keys: Iterable[str], allowed: Sequence[str], what: str) -> None:
        for key in keys:
            if key not in allowed:
                guess = did_you_mean(str(key), allowed)
                error(
                    table,
                    str(key),
                    "C201",
                    f"unknown key `{key}` in {what}",
                    f"did you mean `{guess}`?" if guess else "the keys are " + ", ".join(allowed),
                )

    unknown((), data, TOP_KEYS, "the cases file")
    rules_name = data.get("rules")
    rules_span = locate.span((), "rules")
    if not isinstance(rules_name, str):
        error(
            (),
            "rules",
            "C202",
            'the cases file needs `rules = "FILE.rules"`, the rule file it tests'
            if rules_name is None
            else "`rules` must be a file name in quotes",
            help='add `rules = "NAME.rules"` at the top (relative to this file)',
        )
        rules_name = ""
    rules = base / rules_name
    raw_cases = data.get("case", [])
    if not isinstance(raw_cases, list) or not all(isinstance(c, dict) for c in raw_cases):
        error((), "case", "C203", "`case` must be written as `[[case]]` tables")
        raw_cases = []
    if not raw_cases and "intention" not in data:
        error(
            (),
            None,
            "C204",
            "this cases file has no `[[case]]`",
            help="add a `[[case]]` with facts and `[case.expect]`",
        )
    cases = [c for k, raw in enumerate(raw_cases) if (c := _case(raw, k, base, locate, error, unknown)) is not None]
    intentions = _intentions(data.get("intention", []), locate, error, unknown)
    errors.raise_if_any(CasesError)
    return CasesFile(
        path, rules, rules_span, tuple(cases), tuple(i for i, _ in intentions), tuple(span for _, span in intentions)
    )


def _case(raw: Mapping[str, Any], k: int, base: Path, locate: _Locator, error: Any, unknown: Any) -> Case | None:
    here = ("case", k)
    span = locate.span(here)
    ok = True
    unknown(here, raw, CASE_KEYS, "a `[[case]]`")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        error(here, "name", "C210", "every case needs a `name`", 'add `name = "what this case shows"`')
        name = f"case {k + 1}"
        ok = False
    facts: dict[str, Any] = {}
    source = raw.get("facts")
    if isinstance(source, str):
        facts_path = base / source
        if not facts_path.is_file():
            error(here, "facts", "C211", f"facts file `{source}` not found (looked for {facts_path})")
            ok = False
        else:
            try:
                loaded = load_facts(facts_path)
            except PerfrulesError as exc:
                for d in exc.diagnostics:
                    error(here, "facts", d.code, f"in {facts_path}: {d.message}")
                ok = False
            else:
                facts = {
                    "facts": dict(loaded.facts),
                    "meta": dict(loaded.meta),
                    "judged": dict(loaded.judged),
                    "override": dict(loaded.override),
                }
                for table in loaded.extra_tables:
                    error(here, "facts", "C212", f"facts file `{source}` has an unknown table `[{table}]`")
                    ok = False
    elif isinstance(source, dict):
        facts = {"facts": dict(source)}
    elif source is None:
        error(
            here,
            None,
            "C213",
            f"case `{name}` has no facts",
            'add `facts = "FILE.facts.toml"` or a `[case.facts]` table',
        )
        ok = False
    else:
        error(here, "facts", "C213", "`facts` must be a file name in quotes or a `[case.facts]` table")
        ok = False
    for table in ("judged", "override", "meta"):
        value = raw.get(table)
        if value is None:
            continue
        if not isinstance(value, dict):
            error(here, table, "C214", f"`{table}` must be a `[case.{table}]` table")
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
        error(
            here,
            None,
            "C220",
            "this case expects nothing",
            'add `[case.expect]` with `total = "..."`, `rating`, `points`, `lost`, or `error = "..."`',
        )
        return None
    unknown(at, raw, EXPECT_KEYS, "`[case.expect]`")
    ok = True
    total = None
    if "total" in raw:
        total = exact_number(raw["total"])
        if total is None:
            error(at, "total", "C221", f'`total` must be a number like "97.21", found {raw["total"]!r}')
            ok = False
    strings: dict[str, str | None] = {}
    for key in ("rating", "error"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            error(at, key, "C222", f"`{key}` must be a text in quotes")
            ok = False
            value = None
        strings[key] = value
    veto = raw.get("veto")
    if veto is not None and not isinstance(veto, (bool, str)):
        error(at, "veto", "C222", "`veto` must be true, false, or a text the veto reason contains")
        ok = False
    lost_paths = raw.get("lost_paths")
    if lost_paths is not None and (not isinstance(lost_paths, list) or not all(isinstance(p, str) for p in lost_paths)):
        error(at, "lost_paths", "C223", "`lost_paths` must be a list of indicator paths in quotes")
        ok = False
    points: dict[str, Decimal] = {}
    raw_points = raw.get("points", {})
    if not isinstance(raw_points, dict):
        error(at, "points", "C224", "`points` must be a `[case.expect.points]` table")
        ok, raw_points = False, {}
    for path, value in raw_points.items():
        number = exact_number(value)
        if number is None:
            error((*at, "points"), path, "C224", f'points of `{path}` must be a number like "9.51"')
            ok = False
        else:
            points[path] = number
    lost: dict[str, tuple[str, ...]] = {}
    raw_lost = raw.get("lost", {})
    if not isinstance(raw_lost, dict):
        error(at, "lost", "C225", "`lost` must be a `[case.expect.lost]` table")
        ok, raw_lost = False, {}
    for path, value in raw_lost.items():
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            error((*at, "lost"), path, "C225", f'`{path}` must list texts its reasons contain: ["..."]')
            ok = False
        else:
            lost[path] = tuple(value)
    if strings["error"] is not None:
        others = [k for k in raw if k != "error"]
        if others:
            error(
                at,
                "error",
                "C226",
                f"a case that expects an error cannot also expect {', '.join(others)}",
                "split it into two cases",
            )
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
        error((), "intention", "C230", "`intention` must be written as `[[intention]]` tables")
        return []
    out = []
    for k, item in enumerate(raw):
        here = ("intention", k)
        unknown(here, item, INTENTION_KEYS, "an `[[intention]]`")
        points = item.get("points")
        number = exact_number(points) if points is not None else None
        if points is not None and number is None:
            error(here, "points", "C231", '`points` must be a number like "8"')
        within = item.get("within", {})
        if not isinstance(within, dict) or not all(isinstance(v, list) and len(v) == 2 for v in within.values()):
            error(here, "within", "C231", "`within` must be a table of ranges: `within = { 预算数 = [0.01, 1000000] }`")
            within = {}
        when = item.get("when", {})
        if not isinstance(when, dict):
            error(here, "when", "C231", "`when` must be a table of inputs: `when = { 按时报送 = true }`")
            when = {}
        for key in ("kind", "path", "input", "direction", "name"):
            if key in item and not isinstance(item[key], str):
                error(here, key, "C231", f"`{key}` must be a text in quotes")
        kind = item.get("kind")
        if kind is None:
            error(
                here,
                None,
                "C232",
                "an intention needs `kind`",
                "the kinds are monotonic, full_when, zero_when, at_least, at_most",
            )
        span = locate.span(here)
        spans = {key: locate.span(here, key) for key in (None, *INTENTION_KEYS)}
        intention = Intention(
            kind=kind if isinstance(kind, str) else "",  # type: ignore[arg-type]  # checked by intention_problems
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
