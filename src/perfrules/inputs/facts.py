"""Facts checked against a ruleset: `Facts` (facts_file.py) -> `Validated` input values, every problem at once.

Each value goes through values.py; rows inputs are checked row by row, and [judged] and
[override] against the ruleset's leaves. Every problem is a FactsError naming the key (or the
table, row and column), what was expected and what was found, all of them in one run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from perfrules import records
from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Collector, FactsError, did_you_mean, suggestion_budget
from perfrules.inputs.facts_file import TABLES, Facts, Locator, row_span
from perfrules.inputs.json_places import JsonSource
from perfrules.inputs.values import convert, found_as_said, read_number
from perfrules.semantics import arithmetic, model
from perfrules.source import Source


class _Missing:
    """An optional column with no value in a row (spec section 10)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
MAX_ROWS = 10_000  # rows per table: each becomes a leaf of the generated evaluator


@records.record(cache_hash=True)  # a rows ruleset's expansions are kept by their rows
class Row:
    """One record of a rows input: values by column index (MISSING for an absent optional value)."""

    number: int  # from 1, in the order written
    values: tuple[Any, ...]
    written: tuple[Any, ...]  # as the facts wrote them, for the audit and reports


@records.record
class Judged:
    points: Decimal
    band: str | None
    because: str | None


@records.record
class Override:
    points: Decimal
    because: str


@records.record
class Validated:
    """Facts that fit the ruleset: values in input order, judged and overrides by leaf order."""

    values: tuple[Any, ...]
    judged: tuple[Judged, ...]
    overrides: tuple[Override | None, ...] | None
    meta: Mapping[str, Any]
    source_name: str | None


class RowsFactsError(FactsError):
    """The inputs of a rows ruleset have problems, but only in rows (or in names nothing reads):
    the rows without problems can still be expanded to find the problems only expansion sees
    (weights that do not add up, a duplicate key, …), so that one run reports them all."""

    def __init__(self, diagnostics: list[Any], partial: tuple[Any, ...], incomplete: frozenset[int],
                 left_out: Mapping[int, tuple[Row, ...] | None] | None = None, bad_inputs: bool = False):
        super().__init__(diagnostics)
        # some plain input has a problem (its value in `partial` is None) that nothing expansion
        # reads, as far as _read_in_expansion knows: if expanding fails all the same, say only these
        self.bad_inputs = bad_inputs
        self.partial = partial  # the input values, each rows input without its rows that have problems
        self.incomplete = incomplete  # the indexes of the rows inputs that lost rows
        # rows input -> the rows left out, as read (their bad cells unusable), or None when some
        # row could not be read at all (not a table, a missing input): which `each` would take them
        # is then not known
        self.left_out: Mapping[int, tuple[Row, ...] | None] = left_out or {}


def validate(ruleset: model.CheckedRuleset, facts: Facts, inputs_only: bool = False,
             inputs: tuple[Any, ...] | None = None) -> Validated:
    """Check facts against the ruleset's inputs, judged leaves and overrides; all problems at once.

    `inputs_only`: leave [judged] and [override] alone (a rows ruleset checks them against its
    leaves once the rows have made them; see rows.py). `inputs`: the input values, already
    validated that way, so that only [judged] and [override] are checked.
    """
    with suggestion_budget():
        return _validate(ruleset, facts, inputs_only, inputs)


