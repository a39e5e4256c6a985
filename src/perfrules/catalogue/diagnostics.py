"""Every error message of perfrules, with its help and notes, in English and Chinese.

Each `Message` names the code it reports (docs/errors.md has a section per code); the
help and note texts have no code of their own. Fields in `{braces}` are filled in where
the problem is found; a field may itself be a message of this catalogue (what was found,
a place), rendered in the same language. English is the stable text (JSON, logs); the
Chinese is what officials read.
"""

from __future__ import annotations

from perfrules.catalogue import Message


def _help(en: str, zh: str) -> Message:
    """A help line, a note or a part of a message: no code of its own."""
    return Message(None, en, zh)


# ---- how a diagnostic is printed ---------------------------------------------------------

# The error line itself, `FILE:LINE:COL: error: MESSAGE [CODE]`, is Diagnostic.line.
HELP_LINE = _help("  = help: {text}", "  = 提示：{text}")
NOTE_LINE = _help("  = note: {text}", "  = 注：{text}")
HELP_WORD = _help("help: ", "提示：")  # before the help in one-line formats (GitHub annotations, SARIF)
ONE_ERROR = _help("{count} error", "共{count}个错误")
ERRORS = _help("{count} errors", "共{count}个错误")

# ---- shared help -------------------------------------------------------------------------

E101_TYPE_MEANT = _help("did you mean the type `{guess}`? The types: {types}", "是不是类型`{guess}`？类型有：{types}")
E101_KEYWORD_MEANT = _help("`{word}` is not a keyword here: write `{keyword}`",
                           "`{word}`不是这里的关键字：请写`{keyword}`")
DID_YOU_MEAN = _help("did you mean `{guess}`?", "是不是`{guess}`？")
SPLIT_LARGE_FILE = _help(
    "a ruleset this large is probably generated or corrupted; split it into several files",
    "这么大的规则集多半是程序生成或已损坏；请拆成几个文件",
)
FIRST_DECLARED_AT = _help("first declared at {place}", "第一次声明在{place}")

# ---- E1xx: reading the rule file ---------------------------------------------------------

E100_NOT_UTF8 = Message("E100", "this file is not UTF-8 text: byte 0x{byte:02X} cannot be read",
                        "这个文件不是UTF-8文本：字节0x{byte:02X}无法读取")
E100_SAVE_AS_UTF8 = _help("save the file as UTF-8 (in Excel or Word: Save As, encoding UTF-8)",
                          "把文件另存为UTF-8编码（Excel或Word中：另存为，编码选UTF-8）")
E100_SURROGATE = Message(
    "E100", "this text holds U+{point:04X}, half of a surrogate pair, which no file can hold",
    "这段文本含有U+{point:04X}，是半个代理对，任何文件都存不下")
E100_REMOVE_SURROGATE = _help("remove it: it comes from text cut in the middle of a character",
                              "删掉它：它来自在一个字符中间被截断的文本")
E100_CANNOT_READ = Message("E100", "cannot read the file: {reason}", "无法读取文件：{reason}")
E107_RULES_TOO_LARGE = Message("E107", "this rule file is {size:,} bytes, more than the limit of {limit:,} bytes",
                               "这个规则文件有{size:,}字节，超过了{limit:,}字节的上限")
E107_RULES_LARGER_THAN = Message("E107", "this rule file is larger than the limit of {limit:,} bytes",
                                 "这个规则文件超过了{limit:,}字节的上限")

# ---- E5xx: evaluating these facts --------------------------------------------------------

E501_DIVISION_IN = Message("E501", "division by zero in `{formula}`", "`{formula}`中除数为零")
E501_DIVISION = Message("E501", "division by zero", "除数为零")
E501_DIVISION_IN_PARAM = Message("E501", "division by zero in a param", "参数中除数为零")
E501_IN_ROW = _help("in `{table}` row {number} ({key}), the first row that divides by 0",
                    "出现在`{table}`第{number}行（{key}），即第一个除数为0的行")
E501_GUARD_DIVISOR = _help(
    "`{divisor}` is 0 for these facts; guard the formula, for example `if {divisor} > 0 then {formula} else 0`, "
    "or use `applies when {divisor} > 0 else full`",
    "按这组数据`{divisor}`为0；请给公式加上保护，例如`如果 {divisor} > 0 则 {formula} 否则 0`，"
    "或者写`适用 当 {divisor} > 0 否则 满分`")
E501_GUARD_STEP = _help(
    "the step `{step}` is 0 for these facts; add `when {step} > 0` to the line, or use "
    "`applies when {step} > 0 else full`",
    "按这组数据步长`{step}`为0；请在这一行加上`当 {step} > 0`，或者写`适用 当 {step} > 0 否则 满分`")
E501_GUARD_NO_ROW = _help(
    "no row is selected here for these facts; guard it, for example `if count(…) > 0 then {formula} else 0`",
    "按这组数据这里没有选中任何行；请加上保护，例如`如果 行数(…) > 0 则 {formula} 否则 0`")
E501_GUARD_AGGREGATE = _help(
    "`{formula}` has nothing to divide by for these facts (no row is selected, or the weights add up to 0); "
    "guard it, for example `if count(…) > 0 then {formula} else 0`, or `if sum(…) > 0 then {formula} else 0` "
    "for a weighted mean",
    "按这组数据`{formula}`没有可除的数（没有选中任何行，或者权数合计为0）；请加上保护，例如"
    "`如果 行数(…) > 0 则 {formula} 否则 0`，加权平均可写`如果 合计(…) > 0 则 {formula} 否则 0`")
E502_NOTHING_APPLIES = Message(
    "E502", "no indicator applies: every one was dropped by `applies ... else rescale`",
    "没有一个指标适用：每个指标都被`适用 … 否则 折算`去掉了")
E502_CHECK_FACTS = _help("check the facts, or give one indicator `else full`",
                         "请检查数据，或者给其中一个指标写`否则 满分`")
E503_TOO_LARGE = Message(
    "E503", "a number grew beyond what the engine computes exactly ({error}): the limit is 10^30",
    "有个数值大到引擎无法精确计算（{error}）：上限是10^30")
E503_CHECK_VALUES = _help(
    "check the facts for absurdly large values, and the rules for a multiplication or a `per` step that makes them so",
    "请检查数据里有没有大得离谱的数值，以及规则里有没有把数值变得这么大的乘法或`每`步长")
E504_OVERRIDE_NOT_APPLYING = Message(
    "E504", "`{leaf}` has an [override], but it does not apply for these facts",
    "`{leaf}`有[override]，但按这组数据它不适用")
E504_OVERRIDE_PARENT_NOT_APPLYING = Message(
    "E504", "`{leaf}` has an [override], but `{group}` does not apply for these facts",
    "`{leaf}`有[override]，但按这组数据`{group}`不适用")
E504_REMOVE_OVERRIDE = _help(
    "remove the override from the facts, or check the facts that decide the `applies` condition",
    "从数据中删去这条override，或者检查决定`适用`条件的数据")
E506_NO_ROWS = Message("E506", "`{formula}`: no row to take the {function} of",
                       "`{formula}`：没有可供{function}取值的行")
E506_GUARD = _help(
    "guard it: `if count(…) > 0 then {formula} else 0`, or let the indicator `applies when count(…) > 0 else …`",
    "请加上保护：`如果 行数(…) > 0 则 {formula} 否则 0`，或者让指标`适用 当 行数(…) > 0 否则 …`")

# ---- E6xx: other commands ----------------------------------------------------------------

E601_NO_INDICATOR = Message("E601", "no indicator `{path}` in this ruleset", "这个规则集中没有指标`{path}`")
E601_NAME_USED_TWICE = _help("this name is used by several indicators; give the full path: {paths}",
                             "有几个指标都叫这个名字；请写完整路径：{paths}")
E601_THE_PATHS = _help("the paths are: {paths}", "指标路径有：{paths}")
E601_DID_YOU_MEAN_PATHS = _help("did you mean `{guess}`? the paths are: {paths}",
                                "是不是`{guess}`？指标路径有：{paths}")
E602_NO_OPENPYXL = Message("E602", "writing xlsx needs the `openpyxl` package, which is not installed",
                           "写xlsx需要`openpyxl`包，但没有安装")
E602_INSTALL = _help("install it: `pip install 'perfrules[report]'` (or `pip install openpyxl`)",
                     "请安装：`pip install 'perfrules[report]'`（或`pip install openpyxl`）")

# ---- places in the facts -----------------------------------------------------------------

ROW = _help("`{table}` row {number}", "`{table}`第{number}行")
ROW_KEYED = _help("`{table}` row {number} ({key})", "`{table}`第{number}行（{key}）")
NAMED = _help("`{name}`", "`{name}`")

# ---- E505, F3xx: rows facts (language version 2) -------------------------------------

E505_AT = Message("E505", "{place}: {problem}", "{place}：{problem}")
E505_QUALITATIVE_AS_NUMBER = Message(
    "E505", "{place}: `{value}` is a qualitative measure, and `{formula}` uses it as a number",
    "{place}：`{value}`是定性的度量值，而`{formula}`把它当作数值使用")
E505_SCORE_QUALITATIVE = _help("score qualitative rows in a `when qualitative(...)` arm",
                               "定性的行请在`当 属定性(...)`分支中计分")
E505_OR_OVERRIDE = _help("{help}; or give the row's points in [override], with the reason",
                         "{help}；或者在[override]中给出该行的得分并写明原因")
ACHIEVEMENT_QUALITATIVE = _help(
    "the target `{target}` and the actual `{actual}` have no 达成度: `{value}` is a qualitative measure",
    "目标`{target}`与实际`{actual}`没有达成度：`{value}`是定性的度量值")
ACHIEVEMENT_PERCENT_AND_PLAIN = _help(
    "the target `{target}` and the actual `{actual}` do not compare: `{percent}` is a percentage and `{plain}` is not",
    "目标`{target}`与实际`{actual}`无法比较：`{percent}`是百分比，`{plain}`不是")
ACHIEVEMENT_BOTH_PERCENT = _help("write both as percentages, or both as plain numbers, in the facts",
                                 "在数据中把两者都写成百分比，或者都写成普通数值")
ACHIEVEMENT_UNITS = _help("the target `{target}` is in {target_unit} and the actual `{actual}` in {actual_unit}",
                          "目标`{target}`的单位是{target_unit}，实际`{actual}`的单位是{actual_unit}")
ACHIEVEMENT_SAME_UNIT = _help("convert one of them in the facts so that both use the same unit",
                              "在数据中换算其中一个，使两者单位相同")
AGGREGATE_UNITS = _help(
    "`{value}` is {kind}, but `{first}` ({first_place}) is {first_kind}: `{formula}` takes values of one kind only",
    "`{value}`是{kind}，而`{first}`（{first_place}）是{first_kind}：`{formula}`只能汇总同一类的值")
AGGREGATE_KIND_PERCENT = _help("a percentage", "百分比")
AGGREGATE_KIND_PLAIN = _help("a plain number", "普通数值")
AGGREGATE_KIND_UNIT = _help("in {unit}", "以{unit}为单位")
AGGREGATE_SAME_UNIT = _help("write every row's `{column}` in one unit (all percentages, or all in the same unit)",
                            "请把每一行的`{column}`写成同一种单位（都写百分比，或都用同一个单位）")
ACHIEVEMENT_DIRECTION_QUALITATIVE = _help(
    "the target `{target}` and the actual `{actual}` have no 达成度: the direction is 定性 (qualitative)",
    "目标`{target}`与实际`{actual}`没有达成度：方向是定性")

F301_TOP_SUM = Message(
    "F301", "the weights at the top level add up to {sum} ({parts}), but `total` is {scale}",
    "顶层指标的分值合计{sum}（{parts}），但`总分`是{scale}")
F301_GROUP_SUM = Message(
    "F301", "the weights inside `{group}` add up to {sum} ({parts}), but its weight is {scale}",
    "`{group}`下各指标的分值合计{sum}（{parts}），但它的分值是{scale}")
F301_GROUP_OUT_OF_SUM = Message(
    "F301", "the weights inside `{group}` add up to {sum} ({parts}), but its `out of` is {scale}",
    "`{group}`下各指标的分值合计{sum}（{parts}），但它的`满分`是{scale}")
F301_CHECK_ROW_WEIGHTS = _help(
    "check the 分值 of the rows in the facts: each block's rows add up to its weight",
    "请检查数据中各行的分值：每一块的行合计应等于它的分值")
F301_ROWS_SUM = Message(
    "F301", "the rows of `{path}` have weights that add up to {sum} ({parts}), but its weight is {scale}",
    "`{path}`各行的分值合计{sum}（{parts}），但它的分值是{scale}")
F301_ROWS_OUT_OF_SUM = Message(
    "F301", "the rows of `{path}` have weights that add up to {sum} ({parts}), but its `out of` is {scale}",
    "`{path}`各行的分值合计{sum}（{parts}），但它的`满分`是{scale}")
F301_ROWS_PERCENT_SUM = Message(
    "F301", "the rows of `{path}` take shares of its weight {scale} that add up to {sum} ({parts}), not 100%",
    "`{path}`各行所占其分值{scale}的比例合计{sum}（{parts}），不是100%")
F301_NO_ROW = _help("no row", "没有行")
F301_CHECK_COLUMN = _help("check the `{column}` of those rows in the facts", "请检查数据中这些行的`{column}`")
F302_SAME_NAME = Message("F302", "{row} has the same {column} as row {first}", "{row}的{column}与第{first}行相同")
F302_SAME_NAME_IN_GROUP = Message("F302", "{row} has the same {column} as row {first} in the group `{group}`",
                                  "{row}的{column}与分组`{group}`中的第{first}行相同")
F302_EMPTY_KEY_NAMED = Message("F302", "{row} and row {first} are both named `{key}`: row {empty}'s `{column}` is "
                               "empty, and a row without a name is named by its number",
                               "{row}与第{first}行都名为`{key}`：第{empty}行的`{column}`为空，没有名称的行按行号命名")
F302_FILL_KEY = _help("fill in row {empty}'s `{column}`", "请填写第{empty}行的`{column}`")
F302_NAME = _help("name", "名称")
F302_OWN_NAME = _help("give every row in a group its own name: the name is the row's path",
                      "同一分组中每行的名称要各不相同：名称就是该行的路径")
F303_UNSCORED_ROW = Message("F303", "{row} is scored by no indicator: it fails every `where` ({conditions})",
                            "{row}没有被任何指标计分：它不满足任何一个`筛选`条件（{conditions}）")
