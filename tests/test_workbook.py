"""Reading filled-in 自评表 workbooks: the layouts departments file, and every defect named by its cell.

The workbooks are built here with openpyxl from the published tables typed into
rulesets/mof/project-form.*.facts.toml (typed by hand from the sources named in their
headers), so what the reader gives back is compared with values a person wrote down.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from perfrules.cli import main
from perfrules.diagnostics import FactsError
from perfrules.inputs.workbook import ColumnSpec, InputSpec, read_form

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
MOF = ROOT / "rulesets" / "mof"

# What project-form.rules declares (its labels and types), as the checked model will give it.
ROWS = InputSpec("绩效指标", "绩效指标", "rows", columns=(
    ColumnSpec("一级指标", "一级指标", "text"),
    ColumnSpec("二级指标", "二级指标", "text"),
    ColumnSpec("三级指标", "三级指标", "text"),
    ColumnSpec("指标值", "年度指标值", "measure"),
    ColumnSpec("完成值", "实际完成值", "measure"),
    ColumnSpec("权重", "分值", "number"),
    ColumnSpec("自评分", "得分", "number", optional=True),
    ColumnSpec("偏差原因", "偏差原因分析及改进措施", "text", optional=True),
))
SPECS = (
    InputSpec("年初预算数", "年初预算数", "number", optional=True),
    InputSpec("全年预算数", "全年预算数", "number"),
    InputSpec("全年执行数", "全年执行数", "number"),
    ROWS,
)


def published(name: str) -> dict[str, Any]:
    with open(MOF / f"project-form.{name}.facts.toml", "rb") as f:
        return tomllib.load(f, parse_float=Decimal)


def _merge_runs(ws: Any, col: int, first: int, values: list[str]) -> None:
    """Merge each run of equal values in a column, as forms print 一级/二级 cells."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1:
                ws.merge_cells(start_row=first + start, start_column=col, end_row=first + i - 1, end_column=col)
            start = i


