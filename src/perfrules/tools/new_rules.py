"""`perfrules new rules`: a starter rule file, from a plan (title, keywords, total, indicators) or
from a filled-in 10号 form (`--from-xlsx`).

A starter is a file to edit, not to file: each indicator gets one way of scoring (a budget
execution ratio, a ratio of actual to target, tiers, or judged points with bands) that the
official rewrites to what their standard says. Every starter loads, and is written in
`perfrules fmt`'s layout (it is passed through the formatter, which also translates the
keywords when the plan asks for English ones), so `check` and `fmt --check` pass on it as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from perfrules.catalogue import Lang, Said, phrases, usage
from perfrules.diagnostics import WordedError
from perfrules.semantics import arithmetic
from perfrules.syntax.keywords import ALL_KEYWORDS, FUNCTION_OF

# the ways of scoring a starter indicator, by either spelling
KINDS = {"execution": "execution", "执行率": "execution", "ratio": "ratio", "比例": "ratio",
         "tiers": "tiers", "分档": "tiers", "judged": "judged", "评定": "judged"}  # fmt: skip
_NAME = re.compile(r"[^\W\d]\w*")


@attrs.frozen
class Indicator:
    name: str
    weight: Decimal
    kind: str  # "execution", "ratio", "tiers" or "judged"


@attrs.frozen
class Plan:
    """What the interview (or the flags) settled: the starter is written from this alone."""

    title: str
    keywords: Lang  # the keywords' language, and the starter's words
    total: Decimal
    indicators: tuple[Indicator, ...]


def default_indicators(lang: Lang) -> tuple[Indicator, ...]:
    """The 财预〔2020〕10号 split (预算执行率 10, 产出 50, 效益 30, 满意度 10), one way of scoring each."""
    weights = (10, 50, 30, 10)
    kinds = ("execution", "ratio", "judged", "tiers")
    return tuple(Indicator(name.in_(lang), Decimal(w), k)
                 for name, w, k in zip(phrases.STARTER_INDICATORS, weights, kinds, strict=True))


def parse_indicator(text: str) -> Indicator:
    """`产出指标=50`, `产出指标=50:比例` or `产出指标 50 比例` (the kind defaults to ratio);
    WordedError (a ValueError) saying what to write."""
    parts = [p for p in re.split(r"[=:：\s]+", text.strip()) if p]
    if len(parts) not in (2, 3):
        raise WordedError(usage.INDICATOR_FORM(text=text))
    name, weight = parts[0], parts[1]
    kind = KINDS.get(parts[2]) if len(parts) == 3 else "ratio"
    if kind is None:
        raise WordedError(usage.INDICATOR_KIND(text=text, kind=parts[2]))
    try:
        points = Decimal(weight)
    except InvalidOperation:
        raise WordedError(usage.INDICATOR_WEIGHT(text=text, weight=weight)) from None
    return Indicator(name, points, kind)


def name_problem(name: str) -> Said | None:
    """Why `name` cannot name an indicator (None if it can)."""
    if not _NAME.fullmatch(name):
        return usage.NOT_A_NAME(name=name)
    if name in ALL_KEYWORDS or name in FUNCTION_OF:
        return usage.NAME_IS_KEYWORD(name=name)
    return None


def title_problem(title: str) -> Said | None:
    """Why `title` cannot be the ruleset's title (None if it can)."""
    if not title.strip():
        return usage.TITLE_EMPTY()
    if '"' in title or "\\" in title or "\n" in title:
        return usage.TITLE_CHARACTERS()
    return None


