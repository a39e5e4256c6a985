"""The text table: it must add up the way an official reads it."""

from __future__ import annotations

from perfrules.text.render import table, width

from .conftest import score


def test_group_lost_leaves_out_dropped_weight() -> None:
    text = """
input on: bool
input x: number
indicator G weight 30 {
  indicator A weight 10 { score x }
  indicator B weight 10 { applies when on else rescale; full }
  indicator C weight 10 { applies when on else full; score 0 }
}
indicator H weight 70 { full }
"""
    out = table(score(text, on=False, x=7))
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if line.split()[:1] in (["G"], ["A"], ["B"], ["C"])}
    # A loses 3; B is dropped (shown as —, not lost); C does not apply and gets full 10.
    # G = 7 + 0 + 10 = 17 points; G lost only A's 3, not B's dropped 10
    assert rows["G"] == ["30", "17.00", "3.00"]
    assert rows["B"] == ["10", "—", "n/a"]
    assert rows["C"] == ["10", "10.00", "n/a"]


def test_cjk_columns_take_two_cells() -> None:
    assert width("预算执行率") == 10 and width("ab") == 2 and width("\t") == 4


def test_top_level_clamp_is_its_own_line_so_the_table_adds_up() -> None:
    text = "input x: percent\ninput b: number\nindicator A weight 100 { ratio x }\nbonus b\n" \
           "deduct 1 per 1% of shortfall(x, 100%) cap 3"
    r = score(text, x="99%", b=5)
    # 99 + 5 − 1 = 103 → capped at 100 (满分为止): the cap takes 3
    assert r.base_total == 99 and r.total_clamp == -3 and r.total == 100
    assert "capped at the total: -3" in table(r)
    # nothing to cut: no line
    r = score(text, x="90%", b=0)
    assert r.total_clamp == 0 and "capped" not in table(r)
