"""The command line's own words: wrong usage (exit 2), and what a command says of the files it
reads and writes. A usage error comes before any rule file is read, so its language is
`--lang`, else PERFRULES_LANG, else English."""

from __future__ import annotations

from perfrules.catalogue import Message


def _say(en: str, zh: str) -> Message:
    return Message(None, en, zh)


ERROR = _say("perfrules: error: {message}", "perfrules：错误：{message}")

NO_SUCH_FILE = _say("{path}: no such file", "{path}：没有这个文件")
NO_SUCH_FILE_OR_FOLDER = _say("{path}: no such file or folder", "{path}：没有这个文件或文件夹")
IS_A_FOLDER = _say("{path}: is a folder, not a file", "{path}：是文件夹，不是文件")
NO_FOLDER = _say("{path}: the folder {folder} does not exist", "{path}：文件夹{folder}不存在")
NO_RULE_FILES = _say("{path}: no rule files (*.rules) there", "{path}：那里没有规则文件（*.rules）")
FORM_KINDS = _say("{path}: perfrules reads forms saved as .xlsx, .xlsm, .xls or .csv",
                  "{path}：perfrules读取另存为.xlsx、.xlsm、.xls或.csv的表格")
AT_LEAST_ONE = _say("{option} needs a number of 1 or more", "{option}需要不小于1的数")
SWAPPED = _say("RULES and FACTS are swapped: the rule file comes first: perfrules {command} {rules} {facts}",
               "规则文件与事实文件写反了：规则文件在前：perfrules {command} {rules} {facts}")
EVAL_NEEDS_FACTS = _say("eval needs a FACTS file (or --batch FILE|DIR)",
                        "eval需要一个事实文件（或--batch 文件|文件夹）")
REPORT_CANNOT_WRITE = _say(
    "{path}: a report is written as markdown (.md), html (.html) or xlsx (.xlsx), not as {suffix}; for a PDF, "
    "write .html and print it from a browser",
    "{path}：报告可写成markdown（.md）、html（.html）或xlsx（.xlsx），不能写成{suffix}；要PDF，请写成.html后在浏览器中打印")
CSV_NEEDS_BATCH = _say("--format csv goes with --batch", "--format csv只用于--batch")
UNKNOWN_COMMAND = _say("unknown command {command}", "未知的命令{command}")
NEW_RULES_TAKES_NO_RULES = _say("`new rules` takes no RULES ({rules}): it writes one; -o names the file",
                                "`new rules`不读规则文件（{rules}）：它写一个；用-o指定文件名")
NEW_FACTS_NEEDS_RULES = _say("`new facts` needs the RULES file whose facts it writes: perfrules new facts RULES",
                             "`new facts`需要规则文件，按它写事实文件：perfrules new facts 规则文件")
EXISTS = _say("{path} exists; give --force to replace it", "{path}已存在；要替换请加--force")
FROM_XLSX_ONLY = _say("--from-xlsx takes the indicators and their weights from the form: leave out --indicator "
                      "and --total", "--from-xlsx从表格读取指标及其分值：请去掉--indicator和--total")
SHEET_WITH_XLSX = _say("--sheet goes with --from-xlsx", "--sheet只用于--from-xlsx")
CANNOT_WRITE_STARTER = _say("cannot write the starter: {problems}", "无法写出起始规则文件：{problems}")
INTERVIEW_ENDED = _say("the interview ended before it was done; give the answers as flags "
                       "(perfrules new rules --help)",
                       "问答未完成就结束了；请用选项给出答案（perfrules new rules --help）")
NEEDS_HYPOTHESIS = _say("--properties needs hypothesis: pip install 'perfrules[testing]'",
                        "--properties需要hypothesis：pip install 'perfrules[testing]'")
RULES_WITHOUT_CASES = _say("a rule file without cases is tested with --properties",
                           "没有案例文件的规则文件请用--properties测试")
