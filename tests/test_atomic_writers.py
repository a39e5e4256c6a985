"""Every file perfrules writes is written whole or not at all (issue 16, items 10 and 11).

Each writer (`report` as Markdown, HTML and xlsx, `summary` as HTML and xlsx, `import -o`,
`test --junit-xml`, `fmt`, `new facts -o`, `eval -o`) is made to fail three ways: a write that
the file-size limit stops part way (RLIMIT_FSIZE in the child, as a full disk would), `/dev/full`,
and a folder as the output. Each time the command says `cannot write FILE: reason` and exits 1,
an earlier file of that name is as it was, and no temporary file is left beside it.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from perfrules.files import CannotWrite, write_atomically

from .conftest import ROOT
from .test_workbook import RULES_V1, _v1_form

RULES = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"
FACTS = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.facts.toml"
OLD = "an earlier file, kept\n"
SMALL = 64  # bytes: every output below is larger, so the limit stops each write part way


def _limited(size: int | None) -> None:  # pragma: no cover - runs in the child
    if size is not None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _cli(args: list[str], cwd: Path, size: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PERFRULES_NO_CACHE": "1", "PERFRULES_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "perfrules", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=60, env=env,
                          preexec_fn=lambda: _limited(size))


def _writers(tmp: Path) -> dict[str, list[str]]:
    """Each writer's command, with OUT where its output file goes."""
    (tmp / "r1.rules").write_text(RULES_V1, "utf-8")
    _v1_form(tmp / "form.xlsx")
    (tmp / "results.jsonl").write_text(
        '{"row": 1, "total": "90.00", "rating": "优", "points": {"a": "90.00"}, "reasons": []}\n', "utf-8")
    # a cases file reads only what is inside the tree being tested: its rules and facts beside it
    (tmp / "x.rules").write_bytes(RULES.read_bytes())
    (tmp / "x.facts.toml").write_bytes(FACTS.read_bytes())
    (tmp / "x.cases.toml").write_text('rules = "x.rules"\n[[case]]\nname = "published"\nfacts = "x.facts.toml"\n'
                                      '[case.expect]\ntotal = "97.21"\n', "utf-8")
    return {
        "report-markdown": ["report", str(RULES), str(FACTS), "--format", "markdown", "-o", "OUT"],
        "report-html": ["report", str(RULES), str(FACTS), "--format", "html", "-o", "OUT"],
        "report-xlsx": ["report", str(RULES), str(FACTS), "--format", "xlsx", "-o", "OUT"],
        "summary-html": ["summary", "results.jsonl", "-o", "OUT"],
        "summary-xlsx": ["summary", "results.jsonl", "-o", "OUT"],
        "import": ["import", "form.xlsx", "--rules", "r1.rules", "-o", "OUT"],
        "junit": ["test", "x.cases.toml", "--junit-xml", "OUT"],
        "new-facts": ["new", "facts", str(RULES), "-o", "OUT", "--force"],
        "eval": ["eval", str(RULES), str(FACTS), "-o", "OUT"],
    }


SUFFIX = {"report-xlsx": ".xlsx", "summary-xlsx": ".xlsx", "import": ".toml", "junit": ".xml", "new-facts": ".toml",
          "report-markdown": ".md", "eval": ".txt"}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("writer", [*list(SUFFIX), "report-html", "summary-html"])
def test_a_write_stopped_part_way_leaves_the_earlier_file(writer: str, tmp_path: Path) -> None:
    command = _writers(tmp_path)[writer]
    out = tmp_path / ("out" + SUFFIX.get(writer, ".html"))
    out.write_text(OLD, "utf-8")
    proc = _cli([out.name if a == "OUT" else a for a in command], tmp_path, size=SMALL)
    assert proc.returncode == 1, proc.stderr
    assert f"perfrules: error: cannot write {out.name}: File too large" in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert out.read_text("utf-8") == OLD
    assert _leftovers(tmp_path) == []
    # and without the limit the same command writes the whole file
    proc = _cli([out.name if a == "OUT" else a for a in command], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() != OLD.encode() and out.stat().st_size > SMALL
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("writer", [*list(SUFFIX), "report-html", "summary-html"])
def test_dev_full_and_a_folder_are_cannot_write(writer: str, tmp_path: Path) -> None:
    command = _writers(tmp_path)[writer]
    folder = tmp_path / ("a-folder" + SUFFIX.get(writer, ".html"))
    folder.mkdir()
    for target, reason in (("/dev/full", "No space left on device"), (folder.name, "Is a directory")):
        proc = _cli([target if a == "OUT" else a for a in command], tmp_path)
        assert proc.returncode == 1, (target, proc.stderr)
        assert proc.stderr.strip().endswith(f"perfrules: error: cannot write {target}: {reason}"), proc.stderr
        assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert folder.is_dir() and not any(folder.iterdir())
    assert _leftovers(tmp_path) == []


def test_fmt_that_cannot_write_keeps_the_file_and_says_so(tmp_path: Path) -> None:
    rules = tmp_path / "messy.rules"
    messy = ('ruleset "m" {total 10}\n# a comment the formatter keeps, to make the file longer\n'
             "indicator   A   weight 10 {full}\n")
    rules.write_text(messy, "utf-8")
    proc = _cli(["fmt", rules.name], tmp_path, size=SMALL)  # the formatted text is over 64 bytes
    assert proc.returncode == 1, proc.stderr
    assert "perfrules: error: cannot write messy.rules: File too large" in proc.stderr
    assert "0 files reformatted, 0 unchanged, 1 with errors" in proc.stderr
    assert rules.read_text("utf-8") == messy
    assert _leftovers(tmp_path) == []
    proc = _cli(["fmt", rules.name], tmp_path)
    assert proc.returncode == 0 and rules.read_text("utf-8") != messy


def test_write_atomically_keeps_permissions_and_writes_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "kept.rules"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.rules"
    link.symlink_to(target.name)
    write_atomically(link, "new")
    assert link.is_symlink() and target.read_text("utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    write_atomically(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    with pytest.raises(CannotWrite) as caught:
        write_atomically(tmp_path, "x")
    assert caught.value.reason == "Is a directory"
    assert _leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "o.txt"
    out.write_text(OLD, "utf-8")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, "new")
    assert out.read_text("utf-8") == OLD and _leftovers(tmp_path) == []