def _validate(ruleset: model.CheckedRuleset, facts: Facts, inputs_only: bool,
              inputs: tuple[Any, ...] | None) -> Validated:
    errors = Collector()
    locate = Locator(facts.source)

    def error(table: str, key: str, message: Said, help: Said | None = None, code: str | None = None) -> None:
        span, where = locate.key(table, key)
        errors.error(message, span, help=help, where=where, code=code)

    for table in facts.extra_tables:
        if table in facts.loose_keys and locate.has_header(table):
            # `[[绩效指标]]`: a plain value has no header line, so these are rows written outside
            # [facts]; "put them under a [facts] line" would not help (spec 10: `[[facts."绩效指标"]]`)
            error(table, "", say.F201_ROWS_OUTSIDE_FACTS(table=table), say.F201_WRITE_FACTS_ROWS(table=table))
            continue
        if table in facts.loose_keys:
            # `预算数 = 100` above any [table] header: most often the [facts] line is missing
            error("", table, say.F201_OUTSIDE_TABLES(key=table), say.F201_PUT_UNDER_FACTS())
            continue
        guess = did_you_mean(table, TABLES)
        error(table, "", say.F201_UNKNOWN_TABLE(table=table),
              say.F201_DID_YOU_MEAN(guess=guess) if guess else say.F201_THE_TABLES())
    values: list[Any] = []
    declared = {i.name: i for i in ruleset.inputs}
    bad_scalars: set[int] = set()  # the inputs, not tables of rows, that are missing or unreadable
    bad_rows: dict[int, set[int]] = {}  # rows input -> the numbers of its rows with a problem
    incomplete: set[int] = set()  # the rows inputs that lost rows (or all of them) that way
    if inputs is not None:
        judged = _judged(JudgedLeaves.of(ruleset), facts, error)
        overrides = _overrides(ruleset, facts, error)
        errors.raise_if_any(FactsError)
        return Validated(inputs, judged, overrides, dict(facts.meta), facts.source.name if facts.source else None)
    for key in facts.facts:
        if key not in declared:
            guess = did_you_mean(str(key), list(declared))
            error("facts", str(key), say.F202_UNKNOWN_INPUT(key=key),
                  say.DID_YOU_MEAN(guess=guess) if guess else say.F202_REMOVE_OR_DECLARE())
    for inp in ruleset.inputs:
        if inp.name not in facts.facts:
            if inp.has_default:
                values.append(inp.default)
                continue
            error("facts", inp.name, say.F203_MISSING_INPUT(name=inp.name, type=_describe(inp)),
                  _add_input(facts.source, inp))
            values.append(None)
            if inp.type.kind == "rows":
                incomplete.add(inp.index)
            else:
                bad_scalars.add(inp.index)
            continue
        raw = facts.facts[inp.name]
        if inp.type.kind == "rows":
            bad = bad_rows[inp.index] = set()

            def row_error(number: int, column: str | None, message: Said, help: Said | None = None,
                          table: str = inp.name, code: str | None = None, bad: set[int] = bad) -> None:
                bad.add(number)
                span = row_span(facts.source, table, number, column)
                where = None if span is not None else f"facts[{table!r}][{number}]" + (
                    f"[{column!r}]" if column else "")
                errors.error(message, span, help=help, where=where, code=code)

            before = len(errors.items)
            values.append(_rows(ruleset, inp, raw, error, row_error, facts.source))
            if len(errors.items) > before:
                incomplete.add(inp.index)
            continue
        value, problem = convert(inp, raw)
        if problem is not None:
            message, help_text = problem
            error("facts", inp.name, say.OF_INPUT(name=inp.name, problem=message), help_text, code=message.code)
            bad_scalars.add(inp.index)
        values.append(value)
    if inputs_only:
        judged = ()
        overrides = None
    else:
        judged = _judged(JudgedLeaves.of(ruleset), facts, error)
        overrides = _overrides(ruleset, facts, error)
    # a plain input with a problem that expanding the rows never reads (a hand-written leaf's input)
    # does not hold back the problems only expansion finds (spec section 7: every problem at once)
    if errors and inputs_only and not bad_scalars & _read_in_expansion(ruleset):
        raise RowsFactsError(errors.items, _without_bad_rows(ruleset, values, bad_rows), frozenset(incomplete),
                             _left_out(ruleset, values, bad_rows, frozenset(incomplete)), bool(bad_scalars))
    errors.raise_if_any(FactsError)
    return Validated(tuple(values), judged, overrides, dict(facts.meta),
                     facts.source.name if facts.source else None)


