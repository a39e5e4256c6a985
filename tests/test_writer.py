"""The generated JSON writer (results/writer.py) against the audit records (`dict_from_records`).

Two ways to the same `to_dict()`: code generated per ruleset, and the records built field by
field at run time, the reference. They must write the same data, and so the same JSON bytes,
for every shipped ruleset and case, for facts Hypothesis draws (with overrides), and for rule
files Hypothesis draws with every kind of rule, adjustment, `applies`, `out of`, veto and
`because` insertion. The writer's own number printing is checked against arithmetic's.
"""

from __future__ import annotations

import ast
import decimal
import io
import json
import keyword
import re
import tempfile
import tokenize
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import decimal_context
from perfrules.results import writer
from perfrules.results.result import dict_from_records, dumps
from perfrules.semantics import arithmetic
from perfrules.testing import facts
from perfrules.tools.batch import Scorer
from perfrules.tools.batch_run import run_batch
from perfrules.tools.cases import load_cases

from .drawn import rule_files

ROOT = Path(__file__).resolve().parents[1]
RULESETS = sorted((ROOT / "rulesets").rglob("*.rules"))
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same(result: perfrules.Result) -> None:
    """The generated writer writes what the records write, key for key and byte for byte."""
    writers = writer.generate(result.ruleset)
    assert writers is not None
    generated, reference = writers.to_dict(result), dict_from_records(result)
    assert generated == reference
    # the text, written directly, is what the serializer writes of the records' data
    assert writers.to_json(result) == dumps(reference)
    # and again from the same Result: nothing either way depends on what was read before
    assert writers.to_dict(result) == reference
    _same_lost(result)


def _same_lost(result: perfrules.Result) -> None:
    """The generated 扣分原因 (`eval --batch --reasons`) are Result.lost from the records, digit for digit,
    whether the fast entry kept every value (`keep_values`, as the batch asks) or the result re-runs."""
    generated = writer.generate_lost(result.ruleset)
    assert generated is not None
    reference = [(str(loss.points), loss.path, list(loss.reasons)) for loss in result.lost]
    assert [(str(points), path, reasons) for points, path, reasons in generated.lost(result)] == reference
    assert generated.lost_json(result) == _lost_json(result)


def _lost_json(result: perfrules.Result) -> str:
    """What `eval --batch --reasons` wrote of Result.lost before the generated lost list (tools/batch.py)."""
    places = result.ruleset.model.precision
    return json.dumps([{"path": loss.path, "points": arithmetic.fixed(loss.points, places),
                        "reasons": list(loss.reasons)} for loss in result.lost], ensure_ascii=False)


def _same_fused(ruleset: perfrules.Ruleset, drawn: Any) -> None:
    """The batch's evaluator that writes the 扣分原因 too (writer.fused_for) scores a plain dict of inputs
    as `evaluate` does and writes its 扣分原因 as `Result.lost` from the records, or declines it."""
    fused = writer.generate_fused(ruleset)
    if fused is None:
        assert ruleset.rows or ruleset.judged_number
        return
    # the inputs alone, as a batch's plain record: drawn facts are shaped like a facts file
    inputs = drawn.get("facts", drawn) if isinstance(drawn, dict) else drawn
    made = ruleset.evaluate_fused(fused, inputs) if type(inputs) is dict else None
    if made is None:
        return  # declined: the batch evaluates these facts as usual
    result = ruleset.evaluate(inputs)
    assert (made[0].total, made[0].rating, made[0]._values) == (result.total, result.rating, result._values)
    assert made[1] == _lost_json(result)


def _written(ruleset: perfrules.Ruleset, drawn: Any) -> None:
    try:
        result = ruleset.evaluate(drawn)
    except perfrules.EvaluationError:
        return  # a division the rules do not guard: no Result to write
    _same(result)
    if not ruleset.rows:
        _same_fused(ruleset, drawn)
    if not ruleset.rows:
        # the batch with reasons: the fast entry keeps every value, and the 扣分原因 read them, not a re-run
        ruleset.keep_values = True
        try:
            kept = ruleset.evaluate(drawn)
        finally:
            ruleset.keep_values = False
        assert len(kept._values) == ruleset.compiled.layout.size
        generated = writer.generate_lost(ruleset)
        assert generated is not None
        reference = [(str(loss.points), loss.path, list(loss.reasons)) for loss in result.lost]
        assert [(str(points), path, reasons) for points, path, reasons in generated.lost(kept)] == reference
        assert generated.lost_json(kept) == _lost_json(result)


