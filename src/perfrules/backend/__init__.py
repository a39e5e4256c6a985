"""Stage 4, backend: checked model -> Python code that scores it.

rows (a rows ruleset made concrete for one project's validated rows: a version 1 model),
compile (code generation, the closed operator table, generated lines mapped to rule spans),
reference (a plain interpreter of the model that the generated code is tested against)."""