def problems(plan: Plan) -> list[Said]:
    """Everything wrong with a plan, all at once (empty when a starter can be written)."""
    out = [problem for problem in [title_problem(plan.title)] if problem]
    if not plan.total.is_finite() or plan.total <= 0:
        out.append(usage.TOTAL_NOT_POSITIVE(total=plan.total))
    if not plan.indicators:
        out.append(usage.NO_INDICATOR())
    seen: set[str] = set()
    for ind in plan.indicators:
        problem = name_problem(ind.name)
        if problem:
            out.append(problem)
        if ind.name in seen:
            out.append(usage.NAMED_TWICE(name=ind.name))
        seen.add(ind.name)
        if not ind.weight.is_finite() or ind.weight <= 0:
            out.append(usage.WEIGHT_NOT_POSITIVE(name=ind.name, weight=ind.weight))
    if sum(1 for ind in plan.indicators if ind.kind == "execution") > 1:
        out.append(usage.ONE_EXECUTION())
    weights = sum((ind.weight for ind in plan.indicators if ind.weight.is_finite()), Decimal(0))
    if plan.indicators and plan.total.is_finite() and weights != plan.total:
        out.append(usage.WEIGHTS_NOT_TOTAL(weights=arithmetic.plain(weights), total=arithmetic.plain(plan.total)))
    return out


# ---- writing a starter from a plan ---------------------------------------------------------

def _ruleset_block(title: str, total: Decimal, cite: str | None = None) -> list[str]:
    # 优 from 90%, 良 from 80%, 中 from 60% of the total: 90/80/60 out of 100, as 财预〔2020〕10号 rates
    places = {"优": Decimal("0.9"), "良": Decimal("0.8"), "中": Decimal("0.6")}
    bands = "; ".join(f'>= {arithmetic.plain(total * part)}: "{label}"' for label, part in places.items())
    lines = [f'规则集 "{title}" {{', f"  总分 {arithmetic.plain(total)}", "  精度 2"]
    if cite:
        lines.append(f'  依据 "{cite}"')
    return [*lines, f'  评级 {{ {bands}; 否则: "差" }}', "}", ""]


def _indicator_lines(ind: Indicator, lang: Lang) -> tuple[list[str], list[str]]:
    """The declarations (inputs, params, lets) an indicator needs, and the indicator itself."""
    weight = arithmetic.plain(ind.weight)
    head = f"指标 {ind.name} 分值 {weight} {{"
    if ind.kind == "execution":
        budget, spent, rate = (phrases.STARTER_BUDGET_NAME.in_(lang), phrases.STARTER_SPENT_NAME.in_(lang),
                               phrases.STARTER_EXECUTION_NAME.in_(lang))
        declared = [f'输入 {budget}: 数值 范围 0..1000000000 "{phrases.STARTER_BUDGET.in_(lang)}"',
                    f'输入 {spent}: 数值 范围 0..1000000000 "{phrases.STARTER_SPENT.in_(lang)}"',
                    f"设 {rate}: 百分比 = {spent} / {budget}"]
        return declared, [head, f'  说明 "{phrases.STARTER_EXECUTION.in_(lang)}"', f"  按比例 {rate}", "}"]
    if ind.kind == "ratio":
        target = phrases.STARTER_TARGET_NAME.format(lang, name=ind.name)
        actual = phrases.STARTER_ACTUAL_NAME.format(lang, name=ind.name)
        declared = [phrases.STARTER_TARGET_COMMENT.in_(lang),
                    f'参数 {target} = 100 "{phrases.STARTER_TARGET.format(lang, name=ind.name)}"',
                    f'输入 {actual}: 数值 范围 0..1000000000 "{phrases.STARTER_ACTUAL.format(lang, name=ind.name)}"']
        because = phrases.STARTER_RATIO_BECAUSE.format(lang, name=ind.name, actual=actual, target=target)
        return declared, [head, f'  说明 "{phrases.STARTER_RATIO.in_(lang)}"', f"  按比例 {actual} / {target}",
                          f'    原因 "{because}"', "}"]
    if ind.kind == "tiers":
        rate = phrases.STARTER_RATE_NAME.format(lang, name=ind.name)
        declared = [f'输入 {rate}: 百分比 范围 0%..100% "{phrases.STARTER_RATE.format(lang, name=ind.name)}"']
        return declared, [head, f'  说明 "{phrases.STARTER_TIERS.in_(lang)}"', f"  分档 {rate} {{",
                          "    >= 90%: 满分", "    >= 80%: 80%", "    >= 60%: 60%", "    否则: 0", "  }", "}"]
    return [], [head, f'  说明 "{phrases.STARTER_JUDGED.in_(lang)}"',
                f"  评定 区间 {{ {phrases.STARTER_BANDS.in_(lang)} }}", "}"]


