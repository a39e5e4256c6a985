"""Pure renderers: diagnostics -> caret text; Result -> the score table as text.

Renderers read results and diagnostics only; they never parse or evaluate.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from perfrules.catalogue import LANGS, Lang, lang_of, phrases
from perfrules.catalogue import diagnostics as say
from perfrules.controls import escaped
from perfrules.diagnostics import Diagnostic
from perfrules.results.audit_rows import meta_text
from perfrules.results.result import Result
from perfrules.semantics import arithmetic

TAB = 4

# How the usual [meta] keys are headed in reports and tables, by language (phrases.META_LABELS).
META_LABELS = {lang: {key: label.in_(lang) for key, label in phrases.META_LABELS.items()} for lang in LANGS}


def width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    total = 0
    for ch in text:
        if ch == "\t":
            total += TAB
        elif unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            continue
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            total += 2
        else:
            total += 1
    return total


def pad(text: str, columns: int, right: bool = False) -> str:
    gap = " " * max(columns - width(text), 0)
    return gap + text if right else text + gap


def _visible(line: str) -> str:
    """A source line as shown under an error: tabs expanded, invisible characters made visible."""
    out = []
    for ch in line:
        if ch == "\t":
            out.append(" " * TAB)
        elif unicodedata.category(ch) in ("Cf", "Cc"):
            out.append("�")
        else:
            out.append(ch)
    return "".join(out)


# A line longer than this is shown clipped around the error, with `…` where it was cut: a
# 2 MB line (a rule file of one line, a long because text) is not printed whole under each error.
MAX_SHOWN = 200
_BEFORE = 60  # of them, characters shown before the error's column


def _window(text: str, col: int, stop: int) -> tuple[str, int, int]:
    """The part of a source line shown under an error, and the error's column and end in it."""
    if len(text) <= MAX_SHOWN:
        return text, col, stop
    first = max(col - 1 - _BEFORE, 0)
    last = min(first + MAX_SHOWN, len(text))
    stop = min(stop, last)
    head = "…" if first > 0 else ""
    shown = head + text[first:last] + ("…" if last < len(text) else "")
    return shown, col - first + len(head), stop - first + len(head)


def _visible_width(text: str) -> int:
    return width(_visible(text))


def diagnostic(d: Diagnostic, lang: Lang = "en") -> str:
    """`FILE:LINE:COL: error: message [CODE]`, the source line, carets, help and notes, in `lang`."""
    lines = [d.line(lang)]
    if d.span is not None:
        source = d.span.source
        line_no, col = source.line_col(d.span.start)
        text = source.line_text(line_no)
        end_line, end_col = source.line_col(max(d.span.end, d.span.start))
        stop = end_col - 1 if end_line == line_no else len(text)
        text, col, stop = _window(text, col, stop)
        before = text[: col - 1]
        marked = text[col - 1 : max(stop, col)]
        gutter = str(line_no)
        lines.append(f"{' ' * len(gutter)} |")
        lines.append(f"{gutter} | {_visible(text)}")
        carets = "^" * max(_visible_width(marked), 1)
        lines.append(f"{' ' * len(gutter)} | {' ' * _visible_width(before)}{carets}")
    help_text = d.help_in(lang)
    if help_text:
        lines.append(say.HELP_LINE(text=help_text).in_(lang))
    for note in d.notes_in(lang):
        lines.append(say.NOTE_LINE(text=note).in_(lang))
    # a message quotes keys, values and file names: ESC or U+202E among them is shown, not obeyed
    return escaped("\n".join(lines))


def diagnostics(items: Iterable[Diagnostic], lang: Lang = "en") -> str:
    """Every diagnostic with its carets, then how many there are; in Chinese or English."""
    items = list(items)
    text = "\n\n".join(diagnostic(d, lang) for d in items)
    count = len(items)
    summary = (say.ONE_ERROR if count == 1 else say.ERRORS)(count=count).in_(lang)
    return f"{text}\n\n{summary}\n"


# ---- the score table -----------------------------------------------------------------


