"""Render, tensor LaTeX: TensorTraceResult → amsmath tables (forward with shapes, VJP rules,
adjoints, result, local Jacobians) to paste, or a document that compiles with plain pdflatex.

Values are small matrices (vectors as columns, as lecture notes write them), summarised with
dots past 8 entries a side unless ``full``. Every adjoint row is a true equation: the sum of
its contributions, each written as the VJP it came from, then their values, then the total.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph import Edge, Node
from ..numeric import format_value
from ..tensor_api import TensorTraceResult
from ..tensor_sweep import TensorAdjointRow
from .tensor_latex_rules import bar_tex, bare_sum, latex_definition, v_tex, vjp_latex
from .tensor_view import KEEP, MAX_JACOBIAN, SMALL, TensorView
from .trace_latex import PREAMBLE, latex_name, latex_number
from .trace_view import Options


def number_tex(value: Any, options: Options) -> str:
    if isinstance(value, np.floating | np.integer):
        value = float(value)
    return latex_number(format_value(value, options.digits, options.exact, unicode=False))


def _cut(items: list[Any], full: bool) -> list[Any | None]:
    """The entries shown: all, or the first and last KEEP with None for the gap."""
    return items if full or len(items) <= SMALL else [*items[:KEEP], None, *items[-KEEP:]]


def matrix_tex(value: Any, options: Options) -> str:
    """A number, a column vector or a matrix as a bracketed array."""
    array = np.asarray(value, dtype=object)
    if array.ndim == 0:
        return number_tex(array[()], options)
    if array.ndim == 1:
        rows = [[r"\vdots" if v is None else number_tex(v, options)]
                for v in _cut(list(array), options.full)]
    else:
        array = array.reshape(array.shape[0], -1)
        rows = [[r"\ddots" if v is None else r"\vdots" for v in _cut(list(array[0]),
                                                                   options.full)]
                if row is None else
                [r"\cdots" if v is None else number_tex(v, options)
                 for v in _cut(list(row), options.full)]
                for row in _cut(list(array), options.full)]
    body = r" \\ ".join(" & ".join(row) for row in rows)
    columns = "r" * len(rows[0])  # an array, not bmatrix: no 10-column limit with --full
    return rf"\left[\begin{{array}}{{{columns}}} {body} \end{{array}}\right]"


def shape_tex(shape: tuple[int, ...]) -> str:
    return "scalar" if not shape else "$" + r" \times ".join(map(str, shape)) + "$"


def text_tex(text: str) -> str:
    """Plain text (rule names, notes) made safe: ASCII, LaTeX's special characters escaped."""
    from .trace_latex import _ascii

    table = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
             "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
             "^": r"\textasciicircum{}"}
    return "".join(table.get(c, c) for c in _ascii(text))


_v, _bar = v_tex, bar_tex
BAR = r"\bar{v}_"


