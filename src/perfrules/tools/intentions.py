"""Declared intentions: what an author means a ruleset to do (monotonic, full when, zero
when, at least, at most), read from a cases file or given in Python, and checked with
Hypothesis by `perfrules.testing.check_intentions`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import attrs

from perfrules.diagnostics import did_you_mean
from perfrules.inputs.facts import convert
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


class IntentionError(ValueError):
    """An intention that does not fit the ruleset (unknown path or input, bad direction...)."""


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

    def describe(self) -> str:
        """The intention in words, as test output shows it."""
        target = f"`{self.path}`" if self.path else "the total"
        of = f"the points of {target}" if self.path else "the total"
        condition = ""
        if self.when:
            condition = " when " + ", ".join(f"{k} = {_raw_text(v)}" for k, v in self.when.items())
        match self.kind:
            case "monotonic":
                verb = "never fall" if self.direction == "up" else "never rise"
                text = f"{of} {verb} when `{self.input}` rises{condition}"
            case "full_when":
                text = f"{target} scores full marks{condition}"
            case "zero_when":
                text = f"{target} scores 0{condition}"
            case "at_least":
                text = f"{target} scores at least {arithmetic.plain(self.points or 0)}{condition}"
            case _:
                text = f"{target} scores at most {arithmetic.plain(self.points or 0)}{condition}"
        return (f"{self.name}: " if self.name else "") + text


def as_intention(item: Intention | Mapping[str, Any]) -> Intention:
    """An Intention from a mapping like `{"kind": "monotonic", "path": ..., "input": ...}`."""
    if isinstance(item, Intention):
        return item
    data = dict(item)
    unknown = sorted(set(data) - {*INTENTION_KEYS, "where"})
    if unknown:
        raise IntentionError(f"unknown intention keys: {', '.join(unknown)}; the keys are {', '.join(INTENTION_KEYS)}")
    points = data.get("points")
    if isinstance(points, float):
        raise IntentionError("`points` must be exact: a string or a Decimal, not a float")
    number = exact_number(points) if points is not None else None
    if points is not None and number is None:
        raise IntentionError(f"`points` must be a number, not {points!r}")
    return Intention(
        kind=data.get("kind", ""), path=data.get("path"), input=data.get("input"),
        direction=data.get("direction", "up"), when=dict(data.get("when") or {}),
        points=number, name=data.get("name"), where=data.get("where"),
        within={k: tuple(v) for k, v in (data.get("within") or {}).items()},
    )  # fmt: skip


def intention_problems(rs: model.CheckedRuleset, intention: Intention) -> list[str]:
    """What is wrong with an intention for this ruleset (empty when it fits)."""
    return [message for _, message in keyed_problems(rs, intention)]


def keyed_problems(rs: model.CheckedRuleset, intention: Intention) -> list[tuple[str, str]]:
    """(key, message) for each problem: the key locates it in a cases file."""
    problems: list[tuple[str, str]] = []
    if intention.kind not in KINDS:
        problems.append(("kind", f"unknown intention kind `{intention.kind}`; the kinds are {', '.join(KINDS)}"))
    if intention.path is not None and rs.find(intention.path) is None:
        guess = did_you_mean(intention.path, [i.path for i in rs.all_indicators()])
        problems.append(
            ("path", f"unknown indicator `{intention.path}`" + (f" (did you mean `{guess}`?)" if guess else ""))
        )
    inputs = {i.name: i for i in rs.inputs}
    if intention.kind == "monotonic":
        if intention.input is None:
            problems.append(("kind", "a `monotonic` intention needs `input`"))
        elif intention.input not in inputs:
            guess = did_you_mean(intention.input, list(inputs))
            problems.append(
                ("input", f"unknown input `{intention.input}`" + (f" (did you mean `{guess}`?)" if guess else ""))
            )
        elif inputs[intention.input].type.kind == "text":
            problems.append(("input", f"`{intention.input}` is a text: it cannot rise"))
        elif intention.input in intention.when:
            problems.append(("when", f"`{intention.input}` is both the input that rises and pinned in `when`"))
        if intention.direction not in ("up", "down"):
            problems.append(("direction", f'`direction` must be "up" or "down", not {intention.direction!r}'))
    elif intention.input is not None or intention.direction != "up":
        problems.append(("input", f"`input` and `direction` belong to `monotonic`, not `{intention.kind}`"))
    if intention.kind in ("at_least", "at_most") and intention.points is None:
        problems.append(("kind", f"an `{intention.kind}` intention needs `points`"))
    if intention.kind not in ("at_least", "at_most") and intention.points is not None:
        problems.append(("points", f"`points` belongs to `at_least` and `at_most`, not `{intention.kind}`"))
    for name, bounds in intention.within.items():
        inp = inputs.get(name)
        if inp is None:
            problems.append(("within", f"`within`: unknown input `{name}`"))
            continue
        converted = [convert(inp, b) for b in bounds] if len(bounds) == 2 else []
        if (
            inp.type.kind not in ("number", "percent", "count")
            or len(converted) != 2
            or any(p is not None for _, p in converted)
            or converted[0][0] > converted[1][0]
        ):
            problems.append(("within", f"`within`: `{name}` needs [LOW, HIGH], two valid values, low first"))
    for name, raw in intention.when.items():
        if name not in inputs:
            guess = did_you_mean(str(name), list(inputs))
            problems.append(
                ("when", f"`when`: unknown input `{name}`" + (f" (did you mean `{guess}`?)" if guess else ""))
            )
            continue
        problem = convert(inputs[name], raw)[1]
        if problem is not None:
            problems.append(("when", f"`when`: `{name}`: {problem[1]}"))
    return problems


