"""A whole batch on one page: `perfrules summary RESULTS.jsonl [-o summary.html|summary.xlsx]`.

Reads the JSON lines of `perfrules eval RULES --batch … --reasons` and tells a finance
bureau, in a minute, what thousands of projects say: how many per rating, how the
totals are spread (an inline SVG chart: no network, no script), where points were
lost across all projects, the most frequent reasons, and the projects with errors.
"""

from __future__ import annotations

import collections
import html as _html
import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from perfrules.catalogue import Said, lang_of, phrases
from perfrules.decimal_context import parse_decimal
from perfrules.semantics import arithmetic

TOP = 15  # rows in the tables of indicators and reasons
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


@attrs.frozen
class Summary:
    projects: int
    scored: int
    totals: tuple[Decimal, ...]
    ratings: tuple[tuple[str, int], ...]  # in order of first appearance
    losses: tuple[tuple[str, Decimal, int], ...]  # path, points lost in all, projects that lost there
    reasons: tuple[tuple[str, int, str], ...]  # pattern (numbers as #), projects, one example
    errors: tuple[tuple[Said | str, Said | str], ...]  # project, message (Said: in the page's language)
    had_reasons: bool


def _name(record: dict[str, Any]) -> Said | str:
    """A project as a reader finds it: its id, or its file, or its row of the batch file."""
    for key in ("id", "file"):
        if record.get(key) is not None:
            return str(record[key])
    return phrases.SUMMARY_ROW(row=record["row"]) if record.get("row") is not None else "?"


def summarize(lines: Iterable[str]) -> Summary:
    """Read batch output lines; lines that are not JSON objects count as errors of the batch file."""
    totals: list[Decimal] = []
    ratings: collections.Counter[str] = collections.Counter()
    rating_sums: dict[str, Decimal] = collections.defaultdict(Decimal)
    lost_points: dict[str, Decimal] = collections.defaultdict(Decimal)
    lost_projects: collections.Counter[str] = collections.Counter()
    patterns: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    errors: list[tuple[Said | str, Said | str]] = []
    projects = 0
    had_reasons = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        projects += 1
        try:
            record = json.loads(line, parse_float=parse_decimal)
        except json.JSONDecodeError as exc:
            errors.append((phrases.SUMMARY_LINE(line=number), phrases.SUMMARY_NOT_JSON(detail=exc.msg)))
            continue
        if not isinstance(record, dict):
            errors.append((phrases.SUMMARY_LINE(line=number), phrases.SUMMARY_NOT_OBJECT()))
            continue
        if "error" in record:
            messages = record["error"] if isinstance(record["error"], list) else []
            errors.append((_name(record), "; ".join(f"{m.get('where', '')}: {m.get('message', '')}"
                                                    for m in messages if isinstance(m, dict))))
            continue
        try:
            total = Decimal(str(record["total"]))
        except (KeyError, InvalidOperation):
            errors.append((_name(record), phrases.SUMMARY_NO_TOTAL()))
            continue
        totals.append(total)
        rating = str(record.get("rating")) if record.get("rating") is not None else "—"
        ratings[rating] += 1
        rating_sums[rating] += total
        if "lost" in record:
            had_reasons = True
            seen: set[str] = set()
            for loss in record["lost"]:
                path = str(loss.get("path"))
                lost_points[path] += Decimal(str(loss.get("points", "0")))
                lost_projects[path] += 1
                for reason in loss.get("reasons", ()):
                    pattern = _NUMBER.sub("#", str(reason))
                    if pattern not in seen:  # a project counts once per kind of reason
                        seen.add(pattern)
                        patterns[pattern] += 1
                        examples.setdefault(pattern, str(reason))
    losses = sorted(((p, v, lost_projects[p]) for p, v in lost_points.items()), key=lambda t: (-t[1], t[0]))
    reasons = sorted(((p, n, examples[p]) for p, n in patterns.items()), key=lambda t: (-t[1], t[0]))
    # the rule file's order of ratings is not in its results: best first, by the mean total of each
    ordered = sorted(ratings.items(), key=lambda item: -rating_sums[item[0]] / item[1])
    return Summary(projects, len(totals), tuple(totals), tuple(ordered), tuple(losses[:TOP]),
                   tuple(reasons[:TOP]), tuple(errors), had_reasons)


