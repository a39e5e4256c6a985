"""`perfrules fmt`: canonical layout, comments kept, idempotent, the same model, both keyword languages."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.cli import main
from perfrules.tools.fmt import LINE_WIDTH, format_text, model_key

from .conftest import ROOT
from .test_properties import rule_files

SHIPPED = sorted(ROOT.glob("rulesets/*/*.rules"))

MESSY = """\
# 头注释
ruleset "t" { total 20; rating { >= 18: "优"; else: "差" } }
input  a : number   "甲（万元）"
input g: grade( 优,良 )   # 等级
let r : percent = min( a/ 100 ,-1 + 2 )


indicator A weight 10 {  # 执行
  ratio r
  deduct 1 per 1% of shortfall(r,90%) cap 2
    because "差{shortfall(r, 90%)}"
}
indicator B weight 10
{ grade g { 优: full; else: 0 } }
"""

# worked by hand from the rules of fmt.py's docstring: `ruleset "t" { … }` and `{ grade g { … } }` were written on
# one line but hold a block, so they open; `rating { … }` and `grade g { … }` hold none and fit, so they stay
MESSY_FORMATTED = """\
# 头注释
ruleset "t" {
  total 20
  rating { >= 18: "优"; else: "差" }
}
input a: number "甲（万元）"
input g: grade(优, 良)  # 等级
let r: percent = min(a / 100, -1 + 2)

