"""The command line: usage checks and exit codes (0 ok, 1 bad rules or facts, 2 usage); the
argument parser is in cli/parser.py, each command's work in cli/commands.py."""

from __future__ import annotations

import atexit
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import NoReturn

from perfrules.catalogue import Lang, language, phrases, usage
from perfrules.diagnostics import PerfrulesError, UsageError
from perfrules.engine import Ruleset, load
from perfrules.files import CannotWrite, write_atomically
from perfrules.inputs import is_workbook
from perfrules.results.result import Result
from perfrules.semantics import arithmetic
from perfrules.text import render


def _help_language(argv: Sequence[str]) -> Lang:
    """The language of --help and of argparse's messages, read from argv before the parser is
    built: the last `--lang zh|en` (or `--lang=…`) before any `--`, else PERFRULES_LANG, else English."""
    explicit = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            explicit = argv[i + 1]
        elif arg.startswith("--lang="):
            explicit = arg.partition("=")[2]
    return language(explicit)


# `perfrules eval RULES FACTS [--format F] [--lang L]`, the command run most, read without importing
# argparse or building the parser (they cost more than the rest of a cached evaluation's start).
_EVAL_DEFAULTS = {"main_lang": None, "sheet": None, "format": None, "lang": None, "batch": None, "workers": 1,
                  "reasons": False, "output": None}
_EVAL_CHOICES = {"--format": ("text", "json", "csv"), "--lang": ("zh", "en")}


def plain_eval(arguments: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain `eval` as the parser reads them, or None for anything else (any
    other command or option, a missing or extra path, a bad choice): the parser then reads them."""
    if len(arguments) < 3 or arguments[0] != "eval":
        return None
    paths: list[str] = []
    options: dict[str, str] = {}
    rest = iter(arguments[1:])
    for word in rest:
        if word in _EVAL_CHOICES and word[2:] not in options:
            value = next(rest, None)
            if value not in _EVAL_CHOICES[word] or len(paths) == 1:  # the parser wants RULES FACTS together
                return None
            options[word[2:]] = value
        elif word.startswith("-") or not word:
            return None
        else:
            paths.append(word)
    if len(paths) != 2:
        return None
    chosen = {**_EVAL_DEFAULTS, **options}
    return SimpleNamespace(command="eval", rules=Path(paths[0]), facts=Path(paths[1]), **chosen)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `perfrules` command."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    from perfrules.cli.streams import escaping

    with escaping():
        return _main(argv)


def run() -> NoReturn:
    """The `perfrules` console script and `python -m perfrules`: `main`, then the end of the process."""
    arguments = sys.argv[1:]
    status = main(arguments)
    if plain_eval(arguments) is not None:
        _end_now(status)
    sys.exit(status)


def _end_now(status: int) -> NoReturn:
    """End a plain `eval` without tearing the interpreter down.

    Freeing every module and object of the process, and the last garbage collection, took 10–20 ms
    of a ~100 ms cached `perfrules eval` (issue 15, bench/README.md). A plain eval opened no file,
    thread or process that outlives it and wrote only to stdout and stderr, so there is nothing to
    clean up: the exit handlers still run and the output is flushed, and the rest is left to the
    operating system (as Instagram's servers skip that teardown with `os._exit`)."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with it closed (`2>&-`): Python made it None
            continue
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed: as main
            pass
        except OSError:  # a full disk: the output is not whole, so the command did not succeed
            status = status or 1
    os._exit(status)


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = plain_eval(arguments)
    if args is None:
        from perfrules.cli import parser

        # one type for the arguments, however they were read
        args = SimpleNamespace(**vars(parser.build(_help_language(arguments)).parse_args(arguments)))
    if getattr(args, "lang", None) is None and args.main_lang is not None and hasattr(args, "lang"):
        args.lang = args.main_lang
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
    except CannotWrite as exc:  # a full disk, a folder, no permission: the user's to fix, not a bug
        print(usage.ERROR(message=usage.CANNOT_WRITE(path=exc.path, reason=exc.reason)).in_(
            language(getattr(args, "lang", None), bool(loaded.chinese))), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`perfrules eval … | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            return _internal_error(exc, args)
        # the output could not be written (`>/dev/full`, a full disk): the user's to fix, not a bug
        lang = language(getattr(args, "lang", None), bool(loaded.chinese))
        reason = exc.strerror or str(exc)
        print(usage.ERROR(message=usage.CANNOT_WRITE(path=usage.STANDARD_OUTPUT().in_(lang), reason=reason)).in_(lang),
              file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in perfrules, never the user's mistake
        return _internal_error(exc, args)


# What only writing can fail with: an OSError with one of these that reaches `_main` is the output's
# (stdout's, EBADF when it is closed: cli/streams.py; files are written by write_atomically, which
# raises CannotWrite).
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF})


def _internal_error(exc: Exception, args: SimpleNamespace) -> int:
    if os.environ.get("PERFRULES_DEBUG"):
        import traceback  # here: 4 ms of every start otherwise

        traceback.print_exc()
    bug = usage.INTERNAL_ERROR(error=f"{type(exc).__name__}: {exc}")
    print(bug.in_(language(getattr(args, "lang", None))), file=sys.stderr)
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

    if not is_workbook(form):
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


def _check_usage(args: SimpleNamespace) -> None:
    """Numbers and output paths a command cannot use: wrong usage (exit 2), found before any work."""
    output = getattr(args, "output", None)
    if output is not None and not output.parent.exists():
        raise UsageError(usage.NO_FOLDER(path=str(output), folder=str(output.parent)))
    if getattr(args, "workers", 1) < 1:
        raise UsageError(usage.AT_LEAST_ONE(option="--workers"))
    if getattr(args, "examples", 1) < 1:
        raise UsageError(usage.AT_LEAST_ONE(option="--examples"))


def _swapped(args: SimpleNamespace) -> None:
    """`perfrules eval FACTS RULES`: say so, instead of a syntax error about `[` in the facts file."""
    rules, facts = getattr(args, "rules", None), getattr(args, "facts", None)
    if isinstance(rules, Path) and isinstance(facts, Path) and rules.suffix.lower() == ".toml" \
            and facts.suffix.lower() == ".rules":  # fmt: skip
        raise UsageError(usage.SWAPPED(command=args.command, rules=str(facts), facts=str(rules)))


def _run(args: SimpleNamespace, load_rules: _Loader) -> int:
    _check_usage(args)
    _swapped(args)
    if args.command == "completion":
        from perfrules.cli import completion, parser

        print({"bash": completion.bash, "zsh": completion.zsh, "fish": completion.fish}[args.shell](parser.build()),
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
            write_atomically(args.output, text)
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
