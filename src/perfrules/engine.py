"""The public pipeline: source -> parse -> check -> compile -> Ruleset.evaluate -> Result."""

from __future__ import annotations

import collections
import contextlib
import copyreg
import decimal
import functools
import gc
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from perfrules import decimal_context
from perfrules.backend.compile import Compiled, NothingApplies, ResultMaker, compile_ruleset
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import (
    Diagnostic,
    EvaluationError,
    FactsError,
    PerfrulesError,
    RulesError,
    suggestion_budget,
)
from perfrules.inputs import is_workbook
from perfrules.inputs.facts import JudgedLeaves, RowsFactsError, Validated, judged_points, validate
from perfrules.inputs.facts_file import Facts, coerce
from perfrules.results.audit_rows import AuditRow
from perfrules.results.result import Loss, Result, dumps
from perfrules.semantics import arithmetic, model
from perfrules.source import Source, Span

if TYPE_CHECKING:
    from perfrules.results.loopwriter import LoopWriter
    from perfrules.semantics.declared import InputSpec, JudgedSpec

# Parsing runs at roughly 0.5 MB/s (pure-Python LALR); 2 MB keeps the worst case to seconds.
MAX_RULES_BYTES = 2_000_000

# What the generated evaluator raises on facts it took in but cannot score (a division by zero,
# a unit mismatch, nothing applying, a number beyond the context): the fast entries then return
# None, and the general path raises it with its diagnostics.
FAILED_ON_THE_FAST_ENTRY = (arithmetic.DivisionByZero, arithmetic.AchievementFailed, NothingApplies,
                            decimal.DecimalException)


def _engine_version() -> str:
    from perfrules import __version__

    return __version__


