"""Read a filled-in 自评表 workbook (.xlsx, or .csv) into facts, every value traced to its cell.

A department's form is found by the labels the rules give their inputs: the header row
of a `rows` input is the row holding the labels of its columns (年度指标值, 实际完成值, 分值,
…), a plain input is read beside its label (全年预算数 …). Nothing is guessed: two
candidate header rows, a number stored as text with a stray character, a row with a
name but no target are errors naming the sheet and cell, all reported at once.

`read_form` gives a `Form`; `Form.to_toml()` writes a facts file with each value's cell
address as a comment, and `parse_facts(form.to_toml(), …)` reads it back, so a
workbook is checked by exactly the rules that check a facts file. openpyxl is
imported only when an .xlsx file is read (`import perfrules` stays fast).
"""

from __future__ import annotations

import ast
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Collector, Diagnostic, FactsError
from perfrules.inputs import is_workbook
from perfrules.inputs.grid import Grid, normalize, plain, read_grids, without_note

# ---- what the rules ask for ------------------------------------------------------


# a place in the facts as the checks name it (repr of each name): facts['X'], facts['T'][n], facts['T'][n]['C']
_QUOTED = "'[^']*'|" + '"[^"]*"'  # a name as repr() writes it
_FACTS_PLACE = re.compile(rf"facts\[(?P<name>{_QUOTED})\](?:\[(?P<row>\d+)\](?:\[(?P<column>{_QUOTED})\])?)?")


@attrs.frozen
class ColumnSpec:
    """A column of a rows input: its name in the rules, its label on the form, its type."""

    name: str
    label: str | None
    kind: str  # number, percent, count, bool, text, grade, measure
    optional: bool = False


@attrs.frozen
class InputSpec:
    """An input the form holds: a plain value beside its label, or a table of rows."""

    name: str
    label: str | None
    kind: str  # as ColumnSpec.kind, or "rows"
    optional: bool = False
    columns: tuple[ColumnSpec, ...] = ()


def specs_from_model(inputs: Iterable[Any]) -> tuple[InputSpec, ...]:
    """The descriptor of a checked model's inputs (`Ruleset.model.inputs`).

    Reads `name`, `label`, `type.kind`, `has_default` and, for a rows input, `columns`
    with `name`, `label`, `type.kind`, `optional`: the attributes the model keeps.
    """
    out = []
    for inp in inputs:
        columns = tuple(
            ColumnSpec(c.name, c.label, str(c.type.kind),
                       bool(getattr(c, "optional", False) or getattr(c, "has_default", False)))
            for c in getattr(inp, "columns", ()) or ()
        )
        kind = "rows" if columns else str(inp.type.kind)
        out.append(InputSpec(inp.name, inp.label, kind, bool(inp.has_default), columns))
    return tuple(out)


# Wordings of the same column on the forms departments actually file (财预〔2020〕10号 自评表,
# the 绩效目标自评表 of the 衔接资金, the Sichuan 部门预算项目支出绩效自评表). A label of the rules
# matches a header cell that reads as the label or as one of its twins here.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("实际完成值", "全年实际值", "全年完成值", "完成值", "实际值"),
    ("年度指标值", "年初目标值", "年度目标值", "全年指标值", "指标值"),
    ("三级指标", "指标内容", "指标名称"),
    ("分值", "权重"),
    ("得分", "自评得分", "自评分"),
    ("偏差原因分析及改进措施", "未完成原因及拟采取的改进措施", "未完成原因分析", "偏差原因分析", "偏差原因"),
    ("全年预算数", "调整后预算数", "预算数"),
    ("全年执行数", "预算执行数", "执行数"),
    ("年初预算数", "年初预算"),
)
# Rows that end the table: its total, and the notes under it (云南's 公开14表 prints its 总分 on the
# line 「其他需要说明事项 | 无 | 总分 | 100 | 96 | 优」).
_STOP = re.compile(r"^(总分|合计|总计|注|说明|备注|填表说明|填报人|联系电话|项目负责人|评价结论|其他需要说明)")
# Template placeholders left in published forms: 「……」, 「指标2」.
_PLACEHOLDER = re.compile(r"^(…+|\.{3,}|-+|—+|指标\d+[:：]?)$")
_BREAKDOWN = re.compile(r"^其中[:：]?")
_WEIGHT_SUFFIX = re.compile(r"[（(]\s*\d+(\.\d+)?\s*分\s*[)）]$")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_META_LABELS = {"项目名称": "project", "主管部门": "主管部门", "实施单位": "实施单位", "填报单位": "填报单位"}


