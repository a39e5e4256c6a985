"""Checked model -> evaluator: one generated Python function per ruleset.

The function is straight-line code over local variables: no tree is walked per
evaluation. Nothing from the rule file is ever pasted into the generated text:
names become slot numbers (`s12`, `i3`, `l0`) and every constant, label and
text is passed in as a global `K<n>`. A rule file therefore cannot inject code,
whatever its names and strings contain. Expressions are written by `emitter.ExprEmitter`,
which the row loop (rowloop.py) shares; `_Emitter` gives its hooks for the evaluator:
inputs and lets are locals, a division by zero names its site, grades compare by rank,
and every function of the language is called.

The function returns an `audit.Result` around one flat tuple; `Layout` says what
each position means, and the Result reads it lazily. It has two entries:

* `evaluate(None, F, J, O, RS)`: inputs already checked by `facts.validate`;
* `evaluate(m, None, J, None, RS)`: a plain dict of inputs, checked by the lines of
  `fastchecks.fast_checks` inside the same function, so the common case is one call with
  no intermediate tuples. It returns None for anything those lines cannot vouch
  for, and the caller takes the first entry.

`RS` is the engine's Ruleset, which the Result refers to. It is an argument, not a
global of the function: the Ruleset holds the function, so a global would make the
two a reference cycle that only the cyclic GC could free.

Both run in the engine's per-thread decimal context and restore the caller's.
"""

from __future__ import annotations

import decimal
import functools
import threading
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from types import CodeType
from typing import Any

from perfrules import decimal_context, records
from perfrules.backend.emitter import ExprEmitter, Place
from perfrules.inputs.fastchecks import FastChecks, fast_checks
from perfrules.semantics import arithmetic, model
from perfrules.semantics.measure import AchievementError

Slot = int


@records.record
class LeafSlots:
    applicable: Slot | None  # None: always applicable
    value: Slot | None  # the rule's expression value (ratio/score/tiers/grade), or checklist flags
    arm: Slot | None  # tiers/grade: index of the arm taken
    raw: Slot | None  # points from the rule, before adjustments
    rule_clamped: Slot | None
    adjustments: tuple[Slot, ...]  # amount actually applied, one per adjustment
    exact: Slot
    clamped: Slot
    computed: Slot  # rounded points before any override
    points: Slot


@records.record
class GroupSlots:
    applicable: Slot | None
    points: Slot
    scaled: Slot | None = None  # `out of` or shared weight: the children's sum on the group's own scale
    base: Slot | None = None  # what that sum is out of: `out of` (or the weight) less weight shared away


@records.record
class Layout:
    """What each position of the evaluator's returned tuple holds."""

    leaves: dict[int, LeafSlots]  # by indicator index
    groups: dict[int, GroupSlots]
    lets: tuple[Slot, ...]  # let number -> its value's position (a `_Poison` if it divided by zero)
    raw_total: Slot
    dropped: Slot | None
    base_total: Slot  # the total top-level adjustments start from: the sum, rescaled if weight was dropped
    unclamped_total: Slot | None  # after the top-level adjustments, before 满分为止/扣完为止 (None: none)
    adjustments: tuple[Slot, ...]
    total_exact: Slot
    total: Slot
    veto: Slot
    rating: Slot
    size: int  # the whole tuple: every slot and the inputs
    inputs: int  # where the inputs start; the tuple up to their end is what the fast entry returns
    divisions: tuple[model.Binary, ...]  # site number -> the `/` expression
    achievements: tuple[model.Call, ...] = ()  # site number -> the `achievement(…)` call


def _placed(layout: Layout, position: dict[Slot, int]) -> Layout:
    """The layout with slot numbers replaced by positions in the returned tuple."""

    def at(slot: Slot | None) -> Slot | None:
        return None if slot is None else position[slot]

    def leaf(s: LeafSlots) -> LeafSlots:
        return LeafSlots(at(s.applicable), at(s.value), at(s.arm), at(s.raw), at(s.rule_clamped),
                         tuple(position[a] for a in s.adjustments), position[s.exact], position[s.clamped],
                         position[s.computed], position[s.points])  # fmt: skip

    return records.evolve(
        layout,
        leaves={k: leaf(s) for k, s in layout.leaves.items()},
        groups={k: GroupSlots(at(s.applicable), position[s.points], at(s.scaled), at(s.base))
                for k, s in layout.groups.items()},
        raw_total=position[layout.raw_total], dropped=at(layout.dropped), base_total=position[layout.base_total],
        unclamped_total=at(layout.unclamped_total),
        adjustments=tuple(position[a] for a in layout.adjustments), total_exact=position[layout.total_exact],
        total=position[layout.total], veto=position[layout.veto], rating=position[layout.rating],
    )  # fmt: skip


class Compiled:
    """A compiled ruleset: the generated function, its layout, and its code for review.

    Facts with an [override] table need a variant of the function that reads
    overrides; it is generated on first use, since most evaluations have none.
    """

    def __init__(self, ruleset: model.CheckedRuleset, function: Any, layout: Layout, code: str,
                 result: ResultMaker):
        self.ruleset = ruleset
        self.function = function
        self.layout = layout
        self.code = code
        self._result = result
        self._with_overrides: Any = None
        self._lock = threading.Lock()
        self.shared_constants = True

    @property
    def with_overrides(self) -> Any:
        if self._with_overrides is None:
            with self._lock:
                if self._with_overrides is None:
                    emitter = _Emitter(self.ruleset, self.shared_constants)
                    # made on the first facts with an [override], maybe in a caller's context:
                    # its constants (weights × factors) are worked out in the engine's, as at load
                    with decimal_context.EngineContext():
                        code = emitter.program(overrides=True, checks=None)
                    # same slots, same meaning: only the override lines differ
                    assert emitter.layout == self.layout
                    self._with_overrides = _build(code, emitter.constants, None, self._result)
        return self._with_overrides


