"""Where each key and row of a JSON facts file is written, so that its problems name FILE:LINE:COL.

`json` parses without positions, so the text is walked once more, only when a problem is to be
said (`JsonSource.places`), by a scanner that trusts what `json.loads` already accepted. A
place is a path, as the TOML locator's are: `("facts", "绩效指标", 2, "完成值")` is the key
`完成值` of the second row; `("facts", "绩效指标", 2)` that row's `{`. A JSON file of plain
inputs (no `facts` object) is read as the `facts` table, as `coerce` reads it.
"""

from __future__ import annotations

import re
from typing import Any

from perfrules import records
from perfrules.source import Source

Path = tuple[Any, ...]
_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"[^,\]\}\s]*")  # a number, true, false or null: up to the next delimiter


@records.record
class JsonSource(Source):
    """A JSON facts file's text; `shaped` when it holds `facts`/`judged`/… objects (a facts file's
    shape) rather than the inputs themselves."""

    shaped: bool = True
    _found: dict[str, Any] = records.field(init=False, repr=False, eq=False, factory=dict)

    def places(self) -> tuple[dict[Path, tuple[int, int]], set[Path]]:
        """Every key's span and every row's `{`, by path; and the paths that hold arrays."""
        if "places" not in self._found:
            self._found["places"] = places_in(self.text)
        found: tuple[dict[Path, tuple[int, int]], set[Path]] = self._found["places"]
        return found

    def path(self, table: str, *rest: Any) -> Path:
        """A facts-file path (`[facts] x`) as this file writes it."""
        if table == "facts" and not self.shaped:
            return rest
        return (table, *rest)


def places_in(text: str) -> tuple[dict[Path, tuple[int, int]], set[Path]]:
    places: dict[Path, tuple[int, int]] = {}
    arrays: set[Path] = set()
    import json.decoder  # here: only a JSON facts file with a problem is walked, and a cached eval of
    # a TOML facts file need not import json (~1.9 ms, issue 15)

    scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]

    def skip(i: int) -> int:
        match = _SPACE.match(text, i)
        assert match is not None
        return match.end()

    def value(i: int, path: Path) -> int:
        """The end of the value that starts at or after `i`, recording the places inside it."""
        i = skip(i)
        first = text[i]
        if first == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                key, end = scanstring(text, i + 1)
                places.setdefault((*path, key), (i, end))
                i = value(skip(end) + 1, (*path, key))  # past the `:`
                i = skip(i)
                if text[i] == ",":
                    i = skip(i + 1)
                    continue
                return i + 1
        if first == "[":
            arrays.add(path)
            i = skip(i + 1)
            number = 1
            if text[i] == "]":
                return i + 1
            while True:
                places.setdefault((*path, number), (i, i + 1))
                i = skip(value(i, (*path, number)))
                if text[i] == ",":
                    i = skip(i + 1)
                    number += 1
                    continue
                return i + 1
        if first == '"':
            closed: int = scanstring(text, i + 1)[1]
            return closed
        match = _SCALAR.match(text, i)
        assert match is not None
        return match.end()

    try:
        value(0, ())
    except (RecursionError, IndexError, ValueError, AssertionError):
        pass  # what was found so far still places its problems; the rest fall back to the file's start
    return places, arrays
