"""Every example in docs/ is checked, so the documentation cannot drift from the engine.

Code blocks are tagged by what they are:

- ```perfrules            a complete rule file; must load with no diagnostics.
- ```perfrules-error CODE  a rule file that must fail with exactly that code.
- ```toml                 facts for the nearest rule file above; must evaluate.
                          An HTML comment `<!-- total: 94.01 -->` (and optionally
                          `<!-- rating: 优 -->`) after it states the expected result.
- ```toml-error CODE       facts that must fail (facts or evaluation) with exactly that code.
- ```toml-cases            a *.cases.toml excerpt (docs/cases.md, docs/testing.md): shown, not run here;
                           tests/test_cases.py runs the real cases files.
- ```toml-excerpt          part of a shipped facts file (docs/rulesets.md): shown, not run here;
                           tests/test_shipped_rulesets.py runs the whole file.
- ```text                 right after an error example in errors.md: the exact
                          output of `perfrules check` / `perfrules eval`.
- ```python               in api.md: run in order, in one namespace, from the repository root.

An extra word `gbk` after the code saves the block in GBK (for the UTF-8 errors).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import perfrules
from perfrules import cli
from perfrules.catalogue.diagnostics import CODES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "perfrules"

FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)
COMMENT = re.compile(r"<!--\s*(total|rating):\s*(.*?)\s*-->")


@attrs.frozen
class Block:
    doc: str
    line: int
    tag: str
    args: tuple[str, ...]
    text: str
    after: str  # the prose between this block and the next one

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def encoding(self) -> str:
        return "gbk" if "gbk" in self.args else "utf-8"

    @property
    def code(self) -> str:
        return self.args[0]

    def data(self) -> bytes:
        return self.text.encode(self.encoding)


def blocks(name: str) -> list[Block]:
    text = (DOCS / name).read_text("utf-8")
    found = list(FENCE.finditer(text))
    out = []
    for k, m in enumerate(found):
        info = m.group(1).split()
        tag, args = (info[0], tuple(info[1:])) if info else ("", ())
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        line = text.count("\n", 0, m.start()) + 1
        out.append(Block(name, line, tag, args, m.group(2), text[m.end() : end]))
    return out


def doc_names() -> list[str]:
    return sorted(p.name for p in DOCS.glob("*.md"))


@attrs.frozen
class Example:
    """A rule block, optionally with facts, as the docs present it."""

    rules: Block
    facts: Block | None


def examples() -> Iterator[Example]:
    for name in doc_names():
        current: Block | None = None
        for b in blocks(name):
            if b.tag in ("perfrules", "perfrules-error"):
                current = b
                yield Example(b, None)
            elif b.tag in ("toml", "toml-error"):
                assert current is not None, f"{b.where}: facts with no rule file above them"
                yield Example(current, b)


def codes_of(exc: perfrules.PerfrulesError) -> set[str]:
    return {d.code for d in exc.diagnostics}


ALL = list(examples())
RULES = [e for e in ALL if e.facts is None]
FACTS = [e for e in ALL if e.facts is not None]


@pytest.mark.parametrize("example", RULES, ids=lambda e: e.rules.where)
def test_rule_block(example: Example) -> None:
    block = example.rules
    if block.tag == "perfrules":
        try:
            perfrules.loads(block.data(), "example.rules")
        except perfrules.RulesError as exc:  # pragma: no cover - a failing doc
            pytest.fail(f"{block.where}: the example does not load:\n{exc}")
        return
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(block.data(), "example.rules")
    assert codes_of(info.value) == {block.code}, f"{block.where}: {info.value}"


@pytest.mark.parametrize("example", FACTS, ids=lambda e: e.facts.where if e.facts else "")
def test_facts_block(example: Example) -> None:
    facts = example.facts
    assert facts is not None
    assert example.rules.tag == "perfrules", f"{facts.where}: facts follow a failing rule file"
    ruleset = perfrules.loads(example.rules.data(), "example.rules")
    parsed = None
    if facts.tag == "toml":
        result = ruleset.evaluate(perfrules.parse_facts(facts.data(), "example.toml"))
        stated = dict(COMMENT.findall(facts.after))
        if "total" in stated:
            assert result.total == Decimal(stated["total"]), f"{facts.where}: total {result.total}"
            assert str(result.to_dict()["total"]) == stated["total"], facts.where
        if "rating" in stated:
            assert result.rating == stated["rating"], f"{facts.where}: rating {result.rating}"
        return
    with pytest.raises(perfrules.PerfrulesError) as info:
        parsed = perfrules.parse_facts(facts.data(), "example.toml")
        ruleset.evaluate(parsed)
    assert codes_of(info.value) == {facts.code}, f"{facts.where}: {info.value}"


def test_every_worked_example_states_its_total() -> None:
    """language.md: every facts block carries the total worked out by hand."""
    for e in FACTS:
        if e.facts is not None and e.facts.doc == "language.md" and e.facts.tag == "toml":
            stated = dict(COMMENT.findall(e.facts.after))
            assert "total" in stated, f"{e.facts.where}: no <!-- total: --> comment"


def test_language_guide_has_both_keyword_sets() -> None:
    chinese = [e for e in RULES if e.rules.doc == "language.md" and "规则集" in e.rules.text]
    english = [e for e in RULES if e.rules.doc == "language.md" and "ruleset" in e.rules.text]
    assert chinese and english


# ---- errors.md ---------------------------------------------------------------------------


def _run_cli(rules: Block, facts: Block | None, tmp: Path, lang: str | None = None) -> str:
    (tmp / "example.rules").write_bytes(rules.data())
    args = ["check", "example.rules"]
    if facts is not None:
        (tmp / "example.toml").write_bytes(facts.data())
        args = ["eval", "example.rules", "example.toml"]
    if lang is not None:
        args += ["--lang", lang]
    err, out = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            status = cli.main(args)
    finally:
        os.chdir(cwd)
    assert status == 1
    return err.getvalue()


def printed_outputs() -> Iterator[tuple[Block, Block | None, Block]]:
    """(rules, facts, expected output) for every error example of errors.md: the output as
    printed (```text), then in the other language (```text zh: `--lang zh`, ```text en)."""
    current: Block | None = None
    items = blocks("errors.md")
    for k, b in enumerate(items):
        if b.tag in ("perfrules", "perfrules-error"):
            current = b
        if b.tag not in ("perfrules-error", "toml-error"):
            continue
        follows = items[k + 1] if k + 1 < len(items) else None
        assert follows is not None and follows.tag == "text" and not follows.args, \
            f"{b.where}: no printed output after it"
        assert current is not None
        facts = b if b.tag == "toml-error" else None
        yield current, facts, follows
        other = items[k + 2] if k + 2 < len(items) else None
        assert other is not None and other.tag == "text" and other.args in (("zh",), ("en",)), \
            f"{b.where}: the printed output in the other language (```text zh) does not follow"
        yield current, facts, other


