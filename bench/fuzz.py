"""Fuzz the command line with Hypothesis (issue 16): not part of the test run.

    python bench/fuzz.py --minutes 15 [--out fuzz-findings] [--seed N]

Hypothesis draws rule files over the grammar (tests/drawn.py: every rule kind, adjustments,
`because` insertions, groups, vetoes), then mutates their text with hostile pieces (huge and long
numbers, braces, quotes, control and invisible characters, bad UTF-8, deep brackets, CRLF);
facts files, cases files, CSV and JSON-lines batches and xlsx workbooks for them, mutated the
same way. Each input goes through `perfrules.cli.main` in this process (`check`, `eval`, `eval
--batch`, `explain`, `report`, `test`, `import`, `fmt --check`), and a run is a finding when it

- raises, or prints "internal error" (a bug, by the CLI's own words),
- exits with anything but 0, 1 or 2,
- takes more than 5 s (the corpus's limit; an alarm stops it at 10 s),
- prints a control character (a terminal would act on it).

Findings are written to OUT/NNN-target/ (the inputs, the command, what happened), one per
distinct (target, kind, first line of the message). Make each as small as it goes and add it to
tests/corpus/. What a run found is in docs/limits.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PERFRULES_NO_CACHE", "1")
os.environ.setdefault("PERFRULES_LANG", "en")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from perfrules.cli import main as cli_main  # noqa: E402
from tests.drawn import _INPUTS, rule_files  # noqa: E402

LIMIT = 5.0  # seconds: past this, a finding
ALARM = 10  # seconds: the run is stopped

HOSTILE = [
    "999999999999999999", "1" * 31, "0.00000000000000000000000000001", "1e5", "-", "--", "{", "}", "{{", '"',
    "\\", "\\u0000", "\x1b[2J", "\x07", "\x00", "\u202e", "\u200b", "\ud800", "\r", "\r\n", "\t", "(" * 70,
    ")" * 3, "[" + " " * 300, "％", "，", "；", "≥", "×", "÷", "…", "100%", "0%", "-0", "nan", "inf", "=1+1",
    "@SUM(1)", "+cmd", "当", "否则", "指标", "indicator", "weight", "ratio", "per", "cap", "because",
    "deduct", "x" * 50, "应" * 50, "\n\n\n", "'''", '"""', "[[case]]", "[facts]", "[meta]", ",", ";",
]


class Stop(Exception):
    """The alarm: a run went past ALARM seconds."""


