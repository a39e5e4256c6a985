"""The words of results, reports, explanations and the other outputs, in English and Chinese.

Error messages are in `diagnostics.py`; these are what perfrules says when all goes well:
the `check` line, reasons, headings of tables and reports, the steps of `explain`.

A template may name a field that one language leaves out: `{name:.0}` formats it as no
characters, so both texts still name the same fields.
"""

from __future__ import annotations

import re

from perfrules.catalogue import Lang, Message, Text


def _phrase(en: str, zh: str) -> Message:
    return Message(None, en, zh)


# ---- perfrules check ---------------------------------------------------------------------

CHECK_OK = _phrase("ok ({count} indicator{s}, {leaves} scored, total {total})",
                   "检查通过（{count}个指标{s:.0}，其中{leaves}个计分，总分{total}）")
CHECK_OK_ROWS = _phrase("ok ({count} indicator{s}, {leaves} scored, {rows} scored row by row, total {total})",
                        "检查通过（{count}个指标{s:.0}，其中{leaves}个计分，{rows}个逐行计分，总分{total}）")


def _text(en: str, zh: str) -> Text:
    return Text(zh, en)


# true and false in a reason, as the language's keywords spell them
TRUE_WORD = _text("true", "是")
FALSE_WORD = _text("false", "否")

# ---- reasons (扣分原因): results/result.py ------------------------------------------------

LIST_SEMICOLON = _text("; ", "；")
LIST_COMMA = _text(", ", "、")
FLOORED_AT_ZERO = _text(" (floored at 0)", "，扣完为止")
FLOORED_WORDS = _text("floored at 0", "扣完为止")  # a reason that says them needs FLOORED_AT_ZERO no more
CAPPED_AT_FULL = _text(" (capped at full points)", "，满分为止")
POINTS_OF_WEIGHT = _phrase("{points} of {weight} points", "得{points}分，满分{weight}分")
OF_ROW = _phrase("{name}: {text}", "{name}：{text}")
NAME_PREFIX = _phrase("{name}: ", "{name}：")
IN_BRACKETS = _phrase(" ({text})", "（{text}）")
JUDGED_POINTS = _phrase("{name}judged {points} points{band}", "{name}评定得{points}分{band}")
RATIO_REASON = _phrase("{expr} {value}: {points} points in proportion", "{expr}{value}，按比例得{points}分")
# a formula's text does not run into its value: 「执行数 / 预算数为95%」, `spent / budget = 95%`
RATIO_OF_FORMULA_REASON = _phrase("{expr} = {value}: {points} points in proportion",
                                  "{expr}为{value}，按比例得{points}分")
SCORE_REASON = _phrase("{expr} = {value}: {points} points", "{expr}为{value}，得{points}分")
TIER_REASON = _phrase("{expr} = {value} ({tier}): {points} points", "{expr}为{value}（{tier}），得{points}分")
TIER_ELSE = _text("no tier above", "其他情况")
TIER = _phrase("tier {op} {value}", "{op}{value}档")  # op: `>=` in English, `≥` in Chinese
GRADE_REASON = _phrase("{expr} is {value}: {points} points", "{expr}为{value}，得{points}分")
NOT_MET = _phrase("not met: {items}", "未满足：{items}")
ACHIEVEMENT_REASON = _phrase("{name}: target {target}, actual {actual}, achievement {reached}{capped}: {points} points",
                             "{name}：目标{target}，完成{actual}，达成度{reached}{capped}，得{points}分")
SHORTFALL_DEDUCTED = _phrase("{actual} is {gap} below {target}: {points} points deducted",
                             "{actual}比{target}少{gap}，扣{points}分")
EXCESS_DEDUCTED = _phrase("{actual} is {gap} above {target}: {points} points deducted",
                          "{actual}比{target}多{gap}，扣{points}分")
PER_DEDUCTED = _phrase("{what} = {value}: {points} points deducted", "{what}为{value}，扣{points}分")
WHEN_DEDUCTED = _phrase("{condition}: {points} points deducted", "{condition}，扣{points}分")
DEDUCTED = _phrase("{points} points deducted", "扣{points}分")

