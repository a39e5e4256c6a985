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

from perfrules.diagnostics import Diagnostic, EvaluationError, FactsError, PerfrulesError, RulesError
from perfrules.engine import Ruleset, load, loads
from perfrules.inputs.facts_file import Facts, load_facts, parse_facts
from perfrules.pickling import register as _register_pickling
from perfrules.results.result import IndicatorRecord, Loss, Result

_register_pickling()

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