def starter_text(plan: Plan) -> str:
    """The starter rule file of a plan that has no `problems`, in `perfrules fmt`'s layout."""
    declared: list[str] = []
    indicators: list[str] = []
    for ind in plan.indicators:
        needs, lines = _indicator_lines(ind, plan.keywords)
        declared += needs
        indicators += [*lines, ""]
    text = "\n".join([phrases.STARTER_HEAD.format(plan.keywords, title=plan.title),
                      *_ruleset_block(plan.title, plan.total), *declared, "", *indicators])
    return _formatted(text, plan.keywords)


def _formatted(text: str, keywords: Lang) -> str:
    """Written with Chinese keywords, laid out (and translated) by the formatter, which also checks
    that the text loads: a starter that would not is a bug here, never the official's."""
    from perfrules.tools.fmt import format_text

    return format_text(text, None if keywords == "zh" else "en", "<new rules>")


# ---- a starter from a filled-in 10号 form ------------------------------------------------

_FORM_INPUTS = """\
# ---- 项目资金（万元）：自评表的资金栏 ----
输入 年初预算数: 数值 范围 0..1000000000 "年初预算数" = 0
输入 全年预算数: 数值 范围 0..1000000000 "全年预算数"
输入 全年执行数: 数值 范围 0..1000000000 "全年执行数"

# ---- 绩效指标：每个三级指标一行，照表填写 ----
输入 绩效指标: 行表 "绩效指标" {
  一级指标: 文本 "一级指标"
  二级指标: 文本 "二级指标"
  三级指标: 文本 "三级指标"
  指标值: 度量 "年度指标值"
  完成值: 度量 "实际完成值"
  权重: 数值 范围 0..100 "分值"
  自评分: 数值 可缺 范围 0..100 "得分"
  偏差原因: 文本 可缺 "偏差原因分析及改进措施"
}

设 执行率: 百分比 = 全年执行数 / 全年预算数

指标 预算执行率 分值 10 {
  说明 "得分=全年执行数/全年预算数×10，满分为止。"
  按比例 执行率
}
"""

_EACH = """\
指标 {name} {{
  说明 "定量指标：完成年度指标值的记满分，未完成的按完成值与指标值的比例记分；定性指标由评价人在区间内评定。"
  逐行 绩效指标 {{
    筛选 一级指标 == "{level}"
    分组 二级指标
    键 三级指标
    分值 权重
    当 属定性(指标值) 或 属定性(完成值) {{
      说明 "定性指标：达成[80%,100%]、部分达成[60%,80%)、未达成[0,60%)（财预〔2020〕10号 第三章）。"
      评定 取 自评分 区间 {{ "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }}
    }}
    否则 {{
      说明 "定量指标：未完成年度指标值的，按照完成值与指标值的比例记分（财预〔2020〕10号 第三章）。"
      按比例 达成度(完成值, 指标值)
    }}
  }}
}}
"""


@attrs.frozen
class FormStarter:
    """A starter made from a form, and what the official should know about it."""

    text: str
    levels: tuple[str, ...]  # the 一级指标 found, in the form's order
    rows: int
    weights: Decimal  # the rows' 分值, added up
    notes: tuple[Said, ...]  # things to fix before the form scores (the weights not adding up)


def form_specs() -> Any:
    """What a 10号 form holds, as the workbook reader wants it: the inputs of `_FORM_INPUTS`."""
    from perfrules.engine import loads
    from perfrules.inputs.workbook import specs_from_model

    probe = "\n".join([*_ruleset_block("probe", Decimal(10)), _FORM_INPUTS])
    return specs_from_model(loads(probe, "<new rules>").model.inputs)


