"""The shape of a result's JSON, for the generated writer (writer.py): each field as a node that
says what kind of value it holds, and the Python that builds it as data (`to_dict`) or writes it
as text, exactly as `json.dumps(data, ensure_ascii=False, indent=2)` writes that data (`to_json`).

A node's Python reads the writer's locals (`code`); fixed parts go through `const`, the writer's
constant pool, so no text of the rules is pasted into the generated code. Only the JSON schema's
own keys are written as literals.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

Const_ = Callable[[Any], str]  # a value -> the name of the constant that holds it


class Node:
    __slots__ = ()


class Fixed(Node):
    """JSON data known when the writer is made (a fresh copy per result if it is a list or dict)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Number(Node):
    """A number as the schema writes it: a str of digits, a point and a sign, which JSON need not escape."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class Text(Node):
    """A str."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class Scalar(Node):
    """A str, None or a bool."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class Flag(Node):
    """A bool."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class Data(Node):
    """Any JSON data, made at run time (the facts' meta, a veto): written by the serializer."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class Obj(Node):
    """An object with these keys, in order; `data_keys`: its keys come from the rules (else the schema)."""

    __slots__ = ("data_keys", "fields")

    def __init__(self, fields: list[tuple[str, Node]], data_keys: bool = False) -> None:
        self.fields = fields
        self.data_keys = data_keys


class Arr(Node):
    """An array of these items."""

    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items


class Each(Node):
    """An array with one `item` for each element (`name`) of the list `code`."""

    __slots__ = ("code", "item", "name")

    def __init__(self, code: str, name: str, item: Node) -> None:
        self.code = code
        self.name = name
        self.item = item


class Texts(Node):
    """A list of str made for this result: the data is the list itself."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class Ready(Node):
    """A value already made in the form asked for: data, or text at its depth (the writer's rows)."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


class Maybe(Node):
    """`node` where `condition` holds, else null."""

    __slots__ = ("condition", "node")

    def __init__(self, condition: str, node: Node) -> None:
        self.condition = condition
        self.node = node


# ---- as data -------------------------------------------------------------------------------------


def data(node: Node, const: Const_) -> str:
    """Python for the node's value as plain data (a new list or dict each time it runs)."""
    match node:
        case Fixed(value=value):
            return literal(value, const)
        case Number(code=code) | Text(code=code) | Scalar(code=code) | Flag(code=code) | Data(code=code):
            return code
        case Texts(code=code) | Ready(code=code):
            return code
        case Obj(fields=fields, data_keys=data_keys):
            pairs = [f"{const(k) if data_keys else json.dumps(k)}: {data(value, const)}" for k, value in fields]
            return "{" + ", ".join(pairs) + "}"
        case Arr(items=items):
            return "[" + ", ".join(data(item, const) for item in items) + "]"
        case Each(code=code, name=name, item=Text(code=same)) if same == name:
            return f"{code}[:]"  # a copy of a list of str
        case Each(code=code, name=name, item=item):
            return f"[{data(item, const)} for {name} in {code}]"
        case Maybe(condition=condition, node=inner):
            return f"({data(inner, const)} if {condition} else None)"
    raise AssertionError(node)  # pragma: no cover


