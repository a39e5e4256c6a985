"""`eval --batch ... -o FILE` (issue 16, items 8, 10 and 11): an output that is the input is
refused before anything is written, the output is whole or untouched, and an output that
cannot be written is a plain error, not a bug report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from perfrules.cli import main

RULES = 'ruleset "r" { total 10 }\ninput x: number\nindicator a weight 10 { score x }\n'


def _batch(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "r.rules"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "d.jsonl"
    data.write_text('{"x": 3}\n{"x": 7}\n', encoding="utf-8")
    return rules, data


def test_an_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    rules, data = _batch(tmp_path)
    before = data.read_bytes()
    assert main(["eval", str(rules), "--batch", str(data), "-o", str(data)]) == 2
    assert "is the batch's own input" in capsys.readouterr().err
    assert data.read_bytes() == before
    link = tmp_path / "link.jsonl"
    link.symlink_to(data)
    assert main(["eval", str(rules), "--batch", str(data), "-o", str(link)]) == 2
    assert data.read_bytes() == before


def test_an_output_a_folder_batch_would_read_back_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "r.rules"
    rules.write_text(RULES, encoding="utf-8")
    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / "p1.toml").write_text("[facts]\nx = 4\n", encoding="utf-8")
    assert main(["eval", str(rules), "--batch", str(folder), "-o", str(folder / "results.toml")]) == 2
    assert not (folder / "results.toml").exists()
    # JSON lines beside the facts files are not read as facts: allowed
    assert main(["eval", str(rules), "--batch", str(folder), "-o", str(folder / "results.jsonl")]) == 0
    assert '"total": "4.00"' in (folder / "results.jsonl").read_text(encoding="utf-8")


def test_the_output_is_replaced_whole_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    rules, data = _batch(tmp_path)
    out = tmp_path / "out.jsonl"
    out.write_text("an earlier run\n", encoding="utf-8")
    assert main(["eval", str(rules), "--batch", str(data), "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    # score x: 3 and 7 points out of 10
    assert ['"total": "3.00"' in lines[0], '"total": "7.00"' in lines[1]] == [True, True]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.jsonl", "out.jsonl", "r.rules"]


def test_a_batch_that_stops_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    rules = tmp_path / "r.rules"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("x,x\n1,2\n", encoding="utf-8")  # a header naming a column twice stops the batch
    out = tmp_path / "out.jsonl"
    out.write_text("an earlier run\n", encoding="utf-8")
    assert main(["eval", str(rules), "--batch", str(data), "-o", str(out), "--format", "csv"]) == 1
    assert out.read_text(encoding="utf-8") == "an earlier run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "out.jsonl", "r.rules"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_an_output_that_cannot_be_written_is_an_error_not_a_bug(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rules, data = _batch(tmp_path)
    assert main(["eval", str(rules), "--batch", str(data), "-o", "/dev/full"]) == 1
    err = capsys.readouterr().err
    assert "cannot write /dev/full: No space left on device" in err
    assert "internal error" not in err and "Traceback" not in err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert main(["eval", str(rules), "--batch", str(data), "-o", str(folder)]) == 1
    assert f"cannot write {folder}" in capsys.readouterr().err


def test_csv_output_cells_cannot_run_as_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # issue 16 item 16: ids and file names come from the input; a spreadsheet opening the CSV
    # must show them as text (a leading '), while a negative number stays a number
    import csv
    import io

    rules = tmp_path / "r.rules"
    rules.write_text(RULES.replace("input x: number", "input id: text\ninput x: number"), encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text('id,x\n"=HYPERLINK(""http://x"",""y"")",3\n+cmd,4\n@SUM(1+1),5\n-12,6\n', encoding="utf-8")
    assert main(["eval", str(rules), "--batch", str(data), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    ids = [row[rows[0].index("id")] for row in rows[1:]]
    assert ids == ["'=HYPERLINK(\"http://x\",\"y\")", "'+cmd", "'@SUM(1+1)", "-12"]
    # the totals are the scores: x points out of 10
    assert [row[rows[0].index("total")] for row in rows[1:]] == ["3.00", "4.00", "5.00", "6.00"]


def test_a_rows_ruleset_batch_writes_its_reasons(tmp_path: Path) -> None:
    # A rows ruleset returns from Ruleset.__init__ before it compiles; the batch with reasons read
    # `keep_values` from it and stopped with "internal error". 廊坊 2019 (worked out in
    # project-form.cases.toml): 执行率 86.2% → 8.62 of 10, and 工程资金金额 8.62 of 10, so
    # 1.38 is lost at each of those two paths and nowhere else; total 97.24.
    import shutil

    from perfrules.cli import main

    root = Path(__file__).resolve().parents[1] / "rulesets" / "mof"
    shutil.copy(root / "project-form.langfang-2019.facts.toml", tmp_path / "a.toml")
    out = tmp_path / "out.jsonl"
    assert main(["eval", str(root / "project-form.rules"), "--batch", str(tmp_path), "--reasons", "-o", str(out)]) == 0
    [line] = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert (line["file"], line["total"]) == ("a.toml", "97.24")
    assert [(x["path"], x["points"]) for x in line["lost"]] == [
        ("预算执行率", "1.38"), ("产出指标.数量指标.指标1工程资金金额", "1.38")]
