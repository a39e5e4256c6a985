"""Syntax error recovery: every syntax error of a file in one run, and the statements around them.

Driven through Lark's public LALR interactive parser (`Lark.parse_interactive`). At a syntax
error the statement holding it is dropped, in the manner of yacc's `error` token without
one in the grammar:

1. the tokens from the error on are skipped up to the end of that statement: the next
   statement separator or `}` outside any block the skipped text opens, or the end of the file;
2. the parser's stack is popped until it accepts that token (the separator, the `}` that
   closes the block the statement stood in, the end of the file), or, for a separator,
   until it accepts the token after it (the start of the next statement).

Every recovery consumes at least one token, so it ends. The parser keeps building the AST
as it reduces (lalr.build_while_parsing), so what it returns is the file's AST without
the dropped statements; `dropped` holds their text ranges, for the checker's consequences
of a dropped statement (a name it declared, a weight it carried) to be left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from perfrules.catalogue import diagnostics as say
from perfrules.syntax.lalr import copy_interactive
from perfrules.syntax.messages import refused_names

MAX_SYNTAX_ERRORS = 50  # a file with more is not worth reading error by error


class _Stream:
    """The post-lexed tokens, with one token of look-ahead and a way past a bad character."""

    def __init__(self, interactive: Any, text: str, report: Callable[[UnexpectedInput], None]) -> None:
        self.interactive = interactive
        self.text = text
        self.report = report
        self.tokens: Iterator[Token] = interactive.lexer_thread.lex(interactive.parser_state)
        self.ahead: list[Token] = []
        self.last: Token | None = None
        self.quiet = False  # while the rest of a statement with an error is skipped

    def next(self) -> Token:
        """The next token; `$END` at the end (and ever after). A character no token starts
        with is reported and stepped over; it then reads as a token of type `$BAD`."""
        if self.ahead:
            return self.ahead.pop()
        try:
            token = next(self.tokens)
        except StopIteration:
            return Token.new_borrow_pos("$END", "", self.last) if self.last else Token("$END", "", 0, 1, 1)
        except UnexpectedCharacters as exc:
            if not self.quiet:  # a character in a statement already reported is part of that report
                self.report(exc)
            state = self.interactive.lexer_thread.state
            pos = state.line_ctr.char_pos
            state.line_ctr.feed(self.text[pos : pos + 1])  # past the character, as Lark's on_error does
            self.tokens = self.interactive.lexer_thread.lex(self.interactive.parser_state)
            return Token("$BAD", self.text[pos : pos + 1], pos, exc.line, exc.column, end_pos=pos + 1)
        self.last = token
        return token

    def push_back(self, token: Token) -> None:
        self.ahead.append(token)


def _accepts(interactive: Any, token: Token) -> bool:
    """Would the parser take this token now? Tried on a copy of the parser."""
    try:
        copy_interactive(interactive).feed_token(token)
    except UnexpectedToken:
        return False
    return True


def _close_blocks(interactive: Any, end: Token) -> bool:
    """At the end of the file, close the open blocks with `}` while the parser takes them; True if it
    can then end. Tried on a copy first: on failure the parser is left as it was."""
    trial = copy_interactive(interactive)
    brace = Token.new_borrow_pos("_RBRACE", "}", end)
    while not _accepts(trial, end):
        if not _accepts(trial, brace):
            return False
        trial = copy_interactive(trial)  # fed on a fresh copy: the trial's own inlined nodes stay unshared too
        trial.feed_token(brace)
    while not _accepts(interactive, end):
        interactive.feed_token(brace)
    return True


def _pop(state: Any, skipped_from: int) -> int:
    """Pop the parser's top state and value; the dropped text now starts where that value did, if earlier."""
    popped = state.value_stack.pop()
    state.state_stack.pop()
    begin = _start_of(popped)
    return min(skipped_from, begin) if begin is not None else skipped_from


def _boundary(value: Any) -> bool:
    """A separator or `{` on the stack: where a statement (or an arm of a block) begins."""
    return isinstance(value, Token) and value.type in ("_SEP", "_LBRACE")


def _start_of(value: Any) -> int | None:
    start = getattr(value, "start_pos", None)
    return start if isinstance(start, int) else None


class Recovered:
    """What a recovering parse gives: the result (None if nothing could be kept) and the dropped text."""

    def __init__(self, value: Any, dropped: list[tuple[int, int]], errors: int) -> None:
        self.value = value
        self.dropped = dropped
        self.errors = errors


