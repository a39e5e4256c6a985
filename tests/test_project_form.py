"""rulesets/mof/project-form.rules and its English-keyword twin score every facts file alike."""

from __future__ import annotations

from pathlib import Path

import pytest

import perfrules

MOF = Path(__file__).resolve().parents[1] / "rulesets" / "mof"
FACTS = sorted(p for p in MOF.glob("project-form.*.facts.toml") if "zhongjiang" not in p.name)


@pytest.mark.parametrize("facts", FACTS, ids=lambda p: p.name)
def test_the_english_twin_scores_alike(facts: Path) -> None:
    zh = perfrules.load(MOF / "project-form.rules").evaluate(facts)
    en = perfrules.load(MOF / "project-form-en.rules").evaluate(facts)
    assert (zh.total, zh.rating) == (en.total, en.rating)
    def table(result: perfrules.Result) -> list[tuple[str, object, object]]:
        return [(r.path, r.weight, r.points) for r in result.indicators]

    assert table(zh) == table(en)
    assert len(zh.indicators) > 10  # the rows really became leaves
