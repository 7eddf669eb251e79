"""Public API, tensor trace: program + point with vectors/matrices → TensorTraceResult.

The tensor room of ``gradtutor.trace``: same parse, a graph whose nodes carry shapes, forward
and reverse sweeps by VJP rules, and checks against finite differences and the unrolled
``sympy.diff``. Values are numbers for scalars and :class:`~gradtutor.tensor.Tensor` (nested
lists with ``.tolist()``) for vectors and matrices; every gradient has its input's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from .graph import Graph, Node, check_values
from .numeric import Value
from .parse import Program
from .tensor import Tensor
from .tensor_backend import BACKENDS
from .tensor_graph import build_tensor_graph
from .tensor_jvp import TensorTangent
from .tensor_sweep import (
    TensorAdjointRow,
    TensorForward,
    gradient_of,
    jacobian_sweeps,
    run_tensor_forward,
    run_tensor_reverse,
)
from .tensor_verify import TensorVerification, verify_tensor


def public(array: np.ndarray) -> Value | Tensor:
    """A 0-d array → its number; anything else → a Tensor."""
    return array[()] if array.shape == () else Tensor(array)


@dataclass(frozen=True, eq=False)
class TensorTraceResult:
    graph: Graph
    point: dict[str, Value | Tensor]
    route: str  # "exact" (Fractions / 50-digit) or "float" (float64)
    forward: TensorForward
    rows: tuple[TensorAdjointRow, ...]  # reversed node order; empty for a non-scalar output
    jacobian_arrays: dict[str, np.ndarray]  # ∂y/∂input, shape output + input
    mode: str = "reverse"
    tangent: TensorTangent | None = None  # forward mode (--mode forward|both): the JVP sweep

    @property
    def value(self) -> Value | Tensor:
        return public(self.forward.output)

    @property
    def scalar_output(self) -> bool:
        return self.graph.output.shape == ()

    @property
    def gradient(self) -> dict[str, Value | Tensor]:
        """∂y/∂input, shaped like each input (the Jacobian for a non-scalar output)."""
        return {name: public(arr) for name, arr in self.jacobian_arrays.items()}

    @property
    def nodes(self) -> tuple[Node, ...]:
        return self.graph.nodes

    @cached_property
    def verification(self) -> TensorVerification:
        k = self.forward.backend
        point = {n.name: k.wrap(self.forward.value(n.index)) for n in self.graph.inputs}
        return verify_tensor(self.graph, point, k, self.jacobian_arrays,
                             bool(self.forward.notes))

    def __rich__(self) -> Any:
        from .render.tensor_trace import tensor_renderable

        return tensor_renderable(self)


def trace_tensor(program: Program, point: dict[str, Value | Tensor], route: str,
                 expand: bool = False, order: str = "paper") -> TensorTraceResult:
    shapes = {name: (v.shape if isinstance(v, Tensor) else ()) for name, v in point.items()}
    graph = build_tensor_graph(program, list(point), shapes, expand, order)
    check_values(graph, list(point))
    k = BACKENDS[route]
    arrays = {name: k.wrap(v.array if isinstance(v, Tensor) else v) for name, v in point.items()}
    forward = run_tensor_forward(graph, arrays, k)
    if graph.output.shape == ():
        rows = run_tensor_reverse(forward)
        jacobian = gradient_of(graph, rows)
    else:
        rows, jacobian = (), jacobian_sweeps(forward)
    ordered = {node.name: point[node.name] for node in graph.inputs}
    return TensorTraceResult(graph, ordered, route, forward, rows, jacobian)
