"""The rules in words: formulas as a reviewer reads them (`formula`, `exact_text`) and each
indicator's 评分标准 generated from its rule (`standard`), in Chinese or English.

Shared by `explain`, the reports and the filed form, so the published standard cannot
drift from what is computed.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any, TypeVar, cast

from perfrules import decimal_context
from perfrules.semantics import arithmetic, model
from perfrules.syntax.keywords import FUNCTIONS

_F = TypeVar("_F", bound=Callable[..., Any])


def _in_engine_context(function: _F) -> _F:
    """Run `function` in the engine's decimal context: the caller's is never read (docs/limits.md)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with decimal_context.EngineContext():
            return function(*args, **kwargs)

    return cast(_F, wrapper)


# Exact values are shown in full up to this many decimals; longer ones (most
# quotients) are cut, not rounded, and marked with an ellipsis.
MAX_PLACES = 10


# ---- values and formulas ---------------------------------------------------------------


def exact_text(value: Any, type_: model.ValueType | None = None, zh: bool = True) -> str:
    """A value as a reviewer checks it: exact, or cut after MAX_PLACES decimals with `…`.

    A percent prints as a percentage (0.8618304 -> 86.18304%), a bool as 是/否
    (true/false in English), a grade or text as itself.
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("true" if value else "false")
    if isinstance(value, str):
        return value
    number = arithmetic.to_decimal(value)
    percent = type_ is not None and type_.kind == "percent"
    if percent:
        number = decimal_context.CONTEXT.multiply(number, arithmetic.HUNDRED)
    return _cut(number) + ("%" if percent else "")


def _cut(number: Decimal) -> str:
    normal = number.normalize(decimal_context.CONTEXT)
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -MAX_PLACES:
        return arithmetic.plain(number)
    cut = number.quantize(arithmetic.quantum(MAX_PLACES), rounding=ROUND_DOWN, context=decimal_context.CONTEXT)
    return arithmetic.plain(cut) + "…"


_BINARY = {"+": " + ", "-": " - ", "*": " × ", "/": " ÷ "}
_COMPARE = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
_PRECEDENCE = {
    "if": 0,
    "or": 1,
    "and": 2,
    "not": 3,
    "compare": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "neg": 7,
    "atom": 8,
}


def compare_op(op: str) -> str:
    """`>=` -> `≥`."""
    return _COMPARE.get(op, op)


def formula(expr: model.Expr, zh: bool, value: Callable[[model.Expr], str] | None = None) -> str:
    """An expression as text; with `value`, every name is replaced by what `value` prints for it.

    Operators print as × ÷ ≥ ≤ ≠; keywords and functions in Chinese when `zh`.
    """
    text, _ = _formula(expr, zh, value)
    return text


def _wrap(part: tuple[str, int], level: int, right: bool = False) -> str:
    text, own = part
    if own < level or (right and own == level):
        return f"({text})"
    return text


def _formula(
    expr: model.Expr, zh: bool, value: Callable[[model.Expr], str] | None
) -> tuple[str, int]:
    atom = _PRECEDENCE["atom"]
    match expr:
        case model.Const():
            text = (
                expr.span.text().strip()
                if expr.span is not None
                else arithmetic.json_value(expr.value)
            )
            return str(text), atom
        case model.InputRef(name=name) | model.LetRef(name=name) | model.ParamRef(name=name):
            if value is None:
                return name, atom
            shown = value(expr)
            return (f"({shown})" if shown.startswith("-") else shown), atom
        case model.Unary(op="-", operand=operand):
            level = _PRECEDENCE["neg"]
            return "-" + _wrap(_formula(operand, zh, value), level), level
        case model.Unary(op="not", operand=operand):
            level = _PRECEDENCE["not"]
            return ("非 " if zh else "not ") + _wrap(_formula(operand, zh, value), level), level
        case model.Binary(op=op, left=left, right=right):
            level = _PRECEDENCE[op]
            a = _wrap(_formula(left, zh, value), level)
            b = _wrap(_formula(right, zh, value), level, right=True)
            return a + _BINARY[op] + b, level
        case model.Compare(op=op, left=left, right=right):
            level = _PRECEDENCE["compare"]
            a = _wrap(_formula(left, zh, value), level + 1)
            b = _wrap(_formula(right, zh, value), level + 1)
            return f"{a} {compare_op(op)} {b}", level
        case model.Logical(op=op, left=left, right=right):
            level = _PRECEDENCE[op]
            word = {"and": "且", "or": "或"}[op] if zh else op
            a = _wrap(_formula(left, zh, value), level)
            b = _wrap(_formula(right, zh, value), level, right=True)
            return f"{a} {word} {b}", level
        case model.IfElse(condition=c, then=t, otherwise=o):
            words = ("如果", "则", "否则") if zh else ("if", "then", "else")
            parts = [_formula(x, zh, value)[0] for x in (c, t, o)]
            return (
                f"{words[0]} {parts[0]} {words[1]} {parts[1]} {words[2]} {parts[2]}",
                _PRECEDENCE["if"],
            )
        case model.Call(function=function, args=args):
            name = FUNCTIONS[function] if zh else function
            return name + "(" + ", ".join(_formula(a, zh, value)[0] for a in args) + ")", atom
    raise AssertionError(f"unknown expression {expr!r}")  # pragma: no cover


def names_in(expr: model.Expr) -> Iterator[model.Expr]:
    """Every input, param and let reference in an expression, left to right."""
    for node in model.walk(expr):
        if isinstance(node, (model.InputRef, model.ParamRef, model.LetRef)):
            yield node


def is_name(expr: model.Expr) -> bool:
    return isinstance(expr, (model.InputRef, model.ParamRef, model.LetRef, model.Const))



# ---- 评分标准: the rule in words ---------------------------------------------------------


def standard(rs: model.CheckedRuleset, ind: model.Indicator, zh: bool) -> str:
    """The 评分标准 of a leaf: its `note` if the file gives one, else `generated_standard`."""
    if ind.note:
        return ind.note
    return generated_standard(rs, ind, zh)


@_in_engine_context
def generated_standard(rs: model.CheckedRuleset, ind: model.Indicator, zh: bool) -> str:
    """The scoring rule, adjustments, clamp and applicability of a leaf, worded like a 评分表."""
    rule = ind.rule
    if rule is None:
        return ""
    parts: list[str] = []
    if not (rule.kind == "full" and ind.adjustments):
        parts.append(_rule_words(rule, ind.weight, zh))
    parts.extend(_adjustment_words(adj, zh) for adj in ind.adjustments)
    sep = "；" if zh else "; "
    text = sep.join(p for p in parts if p)
    if any(a.kind == "deduct" for a in ind.adjustments):
        text += "，扣完为止" if zh else ", no less than 0"
    if any(a.kind == "bonus" for a in ind.adjustments):
        text += "，满分为止" if zh else ", no more than the weight"
    if not zh:
        text = re.sub(r"(?<![\d.])1 points\b", "1 point", text)
    if ind.applies is not None:
        cond = formula(ind.applies.condition, zh)
        if ind.applies.otherwise == "full":
            text += (
                f"{sep}{cond}时适用，不适用时得满分"
                if zh
                else f"{sep}applies when {cond}, otherwise full points"
            )
        else:
            text += (
                f"{sep}{cond}时适用，不适用时不计分，总分按适用分值折算"
                if zh
                else f"{sep}applies when {cond}, otherwise not scored and the total is rescaled"
            )
    return text


def _num(value: Any) -> str:
    return arithmetic.plain(arithmetic.to_decimal(value))


def _value(value: Decimal | None, type_: model.ValueType) -> str:
    if value is None:
        return ""
    if type_.kind == "percent":
        return arithmetic.percent_text(value)
    return _num(value)


def _operand(expr: model.Expr, zh: bool) -> str:
    """A formula ready to be multiplied: parenthesised unless it is a single name or number."""
    text = formula(expr, zh)
    simple = isinstance(
        expr, (model.InputRef, model.LetRef, model.ParamRef, model.Const, model.Call)
    )
    return text if simple else f"({text})"


def _rule_words(rule: model.Rule, weight: Decimal, zh: bool) -> str:
    w = _num(weight)
    match rule.kind:
        case "full":
            return "满分" if zh else "full points"
        case "ratio":
            assert rule.expr is not None
            x = _operand(rule.expr, zh)
            return f"得分={x}×分值，满分为止" if zh else f"points = {x} × weight, up to the weight"
        case "score":
            assert rule.expr is not None
            x = formula(rule.expr, zh)
            return f"得分={x}，最低0分，最高{w}分" if zh else f"points = {x}, between 0 and {w}"
        case "tiers":
            assert rule.expr is not None
            return _tier_words(rule.tiers, rule.expr, zh)
        case "grade":
            assert rule.expr is not None
            arms = []
            for arm in rule.grades:
                label = arm.label if arm.label is not None else ("其他" if zh else "other")
                arms.append(f"{label}{_outcome_words(arm.outcome_text, arm.points, zh)}")
            sep = "；" if zh else "; "
            return formula(rule.expr, zh) + ("：" if zh else ": ") + sep.join(arms)
        case "checklist":
            sep = "；" if zh else "; "
            items = [
                f"{i.text}得{_num(i.points)}分" if zh else f"{i.text}: {_num(i.points)} points"
                for i in rule.items
            ]
            return sep.join(items)
        case "judged":
            if not rule.bands:
                return (
                    f"评价人评定得分（0-{w}分）"
                    if zh
                    else f"points judged by the evaluator (0 to {w})"
                )
            bands = []
            for band in rule.bands:
                shares = band.text.split(":", 1)[-1].strip().replace(" ", "")
                points = (
                    ("[" if band.low_closed else "(")
                    + f"{_num(band.low)},{_num(band.high)}"
                    + ("]" if band.high_closed else ")")
                )
                bands.append(
                    f"{band.label}{shares}，即{points}分"
                    if zh
                    else f"{band.label} {shares} = {points} points"
                )
            sep = "；" if zh else "; "
            return ("评价人在区间内评定：" if zh else "judged within a band: ") + sep.join(bands)
    return ""  # pragma: no cover


def _outcome_words(outcome_text: str, points: Decimal, zh: bool) -> str:
    if outcome_text in ("full", "满分"):
        return "得满分" if zh else ": full points"
    if outcome_text.endswith(("%", "％")):
        return (
            f"得{outcome_text}（{_num(points)}分）"
            if zh
            else f": {outcome_text} ({_num(points)} points)"
        )
    return f"得{_num(points)}分" if zh else f": {_num(points)} points"


_UP = (">=", ">")
_DOWN = ("<=", "<")


def _tier_words(arms: Sequence[model.TierArm], expr: model.Expr, zh: bool) -> str:
    """「≥90%得10分；80%(含)-90%得8分；…；低于60%得0分」: each arm as the band it really covers."""
    type_ = expr.type
    incl = "(含)" if zh else " (incl.)"
    to = "-" if zh else " to "
    out: list[str] = []
    previous: model.TierArm | None = None
    ordered = _monotone(arms)
    for arm in arms:
        points = _num(arm.points)
        got = f"得{points}分" if zh else f": {points} points"
        if arm.op is None:
            band = "其他" if zh else "otherwise"
            if previous is not None and previous.op is not None and ordered:
                v = _value(previous.value, type_)
                bare = previous.op
                band = (
                    {">=": f"低于{v}", ">": f"不高于{v}", "<=": f"高于{v}", "<": f"不低于{v}"}.get(
                        bare, band
                    )
                    if zh
                    else {
                        ">=": f"below {v}",
                        ">": f"at most {v}",
                        "<=": f"above {v}",
                        "<": f"at least {v}",
                    }.get(bare, band)
                )
            out.append(band + got)
            continue
        v = _value(arm.value, type_)
        bare = arm.op
        band = f"{compare_op(arm.op)}{v}" if zh else f"{compare_op(arm.op)} {v}"
        if previous is not None and previous.op is not None and ordered:
            p = _value(previous.value, type_)
            prev = previous.op
            if bare in (">=", ">") and prev in (">=", ">"):
                band = f"{v}{incl if bare == '>=' else ''}{to}{p}{incl if prev == '>' else ''}"
            elif bare in ("<=", "<") and prev in ("<=", "<", "=="):
                band = f"{p}{incl if prev == '<' else ''}{to}{v}{incl if bare == '<=' else ''}"
        out.append(band + got)
        previous = arm
    sep = "；" if zh else "; "
    subject = formula(expr, zh)
    return subject + ("" if zh else " ") + sep.join(out)


def _monotone(arms: Sequence[model.TierArm]) -> bool:
    """Whether the arms form one chain of bands (all ≥ going down, or all ≤ going up)."""
    ops = [a for a in arms if a.op is not None]
    if not ops or any(a.value is None for a in ops):
        return False
    bare = [a.op for a in ops if a.op is not None]
    values = [a.value for a in ops if a.value is not None]
    if all(o in (">=", ">") for o in bare):
        return all(a > b for a, b in itertools.pairwise(values))
    first_eq = bare[0] == "=="
    rest = bare[1:] if first_eq else bare
    rest_values = values[1:] if first_eq else values
    if rest and all(o in ("<=", "<") for o in rest):
        increasing = all(a < b for a, b in itertools.pairwise(rest_values))
        return increasing and (not first_eq or values[0] < rest_values[0])
    return False


def _adjustment_words(adj: model.Adjustment, zh: bool) -> str:
    verb = (
        ("扣" if adj.kind == "deduct" else "加")
        if zh
        else ("off" if adj.kind == "deduct" else "added")
    )
    amount = formula(adj.amount, zh)
    because = _plain_because(adj.because)
    if adj.per is None:
        if zh:
            if because is not None:
                text = f"{because}{verb}{amount}分"
            elif adj.when is not None:
                text = f"{formula(adj.when, zh)}时{verb}{amount}分"
            else:
                text = f"{verb}{amount}分"
        else:
            if because is not None:
                text = f"{because}: {amount} points {verb}"
            elif adj.when is not None:
                text = f"{amount} points {verb} when {formula(adj.when, zh)}"
            else:
                text = f"{amount} points {verb}"
    else:
        text = _per_words(adj, amount, verb, zh)
        if adj.when is not None:
            text = (
                f"{formula(adj.when, zh)}时，" if zh else f"when {formula(adj.when, zh)}, "
            ) + text
    if adj.cap is not None:
        cap = formula(adj.cap, zh)
        text += f"，最多{verb}{cap}分" if zh else f", at most {cap} points"
    return text


def _plain_because(template: model.Template | None) -> str | None:
    """A `because` with no insertions, fit to stand in a standard; None otherwise."""
    if template is None or any(not isinstance(p, str) for p in template.parts):
        return None
    text = "".join(p for p in template.parts if isinstance(p, str)).strip()
    return text.rstrip("。；;，,") or None


def _per_words(adj: model.Adjustment, amount: str, verb: str, zh: bool) -> str:
    """「每低于100% 1个百分点扣0.1分」 and its kin, from `shortfall`/`excess` and the step."""
    per = adj.per
    assert per is not None
    step = per.step
    if isinstance(step, model.Const) and step.type.kind == "percent":
        points = arithmetic.plain(arithmetic.to_decimal(step.value) * arithmetic.HUNDRED)
        step_text = (
            f"{points}个百分点"
            if zh
            else f"{points} percentage point" + ("" if points == "1" else "s")
        )
        percent_step = True
    else:
        step_text = formula(step, zh)
        if zh and per.of.type.kind == "count":
            step_text += "个"
        percent_step = False
    of = per.of
    if isinstance(of, model.Call) and of.function in ("shortfall", "excess") and len(of.args) == 2:
        actual, target = (formula(a, zh) for a in of.args)
        below = of.function == "shortfall"
        if zh:
            if percent_step:
                text = (
                    f"{actual}每{'低于' if below else '超过'}{target} {step_text}{verb}{amount}分"
                )
            else:
                text = f"{actual}每比{target}{'少' if below else '多'}{step_text}{verb}{amount}分"
        else:
            text = (
                f"{amount} points {verb} per {step_text} that {actual} "
                f"{'falls short of' if below else 'exceeds'} {target}"
            )
    else:
        x = formula(of, zh)
        text = (
            f"{x}每{step_text}{verb}{amount}分"
            if zh
            else f"{amount} points {verb} per {step_text} of {x}"
        )
    if per.rounding == "whole":
        text += f"（不足{step_text}的部分不计）" if zh else " (whole steps only)"
    elif per.rounding == "started":
        text += (
            f"（不足{step_text}的按{step_text}计）" if zh else " (a started step counts in full)"
        )
    return text