F303_THE_ROW_HAS = _help("{conditions}; the row has {values}", "{conditions}；该行的值为{values}")
F303_CHECK_TYPO = _help("check the row's {columns} for a typo", "请检查该行的{columns}是否有笔误")
F303_VALUES = _help("values", "各列的值")
F304_JUDGED_WITHOUT_POINTS = Message("F304", "{row} is judged, but its `{column}` has no value",
                                     "{row}是评定计分的，但它的`{column}`没有填写")
F304_FILL_POINTS = _help("fill in the evaluator's points in `{column}` (0 to {weight})",
                         "请在`{column}`中填写评定的得分（0到{weight}）")
# F304 (no points) and F305 (points other than 0) for a row of weight 0: 「0到0」 is no range
ROW_WEIGHS_ZERO = _help("the row weighs 0, so its points can only be 0: write 0 in `{column}`",
                        "该行分值为0，得分只能是0：请在`{column}`中填写0")
F304_FILL_POINTS_NO_RANGE = _help(
    "fill in the evaluator's points in `{column}` (at most the row's share of the weight)",
    "请在`{column}`中填写评定的得分（不超过该行分得的分值）")
F305_POINTS_OUTSIDE = Message("F305", "{row}: {points} points in `{column}` lies outside 0..{weight}",
                              "{row}：`{column}`中的{points}分不在0..{weight}之内")
F305_POINTS_OF_ZERO_ROW = Message("F305", "{row}: {points} points in `{column}`, but the row weighs 0",
                                  "{row}：`{column}`中填了{points}分，但该行分值为0")
F305_ENTER_POINTS = _help("enter points between 0 and the row's 分值", "请填写0到该行分值之间的得分")
F305_UNKNOWN_BAND = Message("F305", "{row}: unknown band `{band}`", "{row}：未知的区间`{band}`")
F305_THE_BANDS = _help("the bands are {bands}", "区间有：{bands}")
F305_OUTSIDE_BAND = Message("F305", "{row}: {points} points lies outside the band `{band}`",
                            "{row}：{points}分不在区间`{band}`之内")
F305_OUTSIDE_BAND_POINTS = Message("F305", "{row}: {points} points lies outside the band `{band}`, which is "
                                   "{bounds} points", "{row}：{points}分不在区间`{band}`之内，该区间为{bounds}分")
CHOOSE_POINTS_IN_BAND = _help("choose points inside the band, or the band that contains them",
                              "请选择区间内的得分，或者选择包含该得分的区间")
F306_NO_ROWS = Message("F306", "`{path}` splits its weight evenly among its rows, but the facts give it no "
                       "row of `{table}`",
                       "`{path}`把分值平均分给各行，但数据中没有`{table}`的行")
F306_ADD_ROWS = _help("add its rows to the facts, or let it `applies when … else rescale`",
                      "请在数据中加上它的行，或者让它`适用 当 … 否则 折算`")
F307_NO_VALUE_READ = Message("F307", "{row}: the column `{column}` has no value, but `{formula}` at {place} reads it",
                             "{row}：列`{column}`没有值，但{place}的`{formula}`要读取它")
F307_FILL_OR_GUARD = _help("fill in `{column}` for that row, or guard the rule with `given({column})`",
                           "请为该行填上`{column}`，或者用`有值({column})`保护这条规则")
F307_FILL_GROUP = _help("fill in `{column}` for that row: `group` puts every row it scores in a group",
                        "请为该行填上`{column}`：`分组`把它计分的每一行都放进一个组")
F307_NO_WEIGHT = Message("F307", "{row}: the weight column `{column}` has no value",
                         "{row}：分值列`{column}`没有值")
F307_FILL = _help("fill in `{column}` for that row", "请为该行填上`{column}`")
F308_DOT_IN_NAME = Message("F308", "{row}: `{name}` holds a `.`, which would make the row's path ambiguous",
                           "{row}：`{name}`中含有`.`，会使该行的路径产生歧义")
F308_NO_DOT = _help("write the name without `.` in the facts (for example 1、 instead of 1.)",
                    "在数据中写名称时不要用`.`（例如用1、代替1.）")
F309_PERCENT_WEIGHT = Message(
    "F309", "`{path}` takes its weight from its rows, but `{column}` is a percent (a share of the indicator's weight)",
    "`{path}`的分值取自各行，但`{column}`是百分比（指标分值的比例）")
F309_GIVE_WEIGHT = _help("give `{path}` its weight in the rules, or write the rows' 分值 as points",
                         "请在规则中给出`{path}`的分值，或者把各行的分值写成分数")

# ---- value types, as messages name them ------------------------------------------------

TYPE_NAMES = {
    "number": _help("number", "数值"), "percent": _help("percent", "百分比"), "count": _help("count", "计数"),
    "bool": _help("bool", "是否型"), "text": _help("text", "文本"), "measure": _help("measure", "度量"),
    "rows": _help("rows", "行表"),
}  # fmt: skip
TYPE_GRADE = _help("grade({labels})", "等级（{labels}）")
TYPE_WITH_LABEL = _help("{type}, {label}", "{type}，{label}")

# ---- F1xx: reading the facts file --------------------------------------------------------

F100_FACTS_TOO_LARGE = Message("F100", "this facts file is larger than the limit of {limit:,} bytes",
                               "这个事实文件超过了{limit:,}字节的上限")
F100_ONE_VALUE_PER_INPUT = _help(
    "a facts file holds one value per input; this one is probably generated or corrupted",
    "事实文件每个输入项只有一个值；这个文件多半是程序生成或已损坏")
F100_KEY_TWICE = Message("F100", "the key `{key}` appears twice in this facts file",
                         "键`{key}`在这个事实文件中出现了两次")
F100_KEEP_ONE = _help("keep one of them: which one is meant cannot be guessed", "只保留一个：无法猜出要的是哪一个")
F100_NOT_JSON = Message("F100", "this facts file is not valid JSON: {detail}", "这个事实文件不是有效的JSON：{detail}")
F100_WRITE_JSON_OBJECT = _help('write one object: {{"facts": {{"预算数": 100, …}}}}',
                               '写成一个对象：{{"facts": {{"预算数": 100, …}}}}')
F100_UNREADABLE_VALUE = Message("F100", "this facts file holds a value that cannot be read",
                                "这个事实文件中有无法读取的值")
F100_AT_MOST_30_DIGITS = _help("numbers in facts have at most 30 digits", "数据中的数值最多30位")
F100_JSON_ONE_OBJECT = Message("F100", "a JSON facts file holds one object", "JSON事实文件只能包含一个对象")
F100_WRITE_FACTS_OR_INPUTS = _help('write {{"facts": {{...}}}} or an object of inputs',
                                   '写成{{"facts": {{...}}}}，或者一个由输入项组成的对象')
F100_TOO_DEEP = Message("F100", "this facts file nests arrays or tables too deeply to read",
                        "这个事实文件中数组或表嵌套太深，无法读取")
F100_FLAT = _help("facts are flat: one `key = value` per input", "数据是平的：每个输入项一行`键 = 值`")
F100_NOT_TOML = Message("F100", "this facts file is not valid TOML: {detail}", "这个事实文件不是有效的TOML：{detail}")
F100_PYTHON_CANNOT_READ = Message("F100", "this facts file holds a value Python cannot read ({detail})",
                                  "这个事实文件中有Python无法读取的值（{detail}）")
F100_QUOTE_CHINESE_KEYS = _help('TOML keys in Chinese need quotes: write `"{key}" = …`',
                                'TOML中的中文键要加引号：写成`"{key}" = …`')
F100_QUOTE_CHINESE_TABLE = _help("TOML table names in Chinese need quotes: write `{header}`",
                                 "TOML中的中文表名要加引号：写成`{header}`")
F100_ROWS_UNDER_FACTS = _help("rows are written under facts, and TOML table names in Chinese need quotes: write "
                              "`{header}`", "行表写在facts之下，TOML中的中文表名要加引号：写成`{header}`")
F100_STRAIGHT_QUOTES = _help('use straight quotes `"…"`, not Chinese quotes `“…”`',
                             '请用英文直引号`"…"`，不要用中文引号`“…”`')
F100_ONE_KEY_PER_LINE = _help('write one `key = value` per line; texts and percents in quotes: `"95.13%"`',
                              '每行写一个`键 = 值`；文本和百分比要加引号：`"95.13%"`')
F101_NOT_UTF8 = Message("F101", "this file is not UTF-8 text: byte 0x{byte:02X} cannot be read",
                        "这个文件不是UTF-8文本：字节0x{byte:02X}无法读取")
F101_SAVE_AS_UTF8 = _help("save the file as UTF-8 (in Excel: Save As, CSV UTF-8; in an editor: encoding UTF-8)",
                          "把文件另存为UTF-8编码（Excel中：另存为“CSV UTF-8”；编辑器中：编码选UTF-8）")

# ---- F2xx: facts that do not fit the rules -----------------------------------------------

F201_OUTSIDE_TABLES = Message("F201", "`{key}` stands outside any table", "`{key}`不在任何表之下")
F201_PUT_UNDER_FACTS = _help("put the inputs under a `[facts]` line (and judged points under `[judged]`)",
                             "把输入项写在`[facts]`一行之下（评定的得分写在`[judged]`之下）")
F201_ROWS_OUTSIDE_FACTS = Message("F201", "the rows `[[{table}]]` stand outside [facts]",
                                  "行表`[[{table}]]`不在[facts]之下")
F201_WRITE_FACTS_ROWS = _help('open each row with `[[facts."{table}"]]`', '每一行以`[[facts."{table}"]]`开头')
F201_UNKNOWN_TABLE = Message("F201", "unknown table `[{table}]`", "未知的表`[{table}]`")
F201_DID_YOU_MEAN = _help("did you mean `[{guess}]`?", "是不是`[{guess}]`？")
F201_THE_TABLES = _help("the tables are [meta], [facts], [judged], [override]",
                        "表有[meta]、[facts]、[judged]、[override]")
F202_UNKNOWN_INPUT = Message("F202", "unknown input `{key}`", "未知的输入项`{key}`")
F202_REMOVE_OR_DECLARE = _help("remove it, or declare it with `input` in the rules",
                               "删掉它，或者在规则中用`输入`声明它")
F202_UNKNOWN_COLUMN = Message("F202", "{row}: unknown column `{column}`", "{row}：未知的列`{column}`")
F202_THE_COLUMNS = _help("the columns are {columns}", "列有：{columns}")
F203_MISSING_INPUT = Message("F203", "missing input `{name}` ({type})", "缺少输入项`{name}`（{type}）")
F203_ADD_UNDER_FACTS = _help("add `{key} = …` under [facts], {example}", "在[facts]下加上`{key} = …`，{example}")
F203_MISSING_COLUMN = Message("F203", "{row}: missing column `{column}` ({type})", "{row}：缺少列`{column}`（{type}）")
F203_ADD_TO_ROW = _help("add `{key} = …` to that row, {example}", "在该行加上`{key} = …`，{example}")
# the same help for a JSON facts file, in its syntax
F203_ADD_JSON = _help('add `"{key}": …` to {where}, {example}', '在{where}中加上`"{key}": …`，{example}')
JSON_FACTS_OBJECT = _help('the `"facts"` object', '`"facts"`对象')
JSON_TOP_OBJECT = _help("the file's object", "文件的对象")
JSON_THAT_ROW = _help("that row", "该行")
EXAMPLE_GRADE = _help("one of {labels}", "填{labels}之一")
EXAMPLE_ROWS = _help('or rows as `[[facts."{name}"]]` tables with the columns {columns}',
                     '或者写成若干`[[facts."{name}"]]`表，列为{columns}')
EXAMPLES = {
    "measure": _help('a value as the form writes it, such as "≥95%" or "6艘"', '按表格的写法填值，例如"≥95%"或"6艘"'),
    "number": _help("a number such as 8881.35", "填数值，例如8881.35"),
    "percent": _help('a percentage in quotes such as "95.13%"', '填带引号的百分比，例如"95.13%"'),
    "count": _help("a whole number", "填整数"),
    "bool": _help("true or false", "填true或false"),
    "text": _help("a text in quotes", "填带引号的文本"),
}  # fmt: skip

# What was found instead of the value expected.
FOUND_BOOL = _help("found {value}", "实际是{value}")
FOUND_TEXT = _help('found the text "{text}"', '实际是文本"{text}"')
FOUND_FLOAT = _help("found the binary float {value}", "实际是二进制浮点数{value}")
FOUND_DIGITS = _help("found a number of {digits} digits", "实际是{digits}位的数")
FOUND_NUMBER = _help("found the number {value}", "实际是数值{value}")
FOUND_TABLE = _help("found a table", "实际是一个表")
FOUND_LIST = _help("found a list", "实际是一个列表")
FOUND_OTHER = _help("found {kind}", "实际是{kind}")

# A problem of one value: said of an input (`预算数`: …) or of a row's column.
OF_INPUT = _help("`{name}`: {problem}", "`{name}`：{problem}")
OF_COLUMN = _help("{row}, column `{column}`: {problem}", "{row}，列`{column}`：{problem}")
F204_EXPECTED_ROWS = Message("F204", "`{name}`: expected rows (a list of tables), {found}",
                             "`{name}`：应为若干行（由表组成的列表），{found}")
F204_WRITE_ROWS = _help('write each row as a `[[facts."{name}"]]` table (a JSON list of objects)',
                        '每行写成一个`[[facts."{name}"]]`表（JSON中为对象列表）')
F204_EXPECTED_ROW_TABLE = Message("F204", "{row}: expected a table of columns, {found}",
                                  "{row}：应为由各列组成的表，{found}")
F204_EXPECTED_NUMBER = Message("F204", "expected a number, {found}", "应为数值，{found}")
F204_EXPECTED_EXACT = Message("F204", "expected an exact number, {found}", "应为精确的数值，{found}")
F204_NO_FLOATS = _help('pass a decimal.Decimal or a string like "8881.35": floats lose digits',
                       '请传入decimal.Decimal或"8881.35"这样的字符串：浮点数会丢失位数')
F204_EXPECTED_AS_WRITTEN = Message("F204", "expected a value as written on the form, {found}",
                                   "应为表格上写的值，{found}")
F204_WRITE_AS_TEXT = _help('write it as a text, like "≥95%" or "6艘"', '请写成文本，例如"≥95%"或"6艘"')
F204_NOT_SCORABLE = Message("F204", '"{value}" is not a value a score can use: {why}',
                            '"{value}"不是可用于计分的值：{why}')