# ---- 评分标准: a rule in words (text/wording.py) -----------------------------------------

STANDARD_FLOOR = _text(", no less than 0", "，扣完为止")
STANDARD_CAP = _text(", no more than the weight", "，满分为止")
APPLIES_ELSE_FULL = _phrase("{sep}applies when {condition}, otherwise full points",
                            "{sep}{condition}时适用，不适用时得满分")
APPLIES_ELSE_RESCALE = _phrase("{sep}applies when {condition}, otherwise not scored and the total is rescaled",
                               "{sep}{condition}时适用，不适用时不计分，总分按适用分值折算")
APPLIES_ELSE_SHARE = _phrase("{sep}applies when {condition}, otherwise its weight is shared among its siblings",
                             "{sep}{condition}时适用，不适用时其分值由同级适用指标分摊")
RULE_FULL = _text("full points", "满分")
RULE_RATIO = _phrase("points = {x} × weight, up to the weight", "得分={x}×分值，满分为止")
RULE_SCORE = _phrase("points = {x}, between 0 and {weight}", "得分={x}，最低0分，最高{weight}分")
OTHER = _text("other", "其他")
COLON = _text(": ", "：")
CHECK_ITEM = _phrase("{item}: {points} points", "{item}得{points}分")
RULE_JUDGED = _phrase("points judged by the evaluator (0 to {weight})", "评价人评定得分（0-{weight}分）")
JUDGED_BAND = _phrase("{label} {shares} = {points} points", "{label}{shares}，即{points}分")
JUDGED_IN_BANDS = _phrase("judged within a band: {bands}", "评价人在区间内评定：{bands}")
OUTCOME_FULL = _text(": full points", "得满分")
OUTCOME_SHARE = _phrase(": {share} ({points} points)", "得{share}（{points}分）")
OUTCOME_POINTS = _phrase(": {points} points", "得{points}分")
INCLUSIVE = _text(" (incl.)", "(含)")
RANGE_TO = _text(" to ", "-")
TIER_OTHERWISE = _text("otherwise", "其他")
BELOW = _phrase("below {value}", "低于{value}")
AT_MOST = _phrase("at most {value}", "不高于{value}")
ABOVE = _phrase("above {value}", "高于{value}")
AT_LEAST = _phrase("at least {value}", "不低于{value}")
TIER_AT = _phrase("{op} {value}", "{op}{value}")
TIERS_OF = _phrase("{subject} {tiers}", "{subject}{tiers}")
DEDUCT_VERB = _text("off", "扣")
BONUS_VERB = _text("added", "加")
ADJUST_BECAUSE = _phrase("{because}: {amount} points {verb}", "{because}{verb}{amount}分")
ADJUST_WHEN = _phrase("{amount} points {verb} when {condition}", "{condition}时{verb}{amount}分")
ADJUST = _phrase("{amount} points {verb}", "{verb}{amount}分")
WHEN_PREFIX = _phrase("when {condition}, ", "{condition}时，")
AT_MOST_DEDUCTED = _phrase(", at most {cap} points", "，最多扣{cap}分")
AT_MOST_ADDED = _phrase(", at most {cap} points", "，最多加{cap}分")
PERCENT_STEP = _phrase("{points} percentage points", "{points}个百分点")
PERCENT_STEP_ONE = _phrase("{points} percentage point", "{points}个百分点")
COUNT_STEP = _phrase("{step}", "{step}个")
PER_BELOW = _phrase("{amount} points {verb} per {step} that {actual} falls short of {target}",
                    "{actual}每低于{target} {step}{verb}{amount}分")
PER_ABOVE = _phrase("{amount} points {verb} per {step} that {actual} exceeds {target}",
                    "{actual}每超过{target} {step}{verb}{amount}分")
PER_LESS = _phrase("{amount} points {verb} per {step} that {actual} falls short of {target}",
                   "{actual}每比{target}少{step}{verb}{amount}分")
