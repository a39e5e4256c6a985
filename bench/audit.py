"""The audit trail against the score, in one process (issue 15): what reading a result costs.

    python bench/audit.py [--number 2000] [--repeats 7]

On the Guangzhou ruleset (rulesets/guangzhou/xiezuo-2022.rules) and its facts file, the
median µs of:
- `evaluate(dict)` of the facts, shaped like the file: the fast entry, the baseline;
- `evaluate(Facts)` of the loaded file (target: within 1.5× of the dict);
- the full path `evaluate_validated(validate(...))` the Facts took before;
- `evaluate` + `to_dict()` and `evaluate` + `to_json()` (target for JSON: at most 3×).
Each line is checked first: the same JSON from every way in.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import perfrules
from perfrules.inputs.facts import validate

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"


def median_us(function: Callable[[], Any], number: int, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            function()
        times.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    ruleset = perfrules.load(RULES)
    loaded = perfrules.load_facts(RULES.with_suffix(".facts.toml"))
    shaped = {"facts": dict(loaded.facts), "judged": dict(loaded.judged), "meta": dict(loaded.meta)}
    expected = ruleset.evaluate_validated(validate(ruleset.model, loaded)).to_json()
    for way in (shaped, loaded):
        if ruleset.evaluate(way).to_json() != expected:
            print(f"perfrules: {type(way).__name__} scores differently from the full path", file=sys.stderr)
            return 1
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("evaluate(dict)", lambda: ruleset.evaluate(shaped)),
        ("evaluate(Facts)", lambda: ruleset.evaluate(loaded)),
        ("validate + evaluate_validated", lambda: ruleset.evaluate_validated(validate(ruleset.model, loaded))),
        ("evaluate(dict) + to_dict()", lambda: ruleset.evaluate(shaped).to_dict()),
        ("evaluate(dict) + to_json()", lambda: ruleset.evaluate(shaped).to_json()),
    ]
    timings = {name: median_us(function, args.number, args.repeats) for name, function in cases}
    base = timings["evaluate(dict)"]
    print(f"# {RULES.relative_to(ROOT)}, {args.number} evaluations × {args.repeats} repeats, medians")
    print("| what | µs | × evaluate(dict) |")
    print("|---|---:|---:|")
    for name, us in timings.items():
        print(f"| {name} | {us:.1f} | {us / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
