"""The parser: both keyword sets, separators, continuation lines, literals, syntax errors."""

from __future__ import annotations

import io
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from perfrules.source import Source
from perfrules.syntax import nodes
from perfrules.syntax.parser import parse

from .conftest import ROOT, errors, rules, score

SPEC_EN = """\
ruleset "项目支出绩效自评" {
  version "2024"
  total 100
  precision 2
  cite "财预〔2020〕10号"
  rating { >= 90: "优"; >= 80: "良"; >= 60: "中"; else: "差" }
}
input budget: number "全年预算数（万元）"
input spent: number "全年执行数（万元）"
input satisfaction: percent in 0%..100% "服务对象满意度"
let execution = spent / budget
indicator 预算执行率 weight 10 {
  ratio execution
}
indicator 满意度 weight 90 {
  full
  deduct 1 per 5% started of shortfall(satisfaction, 90%) because "满意率{satisfaction}，低于90%"
}
"""

SPEC_ZH = """\
规则集 "项目支出绩效自评" {
  版本 "2024"
  总分 100
  精度 2
  依据 "财预〔2020〕10号"
  评级 { >= 90: "优"; >= 80: "良"; >= 60: "中"; 否则: "差" }
}
输入 budget: 数值 "全年预算数（万元）"
输入 spent: 数值 "全年执行数（万元）"
输入 satisfaction: 百分比 范围 0%..100% "服务对象满意度"
设 execution = spent / budget
指标 预算执行率 分值 10 {
  按比例 execution
}
指标 满意度 分值 90 {
  满分
  扣 1 每 5% 进一 按 未达(satisfaction, 90%) 原因 "满意率{satisfaction}，低于90%"
}
"""

FACTS = {"budget": Decimal("8881.35"), "spent": Decimal("8448.73"), "satisfaction": "82%"}


def test_english_and_chinese_keywords_give_the_same_ruleset() -> None:
    en, zh = rules(SPEC_EN), rules(SPEC_ZH)
    assert en.model.chinese_keywords is False
    assert zh.model.chinese_keywords is True
    # 8448.73 / 8881.35 = 0.951288937 → ×10 = 9.5128 → 9.51
    # shortfall(82%, 90%) = 8% → 8%/5% = 1.6 steps, started → 2 → deduct 2 → 88
    # total 9.51 + 88 = 97.51
    for rs in (en, zh):
        result = rs.evaluate(FACTS)
        assert result.total == Decimal("97.51")
        assert result.rating == "优"


SPEC_EXAMPLES = [ROOT / "tests" / "fixtures" / name for name in ("spec-example.rules", "spec-example-zh.rules")]


@pytest.mark.parametrize("path", SPEC_EXAMPLES, ids=lambda p: p.name)
def test_spec_example_files_parse(path: Path) -> None:
    # the contract's two example rule files, copied verbatim into tests/fixtures/ (see its README)
    text = path.read_text("utf-8")
    assert rules(text).model.total == 100
    guide_text = (ROOT / "docs" / "language.md").read_text("utf-8")
    guide = [b.split("```")[0] for b in guide_text.split("```perfrules\n")[1:]]
    assert text in guide, "docs/language.md no longer shows this example verbatim"


def test_full_width_punctuation_is_ascii() -> None:
    text = """
input x：百分比
input n：count
indicator A weight 100 {
  tiers x { ≥ 90％： full；≤ 10%: 50; ≠ 50%: 30%; else: 0 }
  deduct min（n，2） when n ≠ 0
}
"""
    # x = 95% → first arm full (100); n = 1 → deduct min(1, 2) = 1 → 99
    assert score(text, x="95%", n=1).total == Decimal("99.00")


def test_semicolons_one_line_blocks_and_continuation_lines() -> None:
    text = """
input n: count; input held: count
indicator A weight 60 { full }
indicator B weight 40 {
  full
  deduct 2 per 1 of shortfall(held, n)
    cap 6
    because "少{shortfall(held, n)}次"
}
"""
    # shortfall(7, 12) = 5 → 2 × 5 = 10, capped at 6 → 40 − 6 = 34; total 60 + 34 = 94
    result = score(text, n=12, held=7)
    assert result.total == Decimal("94.00")
    assert result.lost[0].reasons == ("少5次",)


