"""The command line: the argument parser, usage checks and exit codes (0 ok, 1 bad rules or
facts, 2 usage); each command's work is in cli/commands.py."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from perfrules import __version__
from perfrules.catalogue import language, phrases, usage
from perfrules.diagnostics import PerfrulesError, UsageError
from perfrules.engine import Ruleset, load
from perfrules.files import write_atomically
from perfrules.results.result import Result
from perfrules.semantics import arithmetic
from perfrules.text import render

_RULES_HELP = "the rule file (.rules)"
_LANG_HELP = ("the language of messages (and headings): zh or en; default: PERFRULES_LANG, "
              "else Chinese for a rule file with Chinese keywords")
_FACTS_HELP = "the facts file (.toml) of one project, or a filled-in form (.xlsx, .xlsm, .xls, .csv)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perfrules",
        description="Evaluate budget performance scoring rules (绩效自评) exactly, with reasons.",
    )
    parser.add_argument("--version", action="version", version=f"perfrules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    check = sub.add_parser("check", help="check rule files and report every error")
    check.add_argument("rules", nargs="+", type=Path, metavar="PATH",
                       help="rule files (.rules), folders of them, or quoted globs like 'rulesets/**/*.rules'")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text",
                       help="text (default), json, github (workflow annotations) or sarif (SARIF 2.1.0)")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour the text format: on a terminal unless NO_COLOR is set (default auto)")
    check.add_argument("--lang", choices=("zh", "en"), default=None, help=_LANG_HELP)

    ev = sub.add_parser("eval", help="evaluate a rule file against a facts file (or a batch)")
    ev.add_argument("rules", type=Path, metavar="RULES", help=_RULES_HELP)
    ev.add_argument("facts", type=Path, metavar="FACTS", nargs="?",
                    help="a facts .toml file, or a filled-in form (.xlsx, .xlsm, .xls, .csv); "
                         "leave it out with --batch")
    ev.add_argument("--sheet", metavar="NAME", help="with a workbook: the sheet holding the form")
    ev.add_argument("--format", choices=("text", "json", "csv"), default=None,
                    help="text table (default), json; with --batch: json lines (default) or csv")
    ev.add_argument("--lang", choices=("zh", "en"), default=None, help=_LANG_HELP)
    ev.add_argument("--batch", type=Path, metavar="FILE|DIR",
                    help="score many records: a .jsonl or .csv file, or a folder of facts .toml files "
                         "and filled-in forms (.xlsx, .xls)")
    ev.add_argument("--workers", type=int, default=1, metavar="N", help="processes for --batch (default 1)")
    ev.add_argument("--reasons", action="store_true",
                    help="with --batch: each JSON line also lists its 扣分原因 (path, points, reasons)")
    ev.add_argument("-o", "--output", type=Path, metavar="FILE",
                    help="write the result (or the batch's results) to FILE instead of the screen")

    imp = sub.add_parser("import", help="read a filled-in form (.xlsx, .xlsm, .xls, .csv) into a facts file")
    imp.add_argument("form", type=Path, metavar="FORM")
    imp.add_argument("--rules", type=Path, required=True, metavar="RULES",
                     help="the rule file whose input labels name the form's cells")
    imp.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print the facts file")
    imp.add_argument("--sheet", metavar="NAME", help="the sheet holding the form (default: found by its labels)")
    imp.add_argument("--lang", choices=("zh", "en"), default=None, help=_LANG_HELP)

    test = sub.add_parser("test", help="run the *.cases.toml test cases of rulesets")
    test.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                      help="cases files, folders of them (default: rulesets/), or rule files with --properties")
    test.add_argument("--properties", action="store_true",
                      help="also check the built-in invariants and declared intentions with hypothesis")
    test.add_argument("--examples", type=int, default=200, metavar="N", help="hypothesis examples per property")
    test.add_argument("-k", dest="keyword", metavar="EXPRESSION",
                      help="run only the cases whose name contains these words: `-k \"执行率 and not 超支\"`")
    test.add_argument("--seed", type=int, metavar="N",
                      help="draw the property checks' examples from seed N: the same run, the same counterexample")
    test.add_argument("-x", "--exitfirst", action="store_true", help="stop at the first failing case")
    test.add_argument("--allow-outside", action="store_true",
                      help="let cases files name rule and facts files outside the folders given (or, for a "
                           "cases file given itself, outside its own folder)")
    test.add_argument("--junit-xml", type=Path, metavar="FILE", help="also write a JUnit XML report to FILE")
    test.add_argument("--coverage", action="store_true",
                      help="list the tiers, grade arms, checklist items, adjustments, applies and vetoes "
                           "that no case exercises")
    test.add_argument("--lang", choices=("zh", "en"), default=None, help=_LANG_HELP)

    report = sub.add_parser("report", help="write the score table and 存在的主要问题 as markdown, html or xlsx")
    report.add_argument("rules", type=Path, metavar="RULES", help=_RULES_HELP)
    report.add_argument("facts", type=Path, metavar="FACTS", help=_FACTS_HELP)
    report.add_argument("--format", choices=("markdown", "html", "xlsx"), default="markdown")
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print markdown/html")
    report.add_argument("--lang", choices=("zh", "en"), default=None, help=_LANG_HELP)
    report.add_argument("--sheet", metavar="NAME", help="with a workbook as FACTS: the sheet holding the form")
    report.add_argument("--layout", choices=("table", "form"), default="table",
                        help="table: the 评分表 with 评分标准 and 扣分原因 (default); "
                             "form: the 10号 自评表 as filed, for rows rulesets")

    new = sub.add_parser("new", help="write a starter file: `new facts RULES` (a facts file to fill in) "
                         "or `new rules` (a rule file, from a short interview or a filled-in form)")
    new.add_argument("what", choices=("facts", "rules"), metavar="facts|rules",
                     help="facts: a facts file template for RULES; rules: a starter rule file")
    new.add_argument("rules", type=Path, metavar="RULES", nargs="?", help=_RULES_HELP + " (new facts)")
    new.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the file here (default: print)")
    new.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new.add_argument("--lang", choices=("zh", "en"), default=None, help=_LANG_HELP)
    starter = new.add_argument_group("new rules", "on a terminal, what these leave open is asked; "
                                     "elsewhere (or with --no-input) it takes its default")
    starter.add_argument("--title", metavar="TEXT", help="the ruleset's title (规则集名称)")
    starter.add_argument("--keywords", choices=("zh", "en"), help="write the keywords in Chinese (default) or English")
    starter.add_argument("--total", metavar="N", help="the total points (default 100)")
    starter.add_argument("--indicator", action="append", default=[], metavar="NAME=WEIGHT[:KIND]",
                         help="a top-level indicator, repeated for each; KIND is 执行率|execution, "
                              "比例|ratio (default), 分档|tiers or 评定|judged. Default: the 财预〔2020〕10号 "
                              "split 预算执行率 10, 产出指标 50, 效益指标 30, 满意度指标 10")
    starter.add_argument("--from-xlsx", type=Path, metavar="FORM",
                         help="make the starter from a filled-in 10号 自评表 (.xlsx, .xlsm, .xls, .csv): "
                              "one indicator per 一级指标, rows scored as the form's standard says")
    starter.add_argument("--sheet", metavar="NAME", help="with --from-xlsx: the sheet holding the form")
    starter.add_argument("--no-input", action="store_true", help="ask nothing, even on a terminal")

    fmt = sub.add_parser("fmt", help="rewrite rule files in the canonical layout (comments kept)")
    fmt.add_argument("files", nargs="+", type=Path, metavar="FILE", help="rule files, or folders of them")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; list the files that would change and exit 1 if any would")
    fmt.add_argument("--lang", choices=("zh", "en"), default=None,
                     help="also write every keyword and function name in Chinese or English "
                          "(and print messages in that language)")

    explain = sub.add_parser("explain", help="show step by step how one indicator's points were computed")
    explain.add_argument("rules", type=Path, metavar="RULES", help=_RULES_HELP)
    explain.add_argument("facts", type=Path, metavar="FACTS", help=_FACTS_HELP)
    explain.add_argument("path", metavar="PATH", help="the indicator's path, like 产出指标.培训")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument("--lang", choices=("zh", "en"), default=None, help=_LANG_HELP)
    summary = sub.add_parser("summary", help="one page for a whole batch: ratings, totals, where points were lost")
    summary.add_argument("results", type=Path, metavar="RESULTS",
                         help="the JSON lines of `perfrules eval RULES --batch … --reasons`")
    summary.add_argument("-o", "--output", type=Path, metavar="FILE",
                         help="summary.html or summary.xlsx (default: print the HTML)")
    summary.add_argument("--lang", choices=("zh", "en"), default=None)

    completion = sub.add_parser("completion", help="print a shell completion script: "
                                "eval \"$(perfrules completion bash)\" (or zsh; fish: docs/cli.md)")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `perfrules` command."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    from perfrules.cli.streams import escaping

    with escaping():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    loaded = _Loader()
    try:
        return _run(args, loaded)
    except UsageError as exc:
        print(usage.ERROR(message=exc.said).in_(language(getattr(args, "lang", None))), file=sys.stderr)
        return 2
    except PerfrulesError as exc:
        chinese = exc.chinese if exc.chinese is not None else loaded.chinese
        lang = language(getattr(args, "lang", None), bool(chinese))
        print(render.diagnostics(exc.diagnostics, lang), file=sys.stderr, end="")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`perfrules eval … | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug in perfrules, never the user's mistake
        if os.environ.get("PERFRULES_DEBUG"):
            traceback.print_exc()
        print(f"perfrules: internal error: {type(exc).__name__}: {exc}\n"
              "this is a bug in perfrules; set PERFRULES_DEBUG=1 to see where it happened",
              file=sys.stderr)
        return 1


class _Loader:
    """Loads the command's rule file, and remembers whether it writes its keywords in Chinese:
    the diagnostics of what follows (its facts, its form) are then printed in Chinese."""

    def __init__(self) -> None:
        self.chinese: bool | None = None

    def __call__(self, path: Path) -> Ruleset:
        _readable(path)
        # the command owns its process: pausing the GC is its call, and so is the per-user cache
        ruleset = load(path, pause_gc=True, cache=True)
        self.chinese = ruleset.model.chinese_keywords
        return ruleset


def _form_as_facts(ruleset: Ruleset, form: Path, sheet: str | None, rules: str) -> str:
    """A workbook read for these rules, as the text of a facts file (every value's cell in a comment)."""
    from perfrules.inputs.workbook import read_form, specs_from_model

    if form.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".csv"):
        raise UsageError(usage.FORM_KINDS(path=str(form)))
    return read_form(form, specs_from_model(ruleset.model.inputs), sheet).to_toml(rules)


