"""Stage 2, semantics: syntax tree -> checked model; what the language means.

check (the structure -> model), expressions (names and types of formulas), model (the
checked ruleset), arithmetic (the meaning of every operator and function on exact
decimals), measure (年度指标值 as written: `≥95%`, `6艘`), declared (what the rules ask of
the facts), bounds (the largest value a reason can print)."""
