"""The README's example rule file and Quick start stay true."""

from __future__ import annotations

from decimal import Decimal

import perfrules

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def test_readme_rule_file_checks_and_scores() -> None:
    block = README.split("## A rule file", 1)[1].split("```", 2)[1].lstrip("\n")
    result = perfrules.loads(block, "readme.rules").evaluate({"budget": 100, "spent": 95, "satisfaction": "82%"})
    # 95 / 100 × 10 = 9.50; shortfall(82%, 90%) = 8% = 1.6 steps of 5%, started → 2 → 90 − 2 = 88
    assert result.total == Decimal("97.50")
    assert result.lost[0].reasons == ("满意度82%，低于90%",)


def test_quick_start_has_exactly_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in quick.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "rulesets/guangzhou/xiezuo-2022.facts.toml" in commands[0]
    # CI runs the README's test command as it stands, as one line of .ci/run
    assert commands[1].strip() in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
