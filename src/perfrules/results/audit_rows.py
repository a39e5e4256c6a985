"""What a Result's audit trail takes from the ruleset alone, made once per ruleset, and how values
print in the JSON. Shared by the records (result.py) and the generated JSON writer (writer.py)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from perfrules import records
from perfrules.backend.compile import LeafSlots
from perfrules.semantics import arithmetic, model

if TYPE_CHECKING:
    from perfrules.engine import Ruleset

SCHEMA = "perfrules.result/1"
# a direction column's word, as an English reason writes it
DIRECTIONS_EN = {"正向": "higher is better", "反向": "lower is better", "等于": "equal is best", "定性": "qualitative"}
TIER_SYMBOLS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}  # a tier's test as a Chinese reason writes it


@records.record
class AuditRow:
    """What one indicator's record and JSON row take from the ruleset alone: made once per ruleset."""

    ind: model.Indicator
    leaf: LeafSlots | None  # None: a group
    points: int
    applicable: int | None  # the slot of its own `applies`, else of its nearest parent's; None: always applies
    rule: str
    source: str
    inputs: tuple[tuple[str, int], ...]
    adjustments: tuple[tuple[model.Adjustment, int, str], ...]  # each with its slot and source
    leaf_number: int | None
    judged_number: int | None
    weight: str  # as JSON prints it
    named: str  # how a generated reason names the rule's expression
    group_scale: bool = False  # a group with `out of` or shared weight: its JSON row shows both scales


def rows_of(rs: Ruleset) -> tuple[AuditRow, ...]:
    rows = rs.audit_rows
    if rows is None:
        # Built on the first audit read, not at load; threads racing here only build it twice.
        with rs.decimal_context():
            rows = rs.audit_rows = tuple(_row(rs, ind) for ind in rs.indicator_list)
    return rows


def _row(rs: Ruleset, ind: model.Indicator) -> AuditRow:
    layout = rs.compiled.layout
    leaf = layout.leaves.get(ind.index)
    slots = leaf or layout.groups[ind.index]
    applicable, parent = slots.applicable, rs.parent_of.get(ind.index)
    while applicable is None and parent is not None:
        applicable, parent = layout.groups[parent.index].applicable, rs.parent_of.get(parent.index)
    inputs, weight = tuple(rs.inputs_of[ind.index]), arithmetic.plain(ind.weight)
    if leaf is None:
        scale = getattr(slots, "scaled", None) is not None
        return AuditRow(ind, None, slots.points, applicable, "group", rs.source_of(ind.span), inputs, (), None, None,
                        weight, "", scale)
    rule = ind.rule
    assert rule is not None
    adjustments = tuple((a, leaf.adjustments[k], rs.source_of(a.span)) for k, a in enumerate(ind.adjustments))
    named = describe(rs, rule.expr) if rule.expr is not None else ""
    return AuditRow(ind, leaf, slots.points, applicable, rule.kind, rs.source_of(rule.span), inputs, adjustments,
                    rs.leaf_number[ind.index], rs.judged_number.get(ind.index), weight, named)


def describe(rs: Ruleset, expr: model.Expr) -> str:
    """How an expression is named in a generated reason: an input's label, else its text."""
    m = rs.model
    if isinstance(expr, (model.Const, model.ParamRef)) and not isinstance(expr.value, (bool, str)) \
            and not expr.span.text()[:1].isalpha():  # fmt: skip
        # a literal prints as its value; a param, and a row's column (a constant once rows are expanded),
        # by its name ("系数为50%", not "50%为50%")
        return arithmetic.show(expr.value, expr.type, m.precision, m.chinese_keywords)
    text = expr.span.text()
    if isinstance(expr, model.InputRef):
        text = m.inputs[expr.index].label or text
    if m.chinese and text[-1:].isascii() and text[-1:].isalnum():
        text += " "
    return text


def input_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return arithmetic.json_value(value)


def jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return arithmetic.plain(value)
    if isinstance(value, (str, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):  # a TOML date or time: ISO 8601, as TOML writes it ("T", not a space)
        return str(value.isoformat())
    return str(value)


def meta_text(value: Any) -> str:
    """A [meta] value as text for a table or report: as the facts file wrote it, never a Python repr
    (`true`, not `True`; `2024-03-31T09:00:00`; a list as its items joined by `, `)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {meta_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return ", ".join(meta_text(v) for v in value)
    if value is None:
        return ""
    return str(jsonable(value))


def written(value: Any) -> Any:
    """A row's value as the form wrote it (a measure keeps its sign and unit)."""
    if hasattr(value, "text"):
        return value.text
    return input_text(value)


def column_json(value: Any) -> Any:
    """A row's column in the JSON: a measure as written plus its number; anything else as a value."""
    if hasattr(value, "text") and hasattr(value, "number"):
        return {"text": value.text, "number": None if value.number is None else arithmetic.plain(value.number),
                "percent": value.percent, "unit": value.unit or None}
    return arithmetic.json_value(value)