PER_MORE = _phrase("{amount} points {verb} per {step} that {actual} exceeds {target}",
                   "{actual}每比{target}多{step}{verb}{amount}分")
PER_STEP_OF = _phrase("{amount} points {verb} per {step} of {x}", "{x}每{step}{verb}{amount}分")
# `{step:.0}` names a field that the English does not show (a text cut to no characters)
WHOLE_STEPS = _phrase(" (whole steps only){step:.0}", "（不足{step}的部分不计）")
STARTED_STEPS = _phrase(" (a started step counts in full){step:.0}", "（不足{step}的按{step}计）")

# ---- explain (text/explain.py) -----------------------------------------------------------

EXPLAIN_HEADINGS = {
    "indicator": _text("indicator", "指标"), "weight": _text("weight", "分值"), "source": _text("source", "位置"),
    "standard": _text("standard", "评分标准"), "inputs": _text("inputs", "输入"), "params": _text("params", "参数"),
    "lets": _text("derived values", "计算"), "applies": _text("applicability", "适用条件"),
    "rule": _text("scoring rule", "评分规则"), "adjustments": _text("deductions and bonuses", "扣分与加分"),
    "clamp": _text("clamp", "扣完为止 / 满分为止"), "round": _text("rounding", "舍入"),
    "override": _text("evaluator override", "评价人调整"), "children": _text("children", "下级指标"),
    "result": _text("result", "结果"), "reasons": _text("points lost because", "扣分原因"),
}  # fmt: skip
LABELLED = _phrase("{label}: {text}", "{label}：{text}")
HOLDS = _text("holds", "成立")
DOES_NOT_HOLD = _text("does not hold", "不成立")
PARENT = _phrase(" (parent {path})", "（上级指标 {path}）")
STEP_APPLIES = _phrase("{condition}{who} → applies", "{condition}{who} → 适用")
STEP_NOT_APPLIES_FULL = _phrase("{condition}{who} → does not apply: full points", "{condition}{who} → 不适用，得满分")
STEP_NOT_APPLIES_RESCALE = _phrase("{condition}{who} → does not apply: dropped, the total is rescaled",
                                   "{condition}{who} → 不适用，不计分，总分按适用分值折算")
STEP_FULL = _phrase("full: {weight} points", "满分：得{weight}分")
HEAD_RATIO = _text("ratio: ", "按比例：")
HEAD_SCORE = _text("score: ", "得分：")
HEAD_TIERS = _text("tiers: ", "分档：")
HEAD_GRADE = _text("grade: ", "等级：")
STEP_CAPPED = _phrase("capped at the weight: {value} → {weight}", "满分为止：{value} → {weight}")
STEP_NOT_BELOW_ZERO = _phrase("no less than 0: {value} → 0", "最低0分：{value} → 0")
STEP_TIER_ELSE = _phrase("else → {points} points", "其他情况 → 得{points}分")
STEP_TIER_TAKEN = _phrase("{test}: yes → {points} points", "{test}：成立 → 得{points}分")
STEP_TIER_PASSED = _phrase("{test}: no", "{test}：不成立")
GRADE_ELSE = _text("else", "其他")
ITEM_MET = _phrase("+{points}", "得{points}分")
ITEM_NOT_MET = _text("0", "不得分")
STEP_SUM = _phrase("sum: {points} points", "合计：{points}分")
ROW_COLUMN = _phrase("{source} ({table} row {number}, {column})", "{source}（{table} 第{number}行 {column}）")
STEP_JUDGED = _phrase("judged by the evaluator: {points} points", "评价人评定：{points}分")
JUDGED_IN_BAND = _phrase(', band "{band}" {interval} points, {points} lies in it',
                         "，区间“{band}”{interval}分，{points}在区间内")
