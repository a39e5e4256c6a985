"""Running a batch: the records of a `BatchInput` scored in order, in one process or several,
each chunk's output copied in input order; a stop (a dead worker, a full disk, Ctrl-C, SIGTERM)
leaves the results before it written whole. `run_batch` is what `perfrules eval --batch` calls."""

from __future__ import annotations

import collections
import contextlib
import errno
import io
import multiprocessing
import os
import signal
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

import attrs

from perfrules.catalogue import Lang, Said, usage
from perfrules.engine import Ruleset, loads
from perfrules.tools.batch import Done, Scorer
from perfrules.tools.batch_input import BatchInput, Chunk, check_header

WINDOW = 4  # chunks in flight per worker: bounds memory, keeps workers busy

_worker: Scorer | None = None


def _init_worker(text: str, name: str, kind: str, header: list[str] | None, fmt: str, label: str,
                 path: str, lang: Lang = "en") -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the parent stops the batch and ends the workers, which
    # must not print a KeyboardInterrupt traceback each. SIGTERM ends a worker as it ends any process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker = Scorer(loads(text, name, pause_gc=True), kind, header, fmt, label, path, lang)


def _score_chunk(chunk: Chunk, spill: str) -> Done:
    """Score a chunk in a worker; its output goes to the file `spill`, not back through the pipe."""
    assert _worker is not None
    scored, failed, data, report = _worker.score_chunk(chunk)
    with open(spill, "wb") as f:
        f.write(data)
    return scored, failed, b"", report


class Spill:
    """A chunk's output left by a worker in a file, for the parent to copy in order."""

    def __init__(self, path: str):
        self.path = path

    def copy_to(self, out: IO[bytes]) -> None:
        with open(self.path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            try:
                target = out.fileno()
            except (AttributeError, OSError, io.UnsupportedOperation):
                out.write(f.read())
            else:
                out.flush()
                offset = 0
                while offset < size:  # the kernel copies: the parent never holds the text
                    try:
                        sent = os.sendfile(target, f.fileno(), offset, size - offset)
                    except OSError as exc:
                        if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                            raise
                        # an output sendfile cannot write to (/dev/full, some devices): an ordinary
                        # write, which also gives the real reason it fails (ENOSPC, not EINVAL)
                        f.seek(offset)
                        out.write(f.read())
                        out.flush()
                        break
                    if sent == 0:
                        break
                    offset += sent
        os.unlink(self.path)


class BatchStopped(Exception):
    """The batch stopped part way; the results of the records before are written, in order.
    `said` is the error; `what` says why in a few words, for the summary line."""

    what = usage.STOPPED

    def __init__(self, said: Said) -> None:
        super().__init__(said.en)
        self.said = said


class WorkerDied(BatchStopped):
    """A worker process ended in the middle of the batch (killed, or out of memory)."""

    what = usage.STOPPED_WORKER_DIED


class SpillFailed(BatchStopped):
    """A worker could not write a chunk's results to the spill folder (a full or read-only /tmp)."""

    what = usage.STOPPED_SPILL_FAILED


def score_stream(ruleset: Ruleset, source: BatchInput, fmt: str = "json", workers: int = 1,
                 label: str | None = None,
                 lang: Lang = "en") -> Generator[tuple[int, int, bytes | Spill, str], None, None]:  # fmt: skip
    """Score every record of `source` in order, streaming; one `Done` per chunk of records.

    One chunk in, one chunk out: a worker gets a block of raw lines (or rows, or
    paths; from a regular .jsonl file just its offset) and leaves its output in a
    spill file that the parent copies to the output in order (kernel to kernel), so
    little crosses between processes. A failed record's report on stderr is in `lang`.

    A worker that dies (`kill -9`, the kernel's OOM killer) breaks the pool: WorkerDied is
    raised once the chunks before it have been yielded, and the other workers and the spill
    folder are cleaned up, as they are when the caller stops early (closes the generator).
    """
    header = source.read_header()
    label = label if label is not None else source.path.name
    if workers <= 1:
        kept = ruleset.keep_values  # a Scorer with reasons sets it for the batch; the caller's ruleset gets it back
        scorer = Scorer(ruleset, source.kind, header, fmt, label, str(source.path), lang)
        try:
            for chunk in source.chunks():
                yield scorer.score_chunk(chunk)
        finally:
            ruleset.keep_values = kept
            if scorer.file is not None:
                scorer.file.close()
        return
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context()
    text = ruleset.model.source.text
    setup = (text, ruleset.display_name, source.kind, header, fmt, label, str(source.path), lang)
    with tempfile.TemporaryDirectory(prefix="perfrules-batch-") as spill_dir:
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=setup)
        finished = False
        try:
            pending: collections.deque[tuple[Future[Done], str]] = collections.deque()

            def done() -> tuple[int, int, Spill, str]:
                future, spill = pending.popleft()
                try:
                    scored, failed, _, report = future.result()
                except BrokenProcessPool:
                    raise WorkerDied(usage.BATCH_WORKER_DIED()) from None
                except OSError as exc:
                    raise SpillFailed(usage.BATCH_SPILL_FAILED(folder=spill_dir, reason=str(exc.strerror or exc))) \
                        from None
                return scored, failed, Spill(spill), report

            for number, chunk in enumerate(source.chunks()):
                spill = os.path.join(spill_dir, f"{number}.out")
                try:
                    future = pool.submit(_score_chunk, chunk, spill)
                except BrokenProcessPool:
                    while pending:  # the chunks scored before the death are still written, in order
                        yield done()
                    raise WorkerDied(usage.BATCH_WORKER_DIED()) from None
                pending.append((future, spill))
                while len(pending) >= WINDOW * workers:
                    yield done()
            while pending:
                yield done()
            finished = True
        finally:
            if not finished:
                # stopped early (an interrupt, a dead worker, an output that cannot be written): the
                # workers' unstarted chunks are dropped and running ones cut short, not waited for
                for future, _ in pending:
                    future.cancel()
                # the executor keeps its processes in `_processes` (CPython 3.8 to 3.13); without it,
                # shutdown below waits for the running chunks instead
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)