@records.record
class ResultMaker:
    """What the generated function needs to build an `audit.Result` field by field.

    compile.py cannot import results/result.py (audit reads compile's layout), so the engine
    hands these in. The fields set are exactly `audit.Result.__slots__` minus `__dict__`.
    """

    cls: type
    max: Decimal
    labels: tuple[str, ...]


class _Emitter(ExprEmitter):
    def __init__(self, ruleset: model.CheckedRuleset, shared_constants: bool = True):
        # Equal values share one K<n>, unless the code is to be the same for any values of the same
        # shape: a ruleset expanded from rows (see code_object).
        super().__init__(shared_constants)
        self.ruleset = ruleset
        self.lines: list[str] = []
        self.slots = 0
        self.divisions: list[model.Binary] = []
        self.achievements: list[model.Call] = []
        self.leaves: dict[int, LeafSlots] = {}
        self.groups: dict[int, GroupSlots] = {}
        self.leaf_number: dict[int, int] = {}
        self.judged_number: dict[int, int] = {}
        self.any_rescale = any(
            i.applies is not None and i.applies.otherwise in ("rescale", "share") for i in ruleset.all_indicators()
        )
        self.has_slots: dict[int, Slot] = {}  # groups that can be shared away whole: "some child applies"
        self.drop_slots: dict[int, Slot] = {}  # groups that count the weight `rescale` drops inside them
        self._own_applies: dict[int, Slot | None] = {}  # each indicator's own `applies` slot
        self.overrides = False
        self.scoring = (0, 0)  # program(): where its scoring lines are (see `Scoring`)
        self.local_at: dict[int, str] = {}  # program(): position in the values tuple -> the local holding it

    # -- helpers
    def slot(self) -> Slot:
        self.slots += 1
        return self.slots - 1

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    # -- expressions: emitter.ExprEmitter writes them; these hooks are the evaluator's
    def place(self, e: Place) -> str:
        """Inputs and lets are the locals `i<k>` and `l<k>`."""
        match e:
            case model.InputRef(index=index):
                return f"i{index}"
            case model.LetRef(index=index):
                return f"l{index}"
        raise AssertionError(e)  # pragma: no cover - rows.py leaves no column or aggregate in an expansion

    def divide(self, e: model.Binary) -> str:
        """A division by zero raises DivisionByZero with the division's site (`Layout.divisions`)."""
        site = len(self.divisions)
        self.divisions.append(e)
        left, right = e.left, e.right
        a, b = self.expr(left), self.expr(right)
        if _maybe_int(left) and _maybe_int(right):
            a = f"_Decimal({a})"
        if isinstance(right, (model.InputRef, model.LetRef, model.Const, model.ParamRef)):
            return f"({a} / {b} if {b} else _zero({site}))"
        return f"_div({a}, {b}, {site})"

    def ranked(self, e: model.Compare, a: str, b: str) -> str:
        """Grades compare by rank, the first label best: a constant table of label -> -place."""
        rank = self.const({label: -i for i, label in enumerate(e.left.type.labels)})
        return f"({rank}[{a}] {e.op} {rank}[{b}])"

    def call(self, e: model.Call) -> str:
        function, args = e.function, e.args
        if function == "achievement":
            # a number or percent argument (a version 1 input, a formula) is read as a measure;
            # the rows of a version 2 table are measures already (rows.py)
            parts = ", ".join(f"_as_measure({self.expr(a)}, {a.type.kind == 'percent'})"
                              if a.type.kind in arithmetic.PLAIN_NUMBERS else self.expr(a) for a in args)
            site = len(self.achievements)
            self.achievements.append(e)
            return f"_achievement_at({site}, {parts})"
        # written once: writing an argument registers its divisions' sites and its constants
        parts = ", ".join(self.expr(a) for a in args)
        if function in ("min", "max", "abs"):
            return f"{function}({parts})"
        return f"_{function}({parts})"

    # -- program
    def program(self, overrides: bool, checks: FastChecks | None) -> str:
        self.overrides = overrides
        rs = self.ruleset
        self.emit(0, "def evaluate(m, F, J, O, RS):")
        self.emit(1, "_saved = _getcontext()")
        self.emit(1, "_setcontext(_LOCAL.context)")
        self.emit(1, "try:")
        self.emit(2, "if F is None:")
        for line in checks.lines if checks is not None else ("return None",):
            self.emit(3, line)
        inputs = ", ".join(f"i{k}" for k in range(len(rs.inputs)))
        if rs.inputs:
            self.emit(2, "else:")
            self.emit(3, f"({inputs},) = F")
        body = len(self.lines)  # emitted at depth 1, then indented into the try block
        let_slots = []
        for let in rs.lets:
            # Lets are computed up front; a failing one is kept as a poison value
            # that raises its own error only if an applicable rule reads it.
            self.emit(1, "try:")
            self.emit(2, f"l{let.index} = {self.expr(let.expr)}")
            self.emit(1, "except _DivisionByZero as exc:")
            self.emit(2, f"l{let.index} = _Poison(exc)")
            let_slots.append(let.index)
        if self.any_rescale:
            self.emit(1, "dropped = _ZERO")
        top_points = []
        for ind in rs.indicators:
            top_points.append(self.indicator(ind, 1, Decimal(1), top=True))
        raw_total = self.slot()
        self.emit(1, f"s{raw_total} = " + _sum(top_points))
        total = f"s{raw_total}"
        dropped_slot = None
        if self.any_rescale:
            dropped_slot = self.slot()
            self.emit(1, f"s{dropped_slot} = dropped")
            t = self.const(rs.total)
            self.emit(1, "if dropped:")
            self.emit(2, f"if dropped >= {t}:")
            self.emit(3, "_nothing_applies()")
            quantum = self.const(arithmetic.quantum(rs.precision))
            self.emit(2, f"t = ({total} * {t} / ({t} - dropped)).quantize({quantum}, _HALF_UP)")
            self.emit(1, "else:")
            self.emit(2, f"t = {total}")
        else:
            self.emit(1, f"t = {total}")
        base_total = self.slot()
        self.emit(1, f"s{base_total} = t")
        adjustment_slots = tuple(self.adjustment(a, 1) for a in rs.adjustments)
        total_exact = self.slot()
        total_slot = self.slot()
        unclamped = None
        if rs.adjustments:
            unclamped = self.slot()
            self.emit(1, f"s{unclamped} = t")
            t = self.const(rs.total)
            self.emit(1, f"if t > {t}:")
            self.emit(2, f"t = {t}")
            self.emit(1, "elif t <= _ZERO:")  # <=: a negative zero becomes 0 too
            self.emit(2, "t = _ZERO")
            self.emit(1, f"s{total_exact} = t")
            self.emit(1, f"s{total_slot} = t.quantize({self.const(arithmetic.quantum(rs.precision))}, _HALF_UP)")
        else:
            self.emit(1, f"s{total_exact} = t")
            self.emit(1, f"s{total_slot} = t")
        veto_slot = self.slot()
        self.emit(1, f"s{veto_slot} = -1")
        for k, veto in enumerate(rs.vetoes):
            keyword = "if" if k == 0 else "elif"
            self.emit(1, f"{keyword} {self.expr(veto.condition)}:")
            self.emit(2, f"s{veto_slot} = {k}")
        if rs.vetoes:
            self.emit(1, f"if s{veto_slot} >= 0:")
            self.emit(2, f"s{total_slot} = {self.const(arithmetic.round_half_up(0, rs.precision))}")
        rating_slot = self.slot()
        self.emit(1, f"s{rating_slot} = -1")
        if rs.rating:
            if rs.vetoes:
                self.emit(1, f"if s{veto_slot} >= 0:")
                self.emit(2, f"s{rating_slot} = {len(rs.rating) - 1}")
                self.emit(1, "else:")
                depth = 2
            else:
                depth = 1
            for k, arm in enumerate(rs.rating):
                self.arm_header(depth, k, f"s{total_slot}", arm.op, arm.threshold)
                self.emit(depth + 1, f"s{rating_slot} = {k}")
        # The tuple starts with what a Result reads without its audit trail (points, top-level
        # adjustments, total, rating), then the inputs. The fast entry returns just that much:
        # a kept Result then holds a third of the values and a third of the tuple, and the
        # audit trail re-runs the function on the inputs for the rest, with the same values.
        first = list(dict.fromkeys([
            *((self.leaves.get(ind.index) or self.groups[ind.index]).points for ind in rs.all_indicators()),
            *adjustment_slots, total_slot, rating_slot,
        ]))  # fmt: skip
        in_first = set(first)
        rest = [k for k in range(self.slots) if k not in in_first]
        head = "".join(f"s{k}, " for k in first) + (inputs and inputs + ", ")
        # The full tuple ends with the lets, so that reasons and explain read them, not work them out again.
        # A caller that reads every result's audit trail (a batch with reasons) asks the fast entry for it
        # too (`Ruleset.keep_values`): the values are the same either way, only kept rather than re-run.
        self.emit(1, "if F is not None or RS.keep_values:")
        self.emit(2, "V = (" + head + "".join(f"s{k}, " for k in rest) + "".join(f"l{k}, " for k in let_slots) + ")")
        self.emit(1, "else:")
        self.emit(2, "V = (" + head + ")")
        self.lines[body:] = ["    " + line for line in self.lines[body:]]
        self.scoring = (body, len(self.lines) - 4)  # the lines that compute every value, before the tuple
        position = {slot: k for k, slot in enumerate(first)}
        position.update({slot: len(first) + len(rs.inputs) + k for k, slot in enumerate(rest)})
        after_rest = len(first) + len(rs.inputs) + len(rest)
        assert let_slots == list(range(len(let_slots)))  # let k is `l{k}`: its position is after_rest + k
        self.local_at = {k: f"s{slot}" for slot, k in position.items()}  # position in the tuple -> its local
        self.local_at.update({len(first) + k: f"i{k}" for k in range(len(rs.inputs))})
        self.local_at.update({after_rest + k: f"l{k}" for k in let_slots})
        self.emit(1, "finally:")
        self.emit(2, "_setcontext(_saved)")
        self.emit(1, "R = _new(_Result)")
        self.emit(1, "R.ruleset = RS")
        self.emit(1, "R._values = V")
        self.emit(1, "R._facts = None")
        self.emit(1, f"R.total = s{total_slot}")
        self.emit(1, "R.max = _MAX")
        self.emit(1, f"R.rating = _LABELS[s{rating_slot}] if s{rating_slot} >= 0 else None")
        self.emit(1, "return R")
        self.layout = _placed(Layout(
            leaves=self.leaves, groups=self.groups, lets=tuple(after_rest + k for k in let_slots), raw_total=raw_total,
            dropped=dropped_slot, base_total=base_total, unclamped_total=unclamped, adjustments=adjustment_slots,
            total_exact=total_exact,
            total=total_slot, veto=veto_slot, rating=rating_slot, size=self.slots + len(rs.inputs) + len(let_slots),
            inputs=len(first), divisions=tuple(self.divisions), achievements=tuple(self.achievements),
        ), position)  # fmt: skip
        return "\n".join(self.lines) + "\n"

    def indicator(self, ind: model.Indicator, depth: int, factor: Decimal, top: bool = False,
                  drops_into: Slot | None = None) -> str:  # fmt: skip
        """Emit an indicator; return the expression of its points (a slot name).

        `factor` converts this indicator's weight to the top scale (`out of` groups change it),
        for the weight that `rescale` drops from the total. `drops_into`: the parent's slot that
        adds up the weight dropped inside it, on its children's scale (model.Indicator.dropped_within).
        """
        applicable = None
        if ind.applies is not None:
            applicable = self.slot()
            self.emit(depth, f"s{applicable} = bool({self.expr(ind.applies.condition)})")
            self.emit(depth, f"if s{applicable}:")
            inner = depth + 1
        else:
            inner = depth
        self._own_applies[ind.index] = applicable
        start_lines = len(self.lines)
        if ind.is_leaf:
            points = self.leaf(ind, inner, applicable)
        else:
            points = self.group(ind, inner, applicable, factor, drops_into)
        otherwise = ind.applies.otherwise if ind.applies is not None else None
        if otherwise is not None:
            if len(self.lines) == start_lines:  # pragma: no cover - a leaf always emits
                self.emit(inner, "pass")
            self.emit(depth, "else:")
            self.not_applicable(ind, otherwise, depth + 1)
            if otherwise == "rescale" or (otherwise == "share" and top):
                # spec 12: weight shared away at the top level has no sibling to go to: it is rescaled
                self.emit(depth + 1, f"dropped = dropped + {self.const(ind.weight * factor)}")
            if otherwise == "rescale" and drops_into is not None:
                self.emit(depth + 1, f"s{drops_into} = s{drops_into} + {self.const(ind.weight)}")
        if top and ind.index in self.has_slots:
            own = f"s{applicable} and " if applicable is not None else ""
            self.emit(depth, f"if {own}not s{self.has_slots[ind.index]}:")
            inside = self.drop_slots.get(ind.index)
            # what `rescale` dropped inside it is in `dropped` already: only the rest is shared away, here rescaled
            weight, scale = self.const(ind.weight), self.const(ind.scale)
            kept = weight if inside is None else f"{weight} * ({scale} - s{inside}) / {scale}"
            self.emit(depth + 1, f"dropped = dropped + {kept}")
        return points

    def group(self, ind: model.Indicator, depth: int, applicable: Slot | None, factor: Decimal,
              drops_into: Slot | None = None) -> str:  # fmt: skip
        """A group: the sum of its children, converted from `out of` and for weight shared away (spec 11, 12)."""
        child_factor = factor * ind.weight / ind.scale if ind.scale else factor
        shared = [c for c in ind.children if c.can_share]
        # the weight `rescale` drops inside it (model.Indicator.dropped_within), counted where this group or
        # one above it shares weight: only there does it change a point
        dropped = None
        if ind.drops_within and (shared or drops_into is not None):
            dropped = self.drop_slots[ind.index] = self.slot()
            self.emit(depth, f"s{dropped} = _ZERO")
        # an `each` over no rows has no children: its points are 0 at `precision`, as every group's sum is
        child_points = [self.indicator(child, depth, child_factor, drops_into=dropped) for child in ind.children] \
            or [self.const(arithmetic.round_half_up(0, self.ruleset.precision))]  # fmt: skip
        slot = self.slot()
        if ind.out_of is None and not shared:
            self.groups[ind.index] = GroupSlots(applicable, slot)
            self.emit(depth, f"s{slot} = " + _sum(child_points))
            self.pass_dropped(ind, dropped, drops_into, depth)
            return f"s{slot}"
        scaled, base = self.slot(), self.slot()
        weight, scale = self.const(ind.weight), self.const(ind.scale)
        quantum = self.const(arithmetic.quantum(self.ruleset.precision))
        self.emit(depth, f"s{scaled} = " + _sum(child_points))
        # what the applicable children weigh (spec 12): weight shared away or dropped by `rescale` is not theirs
        kept = f"{scale} - s{dropped}" if dropped is not None and shared else scale
        self.emit(depth, f"s{base} = {kept}")
        for child in shared:
            self.emit(depth, f"if not ({self.share_flag(child)}):")
            self.emit(depth + 1, f"s{base} = s{base} - {self.const(child.weight)}")
            inner = self.drop_slots.get(child.index)
            if inner is not None and dropped is not None:
                # a group none of whose children applies gives away what `rescale` left it; the dropped part is in
                # this group's own count of dropped weight (pass_dropped), once
                own = self._own_applies.get(child.index)
                if own is not None:
                    self.emit(depth + 1, f"if s{own}:")
                self.emit(depth + 1 + (own is not None), f"s{base} = s{base} + {self.for_parent(child, inner)}")
        has = None
        if shared and all(c.can_share for c in ind.children):
            has = self.has_slots[ind.index] = self.slot()
            self.emit(depth, f"s{has} = s{base} > _ZERO")
        self.emit(depth, f"if s{base} <= _ZERO:")
        self.emit(depth + 1, f"s{slot} = {self.const(arithmetic.round_half_up(0, self.ruleset.precision))}")
        if ind.out_of is None:
            self.emit(depth, f"elif s{base} == {kept}:")  # nothing shared away
            self.emit(depth + 1, f"s{slot} = s{scaled}")
        self.emit(depth, "else:")
        if kept == scale:
            self.emit(depth + 1, f"s{slot} = (s{scaled} * {weight} / s{base}).quantize({quantum}, _HALF_UP)")
        else:
            # the weight shared away goes to the applicable siblings; the weight dropped stays dropped
            # (the total is rescaled for it): the group counts weight × (scale − dropped) ÷ scale
            self.emit(depth + 1, f"s{slot} = (s{scaled} * {weight} * ({kept}) / ({scale} * s{base}))"
                                 f".quantize({quantum}, _HALF_UP)")
        # A group whose every child was shared away does not apply either (spec 12); `has` says so,
        # and is False too when its own `applies` fails (see not_applicable).
        self.groups[ind.index] = GroupSlots(applicable if has is None else has, slot, scaled, base)
        self.pass_dropped(ind, dropped, drops_into, depth)
        return f"s{slot}"

    def pass_dropped(self, ind: model.Indicator, dropped: Slot | None, drops_into: Slot | None, depth: int) -> None:
        """Add what `rescale` dropped inside a group that applies to its parent's count, on the parent's scale
        (model.Indicator.dropped_within)."""
        if dropped is None or drops_into is None:
            return
        # also when none of its children applies (`has`): what was dropped stays dropped, and the parent gives
        # away only the rest of its weight (`group`)
        self.emit(depth, f"s{drops_into} = s{drops_into} + {self.for_parent(ind, dropped)}")

    def for_parent(self, ind: model.Indicator, dropped: Slot) -> str:
        """Python for a group's dropped weight (slot `dropped`) on its parent's scale (model.dropped_for_parent)."""
        if ind.weight == ind.scale:
            return f"s{dropped}"
        return f"s{dropped} * {self.const(ind.weight)} / {self.const(ind.scale)}"

    def share_flag(self, child: model.Indicator) -> str:
        """Python for 'this child keeps its weight' (it applies, and if a group, some child of it does)."""
        flags = []
        if child.applies is not None and child.applies.otherwise == "share":
            own = self._own_applies.get(child.index)
            if own is not None:
                flags.append(f"s{own}")
        if child.index in self.has_slots:
            flags.append(f"s{self.has_slots[child.index]}")
        return " and ".join(flags) or "True"

    def arm_header(self, depth: int, k: int, subject: str, op: str | None, value: Decimal | None) -> None:
        """The line that opens arm `k` of a tier table or rating: `if`, `elif`, or `else` for op None."""
        if op is None:
            self.emit(depth, "else:" if k else "if True:")
        else:
            self.emit(depth, f"{'if' if k == 0 else 'elif'} {subject} {op} {self.const(value)}:")

    def _product(self, rule: model.Rule, weight: str, depth: int) -> tuple[Slot, Slot]:
        """`ratio`/`score`: the rule's value into a slot and the points before clamping into `r`."""
        assert rule.expr is not None
        value, rule_clamped = self.slot(), self.slot()
        self.emit(depth, f"s{value} = {self.expr(rule.expr)}")
        self.emit(depth, f"r = {weight} * s{value}" if rule.kind == "ratio" else f"r = _D(s{value})")
        return value, rule_clamped

    def not_applicable(self, ind: model.Indicator, otherwise: str, depth: int) -> None:
        """Assign every slot under `ind` for the case where it does not apply."""
        for node in ind.walk():
            if node.applies is not None and node is not ind:
                own = self.leaves[node.index].applicable if node.is_leaf else None
                if not node.is_leaf:
                    # a group's record reads `has` when it has one: its own `applies` slot is separate
                    own = self._own_applies.get(node.index)
                if own is not None:
                    self.emit(depth, f"s{own} = False")
            if node.index in self.has_slots:
                self.emit(depth, f"s{self.has_slots[node.index]} = False")
            if not node.is_leaf:
                group_slots = self.groups[node.index]
                for extra in (group_slots.scaled, group_slots.base):
                    if extra is not None:
                        self.emit(depth, f"s{extra} = _ZERO")
            points = node.weight if otherwise == "full" else Decimal(0)
            rounded = self.const(arithmetic.round_half_up(points, self.ruleset.precision))
            if node.is_leaf:
                slots = self.leaves[node.index]
                for s in (slots.value, slots.arm, slots.raw, slots.rule_clamped):
                    if s is not None:
                        self.emit(depth, f"s{s} = None")
                for s in slots.adjustments:
                    self.emit(depth, f"s{s} = _ZERO")
                self.emit(depth, f"s{slots.exact} = {self.const(points)}")
                self.emit(depth, f"s{slots.clamped} = False")
                self.emit(depth, f"s{slots.computed} = {rounded}")
                self.emit(depth, f"s{slots.points} = {rounded}")
            else:
                self.emit(depth, f"s{self.groups[node.index].points} = {rounded}")

    def leaf(self, ind: model.Indicator, depth: int, applicable: Slot | None) -> str:
        rule = ind.rule
        assert rule is not None
        leaf_number = self.leaf_number.setdefault(ind.index, len(self.leaf_number))
        weight = self.const(ind.weight)
        value = arm = raw = rule_clamped = None
        raw = self.slot()
        d = depth
        precision = self.ruleset.precision
        quantum = self.const(arithmetic.quantum(precision))
        # Fast shapes (same values in every slot as the general path below):
        # a leaf without adjustments whose rule already yields points within
        # [0, weight] needs no second clamp, and constant outcomes are rounded here.
        plain = not ind.adjustments
        outcomes = [t.points for t in rule.tiers] if rule.kind == "tiers" else \
            [g.points for g in rule.grades] if rule.kind == "grade" else \
            [ind.weight] if rule.kind == "full" else []  # fmt: skip
        constant = plain and bool(outcomes) and all(0 <= p <= ind.weight for p in outcomes)
        if constant or (plain and rule.kind in ("ratio", "score")):
            exact, clamped, computed, points = self.slot(), self.slot(), self.slot(), self.slot()
            match rule.kind:
                case "full":
                    rounded = self.const(arithmetic.round_half_up(ind.weight, precision))
                    self.emit(d, f"s{raw} = s{exact} = {weight}; s{clamped} = False")
                    self.emit(d, f"s{computed} = s{points} = {rounded}")
                case "ratio" | "score":
                    value, rule_clamped = self._product(rule, weight, d)
                    # a clamped value is a constant: its rounding is done here, once
                    full = self.const(arithmetic.round_half_up(ind.weight, precision))
                    zero = self.const(arithmetic.round_half_up(0, precision))
                    self.emit(d, f"if r > {weight}:")
                    self.emit(d + 1, f"s{raw} = s{exact} = {weight}; s{rule_clamped} = s{clamped} = True; "
                                     f"s{computed} = s{points} = {full}")
                    # <=: 0 × −1000 is a negative zero, which would print as -0.00
                    self.emit(d, "elif r <= _ZERO:")
                    self.emit(d + 1, f"s{raw} = s{exact} = _ZERO; s{rule_clamped} = s{clamped} = r < _ZERO; "
                                     f"s{computed} = s{points} = {zero}")
                    self.emit(d, "else:")
                    self.emit(d + 1, f"s{raw} = s{exact} = r; s{rule_clamped} = s{clamped} = False")
                    self.emit(d + 1, f"s{computed} = s{points} = r.quantize({quantum}, _HALF_UP)")
                case "tiers":
                    assert rule.expr is not None
                    value, arm = self.slot(), self.slot()
                    self.emit(d, f"s{value} = x = {self.expr(rule.expr)}")
                    self.emit(d, f"s{clamped} = False")
                    for k, tier in enumerate(rule.tiers):
                        self.arm_header(d, k, "x", tier.op, tier.value)
                        rounded = self.const(arithmetic.round_half_up(tier.points, precision))
                        self.emit(d + 1, f"s{raw} = s{exact} = {self.const(tier.points)}; s{arm} = {k}; "
                                         f"s{computed} = s{points} = {rounded}")
                case "grade":
                    assert rule.expr is not None
                    value, arm = self.slot(), self.slot()
                    table = self.grade_table(rule, lambda p: (p, arithmetic.round_half_up(p, precision)))
                    self.emit(d, f"s{value} = x = {self.expr(rule.expr)}")
                    self.emit(d, f"s{raw}, s{arm}, s{computed} = {self.const(table)}[x]")
                    self.emit(d, f"s{exact} = s{raw}; s{points} = s{computed}; s{clamped} = False")
            if self.overrides:
                self.emit(d, f"if O[{leaf_number}] is not None:")
                self.emit(d + 1, f"s{points} = O[{leaf_number}]")
            self.leaves[ind.index] = LeafSlots(
                applicable=applicable, value=value, arm=arm, raw=raw, rule_clamped=rule_clamped,
                adjustments=(), exact=exact, clamped=clamped, computed=computed, points=points,
            )  # fmt: skip
            return f"s{points}"
        match rule.kind:
            case "full":
                self.emit(d, f"s{raw} = {weight}")
            case "ratio" | "score":
                value, rule_clamped = self._product(rule, weight, d)
                self.emit(d, f"if r > {weight}:")
                self.emit(d + 1, f"s{raw} = {weight}; s{rule_clamped} = True")
                self.emit(d, "elif r <= _ZERO:")  # <=: a negative zero becomes 0 too
                self.emit(d + 1, f"s{raw} = _ZERO; s{rule_clamped} = r < _ZERO")
                self.emit(d, "else:")
                self.emit(d + 1, f"s{raw} = r; s{rule_clamped} = False")
            case "tiers":
                assert rule.expr is not None
                value, arm = self.slot(), self.slot()
                self.emit(d, f"s{value} = x = {self.expr(rule.expr)}")
                for k, tier in enumerate(rule.tiers):
                    self.arm_header(d, k, "x", tier.op, tier.value)
                    self.emit(d + 1, f"s{raw} = {self.const(tier.points)}; s{arm} = {k}")
            case "grade":
                assert rule.expr is not None
                value, arm = self.slot(), self.slot()
                table = self.grade_table(rule, lambda p: (p,))
                self.emit(d, f"s{value} = x = {self.expr(rule.expr)}")
                self.emit(d, f"s{raw}, s{arm} = {self.const(table)}[x]")
            case "checklist":
                value = self.slot()
                flags = []
                self.emit(d, "r = _ZERO")
                for k, item in enumerate(rule.items):
                    cond = self.expr(item.condition) if item.condition is not None else "True"
                    self.emit(d, f"c{k} = bool({cond})")
                    self.emit(d, f"if c{k}:")
                    self.emit(d + 1, f"r = r + {self.const(item.points)}")
                    flags.append(f"c{k}")
                self.emit(d, f"s{value} = (" + "".join(f + ", " for f in flags) + ")")
                self.emit(d, f"s{raw} = r")
            case "judged" if rule.expr is not None:  # `judged from COLUMN`: the row's value (rows.py)
                self.emit(d, f"s{raw} = _D({self.expr(rule.expr)})")
            case "judged":
                number = self.judged_number.setdefault(ind.index, len(self.judged_number))
                self.emit(d, f"s{raw} = J[{number}]")
        self.emit(d, f"t = s{raw}")
        adjustments = tuple(self.adjustment(a, d) for a in ind.adjustments)
        exact, clamped, computed, points = self.slot(), self.slot(), self.slot(), self.slot()
        self.emit(d, f"if t > {weight}:")
        self.emit(d + 1, f"s{exact} = {weight}; s{clamped} = True")
        self.emit(d, "elif t <= _ZERO:")  # <=: a negative zero becomes 0 too
        earlier = f" or s{rule_clamped}" if rule_clamped is not None else ""
        self.emit(d + 1, f"s{exact} = _ZERO; s{clamped} = t < _ZERO{earlier}")
        self.emit(d, "else:")
        if rule_clamped is not None:
            self.emit(d + 1, f"s{exact} = t; s{clamped} = s{rule_clamped}")
        else:
            self.emit(d + 1, f"s{exact} = t; s{clamped} = False")
        # Every path above leaves a Decimal in s{exact}: weights, outcomes, judged
        # points and `_ZERO` are Decimals, and `r`/`t` are Decimal arithmetic on them.
        self.emit(d, f"s{computed} = s{points} = s{exact}.quantize({quantum}, _HALF_UP)")
        if self.overrides:
            self.emit(d, f"if O[{leaf_number}] is not None:")
            self.emit(d + 1, f"s{points} = O[{leaf_number}]")
        self.leaves[ind.index] = LeafSlots(
            applicable=applicable, value=value, arm=arm, raw=raw, rule_clamped=rule_clamped,
            adjustments=adjustments, exact=exact, clamped=clamped, computed=computed, points=points,
        )  # fmt: skip
        return f"s{points}"

    def grade_table(self, rule: model.Rule, extra: Any) -> dict[str, tuple[Any, ...]]:
        """label -> (points, arm, *extra): the arm of each label of the grade (or `else`)."""
        assert rule.expr is not None
        table: dict[str, tuple[Any, ...]] = {}
        else_arm = next((k for k, g in enumerate(rule.grades) if g.label is None), None)
        for label in rule.expr.type.labels:
            k = next((k for k, g in enumerate(rule.grades) if g.label == label), else_arm)
            assert k is not None
            points = rule.grades[k].points
            first, *rest = extra(points)
            table[label] = (first, k, *rest)
        return table

    def adjustment(self, adj: model.Adjustment, depth: int) -> Slot:
        """Emit one adjustment to the running value `t`; return the slot of its amount."""
        slot = self.slot()
        d = depth
        if adj.when is not None:
            self.emit(d, f"if {self.expr(adj.when)}:")
            d += 1
        amount = self.expr(adj.amount)
        if adj.per is not None:
            of, step = self.expr(adj.per.of), self.expr(adj.per.step)
            site = len(self.divisions)
            self.divisions.append(model.Binary("/", adj.per.of, adj.per.step, model.NUMBER, adj.span))
            self.emit(d, f"q = _div({of}, {step}, {site})")
            if adj.per.rounding == "whole":
                self.emit(d, "q = _floor(q)")
            elif adj.per.rounding == "started":
                self.emit(d, "q = _ceil(q)")
            amount = f"{amount} * q"
        if adj.per is None and adj.cap is None and _nonnegative_constant(adj.amount):
            self.emit(d, f"s{slot} = {amount}")  # a fixed amount: nothing to cap or clamp
        else:
            self.emit(d, f"a = {amount}")
            if adj.cap is not None:
                cap = self.expr(adj.cap)
                self.emit(d, f"if a > {cap}:")
                self.emit(d + 1, f"a = {cap}")
            self.emit(d, "if a <= _ZERO:")
            self.emit(d + 1, "a = _ZERO")
            self.emit(d, f"s{slot} = a")
        if adj.when is not None:
            self.emit(depth, "else:")
            self.emit(depth + 1, f"s{slot} = _ZERO")
        sign = "-" if adj.kind == "deduct" else "+"
        self.emit(depth, f"t = t {sign} s{slot}")
        return slot


