"""Stage 3d, local Jacobians: tensor forward sweep + edge → ∂vᵢ/∂vⱼ as a matrix.

Numerator layout (rows = entries of the output vᵢ, columns = entries of the argument vⱼ, both
in row-major order), built row by row from the node's VJP seeded with each unit vector, so the
Jacobian shown is exactly the linear map the reverse sweep applies.
"""

from __future__ import annotations

import numpy as np

from .graph import Edge
from .tensor_sweep import TensorForward, vjp


def local_jacobian(forward: TensorForward, edge: Edge) -> np.ndarray:
    graph, k = forward.graph, forward.backend
    node, arg = graph.node(edge.consumer), graph.node(edge.source)
    values = {n.index: v for n, v in zip(graph.nodes, forward.values, strict=True)}
    rows = []
    for flat in range(int(np.prod(node.shape))):
        seed = k.full(node.shape, 0)
        seed[np.unravel_index(flat, node.shape)] = k.full((), 1)[()]
        rows.append(np.ravel(vjp(forward, node, edge.position, k.wrap(seed), values)))
    jacobian = np.stack(rows)
    return jacobian.reshape(len(rows), int(np.prod(arg.shape)))
