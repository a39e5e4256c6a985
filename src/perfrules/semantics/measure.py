"""Measures: values as written on a form (「≥95%」, 「6艘」, 「≤1500元」, 「达成」), and 达成度.

A measure keeps its text, its sign, its unit and whether it had `%`; in arithmetic it
is its number (a fraction when it had `%`). Text that is not a number with an optional
sign and unit is a qualitative measure (spec section 10).
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from perfrules import records
from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.decimal_context import EngineContext

# Sign words that forms use, before or after the number (spec section 10).
_AT_LEAST_BEFORE = ("不低于", "不少于", "不小于", "至少")
_AT_MOST_BEFORE = ("不高于", "不超过", "不大于", "至多")
_AT_LEAST_AFTER = ("及以上", "以上")
_AT_MOST_AFTER = ("及以下", "以下", "以内")
# 「≧」「≦」 and 「═」 are what 云南's budget system prints in 指标性质 (公开14表: 「≧」「100」「%」,
# 「═」「100」「%」); 「═」 is a box-drawing double line, printed there as the equals sign.
_SIGNS = (("≥", "≥"), (">=", "≥"), ("＞", "≥"), (">", "≥"), ("≤", "≤"), ("<=", "≤"), ("＜", "≤"), ("<", "≤"),
          ("==", "="), ("＝", "="), ("﹦", "="), ("=", "="), ("﹥", "≥"), ("﹤", "≤"),
          ("≧", "≥"), ("≦", "≤"), ("═", "="))  # fmt: skip
# The signs of a number as word processors and full-width input write them: 「−3%」 (U+2212), 「－3%」, 「＋5%」
_PLUS_MINUS = str.maketrans({"−": "-", "－": "-", "＋": "+"})
# A decimal, thousands separators allowed only when correctly grouped (1,620 and 12,345.6; not 1,62).
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# A unit: up to four letters of any script (元, 万元, 艘, 人次, 平方米, km), optionally per another
# (元/人) or squared. Longer text after a number is a sentence (「12月底之前完成」): qualitative.
_UNIT = re.compile(r"[^\W\d_]{1,4}(?:/[^\W\d_]{1,4})?[²³]?")
MAX_TEXT = 200


@records.record(cache_hash=True)  # a key of kept expansions, and read once per text (_from_text)
class Measure:
    """A measure as read. `number` is None for a qualitative measure."""

    text: str
    sign: str | None  # "≥", "≤", "=" or None
    number: Decimal | None
    percent: bool
    unit: str

    @property
    def qualitative(self) -> bool:
        return self.number is None

    def __str__(self) -> str:
        return self.text

    def direction(self) -> str | None:
        """The direction its sign gives a target: 正向 for ≥, 反向 for ≤, 等于 for =."""
        return {"≥": "正向", "≤": "反向", "=": "等于"}.get(self.sign or "")


def parse_measure(raw: object) -> Measure | None:
    """A measure from a facts value (text or number); None if it cannot be one (a bool, a table)."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        return None
    if type(raw) is str and len(raw) <= MAX_TEXT:
        return _from_text(raw)  # kept, as read in the engine's context
    with EngineContext():  # a percent is scaled exactly (and cached) whatever the caller's context
        return _parse_measure(raw)


def _parse_measure(raw: str | int | Decimal) -> Measure | None:
    if not isinstance(raw, str):
        number = Decimal(raw)
        if not number.is_finite():
            return None
        return Measure(_plain(number), None, number, False, "")
    return _from_text(raw) if len(raw) <= MAX_TEXT else _read_text(raw)


@functools.lru_cache(maxsize=4096)  # forms repeat their targets (「≥95%」, 「100%」): read each text once
def _from_text(raw: str) -> Measure:
    with EngineContext():
        return _read_text(raw)


def _read_text(raw: str) -> Measure:
    text = raw.strip()
    squeezed = re.sub(r"\s+", "", text).replace("％", "%").replace("，", ",").translate(_PLUS_MINUS)
    sign = None
    for word in _AT_LEAST_BEFORE + _AT_MOST_BEFORE:
        if squeezed.startswith(word):
            sign = "≥" if word in _AT_LEAST_BEFORE else "≤"
            squeezed = squeezed[len(word):]
            break
    else:
        for symbol, meaning in _SIGNS:
            if squeezed.startswith(symbol):
                sign = meaning
                squeezed = squeezed[len(symbol):]
                break
    if sign is None:
        for word in _AT_LEAST_AFTER + _AT_MOST_AFTER:
            if squeezed.endswith(word) and len(squeezed) > len(word):
                sign = "≥" if word in _AT_LEAST_AFTER else "≤"
                squeezed = squeezed[: -len(word)]
                break
    negative = squeezed.startswith("-")
    # "+5" reads as "-5" does: a number with its sign (forms write growth targets 「+5%」)
    body = squeezed[1:] if negative or squeezed.startswith("+") else squeezed
    match = _NUMBER.match(body)
    if match is None:
        return Measure(text, None, None, False, "")
    rest = body[match.end():]
    percent = rest.startswith("%")
    if percent:
        rest = rest[1:]
    if rest and not _UNIT.fullmatch(rest):
        return Measure(text, None, None, False, "")
    number = Decimal(match.group().replace(",", ""))
    if negative:
        number = -number
    if percent:
        number = number.scaleb(-2)
    return Measure(text, sign, number, percent, rest)


