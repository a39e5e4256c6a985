"""The workload on zen-engine (GoRules' ZEN, a Rust rules engine with Python bindings).

    pip install "zen-engine==2.1.3"        # or: pip install ".[bench]"

The workload is one JSON Decision Model (JDM) graph, generated from bench/workload.py:
request -> an expression node that computes the 14 indicators and 4 deductions ->
an expression node that sums them, floors at 0 and rounds to 2 decimals -> response.
It runs through `ZenEngine({"loader": ...}).evaluate(key, context)`, the API the
package's README shows for graphs loaded by key; the loader hands back a parsed
`ZenDecisionContent`, made once.

zen takes JSON-like input: Decimal values are passed as floats (each record's Decimals
have at most 2 decimals, which a float's shortest repr gives back exactly) and results
come back as floats; they are turned into Decimal through their repr for verification.

Modes: total (the graph returns only the total), breakdown (and every item), trace
(breakdown, evaluated with {"trace": True}, and zen's trace, every node's input and output,
returned with it under "_trace", as the perfrules adapter returns its `to_dict()`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import workload

NAME = "zen-engine"
MODES = ("total", "breakdown", "trace")
DECIMAL_FIELDS = ("budget", "spent", "satisfaction",
                  *(f"out{k}_{side}" for k in sorted(workload.RATE_OUTPUTS) for side in ("target", "actual")))

Run = Callable[[list[dict[str, Any]]], list[tuple[Decimal, dict[str, Any] | None]]]


def version() -> str:
    from importlib.metadata import version as installed

    return installed("zen-engine")


def _node(node_id: str, kind: str, content: dict[str, Any] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "name": node_id, "type": kind, "position": {"x": 0, "y": 0}}
    if content is not None:
        node["content"] = content
    return node


def _expressions(node_id: str, pairs: list[tuple[str, str]], pass_through: bool) -> dict[str, Any]:
    return _node(node_id, "expressionNode", {
        "expressions": [{"id": f"{node_id}{k}", "key": key, "value": value} for k, (key, value) in enumerate(pairs)],
        "passThrough": pass_through,
    })


def item_expressions() -> list[tuple[str, str]]:
    """The 18 items, as ZEN expressions over the request's fields."""
    pairs = [("items.exec_rate", "min([spent / budget, 1]) * 10")]
    for k, weight in enumerate(workload.OUTPUT_WEIGHTS, start=1):
        c = f"(out{k}_actual / out{k}_target)"
        pairs.append((f"items.out{k}", f"{c} >= 1 ? {weight} : ({c} >= 0.6 ? {weight} * {c} : 0)"))
    for k, weight in enumerate(workload.EFFECT_WEIGHTS, start=1):
        g = f"eff{k}_grade"
        pairs.append((f"items.eff{k}",
                      f"{g} == '优' ? {weight} : ({g} == '良' ? {weight} * 0.8 : ({g} == '中' ? {weight} * 0.6 : 0))"))
    pairs.append(("items.satisfaction",
                  "satisfaction >= 0.9 ? 10 : (satisfaction >= 0.8 ? 8 : (satisfaction >= 0.6 ? 6 : 0))"))
    pairs += [("items.ded_late", "late_report ? 1 : 0"), ("items.ded_monitoring", "missing_monitoring ? 2 : 0"),
              ("items.ded_audit", "audit_issue ? 0.5 : 0"),
              ("items.ded_training", "min([max([trainings_planned - trainings_held, 0]) * 0.2, 2])")]
    return pairs


def graph(mode: str) -> dict[str, Any]:
    """The JDM graph for a mode: the items node, then the total node."""
    points = " + ".join(f"items.{k}" for k in workload.POINT_KEYS)
    deductions = " + ".join(f"items.{k}" for k in workload.DEDUCTION_KEYS)
    total = [("total", f"round(max([({points}) - ({deductions}), 0]), 2)")]
    if mode != "total":
        total.append(("items", "items"))
    nodes = [_node("request", "inputNode"), _expressions("items", item_expressions(), False),
             _expressions("sum", total, False), _node("response", "outputNode")]
    edges = [{"id": f"e{k}", "sourceId": a, "targetId": b, "type": "edge"}
             for k, (a, b) in enumerate((("request", "items"), ("items", "sum"), ("sum", "response")))]
    return {"nodes": nodes, "edges": edges}


def to_context(r: dict[str, Any]) -> dict[str, Any]:
    out = dict(r)
    for key in DECIMAL_FIELDS:
        out[key] = float(r[key])
    return out


def _decimal(x: Any) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def build(mode: str) -> Run:
    import zen

    # The loader runs on every evaluate; returning parsed content (ZenDecisionContent) rather
    # than JSON text spares a parse of the graph per record (~300 -> ~45 µs).
    content = zen.ZenDecisionContent(json.dumps(graph(mode)))
    engine = zen.ZenEngine({"loader": lambda key: content})
    evaluate = engine.evaluate
    options: Any = {"trace": True} if mode == "trace" else None

    def run(records: list[dict[str, Any]]) -> list[tuple[Decimal, dict[str, Any] | None]]:
        out: list[tuple[Decimal, dict[str, Any] | None]] = []
        for r in records:
            response = evaluate("workload", to_context(r), options) if options else evaluate("workload", to_context(r))
            result = response["result"]
            items: dict[str, Any] | None = None
            if mode != "total":
                items = {k: _decimal(v) for k, v in result["items"].items()}
                if options:
                    items["_trace"] = response["trace"]  # kept with the breakdown, as perfrules keeps its to_dict()
            out.append((_decimal(result["total"]), items))
        return out

    return run
