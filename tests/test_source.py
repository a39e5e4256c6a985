"""Source: line and column of an offset, and the text of a line, found on the first question.

The line starts were found by a pass over every character at construction; they are now found
with str.find on the first question (issue 15, start-up). These properties hold the two equal, for
texts of newlines, carriage returns and wide characters, and at every offset including the ends.
"""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from perfrules.source import Source

TEXTS = st.text(alphabet=st.sampled_from(["a", "\n", "\r", "指", " ", "\t"]), max_size=60)


def _by_hand(text: str, offset: int) -> tuple[int, int]:
    """Line and column as a person counts: lines before the offset plus one, characters since its line began."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


@given(TEXTS, st.data())
def test_line_and_column_are_counted_as_by_hand(text: str, data: st.DataObject) -> None:
    source = Source("f.rules", text)
    offset = data.draw(st.integers(0, len(text)))
    assert source.line_col(offset) == _by_hand(text, offset)


@given(TEXTS)
def test_every_line_reads_as_split_gives_it(text: str) -> None:
    source = Source("f.rules", text)
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        assert source.line_text(number) == line.rstrip("\r")
        assert source.offset_of_line(number) == sum(len(earlier) + 1 for earlier in lines[:number - 1])
    assert source.line_text(len(lines) + 1) == ""


def test_a_pickled_source_answers_as_the_original() -> None:
    # 3 lines: "a" at 0, "指标" at 2, "" at 5 (the text ends with a newline)
    source = Source("f.rules", "a\n指标\n")
    assert source.line_col(3) == (2, 2)  # the 标 of line 2
    copy = pickle.loads(pickle.dumps(source))
    assert copy.line_col(3) == (2, 2)
    assert copy.line_text(2) == "指标"
    assert copy == source
