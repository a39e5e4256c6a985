"""The commands behind `perfrules …`: each takes the parsed arguments (and the loaded
ruleset where the command has one), does its work through the library, prints, and returns
the exit code. The only module besides cli/__init__.py that knows about argv."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any

from perfrules.catalogue import Lang, Said, Text, lang_of, language, usage
from perfrules.catalogue import checks as catalogue_checks
from perfrules.diagnostics import PerfrulesError, UsageError, WordedError
from perfrules.engine import Ruleset, load

if TYPE_CHECKING:
    from perfrules.results.result import Result
    from perfrules.tools.intentions import Intention
    from perfrules.tools.testrun import FileReport


def main_new(args: Any, load: Callable[[Path], Ruleset]) -> int:
    """`perfrules new facts RULES` or `perfrules new rules`; `load` reads RULES as the command line does."""
    from perfrules.diagnostics import UsageError

    if args.what == "rules":
        if args.rules is not None:
            raise UsageError(usage.NEW_RULES_TAKES_NO_RULES(rules=str(args.rules)))
        # the starter's language: its keywords (Chinese unless --keywords en)
        lang = language(getattr(args, "lang", None), (args.keywords or "zh") == "zh")
        text = _starter(args, lang)
    else:
        from perfrules.tools.new import facts_template

        if args.rules is None:
            raise UsageError(usage.NEW_FACTS_NEEDS_RULES())
        ruleset = load(args.rules)
        lang = language(getattr(args, "lang", None), ruleset.model.chinese)
        text = facts_template(ruleset, args.rules.name)
    if args.output is not None:
        from perfrules.files import write_atomically

        if args.output.exists() and not args.force:
            raise UsageError(usage.EXISTS(path=str(args.output)))
        write_atomically(args.output, text)
        print(usage.WROTE(path=str(args.output)).in_(lang), file=sys.stderr)
        if args.what == "rules":
            form = getattr(args, "from_xlsx", None)  # written from a filled-in form: that form is what it scores
            steps = usage.NEXT_STEPS_FORM(path=str(args.output), form=str(form)) if form else \
                usage.NEXT_STEPS(path=str(args.output))  # fmt: skip
            print(steps.in_(lang), file=sys.stderr)
    else:
        print(text, end="")
    return 0


def _starter(args: Any, lang: Lang) -> str:
    """The text of `perfrules new rules`: from a form, from the flags, or from an interview on a terminal."""
    from perfrules.diagnostics import UsageError
    from perfrules.tools import new_rules

    keywords = args.keywords
    if args.from_xlsx is not None:
        if args.indicator or args.total is not None:
            raise UsageError(usage.FROM_XLSX_ONLY())
        if not args.from_xlsx.is_file():
            raise UsageError(usage.NO_SUCH_FILE(path=str(args.from_xlsx)))
        made = new_rules.from_form(args.from_xlsx, args.title, keywords or "zh", args.sheet)
        read = usage.FORM_READ(path=str(args.from_xlsx), rows=made.rows, count=len(made.levels),
                               levels=made.levels or usage.NONE())
        print(read.in_(lang), file=sys.stderr)
        for note in made.notes:
            print(usage.NOTE(text=note).in_(lang), file=sys.stderr)
        return made.text
    if args.sheet is not None:
        raise UsageError(usage.SHEET_WITH_XLSX())
    try:
        if sys.stdin.isatty() and not args.no_input:
            from perfrules.cli.interview import interview

            plan = interview(args.title, keywords, args.total, args.indicator, sys.stdin.readline, sys.stderr)
        else:
            plan = new_rules.plan_from(args.title, keywords, args.total, args.indicator)
    except WordedError as exc:  # an --indicator or --total written wrong
        raise UsageError(exc.said) from None
    found = new_rules.problems(plan)
    if found:
        listed = Text("；".join(p.zh for p in found), "; ".join(p.en for p in found))
        raise UsageError(usage.CANNOT_WRITE_STARTER(problems=listed))
    return new_rules.starter_text(plan)


def _print_report(report: FileReport, out: Any, lang: Lang) -> None:
    from perfrules.tools.testrun import indent

    for result in report.results:
        if result.passed:
            line = usage.CASE_PASSED(name=result.case.name)
        else:
            line = usage.CASE_FAILED(name=result.case.name, where=f"{report.path}:{result.case.line}")
        print(line.in_(lang), file=out)
        for diff in result.differences:
            print(indent(diff, "         "), file=out)
    for check in report.checks:
        print(check.line(lang), file=out)
    for check in report.failed_checks:
        print(indent(check.failure_in(lang) or "", "         "), file=out)


def main_test(args: SimpleNamespace) -> int:
    """`perfrules test [PATH ...] [-k EXPR] [-x] [--junit-xml FILE] [--coverage] [--properties]`:
    0 when every case passes."""
    from perfrules.tools.cases import SUFFIX
    from perfrules.tools.testrun import KeywordError, discover, keyword_matcher

    # `--junit-xml -` writes the XML to standard output, as `-o -` does; the report then goes to
    # standard error, so that what a CI job pipes on is the XML alone.
    out = sys.stderr if getattr(args, "junit_xml", None) == "-" else sys.stdout
    paths: list[Path] = list(args.paths) or [Path("rulesets")]
    files, missing = discover(paths)
    for name in missing:
        _error(usage.NO_SUCH_FILE_OR_FOLDER(path=str(name)), args)
    if missing:
        return 2
    if not files:
        none = usage.NO_CASES_FILES(suffix=SUFFIX, paths=tuple(str(p) for p in paths))
        print(none.in_(language(getattr(args, "lang", None))), file=sys.stderr)
        return 1
    properties = bool(getattr(args, "properties", False))
    examples = int(getattr(args, "examples", 200) or 200)
    exitfirst = bool(getattr(args, "exitfirst", False))
    coverage = bool(getattr(args, "coverage", False))
    try:
        select = keyword_matcher(args.keyword) if getattr(args, "keyword", None) else None
    except KeywordError as exc:
        _error(exc.said, args)
        return 2
    if properties:
        try:
            import hypothesis  # noqa: F401
        except ImportError:
            _error(usage.NEEDS_HYPOTHESIS(), args)
            return 2
    if any(p.suffix == ".rules" for p in files) and not properties:
        _error(usage.RULES_WITHOUT_CASES(), args)
        return 2
    import contextlib

    seeding: Any = contextlib.nullcontext()
    if getattr(args, "seed", None) is not None:
        from perfrules.testing import seeded

        seeding = seeded(args.seed)
    with seeding:
        return _run_files(args, files, select, exitfirst, coverage, properties, examples, out)


def _run_files(args: SimpleNamespace, files: list[Path], select: Any, exitfirst: bool, coverage: bool,
               properties: bool, examples: int, out: Any) -> int:  # fmt: skip
    from perfrules.text import render
    from perfrules.tools.testrun import FileReport, indent, run_file

    passed = failed = broken = failed_properties = deselected = 0
    reports: list[FileReport] = []
    for path in files:
        if path.suffix == ".rules":  # `--properties` on a rule file with no cases file
            report, cases, ruleset = FileReport(path), None, None
            try:
                ruleset = load(path)
                report.chinese = ruleset.model.chinese_keywords
            except PerfrulesError as exc:
                report.errors.extend(exc.diagnostics)
                report.chinese = bool(exc.chinese)
            print(f"{path}", file=out)
            if report.errors:
                lang = language(getattr(args, "lang", None), report.chinese)
                print(indent(render.diagnostics(report.errors, lang)), file=out)
            else:
                assert ruleset is not None
                _run_properties(report, (), ruleset, examples, language(getattr(args, "lang", None), report.chinese))
        else:
            from perfrules.tools.testrun import tree_of

            # the rule and facts files a cases file names stay in the tree being tested
            within = tree_of(path, list(args.paths) or [Path("rulesets")])
            report, cases, ruleset = run_file(path, select, (lambda: True) if exitfirst else None,
                                              getattr(args, "lang", None), within,
                                              bool(getattr(args, "allow_outside", False)))
        reports.append(report)
        lang = language(getattr(args, "lang", None), bool(report.chinese))
        if path.suffix == ".rules":
            _print_report(report, out, lang)
            broken += 1 if report.errors else 0
            failed_properties += len(report.failed_checks)
            if exitfirst and (broken or failed_properties):
                break
            continue
        if cases is not None and select is not None:
            deselected += len(cases.cases) - len(report.results)
        heading = usage.CASES_OF_RULES(path=str(path), rules=str(cases.rules)).in_(lang) if cases is not None \
            else str(path)
        print(heading, file=out)
        if report.errors:
            lang = language(getattr(args, "lang", None), report.chinese)
            print(indent(render.diagnostics(report.errors, lang)), file=out)
        if properties and cases is not None and ruleset is not None and not report.errors:
            _run_properties(report, cases.intentions, ruleset, examples, lang)
        _print_report(report, out, lang)
        if coverage and ruleset is not None:
            from perfrules.tools.coverage import coverage_of

            cov = coverage_of(ruleset, [r.result for r in report.results if r.result is not None])
            for line in cov.lines():
                print(f"  {line}", file=out)
        passed += sum(1 for r in report.results if r.passed)
        failed += sum(1 for r in report.results if not r.passed)
        broken += 1 if report.errors else 0
        failed_properties += len(report.failed_checks)
        if exitfirst and (failed or broken or failed_properties):
            print(usage.STOPPED_AT_FIRST().in_(lang), file=out)
            break
    # the last line in Chinese when every file is (or --lang zh, or PERFRULES_LANG=zh)
    lang = language(getattr(args, "lang", None), bool(reports) and all(r.chinese for r in reports))
    summary = [usage.TESTS_SUMMARY(files=len(reports), s="s" * (len(reports) != 1), passed=passed, failed=failed)]
    if deselected:
        summary.append(usage.TESTS_DESELECTED(count=deselected))
    if broken:
        summary.append(usage.TESTS_BROKEN(count=broken, s="s" * (broken != 1)))
    if failed_properties:
        summary.append(usage.TESTS_PROPERTIES_FAILED(count=failed_properties,
                                                     ies="ies" if failed_properties != 1 else "y"))
    ok = failed == 0 and broken == 0 and failed_properties == 0
    told = "".join(said.in_(lang) for said in summary)
    print((usage.TESTS_OK if ok else usage.TESTS_FAILED).format(lang, summary=told), file=out)
    junit = getattr(args, "junit_xml", None)
    if junit is not None:
        from perfrules.files import output_path
        from perfrules.tools.testrun import junit_xml, write

        xml = junit_xml(reports, getattr(args, "lang", None))
        target = output_path(junit)
        if target is None:
            sys.stdout.write(xml)
        else:
            write(target, xml)
    return 0 if ok else 1


def _run_properties(report: FileReport, intentions: Sequence[Intention], ruleset: Ruleset, examples: int,
                    lang: Lang = "en") -> None:
    from perfrules.testing import Counterexample, check_intentions, check_ruleset
    from perfrules.tools.testrun import PropertyCheck

    checks: list[tuple[Said | Text, Any]] = [
        (catalogue_checks.INVARIANTS, lambda: [check_ruleset(ruleset, max_examples=examples)])]
    for intention in intentions:
        checks.append((intention.said(), lambda i=intention: check_intentions(ruleset, [i], max_examples=examples)))
    bar = _property_bar(report.path, len(checks), examples, lang)
    try:
        for label, check in checks:
            try:
                stats = _counted(check, bar)
            except Counterexample as exc:
                report.checks.append(PropertyCheck(label, failure=exc.said))
                continue
            except AssertionError as exc:  # hypothesis's own (a flaky test, say), worded in English there
                report.checks.append(PropertyCheck(label, failure=catalogue_checks.CHECK_STOPPED(error=str(exc))))
                continue
            drawn, stopped = sum(s.examples for s in stats), sum(s.errors for s in stats)
            # every example stopped: the check could not have failed, so it did not pass either
            nothing = catalogue_checks.NOTHING_CHECKED(examples=drawn) if drawn and stopped == drawn else None
            report.checks.append(PropertyCheck(label, drawn, stopped, failure=nothing))
    finally:
        if bar is not None:
            bar.close()


def _property_bar(path: Path, checks: int, examples: int, lang: Lang) -> Any:
    """A progress bar over a file's property checks on a terminal (perfrules.cli.progress), or None."""
    from perfrules.cli import progress

    return progress.PropertyBar(sys.stderr, path.name, checks, examples, lang) if progress.shown(sys.stderr) else None


