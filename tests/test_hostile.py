"""Hostile and broken input: no code from data, bounded time, a clean error or a correct result.

The corpus/ folder keeps every input that once crashed perfrules; each must now end
in a result or a clean error.
"""

from __future__ import annotations

import io
import keyword
import re
import subprocess
import sys
import time
import tokenize
from decimal import Decimal as D
from pathlib import Path

import pytest

import perfrules
from perfrules.inputs.facts_file import parse_facts

from .conftest import ROOT

CORPUS = Path(__file__).parent / "corpus"

INJECTION = r'''
ruleset "\"); __import__('os').system('touch /tmp/pwned') #" {
  total 100
  version "{__import__('os')}"
  rating { >= 90: "'); import os #"; else: "\\n\"\"\" + exec('1')" }
}
input __import__: number "__builtins__"
input exec: number
input eval_: text = "__class__.__mro__"
input 系统: grade(os, sys, __builtins__)
param open_ = 1 "open('/etc/passwd')" cite "import os"
let __class__ = __import__ * exec
indicator __init__ "{{os.system}}" weight 60 {
  note "\"\"\"; import os; \"\"\""
  score __class__
    because "{eval_}{系统}\"); exec('x') #"
}
indicator K0 weight 40 {
  grade 系统 { os: full; sys: 50%; __builtins__: 0 }
  deduct open_ when eval_ == "__class__.__mro__" because "lambda: __import__('os')"
}
'''

# Identifiers the generator itself may write; everything else must come from nowhere.
GENERATED = re.compile(r"^(s|i|l|c|K|_G|_L|_H|_I)\d+$")
HELPERS = {
    "evaluate", "F", "J", "O", "t", "r", "a", "q", "x", "exc", "dropped", "_D", "_ZERO", "_HALF_UP", "_div",
    "_zero", "_floor", "_ceil", "_round", "_clamp", "_shortfall", "_excess", "_Poison", "_DivisionByZero",
    "_nothing_applies", "min", "max", "abs", "bool", "sum", "quantize", "_achievement_at", "_as_measure",
    "keep_values",  # RS.keep_values: a batch with reasons keeps every value (tools/batch.py)
    # the fast entry's checks and the Result it builds
    "m", "V", "R", "_s", "_p", "_saved", "_getcontext", "_setcontext", "_LOCAL", "context", "_type", "_len",
    "_dict", "_int", "_bool", "_str", "_Decimal", "_KeyError", "_MI", "_NMI", "_E", "_convert", "_GET",
    "is_finite", "is_signed", "_new", "_Result", "RS", "_MAX", "_LABELS", "ruleset", "_values",
    "_facts", "total", "rating",
}


def _check_generated_code(code: str) -> None:
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.STRING:
            pytest.fail(f"the generated code contains a string literal: {tok.string}")
        if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
            assert GENERATED.match(tok.string) or tok.string in HELPERS, tok.string


def test_names_and_strings_never_become_code() -> None:
    rs = perfrules.loads(INJECTION, "inject.rules")
    _check_generated_code(rs.code)
    # 3 × 4 = 12 points; 系统 = sys → 50% of 40 = 20, minus open_ (1) since eval_ keeps its default
    r = rs.evaluate({"__import__": 3, "exec": 4, "系统": "sys"})
    assert r.total == D("31.00")
    assert r.rating == '\\n""" + exec(\'1\')'
    assert r.indicator("__init__").reasons == ('__class__.__mro__sys"); exec(\'x\') #',)
    assert not Path("/tmp/pwned").exists()


def test_generated_evaluator_has_no_builtins() -> None:
    rs = perfrules.loads(INJECTION, "inject.rules")
    assert rs.compiled.function.__globals__["__builtins__"] == {}


def test_override_variant_is_injection_free_too() -> None:
    rs = perfrules.loads(INJECTION, "inject.rules")
    facts = {"facts": {"__import__": 1, "exec": 1, "系统": "os"},
             "override": {"__init__": {"points": 5, "because": "'); import os #"}}}
    r = rs.evaluate(facts)
    # override 5 + 40 (os → full) − 1 = 44
    assert r.total == D("44.00")
    from perfrules.backend.compile import _Emitter

    _check_generated_code(_Emitter(rs.model).program(overrides=True, checks=None))


