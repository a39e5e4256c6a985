"""Small correctness and message fixes reported by a spec rehearsal and a newcomer."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import perfrules


def only_problem(text: str) -> perfrules.Diagnostic:
    with pytest.raises(perfrules.PerfrulesError) as info:
        perfrules.loads(text)
    [problem] = info.value.diagnostics
    return problem


@pytest.mark.parametrize(("body", "sign"), [("score max(x, >= 3)", ">="), ("score min(x, 1, < 3)", "<"),
                                           ("score >= 3", ">="), ("score (== 3)", "==")])
def test_a_comparison_where_a_value_goes_is_not_called_chained(body: str, sign: str) -> None:
    # `max(x, >= 3)`: the parser wants a value after `,` (or after `score`, or `(`), so there is no
    # comparison before the sign to chain; it was told 「comparisons are not chained」 with the help
    # to join two comparisons by `and`. Now: a value goes here, with the value written before the sign.
    problem = only_problem(f'ruleset "t" {{ total 10 }}\ninput x: number\nindicator A weight 10 {{ {body} }}\n')
    assert problem.code == "E101"
    assert problem.message == f"unexpected `{sign}`: a value goes here, and a comparison has nothing on its left"
    assert problem.help is not None and problem.help.startswith("write the value it compares before the sign")


def test_a_chained_comparison_is_still_said_as_one() -> None:
    # `1 < x < 3`: after `1 < x` a value has been read, the second `<` chains
    problem = only_problem('ruleset "t" { total 10 }\ninput x: number\n'
                           "indicator A weight 10 { ratio if 1 < x < 3 then 1 else 0 }\n")
    assert problem.message == "unexpected `<`: comparisons are not chained"


MEASURES = ('ruleset "t" { total 10 }\ninput T: rows { name: text; a: measure; b: measure }\n'
            "indicator A weight 10 { each T { key name; weight evenly\n"
            "  when qualitative(b) { full } else { ratio achievement(a, b) } } }\n")


@pytest.mark.parametrize(("written", "fixed"), [(".5", "0.5"), ("5.", "5"), ("≥.5%", "≥0.5%"), ("5.%", "5%"),
                                                 (".5艘", "0.5艘"), ("-.5", "-0.5")])
def test_a_measure_without_a_digit_on_one_side_of_its_point_is_not_qualitative(written: str, fixed: str) -> None:
    # spec 10: a measure is a sign, 「a decimal」, `%` and a unit; a number input reads a decimal as
    # digits, a point and digits (`-?\d+(\.\d+)?`), and spec 2 writes them `0.5`. 「.5」 and 「5.」
    # were read as qualitative, so a row with 「2.」 as its target was scored full by its
    # `when qualitative(b)` arm without a word. Now F204, with the value to write.
    rs = perfrules.loads(MEASURES)
    for facts in ({"T": [{"name": "r", "a": "1", "b": written}]},  # the row loop's plain dict
                  perfrules.parse_facts(f'[[facts.T]]\nname = "r"\na = "1"\nb = "{written}"\n', "f.toml")):
        with pytest.raises(perfrules.FactsError) as info:
            rs.evaluate(facts)
        [problem] = info.value.diagnostics
        assert problem.code == "F204"
        assert problem.message.endswith(f'"{written}" is not a value a score can use: '
                                        "a number has digits on both sides of its point")
        assert problem.help == f'write "{fixed}"; read as it is, it would be a qualitative measure'


def test_texts_with_a_point_that_are_not_numbers_stay_qualitative() -> None:
    # 「1.完成调研」 is a numbered text (「5.」 is read as 5 only alone or before `%`), 「版本2.」 and 「.」
    # are no numbers at all: all three rows are qualitative, scored full by the `when` arm: 3 rows of
    # 10/3 each, 10 in all. The row 「0.5」 against 「1」 next to them: achievement 50%, 10/4 × 50% = 1.25.
    rs = perfrules.loads(MEASURES)
    rows = [{"name": str(n), "a": "1", "b": b} for n, b in enumerate(("1.完成调研", "版本2.", "."))]
    assert rs.evaluate({"T": rows}).total == 10
    mixed = [*rows, {"name": "x", "a": "0.5", "b": "1"}]
    # 3 × 2.5 full + 2.5 × 0.5 = 7.5 + 1.25 = 8.75
    assert rs.evaluate({"T": mixed}).total == D("8.75")


def test_a_judged_row_of_weight_0_without_points_is_told_they_can_only_be_0() -> None:
    # row b weighs 0 (w = 0) and is judged with no points: the help read 「0 to 0」 (「0到0」), as if
    # a range to choose from. Its points can only be 0, and the help says so; row a (weight 10)
    # keeps the range 「0 to 10」.
    rs = perfrules.loads('ruleset "t" { total 10 }\ninput T: rows { name: text; w: number; pts: number optional }\n'
                         "indicator A weight 10 { each T { key name; weight w; judged from pts } }\n")
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"T": [{"name": "a", "w": 10}, {"name": "b", "w": 0}]})
    helps = [(d.code, d.help) for d in info.value.diagnostics]
    assert helps == [("F304", "fill in the evaluator's points in `pts` (0 to 10)"),
                     ("F304", "the row weighs 0, so its points can only be 0: write 0 in `pts`")]
    assert info.value.diagnostics[1].help_in("zh") == "该行分值为0，得分只能是0：请在`pts`中填写0"


KEYED = ('ruleset "t" { total 10 }\ninput T: rows { name: text; w: number }\n'
         "indicator A weight 10 { each T { key name; weight w; full } }\n")


@pytest.mark.parametrize(("names", "shared", "empty"), [(("", "row1"), "row1", 1), (("row2", ""), "row2", 2)])
def test_a_row_with_an_empty_key_is_said_to_be_named_by_its_number(names: tuple[str, str], shared: str,
                                                                    empty: int) -> None:
    # a row whose key cell is "" is named by its number (row1 in an English-keyword file), so a row
    # keyed "row1" shares its path. It was told 「row 2 (row1) has the same name as row 1」, whose
    # name is empty. Now the message names both rows, the shared name and the row whose key is empty.
    rs = perfrules.loads(KEYED)
    rows = [{"name": name, "w": 5} for name in names]
    for facts in ({"T": rows}, perfrules.parse_facts("".join(f'[[facts.T]]\nname = "{n}"\nw = 5\n' for n in names),
                                                     "f.toml")):
        with pytest.raises(perfrules.FactsError) as info:
            rs.evaluate(facts)
        [problem] = info.value.diagnostics
        assert problem.code == "F302"
        assert problem.message == (f"`T` row 2 ({shared}) and row 1 are both named `{shared}`: "
                                   f"row {empty}'s `name` is empty, and a row without a name is named by its number")
        assert problem.help == f"fill in row {empty}'s `name`"
    # two rows keyed alike keep the message they had; an empty key beside other names scores as
    # before: 5 + 5 = 10 (rows "" and "a", paths A.row1 and A.a)
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"T": [{"name": "a", "w": 5}, {"name": "a", "w": 5}]})
    assert [d.message for d in info.value.diagnostics] == ["`T` row 2 (a) has the same name as row 1"]
    result = rs.evaluate({"T": [{"name": "", "w": 5}, {"name": "a", "w": 5}]})
    assert result.total == 10 and list(result.breakdown) == ["A", "A.row1", "A.a"]


@pytest.mark.parametrize(("word", "suggestion"), [("分值", "权重"), ("适用", "适用值")])
def test_a_keyword_as_a_column_name_is_said_once_not_at_each_use(word: str, suggestion: str) -> None:
    # `分值: number` in a rows declaration is E105 (with the name to use instead). Each later use of
    # the column is a syntax error of its own (`weight 分值`, `ratio 分值 / 10`, `when 分值 > 0`), and
    # the dropped `weight 分值` made the checker say the `each` has no weight (E407): four errors
    # more, all gone once the column is renamed as E105 says. Only E105 is said now.
    text = ('ruleset "t" { total 20 }\n'
            f'input T: rows {{ name: text; {word}: number }}\n'
            f"indicator A weight 10 {{ each T {{ key name; weight {word}; ratio {word} / 10 }} }}\n"
            f"indicator B weight 10 {{ each T {{ key name; weight evenly\n"
            f"  when {word} > 0 {{ full }} else {{ score 0 }} }} }}\n")
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(text)
    [problem] = info.value.diagnostics
    assert problem.code == "E105" and problem.location() == "<rules>:2:29"
    assert problem.help is not None and f"for example `{suggestion}`" in problem.help


def test_other_syntax_errors_beside_a_refused_column_name_are_still_said() -> None:
    # `zero` is no rule (`score 0` is): its E101 is no use of the refused name, and stays
    text = ('ruleset "t" { total 10 }\ninput T: rows { name: text; 分值: number }\n'
            "indicator A weight 10 { each T { key name; weight evenly; when 分值 > 0 { full } else { zero } } }\n")
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(text)
    assert [(d.code, d.span.text() if d.span else None) for d in info.value.diagnostics] == [
        ("E105", "分值"), ("E101", "zero")]


def e301_help(text: str) -> str | None:
    problem = only_problem(text)
    assert problem.code == "E301" and problem.message.startswith("cannot compare ")
    return problem.help


def test_a_measure_compared_with_a_qualitative_word_is_pointed_to_qualitative() -> None:
    # 「达成」 is no number: as a value of 指标值 it is a qualitative measure (spec 10), and
    # `qualitative(指标值)` is how a rule asks for one; a target like 「≥95%」 is a number, compared
    # with the actual by achievement(). The help was 「compare numbers with numbers, a grade with
    # one of its labels」, naming neither.
    rules = ('ruleset "t" {{ total 10 }}\ninput T: rows {{ name: text; 指标值: measure; 完成值: measure }}\n'
             "indicator A weight 10 {{ each T {{ key name; weight evenly\n"
             '  when 指标值 == "{text}" {{ full }} else {{ ratio achievement(完成值, 指标值) }} }} }}\n')
    assert e301_help(rules.format(text="达成")) == (
        'a measure is not compared with a text: "达成" is read as a qualitative measure, and '
        "`qualitative(指标值)` asks whether the row's is one; `achievement(…)` compares a number with its target")
    assert e301_help(rules.format(text="≥95%")) == (
        "a measure is compared through `achievement(actual, target)` (with its target) or `qualitative(指标值)` "
        "(whether it is qualitative), not with a text")
    # a Chinese-keyword file is told the Chinese spellings
    zh = ('规则集 "t" { 总分 10 }\n输入 T: 行表 { 名称: 文本; 指标值: 度量; 完成值: 度量 }\n'
          "指标 A 分值 10 { 逐行 T { 键 名称; 分值 平均\n"
          '  当 "达成" == 指标值 { 满分 } 否则 { 按比例 达成度(完成值, 指标值) } } }\n')
    help_text = e301_help(zh)
    assert help_text is not None and "`属定性(指标值)`" in help_text and "`达成度(…)`" in help_text
    # other comparisons keep their help
    assert e301_help('ruleset "t" { total 10 }\ninput x: number\ninput s: text\n'
                     "indicator A weight 10 { score if x == s then 1 else 0 }\n") == \
        "compare numbers with numbers, a grade with one of its labels"
