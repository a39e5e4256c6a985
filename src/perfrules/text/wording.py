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
from perfrules.catalogue import lang_of, phrases
from perfrules.semantics import arithmetic, model
from perfrules.syntax.keywords import FUNCTIONS, KEYWORDS

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
        return _keyword("true" if value else "false", zh)
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


_SHOWN_KINDS = ("number", "percent", "count", "bool")


def _literal(text: str) -> bool:
    """Whether a constant's source text is the value as written (`100`, `95%`, `true`), not a name or
    a formula the rows made a constant of (`资金`, `count(T)`)."""
    bare = text.replace(",", "").rstrip("%％").strip()
    return re.fullmatch(r"[+-]?\d+(\.\d+)?", bare) is not None or text in ("true", "false", "是", "否")


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
            if value is not None and expr.type.kind in _SHOWN_KINDS and not _literal(str(text)):
                # a row's column or an aggregate, made a constant for this row (spec 10, 13): its value
                shown = value(expr)
                return (f"({shown})" if shown.startswith("-") else shown), atom
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
            return _keyword("not", zh) + " " + _wrap(_formula(operand, zh, value), level), level
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
            word = _keyword(op, zh)
            a = _wrap(_formula(left, zh, value), level)
            b = _wrap(_formula(right, zh, value), level, right=True)
            return f"{a} {word} {b}", level
        case model.IfElse(condition=c, then=t, otherwise=o):
            words = [_keyword(word, zh) for word in ("if", "then", "else")]
            parts = [_formula(x, zh, value)[0] for x in (c, t, o)]
            return (
                f"{words[0]} {parts[0]} {words[1]} {parts[1]} {words[2]} {parts[2]}",
                _PRECEDENCE["if"],
            )
        case model.Call(function=function, args=args):
            name = FUNCTIONS[function] if zh else function
            return name + "(" + ", ".join(_formula(a, zh, value)[0] for a in args) + ")", atom
    raise AssertionError(f"unknown expression {expr!r}")  # pragma: no cover


def _keyword(english: str, zh: bool) -> str:
    """A keyword of the language as a formula is printed: in Chinese when `zh`."""
    return KEYWORDS[english] if zh else english


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
    lang = lang_of(zh)
    parts: list[str] = []
    if not (rule.kind == "full" and ind.adjustments):
        parts.append(_rule_words(rule, ind.weight, zh))
    parts.extend(_adjustment_words(adj, zh) for adj in ind.adjustments)
    sep = phrases.LIST_SEMICOLON.in_(lang)
    text = sep.join(p for p in parts if p)
    if any(a.kind == "deduct" for a in ind.adjustments):
        text += phrases.STANDARD_FLOOR.in_(lang)
    if any(a.kind == "bonus" for a in ind.adjustments):
        text += phrases.STANDARD_CAP.in_(lang)
    text = phrases.singular(text, lang)
    if ind.applies is not None:
        cond = formula(ind.applies.condition, zh)
        # `else share` at the top level is `rescale` (spec 12)
        applies = phrases.APPLIES_ELSE_FULL if ind.applies.otherwise == "full" else \
            phrases.APPLIES_ELSE_SHARE if ind.applies.otherwise == "share" and "." in ind.path else \
            phrases.APPLIES_ELSE_RESCALE  # fmt: skip
        text += applies.format(lang, sep=sep, condition=cond)
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
    lang = lang_of(zh)
    sep = phrases.LIST_SEMICOLON.in_(lang)
    match rule.kind:
        case "full":
            return phrases.RULE_FULL.in_(lang)
        case "ratio":
            assert rule.expr is not None
            return phrases.RULE_RATIO.format(lang, x=_operand(rule.expr, zh))
        case "score":
            assert rule.expr is not None
            return phrases.RULE_SCORE.format(lang, x=formula(rule.expr, zh), weight=w)
        case "tiers":
            assert rule.expr is not None
            return _tier_words(rule.tiers, rule.expr, zh)
        case "grade":
            assert rule.expr is not None
            arms = []
            for arm in rule.grades:
                label = arm.label if arm.label is not None else phrases.OTHER.in_(lang)
                arms.append(f"{label}{_outcome_words(arm.outcome_text, arm.points, zh)}")
            return formula(rule.expr, zh) + phrases.COLON.in_(lang) + sep.join(arms)
        case "checklist":
            return sep.join(phrases.CHECK_ITEM.format(lang, item=i.text, points=_num(i.points)) for i in rule.items)
        case "judged":
            if not rule.bands:
                return phrases.RULE_JUDGED.format(lang, weight=w)
            bands = []
            for band in rule.bands:
                shares = band.text.split(":", 1)[-1].strip().replace(" ", "")
                points = (
                    ("[" if band.low_closed else "(")
                    + f"{_num(band.low)},{_num(band.high)}"
                    + ("]" if band.high_closed else ")")
                )
                bands.append(phrases.JUDGED_BAND.format(lang, label=band.label, shares=shares, points=points))
            return phrases.JUDGED_IN_BANDS.format(lang, bands=sep.join(bands))
    return ""  # pragma: no cover