def test_newlines_inside_parentheses_are_ignored() -> None:
    text = """
input a: number
input b: number
let c = max(
  a,
  b
) + (a
  * 2)
indicator A weight 100 { score c }
"""
    # max(3, 4) + 3 × 2 = 10
    assert score(text, a=3, b=4).total == Decimal("10.00")


def test_comments_and_cjk_names() -> None:
    text = """
# 注释
input 全年执行数: number  # 行尾注释
input 全年预算数: number
let 执行率: percent = 全年执行数 / 全年预算数
indicator 预算执行率 weight 100 { ratio 执行率 }   # 得分=执行率×分值
"""
    # 215457.6 / 250000 = 0.8618304 → × 100 = 86.18304 → 86.18
    assert score(text, 全年执行数=Decimal("215457.6"), 全年预算数=250000).total == Decimal("86.18")


def test_percent_literals_are_exact() -> None:
    source = Source("p.rules", 'ruleset "p" { total 1 }\nparam p = 95.13%\n')
    rf = parse(source)
    param = rf.statements[1]
    assert isinstance(param, nodes.Param)
    assert isinstance(param.expr, nodes.Percent)
    assert param.expr.value == Decimal("0.9513")


def test_string_escapes_and_interpolation() -> None:
    text = r"""
input n: count
indicator A weight 100 {
  full
  deduct 1 when n > 0 because "他说\"少了\" {n} 次 {{原样}} \\ 完"
}
"""
    assert score(text, n=3).lost[0].reasons == ('他说"少了" 3 次 {原样} \\ 完',)


def test_every_node_keeps_its_span() -> None:
    source = Source("s.rules", 'ruleset "s" { total 10 }\ninput x: number\nindicator A weight 10 { score x * 2 }\n')
    rf = parse(source)
    ind = rf.statements[2]
    assert isinstance(ind, nodes.Indicator)
    rule = ind.items[0]
    assert isinstance(rule, nodes.Rule) and rule.expr is not None
    assert rule.expr.span.text() == "x * 2"
    assert (rule.expr.span.line, rule.expr.span.column) == (3, 31)


# Columns counted by hand. `rules()` adds a 3-line header, so the indicator is
# line 5; in "indicator A weight 100 { " the `{` is column 24 and the rule
# keyword starts at column 26 ("score"/"ratio"/"tiers" take 26-30).
@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        # ratio 26-30, x 32, + 34, two spaces, } at 37
        ("input x: number\nindicator A weight 100 { ratio x +  }", "E101", 5, 37),
        # the block is never closed: the error sits after the last thing written, `  full` on line 6 (col 7)
        ("input x: number\nindicator A weight 100 {\n  full\n", "E101", 6, 7),
        # `input total`: `total` is a keyword; "input " is 6 columns
        ("input x: number\nindicator A weight 100 { ratio x }\ninput total: number", "E105", 6, 7),
        # full 26-29, ; 30, deduct 32-37, 1 at 39, 当x at 41
        ("input x: number\nindicator A weight 100 { full; deduct 1 当x }", "E103", 5, 41),
        # score 26-30, 1e5 starts at 32
        ("input x: number\nindicator A weight 100 { score 1e5 }", "E102", 5, 32),
        # tiers 26-30, x 32, { 34, >= 36-37, 90 39-40, % at 42
        ("input x: percent\nindicator A weight 100 { tiers x { >= 90 %: full; else: 0 } }", "E102", 5, 42),
        # score 26-30, the unclosed quote at 32
        ('input x: number\nindicator A weight 100 { score "x }', "E102", 5, 32),
        # x at 32, the zero-width space at 33
        ("input x: number\nindicator A weight 100 { score x\u200b }", "E102", 5, 33),
    ],
)
def test_syntax_errors_name_their_place(text: str, code: str, line: int, col: int) -> None:
    found = errors(text)
    assert [d.code for d in found] == [code]
    span = found[0].span
    assert span is not None
    assert (span.line, span.column) == (line, col), found[0]
    message = str(found[0]) + (found[0].help or "")
    for leak in ("$END", "Token(", "__ANON", "_SEP", "_LBRACE", "Tree("):
        assert leak not in message


