"""The HTML report and the batch summary printed by headless Chromium: A4, no near-empty page, no orphan heading.

Each page is printed to PDF as a reader's browser prints it and read back with pypdf, page
by page. Skipped where Chromium is not installed (Debian: `apt-get install chromium
fonts-noto-cjk`); the filed form's own print test is in tests/test_filedform.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import perfrules
from perfrules import cli
from perfrules.text import report
from perfrules.text.summary import summarize, to_html

ROOT = Path(__file__).resolve().parents[1]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"):
        found = shutil.which(name)
        if found:
            return found
    return None


pytestmark = pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed")


def pages_of(page: str, tmp_path: Path) -> list[list[str]]:
    """The printed pages' lines of text (empty lines left out; pypdf gives some characters as Kangxi
    radicals, ⾏ for 行, which NFKC maps back)."""
    pypdf = pytest.importorskip("pypdf")
    html_file, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    html_file.write_text(page, encoding="utf-8")
    subprocess.run([_chromium() or "", "--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", html_file.as_uri()], check=True, capture_output=True, timeout=120)
    return [[ln.strip() for ln in unicodedata.normalize("NFKC", p.extract_text() or "").splitlines() if ln.strip()]
            for p in pypdf.PdfReader(pdf).pages]


def no_heading_ends_a_page(pages: list[list[str]], headings: tuple[str, ...]) -> None:
    for number, lines in enumerate(pages[:-1], start=1):
        assert not any(lines[-1].startswith(h) for h in headings), f"page {number} ends with the heading {lines[-1]}"


@pytest.mark.parametrize(("rules", "facts"), [
    ("mof/project-form.rules", "mof/project-form.langfang-2019.facts.toml"),
    ("hunan/dept-overall.rules", "hunan/dept-overall.facts.toml"),
    ("mof/it-project.rules", "mof/it-project.facts.toml"),
])
def test_the_report_prints_without_a_near_empty_page_or_an_orphan_heading(
        rules: str, facts: str, tmp_path: Path) -> None:
    ruleset = perfrules.load(ROOT / "rulesets" / rules)
    result = ruleset.evaluate(ROOT / "rulesets" / facts)
    pages = pages_of(report.html(result), tmp_path)
    text = ["\n".join(p) for p in pages]
    # the first page holds the title, the header and rows of the table, not the header alone
    assert "评分表" in text[0]
    first_leaf = result.ruleset.model.leaves()[0]
    assert (first_leaf.label or first_leaf.name)[:4] in text[0], text[0]
    # provenance is a small footer at the end, not in the header
    assert "SHA-256" not in text[0] and "规则文件" not in text[0]
    assert re.search(r"sha256 [0-9a-f]{64}", text[-1].replace("\n", ""))
    # the last page holds the table's 合计 with at least one row above it, then the problems
    last = pages[-1]
    total_at = next(i for i, ln in enumerate(last) if ln.startswith("合计"))
    assert total_at >= 1 and any("小计" in ln or "指标" in ln for ln in last[:total_at])
    heading_at = next(i for i, ln in enumerate(last) if ln == "存在的主要问题")
    assert "自评得分" in last[heading_at + 1]
    no_heading_ends_a_page(pages, ("评分表", "存在的主要问题"))


def _summary_page(tmp_path: Path, projects: int, broken: int) -> str:
    """A batch of project-form facts files scored with --reasons, some of them broken, summarised."""
    folder = tmp_path / "facts"
    folder.mkdir()
    langfang = (ROOT / "rulesets" / "mof" / "project-form.langfang-2019.facts.toml").read_text(encoding="utf-8")
    for k in range(projects):
        spent = 43.2 - k * 0.37  # each project spent a little less: a spread of totals
        text = langfang.replace('"全年执行数" = 37.24', f'"全年执行数" = {spent:.2f}')
        if k < broken:
            text = text.replace('"全年预算数" = 43.2', '"全年预算数" = "四十三"')
        (folder / f"p{k:03d}.toml").write_text(text, encoding="utf-8")
    results = tmp_path / "results.jsonl"
    cli.main(["eval", str(ROOT / "rulesets" / "mof" / "project-form.rules"), "--batch", str(folder), "--reasons",
              "-o", str(results)])
    lines = results.read_text(encoding="utf-8").splitlines()
    assert len(lines) == projects and sum('"error"' in ln for ln in lines) == broken
    assert all(json.loads(ln).get("lost") is not None for ln in lines if '"error"' not in ln)
    return to_html(summarize(lines))


@pytest.mark.parametrize(("projects", "broken"), [(30, 2), (80, 45)])
def test_the_summary_prints_without_a_near_empty_page_or_an_orphan_heading(
        projects: int, broken: int, tmp_path: Path) -> None:
    pages = pages_of(_summary_page(tmp_path, projects, broken), tmp_path)
    # the headings by their first characters (pypdf gives 见 as the radical ⻅, which NFKC keeps)
    headings = ("各评级项目数", "总分分布", "扣分最多的指标", "最常", "出错的项目")
    no_heading_ends_a_page(pages, headings)
    lines = [ln for p in pages for ln in p]
    for heading in headings:
        assert any(ln.startswith(heading) for ln in lines), heading
    # every table's heading is followed on its page by the table's header row
    for page in pages:
        for i, ln in enumerate(page):
            if ln.startswith(("扣分最多的指标", "最常", "出错的项目")):
                assert i + 1 < len(page) and page[i + 1].startswith(("指标", "扣分原因", "项目")), page[i:i + 2]
    # no near-empty last page: it holds at least three lines of a table
    assert len(pages[-1]) >= 3, pages[-1]
    if broken > 40:
        assert len(pages) >= 2  # the long list of errors goes on over a page
