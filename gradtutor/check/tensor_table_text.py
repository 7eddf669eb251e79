"""Check, tensor tables (text): a node → its correct line of working, the first entry that
differs, the rows left out — the words of tensor_table's verdicts."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from ..graph import Graph, Node, definition, vname
from ..numeric import Value
from ..tensor import shape_text, tensor_text
from ..tensor_rules import TENSOR_RULES
from .tablefile import ADJOINT, PRIMAL
from .tensor_tablefile import TensorCell


def entry_value(entry: Any) -> Value:
    """An entry as an exact number (a float as the Fraction it is)."""
    return Fraction(float(entry)) if isinstance(entry, float | np.floating) else entry


def first_difference(want: np.ndarray, given: np.ndarray) -> str:
    for idx in np.ndindex(np.shape(want)):
        a, b = np.asarray(want, dtype=object)[idx], np.asarray(given, dtype=object)[idx]
        if entry_value(a) != entry_value(b):
            where = f"Entry [{', '.join(map(str, idx))}]" if idx else "The value"
            return f"{where} differs: it should be {tensor_text(a)}, yours is {tensor_text(b)}."
    return "The values differ."


def definition_text(node: Node) -> str:
    names = [vname(a) if isinstance(a, int) else str(a.value) for a in node.args]
    if node.op in TENSOR_RULES:
        return TENSOR_RULES[node.op].text.format(*names)
    return definition(node)


def line_of_working(graph: Graph, cell: TensorCell, true: np.ndarray) -> str:
    node = graph.node(cell.index)
    if cell.kind == PRIMAL:
        return f"{vname(node.index)} = {definition_text(node)} = {tensor_text(true, 12)}"
    bar = "v\u0304" + vname(node.index)[1:]
    if node.index == graph.output.index:
        return f"{bar} = 1 (the seed: ∂y/∂y = 1)"
    users = [graph.node(e.consumer) for e in graph.edges if e.source == node.index]
    if not users:
        return f"{bar} = 0 (the output does not depend on it)"
    terms = " + ".join(f"(v\u0304{vname(u.index)[1:]} back through {vname(u.index)} = "
                       f"{definition_text(u)})" for u in users)
    return f"{bar} = {terms}, shape {shape_text(node.shape)}: {tensor_text(true, 12)}"


def unchecked(graph: Graph, cells: list[TensorCell]) -> tuple[str, ...]:
    given = {(c.kind, c.index) for c in cells}
    missing = [vname(n.index) for n in graph.steps if (PRIMAL, n.index) not in given]
    missing += ["v\u0304" + vname(n.index)[1:] for n in graph.nodes
                if (ADJOINT, n.index) not in given]
    return (f"Not in the table, so not checked: {', '.join(missing)}.",) if missing else ()