def _read_in_expansion(ruleset: model.CheckedRuleset) -> set[int]:
    """The inputs that expanding the rows (backend/rows.py) may evaluate, through lets: whatever an
    `applies`, an `each` block, an aggregate, `achievement` or `qualitative` reads, and every measure
    input (read as written).
    Generous on purpose: an input left out here must be one expansion never reads."""
    read: list[model.Expr] = []
    elsewhere: list[model.Expr] = [let.expr for let in ruleset.lets]

    def template(t: model.Template | None) -> list[model.Expr]:
        return t.insertions() if t is not None else []

    def body(rule: model.Rule | None, adjustments: tuple[model.Adjustment, ...]) -> list[model.Expr]:
        out: list[model.Expr] = []
        if rule is not None:
            out += [e for e in (rule.expr, rule.band_column) if e is not None]
            out += [item.condition for item in rule.items if item.condition is not None]
            out += template(rule.because)
        for adj in adjustments:
            out += adj.expressions() + template(adj.because)
        return out

    for top in ruleset.indicators:
        for ind in top.walk():
            if ind.applies is not None:
                read.append(ind.applies.condition)
            elsewhere += body(ind.rule, ind.adjustments)
            if ind.each is not None:
                read += [ind.each.where] if ind.each.where is not None else []
                for arm in ind.each.arms:
                    read += [arm.condition] if arm.condition is not None else []
                    read += [arm.applies.condition] if arm.applies is not None else []
                    read += body(arm.rule, arm.adjustments)
    for adj in ruleset.adjustments:
        elsewhere += adj.expressions() + template(adj.because)
    for veto in ruleset.vetoes:
        elsewhere += [veto.condition, *template(veto.because)]
    for expr in elsewhere:
        # an aggregate, and the arguments of achievement and qualitative, are worked out while the
        # rows are made, wherever they stand
        read += [e for e in model.walk(expr) if isinstance(e, model.Aggregate)
                 or (isinstance(e, model.InputRef) and e.type.kind == "measure")
                 or (isinstance(e, model.Call) and e.function in ("achievement", "qualitative"))]
    return ruleset.inputs_read(read)


def _without_bad_rows(ruleset: model.CheckedRuleset, values: list[Any],
                      bad_rows: dict[int, set[int]]) -> tuple[Any, ...]:  # fmt: skip
    """The input values with every row that has a problem left out (a missing rows input: no rows)."""
    def kept(inp: model.Input, value: Any) -> Any:
        if inp.type.kind != "rows":
            return value
        bad = bad_rows.get(inp.index, set())
        return tuple(r for r in value or () if r.number not in bad)

    return tuple(kept(inp, value) for inp, value in zip(ruleset.inputs, values, strict=True))


def _left_out(ruleset: model.CheckedRuleset, values: list[Any], bad_rows: dict[int, set[int]],
              incomplete: frozenset[int]) -> dict[int, tuple[Row, ...] | None]:  # fmt: skip
    """For each rows input that lost rows: those rows as read, or None when some of them could
    not be read as a row at all (then nothing is known of them)."""
    out: dict[int, tuple[Row, ...] | None] = {}
    for inp, value in zip(ruleset.inputs, values, strict=True):
        if inp.index not in incomplete:
            continue
        bad = bad_rows.get(inp.index, set())
        rows = tuple(r for r in value or () if r.number in bad)
        out[inp.index] = rows if value is not None and bad and len(rows) == len(bad) else None
    return out