def _nonnegative_constant(e: model.Expr) -> bool:
    """A Decimal constant >= 0 (the generated code may then skip `if a < 0`)."""
    match e:
        case model.Const(value=value) | model.ParamRef(value=value):
            return isinstance(value, Decimal) and value >= 0
    return False


def _sum(terms: list[str]) -> str:
    """Python source for an exact sum; long sums call sum() since `a + b + …` nests one level per term."""
    if not terms:
        return "_ZERO"
    if len(terms) <= 32:
        return " + ".join(terms)
    return "sum((" + ", ".join(terms) + ",), _ZERO)"


def _maybe_int(e: model.Expr) -> bool:
    """Counts stay Python ints at run time; a quotient of two of them needs a Decimal."""
    if e.type.kind == "count":
        return True
    match e:
        case model.Binary(op=op, left=left, right=right) if op != "/":
            return _maybe_int(left) and _maybe_int(right)
        case model.Call(function=f, args=args) if f in ("min", "max", "abs", "clamp", "shortfall",
                                                         "excess", "floor", "ceil"):
            return all(_maybe_int(a) for a in args)
        case model.Unary(op="-", operand=operand):
            return _maybe_int(operand)
        case model.IfElse(then=t, otherwise=o):
            return _maybe_int(t) or _maybe_int(o)
    return False


