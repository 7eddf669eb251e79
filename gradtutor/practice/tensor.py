"""Practice, tensor tables: TensorTraceResult → one cell per tensor node, in asking order.

The vector/matrix room of exercise.py: each primal and each adjoint is one cell whose answer is
a number or a nested list; the prompt gives the node's definition and its shape, the hints go
from the rule (the vector-Jacobian product the trace prints, v̄₋₃ += v̄₁ v₋₂ᵀ) to the numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InputError
from ..graph import Edge, Node, vname
from ..numeric import format_value
from ..render.tensor_view import TensorView, tensor_definition
from ..render.trace_view import Options
from ..tensor import shape_text
from ..tensor_api import TensorTraceResult
from ..tensor_rules import TENSOR_RULES
from ..tensor_sweep import node_args
from .exercise import ADJOINT, PRIMAL, Cell, Exercise, adjoint_id, answer_text, primal_id, vbar


def entry_text(value: Any) -> str:
    """One entry as the tutor shows it: −4.8, 1/3, or 6 significant digits."""
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, Fraction):
        return answer_text(value)
    return format_value(value, 6)


def array_answer(array: Any) -> str:
    """A value as a student types it: 2, [1, −1], [[2, 1], [0, 0]]."""
    array = np.asarray(array, dtype=object)
    if array.ndim == 0:
        return entry_text(array[()])
    return "[" + ", ".join(array_answer(item) for item in array) + "]"


def json_value(array: Any) -> Any:
    """A value for JSON: an int when whole, else a float; nested lists in its shape."""
    array = np.asarray(array, dtype=object)
    if array.ndim:
        return [json_value(item) for item in array]
    value = array[()]
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    from ..tensor import entry_float

    return entry_float(value) if not isinstance(value, float | np.floating) else float(value)


def shape_phrase(shape: tuple[int, ...]) -> str:
    """() → "a scalar", (2,) → "a vector of 2 entries", (2, 3) → "a 2×3 matrix"."""
    if not shape:
        return "a scalar"
    if len(shape) == 1:
        return f"a vector of {shape[0]} entr{'y' if shape[0] == 1 else 'ies'}"
    return f"a {shape_text(shape)} matrix"


def tensor_table_exercise(result: TensorTraceResult, mode: str = "both",
                          **extra: Any) -> Exercise:
    """The cells of a tensor program's forward/reverse table; the output must be a scalar."""
    if not result.scalar_output:
        out = result.graph.output
        raise InputError(f"practising a table needs a scalar output (a loss); "
                         f"{out.name or vname(out.index)} is {shape_phrase(out.shape)}",
                         hint="end the program with a scalar, e.g. L = sum((a - y)^2)/2")
    at = tuple((name, array_answer(_array(v)).replace("−", "-"))
               for name, v in result.point.items())
    return Exercise(result.graph.source, at, mode, tensor_cells(result, mode), result=result,
                    **extra)


def _array(value: Any) -> Any:
    return value.array if hasattr(value, "array") else value


def tensor_cells(result: TensorTraceResult, mode: str) -> tuple[Cell, ...]:
    view = TensorView(result, Options())
    cells: list[Cell] = []
    if mode in ("both", "forward"):
        cells += [_primal_cell(result, node) for node in result.graph.steps]
    if mode in ("both", "reverse"):
        cells += [_adjoint_cell(result, view, node) for node in reversed(result.graph.nodes)]
    return tuple(cells)


def _named(node: Node, text: str, bar: bool = False) -> str:
    name = f"{node.name}\u0304" if bar and len(node.name or "") == 1 else node.name
    return f"{text} ({name})" if node.name else text


def _rule_name(node: Node) -> str:
    from ..rules import RULES

    if node.op in TENSOR_RULES:
        return TENSOR_RULES[node.op].rule
    return RULES[node.op].rule.replace(" rule", "") + (", entry by entry" if node.shape
                                                        else "")


def _decimals(array: Any) -> str:
    exact = all(isinstance(v, Fraction) for v in np.ravel(np.asarray(array, dtype=object)))
    return "" if exact else " (to 3 decimals)"


def _primal_cell(result: TensorTraceResult, node: Node) -> Cell:
    value = result.forward.value(node.index)
    name, text = vname(node.index), tensor_definition(node)
    args = [a for a in node.args if isinstance(a, int)]
    shapes = " and ".join(shape_phrase(result.graph.node(a).shape) for a in args)
    values = ", ".join(f"{vname(a)} = {array_answer(result.forward.value(a))}" for a in args)
    hints = (f"{name} applies the {_rule_name(node)} to {shapes}: {name} = {text}, "
             f"{shape_phrase(node.shape)}.",
             f"{name} = {text}, with {values}.",
             f"{name} = {_numbers(result, node)}")
    working = f"{name} = {text} = {_numbers(result, node)} = {array_answer(value)}"
    depends = tuple(dict.fromkeys(primal_id(a) for a in args if a > 0))
    prompt = f"{_named(node, name)} = {text}, {shape_phrase(node.shape)} = ?{_decimals(value)}"
    return Cell(primal_id(node.index), PRIMAL, name, prompt, array_answer(value), hints,
                working, node.index, None, depends, shape=node.shape,
                nested=json_value(value))


