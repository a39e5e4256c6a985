"""The post-lexer between Lark's lexer and its parser: where statements end (newlines and `;`,
except where the spec says they don't), the nesting and size limits, and the parse state
(the file being parsed, its keyword counts and token count) that the post-lexer and the
AST builder share for one parse on one thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from lark import Token

from perfrules.diagnostics import Collector
from perfrules.source import Source
from perfrules.syntax.keywords import ALL_KEYWORDS, CHINESE_KEYWORDS, CONTINUATION_WORDS

# Nesting limits: deeper input is refused with a clear error instead of
# exhausting Python's recursion limit in the checker and the passes after it.
MAX_BRACKET_DEPTH = 64
MAX_BLOCK_DEPTH = 32
MAX_PREFIX_RUN = 64
MAX_STATEMENT_TOKENS = 400
# The pure-Python LALR parser reads about 140,000 tokens a second; this bounds a file to well under 1 s.
MAX_FILE_TOKENS = 60_000
MAX_NUMBER_DIGITS = 30

_OPEN = {"_LP", "_LBRACK"}
_CLOSE = {"_RP", "_RBRACK"}
_PREFIX_OPS = {"MINUS"}
_VALUE_TOKENS = {"NAME", "STRING", "NUMBER", "PERCENT"}


class ParseState(threading.local):
    """The parse in progress on this thread: the inline builder and post-lexer read it."""

    source: Source
    base: int = 0
    collector: Collector
    keywords: list[int]
    tokens: list[int]  # the file's token count so far, shared with the parses of its `{…}` insertions


parse_state = ParseState()


class Separators:
    """Post-lexer: newlines and `;` end statements, except where the spec says they don't.

    One _SEP survives for a run of them; none inside ( ) or [ ], after `{`,
    before `}`, at either end of the file, or before a continuation keyword.
    It also enforces the nesting limits, which need the same bracket counting.
    """

    always_accept: tuple[str, ...] = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        brackets = blocks = prefix_run = run_length = count = 0
        keywords = getattr(parse_state, "keywords", None)  # None when lexing outside parse()
        file_tokens = getattr(parse_state, "tokens", None)
        pending: Token | None = None
        previous: Token | None = None
        for tok, arm in _arms_marked(stream):
            if tok.type == "_SEP":
                if brackets == 0 and previous is not None and previous.type != "_LBRACE":
                    pending = pending or tok
                    run_length = 0
                continue
            run_length = 0 if tok.type in ("_LBRACE", "_RBRACE") else run_length + 1
            count += 1
            if file_tokens is not None:
                file_tokens[0] += 1
                if file_tokens[0] > MAX_FILE_TOKENS:
                    raise TooLarge(tok, parse_state.base)
            if count > MAX_FILE_TOKENS:
                raise TooLarge(tok, parse_state.base)
            if pending is None and previous is not None and previous.type == "_RBRACE" and brackets == 0 and (
                    arm or (tok.type != "NAME" and tok.value in ("else", "否则"))):
                # `when C { … } else { … }` on one line: the arms are statements of the `each` block
                yield Token.new_borrow_pos("_SEP", ";", tok)
            if pending is not None:
                continues = tok.type != "NAME" and tok.value in CONTINUATION_WORDS and not arm
                if not (continues or tok.type in ("_RBRACE", "_LBRACE")):
                    yield pending
                pending = None
            if tok.type in _OPEN:
                brackets += 1
            elif tok.type in _CLOSE:
                brackets = max(brackets - 1, 0)
            elif tok.type == "_LBRACE":
                blocks += 1
            elif tok.type == "_RBRACE":
                blocks = max(blocks - 1, 0)
            prefix_run = prefix_run + 1 if _is_prefix(tok) else 0
            if keywords is not None and tok.type not in _VALUE_TOKENS and tok.value in ALL_KEYWORDS:
                keywords[tok.value in CHINESE_KEYWORDS] += 1
            if (brackets > MAX_BRACKET_DEPTH or blocks > MAX_BLOCK_DEPTH or prefix_run > MAX_PREFIX_RUN
                    or run_length > MAX_STATEMENT_TOKENS):
                raise TooDeep(tok)
            previous = tok
            yield tok


def _arms_marked(stream: Iterator[Token]) -> Iterator[tuple[Token, bool]]:
    """Each token, and whether it is a `when` that opens an `each` arm (spec section 10).

    A line that begins with `when` continues the statement above, unless the condition
    is followed by `{`, on the same line or at the start of the next (no statement starts
    with `{`): then it starts an arm `when COND { ... }`.
    """
    after_newline = True
    buffered: list[Token] = []
    depth = 0
    line_ended = False  # the `when` line ended: the next token that is not a newline decides
    for tok in stream:
        if buffered and line_ended:
            if tok.type == "_SEP":
                buffered.append(tok)
                continue
            yield buffered[0], tok.type == "_LBRACE"
            yield from ((t, False) for t in buffered[1:])
            buffered, line_ended, after_newline = [], False, True
        elif buffered:
            buffered.append(tok)
            if tok.type in _OPEN:
                depth += 1
            elif tok.type in _CLOSE:
                depth = max(depth - 1, 0)
            if tok.type == "_SEP" and depth == 0 and len(buffered) <= MAX_STATEMENT_TOKENS:
                line_ended = True
                continue
            ends_line = (tok.type == "_SEP" and depth == 0) or tok.type == "_RBRACE"
            if tok.type == "_LBRACE" or ends_line or len(buffered) > MAX_STATEMENT_TOKENS:
                yield buffered[0], tok.type == "_LBRACE"
                yield from ((t, False) for t in buffered[1:])
                buffered = []
                after_newline = ends_line
            continue
        if after_newline and tok.type != "NAME" and tok.value in ("when", "当"):
            buffered.append(tok)
            depth = 0
            continue
        # a statement starts after a newline or `;`, and after a `}` (`… } when C { … }` on one line)
        after_newline = tok.type in ("_SEP", "_RBRACE")
        yield tok, False
    if buffered:
        yield buffered[0], False
        yield from ((t, False) for t in buffered[1:])


def _is_prefix(tok: Token) -> bool:
    return tok.type in _PREFIX_OPS or (tok.type != "NAME" and tok.value in ("not", "非", "if", "如果"))


class TooLarge(Exception):
    def __init__(self, token: Token, base: int = 0):
        self.token = token
        self.base = base  # where the text holding the token starts in the file (a `{…}` insertion's)


class TooDeep(Exception):
    def __init__(self, token: Token):
        self.token = token


