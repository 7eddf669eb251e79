"""Render, tensor view: TensorTraceResult → rows of display strings (values as small matrices).

Only formatting happens here. Vectors print as [1, −1, 2], matrices one row per line; large
ones are summarised (first and last entries, and the shape) unless ``full`` is asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph import Edge, Node, definition, vname
from ..local import edge_partial
from ..numeric import format_value
from ..tensor import shape_text
from ..tensor_api import TensorTraceResult
from ..tensor_rules import TENSOR_RULES
from ..tensor_sweep import TensorAdjointRow, TensorContribution
from . import formula
from .trace_view import Options, Row, Section, vbar

KEEP = 3  # entries (and rows) kept at each end of a summarised vector or matrix
SMALL = 8  # vectors up to this size, and matrices up to this many rows/columns, print whole
MAX_JACOBIAN = 64  # entries of a local Jacobian beyond which --jacobians leaves it out


def number(value: Any, options: Options) -> str:
    if isinstance(value, np.floating):
        value = float(value)
    return format_value(value, options.digits, options.exact)


def _line(values: list[Any], options: Options, full: bool) -> str:
    shown = [number(v, options) for v in values]
    if not full and len(shown) > SMALL:
        shown = shown[:KEEP] + ["…"] + shown[-KEEP:]
    return "[" + ", ".join(shown) + "]"


def array_text(array: Any, options: Options) -> str:
    """A scalar, a vector on one line, or a matrix with one row per line."""
    array = np.asarray(array, dtype=object if np.asarray(array).dtype == object else float)
    if array.ndim == 0:
        return number(array[()], options)
    if array.ndim == 1:
        return _line(list(array), options, options.full)
    if array.ndim > 2:  # a Jacobian of a matrix: rows = its entries, row-major
        array = array.reshape(array.shape[0] * array.shape[1], -1) if array.ndim == 4 \
            else array.reshape(array.shape[0], -1)
    rows = [_line(list(row), options, options.full) for row in array]
    if not options.full and len(rows) > SMALL:
        rows = rows[:KEEP] + [" …"] + rows[-KEEP:]
    return "[" + ",\n ".join(rows) + "]"


def tensor_definition(node: Node) -> str:
    """The node in v's: v₋₂ @ v₋₁, Σ v₃, v₄[0], v₁ ⊙ v₂ (entrywise product)."""
    names = [vname(a) if isinstance(a, int) else str(a.value) for a in node.args]
    if node.op in TENSOR_RULES:
        return TENSOR_RULES[node.op].text.format(*names)
    if node.op == "mul" and node.shape and all(isinstance(a, int) for a in node.args):
        return f"{names[0]} ⊙ {names[1]}"
    return definition(node)


def _hanging(prefix: str, text: str) -> str:
    """A matrix after a label, its later rows aligned under its first."""
    return prefix + text.replace("\n", "\n" + " " * len(prefix))


def _times(adjoint: str, partial: str, sign: str) -> str:
    """v̄ ⊙ f′ as a student writes it: v̄ for 1, −v̄ for −1, brackets around sums."""
    if partial in ("1", "−1"):
        return adjoint if partial == "1" else f"−{adjoint}"
    wrapped = f"({partial})" if any(c in partial for c in " +−") else partial
    return f"{adjoint} {sign} {wrapped}" if sign == "⊙" else f"{adjoint}·{wrapped}"