def _numbers(result: TensorTraceResult, node: Node) -> str:
    """The definition with the arguments' values written in: [[1, −1], [2, 0]] @ [2, 1]."""
    from ..rules import RULES

    texts = [array_answer(result.forward.value(a)) if isinstance(a, int) else str(a.value)
             for a in node.args]
    template = TENSOR_RULES[node.op].text if node.op in TENSOR_RULES else RULES[node.op].text
    if node.op == "mul" and node.shape:
        template = "{0} ⊙ {1}"
    return template.format(*texts)


def _adjoint_cell(result: TensorTraceResult, view: TensorView, node: Node) -> Cell:
    graph, bar = result.graph, vbar(node.index)
    row = next(r for r in result.rows if r.index == node.index)
    answer, phrase = array_answer(row.v_bar), shape_phrase(node.shape)
    prompt = f"{_named(node, bar, True)}, {phrase} like {vname(node.index)} = ?" + \
        _decimals(row.v_bar)
    if row.seed or not row.contributions:
        why = "the seed: ∂L/∂L = 1" if row.seed else "the output does not depend on it"
        hints = ((f"{bar} is the seed: the output's adjoint." if row.seed else
                  f"Nothing uses {vname(node.index)}."), f"{bar} = {answer} ({why}).")
        return Cell(adjoint_id(node.index), ADJOINT, bar, prompt, answer, hints[:1],
                    hints[1], node.index, None, shape=node.shape, nested=json_value(row.v_bar))
    edges = [c.edge for c in row.contributions]
    users = list(dict.fromkeys(graph.node(e.consumer) for e in edges))
    uses = ", ".join(f"{vname(u.index)} = {tensor_definition(u)} ({_rule_name(u)})"
                     for u in users)
    fan = f" It is used {len(edges)} times (fan-out): add one contribution per use." \
        if len(edges) > 1 else ""
    rules = "; ".join(view.backward_text(e) for e in edges)
    hints = (f"{vname(node.index)} is used by {uses}.{fan} {bar} is {phrase}, like "
             f"{vname(node.index)}.",
             f"The backward rule{'s' if len(edges) > 1 else ''}: {rules}",
             "With the numbers: " + "; ".join(_edge_numbers(result, view, e) for e in edges))
    terms = " + ".join(_rhs(view.backward_text(e), len(edges) > 1) for e in edges)
    amounts = " + ".join(array_answer(c.amount) for c in row.contributions)
    working = f"{bar} = {terms} = {amounts}" + (f" = {answer}" if len(edges) > 1 else "")
    depends = tuple(dict.fromkeys(
        [adjoint_id(u.index) for u in users]
        + [primal_id(a) for u in users for a in (u.index, *u.args)
           if isinstance(a, int) and a > 0]))
    return Cell(adjoint_id(node.index), ADJOINT, bar, prompt, answer, hints, working,
                node.index, None, depends, shape=node.shape, nested=json_value(row.v_bar))


def _rhs(backward: str, bracket: bool) -> str:
    """v̄₋₃ += v̄₁ v₋₂ᵀ → v̄₁ v₋₂ᵀ (bracketed in a sum); the broadcast note dropped."""
    text = backward.split(" += ", 1)[-1].split("  (")[0]
    return f"({text})" if bracket else text


def _edge_numbers(result: TensorTraceResult, view: TensorView, edge: Edge) -> str:
    """One backward rule with the values it multiplies: v̄₁ = [1, 0], v₋₂ = [2, 1]."""
    graph, k = result.graph, result.forward.backend
    consumer = graph.node(edge.consumer)
    g = next(r.v_bar for r in result.rows if r.index == consumer.index)
    known = [f"{vbar(consumer.index)} = {array_answer(g)}"]
    if consumer.op in TENSOR_RULES:
        others = [a for a in consumer.args if isinstance(a, int) and a != edge.source]
        if consumer.op in ("softmax", "log_softmax", "logsumexp"):
            others = [consumer.index if consumer.op == "softmax" else edge.source]
        known += [f"{vname(a)} = {array_answer(result.forward.value(a))}"
                  for a in dict.fromkeys(others)]
    else:
        values = {n.index: result.forward.value(n.index) for n in graph.nodes}
        args = node_args(consumer, values, k)
        partial = k.partial(consumer.op, edge.position, args, values[consumer.index])
        known.append(f"∂{vname(consumer.index)}/∂{vname(edge.source)} entry by entry = "
                     f"{array_answer(partial)}")
    return f"{view.backward_text(edge)} with {', '.join(known)}"