class _Poison:
    """A let whose computation failed: any use raises the original error."""

    __slots__ = ("error",)

    def __init__(self, error: Exception):
        self.error = error

    def __repr__(self) -> str:  # the same text for the same error: results compare their values by repr
        return f"<not computed: {self.error!r}>"

    def _raise(self, *args: Any) -> Any:
        raise self.error

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _raise
    __truediv__ = __rtruediv__ = __neg__ = __abs__ = __bool__ = _raise
    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _raise
    __hash__ = _raise


Poison = _Poison  # a let that divided by zero, as the values tuple holds it (results/writer.py prints `—`)


class NothingApplies(Exception):
    """Every indicator was dropped by `applies ... else rescale`."""


def _nothing_applies() -> None:
    raise NothingApplies()


def _achievement_at(site: int, *args: Any) -> Any:
    try:
        return arithmetic.achievement(*args)
    except AchievementError as exc:
        raise arithmetic.AchievementFailed(site, exc.said, exc.help) from None


def _zero(site: int) -> Any:
    raise arithmetic.DivisionByZero(site)


def _div(a: Any, b: Any, site: int) -> Any:
    if not b:
        raise arithmetic.DivisionByZero(site)
    return arithmetic.to_decimal(a) / b


_GLOBALS = {
    "_D": arithmetic.to_decimal, "_Decimal": Decimal, "_ZERO": arithmetic.ZERO, "_HALF_UP": ROUND_HALF_UP,
    "_div": _div, "_zero": _zero, "_floor": arithmetic.floor, "_ceil": arithmetic.ceil,
    "_round": arithmetic.round_to, "_clamp": arithmetic.clamp, "_shortfall": arithmetic.shortfall,
    "_excess": arithmetic.excess, "_Poison": _Poison, "_DivisionByZero": arithmetic.DivisionByZero,
    "_nothing_applies": _nothing_applies, "_achievement_at": _achievement_at, "_as_measure": arithmetic.as_measure,
    "_qualitative": arithmetic.qualitative,
    "_given": bool, "_no_rows": arithmetic.no_rows, "min": min, "max": max, "abs": abs, "bool": bool, "sum": sum,
    "_getcontext": decimal.getcontext, "_setcontext": decimal.setcontext, "_LOCAL": decimal_context.LOCAL,
}  # fmt: skip


