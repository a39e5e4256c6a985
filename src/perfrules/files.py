"""Files in and out: reads that stop at a size limit, writes that are whole or not at all.

Every input file is read with `read_limited`, so `/dev/zero` or a 3 GB file costs at
most limit + 1 bytes. Every output file is written with `atomic_write`: into a
temporary file in the same folder, then renamed over the target with `os.replace`,
so a reader (or an interrupted run) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

# Sizes, in bytes, past which a file is refused (docs/limits.md).
MAX_RULES_BYTES = 2_000_000
MAX_FACTS_BYTES = 2_000_000
MAX_CASES_BYTES = 2_000_000
MAX_RECORD_BYTES = 1_000_000  # one JSON line or CSV row of a batch


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


def same_file(a: Path, b: Path) -> bool:
    """Do two paths name one file (the same path, a hard link or a symbolic link to it)?"""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def os_reason(exc: OSError) -> str:
    """What an OS error means, without Python's `[Errno 28]` prefix: `No space left on device`."""
    return exc.strerror or str(exc)


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[IO[str]]:
    """Write `path` whole or not at all: a temporary file beside it, renamed over it at the end.

    If the body raises (an error, ENOSPC, Ctrl-C), the temporary file is removed and the
    target keeps its old content. `mode` is "w" (text, UTF-8, newlines as written) or "wb".
    """
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        if "b" in mode:
            f: IO[str] = os.fdopen(fd, mode)
        else:
            f = os.fdopen(fd, mode, encoding="utf-8", newline="")
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            # keep the target's permissions if it exists; mkstemp makes 0600 files
            os.chmod(temp, os.stat(path).st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