indicator A weight 10 {  # 执行
  ratio r
  deduct 1 per 1% of shortfall(r, 90%) cap 2
    because "差{shortfall(r, 90%)}"
}
indicator B weight 10 {
  grade g { 优: full; else: 0 }
}
"""


def test_the_canonical_layout() -> None:
    assert format_text(MESSY) == MESSY_FORMATTED
    assert format_text(MESSY_FORMATTED) == MESSY_FORMATTED


def test_keywords_in_chinese_and_back() -> None:
    zh = format_text(MESSY, "zh")
    assert "规则集 \"t\" {" in zh and "扣 1 每 1% 按 未达(r, 90%) 上限 2" in zh and "等级(优, 良)" in zh
    assert "输入 g: 等级(优, 良)  # 等级" in zh and "否则: 0" in zh
    assert format_text(zh, "en") == MESSY_FORMATTED


def _rating(label: str, tail: str = "") -> str:
    return f'ruleset "t" {{\n  total 10\n  rating {{ >= 9: "{label}"; else: "差" }}{tail}\n}}\n' \
        'indicator A weight 10 { full }\n'


def test_a_short_block_written_on_one_line_stays_on_it() -> None:
    # spaces and `;` tidied inside: one space inside the braces, `; ` between items, none doubled or last
    assert format_text('ruleset "t" {\n  total 10\n  rating {>= 9 : "优" ;; else:"差";}\n}\n'
                       'indicator A weight 10 { full }\n') == _rating("优")
    # written over several lines, however short, it stays expanded: the author's first line break decides
    assert format_text('ruleset "t" {\n  total 10\n  rating {\n    >= 9: "优"; else: "差" }\n}\n'
                       'indicator A weight 10 {\n  full }\n') == \
        'ruleset "t" {\n  total 10\n  rating {\n    >= 9: "优"\n    else: "差"\n  }\n}\n' \
        'indicator A weight 10 {\n  full\n}\n'


def test_the_width_a_one_line_block_may_keep() -> None:
    # `  rating { >= 9: "X"; else: "差" }` is 2 (indent) + 6 (rating; 评级 is 4, the wider spelling counts)
    # + 2 ( {) + 3 ( >=) + 2 ( 9) + 1 (:) + 1 (space) + 2 (quotes) + 1 (;) + 5 ( else; 否则 is 4 too) + 1 (:)
    # + 5 ( "差") + 2 ( }) = 33 columns, and X: 67 columns fit (LINE_WIDTH 100), a Chinese character is two
    fits = "优" * 33 + "a"  # 66 + 1 = 67: the line is 100 columns
    assert format_text(_rating(fits)) == _rating(fits)
    too_wide = "优" * 34  # 68: 101 columns
    expanded = f'ruleset "t" {{\n  total 10\n  rating {{\n    >= 9: "{too_wide}"\n    else: "差"\n  }}\n}}\n' \
        'indicator A weight 10 { full }\n'
    assert format_text(_rating(too_wide)) == expanded
    assert format_text(expanded) == expanded
    # in Chinese the line is 99 columns (评级 is two narrower), but it is measured the same in either language,
    # so `--lang` never changes which blocks stay, and `--lang en` then `--lang zh` is `--lang zh`
    zh = format_text(_rating(too_wide), "zh")
    assert "  评级 {\n" in zh and format_text(format_text(_rating(too_wide), "en"), "zh") == zh
    assert "  评级 { >= 9: " in format_text(_rating(fits), "zh")
    # a comment after the block is not part of its width; what follows `}` on its line is
    assert format_text(_rating(fits, "  # 注")) == _rating(fits, "  # 注")
    assert format_text(_rating("优" * 30 + "a")) == _rating("优" * 30 + "a")  # 97 columns
    # `  grade g { 优: full; else: 0 } because "甲乙丙丁"` is 2 + 5 (grade; 等级 is 4) + 2 + 2 + 3 ( 优) + 1
    # + 5 ( full; 满分 is 4 too) + 1 + 5 + 1 + 2 ( 0) + 2 + 8 ( because; 原因 is 4) + 11 ( "甲乙丙丁") = 50 columns
    grade = 'ruleset "t" { total 10 }\ninput g: grade(优, 良)\nindicator A weight 10 {\n' \
        '  grade g { 优: full; else: 0 } because "甲乙丙丁"\n}\n'
    assert format_text(grade) == grade
    longer = grade.replace("甲乙丙丁", "甲" * 29)  # 50 - 8 + 58 = 100: fits
    assert format_text(longer) == longer
    longest = grade.replace("甲乙丙丁", "甲" * 30)  # 102: too wide
    assert "  grade g {\n    优: full\n    else: 0\n  } because" in format_text(longest)


def test_a_one_line_block_holding_a_block_opens() -> None:
    text = 'ruleset "t" { total 10 }\ninput g: grade(优, 良)\n' \
        'indicator A weight 10 { indicator B weight 10 { grade g { 优: full; else: 0 } } }\n'
    assert format_text(text) == 'ruleset "t" { total 10 }\ninput g: grade(优, 良)\n' \
        'indicator A weight 10 {\n  indicator B weight 10 {\n    grade g { 优: full; else: 0 }\n  }\n}\n'


def test_every_shipped_rule_file_is_fmt_clean(capsys: pytest.CaptureFixture[str]) -> None:
    # what a user sees who runs the formatter on an example we ship: nothing to do
    assert main(["fmt", "--check", str(ROOT / "rulesets")]) == 0
    assert f"，{len(SHIPPED)}个未变" in capsys.readouterr().err and len(SHIPPED) >= 11


def _comments(text: str) -> list[str]:
    return re.findall(r"#[^\n]*", re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_ruleset_in_both_directions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    original = perfrules.loads(text, path.name)
    same = format_text(text)
    assert format_text(same) == same
    assert model_key(perfrules.loads(same, path.name).model) == model_key(original.model)
    assert _comments(same) == _comments(text)
    facts = path.with_suffix(".facts.toml")
    for lang in ("zh", "en"):
        other = format_text(text, lang)
        assert format_text(other, lang) == other
        translated = perfrules.loads(other, path.name)
        assert model_key(translated.model, True) == model_key(original.model, True)
        assert _comments(other) == _comments(text)
        back = "en" if lang == "zh" else "zh"
        assert format_text(other, back) == format_text(text, back)
        if facts.exists():
            a, b = original.evaluate(facts), translated.evaluate(facts)
            assert (a.total, a.rating, a.breakdown) == (b.total, b.rating, b.breakdown)


@st.composite
def mangled(draw: Any) -> str:
    """A generated rule file with its layout disturbed: extra spaces, `;` for line breaks, comments, blank lines,
    indicators written on one line (`{ full; deduct 1 when flag }`), one-line blocks broken after their `{`."""
    text: str = draw(rule_files())
    text = re.sub(r"\{\n((?: *[^{}\n]+\n)+?) *\}",
                  lambda m: "{ " + "; ".join(line.strip() for line in m.group(1).splitlines()) + " }"
                  if draw(st.booleans()) else m.group(), text)  # fmt: skip
    text = re.sub(r"\{ ", lambda m: "{\n" if draw(st.integers(0, 3)) == 0 else m.group(), text)
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if draw(st.integers(0, 4)) == 0 and stripped and not stripped.startswith(("when", "because", "cap")):
            out.append("")  # a blank line
        if draw(st.integers(0, 5)) == 0:
            out.append("# 注释 " + str(len(out)))
        line = re.sub(r" (?=[^\"]*(\"[^\"]*\"[^\"]*)*$)", lambda _: " " * draw(st.integers(1, 3)), line)
        if draw(st.integers(0, 5)) == 0 and stripped and not stripped.endswith("{"):
            line += "  # 尾"
        out.append(line)
    return "\n".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_formatting_generated_files_keeps_the_model_and_is_idempotent(text: str) -> None:
    original = perfrules.loads(text, "gen.rules")
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert model_key(perfrules.loads(formatted, "gen.rules").model) == model_key(original.model)
    assert _comments(formatted) == _comments(text)
    zh = format_text(text, "zh")
    assert model_key(perfrules.loads(zh, "gen.rules").model, True) == model_key(original.model, True)
    en = format_text(zh, "en")
    assert en == format_text(text, "en")
    # the same blocks stay on one line in either language, and none of their lines is wider than LINE_WIDTH
    assert _one_line_blocks(zh) == _one_line_blocks(en)
    for line in (zh + en).splitlines():
        code = line.split("  #")[0]
        if re.search(r"\{ .* \}", code):
            assert sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in code) <= LINE_WIDTH, line


def _one_line_blocks(text: str) -> list[int]:
    """The numbers of the lines that hold a block written on one line."""
    return [n for n, line in enumerate(text.splitlines()) if re.search(r"\{ .* \}", line.split("  #")[0])]


def test_cli_check_rewrite_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy = tmp_path / "m.rules"
    messy.write_text(MESSY, encoding="utf-8")
    assert main(["fmt", "--check", str(tmp_path)]) == 1
    assert capsys.readouterr().out == f"would reformat {messy}\n"
    assert messy.read_text(encoding="utf-8") == MESSY  # --check changes nothing
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text(encoding="utf-8") == MESSY_FORMATTED
    assert main(["fmt", "--check", str(messy)]) == 0
    broken = tmp_path / "b.rules"
    broken.write_text('ruleset "t" { total 10 }\nindicator A 10 { full }\n', encoding="utf-8")
    assert main(["fmt", str(broken)]) == 1
    assert "[E101]" in capsys.readouterr().err
    assert broken.read_text(encoding="utf-8").endswith("indicator A 10 { full }\n")  # left as it was


def _doc_rule_files() -> list[tuple[str, str]]:
    out = []
    for doc in sorted([*ROOT.glob("docs/*.md"), ROOT / "README.md"]):
        for k, m in enumerate(re.finditer(r"```perfrules\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)):
            out.append((f"{doc.name}#{k}", m.group(1)))
    return out


@pytest.mark.parametrize(("where", "text"), _doc_rule_files(), ids=[w for w, _ in _doc_rule_files()])
def test_every_rule_file_in_the_docs_in_both_directions(where: str, text: str) -> None:
    original = perfrules.loads(text, "doc.rules")
    for lang in (None, "zh", "en"):
        out = format_text(text, lang)
        assert format_text(out, lang) == out
        assert model_key(perfrules.loads(out, "doc.rules").model, lang is not None) == \
            model_key(original.model, lang is not None)


def test_a_when_arm_of_an_each_block_is_a_statement_not_a_clause() -> None:
    # `当 … {` at the start of a line opens an arm of the `逐行` block: it stays at the block's
    # indent; `当` that goes on a `扣` statement (no `{` on its line) hangs two spaces further
    text = """\
