"""`perfrules test --coverage`: which branches of the rules the test cases exercise.

A branch is one way a rule can go:

* a `tiers` arm or a `grade` arm taken (the `else` arm included);
* a checklist item met, and missed;
* a `deduct`/`bonus` taking (or giving) points, and not (its `when` false, or nothing to take);
* an `applies` condition true, and false;
* a `veto` striking, and not.

Every case that evaluates adds what its result took; an official then sees, per rule line,
the branches no case reaches, like the tier 「低于60%不得分」 of a table no case scores below 60% on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .audit import Result
from .engine import Ruleset


@attrs.define
class Branch:
    """One way a rule can go, where it is written, and how many cases went that way."""

    line: int
    path: str  # the indicator, or "" for the total
    what: str  # "tiers", "grade", "item", "deduct", "bonus", "applies", "veto"
    text: str  # the arm or clause as written, with the way: `>= 60%: 50%`, `item "…" (met)`
    hits: int = 0


class Coverage:
    """The branches of one ruleset and how many of the cases evaluated reached each."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.branches: list[Branch] = []
        self.cases = 0
        self._arms: dict[tuple[int, int], Branch] = {}  # (indicator index, arm) -> branch
        self._items: dict[tuple[int, int, bool], Branch] = {}
        self._adjustments: dict[tuple[int, int, bool], Branch] = {}  # (indicator index or -1, k, applied)
        self._applies: dict[tuple[int, bool], Branch] = {}
        self._vetoes: dict[tuple[int, bool], Branch] = {}
        zh = ruleset.model.chinese_keywords
        met, missed = ("满足", "未满足") if zh else ("met", "missed")
        took, did_not = ("生效", "未生效") if zh else ("applied", "not applied")
        true, false = ("成立", "不成立") if zh else ("true", "false")
        for ind in ruleset.indicator_list:
            if ind.applies is not None:
                for way in (True, False):
                    self._applies[(ind.index, way)] = self._add(
                        ind.applies.span, ind.path, "applies", f"{_text(ind.applies.span)} ({true if way else false})")
            rule = ind.rule
            if rule is not None and rule.kind == "tiers":
                for k, arm in enumerate(rule.tiers):
                    self._arms[(ind.index, k)] = self._add(arm.span, ind.path, "tiers", _text(arm.span))
            elif rule is not None and rule.kind == "grade":
                for k, grade in enumerate(rule.grades):
                    self._arms[(ind.index, k)] = self._add(grade.span, ind.path, "grade", _text(grade.span))
            elif rule is not None and rule.kind == "checklist":
                for k, item in enumerate(rule.items):
                    for way in (True, False):
                        self._items[(ind.index, k, way)] = self._add(
                            item.span, ind.path, "item", f"{_text(item.span)} ({met if way else missed})")
            for k, adj in enumerate(ind.adjustments if ind.is_leaf else ()):
                for way in (True, False):
                    self._adjustments[(ind.index, k, way)] = self._add(
                        adj.span, ind.path, adj.kind, f"{_text(adj.span)} ({took if way else did_not})")
        for k, adj in enumerate(ruleset.model.adjustments):
            for way in (True, False):
                self._adjustments[(-1, k, way)] = self._add(
                    adj.span, "", adj.kind, f"{_text(adj.span)} ({took if way else did_not})")
        for k, veto in enumerate(ruleset.model.vetoes):
            for way in (True, False):
                text = f"{_text(veto.span)} ({true if way else false})"
                self._vetoes[(k, way)] = self._add(veto.span, "", "veto", text)
        self.branches.sort(key=lambda b: b.line)

    def _add(self, span: Any, path: str, what: str, text: str) -> Branch:
        branch = Branch(span.line, path, what, text)
        self.branches.append(branch)
        return branch

    def add(self, result: Result) -> None:
        """Count the branches one evaluated case took."""
        self.cases += 1
        by_index = {ind.path: ind.index for ind in self.ruleset.indicator_list}
        for record in result.indicators:
            index = by_index.get(record.path)
            if index is None:
                continue  # a row of a rows ruleset: its indicators are made from the facts (not counted yet)
            hit = self._applies.get((index, record.applicable))
            if hit is not None:
                hit.hits += 1
            if not record.applicable:
                continue
            if record.arm is not None and (index, record.arm) in self._arms:
                self._arms[(index, record.arm)].hits += 1
            if record.rule == "checklist" and record.value is not None:
                for k, ok in enumerate(record.value):
                    branch = self._items.get((index, k, bool(ok)))
                    if branch is not None:
                        branch.hits += 1
            for k, adj in enumerate(record.adjustments):
                branch = self._adjustments.get((index, k, _took(adj)))
                if branch is not None:
                    branch.hits += 1
        for k, adj in enumerate(result.top_adjustments):
            branch = self._adjustments.get((-1, k, _took(adj)))
            if branch is not None:
                branch.hits += 1
        veto = result.veto
        for k, declared in enumerate(self.ruleset.model.vetoes):
            struck = veto is not None and veto.source == self.ruleset.source_of(declared.span)
            self._vetoes[(k, struck)].hits += 1

    @property
    def missed(self) -> list[Branch]:
        return [b for b in self.branches if b.hits == 0]

    def lines(self) -> list[str]:
        """The report: the never-exercised branches per rule line, then the count."""
        name = self.ruleset.display_name
        total = len(self.branches)
        reached = total - len(self.missed)
        share = f"{reached * 100 // total}%" if total else "100%"
        zh = self.ruleset.model.chinese_keywords
        out = [(f"覆盖率 {name}：{self.cases} 个用例走到 {reached}/{total} 个分支（{share}）" if zh else
                f"coverage of {name}: {self.cases} cases reach {reached} of {total} branches ({share})")]
        if self.missed:
            out.append("从未走到：" if zh else "never exercised:")
        for branch in self.missed:
            where = f"{name}:{branch.line}"
            target = f"{branch.path}: " if branch.path else ("总分: " if zh else "total: ")
            out.append(f"  {where}  {target}{branch.text}")
        return out


def _took(adj: Any) -> bool:
    return bool(adj.applied) and adj.amount != 0


def _text(span: Any) -> str:
    """The arm or clause as written, on one line, its `because` text left out and cut at 80 characters."""
    import re

    text = " ".join(str(span.text()).split())
    text = re.sub(r'\s+(because|原因)\s+"(?:\\.|[^"\\])*"', "", text)
    return text if len(text) <= 80 else text[:79] + "…"


def coverage_of(ruleset: Ruleset, results: Iterable[Result]) -> Coverage:
    """The coverage of `ruleset` by these results."""
    cov = Coverage(ruleset)
    for result in results:
        cov.add(result)
    return cov
