"""The form to file (财预〔2020〕10号 自评表 layout) for rulesets whose indicators are rows.

The printers are tested on a FiledForm written out here by hand (the 廊坊市食品工程学校
2019 form, scored by the standard: 97.24, worked in rulesets/mof/project-form.cases.toml);
the end-to-end test scores that published form with rulesets/mof/project-form.rules.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from perfrules.text.filedform import Budget, FiledForm, Line, html, markdown

ROOT = Path(__file__).resolve().parents[1]
MOF = ROOT / "rulesets" / "mof"
D = Decimal

LINES = (
    Line("产出指标", "数量指标", "指标1工程资金金额", "43.2", "37.24", D(10), D("8.62"),
         "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。"),
    Line("产出指标", "质量指标", "指标1工程完工率", "100", "100", D(10), D(10), ""),
    Line("产出指标", "质量指标", "指标2工程验收合格率", "100", "100", D(10), D(10), ""),
    Line("产出指标", "时效指标", "指标1项目完成及时率", "100", "100", D(10), D(10), ""),
    Line("产出指标", "成本指标", "指标1成本控制率", "100", "100", D(10), D(10), ""),
    Line("效益指标", "经济效益指标", "指标1安全率", "100", "100", D(10), D(10), "0"),
    Line("效益指标", "社会效益指标", "指标1学校发展能力", "100", "100", D(10), D(10), "0"),
    Line("效益指标", "可持续影响指标", "指标1长期使用性", "100", "100", D(10), D(10), ""),
    Line("满意度指标", "服务对象满意度指标", "指标1学生满意度", "100", "100", D(10), D(10), "0"),
)
FORM = FiledForm(
    "项目支出绩效自评表", "2019", (("项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"),),
    Budget(D("43.2"), D("43.2"), D("37.24"), D(10), D("0.8620370370370370370370370370"), D("8.62")),
    LINES, D("97.24"), D(100), "优", 2,
    (("填报单位", "廊坊市食品工程学校"), ("填报人", ""), ("联系电话", ""), ("填报日期", "")),
    "project-form.rules · sha256 0123456789abcdef… · perfrules 0.1.0",
)


def test_markdown_shows_the_form_columns_budget_total_and_signatures() -> None:
    text = markdown(FORM)
    assert "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |" in text
    assert "| 43.2 | 43.2 | 37.24 | 10 | 86.2% | 8.62 |" in text
    assert "| 产出指标 | 数量指标 | 指标1工程资金金额 | 43.2 | 37.24 | 10 | 8.62 | 已完工" in text
    # 一级/二级 printed once per run, as merged cells are on paper
    assert "|  | 质量指标 | 指标1工程完工率 |" in text and "|  |  | 指标2工程验收合格率 |" in text
    assert "**总分**：97.24（满分100）　**评级**：优" in text
    assert "填报单位：廊坊市食品工程学校　填报人：＿＿＿＿" in text
    assert text.rstrip().endswith("<small>project-form.rules · sha256 0123456789abcdef… · perfrules 0.1.0</small>")


def test_html_joins_level_cells_and_carries_the_print_rules() -> None:
    page = html(FORM)
    body = page[page.index("<h2>绩效指标</h2>"):]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    # 一级/二级 written on the first line of their run; the cells below join it (drawn as merged)
    first_cells = [re.findall(r"<td[^>]*>(.*?)</td>", r)[:2] for r in rows[1:10]]
    assert first_cells[0] == ["产出指标", "数量指标"]
    assert first_cells[1] == ["", "质量指标"] and first_cells[2] == ["", ""]
    assert first_cells[5] == ["效益指标", "经济效益指标"]
    assert '<td class="cont"></td>' in page and "td.cont { border-top-style: hidden; }" in page
    assert "@page { size: A4;" in page
    assert re.search(r"h2 \{[^}]*break-after: avoid", page)             # headings kept with what follows
    assert re.search(r"tr \{[^}]*break-inside: avoid", page)            # no row split across pages
    assert re.search(r"td \{[^}]*word-break: keep-all", page)           # no name broken mid-word
    assert "<footer>project-form.rules · sha256" in page                # provenance in the footer
    assert page.index("<footer>") > page.index("总分：")                 # not in the header
    assert re.search(r"tr\.closing, tr\.tail \{[^}]*break-before: avoid", page)  # the end keeps lines with it
    assert "<script" not in page and "http" not in page                  # self-contained


def test_xlsx_has_the_official_layout_and_a4_setup(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from perfrules.text.filedform import xlsx

    path = tmp_path / "form.xlsx"
    xlsx(FORM, path, openpyxl)
    ws = openpyxl.load_workbook(path).active
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    header = next(r for (r, c), v in cells.items() if v == "一级指标")
    assert [cells.get((header, c)) for c in range(1, 9)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    first = header + 1
    assert [cells.get((first, c)) for c in range(1, 8)] == [
        "产出指标", "数量指标", "指标1工程资金金额", "43.2", "37.24", 10, 8.62]
    assert f"A{first}:A{first + 4}" in {str(r) for r in ws.merged_cells.ranges}
    total_row = next(r for (r, c), v in cells.items() if v == "总分")
    assert cells[(total_row, 7)] == 97.24 and cells[(total_row, 8)] == "评级：优"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert "sha256" in ws.oddFooter.left.text


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _form_of(n: int) -> FiledForm:
    """A form of n lines with names long enough to wrap, in two 一级 and runs of four 二级."""
    lines = tuple(Line("产出指标" if i < n // 2 else "效益指标", f"二级{i // 4}",
                       f"指标名称第{i}个：较长的指标名称用于测试换行", "≥95%", "96%", D(1), D(1),
                       "偏差原因说明" * (i % 3))
                  for i in range(n))
    return attrs.evolve(FORM, lines=lines)


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("n", [9, 20, 35])
def test_html_prints_on_a4_without_near_empty_pages_or_orphan_headings(n: int, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    page = tmp_path / "form.html"
    page.write_text(html(_form_of(n)), encoding="utf-8")
    pdf = tmp_path / "form.pdf"
    subprocess.run([_chromium() or "", "--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
    pages = [[ln for ln in (p.extract_text() or "").splitlines() if ln.strip()] for p in pypdf.PdfReader(pdf).pages]
    # pypdf gives CJK radicals for some characters (⻝ for 食): compare on the digits in the names
    lines_on = [len(re.findall(r"第\d+个", "\n".join(p))) for p in pages]
    assert sum(lines_on) == n
    assert lines_on[0] >= 1, "the first page holds no indicator line"
    assert lines_on[-1] >= 2, f"the last page holds {lines_on[-1]} indicator lines: {pages[-1]}"
    assert any("总分" in ln for ln in pages[-1]) and any("sha256" in ln for ln in pages[-1])
    for text in pages[:-1]:
        assert not re.match(r"^(项目资金|绩效指标)", text[-1]), f"a heading ends a page: {text[-1]}"


def test_report_of_the_published_langfang_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from perfrules.cli import main

    out = tmp_path / "form.md"
    rules = MOF / "project-form.rules"
    facts = MOF / "project-form.langfang-2019.facts.toml"
    assert main(["report", str(rules), str(facts), "--layout", "form", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    # the lines as published, points by the standard (hand computation in project-form.cases.toml)
    assert "| 产出指标 | 数量指标 | 指标1工程资金金额 | 43.2 | 37.24 | 10 | 8.62 | 已完工" in text
    assert "| 43.2 | 43.2 | 37.24 | 10 | 86.2% | 8.62 |" in text
    assert "**总分**：97.24（满分100）　**评级**：优" in text
    assert "project-form.rules · sha256" in text


def test_report_of_a_workbook_in_the_form_layout_as_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from perfrules.cli import main

    from .test_workbook import published, ten_hao

    form = tmp_path / "suixi.xlsx"
    ten_hao(form, published("suixi-2019"))
    out = tmp_path / "filed.xlsx"
    assert main(["report", str(MOF / "project-form.rules"), str(form), "--layout", "form", "--format", "xlsx",
                 "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    total_row = next(r for (r, c), v in cells.items() if v == "总分")
    # 98.93 by the standard (hand computation in project-form.cases.toml)
    assert cells[(total_row, 7)] == 98.93
    line = next(r for (r, c), v in cells.items() if v == "★★★特困人员救助供养人数(按月平均)(≥**人)")
    assert [cells.get((line, c)) for c in range(4, 8)] == [">=4754人", "4604人", 5, 4.84]


def test_the_form_layout_needs_a_rows_ruleset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from perfrules.cli import main

    rules, facts = MOF / "it-project.rules", MOF / "it-project.facts.toml"
    assert main(["report", str(rules), str(facts), "--layout", "form"]) == 2
    assert "--layout form needs a ruleset whose indicators are rows" in capsys.readouterr().err


def test_filed_form_markdown_is_pinned_by_a_golden_file() -> None:
    import perfrules

    from .goldens import check_golden

    rules = "rulesets/mof/project-form.rules"
    facts = "rulesets/mof/project-form.suixi-2019.facts.toml"
    result = perfrules.loads((ROOT / rules).read_bytes(), rules).evaluate(
        perfrules.parse_facts((ROOT / facts).read_bytes(), facts))
    from perfrules.inputs.facts_file import load_facts
    from perfrules.text.filedform import filed_form

    given = load_facts(ROOT / facts).facts
    text = markdown(filed_form(result, given["绩效指标"], given=given))
    assert "|  | 30 | 30 | 10 | 100% | 10.00 |" in text  # no 年初预算数 on this form: blank, not its default 0
    check_golden(ROOT / "tests" / "golden" / "forms" / "suixi-form.md", text)


def test_a_scaled_block_closes_with_its_subtotal_so_the_form_adds_up(tmp_path: Path) -> None:
    # docs/language.md's worked example (tests/test_rows.py FORM_ZH): 产出指标 分值 80 满分 100. Its lines
    # are on the 100 scale: 41.67 + 30 + 17 = 88.67, × 80 ÷ 100 = 70.936 → 70.94; the form printed the
    # three lines and no 70.94, so its 得分 column added up to 107.61 against 总分 89.88. Now a 小计 line
    # closes the block, and the form's top-level lines add up: 9.50 (执行率) + 70.94 + 9.44 = 89.88.
    openpyxl = pytest.importorskip("openpyxl")
    import perfrules
    from perfrules.text.filedform import filed_form, xlsx

    from .test_rows import FACTS, FORM_ZH

    result = perfrules.loads(FORM_ZH).evaluate(FACTS)
    form = filed_form(result, FACTS["facts"]["绩效指标"])
    [subtotal] = [line for line in form.lines if line.subtotal]
    assert (subtotal.first, subtotal.third, subtotal.weight, subtotal.points) == \
        ("产出指标", "产出指标小计", Decimal(80), Decimal("70.94"))
    assert subtotal.reason == "下级指标合计88.67分（满分100），折算：88.67×80÷100=70.94分"
    assert form.lines.index(subtotal) == 3  # after the block's three lines, before 满意度
    top_level = [line.points for line in form.lines if line.subtotal or not line.first.startswith("产出")]
    assert form.budget is not None and form.budget.points + sum(top_level) == form.total == Decimal("89.88")
    assert "|  |  | **产出指标小计** |  |  | 80 | **70.94** |" in markdown(form)
    assert "<td><strong>产出指标小计</strong></td>" in html(form)
    xlsx(form, tmp_path / "f.xlsx", openpyxl)
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    [row] = [c.row for r in ws.iter_rows() for c in r if c.value == "产出指标小计"]
    assert ws.cell(row, 7).value == 70.94 and ws.cell(row, 3).font.bold
