"""What a `perfrules eval` start imports and how it reads its arguments (issue 15, target 5).

The start-up time itself is measured in bench/startup.py (never timed here); these tests pin
what makes it short: the package imports nothing until a name is used, a cached evaluation
needs neither the parser nor the workbook reader, and the plain `eval` arguments read without
argparse mean exactly what argparse reads from them (a differential property test)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import cli
from perfrules.cli import parser

from .conftest import ROOT

RULES = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"
FACTS = RULES.with_suffix(".facts.toml")


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    run = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, env=env)
    return set(run.stdout.split()[-1000:])


def test_import_perfrules_alone_imports_none_of_its_modules() -> None:
    loaded = _modules_after("import perfrules")
    assert sorted(m for m in loaded if m.startswith("perfrules.")) == []
    assert "attrs" not in loaded


def test_every_public_name_is_still_there_and_imported_on_first_use() -> None:
    for name in perfrules.__all__:
        assert getattr(perfrules, name) is not None, name
    assert perfrules.load is __import__("perfrules.engine").engine.load
    assert set(perfrules.__all__) <= set(dir(perfrules))
    with pytest.raises(AttributeError, match="no_such_name"):
        perfrules.no_such_name  # noqa: B018


def test_a_cached_eval_imports_neither_the_parser_nor_the_workbook_reader_nor_attrs(tmp_path: Path) -> None:
    """attrs took ~30 ms to import and ~0.8 ms per class it made: what a cached eval loads is
    made with perfrules.records instead (see its docstring)."""
    env = {k: v for k, v in os.environ.items() if k != "PERFRULES_NO_CACHE"}
    env["PERFRULES_CACHE_DIR"] = str(tmp_path / "cache")
    code = (f"import contextlib, io\nfrom perfrules.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main(['eval', {str(RULES)!r}, {str(FACTS)!r}]) == 0")
    first = _modules_after(code, env)  # parses, and fills the cache
    assert "lark" in first
    second = _modules_after(code, env)
    forbidden = ("lark", "openpyxl", "tempfile", "secrets", "argparse", "attr", "attrs", "json")  # json: a table
    heavy = sorted(m for m in second if m.split(".")[0] in forbidden
                   or m.startswith(("perfrules.syntax", "perfrules.inputs.workbook", "perfrules.cli.commands",
                                    "perfrules.cli.parser")))
    assert heavy == []


_WORDS = ["eval", "check", "a.rules", "b.toml", "c", "--format", "json", "text", "csv", "xml", "--lang", "zh",
          "en", "fr", "-o", "out.txt", "--batch", "--reasons", "-h", "", "--form", "--format=json", "-", "--"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=7).map(lambda ws: ["eval", *ws]) | st.lists(st.sampled_from(_WORDS)))
def test_plain_eval_reads_what_the_parser_reads(arguments: list[str]) -> None:
    fast = cli.plain_eval(arguments)
    if fast is None:
        return  # the parser reads them (and reports what is wrong)
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        full = parser.build().parse_args(arguments)  # a SystemExit here fails the test: fast said it was fine
    assert vars(fast) == vars(full)


def test_plain_eval_takes_the_usual_forms() -> None:
    assert cli.plain_eval(["eval", "r.rules", "f.toml"]) is not None
    assert cli.plain_eval(["eval", "--lang", "en", "r.rules", "f.toml", "--format", "json"]) is not None
    assert cli.plain_eval(["eval", "r.rules", "--format", "json", "f.toml"]) is None  # argparse refuses it too
    assert cli.plain_eval(["eval", "r.rules", "--batch", "b.jsonl"]) is None


def _console(arguments: list[str], before: str = "") -> subprocess.CompletedProcess[str]:
    """The console script's function, `run`, as `perfrules ARGUMENTS` runs it."""
    code = f"{before}\nimport sys\nsys.argv = ['perfrules', *{arguments!r}]\nfrom perfrules.cli import run\nrun()"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_console_script_ends_a_plain_eval_with_all_its_output_and_its_exit_handlers_run() -> None:
    # a plain eval ends with os._exit (no teardown): what Python would flush at exit must be flushed
    arguments = ["eval", str(RULES), str(FACTS), "--format", "json"]  # ~16 KB: more than one buffer
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        assert cli.main(arguments) == 0
    handler = "import atexit, sys\natexit.register(print, 'exit handler ran', file=sys.stderr)"
    done = _console(arguments, handler)
    assert done.returncode == 0
    assert done.stdout == expected.getvalue()
    assert '"total": "97.21"' in done.stdout  # the published total of this ruleset's report
    assert done.stderr == "exit handler ran\n"


def test_the_console_script_keeps_main_s_exit_status_on_both_ways_out() -> None:
    missing = _console(["eval", str(RULES), "no-such-facts.toml"])  # a plain eval: ended at once
    assert (missing.returncode, missing.stdout) == (2, "")
    assert "no-such-facts.toml" in missing.stderr
    checked = _console(["check", str(RULES)])  # any other command: sys.exit, with the teardown
    assert checked.returncode == 0


def test_the_console_script_ends_a_plain_eval_whose_stderr_or_stdout_is_closed(tmp_path: Path) -> None:
    # `perfrules eval … 2>&-`: Python starts with sys.stderr None; the end must not trip on it
    script = tmp_path / "run.py"
    script.write_text(f"import sys\nsys.argv = ['perfrules', 'eval', {str(RULES)!r}, {str(FACTS)!r}]\n"
                      "from perfrules.cli import run\nrun()\n", encoding="utf-8")
    closed_stderr = subprocess.run(["sh", "-c", f'"{sys.executable}" "{script}" 2>&-'], capture_output=True, text=True)
    assert (closed_stderr.returncode, closed_stderr.stderr) == (0, "")
    assert "97.21" in closed_stderr.stdout
    closed_stdout = subprocess.run(["sh", "-c", f'"{sys.executable}" "{script}" >&-'], capture_output=True, text=True)
    assert closed_stdout.returncode == 1
    assert closed_stdout.stderr == "perfrules: error: cannot write the standard output: Bad file descriptor\n"
