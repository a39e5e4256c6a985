"""Pickling of Ruleset and Result, so they cross a process pool.

A Ruleset pickles as its rule file's text and names and is loaded again on the other
side; a Result as its Ruleset and its validated facts, and is evaluated again there.
Generated code and compiled functions never go into a pickle: what is unpickled is
exactly what `perfrules.loads` and `Ruleset.evaluate` make from the same text and facts.
Registered with `copyreg` when perfrules is imported.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
from typing import Any

from perfrules.engine import Ruleset, compile_source
from perfrules.inputs.facts import Validated
from perfrules.results.result import Result
from perfrules.source import Source


def _ruleset_reduce(ruleset: Ruleset) -> tuple[Any, tuple[Any, ...]]:
    if getattr(ruleset, "origin", None) is not None:
        # made from a rows ruleset for one set of rows: its Result pickles (with those rows); it alone does not
        raise TypeError("a ruleset expanded from rows is not pickled on its own: pickle the Result, "
                        "or the ruleset it was expanded from (`.origin`)")
    source = ruleset.model.source
    data = source.text.encode("utf-8")
    if source.sha256 and hashlib.sha256(data).hexdigest() != source.sha256:
        data = "\ufeff".encode() + data  # the byte order mark Source.from_bytes dropped: the same sha256
    return _ruleset, (data, source.name, ruleset.display_name)


@functools.lru_cache(maxsize=16)
def _ruleset(data: bytes, name: str, display_name: str) -> Ruleset:
    # Cached: the results of one pickle (or of one pool's tasks) share their ruleset, loaded once.
    return compile_source(Source.from_bytes(name, data), display_name)


def _result_reduce(result: Result) -> tuple[Any, tuple[Any, ...]]:
    ruleset, facts = result.ruleset, result.facts
    origin = getattr(ruleset, "origin", None)
    if origin is not None:
        # a rows ruleset: the rule file's ruleset, expanded again for the same rows on the other side
        leaves = ruleset.model.leaves()
        overrides = facts.overrides or ()
        overridden = frozenset(leaf.path for leaf, o in zip(leaves, overrides, strict=False) if o is not None)
        return _rows_result, (origin, facts, overridden)
    return _result, (ruleset, facts)


def _rows_result(origin: Ruleset, facts: Validated, overridden: frozenset[str]) -> Result:
    return origin.expansion(facts.values, overridden).evaluate_validated(facts)


def _result(ruleset: Ruleset, facts: Validated) -> Result:
    return ruleset.evaluate_validated(facts)


def register() -> None:
    """Make Ruleset and Result picklable (done on `import perfrules`)."""
    copyreg.pickle(Ruleset, _ruleset_reduce)
    copyreg.pickle(Result, _result_reduce)
