"""`perfrules test` like pytest: -k, -x, --junit-xml; and --coverage of the rules' branches."""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from perfrules.cli import main
from perfrules.tools.testrun import KeywordError, keyword_matcher

RULES = """\
ruleset "覆盖" {
  total 30
}
input 合格率: percent
input 报送: bool
input 公开: bool
input 涉及: bool
indicator 质量 weight 10 {
  tiers 合格率 {
    >= 90%: full
    >= 60%: 50%
    else: 0
  }
}
indicator 管理 weight 10 {
  checklist {
    item "按时报送" 5 when 报送
    item "按规定公开" 5 when 公开
  }
}
indicator 生态 weight 10 {
  applies when 涉及 else full
  full
  deduct 2 when not 报送 because "未按时报送"
}
"""
# 低于60%不得分 is line 12 (`else: 0`); no case scores below 60%, so no case reaches it.
CASES = """\
rules = "r.rules"

[[case]]
name = "高合格率 all done"
[case.facts]
"合格率" = "95%"
"报送" = true
"公开" = true
"涉及" = true
[case.expect]
total = "30.00"

[[case]]
name = "中合格率 late"
[case.facts]
"合格率" = "70%"
"报送" = false
"公开" = true
"涉及" = true
[case.expect]
total = "18.00"
"""
# case 2 by hand: 质量 70% is the >= 60% arm, 50% of 10 = 5; 管理 5 (公开 only); 生态 10 − 2 = 8 -> 18.00


def write(tmp_path: Path, cases: str = CASES) -> Path:
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    path = tmp_path / "r.cases.toml"
    path.write_text(cases, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["test", *args])
    return code, capsys.readouterr().out


def test_coverage_lists_the_never_exercised_arm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    code, out = run(capsys, str(path), "--coverage")
    assert code == 0
    rules = tmp_path / "r.rules"
    never = [line.strip() for line in out.splitlines() if line.startswith(f"    {rules}:")]
    # branches: 3 tier arms + 2 items × (met, missed) + applies (true, false) + deduct (applied, not) = 11;
    # reached: >= 90% (case 1), >= 60% (case 2), 按时报送 met (1) and missed (2), 按规定公开 met (1, 2),
    # applies true (1, 2), deduct not applied (1) and applied (2) = 8; 8 / 11 = 72.7% -> 72%
    assert f"coverage of {rules}: 2 cases reach 8 of 11 branches (72%)" in out
    assert never == [
        f"{rules}:12  质量: else: 0",
        f"{rules}:18  管理: item \"按规定公开\" 5 when 公开 (missed)",
        f"{rules}:22  生态: applies when 涉及 else full (false)",
    ]



def test_coverage_in_chinese_uses_the_chinese_colon(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # as the Chinese score table does (依据：, 扣分原因：): it printed `服务对象满意度: ` and `总分: `
    (tmp_path / "r.rules").write_text(
        '规则集 "覆盖" { 总分 100 }\n输入 满意率: 百分比\n'
        '指标 服务对象满意度 分值 100 {\n  满分\n  扣 1 每 5% 进一 按 未达(满意率, 90%)\n}\n'
        '扣 3 当 满意率 < 85% 原因 "投诉"\n', encoding="utf-8")
    cases = tmp_path / "r.cases.toml"
    cases.write_text('rules = "r.rules"\n[[case]]\nname = "好"\n[case.facts]\n"满意率" = "95%"\n'
                     '[case.expect]\ntotal = "100.00"\n', encoding="utf-8")  # 95% ≥ 90%: no deduction, 100
    code, out = run(capsys, str(cases), "--coverage")
    rules = tmp_path / "r.rules"
    assert code == 0
    assert [line.strip() for line in out.splitlines() if line.startswith(f"    {rules}:")] == [
        f"{rules}:5  服务对象满意度：扣 1 每 5% 进一 按 未达(满意率, 90%) (生效)",
        f"{rules}:7  总分：扣 3 当 满意率 < 85% (生效)",
    ]

def test_k_selects_cases_and_x_stops(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, CASES.replace('total = "18.00"', 'total = "17.00"'))  # the second case now fails
    code, out = run(capsys, str(path), "-k", "高合格率")
    assert code == 0 and "1 passed, 0 failed, 1 deselected" in out
    code, out = run(capsys, str(path), "-k", "not 高合格率")
    assert code == 1 and "0 passed, 1 failed, 1 deselected" in out
    code, out = run(capsys, str(path), "-x")
    assert code == 1 and "stopped at the first failure (-x)" in out
    assert main(["test", str(path), "-k", "a and"]) == 2


def test_junit_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, CASES.replace('total = "18.00"', 'total = "17.00"'))
    report = tmp_path / "junit.xml"
    code, _ = run(capsys, str(path), "--junit-xml", str(report))
    assert code == 1
    root = ET.parse(report).getroot()
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == ("testsuites", "2", "1", "0")
    [suite] = root
    cases = list(suite)
    assert [c.get("name") for c in cases] == ["高合格率 all done", "中合格率 late"]
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("message") == "total: expected 17, got 18.00"


