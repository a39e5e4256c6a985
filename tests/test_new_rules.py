"""`perfrules new rules`: a starter rule file from flags, an interview or a filled-in form, that
`perfrules check` accepts, `perfrules fmt` leaves as it is, and that scores as worked by hand."""

from __future__ import annotations

import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from perfrules.cli import main
from perfrules.cli.interview import interview
from perfrules.diagnostics import UsageError
from perfrules.tools.fmt import format_text
from perfrules.tools.new_rules import Plan, parse_indicator, plan_from, problems, starter_text

openpyxl = pytest.importorskip("openpyxl")

from .test_published_forms import langfang  # noqa: E402
from .test_workbook import ten_hao  # noqa: E402


class Terminal(io.StringIO):
    """stdin as typed at a terminal."""

    def isatty(self) -> bool:
        return True


def passes_check_and_fmt(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`perfrules check` accepts the file and `perfrules fmt --check` would not change it."""
    assert main(["check", str(path)]) == 0
    assert main(["fmt", "--check", str(path)]) == 0
    capsys.readouterr()


def written(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            *flags: str) -> Path:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: nothing is asked
    path = tmp_path / "starter.rules"
    assert main(["new", "rules", *flags, "-o", str(path)]) == 0
    passes_check_and_fmt(path, capsys)
    return path


# facts for the default starter (the 财预〔2020〕10号 split), in each keyword set's names
DEFAULT_FACTS_ZH = {"facts": {"全年预算数": Decimal(100), "全年执行数": Decimal(90), "产出指标完成值": Decimal(80),
                              "满意度指标完成率": "85%"},
                    "judged": {"效益指标": {"points": Decimal(27), "band": "达成"}}}
DEFAULT_FACTS_EN = {"facts": {"budget": Decimal(100), "spent": Decimal(90), "outputs_actual": Decimal(80),
                              "satisfaction_rate": "85%"},
                    "judged": {"benefits": {"points": Decimal(27), "band": "met"}}}
# by hand, either way:
#   预算执行率 90 / 100 = 90% of 10 = 9; 产出指标 80 / 100 (the target param) = 80% of 50 = 40;
#   效益指标 judged 27 (in 达成 [24, 30]); 满意度指标 85%: the tier >= 80% gives 80% of 10 = 8;
#   total 9 + 40 + 27 + 8 = 84 → 良 (>= 80)


@pytest.mark.parametrize(("keywords", "facts"), [("zh", DEFAULT_FACTS_ZH), ("en", DEFAULT_FACTS_EN)])
def test_the_default_starter_checks_formats_and_scores_as_worked_by_hand(
        keywords: str, facts: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = written(tmp_path, capsys, monkeypatch, "--keywords", keywords)
    ruleset = perfrules.load(path)
    assert [(i.path, int(i.weight)) for i in ruleset.indicator_list if "." not in i.path] == \
        ([("预算执行率", 10), ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)] if keywords == "zh" else
         [("budget_execution", 10), ("outputs", 50), ("benefits", 30), ("satisfaction", 10)])
    result = ruleset.evaluate(facts)
    assert (str(result.total), result.rating) == ("84.00", "良")
    text = path.read_text(encoding="utf-8")
    # the keywords in the language asked for, and back again through fmt --lang, unchanged
    other = "en" if keywords == "zh" else "zh"
    assert format_text(format_text(text, other), keywords) == text
    assert ("规则集 " in text) == (keywords == "zh")


def test_new_facts_of_a_starter_names_its_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = written(tmp_path, capsys, monkeypatch)
    assert main(["new", "facts", str(path)]) == 0
    template = capsys.readouterr().out
    for name in ("全年预算数", "全年执行数", "产出指标完成值", "满意度指标完成率"):
        assert f'"{name}" = ""' in template
    assert '"效益指标" = { points = "", band = "" }' in template  # judged, with its bands


def test_indicators_totals_and_kinds_from_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = written(tmp_path, capsys, monkeypatch, "--title", "培训项目", "--total", "20",
                   "--indicator", "执行=4:执行率", "--indicator", "人次=8", "--indicator", "合格=5:分档",
                   "--indicator", "成效=3:评定")
    ruleset = perfrules.load(path)
    assert ruleset.name == "培训项目"
    # 优 from 90% of 20 = 18, 良 from 16, 中 from 12
    assert '>= 18: "优"' in path.read_text(encoding="utf-8")
    result = ruleset.evaluate({"facts": {"全年预算数": 10, "全年执行数": 10, "人次完成值": 50, "合格完成率": "59%"},
                               "judged": {"成效": {"points": Decimal("2.5"), "band": "达成"}}})
    # 执行 10/10 = 100% of 4 = 4; 人次 50/100 = 50% of 8 = 4; 合格 59% is below every tier: 0;
    # 成效 judged 2.5 (达成 [2.4, 3]); total 4 + 4 + 0 + 2.5 = 10.5 → below 12: 差
    assert (str(result.total), result.rating) == ("10.50", "差")


def test_every_problem_of_the_flags_at_once(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    out = tmp_path / "x.rules"
    assert main(["new", "rules", "--indicator", "产出=60", "--indicator", "1坏=30", "--indicator", "总分=5",
                 "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "`1坏` cannot be a name" in err and "`总分` is a keyword" in err
    assert "the weights add up to 95, not to the total 100" in err  # 60 + 30 + 5
    assert not out.exists()
    assert main(["new", "rules", "--indicator", "产出=六十"]) == 2
    assert "the weight `六十` is not a number" in capsys.readouterr().err
    assert main(["new", "rules", "--indicator", "产出=100:分段"]) == 2
    assert "`分段` is not a way of scoring" in capsys.readouterr().err


def test_plan_problems() -> None:
    plan = Plan('a "b"', "zh", Decimal(10), (parse_indicator("x=5:执行率"), parse_indicator("y=5:execution"),
                                              parse_indicator("x=0")))
    assert [p.en for p in problems(plan)] == [
        'the title cannot hold `"`, `\\` or a line break',
        "`x` is named twice",
        "`x`: the weight 0 must be more than 0",
        "only one indicator can be scored by budget execution (执行率): they would share its inputs",
    ]  # 5 + 5 + 0 = 10: the weights do add up
    assert [p.zh for p in problems(plan)] == [
        "规则集名称不能含有`\"`、`\\`或换行",
        "`x`重复了",
        "`x`：分值0必须大于0",
        "只能有一个指标按预算执行率评分：几个指标会共用同一组输入",
    ]
    assert problems(plan_from(None, "en", None, [])) == []


def test_the_interview_asks_again_until_the_answers_can_be_used() -> None:
    answers = iter(["",             # keywords: the default, zh
                    "培训项目",      # title
                    "二十", "20",    # total: not a number, asked again
                    "人次=12", "1坏=3", "成效=3:评定", "",  # `1坏` asked again; 12 + 3 = 15, not 20
                    "人次=12", "成效=8:评定", ""])           # the indicators again, from the first
    prompts = io.StringIO()
    plan = interview(None, None, None, [], lambda: next(answers) + "\n", prompts)
    assert plan == Plan("培训项目", "zh", Decimal(20), (parse_indicator("人次=12"), parse_indicator("成效=8:评定")))
    said = prompts.getvalue()
    assert "`二十` is not a number" in said and "`1坏` cannot be a name" in said
    assert "the weights add up to 15, not to the total 20" in said
    perfrules.loads(starter_text(plan))


def test_the_interview_on_a_terminal_writes_prompts_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # --keywords and --title given: only the total and the indicators are asked
    monkeypatch.setattr(sys, "stdin", Terminal("\n\n"))  # the default total, then the default indicators
    assert main(["new", "rules", "--keywords", "en", "--title", "Roads"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Roads: a starter rule file") and "total 100" in out
    assert "total [100]: " in err and "keywords" not in err and "title" not in err
    assert perfrules.loads(out).name == "Roads"


def test_the_interview_ended_early_is_wrong_usage(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("zh\n"))  # then end of input (Ctrl-D)
    assert main(["new", "rules"]) == 2
    assert "the interview ended before it was done" in capsys.readouterr().err
    with pytest.raises(UsageError):
        interview(None, None, None, [], lambda: "", io.StringIO())


def test_no_input_on_a_terminal_asks_nothing(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    assert main(["new", "rules", "--no-input"]) == 0
    out, err = capsys.readouterr()
    assert "指标 满意度指标 分值 10 {" in out and err == ""


def test_usage_of_new(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["new", "facts"]) == 2
    assert "`new facts` needs the RULES file" in capsys.readouterr().err
    assert main(["new", "rules", str(tmp_path / "x.rules")]) == 2
    assert "-o names the file" in capsys.readouterr().err
    assert main(["new", "rules", "--sheet", "自评表"]) == 2
    assert "--sheet goes with --from-xlsx" in capsys.readouterr().err
    assert main(["new", "rules", "--from-xlsx", str(tmp_path / "none.xlsx")]) == 2
    assert "no such file" in capsys.readouterr().err


# ---- --from-xlsx -------------------------------------------------------------------------


def test_from_the_langfang_form_scores_that_form_as_worked_by_hand(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    form = tmp_path / "langfang.xlsx"
    langfang(form)
    for keywords in ("zh", "en"):
        path = written(tmp_path, capsys, monkeypatch, "--from-xlsx", str(form), "--keywords", keywords, "--force")
        text = path.read_text(encoding="utf-8")
        assert "#   数量指标/指标1工程资金金额（分值10，langfang.xlsx:附件1!D14）" in text  # the form's rows listed
        assert main(["eval", str(path), str(form), "--format", "json"]) == 0
        result = json.loads(capsys.readouterr().out)
        # as in test_published_forms (project-form.cases.toml, SOURCE 1): 预算执行率 37.24 / 43.2 × 10
        # = 8.62; 工程资金金额 the same ratio × 10 = 8.62; 产出 8.62 + 4 × 10 = 48.62; 效益 30;
        # 满意度 10; total 97.24 → 优
        assert (result["total"], result["rating"]) == ("97.24", "优")
        points = {i["path"]: i["points"] for i in result["indicators"]}
        assert (points["预算执行率"], points["产出指标"], points["效益指标"], points["满意度指标"]) == \
            ("8.62", "48.62", "30.00", "10.00")
        assert perfrules.load(path).name == "项目支出绩效自评表：办公宿舍楼、食堂及餐厅暖通改造经费"


TRAINING: dict[str, Any] = {"meta": {"period": "2023", "project": "干部培训"}, "facts": {
    "全年预算数": Decimal(200), "全年执行数": Decimal(190), "绩效指标": [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训人次", "指标值": "≥1000人次",
         "完成值": "900人次", "权重": 30},
        {"一级指标": "产出指标", "二级指标": "质量指标", "三级指标": "合格率", "指标值": "≥95%", "完成值": "95%",
         "权重": 20},
        {"一级指标": "成本指标", "二级指标": "经济成本指标", "三级指标": "人均成本", "指标值": "≤1800元",
         "完成值": "2000元", "权重": 20},
        {"一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "能力提升", "指标值": "效果明显",
         "完成值": "较明显", "权重": 10, "自评分": Decimal(7)},
        {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "满意度", "指标值": "≥90%",
         "完成值": "92%", "权重": 10},
    ]}}


def test_a_form_with_its_own_first_level_indicators(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # 成本指标 as a 一级指标 of its own (as newer forms print it) becomes an indicator of its own
    form = tmp_path / "training.xlsx"
    ten_hao(form, TRAINING)
    path = written(tmp_path, capsys, monkeypatch, "--from-xlsx", str(form), "--title", "培训 \"2023\"")
    assert [i.path for i in perfrules.load(path).indicator_list if "." not in i.path] == \
        ["预算执行率", "产出指标", "成本指标", "效益指标", "满意度指标"]
    assert perfrules.load(path).name == '培训 "2023"'
    assert main(["eval", str(path), str(form), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # by hand: 预算执行率 190 / 200 = 95% of 10 = 9.5; 培训人次 900 / 1000 = 90% of 30 = 27;
    # 合格率 95% of ≥95% = 20; 人均成本 (≤, reverse) 1800 / 2000 = 90% of 20 = 18; 能力提升 judged 7
    # (部分达成 [6, 8)); 满意度 92% ≥ 90% = 10; total 9.5 + 27 + 20 + 18 + 7 + 10 = 91.5 → 优
    assert (result["total"], result["rating"]) == ("91.50", "优")
    points = {i["path"]: i["points"] for i in result["indicators"]}
    assert (points["产出指标"], points["成本指标"], points["效益指标"]) == ("47.00", "18.00", "7.00")


def test_a_form_whose_weights_do_not_add_up_is_written_with_a_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    heavy = {**TRAINING, "facts": {**TRAINING["facts"], "绩效指标": [
        *TRAINING["facts"]["绩效指标"],
        {"一级指标": "效益指标", "二级指标": "可持续影响指标", "三级指标": "长效机制", "指标值": "≥1项",
         "完成值": "1项", "权重": 20}]}}
    form = tmp_path / "heavy.xlsx"
    ten_hao(form, heavy)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    path = tmp_path / "heavy.rules"
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    assert main(["new", "rules", "--from-xlsx", str(form), "-o", str(path)]) == 0
    # 30 + 20 + 20 + 10 + 10 + 20 = 110 of the rows, not 90; a Chinese starter is told of in Chinese
    assert capsys.readouterr().err.splitlines() == [
        f"{form}：4个一级指标（产出指标、成本指标、效益指标、满意度指标）下共6行",
        "说明：表内分值合计110，不是90（100分减去预算执行率的10分）：合计不符时`perfrules eval`不予评分；"
        "请更正表格，或修改规则文件中的分值",
        f"已写入{path}",
        f"下一步：按本单位的评分标准修改后，perfrules check {path}；perfrules eval {path} {form}",
    ]
    assert main(["new", "rules", "--from-xlsx", str(form), "-o", str(path), "--force", "--lang", "en"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{form}: 6 rows under 4 一级指标 (产出指标, 成本指标, 效益指标, 满意度指标)",
        "note: the form's 分值 add up to 110, not 90 (100 less the 10 of 预算执行率): `perfrules eval` refuses "
        "the form until they do; correct the form, or the weights in the rule file",
        f"wrote {path}",
        f"next: edit its scoring standards, then perfrules check {path}; perfrules eval {path} {form}",
    ]
    passes_check_and_fmt(path, capsys)
    assert main(["eval", str(path), str(form)]) == 1  # refused, as the note said
