"""One message catalogue (issue 11): every word perfrules says to a person exists in Chinese and
English, in src/perfrules/catalogue/, and nowhere else; the CLI speaks the rule file's language.

The source checks read src/ with `ast`, so they hold for code not yet written too.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfrules import cli
from perfrules.catalogue import Message, Said, Text, checks, fields_of, helptext, language, phrases, usage
from perfrules.catalogue import diagnostics as say
from perfrules.catalogue.diagnostics import CODES, messages
from perfrules.diagnostics import Diagnostic

SRC = Path(__file__).resolve().parents[1] / "src" / "perfrules"
CATALOGUE = SRC / "catalogue"
CODE = re.compile(r"[EFWC]\d{3}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _entries() -> dict[str, Message]:
    found = {f"diagnostics.{name}": m for name, m in messages().items()}
    found |= {f"phrases.{name}": m for name, m in vars(phrases).items() if isinstance(m, Message)}
    found |= {f"usage.{name}": m for name, m in vars(usage).items() if isinstance(m, Message)}
    found |= {f"helptext.{name}": m for name, m in vars(helptext).items() if isinstance(m, Message)}
    found |= {f"checks.{name}": m for name, m in vars(checks).items() if isinstance(m, Message)}
    return found


def test_every_catalogue_module_is_read_above() -> None:
    # a new module of entries is checked only if _entries reads it
    assert sorted(p.stem for p in CATALOGUE.glob("*.py")) == [
        "__init__", "checks", "diagnostics", "helptext", "phrases", "usage"]


ENTRIES = _entries()


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_entry_says_the_same_in_both_languages(name: str) -> None:
    m = ENTRIES[name]
    assert m.en.strip() and m.zh.strip(), name
    assert fields_of(m.en) == fields_of(m.zh), f"{name}: the two texts name different fields"
    # words outside the fields and the `code` quotes are prose: the Chinese text is in Chinese
    prose = re.sub(r"`[^`]*`|\{[^{}]*\}", "", m.en)
    if re.search(r"[A-Za-z]{2,}", prose):
        assert CJK.search(m.zh), f"{name}: the Chinese text is not in Chinese: {m.zh!r}"


def test_the_catalogue_is_large_and_names_each_code_once_or_more() -> None:
    # 137 codes as of issue 11: E100-E602, F100-F309, W100-W132 and the cases file's C codes
    assert len(CODES) >= 137
    assert all(CODE.fullmatch(code) for code in CODES)


def test_a_message_refuses_fields_it_does_not_name() -> None:
    with pytest.raises(TypeError):
        say.E201_UNKNOWN_NAME(nam="x")
    with pytest.raises(TypeError):
        say.E201_UNKNOWN_NAME()


def test_fields_render_in_the_language_of_their_message() -> None:
    # a nested message, a list and a Text follow the language they are said in
    said = say.F203_MISSING_INPUT(name="培训次数", type=say.TYPE_NAMES["count"]())
    assert said.en == "missing input `培训次数` (count)"
    assert said.zh == "缺少输入项`培训次数`（计数）"
    labels = say.F209_THE_GRADES(labels=("优", "良"))
    assert (labels.en, labels.zh) == ("the grades are 优, 良", "等级有：优、良")
    kind = say.WHAT_AMOUNT(kind=Text("扣", "deduct"))
    assert (kind.en, kind.zh) == ("a `deduct` amount", "`扣`的数额")
    assert isinstance(said, Said) and said.code == "F203"


def test_language_is_chosen_by_flag_then_environment_then_file() -> None:
    assert language(None, chinese=True, environ={}) == "zh"
    assert language(None, chinese=False, environ={}) == "en"
    assert language(None, chinese=True, environ={"PERFRULES_LANG": "en"}) == "en"
    assert language(None, chinese=False, environ={"PERFRULES_LANG": "zh_CN.UTF-8"}) == "zh"
    assert language("en", chinese=True, environ={"PERFRULES_LANG": "zh"}) == "en"
    assert language("zh", chinese=False, environ={"PERFRULES_LANG": "en"}) == "zh"
    assert language(None, chinese=True, environ={"PERFRULES_LANG": "fr"}) == "zh"  # unknown: ignored


def test_a_diagnostic_keeps_both_texts_and_english_for_machines() -> None:
    d = Diagnostic(say.E201_UNKNOWN_NAME(name="spnet"), None, help=say.DID_YOU_MEAN(guess="spent"),
                   notes=[say.FIRST_DECLARED_AT(place="a.rules:1:1")], where="a.rules:2:3")
    assert (d.code, d.message, d.help, d.notes) == (
        "E201", "unknown name `spnet`", "did you mean `spent`?", ("first declared at a.rules:1:1",))
    assert (d.message_in("zh"), d.help_in("zh"), d.notes_in("zh")) == (
        "未知的名称`spnet`", "是不是`spent`？", ("第一次声明在a.rules:1:1",))
    assert str(d) == "a.rules:2:3: error: unknown name `spnet` [E201]"


# ---- the source: every code in the catalogue, every message from it ----------------------


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        if CATALOGUE not in path.parents:
            yield path, ast.parse(path.read_text("utf-8"))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(SRC.parent)}:{getattr(node, 'lineno', 0)}"


def test_every_code_named_in_the_source_is_in_the_catalogue() -> None:
    named = {
        (node.value, _where(path, node))
        for path, tree in _modules() for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.fullmatch(node.value)
    }  # fmt: skip
    unknown = sorted(f"{where}: {code}" for code, where in named if code not in CODES)
    assert unknown == []


def _is_sentence(node: ast.AST) -> bool:
    """A text written for a person: an f-string, or a literal of several words."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return " " in node.value.strip()
    if isinstance(node, ast.BinOp):
        return _is_sentence(node.left) or _is_sentence(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_is_sentence(e) for e in node.elts)
    if isinstance(node, ast.IfExp):
        return _is_sentence(node.body) or _is_sentence(node.orelse)
    return False


