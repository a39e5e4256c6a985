"""Every word perfrules says to a person, in Chinese and in English, and the choice between them.

A `Message` is one entry of the catalogue: its two texts, with `{named}` fields for the
parts that vary, and the error code it reports (if it is an error message). Calling it
with its fields gives a `Said`, which renders in either language, so whoever prints it
(the CLI, a report) chooses the language, not whoever found the problem.

The entries live beside this module: `diagnostics.py` (errors, their help and notes),
`phrases.py` (reasons, report headings, explanations), `usage.py` (the command line's own
words), `helptext.py` (`--help`) and `checks.py` (property checks and their counterexamples).
Nothing else in perfrules writes a sentence for a person; tests/test_catalogue.py checks that.

This package is the foundation: it imports nothing from perfrules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Literal

# Plain classes with __slots__, not attrs: `import perfrules` loads the catalogue, and its
# hundreds of entries should cost next to nothing to make.

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

# Chooses the language of diagnostics (and of headings, where the command has --lang) when
# --lang is not given: `zh` or `en`.
ENV = "PERFRULES_LANG"

_FIELD = re.compile(r"\{([A-Za-z_]\w*)[^{}]*\}")


def fields_of(template: str) -> frozenset[str]:
    """The names of the `{fields}` of a template (`{{` and `}}` are literal braces)."""
    return frozenset(_FIELD.findall(template.replace("{{", "").replace("}}", "")))


class Text:
    """A phrase without variable parts, in both languages."""

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en

    def in_(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.zh, self.en) == (other.zh, other.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))

    def __repr__(self) -> str:
        return f"Text({self.zh!r}, {self.en!r})"


class Message:
    """One catalogue entry: the English and Chinese templates, and the code it reports (if any).

    Both templates name the same fields; `Message(...)(name="预算数")` fills them in.
    """

    __slots__ = ("_fields", "code", "en", "zh")

    def __init__(self, code: str | None, en: str, zh: str) -> None:
        self.code = code
        self.en = en
        self.zh = zh
        self._fields: frozenset[str] | None = None

    @property
    def fields(self) -> frozenset[str]:
        if self._fields is None:
            self._fields = fields_of(self.en)
        return self._fields

    def __call__(self, **fields: Any) -> Said:
        if fields.keys() != self.fields:
            # a wrong field is a bug of the caller: say so where it is made, not when printed
            raise TypeError(f"{self.en!r} takes the fields {sorted(self.fields)}, not {sorted(fields)}")
        return Said(self, tuple((k, _frozen(v)) for k, v in fields.items()))

    def in_(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def format(self, lang: Lang, **fields: Any) -> str:
        """The text in `lang` with its fields, at once: for words made in bulk (reasons of every
        record, rows of a report), where no one needs the other language later."""
        return (self.zh if lang == "zh" else self.en).format_map(fields)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.code, self.en, self.zh) == (other.code, other.en, other.zh)

    def __hash__(self) -> int:
        return hash((self.code, self.en))

    def __getstate__(self) -> tuple[str | None, str, str]:
        return (self.code, self.en, self.zh)

    def __setstate__(self, state: tuple[str | None, str, str]) -> None:
        self.code, self.en, self.zh = state
        self._fields = None

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.en!r}, {self.zh!r})"


class Said:
    """A message with its fields filled in; renders in either language.

    A field may itself be a `Said`, a `Text` or a tuple of them (a list joined with `、` in
    Chinese, `, ` in English); these render in the same language as the message. Other values
    are formatted as they are (`{limit:,}` works on numbers).
    """

    __slots__ = ("fields", "message")

    def __init__(self, message: Message, fields: tuple[tuple[str, Any], ...]) -> None:
        self.message = message
        self.fields = fields

    @property
    def code(self) -> str | None:
        return self.message.code

    def field(self, name: str) -> Any:
        return dict(self.fields)[name]

    def in_(self, lang: Lang) -> str:
        values = {name: _shown(value, lang) for name, value in self.fields}
        return self.message.in_(lang).format_map(values)

    @property
    def en(self) -> str:
        return self.in_("en")

    @property
    def zh(self) -> str:
        return self.in_("zh")

    def __str__(self) -> str:
        return self.en

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Said) and (self.message, self.fields) == (other.message, other.fields)

    def __hash__(self) -> int:
        return hash((self.message, self.fields))

    def __getstate__(self) -> tuple[Message, tuple[tuple[str, Any], ...]]:
        return (self.message, self.fields)

    def __setstate__(self, state: tuple[Message, tuple[tuple[str, Any], ...]]) -> None:
        self.message, self.fields = state

    def __repr__(self) -> str:
        return f"Said({self.message.en!r}, {dict(self.fields)!r})"


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return value


def _shown(value: Any, lang: Lang) -> Any:
    if isinstance(value, (Said, Text)):
        return value.in_(lang)
    if isinstance(value, tuple):
        return ("、" if lang == "zh" else ", ").join(str(_shown(v, lang)) for v in value)
    return value


def lang_of(chinese: bool) -> Lang:
    """The language of a file that is (or is not) written in Chinese."""
    return "zh" if chinese else "en"


def language(explicit: str | None = None, chinese: bool = False, environ: Mapping[str, str] | None = None) -> Lang:
    """The language to speak: `--lang` if given, else PERFRULES_LANG, else the rule file's
    (Chinese when it writes its keywords in Chinese)."""
    if explicit in LANGS:
        return "zh" if explicit == "zh" else "en"
    env = (os.environ if environ is None else environ).get(ENV, "").strip().lower()
    if env.startswith("zh"):
        return "zh"
    if env.startswith("en"):
        return "en"
    return "zh" if chinese else "en"
