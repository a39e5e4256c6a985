"""Reports: golden Markdown for every shipped ruleset, generated 评分标准, HTML, xlsx.

Golden files are refreshed only with PERFRULES_UPDATE_GOLDEN=1; review the diff.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from perfrules.text import report, report_xlsx, scoretable, wording

from .goldens import CASES, ROOT, check_golden, evaluate

GOLDEN = ROOT / "tests" / "golden" / "report"


@pytest.mark.parametrize(("name", "rules", "facts"), CASES, ids=[c[0] for c in CASES])
def test_markdown_golden(name: str, rules: str, facts: str) -> None:
    check_golden(GOLDEN / f"{name}.md", report.markdown(evaluate(rules, facts)))


def test_markdown_golden_english() -> None:
    _, rules, facts = CASES[-1]
    check_golden(GOLDEN / "showcase.en.md", report.markdown(evaluate(rules, facts), "en"))


@pytest.mark.parametrize(("name", "rules", "facts"), CASES, ids=[c[0] for c in CASES])
def test_generated_standards_golden(name: str, rules: str, facts: str) -> None:
    """The 评分标准 generated from each leaf's rule, beside the published `note`, for review."""
    result = evaluate(rules, facts)
    rs = result.ruleset.model
    lines = []
    for leaf in rs.leaves():
        lines.append(leaf.path)
        lines.append(f"  note:      {leaf.note or '—'}")
        lines.append(f"  generated: {wording.generated_standard(rs, leaf, True)}")
        lines.append(f"  english:   {wording.generated_standard(rs, leaf, False)}")
    check_golden(GOLDEN / f"{name}.standards.txt", "\n".join(lines) + "\n")


# ---- the wording of generated standards, by hand -------------------------------------------


def standard_of(source: str, path: str, zh: bool = True) -> str:
    ruleset = perfrules.loads(source, "t.rules")
    ind = ruleset.model.find(path)
    assert ind is not None
    return wording.standard(ruleset.model, ind, zh)


HEAD = 'ruleset "测试" {\n  total 10\n}\n'


def test_standard_ratio() -> None:
    src = HEAD + ("input a: number\ninput b: number\nlet 执行率: percent = a / b\n"
                  "indicator X weight 10 { ratio 执行率 }\n")
    assert standard_of(src, "X") == "得分=执行率×分值，满分为止"


def test_standard_per_deduction_reads_like_the_issue() -> None:
    src = HEAD + (
        "input a: number\ninput b: number\nlet 执行率: percent = a / b\n"
        "indicator X weight 10 {\n  full\n  deduct 0.1 per 1% of shortfall(执行率, 100%)\n}\n"
    )
    assert standard_of(src, "X") == "执行率每低于100% 1个百分点扣0.1分，扣完为止"
    assert standard_of(src, "X", zh=False) == (
        "0.1 points off per 1 percentage point that 执行率 falls short of 100%, no less than 0"
    )


def test_standard_tiers_as_bands() -> None:
    src = HEAD + (
        "input s: percent\nindicator X weight 10 {\n  tiers s {\n    >= 90%: full\n    >= 80%: 8\n"
        "    >= 60%: 60%\n    else: 0\n  }\n}\n"
    )
    assert standard_of(src, "X") == "s≥90%得10分；80%(含)-90%得8分；60%(含)-80%得6分；低于60%得0分"


def test_standard_grade_checklist_judged_full_and_adjustments() -> None:
    src = HEAD.replace("total 10", "total 40") + (
        "input g: grade(优, 良, 中, 差)\ninput p: bool\ninput q: bool\n"
        "indicator G weight 10 { grade g { 优: full; 良: 80%; 中: 6; 差: 0 } }\n"
        'indicator C weight 10 {\n  checklist {\n    item "制度健全" 4 when p\n    item "有效执行" 6 when q\n  }\n}\n'
        'indicator J weight 10 { judged bands { "达成": [80%, 100%]; "未达成": [0, 80%) } }\n'
        'indicator F weight 10 {\n  full\n  deduct 10 when not p because "未按时报送"\n}\n'
    )
    assert standard_of(src, "G") == "g：优得满分；良得80%（8分）；中得6分；差得0分"
    assert standard_of(src, "C") == "制度健全得4分；有效执行得6分"
    assert standard_of(src, "J") == "评价人在区间内评定：达成[80%,100%]，即[8,10]分；未达成[0,80%)，即[0,8)分"
    assert standard_of(src, "F") == "未按时报送扣10分，扣完为止"


