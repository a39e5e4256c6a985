"""Issue 16, item 18: control characters that an xlsx cell cannot hold no longer stop a workbook.

`[meta] entity = "A\\u0001B"` made `report --format xlsx` fail with openpyxl's
IllegalCharacterError. Every xlsx writer (the report, the filed form, the summary) now writes
such a character as its escape (`A\\x01B`, as a terminal shows it), and the command says so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs
import openpyxl  # type: ignore[import-untyped]
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

import perfrules
from perfrules.text import filedform, report_xlsx
from perfrules.text.xlsxout import ILLEGAL

from .test_filedform import FORM, LINES

RULES = """ruleset "r" { total 10
  rating { >= 9: "优"; else: "差" } }
input x: number
input remark: text
indicator A weight 10 { full
  deduct 1 when x > 0 because "{remark}" }
"""


def _values(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    return [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_the_pattern_is_openpyxls() -> None:
    assert ILLEGAL.pattern == ILLEGAL_CHARACTERS_RE.pattern


def test_the_report_writes_what_xlsx_cannot_hold_as_escapes(tmp_path: Path) -> None:
    rs = perfrules.loads(RULES, "r.rules")
    result = rs.evaluate({"meta": {"entity": "A\u0001B"}, "facts": {"x": 1, "remark": "r\u001b[2J"}})
    path = tmp_path / "r.xlsx"
    # the entity's \x01 in its header cell and in 存在的主要问题, which starts with the entity: 2;
    # the reason's \x1b in the 扣分原因 cell and in 存在的主要问题: 2
    assert report_xlsx.xlsx(result, path) == 4
    values = _values(path)
    assert "A\\x01B" in values
    assert any("r\\x1b[2J" in v for v in values)
    assert not any(ILLEGAL.search(v) for v in values)


def test_the_filed_form_writes_what_xlsx_cannot_hold_as_escapes(tmp_path: Path) -> None:
    line = attrs.evolve(LINES[0], reason="原因\u0007")
    form = attrs.evolve(FORM, lines=(line, *LINES[1:]), header=(("项目名称", "项目\u0002"),),
                        provenance="p&q\u0003.rules · sha256 0 · perfrules 0")
    path = tmp_path / "f.xlsx"
    assert filedform.xlsx(form, path, openpyxl) == 3  # the reason, the header value, the footer
    values = _values(path)
    assert "原因\\x07" in values and "项目\\x02" in values
    footer = openpyxl.load_workbook(path).active.oddFooter.left.text
    assert footer == "p&&q\\x03.rules · sha256 0 · perfrules 0"  # `&` alone would start a footer code


@pytest.fixture
def results(tmp_path: Path) -> Path:
    lines = [
        {"row": 1, "id": "p\u0001", "error": [{"code": "F202", "message": "unknown input `a\u0003`", "where": "x",
                                                "help": None}]},
        {"row": 2, "total": "9.00", "rating": "\u0004优", "points": {"A": "9.00"},
         "lost": [{"path": "A", "points": "1.00", "reasons": ["r\u0005"]}]},
    ]
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


@pytest.mark.parametrize("command", ["report", "report form", "summary"])
def test_commands_write_the_workbook_and_say_so(command: str, tmp_path: Path, results: Path) -> None:
    if command == "summary":
        args = ["summary", str(results), "-o", str(tmp_path / "out.xlsx")]
    elif command == "report":
        (tmp_path / "r.rules").write_text(RULES, "utf-8")
        (tmp_path / "f.toml").write_text('[meta]\nentity = "A\\u0001B"\n[facts]\nx = 0\nremark = ""\n', "utf-8")
        args = ["report", str(tmp_path / "r.rules"), str(tmp_path / "f.toml"), "--format", "xlsx",
                "-o", str(tmp_path / "out.xlsx")]
    else:
        root = Path(__file__).resolve().parents[1]
        facts = (root / "rulesets/mof/project-form.langfang-2019.facts.toml").read_text("utf-8")
        (tmp_path / "f.toml").write_text(facts.replace("[meta]\n", '[meta]\n"填报人" = "A\\u0001B"\n', 1), "utf-8")
        args = ["report", str(root / "rulesets/mof/project-form.rules"), str(tmp_path / "f.toml"), "--layout",
                "form", "--format", "xlsx", "-o", str(tmp_path / "out.xlsx")]
    proc = subprocess.run([sys.executable, "-m", "perfrules", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    # the note is in the language of what was written: the summary and the 10号 form are in Chinese
    said = "cannot hold" if command == "report" else "xlsx单元格不能容纳的控制字符（"
    assert said in proc.stderr and "out.xlsx" in proc.stderr
    values = _values(tmp_path / "out.xlsx")
    assert any("\\x0" in v for v in values) and not any(ILLEGAL.search(v) for v in values)
