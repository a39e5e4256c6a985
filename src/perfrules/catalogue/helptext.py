"""The words of `perfrules --help` and of each command's `--help`: descriptions, the help of each
option, and argparse's own headings. The command line reads `--lang` (else PERFRULES_LANG, else
English) from argv before it builds its parser, so the help is in one language throughout.

argparse formats these texts with `%`: none of them may hold a `%` (a test checks it).
"""

from __future__ import annotations

from perfrules.catalogue import Message


def _help(en: str, zh: str) -> Message:
    return Message(None, en, zh)


# ---- argparse's own words -----------------------------------------------------------------

USAGE_PREFIX = _help("usage: ", "用法：")
POSITIONALS = _help("positional arguments", "位置参数")
OPTIONS = _help("options", "选项")
HELP = _help("show this help message and exit", "显示本帮助并退出")
VERSION = _help("show the version of perfrules and exit", "显示perfrules的版本并退出")
COMMAND = _help("COMMAND", "命令")

# ---- shared by several commands -------------------------------------------------------------

DESCRIPTION = _help("Evaluate budget performance scoring rules (绩效自评) exactly, with reasons.",
                    "按规则文件精确计算预算绩效自评得分，并写明扣分原因。")
RULES = _help("the rule file (.rules)", "规则文件（.rules）")
RULES_FOR_FACTS = _help("the rule file (.rules) (new facts)", "规则文件（.rules）（new facts用）")
LANG = _help("the language of messages (and headings): zh or en; default: PERFRULES_LANG, "
             "else Chinese for a rule file with Chinese keywords",
             "提示信息（及表头）的语言：zh或en；默认取PERFRULES_LANG，未设置时，用中文关键字写的规则文件用中文")
FACTS = _help("the facts file (.toml, .json) of one project, or a filled-in form (.xlsx, .xlsm, .xls, .csv)",
              "一个项目的事实文件（.toml、.json），或已填写的表格（.xlsx、.xlsm、.xls、.csv）")

# ---- check ----------------------------------------------------------------------------------

CHECK = _help("check rule files and report every error", "检查规则文件，列出全部错误")
CHECK_PATHS = _help("rule files (.rules), folders of them, or quoted globs like 'rulesets/**/*.rules'",
                    "规则文件（.rules）、存放规则文件的文件夹，或加引号的通配路径，如'rulesets/**/*.rules'")
CHECK_FORMAT = _help("text (default), json, github (workflow annotations) or sarif (SARIF 2.1.0)",
                     "text（默认）、json、github（工作流注释）或sarif（SARIF 2.1.0）")
CHECK_COLOR = _help("colour the text format: on a terminal unless NO_COLOR is set (default auto)",
                    "text格式是否着色：在终端上且未设置NO_COLOR时着色（默认auto）")

# ---- eval -----------------------------------------------------------------------------------

EVAL = _help("evaluate a rule file against a facts file (or a batch)", "按规则文件对事实文件（或一批记录）评分")
EVAL_FACTS = _help("a facts file (.toml, .json), or a filled-in form (.xlsx, .xlsm, .xls, .csv); leave it out "
                   "with --batch",
                   "事实文件（.toml、.json），或已填写的表格（.xlsx、.xlsm、.xls、.csv）；用--batch时不写")
EVAL_SHEET = _help("with a workbook: the sheet holding the form", "读取工作簿时：表格所在的工作表")
EVAL_FORMAT = _help("text table (default), json; with --batch: json lines (default) or csv",
                    "文本表格（默认）或json；用--batch时：JSON行（默认）或csv")
EVAL_BATCH = _help("score many records: a .jsonl or .csv file, or a folder of facts files (.toml, .json) and "
                   "filled-in forms (.xlsx, .xls, .csv)",
                   "批量评分：一个.jsonl或.csv文件，或存放事实文件（.toml、.json）和已填写表格（.xlsx、.xls、.csv）的文件夹")
EVAL_WORKERS = _help("processes for --batch (default 1)", "--batch使用的进程数（默认1）")
EVAL_REASONS = _help("with --batch: each JSON line also lists its 扣分原因 (path, points, reasons)",
                     "用--batch时：每个JSON行同时列出扣分原因（指标路径、扣分、原因）")
