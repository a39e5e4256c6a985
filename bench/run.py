#!/usr/bin/env python3
"""perfrules against the hand-written Decimal baseline, in one process; load, import
and batch measurements. Results and the machine go in bench/README.md.

    python bench/run.py                          # everything (~3 min)
    python bench/run.py --skip-batch             # evaluation, load and import only
    python bench/run.py --rss-records 1000000    # the 1,000,000-record streaming RSS check

Records come from bench/workload.py (20,000 records, its default seed); the baseline is
bench/hand_decimal.py. Timing: round-robin passes over all records, gc collected before
each pass and left on, medians reported; compare ratios, not absolute times across runs
(the machine is a noisy shared 2-vCPU guest). The peer comparison is bench/peers.py.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import IO, Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import hand_decimal  # noqa: E402
import perfrules_adapter  # noqa: E402
import workload  # noqa: E402


def machine() -> str:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return f"nproc={os.cpu_count()}, CPU {cpu}, {platform.python_implementation()} {platform.python_version()}"


# ---- evaluation ------------------------------------------------------------------------


Records = list[dict[str, Any]]
Entry = tuple[str, Callable[[Records], Any]]


def evaluators(ruleset: Any) -> tuple[Callable[[Records], Any], ...]:
    """perfrules as bench/peers.py runs it (perfrules_adapter.py), plus a kept Result and to_dict()."""
    evaluate = ruleset.evaluate

    def result_only(records: Records) -> list[Any]:
        return [evaluate(r) for r in records]

    def trace(records: Records) -> list[Any]:
        return [(res.total, res.to_dict()) for res in map(evaluate, records)]

    return result_only, perfrules_adapter.build("total"), perfrules_adapter.build("breakdown"), trace


def verify(ruleset: Any, records: Records) -> int:
    _, _, breakdown, _ = evaluators(ruleset)
    bad = 0
    reference = hand_decimal.build("breakdown")(records)
    for (s, bd), (ref_s, ref_bd) in zip(breakdown(records), reference, strict=True):
        assert ref_bd is not None
        if s != ref_s or any(abs(bd[k] - v) > Decimal("1e-6") for k, v in ref_bd.items()):
            bad += 1
    return bad


def time_round_robin(entries: list[Entry], records: Records, repeats: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name, _ in entries}
    for _name, fn in entries:  # warm-up
        fn(records[:2000])
    for _ in range(repeats):
        for name, fn in entries:
            gc.collect()
            t = time.perf_counter()
            fn(records)
            times[name].append((time.perf_counter() - t) / len(records) * 1e6)
    return times


# ---- load and import -----------------------------------------------------------------------


def big_ruleset(groups: int = 50, per_group: int = 10) -> str:
    """A generated ruleset of groups x (per_group leaves + 1 group) indicators, mixed rules."""
    lines = [f'ruleset "生成的{groups * (per_group + 1)}个指标" {{', f"  total {groups * per_group}",
             "  precision 2", '  rating { >= 90: "优"; >= 80: "良"; >= 60: "中"; else: "差" }', "}"]
    for g in range(groups):
        lines.append(f"input 实际{g}: number")
        lines.append(f"input 目标{g}: number")
        lines.append(f"input 满意{g}: percent in 0%..100%")
        lines.append(f"input 等级{g}: grade(优, 良, 中, 差)")
        lines.append(f"input 按时{g}: bool")
        lines.append(f"let 完成率{g}: percent = if 目标{g} > 0 then 实际{g} / 目标{g} else 0")
    for g in range(groups):
        lines.append(f'indicator 组{g} "第{g}组" weight {per_group} {{')
        for k in range(per_group):
            kind = k % 5
            lines.append(f"  indicator 项{g}_{k} weight 1 {{")
            if kind == 0:
                lines.append(f"    ratio 完成率{g}")
            elif kind == 1:
                lines.append(f"    tiers 满意{g} {{ >= 90%: full; >= 80%: 80%; >= 60%: 50%; else: 0 }}")
            elif kind == 2:
                lines.append(f"    grade 等级{g} {{ 优: full; 良: 80%; 中: 60%; 差: 0 }}")
            elif kind == 3:
                lines.append("    full")
                lines.append(f'    deduct 0.5 when not 按时{g} because "未按时"')
            else:
                lines.append("    full")
                lines.append(f"    deduct 0.1 per 1% of shortfall(完成率{g}, 100%) cap 1")
            lines.append("  }")
        lines.append("}")
    return "\n".join(lines) + "\n"


def measure_load(repeats: int) -> dict[bool, tuple[float, float, int]]:
    """Load (parse + check + compile) a 500-indicator ruleset: cold, the first load in a fresh
    process after `import perfrules` (it builds the parser); warm, again in this process.
    Both with the cyclic GC left alone (the default) and paused (`pause_gc=True`), round robin.
    Gives {pause_gc: (cold ms, warm ms, indicators)}, medians."""
    import perfrules

    text = big_ruleset(groups=50, per_group=9)  # 50 groups of 9 leaves: 500 indicators
    code = ("import sys, time, perfrules; text = sys.stdin.read(); t = time.perf_counter(); "
            "perfrules.loads(text, 'generated.rules', pause_gc={}); print(time.perf_counter() - t)")
    cold: dict[bool, list[float]] = {False: [], True: []}
    warm: dict[bool, list[float]] = {False: [], True: []}
    count = len(perfrules.loads(text, "generated.rules").indicator_list)
    for _ in range(repeats):
        for pause in (False, True):
            out = subprocess.run([sys.executable, "-c", code.format(pause)], input=text, capture_output=True,
                                 text=True, encoding="utf-8", check=True).stdout
            cold[pause].append(float(out) * 1e3)
            t = time.perf_counter()
            perfrules.loads(text, "generated.rules", pause_gc=pause)
            warm[pause].append((time.perf_counter() - t) * 1e3)
    return {p: (statistics.median(cold[p]), statistics.median(warm[p]), count) for p in (False, True)}


def measure_import(repeats: int) -> tuple[float, bool]:
    code = ("import sys, time; t = time.perf_counter(); import perfrules; "
            "print(time.perf_counter() - t, 'lark' in sys.modules)")
    times: list[float] = []
    lark = False
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        times.append(float(out[0]) * 1e3)
        lark = lark or out[1] == "True"
    return statistics.median(times), lark


# ---- batch ----------------------------------------------------------------------------------


def jsonl_line(r: dict[str, Any]) -> str:
    parts = []
    for k, v in r.items():
        if isinstance(v, bool):
            value = "true" if v else "false"
        elif isinstance(v, (int, Decimal)):
            value = str(v)
        else:
            value = json.dumps(v, ensure_ascii=False)
        parts.append(f'"{k}": {value}')
    return "{" + ", ".join(parts) + "}\n"


def write_records(f: IO[str], n: int) -> None:
    done, seed = 0, 1
    while done < n:
        chunk = workload.records(min(20_000, n - done), workload.SEED + seed)
        for r in chunk:
            r["id"] = done
            f.write(jsonl_line(r))
            done += 1
        seed += 1


# The batch process reports its own peak RSS (VmHWM of its own address space): the
# rusage of a child would include this benchmark's memory, counted before exec.
CLI = """import sys
from perfrules.cli import main
code = main(sys.argv[2:])
with open("/proc/self/status") as f:
    hwm = next(line.split()[1] for line in f if line.startswith("VmHWM"))
