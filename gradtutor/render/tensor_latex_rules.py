"""Render, tensor LaTeX notation: a tensor node or edge → its definition and its VJP in LaTeX.

The lecture-notes forms of the tensor rules table's VJPs: for h = W x, W̄ += h̄ xᵀ and
x̄ += Wᵀ h̄; entrywise f: ā += h̄ ⊙ f′(a); sum: ḡ 𝟏; softmax: s ⊙ (ḡ − (ḡᵀ s) 𝟏). Each
right-hand side is the contribution itself, so the adjoint table can add them up.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..graph import Constant, Edge, Graph, Node
from ..local import edge_partial, node_formula, v_symbol
from . import formula
from .trace_latex import latex_name

Shapes = list[tuple[int, ...]]
ODOT, CDOT = r"\odot", r"\cdot"

DEFINITIONS = {"dot": r"{0}^\top {1}", "outer": r"{0} {1}^\top", "transpose": r"{0}^\top",
               "sum": r"\sum {0}", "mean": r"\operatorname{{mean}}({0})",
               "softmax": r"\operatorname{{softmax}}({0})",
               "log_softmax": r"\log \operatorname{{softmax}}({0})",
               "logsumexp": r"\operatorname{{logsumexp}}({0})", "index": "{0}[{1}]"}


def v_tex(index: int) -> str:
    return f"v_{{{index}}}"


def bar_tex(index: int) -> str:
    return rf"\bar{{v}}_{{{index}}}"


def _arg_tex(arg: int | Constant) -> str:
    return v_tex(arg) if isinstance(arg, int) else formula.latex(arg.value)


def _shapes(graph: Graph, node: Node) -> Shapes:
    return [graph.node(a).shape if isinstance(a, int) else () for a in node.args]


def _names(graph: Graph) -> dict:
    return {v_symbol(n.index): v_tex(n.index) for n in graph.nodes}


def latex_definition(graph: Graph, node: Node) -> str:
    """v₁'s definition: v_{-3} v_{-2} (W x), v_{3} \\odot v_{4}, \\sum v_{5}, v_{4}^{2} …"""
    if node.op == "input":
        return latex_name(node.name)
    args = [_arg_tex(a) for a in node.args]
    shapes = _shapes(graph, node)
    if node.op == "matmul":
        return rf"{args[0]}^\top {args[1]}" if len(shapes[0]) == 1 else f"{args[0]} {args[1]}"
    if node.op in DEFINITIONS:
        return DEFINITIONS[node.op].format(*args)
    if node.op == "mul" and all(isinstance(a, int) for a in node.args) and all(shapes):
        return rf"{args[0]} \odot {args[1]}"
    return formula.latex(node_formula(node), _names(graph))


def _matmul(position: int, a: str, b: str, shapes: Shapes, g: str, out: str) -> str:
    one_a, one_b = len(shapes[0]) == 1, len(shapes[1]) == 1
    if position == 0:  # W̄ += ḡ xᵀ ; ū += ḡ v (dot) ; ū += B ḡ ; Ā += Ḡ Bᵀ
        return f"{g} {b}" if one_a and one_b else f"{b} {g}" if one_a else rf"{g} {b}^\top"
    return f"{g} {a}" if one_a and one_b else rf"{a} {g}^\top" if one_a else rf"{a}^\top {g}"


def _softmax(position: int, a: str, b: str, shapes: Shapes, g: str, out: str) -> str:
    rows = r" \quad \text{(row by row)}" if len(shapes[0]) > 1 else ""
    return rf"{out} \odot \left({g} - \left({g}^\top {out}\right) \mathbf{{1}}\right)" + rows


def _mean(position: int, a: str, b: str, shapes: Shapes, g: str, out: str) -> str:
    return rf"\frac{{{g}}}{{{int(np.prod(shapes[0]))}}} \mathbf{{1}}"


def _index(position: int, a: str, b: str, shapes: Shapes, g: str, out: str) -> str:
    return rf"{g} \mathbf{{e}}_{{{b}}}" if len(shapes[0]) == 1 else \
        rf"\mathbf{{e}}_{{{b}}} {g}^\top"


Vjp = Callable[[int, str, str, Shapes, str, str], str]
VJPS: dict[str, Vjp] = {
    "matmul": _matmul, "softmax": _softmax, "mean": _mean, "index": _index,
    "dot": lambda p, a, b, s, g, o: f"{g} {b if p == 0 else a}",
    "outer": lambda p, a, b, s, g, o: f"{g} {b}" if p == 0 else rf"{g}^\top {a}",
    "transpose": lambda p, a, b, s, g, o: rf"{g}^\top",
    "sum": lambda p, a, b, s, g, o: rf"{g} \mathbf{{1}}",
    "log_softmax": lambda p, a, b, s, g, o:
        rf"{g} - \operatorname{{softmax}}({a}) \left(\mathbf{{1}}^\top {g}\right)",
    "logsumexp": lambda p, a, b, s, g, o: rf"{g} \operatorname{{softmax}}({a})",
}


def vjp_latex(graph: Graph, edge: Edge) -> str:
    """The contribution of ``edge`` to its source's adjoint, e.g. \\bar{v}_{1} v_{-2}^\\top."""
    node, arg = graph.node(edge.consumer), graph.node(edge.source)
    g, out = bar_tex(node.index), v_tex(node.index)
    if node.op in VJPS:
        texts = [_arg_tex(a) for a in node.args] + [""]
        return VJPS[node.op](edge.position, texts[0], texts[1], _shapes(graph, node), g, out)
    partial = edge_partial(graph, edge)
    tex = formula.latex(partial, _names(graph))
    if tex in ("1", "-1"):
        term = g if tex == "1" else f"-{g}"
    elif not partial.free_symbols:  # a constant factor: ½ v̄₇
        term = f"{paren(tex)} {g}"
    else:
        term = f"{g} {ODOT if node.shape else CDOT} {paren(tex)}"
    return rf"\sum \left({term}\right)" if arg.shape != node.shape else term


def paren(tex: str) -> str:
    return rf"\left({tex}\right)" if bare_sum(tex) or tex.startswith("-") else tex


def bare_sum(tex: str) -> bool:
    """Does ``tex`` have a + or − outside every bracket and brace (not a leading sign)?"""
    depth = 0
    for i, c in enumerate(tex):
        depth += (c in "({[") - (c in ")}]")
        if depth == 0 and i > 0 and c in "+-":
            return True
    return False
