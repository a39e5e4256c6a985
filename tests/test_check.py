"""The checker: every error the spec names, all reported at once, in position order."""

from __future__ import annotations

import pytest

import perfrules

from .conftest import codes, errors

CASES = {
    # names
    "E201": "input spent: number\nindicator A weight 100 { ratio spnet }",
    "E202": "indicator A weight 100 { ratio x }\ninput x: number",
    "E203": "input a: number\nlet x = x + a\nindicator A weight 100 { score x }",
    "E204": "input max: number\nindicator A weight 100 { full }",
    "E205": "input a: number\ninput a: count\nindicator A weight 100 { full }",
    "E206": "input g: grade(优, 良, 优)\nindicator A weight 100 { full }",
    "E207": "indicator A weight 50 { full }\nindicator A weight 50 { full }",
    "E208": "input a: number\nparam p = a * 2\nindicator A weight 100 { full }",
    "E209": "input a: number\nindicator A weight 100 { score mxa(a, 1) }",
    "E210": "input a: number\nindicator A weight 100 { score clamp(a, 1) }",
    # types
    "E301": "input a: number\ninput b: bool\nindicator A weight 100 { score a + b }",
    "E302": "input a: number\nindicator A weight 100 { full; deduct 1 when a }",
    "E303": "input a: number in 10..1\nindicator A weight 100 { full }",
    "E304": "input g: grade(优, 良)\nindicator A weight 100 { full; deduct 1 when g == 差 }",
    "E306": "input s: percent\nindicator A weight 100 { tiers s { >= 90: full; else: 0 } }",
    "E308": "input b: bool\nindicator A weight 100 { full; deduct 10% when b }",
    # structure
    "E401": "input a: number\nindicator G weight 100 {\n  ratio a\n  indicator B weight 100 { full }\n}",
    "E402": "indicator A weight 100 { note \"无规则\" }",
    "E403": "input a: number\nindicator A weight 100 { full; ratio a }",
    "E404": "input a: bool\nindicator A weight 100 { full; applies when a else full; applies when a else rescale }",
    "E410": "indicator A weight 60 { full }\nindicator B weight 30 { full }",
    "E411": "indicator A weight 0 { full }\nindicator B weight 100 { full }",
    "E430": "input a: number\nindicator A weight 100 { tiers a { >= 1: full } }",
    "E431": "input a: number\nindicator A weight 100 { tiers a { >= 1: full; >= 2: 50; else: 0 } }",
    "E433": "input a: number\nindicator A weight 10 { tiers a { >= 1: 12; else: 0 } }\nindicator B weight 90 { full }",
    "E434": "input g: grade(优, 良, 中)\nindicator A weight 100 { grade g { 优: full; 良: 80% } }",
    "E435": "input g: grade(优, 良)\nindicator A weight 100 { grade g { 优: full; 优: 90%; 良: 0 } }",
    "E436": 'indicator A weight 100 { judged bands { "达成": [80%, 100%]; "未达成": [0, 70%) } }',
    "E437": 'indicator A weight 100 { judged bands { "达成": [80, 100%]; "未达成": [0, 80%) } }',
    "E440": "input a: bool\nindicator A weight 100 { full; deduct 1 when a when a }",
    "E441": "input a: number\nindicator A weight 100 { full; deduct 1 per 0 of a }",
}


@pytest.mark.parametrize(("code", "text"), sorted(CASES.items()))
def test_each_error_code(code: str, text: str) -> None:
    assert code in codes(text)


HEADER_CASES = {
    "E420": "input a: number\nindicator A weight 100 { full }",
    "E421": 'ruleset "x" { precision 2 }\nindicator A weight 100 { full }',
    "E422": 'ruleset "x" { total 100; total 100 }\nindicator A weight 100 { full }',
    "E423": 'ruleset "x" { total 100; precision 1.5 }\nindicator A weight 100 { full }',
}


@pytest.mark.parametrize(("code", "text"), sorted(HEADER_CASES.items()))
def test_header_errors(code: str, text: str) -> None:
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(text)
    assert code in [d.code for d in info.value.diagnostics]


def test_weights_mismatch_names_both_numbers() -> None:
    [d] = errors("indicator G weight 50 {\n  indicator A weight 20 { full }\n  indicator B weight 25 { full }\n}\n"
                 "indicator H weight 50 { full }")
    assert d.code == "E410"
    # 20 + 25 = 45 against the parent's 50
    assert d.message == "the weights inside `G` add up to 45, but its weight is 50"


def test_unknown_name_suggests_the_closest() -> None:
    [d] = errors("input spent: number\nindicator A weight 100 { ratio spnet }")
    assert d.help == "did you mean `spent`?"
    assert d.location() == "t.rules:5:32"


def test_glued_keyword_in_a_name_position_suggests_the_split() -> None:
    [d] = errors("input 超支: bool\nindicator A weight 100 { full; deduct 1 when 当超支 }")
    assert d.code == "E201"
    assert d.help == "`当超支` starts with the keyword `当`: write `当 超支`"


def test_cycle_between_lets() -> None:
    found = errors("input a: number\nlet x = y + a\nlet y = x * 2\nindicator A weight 100 { score x }")
    assert [d.code for d in found] == ["E203"]
    assert "defined in terms of each other" in found[0].message


