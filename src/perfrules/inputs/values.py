"""One value of the facts -> the typed value its input or column declares, or what is wrong with it.

Numbers are read exactly (TOML floats become Decimal, never float). A value is accepted only
when it is exactly what the input declares; the problem names what was expected and what was
found, and the help leads with the plausible reading (a bare 0.925 for a percent is 92.5%).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from perfrules import decimal_context
from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import did_you_mean
from perfrules.semantics import arithmetic, model
from perfrules.semantics.measure import doubtful, parse_measure, without_bare_dot

# Inputs are budget figures and rates: refuse what no budget has, before it can
# slow arithmetic down or lose digits in the 40-digit context.
MAX_DIGITS = 30
MAX_MAGNITUDE = Decimal(10) ** 18


# A number with more integer digits than the engine's precision is not even printed back.
_PRECISION = decimal_context.CONTEXT.prec
_TOO_LONG_TO_PRINT = 10**_PRECISION


def found_as_said(raw: Any) -> Said:
    if isinstance(raw, bool):
        return say.FOUND_BOOL(value=str(raw).lower())
    if isinstance(raw, str):
        return say.FOUND_TEXT(text=raw)
    if isinstance(raw, float):
        return say.FOUND_FLOAT(value=repr(raw))
    if isinstance(raw, int) and raw.bit_length() > 128:  # str() refuses ints of over 4,300 digits
        return say.FOUND_DIGITS(digits=Decimal(raw).adjusted() + 1)
    if isinstance(raw, (int, Decimal)):
        return say.FOUND_NUMBER(value=str(raw))
    if isinstance(raw, Mapping):
        return say.FOUND_TABLE()
    if isinstance(raw, (list, tuple)):
        return say.FOUND_LIST()
    return say.FOUND_OTHER(kind=type(raw).__name__)


Problem = tuple[Said, Said | None]  # what is wrong with a value (its code included), and the help


def read_number(raw: Any) -> tuple[Decimal | None, Problem | None]:
    if isinstance(raw, bool):
        return None, (say.F204_EXPECTED_NUMBER(found=found_as_said(raw)), None)
    if isinstance(raw, float):
        return None, (say.F204_EXPECTED_EXACT(found=found_as_said(raw)), say.F204_NO_FLOATS())
    if isinstance(raw, int):
        if abs(raw) >= _TOO_LONG_TO_PRINT:
            return None, (say.F205_TOO_LARGE(power=MAX_MAGNITUDE.adjusted()), None)
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", raw):
        value = Decimal(raw.strip())
    else:
        return None, (say.F204_EXPECTED_NUMBER(found=found_as_said(raw)), None)
    if value.is_zero():
        value = value.copy_abs()  # -0 is 0: a negative zero would print as -0.00
    if not value.is_finite():
        return None, (say.F205_NOT_FINITE(found=found_as_said(raw)), None)
    if value.copy_abs() >= MAX_MAGNITUDE:
        power = MAX_MAGNITUDE.adjusted()
        if value.adjusted() < _PRECISION:
            # as written: plain() works to the engine's 40 digits, which a value this long overflows
            return None, (say.F205_VALUE_TOO_LARGE(value=format(value, "f"), power=power), None)
        return None, (say.F205_TOO_LARGE(power=power), None)
    shape = value.as_tuple()
    if len(shape.digits) > MAX_DIGITS or shape.exponent < -MAX_DIGITS:  # type: ignore[operator]
        return None, (say.F205_TOO_MANY_DIGITS(digits=MAX_DIGITS), say.F205_ROUND())
    return value, None


def convert(inp: model.Input | model.Column, raw: Any) -> tuple[Any, Problem | None]:
    """One input value: the typed value, or what is wrong with it, always with what to do."""
    value, problem = _convert(inp, raw)
    if problem is not None and problem[1] is None:
        default = _DEFAULT_HELP.get(problem[0].message)
        if default is not None:
            return value, (problem[0], default())
    return value, problem


# what to do, where nothing more particular to the value was found to say
_DEFAULT_HELP = {
    say.F204_EXPECTED_NUMBER: say.WRITE_A_NUMBER, say.F204_EXPECTED_MEASURE: say.F204_WRITE_AS_ON_FORM,
    say.F205_TOO_LARGE: say.CHECK_THE_FIGURE, say.F205_VALUE_TOO_LARGE: say.CHECK_THE_FIGURE,
    say.F205_NOT_FINITE: say.WRITE_A_NUMBER, say.F205_MEASURE_TOO_LONG: say.SHORTER_MEASURE,
    say.F207_EXPECTED_WHOLE: say.LITERAL_HELP["count"], say.F208_EXPECTED_BOOL: say.WRITE_TRUE_OR_FALSE,
    say.F210_OUTSIDE_RANGE: say.WITHIN_THE_RANGE, say.F206_EXPECTED_PERCENT: say.FILL_IN_PERCENT,
}  # fmt: skip


def _convert(inp: model.Input | model.Column, raw: Any) -> tuple[Any, Problem | None]:
    kind = inp.type.kind
    value: Any
    if kind == "measure":
        if isinstance(raw, str):
            if len(raw) > 200:
                return None, (say.F205_MEASURE_TOO_LONG(length=len(raw), limit=200), None)
            # kept by text: an exact str only (a subclass may compare equal and hash alike, yet differ)
            read = _measure_text(raw) if type(raw) is str else _measure_text.__wrapped__(raw)
        elif isinstance(raw, float):
            return None, (say.F204_EXPECTED_AS_WRITTEN(found=found_as_said(raw)), say.F204_WRITE_AS_TEXT())
        else:
            read = _measure(raw)
        return _measure_in_range(inp, *read)
    if kind == "grade" and inp.type == model.DIRECTION and isinstance(raw, str):
        raw = {"≥": "正向", ">=": "正向", "≤": "反向", "<=": "反向", "=": "等于", "==": "等于"}.get(raw.strip(), raw)
    if kind == "number":
        value, problem = read_number(raw)
        if problem is not None:
            if isinstance(raw, str) and problem[1] is None:
                problem = (problem[0], _number_text_hint(inp, raw))
            return None, problem
    elif kind == "percent":
        if not isinstance(raw, str) or not raw.strip().endswith(("%", "％")):
            hint = None
            number = None
            if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
                number = Decimal(raw)
            elif isinstance(raw, float):
                number = Decimal(str(raw))  # as written, not the binary value
            if number is not None and number.is_finite() and number.adjusted() < _PRECISION:
                hint = _percent_hint(inp, number, arithmetic.plain(number) if isinstance(raw, float) else str(raw))
            elif isinstance(raw, str) and not raw.strip():  # the "" `new facts` writes, left unfilled
                hint = say.FILL_IN_PERCENT()
            elif isinstance(raw, str):
                written = _with_digits(raw) or raw.strip()  # 「.5」 offered as 0.5 → 50% or 0.5%
                number, problem = read_number(written)
                if problem is None:
                    assert number is not None
                    hint = _percent_hint(inp, number, written, text=True)
            return None, (say.F206_EXPECTED_PERCENT(found=found_as_said(raw)), hint)
        number, problem = read_number(raw.strip()[:-1].strip())
        if problem is not None or number is None:
            fixed = _with_digits(raw)
            hint = say.WRITE_WITH_DIGITS(fixed=f'"{fixed}"', why=say.BARE_DOT()) if fixed is not None else None
            return None, (say.F206_EXPECTED_PERCENT(found=found_as_said(raw)), hint)
        value = number.scaleb(-2, decimal_context.CONTEXT)
    elif kind == "count":
        number, problem = read_number(raw) if not isinstance(raw, str) else (None, None)
        if problem is not None or number is None or number != number.to_integral_value() or number < 0:
            hint = _number_text_hint(inp, raw) if isinstance(raw, str) else None
            return None, (say.F207_EXPECTED_WHOLE(found=found_as_said(raw)), hint)
        value = int(number)
    elif kind == "bool":
        if isinstance(raw, bool):
            value = raw
        elif raw in ("是", "否", "true", "false"):
            value = raw in ("是", "true")
        else:
            return None, (say.F208_EXPECTED_BOOL(found=found_as_said(raw)), None)
    elif kind == "grade":
        if not isinstance(raw, str) or raw not in inp.type.labels:
            guess = did_you_mean(str(raw), inp.type.labels) if isinstance(raw, str) else None
            labels = inp.type.labels
            help_text = say.F209_DID_YOU_MEAN(guess=guess, labels=labels) if guess else \
                say.F209_THE_GRADES(labels=labels)  # fmt: skip
            return None, (say.F209_EXPECTED_GRADE(labels=labels, found=found_as_said(raw)), help_text)
        value = raw
    else:
        if not isinstance(raw, str):
            return None, (say.F204_EXPECTED_TEXT(found=found_as_said(raw)), say.F204_PUT_IN_QUOTES())
        value = raw
    if inp.low is not None and inp.high is not None and not (inp.low <= value <= inp.high):
        shown = arithmetic.show(value, inp.type, 6, False)
        low = arithmetic.show(inp.low, inp.type, 6, False)
        high = arithmetic.show(inp.high, inp.type, 6, False)
        return None, (say.F210_OUTSIDE_RANGE(value=shown, low=low, high=high), None)
    return value, None


@functools.lru_cache(maxsize=4096)  # forms repeat their targets and units: each text read once
def _measure_text(raw: str) -> tuple[Any, Problem | None]:
    fixed = without_bare_dot(raw)
    if fixed is not None:  # 「.5」, 「5.」: a number written without a digit on one side of its point
        return None, (say.F204_NOT_SCORABLE(value=raw, why=say.BARE_DOT()), say.F204_WRITE_WITH_DIGITS(fixed=fixed))
    problem_text = doubtful(raw)
    if problem_text is not None:
        return None, (say.F204_NOT_SCORABLE(value=raw, why=problem_text), say.F204_WRITE_AS_ON_FORM())
    return _measure(raw)


def _measure_in_range(inp: model.Input | model.Column, measure: Any,
                      problem: Problem | None) -> tuple[Any, Problem | None]:  # fmt: skip
    """A measure read, held to its input's `in LOW..HIGH` by its number (spec §10: columns take ranges as
    inputs do); a qualitative measure has no number to hold."""
    if problem is not None or inp.low is None or inp.high is None or measure.number is None:
        return measure, problem
    if inp.low <= measure.number <= inp.high:
        return measure, None
    shown = arithmetic.percent_text if measure.percent else arithmetic.plain  # the bounds as the value is written
    return None, (say.F210_OUTSIDE_RANGE(value=measure.text, low=shown(inp.low), high=shown(inp.high)), None)


def _measure(raw: Any) -> tuple[Any, Problem | None]:
    measure = parse_measure(raw)
    if measure is None:
        return None, (say.F204_EXPECTED_MEASURE(found=found_as_said(raw)), None)
    if measure.number is not None:
        _, problem = read_number(measure.number)
        if problem is not None:
            return None, problem
    return measure, None


_UNITS = {"元": 0, "千元": 3, "万元": 4, "百万元": 6, "千万元": 7, "亿元": 8, "个": 0, "次": 0, "人": 0, "人次": 0,
          "项": 0, "家": 0, "天": 0, "份": 0}  # fmt: skip
_NUMBER_AND_UNIT = re.compile(r"\s*(-?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?)\s*([^\d\s.,，-]\S*)?\s*")


def _number_text_hint(inp: model.Input | model.Column, raw: str) -> Said | None:
    """Help for a number written as an official would on paper: `"1,620"`, `"1620元"`, `"12"` for a count.

    The digits alone are offered only when that is the same amount: `"1620元"` for an input
    labelled in 万元 is converted (0.162), never passed on as 1620.
    """
    if not raw.strip():  # `new facts` writes "" where a figure goes: left unfilled
        return say.FILL_IN_NUMBER(example="12" if inp.type.kind == "count" else "8881.35")
    fixed = _with_digits(raw)
    # a count's 「5.」 is 5, its 「.5」 no count; 「5.%」 is no number (its help would be to write 5%)
    if fixed is not None and "%" not in fixed and (inp.type.kind != "count" or "." not in fixed):
        return say.WRITE_WITH_DIGITS(fixed=fixed, why=say.BARE_DOT())
    m = _NUMBER_AND_UNIT.fullmatch(raw)
    if m is None:
        return None
    digits, unit = m.group(1).replace(",", "").replace("，", ""), m.group(2)
    if unit is None:
        if inp.type.kind == "count" and raw.strip() == digits:
            return say.WRITE_WITHOUT_QUOTES(digits=digits)
        return say.WRITE_WITHOUT_SEPARATORS(digits=digits)
    declared = re.findall(r"[（(]([^）)]+)[）)]", inp.label or "")
    declared_unit = declared[-1].strip() if declared else None
    if declared_unit is None or declared_unit == unit:
        return say.WRITE_WITHOUT_UNIT(unit=unit, digits=digits)
    if unit in _UNITS and declared_unit in _UNITS and _UNITS[unit] != _UNITS[declared_unit]:
        shift = _UNITS[unit] - _UNITS[declared_unit]
        converted = arithmetic.plain(Decimal(digits).scaleb(shift, decimal_context.CONTEXT))
        return say.WRITE_CONVERTED(name=inp.name, declared=declared_unit, label=inp.label, digits=digits, unit=unit,
                                   converted=converted)
    return say.WRITE_IN_DECLARED_UNIT(declared=declared_unit, name=inp.name, label=inp.label, unit=unit)


def _with_digits(raw: str) -> str | None:
    """「.5」 as 0.5, 「5.」 as 5, 「.5%」 as 0.5%: the number written with digits on both sides of its point,
    read as a measure reads it (`without_bare_dot`), so that a number, percent or measure input says the same."""
    fixed = without_bare_dot(raw)
    if fixed is None or read_number(fixed.removesuffix("%"))[1] is not None:
        return None
    return fixed


def _percent_hint(inp: model.Input | model.Column, number: Decimal, written: str, text: bool = False) -> Said:
    """How to write a percentage given without its `%`, the plausible reading first.

    A bare 0.925 is far more often a fraction (92.5%) than 0.925%; following a help line
    that adds the `%` to it would score 0.925% and silently zero the indicator. So a
    number of at most 1 is offered as a fraction first and as a literal percentage only
    as the alternative, unless the input's declared range admits only the literal one.
    """
    literal = f"{written}%"
    if number.copy_abs() > 1:
        return say.ADD_PERCENT_SIGN(literal=literal) if text else say.WRITE_WITH_PERCENT_SIGN(literal=literal)
    fraction = _as_percent(number)
    readings = [(fraction, number), (literal, number.scaleb(-2, decimal_context.CONTEXT))]
    if inp.low is not None and inp.high is not None:
        low, high = inp.low, inp.high
        readings.sort(key=lambda reading: not low <= reading[1] <= high)  # stable: the fraction first on a tie
    if readings[0][0] == fraction:
        return say.FRACTION_FIRST(written=written, fraction=fraction, literal=literal)
    return say.LITERAL_FIRST(literal=literal, written=written, fraction=fraction)


def _as_percent(raw: Any) -> str:
    try:
        return arithmetic.plain(Decimal(str(raw)) * 100) + "%"
    except (InvalidOperation, ValueError):  # pragma: no cover
        return "..."
