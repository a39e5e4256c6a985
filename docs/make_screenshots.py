"""Make the pictures of docs/forms.md: a department's workbook, read and filed.

    python docs/make_screenshots.py            # writes docs/img/filed-form.png

Builds the 濉溪县民政局 2019 临时救助 form (rulesets/mof/project-form.suixi-2019.facts.toml)
as a workbook in the 绩效目标自评表 layout, scores it with rulesets/mof/project-form.rules
through `perfrules report --layout form --format html`, and photographs the page with
headless Chromium. Needs openpyxl and Chromium; run from the repository root.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "rulesets" / "mof" / "project-form.suixi-2019.facts.toml"
RULES = ROOT / "rulesets" / "mof" / "project-form.rules"
OUT = ROOT / "docs" / "img" / "filed-form.png"


def workbook(path: Path) -> None:
    """The form as the county filed it: budget block, then one row per indicator."""
    import openpyxl

    facts = tomllib.loads(FACTS.read_text(encoding="utf-8"), parse_float=Decimal)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["绩效目标自评表"])
    ws.append(["项目名称", facts["meta"]["project"]])
    ws.append(["主管部门", facts["meta"]["entity"]])
    ws.append(["资金情况(万元)", None, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"])
    f = facts["facts"]
    ws.append([None, "年度资金总额:", int(f["全年预算数"]), int(f["全年执行数"]), 10, "100%", 10])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
               "未完成原因及拟采取的改进措施"])
    last: tuple[str, str] = ("", "")
    for row in f["绩效指标"]:
        first = None if row["一级指标"] == last[0] else row["一级指标"]
        second = None if (row["一级指标"], row["二级指标"]) == last else row["二级指标"]
        last = (row["一级指标"], row["二级指标"])
        ws.append([first, second, row["三级指标"], int(row["权重"]), row["指标值"], row["完成值"],
                   int(row["自评分"]), row.get("偏差原因")])
    ws.append(["总分", None, None, 100, None, None, 100])
    wb.save(path)


def main() -> int:
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                     if shutil.which(n)), None)
    if chromium is None:
        print("make_screenshots: headless Chromium is needed", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT / "src"))
    from perfrules.cli import main as perfrules

    with tempfile.TemporaryDirectory() as tmp:
        form, page = Path(tmp) / "suixi-2019.xlsx", Path(tmp) / "filed-form.html"
        workbook(form)
        code = perfrules(["report", str(RULES), str(form), "--layout", "form", "--format", "html", "-o", str(page)])
        if code:
            return code
        OUT.parent.mkdir(exist_ok=True)
        subprocess.run([chromium, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
                        f"--screenshot={OUT}", "--window-size=900,1000", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