def _score_form_noting_differences(ruleset: Ruleset, form: Path, sheet: str | None, lang: str | None) -> Result:
    """Score a workbook; on stderr, the rows whose 得分 on the form differs from the computed points."""
    from perfrules.inputs.workbook import entered_points_that_differ, score_form

    result: Result
    result, read = score_form(ruleset, form, sheet)
    differences = entered_points_that_differ(read, result)
    if differences:
        said = language(lang, ruleset.model.chinese)
        print(phrases.FORM_POINTS_DIFFER.format(said, count=len(differences)), file=sys.stderr)
        for path, cell, points in differences:
            entered = arithmetic.plain(cell.value)
            row = phrases.FORM_POINTS_DIFFER_ROW.format(said, path=path, entered=entered, cell=cell.where,
                                                        points=points)
            print(row, file=sys.stderr)
    return result


def _readable(path: Path) -> None:
    if not path.exists():
        raise UsageError(usage.NO_SUCH_FILE(path=str(path)))
    if path.is_dir():
        raise UsageError(usage.IS_A_FOLDER(path=str(path)))


def _check_usage(args: argparse.Namespace) -> None:
    """Numbers and output paths a command cannot use: wrong usage (exit 2), found before any work."""
    output = getattr(args, "output", None)
    if output is not None and not output.parent.exists():
        raise UsageError(usage.NO_FOLDER(path=str(output), folder=str(output.parent)))
    if getattr(args, "workers", 1) < 1:
        raise UsageError(usage.AT_LEAST_ONE(option="--workers"))
    if getattr(args, "examples", 1) < 1:
        raise UsageError(usage.AT_LEAST_ONE(option="--examples"))


