"""The library's source stays ruff-clean and mypy --strict clean (issue: both are part of done)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_is_clean_on_src() -> None:
    if shutil.which("ruff") is None and _run("ruff", "--version").returncode != 0:
        pytest.fail("ruff is not installed: `pip install .[test]` installs it")
    proc = _run("ruff", "check", "src")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean_on_src() -> None:
    proc = _run("mypy", "--strict", "src/perfrules")
    assert proc.returncode == 0, proc.stdout + proc.stderr
