"""Message and placement fixes left from earlier rounds: F305 of a row of weight 0, the help for a
number written 「.5」, E105's cascade filter, and a form's facts errors placed at its cells by `report`."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

import perfrules
from perfrules.cli import main

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


PLAIN = ('ruleset "t" { total 10 }\ninput x: number\ninput p: percent\ninput n: count\n'
         "indicator A weight 4 { ratio x }\nindicator B weight 4 { ratio p }\n"
         "indicator C weight 2 { ratio if n > 1 then 1 else 0 }\n")


def problems_of(facts_toml: str) -> list[tuple[str, str, str | None]]:
    rs = perfrules.loads(PLAIN)
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(perfrules.parse_facts(facts_toml, "f.toml"))
    return [(d.code, d.message, d.help) for d in info.value.diagnostics]


@pytest.mark.parametrize(("written", "fixed"), [(".5", "0.5"), ("5.", "5"), ("-.5", "-0.5"), (" .25 ", "0.25")])
def test_a_number_input_without_a_digit_on_one_side_of_its_point_is_told_what_to_write(written: str,
                                                                                       fixed: str) -> None:
    # a measure's 「.5」 gets the help to write 0.5 (test_outsider_leftovers); a number input's got no
    # help at all. Now the same reading (measure.without_bare_dot) and the same reason (BARE_DOT).
    assert problems_of(f'[facts]\nx = "{written}"\np = "50%"\nn = 2\n') == [
        ("F204", f'`x`: expected a number, found the text "{written}"',
         f"write {fixed}: a number has digits on both sides of its point")]


def test_a_percent_input_without_a_digit_on_one_side_of_its_point_is_told_what_to_write() -> None:
    # 「.5%」 → "0.5%", 「5.%」 → "5%" (quoted: a percent is a text); 「.5」 has no `%` either, and is
    # offered as 0.5 is: a fraction first (0.5 × 100 = 50%), or 0.5% if it means 0.5 percent
    expected = 'expected a percentage like "95.13%", found the text'
    for written, help_text in [(".5%", 'write "0.5%": a number has digits on both sides of its point'),
                               ("5.%", 'write "5%": a number has digits on both sides of its point'),
                               (".5", 'if 0.5 is a fraction, write "50%"; write "0.5%" only if it means 0.5 percent')]:
        assert problems_of(f'[facts]\nx = 1\np = "{written}"\nn = 2\n') == [
            ("F206", f'`p`: {expected} "{written}"', help_text)]


def test_bare_dot_help_in_chinese_and_where_it_does_not_apply() -> None:
    rs = perfrules.loads(PLAIN)
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"x": ".5", "p": "50%", "n": 2})  # the plain dict: the same help as a facts file
    [problem] = info.value.diagnostics
    assert problem.help_in("zh") == "请写成0.5：数的小数点两边都要有数字"
    # a count's 「5.」 is 5; its 「.5」 is no count, and a number's 「5.%」 no number: no digits are offered for
    # them, only what every such error says (write a number; a whole number)
    assert problems_of('[facts]\nx = "5.%"\np = "50%"\nn = "5."\n') == [
        ("F204", '`x`: expected a number, found the text "5.%"',
         "write the figure as a number, without quotes or unit: 8881.35"),
        ("F207", '`n`: expected a whole number of 0 or more, found the text "5."',
         "write 5: a number has digits on both sides of its point")]
    assert problems_of('[facts]\nx = 1\np = "50%"\nn = ".5"\n')[0][2] == "write a whole number, like `0` or `12`"


@pytest.mark.parametrize("word", ["分值", "weight"])
def test_a_refused_column_name_hides_its_uses_but_not_the_keyword_misplaced_elsewhere(word: str) -> None:
    # `分值: number` (or `weight: number`) in a rows is E105. Its uses where a name goes (`weight 分值`,
    # `ratio 分值 / 10`, `when 分值 > 0`: lines 3 and 5) are its cascade, fixed by the rename, and not
    # said. `indicator C 分值 5 分值 5` writes the keyword twice (line 6, col 13 + len("分值 5 ") = 18):
    # no name could stand there, the rename does not fix it, and it was hidden too as a "use".
    text = ('ruleset "t" { total 25 }\n'
            f"input T: rows {{ name: text; {word}: number }}\n"
            f"indicator A weight 10 {{ each T {{ key name; weight {word}; ratio {word} / 10 }} }}\n"
            "indicator B weight 10 { each T { key name; weight evenly\n"
            f"  when {word} > 0 {{ full }} else {{ score 0 }} }} }}\n"
            f"indicator C {word} 5 {word} 5 {{ full }}\n")
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(text)
    second = 13 + len(f"{word} 5 ")  # 「indicator C 」 is 12 characters: the first at col 13
    assert [(d.code, d.location()) for d in info.value.diagnostics] == [
        ("E105", "<rules>:2:29"), ("E101", f"<rules>:6:{second}")]
    assert info.value.diagnostics[1].message == f"unexpected `{word}`"


@pytest.mark.parametrize("command", [["report"], ["report", "--layout", "form", "--format", "xlsx", "-o", "OUT"],
                                     ["explain", "产出指标"], ["eval"]])
def test_every_command_reading_a_form_places_a_facts_error_at_its_cell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    # the same form as test_workbook's test_a_bad_value_of_a_row_is_placed_at_its_cell: 指标值 of row 2
    # is 「约100」 (F204), written by ten_hao in column E of sheet line 12. `eval` named that cell;
    # `report` read the form as its `import` text and named line 28 of 「f.xlsx (read as facts)」,
    # with a TOML line as the source line. Every command now scores a form through score_form.
    from tests.test_workbook import MOF, published, ten_hao

    facts = published("suixi-2019")
    facts["facts"]["绩效指标"][1]["指标值"] = "约100"
    form = tmp_path / "f.xlsx"
    line = ten_hao(form, facts)["★★★其中:农村低保对象中建档立卡贫困人口数量(按月平均)(≥**人)"]
    assert line == 12
    rules = str(MOF / "project-form.rules")
    argv = [command[0], rules, str(form), *[str(tmp_path / "o.xlsx") if a == "OUT" else a for a in command[1:]]]
    assert main([*argv, "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("f.xlsx:自评表!E12: error: `绩效指标` row 2 (★★★其中"), err
    assert "(read as facts)" not in err and "[F204]" in err
    assert "= note: row 2 of `绩效指标` is row 12 of the sheet (f.xlsx:自评表!D12)" in err


def test_a_report_of_a_form_still_scores_it_as_eval_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # langfang-2019, scored by hand in rulesets/mof/project-form.cases.toml: 97.24, as the batch test has it
    from tests.test_workbook import MOF, published, ten_hao

    form = tmp_path / "f.xlsx"
    ten_hao(form, published("langfang-2019"))
    assert main(["report", str(MOF / "project-form.rules"), str(form), "--lang", "en"]) == 0
    assert "97.24" in capsys.readouterr().out
    assert main(["report", str(MOF / "project-form.rules"), str(form), "--layout", "form", "--format", "xlsx",
                 "-o", str(tmp_path / "filed.xlsx")]) == 0
    assert (tmp_path / "filed.xlsx").stat().st_size > 0


def test_a_batch_of_forms_places_a_facts_error_at_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the 「约100」 form above in a folder: `eval --batch` scores each form through score_form too
    import json

    from tests.test_workbook import MOF, published, ten_hao

    facts = published("suixi-2019")
    facts["facts"]["绩效指标"][1]["指标值"] = "约100"
    (tmp_path / "forms").mkdir()
    placed = ten_hao(tmp_path / "forms" / "f.xlsx", facts)
    assert placed["★★★其中:农村低保对象中建档立卡贫困人口数量(按月平均)(≥**人)"] == 12
    assert main(["eval", str(MOF / "project-form.rules"), "--batch", str(tmp_path / "forms")]) == 1
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(e["code"], e["where"]) for e in line["error"]] == [("F204", "f.xlsx:自评表!E12")]
