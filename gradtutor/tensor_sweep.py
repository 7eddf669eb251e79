"""Stage 3, tensor sweeps: tensor graph + point → primals, then adjoints by VJPs.

The forward sweep walks the Wengert list in order, one array per node. The reverse sweep seeds
the scalar output with ȳ = 1 and walks it reversed; each node sends its argument a contribution
(the rule's VJP of its adjoint), shaped like the argument; fan-out adds the contributions up,
exactly as the scalar tables do. A non-scalar output gets its Jacobian: one reverse sweep per
output entry, each seeded with that entry's unit vector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import DomainError, LimitError
from .graph import Constant, Edge, Graph, Node, vname
from .numeric import OutsideDomain
from .rules import RULES
from .tensor import shape_text
from .tensor_backend import Backend
from .tensor_rules import TENSOR_RULES, unbroadcast

Array = np.ndarray
MAX_JACOBIAN_ROWS = 1000  # reverse sweeps for a non-scalar output
MAX_JACOBIAN_ENTRIES = 2_000_000


@dataclass(frozen=True, eq=False)
class TensorForward:
    graph: Graph
    backend: Backend
    values: tuple[Array, ...]  # aligned with graph.nodes
    notes: tuple[str, ...]  # non-differentiable points met

    def value(self, index: int) -> Array:
        return self.values[index + self.graph.n_inputs - 1]

    @property
    def output(self) -> Array:
        return self.values[-1]


@dataclass(frozen=True, eq=False)
class TensorContribution:
    """One term of v̄ⱼ: the VJP of consumer i's adjoint, and v̄ⱼ's running total after it."""

    edge: Edge
    amount: Array  # shaped like the source node
    running: Array


@dataclass(frozen=True, eq=False)
class TensorAdjointRow:
    index: int
    contributions: tuple[TensorContribution, ...]
    v_bar: Array  # shaped like the node
    seed: bool = False


def node_args(node: Node, values: dict[int, Array], k: Backend) -> list[Any]:
    if node.op == "index":
        return [values[node.args[0]], int(node.args[1].value)]  # type: ignore[union-attr]
    return [values[a] if isinstance(a, int) else k.const(a.value) for a in node.args]


def evaluate_node(graph: Graph, node: Node, args: list[Any], k: Backend) -> Array:
    try:
        if node.op in TENSOR_RULES:
            return TENSOR_RULES[node.op].primal(k, *args)
        return k.elementwise(node.op, args)
    except (OutsideDomain, ZeroDivisionError) as err:
        raise DomainError(f"{vname(node.index)} cannot be evaluated here: "
                          f"{err or 'division by zero'}", location=graph.where(node),
                          hint="choose a point inside the domain (no division by zero, "
                               "log and sqrt of positive numbers)") from None


def primal_arrays(graph: Graph, point: dict[str, Array], k: Backend) -> dict[int, Array]:
    values: dict[int, Array] = {n.index: k.wrap(point[n.name]) for n in graph.inputs}
    for node in graph.steps:
        values[node.index] = evaluate_node(graph, node, node_args(node, values, k), k)
    return values


def downstream(graph: Graph, name: str) -> tuple[Node, ...]:
    """The steps whose value depends on input ``name``, in sweep order."""
    changed = {n.index for n in graph.inputs if n.name == name}
    steps = []
    for node in graph.steps:
        if any(isinstance(a, int) and a in changed for a in node.args):
            changed.add(node.index)
            steps.append(node)
    return tuple(steps)


def primal_again(graph: Graph, values: dict[int, Array], index: int, value: Array,
                 steps: tuple[Node, ...], k: Backend) -> dict[int, Array]:
    """A primal sweep with input node ``index`` set to ``value``: only ``steps`` (the nodes
    downstream of it) are evaluated again, every other value is taken from ``values``."""
    again = dict(values)
    again[index] = k.wrap(value)
    for node in steps:
        again[node.index] = evaluate_node(graph, node, node_args(node, again, k), k)
    return again


def run_tensor_forward(graph: Graph, point: dict[str, Array], k: Backend) -> TensorForward:
    values = primal_arrays(graph, point, k)
    notes = _kink_notes(graph, values, k)
    return TensorForward(graph, k, tuple(values[n.index] for n in graph.nodes), notes)


def _kink_notes(graph: Graph, values: dict[int, Array], k: Backend) -> tuple[str, ...]:
    notes: dict[str, None] = {}
    for node in graph.steps:
        kink = RULES[node.op].kink if node.op in RULES else None
        if kink is not None and _at_kink(kink.at, node_args(node, values, k)):
            notes.setdefault(kink.text)
    return tuple(notes)


def _at_kink(at: Any, args: list[Any]) -> bool:
    second = args[1] if len(args) > 1 else args[0]
    hits = np.frompyfunc(lambda a, b: bool(at(a, b)), 2, 1)(args[0], second)
    return bool(np.any(np.asarray(hits, dtype=bool)))


def vjp(forward: TensorForward, node: Node, position: int, g: Array,
        values: dict[int, Array]) -> Array:
    """The contribution node's adjoint ``g`` sends to argument ``position``."""
    k = forward.backend
    args = node_args(node, values, k)
    out = values[node.index]
    if node.op in TENSOR_RULES:
        return TENSOR_RULES[node.op].vjps[position](k, g, out, *args)
    partial = k.partial(node.op, position, args, out)
    return unbroadcast(k, k.wrap(g * partial), np.shape(args[position]))


