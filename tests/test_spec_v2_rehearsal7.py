"""Spec v2 rehearsal, round 7: what three published tables, written from language.md alone, showed.

Each expected number is worked out by hand in the comment above its assertion.
"""

from __future__ import annotations

import json
from typing import Any

import perfrules
from perfrules.results import writer
from perfrules.results.result import dict_from_records

# 大英县总工会2020部门整体支出绩效自评表, 目标实现: a target met within [100%, 130%) earns the row,
# one exceeded by 30% or more earns nothing (「超过30%以上的不得分」).
OVER_TARGET_ROWS = """ruleset "目标实现" {
  total 10
}
input 表: rows "绩效指标表" {
  名称: text
  指标值: measure
  完成值: measure
}
indicator 目标实现 weight 10 {
  each 表 {
    key 名称
    weight evenly
    tiers achievement(完成值, 指标值) { >= 130%: 0; >= 100%: full; else: 0 }
  }
}
"""

OVER_TARGET_FACTS = {"表": [
    {"名称": "超30%整", "指标值": "≥100人", "完成值": "130人"},
    {"名称": "超20%", "指标值": "≥100人", "完成值": "120人"},
]}

# the same standard on one hand-written indicator over measure inputs
OVER_TARGET_LEAF = """ruleset "目标实现" {
  total 20
}
input 指标值: measure "年度指标值"
input 完成值: measure "实际完成值"
indicator 培训人次 weight 10 {
  tiers achievement(完成值, 指标值) { >= 130%: 0; >= 100%: full; else: 0 }
}
indicator 覆盖人次 weight 10 {
  ratio achievement(完成值, 指标值)
}
"""


def _every_writer(result: perfrules.Result) -> list[dict[str, Any]]:
    """The result's JSON as each writer makes it: from the records, by the generated code, as text."""
    made = [dict_from_records(result), json.loads(result.to_json())]
    generated = writer.generate(result.ruleset)
    if generated is not None:
        made.append(generated.to_dict(result))
    return made


def test_a_tier_table_past_its_target_is_not_said_to_be_capped_at_full_points() -> None:
    # spec 10: "it may exceed 100%; `ratio` clamps it". A tier table clamps nothing: 130 of ≥100
    # is 130%, the first tier (>= 130%) gives 0 points, and the reason must not say 满分为止.
    # Two rows share 10 evenly: 5 each. 超30%整: 0; 超20% (120%, second tier): full 5. Total 5.
    result = perfrules.loads(OVER_TARGET_ROWS, "over.rules").evaluate(OVER_TARGET_FACTS)
    assert str(result.total) == "5.00"
    expected = "超30%整：目标≥100人，完成130人，达成度130%，得0分"
    assert [(lost.path, lost.reasons) for lost in result.lost] == [("目标实现.超30%整", (expected,))]
    for data in _every_writer(result):
        rows = {row["path"]: row for row in data["indicators"]}
        assert rows["目标实现.超30%整"]["reasons"] == [expected]
        # the full row's over-achievement is still shown (spec 10), without a cap it did not have
        assert rows["目标实现.超20%"]["reasons"] == ["超20%：目标≥100人，完成120人，达成度120%，得5分"]


def test_a_hand_written_tier_table_past_its_target_is_not_capped_and_a_ratio_still_is() -> None:
    # 培训人次: 130 of ≥100 → 130%, first tier → 0 of 10, no 满分为止.
    # 覆盖人次: the same 130% under `ratio` → 10 × 130% = 13, clamped to the weight 10: 满分为止.
    # Total 0 + 10 = 10.
    result = perfrules.loads(OVER_TARGET_LEAF, "leaf.rules").evaluate({"指标值": "≥100人", "完成值": "130人"})
    assert str(result.total) == "10.00"
    for data in _every_writer(result):
        rows = {row["path"]: row for row in data["indicators"]}
        assert rows["培训人次"]["reasons"] == ["achievement(完成值, 指标值)：目标≥100人，完成130人，达成度130%，得0分"]
        assert rows["覆盖人次"]["reasons"] == [
            "achievement(完成值, 指标值)：目标≥100人，完成130人，达成度130%，满分为止，得10分"]
