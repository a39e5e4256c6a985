"""The workload scored by hand-written Python with decimal.Decimal: the practical speed
limit for an exact scorer, and the reference every engine is verified against.

It trusts its input (no checks), keeps no audit trail and rounds nothing but the total.
`build(mode)` gives a function from records to [(total, breakdown or None)], the
interface of every engine in bench/peers.py.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import workload

NAME = "hand-decimal"
MODES = ("total", "breakdown")

ZERO, ONE = Decimal(0), Decimal(1)
CENT = Decimal("0.01")
SIXTY = Decimal("0.6")
OUTPUTS = tuple((f"out{k}", f"out{k}_target", f"out{k}_actual", Decimal(w))
                for k, w in enumerate(workload.OUTPUT_WEIGHTS, start=1))
SHARE = {"优": ONE, "良": Decimal("0.8"), "中": SIXTY, "差": ZERO}
EFFECTS = tuple((f"eff{k}", f"eff{k}_grade", {g: Decimal(w) * s for g, s in SHARE.items()})
                for k, w in enumerate(workload.EFFECT_WEIGHTS, start=1))
SATISFACTION = ((Decimal("0.9"), Decimal(10)), (Decimal("0.8"), Decimal(8)), (SIXTY, Decimal(6)))
FLAGS = (("ded_late", "late_report", ONE), ("ded_monitoring", "missing_monitoring", Decimal(2)),
         ("ded_audit", "audit_issue", Decimal("0.5")))
PER_TRAINING, TRAINING_CAP = Decimal("0.2"), Decimal(2)

Run = Callable[[list[dict[str, Any]]], list[tuple[Decimal, dict[str, Decimal] | None]]]


def points(r: dict[str, Any]) -> tuple[Decimal, dict[str, Decimal]]:
    """The total and the 18 items of one record: 14 indicators' points, 4 deductions (as amounts)."""
    out: dict[str, Decimal] = {}
    s = out["exec_rate"] = min(r["spent"] / r["budget"], ONE) * 10
    for key, target, actual, weight in OUTPUTS:
        completion = Decimal(r[actual]) / Decimal(r[target])
        p = out[key] = weight if completion >= ONE else weight * completion if completion >= SIXTY else ZERO
        s += p
    for key, grade, table in EFFECTS:
        p = out[key] = table[r[grade]]
        s += p
    satisfaction = r["satisfaction"]
    p = ZERO
    for low, band in SATISFACTION:
        if satisfaction >= low:
            p = band
            break
    out["satisfaction"] = p
    s += p
    for key, flag, amount in FLAGS:
        d = out[key] = amount if r[flag] else ZERO
        s -= d
    missing = r["trainings_planned"] - r["trainings_held"]
    d = out["ded_training"] = min(missing * PER_TRAINING, TRAINING_CAP) if missing > 0 else ZERO
    s -= d
    return max(s, ZERO).quantize(CENT, ROUND_HALF_UP), out


def total(r: dict[str, Any]) -> Decimal:
    """The total alone, summed as it goes: no dict of items."""
    s: Decimal = min(r["spent"] / r["budget"], ONE) * 10
    for _key, target, actual, weight in OUTPUTS:
        completion = Decimal(r[actual]) / Decimal(r[target])
        s += weight if completion >= ONE else weight * completion if completion >= SIXTY else ZERO
    for _key, grade, table in EFFECTS:
        s += table[r[grade]]
    satisfaction = r["satisfaction"]
    for low, p in SATISFACTION:
        if satisfaction >= low:
            s += p
            break
    for _key, flag, amount in FLAGS:
        if r[flag]:
            s -= amount
    missing = r["trainings_planned"] - r["trainings_held"]
    if missing > 0:
        s -= min(missing * PER_TRAINING, TRAINING_CAP)
    return max(s, ZERO).quantize(CENT, ROUND_HALF_UP)


def build(mode: str) -> Run:
    if mode == "total":
        def run_total(records: list[dict[str, Any]]) -> list[tuple[Decimal, dict[str, Decimal] | None]]:
            return [(total(r), None) for r in records]
        return run_total

    def run_breakdown(records: list[dict[str, Any]]) -> list[tuple[Decimal, dict[str, Decimal] | None]]:
        out: list[tuple[Decimal, dict[str, Decimal] | None]] = []
        for r in records:
            out.append(points(r))
        return out
    return run_breakdown
