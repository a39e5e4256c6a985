"""perfrules: scoring rules for budget performance self-evaluation (绩效自评), evaluated
exactly and explained.

    import perfrules
    ruleset = perfrules.load("rulesets/guangzhou/xiezuo-2022.rules")
    result = ruleset.evaluate("rulesets/guangzhou/xiezuo-2022.facts.toml")
    result.total, result.rating, result.lost

The pipeline: source -> parse (Lark LALR) -> ast -> check -> model -> compile ->
Ruleset.evaluate -> Result -> render.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from perfrules.diagnostics import Diagnostic, EvaluationError, FactsError, PerfrulesError, RulesError
    from perfrules.engine import Ruleset, load, loads
    from perfrules.inputs.facts_file import Facts, load_facts, parse_facts
    from perfrules.results.result import IndicatorRecord, Loss, Result

# Each public name is imported on first use (PEP 562): `perfrules eval` imports only what its
# command needs, and the package itself costs nothing to import (issue 15, start-up).
_HOMES = {
    "Diagnostic": "perfrules.diagnostics",
    "EvaluationError": "perfrules.diagnostics",
    "FactsError": "perfrules.diagnostics",
    "PerfrulesError": "perfrules.diagnostics",
    "RulesError": "perfrules.diagnostics",
    "Ruleset": "perfrules.engine",
    "load": "perfrules.engine",
    "loads": "perfrules.engine",
    "Facts": "perfrules.inputs.facts_file",
    "load_facts": "perfrules.inputs.facts_file",
    "parse_facts": "perfrules.inputs.facts_file",
    "IndicatorRecord": "perfrules.results.result",
    "Loss": "perfrules.results.result",
    "Result": "perfrules.results.result",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'perfrules' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


__all__ = [
    "Diagnostic",
    "EvaluationError",
    "Facts",
    "FactsError",
    "IndicatorRecord",
    "Loss",
    "PerfrulesError",
    "Result",
    "RulesError",
    "Ruleset",
    "__version__",
    "load",
    "load_facts",
    "loads",
    "parse_facts",
]
