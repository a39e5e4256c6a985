"""`perfrules test`: run cases files, select cases with `-k`, report as text or JUnit XML.

`-k EXPRESSION` keeps the cases whose name (or cases file path) contains each word of the
expression, case-insensitively, combined with `and`, `or`, `not` and parentheses, as
pytest's `-k` does: `-k "执行率 and not 超支"`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from perfrules.catalogue import diagnostics as say
from perfrules.catalogue import language, usage
from perfrules.diagnostics import Diagnostic, PerfrulesError, WordedError, did_you_mean
from perfrules.engine import Ruleset, load
from perfrules.semantics import arithmetic
from perfrules.text import render
from perfrules.tools.cases import SUFFIX, Case, CaseResult, CasesFile, load_cases
from perfrules.tools.intentions import keyed_problems


class KeywordError(WordedError):
    """A `-k` expression that cannot be read; `said` tells why (catalogue/usage.py)."""


def keyword_matcher(expression: str) -> Callable[[str], bool]:
    """A function telling whether a case's name matches a `-k` expression."""
    tokens: list[str] = re.findall(r"\(|\)|[^\s()]+", expression)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def parse_or() -> Callable[[str], bool]:
        left = parse_and()
        while peek() == "or":
            take()
            left = _either(left, parse_and())
        return left

    def parse_and() -> Callable[[str], bool]:
        left = parse_not()
        while peek() == "and":
            take()
            left = _both(left, parse_not())
        return left

    def parse_not() -> Callable[[str], bool]:
        if peek() == "not":
            take()
            inner = parse_not()
            return lambda s: not inner(s)
        if peek() == "(":
            take()
            inner = parse_or()
            if peek() != ")":
                raise KeywordError(usage.K_NOT_CLOSED(expression=repr(expression)))
            take()
            return inner
        word = peek()
        if word is None or word in ("and", "or", ")"):
            if word is None:
                raise KeywordError(usage.K_WORD_AT_END(expression=repr(expression)))
            raise KeywordError(usage.K_WORD_BEFORE(expression=repr(expression), word=word))
        take()
        needle = word.casefold()
        return lambda s: needle in s.casefold()

    if not tokens:
        return lambda s: True
    match = parse_or()
    if pos != len(tokens):
        raise KeywordError(usage.K_UNEXPECTED(expression=repr(expression), word=tokens[pos]))
    return match


def _either(a: Callable[[str], bool], b: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda s: a(s) or b(s)


def _both(a: Callable[[str], bool], b: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda s: a(s) and b(s)


def junit_xml(reports: list[Any]) -> str:
    """JUnit XML of `perfrules test`: a testsuite per cases file, a testcase per case and property."""
    suites = ET.Element("testsuites", name="perfrules test")
    all_tests = all_failures = all_errors = 0
    for report in reports:
        name = str(report.path)
        suite = ET.SubElement(suites, "testsuite", name=name)
        tests = failures = errors = 0
        if report.errors:
            errors += 1
            case = ET.SubElement(suite, "testcase", classname=name, name="load", file=name)
            error = ET.SubElement(case, "error", message=report.errors[0].message)
            error.text = "\n".join(f"{d}" + (f"\n  help: {d.help}" if d.help else "") for d in report.errors)
            tests += 1
        for result in report.results:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=name, name=result.case.name, file=name,
                                 line=str(result.case.line))
            if not result.passed:
                failures += 1
                failure = ET.SubElement(case, "failure", message=result.differences[0].split("\n")[0])
                failure.text = "\n".join(result.differences)
        for line, message in _property_outcomes(report):
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=name, name=line)
            if message is not None:
                failures += 1
                ET.SubElement(case, "failure", message=message.split("\n")[0]).text = message
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        all_tests, all_failures, all_errors = all_tests + tests, all_failures + failures, all_errors + errors
    suites.set("tests", str(all_tests))
    suites.set("failures", str(all_failures))
    suites.set("errors", str(all_errors))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _property_outcomes(report: Any) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    failed = iter(report.properties)
    for line in report.property_lines:
        label = line.split("property: ", 1)[-1]
        out.append((f"property: {label}", next(failed, "failed") if line.startswith("FAIL") else None))
    return out


