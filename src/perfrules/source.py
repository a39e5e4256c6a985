"""Source text and spans: offsets into a file, turned into lines and columns on demand."""

from __future__ import annotations

import bisect
import hashlib

from perfrules import records


@records.record
class Source:
    """A named text (a rule file, a facts file) that spans point into."""

    name: str
    text: str
    sha256: str = ""
    # Found on the first question about a line: most sources (every facts file of a clean run)
    # are never asked, and a pass over the text cost a cached `perfrules eval` ~2 ms (issue 15).
    _found_line_starts: tuple[int, ...] | None = records.field(init=False, default=None, repr=False, eq=False)

    @property
    def _line_starts(self) -> tuple[int, ...]:
        starts = self._found_line_starts
        if starts is None:
            found = [0]
            at = self.text.find("\n")
            while at >= 0:
                found.append(at + 1)
                at = self.text.find("\n", at + 1)
            starts = tuple(found)
            object.__setattr__(self, "_found_line_starts", starts)
        return starts

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Source:
        """Decode UTF-8 (a leading BOM is dropped); raise UnicodeDecodeError on bad bytes."""
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        return cls(name, text, hashlib.sha256(data).hexdigest())

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def offset_of_line(self, line: int) -> int:
        """Offset of the first character of a 1-based line."""
        line = max(1, min(line, len(self._line_starts)))
        return self._line_starts[line - 1]


@records.record
class Span:
    """A half-open range of character offsets [start, end) in one source."""

    source: Source = records.field(eq=False, repr=False)
    start: int
    end: int

    @property
    def line(self) -> int:
        return self.source.line_col(self.start)[0]

    @property
    def column(self) -> int:
        return self.source.line_col(self.start)[1]

    def location(self) -> str:
        """`FILE:LINE:COL`, the form every message starts with."""
        line, col = self.source.line_col(self.start)
        return f"{self.source.name}:{line}:{col}"

    def text(self) -> str:
        return self.source.text[self.start : self.end]

    def to(self, other: Span) -> Span:
        """The span covering this one and `other`."""
        return Span(self.source, min(self.start, other.start), max(self.end, other.end))