EVAL_OUTPUT = _help("write the result (or the batch's results) to FILE instead of the screen",
                    "把结果（或批量评分的结果）写入FILE，不在屏幕上显示")

# ---- import ---------------------------------------------------------------------------------

IMPORT = _help("read a filled-in form (.xlsx, .xlsm, .xls, .csv) into a facts file",
               "把已填写的表格（.xlsx、.xlsm、.xls、.csv）读成事实文件")
IMPORT_FORM = _help("the filled-in form", "已填写的表格")
IMPORT_RULES = _help("the rule file whose input labels name the form's cells",
                     "规则文件，按其输入项名称找到表格中的单元格")
IMPORT_OUTPUT = _help("default: print the facts file", "默认：直接显示事实文件")
IMPORT_SHEET = _help("the sheet holding the form (default: found by its labels)",
                     "表格所在的工作表（默认：按表内名称查找）")

# ---- test -----------------------------------------------------------------------------------

TEST = _help("run the *.cases.toml test cases of rulesets", "运行规则集的*.cases.toml测试案例")
TEST_PATHS = _help("cases files, folders of them (default: rulesets/), or rule files with --properties",
                   "案例文件、存放案例文件的文件夹（默认rulesets/），或用--properties时的规则文件")
TEST_PROPERTIES = _help("also check the built-in invariants and declared intentions with hypothesis",
                        "同时用hypothesis检验内置不变式和声明的意图")
TEST_EXAMPLES = _help("hypothesis examples per property", "每项性质检验的hypothesis例子数")
TEST_KEYWORD = _help("run only the cases whose name contains these words: `-k \"执行率 and not 超支\"`",
                     "只运行名称含这些词的案例：`-k \"执行率 and not 超支\"`")
TEST_SEED = _help("draw the property checks' examples from seed N: the same run, the same counterexample",
                  "用种子N生成性质检验的例子：同样的运行，得到同样的反例")
TEST_EXITFIRST = _help("stop at the first failing case", "遇到第一个未通过的案例即停止")
TEST_ALLOW_OUTSIDE = _help("let cases files name rule and facts files outside the folders given (or, for a cases "
                           "file given itself, outside its own folder)",
                           "允许用例文件指向所给文件夹之外的规则文件和数据文件（单独给出的用例文件：它自己的文件夹之外）")
TEST_JUNIT = _help("also write a JUnit XML report to FILE ('-': standard output, the report then to standard error)",
                   "同时把JUnit XML报告写入FILE（'-'：写到标准输出，报告改写到标准错误）")
TEST_COVERAGE = _help("list the tiers, grade arms, checklist items, adjustments, applies and vetoes that no case "
                      "exercises",
                      "列出没有案例覆盖到的分档、等级、检查项、加减分项、适用条件和否决项")

# ---- report ---------------------------------------------------------------------------------

REPORT = _help("write the score table and 存在的主要问题 as markdown, html or xlsx",
               "以markdown、html或xlsx写出评分表和存在的主要问题")
REPORT_FORMAT = _help("markdown (or md), html or xlsx; default: the one -o FILE names by its suffix (.md, .html, "
                      ".xlsx), else markdown",
                      "markdown（或md）、html或xlsx；默认：按-o FILE的后缀（.md、.html、.xlsx）选择，否则为markdown")
REPORT_OUTPUT = _help("default: print markdown/html", "默认：直接显示markdown或html")
REPORT_SHEET = _help("with a workbook as FACTS: the sheet holding the form", "FACTS为工作簿时：表格所在的工作表")
REPORT_LAYOUT = _help("table: the 评分表 with 评分标准 and 扣分原因 (default); form: the 10号 自评表 as filed, "
                      "for rows rulesets",
                      "table：含评分标准和扣分原因的评分表（默认）；form：按10号文报送格式的自评表，用于逐行计分的规则集")

# ---- new ------------------------------------------------------------------------------------

NEW = _help("write a starter file: `new facts RULES` (a facts file to fill in) or `new rules` (a rule file, "
            "from a short interview or a filled-in form)",
            "写出起始文件：`new facts RULES`（待填写的事实文件）或`new rules`"
            "（规则文件，经简短问答或由已填写的表格生成）")