def literal(value: Any, const: Const_) -> str:
    """Python for a fresh copy of JSON data known now."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{const(k)}: {literal(v, const)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v, const) for v in value) + "]"
    if value is None or isinstance(value, bool):
        return repr(value)
    return const(value)


def statements(node: Obj, name: str, const: Const_) -> list[str]:
    """Lines that build an object into `name`: a copy of its fixed scalars, then the rest stored in.

    Copying a dict of constants and storing six values is a third faster than a 13-key display."""
    template = {k: v.value if isinstance(v, Fixed) and not isinstance(v.value, (dict, list)) else None
                for k, v in node.fields}  # fmt: skip
    lines = [f"{name} = {const(template)}.copy()"]
    for key, value in node.fields:
        target = f"{name}[{json.dumps(key)}]"
        if isinstance(value, Maybe):  # the template holds None where it does not hold
            lines += [f"if {value.condition}:", f"    {target} = {data(value.node, const)}"]
        elif not (isinstance(value, Fixed) and not isinstance(value.value, (dict, list))):
            lines.append(f"{target} = {data(value, const)}")
    return lines


# ---- as text -------------------------------------------------------------------------------------

Piece = tuple[bool, str]  # (is it Python code, the code or the fixed text)


def text(node: Node, depth: int, const: Const_) -> list[Piece]:
    """The node as JSON text at `depth` (lines after its first indented two spaces a level), in pieces."""
    match node:
        case Fixed(value=value):
            return [(False, indented(json.dumps(value, ensure_ascii=False, indent=2), depth))]
        case Number(code=code):
            return [(False, '"'), (True, code), (False, '"')]
        case Text(code=code):
            return [(True, f"_q({code})")]
        case Scalar(code=code):
            return [(True, f"_scalar({code})")]
        case Flag(code=code):
            return [(True, f'("true" if {code} else "false")')]
        case Data(code=code):
            return [(True, f"_data({code}, {depth})")]
        case Texts(code=code):
            return text(Each(code, "s", Text("s")), depth, const)
        case Ready(code=code):
            return [(True, code)]
        case Obj(fields=fields):
            if not fields:
                return [(False, "{}")]
            pieces: list[Piece] = [(False, "{\n")]
            for k, (key, value) in enumerate(fields):
                pieces.append((False, _indent(depth + 1) + json.dumps(key, ensure_ascii=False) + ": "))
                pieces += text(value, depth + 1, const)
                pieces.append((False, ",\n" if k < len(fields) - 1 else "\n"))
            return [*pieces, (False, _indent(depth) + "}")]
        case Arr(items=items):
            if not items:
                return [(False, "[]")]
            pieces = [(False, "[\n")]
            for k, item in enumerate(items):
                pieces.append((False, _indent(depth + 1)))
                pieces += text(item, depth + 1, const)
                pieces.append((False, ",\n" if k < len(items) - 1 else "\n"))
            return [*pieces, (False, _indent(depth) + "]")]
        case Each(code=code, name=name, item=item):
            # "[\n    a,\n    b\n  ]": the items, each at the next level, joined by a comma and a new line
            opening, between = const("[\n" + _indent(depth + 1)), const(",\n" + _indent(depth + 1))
            closing = const("\n" + _indent(depth) + "]")
            if isinstance(item, Text) and item.code == name:  # a list of str: no comprehension to run
                listed = f"_map(_q, {code})"
            else:
                listed = f"[{joined(text(item, depth + 1, const), const)} for {name} in {code}]"
            return [(True, f"({opening} + {between}.join({listed}) + {closing} if {code} else {const('[]')})")]
        case Maybe(condition=condition, node=inner):
            return [(True, f"({joined(text(inner, depth, const), const)} if {condition} else {const('null')})")]
    raise AssertionError(node)  # pragma: no cover


def joined(pieces: list[Piece], const: Const_) -> str:
    """Python for the pieces joined into one str: fixed runs merged, each a constant."""
    codes: list[str] = []
    run = ""
    for is_code, part in pieces:
        if not is_code:
            run += part
            continue
        if run:
            codes.append(const(run))
            run = ""
        codes.append(part)
    if run:
        codes.append(const(run))
    if len(codes) == 1:
        return codes[0]
    return '"".join((' + "".join(code + ", " for code in codes) + "))"


def indented(json_text: str, depth: int) -> str:
    """JSON text written at depth 0, moved to `depth` (its first line stays where it is put)."""
    return json_text.replace("\n", "\n" + _indent(depth)) if depth else json_text


@functools.cache
def _indent(depth: int) -> str:
    return "  " * depth


# ---- what the text's Python calls ----------------------------------------------------------------

quoted = json.encoder.encode_basestring  # a str as JSON writes it with ensure_ascii=False (C, when built)


def scalar(value: Any) -> str:
    if type(value) is str:
        return quoted(value)
    return "null" if value is None else "true" if value is True else "false" if value is False else \
        json.dumps(value, ensure_ascii=False)  # fmt: skip


def data_text(value: Any, depth: int) -> str:
    """Any JSON data as `dumps` writes it, moved to `depth`."""
    if value is None:
        return "null"
    if value == {}:
        return "{}"
    return indented(dumps(value), depth)


NAMES = {"_q": quoted, "_scalar": scalar, "_data": data_text, "_map": map}  # for the writer's namespace


def dumps(data: Any, indent: int | None = 2) -> str:
    """JSON text exactly as `json.dumps(data, ensure_ascii=False, indent=indent)` writes it.

    orjson writes the same bytes for this data (strings, bools, None, ints, lists, dicts with
    string keys) some 20 times faster (bench/audit.py); the standard library stands in where
    orjson is not installed or refuses a value (a lone surrogate).
    """
    orjson = _orjson()
    if indent == 2 and orjson is not None:
        try:
            text: str = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
            return text
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
    return json.dumps(data, ensure_ascii=False, indent=indent)


@functools.cache
def _orjson() -> Any:
    # imported on the first to_json(), not with perfrules: a command that prints no JSON never pays for it
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; the stdlib writes the same text
        return None
    return orjson
