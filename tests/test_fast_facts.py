"""`evaluate(Facts)` from a loaded facts file takes the fast entry (issue 15), and it gives what
the full path (validate, then evaluate_validated) gives: the same result, to the byte of its
JSON, or the same facts errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import EvaluationError, FactsError
from perfrules import engine as engine_module
from perfrules.inputs.facts import validate
from perfrules.testing import facts, to_toml

ROOT = Path(__file__).resolve().parents[1]
RULESETS = [p for p in sorted((ROOT / "rulesets").rglob("*.rules")) if not perfrules.load(p).rows]


def _full_path(ruleset: perfrules.Ruleset, loaded: perfrules.Facts) -> Any:
    try:
        return ruleset.evaluate_validated(validate(ruleset.model, loaded)).to_json()
    except (FactsError, EvaluationError) as exc:
        return [str(d) for d in exc.diagnostics]


def _fast_path(ruleset: perfrules.Ruleset, loaded: perfrules.Facts) -> Any:
    try:
        return ruleset.evaluate(loaded).to_json()
    except (FactsError, EvaluationError) as exc:
        return [str(d) for d in exc.diagnostics]


def test_a_loaded_facts_file_is_scored_without_the_full_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"
    ruleset = perfrules.load(rules)
    loaded = perfrules.load_facts(rules.with_suffix(".facts.toml"))
    expected = _full_path(ruleset, loaded)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the fast entry should have taken these facts")

    monkeypatch.setattr(engine_module, "validate", refuse)
    result = ruleset.evaluate(loaded)
    assert result.to_json() == expected
    # the published total of this ruleset's report, as its cases file states it: 97.21
    assert str(result.total) == "97.21"
    assert loaded.source is not None and result.facts.source_name == loaded.source.name


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_loaded_facts_file_scores_as_the_full_path_does(path: Path, data: st.DataObject) -> None:
    ruleset = perfrules.load(path)
    drawn = data.draw(facts(ruleset))
    # and now and then a value the fast checks cannot vouch for, or one the rules refuse
    if drawn["facts"] and data.draw(st.booleans()):
        name = data.draw(st.sampled_from(sorted(drawn["facts"])))
        drawn["facts"][name] = data.draw(st.sampled_from(["", "12,5", "-1", "1e3", "100%", "是", "0.00000000001"]))
    loaded = perfrules.parse_facts(to_toml(drawn), "drawn.toml")
    assert _fast_path(ruleset, loaded) == _full_path(ruleset, loaded)


def test_the_json_writer_writes_what_the_standard_library_writes() -> None:
    # results.dumps uses orjson when it is installed: the bytes must be json.dumps(indent=2)'s,
    # including escapes of control characters, non-ASCII kept as is, and empty containers
    import json

    from perfrules.results.result import dumps

    data: dict[str, Any] = {"总分": "97.21", "x": "\x01\x1f\u2028\"\\/", "e": [], "o": {}, "n": None, "t": True, "i": 3,
            "nested": [{"a": ["1", {"b": []}]}]}
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)
    assert dumps(data, None) == json.dumps(data, ensure_ascii=False)
    lone = {"bad": "\ud800"}  # orjson refuses a lone surrogate: the standard library writes it
    assert dumps(lone) == json.dumps(lone, ensure_ascii=False, indent=2)