JUDGED_BECAUSE = _phrase("; because: {because}", "；理由：{because}")
NOTHING_DEDUCTED = _text("nothing deducted", "不扣")
NOTHING_ADDED = _text("nothing added", "不加")
WHEN_CONDITION = _phrase("when {condition}", "条件 {condition}")
BECAUSE = _phrase("because: {because}", "原因：{because}")
WHOLE_STEPS_TAKEN = _phrase(", whole steps: {steps}", "，去尾取{steps}")
STARTED_STEPS_TAKEN = _phrase(", started steps: {steps}", "，进一取{steps}")
STEP_CAP = _phrase("cap {cap}: {amount} → {cap}", "上限{cap}：{amount} → {cap}")
CLAMP_FLOOR = _phrase("no less than 0 (扣完为止): {value} → 0", "扣完为止：{value} → 0")
CLAMP_CAP = _phrase("no more than the weight (满分为止): {value} → {weight}", "满分为止：{value} → {weight}")
STEP_ROUNDED = _phrase("{exact} → {fixed}, rounded half up to {places} decimals",
                       "{exact} → {fixed}，四舍五入（保留{places}位小数）")
STEP_ROUNDED_ONE = _phrase("{exact} → {fixed}, rounded half up to 1 decimal",
                           "{exact} → {fixed}，四舍五入（保留1位小数）")
STEP_ROUNDED_WHOLE = _phrase("{exact} → {fixed}, rounded half up to a whole number", "{exact} → {fixed}，四舍五入取整")
STEP_OVERRIDDEN = _phrase("computed {computed}, set by the evaluator to {points}; because: {because}",
                          "计算得分{computed}，评价人认定为{points}；原因：{because}")
STEP_NOT_APPLIES_SHARE = _phrase("{condition}{who} → does not apply: its weight is shared among its siblings",
                                 "{condition}{who} → 不适用，其分值由同级适用指标分摊")
RESULT_NOT_APPLIES_SHARED = _text("does not apply: not scored (its weight is shared among its siblings)",
                                  "不适用，不计分（其分值由同级适用指标分摊）")
RESULT_NOT_APPLIES = _text("does not apply: not scored (total rescaled)", "不适用，不计分（总分按适用分值折算）")
RESULT_LOST = _phrase("{points} of {weight} points, {lost} lost", "得分 {points} / {weight}，扣{lost}分")
RESULT_DROPPED = _phrase("{points} of {weight} points, none lost ({dropped} not applicable, not scored)",
                         "得分 {points} / {weight}，未扣分（{dropped}分不适用，不计分）")
RESULT_FULL = _phrase("{points} of {weight} points, full", "得分 {points} / {weight}，满分")
NOT_APPLICABLE_MARK = _text(" (not applicable)", "（不适用）")
SUM_OF_CHILDREN = _text("sum of the children: ", "下级指标得分之和：")
OUT_OF = _phrase(" (out of {scale})", "（满分{scale}）")
SHARED_AMONG_REST = _phrase("{shared} points of weight not applicable, shared among the rest: counted out of {base}",
                            "不适用的下级指标分值{shared}分由适用的下级指标分摊，按{base}分计")
DROPPED_WITHIN = _phrase("{dropped} points of weight not applicable, dropped (the total is rescaled for them): "
                         "the group counts out of {weight}",
                         "不适用的下级指标分值{dropped}分不计分（总分按适用分值折算），本指标按{weight}分计")
CONVERTED = _phrase("converted: {sum} × {weight} ÷ {base} = {exact} → {total}",
                    "折算：{sum} × {weight} ÷ {base} = {exact} → {total}")
OUTCOME_FULL_STEP = _phrase("full: {points} points", "满分，得{points}分")
OUTCOME_SHARE_STEP = _phrase("{share} of {weight} = {points} points", "分值的{share}，{weight} × {share} = {points}分")
OUTCOME_POINTS_STEP = _phrase("{points} points", "得{points}分")

# ---- the 评分表 (text/scoretable.py, report.py, report_xlsx.py) ---------------------------

