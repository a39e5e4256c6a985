"""Facts files and mappings: exact values, every problem at once, each with its place."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.inputs.facts_file import parse_facts
from perfrules.inputs.json_places import places_in

from .conftest import rules

RULES = """
input budget: number
input spent: number
input rate: percent in 0%..100%
input n: count
input on_time: bool
input g: grade(优, 良, 中, 差)
input remark: text = "无"
indicator A weight 100 { ratio spent / budget }
"""


def diagnostics(toml: str) -> list[perfrules.Diagnostic]:
    with pytest.raises(perfrules.FactsError) as info:
        rules(RULES).evaluate(parse_facts(toml, "f.toml"))
    return list(info.value.diagnostics)


def test_toml_numbers_are_read_exactly() -> None:
    facts = parse_facts('[facts]\nbudget = 8881.35\nspent = 0.1\n', "f.toml")
    assert facts.facts["budget"] == D("8881.35") and isinstance(facts.facts["spent"], D)


def test_a_clean_facts_file_evaluates() -> None:
    toml = """
[meta]
entity = "某某局"
[facts]
budget = 8881.35
spent = 8448.73
rate = "95.13%"
n = 3
on_time = "是"
g = "良"
"""
    r = rules(RULES).evaluate(parse_facts(toml, "f.toml"))
    # 8448.73 / 8881.35 × 100 = 95.1288… → 95.13
    assert r.total == D("95.13") and r.meta == {"entity": "某某局"}


def test_every_problem_is_reported_at_once_with_its_key_and_line() -> None:
    toml = """[facts]
