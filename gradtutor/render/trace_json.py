"""Render, trace as JSON: TraceResult → the stable JSON document (no rich import)."""

from __future__ import annotations

import json
from typing import Any

from ..api import TraceResult
from ..graph import definition, vname
from .numbers import decimal_text, exact_text, json_number
from .trace_view import kink_notes


def trace_json_text(result: TraceResult) -> str:
    return json.dumps(trace_json(result), indent=2, ensure_ascii=False) + "\n"


def trace_json(result: TraceResult) -> dict[str, Any]:
    """The stable JSON document (see the README)."""
    graph = result.graph
    tangents = {row.index: row.v_dot for row in result.tangent.rows} if result.tangent else {}
    adjoints = result.reverse.adjoints
    nodes = []
    for node, value in zip(graph.nodes, result.forward.values, strict=True):
        item: dict[str, Any] = {"id": node.index, "v": vname(node.index), "name": node.name,
                                "op": node.op, "shape": list(node.shape),
                                "definition": definition(node),
                                "value": json_number(value), "exact": exact_text(value),
                                "adjoint": json_number(adjoints[node.index])}
        if tangents:
            item["tangent"] = json_number(tangents[node.index])
        nodes.append(item)
    check = result.verification
    doc: dict[str, Any] = {
        "expression": graph.source, "output": graph.output_name,
        "inputs": {k: json_number(v) for k, v in result.point.items()},
        "value": json_number(result.value),
        "value_text": decimal_text(result.value),
        "gradient": {k: json_number(v) for k, v in result.gradient.items()},
        "gradient_text": {k: decimal_text(v) for k, v in result.gradient.items()},
        "gradient_exact": {k: exact_text(v) for k, v in result.gradient.items()},
        "derivatives": {k: str(v) for k, v in result.derivatives.items()},
        "nodes": nodes,
        "notes": [*result.graph.notes, *kink_notes(result)],
        "verified": {"sympy_max_error": _err(check.sympy_error),
                     "finite_difference_max_error": _err(check.fd_error),
                     "agrees": check.agrees, "notes": [n for n in (check.symbolic_note,
                                                                   check.fd_note) if n]},
    }
    if result.tangent is not None:
        doc["tangent"] = {"wrt": result.tangent.wrt, "value": json_number(result.tangent.output)}
    return doc


def _err(value: Any) -> float | int | str | None:
    return None if value is None else json_number(value)
