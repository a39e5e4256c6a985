"""What a ruleset declares, as plain public data: its inputs and its judged leaves.

These are what `Ruleset.inputs` and `Ruleset.judged` return, and what `perfrules new facts`
writes a template from. They hold only strings, Decimals, bools and tuples: no model
or syntax nodes, which change with the language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from perfrules import decimal_context
from perfrules.semantics import arithmetic, model


@attrs.frozen
class InputSpec:
    """One declared input: what a facts file must (or may) give for it."""

    name: str
    kind: str  # number, percent, count, bool, text or grade
    labels: tuple[str, ...]  # the grade's labels, best first; () for other kinds
    label: str | None  # the input's description, like "全年预算数（万元）"
    low: Decimal | None  # the declared range `in LOW..HIGH` (a percent as a fraction: 90% is 0.9)
    high: Decimal | None
    has_default: bool
    default: Decimal | int | bool | str | None
    columns: tuple[InputSpec, ...] = ()  # a rows input's columns (kind "rows")
    optional: bool = False  # a column that a row may leave out

    @property
    def type(self) -> str:
        """The type as the rule file writes it: `percent`, `grade(优, 良, 中, 差)`."""
        return f"grade({', '.join(self.labels)})" if self.kind == "grade" else self.kind

    def show(self, value: Decimal | int | bool | str) -> str:
        """A value of this input as a facts file writes it: `"92.5%"`, `8881.35`, `true`, `"良"`."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if self.kind == "percent" and isinstance(value, Decimal):
            return f'"{arithmetic.plain(value.scaleb(2, decimal_context.CONTEXT))}%"'
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return arithmetic.plain(value)


@attrs.frozen
class BandSpec:
    """One band of a judged leaf: its label and its points interval."""

    label: str
    low: Decimal
    low_closed: bool
    high: Decimal
    high_closed: bool

    def __str__(self) -> str:
        left, right = "[" if self.low_closed else "(", "]" if self.high_closed else ")"
        return f"{self.label} {left}{arithmetic.plain(self.low)}, {arithmetic.plain(self.high)}{right}"


@attrs.frozen
class JudgedSpec:
    """One `judged` leaf: the points a facts file gives it under [judged], and its bands."""

    path: str
    label: str | None
    weight: Decimal
    bands: tuple[BandSpec, ...]


def inputs_of(ruleset: model.CheckedRuleset) -> tuple[InputSpec, ...]:
    """The declared inputs, in declaration order."""
    return tuple(_spec(inp, tuple(_spec(c) for c in getattr(inp, "columns", ()))) for inp in ruleset.inputs)


def _spec(inp: Any, columns: tuple[InputSpec, ...] = ()) -> InputSpec:
    labels = tuple(inp.type.labels) if inp.type.kind in ("grade", "direction") else ()
    return InputSpec(inp.name, inp.type.kind, labels, inp.label, inp.low, inp.high, inp.has_default, inp.default,
                     columns, bool(getattr(inp, "optional", False)))


def judged_of(ruleset: model.CheckedRuleset) -> tuple[JudgedSpec, ...]:
    """The `judged` leaves, in file order."""
    out = []
    for leaf in ruleset.leaves():
        if leaf.rule is None or leaf.rule.kind != "judged":
            continue
        bands = tuple(BandSpec(b.label, b.low, b.low_closed, b.high, b.high_closed) for b in leaf.rule.bands or ())
        out.append(JudgedSpec(leaf.path, leaf.label, leaf.weight, bands))
    return tuple(out)