class Ruleset:
    """A checked, compiled ruleset, ready to evaluate facts. Made by `perfrules.load`."""

    keep_values = False  # see __init__; a rows ruleset, which returns from __init__ before it compiles, has it too

    def __init__(self, checked: model.CheckedRuleset, display_name: str | None = None, expanded: bool = False,
                 compiled_by: Callable[[str], CodeType] | None = None):
        self.model = checked
        self.display_name = display_name or checked.source.name
        self.engine_version = _engine_version()
        self.indicator_list = checked.all_indicators()
        # A ruleset with rows (spec section 10) has its leaves only once the facts are known: it is
        # compiled per set of rows (rows.expand), and the compiled expansions are kept for reuse.
        self.rows = checked.has_rows and not expanded
        self.origin: Ruleset | None = None  # an expansion: the rows ruleset it was made from
        self._expansions: collections.OrderedDict[Any, Ruleset] = collections.OrderedDict()
        self._expansions_lock = threading.Lock()
        self.parent_of: dict[int, model.Indicator] = {}
        for ind in self.indicator_list:
            for child in ind.children:
                self.parent_of[child.index] = ind
        self._sources: dict[int, str] = {}
        if self.rows:
            from perfrules.backend.rowloop import build

            # scores a plain dict of inputs without expanding its rows, when it can vouch for them (rowloop.py)
            self.row_loop = build(checked)
            return
        labels = tuple(arm.label for arm in checked.rating)
        self.compiled: Compiled = compile_ruleset(checked, ResultMaker(Result, checked.total, labels),
                                                  shared_constants=not expanded, compiled_by=compiled_by)
        leaves = [i for i in self.indicator_list if i.is_leaf]
        self.leaf_number = {leaf.index: k for k, leaf in enumerate(leaves)}
        judged = [leaf for leaf in leaves
                  if leaf.rule is not None and leaf.rule.kind == "judged" and leaf.rule.expr is None]
        self.judged_number = {leaf.index: k for k, leaf in enumerate(judged)}
        layout = self.compiled.layout
        # What Result.breakdown and Result.adjustment_amounts read, made once per ruleset.
        self.point_slots = tuple(
            (ind.path, (layout.leaves.get(ind.index) or layout.groups[ind.index]).points)
            for ind in self.indicator_list
        )
        self.adjustment_getter = arithmetic.values_getter(list(layout.adjustments))
        self.audit_rows: tuple[AuditRow, ...] | None = None  # made by results/result.py on the first audit read
        self.dict_writer: Any = None  # results/writer.py: how many to_dict() so far, then the generated writer
        self.lost_writer: Any = None  # results/writer.py: how many lost lists so far, then the generated one
        # True: the fast entry keeps every value the evaluator computed, not just the points and the total,
        # so that reading a result's reasons need not run the evaluator again (compile.py; the batch sets it
        # when it writes reasons). The values are the same either way.
        self.keep_values = False

    # Made on first use, not at load: a large ruleset loads faster, and many callers never ask.
    @functools.cached_property
    def inputs_of(self) -> dict[int, list[tuple[str, int]]]:
        """Indicator index -> the inputs its points depend on (name, input number), for audit records."""
        return {ind.index: _inputs_used(self.model, ind) for ind in self.indicator_list}

    @functools.cached_property
    def loop_writer(self) -> LoopWriter | None:
        """A rows ruleset's writer of its loop results' audit (results/loopwriter.py), made on the first
        audit read; None: they take the expansion path for it."""
        from perfrules.results.loopwriter import build

        return build(self)

    @functools.cached_property
    def judged_leaves(self) -> JudgedLeaves:
        return JudgedLeaves.of(self.model)

    @functools.cached_property
    def breakdown_of(self) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
        return _dict_maker(self.point_slots)

    def source_of(self, span: Span) -> str:
        """`FILE:LINE` of a span, as audit records give it (cached: every record of every result asks)."""
        text = self._sources.get(span.start)
        if text is None:
            text = self._sources[span.start] = f"{self.display_name}:{span.line}"
        return text

    # -- facts in, result out
    def evaluate(self, facts: Facts | Mapping[str, Any] | str | Path) -> Result:
        """Score one set of facts: a facts file path, a mapping of inputs, or a Facts.

        Raises FactsError listing every problem with the facts, or EvaluationError
        (a division by zero the rules did not guard). Never returns a partial result.
        A path of a filled-in form (`.xlsx`, `.xlsm`, `.xls`, `.csv`) is read as `perfrules eval` reads it.
        """
        if isinstance(facts, (str, Path)) and is_workbook(facts):
            from perfrules.inputs.workbook import evaluate_form

            return evaluate_form(self, facts)  # type: ignore[no-any-return]
        if self.rows:
            if self.row_loop is not None:
                looped = None
                if isinstance(facts, (str, Path)):
                    facts = coerce(facts)
                if type(facts) is dict:
                    looped = self._evaluate_loop(facts)
                elif type(facts) is Facts and not (facts.override or facts.judged or facts.extra_tables
                                                   or facts.loose_keys):
                    # a loaded facts file (`eval`, a batch of folders): its inputs are a plain dict too
                    looped = self._evaluate_loop(dict(facts.facts), facts)
                if looped is not None:
                    return looped
            return self._evaluate_rows(coerce(facts))
        # The fast entry (a dict of inputs, or one shaped like a facts file without [override])
        # returns None for anything its checks cannot vouch for, or that fails to evaluate;
        # `validate` and the general path then report it with their diagnostics.
        if type(facts) is dict:
            try:
                # judged points come only in a facts-shaped dict
                result = None if self.judged_number else self.compiled.function(facts, None, (), None, self)
                if result is None:
                    result = self._evaluate_facts_shaped(facts)
            except FAILED_ON_THE_FAST_ENTRY:
                result = None  # the general path raises it with its diagnostics
            if result is not None:
                if self.risky_insertions:
                    self._insertions_fit(result)
                return result
        elif type(facts) is Facts and not (facts.override or facts.extra_tables):
            # a loaded facts file: the same fast entry, then named like the full path names it
            result = self._evaluate_loaded(facts)
            if result is not None:
                return result
        validated = validate(self.model, coerce(facts))
        return self.evaluate_validated(validated)

    def evaluate_fused(self, fused: Callable[..., Any], facts: dict[str, Any]) -> tuple[Result, Any] | None:
        """`evaluate(facts)` of a plain dict of inputs by `fused`, a function generated on the evaluator
        that returns its Result with more (results/writer.py: `fused_for`, the 扣分原因 as JSON for
        `eval --batch --reasons`); None where the fast entry declines the facts: the caller then calls
        `evaluate`, which says what is wrong with them."""
        try:
            made: tuple[Result, Any] | None = fused(facts, None, (), None, self)
        except FAILED_ON_THE_FAST_ENTRY:
            return None
        if made is not None and self.risky_insertions:
            self._insertions_fit(made[0])
        return made

    def _evaluate_loaded(self, facts: Facts) -> Result | None:
        inputs = facts.facts if type(facts.facts) is dict else dict(facts.facts)
        judged_table: Mapping[str, Any] = facts.judged
        try:
            judged = judged_points(self.judged_leaves, judged_table)
            if judged is None:
                return None
            result: Result | None = self.compiled.function(inputs, None, tuple([j.points for j in judged]), None, self)
        except FAILED_ON_THE_FAST_ENTRY:
            return None  # the general path raises it with its diagnostics
        if result is None:
            return None
        source = facts.source.name if facts.source else None
        result._facts = Validated(result.head_inputs(), judged, None, dict(facts.meta), source)
        if self.risky_insertions:
            self._insertions_fit(result)
        return result

    MAX_EXPANSIONS = 32

    def expansion(self, values: tuple[Any, ...], overridden: frozenset[str] = frozenset(),
                  source: Source | None = None) -> Ruleset:
        """The compiled ruleset for these rows (validated input values), made once and kept.

        `overridden`: the paths of the facts' [override]; a row among them may hold a value its
        standard cannot score (rows.expand)."""
        key: Any = (values, overridden) if overridden else values
        try:
            hash(values)
        except TypeError:  # pragma: no cover - every validated value is hashable
            key = None
        with self._expansions_lock:
            found = self._expansions.get(key) if key is not None else None
            if found is not None:
                self._expansions.move_to_end(key)
                return found
        from perfrules.backend.rows import expand

        try:
            with decimal_context.EngineContext():  # aggregates, like all arithmetic, in the engine's context
                checked = expand(self.model, values, overridden, source)
        except arithmetic.NoRows as exc:
            raise EvaluationError([_no_rows_error(exc)]) from None
        except arithmetic.DivisionByZero as exc:
            division = exc.site
            assert isinstance(division, model.Binary)
            formula = division.span.text()
            raise EvaluationError([Diagnostic(say.E501_DIVISION_IN(formula=formula), division.span,
                                              help=say.E501_GUARD_NO_ROW(formula=formula))]) from None
        with decimal_context.EngineContext():  # compiled like any load: never in the caller's context
            made = Ruleset(checked, self.display_name, expanded=True)
        made.origin = self
        if key is not None:
            with self._expansions_lock:
                self._expansions[key] = made
                while len(self._expansions) > self.MAX_EXPANSIONS:
                    self._expansions.popitem(last=False)
        return made

    def _evaluate_loop(self, facts: dict[str, Any], loaded: Facts | None = None) -> Result | None:
        """A rows ruleset's row loop on a plain dict of inputs: the total, rating and breakdown now,
        everything else from the expansion path for the same facts when first read (LoopResult).
        `loaded`: the facts file these inputs come from, whose name and [meta] the audit keeps."""
        loop = self.row_loop
        assert loop is not None
        scored = loop.run(facts)
        if scored is None:
            return None
        total, arm, points, inputs, trail = scored
        result = object.__new__(LoopResult)
        result.total = total
        result.max = self.model.total
        result.rating = self.model.rating[arm].label if arm >= 0 else None
        result._points = points
        result._inputs = inputs
        result._trail = trail
        result._origin = self
        # the facts as they are now (the loop checked that every value is a number, text or bool, immutable):
        # the audit is made from them later, whatever the caller does with its dict meanwhile
        tables = loop.rows_inputs
        snapshot = {k: [dict(r) for r in v] if k in tables else v for k, v in facts.items()}
        result._snapshot = snapshot if loaded is None else \
            Facts(snapshot, meta=dict(loaded.meta), source=loaded.source)  # fmt: skip
        return result

    def _evaluate_rows(self, facts: Facts) -> Result:
        expanded, validated = self._expanded(facts)
        return expanded.evaluate_validated(validated)

    def _expanded(self, facts: Facts) -> tuple[Ruleset, Validated]:
        """A rows ruleset's facts: the expansion for their rows, and the facts checked against it."""
        try:
            values = validate(self.model, facts, inputs_only=True).values
        except RowsFactsError as first:
            from perfrules.backend.rows import problems_beyond

            overridden = frozenset(str(k) for k in facts.override)
            raise problems_beyond(self.model, first, overridden, facts.source, facts) from None
        except FactsError as first:  # the rows cannot be made: [judged] and [override] of the other leaves
            from perfrules.backend.rows import judged_problems

            raise FactsError([*first.diagnostics, *judged_problems(self.model, facts)]) from None
        expanded = self.expansion(values, frozenset(str(k) for k in facts.override), facts.source)
        return expanded, validate(expanded.model, facts, inputs=values)

    def _evaluate_facts_shaped(self, facts: dict[str, Any]) -> Result | None:
        """The fast entry for {facts, judged, meta}; None if it is not that shape or anything is in doubt."""
        inputs, judged_table, meta = facts.get("facts"), facts.get("judged", {}), facts.get("meta", {})
        if (type(inputs) is not dict or not facts.keys() <= {"facts", "judged", "meta"}
                or not isinstance(judged_table, Mapping) or not isinstance(meta, Mapping)):
            return None
        judged = judged_points(self.judged_leaves, judged_table)
        if judged is None:
            return None
        result: Result | None = self.compiled.function(inputs, None, tuple([j.points for j in judged]), None, self)
        if result is not None:
            result._facts = Validated(result.head_inputs(), judged, None, dict(meta), None)
        return result

    def evaluate_validated(self, validated: Validated) -> Result:
        """Score facts already checked by `validate` (the batch path reuses this)."""
        judged = tuple([j.points for j in validated.judged]) if validated.judged else ()
        if validated.overrides is None:
            function, overrides = self.compiled.function, None
        else:
            function = self.compiled.with_overrides
            overrides = tuple(o.points if o is not None else None for o in validated.overrides)
        try:
            result: Result = function(None, validated.values, judged, overrides, self)
        except arithmetic.DivisionByZero as exc:
            raise self._division_error(exc, validated) from None
        except arithmetic.AchievementFailed as exc:
            call = self.compiled.layout.achievements[exc.site]
            raise EvaluationError([Diagnostic(say.E505_AT(place=f"`{call.span.text()}`", problem=exc.said), call.span,
                                              help=exc.help)]) from None
        except NothingApplies:
            # the first `applies` that can drop weight from the total (`share` does at the top level)
            first = next(i.applies for i in self.indicator_list
                         if i.applies and i.applies.otherwise in ("rescale", "share"))
            raise EvaluationError([Diagnostic(say.E502_NOTHING_APPLIES(), first.span,
                                              help=say.E502_CHECK_FACTS())]) from None
        except decimal.DecimalException as exc:
            raise _too_large(Span(self.model.source, 0, 0), exc) from None
        if validated.overrides is not None:
            self._overrides_apply(result._values, validated.overrides)
        result._facts = validated
        if self.risky_insertions:
            self._insertions_fit(result)
        return result

    @functools.cached_property
    def risky_insertions(self) -> tuple[model.Expr, ...]:
        """The `{…}` insertions of reasons that may pass the engine's limit (see bounds.py)."""
        from perfrules.semantics.bounds import risky_insertions

        return risky_insertions(self.model)

    def _insertions_fit(self, result: Result) -> None:
        """Compute the insertions that may overflow now, so that a Result that exists always prints."""
        for expr in self.risky_insertions:
            try:
                result.value_of(expr)
            except arithmetic.DivisionByZero:
                pass  # a reason prints it as `—`
            except decimal.DecimalException as exc:
                raise _too_large(expr.span, exc) from None

    def _overrides_apply(self, values: tuple[Any, ...], overrides: tuple[Any, ...]) -> None:
        """An override on a leaf that does not apply would be ignored while the audit showed it: refuse it."""
        layout = self.compiled.layout
        problems = []
        for leaf in self.indicator_list:
            number = self.leaf_number.get(leaf.index)
            if number is None or overrides[number] is None:
                continue
            node: model.Indicator | None = leaf
            while node is not None:
                slots = layout.leaves.get(node.index) or layout.groups[node.index]
                if slots.applicable is not None and not values[slots.applicable]:
                    assert node.applies is not None
                    said = say.E504_OVERRIDE_NOT_APPLYING(leaf=leaf.path) if node is leaf else \
                        say.E504_OVERRIDE_PARENT_NOT_APPLYING(leaf=leaf.path, group=node.path)  # fmt: skip
                    problems.append(Diagnostic(said, node.applies.span, help=say.E504_REMOVE_OVERRIDE()))
                    break
                node = self.parent_of.get(node.index)
        if problems:
            raise EvaluationError(problems)

    def check_facts(self, facts: Facts | Mapping[str, Any] | str | Path) -> Validated:
        """Validate facts without evaluating; raise FactsError with every problem."""
        facts = coerce(facts)
        if self.rows:
            return self._expanded(facts)[1]
        return validate(self.model, facts)

    def evaluate_many(self, records: Iterable[Any]) -> Iterator[Result | PerfrulesError]:
        """Score a stream of facts; yields a Result, or the error, for each record in order."""
        for record in records:
            try:
                yield self.evaluate(record)
            except PerfrulesError as exc:
                yield exc

    def decimal_context(self) -> decimal_context.EngineContext:
        """Run with the engine's own decimal context; the caller's context is restored after."""
        return decimal_context.EngineContext()

    def _division_error(self, exc: arithmetic.DivisionByZero, validated: Validated) -> EvaluationError:
        if isinstance(exc, arithmetic.NoRows):
            return EvaluationError([_no_rows_error(exc)])
        site = exc.site
        division = self.compiled.layout.divisions[site] if isinstance(site, int) else site
        divisor = division.right
        text = division.span.text()
        if isinstance(divisor, model.Const) and divisor.span == division.span:
            # a mean or weighted_mean over nothing: the divisor is the aggregate's own count or weight
            # sum, so "`mean(T.COL)` is 0, guard with `if mean(T.COL) > 0`" would be wrong advice;
            # a plain mean's count is 0 only when no row is selected, so only count(…) guards it
            from perfrules.syntax.keywords import FUNCTION_OF

            function = FUNCTION_OF.get(text.split("(", 1)[0].strip())
            help_text = say.E501_GUARD_NO_ROW(formula=text) if function == "mean" else \
                say.E501_GUARD_AGGREGATE(formula=text)  # fmt: skip
        elif division.right.span.start < division.left.span.start:
            # a `per` step: `deduct 1 per b of a` divides a by b, and `if … then deduct … else 0` is no formula
            help_text = say.E501_GUARD_STEP(step=divisor.span.text())
        else:
            help_text = say.E501_GUARD_DIVISOR(divisor=divisor.span.text(), formula=text)
        span = Span(division.span.source, division.span.start, division.span.end)
        row = _row_dividing(self.model, division)
        # a row's formula is one line for every row: which row divided by zero is what to look up
        notes = [say.E501_IN_ROW(table=row.table, number=row.number, key=row.key)] if row is not None else []
        return EvaluationError([Diagnostic(say.E501_DIVISION_IN(formula=text), span, help=help_text, notes=notes)])

    # -- what the ruleset declares
    @functools.cached_property
    def inputs(self) -> tuple[InputSpec, ...]:
        """The declared inputs in order: name, kind, grade labels, label, range and default."""
        from perfrules.semantics.declared import inputs_of

        return inputs_of(self.model)

    @functools.cached_property
    def judged(self) -> tuple[JudgedSpec, ...]:
        """The `judged` leaves in file order: path, label, weight and bands."""
        from perfrules.semantics.declared import judged_of

        return judged_of(self.model)

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def version(self) -> str | None:
        return self.model.version

    @property
    def sha256(self) -> str:
        return self.model.source.sha256

    @property
    def code(self) -> str:
        """The generated evaluator, for review (a rows ruleset has one per set of rows: see `expansion`)."""
        if self.rows:
            return "# compiled per set of rows: see Ruleset.expansion(values).code\n"
        return self.compiled.code

    def __repr__(self) -> str:
        return f"<Ruleset {self.model.name!r} ({len(self.indicator_list)} indicators)>"


