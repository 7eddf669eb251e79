"""Stage 4, tensor forward mode: primal sweep + a seed direction → tangents v̇ (JVPs).

Forward mode carries one direction through the graph: v̇ᵢ = Σⱼ (∂vᵢ/∂vⱼ) v̇ⱼ, written per
operation as lecture notes write it — ḣ = Ẇ x + W ẋ for h = W x, ȧ = f′(h) ⊙ ḣ entrywise,
Σ ż for a sum. The output's tangent is the directional derivative ⟨∇y, ẋ⟩ (for a vector
output, the Jacobian times the seed): one sweep per direction, where reverse mode gives every
input's gradient in one sweep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .graph import Node
from .tensor_backend import Backend
from .tensor_rules import TENSOR_RULES, minus
from .tensor_sweep import TensorForward, node_args

Array = np.ndarray


@dataclass(frozen=True)
class TensorTangentRow:
    index: int
    v_dot: Array  # shaped like the node
    seed: bool = False  # an input: its seed (the direction, or 0)


@dataclass(frozen=True)
class TensorTangent:
    wrt: str  # the seeded input
    direction: Array  # its seed ẋ, shaped like it
    rows: tuple[TensorTangentRow, ...]  # in node order

    @property
    def output(self) -> Array:
        return self.rows[-1].v_dot


def _bilinear(product: Callable[[Any, Any], Any]) -> Callable[..., Array]:
    """ȧ ∘ b + a ∘ ḃ for a product ∘ (matrix, dot, outer); a zero tangent's term is left out."""
    def jvp(k: Backend, dots: list[Array | None], out: Array, a: Array, b: Array) -> Array:
        terms = [product(dots[0], b)] if dots[0] is not None else []
        terms += [product(a, dots[1])] if dots[1] is not None else []
        return k.wrap(terms[0] + terms[1] if len(terms) == 2 else terms[0])
    return jvp


def _softmax(k: Backend, dots: list[Array | None], out: Array, z: Array) -> Array:
    return TENSOR_RULES["softmax"].vjps[0](k, dots[0], out, z)  # its Jacobian is symmetric


def _log_softmax(k: Backend, dots: list[Array | None], out: Array, z: Array) -> Array:
    s = k.elementwise("exp", [out])
    return k.wrap(minus(dots[0], (s * dots[0]).sum(axis=-1, keepdims=True)))


def _logsumexp(k: Backend, dots: list[Array | None], out: Array, z: Array) -> Array:
    s = k.elementwise("exp", [k.wrap(minus(z, out[..., None]))])
    return k.wrap((s * dots[0]).sum(axis=-1))


def _reduce(name: str) -> Callable[..., Array]:
    def jvp(k: Backend, dots: list[Array | None], out: Array, a: Array) -> Array:
        return TENSOR_RULES[name].primal(k, dots[0])  # linear: the same operation on ȧ
    return jvp


JVPS: dict[str, Callable[..., Array]] = {
    "matmul": _bilinear(np.matmul), "dot": _bilinear(np.matmul),
    "outer": _bilinear(np.outer), "softmax": _softmax, "log_softmax": _log_softmax,
    "logsumexp": _logsumexp, "transpose": _reduce("transpose"), "sum": _reduce("sum"),
    "mean": _reduce("mean"),
    "index": lambda k, dots, out, a, i: k.wrap(dots[0][i]),
}


def node_tangent(forward: TensorForward, node: Node, values: dict[int, Array],
                 dots: list[Array | None]) -> Array:
    """v̇ of ``node`` from its arguments' tangents (None: a constant, or a zero tangent)."""
    k = forward.backend
    args = node_args(node, values, k)
    out = values[node.index]
    if all(d is None for d in dots):
        return k.full(node.shape, 0)
    if node.op in TENSOR_RULES:
        return JVPS[node.op](k, dots, out, *args)
    total: Array | None = None
    for position, dot in enumerate(dots):
        if dot is not None:
            term = k.wrap(k.partial(node.op, position, args, out) * dot)
            total = term if total is None else k.wrap(total + term)
    return k.wrap(np.broadcast_to(total, node.shape).copy())


def run_tensor_tangent(forward: TensorForward, wrt: str, direction: Array) -> TensorTangent:
    """One forward-mode sweep seeded with ẇrt = ``direction`` (0 for the other inputs)."""
    graph, k = forward.graph, forward.backend
    values = {n.index: v for n, v in zip(graph.nodes, forward.values, strict=True)}
    tangents: dict[int, Array | None] = {}
    rows = []
    for node in graph.nodes:
        if node.op == "input":
            seeded = node.name == wrt
            tangents[node.index] = k.wrap(direction) if seeded else None
            rows.append(TensorTangentRow(node.index, k.wrap(direction) if seeded else
                                         k.full(node.shape, 0), True))
            continue
        dots = [tangents.get(a) if isinstance(a, int) else None for a in node.args]
        if node.op == "index":
            dots = dots[:1]
        v_dot = node_tangent(forward, node, values, dots)
        tangents[node.index] = None if all(d is None for d in dots) else v_dot
        rows.append(TensorTangentRow(node.index, v_dot))
    return TensorTangent(wrt, k.wrap(direction), tuple(rows))
