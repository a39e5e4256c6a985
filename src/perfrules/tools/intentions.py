"""Declared intentions: what an author means a ruleset to do (monotonic, full when, zero
when, at least, at most), read from a cases file or given in Python, and checked with
Hypothesis by `perfrules.testing.check_intentions`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import attrs

from perfrules.catalogue import Lang, Said, Text, checks
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import WordedError, did_you_mean
from perfrules.inputs.values import convert
from perfrules.semantics import arithmetic, model

INTENTION_KEYS = ("kind", "name", "path", "input", "direction", "when", "within", "points")


def exact_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None


IntentionKind = Literal["monotonic", "full_when", "zero_when", "at_least", "at_most"]
KINDS: tuple[str, ...] = ("monotonic", "full_when", "zero_when", "at_least", "at_most")


class IntentionError(WordedError):
    """An intention (or facts pinned for one) that does not fit the ruleset: unknown path or
    input, bad direction... str() is the English text; `said.in_("zh")` the Chinese
    (catalogue/checks.py, diagnostics.py)."""


def _raw_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return arithmetic.plain(value) if isinstance(value, (int, Decimal)) else repr(value)


@attrs.frozen
class Intention:
    """What an author means a ruleset to do; checked by `perfrules.testing.check_intentions`.

    `path` None means the total. `when` pins inputs to raw fact values (as a facts
    file writes them: percents as "90%" strings).
    """

    kind: IntentionKind
    path: str | None = None
    input: str | None = None
    direction: Literal["up", "down"] = "up"
    when: Mapping[str, Any] = attrs.field(factory=dict)
    points: Decimal | None = None
    name: str | None = None
    where: str | None = None  # FILE:LINE of the declaration, for messages
    within: Mapping[str, tuple[Any, Any]] = attrs.field(factory=dict)  # narrower input ranges

    def said(self) -> Said:
        """The intention in words, as test output shows it (catalogue/checks.py)."""
        target: Said | Text = checks.NAMED(path=self.path) if self.path else checks.THE_TOTAL
        of: Said | Text = checks.POINTS_OF(path=self.path) if self.path else checks.THE_TOTAL
        when: Said | str = ""
        if self.when:
            when = checks.WHEN(conditions=tuple(f"{k} = {_raw_text(v)}" for k, v in self.when.items()))
        points = arithmetic.plain(self.points or 0)
        match self.kind:
            case "monotonic":
                verb = checks.NEVER_FALL if self.direction == "up" else checks.NEVER_RISE
                text = verb(of=of, input=self.input, when=when)
            case "full_when":
                text = checks.SCORES_FULL(target=target, when=when)
            case "zero_when":
                text = checks.SCORES_ZERO(target=target, when=when)
            case "at_least":
                text = checks.SCORES_AT_LEAST(target=target, points=points, when=when)
            case _:
                text = checks.SCORES_AT_MOST(target=target, points=points, when=when)
        return checks.NAMED_INTENTION(name=self.name, text=text) if self.name else text

    def describe(self, lang: Lang = "en") -> str:
        """The intention in words, in `lang`."""
        return self.said().in_(lang)


def as_intention(item: Intention | Mapping[str, Any]) -> Intention:
    """An Intention from a mapping like `{"kind": "monotonic", "path": ..., "input": ...}`."""
    if isinstance(item, Intention):
        return item
    data = dict(item)
    unknown = sorted(set(data) - {*INTENTION_KEYS, "where"})
    if unknown:
        raise IntentionError(checks.UNKNOWN_KEYS(unknown=tuple(unknown), keys=INTENTION_KEYS))
    points = data.get("points")
    if isinstance(points, float):
        raise IntentionError(checks.POINTS_FLOAT())
    number = exact_number(points) if points is not None else None
    if points is not None and number is None:
        raise IntentionError(checks.POINTS_NOT_NUMBER(points=repr(points)))
    return Intention(
        kind=data.get("kind", ""), path=data.get("path"), input=data.get("input"),
        direction=data.get("direction", "up"), when=dict(data.get("when") or {}),
        points=number, name=data.get("name"), where=data.get("where"),
        within={k: tuple(v) for k, v in (data.get("within") or {}).items()},
    )  # fmt: skip


def keyed_problems(rs: model.CheckedRuleset, intention: Intention) -> list[tuple[str, Said]]:
    """(key, message) for each problem: the key locates it in a cases file."""
    problems: list[tuple[str, Said]] = []
    if intention.kind not in KINDS:
        problems.append(("kind", say.INTENTION_UNKNOWN_KIND(kind=intention.kind, kinds=tuple(KINDS))))
    if intention.path is not None and rs.find(intention.path) is None:
        guess = did_you_mean(intention.path, [i.path for i in rs.all_indicators()])
        problems.append(("path", say.INTENTION_UNKNOWN_PATH_GUESS(path=intention.path, guess=guess) if guess else
                         say.INTENTION_UNKNOWN_PATH(path=intention.path)))
    inputs = {i.name: i for i in rs.inputs}
    if intention.kind == "monotonic":
        if intention.input is None:
            problems.append(("kind", say.INTENTION_NEEDS_INPUT()))
        elif intention.input not in inputs:
            guess = did_you_mean(intention.input, list(inputs))
            problems.append(("input", say.INTENTION_UNKNOWN_INPUT_GUESS(name=intention.input, guess=guess) if guess
                             else say.INTENTION_UNKNOWN_INPUT(name=intention.input)))
        elif inputs[intention.input].type.kind == "text":
            problems.append(("input", say.INTENTION_TEXT_CANNOT_RISE(name=intention.input)))
        elif intention.input in intention.when:
            problems.append(("when", say.INTENTION_RISES_AND_PINNED(name=intention.input)))
        if intention.direction not in ("up", "down"):
            problems.append(("direction", say.INTENTION_DIRECTION(direction=repr(intention.direction))))
    elif intention.input is not None or intention.direction != "up":
        problems.append(("input", say.INTENTION_INPUT_BELONGS(kind=intention.kind)))
    if intention.kind in ("at_least", "at_most") and intention.points is None:
        problems.append(("kind", say.INTENTION_NEEDS_POINTS(kind=intention.kind)))
    if intention.kind not in ("at_least", "at_most") and intention.points is not None:
        problems.append(("points", say.INTENTION_POINTS_BELONG(kind=intention.kind)))
    for name, bounds in intention.within.items():
        inp = inputs.get(name)
        if inp is None:
            problems.append(("within", say.INTENTION_WITHIN_UNKNOWN(name=name)))
            continue
        converted = [convert(inp, b) for b in bounds] if len(bounds) == 2 else []
        if (
            inp.type.kind not in ("number", "percent", "count")
            or len(converted) != 2
            or any(p is not None for _, p in converted)
            or converted[0][0] > converted[1][0]
        ):
            problems.append(("within", say.INTENTION_WITHIN_RANGE(name=name)))
    for name, raw in intention.when.items():
        if name not in inputs:
            guess = did_you_mean(str(name), list(inputs))
            problems.append(("when", say.INTENTION_WHEN_UNKNOWN_GUESS(name=name, guess=guess) if guess else
                             say.INTENTION_WHEN_UNKNOWN(name=name)))
            continue
        problem = convert(inputs[name], raw)[1]
        if problem is not None:
            problems.append(("when", say.INTENTION_WHEN_VALUE(name=name, problem=problem[0])))
    return problems