class LoopResult(Result):
    """A Result of a rows ruleset's row loop (backend/rowloop.py): `total`, `rating`, `max` and `breakdown`
    as the loop computed them, and `lost`, `to_dict()` and `to_json()` written from the loop's values
    (results/loopwriter.py) where the ruleset's writer supports it; the rest (`ruleset`, the values,
    `facts`, the records, `explain`, reports) is the Result of the expansion path for the same facts,
    made the first time any of it is read. The loop scores only what it vouches for, so the two agree
    (tests/test_rowloop.py)."""

    __slots__ = ("_inputs", "_origin", "_points", "_snapshot", "_trail")
    _origin: Ruleset
    _points: dict[str, Decimal]
    _snapshot: dict[str, Any] | Facts
    _inputs: tuple[Any, ...]
    _trail: list[Any]

    @functools.cached_property
    def lost(self) -> list[Loss]:
        writer = self._origin.loop_writer
        if writer is None:
            return Result.lost.func(self)  # type: ignore[attr-defined,no-any-return]
        return [Loss(path, points, reasons) for path, points, reasons in writer.losses(self)]

    def to_dict(self) -> dict[str, Any]:
        writer = self._origin.loop_writer
        if writer is None:
            return super().to_dict()
        data, losses = writer.to_dict_and_losses(self)
        if "lost" not in self.__dict__:  # made on the way: `lost` read next need not write the rows again
            self.__dict__["lost"] = [Loss(path, points, reasons) for path, points, reasons in losses]
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return dumps(self.to_dict(), indent) if self._origin.loop_writer is not None else super().to_json(indent)

    def __getattr__(self, name: str) -> Any:  # only for slots not yet set: `ruleset`, `_values`, `_facts`
        if name in ("ruleset", "_values", "_facts"):
            full = self._origin._evaluate_rows(coerce(self._snapshot))
            self.ruleset, self._values, self._facts = full.ruleset, full._values, full._facts
            return object.__getattribute__(self, name)
        raise AttributeError(name)

    @property
    def breakdown(self) -> dict[str, Decimal]:
        return dict(self._points)