def compile_ruleset(ruleset: model.CheckedRuleset, result: ResultMaker, shared_constants: bool = True,
                    compiled_by: Callable[[str], CodeType] | None = None) -> Compiled:
    """Generate and compile the evaluator of a checked ruleset (`shared_constants`: see _Emitter;
    `compiled_by`: see function_from)."""
    plain = _Emitter(ruleset, shared_constants)
    checks = fast_checks(ruleset)
    code = plain.program(overrides=False, checks=checks)
    evaluate = _build(code, plain.constants, checks, result, compiled_by)
    compiled = Compiled(ruleset, evaluate, plain.layout, code, result)
    compiled.shared_constants = shared_constants
    return compiled


@records.record
class Scoring:
    """The evaluator's scoring lines, for other generated code that needs every value as a local
    (the JSON writer, results/writer.py): they compute what the evaluator's values tuple holds.

    `lines` run at depth 2 inside a function that has set the engine's decimal context, bound the
    inputs `i<k>`, the judged points `J` and the override points `O` (one per leaf, None where
    none: the lines read `O[n]`). `local_at` names the local that holds each position of the values
    tuple (`Layout`). `emitter` writes more formulas the same way (`expr`, reading `i<k>`, `l<k>`)
    and holds the constants `K<n>` the lines use (`constants`, for `function_from`).
    """

    emitter: _Emitter
    lines: tuple[str, ...]
    local_at: dict[int, str]