def test_glued_keyword_hint_suggests_the_split() -> None:
    [d] = errors('input 超支: bool\nindicator A weight 100 { full\n  扣 1 当超支 }')
    assert d.help == "separate the keyword with a space: `当 超支`"


@pytest.mark.parametrize(("written", "step", "way", "function"), [
    ("每低1个百分点", "1", "低", "未达"), ("每低0.5%", "0.5", "低", "未达"), ("每少2个百分点", "2", "少", "未达"),
    ("每1个百分点", "1", "低", "未达"), ("每超过2个百分点", "2", "超过", "超出"),
])
def test_a_per_step_in_percentage_points_run_together_is_helped_to_its_step(
        written: str, step: str, way: str, function: str) -> None:
    # 「每低1个百分点扣0.1分」 as the 评分标准 says it; split at every change of character kind, as other run-together
    # text is, it became `每 低 1 个百分点`, which is E101 again. The step is `每 1%`, the shortfall 未达(…)'s.
    rule = f"扣 0.1 {written} 按 {function}(a, 90%)"
    [d] = errors(f"input a: percent\nindicator A weight 100 {{ full\n  {rule} }}")
    assert d.span is not None
    assert (d.code, d.span.line, d.span.column) == ("E103", 6, 9)  # 2 of indent and `扣 0.1 `, 6 columns: 每 at 9
    assert d.help is not None
    assert d.help.endswith(f": `每 {step}% 按 {function}(a, 90%)`")  # the statement, up to its block's `}`
    assert d.help.startswith(f"「每{way}{step}个百分点」 (a deduction per {step}% ")
    rewritten = f"扣 0.1 每 {step}% 按 {function}(a, 90%)"
    # the suggested line checks: a = 80%: 未达 = 10%, 10 steps of 1% × 0.1 = 1 off: 99.00 (the first case)
    scored = rules(f"input a: percent\nindicator A weight 100 {{ full\n  {rewritten} }}")
    if (written, function) == ("每低1个百分点", "未达"):
        assert scored.evaluate({"a": "80%"}).total == Decimal("99.00")


@pytest.mark.parametrize(("written", "meant"), [
    ("数字", "数值"), ("整数", "计数"), ("比例", "百分比"), ("文字", "文本"),  # another word for the type
    ("numbr", "number"), ("string", "text"), ("Percent", "percent"), ("integer", "count"),
])
def test_an_unknown_type_is_helped_to_the_type_it_means_in_its_own_spelling(written: str, meant: str) -> None:
    # The help listed every type, English first, even after `输入 预算数: 数字`; a newcomer had to find 数值 in it
    [d] = errors(f"input a: {written}\nindicator A weight 100 {{ full }}")
    assert d.code == "E101"
    assert d.span is not None and (d.span.line, d.span.column) == (4, 10)  # `input a: ` is 9 columns
    assert d.help is not None and d.help.startswith(f"did you mean the type `{meant}`? The types: `bool` (`是否`)")
    assert (d.help_in("zh") or "").startswith(f"是不是类型`{meant}`？类型有：")


def test_a_word_far_from_every_type_keeps_the_list_of_types() -> None:
    [d] = errors("input a: xyz\nindicator A weight 100 { full }")
    assert d.help is not None and d.help.startswith("expected `bool` (`是否`), `count` (`计数`)")


@pytest.mark.parametrize(("written", "out_of", "full", "weight"), [
    ("分值 10 满分 {", "满分", "满分", "分值 10"), ("weight 10 out of {", "out of", "full", "weight 10"),
])
def test_out_of_without_its_scale_is_told_to_write_the_scale_or_full_marks_inside(
        written: str, out_of: str, full: str, weight: str) -> None:
    # 满分 after a weight is `out of` (its children's scale); with no number it was "unexpected `{`", whose help
    # listed what an expression may start with
    [d] = errors(f"indicator X {written}\n  indicator Y weight 100 {{ full }}\n}}")
    assert d.code == "E101" and d.message == f"`{out_of}` after a weight needs the scale its children add up to"
    assert d.help == (f"write the scale: `{weight} {out_of} 100 {{`; for full marks, write the rule inside the "
                      f"braces: `{weight} {{ {full} }}`")