F204_WRITE_AS_ON_FORM = _help('write the value as on the form, like "≥1620", "1,620元" or "95%"; '
                              'text such as "达成" is read as qualitative',
                              '按表格上的写法填值，例如"≥1620"、"1,620元"或"95%"；"达成"这样的文字按定性读取')
F204_EXPECTED_MEASURE = Message("F204", 'expected a value as written on the form, like "≥95%", "6艘" or "达成", '
                                '{found}',
                                '应为表格上写的值，例如"≥95%"、"6艘"或"达成"，{found}')
F204_EXPECTED_TEXT = Message("F204", "expected a text, {found}", "应为文本，{found}")
F204_PUT_IN_QUOTES = _help('put it in quotes: "..."', '请加上引号："..."')
MISPLACED_SEPARATORS = _help("its thousands separators are misplaced: write 1620 or 1,620",
                             "千分位分隔符位置不对：写成1620或1,620")
BARE_DOT = _help("a number has digits on both sides of its point", "数的小数点两边都要有数字")
# a number or percent input's 「.5」, 「5.」, 「.5%」: {why} is BARE_DOT, as a measure's F204 says it
WRITE_WITH_DIGITS = _help("write {fixed}: {why}", "请写成{fixed}：{why}")
F204_WRITE_WITH_DIGITS = _help('write "{fixed}"; read as it is, it would be a qualitative measure',
                               '请写成"{fixed}"；照原样会读作定性指标')
APPROXIMATE = _help("「{word}」 makes it an approximate value: write the number itself",
                    "「{word}」使它成了约数：请写出数值本身")
F205_TOO_MANY_ROWS = Message("F205", "`{name}` has {count:,} rows, more than the limit of {limit:,}",
                             "`{name}`有{count:,}行，超过了{limit:,}行的上限")
F205_SPLIT_FACTS = _help("split the facts into several files", "把数据拆成几个文件")
F205_TOO_LARGE = Message("F205", "the number is too large (the limit is 10^{power})", "数值太大（上限是10^{power}）")
F205_VALUE_TOO_LARGE = Message("F205", "{value} is too large (the limit is 10^{power})",
                               "{value}太大（上限是10^{power}）")
F205_NEGATIVE_WEIGHT = Message("F205", "{row}: the weight `{column}` is {value}; a weight is 0 or more",
                               "{row}：分值`{column}`是{value}；分值应为0或更大")
F205_NOT_FINITE = Message("F205", "expected a finite number, {found}", "应为有限的数值，{found}")
F205_TOO_MANY_DIGITS = Message("F205", "more than {digits} digits", "超过{digits}位")
F205_ROUND = _help("round the value to the digits that matter", "请把数值舍入到有意义的位数")
F205_MEASURE_TOO_LONG = Message("F205", "a measure of {length} characters is longer than the limit of {limit}",
                                "度量值有{length}个字符，超过了{limit}个字符的上限")
F206_EXPECTED_PERCENT = Message("F206", 'expected a percentage like "95.13%", {found}',
                                '应为"95.13%"这样的百分比，{found}')
F207_EXPECTED_WHOLE = Message("F207", "expected a whole number of 0 or more, {found}", "应为0或更大的整数，{found}")
F208_EXPECTED_BOOL = Message("F208", 'expected true or false (or "是"/"否"), {found}',
                             '应为true或false（或"是"/"否"），{found}')
F209_EXPECTED_GRADE = Message("F209", "expected one of {labels}, {found}", "应为{labels}之一，{found}")
F209_THE_GRADES = _help("the grades are {labels}", "等级有：{labels}")
F209_DID_YOU_MEAN = _help('did you mean "{guess}"? the grades are {labels}', '是不是"{guess}"？等级有：{labels}')
F210_OUTSIDE_RANGE = Message("F210", "{value} lies outside the declared range {low}..{high}",
                             "{value}不在声明的范围{low}..{high}之内")

# How to write a number or a percentage given in the wrong form.
WRITE_WITHOUT_QUOTES = _help("write the number without quotes: {digits}", "请不加引号写数值：{digits}")
FILL_IN_NUMBER = _help('fill in the figure in place of "", without quotes: {example}',
                       '请把""换成数值本身，不加引号：{example}')
FILL_IN_PERCENT = _help('fill in the percentage between the quotes: "95%"', '请在引号中填写百分比："95%"')
WRITE_WITHOUT_SEPARATORS = _help("write the number without thousands separators: {digits}",
                                 "请不带千分位分隔符写数值：{digits}")
WRITE_WITHOUT_UNIT = _help("write the number alone, without `{unit}`: {digits}", "请只写数值，不带`{unit}`：{digits}")
WRITE_CONVERTED = _help("`{name}` is in {declared} ({label}): {digits}{unit} is {converted}{declared}; "
                        "write {converted}",
                        "`{name}`的单位是{declared}（{label}）：{digits}{unit}即{converted}{declared}；请写{converted}")
WRITE_IN_DECLARED_UNIT = _help("write the number alone, in {declared} as `{name}` is declared ({label}); "
                               "`{unit}` is not {declared}",
                               "请只写数值，按`{name}`声明的单位{declared}（{label}）；`{unit}`不是{declared}")
ADD_PERCENT_SIGN = _help('add the percent sign: "{literal}"', '请加上百分号："{literal}"')
WRITE_WITH_PERCENT_SIGN = _help('write it as a text with a percent sign: "{literal}"',
                                '请写成带百分号的文本："{literal}"')
FRACTION_FIRST = _help('if {written} is a fraction, write "{fraction}"; '
                       'write "{literal}" only if it means {written} percent',
                       '如果{written}是小数，写"{fraction}"；只有它表示百分之{written}时才写"{literal}"')
LITERAL_FIRST = _help('write "{literal}" if it means {written} percent; as a fraction it would be "{fraction}", '
                      "outside the declared range",
                      '如果它表示百分之{written}，写"{literal}"；按小数理解是"{fraction}"，超出了声明的范围')

F211_NOT_JUDGED = Message("F211", "`{path}` is not a `judged` indicator; its points are computed",
                          "`{path}`不是`评定`指标；它的得分是计算出来的")
F211_USE_OVERRIDE = _help("use [override] to replace computed points, with a reason",
                          "要替换计算出的得分，请用[override]并写明原因")
F211_JUDGED_IN_ROW = Message("F211", "`{path}` is judged from the `{column}` of its row ({table} row {number}), "
                             "not from [judged]", "`{path}`的评定得分取自它所在行的`{column}`（{table}第{number}行），"
                             "不取自[judged]")
F211_WRITE_IN_ROW = _help("write its points in that row's `{column}` and remove this entry; or replace them in "
                          "[override], with a reason",
                          "请把得分填在该行的`{column}`中并删去此项；或者在[override]中替换并写明原因")
F212_UNKNOWN_INDICATOR = Message("F212", "unknown indicator `{path}`", "未知的指标`{path}`")
F212_FULL_PATH = _help("write the full path, like `产出指标.培训`", "请写完整路径，例如`产出指标.培训`")
F213_NO_POINTS = Message("F213", "no judged points for `{path}` (weight {weight})",
                         "`{path}`没有评定得分（分值{weight}）")
F213_ADD_UNDER_JUDGED = _help("add {form} under [judged]", "在[judged]下加上{form}")
F213_FORM_BANDS = _help('`"{path}" = {{ points = …, band = "…" }}` (bands: {bands})',
                        '`"{path}" = {{ points = …, band = "…" }}`（区间：{bands}）')
F213_FORM_POINTS = _help('`"{path}" = …` (points from 0 to {weight})', '`"{path}" = …`（得分0到{weight}）')
F213_ADD_JSON = _help('add {form} to the `"judged"` object', '在`"judged"`对象中加上{form}')
F213_JSON_BANDS = _help('`"{path}": {{"points": …, "band": "…"}}` (bands: {bands})',
                        '`"{path}": {{"points": …, "band": "…"}}`（区间：{bands}）')
F213_JSON_POINTS = _help('`"{path}": …` (points from 0 to {weight})', '`"{path}": …`（得分0到{weight}）')
F214_UNKNOWN_FIELD = Message("F214", "`{path}`: unknown field `{field}`", "`{path}`：未知的字段`{field}`")
F214_THE_FIELDS = _help("the fields are points, band and because", "字段有points、band和because")
F214_BECAUSE_TEXT = Message("F214", "`{path}`: `because` must be a text", "`{path}`：`because`必须是文本")
F215_NOT_A_NUMBER = Message("F215", "`{path}`: expected points as a number, {found}", "`{path}`：得分应为数值，{found}")
F216_OUTSIDE_WEIGHT = Message("F216", "`{path}`: {points} points lies outside 0..{weight}",
                              "`{path}`：{points}分不在0..{weight}之内")
F217_NEEDS_BAND = Message("F217", "`{path}` needs its band", "`{path}`需要写明区间")
F217_WRITE_BAND = _help('write `"{path}" = {{ points = {points}, band = "{band}" }}`; the bands are {bands}',
                        '写成`"{path}" = {{ points = {points}, band = "{band}" }}`；区间有：{bands}')
F218_UNKNOWN_BAND = Message("F218", "`{path}`: unknown band `{band}`", "`{path}`：未知的区间`{band}`")
F218_NO_BANDS = _help("`{path}` declares no bands: remove `band`, or give its `judged` rule `bands {{ ... }}`",
                      "`{path}`没有声明区间：请删去`band`，或在其`评定`规则中写明`区间 {{ … }}`")
F219_OUTSIDE_BAND = Message("F219", "`{path}`: {points} points lies outside the band `{band}`, "
                            "which is {bounds} points",
                            "`{path}`：{points}分不在区间`{band}`之内，该区间为{bounds}分")
F220_NOT_A_LEAF = Message("F220", "`{path}` is not a leaf indicator", "`{path}`不是末级指标")
F220_OVERRIDE_LEAVES = _help("override the leaves inside it", "请对它下面的末级指标写override")
F220_UNKNOWN_INDICATOR = Message("F220", "unknown indicator `{path}`", "未知的指标`{path}`")
F220_FULL_PATH_OF_LEAF = _help("write the full path of a leaf", "请写末级指标的完整路径")
F221_EXPECTED_TABLE = Message("F221", '`{path}`: expected {{ points = P, because = "..." }}, {found}',
                              '`{path}`：应为{{ points = P, because = "..." }}，{found}')
F221_NOT_A_NUMBER = Message("F221", "`{path}`: expected points as a number, {found}", "`{path}`：得分应为数值，{found}")
F222_OUTSIDE_WEIGHT = Message("F222", "`{path}`: {points} points lies outside 0..{weight}",
                              "`{path}`：{points}分不在0..{weight}之内")
F223_NO_REASON = Message("F223", "`{path}`: an override needs its reason", "`{path}`：override必须写明原因")
F223_ADD_BECAUSE = _help('add `because = "..."`: the reason becomes the leaf\'s 扣分原因',
                         '加上`because = "..."`：这个原因会成为该指标的扣分原因')

# ---- W1xx: reading a filled-in form (docs/forms.md) --------------------------------------

W100_NOT_A_FORM = Message("W100", "cannot read `{name}`: perfrules reads .xlsx, .xlsm, .xls and .csv forms",
                          "无法读取`{name}`：perfrules读取.xlsx、.xlsm、.xls和.csv格式的表格")
W100_SAVE_AS_XLSX = _help("save the form as .xlsx (Excel: 文件 → 另存为 → Excel 工作簿)",
                          "请把表格另存为.xlsx（Excel：文件 → 另存为 → Excel 工作簿）")
W100_NOT_XLSX = Message("W100", "`{name}` is not a readable .xlsx workbook ({error})",
                        "`{name}`不是可读取的.xlsx工作簿（{error}）")
W100_SAVE_AGAIN = _help("open it in Excel or WPS and save it again as .xlsx", "请用Excel或WPS打开，再另存为.xlsx")
W100_NOT_XLS = Message("W100", "`{name}` is not a readable .xls workbook ({error})",
                       "`{name}`不是可读取的.xls工作簿（{error}）")
W100_TOO_LARGE = Message("W100", "`{name}` holds {size:,} bytes, more than the limit of {limit:,} for a form",
                        "`{name}`有{size:,}字节，超过表格的上限{limit:,}字节")
W100_ONLY_THE_FORM = _help("keep only the sheet of the form (a 自评表 is a few hundred kilobytes at most) and save "
                           "it again", "只保留自评表所在的工作表（自评表最多几百KB），再重新保存")
W101_NO_XLRD = Message("W101", "reading .xls forms needs xlrd, which is not installed",
                       "读取.xls表格需要xlrd，但没有安装")
W101_INSTALL_XLRD = _help("pip install 'perfrules[xls]', or save the form as .xlsx "
                          "(Excel: 文件 → 另存为 → Excel 工作簿)",
                          "请安装：pip install 'perfrules[xls]'，"
                          "或者把表格另存为.xlsx（Excel：文件 → 另存为 → Excel 工作簿）")
W101_NO_OPENPYXL = Message("W101", "reading .xlsx forms needs openpyxl, which is not installed",
                           "读取.xlsx表格需要openpyxl，但没有安装")
W101_INSTALL = _help("pip install 'perfrules[report]' (or: pip install openpyxl)",
                     "请安装：pip install 'perfrules[report]'（或：pip install openpyxl）")
W102_NO_SHEET = Message("W102", "`{name}` has no sheet `{sheet}`", "`{name}`中没有工作表`{sheet}`")
W102_ITS_SHEETS = _help("its sheets: {sheets}", "它的工作表有：{sheets}")
W110_NO_HEADER = Message("W110", "no header row of `{table}` in `{name}`: no row holds {want}",
                         "`{name}`中找不到`{table}`的表头行：没有一行同时含有{want}")
W110_NAME_EVERY_COLUMN = _help(
    "the header row must name every column the rules declare; "
    "rename a header cell to the label in the rules, or the label in the rules",
    "表头行必须写出规则声明的每一列；请把表头单元格改成规则中的标签，或者修改规则中的标签")
W110_CLOSEST = _help("the row at {where} names the others but not {missing}",
                     "{where}所在的行写有其他各列，只是没有{missing}")
W111_TWO_HEADERS = Message("W111", "two rows could be the header of `{table}`: {rows}",
                           "有两行都可能是`{table}`的表头：{rows}")
