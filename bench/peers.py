#!/usr/bin/env python3
"""perfrules against its peers on one workload, in one process: every record verified,
ratios from one run.

    pip install ".[bench]"          # perfrules and zen-engine
    python bench/peers.py           # 20,000 records, 5 repeats (~2 min)
    python bench/peers.py --records 2000 --repeats 1     # a quick check

Engines (each `build(mode)` -> records -> [(total, breakdown or None)]):

* hand-decimal (bench/hand_decimal.py): hand-written Decimal code, the reference;
* perfrules (bench/perfrules_adapter.py): bench/workload.rules;
* zen-engine (bench/zen_adapter.py): a JDM graph on GoRules' Rust engine; skipped, and
  said so, when the package is not installed.

Every engine's output for every record is checked against the reference before any
timing: the total to the cent, each of the 18 items within 1e-6. Timing: round-robin
passes over all records, the GC collected before each pass and left on (`--gc off`: paused
while timing); medians.
Ratios are to hand-decimal in the same mode (trace: to hand-decimal breakdown).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from types import ModuleType
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hand_decimal
import perfrules_adapter
import workload
import zen_adapter

TOLERANCE = Decimal("1e-6")
Outputs = list[tuple[Decimal, dict[str, Any] | None]]


def machine() -> str:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return f"nproc={os.cpu_count()}, {cpu}, {platform.python_implementation()} {platform.python_version()}"


def disagreements(got: Outputs, reference: Outputs, breakdown: bool) -> list[str]:
    """Every record on which `got` differs from the reference (the first few, and a count)."""
    problems: list[str] = []
    if len(got) != len(reference):
        return [f"{len(got)} results for {len(reference)} records"]
    for number, ((total, items), (ref_total, ref_items)) in enumerate(zip(got, reference, strict=True)):
        if total != ref_total:
            problems.append(f"record {number}: total {total}, reference {ref_total}")
        if breakdown:
            assert ref_items is not None
            if items is None:
                problems.append(f"record {number}: no breakdown")
                continue
            for key in workload.BREAKDOWN_KEYS:
                if key not in items or abs(Decimal(items[key]) - ref_items[key]) > TOLERANCE:
                    problems.append(f"record {number}: {key} = {items.get(key)}, reference {ref_items[key]}")
    return problems


def engines(names: list[str]) -> list[ModuleType]:
    available: list[ModuleType] = []
    for module in (hand_decimal, perfrules_adapter, zen_adapter):
        if module.NAME not in names:
            continue
        try:
            module.build(module.MODES[0])
        except ImportError as exc:
            print(f"# {module.NAME}: skipped, not installed ({exc}); pip install '.[bench]'")
            continue
        available.append(module)
    return available


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=workload.COUNT)
    ap.add_argument("--seed", type=int, default=workload.SEED)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--trace-records", type=int, default=2_000, help="records timed in trace mode")
    ap.add_argument("--engines", default="hand-decimal,perfrules,zen-engine")
    ap.add_argument("--gc", choices=("on", "off"), default="on",
                    help="off: time with Python's cyclic GC paused (what the kept outputs cost it, by difference)")
    args = ap.parse_args()

    print(f"# machine: {machine()}")
    records = workload.records(args.records, args.seed)
    print(f"# workload: {len(records):,} records, seed {args.seed}")
    reference = hand_decimal.build("breakdown")(records)

    runs: list[tuple[str, str, Any]] = []
    failed = False
    for module in engines(args.engines.split(",")):
        versions = "" if module is hand_decimal else f" {module.version()}"
        for mode in module.MODES:
            run = module.build(mode)
            checked = records if not mode.startswith("trace") else records[:args.trace_records]
            problems = disagreements(run(checked), reference[:len(checked)], mode != "total")
            status = "all agree" if not problems else f"{len(problems)} DISAGREE: " + "; ".join(problems[:3])
            print(f"# verified {module.NAME}{versions} {mode} on {len(checked):,} records: {status}")
            failed = failed or bool(problems)
            runs.append((module.NAME, mode, run))
    if failed:
        return 1

    times: dict[tuple[str, str], list[float]] = {(name, mode): [] for name, mode, _ in runs}
    for _name, _mode, run in runs:  # warm-up
        run(records[:1000])
    for _ in range(args.repeats):
        for name, mode, run in runs:
            batch = records if not mode.startswith("trace") else records[:args.trace_records]
            gc.collect()
            if args.gc == "off":
                gc.disable()
            start = time.perf_counter()
            run(batch)
            times[(name, mode)].append((time.perf_counter() - start) / len(batch) * 1e6)
            gc.enable()

    def median(name: str, mode: str) -> float:
        return statistics.median(times[(name, mode)])

    print()
    print("| engine | mode | µs/record (median) | best | × hand-decimal (same mode; trace ÷ breakdown) |")
    print("|---|---|---:|---:|---:|")
    for (name, mode), ts in times.items():
        base = median("hand-decimal", "breakdown" if mode.startswith("trace") else mode)
        print(f"| {name} | {mode} | {median(name, mode):.1f} | {min(ts):.1f} | {median(name, mode) / base:.2f} |")
    zen = ("zen-engine", "trace")
    if zen in times:
        # issue 15's trace target: perfrules' full audit as data at most 0.5× zen's trace, in one run
        print()
        for mode in ("trace", "trace-records", "trace-shape"):
            if ("perfrules", mode) in times:
                ours = times[("perfrules", mode)]
                print(f"# perfrules {mode} ÷ zen-engine trace: {median('perfrules', mode) / median(*zen):.2f} "
                      f"(medians), {min(ours) / min(times[zen]):.2f} (bests)")
        if ("perfrules", "trace-shape") in times:
            print("# (trace-shape is no audit: the score, and to_dict()'s dicts and lists made from constants;"
                  " the floor of any audit in that shape)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
