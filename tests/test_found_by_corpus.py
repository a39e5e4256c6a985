"""What running tests/corpus/ under its limits found (issue 16): a long string cost 230 MB to lex,
the line under an error was printed whole (2 MB of it), and each unknown name copied every name
and scanned every keyword."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from decimal import Decimal

import pytest

import perfrules
from perfrules import diagnostics
from perfrules.syntax.keywords import ALL_KEYWORDS, CHINESE_KEYWORDS, keyword_prefix
from perfrules.text import render


def test_a_long_string_is_lexed_in_constant_memory() -> None:
    # before: the STRING terminal kept a backtracking frame per character, ~120 bytes each:
    # ~230 MB for these 1.9 million characters; now the match keeps none
    text = 'ruleset "' + "a" * 1_900_000 + '" { total 1 }\nindicator A weight 1 { full }\n'
    tracemalloc.start()
    try:
        rs = perfrules.loads(text, "long.rules")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rs.model.name == "a" * 1_900_000
    assert peak < 60_000_000  # the text and its copies (~2 MB each), not a frame per character


def test_escapes_in_strings_still_read_as_before() -> None:
    rs = perfrules.loads('ruleset "a\\"b\\\\c" { total 1 }\nindicator A weight 1 { full }\n', "e.rules")
    assert rs.model.name == 'a"b\\c'


def test_the_line_under_an_error_is_clipped_around_the_error() -> None:
    # one line of 300,000 characters with an unknown name at column 200,042
    line = ('ruleset "r" { total 1 }\nindicator A weight 1 { score 1 because "' + "x" * 200_000 + "{nope}"
            + "y" * 100_000 + '" }\n')
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads(line, "l.rules")
    (d,) = caught.value.diagnostics
    shown = render.diagnostic(d).split("\n")
    source_line, carets = shown[2], shown[3]
    # the window: 60 characters before the error, 200 in all, `…` at each cut end
    assert len(source_line) == len("2 | ") + 1 + render.MAX_SHOWN + 1
    assert source_line.startswith("2 | …" + "x" * 59 + "{nope}yyy") and source_line.endswith("y…")
    assert d.location() == "l.rules:2:200042"  # 40 characters to the quote, 200,000 x's, `{`, then `nope`
    assert carets.index("^") == source_line.index("nope") and carets.count("^") == 4


def test_a_short_line_is_shown_whole() -> None:
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads('ruleset "r" { total 1 }\nindicator A weight 1 { score nope }\n', "s.rules")
    shown = render.diagnostic(caught.value.diagnostics[0]).split("\n")
    assert shown[2] == "2 | indicator A weight 1 { score nope }"
    assert shown[3] == "  |" + " " * 30 + "^^^^"  # under `nope`: column 30 of the line, 4 characters


def _old_keyword_prefix(word: str, chinese_only: bool = False) -> str | None:
    best = None
    for kw in CHINESE_KEYWORDS if chinese_only else ALL_KEYWORDS:
        if len(kw) < len(word) and word.startswith(kw) and (best is None or len(kw) > len(best)):
            best = kw
    return best


@pytest.mark.parametrize("word", ["指标执行率", "当前", "weighted", "in", "ratio", "上限值", "x", "", "分值分",
                                  "否则得分", "eachrow", "指标"])
@pytest.mark.parametrize("chinese_only", [False, True])
def test_the_glued_keyword_is_found_as_before(word: str, chinese_only: bool) -> None:
    assert keyword_prefix(word, chinese_only=chinese_only) == _old_keyword_prefix(word, chinese_only)


def test_too_many_names_are_not_even_copied_for_a_hint() -> None:
    class Names:
        def __len__(self) -> int:
            return diagnostics.MAX_CANDIDATES + 1

        def __iter__(self) -> Iterator[str]:
            raise AssertionError("copied")

    assert diagnostics.did_you_mean("ab", Names()) is None


# ---- found by bench/fuzz.py ------------------------------------------------------------------


@pytest.mark.parametrize("written", ["991e59999999999999999999999999999999999", "-1E+99999999999999999999"])
def test_an_exponent_no_decimal_holds_is_too_large_not_a_crash(written: str) -> None:
    from perfrules.decimal_context import parse_decimal

    rs = perfrules.loads('ruleset "r" { total 10 }\ninput x: number\nindicator A weight 10 { score x }\n')
    as_toml = perfrules.parse_facts(f"[facts]\nx = {written}\n", "f.toml")
    for facts in (as_toml, {"facts": {"x": parse_decimal(written)}}):
        with pytest.raises(perfrules.FactsError) as caught:
            rs.evaluate(facts)
        assert [d.message for d in caught.value.diagnostics] == ["`x`: the number is too large (the limit is 10^18)"]
    assert parse_decimal(written).adjusted() == 999999  # a stand-in past every limit, with the sign written
    assert parse_decimal(written).is_signed() == written.startswith("-")
    assert parse_decimal("1e-99999999999999999999") == Decimal("1E-999999")
    assert parse_decimal("12.50") == Decimal("12.50")  # an ordinary number exactly as written