FMT_NO_FILES = _say("fmt found no .rules files", "fmt没有找到.rules文件")
BATCH_FORMATS = _say("--batch writes json lines or csv, not {format}", "--batch输出JSON行或CSV，不能输出{format}")
REASONS_WITH_JSON = _say("--reasons goes with JSON lines (a CSV cell cannot hold a list of reasons)",
                         "--reasons只用于JSON行（CSV的一个单元格放不下扣分原因列表）")
CSV_NO_ROWS = _say("a CSV row cannot hold the rows of {tables}; give the records as JSON lines (one object per "
                   "line, rows as a list) or as a folder of facts files",
                   "CSV的一行放不下{tables}的各行；请给JSON行（每行一个对象，各行为列表）或事实文件的文件夹")
OWN_INPUT = _say("{path} is the batch's own input: write the results to another file",
                 "{path}就是这批评分的输入：请把结果写到另一个文件")
CANNOT_WRITE = _say("cannot write {path}: {reason}", "无法写入{path}：{reason}")
CANNOT_READ = _say("cannot read {path}: {reason}", "无法读取{path}：{reason}")
FORM_NEEDS_ROWS = _say("--layout form needs a ruleset whose indicators are rows (a `rows` input)",
                       "--layout form需要指标为行表的规则集（有`行表`输入）")
XLSX_ESCAPED = _say("note: {path}: control characters that an xlsx cell cannot hold ({count}) are written as "
                    "`\\x01`-style escapes",
                    "说明：{path}：xlsx单元格不能容纳的控制字符（{count}个）已写成`\\x01`形式的转义")
XLSX_NEEDS_OUTPUT = _say("--format xlsx needs an output file: add `-o report.xlsx`",
                         "--format xlsx需要输出文件：加上`-o report.xlsx`")

# ---- what a command says of the files it writes (stderr) ---------------------------------

WROTE = _say("wrote {path}", "已写入{path}")
NEXT_STEPS = _say("next: perfrules check {path}; perfrules new facts {path}",
                  "下一步：perfrules check {path}；perfrules new facts {path}")
NEXT_STEPS_FORM = _say("next: edit its scoring standards, then perfrules check {path}; perfrules eval {path} {form}",
                       "下一步：按本单位的评分标准修改后，perfrules check {path}；perfrules eval {path} {form}")
NOTE = _say("note: {text}", "说明：{text}")
FORM_READ = _say("{path}: {rows} rows under {count} 一级指标 ({levels})",
                 "{path}：{count}个一级指标（{levels}）下共{rows}行")
NONE = _say("none", "无")
FORM_WEIGHTS_NOT_90 = _say("the form's 分值 add up to {weights}, not 90 (100 less the 10 of 预算执行率): "
                           "`perfrules eval` refuses the form until they do; correct the form, or the weights "
                           "in the rule file",
                           "表内分值合计{weights}，不是90（100分减去预算执行率的10分）：合计不符时`perfrules eval`"
                           "不予评分；请更正表格，或修改规则文件中的分值")
FORM_NO_ROWS = _say("the form has no 绩效指标 rows: the starter scores 预算执行率 only",
                    "表内没有绩效指标行：起始规则文件只对预算执行率评分")

# ---- `perfrules new rules`: an indicator, a total or a title that cannot be used ----------

INDICATOR_FORM = _say("`{text}`: write NAME=WEIGHT or NAME=WEIGHT:KIND, like 产出指标=50:比例",
                      "`{text}`：请写成 名称=分值 或 名称=分值:评分方法，例如 产出指标=50:比例")
INDICATOR_KIND = _say("`{text}`: `{kind}` is not a way of scoring; write one of 执行率 (execution), 比例 (ratio), "
                      "分档 (tiers), 评定 (judged)",
                      "`{text}`：`{kind}`不是评分方法；请写执行率、比例、分档或评定之一")
INDICATOR_WEIGHT = _say("`{text}`: the weight `{weight}` is not a number", "`{text}`：分值`{weight}`不是数")
TOTAL_NOT_A_NUMBER = _say("the total `{total}` is not a number", "总分`{total}`不是数")
TOTAL_NOT_POSITIVE = _say("the total {total} must be more than 0", "总分{total}必须大于0")
NOT_A_NAME = _say("`{name}` cannot be a name: a name is letters, 汉字, digits and `_`, and does not start with a digit",
                  "`{name}`不能作名称：名称由字母、汉字、数字和`_`组成，且不以数字开头")