def _counted(check: Callable[[], Any], bar: Any) -> Any:
    """Run one property check, moving the bar (if any) by its examples."""
    if bar is None:
        return check()
    from perfrules.tools.properties import counting

    bar.start_check()
    try:
        with counting(bar.example):
            return check()
    finally:
        bar.end_check()


def main_fmt(args: Any) -> int:
    """`perfrules fmt [--check] [--lang zh|en] FILES`: 0 if nothing to do (or done), 1 if a file would
    change under --check or cannot be formatted (its errors are printed)."""
    import sys

    from perfrules.diagnostics import PerfrulesError, UsageError
    from perfrules.files import CannotWrite, write_atomically
    from perfrules.text import render
    from perfrules.tools.fmt import FormatError, format_and_tell
    from perfrules.tools.fmt import files as rule_files_of

    changed = failed = 0
    lang = language(args.lang)  # of a line about a file that did not load (a file's errors: its own language)
    chinese_files: list[bool] = []  # the closing count speaks Chinese when every file does (unread: no)
    paths = list(rule_files_of(args.files))
    if not paths:
        raise UsageError(usage.FMT_NO_FILES())
    for path in paths:
        if not path.is_file():
            raise UsageError(usage.NO_SUCH_FILE(path=str(path)))
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
            formatted, chinese = format_and_tell(text.replace("\r\n", "\n"), args.lang, str(path))
        except UnicodeDecodeError:
            print(usage.NOT_UTF8(path=str(path)).in_(lang), file=sys.stderr)
            chinese_files.append(False)
            failed += 1
            continue
        except PerfrulesError as exc:
            chinese_files.append(bool(exc.chinese))
            print(render.diagnostics(exc.diagnostics, language(args.lang, bool(exc.chinese))), file=sys.stderr,
                  end="")
            failed += 1
            continue
        except FormatError as exc:
            print(usage.FMT_FAILED(problem=exc.said).in_(lang), file=sys.stderr)
            chinese_files.append(False)
            failed += 1
            continue
        chinese_files.append(chinese)
        spoken = language(args.lang, chinese)  # the file's own language
        if formatted == text:
            continue
        changed += 1
        if args.check:
            print(usage.WOULD_REFORMAT(path=str(path)).in_(spoken))
        else:
            try:
                write_atomically(path, formatted)
            except CannotWrite as exc:
                _error(usage.CANNOT_WRITE(path=exc.path, reason=exc.reason), args, spoken)
                failed += 1
                changed -= 1
                continue
            print(usage.REFORMATTED(path=str(path)).in_(spoken))
    unchanged = len(paths) - changed - failed
    summary = usage.FMT_CHECK_SUMMARY if args.check else usage.FMT_SUMMARY
    errors = usage.WITH_ERRORS(count=failed) if failed else ""
    print(summary(changed=changed, s="s" * (changed != 1), unchanged=unchanged, errors=errors).in_(
        language(args.lang, all(chinese_files))), file=sys.stderr)
    return 1 if failed or (args.check and changed) else 0


