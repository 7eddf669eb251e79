"""Render, tensor tangents: TensorTraceResult in forward mode → the tangent table (JVPs).

Each row is the node's JVP as lecture notes write it — v̇₁ = v̇₋₃ v₋₂ + v₋₃ v̇₋₂ for v₁ = v₋₃ v₋₂,
v̇₃ = step(v₂) ⊙ v̇₂ entrywise — with the terms of arguments whose tangent is 0 left out, then
its value. The same rows in unicode (tables, markdown) and in LaTeX.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph import Graph, Node, vname
from ..local import edge_partial
from ..tensor import shape_text
from ..tensor_rules import minus
from . import formula
from .trace_view import Options, Row, Section, vdot

# op → (unicode, LaTeX) per argument; {a}/{b} the arguments, {da}/{db} their tangents, {o} out
_TERMS: dict[str, tuple[tuple[str, str], ...]] = {
    "matmul": (("{da} @ {b}", r"{da} {b}"), ("{a} @ {db}", r"{a} {db}")),
    "dot": (("{da}·{b}", r"{da}^\top {b}"), ("{a}·{db}", r"{a}^\top {db}")),
    "outer": (("{da} {b}ᵀ", r"{da} {b}^\top"), ("{a} {db}ᵀ", r"{a} {db}^\top")),
    "transpose": (("{da}ᵀ", r"{da}^\top"),),
    "sum": (("Σ {da}", r"\sum {da}"),),
    "mean": (("mean {da}", r"\operatorname{{mean}}({da})"),),
    "softmax": (("{o} ⊙ ({da} − ({o}·{da}) 𝟏)",
                 r"{o} \odot \left({da} - \left({o}^\top {da}\right) \mathbf{{1}}\right)"),),
    "log_softmax": (("{da} − (softmax({a})·{da}) 𝟏",
                     r"{da} - \left(\operatorname{{softmax}}({a})^\top {da}\right) \mathbf{{1}}"),),
    "logsumexp": (("softmax({a})·{da}", r"\operatorname{{softmax}}({a})^\top {da}"),),
    "index": (("{da}[{b}]", "{da}[{b}]"),),
}


def _names(graph: Graph, node: Node, latex: bool) -> dict[str, str]:
    from .tensor_latex_rules import v_tex

    def v(index: int) -> str:
        return v_tex(index) if latex else vname(index)

    def d(index: int) -> str:
        return rf"\dot{{v}}_{{{index}}}" if latex else vdot(index)

    names = [v(a) if isinstance(a, int) else str(a.value) for a in node.args] + [""]
    dots = [d(a) if isinstance(a, int) else "" for a in node.args] + [""]
    return {"a": names[0], "b": names[1], "da": dots[0], "db": dots[1], "o": v(node.index)}


def jvp_text(graph: Graph, node: Node, moving: set[int], latex: bool = False) -> str:
    """v̇ of ``node`` in terms of its arguments' tangents (those in ``moving``; others are 0)."""
    terms = []
    for position, arg in enumerate(node.args):
        if not isinstance(arg, int) or arg not in moving:
            continue
        if node.op in _TERMS:
            keys = _names(graph, node, latex)
            terms.append(_TERMS[node.op][position][1 if latex else 0].format(**keys))
        else:
            terms.append(_entrywise(graph, node, position, arg, latex))
    if not terms:
        return "0"
    return " + ".join(terms).replace("+ -", "- ") if latex else " + ".join(terms)


def _entrywise(graph: Graph, node: Node, position: int, arg: int, latex: bool) -> str:
    from ..graph import Edge
    from .tensor_latex_rules import _names as tex_names
    from .tensor_latex_rules import paren

    partial = edge_partial(graph, Edge(node.index, position, arg))
    dot = rf"\dot{{v}}_{{{arg}}}" if latex else vdot(arg)
    text = formula.latex(partial, tex_names(graph)) if latex else formula.text(partial)
    if text in ("1", "−1", "-1"):
        return dot if text == "1" else f"-{dot}" if latex else f"−{dot}"
    times = (r" \odot " if latex else " ⊙ ") if node.shape else (r" \cdot " if latex else "·")
    shown = paren(text) if latex else (f"({text})" if any(c in text for c in " +−") else text)
    return f"{shown}{times}{dot}"


def moving_nodes(result: Any) -> set[int]:
    """The nodes whose tangent is not identically 0 (the seed and what depends on it)."""
    graph = result.graph
    moving = {n.index for n in graph.inputs if n.name == result.tangent.wrt}
    for node in graph.steps:
        if any(isinstance(a, int) and a in moving for a in node.args):
            moving.add(node.index)
    return moving


def tangent_section(result: Any, options: Options) -> Section:
    from .tensor_view import array_text

    graph, tangent = result.graph, result.tangent
    moving = moving_nodes(result)
    rows = []
    for row in tangent.rows:
        node = graph.node(row.index)
        how = ("seed" if node.name == tangent.wrt else "0 (not the seeded input)") \
            if row.seed else jvp_text(graph, node, moving)
        rows.append(Row((vdot(row.index), node.name or "", shape_text(node.shape), how,
                         array_text(row.v_dot, options))))
    return Section(f"Forward tangent trace (seed {tangent.wrt}̇ = the direction below, 0 for "
                   "the other inputs; JVPs)", ("v̇", "name", "shape", "tangent", "value"),
                   tuple(rows))


def tangent_lines(result: Any, options: Options) -> list[str]:
    from .tensor_view import array_text

    tangent, out = result.tangent, result.graph.output
    seed = array_text(tangent.direction, options).replace("\n ", " ")
    value = array_text(tangent.output, options).replace("\n ", " ")
    gap = tangent_gap(result)
    verdict = "agrees" if tangent_agrees(result) else "DISAGREES"
    return [f"forward mode: seed {tangent.wrt}̇ = {seed}; {out.name}̇ = {value} (the "
            f"directional derivative: one sweep per direction)",
            f"Verified: the output's tangent {verdict} with reverse mode's gradient · seed "
            f"(max difference {gap:.1e})"]


def tangent_agrees(result: Any) -> bool:
    """Exact (or 50-digit) routes agree to 1e-30; float64 to 1e-9 relative to the sizes."""
    if result.tangent is None:
        return True
    gap = tangent_gap(result)
    if result.route == "exact":
        return gap <= 1e-30
    scale = max((abs(float(v)) for v in np.ravel(np.asarray(result.tangent.output,
                                                            dtype=object))), default=1.0)
    return gap <= 1e-9 * max(1.0, scale)


def tangent_gap(result: Any) -> float:
    """|ẏ − J·seed|, J from the reverse sweeps (an independent route)."""
    tangent = result.tangent
    jac = np.asarray(result.jacobian_arrays[tangent.wrt], dtype=object)
    seed = np.asarray(tangent.direction, dtype=object)
    axes = seed.ndim
    expected = np.tensordot(jac, seed, axes=axes) if axes else jac * seed[()]
    diff = np.ravel(minus(np.asarray(expected, dtype=object),  # Fraction − mpf has no −
                          np.asarray(tangent.output, dtype=object)))
    return max((abs(float(d)) for d in diff), default=0.0)
