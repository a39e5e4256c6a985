"""Hypothesis properties of the whole pipeline.

- any text or bytes given as a rule file ends in a result or a PerfrulesError whose spans lie inside it;
- rule files generated from the grammar, with facts drawn for their inputs: every leaf lies in
  [0, weight], every parent is the exact sum of its children, the total lies in [0, total], and
  evaluating twice gives the same result;
- a file rewritten with Chinese keywords scores exactly like the English one.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.keywords import KEYWORDS
from perfrules.parse import _lark

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- arbitrary input -------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "ruleset", '"r"', "{", "}", "total", "100", "input", "x", ":", "number", "percent", "indicator",
    "A", "weight", "ratio", "score", "tiers", ">=", "90%", "else", "full", "deduct", "per", "of",
    "when", "cap", "because", '"{x}"', "(", ")", ",", ";", "\n", "指标", "分值", "扣", "当", "按",
    "if", "then", "-", "*", "/", "==", "0", "1.5", "shortfall", "bands", "[", "]", "..", "let", "=",
])  # fmt: skip


def _assert_clean(data: str | bytes) -> None:
    try:
        rs = perfrules.loads(data, "fuzz.rules")
    except perfrules.PerfrulesError as exc:
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        for d in exc.diagnostics:
            assert d.code and d.message
            if d.span is not None:
                assert 0 <= d.span.start <= d.span.end <= len(d.span.source.text)
            rendered = str(d) + (d.help or "")
            for leak in ("$END", "Token(", "__ANON", "Tree(", "Traceback"):
                assert leak not in rendered
        del text
    else:
        assert rs.model.total > 0


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_library_error_or_a_ruleset(text: str) -> None:
    _assert_clean(text)


@SETTINGS
@given(st.lists(FRAGMENTS, max_size=60).map(" ".join))
def test_keyword_soup_gives_a_library_error_or_a_ruleset(text: str) -> None:
    _assert_clean('ruleset "s" { total 100 }\n' + text)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_a_library_error_or_a_ruleset(data: bytes) -> None:
    _assert_clean(data)


# ---- generated rule files --------------------------------------------------------------

INPUTS = """input a: number in 0..200
input b: number in 1..200
input p: percent in 0%..150%
input n: count in 0..20
input m: count in 0..20
input flag: bool
input g: grade(优, 良, 中, 差)
let r = a / b
"""

NUM = st.sampled_from(["a", "b", "p", "n", "r", "a / b", "shortfall(n, m)", "excess(p, 100%)",
                       "min(a, 50)", "max(p, 60%)", "a * 0.01", "floor(r)", "round(r, 1)",
                       "clamp(p, 0%, 100%)", "if flag then a else b", "abs(a - b)"])
COND = st.sampled_from(["flag", "not flag", "a > b", "p >= 90%", "n == m", "g == 优",
                        "g >= 良 and flag", "n > 3 or p < 60%"])
SHARE = st.sampled_from(["full", "80%", "50%", "0", "1"])


@st.composite
def leaf_body(draw: Any, weight: int) -> str:
    kind = draw(st.sampled_from(["full", "ratio", "score", "tiers", "grade", "checklist"]))
    if kind == "full":
        body = "full"
    elif kind == "ratio":
        body = f"ratio {draw(NUM)} * 0.01" if draw(st.booleans()) else "ratio p"
    elif kind == "score":
        body = f"score {draw(NUM)}"
    elif kind == "tiers":
        body = f"tiers p {{ >= 90%: full; >= 80%: {draw(SHARE)}; >= 60%: {draw(SHARE)}; else: 0 }}"
    elif kind == "grade":
        body = f"grade g {{ 优: full; 良: {draw(SHARE)}; else: {draw(SHARE)} }}"
    else:
        body = f'checklist {{ item "一" 1 when {draw(COND)}; item "二" {draw(SHARE)} when {draw(COND)} }}'
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["deduct", "per", "bonus"]))
        if kind == "deduct":
            body += f"\n    deduct {draw(st.sampled_from(['1', '0.5', '2.25']))} when {draw(COND)}"
        elif kind == "per":
            mode = draw(st.sampled_from(["", "whole ", "started "]))
            body += f"\n    deduct 0.1 per 1% {mode}of shortfall(p, 100%) cap {draw(st.sampled_from(['1', '3']))}"
        else:
            body += f"\n    bonus 1 when {draw(COND)}"
    if draw(st.integers(0, 4)) == 0:
        body = f"applies when {draw(COND)} else {draw(st.sampled_from(['full', 'rescale']))}\n    " + body
    return body


@st.composite
def indicator(draw: Any, name: str, weight: int, depth: int) -> str:
    pad = "  " * depth
    if depth < 2 and weight >= 2 and draw(st.integers(0, 2)) == 0:
        cut = draw(st.integers(1, weight - 1))
        kids = [draw(indicator(f"{name}{k}", w, depth + 1)) for k, w in enumerate((cut, weight - cut))]
        return f"{pad}indicator {name} weight {weight} {{\n" + "\n".join(kids) + f"\n{pad}}}"
    return f"{pad}indicator {name} weight {weight} {{\n{pad}  {draw(leaf_body(weight))}\n{pad}}}"


@st.composite
def rule_files(draw: Any) -> str:
    weights = draw(st.lists(st.integers(1, 40), min_size=1, max_size=4))
    total = sum(weights)
    parts = [f'ruleset "gen" {{\n  total {total}\n  rating {{ >= {total * 0.9}: "优"; else: "差" }}\n}}', INPUTS]
    parts += [draw(indicator(f"指标{k}", w, 0)) for k, w in enumerate(weights)]
    if draw(st.booleans()):
        parts.append(f"deduct 1 when {draw(COND)}")
    if draw(st.integers(0, 3)) == 0:
        parts.append(f'veto when {draw(COND)} because "否决"')
    return "\n".join(parts) + "\n"


FACTS = st.fixed_dictionaries({
    "a": st.decimals(0, 200, places=2), "b": st.decimals(1, 200, places=2),
    "p": st.decimals(0, 150, places=2).map(lambda d: f"{d}%"),
    "n": st.integers(0, 20), "m": st.integers(0, 20), "flag": st.booleans(),
    "g": st.sampled_from(["优", "良", "中", "差"]),
})  # fmt: skip


def _check_invariants(rs: perfrules.Ruleset, result: perfrules.Result) -> None:
    model = rs.model
    by_path = {r.path: r for r in result.indicators}
    for ind in model.all_indicators():
        rec = by_path[ind.path]
        assert D(0) <= rec.points <= ind.weight, (ind.path, rec.points)
        assert rec.points == rec.points.quantize(D(1).scaleb(-model.precision))
        if ind.children:
            assert rec.points == sum(by_path[c.path].points for c in ind.children)
    assert D(0) <= result.total <= model.total
    if not result.rescaled and not model.adjustments and result.veto is None:
        assert result.total == sum(by_path[i.path].points for i in model.indicators)
    if result.veto is not None:
        assert result.total == 0
    for loss in result.lost:
        assert loss.reasons, loss.path


@SETTINGS
@given(rule_files(), FACTS)
def test_generated_rulesets_keep_the_invariants(text: str, facts: dict[str, Any]) -> None:
    rs = perfrules.loads(text, "gen.rules")
    try:
        first = rs.evaluate(facts)
    except perfrules.EvaluationError as exc:
        # only a rescale that drops everything can fail here (b ≥ 1, so no division by zero)
        assert exc.diagnostics[0].code == "E502"
        return
    _check_invariants(rs, first)
    second = rs.evaluate(facts)
    assert second.to_dict() == first.to_dict()


def to_chinese(text: str) -> str:
    """Rewrite every English keyword token as its Chinese twin, leaving everything else alone."""
    out = []
    last = 0
    for tok in _lark().lex(text, dont_ignore=True):
        if tok.type not in ("NAME", "STRING") and str(tok) in KEYWORDS:
            out.append(text[last : tok.start_pos])
            out.append(KEYWORDS[str(tok)])
            last = tok.end_pos
    out.append(text[last:])
    return "".join(out)


@SETTINGS
@given(rule_files(), FACTS)
def test_chinese_keywords_score_exactly_like_english(text: str, facts: dict[str, Any]) -> None:
    chinese = to_chinese(text)
    assert "indicator" not in chinese and "指标" in chinese
    en, zh = perfrules.loads(text, "en.rules"), perfrules.loads(chinese, "zh.rules")
    assert zh.model.chinese_keywords
    try:
        a = en.evaluate(facts)
    except perfrules.EvaluationError:
        return
    b = zh.evaluate(facts)
    assert (a.total, a.rating) == (b.total, b.rating)
    assert a.breakdown == b.breakdown
