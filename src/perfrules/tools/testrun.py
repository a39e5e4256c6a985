"""What `perfrules test` borrows from pytest: `-k` selection and a JUnit XML report.

`-k EXPRESSION` keeps the cases whose name (or cases file path) contains each word of the
expression, case-insensitively, combined with `and`, `or`, `not` and parentheses, as
pytest's `-k` does: `-k "执行率 and not 超支"`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any


class KeywordError(ValueError):
    """A `-k` expression that cannot be read."""


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
                raise KeywordError(f"-k {expression!r}: a `(` is not closed")
            take()
            return inner
        word = peek()
        if word is None or word in ("and", "or", ")"):
            raise KeywordError(f"-k {expression!r}: expected a word" + (f" before `{word}`" if word else " at the end"))
        take()
        needle = word.casefold()
        return lambda s: needle in s.casefold()

    if not tokens:
        return lambda s: True
    match = parse_or()
    if pos != len(tokens):
        raise KeywordError(f"-k {expression!r}: unexpected `{tokens[pos]}`")
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
