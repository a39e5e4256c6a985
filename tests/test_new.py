"""`perfrules new facts RULES`: a template that says what to write and never scores unfilled."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from perfrules.cli import main
from perfrules.tools.new import facts_template

from .conftest import ROOT, rules

SHIPPED = sorted(ROOT.glob("rulesets/*/*.rules"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_unfilled_template_fails_on_every_value_and_filled_scores_like_the_facts_file(path: Path) -> None:
    rs = perfrules.load(path)
    template = facts_template(rs)
    table = tomllib.loads(template)
    # every input to fill in has its line (a text input's, commented: "" is a valid text)
    plain = [i.name for i in rs.inputs if not i.has_default and i.kind not in ("text", "rows")]
    assert [k for k in table["facts"] if not isinstance(table["facts"][k], list)] == plain
    assert [k for k in table["facts"] if isinstance(table["facts"][k], list)] == \
        [i.name for i in rs.inputs if i.kind == "rows"]
    assert list(table.get("judged", {})) == [j.path for j in rs.judged]
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(table)
    # a problem for every value to fill in, none silently scored
    reported = " ".join(d.location() + d.message for d in info.value.diagnostics)
    for name in plain + [i.name for i in rs.inputs if i.kind == "text" and not i.has_default]:
        assert name in reported, name
    for judged in rs.judged:
        assert judged.path in reported, judged.path
    # filled with the shipped facts file's values, it scores exactly as that file does
    facts_files = [path.with_suffix(".facts.toml")] if path.with_suffix(".facts.toml").exists() else \
        sorted(path.parent.glob(f"{path.stem}.*.facts.toml"))
    if not facts_files:
        return  # an English-keyword twin: its facts files are its twin's
    facts_file = facts_files[0]
    facts = tomllib.loads(facts_file.read_text(encoding="utf-8"), parse_float=Decimal)
    filled = {"facts": {**{k: v for k, v in facts["facts"].items()}},
              "judged": facts.get("judged", {}), "meta": facts.get("meta", {})}
    for key in table["facts"]:
        assert key in filled["facts"], key
    assert rs.evaluate(filled).total == rs.evaluate(facts_file).total


def test_an_unfilled_figure_is_told_to_be_filled_in() -> None:
    # the "" a template leaves where a number, a count or a percent goes: F204 / F207 / F206 had no help line
    rs = perfrules.load(ROOT / "rulesets/guangzhou/xiezuo-2022.rules")
    with pytest.raises(perfrules.FactsError) as info:
        rs.evaluate(tomllib.loads(facts_template(rs)))
    helps = {d.message.split("`")[1]: d.help for d in info.value.diagnostics if d.message.startswith("`")}
    assert helps["财政拨款收入"] == 'fill in the figure in place of "", without quotes: 8881.35'  # a number
    assert helps["计划援建项目数"] == 'fill in the figure in place of "", without quotes: 12'  # a count
    assert helps["服务对象满意度"] == 'fill in the percentage between the quotes: "95%"'  # a percent, quoted
    [zh] = [d for d in info.value.diagnostics if d.message.startswith("`财政拨款收入`")]
    assert zh.help_in("zh") == '请把""换成数值本身，不加引号：8881.35'


def test_template_lines_say_label_type_range_default_and_bands() -> None:
    rs = rules('input 预算数: number in 0..1000 "全年预算数（万元）"\ninput 满意度: percent in 0%..100% = 90%\n'
               'input g: grade(优, 良)\ninput ok: bool\n'
               'indicator 效益 weight 10 { judged bands { "好": [80%, 100%]; "差": [0, 80%) } }\n'
               'indicator B weight 90 { full }')
    text = facts_template(rs, "t.rules")
    assert '# 全年预算数（万元）; number, like 8881.35; range 0..1000\n"预算数" = ""\n' in text
    assert '# percent, in quotes with %, like "95.13%"; range 0%..100%\n# "满意度" = "90%"    # the default' in text
    assert '# grade: one of "优", "良"\ng = ""\n' in text and "# bool: true or false\nok = \"\"\n" in text
    # bands in points: 80% of 10 is 8
    assert '# judged points 0..10; bands (points): 好 [8, 10], 差 [0, 8)\n"效益" = { points = "", band = "" }' in text


def test_cli_new_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules_path = ROOT / "tests" / "fixtures" / "spec-example.rules"
    assert main(["new", "facts", str(rules_path)]) == 0
    out = capsys.readouterr().out
    assert out == facts_template(perfrules.load(rules_path), "spec-example.rules")
    target = tmp_path / "f.toml"
    assert main(["new", "facts", str(rules_path), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == out
    assert main(["new", "facts", str(rules_path), "-o", str(target)]) == 2  # exists: not replaced without --force
    assert re.search(r"exists; give --force", capsys.readouterr().err)
    assert main(["new", "facts", str(rules_path), "-o", str(target), "--force"]) == 0


def test_output_dash_is_the_standard_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rules_path = ROOT / "tests" / "fixtures" / "spec-example.rules"
    facts = ROOT / "tests" / "fixtures" / "spec-example.toml"
    assert main(["new", "facts", str(rules_path), "-o", "-"]) == 0
    assert capsys.readouterr().out == facts_template(perfrules.load(rules_path), "spec-example.rules")
    assert main(["eval", str(rules_path), str(facts), "--format", "json", "-o", "-"]) == 0
    assert '"total": "' in capsys.readouterr().out
    assert not (tmp_path / "-").exists()
