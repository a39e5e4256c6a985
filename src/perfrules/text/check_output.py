"""`perfrules check` as a linter: files, folders and globs in; text, JSON, GitHub annotations or SARIF out.

    perfrules check [--format text|json|github|sarif] [--color auto|always|never] [--lang zh|en] PATH...

A PATH is a rule file, a folder (its `*.rules`, recursively) or a glob (`rulesets/**/*.rules`,
quoted so the shell leaves it). Exit status as before: 0 if every file is correct, 1 if any
has errors, 2 for wrong usage (a PATH that names nothing).

* text: the caret diagnostics on stderr, one `FILE: ok (...)` line on stdout per correct
  file; coloured when stderr is a terminal, unless NO_COLOR is set (https://no-color.org);
  each file's in its language (Chinese for Chinese keywords), or in --lang / PERFRULES_LANG;
* json: one JSON document on stdout, `{"files": [{"file", "ok", "diagnostics": [...]}]}`,
  each message and help in English and, as `message_zh` and `help_zh`, in Chinese;
* github: one `::error file=…,line=…,col=…::…` workflow command per problem, on stdout, in
  the language of the text format;
* sarif: a SARIF 2.1.0 log on stdout (one run, a rule per error code, a result per problem),
  its messages in English, the Chinese in each result's `properties.message_zh`.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from perfrules import __version__
from perfrules.catalogue import Lang, language, phrases, usage
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Diagnostic, PerfrulesError
from perfrules.semantics import arithmetic

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def rule_files(paths: list[Path]) -> Iterator[Path]:
    """The files PATHs name: files as given, `*.rules` under folders, glob matches; in order, once each."""
    from perfrules.diagnostics import UsageError

    seen: set[Path] = set()
    for path in paths:
        text = str(path)
        if path.is_dir():
            found = sorted(path.rglob("*.rules"))
        elif path.exists():
            found = [path]
        elif any(ch in text for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        else:
            raise UsageError(usage.NO_SUCH_FILE_OR_FOLDER(path=str(path)))
        if not found:
            raise UsageError(usage.NO_RULE_FILES(path=str(path)))
        for file in found:
            if file not in seen:
                seen.add(file)
                yield file


class Checked:
    """One file's outcome: its diagnostics (in `lang`), or what the ok line says."""

    def __init__(self, path: Path, diagnostics: tuple[Diagnostic, ...], summary: str | None,
                 lang: Lang = "en") -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.summary = summary
        self.lang = lang


def check_file(path: Path, lang: str | None = None) -> Checked:
    """Load one rule file; `lang` (zh, en or None: PERFRULES_LANG, else the file's) is the
    language of what is said about it."""
    from perfrules.engine import load

    try:
        ruleset = load(path)
    except PerfrulesError as exc:
        return Checked(path, exc.diagnostics, None, language(lang, bool(exc.chinese)))
    except OSError as exc:
        return Checked(path, (Diagnostic(say.E100_CANNOT_READ(reason=exc.strerror), None, where=str(path),
                                         help=say.CHECK_THE_PATH()),), None, language(lang))
    leaves = len([i for i in ruleset.indicator_list if i.is_leaf])
    by_rows = len([i for i in ruleset.indicator_list if i.each is not None])
    count, total = len(ruleset.indicator_list), arithmetic.plain(ruleset.model.total)
    s = "s" * (count != 1)
    said = phrases.CHECK_OK_ROWS(count=count, s=s, leaves=leaves, rows=by_rows, total=total) if by_rows else \
        phrases.CHECK_OK(count=count, s=s, leaves=leaves, total=total)  # fmt: skip
    # the ok line speaks as the file's reports do (Chinese names count too), unless told otherwise
    spoken = language(lang, ruleset.model.chinese)
    return Checked(path, (), f"{path}: {said.in_(spoken)}", spoken)


def position(d: Diagnostic, path: Path) -> dict[str, Any]:
    """File, line and column (from 1) of a diagnostic's start and end, as far as it has them."""
    if d.span is not None:
        line, column = d.span.source.line_col(d.span.start)
        end_line, end_column = d.span.source.line_col(max(d.span.end, d.span.start))
        return {"file": str(path), "line": line, "column": column, "end_line": end_line,
                "end_column": max(end_column, column + 1) if end_line == line else end_column}  # fmt: skip
    m = re.fullmatch(r"(.*):(\d+):(\d+)", d.where or "")
    if m:
        return {"file": str(path), "line": int(m.group(2)), "column": int(m.group(3))}
    return {"file": str(path)}


# ---- text, with colour ------------------------------------------------------------------

_RED, _CYAN, _BOLD, _BLUE, _RESET = "\x1b[31m", "\x1b[36m", "\x1b[1m", "\x1b[34m", "\x1b[0m"