def test_junit_xml_to_standard_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `-`, as with `-o -`: the XML alone on stdout (a CI step pipes it on), the report on stderr; no file named `-`
    path = write(tmp_path, CASES.replace('total = "18.00"', 'total = "17.00"'))
    with contextlib.chdir(tmp_path):
        code = main(["test", str(path), "--junit-xml", "-"])
    captured = capsys.readouterr()
    assert code == 1 and not (tmp_path / "-").exists()
    root = ET.fromstring(captured.out)
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    assert "0 failed" not in captured.err and "1 passed, 1 failed" in captured.err


def test_keyword_expressions() -> None:
    match = keyword_matcher("执行率 and not (超支 or 逾期)")
    assert match("预算执行率 正常") and not match("执行率 超支") and not match("执行率 逾期") and not match("其他")
    assert keyword_matcher("ABC")("xabcx")  # case-insensitive
    for bad in ("a and", "(a", "a )", "or"):
        with pytest.raises(KeywordError):
            keyword_matcher(bad)


def test_seed_reproduces_the_property_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a false intention: 质量 scores at most 5 (it scores 10 from 90% up); with a seed the counterexample repeats
    path = write(tmp_path, CASES + '\n[[intention]]\nkind = "at_most"\npath = "质量"\npoints = "5"\n')
    runs = [run(capsys, str(path), "--properties", "--examples", "30", "--seed", "7") for _ in range(2)]
    assert runs[0][0] == 1 and "FAIL property" in runs[0][1]
    assert runs[0] == runs[1]


def test_properties_on_a_rule_file_without_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path)
    rules = tmp_path / "r.rules"
    code, out = run(capsys, str(rules), "--properties", "--examples", "10", "--seed", "1")
    assert code == 0 and "ok   property: invariants (10 examples" in out
    assert main(["test", str(rules)]) == 2  # without --properties there is nothing to run


def test_a_property_run_whose_every_example_stops_fails_as_nothing_checked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `a` can only be 0, so every drawn example divides by zero (E501): the run checked nothing, and
    # said "ok property: invariants (20 examples, 20 stopped by evaluation errors)" with exit 0
    rules = tmp_path / "z.rules"
    rules.write_text('ruleset "z" { total 10 }\ninput a: number in 0..0\ninput b: number\n'
                     "indicator A weight 10 { ratio b / a }\n", encoding="utf-8")
    code, out = run(capsys, str(rules), "--properties", "--examples", "20", "--seed", "1")
    assert code == 1
    assert "FAIL property: invariants" in out
    assert "all 20 examples stopped on an evaluation error, so nothing was checked" in out
    # a guarded formula: checked, ok (b / a is never reached with a = 0)
    rules.write_text('ruleset "z" { total 10 }\ninput a: number in 0..0\ninput b: number\n'
                     "indicator A weight 10 { ratio if a > 0 then b / a else 0 }\n", encoding="utf-8")
    code, out = run(capsys, str(rules), "--properties", "--examples", "20", "--seed", "1")
    assert code == 0 and "ok   property: invariants (20 examples)" in out


def test_coverage_of_each_arms_in_a_rows_ruleset(capsys: pytest.CaptureFixture[str]) -> None:
    # 棠溪镇 2022: every 效益指标 row is 定性 (the facts file's comment: 效益指标 定性 10 + 10 + 10), so the
    # quantitative `否则` arm of 效益指标 (line 74) is never taken; every 满意度指标 row is quantitative
    # (≥90% against ≥90%), so its 定性 arm (line 87) is never taken; and no case has a 全年预算数 of
    # 0, so the guard of 预算执行率 (line 44, `如果 全年预算数 == 0 则 0 …`) never goes its true way
    from .conftest import ROOT

    code, out = run(capsys, str(ROOT / "rulesets" / "county" / "tangxi-weituo-2022.cases.toml"), "--coverage")
    rules = ROOT / "rulesets" / "county" / "tangxi-weituo-2022.rules"
    assert code == 0
    never = [line.strip() for line in out.splitlines() if line.startswith(f"    {rules}:")]
    assert never == [f"{rules}:44  预算执行率：如果 全年预算数 == 0 则 0 否则 全年执行数 / 全年预算数 (成立)",
                     f"{rules}:74  效益指标：否则", f"{rules}:87  满意度指标：当 属定性(指标值) 或 属定性(完成值)"]


