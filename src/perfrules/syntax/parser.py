"""Text -> AST: the parse of a file (and of the `{…}` insertions in its texts), and the builder
that makes AST nodes as the parser reduces. Lark itself is reached only through syntax/lalr.py;
where statements end, and the limits, are syntax/lexing.py's; what a syntax error is called,
and what to write instead, is syntax/messages.py's."""

from __future__ import annotations

import functools
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
from lark import Token
from lark.exceptions import (
    UnexpectedInput,
)

from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.decimal_context import CONTEXT
from perfrules.diagnostics import Collector, Diagnostic, RulesError
from perfrules.source import Source, Span
from perfrules.syntax import lalr, nodes
from perfrules.syntax.keywords import ALL_KEYWORDS, spelled
from perfrules.syntax.lalr import Node
from perfrules.syntax.lexing import (
    MAX_BLOCK_DEPTH,
    MAX_BRACKET_DEPTH,
    MAX_FILE_TOKENS,
    MAX_NUMBER_DIGITS,
    MAX_PREFIX_RUN,
    MAX_STATEMENT_TOKENS,
    Separators,
    TooDeep,
    TooLarge,
)
from perfrules.syntax.lexing import parse_state as _state
from perfrules.syntax.messages import refused_names, syntax_diagnostic


@functools.cache
def _lark() -> Any:
    # Built on first use, not at import: `import perfrules` stays cheap.
    return lalr.make_parser(Separators(), _RULE_FUNCTIONS, _BUILDER)


def write_tables(path: str | Path) -> None:
    """Write the parser tables for the grammar and the installed lark (lalr.TABLES).

    python -c "from perfrules.syntax.parser import write_tables; write_tables('grammars/perfrules.tables.pickle')"
    """
    lalr.write_tables(path, Separators())


@functools.cache
def _terminal_words() -> dict[str, Said | str]:
    """Terminal name -> how a user would call it, for 'expected ...' lists."""
    words: dict[str, Said | str] = {name: word() for name, word in say.TERMINALS.items()}
    words |= {
        "_LBRACE": "`{`", "_RBRACE": "`}`",
        "_LP": "`(`", "_RP": "`)`", "_LBRACK": "`[`", "_RBRACK": "`]`",
        "_COLON": "`:`", "_COMMA": "`,`", "_ASSIGN": "`=`", "_DOTDOT": "`..`",
        "GE": "`>=`", "GT": "`>`", "LE": "`<=`", "LT": "`<`", "EQ": "`==`", "NE": "`!=`",
        "PLUS": "`+`", "MINUS": "`-`", "TIMES": "`*`", "DIVIDE": "`/`",
    }  # fmt: skip
    from perfrules.syntax.keywords import ENGLISH_OF_KEYWORD

    for term in _lark().terminals:
        value = getattr(term.pattern, "value", None)
        if term.name not in words and isinstance(value, str) and value in ALL_KEYWORDS:
            words[term.name] = spelled(ENGLISH_OF_KEYWORD[value])
    return words


class SyntaxErrors(RulesError):
    """Syntax errors, with the statements that parsed around them (`partial`) for the checker."""

    def __init__(self, diagnostics: Any, partial: nodes.RuleFile | None, dropped: list[tuple[int, int]]):
        super().__init__(diagnostics)
        self.partial = partial
        self.dropped = dropped


def parse(source: Source) -> nodes.RuleFile:
    """Parse a rule file; raise RulesError (a SyntaxErrors) with every syntax error."""
    collector = Collector()
    keywords = [0, 0]  # [English, Chinese] keyword tokens seen
    dropped: list[tuple[int, int]] | None = None

    name_places: set[int] = set()  # where a keyword stood in a name's place (E101): see _without_uses_of_reserved

    def run() -> Any:
        nonlocal dropped
        _state.name_places = name_places
        value, dropped = _run_parser_recovering(source, collector)
        return value

    statements = _with_state(source, 0, collector, keywords, run, [0])
    chinese = keywords[1] > keywords[0]
    if collector:
        partial = nodes.RuleFile(source, tuple(statements), chinese) if statements is not None else None
        items = _without_uses_of_reserved(_unique(collector.items), name_places)
        error = SyntaxErrors(items, partial, dropped or [])
        error.chinese = chinese  # the keywords read before and around the errors
        raise error
    return nodes.RuleFile(source, tuple(statements), chinese)