def ten_hao(path: Path, facts: dict[str, Any], *, headings: dict[str, str] | None = None,
            extra_rows: dict[int, list[Any]] | None = None) -> dict[str, Any]:
    """The 财预〔2020〕10号 项目支出绩效自评表 layout: title, 项目资金 block, 绩效指标 block with merged
    一级/二级 cells and a merged 「绩效指标」 cell on the left, then 总分 and the notes under it.

    Returns where each row landed (sheet row by 三级指标) so tests can check the comments.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:J1")
    ws["A2"] = f"（{facts['meta']['period']}年度）"
    ws["A3"], ws["C3"] = "项目名称", facts["meta"]["project"]
    ws.merge_cells("C3:J3")
    ws["A4"], ws["C4"] = "主管部门", "某某局"
    ws["A6"] = "项目资金（万元）"
    ws.merge_cells("A6:B8")
    for c, label in zip("DEFGHI", ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], strict=True):
        ws[f"{c}6"] = label
    f = facts["facts"]
    ws["C7"] = "年度资金总额"
    ws["D7"], ws["E7"], ws["F7"] = f.get("年初预算数"), float(f["全年预算数"]), float(f["全年执行数"])
    ws["G7"], ws["H7"] = 10, "=E7/D7"
    ws["C8"] = "其中：当年财政拨款"
    ws.cell(9, 1, None)  # a blank spacer row between the blocks
    header = 10
    ws.cell(header, 1, "绩效指标")
    for col, label in enumerate(["一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分",
                                 "偏差原因分析及改进措施"], start=2):
        ws.cell(header, col, label)
    rows = facts["facts"]["绩效指标"]
    first = header + 1
    placed: dict[str, int] = {}
    line = first
    heading = headings or {}
    firsts: list[str] = []
    seconds: list[str] = []
    for i, row in enumerate(rows):
        ws.cell(line, 2, heading.get(row["一级指标"], row["一级指标"]))
        ws.cell(line, 3, row["二级指标"])
        ws.cell(line, 4, row["三级指标"])
        for col, text in ((5, row["指标值"]), (6, row["完成值"])):
            cell = ws.cell(line, col, text)
            cell.data_type = "s"  # 「=100%」 typed as text, as forms store it (not a formula)
        ws.cell(line, 7, int(row["权重"]))
        if "自评分" in row:
            ws.cell(line, 8, float(row["自评分"]))
        if "偏差原因" in row:
            ws.cell(line, 9, row["偏差原因"])
        firsts.append(row["一级指标"])
        seconds.append(row["二级指标"])
        placed[row["三级指标"]] = line
        line += 1
        for extra in (extra_rows or {}).get(i, []):  # 「其中」 rows under the row they break down
            ws.cell(line, 4, extra[0])
            ws.cell(line, 5, extra[1])
            ws.cell(line, 6, extra[2])
            firsts.append(row["一级指标"])
            seconds.append(row["二级指标"])
            line += 1
    # merge the 一级 and 二级 runs; the merged cell keeps the top value only, as Excel does
    for col, values in ((2, firsts), (3, [a + "/" + b for a, b in zip(firsts, seconds, strict=True)])):
        _merge_runs(ws, col, first, values)
    ws.merge_cells(start_row=header, start_column=1, end_row=line - 1, end_column=1)
    ws.cell(line, 2, "总分")
    ws.cell(line, 7, 100)
    ws.cell(line + 2, 1, "注：1. 定量指标若为正向指标，则得分=全年实际值/年度指标值×该指标分值，例如 95 / 100 × 10。")
    ws.cell(line + 3, 1, "2. 定性指标分为三档：100-80%（含）、80-60%（含）、60-0%。")
    wb.save(path)
    return placed


def rows_of(form: Any) -> list[dict[str, Any]]:
    return [{k: r.value for k, r in row.values.items()} for row in form.tables["绩效指标"].rows]


def as_facts_rows(facts: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for row in facts["facts"]["绩效指标"]:
        out.append({k: (v if k in ("权重", "自评分") else str(v)) for k, v in row.items()})
    return out


# ---- the layouts departments file --------------------------------------------------------


def test_ten_hao_layout_gives_the_published_rows_and_budget(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "langfang.xlsx"
    placed = ten_hao(path, facts)
    form = read_form(path, SPECS)
    got = rows_of(form)
    want = as_facts_rows(facts)
    assert [{k: (Decimal(v) if k in ("权重", "自评分") else v) for k, v in r.items()} for r in got] == want
    # budget block read below its labels; 年初预算数 too
    assert form.values["全年预算数"].value == Decimal("43.2")
    assert form.values["全年执行数"].value == Decimal("37.24")
    assert form.values["全年预算数"].where == "langfang.xlsx:自评表!E7"
    assert form.values["年初预算数"].value == Decimal("43.2")
    # every value traced to its cell; merged 一级/二级 cells name the top of their range
    second = form.tables["绩效指标"].rows[1]
    assert second.values["三级指标"].where == f"langfang.xlsx:自评表!D{placed['指标1工程完工率']}"
    assert second.values["一级指标"].where == f"langfang.xlsx:自评表!B{placed['指标1工程资金金额']}"
    assert second.values["二级指标"].where == f"langfang.xlsx:自评表!C{placed['指标1工程完工率']}"
    assert form.tables["绩效指标"].header == "langfang.xlsx:自评表!B10:I10"
    assert form.meta["project"].value == "办公宿舍楼、食堂及餐厅暖通改造经费"


def test_headings_with_weights_are_read_without_them_and_the_cell_says_how_it_was_written(tmp_path: Path) -> None:
    facts = published("tangxi-2022")
    path = tmp_path / "tangxi.xlsx"
    ten_hao(path, facts, headings={"产出指标": "产出指标(50分)", "效益指标": "效益指标（30分）",
                                   "满意度指标": "满意度指标(10分)"})
    form = read_form(path, SPECS)
    first = form.tables["绩效指标"].rows[0].values["一级指标"]
    assert first.value == "产出指标"
    assert first.written == "产出指标(50分)"
    assert {r.values["一级指标"].value for r in form.tables["绩效指标"].rows} == {"产出指标", "效益指标", "满意度指标"}
    # measures stay as written
    assert [r.values["指标值"].value for r in form.tables["绩效指标"].rows][:2] == ["≥50个", "≥100百分比"]
    assert form.tables["绩效指标"].rows[4].values["指标值"].value == "≤90万元"


def test_breakdown_rows_placeholders_and_empty_headings_are_left_out_and_listed(tmp_path: Path) -> None:
    # 萧县 2023 河西村特色种养补贴到户项目 style: 「其中」 rows under a scored row, with targets but no 分值
    facts = published("tangxi-2022")
    path = tmp_path / "xiaoxian.xlsx"
    breakdown = [["其中：桃树种植面积", "1.5亩", "1.5亩"], ["其中苹果树种植面积", "5亩", "5亩"]]
    ten_hao(path, facts, extra_rows={0: breakdown, 2: [["……", None, None]]})
    form = read_form(path, SPECS)
    table = form.tables["绩效指标"]
    assert len(table.rows) == len(facts["facts"]["绩效指标"])
    assert [r.values["三级指标"].value for r in table.rows] == [r["三级指标"] for r in facts["facts"]["绩效指标"]]
    assert any("其中：桃树种植面积" in s for s in table.skipped)
    assert any("其中苹果树种植面积" in s for s in table.skipped)
    assert any("placeholder 「……」" in s for s in table.skipped)


def test_the_total_row_and_the_notes_end_the_table(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "f.xlsx"
    ten_hao(path, facts)
    form = read_form(path, SPECS)
    # 9 rows, then 总分 (G = 100) and notes full of numbers: none read as a row
    assert len(form.tables["绩效指标"].rows) == 9


def test_the_xianjie_layout_with_its_own_column_order_and_wording(tmp_path: Path) -> None:
    # 绩效目标自评表 (濉溪县 2019): 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 | 未完成原因…;
    # 全年预算数(A) / 全年执行数(B); no 年初预算数.
    facts = published("suixi-2019")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["绩效目标自评表"])
    ws.append(["（2019年度）"])
    ws.append(["项目名称", "临时救助"])
    ws.append(["资金情况(万元)", None, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"])
    ws.append([None, "年度资金总额:", 30, 30, 10, "100%", 10])
    ws.append([None, "其中：本年财政拨款", 30, 30, 10, "100%", 10])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
               "未完成原因及拟采取的改进措施"])
    last_first = last_second = None
    for row in facts["facts"]["绩效指标"]:
        first = None if row["一级指标"] == last_first else row["一级指标"] + "(50分)"
        second = None if row["二级指标"] == last_second else row["二级指标"]
        last_first, last_second = row["一级指标"], row["二级指标"]
        ws.append([first, second, row["三级指标"], int(row["权重"]), row["指标值"], row["完成值"],
                   int(row["自评分"]), row.get("偏差原因")])
    ws.append(["总分", None, None, 100, None, None, 100])
    path = tmp_path / "suixi.xlsx"
    wb.save(path)
    form = read_form(path, SPECS)
    got = rows_of(form)
    assert [r["三级指标"] for r in got] == [r["三级指标"] for r in facts["facts"]["绩效指标"]]
    # blank (unmerged) 一级/二级 cells take the value above, and say where it was written
    third = form.tables["绩效指标"].rows[2]
    assert third.values["一级指标"].value == "产出指标"
    assert third.values["一级指标"].where == "suixi.xlsx:Sheet1!A9"
    assert third.values["二级指标"].where == "suixi.xlsx:Sheet1!B9"
    assert got[3]["完成值"] == "4604人" and got[3]["指标值"] == ">=4754人"
    assert got[3]["偏差原因"] == "特困人员实行动态管理"
    assert form.values["全年预算数"].value == 30 and form.values["全年预算数"].where == "suixi.xlsx:Sheet1!C5"
    assert "年初预算数" not in form.values


def test_csv_export_reads_like_the_workbook(tmp_path: Path) -> None:
    facts = published("worked-example")
    path = tmp_path / "form.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["项目支出绩效自评表"])
        w.writerow(["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
        w.writerow(["年度资金总额", "", "200", "212.5", "10", "106.25%", "10"])
        w.writerow([])
        w.writerow(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施"])
        last = ("", "")
        for row in facts["facts"]["绩效指标"]:
            a = "" if row["一级指标"] == last[0] else row["一级指标"]
            b = "" if (row["一级指标"], row["二级指标"]) == last else row["二级指标"]
            last = (row["一级指标"], row["二级指标"])
            w.writerow([a, b, row["三级指标"], row["指标值"], row["完成值"], row["权重"],
                        row.get("自评分", ""), row.get("偏差原因", "")])
        w.writerow(["总分", "", "", "", "", "100", "88.7"])
    form = read_form(path, SPECS)
    want = as_facts_rows(facts)
    got = [{k: (v if k in ("权重", "自评分") else str(v)) for k, v in r.items()} for r in rows_of(form)]
    assert got == want
    assert form.values["全年执行数"].value == Decimal("212.5")
    assert form.values["全年执行数"].where == "form.csv!D3"
    # a CSV saved by Excel in Chinese is GBK: read the same
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(path.read_text(encoding="utf-8-sig").encode("gb18030"))
    assert rows_of(read_form(gbk, SPECS)) == rows_of(form)
    # a folder holding it is a batch of one form, as `eval RULES form.csv` reads it (it was skipped without a
    # word): 88.70, the worked example's total as project-form.cases.toml works it out by hand
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "form.csv").write_bytes(path.read_bytes())
    out = tmp_path / "out.jsonl"
    assert main(["eval", str(MOF / "project-form.rules"), "--batch", str(folder), "-o", str(out)]) == 0
    [line] = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert (line["file"], line["total"]) == ("form.csv", "88.70")


def test_to_toml_reads_back_as_the_published_facts_with_cell_comments(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "langfang.xlsx"
    placed = ten_hao(path, facts)
    text = read_form(path, SPECS).to_toml("project-form.rules")
    back = tomllib.loads(text, parse_float=Decimal)
    assert back["facts"]["绩效指标"] == facts["facts"]["绩效指标"]
    assert back["facts"]["全年预算数"] == Decimal("43.2") and back["facts"]["全年执行数"] == Decimal("37.24")
    line = next(ln for ln in text.splitlines() if ln.startswith('"三级指标" = "指标1工程资金金额"'))
    assert line.endswith(f"# langfang.xlsx:自评表!D{placed['指标1工程资金金额']}")
    assert '"全年预算数" = 43.2  # langfang.xlsx:自评表!E7' in text
    assert "# 绩效指标: header langfang.xlsx:自评表!B10:I10" in text


# ---- defects: errors naming sheet and cell, never a guess ------------------------------------


def _errors(path: Path, specs: Any = SPECS) -> list[str]:
    with pytest.raises(FactsError) as info:
        read_form(path, specs)
    return [f"{d.location()}: {d.code}: {d.message}" for d in info.value.diagnostics]


def test_two_candidate_header_rows_is_an_error_naming_both(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "twice.xlsx"
    ten_hao(path, facts)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for col, label in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"], start=2):
        ws.cell(40, col, label)
    wb.save(path)
    errors = _errors(path)
    assert len(errors) == 1
    assert "W111" in errors[0] and "自评表!B10" in errors[0] and "自评表!B40" in errors[0]


def test_a_workbook_with_many_defects_gives_every_error_with_its_cell(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "bad.xlsx"
    placed = ten_hao(path, facts)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    r1, r2, r3 = placed["指标1工程完工率"], placed["指标2工程验收合格率"], placed["指标1成本控制率"]
    ws.cell(r1, 7, "10分")           # a number stored as text with a stray character
    ws.cell(r2, 5).value = None      # a row with a name but no target
    ws.cell(r3, 4).value = None      # values but no name
    ws["F7"] = "37.24万"             # the budget figure with its unit typed in
    wb.save(path)
    errors = _errors(path)
    joined = "\n".join(errors)
    assert f"bad.xlsx:自评表!G{r1}" in joined and "「10分」 is not a number" in joined and "`分`" in joined
    assert f"bad.xlsx:自评表!E{r2}" in joined and "has a name but no target" in joined
    assert "has values but no `三级指标`" in joined and f"E{r3}" in joined
    assert "bad.xlsx:自评表!F7" in joined and "「37.24万」 is not a number" in joined
    assert len(errors) == 4


def test_missing_and_repeated_budget_labels(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "labels.xlsx"
    ten_hao(path, facts)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["E6"] = "预算总额"            # 全年预算数 no longer written anywhere
    ws["B30"] = "全年执行数"          # and 全年执行数 written twice
    wb.save(path)
    joined = "\n".join(_errors(path))
    assert "W130" in joined and "「全年预算数」" in joined
    assert "W131" in joined and "自评表!F6" in joined and "自评表!B30" in joined


def test_a_formula_never_computed_is_named(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "formula.xlsx"
    placed = ten_hao(path, facts)
    wb = openpyxl.load_workbook(path)
    r = placed["指标1工程完工率"]
    wb.active.cell(r, 6, "=E12")  # openpyxl writes no cached result: Excel never computed it
    wb.save(path)
    joined = "\n".join(_errors(path))
    assert f"自评表!F{r}" in joined and "a formula Excel never computed" in joined


def test_not_a_workbook_and_an_unknown_sheet(tmp_path: Path) -> None:
    bad = tmp_path / "form.xlsx"
    bad.write_bytes(b"not a zip file")
    assert "W100" in _errors(bad)[0]
    good = tmp_path / "good.xlsx"
    ten_hao(good, published("langfang-2019"))
    with pytest.raises(FactsError) as info:
        read_form(good, SPECS, sheet="Sheet9")
    assert info.value.diagnostics[0].code == "W102" and "`自评表`" in (info.value.diagnostics[0].help or "")


# ---- the command line, with a version 1 ruleset (plain inputs beside their labels) -----------

RULES_V1 = """\
ruleset "示例" {
  total 100
  precision 2
}
input 全年预算数: number "全年预算数（万元）"
input 全年执行数: number "全年执行数（万元）"
input 满意度: percent "服务对象满意度"
let 执行率: percent = 全年执行数 / 全年预算数
indicator 预算执行率 weight 20 { ratio 执行率 }
indicator 满意度指标 weight 80 { ratio 满意度 / 90% }
"""


def _v1_form(path: Path, spent: object = 171.36, satisfaction: object = 0.85) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "乡村振兴干部能力提升培训项目"])
    ws.append(["全年预算数（万元）", "全年执行数（万元）", "服务对象满意度"])
    ws.append([180, spent, satisfaction])
    ws["C3"].number_format = "0.0%"
    wb.save(path)


def test_cli_import_and_eval_read_the_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "r.rules"
    rules.write_text(RULES_V1, encoding="utf-8")
    form = tmp_path / "form.xlsx"
    _v1_form(form)
    out = tmp_path / "facts.toml"
    assert main(["import", str(form), "--rules", str(rules), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert '"全年预算数" = 180  # form.xlsx:Sheet!A3' in text
    assert '"满意度" = "85%"  # form.xlsx:Sheet!C3' in text
    # 171.36 / 180 = 0.952 × 20 = 19.04; 85% / 90% = 0.9444… × 80 = 75.555… → 75.56; total 94.60
    assert main(["eval", str(rules), str(form), "--format", "json"]) == 0
    result = capsys.readouterr().out
    assert '"total": "94.60"' in result


def test_cli_import_refuses_a_bad_form_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "r.rules"
    rules.write_text(RULES_V1, encoding="utf-8")
    form = tmp_path / "form.xlsx"
    _v1_form(form, spent="171.36元")
    out = tmp_path / "facts.toml"
    assert main(["import", str(form), "--rules", str(rules), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "form.xlsx:Sheet!B3" in err and "W120" in err and "「171.36元」 is not a number" in err
    assert not out.exists()
    assert main(["eval", str(rules), str(form)]) == 1
    assert "form.xlsx:Sheet!B3" in capsys.readouterr().err


def test_cli_import_of_a_facts_file_is_wrong_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "r.rules"
    rules.write_text(RULES_V1, encoding="utf-8")
    facts = tmp_path / "f.toml"
    facts.write_text("[facts]\n", encoding="utf-8")
    assert main(["import", str(facts), "--rules", str(rules)]) == 2
    assert ".xlsx" in capsys.readouterr().err


# ---- end to end: published forms typed into workbooks, read and scored -----------------------


def _xianjie(path: Path, facts: dict[str, Any]) -> None:
    """The 绩效目标自评表 layout (濉溪县 2019): 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 | …."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["绩效目标自评表"])
    ws.append(["资金情况(万元)", None, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"])
    f = facts["facts"]
    ws.append([None, "年度资金总额:", int(f["全年预算数"]), int(f["全年执行数"]), 10, "100%", 10])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
               "未完成原因及拟采取的改进措施"])
    last: tuple[str, str] = ("", "")
    for row in f["绩效指标"]:
        first = None if row["一级指标"] == last[0] else row["一级指标"] + "(50分)"
        second = None if (row["一级指标"], row["二级指标"]) == last else row["二级指标"]
        last = (row["一级指标"], row["二级指标"])
        ws.append([first, second, row["三级指标"], int(row["权重"]), row["指标值"], row["完成值"],
                   int(row["自评分"]), row.get("偏差原因")])
    ws.append(["总分", None, None, 100, None, None, 100])
    wb.save(path)