def _bins(totals: tuple[Decimal, ...]) -> list[tuple[str, int]]:
    """Counts of totals in bands of 10 points (5 when they lie within 30 points), lowest to highest band."""
    if not totals:
        return []
    width = 5 if max(totals) - min(totals) <= 30 else 10
    low, top = int(min(totals) // width), int(max(totals) // width)
    counts = [0] * (top - low + 1)
    for total in totals:
        counts[int(total // width) - low] += 1
    return [(f"{width * (low + k)}–{width * (low + k + 1)}" if low + k < top else f"≥{width * (low + k)}", c)
            for k, c in enumerate(counts)]


def _svg(bins: list[tuple[str, int]]) -> str:
    """A bar chart of the totals as inline SVG."""
    if not bins:
        return ""
    width, height, bar = 40 * len(bins) + 40, 180, 30
    peak = max(c for _, c in bins) or 1
    top = 16  # room above the tallest bar for its count
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + top + 30}" role="img" '
             f'aria-label="distribution of totals">']
    for k, (label, count) in enumerate(bins):
        h = round(height * count / peak)
        x = 20 + 40 * k
        parts.append(f'<rect x="{x}" y="{height - h + top}" width="{bar}" height="{h}" fill="#4a6fa5"/>')
        parts.append(f'<text x="{x + bar / 2}" y="{height - h + top - 4}" font-size="10" '
                     f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{height + top + 14}" font-size="9" text-anchor="middle">'
                     f"{_html.escape(label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _mean(s: Summary) -> str:
    if not s.totals:
        return "—"
    return arithmetic.fixed(sum(s.totals, Decimal(0)) / len(s.totals), 2)


_CSS = (
    "@page { size: A4; margin: 14mm 12mm; }"
    " body { font-family: 'SimSun', 'Songti SC', 'Noto Serif CJK SC', serif; font-size: 10pt; margin: 0; }"
    " h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 12pt 0 4pt; break-after: avoid; }"
    " table { border-collapse: collapse; table-layout: fixed; margin-bottom: 4pt; }"
    " th, td { border: 0.75pt solid #000; padding: 2pt 4pt; overflow-wrap: anywhere; }"
    " th { background: #eee; font-size: 9pt; } td.num { text-align: right; font-variant-numeric: tabular-nums; }"
    " thead { display: table-header-group; } tr { break-inside: avoid; }"
    " section.keep { break-inside: avoid; } svg text { font-family: sans-serif; }"
    " @media print { th { background: none; } }"
)


def to_html(s: Summary, lang: str = "zh") -> str:
    w = {key: word.in_(lang_of(lang == "zh")) for key, word in phrases.SUMMARY_WORDS.items()}
    e = _html.escape

    def table(head: tuple[str, ...], rows: Iterable[tuple[Any, ...]], widths: tuple[int, ...],
              numbers: tuple[int, ...] = (), width: int = 100) -> str:
        cols = "".join(f'<col style="width:{share}%">' for share in widths)
        cells = "".join(f"<th>{e(h)}</th>" for h in head)
        num = ' class="num"'
        body = "".join("<tr>" + "".join(f"<td{num if k in numbers else ''}>{e(str(c))}</td>"
                                        for k, c in enumerate(row)) + "</tr>" for row in rows)
        return (f'<table style="width:{width}%"><colgroup>{cols}</colgroup><thead><tr>{cells}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def section(heading: str, content: str, rows: int = 0) -> str:
        # a heading stays with what follows it: a short section moves to the next page whole
        keep = ' class="keep"' if rows <= TOP else ""
        return f"<section{keep}><h2>{e(heading)}</h2>{content}</section>"

    out = [
        "<!DOCTYPE html>", f'<html lang="{phrases.HTML_LANG.in_(lang_of(lang == "zh"))}">', "<head>",
        '<meta charset="utf-8">', f"<title>{e(w['title'])}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{e(w['title'])}</h1>",
        "<p>" + phrases.LIST_SEMICOLON.in_(lang_of(lang == "zh")).join(
            f"{e(w[k])} {v}" for k, v in (("projects", s.projects), ("scored", s.scored),
                                          ("errors", len(s.errors)), ("mean", _mean(s)))) + "</p>",
        section(w["ratings"], table((w["rating"], w["count"]), s.ratings, (60, 40), (1,), width=50)),
        section(w["spread"], _svg(_bins(s.totals))),
    ]  # fmt: skip
    if s.had_reasons:
        out += [section(w["losses"], table((w["path"], w["lost"], w["where"]),
                                           ((p, arithmetic.fixed(v, 2), n) for p, v, n in s.losses),
                                           (66, 17, 17), (1, 2))),
                section(w["reasons"], table((w["pattern"], w["where"], w["example"]), s.reasons, (40, 12, 48),
                                            (1,)))]
    else:
        out.append(f"<p>{e(w['no_reasons'])}</p>")
    if s.errors:
        out.append(section(w["failed"], table((w["project"], w["message"]), _errors(s, lang), (22, 78)),
                           len(s.errors)))
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _errors(s: Summary, lang: str) -> list[tuple[str, str]]:
    """The failed projects and their messages, in `lang` where perfrules wrote them (a batch's own
    messages are the English of its JSON lines)."""
    shown = lang_of(lang == "zh")

    def said(value: Said | str) -> str:
        return value.in_(shown) if isinstance(value, Said) else value

    return [(said(project), said(message)) for project, message in s.errors]


def to_xlsx(s: Summary, path: Path, lang: str = "zh") -> int:
    """The summary as a workbook, one sheet per table; returns the number of control characters
    written as escapes (perfrules.text.xlsxout)."""
    from perfrules.text.report_xlsx import _openpyxl
    from perfrules.text.xlsxout import CellTexts, save

    clean = CellTexts()
    w = {key: word.in_(lang_of(lang == "zh")) for key, word in phrases.SUMMARY_WORDS.items()}
    wb = _openpyxl().Workbook()
    sheets: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = [
        (w["ratings"], (w["rating"], w["count"]), list(s.ratings)),
        (w["spread"], ("", w["count"]), _bins(s.totals)),
        (w["losses"], (w["path"], w["lost"], w["where"]), list(s.losses)),
        (w["reasons"], (w["pattern"], w["where"], w["example"]), list(s.reasons)),
        (w["failed"], (w["project"], w["message"]), _errors(s, lang)),
    ]
    first = True
    for title, head, rows in sheets:
        ws = clean.sheet(wb.active if first else wb.create_sheet())
        first = False
        ws.title = title[:31]
        ws.append(list(head))
        for row in rows:
            ws.append([_cell(c) for c in row])
    save(wb, path)
    return clean.replaced


def _cell(value: Any) -> Any:
    """Numbers stay numbers (Decimals, exact); text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
