"""The command line's argument parser, its help and errors in the catalogue's languages.

Imported only when a command is not a plain `perfrules eval RULES FACTS` (`cli.plain_eval`
reads that one without argparse, whose import and formatters cost more than the rest of a
cached evaluation's start: issue 15).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

from perfrules import __version__
from perfrules.catalogue import Lang, Message, Said, helptext, usage
from perfrules.files import output_path


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter with the `usage: ` prefix in the help's language."""

    prefix = helptext.USAGE_PREFIX.en

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self.prefix if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse's parser with its errors in the help's language (catalogue/usage.py)."""

    lang: Lang = "en"

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = usage.ARGPARSE_ERROR(prog=self.prog, message=_argparse_said(message))
        self.exit(2, said.in_(self.lang) + "\n")


def _argparse_said(message: str) -> Said:
    """argparse's English message as a catalogue entry with its parts, matched by the entry's
    English text; as written if none matches."""
    for entry in usage.ARGPARSE_MESSAGES:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(entry.en))
        found = re.fullmatch(pattern, message, re.DOTALL)
        if found:
            return entry(**found.groupdict())
    return usage.ARG_AS_WRITTEN(message=message)


def _formatter(lang: Lang) -> type[argparse.HelpFormatter]:
    return type("Formatter", (_Formatter,), {"prefix": helptext.USAGE_PREFIX.in_(lang)})


def build(lang: Lang = "en") -> argparse.ArgumentParser:
    """The parser, its help in `lang` (perfrules.catalogue.helptext)."""
    formatter = _formatter(lang)

    def h(message: Message) -> str:
        return message.in_(lang)

    def titled(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        # argparse's own headings and -h, in the help's language
        parser._positionals.title = h(helptext.POSITIONALS)
        parser._optionals.title = h(helptext.OPTIONS)
        parser.add_argument("-h", "--help", action="help", help=h(helptext.HELP))
        return parser

    parser_class = type("Parser", (_Parser,), {"lang": lang})
    parser = titled(parser_class(prog="perfrules", description=h(helptext.DESCRIPTION), add_help=False,
                                 formatter_class=formatter))
    parser.add_argument("--version", action="version", version=f"perfrules {__version__}", help=h(helptext.VERSION))
    # `perfrules --lang zh COMMAND …` as well as `perfrules COMMAND --lang zh …` (a command's own
    # --lang would overwrite a shared `lang` with its default, hence a dest of its own)
    parser.add_argument("--lang", dest="main_lang", choices=("zh", "en"), default=None, help=h(helptext.LANG))
    sub = parser.add_subparsers(dest="command", metavar=h(helptext.COMMAND))
    sub.required = True

    def command(name: str, message: Message) -> argparse.ArgumentParser:
        return titled(sub.add_parser(name, help=h(message), description=h(message), add_help=False,
                                     formatter_class=formatter))

    lang_help = h(helptext.LANG)
    check = command("check", helptext.CHECK)
    check.add_argument("rules", nargs="+", type=Path, metavar="PATH", help=h(helptext.CHECK_PATHS))
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text",
                       help=h(helptext.CHECK_FORMAT))
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=h(helptext.CHECK_COLOR))
    check.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)

    ev = command("eval", helptext.EVAL)
    ev.add_argument("rules", type=Path, metavar="RULES", help=h(helptext.RULES))
    ev.add_argument("facts", type=Path, metavar="FACTS", nargs="?", help=h(helptext.EVAL_FACTS))
    ev.add_argument("--sheet", metavar="NAME", help=h(helptext.EVAL_SHEET))
    ev.add_argument("--format", choices=("text", "json", "csv"), default=None, help=h(helptext.EVAL_FORMAT))
    ev.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    ev.add_argument("--batch", type=Path, metavar="FILE|DIR", help=h(helptext.EVAL_BATCH))
    ev.add_argument("--workers", type=int, default=1, metavar="N", help=h(helptext.EVAL_WORKERS))
    ev.add_argument("--reasons", action="store_true", help=h(helptext.EVAL_REASONS))
    ev.add_argument("-o", "--output", type=output_path, metavar="FILE", help=h(helptext.EVAL_OUTPUT))

    imp = command("import", helptext.IMPORT)
    imp.add_argument("form", type=Path, metavar="FORM", help=h(helptext.IMPORT_FORM))
    imp.add_argument("--rules", type=Path, required=True, metavar="RULES", help=h(helptext.IMPORT_RULES))
    imp.add_argument("-o", "--output", type=output_path, metavar="FILE", help=h(helptext.IMPORT_OUTPUT))
    imp.add_argument("--sheet", metavar="NAME", help=h(helptext.IMPORT_SHEET))
    imp.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)

    test = command("test", helptext.TEST)
    test.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=h(helptext.TEST_PATHS))
    test.add_argument("--properties", action="store_true", help=h(helptext.TEST_PROPERTIES))
    test.add_argument("--examples", type=int, default=200, metavar="N", help=h(helptext.TEST_EXAMPLES))
    test.add_argument("-k", dest="keyword", metavar="EXPRESSION", help=h(helptext.TEST_KEYWORD))
    test.add_argument("--seed", type=int, metavar="N", help=h(helptext.TEST_SEED))
    test.add_argument("-x", "--exitfirst", action="store_true", help=h(helptext.TEST_EXITFIRST))
    test.add_argument("--allow-outside", action="store_true", help=h(helptext.TEST_ALLOW_OUTSIDE))
    test.add_argument("--junit-xml", metavar="FILE", help=h(helptext.TEST_JUNIT))
    test.add_argument("--coverage", action="store_true", help=h(helptext.TEST_COVERAGE))
    test.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)

    report = command("report", helptext.REPORT)
    report.add_argument("rules", type=Path, metavar="RULES", help=h(helptext.RULES))
    report.add_argument("facts", type=Path, metavar="FACTS", help=h(helptext.FACTS))
    report.add_argument("--format", choices=("markdown", "md", "html", "xlsx"), default=None,
                        help=h(helptext.REPORT_FORMAT))
    report.add_argument("-o", "--output", type=output_path, metavar="FILE", help=h(helptext.REPORT_OUTPUT))
    report.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    report.add_argument("--sheet", metavar="NAME", help=h(helptext.REPORT_SHEET))
    report.add_argument("--layout", choices=("table", "form"), default="table", help=h(helptext.REPORT_LAYOUT))

    new = command("new", helptext.NEW)
    new.add_argument("what", choices=("facts", "rules"), metavar="facts|rules", help=h(helptext.NEW_WHAT))
    new.add_argument("rules", type=Path, metavar="RULES", nargs="?", help=h(helptext.RULES_FOR_FACTS))
    new.add_argument("-o", "--output", type=output_path, metavar="FILE", help=h(helptext.NEW_OUTPUT))
    new.add_argument("--force", action="store_true", help=h(helptext.NEW_FORCE))
    new.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    starter = new.add_argument_group("new rules", h(helptext.NEW_RULES_GROUP))
    starter.add_argument("--title", metavar="TEXT", help=h(helptext.NEW_TITLE))
    starter.add_argument("--keywords", choices=("zh", "en"), help=h(helptext.NEW_KEYWORDS))
    starter.add_argument("--total", metavar="N", help=h(helptext.NEW_TOTAL))
    starter.add_argument("--indicator", action="append", default=[], metavar="NAME=WEIGHT[:KIND]",
                         help=h(helptext.NEW_INDICATOR))
    starter.add_argument("--from-xlsx", type=Path, metavar="FORM", help=h(helptext.NEW_FROM_XLSX))
    starter.add_argument("--sheet", metavar="NAME", help=h(helptext.NEW_SHEET))
    starter.add_argument("--no-input", action="store_true", help=h(helptext.NEW_NO_INPUT))

    fmt = command("fmt", helptext.FMT)
    fmt.add_argument("files", nargs="+", type=Path, metavar="FILE", help=h(helptext.FMT_FILES))
    fmt.add_argument("--check", action="store_true", help=h(helptext.FMT_CHECK))
    fmt.add_argument("--lang", choices=("zh", "en"), default=None, help=h(helptext.FMT_LANG))

    explain = command("explain", helptext.EXPLAIN)
    explain.add_argument("rules", type=Path, metavar="RULES", help=h(helptext.RULES))
    explain.add_argument("facts", type=Path, metavar="FACTS", help=h(helptext.FACTS))
    explain.add_argument("path", metavar="PATH", help=h(helptext.EXPLAIN_PATH))
    explain.add_argument("--format", choices=("text", "json"), default="text", help=h(helptext.EXPLAIN_FORMAT))
    explain.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    summary = command("summary", helptext.SUMMARY)
    summary.add_argument("results", type=Path, metavar="RESULTS", help=h(helptext.SUMMARY_RESULTS))
    summary.add_argument("-o", "--output", type=output_path, metavar="FILE", help=h(helptext.SUMMARY_OUTPUT))
    summary.add_argument("--lang", choices=("zh", "en"), default=None, help=h(helptext.SUMMARY_LANG))

    completion = command("completion", helptext.COMPLETION)
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help=h(helptext.COMPLETION_SHELL))
    return parser
