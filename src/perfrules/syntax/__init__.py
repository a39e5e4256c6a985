"""Stage 1, syntax: source text -> syntax tree (`nodes`), by the Lark LALR grammar.

keywords (the two keyword sets), lalr (lark behind one interface), lexing (where statements
end; the limits), parser (the parse, syntax messages, the AST builder), recovery (every
syntax error of a file at once), nodes (the tree)."""
