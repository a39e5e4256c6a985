"""Text from data written into Markdown so that it reads as the same text, and nothing more.

A [meta] value, a row's 偏差原因, a rule's label or the 存在的主要问题 paragraph can hold
`<iframe src="javascript:…">`, `# heading`, `**`, `|`, `[link](…)` or a carriage return. Each
becomes literal text of one line (issue 16, item 19): every character CommonMark or GitHub gives
a meaning inline is backslash-escaped (HTML and entities included), a line start that would open
a heading, quote, list or rule is escaped, line breaks become spaces, and control characters are
shown as `\\x1b` (perfrules.controls).
"""

from __future__ import annotations

import re

from perfrules.controls import escaped

# Any ASCII punctuation may be backslash-escaped in CommonMark; these have an inline meaning:
# escapes, code, emphasis, links and images, HTML and autolinks, tables, strikethrough,
# entities, and math on GitHub.
# An underscore inside a word opens no emphasis: left as it is, a URL stays one link.
_INLINE = re.compile(r"([\\`*\[\]<>|~&$!]|(?<!\w)_|_(?!\w))")
# What opens a block at the start of a line: a heading, a quote, a list item, a thematic break
# or setext underline, an ordered item (`1.`, `1)`).
_BLOCK_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))")
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def md(text: str, block: bool = False) -> str:
    """One line of Markdown that renders as `text` (trimmed, line breaks as spaces); `block` when
    it starts a line of its own (a paragraph), where `# `, `> `, `- ` or `1.` would open a block."""
    line = escaped(_BREAKS.sub(" ", text)).strip()
    line = _INLINE.sub(r"\\\1", line)
    match = _BLOCK_START.match(line) if block else None
    if match is not None:
        if match.group(1)[0].isdigit():  # `1.` → `1\.`
            end = match.end()
            line = line[:end] + "\\" + line[end:]
        else:
            line = "\\" + line
    return line