# the calls that make a diagnostic, and the helpers that pass their message on to one
_REPORTING = {"Diagnostic", "error", "facts_error", "row_error", "AchievementError", "RowProblem"}


def test_no_diagnostic_is_worded_outside_the_catalogue() -> None:
    worded = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in _REPORTING:
                continue
            given = [*node.args, *(k.value for k in node.keywords if k.arg in ("help", "notes"))]
            if any(_is_sentence(arg) for arg in given):
                worded.append(_where(path, node))
    assert worded == [], "diagnostics must take their words from perfrules.catalogue"


def test_the_catalogue_checks_see_a_worded_diagnostic() -> None:
    # the check above is worth only what `_is_sentence` finds
    call = ast.parse('Diagnostic("E201", f"unknown name `{x}`", span)').body[0]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert _is_sentence(call.value.args[1])
    assert not _is_sentence(ast.parse('"facts"').body[0].value)  # type: ignore[attr-defined]


def _is_language_test(node: ast.AST) -> bool:
    """`zh`, `chinese`, `x.chinese`, `lang == "zh"`: a choice between the two languages."""
    if isinstance(node, ast.Name):
        return node.id in ("zh", "chinese")
    if isinstance(node, ast.Attribute):
        return node.attr in ("zh", "chinese", "chinese_keywords")
    if isinstance(node, ast.Compare):
        return any(isinstance(c, ast.Constant) and c.value in ("zh", "en") for c in (node.left, *node.comparators))
    if isinstance(node, ast.UnaryOp):
        return _is_language_test(node.operand)
    if isinstance(node, ast.BoolOp):
        return any(_is_language_test(v) for v in node.values)
    return False


def _literals(nodes: list[ast.AST]) -> Iterator[str]:
    for node in nodes:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                yield inner.value


def _worded(nodes: list[ast.AST]) -> bool:
    return any(re.search(r"[A-Za-z]{2,}", text) and text not in ("zh", "en") for text in _literals(nodes))


def test_no_words_are_chosen_by_language_outside_the_catalogue() -> None:
    """`"扣分" if zh else "deducted"` belongs in the catalogue: a branch on the language holds no
    Chinese text, and no choice between two worded literals (keywords come from syntax.keywords)."""
    chosen = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.IfExp) and _is_language_test(node.test):
                branches: list[ast.AST] = [node.body, node.orelse]
                if any(CJK.search(t) for t in _literals(branches)) or (
                        _worded([node.body]) and _worded([node.orelse])):
                    chosen.append(_where(path, node))
            elif isinstance(node, ast.If) and _is_language_test(node.test):
                if any(CJK.search(t) for t in _literals([*node.body, *node.orelse])):
                    chosen.append(_where(path, node))
    assert chosen == [], "words in one language or the other come from perfrules.catalogue.phrases"


def test_the_language_check_sees_a_chosen_word() -> None:
    found = ast.parse('x = "扣分" if zh else "deducted"\nif lang == "zh":\n    y = f"得{p}分"\n').body
    first, second = found
    assert isinstance(first, ast.Assign) and isinstance(first.value, ast.IfExp)
    assert _is_language_test(first.value.test) and CJK.search("".join(_literals([first.value.body])))
    assert isinstance(second, ast.If) and _is_language_test(second.test)
    assert CJK.search("".join(_literals(list(second.body))))


FIXED = sorted(n for n, v in vars(phrases).items() if n.isupper() and isinstance(v, (Text, dict, tuple)))