def _fails_fast(text: str | bytes, code: str, seconds: float = 5.0) -> perfrules.Diagnostic:
    start = time.perf_counter()
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(text, "hostile.rules")
    assert time.perf_counter() - start < seconds
    d = info.value.diagnostics[0]
    assert d.code == code, d
    assert re.match(r"^hostile\.rules:\d+:\d+$", d.location()), d.location()
    return d


HEAD = 'ruleset "h" { total 1 }\ninput x: number\ninput b: bool\n'


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (HEAD + "indicator A weight 1 { score " + "(" * 10_000 + "x" + ")" * 10_000 + " }", "E104"),
        ('ruleset "h" { total 1 }\n' + "indicator A weight 1 {\n" * 10_000 + "full\n" + "}\n" * 10_000, "E104"),
        (HEAD + "indicator A weight 1 { score " + "x + " * 10_000 + "x }", "E104"),
        (HEAD + "indicator A weight 1 { full; deduct 1 when " + "not " * 10_000 + "b }", "E104"),
        (HEAD + "indicator A weight 1 { score " + "- " * 10_000 + "x }", "E104"),
        (HEAD + "indicator A weight 1 { score " + "if b then 1 else " * 5_000 + "0 }", "E104"),
        (HEAD + "indicator A weight 1 { score 1e999999 }", "E102"),
        (HEAD + "indicator A weight 1 { score " + "9" * 400 + " }", "E107"),
        ('ruleset "h" { total 1 }\n' + "#" * 10_000_000 + "\n", "E107"),
        (HEAD + "indicator A weight 1 { score x }\n" + "let y = x\n" * 30_000, "E107"),
        (HEAD + "indicator A weight 1 { score x\u200b }", "E102"),
        (HEAD + "indicator A weight 1 { score x }\n" + "input z: number " + "x" * 1_000_000, "E101"),
    ],
    ids=["parens", "blocks", "long-sum", "nots", "minus", "ifs", "exponent", "400-digits", "10MB", "tokens",
         "zero-width", "long-line"],
)
def test_limits_end_in_a_positioned_error(text: str, code: str) -> None:
    _fails_fast(text, code)


def test_non_utf8_bytes_are_an_error_with_position() -> None:
    d = _fails_fast(b'ruleset "h" { total 1 }\n# \xe4\xb8\n', "E100")
    assert d.location() == "hostile.rules:2:3"


def test_bom_crlf_tabs_and_full_width_give_a_correct_result() -> None:
    text = ('\ufeffruleset "h" {\r\n\ttotal 10\r\n}\r\ninput x：percent\r\n'
            'indicator A weight 10 {\r\n\tratio x　# 注\r\n}\r\n')
    # 87.5% × 10 = 8.75
    assert perfrules.loads(text.encode("utf-8"), "h.rules").evaluate({"x": "87.5%"}).total == D("8.75")


def test_tabs_keep_carets_aligned() -> None:
    from perfrules.text.render import diagnostic

    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads('ruleset "h" { total 1 }\n\tindicator A weight 1 { ratio nope }', "t.rules")
    rendered = diagnostic(info.value.diagnostics[0]).splitlines()
    source_line, caret_line = rendered[2], rendered[3]
    # the tab is shown as four spaces, so the caret sits under `nope`
    assert source_line.index("nope") == caret_line.index("^")


