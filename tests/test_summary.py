"""Batch output with reasons (`--reasons`) and `perfrules summary` over it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import cli
from perfrules.text.summary import summarize, to_html

from .test_rows import FACTS, FORM_ZH


def _batch(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    rules = tmp_path / "form.rules"
    rules.write_text(FORM_ZH, "utf-8")
    batch = tmp_path / "projects.jsonl"
    batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    out = tmp_path / "results.jsonl"
    status = cli.main(["eval", str(rules), "--batch", str(batch), "--reasons", "-o", str(out)])
    assert status == 1  # the third record is refused; the batch goes on
    return out


def test_reasons_in_batch_output_and_the_summary(tmp_path: Path) -> None:
    good = dict(FACTS["facts"])
    spent_less = {**good, "执行数": 80}
    broken: dict[str, object] = {"预算数": 100}
    results = _batch(tmp_path, [good, spent_less, broken])
    lines = results.read_text("utf-8").splitlines()
    first = json.loads(lines[0])
    # the same facts as tests/test_rows.py: total 89.88, 补贴渔船数 lost 50 − 41.67 = 8.33
    assert first["total"] == "89.88"
    assert {"path": "产出指标.数量指标.补贴渔船数", "points": "8.33",
            "reasons": ["补贴渔船数：目标≥6艘，完成5艘，达成度83.33%，得41.67分"]} in first["lost"]
    s = summarize(lines)
    assert (s.projects, s.scored, len(s.errors)) == (3, 2, 1)
    # 预算执行率 lost 0.50 (95%) and 2.00 (80%): 2.50 over 2 projects
    assert ("预算执行率", Decimal("2.50"), 2) in s.losses
    # 补贴渔船数 lost 8.33 in both projects: 16.66, and its reason's pattern counts both
    assert ("产出指标.数量指标.补贴渔船数", Decimal("16.66"), 2) in s.losses
    assert any(n == 2 and "补贴渔船数：目标≥#艘" in p for p, n, _ in s.reasons)
    # totals 89.88 and 9.50 − 1.50 lower: 88.38, both in the band 80–90
    assert s.totals == (Decimal("89.88"), Decimal("88.38"))
    page = to_html(s, "zh")
    assert "<svg" in page and "扣分最多的指标" in page and "出错的项目" in page
    assert "<td>第3行</td>" in page  # the refused project is named, in the page's language
    # and its problem is said in it: the batch writes its messages in the rule file's language (Chinese
    # keywords here), as the results' reasons are, and its code for machines
    refused = json.loads(lines[2])["error"]
    assert [d["code"] for d in refused] == ["F203", "F203"]  # 执行数 and 绩效指标 missing
    said = "缺少输入项`执行数`（数值，全年执行数）"  # its label, 全年执行数, as FORM_ZH declares it
    assert refused[0]["message"] == said and said in page
    assert "<td>row 3</td>" in to_html(s, "en")


def test_summary_writes_html_and_xlsx(tmp_path: Path) -> None:
    results = _batch(tmp_path, [dict(FACTS["facts"]), {**FACTS["facts"], "执行数": 80}, {"预算数": 100}])
    assert cli.main(["summary", str(results), "-o", str(tmp_path / "s.html")]) == 0
    assert "绩效自评汇总" in (tmp_path / "s.html").read_text("utf-8")
    assert cli.main(["summary", str(results), "-o", str(tmp_path / "s.xlsx")]) == 0
    openpyxl = pytest.importorskip("openpyxl")
    sheets = openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames
    assert sheets[0] == "各评级项目数" and "扣分最多的指标" in sheets