def main_batch(ruleset: Ruleset, args: SimpleNamespace) -> int:
    """`perfrules eval RULES --batch FILE|DIR`: exit 0 if every record scored, 1 if any failed."""
    from perfrules.tools.batch_input import BatchError, BatchInput
    from perfrules.tools.batch_run import BatchStopped, Interrupted, StopRequests, Tally, run_batch

    fmt = args.format or "json"
    lang = language(getattr(args, "lang", None), ruleset.model.chinese)  # of the reports on stderr
    if fmt not in ("json", "csv"):
        _error(usage.BATCH_FORMATS(format=fmt), args, lang)
        return 2
    if getattr(args, "reasons", False):
        if fmt != "json":
            _error(usage.REASONS_WITH_JSON(), args, lang)
            return 2
        fmt = "json+reasons"
    workers = getattr(args, "workers", 1) or 1
    if workers < 1:
        _error(usage.AT_LEAST_ONE(option="--workers"), args, lang)
        return 2
    path = Path(args.batch)
    try:
        kind = BatchInput(path).kind
    except WordedError as exc:
        _error(exc.said, args, lang)
        return 2
    if kind == "csv" and ruleset.rows:
        tables = ", ".join(i.name for i in ruleset.model.inputs if i.type.kind == "rows")
        _error(usage.CSV_NO_ROWS(tables=tables), args, lang)
        return 2
    output: Path | None = getattr(args, "output", None)
    if output is not None and _reads_what_it_writes(path, kind, output):
        _error(usage.OWN_INPUT(path=str(output)), args, lang)
        return 2
    tally = Tally()
    stopped: Said | None = None  # what stopped the batch early, for the summary line
    code = 0
    out: IO[str] | None = None
    temporary: Path | None = None
    existed = output is not None and output.exists()
    atomic = output is not None and (output.is_file() or not existed)
    bar = None
    with StopRequests().installed() as signals:
        try:
            if output is not None and atomic:
                # beside the output, renamed over it once the batch is done: never half a file, and
                # an existing output is untouched until then
                temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
                out = open(temporary, "w", encoding="utf-8", newline="")
            elif output is not None:  # a device or a pipe (/dev/null, a FIFO): written as it goes
                out = open(output, "w", encoding="utf-8", newline="")
            else:
                out = sys.stdout
            bar = _batch_bar(path, lang)
            # a record's errors are said as `eval RULES FACTS` says them: in the language of the file's
            # keywords (docs/errors.md); the bar and the counts speak as the rest of the batch does
            errors_lang = language(getattr(args, "lang", None), ruleset.model.chinese_keywords)
            run_batch(ruleset, path, out, sys.stderr, fmt, workers, bar, errors_lang, tally, signals)
            if output is not None:
                out.close()
            else:
                out.flush()
            if temporary is not None:
                os.replace(temporary, output)  # type: ignore[arg-type]  # output is set with temporary
                temporary = None
        except Interrupted as exc:
            stopped, code = usage.STOPPED_BY_SIGNAL(signal=str(exc)), 128 + exc.signum
        except BatchStopped as exc:
            _error(exc.said, args, lang)
            stopped, code = exc.what(), 1
        except BatchError as exc:
            _error(exc.said, args, lang)
            return 1
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise  # the reader went away (`| head`): main() ends quietly
            where = str(output) if output is not None else usage.STANDARD_OUTPUT().in_(lang)
            _error(usage.CANNOT_WRITE(path=where, reason=str(exc.strerror or exc)), args, lang)
            stopped, code = usage.STOPPED_OUTPUT_FAILED(), 1
        finally:
            if bar is not None:
                bar.close()
            if output is not None and out is not None:
                with contextlib.suppress(OSError):
                    out.close()
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()
    done = usage.BATCH_DONE(scored=tally.scored, failed=tally.failed)  # as the progress line writes them
    if stopped is None:
        print(done.in_(lang), file=sys.stderr)
        return 0 if tally.failed == 0 else 1
    if not atomic:
        kept = usage.KEPT_IN_ORDER()
    else:
        kept = usage.KEPT_AS_IT_WAS(path=str(output)) if existed else usage.KEPT_NOT_WRITTEN(path=str(output))
    print(usage.BATCH_STOPPED(done=done, why=stopped, kept=kept).in_(lang), file=sys.stderr)
    return code


