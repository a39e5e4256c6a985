"""Issue 16, item 17: no control character from data reaches a terminal, and rule texts refuse them.

ESC starts the sequences that set a window title (`ESC ] 0 ; … BEL`) or clear the screen
(`ESC [ 2 J`); U+202E reverses how the rest of a line reads. Every command shows them escaped,
as git does (`\\x1b`, `\\u202e`), and a rule file may not hold them in its texts at all.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.controls import escaped, escaped_line
from perfrules.results import writer
from perfrules.text import render
from perfrules.tools.batch import Scorer
from perfrules.tools.batch_run import run_batch

# What must never be printed raw: C0 but tab and newline, DEL, C1, bidi controls.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TITLE = "\x1b]0;pwned\x07"  # sets the terminal's window title
CLEAR = "\x1b[2J"  # clears the screen
RLO = "\u202e"

RULES = """ruleset "r" { total 10 }
input x: number
input remark: text
indicator A weight 10 { full
  deduct 1 when x > 0 because "remark {remark}" }
"""


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string with \\uXXXX escapes is a TOML basic string


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "r.rules").write_text(RULES, "utf-8")
    (tmp_path / "f.toml").write_text(
        f"[meta]\nentity = {_toml_string(TITLE + RLO + 'evil' + chr(0x9B))}\n"
        f"[facts]\nx = 1\nremark = {_toml_string(CLEAR)}\n", "utf-8")
    (tmp_path / "bad.toml").write_text(f"[facts]\nx = 1\nremark = \"a\"\n{_toml_string('k' + CLEAR)} = 3\n", "utf-8")
    lines = [json.dumps({"x": 1, "remark": CLEAR + RLO, "id": chr(0x9B) + TITLE}),
             json.dumps({"x": CLEAR, "remark": "ok"}), json.dumps({"x": 2, "remark": "ok", CLEAR: 1})]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return tmp_path


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "perfrules", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, cwd=cwd)


def test_escaped_writes_controls_as_git_does_and_keeps_lines() -> None:
    assert escaped(TITLE) == "\\x1b]0;pwned\\x07"
    assert escaped(f"a{RLO}b\tc\nd\x7f\x85") == "a\\u202eb\tc\nd\\u007f\\u0085"
    assert escaped_line("a\nb\rc") == "a\\x0ab\\x0dc"
    assert escaped("评分 plain text") == "评分 plain text"


def test_escaping_json_keeps_it_the_same_json() -> None:
    value = {"k" + CLEAR: TITLE + RLO + "".join(map(chr, range(0x7F, 0xA0))) + "\u2066x\u2069"}
    text = escaped(json.dumps(value, ensure_ascii=False))
    assert not RAW.search(text)
    assert json.loads(text) == value


TEXTS = {
    "ruleset name": 'ruleset "a{}b" {{ total 10 }}\nindicator A weight 10 {{ score 10 }}\n',
    "because": 'ruleset "a" {{ total 10 }}\nindicator A weight 10 {{ full\n deduct 1 when true because "x{}y" }}\n',
    "label": 'ruleset "a" {{ total 10 }}\nindicator A "x{}y" weight 10 {{ score 10 }}\n',
    "rating": 'ruleset "a" {{ total 10\n rating {{ >= 5: "x{}y"; else: "z" }} }}\n'
              'indicator A weight 10 {{ score 10 }}\n',
}


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", RLO, "\u2066", "\u2028"],
                         ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("where", TEXTS)
def test_rule_texts_refuse_control_characters(where: str, char: str) -> None:
    text = TEXTS[where].format(char)
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(text, "t.rules")
    (d,) = info.value.diagnostics
    assert d.code == "E102"
    assert f"U+{ord(char):04X}" in d.message
    assert d.span is not None and text[d.span.start] == char  # the caret is on the character itself
    assert not RAW.search(render.diagnostics(info.value.diagnostics))


def test_a_tab_in_a_rule_text_is_still_accepted() -> None:
    rs = perfrules.loads('ruleset "a\tb" { total 10 }\nindicator A weight 10 { score 10 }\n', "t.rules")
    assert rs.name == "a\tb"


def test_renderers_escape_what_comes_from_data(project: Path) -> None:
    rs = perfrules.load(project / "r.rules")
    result = rs.evaluate(project / "f.toml")
    table = render.table(result)
    assert not RAW.search(table)
    assert "entity: \\x1b]0;pwned\\x07\\u202eevil\\u009b" in table
    assert "remark \\x1b[2J" in table
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(project / "bad.toml")
    shown = render.diagnostics(info.value.diagnostics)
    assert "unknown input `k\\x1b[2J`" in shown and not RAW.search(shown)


COMMANDS = {
    "eval": ["eval", "r.rules", "f.toml"],
    "eval json": ["eval", "r.rules", "f.toml", "--format", "json"],
    "explain": ["explain", "r.rules", "f.toml", "A"],
    "explain json": ["explain", "r.rules", "f.toml", "A", "--format", "json"],
    "facts error": ["eval", "r.rules", "bad.toml"],
    "batch": ["eval", "r.rules", "--batch", "b.jsonl"],
    "batch csv": ["eval", "r.rules", "--batch", "b.jsonl", "--format", "csv"],
    "batch workers": ["eval", "r.rules", "--batch", "b.jsonl", "--workers", "2", "--reasons"],
    "report": ["report", "r.rules", "f.toml"],
    "report html": ["report", "r.rules", "f.toml", "--format", "html"],
    "explain unknown path": ["explain", "r.rules", "f.toml", "A" + CLEAR],
    "usage error": ["eval", "r.rules", "missing" + TITLE + ".toml"],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_no_command_prints_a_raw_control_character(project: Path, command: list[str]) -> None:
    proc = _cli(project, *command)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert not RAW.search(proc.stdout), proc.stdout
    assert not RAW.search(proc.stderr), proc.stderr
    assert re.search(r"\\(x1b|u001b)", proc.stdout + proc.stderr)  # shown, not dropped


def test_batch_json_lines_keep_their_values(project: Path) -> None:
    proc = _cli(project, "eval", "r.rules", "--batch", "b.jsonl")
    first = json.loads(proc.stdout.splitlines()[0])
    assert first["id"] == chr(0x9B) + TITLE  # escaped as \\u009b in the line: the same string once read


def test_a_file_name_with_escapes_is_shown_escaped(tmp_path: Path) -> None:
    name = f"x{TITLE}.rules"
    (tmp_path / name).write_text('ruleset "r" { total 10 }\nindicator A weight 10 { score y }\n', "utf-8")
    proc = _cli(tmp_path, "check", name)
    assert proc.returncode == 1
    assert "x\\x1b]0;pwned\\x07.rules:" in proc.stderr and not RAW.search(proc.stderr)


def test_colours_of_check_are_still_written(tmp_path: Path) -> None:
    (tmp_path / "e.rules").write_text('ruleset "r" { total 10 }\nindicator A weight 10 { score y }\n', "utf-8")
    proc = _cli(tmp_path, "check", "e.rules", "--color", "always")
    assert "\x1b[" in proc.stderr  # the guard lets perfrules's own colours through


# A batch writes a chunk of JSON lines without looking through it for controls when every line is known
# to hold none (tools/batch.py, `Scorer.unsafe`): ids, texts inserted into reasons and vetoes, overrides'
# becauses and error messages each mark their chunk. Drawn records hold controls in each of those places;
# the batch must write what it writes when it looks through every chunk.
BATCH_RULES = """ruleset "r" { total 20 }
input id: ID
input x: number in 0..100
input remark: text
input level: grade(优, 良, 中, 差)
indicator A weight 10 { ratio x / 100 because "备注{remark}" }
indicator B weight 5 { grade level { 优: full; 良: 80%; 中: 60%; 差: 0 } }
indicator C weight 5 { ratio x / 100 }
veto when x > 80 because "否决{remark}"
"""
_NASTY = st.text(st.sampled_from(["a", "评", '"', "\\", "\x1b", "\x7f", "\x9b", RLO, "\u2066"]), max_size=4)


_MADE = Scorer.__init__


def _looking_always(self: Scorer, *args: Any, **kwargs: Any) -> None:
    """Scorer.__init__, then every chunk looked through, as before the batch knew clean lines."""
    _MADE(self, *args, **kwargs)
    self.clean_lines = False


@pytest.mark.parametrize("id_type", ["count", "text"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(st.fixed_dictionaries({
    "id": st.one_of(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), _NASTY),
    "x": st.one_of(st.integers(0, 100), st.integers(81, 100)), "remark": _NASTY,
    "level": st.sampled_from(["优", "良", "中", "差"])}), min_size=1, max_size=8))
@example(records=[{"id": 1, "x": 90, "remark": RLO, "level": "优"}])  # a veto's because: the record's text
@example(records=[{"id": RLO, "x": 50, "remark": "a", "level": "优"}])  # an id
@example(records=[{"id": 1, "x": 50, "remark": RLO, "level": "优"}])  # a reason's because
def test_a_batch_looks_through_every_chunk_that_may_hold_a_control(id_type: str, records: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "b.jsonl"
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        outputs = []
        for looks_always in (False, True):
            ruleset = perfrules.loads(BATCH_RULES.replace("ID", id_type), "r.rules")
            ruleset.lost_writer = writer.generate_lost(ruleset)  # the generated 扣分原因 from the first record
            with pytest.MonkeyPatch.context() as patch:
                if looks_always:
                    patch.setattr(Scorer, "__init__", _looking_always)
                for fmt in ("json", "json+reasons"):
                    out = io.StringIO()
                    run_batch(ruleset, data, out, io.StringIO(), fmt)
                    outputs.append(out.getvalue())
        assert outputs[:2] == outputs[2:]
        assert not any(RAW.search(text) for text in outputs)