def _indicator_name(level: str, taken: set[str]) -> str:
    """An indicator name for a 一级指标 as the form writes it (「1.产出指标」 → 产出指标)."""
    words = "".join(re.findall(r"\w+", level)).lstrip("0123456789_") or "指标"
    name = words if name_problem(words) is None else f"{words}指标"
    if name_problem(name) is not None:
        name = "指标"
    base, number = name, 2
    while name in taken:
        name, number = f"{base}{number}", number + 1
    taken.add(name)
    return name


def _quoted(text: str) -> str:
    """Text as it goes between the quotes of a rule file's text (`\\"` and `\\\\` are its escapes)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def from_form(path: str | Path, title: str | None, keywords: Lang, sheet: str | None = None) -> FormStarter:
    """A rows starter that scores `path` (and any project filed on the same form): one indicator
    per 一级指标 the form holds, each scoring its rows as 财预〔2020〕10号 does, 预算执行率 10,
    total 100. Raises FactsError naming the cells if the form cannot be read."""
    from perfrules.inputs.workbook import read_form

    form = read_form(path, form_specs(), sheet)
    table = form.tables.get("绩效指标")
    rows = table.rows if table is not None else ()
    levels: dict[str, list[str]] = {}
    weights = Decimal(0)
    for row in rows:
        level = _one_line(str(row.values["一级指标"].value))
        weight = row.values["权重"].value
        weights += Decimal(weight)
        levels.setdefault(level, []).append(
            f"{_one_line(str(row.values['二级指标'].value))}/{_one_line(str(row.values['三级指标'].value))}"
            f"（分值{arithmetic.plain(Decimal(weight))}，{row.values['三级指标'].where}）")
    project = form.meta.get("project")
    name = title or (f"项目支出绩效自评表：{_one_line(str(project.value))}" if project else "项目支出绩效自评表")
    name = _quoted(name)
    taken = {"预算执行率"}
    parts = [f"# {name}：perfrules new rules --from-xlsx {Path(path).name} 写出的起步规则文件。",
             "# 评分照财预〔2020〕10号 单位自评：预算执行率10分，各一级指标的分值为其三级指标的分值之和；",
             "# 总分100。按本单位的评分标准修改后：perfrules check 本文件；perfrules eval 本文件 表格.xlsx", "",
             *_ruleset_block(name, Decimal(100), "财预〔2020〕10号《项目支出绩效评价管理办法》第三章 单位自评"),
             _FORM_INPUTS]
    for level, listed in levels.items():
        parts.append(f"# 表内「{level}」的三级指标：")
        parts += [f"#   {line}" for line in listed]
        parts.append(_EACH.format(name=_indicator_name(level, taken), level=_quoted(level)))
    notes: list[Said] = []
    if weights != 90:
        notes.append(usage.FORM_WEIGHTS_NOT_90(weights=arithmetic.plain(weights)))
    if not levels:
        notes.append(usage.FORM_NO_ROWS())
    return FormStarter(_formatted("\n".join(parts), keywords), tuple(levels), len(rows), weights, tuple(notes))


def plan_from(title: str | None, keywords: Lang | None, total: str | None,
              indicators: Sequence[str]) -> Plan:
    """A plan from the flags alone (`--no-input`, or no terminal): what is not given takes its default.
    WordedError (a ValueError) if an indicator or the total is not written right."""
    lang: Lang = keywords or "zh"
    try:
        points = Decimal(total) if total is not None else Decimal(100)
    except InvalidOperation:
        raise WordedError(usage.TOTAL_NOT_A_NUMBER(total=total)) from None
    chosen = tuple(parse_indicator(text) for text in indicators) or default_indicators(lang)
    return Plan(title or phrases.STARTER_TITLE.in_(lang), lang, points, chosen)
