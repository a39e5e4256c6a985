"""`perfrules check` like a linter: folders and globs, --format text|json|github|sarif, colour."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from perfrules.cli import main
from perfrules.text.check_output import colour, use_colour

from .conftest import ROOT

ERRORS = ROOT / "tests" / "fixtures" / "errors.rules"
GOOD = ROOT / "tests" / "fixtures" / "spec-example.rules"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_folders_and_globs(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.rules").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "b" / "two.rules").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a" / "notes.txt").write_text("not rules", encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path / "a"))
    assert code == 0 and [line.split(": ")[0] for line in out.splitlines()] == \
        [str(tmp_path / "a" / "b" / "two.rules"), str(tmp_path / "a" / "one.rules")]
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "a/**/*.rules", "a/one.rules")  # a glob, then a file it matched: once each
    assert code == 0 and len(out.splitlines()) == 2
    assert run(capsys, "nothing/*.rules")[0] == 2
    assert run(capsys, "missing.rules")[0] == 2


def test_exit_status_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(GOOD), str(ERRORS), "--color", "never")
    assert code == 1
    assert out.startswith(f"{GOOD}: 检查通过（6个指标")
    assert "\x1b[" not in err and "[E201]" in err


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(GOOD), str(ERRORS), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert [(f["file"], f["ok"]) for f in data["files"]] == [(str(GOOD), True), (str(ERRORS), False)]
    first = data["files"][1]["diagnostics"][0]
    # errors.rules line 7, `let rate = spnet / budget`: `spnet` at columns 12..16, the end is exclusive
    # the English message stays as it was; the Chinese comes beside it
    assert first == {"code": "E201", "message": "unknown name `spnet`", "file": str(ERRORS), "line": 7,
                     "column": 12, "end_line": 7, "end_column": 17, "help": "did you mean `spent`?", "notes": [],
                     "message_zh": "未知的名称`spnet`", "help_zh": "是不是`spent`？", "notes_zh": []}


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ERRORS), "--format", "github")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 5
    assert lines[0] == (f"::error file={ERRORS},line=7,col=12,endLine=7,endColumn=17,title=perfrules E201::"
                        "unknown name `spnet`%0Ahelp: did you mean `spent`?")
    assert ">= 95%25" in lines[2]  # `%` escaped, as workflow commands need


# What the SARIF 2.1.0 schema (oasis-tcs/sarif-spec, Schemata/sarif-schema-2.1.0.json) allows and
# requires of the objects perfrules writes: each has "additionalProperties": false.
SARIF_OBJECTS: dict[str, tuple[set[str], set[str]]] = {  # name: (allowed keys used here, required keys)
    "log": ({"$schema", "version", "runs", "inlineExternalProperties", "properties"}, {"version", "runs"}),
    "run": ({"tool", "results", "columnKind", "artifacts", "invocations", "properties"}, {"tool"}),
    "tool": ({"driver", "extensions", "properties"}, {"driver"}),
    "driver": ({"name", "version", "rules", "informationUri", "semanticVersion", "properties"}, {"name"}),
    "rule": ({"id", "help", "shortDescription", "fullDescription", "helpUri", "name", "properties"}, {"id"}),
    "result": ({"ruleId", "ruleIndex", "level", "message", "locations", "properties"}, {"message"}),
    "message": ({"text", "markdown", "id", "arguments", "properties"}, set()),
    "location": ({"physicalLocation", "id", "message", "properties"}, set()),
    "physical": ({"artifactLocation", "region", "contextRegion", "address", "properties"}, set()),
    "artifactLocation": ({"uri", "uriBaseId", "index", "description", "properties"}, set()),
    "region": ({"startLine", "startColumn", "endLine", "endColumn", "snippet", "charOffset", "charLength",
                "byteOffset", "byteLength", "message", "sourceLanguage", "properties"}, set()),
    "snippet": ({"text", "binary", "rendered", "properties"}, set()),
}


def _shape(obj: Any, name: str) -> None:
    allowed, required = SARIF_OBJECTS[name]
    assert isinstance(obj, dict), name
    assert set(obj) <= allowed, (name, set(obj) - allowed)
    assert required <= set(obj), (name, required - set(obj))


def validate_sarif(log: Any) -> None:
    _shape(log, "log")
    assert log["version"] == "2.1.0"
    for run_ in log["runs"]:
        _shape(run_, "run")
        assert run_["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints")
        _shape(run_["tool"], "tool")
        driver = run_["tool"]["driver"]
        _shape(driver, "driver")
        for rule in driver["rules"]:
            _shape(rule, "rule")
            _shape(rule["help"], "message")
            assert isinstance(rule["help"]["text"], str)
        for result in run_["results"]:
            _shape(result, "result")
            assert result["level"] in ("none", "note", "warning", "error")
            assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
            _shape(result["message"], "message")
            assert isinstance(result["message"]["text"], str)
            for location in result["locations"]:
                _shape(location, "location")
                physical = location["physicalLocation"]
                _shape(physical, "physical")
                _shape(physical["artifactLocation"], "artifactLocation")
                assert " " not in physical["artifactLocation"]["uri"]  # a URI reference
                region = physical.get("region")
                if region is not None:
                    _shape(region, "region")
                    assert all(isinstance(region[k], int) and region[k] >= 1 for k in
                               ("startLine", "startColumn", "endLine", "endColumn") if k in region)
                    if "snippet" in region:
                        _shape(region["snippet"], "snippet")


def test_sarif(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spaced = tmp_path / "名 字.rules"
    spaced.write_text(ERRORS.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, str(ERRORS), str(GOOD), str(spaced), "--format", "sarif")
    log = json.loads(out)
    assert code == 1
    validate_sarif(log)
    # and against the official schema itself (tests/fixtures/sarif/README.md says where it is from)
    import jsonschema

    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    assert [e.message for e in validator.iter_errors(log)] == []
    broken = {**log, "runs": [{**log["runs"][0], "tool": {}}]}  # the check can fail: a run without a driver
    assert [e.message for e in validator.iter_errors(broken)] != []
    results = log["runs"][0]["results"]
    assert len(results) == 10 and [r["ruleId"] for r in results[:5]] == ["E201", "E103", "E431", "E434", "E304"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7, "startColumn": 12, "endLine": 7, "endColumn": 17,
        "snippet": {"text": "let rate = spnet / budget"}}
    assert results[5]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file://")
    assert "%20" in results[5]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(monkeypatch: Any) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_colour(_Terminal(), "auto") and not use_colour(io.StringIO(), "auto")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(_Terminal(), "auto") and use_colour(io.StringIO(), "always")
    assert not use_colour(_Terminal(), "never")
    text = "f.rules:1:2: error: unknown name `x` [E201]\n  |\n1 | x: error: y [E1]\n  | ^\n  = help: declare it\n"
    coloured = colour(text)
    assert "\x1b[31m" in coloured and "\x1b[36m" in coloured
    # the error line as render.diagnostic writes it (spec 8) is coloured; the old `error[E201]:` was
    # the only form matched, so the new line went plain; a quoted source line stays as it is
    assert coloured.startswith("\x1b[1mf.rules:1:2: \x1b[0m\x1b[1m\x1b[31merror\x1b[0m: ")
    assert "\n\x1b[34m\x1b[1m1 |\x1b[0m x: error: y [E1]\n" in coloured
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == text  # colour only: the same characters
