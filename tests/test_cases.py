"""`perfrules test`: the cases runner, its diffs, and what it refuses in a cases file."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules.cli import main
from perfrules.tools.cases import CasesError, load_cases
from perfrules.tools.testrun import run_file

GOOD = Path(__file__).parent / "fixtures" / "cases" / "good"

# The facts of small.facts.toml, inline. Hand computation (as in good/small.cases.toml):
#   预算执行率 190 / 200 = 95% × 10 = 9.50; 培训 40 − 2 × 5 = 30.00; 报送 10.00;
#   结果应用 良 = 80% × 10 = 8.00; 满意度 85% → 20.00;  total 77.50 → 中
FACTS = """\
[case.facts]
budget = 200
spent = 190
trainings_planned = 8
trainings_held = 6
satisfaction = "85%"
report_on_time = true
results_used = "良"
"""


def cases_file(tmp_path: Path, body: str, rules: str = "small.rules") -> Path:
    shutil.copy(GOOD / "small.rules", tmp_path / "small.rules")
    path = tmp_path / "t.cases.toml"
    path.write_text(f'rules = "{rules}"\n' + body, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["test", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_passing_cases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(GOOD))
    assert code == 0, out
    assert "ok   the example facts file" in out
    assert "ok: 1 file: 3 passed, 0 failed" in out


def test_failing_total_shows_a_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 77.50 is right (see FACTS); the case says 77.49 and 满意度 25, and expects a wrong reason
    path = cases_file(
        tmp_path,
        f"""
[[case]]
name = "wrong by a cent"
{FACTS}
[case.expect]
total = "77.49"
rating = "良"
lost_paths = ["培训", "满意度", "报送"]
[case.expect.points]
"满意度" = 25
[case.expect.lost]
"培训" = ["培训3次未完成"]
""",
    )
    code, out = run(capsys, str(path))
    assert code == 1
    assert f"FAIL wrong by a cent  ({path}:3)" in out
    assert "total: expected 77.49, got 77.50" in out
    assert "rating: expected 良, got 中" in out
    assert "points of `满意度`: expected 25, got 20.00" in out
    assert "lost_paths: expected `报送` to lose points; it scored 10.00" in out
    assert "lost_paths: `预算执行率` lost 0.50 points, not expected" in out
    assert "lost `培训`: no reason contains '培训3次未完成'" in out
    assert "- 培训2次未完成" in out  # the actual reasons are shown
    assert "FAILED: 1 file: 0 passed, 1 failed" in out


def test_total_compares_as_decimal(tmp_path: Path) -> None:
    # 77.5 == 77.50 as decimals; a TOML float is read as Decimal, never binary
    path = cases_file(
        tmp_path,
        f"""
[[case]]
name = "numbers"
{FACTS}
[case.expect]
total = 77.5
[case.expect.points]
"预算执行率" = 9.5
""",
    )
    report, cases, _ = run_file(path)
    assert cases is not None and cases.cases[0].expect.total == Decimal("77.5")
    assert report.passed, report


def test_error_expectation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cases_file(
        tmp_path,
        """
[[case]]
name = "refused as expected"
[case.facts]
budget = 200
spent = 200
trainings_planned = 8
trainings_held = 8
satisfaction = 0.9
report_on_time = true
[case.expect]
error = "satisfaction"

[[case]]
name = "wrong message expected"
[case.facts]
budget = 200
spent = 200
trainings_planned = 8
trainings_held = 8
satisfaction = 0.9
report_on_time = true
[case.expect]
error = "budget is negative"

[[case]]
name = "expected an error, got a result"
[case.facts]
budget = 200
spent = 200
trainings_planned = 8
trainings_held = 8
satisfaction = "90%"
report_on_time = true
[case.expect]
error = "satisfaction"
""",
    )
    code, out = run(capsys, str(path))
    assert code == 1
    assert "ok   refused as expected" in out
    assert "FAIL wrong message expected" in out
    assert "expected an error containing 'budget is negative'; the error was:" in out
    assert 'expected a percentage like "95.13%"' in out
    # 10 + 40 + 10 + 10 + 30 = 100.00
    assert "expected an error containing 'satisfaction', but evaluation succeeded (total 100.00)" in out


def test_unknown_keys_are_rejected_with_positions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cases_file(
        tmp_path,
        f"""
[[case]]
nmae = "typo in name"
name = "x"
{FACTS}
[case.expect]
totl = "77.50"
""",
    )
    with pytest.raises(CasesError) as info:
        load_cases(path)
    messages = [str(d) for d in info.value.diagnostics]
    assert f"{path}:4:1: error: unknown key `nmae` in a `[[case]]` [C201]" in messages
    assert f"{path}:16:1: error: unknown key `totl` in `[case.expect]` [C201]" in messages
    code, out = run(capsys, str(path))
    assert code == 1
    assert "help: did you mean `total`?" in out
    assert "Traceback" not in out


def test_unknown_indicator_path_fails_the_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cases_file(
        tmp_path,
        f"""
[[case]]
name = "typo in a path"
{FACTS}
[case.expect.points]
"满意" = "20.00"
""",
    )
    code, out = run(capsys, str(path))
    assert code == 1
    assert "points: unknown indicator `满意` (did you mean `满意度`?)" in out


def test_missing_rules_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cases_file(
        tmp_path,
        f"""
[[case]]
name = "x"
{FACTS}
[case.expect]
total = "77.50"
""",
        rules="nosuch.rules",
    )
    code, out = run(capsys, str(path))
    assert code == 1
    assert f"{path}:1:1: error: rule file `nosuch.rules` not found" in out
    assert "Traceback" not in out


def test_broken_rules_file_reports_its_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cases_file(
        tmp_path,
        f"""
[[case]]
name = "x"
{FACTS}
[case.expect]
total = "77.50"
""",
    )
    rules = tmp_path / "small.rules"
    rules.write_text(rules.read_text(encoding="utf-8").replace("ratio execution", "ratio executon"), encoding="utf-8")
    code, out = run(capsys, str(path))
    assert code == 1
    assert f"{rules}:" in out and "executon" in out
    assert "Traceback" not in out


def test_bad_toml_and_missing_facts_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.cases.toml"
    bad.write_text('rules = "small.rules"\n[[case]\n', encoding="utf-8")
    path = cases_file(
        tmp_path,
        """
[[case]]
name = "x"
facts = "nosuch.facts.toml"
[case.expect]
total = "1"
""",
    )
    code, out = run(capsys, str(tmp_path))
    assert code == 1
    assert f"{bad}:2:" in out and "not valid TOML" in out
    assert f"{path}:5:1: error: facts file `nosuch.facts.toml` not found" in out


def test_intentions_that_do_not_fit_are_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cases_file(
        tmp_path,
        f"""
[[case]]
name = "x"
{FACTS}
[case.expect]
total = "77.50"

[[intention]]
kind = "monotonic"
path = "预算执行率"
input = "spnt"
""",
    )
    code, out = run(capsys, str(path))
    assert code == 1
    assert f"{path}:20:1: error: intention: unknown input `spnt` (did you mean `spent`?)" in out


def test_no_paths_and_missing_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(tmp_path / "nowhere"))
    assert code == 2 and "no such file or folder" in out
    code, out = run(capsys, str(tmp_path))
    assert code == 1 and "no *.cases.toml files found" in out