budget = "lots"
spent = 1.5
rate = 95.13
n = -2
on_time = 1
g = "优秀"
extra = 3
"""
    found = diagnostics(toml)
    by_code = {d.code: d for d in found}
    # budget wrong type, rate bare number, n negative, on_time not bool, g unknown label,
    # extra unknown key — six problems, none hides another
    assert sorted(by_code) == ["F202", "F204", "F206", "F207", "F208", "F209"]
    assert by_code["F204"].location() == "f.toml:2:1"
    assert by_code["F206"].location() == "f.toml:4:1"
    assert "95.13%" in (by_code["F206"].help or "")
    assert by_code["F209"].help is not None and "优" in by_code["F209"].help
    assert by_code["F202"].location() == "f.toml:8:1"


def test_missing_inputs_and_defaults() -> None:
    found = diagnostics("[facts]\nbudget = 1\n")
    missing = sorted(d.message for d in found if d.code == "F203")
    # `remark` has a default, so only the other five are missing
    assert len(missing) == 5 and all("`remark`" not in m for m in missing)


def test_range_is_inclusive_and_checked() -> None:
    rs = rules("input r: percent in 0%..100%\nindicator A weight 100 { ratio r }")
    assert rs.evaluate({"r": "100%"}).total == D("100.00")
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"r": "100.01%"})
    assert [d.code for d in info.value.diagnostics] == ["F210"]


def test_nan_inf_and_floats_are_refused() -> None:
    rs = rules("input x: number\nindicator A weight 100 { score x }")
    for toml in ("[facts]\nx = nan\n", "[facts]\nx = inf\n", "[facts]\nx = -inf\n"):
        with pytest.raises(perfrules.FactsError):
            rs.evaluate(parse_facts(toml, "f.toml"))
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"x": 0.1})
    assert "float" in info.value.diagnostics[0].message


def test_huge_and_long_numbers_are_refused_not_rounded() -> None:
    rs = rules("input x: number\nindicator A weight 100 { score x }")
    for value in (D("1e999999"), 10**400, D("0." + "1" * 400)):
        with pytest.raises(perfrules.FactsError):
            rs.evaluate({"x": value})


def test_toml_syntax_error_has_a_position() -> None:
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts("[facts]\nbudget = = 3\n", "f.toml")
    [d] = info.value.diagnostics
    assert d.code == "F100" and d.location().startswith("f.toml:2:")


def test_unknown_table_is_reported() -> None:
    found = diagnostics("[fact]\nbudget = 1\n")
    assert "F201" in [d.code for d in found]
    assert any(d.help == "did you mean `[facts]`?" for d in found)


def test_mapping_errors_name_the_key() -> None:
    rs = rules("input x: number\nindicator A weight 100 { score x }")
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"x": "abc"})
    assert info.value.diagnostics[0].location() == "facts['x']"


def test_judged_and_override_problems() -> None:
    rs = rules('input x: number\nindicator A weight 50 { judged }\nindicator B weight 50 { score x }')
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"facts": {"x": 1}, "judged": {"B": 3, "Q": 1}, "override": {"B": {"points": 60}}})
    got = sorted(d.code for d in info.value.diagnostics)
    # B is not judged (F211), Q unknown (F212), A has no entry (F213), override above weight (F222),
    # override without reason (F223)
    assert got == ["F211", "F212", "F213", "F222", "F223"]


def test_help_for_typical_facts_mistakes() -> None:
    rs = rules('input 满意度: percent\nindicator A weight 50 { ratio 满意度 }\n'
               'indicator 效益 weight 50 { judged bands { "好": [80%, 100%]; "中": [60%, 80%); "差": [0, 60%) } }')
    def helps(facts: dict[str, object]) -> dict[str, str | None]:
        with pytest.raises(perfrules.FactsError) as info:
            rs.evaluate(facts)
        return {d.code: d.help for d in info.value.diagnostics}

    # a text without % gets the % added; a fraction is read as a fraction first
    assert helps({"facts": {"满意度": "93.6"}, "judged": {"效益": {"points": 45, "band": "好"}}})["F206"] == \
        'add the percent sign: "93.6%"'
    assert helps({"facts": {"满意度": D("0.936")}, "judged": {"效益": {"points": 45, "band": "好"}}})["F206"] == \
        'if 0.936 is a fraction, write "93.6%"; write "0.936%" only if it means 0.936 percent'
    # a text number of at most 1 leads with the fraction too: "0.925%" would score 0.925% and zero the
    # indicator, so it is offered only as the literal alternative (issue 14)
    assert helps({"facts": {"满意度": "0.925"}, "judged": {"效益": {"points": 45, "band": "好"}}})["F206"] == \
        'if 0.925 is a fraction, write "92.5%"; write "0.925%" only if it means 0.925 percent'
    # points without their band: the help names the band the points fall in (35 of 50 is 70%: 中)
    assert helps({"facts": {"满意度": "90%"}, "judged": {"效益": 35}})["F217"] == \
        'write `"效益" = { points = 35, band = "中" }`; the bands are 好, 中, 差'
    # a mapping holding only the judged table is read as facts-file shaped
    assert "F202" not in helps({"judged": {"效益": {"points": 45, "band": "好"}}})


def test_toml_help_for_chinese_keys_and_quotes() -> None:
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts('[facts]\n满意度 = "90%"\n', "f.toml")
    assert info.value.diagnostics[0].help == 'TOML keys in Chinese need quotes: write `"满意度" = …`'
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts('[facts]\n"满意度" = “90%”\n', "f.toml")
    assert info.value.diagnostics[0].help == 'use straight quotes `"…"`, not Chinese quotes `“…”`'
    # a table of rows named in Chinese (spec 10 writes `[[facts."绩效指标"]]`): the help gives the header
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts('[facts]\n[[facts.绩效指标]] # 行\n"三级指标" = "a"\n', "f.toml")
    d = info.value.diagnostics[0]
    assert d.help == 'TOML table names in Chinese need quotes: write `[[facts."绩效指标"]]`'
    assert d.help_in("zh") == 'TOML中的中文表名要加引号：写成`[[facts."绩效指标"]]`'
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts('[meta]\n[判分]\n', "f.toml")
    assert info.value.diagnostics[0].help == 'TOML table names in Chinese need quotes: write `["判分"]`'
    # rows without `facts.`: quoting alone would give `[["绩效指标"]]`, a table outside [facts] (F201), so the
    # help writes the header the rows need
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts('[facts]\n[[绩效指标]]\n"三级指标" = "a"\n', "f.toml")
    d = info.value.diagnostics[0]
    assert d.help == 'rows are written under facts, and TOML table names in Chinese need quotes: ' \
        'write `[[facts."绩效指标"]]`'
    assert d.help_in("zh") == '行表写在facts之下，TOML中的中文表名要加引号：写成`[[facts."绩效指标"]]`'


def test_keys_above_any_table_say_the_facts_line_is_missing() -> None:
    rs = rules("input 预算数: number\nindicator A weight 100 { score 预算数 }")
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(parse_facts('"预算数" = 5\n', "f.toml"))
    first = info.value.diagnostics[0]
    assert first.code == "F201" and first.message == "`预算数` stands outside any table"
    assert first.location() == "f.toml:1:1"


@pytest.mark.parametrize("kind", ["number", "percent", "count", "bool", "text", "grade(优, 良)"])
def test_unreadable_numbers_are_facts_errors_on_both_paths(kind: str) -> None:
    """NaN, infinities and ints too long for str() once escaped as InvalidOperation or ValueError."""
    rs = perfrules.loads(f'ruleset "t" {{ total 10 }}\ninput r: {kind}\nindicator A weight 10 {{ full }}\n')
    for value in (D("NaN"), D("sNaN"), D("-Infinity"), D("1E+99999"), 10**5000, -(10**5000)):
        messages = []
        for facts in ({"r": value}, perfrules.Facts({"r": value})):  # the fast checks, then validate
            with pytest.raises(perfrules.FactsError) as info:
                rs.evaluate(facts)
            messages.append([str(d) for d in info.value.diagnostics])
        assert messages[0] == messages[1]
        assert len(messages[0]) == 1 and len(messages[0][0]) < 400  # one error; 5,000 digits not printed
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"r": 10**5000})
    assert info.value.diagnostics[0].message.endswith(
        "is too large (the limit is 10^18)" if kind == "number" else "found a number of 5001 digits")


def test_percent_help_follows_the_declared_range() -> None:
    # in 0%..1%, 0.5 read as a fraction (50%) is outside the range: the literal 0.5% is the plausible one
    rs = rules('input r: percent in 0%..1%\nindicator A weight 100 { ratio r }')
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"r": "0.5"})
    assert info.value.diagnostics[0].help == \
        'write "0.5%" if it means 0.5 percent; as a fraction it would be "50%", outside the declared range'
    # in 0%..100% both readings fit; the fraction leads
    rs = rules('input r: percent in 0%..100%\nindicator A weight 100 { ratio r }')
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"r": "0.5"})
    assert info.value.diagnostics[0].help == (
        'if 0.5 is a fraction, write "50%"; write "0.5%" only if it means 0.5 percent')


def test_help_for_numbers_written_as_on_paper() -> None:
    rs = rules('input 预算: number "全年预算数（万元）"\ninput b: number\ninput c: count\n'
               'input d: number "支出（元）"\nindicator A weight 100 { score 1 }')
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"预算": "1620元", "b": "1,620", "c": "12", "d": "1,620.5元"})
    helps = {d.location(): d.help for d in info.value.diagnostics}
    # 1620 元 = 1620 / 10^4 万元 = 0.162 万元: the digits alone would be 10,000 times too much
    assert helps["facts['预算']"] == "`预算` is in 万元 (全年预算数（万元）): 1620元 is 0.162万元; write 0.162"
    assert helps["facts['b']"] == "write the number without thousands separators: 1620"
    assert helps["facts['c']"] == "write the number without quotes: 12"
    assert helps["facts['d']"] == "write the number alone, without `元`: 1620.5"


def test_str_of_facts_error_keeps_the_help_line() -> None:
    rs = rules("input b: number\nindicator A weight 100 { score 1 }")
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate({"b": "1,620"})
    assert str(info.value) == ("facts['b']: error: `b`: expected a number, found the text \"1,620\" [F204]\n"
                               "  help: write the number without thousands separators: 1620")


def test_json_facts_problems_name_file_line_and_column(tmp_path: Path) -> None:
    rules = perfrules.loads('ruleset "x" { total 10 }\ninput 单位: rows { 名称: text; 执行率: measure; 预算: number }\n'
                            "indicator 执行 weight 10 { ratio weighted_mean(单位.执行率, 单位.预算) }\n")
    path = tmp_path / "f.json"
    path.write_text('{"单位": [{"名称": "甲", "执行率": "约90%", "预算": 100},\n {"名称": "乙", "执行率": "80%"}]}\n',
                    "utf-8")
    with pytest.raises(perfrules.FactsError) as info:
        rules.evaluate(path)
    first, second = info.value.diagnostics
    # line 1: `{"单位": [{"名称": "甲", ` is 20 characters, so the key "执行率" starts at column 21
    assert first.location() == f"{path}:1:21" and first.code == "F204"
    assert first.span is not None and first.span.text() == '"执行率"'
    # line 2: ` {` — the second row, which has no 预算, opens at column 2
    assert second.location() == f"{path}:2:2" and second.code == "F203"
    assert "row 2" in second.message and "预算" in second.message
    # the help is written in the file's own syntax: JSON, not TOML's `"预算" = …`
    assert second.help == 'add `"预算": …` to that row, a number such as 8881.35'
    assert second.help_in("zh") == '在该行中加上`"预算": …`，填数值，例如8881.35'


def test_json_facts_helps_name_the_object_to_add_to(tmp_path: Path) -> None:
    rules = perfrules.loads('ruleset "x" { total 10 }\ninput spent: number\n'
                            "indicator a weight 5 { score spent }\nindicator b weight 5 { judged }\n")
    shaped, plain = tmp_path / "s.json", tmp_path / "p.json"
    shaped.write_text('{"facts": {}}', "utf-8")
    plain.write_text("{}", "utf-8")
    with pytest.raises(perfrules.FactsError) as info:
        rules.evaluate(shaped)
    assert sorted(d.help or "" for d in info.value.diagnostics) == [
        'add `"b": …` (points from 0 to 5) to the `"judged"` object',
        'add `"spent": …` to the `"facts"` object, a number such as 8881.35']
    with pytest.raises(perfrules.FactsError) as info:
        rules.evaluate(plain)
    assert info.value.diagnostics[0].help == "add `\"spent\": …` to the file's object, a number such as 8881.35"


def test_json_facts_of_plain_inputs_place_each_key(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"spent": 1,\n  "extra": 2}', "utf-8")
    with pytest.raises(perfrules.FactsError) as info:
        perfrules.loads("ruleset \"x\" { total 10 }\ninput spent: number\nindicator a weight 10 { score spent }\n"
                        ).evaluate(path)
    (d,) = info.value.diagnostics
    assert d.code == "F202" and d.location() == f"{path}:2:3"  # `  "extra"`: the key at column 3


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=5), json_values, max_size=4), st.sampled_from([None, 1, 2]))
@settings(max_examples=150, deadline=None)
def test_json_places_find_every_key_and_element_as_written(data: dict[str, Any], indent: int | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    places, _ = places_in(text)

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                start, end = places[(*path, key)]
                assert json.loads(text[start:end]) == key  # the key's own quoted text
                walk(inner, (*path, key))
        elif isinstance(value, list):
            for number, inner in enumerate(value, 1):
                start, _end = places[(*path, number)]
                assert text[start] == json.dumps(inner, ensure_ascii=False, indent=indent)[0]
                walk(inner, (*path, number))

    walk(data, ())


def test_a_table_under_facts_is_placed_at_its_own_header() -> None:
    # `[facts."绩效指标"]` where `[[facts."绩效指标"]]` was meant: the rows input is one table.
    # The file's lines: 1 `[facts]`, 2 `budget = 1`, 3 blank, 4 `[facts."绩效指标"]`, 5 `"权重" = 10`,
    # 6 blank, 7 `[facts.units]`, 8 `a = 1`; so F204 is at 4:1 (not at `[facts]`, 1:1), its
    # caret under the whole header, `[facts."` 8 + 绩效指标 4 + `"]` 2 = 14 characters, and the
    # unknown `units` at 7:1, its caret under `[facts.units]`, 13 characters.
    rs = rules('input 绩效指标: rows { 三级指标: text; 权重: number }\n'
               'indicator A weight 100 { each 绩效指标 { key 三级指标; weight 权重; full } }')
    text = '[facts]\nbudget = 1\n\n[facts."绩效指标"]\n"权重" = 10\n\n[facts.units]\na = 1\n'
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(parse_facts(text, "f.toml"))
    by_code = {d.code: d for d in info.value.diagnostics if d.code in ("F204",)}
    assert by_code["F204"].location() == "f.toml:4:1"
    assert by_code["F204"].span is not None and by_code["F204"].span.end - by_code["F204"].span.start == 14
    unknown = {d.location() for d in info.value.diagnostics if d.code == "F202"}
    assert unknown == {"f.toml:2:1", "f.toml:7:1"}  # budget (line 2) and units (line 7)
    units = next(d for d in info.value.diagnostics if d.location() == "f.toml:7:1")
    assert units.span is not None and units.span.end - units.span.start == 13  # `[facts.units]`
