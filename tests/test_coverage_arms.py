"""`perfrules test --coverage` finds an unexercised branch of every kind that we plant.

The base rule file and its three cases reach every branch (100%). Each planted variant adds one
branch that no case can take, and changes no case's points (the planted arm is never taken,
the planted item never met, the planted deduction never applies), so the cases still pass and
the coverage report must list exactly the planted branch, and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from perfrules.cli import main

BASE = """\
ruleset "planted" {
  total 100
}
input rate: percent
input level: grade(优, 良, 差)
input on_time: bool
input over: bool
input involved: bool
input misused: number
let cut = if over then 2 else 0
indicator 执行 weight 20 {
  tiers rate {
    >= 90%: full
    else: 0
  }
}
indicator 质量 weight 20 {
  grade level { 优: full; 良: 50%; 差: 0 }
}
indicator 管理 weight 20 {
  checklist {
    item "按时报送" 20 when on_time
  }
}
indicator 成本 weight 20 {
  full
  deduct cut when rate < 100%
}
indicator 生态 weight 20 {
  applies when involved else full
  full
}
veto when misused > 0 because "挪用{misused}万元"
"""

CASES = """\
rules = "r.rules"

[[case]]
name = "all met, over budget"
[case.facts]
rate = "95%"
level = "优"
on_time = true
over = true
involved = true
misused = 0
[case.expect]
total = "98.00"

[[case]]
name = "low, late, not involved"
[case.facts]
rate = "80%"
level = "良"
on_time = false
over = false
involved = false
misused = 0
[case.expect]
total = "50.00"