@functools.lru_cache(maxsize=64)
def _breakdown_code(text: str) -> Any:
    """compile() of a breakdown display, kept by its text (paths are P<n> values, not in it)."""
    return compile(text, "<perfrules breakdown>", "exec")


def _no_rows_error(exc: arithmetic.NoRows) -> Diagnostic:
    text = exc.span.text()
    return Diagnostic(say.E506_NO_ROWS(formula=text, function=text.split("(")[0].strip()), exc.span,
                      help=say.E506_GUARD(formula=text))


def _rules_too_large(name: str, size: int | None) -> RulesError:
    said = say.E107_RULES_TOO_LARGE(size=size, limit=MAX_RULES_BYTES) if size is not None else \
        say.E107_RULES_LARGER_THAN(limit=MAX_RULES_BYTES)  # fmt: skip
    return RulesError([Diagnostic(said, None, help=say.SPLIT_LARGE_FILE(), where=f"{name}:1:1")])


def _surrogate(text: str, exc: UnicodeEncodeError, name: str) -> RulesError:
    line = text.count("\n", 0, exc.start) + 1
    column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
    return RulesError([Diagnostic(say.E100_SURROGATE(point=ord(text[exc.start])), None,
                                  help=say.E100_REMOVE_SURROGATE(), where=f"{name}:{line}:{column}")])


