"""Control characters: the ones that can steer a terminal or reverse how a line reads.

Text from rule files, facts and keys reaches terminals, logs and reports. ESC starts the
sequences that set a window title or clear the screen, BEL rings, a carriage return
overwrites a line, and a bidi override (U+202E) shows `txt.exe` as `exe.txt`. They are shown
escaped, as git shows them in paths: ESC as `\\x1b`, U+202E as `\\u202e` (issue 16, item 17).
The `\\uXXXX` form of the characters above 0x7e is also a JSON escape of the same character, so
escaping JSON text keeps it valid JSON with the same values (json.dumps already escapes C0).
"""

from __future__ import annotations

import re

# C0 but tab and newline, DEL, C1, and the bidi marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same, newline included: for one-line texts (a record's message on stderr, a CSV cell).
_UNSAFE_IN_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x7F else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with every control character but tab and newline written as `\\x1b` or `\\u202e`."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def escaped_line(text: str) -> str:
    """`escaped`, and a newline as `\\x0a` too: a text that must stay on its line."""
    return _UNSAFE_IN_LINE.sub(_escape, text) if _UNSAFE_IN_LINE.search(text) else text


def has_unsafe(text: str) -> bool:
    """Does `text` hold a character `escaped` would rewrite?"""
    return _UNSAFE.search(text) is not None
