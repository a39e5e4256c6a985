"""Stage 3, inputs: facts files, workbooks and CSV -> validated values for one evaluation.

facts (TOML/JSON facts, validation, every problem at once), fastchecks (the checks the
generated evaluator inlines for a plain dict), workbook (the 10号 form read by its
labels), xlsxgrid (a fast read of an .xlsx sheet's cells)."""