NAME_IS_KEYWORD = _say("`{name}` is a keyword (or a function) of the language; choose another name",
                       "`{name}`是规则语言的关键字（或函数名）；请另取名称")
TITLE_EMPTY = _say("the title is empty", "规则集名称为空")
TITLE_CHARACTERS = _say("the title cannot hold `\"`, `\\` or a line break", "规则集名称不能含有`\"`、`\\`或换行")
NO_INDICATOR = _say("there is no indicator", "没有指标")
NAMED_TWICE = _say("`{name}` is named twice", "`{name}`重复了")
WEIGHT_NOT_POSITIVE = _say("`{name}`: the weight {weight} must be more than 0", "`{name}`：分值{weight}必须大于0")
ONE_EXECUTION = _say("only one indicator can be scored by budget execution (执行率): they would share its inputs",
                     "只能有一个指标按预算执行率评分：几个指标会共用同一组输入")
WEIGHTS_NOT_TOTAL = _say("the weights add up to {weights}, not to the total {total}: change a weight or the total",
                         "各指标分值合计{weights}，不等于总分{total}：请修改分值或总分")

# ---- `perfrules eval --batch` -------------------------------------------------------------

BATCH_KINDS = _say("{path}: a batch is a .jsonl or .csv file, or a folder of .toml facts files and .xlsx/.xls forms",
                   "{path}：批量评分的输入是.jsonl或.csv文件，或存放.toml事实文件和.xlsx/.xls表格的文件夹")
HEADER_UNREADABLE = _say("{path}:1:1: the header cannot be read: {problem}", "{path}:1:1：表头无法读取：{problem}")
HEADER_TWICE = _say("{path}:1:{column}: the header names the column `{key}` twice (columns {first} and {column}); "
                    "keep one of them, which one is meant cannot be guessed",
                    "{path}:1:{column}：表头两次列出`{key}`列（第{first}列和第{column}列）；请只保留一列，"
                    "无法判断以哪一列为准")
# a failed record on stderr: `where` is the batch's name and the record (RECORD_ROW, or a file's name)
RECORD_ROW = _say("row {row}", "第{row}行")
OF_RECORD = _say("{batch}: {record}", "{batch}：{record}")
AT = _say("{location}: ", "{location}：")
RECORD_AT = _say("{where}: {place}", "{where}：{place}")  # then `error: MESSAGE [CODE]` (Diagnostic.line)
# A batch that stops part way (issue 16, items 7 and 12): the error, then the last line says why and what is kept
BATCH_WORKER_DIED = _say("a worker process ended in the middle of the batch (killed, or out of memory)",
                         "有一个工作进程在批处理中途结束（被终止，或内存不足）")
BATCH_SPILL_FAILED = _say("cannot write the batch's temporary files in {folder}: {reason}",
                          "无法在{folder}中写入批处理的临时文件：{reason}")
STOPPED = _say("the batch stopped", "批处理已停止")
STOPPED_WORKER_DIED = _say("a worker process died", "一个工作进程意外结束")
STOPPED_SPILL_FAILED = _say("the batch's temporary files could not be written", "批处理的临时文件无法写入")
STOPPED_BY_SIGNAL = _say("interrupted by {signal}", "被{signal}中断")
STOPPED_OUTPUT_FAILED = _say("the output could not be written", "输出无法写入")
STANDARD_OUTPUT = _say("the standard output", "标准输出")
KEPT_IN_ORDER = _say("the results of those records are written, in order", "这些记录的结果已按顺序写出")
KEPT_AS_IT_WAS = _say("{path} is left as it was", "{path}保持原样")
KEPT_NOT_WRITTEN = _say("{path} is not written", "{path}未写出")
BATCH_STOPPED = _say("{done}; stopped: {why}; {kept}", "{done}；已停止：{why}；{kept}")
BATCH_DONE = _say("{scored:,} scored, {failed:,} failed", "已评分{scored:,}条，失败{failed:,}条")
# the rate on a progress bar (perfrules.cli.progress): `rate` is already formatted (`12,539`)
RECORDS_PER_SECOND = _say("{rate} records/s", "{rate}条/秒")
EXAMPLES_PER_SECOND = _say("{rate} examples/s", "{rate}个例子/秒")