def test_note_replaces_the_generated_standard() -> None:
    src = HEAD + 'input a: percent\nindicator X weight 10 {\n  note "按完成比例得分。"\n  ratio a\n}\n'
    assert standard_of(src, "X") == "按完成比例得分。"
    assert standard_of(src, "X", zh=False) == "按完成比例得分。"


# ---- 存在的主要问题 -------------------------------------------------------------------------


def test_problems_guangzhou_like_the_seed_report() -> None:
    result = evaluate(*CASES[0][1:])
    text = scoretable.problems(result)
    # 100 − 97.21 = 2.79 lost on the report's three leaves: 1.20 (2 × 6/8 + 3 × 2300/3000 = 3.80 of 5),
    # 1.10 (judged 3.9 of 5), 0.49 (8448.73/8881.35 × 10 = 9.5128… → 9.51); numbered largest first
    assert text.startswith("广州市协作办公室2022年度绩效自评得分为97.21分（满分100分），"
                           "自评等级为“优”。扣分原因主要是：1.")
    numbers = re.findall(r"[：；](\d)\.[^；]*?扣(\d+\.\d\d)分）", text)
    assert numbers == [("1", "1.20"), ("2", "1.10"), ("3", "0.49")]
    assert "绩效管理结果应用有待加强" in text and "执行率95.13%" in text
    assert text.endswith("。")


def test_problems_without_losses() -> None:
    src = 'ruleset "满分" {\n  total 10\n}\ninput a: percent\nindicator X weight 10 { ratio a }\n'
    result = perfrules.loads(src, "t.rules").evaluate({"facts": {"a": "100%"}, "meta": {"entity": "某局"}})
    assert scoretable.problems(result) == "某局绩效自评得分为10.00分（满分10分）。各项指标均得满分，无扣分事项。"


# ---- the table -----------------------------------------------------------------------------


def test_rows_merge_parents_and_subtotal_groups() -> None:
    result = evaluate(*CASES[0][1:])
    t = scoretable.table(result)
    assert t.levels == 3  # 履职效能.产出数量.西部地区人才培训
    assert t.columns[:3] == ("一级指标", "二级指标", "三级指标")
    leaves = [r for r in t.rows if r.kind == "leaf"]
    assert [r.record.path for r in leaves] == [leaf.path for leaf in result.ruleset.model.leaves()]
    subtotals = {r.record.path: r.record.points for r in t.rows if r.kind == "subtotal"}
    # 产出质量 has a single child: no subtotal row that would repeat it
    assert "履职效能.产出质量" not in subtotals
    assert subtotals["履职效能"] == Decimal("48.80") and subtotals["管理效能"] == Decimal("48.41")
    md = report.markdown(result)
    # the parent's name shows on its first row only
    assert md.count("| 履职效能 |") == 1
    assert "| **合计** |  |  | 100 | **97.21** | 2.79 |" in md


def test_a_form_column_labelled_as_a_level_names_its_table() -> None:
    # The Hubei form groups its rows by 一级指标 (产出指标, 效益指标) under 年度绩效目标, so its own text
    # column 二级指标 (数量指标, 质量指标 …) is shown beside 扣分原因: one heading 二级指标 for the
    # level (产出指标) and one for the column would read alike.
    rules = ROOT / "rulesets/hubei/changjiang-jinbu-2020.rules"
    result = perfrules.load(rules).evaluate(perfrules.load_facts(rules.with_suffix(".facts.toml")))
    t = scoretable.table(result)
    assert t.columns[:3] == ("一级指标", "二级指标", "三级指标") and len(set(t.columns)) == len(t.columns)
    assert "二级指标（年度绩效目标）" in t.columns
    md = report.markdown(result)
    # 补贴渔船数's row: its level cells, then 数量指标 under the column's heading
    assert "| 年度绩效目标 | 产出指标 | 补贴渔船数 | 6 | 6 | 20 | 20.00 |" in md
    [row] = [line for line in md.splitlines() if "| 补贴渔船数 |" in line]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[t.columns.index("二级指标（年度绩效目标）")] == "数量指标"