def _alarm(signum: int, frame: Any) -> None:
    raise Stop()


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with a few drawn edits: a hostile piece inserted, a slice deleted or doubled."""
    for _ in range(draw(st.integers(0, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "insert", "delete", "double", "char"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(HOSTILE)) + text[at:]
        elif kind == "char":
            text = text[:at] + draw(st.characters(codec=None)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        else:
            end = min(len(text), at + draw(st.integers(1, 200)))
            text = text[:end] + text[at:end] * draw(st.integers(1, 50)) + text[end:]
    return text


def _value(draw: st.DrawFn) -> str:
    """A TOML value as a facts file might hold one."""
    return draw(st.one_of(
        st.integers(-10**20, 10**20).map(str),
        st.decimals(allow_nan=False, allow_infinity=False, places=draw(st.integers(0, 35))).map(str),
        st.sampled_from(["true", "false", '"优"', '"良"', '"95%"', '"≥6艘"', '""', "[]", "{}", "inf", "nan",
                         "1e400", "0.1", "100", '"=HYPERLINK(1)"', '"\\u001b]0;x\\u0007"']),
        st.text(max_size=30).map(json.dumps),
    ))  # fmt: skip


@st.composite
def facts_files(draw: st.DrawFn, lang: str) -> str:
    names = [*list(_INPUTS[lang]), "unknown", "k" * 50]
    lines = ["[meta]", f"entity = {json.dumps(draw(st.text(max_size=20)))}", "[facts]"]
    for name in draw(st.lists(st.sampled_from(names), max_size=9)):
        lines.append(f"{name} = {_value(draw)}")
    if draw(st.booleans()):
        lines += ["[judged]", f"指标0 = {_value(draw)}"]
    return draw(mutated("\n".join(lines) + "\n"))


@st.composite
def cases_files(draw: st.DrawFn, lang: str) -> str:
    out = ['rules = "r.rules"']
    for k in range(draw(st.integers(0, 3))):
        facts = ", ".join(f"{n} = {_value(draw)}" for n in draw(st.lists(st.sampled_from(_INPUTS[lang]), max_size=5,
                                                                              unique=True)))
        out += ["[[case]]", f'name = "c{k}"', f"facts = {{ {facts} }}", "[case.expect]",
                f'total = "{draw(st.decimals(0, 100, places=2))}"']
        if draw(st.booleans()):
            out.append(f'error = {json.dumps(draw(st.text(max_size=10)))}')
    return draw(mutated("\n".join(out) + "\n"))


@st.composite
def csv_batches(draw: st.DrawFn, lang: str) -> bytes:
    columns = draw(st.lists(st.sampled_from([*_INPUTS[lang], "id", "name", "x"]), min_size=1, max_size=8))
    cell = st.one_of(st.sampled_from(["1", "0", "-12", "99.5", "true", "优", "", "=1+1", '"', "\r", "95%"]),
                     st.text(max_size=12))
    rows = [",".join(columns)]
    for _ in range(draw(st.integers(0, 6))):
        rows.append(",".join(draw(cell).replace("\n", " ") for _ in columns))
    return _as_bytes(draw, "\n".join(rows) + "\n")


def _as_bytes(draw: st.DrawFn, text: str) -> bytes:
    """The text mutated, as UTF-8 (lone surrogates kept), and sometimes with a few raw bytes spliced in."""
    raw: bytes = draw(mutated(text)).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=4)) + raw[at:]
    return raw

@st.composite
def jsonl_batches(draw: st.DrawFn, lang: str) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        keys = draw(st.lists(st.sampled_from([*_INPUTS[lang], "id", "facts", "meta", "x"]), max_size=8))
        lines.append("{" + ", ".join(f"{json.dumps(k)}: {_value(draw)}" for k in keys) + "}")
    return _as_bytes(draw, "\n".join(lines) + "\n")


@st.composite
def workbooks(draw: st.DrawFn, lang: str) -> bytes:
    import openpyxl  # type: ignore[import-untyped]

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for k, name in enumerate(draw(st.lists(st.sampled_from(_INPUTS[lang]), max_size=7)), start=1):
        ws.cell(k, 1, name)
        # text a worksheet can hold: openpyxl refuses control characters in cells
        text = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12)
        value: Any = draw(st.one_of(st.integers(-10**19, 10**19), text,
                                    st.sampled_from(["95%", "≥6艘", "=1+1", "优", None, True])))
        ws.cell(k, 2, value)
    out = io.BytesIO()
    wb.save(out)
    raw = out.getvalue()
    if draw(st.integers(0, 5)) == 0:  # a damaged file
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at + 8:]
    return raw


# ---- running --------------------------------------------------------------------------------------


class Fuzzer:
    def __init__(self, out: Path):
        self.out = out
        self.runs = 0
        self.by_target: dict[str, int] = {}
        self.seen: dict[tuple[str, str, str], int] = {}
        self.work = Path(tempfile.mkdtemp(prefix="perfrules-fuzz-"))

    def run(self, target: str, files: dict[str, bytes], argv: list[str]) -> None:
        folder = self.work / "case"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        stdout, stderr = io.StringIO(), io.StringIO()
        problem: tuple[str, str] | None = None
        start = time.perf_counter()
        cwd = os.getcwd()
        signal.alarm(ALARM)
        try:
            os.chdir(folder)
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                code = cli_main(argv)
        except Stop:
            problem = ("hang", f"stopped after {ALARM} s")
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:
            problem = ("exception", f"{type(exc).__name__}: {exc}".split("\n")[0][:200])
            stderr.write(traceback.format_exc())
        finally:
            signal.alarm(0)
            os.chdir(cwd)
        elapsed = time.perf_counter() - start
        self.runs += 1
        self.by_target[target] = self.by_target.get(target, 0) + 1
        said = stdout.getvalue() + stderr.getvalue()
        if problem is None:
            if "internal error" in said:
                problem = ("internal error", next(line for line in said.splitlines() if "internal error" in line)[:200])
            elif code not in (0, 1, 2):
                problem = ("exit code", str(code))
            elif elapsed > LIMIT:
                problem = ("slow", f"{elapsed:.1f} s")
            else:
                controls = sorted({c for c in said if (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0})
                if controls:
                    problem = ("control character", " ".join(f"U+{ord(c):04X}" for c in controls))
        if problem is None:
            return
        # control characters: one finding per target (issue 16 item 17, fixed on its own branch)
        key = (target, problem[0], "" if problem[0] == "control character" else problem[1])
        self.seen[key] = self.seen.get(key, 0) + 1
        if self.seen[key] > 1:
            return
        where = self.out / f"{len(self.seen):03d}-{target}"
        shutil.copytree(folder, where, dirs_exist_ok=True)
        (where / "finding.json").write_text(json.dumps(
            {"target": target, "argv": argv, "kind": problem[0], "what": problem[1], "seconds": round(elapsed, 2),
             "stdout": stdout.getvalue()[-3000:], "stderr": stderr.getvalue()[-3000:]},
            ensure_ascii=False, indent=1), "utf-8")
        print(f"finding {len(self.seen)}: {target}: {problem[0]}: {problem[1]}", file=sys.__stderr__, flush=True)


def targets(fz: Fuzzer) -> dict[str, Callable[[], None]]:
    """One Hypothesis test per input kind; each example is one run of the command line."""
    languages = st.sampled_from(["zh", "en"])
    opts = settings(max_examples=100_000, deadline=None, database=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))

    def rules_text(draw: Callable[..., Any]) -> str:
        text: str = draw(mutated(draw(rule_files())))
        return text

    @opts
    @given(st.data())
    def rule_file(data: st.DataObject) -> None:
        text = rules_text(data.draw)
        raw = text.encode("utf-8", "surrogatepass")
        command = data.draw(st.sampled_from([["check", "r.rules"], ["fmt", "--check", "r.rules"],
                                             ["check", "--format", "sarif", "r.rules"]]))
        fz.run("rules", {"r.rules": raw}, command)

    @opts
    @given(st.data(), languages)
    def facts_file(data: st.DataObject, lang: str) -> None:
        rules = data.draw(rule_files()).encode()
        facts = data.draw(facts_files(lang)).encode("utf-8", "surrogatepass")
        command = data.draw(st.sampled_from([["eval", "r.rules", "f.toml"], ["eval", "r.rules", "f.toml", "--format",
                                                                            "json"],
                                             ["explain", "r.rules", "f.toml", "指标0"],
                                             ["report", "r.rules", "f.toml", "--format", "html"],
                                             ["report", "r.rules", "f.toml", "--format", "xlsx", "-o", "o.xlsx"]]))
        fz.run("facts", {"r.rules": rules, "f.toml": facts}, command)

    @opts
    @given(st.data(), languages)
    def cases_file(data: st.DataObject, lang: str) -> None:
        files = {"r.rules": data.draw(rule_files()).encode(),
                 "r.cases.toml": data.draw(cases_files(lang)).encode("utf-8", "surrogatepass")}
        fz.run("cases", files, ["test", "r.cases.toml", "--junit-xml", "j.xml"])

    @opts
    @given(st.data(), languages)
    def csv_batch(data: st.DataObject, lang: str) -> None:
        files = {"r.rules": data.draw(rule_files()).encode(), "d.csv": data.draw(csv_batches(lang))}
        fmt = data.draw(st.sampled_from(["json", "csv"]))
        fz.run("csv", files, ["eval", "r.rules", "--batch", "d.csv", "--format", fmt])

    @opts
    @given(st.data(), languages)
    def jsonl_batch(data: st.DataObject, lang: str) -> None:
        files = {"r.rules": data.draw(rule_files()).encode(), "d.jsonl": data.draw(jsonl_batches(lang))}
        extra = data.draw(st.sampled_from([[], ["--format", "csv"], ["--reasons"]]))
        fz.run("jsonl", files, ["eval", "r.rules", "--batch", "d.jsonl", *extra])

    @opts
    @given(st.data(), languages)
    def workbook(data: st.DataObject, lang: str) -> None:
        files = {"r.rules": data.draw(rule_files()).encode(), "form.xlsx": data.draw(workbooks(lang))}
        command = data.draw(st.sampled_from([["eval", "r.rules", "form.xlsx"], ["import", "r.rules", "form.xlsx"]]))
        fz.run("workbook", files, command)

    return {"rules": rule_file, "facts": facts_file, "cases": cases_file, "csv": csv_batch, "jsonl": jsonl_batch,
            "workbook": workbook}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=15.0, help="wall time in all, shared by the targets")
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--only", action="append", help="run this target only (repeatable)")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    signal.signal(signal.SIGALRM, _alarm)
    args.out.mkdir(parents=True, exist_ok=True)
    fz = Fuzzer(args.out)
    chosen = {k: v for k, v in targets(fz).items() if not args.only or k in args.only}
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {seed}; targets {', '.join(chosen)}; {args.minutes:g} minutes", file=sys.stderr)
    deadline = time.monotonic() + args.minutes * 60
    share = 20.0  # seconds per turn of a target
    turn = 0
    while time.monotonic() < deadline:
        for _name, test in chosen.items():
            stop = min(deadline, time.monotonic() + share)

            def until(stop: float = stop) -> bool:
                return time.monotonic() >= stop

            _run_until(test, until, seed + turn)
            turn += 1
            if time.monotonic() >= deadline:
                break
    summary = {"seed": seed, "runs": fz.runs, "by_target": fz.by_target,
               "findings": [{"target": t, "kind": k, "what": w, "count": n} for (t, k, w), n in fz.seen.items()]}
    (args.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), "utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    shutil.rmtree(fz.work, ignore_errors=True)
    return 0


class _TurnOver(Exception):
    """A target's turn is over."""


def _run_until(test: Callable[[], None], over: Callable[[], bool], seed: int) -> None:
    """Run a Hypothesis test until `over()`, then stop it (examples end at a run's boundary)."""
    from hypothesis import seed as hypothesis_seed

    inner = test.hypothesis.inner_test  # type: ignore[attr-defined]

    def guarded(*args: Any, **kwargs: Any) -> None:
        if over():
            raise _TurnOver()
        inner(*args, **kwargs)

    test.hypothesis.inner_test = guarded  # type: ignore[attr-defined]
    try:
        hypothesis_seed(seed)(test)()
    except _TurnOver:
        pass
    except Exception as exc:
        if not over():  # past the turn, Hypothesis replaying the _TurnOver example says it is flaky
            print(f"hypothesis stopped: {type(exc).__name__}: {str(exc)[:200]}", file=sys.stderr)
    finally:
        test.hypothesis.inner_test = inner  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
