"""Whole-process time of `perfrules eval RULES FACTS` against `python -c pass` (issue 15, target 5).

    python bench/startup.py [--runs 10] [--before OLD/src]

Median wall time of each command, run in turns, measured around the process: Python's own
start, `perfrules eval` (what the console script runs, as a user types it) with the per-user
cache warm (the second command on a rule file),
and with PERFRULES_NO_CACHE (every command parses). Bytecode is written and used, as an
installed package has it. Printed: the median wall time, its difference from and ratio to
`python -c pass`, and the median CPU time (user + system) of the process, which a busy
machine inflates less than wall time. `--before` also runs the two `perfrules eval` commands
from another tree's `src` folder (put first on PYTHONPATH; e.g. `git archive main src | tar -x -C
/tmp/old`), in the same turns: before and after from one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"
FACTS = RULES.with_suffix(".facts.toml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", type=Path, metavar="SRC", help="another tree's src folder, run beside this one")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PERFRULES_NO_CACHE")}
    # what the `perfrules` console script runs (`-m perfrules` would add runpy's ~5 ms), for this
    # tree and for an older one, whose script called cli.main
    script = "import sys\nfrom perfrules import cli\nsys.exit(cli.run() if hasattr(cli, 'run') else cli.main())"
    eval_command = [sys.executable, "-c", script, "eval", str(RULES), str(FACTS)]
    with tempfile.TemporaryDirectory() as folder:
        cached_env = {**env, "PERFRULES_CACHE_DIR": os.path.join(folder, "cache")}
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], env),
            "perfrules eval, cache warm": (eval_command, cached_env),
            "perfrules eval, PERFRULES_NO_CACHE": (eval_command, {**env, "PERFRULES_NO_CACHE": "1"}),
        }
        if args.before is not None:
            old = {**env, "PYTHONPATH": str(args.before.resolve())}
            commands["before: perfrules eval, cache warm"] = (
                eval_command,
                {**old, "PERFRULES_CACHE_DIR": os.path.join(folder, "cache-before")},
            )
            commands["before: perfrules eval, PERFRULES_NO_CACHE"] = (eval_command, {**old, "PERFRULES_NO_CACHE": "1"})
        for command, command_env in commands.values():  # bytecode written, cache filled
            subprocess.run(command, env=command_env, capture_output=True, check=True)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, command_env) in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(command, env=command_env, capture_output=True, check=True)
                times[name].append((time.perf_counter() - start) * 1000)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                cpu[name].append(used * 1000)
    base = statistics.median(times["python -c pass"])
    print(f"# {RULES.relative_to(ROOT)}, median of {args.runs} runs each, in turns")
    print("| command | wall ms | − python -c pass | × python -c pass | CPU ms |")
    print("|---|---:|---:|---:|---:|")
    for name, ts in times.items():
        median = statistics.median(ts)
        used = statistics.median(cpu[name])
        print(f"| {name} | {median:.0f} | {median - base:.0f} | {median / base:.1f} | {used:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
