"""Render, trace as LaTeX: TraceResult → Baydin-style primal and adjoint tables to paste."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import sympy as sp

from ..api import TraceResult
from ..graph import Node
from ..local import edge_partial, v_symbol
from ..numeric import format_value
from ..reverse import Contribution
from .trace_view import Options


def _v(index: int) -> str:
    return f"v_{{{index}}}"


def _bar(index: int) -> str:
    return rf"\bar{{v}}_{{{index}}}"


def _names(result: TraceResult) -> dict[sp.Symbol, str]:
    return {v_symbol(n.index): _v(n.index) for n in result.graph.nodes}


def latex_tables(result: TraceResult, options: Options, node_formula: Any,
                 formula: ModuleType) -> str:
    names = _names(result)

    def num(value: Any) -> str:
        return format_value(value, options.digits, options.exact, unicode=False)

    lines = [r"% gradtutor: forward primal trace and reverse adjoint trace",
             r"\begin{tabular}{lll}", r"\multicolumn{3}{l}{Forward primal trace} \\ \hline"]
    for node in result.graph.nodes:
        lines.append(_primal_line(result, node, names, num, node_formula, formula))
        if node.index == 0 or (node.index == 1 and not result.graph.inputs):
            lines.append(r"\hline")
    lines += [r"\hline",
              rf"${result.graph.output_name}$ & $= {_v(result.graph.output.index)}$ & "
              rf"$= {num(result.value)}$ \\", r"\end{tabular}", "",
              r"\begin{tabular}{ll}", r"\multicolumn{2}{l}{Reverse adjoint trace} \\ \hline"]
    for row in result.reverse.rows:
        if row.seed:
            lines.append(rf"${_bar(row.index)} = \bar{{y}}$ & $= 1$ \\")
        for i, c in enumerate(row.contributions):
            lines.append(_adjoint_line(result, row.index, c, i == 0, names, num, formula))
        if not row.seed and not row.contributions:
            lines.append(rf"${_bar(row.index)}$ & $= 0$ \\")
    lines.append(r"\end{tabular}")
    return "\n".join(lines) + "\n"


def _primal_line(result: TraceResult, node: Node, names: dict, num: Any, node_formula: Any,
                 formula: ModuleType) -> str:
    value = num(result.forward.value(node.index))
    if node.op == "input":
        return rf"${_v(node.index)}$ & $= {node.name}$ & $= {value}$ \\"
    return rf"${_v(node.index)}$ & $= {formula.latex(node_formula(node), names)}$ & " \
           rf"$= {value}$ \\"


def _adjoint_line(result: TraceResult, index: int, c: Contribution, first: bool,
                  names: dict, num: Any, formula: ModuleType) -> str:
    edge = c.partial.edge
    partial = formula.latex(edge_partial(result.graph, edge), names)
    lhs = _bar(index) if first else f"{_bar(index)} + "
    term = (rf"{_bar(edge.consumer)} \frac{{\partial {_v(edge.consumer)}}}"
            rf"{{\partial {_v(edge.source)}}}")
    head = rf"{_bar(index)} = {term}" if first else rf"{_bar(index)} = {lhs}{term}"
    return rf"${head} = {_bar(edge.consumer)} \cdot \left({partial}\right)$ & " \
           rf"$= {num(c.running)}$ \\"