NEW_WHAT = _help("facts: a facts file template for RULES; rules: a starter rule file",
                 "facts：按RULES写出事实文件模板；rules：写出起始规则文件")
NEW_OUTPUT = _help("write the file here (default: print)", "写入此文件（默认：直接显示）")
NEW_FORCE = _help("replace FILE if it exists", "FILE已存在时替换它")
NEW_RULES_GROUP = _help("on a terminal, what these leave open is asked; elsewhere (or with --no-input) it takes "
                        "its default",
                        "在终端上，下列选项未给出的内容会逐项询问；在其他场合（或加--no-input时）取默认值")
NEW_TITLE = _help("the ruleset's title (规则集名称)", "规则集名称")
NEW_KEYWORDS = _help("write the keywords in Chinese (default) or English", "关键字用中文（默认）或英文书写")
NEW_TOTAL = _help("the total points (default 100)", "总分（默认100）")
NEW_INDICATOR = _help("a top-level indicator, repeated for each; KIND is 执行率|execution, 比例|ratio (default), "
                      "分档|tiers or 评定|judged. Default: the 财预〔2020〕10号 split 预算执行率 10, 产出指标 50, "
                      "效益指标 30, 满意度指标 10",
                      "一个一级指标，每个指标写一次；评分方法为执行率、比例（默认）、分档或评定。默认按财预〔2020〕10号"
                      "分配：预算执行率10分、产出指标50分、效益指标30分、满意度指标10分")
NEW_FROM_XLSX = _help("make the starter from a filled-in 10号 自评表 (.xlsx, .xlsm, .xls, .csv): one indicator per "
                      "一级指标, rows scored as the form's standard says",
                      "由已填写的10号文自评表（.xlsx、.xlsm、.xls、.csv）生成起始规则文件：每个一级指标一个指标，"
                      "各行按表内评分标准计分")
NEW_SHEET = _help("with --from-xlsx: the sheet holding the form", "用--from-xlsx时：表格所在的工作表")
NEW_NO_INPUT = _help("ask nothing, even on a terminal", "不询问，即使在终端上")

# ---- fmt, explain, summary, completion ------------------------------------------------------

FMT = _help("rewrite rule files in the canonical layout (comments kept)", "按标准格式重写规则文件（保留注释）")
FMT_FILES = _help("rule files, or folders of them", "规则文件，或存放规则文件的文件夹")
FMT_CHECK = _help("change nothing; list the files that would change and exit 1 if any would",
                  "不做修改；列出会被修改的文件，有则以1退出")
FMT_LANG = _help("also write every keyword and function name in Chinese or English (and print messages in that "
                 "language)",
                 "同时把所有关键字和函数名改写为中文或英文（提示信息也用该语言）")
EXPLAIN = _help("show step by step how one indicator's points were computed", "逐步说明一个指标的得分是怎样算出的")
EXPLAIN_PATH = _help("the indicator's path, like 产出指标.培训", "指标路径，如产出指标.培训")
EXPLAIN_FORMAT = _help("text (default) or json", "text（默认）或json")
SUMMARY = _help("one page for a whole batch: ratings, totals, where points were lost",
                "一批评分结果的汇总页：评级、总分、失分所在")
SUMMARY_RESULTS = _help("the JSON lines of `perfrules eval RULES --batch … --reasons`",
                        "`perfrules eval RULES --batch … --reasons`输出的JSON行")
SUMMARY_OUTPUT = _help("summary.html or summary.xlsx (default: print the HTML)",
                       "summary.html或summary.xlsx（默认：直接显示HTML）")
SUMMARY_LANG = _help("the language of the summary: zh or en; default: PERFRULES_LANG, else zh",
                     "汇总页的语言：zh或en；默认取PERFRULES_LANG，未设置时用zh")
COMPLETION = _help("print a shell completion script: eval \"$(perfrules completion bash)\" (or zsh; fish: docs/cli.md)",
                   "显示shell补全脚本：eval \"$(perfrules completion bash)\"（或zsh；fish见docs/cli.md）")
COMPLETION_SHELL = _help("bash, zsh or fish", "bash、zsh或fish")
