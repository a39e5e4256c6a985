"""Rule files drawn by Hypothesis for differential tests: the JSON writer against the records
(test_writer.py), explain against the recorded values (test_explain.py)."""

from __future__ import annotations

from hypothesis import strategies as st

# Inputs every drawn rule file declares, named in the file's language: the rules read them.
_INPUTS = {
    "zh": ("预算数", "支出数", "计划数", "完成数", "比率", "达标", "档次"),
    "en": ("budget", "spent", "planned", "held", "rate", "passed", "level"),
}


@st.composite
def rule_files(draw: st.DrawFn) -> str:
    """A version-1 rule file with drawn indicators: every rule kind, adjustments with and without
    `because` insertions (of inputs, lets and formulas that may divide by zero), `applies`,
    groups with `out of`, top-level adjustments, a veto and a rating."""
    lang = draw(st.sampled_from(["zh", "en"]))
    a, b, n, m, p, f, g = _INPUTS[lang]
    lines = [
        'ruleset "drawn" {', '  version "1"', "  total 100", f"  precision {draw(st.sampled_from([0, 1, 2, 4, 6, 8]))}",
        '  rating { >= 90: "优"; >= 60: "中"; else: "差" }' if draw(st.booleans()) else "", "}",
        f"input {a}: number in 0..1000", f"input {b}: number in 0..1000", f"input {n}: count",
        f"input {m}: count", f"input {p}: percent in 0%..200%", f"input {f}: bool",
        f"input {g}: grade(优, 良, 中, 差)",
        f"let q: percent = {a} / {b}",  # divides by zero when b is 0: a poisoned let
        f"let gap = {m} - {n}",
        "param k = 2/3",
    ]  # fmt: skip
    insertions = [a, n, p, "q", "gap", f"{a} / {b}", f, g, f"{a} * k", f"{n} / 3"]

    def because() -> str:
        if not draw(st.booleans()):
            return ""
        parts = draw(st.lists(st.sampled_from(insertions), max_size=3))
        return ' because "原因' + "".join(f"{{{x}}}，" for x in parts) + '"'

    def leaf(name: str, weight: int) -> list[str]:
        w = weight
        rule = draw(st.sampled_from([
            "full", f"ratio {p}", "ratio q", f"ratio {a} / {b}", "ratio if q >= 60% then q else 0",
            f"score {w} - {n} / 2",
            f"score {a} * k / 100", f"tiers {p} {{ >= 90%: full; >= 60%: 50%; else: 0 }}",
            f"tiers q {{ == 100%: full; > 50%: {w - 1}; else: 0 }}",
            f"grade {g} {{ 优: full; 良: 80%; 中: 60%; 差: 0 }}", f"grade {g} {{ 优: full; else: 1 }}",
            f'checklist {{ item "甲" {w - 1} when {f}; item "乙" 1 when {n} > {m} }}',
            'judged bands { "达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%) }', "judged",
        ]))  # fmt: skip
        body = [f"  {rule}" + (because() if rule != "full" and not rule.startswith("judged") else "")]
        for _ in range(draw(st.integers(0, 2))):
            adjustment = draw(st.sampled_from([
                f"deduct 1 when {f}", f"deduct 0.5 per 1 of shortfall({n}, {m})",
                f"deduct 0.5 per 2 whole of shortfall({n}, {m}) cap 2", "deduct 1 per 3 started of gap",
                f"deduct 0.2 per 10 of excess({a}, {b})", f"bonus 0.5 per 1 of {n} cap 1",
                f"deduct 2 per 5% of shortfall({p}, 90%)", f"deduct {w} when not {f}", f"bonus 1 when {f}",
            ]))  # fmt: skip
            body.append(f"  {adjustment}{because()}")
        if draw(st.integers(0, 4)) == 0:
            body.insert(0, f"  applies when {f} else {draw(st.sampled_from(['rescale', 'full', 'share']))}")
        return [f"indicator {name} weight {weight} {{", *body, "}"]

    def group(name: str, weight: int) -> list[str]:
        count = draw(st.integers(1, 3))
        out_of = draw(st.sampled_from([None, 10 * count]))
        scale = out_of or weight
        weights = [scale // count] * count
        weights[0] += scale - sum(weights)
        head = f"indicator {name} weight {weight}" + (f" out of {out_of}" if out_of else "") + " {"
        inner = []
        for k, w in enumerate(weights):
            inner += leaf(f"{name}{k}", w)
        return [head, *inner, "}"]

    tops = draw(st.integers(1, 4))
    weights = [100 // tops] * tops
    weights[0] += 100 - sum(weights)
    for k, w in enumerate(weights):
        lines += (group if draw(st.booleans()) else leaf)(f"指标{k}" if lang == "zh" else f"item{k}", w)
    if draw(st.booleans()):
        lines.append(f"deduct 1 per 1 of shortfall({n}, {m}) cap 3{because()}")
    if draw(st.booleans()):
        lines.append(f"bonus 2 when {f}{because()}")
    if draw(st.booleans()):
        lines.append(f'veto when {n} > 400 because "否决{{{n}}}"')
    return "\n".join(lines) + "\n"
