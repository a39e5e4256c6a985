"""Spec v2 rehearsal, round 5: the examples of sections 10-14 taken literally, in both keyword sets.

Each expected number is worked out by hand in the comment above its assertion.
"""

from __future__ import annotations

import perfrules

# §10's each-example over a table without `where` or `group`: rows are named by 名.
NAMED = """规则集 "达成度" {
  总分 100
}
输入 表: 行表 {
  名: 文本
  目标: 度量
  实际: 度量
  性质: 方向 可缺
  权重: 数值
}
指标 全部 分值 100 {
  逐行 表 {
    键 名
    分值 权重
    当 有值(性质) { 按比例 达成度(实际, 目标, 性质) }
    否则 { 按比例 达成度(实际, 目标) }
  }
}
"""


def named_row(name: str, target: str, weight: str) -> str:
    return f'[[facts."表"]]\n"名" = "{name}"\n"目标" = "{target}"\n"实际" = "8"\n"权重" = {weight}\n'


def test_two_rows_left_out_for_their_own_problems_under_one_name_are_said_at_once() -> None:
    # §10 「Every problem in every row is reported at once」: row 1 「1,62」 (F204) and row 2 a
    # weight 「二十」 (F204) are both named a. Each problem alone let the duplicate be said; both
    # together hid it until one was fixed.
    facts = named_row("a", "1,62", "50") + named_row("a", "≥10", '"二十"')
    try:
        perfrules.loads(NAMED).evaluate(perfrules.parse_facts(facts, "dup.toml"))
    except perfrules.FactsError as caught:
        said = sorted((d.code, d.message) for d in caught.diagnostics)
    else:
        raise AssertionError("the facts were accepted")
    assert [code for code, _ in said] == ["F204", "F204", "F302"]
    assert said[2][1] == "`表` row 2 (a) has the same 名 as row 1"
    # fixed, 8 of ≥10 is 80%: 50 × 80% + 50 × 80% → 80 once the names differ
    fixed = named_row("a", "≥10", "50") + named_row("b", "≥10", "50")
    assert perfrules.loads(NAMED).evaluate(perfrules.parse_facts(fixed, "ok.toml")).total == 80
