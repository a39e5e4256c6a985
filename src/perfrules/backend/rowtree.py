"""What the row loop (rowloop.py) does per group, at run time: a rows ruleset's tree of groups.

The expansion path (rows.py, then compile.py) makes one leaf per row and generates code for
the tree it then has. The row loop cannot generate code for a tree it has not seen, so the
groups are added up here instead, by the same steps in the same order as the code that
`compile._Emitter.indicator`, `.group` and `.not_applicable` generate: the same operations
on the same Decimals in the same context, hence the same values, digit for digit
(tests/test_rowloop.py holds the two side by side). Per row it does one step of a loop.

A leaf is a tuple `(path, weight, points, otherwise, applies)`: `points` None when the leaf
does not apply, `otherwise` its `applies … else` (None without `applies`). A group is a `Node`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from perfrules.semantics import arithmetic

Leaf = tuple[str, Decimal, Decimal | None, str | None, bool | None]
_ZERO = arithmetic.ZERO


class Bail(Exception):
    """Something the row loop does not vouch for: the expansion path scores these facts."""


class Node:
    """A group: a static indicator with children, an `each` indicator, or one of its sub-groups."""

    __slots__ = ("applies", "children", "has", "otherwise", "out_of", "path", "weight")

    def __init__(self, path: str, weight: Decimal, out_of: Decimal | None, otherwise: str | None,
                 applies: bool | None, children: list[Any]):  # fmt: skip
        self.path = path
        self.weight = weight
        self.out_of = out_of
        self.otherwise = otherwise
        self.applies = applies
        self.children = children
        self.has: bool | None = None  # "some child keeps its weight", for groups whose children can all share


def _can_share(node: Any) -> bool:
    """model.Indicator.can_share, for a node of the tree as the facts made it."""
    if type(node) is tuple:
        return bool(node[3] == "share")
    if node.otherwise == "share":
        return True
    return bool(node.children) and all(_can_share(c) for c in node.children)


def _has_slot(node: Any) -> bool:
    """Does the generated code keep a `has` for this group (all its children can share)?"""
    return type(node) is not tuple and bool(node.children) and all(_can_share(c) for c in node.children)


class Tree:
    """Adds up the groups of one evaluation; `points` holds every indicator's points in file order."""

    __slots__ = ("dropped", "points", "quantum", "zero")

    def __init__(self, precision: int):
        self.quantum = arithmetic.quantum(precision)
        self.zero = arithmetic.round_half_up(0, precision)
        self.dropped = _ZERO
        self.points: dict[str, Decimal] = {}

    def top(self, nodes: list[Any]) -> Decimal:
        """The sum of the top-level indicators' points (`raw_total`); `dropped` is what rescale drops."""
        one = Decimal(1)
        return sum([self.visit(node, one, True) for node in nodes], _ZERO)

    def visit(self, node: Any, factor: Decimal, top: bool = False) -> Decimal:
        """compile._Emitter.indicator: an indicator's points; `factor` takes its weight to the top scale."""
        if type(node) is tuple:
            path, weight, points, otherwise, applies = node
            if otherwise is not None and not applies:
                points = self.not_applicable(node, otherwise)
                if otherwise == "rescale" or (otherwise == "share" and top):
                    self.dropped = self.dropped + weight * factor
            self.points[path] = points
            return points  # type: ignore[no-any-return]
        self.points[node.path] = _ZERO  # its place in file order, before its children
        otherwise = node.otherwise
        if otherwise is not None and not node.applies:
            points = self.not_applicable(node, otherwise)
            if otherwise == "rescale" or (otherwise == "share" and top):
                self.dropped = self.dropped + node.weight * factor
            return points
        points = self.group(node, factor)
        if top and node.has is not None and not node.has:
            self.dropped = self.dropped + node.weight
        self.points[node.path] = points
        return points

    def group(self, node: Node, factor: Decimal) -> Decimal:
        """compile._Emitter.group: the children's sum, converted from `out of` and for weight shared away."""
        weight, out_of = node.weight, node.out_of
        scale = out_of if out_of is not None else weight
        child_factor = factor * weight / scale if scale else factor
        children = node.children
        visit = self.visit
        child_points = [visit(child, child_factor) for child in children]
        shared = [c for c in children if _can_share(c)]
        if out_of is None and not shared:
            return sum(child_points, _ZERO)
        scaled = sum(child_points, _ZERO)
        base = scale
        for child in shared:
            if not _keeps_weight(child):
                base = base - (child[1] if type(child) is tuple else child.weight)
        if shared and len(shared) == len(children):
            node.has = base > _ZERO
        if base <= _ZERO:
            return self.zero
        if out_of is None and base == weight:
            return scaled
        return (scaled * weight / base).quantize(self.quantum, ROUND_HALF_UP)

    def not_applicable(self, node: Any, otherwise: str) -> Decimal:
        """compile._Emitter.not_applicable: every indicator under `node` at its weight (full) or 0."""
        quantum = self.quantum
        if type(node) is tuple:
            return node[1].quantize(quantum, ROUND_HALF_UP) if otherwise == "full" else self.zero
        stack = [node]
        while stack:
            current = stack.pop()
            if type(current) is tuple:
                path, weight = current[0], current[1]
            else:
                path, weight = current.path, current.weight
                if _has_slot(current):
                    current.has = False
                current.applies = False if current.otherwise is not None else current.applies
                stack.extend(reversed(current.children))
            self.points[path] = weight.quantize(quantum, ROUND_HALF_UP) if otherwise == "full" else self.zero
        return self.points[node.path]


def _keeps_weight(child: Any) -> bool:
    """compile._Emitter.share_flag: the child applies (if it can share by itself), and if a group
    whose children can all share, some child of it keeps its weight."""
    if type(child) is tuple:
        return child[3] != "share" or bool(child[4])
    if child.otherwise == "share" and not child.applies:
        return False
    return not (child.has is not None and _has_slot(child) and not child.has)