def main_check(args: Any) -> int:
    """`perfrules check`: every file checked; exit 1 if any has errors."""
    from perfrules.text import render
    from perfrules.text.check_output import as_github, as_json, as_sarif, check_file, colour, rule_files, use_colour

    fmt = getattr(args, "format", "text") or "text"
    lang = getattr(args, "lang", None)
    results = [check_file(path, lang) for path in rule_files(args.rules)]
    if fmt == "text":
        coloured = use_colour(sys.stderr, getattr(args, "color", "auto"))
        for r in results:
            if r.diagnostics:
                text = render.diagnostics(r.diagnostics, r.lang)
                if coloured:  # the diagnostics are escaped already; the colours are ours
                    from perfrules.cli.streams import unescaped

                    unescaped(sys.stderr).write(colour(text))
                else:
                    print(text, file=sys.stderr, end="")
            else:
                print(r.summary)
    else:
        sys.stdout.write({"json": as_json, "github": as_github, "sarif": as_sarif}[fmt](results))
    return 1 if any(r.diagnostics for r in results) else 0


def main_summary(args: SimpleNamespace) -> int:
    from perfrules.text.summary import summarize, to_html, to_xlsx

    path = Path(args.results)
    try:
        with open(path, encoding="utf-8") as f:
            s = summarize(f)
    except (OSError, UnicodeDecodeError) as exc:
        _error(usage.CANNOT_READ(path=str(path), reason=str(exc)), args)
        return 2
    lang = language(args.lang, True)  # no rule file to go by: Chinese unless --lang or PERFRULES_LANG says
    output: Path | None = args.output
    if output is not None and output.suffix.lower() == ".xlsx":
        _note_escaped(output, to_xlsx(s, output, lang), lang_of(lang == "zh"))
    elif output is not None:
        from perfrules.files import write_atomically

        write_atomically(output, to_html(s, lang))
    else:
        sys.stdout.write(to_html(s, lang))
    return 0