def table(result: Result, lang: str | None = None) -> str:
    """The score table: indicator tree, weight, points, lost points; total, rating, reasons."""
    rs = result.ruleset.model
    chosen = lang_of(rs.chinese if lang is None else lang == "zh")
    places = rs.precision
    h = {key: heading.in_(chosen) for key, heading in phrases.TABLE_HEADINGS.items()}
    colon = phrases.COLON.in_(chosen)  # 依据：… in Chinese, cite: … in English
    out: list[str] = []
    title = rs.name + (f" ({rs.version})" if rs.version else "")
    out.append(title)
    if rs.cite:
        out.append(f"{h['cite']}{colon}{rs.cite}")
    labels = META_LABELS[chosen]
    for key, value in result.meta.items():
        out.append(f"{labels.get(key, key)}{colon}{meta_text(value)}")
    out.append("")
    rows = []
    for r in result.indicators:
        name = "  " * r.depth + r.name
        if not r.applicable:
            # `else full` awards the weight, `else rescale` drops the indicator: both are shown
            # as not applicable, with the points that enter the sums.
            points = arithmetic.fixed(r.points, places) if r.points else "—"
            lost = h["na"]
        else:
            points = arithmetic.fixed(r.points, places)
            lost_points = result.lost_points(r.path)  # dropped weight is not lost
            lost = arithmetic.fixed(lost_points, places) if lost_points > 0 else ""
        rows.append((name, arithmetic.plain(r.weight), points, lost))
    total_row = (h["total"], arithmetic.plain(rs.total), arithmetic.fixed(result.total, places), "")
    name_width = max([width(h["indicator"])] + [width(r[0]) for r in (*rows, total_row)]) + 2
    # the total row counts too: a 100.00 below leaves of at most 50.00 stays in its column
    cols = [max(width(h[k]), *(width(r[i]) for r in (*rows, total_row))) + 2
            for i, k in ((1, "weight"), (2, "points"), (3, "lost"))]
    titles = zip(("weight", "points", "lost"), cols, strict=True)
    out.append(pad(h["indicator"], name_width) + "".join(pad(h[k], c, True) for k, c in titles))
    out.append("-" * (name_width + sum(cols)))
    for name, weight, points, lost in rows:
        cells = (pad(weight, cols[0], True), pad(points, cols[1], True), pad(lost, cols[2], True))
        out.append(pad(name, name_width) + "".join(cells))
    out.append("-" * (name_width + sum(cols)))
    for r in result.indicators:
        scale = result.group_scale(r.path) if not r.is_leaf and r.applicable else None
        if scale is not None and result.scale_worth_saying(r.path, scale):
            # both scales, so the printed table still adds up to a reader (spec 11)
            counted, shared = arithmetic.plain(scale.counted), arithmetic.plain(scale.shared)
            of = phrases.GROUP_FULL.format(chosen, counted=counted) if not scale.shared else \
                phrases.GROUP_SHARED.format(chosen, counted=counted, shared=shared)  # fmt: skip
            out.append(phrases.GROUP_SUM.format(chosen, name=r.name, sum=arithmetic.fixed(scale.sum, places), of=of,
                                                points=arithmetic.fixed(r.points, places),
                                                weight=arithmetic.plain(scale.kept_weight(r.weight))))
    if result.rescaled:
        out.append(f"{h['raw']}{colon}{arithmetic.fixed(result.raw_total, places)}")
        if any(adj.applied for adj in result.top_adjustments):
            # what the adjustments below start from, so the lines still add up to the total
            out.append(f"{h['rescaled']}{colon}{arithmetic.fixed(result.base_total, places)}")
    for adj in result.top_adjustments:
        if adj.applied:
            sign = "-" if adj.kind == "deduct" else "+"
            because = f"  {adj.because}" if adj.because else ""
            out.append(f"{h[adj.kind]}{colon}{sign}{arithmetic.plain(adj.amount)}{because}")
    clamp = result.total_clamp
    if clamp:
        label = h["full_cap" if clamp < 0 else "floor"]
        out.append(f"{label}{colon}{'+' if clamp > 0 else ''}{arithmetic.plain(clamp)}")
    out.append(pad(total_row[0], name_width) + pad(total_row[1], cols[0], True) + pad(total_row[2], cols[1], True))
    if result.rating is not None:
        out.append(f"{h['rating']}{colon}{result.rating}")
    veto = result.veto
    if veto is not None:
        out.append(f"{h['veto']}{colon}{veto.because} ({veto.source})")
    if result.lost:
        out.append("")
        out.append(h["reasons"] + colon.rstrip())
        for k, loss in enumerate(result.lost, 1):
            reasons = phrases.LIST_SEMICOLON.in_(chosen).join(loss.reasons)
            out.append(f"{k}. {loss.path} −{arithmetic.fixed(loss.points, places)}{colon}{reasons}")
    return escaped("\n".join(line.rstrip() for line in out)) + "\n"  # [meta] and reasons come from data