class TensorLatex:
    """One TensorTraceResult written as LaTeX tabulars; each method returns lines."""

    def __init__(self, result: TensorTraceResult, options: Options) -> None:
        self.result, self.options, self.graph = result, options, result.graph
        self.view = TensorView(result, options)

    def m(self, value: Any) -> str:
        return matrix_tex(value, self.options)

    @staticmethod
    def table(title: str, columns: str, rows: list[str]) -> list[str]:
        """A tabular; a row holding a matrix gets 3pt below it, so brackets never touch (a
        \\\\[3pt] would not: it only deepens the strut, not the row)."""
        rows = [row + r" \noalign{\vskip 3pt}" if r"\begin{array}" in row else row
                for row in rows]
        return [rf"\begin{{tabular}}{{{columns}}}",
                rf"\multicolumn{{{len(columns)}}}{{l}}{{\textbf{{{title}}}}} \\ \hline", *rows,
                r"\end{tabular}", ""]

    def label(self, node: Node) -> str:
        named = rf"\quad({latex_name(node.name)})" if node.name and node.op != "input" else ""
        return f"${_v(node.index)}{named}$"

    def primal(self) -> list[str]:
        rows = []
        for node, value in zip(self.graph.nodes, self.result.forward.values, strict=True):
            rows.append(rf"{self.label(node)} & {shape_tex(node.shape)} & "
                        rf"$= {latex_definition(self.graph, node)}$ & $= {self.m(value)}$ \\")
        rows.insert(len(self.graph.inputs), r"\hline")
        return self.table("Forward primal trace (functions and powers act entrywise; "
                          r"$\odot$ is the entrywise product)", "llll", rows)

    def rules(self) -> list[str]:
        rows = []
        for edge in self.graph.edges:
            rule = text_tex(self.view.rule_name(self.graph.node(edge.consumer)))
            rows.append(rf"${_v(edge.consumer)} \to {_v(edge.source)}$ & {rule} & "
                        rf"${_bar(edge.source)} \mathrel{{+}}= {self.vjp(edge)}$ \\")
        return self.table("Backward rules (vector-Jacobian products; a gradient has the shape "
                          "of its variable)", "lll", rows)

    def vjp(self, edge: Edge) -> str:
        return vjp_latex(self.graph, edge)

    def jacobians(self) -> list[str]:
        from ..tensor_jacobian import local_jacobian

        rows = []
        for edge in self.graph.edges:
            node, arg = self.graph.node(edge.consumer), self.graph.node(edge.source)
            size = (max(1, int(np.prod(node.shape))), max(1, int(np.prod(arg.shape))))
            shown = rf"$= {self.m(local_jacobian(self.result.forward, edge))}$" \
                if size[0] * size[1] <= MAX_JACOBIAN else "(too large to show)"
            rows.append(rf"$\frac{{\partial {_v(edge.consumer)}}}{{\partial "
                        rf"{_v(edge.source)}}}$ & ${size[0]} \times {size[1]}$ & {shown} \\")
        return self.table(r"Local Jacobians (numerator layout: rows = entries of $v_i$, "
                          r"columns = entries of $v_j$, row-major)", "lll", rows)

    def adjoint(self) -> list[str]:
        rows = [self._adjoint_row(row) for row in self.result.rows]
        return self.table(r"Reverse adjoint trace (seed $\bar{y} = 1$)", "lll", rows)

    def _adjoint_row(self, row: TensorAdjointRow) -> str:
        node = self.graph.node(row.index)
        label = self.label(node).replace("v_", BAR, 1)
        head = f"{label} & {shape_tex(node.shape)} & "
        if row.seed:
            return head + rf"${_bar(row.index)} = \bar{{y}} = 1$ \\"
        if not row.contributions:
            return head + rf"${_bar(row.index)} = {self.m(row.v_bar)}$ \\"
        if len(row.contributions) == 1:
            only = row.contributions[0]
            return head + rf"${_bar(row.index)} = {self.vjp(only.edge)} = {self.m(row.v_bar)}$ \\"
        symbolic = _lines([self.vjp(c.edge) for c in row.contributions])
        numbers = _lines([_signed(self.m(c.amount)) for c in row.contributions])
        steps = [rf"&= {symbolic[0]}", *symbolic[1:], rf"&= {numbers[0]}", *numbers[1:],
                 rf"&= {self.m(row.v_bar)}"]
        return head + (rf"$\begin{{aligned}}[t] {_bar(row.index)} " + r" \\ ".join(steps) +
                       r" \end{aligned}$ \\")

    def tangent(self) -> list[str]:
        from .tensor_tangent import jvp_text, moving_nodes

        tangent, moving, rows = self.result.tangent, moving_nodes(self.result), []
        assert tangent is not None
        for row in tangent.rows:
            node = self.graph.node(row.index)
            dot = rf"\dot{{v}}_{{{row.index}}}"
            how = ("" if not row.seed else r"\quad\text{(seed)}" if node.name == tangent.wrt
                   else r"\quad\text{(not seeded)}")
            shown = "" if row.seed else f" = {jvp_text(self.graph, node, moving, latex=True)}"
            label = self.label(node).replace("v_", r"\dot{v}_", 1)
            rows.append(rf"{label} & {shape_tex(node.shape)} & ${dot}{shown} = "
                        rf"{self.m(row.v_dot)}{how}$ \\")
        wrt = latex_name(tangent.wrt)
        return self.table(rf"Forward tangent trace (seed $\dot{{{wrt}}}$ = the direction, 0 "
                          "for the other inputs; JVPs)", "lll", rows)

    def result_rows(self) -> list[str]:
        out = self.graph.output
        name = latex_name(out.name)
        rows = [rf"${name}$ & {shape_tex(out.shape)} & $= {self.m(self.result.forward.output)}$"
                r" \\"]
        out_size = max(1, int(np.prod(out.shape)))
        for node in self.graph.inputs:
            value = self.result.jacobian_arrays[node.name]
            if not self.result.scalar_output:  # numerator layout, as --jacobians shows
                value = np.asarray(value, dtype=object).reshape(out_size, -1)
            rows.append(rf"$\frac{{\partial {name}}}{{\partial {latex_name(node.name)}}}$ & "
                        rf"{shape_tex(np.shape(value))} & $= {self.m(value)}$ \\")
        notes = self.view.verification_lines()
        tangent = self.result.tangent
        if tangent is not None:  # its first line, in math: the output's tangent and the seed
            notes = notes[1:]
            rows.append(rf"$\dot{{{name}}}$ & {shape_tex(out.shape)} & $= "
                        rf"{self.m(tangent.output)}$ \quad (forward mode, seed "
                        rf"$\dot{{{latex_name(tangent.wrt)}}} = {self.m(tangent.direction)}$) \\")
        if not self.result.scalar_output:
            notes.insert(0, "the output is not a scalar: its Jacobian, one reverse sweep per "
                         "output entry; rows = output entries")
        rows += [rf"\multicolumn{{3}}{{p{{0.9\linewidth}}}}{{\footnotesize {text_tex(n)}}} \\"
                 for n in notes]
        return self.table("Result", "lll", rows)


