"""The workload on perfrules: bench/workload.rules, the workload written in the rule language.

Records are scored as they come (dicts of Decimal, int, str and bool, their `id`
included: the ruleset declares it as an input).

* total:     `ruleset.evaluate(record).total`
* breakdown: the same Result's points of the 14 indicators (`Result.breakdown`; the
             indicators are named after the workload's keys) and the amounts of the 4
             top-level deductions (`Result.adjustment_amounts`, in file order)
* trace:     breakdown + the full audit trail, `Result.to_dict()` (every indicator's
             points, exact value, inputs, adjustments, clamp and reasons) under "_trace"
* trace-records: the same, written from the audit records (`dict_from_records`: how
             `to_dict()` was written before the generated writer, and still is for a
             ruleset's first result), for before/after in one run
* trace-shape: NOT an audit, a floor: the score as in breakdown, and under "_trace" a new
             dict of exactly the shape of `to_dict()` (the same dicts and lists, as many
             of each) built by one display from the first record's texts, shared and
             computed once. It is what the documented shape costs to make and to keep
             when nothing in it is worked out: no audit written in that shape, by any
             code, costs less (bench/README.md, "The floor of the documented shape")

`build(mode)` gives a function from records to [(total, breakdown or None)], the
interface of every engine in bench/peers.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NAME = "perfrules"
MODES = ("total", "breakdown", "trace", "trace-records", "trace-shape")
RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workload.rules")
Q2 = Decimal("0.01")

Run = Callable[[list[dict[str, Any]]], list[tuple[Decimal, dict[str, Any] | None]]]


def version() -> str:
    from importlib.metadata import version as installed

    return installed("perfrules")


def build(mode: str) -> Run:
    import perfrules

    evaluate = perfrules.load(RULES).evaluate

    if mode == "total":
        def run_total(records: list[dict[str, Any]]) -> list[tuple[Decimal, dict[str, Any] | None]]:
            return [(evaluate(r).total.quantize(Q2, ROUND_HALF_UP), None) for r in records]
        return run_total

    trace = mode.startswith("trace")
    to_dict: Callable[[perfrules.Result], dict[str, Any]] = perfrules.Result.to_dict
    if mode == "trace-records":
        from perfrules.results.result import dict_from_records

        to_dict = dict_from_records
    elif mode == "trace-shape":
        to_dict = shape_of(evaluate)

    def run(records: list[dict[str, Any]]) -> list[tuple[Decimal, dict[str, Any] | None]]:
        out: list[tuple[Decimal, dict[str, Any] | None]] = []
        for r in records:
            res = evaluate(r)
            bd: dict[str, Any] = res.breakdown  # indicator names are the workload's keys
            # the four deductions, in file order; unpacked: half the cost of update(zip())
            bd["ded_late"], bd["ded_monitoring"], bd["ded_audit"], bd["ded_training"] = res.adjustment_amounts
            if trace:
                bd["_trace"] = to_dict(res)
            out.append((res.total.quantize(Q2, ROUND_HALF_UP), bd))
        return out
    return run


def shape_of(evaluate: Callable[[dict[str, Any]], Any]) -> Callable[[Any], dict[str, Any]]:
    """A function that ignores its result and returns a new dict of the shape of `to_dict()`: one display
    (`{...}`, `[...]`) per container of a sample result's `to_dict()`, and its texts, flags and nulls as
    constants of the code (shared, made once). No Python makes those containers faster: no copy, no call,
    no name looked up."""
    import workload

    sample = evaluate(workload.records(1, workload.SEED)[0]).to_dict()

    def display(value: Any) -> str:
        if type(value) is dict:
            return "{" + ", ".join(f"{display(k)}: {display(v)}" for k, v in value.items()) + "}"
        if type(value) is list:
            return "[" + ", ".join(display(v) for v in value) + "]"
        assert value is None or type(value) in (str, bool), value  # the JSON result's numbers are texts
        return repr(value)

    made: Callable[[Any], dict[str, Any]] = eval(f"lambda result: {display(sample)}", {"__builtins__": {}})
    assert made(None) == sample and made(None) is not made(None)
    return made
