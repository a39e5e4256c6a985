"""Every shipped ruleset: checks clean, passes its cases, keeps the invariants and its authors' intentions."""

from __future__ import annotations

from pathlib import Path

import pytest

import perfrules
from perfrules.cli import main
from perfrules.testing import check_intentions, check_ruleset
from perfrules.tools.cases import load_cases
from perfrules.tools.testrun import discover

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ROOT / "rulesets"
RULE_FILES = sorted(RULESETS.glob("**/*.rules"))
CASE_FILES = discover([RULESETS])[0]
POSITIVE_BUDGET = {"全年预算数": [1, 1000000]}  # the rulesets accept negative budgets; the intention is for real ones
EXAMPLES = 60  # per property: enough to reach the boundaries, fast enough for every run of the suite

# Intentions a finance official would state for the shipped rulesets. Rule authors
# may also declare them in their cases files as [[intention]] tables (docs/testing.md).
INTENTIONS: dict[str, list[dict[str, object]]] = {
    "guangzhou/xiezuo-2022.rules": [
        {
            "kind": "monotonic",
            "path": "管理效能.预算执行.预算执行率",
            "input": "一般公共预算支出数",
            "within": {"一般公共预算财政拨款收入": [1, 1000000]},
        },
        {
            "kind": "monotonic",
            "path": "管理效能.资产与采购管理.政府采购",
            "input": "违规采购事项数",
            "direction": "down",
        },
        {"kind": "monotonic", "input": "服务对象满意度"},
    ],
    "hunan/dept-overall.rules": [
        {"kind": "monotonic", "path": "效果.履职效益.社会公众或服务对象满意度", "input": "服务对象满意度"},
        {"kind": "full_when", "path": "效果.履职效益.社会公众或服务对象满意度", "when": {"服务对象满意度": "90%"}},
        {
            "kind": "monotonic",
            "path": "投入.预算配置.财政供养人员控制率",
            "input": "实有财政供养人数",
            "direction": "down",
        },
        {"kind": "zero_when", "when": {"存在重大违纪违规问题": True}},  # 一票否决: the total is 0
    ],
    "mof/it-project.rules": [
        {"kind": "monotonic", "path": "预算执行率", "input": "全年执行数", "within": POSITIVE_BUDGET},
        {
            "kind": "monotonic",
            "path": "产出指标.成本指标.运维成本控制",
            "input": "年度运维成本",
            "direction": "down",
            "within": {"年度运维成本": [0, 100000]},
        },
        {"kind": "full_when", "path": "产出指标.质量指标.系统可用性", "when": {"系统可用率": "99.5%"}},
    ],
    "mof/training-project.rules": [
        {"kind": "monotonic", "path": "预算执行率", "input": "全年执行数", "within": POSITIVE_BUDGET},
        {
            "kind": "monotonic",
            "path": "产出指标.成本指标.人均培训成本",
            "input": "实际人均成本",
            "direction": "down",
            "within": {"实际人均成本": [0, 100000]},
        },
        {"kind": "monotonic", "path": "满意度指标.参训学员满意度", "input": "实际满意度"},
    ],
}


def test_there_are_shipped_rulesets_and_cases() -> None:
    assert len(RULE_FILES) >= 3 and len(CASE_FILES) >= 3


def test_every_shipped_rule_file_has_cases() -> None:
    # `perfrules test rulesets` runs cases files, so a rule file that no cases file names would ship unproven
    named = {load_cases(path).rules.resolve() for path in CASE_FILES}
    assert [str(p.relative_to(RULESETS)) for p in RULE_FILES if p.resolve() not in named] == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(RULESETS)))
def test_checks_with_zero_diagnostics(path: Path) -> None:
    perfrules.load(path)  # raises RulesError listing every diagnostic


def test_perfrules_test_rulesets_passes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["test", "rulesets"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert "FAIL" not in out.out


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(RULESETS)))
def test_invariants_hold(path: Path) -> None:
    # shrink=False: a failure still carries a reproducible counterexample, found fast
    check_ruleset(perfrules.load(path), max_examples=EXAMPLES, shrink=False)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(RULESETS)))
def test_intentions_hold(path: Path) -> None:
    ruleset = perfrules.load(path)
    declared: list[object] = list(INTENTIONS.get(str(path.relative_to(RULESETS)), []))
    for cases_path in CASE_FILES:
        cases = load_cases(cases_path)
        if cases.rules.resolve() == path.resolve():
            declared.extend(cases.intentions)
    assert declared, f"declare at least one intention for {path}"
    check_intentions(ruleset, declared, max_examples=EXAMPLES)  # type: ignore[arg-type]
