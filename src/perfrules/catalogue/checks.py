"""What the property checks say (`perfrules test --properties`, `perfrules.testing`): the line of
each check, a declared intention in words, and the counterexample of one that fails.

The Python API raises its errors in English (`str(exc)`, as Python's own errors are); each
also carries its `said`, which `perfrules test` prints in the file's language."""

from __future__ import annotations

from perfrules.catalogue import Message, Text


def _say(en: str, zh: str) -> Message:
    return Message(None, en, zh)


# ---- the line of each check -------------------------------------------------------------------
PROPERTY_OK = _say("  ok   property: {label} ({examples} examples{stopped})",
                   "  通过   性质：{label}（{examples}个样例{stopped}）")
PROPERTY_STOPPED = _say(", {errors} stopped by evaluation errors", "，其中{errors}个因计算错误中止")
PROPERTY_FAILED = _say("  FAIL property: {label}", "  未通过 性质：{label}")
PROPERTY_NAME = _say("property: {label}", "性质：{label}")  # a JUnit test case
# an AssertionError that is not a counterexample (Hypothesis's own, worded in English there)
CHECK_STOPPED = _say("the check stopped: {error}", "检查中止：{error}")
NOTHING_CHECKED = _say(
    "all {examples} examples stopped on an evaluation error, so nothing was checked (a property run that "
    "cannot fail is no test); run `perfrules eval` on a facts file of the drawn kind to see the error, then guard "
    "its formula or narrow the range of the input it divides by (`in 1..…`)",
    "{examples}个样例全部因计算错误中止，什么也没有检查（不可能失败的性质检查不算检查）；请用`perfrules eval`"
    "对这类数据的事实文件求值以看到错误，再给公式加上保护，或缩小作除数的输入的范围（`范围 1..…`）")
INVARIANTS = Text("内置不变式", "invariants")
INVARIANTS_OF = _say("invariants of {name}", "`{name}`的内置不变式")  # PropertyReport.name

# ---- an intention in words (tools/intentions.py) ------------------------------------------------
THE_TOTAL = Text("总分", "the total")
POINTS_OF = _say("the points of `{path}`", "`{path}`的得分")
NAMED = _say("`{path}`", "`{path}`")
NEVER_FALL = _say("{of} never fall when `{input}` rises{when}", "`{input}`升高时{of}不降低{when}")
NEVER_RISE = _say("{of} never rise when `{input}` rises{when}", "`{input}`升高时{of}不升高{when}")
SCORES_FULL = _say("{target} scores full marks{when}", "{target}得满分{when}")
SCORES_ZERO = _say("{target} scores 0{when}", "{target}得0分{when}")
SCORES_AT_LEAST = _say("{target} scores at least {points}{when}", "{target}至少得{points}分{when}")
SCORES_AT_MOST = _say("{target} scores at most {points}{when}", "{target}至多得{points}分{when}")
WHEN = _say(" when {conditions}", "（当{conditions}时）")
NAMED_INTENTION = _say("{name}: {text}", "{name}：{text}")

# ---- counterexamples (tools/properties.py) ------------------------------------------------------
COUNTEREXAMPLE = _say(
    "{title}\ncounterexample (save as facts.toml, then run `perfrules eval {rules} facts.toml`):\n\n{toml}",
    "{title}\n反例（存为facts.toml，再运行`perfrules eval {rules} facts.toml`）：\n\n{toml}")
STRATEGY_REFUSED = _say("perfrules.testing drew facts that `{name}` refuses (a bug in the strategy): {error}",
                        "perfrules.testing抽取的数据被`{name}`拒绝（抽样策略的缺陷）：{error}")
EVALUATION_FAILED = _say("evaluation failed: {error}", "计算失败：{error}")
INVARIANT_VIOLATED = _say("invariant violated in `{name}`:\n{problems}", "`{name}`违反了不变式：\n{problems}")
NOT_REPEATABLE = Text("同一组数据两次计算的结果不同", "evaluating the same facts twice gave different results")
DOES_NOT_HOLD = _say("intention does not hold: {intention}{where}", "意图不成立：{intention}{where}")
DECLARED_AT = _say(" (declared at {where})", "（声明于{where}）")
MONOTONIC_BROKEN = _say(
    "{header}\n  with `{input}` = {low}: {low_points} points\n"
    "  with `{input}` = {high} (higher): {high_points} points\n"
    "counterexample: two facts files that differ only in `{input}`; run `perfrules eval {rules} FILE` on each.\n\n"
    "# lower.toml\n{low_toml}\n# higher.toml\n{high_toml}",
    "{header}\n  `{input}` = {low}时：{low_points}分\n"
    "  `{input}` = {high}（更高）时：{high_points}分\n"
    "反例：两个只有`{input}`不同的事实文件；分别运行`perfrules eval {rules} 文件`。\n\n"
    "# lower.toml\n{low_toml}\n# higher.toml\n{high_toml}")
