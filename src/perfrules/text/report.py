"""Reports an official can file: the 评分表 and 「存在的主要问题」 as Markdown, HTML or xlsx.

Pure functions of a `Result`: `markdown(result, lang)` and `html(result, lang)` here,
`report_xlsx.xlsx(result, path, lang)`; `main_report` is the `perfrules report` command.

The 评分标准 column is generated from the rule itself (`standard`), so the
published standard cannot drift from what is computed; an indicator's
`note "..."` is shown instead when the rule file gives one. All three formats
share one row model (`rows`): one row per leaf, a subtotal row after every group
of two or more children, then the total rows. Numbers come from the Result as
Decimals and are never recomputed here.
"""

from __future__ import annotations

import html as _html
from decimal import Decimal
from pathlib import Path

from perfrules.catalogue import phrases
from perfrules.controls import escaped
from perfrules.results.result import Result
from perfrules.semantics import arithmetic
from perfrules.text.mdtext import md as _md
from perfrules.text.scoretable import Row, Table, display, is_dropped, table
from perfrules.text.wording import _in_engine_context

# ---- Markdown ---------------------------------------------------------------------------------


def _bold(text: str) -> str:
    """Bold Markdown around text already escaped (`md`); nothing around nothing."""
    return f"**{text}**" if text else text


def _fixed(value: Decimal | None, places: int) -> str:
    return "" if value is None else arithmetic.fixed(value, places)


def _level_cells(t: Table, row: Row, previous: Row | None) -> list[str]:
    """The hierarchy cells of a row: a group's name on its first row only, blank below it."""
    cells = [""] * t.levels
    before = previous.owners if previous is not None else ()
    for k, owner in enumerate(row.owners):
        if k >= len(before) or before[k].path != owner.path:
            cells[k] = display(owner)
    own = len(row.chain) - 1
    name = display(row.chain[-1])
    cells[own] = name if row.kind == "leaf" else phrases.SUBTOTAL.format(t.lang, name=name)
    return cells


def _number_cells(t: Table, row: Row) -> tuple[str, str, str]:
    r = row.record
    weight = arithmetic.plain(r.weight)
    if is_dropped(r):
        return weight, phrases.NOT_APPLICABLE_SHORT.in_(t.lang), ""
    lost = row.lost
    return (
        weight,
        arithmetic.fixed(r.points, t.precision),
        arithmetic.fixed(lost, t.precision) if lost > 0 else "",
    )


@_in_engine_context
def markdown(result: Result, lang: str | None = None) -> str:
    """The 评分表 and 「存在的主要问题」 as GitHub-flavoured Markdown."""
    t = table(result, lang)
    colon = phrases.COLON.in_(t.lang)
    out = [f"# {_md(t.title)}", ""]
    out.extend(f"- **{_md(k)}**{colon}{_md(v)}" for k, v in t.header)
    out += ["", f"## {phrases.SCORE_TABLE.in_(t.lang)}", ""]
    out.append("| " + " | ".join(_md(c) for c in t.columns) + " |")  # columns may be the rule file's labels
    aligns = ["---"] * (t.levels + t.before) + ["---:", "---:", "---:", "---", "---"] + \
        ["---"] * (len(t.columns) - t.levels - t.before - 5)  # fmt: skip
    out.append("|" + "|".join(aligns) + "|")
    previous: Row | None = None
    for row in t.rows:
        cells = [_md(c) for c in _level_cells(t, row, previous)]
        weight, points, lost = _number_cells(t, row)  # computed digits, or 不适用
        if row.kind == "subtotal":
            cells = [_bold(c) if k == len(row.chain) - 1 else c for k, c in enumerate(cells)]
            points = _bold(points)
        texts = [*map(_md, row.before), weight, points, lost, _md(row.standard), _md(row.reasons), *map(_md, row.after)]
        out.append("| " + " | ".join([*cells, *texts]) + " |")
        previous = row
    for extra in t.extras:
        label = _md(extra.label)
        weight = arithmetic.plain(extra.weight) if extra.weight is not None else ""
        points = _fixed(extra.points, t.precision)
        if extra is t.extras[-1]:
            label, points = _bold(label), _bold(points)
        cells = [label] + [""] * (t.levels - 1 + t.before)
        tail = [""] * (len(t.columns) - t.levels - t.before - 5)
        out.append("| " + " | ".join([*cells, weight, points, _fixed(extra.lost, t.precision), "", _md(extra.note),
                                      *tail]) + " |")
    out.append("")
    total = arithmetic.fixed(t.total, t.precision)
    rating = phrases.RATING_PART.format(t.lang, rating=_bold(_md(t.rating))) if t.rating else ""
    out.append(phrases.TOTAL_LINE.format(t.lang, total=f"**{total}**") + rating)
    # rating labels and problems come from the rules and facts
    out += ["", f"## {phrases.MAIN_PROBLEMS.in_(t.lang)}", "", _md(t.problems, block=True), ""]
    return "\n".join(out)


# ---- HTML -------------------------------------------------------------------------------------