HEADER_RULESET = _text("ruleset", "规则集")
HEADER_VERSION = _text("version", "版本")
HEADER_CITE = _text("cite", "依据")
HEADER_RULES_FILE = _text("rules file", "规则文件")
LEVEL = _phrase("level {number}", "{number}级指标")  # the number: 1, 2 in English; 一, 二 in Chinese
COLUMN_WEIGHT = _text("weight", "分值")
COLUMN_POINTS = _text("points", "得分")
COLUMN_LOST = _text("lost", "扣分")
COLUMN_STANDARD = _text("standard", "评分标准")
COLUMN_REASONS = _text("reasons for lost points", "扣分原因")
SUM_BEFORE_RESCALING = _text("sum before rescaling", "折算前合计")
RESCALED_NOTE = _text("indicators that do not apply are dropped; the total is rescaled",
                      "不适用指标不计分，总分按适用分值折算为满分")
TOP_DEDUCT = _text("deduct", "扣分")
TOP_BONUS = _text("bonus", "加分")
CAPPED_AT_TOTAL = _text("capped at the total", "满分为止")
FLOORED_AT_ZERO_TOTAL = _text("floored at 0", "扣完为止")
VETO = _text("veto", "一票否决")
TOTAL = _text("total", "合计")
SCALE_NOTE = _phrase("children add up to {sum} of {out_of}", "下级指标合计{sum}分（满分{out_of}）")
SCALE_SHARED = _phrase("; {shared} points of weight not applicable, shared among the rest",
                       "，不适用指标的{shared}分由适用指标按分值比例分摊")
SCALE_CONVERTED = _phrase("; converted: {sum} × {weight} ÷ {counted} = {points}",
                          "，折算：{sum}×{weight}÷{counted}={points}分")
NOT_APPLICABLE_FULL = _text("does not apply: full points", "不适用，得满分")
NOT_APPLICABLE_NOT_SCORED = _text("does not apply: not scored", "不适用，不计分")
SET_BY_EVALUATOR = _phrase("set by the evaluator; computed {computed}", "评价人认定，计算得分{computed}")

# ---- 存在的主要问题: the paragraph of a 自评报告 ---------------------------------------------

REASONS_OF_ONE_LOSS = _text("; ", "，")
LOSS_ITEM = _phrase("{reasons} ({name}: {lost} lost)", "{reasons}（{name}扣{lost}分）")
TOTAL_DEDUCTION = _text("deduction from the total", "总分扣分")
TOTAL_DEDUCTION_ITEM = _phrase("{because} ({lost} off the total)", "{because}（总分扣{lost}分）")
YEAR = _phrase("{year}", "{year}年度")
ENTITY_PERIOD = _phrase("{entity} {period}", "{entity}{period}")
SCORE_OF = _phrase("{who}: self-evaluation score {total} of {full}", "{who}绩效自评得分为{total}分（满分{full}分）")
SCORE = _phrase("self-evaluation score {total} of {full}", "本次绩效自评得分为{total}分（满分{full}分）")
RATED = _phrase(", rating “{rating}”", "，自评等级为“{rating}”")
FULL_STOP = _text(".", "。")
VETOED = _phrase(" Vetoed: {because}; the total is 0.", "因{because}，实行一票否决，总分记为0分。")
NOTHING_LOST = _text(" Every indicator scored full points.", "各项指标均得满分，无扣分事项。")
NUMBERED = _phrase("{number}. {text}", "{number}.{text}")
LOST_MAINLY_BECAUSE = _phrase("{head} Points were lost mainly because: {items}.", "{head}扣分原因主要是：{items}。")
SUBTOTAL = _phrase("{name} subtotal", "{name}小计")
FORM_COLUMN_OF_TABLE = _phrase("{column} ({table})", "{column}（{table}）")  # a column labelled as a level
NOT_APPLICABLE_SHORT = _text("n/a", "不适用")
SCORE_TABLE = _text("Score table", "评分表")
MAIN_PROBLEMS = _text("Main problems", "存在的主要问题")
TOTAL_LINE = _phrase("Total: {total}", "总分：{total}分")  # the total as marked up: **94.01**, <strong>…
RATING_PART = _phrase("; rating: {rating}", "；自评等级：{rating}")
HTML_LANG = _text("en", "zh-CN")  # the <html lang> of a report
RATING = _text("rating", "自评等级")
DETAIL_SHEET = _text("Detail", "明细")
DETAIL_COLUMNS = (
    _text("path", "路径"), _text("name", "名称"), _text("depth", "层级"), _text("weight", "分值"),
    _text("points", "得分"), _text("lost", "扣分"), _text("exact", "精确值"), _text("rule", "规则"),
    _text("applicable", "适用"), _text("source", "位置"),
)  # fmt: skip