def run_tensor_reverse(forward: TensorForward, seed: Array | None = None
                       ) -> tuple[TensorAdjointRow, ...]:
    """Reverse sweep seeded with ``seed`` (default ȳ = 1 for a scalar output)."""
    graph, k = forward.graph, forward.backend
    values = {n.index: v for n, v in zip(graph.nodes, forward.values, strict=True)}
    output = graph.output.index
    v_bar: dict[int, Array] = {output: seed if seed is not None else k.full((), 1)}
    received: dict[int, list[TensorContribution]] = {n.index: [] for n in graph.nodes}
    rows: list[TensorAdjointRow] = []
    for node in reversed(graph.nodes):
        total = v_bar.setdefault(node.index, k.full(node.shape, 0))
        rows.append(TensorAdjointRow(node.index, tuple(received[node.index]), total,
                                     node.index == output))
        for position, arg in enumerate(node.args):
            if isinstance(arg, Constant):
                continue
            amount = vjp(forward, node, position, total, values)
            _check_shape(graph, arg, amount)
            running = k.wrap(v_bar[arg] + amount) if arg in v_bar else amount
            v_bar[arg] = running
            received[arg].append(TensorContribution(Edge(node.index, position, arg), amount,
                                                    running))
    return tuple(rows)


def _check_shape(graph: Graph, index: int, amount: Array) -> None:
    expected = graph.node(index).shape
    if tuple(np.shape(amount)) != expected:
        raise RuntimeError(f"internal: the contribution to {vname(index)} has shape "
                            f"{shape_text(np.shape(amount))}, not {shape_text(expected)}")


def gradient_of(graph: Graph, rows: tuple[TensorAdjointRow, ...]) -> dict[str, Array]:
    by_index = {row.index: row.v_bar for row in rows}
    return {node.name: by_index[node.index] for node in graph.inputs}


def jacobian_sweeps(forward: TensorForward) -> dict[str, Array]:
    """A non-scalar output: one reverse sweep per output entry; shape output + input."""
    graph, k = forward.graph, forward.backend
    out_shape = graph.output.shape
    size = int(np.prod(out_shape))
    inputs = sum(max(1, int(np.prod(n.shape))) for n in graph.inputs)
    if size > MAX_JACOBIAN_ROWS or size * inputs > MAX_JACOBIAN_ENTRIES:
        raise LimitError(f"the output has {size} entries: its Jacobian takes one reverse sweep "
                         f"per entry and would have {size * inputs} entries (at most "
                         f"{MAX_JACOBIAN_ROWS} rows and {MAX_JACOBIAN_ENTRIES} entries)",
                         hint="reduce the output to a scalar loss, e.g. sum(...) or y[0]")
    rows_of: list[dict[str, Array]] = []
    for flat in range(int(np.prod(out_shape))):
        seed = k.full(out_shape, 0)
        seed[np.unravel_index(flat, out_shape)] = k.full((), 1)[()]
        rows_of.append(gradient_of(graph, run_tensor_reverse(forward, seed)))
    return {node.name: k.wrap(np.stack([r[node.name] for r in rows_of]).reshape(
        out_shape + node.shape)) for node in graph.inputs}