W111_ONE_FORM = _help("keep one form per workbook (or pass --sheet); delete the repeated header row",
                      "每个工作簿只放一张表（或者用--sheet指定）；请删掉重复的表头行")
W112_TWO_COLUMNS = Message("W112", "`{name}` is the header of two columns: {cells}", "`{name}`是两列的表头：{cells}")
W112_OWN_HEADER = _help("give each column its own header text", "每一列的表头文字要各不相同")
W120_NOT_A_NUMBER = Message("W120", "「{text}」 is not a number", "「{text}」不是数值")
W120_NOT_A_NUMBER_BECAUSE = Message("W120", "「{text}」 is not a number: `{stray}` is in the way",
                                    "「{text}」不是数值：多了`{stray}`")
W120_WRITE_NUMBER = _help("write the number alone (units go in the header, 「万元」 or 「分」), "
                          "and store it as a number, not text",
                          "只写数值（单位写在表头，如「万元」或「分」），并把单元格存为数值而不是文本")
W120_NOT_YES_NO = Message("W120", "「{text}」 is not 是 or 否", "「{text}」不是“是”或“否”")
W120_WRITE_YES_NO = _help("write 是 or 否", "请填“是”或“否”")
W121_NO_VALUE = Message("W121", "row {line} 「{name}」 has a name but no value: 「{column}」 {cell} is empty",
                        "第{line}行「{name}」有名称但没有值：「{column}」{cell}是空的")
W121_NO_TARGET = Message("W121", "row {line} 「{name}」 has a name but no target: 「{column}」 {cell} is empty",
                         "第{line}行「{name}」有名称但没有目标值：「{column}」{cell}是空的")
W121_NO_VALUE_FORMULA = Message(
    "W121", "row {line} 「{name}」 has a name but no value: 「{column}」 {cell} is empty "
    "(a formula Excel never computed)",
    "第{line}行「{name}」有名称但没有值：「{column}」{cell}是空的（Excel从未计算过的公式）")
W121_NO_TARGET_FORMULA = Message(
    "W121", "row {line} 「{name}」 has a name but no target: 「{column}」 {cell} is empty "
    "(a formula Excel never computed)",
    "第{line}行「{name}」有名称但没有目标值：「{column}」{cell}是空的（Excel从未计算过的公式）")
W121_FILL_OR_DELETE = _help("fill it in, or delete the row if the indicator was not set",
                            "请填上，如果没有设这个指标就删掉这一行")
W122_NO_GROUP = Message("W122", "row {line} 「{name}」 has no `{column}`", "第{line}行「{name}」没有`{column}`")
W122_FILL_OR_MERGE = _help("fill in {cell} or merge it with the cell above", "请填写{cell}，或者把它与上面的单元格合并")
W123_NO_NAME = Message("W123", "row {line} has values but no `{key}`: {values}",
                       "第{line}行有值但没有`{key}`：{values}")
W123_WRITE_NAME = _help("write the indicator's name in {cell}", "请在{cell}中写上指标名称")
W124_HIDDEN = Message("W124", "row {line} 「{name}」 is hidden in the workbook",
                      "第{line}行「{name}」在工作簿中被隐藏了")
W124_UNHIDE = _help("unhide it (Excel: 取消隐藏) and keep it, or delete it",
                    "请取消隐藏（Excel：取消隐藏）并保留它，或者删掉它")
W125_MERGED = Message("W125", "「{column}」 {cell} is merged over several indicators (down to row {line})",
                      "「{column}」{cell}跨几个指标合并了（直到第{line}行）")
W125_UNMERGE = _help("unmerge it and give each indicator its own value", "请取消合并，给每个指标各自填值")
W130_NO_LABEL = Message("W130", "no cell of `{name}` reads 「{label}」", "`{name}`中没有写着「{label}」的单元格")
W130_NEEDS_LABEL = _help("the form needs a 「{label}」 cell with the figure below it (or to its right)",
                         "表格需要一个「{label}」单元格，数值写在它下面（或右边）")
W131_LABEL_TWICE = Message("W131", "「{label}」 is written in more than one cell: {places}",
                           "「{label}」写在了不止一个单元格中：{places}")
W131_KEEP_ONCE = _help("keep the label once, over its figure", "标签只保留一次，写在数值上方")
W132_TWO_FIGURES = Message("W132", "「{label}」 at {place} has figures both below ({below}) and to its right ({right})",
                           "{place}的「{label}」下面（{below}）和右边（{right}）都有数值")
W132_LEAVE_ONE_EMPTY = _help("leave one of them empty", "请让其中一个留空")
W132_NO_FIGURE = Message("W132", "「{label}」 at {place} has no figure below it or to its right",
                         "{place}的「{label}」下面和右边都没有数值")
W132_FILL_FIGURE = _help("fill in the figure", "请填上数值")
WB_ROW_OF_SHEET = _help("row {number} of `{table}` is row {line} of the sheet ({where})",
                        "`{table}`第{number}行即工作表第{line}行（{where}）")
WB_READ_FROM = _help("`{name}` was read from {where}", "`{name}`读自{where}")

# ---- F1xx in a batch: one record that cannot be read -------------------------------------

F101_LINE_NOT_UTF8 = Message("F101", "this line is not UTF-8 text (byte {byte} cannot be read)",
                             "这一行不是UTF-8文本（第{byte}个字节无法读取）")
F100_KEY_TWICE_ON_LINE = Message("F100", "the key `{key}` appears twice on this line", "键`{key}`在这一行出现了两次")
F100_LINE_NOT_JSON = Message("F100", "this line is not valid JSON: {detail} (column {column})",
                             "这一行不是有效的JSON：{detail}（第{column}列）")
F100_LINE_NOT_OBJECT = Message("F100", "expected a JSON object of inputs on this line",
                               "这一行应为由输入项组成的JSON对象")
F101_LINE_SURROGATE = Message("F101", "this line holds half of a surrogate pair (`\\ud800` to `\\udfff` alone), "
                              "which is no character",
                              "这一行含有半个代理对（单独的`\\ud800`到`\\udfff`），不是一个字符")
F101_WRITE_AGAIN = _help("the text was cut in the middle of a character: write it again",
                         "这段文本在一个字符中间被截断了：请重新输入")
F100_ROW_CELLS = Message("F100", "this row has {cells} cells but the header names {columns} columns",
                         "这一行有{cells}个单元格，但表头只有{columns}列")
F100_RECORD_UNREADABLE = Message("F100", "this record cannot be read: {error}", "这条记录无法读取：{error}")
F100_AT_MOST_30_DIGITS_FLAT = _help("numbers in facts have at most 30 digits; facts are flat",
                                    "数据中的数值最多30位；数据是平的")
F100_LINE_TOO_LONG = Message("F100", "this line is {size:,} bytes, more than the limit of {limit:,} for one record",
                             "这一行有{size:,}字节，超过了单条记录{limit:,}字节的上限")
F100_LINE_DAMAGED = _help("a record holds one value per input; this line is probably damaged",
                          "每条记录每个输入项只有一个值；这一行多半已损坏")
F100_ROW_NOT_CSV = Message("F100", "this row is not valid CSV: {detail}", "这一行不是有效的CSV：{detail}")
F100_ROW_TOO_LONG = Message("F100", "this row is longer than the limit of {limit:,} bytes",
                            "这一行超过了{limit:,}字节的上限")
F100_ROW_NOT_UTF8 = Message("F100", "this row is not UTF-8 text: byte 0x{byte:02X} (byte {position} of the row) "
                            "cannot be read; save the file as CSV UTF-8",
                            "这一行不是UTF-8文本：字节0x{byte:02X}（该行第{position}个字节）无法读取；"
                            "请把文件另存为CSV UTF-8")

# ---- C1xx, C2xx: cases files of `perfrules test` (docs/cases.md) -------------------------

C100_TOO_LARGE = Message("C100", "this cases file is larger than the limit of {limit:,} bytes",
                         "这个用例文件超过了{limit:,}字节的上限")
C100_SPLIT = _help("split the cases into several files", "把用例拆成几个文件")
C100_NOT_UTF8 = Message("C100", "this cases file is not UTF-8 text (byte {byte})",
                        "这个用例文件不是UTF-8文本（第{byte}个字节）")
C100_SAVE_AS_UTF8 = _help("save the file as UTF-8", "把文件另存为UTF-8编码")
C101_NOT_TOML = Message("C101", "this cases file is not valid TOML: {detail}", "这个用例文件不是有效的TOML：{detail}")
C101_ONE_KEY_PER_LINE = _help("write one `key = value` per line; texts in quotes", "每行写一个`键 = 值`；文本要加引号")
C101_PYTHON_CANNOT_READ = Message("C101", "this cases file holds a value Python cannot read ({error})",
                                  "这个用例文件中有Python无法读取的值（{error}）")
C101_AT_MOST_30_DIGITS = _help("numbers have at most 30 digits", "数值最多30位")
C200_SEE_CASES_MD = _help("docs/cases.md shows how a cases file is written", "docs/cases.md说明了用例文件的写法")
C201_UNKNOWN_KEY = Message("C201", "unknown key `{key}` in {what}", "{what}中有未知的键`{key}`")
C201_THE_KEYS = _help("the keys are {keys}", "键有：{keys}")
IN_CASES_FILE = _help("the cases file", "用例文件")
IN_CASE = _help("a `[[case]]`", "`[[case]]`表")
IN_EXPECT = _help("`[case.expect]`", "`[case.expect]`表")
IN_INTENTION = _help("an `[[intention]]`", "`[[intention]]`表")
C202_NO_RULES = Message("C202", 'the cases file needs `rules = "FILE.rules"`, the rule file it tests',
                        '用例文件需要`rules = "FILE.rules"`，即它所测试的规则文件')
C202_RULES_NOT_TEXT = Message("C202", "`rules` must be a file name in quotes", "`rules`必须是带引号的文件名")
C202_ADD_RULES = _help('add `rules = "NAME.rules"` at the top (relative to this file)',
                       '在开头加上`rules = "NAME.rules"`（相对于本文件）')
C203_CASE_TABLES = Message("C203", "`case` must be written as `[[case]]` tables", "`case`必须写成`[[case]]`表")
C204_NO_CASE = Message("C204", "this cases file has no `[[case]]`", "这个用例文件中没有`[[case]]`")
C204_ADD_CASE = _help("add a `[[case]]` with facts and `[case.expect]`", "加上一个带数据和`[case.expect]`的`[[case]]`")
C205_NO_RULE_FILE = Message("C205", "rule file `{name}` not found (looked for {path})",
                            "找不到规则文件`{name}`（查找的是{path}）")
C205_RELATIVE = _help("`rules` is relative to the cases file", "`rules`是相对于用例文件的路径")
C206_OUTSIDE_TREE = Message("C206", "`{key}` names a file outside the folder being tested ({tree})",
                            "`{key}`指向被测试文件夹（{tree}）之外的文件")
C206_KEEP_INSIDE = _help("keep the file in {tree} or below it, or give `perfrules test --allow-outside` if you mean it",
                         "把文件放在{tree}或其子文件夹中；如确有此意，加上`perfrules test --allow-outside`")
C207_WRONG_KIND = Message("C207", "`{key}` must name a {suffixes} file, not `{name}`",
                          "`{key}`必须指向{suffixes}文件，而不是`{name}`")
C207_ONLY_RULES_AND_FACTS = _help("a cases file reads only its rule file and facts files",
                                  "用例文件只读取它的规则文件和数据文件")
C210_NO_NAME = Message("C210", "every case needs a `name`", "每个用例都需要`name`")
C210_ADD_NAME = _help('add `name = "what this case shows"`', '加上`name = "这个用例说明什么"`')
CASE_NUMBER = _help("case {number}", "用例{number}")
C211_NO_FACTS_FILE = Message("C211", "facts file `{name}` not found (looked for {path})",
                             "找不到事实文件`{name}`（查找的是{path}）")
C211_IN_FACTS_FILE = _help("in {path}: {problem}", "{path}中：{problem}")
C212_UNKNOWN_TABLE = Message("C212", "facts file `{name}` has an unknown table `[{table}]`",
                             "事实文件`{name}`中有未知的表`[{table}]`")
C213_NO_FACTS = Message("C213", "case `{name}` has no facts", "用例`{name}`没有数据")
C213_ADD_FACTS = _help('add `facts = "FILE.facts.toml"` or a `[case.facts]` table',
                       '加上`facts = "FILE.facts.toml"`或者一个`[case.facts]`表')
C213_FACTS_FORM = Message("C213", "`facts` must be a file name in quotes or a `[case.facts]` table",
                          "`facts`必须是带引号的文件名，或者一个`[case.facts]`表")
C214_NOT_A_TABLE = Message("C214", "`{key}` must be a `[case.{key}]` table", "`{key}`必须是`[case.{key}]`表")
C220_EXPECTS_NOTHING = Message("C220", "this case expects nothing", "这个用例没有写预期结果")
C220_ADD_EXPECT = _help('add `[case.expect]` with `total = "..."`, `rating`, `points`, `lost`, or `error = "..."`',
                        '加上`[case.expect]`，写`total = "..."`、`rating`、`points`、`lost`或`error = "..."`')
C221_TOTAL = Message("C221", '`total` must be a number like "97.21", found {found}',
                     '`total`必须是"97.21"这样的数值，实际是{found}')
C222_TEXT = Message("C222", "`{key}` must be a text in quotes", "`{key}`必须是带引号的文本")
C222_VETO = Message("C222", "`veto` must be true, false, or a text the veto reason contains",
                    "`veto`必须是true、false，或者否决原因中包含的文字")
C223_LOST_PATHS = Message("C223", "`lost_paths` must be a list of indicator paths in quotes",
                          "`lost_paths`必须是由带引号的指标路径组成的列表")
C224_POINTS_TABLE = Message("C224", "`points` must be a `[case.expect.points]` table",
                            "`points`必须是`[case.expect.points]`表")
C224_POINTS_NUMBER = Message("C224", 'points of `{path}` must be a number like "9.51"',
                             '`{path}`的得分必须是"9.51"这样的数值')
C225_LOST_TABLE = Message("C225", "`lost` must be a `[case.expect.lost]` table", "`lost`必须是`[case.expect.lost]`表")
C225_LOST_TEXTS = Message("C225", '`{path}` must list texts its reasons contain: ["..."]',
                          '`{path}`必须列出其扣分原因中包含的文字：["..."]')
C226_ERROR_AND_MORE = Message("C226", "a case that expects an error cannot also expect {others}",
                              "预期出错的用例不能同时预期{others}")
