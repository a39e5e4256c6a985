"""Make the pictures of docs/forms.md: a department's workbook read, scored, filed and summarised.

    python docs/make_screenshots.py            # writes docs/img/*.png

Every picture is a printed page, as a reader's printer gives it: the HTML is printed to PDF
by headless Chromium (A4, no browser header or footer) and the PDF's pages turned into PNG
by pdftoppm. Needs openpyxl, Chromium and poppler-utils (Debian: `apt-get install chromium
fonts-noto-cjk poppler-utils`); run from the repository root.

* filed-form.png: the 廊坊市食品工程学校 2019 form (rulesets/mof/project-form.langfang-2019.facts.toml),
  typed into a workbook in the 10号 layout and printed with
  `perfrules report RULES FORM.xlsx --layout form --format html`.
* report.png: the same workbook as the 评分表 (`perfrules report RULES FORM.xlsx --format html`).
* summary-1.png, summary-2.png: `perfrules summary` of a folder of 60 generated workbooks
  (two of them with a defect) scored with `perfrules eval RULES --batch DIR --reasons`.
"""

from __future__ import annotations

import importlib
import random
import shutil
import subprocess
import sys
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rulesets" / "mof" / "project-form.rules"
LANGFANG = ROOT / "rulesets" / "mof" / "project-form.langfang-2019.facts.toml"
IMG = ROOT / "docs" / "img"
WIDTH = 900  # pixels across an A4 page: the text stays readable, the file small


def workbook(path: Path, facts: dict[str, Any]) -> None:
    """A project's facts as its department types them: title, 项目资金 block, merged 一级/二级 cells."""
    openpyxl: Any = importlib.import_module("openpyxl")  # by name: it ships without type information
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    meta, f = facts["meta"], facts["facts"]
    ws.append(["项目支出绩效自评表"])
    ws.append([f"（{meta['period']}年度）"])
    ws.append(["项目名称", meta["project"]])
    ws.append(["主管部门", meta.get("主管部门", "廊坊市发改委"), None, "实施单位", meta["entity"]])
    ws.append(["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append([None, "年度资金总额", f["年初预算数"], f["全年预算数"], f["全年执行数"], 10])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
               "偏差原因分析及改进措施"])
    runs: dict[tuple[int, str], list[int]] = {}
    for row in f["绩效指标"]:
        line = ws.max_row + 1
        ws.append([row["一级指标"], row["二级指标"], row["三级指标"], row["指标值"], row["完成值"], row["权重"],
                   row.get("自评分"), row.get("偏差原因")])
        runs.setdefault((1, row["一级指标"]), []).append(line)
        runs.setdefault((2, row["一级指标"] + row["二级指标"]), []).append(line)
    for (col, _), lines in runs.items():
        for line in lines[1:]:
            ws.cell(line, col).value = None  # a merged range keeps its top-left value only
        if len(lines) > 1:
            ws.merge_cells(start_row=lines[0], start_column=col, end_row=lines[-1], end_column=col)
    ws.append(["总分", None, None, None, None, 100])
    ws.append(["注：定量指标得分=全年实际值/年度指标值×该指标分值；定性指标分三档确定分值。"])
    wb.save(path)


def variant(facts: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    """Another project on the same form: its own spending and actuals, some short of their targets."""
    f = facts["facts"]
    budget = Decimal(rng.randint(20, 400))
    rows = []
    for row in f["绩效指标"]:
        target = rng.choice([100, 95, 90])
        actual = target - rng.choice([0, 0, 0, 2, 5, 10, 15])
        rows.append({**row, "三级指标": row["三级指标"].removeprefix("指标1").removeprefix("指标2"),
                     "指标值": f"≥{target}%", "完成值": f"{actual}%", "偏差原因": None})
    return {"meta": {"project": f"项目{number:02d}", "entity": f"某县第{number % 7 + 1}局", "period": "2024"},
            "facts": {"年初预算数": budget, "全年预算数": budget,
                      "全年执行数": (budget * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("0.01")),
                      "绩效指标": rows}}


def printed(chromium: str, page: Path, pdf: Path, stem: str) -> list[Path]:
    """Print an HTML page to PDF as a reader would, then each PDF page to docs/img/STEM-N.png."""
    subprocess.run([chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
    for old in IMG.glob(f"{stem}*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-scale-to", str(WIDTH), str(pdf), str(IMG / stem)], check=True)
    pages = sorted(IMG.glob(f"{stem}-*.png"))
    if len(pages) == 1:  # one page: no number in its name
        pages = [pages[0].rename(IMG / f"{stem}.png")]
    return pages


def main() -> int:
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                     if shutil.which(n)), None)
    if chromium is None or shutil.which("pdftoppm") is None:
        print("make_screenshots: headless Chromium and pdftoppm (poppler-utils) are needed", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT / "src"))
    from perfrules.cli import main as perfrules

    facts = tomllib.loads(LANGFANG.read_text(encoding="utf-8"), parse_float=Decimal)
    IMG.mkdir(exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        form = work / "langfang-2019.xlsx"
        workbook(form, facts)
        for layout, stem in (("form", "filed-form"), ("table", "report")):
            page = work / f"{stem}.html"
            code = perfrules(["report", str(RULES), str(form), "--layout", layout, "--format", "html",
                              "-o", str(page)])
            if code:
                return code
            made += printed(chromium, page, work / f"{stem}.pdf", stem)
        folder = work / "forms"
        folder.mkdir()
        rng = random.Random(13)
        for number in range(1, 61):
            workbook(folder / f"p{number:02d}.xlsx", variant(facts, number, rng))
        openpyxl: Any = importlib.import_module("openpyxl")
        for name, cell, value in (("p17.xlsx", "F10", "10分"), ("p42.xlsx", "D12", None)):  # two defects
            wb = openpyxl.load_workbook(folder / name)
            wb.active[cell] = value
            wb.save(folder / name)
        results = work / "results.jsonl"
        perfrules(["eval", str(RULES), "--batch", str(folder), "--reasons", "-o", str(results)])
        page = work / "summary.html"
        if perfrules(["summary", str(results), "-o", str(page)]):
            return 1
        made += printed(chromium, page, work / "summary.pdf", "summary")
    for png in made:
        print(f"wrote {png.relative_to(ROOT)} ({png.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
