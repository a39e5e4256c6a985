"""Lark, behind one small interface: every use of lark's private parts is in this module.

`make_parser(postlex, rules, builder)` gives an LALR parser whose `parse(text, start)` returns
a `Node` holding the built AST. Two ways to get it:

- **fast** (lark 1.1.9 to 1.3, tested in CI): the grammar's prebuilt tables are loaded
  (`Lark._load_from_dict`) and the parser's reduce callbacks are replaced so that it builds
  AST nodes as it reduces (`build_while_parsing`). A separate tree and transform pass cost
  more than the parse itself.
- **public**: if a lark release changes those internals, the parser is built from the
  grammar with lark's public API only (`propagate_positions=True`, then a `Transformer` over
  the tree). Slower, and syntax errors are then reported one at a time (recovery needs the
  fast parser's stack of nodes), but every rule file parses to the same AST.
"""

from __future__ import annotations

import copy
import hashlib
import io
import operator
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import lark
from lark import Lark, Transformer
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild

# The LALR tables of the grammar, made once and shipped beside it: building them takes
# ~75 ms, the first load of every process; reading them ~5 ms. They are used only if made
# from this very grammar by this very lark; otherwise the parser is built from the grammar.
TABLES = "perfrules.tables.pickle"
# The shipped tables' SHA-256, checked before they are unpickled: a crafted file (the unpickler
# takes plain data only, but lark can still spend minutes and gigabytes on it) is never read.
# `write_tables` prints the value to put here.
TABLES_SHA256 = "b8bfa1d14d551ed3d8e281dc03f77dcd0c4047361fbd0a2afb0f9b49a6a8d752"
OPTIONS: dict[str, Any] = {
    "parser": "lalr", "lexer": "basic", "start": ["start", "expr"], "maybe_placeholders": True,
}  # fmt: skip

Rules = Mapping[str, Callable[..., Any]]


class UnknownInternals(RuntimeError):
    """This lark release's parser is not built as the fast path expects."""


def grammar_text() -> str:
    """The grammar shipped with the package (or, in a source checkout, grammars/)."""
    return grammar_file("perfrules.lark").decode("utf-8")


def grammar_file(name: str) -> bytes:
    # Beside the package when installed, in grammars/ at the top of a source checkout; importlib.resources
    # (3 ms to import) only for anything else, such as a zipped install.
    package = Path(__file__).resolve().parents[1]
    for path in (package / "grammars" / name, package.parents[1] / "grammars" / name):
        if path.is_file():
            return path.read_bytes()
    from importlib import resources

    return resources.files("perfrules.grammars").joinpath(name).read_bytes()


class Node:
    """A reduced rule on the parser's stack: the builder's value and the text the rule covers.

    Like Lark's propagate_positions, the text runs from the rule's first token to its last,
    counting the keywords and punctuation left out of the children, and a parenthesised
    expression covers its parentheses; start_pos is None when the rule matched no token.
    """

    __slots__ = ("children", "end_pos", "start_pos", "value")
    children: list[Any] | None  # the filtered children, until the builder has used them
    value: Any
    start_pos: int | None
    end_pos: int | None

    def __init__(self, children: list[Any]) -> None:
        self.children = children


def make_parser(postlex: Any, rules: Rules, builder: object, public_only: bool = False) -> Any:
    """An LALR parser for the grammar that builds the AST with `rules[name](builder, node, *children)`.

    Returns a `Lark` (fast) or a `PublicParser`; both have `parse(text, start)` -> Node.
    """
    if not public_only:
        try:
            tables = grammar_file(TABLES)
        except OSError:
            tables = b""
        parser = _from_tables(tables, postlex) or Lark(grammar_text(), postlex=postlex, **OPTIONS)
        try:
            build_while_parsing(parser, rules, builder)
            return parser
        except UnknownInternals:
            pass
    return PublicParser(postlex, rules, builder)


class _PlainData(pickle.Unpickler):
    """The tables are dicts, lists, tuples, strings, numbers, bools and None: nothing to import."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"the parser tables hold plain data only, not {module}.{name}")


def _from_tables(raw: bytes, postlex: Any, sha256: str = TABLES_SHA256) -> Lark | None:
    """A parser from tables written by `write_tables`, or None if they are not the tables recorded
    (`sha256`), or not for this grammar and lark."""
    current = {"grammar": hashlib.sha256(grammar_file("perfrules.lark")).hexdigest(), "lark": lark.__version__}
    load = getattr(Lark, "_load_from_dict", None)  # what lark's standalone parsers load with
    # Damaged tables (a disk error, a bad copy) can fail anywhere inside lark: fall back to the grammar.
    if hashlib.sha256(raw).hexdigest() != sha256:
        return None
    try:
        tables = _PlainData(io.BytesIO(raw)).load()
        if load is None or not isinstance(tables, dict) or any(tables.get(k) != v for k, v in current.items()):
            return None
        parser: Lark = load(tables["data"], tables["memo"], postlex=postlex)
    except Exception:
        return None
    return parser


def write_tables(path: str | Path, postlex: Any) -> None:
    """Write the parser tables for the grammar and the installed lark (see TABLES)."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    parser = Lark(grammar_text(), postlex=postlex, **OPTIONS)
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    del data["options"]["postlex"]  # an object, given again on load
    tables = {"grammar": hashlib.sha256(grammar_file("perfrules.lark")).hexdigest(), "lark": lark.__version__,
              "data": data, "memo": memo}  # fmt: skip
    raw = pickle.dumps(tables, protocol=4)
    Path(path).write_bytes(raw)
    print(f"TABLES_SHA256 = \"{hashlib.sha256(raw).hexdigest()}\"  # in perfrules/syntax/lalr.py")