def write(path: Path, text: str) -> None:
    from perfrules.files import write_atomically

    write_atomically(path, text)


# ---- running ---------------------------------------------------------------------------------


def run_case(ruleset: Ruleset, case: Case, lang: str | None = None) -> CaseResult:
    """Evaluate one case and list every difference from what it expects (empty: it passed).

    An error is shown in `lang` (zh, en; None: PERFRULES_LANG, else the rule file's); an
    expected `error` may quote it in either language."""
    expect = case.expect
    diffs: list[str] = []
    try:
        result = ruleset.evaluate(case.facts)
    except PerfrulesError as exc:
        text = render.diagnostics(exc.diagnostics, language(lang, ruleset.model.chinese_keywords))
        both = render.diagnostics(exc.diagnostics, "en") + render.diagnostics(exc.diagnostics, "zh")
        if expect.error is None:
            diffs.append("evaluation failed, but the case expects a result:\n" + indent(text))
        elif expect.error not in both:
            diffs.append(f"expected an error containing {expect.error!r}; the error was:\n" + indent(text))
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
                    + indent("\n".join(f"- {r}" for r in loss.reasons))
                )
    return CaseResult(case, tuple(diffs), evaluated)


def indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line else line for line in text.rstrip("\n").split("\n"))


@attrs.define
class FileReport:
    """The outcome of one cases file: its case results, or the diagnostics that stopped it."""

    path: Path
    results: list[CaseResult] = attrs.field(factory=list)
    errors: list[Diagnostic] = attrs.field(factory=list)
    properties: list[str] = attrs.field(factory=list)  # messages of failed properties
    property_lines: list[str] = attrs.field(factory=list)
    chinese: bool = False  # its rule file writes its keywords in Chinese: errors are printed in Chinese

    @property
    def passed(self) -> bool:
        return not self.errors and not self.properties and all(r.passed for r in self.results)


def run_file(path: str | Path, select: Any = None, stop: Any = None, lang: str | None = None,
             within: Path | None = None,
             outside_allowed: bool = False) -> tuple[FileReport, CasesFile | None, Ruleset | None]:  # fmt: skip
    """Load a cases file and its rules and run every case; never raises for a user's mistake.

    `select(name)` keeps a case (`-k`); `stop()` is asked after each failed case (`-x`);
    `within` is the tree the rule and facts files must lie in, unless `outside_allowed` (`load_cases`).
    """
    report = FileReport(Path(path))
    try:
        cases = load_cases(path, within, outside_allowed)
    except PerfrulesError as exc:
        report.errors.extend(exc.diagnostics)
        return report, None, None
    if not cases.rules.is_file():
        report.errors.append(Diagnostic(say.C205_NO_RULE_FILE(name=cases.rules.name, path=cases.rules),
                                        cases.rules_span, help=say.C205_RELATIVE()))
        return report, cases, None
    try:
        ruleset = load(cases.rules)
    except PerfrulesError as exc:
        report.errors.extend(exc.diagnostics)
        report.chinese = bool(exc.chinese)
        return report, cases, None
    report.chinese = ruleset.model.chinese_keywords
    report.errors.extend(_intention_diagnostics(ruleset, cases))
    for case in cases.cases:
        if select is not None and not select(f"{path} {case.name}"):
            continue
        report.results.append(run_case(ruleset, case, lang))
        if stop is not None and not report.results[-1].passed and stop():
            break
    return report, cases, ruleset


def _intention_diagnostics(ruleset: Ruleset, cases: CasesFile) -> list[Diagnostic]:
    """Intentions that do not fit the rules are errors of the cases file, with or without --properties."""
    out = []
    for intention, spans in zip(cases.intentions, cases.intention_spans, strict=True):
        for key, problem in keyed_problems(ruleset.model, intention):
            out.append(Diagnostic(say.C233_INTENTION(problem=problem), spans.get(key) or spans[None],
                                  help=say.C233_SEE_DOCS()))
    return out


def tree_of(file: Path, paths: Sequence[Path]) -> Path:
    """The tree being tested that `file` was found in: the first folder given that holds it, or
    the file's own folder when it was given itself."""
    resolved = file.resolve()
    for path in paths:
        if path.is_dir() and resolved.is_relative_to(path.resolve()):
            return path
    return file.parent


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
