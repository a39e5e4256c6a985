"""Batch scoring: `perfrules eval RULES --batch FILE|DIR` and `Ruleset.evaluate_many`.

Every expected total below is worked out by hand from RULES:
  完成 (weight 6) = 6 × done/plan, clamped to [0, 6];
  满意 (weight 4) = 4 if rate >= 90%, 2 if rate >= 60%, else 0;
  then 1 point off the total when not ok; rating 优 >= 9, 中 >= 6, else 差.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfrules
from perfrules.cli import main

RULES = """\
ruleset "批量" {
  total 10
  precision 2
  rating { >= 9: "优"; >= 6: "中"; else: "差" }
}
input id: count
input done: count
input plan: count
input rate: percent
input ok: bool
indicator 完成 weight 6 { ratio done / plan }
indicator 满意 weight 4 { tiers rate { >= 90%: full; >= 60%: 2; else: 0 } }
deduct 1 when not ok because "未按时报送"
"""

# id 1: 6 × 3/4 = 4.50; 95% >= 90% -> 4; ok           -> 8.50 中
# id 2: done is not a whole number                      -> error, row 2
# id 3: 6 × 5/4 = 7.5 clamped to 6; 60% -> 2; not ok -1 -> 7.00 中
# id 4: 6 × 1/3 = 2.00; 50% -> 0; ok                    -> 2.00 差
# id 5: 6 × 4/4 = 6; 100% -> 4; ok                      -> 10.00 优
RECORDS: list[dict[str, Any]] = [
    {"id": 1, "done": 3, "plan": 4, "rate": "95%", "ok": True},
    {"id": 2, "done": "three", "plan": 4, "rate": "95%", "ok": True},
    {"id": 3, "done": 5, "plan": 4, "rate": "60%", "ok": False},
    {"id": 4, "done": 1, "plan": 3, "rate": "50%", "ok": True},
    {"id": 5, "done": 4, "plan": 4, "rate": "100%", "ok": True},
]
EXPECTED = {1: ("8.50", "中"), 3: ("7.00", "中"), 4: ("2.00", "差"), 5: ("10.00", "优")}


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "batch.rules"
    path.write_text(RULES, encoding="utf-8")
    return path


def write_jsonl(path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def write_csv(path: Path) -> Path:
    lines = ["id,done,plan,rate,ok"]
    for r in RECORDS:
        lines.append(f"{r['id']},{r['done']},{r['plan']},{r['rate']},{str(r['ok']).lower()}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_dir(path: Path) -> Path:
    path.mkdir()
    for r in RECORDS:
        body = "\n".join(
            f"{k} = {json.dumps(v, ensure_ascii=False) if not isinstance(v, bool) else str(v).lower()}"
            for k, v in r.items()
        )
        (path / f"p{r['id']}.toml").write_text(f"[facts]\n{body}\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    # the reports on stderr in English, as these tests spell them (the rule file is in Chinese, so
    # without --lang they would be in Chinese: tests/test_catalogue_cli.py)
    code = main(["eval", *argv, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def check_json_lines(lines: list[str], key: str, names: list[object]) -> None:
    objects = [json.loads(line) for line in lines]
    assert [o[key] for o in objects] == names
    for o, record in zip(objects, RECORDS, strict=True):
        if record["id"] == 2:
            assert "total" not in o and "points" not in o  # never a partial result
            assert o["error"][0]["code"] == "F207"
            assert "done" in o["error"][0]["message"]
        else:
            assert (o["total"], o["rating"]) == EXPECTED[record["id"]]
            assert set(o["points"]) == {"完成", "满意"}
    # id 3: 完成 clamped to its weight, 满意 the 60% tier, the deduction applied
    third = objects[2]
    assert third["points"] == {"完成": "6.00", "满意": "2.00"}
    assert third["adjustments"] == ["1"]


def test_jsonl_bad_record_in_the_middle(rules_file: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = write_jsonl(tmp_path / "data.jsonl")
    code, out, err = run(capsys, str(rules_file), "--batch", str(data))
    assert code == 1
    check_json_lines(out.splitlines(), "row", [1, 2, 3, 4, 5])
    assert "data.jsonl: row 2: " in err and "F207" in err
    assert err.strip().splitlines()[-1] == "4 scored, 1 failed"


def test_a_record_s_errors_speak_as_eval_does(rules_file: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # RULES writes English keywords and a Chinese name: `eval RULES FACTS` says facts errors in English
    # (docs/errors.md), and so does the batch, in its output and on stderr; its closing count is Chinese,
    # as what is said about the file's results is
    data = write_jsonl(tmp_path / "data.jsonl")
    assert main(["eval", str(rules_file), "--batch", str(data)]) == 1
    out, err = capsys.readouterr()
    second = json.loads(out.splitlines()[1])
    assert second["error"][0]["message"] == '`done`: expected a whole number of 0 or more, found the text "three"'
    assert "data.jsonl: row 2: facts['done']: error: `done`: expected a whole number" in err
    assert err.strip().splitlines()[-1] == "已评分4条，失败1条"


def test_jsonl_numbers_are_read_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "r.rules"
    rules.write_text('ruleset "r" { total 10 }\ninput x: number\n'
                     "indicator a weight 10 { score x }\n", encoding="utf-8")  # fmt: skip
    data = tmp_path / "d.jsonl"
    # 0.1 + 0.2 is 0.30000000000000004 in binary floats; read exactly it stays 0.3
    data.write_text('{"x": 0.3}\n{"x": 9.995}\n', encoding="utf-8")
    code, out, _ = run(capsys, str(rules), "--batch", str(data))
    assert code == 0
    assert [json.loads(line)["total"] for line in out.splitlines()] == ["0.30", "10.00"]  # 9.995 -> 10.00 half-up


def test_csv_input_and_csv_output(rules_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_csv(tmp_path / "data.csv")
    code, out, err = run(capsys, str(rules_file), "--batch", str(data), "--format", "csv")
    assert code == 1
    rows = out.splitlines()
    assert rows[0] == "row,id,total,rating,完成,满意,error"
    assert rows[1] == "1,1,8.50,中,4.50,4.00,"
    assert rows[2].startswith("2,2,,,,,") and "F207" in rows[2]
    assert rows[3] == "3,3,7.00,中,6.00,2.00,"
    assert rows[4] == "4,4,2.00,差,2.00,0.00,"
    assert rows[5] == "5,5,10.00,优,6.00,4.00,"
    assert "data.csv: row 2: " in err
    assert err.strip().splitlines()[-1] == "4 scored, 1 failed"


def test_csv_input_json_output_and_empty_cell_is_missing(rules_file: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = write_csv(tmp_path / "data.csv")
    code, out, _ = run(capsys, str(rules_file), "--batch", str(data))
    check_json_lines(out.splitlines(), "row", [1, 2, 3, 4, 5])
    data.write_text("id,done,plan,rate,ok\n7,3,,95%,true\n", encoding="utf-8")
    code, out, err = run(capsys, str(rules_file), "--batch", str(data))
    assert code == 1
    assert json.loads(out)["error"][0]["code"] == "F203"  # missing input `plan`
    assert "0 scored, 1 failed" in err


def test_dir_of_facts_files(rules_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_dir(tmp_path / "facts")
    code, out, err = run(capsys, str(rules_file), "--batch", str(folder))
    assert code == 1
    check_json_lines(out.splitlines(), "file", ["p1.toml", "p2.toml", "p3.toml", "p4.toml", "p5.toml"])
    assert "facts: p2.toml: " in err and "F207" in err
    assert err.strip().splitlines()[-1] == "4 scored, 1 failed"


def test_all_scored_exits_0_and_writes_the_output_file(rules_file: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "good.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in RECORDS if r["id"] != 2), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    code, out, err = run(capsys, str(rules_file), "--batch", str(data), "-o", str(target))
    assert code == 0 and out == ""
    assert err == "4 scored, 0 failed\n"  # no progress bar: stderr is not a terminal
    totals = [json.loads(line)["total"] for line in target.read_text(encoding="utf-8").splitlines()]
    assert totals == ["8.50", "7.00", "2.00", "10.00"]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_two_workers_give_the_same_output(rules_file: Path, tmp_path: Path, fmt: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    # 600 records: several chunks, so order across workers matters
    data = tmp_path / "many.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for k in range(600):
            record = dict(RECORDS[k % len(RECORDS)], id=k)
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    one, two = tmp_path / "one.out", tmp_path / "two.out"
    code1, _, err1 = run(capsys, str(rules_file), "--batch", str(data), "--format", fmt, "-o", str(one))
    code2, _, err2 = run(capsys, str(rules_file), "--batch", str(data), "--format", fmt, "-o", str(two),
                         "--workers", "2")
    assert code1 == code2 == 1
    assert one.read_bytes() == two.read_bytes()
    assert err1 == err2
    assert err1.strip().splitlines()[-1] == "480 scored, 120 failed"


def test_evaluate_many_yields_a_result_or_the_error_in_order(rules_file: Path) -> None:
    ruleset = perfrules.load(rules_file)
    out = list(ruleset.evaluate_many(RECORDS))
    assert [type(x).__name__ for x in out] == ["Result", "FactsError", "Result", "Result", "Result"]
    totals = [x.total for x in out if isinstance(x, perfrules.Result)]
    assert totals == [Decimal("8.50"), Decimal("7.00"), Decimal("2.00"), Decimal("10.00")]


def test_batch_rejects_other_formats(rules_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_jsonl(tmp_path / "data.jsonl")
    code, _, err = run(capsys, str(rules_file), "--batch", str(data), "--format", "text")
    assert code == 2 and "json lines or csv" in err
    other = tmp_path / "data.txt"
    other.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, str(rules_file), "--batch", str(other))
    assert code == 2 and ".jsonl or .csv" in err


def test_fast_path_gives_the_same_result_as_the_full_validator() -> None:
    """Plain dicts of exact types (and Facts) take a precompiled validator; `validate` is the full one.
    Both must give the same Result, digit for digit (exponents included), and the same errors."""
    from perfrules.inputs.facts import validate

    ruleset = perfrules.loads(RULES, "batch.rules")

    def full_path(record: dict[str, Any]) -> perfrules.Result:
        return ruleset.evaluate_validated(validate(ruleset.model, perfrules.Facts(dict(record))))

    for record in RECORDS:
        try:
            fast = ruleset.evaluate(dict(record))
        except perfrules.FactsError as exc:
            with pytest.raises(perfrules.FactsError) as full_error:
                full_path(record)
            assert [str(d) for d in exc.diagnostics] == [str(d) for d in full_error.value.diagnostics]
            continue
        full = full_path(record)
        # the fast entry keeps only the head of the values; the audit trail recomputes the rest
        assert len(fast._values) < len(full._values) == ruleset.compiled.layout.size
        assert [repr(v) for v in fast.breakdown.values()] == [repr(v) for v in full.breakdown.values()]
        assert repr(fast.total) == repr(full.total)
        assert repr(fast.adjustment_amounts) == repr(full.adjustment_amounts)
        assert fast.to_dict() == full.to_dict()
        # the rest of the values, worked out again for the audit trail: the same, repr for repr
        assert [repr(v) for v in fast._all] == [repr(v) for v in full._values]
        assert fast.facts.values == full.facts.values
    # 6 × 5/4 is clamped: its points are the weight with `precision` decimals
    assert repr(ruleset.evaluate(dict(RECORDS[2])).points("完成")) == "Decimal('6.00')"
    # a number given as int, a value the fast path leaves to the full one (a long Decimal)
    long = perfrules.loads('ruleset "r" { total 10 }\ninput x: number\nindicator a weight 10 { score x }\n')
    assert long.evaluate({"x": 3}).total == Decimal("3.00")
    assert long.evaluate({"x": Decimal("1.0000000000000000001")}).total == Decimal("1.00")
    with pytest.raises(perfrules.FactsError):
        long.evaluate({"x": Decimal("1." + "0" * 40)})  # more than 30 digits: refused by both paths


def test_a_vetoed_record_carries_its_reason(tmp_path: Path) -> None:
    rules = tmp_path / "v.rules"
    rules.write_text('ruleset "v" { total 10 }\ninput bad: bool\nindicator A weight 10 { full }\n'
                     'veto when bad because "重大违规"\n', encoding="utf-8")
    (tmp_path / "v.jsonl").write_text('{"bad": true}\n{"bad": false}\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "perfrules", "eval", str(rules), "--batch", str(tmp_path / "v.jsonl")],
                         capture_output=True, text=True, encoding="utf-8", timeout=60)
    first, second = (json.loads(line) for line in out.stdout.splitlines())
    # vetoed: total 0 with its reason; otherwise full 10 and veto null
    assert (first["total"], first["veto"]) == ("0.00", "重大违规")
    assert (second["total"], second["veto"]) == ("10.00", None)


def test_csv_percent_without_sign_gets_the_fraction_reading_first(rules_file: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # "0.93" + "%" would score 0.93% (满意 0 points): the help leads with the fraction 93% (issue 14)
    data = tmp_path / "data.csv"
    data.write_text("id,done,plan,rate,ok\n1,3,4,0.93,true\n", encoding="utf-8")
    code, out, _ = run(capsys, str(rules_file), "--batch", str(data))
    assert code == 1
    assert json.loads(out)["error"][0]["help"] == \
        'if 0.93 is a fraction, write "93%"; write "0.93%" only if it means 0.93 percent'


def test_the_final_line_formats_numbers_as_the_progress_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             rules_file: Path) -> None:
    # the progress line writes `7,958 scored`; the final line wrote `9998 scored` (issue 14)
    data = tmp_path / "many.jsonl"
    record = json.dumps({"id": 1, "done": 3, "plan": 4, "rate": "95%", "ok": True})
    data.write_text((record + "\n") * 1200, encoding="utf-8")
    code, _, err = run(capsys, str(rules_file), "--batch", str(data))
    assert code == 0
    assert err.strip().splitlines()[-1] == "1,200 scored, 0 failed"


JUDGED_RULES = """\
ruleset "评定批量" {
  total 20
  precision 2
}
input rate: percent
indicator 产出 weight 10 { ratio rate }
indicator 效益指标 weight 10 {
  indicator 社会效益 weight 6 { judged bands { "好": [80%, 100%]; "差": [0, 80%) } }
  indicator 可持续 weight 4 { judged }
}
"""


def test_csv_columns_carry_judged_points_and_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every row used to fail with F213 (no judged points): the header convention of docs/batch.md (issue 14)
    rules = tmp_path / "r.rules"
    rules.write_text(JUDGED_RULES, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text(
        "rate,评定:效益指标.社会效益,评定:效益指标.社会效益:区间,judged:效益指标.可持续,调整:产出,调整:产出:原因\n"
        "90%,5,好,3,,\n"            # 产出 10 × 90% = 9; 社会效益 5 (好 is [4.8, 6]); 可持续 3 -> 17.00
        "50%,5.5,好,4,8,核实后调整\n"  # 产出 overridden to 8 (not 10 × 50% = 5); 5.5 + 4 -> 17.50
        "50%,5.5,好,4,8,\n"          # an override without its reason: F223, the row fails
        "90%,5,差,3,,\n",            # 5 points lies outside 差 [0, 4.8): F219
        encoding="utf-8")
    code, out, err = run(capsys, str(rules), "--batch", str(data))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert (lines[0]["total"], lines[0]["points"]["产出"], lines[0]["points"]["效益指标.社会效益"]) == \
        ("17.00", "9.00", "5.00")
    assert (lines[1]["total"], lines[1]["points"]["产出"]) == ("17.50", "8.00")
    assert [d["code"] for d in lines[2]["error"]] == ["F223"]
    assert [d["code"] for d in lines[3]["error"]] == ["F219"]
    assert err.strip().splitlines()[-1] == "2 scored, 2 failed"


def test_a_bare_column_named_after_a_judged_leaf_is_its_points(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "r.rules"
    rules.write_text(JUDGED_RULES, encoding="utf-8")
    data = tmp_path / "d.csv"
    # 产出 10 × 100% = 10; 社会效益 4 (差 is [0, 4.8)); 可持续 2 -> 16.00
    data.write_text("rate,效益指标.可持续,judged:效益指标.社会效益,judged:效益指标.社会效益:band\n100%,2,4,差\n",
                    encoding="utf-8")
    code, out, _ = run(capsys, str(rules), "--batch", str(data), "--format", "csv")
    assert code == 0
    assert out.splitlines()[1] == "1,,16.00,,10.00,6.00,4.00,2.00,"
