"""The words of results, reports, explanations and the other outputs, in English and Chinese.

Error messages are in `diagnostics.py`; these are what perfrules says when all goes well:
the `check` line, reasons, headings of tables and reports, the steps of `explain`.
"""

from __future__ import annotations

from perfrules.catalogue import Message


def _phrase(en: str, zh: str) -> Message:
    return Message(None, en, zh)


# ---- perfrules check ---------------------------------------------------------------------

CHECK_OK = _phrase("ok ({count} indicators, {leaves} scored, total {total})",
                   "检查通过（{count}个指标，其中{leaves}个计分，总分{total}）")
CHECK_OK_ROWS = _phrase("ok ({count} indicators, {leaves} scored, {rows} scored row by row, total {total})",
                        "检查通过（{count}个指标，其中{leaves}个计分，{rows}个逐行计分，总分{total}）")