def _too_large(span: Span, exc: Exception) -> EvaluationError:
    return EvaluationError([Diagnostic(say.E503_TOO_LARGE(error=type(exc).__name__), span,
                                       help=say.E503_CHECK_VALUES())])


def _dict_maker(items: tuple[tuple[str, int], ...]) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """values -> {path: values[slot]}: a generated dict display, twice as fast as dict(zip(...))."""
    namespace: dict[str, Any] = {"__builtins__": {}}
    entries = []
    for k, (path, slot) in enumerate(items):
        namespace[f"P{k}"] = path  # paths come from the rule file: passed as values, never pasted as code
        entries.append(f"P{k}: V[{slot}]")
    exec(_breakdown_code("def breakdown(V):\n    return {" + ", ".join(entries) + "}\n"), namespace)
    function: Callable[[tuple[Any, ...]], dict[str, Any]] = namespace["breakdown"]
    return function


def _inputs_used(ruleset: model.CheckedRuleset, ind: model.Indicator) -> list[tuple[str, int]]:
    """The inputs an indicator's points depend on, through lets, in declaration order."""
    found = ruleset.inputs_read([e for node in ind.walk() for e in node.expressions()])
    return [(ruleset.inputs[k].name, k) for k in sorted(found)]


def _row_dividing(checked: model.CheckedRuleset, division: model.Expr) -> model.RowInfo | None:
    """The row whose expanded leaf holds this division, if a row's does (found only for an error)."""
    for ind in checked.all_indicators():
        if ind.row is not None and any(e is division for expr in ind.expressions() for e in model.walk(expr)):
            return ind.row
    return None