def main_explain(ruleset: Any, args: SimpleNamespace) -> int:
    """`perfrules explain RULES FACTS PATH [--format text|json] [--lang zh|en]`."""
    from perfrules.text.explain import explain
    from perfrules.text.explain import text as explanation_text

    result = ruleset.evaluate(args.facts)  # a facts file, or a filled-in form read as `eval` reads it
    explanation = explain(result, args.path, language(getattr(args, "lang", None), ruleset.model.chinese))
    if getattr(args, "format", "text") == "json":
        print(explanation.to_json(), end="")
    else:
        print(explanation_text(explanation), end="")
    return 0


def main_report(ruleset: Any, args: SimpleNamespace) -> int:
    """`perfrules report RULES FACTS --format markdown|html|xlsx [-o FILE] [--lang zh|en]`."""
    from perfrules.text.report import html, markdown
    from perfrules.text.report_xlsx import xlsx

    facts, result = _score_for_report(ruleset, args)
    output: Path | None = getattr(args, "output", None)
    fmt = report_format(getattr(args, "format", None), output)
    lang = language(getattr(args, "lang", None), ruleset.model.chinese)
    if getattr(args, "layout", "table") == "form":  # the 自评表 as filed (perfrules.text.filedform)
        from perfrules.text import filedform

        if not filedform.has_rows(result):
            from perfrules.diagnostics import UsageError

            raise UsageError(usage.FORM_NEEDS_ROWS())
        return _filed_form(result, facts, fmt, output, lang)
    if fmt == "xlsx":
        if output is None:
            from perfrules.diagnostics import UsageError

            raise UsageError(usage.XLSX_NEEDS_OUTPUT())
        _note_escaped(output, xlsx(result, output, lang), lang)
        return 0
    text = html(result, lang) if fmt == "html" else markdown(result, lang)
    if output is None:
        sys.stdout.write(text)
    else:
        from perfrules.files import write_atomically

        write_atomically(output, text)  # whole or not at all: an earlier report stays as it was
    return 0


