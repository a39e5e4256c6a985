"""The hostile corpus (tests/corpus/, its README says the format): every input that once crashed,
hung or fooled perfrules, run through the real command line on every change.

Each entry runs in a copy of itself, in a child process limited to 1 GB of address space and
killed past 5 s (a limit, not a speed assertion: a run that needs more is a bug). It must end
with exit 0 or 1 (or the code its run.toml names), print no traceback, no "internal error" and
no control character, and leave every input file as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import resource
import shutil
import subprocess
import sys
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
TIME_LIMIT = 5.0  # seconds per entry: the child is killed past it
MEMORY_LIMIT = 1 << 30  # bytes of address space in the child
RECIPE = ".recipe.toml"
# a spreadsheet runs a cell beginning with one of these as a formula (OWASP, CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def entries() -> list[Path]:
    """Every folder with a run.toml, and every bare rule file at the top of the corpus."""
    found = sorted(p for p in CORPUS.iterdir() if (p / "run.toml").is_file())
    found += sorted(p for p in CORPUS.glob("*.rules") if p.is_file())
    return found


def expand(recipe: Path) -> bytes:
    """The bytes a `NAME.recipe.toml` describes: its parts in order, each `text` (UTF-8; with `times`,
    repeated that many times with `{i}` replaced by 0, 1, …) or `hex` (raw bytes)."""
    out = io.BytesIO()
    for part in tomllib.loads(recipe.read_text("utf-8"))["part"]:
        if "hex" in part:
            out.write(bytes.fromhex(part["hex"]))
            continue
        text: str = part["text"]
        if "times" in part:
            if "{i}" in text:
                for i in range(part["times"]):
                    out.write(text.replace("{i}", str(i)).encode("utf-8"))
            else:
                out.write(text.encode("utf-8") * part["times"])
        else:
            out.write(text.encode("utf-8"))
    return out.getvalue()


def prepare(entry: Path, into: Path) -> tuple[dict[str, Any], Path]:
    """Copy the entry into a fresh folder and expand its recipes; (its run.toml, the folder)."""
    work = into / entry.name
    if entry.is_dir():
        shutil.copytree(entry, work, symlinks=True)
        run = tomllib.loads((work / "run.toml").read_text("utf-8"))
        for recipe in sorted(work.rglob("*" + RECIPE)):
            recipe.with_name(recipe.name[: -len(RECIPE)]).write_bytes(expand(recipe))
    else:  # a bare rule file: checked
        work.mkdir()
        shutil.copy(entry, work / entry.name)
        run = {"command": ["check", entry.name]}
    return run, work


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _control_characters(text: str) -> list[str]:
    """Characters that a terminal would act on: C0 controls but tab and newline, DEL, C1 controls."""
    return [repr(c) for c in text if (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0]


def run_entry(run: dict[str, Any], work: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, *run["python"]] if "python" in run else [sys.executable, "-m", "perfrules", *run["command"]]
    env = {**os.environ, "PERFRULES_LANG": "en", "NO_COLOR": "1", "PERFRULES_NO_CACHE": "1"}
    env.pop("PERFRULES_DEBUG", None)
    try:
        return subprocess.run(argv, cwd=work, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=TIME_LIMIT, preexec_fn=_limits, env=env)
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        pytest.fail(f"{work.name}: still running after {TIME_LIMIT:g} s (the corpus's limit per file)")


@pytest.mark.parametrize("entry", entries(), ids=lambda p: p.name)
def test_corpus_entry(entry: Path, tmp_path: Path) -> None:
    run, work = prepare(entry, tmp_path)
    before = _digests(work)
    proc = run_entry(run, work)
    said = f"exit {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}"
    if "exit" in run:
        assert proc.returncode == run["exit"], said
    else:
        assert proc.returncode in (0, 1), said
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream, said
        assert "internal error" not in stream, said
        assert "MemoryError" not in stream, said
        assert not _control_characters(stream), (_control_characters(stream)[:5], said)
    after = _digests(work)
    assert {k: after.get(k) for k in before} == before, "an input file changed"
    for wanted in run.get("stdout", []):
        assert wanted in proc.stdout, (wanted, said)
    for wanted in run.get("stderr", []):
        assert wanted in proc.stderr, (wanted, said)
    if run.get("csv_output"):
        cells = [cell for row in csv.reader(io.StringIO(proc.stdout)) for cell in row]
        assert cells, said
        formulas = [c for c in cells if c.startswith(FORMULA_STARTS) and not _number(c)]
        assert not formulas, formulas


def _number(cell: str) -> bool:
    try:
        return Decimal(cell).is_finite()
    except InvalidOperation:
        return False


def test_a_recipe_expands_as_its_readme_says(tmp_path: Path) -> None:
    recipe = tmp_path / "f.toml.recipe.toml"
    recipe.write_text('[[part]]\ntext = "[facts]\\n"\n[[part]]\ntext = "k{i} = {i}\\n"\ntimes = 3\n'
                      '[[part]]\ntext = "ab"\ntimes = 2\n[[part]]\nhex = "ff0a"\n', "utf-8")
    assert expand(recipe) == b"[facts]\nk0 = 0\nk1 = 1\nk2 = 2\nabab\xff\n"


def test_the_harness_kills_a_run_past_the_time_limit(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="still running after 5 s"):
        run_entry({"python": ["-c", "import time; time.sleep(30)"]}, tmp_path)


def test_the_harness_bounds_memory(tmp_path: Path) -> None:
    # 2 GB asked for under a 1 GB limit: a clean MemoryError in the child, not a machine swapping
    proc = run_entry({"python": ["-c", "b = bytearray(2 << 30)"]}, tmp_path)
    assert proc.returncode == 1 and "MemoryError" in proc.stderr


def test_every_corpus_entry_names_its_issue() -> None:
    for entry in entries():
        if entry.is_dir():
            run = tomllib.loads((entry / "run.toml").read_text("utf-8"))
            assert "issue" in run and ("command" in run) != ("python" in run), entry
