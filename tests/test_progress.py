"""Progress bars of `eval --batch` and `test --properties`: on a terminal only, with the total,
the percentage and the time left when the total is known; tqdm never imported otherwise."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from perfrules.cli import main, progress
from perfrules.tools import batch_input
from perfrules.tools.batch_input import BatchInput

RULES = """\
ruleset "进度" {
  total 10
  precision 2
}
input rate: percent
indicator 执行 weight 10 { ratio rate }
"""


class Terminal(io.StringIO):
    """stderr as a terminal sees it."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """A terminal, outside CI, every update drawn (no 0.2 s wait). A test puts it in sys.stderr
    itself: pytest sets its own sys.stderr between a fixture and the test."""
    stream = Terminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0)
    return stream


def frames(stream: io.StringIO) -> list[str]:
    """What the terminal showed, one redraw each (tqdm redraws a line after a carriage return)."""
    return [frame.strip() for frame in stream.getvalue().split("\r") if frame.strip()]


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "r.rules"
    path.write_text(RULES, encoding="utf-8")
    return path


def test_a_batch_on_a_terminal_shows_counts_percentage_time_left_and_rate(
        terminal: Terminal, tmp_path: Path, rules_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", terminal)
    data = tmp_path / "b.jsonl"
    # 3 records and a blank line: the total is 3; the second record fails (F206, "abc" is no percent)
    data.write_text('{"rate": "95%"}\n{"rate": "abc"}\n\n{"rate": "80%"}\n', encoding="utf-8")
    # English: the rule file's title is Chinese, so without --lang the bar is in Chinese (below)
    assert main(["eval", str(rules_file), "--batch", str(data), "-o", str(tmp_path / "out.jsonl"), "--lang", "en"]) == 1
    shown = frames(terminal)
    assert shown[0].startswith("0 scored, 0 failed   0%|")
    assert "[00:00<?" in shown[0]  # the time left: unknown before the first record
    # one chunk holds all three records: the next frame is the whole batch, 3 of 3
    done = next(frame for frame in shown if frame.startswith("2 scored, 1 failed"))
    assert "100%|" in done and "<00:00" in done and "records/s]" in done
    assert shown[-1].endswith("2 scored, 1 failed")  # the last line, after the bar is cleared


def test_a_chinese_batch_bar(terminal: Terminal, tmp_path: Path, rules_file: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    data = tmp_path / "b.jsonl"
    data.write_text('{"rate": "95%"}\n{"rate": "abc"}\n\n{"rate": "80%"}\n', encoding="utf-8")
    assert main(["eval", str(rules_file), "--batch", str(data), "-o", str(tmp_path / "out.jsonl")]) == 1
    shown = frames(terminal)
    assert shown[0].startswith("已评分0条，失败0条   0%|")
    done = next(frame for frame in shown if frame.startswith("已评分2条，失败1条"))
    assert "100%|" in done and "条/秒]" in done
    assert shown[-1].endswith("已评分2条，失败1条")


def test_the_bar_numbers_as_the_last_line_does(terminal: Terminal) -> None:
    bar = progress.BatchBar(terminal, 20000)
    bar.update(12345, 2)
    bar.close()
    # 12,347 of 20,000 records: 61.7…%, shown as 62%
    assert any(frame.startswith("12,345 scored, 2 failed  62%|") for frame in frames(terminal))


def test_a_batch_whose_total_is_unknown_shows_counts_and_rate_without_percentage(terminal: Terminal) -> None:
    bar = progress.BatchBar(terminal, None)
    bar.update(3, 1)
    bar.close()
    shown = frames(terminal)
    assert shown[-1].startswith("3 scored, 1 failed [00:00, ") and shown[-1].endswith("records/s]")
    assert not any("%" in frame for frame in shown)


def test_no_bar_into_a_pipe_or_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, rules_file: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "b.jsonl"
    data.write_text('{"rate": "95%"}\n', encoding="utf-8")
    assert main(["eval", str(rules_file), "--batch", str(data), "--lang", "en"]) == 0
    assert capsys.readouterr().err == "1 scored, 0 failed\n"  # captured stderr is not a terminal
    monkeypatch.setenv("CI", "true")
    assert not progress.shown(Terminal())
    monkeypatch.setenv("CI", "false")
    assert progress.shown(Terminal())


def test_property_checks_show_a_bar_per_file(terminal: Terminal, rules_file: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["test", str(rules_file), "--properties", "--examples", "5", "--seed", "1"]) == 0
    shown = frames(terminal)
    # one check (the invariants) of 5 examples
    assert shown[0].startswith("r.rules   0%|")
    assert any(frame.startswith("r.rules 100%|") and frame.endswith("examples/s]") for frame in shown)
    assert "ok   property: invariants" in capsys.readouterr().out


def test_the_property_bar_moves_by_each_checks_examples_whatever_hypothesis_runs(terminal: Terminal) -> None:
    bar = progress.PropertyBar(terminal, "r.rules", 2, 5)
    bar.start_check()
    for _ in range(9):  # shrinking runs the body more often than the examples asked for
        bar.example()
    bar.end_check()
    bar.start_check()
    bar.example()  # hypothesis stopped early: a small space of facts
    bar.end_check()
    bar.close()
    percents = [frame.split("%")[0].split()[-1] for frame in frames(terminal)]
    # 10 examples in all: the first check holds at 5 (50%) however often it runs, the second
    # starts at 6 (60%) and ends at 10 (100%)
    assert percents == ["0", "10", "20", "30", "40", "50", "60", "100"]


def test_count_of_records_for_the_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_input, "BLOCK", 4)  # lines cut across blocks are counted once
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_bytes(b'{"rate": "95%"}\n  \n\n{"rate": "80%"}\r\n{"rate": "1%"}')  # no newline at the end
    assert BatchInput(jsonl).count() == 3
    table = tmp_path / "b.csv"
    table.write_text("rate\n95%\n\n80%\n", encoding="utf-8")  # a header, two rows
    assert BatchInput(table).count() == 2
    folder = tmp_path / "facts"
    folder.mkdir()
    for name in ("a.toml", "b.toml", "c.cases.toml", "notes.txt"):
        (folder / name).write_text("", encoding="utf-8")
    assert BatchInput(folder).count() == 2  # the facts files only, as the batch reads them


def test_a_pipe_is_not_read_to_count_it(tmp_path: Path) -> None:
    fifo = tmp_path / "b.jsonl"
    os.mkfifo(fifo)
    assert BatchInput(fifo).count() is None  # returns at once: opening the pipe would wait for a writer


def test_tqdm_is_imported_only_when_a_bar_is_drawn(tmp_path: Path, rules_file: Path) -> None:
    facts = tmp_path / "f.toml"
    facts.write_text('[facts]\nrate = "95%"\n', encoding="utf-8")
    data = tmp_path / "b.jsonl"
    data.write_text('{"rate": "95%"}\n', encoding="utf-8")
    code = (
        "import sys\n"
        "from perfrules.cli import main\n"
        f"main(['eval', {str(rules_file)!r}, {str(facts)!r}])\n"
        f"main(['eval', {str(rules_file)!r}, '--batch', {str(data)!r}])\n"
        "print('tqdm' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PERFRULES_NO_CACHE": "1"})
    assert done.stderr.splitlines()[-1] == "False"
    assert json.loads(done.stdout.splitlines()[-1])["total"] == "9.50"  # 95% of 10 points