IF_RULES = """\
ruleset "if" {
  total 10
}
input 执行率: percent
input 超支: bool
let 扣减 = if 超支 then 2 else 0
indicator 执行 weight 10 {
  score if 执行率 >= 90% then 10 - 扣减 else (if 执行率 >= 60% then 5 else 0)
}
"""
# the `if` of line 8 and the nested one; the let's `if` of line 6
IF_CASES = """\
rules = "r.rules"

[[case]]
name = "高执行率"
[case.facts]
"执行率" = "95%"
"超支" = false
[case.expect]
total = "10.00"
"""
# by hand: 95% >= 90%, so 10 − 扣减; 超支 false, 扣减 = 0: 10.00


def test_coverage_lists_the_if_branches_no_case_takes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.rules").write_text(IF_RULES, encoding="utf-8")
    path = tmp_path / "r.cases.toml"
    path.write_text(IF_CASES, encoding="utf-8")
    code, out = run(capsys, str(path), "--coverage")
    assert code == 0
    rules = tmp_path / "r.rules"
    never = [line.strip() for line in out.splitlines() if line.startswith(f"    {rules}:")]
    # 3 ifs × 2 ways = 6 branches; the one case takes the outer `if` true (line 8) and the let's
    # `if` false (line 6), and never reaches the nested `if`: 2 of 6 = 33%
    assert f"coverage of {rules}: 1 case reaches 2 of 6 branches (33%)" in out
    assert any(line.startswith(f"{rules}:6  ") and line.endswith("(true)") for line in never)
    assert sum(1 for line in never if line.startswith(f"{rules}:8  ")) == 3  # outer false, nested both


ZH_RULES = """\
规则集 "性质" {
  总分 10
}
输入 合格率: 百分比
指标 质量 分值 10 {
  分档 合格率 {
    >= 90%: 满分
    >= 60%: 50%
    否则: 0
  }
}
"""
ZH_CASES = """\
rules = "zh.rules"

[[case]]
name = "高合格率"
[case.facts]
"合格率" = "95%"
[case.expect]
total = "10.00"

[[intention]]
kind = "monotonic"
path = "质量"
input = "合格率"

[[intention]]
kind = "at_most"
path = "质量"
points = "5"
"""


def test_property_lines_speak_the_rule_files_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "zh.rules").write_text(ZH_RULES, "utf-8")
    cases = tmp_path / "zh.cases.toml"
    cases.write_text(ZH_CASES, "utf-8")
    junit = tmp_path / "report.xml"
    code, out = run(capsys, str(cases), "--properties", "--examples", "30", "--seed", "3", "--junit-xml", str(junit))
    assert code == 1  # the second intention is false: 质量 scores 10 from 90% up
    lines = out.splitlines()
    assert "  通过   性质：内置不变式（30个样例）" in lines
    assert "  通过   性质：`合格率`升高时`质量`的得分不降低（30个样例）" in lines
    assert "  未通过 性质：`质量`至多得5分" in lines
    # the counterexample in Chinese: what was expected, what was got, and the facts file to run
    assert "意图不成立：`质量`至多得5分（声明于" in out and "应得至多5分，实得10.00分" in out
    assert "反例（存为facts.toml，再运行`perfrules eval" in out
    names = [c.get("name") for c in ET.parse(junit).getroot().iter("testcase")]
    assert "性质：内置不变式" in names and "性质：`质量`至多得5分" in names

    code, out = run(capsys, str(cases), "--properties", "--examples", "30", "--seed", "3", "--lang", "en")
    assert "  ok   property: invariants (30 examples)" in out.splitlines()
    assert "  FAIL property: `质量` scores at most 5" in out.splitlines()
    assert "expected at most 5 points, got 10.00" in out


# 质量 falls as 合格率 rises: below 60% 0, from 60% up full (10), from 90% up only 50% (5)
ZH_FALLING = """\
规则集 "下降" {
  总分 10
}
输入 合格率: 百分比
指标 质量 分值 10 {
  分档 合格率 {
    >= 90%: 50%
    >= 60%: 满分
    否则: 0
  }
}
"""
ZH_FALLING_CASES = """\
rules = "zh.rules"

[[intention]]
kind = "monotonic"
path = "质量"
input = "合格率"
"""


