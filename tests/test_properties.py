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
from perfrules.syntax.keywords import KEYWORDS
from perfrules.syntax.parser import _lark

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
            assert tok.end_pos is not None  # lark sets it on every lexed token
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


# ---- the fast entry (a plain dict) against the full validator ----------------------------

# Every rule kind, applies (full and rescale), leaf and top-level deduct/bonus, per/started, vetoes,
# a default and every input type: rulesets with judged leaves never take the fast entry, so none here.
KINDS = """ruleset "k" {
  total 100
  precision 3
  rating { >= 90: "优"; >= 60: "中"; else: "差" }
}
input a: number in -5..1000
input b: count in 0..50
input c: percent in 0%..150%
input d: bool
input g: grade(优, 良, 中, 差)
input t: text
input u: number
input v: count
input w: percent
input dflt: number = 7
let r = a / 7
indicator G1 weight 40 {
  applies when d else rescale
  indicator L1 weight 20 { ratio c; deduct 1 per 1 of v cap 3 because "v={v} t={t}" }
  indicator L2 weight 20 {
    applies when b > 3 else full
    score r + u
    bonus 2 when g == 优
  }
}
indicator G2 weight 30 {
  indicator L3 weight 10 { tiers w { >= 90%: full; >= 50%: 5; else: 0 } }
  indicator L4 weight 20 { grade g { 优: full; 良: 80%; else: 0 }; deduct 0.5 per 3 started of b when not d }
}
indicator L5 weight 30 {
  applies when u >= 0 else rescale
  checklist { item "x" 10 when d; item "y" 20 when t == "ok" }
}
deduct 1 per 1 of v cap 5 because "top {v}"
bonus 3 when a > 500
veto when dflt < 0 because "neg {dflt}"
"""


def _fast_entry_rulesets() -> list[perfrules.Ruleset]:
    from .conftest import ROOT

    files = [ROOT / "tests/fixtures/spec-example.rules", ROOT / "tests/fixtures/cases/good/small.rules"]
    return [perfrules.loads(KINDS, "kinds.rules")] + [perfrules.load(f) for f in files]


FAST_ENTRY = _fast_entry_rulesets()
ODD_VALUES = [D("-0"), D("-0.00"), D("0E-7"), D("NaN"), D("sNaN"), D("-Infinity"), D("1E+2"), D("1E-2"),
              10**18, -(10**18), 10**40, True, 0, -5, 1.5, "95%", "-0%", "150%", "优", "是", "", None,
              D("12345678901234567.8"), D("0.00000000000000001"), D("1.00000000000000000000000000001"),
              D("1." + "0" * 30 + "1"), D("123456789012345678901234567890.5")]  # 32 digits; beyond 10^18


def _outcome(rs: perfrules.Ruleset, facts: Any) -> Any:
    try:
        r = rs.evaluate(facts)
    except perfrules.PerfrulesError as exc:
        return [str(d) for d in exc.diagnostics]
    return (repr(r.total), r.rating, [repr(v) for v in r.breakdown.values()], repr(r.adjustment_amounts),
            [repr(v) for v in r.facts.values], r.to_dict(), repr(r.indicators), [repr(v) for v in r._all])


def _shipped() -> list[perfrules.Ruleset]:
    from .conftest import ROOT

    return [perfrules.load(p) for p in sorted(ROOT.glob("rulesets/**/*.rules"))]


SHIPPED = _shipped()  # all have judged leaves: their dicts are shaped like facts files
ODD_JUDGED = [D("-1"), D("NaN"), 10**40, "3", True, {"points": 1, "band": "nope"}, {"points": 1, "extra": 2}, {}]


@st.composite
def _dict_facts(draw: Any) -> tuple[perfrules.Ruleset, dict[str, Any], int | None]:
    """A ruleset, a dict of facts for it (plain inputs, or facts-file shaped for judged rulesets)
    with odd values mixed in, and a caller's precision."""
    from perfrules import testing

    rs = draw(st.sampled_from(FAST_ENTRY + SHIPPED))
    drawn = draw(testing.facts(rs))
    facts = dict(drawn["facts"])
    odd = draw(st.sampled_from([0, 0, 40, 8]))  # how rare odd values are; half the time none
    for key in list(facts):
        if odd and draw(st.integers(0, odd)) == 0:
            facts[key] = draw(st.sampled_from(ODD_VALUES))
    if facts and draw(st.integers(0, 9)) == 0:
        del facts[draw(st.sampled_from(sorted(facts)))]
    if rs in FAST_ENTRY:
        return rs, facts, draw(st.sampled_from([None, 3]))
    judged = dict(drawn["judged"])
    for key in list(judged):
        if odd and draw(st.integers(0, odd)) == 0:
            judged[key] = draw(st.sampled_from(ODD_JUDGED))
    shaped: dict[str, Any] = {"facts": facts, "judged": judged}
    if draw(st.booleans()):
        shaped["meta"] = {"entity": "某单位"}
    return rs, shaped, draw(st.sampled_from([None, 3]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dict_facts())
def test_a_dict_scores_exactly_like_the_same_facts_through_the_full_validator(case: Any) -> None:
    """The generated fast entry checks a dict itself (judged points apart) and keeps only the head
    of the values; whatever the dict holds, and whatever the caller's context, it must give the
    same Result (audit trail included, repr for repr) or the same errors as `validate`."""
    import decimal

    from perfrules.inputs.facts_file import from_table

    rs, facts, prec = case
    full = from_table(facts) if "facts" in facts else perfrules.Facts(dict(facts))  # what validate reads
    with decimal.localcontext() as ctx:
        if prec is not None:
            ctx.prec = prec
        assert _outcome(rs, facts) == _outcome(rs, full)


def test_every_odd_value_in_every_input_scores_alike_on_both_entries() -> None:
    """Each odd value in each input of KINDS, the other inputs valid: the same outcome either way."""
    import decimal

    rs = FAST_ENTRY[0]
    valid = {"a": D("350.5"), "b": 4, "c": "95%", "d": True, "g": "良", "t": "ok", "u": D("12.25"), "v": 2,
             "w": "60%", "dflt": D("7")}
    assert rs.evaluate(dict(valid))._facts is None  # the fast entry takes it
    for key in valid:
        for value in ODD_VALUES:
            facts = {**valid, key: value}
            assert _outcome(rs, facts) == _outcome(rs, perfrules.Facts(dict(facts))), (key, value)
            with decimal.localcontext() as ctx:
                ctx.prec, ctx.capitals = 3, 0
                assert _outcome(rs, facts) == _outcome(rs, perfrules.Facts(dict(facts))), (key, value)