class TensorView:
    def __init__(self, result: TensorTraceResult, options: Options) -> None:
        self.result = result
        self.graph = result.graph
        self.options = options

    def label(self, node: Node) -> str:
        return node.name or ""

    def forward_section(self) -> Section:
        rows = []
        for node, value in zip(self.graph.nodes, self.result.forward.values, strict=True):
            rows.append(Row((vname(node.index), self.label(node), shape_text(node.shape),
                             tensor_definition(node), array_text(value, self.options))))
        return Section("Forward primal trace", ("v", "name", "shape", "definition", "value"),
                       tuple(rows))

    def backward_text(self, edge: Edge) -> str:
        node = self.graph.node(edge.consumer)
        arg = self.graph.node(edge.source)
        if node.op in TENSOR_RULES:
            names = [vname(a) if isinstance(a, int) else str(a.value) for a in node.args]
            key = {"g": vbar(node.index), "abar": vbar(arg.index), "bbar": vbar(arg.index),
                   "out": vname(node.index)}
            return TENSOR_RULES[node.op].backward[edge.position].format(*names, **key)
        term = _times(vbar(node.index), formula.text(edge_partial(self.graph, edge)),
                      "⊙" if node.shape else "·")
        if arg.shape != node.shape:
            return f"{vbar(arg.index)} += Σ {term}  (summed over the broadcast entries)"
        return f"{vbar(arg.index)} += {term}"

    def rule_name(self, node: Node) -> str:
        if node.op in TENSOR_RULES:
            return TENSOR_RULES[node.op].rule
        from ..rules import RULES

        return RULES[node.op].rule + (" (entrywise)" if node.shape else "")

    def rules_section(self) -> Section:
        rows = [Row((f"{vname(e.consumer)} → {vname(e.source)}",
                     self.rule_name(self.graph.node(e.consumer)), self.backward_text(e)))
                for e in self.graph.edges]
        return Section("Backward rules (vector-Jacobian products; a gradient has the shape "
                       "of its variable)", ("edge", "rule", "contribution to the adjoint"),
                       tuple(rows))

    def adjoint_section(self) -> Section:
        rows = [Row((vbar(row.index), self.label(self.graph.node(row.index)),
                     shape_text(self.graph.node(row.index).shape), self.adjoint_lines(row),
                     array_text(row.v_bar, self.options)))
                for row in self.result.rows]
        return Section("Reverse adjoint trace (seed ȳ = 1)",
                       ("v̄", "name", "shape", "contributions", "adjoint"), tuple(rows))

    def adjoint_lines(self, row: TensorAdjointRow) -> str:
        if row.seed:
            return "seed ȳ = 1"
        many = len(row.contributions) > 1
        return "\n".join(self.contribution_line(c, many) for c in row.contributions) or "0"

    def contribution_line(self, c: TensorContribution, many: bool) -> str:
        amount = array_text(c.amount, self.options).replace("\n ", " ")
        line = f"from {vname(c.edge.consumer)}: += {amount}"
        return line + (f"  → {array_text(c.running, self.options)}" if many else "")

    def jacobian_section(self) -> Section:
        from ..tensor_jacobian import local_jacobian

        rows = []
        for edge in self.graph.edges:
            node, arg = self.graph.node(edge.consumer), self.graph.node(edge.source)
            size = max(1, int(np.prod(node.shape))) * max(1, int(np.prod(arg.shape)))
            jac = local_jacobian(self.result.forward, edge) if size <= MAX_JACOBIAN else None
            rows_n = max(1, int(np.prod(node.shape)))
            cols_n = max(1, int(np.prod(arg.shape)))
            text = array_text(jac, self.options) if jac is not None else "(too large to show)"
            rows.append(Row((f"∂{vname(edge.consumer)}/∂{vname(edge.source)}",
                             f"{rows_n}×{cols_n}", text)))
        return Section("Local Jacobians (numerator layout)",
                       ("∂vᵢ/∂vⱼ", "size", "rows = entries of vᵢ, columns = entries of vⱼ"),
                       tuple(rows))

    def result_lines(self) -> list[str]:
        out = self.graph.output
        lines = [_hanging(f"{out.name} = ", array_text(self.result.forward.output,
                                                        self.options))]
        what = "∂" if self.result.scalar_output else "Jacobian ∂"
        out_size = max(1, int(np.prod(out.shape)))
        for node in self.graph.inputs:
            value = self.result.jacobian_arrays[node.name]
            if not self.result.scalar_output:  # numerator layout, as --jacobians shows
                value = np.asarray(value).reshape(out_size, -1)
            lines.append(_hanging(f"{what}{out.name}/∂{node.name} ({shape_text(np.shape(value))})"
                                  " = ", array_text(value, self.options)))
        if not self.result.scalar_output:
            lines.append("(the output is not a scalar: its Jacobian, one reverse sweep per "
                         "output entry; rows = output entries)")
        return lines + self.verification_lines()

    def verification_lines(self) -> list[str]:
        check = self.result.verification
        parts = []
        if check.sympy_error is not None:
            parts.append(f"sympy.diff of the unrolled expression (max error "
                         f"{check.sympy_error:.1e})")
        if check.fd_error is not None:
            parts.append(f"central finite differences (max error {check.fd_error:.1e})")
        verdict = "agree" if check.agrees else "DISAGREE"
        head = f"Verified: the adjoints {verdict} with " + " and ".join(parts) if parts else \
            "Not verified numerically"
        route = ("values are exact (fractions; 50 digits once irrational)" if
                 self.result.route == "exact" else "values are float64 (a large input)")
        forward = [] if self.result.tangent is None else _tangent_lines(self.result,
                                                                          self.options)
        return [*forward, head, route, *check.notes, *self.result.forward.notes]


def _tangent_lines(result: TensorTraceResult, options: Options) -> list[str]:
    from .tensor_tangent import tangent_lines

    return tangent_lines(result, options)