def test_an_extra_to_install_is_quoted_so_it_pastes_in_zsh() -> None:
    # `pip install perfrules[report]` in zsh (macOS's shell) is "no matches found": the
    # brackets are a glob. E602 said it bare while W101 and --properties quoted it
    bare = re.compile(r"pip install perfrules\[")
    said = {name: m for name, m in ENTRIES.items() if "perfrules[" in m.en}
    assert {"diagnostics.E602_INSTALL", "diagnostics.W101_INSTALL", "usage.NEEDS_HYPOTHESIS"} <= set(said)
    for name, m in said.items():
        for text in (m.en, m.zh):
            assert not bare.search(text), f"{name}: {text!r}"
            assert "'perfrules[" in text, f"{name}: {text!r}"


@pytest.mark.parametrize("name", FIXED)
def test_every_fixed_phrase_has_both_languages(name: str) -> None:
    value = vars(phrases)[name]
    texts = list(value.values()) if isinstance(value, dict) else list(value) if isinstance(value, tuple) else [value]
    for text in texts:
        assert isinstance(text, (Text, Message)) and text.en and text.zh, name
        # a Chinese text with Latin words and no Chinese one was left untranslated (`-` for `to` is fine)
        if re.search(r"[A-Za-z]{2,}", text.zh) and name != "HTML_LANG":
            assert CJK.search(text.zh), f"{name}: {text.zh!r} is not Chinese"


def test_the_catalogue_imports_nothing_of_perfrules() -> None:
    # the foundation: every stage may use it, so it may use none of them
    for path in CATALOGUE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("perfrules"):
                assert node.module == "perfrules.catalogue", f"{path.name} imports {node.module}"


# ---- the command line speaks the rule file's language ------------------------------------

# `培训` is not declared (E201); the weights add up to 8, not 10 (E410)
CHINESE_RULES = """\
规则集 "培训项目" { 总分 10 }
输入 培训次数: 计数
指标 培训 分值 8 {
  按比例 培训 / 5
}
"""

ENGLISH_RULES = """\
ruleset "training" { total 10 }
input sessions: count
indicator training weight 10 {
  ratio sessions / 5
}
"""


