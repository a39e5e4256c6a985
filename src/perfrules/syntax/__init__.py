"""Stage 1, syntax: source text -> syntax tree (`nodes`), by the Lark LALR grammar.

keywords (the two keyword sets), parser (tokens, grammar tables, tree builder, syntax
messages), recovery (every syntax error of a file at once), nodes (the tree)."""