def use_colour(stream: IO[str], choice: str) -> bool:
    """`always`, `never`, or `auto`: a terminal, NO_COLOR unset or empty, TERM not `dumb`."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def colour(text: str) -> str:
    """The caret text of render.diagnostics, with ANSI colours: the same characters otherwise."""
    out = []
    for line in text.split("\n"):
        # `FILE:LINE:COL: error: MESSAGE [CODE]` (render.diagnostic), never a quoted source line
        m = re.match(r"^(?!\s*\d*\s*\|)(.*?: )?(error)(: )(.*\[[A-Z]\d+\])$", line)
        if m:
            where = f"{_BOLD}{m.group(1)}{_RESET}" if m.group(1) else ""
            line = f"{where}{_BOLD}{_RED}{m.group(2)}{_RESET}{m.group(3)}{_BOLD}{m.group(4)}{_RESET}"
        elif re.match(r"^\s*(\d+\s*)?\|", line):
            bar = line.index("|")
            rest = line[bar + 1 :]
            if re.fullmatch(r"[\s^~-]*\^[\s^~-]*", rest):
                rest = f"{_RED}{_BOLD}{rest}{_RESET}"
            line = f"{_BLUE}{_BOLD}{line[: bar + 1]}{_RESET}{rest}"
        elif re.match(r"^\s*= (help:|提示：)", line):
            word = "help" if "= help:" in line else "提示"
            line = line.replace(word, f"{_CYAN}{_BOLD}{word}{_RESET}", 1)
        out.append(line)
    return "\n".join(out)


# ---- machine formats --------------------------------------------------------------------


def as_json(results: list[Checked]) -> str:
    files = []
    for r in results:
        problems = [{"code": d.code, "message": d.message, **position(d, r.path), "help": d.help,
                     "notes": list(d.notes), "message_zh": d.message_in("zh"), "help_zh": d.help_in("zh"),
                     "notes_zh": list(d.notes_in("zh"))} for d in r.diagnostics]  # fmt: skip
        files.append({"file": str(r.path), "ok": not r.diagnostics, "diagnostics": problems})
    return json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(results: list[Checked]) -> str:
    """GitHub Actions workflow commands: an annotation on the file and line of each problem."""
    lines = []
    for r in results:
        for d in r.diagnostics:
            pos = position(d, r.path)
            props = [f"file={_escape_property(pos['file'])}"]
            for key, name in (("line", "line"), ("column", "col"), ("end_line", "endLine"),
                              ("end_column", "endColumn")):  # fmt: skip
                if key in pos:
                    props.append(f"{name}={pos[key]}")
            props.append(f"title={_escape_property(f'perfrules {d.code}')}")
            help_text = d.help_in(r.lang)
            message = d.message_in(r.lang) + (f"\n{say.HELP_WORD().in_(r.lang)}{help_text}" if help_text else "")
            lines.append(f"::error {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def _uri(path: Path) -> str:
    """A relative URI reference for a path (forward slashes, percent-encoded), absolute as file:// ."""
    from urllib.parse import quote

    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix())


def as_sarif(results: list[Checked]) -> str:
    """A SARIF 2.1.0 log: one run of perfrules, a rule per error code met, a result per problem."""
    rules: dict[str, int] = {}
    rule_objects: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    for r in results:
        for d in r.diagnostics:
            if d.code not in rules:
                rules[d.code] = len(rule_objects)
                # no shortDescription: the messages are about one place; the code's section of
                # docs/errors.md describes the rule
                rule_objects.append({"id": d.code, "help": {"text": f"docs/errors.md, section {d.code}: "
                                                                    "an example and the fix"}})
            pos = position(d, r.path)
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(r.path)}}
            if "line" in pos:
                region: dict[str, Any] = {"startLine": pos["line"], "startColumn": pos["column"]}
                if "end_line" in pos:
                    region["endLine"], region["endColumn"] = pos["end_line"], pos["end_column"]
                if d.span is not None:
                    region["snippet"] = {"text": d.span.source.line_text(pos["line"])}
                physical["region"] = region
            text = d.message + (f"\nhelp: {d.help}" if d.help else "")
            help_zh = d.help_in("zh")
            text_zh = d.message_in("zh") + (f"\n{say.HELP_WORD().zh}{help_zh}" if help_zh else "")
            sarif_results.append({
                "ruleId": d.code,
                "ruleIndex": rules[d.code],
                "level": "error",
                "message": {"text": text},
                "locations": [{"physicalLocation": physical}],
                "properties": {"message_zh": text_zh},
            })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "perfrules",
                "version": __version__,
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }  # fmt: skip
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