def _swapped(args: argparse.Namespace) -> None:
    """`perfrules eval FACTS RULES`: say so, instead of a syntax error about `[` in the facts file."""
    rules, facts = getattr(args, "rules", None), getattr(args, "facts", None)
    if isinstance(rules, Path) and isinstance(facts, Path) and rules.suffix.lower() == ".toml" \
            and facts.suffix.lower() == ".rules":  # fmt: skip
        raise UsageError(usage.SWAPPED(command=args.command, rules=str(facts), facts=str(rules)))


def _run(args: argparse.Namespace, load_rules: _Loader) -> int:
    _check_usage(args)
    _swapped(args)
    if args.command == "completion":
        from perfrules.cli import completion

        print({"bash": completion.bash, "zsh": completion.zsh, "fish": completion.fish}[args.shell](_parser()),
              end="")
        return 0
    if args.command == "check":
        from perfrules.cli.commands import main_check

        return main_check(args)
    if args.command == "import":
        ruleset = load_rules(args.rules)
        _readable(args.form)
        text = _form_as_facts(ruleset, args.form, args.sheet, str(args.rules))
        if args.output is None:
            print(text, end="")
        else:
            args.output.write_text(text, encoding="utf-8")
            print(usage.WROTE(path=str(args.output)).in_(language(args.lang, ruleset.model.chinese)),
                  file=sys.stderr)
        return 0
    if args.command == "summary":
        from perfrules.cli.commands import main_summary

        return main_summary(args)
    if args.command == "new":
        from perfrules.cli.commands import main_new

        return main_new(args, load=load_rules)  # the command line's load: a missing file is a usage error
    if args.command == "fmt":
        from perfrules.cli.commands import main_fmt

        return main_fmt(args)
    if args.command == "test":
        from perfrules.cli.commands import main_test

        return main_test(args)
    if args.command == "report":
        from perfrules.cli.commands import main_report

        _readable(args.facts)
        return main_report(load_rules(args.rules), args)
    if args.command == "explain":
        from perfrules.cli.commands import main_explain

        _readable(args.facts)
        return main_explain(load_rules(args.rules), args)
    if args.command == "eval" and args.batch is not None:
        from perfrules.cli.commands import main_batch

        if not args.batch.exists():  # a file or a folder of facts files
            raise UsageError(usage.NO_SUCH_FILE_OR_FOLDER(path=str(args.batch)))
        return main_batch(load_rules(args.rules), args)
    if args.command == "eval":
        if args.facts is None:
            raise UsageError(usage.EVAL_NEEDS_FACTS())
        ruleset = load_rules(args.rules)
        _readable(args.facts)
        from perfrules.inputs.workbook import is_workbook

        if is_workbook(args.facts):
            result = _score_form_noting_differences(ruleset, args.facts, args.sheet, args.lang)
        else:
            result = ruleset.evaluate(args.facts)
        if args.format == "csv":
            raise UsageError(usage.CSV_NEEDS_BATCH())
        lang = language(args.lang, ruleset.model.chinese)
        text = result.to_json() + "\n" if args.format == "json" else render.table(result, lang)
        if args.output is not None:
            write_atomically(args.output, text)
        else:
            print(text, end="")
        return 0
    raise UsageError(usage.UNKNOWN_COMMAND(command=args.command))  # pragma: no cover