with open(sys.argv[1], "w") as f:
    f.write(hwm)
sys.exit(code)
"""


def run_cli(batch: str, workers: int) -> tuple[float, float, int]:
    """(seconds, peak RSS of the perfrules process in MB (workers not included), exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".hwm") as hwm:
        cmd = [sys.executable, "-c", CLI, hwm.name, "eval", os.path.join(HERE, "workload.rules"),
               "--batch", batch, "--workers", str(workers), "-o", os.devnull]
        t = time.perf_counter()
        code = subprocess.run(cmd, stderr=subprocess.DEVNULL, check=False).returncode
        elapsed = time.perf_counter() - t
        text = hwm.read().strip()
    return elapsed, (int(text) / 1024 if text else float("nan")), code


def measure_batch(n: int, rss_n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "records.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            write_records(f, n)
        runs: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(3):
            for workers in (1, 2):
                elapsed, _, code = run_cli(path, workers)
                assert code == 0, f"batch failed (exit {code})"
                runs[workers].append(elapsed)
        out["n"] = n
        out["w1"] = n / statistics.median(runs[1])
        out["w2"] = n / statistics.median(runs[2])
        if rss_n:
            fifo = os.path.join(tmp, "stream.jsonl")
            os.mkfifo(fifo)

            def feed() -> None:
                with open(fifo, "w", encoding="utf-8") as f:
                    write_records(f, rss_n)

            writer = threading.Thread(target=feed)
            writer.start()
            elapsed, rss, code = run_cli(fifo, 1)
            writer.join()
            out["rss_n"], out["rss_mb"], out["rss_s"], out["rss_code"] = rss_n, rss, elapsed, code
    return out


# ---- main ---------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--trace-records", type=int, default=2_000, help="records timed in trace mode")
    ap.add_argument("--batch-records", type=int, default=300_000)
    ap.add_argument("--rss-records", type=int, default=0, help="stream this many records through a FIFO "
                    "and report the batch process's max RSS (1000000 for the target; ~2 min)")
    ap.add_argument("--skip-batch", action="store_true")
    args = ap.parse_args()

    import perfrules

    print(f"# machine: {machine()}")
    records = workload.records(args.records)
    ruleset = perfrules.load(os.path.join(HERE, "workload.rules"))
    bad = verify(ruleset, records)
    print(f"# verified {len(records):,} records against the baseline: "
          f"{'all agree' if not bad else f'{bad} DISAGREE'}")

    result_only, total, breakdown, trace = evaluators(ruleset)
    entries: list[Entry] = [("baseline total", hand_decimal.build("total")),
               ("baseline breakdown", hand_decimal.build("breakdown")),
               ("perfrules total", total), ("perfrules evaluate (full Result)", result_only),
               ("perfrules breakdown", breakdown)]
    times = time_round_robin(entries, records, args.repeats)
    trace_times = time_round_robin([("perfrules trace (Result.to_dict)", trace)],
                                   records[:args.trace_records], max(3, args.repeats // 2))
    times.update(trace_times)
    ref = statistics.median(times["baseline breakdown"])
    print()
    print("| what | µs/record (median) | best | × baseline breakdown |")
    print("|---|---:|---:|---:|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"| {name} | {med:.2f} | {min(ts):.2f} | {med / ref:.2f} |")
    print()

    for pause, (cold, warm, count) in measure_load(7).items():
        print(f"load (parse+check+compile) of a generated {count}-indicator ruleset, pause_gc={pause}: "
              f"{cold:.0f} ms median cold (first load in a fresh process, after import), "
              f"{warm:.0f} ms median warm (target < 200 ms)")
    imp, lark = measure_import(5)
    print(f"import perfrules in a fresh interpreter: {imp:.0f} ms median (target < 100 ms); "
          f"lark imported: {lark}")
    if not args.skip_batch:
        b = measure_batch(args.batch_records, args.rss_records)
        print(f"batch, {b['n']:,} JSON lines -> JSON lines (CLI, whole process): "
              f"{b['w1']:,.0f} records/s with 1 worker, {b['w2']:,.0f} with --workers 2 "
              f"(speed-up {b['w2'] / b['w1']:.2f}x; target >= 1.7x)")
        if "rss_mb" in b:
            print(f"batch, {b['rss_n']:,} records streamed through a FIFO: max RSS {b['rss_mb']:.0f} MB "
                  f"(target < 300 MB), {b['rss_s']:.0f} s, exit {b['rss_code']}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