def scoring(ruleset: model.CheckedRuleset) -> Scoring:
    """The scoring lines of a ruleset's evaluator with overrides (see `Scoring`), made anew."""
    emitter = _Emitter(ruleset)
    with decimal_context.EngineContext():  # its constants are worked out in the engine's context, as at load
        emitter.program(overrides=True, checks=None)
    start, end = emitter.scoring
    return Scoring(emitter, tuple(emitter.lines[start:end]), emitter.local_at)


@records.record
class Evaluator:
    """The evaluator's program as `compile_ruleset` writes it (its fast checks, no overrides), with the
    emitter that wrote it, for code generated on top of it (results/writer.py: the batch's evaluator
    that writes the 扣分原因 too). `code` ends with `    return R`; after the try block, every value is
    still a local (`emitter.local_at`), and `emitter` writes more formulas and constants."""

    emitter: _Emitter
    code: str
    names: dict[str, Any]  # the namespace the program needs besides the constants: its checks', the Result maker's


def evaluator(compiled: Compiled) -> Evaluator:
    """The program of a compiled ruleset's evaluator, made anew (see `Evaluator`)."""
    emitter = _Emitter(compiled.ruleset, compiled.shared_constants)
    checks = fast_checks(compiled.ruleset)
    with decimal_context.EngineContext():  # its constants are worked out in the engine's context, as at load
        code = emitter.program(overrides=False, checks=checks)
    assert emitter.layout == compiled.layout  # the same slots, the same values
    return Evaluator(emitter, code, {**checks.namespace, **_result_names(compiled._result)})