# ---- HTML ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "rules", "facts"), CASES, ids=[c[0] for c in CASES])
def test_html_is_self_contained_and_complete(name: str, rules: str, facts: str) -> None:
    result = evaluate(rules, facts)
    page = report.html(result)
    assert page.startswith("<!DOCTYPE html>")
    for forbidden in ("http://", "https://", "src=", "<link", "@import", "url("):
        if forbidden.startswith("http"):
            # a citation in the header may be a web address; it must not be a resource
            assert f'="{forbidden}' not in page
        else:
            assert forbidden not in page
    assert "@page { size: A4" in page and "thead { display: table-header-group; }" in page
    for leaf in result.ruleset.model.leaves():
        assert f">{leaf.label or leaf.name}</td>" in page
    assert f">{result.total:.2f}<" in page or f"<strong>{result.total}</strong>" in page
    # one row per indicator, subtotal and extra, then three closing rows (total, problems, provenance)
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    closing = body.count('<tr class="closing">')
    assert closing == 3
    assert body.count("<tr") - closing == len(scoretable.table(result).rows) + len(scoretable.table(result).extras)
    # a group's name is written once, on its first row; the rows below join it (no rowspan)
    assert "rowspan" not in page
    # provenance in the footer, not in the header
    assert f"sha256 {result.ruleset.model.source.sha256}" in page.split("<footer>")[1]
    assert "SHA-256" not in page.split("<table>")[0]


# ---- xlsx ----------------------------------------------------------------------------------

openpyxl = pytest.importorskip("openpyxl")


def _decimal(value: object) -> Decimal:
    """A cell read back: openpyxl returns int or float; its shortest repr is the written decimal."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), f"not a number: {value!r}"
    return Decimal(repr(value))


@pytest.mark.parametrize(("name", "rules", "facts"), CASES, ids=[c[0] for c in CASES])
def test_xlsx_numbers_are_numbers_and_add_up(tmp_path: Path, name: str, rules: str, facts: str) -> None:
    result = evaluate(rules, facts)
    path = tmp_path / "r.xlsx"
    report_xlsx.xlsx(result, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    t = scoretable.table(result)
    header = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == t.columns[0])
    weight_col, points_col, lost_col = t.levels + 1, t.levels + 2, t.levels + 3
    leaves = iter(result.ruleset.model.leaves())
    leaf_sum = Decimal(0)
    for k, row in enumerate(t.rows):
        r = header + 1 + k
        cell = ws.cell(row=r, column=points_col)
        rec = row.record
        assert _decimal(ws.cell(row=r, column=weight_col).value) == rec.weight
        if scoretable.is_dropped(rec):
            assert cell.value == "不适用"
        else:
            assert cell.data_type == "n" and cell.number_format == "0.00"
            # read back, the number is exactly the engine's Decimal (8.62 -> 8.62, no float residue)
            assert _decimal(cell.value) == rec.points
            lost = ws.cell(row=r, column=lost_col).value
            assert (Decimal(0) if lost is None else _decimal(lost)) == row.lost
        if row.kind == "leaf":
            assert rec.path == next(leaves).path
            if not scoretable.is_dropped(rec):
                leaf_sum += _decimal(cell.value)
        else:
            # a subtotal equals the sum of the leaf cells above it that belong to the group
            members = [
                header + 1 + j
                for j, other in enumerate(t.rows)
                if other.kind == "leaf" and other.record.path.startswith(rec.path + ".")
                and not scoretable.is_dropped(other.record)
            ]
            assert sum((_decimal(ws.cell(row=m, column=points_col).value) for m in members), Decimal(0)) == rec.points
    assert leaf_sum == result.raw_total
    total_row = header + len(t.rows) + len(t.extras)
    assert ws.cell(row=total_row, column=1).value == "合计"
    assert _decimal(ws.cell(row=total_row, column=points_col).value) == result.total
    if not result.rescaled and not result.top_adjustments and result.veto is None:
        assert leaf_sum == result.total
    # the hierarchy cells are merged: one range per group spanning more than one row
    merged = {str(m) for m in ws.merged_cells.ranges}
    spans = scoretable.level_spans(t.rows)
    assert sum(1 for n in spans.values() if n > 1) <= len(merged)
    # the detail sheet: every indicator, numbers exact
    detail = wb.worksheets[1]
    for k, rec in enumerate(result.indicators, 2):
        assert detail.cell(row=k, column=1).value == rec.path
        assert _decimal(detail.cell(row=k, column=5).value) == rec.points
        assert detail.cell(row=k, column=7).value == perfrules.semantics.arithmetic.plain(rec.exact)


def test_xlsx_guangzhou_merges_the_first_level(tmp_path: Path) -> None:
    result = evaluate(*CASES[0][1:])
    path = tmp_path / "g.xlsx"
    report_xlsx.xlsx(result, path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    merged = [m for m in ws.merged_cells.ranges if m.min_col == 1 and m.max_row > m.min_row]
    names = sorted(ws.cell(row=m.min_row, column=1).value for m in merged)
    # 履职效能 covers its 8 leaves and 1 inner subtotal (产出数量; the one-child groups get none): 9 rows
    assert names == ["履职效能", "管理效能"]
    first = next(m for m in merged if ws.cell(row=m.min_row, column=1).value == "履职效能")
    assert first.max_row - first.min_row + 1 == 9


def test_cli_report_formats(tmp_path: Path) -> None:
    from perfrules.cli import main

    rules, facts = (str(ROOT / p) for p in CASES[0][1:])
    assert main(["report", rules, facts, "--format", "xlsx", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert (tmp_path / "a.xlsx").stat().st_size > 0
    assert main(["report", rules, facts, "--format", "html", "-o", str(tmp_path / "a.html")]) == 0
    assert "97.21" in (tmp_path / "a.html").read_text(encoding="utf-8")
    assert main(["report", rules, facts, "--format", "xlsx"]) == 2  # xlsx needs -o


def test_a_report_named_as_another_kind_of_document_is_refused_and_nothing_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from perfrules.cli import main

    rules, facts = (str(ROOT / p) for p in CASES[0][1:])
    # markdown written into 自评.pdf would open as a broken PDF: a usage error (2), no file
    assert main(["report", rules, facts, "-o", str(tmp_path / "自评.pdf")]) == 2
    assert not (tmp_path / "自评.pdf").exists()
    assert "not as .pdf; for a PDF, write .html and print it from a browser" in capsys.readouterr().err
    # asked for by --format, the file is the user's to name; another suffix (.txt) takes markdown
    assert main(["report", rules, facts, "--format", "html", "-o", str(tmp_path / "a.pdf")]) == 0
    assert (tmp_path / "a.pdf").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", rules, facts, "-o", str(tmp_path / "a.txt")]) == 0
    assert "97.21" in (tmp_path / "a.txt").read_text(encoding="utf-8")


def test_xlsx_writes_text_starting_with_equals_as_text(tmp_path: Path) -> None:
    # an entity or a judged reason from the facts must not become an Excel formula
    src = 'ruleset "x" { total 10 }\nindicator 质量 weight 10 { judged }\n'
    facts = {"meta": {"entity": "=1+1"}, "judged": {"质量": {"points": 8, "because": '=HYPERLINK("http://e")'}}}
    result = perfrules.loads(src, "x.rules").evaluate(facts)
    path = tmp_path / "x.xlsx"
    report_xlsx.xlsx(result, path)
    cells = [c for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_report_reads_the_total_before_its_clamp_as_the_evaluator_recorded_it() -> None:
    from .conftest import rules

    ruleset = rules("""