def parse_recovering(parser: Lark, text: str, start: str, report: Callable[[UnexpectedInput], None]) -> Recovered:
    """Parse `text`, reporting every syntax error through `report` and dropping the statements that hold them."""
    reported: list[UnexpectedInput] = []

    def counted(exc: UnexpectedInput) -> None:
        reported.append(exc)
        if len(reported) <= MAX_SYNTAX_ERRORS:
            report(exc)

    interactive = parser.parse_interactive(text, start=start)
    stream = _Stream(interactive, text, counted)
    dropped: list[tuple[int, int]] = []
    state = interactive.parser_state
    while True:
        token = stream.next()
        if token.type != "$BAD":  # a bad character is reported by the stream
            try:
                if token.type == "$END":
                    return Recovered(interactive.feed_token(token), dropped, len(reported))
                interactive.feed_token(token)
                continue
            except UnexpectedToken as exc:
                counted(exc)
        if len(reported) > MAX_SYNTAX_ERRORS:
            return Recovered(None, dropped, len(reported))
        # 1. skip to the end of the statement
        skipped_from = token.start_pos if token.start_pos is not None else len(text)
        depth = 0
        stream.quiet = True
        while True:
            kind = token.type
            if kind == "$END" or (kind == "_SEP" and depth == 0) or (kind == "_RBRACE" and depth == 0):
                break
            if kind == "_LBRACE":
                depth += 1
            elif kind == "_RBRACE":
                depth -= 1
            token = stream.next()
        stream.quiet = False
        sync = token
        after = stream.next() if sync.type == "_SEP" else None
        # 2. pop the statement's beginning off the stack, then what it stood in until the parser can go on
        if sync.type == "$END" and _close_blocks(interactive, sync):
            stream.push_back(sync)  # the last statement was whole: only its blocks' `}` were missing
            dropped.append((skipped_from, skipped_from))
            continue
        while len(state.state_stack) > 1 and not _boundary(state.value_stack[-1]):
            skipped_from = _pop(state, skipped_from)
        if sync.type != "_SEP":  # at a statement boundary a separator is not needed: dropped
            while True:
                if _accepts(interactive, sync):
                    if sync.type == "$END":
                        stream.push_back(sync)
                    else:
                        interactive.feed_token(sync)
                    break
                if sync.type == "$END":
                    # the file ends inside blocks: close them, keeping what they hold (reported once, above)
                    brace = Token.new_borrow_pos("_RBRACE", "}", sync)
                    if _accepts(interactive, brace):
                        interactive.feed_token(brace)
                        continue
                if len(state.state_stack) <= 1:
                    if sync.type == "$END":
                        return Recovered(None, dropped, len(reported))
                    break  # a `}` nothing can take: dropped
                skipped_from = _pop(state, skipped_from)
        if after is not None:
            stream.push_back(after)
        end = sync.start_pos if sync.start_pos is not None else len(text)
        dropped.append((skipped_from, max(end, skipped_from)))


# Checker errors that a dropped statement can cause by its absence: a name it declared,
# a weight (an `each`'s `weight COLUMN` included: E407), rule, arm, label or header item it
# carried. Each is left out when a dropped statement lies in its reach (the block its span
# opens, or the whole file).
_NAMES = ("E201", "E202")
_ABSENCE_IN_BLOCK = ("E218", "E402", "E407", "E430", "E434", "E436")
_ABSENCE_IN_FILE = ("E410", "E420", "E421")


def with_checker_errors(error: Any, check: Callable[[Any], Any]) -> Any:
    """The syntax errors of `error` (a parse.SyntaxErrors), then the checker's errors of the
    statements that parsed, without those a dropped statement may have caused."""
    from perfrules.diagnostics import PerfrulesError, RulesError

    partial, dropped = error.partial, error.dropped
    if partial is None:
        return error
    try:
        check(partial)
    except PerfrulesError as exc:
        text = partial.source.text
        dropped_text = [text[a:b] for a, b in dropped]
        # a column refused as a keyword (E105, `score: number` in a rows input) is not there: an
        # aggregate naming it (`mean(T.score)`, E212) is fixed by the same rename
        refused = refused_names(error.diagnostics)
        kept = [d for d in exc.diagnostics if not _caused_by_dropping(d, text, dropped, dropped_text)
                and not (d.code == "E212" and d.span is not None and d.span.text().rsplit(".", 1)[-1] in refused)]
        return RulesError([*error.diagnostics, *kept])
    return error


def _caused_by_dropping(d: Any, text: str, dropped: list[tuple[int, int]], dropped_text: list[str]) -> bool:
    if not dropped:
        return False
    if d.code in _ABSENCE_IN_FILE or d.span is None or (d.code == "E402" and d.said.message == say.E402_NO_INDICATORS):
        return d.code in _ABSENCE_IN_FILE or d.code == "E402"
    if d.code in _NAMES:
        name = d.span.text()
        return any(name in piece for piece in dropped_text)
    # an indicator without `weight` whose `each … weight COLUMN` was dropped (`each 指标 {`, a keyword) has one
    if d.code in _ABSENCE_IN_BLOCK or (d.code == "E411" and d.said.message == say.E411_NO_WEIGHT):
        low, high = d.span.start, _block_end(text, d.span.start)
        return any(low <= a <= high for a, _ in dropped)
    return False


def _block_end(text: str, pos: int) -> int:
    """The offset of the `}` closing the first block opened at or after `pos` (quotes and comments skipped)."""
    depth = 0
    i = pos
    while i < len(text):
        ch = text[i]
        if ch == '"':
            close = text.find('"', i + 1)
            while close > 0 and text[close - 1] == "\\":
                close = text.find('"', close + 1)
            i = close if close > 0 else len(text)
        elif ch == "#":
            newline = text.find("\n", i)
            i = newline if newline >= 0 else len(text)
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth <= 0:
                return i
        i += 1
    return len(text)
