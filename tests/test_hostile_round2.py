"""Hostile input, round two (issue 16): numbers too large, bad text, duplicated keys, slow inputs,
output that fools a terminal or a spreadsheet, and batches that must end cleanly.

Each test here failed before its fix. Whole-program runs go through a subprocess with a
timeout (the harness's time limit), never a timed assertion.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

import perfrules

from .conftest import ROOT

BIG = 999999999999999999  # the largest number facts accept: below 10^18


def _cli(*args: str, cwd: Path = ROOT, timeout: float = 60, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "perfrules", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout, cwd=cwd, **kw)


def _e503(text: str, facts: dict[str, Any]) -> perfrules.Diagnostic:
    rs = perfrules.loads('ruleset "h" { total 10 }\ninput x: number\n' + text, "h.rules")
    with pytest.raises(perfrules.EvaluationError) as info:
        rs.evaluate(facts)
    (d,) = info.value.diagnostics
    assert d.code == "E503"
    return d


# ---- 13: huge numbers are E503 at evaluation, on every path ------------------------------------------

HUGE = {
    "multiply": "indicator A weight 10 { full\n deduct x * 100000000000000000000000 }",
    "insertion": 'indicator A weight 10 { full\n deduct 1 when x > 0 because "{x * 100000000000000000000000}" }',
    "per-step": "indicator A weight 10 { full\n deduct 1 per 0.00000000000000000000000000001 of x }",
}


@pytest.mark.parametrize("text", HUGE.values(), ids=HUGE.keys())
@pytest.mark.parametrize("shape", ["inputs", "facts-file"])
def test_huge_numbers_are_e503_at_evaluation(text: str, shape: str) -> None:
    # 999999999999999999 × 10^23 ≈ 10^41, and 999999999999999999 ÷ 10^-29 ≈ 10^47: both past 10^30
    facts: dict[str, Any] = {"x": BIG} if shape == "inputs" else {"facts": {"x": BIG}}
    _e503(text, facts)
    _e503(text, {"x": D(BIG)})  # a Decimal takes the same path


def test_an_insertion_that_overflows_points_at_itself() -> None:
    d = _e503(HUGE["insertion"], {"x": BIG})
    assert d.location() == "h.rules:4:32"  # the `x * …` inside the braces


def test_large_but_legal_numbers_still_score() -> None:
    # 999999999999999999 × 10^11 < 10^30: deducted in full, so 10 − that is below 0 and clamps to 0
    rs = perfrules.loads('ruleset "h" { total 10 }\ninput x: number\nindicator A weight 10 { full\n'
                         ' deduct x * 100000000000 because "{x * 100000000000}" }', "h.rules")
    r = rs.evaluate({"x": BIG})
    assert r.total == D("0.00")
    # the deduction passed the weight: its own text says where it stopped (language.md, Reasons)
    assert r.lost[0].reasons == ("99999999999999999900000000000 (floored at 0)",)
    json.loads(r.to_json())


@pytest.mark.parametrize("command", ["eval", "explain", "report", "batch"])
def test_huge_numbers_are_e503_in_every_command(command: str, tmp_path: Path) -> None:
    rules = tmp_path / "h.rules"
    rules.write_text('ruleset "h" { total 10 }\ninput x: number\n' + HUGE["multiply"], "utf-8")
    facts = tmp_path / "f.toml"
    facts.write_text(f"[facts]\nx = {BIG}\n", "utf-8")
    batch = tmp_path / "b.jsonl"
    batch.write_text(f'{{"x": {BIG}}}\n{{"x": 1}}\n', "utf-8")
    args = {"eval": ["eval", str(rules), str(facts)], "explain": ["explain", str(rules), str(facts), "A"],
            "report": ["report", str(rules), str(facts)], "batch": ["eval", str(rules), "--batch", str(batch)]}
    proc = _cli(*args[command])
    assert proc.returncode == 1, proc.stderr
    assert "E503" in proc.stderr and "internal error" not in proc.stderr
    if command == "batch":
        first, second = proc.stdout.splitlines()
        assert json.loads(first)["error"][0]["code"] == "E503"
        # x = 1: 10 − 1 × 10^23 clamps to 0
        assert json.loads(second)["total"] == "0.00"
        assert proc.stderr.strip().endswith("1 scored, 1 failed")


# ---- 15: surrogates are a clean error ------------------------------------------------------------------


def test_a_lone_surrogate_in_rule_text_is_a_rules_error() -> None:
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads('ruleset "\ud800" { total 1 }\nindicator A weight 1 { full }', "s.rules")
    (d,) = info.value.diagnostics
    assert d.code == "E100" and d.location() == "s.rules:1:10"


def test_a_lone_surrogate_in_a_jsonl_record_fails_that_record(tmp_path: Path) -> None:
    rules = tmp_path / "b.rules"
    rules.write_text('ruleset "b" { total 10 }\ninput x: number\ninput t: text = ""\n'
                     "indicator A weight 10 { score x }\n", "utf-8")
    data = tmp_path / "s.jsonl"
    # a lone half, then a proper pair (😀), which is a character like any other
    data.write_text('{"x": 1, "t": "\\ud800"}\n{"x": 2, "t": "\\ud83d\\ude00"}\n', "utf-8")
    proc = _cli("eval", str(rules), "--batch", str(data))
    assert proc.returncode == 1 and "internal error" not in proc.stderr, proc.stderr
    first, second = proc.stdout.splitlines()
    assert json.loads(first)["error"][0]["code"] == "F101"
    assert json.loads(second)["total"] == "2.00"


# ---- 14: a column or key named twice is refused ---------------------------------------------------------

RULES_X = 'ruleset "b" { total 10 }\ninput x: number\ninput name: text = ""\nindicator A weight 10 { score x }\n'


def test_a_csv_header_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "b.rules").write_text(RULES_X, "utf-8")
    (tmp_path / "d.csv").write_text("x,name,x\n0.9,a,0.1\n", "utf-8")
    proc = _cli("eval", str(tmp_path / "b.rules"), "--batch", str(tmp_path / "d.csv"))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "d.csv:1:3: the header names the column `x` twice (columns 1 and 3)" in proc.stderr


def test_a_json_record_naming_a_key_twice_fails(tmp_path: Path) -> None:
    (tmp_path / "b.rules").write_text(RULES_X, "utf-8")
    (tmp_path / "d.jsonl").write_text('{"x": 0.9, "x": 0.1}\n{"x": 1}\n', "utf-8")
    proc = _cli("eval", str(tmp_path / "b.rules"), "--batch", str(tmp_path / "d.jsonl"))
    assert proc.returncode == 1
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["error"][0]["message"] == "the key `x` appears twice on this line"
    assert second["total"] == "1.00"


# ---- 5, 6, 9: every input is read up to its limit and no further; bad rows fail alone --------------------


def test_check_dev_zero_stops_at_the_size_limit() -> None:
    # before: the whole "file" was read first, growing past gigabytes (the timeout is the harness's limit)
    proc = _cli("check", "/dev/zero", timeout=5)
    assert proc.returncode == 1
    assert "/dev/zero:1:1: error: this rule file is larger than the limit of 2,000,000 bytes" in proc.stderr


def test_a_facts_file_has_a_size_limit(tmp_path: Path) -> None:
    facts = tmp_path / "big.toml"
    facts.write_text('[meta]\nnote = "' + "a" * 2_000_000 + '"\n[facts]\nx = 1\n', "utf-8")
    rs = perfrules.loads(RULES_X, "b.rules")
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(facts)
    (d,) = info.value.diagnostics
    assert d.code == "F100" and d.message == "this facts file is larger than the limit of 2,000,000 bytes"


def test_a_cases_file_has_a_size_limit(tmp_path: Path) -> None:
    from perfrules.tools.cases import CasesError, load_cases

    cases = tmp_path / "big.cases.toml"
    cases.write_text('rules = "b.rules"\n# ' + "a" * 2_000_000 + "\n", "utf-8")
    with pytest.raises(CasesError) as info:
        load_cases(cases)
    assert info.value.diagnostics[0].message == "this cases file is larger than the limit of 2,000,000 bytes"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_jsonl_line_over_the_record_limit_fails_alone(tmp_path: Path, workers: str) -> None:
    (tmp_path / "b.rules").write_text(RULES_X, "utf-8")
    data = tmp_path / "d.jsonl"
    data.write_bytes(b'{"x": 1}\n{"name": "' + b"a" * 3_000_000 + b'"}\n{"x": 2}\n{"x": 3}')
    proc = _cli("eval", str(tmp_path / "b.rules"), "--batch", str(data), "--workers", workers)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line.get("total") for line in lines] == ["1.00", None, "2.00", "3.00"]
    # the line is 3,000,000 a's, `{"name": "` (10 bytes), `"}` and its newline: 3,000,013 bytes
    assert lines[1]["error"][0]["message"] == ("this line is 3,000,013 bytes, more than the limit of "
                                               "1,000,000 for one record")
    assert proc.stderr.strip().endswith("3 scored, 1 failed")


def test_bad_csv_rows_fail_alone(tmp_path: Path) -> None:
    (tmp_path / "b.rules").write_text(RULES_X, "utf-8")
    data = tmp_path / "d.csv"
    data.write_bytes(b"x\n1\n" + b"2" * 140_000 + b"\n\xff\n3\n" + b"4" * 1_100_000 + b"\n5\n")
    proc = _cli("eval", str(tmp_path / "b.rules"), "--batch", str(data))
    assert proc.returncode == 1 and "internal error" not in proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line.get("total") for line in lines] == ["1.00", None, None, "3.00", None, "5.00"]
    messages = [line["error"][0]["message"] for line in lines if "error" in line]
    assert messages[0] == "this row is not valid CSV: field larger than field limit (131072)"
    assert messages[1].startswith("this row is not UTF-8 text: byte 0xFF")
    assert messages[2] == "this row is longer than the limit of 1,000,000 bytes"


# ---- item 1 and 2: where a facts key sits, found in one linear pass ---------------------------


def test_a_bracket_and_thousands_of_spaces_are_no_table_header() -> None:
    from perfrules.inputs.facts_file import table_header

    # the line that made the old header regex take seconds: `[`, 3,000 spaces, no `]`
    assert table_header("[" + " " * 3000 + "x") is None
    assert table_header('  [ "facts" ]  ') == "facts"
    assert table_header("[meta]") == "meta"
    assert table_header("x = 1") is None


def test_a_facts_file_with_many_problems_is_read_once_for_their_places(monkeypatch: pytest.MonkeyPatch) -> None:
    from perfrules.inputs import facts_file as facts_module

    rules = perfrules.loads('ruleset "r" { total 10 }\ninput x: number\nindicator a weight 10 { score x }\n')
    text = "[facts]\nx = 1\n" + "".join(f"unknown{k} = {k}\n" for k in range(2000))
    text += "note = '''\n[" + " " * 3000 + "x\n'''\n"
    passes = []
    original = facts_module.Locator._index

    def counted(self: Any) -> Any:
        passes.append(1)
        return original(self)

    monkeypatch.setattr(facts_module.Locator, "_index", counted)
    with pytest.raises(perfrules.FactsError) as caught:
        rules.evaluate(perfrules.parse_facts(text, "many.toml"))
    problems = caught.value.diagnostics
    assert len(problems) == 2001  # 2,000 unknown inputs and `note`
    assert passes == [1]
    # each still at its own line: unknown1999 is on line 2 + 2000 = 2002
    span = next(d for d in problems if "unknown1999" in d.message).span
    assert span is not None and span.line == 2002


def test_a_cases_file_header_line_of_spaces_is_read_in_one_pass() -> None:
    from perfrules.tools.cases import _header

    assert _header("[" + " " * 3000 + "x") is None
    assert _header("[[case]]") == (True, "case")
    assert _header(' [ case.expect ] ') == (False, "case.expect")


# ---- item 3: did-you-mean bounded as CPython bounds its own --------------------------------


def test_suggestions_are_bounded_and_the_errors_still_all_come(monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib

    from perfrules import diagnostics

    compared = []
    original = difflib.get_close_matches

    def counting(word: str, possibilities: Any, *args: Any, **kwargs: Any) -> Any:
        compared.append(len(possibilities))
        return original(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    # 600 inputs and 600 misspelt uses: without a bound, 360,000 names compared (minutes at 6,000)
    decls = "".join(f"input 输入{k}: number\n" for k in range(600))
    uses = "".join(f"let s{k} = 输人{k}\n" for k in range(600))
    text = f'ruleset "r" {{ total 10 }}\n{decls}{uses}indicator a weight 10 {{ score 1 }}\n'
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads(text, "many.rules")
    assert sum(1 for d in caught.value.diagnostics if d.code == "E201") == 600
    assert sum(compared) <= 2 * diagnostics.SUGGESTION_BUDGET  # two cutoffs per name at most
    # the first ones still get their hint
    first = caught.value.diagnostics[0]
    assert first.help is not None and "输入0" in first.help
    # and a name among more than MAX_CANDIDATES, or longer than MAX_NAME_LENGTH, gets none
    assert diagnostics.did_you_mean("ab", [f"n{k}" for k in range(751)] + ["ab1"]) is None
    assert diagnostics.did_you_mean("x" * 41, ["x" * 40]) is None
    assert diagnostics.did_you_mean("执行率", ["执行数", "执行力"]) is not None


# ---- item 4: `{…}` insertions count toward the file's token limit --------------------------


def test_insertions_in_because_count_toward_the_token_limit() -> None:
    # 400 insertions of 397 tokens each (x + x + … + x: 199 names, 198 pluses) are ~159,000
    # tokens in a file whose statements are well under 400 tokens each: over the 60,000 limit
    insertion = "{" + " + ".join(["x"] * 199) + "}"
    head = 'ruleset "r" { total 10 }\ninput x: number\nindicator a weight 10 { score x because "'
    text = head + " ".join([insertion] * 400) + '" }\n'
    with pytest.raises(perfrules.RulesError) as caught:
        perfrules.loads(text, "big.rules")
    assert [d.code for d in caught.value.diagnostics] == ["E107"]
    span = caught.value.diagnostics[0].span
    assert span is not None and span.line == 3 and span.start > len(head)  # inside the because text
    # a few insertions are no trouble
    fine = perfrules.loads(head + " ".join([insertion] * 3) + '" }\n', "fine.rules")
    assert fine.evaluate({"x": 2}).total == 2  # score x: 2 points of 10