def _cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(list(args))
    finally:
        os.chdir(cwd)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def no_lang(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    return monkeypatch


def test_check_prints_a_chinese_keyword_file_s_errors_in_chinese(tmp_path: Path, no_lang: pytest.MonkeyPatch) -> None:
    (tmp_path / "zh.rules").write_text(CHINESE_RULES, "utf-8")
    status, _, err = _cli(tmp_path, "check", "zh.rules", "--color", "never")
    assert status == 1
    # line 1: `规则集 "培训项目" { ` is 13 characters, so `总分 10` starts at column 14; the weights add up to 8
    assert "zh.rules:1:14: error: 顶层指标的分值合计8，但`总分`是10 [E410]\n" in err
    assert "  = 提示：请让顶层指标的分值（8）合计等于`总分`，或者修改`总分`\n" in err
    assert "zh.rules:4:7: error: 未知的名称`培训` [E201]\n" in err
    assert "  = 提示：是不是`培训次数`？\n" in err
    assert err.endswith("\n共2个错误\n")
    # the only English is spec section 8's `FILE:LINE:COL: error:` token, once per error
    assert err.count("error") == err.count(": error: ") == 2 and "help" not in err


def test_lang_en_and_the_environment_switch_it(tmp_path: Path, no_lang: pytest.MonkeyPatch) -> None:
    (tmp_path / "zh.rules").write_text(CHINESE_RULES, "utf-8")
    _, _, english = _cli(tmp_path, "check", "zh.rules", "--lang", "en", "--color", "never")
    assert "zh.rules:4:7: error: unknown name `培训` [E201]\n" in english
    assert "  = help: did you mean `培训次数`?\n" in english
    assert english.endswith("\n2 errors\n")
    no_lang.setenv("PERFRULES_LANG", "en")
    assert _cli(tmp_path, "check", "zh.rules", "--color", "never")[2] == english
    # --lang comes before the environment
    assert "[E201]" in _cli(tmp_path, "check", "zh.rules", "--lang", "zh", "--color", "never")[2]


def test_the_environment_makes_an_english_file_speak_chinese(tmp_path: Path, no_lang: pytest.MonkeyPatch) -> None:
    (tmp_path / "en.rules").write_text(ENGLISH_RULES.replace("ratio sessions", "ratio session"), "utf-8")
    assert "error: unknown name `session`" in _cli(tmp_path, "check", "en.rules")[2]
    no_lang.setenv("PERFRULES_LANG", "zh")
    assert "error: 未知的名称`session`" in _cli(tmp_path, "check", "en.rules")[2]


def test_the_ok_line_follows_lang_too(tmp_path: Path, no_lang: pytest.MonkeyPatch) -> None:
    (tmp_path / "en.rules").write_text(ENGLISH_RULES, "utf-8")
    assert _cli(tmp_path, "check", "en.rules")[1] == "en.rules: ok (1 indicator, 1 scored, total 10)\n"
    assert _cli(tmp_path, "check", "en.rules", "--lang", "zh")[1] == \
        "en.rules: 检查通过（1个指标，其中1个计分，总分10）\n"


def test_eval_prints_facts_errors_in_the_rule_file_s_language(tmp_path: Path, no_lang: pytest.MonkeyPatch) -> None:
    rules = CHINESE_RULES.replace("分值 8", "分值 10").replace("按比例 培训 /", "按比例 培训次数 /")
    (tmp_path / "zh.rules").write_text(rules, "utf-8")
    (tmp_path / "f.toml").write_text("[facts]\n", "utf-8")
    status, _, err = _cli(tmp_path, "eval", "zh.rules", "f.toml")
    assert status == 1
    assert err == (
        "f.toml:1:1: error: 缺少输入项`培训次数`（计数） [F203]\n"
        "  |\n"
        "1 | [facts]\n"
        "  | ^^^^^^^\n"
        "  = 提示：在[facts]下加上`\"培训次数\" = …`，填整数\n"
        "\n"
        "共1个错误\n"
    )
    assert "error: missing input `培训次数` (count)" in _cli(tmp_path, "eval", "zh.rules", "f.toml",
                                                                  "--lang", "en")[2]


def test_json_keeps_the_english_message_and_adds_the_chinese(tmp_path: Path, no_lang: pytest.MonkeyPatch) -> None:
    (tmp_path / "zh.rules").write_text(CHINESE_RULES, "utf-8")
    status, out, _ = _cli(tmp_path, "check", "zh.rules", "--format", "json")
    problem = json.loads(out)["files"][0]["diagnostics"][1]
    assert status == 1
    assert (problem["code"], problem["message"], problem["help"]) == (
        "E201", "unknown name `培训`", "did you mean `培训次数`?")
    assert (problem["message_zh"], problem["help_zh"]) == ("未知的名称`培训`", "是不是`培训次数`？")


def test_the_environment_chooses_the_headings_of_eval_too(tmp_path: Path, no_lang: pytest.MonkeyPatch) -> None:
    rules = CHINESE_RULES.replace("分值 8", "分值 10").replace("按比例 培训 /", "按比例 培训次数 /")
    (tmp_path / "zh.rules").write_text(rules, "utf-8")
    (tmp_path / "f.toml").write_text('[facts]\n"培训次数" = 4\n', "utf-8")
    # 4 / 5 = 80% of 10 points: 8.00, 2.00 lost
    status, chinese, _ = _cli(tmp_path, "eval", "zh.rules", "f.toml")
    assert status == 0 and chinese.splitlines()[2].split() == ["指标", "分值", "得分", "扣分"]
    no_lang.setenv("PERFRULES_LANG", "en")
    english = _cli(tmp_path, "eval", "zh.rules", "f.toml")[1]
    assert english.splitlines()[2].split() == ["indicator", "weight", "points", "lost"]
    # the reasons are part of the result (Result.lost), in the rule file's language whatever prints them
    assert "1. 培训 −2.00: 培训次数 / 5 为80%，按比例得8分" in english
    assert _cli(tmp_path, "eval", "zh.rules", "f.toml", "--lang", "zh")[1] == chinese


def test_usage_errors_come_from_the_catalogue(tmp_path: Path, no_lang: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # wrong usage is told before any rule file is read: in the language of --lang or PERFRULES_LANG
    from perfrules.cli import main

    missing = tmp_path / "无此文件.rules"
    facts = tmp_path / "f.toml"
    facts.write_text("[facts]\n", encoding="utf-8")
    assert main(["eval", str(missing), str(facts)]) == 2
    assert capsys.readouterr().err.strip() == f"perfrules: error: {missing}: no such file"
    no_lang.setenv("PERFRULES_LANG", "zh")
    assert main(["eval", str(missing), str(facts)]) == 2
    assert capsys.readouterr().err.strip() == f"perfrules：错误：{missing}：没有这个文件"
    assert main(["eval", str(missing), "--batch", str(facts), "--workers", "0"]) == 2
    assert "--workers需要不小于1的数" in capsys.readouterr().err
    # and no usage error or `perfrules: error:` line is worded outside the catalogue
    worded = []
    for path in SRC.rglob("*.py"):
        if CATALOGUE in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "UsageError" and node.args \
                    and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp)):
                worded.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    node.value.startswith("perfrules: error"):
                worded.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) \
                    and str(node.values[0].value).startswith("perfrules: error"):
                worded.append(f"{path.name}:{node.lineno}")
    assert worded == []
