"""The one decimal context every evaluation, load and literal runs in, never the caller's.

The lowest layer: the parser reads literals in it, the checker folds constants in it and the
generated code computes in it."""

from __future__ import annotations

import decimal
import threading

# Every evaluation runs inside this context (via decimal.localcontext), so the
# caller's thread-local context is never read or changed. 40 significant
# digits keep any budget figure exact; quotients are the only inexact values.
CONTEXT = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=29,  # |values| < 10^30: a point quantizes within 40 digits at any precision (E503 past it)
    Emin=-99999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
    capitals=1,  # str() of a Decimal prints `E`: the fast facts checks look for it
)


class _ThreadContext(threading.local):
    """Each thread's own copy of CONTEXT, made when the thread first evaluates."""

    def __init__(self) -> None:
        self.context = CONTEXT.copy()


# `LOCAL.context` is what evaluations set as the current context (a Context is not thread-safe to share).
LOCAL = _ThreadContext()


class EngineContext:
    """`with EngineContext():` runs in this thread's engine context and restores the caller's after.

    A class, not a @contextmanager generator: reasons enter it once per printed value.
    """

    __slots__ = ("saved",)

    def __enter__(self) -> None:
        self.saved = decimal.getcontext()
        decimal.setcontext(LOCAL.context)

    def __exit__(self, *exc: object) -> None:
        decimal.setcontext(self.saved)


def parse_decimal(text: str) -> decimal.Decimal:
    """`parse_float` for JSON and TOML: the number written, exactly; or, for one whose exponent no
    Decimal can hold (`991e59999999999999999999`, found by bench/fuzz.py: a bare InvalidOperation
    before), a stand-in as large (or as small) that the facts checks refuse as they refuse any number
    past their limits (F205), instead of a crash."""
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        sign = "-" if text.lstrip().startswith("-") else ""
        tiny = "e-" in text.lower()
        return decimal.Decimal(f"{sign}1E{'-' if tiny else '+'}999999")