C226_SPLIT = _help("split it into two cases", "请拆成两个用例")
C230_INTENTION_TABLES = Message("C230", "`intention` must be written as `[[intention]]` tables",
                                "`intention`必须写成`[[intention]]`表")
C231_POINTS = Message("C231", '`points` must be a number like "8"', '`points`必须是"8"这样的数值')
C231_WITHIN = Message("C231", "`within` must be a table of ranges: `within = {{ 预算数 = [0.01, 1000000] }}`",
                      "`within`必须是由范围组成的表：`within = {{ 预算数 = [0.01, 1000000] }}`")
C231_WHEN = Message("C231", "`when` must be a table of inputs: `when = {{ 按时报送 = true }}`",
                    "`when`必须是由输入项组成的表：`when = {{ 按时报送 = true }}`")
C231_TEXT = Message("C231", "`{key}` must be a text in quotes", "`{key}`必须是带引号的文本")
C232_NO_KIND = Message("C232", "an intention needs `kind`", "意图需要`kind`")
C232_THE_KINDS = _help("the kinds are monotonic, full_when, zero_when, at_least, at_most",
                       "kind有monotonic、full_when、zero_when、at_least、at_most")
C233_INTENTION = Message("C233", "intention: {problem}", "意图：{problem}")
C233_SEE_DOCS = _help("see docs/testing.md for the intention kinds and their keys",
                      "意图的种类及其键见docs/testing.md")
# What is wrong with an intention for this ruleset (C233, and `testing.check_intentions`).
INTENTION_UNKNOWN_KIND = _help("unknown intention kind `{kind}`; the kinds are {kinds}",
                               "未知的意图种类`{kind}`；种类有：{kinds}")
INTENTION_UNKNOWN_PATH = _help("unknown indicator `{path}`", "未知的指标`{path}`")
INTENTION_UNKNOWN_PATH_GUESS = _help("unknown indicator `{path}` (did you mean `{guess}`?)",
                                     "未知的指标`{path}`（是不是`{guess}`？）")
INTENTION_NEEDS_INPUT = _help("a `monotonic` intention needs `input`", "`monotonic`意图需要`input`")
INTENTION_UNKNOWN_INPUT = _help("unknown input `{name}`", "未知的输入项`{name}`")
INTENTION_UNKNOWN_INPUT_GUESS = _help("unknown input `{name}` (did you mean `{guess}`?)",
                                      "未知的输入项`{name}`（是不是`{guess}`？）")
INTENTION_TEXT_CANNOT_RISE = _help("`{name}` is a text: it cannot rise", "`{name}`是文本：它不能增大")
INTENTION_RISES_AND_PINNED = _help("`{name}` is both the input that rises and pinned in `when`",
                                   "`{name}`既是增大的输入项，又在`when`中被固定")
INTENTION_DIRECTION = _help('`direction` must be "up" or "down", not {direction}',
                            '`direction`必须是"up"或"down"，不能是{direction}')
INTENTION_INPUT_BELONGS = _help("`input` and `direction` belong to `monotonic`, not `{kind}`",
                                "`input`和`direction`属于`monotonic`，不属于`{kind}`")
INTENTION_NEEDS_POINTS = _help("an `{kind}` intention needs `points`", "`{kind}`意图需要`points`")
INTENTION_POINTS_BELONG = _help("`points` belongs to `at_least` and `at_most`, not `{kind}`",
                                "`points`属于`at_least`和`at_most`，不属于`{kind}`")
INTENTION_WITHIN_UNKNOWN = _help("`within`: unknown input `{name}`", "`within`：未知的输入项`{name}`")
INTENTION_WITHIN_RANGE = _help("`within`: `{name}` needs [LOW, HIGH], two valid values, low first",
                               "`within`：`{name}`需要[LOW, HIGH]，两个有效值，小的在前")
INTENTION_WHEN_UNKNOWN = _help("`when`: unknown input `{name}`", "`when`：未知的输入项`{name}`")
INTENTION_WHEN_UNKNOWN_GUESS = _help("`when`: unknown input `{name}` (did you mean `{guess}`?)",
                                     "`when`：未知的输入项`{name}`（是不是`{guess}`？）")
INTENTION_WHEN_VALUE = _help("`when`: `{name}`: {problem}", "`when`：`{name}`：{problem}")

# ---- E101-E107: syntax -------------------------------------------------------------------

TERMINALS = {
    "NAME": _help("a name", "名称"), "NUMBER": _help("a number", "数值"),
    "PERCENT": _help("a percentage like `90%`", "`90%`这样的百分比"),
    "STRING": _help('a quoted text `"..."`', '带引号的文本`"..."`'),
    "_SEP": _help("the end of the statement", "语句结束"), "$END": _help("the end of the file", "文件结束"),
    "QNAME": _help("a column like `T.COL`", "`T.COL`这样的列"),
}  # fmt: skip
EXPECTED = _help("expected {what}", "应为{what}")
EXPECTED_EITHER = _help("expected {some} or {last}", "应为{some}或{last}")
EXPECTED_MANY = _help("expected {some}, …", "应为{some}等")
A_NEW_LINE = _help("end of line", "换行")
E101_INSERTION_ENDS = Message("E101", "the formula of this `{{…}}` ends before it is complete",
                              "这个`{{…}}`中的公式没有写完")
E101_FILE_ENDS = Message("E101", "the file ends in the middle of a statement", "文件在一个语句的中间结束了")
E101_FILE_ENDS_IN_BLOCK = Message("E101", "the file ends before a block is closed: a `}}` is missing",
                                  "文件在一个块闭合之前结束了：缺少`}}`")
E101_UNEXPECTED = Message("E101", "unexpected {token}", "这里不应出现{token}")
E101_CHAINED = Message("E101", "unexpected {token}: comparisons are not chained", "这里不应出现{token}：比较不能连写")
E101_TWO_COMPARISONS = _help("write two comparisons joined by `and`: `1 < x and x < 3`",
                             "写成用`且`连接的两个比较：`1 < x 且 x < 3`")
E101_NO_LEFT_VALUE = Message("E101", "unexpected {token}: a value goes here, and a comparison has nothing on its left",
                             "这里不应出现{token}：此处应为一个值，比较符号左边没有值")
E101_COMPARE_A_VALUE = _help("write the value it compares before the sign (`x >= 3`); a function's argument or a "
                             "score is a value, not a condition",
                             "在符号前写出要比较的值（`x >= 3`）；函数的参数、得分都是值，不是条件")
E101_DIRECTION_SYMBOL = Message("E101", "unexpected {token}: a rule file writes a direction as its label, not as a "
                                "sign", "这里不应出现{token}：规则文件中的方向写作标签，而不是符号")
E101_WRITE_DIRECTION = _help("write `{label}` (the labels are 正向 反向 等于 定性, bare in both keyword sets); "
                             "the signs `≥ ≤ =` are read only in facts files",
                             "请写`{label}`（标签为正向、反向、等于、定性，两种关键字都直接写）；"
                             "`≥ ≤ =`这些符号只在事实文件中使用")
E101_UNEXPECTED_ASSIGN = Message("E101", "unexpected `=`", "这里不应出现`=`")
E101_TO_COMPARE = _help("to compare, write `==`; `=` only gives a value in `input`, `param` and `let`",
                        "比较请写`==`；`=`只在`输入`、`参数`和`设`中用来给值")
E101_OUT_OF_SCALE = Message("E101", "`{out_of}` after a weight needs the scale its children add up to",
                            "分值后面的`{out_of}`要跟下级指标合计的分数")
E101_WRITE_SCALE = _help(
    "write the scale: `{weight} {out_of} 100 {{`; for full marks, write the rule inside the braces: "
    "`{weight} {{ {full} }}`",
    "请写出分数：`{weight} {out_of} 100 {{`；要得满分，请把规则写在花括号里：`{weight} {{ {full} }}`")
E101_POINTS_UNIT = Message("E101", "`{word}` after a number is not needed", "数值后面不需要`{word}`")
E101_BARE_POINTS = _help("points are written as a bare number: `16`, not `16分`", "分数只写数值：写`16`，不写`16分`")
E101_LOOKS_LIKE_FACTS = Message("E101", "this looks like a facts file (TOML), not a rule file",
                                "这看起来是事实文件（TOML），不是规则文件")
E101_IF_IN_PARENS = _help("inside a formula, put the `if … then … else …` in parentheses: {text}",
                          "在算式中间使用`如果 … 则 … 否则 …`时，请加上括号：{text}")
E101_RULES_FIRST = _help("the rule file comes first: `perfrules eval RULES FACTS`",
                         "规则文件要写在前面：`perfrules eval 规则文件 事实文件`")
E101_CLAMP_NOT_NEEDED = Message("E101", "`{word}` is not needed: `{keyword}` never gives more than full marks",
                                "不需要`{word}`：`{keyword}`给分从不超过满分")
E101_DELETE_CLAMP = _help("delete `{word}`: `{keyword}` scores weight × the ratio, clamped to 0..weight automatically",
                          "删掉`{word}`：`{keyword}`按分值 × 比例计分，自动限定在0..分值之内")
E101_WEIGHT_KEYWORD = Message("E101", "the weight needs its keyword `{keyword}`", "分值前面要写关键字`{keyword}`")
E101_WRITE = _help("write `{text}`", "请写成`{text}`")
E101_RANGE_NOT_ARM = Message("E101", "`{value}..` is a range; tier arms are thresholds",
                             "`{value}..`是一个范围；分档的各档是门槛值")
E101_ARMS_FROM_TOP = _help("arms are tried from the top and the first that holds wins: write {arms}, "
                           "from the highest threshold down, and end with `{otherwise}: …`",
                           "各档从上往下判断，第一个成立的生效：请写{arms}，门槛从高到低，最后以`{otherwise}: …`结尾")
E101_ARMS_RANGE = _help("`>= {high}: …` above `>= {low}: …`", "`>= {high}: …`写在`>= {low}: …`上面")
E101_ARM = _help("`>= {low}: …`", "`>= {low}: …`")
E101_BOOL_IN_GRADE = Message("E101", "`{word}` is a keyword: `{grade}` arms are the labels of a grade input",
                             "`{word}`是关键字：`{grade}`的各分支是等级输入项的标签")
E101_FOR_BOOL = _help("for a true/false input write {example}", "是否型输入项请写{example}")
E101_BOOL_EXAMPLE = _help("`{first}`, or `{full}` with `{deduct}`", "`{first}`，或者`{full}`加`{deduct}`")
E102_NO_CLOSING_QUOTE = Message("E102", "this text has no closing quote on its line", "这段文本在本行没有结束的引号")
E102_CLOSE_QUOTE = _help('end the text with `"` on the same line; write `\\"` for a quote inside it',
                         '在同一行用`"`结束文本；文本中的引号写成`\\"`')
E102_PERCENT_APART = Message("E102", "a percent sign must follow its number directly", "百分号必须紧跟在数值后面")
E102_NO_SPACE = _help("write `{number}%`, with no space between the number and `%`",
                      "写成`{number}%`，数值和`%`之间不留空格")
E102_WRONG_QUOTE = Message("E102", "`{char}` is not a quote the language reads", "`{char}`不是规则语言能识别的引号")
E102_PLAIN_QUOTES = _help('put texts between plain double quotes: `"..."`', '文本请用英文双引号括起来：`"..."`')
E102_INVISIBLE = Message("E102", "invisible or control character U+{point:04X} ({name})",
                         "不可见字符或控制字符U+{point:04X}（{name}）")
E102_DELETE_INVISIBLE = _help("delete it: it often comes from copying text out of a web page or Word",
                              "删掉它：它常常来自从网页或Word中复制的文本")
E102_INVISIBLE_IN_TEXT = Message("E102", "invisible or control character U+{point:04X} ({name}) in a text",
                                 "文本中有不可见字符或控制字符U+{point:04X}（{name}）")
E102_DELETE_FROM_TEXT = _help("delete it: texts are printed in terminals and reports, where it would steer the "
                              "screen or reverse what the reader sees",
                              "删掉它：文本会显示在终端和报告中，这个字符会操控屏幕或颠倒读者看到的文字")
E102_UNEXPECTED_ASSIGN = Message("E102", "unexpected `=`", "这里不应出现`=`")
E102_COMPARE = _help("compare with `==`; `=` only gives a value in `input`, `param` and `let`",
                     "比较请用`==`；`=`只在`输入`、`参数`和`设`中用来给值")
E102_UNEXPECTED_CHAR = Message("E102", "unexpected character `{char}`", "这里不应出现字符`{char}`")
E102_REMOVE_CHAR = _help("remove it, or check the statement against docs/language.md",
                         "删掉它，或者对照docs/language.md检查这个语句")
E102_EXPONENT = Message("E102", "numbers are written without exponents", "数值不能用指数形式书写")
E102_WRITE_IN_FULL = _help("write the number out in full, like `1500000` or `0.0015`",
                           "请把数值完整写出，例如`1500000`或`0.0015`")
E103_RUN_TOGETHER = Message("E103", "`{text}` runs keywords, numbers and names together",
                            "`{text}`把关键字、数值和名称连在一起了")
E103_WITH_SPACES = _help("write it with spaces: {text}", "请用空格隔开：{text}")
E103_GLUED = Message("E103", "`{word}` runs the keyword `{keyword}` into a name",
                     "`{word}`把关键字`{keyword}`和名称连在一起了")
E103_SEPARATE = _help("separate the keyword with a space: {text}", "请用空格把关键字隔开：{text}")
E103_PER_POINT_BELOW = _help(
    "「每{way}{step}个百分点」 (a deduction per {step}% short) is written `per {step}%` (`每 {step}%`), the "
    "shortfall coming from shortfall(…) (未达): {text}",
    "「每{way}{step}个百分点」写作`每 {step}%`，差距由未达(…)给出：{text}")
E103_PER_POINT_ABOVE = _help(
    "「每{way}{step}个百分点」 (a deduction per {step}% over) is written `per {step}%` (`每 {step}%`), the "
    "excess coming from excess(…) (超出): {text}",
    "「每{way}{step}个百分点」写作`每 {step}%`，超出的部分由超出(…)给出：{text}")
E103_KEYWORD_ALONE = _help("did you mean the keyword `{keyword}` alone? If `{rest}` is a name, write {text}",
                           "是不是只写关键字`{keyword}`？如果`{rest}`是名称，请写成{text}")