# ---- the score table as text (text/render.py) ---------------------------------------------

# How the usual [meta] keys are headed in reports and tables; other keys are shown as written.
META_LABELS = {
    "entity": _text("entity", "单位"), "period": _text("period", "期间"), "project": _text("project", "项目"),
    "kind": _text("kind", "类型"), "source": _text("source", "资料来源"),
}  # fmt: skip
TABLE_HEADINGS = {
    "indicator": _text("indicator", "指标"), "weight": _text("weight", "分值"), "points": _text("points", "得分"),
    "lost": _text("lost", "扣分"), "total": _text("total", "总分"), "rating": _text("rating", "评级"),
    "reasons": _text("points lost", "扣分原因"), "veto": _text("veto", "一票否决"), "na": _text("n/a", "不适用"),
    "cite": _text("cite", "依据"), "raw": _text("sum before rescaling", "折算前得分"),
    "rescaled": _text("rescaled total", "折算后总分"),
    "deduct": _text("deducted", "扣分"), "bonus": _text("bonus", "加分"),
    "full_cap": _text("capped at the total", "满分为止"), "floor": _text("floored at 0", "扣完为止"),
}  # fmt: skip
GROUP_FULL = _phrase("{counted}", "满分{counted}")
GROUP_SHARED = _phrase("{counted} applicable ({shared} shared among them)",
                       "适用分值{counted}，不适用的{shared}分由适用指标分摊")
GROUP_SUM = _phrase("{name}: the children add up to {sum} of {of}, converted to {points} of {weight}",
                    "{name}：下级指标合计{sum}分（{of}），折算为{weight}分制得{points}分")

# ---- perfrules summary (text/summary.py) ---------------------------------------------------

SUMMARY_WORDS = {
    "title": _text("Self-evaluation summary", "绩效自评汇总"), "projects": _text("projects", "项目数"),
    "scored": _text("scored", "已评分"), "errors": _text("errors", "出错"),
    "ratings": _text("Projects per rating", "各评级项目数"), "rating": _text("rating", "评级"),
    "count": _text("projects", "项目数"), "spread": _text("Totals", "总分分布"),
    "losses": _text("Indicators that lost most", "扣分最多的指标"), "path": _text("indicator", "指标"),
    "lost": _text("points lost", "合计扣分"), "where": _text("projects", "扣分项目数"),
    "reasons": _text("Most frequent reasons", "最常见的扣分原因"),
    "pattern": _text("reason (numbers as #)", "扣分原因（数字以#代替）"), "example": _text("example", "示例"),
    "failed": _text("Projects with errors", "出错的项目"), "project": _text("project", "项目"),
    "message": _text("error", "错误"), "mean": _text("mean total", "平均总分"),
    "no_reasons": _text("These results carry no reasons: make them with perfrules eval RULES --batch … --reasons.",
                        "这些结果不含扣分原因：用 perfrules eval RULES --batch … --reasons 生成。"),
}  # fmt: skip

# ---- eval of a filled-in form (cli) ---------------------------------------------------------

# ---- perfrules summary: lines of a batch's output it cannot use (text/summary.py) ---------

SUMMARY_ROW = _phrase("row {row}", "第{row}行")
SUMMARY_LINE = _phrase("line {line}", "第{line}行")
SUMMARY_NOT_JSON = _phrase("not a JSON line of batch output ({detail})", "不是批量评分输出的JSON行（{detail}）")
SUMMARY_NOT_OBJECT = _phrase("not a JSON object of batch output", "不是批量评分输出的JSON对象")
SUMMARY_NO_TOTAL = _phrase("no total in this line", "这一行没有总分")

