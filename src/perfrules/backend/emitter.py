"""Expressions as Python source: the one writer of the evaluator's (compile.py) and the row loop's (rowloop.py).

A model expression becomes the text of a Python expression. Nothing from the rule file is pasted
into it: a constant becomes a name `K<n>` whose value the generated code is given as a global
(`constants`), and an input, a let or a row's column becomes a place its user names. `ExprEmitter`
writes the operators both users share, the same text for both; where they differ, it calls a hook
that each user writes:

* `place`: how a value is reached. The evaluator reads the locals `i<k>` (inputs) and `l<k>`
  (lets); the row loop the items of its inputs tuple, `i[k]` (the lets after the inputs), and of
  the row's tuple, `_cell(r[k])`.
* `divide`: `a / b`, and division by zero. The evaluator names the division's site
  (`_zero(site)`, `_div(a, b, site)`) for the engine's error; the row loop bails out to the
  expansion path (its `_div`), which names it.
* `ranked`: an ordered comparison of grades (`rating >= 良`). The evaluator compares ranks; the
  row loop does not support it.
* `call`: a function. The evaluator calls every function of the language; the row loop only
  `given`, `qualitative` and `achievement` of its row's columns.

A hook that cannot write an expression raises: the row loop's raise `Unsupported` (the ruleset
then has no row loop), the evaluator's meet only what the checker and rows.py leave.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfrules.semantics import model

Place = model.InputRef | model.LetRef | model.ColumnRef | model.Aggregate


class ExprEmitter:
    """Writes model expressions as Python source; subclasses give the hooks (see the module's docstring)."""

    def __init__(self, shared_constants: bool = True):
        # Equal values share one K<n>, unless each occurrence is to have its own (see compile.code_object)
        self.shared_constants = shared_constants
        self.constants: list[Any] = []  # K<n> is constants[n]
        self.constant_index: dict[tuple[type, Any], int] = {}

    def const(self, value: Any) -> str:
        """The name `K<n>` of a value the generated code receives as a global."""
        # Decimals by their text: 10, 10.000000 and -0 are equal but not the same constant
        key = (type(value), id(value) if isinstance(value, dict) else str(value) if isinstance(value, Decimal)
               else value)  # fmt: skip
        if not self.shared_constants:
            self.constants.append(value)
            return f"K{len(self.constants) - 1}"
        if key not in self.constant_index:
            self.constant_index[key] = len(self.constants)
            self.constants.append(value)
        return f"K{self.constant_index[key]}"

    def expr(self, e: model.Expr) -> str:
        match e:
            case model.Const(value=value) | model.ParamRef(value=value):
                if isinstance(value, bool):
                    return "True" if value else "False"
                return self.const(value)
            case model.InputRef() | model.LetRef() | model.ColumnRef() | model.Aggregate():
                return self.place(e)
            case model.Unary(op="-", operand=operand):
                return f"(-{self.expr(operand)})"
            case model.Unary(op="not", operand=operand):
                return f"(not {self.expr(operand)})"
            case model.Binary(op="/"):
                return self.divide(e)
            case model.Binary(op=op, left=left, right=right):
                return f"({self.expr(left)} {op} {self.expr(right)})"
            case model.Compare(op=op, left=left, right=right):
                a, b = self.expr(left), self.expr(right)
                if left.type.kind == "grade" and op not in ("==", "!="):
                    return self.ranked(e, a, b)
                return f"({a} {op} {b})"
            case model.Logical(op=op, left=left, right=right):
                return f"({self.expr(left)} {op} {self.expr(right)})"
            case model.IfElse(condition=c, then=t, otherwise=o):
                return f"({self.expr(t)} if {self.expr(c)} else {self.expr(o)})"
            case model.Call():
                return self.call(e)
        raise AssertionError(e)  # pragma: no cover - model.Expr has no other kind

    # -- the hooks
    def place(self, e: Place) -> str:
        """How the generated code reaches an input, a let, a row's column (or an aggregate)."""
        raise NotImplementedError  # pragma: no cover

    def divide(self, e: model.Binary) -> str:
        """`e.left / e.right`, with what happens on a division by zero."""
        raise NotImplementedError  # pragma: no cover

    def ranked(self, e: model.Compare, a: str, b: str) -> str:
        """An ordered comparison of two grades (`a`, `b`: their source, already written)."""
        raise NotImplementedError  # pragma: no cover

    def call(self, e: model.Call) -> str:
        """A call of one of the language's functions."""
        raise NotImplementedError  # pragma: no cover