@functools.lru_cache(maxsize=4096)
def labels_of(name: str, label: str | None) -> tuple[str, ...]:
    """Every header text that names this input or column."""
    words = [normalize(w) for w in (label, name) if w]
    for group in SYNONYMS:
        if any(w in group for w in words):
            words.extend(group)
    return tuple(dict.fromkeys(without_note(w) for w in words))


# ---- what is read --------------------------------------------------------------------


@attrs.frozen
class Read:
    """One value as read: what goes into the facts, where it came from, and how it was written."""

    value: Any  # Decimal, int, bool or str
    where: str  # Sheet!B12
    written: str | None = None  # the cell's text when the facts value differs from it


@attrs.frozen
class Row:
    """One row of a rows input: its sheet row, its columns, and the cell of its name."""

    line: int
    values: dict[str, Read]
    where: str = ""


@attrs.frozen
class Table:
    header: str  # Sheet!B9:I9
    rows: tuple[Row, ...]
    skipped: tuple[str, ...]  # 「其中」 breakdowns, headings, placeholders: why each row was left out


@attrs.frozen
class Form:
    """A workbook read for a ruleset: plain values, tables of rows, and meta."""

    path: str
    specs: tuple[InputSpec, ...]
    values: dict[str, Read]
    tables: dict[str, Table]
    meta: dict[str, Read]

    def to_toml(self, rules: str | None = None) -> str:
        """A facts file, each value followed by a comment naming its cell."""
        out = [f"# Facts read from {Path(self.path).name} by `perfrules import`"
               + (f" for {rules}" if rules else "") + ".",
               "# Each value's cell is in the comment after it: check them against the workbook.", ""]
        out.append("[meta]")
        out.append(f"source = {_toml(Path(self.path).name)}")
        for key, read in self.meta.items():
            out.append(f"{_toml_key(key)} = {_toml(read.value)}  # {read.where}")
        out += ["", "[facts]"]
        kinds = {s.name: s for s in self.specs}
        for name, read in self.values.items():
            out.append(f"{_toml_key(name)} = {_toml(read.value, kinds[name].kind)}  # {_comment(read)}")
        for name, table in self.tables.items():
            spec = kinds[name]
            out += ["", f"# {name}: header {table.header}"]
            out += [f"#   left out: {why}" for why in table.skipped]
            col_kinds = {c.name: c.kind for c in spec.columns}
            for row in table.rows:
                out += ["", f"[[facts.{_toml_key(name)}]]  # row {row.line}"]
                for col, read in row.values.items():
                    out.append(f"{_toml_key(col)} = {_toml(read.value, col_kinds[col])}  # {_comment(read)}")
        return "\n".join(out) + "\n"


    def facts_table(self) -> dict[str, Any]:
        """The facts as a facts-file-shaped mapping: exactly what `to_toml()` reads back as."""
        kinds = {s.name: s for s in self.specs}
        facts: dict[str, Any] = {name: _fact(read.value, kinds[name].kind) for name, read in self.values.items()}
        for name, table in self.tables.items():
            col_kinds = {c.name: c.kind for c in kinds[name].columns}
            facts[name] = [{col: _fact(read.value, col_kinds[col]) for col, read in row.values.items()}
                           for row in table.rows]
        meta = {"source": Path(self.path).name, **{k: _fact(r.value, "text") for k, r in self.meta.items()}}
        return {"meta": meta, "facts": facts}

    def with_cells(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Diagnostics about these facts, each with a note naming the cells of the rows and inputs it names."""
        out = []
        for d in diagnostics:
            notes = list(d.said_notes)
            for match in re.finditer(r"`([^`]+)` row (\d+)", d.message):
                table = self.tables.get(match.group(1))
                number = int(match.group(2))
                if table is not None and 1 <= number <= len(table.rows):
                    row = table.rows[number - 1]
                    notes.append(say.WB_ROW_OF_SHEET(number=number, table=match.group(1), line=row.line,
                                                     where=row.where))
            quoted = " ".join(re.findall(r"`([^`]+)`", d.message + " " + (d.help or "")))
            names = set(re.findall(r"[^\W\d]\w*", quoted))
            for name, read in self.values.items():
                if name in names:
                    notes.append(say.WB_READ_FROM(name=name, where=read.where))
            d = d.with_notes(dict.fromkeys(notes))
            cell = self.cell_of(d.where) if d.span is None else None
            out.append(Diagnostic(d.said, None, d.said_help, d.said_notes, cell, d.code) if cell is not None else d)
        return out

    def cell_of(self, where: str | None) -> str | None:
        """The cell behind a place in the facts (`facts['绩效指标'][2]['指标值']` → `form.xlsx:自评表!E12`,
        `facts['全年执行数']` → its cell; `facts`, a sum of the rows' weights, → the table's header), or None."""
        if where == "facts" and len(self.tables) == 1:
            return next(iter(self.tables.values())).header
        match = _FACTS_PLACE.fullmatch(where or "")
        if match is None:
            return None
        name = ast.literal_eval(match["name"])
        if match["row"] is None:
            read = self.values.get(name)
            return read.where if read is not None else None
        table, number = self.tables.get(name), int(match["row"])
        if table is None or not 1 <= number <= len(table.rows):
            return None
        row = table.rows[number - 1]
        if match["column"] is None:
            return row.where or None
        found = row.values.get(ast.literal_eval(match["column"]))
        return found.where if found is not None else row.where or None


def evaluate_form(ruleset: Any, path: str | Path, sheet: str | None = None) -> Any:
    """Read a workbook for this ruleset and score it; errors name the cells of the rows they concern."""
    return score_form(ruleset, path, sheet)[0]


def score_form(ruleset: Any, path: str | Path, sheet: str | None = None) -> tuple[Any, Form]:
    """The Result of a workbook, and the Form it was read from (its facts: `facts_of`). Every command
    that scores a form scores it here, so that its errors name the form's cells, not a facts file's lines."""
    from perfrules.diagnostics import PerfrulesError

    form = read_form(path, specs_from_model(ruleset.model.inputs), sheet)
    facts = facts_of(form)
    try:
        return ruleset.evaluate(facts), form
    except PerfrulesError as exc:
        raise type(exc)(form.with_cells(exc.diagnostics)) from None


def facts_of(form: Form) -> Any:
    """The form's facts as scored (a `Facts`): what `perfrules import` writes, as it reads back."""
    from perfrules.inputs.facts_file import from_table

    return from_table(form.facts_table())


def entered_points_that_differ(form: Form, result: Any) -> list[tuple[str, Read, Any]]:
    """Rows whose 得分 on the form differs from the points the rules give them: (path, the form's cell, points).

    The form's 得分 column is what the department computed by hand; where the rules score a row
    themselves (not from that column), a difference is worth a reviewer's look.
    """
    out: list[tuple[str, Read, Any]] = []
    for spec in form.specs:
        table = form.tables.get(spec.name)
        if table is None:
            continue
        entered = next((c.name for c in spec.columns if "得分" in labels_of(c.name, c.label)), None)
        texts = [c.name for c in spec.columns if c.kind == "text" and not c.optional]
        if entered is None or len(texts) < 2:
            continue
        group, key = texts[-2], texts[-1]
        for record in result.indicators:
            if not record.is_leaf or record.rule in ("judged", "judged_from") or record.override:
                continue
            parts = record.path.split(".")
            rows = [r for r in table.rows if r.values.get(key) is not None and r.values[key].value == parts[-1]
                    and (len(parts) < 3 or (r.values.get(group) is not None and r.values[group].value == parts[-2]))]
            if len(rows) != 1 or entered not in rows[0].values:
                continue
            read = rows[0].values[entered]
            if isinstance(read.value, (int, Decimal)) and Decimal(read.value) != record.points:
                out.append((record.path, read, record.points))
    return out


def _fact(value: Any, kind: str) -> Any:
    """A value as the facts file holds it (see `_toml`): numbers for number and count, text otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)) and kind in ("number", "count"):
        return value
    return value if isinstance(value, str) else plain(value)


def _comment(read: Read) -> str:
    if read.written is not None:
        return f"{read.where}, written {json.dumps(read.written, ensure_ascii=False)}"
    return read.where


def _toml_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def _toml(value: Any, kind: str = "text") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)) and kind in ("number", "count"):
        return plain(value)
    return json.dumps(plain(value) if not isinstance(value, str) else value, ensure_ascii=False)


# ---- reading a form ----------------------------------------------------------------------


def read_form(path: str | Path, specs: Sequence[InputSpec], sheet: str | None = None) -> Form:
    """Read the form in a workbook for these inputs; raise FactsError naming every bad cell."""
    path = Path(path)
    collector = Collector()
    grids = read_grids(path, collector)
    if sheet is not None:
        chosen = [g for g in grids if g.name == sheet]
        if grids and not chosen:
            collector.error(say.W102_NO_SHEET(name=path.name, sheet=sheet), None,
                            help=say.W102_ITS_SHEETS(sheets=tuple(f"`{g.name}`" for g in grids)), where=str(path))
        grids = chosen
    collector.raise_if_any(FactsError)
    tables: dict[str, Table] = {}
    values: dict[str, Read] = {}
    for spec in specs:
        if spec.kind == "rows":
            table = _read_table(path, grids, spec, collector)
            if table is not None:
                tables[spec.name] = table
    for spec in specs:
        if spec.kind != "rows":
            read = _read_value(path, grids, spec, collector)
            if read is not None:
                values[spec.name] = read
    meta = _read_meta(grids)
    collector.raise_if_any(FactsError)
    return Form(str(path), tuple(specs), values, tables, meta)


def _header_columns(texts: list[tuple[int, str, str]], labels: dict[str, tuple[str, ...]]) -> dict[str, list[int]]:
    """For each column of the table, the sheet columns of this row whose text is one of its labels."""
    found: dict[str, list[int]] = {}
    for col, norm, bare in texts:
        for name, words in labels.items():
            if norm in words or bare in words:
                found.setdefault(name, []).append(col)
    return found


def _read_table(path: Path, grids: list[Grid], spec: InputSpec, collector: Collector) -> Table | None:
    required = [c for c in spec.columns if not c.optional]
    labels = {c.name: labels_of(c.name, c.label) for c in spec.columns}
    candidates: list[tuple[Grid, int, dict[str, list[int]]]] = []
    closest: tuple[int, Grid, int, dict[str, list[int]]] | None = None  # the row naming the most, when none names all
    for grid in grids:
        index = grid.labels()
        found: dict[int, dict[str, list[int]]] = {}
        for row in sorted(set(index) | {r + 1 for r in index}):
            cols = _header_columns(grid.header_texts(row), labels)
            if all(c.name in cols for c in required):
                found[row] = cols
            elif (named := sum(c.name in cols for c in required)) >= 2 and (closest is None or named > closest[0]):
                closest = (named, grid, row, cols)
        for row, cols in found.items():
            # a header merged over two rows is one header: its last row, where the rows start below
            if row + 1 in found and len(grid.header_texts(row + 1)) > len(index.get(row + 1, [])):
                continue
            candidates.append((grid, row, cols))
    want = "、".join(f"「{c.label or c.name}」" for c in required)
    if not candidates:
        notes = []
        if closest is not None:  # say which columns the likeliest row lacks: the one to rename is among them
            _, grid, row, cols = closest
            missing = "、".join(f"「{c.label or c.name}」" for c in required if c.name not in cols)
            notes.append(say.W110_CLOSEST(where=grid.where(row, min(min(v) for v in cols.values())), missing=missing))
        collector.error(say.W110_NO_HEADER(table=spec.name, name=path.name, want=want), None,
                        help=say.W110_NAME_EVERY_COLUMN(), notes=notes, where=str(path))
        return None
    if len(candidates) > 1:
        rows_at = " and ".join(f"{g.sheet}!{g.ref(r, min(min(v) for v in c.values()))}" for g, r, c in candidates)
        collector.error(say.W111_TWO_HEADERS(table=spec.name, rows=rows_at), None, help=say.W111_ONE_FORM(),
                        where=f"{candidates[1][0].sheet}!{candidates[1][0].ref(candidates[1][1], 1)}")
        return None
    grid, header, cols = candidates[0]
    for name, places in cols.items():
        if len(places) > 1:
            refs = ", ".join(grid.ref(header, c) for c in places)
            collector.error(say.W112_TWO_COLUMNS(name=name, cells=refs), None, help=say.W112_OWN_HEADER(),
                            where=f"{grid.sheet}!{grid.ref(header, places[1])}")
    if collector:
        return None
    where_col = {name: places[0] for name, places in cols.items()}
    first, last = min(where_col.values()), max(where_col.values())
    header_ref = f"{grid.sheet}!{grid.ref(header, first)}:{grid.ref(header, last)}"
    split = _split_measure_columns(grid, header)
    rows, skipped = _read_rows(grid, header, spec, where_col, collector, split)
    return Table(header_ref, tuple(rows), tuple(skipped))


def _hierarchy(spec: InputSpec, where_col: dict[str, int]) -> tuple[list[str], str | None]:
    """The group columns (filled down) and the key column: required text columns left of the measures."""
    texts = sorted((where_col[c.name], c.name) for c in spec.columns
                   if c.kind == "text" and not c.optional and c.name in where_col)
    values = [where_col[c.name] for c in spec.columns if c.kind != "text" and c.name in where_col]
    first_value = min(values) if values else 10 ** 6
    names = [n for col, n in texts if col < first_value]
    if not names:
        return [], None
    return names[:-1], names[-1]


def _split_measure_columns(grid: Grid, header: int) -> tuple[int | None, int | None]:
    """The 指标性质 (≥ ≤ =) and 度量单位 columns of forms that write a target in three cells (四川 部门预算
    项目支出绩效自评表: 指标性质 | 指标值 | 度量单位 | 完成值); None where the header has no such column."""
    sign = unit = None
    for col, _norm, bare in grid.header_texts(header):
        if bare in ("指标性质", "性质", "指标方向"):
            sign = col
        elif bare in ("度量单位", "计量单位", "单位"):
            unit = col
    return sign, unit


def _read_rows(grid: Grid, header: int, spec: InputSpec, where_col: dict[str, int],
               collector: Collector, split: tuple[int | None, int | None] = (None, None)
               ) -> tuple[list[Row], list[str]]:
    groups, key = _hierarchy(spec, where_col)
    values_cols = [c for c in spec.columns if c.name in where_col and c.name not in groups and c.name != key]
    current: dict[str, Read] = {}
    rows: list[Row] = []
    skipped: list[str] = []
    for line in range(header + 1, grid.rows + 1):
        texts = {name: grid.text(line, col) for name, col in where_col.items()}
        first_text = next((grid.text(line, c) for c in range(1, grid.cols + 1) if grid.text(line, c)), "")
        if any(_STOP.match(normalize(t)) for t in (first_text, *(texts[n] for n in (*groups, key) if n))):
            break  # the 总分 row, or the notes under the table
        if not any(texts.values()):
            continue  # a blank spacer row
        for name in groups:  # merged cells are already filled; blank ones take the value above
            text = texts[name]
            if text:
                written = grid.text(line, where_col[name])
                value = _WEIGHT_SUFFIX.sub("", normalize(written))
                current[name] = Read(value, grid.where(line, where_col[name]),
                                     written if value != written else None)
                # a new 一级 starts a new 二级 too
                for later in groups[groups.index(name) + 1:]:
                    if not texts[later]:
                        current.pop(later, None)
        name_text = texts[key] if key else ""
        filled = {c.name: texts[c.name] for c in values_cols if texts[c.name]}
        if line in grid.hidden:
            collector.error(say.W124_HIDDEN(line=line, name=name_text), None, help=say.W124_UNHIDE(),
                            where=f"{grid.sheet}!A{line}")
            continue
        shared = [c for c in values_cols if c.name in filled
                  and grid.cells[(line, where_col[c.name])].origin[0] != line]
        for column in shared:
            origin = grid.cells[(line, where_col[column.name])].origin
            collector.error(say.W125_MERGED(column=column.label or column.name, cell=grid.ref(*origin), line=line),
                            None, help=say.W125_UNMERGE(),
                            where=grid.where(line, where_col[column.name]))
        if shared:
            continue
        where_row = grid.where(line, where_col[key]) if key else f"{grid.sheet}!A{line}"
        if not name_text:
            if filled:
                values = tuple(f"{grid.ref(line, where_col[n])} 「{v}」" for n, v in filled.items())
                collector.error(say.W123_NO_NAME(line=line, key=key, values=values), None,
                                help=say.W123_WRITE_NAME(cell=grid.ref(line, where_col[key or ""])), where=where_row)
            else:
                skipped.append(f"row {line}: a heading without an indicator")
            continue
        name_text = re.sub(r"[\r\n]+", "", name_text).strip()
        if not filled and _PLACEHOLDER.match(name_text):
            skipped.append(f"row {line}: the template's placeholder 「{name_text}」")
            continue
        weight_cols = [c for c in values_cols if c.kind in ("number", "count") and not c.optional]
        if _BREAKDOWN.match(name_text) and weight_cols and not any(texts[c.name] for c in weight_cols):
            skipped.append(f"row {line}: 「{name_text}」, a breakdown without its own "
                           + "/".join(f"「{c.label or c.name}」" for c in weight_cols))
            continue
        row: dict[str, Read] = {}
        for name in groups:
            if name in current:
                row[name] = current[name]  # its cell: the merged range's top, or the row above it was written in
            else:
                collector.error(say.W122_NO_GROUP(line=line, name=name_text, column=name), None,
                                help=say.W122_FILL_OR_MERGE(cell=grid.ref(line, where_col[name])),
                                where=grid.where(line, where_col[name]))
        if key:
            row[key] = Read(name_text, grid.where(line, where_col[key]))
        for column in values_cols:
            col = where_col[column.name]
            if not texts[column.name]:
                if column.optional:
                    continue
                target = column.kind == "measure" and column is values_cols[0]
                formula = grid.uncomputed is not None and grid.uncomputed(line, col)
                empty = (say.W121_NO_TARGET_FORMULA if formula else say.W121_NO_TARGET) if target else \
                    (say.W121_NO_VALUE_FORMULA if formula else say.W121_NO_VALUE)  # fmt: skip
                collector.error(empty(line=line, name=name_text, column=column.label or column.name,
                                      cell=grid.ref(line, col)), None,
                                help=say.W121_FILL_OR_DELETE(), where=grid.where(line, col))
                continue
            read = _convert(grid, line, col, column.kind, collector)
            if read is not None and column.kind == "measure" and split != (None, None):
                read = _joined(grid, line, read, column is values_cols[0], split)
            if read is not None:
                row[column.name] = read
        rows.append(Row(line, row, row[key].where if key and key in row else f"{grid.sheet}!A{line}"))
    return rows, skipped


def _joined(grid: Grid, line: int, read: Read, target: bool, split: tuple[int | None, int | None]) -> Read:
    """A measure written in separate cells, joined as the form reads it: 「≤」「30」「万元」 → ≤30万元.

    The sign goes on the target only; the unit on any number (an actual 「完成」 stays as written)
    that does not already end with it: 「100%」 under 度量单位 「%」 stays 100% (云南's 公开14表 prints
    the actual value with its %), as a cell formatted as a percent does.
    """
    sign_col, unit_col = split
    sign = grid.text(line, sign_col) if sign_col is not None and target else ""
    unit = grid.text(line, unit_col) if unit_col is not None else ""
    text = str(read.value)
    if unit and text.endswith(unit):
        unit = ""
    numeric = bool(_NUMBER_TEXT.match(text.replace("%", "")))
    if not numeric or (not sign and not unit):
        return read
    cells = [grid.ref(line, c) for c in (sign_col if sign else None, unit_col if unit else None) if c]
    return Read(f"{sign}{text}{unit}", read.where, f"{text}, joined with {' and '.join(cells)}")


def _convert(grid: Grid, row: int, col: int, kind: str, collector: Collector) -> Read | None:
    """One cell as a value of this kind; numbers stored as text must be clean numbers."""
    cell = grid.cells[(row, col)]
    where = grid.where(row, col)
    value = cell.value
    text = grid.text(row, col)
    if kind == "measure":
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            if cell.percent_format:
                number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
                return Read(plain(number * 100) + "%", where, None)  # shown as a percent: kept as shown
            return Read(plain(value), where, None)
        return Read(text, where, None)
    if kind in ("number", "count", "percent"):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if kind == "percent":  # a percent input is written with its % in facts (spec section 7)
                return Read(plain(number * 100 if cell.percent_format else number) + "%", where, None)
            return Read(int(number) if kind == "count" and number == number.to_integral() else number, where)
        else:
            # full-width digits and signs (「１０」) are the same number; anything else is in the way
            squeezed = unicodedata.normalize("NFKC", text).replace(" ", "")
            if kind == "percent" and squeezed.endswith(("%", "％")):
                core = squeezed[:-1]
                if _NUMBER_TEXT.match(core):
                    return Read(core.replace(",", "") + "%", where, text if text != core + "%" else None)
            if _NUMBER_TEXT.match(squeezed):
                number = Decimal(squeezed.replace(",", ""))
                return Read(int(number) if kind == "count" and number == number.to_integral() else number,
                            where, text if text != plain(number) else None)
        stray = re.sub(r"[\d.,+-]", "", text)
        collector.error(say.W120_NOT_A_NUMBER_BECAUSE(text=text, stray=stray) if stray and stray != text else
                        say.W120_NOT_A_NUMBER(text=text), None, help=say.W120_WRITE_NUMBER(), where=where)
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return Read(value, where)
        if text in ("是", "否", "true", "false", "TRUE", "FALSE"):
            return Read(text in ("是", "true", "TRUE"), where, text)
        collector.error(say.W120_NOT_YES_NO(text=text), None, help=say.W120_WRITE_YES_NO(), where=where)
        return None
    return Read(re.sub(r"[\r\n]+", "", text).strip(), where, None)


def _read_value(path: Path, grids: list[Grid], spec: InputSpec, collector: Collector) -> Read | None:
    """A plain input: the value below its label (a block of labels over a row of figures) or beside it."""
    labels = labels_of(spec.name, spec.label)
    found = [(g, r, c) for g in grids for r, texts in g.labels().items() for c, norm, bare in texts
             if norm in labels or bare in labels]
    if not found:
        if not spec.optional:
            label = spec.label or spec.name
            collector.error(say.W130_NO_LABEL(name=path.name, label=label), None,
                            help=say.W130_NEEDS_LABEL(label=label), where=str(path))
        return None
    if len(found) > 1:
        places = ", ".join(g.where(r, c) for g, r, c in found)
        collector.error(say.W131_LABEL_TWICE(label=spec.label or spec.name, places=places), None,
                        help=say.W131_KEEP_ONCE(), where=f"{found[1][0].name}!"
                        f"{found[1][0].ref(found[1][1], found[1][2])}")
        return None
    grid, row, col = found[0]
    below = next(((row + k, col) for k in (1, 2) if grid.text(row + k, col)), None)
    right = next(((row, col + k) for k in (1, 2) if grid.text(row, col + k)), None)
    below_ok = below is not None and _numeric(grid, *below)
    right_ok = right is not None and _numeric(grid, *right) and spec.kind != "text"
    if below_ok and right_ok:
        collector.error(say.W132_TWO_FIGURES(label=spec.label or spec.name, place=grid.where(row, col),
                                             below=grid.ref(*below), right=grid.ref(*right)),  # type: ignore[misc]
                        None, help=say.W132_LEAVE_ONE_EMPTY(), where=grid.where(row, col))
        return None
    place = below if below_ok else right if right_ok else None
    if place is None:
        if not spec.optional:
            collector.error(say.W132_NO_FIGURE(label=spec.label or spec.name, place=grid.where(row, col)), None,
                            help=say.W132_FILL_FIGURE(), where=grid.where(row, col))
        return None
    return _convert(grid, place[0], place[1], spec.kind, collector)


def _numeric(grid: Grid, row: int, col: int) -> bool:
    """Whether a cell holds a figure (perhaps badly written, 「20万」), not another label."""
    cell = grid.get(row, col)
    if cell is None or cell.value is None:
        return False
    if isinstance(cell.value, (int, float, Decimal)) and not isinstance(cell.value, bool):
        return True
    text = grid.text(row, col)
    return bool(re.search(r"\d", text)) and not re.search(r"[\u4e00-\u9fff]{2,}", text)


def _read_meta(grids: list[Grid]) -> dict[str, Read]:
    """项目名称, 主管部门, 实施单位: the text to the right of the label, for reports."""
    meta: dict[str, Read] = {}
    for grid in grids:
        for (r, c), cell in sorted(grid.cells.items()):
            if cell.origin != (r, c):
                continue
            key = _META_LABELS.get(normalize(grid.text(r, c)))
            if key is None or key in meta:
                continue
            for k in range(1, 4):
                other = grid.get(r, c + k)
                if other is not None and other.origin != cell.origin and grid.text(r, c + k):
                    meta[key] = Read(re.sub(r"\s+", " ", grid.text(r, c + k)), grid.where(r, c + k))
                    break
    return meta


def to_facts_text(path: str | Path, specs: Sequence[InputSpec], sheet: str | None = None,
                  rules: str | None = None) -> str:
    """The facts file `perfrules import` writes for this workbook."""
    return read_form(path, specs, sheet).to_toml(rules)


__all__ = [
    "ColumnSpec",
    "Form",
    "InputSpec",
    "Read",
    "Row",
    "Table",
    "entered_points_that_differ",
    "evaluate_form",
    "is_workbook",
    "read_form",
    "score_form",
    "specs_from_model",
    "to_facts_text",
]