[[case]]
name = "misused"
[case.facts]
rate = "100%"
level = "差"
on_time = true
over = false
involved = true
misused = 3
[case.expect]
total = "0.00"
"""
# By hand:
#   case 1: 执行 95% >= 90%: 20; 质量 优: 20; 管理 on time: 20; 成本 95% < 100%, so deduct cut,
#           over: cut = 2, 20 − 2 = 18; 生态 involved: 20; total 98
#   case 2: 执行 80%: else 0; 质量 良: 50% of 20 = 10; 管理 late: 0; 成本 80% < 100%, cut = 0
#           (not over): 20, the deduction takes nothing; 生态 not involved: full 20; total 50
#   case 3: misused 3 > 0: the veto sets the total to 0
# Branches reached: tiers >= 90% (1, 3) and else (2); grade 优 (1), 良 (2), 差 (3); the item met
# (1, 3) and missed (2); the deduct applied (1) and not (2, 3); applies true (1, 3) and false (2);
# the veto striking (3) and not (1, 2); the let's `if` true (1) and false (2; in case 3 the
# deduction's `when` is false, so its amount, and the let, are never worked out).


def run(tmp_path: Path, rules: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, list[str]]:
    """The coverage report of the three cases on `rules`, and its never-exercised lines."""
    (tmp_path / "r.rules").write_text(rules, encoding="utf-8")
    cases = tmp_path / "r.cases.toml"
    cases.write_text(CASES, encoding="utf-8")
    code = main(["test", str(cases), "--coverage"])
    out = capsys.readouterr().out
    assert code == 0, out  # a planted branch changes no case's points
    prefix = f"    {tmp_path / 'r.rules'}:"
    return out, [line.strip() for line in out.splitlines() if line.startswith(prefix)]


def test_the_base_reaches_every_branch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, never = run(tmp_path, BASE, capsys)
    # 2 tier arms + 3 grade arms + 1 item × 2 + 1 deduct × 2 + applies × 2 + veto × 2 + 1 if × 2 = 15
    assert f"coverage of {tmp_path / 'r.rules'}: 3 cases reach 15 of 15 branches (100%)" in out
    assert never == []


# (what is planted, the base text it replaces, the new text, the marker of the planted line, what the
# report says of it after `PATH: `)
PLANTED = [
    ("tier arm", "    >= 90%: full\n", "    >= 90%: full\n    >= 85%: 80%\n", ">= 85%: 80%",
     "执行: >= 85%: 80%"),  # no case's rate is in [85%, 90%)
    ("grade arm", "grade(优, 良, 差)", "grade(优, 良, 中, 差)", None, None),  # with the arm below
    ("checklist item", '    item "按时报送" 20 when on_time\n',
     '    item "按时报送" 20 when on_time\n    item "按规定公开" 5 when misused > 100\n', "按规定公开",
     '管理: item "按规定公开" 5 when misused > 100 (met)'),
    ("deduct", "  deduct cut when rate < 100%\n", "  deduct cut when rate < 100%\n  deduct 5 when misused > 100\n",
     "deduct 5 when", "成本: deduct 5 when misused > 100 (applied)"),
    ("top-level bonus", "veto when", "bonus 1 when misused > 100\nveto when", "bonus 1",
     "total: bonus 1 when misused > 100 (applied)"),
    ("applies", "indicator 质量 weight 20 {\n", "indicator 质量 weight 20 {\n  applies when misused <= 100 else full\n",
     "applies when misused", "质量: applies when misused <= 100 else full (false)"),
    ("veto", "veto when misused > 0", 'veto when misused > 100 because "大额挪用"\nveto when misused > 0',
     "misused > 100", "total: veto when misused > 100 (true)"),
    ("if in a scoring rule", "  tiers rate {", "  tiers if misused > 100 then 0% else rate {", "tiers if",
     "执行: if misused > 100 then 0% else rate (true)"),
    ("if in a let a deduction uses", "let cut = if over then 2 else 0",
     "let cut = if over then (if misused > 100 then 3 else 2) else 0", "let cut",
     "total: if misused > 100 then 3 else 2 (true)"),
    ("if in a checklist item", "when on_time\n", "when (if misused > 100 then false else on_time)\n",
     "item", "管理: if misused > 100 then false else on_time (true)"),
    ("if in an applies condition", "applies when involved else full",
     "applies when (if misused > 100 then false else involved) else full", "applies",
     "生态: if misused > 100 then false else involved (true)"),
    ("if in a veto", "veto when misused > 0", "veto when (if rate > 100% then true else misused > 0)", "veto",
     "total: if rate > 100% then true else misused > 0 (true)"),
]


@pytest.mark.parametrize(("kind", "old", "new", "marker", "said"), PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_branch_is_listed_and_nothing_else(kind: str, old: str, new: str, marker: str | None,
                                                      said: str | None, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert old in BASE
    rules = BASE.replace(old, new, 1)
    if kind == "grade arm":  # a label no case has, and its arm
        rules = rules.replace("良: 50%; 差: 0", "良: 50%; 中: 60%; 差: 0")
        marker, said = "grade level", "质量: 中: 60%"
    assert marker is not None and said is not None
    line = next(n for n, text in enumerate(rules.splitlines(), start=1) if marker in text)
    _, never = run(tmp_path, rules, capsys)
    assert never == [f"{tmp_path / 'r.rules'}:{line}  {said}"]


ROWS = """\
ruleset "rows" {
  total 20
}
input 绩效: rows {
  名称: text
  指标值: measure
  完成值: measure
  权重: number
  自评分: number optional
}
indicator 产出 {
  each 绩效 {
    key 名称
    weight 权重
    when qualitative(指标值) or qualitative(完成值) {
      judged from 自评分 bands { "达成": [80%, 100%]; "未达成": [0, 80%) }
    }
    else {
      ratio achievement(完成值, 指标值)
    }
  }
}
"""


def rows_cases(rows: str) -> str:
    return f'rules = "r.rules"\n\n[[case]]\nname = "two rows"\n{rows}[case.expect]\ntotal = "19.00"\n'


QUANTITATIVE = """\
[[case.facts."绩效"]]
"名称" = "培训人次"
"指标值" = "≥100人次"
"完成值" = "90人次"
"权重" = 10
[[case.facts."绩效"]]
"名称" = "合格率"
"指标值" = "≥95%"
"完成值" = "96%"
"权重" = 10
"""
# by hand: 培训人次 90 / 100 = 90% of 10 = 9; 合格率 96% of ≥95%: reached, 10; total 19
QUALITATIVE = """\
[[case.facts."绩效"]]
"名称" = "群众评价"
"指标值" = "效果明显"
"完成值" = "较好"
"权重" = 10
"自评分" = 9
[[case.facts."绩效"]]
"名称" = "制度建设"
"指标值" = "健全"
"完成值" = "健全"
"权重" = 10
"自评分" = 10
"""
# by hand: 群众评价 judged 9 (达成 [8, 10]); 制度建设 judged 10; total 19


@pytest.mark.parametrize(("rows", "missed_marker", "missed_text"), [
    (QUANTITATIVE, "when qualitative", "产出: when qualitative(指标值) or qualitative(完成值)"),
    (QUALITATIVE, "else {", "产出: else"),
], ids=["no qualitative row: the when arm", "no quantitative row: the else arm"])
def test_a_rows_each_arm_no_row_takes_is_listed(rows: str, missed_marker: str, missed_text: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.rules").write_text(ROWS, encoding="utf-8")
    cases = tmp_path / "r.cases.toml"
    cases.write_text(rows_cases(rows), encoding="utf-8")
    assert main(["test", str(cases), "--coverage"]) == 0
    out = capsys.readouterr().out
    rules = tmp_path / "r.rules"
    line = next(n for n, text in enumerate(ROWS.splitlines(), start=1) if missed_marker in text)
    never = [line.strip() for line in out.splitlines() if line.startswith(f"    {rules}:")]
    assert never == [f"{rules}:{line}  {missed_text}"]
