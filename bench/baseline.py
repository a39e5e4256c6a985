"""The hand-written Decimal baseline: the workload scored by plain Python code.

The same arithmetic as ../shared/bench/peers/adapters/hand_decimal.py (the peer
harness's reference), kept here so that bench/run.py compares perfrules with a
baseline of the project's own in one process. `score(record, bd)` returns the
total half-up to 0.01 and fills `bd` (a dict) with the 18 items when given.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

D0, D1 = Decimal(0), Decimal(1)
Q2 = Decimal("0.01")
EXEC_W = Decimal(10)
OUT = [(f"out{k}", f"out{k}_target", f"out{k}_actual", Decimal(w))
       for k, w in enumerate((10, 5, 5, 5, 5, 10, 5, 5), start=1)]
OUT_MIN = Decimal("0.6")
FACTOR = {"优": Decimal(1), "良": Decimal("0.8"), "中": Decimal("0.6"), "差": D0}
EFF = [(f"eff{k}", f"eff{k}_grade", {g: Decimal(w) * f for g, f in FACTOR.items()})
       for k, w in enumerate((10, 10, 5, 5), start=1)]
SAT = [(Decimal("0.9"), Decimal(10)), (Decimal("0.8"), Decimal(8)), (Decimal("0.6"), Decimal(6))]
FLAGS = [("ded_late", "late_report", Decimal(1)), ("ded_monitoring", "missing_monitoring", Decimal(2)),
         ("ded_audit", "audit_issue", Decimal("0.5"))]
T_PER, T_CAP = Decimal("0.2"), Decimal(2)


def score(r, bd=None):
    rate = r["spent"] / r["budget"]
    p = (rate if rate < D1 else D1) * EXEC_W
    total = p
    if bd is not None:
        bd["exec_rate"] = p
    for key, tf, af, w in OUT:
        c = Decimal(r[af]) / Decimal(r[tf])
        if c >= D1:
            p = w
        elif c >= OUT_MIN:
            p = w * c
        else:
            p = D0
        total += p
        if bd is not None:
            bd[key] = p
    for key, gf, table in EFF:
        p = table[r[gf]]
        total += p
        if bd is not None:
            bd[key] = p
    s = r["satisfaction"]
    p = D0
    for lo, pts in SAT:
        if s >= lo:
            p = pts
            break
    total += p
    if bd is not None:
        bd["satisfaction"] = p
    for key, f, pts in FLAGS:
        d = pts if r[f] else D0
        total -= d
        if bd is not None:
            bd[key] = d
    miss = r["trainings_planned"] - r["trainings_held"]
    d = min(miss * T_PER, T_CAP) if miss > 0 else D0
    total -= d
    if bd is not None:
        bd["ded_training"] = d
    if total < D0:
        total = D0
    return total.quantize(Q2, rounding=ROUND_HALF_UP)


def run_total(records):
    return [(score(r), None) for r in records]


def run_breakdown(records):
    out = []
    for r in records:
        bd = {}
        out.append((score(r, bd), bd))
    return out
