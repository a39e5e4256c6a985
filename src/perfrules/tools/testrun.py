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

from perfrules.catalogue import Lang, Said, Text, language, usage
from perfrules.catalogue import checks as usage_checks
from perfrules.catalogue import diagnostics as say
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


def junit_xml(reports: list[Any], lang: str | None = None) -> str:
    """JUnit XML of `perfrules test`: a testsuite per cases file, a testcase per case and property
    (named in `lang`: zh, en; None: PERFRULES_LANG, else the rule file's)."""
    suites = ET.Element("testsuites", name="perfrules test")
    all_tests = all_failures = all_errors = 0
    for report in reports:
        name = str(report.path)
        suite = ET.SubElement(suites, "testsuite", name=name)
        tests = failures = errors = 0
        shown = language(lang, report.chinese)
        if report.errors:
            errors += 1
            case = ET.SubElement(suite, "testcase", classname=name, name="load", file=name)
            error = ET.SubElement(case, "error", message=report.errors[0].message_in(shown))
            error.text = "\n".join(d.line_and_help(shown) for d in report.errors)
            tests += 1
        for result in report.results:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=name, name=result.case.name, file=name,
                                 line=str(result.case.line))
            if not result.passed:
                failures += 1
                failure = ET.SubElement(case, "failure", message=result.differences[0].split("\n")[0])
                failure.text = "\n".join(result.differences)
        for check in report.checks:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=name,
                                 name=usage_checks.PROPERTY_NAME(label=check.label).in_(shown))
            message = check.failure_in(shown)
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


def write(path: Path, text: str) -> None:
    from perfrules.files import write_atomically

    write_atomically(path, text)


# ---- running ---------------------------------------------------------------------------------


def run_case(ruleset: Ruleset, case: Case, lang: str | None = None) -> CaseResult:
    """Evaluate one case and list every difference from what it expects (empty: it passed).

    An error is shown in `lang` (zh, en; None: PERFRULES_LANG, else the rule file's); an
    expected `error` may quote it in either language."""
    expect = case.expect
    shown = language(lang, ruleset.model.chinese_keywords)
    said: list[Said] = []

    def done(evaluated: Any = None) -> CaseResult:
        return CaseResult(case, tuple(d.in_(shown) for d in said), evaluated)

    try:
        result = ruleset.evaluate(case.facts)
    except PerfrulesError as exc:
        text = indent(render.diagnostics(exc.diagnostics, shown))
        both = render.diagnostics(exc.diagnostics, "en") + render.diagnostics(exc.diagnostics, "zh")
        if expect.error is None:
            said.append(usage.DIFF_EVAL_FAILED(error=text))
        elif expect.error not in both:
            said.append(usage.DIFF_WRONG_ERROR(fragment=repr(expect.error), error=text))
        return done()
    if expect.error is not None:
        total = arithmetic.fixed(result.total, ruleset.model.precision)
        said.append(usage.DIFF_NO_ERROR(fragment=repr(expect.error), total=total))
        return done()
    places = ruleset.model.precision
    known = [i.path for i in result.ruleset.indicator_list]  # a rows ruleset: the paths its rows made
    evaluated = result

    def unknown_path(path: str, where: str) -> bool:
        if path in known:
            return False
        guess = did_you_mean(path, known)
        said.append(usage.DIFF_UNKNOWN_PATH_GUESS(key=where, path=path, guess=guess) if guess
                    else usage.DIFF_UNKNOWN_PATH(key=where, path=path))
        return True

    if expect.total is not None and result.total != expect.total:
        said.append(usage.DIFF_TOTAL(expected=arithmetic.plain(expect.total),
                                     got=arithmetic.fixed(result.total, places)))
    if expect.rating is not None and result.rating != expect.rating:
        said.append(usage.DIFF_RATING(expected=expect.rating, got=result.rating))
    if expect.veto is not None:
        veto = result.veto
        if isinstance(expect.veto, bool):
            if expect.veto and veto is None:
                said.append(usage.DIFF_VETO_EXPECTED())
            elif not expect.veto and veto is not None:
                said.append(usage.DIFF_VETO_UNEXPECTED(because=veto.because))
        elif veto is None or expect.veto not in veto.because:
            said.append(usage.DIFF_VETO_REASON(fragment=repr(expect.veto),
                                               got=repr(veto.because) if veto is not None else usage.NONE()))
    for path, points in expect.points.items():
        if unknown_path(path, "points"):
            continue
        got = result.points(path)
        if got != points:
            said.append(usage.DIFF_POINTS(path=path, expected=arithmetic.plain(points),
                                          got=arithmetic.fixed(got, places)))
    lost = {loss.path: loss for loss in result.lost}
    if expect.lost_paths is not None:
        for path in expect.lost_paths:
            unknown_path(path, "lost_paths")
        missing = [p for p in expect.lost_paths if p not in lost and p in known]
        extra = [p for p in lost if p not in expect.lost_paths]
        for path in missing:
            said.append(usage.DIFF_NOT_LOST(path=path, points=arithmetic.fixed(result.points(path), places)))
        for path in extra:
            reasons = Text("；".join(lost[path].reasons), "; ".join(lost[path].reasons))
            said.append(usage.DIFF_LOST(path=path, points=arithmetic.fixed(lost[path].points, places),
                                        reasons=reasons))
    for path, fragments in expect.lost.items():
        if unknown_path(path, "lost"):
            continue
        loss = lost.get(path)
        if loss is None:
            said.append(usage.DIFF_LOST_NONE(path=path, fragments=tuple(repr(f) for f in fragments)))
            continue
        text = "\n".join(loss.reasons)
        for fragment in fragments:
            if fragment not in text:
                listed = indent("\n".join(f"- {r}" for r in loss.reasons))
                said.append(usage.DIFF_NO_REASON(path=path, fragment=repr(fragment), reasons=listed))
    return done(evaluated)


def indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line else line for line in text.rstrip("\n").split("\n"))


@attrs.define
class FileReport:
    """The outcome of one cases file: its case results, or the diagnostics that stopped it."""

    path: Path
    results: list[CaseResult] = attrs.field(factory=list)
    errors: list[Diagnostic] = attrs.field(factory=list)
    checks: list[PropertyCheck] = attrs.field(factory=list)  # with --properties
    chinese: bool = False  # its rule file writes its keywords in Chinese: errors are printed in Chinese

    @property
    def failed_checks(self) -> list[PropertyCheck]:
        return [check for check in self.checks if check.failure is not None]

    @property
    def passed(self) -> bool:
        return not self.errors and not self.failed_checks and all(r.passed for r in self.results)


@attrs.frozen
class PropertyCheck:
    """One property check of `perfrules test --properties`: the invariants, or a declared intention."""

    label: Said | Text
    examples: int = 0
    errors: int = 0  # examples stopped by an evaluation error the rules allow
    failure: Said | Text | None = None  # the counterexample (or why the check stopped)

    def line(self, lang: Lang) -> str:
        if self.failure is not None:
            return usage_checks.PROPERTY_FAILED(label=self.label).in_(lang)
        stopped = usage_checks.PROPERTY_STOPPED(errors=self.errors) if self.errors else ""
        return usage_checks.PROPERTY_OK(label=self.label, examples=self.examples, stopped=stopped).in_(lang)

    def failure_in(self, lang: Lang) -> str | None:
        return None if self.failure is None else self.failure.in_(lang)


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
        report.chinese = bool(exc.chinese)  # the language of the rule file it names, when it could be read
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
