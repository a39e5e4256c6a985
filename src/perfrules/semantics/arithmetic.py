"""The arithmetic of the language: one decimal context, the functions, rounding and
value printing. Shared by the compiled evaluator, constant folding and `explain`."""

from __future__ import annotations

import functools
import operator
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from perfrules.catalogue import lang_of, phrases
from perfrules.decimal_context import CONTEXT
from perfrules.semantics import model
from perfrules.source import Span

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def values_getter(keys: list[Any]) -> Any:
    """container -> the values at `keys`, always as a tuple, in one C call (itemgetter)."""
    if len(keys) >= 2:
        return operator.itemgetter(*keys)
    return lambda container: tuple(container[key] for key in keys)


class DivisionByZero(Exception):
    """Raised by generated code and the interpreter; `site` is the `/` expression."""

    def __init__(self, site: int | model.Binary):
        super().__init__(site)
        self.site = site


class AchievementFailed(Exception):
    """Raised by generated code: `achievement(…)` at site `site` cannot compare its two values
    (a percent against a number, two units); `said` and `help` name them (measure.AchievementError)."""

    def __init__(self, site: int, said: Any, help: Any):
        super().__init__(site)
        self.site, self.said, self.help = site, said, help


class NoRows(DivisionByZero):
    """`min`/`max` over no rows, reached by the evaluation: an error only where it is computed, so a
    guard (`if count(T) > 0 then min(T.COL) else 0`) takes it, as it takes a division (E506)."""

    def __init__(self, span: Span):
        super().__init__(0)
        self.span = span


def no_rows(span: Span) -> Any:
    raise NoRows(span)


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    error = getattr(value, "error", None)  # a let that failed (compile._Poison): its own error
    if isinstance(error, BaseException):
        raise error
    return Decimal(value)


@functools.lru_cache(maxsize=64)  # bounded: `round(x, n)` may take n from the facts
def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places, CONTEXT)


def round_half_up(value: Decimal | int, places: int) -> Decimal:
    """四舍五入 to `places` decimals."""
    if type(value) is not Decimal:
        value = Decimal(value)
    return value.quantize(quantum(places), ROUND_HALF_UP, CONTEXT)


def shortfall(actual: Any, target: Any) -> Any:
    """max(target − actual, 0)."""
    gap = target - actual
    return gap if gap > 0 else 0 * gap


def excess(actual: Any, target: Any) -> Any:
    """max(actual − target, 0)."""
    gap = actual - target
    return gap if gap > 0 else 0 * gap


def clamp(value: Any, low: Any, high: Any) -> Any:
    if value < low:
        return low
    if value > high:
        return high
    return value


def floor(value: Any) -> Any:
    if isinstance(value, int):
        return value
    return value.to_integral_value(rounding=ROUND_FLOOR)


def ceil(value: Any) -> Any:
    if isinstance(value, int):
        return value
    return value.to_integral_value(rounding=ROUND_CEILING)


def round_to(value: Any, places: Any) -> Decimal:
    return round_half_up(value, int(places))


def divide(left: Any, right: Any, site: int | model.Binary) -> Decimal:
    if not right:
        raise DivisionByZero(site)
    quotient: Decimal = to_decimal(left) / right
    return quotient


# ---- printing values -------------------------------------------------------------------


def plain(value: Decimal | int) -> str:
    """A decimal without exponent and without trailing zeros: 8.6183040 -> 8.618304."""
    if isinstance(value, int):
        return str(value)
    if value == ZERO:
        return "0"
    # str() is the fast way when it prints no exponent (`E`, or `e` in a context with capitals=0)
    # and at most 40 digits, which normalize() keeps: then only trailing zeros differ.
    text = str(value)
    point = "." in text
    if len(text) <= 40 + point and "E" not in text and "e" not in text:
        return text.rstrip("0").rstrip(".") if point else text
    return format(value.normalize(CONTEXT), "f")


def fixed(value: Decimal | int, places: int) -> str:
    """Exactly `places` decimals, half-up: the form of points and totals."""
    rounded = round_half_up(value, places)
    # str() prints an exponent only beyond 6 decimals; below that it equals format(), in a third of the time
    return str(rounded) if 0 <= places <= 6 else format(rounded, "f")


def percent_text(fraction: Decimal | int) -> str:
    """0.87 -> 87%, 1.034 -> 103.4%, 0.8618304 -> 86.18% (spec section 2)."""
    return plain(round_half_up(CONTEXT.multiply(to_decimal(fraction), HUNDRED), 2)) + "%"


def show(value: Any, type_: model.ValueType, precision: int, chinese: bool) -> str:
    """How a value prints inside a reason, by its type (spec section 2)."""
    if isinstance(value, bool):
        return (phrases.TRUE_WORD if value else phrases.FALSE_WORD).in_(lang_of(chinese))
    if isinstance(value, str):
        return value
    if type_.kind == "percent":
        return percent_text(value)
    if type_.kind == "count" and value == to_decimal(value).to_integral_value():
        return plain(round_half_up(value, 0))
    # a `let … : count` whose formula gave 2.5 prints 2.5, as it was scored: rounded to 3 the reason
    # would say another value than the one the points came from
    return plain(round_half_up(value, precision))


