"""Every syntax error of a file in one run, the checker's errors of the rest, and the dead-end
messages of issue 14 turned into help that says what to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfrules.cli import main
from perfrules.syntax.messages import _split_run_together

from .conftest import errors

FIVE = """\
规则集 "五错" {
  总分 100
}
输入 合格率: 百分比
输入 执行: 百分比
指标 产出 20 {
  按比例 合格率
}
指标 效益 分值 30 {
  按比例 执行 满分为止
}
指标 质量 分值 20 {
  扣1每1%按未达(合格率,95%)
  满分
}
指标 时效 分值 10 {
  分档 合格率 { 80%..90%: 5; 否则: 0 }
}
指标 满意 分值 20 {
  按比例 未知量
}
指标 成本 30 {
  满分
}
"""


def test_five_syntax_errors_in_different_statements_and_the_checker_errors_of_the_rest() -> None:
    found = [(d.code, d.location()) for d in errors(FIVE)]
    assert found == [
        ("E101", "t.rules:6:7"),  # 指标 产出 20: the weight keyword is missing
        ("E101", "t.rules:10:10"),  # 满分为止 after 按比例
        ("E103", "t.rules:13:3"),  # 扣1每1%按未达(...) run together
        ("E101", "t.rules:17:12"),  # a range arm
        ("E201", "t.rules:20:7"),  # the checker still sees 满意, which parsed
        ("E101", "t.rules:22:7"),  # 指标 成本 30
    ]
    # not reported: weights that do not add up (two indicators were dropped), and 效益 without a
    # rule (its rule was dropped): consequences of the syntax errors, not errors of their own


def test_a_name_declared_in_a_dropped_statement_is_not_reported_unknown() -> None:
    found = errors("input x number\nindicator A weight 100 { ratio x }")
    assert [d.code for d in found] == ["E101"]


def test_an_error_inside_a_block_drops_that_line_only() -> None:
    found = errors("input x: number\nindicator A weight 50 { full; deduct 1 when x = 3 }\n"
                   "indicator B weight 50 { ratio y }")
    # the `=` line is dropped whole (no E302 about a truncated `when x`); B is still checked
    assert [(d.code, d.location()) for d in found] == [("E101", "t.rules:5:47"), ("E201", "t.rules:6:31")]


def test_run_together_tokens_are_split_in_one_step() -> None:
    [d] = errors("input 合格率: percent\nindicator 质量 weight 100 {\n  满分\n  扣1每1%按未达(合格率,95%)\n}")
    assert d.code == "E103"
    assert d.help == "write it with spaces: `扣 1 每 1% 按 未达(合格率,95%)`"
    assert "1每1` is a name" not in (d.help or "")


def test_a_split_never_makes_a_name_start_with_a_digit() -> None:
    assert _split_run_together("扣1每1%按未达(合格率,95%)", 0) == "扣 1 每 1% 按 未达(合格率,95%)"
    # a declared name that holds keyword characters stays whole
    assert _split_run_together("输入 按时完成: 是否\n扣2当非按时完成", 12) == "扣 2 当 非 按时完成"
    # nothing run together: no suggestion
    assert _split_run_together("扣 1 每 1% 按 x", 0) is None


def test_ratio_clamp_is_automatic() -> None:
    [d] = errors("input r: percent\nindicator A weight 100 { 按比例 r 满分为止 }")
    assert d.message == "`满分为止` is not needed: `按比例` never gives more than full marks"
    assert d.help == "delete `满分为止`: `按比例` scores weight × the ratio, clamped to 0..weight automatically"


def test_range_arms_point_to_thresholds() -> None:
    [d] = errors("input r: percent\nindicator A weight 100 { tiers r { 80%..90%: 16; else: 0 } }")
    assert d.message == "`80%..` is a range; tier arms are thresholds"
    assert "`>= 90%: …` above `>= 80%: …`" in (d.help or "")


def test_grade_on_a_bool_says_what_to_write() -> None:
    found = errors("输入 按时完成: 是否\n指标 报送 分值 100 {\n  等级 按时完成 { 是: 满分; 否: 0 }\n}")
    syntax = [d for d in found if d.code == "E101"]
    assert len(syntax) == 2
    assert syntax[0].help == "for a true/false input write `得分 如果 按时完成 则 100 否则 0`, " \
        "or `满分` with `扣 100 当 非 按时完成`"


def test_missing_weight_keyword() -> None:
    [d] = errors("指标 产出 20 {\n  满分\n}")
    assert (d.message, d.help) == ("the weight needs its keyword `分值`", "write `指标 产出 分值 20`")


def test_a_facts_file_given_as_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "f.toml"
    facts.write_text('[facts]\nx = 1\n', encoding="utf-8")
    rules = tmp_path / "r.rules"
    rules.write_text('ruleset "r" { total 10 }\ninput x: number\nindicator a weight 10 { score x }\n',
                     encoding="utf-8")
    assert main(["eval", str(facts), str(rules)]) == 2
    assert "RULES and FACTS are swapped" in capsys.readouterr().err
    assert main(["check", str(facts)]) == 1
    err = capsys.readouterr().err
    assert "this looks like a facts file (TOML), not a rule file" in err and err.endswith("1 error\n")


@pytest.mark.parametrize("path", sorted(Path(__file__).resolve().parents[1].glob("rulesets/*/*.rules")),
                         ids=lambda p: p.name)
def test_recovery_on_every_line_of_the_shipped_rulesets(path: Path) -> None:
    # a stray `)` at the end of each line in turn: always RulesError with that syntax error, never a crash
    import perfrules

    lines = path.read_text(encoding="utf-8").splitlines()
    for k, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        broken = "\n".join([*lines[:k], line + " )", *lines[k + 1 :]])
        with pytest.raises(perfrules.RulesError) as info:
            perfrules.loads(broken, "b.rules")
        assert any(d.code in ("E101", "E102") and d.location().startswith(f"b.rules:{k + 1}:")
                   for d in info.value.diagnostics), (k + 1, [str(d) for d in info.value.diagnostics])


def test_a_block_left_open_at_the_end_keeps_what_it_holds() -> None:
    # the missing `}` is one error, placed after the last thing written (`  score zz`, line 7, col 11); B's
    # rule still reaches the checker (E201 for `zz`)
    found = errors("input a: number\nindicator A weight 50 { ratio a / 100 }\nindicator B weight 50 {\n  score zz\n")
    assert [(d.code, d.location()) for d in found] == [("E201", "t.rules:7:9"), ("E101", "t.rules:7:11")]


def test_expected_lists_never_name_grammar_terminals() -> None:
    [d] = errors("input a: number\nlet r = a /\nindicator A weight 100 { ratio r }")
    assert "QNAME" not in (d.help or "") and "a column like `T.COL`" in (d.help or "")
