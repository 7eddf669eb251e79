"""Stage 2c, unroll: tensor graph + point → the same program as a scalar program, one
assignment per entry (``h_0 = W_0_0*x_0 + W_0_1*x_1``), traced by the scalar pipeline.

A teaching bridge (what W@x means entry by entry) and a cross-check: the scalar trace's
adjoints equal the tensor trace's gradients entry by entry. Only for small sizes.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from .errors import LimitError
from .numeric import to_sympy
from .sym import source_text
from .tensor_api import TensorTraceResult
from .tensor_backend import BACKENDS
from .tensor_sweep import evaluate_node, node_args

MAX_UNROLLED_ENTRIES = 300  # entries over all nodes


def entry_name(base: str, index: tuple[int, ...]) -> str:
    return "_".join([base, *map(str, index)])


def unrolled_program(result: TensorTraceResult) -> tuple[str, dict[str, Any]]:
    """The scalar program text and its point (one value per input entry)."""
    graph, k = result.graph, BACKENDS["symbolic"]
    total = sum(max(1, int(np.prod(n.shape))) for n in graph.nodes)
    if total > MAX_UNROLLED_ENTRIES:
        raise LimitError(f"--unroll writes one scalar node per entry: {total} entries is more "
                         f"than {MAX_UNROLLED_ENTRIES}", hint="unroll a smaller example")
    names: dict[int, np.ndarray] = {}
    point: dict[str, Any] = {}
    lines: list[str] = []
    for node, value in zip(graph.nodes, result.forward.values, strict=True):
        base = node.name or f"t{node.index}"
        symbols = np.empty(node.shape, dtype=object)
        for idx in np.ndindex(node.shape):
            symbols[idx] = sp.Symbol(entry_name(base, idx) if node.shape else base, real=True)
        if node.op == "input":
            for idx in np.ndindex(node.shape):
                entry = np.asarray(value)[idx]
                point[str(symbols[idx])] = entry if isinstance(entry, Fraction | float) \
                    else to_sympy(entry)
        else:
            exprs = evaluate_node(graph, node, node_args(node, names, k), k)
            lines += [f"{symbols[idx]} = {source_text(exprs[idx], 'none')}"
                      for idx in np.ndindex(node.shape)]
        names[node.index] = symbols
    return "\n".join(lines), point


def unrolled_trace(result: TensorTraceResult) -> Any:
    """The scalar TraceResult of the unrolled program (its adjoints are the entries)."""
    from .api import trace

    if result.graph.output.shape != ():
        raise LimitError("--unroll needs a scalar output (a loss)",
                         hint="end the program with a scalar, e.g. sum(...) or z[0]")
    from .parse import input_names, parse_program

    text, point = unrolled_program(result)
    used = set(input_names(parse_program(text)))  # z[0] alone leaves z_1, z_2 unused (∂ = 0)
    return trace(text, {name: value for name, value in point.items() if name in used})


def unrolled_difference(result: TensorTraceResult, scalar: Any) -> float:
    """Max |tensor gradient entry − unrolled scalar adjoint| over every input entry."""
    from .numeric import to_mpf

    worst = 0.0
    for node in result.graph.inputs:
        array = np.asarray(result.jacobian_arrays[node.name], dtype=object)
        for idx in np.ndindex(node.shape):
            name = entry_name(node.name, idx) if node.shape else node.name
            ours = scalar.gradient.get(name, 0)  # an entry the program never reads: 0
            worst = max(worst, abs(float(to_mpf(ours) - to_mpf(array[idx]))))
    return worst
