"""The command line's own words in both languages (issue 11): what `new`, `import`, `fmt`, `test`
and `eval --batch` say of their work, their errors, and --help. Chinese for a rule file with
Chinese keywords (or --lang zh, or PERFRULES_LANG=zh), English with --lang en; before any rule
file is read, --lang, else PERFRULES_LANG, else English."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from perfrules.cli import main

# 4 sessions of 5: 4 / 5 = 80% of 10 points, 8.00
ZH_RULES = '规则集 "培训项目" { 总分 10 }\n输入 培训次数: 计数\n指标 培训 分值 10 {\n  按比例 培训次数 / 5\n}\n'
EN_RULES = 'ruleset "t" { total 10 }\ninput n: count\nindicator a weight 10 {\n  ratio n / 5\n}\n'


@pytest.fixture(autouse=True)
def no_lang(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PERFRULES_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    Path("zh.rules").write_text(ZH_RULES, "utf-8")
    Path("en.rules").write_text(EN_RULES, "utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- new and import -----------------------------------------------------------------------------


def test_new_facts_says_what_it_wrote_in_the_rule_file_s_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new", "facts", "zh.rules", "-o", "f.toml") == (0, "", "已写入f.toml\n")
    assert run(capsys, "new", "facts", "zh.rules", "-o", "g.toml", "--lang", "en") == (0, "", "wrote g.toml\n")
    assert run(capsys, "new", "facts", "en.rules", "-o", "h.toml") == (0, "", "wrote h.toml\n")


def test_new_rules_says_what_to_do_next_in_the_starter_s_language(capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # not a terminal: no interview
    # the keywords are Chinese unless --keywords en, and the lines follow them
    assert run(capsys, "new", "rules", "-o", "a.rules")[2] == \
        "已写入a.rules\n下一步：perfrules check a.rules；perfrules new facts a.rules\n"
    assert run(capsys, "new", "rules", "--keywords", "en", "-o", "b.rules")[2] == \
        "wrote b.rules\nnext: perfrules check b.rules; perfrules new facts b.rules\n"
    monkeypatch.setenv("PERFRULES_LANG", "en")
    assert run(capsys, "new", "rules", "-o", "c.rules")[2].startswith("wrote c.rules\nnext: ")


def test_import_says_what_it_wrote(capsys: pytest.CaptureFixture[str]) -> None:
    Path("form.csv").write_text("培训次数,4\n", "utf-8")
    code, _, err = run(capsys, "import", "form.csv", "--rules", "zh.rules", "-o", "facts.toml")
    assert (code, err) == (0, "已写入facts.toml\n")
    assert '"培训次数" = 4' in Path("facts.toml").read_text("utf-8")
    code, _, err = run(capsys, "import", "form.csv", "--rules", "zh.rules", "-o", "facts.toml", "--lang", "en")
    assert (code, err) == (0, "wrote facts.toml\n")


@pytest.mark.parametrize(("flags", "zh", "en"), [
    (["--indicator", "x"], "`x`：请写成 名称=分值 或 名称=分值:评分方法，例如 产出指标=50:比例",
     "`x`: write NAME=WEIGHT or NAME=WEIGHT:KIND, like 产出指标=50:比例"),
    (["--indicator", "x=1:foo"], "`x=1:foo`：`foo`不是评分方法；请写执行率、比例、分档或评定之一",
     "`x=1:foo`: `foo` is not a way of scoring; write one of 执行率 (execution), 比例 (ratio), 分档 (tiers), "
     "评定 (judged)"),
    (["--indicator", "x=a"], "`x=a`：分值`a`不是数", "`x=a`: the weight `a` is not a number"),
    (["--total", "abc"], "总分`abc`不是数", "the total `abc` is not a number"),
    # 5 + 4 = 9, not the default total 100; `1x` starts with a digit
    (["--indicator", "1x=5", "--indicator", "y=4"],
     "无法写出起始规则文件：`1x`不能作名称：名称由字母、汉字、数字和`_`组成，且不以数字开头；"
     "各指标分值合计9，不等于总分100：请修改分值或总分",
     "cannot write the starter: `1x` cannot be a name: a name is letters, 汉字, digits and `_`, and does not "
     "start with a digit; the weights add up to 9, not to the total 100: change a weight or the total"),
])
def test_a_starter_that_cannot_be_written_is_told_in_either_language(
        capsys: pytest.CaptureFixture[str], flags: list[str], zh: str, en: str) -> None:
    # wrong usage comes before any rule file is read: --lang, else PERFRULES_LANG, else English
    assert run(capsys, "new", "rules", "--no-input", *flags, "--lang", "zh") == (2, "", f"perfrules：错误：{zh}\n")
    assert run(capsys, "new", "rules", "--no-input", *flags) == (2, "", f"perfrules: error: {en}\n")


# ---- eval --batch ----------------------------------------------------------------------------------


def test_a_batch_reports_failed_records_in_the_rule_file_s_language(capsys: pytest.CaptureFixture[str]) -> None:
    # record 1: 4 sessions, 8.00; record 2: `三` is text, not a count (F207)
    Path("b.jsonl").write_text('{"培训次数": 4}\n{"培训次数": "三"}\n', "utf-8")
    zh = ("b.jsonl：第2行：facts['培训次数']：error: `培训次数`：应为0或更大的整数，实际是文本\"三\" [F207]\n"
          "已评分1条，失败1条\n")
    en = ("b.jsonl: row 2: facts['培训次数']: error: `培训次数`: expected a whole number of 0 or more, "
          "found the text \"三\" [F207]\n1 scored, 1 failed\n")
    code, out, err = run(capsys, "eval", "zh.rules", "--batch", "b.jsonl")
    assert (code, err) == (1, zh)
    assert '"total": "8.00"' in out.splitlines()[0]
    assert run(capsys, "eval", "zh.rules", "--batch", "b.jsonl", "--lang", "en")[2] == en


def test_a_worker_process_speaks_the_language_it_is_given() -> None:
    # workers are other processes: the language must travel with them, not stay in the parent
    Path("b.jsonl").write_text("".join('{"培训次数": 4}\n' for _ in range(3)) + '{"培训次数": "三"}\n', "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PERFRULES_LANG"}
    for lang, failed in (("zh", "b.jsonl：第4行："), ("en", "b.jsonl: row 4: ")):
        proc = subprocess.run([sys.executable, "-m", "perfrules", "eval", "zh.rules", "--batch", "b.jsonl",
                               "--workers", "2", "--lang", lang], capture_output=True, text=True, env=env,
                              encoding="utf-8")
        assert proc.returncode == 1
        assert proc.stderr.startswith(failed)
        assert proc.stderr.endswith("已评分3条，失败1条\n" if lang == "zh" else "3 scored, 1 failed\n")


def test_a_batch_that_cannot_be_read_is_told_in_either_language(capsys: pytest.CaptureFixture[str]) -> None:
    Path("h.csv").write_text("培训次数,培训次数\n1,2\n", "utf-8")
    assert run(capsys, "eval", "zh.rules", "--batch", "h.csv")[2] == (
        "perfrules：错误：h.csv:1:2：表头两次列出`培训次数`列（第1列和第2列）；请只保留一列，无法判断以哪一列为准\n")
    assert run(capsys, "eval", "zh.rules", "--batch", "h.csv", "--lang", "en")[2] == (
        "perfrules: error: h.csv:1:2: the header names the column `培训次数` twice (columns 1 and 2); keep one of "
        "them, which one is meant cannot be guessed\n")
    assert run(capsys, "eval", "zh.rules", "--batch", "zh.rules") == (
        2, "", "perfrules：错误：zh.rules：批量评分的输入是.jsonl或.csv文件，或存放.toml事实文件和.xlsx/.xls表格的"
               "文件夹\n")
    assert run(capsys, "eval", "en.rules", "--batch", "zh.rules")[2] == (
        "perfrules: error: zh.rules: a batch is a .jsonl or .csv file, or a folder of .toml facts files and "
        ".xlsx/.xls forms\n")


# ---- fmt and test --------------------------------------------------------------------------------


def test_fmt_tells_of_its_files_in_either_language(capsys: pytest.CaptureFixture[str]) -> None:
    messy = EN_RULES.replace("  ratio", "    ratio")
    Path("m.rules").write_text(messy, "utf-8")
    assert run(capsys, "fmt", "--check", "m.rules") == (1, "would reformat m.rules\n",
                                                        "1 file would be reformatted, 0 unchanged\n")
    assert run(capsys, "fmt", "--check", "m.rules", "--lang", "zh") == (
        1, "将重新格式化m.rules\n", "1个文件将被重新格式化，0个未变\n")
    Path("bad.rules").write_bytes(b"\xff")
    assert run(capsys, "fmt", "m.rules", "bad.rules", "--lang", "zh") == (
        1, "已重新格式化m.rules\n", "bad.rules：不是UTF-8文本；未格式化\n已重新格式化1个文件，0个未变，1个有错误\n")
    assert "按比例 n / 5" in Path("m.rules").read_text("utf-8")  # --lang zh wrote the keywords in Chinese too
    assert run(capsys, "fmt", "bad.rules")[2] == \
        "bad.rules: not UTF-8 text; not formatted\n0 files reformatted, 0 unchanged, 1 with errors\n"
    # a file written in Chinese is told of in Chinese without --lang (it was told of in English), and the count
    # too when every file is; beside an English file the count stays English
    Path("z.rules").write_text(ZH_RULES.replace("\n  ", "\n      "), "utf-8")
    assert run(capsys, "fmt", "--check", "z.rules") == (1, "将重新格式化z.rules\n", "1个文件将被重新格式化，0个未变\n")
    Path("e.rules").write_text(messy, "utf-8")  # en.rules is fmt-clean: its `{ total 10 }` stays on its line
    assert run(capsys, "fmt", "--check", "z.rules", "e.rules")[1:] == (
        "将重新格式化z.rules\nwould reformat e.rules\n", "2 files would be reformatted, 0 unchanged\n")
    assert run(capsys, "fmt", "--check", "z.rules", "en.rules")[1:] == (
        "将重新格式化z.rules\n", "1 file would be reformatted, 1 unchanged\n")


CASES = """\
rules = "zh.rules"

