"""The Python API gaps of issue 14: pickling, Ruleset.inputs and .judged, short names, JSON-ready inputs."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest

import perfrules
from perfrules.semantics.declared import BandSpec, InputSpec, JudgedSpec

from .conftest import ROOT

SPEC = ROOT / "tests" / "fixtures" / "spec-example.rules"
FACTS = ROOT / "tests" / "fixtures" / "spec-example.toml"
GUANGZHOU = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"


def _total(result: perfrules.Result) -> str:
    return str(result.total)


def test_result_and_ruleset_pickle_by_text_and_facts() -> None:
    rs = perfrules.load(SPEC)
    result = rs.evaluate(FACTS)
    data = pickle.dumps(result)
    assert b"def " not in data and rs.code.encode()[:40] not in data  # no generated code in the pickle
    again = pickle.loads(data)
    assert again.to_dict() == result.to_dict()
    assert again.ruleset.sha256 == rs.sha256 and again.ruleset.display_name == rs.display_name
    assert pickle.loads(pickle.dumps(rs)).evaluate(FACTS).to_dict() == result.to_dict()
    # a result from the fast entry (a plain dict of inputs) pickles too
    fast = rs.evaluate({"budget": Decimal("100"), "spent": Decimal("90"), "trainings_planned": 4,
                        "trainings_held": 4, "satisfaction": "95%", "report_on_time": False, "results_used": "优"})
    assert pickle.loads(pickle.dumps(fast)).to_dict() == fast.to_dict()


def test_results_cross_a_process_pool() -> None:
    rs = perfrules.load(SPEC)
    result = rs.evaluate(FACTS)
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_total, result).result() == str(result.total)
        back = pool.submit(pickle.loads, pickle.dumps(result)).result()
    assert back.to_dict() == result.to_dict()


def test_ruleset_inputs_and_judged_are_public_data() -> None:
    rs = perfrules.load(SPEC)
    assert [i.name for i in rs.inputs] == ["budget", "spent", "trainings_planned", "trainings_held",
                                          "satisfaction", "report_on_time", "results_used"]
    assert rs.inputs[4] == InputSpec("satisfaction", "percent", (), "服务对象满意度", Decimal("0"), Decimal("1"),
                                     False, None)
    assert rs.inputs[6].type == "grade(优, 良, 中, 差)"
    judged = perfrules.loads('ruleset "t" { total 10 }\n'
                             'indicator 效益 weight 10 { judged bands { "好": [80%, 100%]; "差": [0, 80%) } }').judged
    # bands in points: 80% of 10 is 8
    assert judged == (JudgedSpec("效益", None, Decimal("10"), (BandSpec("好", Decimal("8"), True, Decimal("10"), True),
                                                             BandSpec("差", Decimal("0"), True, Decimal("8"), False))),)
    assert str(judged[0].bands[1]) == "差 [0, 8)"


def test_points_accepts_the_short_names_explain_accepts() -> None:
    result = perfrules.load(SPEC).evaluate(FACTS)
    # 培训: 20 − 0.5 × (12 − 9) = 18.5
    assert result.points("培训") == result.points("产出指标.培训") == Decimal("18.50")
    assert result.indicator("报送").path == "产出指标.报送"
    with pytest.raises(KeyError, match=r"did you mean `产出指标\.培训`"):
        result.points("培")


def test_indicator_inputs_are_json_ready_strings() -> None:
    result = perfrules.load(SPEC).evaluate(FACTS)
    assert result.indicator("报送").inputs == {"report_on_time": "true"}
    assert all(isinstance(v, str) for r in result.indicators for v in r.inputs.values())


def test_a_rows_result_pickles_with_its_rows_and_overrides() -> None:
    import tomllib

    rules = ROOT / "rulesets" / "county" / "tangxi-weituo-2022.rules"
    facts = tomllib.loads((rules.with_suffix(".facts.toml")).read_text(encoding="utf-8"), parse_float=Decimal)
    # the published 0 for 预算执行率 as an override (the cases file's second case): 0 + 50 + 30 + 10 = 90.00
    facts["override"] = {"预算执行率": {"points": 0, "because": "年度资金总额未填"}}
    rs = perfrules.load(rules)
    result = rs.evaluate(facts)
    assert result.total == Decimal("90.00")
    again = pickle.loads(pickle.dumps(result))
    assert again.to_dict() == result.to_dict() and again.total == Decimal("90.00")
    with pytest.raises(TypeError, match="expanded from rows"):
        pickle.dumps(result.ruleset)
