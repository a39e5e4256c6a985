"""Golden files and the shipped cases the golden tests share.

A golden file is an expectation someone has read: it is refreshed only with
PERFRULES_UPDATE_GOLDEN=1, and the refresh is reviewed as a diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import perfrules
from perfrules.results.result import Result

ROOT = Path(__file__).resolve().parent.parent
UPDATE = os.environ.get("PERFRULES_UPDATE_GOLDEN") == "1"

# (golden name, rules, facts), paths relative to the repository root so that the
# `FILE:LINE` sources and the 规则文件 header do not depend on the current folder.
CASES = [
    ("guangzhou-xiezuo-2022", "rulesets/guangzhou/xiezuo-2022.rules", "rulesets/guangzhou/xiezuo-2022.facts.toml"),
    ("mof-it-project", "rulesets/mof/it-project.rules", "rulesets/mof/it-project.facts.toml"),
    ("mof-training-project", "rulesets/mof/training-project.rules", "rulesets/mof/training-project.facts.toml"),
    ("hunan-dept-overall", "rulesets/hunan/dept-overall.rules", "rulesets/hunan/dept-overall.facts.toml"),
    ("showcase", "tests/golden/report/showcase.rules", "tests/golden/report/showcase.facts.toml"),
]  # fmt: skip


def evaluate(rules: str, facts: str) -> Result:
    ruleset = perfrules.loads((ROOT / rules).read_bytes(), rules)
    return ruleset.evaluate(perfrules.parse_facts((ROOT / facts).read_bytes(), facts))


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run with PERFRULES_UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs; if intended, refresh with PERFRULES_UPDATE_GOLDEN=1"
