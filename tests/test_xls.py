"""Excel 97–2003 forms (.xls), read through xlrd (the `xls` extra), exactly as .xlsx forms are read.

The fixture tests/fixtures/forms/langfang-2019.xls is the 廊坊市食品工程学校 2019 自评表 in the
10号 layout (written by tests/fixtures/forms/make_xls.py with xlwt; the values typed from
the published table, as in rulesets/mof/project-form.langfang-2019.facts.toml).
"""

from __future__ import annotations

import importlib
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from perfrules.cli import main
from perfrules.diagnostics import Collector, FactsError
from perfrules.inputs import grid, workbook

pytest.importorskip("xlrd")

ROOT = Path(__file__).resolve().parents[1]
MOF = ROOT / "rulesets" / "mof"
RULES = MOF / "project-form.rules"
FORM = ROOT / "tests" / "fixtures" / "forms" / "langfang-2019.xls"


def test_an_xls_form_imports_to_the_typed_facts_with_its_cells(tmp_path: Path) -> None:
    out = tmp_path / "langfang.toml"
    assert main(["import", str(FORM), "--rules", str(RULES), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    back = tomllib.loads(text, parse_float=Decimal)
    with open(MOF / "project-form.langfang-2019.facts.toml", "rb") as f:
        typed = tomllib.load(f, parse_float=Decimal)
    assert back["facts"]["绩效指标"] == typed["facts"]["绩效指标"]
    # numbers as typed: the doubles Excel stored read back as their shortest decimal
    assert '"全年执行数" = 37.24  # langfang-2019.xls:自评表!F6' in text
    assert '"完成值" = "37.24"  # langfang-2019.xls:自评表!E11' in text
    # a merged 一级 cell is named by the top of its range; the empty 「指标2」 row is left out
    assert text.count('"一级指标" = "产出指标"  # langfang-2019.xls:自评表!A11') == 5
    assert "row 12: the template's placeholder 「指标2」" in text


def test_an_xls_form_scores_like_its_facts(capsys: pytest.CaptureFixture[str]) -> None:
    # hand computation in project-form.cases.toml (SOURCE 1): 8.62 + 48.62 + 30 + 10 = 97.24
    assert main(["eval", str(RULES), str(FORM), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["total"], result["rating"]) == ("97.24", "优")


def test_evaluate_reads_a_form_from_its_path() -> None:
    # 8.62 + 48.62 + 30 + 10 = 97.24 (project-form.cases.toml, SOURCE 1); it said F101 (not UTF-8 text)
    ruleset = perfrules.load(RULES)
    assert ruleset.evaluate(FORM).total == ruleset.evaluate(str(FORM)).total == Decimal("97.24")


def test_explain_reads_a_form_as_eval_does(capsys: pytest.CaptureFixture[str]) -> None:
    # it read the workbook as a TOML facts file and said F101 (not UTF-8 text); 执行率 = 37.24 / 43.2 = 86.20…%,
    # × 10 = 8.62 points (the form's F6 and E6, as project-form.cases.toml works it)
    assert main(["explain", str(RULES), str(FORM), "预算执行率", "--format", "json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert explained["points"] == "8.62"
    assert explained["exact"].startswith("8.6203703")
    assert explained["steps"][1]["values"] == {"name": "全年执行数", "value": "37.24"}


def test_merged_ranges_and_percent_formats_come_from_the_file() -> None:
    cells = grid.read_grids(FORM, Collector())[0].cells
    assert cells[(6, 8)].percent_format  # 执行率 0.862 shown as 86.2%
    assert cells[(6, 8)].value == Decimal("0.862")
    assert cells[(15, 1)].origin == (11, 1)  # 产出指标 merged over A11:A16
    assert cells[(6, 7)].value == 10 and isinstance(cells[(6, 7)].value, int)  # a whole number is an int


def test_a_folder_takes_xls_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.xls").write_bytes(FORM.read_bytes())
    (tmp_path / "b.toml").write_bytes((MOF / "project-form.lijiang-2020.facts.toml").read_bytes())
    assert main(["eval", str(RULES), "--batch", str(tmp_path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(x["file"], x["total"]) for x in lines] == [("a.xls", "97.24"), ("b.toml", "100.00")]


def _errors(path: Path) -> list[Any]:
    with pytest.raises(FactsError) as info:
        workbook.read_form(path, workbook.specs_from_model(perfrules.load(RULES).model.inputs))
    return list(info.value.diagnostics)


def test_without_xlrd_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def no_xlrd(name: str, package: str | None = None) -> Any:
        if name == "xlrd":
            raise ImportError("No module named 'xlrd'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", no_xlrd)
    [error] = _errors(FORM)
    assert error.code == "W101" and "needs xlrd" in error.message
    assert "perfrules[xls]" in (error.help or "") and ".xlsx" in (error.help or "")


def test_a_file_that_is_not_an_xls_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "form.xls"
    fake.write_text("一级指标,二级指标\n", encoding="utf-8")  # a CSV saved under the wrong name
    [error] = _errors(fake)
    assert error.code == "W100" and "not a readable .xls workbook" in error.message
