"""Files in: reads that stop at a size limit.

Every input file is read with `read_limited`, so `/dev/zero` or a 3 GB file costs at
most limit + 1 bytes (issue 16; docs/limits.md).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

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


def write_atomically(path: str | Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, then renamed over it."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    """`write_atomically` for bytes (a workbook). A device or a pipe (`/dev/null`, `/dev/stdout`)
    cannot be renamed over: it is written directly, as a stream is."""
    import secrets

    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "wb") as f:
            f.write(data)
        return
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    # 0666 less the umask, as open() would give the file; an existing file's own permissions win
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        with contextlib.suppress(OSError):
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
