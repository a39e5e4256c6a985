"""Stage 6, text: results and diagnostics -> what people read.

wording (formulas and each indicator's 评分标准 in words), render (terminal tables and
diagnostics), explain (the working of every score), scoretable (the 评分表 as rows, and the
存在的主要问题 paragraph), report (Markdown and HTML), report_xlsx (the workbook), filedform
(the 10号 form to file), summary (a folder of results on one page), check_output (`check` as
text/JSON/GitHub/SARIF)."""
