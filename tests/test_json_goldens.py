"""`to_json()` pinned byte for byte: the Guangzhou result in full, and a SHA-256 of every other.

The JSON of a Result is what other programs read, so its bytes must not move when the way it
is built changes (issue 15). `guangzhou-xiezuo-2022.json` is the whole text, to be read in a
review; `digests.txt` holds the SHA-256 of `to_json()` for every shipped facts file and every
case of every shipped cases file that evaluates (overrides, vetoes, judged leaves, rows). Each
text is written both ways: from the audit records and by the ruleset's generated writer.
Refresh with PERFRULES_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import perfrules
from perfrules.results import writer
from perfrules.tools.cases import load_cases

from .goldens import ROOT, check_golden, evaluate

GOLDEN = Path(__file__).parent / "golden" / "json"


def shipped_results() -> Iterator[tuple[str, perfrules.Result]]:
    """(name, Result) for every shipped facts file and every case that evaluates, in a fixed order."""
    for facts in sorted((ROOT / "rulesets").rglob("*.facts.toml")):
        rules = facts.with_name(facts.name.split(".")[0] + ".rules")
        relative = facts.relative_to(ROOT).as_posix()
        try:
            yield relative, evaluate(rules.relative_to(ROOT).as_posix(), relative)
        except perfrules.PerfrulesError:
            continue  # a published table whose weights do not add up: its report says so, not its JSON
    yield "tests/golden/report/showcase.facts.toml", evaluate("tests/golden/report/showcase.rules",
                                                               "tests/golden/report/showcase.facts.toml")
    for path in sorted((ROOT / "rulesets").rglob("*.cases.toml")):
        cases = load_cases(path.relative_to(ROOT))
        ruleset = perfrules.loads(cases.rules.read_bytes(), cases.rules.as_posix())
        for case in cases.cases:
            try:
                result = ruleset.evaluate(dict(case.facts))
            except perfrules.PerfrulesError:
                continue  # a case that expects an error
            yield f"{path.relative_to(ROOT).as_posix()} [{case.name}]", result


def test_the_guangzhou_json_is_unchanged() -> None:
    result = evaluate("rulesets/guangzhou/xiezuo-2022.rules", "rulesets/guangzhou/xiezuo-2022.facts.toml")
    check_golden(GOLDEN / "guangzhou-xiezuo-2022.json", _text(result) + "\n")


def _text(result: perfrules.Result) -> str:
    """to_json(), after checking that the ruleset's generated writer writes the same text."""
    text = result.to_json()
    writers = writer.generate(result.ruleset)
    assert writers is not None and writers.to_json(result) == text
    return text


def test_every_shipped_json_is_unchanged() -> None:
    lines = [f"{hashlib.sha256(_text(result).encode()).hexdigest()}  {name}\n" for name, result in shipped_results()]
    assert len(lines) > 60  # 12 facts files and the cases: a loop that found nothing would pass
    check_golden(GOLDEN / "digests.txt", "".join(lines))