def _rows(ruleset: model.CheckedRuleset, table: model.Input, raw: Any, error: Any, row_error: Any,
          source: Source | None) -> tuple[Row, ...]:  # fmt: skip
    """A rows input: every problem in every row reported (spec section 10)."""
    if isinstance(raw, Mapping) or not isinstance(raw, (list, tuple)):
        error("facts", table.name, say.F204_EXPECTED_ROWS(name=table.name, found=found_as_said(raw)),
              say.F204_WRITE_ROWS(name=table.name))
        return ()
    if len(raw) > MAX_ROWS:
        error("facts", table.name, say.F205_TOO_MANY_ROWS(name=table.name, count=len(raw), limit=MAX_ROWS),
              say.F205_SPLIT_FACTS())
        return ()
    key_column = ruleset.key_column(table.index)
    by_name = {c.name: c for c in table.columns}
    columns = [(c, c.type.kind == "text" and c.low is None and c.high is None) for c in table.columns]
    rows: list[Row] = []
    for number, record in enumerate(raw, start=1):
        if not isinstance(record, Mapping):
            row_error(number, None, say.F204_EXPECTED_ROW_TABLE(row=say.ROW(table=table.name, number=number),
                                                                found=found_as_said(record)),
                      say.ROW_AS_TABLE(table=table.name))
            continue
        key = record.get(key_column) if key_column is not None else None

        def where(number: int = number, key: Any = key) -> Said:  # named only when a problem is said
            return say.ROW_KEYED(table=table.name, number=number, key=key) if isinstance(key, str) and key else \
                say.ROW(table=table.name, number=number)  # fmt: skip

        for name in record if not record.keys() <= by_name.keys() else ():  # (the set test is fast)
            if name not in by_name:
                guess = did_you_mean(str(name), list(by_name))
                row_error(number, str(name), say.F202_UNKNOWN_COLUMN(row=where(), column=name),
                          say.DID_YOU_MEAN(guess=guess) if guess else say.F202_THE_COLUMNS(columns=tuple(by_name)))
        values: list[Any] = []
        written: list[Any] = []
        for column, plain_text in columns:
            cell = record.get(column.name)
            if type(cell) is str and (column.optional or column.has_default) and not cell.strip():
                cell = None  # an empty cell of an optional column, as a sheet exports it: no value
            if cell is None:  # absent, or written as nothing
                if column.has_default:
                    values.append(column.default)
                elif column.optional:
                    values.append(MISSING)
                else:
                    row_error(number, None, say.F203_MISSING_COLUMN(row=where(), column=column.name,
                                                                    type=_describe(column)),
                              _add_column(source, column) if column.type.kind != "rows" else None)
                    values.append(MISSING)
                written.append(None)
                continue
            if plain_text and type(cell) is str:
                values.append(cell)  # what `convert` gives a text column's text
                written.append(cell)
                continue
            value, problem = convert(column, cell)
            if problem is not None:
                message, help_text = problem
                row_error(number, column.name, say.OF_COLUMN(row=where(), column=column.name, problem=message),
                          help_text, code=message.code)
            values.append(value)
            written.append(cell if isinstance(cell, (str, bool)) else arithmetic.plain(Decimal(cell))
                           if isinstance(cell, (int, Decimal)) else str(cell))
        rows.append(Row(number, tuple(values), tuple(written)))
    return tuple(rows)


def _add_input(source: Source | None, inp: model.Input) -> Said:
    """How to add a missing input, in the syntax of the file it is missing from."""
    if isinstance(source, JsonSource):
        where = say.JSON_FACTS_OBJECT() if source.shaped else say.JSON_TOP_OBJECT()
        return say.F203_ADD_JSON(key=inp.name, where=where, example=_example(inp))
    return say.F203_ADD_UNDER_FACTS(key=_toml_key(inp.name), example=_example(inp))


def _add_column(source: Source | None, column: model.Column) -> Said:
    if isinstance(source, JsonSource):
        return say.F203_ADD_JSON(key=column.name, where=say.JSON_THAT_ROW(), example=_example(column))
    return say.F203_ADD_TO_ROW(key=_toml_key(column.name), example=_example(column))


def _toml_key(name: str) -> str:
    """A key as TOML needs it written: bare keys are ASCII only, so Chinese names are quoted."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else f'"{name}"'


def _describe(inp: model.Input | model.Column) -> Said:
    if inp.label:
        return say.TYPE_WITH_LABEL(type=inp.type.said(), label=inp.label)
    return inp.type.said()


def _example(inp: model.Input | model.Column) -> Said:
    """What to write for an input, described rather than filled in: a placeholder copied
    as it is (0, "100%") would quietly score."""
    if inp.type.kind == "grade":
        return say.EXAMPLE_GRADE(labels=tuple(f'"{label}"' for label in inp.type.labels))
    if isinstance(inp, model.Input) and inp.type.kind == "rows":
        return say.EXAMPLE_ROWS(name=inp.name, columns=tuple(c.name for c in inp.columns))
    return say.EXAMPLES[inp.type.kind]()


def _points(raw: Any) -> Decimal | None:
    value, problem = read_number(raw)
    return value if problem is None else None


@records.record
class JudgedLeaves:
    """A ruleset's leaves as judged points are checked against them (made once per ruleset)."""

    judged: tuple[model.Indicator, ...]  # the `judged` leaves, in file order
    judged_paths: frozenset[str]
    leaf_paths: frozenset[str]
    # rows judged from a column (`judged from COLUMN`): path -> (table, row number, column)
    from_rows: Mapping[str, tuple[str, int, str]] = records.field(factory=dict)

    @classmethod
    def of(cls, ruleset: model.CheckedRuleset) -> JudgedLeaves:
        leaves = ruleset.leaves()
        # `judged from COLUMN` reads the row (rows.py), not [judged]
        judged = tuple(leaf for leaf in leaves
                       if leaf.rule is not None and leaf.rule.kind == "judged" and leaf.rule.expr is None)
        from_rows = {leaf.path: (leaf.row.table, leaf.row.number, leaf.rule.expr.span.text())
                     for leaf in leaves if leaf.row is not None and leaf.rule is not None
                     and leaf.rule.kind == "judged" and leaf.rule.expr is not None}  # fmt: skip
        return cls(judged, frozenset(leaf.path for leaf in judged), frozenset(leaf.path for leaf in leaves),
                   from_rows)