FORM_POINTS_DIFFER = _phrase("note: on {count} rows the form's 得分 differs from the computed points:",
                             "提示：{count}个指标的表内得分与按规则计算的得分不同：")
FORM_POINTS_DIFFER_ROW = _phrase("  {path}: form {entered} ({cell}), computed {points}",
                                 "  {path}：表内{entered}分（{cell}），计算{points}分")

# ---- rows (backend/rows.py) -----------------------------------------------------------------

ROW_KEY = _phrase("row{number}", "第{number}行")  # the name of a row without a key column

# ---- perfrules test --coverage (tools/coverage.py) ------------------------------------------

MET = _text("met", "满足")
MISSED = _text("missed", "未满足")
APPLIED = _text("applied", "生效")
NOT_APPLIED = _text("not applied", "未生效")
TRUE = _text("true", "成立")
FALSE = _text("false", "不成立")
COVERAGE = _phrase("coverage of {name}: {cases} {case_word} reach{es} {reached} of {total} branches ({share})",
                   "覆盖率 {name}：{cases} 个用例{case_word:.0}{es:.0}走到 {reached}/{total} 个分支（{share}）")
NEVER_EXERCISED = _text("never exercised:", "从未走到：")
OF_THE_TOTAL = _text("total: ", "总分：")

# ---- perfrules new facts (tools/new.py) ------------------------------------------------------

TEMPLATE_TITLE = _phrase("# Facts template for {ruleset} (rule file {rules})",
                         "# 事实文件模板：{ruleset}（规则文件 {rules}）")
TEMPLATE_HOW = _text('# Replace every "" with a value; a commented default line may be uncommented and changed.',
                     '# 把每个 "" 换成值；带 # 的默认值行可取消注释后修改。')
TEMPLATE_THEN = _text("# Then: perfrules eval RULES THIS-FILE", "# 填完后：perfrules eval 规则文件 本文件")
TEMPLATE_ENTITY = _text("the unit or project", "单位或项目名称")
TEMPLATE_PERIOD = _text("the year", "年度")
TEMPLATE_ROWS = _text("rows: one table like this per row; copy it for each row",
                      "行表：每行一个下面这样的表，复制后逐行填写")
TEMPLATE_OVERRIDE = _text('# [override]  only to replace a computed score: '
                          '"PATH" = { points = P, because = "reason" }',
                          '# [override]  替换某个计算得分时才用："路径" = { points = P, because = "原因" }')
LABEL_HEAD = _phrase("{label}; ", "{label}；")
KIND_DIRECTION = _phrase("direction: one of {labels}", "方向：{labels} 之一")
KIND_GRADE = _phrase("grade: one of {labels}", "等级：{labels} 之一")
KINDS = {
    "number": _text("number, like 8881.35", "数值，如 8881.35"),
    "percent": _text('percent, in quotes with %, like "95.13%"', '百分比，带引号和 %，如 "95.13%"'),
    "count": _text("count: a whole number, 0 or more", "计数：0 或正整数"),
    "bool": _text("bool: true or false", "是否：true 或 false"),
    "text": _text("text, in quotes", "文本，带引号"),
    "measure": _text('measure, in quotes, like "≥50个" or "95%"', '度量，带引号，如 "≥50个" 或 "95%"'),
}  # fmt: skip
RANGE = _phrase("range {low}..{high}", "范围 {low}..{high}")
OPTIONAL = _text("optional", "可缺")
REQUIRED_TEXT = _text("required: uncomment the line and fill it in", "必填：去掉行首的 # 再填")
DEFAULT_USED = _text("the default, used if left out", "默认值，不填即用")
JUDGED_RANGE_BANDS = _phrase("# {head}judged points 0..{weight}; bands (points): {bands}",
                             "# {head}评定得分 0..{weight}，区间（得分）：{bands}")
