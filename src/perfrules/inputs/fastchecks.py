"""The fast path's input checks: Python lines, inlined into each ruleset's generated
evaluator, that take a plain `dict` of inputs straight in when every value is one they can
vouch for at a glance, and otherwise hand the facts to `facts.validate`, which reports every
problem. So they change speed, never an outcome or a message; their limits derive from the
full validator's."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from perfrules import records
from perfrules.inputs.values import MAX_DIGITS, MAX_MAGNITUDE, convert
from perfrules.semantics import arithmetic, model

# The fast checks' limits, derived from the full validator's (`_number`): an int below
# MAX_MAGNITUDE, and a Decimal of at most _FAST_CHARS characters in plain notation, which
# has at most that many digits and integer digits, so `_number` would accept it unchanged.
_MAX_INT = int(MAX_MAGNITUDE)
_FAST_CHARS = min(MAX_MAGNITUDE.adjusted(), MAX_DIGITS)


@records.record
class FastChecks:
    """Python lines that check a plain mapping of inputs and bind them to `i0`, `i1`, ...

    The lines expect the mapping in `m` and `return None` at the first value they
    cannot vouch for; the names they use are in `namespace`. They run in the
    engine's decimal context (str() of a Decimal follows the context's `capitals`).
    """

    lines: tuple[str, ...]
    namespace: Mapping[str, Any]


def at_a_glance(v: str, kind: str, labels: str) -> list[str] | None:
    """The lines that take the value in `v` as it is for an input or column of this kind (an int
    number becomes a Decimal) or `return None`; None for a kind they do not read at a glance.
    `labels`: the name of the frozenset of a grade's labels in the generated code's namespace."""
    if kind == "number":
        # At most _FAST_CHARS characters in plain notation (see there). `v or not v.is_signed()`:
        # -0 is left to `_number`, which reads it as 0.
        return [
            f"if (_type({v}) is _Decimal and {v}.is_finite() and _len(_s := _str({v})) <= {_FAST_CHARS}"
            f" and _E not in _s and ({v} or not {v}.is_signed())):",
            "    pass",
            f"elif _type({v}) is _int and _NMI < {v} < _MI:",
            f"    {v} = _Decimal({v})",
            "else:",
            "    return None",
        ]  # fmt: skip
    if kind == "count":
        return [f"if _type({v}) is not _int or not 0 <= {v} < _MI:", "    return None"]
    if kind == "bool":
        return [f"if _type({v}) is not _bool:", "    return None"]
    if kind == "grade":
        return [f"if _type({v}) is not _str or {v} not in {labels}:", "    return None"]
    if kind == "text":
        return [f"if _type({v}) is not _str:", "    return None"]
    return None


def fast_checks(ruleset: model.CheckedRuleset) -> FastChecks:
    """The checks of a fast path from a plain `dict` of inputs straight into the evaluator.

    They accept only what they can vouch for at a glance: a `dict` holding exactly the
    declared inputs, numbers as Decimal (at most _FAST_CHARS characters, no exponent) or int,
    counts as int, bools as bool, grades and texts as str, percents through `convert`.
    For anything else they return None, and the caller runs `validate`, which reports
    every problem as before. So they change speed, never an outcome or a message.
    Judged points are checked apart, by `judged_points`.
    """
    inputs = ruleset.inputs
    namespace: dict[str, Any] = {
        "_type": type, "_len": len, "_dict": dict, "_int": int, "_bool": bool, "_str": str,
        "_Decimal": Decimal, "_KeyError": KeyError, "_MI": _MAX_INT, "_NMI": -_MAX_INT, "_convert": convert,
        "_E": "E",  # a name, not a literal: generated code holds no strings
    }  # fmt: skip
    lines = [f"if _type(m) is not _dict or _len(m) != {len(inputs)}:", "    return None"]
    if inputs:
        # interned names: faster dict lookups
        namespace["_GET"] = arithmetic.values_getter([sys.intern(inp.name) for inp in inputs])
        names = ", ".join(f"i{k}" for k in range(len(inputs)))
        lines += ["try:", f"    ({names},) = _GET(m)", "except _KeyError:", "    return None"]
    for k, inp in enumerate(inputs):
        v = f"i{k}"
        kind = inp.type.kind
        if kind == "grade":
            namespace[f"_G{k}"] = frozenset(inp.type.labels)
        checked = at_a_glance(v, kind, f"_G{k}")
        if checked is None:  # percent, or any kind added later: the full conversion of that one value
            namespace[f"_I{k}"] = inp
            lines += [f"{v}, _p = _convert(_I{k}, {v})", "if _p is not None:", "    return None"]
            continue
        lines += checked
        if inp.low is not None and inp.high is not None:
            namespace[f"_L{k}"], namespace[f"_H{k}"] = inp.low, inp.high
            lines += [f"if not _L{k} <= {v} <= _H{k}:", "    return None"]
    return FastChecks(tuple(lines), namespace)