def _outcome_words(outcome_text: str, points: Decimal, zh: bool) -> str:
    lang = lang_of(zh)
    if outcome_text in ("full", "满分"):
        return phrases.OUTCOME_FULL.in_(lang)
    if outcome_text.endswith(("%", "％")):
        return phrases.OUTCOME_SHARE.format(lang, share=outcome_text, points=_num(points))
    return phrases.OUTCOME_POINTS.format(lang, points=_num(points))


_UP = (">=", ">")
_DOWN = ("<=", "<")
# the band below the last threshold, by the threshold's operator: `>= 60` leaves `below 60`
_REST = {">=": phrases.BELOW, ">": phrases.AT_MOST, "<=": phrases.ABOVE, "<": phrases.AT_LEAST}


def _tier_words(arms: Sequence[model.TierArm], expr: model.Expr, zh: bool) -> str:
    """「≥90%得10分；80%(含)-90%得8分；…；低于60%得0分」: each arm as the band it really covers."""
    lang = lang_of(zh)
    type_ = expr.type
    incl = phrases.INCLUSIVE.in_(lang)
    to = phrases.RANGE_TO.in_(lang)
    out: list[str] = []
    previous: model.TierArm | None = None
    ordered = _monotone(arms)
    for arm in arms:
        got = phrases.OUTCOME_POINTS.format(lang, points=_num(arm.points))
        if arm.op is None:
            band = phrases.TIER_OTHERWISE.in_(lang)
            if previous is not None and previous.op is not None and ordered and previous.op in _REST:
                band = _REST[previous.op].format(lang, value=_value(previous.value, type_))
            out.append(band + got)
            continue
        v = _value(arm.value, type_)
        bare = arm.op
        band = phrases.TIER_AT.format(lang, op=compare_op(arm.op), value=v)
        if previous is not None and previous.op is not None and ordered:
            p = _value(previous.value, type_)
            prev = previous.op
            if bare in (">=", ">") and prev in (">=", ">"):
                band = f"{v}{incl if bare == '>=' else ''}{to}{p}{incl if prev == '>' else ''}"
            elif bare in ("<=", "<") and prev in ("<=", "<", "=="):
                band = f"{p}{incl if prev == '<' else ''}{to}{v}{incl if bare == '<=' else ''}"
        out.append(band + got)
        previous = arm
    return phrases.TIERS_OF.format(lang, subject=formula(expr, zh), tiers=phrases.LIST_SEMICOLON.in_(lang).join(out))


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
    lang = lang_of(zh)
    verb = (phrases.DEDUCT_VERB if adj.kind == "deduct" else phrases.BONUS_VERB).in_(lang)
    amount = formula(adj.amount, zh)
    because = _plain_because(adj.because)
    if adj.per is None:
        if because is not None:
            text = phrases.ADJUST_BECAUSE.format(lang, because=because, amount=amount, verb=verb)
        elif adj.when is not None:
            text = phrases.ADJUST_WHEN.format(lang, amount=amount, verb=verb, condition=formula(adj.when, zh))
        else:
            text = phrases.ADJUST.format(lang, amount=amount, verb=verb)
    else:
        text = _per_words(adj, amount, verb, zh)
        if adj.when is not None:
            text = phrases.WHEN_PREFIX.format(lang, condition=formula(adj.when, zh)) + text
    if adj.cap is not None:
        cap = phrases.AT_MOST_DEDUCTED if adj.kind == "deduct" else phrases.AT_MOST_ADDED
        text += cap.format(lang, cap=formula(adj.cap, zh))
    return text


def _plain_because(template: model.Template | None) -> str | None:
    """A `because` with no insertions, fit to stand in a standard; None otherwise."""
    if template is None or any(not isinstance(p, str) for p in template.parts):
        return None
    text = "".join(p for p in template.parts if isinstance(p, str)).strip()
    return text.rstrip("。；;，,") or None


def _per_words(adj: model.Adjustment, amount: str, verb: str, zh: bool) -> str:
    """「每低于100% 1个百分点扣0.1分」 and its kin, from `shortfall`/`excess` and the step."""
    lang = lang_of(zh)
    per = adj.per
    assert per is not None
    step = per.step
    if isinstance(step, model.Const) and step.type.kind == "percent":
        points = arithmetic.plain(arithmetic.to_decimal(step.value) * arithmetic.HUNDRED)
        step_text = (phrases.PERCENT_STEP_ONE if points == "1" else phrases.PERCENT_STEP).format(lang, points=points)
        percent_step = True
    else:
        step_text = formula(step, zh)
        if per.of.type.kind == "count":
            step_text = phrases.COUNT_STEP.format(lang, step=step_text)
        percent_step = False
    of = per.of
    if isinstance(of, model.Call) and of.function in ("shortfall", "excess") and len(of.args) == 2:
        actual, target = (formula(a, zh) for a in of.args)
        below = of.function == "shortfall"
        if percent_step:
            words = phrases.PER_BELOW if below else phrases.PER_ABOVE
        else:
            words = phrases.PER_LESS if below else phrases.PER_MORE
        text = words.format(lang, amount=amount, verb=verb, step=step_text, actual=actual, target=target)
    else:
        text = phrases.PER_STEP_OF.format(lang, amount=amount, verb=verb, step=step_text, x=formula(of, zh))
    if per.rounding == "whole":
        text += phrases.WHOLE_STEPS.format(lang, step=step_text)
    elif per.rounding == "started":
        text += phrases.STARTED_STEPS.format(lang, step=step_text)
    return text
