"""Property-based testing for ruleset authors: Hypothesis strategies, invariants, intentions.

    from perfrules import load
    from perfrules.testing import check_ruleset, check_intentions, facts

    ruleset = load("rulesets/mof/it-project.rules")
    check_ruleset(ruleset, max_examples=200)            # built-in invariants
    check_intentions(ruleset, [{"kind": "monotonic", "path": "预算执行率",
                                "input": "全年执行数", "direction": "up"}])

`facts(ruleset)` draws valid facts (a mapping shaped like a facts file) from the
declared inputs. Values reach the boundaries that matter: every numeric constant
of the rules is drawn, and for every comparison, tier threshold, `shortfall` /
`excess` target, ratio and score edge the strategy solves for an input that puts
the expression exactly on the edge, or one step either side of it.

A failure raises AssertionError whose message holds the shrunk counterexample as
a facts TOML file that `perfrules eval` reproduces. Requires `hypothesis`
(`pip install 'perfrules[testing]'`: quoted, as zsh needs).
"""

from __future__ import annotations

from perfrules.tools.intentions import IntentionError
from perfrules.tools.properties import (
    Counterexample,
    PropertyReport,
    check_intentions,
    check_ruleset,
    invariant_problems,
    seeded,
)
from perfrules.tools.strategies import facts, input_values, narrowed, to_toml

__all__ = [
    "Counterexample",
    "IntentionError",
    "PropertyReport",
    "check_intentions",
    "check_ruleset",
    "facts",
    "input_values",
    "invariant_problems",
    "narrowed",
    "seeded",
    "to_toml",
]
