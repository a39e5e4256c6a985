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

`build(mode)` gives a function from records to [(total, breakdown or None)], the
interface of every engine in bench/peers.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

NAME = "perfrules"
MODES = ("total", "breakdown", "trace", "trace-records")
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