def compile_source(source: Source, display_name: str | None = None, pause_gc: bool = False,
                   cache: bool = False, compiled_by: Callable[[str], CodeType] | None = None) -> Ruleset:
    """parse -> check -> compile one source; `pause_gc` and `cache`: see `load`; `compiled_by`:
    see compile.function_from."""
    if cache and source.sha256:
        from perfrules import cache as model_cache

        cached = model_cache.load(source.name, source.sha256)
        if cached is not None:
            with decimal_context.EngineContext():
                return Ruleset(cached, display_name, compiled_by=model_cache.compiled)
        made = compile_source(source, display_name, pause_gc, compiled_by=model_cache.compiled)
        model_cache.store(source.name, source.sha256, made.model)
        return made
    # Imported here, not at the top: the parser (Lark), the AST and the checker are
    # needed only to load rules, and keeping them out of `import perfrules` halves it.
    from perfrules.semantics.check import check
    from perfrules.syntax.parser import SyntaxErrors, parse
    from perfrules.syntax.recovery import with_checker_errors

    # Constants, params and compile-time rounding are worked out in the engine's decimal
    # context, never the caller's (docs/limits.md).
    with _collector_paused() if pause_gc else contextlib.nullcontext(), decimal_context.EngineContext(), \
            suggestion_budget():
        try:
            rule_file = parse(source)
        except SyntaxErrors as exc:  # every syntax error, then the checker's errors of what parsed
            error = with_checker_errors(exc, check)
            error.chinese = exc.chinese
            raise error from None
        try:
            checked = check(rule_file)
        except PerfrulesError as exc:
            exc.chinese = rule_file.chinese_keywords  # the CLI speaks the file's language
            raise
        return Ruleset(checked, display_name, compiled_by=compiled_by)


