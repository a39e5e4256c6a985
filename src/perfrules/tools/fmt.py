"""`perfrules fmt`: one canonical layout for rule files, and the keywords in either language.

Works from the source's tokens (its own small lexer, comments and blank lines included),
not from the syntax tree, so it keeps every comment and changes nothing but layout
(and, with `lang`, the spelling of keywords and function names):

* one statement per line; a `{` block opens at the end of its line, holds one item per
  line indented by two spaces, and closes with `}` on a line of its own (`{}` when empty);
* except a short block written on one line, which stays on it (`rating { >= 90: "优"; else: "差" }`):
  its `{` and `}` were on the same line, it holds no other block, and its line is at most
  `LINE_WIDTH` columns wide, measured by `_measure` in either keyword language. A block written
  over several lines stays expanded, so the author's first line break decides (as prettier does
  with objects) and the result is the same on a second run;
* `;` separators become line breaks (`; ` between the items of a one-line block); a clause that
  started a line (`when`, `cap`, `because`, 当, 上限, 原因) stays on its own line, indented two more;
* one space between words and around operators; none inside brackets, before `,` and
  `:`, around `..`, after a sign, or between a function and its `(`; full-width
  brackets and punctuation become their ASCII twins;
* comments stay where they were: at the end of their line (after two spaces) or on a
  line of their own; runs of blank lines become one, none after `{` or before `}`.

The result is idempotent, and `format_text` checks its own work: the formatted text must
load to a model equal to the original's (see `model_key`), or it raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from perfrules import records
from perfrules.catalogue import Said, usage
from perfrules.syntax.keywords import (
    ALL_KEYWORDS,
    CONTINUATION_WORDS,
    ENGLISH_OF_KEYWORD,
    FUNCTION_OF,
    FUNCTIONS,
    KEYWORDS,
)

_TOKEN = re.compile(
    r"""(?P<nl>\r?\n)
    |(?P<ws>[ \t\f\u3000]+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>"(?:\\.|[^"\\\n\r])*")
    |(?P<percent>\d+(?:\.\d+)?[%％])
    |(?P<number>\d+(?:\.\d+)?)
    |(?P<qname>[^\W\d]\w*\.[^\W\d]\w*)
    |(?P<name>[^\W\d]\w*)
    |(?P<op>>=|<=|!=|==|\.\.|[≥≤≠><+\-*×/÷=(（)）\[\]{}:：,，;；])
    """,
    re.VERBOSE,
)
_ASCII = {"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"}
_OPEN = ("(", "[")
_CLOSE = (")", "]")
# after these a `-` is a sign, not a subtraction
_BEFORE_SIGN = {"(", "[", ",", ":", "..", "=", "==", "!=", ">=", "<=", ">", "<", "≥", "≤", "≠",
                "+", "-", "*", "×", "/", "÷", "{", ";"}  # fmt: skip
# the widest line a block written on one line may keep, in columns (a Chinese character is two, as a
# terminal and an editor show it): about what a side-by-side diff or an A4 page in landscape shows whole
LINE_WIDTH = 100


class FormatError(Exception):
    """The text cannot be formatted: it does not lex, or formatting would change its meaning (a bug).
    `said` words it (catalogue/usage.py); str() is the English text."""

    def __init__(self, said: Said) -> None:
        super().__init__(said.en)
        self.said = said


@attrs.frozen
class _Tok:
    kind: str  # nl, comment, string, percent, number, name, op
    text: str
    keyword: bool = False


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            line = text.count("\n", 0, pos) + 1
            raise FormatError(usage.FMT_UNEXPECTED(line=line, character=repr(text[pos])))
        kind = m.lastgroup
        assert kind is not None
        value = m.group()
        pos = m.end()
        if kind == "ws":
            continue
        if kind == "op":
            value = _ASCII.get(value, value)
        if kind == "percent":
            value = value[:-1] + "%"
        if kind == "qname":  # `T.COL`: a column of a rows table, one token as the grammar reads it
            kind = "name"
        out.append(_Tok(kind, value, kind == "name" and value in ALL_KEYWORDS))
    return out


def _translate(tokens: list[_Tok], lang: str | None) -> list[_Tok]:
    if lang is None:
        return tokens
    out: list[_Tok] = []
    skip: _Tok | None = None
    for k, tok in enumerate(tokens):
        if tok is skip:
            continue
        following = _next_word(tokens, k)
        if tok.text == "out" and following is not None and following.text in ("of", "按"):
            # `weight 10 out of 100`: in Chinese `分值 10 满分 100`
            if lang == "zh":
                out.append(_Tok("name", KEYWORDS["full"], True))
                skip = following  # `out of` is one word in Chinese; a comment between them stays
                continue
        if tok.text in ("满分", "full") and lang == "en" and _after_weight(out):
            out.extend([_Tok("name", "out", True), _Tok("name", "of", True)])
            continue
        if tok.keyword and ENGLISH_OF_KEYWORD.get(tok.text) not in KEYWORDS:
            out.append(tok)  # `out`, which has no twin
            continue
        if tok.keyword:
            english = ENGLISH_OF_KEYWORD[tok.text]
            tok = _Tok("name", english if lang == "en" else KEYWORDS[english], True)
        elif tok.kind == "name" and tok.text in FUNCTION_OF and k + 1 < len(tokens) and tokens[k + 1].text == "(":
            english = FUNCTION_OF[tok.text]
            tok = _Tok("name", english if lang == "en" else FUNCTIONS[english])
        out.append(tok)
    return out


def _next_word(tokens: list[_Tok], k: int) -> _Tok | None:
    k += 1
    while k < len(tokens) and tokens[k].kind in ("nl", "comment"):
        k += 1
    return tokens[k] if k < len(tokens) else None


def _after_weight(written: list[_Tok]) -> bool:
    """Is the next word right after `weight N` / `分值 N`, where `满分 M` means `out of M`?"""
    words = [t for t in written if t.kind not in ("nl", "comment")]
    return len(words) >= 2 and words[-1].kind == "number" and words[-2].text in ("weight", "分值")


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.line: list[str] = []  # pieces of the line being written
        self.indent = 0
        self.hanging = False  # the line is a continuation clause
        self.last: _Tok | None = None  # the last token written on this line
        self.before_last: _Tok | None = None
        self.blank_pending = False
        self.measure = 0  # the width of the line's words in either language (`_measure`), comments left out
        self.one_line: int | None = None  # the `{` of the block written on one line on this line, if any
        self.too_wide: set[int] = set()  # the `{` of each such block whose line is wider than LINE_WIDTH

    def end_line(self) -> None:
        if self.line:
            pad = "  " * self.indent + ("  " if self.hanging else "")
            self.lines.append(pad + "".join(self.line))
            if self.one_line is not None and len(pad) + self.measure > LINE_WIDTH:
                self.too_wide.add(self.one_line)
        self.line, self.last, self.before_last, self.hanging = [], None, None, False
        self.measure, self.one_line = 0, None

    def blank(self) -> None:
        """A blank line before the next statement, if the block has something above it."""
        if self.lines and not self.lines[-1].endswith("{") and self.lines[-1] != "":
            self.blank_pending = True

    def word(self, tok: _Tok) -> None:
        if not self.line and self.blank_pending:
            self.lines.append("")
        self.blank_pending = False
        if self.line and self._space_before(tok):
            self.line.append(" ")
            self.measure += 1
        self.line.append(tok.text)
        after_weight = self.last is not None and self.last.kind == "number" and self.before_last is not None \
            and self.before_last.text in ("weight", "分值")  # fmt: skip
        self.measure += _measure(tok, after_weight)
        self.before_last, self.last = self.last, tok

    def comment(self, text: str, trailing: bool) -> None:
        if trailing and self.line:
            self.line.append("  " + text)
            self.end_line()
            return
        self.end_line()
        if self.blank_pending:
            self.lines.append("")
            self.blank_pending = False
        self.lines.append("  " * self.indent + text)

    def _space_before(self, tok: _Tok) -> bool:
        last = self.last
        if last is None:
            return False
        if tok.text in _CLOSE or tok.text in (",", ":", ";") or last.text in _OPEN:
            return False
        if tok.text == ".." or last.text == "..":
            return False
        if tok.text == "(" and last.kind == "name" and (not last.keyword or last.text in ("count", "计数")):
            return False  # a call: `shortfall(a, b)`, `count(T where …)`
        if tok.text == "(" and last.keyword and ENGLISH_OF_KEYWORD.get(last.text) == "grade" \
                and self.before_last is not None and self.before_last.text == ":":  # fmt: skip
            return False  # the type `grade(优, 良)`
        if last.text == "-" and (self.before_last is None or self.before_last.text in _BEFORE_SIGN
                                 or self.before_last.keyword):  # fmt: skip
            return False  # a sign: `-5`
        return True


def format_tokens(tokens: list[_Tok]) -> str:
    one_line = _one_line_blocks(tokens)
    while True:  # a block whose line would be too wide is expanded, and the text written again
        w = _write(tokens, one_line)
        if not w.too_wide:
            break
        one_line -= w.too_wide
    while w.lines and w.lines[-1] == "":
        w.lines.pop()
    return "\n".join(w.lines) + "\n" if w.lines else ""


def _write(tokens: list[_Tok], one_line: set[int]) -> _Writer:
    """The text written into a `_Writer`, the blocks whose `{` is in `one_line` kept on their line."""
    w = _Writer()
    depth = 0  # ( and [ nesting: line breaks inside them are not separators
    newlines = 0  # line breaks seen since the last token
    inside = False  # in a block kept on one line
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        k += 1
        if tok.kind == "nl":
            newlines += 1
            continue
        if tok.kind == "comment":
            trailing = newlines == 0 and bool(w.line)
            if not trailing:
                w.end_line()
                if newlines > 1:
                    w.blank()
            w.comment(tok.text, trailing)
            newlines = 0
            continue
        if tok.text == ";" and depth == 0:
            if not inside:
                newlines = max(newlines, 1)
            elif w.last is not None and w.last.text not in ("{", ";"):
                nxt = _next_significant(tokens, k)
                if nxt is not None and tokens[nxt].text != "}":
                    w.word(_Tok("op", ";"))  # `; ` between items; none doubled, none before `}`
            continue
        if newlines > 0 and depth == 0:
            if tok.keyword and tok.text in CONTINUATION_WORDS and not _opens_block(tokens, k):
                w.end_line()  # the statement goes on: the separator before it is dropped
                w.hanging = True
            elif tok.text != "{":  # a separator before `{` is dropped too: it joins its line
                w.end_line()
                if newlines > 1:
                    w.blank()
        newlines = 0
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _CLOSE:
            depth = max(depth - 1, 0)
        if tok.text == "{" and depth == 0:
            nxt = _next_significant(tokens, k)
            if nxt is not None and tokens[nxt].text == "}":
                w.word(tok)
                w.line.append("}")
                w.measure += 1
                k = nxt + 1
                continue
            w.word(tok)
            if k - 1 in one_line:
                w.one_line, inside = k - 1, True
                continue
            if k < len(tokens) and tokens[k].kind == "comment":
                w.comment(tokens[k].text, trailing=True)  # `{  # 说明`: the comment stays on its line
                k += 1
            w.end_line()
            w.indent += 1
            continue
        if tok.text == "}" and depth == 0 and inside:
            w.word(tok)
            inside = False
            continue
        if tok.text == "}" and depth == 0:
            w.end_line()
            w.blank_pending = False
            w.indent = max(w.indent - 1, 0)
            w.word(tok)
            continue
        w.word(tok)
    w.end_line()
    return w


def _one_line_blocks(tokens: list[_Tok]) -> set[int]:
    """The `{` of every block written on one line, as the author wrote it: its `}` on the same line, no
    comment and no other block inside it."""
    out: set[int] = set()
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _CLOSE:
            depth = max(depth - 1, 0)
        elif tok.text == "{" and depth == 0:
            inner = 0
            for t in tokens[i + 1:]:
                if t.kind in ("nl", "comment") or t.text == "{":
                    break
                if t.text in _OPEN:
                    inner += 1
                elif t.text in _CLOSE:
                    inner = max(inner - 1, 0)
                elif t.text == "}" and inner == 0:
                    out.add(i)
                    break
    return out


def _measure(tok: _Tok, after_weight: bool = False) -> int:
    """A word's width in columns (a Chinese character is two), the wider of its English and Chinese
    spellings: a line measures the same in either language, so `--lang` never changes which blocks stay
    on one line (and `fmt --lang en` then `--lang zh` gives what `--lang zh` gives)."""
    if after_weight and tok.text in ("满分", "full"):
        return 6  # `分值 10 满分 100` is `weight 10 out of 100`: `out` (3), a space and `of` (2)
    spellings = [tok.text]
    english = ENGLISH_OF_KEYWORD.get(tok.text) if tok.keyword else FUNCTION_OF.get(tok.text)
    if english is not None:
        spellings += [english, KEYWORDS.get(english, FUNCTIONS.get(english, english))]
    return max(_columns(text) for text in spellings)


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _opens_block(tokens: list[_Tok], k: int) -> bool:
    """Does the line going on at `k` open a `{` block (at its end, or first thing on the next line, as the
    parser reads it)? Then a `when` (`当`) that starts it is an arm of an `each` block (`when 属定性(指标值) {`),
    a statement of its own, not a clause of the one above."""
    depth = 0
    for j, tok in enumerate(tokens[k:], start=k):
        if depth == 0 and (tok.kind == "nl" or tok.text == ";"):
            following = next((t for t in tokens[j:] if t.kind not in ("nl", "comment") and t.text != ";"), None)
            return following is not None and following.text == "{"
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _CLOSE:
            depth = max(depth - 1, 0)
        elif tok.text == "{" and depth == 0:
            return True
    return False


def _next_significant(tokens: list[_Tok], k: int) -> int | None:
    """The next token that is not a line break or `;` (a comment counts: it must be kept)."""
    while k < len(tokens) and (tokens[k].kind == "nl" or tokens[k].text == ";"):
        k += 1
    return k if k < len(tokens) else None


def format_text(text: str, lang: str | None = None, name: str = "<rules>", verify: bool = True) -> str:
    """The canonical layout of a rule file's text; `lang` "zh" or "en" also translates its keywords.

    Raises RulesError if the text is not a valid rule file, FormatError if the formatted
    text would not load to an equal model (which would be a bug in the formatter).
    """
    return format_and_tell(text, lang, name, verify)[0]


def format_and_tell(text: str, lang: str | None = None, name: str = "<rules>",
                    verify: bool = True) -> tuple[str, bool]:
    """`format_text`, and whether the file is written in Chinese (what `perfrules fmt` says of it is then
    said in Chinese; False when not verified)."""
    from perfrules.engine import loads

    if text.startswith("\ufeff"):
        text = text[1:]
    before = loads(text, name) if verify else None
    formatted = format_tokens(_translate(_lex(text), lang))
    if before is not None:
        try:
            after = loads(formatted, name)
        except Exception as exc:  # pragma: no cover - a formatter bug, never the user's mistake
            raise FormatError(usage.FMT_DOES_NOT_LOAD(path=name, error=str(exc))) from None
        if model_key(before.model, lang is not None) != model_key(after.model, lang is not None):
            raise FormatError(usage.FMT_WOULD_CHANGE(path=name))
    return formatted, before is not None and before.model.chinese


def model_key(ruleset: Any, ignore_language: bool = False) -> Any:
    """A checked model as plain data for comparison: positions left out (they move with the layout),
    and with `ignore_language` the keyword language and the keyword spellings in source texts too."""

    def plain(value: Any) -> Any:
        kind = type(value)
        if records.has(kind) or attrs.has(kind):  # the checked model's records, the AST's attrs classes
            out = {}
            for field in records.fields(kind) if records.has(kind) else attrs.fields(kind):
                if not field.eq or (ignore_language and field.name in ("chinese", "chinese_keywords")):
                    continue
                out[field.name] = plain(getattr(value, field.name))
            return (type(value).__name__, out)
        if isinstance(value, (list, tuple)):
            return tuple(plain(v) for v in value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, str) and ignore_language:
            return _english_words(value)
        if isinstance(value, Decimal):
            return value  # Decimal("1.0") == Decimal("1"): equal values compare equal
        return value

    return plain(ruleset)


def _english_words(text: str) -> str:
    """A source text (`满分`, `未达(a, b)`) with its keywords and function names in English."""
    return re.sub(r"[^\W\d]\w*", lambda m: ENGLISH_OF_KEYWORD.get(m.group(), FUNCTION_OF.get(m.group(), m.group())),
                  text)


def files(paths: list[Any]) -> Iterator[Any]:
    """Rule files named, or found in folders (`*.rules`, recursively), in order."""
    from pathlib import Path

    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from sorted(path.rglob("*.rules"))
        else:
            yield path
