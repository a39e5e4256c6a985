"""The command line: argument parsing, files, exit codes (0 ok, 1 bad rules or facts, 2 usage)."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__, render
from .diagnostics import PerfrulesError
from .engine import Ruleset, load


class UsageError(Exception):
    """Wrong use of the command line (exit 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perfrules",
        description="Evaluate budget performance scoring rules (绩效自评) exactly, with reasons.",
    )
    parser.add_argument("--version", action="version", version=f"perfrules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    check = sub.add_parser("check", help="check rule files and report every error")
    check.add_argument("rules", nargs="+", type=Path, metavar="RULES")

    ev = sub.add_parser("eval", help="evaluate a rule file against a facts file")
    ev.add_argument("rules", type=Path, metavar="RULES")
    ev.add_argument("facts", type=Path, metavar="FACTS")
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ev.add_argument("--lang", choices=("zh", "en"), default=None, help="headings language (default: the file's)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `perfrules` command."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except UsageError as exc:
        print(f"perfrules: error: {exc}", file=sys.stderr)
        return 2
    except PerfrulesError as exc:
        print(render.diagnostics(exc.diagnostics), file=sys.stderr, end="")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in perfrules, never the user's mistake
        if os.environ.get("PERFRULES_DEBUG"):
            traceback.print_exc()
        print(f"perfrules: internal error: {type(exc).__name__}: {exc}\n"
              "this is a bug in perfrules; set PERFRULES_DEBUG=1 to see where it happened",
              file=sys.stderr)
        return 1


def _load(path: Path) -> Ruleset:
    _readable(path)
    return load(path)


def _readable(path: Path) -> None:
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder, not a file")


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        failed = 0
        for path in args.rules:
            try:
                ruleset = _load(path)
            except PerfrulesError as exc:
                print(render.diagnostics(exc.diagnostics), file=sys.stderr, end="")
                failed += 1
                continue
            leaves = len([i for i in ruleset.indicator_list if i.is_leaf])
            print(f"{path}: ok ({len(ruleset.indicator_list)} indicators, {leaves} scored, "
                  f"total {ruleset.model.total})")
        return 1 if failed else 0
    if args.command == "eval":
        ruleset = _load(args.rules)
        _readable(args.facts)
        result = ruleset.evaluate(args.facts)
        if args.format == "json":
            print(result.to_json())
        else:
            print(render.table(result, args.lang), end="")
        return 0
    raise UsageError(f"unknown command {args.command}")  # pragma: no cover