JUDGED_RANGE = _phrase("# {head}judged points 0..{weight}", "# {head}评定得分 0..{weight}")


# ---- perfrules new rules (tools/new_rules.py, cli/interview.py) --------------------------------
# the starter's comments, notes, labels and names, in the language of its keywords

STARTER_HEAD = _phrase("# {title}: a starter rule file written by perfrules new rules.\n"
                       "# Change each indicator's scoring to what your standard says (docs/language.md), then:\n"
                       "#   perfrules check THIS-FILE\n"
                       "#   perfrules new facts THIS-FILE -o facts.toml    # the facts to fill in\n",
                       "# {title}：perfrules new rules 写出的起步规则文件。\n"
                       "# 把每个指标的评分方法改成评分标准写的（docs/language.md），然后：\n"
                       "#   perfrules check 本文件\n"
                       "#   perfrules new facts 本文件 -o 事实.toml    # 要填的事实文件\n")
STARTER_TITLE = _text("Project performance self-evaluation", "项目支出绩效自评")
# the 财预〔2020〕10号 split the starter offers: 预算执行率 10, 产出 50, 效益 30, 满意度 10
STARTER_INDICATORS = (_text("budget_execution", "预算执行率"), _text("outputs", "产出指标"),
                      _text("benefits", "效益指标"), _text("satisfaction", "满意度指标"))
STARTER_BUDGET_NAME = _text("budget", "全年预算数")
STARTER_SPENT_NAME = _text("spent", "全年执行数")
STARTER_EXECUTION_NAME = _text("execution", "执行率")
STARTER_TARGET_NAME = _phrase("{name}_target", "{name}指标值")
STARTER_ACTUAL_NAME = _phrase("{name}_actual", "{name}完成值")
STARTER_RATE_NAME = _phrase("{name}_rate", "{name}完成率")
STARTER_BUDGET = _text("budget for the year (10,000 yuan)", "全年预算数（万元）")
STARTER_SPENT = _text("spent in the year (10,000 yuan)", "全年执行数（万元）")
STARTER_EXECUTION = _text("points = spent / budget × weight, at most the weight.",
                          "得分=全年执行数/全年预算数×分值，满分为止。")
STARTER_TARGET_COMMENT = _text("# the year's target: change it to the approved one", "# 年度指标值：改成批复的目标")
STARTER_TARGET = _phrase("{name}: the year's target", "{name}年度指标值")
STARTER_ACTUAL = _phrase("{name}: the actual value", "{name}实际完成值")
STARTER_RATIO = _text("reaching the target gives full points; short of it, points = actual / target × weight.",
                      "正向指标：完成年度指标值的记满分；未完成的，得分=实际完成值/年度指标值×分值。")
STARTER_RATIO_BECAUSE = _phrase("{name}: {{{actual}}} done, short of the target {{{target}}}",
                                "{name}实际完成{{{actual}}}，未达年度指标值{{{target}}}")
STARTER_RATE = _phrase("{name}: the rate reached", "{name}完成率")
STARTER_TIERS = _text("in tiers: 90% or more full points, from 80% 80%, from 60% 60%, below 60% nothing.",
                      "分档计分：达到90%得满分，80%（含）至90%得80%，60%（含）至80%得60%，低于60%不得分。")
STARTER_JUDGED = _text("judged by the evaluator within bands: met [80%,100%], partly met [60%,80%), "
                       "not met [0,60%).",
                       "定性指标：达成[80%,100%]、部分达成[60%,80%)、未达成[0,60%)，由评价人评定得分。")
STARTER_BANDS = _text('"met": [80%, 100%]; "partly met": [60%, 80%); "not met": [0, 60%)',
                      '"达成": [80%, 100%]; "部分达成": [60%, 80%); "未达成": [0, 60%)')


def singular(text: str, lang: Lang) -> str:
    """English says `1 point`, not `1 points` (a number after a dot, 0.1 points, stays plural)."""
    return re.sub(r"(?<![\d.])1 points\b", "1 point", text) if lang == "en" else text