EXPECTED_POINTS = _say("{header}\n  expected {wanted} points, got {got}{reasons}",
                       "{header}\n  应得{wanted}分，实得{got}分{reasons}")
AT_LEAST = _say("at least {points}", "至少{points}")
AT_MOST = _say("at most {points}", "至多{points}")
REASONS = _say(" ({reasons})", "（{reasons}）")

# ---- perfrules.testing refusing an intention or facts it is given (IntentionError) ------------
# str() of the error is the English; `.said` renders either language. What is wrong with an
# intention for a ruleset is worded in diagnostics.py (INTENTION_*), shared with C233.
UNKNOWN_KEYS = _say("unknown intention keys: {unknown}; the keys are {keys}",
                    "未知的意图键：{unknown}；可用的键有：{keys}")
POINTS_FLOAT = _say("`points` must be exact: a string or a Decimal, not a float",
                    "`points`必须是精确数：字符串或Decimal，不能是float")
POINTS_NOT_NUMBER = _say("`points` must be a number, not {points}", "`points`必须是数，不能是{points}")
DOES_NOT_FIT = _say("intention {intention}: {problems}", "意图{intention}：{problems}")
FIXED_VALUE = _say("`{name}`: {problem}", "`{name}`：{problem}")
WITHIN_KIND = _say("`within`: `{name}` needs [LOW, HIGH] and must be a number, percent or count",
                   "`within`：`{name}`需要[LOW, HIGH]，且必须是数、百分比或计数")
WITHIN_NOT_RANGE = _say("`within`: [{low}, {high}] is not a range of valid `{name}` values",
                        "`within`：[{low}, {high}]不是`{name}`有效值的范围")

# ---- the invariants, one line each --------------------------------------------------------------
OUTSIDE_WEIGHT = _say("`{path}` scored {points}, outside [0, {weight}]", "`{path}`得{points}分，不在[0, {weight}]之内")
NEGATIVE_ZERO = _say("`{path}` scored {points}: a negative zero", "`{path}`得{points}分：负零")
NOT_ROUNDED = _say("`{path}` scored {points}, not rounded to {precision} decimals",
                   "`{path}`得{points}分，没有四舍五入到{precision}位小数")
CHILDREN_OF_SCALE = _say("`{path}` scored {points} but its children add up to {sum} of {counted}",
                         "`{path}`得{points}分，但它的下级指标合计{sum}（满分{counted}）")
CHILDREN_SUM = _say("`{path}` scored {points} but its children add up to {sum}",
                    "`{path}`得{points}分，但它的下级指标合计{sum}")
TOP_SUM = _say("the top-level indicators add up to {sum}, but the raw total is {raw}",
               "顶层指标合计{sum}，但未取整的总分是{raw}")
TOTAL_NEGATIVE_ZERO = _say("the total is {total}: a negative zero", "总分是{total}：负零")
TOTAL_OUTSIDE = _say("the total {total} lies outside [0, {scale}]", "总分{total}不在[0, {scale}]之内")
RESCALED_WRONG = _say("`rescaled` is {rescaled} but {dropped} points of weight were dropped",
                      "`rescaled`为{rescaled}，但去掉的分值是{dropped}")
RAW_OVER_APPLICABLE = _say("the raw total {raw} exceeds the applicable weight {applicable}",
                           "未取整的总分{raw}超过了适用的分值{applicable}")
VETOED_NOT_ZERO = _say("vetoed ({because}) but the total is {total}", "已否决（{because}），但总分是{total}")
VETOED_RATED = _say("vetoed but rated {rating}, not the last band {last}",
                    "已否决，但评级为{rating}，不是最低一档{last}")
TOTAL_NOT_SUM = _say("the total is {total}, but the points add up to {sum}", "总分是{total}，但各项得分合计{sum}")
TOTAL_NOT_RESCALED_SUM = _say("the total is {total}, but the points add up to {sum} after rescaling",
                              "总分是{total}，但各项得分折算后合计{sum}")
WRONG_RATING = _say("the total {total} is rated {rating}, expected {expected}",
                    "总分{total}的评级是{rating}，应为{expected}")
LOST_WITHOUT_REASON = _say("`{path}` lost {points} points without a reason", "`{path}`扣了{points}分，但没有原因")
LOST_NOT_POSITIVE = _say("`{path}` is listed as lost with {points} points", "`{path}`列为扣分，但扣分是{points}")
MISSING_FROM_LOST = _say("`{path}` scored below its weight but is missing from `lost`",
                         "`{path}`得分低于分值，但不在扣分列表（lost）中")

# an error met while checking (or stopping a file, in JUnit XML) is its Diagnostic.line, its help on
# the next
ERROR_HELP = _say("  help: {help}", "  提示：{help}")
