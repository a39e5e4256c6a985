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


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, then renamed over it."""
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