def test_load_reports_non_utf8_bytes_with_position() -> None:
    with pytest.raises(perfrules.RulesError) as info:
        perfrules.loads(b'ruleset "x" { total 1 }\n# \xff\n', "bad.rules")
    assert info.value.diagnostics[0].location() == "bad.rules:2:3"


def test_bom_and_crlf_are_accepted() -> None:
    text = '\ufeffruleset "c" {\r\n  total 10\r\n}\r\ninput x: number\r\nindicator A weight 10 {\r\n  score x\r\n}\r\n'
    # score 4 → 4.00
    assert perfrules.loads(text.encode("utf-8")).evaluate({"x": 4}).total == Decimal("4.00")


def test_hints_for_common_syntax_slips() -> None:
    # a chained comparison, `=` for `==`, and a keyword where a value belongs (not a name position)
    [d] = errors("input x: number\nindicator A weight 100 { full; deduct 1 when 1 < x < 3 }")
    assert d.help == "write two comparisons joined by `and`: `1 < x and x < 3`"
    [d] = errors("input x: number\nindicator A weight 100 { full; deduct 1 when x = 3 }")
    assert d.help is not None and d.help.startswith("to compare, write `==`")
    [d] = errors("input a: bool\nindicator A weight 100 { full; deduct when a }")
    assert d.code == "E101" and d.message == "unexpected `when`"
    # every type is offered, Chinese spellings included
    [d] = errors("input x: integer\nindicator A weight 100 { score x }")
    assert d.help is not None and "`number` (`数值`)" in d.help and "`percent` (`百分比`)" in d.help
    # `if` after an operator: it reaches as far right as it can, so it goes in parentheses
    [d] = errors('input a: bool\nindicator A weight 100 { score 2 * if a then 1 else 2 because "x" }')
    assert (d.code, d.help) == ("E101", "inside a formula, put the `if … then … else …` in parentheses: "
                                        "`(if a then 1 else 2)`")
    # a percent sign apart from its number: the help writes that number, not a stock 90%
    [d] = errors("input x: percent\nindicator A weight 100 { tiers x { >= 85.5 %: full; else: 0 } }")
    assert (d.code, d.help) == ("E102", "write `85.5%`, with no space between the number and `%`")


# ---- the prebuilt parser tables (grammars/perfrules.tables.pickle) ----------------------------

def test_shipped_parser_tables_are_for_the_shipped_grammar() -> None:
    import hashlib
    import io

    from perfrules.syntax import lalr

    tables = lalr._PlainData(io.BytesIO(lalr.grammar_file(lalr.TABLES))).load()
    grammar = hashlib.sha256(lalr.grammar_file("perfrules.lark")).hexdigest()
    assert tables["grammar"] == grammar, (
        "grammars/perfrules.lark changed: run  python -c \"from perfrules.syntax.parser import write_tables; "
        "write_tables('grammars/perfrules.tables.pickle')\"")


def lark_version() -> tuple[int, int]:
    import lark

    major, minor = lark.__version__.split(".")[:2]
    return int(major), int(minor)