_loading = threading.Lock()
_loads_running = 0
_collector_was_enabled = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes tens of thousands of objects (tokens, trees, AST and model nodes) that all
    live until it ends, so the cyclic GC's passes over them find nothing and cost a tenth of
    a large load. Pause it for that time; a caller who had disabled it keeps it disabled.

    The switch is process-wide, so loads in several threads share one pause: the first
    to start records the GC's state and turns it off, the last to end restores it.
    """
    global _loads_running, _collector_was_enabled
    with _loading:
        if _loads_running == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _loads_running += 1
    try:
        yield
    finally:
        with _loading:
            _loads_running -= 1
            if _loads_running == 0 and _collector_was_enabled:
                gc.enable()


def load(path: str | Path, *, pause_gc: bool = False, cache: bool = False) -> Ruleset:
    """Load a rule file: parse, check and compile it. Raises RulesError with every problem.

    `pause_gc=True` pauses Python's cyclic garbage collector, process-wide, while it loads
    (a few percent faster for large files: bench/README.md); off by default, since a
    library should not touch a setting its host process owns. The CLI turns it on.

    `cache=True` keeps the checked rules in a per-user cache (perfrules/cache.py, docs/cache.md)
    and reads them from there next time, skipping the parser; off by default, since a library
    should not write to its user's home unasked. The CLI turns it on (PERFRULES_NO_CACHE: off).
    """
    from perfrules.files import TooLarge, read_limited

    path = Path(path)
    try:
        data = read_limited(path, MAX_RULES_BYTES)  # /dev/zero costs 2 MB, not all memory
    except TooLarge:
        raise _rules_too_large(str(path), None) from None
    return loads(data, str(path), pause_gc=pause_gc, cache=cache)


def loads(text: str | bytes, name: str = "<rules>", *, pause_gc: bool = False, cache: bool = False) -> Ruleset:
    """Load rules from text (or UTF-8 bytes); `name` is used in messages and `source` fields.

    `pause_gc`, `cache`: see `load`.
    """
    if isinstance(text, str):
        chars = text
        try:
            text = chars.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate ("\ud800") has no UTF-8 form
            raise _surrogate(chars, exc, name) from None
    if len(text) > MAX_RULES_BYTES:
        raise _rules_too_large(name, len(text))
    try:
        source = Source.from_bytes(name, text)
    except UnicodeDecodeError as exc:
        line = text.count(b"\n", 0, exc.start) + 1
        column = exc.start - (text.rfind(b"\n", 0, exc.start) + 1) + 1
        error = RulesError([Diagnostic(say.E100_NOT_UTF8(byte=text[exc.start]), None, help=say.E100_SAVE_AS_UTF8(),
                                       where=f"{name}:{line}:{column}")])
        # most such files are saved in GBK by a Chinese editor: then they are told so in Chinese
        error.chinese = "规则集" in text.decode("gb18030", "replace")
        raise error from None
    return compile_source(source, name, pause_gc, cache)


# ---- pickling --------------------------------------------------------------------------
# A Ruleset pickles as its rule file's text and names and is loaded again on the other side; a
# Result as its Ruleset and its validated facts, and is evaluated again there. Generated code and
# compiled functions never go into a pickle: what is unpickled is exactly what `perfrules.loads`
# and `Ruleset.evaluate` make from the same text and facts. Registered with `copyreg` here, with
# the class that makes both, so that pickling works however little of perfrules was imported.


def _ruleset_reduce(ruleset: Ruleset) -> tuple[Any, tuple[Any, ...]]:
    if getattr(ruleset, "origin", None) is not None:
        # made from a rows ruleset for one set of rows: its Result pickles (with those rows); it alone does not
        raise TypeError("a ruleset expanded from rows is not pickled on its own: pickle the Result, "
                        "or the ruleset it was expanded from (`.origin`)")
    source = ruleset.model.source
    data = source.text.encode("utf-8")
    if source.sha256 and hashlib.sha256(data).hexdigest() != source.sha256:
        data = "\ufeff".encode() + data  # the byte order mark Source.from_bytes dropped: the same sha256
    return _ruleset, (data, source.name, ruleset.display_name)


@functools.lru_cache(maxsize=16)
def _ruleset(data: bytes, name: str, display_name: str) -> Ruleset:
    # Cached: the results of one pickle (or of one pool's tasks) share their ruleset, loaded once.
    return compile_source(Source.from_bytes(name, data), display_name)


def _result_reduce(result: Result) -> tuple[Any, tuple[Any, ...]]:
    ruleset, facts = result.ruleset, result.facts
    origin = getattr(ruleset, "origin", None)
    if origin is not None:
        # a rows ruleset: the rule file's ruleset, expanded again for the same rows on the other side
        leaves = ruleset.model.leaves()
        overrides = facts.overrides or ()
        overridden = frozenset(leaf.path for leaf, o in zip(leaves, overrides, strict=False) if o is not None)
        return _rows_result, (origin, facts, overridden)
    return _result, (ruleset, facts)


def _rows_result(origin: Ruleset, facts: Validated, overridden: frozenset[str]) -> Result:
    return origin.expansion(facts.values, overridden).evaluate_validated(facts)


def _result(ruleset: Ruleset, facts: Validated) -> Result:
    return ruleset.evaluate_validated(facts)


def _register_pickling() -> None:
    """Make Ruleset and Result picklable (done when this module is imported)."""
    copyreg.pickle(Ruleset, _ruleset_reduce)
    copyreg.pickle(Result, _result_reduce)
    copyreg.pickle(LoopResult, _result_reduce)  # reading `ruleset` makes its expansion: pickled as its Result


_register_pickling()
