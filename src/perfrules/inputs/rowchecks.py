"""The row loop's input checks: Python lines, inlined into a rows ruleset's generated row loop
(backend/rowloop.py), that take a plain dict of inputs, tables of rows included, straight in.

Like fastchecks.py they accept only what they can vouch for at a glance and `return None`
for anything else; the caller then runs the expansion path, whose `facts.validate` reports
every problem. So they change speed, never an outcome or a message. Values that need reading
(measures 「≥95%」, percents, directions) go through `facts.convert` once per distinct text
and column, and are then looked up.
"""

from __future__ import annotations

import operator
import sys
from decimal import Decimal
from typing import Any

import attrs

from perfrules.inputs.facts import MAX_ROWS, MISSING
from perfrules.inputs.fastchecks import _MAX_INT, at_a_glance
from perfrules.inputs.values import convert
from perfrules.semantics import model

_CACHE_LIMIT = 4096  # distinct texts kept per column: forms repeat their targets and units


class Unsupported(Exception):
    """An input the row loop does not read; the ruleset keeps the expansion path."""


@attrs.frozen
class RowChecks:
    """Lines that check the mapping `m` and bind its inputs to `i0`, `i1`, …: a rows input becomes
    a list of tuples, one per row, its columns' values in declaration order (MISSING where an
    optional column has none). `namespace` holds the names the lines use."""

    lines: tuple[str, ...]
    namespace: dict[str, Any]


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "_type": type, "_len": len, "_dict": dict, "_list": list, "_tuple": tuple, "_int": int,
            "_bool": bool, "_str": str, "_Decimal": Decimal, "_MI": _MAX_INT, "_NMI": -_MAX_INT,
            "_E": "E", "_convert": convert, "_MISSING": MISSING, "_ABSENT": object(), "_MAX_ROWS": MAX_ROWS,
        }  # fmt: skip
        self.names = 0

    def name(self, prefix: str, value: Any) -> str:
        """A global of the generated code holding `value` (names and texts are never pasted in)."""
        self.names += 1
        name = f"_{prefix}{self.names}"
        self.namespace[name] = value
        return name

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def value(self, depth: int, v: str, spec: model.Input | model.Column) -> None:
        """Check the value in `v` (not None) for `spec`, converting it in place, or return None."""
        kind = spec.type.kind
        if kind == "text" and (spec.low is not None or spec.high is not None):
            raise Unsupported("a text with a range")  # read by `convert`, not taken as it is
        # a direction (a grade) is read by `convert`, which takes its symbols (≥, ≤) too
        plain = kind != "grade" or spec.type != model.DIRECTION
        labels = self.name("G", frozenset(spec.type.labels)) if kind == "grade" and plain else ""
        checked = at_a_glance(v, kind, labels) if plain else None
        if checked is not None:  # what `fast_checks` takes as it is, for a plain input
            for line in checked:
                self.emit(depth, line)
        elif kind in ("percent", "measure", "grade"):  # read by `convert`, once per distinct text
            if kind == "measure" and (spec.low is not None or spec.high is not None):
                raise Unsupported("a measure with a range")
            cache, read = self.name("C", {}), self.name("S", spec)
            self.emit(depth, f"_y = {cache}.get({v})")  # only texts are kept: anything else misses
            self.emit(depth, "if _y is None:")
            self.emit(depth + 1, f"_y, _p = _convert({read}, {v})")
            self.emit(depth + 1, "if _p is not None:")
            self.emit(depth + 2, "return None")
            self.emit(depth + 1, f"if _type({v}) is _str and _len({cache}) < {_CACHE_LIMIT}:")
            self.emit(depth + 2, f"{cache}[{v}] = _y")
            self.emit(depth, f"{v} = _y")
            return  # convert checked the range
        else:
            raise Unsupported(f"an input of kind {kind}")
        if spec.low is not None and spec.high is not None:
            low, high = self.name("L", spec.low), self.name("H", spec.high)
            self.emit(depth, f"if not {low} <= {v} <= {high}:")
            self.emit(depth + 1, "return None")

    def rows(self, depth: int, v: str, table: model.Input) -> None:
        """A rows input: a list of tables, each with declared columns only, into a list of tuples."""
        columns = self.name("K", frozenset(c.name for c in table.columns))
        self.emit(depth, f"if _type({v}) is not _list and _type({v}) is not _tuple or _len({v}) > _MAX_ROWS:")
        self.emit(depth + 1, "return None")
        self.emit(depth, "_t = []")
        self.emit(depth, f"for _r in {v}:")
        d = depth + 1
        self.emit(d, f"if _type(_r) is not _dict or not _r.keys() <= {columns}:")
        self.emit(d + 1, "return None")
        required = [j for j, c in enumerate(table.columns) if not (c.optional or c.has_default)]
        if required:  # taken in one C call; a missing one raises KeyError, which the caller takes as None
            names = [sys.intern(table.columns[j].name) for j in required]
            getter = self.name("G", operator.itemgetter(*names) if len(names) > 1 else
                               lambda r, name=names[0]: (r[name],))  # fmt: skip
            self.emit(d, "".join(f"_c{j}, " for j in required) + f"= {getter}(_r)")
        for j, column in enumerate(table.columns):
            if column.type.kind == "measure" and column.has_default:
                raise Unsupported("a measure column with a default")  # its default is a number, not a measure
            x = f"_c{j}"
            if j not in required:
                self.emit(d, f"{x} = _r.get({self.name('N', sys.intern(column.name))})")
            if column.has_default or column.optional:
                # facts._rows: an empty cell of an optional column, as a sheet exports it, has no value
                self.emit(d, f"if {x} is None or _type({x}) is _str and not {x}.strip():")
            else:
                self.emit(d, f"if {x} is None:")
            if column.has_default:
                self.emit(d + 1, f"{x} = {self.name('D', column.default)}")
            elif column.optional:
                self.emit(d + 1, f"{x} = _MISSING")
            else:
                self.emit(d + 1, "return None")
            self.emit(d, "else:")
            self.value(d + 1, x, column)
        values = "".join(f"_c{j}, " for j in range(len(table.columns)))
        self.emit(d, f"_t.append(({values}))")
        self.emit(depth, f"{v} = _t")


def row_checks(ruleset: model.CheckedRuleset) -> RowChecks:
    """The lines that take a dict of inputs into the row loop, or Unsupported for an input they cannot read.

    They expect the mapping in `m` and bind `i<k>` for every input, defaults included; for anything
    they cannot vouch for they `return None`, or raise KeyError (a row without a required column)
    or TypeError (a value that is not hashable where a text is looked up), which mean the same.
    """
    writer = _Writer()
    declared = writer.name("K", frozenset(inp.name for inp in ruleset.inputs))
    writer.emit(0, f"if _type(m) is not _dict or not m.keys() <= {declared}:")
    writer.emit(1, "return None")
    for k, inp in enumerate(ruleset.inputs):
        if inp.type.kind == "measure":
            raise Unsupported("a measure input")  # rows.py reads it whole, not as a number
        v = f"i{k}"
        writer.emit(0, f"{v} = m.get({writer.name('N', sys.intern(inp.name))}, _ABSENT)")
        writer.emit(0, f"if {v} is _ABSENT:")
        writer.emit(1, f"{v} = {writer.name('D', inp.default)}" if inp.has_default else "return None")
        writer.emit(0, "else:")
        if inp.type.kind == "rows":
            writer.rows(1, v, inp)
        else:
            writer.value(1, v, inp)
    return RowChecks(tuple(writer.lines), writer.namespace)
