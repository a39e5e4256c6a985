"""Progress bars on stderr for the long runs: `perfrules eval --batch` and `perfrules test --properties`.

A bar shows how many are done, the rate and, when the total is known, the percentage and the
time left. It is drawn only when stderr is a terminal and CI is not set: a pipe, a file or a CI
log never gets one. The bar is tqdm's; tqdm is imported here, and this module only when a bar
is shown, so `perfrules eval` of one file and every run into a pipe pay nothing for it
(docs/cli.md has the import times measured).
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from typing import IO, Any, TextIO, cast

from perfrules.catalogue import Lang, Message, usage

# `{desc}` carries our own counts (`1,234 scored, 2 failed`) and `{per_second}` our own rate
# (`12,539 records/s`): the number format of the batch's last line, which tqdm's `{n_fmt}` and
# `{rate_fmt}` (`12539.15records/s`) would not give
REDRAW_SECONDS = 0.2  # at most five redraws a second: a fast batch is not slowed by its bar
_KNOWN = "{desc} {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}, {per_second}]"
_UNKNOWN = "{desc} [{elapsed}, {per_second}]"


def shown(stream: IO[str]) -> bool:
    """Draw a bar on `stream`? Only on a terminal, and never under CI (CI=true, as CI services set)."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return False
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false", "no")


def _bar(stream: IO[str], total: int | None, rate_of: Message, label: str, lang: Lang) -> Any:
    from tqdm import tqdm

    from perfrules.cli.streams import unescaped

    class Bar(tqdm):  # type: ignore[type-arg]
        @property
        def format_dict(self) -> MutableMapping[str, Any]:
            values = super().format_dict
            elapsed = values["elapsed"]
            rate = values["n"] / elapsed if elapsed else 0
            values["per_second"] = rate_of.format(lang, rate=f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}")
            return values

    # the bar's `\r` and ESC [K are ours, not data's: past the guard that escapes control characters
    return Bar(total=total, file=unescaped(cast(TextIO, stream)), desc=label, bar_format=_KNOWN if total else _UNKNOWN,
               mininterval=REDRAW_SECONDS, miniters=1, dynamic_ncols=True, leave=False)


class BatchBar:
    """The bar of a batch; `tools.batch_run.run_batch` calls `update` after each chunk and `clear`
    before writing a failed record's report, so the report never lands inside the bar."""

    def __init__(self, stream: IO[str], total: int | None, lang: Lang = "en"):
        self._lang = lang
        self._bar = _bar(stream, total, usage.RECORDS_PER_SECOND, usage.BATCH_DONE.format(lang, scored=0, failed=0),
                         lang)

    def update(self, scored: int, failed: int) -> None:
        self._bar.set_description_str(usage.BATCH_DONE.format(self._lang, scored=scored, failed=failed),
                                      refresh=False)
        self._bar.update(scored + failed - self._bar.n)

    def clear(self) -> None:
        self._bar.clear()

    def close(self) -> None:
        self._bar.close()


class PropertyBar:
    """The bar of a file's property checks: `checks` checks of `examples` examples each.

    Hypothesis may run a check's body more often than its examples (shrinking a counterexample)
    or less (a small space of facts): each check moves the bar by exactly `examples`, so the
    percentage and the time left stay true to the work still to come.
    """

    def __init__(self, stream: IO[str], label: str, checks: int, examples: int, lang: Lang = "en"):
        self._bar = _bar(stream, checks * examples, usage.EXAMPLES_PER_SECOND, label, lang)
        self._examples = examples
        self._end = 0  # where the bar stands when the current check is done

    def start_check(self) -> None:
        self._end += self._examples

    def example(self) -> None:
        if self._bar.n < self._end:
            self._bar.update(1)

    def end_check(self) -> None:
        self._bar.update(self._end - self._bar.n)

    def close(self) -> None:
        self._bar.close()
