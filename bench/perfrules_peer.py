"""perfrules as an engine of the shared peer benchmark (../shared/bench/peers/).

    python ../shared/bench/peers/run.py --engines py-decimal,zen --adapter bench/perfrules_peer.py

Loads bench/workload.rules (the workload written in the rule language) and scores
the harness's canonical records as they come (dicts of Decimal, int, str, bool,
including their `id`, which the ruleset declares as an input).

* total:     `ruleset.evaluate(record)` -> total, half-up to 0.01
* breakdown: the same Result's points of the 14 indicators (`Result.breakdown`)
             and the amounts of the 4 top-level deductions (`Result.adjustment_amounts`)
* trace:     breakdown + the full audit trail: `Result.to_dict()` (the JSON of
             spec section 8: every indicator's points, exact value, inputs,
             adjustments, clamp, reasons, and the 扣分原因 list) under "_trace"
"""
from __future__ import annotations

import os
from decimal import ROUND_HALF_UP, Decimal

NAME = "perfrules"
MODES = ("total", "breakdown", "trace")
NOTES = "perfrules: bench/workload.rules, compiled evaluator, full Result per record (audit trail lazy)"

RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workload.rules")
DEDUCTION_KEYS = ("ded_late", "ded_monitoring", "ded_audit", "ded_training")  # file order in workload.rules
Q2 = Decimal("0.01")


def versions():
    from importlib.metadata import version
    return {"perfrules": version("perfrules")}


def rule_text(mode):
    with open(RULES, encoding="utf-8") as f:
        return f.read()


def build(mode):
    import perfrules

    ruleset = perfrules.loads(rule_text(mode), "bench/workload.rules")
    evaluate = ruleset.evaluate

    if mode == "total":
        def run_total(records):
            return [(evaluate(r).total.quantize(Q2, ROUND_HALF_UP), None) for r in records]
        return run_total

    trace = mode == "trace"

    def run(records):
        out = []
        for r in records:
            res = evaluate(r)
            bd = res.breakdown                      # indicator names are the workload's keys
            # the four deductions, in file order (DEDUCTION_KEYS); unpacked: half the cost of update(zip())
            bd["ded_late"], bd["ded_monitoring"], bd["ded_audit"], bd["ded_training"] = res.adjustment_amounts
            if trace:
                bd["_trace"] = res.to_dict()
            out.append((res.total.quantize(Q2, ROUND_HALF_UP), bd))
        return out
    return run
