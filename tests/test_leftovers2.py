"""Message and placement fixes left from earlier rounds (F305 of a row of weight 0, …)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import perfrules

JUDGED_ROWS = ('ruleset "t" { total 10 }\ninput T: rows { name: text; w: number; pts: number optional }\n'
               "indicator A weight 10 { each T { key name; weight w; judged from pts } }\n")


def test_points_in_a_judged_row_of_weight_0_are_told_they_can_only_be_0() -> None:
    # row b weighs 0 and was given 2 points: F305 read 「2 points in `pts` lies outside 0..0」, with
    # the help to enter points between 0 and the row's 分值, a range of one value. It now says the
    # row weighs 0, with F304's help for the same row (points can only be 0: write 0).
    rs = perfrules.loads(JUDGED_ROWS)
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"T": [{"name": "a", "w": 10, "pts": 3}, {"name": "b", "w": 0, "pts": 2}]})
    [problem] = info.value.diagnostics
    assert (problem.code, problem.message, problem.help) == (
        "F305", "`T` row 2 (b): 2 points in `pts`, but the row weighs 0",
        "the row weighs 0, so its points can only be 0: write 0 in `pts`")
    assert problem.message_in("zh") == "`T`第2行（b）：`pts`中填了2分，但该行分值为0"
    assert problem.help_in("zh") == "该行分值为0，得分只能是0：请在`pts`中填写0"


def test_a_judged_row_of_weight_0_with_0_points_scores_and_others_keep_their_range() -> None:
    rs = perfrules.loads(JUDGED_ROWS)
    # a: 3 of 10, b: 0 of 0 → 3 + 0 = 3
    assert rs.evaluate({"T": [{"name": "a", "w": 10, "pts": 3}, {"name": "b", "w": 0, "pts": 0}]}).total == D(3)
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"T": [{"name": "a", "w": 10, "pts": 12}, {"name": "b", "w": 0, "pts": 0}]})
    # a row of weight 10 still names its range: 12 lies outside 0..10
    [problem] = info.value.diagnostics
    assert (problem.code, problem.message) == ("F305", "`T` row 1 (a): 12 points in `pts` lies outside 0..10")
    assert problem.help == "enter points between 0 and the row's 分值"