def json_value(value: Any) -> Any:
    """A value for JSON: numbers as exact strings, bools and texts as themselves."""
    if value is None or isinstance(value, (bool, str)):
        return value
    return plain(value)


# ---- a small interpreter, for constants and for `explain` -------------------------------


def interpret(expr: model.Expr, inputs: Any, lets: Any) -> Any:
    """Evaluate a typed expression. `inputs[i]` are input values; `lets(i)` gives let i.

    The compiled evaluator never uses this; it serves constant folding in the
    checker and the step-by-step computation shown by `explain`.
    """
    match expr:
        case model.Const(value=value):
            return value
        case model.ParamRef(value=value):
            return value
        case model.InputRef(index=index):
            return inputs[index]
        case model.LetRef(index=index):
            return lets(index)
        case model.Unary(op="-", operand=operand):
            return -interpret(operand, inputs, lets)
        case model.Unary(op="not", operand=operand):
            return not interpret(operand, inputs, lets)
        case model.Binary(op=op, left=left, right=right):
            a = interpret(left, inputs, lets)
            b = interpret(right, inputs, lets)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return divide(a, b, expr)
        case model.Compare(op=op, left=left, right=right):
            a = interpret(left, inputs, lets)
            b = interpret(right, inputs, lets)
            if left.type.kind == "grade" or right.type.kind == "grade":
                labels = left.type.labels or right.type.labels
                return compare_grades(op, a, b, labels)
            return compare(op, a, b)
        case model.Logical(op="and", left=left, right=right):
            return bool(interpret(left, inputs, lets)) and bool(interpret(right, inputs, lets))
        case model.Logical(op="or", left=left, right=right):
            return bool(interpret(left, inputs, lets)) or bool(interpret(right, inputs, lets))
        case model.IfElse(condition=c, then=t, otherwise=o):
            return interpret(t if interpret(c, inputs, lets) else o, inputs, lets)
        case model.Call(function=function, args=args):
            values = [interpret(a, inputs, lets) for a in args]
            if function == "achievement":  # numbers and percents are read as measures, as compile.py does
                values = [as_measure(v, a.type.kind == "percent") if a.type.kind in PLAIN_NUMBERS else v
                          for v, a in zip(values, args, strict=True)]
            return call(function, values)
    raise AssertionError(f"unknown expression {expr!r}")  # pragma: no cover


def compare(op: str, a: Any, b: Any) -> bool:
    if op == ">=":
        return bool(a >= b)
    if op == ">":
        return bool(a > b)
    if op == "<=":
        return bool(a <= b)
    if op == "<":
        return bool(a < b)
    if op == "==":
        return bool(a == b)
    return bool(a != b)


def compare_grades(op: str, a: str, b: str, labels: tuple[str, ...]) -> bool:
    """Grades compare by rank: `>=` means at least as good (labels are listed best first)."""
    if op in ("==", "!="):
        return (a == b) == (op == "==")
    rank_a, rank_b = labels.index(a), labels.index(b)
    return compare(op, -rank_a, -rank_b)


def call(function: str, values: list[Any]) -> Any:
    if function == "min":
        return min(values)
    if function == "max":
        return max(values)
    if function == "abs":
        return abs(values[0])
    if function == "floor":
        return floor(values[0])
    if function == "ceil":
        return ceil(values[0])
    if function == "round":
        return round_to(values[0], values[1])
    if function == "clamp":
        return clamp(values[0], values[1], values[2])
    if function == "shortfall":
        return shortfall(values[0], values[1])
    if function == "excess":
        return excess(values[0], values[1])
    if function == "achievement":
        return achievement(*values)
    if function == "qualitative":
        return qualitative(values[0])
    if function == "no_rows":
        raise NoRows(values[0])
    if function == "given":
        return bool(values[0])  # rows.py has already turned `given(COLUMN)` into true or false
    raise AssertionError(function)  # pragma: no cover


def achievement(actual: Any, target: Any, direction: str | None = None) -> Decimal:
    """达成度 of two measures (rows.py makes every argument a measure; see measure.achievement)."""
    from perfrules.semantics.measure import achievement as reached

    return reached(actual, target, direction)


# The argument kinds of `achievement` that are read as measures (a measure or direction is itself).
PLAIN_NUMBERS = ("number", "count", "percent")


def as_measure(value: Any, percent: bool) -> Any:
    """A number or percent as an `achievement` argument (see measure.as_measure)."""
    from perfrules.semantics.measure import as_measure as measured

    return measured(value, percent)


def qualitative(value: Any) -> bool:
    """A qualitative measure, or the direction 定性."""
    return value == "定性" if isinstance(value, str) else bool(getattr(value, "qualitative", False))
