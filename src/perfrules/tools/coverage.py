"""`perfrules test --coverage`: which branches of the rules the test cases exercise.

A branch is one way a rule can go:

* a `tiers` arm or a `grade` arm taken (the `else` arm included);
* a checklist item met, and missed;
* a `deduct`/`bonus` taking (or giving) points, and not (its `when` false, or nothing to take);
* an `applies` condition true, and false;
* a `veto` striking, and not;
* an arm of an `each` block (`when …` or `else`) that some row took;
* an `if … then … else …` going either way, where a case reaches it: in a scoring rule, a checklist
  item, a deduct or bonus (its `when`; its amount, step and cap when it applies), an `applies`
  condition, a veto, or a `let` that one of those uses.

Every case that evaluates adds what its result took; an official then sees, per rule line,
the branches no case reaches, like the tier 「低于60%不得分」 of a table no case scores below 60% on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from perfrules.catalogue import lang_of, phrases
from perfrules.engine import Ruleset
from perfrules.results.result import Result
from perfrules.semantics import model


@attrs.define
class Branch:
    """One way a rule can go, where it is written, and how many cases went that way."""

    line: int
    path: str  # the indicator, or "" for the total
    what: str  # "tiers", "grade", "item", "deduct", "bonus", "applies", "veto", "each", "if"
    text: str  # the arm or clause as written, with the way: `>= 60%: 50%`, `item "…" (met)`
    hits: int = 0


class Coverage:
    """The branches of one ruleset and how many of the cases evaluated reached each.

    Branches are keyed by where they are written (the offset of their span), so that the
    leaves a rows ruleset makes from each row's facts count toward the `each` arm, tier,
    item or adjustment of the rule file they were made from.
    """

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.branches: list[Branch] = []
        self.cases = 0
        self._keyed: dict[tuple[str, int, bool], Branch] = {}
        self._arm_of_rule: dict[int, int] = {}  # an `each` arm's rule offset -> the arm's offset
        lang = lang_of(ruleset.model.chinese_keywords)
        self.words = {
            "item": (phrases.MET.in_(lang), phrases.MISSED.in_(lang)),
            "adjustment": (phrases.APPLIED.in_(lang), phrases.NOT_APPLIED.in_(lang)),
            "condition": (phrases.TRUE.in_(lang), phrases.FALSE.in_(lang)),
        }
        for ind in ruleset.indicator_list:
            bodies: list[tuple[Any, Any, Any]] = []
            if ind.is_leaf and ind.rule is not None:
                bodies.append((ind.rule, ind.adjustments, None))
            if ind.applies is not None:
                self._both("applies", ind.applies.span, ind.path, "applies", "condition")
            each = getattr(ind, "each", None)
            for arm in each.arms if each is not None else ():
                self._add(("each", arm.span.start, True), arm.span, ind.path, "each", _text(arm.span, head=True))
                self._arm_of_rule[arm.rule.span.start] = arm.span.start
                bodies.append((arm.rule, arm.adjustments, arm.applies))
            for rule, adjustments, applies in bodies:
                if applies is not None:
                    self._both("applies", applies.span, ind.path, "applies", "condition")
                for arm in rule.tiers if rule.kind == "tiers" else rule.grades if rule.kind == "grade" else ():
                    self._add(("arm", arm.span.start, True), arm.span, ind.path, rule.kind, _text(arm.span))
                for item in rule.items if rule.kind == "checklist" else ():
                    self._both("item", item.span, ind.path, "item", "item")
                for adj in adjustments:
                    self._both("adjustment", adj.span, ind.path, adj.kind, "adjustment")
                self._ifs([rule.expr, *(item.condition for item in rule.items),
                           *(e for adj in adjustments for e in _adjustment_exprs(adj)),
                           applies.condition if applies is not None else None], ind.path)
            self._ifs([ind.applies.condition if ind.applies is not None else None,
                       *(e for adj in ind.adjustments if not ind.is_leaf for e in _adjustment_exprs(adj))], ind.path)
        for adj in ruleset.model.adjustments:
            self._both("adjustment", adj.span, "", adj.kind, "adjustment")
        for veto in ruleset.model.vetoes:
            self._both("veto", veto.span, "", "veto", "condition")
        self._ifs([e for adj in ruleset.model.adjustments for e in _adjustment_exprs(adj)]
                  + [veto.condition for veto in ruleset.model.vetoes] + [let.expr for let in ruleset.model.lets], "")
        self.branches.sort(key=lambda b: b.line)

    def _ifs(self, exprs: Iterable[Any], path: str) -> None:
        """The two ways of each `if … then … else` in these expressions (not inside an aggregate's
        `where`, which goes a way for each row rather than for the case)."""
        for expr in exprs:
            for node in _scoring_walk(expr):
                if isinstance(node, model.IfElse):
                    self._both("if", node.span, path, "if", "condition")

    def _add(self, key: tuple[str, int, bool], span: Any, path: str, what: str, text: str) -> None:
        if key not in self._keyed:
            branch = Branch(span.line, path, what, text)
            self._keyed[key] = branch
            self.branches.append(branch)

    def _both(self, kind: str, span: Any, path: str, what: str, words: str) -> None:
        yes, no = self.words[words]
        for way in (True, False):
            self._add((kind, span.start, way), span, path, what, f"{_text(span)} ({yes if way else no})")

    def _hit(self, kind: str, span: Any, way: bool = True) -> None:
        branch = self._keyed.get((kind, span.start, way))
        if branch is not None:
            branch.hits += 1

    def add(self, result: Result) -> None:
        """Count the branches one evaluated case took."""
        self.cases += 1
        made = {ind.path: ind for ind in result.ruleset.indicator_list}  # a rows ruleset: made from the facts
        lets_seen: set[int] = set()
        for record in result.indicators:
            ind = made.get(record.path)
            if ind is None:
                continue
            if ind.applies is not None:
                self._hit("applies", ind.applies.span, record.applicable)
                self._reach(result, [ind.applies.condition], lets_seen)
            if not record.applicable:
                continue
            self._reach_adjustments(result, ind.adjustments, lets_seen)
            if ind.rule is None or not ind.is_leaf:
                continue
            rule = ind.rule
            arm_start = self._arm_of_rule.get(rule.span.start)
            if arm_start is not None:
                branch = self._keyed.get(("each", arm_start, True))
                if branch is not None:
                    branch.hits += 1
            if record.arm is not None and rule.kind in ("tiers", "grade"):
                arms = rule.tiers if rule.kind == "tiers" else rule.grades
                if 0 <= record.arm < len(arms):
                    self._hit("arm", arms[record.arm].span)
            if rule.kind == "checklist" and record.value is not None:
                for item, ok in zip(rule.items, record.value, strict=False):
                    self._hit("item", item.span, bool(ok))
            for adj, applied in zip(ind.adjustments, record.adjustments, strict=False):
                self._hit("adjustment", adj.span, _took(applied))
            self._reach(result, [rule.expr, *(item.condition for item in rule.items)], lets_seen)
        top = result.ruleset.model.adjustments
        for adj, applied in zip(top, result.top_adjustments, strict=False):
            self._hit("adjustment", adj.span, _took(applied))
        self._reach_adjustments(result, top, lets_seen)
        veto = result.veto
        for declared in result.ruleset.model.vetoes:
            struck = veto is not None and veto.source == result.ruleset.source_of(declared.span)
            self._hit("veto", declared.span, struck)
        self._reach(result, [declared.condition for declared in result.ruleset.model.vetoes], lets_seen)

    def _reach_adjustments(self, result: Result, adjustments: Iterable[model.Adjustment],
                           lets_seen: set[int]) -> None:
        """A deduct's or bonus's `when` is always worked out; its amount, step and cap only when it holds."""
        for adj in adjustments:
            if adj.when is not None:
                self._reach(result, [adj.when], lets_seen)
                try:
                    if not result.value_of(adj.when):
                        continue
                except Exception:  # a `when` this case cannot work out: nothing after it was reached
                    continue
            self._reach(result, [e for e in _adjustment_exprs(adj) if e is not adj.when], lets_seen)

    def _reach(self, result: Result, exprs: Iterable[Any], lets_seen: set[int]) -> None:
        """Count the way each `if` that this evaluation reaches went: only the taken side is followed,
        so an `if` inside a branch not taken is not counted as reached."""
        stack = [expr for expr in exprs if expr is not None]
        while stack:
            node = stack.pop()
            if isinstance(node, model.IfElse):
                try:
                    way = bool(result.value_of(node.condition))
                except Exception:  # a condition this case cannot evaluate (a guarded division): not reached
                    continue
                self._hit("if", node.span, way)
                stack.append(node.then if way else node.otherwise)
            elif isinstance(node, model.LetRef):
                if node.index not in lets_seen:
                    lets_seen.add(node.index)
                    stack.append(result.ruleset.model.lets[node.index].expr)
            elif not isinstance(node, model.Aggregate):
                stack.extend(model.children(node))

    @property
    def missed(self) -> list[Branch]:
        return [b for b in self.branches if b.hits == 0]

    def lines(self) -> list[str]:
        """The report: the never-exercised branches per rule line, then the count."""
        name = self.ruleset.display_name
        total = len(self.branches)
        reached = total - len(self.missed)
        share = f"{reached * 100 // total}%" if total else "100%"
        lang = lang_of(self.ruleset.model.chinese_keywords)
        one = self.cases == 1
        out = [phrases.COVERAGE.format(lang, name=name, cases=self.cases, case_word="case" if one else "cases",
                                       es="es" if one else "", reached=reached, total=total, share=share)]
        if self.missed:
            out.append(phrases.NEVER_EXERCISED.in_(lang))
        for branch in self.missed:
            where = f"{name}:{branch.line}"
            target = f"{branch.path}{phrases.COLON.in_(lang)}" if branch.path else phrases.OF_THE_TOTAL.in_(lang)
            out.append(f"  {where}  {target}{branch.text}")
        return out


def _adjustment_exprs(adj: model.Adjustment) -> list[model.Expr]:
    """The expressions a deduct or bonus works out: its amount, `per` step and base, `when`, `cap`."""
    per = [adj.per.step, adj.per.of] if adj.per is not None else []
    return [e for e in (adj.amount, *per, adj.when, adj.cap) if e is not None]


def _scoring_walk(expr: Any) -> list[Any]:
    """An expression and everything inside it, but not inside an aggregate (its `where` is per row)."""
    out: list[Any] = []
    stack = [expr] if expr is not None else []
    while stack:
        node = stack.pop()
        out.append(node)
        if not isinstance(node, model.Aggregate):
            stack.extend(reversed(model.children(node)))
    return out


def _took(adj: Any) -> bool:
    return bool(adj.applied) and adj.amount != 0


def _text(span: Any, head: bool = False) -> str:
    """The arm or clause as written, on one line, its `because` text left out and cut at 80 characters;
    `head`: only up to its `{` (an `each` arm: `when 方向 == 正向`)."""
    import re

    text = " ".join(str(span.text()).split())
    if head:
        text = text.split("{", 1)[0].strip()
    text = re.sub(r'\s+(because|原因)\s+"(?:\\.|[^"\\])*"', "", text)
    return text if len(text) <= 80 else text[:79] + "…"


def coverage_of(ruleset: Ruleset, results: Iterable[Result]) -> Coverage:
    """The coverage of `ruleset` by these results."""
    cov = Coverage(ruleset)
    for result in results:
        cov.add(result)
    return cov
