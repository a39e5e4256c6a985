"""The benchmark workload: a project self-evaluation (项目支出绩效自评) scored from 29 inputs.

The scoring, which every engine in bench/ reproduces (bench/workload.rules says the same
in the rule language):

* exec_rate (预算执行率), weight 10: min(spent / budget, 1) x 10.
* out1 … out8 (产出指标), weights 10, 5, 5, 5, 5, 10, 5, 5: with c = actual / target,
  c >= 1 gives the weight, c >= 0.6 gives weight x c, else 0.
* eff1 … eff4 (效益指标), weights 10, 10, 5, 5: grade 优 / 良 / 中 / 差 gives
  100 / 80 / 60 / 0 % of the weight.
* satisfaction (满意度, a share 0..1), weight 10: >= 0.9 gives 10, >= 0.8 gives 8,
  >= 0.6 gives 6, else 0.
* Deductions: ded_late 1 (late_report), ded_monitoring 2 (missing_monitoring),
  ded_audit 0.5 (audit_issue); ded_training 0.2 per training short of the plan
  (trainings_planned - trainings_held, when positive), at most 2.
* total = max(sum of points - sum of deductions, 0), rounded half-up to 0.01.

`records(n, seed)` makes n deterministic records: Decimal money and shares, int counts,
str grades, bool flags, and an int `id`. Outputs 6 and 7 are rates with one decimal
(Decimal); the other outputs are counts. Every target and budget is positive.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

SEED = 20261128
COUNT = 20_000

OUTPUT_WEIGHTS = (10, 5, 5, 5, 5, 10, 5, 5)
EFFECT_WEIGHTS = (10, 10, 5, 5)
RATE_OUTPUTS = frozenset({6, 7})  # outputs whose target and actual are one-decimal rates
GRADES = ("优", "良", "中", "差")

POINT_KEYS = ("exec_rate", *(f"out{k}" for k in range(1, 9)), *(f"eff{k}" for k in range(1, 5)), "satisfaction")
DEDUCTION_KEYS = ("ded_late", "ded_monitoring", "ded_audit", "ded_training")
BREAKDOWN_KEYS = POINT_KEYS + DEDUCTION_KEYS  # 14 indicators and 4 deductions

Record = dict[str, Any]


def _cents(n: int) -> Decimal:
    return Decimal(n).scaleb(-2)


def _tenths(n: int) -> Decimal:
    return Decimal(n).scaleb(-1)


def record(rng: random.Random, number: int) -> Record:
    """One project. Completion is drawn around 100% so that every branch of every rule is taken."""
    budget = rng.randrange(10_000, 800_000)  # 100.00 .. 8000.00 万元, in cents
    share = rng.choice((100, 100, rng.randrange(40, 100), rng.randrange(100, 125)))  # % of the budget spent
    r: Record = {"id": number, "budget": _cents(budget), "spent": _cents(budget * share // 100)}
    for k in range(1, 9):
        completion = rng.choice((100, rng.randrange(20, 140), rng.randrange(55, 105)))
        if k in RATE_OUTPUTS:
            target = rng.randrange(500, 1001)  # 50.0 .. 100.0, in tenths
            r[f"out{k}_target"] = _tenths(target)
            r[f"out{k}_actual"] = _tenths(target * completion // 100)
        else:
            target = rng.randrange(1, 80)
            r[f"out{k}_target"] = target
            r[f"out{k}_actual"] = target * completion // 100
    for k in range(1, 5):
        r[f"eff{k}_grade"] = GRADES[min(int(rng.expovariate(1.1)), 3)]
    r["satisfaction"] = _cents(rng.choice((rng.randrange(30, 101), 60, 80, 90, 59, 79, 89)))
    r["late_report"] = rng.random() < 0.2
    r["missing_monitoring"] = rng.random() < 0.1
    r["audit_issue"] = rng.random() < 0.25
    planned = rng.randrange(0, 20)
    r["trainings_planned"] = planned
    r["trainings_held"] = max(0, planned - rng.choice((0, 0, 0, 1, 3, 6, 11, 15)) + rng.choice((0, 0, 2)))
    return r


def records(n: int = COUNT, seed: int = SEED) -> list[Record]:
    rng = random.Random(seed)
    return [record(rng, number) for number in range(n)]
