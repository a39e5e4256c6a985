"""Issue 16, item 19: what comes from data is text in a Markdown report, never markup.

An entity, a reason, a rating label or a row of the filed form may hold HTML
(`<iframe src="javascript:…">`), a carriage return, a heading, emphasis, a link or a table
pipe. Each must come out as one line that a CommonMark reader shows as the same text:
every character with a meaning is backslash-escaped, and removing those escapes gives the
text back.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import perfrules
from perfrules.text import report
from perfrules.text.filedform import markdown as form_markdown
from perfrules.text.mdtext import md

from .test_filedform import FORM, LINES

IFRAME = '<iframe src="javascript:alert(1)">'
HOSTILE = [
    IFRAME,
    "# heading",
    "a\rb\r\nc\nd",
    "**bold** _em_ `code` ~~gone~~",
    "[click](javascript:alert(1)) ![img](x.png)",
    "a | b",
    "&lt;script&gt;",
    "$x^2$",
    "> quoted",
    "1. item",
    "- item",
    "---",
    "back\\slash",
    "content_1705915 stays",
]


def _unescape(line: str) -> str:
    """What CommonMark shows for a line of text with backslash escapes (and no other markup)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line)


@pytest.mark.parametrize("text", HOSTILE)
def test_md_is_one_line_that_reads_back_as_the_text(text: str) -> None:
    line = md(text, block=True)
    assert "\n" not in line and "\r" not in line
    assert _unescape(line) == re.sub("\r\n|[\r\n]", " ", text).strip()
    # nothing left that starts markup: every `<`, `*`, `[`, `|`, `&`, `` ` `` is escaped
    assert not re.search(r"(?<!\\)[<*\[|&`$]", line.replace("\\\\", ""))
    assert not line.startswith(("#", ">", "-", "1.")) or line.startswith("\\")


def test_md_leaves_ordinary_text_and_urls_alone() -> None:
    assert md("达成[80%,100%]") == "达成\\[80%,100%\\]"  # renders the same; no link can follow
    assert md("https://example.gov.cn/content_1705915.html") == "https://example.gov.cn/content_1705915.html"
    assert md("满意度≥90%得10分。") == "满意度≥90%得10分。"


def test_md_shows_control_characters() -> None:
    assert md("a\x1b[2Jb") == "a\\\\x1b\\[2Jb"  # `\\x1b` in Markdown reads as \x1b


RULES = """ruleset "r" { total 10
  rating { >= 9: "<b>优</b>"; else: "# 差" } }
input remark: text
indicator A weight 10 { full
  deduct 2 when true because "{remark}" }
"""


@pytest.fixture
def hostile_result(tmp_path: Path) -> perfrules.Result:
    rs = perfrules.loads(RULES, "r.rules")
    return rs.evaluate({"meta": {"entity": f"# 单位\r{IFRAME}", "period": "**2024**"},
                        "facts": {"remark": f"# 问题\r\n{IFRAME} | [x](javascript:alert(1))"}})


def test_the_report_escapes_meta_reasons_rating_and_problems(hostile_result: perfrules.Result) -> None:
    text = report.markdown(hostile_result, "zh")
    assert not re.search(r"(?<!\\)<", text) and "\r" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link
    for line in text.splitlines():
        # only the report's own headings open a line with `#`
        assert not line.startswith("#") or line in ("# r", "## 评分表", "## 存在的主要问题", "## Score table",
                                                    "## Main problems")
    assert "**\\<b\\>优\\</b\\>**" not in text  # the rating: 8 points is `# 差`
    assert "自评等级：**# 差**" in text  # mid-line, `#` opens nothing
    assert "- **单位**：# 单位 \\<iframe" in text
    problems = text.split("## 存在的主要问题\n\n")[1].splitlines()[0]
    assert "\\<iframe" in problems and "\\| \\[x\\]" in problems


def test_the_filed_form_escapes_every_cell_and_the_rating() -> None:
    line = attrs.evolve(LINES[0], third="**粗**", reason=f"{IFRAME}\r# 标题 | 表")
    form = attrs.evolve(FORM, lines=(line, *LINES[1:]), rating="<i>优</i>",
                        header=(("项目名称", "# 项目\n- 列表"),), title="[t](javascript:x)")
    text = form_markdown(form).replace("<small>", "").replace("</small>", "")
    assert not re.search(r"(?<!\\)<", text) and "\r" not in text and not re.search(r"(?<!\\)\]\(", text)
    assert "| \\*\\*粗\\*\\* |" in text
    assert "\\<iframe src=\"javascript:alert(1)\"\\> # 标题 \\| 表 |" in text
    assert "**评级**：\\<i\\>优\\</i\\>" in text
    assert "- **项目名称**：# 项目 - 列表" in text
