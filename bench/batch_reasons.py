"""Batch output with the 扣分原因 (`eval --batch --reasons`) against batch output without them,
in one process (issue 15, target 4: within 1.5×).

    python bench/batch_reasons.py [--records 5000] [--repeats 7]

Records: the bench workload (bench/workload.py, with ids, as bench/run.py writes them) and the
Guangzhou ruleset's facts file with its inputs drawn around the filed values, each as a .jsonl
file. Each case is `tools.batch_run.run_batch` on one worker into a file (as `-o FILE`), the cases taking turns;
printed: the median and the best CPU time of a pass (`time.process_time`: on a shared machine
it swings less than wall time) and the ratios with reasons to without. Before timing, every
line with reasons is checked against `Result.lost` read from the audit records (the reference).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import workload  # noqa: E402
from run import jsonl_line  # noqa: E402

import perfrules  # noqa: E402
from perfrules.results.result import Result  # noqa: E402
from perfrules.tools.batch_run import run_batch  # noqa: E402

ROOT = Path(HERE).parent
GUANGZHOU = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"


def encoded(value: Any) -> str:
    """JSON with Decimals as numbers, digit for digit."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {encoded(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def guangzhou_records(n: int, seed: int = 20261128) -> list[dict[str, Any]]:
    """The filed facts (a facts-shaped record: its judged points too) with every number input scaled
    by 0.5–1.1 and counts moved down: points are lost, for different reasons."""
    loaded = perfrules.load_facts(GUANGZHOU.with_suffix(".facts.toml"))
    base, judged = loaded.facts, {k: dict(v) for k, v in loaded.judged.items()}
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        record: dict[str, Any] = {}
        for key, value in base.items():
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                record[key] = value
            elif isinstance(value, int):
                record[key] = max(0, value - rng.randint(0, 2))
            else:
                record[key] = (value * Decimal(rng.randint(50, 110)) / 100).quantize(Decimal("0.01"))
        out.append({"facts": record, "judged": judged})
    return out


def expected_lost(ruleset: perfrules.Ruleset, record: dict[str, Any]) -> list[dict[str, Any]]:
    result: Result = ruleset.evaluate(record)
    places = ruleset.model.precision
    from perfrules.semantics import arithmetic

    return [{"path": x.path, "points": arithmetic.fixed(x.points, places), "reasons": list(x.reasons)}
            for x in result.lost]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    cases = {
        "bench workload (workload.rules)": (perfrules.load(Path(HERE) / "workload.rules"),
                                            workload.records(args.records)),
        "Guangzhou (xiezuo-2022.rules)": (perfrules.load(GUANGZHOU), guangzhou_records(args.records)),
    }
    with tempfile.TemporaryDirectory() as folder:
        print(f"# {args.records} records per batch, one worker, median of {args.repeats} passes, in turns")
        print("| ruleset | without reasons, ms (median / best) | with reasons, ms (median / best) "
              "| with ÷ without (medians / bests) | lines with a loss |")
        print("|---|---:|---:|---:|---:|")
        for name, (ruleset, records) in cases.items():
            path, output = Path(folder) / f"{len(name)}.jsonl", Path(folder) / "out.jsonl"
            with open(path, "w", encoding="utf-8") as f:
                for k, r in enumerate(records):
                    f.write(jsonl_line({**r, "id": k}) if "id" in r else encoded(r) + "\n")
            # checked first: every line's "lost" is what the records say
            checked = io.StringIO()
            run_batch(ruleset, path, checked, io.StringIO(), "json+reasons")
            lines = [json.loads(line, parse_float=Decimal) for line in checked.getvalue().splitlines()]
            losing = 0
            for line, record in zip(lines, records, strict=True):
                if line["lost"] != expected_lost(ruleset, record):
                    print(f"batch_reasons: row {line['row']} lists other reasons than Result.lost", file=sys.stderr)
                    return 1
                losing += bool(line["lost"])
            times: dict[str, list[float]] = {"json": [], "json+reasons": []}
            for _ in range(args.repeats):
                for fmt, ts in times.items():
                    with open(output, "w", encoding="utf-8") as out:  # as `-o FILE` writes it
                        start = time.process_time()
                        run_batch(ruleset, path, out, io.StringIO(), fmt)
                        ts.append((time.process_time() - start) * 1000)
            without, with_ = statistics.median(times["json"]), statistics.median(times["json+reasons"])
            low, low_with = min(times["json"]), min(times["json+reasons"])
            print(f"| {name} | {without:.0f} / {low:.0f} | {with_:.0f} / {low_with:.0f} "
                  f"| {with_ / without:.2f} / {low_with / low:.2f} | {losing} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
