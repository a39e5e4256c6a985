"""bounds.templates reads the three places a `because` template lives; bounds.all_templates walks
every node of the model. The two find the same templates: on the unexpanded and the expanded
model of every shipped case, on the rows rulesets of test_rows, and on drawn rule files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import perfrules
from perfrules.semantics import bounds, model
from perfrules.tools.cases import load_cases

from .drawn import rule_files

ROOT = Path(__file__).resolve().parents[1]


def _same(checked: model.CheckedRuleset) -> int:
    read = list(bounds.templates(checked))
    walked = list(bounds.all_templates(checked))
    assert sorted(map(id, read)) == sorted(map(id, walked))
    assert len(read) == len({id(t) for t in read})  # each once
    return len(read)


@pytest.mark.parametrize("path", sorted((ROOT / "rulesets").rglob("*.cases.toml")), ids=lambda p: p.name)
def test_every_shipped_case_has_the_same_templates_both_ways(path: Path) -> None:
    cases = load_cases(path)
    ruleset = perfrules.load(cases.rules)
    _same(ruleset.model)
    for case in cases.cases:
        try:
            result = ruleset.evaluate(dict(case.facts))
        except perfrules.PerfrulesError:
            continue
        _same(result.ruleset.model)  # for a rows ruleset: the expansion for the case's rows


_ROWS_WITH_REASONS = """
ruleset "r" { total 20 }
input 表: rows { 名称: text; 类: text; 目标: measure; 实际: measure; 权重: number }
input 违规: bool = false
indicator 产出 {
  each 表 {
    where 类 == "产出"
    key 名称
    weight 权重
    when qualitative(实际) {
      full
    }
    else {
      ratio achievement(实际, 目标)
      deduct 1 when 实际 < 目标 because "{名称}：完成{实际}，目标{目标}"
    }
  }
}
indicator 管理 weight 10 {
  full
  deduct 2 when 违规 because "存在违规"
}
veto when 违规 because "违规一票否决"
"""


def test_a_rows_ruleset_with_reasons_in_its_arms_finds_each_rows_templates() -> None:
    ruleset = perfrules.loads(_ROWS_WITH_REASONS)
    # the arm's deduction and 管理's deduction (the arm is a template, not yet a row's) and the veto
    assert _same(ruleset.model) == 3
    rows = [{"名称": f"r{k}", "类": "产出", "目标": "≥10", "实际": str(k), "权重": 5} for k in (4, 12)]
    result = ruleset.evaluate({"表": rows, "违规": False})
    # expanded: one deduction per row (2), 管理's, the veto; 产出 is a group of rows now, with no `each` left
    assert _same(result.ruleset.model) == 4


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=rule_files())
def test_drawn_rule_files_have_the_same_templates_both_ways(text: str) -> None:
    _same(perfrules.loads(text, "drawn.rules").model)
