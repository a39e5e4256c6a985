"""Files in and out: reads that stop at a size limit, writes that are whole or not at all.

Every input file is read with `read_limited`, so `/dev/zero` or a 3 GB file costs at
most limit + 1 bytes; every output is written with `save_atomically` (issue 16; docs/limits.md).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Sizes, in bytes, past which a file is refused (docs/limits.md).
MAX_RULES_BYTES = 2_000_000
MAX_FACTS_BYTES = 2_000_000
MAX_CASES_BYTES = 2_000_000
MAX_RECORD_BYTES = 1_000_000  # one JSON line or CSV row of a batch
# A form (.xlsx/.xlsm: its parts once unpacked, as the zip's directory declares them and the zip
# reader holds them to; .xls, .csv: the file). A filed 自评表 is tens of kilobytes; a 1.4 MB zip
# unpacking to 1.5 GB took 30 s and 3 GB before this limit (issue 16, found by tests/corpus).
MAX_FORM_BYTES = 20_000_000


def output_path(text: str) -> Path | None:
    """`-o FILE` as the command line reads it: `-o -` is the standard output (None), as most
    tools read it, not a file named `-`."""
    return None if text == "-" else Path(text)


class TooLarge(Exception):
    """A file holds more than its limit; `limit` is that limit in bytes."""

    def __init__(self, path: str, limit: int):
        super().__init__(f"{path} is larger than {limit:,} bytes")
        self.path = path
        self.limit = limit


def read_limited(path: str | Path, limit: int) -> bytes:
    """The bytes of a file, or TooLarge as soon as more than `limit` are found (never reads more)."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(str(path), limit)
    return data


class CannotWrite(Exception):
    """A file could not be written (`/dev/full`, a folder, no permission, a full disk): `reason` is
    the system's words. The command line says `cannot write FILE: reason` and exits 1."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


def save_atomically(path: str | Path, save: Callable[[Path], None]) -> None:
    """Write a whole file or nothing: `save(temporary)` writes it to a new file beside `path`, which
    is then renamed over `path`, so a failed or stopped write leaves an earlier file as it was and no
    temporary file behind. A device or a pipe (`/dev/null`, `/dev/full`, a FIFO) is written
    directly. Any OSError becomes CannotWrite."""
    path = Path(path)
    try:
        if path.is_symlink():
            path = path.resolve()  # the file the link names is replaced, the link stays
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if path.exists() and not path.is_file():
            save(path)
            return
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        # created as open() creates files (0666 less the umask), not mkstemp's 0600
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        try:
            save(temporary)
            if mode is not None:
                os.chmod(temporary, mode)  # a rewritten file keeps its permissions
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise CannotWrite(str(path), exc.strerror or str(exc)) from exc


def write_atomically(path: str | Path, text: str | bytes) -> None:
    """Write a whole file (text as UTF-8, newlines as given; or bytes) or nothing: see save_atomically."""

    def save(target: Path) -> None:
        if isinstance(text, bytes):
            with open(target, "wb") as out:
                out.write(text)
            return
        with open(target, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    save_atomically(path, save)


def write_workbook(path: str | Path, workbook: Any) -> None:
    """Write an openpyxl workbook whole or not at all (see save_atomically). It is made in memory
    first: openpyxl saving straight to a device that fails (`/dev/full`) leaves a ZipFile whose
    cleanup prints a traceback; and what openpyxl writes on the way (its own temporary files) fails
    as CannotWrite too."""

    def save(target: Path) -> None:
        import gc
        import io
        import sys

        out = io.BytesIO()
        failure: OSError | None = None
        # openpyxl writes each sheet through a temporary file of its own; when that write fails
        # (a full /tmp) its half-run generators fail again as they are collected, and Python prints
        # "Exception ignored … Traceback" for each: the one error is said once, by the caller
        hook = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: None
        try:
            try:
                workbook.save(out)
            except OSError as exc:
                failure = OSError(exc.errno, exc.strerror)
            gc.collect()
        finally:
            sys.unraisablehook = hook
        if failure is not None:
            raise failure
        with open(target, "wb") as f:
            f.write(out.getvalue())

    save_atomically(path, save)


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    """`write_atomically` for bytes."""
    write_atomically(path, data)
