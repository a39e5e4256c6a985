"""The audit trail against the score, in one process (issue 15): what reading a result costs.

    python bench/audit.py [--number 200] [--repeats 31]

On the Guangzhou ruleset (rulesets/guangzhou/xiezuo-2022.rules) and its facts file, the
median µs of:
- `evaluate(dict)` of the facts, shaped like the file: the fast entry, the baseline;
- `evaluate(Facts)` of the loaded file (target: within 1.5× of the dict);
- the full path `evaluate_validated(validate(...))` the Facts took before;
- `evaluate` + `to_dict()` and `evaluate` + `to_json()` (target for JSON: at most 3×), the
  same written from the audit records (how they were written before the generated writer),
  and the same JSON written by the standard library's `json.dumps(indent=2)`, as before orjson.
Each line is checked first: the same JSON from every way in.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import perfrules
from perfrules.inputs.facts import validate
from perfrules.results.result import dict_from_records, dumps

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"


def round_robin(cases: list[tuple[str, Callable[[], Any]]], number: int, repeats: int) -> dict[str, float]:
    """Median µs per call of each case, the cases taking turns so that a busy machine slows all alike."""
    times: dict[str, list[float]] = {name: [] for name, _ in cases}
    for _ in range(repeats):
        for name, function in cases:
            start = time.perf_counter()
            for _ in range(number):
                function()
            times[name].append((time.perf_counter() - start) / number * 1e6)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--number", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=31)
    args = parser.parse_args()
    ruleset = perfrules.load(RULES)
    loaded = perfrules.load_facts(RULES.with_suffix(".facts.toml"))
    shaped = {"facts": dict(loaded.facts), "judged": dict(loaded.judged), "meta": dict(loaded.meta)}
    expected = ruleset.evaluate_validated(validate(ruleset.model, loaded)).to_json()
    for way in (shaped, loaded, shaped):  # the third: the ruleset's generated writer (from its second result)
        if ruleset.evaluate(way).to_json() != expected:
            print(f"perfrules: {type(way).__name__} scores differently from the full path", file=sys.stderr)
            return 1
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("evaluate(dict)", lambda: ruleset.evaluate(shaped)),
        ("evaluate(Facts)", lambda: ruleset.evaluate(loaded)),
        ("validate + evaluate_validated", lambda: ruleset.evaluate_validated(validate(ruleset.model, loaded))),
        ("evaluate(dict) + to_dict()", lambda: ruleset.evaluate(shaped).to_dict()),
        ("evaluate(dict) + to_json()", lambda: ruleset.evaluate(shaped).to_json()),
        # before the generated writer: the same data written from the audit records
        ("evaluate(dict) + to_dict() from the records", lambda: dict_from_records(ruleset.evaluate(shaped))),
        ("evaluate(dict) + to_json() from the records", lambda: dumps(dict_from_records(ruleset.evaluate(shaped)))),
        # what to_json() was before orjson: the standard library's indenting encoder
        ("evaluate(dict) + to_dict() + json.dumps(indent=2)",
         lambda: json.dumps(ruleset.evaluate(shaped).to_dict(), ensure_ascii=False, indent=2)),
    ]
    timings = round_robin(cases, args.number, args.repeats)
    base = timings["evaluate(dict)"]
    print(f"# {RULES.relative_to(ROOT)}, {args.number} evaluations × {args.repeats} repeats, medians")
    print("| what | µs | × evaluate(dict) |")
    print("|---|---:|---:|")
    for name, us in timings.items():
        print(f"| {name} | {us:.1f} | {us / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