def test_a_broken_monotonic_intention_prints_its_counterexample_in_chinese(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    (tmp_path / "zh.rules").write_text(ZH_FALLING, "utf-8")
    cases = tmp_path / "zh.cases.toml"
    cases.write_text(ZH_FALLING_CASES, "utf-8")
    code, out = run(capsys, str(cases), "--properties", "--examples", "200", "--seed", "5")
    assert code == 1
    lines = out.splitlines()
    assert "  未通过 性质：`合格率`升高时`质量`的得分不降低" in lines
    # the intention is declared at line 3 of the cases file ([[intention]])
    assert f"         意图不成立：`合格率`升高时`质量`的得分不降低（声明于{cases}:3）" in lines
    # the only falling pair: a lower value in [60%, 90%) scores full, 10.00; a higher one from 90% up 5.00
    low = [line for line in lines if line.startswith("           `合格率` = ") and "（更高）" not in line]
    high = [line for line in lines if line.startswith("           `合格率` = ") and "（更高）时：" in line]
    assert len(low) == 1 and low[0].endswith("时：10.00分")
    assert len(high) == 1 and high[0].endswith("（更高）时：5.00分")
    assert f"         反例：两个只有`合格率`不同的事实文件；分别运行`perfrules eval {tmp_path / 'zh.rules'} 文件`。" \
        in lines
    assert "         # lower.toml" in lines and "         # higher.toml" in lines


def test_junit_names_properties_in_english_with_lang_en(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "zh.rules").write_text(ZH_RULES, "utf-8")
    cases = tmp_path / "zh.cases.toml"
    cases.write_text(ZH_CASES, "utf-8")
    junit = tmp_path / "report.xml"
    code, _ = run(capsys, str(cases), "--properties", "--examples", "30", "--seed", "3", "--lang", "en",
                  "--junit-xml", str(junit))
    assert code == 1
    testcases = list(ET.parse(junit).getroot().iter("testcase"))
    assert [c.get("name") for c in testcases] == [
        "高合格率", "property: invariants", "property: the points of `质量` never fall when `合格率` rises",
        "property: `质量` scores at most 5"]
    failure = testcases[-1].find("failure")
    # its first line: the intention that does not hold, where it is declared (line 15: the second [[intention]])
    assert failure is not None
    assert failure.get("message") == f"intention does not hold: `质量` scores at most 5 (declared at {cases}:15)"


def test_junit_gives_a_load_error_in_the_rule_file_s_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    (tmp_path / "zh.rules").write_text(ZH_RULES.replace("分档 合格率", "分档 及格率"), "utf-8")
    cases = tmp_path / "zh.cases.toml"
    cases.write_text(ZH_CASES, "utf-8")
    junit = tmp_path / "report.xml"
    code, _ = run(capsys, str(cases), "--junit-xml", str(junit))
    assert code == 1
    [case] = ET.parse(junit).getroot().iter("testcase")
    error = case.find("error")
    assert case.get("name") == "load" and error is not None
    # line 6 of ZH_RULES, column 6: `及格率` after `  分档 `; the nearest declared input is 合格率
    assert error.get("message") == "未知的名称`及格率`"
    assert error.text == f"{tmp_path / 'zh.rules'}:6:6: error: 未知的名称`及格率` [E201]\n  提示：是不是`合格率`？"


def test_a_shipped_chinese_ruleset_names_its_intention_in_chinese(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    cases = Path(__file__).resolve().parents[1] / "rulesets" / "county" / "tangxi-weituo-2022.cases.toml"
    code, out = run(capsys, str(cases), "--properties", "--examples", "20", "--seed", "1")
    assert code == 0
    # its one intention, named by its author in English, then worded in Chinese
    assert "  通过   性质：spending more never lowers 预算执行率：" \
        "`全年执行数`升高时`预算执行率`的得分不降低（20个样例）" in out.splitlines()
    code, out = run(capsys, str(cases), "--properties", "--examples", "20", "--seed", "1", "--lang", "en")
    assert "  ok   property: spending more never lowers 预算执行率: the points of `预算执行率` never fall when " \
        "`全年执行数` rises (20 examples)" in out.splitlines()


def test_a_check_stopped_by_an_assertion_of_its_own_is_framed_in_the_file_s_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import perfrules.testing

    def stopped(*args: object, **kwargs: object) -> None:
        raise AssertionError("Hypothesis: Flaky")  # as Hypothesis words it, in English

    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    monkeypatch.setattr(perfrules.testing, "check_ruleset", stopped)
    (tmp_path / "zh.rules").write_text(ZH_RULES, "utf-8")
    cases = tmp_path / "zh.cases.toml"
    cases.write_text(ZH_CASES.split("[[intention]]")[0], "utf-8")
    junit = tmp_path / "report.xml"
    code, out = run(capsys, str(cases), "--properties", "--examples", "5", "--junit-xml", str(junit))
    assert code == 1
    assert out.splitlines()[2:4] == ["  未通过 性质：内置不变式", "         检查中止：Hypothesis: Flaky"]
    failure = list(ET.parse(junit).getroot().iter("testcase"))[-1].find("failure")
    assert failure is not None and failure.get("message") == "检查中止：Hypothesis: Flaky"
