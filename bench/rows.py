"""Rows (language version 2): a 30-row project, perfrules against a hand-written Decimal scorer.

    python bench/rows.py [--records 200]

Each record is a different project (its own actuals). `Ruleset.evaluate` scores a plain dict
with the row loop (backend/rowloop.py), and writes its audit (`lost`, `to_dict()`, `to_json()`) from
the loop's values (results/loopwriter.py; "expanding": the same Result made to read its audit from the
expansion path, as before the loop writer); the expansion path (rows.py, then compile.py: what
evaluate did before, and still does for what the loop does not vouch for) is timed beside it,
a new project expanding and compiling its rows, a project seen again coming from the
expansion cache. Every record is verified on both paths against the hand scorer (total and
every row's points) and against each other (to_json); the ratios are read in one process.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import perfrules
from perfrules.engine import LoopResult
from perfrules.inputs.facts_file import coerce

HERE = Path(__file__).resolve().parent
CENT = Decimal("0.01")
LEVELS = [("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"], 16, Decimal("3.125")),
          ("效益指标", ["社会效益指标", "可持续影响指标"], 10, Decimal(3)),
          ("满意度指标", ["服务对象满意度指标"], 4, Decimal("2.5"))]  # fmt: skip


def records(count: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        rows = []
        for level1, level2s, n, weight in LEVELS:
            for k in range(n):
                if level1 == "效益指标" and k == 0:
                    rows.append({"一级指标": level1, "二级指标": level2s[0], "三级指标": f"{level1}{k}",
                                 "指标值": "效果明显", "完成值": "较明显", "权重": weight,
                                 "自评分": Decimal(rng.randint(0, 30)) / 10})
                    continue
                sign = rng.choice(["≥", "≤"])
                target = rng.choice([Decimal(95), Decimal(100), Decimal(6), Decimal(10)])
                actual = Decimal(rng.randint(0, 130))
                unit = "%" if level1 == "满意度指标" else rng.choice(["", "次"])
                rows.append({"一级指标": level1, "二级指标": level2s[k % len(level2s)], "三级指标": f"{level1}{k}",
                             "指标值": f"{sign}{target}{unit}", "完成值": f"{actual}{unit}", "权重": weight})
        out.append({"全年预算数": Decimal(1000), "全年执行数": Decimal(rng.randint(700, 1000)), "绩效指标": rows})
    return out


def hand(record: dict[str, Any]) -> tuple[Decimal, dict[str, Decimal]]:
    """The same standard written out by hand: 执行率×10; each row 分值×达成度 (满分为止) or its judged points."""
    points: dict[str, Decimal] = {}
    total = min(record["全年执行数"] / record["全年预算数"] * 10, Decimal(10)).quantize(CENT, ROUND_HALF_UP)
    for row in record["绩效指标"]:
        weight = row["权重"]
        if "自评分" in row:
            got = row["自评分"]
        else:
            text, actual_text = row["指标值"], row["完成值"]
            percent = text.endswith("%")
            target = Decimal(text[1:].rstrip("%次"))
            actual = Decimal(actual_text.rstrip("%次"))
            if percent:
                target, actual = target / 100, actual / 100
            if text[0] == "≥":
                share = Decimal(1) if target == 0 and actual >= 0 else actual / target
            else:
                share = Decimal(1) if actual <= target else target / actual
            got = max(min(weight * share, weight), Decimal(0))
        got = got.quantize(CENT, ROUND_HALF_UP)
        points[row["三级指标"]] = got
        total += got
    return total, points


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ruleset = perfrules.load(HERE / "project30.rules")
    data = records(args.records)
    for record in data:  # verify every record, row by row, on both paths
        total, points = hand(record)
        result = ruleset.evaluate(record)
        assert type(result) is LoopResult, "the row loop did not score a record"
        expanded = ruleset._evaluate_rows(coerce(record))
        assert result.total == total == expanded.total, (result.total, total, expanded.total)
        assert result.breakdown == expanded.breakdown
        for path, got in result.breakdown.items():
            name = path.rsplit(".", 1)[-1]
            if name in points:
                assert got == points[name], (path, got, points[name])
        assert result.to_json() == expanded.to_json()
        assert result.to_dict() == expanded.to_dict() and result.lost == expanded.lost
    seen = data[:16] * max(1, len(data) // 16)  # 16 projects seen before: within the expansion cache (32 entries)

    def expansion_new(fresh: perfrules.Ruleset) -> None:
        for record in data:
            fresh._evaluate_rows(coerce(record))

    def expansion_seen(fresh: perfrules.Ruleset) -> None:
        for record in seen:
            fresh._evaluate_rows(coerce(record))

    def warm(fresh: perfrules.Ruleset) -> None:
        for record in data[:16]:
            fresh._evaluate_rows(coerce(record))

    def loop_new(fresh: perfrules.Ruleset) -> None:
        for record in data:
            fresh.evaluate(record)

    def loop_seen(fresh: perfrules.Ruleset) -> None:
        for record in seen:
            fresh.evaluate(record)

    def expansion_dict(fresh: perfrules.Ruleset) -> None:
        for record in data:
            fresh._evaluate_rows(coerce(record)).to_dict()

    def loop_dict(fresh: perfrules.Ruleset) -> None:
        assert fresh.loop_writer is not None  # the audit written from the loop's values (results/loopwriter.py)
        for record in data:
            fresh.evaluate(record).to_dict()

    def loop_json(fresh: perfrules.Ruleset) -> None:
        assert fresh.loop_writer is not None
        for record in data:
            fresh.evaluate(record).to_json()

    def loop_dict_expanding(fresh: perfrules.Ruleset) -> None:
        fresh.loop_writer = None  # as before the loop writer: the audit from the expansion for the same facts
        for record in data:
            fresh.evaluate(record).to_dict()

    def loop_json_expanding(fresh: perfrules.Ruleset) -> None:
        fresh.loop_writer = None
        for record in data:
            fresh.evaluate(record).to_json()

    def hand_all(fresh: perfrules.Ruleset) -> None:
        for record in data:
            hand(record)

    scorers: dict[str, tuple[Any, int, bool]] = {  # name -> (run, records, warm the expansion cache first)
        # the row loop right after the hand scorer: timed moments apart, under the same load
        "hand": (hand_all, len(data), False),
        "row loop, new projects": (loop_new, len(data), False),
        "row loop, seen before": (loop_seen, len(seen), True),
        "row loop + to_dict(), new": (loop_dict, len(data), False),
        "row loop + to_json(), new": (loop_json, len(data), False),
        "row loop + to_dict(), expanding": (loop_dict_expanding, len(data), False),
        "row loop + to_json(), expanding": (loop_json_expanding, len(data), False),
        "expansion, new projects": (expansion_new, len(data), False),
        "expansion, seen before": (expansion_seen, len(seen), True),
        "expansion + to_dict(), new": (expansion_dict, len(data), False),
    }
    timings: dict[str, list[float]] = {name: [] for name in scorers}
    for _ in range(args.runs):  # interleaved: each run times every scorer once, in one process
        for name, (run, count, warm_first) in scorers.items():
            fresh = perfrules.load(HERE / "project30.rules")  # an empty expansion cache
            if warm_first:
                warm(fresh)
            start = time.perf_counter()
            run(fresh)
            timings[name].append((time.perf_counter() - start) / count)
    # The ratio of each run (to the hand scorer timed in the same run, moments before: on a shared
    # machine the load changes between runs more than within one), then the median of those.
    print(f"{len(data)} records of 30 rows, verified; median of {args.runs} runs, µs per record "
          f"and the median of each run's ratio to the hand scorer (with the least and most):")
    # Also the ratio of the fastest runs: the least disturbed by other processes.
    best = min(timings["hand"])
    for name, runs in timings.items():
        ratios = sorted(t / h for t, h in zip(runs, timings["hand"], strict=True))
        print(f"  {name:32} {statistics.median(runs) * 1e6:10.1f}   {statistics.median(ratios):6.2f}× hand"
              f"   ({ratios[0]:.2f}–{ratios[-1]:.2f}; fastest runs {min(runs) / best:.2f}×)")


if __name__ == "__main__":
    main()