def parse_expression(source: Source, text: str, base: int, collector: Collector) -> nodes.Expr | None:
    """Parse an expression found at offset `base` of `source` (a `{...}` in a because text)."""
    # `{…}` insertions count toward the file's token limit: 5,000 insertions of 399 tokens each
    # are a file of two million tokens (issue 16)
    tokens = getattr(_state, "tokens", None) or [0]
    result: nodes.Expr | None = _with_state(
        source, base, collector, [0, 0], lambda: _run_parser(source, text, "expr", collector, base, nested=True), tokens
    )
    return result


def _with_state(source: Source, base: int, collector: Collector, keywords: list[int], run: Any,
                tokens: list[int]) -> Any:
    saved = dict(_state.__dict__)
    _state.source, _state.base, _state.collector, _state.keywords = source, base, collector, keywords
    _state.tokens = tokens
    try:
        return run()
    finally:
        _state.__dict__.clear()
        _state.__dict__.update(saved)


def _run_parser(source: Source, text: str, start: str, collector: Collector, base: int = 0,
                nested: bool = False) -> Any:
    parser = _lark()
    reported = len(collector.items)
    try:
        try:
            return cast(Node, parser.parse(text, start=start)).value
        except (TooDeep, TooLarge, UnexpectedInput, RecursionError):
            # The AST is built during the parse: of a text that doesn't parse, report only why.
            del collector.items[reported:]
            raise
    except TooDeep as exc:
        collector.error(
            say.E104_TOO_DEEP(brackets=MAX_BRACKET_DEPTH, blocks=MAX_BLOCK_DEPTH, signs=MAX_PREFIX_RUN,
                              tokens=MAX_STATEMENT_TOKENS),
            Span(source, base + _start(exc.token), base + _end(exc.token)),
            help=say.E104_SPLIT_OR_FLATTEN(),
        )
    except TooLarge as exc:
        if nested:
            raise  # the file is too large, not this insertion: the file's parse stops and says so once
        collector.error(say.E107_TOO_MANY_TOKENS(limit=MAX_FILE_TOKENS),
                        Span(source, exc.base + _start(exc.token), exc.base + _end(exc.token)),
                        help=say.SPLIT_LARGE_FILE())
    except UnexpectedInput as exc:
        collector.items.append(_syntax_error(source, text, base, exc))
    except RecursionError:
        collector.error(say.E104_NESTING(), Span(source, base, base), help=say.E104_SPLIT_FORMULA())
    return None


def _run_parser_recovering(source: Source, collector: Collector) -> tuple[Any, list[tuple[int, int]] | None]:
    """A whole file: parsed at full speed; if it has a syntax error, parsed again recovering from
    each (perfrules.syntax.recovery), to report every one and keep the statements around them."""
    from perfrules.syntax.recovery import parse_recovering

    reported = len(collector.items)
    value = _run_parser(source, source.text, "start", collector)
    if not getattr(_lark(), "recovers", True):
        return value, None  # lark's public API only (lalr.PublicParser): the first error alone
    syntax_only = [d for d in collector.items[reported:] if d.code in ("E101", "E102", "E103", "E105")]
    if value is not None or len(syntax_only) != len(collector.items) - reported or not syntax_only \
            or syntax_only[0].said.message == say.E101_LOOKS_LIKE_FACTS:
        return value, None  # parsed, stopped by a limit (E104, E107), or not a rule file: nothing to recover
    first = collector.items[reported:]
    del collector.items[reported:]
    _state.keywords[:] = [0, 0]
    _state.tokens[0] = 0
    try:
        recovered = parse_recovering(
            _lark(), source.text, "start",
            lambda exc: collector.items.append(_syntax_error(source, source.text, 0, exc)),
        )
    except (TooDeep, TooLarge, RecursionError):
        del collector.items[reported:]
        collector.items.extend(first)
        return None, None
    if not any(d.code.startswith("E1") for d in collector.items[reported:]):
        collector.items.extend(first)  # pragma: no cover - the recovering parse meets the same first error
    node = recovered.value
    return (node.value if type(node) is Node else None), recovered.dropped