def test_all_errors_are_reported_in_one_run_sorted_by_position() -> None:
    text = """input spent: number
input g: grade(优, 良)
let rate = spnet / 2
indicator A weight 60 { ratio rate; deduct 1 when spent }
indicator B weight 30 { tiers rate { >= 90%: full; >= 95%: 5; else: 0 } }
indicator C weight 5 { grade g { 优: full; 中: 1 } }
"""
    found = errors(text)
    assert [d.code for d in found] == ["E410", "E201", "E302", "E431", "E434", "E304"]
    lines = [d.span.line for d in found if d.span is not None]
    assert lines == sorted(lines)


def test_unreachable_arm_detection_handles_mixed_operators() -> None:
    # `<= 10%` after `== 0%` is reachable (e.g. 5%); `!= 50%` then `== 60%` is not.
    ruleset = perfrules.loads('ruleset "x" { total 100 }\ninput r: percent\n'
                    "indicator A weight 100 { tiers r { == 0%: full; <= 10%: 50; else: 0 } }")
    # 5% reaches the second arm: 50 points
    assert ruleset.evaluate({"r": "5%"}).total == 50
    assert "E431" in codes("input r: percent\nindicator A weight 100 { tiers r { != 50%: full; == 60%: 50; else: 0 } }")
    # `< 60%` then `>= 60%` covers everything: a later `>= 0%` is unreachable
    assert "E431" in codes("input r: percent\n"
                           "indicator A weight 100 { tiers r { < 60%: 1; >= 60%: 2; >= 0%: 3; else: 0 } }")


def test_band_edges_closed_on_one_side_only() -> None:
    # [80%, 100%] with [60%, 80%] overlaps at 80% (8 points of 10)
    found = errors('indicator A weight 10 { judged bands { "a": [80%, 100%]; "b": [60%, 80%]; "c": [0, 60%) } }\n'
                   "indicator B weight 90 { full }")
    assert [d.code for d in found] == ["E436"]
    assert "overlap at 8 points" in found[0].message


def test_percent_input_compared_with_a_plain_number_is_flagged() -> None:
    [d] = errors("input s: percent\nindicator A weight 100 { full; deduct 1 when s < 90 }")
    assert d.code == "E306" and d.help == "write `90%`"


def test_a_valid_file_has_no_diagnostics() -> None:
    perfrules.loads('ruleset "ok" { total 10 }\ninput a: number\nindicator A weight 10 { ratio a }')


def test_forgotten_percent_in_a_per_step_or_a_target_is_flagged() -> None:
    # 「每低1个百分点扣0.1分」 written `per 1`: one step would be 100 percentage points, so a
    # 3.15-point shortfall would take 0.00315 points instead of 0.315 — a silent wrong score.
    [d] = errors("input p: percent\nindicator A weight 10 { full; deduct 0.1 per 1 of shortfall(p, 100%) }\n"
                 "indicator B weight 90 { full }")
    assert d.code == "E306" and d.help is not None and d.help.startswith("write `1%`")
    # 未达(p, 100): 100 is 10000%, so every leaf would score 0 — also silent.
    [d] = errors("input p: percent\nindicator A weight 10 { full; deduct 0.1 per 1% of shortfall(p, 100) }\n"
                 "indicator B weight 90 { full }")
    assert d.code == "E306" and d.help == "write `100%`"


def test_messages_spell_keywords_as_the_file_does() -> None:
    [d] = errors('规则集 "x" { 总分 100 }\n输入 p: 百分比\n指标 A 分值 100 { 分档 p { >= 90%: 满分 } }')
    assert d.code == "E430" and d.help == "end the table with `否则: 0` (or the points for every other value)"


def test_glued_keyword_help_depends_on_whether_the_rest_is_a_name() -> None:
    [d] = errors("input 超支: bool\ninput n: count\nindicator A weight 100 { full; deduct 1 当超支 }")
    assert d.help == "separate the keyword with a space: `当 超支`"
    [d] = errors("input n: count\nindicator A weight 100 { full; 扣除 1 when n > 0 }")
    assert d.help == "did you mean the keyword `扣` alone? If `除` is a name, write `扣 除`"


def test_points_written_with_fen() -> None:
    [d] = errors("input p: percent\nindicator A weight 100 { tiers p { >= 90%: 16分; else: 0 } }")
    assert d.code == "E101" and d.help == "points are written as a bare number: `16`, not `16分`"


def test_a_missing_percent_sign_in_a_tier_is_not_also_an_unreachable_tier() -> None:
    # `>= 80` after `>= 90%` on a percent: E306 says write 80%; read as 80 it would also be "never
    # reached" (every value >= 80 is >= 90%), an E431 that points at the wrong fix (issue 14)
    assert codes("input s: percent\nindicator A weight 100 { tiers s { >= 90%: full; >= 80: 16; else: 0 } }") \
        == ["E306"]
    # a real unreachable tier is still reported beside an E306
    assert codes("input s: percent\nindicator A weight 100 { tiers s { >= 80%: full; >= 90: 16; else: 0 } }") \
        == ["E431", "E306"]  # sorted by position: the arm starts before its number


def test_an_unreachable_tier_of_a_lower_is_better_table_says_lowest_first() -> None:
    # 结转结余率 ≤5% full, ≤10% 80%: written ≤10% first, ≤5% is never reached. The help used to
    # speak only of `>=` tables ("highest first"), which a `<=` author cannot follow
    [d] = errors("input r: percent\nindicator A weight 100 { tiers r { <= 10%: 80%; <= 5%: full; else: 0 } }")
    assert d.code == "E431"
    assert d.help == "reorder the tiers (a `>=` table highest first, a `<=` table lowest first) or remove this one"
    assert d.help_in("zh") == "请调整各档顺序（`>=`的分档表从高到低，`<=`的从低到高），或者删掉这一档"
