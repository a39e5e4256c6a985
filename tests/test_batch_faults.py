"""Issue 16, items 7 and 12, and the fault-injection test it asks for: a batch that is stopped
part way ends cleanly.

A worker killed with `kill -9`, SIGINT and SIGTERM (to the process or its whole group, as
Ctrl-C and service managers send them) and a disk that is full: after each, the exit code
says what happened (1, 130, 143), the summary line says how far the batch got, the output
is a prefix of the complete output that ends on a whole record, no traceback or stray
`Process ForkPoolWorker` line is printed, and no spill folder or temporary file is left.

The records come through a FIFO that the test keeps open, so the batch cannot finish before
the fault however fast or slow the machine is; the fault is injected once output has appeared.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

RULES = 'ruleset "k" { total 10 }\ninput x: number\ninput id: text\nindicator A weight 10 { score x }\n'
PAD = "p" * 150  # ~200-byte lines: a worker gets 512 KB blocks, so the first output needs ~20,000 records
RECORDS = 60_000


def _line(k: int) -> str:
    return json.dumps({"x": k % 10, "id": f"{k}-{PAD}"}) + "\n"


def _complete_output(n: int) -> str:
    # row k scores x = (k - 1) % 10 points of 10, with 2 decimals
    return "".join(json.dumps({"row": k, "id": f"{k - 1}-{PAD}", "total": f"{(k - 1) % 10}.00", "rating": None,
                               "points": {"A": f"{(k - 1) % 10}.00"}}) + "\n" for k in range(1, n + 1))


class Batch:
    """`perfrules eval k.rules --batch in.jsonl …` reading from a FIFO the test writes."""

    def __init__(self, folder: Path, *args: str, new_session: bool = True):
        self.folder = folder
        (folder / "k.rules").write_text(RULES, "utf-8")
        self.fifo = folder / "in.jsonl"
        os.mkfifo(self.fifo)
        self.tmp = folder / "tmp"  # the batch's spill folders go here (TMPDIR)
        self.tmp.mkdir()
        self.stdout = folder / "stdout"
        env = {**os.environ, "TMPDIR": str(self.tmp)}
        with open(self.stdout, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "perfrules", "eval", "k.rules", "--batch", "in.jsonl",
                                          *args], cwd=folder, stdout=out, stderr=subprocess.PIPE, env=env,
                                         start_new_session=new_session)
        self.writer = open(self.fifo, "w", encoding="utf-8")
        self.feeding = threading.Thread(target=self._feed, daemon=True)
        self.feeding.start()

    def _feed(self) -> None:
        try:
            for k in range(RECORDS):
                self.writer.write(_line(k))
            self.writer.flush()
        except (BrokenPipeError, ValueError):
            pass  # the batch stopped reading

    def wait_for_output(self, path: Path | None = None) -> None:
        target = path or self.stdout
        deadline = time.monotonic() + 120
        while not (target.exists() and target.stat().st_size > 0):
            assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else ""
            assert time.monotonic() < deadline, "no output after 120 s"
            time.sleep(0.05)

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def close_input(self) -> None:
        self.feeding.join(timeout=120)
        try:
            self.writer.close()
        except BrokenPipeError:
            pass

    def finish(self) -> tuple[int, str, str]:
        self.close_input()
        _, err = self.proc.communicate(timeout=120)
        return self.proc.returncode, self.stdout.read_text("utf-8"), err.decode("utf-8")


@pytest.fixture
def batch(tmp_path: Path) -> Iterator[list[Batch]]:
    started: list[Batch] = []
    yield started
    for b in started:  # a failed assertion must not leave a batch running
        if b.proc.poll() is None:
            b.proc.kill()
            b.proc.wait()


def _check_stopped(code: int, out: str, err: str, expected_code: int, what: str, tmp: Path) -> int:
    assert code == expected_code, err
    assert "Traceback" not in err and "ForkPoolWorker" not in err and "internal error" not in err, err
    summary = err.strip().splitlines()[-1]
    scored = int(summary.split(" scored")[0].replace(",", ""))
    assert summary == (f"{scored:,} scored, 0 failed; stopped: {what}; "
                       "the results of those records are written, in order")
    assert out == _complete_output(scored)  # a prefix of the whole output, ending on a whole record
    assert list(tmp.iterdir()) == []  # no spill folder left
    return scored


def test_a_killed_worker_ends_the_batch_with_a_clear_error(tmp_path: Path, batch: list[Batch]) -> None:
    b = Batch(tmp_path, "--workers", "2")
    batch.append(b)
    b.wait_for_output()
    os.kill(b.workers()[0], signal.SIGKILL)
    code, out, err = b.finish()
    _check_stopped(code, out, err, 1, "a worker process died", b.tmp)
    assert "perfrules: error: a worker process ended in the middle of the batch (killed, or out of memory)" in err


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize(("sig", "group"), [(signal.SIGINT, True), (signal.SIGTERM, True), (signal.SIGTERM, False),
                                            (signal.SIGINT, False)],
                         ids=["ctrl-c", "sigterm-to-group", "sigterm", "sigint"])
def test_an_interrupted_batch_ends_cleanly(tmp_path: Path, batch: list[Batch], sig: signal.Signals, group: bool,
                                           workers: str) -> None:
    b = Batch(tmp_path, "--workers", workers)
    batch.append(b)
    b.wait_for_output()
    if group:
        os.killpg(b.proc.pid, sig)
    else:
        os.kill(b.proc.pid, sig)
    code, out, err = b.finish()
    _check_stopped(code, out, err, 128 + sig, f"interrupted by {sig.name}", b.tmp)


def test_an_interrupted_batch_leaves_its_output_file_as_it_was(tmp_path: Path, batch: list[Batch]) -> None:
    (tmp_path / "results.jsonl").write_text("earlier results\n", "utf-8")
    b = Batch(tmp_path, "--workers", "2", "-o", "results.jsonl")
    batch.append(b)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".results.jsonl.") and p.stat().st_size for p in tmp_path.iterdir()):
        assert b.proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(b.proc.pid, signal.SIGTERM)
    code, _, err = b.finish()
    assert code == 143 and "Traceback" not in err
    assert err.strip().endswith("stopped: interrupted by SIGTERM; results.jsonl is left as it was")
    assert (tmp_path / "results.jsonl").read_text("utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "k.rules", "results.jsonl", "stdout", "tmp"]
    assert list(b.tmp.iterdir()) == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_ends_the_batch_with_a_plain_error(tmp_path: Path, workers: str) -> None:
    # /dev/full fails every write with ENOSPC, as a full disk does
    (tmp_path / "k.rules").write_text(RULES, "utf-8")
    (tmp_path / "in.jsonl").write_text("".join(_line(k) for k in range(30_000)), "utf-8")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "perfrules", "eval", "k.rules", "--batch", "in.jsonl", "--workers",
                           workers, "-o", "/dev/full"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == "perfrules: error: cannot write /dev/full: No space left on device"
    assert lines[-1].endswith("failed; stopped: the output could not be written; "
                              "the results of those records are written, in order")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "k.rules"]  # no spill folder


def test_a_full_disk_under_the_output_file_leaves_it_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """ENOSPC part way through the temporary file beside `-o FILE`: FILE keeps its earlier content."""
    import errno

    from perfrules.cli import main
    from perfrules.tools import batch as batch_module
    from perfrules.tools import batch_input

    (tmp_path / "k.rules").write_text(RULES, "utf-8")
    (tmp_path / "in.jsonl").write_text("".join(_line(k) for k in range(3_000)), "utf-8")
    (tmp_path / "out.jsonl").write_text("earlier\n", "utf-8")
    real = batch_module.Scorer.score_chunk
    calls = [0]

    def full_after_one_chunk(self: batch_module.Scorer, chunk: batch_input.Chunk) -> batch_module.Done:
        calls[0] += 1
        if calls[0] > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, chunk)

    monkeypatch.setattr(batch_module.Scorer, "score_chunk", full_after_one_chunk)
    monkeypatch.setattr(batch_input, "BLOCK", 64 * 1024)  # several chunks from 600 KB of records
    code = main(["eval", str(tmp_path / "k.rules"), "--batch", str(tmp_path / "in.jsonl"), "-o",
                 str(tmp_path / "out.jsonl")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"cannot write {tmp_path / 'out.jsonl'}: No space left on device" in err
    assert err.strip().endswith(f"stopped: the output could not be written; {tmp_path / 'out.jsonl'} is left as it was")
    assert (tmp_path / "out.jsonl").read_text("utf-8") == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "k.rules", "out.jsonl"]