@pytest.mark.parametrize("case", list(printed_outputs()), ids=lambda c: c[2].where)
def test_errors_md_shows_the_real_output(
    case: tuple[Block, Block | None, Block], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules, facts, printed = case
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    lang = printed.args[0] if printed.args else None
    assert _run_cli(rules, facts, tmp_path, lang) == printed.text, printed.where


def test_errors_md_shows_both_languages() -> None:
    """Each example's output is shown as printed and in the other language (issue 11)."""
    shown = [printed for _, _, printed in printed_outputs()]
    plain = [b for b in shown if not b.args]
    other = [b for b in shown if b.args]
    assert len(plain) == len(other) > 0
    # spec section 8's `: error: ` in both; the Chinese block's first message is in Chinese
    assert all(": error: " in b.text for b in shown)
    assert all(re.search("[\u4e00-\u9fff]", b.text.split(": error: ", 1)[1].split("\n")[0])
               for b in shown if b.args == ("zh",))


def _codes_in_source() -> set[str]:
    """The error codes perfrules reports: every one is in its catalogue."""
    return {code for code in CODES if code[0] in "EF"}


def _sections() -> dict[str, str]:
    text = (DOCS / "errors.md").read_text("utf-8")
    parts = re.split(r"^## ([EF]\d{3}) — .*$", text, flags=re.M)
    return {parts[k]: parts[k + 1] for k in range(1, len(parts), 2)}


def test_every_code_has_a_section_with_a_failing_example() -> None:
    sections = _sections()
    missing = sorted(_codes_in_source() - set(sections))
    assert not missing, f"docs/errors.md has no section for {missing}"
    for code, body in sections.items():
        if code.startswith("E6"):  # errors of other commands: shown with their command
            assert re.search(r"^```sh$", body, re.M), f"{code}: no command"
            continue
        failing = re.search(rf"^```(perfrules|toml)-error {code}\b", body, re.M)
        assert failing, f"{code}: no failing example"
        assert "**Fix.**" in body, f"{code}: no fix"


# ---- api.md ------------------------------------------------------------------------------


def test_api_examples_run() -> None:
    namespace: dict[str, object] = {"__name__": "api_md"}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for b in blocks("api.md"):
            if b.tag == "python":
                code = compile(b.text, b.where, "exec")
                exec(code, namespace)  # our own documentation
    finally:
        os.chdir(cwd)