def build_while_parsing(parser: Lark, rules: Rules, builder: object) -> None:
    """Make the LALR parser build AST nodes as it reduces, instead of a tree to transform.

    Positions come from the raw children of each reduction, where they are one attribute
    away. Lark's own wrappers still filter the children, add the placeholders of `[x]` and
    pass up a `?rule`'s single child; they just end in a Node instead of a Tree.
    """
    try:
        rule_builders = parser._parse_tree_builder.rule_builders
        callbacks = parser.parser.parser.parser.callbacks
    except AttributeError as exc:
        raise UnknownInternals(str(exc)) from exc
    if set(callbacks) != {rule for rule, _ in rule_builders}:
        raise UnknownInternals("unexpected parser callbacks")
    for _, wrappers in rule_builders:
        known = [w is ExpandSingleChild or getattr(w, "func", None) in (ChildFilterLALR, ChildFilterLALR_NoPlaceholders)
                 for w in wrappers]  # fmt: skip
        if not all(known):
            raise UnknownInternals(f"unknown tree-builder wrappers {wrappers}")
    for rule, wrappers in rule_builders:
        if wrappers == [ExpandSingleChild] and len(rule.expansion) == 1:
            # `?sum: product` and the like, half the reductions: the child goes up as it is, span included
            callbacks[rule] = operator.itemgetter(0)
            continue
        chain: Callable[[list[Any]], Any] = Node
        for wrapper in wrappers:
            chain = wrapper(chain)
        callbacks[rule] = _reducer(chain, _rule_builder(rule, rules), builder)


def _rule_builder(rule: Any, rules: Rules) -> Callable[..., Any] | None:
    name = rule.alias or rule.origin.name
    build = rules.get(name)
    # `_rule`s are inlined into their parent; a `?rule` without a method always has one child to pass up.
    if build is None and not (rule.origin.name.startswith("_") or rule.options.expand1):
        raise RuntimeError(f"no AST builder for the grammar rule {name!r}")
    return build


def _reducer(chain: Callable[[list[Any]], Any], build: Callable[..., Any] | None,
             builder: object) -> Callable[[list[Any]], Any]:  # fmt: skip
    def reduce(children: list[Any]) -> Any:
        node = chain(children)
        if type(node) is not Node:  # a lone token or placeholder passed up: Lark gives it no position either
            return node
        start = end = None
        for child in children:
            if child is not None:
                start = child.start_pos
                if start is not None:
                    break
        for child in reversed(children):
            if child is not None:
                end = child.end_pos
                if end is not None:
                    break
        node.start_pos, node.end_pos = start, end
        if build is not None and node.children is not None:
            node.value = build(builder, node, *[c.value if type(c) is Node else c for c in node.children])
            node.children = None
        return node

    return reduce


class PublicParser:
    """The grammar parsed to a tree and transformed, with lark's public API only."""

    recovers = False

    def __init__(self, postlex: Any, rules: Rules, builder: object) -> None:
        self.lark = Lark(grammar_text(), postlex=postlex, propagate_positions=True, **OPTIONS)
        self.terminals = self.lark.terminals
        self.transformer = _Building(rules, builder)

    def parse(self, text: str, start: str) -> Node:
        built = self.transformer.transform(self.lark.parse(text, start=start))
        node = Node([])
        node.value = built
        return node


class _Building(Transformer[Any, Any]):
    def __init__(self, rules: Rules, builder: object) -> None:
        super().__init__()
        self.rules = rules
        self.builder = builder

    def __default__(self, data: Any, children: list[Any], meta: Any) -> Any:
        build = self.rules.get(str(data))
        if build is None:  # pragma: no cover - every rule that reaches the tree has a builder
            raise RuntimeError(f"no AST builder for the grammar rule {data!r}")
        node = Node(children)
        empty = getattr(meta, "empty", True)
        node.start_pos = None if empty else meta.start_pos
        node.end_pos = None if empty else meta.end_pos
        return build(self.builder, node, *children)


def copy_interactive(interactive: Any) -> Any:
    """A copy of an interactive parser to try tokens on (error recovery).

    The values on the stack are shared with the copy, not deep-copied (they hold the AST
    built so far), except the children lists of the nodes of inlined `_rule`s not yet
    built: Lark's child filter extends those in place when it inlines them.
    """
    try:
        trial = interactive.copy(deepcopy_values=False)
    except TypeError:  # lark before 1.2 always deep-copies the values: share them, as newer lark can
        state = interactive.parser_state
        shared = type(state)(state.parse_conf, state.lexer, list(state.state_stack), list(state.value_stack))
        trial = type(interactive)(interactive.parser, shared, copy.copy(interactive.lexer_thread))
    values = trial.parser_state.value_stack
    for k, value in enumerate(values):
        if type(value) is Node and value.children is not None:
            clone = Node(list(value.children))
            clone.start_pos, clone.end_pos = getattr(value, "start_pos", None), getattr(value, "end_pos", None)
            if hasattr(value, "value"):
                clone.value = value.value
            values[k] = clone
    return trial
