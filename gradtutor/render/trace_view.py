"""Render, trace view: TraceResult → rows of display strings shared by every output format.

Only formatting happens here. Large graphs are summarised (first and last rows) unless
``full`` is asked for, so a 3000-node trace prints in a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..api import TraceResult
from ..forward import LocalPartial, TangentRow
from ..graph import Edge, Graph, Node, arg_text, definition, vname
from ..local import edge_partial, edge_partial_in_inputs, inputs_form
from ..numeric import Value, format_value
from ..reverse import AdjointRow, Contribution
from ..rules import RULES
from . import formula

SUMMARY_THRESHOLD = 60  # nodes beyond which tables are summarised unless full=True
SUMMARY_KEEP = 12  # rows kept at each end of a summarised table
BAR, DOT = "\u0304", "\u0307"


SHOWABLE = ("primal", "partials", "adjoint", "tangent", "result")
ROLES = {"add": ("1st term", "2nd term"), "sub": ("minuend", "subtrahend"),
         "mul": ("1st factor", "2nd factor"), "div": ("numerator", "denominator"),
         "pow": ("base", "exponent")}


@dataclass(frozen=True)
class Options:
    digits: int = 6
    exact: bool = False
    full: bool = False
    show: tuple[str, ...] = SHOWABLE  # which parts to print (--show)
    compact: bool = False  # no rules between table rows (--compact)
    standalone: bool = False  # LaTeX: a whole document, not tables to paste (--standalone)
    transform: Callable[[str], str] | None = None  # plain text: e.g. ASCII stand-ins, applied
    # to every cell before the columns are sized (so a narrower stream still lines up)


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    omitted: int = 0  # rows left out of a summary (after the first SUMMARY_KEEP rows)


def vbar(index: int) -> str:
    return "v" + BAR + vname(index)[1:]


def vdot(index: int) -> str:
    return "v" + DOT + vname(index)[1:]


class View:
    """Formats one TraceResult; every method returns strings, nothing is computed anew."""

    def __init__(self, result: TraceResult, options: Options) -> None:
        self.result = result
        self.graph: Graph = result.graph
        self.options = options
        small = len(self.graph.nodes) <= SUMMARY_THRESHOLD
        self.forms = inputs_form(self.graph) if small else None
        self._partials: dict[Edge, sp.Expr] = {}
        self._texts: dict[Edge, str] = {}
        self._numbers: dict[tuple[type, Value], str] = {}

    def symbolic(self, edge: Edge) -> sp.Expr:
        """The edge's partial in v's, built once for both tables that show it."""
        if edge not in self._partials:
            self._partials[edge] = edge_partial(self.graph, edge)
        return self._partials[edge]

    def symbolic_text(self, edge: Edge) -> str:
        if edge not in self._texts:
            self._texts[edge] = formula.text(self.symbolic(edge))
        return self._texts[edge]

    def num(self, value: Value) -> str:
        """Formatted once per distinct value (a value is shown in several tables)."""
        key = (type(value), value)
        text = self._numbers.get(key)
        if text is None:
            text = self._numbers[key] = format_value(value, self.options.digits,
                                                       self.options.exact)
        return text

    def factor(self, value: Value) -> str:
        text = self.num(value)
        return f"({text})" if text.startswith("−") or "/" in text else text

    def label(self, node: Node) -> str:
        return f"{vname(node.index)} ({node.name})" if node.name else vname(node.index)

    def pick(self, items: list) -> tuple[list, int]:
        if self.options.full or len(items) <= SUMMARY_THRESHOLD:
            return items, 0
        keep = SUMMARY_KEEP
        return items[:keep] + items[-keep:], len(items) - 2 * keep

    def forward_section(self) -> Section:
        nodes, omitted = self.pick(list(self.graph.nodes))
        rows = tuple(Row((self.label(n), definition(n), self.numbers(n),
                          self.num(self.result.forward.value(n.index)))) for n in nodes)
        return Section("Forward primal trace",
                       ("node", "definition", "with numbers", "value"), rows, omitted)

    def numbers(self, node: Node) -> str:
        if node.op == "input":
            return ""
        template = RULES[node.op].text
        show = self.num if "(" in template else self.factor  # f(−1.4), but 0.5·(−1.4)
        values = [show(self.result.forward.value(a)) if isinstance(a, int) else arg_text(a)
                  for a in node.args]
        return template.format(*values)

    def partial_section(self) -> Section:
        partials, omitted = self.pick(list(self.result.forward.partials))
        rows = tuple(self.partial_row(p) for p in partials)
        headers = ("edge", "∂vᵢ/∂vⱼ", "in the inputs", "rule", "value")
        return Section("Local partials", headers, rows, omitted)

    def partial_row(self, partial: LocalPartial) -> Row:
        edge = partial.edge
        symbolic = self.symbolic(edge)
        in_inputs = edge_partial_in_inputs(symbolic, self.forms) if self.forms else None
        rule = RULES[self.graph.node(edge.consumer).op]
        value = self.num(partial.value) + (" (kink)" if partial.kink else "")
        return Row((self.edge_name(edge), self.symbolic_text(edge),
                    formula.text(in_inputs) if in_inputs is not None else "…",
                    rule.rule, value))

    def edge_name(self, edge: Edge) -> str:
        return edge_name(self.graph, edge)

    def rules_section(self) -> Section:
        ops = dict.fromkeys(n.op for n in self.graph.steps if n.op != "id")
        rows = tuple(Row((RULES[op].rule, RULES[op].explain)) for op in ops)
        return Section("Rules used", ("rule", "local partials"), rows)

    def adjoint_section(self) -> Section:
        rows, omitted = self.pick(list(self.result.reverse.rows))
        out = tuple(Row((self.label(self.graph.node(r.index)), "\n".join(self.adjoint_lines(r)),
                         self.num(r.v_bar))) for r in rows)
        return Section("Reverse adjoint trace (seed ȳ = 1)", ("node", "adjoint", "value"), out,
                       omitted)

    def adjoint_lines(self, row: AdjointRow) -> list[str]:
        if row.seed:
            return [f"{vbar(row.index)} = ȳ = 1  (seed)"]
        if not row.contributions:
            return [f"{vbar(row.index)} = 0  (the output does not depend on it)"]
        lines = [self.contribution_line(row.index, c, first=i == 0)
                 for i, c in enumerate(row.contributions)]
        if len(row.contributions) > 1:
            users = ", ".join(dict.fromkeys(vname(c.consumer) for c in row.contributions))
            lines.append(f"(fan-out: {vname(row.index)} feeds {users}; "
                         f"its adjoint is the sum of {len(row.contributions)} contributions)")
        return lines

    def contribution_line(self, index: int, c: Contribution, first: bool) -> str:
        edge = c.partial.edge
        symbolic = self.symbolic_text(edge)
        partial_name = self.edge_name(edge)
        line = (f"{vbar(index)} {'=' if first else '+='} {vbar(edge.consumer)}·{partial_name}"
                f" = {vbar(edge.consumer)}·{_wrap(symbolic)}"
                f" = {self.factor(c.upstream)}·{self.factor(c.partial.value)}"
                f" = {self.num(c.amount)}")
        return line if first else f"{line}  → {self.num(c.running)}"

    def tangent_section(self) -> Section | None:
        tangent = self.result.tangent
        if tangent is None:
            return None
        rows, omitted = self.pick(list(tangent.rows))
        out = tuple(Row((self.label(self.graph.node(r.index)), self.tangent_line(r),
                         self.num(r.v_dot))) for r in rows)
        title = f"Forward tangent trace (seed v̇ = 1 for {tangent.wrt}, 0 for the other inputs)"
        return Section(title, ("node", "tangent", "value"), out, omitted)

    def tangent_line(self, row: TangentRow) -> str:
        if row.seed:
            return f"{vdot(row.index)} = {self.num(row.v_dot)}  (seed)"
        if not row.terms:
            return f"{vdot(row.index)} = 0"
        symbolic = " + ".join(f"∂{vname(row.index)}/∂{vname(t.partial.edge.source)}·"
                              f"{vdot(t.partial.edge.source)}" for t in row.terms)
        numbers = " + ".join(f"{self.factor(t.partial.value)}·{self.factor(t.v_dot_source)}"
                             for t in row.terms)
        return f"{vdot(row.index)} = {symbolic} = {numbers}"

    def result_lines(self) -> list[str]:
        result, graph = self.result, self.graph
        lines = [f"{graph.output_name} = {self.num(result.value)}"]
        symbolic = result.derivatives
        for name, value in result.gradient.items():
            line = f"∂{graph.output_name}/∂{name} = {self.num(value)}"
            if name in symbolic:
                line += f"    = {formula.text(symbolic[name])}"
            lines.append(line)
        if result.tangent is not None:
            lines.append(f"forward mode: ∂{graph.output_name}/∂{result.tangent.wrt} = "
                         f"{self.num(result.tangent.output)} (the output's tangent)")
        return lines + self.verification_lines()

    def verification_lines(self) -> list[str]:
        check = self.result.verification
        lines = []
        if check.sympy_error is not None:
            mark = "✓ agrees" if check.sympy_agrees else "✗ DISAGREES"
            lines.append(f"{mark} with sympy.diff of the whole expression "
                         f"(max difference {_small(check.sympy_error)})")
        elif check.symbolic_note:
            lines.append(f"• {check.symbolic_note}")
        if check.fd_error is not None:
            mark = "✓ agrees" if check.fd_agrees else "✗ DISAGREES"
            lines.append(f"{mark} with central finite differences "
                         f"(relative difference {_small(check.fd_error)})")
        elif check.fd_note:
            lines.append(f"• {check.fd_note}")
        if not check.agrees:
            lines.append("✗ the checks disagree with the adjoints: this is a bug in gradtutor, "
                         "please report it")
        notes = (*self.result.graph.notes, *kink_notes(self.result))
        return lines + [f"Note: {note}" for note in notes]


CANCELS = ("the kink cancels: the whole output is differentiable here (its one-sided "
           "derivatives agree along random directions and with the adjoints), so no "
           "convention is involved in this gradient")
CONVENTION = ("the kinks cancel in the whole output, which is differentiable here, but the "
              "conventions below give a different gradient (as autodiff libraries do)")


def kink_notes(result: TraceResult) -> list[str]:
    """The kink notes worth printing: none of the conventions when the kink cancels."""
    effect = result.verification.kink if result.forward.notes else ""
    if effect == "cancels":
        return [CANCELS]
    notes = list(result.forward.notes)
    return [CONVENTION, *notes] if effect == "convention" else notes


def _small(value: Value) -> str:
    return "0" if value == 0 else format_value(value, 2)


def _wrap(text: str) -> str:
    plain = not any(c in text for c in " /·") and not text.startswith("−")
    return text if plain else f"({text})"


def edge_name(graph: Graph, edge: Edge) -> str:
    """∂v₁/∂v₀, with the argument's role when the same source feeds the node twice
    (x^x: "∂v₁/∂v₀ (as base)" and "∂v₁/∂v₀ (as exponent)")."""
    name = f"∂{vname(edge.consumer)}/∂{vname(edge.source)}"
    node = graph.node(edge.consumer)
    if node.args.count(edge.source) < 2:
        return name
    roles = ROLES.get(node.op, ())
    role = roles[edge.position] if edge.position < len(roles) else f"argument {edge.position + 1}"
    return f"{name} (as {role})"