E104_TOO_DEEP = Message(
    "E104", "this statement is too deep or too long: the limits are {brackets} nested brackets, {blocks} nested "
    "blocks, {signs} signs in a row and {tokens} words and symbols in one statement",
    "这个语句嵌套太深或太长：上限是{brackets}层括号、{blocks}层块、连续{signs}个符号，"
    "一个语句最多{tokens}个词和符号")
E104_SPLIT_OR_FLATTEN = _help("split the formula into several `let` definitions, or flatten the indicator tree",
                              "把公式拆成几个`设`定义，或者减少指标树的层级")
E104_NESTING = Message("E104", "nesting too deep", "嵌套太深")
E104_SPLIT_FORMULA = _help("split the formula into several `let` definitions", "把公式拆成几个`设`定义")
E105_KEYWORD_AS_NAME = Message("E105", "`{word}` is a keyword (its twin is `{twin}`) and cannot be used as a name",
                               "`{word}`是关键字（对应`{twin}`），不能用作名称")
E105_KEYWORD_AS_NAME_V2 = Message(
    "E105", "`{word}` is a keyword (its twin is `{twin}`) (reserved since language version 2) and cannot be used "
    "as a name",
    "`{word}`是关键字（对应`{twin}`）（自语言第2版起保留），不能用作名称")
E105_RENAME = _help("choose another name, for example `{suggestion}`", "请换一个名称，例如`{suggestion}`")
E105_RENAME_COLUMN = _help("choose another name, for example `{suggestion}`, and keep the form's wording as the "
                           'label: `{suggestion}: … "{word}"`',
                           '请换一个名称，例如`{suggestion}`，并把表格上的说法留作标签：`{suggestion}: … "{word}"`')
E106_NEVER_CLOSED = Message("E106", "`{{` opens an inserted value that is never closed", "`{{`开始的插入值没有结束")
E106_CLOSE_IT = _help("close it with `}}`, or write `{{{{` for a literal brace",
                      "用`}}`结束它，或者写`{{{{`表示花括号本身")
E106_EMPTY = Message("E106", "`{{}}` inserts nothing", "`{{}}`里什么也没有插入")
E106_FILL_IT = _help("put a name or formula between the braces, or write `{{{{}}}}`",
                     "在花括号中写名称或公式，或者写`{{{{}}}}`")
E106_CLOSES_NOTHING = Message("E106", "`}}` closes nothing", "`}}`没有对应的开始")
E106_DOUBLE_IT = _help("write `}}}}` for a literal brace", "写`}}}}`表示花括号本身")
E107_TOO_MANY_TOKENS = Message("E107", "this file holds more than {limit:,} words and symbols",
                               "这个文件的词和符号超过了{limit:,}个")
E107_TOO_MANY_DIGITS = Message("E107", "a number of {digits} digits is longer than the limit of {limit}",
                               "{digits}位的数值超过了{limit}位的上限")
E107_SHORTEN = _help("budget figures need far fewer digits; shorten the number", "预算数字用不了这么多位；请缩短这个数")

# ---- E2xx-E4xx: the checker --------------------------------------------------------------

WRITE_PERCENT = _help("write `{value}%`", "请写成`{value}%`")
KEEP_ONE = _help("keep one `{key}`", "只保留一个`{key}`")
PUT_ELSE_LAST = _help("put `else` last", "把`否则`放在最后")
COMBINE_CONDITIONS = _help("combine the conditions with `and` / `or`", "用`且`/`或`把条件合并起来")
KEEP_ONE_RULE = _help("keep one rule; express the others as `deduct` or `bonus`",
                      "只保留一条计分规则；其余的写成`扣`或`加`")
ADD_ONE_RULE = _help("add one rule: {rules}", "请加上一条计分规则：{rules}")
RENAME_ONE = _help("rename one of them", "请给其中一个改名")
SPLIT_RULESET = _help("split the ruleset into several files", "把规则集拆成几个文件")

# What must be true/false or a number (E302), as the messages name it.
WHAT = {
    "veto": _help("a `veto` condition", "`否决`条件"),
    "rating_threshold": _help("a rating threshold", "评级门槛"),
    "range_bound": _help("a range bound", "范围的界限"),
    "applies": _help("an `applies` condition", "`适用`条件"),
    "where": _help("a `where` condition", "`筛选`条件"),
    "arm_when": _help("an arm's `when` condition", "分支的`当`条件"),
    "tier_threshold": _help("a tier threshold", "分档门槛"),
    "checklist": _help("a checklist condition", "清单条件"),
    "band_bound": _help("a band bound", "区间的界限"),
    "per_step": _help("a `per` step", "`每`的步长"),
    "per_of": _help("the `of` value", "`按`的值"),
    "when": _help("a `when` condition", "`当`条件"),
    "cap": _help("a `cap`", "`上限`"),
}  # fmt: skip
WHAT_RULE = _help("`{keyword}`", "`{keyword}`")
WHAT_AMOUNT = _help("a `{kind}` amount", "`{kind}`的数额")  # kind: the keyword, deduct or bonus

E201_COLUMN_OF = _help("`{name}` is a column of `{table}`: read it inside `{each} {table} {{ … }}`, or sum it up with "
                       "an aggregate, like `{sum}({table}.{name})`",
                       "`{name}`是`{table}`的列：请在`{each} {table} {{ … }}`之内读取它，或者用汇总函数，例如"
                       "`{sum}({table}.{name})`")
E201_UNKNOWN_NAME = Message("E201", "unknown name `{name}`", "未知的名称`{name}`")
E201_GLUED = _help("`{name}` starts with the keyword `{keyword}`: write `{keyword} {rest}`",
                   "`{name}`以关键字`{keyword}`开头：请写成`{keyword} {rest}`")
E201_OR_DID_YOU_MEAN = _help("or did you mean `{guess}`?", "或者是不是`{guess}`？")
E201_DECLARE_FIRST = _help("declare it first with `input`, `param` or `let`", "请先用`输入`、`参数`或`设`声明它")
E202_USED_BEFORE = Message("E202", "`{name}` is used before it is declared (at {place})",
                           "`{name}`在声明（{place}）之前就被使用了")
E202_MOVE_UP = _help("move the declaration of `{name}` above this line", "把`{name}`的声明移到这一行上面")
E203_ITSELF = Message("E203", "`{name}` is defined in terms of itself", "`{name}`的定义用到了它自己")
E203_NOT_ITS_OWN = _help("a `let` cannot use its own value", "`设`不能使用它自己的值")
E203_EACH_OTHER = Message("E203", "`{first}` and `{second}` are defined in terms of each other",
                          "`{first}`和`{second}`的定义互相引用")
E203_BREAK_CYCLE = _help("break the cycle: one of them must be computed without the other",
                         "请打破循环：其中一个必须不依赖另一个来计算")
E204_FUNCTION_NAME = Message("E204", "`{name}` is the name of a function and cannot be declared",
                             "`{name}`是函数名，不能用来声明")
E204_CHOOSE_ANOTHER = _help("choose another name; `{name}` is the function `{function}`",
                            "请换一个名称；`{name}`是函数`{function}`")
E204_RENAME_COLUMN = _help(
    "choose another name, for example `{suggestion}`, and keep the form's wording as the label: "
    '`{suggestion}: … "{name}"`; `{name}` is the function `{function}`',
    '请换一个名称，例如`{suggestion}`，并把表格上的说法留作标签：`{suggestion}: … "{name}"`；'
    "`{name}`是函数`{function}`")
E205_DECLARED_TWICE = Message("E205", "`{name}` is declared twice", "`{name}`声明了两次")
E205_COLUMN_TWICE = Message("E205", "the column `{column}` is declared twice in `{table}`",
                            "列`{column}`在`{table}`中声明了两次")
E206_LABEL_TWICE = Message("E206", "grade label `{label}` is listed twice", "等级标签`{label}`列了两次")
E207_SAME_NAME = Message("E207", "two indicators here are named `{name}`", "这里有两个指标都叫`{name}`")
E207_OWN_NAME = _help("give each indicator in a group its own name", "同一组中每个指标的名称要各不相同")
E207_FIRST_AT = _help("the first is at {place}", "第一个在{place}")
E208_NOT_CONSTANT = Message("E208", "`{name}` changes with the facts, but a constant is needed here",
                            "`{name}`随数据而变，但这里需要常量")
E208_USE_CONSTANT = _help("use a number, a percentage or a `param` here; values that come from inputs belong in `let`",
                          "这里请用数值、百分比或`参数`；来自输入项的值请放在`设`中")
E208_USE_CONSTANT_SHORT = _help("use a number, a percentage or a `param` here", "这里请用数值、百分比或`参数`")
E209_UNKNOWN_FUNCTION = Message("E209", "unknown function `{function}`", "未知的函数`{function}`")
E209_THE_FUNCTIONS = _help("the functions are min, max, abs, floor, ceil, round, clamp, shortfall, excess",
                           "函数有：最小、最大、绝对值、向下取整、向上取整、四舍五入、限定、未达、超出"
                           "（min、max、abs、floor、ceil、round、clamp、shortfall、excess）")
E210_TAKES = Message("E210", "`{function}` takes {wanted} values, not {count}",
                     "`{function}`需要{wanted}个值，不是{count}个")
E210_TAKES_AT_LEAST = Message("E210", "`{function}` takes at least {wanted} values, not {count}",
                              "`{function}`至少需要{wanted}个值，不是{count}个")
E210_TAKES_TWO_OR_THREE = Message("E210", "`{function}` takes 2 or 3 values, not {count}",
                                  "`{function}`需要2或3个值，不是{count}个")
E210_ROW_FUNCTIONS = _help("achievement(ACTUAL, TARGET [, DIRECTION]); qualitative(X); given(COLUMN)",
                           "达成度(实际, 目标 [, 方向])；属定性(X)；有值(列)")
E210_ROUND_PLACES = Message("E210", "the second value of `round` is a whole number of decimals",
                            "`四舍五入`的第二个值是小数位数，必须是整数")
E210_ROUND_EXAMPLE = _help("write for example `round(x, 2)`", "例如写`四舍五入(x, 2)`")
E210_WHERE_NOT_AGGREGATE = Message("E210", "`where` goes only with an aggregate, and `{function}` is not one",
                                   "`筛选`只能用于汇总函数，而`{function}`不是")
E210_THE_AGGREGATES = _help("the aggregates are sum, count, mean, weighted_mean, min and max",
                            "汇总函数有：合计、行数、平均值、加权平均、最小和最大")
E210_OVER_ROWS_ONE = Message("E210", "`{function}` takes 1 value over rows, not {count}",
                             "`{function}`对行需要1个值，不是{count}个")
E210_OVER_ROWS_TWO = Message("E210", "`{function}` takes 2 values over rows, not {count}",
                             "`{function}`对行需要2个值，不是{count}个")
E210_AGGREGATE_FORMS = _help("count(T [where C]); sum(T.COL [where C]); weighted_mean(T.COL, T.WEIGHT)",
                             "行数(T [筛选 C])；合计(T.列 [筛选 C])；加权平均(T.列, T.权重)")
E211_NOT_ROWS = Message("E211", "`{table}` is not a rows input", "`{table}`不是行表输入项")
E211_DECLARE_ROWS = _help("declare it with `input {table}: rows {{ … }}`", "请用`输入 {table}: 行表 {{ … }}`声明它")
E211_THE_ROWS_INPUTS = _help("the rows inputs are {inputs}", "行表输入项有：{inputs}")
E212_NO_COLUMN = Message("E212", "`{table}` has no column `{column}`", "`{table}`没有列`{column}`")
E213_FROM_OUTSIDE_EACH = Message("E213", "`{judged} {keyword_from}` reads a column of a row, and stands only "
                                 "inside `{each}`",
                                 "`{judged} {keyword_from}`读取一行中的某列，只能写在`{each}`之中")
E213_JUDGED_ALONE = _help("outside `{each}`, write `{judged}` alone: the points then come from the facts file's "
                          "[judged] table",
                          "在`{each}`之外只写`{judged}`：得分从事实文件的[judged]表中读取")
E214_TABLE_AS_VALUE = Message("E214", "`{name}` is a table of rows, not one value",
                              "`{name}`是由行组成的表，不是一个值")
E214_SCORE_ROWS = _help("score its rows with `{each} {name} {{ … }}`, or use an aggregate: `sum({name}.COLUMN)`, "
                        "`count({name})`",
                        "请用`{each} {name} {{ … }}`对各行计分，或者用汇总函数：`合计({name}.列)`、`行数({name})`")
E215_COLUMN_OUTSIDE = Message("E215", "`{table}.{column}` is written only as an aggregate's argument",
                              "`{table}.{column}`只能作为汇总函数的参数")
E215_EXAMPLE = _help("for example `sum({table}.{column})`; inside `{each}`, write the column's name alone: `{column}`",
                     "例如`合计({table}.{column})`；在`{each}`之中只写列名：`{column}`")
E216_COUNT_ROWS = Message("E216", "`{function}` counts the rows of a rows input",
                          "`{function}`统计的是行表输入项的行数")
E216_COUNT_FORM = _help("write `count(TABLE)` or `count(TABLE where COND)`", "请写`行数(表)`或`行数(表 筛选 条件)`")
E216_COLUMN_FORM = Message("E216", "`{function}` works over a column of rows, written `TABLE.COLUMN`",
                           "`{function}`作用于行的某一列，写作`表.列`")
E216_EXAMPLE = _help("for example `{function}({example})`", "例如`{function}({example})`")
E216_SAME_TABLE = Message("E216", "both columns of `weighted_mean` come from the same table",
                          "`加权平均`的两列必须来自同一个表")
E217_NOT_OPTIONAL = Message("E217", "`{text}` is not an optional column: `{function}` asks whether an optional column "
                            "has a value in this row",
                            "`{text}`不是可缺列：`{function}`判断的是可缺列在这一行是否有值")
E217_GIVEN_FORM = _help("write `given(COLUMN)` with a column declared `optional`; a required column always has a value",
                        "请对声明为`可缺`的列写`有值(列)`；必填的列总是有值")
E218_NO_COLUMNS = Message("E218", "`{name}` declares no columns", "`{name}`没有声明任何列")
E218_LIST_COLUMNS = _help('list the columns between the braces, one per line: `指标值: measure "年度指标值"`',
                          '在花括号中逐行列出各列：`指标值: 度量 "年度指标值"`')