def _unique(items: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics once each: the recovering parse tries tokens on copies of the parser, whose
    reductions run the builder (and report what it reports) before the real ones do."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for d in items:
        key = (d.code, d.message, d.location())
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _syntax_error(source: Source, text: str, base: int, exc: UnexpectedInput) -> Diagnostic:
    """`syntax_diagnostic`, noting (in `_state.name_places`) where a keyword stood where a name could."""
    diagnostic = syntax_diagnostic(source, text, base, exc, _terminal_words())
    token = getattr(exc, "token", None)
    expected = {*(getattr(exc, "expected", ()) or ()), *(getattr(exc, "accepts", ()) or ())}
    places = getattr(_state, "name_places", None)
    if places is not None and diagnostic.code == "E101" and token is not None and token.type != "STRING" \
            and token.value in ALL_KEYWORDS and "NAME" in expected:  # fmt: skip
        places.add(base + _start(token))
    return diagnostic


def _without_uses_of_reserved(items: list[Diagnostic], name_places: set[int]) -> list[Diagnostic]:
    """Without the E101 at each use of a keyword that E105 already refused as a name (`分值: number`
    in a `rows`, then `weight 分值`): renaming it, as E105's help says, fixes them all. Only where a
    name could stand (`name_places`): the same keyword misplaced as a keyword (`weight 5 weight 5`)
    is an error of its own, which the rename does not fix."""
    reserved = refused_names(items)
    if not reserved:
        return items
    return [d for d in items if not (d.code == "E101" and d.span is not None and d.span.text() in reserved
                                     and d.span.start in name_places)]


# ---- parse tree -> AST --------------------------------------------------------------


def _start(tok: Token) -> int:
    return tok.start_pos or 0


def _end(tok: Token) -> int:
    return tok.end_pos or 0


def _decimal(tok: Token) -> Decimal:
    # a number refused for its length stands as 1 in the tree, so that the checker, which still
    # reads the rest of the file, never computes with it (the engine's numbers stay below 10^30)
    return Decimal(str(tok)) if _digits_ok(tok) else Decimal(1)


def _percent(tok: Token) -> Decimal:
    return Decimal(str(tok)[:-1]).scaleb(-2, CONTEXT) if _digits_ok(tok) else Decimal(1)


def _digits_ok(tok: Token) -> bool:
    if len(tok) <= MAX_NUMBER_DIGITS:
        return True
    digits = sum(ch.isdigit() for ch in str(tok))
    if digits > MAX_NUMBER_DIGITS:
        span = Span(_state.source, _state.base + _start(tok), _state.base + _end(tok))
        _state.collector.error(say.E107_TOO_MANY_DIGITS(digits=digits, limit=MAX_NUMBER_DIGITS), span,
                               help=say.E107_SHORTEN())
        return False
    return True


class _Builder:
    """Builds AST nodes; each method handles exactly one grammar alternative.

    The parser calls them as it reduces, with the rule's Node (for the span) and its children.
    """

    @property
    def source(self) -> Source:
        return _state.source

    @property
    def base(self) -> int:
        return _state.base

    @property
    def collector(self) -> Collector:
        return _state.collector

    # spans
    # These two make most of the spans: they read _state once rather than through the properties.
    def _span(self, meta: Node) -> Span:
        state, start, end = _state, meta.start_pos, meta.end_pos
        if start is None or end is None:
            return Span(state.source, state.base, state.base)
        return Span(state.source, state.base + start, state.base + end)

    def _tok(self, tok: Token) -> Span:
        state = _state
        return Span(state.source, state.base + (tok.start_pos or 0), state.base + (tok.end_pos or 0))

    def _text(self, tok: Token) -> str:
        _refuse_controls(tok, self.source, self.base, self.collector)
        return _unescape(str(tok)[1:-1])

    def _template(self, tok: Token) -> nodes.Template:
        _refuse_controls(tok, self.source, self.base, self.collector)
        return _template(tok, self.source, self.base, self.collector)

    # file
    def start(self, meta: Any, *items: Any) -> list[Any]:
        return [i for i in items if i is not None]

    def ruleset_header(self, meta: Any, name: Token, *items: Any) -> nodes.Header:
        return nodes.Header(self._text(name), tuple(i for i in items if i is not None),
                          self._tok(name), self._span(meta))

    def version(self, meta: Any, text: Token) -> nodes.HeaderItem:
        return nodes.HeaderItem("version", self._text(text), self._span(meta))

    def total(self, meta: Any, number: Token) -> nodes.HeaderItem:
        return nodes.HeaderItem("total", _decimal(number), self._span(meta))

    def precision(self, meta: Any, number: Token) -> nodes.HeaderItem:
        return nodes.HeaderItem("precision", _decimal(number), self._span(meta))

    def cite(self, meta: Any, text: Token) -> nodes.HeaderItem:
        return nodes.HeaderItem("cite", self._text(text), self._span(meta))

    def rating(self, meta: Any, *arms: nodes.RatingArm | None) -> nodes.HeaderItem:
        rating = nodes.Rating(tuple(a for a in arms if a is not None), self._span(meta))
        return nodes.HeaderItem("rating", rating, self._span(meta))

    def rating_arm(self, meta: Any, op: tuple[str, Span], threshold: nodes.Expr,
                   label: Token) -> nodes.RatingArm:  # fmt: skip
        return nodes.RatingArm(op[0], threshold, self._text(label), self._span(meta))

    def rating_else(self, meta: Any, label: Token) -> nodes.RatingArm:
        return nodes.RatingArm(None, None, self._text(label), self._span(meta))

    # declarations
    def input_decl(self, meta: Any, name: Token, type_: nodes.TypeSpec,
                   range_: tuple[nodes.Expr, nodes.Expr] | None, label: Token | None,
                   default: nodes.Expr | None) -> nodes.Input:  # fmt: skip
        low, high = range_ if range_ is not None else (None, None)
        return nodes.Input(str(name), type_, low, high, self._text(label) if label else None,
                         default, self._tok(name), self._span(meta))

    def rows_decl(self, meta: Any, name: Token, label: Token | None, *columns: nodes.Column | None) -> nodes.RowsInput:
        return nodes.RowsInput(str(name), self._text(label) if label else None,
                             tuple(c for c in columns if c is not None), self._tok(name), self._span(meta))

    def column(self, meta: Any, name: Token, type_: nodes.TypeSpec, optional: bool | None,
               range_: tuple[nodes.Expr, nodes.Expr] | None, label: Token | None,
               default: nodes.Expr | None) -> nodes.Column:  # fmt: skip
        low, high = range_ if range_ is not None else (None, None)
        return nodes.Column(str(name), type_, bool(optional), low, high, self._text(label) if label else None,
                          default, self._tok(name), self._span(meta))

    def column_optional_last(self, meta: Any, name: Token, type_: nodes.TypeSpec,
                             range_: tuple[nodes.Expr, nodes.Expr], optional: bool, label: Token | None,
                             default: nodes.Expr | None) -> nodes.Column:  # fmt: skip
        """`得: number in 0..100 optional`: the range before `optional`, as inputs write their range
        right after the type (spec §10 gives no order; both read alike)."""
        return self.column(meta, name, type_, optional, range_, label, default)

    def optional(self, meta: Any) -> bool:
        return True

    def t_measure(self, meta: Any) -> nodes.TypeSpec:
        return nodes.TypeSpec("measure", span=self._span(meta))

    def t_direction(self, meta: Any) -> nodes.TypeSpec:
        return nodes.TypeSpec("direction", span=self._span(meta))

    def range(self, meta: Any, low: nodes.Expr, high: nodes.Expr) -> tuple[nodes.Expr, nodes.Expr]:
        return (low, high)

    def param_decl(self, meta: Any, name: Token, expr: nodes.Expr, label: Token | None,
                   cite: nodes.HeaderItem | None) -> nodes.Param:  # fmt: skip
        return nodes.Param(str(name), expr, self._text(label) if label else None,
                         str(cite.value) if cite else None, self._tok(name), self._span(meta))

    def let_decl(self, meta: Any, name: Token, type_: nodes.TypeSpec | None, expr: nodes.Expr) -> nodes.Let:
        return nodes.Let(str(name), type_, expr, self._tok(name), self._span(meta))

    def t_number(self, meta: Any) -> nodes.TypeSpec:
        return nodes.TypeSpec("number", span=self._span(meta))

    def t_percent(self, meta: Any) -> nodes.TypeSpec:
        return nodes.TypeSpec("percent", span=self._span(meta))

    def t_count(self, meta: Any) -> nodes.TypeSpec:
        return nodes.TypeSpec("count", span=self._span(meta))

    def t_bool(self, meta: Any) -> nodes.TypeSpec:
        return nodes.TypeSpec("bool", span=self._span(meta))

    def t_text(self, meta: Any) -> nodes.TypeSpec:
        return nodes.TypeSpec("text", span=self._span(meta))

    def t_grade(self, meta: Any, *labels: tuple[str, Span]) -> nodes.TypeSpec:
        return nodes.TypeSpec("grade", tuple(t for t, _ in labels), tuple(s for _, s in labels),
                            span=self._span(meta))

    def label(self, meta: Any, tok: Token) -> tuple[str, Span]:
        text = self._text(tok) if tok.type == "STRING" else str(tok)
        return (text, self._tok(tok))

    # indicators
    def indicator(self, meta: Any, name: Token, label: Token | None, weight: Token | None,
                  out_of: Token | None, cite: nodes.HeaderItem | None, *items: Any) -> nodes.Indicator:  # fmt: skip
        return nodes.Indicator(
            str(name), self._text(label) if label else None, _decimal(weight) if weight is not None else None,
            str(cite.value) if cite else None, tuple(i for i in items if i is not None),
            self._tok(name), self._tok(weight) if weight is not None else self._tok(name), self._span(meta),
            out_of=_decimal(out_of) if out_of is not None else None,
        )

    def each(self, meta: Any, table: Token, *items: Any) -> nodes.Each:
        return nodes.Each(str(table), tuple(i for i in items if i is not None), self._tok(table), self._span(meta))

    def where_setting(self, meta: Any, cond: nodes.Expr) -> nodes.Setting:
        return nodes.Setting("where", cond, self._span(meta))

    def group_setting(self, meta: Any, name: Token) -> nodes.Setting:
        return nodes.Setting("group", nodes.Name(str(name), self._tok(name)), self._span(meta))

    def key_setting(self, meta: Any, name: Token) -> nodes.Setting:
        return nodes.Setting("key", nodes.Name(str(name), self._tok(name)), self._span(meta))

    def weight_column(self, meta: Any, name: Token) -> nodes.Setting:
        return nodes.Setting("weight", nodes.Name(str(name), self._tok(name)), self._span(meta))

    def weight_evenly(self, meta: Any) -> nodes.Setting:
        return nodes.Setting("weight", None, self._span(meta))

    def each_arm(self, meta: Any, cond: nodes.Expr, *items: Any) -> nodes.EachArm:
        return nodes.EachArm(cond, tuple(i for i in items if i is not None), self._span(meta))

    def each_else(self, meta: Any, *items: Any) -> nodes.EachArm:
        return nodes.EachArm(None, tuple(i for i in items if i is not None), self._span(meta))

    def applies_share(self, meta: Any, cond: nodes.Expr) -> nodes.Applies:
        return nodes.Applies(cond, "share", self._span(meta))

    def judged_from_rule(self, meta: Any, column: Token, band: Token | None, *bands: nodes.Band | None) -> nodes.Rule:
        present = tuple(b for b in bands if b is not None)
        has_bands = bool(present) or len(bands) > 1
        return self._rule(meta, "judged", bands=present if has_bands else None,
                          from_column=nodes.Name(str(column), self._tok(column)),
                          band_column=nodes.Name(str(band), self._tok(band)) if band is not None else None)

    def note(self, meta: Any, text: Token) -> nodes.Note:
        return nodes.Note(self._text(text), self._span(meta))

    def applies_full(self, meta: Any, cond: nodes.Expr) -> nodes.Applies:
        return nodes.Applies(cond, "full", self._span(meta))

    def applies_rescale(self, meta: Any, cond: nodes.Expr) -> nodes.Applies:
        return nodes.Applies(cond, "rescale", self._span(meta))

    def rule(self, meta: Any, body: nodes.Rule, because: nodes.Clause | None) -> nodes.Rule:
        template = because.value if because is not None else None
        assert template is None or isinstance(template, nodes.Template)
        return attrs.evolve(body, because=template, span=self._span(meta))

    def _rule(self, meta: Any, kind: Any, **fields: Any) -> nodes.Rule:
        span = self._span(meta)
        return nodes.Rule(kind, span=span, **fields)

    def full_rule(self, meta: Any) -> nodes.Rule:
        return self._rule(meta, "full")

    def ratio_rule(self, meta: Any, expr: nodes.Expr) -> nodes.Rule:
        return self._rule(meta, "ratio", expr=expr)

    def score_rule(self, meta: Any, expr: nodes.Expr) -> nodes.Rule:
        return self._rule(meta, "score", expr=expr)

    def tiers_rule(self, meta: Any, expr: nodes.Expr, *arms: nodes.TierArm | None) -> nodes.Rule:
        return self._rule(meta, "tiers", expr=expr, tiers=tuple(a for a in arms if a))

    def grade_rule(self, meta: Any, expr: nodes.Expr, *arms: nodes.GradeArm | None) -> nodes.Rule:
        return self._rule(meta, "grade", expr=expr, grades=tuple(a for a in arms if a))

    def checklist_rule(self, meta: Any, *items: nodes.CheckItem | None) -> nodes.Rule:
        return self._rule(meta, "checklist", items=tuple(i for i in items if i))

    def judged_rule(self, meta: Any, *bands: nodes.Band | None) -> nodes.Rule:
        present = tuple(b for b in bands if b is not None)
        # `judged` alone has no bands; `judged bands {}` has an empty tuple.
        has_bands = bool(present) or len(bands) > 1
        return self._rule(meta, "judged", bands=present if has_bands else None)

    def tier_arm(self, meta: Any, op: tuple[str, Span], value: nodes.Expr,
                 outcome: nodes.Outcome) -> nodes.TierArm:  # fmt: skip
        return nodes.TierArm(op[0], value, outcome, self._span(meta))

    def tier_else(self, meta: Any, outcome: nodes.Outcome) -> nodes.TierArm:
        return nodes.TierArm(None, None, outcome, self._span(meta))

    def grade_arm(self, meta: Any, label: tuple[str, Span], outcome: nodes.Outcome) -> nodes.GradeArm:
        return nodes.GradeArm(label[0], outcome, label[1], self._span(meta))

    def grade_else(self, meta: Any, outcome: nodes.Outcome) -> nodes.GradeArm:
        span = self._span(meta)
        return nodes.GradeArm(None, outcome, span, span)

    def check_item(self, meta: Any, text: Token, outcome: nodes.Outcome,
                   cond: nodes.Expr | None) -> nodes.CheckItem:  # fmt: skip
        return nodes.CheckItem(self._text(text), outcome, cond, self._span(meta))

    def band(self, meta: Any, label: Token, interval: tuple[Any, ...]) -> nodes.Band:
        low_closed, low, high, high_closed = interval
        return nodes.Band(self._text(label), low, low_closed, high, high_closed, self._span(meta))

    def interval(self, meta: Any, open_: bool, low: nodes.Expr, high: nodes.Expr,
                 close: bool) -> tuple[Any, ...]:  # fmt: skip
        return (open_, low, high, close)

    def closed_bound(self, meta: Any) -> bool:
        return True

    def open_bound(self, meta: Any) -> bool:
        return False

    def outcome_full(self, meta: Any) -> nodes.Outcome:
        return nodes.Outcome("full", Decimal(1), self._span(meta))

    def outcome_share(self, meta: Any, tok: Token) -> nodes.Outcome:
        return nodes.Outcome("share", _percent(tok), self._span(meta))

    def outcome_points(self, meta: Any, tok: Token) -> nodes.Outcome:
        return nodes.Outcome("points", _decimal(tok), self._span(meta))

    # adjustments
    def adjustment(self, meta: Any, kind: str, amount: nodes.Expr, per: nodes.Per | None,
                   *clauses: nodes.Clause) -> nodes.Adjustment:  # fmt: skip
        return nodes.Adjustment(kind, amount, per, tuple(clauses), self._span(meta))  # type: ignore[arg-type]

    def deduct(self, meta: Any) -> str:
        return "deduct"

    def bonus(self, meta: Any) -> str:
        return "bonus"

    def per(self, meta: Any, step: nodes.Expr, rounding: str | None, of: nodes.Expr) -> nodes.Per:
        return nodes.Per(step, rounding or "exact", of, self._span(meta))  # type: ignore[arg-type]

    def whole(self, meta: Any) -> str:
        return "whole"

    def started(self, meta: Any) -> str:
        return "started"

    def when(self, meta: Any, expr: nodes.Expr) -> nodes.Clause:
        return nodes.Clause("when", expr, self._span(meta))

    def cap(self, meta: Any, expr: nodes.Expr) -> nodes.Clause:
        return nodes.Clause("cap", expr, self._span(meta))

    def because(self, meta: Any, text: Token) -> nodes.Clause:
        return nodes.Clause("because", self._template(text), self._span(meta))

    def veto(self, meta: Any, cond: nodes.Expr, because: nodes.Clause) -> nodes.Veto:
        assert isinstance(because.value, nodes.Template)
        return nodes.Veto(cond, because.value, self._span(meta))

    # constants and literals
    def _signed(self, meta: Any, minus: Token | None, value: Decimal, percent: bool) -> nodes.Expr:
        value = -value if minus is not None else value
        span = self._span(meta)
        return nodes.Percent(value, span) if percent else nodes.Number(value, span)

    def const_number(self, meta: Any, minus: Token | None, tok: Token) -> nodes.Expr:
        return self._signed(meta, minus, _decimal(tok), False)

    def const_percent(self, meta: Any, minus: Token | None, tok: Token) -> nodes.Expr:
        return self._signed(meta, minus, _percent(tok), True)

    def const_name(self, meta: Any, tok: Token) -> nodes.Expr:
        return nodes.Name(str(tok), self._tok(tok))

    lit_number = const_number
    lit_percent = const_percent
    lit_name = const_name

    def lit_string(self, meta: Any, tok: Token) -> nodes.Expr:
        return nodes.String(self._text(tok), self._tok(tok))

    def lit_true(self, meta: Any) -> nodes.Expr:
        return nodes.Bool(True, self._span(meta))

    def lit_false(self, meta: Any) -> nodes.Expr:
        return nodes.Bool(False, self._span(meta))

    # expressions
    def if_expr(self, meta: Any, cond: nodes.Expr, then: nodes.Expr, otherwise: nodes.Expr) -> nodes.Expr:
        return nodes.If(cond, then, otherwise, self._span(meta))

    def or_expr(self, meta: Any, left: nodes.Expr, right: nodes.Expr) -> nodes.Expr:
        return nodes.Logical("or", left, right, self._span(meta))

    def and_expr(self, meta: Any, left: nodes.Expr, right: nodes.Expr) -> nodes.Expr:
        return nodes.Logical("and", left, right, self._span(meta))

    def not_expr(self, meta: Any, operand: nodes.Expr) -> nodes.Expr:
        return nodes.Not(operand, self._span(meta))

    def compare(self, meta: Any, left: nodes.Expr, op: tuple[str, Span], right: nodes.Expr) -> nodes.Expr:
        return nodes.Compare(op[0], left, right, op[1], self._span(meta))  # type: ignore[arg-type]

    def comp_op(self, meta: Any, tok: Token) -> tuple[str, Span]:
        ops = {"GE": ">=", "GT": ">", "LE": "<=", "LT": "<", "EQ": "==", "NE": "!="}
        return (ops[tok.type], self._tok(tok))

    def binary(self, meta: Any, left: nodes.Expr, op: Token, right: nodes.Expr) -> nodes.Expr:
        symbol = {"PLUS": "+", "MINUS": "-", "TIMES": "*", "DIVIDE": "/"}[op.type]
        return nodes.Binary(symbol, left, right, self._tok(op), self._span(meta))  # type: ignore[arg-type]

    def negate(self, meta: Any, minus: Token, operand: nodes.Expr) -> nodes.Expr:
        return nodes.Negate(operand, self._span(meta))

    def number(self, meta: Any, tok: Token) -> nodes.Expr:
        return nodes.Number(_decimal(tok), self._tok(tok))

    def percent(self, meta: Any, tok: Token) -> nodes.Expr:
        return nodes.Percent(_percent(tok), self._tok(tok))

    def string(self, meta: Any, tok: Token) -> nodes.Expr:
        return nodes.String(self._text(tok), self._tok(tok))

    def true(self, meta: Any) -> nodes.Expr:
        return nodes.Bool(True, self._span(meta))

    def false(self, meta: Any) -> nodes.Expr:
        return nodes.Bool(False, self._span(meta))

    def name(self, meta: Any, tok: Token) -> nodes.Expr:
        return nodes.Name(str(tok), self._tok(tok))

    def call(self, meta: Any, name: Token, *args: Any) -> nodes.Expr:
        where = next((a.value for a in args if isinstance(a, _Where)), None)
        return nodes.Call(str(name), tuple(a for a in args if a is not None and not isinstance(a, _Where)),
                        self._tok(name), self._span(meta), where)

    def count_call(self, meta: Any, *args: Any) -> nodes.Expr:
        span = self._span(meta)
        where = next((a.value for a in args if isinstance(a, _Where)), None)
        word = "count" if span.text().startswith("count") else "行数"
        keyword = Span(span.source, span.start, span.start + len(word))
        return nodes.Call("count", tuple(a for a in args if a is not None and not isinstance(a, _Where)),
                        keyword, span, where)

    def where_clause(self, meta: Any, cond: nodes.Expr) -> _Where:
        return _Where(cond)

    def column_ref(self, meta: Any, tok: Token) -> nodes.Expr:
        table, column = str(tok).split(".", 1)
        return nodes.ColumnRef(table, column, self._tok(tok))


class _Where:
    """The `where COND` of an aggregate call, on its way into the Call node."""

    __slots__ = ("value",)

    def __init__(self, value: nodes.Expr):
        self.value = value


_RULE_FUNCTIONS: dict[str, Any] = {
    name: value for name, value in vars(_Builder).items() if callable(value) and not name.startswith("_")
}
_BUILDER = _Builder()


# Inside "…": control characters (tab aside), invisible format characters such as the bidi
# override U+202E, and line separators. Texts are printed in terminals and reports, where
# these would steer the screen or reverse what a reader sees (issue 16, item 17).
def _hidden_in_text(ch: str) -> bool:
    return (ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf")) or ch in "\u2028\u2029"


def _refuse_controls(tok: Token, source: Source, base: int, collector: Collector) -> None:
    raw = str(tok)
    if raw.isprintable():  # the usual case, checked in C: no control or format character at all
        return
    start = base + _start(tok)
    for i, ch in enumerate(raw):
        if _hidden_in_text(ch):
            name = unicodedata.name(ch, "a control character")
            collector.error(say.E102_INVISIBLE_IN_TEXT(point=ord(ch), name=name),
                            Span(source, start + i, start + i + 1), help=say.E102_DELETE_FROM_TEXT())


def _unescape(raw: str) -> str:
    out = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw) and raw[i + 1] in '"\\':
            out.append(raw[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _unescape_quotes(inner: str) -> str:
    """An insertion's text with the string's `\\"` escapes read as quotes (spec section 2: a text such as
    `{if given(说明) then 说明 else \\"无\\"}` inside a because string), keeping every position: an
    opening `\\"` becomes ` "` and a closing one `" `, so carets still point into the rule file."""
    if '\\"' not in inner:
        return inner
    out: list[str] = []
    opening = True
    i = 0
    while i < len(inner):
        if inner.startswith('\\"', i):
            out.append(' "' if opening else '" ')
            opening = not opening
            i += 2
        else:
            out.append(inner[i])
            i += 1
    return "".join(out)


def _template(tok: Token, source: Source, base: int, collector: Collector) -> nodes.Template:
    """Split a because text into literal pieces and `{expr}` insertions."""
    raw = str(tok)
    start = base + (_start(tok) or 0)
    parts: list[str | nodes.Expr] = []
    literal: list[str] = []
    i = 1
    end = len(raw) - 1
    while i < end:
        ch = raw[i]
        if ch == "\\" and i + 1 < end and raw[i + 1] in '"\\':
            literal.append(raw[i + 1])
            i += 2
        elif ch in "{}" and i + 1 < end and raw[i + 1] == ch:
            literal.append(ch)
            i += 2
        elif ch == "{":
            close = raw.find("}", i + 1, end)
            if close < 0:
                collector.error(say.E106_NEVER_CLOSED(), Span(source, start + i, start + i + 1),
                                help=say.E106_CLOSE_IT())
                return nodes.Template(tuple(parts), Span(source, start, start + len(raw)))
            inner = _unescape_quotes(raw[i + 1 : close])
            if literal:
                parts.append("".join(literal))
                literal = []
            if not inner.strip():
                collector.error(say.E106_EMPTY(), Span(source, start + i, start + close + 1),
                                help=say.E106_FILL_IT())
            else:
                expr = parse_expression(source, inner, start + i + 1, collector)
                if expr is not None:
                    parts.append(expr)
            i = close + 1
        elif ch == "}":
            collector.error(say.E106_CLOSES_NOTHING(), Span(source, start + i, start + i + 1),
                            help=say.E106_DOUBLE_IT())
            i += 1
        else:
            literal.append(ch)
            i += 1
    if literal:
        parts.append("".join(literal))
    return nodes.Template(tuple(parts), Span(source, start, start + len(raw)))