def test_a_parser_from_tables_parses_exactly_like_one_built_from_the_grammar(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lark import Lark

    from perfrules.source import Source
    from perfrules.syntax import lalr
    from perfrules.syntax import parser as parse_module
    from perfrules.syntax.lexing import Separators

    parse_module.write_tables(tmp_path / "t.pickle")
    raw = (tmp_path / "t.pickle").read_bytes()
    postlex = Separators()
    import hashlib

    from_tables = lalr._from_tables(raw, postlex, hashlib.sha256(raw).hexdigest())
    if lark_version() < (1, 3):
        # Before lark 1.3 the tables hold lark Token objects, which the plain-data loader
        # refuses: perfrules builds its parser from the grammar instead (tested by every
        # other test in this file under that lark; .ci/run runs them under the oldest lark).
        assert from_tables is None
        with pytest.raises(pickle.UnpicklingError, match="plain data only"):
            lalr._PlainData(io.BytesIO(raw)).load()
        return
    assert from_tables is not None
    from_grammar = Lark(lalr.grammar_text(), postlex=postlex, **lalr.OPTIONS)
    for parser in (from_tables, from_grammar):
        lalr.build_while_parsing(parser, parse_module._RULE_FUNCTIONS, parse_module._BUILDER)
    root = Path(__file__).resolve().parents[1]
    files = sorted(root.glob("rulesets/**/*.rules")) + sorted(root.glob("tests/**/*.rules"))
    texts = [f.read_text("utf-8") for f in files]
    # and broken ones: every syntax error message must come out the same
    texts += ['ruleset "x" { total 10 }\nindicator a weight 10 { ratio 1 +  }\n', "ruleset {", "input x: nmber\n",
              'ruleset "x" { total 1 }\nindicator a weight 1 { tiers x { >= 1: full; } }\nlet y = 1 < 2 < 3\n']
    assert len(files) > 5
    outcomes = []
    for parser in (from_tables, from_grammar):
        monkeypatch.setattr(parse_module, "_lark", lambda parser=parser: parser)
        results: list[object] = []
        for k, text in enumerate(texts):
            try:
                results.append(parse_module.parse(Source(f"f{k}.rules", text)))
            except perfrules.RulesError as exc:
                results.append([str(d) for d in exc.diagnostics])
        outcomes.append(results)
    assert outcomes[0] == outcomes[1]
    # a file that is not tables at all, or tables holding anything but plain data, is not used
    assert lalr._from_tables(b"not a pickle", postlex) is None
    assert lalr._from_tables(pickle.dumps({"grammar": Path("x")}), postlex) is None
    # tables of another grammar (or another lark) are not used either
    import lark

    assert lalr._from_tables(pickle.dumps({"grammar": "0" * 64, "lark": lark.__version__}), postlex) is None
    # damaged tables for the right grammar fall back too, whatever lark raises on them
    grammar = hashlib.sha256(lalr.grammar_file("perfrules.lark")).hexdigest()
    damaged = pickle.dumps({"grammar": grammar, "lark": lark.__version__, "data": {}, "memo": {}})
    assert lalr._from_tables(damaged, postlex, hashlib.sha256(damaged).hexdigest()) is None


def test_with_lark_internals_unknown_the_public_api_parses_every_file_to_the_same_ast(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A future lark may rebuild its parser differently: lalr.build_while_parsing then refuses
    # it, and the parser is built with lark's public API (a tree, then a Transformer).
    from perfrules.syntax import lalr
    from perfrules.syntax import parser as parse_module
    from perfrules.syntax.lexing import Separators

    def unknown(*args: object) -> None:
        raise lalr.UnknownInternals("pretend this lark is built differently")

    monkeypatch.setattr(lalr, "build_while_parsing", unknown)
    public = lalr.make_parser(Separators(), parse_module._RULE_FUNCTIONS, parse_module._BUILDER)
    assert isinstance(public, lalr.PublicParser)
    root = Path(__file__).resolve().parents[1]
    files = sorted(root.glob("rulesets/**/*.rules"))
    assert len(files) > 5
    fast = [parse(Source(f.name, f.read_text("utf-8"))) for f in files]
    monkeypatch.setattr(parse_module, "_lark", lambda: public)
    assert [parse(Source(f.name, f.read_text("utf-8"))) for f in files] == fast
    # a syntax error is still reported with its place, one at a time
    with pytest.raises(perfrules.RulesError) as caught:
        parse(Source("bad.rules", 'ruleset "x" { total 10 }\nindicator a weight 10 { ratio 1 +  }\n'))
    assert [d.code for d in caught.value.diagnostics] == ["E101"]


def test_parser_tables_other_than_the_recorded_ones_are_never_unpickled(monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 16 item 21: a crafted tables file cost lark minutes and gigabytes; its hash is
    # checked against the one recorded in the package before anything reads it
    import hashlib

    from perfrules.syntax import lalr
    from perfrules.syntax.lexing import Separators

    shipped = lalr.grammar_file(lalr.TABLES)
    assert hashlib.sha256(shipped).hexdigest() == lalr.TABLES_SHA256, (
        "the shipped tables changed: put the TABLES_SHA256 that write_tables printed into syntax/lalr.py")

    def never(self: object) -> object:
        raise AssertionError("unpickled tables that are not the recorded ones")

    monkeypatch.setattr(lalr._PlainData, "load", never)
    tampered = shipped[:-1] + bytes([shipped[-1] ^ 1])
    assert lalr._from_tables(tampered, Separators()) is None