[[case]]
name = "四次"
facts = { "培训次数" = 4 }
expect = { total = "8" }

[[case]]
name = "五次"
facts = { "培训次数" = 5 }
expect = { total = "9" }
"""


def test_the_test_runner_speaks_the_rule_file_s_language(capsys: pytest.CaptureFixture[str]) -> None:
    # 4 / 5 of 10 is 8: passes; 5 / 5 is full points, 10, not 9: fails
    Path("zh.cases.toml").write_text(CASES, "utf-8")
    code, out, _ = run(capsys, "test", "zh.cases.toml")
    assert code == 1
    lines = out.splitlines()
    assert lines[:3] == ["zh.cases.toml（规则文件：zh.rules）", "  通过   四次", "  未通过 五次（zh.cases.toml:8）"]
    assert lines[-1] == "未通过：1个文件：1个通过，1个未通过"
    code, out, _ = run(capsys, "test", "zh.cases.toml", "--lang", "en", "-x")
    lines = out.splitlines()
    assert lines[:3] == ["zh.cases.toml (rules: zh.rules)", "  ok   四次", "  FAIL 五次  (zh.cases.toml:8)"]
    assert lines[-2:] == ["stopped at the first failure (-x)", "FAILED: 1 file: 1 passed, 1 failed"]
    code, out, _ = run(capsys, "test", "zh.cases.toml", "-k", "四次")
    assert out.splitlines()[-1] == "通过：1个文件：1个通过，0个未通过，1个未选"


def test_a_broken_cases_file_is_told_of_in_its_rule_file_s_language(capsys: pytest.CaptureFixture[str]) -> None:
    # the cases file's own errors (C201 here) were in English whatever its rules: now in the language of the
    # rule file it names (zh.rules: Chinese keywords), as its cases' results are
    Path("zh.cases.toml").write_text(CASES.replace('expect = { total = "8" }', 'expect = { totl = "8" }'), "utf-8")
    code, out, _ = run(capsys, "test", "zh.cases.toml")
    assert code == 1
    assert "error: `[case.expect]`表中有未知的键`totl` [C201]" in out and "= 提示：是不是`total`？" in out
    assert out.splitlines()[-1].startswith("未通过：1个文件")
    assert "unknown key `totl` in `[case.expect]` [C201]" in run(capsys, "test", "zh.cases.toml", "--lang", "en")[1]


def test_a_failed_case_s_differences_follow_the_rule_file_s_keywords(capsys: pytest.CaptureFixture[str]) -> None:
    # 5 / 5 of 10 is full points: the total is 10.00, not 9, and 培训 lost nothing
    Path("zh.cases.toml").write_text(CASES.replace('expect = { total = "9" }',
                                                   'expect = { total = "9", points = { "培训" = "9" }, '
                                                   'lost = { "培训" = ["未完成"] } }'), "utf-8")
    out = run(capsys, "test", "zh.cases.toml", "-k", "五次")[1]
    assert "\n".join(out.splitlines()[2:5]) == (
        "         total：预期9，实际10.00\n"
        "         `培训`的得分：预期9，实际10.00\n"
        "         lost `培训`：预期扣分且扣分原因含有'未完成'，实际未扣分")
    out = run(capsys, "test", "zh.cases.toml", "-k", "五次", "--lang", "en")[1]
    assert "\n".join(out.splitlines()[2:5]) == (
        "         total: expected 9, got 10.00\n"
        "         points of `培训`: expected 9, got 10.00\n"
        "         lost `培训`: expected it to lose points with reasons containing '未完成'; it lost none")


def test_the_test_runner_s_usage_in_either_language(capsys: pytest.CaptureFixture[str]) -> None:
    Path("zh.cases.toml").write_text(CASES, "utf-8")
    Path("empty").mkdir()
    assert run(capsys, "test", "empty") == (1, "", "no *.cases.toml files found under empty\n")
    assert run(capsys, "test", "empty", "--lang", "zh") == (1, "", "empty下没有找到*.cases.toml文件\n")
    assert run(capsys, "test", "zh.cases.toml", "-k", "(四次")[2] == \
        "perfrules: error: -k '(四次': a `(` is not closed\n"
    assert run(capsys, "test", "zh.cases.toml", "-k", "四次 and", "--lang", "zh")[2] == \
        "perfrules：错误：-k '四次 and'：末尾缺少一个词\n"
    assert run(capsys, "test", "zh.cases.toml", "-k", "四次 )", "--lang", "zh")[2] == \
        "perfrules：错误：-k '四次 )'：多余的`)`\n"
    assert run(capsys, "test", "zh.cases.toml", "-k", "and 四次")[2] == \
        "perfrules: error: -k 'and 四次': expected a word before `and`\n"


# ---- --help and a bug ------------------------------------------------------------------------------


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_in_chinese_with_lang_or_the_environment(capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    chinese = _help(capsys, "--lang", "zh", "--help")
    assert chinese.startswith("用法：perfrules [-h] [--version] [--lang {zh,en}] 命令 ...\n")
    assert "按规则文件精确计算预算绩效自评得分，并写明扣分原因。" in chinese
    assert "    check         检查规则文件，列出全部错误\n" in chinese
    assert "  -h, --help      显示本帮助并退出\n" in chinese
    english = _help(capsys, "--help")
    assert english.startswith("usage: perfrules [-h] [--version] [--lang {zh,en}] COMMAND ...\n")
    assert "    check         check rule files and report every error\n" in english
    monkeypatch.setenv("PERFRULES_LANG", "zh")
    assert _help(capsys, "--help") == chinese
    eval_help = _help(capsys, "eval", "--help")
    assert eval_help.startswith("用法：perfrules eval ")
    assert "--batch使用的进程数（默认1）" in eval_help and "processes" not in eval_help
    assert "processes for --batch (default 1)" in _help(capsys, "eval", "--help", "--lang", "en")


def test_a_top_level_lang_reaches_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    # `perfrules --lang en new facts …` as well as `perfrules new facts … --lang en`
    assert run(capsys, "--lang", "en", "new", "facts", "zh.rules", "-o", "f.toml") == (0, "", "wrote f.toml\n")
    # the command's own --lang comes first
    assert run(capsys, "--lang", "en", "new", "facts", "zh.rules", "-o", "g.toml", "--lang", "zh")[2] == \
        "已写入g.toml\n"


def test_a_bug_is_owned_in_either_language(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import perfrules.cli.commands as commands

    def broken(args: object) -> int:
        raise KeyError("x")

    monkeypatch.delenv("PERFRULES_DEBUG", raising=False)
    monkeypatch.setattr(commands, "main_check", broken)
    assert run(capsys, "check", "en.rules", "--lang", "zh") == (
        1, "", "perfrules：内部错误：KeyError: 'x'\n这是perfrules的缺陷；设置PERFRULES_DEBUG=1可查看出错位置\n")
    assert run(capsys, "check", "en.rules")[2] == (
        "perfrules: internal error: KeyError: 'x'\nthis is a bug in perfrules; set PERFRULES_DEBUG=1 to see where "
        "it happened\n")


@pytest.mark.parametrize(("argv", "zh", "en"), [
    (["check", "en.rules", "--format", "x"],
     "perfrules check：错误：参数--format：无效的选项'x'（可选：'text', 'json', 'github', 'sarif'）",
     "perfrules check: error: argument --format: invalid choice: 'x' (choose from 'text', 'json', 'github', 'sarif')"),
    (["eval"], "perfrules eval：错误：缺少以下参数：RULES",
     "perfrules eval: error: the following arguments are required: RULES"),
    (["check", "en.rules", "--bogus"], "perfrules：错误：无法识别的参数：--bogus",
     "perfrules: error: unrecognized arguments: --bogus"),
    (["eval", "en.rules", "--workers", "x"], "perfrules eval：错误：参数--workers：无效的int值：'x'",
     "perfrules eval: error: argument --workers: invalid int value: 'x'"),
    (["eval", "en.rules", "--sheet"], "perfrules eval：错误：参数--sheet：需要一个值",
     "perfrules eval: error: argument --sheet: expected one argument"),
])
def test_argparse_s_own_errors_in_either_language(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                                  argv: list[str], zh: str, en: str) -> None:
    for lang, expected in (("en", en), ("zh", zh)):
        monkeypatch.setenv("PERFRULES_LANG", lang)
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("用法：perfrules" if lang == "zh" else "usage: perfrules")
        assert err.splitlines()[-1] == expected


def test_an_argparse_message_the_catalogue_does_not_know_is_shown_as_written() -> None:
    from perfrules.cli.parser import _argparse_said

    said = _argparse_said("argument -o/--output: some wording of a newer Python")
    assert (said.en, said.zh) == ("argument -o/--output: some wording of a newer Python",) * 2
    said = _argparse_said("the following arguments are required: RULES, FACTS")
    assert said.zh == "缺少以下参数：RULES, FACTS"


def test_summary_names_lines_it_cannot_use_in_its_language(capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # line 1 is not JSON, line 2 not an object, line 3 has no total: three errors, no project scored
    Path("r.jsonl").write_text('{oops\n[1]\n{"row": 3}\n', "utf-8")
    code, page, _ = run(capsys, "summary", "r.jsonl")
    assert code == 0  # Chinese, with no rule file to go by
    assert ("<td>第1行</td><td>不是批量评分输出的JSON行（Expecting property name enclosed in double quotes）"
            "</td>") in page
    assert "<td>第2行</td><td>不是批量评分输出的JSON对象</td>" in page
    assert "<td>第3行</td><td>这一行没有总分</td>" in page
    monkeypatch.setenv("PERFRULES_LANG", "en")
    page = run(capsys, "summary", "r.jsonl")[1]
    assert "<td>line 2</td><td>not a JSON object of batch output</td>" in page
    assert "<td>row 3</td><td>no total in this line</td>" in page
    assert run(capsys, "summary", "r.jsonl", "--lang", "zh")[1].count("<td>第") == 3