@pytest.mark.parametrize("path", sorted((ROOT / "rulesets").rglob("*.cases.toml")), ids=lambda p: p.name)
def test_every_shipped_case_is_written_as_the_records_write_it(path: Path) -> None:
    cases = load_cases(path)
    ruleset = perfrules.load(cases.rules)
    written = 0
    for case in cases.cases:
        try:
            result = ruleset.evaluate(dict(case.facts))
        except perfrules.PerfrulesError:
            continue  # a case that expects an error
        _same(result)
        if not ruleset.rows:
            _same_fused(ruleset, dict(case.facts))
        written += 1
    assert written  # every cases file has cases that evaluate


def test_a_shipped_facts_file_with_overrides_judged_and_a_veto_is_written_as_the_records_write_it() -> None:
    ruleset = perfrules.load(ROOT / "tests/golden/report/showcase.rules")
    result = ruleset.evaluate(ROOT / "tests/golden/report/showcase.facts.toml")
    assert result.facts.overrides is not None and result.facts.judged  # the fixture has both
    _same(result)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
@SLOW
@given(data=st.data())
def test_drawn_facts_are_written_as_the_records_write_them(path: Path, data: st.DataObject) -> None:
    ruleset = perfrules.load(path)
    drawn = data.draw(facts(ruleset))
    if not ruleset.rows:
        drawn = data.draw(_with_overrides(ruleset, drawn))
    _written(ruleset, drawn)


def _rows_rulesets() -> list[perfrules.Ruleset]:
    from .test_rows import ARMS, FORM_EN, FORM_ZH, SHARE, WEIGHTED

    texts = [FORM_ZH, FORM_EN.replace("else rescale", "else share"), ARMS, SHARE, WEIGHTED]
    return [perfrules.loads(t, f"rows{k}.rules") for k, t in enumerate(texts)]


@pytest.mark.parametrize("ruleset", _rows_rulesets(), ids=lambda r: r.display_name)
@SLOW
@given(data=st.data())
def test_drawn_rows_are_written_as_the_records_write_them(ruleset: perfrules.Ruleset, data: st.DataObject) -> None:
    _written(ruleset, data.draw(facts(ruleset)))


@st.composite
def _with_overrides(draw: st.DrawFn, ruleset: perfrules.Ruleset, drawn: dict[str, Any]) -> dict[str, Any]:
    """The drawn facts, and sometimes an [override] of a few leaves (points within their weight)."""
    leaves = [ind for ind in ruleset.indicator_list if ind.is_leaf]
    chosen = draw(st.lists(st.sampled_from(leaves), max_size=3, unique_by=lambda i: i.index)) if leaves else []
    if not chosen:
        return drawn
    override = {}
    for ind in chosen:
        hundredths = draw(st.integers(0, int(ind.weight * 100)))
        override[ind.path] = {"points": Decimal(hundredths) / 100, "because": f"评审组调整{ind.name}"}
    return {**drawn, "override": override}


# ---- drawn rule files ------------------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), text=rule_files())
def test_drawn_rule_files_are_written_as_the_records_write_them(data: st.DataObject, text: str) -> None:
    ruleset = perfrules.loads(text, "drawn.rules")  # every drawn file is a valid one
    drawn = data.draw(facts(ruleset))
    _written(ruleset, data.draw(_with_overrides(ruleset, drawn)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), text=rule_files())
def test_a_batch_with_reasons_writes_the_same_bytes_with_and_without_the_fused_evaluator(
        data: st.DataObject, text: str) -> None:
    # `eval --batch --reasons` scores a plain record and writes its 扣分原因 by one generated function
    # (tools/batch.py, Scorer.fused); without it, by `evaluate` and the generated lost list
    ruleset = perfrules.loads(text, "drawn.rules")
    records = [drawn["facts"] for drawn in data.draw(st.lists(facts(ruleset), min_size=1, max_size=6))]
    outputs = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.jsonl"
        path.write_text("".join(_jsonl(r) for r in records), "utf-8")
        for fusing in (True, False):
            ruleset.lost_writer = writer.generate_lost(ruleset)  # generated from the first record
            with pytest.MonkeyPatch.context() as patch:
                if not fusing:
                    patch.setattr(Scorer, "__init__", _not_fusing)
                out = io.StringIO()
                run_batch(ruleset, path, out, io.StringIO(), "json+reasons")
                outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]