# ---- argparse's own errors (exit 2), matched by their English text (perfrules.cli) ----------

ARGPARSE_ERROR = _say("{prog}: error: {message}", "{prog}：错误：{message}")
ARG_INVALID_CHOICE = _say("argument {argument}: invalid choice: {value} (choose from {choices})",
                          "参数{argument}：无效的选项{value}（可选：{choices}）")
ARG_INVALID_VALUE = _say("argument {argument}: invalid {type} value: {value}",
                         "参数{argument}：无效的{type}值：{value}")
ARG_ONE_VALUE = _say("argument {argument}: expected one argument", "参数{argument}：需要一个值")
ARG_REQUIRED = _say("the following arguments are required: {arguments}", "缺少以下参数：{arguments}")
ARG_UNRECOGNIZED = _say("unrecognized arguments: {arguments}", "无法识别的参数：{arguments}")
# an argparse message none of the above matches (a newer Python's wording): shown as argparse wrote it
ARG_AS_WRITTEN = _say("{message}", "{message}")
ARGPARSE_MESSAGES = (ARG_INVALID_CHOICE, ARG_INVALID_VALUE, ARG_ONE_VALUE, ARG_REQUIRED, ARG_UNRECOGNIZED)

# ---- perfrules fmt -------------------------------------------------------------------------

NOT_UTF8 = _say("{path}: not UTF-8 text; not formatted", "{path}：不是UTF-8文本；未格式化")
FMT_FAILED = _say("perfrules: fmt: {problem}", "perfrules：fmt出错：{problem}")
FMT_UNEXPECTED = _say("line {line}: unexpected character {character}", "第{line}行：意外的字符{character}")
FMT_DOES_NOT_LOAD = _say("{path}: the formatted text does not load ({error}); the file was left as it was",
                         "{path}：格式化后的文本无法载入（{error}）；文件保持原样")
FMT_WOULD_CHANGE = _say("{path}: formatting would change the ruleset; the file was left as it was",
                        "{path}：格式化会改变规则集的含义；文件保持原样")
WOULD_REFORMAT = _say("would reformat {path}", "将重新格式化{path}")
REFORMATTED = _say("reformatted {path}", "已重新格式化{path}")
FMT_SUMMARY = _say("{changed} file{s} reformatted, {unchanged} unchanged{errors}",
                   "已重新格式化{changed}个文件{s:.0}，{unchanged}个未变{errors}")
FMT_CHECK_SUMMARY = _say("{changed} file{s} would be reformatted, {unchanged} unchanged{errors}",
                         "{changed}个文件{s:.0}将被重新格式化，{unchanged}个未变{errors}")
WITH_ERRORS = _say(", {count} with errors", "，{count}个有错误")

# ---- perfrules test -----------------------------------------------------------------------

NO_CASES_FILES = _say("no *{suffix} files found under {paths}", "{paths}下没有找到*{suffix}文件")
CASES_OF_RULES = _say("{path} (rules: {rules})", "{path}（规则文件：{rules}）")
CASE_PASSED = _say("  ok   {name}", "  通过   {name}")
CASE_FAILED = _say("  FAIL {name}  ({where})", "  未通过 {name}（{where}）")
STOPPED_AT_FIRST = _say("stopped at the first failure (-x)", "遇到第一个失败即停止（-x）")
# a case's differences from what it expects (the keys `total`, `rating`, `points`, `lost_paths`,
# `lost`, `veto` are the cases file's own, in either language)
DIFF_EVAL_FAILED = _say("evaluation failed, but the case expects a result:\n{error}",
                        "评分出错，但本案例预期得到结果：\n{error}")