def judged_points(leaves: JudgedLeaves, table: Mapping[str, Any]) -> tuple[Judged, ...] | None:
    """The [judged] table of a facts-shaped mapping, checked as `validate` does; None at the first
    problem (the caller then runs `validate`, which reports it with everything else)."""
    problems: list[Any] = []
    judged = _judged(leaves, Facts({}, judged=table), lambda *problem, **_: problems.append(problem))
    return None if problems else judged


def _judged(known: JudgedLeaves, facts: Facts, error: Any) -> tuple[Judged, ...]:
    leaves, judged_paths = known.judged, known.judged_paths
    for key in facts.judged:
        if key not in judged_paths:
            if key in known.from_rows:  # its points are a cell of its row, not an entry of [judged]
                table, number, column = known.from_rows[key]
                error("judged", key, say.F211_JUDGED_IN_ROW(path=key, table=table, number=number, column=column),
                      say.F211_WRITE_IN_ROW(column=column))
            elif key in known.leaf_paths:
                error("judged", key, say.F211_NOT_JUDGED(path=key), say.F211_USE_OVERRIDE())
            else:
                guess = did_you_mean(str(key), [leaf.path for leaf in leaves])  # file order: a stable guess
                error("judged", key, say.F212_UNKNOWN_INDICATOR(path=key),
                      say.DID_YOU_MEAN(guess=guess) if guess else say.F212_FULL_PATH())
    out: list[Judged] = []
    for leaf in leaves:
        assert leaf.rule is not None
        entry = facts.judged.get(leaf.path)
        if entry is None:
            bands = leaf.rule.bands
            weight = arithmetic.plain(leaf.weight)
            band_labels = tuple(b.label for b in bands or ())
            if isinstance(facts.source, JsonSource):
                form = say.F213_JSON_BANDS(path=leaf.path, bands=band_labels) if bands else \
                    say.F213_JSON_POINTS(path=leaf.path, weight=weight)  # fmt: skip
                add = say.F213_ADD_JSON(form=form)
            else:
                form = say.F213_FORM_BANDS(path=leaf.path, bands=band_labels) if bands else \
                    say.F213_FORM_POINTS(path=leaf.path, weight=weight)  # fmt: skip
                add = say.F213_ADD_UNDER_JUDGED(form=form)
            error("judged", leaf.path, say.F213_NO_POINTS(path=leaf.path, weight=weight), add)
            out.append(Judged(Decimal(0), None, None))
            continue
        band_label = because = None
        raw_points: Any = entry
        if isinstance(entry, Mapping):
            raw_points = entry.get("points")
            band_label = entry.get("band")
            because = entry.get("because")
            for extra in entry:
                if extra not in ("points", "band", "because"):
                    error("judged", leaf.path, say.F214_UNKNOWN_FIELD(path=leaf.path, field=extra),
                          say.F214_THE_FIELDS())
        points = _points(raw_points)
        if points is None:
            error("judged", leaf.path, say.F215_NOT_A_NUMBER(path=leaf.path, found=found_as_said(raw_points)),
                  say.POINTS_AS_NUMBER())
            out.append(Judged(Decimal(0), None, None))
            continue
        if not Decimal(0) <= points <= leaf.weight:
            error("judged", leaf.path, say.F216_OUTSIDE_WEIGHT(path=leaf.path, points=arithmetic.plain(points),
                                                               weight=arithmetic.plain(leaf.weight)),
                  say.POINTS_WITHIN_WEIGHT(weight=arithmetic.plain(leaf.weight)))
        if leaf.rule.bands:
            labels = [b.label for b in leaf.rule.bands]
            band = next((b for b in leaf.rule.bands if b.label == band_label), None)
            if band_label is None:
                fits = next((b.label for b in leaf.rule.bands if b.contains(points)), labels[0])
                error("judged", leaf.path, say.F217_NEEDS_BAND(path=leaf.path),
                      say.F217_WRITE_BAND(path=leaf.path, points=arithmetic.plain(points), band=fits,
                                          bands=tuple(labels)))
            elif band is None:
                error("judged", leaf.path, say.F218_UNKNOWN_BAND(path=leaf.path, band=band_label),
                      say.F305_THE_BANDS(bands=tuple(labels)))
            elif not band.contains(points):
                error("judged", leaf.path, say.F219_OUTSIDE_BAND(path=leaf.path, points=arithmetic.plain(points),
                                                                 band=band.label, bounds=_band_points(band)),
                      say.CHOOSE_POINTS_IN_BAND())
        elif band_label is not None:
            # a band the rule does not declare would be printed as if it had been checked
            error("judged", leaf.path, say.F218_UNKNOWN_BAND(path=leaf.path, band=band_label),
                  say.F218_NO_BANDS(path=leaf.path))
        if because is not None and not isinstance(because, str):
            error("judged", leaf.path, say.F214_BECAUSE_TEXT(path=leaf.path), say.BECAUSE_IN_QUOTES())
            because = None
        out.append(Judged(points, band_label if isinstance(band_label, str) else None, because))
    return tuple(out)