_HEDGES = ("大约", "约为", "约", "近", "接近", "将近")
_HEDGE_AFTER = ("左右", "上下", "多")


@functools.lru_cache(maxsize=4096)
def doubtful(text: str) -> Said | None:
    """Why a text that looks like a number is not one a score can rest on (a facts error), or None.

    The spec reads any text that is not a number as qualitative; but 「1,62」 (a misplaced
    thousands separator) and 「约100」 (an approximate value) are numbers written wrong, and
    scoring them as qualitative would quietly change the score.
    """
    squeezed = re.sub(r"\s+", "", text)
    if re.match(r"^[≥≤<>=]*-?\d[\d,]*,\d", squeezed) and not re.match(r"^[≥≤<>=]*-?\d{1,3}(,\d{3})+(?!\d)", squeezed):
        return say.MISPLACED_SEPARATORS()
    for word in _HEDGES:
        if squeezed.startswith(word) and re.match(r"\d", squeezed[len(word):]):
            return say.APPROXIMATE(word=word)
    for word in _HEDGE_AFTER:
        body = squeezed[: -len(word)]
        if squeezed.endswith(word) and body and parse_measure(body) is not None \
                and not parse_measure(body).qualitative:  # type: ignore[union-attr]  # fmt: skip
            return say.APPROXIMATE(word=word)
    return None


@functools.lru_cache(maxsize=4096)
def without_bare_dot(text: str) -> str | None:
    """「.5」 or 「5.」 as 0.5 or 5, when that is a number (spec 10 writes a decimal with digits on
    both sides of its point, as a number input reads it; otherwise it would be read as qualitative).

    「5.」 only alone or before `%`: 「1.完成调研」 is a numbered text, not the number 1 in 完成调研.
    """
    squeezed = re.sub(r"\s+", "", text)
    fixed = re.sub(r"^([^\d.]*)\.(?=\d)", r"\g<1>0.", squeezed, count=1)
    if fixed == squeezed:
        fixed = re.sub(r"(?<=\d)\.(?=%?$)", "", squeezed, count=1)
    if fixed == squeezed:
        return None
    before, after = parse_measure(squeezed), parse_measure(fixed)
    if before is None or after is None or not before.qualitative or after.qualitative:
        return None
    return fixed


def _plain(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


class AchievementError(Exception):
    """达成度 cannot be computed: the message and help name the two values."""

    def __init__(self, said: Said, help: Said):
        super().__init__(said.en)
        self.said = said
        self.help = help


def as_measure(value: object, percent: bool = False) -> Measure:
    """A measure for an `achievement` argument that is a plain number or percent expression."""
    if isinstance(value, Measure):
        return value
    assert isinstance(value, (Decimal, int)) and not isinstance(value, bool)
    number = Decimal(value)
    return Measure(_plain(number * 100) + "%" if percent else _plain(number), None, number, percent, "")


def _spelled_percent(side: Measure) -> Measure:
    if side.unit == "百分比" and not side.percent and side.number is not None:
        return records.evolve(side, number=side.number.scaleb(-2), percent=True, unit="")
    return side


def achievement(actual: Measure, target: Measure, direction: str | None) -> Decimal:
    """达成度 (spec section 10): the share of the target reached, as a fraction (may exceed 1)."""
    if actual.percent or target.percent:
        # 「≥100百分比」 spells the percent sign out: against 「98%」 it is 100%
        actual, target = _spelled_percent(actual), _spelled_percent(target)
    for side in (actual, target):
        if side.qualitative:
            raise AchievementError(say.ACHIEVEMENT_QUALITATIVE(target=target.text, actual=actual.text, value=side.text),
                                   say.E505_SCORE_QUALITATIVE())
    if actual.percent != target.percent:
        percent, plain = (actual, target) if actual.percent else (target, actual)
        raise AchievementError(say.ACHIEVEMENT_PERCENT_AND_PLAIN(target=target.text, actual=actual.text,
                                                                 percent=percent.text, plain=plain.text),
                               say.ACHIEVEMENT_BOTH_PERCENT())
    if actual.unit and target.unit and actual.unit != target.unit:
        raise AchievementError(say.ACHIEVEMENT_UNITS(target=target.text, target_unit=target.unit,
                                                     actual=actual.text, actual_unit=actual.unit),
                               say.ACHIEVEMENT_SAME_UNIT())
    way = direction or target.direction() or "正向"
    if way == "定性":
        raise AchievementError(say.ACHIEVEMENT_DIRECTION_QUALITATIVE(target=target.text, actual=actual.text),
                               say.E505_SCORE_QUALITATIVE())
    a, t = actual.number, target.number
    assert a is not None and t is not None
    one, zero = Decimal(1), Decimal(0)
    if way == "正向":
        if t == 0:
            return one if a >= 0 else zero
        return a / t
    if way == "反向":
        if a <= t:
            return one
        return t / a if a else one
    # 等于
    if a == t:
        return one
    if a == 0 or t == 0:
        return zero
    return min(a, t) / max(a, t)