class Progress(Protocol):
    """What `run_batch` tells of its progress (the command line draws it: perfrules.cli.progress)."""

    def update(self, scored: int, failed: int) -> None: ...

    def clear(self) -> None: ...  # before a failed record's report is written


@attrs.define
class Tally:
    """Records scored and failed so far, and whether all of them are written out."""

    scored: int = 0
    failed: int = 0


class Interrupted(Exception):
    """The batch was stopped by SIGINT or SIGTERM."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class StopRequests:
    """SIGINT and SIGTERM during a batch, made into Interrupted where the output allows it.

    While a chunk's results are being written, and while the batch cleans up, a signal is noted
    and acted on once that is done, so the output ends on a whole record and the workers and
    spill files are removed; anywhere else (waiting for a worker, reading a pipe) it stops the
    batch at once. A second signal stops it at once in any case.
    """

    def __init__(self) -> None:
        self.deferring = False
        self.received: int | None = None

    def _handle(self, signum: int, frame: Any) -> None:
        first = self.received is None
        if first:
            self.received = signum
        if not (first and self.deferring):
            raise Interrupted(signum)

    @contextlib.contextmanager
    def installed(self) -> Iterator[StopRequests]:
        """Take SIGINT and SIGTERM for the duration (in the main thread; elsewhere they are not ours)."""
        try:
            previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:
            yield self
            return
        try:
            yield self
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)


def run_batch(ruleset: Ruleset, path: Path, out: IO[str], err: IO[str], fmt: str = "json",
              workers: int = 1, progress: Progress | None = None, lang: Lang = "en", tally: Tally | None = None,
              signals: StopRequests | None = None) -> tuple[int, int]:  # fmt: skip
    """Score a batch into `out`, report failures on `err` (in `lang`), tell `progress` after each
    chunk; return (scored, failed).

    `tally` counts the records as their results are written, so that a batch that stops
    (WorkerDied, an OSError, Interrupted) can still say how far it got. With `signals`
    installed, SIGINT and SIGTERM stop the batch as `StopRequests` says.
    """
    tally = tally if tally is not None else Tally()
    signals = signals if signals is not None else StopRequests()  # not installed: receives nothing
    source = BatchInput(path)
    scorer_header = source.read_header()
    if scorer_header is not None:
        check_header(scorer_header, str(path))
    buffer: IO[bytes] | None = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()

    def write(data: bytes | Spill) -> None:
        if isinstance(data, Spill):
            if buffer is not None:
                data.copy_to(buffer)
            else:
                with open(data.path, "rb") as f:
                    out.write(f.read().decode("utf-8"))
                os.unlink(data.path)
        elif buffer is not None:
            buffer.write(data)
        else:
            out.write(data.decode("utf-8"))

    if fmt == "csv":
        write(Scorer(ruleset, source.kind, scorer_header, fmt, path.name).csv_header().encode("utf-8"))
    stream = score_stream(ruleset, source, fmt, workers, path.name, lang)
    try:
        for n_scored, n_failed, data, report in stream:
            signals.deferring = True  # a chunk is written whole, and counted
            write(data)
            tally.scored += n_scored
            tally.failed += n_failed
            if report:
                if progress is not None:
                    progress.clear()
                err.write(report)
            if progress is not None:
                progress.update(tally.scored, tally.failed)
            signals.deferring = False
            if signals.received is not None:
                raise Interrupted(signals.received)
    except WorkerDied:
        # SIGTERM to the whole process group ends the workers too: that is the interrupt, not a crash
        if signals.received is not None:
            raise Interrupted(signals.received) from None
        raise
    finally:
        signals.deferring = True  # the clean-up is not cut short
        stream.close()  # a batch that stops ends its workers and removes its spill folder now
        if progress is not None:
            progress.clear()
        if buffer is not None:
            with contextlib.suppress(OSError, ValueError):
                buffer.flush()
    return tally.scored, tally.failed
