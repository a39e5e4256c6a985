"""`perfrules new facts RULES`: a facts file template to fill in, written from what the rules declare.

Every input gets a line with its label, type, range and default in a comment; judged leaves
get a line under [judged] with their weight and bands. A placeholder is an empty text `""`,
which every input type but text refuses; a text input's line (and an optional column's)
stays a comment, so it is reported missing. A template evaluated before it is filled in
fails with a message per value, never a silent score. An input with a default is written as a
comment: the default applies unless the line is uncommented.
"""

from __future__ import annotations

from perfrules.engine import Ruleset
from perfrules.semantics import arithmetic
from perfrules.semantics.declared import InputSpec, JudgedSpec


def _key(name: str) -> str:
    """A TOML key: bare when ASCII letters, digits, _ and -; quoted otherwise (Chinese names)."""
    import re

    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name.replace('"', '\\"') + '"'


def _kind(spec: InputSpec, zh: bool) -> str:
    if spec.kind == "direction":
        labels = ", ".join(f'"{label}"' for label in spec.labels) or '"正向", "反向", "等于", "定性"'
        return f"方向：{labels} 之一" if zh else f"direction: one of {labels}"
    if spec.kind == "grade":
        labels = ", ".join(f'"{label}"' for label in spec.labels)
        return f"等级：{labels} 之一" if zh else f"grade: one of {labels}"
    words = {
        "number": ("数值，如 8881.35", "number, like 8881.35"),
        "percent": ('百分比，带引号和 %，如 "95.13%"', 'percent, in quotes with %, like "95.13%"'),
        "count": ("计数：0 或正整数", "count: a whole number, 0 or more"),
        "bool": ("是否：true 或 false", "bool: true or false"),
        "text": ("文本，带引号", "text, in quotes"),
        "measure": ('度量，带引号，如 "≥50个" 或 "95%"', 'measure, in quotes, like "≥50个" or "95%"'),
    }.get(spec.kind, (spec.kind, spec.kind))
    return words[0] if zh else words[1]


def _input_lines(spec: InputSpec, zh: bool) -> list[str]:
    notes = [spec.label] if spec.label else []
    notes.append(_kind(spec, zh))
    if spec.low is not None and spec.high is not None:
        low, high = spec.show(spec.low).strip('"'), spec.show(spec.high).strip('"')
        notes.append(f"范围 {low}..{high}" if zh else f"range {low}..{high}")
    if spec.optional:
        notes.append("可缺" if zh else "optional")
    elif spec.kind == "text":
        notes.append("必填：去掉行首的 # 再填" if zh else "required: uncomment the line and fill it in")
    lines = ["# " + "；".join(notes) if zh else "# " + "; ".join(notes)]
    if spec.kind == "text" or spec.optional:
        # "" is a valid text: the line stays a comment, so a template left unfilled is a missing input
        lines.append(f'# {_key(spec.name)} = ""')
    elif spec.has_default and spec.default is not None:
        default = spec.show(spec.default)
        used = "默认值，不填即用" if zh else "the default, used if left out"
        lines.append(f"# {_key(spec.name)} = {default}    # {used}")
    else:
        lines.append(f'{_key(spec.name)} = ""')
    return lines


def _judged_lines(spec: JudgedSpec, zh: bool) -> list[str]:
    weight = arithmetic.plain(spec.weight)
    head = f"{spec.label}；" if spec.label and zh else f"{spec.label}; " if spec.label else ""
    if spec.bands:
        bands = ("、" if zh else ", ").join(str(b) for b in spec.bands)
        note = f"# {head}评定得分 0..{weight}，区间（得分）：{bands}" if zh else \
            f"# {head}judged points 0..{weight}; bands (points): {bands}"
        entry = f'{_key(spec.path)} = {{ points = "", band = "" }}'
    else:
        note = f"# {head}评定得分 0..{weight}" if zh else f"# {head}judged points 0..{weight}"
        entry = f'{_key(spec.path)} = ""'
    return [note, entry]


def facts_template(ruleset: Ruleset, rules_name: str | None = None) -> str:
    """The text of a facts file to fill in for `ruleset`, commented in the rule file's language."""
    zh = ruleset.model.chinese_keywords
    name = rules_name or ruleset.display_name
    if zh:
        out = [f"# 事实文件模板：{ruleset.name}（规则文件 {name}）",
               '# 把每个 "" 换成值；带 # 的默认值行可取消注释后修改。',
               "# 填完后：perfrules eval 规则文件 本文件", ""]
    else:
        out = [f"# Facts template for {ruleset.name} (rule file {name})",
               '# Replace every "" with a value; a commented default line may be uncommented and changed.',
               "# Then: perfrules eval RULES THIS-FILE", ""]
    out += ["[meta]", 'entity = ""    # ' + ("单位或项目名称" if zh else "the unit or project"),
            'period = ""    # ' + ("年度" if zh else "the year"), ""]
    out.append("[facts]")
    for spec in ruleset.inputs:
        if spec.kind != "rows":
            out += _input_lines(spec, zh)
    for spec in ruleset.inputs:  # tables of rows after the plain inputs, as TOML requires
        if spec.kind == "rows":
            head = f"{spec.label}；" if spec.label and zh else f"{spec.label}; " if spec.label else ""
            out += ["", f"# {head}" + ("行表：每行一个下面这样的表，复制后逐行填写" if zh else
                                       "rows: one table like this per row; copy it for each row")]
            out.append(f"[[facts.{_key(spec.name)}]]")
            for column in spec.columns:
                out += _input_lines(column, zh)
    if ruleset.judged:
        out += ["", "[judged]"]
        for judged in ruleset.judged:
            out += _judged_lines(judged, zh)
    overrides = ("# [override]  替换某个计算得分时才用：\"路径\" = { points = P, because = \"原因\" }" if zh else
                 '# [override]  only to replace a computed score: "PATH" = { points = P, because = "reason" }')
    out += ["", overrides]
    return "\n".join(out) + "\n"