@pytest.mark.parametrize(("name", "layout", "total"), [
    # totals worked by hand in rulesets/mof/project-form.cases.toml
    ("langfang-2019", "10号", "97.24"),
    ("tangxi-2022", "10号 with weights in the headings and 「其中」 rows", "100.00"),
    ("suixi-2019", "绩效目标自评表", "98.93"),
])
def test_published_forms_in_workbooks_score_as_worked_by_hand(
        name: str, layout: str, total: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = published(name)
    path = tmp_path / f"{name}.xlsx"
    if layout.startswith("10号"):
        extra = {0: [["其中：基建预算编制", "30万元", "30万元"]]} if "其中" in layout else None
        headings = {"产出指标": "产出指标(50分)", "效益指标": "效益指标(30分)"} if "headings" in layout else None
        ten_hao(path, facts, headings=headings, extra_rows=extra)
    else:
        _xianjie(path, facts)
    assert main(["eval", str(MOF / "project-form.rules"), str(path), "--format", "json"]) == 0
    assert f'"total": "{total}"' in capsys.readouterr().out


def test_a_form_whose_weights_add_up_to_110_is_refused_from_the_workbook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "zhongjiang.xlsx"
    _xianjie(path, published("zhongjiang-2022"))
    # project-form.rules writes its keywords in Chinese: so do its messages, unless --lang en
    assert main(["eval", str(MOF / "project-form.rules"), str(path)]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    # a sum of the rows' weights is placed at the table's header on the sheet (it said `facts: error:`)
    assert re.fullmatch(r"zhongjiang\.xlsx:Sheet![A-Z]+\d+:[A-Z]+\d+: error: 顶层指标的分值合计110.*", first), first
    assert main(["eval", str(MOF / "project-form.rules"), str(path), "--lang", "en"]) == 1
    assert "the weights at the top level add up to 110" in capsys.readouterr().err


def test_errors_about_rows_name_their_sheet_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = published("worked-example")
    del facts["facts"]["绩效指标"][6]["自评分"]  # 长效机制, a qualitative row, without the evaluator's 得分
    path = tmp_path / "f.xlsx"
    placed = ten_hao(path, facts)
    line = placed["长效机制"]
    assert main(["eval", str(MOF / "project-form.rules"), str(path)]) == 1
    err = capsys.readouterr().err
    assert "`绩效指标`第7行（长效机制）是评定计分的" in err
    assert f"= 注：`绩效指标`第7行即工作表第{line}行（f.xlsx:自评表!D{line}）" in err
    assert main(["eval", str(MOF / "project-form.rules"), str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "`绩效指标` row 7 (长效机制) is judged" in err
    assert f"row 7 of `绩效指标` is row {line} of the sheet (f.xlsx:自评表!D{line})" in err


def test_a_bad_value_of_a_row_is_placed_at_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # ten_hao writes 三级指标 in D and 年度指标值 in E: the error line names E of the row's sheet line (it named
    # `facts['绩效指标'][2]['指标值']`, and its note the row's D cell)
    facts = published("suixi-2019")
    facts["facts"]["绩效指标"][1]["指标值"] = "约100"
    path = tmp_path / "f.xlsx"
    line = ten_hao(path, facts)["★★★其中:农村低保对象中建档立卡贫困人口数量(按月平均)(≥**人)"]
    assert main(["eval", str(MOF / "project-form.rules"), str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"f.xlsx:自评表!E{line}: error: `绩效指标`第2行（★★★其中:农村低保对象中建档立卡贫困人口")
    assert "列`指标值`：\"约100\"不是可用于计分的值" in err and "[F204]" in err


def test_a_header_lacking_a_column_says_which(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the header row's 实际完成值 (column F in ten_hao's layout) renamed 实际数: W110 listed all six columns the
    # rules need; its note now names the row that has the other five, and the one it lacks
    path = tmp_path / "f.xlsx"
    line = min(ten_hao(path, published("suixi-2019")).values()) - 1  # the header: the row above the first line
    wb = openpyxl.load_workbook(path)
    assert wb.active.cell(line, 6).value == "实际\n完成值"
    wb.active.cell(line, 6).value = "实际数"
    wb.save(path)
    assert main(["eval", str(MOF / "project-form.rules"), str(path)]) == 1
    err = capsys.readouterr().err
    assert "[W110]" in err and f"= 注：f.xlsx:自评表!B{line}所在的行写有其他各列，只是没有「实际完成值」" in err


def test_hidden_rows_merged_values_and_clean_variants(tmp_path: Path) -> None:
    facts = published("langfang-2019")
    path = tmp_path / "more.xlsx"
    placed = ten_hao(path, facts)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    r1, r2 = placed["指标1工程完工率"], placed["指标2工程验收合格率"]
    ws.row_dimensions[placed["指标1长期使用性"]].hidden = True       # a hidden indicator row
    ws.merge_cells(start_row=r1, start_column=7, end_row=r2, end_column=7)  # one 分值 for two rows
    wb.save(path)
    joined = "\n".join(_errors(path))
    assert "W124" in joined and f"row {placed['指标1长期使用性']} 「指标1长期使用性」 is hidden" in joined
    assert "W125" in joined and f"「分值」 G{r1} is merged over several indicators (down to row {r2})" in joined
    # full-width digits are the same number; a date target reads as the date
    clean = tmp_path / "clean.xlsx"
    placed = ten_hao(clean, facts)
    wb = openpyxl.load_workbook(clean)
    ws = wb.active
    ws.cell(placed["指标1工程完工率"], 7).value = "１０"
    ws.cell(placed["指标1项目完成及时率"], 5).value = datetime.datetime(2019, 12, 31)
    wb.save(clean)
    rows = {r.values["三级指标"].value: r for r in read_form(clean, SPECS).tables["绩效指标"].rows}
    assert rows["指标1工程完工率"].values["权重"].value == Decimal(10)
    assert rows["指标1工程完工率"].values["权重"].written == "１０"
    assert rows["指标1项目完成及时率"].values["指标值"].value == "2019-12-31"


def test_an_unfilled_total_row_stops_at_the_division_and_names_the_cells(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 棠溪镇 2022: the 「年度资金总额」 row printed as zeros, the figures on 「其中：本年财政拨款」.
    # The reader takes the row under the labels, as the form defines it, and does not guess.
    path = tmp_path / "zero.xlsx"
    ten_hao(path, published("tangxi-2022"))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["D7"], ws["E7"], ws["F7"] = 0, 0, 0
    ws["D8"], ws["E8"], ws["F8"] = 90, 89.974, 89.974
    wb.save(path)
    assert main(["eval", str(MOF / "project-form.rules"), str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "division by zero" in err
    assert "`全年预算数` was read from zero.xlsx:自评表!E7" in err
    assert main(["eval", str(MOF / "project-form.rules"), str(path)]) == 1
    err = capsys.readouterr().err
    assert "[E501]" in err and "除数为零" in err
    assert "`全年预算数`读自zero.xlsx:自评表!E7" in err


def test_cli_import_with_the_project_form_rules_gives_back_the_typed_facts(tmp_path: Path) -> None:
    # the descriptor comes from the checked model (labels and types of project-form.rules)
    for name in ("langfang-2019", "suixi-2019", "worked-example"):
        facts = published(name)
        form, out = tmp_path / f"{name}.xlsx", tmp_path / f"{name}.toml"
        if name == "suixi-2019":
            _xianjie(form, facts)
        else:
            ten_hao(form, facts)
        assert main(["import", str(form), "--rules", str(MOF / "project-form.rules"), "-o", str(out)]) == 0
        back = tomllib.loads(out.read_text(encoding="utf-8"), parse_float=Decimal)
        assert back["facts"]["绩效指标"] == facts["facts"]["绩效指标"], name
        for key in ("全年预算数", "全年执行数"):
            assert back["facts"][key] == facts["facts"][key], (name, key)


def test_a_batch_folder_takes_xlsx_forms_and_facts_files_alike(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    ten_hao(folder / "a-langfang.xlsx", published("langfang-2019"))
    _xianjie(folder / "b-suixi.xlsx", published("suixi-2019"))
    (folder / "c-tangxi.toml").write_bytes((MOF / "project-form.tangxi-2022.facts.toml").read_bytes())
    bad = published("langfang-2019")
    ten_hao(folder / "d-bad.xlsx", bad)
    wb = openpyxl.load_workbook(folder / "d-bad.xlsx")
    wb.active["G12"] = "10分"
    wb.save(folder / "d-bad.xlsx")
    for workers in ("1", "2"):
        code = main(["eval", str(MOF / "project-form.rules"), "--batch", str(folder), "--workers", workers])
        out, err = capsys.readouterr()
        lines = [json.loads(line) for line in out.splitlines()]
        assert code == 1
        # hand totals from project-form.cases.toml: 97.24, 98.93, 100.00; the bad form names its cell
        assert [(x["file"], x.get("total")) for x in lines] == [
            ("a-langfang.xlsx", "97.24"), ("b-suixi.xlsx", "98.93"), ("c-tangxi.toml", "100.00"),
            ("d-bad.xlsx", None)]
        assert lines[3]["error"][0]["where"] == "d-bad.xlsx:自评表!G12"
        # in the rule file's language (its keywords are Chinese), as the reasons beside it are
        assert lines[3]["error"][0]["message"] == "「10分」不是数值：多了`分`" and "d-bad.xlsx" in err


def _normal(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal) and value == value.to_integral():
        return int(value)
    return value


def test_the_direct_xml_reader_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    from perfrules.diagnostics import Collector
    from perfrules.inputs.grid import _fast_grids, _xlsx_grids

    books = []
    a = tmp_path / "a.xlsx"
    ten_hao(a, published("tangxi-2022"), headings={"产出指标": "产出指标(50分)"},
            extra_rows={0: [["其中：桃树种植面积", "1.5亩", "1.5亩"]]})
    books.append(a)
    b = tmp_path / "b.xlsx"
    _xianjie(b, published("suixi-2019"))
    books.append(b)
    c = tmp_path / "c.xlsx"
    placed = ten_hao(c, published("langfang-2019"))
    wb = openpyxl.load_workbook(c)
    ws = wb.active
    ws.row_dimensions[placed["指标1长期使用性"]].hidden = True
    ws.cell(placed["指标1工程完工率"], 6).value = "=E12"            # a formula never computed
    ws.cell(placed["指标1项目完成及时率"], 5).value = datetime.datetime(2019, 12, 31)
    ws["B30"], ws["C30"] = 0.9513, 12345.678
    ws["B30"].number_format = "0.00%"
    ws["D30"], ws["E30"] = True, "带\n换行"
    second = wb.create_sheet("第二页")
    second["A1"] = "另一张表"
    second.merge_cells("A1:C2")
    wb.save(c)
    books.append(c)
    for path in books:
        fast = _fast_grids(path)
        slow = _xlsx_grids(path, Collector())
        assert fast is not None, path
        assert [g.name for g in fast] == [g.name for g in slow]
        for f, s in zip(fast, slow, strict=True):
            assert {k: (_normal(v.value), v.origin, v.percent_format) for k, v in f.cells.items()} == \
                   {k: (_normal(v.value), v.origin, v.percent_format) for k, v in s.cells.items()}, path
            assert f.hidden == s.hidden and (f.rows, f.cols) == (s.rows, s.cols)
    grid = _fast_grids(c)
    assert grid is not None and grid[0].uncomputed is not None
    assert grid[0].uncomputed(placed["指标1工程完工率"], 6) and not grid[0].uncomputed(placed["指标1工程完工率"], 5)


def test_the_facts_eval_reads_are_the_facts_import_writes(tmp_path: Path) -> None:
    # eval scores Form.facts_table() directly; it must be what the written facts file reads back as
    for name in ("langfang-2019", "worked-example", "tangxi-2022"):
        path = tmp_path / f"{name}.xlsx"
        ten_hao(path, published(name))
        form = read_form(path, SPECS)
        assert form.facts_table() == tomllib.loads(form.to_toml(), parse_float=Decimal), name


def test_a_target_written_in_three_cells_is_joined_as_the_form_reads_it(tmp_path: Path) -> None:
    # the Sichuan 部门预算项目支出绩效自评表: 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["预算执行情况(10分)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"])
    ws.append(["总额", 0, 3.36, 3.36, "100.00%", 10, 10])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
               "未完成原因分析"])
    ws.append(["产出指标", "成本指标", "成本控制数", "≤", 30, "万元", 28, 45, 45])
    ws.append(["产出指标", "质量指标", "完成安可产品购买并按要求支付资金", "=", 100, "%", 100, 25, 25])
    ws.append(["效益指标", "社会效益指标", "安可替代推进", "定性", "有效推进", None, "完成", 20, 18])
    ws.append(["合计", None, None, None, None, None, None, 100])
    path = tmp_path / "sichuan.xlsx"
    wb.save(path)
    form = read_form(path, SPECS)
    rows = {r.values["三级指标"].value: r.values for r in form.tables["绩效指标"].rows}
    assert rows["成本控制数"]["指标值"].value == "≤30万元"
    assert rows["成本控制数"]["指标值"].written == "30, joined with D5 and F5"
    assert rows["成本控制数"]["完成值"].value == "28万元"          # the unit, not the sign, on the actual
    assert rows["完成安可产品购买并按要求支付资金"]["指标值"].value == "=100%"
    assert rows["安可替代推进"]["指标值"].value == "有效推进"       # a qualitative target stays as written
    assert rows["安可替代推进"]["完成值"].value == "完成"
    assert form.values["全年预算数"].value == Decimal("3.36") and form.values["全年执行数"].value == Decimal("3.36")
    assert form.values["年初预算数"].value == 0


def test_an_actual_written_with_its_unit_does_not_get_the_unit_twice(tmp_path: Path) -> None:
    # 云南's 公开14表 (永德 2022, rulesets/mof/project-form.yongde-2022.facts.toml): 度量单位 「%」 beside
    # 实际完成值 printed 「98%」, or kept as a percent cell; 「≧」 and 「═」 in 指标性质
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["全年预算数", "全年执行数"])
    ws.append([100, 100])
    ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分"])
    ws.append(["效益指标", "社会效益指标", "政策知晓率", "═", 100, "%", "98%", 30, 27])
    ws.append(["满意度指标", "服务对象满意度指标", "家长满意度", "≧", 95, "%", 1, 10, 10])
    ws.append(["产出指标", "数量指标", "学生受资助人数", "≧", 735, "人次", 735, 50, 50])
    ws["G5"].number_format = "0%"
    path = tmp_path / "yunnan.xlsx"
    wb.save(path)
    form = read_form(path, SPECS)
    rows = {r.values["三级指标"].value: r.values for r in form.tables["绩效指标"].rows}
    assert (rows["政策知晓率"]["指标值"].value, rows["政策知晓率"]["完成值"].value) == ("═100%", "98%")
    assert rows["政策知晓率"]["完成值"].written is None       # taken as it is, nothing joined
    assert rows["家长满意度"]["完成值"].value == "100%"         # the percent cell, not 「100%%」
    assert rows["学生受资助人数"]["完成值"].value == "735人次"   # a bare number still takes the unit
    # and the rules read them as numbers: ═100% against 98% is 等于, 98/100 × 30 = 29.40 (not judged from 27)
    result = perfrules.load(MOF / "project-form.rules").evaluate(form.facts_table())
    assert result.points("效益指标.社会效益指标.政策知晓率") == Decimal("29.40")


def test_eval_notes_the_rows_whose_entered_points_differ_from_the_rules(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 濉溪 2019: 得分 5 and 10 typed on the form where the standard gives 4.84 and 9.09 (hand computation
    # in project-form.cases.toml); the judged rows and the rows that agree are not listed
    path = tmp_path / "suixi.xlsx"
    _xianjie(path, published("suixi-2019"))
    assert main(["eval", str(MOF / "project-form.rules"), str(path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "提示：2个指标的表内得分与按规则计算的得分不同："
    # the header is row 5 of _xianjie's sheet: the 4th row is sheet row 9, the 8th row 13; 得分 is column G
    special = "  产出指标.数量指标.★★★特困人员救助供养人数(按月平均)(≥**人)"
    assert err[1] == special + "：表内5分（suixi.xlsx:Sheet!G9），计算4.84分"
    assert err[2].startswith("  产出指标.质量指标.扶贫临时救助标准")
    assert err[2].endswith("表内10分（suixi.xlsx:Sheet!G13），计算9.09分")
    assert len(err) == 3


def test_import_output_is_pinned_by_a_golden_file(tmp_path: Path) -> None:
    from .goldens import check_golden

    form = tmp_path / "langfang.xlsx"
    ten_hao(form, published("langfang-2019"), headings={"产出指标": "产出指标(50分)"},
            extra_rows={0: [["其中：暖通设备采购", "30", "28"]], 4: [["……", None, None]]})
    text = read_form(form, SPECS).to_toml("project-form.rules")
    check_golden(ROOT / "tests" / "golden" / "forms" / "langfang-import.toml", text)


def test_header_wordings_of_other_forms() -> None:
    from perfrules.inputs.workbook import labels_of

    assert {"三级指标", "指标内容", "指标名称"} <= set(labels_of("三级指标", "三级指标"))
    assert {"年度指标值", "年初目标值", "全年指标值", "指标值"} <= set(labels_of("指标值", "年度指标值"))
    assert {"实际完成值", "全年实际值", "完成值"} <= set(labels_of("完成值", "实际完成值"))
    # a bracketed note at the end of a header is not part of its label
    assert labels_of("全年预算数", "全年预算数（万元）")[0] == "全年预算数"
    assert "得分" not in labels_of("权重", "分值") and "分值" not in labels_of("自评分", "得分")


def test_the_openpyxl_fallback_reads_the_same_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # files the direct reader leaves alone go to openpyxl: that path must read forms alike
    import perfrules.inputs.grid as grid

    path = tmp_path / "langfang.xlsx"
    ten_hao(path, published("langfang-2019"), headings={"产出指标": "产出指标(50分)"},
            extra_rows={0: [["其中：暖通设备采购", "30", "28"]]})
    direct = read_form(path, SPECS).to_toml()
    monkeypatch.setattr(grid, "_fast_grids", lambda _path: None)
    assert read_form(path, SPECS).to_toml() == direct