_CSS = """
@page { size: A4 landscape; margin: 12mm 12mm 14mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 10pt;
       color: #000; margin: 0; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 6pt; }
h2 { font-size: 12pt; margin: 10pt 0 4pt; break-after: avoid; page-break-after: avoid; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 1pt 8pt; margin: 0 0 6pt; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: middle; }
th { background: #eee; font-size: 9pt; word-break: keep-all; overflow-wrap: anywhere; }
td { word-break: keep-all; overflow-wrap: anywhere; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.text { font-size: 8.5pt; }
td.cont { border-top-style: hidden; }
tr.subtotal td, tr.total td { font-weight: bold; }
tr.total, tr.closing { break-before: avoid; page-break-before: avoid; }
tr.closing td { border-left-style: hidden; border-right-style: hidden; border-bottom-style: hidden;
                padding: 0; font-size: 10pt; }
tr.closing + tr.closing td { border-top-style: hidden; }
tr.closing p { margin: 6pt 0 0; }
tr.closing h2 { margin-top: 10pt; }
p.problems { text-indent: 2em; line-height: 1.6; word-break: normal; }
footer { margin-top: 6pt; font-size: 7.5pt; color: #555; word-break: break-all; }
@media print { th { background: none; } }
""".strip()


def _h(text: str) -> str:
    return escaped(_html.escape(text, quote=True))


@_in_engine_context
def html(result: Result, lang: str | None = None) -> str:
    """The report as one self-contained HTML file (inline CSS, nothing external), for A4."""
    t = table(result, lang)
    lang_attr = phrases.HTML_LANG.in_(t.lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang_attr}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_h(t.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(t.title)}</h1>",
        '<dl class="meta">',
    ]
    for key, value in t.header:
        if key not in _PROVENANCE:
            out.append(f"<dt>{_h(key)}</dt><dd>{_h(value)}</dd>")
    out.append("</dl>")
    out.append(f"<h2>{phrases.SCORE_TABLE.in_(t.lang)}</h2>")
    out.append("<table>" + _colgroup(t))
    out.append("<thead><tr>" + "".join(f"<th>{_h(c)}</th>" for c in t.columns) + "</tr></thead>")
    out.append("<tbody>")
    started: set[str] = set()
    # A group's name is written on its first row and the cells below join it (no top border),
    # which reads as a merged cell: a real rowspan makes Chromium keep the whole group on one
    # page and leave a near-empty page before it.
    for row in t.rows:
        cells: list[str] = []
        for owner in row.owners:
            if owner.path not in started:
                started.add(owner.path)
                cells.append(f"<td>{_h(display(owner))}</td>")
            else:
                cells.append('<td class="cont"></td>')
        own = len(row.chain) - 1
        colspan = t.levels - own
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        name = display(row.chain[-1])
        label = name if row.kind == "leaf" else phrases.SUBTOTAL.format(t.lang, name=name)
        cells.append(f"<td{span}>{_h(label)}</td>")
        cells += [f'<td class="text">{_h(v)}</td>' for v in row.before]
        weight, points, lost = _number_cells(t, row)
        cells += [f'<td class="num">{_h(v)}</td>' for v in (weight, points, lost)]
        cells += [f'<td class="text">{_h(v)}</td>' for v in (row.standard, row.reasons, *row.after)]
        cls = ' class="subtotal"' if row.kind == "subtotal" else ""
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    for extra in t.extras:
        cls = ' class="total"' if extra is t.extras[-1] else ""
        weight = arithmetic.plain(extra.weight) if extra.weight is not None else ""
        cells = [f'<td colspan="{t.levels + t.before}">{_h(extra.label)}</td>']
        cells += [
            f'<td class="num">{_h(v)}</td>'
            for v in (weight, _fixed(extra.points, t.precision), _fixed(extra.lost, t.precision))
        ]
        cells += ['<td class="text"></td>', f'<td class="text">{_h(extra.note)}</td>']
        cells += ['<td class="text"></td>'] * (len(t.columns) - t.levels - t.before - 5)
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    total = arithmetic.fixed(t.total, t.precision)
    rating = phrases.RATING_PART.format(t.lang, rating=f"<strong>{_h(t.rating)}</strong>") if t.rating else ""
    summary = phrases.TOTAL_LINE.format(t.lang, total=f"<strong>{total}</strong>") + rating
    # The total, the problems and the provenance close the table as its last rows, kept with the
    # rows above them: a block after the table would be split from it and from itself, and leave
    # a page holding only the problems or the footer.
    rs = result.ruleset
    provenance = (f"{_h(Path(rs.display_name).name)} · sha256 {_h(rs.model.source.sha256)} · "
                  f"perfrules {_h(rs.engine_version)}")
    heading = phrases.MAIN_PROBLEMS.in_(t.lang)
    for content in (f"<p>{summary}</p>", f'<h2>{heading}</h2><p class="problems">{_h(t.problems)}</p>',
                    f"<footer>{provenance}</footer>"):
        out.append(f'<tr class="closing"><td colspan="{len(t.columns)}">{content}</td></tr>')
    out.append("</tbody>")
    out.append("</table>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# The header keys that say where the scores come from: printed small at the end, not on top.
_PROVENANCE = frozenset({"规则文件", "rules file", "SHA-256"})


def _colgroup(t: Table) -> str:
    """Column widths in percent: names wide enough that 「产出指标」 stays on one line, figures narrow,
    and what is left to the 评分标准 and the 扣分原因."""
    widths = [6.5] * (t.levels - 1) + [10.0] + [6.5] * t.before + [4.5] * 3
    after = len(t.columns) - t.levels - t.before - 5
    widths += [0.0, 0.0] + [11.0] * after
    rest = max(100 - sum(widths), 20.0)
    widths[t.levels + t.before + 3] = round(rest * 0.6, 1)
    widths[t.levels + t.before + 4] = round(rest * 0.4, 1)
    return "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"
