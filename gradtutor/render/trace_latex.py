"""Render, trace as LaTeX: TraceResult → Baydin-style tables (primal, local partials, adjoint,
tangent, result) to paste, or a whole document that compiles with plain pdflatex.

Every row is a true equation: a fan-out adjoint is written as the sum of its contributions,
v̄₋₂ = v̄₄ ∂v₄/∂v₋₂ + v̄₁ ∂v₁/∂v₋₂ = 1·1 + (−16)·0.5 = −7. Only ASCII is written, and only
amsmath is needed.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import sympy as sp

from ..api import TraceResult
from ..graph import Edge, Node
from ..local import edge_partial, node_formula, v_symbol
from ..numeric import Value, format_value
from ..reverse import AdjointRow
from ..sym import symbol
from .trace_view import ROLES, Options

PREAMBLE = (r"\documentclass[10pt]{article}", r"\usepackage{amsmath}",
            r"\setlength{\textwidth}{16.5cm}\setlength{\oddsidemargin}{-0.2cm}",
            r"\setlength{\tabcolsep}{4pt}\renewcommand{\arraystretch}{1.5}",
            r"\begin{document}", r"\small")


def latex_name(name: str) -> str:
    """x → x, x1 → x_{1}, y_hat → \\mathit{y\\_hat}, leaky → \\mathit{leaky}."""
    if re.fullmatch(r"[A-Za-z]", name):
        return name
    match = re.fullmatch(r"([A-Za-z])(\d+)", name)
    if match:
        return f"{match.group(1)}_{{{match.group(2)}}}"
    return r"\mathit{" + name.replace("_", r"\_") + "}"


def latex_number(text: str) -> str:
    """format_value's text → LaTeX: 1.5e-17 → 1.5 \\cdot 10^{-17}, -24/5 → -\\frac{24}{5}."""
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    if "/" in body:
        top, bottom = body.split("/")
        return rf"{sign}\frac{{{top}}}{{{bottom}}}"
    mantissa, e, exponent = body.partition("e")
    if not e:
        return sign + body
    power = rf"10^{{{int(exponent)}}}"
    return sign + (power if mantissa == "1" else rf"{mantissa} \cdot {power}")


def _v(index: int) -> str:
    return f"v_{{{index}}}"


def _bar(index: int) -> str:
    return rf"\bar{{v}}_{{{index}}}"


def _dot(index: int) -> str:
    return rf"\dot{{v}}_{{{index}}}"


def _frac(edge: Edge) -> str:
    return rf"\frac{{\partial {_v(edge.consumer)}}}{{\partial {_v(edge.source)}}}"