def _result_names(result: ResultMaker) -> dict[str, Any]:
    """What the evaluator's last lines need to make a Result."""
    return {"_Result": result.cls, "_MAX": result.max, "_LABELS": result.labels, "_new": object.__new__}


def function_from(code: str, constants: list[Any], names: dict[str, Any], entry: str,
                  compiled: Callable[[str], CodeType] | None = None) -> Any:
    """The function `entry` of generated code, run with the evaluator's globals, the constants as
    `K<n>` and `names`; no builtins beyond what these give. `compiled` turns the text into code
    (the command line's cache keeps it: cache.compiled); by default, Python's compile()."""
    namespace: dict[str, Any] = {"__builtins__": {}}
    namespace.update(_GLOBALS)
    namespace.update({f"K{k}": v for k, v in enumerate(constants)})
    namespace.update(names)
    exec((compiled or code_object)(code), namespace)
    return namespace[entry]


EVALUATOR_FILE = "<perfrules evaluator>"  # the file name of generated code in a traceback


@functools.lru_cache(maxsize=64)
def code_object(code: str) -> CodeType:
    """Python's compile() of generated code, kept by its text. The text holds no value from the rule
    file or the facts (they are the K<n> globals), so the rows of two projects of the same shape
    compile to the same text: the second reuses the first's code object (rows.py)."""
    return compile(code, EVALUATOR_FILE, "exec")


def _build(code: str, constants: list[Any], checks: FastChecks | None, result: ResultMaker,
           compiled: Callable[[str], CodeType] | None = None) -> Any:
    names: dict[str, Any] = dict(checks.namespace) if checks is not None else {}
    names.update(_result_names(result))
    return function_from(code, constants, names, "evaluate", compiled)
