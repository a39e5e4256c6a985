"""A folder of filled-in 自评表 workbooks, scored and summarised: .xlsx forms against the same facts as .toml.

    python bench/forms.py [--forms 2000] [--workers 2] [--repeats 3] [--keep DIR]

Issue 13 sets the bar: a folder of 2,000 generated forms (.xlsx) is scored and
summarised on 2 workers within 2× the time of scoring the same facts as TOML.

Each project gets its own facts (budget, 12 indicator rows, one of them qualitative,
and 得分 typed by the department), written twice: as a workbook in the layout
departments file (title, merged 项目资金 block, a blank spacer row, merged 一级/二级
cells, a 总分 row and the notes under it) and as a facts file. Both folders go through
what a bureau runs, as separate processes:

    perfrules eval rulesets/mof/project-form.rules --batch DIR --workers 2 --reasons -o results.jsonl
    perfrules summary results.jsonl -o summary.html

Before timing, the two runs' results are compared line by line (total, rating, every
indicator's points and every reason): the workbooks must score exactly as their facts.
The ratio is the median of `--repeats` runs of each, alternated so both see the same
load on the machine.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rulesets" / "mof" / "project-form.rules"
# (一级, 二级, 三级, unit, target sign): 12 rows with 分值 adding up to 90, as forms are filled in
ROWS = [
    ("产出指标", "数量指标", "培训人次", "人次", "≥", 10),
    ("产出指标", "数量指标", "补贴对象数量", "户", "≥", 10),
    ("产出指标", "质量指标", "验收合格率", "%", "≥", 10),
    ("产出指标", "质量指标", "资金使用合规率", "%", "=", 5),
    ("产出指标", "时效指标", "资金拨付及时率", "%", "≥", 5),
    ("产出指标", "成本指标", "项目总成本", "万元", "≤", 10),
    ("效益指标", "社会效益指标", "受益群众人数", "人", "≥", 10),
    ("效益指标", "社会效益指标", "政策知晓率", "%", "≥", 5),
    ("效益指标", "生态效益指标", "垃圾清运率", "%", "≥", 5),
    ("效益指标", "可持续影响指标", "长效管护机制", "", "", 10),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "%", "≥", 5),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "%", "≥", 5),
]  # fmt: skip


def project(number: int, rng: random.Random) -> dict[str, Any]:
    """One project's facts: figures a department would type, some short of their targets."""
    budget = Decimal(rng.randint(500, 50000)) / 100
    spent = (budget * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal("0.01"))
    rows = []
    for first, second, name, unit, sign, weight in ROWS:
        if sign == "":
            judged = Decimal(rng.choice([10, 9, 8, 7.5, 6]))
            rows.append({"一级指标": first, "二级指标": second, "三级指标": name, "指标值": "建立并运行",
                         "完成值": rng.choice(["已建立", "基本建立"]), "权重": weight, "自评分": judged})
            continue
        target = rng.choice([90, 95, 100]) if unit == "%" else rng.randint(10, 2000)
        if sign == "≤":
            actual = target + rng.choice([0, 0, 0, rng.randint(1, max(1, target // 10))])
        else:
            actual = target - rng.choice([0, 0, 0, rng.randint(1, max(1, target // 5))])
        rows.append({"一级指标": first, "二级指标": second, "三级指标": name, "指标值": f"{sign}{target}{unit}",
                     "完成值": f"{actual}{unit}", "权重": weight, "自评分": weight})
    return {"meta": {"project": f"项目{number:05d}", "entity": f"某县第{number % 40 + 1}局", "period": "2024"},
            "facts": {"年初预算数": budget, "全年预算数": budget, "全年执行数": spent, "绩效指标": rows}}


def write_toml(path: Path, facts: dict[str, Any]) -> None:
    def value(v: Any) -> str:
        return str(v) if isinstance(v, (int, Decimal)) else json.dumps(v, ensure_ascii=False)

    lines = ["[meta]"] + [f"{k} = {value(v)}" for k, v in facts["meta"].items()] + ["", "[facts]"]
    f = facts["facts"]
    lines += [f'"{k}" = {value(f[k])}' for k in ("年初预算数", "全年预算数", "全年执行数")]
    for row in f["绩效指标"]:
        lines += ["", '[[facts."绩效指标"]]'] + [f'"{k}" = {value(v)}' for k, v in row.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_xlsx(path: Path, facts: dict[str, Any]) -> None:
    """The 10号 form as a department fills it in Excel."""
    openpyxl: Any = importlib.import_module("openpyxl")  # by name: it ships without type information

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:I1")
    ws["A2"] = f"（{facts['meta']['period']}年度）"
    ws.merge_cells("A2:I2")
    ws["A3"], ws["C3"] = "项目名称", facts["meta"]["project"]
    ws.merge_cells("A3:B3")
    ws.merge_cells("C3:I3")
    ws["A4"], ws["C4"], ws["F4"], ws["G4"] = "主管部门", facts["meta"]["entity"], "实施单位", facts["meta"]["entity"]
    ws.merge_cells("A4:B4")
    ws["A5"] = "项目资金（万元）"
    ws.merge_cells("A5:B8")
    for c, label in zip("DEFGHI", ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], strict=True):
        ws[f"{c}5"] = label
    f = facts["facts"]
    ws["C6"], ws["G6"] = "年度资金总额", 10
    ws["D6"], ws["E6"], ws["F6"] = f["年初预算数"], f["全年预算数"], f["全年执行数"]
    ws["H6"] = f["全年执行数"] / f["全年预算数"]
    ws["H6"].number_format = "0.00%"
    ws["C7"], ws["D7"], ws["E7"], ws["F7"] = "其中：本年财政拨款", f["年初预算数"], f["全年预算数"], f["全年执行数"]
    ws["C8"] = "上年结转资金"
    header = 10  # row 9 is a blank spacer
    for col, label in enumerate(["一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分",
                                 "偏差原因分析及改进措施"], start=2):
        ws.cell(header, col, label)
    ws.cell(header, 1, "绩效指标")
    line = header + 1
    runs: dict[tuple[int, str], list[int]] = {}
    for row in f["绩效指标"]:
        ws.cell(line, 2, row["一级指标"] if not runs.get((2, row["一级指标"])) else None)
        key2 = row["一级指标"] + row["二级指标"]
        ws.cell(line, 3, row["二级指标"] if not runs.get((3, key2)) else None)
        runs.setdefault((2, row["一级指标"]), []).append(line)
        runs.setdefault((3, key2), []).append(line)
        ws.cell(line, 4, row["三级指标"])
        for col, text in ((5, row["指标值"]), (6, row["完成值"])):
            ws.cell(line, col, text).data_type = "s"
        ws.cell(line, 7, row["权重"])
        ws.cell(line, 8, row["自评分"])
        line += 1
    for (col, _), lines in runs.items():
        if len(lines) > 1:
            ws.merge_cells(start_row=lines[0], start_column=col, end_row=lines[-1], end_column=col)
    ws.merge_cells(start_row=header, start_column=1, end_row=line - 1, end_column=1)
    ws.cell(line, 2, "总分")
    ws.cell(line, 7, 100)
    ws.cell(line + 1, 1, "注：定量指标得分=全年实际值/年度指标值×该指标分值；定性指标分三档确定分值。")
    ws.cell(line + 2, 1, "填报人：某某    联系电话：0000-0000000    填报日期：2025年1月10日")
    wb.save(path)


def generate(folder: Path, forms: int, seed: int) -> tuple[Path, Path]:
    xlsx, toml = folder / "xlsx", folder / "toml"
    if xlsx.is_dir() and len(list(xlsx.glob("*.xlsx"))) == forms and len(list(toml.glob("*.toml"))) == forms:
        return xlsx, toml
    shutil.rmtree(xlsx, ignore_errors=True)
    shutil.rmtree(toml, ignore_errors=True)
    xlsx.mkdir(parents=True)
    toml.mkdir(parents=True)
    rng = random.Random(seed)
    for number in range(1, forms + 1):
        facts = project(number, rng)
        write_xlsx(xlsx / f"p{number:05d}.xlsx", facts)
        write_toml(toml / f"p{number:05d}.toml", facts)
    return xlsx, toml


def run(folder: Path, out: Path, workers: int) -> float:
    """Score a folder and summarise it, as two perfrules processes; the seconds both took."""
    cli = [sys.executable, "-m", "perfrules"]
    start = time.perf_counter()
    scored = subprocess.run([*cli, "eval", str(RULES), "--batch", str(folder), "--workers", str(workers),
                             "--reasons", "-o", str(out)], capture_output=True, text=True)
    if scored.returncode != 0:
        raise SystemExit(f"forms: the batch over {folder} failed:\n{scored.stderr[-2000:]}")
    summary = subprocess.run([*cli, "summary", str(out), "-o", str(out.with_suffix(".html"))],
                             capture_output=True, text=True)
    if summary.returncode != 0:
        raise SystemExit(f"forms: the summary of {out} failed:\n{summary.stderr[-2000:]}")
    return time.perf_counter() - start


def same_results(a: Path, b: Path) -> int:
    """Compare two batch outputs line by line, less the file names; the number of lines compared."""
    count = 0
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        for la, lb in zip(fa, fb, strict=True):
            ra, rb = json.loads(la), json.loads(lb)
            if Path(ra.pop("file")).stem != Path(rb.pop("file")).stem or ra != rb:
                raise SystemExit(f"forms: the workbook and its facts score differently:\n{la}{lb}")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--keep", type=Path, help="generate the folders here and keep them (reused if complete)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        start = time.perf_counter()
        xlsx, toml = generate(folder, args.forms, args.seed)
        print(f"{args.forms} forms in {folder} ({time.perf_counter() - start:.1f} s to generate or reuse)")
        times: dict[str, list[float]] = {"xlsx": [], "toml": []}
        for _ in range(args.repeats):
            times["toml"].append(run(toml, Path(tmp) / "toml.jsonl", args.workers))
            times["xlsx"].append(run(xlsx, Path(tmp) / "xlsx.jsonl", args.workers))
        compared = same_results(Path(tmp) / "xlsx.jsonl", Path(tmp) / "toml.jsonl")
        print(f"verified: {compared} projects score alike from the workbook and from the facts file")
        print(f"eval --batch --workers {args.workers} --reasons, then summary; median of {args.repeats} runs:")
        for name, runs in times.items():
            print(f"  {name}: {statistics.median(runs):6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in runs)})")
        ratio = statistics.median(times["xlsx"]) / statistics.median(times["toml"])
        print(f"xlsx / toml = {ratio:.2f}  (issue 13 asks for at most 2)")


if __name__ == "__main__":
    main()