@pytest.mark.parametrize(
    ("toml", "code"),
    [
        ("[facts]\nx = nan\n", "F205"),
        ("[facts]\nx = inf\n", "F205"),
        ("[facts]\nx = 1" + "0" * 400 + "\n", "F205"),
        ("[facts]\nx = 0." + "1" * 400 + "\n", "F205"),
        ("[facts]\nx = { a = { b = 1 } }\n", "F204"),
        ("[facts]\nx = [1, 2]\n", "F204"),
        ("[facts]\nx = " + "[" * 5_000 + "]" * 5_000 + "\n", None),
        ("[facts]\nx = 1\n[facts]\nx = 2\n", "F100"),
        ('[facts]\nx = "' + "长" * 1_000_000 + '"\n', "F204"),
    ],
    ids=["nan", "inf", "huge", "long-fraction", "table", "list", "deep-array", "duplicate-table", "long-string"],
)
def test_hostile_facts_end_in_a_facts_error(toml: str, code: str | None) -> None:
    rs = perfrules.loads('ruleset "h" { total 10 }\ninput x: number\nindicator A weight 10 { score x }', "h.rules")
    start = time.perf_counter()
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(parse_facts(toml, "f.toml"))
    assert time.perf_counter() - start < 5
    if code is not None:
        assert info.value.diagnostics[0].code == code


def test_non_utf8_facts_file() -> None:
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts(b"[facts]\nx = 1\n# \xff\n", "f.toml")
    assert info.value.diagnostics[0].location() == "f.toml:3:3"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "perfrules", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=60, cwd=ROOT)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.rules")), ids=lambda p: p.name)
def test_corpus_of_former_crashes(path: Path) -> None:
    proc = _cli("check", str(path))
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    facts = path.with_suffix(".toml")
    if proc.returncode == 0 and facts.exists():
        proc = _cli("eval", str(path), str(facts), "--format", "json")
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
        assert "internal error" not in proc.stderr


def test_fast_path_follows_the_full_validator_whatever_the_callers_context() -> None:
    import decimal

    rs = perfrules.loads('ruleset "t" { total 10 }\ninput x: number\nindicator A weight 10 { score x }', "t.rules")
    with decimal.localcontext() as ctx:
        ctx.capitals = 0  # str(Decimal("5E+18")) is then "5e+18", which once slipped past the fast path
        for value in (D("5E+18"), D("1E-40"), D("1E+99999")):
            with pytest.raises(perfrules.FactsError):
                rs.evaluate({"x": value})
    # −0 takes the full path, which reads it as 0
    assert rs.compiled.function({"x": D("-0")}, None, (), None, rs) is None


def test_an_unreadably_large_integer_in_facts_is_a_facts_error() -> None:
    with pytest.raises(perfrules.FactsError) as info:
        parse_facts("[facts]\nx = " + "9" * 5000 + "\n", "f.toml")
    assert info.value.diagnostics[0].code == "F100"


def test_batch_goes_on_past_unreadable_records(tmp_path: Path) -> None:
    (tmp_path / "b.rules").write_text('ruleset "b" { total 10 }\ninput x: number\nindicator A weight 10 { score x }\n',
                                      "utf-8")
    lines = ['{"x": 1}', '{"x": ' + "9" * 5000 + "}", "[" * 100_000, '{"x": 2}']
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    proc = _cli("eval", str(tmp_path / "b.rules"), "--batch", str(tmp_path / "r.jsonl"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    # rows 1 and 4 score 1 and 2; rows 2 and 3 fail and are reported
    assert proc.stderr.strip().endswith("2 scored, 2 failed")
    assert '"total": "2.00"' in proc.stdout.splitlines()[3]


@pytest.mark.parametrize("args", [
    ("report", "R", "F", "-o", "/nonexistent/r.md"),
    ("eval", "R", "--batch", "F", "--workers", "0"),
    ("test", "--examples", "-5"),
])
def test_wrong_usage_exits_2(args: tuple[str, ...], tmp_path: Path) -> None:
    rules = tmp_path / "b.rules"
    rules.write_text('ruleset "b" { total 10 }\nindicator A weight 10 { full }\n', "utf-8")
    facts = tmp_path / "f.toml"
    facts.write_text("[facts]\n", "utf-8")
    proc = _cli(*[str(rules) if a == "R" else str(facts) if a == "F" else a for a in args])
    assert proc.returncode == 2, proc.stderr
    assert "internal error" not in proc.stderr