_REPORT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}
# documents of a kind a report is not written as (any other suffix, .txt say, takes markdown)
_OTHER_DOCUMENTS = frozenset({".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsm", ".ods", ".csv", ".json"})


def report_format(given: str | None, output: Path | None) -> str:
    """`--format` as given (`md` is `markdown`); without it, the one `-o FILE` names by its suffix
    (`-o 自评.xlsx` writes a workbook, not markdown text in a file named .xlsx), else markdown."""
    if given is not None:
        return "markdown" if given == "md" else given
    if output is not None:  # `-o -` is None: the standard output
        if output.suffix.lower() in _OTHER_DOCUMENTS:  # markdown in a file named .pdf opens as a broken PDF
            raise UsageError(usage.REPORT_CANNOT_WRITE(path=str(output), suffix=output.suffix))
        return _REPORT_SUFFIXES.get(output.suffix.lower(), "markdown")
    return "markdown"


def _score_for_report(ruleset: Any, args: SimpleNamespace) -> tuple[Any, Result]:
    """The facts as read (a facts file, or a filled-in workbook), so the form can show them as written,
    and their Result. A workbook is scored as `eval` scores it (`score_form`): its errors name its cells
    (`f.xlsx:自评表!E12`); read back from its `import` text, they named that text's lines."""
    from perfrules.inputs import is_workbook
    from perfrules.inputs.facts_file import load_facts

    path = Path(args.facts)
    if is_workbook(path):
        from perfrules.inputs.workbook import facts_of, score_form

        result, form = score_form(ruleset, path, getattr(args, "sheet", None))
        return facts_of(form), result
    facts = load_facts(path)
    return facts, ruleset.evaluate(facts)