input on_time: bool
input b: number
indicator A weight 60 {
  applies when on_time else rescale
  full
}
indicator B weight 40 { ratio b }
bonus 5 when on_time
""")
    layout = ruleset.compiled.layout
    # on time: 60 + 40 × 1 = 100, + 5 = 105, capped at 100 (满分为止): the clamp is −5
    result = ruleset.evaluate({"on_time": True, "b": Decimal(1)})
    assert layout.unclamped_total is not None
    assert (result.base_total, result._all[layout.unclamped_total]) == (Decimal(100), Decimal(105))
    assert result.total == Decimal("100.00")
    assert result.total_clamp == -5
    table = scoretable.table(result)
    assert [e.points for e in table.extras if e.points is not None][-2:] == [-5, Decimal("100.00")]
    # late: A dropped, B = 40 × 0.5 = 20, rescaled 20 × 100 ÷ 40 = 50 (the base the bonus starts from)
    late = ruleset.evaluate({"on_time": False, "b": Decimal("0.5")})
    assert (late.raw_total, late.base_total, late.total_clamp) == (Decimal(20), Decimal(50), Decimal(0))
    assert late.total == Decimal("50.00")
    # both read what the evaluator recorded: a recorded total before the clamp of 107 is a clamp of −7
    values = list(result._all)
    values[layout.unclamped_total] = Decimal(107)
    result._values = tuple(values)
    assert result.total_clamp == -7
