"""The command line, pinned by golden transcripts (tests/golden/cli/).

Refresh with PERFRULES_UPDATE_GOLDEN=1 and review the diff: a golden file is an
expectation someone has read, not whatever the code printed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import perfrules
from perfrules.cli import main

from .conftest import ROOT
from .goldens import check_golden

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "cli"
GUIDE = ROOT / "docs" / "language.md"  # the language contract's examples, published with the project
EXAMPLE = HERE / "fixtures" / "spec-example.rules"
EXAMPLE_FACTS = HERE / "fixtures" / "spec-example.toml"
RULES_GZ = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"
FACTS_GZ = RULES_GZ.with_suffix(".facts.toml")


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "perfrules", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60,
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


def golden(name: str, text: str) -> None:
    check_golden(GOLDEN / name, text)


def test_eval_spec_example_text() -> None:
    code, out, err = run("eval", "tests/fixtures/spec-example.rules", "tests/fixtures/spec-example.toml")
    assert code == 0, err
    # 9.51 + (18.50 + 10 + 16) + 40 = 94.01, rating 优
    assert "94.01" in out
    golden("eval-spec-example.txt", out)


def test_eval_spec_example_json() -> None:
    code, out, err = run("eval", "tests/fixtures/spec-example.rules", "tests/fixtures/spec-example.toml",
                         "--format", "json")
    assert code == 0, err
    golden("eval-spec-example.json", out)


def test_check_errors_transcript() -> None:
    code, out, err = run("check", "tests/fixtures/type-errors.rules")
    assert code == 1 and out == ""
    golden("check-type-errors.txt", err)


def test_syntax_error_transcript() -> None:
    code, _out, err = run("check", "tests/fixtures/errors.rules")
    assert code == 1
    # the syntax error no longer hides the checker's errors of the rest of the file (issue 14)
    assert "tests/fixtures/errors.rules:10:12: error: `当超支` runs the keyword `当` into a name [E103]\n" in err
    assert [line[-5:-1] for line in err.splitlines() if ": error: " in line] == \
        ["E201", "E103", "E431", "E434", "E304"]
    golden("check-syntax-error.txt", err)


def test_bad_facts_transcript() -> None:
    code, out, err = run("eval", "tests/fixtures/spec-example.rules", "tests/fixtures/bad-facts.toml")
    assert code == 1 and out == ""
    golden("eval-bad-facts.txt", err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["eval"])
    assert info.value.code == 2
    assert main(["eval", "nope.rules", "nope.toml"]) == 2
    assert main(["eval", str(EXAMPLE)]) == 2


def test_check_ok_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLE)]) == 0
    # the example's indicators have Chinese names, so the answer is in Chinese:
    # 预算执行率, 产出指标 (培训, 报送, 结果应用), 满意度 = 6 indicators, 5 of them scored
    assert capsys.readouterr().out.endswith("检查通过（6个指标，其中5个计分，总分100）\n")


def test_fixture_is_the_spec_example() -> None:
    # the fixture is the contract's first example, copied verbatim (tests/fixtures/README.md);
    # the user's guide shows the same text as its Example 1
    blocks = [b.split("```")[0] for b in GUIDE.read_text("utf-8").split("```perfrules\n")[1:]]
    assert EXAMPLE.read_text("utf-8") in blocks


def test_eval_output_file_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `-o` without --batch used to be ignored: the table went to the screen and exit was 0 (issue 14)
    target = tmp_path / "out.json"
    assert main(["eval", str(EXAMPLE), str(EXAMPLE.with_suffix(".toml")), "--format", "json", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["total"] == perfrules.load(EXAMPLE).evaluate(EXAMPLE.with_suffix(".toml")).to_dict()["total"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind
    text = tmp_path / "out.txt"
    assert main(["eval", str(EXAMPLE), str(EXAMPLE.with_suffix(".toml")), "-o", str(text)]) == 0
    assert text.read_text(encoding="utf-8").startswith(capsys.readouterr().out) and "项目支出绩效自评" in \
        text.read_text(encoding="utf-8")


def test_positional_arguments_have_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("eval", "report", "explain", "check"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert ("RULES " in out and "the rule file" in out) or "rule files (.rules), folders of them" in out
        if command == "eval":
            assert "a facts file (.toml, .json), or a filled-in form" in out
        elif command != "check":
            assert "the facts file (.toml, .json)" in out


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_output_that_cannot_be_written_is_said_so_in_the_user_s_language_not_called_a_bug(
        capsys: pytest.CaptureFixture[str]) -> None:
    # `perfrules eval … > /dev/full`: before, "internal error … this is a bug in perfrules"
    for lang, expected in (("en", "perfrules: error: cannot write the standard output: No space left on device"),
                           ("zh", "无法写入标准输出：No space left on device")):
        with contextlib.redirect_stdout(_FullDisk()):
            assert main(["eval", str(RULES_GZ), str(FACTS_GZ), "--lang", lang]) == 1
        err = capsys.readouterr().err
        assert expected in err
        assert "bug" not in err