DIFF_WRONG_ERROR = _say("expected an error containing {fragment}; the error was:\n{error}",
                        "预期出错信息含有{fragment}；实际的出错信息是：\n{error}")
DIFF_NO_ERROR = _say("expected an error containing {fragment}, but evaluation succeeded (total {total})",
                     "预期出错信息含有{fragment}，但评分成功（总分{total}）")
DIFF_UNKNOWN_PATH = _say("{key}: unknown indicator `{path}`", "{key}：未知的指标`{path}`")
DIFF_UNKNOWN_PATH_GUESS = _say("{key}: unknown indicator `{path}` (did you mean `{guess}`?)",
                               "{key}：未知的指标`{path}`（是不是`{guess}`？）")
DIFF_TOTAL = _say("total: expected {expected}, got {got}", "total：预期{expected}，实际{got}")
DIFF_RATING = _say("rating: expected {expected}, got {got}", "rating：预期{expected}，实际{got}")
DIFF_VETO_EXPECTED = _say("veto: expected a veto, got none", "veto：预期否决，实际未否决")
DIFF_VETO_UNEXPECTED = _say("veto: expected no veto, got a veto ({because})",
                            "veto：预期不否决，实际被否决（{because}）")
DIFF_VETO_REASON = _say("veto: expected a veto whose reason contains {fragment}, got {got}",
                        "veto：预期否决理由含有{fragment}，实际为{got}")
DIFF_POINTS = _say("points of `{path}`: expected {expected}, got {got}", "`{path}`的得分：预期{expected}，实际{got}")
DIFF_NOT_LOST = _say("lost_paths: expected `{path}` to lose points; it scored {points} (full marks or not applicable)",
                     "lost_paths：预期`{path}`扣分，实际得{points}分（满分或不适用）")
DIFF_LOST = _say("lost_paths: `{path}` lost {points} points, not expected: {reasons}",
                 "lost_paths：`{path}`扣了{points}分，不在预期之内：{reasons}")
DIFF_LOST_NONE = _say("lost `{path}`: expected it to lose points with reasons containing {fragments}; it lost none",
                      "lost `{path}`：预期扣分且扣分原因含有{fragments}，实际未扣分")
DIFF_NO_REASON = _say("lost `{path}`: no reason contains {fragment}; the reasons are:\n{reasons}",
                      "lost `{path}`：没有一条扣分原因含有{fragment}；扣分原因为：\n{reasons}")

K_NOT_CLOSED = _say("-k {expression}: a `(` is not closed", "-k {expression}：`(`没有闭合")
K_WORD_AT_END = _say("-k {expression}: expected a word at the end", "-k {expression}：末尾缺少一个词")
K_WORD_BEFORE = _say("-k {expression}: expected a word before `{word}`", "-k {expression}：`{word}`之前缺少一个词")
K_UNEXPECTED = _say("-k {expression}: unexpected `{word}`", "-k {expression}：多余的`{word}`")
TESTS_OK = _say("ok: {summary}", "通过：{summary}")
TESTS_FAILED = _say("FAILED: {summary}", "未通过：{summary}")
TESTS_SUMMARY = _say("{files} file{s}: {passed} passed, {failed} failed",
                     "{files}个文件{s:.0}：{passed}个通过，{failed}个未通过")
TESTS_DESELECTED = _say(", {count} deselected", "，{count}个未选")
TESTS_BROKEN = _say(", {count} file{s} with errors", "，{count}个文件{s:.0}有错误")
TESTS_PROPERTIES_FAILED = _say(", {count} propert{ies} failed", "，{count}项性质{ies:.0}未通过")

# ---- a bug ----------------------------------------------------------------------------------

INTERNAL_ERROR = _say("perfrules: internal error: {error}\nthis is a bug in perfrules; set PERFRULES_DEBUG=1 to see "
                      "where it happened",
                      "perfrules：内部错误：{error}\n这是perfrules的缺陷；设置PERFRULES_DEBUG=1可查看出错位置")