class LatexTables:
    """One TraceResult written as LaTeX tabulars; each method returns lines."""

    def __init__(self, result: TraceResult, options: Options, formula: ModuleType) -> None:
        self.result, self.options, self.formula = result, options, formula
        self.graph = result.graph
        self.names: dict[sp.Symbol, str] = {v_symbol(n.index): _v(n.index)
                                            for n in self.graph.nodes}
        self.inputs = {symbol(n.name): latex_name(n.name) for n in self.graph.inputs}

    def num(self, value: Value) -> str:
        return latex_number(format_value(value, self.options.digits, self.options.exact,
                                         unicode=False))

    def factor(self, value: Value) -> str:
        text = self.num(value)
        return rf"\left({text}\right)" if text.startswith("-") or "frac" in text else text

    def tex(self, expr: sp.Expr, names: dict[sp.Symbol, str] | None = None) -> str:
        return self.formula.latex(expr, names if names is not None else self.names)

    def partial_tex(self, edge: Edge) -> str:
        return self.tex(edge_partial(self.graph, edge))

    @staticmethod
    def table(title: str, columns: str, rows: list[str]) -> list[str]:
        width = len(columns)
        return [rf"\begin{{tabular}}{{{columns}}}",
                rf"\multicolumn{{{width}}}{{l}}{{\textbf{{{title}}}}} \\ \hline", *rows,
                r"\end{tabular}", ""]

    def primal(self) -> list[str]:
        rows = [self._primal_row(node) for node in self.graph.nodes]
        last = len(self.graph.inputs)
        rows.insert(last, r"\hline")
        rows += [r"\hline", rf"${latex_name(self.graph.output_name)}$ & "
                 rf"$= {_v(self.graph.output.index)}$ & $= {self.num(self.result.value)}$ \\"]
        return self.table("Forward primal trace", "lll", rows)

    def _primal_row(self, node: Node) -> str:
        value = self.num(self.result.forward.value(node.index))
        if node.op == "input":
            return rf"${_v(node.index)}$ & $= {latex_name(node.name)}$ & $= {value}$ \\"
        named = "" if not node.name else rf"\quad({latex_name(node.name)})"
        return (rf"${_v(node.index)}{named}$ & $= {self.tex(node_formula(node))}$ & "
                rf"$= {value}$ \\")

    def partials(self) -> list[str]:
        rows = []
        for partial in self.result.forward.partials:
            edge = partial.edge
            rows.append(rf"${_frac(edge)}$ & $= {self.partial_tex(edge)}$ & "
                        rf"$= {self.num(partial.value)}$ & {self._role(edge)} \\")
        return self.table("Local partials", "llll", rows)

    def _role(self, edge: Edge) -> str:
        node = self.graph.node(edge.consumer)
        if node.args.count(edge.source) < 2:
            return ""
        roles = ROLES.get(node.op, ())
        role = roles[edge.position] if edge.position < len(roles) else \
            f"argument {edge.position + 1}"
        return f"(as {role})"

    def adjoint(self) -> list[str]:
        rows = [self._adjoint_row(row) for row in self.result.reverse.rows]
        return self.table(r"Reverse adjoint trace (seed $\bar{y} = 1$)", "l", rows)

    def _adjoint_row(self, row: AdjointRow) -> str:
        if row.seed:
            return rf"${_bar(row.index)} = \bar{{y}} = 1$ \\"
        if not row.contributions:
            return rf"${_bar(row.index)} = 0$ \\"
        symbolic = " + ".join(rf"{_bar(c.consumer)} {_frac(c.partial.edge)}"
                              for c in row.contributions)
        partials = " + ".join(
            rf"{_bar(c.consumer)} \cdot {_paren(self.partial_tex(c.partial.edge))}"
            for c in row.contributions)
        numbers = " + ".join(rf"{self.factor(c.upstream)} \cdot {self.factor(c.partial.value)}"
                             for c in row.contributions)
        return (rf"${_bar(row.index)} = {symbolic} = {partials} = {numbers} = "
                rf"{self.num(row.v_bar)}$ \\")

    def tangent(self) -> list[str]:
        tangent = self.result.tangent
        if tangent is None:
            return []
        rows = []
        for row in tangent.rows:
            if row.seed:
                rows.append(rf"${_dot(row.index)} = {self.num(row.v_dot)}$ (seed) \\")
                continue
            symbolic = " + ".join(rf"{_frac(t.partial.edge)} {_dot(t.partial.edge.source)}"
                                  for t in row.terms) or "0"
            numbers = " + ".join(rf"{self.factor(t.partial.value)} \cdot "
                                 rf"{self.factor(t.v_dot_source)}" for t in row.terms) or "0"
            rows.append(rf"${_dot(row.index)} = {symbolic} = {numbers} = "
                        rf"{self.num(row.v_dot)}$ \\")
        title = (r"Forward tangent trace (seed $\dot{v} = 1$ for "
                 rf"${latex_name(tangent.wrt)}$, 0 for the other inputs)")
        return self.table(title, "l", rows)

    def result_rows(self) -> list[str]:
        out = latex_name(self.graph.output_name)
        rows = [rf"${out}$ & $= {self.num(self.result.value)}$ & \\"]
        for name, value in self.result.gradient.items():
            symbolic = self.result.derivatives.get(name)
            shown = "" if symbolic is None else f"$= {self.tex(symbolic, self.inputs)}$"
            rows.append(rf"$\frac{{\partial {out}}}{{\partial {latex_name(name)}}}$ & "
                        rf"$= {self.num(value)}$ & {shown} \\")
        if self.result.tangent is not None:
            rows.append(rf"$\dot{{{out}}}$ & $= {self.num(self.result.tangent.output)}$ & "
                        rf"(forward mode, seed ${latex_name(self.result.tangent.wrt)}$) \\")
        return self.table("Result", "lll", rows)


def latex_tables(result: TraceResult, options: Options, formula: ModuleType,
                 checks: list[str], standalone: bool = False) -> str:
    """The parts ``options.show`` asks for; ``standalone`` wraps them in a document."""
    tables = LatexTables(result, options, formula)
    show = options.show
    parts: list[Any] = [r"% gradtutor trace: " + _ascii(result.graph.source.replace("\n", "; "))]
    if "primal" in show:
        parts += tables.primal()
    if "partials" in show:
        parts += tables.partials()
    if "adjoint" in show and result.mode in ("reverse", "both"):
        parts += tables.adjoint()
    if "tangent" in show:
        parts += tables.tangent()
    if "result" in show:
        parts += tables.result_rows() + [f"% {_ascii(line)}" for line in checks]
    if not standalone:
        return "\n".join(parts) + "\n"
    body = [line if line.startswith("%") or not line.startswith(r"\end{tabular}")
            else line + r"\par\medskip" for line in parts]
    return "\n".join([*PREAMBLE, *body, r"\end{document}"]) + "\n"


def _paren(tex: str) -> str:
    return rf"\left({tex}\right)" if tex.startswith("-") or " + " in tex or " - " in tex \
        else tex


def _ascii(text: str) -> str:
    """Comments stay ASCII so that any LaTeX engine reads the file."""
    table = {"✓": "ok:", "✗": "FAILED:", "−": "-", "•": "-", "·": "*", "∂": "d", "ₓ": "x"}
    return "".join(table.get(c, c) if ord(c) > 127 else c for c in text).encode(
        "ascii", "replace").decode("ascii")
