"""`perfrules test`: run the hand-computed cases of `*.cases.toml` files against their rules.

A cases file names a rule file and lists cases (facts in, expected results out),
plus optional declared intentions for `--properties`. The format is described in
docs/cases.md. Expected values are written by people: there is no switch that
rewrites them from the engine's output.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import attrs

from perfrules.diagnostics import Collector, Diagnostic, PerfrulesError, did_you_mean
from perfrules.engine import Ruleset, load
from perfrules.files import MAX_CASES_BYTES, TooLarge, read_limited
from perfrules.inputs.facts import convert, load_facts
from perfrules.semantics import arithmetic, model
from perfrules.source import Source, Span
from perfrules.text import render

SUFFIX = ".cases.toml"
TOP_KEYS = ("rules", "case", "intention")
CASE_KEYS = ("name", "facts", "judged", "override", "meta", "expect")
EXPECT_KEYS = ("total", "rating", "error", "lost_paths", "veto", "points", "lost")
INTENTION_KEYS = ("kind", "name", "path", "input", "direction", "when", "within", "points")


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


class _Locator:
    """Finds the line of a table or key in cases TOML (tomllib keeps no positions)."""

    HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
    KEY = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_\-\u0080-\uffff]+)\s*=')

    def __init__(self, source: Source):
        self.source = source
        self.entries: list[tuple[tuple[Any, ...], str | None, int, int]] = []  # (table, key, start, end)
        counters: dict[str, int] = {}
        table: tuple[Any, ...] = ()
        offset = 0
        for line in source.text.split("\n"):
            header = self.HEADER.match(line)
            if header:
                parts = [p.strip().strip('"') for p in header.group(2).split(".")]
                if header.group(1) == "[[":
                    counters[parts[0]] = counters.get(parts[0], -1) + 1
                    table = (parts[0], counters[parts[0]])
                elif parts and parts[0] in counters and len(parts) > 1:
                    table = (parts[0], counters[parts[0]], *parts[1:])
                else:
                    table = tuple(parts)
                start = offset + header.start(1)
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


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None


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
        total = _decimal(raw["total"])
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
        number = _decimal(value)
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
        number = _decimal(points) if points is not None else None
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


# ---- declared intentions (checked with hypothesis by perfrules.testing) ----------------------

IntentionKind = Literal["monotonic", "full_when", "zero_when", "at_least", "at_most"]
KINDS: tuple[str, ...] = ("monotonic", "full_when", "zero_when", "at_least", "at_most")


class IntentionError(ValueError):
    """An intention that does not fit the ruleset (unknown path or input, bad direction...)."""


def _raw_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return arithmetic.plain(value) if isinstance(value, (int, Decimal)) else repr(value)


@attrs.frozen
class Intention:
    """What an author means a ruleset to do; checked by `perfrules.testing.check_intentions`.

    `path` None means the total. `when` pins inputs to raw fact values (as a facts
    file writes them: percents as "90%" strings).
    """

    kind: IntentionKind
    path: str | None = None
    input: str | None = None
    direction: Literal["up", "down"] = "up"
    when: Mapping[str, Any] = attrs.field(factory=dict)
    points: Decimal | None = None
    name: str | None = None
    where: str | None = None  # FILE:LINE of the declaration, for messages
    within: Mapping[str, tuple[Any, Any]] = attrs.field(factory=dict)  # narrower input ranges

    def describe(self) -> str:
        """The intention in words, as test output shows it."""
        target = f"`{self.path}`" if self.path else "the total"
        of = f"the points of {target}" if self.path else "the total"
        condition = ""
        if self.when:
            condition = " when " + ", ".join(f"{k} = {_raw_text(v)}" for k, v in self.when.items())
        match self.kind:
            case "monotonic":
                verb = "never fall" if self.direction == "up" else "never rise"
                text = f"{of} {verb} when `{self.input}` rises{condition}"
            case "full_when":
                text = f"{target} scores full marks{condition}"
            case "zero_when":
                text = f"{target} scores 0{condition}"
            case "at_least":
                text = f"{target} scores at least {arithmetic.plain(self.points or 0)}{condition}"
            case _:
                text = f"{target} scores at most {arithmetic.plain(self.points or 0)}{condition}"
        return (f"{self.name}: " if self.name else "") + text


def as_intention(item: Intention | Mapping[str, Any]) -> Intention:
    """An Intention from a mapping like `{"kind": "monotonic", "path": ..., "input": ...}`."""
    if isinstance(item, Intention):
        return item
    data = dict(item)
    unknown = sorted(set(data) - {*INTENTION_KEYS, "where"})
    if unknown:
        raise IntentionError(f"unknown intention keys: {', '.join(unknown)}; the keys are {', '.join(INTENTION_KEYS)}")
    points = data.get("points")
    if isinstance(points, float):
        raise IntentionError("`points` must be exact: a string or a Decimal, not a float")
    number = _decimal(points) if points is not None else None
    if points is not None and number is None:
        raise IntentionError(f"`points` must be a number, not {points!r}")
    return Intention(
        kind=data.get("kind", ""), path=data.get("path"), input=data.get("input"),
        direction=data.get("direction", "up"), when=dict(data.get("when") or {}),
        points=number, name=data.get("name"), where=data.get("where"),
        within={k: tuple(v) for k, v in (data.get("within") or {}).items()},
    )  # fmt: skip


def intention_problems(rs: model.Ruleset, intention: Intention) -> list[str]:
    """What is wrong with an intention for this ruleset (empty when it fits)."""
    return [message for _, message in _problems(rs, intention)]


def _problems(rs: model.Ruleset, intention: Intention) -> list[tuple[str, str]]:
    """(key, message) for each problem: the key locates it in a cases file."""
    problems: list[tuple[str, str]] = []
    if intention.kind not in KINDS:
        problems.append(("kind", f"unknown intention kind `{intention.kind}`; the kinds are {', '.join(KINDS)}"))
    if intention.path is not None and rs.find(intention.path) is None:
        guess = did_you_mean(intention.path, [i.path for i in rs.all_indicators()])
        problems.append(
            ("path", f"unknown indicator `{intention.path}`" + (f" (did you mean `{guess}`?)" if guess else ""))
        )
    inputs = {i.name: i for i in rs.inputs}
    if intention.kind == "monotonic":
        if intention.input is None:
            problems.append(("kind", "a `monotonic` intention needs `input`"))
        elif intention.input not in inputs:
            guess = did_you_mean(intention.input, list(inputs))
            problems.append(
                ("input", f"unknown input `{intention.input}`" + (f" (did you mean `{guess}`?)" if guess else ""))
            )
        elif inputs[intention.input].type.kind == "text":
            problems.append(("input", f"`{intention.input}` is a text: it cannot rise"))
        elif intention.input in intention.when:
            problems.append(("when", f"`{intention.input}` is both the input that rises and pinned in `when`"))
        if intention.direction not in ("up", "down"):
            problems.append(("direction", f'`direction` must be "up" or "down", not {intention.direction!r}'))
    elif intention.input is not None or intention.direction != "up":
        problems.append(("input", f"`input` and `direction` belong to `monotonic`, not `{intention.kind}`"))
    if intention.kind in ("at_least", "at_most") and intention.points is None:
        problems.append(("kind", f"an `{intention.kind}` intention needs `points`"))
    if intention.kind not in ("at_least", "at_most") and intention.points is not None:
        problems.append(("points", f"`points` belongs to `at_least` and `at_most`, not `{intention.kind}`"))
    for name, bounds in intention.within.items():
        inp = inputs.get(name)
        if inp is None:
            problems.append(("within", f"`within`: unknown input `{name}`"))
            continue
        converted = [convert(inp, b) for b in bounds] if len(bounds) == 2 else []
        if (
            inp.type.kind not in ("number", "percent", "count")
            or len(converted) != 2
            or any(p is not None for _, p in converted)
            or converted[0][0] > converted[1][0]
        ):
            problems.append(("within", f"`within`: `{name}` needs [LOW, HIGH], two valid values, low first"))
    for name, raw in intention.when.items():
        if name not in inputs:
            guess = did_you_mean(str(name), list(inputs))
            problems.append(
                ("when", f"`when`: unknown input `{name}`" + (f" (did you mean `{guess}`?)" if guess else ""))
            )
            continue
        problem = convert(inputs[name], raw)[1]
        if problem is not None:
            problems.append(("when", f"`when`: `{name}`: {problem[1]}"))
    return problems


# ---- running ---------------------------------------------------------------------------------


def run_case(ruleset: Ruleset, case: Case) -> CaseResult:
    """Evaluate one case and list every difference from what it expects (empty: it passed)."""
    expect = case.expect
    diffs: list[str] = []
    try:
        result = ruleset.evaluate(case.facts)
    except PerfrulesError as exc:
        text = render.diagnostics(exc.diagnostics)
        if expect.error is None:
            diffs.append("evaluation failed, but the case expects a result:\n" + _indent(text))
        elif expect.error not in text:
            diffs.append(f"expected an error containing {expect.error!r}; the error was:\n" + _indent(text))
        return CaseResult(case, tuple(diffs))
    if expect.error is not None:
        diffs.append(
            f"expected an error containing {expect.error!r}, but evaluation succeeded "
            f"(total {arithmetic.fixed(result.total, ruleset.model.precision)})"
        )
        return CaseResult(case, tuple(diffs))
    places = ruleset.model.precision
    known = [i.path for i in result.ruleset.indicator_list]  # a rows ruleset: the paths its rows made
    evaluated = result

    def unknown_path(path: str, where: str) -> bool:
        if path in known:
            return False
        guess = did_you_mean(path, known)
        diffs.append(f"{where}: unknown indicator `{path}`" + (f" (did you mean `{guess}`?)" if guess else ""))
        return True

    if expect.total is not None and result.total != expect.total:
        diffs.append(f"total: expected {arithmetic.plain(expect.total)}, got {arithmetic.fixed(result.total, places)}")
    if expect.rating is not None and result.rating != expect.rating:
        diffs.append(f"rating: expected {expect.rating}, got {result.rating}")
    if expect.veto is not None:
        veto = result.veto
        if isinstance(expect.veto, bool):
            if (veto is not None) != expect.veto:
                diffs.append(
                    f"veto: expected {'a veto' if expect.veto else 'no veto'}, got "
                    + (f"a veto ({veto.because})" if veto is not None else "none")
                )
        elif veto is None or expect.veto not in veto.because:
            diffs.append(
                f"veto: expected a veto whose reason contains {expect.veto!r}, got "
                + (repr(veto.because) if veto is not None else "none")
            )
    for path, points in expect.points.items():
        if unknown_path(path, "points"):
            continue
        got = result.points(path)
        if got != points:
            diffs.append(
                f"points of `{path}`: expected {arithmetic.plain(points)}, got {arithmetic.fixed(got, places)}")
    lost = {loss.path: loss for loss in result.lost}
    if expect.lost_paths is not None:
        for path in expect.lost_paths:
            unknown_path(path, "lost_paths")
        missing = [p for p in expect.lost_paths if p not in lost and p in known]
        extra = [p for p in lost if p not in expect.lost_paths]
        for path in missing:
            diffs.append(
                f"lost_paths: expected `{path}` to lose points; it scored "
                f"{arithmetic.fixed(result.points(path), places)} (full marks or not applicable)"
            )
        for path in extra:
            diffs.append(
                f"lost_paths: `{path}` lost {arithmetic.fixed(lost[path].points, places)} points, "
                f"not expected: {'; '.join(lost[path].reasons)}"
            )
    for path, fragments in expect.lost.items():
        if unknown_path(path, "lost"):
            continue
        loss = lost.get(path)
        if loss is None:
            diffs.append(
                f"lost `{path}`: expected it to lose points with reasons containing "
                f"{', '.join(repr(f) for f in fragments)}; it lost none"
            )
            continue
        text = "\n".join(loss.reasons)
        for fragment in fragments:
            if fragment not in text:
                diffs.append(
                    f"lost `{path}`: no reason contains {fragment!r}; the reasons are:\n"
                    + _indent("\n".join(f"- {r}" for r in loss.reasons))
                )
    return CaseResult(case, tuple(diffs), evaluated)


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line else line for line in text.rstrip("\n").split("\n"))


@attrs.define
class FileReport:
    """The outcome of one cases file: its case results, or the diagnostics that stopped it."""

    path: Path
    results: list[CaseResult] = attrs.field(factory=list)
    errors: list[Diagnostic] = attrs.field(factory=list)
    properties: list[str] = attrs.field(factory=list)  # messages of failed properties
    property_lines: list[str] = attrs.field(factory=list)

    @property
    def passed(self) -> bool:
        return not self.errors and not self.properties and all(r.passed for r in self.results)


def run_file(path: str | Path, select: Any = None,
             stop: Any = None) -> tuple[FileReport, CasesFile | None, Ruleset | None]:  # fmt: skip
    """Load a cases file and its rules and run every case; never raises for a user's mistake.

    `select(name)` keeps a case (`-k`); `stop()` is asked after each failed case (`-x`).
    """
    report = FileReport(Path(path))
    try:
        cases = load_cases(path)
    except PerfrulesError as exc:
        report.errors.extend(exc.diagnostics)
        return report, None, None
    if not cases.rules.is_file():
        report.errors.append(Diagnostic(
            "C205", f"rule file `{cases.rules.name}` not found (looked for {cases.rules})", cases.rules_span,
            help="`rules` is relative to the cases file"))  # fmt: skip
        return report, cases, None
    try:
        ruleset = load(cases.rules)
    except PerfrulesError as exc:
        report.errors.extend(exc.diagnostics)
        return report, cases, None
    report.errors.extend(_intention_diagnostics(ruleset, cases))
    for case in cases.cases:
        if select is not None and not select(f"{path} {case.name}"):
            continue
        report.results.append(run_case(ruleset, case))
        if stop is not None and not report.results[-1].passed and stop():
            break
    return report, cases, ruleset


def _intention_diagnostics(ruleset: Ruleset, cases: CasesFile) -> list[Diagnostic]:
    """Intentions that do not fit the rules are errors of the cases file, with or without --properties."""
    out = []
    for intention, spans in zip(cases.intentions, cases.intention_spans, strict=True):
        for key, problem in _problems(ruleset.model, intention):
            out.append(
                Diagnostic(
                    "C233",
                    f"intention: {problem}",
                    spans.get(key) or spans[None],
                    help="see docs/testing.md for the intention kinds and their keys",
                )
            )
    return out


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Every cases file under the paths (sorted), and the paths that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(str(path))
    return list(dict.fromkeys(found)), missing


def _print_report(report: FileReport, out: Any) -> None:
    for result in report.results:
        mark = "ok  " if result.passed else "FAIL"
        print(
            f"  {mark} {result.case.name}" + ("" if result.passed else f"  ({report.path}:{result.case.line})"),
            file=out,
        )
        for diff in result.differences:
            print(_indent(diff, "         "), file=out)
    for line in report.property_lines:
        print(f"  {line}", file=out)
    for message in report.properties:
        print(_indent(message, "         "), file=out)


def main_test(args: argparse.Namespace) -> int:
    """`perfrules test [PATH ...] [-k EXPR] [-x] [--junit-xml FILE] [--coverage] [--properties]`:
    0 when every case passes."""
    from perfrules.tools.testrun import KeywordError, keyword_matcher

    out = sys.stdout
    paths: list[Path] = list(args.paths) or [Path("rulesets")]
    files, missing = discover(paths)
    for name in missing:
        print(f"perfrules: error: {name}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    if not files:
        print(f"no *{SUFFIX} files found under {', '.join(str(p) for p in paths)}", file=sys.stderr)
        return 1
    properties = bool(getattr(args, "properties", False))
    examples = int(getattr(args, "examples", 200) or 200)
    exitfirst = bool(getattr(args, "exitfirst", False))
    coverage = bool(getattr(args, "coverage", False))
    try:
        select = keyword_matcher(args.keyword) if getattr(args, "keyword", None) else None
    except KeywordError as exc:
        print(f"perfrules: error: {exc}", file=sys.stderr)
        return 2
    if properties:
        try:
            import hypothesis  # noqa: F401
        except ImportError:
            print("perfrules: error: --properties needs hypothesis: pip install 'perfrules[testing]'", file=sys.stderr)
            return 2
    if any(p.suffix == ".rules" for p in files) and not properties:
        print("perfrules: error: a rule file without cases is tested with --properties", file=sys.stderr)
        return 2
    import contextlib

    seeding: Any = contextlib.nullcontext()
    if getattr(args, "seed", None) is not None:
        from perfrules.testing import seeded

        seeding = seeded(args.seed)
    with seeding:
        return _run_files(args, files, select, exitfirst, coverage, properties, examples, out)


def _run_files(args: argparse.Namespace, files: list[Path], select: Any, exitfirst: bool, coverage: bool,
               properties: bool, examples: int, out: Any) -> int:  # fmt: skip
    passed = failed = broken = failed_properties = deselected = 0
    reports: list[FileReport] = []
    for path in files:
        if path.suffix == ".rules":  # `--properties` on a rule file with no cases file
            report, cases, ruleset = FileReport(path), None, None
            try:
                ruleset = load(path)
            except PerfrulesError as exc:
                report.errors.extend(exc.diagnostics)
            print(f"{path}", file=out)
            if report.errors:
                print(_indent(render.diagnostics(report.errors)), file=out)
            else:
                assert ruleset is not None
                _run_properties(report, (), ruleset, examples)
        else:
            report, cases, ruleset = run_file(path, select, (lambda: True) if exitfirst else None)
        reports.append(report)
        if path.suffix == ".rules":
            _print_report(report, out)
            broken += 1 if report.errors else 0
            failed_properties += len(report.properties)
            if exitfirst and (broken or failed_properties):
                break
            continue
        if cases is not None and select is not None:
            deselected += len(cases.cases) - len(report.results)
        rules = f" (rules: {cases.rules})" if cases is not None else ""
        print(f"{path}{rules}", file=out)
        if report.errors:
            print(_indent(render.diagnostics(report.errors)), file=out)
        if properties and cases is not None and ruleset is not None and not report.errors:
            _run_properties(report, cases.intentions, ruleset, examples)
        _print_report(report, out)
        if coverage and ruleset is not None:
            from perfrules.tools.coverage import coverage_of

            cov = coverage_of(ruleset, [r.result for r in report.results if r.result is not None])
            for line in cov.lines():
                print(f"  {line}", file=out)
        passed += sum(1 for r in report.results if r.passed)
        failed += sum(1 for r in report.results if not r.passed)
        broken += 1 if report.errors else 0
        failed_properties += len(report.properties)
        if exitfirst and (failed or broken or failed_properties):
            print("stopped at the first failure (-x)", file=out)
            break
    summary = f"{len(reports)} file{'s' if len(reports) != 1 else ''}: {passed} passed, {failed} failed"
    if deselected:
        summary += f", {deselected} deselected"
    if broken:
        summary += f", {broken} file{'s' if broken != 1 else ''} with errors"
    if failed_properties:
        summary += f", {failed_properties} propert{'ies' if failed_properties != 1 else 'y'} failed"
    ok = failed == 0 and broken == 0 and failed_properties == 0
    print(("ok: " if ok else "FAILED: ") + summary, file=out)
    junit = getattr(args, "junit_xml", None)
    if junit is not None:
        from perfrules.tools.testrun import junit_xml, write

        write(Path(junit), junit_xml(reports))
    return 0 if ok else 1


def _run_properties(report: FileReport, intentions: Sequence[Intention], ruleset: Ruleset, examples: int) -> None:
    from perfrules.testing import check_intentions, check_ruleset

    checks: list[tuple[str, Any]] = [("invariants", lambda: [check_ruleset(ruleset, max_examples=examples)])]
    for intention in intentions:
        checks.append((intention.describe(), lambda i=intention: check_intentions(ruleset, [i], max_examples=examples)))
    for label, check in checks:
        try:
            stats = check()
        except AssertionError as exc:
            report.property_lines.append(f"FAIL property: {label}")
            report.properties.append(str(exc))
            continue
        errors = sum(s.errors for s in stats)
        examples_run = sum(s.examples for s in stats)
        note = f", {errors} stopped by evaluation errors" if errors else ""
        report.property_lines.append(f"ok   property: {label} ({examples_run} examples{note})")