def test_a_batch_with_reasons_runs_the_evaluator_once_per_record_with_a_veto_too(tmp_path: Path) -> None:
    # the batch line reads the veto from the whole values tuple: the fused function keeps it then
    text = 'ruleset "r" { total 20 }\ninput x: number in 0..100\nindicator A weight 20 { ratio x / 100 }\n' \
           'veto when x > 80 because "否决"\n'  # fmt: skip
    ruleset = perfrules.loads(text, "r.rules")
    ruleset.lost_writer = writer.generate_lost(ruleset)
    path = tmp_path / "b.jsonl"
    path.write_text("".join(f'{{"x": {x}}}\n' for x in (10, 50, 90)), "utf-8")
    runs: list[Any] = []
    evaluator = ruleset.compiled.function

    def counted(*args: Any) -> Any:
        runs.append(args)
        return evaluator(*args)

    ruleset.compiled.function = counted
    out = io.StringIO()
    run_batch(ruleset, path, out, io.StringIO(), "json+reasons")
    assert runs == []  # every record by the fused function, none run again for its veto
    # 90 > 80: vetoed, 0 points; 10: 2 of 20 (10% x 20), 18 lost
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["veto"] for line in lines] == [None, None, "否决"]
    assert [line["total"] for line in lines] == ["2.00", "10.00", "0.00"]


_SCORER = Scorer.__init__


def _not_fusing(self: Scorer, *args: Any, **kwargs: Any) -> None:
    _SCORER(self, *args, **kwargs)
    self.fusing = False


def _jsonl(record: dict[str, Any]) -> str:
    """A record as a JSON line, its Decimals as numbers written digit for digit."""
    def encoded(value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {encoded(v)}" for k, v in value.items()) + "}"
        if isinstance(value, Decimal):
            return str(value)
        return json.dumps(value, ensure_ascii=False)

    return encoded(record) + "\n"


# ---- texts that JSON escapes -----------------------------------------------------------------------

# `lost_json` writes each reason as it stands inside a JSON string: the rule file's texts escaped when
# the code is generated, the facts' texts (inputs, overrides, judged) as it runs, numbers not at all.
# Rule texts with `\"` and `\\`, inserted into reasons of every kind that has a text (because, checklist
# items, judged bands, a `when` condition, a grade), and facts texts with quotes, backslashes, control
# and bidi characters.
_ESCAPED_RULES = r"""ruleset "texts \"quoted\" \\ back" {
  version "1"
  total 100
  precision 2
}
input a: number in 0..1000
input b: number in 0..1000
input n: count
input m: count
input remark: text
input flag: bool
input level: grade(优, 良, 中, 差)

indicator 甲 "标签\"引号\"" weight 20 {
  ratio a / b because "执行率{a / b}，说明\"{remark}\"\\{level}{flag}"
}
indicator 乙 weight 20 {
  checklist { item "甲\"一\"" 10 when flag; item "乙\\二" 10 when n > m }
}
indicator 丙 weight 20 {
  judged bands { "达\"成": [80%, 100%]; "部分\\达成": [60%, 80%); "未达成": [0, 60%) }
}
indicator 丁 weight 20 {
  full
  deduct 1 when remark == "x\"y"
  deduct 0.5 per 1 of shortfall(n, m) because "少{shortfall(n, m)}次\"{remark}\""
  deduct 0.5 per 1 of shortfall(n, m)
}
indicator 戊 weight 10 {
  grade level { 优: full; 良: 80%; 中: 60%; 差: 0 }
}
indicator 己 weight 10 {
  judged
}
"""
_ESCAPED_TEXT = st.text(st.sampled_from(['"', "\\", "\n", "\t", "\x01", "\x7f", "\u202e", "\u2028", "x", "说"]),
                        max_size=6)  # fmt: skip


