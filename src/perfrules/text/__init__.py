"""Stage 6, text: results and diagnostics -> what people read.

render (terminal tables and diagnostics), explain (the working of every score), report
(Markdown/HTML/xlsx reports), filedform (the 10号 form to file), summary (a folder of results on
one page), check_output (`check` as text/JSON/GitHub/SARIF)."""
