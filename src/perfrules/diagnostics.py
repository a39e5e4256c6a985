"""Diagnostics: what went wrong, where, and how to fix it; collected, then raised once."""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterable, Iterator, Sequence, Sized

from perfrules import records
from perfrules.catalogue import Lang, Said
from perfrules.source import Span


@records.record(init=False)
class Diagnostic:
    """One problem in a rule or facts file.

    `code` indexes docs/errors.md. The message, its help (what to do, in the user's terms)
    and its notes come from the catalogue (perfrules.catalogue.diagnostics) with their
    fields filled in, so they print in Chinese or English; `message`, `help` and `notes`
    are the English texts, stable for logs and machine output.
    """

    code: str
    said: Said
    span: Span | None
    said_help: Said | None
    said_notes: tuple[Said, ...]
    where: str | None  # a place without a span: a key of a Python mapping

    def __init__(
        self,
        said: Said,
        span: Span | None,
        help: Said | None = None,
        notes: Iterable[Said] = (),
        where: str | None = None,
        code: str | None = None,
    ) -> None:
        code = code or said.code
        assert code is not None, f"no error code for {said.message.en!r}"
        for name, value in (("code", code), ("said", said), ("span", span), ("said_help", help),
                            ("said_notes", tuple(notes)), ("where", where)):
            object.__setattr__(self, name, value)

    @property
    def message(self) -> str:
        return self.said.en

    @property
    def help(self) -> str | None:
        return self.said_help.en if self.said_help is not None else None

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(note.en for note in self.said_notes)

    def message_in(self, lang: Lang) -> str:
        return self.said.in_(lang)

    def help_in(self, lang: Lang) -> str | None:
        return self.said_help.in_(lang) if self.said_help is not None else None

    def notes_in(self, lang: Lang) -> tuple[str, ...]:
        return tuple(note.in_(lang) for note in self.said_notes)

    def with_notes(self, notes: Iterable[Said]) -> Diagnostic:
        return Diagnostic(self.said, self.span, self.said_help, notes, self.where, self.code)

    def sort_key(self) -> tuple[tuple[tuple[int, str], ...], int, str]:
        if self.span is None:
            return (_natural(self.where or ""), -1, self.code)
        return (_natural(self.span.source.name), self.span.start, self.code)

    def location(self) -> str:
        if self.span is not None:
            return self.span.location()
        return self.where or "<input>"

    def line(self, lang: Lang = "en") -> str:
        """`FILE:LINE:COL: error: MESSAGE [CODE]`: the line of spec section 8 in either language, so
        that editors and scripts find the place and the kind."""
        return f"{self.location()}: {self.error_text(lang)}"

    def error_text(self, lang: Lang = "en") -> str:
        """`error: MESSAGE [CODE]`, the line after its place: `error` is a token of spec section 8's
        format, not prose; the message in `lang`, and the code (docs/errors.md) closing the line."""
        return f"error: {self.message_in(lang)} [{self.code}]"

    def line_and_help(self, lang: Lang = "en") -> str:
        """The line, then its help (`  help: …`) when it has one: one problem as a log or a report shows it."""
        if self.said_help is None:
            return self.line(lang)
        from perfrules.catalogue.checks import ERROR_HELP

        return self.line(lang) + "\n" + ERROR_HELP(help=self.said_help).in_(lang)

    def __str__(self) -> str:
        return self.line()


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    """`text` ordered as people count: `facts['表'][2]` before `facts['表'][10]`, `E9` before `E12`."""
    return tuple((int(part), "") if part.isdecimal() else (-1, part) for part in re.split(r"(\d+)", text))


class PerfrulesError(Exception):
    """Raised for bad rules, bad facts, or a failed evaluation; carries every diagnostic."""

    # Whether the rule file writes its keywords in Chinese, when known (the engine sets it):
    # the CLI then prints the diagnostics in Chinese (perfrules.catalogue.language).
    chinese: bool | None = None

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=Diagnostic.sort_key)
        )
        # str() of the error is what a caller logs: each problem keeps its help line
        super().__init__("\n".join(d.line_and_help() for d in self.diagnostics))


class RulesError(PerfrulesError):
    """The rule file has syntax, name, type or structure errors."""


class FactsError(PerfrulesError):
    """The facts do not fit the ruleset's declared inputs."""


class EvaluationError(PerfrulesError):
    """Evaluation failed (a division by zero the rules did not guard against)."""


class Collector:
    """Collects diagnostics so that every problem of a file is reported in one run."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(
        self,
        said: Said,
        span: Span | None,
        help: Said | None = None,
        notes: Iterable[Said] = (),
        where: str | None = None,
        code: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(said, span, help, notes, where, code))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, kind: type[PerfrulesError]) -> None:
        if self.items:
            raise kind(self.items)


# Suggestions are bounded as CPython bounds its own "Did you mean": no suggestion among more
# than MAX_CANDIDATES names or for a name longer than MAX_NAME_LENGTH, and, within one file, no
# more than SUGGESTION_BUDGET names compared in all (a file of thousands of misspelt names
# otherwise costs minutes: issue 16). Past the budget the errors still come, without the hint.
MAX_CANDIDATES = 750
MAX_NAME_LENGTH = 40
SUGGESTION_BUDGET = 100_000
_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("suggestion_budget", default=None)


@contextlib.contextmanager
def suggestion_budget(comparisons: int = SUGGESTION_BUDGET) -> Iterator[None]:
    """Bound the names `did_you_mean` compares, in all, while one file is checked."""
    token = _budget.set([comparisons])
    try:
        yield
    finally:
        _budget.reset(token)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, if one is close enough (and the search is affordable)."""
    if len(word) > MAX_NAME_LENGTH or (isinstance(candidates, Sized) and len(candidates) > MAX_CANDIDATES):
        return None  # before copying them: a copy per unknown name was quadratic (issue 16)
    names = list(candidates)
    if len(names) > MAX_CANDIDATES:
        return None
    budget = _budget.get()
    if budget is not None:
        if budget[0] < len(names):
            return None
        budget[0] -= len(names)
    import difflib  # here, not at the top: only a misspelt name needs it (issue 15, start-up)

    matches = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if not matches and len(word) <= 2:
        return None
    if not matches:
        # Chinese names are short: one wrong character in three is already 0.67.
        matches = difflib.get_close_matches(word, names, n=1, cutoff=0.5)
    return matches[0] if matches else None


class UsageError(Exception):
    """Wrong use of the command line (exit 2), worded by the catalogue (catalogue/usage.py)."""

    def __init__(self, said: Said) -> None:
        super().__init__(said.en)
        self.said = said


class WordedError(ValueError):
    """A value that cannot be used (an `--indicator` written wrong, a batch source of the wrong
    kind), worded by the catalogue: the command line prints `said` in its language; str() is English."""

    def __init__(self, said: Said) -> None:
        super().__init__(said.en)
        self.said = said