@SLOW
@given(data=st.data())
def test_reasons_with_texts_json_escapes_are_written_as_the_records_write_them(data: st.DataObject) -> None:
    ruleset = perfrules.loads(_ESCAPED_RULES, "escaped.rules")
    remark = data.draw(st.one_of(st.just('x"y'), _ESCAPED_TEXT))
    inputs = {"a": Decimal(data.draw(st.integers(0, 1000))), "b": Decimal(data.draw(st.integers(0, 1000))),
              "n": data.draw(st.integers(0, 5)), "m": data.draw(st.integers(0, 5)), "remark": remark,
              "flag": data.draw(st.booleans()), "level": data.draw(st.sampled_from(["优", "良", "中", "差"]))}
    judged: dict[str, Any] = {}
    for path, bands in (("丙", True), ("己", False)):
        points = data.draw(st.integers(0, 20 if path == "丙" else 10))
        entry: dict[str, Any] = {"points": Decimal(points)}
        if bands:  # a judged leaf with bands names its band (F217)
            entry["band"] = "达\"成" if points >= 16 else "部分\\达成" if points >= 12 else "未达成"
        if data.draw(st.booleans()):
            entry["because"] = data.draw(_ESCAPED_TEXT)
        judged[path] = entry
    drawn: dict[str, Any] = {"facts": inputs, "judged": judged}
    chosen = data.draw(st.lists(st.sampled_from(["甲", "乙", "丁", "戊"]), max_size=2, unique=True))
    if chosen:
        drawn["override"] = {path: {"points": Decimal(1), "because": data.draw(_ESCAPED_TEXT.filter(str.strip))}
                             for path in chosen}  # fmt: skip
    _written(ruleset, drawn)


# ---- the writer's number printing ----------------------------------------------------------------

_DECIMALS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False, places=8),
    st.builds(lambda k, e: Decimal(k).scaleb(e), st.integers(-10**45, 10**45), st.integers(-60, 20)),
    st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0E-7"), Decimal("-0.000"), Decimal("100.00"),
                     Decimal("1E+2"), Decimal("12345678901234567890123456789.0123456789"),
                     # 40 digits and a point, as a quotient in the engine's context prints (35 / 9)
                     Decimal("3.888888888888888888888888888888888888889"),
                     Decimal("-3.888888888888888888888888888888888888889"),
                     Decimal("3.888888888888888888888888888888888888880"),
                     Decimal("0.3333333333333333333333333333333333333333")]),
)  # fmt: skip


@given(value=st.one_of(_DECIMALS, st.integers(-10**50, 10**50)))
def test_the_writers_plain_is_arithmetics(value: Decimal | int) -> None:
    with decimal_context.EngineContext():  # where the writer runs
        try:
            expected = arithmetic.plain(value)
        except decimal.DecimalException:
            return  # beyond the engine's limits: no Result holds it
        assert writer.plain(value) == expected


@given(value=_DECIMALS)
def test_the_writers_percent_is_arithmetics(value: Decimal) -> None:
    with decimal_context.EngineContext():
        try:
            expected = arithmetic.percent_text(value)
        except decimal.DecimalException:
            return
        assert writer.percent_text(value) == expected


@pytest.mark.parametrize("places", [0, 1, 2, 4, 6, 8])
@given(value=st.one_of(_DECIMALS, st.integers(-10**50, 10**50), st.none()))
def test_the_writers_points_text_is_the_records(places: int, value: Decimal | int | None) -> None:
    # Result._points_text: the points rounded half-up to the precision, plain; None is 0
    printer = writer.points_printer(places)
    with decimal_context.EngineContext():
        try:
            expected = "0" if value is None else arithmetic.plain(arithmetic.round_half_up(value, places))
        except decimal.DecimalException:
            return
        assert printer(value) == expected


# ---- when the writer is used -----------------------------------------------------------------


def test_a_rulesets_first_results_are_written_from_their_records_and_later_ones_by_its_writer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ruleset = perfrules.load(ROOT / "rulesets/guangzhou/xiezuo-2022.rules")
    facts_file = ROOT / "rulesets/guangzhou/xiezuo-2022.facts.toml"
    calls: list[str] = []
    real = writer.generate

    def counting(rs: perfrules.Ruleset) -> Any:
        calls.append(rs.display_name)
        return real(rs)

    monkeypatch.setattr(writer, "generate", counting)
    result = ruleset.evaluate(facts_file)
    texts = [result.to_json() for _ in range(writer.GENERATE_AT - 1)]
    assert calls == []  # a few results: no code generated for them
    texts += [result.to_json(), result.to_json(), json.dumps(result.to_dict(), ensure_ascii=False, indent=2)]
    assert calls == [ruleset.display_name]  # generated once, at the GENERATE_AT-th
    assert len(set(texts)) == 1
    # the data is its text read back, lists for arrays (docs/api.md; a tuple is never equal to a list)
    assert result.to_dict() == json.loads(texts[0])
    assert result.to_json(indent=None) == json.dumps(dict_from_records(result), ensure_ascii=False)