E301_DEFAULT_TYPE = Message("E301", "the default of `{name}` must be a {type}", "`{name}`的默认值必须是{type}")
LITERAL_HELP = {
    "number": _help("write a number, like `0` or `12.5`", "请写数值，例如`0`或`12.5`"),
    "percent": _help("write a percentage, like `90%`", "请写百分比，例如`90%`"),
    "count": _help("write a whole number, like `0` or `12`", "请写整数，例如`0`或`12`"),
    "bool": _help("write `true` or `false` (`是` or `否`)", "请写`是`或`否`（`true`或`false`）"),
    "text": _help('write a quoted text, like `"无"`', '请写带引号的文本，例如`"无"`'),
    "measure": _help('write a value as the form writes it, in quotes, like `"≥10"` or `"95%"`, or a number',
                     '请像表上那样写在引号里，例如`"≥10"`或`"95%"`，或者写数值'),
}  # fmt: skip
E301_LET_TYPE = Message("E301", "`{name}` is declared {declared} but its formula gives {actual}",
                        "`{name}`声明为{declared}，但它的公式得出的是{actual}")
E301_COLUMN_KIND = Message("E301", "`{setting} {name}` needs {wanted}, and `{name}` is {type}",
                           "`{setting} {name}`需要{wanted}，而`{name}`是{type}")
WANTED_WEIGHT_COLUMN = _help("a number or percent column", "数值或百分比列")
WANTED_NUMBER_COLUMN = _help("a number column", "数值列")
WANTED_TEXT_COLUMN = _help("a text column", "文本列")
E301_COLUMNS_OF_KIND = _help("the columns of `{table}` that fit are {columns}", "`{table}`中可用的列有：{columns}")
E301_DECLARE_COLUMN = _help("`{table}` has no such column: declare one in its `rows {{ … }}`, for example "
                            "`{example}`", "`{table}`没有这样的列：请在它的`行表 {{ … }}`中声明一个，例如`{example}`")
E301_GRADE_NEEDS_GRADE = Message("E301", "`grade` needs a grade value, and this is {type}",
                                 "`等级`需要等级值，而这里是{type}")
E301_USE_TIERS = _help("use `tiers` for numbers; declare the input as `grade(优, 良, 中, 差)`",
                       "数值请用`分档`；或把输入项声明为`等级(优, 良, 中, 差)`")
E301_NEGATE = Message("E301", "`-` needs a number, and this is {type}", "`-`需要数值，而这里是{type}")
E301_NOT = Message("E301", "`not` needs true or false, and this is {type}", "`非`需要是或否的值，而这里是{type}")
E301_ARITHMETIC = Message("E301", "`{op}` needs numbers, and `{operand}` is {type}",
                          "`{op}`需要数值，而`{operand}`是{type}")
E301_ARITHMETIC_HELP = _help("arithmetic works on number, percent and count values",
                             "算术运算只能用于数值、百分比和计数")
E301_LOGICAL = Message("E301", "`{op}` joins conditions, and `{operand}` is {type}",
                       "`{op}`连接的是条件，而`{operand}`是{type}")
E301_COMPARE_FIRST = _help("compare it first, for example `x > 0`", "请先进行比较，例如`x > 0`")
E301_IF_CONDITION = Message("E301", "the condition after `if` must be true or false, and this is {type}",
                            "`如果`后面的条件应当得出是或否，而这里是{type}")
E301_BRANCHES = Message("E301", "the two branches differ: {then} after `then`, {other} after `else`",
                        "两个分支的类型不同：`则`后面是{then}，`否则`后面是{other}")
E301_EQUALITY_ONLY = Message("E301", "{kind} values can only be compared with `==` or `!=`",
                             "{kind}值只能用`==`或`!=`比较")
E301_CANNOT_COMPARE = Message("E301", "cannot compare {left} with {right}", "{left}不能与{right}比较")
E301_COMPARE_LIKE = _help("compare numbers with numbers, a grade with one of its labels",
                          "数值与数值比较，等级与它的某个标签比较")
E301_ASK_QUALITATIVE = _help('a measure is not compared with a text: "{text}" is read as a qualitative measure, and '
                             "`{call}` asks whether the row's is one; `{achievement}(…)` compares a number with its "
                             "target",
                             '度量不与文本比较："{text}"读作定性指标，`{call}`判断该行的值是否为定性指标；'
                             "数值与目标的比较用`{achievement}(…)`")
E301_MEASURE_BY_FUNCTION = _help("a measure is compared through `{achievement}(actual, target)` (with its target) "
                                 "or `{call}` (whether it is qualitative), not with a text",
                                 "度量通过`{achievement}(完成值, 指标值)`（与目标比较）或`{call}`（是否为定性指标）"
                                 "来比较，不与文本比较")
E301_FUNCTION_NUMBERS = Message("E301", "`{function}` needs numbers, and `{operand}` is {type}",
                                "`{function}`需要数值，而`{operand}`是{type}")
E301_DIRECTION = Message("E301", "the direction of `{function}` is 正向, 反向, 等于 or 定性 (or a direction column), "
                         "and this is {type}",
                         "`{function}`的方向是正向、反向、等于或定性（或方向列），而这里是{type}")
E301_NUMBERS_OR_MEASURES = Message("E301", "`{function}` needs numbers or measures, and `{operand}` is {type}",
                                   "`{function}`需要数值或度量，而`{operand}`是{type}")
E302_NOT_BOOL = Message("E302", "{what} must be true or false, and this is {type}",
                        "{what}应当得出是或否，而这里是{type}")
E302_COMPARE_IT = _help("compare it, for example `x > 0` or `结果 == 优`", "请进行比较，例如`x > 0`或`结果 == 优`")
E302_NOT_NUMBER = Message("E302", "{what} must be a number, and this is {type}", "{what}必须是数值，而这里是{type}")
E302_NUMBER_COLUMN = Message("E302", "`{function}` needs a number column, and `{column}` is {type}",
                             "`{function}`需要数值列，而`{column}`是{type}")
E302_MEASURE_OR_DIRECTION = Message("E302", "`{function}` needs a measure or a direction, and this is {type}",
                                    "`{function}`需要度量或方向，而这里是{type}")
E303_RANGE_ON_NON_NUMBER = Message("E303", "a range only fits numbers, and `{name}` is {type}",
                                   "范围只能用于数值，而`{name}`是{type}")
E303_LOW_ABOVE_HIGH = Message("E303", "the range's low end is above its high end", "范围的下限高于上限")
E303_SMALLER_FIRST = _help("write the smaller bound first", "请先写较小的界限")
E303_DEFAULT_OUTSIDE = Message("E303", "the default of `{name}` lies outside its range",
                               "`{name}`的默认值不在它的范围之内")
E303_COUNT_BOUNDS = Message("E303", "a count's range bounds are whole numbers", "计数的范围界限必须是整数")
E304_NOT_A_LABEL = Message("E304", "`{label}` is not a label of {type}", "`{label}`不是{type}的标签")
E304_THE_LABELS = _help("the grade lists {labels}", "这个等级的标签有：{labels}")
E304_DID_YOU_MEAN = _help("did you mean `{guess}`? the grade lists {labels}",
                          "是不是`{guess}`？这个等级的标签有：{labels}")
E306_PERCENT_RANGE = Message("E306", "a percent input's range is written in percent",
                             "百分比输入项的范围要用百分比书写")
E306_PERCENT_VS_PLAIN = Message("E306", "`{subject}` is a percent, but {value} is a plain number",
                                "`{subject}`是百分比，但{value}是普通数值")
E306_RATING_PERCENT = Message("E306", "the rating compares the total, in points, and `{text}` is {value} points",
                              "评级比较的是总分（分数），而`{text}`是{value}分")
E306_RATING_POINTS = _help("write the points: `{op} {points}` is {text} of the total",
                           "请写分数：`{op} {points}`即总分的{text}")
E306_RATING_POINTS_ONLY = _help("write the threshold in points, like `>= 90`", "请用分数写界限，例如`>= 90`")
E306_PER_STEP = Message("E306", "`{subject}` is a percent, but the step {step} is a plain number",
                        "`{subject}`是百分比，但步长{step}是普通数值")
E306_WRITE_STEP = _help("write `{step}%`: each step is then {step} percentage point(s), as in 每低1个百分点",
                        "请写成`{step}%`：每一步即{step}个百分点，如“每低1个百分点”")
E308_PERCENT_AMOUNT = Message("E308", "a `{kind}` amount is in points, and `{text}` would mean {points} points",
                              "`{kind}`的数额以分计，`{text}`会被当作{points}分")
E308_WRITE_POINTS = _help("write the points themselves", "请直接写分数")
E308_WRITE_POINTS_EXAMPLE = _help("write the points themselves; 10% of the weight {weight} is `{tenth}`",
                                  "请直接写分数；分值{weight}的10%是`{tenth}`")

E401_RULE_ON_GROUP = Message("E401", "`{path}` holds child indicators, so it cannot have a scoring rule",
                             "`{path}`有下级指标，不能有计分规则")
E401_MOVE_RULE = _help("move the rule into a child indicator, or remove the children",
                       "请把规则移到某个下级指标中，或者去掉下级指标")
E401_ADJUSTMENT_ON_GROUP = Message("E401", "`{path}` holds child indicators, so it cannot have adjustments",
                                   "`{path}`有下级指标，不能有扣分或加分")
E401_MOVE_ADJUSTMENT = _help("move the deduction into the child indicator it concerns",
                             "请把扣分移到它所针对的下级指标中")
E402_NO_INDICATORS = Message("E402", "the ruleset has no indicators", "规则集中没有指标")
E402_ADD_INDICATOR = _help("add at least one `indicator NAME weight N {{ ... }}`",
                           "请至少加上一个`指标 名称 分值 N {{ ... }}`")
E402_NO_RULE = Message("E402", "`{path}` has no scoring rule", "`{path}`没有计分规则")
E402_ROWS_NO_RULE = Message("E402", "the rows of `{path}` have no scoring rule here", "`{path}`的行在这里没有计分规则")
E403_RULES = Message("E403", "`{path}` has more than one scoring rule", "`{path}`有不止一条计分规则")
E403_ROW_RULES = Message("E403", "a row's body has more than one scoring rule", "一行的计分体中有不止一条计分规则")
E404_APPLIES = Message("E404", "`{path}` has more than one `applies`", "`{path}`有不止一个`适用`")
E404_NOTES = Message("E404", "`{path}` has more than one `note`", "`{path}`有不止一个`说明`")
E404_JOIN_NOTES = _help("join the notes into one text", "请把几段说明合成一段")
E404_ROW_APPLIES = Message("E404", "a row's body has more than one `applies`", "一行的计分体中有不止一个`适用`")
E405_EACH_AND_MORE = Message("E405", "`{path}` holds `{each}`, so it holds nothing else but `{note}` and `{applies}`",
                             "`{path}`中有`{each}`，除`{note}`和`{applies}`外不能再有别的内容")
E405_MOVE = _help("move this into the `{each}` block, or into an indicator of its own",
                  "请把它移到`{each}`块中，或者单独作为一个指标")
E405_MOVE_ADJUSTMENT = _help(
    "inside the `{each}` block it would be taken from every row; to take it once, write it at the top level of the "
    "file (outside every indicator), or in an indicator of its own",
    "写进`{each}`块就会每一行都扣（加）一次；只算一次的，请写在文件顶层（不在任何指标内），或者单独作为一个指标")
E406_AFTER_BODY = Message("E406", "`{setting}` comes after the scoring body", "`{setting}`写在了计分体之后")
E406_SETTINGS_FIRST = _help("put `{where}`, `{group}`, `{key}` and `{weight}` first in the `{each}` block",
                            "在`{each}`块中先写`{where}`、`{group}`、`{key}`和`{weight}`")
E406_TWICE = Message("E406", "`{setting}` is given twice", "`{setting}`写了两次")
E407_NO_WEIGHT = Message("E407", "the `{each}` of `{path}` does not say how its rows share the weight",
                         "`{path}`的`{each}`没有说明各行如何分配分值")
E407_ADD_WEIGHT = _help("add `{weight} COLUMN` (each row's 分值 from a column) or `{weight} {evenly}`",
                        "请加上`{weight} 列`（每行的分值取自某列）或`{weight} {evenly}`")
E408_BODY_AND_ARMS = Message("E408", "an `{each}` block holds either one leaf body or `{when} … {{ }}` arms, not both",
                             "`{each}`块中要么是一个计分体，要么是`{when} … {{ }}`分支，不能两者都有")
E408_MOVE = _help("move this into the arms, or into an `{otherwise} {{ … }}` arm",
                  "请把它移到分支中，或者移到`{otherwise} {{ … }}`分支中")
E409_ONE_ELSE = Message("E409", "the arms of an `{each}` end with exactly one `{otherwise} {{ … }}`",
                        "`{each}`的分支必须以唯一一个`{otherwise} {{ … }}`结尾")
E409_ADD_ELSE = _help("add `{otherwise} {{ … }}` after the last `{when}` arm: every row must be scored by some arm",
                      "在最后一个`{when}`分支后加上`{otherwise} {{ … }}`：每一行都必须由某个分支计分")
E409_KEEP_ONE_ELSE = _help("keep one `{otherwise}` arm, the last; join the others into it",
                           "只保留最后一个`{otherwise}`分支，把其余的合并进去")
E409_ELSE_LAST = _help("move the `{otherwise}` arm after the last `{when}` arm",
                       "把`{otherwise}`分支移到最后一个`{when}`分支之后")
E410_TOP_SUM = Message("E410", "the top-level weights add up to {sum}, but `{total}` is {value}",
                       "顶层指标的分值合计{sum}，但`{total}`是{value}")
E410_MAKE_TOP_ADD_UP = _help("make the weights of the top-level indicators ({parts}) add up to `{total}`, "
                             "or change `{total}`",
                             "请让顶层指标的分值（{parts}）合计等于`{total}`，或者修改`{total}`")
E410_OUT_OF_SUM = Message("E410", "the weights inside `{path}` add up to {sum}, but it is scored `out of` {out_of}",
                          "`{path}`下各指标的分值合计{sum}，但它按`满分`{out_of}计")
E410_MAKE_OUT_OF = _help("make the children's weights ({parts}) add up to {out_of}, or change the `out of` value",
                         "请让下级指标的分值（{parts}）合计等于{out_of}，或者修改`满分`的值")
E410_GROUP_SUM = Message("E410", "the weights inside `{path}` add up to {sum}, but its weight is {weight}",
                         "`{path}`下各指标的分值合计{sum}，但它的分值是{weight}")
