"""The command's stdout and stderr, with control characters escaped on the way out.

Whatever a command prints may quote a file name, a key, a [meta] value or a rule text,
and any of them may hold ESC, BEL or U+202E. The renderers escape what they build
(perfrules.controls); this guard catches the rest, so no input steers the terminal
(issue 16, item 17). What is written on purpose (colours, the progress line) goes to
`unescaped`.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO, cast

from perfrules.controls import escaped


class Escaping:
    """A text stream that writes control characters escaped; everything else is the stream's own."""

    def __init__(self, stream: TextIO):
        self.unescaped = stream

    def write(self, text: str) -> int:
        return self.unescaped.write(escaped(text))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unescaped, name)


def unescaped(stream: TextIO) -> TextIO:
    """The stream under the guard, for text perfrules composed itself (ANSI colours, `\\r`)."""
    inner = getattr(stream, "unescaped", stream)
    return cast(TextIO, inner)


class _Closed(io.TextIOBase):
    """A stream the command started without (`>&-`, `2>&-`: Python makes it None). Writing to a
    closed stdout fails as the descriptor would, and the command says it cannot write its output;
    a closed stderr takes the messages and drops them, as the user asked."""

    def __init__(self, fails: bool):
        self.fails = fails

    def write(self, text: str) -> int:
        if self.fails:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        return len(text)


@contextlib.contextmanager
def escaping() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    out = sys.stdout if sys.stdout is not None else cast(TextIO, _Closed(fails=True))
    err = sys.stderr if sys.stderr is not None else cast(TextIO, _Closed(fails=False))
    sys.stdout = cast(TextIO, Escaping(out))
    sys.stderr = cast(TextIO, Escaping(err))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