def test_results_share_no_mutable_data() -> None:
    # each JSON row is a copy of a per-ruleset template: changing one result's data changes no other
    ruleset = perfrules.load(ROOT / "rulesets/guangzhou/xiezuo-2022.rules")
    facts_file = ROOT / "rulesets/guangzhou/xiezuo-2022.facts.toml"
    writers = writer.generate(ruleset)
    assert writers is not None
    write = writers.to_dict
    result = ruleset.evaluate(facts_file)
    first = write(result)
    first["indicators"][0]["path"] = "changed"
    first["indicators"][0]["reasons"].append("changed")
    first["indicators"][0]["inputs"]["changed"] = "1"
    first["ruleset"]["name"] = "changed"
    first["lost"][0]["reasons"].append("changed")
    assert write(result) == dict_from_records(result)
    lost = write(result)["lost"][0]
    row = next(r for r in write(result)["indicators"] if r["path"] == lost["path"])
    assert lost["reasons"] == row["reasons"] and lost["reasons"] is not row["reasons"]


# ---- nothing of the rule file becomes code ------------------------------------------------------

# The writer's own words: the JSON schema's keys, "0" (an amount of None) and "—" (a division by zero).
_SCHEMA_WORDS = {
    "adjustments", "amount", "applied", "band", "because", "clamped", "columns", "computed", "counted", "engine",
    "exact", "indicators", "inputs", "judged", "kind", "lost", "max", "meta", "out_of", "override", "path",
    "points", "rating", "raw_total", "reasons", "rescaled", "row", "ruleset", "scale", "schema", "source", "sum",
    "total", "veto", "0", "—", "true", "false", "",
}  # fmt: skip
_LOCALS = re.compile(r"^(s|i|l|c|K|we|wx|wt|wm|wg|wb)[\d_]+$")
_NAMES = {
    "write", "R", "I", "J", "O", "FX", "_saved", "_getcontext", "_setcontext", "_LOCAL", "context", "_D", "_div",
    "_zero", "_floor", "_ceil", "_clamp", "_shortfall", "_excess", "_Decimal", "_DivisionByZero", "_Poison", "_ZERO",
    "_HALF_UP", "_nothing_applies", "min", "max", "abs", "bool", "sum", "t", "r", "a", "q", "x", "exc", "dropped",
    "quantize", "wmeta", "wO", "wJ", "wL", "wp", "wo", "wr", "wraw", "wg", "wvt", "wmissed", "text", "ok", "_jsonable",
    "meta", "overrides", "judged", "because", "points", "band", "total", "rating", "show", "append", "copy", "sort",
    "key", "reverse", "join", "startswith", "type", "_int", "_str", "_format", "_it", "_pl", "_pt", "_pct", "_show",
    "_show_percent", "_show_count", "_show_number", "_first", "_zip", "T", "s", "_q", "_scalar", "_data", "wx", "_map",
}  # fmt: skip


def _code_names_and_words(code: str) -> tuple[set[str], set[str]]:
    names, words = set(), set()
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.STRING and tok.string.startswith("f'"):
            inner_names, inner_words = _code_names_and_words(tok.string[2:-1].replace("}{", "\n").strip("{}"))
            names |= inner_names
            words |= inner_words
        elif tok.type == tokenize.STRING:
            words.add(ast.literal_eval(tok.string))
        elif tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
            names.add(tok.string)
    return names, words


def test_the_writer_holds_no_text_of_the_rule_file() -> None:
    from .test_hostile import INJECTION

    ruleset = perfrules.loads(INJECTION, "inject.rules")
    writers = writer.generate(ruleset)
    assert writers is not None
    names, words = _code_names_and_words(writers.code)
    assert words <= _SCHEMA_WORDS
    assert {n for n in names if not _LOCALS.match(n)} <= _NAMES
    result = ruleset.evaluate({"__import__": 3, "exec": 4, "系统": "sys"})
    assert writers.to_dict(result) == dict_from_records(result)
    assert writers.to_json(result) == dumps(dict_from_records(result))
    assert writers.to_dict(result)["indicators"][0]["reasons"] == ['__class__.__mro__sys"); exec(\'x\') #']
