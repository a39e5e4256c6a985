"""The audit of a row loop's Result (`lost`, `to_dict()`, `to_json()`) written from the loop's own values.

A rows ruleset scores a plain dict with its row loop (backend/rowloop.py), which keeps, besides every
indicator's points, the inputs as it read them and the rows it scored (each row's place, key, weight and
arm). Reading the audit used to expand the rows (rows.py), generate and compile code for the expansion
and write the JSON from its records; this writes the same bytes from what the loop kept: what a record
takes from the rule file alone is worked out once per ruleset (`LoopWriter`, on the first audit read),
each row's value, exact points and clamp come from its arm's audit (`rowloop._auditor`: the slots the
expansion's generated leaf fills), and the reasons are the catalogue's phrases filled as result.py fills
them, numbers printed by the same functions; a cell of a row is printed once per value (a cache per
column). `to_json()` is `dumps(to_dict())`: writing the rows as text from lines made once per cell value
was measured no faster than orjson over the dict (bench/README.md), and was left out.

It writes what the rule files of the 10号 form use: rows scored by `ratio achievement(…)` (a direction
from the target, a constant or a column), `judged from COLUMN` (bands, but no band column), `full`, or
`ratio` / `score` of another expression of the row's columns; indicators outside the rows scored by
`ratio`, `score` or `full` (a `because` without insertions too); groups with or without `out of`. A
ruleset with anything else (a `because` with insertions, a row's rule reading an input or a let, …)
has no LoopWriter (`build` returns None) and its loop results keep the expansion path for their audit.
tests/test_rowloop.py holds the two byte-identical on drawn tables and on every shipped rows ruleset.
"""

from __future__ import annotations

import operator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from perfrules import decimal_context, records
from perfrules.backend.rowloop import RowLoop, Scored
from perfrules.catalogue import lang_of, phrases
from perfrules.inputs.facts import MISSING
from perfrules.results.audit_rows import DIRECTIONS_EN, SCHEMA, column_json, describe, input_text, jsonable, written
from perfrules.semantics import arithmetic, model

if TYPE_CHECKING:
    from perfrules.engine import Ruleset

_ZERO = arithmetic.ZERO


# a row of a table: path, weight, points and exact points as printed, its arm, its cells (LoopWriter.cell),
# reasons, number, key, clamped
_Row = tuple[str, str, str, str, "_Arm", list[tuple[str, Any, Any]], list[str], int, str, bool]


class _Unsupported(Exception):
    """Something this writer does not write: the ruleset's loop results take the expansion path."""


class _Arm:
    """An `each` arm: what its rows' records share."""

    def __init__(self, rs: Ruleset, rule: model.Rule, positions: dict[str, int], table: str):
        self.kind = rule.kind
        self.rule = rule
        self.table = table
        self.source = rs.source_of(rule.span)
        self.column = -1  # `judged from`: the points' column
        # `achievement`: the actual's and the target's columns, and the direction: a constant or a column (int)
        self.actual = self.target = -1
        self.direction: str | int | None = None
        self.named, self.simple = "", False  # `ratio` or `score` of another expression: how a reason names it
        if rule.because is not None:
            raise _Unsupported("a row's reason")  # pragma: no cover - the loop refuses it
        expr = rule.expr
        if expr is not None and any(isinstance(e, (model.InputRef, model.LetRef)) for e in model.walk(expr)):
            raise _Unsupported("a row's rule reading an input")  # its groups' records would list that input
        match expr:
            case model.Call(function="achievement", args=(model.ColumnRef() as a, model.ColumnRef() as t, *way)) \
                    if rule.kind == "ratio":
                self.actual, self.target = positions[a.column], positions[t.column]
                match way:
                    case []:
                        return
                    case [model.Const(value=str() as value)]:
                        self.direction = value
                        return
                    case [model.ColumnRef(column=column)]:
                        self.direction = positions[column]
                        return
            case model.ColumnRef(column=column) if rule.kind == "judged" and rule.band_column is None:
                self.column = positions[column]
                return
        if rule.kind == "full":
            return
        if rule.kind in ("ratio", "score") and expr is not None:
            # rows.py puts the row's values in as constants, keeping each one's span: a reason names the
            # expression by its text as written, as `describe` names it here, but for a lone column whose
            # name does not start with a letter (a constant's value would print instead)
            if isinstance(expr, model.ColumnRef) and not expr.column[:1].isalpha():
                raise _Unsupported("a column named like a number")
            self.named = describe(rs, expr)
            self.simple = isinstance(expr, (model.ColumnRef, model.Const, model.ParamRef))  # a constant once expanded
            return
        raise _Unsupported(f"a row's {rule.kind} rule")