def _lines(terms: list[str], per_line: int = 3) -> list[str]:
    """Contributions added up, three to a line: a − b for a + (−b), sums bracketed; the
    lines after the first are aligned continuations (&\\quad + …)."""
    out = []
    for start in range(0, len(terms), per_line):
        line = ""
        for i, term in enumerate(terms[start:start + per_line], start):
            term = rf"\left({term}\right)" if bare_sum(term) else term
            sign = "- " if term.startswith("-") and i else "+ " if i else ""
            line += (" " if line else "") + sign + (term[1:] if sign == "- " else term)
        out.append(line if start == 0 else r"&\quad " + line)
    return out


def _signed(tex: str) -> str:
    return rf"\left({tex}\right)" if tex.startswith("-") else tex


def tensor_latex(result: TensorTraceResult, options: Options, jacobians: bool = False) -> str:
    """The parts ``options.show`` asks for; ``options.standalone`` wraps them in a document."""
    from .trace_latex import _ascii

    tables = TensorLatex(result, options)
    show = options.show
    parts = [r"% gradtutor trace: " + _ascii(result.graph.source.replace("\n", "; "))]
    reverse = result.mode != "forward"
    if "primal" in show:
        parts += tables.primal()
    if "tangent" in show and result.tangent is not None:
        parts += tables.tangent()
    if "partials" in show:
        parts += (tables.rules() if reverse else []) + (tables.jacobians() if jacobians
                                                         else [])
    if "adjoint" in show and result.rows and reverse:
        parts += tables.adjoint()
    if "result" in show:
        parts += tables.result_rows()
    if not options.standalone:
        return "\n".join(parts) + "\n"
    body = [_long(line) for line in parts]
    return "\n".join([*PREAMBLE_TENSOR, *body, r"\end{document}"]) + "\n"


def _long(line: str) -> str:
    """In a document, tables are longtables: a long trace breaks across pages."""
    if line.startswith(r"\begin{tabular}"):
        return line.replace("tabular", "longtable", 1)
    return r"\end{longtable}" if line == r"\end{tabular}" else line


# the scalar preamble, with longtable, and matrices' rows at 1.2 (not 1.5) to stay compact
PREAMBLE_TENSOR = (*(line.replace(r"{\arraystretch}{1.5}", r"{\arraystretch}{1.2}")
                     for line in PREAMBLE[:2]),
                   r"\usepackage{longtable}\setlength{\LTleft}{0pt}\setlength{\LTpre}{0pt}",
                   *(line.replace(r"{\arraystretch}{1.5}", r"{\arraystretch}{1.2}")
                     for line in PREAMBLE[2:]))