E410_MAKE_GROUP = _help("make the children's weights ({parts}) add up to the parent's weight; for a block printed "
                        "「（80分）」 over rows worth 100, write `{keyword} 80 out of 100`",
                        "请让下级指标的分值（{parts}）合计等于上级指标的分值；如果表上写着「（80分）」而各行合计100分，"
                        "请写`{keyword} 80 满分 100`")
E411_NO_WEIGHT = Message("E411", "`{path}` has no `{weight}`", "`{path}`没有`{weight}`")
E411_WRITE_WEIGHT = _help("write `{weight} N` after the name; only an indicator holding `{each} … {weight} COLUMN` "
                          "takes its weight from its rows",
                          "请在名称后写`{weight} N`；只有含`{each} … {weight} 列`的指标才从各行取分值")
E411_WEIGHT_ZERO = Message("E411", "the weight of `{path}` must be above zero", "`{path}`的分值必须大于零")
E411_OUT_OF_ZERO = Message("E411", "the `out of` of `{path}` must be above zero", "`{path}`的`满分`必须大于零")
E412_OUT_OF_ON_LEAF = Message("E412", "`{path}` is a leaf, so `out of` has nothing to convert",
                              "`{path}`是末级指标，`满分`没有可折算的内容")
E412_BELONGS_TO_GROUP = _help("`out of` belongs to a group whose children add up to it",
                              "`满分`用于下级指标分值合计等于它的上级指标")
E420_NO_HEADER = Message("E420", "the file has no `ruleset` header", "文件中没有`规则集`开头")
E420_START_WITH = _help('start the file with `ruleset "NAME" {{ total 100 }}`',
                        '请以`规则集 "名称" {{ 总分 100 }}`开始文件')
E421_TOTAL_ZERO = Message("E421", "`total` must be above zero", "`总分`必须大于零")
E421_NO_TOTAL = Message("E421", "the header has no `total`", "开头部分没有`总分`")
E421_ADD_TOTAL = _help("add `total 100` (the sum of the top-level weights) to the header",
                       "请在开头部分加上`总分 100`（顶层指标分值之和）")
E422_SECOND_HEADER = Message("E422", "a second `ruleset` header", "第二个`规则集`开头")
E422_MERGE = _help("a rule file holds one ruleset; merge the two headers",
                   "一个规则文件只有一个规则集；请把两个开头合并")
E422_HEADER_KEY_TWICE = Message("E422", "`{key}` is given twice in the header", "开头部分`{key}`写了两次")
E422_KEEP_ONE_LINE = _help("keep one `{key}` line", "只保留一行`{key}`")
E423_PRECISION = Message("E423", "`precision` must be a whole number from 0 to {limit}", "`精度`必须是0到{limit}的整数")
E423_MOST_TABLES = _help("most tables use `precision 2`", "大多数表用`精度 2`")
E430_RATING_NO_ELSE = Message("E430", "the rating has no `{otherwise}` band", "评级没有`{otherwise}`档")
E430_END_RATING = _help('end it with `{otherwise}: "差"` so every total gets a rating',
                        '请以`{otherwise}: "差"`结尾，使每个总分都有评级')
E430_TIERS_NO_ELSE = Message("E430", "this tier table has no `{otherwise}` arm", "这个分档表没有`{otherwise}`档")
E430_END_TIERS = _help("end the table with `{otherwise}: 0` (or the points for every other value)",
                       "请以`{otherwise}: 0`（或其余情况的得分）结束分档表")
E431_RATING_AFTER_ELSE = Message("E431", "this rating band comes after `else` and is never used",
                                 "这个评级档写在`否则`之后，永远用不上")
E431_TIER_AFTER_ELSE = Message("E431", "this tier comes after `else` and can never be reached",
                               "这一档写在`否则`之后，永远不会被用到")
E431_UNREACHABLE = Message("E431", "the tier `{op} {value}` can never be reached: the tiers above it already take "
                           "every such value",
                           "`{op} {value}`这一档永远不会被用到：上面的各档已经涵盖了所有这样的值")
E431_RATING_UNREACHABLE = Message("E431", "the rating band `{op} {value}` can never be reached: the bands above it "
                                  "already take every such total",
                                  "评级档`{op} {value}`永远不会被用到：上面的各档已经涵盖了所有这样的总分")
E431_REORDER_RATING = _help("reorder the bands (for `>=`, highest first) or remove this one",
                            "请调整各档顺序（`>=`从高到低），或者删掉这一档")
E431_REORDER = _help("reorder the tiers (a `>=` table highest first, a `<=` table lowest first) or remove this one",
                     "请调整各档顺序（`>=`的分档表从高到低，`<=`的从低到高），或者删掉这一档")
E433_SHARE_ABOVE_WEIGHT = Message("E433", "{share} is more than the whole weight", "{share}超过了全部分值")
E433_SHARE_RANGE = _help("a share of the weight lies between 0% and 100%", "分值的比例应在0%到100%之间")
E433_POINTS_ABOVE_WEIGHT = Message("E433", "{points} points is more than the weight {weight}",
                                   "{points}分超过了分值{weight}")
E433_AWARD_AT_MOST = _help("award at most {weight} points, or `full`", "最多给{weight}分，或者写`满分`")
E434_MISSING_GRADES = Message("E434", "the grade arms do not cover {labels}", "等级分支没有涵盖{labels}")
E434_ADD_ARMS = _help("add an arm for each missing grade, or an `else` arm",
                      "请为每个缺少的等级加一个分支，或者加一个`否则`分支")
E435_TWO_ARMS = Message("E435", "the grade `{label}` has two arms", "等级`{label}`有两个分支")
E435_ONE_ARM = _help("keep one arm per grade", "每个等级只保留一个分支")
E436_BAND_TWICE = Message("E436", "the band `{band}` is given twice", "区间`{band}`写了两次")
E436_EMPTY = Message("E436", "the band `{band}` is empty", "区间`{band}`是空的")
E436_LOWER_FIRST = _help("write the lower share first, like `[60%, 80%)`", "请先写较小的比例，例如`[60%, 80%)`")
E436_OUTSIDE = Message("E436", "the band `{band}` reaches outside 0%..100%", "区间`{band}`超出了0%..100%")
E436_NO_BAND = Message("E436", "`bands` lists no band", "`区间`中没有列出任何区间")
E436_LIST_BANDS = _help('list bands like `"达成": [80%, 100%]`, or write `judged` alone',
                        '请列出区间，例如`"达成": [80%, 100%]`，或者只写`评定`')
E436_GAP = Message("E436", "no band contains {points} points: the bands leave a gap",
                   "没有区间包含{points}分：各区间之间有空缺")
E436_OVERLAP = Message("E436", "the bands {bands} overlap at {points} points", "区间{bands}在{points}分处重叠")
E436_COVER = _help("the bands must cover 0% to 100% of the weight, each value in exactly one band; "
                   "close each boundary on one side only: `[80%, 100%]`, `[60%, 80%)`, `[0, 60%)`",
                   "各区间必须覆盖分值的0%到100%，每个值恰好落在一个区间中；每个分界点只在一侧闭合："
                   "`[80%, 100%]`、`[60%, 80%)`、`[0, 60%)`")
E437_BOUND_PERCENT = Message("E437", "band bounds are shares of the weight, written in percent",
                             "区间界限是分值的比例，要用百分比书写")
E437_WRITE_PERCENT = _help("write `{value}%`; only `0` may stand alone", "请写成`{value}%`；只有`0`可以不带百分号")
E440_CLAUSE_TWICE = Message("E440", "`{key}` is given twice in this {kind}", "这条`{kind}`中`{key}`写了两次")
E441_STEP_ZERO = Message("E441", "the `per` step must be above zero", "`每`的步长必须大于零")
E104_TOO_MANY_INDICATORS = Message("E104", "{count} indicators is more than the limit of {limit}",
                                   "{count}个指标超过了{limit}个的上限")
E104_TOO_MANY_ARMS = Message("E104", "{count} arms is more than the limit of {limit}",
                             "{count}个分支超过了{limit}个的上限")
E104_SPLIT_TABLE = _help("split the table, or compute the value with a formula", "请拆分这个表，或者用公式计算")


def messages() -> dict[str, Message]:
    """Every entry of this catalogue by its name (`TYPE_NAMES[count]` for one of a table)."""
    found: dict[str, Message] = {}
    for name, value in globals().items():
        if isinstance(value, Message):
            found[name] = value
        elif isinstance(value, dict):
            found |= {f"{name}[{key}]": entry for key, entry in value.items() if isinstance(entry, Message)}
    return found


# Every code perfrules reports; docs/errors.md (E, F), docs/forms.md (W), docs/cases.md (C) explain each.
CODES = frozenset(m.code for m in messages().values() if m.code is not None)

# ---- what to do, for errors that said only what is wrong (every error says what to do)
NUMBER_WANTED = _help("write a number, a percent or a formula of them here (a grade or a text is compared in a "
                      "condition instead: `if 结果 == 优 then 10 else 5`)",
                      "这里请写数值、百分比或它们的公式（等级或文本要放在条件里比较，"
                      "例如`如果 结果 == 优 则 10 否则 5`）")
NONZERO_DIVISOR = _help("divide by a number that is not 0", "请除以不为0的数")
TAKES_VALUES = _help("give `{function}` {wanted} value(s), separated by commas",
                     "请给`{function}`写{wanted}个值，用逗号隔开")
NAME_A_ROWS_INPUT = _help("an aggregate reads a table declared `rows`: write TABLE.COLUMN with such a table",
                          "汇总函数读取声明为`行表`的表：请写 表.列，表须是行表")
ONE_TABLE = _help("take both columns from one table: `weighted_mean(T.VALUE, T.WEIGHT)`",
                  "两列请取自同一个表：`加权平均(表.值, 表.权数)`")
NUMBER_COLUMN_WANTED = _help("name a number, percent, count or measure column", "请写数值、百分比、计数或度量列")
MEASURE_WANTED = _help("name a measure (a column or input declared `measure`) or a direction",
                       "请写度量（声明为`度量`的列或输入项）或方向")
DIRECTION_WANTED = _help("write 正向, 反向, 等于 or 定性, or name a column declared `direction`",
                         "请写正向、反向、等于或定性，或者写声明为`方向`的列")
REMOVE_RANGE = _help("remove `in LOW..HIGH`: only number, percent, count and measure values take a range",
                     "请删去范围：只有数值、百分比、计数和度量可以有范围")
DEFAULT_IN_RANGE = _help("choose a default within the range, or widen the range",
                         "请选一个范围之内的默认值，或者放宽范围")
WHOLE_BOUNDS = _help("write whole numbers, like `in 0..10`", "请写整数界限，例如`0..10`")
LABEL_ONCE = _help("list each label once, best first", "每个标签只列一次，从好到差")
LET_TYPE_FIX = _help("declare it as {actual}, or change the formula to give {declared}",
                     "请把它声明为{actual}，或者修改公式使其得出{declared}")
WEIGHT_ABOVE_ZERO = _help("give it a weight above zero, or remove the indicator",
                          "请给它大于零的分值，或者删去这个指标")
OUT_OF_ABOVE_ZERO = _help("write the scale its children's weights add up to, like `out of 100`",
                          "请写下级指标分值合计的满分，例如`满分 100`")
TOTAL_ABOVE_ZERO = _help("write the sum of the top-level weights, like `total 100`",
                         "请写一级指标分值之和，例如`总分 100`")
BAND_ONCE = _help("name each band once", "每个区间只写一次")
BAND_WITHIN = _help("write shares of the weight between 0% and 100%, like `[80%, 100%]`",
                    "请写分值的0%到100%之间的比例，例如`[80%, 100%]`")
STEP_ABOVE_ZERO = _help("write a step above zero, like `per 1` or `per 1%`", "请写大于零的步长，例如`每 1`或`每 1%`")
WRITE_A_NUMBER = _help("write the figure as a number, without quotes or unit: 8881.35",
                       "请写成数值，不加引号和单位：8881.35")
CHECK_THE_FIGURE = _help("check the figure: no budget or count comes near this limit (a unit or digits too many?)",
                         "请核对这个数：任何预算或数量都到不了这个上限（单位写错或多了几位？）")
WRITE_TRUE_OR_FALSE = _help('write true or false (or "是" / "否")', '请写true或false（或"是"/"否"）')
WITHIN_THE_RANGE = _help("write a value within the range, or correct the range in the rules",
                         "请填写范围之内的值，或者修改规则文件中的范围")
SHORTER_MEASURE = _help('write the value as on the form, in a few characters: "≥95%", "6艘"',
                        '请像表上那样简短地写：“≥95%”、“6艘”')
POINTS_AS_NUMBER = _help("write the points as a number, like 8 or 7.5", "请把得分写成数值，例如8或7.5")
POINTS_WITHIN_WEIGHT = _help("write points from 0 to {weight}", "请填写0到{weight}之间的得分")
BECAUSE_IN_QUOTES = _help('write the reason in quotes: because = "…"', '请把原因写在引号里：because = "…"')
OVERRIDE_FORM = _help('write `"{path}" = {{ points = P, because = "..." }}`',
                      '请写成`"{path}" = {{ points = P, because = "..." }}`')
ROW_AS_TABLE = _help('write each row as a `[[facts."{table}"]]` table of column = value lines',
                     '每一行写成一个`[[facts."{table}"]]`表，逐行写 列 = 值')
WEIGHT_ZERO_OR_MORE = _help("write the row's weight as 0 or more", "请把该行的分值写成0或更大的数")
CHECK_THE_PATH = _help("check the file's name and folder, and that you may read it",
                       "请核对文件名和文件夹，以及是否有读取权限")
ONE_OBJECT_A_LINE = _help('write each line as one JSON object: {{"input": value, …}}',
                          '每一行写一个JSON对象：{{"输入项": 值, …}}')
SAME_CELLS_AS_HEADER = _help("give every row as many cells as the header has columns",
                             "每一行的单元格数要与表头的列数相同")
FIX_CSV_ROW = _help('save the sheet as "CSV UTF-8", and check that row: its quotes, its length',
                    '请把表格另存为"CSV UTF-8"，并检查这一行：引号是否成对、长度是否过长')
BRANCHES_ALIKE = _help("make both branches give the same kind of value: two numbers, two percents, two texts, …",
                       "两个分支要得出同一类值：都是数值、都是百分比、都是文本……")
EQUAL_OR_NOT = _help("write `==` or `!=` here", "这里请写`==`或`!=`")