class LoopWriter:
    """What a rows ruleset's loop results write their audit with, made once per ruleset."""

    def __init__(self, rs: Ruleset, loop: RowLoop):
        m = rs.model
        self.rs = rs
        self.lang = lang_of(m.chinese)
        self.places = m.precision
        self.head: dict[str, Any] = {
            "schema": SCHEMA, "ruleset": {"name": m.name, "version": m.version, "sha256": m.source.sha256},
            "engine": f"perfrules {rs.engine_version}",
        }  # fmt: skip
        self.max = arithmetic.plain(m.total)
        self.str_fixed = 0 <= m.precision <= 6  # `arithmetic.fixed` of a number rounded to the places is its str()
        self.floored = phrases.FLOORED_AT_ZERO.in_(self.lang)
        self.floored_words = phrases.FLOORED_WORDS.in_(self.lang)
        self.capped = phrases.CAPPED_AT_FULL.in_(self.lang)
        # an indicator of the rule file, by path -> (it, its inputs, how a reason names its rule, its audit)
        self.static: dict[str, tuple[model.Indicator, tuple[tuple[str, int], ...], str, Any]] = {}
        # an `each`'s arms, by the scorer the loop records for a row
        self.arms: dict[Any, tuple[_Arm, Any]] = {}
        self.children: dict[str, tuple[str, ...]] = {}  # a group of the rule file with `out of` -> its children
        self.because: dict[str, str] = {}  # a leaf outside the rows -> its `because` text (without insertions)
        # a rows input -> its columns' names, and for each column a value -> how the record's inputs and its
        # row's columns print it; a row's weight -> as printed (threads racing on these only print a value twice)
        self.column_names = {inp.index: tuple(c.name for c in inp.columns) for inp in m.inputs
                             if inp.type.kind == "rows"}  # fmt: skip
        self.cells: dict[int, list[dict[Any, tuple[str, Any, Any]]]] = {
            table: [{} for _ in names] for table, names in self.column_names.items()}
        self.weights: dict[Decimal, str] = {}
        for ind in rs.indicator_list:
            if ind.applies is not None or ind.adjustments:
                raise _Unsupported("`applies` or adjustments")  # pragma: no cover - the loop refuses them
            if ind.each is not None:
                each = loop.eaches[ind.path]
                for condition_scorer, arm in zip(each.arms, ind.each.arms, strict=True):
                    scorer = condition_scorer[1]
                    self.arms[scorer] = (_Arm(rs, arm.rule, each.positions, m.inputs[each.table].name),
                                          each.audits[scorer][1])
                self.static[ind.path] = (ind, (), "", None)
                continue
            inputs = tuple((name, k) for name, k in rs.inputs_of[ind.index]
                           if m.inputs[k].type.kind != "rows")  # fmt: skip
            if ind.is_leaf:
                rule = ind.rule
                assert rule is not None
                if rule.because is not None:
                    if not all(isinstance(part, str) for part in rule.because.parts):
                        raise _Unsupported("a `because` with insertions")  # values printed as result.py shows them
                    self.because[ind.path] = "".join(rule.because.parts)  # type: ignore[arg-type]
                if rule.kind not in ("ratio", "score", "full"):
                    raise _Unsupported(f"a {rule.kind} rule")  # pragma: no cover - the loop refuses the rest
                named = describe(rs, rule.expr) if rule.expr is not None else ""
                self.static[ind.path] = (ind, inputs, named, loop.leaf_audits[ind.index])
            else:
                self.static[ind.path] = (ind, inputs, "", None)
                if ind.out_of is not None:
                    self.children[ind.path] = tuple(c.path for c in ind.children)

    # -- per result
    def records(self, result: Any) -> tuple[list[dict[str, Any] | _Row], list[tuple[str, Decimal, Decimal, list[str]]]]:
        """Every indicator's JSON row, in the expansion's order (a row of a table as a `_Row`, which `row_dict`
        writes), and each leaf that lost points: (path, weight, points, reasons)."""
        points: dict[str, Decimal] = result._points
        inputs: tuple[Any, ...] = result._inputs
        trail: list[Scored] = result._trail
        places, fixed, plain = self.places, arithmetic.fixed, arithmetic.plain
        rows: dict[str, Scored] = {}
        weights: dict[str, Decimal] = {}  # an each or a row group -> the sum of its rows' weights
        sums: dict[str, Decimal] = {}  # an each or a row group -> the sum of its children's points
        grouped: dict[str, dict[str, None]] = {}  # an each with `group` -> its row groups, in order
        for scored in trail:
            path, each, _, key, _, weight = scored
            rows[path] = scored
            parent = path[:-len(key) - 1]
            weights[parent] = weights.get(parent, _ZERO) + weight
            sums[parent] = sums.get(parent, _ZERO) + points[path]
            top = each.ind.path
            if parent != top:
                weights[top] = weights.get(top, _ZERO) + weight
                grouped.setdefault(top, {})[parent] = None
        for top, groups in grouped.items():
            sums[top] = sum((points[g] for g in groups), _ZERO)
        out: list[dict[str, Any] | _Row] = []
        lost: list[tuple[str, Decimal, Decimal, list[str]]] = []
        for path, got in points.items():
            row = rows.get(path)
            if row is not None:
                out.append(self.row(row, got, inputs, lost))
                continue
            static = self.static.get(path)
            if static is None:  # a group of rows (`group`)
                out.append(self.group(path, None, weights.get(path, _ZERO), got, ()))
                continue
            ind, used, named, audit = static
            if ind.each is not None or not ind.is_leaf:
                weight = weights.get(path, _ZERO) if ind.weight_from_rows else ind.weight
                shown = tuple((name, input_text(inputs[k])) for name, k in used)
                record = self.group(path, ind, weight, got, shown)
                if ind.out_of is not None:
                    total = sums.get(path, _ZERO) if ind.each is not None else \
                        sum((points[c] for c in self.children[path]), _ZERO)  # fmt: skip
                    record["scale"] = {"out_of": plain(ind.scale), "sum": plain(total), "counted": plain(ind.scale)}
                out.append(record)
                continue
            value, raw, exact, clamped, _ = audit(None, inputs, ind.weight)
            rule = ind.rule
            assert rule is not None
            reasons: list[str] = []
            record = {
                "path": path, "label": ind.label, "weight": plain(ind.weight), "points": fixed(got, places),
                "exact": plain(exact), "rule": rule.kind, "source": self.rs.source_of(rule.span),
                "inputs": {name: input_text(inputs[k]) for name, k in used}, "adjustments": [], "override": None,
                "applicable": True, "clamped": clamped, "reasons": reasons,
            }  # fmt: skip
            if got < ind.weight:
                if raw < ind.weight:
                    if path in self.because:  # result.py `_reasons`: the rule's own text, even empty
                        reasons.append(self.because[path])
                    else:
                        text = self.leaf_reason(ind, named, value, raw)
                        if text:
                            reasons.append(text)
                self.finish(reasons, clamped, got, ind.weight)
                lost.append((path, ind.weight, got, reasons))
            out.append(record)
        return out, lost

    def group(self, path: str, ind: model.Indicator | None, weight: Decimal, got: Decimal,
              inputs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:  # fmt: skip
        if ind is None:  # a group of rows: its `each`'s span, as rows.py gives it
            each_path = path.rpartition(".")[0]
            each = self.static[each_path][0].each
            assert each is not None
            label, source = None, self.rs.source_of(each.span)
        else:
            label, source = ind.label, self.rs.source_of(ind.span)
        text = arithmetic.fixed(got, self.places)
        return {"path": path, "label": label, "weight": arithmetic.plain(weight), "points": text,
                "exact": arithmetic.plain(got), "rule": "group", "source": source, "inputs": dict(inputs),
                "adjustments": [], "override": None, "applicable": True, "clamped": False, "reasons": []}

    def finish(self, reasons: list[str], clamped: bool, got: Decimal, weight: Decimal) -> None:
        """result.py `_reasons` after the rule's own reason: floored at 0, or the points of the weight."""
        if clamped and got == 0 and reasons and self.floored_words not in reasons[-1]:
            reasons[-1] += self.floored
        if not reasons:
            reasons.append(phrases.POINTS_OF_WEIGHT.format(self.lang, points=self.points_text(got),
                                                          weight=arithmetic.plain(weight)))

    def points_text(self, value: Decimal) -> str:
        return arithmetic.plain(arithmetic.round_half_up(value, self.places))

    def leaf_reason(self, ind: model.Indicator, named: str, value: Any, raw: Decimal) -> str | None:
        """result.py `_rule_reason_text` of a leaf outside the rows."""
        rule = ind.rule
        assert rule is not None
        points = self.points_text(raw)
        if rule.kind == "ratio":
            shown = arithmetic.percent_text(value)
            simple = isinstance(rule.expr, (model.InputRef, model.LetRef, model.ParamRef, model.Const))
            reason = phrases.RATIO_REASON if simple else phrases.RATIO_OF_FORMULA_REASON
            return reason.format(self.lang, expr=named, value=shown, points=points)
        if rule.kind == "score":
            assert rule.expr is not None
            m = self.rs.model
            shown = arithmetic.show(value, rule.expr.type, m.precision, m.chinese_keywords)
            return phrases.SCORE_REASON.format(self.lang, expr=named, value=shown, points=points)
        return None

    def row(self, scored: Scored, got: Decimal, inputs: tuple[Any, ...],
            lost: list[tuple[str, Decimal, Decimal, list[str]]]) -> _Row:  # fmt: skip
        path, each, k, key, scorer, weight = scored
        arm, audit = self.arms[scorer]
        r = inputs[each.table][k]
        value, raw, exact, clamped, _ = audit(r, inputs, weight)
        table = each.table
        present = []
        j = 0
        for cells, v in zip(self.cells[table], r, strict=True):
            if v is not MISSING:
                # a column holds values of one kind (a number column Decimals or ints, which print alike when
                # equal), but True == 1: a bool is not kept
                cell = cells.get(v) if type(v) is not bool else None
                if cell is None:
                    cell = self.cell(table, j, v)
                    if type(v) is not bool:
                        if len(cells) > 1024:
                            cells.clear()  # many projects' own values: start again rather than grow
                        cells[v] = cell
                present.append(cell)
            j += 1
        reasons: list[str] = []
        weight_text = self.weights.get(weight)
        if weight_text is None:
            if len(self.weights) > 4096:
                self.weights.clear()
            weight_text = self.weights[weight] = arithmetic.plain(weight)
        # a row's points are rounded to the places already (every scorer quantizes): as `fixed` prints them
        points = str(got) if self.str_fixed else arithmetic.fixed(got, self.places)
        if got < weight:
            # the rule's raw points, rounded, are the row's points: weight, 0 or the exact points rounded
            shown = arithmetic.plain(got)
            if raw < weight:
                text = self.row_reason(arm, r, key, value, shown, weight)
                if text:
                    reasons.append(text)
            self.finish(reasons, clamped, got, weight)
            lost.append((path, weight, got, reasons))
        elif arm.target >= 0 and value > 1:  # 「达成度116.67%，满分为止」: full points past the target
            reasons.append(self.row_reason(arm, r, key, value, arithmetic.plain(got), weight) or "")
        return (path, weight_text, points, arithmetic.plain(exact), arm, present, reasons, k + 1, key, clamped)

    def cell(self, table: int, j: int, v: Any) -> tuple[str, Any, Any]:
        """A row's value: its column's name, how the record's inputs and the row's columns give it."""
        return self.column_names[table][j], written(v), column_json(v)

    @staticmethod
    def row_dict(row: _Row) -> dict[str, Any]:
        path, weight, points, exact, arm, cells, reasons, number, key, clamped = row
        return {
            "path": path, "label": None, "weight": weight, "points": points, "exact": exact, "rule": arm.kind,
            "source": arm.source, "inputs": {c[0]: c[1] for c in cells}, "adjustments": [], "override": None,
            "applicable": True, "clamped": clamped, "reasons": reasons,
            # a measure's JSON is a dict: each result its own (a caller may change what to_dict gave it)
            "row": {"table": arm.table, "number": number, "key": key,
                    "columns": {c[0]: dict(c[2]) if type(c[2]) is dict else c[2] for c in cells}},
        }  # fmt: skip

    def row_reason(self, arm: _Arm, r: tuple[Any, ...], key: str, value: Any, points: str,
                   weight: Decimal) -> str | None:  # fmt: skip
        """result.py `_rule_reason` of a row: its achievement, or its judged points (`points`: its raw points
        as a reason prints them)."""
        lang = self.lang
        if arm.column >= 0:
            band = ""
            bands = arm.rule.bands
            if bands and weight > 0:  # rows.py `judged_row`: the first band, scaled to the row's weight
                given = arithmetic.to_decimal(r[arm.column])
                fits = next((b for b in bands
                             if records.evolve(b, low=b.low * weight, high=b.high * weight).contains(given)), None)
                if fits is not None:
                    band = phrases.IN_BRACKETS.format(lang, text=fits.label)
            text = phrases.JUDGED_POINTS.format(lang, name=phrases.NAME_PREFIX.format(lang, name=key), points=points,
                                                band=band)  # fmt: skip
        elif arm.target >= 0:
            actual, target = r[arm.actual], r[arm.target]
            target_text = str(target.text)
            if arm.direction is not None:
                way = r[arm.direction] if type(arm.direction) is int else arm.direction
                if way is not MISSING and target.direction() != way:  # an empty cell: the target's sign
                    way = str(way)
                    target_text += phrases.IN_BRACKETS.format(lang, text=way if lang == "zh" else
                                                              DIRECTIONS_EN.get(way, way))  # fmt: skip
            over = value > 1 and arm.kind == "ratio"  # only `ratio` clamps it to full points: not a tier table
            text = phrases.ACHIEVEMENT_REASON.format(
                lang, name=key, target=target_text, actual=str(actual.text), reached=arithmetic.percent_text(value),
                capped=self.capped if over else "", points=points)  # fmt: skip
        elif arm.kind == "ratio":
            reason = phrases.RATIO_REASON if arm.simple else phrases.RATIO_OF_FORMULA_REASON
            text = reason.format(lang, expr=arm.named, value=arithmetic.percent_text(value), points=points)
        elif arm.kind == "score":
            m = self.rs.model
            assert arm.rule.expr is not None
            shown = arithmetic.show(value, arm.rule.expr.type, m.precision, m.chinese_keywords)
            text = phrases.SCORE_REASON.format(lang, expr=arm.named, value=shown, points=points)
        else:
            return None
        if text.startswith(key):
            return text
        return phrases.OF_ROW.format(lang, name=key, text=text)

    def to_dict(self, result: Any) -> dict[str, Any]:
        return self.to_dict_and_losses(result)[0]

    def to_dict_and_losses(self, result: Any) -> tuple[dict[str, Any], list[tuple[str, Decimal, tuple[str, ...]]]]:
        """`to_dict()`, and `losses` made on the way."""
        with decimal_context.EngineContext():
            records, lost = self.records(result)
            losses = self.sorted_losses(lost)
            places = self.places
            row_dict = self.row_dict
            out: dict[str, Any] = dict(self.head)
            out["ruleset"] = dict(out["ruleset"])  # each result its own, as every dict to_dict() gives
            out.update({
                "meta": self.meta(result), "total": arithmetic.fixed(result.total, places), "max": self.max,
                "rating": result.rating,
                "veto": None, "raw_total": arithmetic.fixed(result.total, places), "rescaled": False,
                "adjustments": [], "indicators": [r if type(r) is dict else row_dict(r) for r in records],  # type: ignore[arg-type]
                "lost": [{"path": path, "points": arithmetic.fixed(points, places), "reasons": list(reasons)}
                         for path, points, reasons in losses],
            })  # fmt: skip
        return out, losses

    @staticmethod
    def meta(result: Any) -> dict[str, Any]:
        """A loaded facts file's [meta] (engine.py keeps it with the snapshot), as the records write it."""
        meta = getattr(result._snapshot, "meta", None)
        return jsonable(meta) if meta else {}

    def losses(self, result: Any) -> list[tuple[str, Decimal, tuple[str, ...]]]:
        """(path, points lost, reasons) of every leaf below its weight, largest loss first (file order among equals)."""
        with decimal_context.EngineContext():
            return self.sorted_losses(self.records(result)[1])

    @staticmethod
    def sorted_losses(lost: list[tuple[str, Decimal, Decimal, list[str]]],
                      ) -> list[tuple[str, Decimal, tuple[str, ...]]]:
        """(path, weight, points, reasons) -> (path, points lost, reasons), largest loss first."""
        subtract = decimal_context.CONTEXT.subtract
        losses = [(path, subtract(weight, points), tuple(reasons)) for path, weight, points, reasons in lost]
        # reverse=True keeps file order among equal losses (Python's sort is stable both ways)
        return sorted(losses, key=operator.itemgetter(1), reverse=True)


def build(rs: Ruleset) -> LoopWriter | None:
    """The writer of a rows ruleset's loop results, or None: they keep the expansion path for their audit."""
    loop = getattr(rs, "row_loop", None)
    if loop is None:
        return None
    try:
        with decimal_context.EngineContext():
            return LoopWriter(rs, loop)
    except _Unsupported:
        return None
