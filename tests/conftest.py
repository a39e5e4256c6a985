"""Shared helpers: build rulesets from inline text, evaluate them, collect error codes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from perfrules.diagnostics import PerfrulesError

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    # The CLI keeps checked rulesets in a per-user cache: the tests, and the commands they
    # run in subprocesses, keep theirs in a folder of their own, never the user's.
    import os
    import tempfile

    os.environ["PERFRULES_CACHE_DIR"] = tempfile.mkdtemp(prefix="perfrules-test-cache-")

HEADER = 'ruleset "t" {\n  total 100\n}\n'


def rules(text: str, name: str = "t.rules") -> perfrules.Ruleset:
    """Load rule text (a header is added when the text has none)."""
    if "ruleset" not in text and "规则集" not in text:
        text = HEADER + text
    return perfrules.loads(text, name)


def score(text: str, facts: dict[str, Any] | None = None, **kw: Any) -> perfrules.Result:
    return rules(text).evaluate(facts if facts is not None else kw)


def codes(text: str, facts: Any = None) -> list[str]:
    """The error codes a rule text (and, if given, facts) produce, in reported order."""
    with pytest.raises(PerfrulesError) as info:
        rs = rules(text)
        if facts is not None:
            rs.evaluate(facts)
    return [d.code for d in info.value.diagnostics]


def errors(text: str, facts: Any = None) -> list[perfrules.Diagnostic]:
    with pytest.raises(PerfrulesError) as info:
        rs = rules(text)
        if facts is not None:
            rs.evaluate(facts)
    return list(info.value.diagnostics)


D = Decimal
