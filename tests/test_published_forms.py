"""Published 项目支出绩效自评表 typed cell by cell into workbooks, as the departments laid them out.

Each workbook here is typed from the published table itself (the source and its date are in
the header of rulesets/mof/project-form.<name>.facts.toml), not generated from the facts
file: the title, the 项目资金 block with its 「其中」 lines, the spacer and target rows, the
merged 一级/二级 cells, the template's empty 「指标2」「……」 rows. `perfrules import` must give
back the typed facts file, every value named by its cell, and `perfrules eval` the totals
worked by hand in rulesets/mof/project-form.cases.toml, to the cent.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from perfrules.cli import main
from perfrules.inputs.workbook import read_form, specs_from_model

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
MOF = ROOT / "rulesets" / "mof"
RULES = MOF / "project-form.rules"


def typed_facts(name: str) -> dict[str, Any]:
    with open(MOF / f"project-form.{name}.facts.toml", "rb") as f:
        return tomllib.load(f, parse_float=Decimal)


def put(ws: Any, row: int, cells: list[Any], first_col: int = 1) -> None:
    for col, value in enumerate(cells, start=first_col):
        if value is not None:
            ws.cell(row, col, value)


def langfang(path: Path) -> None:
    """廊坊市食品工程学校 2019, as printed (http://www.lfsp.cn/newsinfo/1158053.html)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1"
    put(ws, 1, ["附件1"])
    put(ws, 2, ["项目支出绩效自评表"])
    ws.merge_cells("A2:J2")
    put(ws, 3, ["（2019年度）"])
    ws.merge_cells("A3:J3")
    put(ws, 4, ["项目名称", None, "办公宿舍楼、食堂及餐厅暖通改造经费"])
    ws.merge_cells("A4:B4")
    ws.merge_cells("C4:J4")
    put(ws, 5, ["主管部门", None, "廊坊市发改委", None, None, "实施单位", "廊坊市食品工程学校"])
    ws.merge_cells("A5:B5")
    # 项目资金 block: labels over the 年度资金总额 line, then its 「其中」 lines
    put(ws, 6, ["项目资金\n（万元）", None, None, "年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率",
                "得分"])
    ws.merge_cells("A6:B9")
    put(ws, 7, [None, None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.86, 9])
    ws["H7"].number_format = "0%"
    put(ws, 8, [None, None, "其中：当年财政拨款", 43.2, 43.2, 37.24])
    put(ws, 9, [None, None, "      上年结转资金"])
    put(ws, 10, [None, None, "  其他资金"])
    put(ws, 11, ["年度总体目标", None, "预期目标", None, None, None, "实际完成情况"])
    ws.merge_cells("A11:B12")
    put(ws, 12, [None, None, 43.2, None, None, None, 37.24])
    # 绩效指标: the 10号 template's rows, 「指标2」 and 「……」 left empty where unused
    put(ws, 13, ["绩效指标", "一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分",
                 "偏差原因分析及改进措施"])
    rows: list[list[Any]] = [
        ["产出指标", "数量指标", "指标1工程资金金额", 43.2, 37.24, 10, 9,
         "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。"],
        [None, None, "指标2"], [None, None, "……"],
        [None, "质量指标", "指标1工程完工率", 100, 100, 10, 10],
        [None, None, "指标2工程验收合格率", 100, 100, 10, 10], [None, None, "……"],
        [None, "时效指标", "指标1项目完成及时率", 100, 100, 10, 10], [None, None, "指标2"], [None, None, "……"],
        [None, "成本指标", "指标1成本控制率", 100, 100, 10, 10], [None, None, "指标2"], [None, None, "……"],
        ["效益指标", "经济效益\n指标", "指标1安全率", 100, 100, 10, 10, "0"], [None, None, "指标2"],
        [None, None, "……"],
        [None, "社会效益\n指标", "指标1学校发展能力", 100, 100, 10, 10, "0"],
        [None, None, "指标2"], [None, None, "……"],
        [None, "生态效益\n指标", "指标1"], [None, None, "指标2"], [None, None, "……"],
        # the 一级 cell printed again where the printed table turns a page
        ["效益指标", "可持续影响\n指标", "指标1长期使用性", 100, 100, 10, 10], [None, None, "指标2"],
        [None, None, "……"],
        ["满意度\n指标", "服务对象满意度指标", "指标1学生满意度", 100, 100, 10, 10, "0"], [None, None, "指标2"],
    ]
    for i, cells in enumerate(rows):
        put(ws, 14 + i, cells, first_col=2)
    # merged runs, as the form prints them (一级 and 二级 cells over their rows)
    for col, runs in ((2, [(14, 25), (26, 34), (35, 37), (38, 39)]),
                      (3, [(14, 16), (17, 19), (20, 22), (23, 25), (26, 28), (29, 31), (32, 34), (35, 37),
                           (38, 39)])):
        for top, bottom in runs:
            ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
    ws.merge_cells("A13:A39")
    wb.save(path)


def lijiang(path: Path) -> None:
    """丽江市古城区自然资源局 2020, as printed (http://m.jjiadianqingjie.com.cn/changyong/13241.html):
    a header two rows tall, and each target in three cells 指标性质 | 指标值 | 度量单位."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    put(ws, 1, ["2020年度项目支出绩效自评表"])
    ws.merge_cells("A1:J1")
    put(ws, 2, ["项目名称", "2020年省级自然资源卫片执法补助经费支出绩效自评表"])
    ws.merge_cells("B2:J2")
    put(ws, 3, ["主管部门", "丽江市自然资源和规划局", None, None, "实施单位", "丽江市古城区自然资源局"])
    ws.merge_cells("B3:D3")
    ws.merge_cells("F3:J3")
    put(ws, 4, ["项目资金\n（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.merge_cells("A4:A7")
    put(ws, 5, [None, "年度资金总额", 7.29, 7.29, 7.29, 10, 1, 10])
    put(ws, 6, [None, "其中：当年财政拨款", 7.29, 7.29, 7.29, None, 1])
    put(ws, 7, [None, "上年结转资金"])
    for ref in ("F5", "H5"):
        ws[ref].number_format = "0.00"
    for ref in ("G5", "G6"):
        ws[ref].number_format = "0%"
    put(ws, 8, ["年度\n总体\n目标", "预期目标", None, None, None, "实际完成情况"])
    ws.merge_cells("A8:A9")
    put(ws, 9, [None, "自然资源卫片执法补助经费", None, None, None, "自然资源卫片执法补助经费"])
    # the header: 「年度指标值」 over three cells, the other labels merged over both rows
    put(ws, 10, ["绩效指标", None, None, "年度指标值", None, None, "实际完成值", "分值", "得分",
                 "偏差原因分析及改进措施"])
    ws.merge_cells("A10:C10")
    ws.merge_cells("D10:F10")
    for letter in "GHIJ":
        ws.merge_cells(f"{letter}10:{letter}11")
    put(ws, 11, ["一级\n指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"])
    put(ws, 12, ["产出指标", "数量指标", "卫片执法补助经费", "﹦", 72890, "元", 72890, 10, 9])
    put(ws, 13, [None, "质量指标", "项目验收合格率", "﹦", 100, "%", 100, 20, 19])
    put(ws, 14, [None, "时效指标", "项目完成及时率", "﹦", 100, "%", 100, 20, 19])
    put(ws, 15, ["效益指标", "社会效益指标", "违法行为责停率", "≥", 95, "%", 95, 30, 27])
    put(ws, 16, ["满意度指标", "服务对象满意度指标", "满意度", "≥", 95, "%", 95, 10])  # 得分: not in the copy
    for line in range(12, 17):
        for col in (8, 9):
            ws.cell(line, col).number_format = "0.00"
    ws.merge_cells("A12:A14")
    wb.save(path)


def putuo(path: Path) -> None:
    """上海市普陀区体育事业管理中心 2022, as printed (https://pdf.chddh.cn/archives/48n5zg2zkkjxn27q6rjv.html):
    项目资金 in 元 with its 「其中」 lines and dashes, the 执行率 a percent cell, and a 总分 row under
    the indicators."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    put(ws, 1, ["财政项目支出绩效自评表"])
    ws.merge_cells("A1:I1")
    put(ws, 2, ["（2022 年度）"])
    ws.merge_cells("A2:I2")
    put(ws, 3, ["项目名称", None, "普陀体育中心与委托运营方结算费用"])
    ws.merge_cells("C3:I3")
    put(ws, 4, ["主管部门", None, "上海市普陀区体育局", None, None, "实施单位", "上海市普陀区体育事业管理中心"])
    put(ws, 5, ["项目资金\n（元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.merge_cells("A5:B8")
    put(ws, 6, [None, None, "年度资金总额", 250000.00, 250000.00, 215457.6, 10, 0.8619, 8.62])
    ws["H6"].number_format = "0.00%"
    for cell in ("D6", "E6", "F6"):
        ws[cell].number_format = "#,##0.00"
    put(ws, 7, [None, None, "其中：当年财政拨款", 250000.00, 250000.00, 215457.6, "—"])
    put(ws, 8, [None, None, "上年结转资金", 0, 0, "—"])
    put(ws, 9, [None, None, "其他资金", 0, 0, "—"])
    put(ws, 10, ["年度总体目标", None, "预期目标", None, None, "实际完成情况"])
    put(ws, 11, [None, None, "完成普陀体育中心与委托运营方费用结算。", None, None,
                 "已完成普陀体育中心与委托运营方费用结算。"])
    put(ws, 12, ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                 "偏差原因分析及改进措施"])
    rows: list[list[Any]] = [
        ["产出指标", "数量指标", "与委托运营方结算完成率", "=100%", "100%", 10, 10],
        [None, "质量指标", "合同结算条款完成率", "=100%", "100%", 20, 20],
        [None, "时效指标", "费用结算及时性", "及时", "及时", 20, 20],
        ["效益指标", "社会效益指标", "与委托运营方合同完成率", "=100%", "100%", 30, 30],
        ["满意度指标", "服务对象满意度指标", "场馆开放满意度", ">=90%", "100%", 10, 10],
    ]
    for i, cells in enumerate(rows):
        put(ws, 13 + i, cells, first_col=2)
        # 「=100%」 is text on the form (typed '=100%), not a formula that Excel would compute to 1
        ws.cell(13 + i, 5).data_type = "s"
    ws.merge_cells("B13:B15")
    ws.merge_cells("A12:A17")
    put(ws, 18, ["总分", None, None, None, None, None, 100, 98.62])
    wb.save(path)


def yongde(path: Path) -> None:
    """永德县明朗中学 2022, as printed (https://www.yongde.gov.cn/info/3003/116104.htm): 云南's 公开14表,
    项目资金 in 元 with an empty 年初预算数 cell, a header two rows tall, targets in three cells with the
    signs 「≧」 and 「═」, 实际完成值 printed with its % beside a 度量单位 「%」, an empty 生态效益指标
    line, and the 总分 on the line 「其他需要说明事项」 under the indicators."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公开14表"
    put(ws, 1, ["公开14表"])
    put(ws, 2, ["2022年度项目支出绩效自评表"])
    ws.merge_cells("A2:J2")
    put(ws, 3, ["部门:临沧市永德县明朗中学"])
    put(ws, 4, ["项目名称", None, "义务教育营养改善计划专项资金"])
    ws.merge_cells("C4:J4")
    put(ws, 5, ["主管部门", None, "永德县教育体育局", None, None, "实施单位", "永德县明朗中学"])
    put(ws, 6, ["项目资金\n（元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.merge_cells("A6:B10")
    # the 年初预算数 cells (D7, D8) are empty on the form
    put(ws, 7, [None, None, "年度资金总额", None, 387664.62, 387664.62, 10, 1, 10])
    ws["H7"].number_format = "0%"
    put(ws, 8, [None, None, "其中：当年财政\n拨款", None, 387664.62, 387664.62, "—"])
    put(ws, 9, [None, None, "上年结转\n资金", None, None, None, "—"])
    put(ws, 10, [None, None, "其他资金", "—", "—", "—", "—"])
    put(ws, 11, ["年度\n总体\n目标", None, "预期目标", None, None, None, "实际完成情况"])
    ws.merge_cells("A11:B12")
    put(ws, 12, [None, None, "确保每一个学生都能享受到国家政策福利，改善学生体质", None, None, None,
                 "确保每一个学生都能享受到国家政策福利，改善学生体质"])
    # the header: 「年度指标值」 over three cells, the other labels merged over both rows
    put(ws, 13, ["绩效指标", None, None, "年度指标值", None, None, "实际完成值", "分值", "得分",
                 "偏差原因分析及改进措施"])
    ws.merge_cells("A13:C13")
    ws.merge_cells("D13:F13")
    for letter in "GHIJ":
        ws.merge_cells(f"{letter}13:{letter}14")
    put(ws, 14, ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"])
    rows: list[list[Any]] = [
        ["产出指标", "数量指标", "学生受资助人数", "≧", 735, "人次", 735, 10, 10],
        [None, "质量指标", "营养改善计划覆盖率", "≧", 100, "%", "100%", 10, 10],
        [None, "时效指标", "资金到位及时率", "≧", 100, "%", "100%", 10, 7],
        [None, "成本指标", "生均补助标准达标率", "═", 100, "%", "100%", 10, 10],
        ["效益指标", "经济效益\n指标", "减轻贫困学生家庭经济负担", None, "有效", None, "有效", 10, 10],
        [None, "社会效益\n指标", "政策知晓率", "═", 100, "%", "98%", 10, 9],
        [None, "生态效益\n指标"],
        [None, "可持续影响\n指标", "促进学校教育事业健康发展", "≧", 100, "%", "100%", 10, 10],
        ["满意度指标", "服务对象满意度指标等", "学生满意度", "≧", 95, "%", "100%", 10, 10],
        [None, None, "家长满意度", "≧", 95, "%", 1, 10, 10],
    ]
    for i, cells in enumerate(rows):
        put(ws, 15 + i, cells)
    ws["G24"].number_format = "0%"  # one actual value a percent cell, as a spreadsheet would keep it
    ws.merge_cells("A15:A18")
    ws.merge_cells("A19:A22")
    ws.merge_cells("A23:A24")
    ws.merge_cells("B23:B24")
    put(ws, 25, ["其他需要说明事项", "无", None, None, None, None, "总分", 100, 96, "优"])
    ws.merge_cells("B25:F25")
    wb.save(path)


def imported(form: Path, tmp_path: Path) -> tuple[dict[str, Any], str]:
    out = tmp_path / (form.stem + ".toml")
    assert main(["import", str(form), "--rules", str(RULES), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    return tomllib.loads(text, parse_float=Decimal), text


def imported_as_typed(form: Path, name: str, tmp_path: Path) -> str:
    """`perfrules import` of the form gives back the facts file typed from the published table
    (its rows and its budget block); the text, for the cells its comments name."""
    back, text = imported(form, tmp_path)
    typed = typed_facts(name)
    assert back["facts"]["绩效指标"] == typed["facts"]["绩效指标"]
    for key in ("年初预算数", "全年预算数", "全年执行数"):  # an empty 年初预算数 cell: absent from both
        assert back["facts"].get(key) == typed["facts"].get(key), key
    return text


def scored(form: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["eval", str(RULES), str(form), "--format", "json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_langfang_2019_typed_as_printed_imports_to_its_facts_and_scores_97_24(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "langfang.xlsx"
    langfang(form)
    text = imported_as_typed(form, "langfang-2019", tmp_path)
    # every value named by its cell: the budget below its label, a row by its own cells, merged
    # 一级/二级 cells by the top of their range
    assert '"全年执行数" = 37.24  # langfang.xlsx:附件1!F7' in text
    assert '"三级指标" = "指标2工程验收合格率"  # langfang.xlsx:附件1!D18' in text
    assert '"一级指标" = "产出指标"  # langfang.xlsx:附件1!B14' in text
    assert '"二级指标" = "经济效益指标"  # langfang.xlsx:附件1!C26, written "经济效益\\n指标"' in text
    assert "row 15: the template's placeholder 「指标2」" in text
    # the hand computation in project-form.cases.toml (SOURCE 1):
    #   预算执行率 37.24 / 43.2 × 10 = 8.62037… → 8.62; 工程资金金额 the same ratio × 10 → 8.62;
    #   产出 8.62 + 4 × 10 = 48.62; 效益 30; 满意度 10; total 8.62 + 48.62 + 30 + 10 = 97.24 → 优
    result = scored(form, capsys)
    assert (result["total"], result["rating"]) == ("97.24", "优")
    points = {i["path"]: i["points"] for i in result["indicators"]}
    assert points["预算执行率"] == "8.62"
    assert points["产出指标.数量指标.指标1工程资金金额"] == "8.62"
    assert points["产出指标"] == "48.62"
    assert points["效益指标.经济效益指标.指标1安全率"] == "10.00"
    assert (points["效益指标"], points["满意度指标"]) == ("30.00", "10.00")


def test_lijiang_2020_with_a_two_row_header_and_three_cell_targets_scores_100(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "lijiang.xlsx"
    lijiang(form)
    text = imported_as_typed(form, "lijiang-2020", tmp_path)
    # the header is whole in its second row (the merged labels reach down into it)
    assert "# 绩效指标: header lijiang.xlsx:自评表!A11:J11" in text
    assert '"指标值" = "﹦72890元"  # lijiang.xlsx:自评表!E12, written "72890, joined with D12 and F12"' in text
    assert '"完成值" = "95%"  # lijiang.xlsx:自评表!G16, written "95, joined with F16"' in text
    assert '"权重" = 10  # lijiang.xlsx:自评表!H16' in text
    # the hand computation in project-form.cases.toml (SOURCE 5): every target met,
    #   10 + (10 + 20 + 20) + 30 + 10 = 100.00 → 优
    result = scored(form, capsys)
    assert (result["total"], result["rating"]) == ("100.00", "优")
    points = {i["path"]: i["points"] for i in result["indicators"]}
    assert points["产出指标.数量指标.卫片执法补助经费"] == "10.00"
    assert points["产出指标.质量指标.项目验收合格率"] == "20.00"
    assert points["效益指标.社会效益指标.违法行为责停率"] == "30.00"
    assert points["满意度指标.服务对象满意度指标.满意度"] == "10.00"
    # the form's own 得分 (9, 19, 19, 27) differs from the standard on four rows: eval says where
    capsys.readouterr()
    assert main(["eval", str(RULES), str(form)]) == 0
    err = capsys.readouterr().err
    assert "4个指标的表内得分与按规则计算的得分不同" in err
    assert "产出指标.数量指标.卫片执法补助经费：表内9分（lijiang.xlsx:自评表!I12），计算10.00分" in err


def test_putuo_2022_in_yuan_with_a_qualitative_row_scores_98_62_as_published(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "putuo.xlsx"
    putuo(form)
    text = imported_as_typed(form, "putuo-2022", tmp_path)
    assert '"全年执行数" = 215457.6  # putuo.xlsx:自评表!F6' in text
    assert '"一级指标" = "产出指标"  # putuo.xlsx:自评表!B13' in text
    # the hand computation in project-form.cases.toml (SOURCE 6):
    #   预算执行率 215457.6 / 250000 × 10 = 8.618304 → 8.62; every row scores its 分值 (及时 judged
    #   20 of 20; >=90% against 100% capped at full); 8.62 + 50 + 30 + 10 = 98.62 → 优, the 总分 printed
    result = scored(form, capsys)
    assert (result["total"], result["rating"]) == ("98.62", "优")
    points = {i["path"]: i["points"] for i in result["indicators"]}
    assert points["预算执行率"] == "8.62"
    assert points["产出指标.时效指标.费用结算及时性"] == "20.00"
    assert points["满意度指标.服务对象满意度指标.场馆开放满意度"] == "10.00"
    assert (points["产出指标"], points["效益指标"], points["满意度指标"]) == ("50.00", "30.00", "10.00")
    # the form's own 得分 agrees with the standard on every row: eval says nothing of it
    capsys.readouterr()
    assert main(["eval", str(RULES), str(form)]) == 0
    assert "表内得分" not in capsys.readouterr().err


def test_yongde_2022_yunnan_form_scores_99_80_by_the_standard_and_notes_the_printed_96(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "yongde.xlsx"
    yongde(form)
    text = imported_as_typed(form, "yongde-2022", tmp_path)  # 年初预算数 empty: absent, as in the facts
    assert "年初预算数" not in text
    assert '"全年执行数" = 387664.62  # yongde.xlsx:公开14表!F7' in text
    assert "# 绩效指标: header yongde.xlsx:公开14表!A14:J14" in text
    assert "row 21: a heading without an indicator" in text  # the empty 生态效益指标 line
    assert '"指标值" = "≧735人次"  # yongde.xlsx:公开14表!E15, written "735, joined with D15 and F15"' in text
    assert '"完成值" = "98%"  # yongde.xlsx:公开14表!G20\n' in text  # printed with its %: not 98%%
    assert '"自评分" = 96' not in text  # the 总分 line 「其他需要说明事项 … 总分 100 96 优」 ends the table
    # the hand computation in project-form.cases.toml (SOURCE 7):
    #   预算执行率 387664.62 / 387664.62 → 10; 产出 4 × 10 = 40 (≧ and ═ targets met);
    #   效益 有效 judged 10 of 10 + 政策知晓率 ═100% vs 98%: 98/100 × 10 = 9.80 + 10 = 29.80;
    #   满意度 ≧95% vs 100% capped: 10 + 10 = 20; total 10 + 40 + 29.80 + 20 = 99.80 → 优
    result = scored(form, capsys)
    assert (result["total"], result["rating"]) == ("99.80", "优")
    points = {i["path"]: i["points"] for i in result["indicators"]}
    assert points["预算执行率"] == "10.00"
    assert points["产出指标.时效指标.资金到位及时率"] == "10.00"
    assert points["产出指标.成本指标.生均补助标准达标率"] == "10.00"
    assert points["效益指标.经济效益指标.减轻贫困学生家庭经济负担"] == "10.00"
    assert points["效益指标.社会效益指标.政策知晓率"] == "9.80"
    assert (points["产出指标"], points["效益指标"], points["满意度指标"]) == ("40.00", "29.80", "20.00")
    # the printed 总分 96 is 10 + 37 + 29 + 20: 7 and 9 on the two rows eval names (the as-published
    # case in project-form.cases.toml takes them as overrides and gives 96.00)
    capsys.readouterr()
    assert main(["eval", str(RULES), str(form)]) == 0
    err = capsys.readouterr().err
    assert "2个指标的表内得分与按规则计算的得分不同" in err
    assert "产出指标.时效指标.资金到位及时率：表内7分（yongde.xlsx:公开14表!I17），计算10.00分" in err
    assert "效益指标.社会效益指标.政策知晓率：表内9分（yongde.xlsx:公开14表!I20），计算9.80分" in err


def test_a_header_merged_over_two_rows_is_one_header(tmp_path: Path) -> None:
    # every header cell merged over rows 3 and 4, as many templates print it: the rows start at 5
    wb = openpyxl.Workbook()
    ws = wb.active
    put(ws, 1, ["全年预算数", "全年执行数"])
    put(ws, 2, [100, 95])
    labels = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    put(ws, 3, labels)
    for col in range(1, len(labels) + 1):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    put(ws, 5, ["产出指标", "数量指标", "培训人数", "≥40人", "37人", 90])
    path = tmp_path / "two-rows.xlsx"
    wb.save(path)
    table = read_form(path, specs_from_model(perfrules.load(RULES).model.inputs)).tables["绩效指标"]
    assert [r.line for r in table.rows] == [5]
    assert table.header == "two-rows.xlsx:Sheet!A4:G4"
