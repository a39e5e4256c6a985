"""`Result.to_dict()` as generated code: one function per ruleset, made as the evaluator is.

The audit records (result.py) work out each row of the JSON at run time: which fields a rule
has, how its reason reads, how each number prints. All of that is known once the ruleset is,
so this module writes it down as one straight-line Python function:

* it starts with the evaluator's own scoring lines (compile.scoring), run again on the result's
  inputs, so every value the evaluator records is a local: a Result from the fast entry keeps
  only its points, and the rest are worked out as they were, in the same function that writes
  them (the records re-run the evaluator for them too: `Result._all`);
* names, labels, sources, weights and the fixed words of every reason are constants, and a JSON
  row is a copy of its constant template with the values that vary stored in;
* a reason's catalogue phrase is rendered once per ruleset into its fixed pieces, and only what
  varies (a ratio's percent, the points) is joined in per result;
* a `because` text's insertions and the figures of a generated deduction reason are the rules'
  formulas, written by the evaluator's expression emitter.

What it writes is exactly what `dict_from_records` (result.py) writes: tests/test_writer.py
compares the two for drawn facts on every shipped ruleset and on drawn rule files, and
tests/test_json_goldens.py pins the bytes. As in compile.py, nothing from the rule file or the
facts is pasted into the code: every text and number is a `K<n>` global; the only words
written into the code are the JSON schema's own keys.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from json.encoder import encode_basestring  # json.dumps(text, ensure_ascii=False), in C
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from perfrules.backend import compile
from perfrules.catalogue import Message, Text, lang_of, phrases
from perfrules.results import shape
from perfrules.results.audit_rows import (
    DIRECTIONS_EN,
    SCHEMA,
    TIER_SYMBOLS,
    AuditRow,
    column_json,
    describe,
    input_text,
    jsonable,
    rows_of,
    written,
)
from perfrules.semantics import arithmetic, model

if TYPE_CHECKING:
    from perfrules.engine import Ruleset
    from perfrules.results.result import Result

# A ruleset's writers are generated at its 50th to_dict() or to_json(). Making them costs about
# 30 ms for the Guangzhou ruleset (most of it Python compiling ~50 KB of code), what ~100 results
# written from their records cost more than written by the generated code; a command that writes
# one result, or a test that writes a few, never pays it.
GENERATE_AT = 50

_MARK = "\x00"  # around a field's name in a pre-rendered phrase; no rule text or catalogue entry holds it


class _Unsupported(Exception):
    """A part of the ruleset the generated writer does not write: the records write that ruleset."""


class _Var:
    """Python code for a text that varies per result, as a field of a pre-rendered phrase. `safe`: it
    needs no escaping in JSON (digits, or text already written as JSON: see `_Emitter.as_json`); `clean`:
    it holds no control character (a grade: one of the rule file's labels, which E102 keeps clean)."""

    __slots__ = ("clean", "code", "safe")

    def __init__(self, code: str, safe: bool = False, clean: bool = False) -> None:
        self.code = code
        self.safe = safe
        self.clean = clean


_Made = TypeVar("_Made")


def writer_for(rs: Ruleset) -> Writers | None:
    """The ruleset's generated writer from its `GENERATE_AT`-th call on; None before, or if it has none."""
    return _from_use(rs, "dict_writer", generate)


def lost_writer_for(rs: Ruleset) -> LostWriter | None:
    """The ruleset's generated `Result.lost` from its `GENERATE_AT`-th call on; None before, or if it has none."""
    return _from_use(rs, "lost_writer", generate_lost)


def _from_use(rs: Ruleset, slot: str, make: Callable[[Ruleset], _Made | None]) -> _Made | None:
    """What `make` generates for the ruleset, kept in its attribute `slot`, from the `GENERATE_AT`-th
    call on: until then the slot counts the calls (most rulesets score a few results and never need it)."""
    state = getattr(rs, slot)
    if state is None or type(state) is int:
        uses = (state or 0) + 1
        if uses < GENERATE_AT:
            setattr(rs, slot, uses)
            return None
        # threads racing here only generate it twice
        state = make(rs) or False
        setattr(rs, slot, state)
    return state or None


class LostWriter:
    """A ruleset's generated 扣分原因: `lost(result)` is `Result.lost` as (points, path, reasons) triples,
    largest loss first, without building any record (what `eval --batch --reasons` writes)."""

    def __init__(self, function: Any, rs: Ruleset, code: str, clean: bool) -> None:
        self.function = function
        self.json_function = function.__globals__["lost_json"]  # defined by the same code
        self.code = code  # for review and tests
        # `lost_json` of a result from a plain dict (no overrides, no judged points) holds no control
        # character: its texts are the rule file's (E102 refuses controls in them), the catalogue's, numbers
        # and grade labels. The batch then need not look for any in it (tools/batch.py).
        self.clean = clean
        self.fused: Any = None  # `fused_for`: the evaluator that writes the 扣分原因 too, made on first use

    def lost(self, result: Result) -> list[tuple[Decimal, str, list[str]]]:
        out: list[tuple[Decimal, str, list[str], str]] = self.function(result, result._facts)
        return [(points, path, reasons) for points, path, reasons, _ in out]

    def lost_json(self, result: Result) -> str:
        out: str = self.json_function(result, result._facts)
        return out


def fused_for(rs: Ruleset) -> Any:
    """The ruleset's evaluator that writes the 扣分原因 too (`_Emitter.fused_program`), once it has a
    generated lost list (`lost_writer_for`, which this counts as a use); None before, or for a ruleset
    whose results are not written by it (rows, judged points)."""
    lost = lost_writer_for(rs)
    if lost is None:
        return None
    if lost.fused is None:
        lost.fused = generate_fused(rs) or False
    return lost.fused or None


def generate_fused(rs: Ruleset) -> Any:
    """Generate and compile `evaluate_lost` (see `fused_for`); None for a ruleset it is not for."""
    if rs.rows or rs.judged_number:
        return None
    program = compile.evaluator(rs.compiled)
    try:
        emitter = _Emitter(rs, compile.Scoring(program.emitter, (), program.emitter.local_at))
        code = emitter.fused_program(program.code)
    except _Unsupported:  # pragma: no cover - every construct of the language is written
        return None
    return compile.function_from(code, program.emitter.constants, {**program.names, **emitter.names()},
                                 "evaluate_lost")


def generate_lost(rs: Ruleset) -> LostWriter | None:
    """Generate and compile the 扣分原因 of a ruleset; None for a ruleset it cannot write."""
    made = _generated(rs, "lost")
    return LostWriter(made[0], rs, made[1], made[2]) if made is not None else None


def _generated(rs: Ruleset, entry: str) -> tuple[Any, str, bool] | None:
    """The compiled function `entry` ("write" or "lost") of a ruleset, its code, and whether what it writes
    of a plain dict's result holds only the rule file's texts (see LostWriter); None for a ruleset it
    cannot write."""
    try:
        emitter = _Emitter(rs)
        code = emitter.program() if entry == "write" else emitter.lost_program()
    except _Unsupported:  # pragma: no cover - every construct of the language is written
        return None
    function = compile.function_from(code, emitter.scoring.emitter.constants, emitter.names(), entry)
    return function, code, not emitter.facts_texts


class Writers:
    """A ruleset's generated writers: `to_dict(result)` and `to_json(result)` (indent 2), one function."""

    def __init__(self, function: Any, rs: Ruleset, code: str) -> None:
        self.function = function
        self.code = code  # for review and tests
        self.first, self.count = rs.compiled.layout.inputs, len(rs.model.inputs)
        self.no_overrides = (None,) * len(rs.leaf_number)

    def _call(self, result: Result, as_text: bool) -> Any:
        facts = result._facts
        if facts is None:  # a plain dict through the fast entry: its inputs follow the points
            values = result._values
            return self.function(result, values[self.first:self.first + self.count], (), self.no_overrides, None,
                                 as_text)  # fmt: skip
        judged = tuple([j.points for j in facts.judged])
        overrides = facts.overrides
        points = self.no_overrides if overrides is None else tuple([o and o.points for o in overrides])
        return self.function(result, facts.values, judged, points, facts, as_text)

    def to_dict(self, result: Result) -> dict[str, Any]:
        out: dict[str, Any] = self._call(result, False)
        return out

    def to_json(self, result: Result) -> str:
        out: str = self._call(result, True)
        return out


def generate(rs: Ruleset) -> Writers | None:
    """Generate and compile the writers of a ruleset; None for a ruleset they cannot write."""
    made = _generated(rs, "write")
    return Writers(made[0], rs, made[1]) if made is not None else None


class _Emitter:
    def __init__(self, rs: Ruleset, scoring: compile.Scoring | None = None):
        self.rs = rs
        self.model = rs.model
        self.rows = rows_of(rs)
        self.layout = rs.compiled.layout
        self.lang = lang_of(rs.model.chinese)
        self.places = rs.model.precision
        self.scoring = scoring if scoring is not None else compile.scoring(rs.model)
        self.lines: list[str] = []
        self.texts: dict[int, str] = {}  # input number -> the local holding its text (`wt<k>`)
        self.counter = 0
        # Writing `lost_json`: every text of a reason is made as it stands inside a JSON string (its fixed
        # pieces escaped now, as json.dumps escapes them; the varying ones at run time unless `safe`), so
        # that no reason is encoded again whole.
        self.as_json = False
        self.facts_texts = False  # has `as_json` code written a text of the facts (which may hold controls)?

    # -- helpers
    def const(self, value: Any) -> str:
        if value is None or isinstance(value, bool):
            return repr(value)
        return self.scoring.emitter.const(value)

    def at(self, position: int | None) -> str:
        """The local holding a position of the evaluator's values tuple (`Layout`)."""
        assert position is not None
        return self.scoring.local_at[position]

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def fixed(self, code: str) -> str:
        """`arithmetic.fixed(value, precision)` of a Decimal, inline."""
        quantum = self.const(arithmetic.quantum(self.places))
        rounded = f"{code}.quantize({quantum}, _HALF_UP)"
        # str() prints an exponent only beyond 6 decimals (see arithmetic.fixed)
        return f"_str({rounded})" if 0 <= self.places <= 6 else f'_format({rounded}, "f")'

    def fixed_unless_full(self, code: str, weight: Decimal) -> str:
        """`fixed(code)`, with the text of a value equal to the weight worked out now: most rows of a filed
        form are at full points. (A weight of 0 is left out: its points may be -0, which prints `-0.00`.)"""
        if not weight:
            return self.fixed(code)
        return f"({self.const(arithmetic.fixed(weight, self.places))} if {code} == {self.const(weight)} " \
               f"else {self.fixed(code)})"  # fmt: skip

    def plain_unless_full(self, code: str, weight: Decimal) -> str:
        """`_pl(code)`, with the text of a value equal to the weight worked out now (see fixed_unless_full)."""
        if not weight:
            return f"_pl({code})"
        return f"({self.const(arithmetic.plain(weight))} if {code} == {self.const(weight)} else _pl({code}))"

    def text(self, value: str) -> str:
        """Python for a fixed text of a reason: a constant (in `as_json`, as it stands inside a JSON string)."""
        return self.const(encode_basestring(value)[1:-1] if self.as_json else value)

    def texts_tuple(self, values: tuple[str, ...]) -> str:
        """Python for a tuple of fixed texts of reasons, as `text` writes each."""
        return self.const(tuple(encode_basestring(v)[1:-1] for v in values) if self.as_json else values)

    def var(self, v: _Var) -> str:
        """Python for a varying text of a reason: in `as_json`, escaped at run time unless it is `safe`."""
        if not self.as_json or v.safe:
            return v.code
        if not v.clean:
            self.facts_texts = True
        return f"_ji({v.code})"

    def phrase(self, message: Message | Text, **fields: str | _Var) -> str:
        """Python for a catalogue phrase: its fixed fields rendered now, the varying ones joined in."""
        if isinstance(message, Text):
            return self.text(message.in_(self.lang))
        fixed = {k: v for k, v in fields.items() if isinstance(v, str)}
        varying = {k: self.var(v) for k, v in fields.items() if isinstance(v, _Var)}
        if any(_MARK in v for v in fixed.values()):
            raise _Unsupported(message)  # pragma: no cover - a NUL in a rule text
        text = message.format(self.lang, **fixed, **{k: f"{_MARK}{k}{_MARK}" for k in varying})
        pieces = text.split(_MARK)
        return _joined([self.text(p) if k % 2 == 0 else varying[p] for k, p in enumerate(pieces) if p])

    def expr(self, e: model.Expr) -> str:
        """Python for a formula of the rules, as the evaluator computes it (over the locals `i<k>`, `l<k>`)."""
        try:
            return self.scoring.emitter.expr(e)
        except AssertionError:  # pragma: no cover - a node the evaluator's emitter does not write
            raise _Unsupported(e) from None

    def shown(self, e: model.Expr, depth: int) -> str:
        """A local holding `Result.show(e)`: the formula's value as reasons print it, `—` if it divides by zero."""
        name = self.fresh("we")
        self.emit(depth, "try:")
        self.emit(depth + 1, f"{name} = {self.show(self.expr(e), e.type)}")
        self.emit(depth, "except _DivisionByZero:")
        self.emit(depth + 1, f'{name} = "—"')
        return name

    def shown_var(self, e: model.Expr, depth: int) -> _Var:
        """`shown` as a varying text of a reason: a number's needs no escaping."""
        return _Var(self.shown(e, depth), safe=_numeric(e.type))

    def show(self, code: str, type_: model.ValueType) -> str:
        """Python for arithmetic.show of a value (`code`, evaluated once) of the given type."""
        helper = {"percent": "_show_percent", "count": "_show_count", "number": "_show_number"}.get(type_.kind)
        return f"{helper or '_show'}({code}, {self.const(type_)})"

    def shown_value(self, e: model.Expr, value: str) -> str:
        """Python for `Result.show(e, value)`: a recorded value as reasons print it (None: worked out)."""
        return f"(R.show({self.const(e)}, None) if {value} is None else {self.show(value, e.type)})"

    def template(self, t: model.Template, depth: int) -> str:
        """Python for a rendered `because` text (Result._render); its insertions are computed first."""
        if len(t.parts) == 1 and isinstance(t.parts[0], str):
            return self.text(t.parts[0])
        return _joined([self.text(p) if isinstance(p, str) else self.var(self.shown_var(p, depth))
                        for p in t.parts if p != ""])  # fmt: skip

    def input_text(self, k: int) -> str:
        """The local holding input k as records show it (audit_rows.input_text), bound before the rows."""
        name = self.texts.get(k)
        if name is None:
            name = self.texts[k] = f"wt{k}"
        return name

    def text_of(self, k: int) -> str:
        """Python for audit_rows.input_text of input k, by its declared type; any other value takes the call."""
        v = f"i{k}"
        kind = self.model.inputs[k].type.kind
        if kind == "count":
            return f"_str({v}) if type({v}) is _int else _it({v})"
        if kind in ("number", "percent"):
            return f"_pl({v})"  # plain() of a Decimal or an int is what input_text gives
        if kind == "bool":
            return f'"true" if {v} is True else "false" if {v} is False else _it({v})'
        if kind in ("grade", "text"):
            return f"{v} if type({v}) is _str else _it({v})"
        return f"_it({v})"

    # -- the function
    def program(self) -> str:
        """`write(R, I, J, O, FX, T)`: the JSON of result R as data, or as text if T (see `Writers`)."""
        m, layout = self.model, self.layout
        self.emit(0, "def write(R, I, J, O, FX, T):")
        self.emit(1, "_saved = _getcontext()")
        self.emit(1, "_setcontext(_LOCAL.context)")
        self.emit(1, "try:")
        if m.inputs:
            self.emit(2, "(" + "".join(f"i{k}, " for k in range(len(m.inputs))) + ") = I")
        self.lines.extend(self.scoring.lines)
        self.emit(2, "if FX is None:")
        self.emit(3, "wmeta = {}")
        self.emit(3, "wO = None")
        self.emit(2, "else:")
        self.emit(3, "wmeta = _jsonable(FX.meta)")
        self.emit(3, "wO = FX.overrides")
        if self.rs.judged_number:
            self.emit(2, "wJ = FX.judged")
        texts = len(self.lines)
        self.emit(2, "wL = []")
        rows: list[shape.Node] = [self.row(k, row, 2) for k, row in enumerate(self.rows)]
        adjustments: list[shape.Node] = [self.adjustment(adj, slot, self.rs.source_of(adj.span), 2)
                                         for adj, slot in zip(m.adjustments, layout.adjustments, strict=True)]
        self.emit(2, "wvt = None")
        for k, veto in enumerate(m.vetoes):
            self.emit(2, f"{'if' if k == 0 else 'elif'} {self.at(layout.veto)} == {k}:")
            because = self.template(veto.because, 3)
            self.emit(3, f'wvt = {{"because": {because}, "source": {self.const(self.rs.source_of(veto.span))}}}')
        self.emit(2, "wL.sort(key=_first, reverse=True)")
        rescaled = shape.Flag(f"bool({self.at(layout.dropped)})") if layout.dropped is not None else shape.Fixed(False)
        lost = shape.Obj([("path", shape.Text("q[1]")), ("points", shape.Number(self.fixed("q[0]"))),
                          ("reasons", shape.Each("q[2]", "s", shape.Text("s")))])  # fmt: skip
        top = shape.Obj([
            ("schema", shape.Fixed(SCHEMA)),
            ("ruleset", shape.Fixed({"name": m.name, "version": m.version, "sha256": m.source.sha256})),
            ("engine", shape.Fixed(f"perfrules {self.rs.engine_version}")), ("meta", shape.Data("wmeta")),
            ("total", shape.Number(self.fixed("R.total"))), ("max", shape.Fixed(arithmetic.plain(m.total))),
            ("rating", shape.Scalar("R.rating")), ("veto", shape.Data("wvt")),
            ("raw_total", shape.Number(self.fixed(self.at(layout.raw_total)))), ("rescaled", rescaled),
            ("adjustments", shape.Arr(adjustments)), ("indicators", shape.Arr(rows)),
            ("lost", shape.Each("wL", "q", lost)),
        ])  # fmt: skip
        self.emit(2, "if T:")
        self.emit(3, f"return {shape.joined(shape.text(top, 0, self.const), self.const)}")
        self.emit(2, f"return {shape.data(top, self.const)}")
        self.emit(1, "finally:")
        self.emit(2, "_setcontext(_saved)")
        self.lines[texts:texts] = [f"        {name} = {self.text_of(k)}" for k, name in sorted(self.texts.items())]
        return "\n".join(self.lines) + "\n"

    def lost_program(self) -> str:
        """Two functions over the same lines for a leaf that lost points, and nothing else:

        * `lost(R, FX)`: Result.lost of result R as (points, path, reasons, path as JSON) tuples, largest
          loss first;
        * `lost_json(R, FX)`: the JSON text `eval --batch --reasons` writes of it (json.dumps(…,
          ensure_ascii=False) of `[{"path": …, "points": "…", "reasons": […]}, …]`, each text by json's own
          C encoder), each leaf's object written as the leaf is reached, a leaf that can have only one
          reason without a list of them (the profile in bench/README.md, "Batch with reasons").

        Unlike `write`, they do not run the scoring lines again: they read every value from the result's
        whole tuple (`Result._all`, kept by the fast entry when `Ruleset.keep_values` is set), into the
        same locals."""
        return self.lost_function(False) + self.lost_function(True)

    def lost_function(self, as_json: bool) -> str:
        """`lost` or `lost_json` (see lost_program)."""
        self.lines = []
        self.texts = {}
        self.emit(0, f"def {'lost_json' if as_json else 'lost'}(R, FX):")
        self.emit(1, "_saved = _getcontext()")
        self.emit(1, "_setcontext(_LOCAL.context)")
        self.emit(1, "try:")
        local_at = self.scoring.local_at
        assert sorted(local_at) == list(range(self.layout.size))
        self.emit(2, "(" + "".join(f"{local_at[k]}, " for k in range(self.layout.size)) + ") = R._all")
        self.emit(2, "wO = None if FX is None else FX.overrides")
        if self.rs.judged_number:
            self.emit(2, "wJ = FX.judged")
        texts = len(self.lines)
        self.lost_rows(as_json)
        if as_json:
            self.lost_json_tail("return")
        else:
            self.emit(2, "wL.sort(key=_first, reverse=True)")
            self.emit(2, "return wL")
        self.emit(1, "finally:")
        self.emit(2, "_setcontext(_saved)")
        self.lines[texts:texts] = [f"        {name} = {self.text_of(k)}" for k, name in sorted(self.texts.items())]
        return "\n".join(self.lines) + "\n"

    def lost_rows(self, as_json: bool) -> None:
        """The lost list `wL`, at depth 2: the lines of every leaf (see lost_row)."""
        self.emit(2, "wL = []")
        for n, row in enumerate(self.rows):
            if row.leaf is not None:
                self.lost_row(n, row, 2, as_json)

    def lost_json_tail(self, to: str) -> None:
        """`to` (`return`, or `wLJ =`) the JSON text of the lost list `wL` of JSON objects, at depth 2."""
        self.emit(2, "if not wL:")
        self.emit(3, f'{to} "[]"')
        self.emit(2, "else:")
        self.emit(3, "wL.sort(key=_first, reverse=True)")
        self.emit(3, f'{to} "[" + ", ".join(_map(_second, wL)) + "]"')

    def fused_program(self, evaluator: str) -> str:
        """`evaluate_lost(m, F, J, O, RS)`: the evaluator's program (`evaluator`, compile.evaluator) with,
        after it has made its Result R, the lines of `lost_json` over the values it left in its locals:
        (R, the 扣分原因 as JSON), or None where the evaluator's fast checks return None. For a plain dict
        of inputs only (`F` None, no overrides, no judged points); the evaluator keeps only its head
        (unless the ruleset has a veto), and no values tuple is unpacked again."""
        head, *body, last = evaluator.rstrip("\n").split("\n")
        assert head == "def evaluate(m, F, J, O, RS):" and last == "    return R"
        if not self.model.vetoes:
            # its values are read here, from the locals: the Result keeps only its head, whatever the batch
            # asked (a veto is read from the whole tuple: `Result.veto`, which the batch line writes)
            keep = body.index("        if F is not None or RS.keep_values:")
            body[keep] = "        if F is not None:"
        assert not self.rs.judged_number  # judged points come only with facts, never through here
        self.lines = []
        self.emit(1, "_saved = _getcontext()")
        self.emit(1, "_setcontext(_LOCAL.context)")
        self.emit(1, "try:")
        self.emit(2, "wO = None")
        self.lost_rows(True)
        self.lost_json_tail("wLJ =")
        self.emit(2, "return R, wLJ")
        self.emit(1, "finally:")
        self.emit(2, "_setcontext(_saved)")
        assert not self.texts  # the 扣分原因 print no input as the audit rows do
        return "\n".join(["def evaluate_lost(m, F, J, O, RS):", *body, *self.lines]) + "\n"

    def lost_row(self, n: int, row: AuditRow, d: int, as_json: bool) -> None:
        """`row`'s lines for a leaf: its loss and reasons appended to `wL` when it scored below its weight,
        as (loss, path, reasons, path as JSON), or as (loss, its JSON object) if `as_json`.
        Its adjustments are worked out only then (the reasons are all that reads them here)."""
        ind = row.ind
        self.emit(d, f"wp = {self.at(row.points)}")
        weight = self.const(ind.weight)
        applicable = "" if row.applicable is None else self.at(row.applicable) + " and "
        self.emit(d, f"if {applicable}wp < {weight}:")
        self.as_json = as_json  # the becauses of adjustments are reasons too
        for j, (adj, slot, source) in enumerate(row.adjustments):
            self.adjustment(adj, slot, source, d + 1, f"{n}_{j}")
        self.emit(d + 1, f"wo = wO[{row.leaf_number}] if wO is not None else None")
        if not as_json:
            self.emit(d + 1, "if wo is not None:")
            self.emit(d + 2, "wr = [wo.because]")
            self.emit(d + 1, "else:")
            self.emit(d + 2, "wr = []")
            self.reasons(row, n, d + 2)
            path_json = self.const(encode_basestring(ind.path))
            self.emit(d + 1, f"wL.append(({weight} - wp, {self.const(ind.path)}, wr, {path_json}))")
            return
        start = self.const('{"path": ' + encode_basestring(ind.path) + ', "points": "')
        middle = self.const('", "reasons": ["')
        self.emit(d + 1, f"wq = {weight} - wp")
        if row.adjustments:  # deductions may each add a reason: a list of them, as `lost` makes
            self.emit(d + 1, "if wo is not None:")
            self.emit(d + 2, "wr = [_ji(wo.because)]")
            self.emit(d + 1, "else:")
            self.emit(d + 2, "wr = []")
            self.reasons(row, n, d + 2)
            said = "_qj(wr)"
        else:
            self.emit(d + 1, "if wo is not None:")
            self.emit(d + 2, "w1 = _ji(wo.because)")
            self.emit(d + 1, "else:")
            self.one_reason(row, d + 2)
            said = "w1"
        self.as_json = False
        self.emit(d + 1, f"wL.append((wq, f'{{{start}}}{{{self.fixed('wq')}}}{{{middle}}}{{{said}}}\"]}}}}'))")

    def one_reason(self, row: AuditRow, d: int) -> None:
        """`reasons` for a leaf without adjustments, which has exactly one reason: into `w1`, no list."""
        ind = row.ind
        rule = ind.rule
        assert rule is not None and row.leaf is not None and not row.adjustments
        self.emit(d, "w1 = None")
        if rule.because is not None or rule.kind != "full":  # a `full` rule has no reason of its own
            self.emit(d, f"wraw = {self.at(row.leaf.raw)}")
            self.emit(d, f"if wraw is not None and wraw < {self.const(ind.weight)}:")
            if rule.because is not None:
                self.emit(d + 1, f"w1 = {self.template(rule.because, d + 1)}")
            else:
                self.rule_reason(row, d + 1)
                self.emit(d + 1, "if wg:")
                self.emit(d + 2, "w1 = wg")
        self.emit(d, "if w1 is None:")
        points_of = self.phrase(phrases.POINTS_OF_WEIGHT, points=_Var("_pt(wp)", safe=True),
                                weight=row.weight)
        self.emit(d + 1, f"w1 = {points_of}")
        self.emit(d, f"elif {self.at(row.leaf.clamped)} and wp == 0:")
        self.emit(d + 1, f"w1 += {self.phrase(phrases.FLOORED_AT_ZERO)}")

    def names(self) -> dict[str, Any]:
        m = self.model
        places, chinese = m.precision, m.chinese_keywords
        quantum = arithmetic.quantum(places)

        def show(value: Any, type_: model.ValueType) -> str:
            """arithmetic.show of a formula's value; a let that divided by zero raises its error (printed `—`)."""
            if type(value) is compile.Poison:
                raise value.error
            return arithmetic.show(value, type_, places, chinese)

        def show_percent(value: Any, type_: model.ValueType) -> str:
            return percent_text(value) if type(value) is Decimal else show(value, type_)

        def show_count(value: Any, type_: model.ValueType) -> str:
            return str(value) if type(value) is int else show(value, type_)

        def show_number(value: Any, type_: model.ValueType) -> str:
            if type(value) is Decimal:
                text = str(value.quantize(quantum, ROUND_HALF_UP))  # `plain`, written out
                if "E" in text or len(text) > 40:
                    return plain(value.quantize(quantum, ROUND_HALF_UP))
                if text[-1] == "0" and "." in text:
                    text = text.rstrip("0").rstrip(".")
                return "0" if text == "-0" else text
            return show(value, type_)

        return {
            "_str": str, "_format": format, "_show": show, "_pt": points_printer(places), "_pct": percent_text,
            "_show_percent": show_percent, "_show_count": show_count, "_show_number": show_number,
            "_pl": plain, "_it": input_text, "_jsonable": jsonable, "_first": itemgetter(0), "_int": int, "type": type,
            "_second": itemgetter(1), "_ji": json_inner, "_qj": '", "'.join,
            "_zip": zip, "_HALF_UP": ROUND_HALF_UP, "_enc": encode_basestring, "_map": map, **shape.NAMES,
        }  # fmt: skip

    # -- rows
    def row(self, n: int, row: AuditRow, d: int) -> shape.Node:
        """Emit the JSON row of one indicator into `wx<n>`, as data or as text at depth 2 (by `T`); return a
        node that reads it."""
        name = f"wx{n}"
        ind = row.ind
        self.emit(d, f"wp = {self.at(row.points)}")
        applicable = "True" if row.applicable is None else self.at(row.applicable)
        inputs: shape.Node
        if ind.row is not None:
            inputs = shape.Fixed({k: written(v) for k, v in ind.row.values})
        else:
            inputs = shape.Obj([(key, self.input_node(k)) for key, k in row.inputs
                                if self.model.inputs[k].type.kind != "rows"], data_keys=True)  # fmt: skip
        fixed = shape.Fixed
        fields: list[tuple[str, shape.Node]] = [
            ("path", fixed(ind.path)), ("label", fixed(ind.label)), ("weight", fixed(row.weight)),
            ("points", shape.Number(self.fixed_unless_full("wp", ind.weight))),
        ]  # fmt: skip
        flag = shape.Flag(applicable) if row.applicable is not None else fixed(True)
        slots = row.leaf
        if slots is None:
            fields += [("exact", shape.Number(self.plain_unless_full("wp", ind.weight))), ("rule", fixed("group")),
                       ("source", fixed(row.source)), ("inputs", inputs), ("adjustments", fixed([])),
                       ("override", fixed(None)), ("applicable", flag), ("clamped", fixed(False)),
                       ("reasons", fixed([]))]  # fmt: skip
            group = self.layout.groups[ind.index]
            if row.group_scale and group.scaled is not None and group.base is not None:
                scaled, base = self.at(group.scaled), self.at(group.base)
                fields.append(("scale", shape.Obj([
                    ("out_of", fixed(arithmetic.plain(ind.scale))), ("sum", shape.Number(f"_pl({scaled})")),
                    ("counted", shape.Number(f"_pl({base})")),
                ])))  # fmt: skip
        else:
            adjustments = [self.adjustment(adj, slot, source, d, f"{n}_{j}")
                           for j, (adj, slot, source) in enumerate(row.adjustments)]  # fmt: skip
            self.emit(d, f"wo = wO[{row.leaf_number}] if wO is not None else None")
            weight = self.const(ind.weight)
            self.emit(d, f"if {'' if row.applicable is None else applicable + ' and '}wp < {weight}:")
            self.emit(d + 1, "if wo is not None:")
            self.emit(d + 2, "wr = [wo.because]")
            self.emit(d + 1, "else:")
            self.emit(d + 2, "wr = []")
            self.reasons(row, n, d + 2)
            self.emit(d + 1, f"wL.append(({weight} - wp, {self.const(ind.path)}, wr))")
            self.emit(d, "else:")
            if _achieves(ind):
                # 「达成度116.67%，满分为止」: full points, but the audit shows the row went past its target
                value = self.at(slots.value)
                self.emit(d + 1, f"if {applicable} and wo is None and {value} is not None and {value} > 1:")
                self.emit(d + 2, f"wraw = {self.at(slots.raw)}")
                self.rule_reason(row, d + 2)
                self.emit(d + 2, 'wr = [wg or ""]')
                self.emit(d + 1, "else:")
                self.emit(d + 2, "wr = []")
            else:
                self.emit(d + 1, "wr = []")
            override = shape.Maybe("wo is not None", shape.Obj([
                ("points", shape.Number(self.fixed("wo.points"))), ("because", shape.Text("wo.because")),
                ("computed", shape.Number(self.fixed(self.at(slots.computed)))),
            ]))  # fmt: skip
            fields += [("exact", shape.Number(self.plain_unless_full(self.at(slots.exact), ind.weight))),
                       ("rule", fixed(row.rule)),
                       ("source", fixed(row.source)), ("inputs", inputs), ("adjustments", shape.Arr(adjustments)),
                       ("override", override), ("applicable", flag), ("clamped", shape.Flag(self.at(slots.clamped))),
                       ("reasons", shape.Texts("wr"))]  # fmt: skip
        if ind.row is not None:
            info = ind.row
            fields.append(("row", fixed({"table": info.table, "number": info.number, "key": info.key,
                                         "columns": {k: column_json(v) for k, v in info.values}})))
        if row.judged_number is not None:
            j = f"wJ[{row.judged_number}]"
            fields.append(("judged", shape.Obj([("points", shape.Number(self.fixed(j + ".points"))),
                                                ("band", shape.Scalar(j + ".band")),
                                                ("because", shape.Scalar(j + ".because"))])))
        node = shape.Obj(fields)
        self.emit(d, "if T:")
        self.emit(d + 1, f"{name} = {shape.joined(shape.text(node, 2, self.const), self.const)}")
        self.emit(d, "else:")
        for line in shape.statements(node, name, self.const):
            self.emit(d + 1, line)
        return shape.Ready(name)

    def input_node(self, k: int) -> shape.Node:
        """Input k as records show it (audit_rows.input_text): a number's text needs no escaping."""
        kind = self.model.inputs[k].type.kind
        local = self.input_text(k)
        return shape.Number(local) if kind in ("count", "number", "percent") else shape.Scalar(local)

    def adjustment(self, adj: model.Adjustment, slot: int, source: str, d: int, tag: str = "") -> shape.Node:
        """Emit the amount (`wm<tag>`), whether it applied (`wg<tag>`) and its because (`wb<tag>`) of one
        deduct/bonus (Result._adjustment); return its JSON object."""
        tag = tag or self.fresh("")
        m, g, b = f"wm{tag}", f"wg{tag}", f"wb{tag}"
        self.emit(d, f"{m} = {self.at(slot)}")
        self.emit(d, f"{g} = {m} is not None and {m} > _ZERO")
        because = self.template(adj.because, d) if adj.because is not None else "None"
        self.emit(d, f"{b} = {because}")
        return shape.Obj([
            ("kind", shape.Fixed(adj.kind)), ("amount", shape.Number(f'("0" if {m} is None else _pl({m}))')),
            ("applied", shape.Flag(g)), ("because", shape.Scalar(b) if adj.because is not None else shape.Fixed(None)),
            ("source", shape.Fixed(source)),
        ])  # fmt: skip

    def reasons(self, row: AuditRow, n: int, d: int) -> None:
        """Result._reasons: append to `wr` the reasons of a leaf below its weight (no override)."""
        ind = row.ind
        rule = ind.rule
        assert rule is not None and row.leaf is not None
        if rule.because is not None or rule.kind != "full":  # a `full` rule has no reason of its own
            self.emit(d, f"wraw = {self.at(row.leaf.raw)}")
            self.emit(d, f"if wraw is not None and wraw < {self.const(ind.weight)}:")
        if rule.because is not None:
            self.emit(d + 1, f"wr.append({self.template(rule.because, d + 1)})")
        elif rule.kind != "full":
            self.rule_reason(row, d + 1)
            self.emit(d + 1, "if wg:")
            self.emit(d + 2, "wr.append(wg)")
        for j, adj in enumerate(ind.adjustments):
            tag = f"{n}_{j}"
            if adj.kind != "deduct":
                continue
            self.emit(d, f"if wg{tag}:")
            if adj.because is not None:
                self.emit(d + 1, f"if wb{tag}:")
                self.emit(d + 2, f"wr.append(wb{tag})")
                self.emit(d + 1, "else:")
                self.emit(d + 2, f"wr.append({self.deduction_reason(adj, f'wm{tag}', d + 2)})")
            else:
                self.emit(d + 1, f"wr.append({self.deduction_reason(adj, f'wm{tag}', d + 1)})")
        said = self.text(phrases.FLOORED_WORDS.in_(self.lang))
        self.emit(d, f"if {self.at(row.leaf.clamped)} and wp == 0 and wr and {said} not in wr[-1]:")
        self.emit(d + 1, f"wr[-1] += {self.phrase(phrases.FLOORED_AT_ZERO)}")
        self.emit(d, "if not wr:")
        points_of = self.phrase(phrases.POINTS_OF_WEIGHT, points=_Var("_pt(wp)", safe=True),
                                weight=row.weight)
        self.emit(d + 1, f"wr.append({points_of})")

    def rule_reason(self, row: AuditRow, d: int) -> None:
        """Result._rule_reason: its text into `wg` (None if the rule has none), from `wraw`."""
        ind = row.ind
        rule = ind.rule
        assert rule is not None and row.leaf is not None
        slots = row.leaf
        raw = _Var("_pt(wraw)", safe=True)
        value = self.at(slots.value) if slots.value is not None else "None"
        lang = self.lang
        if isinstance(rule.expr, model.Call) and rule.expr.function == "achievement":
            self.achievement(row, rule.expr, value, d)
        elif rule.kind == "judged" and rule.expr is not None:
            label = rule.band_column.value if isinstance(rule.band_column, model.Const) else None
            name = phrases.NAME_PREFIX.format(lang, name=ind.name) if ind.row is not None else ""
            in_band = phrases.IN_BRACKETS.format(lang, text=label) if label else ""
            self.emit(d, f"wg = {self.phrase(phrases.JUDGED_POINTS, name=name, points=raw, band=in_band)}")
        elif rule.kind == "ratio":
            assert rule.expr is not None
            simple = isinstance(rule.expr, (model.InputRef, model.LetRef, model.ParamRef, model.Const))
            reason = phrases.RATIO_REASON if simple else phrases.RATIO_OF_FORMULA_REASON
            shown = _Var(f'(_pct({value}) if {value} is not None else "—")', safe=True)
            self.emit(d, f"wg = {self.phrase(reason, expr=row.named, value=shown, points=raw)}")
        elif rule.kind == "score":
            assert rule.expr is not None
            shown = _Var(self.shown_value(rule.expr, value), safe=_numeric(rule.expr.type))
            self.emit(d, f"wg = {self.phrase(phrases.SCORE_REASON, expr=row.named, value=shown, points=raw)}")
        elif rule.kind == "tiers":
            assert rule.expr is not None and slots.arm is not None
            bands = []
            for tier in rule.tiers:
                if tier.op is None:
                    bands.append(phrases.TIER_ELSE.in_(lang))
                else:
                    op = TIER_SYMBOLS.get(tier.op, tier.op) if lang == "zh" else tier.op
                    bands.append(phrases.TIER.format(lang, op=op, value=tier.value_text))
            shown = _Var(self.shown_value(rule.expr, value), safe=_numeric(rule.expr.type))
            band = _Var(f"{self.texts_tuple(tuple(bands))}[{self.at(slots.arm)}]", safe=True)
            tiered = self.phrase(phrases.TIER_REASON, expr=row.named, value=shown, tier=band, points=raw)
            self.emit(d, f"wg = {tiered}")
        elif rule.kind == "grade":
            grade = _Var(f"_str({value})", clean=True)  # a label of the rule file, or None
            graded = self.phrase(phrases.GRADE_REASON, expr=row.named, value=grade, points=raw)
            self.emit(d, f"wg = {graded}")
        elif rule.kind == "checklist":
            texts = self.texts_tuple(tuple(item.text for item in rule.items))
            self.emit(d, f"wmissed = [text for text, ok in _zip({texts}, {value} or ()) if not ok]")
            joined = _Var(f"{self.text(phrases.LIST_SEMICOLON.in_(lang))}.join(wmissed)", safe=True)
            self.emit(d, f"wg = {self.phrase(phrases.NOT_MET, items=joined)} if wmissed else None")
        elif rule.kind == "judged":
            assert row.judged_number is not None
            j = f"wJ[{row.judged_number}]"
            band = _Var(f'({self.phrase(phrases.IN_BRACKETS, text=_Var(j + ".band"))} if {j}.band else "")', safe=True)
            self.emit(d, f"wg = {j}.because")  # or, if it has none (or an empty one), the phrase
            judged = self.phrase(phrases.JUDGED_POINTS, name='', points=raw, band=band)
            self.emit(d, f"wg = {self.var(_Var('wg'))} if wg else {judged}")
        else:  # `full`: no reason of its own
            self.emit(d, "wg = None")
        if ind.row is not None:
            # a row's reason names the row (Result._rule_reason): 「丁：自评分为3，得3分」
            self.emit(d, f"if wg is not None and not wg.startswith({self.text(ind.name)}):")
            self.emit(d + 1, f"wg = {self.phrase(phrases.OF_ROW, name=ind.name, text=_Var('wg', safe=True))}")

    def achievement(self, row: AuditRow, call: model.Call, value: str, d: int) -> None:
        """Result._achievement_reason: 「补贴渔船数：目标≥6艘，完成5艘，达成度83.33%，得16.67分」."""
        lang, ind = self.lang, row.ind
        actual, target = (self.as_written(a, d) for a in call.args[:2])
        written_target = call.args[1].value if isinstance(call.args[1], model.Const) else None
        if len(call.args) > 2 and isinstance(call.args[2], model.Const) \
                and getattr(written_target, "direction", lambda: None)() != call.args[2].value:  # fmt: skip
            # the direction came from the rules or a direction column, not the target's sign: say it
            way = str(call.args[2].value)
            said = phrases.IN_BRACKETS.format(lang, text=way if lang == "zh" else DIRECTIONS_EN.get(way, way))
            target = _Var(f"({self.var(target)} + {self.text(said)})", safe=True) if isinstance(target, _Var) \
                else target + said  # fmt: skip
        reached = _Var(f'(_pct({value}) if {value} is not None else "—")', safe=True)
        # only `ratio` clamps an achievement past 100% to full points (spec 10): a tier table does not
        capped: str | _Var = ""
        if ind.rule is not None and ind.rule.kind == "ratio":
            capped = _Var(f'({self.text(phrases.CAPPED_AT_FULL.in_(lang))} if {value} is not None and {value} > 1 '
                          'else "")', safe=True)  # fmt: skip
        name = ind.name if ind.row is not None else describe(self.rs, call).strip()
        reason = self.phrase(phrases.ACHIEVEMENT_REASON, name=name, target=target, actual=actual, reached=reached,
                             capped=capped, points=_Var("_pt(wraw)", safe=True))  # fmt: skip
        self.emit(d, f"wg = {reason}")

    def as_written(self, e: model.Expr, d: int) -> str | _Var:
        """Result._as_written: a measure as the form wrote it, any other value as reasons show it."""
        if isinstance(e, model.Const) and hasattr(e.value, "text"):
            return str(e.value.text)
        return self.shown_var(e, d)

    def deduction_reason(self, adj: model.Adjustment, amount: str, d: int) -> str:
        """Result._adjustment_reason: Python for the reason of an applied deduction without a because."""
        points = _Var(f"_pt({amount})", safe=True)
        if adj.per is not None:
            of = adj.per.of
            if isinstance(of, model.Call) and of.function in ("shortfall", "excess"):
                actual, target = (describe(self.rs, a).strip() for a in of.args)
                gap = self.shown_var(of, d)
                gone = phrases.SHORTFALL_DEDUCTED if of.function == "shortfall" else phrases.EXCESS_DEDUCTED
                return self.phrase(gone, actual=actual, target=target, gap=gap, points=points)
            value = self.shown_var(of, d)
            return self.phrase(phrases.PER_DEDUCTED, what=describe(self.rs, of), value=value, points=points)
        if adj.when is not None:
            return self.phrase(phrases.WHEN_DEDUCTED, condition=adj.when.span.text(), points=points)
        return self.phrase(phrases.DEDUCTED, points=points)


def _joined(codes: list[str]) -> str:
    """Python for the texts `codes` joined: an f-string of them, made in one step rather than pair by pair."""
    if not codes:
        return '""'
    if len(codes) == 1:
        return codes[0]
    if any("'" in code or "\\" in code for code in codes):  # a phrase within a phrase: joined pair by pair
        return "(" + " + ".join(codes) + ")"
    return "f'" + "".join("{" + code + "}" for code in codes) + "'"


def json_inner(text: str) -> str:
    """A text as it stands inside a JSON string (json.dumps(text, ensure_ascii=False) without its quotes)."""
    return encode_basestring(text)[1:-1]


def _numeric(type_: model.ValueType) -> bool:
    """Does a value of this type print as digits (with `.`, `-`, `%`, or `—` for a division by zero)?"""
    return type_.kind in ("number", "percent", "count")


def _achieves(ind: model.Indicator) -> bool:
    rule = ind.rule
    return rule is not None and isinstance(rule.expr, model.Call) and rule.expr.function == "achievement"


# ---- printing, for the generated code: the same text as arithmetic's functions, in fewer steps


def plain(value: Decimal | int) -> str:
    """arithmetic.plain(value) of a Decimal or an int: its str(), trailing zeros dropped, when that prints
    no exponent and at most 40 characters besides a point, as arithmetic.plain's own fast way (else
    arithmetic.plain itself). A quotient worked to the engine's 40 digits (`3.888…889`) is 41 characters.

    For the generated writer, which runs in the engine's context: an exponent prints as `E` there."""
    text = str(value)
    if "E" in text or len(text) > 40 + ("." in text):
        return arithmetic.plain(value)
    if text[-1] == "0" and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points_printer(places: int) -> Callable[[Any], str]:
    """Result._points_text at a precision: a number rounded to it, plain; None is 0. In the engine's context.

    Worked out each time: a dict kept by value would hash the Decimal, and hashing a new 40-digit
    Decimal (each result's are new) costs more than printing it (bench/README.md, "Batch with reasons")."""
    quantum = arithmetic.quantum(places)

    def points_text(value: Any) -> str:
        if type(value) is Decimal:
            text = str(value.quantize(quantum, ROUND_HALF_UP))
            if "E" in text or len(text) > 40:
                return arithmetic.plain(value.quantize(quantum, ROUND_HALF_UP))
            if text[-1] == "0" and "." in text:
                text = text.rstrip("0").rstrip(".")
            return "0" if text == "-0" else text
        return "0" if value is None else arithmetic.plain(arithmetic.round_half_up(value, places))

    def points_text_1_to_6(value: Any) -> str:
        """In fewer steps: a Decimal quantized to 1 to 6 decimals prints no exponent (|value| < 10^30 in the
        engine's context) and always has a point."""
        if type(value) is Decimal:
            text = str(value.quantize(quantum, ROUND_HALF_UP))
            if text[-1] == "0":
                text = text.rstrip("0").rstrip(".")
                return "0" if text == "-0" else text
            return text
        return points_text(value)

    return points_text_1_to_6 if 1 <= places <= 6 else points_text


def percent_text(fraction: Any) -> str:
    """arithmetic.percent_text(fraction): 0.8618304 -> 86.18%. In the engine's context, as `plain`."""
    if type(fraction) is not Decimal:
        return arithmetic.percent_text(fraction)
    # `plain`, written out: quantized to 0.01 (and |fraction| < 10^28, or the product overflows as
    # arithmetic's does), the text has no exponent and a point
    text = str((fraction * _HUNDRED).quantize(_CENT, ROUND_HALF_UP))
    if text[-1] == "0":
        text = text.rstrip("0").rstrip(".")
        return ("0" if text == "-0" else text) + "%"
    return text + "%"


_HUNDRED, _CENT = Decimal(100), Decimal("0.01")