def _filed_form(result: Result, facts: Any, fmt: str, output: Path | None, lang: Lang) -> int:
    from perfrules.text import filedform
    from perfrules.text.report_xlsx import _openpyxl

    rows: list[Any] = []
    for inp in result.ruleset.model.inputs:
        if getattr(inp, "columns", ()):
            raw = facts.facts.get(inp.name, [])
            rows = [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
            break
    form = filedform.filed_form(result, rows, given=facts.facts)
    if fmt == "xlsx":
        if output is None:
            from perfrules.diagnostics import UsageError

            raise UsageError(usage.XLSX_NEEDS_OUTPUT())
        _note_escaped(output, filedform.xlsx(form, output, _openpyxl()), lang)
        return 0
    text = filedform.html(form) if fmt == "html" else filedform.markdown(form)
    if output is None:
        sys.stdout.write(text)
    else:
        from perfrules.files import write_atomically

        write_atomically(output, text)  # whole or not at all: an earlier report stays as it was
    return 0


def _batch_bar(path: Path, lang: Lang) -> Any:
    """A progress bar for the batch on a terminal (perfrules.cli.progress), or None."""
    from perfrules.cli import progress

    if not progress.shown(sys.stderr):
        return None
    from perfrules.tools.batch_input import BatchInput

    return progress.BatchBar(sys.stderr, BatchInput(path).count(), lang)


def _note_escaped(output: Path, count: int, lang: Lang) -> None:
    """Say that a workbook holds escapes where the data had characters xlsx cannot hold."""
    if count:
        print(usage.XLSX_ESCAPED(path=str(output), count=count).in_(lang), file=sys.stderr)


def _reads_what_it_writes(source: Path, kind: str, output: Path) -> bool:
    """The output is the batch's input file (by any name or link to it), or a file its folder would read."""
    if output.exists() and source.exists():
        if kind != "dir" and os.path.samefile(source, output):
            return True
    if kind == "dir":
        parent = output.resolve().parent
        return parent == source.resolve() and output.suffix.lower() in (".toml", ".json", ".xlsx", ".xlsm")
    return False


def _error(said: Said, args: Any, lang: Lang | None = None) -> None:
    """`perfrules: error: …` on stderr, in `lang` if given (the language of a rule file read), else
    that of --lang (else PERFRULES_LANG, else English)."""
    print(usage.ERROR(message=said).in_(lang or language(getattr(args, "lang", None))), file=sys.stderr)