def _band_points(band: model.Band) -> str:
    left = "[" if band.low_closed else "("
    right = "]" if band.high_closed else ")"
    return f"{left}{arithmetic.plain(band.low)}, {arithmetic.plain(band.high)}{right}"


def _overrides(ruleset: model.CheckedRuleset, facts: Facts, error: Any) -> tuple[Override | None, ...] | None:
    if not facts.override:
        return None
    leaves = ruleset.leaves()
    by_path = {leaf.path: k for k, leaf in enumerate(leaves)}
    out: list[Override | None] = [None] * len(leaves)
    for key, entry in facts.override.items():
        if key not in by_path:
            guess = did_you_mean(str(key), list(by_path))
            group = ruleset.find(str(key))
            if group:
                error("override", key, say.F220_NOT_A_LEAF(path=key), say.F220_OVERRIDE_LEAVES())
            else:
                error("override", key, say.F220_UNKNOWN_INDICATOR(path=key),
                      say.DID_YOU_MEAN(guess=guess) if guess else say.F220_FULL_PATH_OF_LEAF())
            continue
        if not isinstance(entry, Mapping):
            error("override", key, say.F221_EXPECTED_TABLE(path=key, found=found_as_said(entry)),
                  say.OVERRIDE_FORM(path=key))
            continue
        leaf = leaves[by_path[key]]
        points = _points(entry.get("points"))
        because = entry.get("because")
        if points is None:
            error("override", key, say.F221_NOT_A_NUMBER(path=key, found=found_as_said(entry.get("points"))),
                  say.POINTS_AS_NUMBER())
        elif not Decimal(0) <= points <= leaf.weight:
            error("override", key, say.F222_OUTSIDE_WEIGHT(path=key, points=arithmetic.plain(points),
                                                           weight=arithmetic.plain(leaf.weight)),
                  say.POINTS_WITHIN_WEIGHT(weight=arithmetic.plain(leaf.weight)))
        if not isinstance(because, str) or not because.strip():
            error("override", key, say.F223_NO_REASON(path=key), say.F223_ADD_BECAUSE())
        if points is not None and isinstance(because, str):
            out[by_path[key]] = Override(arithmetic.round_half_up(points, ruleset.precision), because)
    return tuple(out)