规则集 "arm" {
  总分 20
}
输入 行: 行表 { 名: 文本; 值: 度量; 目标: 度量; 权: 数值 }
输入 超支: 是否
指标 产出 {
  逐行 行 {
    键 名
    分值 权
    当 属定性(值) { 评定 }
    否则 { 按比例 达成度(值, 目标) }
  }
}
指标 成本 分值 10 {
  满分
  扣 1 当 超支
}
"""
    formatted = format_text(text.replace("  扣 1 当 超支", "  扣 1\n  当 超支"))
    # the arms were written on one line and fit: they stay so
    assert "\n    分值 权\n    当 属定性(值) { 评定 }\n    否则 { 按比例 达成度(值, 目标) }\n  }\n" in formatted
    assert "\n  扣 1\n    当 超支\n" in formatted
    assert format_text(formatted) == formatted
    # `{` first on the line below its `当 …` (as the parser reads it, the arm's own): joined to its line, at the
    # block's indent, not hung as a clause; written over several lines, the arm stays expanded
    assert format_text(text.replace("    当 属定性(值) { 评定 }", "    当 属定性(值)\n    {\n      评定\n    }")) == \
        formatted.replace("  扣 1\n    当 超支", "  扣 1 当 超支").replace(
            "    当 属定性(值) { 评定 }", "    当 属定性(值) {\n      评定\n    }")
