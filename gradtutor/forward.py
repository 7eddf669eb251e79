"""Stage 3a, forward: graph + point → primal values, local partial values, tangents.

The forward sweep walks the Wengert list in order. Besides each node's primal it evaluates the
local partial ∂vᵢ/∂vⱼ on every edge (what the reverse sweep multiplies by), so the reverse
sweep never re-evaluates a formula. Forward mode adds tangents v̇ᵢ = Σⱼ ∂vᵢ/∂vⱼ · v̇ⱼ.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .errors import DomainError, LimitError
from .functions import sigmoid
from .graph import Constant, Edge, Graph, Node, definition, vname
from .numeric import (
    OutsideDomain,
    Value,
    add,
    common,
    evaluate,
    format_value,
    from_sympy,
    guard_magnitude,
    is_finite,
    mul,
)
from .rules import OUT, PLACEHOLDERS, RULES, formula, local_partials


@dataclass(frozen=True)
class LocalPartial:
    """The value of ∂v_consumer/∂v_source on one edge; ``kink`` explains a convention used."""

    edge: Edge
    value: Value
    kink: str = ""


@dataclass(frozen=True)
class Forward:
    graph: Graph
    values: tuple[Value, ...]  # aligned with graph.nodes
    partials: tuple[LocalPartial, ...]  # aligned with graph.edges

    def value(self, index: int) -> Value:
        return self.values[index + self.graph.n_inputs - 1]

    @property
    def output(self) -> Value:
        return self.values[-1]

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.kink for p in self.partials if p.kink))


@dataclass(frozen=True)
class TangentTerm:
    partial: LocalPartial
    v_dot_source: Value  # v̇ⱼ
    amount: Value  # ∂vᵢ/∂vⱼ · v̇ⱼ


@dataclass(frozen=True)
class TangentRow:
    index: int
    terms: tuple[TangentTerm, ...]
    v_dot: Value
    seed: bool = False


@dataclass(frozen=True)
class Tangent:
    wrt: str
    rows: tuple[TangentRow, ...]  # aligned with graph.nodes

    @property
    def output(self) -> Value:
        return self.rows[-1].v_dot


def _arg_values(node: Node, values: dict[int, Value]) -> list[Value]:
    return [values[arg] if isinstance(arg, int) else _constant(arg) for arg in node.args]


def _constant(arg: Constant) -> Value:
    return from_sympy(arg.value)


def _env(args: list[Value], out: Value | None = None) -> dict[sp.Symbol, Value]:
    env: dict[sp.Symbol, Value] = dict(zip(PLACEHOLDERS, args, strict=False))
    if out is not None:
        env[OUT] = out
    return env


def _evaluate_node(graph: Graph, node: Node, args: list[Value], what: str,
                   expr: sp.Expr, out: Value | None = None) -> Value:
    try:
        result = guard_magnitude(evaluate(expr, _env(args, out)))
    except (OutsideDomain, ZeroDivisionError) as err:
        reason = str(err) or "division by zero"
        raise _domain(graph, node, args, f"{what}{reason}") from None
    except (LimitError, OverflowError, MemoryError) as err:
        reason = err.message if isinstance(err, LimitError) else "the result is too large"
        raise LimitError(f"{vname(node.index)} = {definition(node)}: {reason}",
                         location=graph.where(node),
                         hint="choose a point where the values stay within 10^±1 000 000"
                         ) from None
    if not is_finite(result):
        raise _domain(graph, node, args, f"{what}the result overflows")
    return result


def _domain(graph: Graph, node: Node, args: list[Value], reason: str) -> DomainError:
    shown = ", ".join(f"{vname(a)} = {format_value(v)}"
                      for a, v in zip(node.args, args, strict=True) if isinstance(a, int))
    return DomainError(
        f"{vname(node.index)} = {definition(node)} cannot be evaluated at {shown}: {reason}",
        location=graph.where(node),
        hint="choose a point inside the domain (no division by zero, log and sqrt of "
             "positive numbers, no negative base to a fractional power)")


def primal_values(graph: Graph, point: dict[str, Value]) -> dict[int, Value]:
    """Just the primals (used again by the finite-difference check)."""
    values: dict[int, Value] = {node.index: point[node.name] for node in graph.inputs}
    for node in graph.steps:
        args = _arg_values(node, values)
        values[node.index] = _evaluate_node(graph, node, args, "",
                                            formula(node.op))
    return values


def run_forward(graph: Graph, point: dict[str, Value]) -> Forward:
    """Primals of every node, then the local partial on every edge."""
    values = primal_values(graph, point)
    partials = tuple(_local_partial(graph, edge, values) for edge in graph.edges)
    ordered = tuple(values[node.index] for node in graph.nodes)
    return Forward(graph, ordered, partials)


# Numerically stable forms of partials the table writes in the node's own value: σ·(1 − σ)
# and 1 − tanh² cancel catastrophically for large |a| (σ(100) = 1 − 4e−44 leaves 6 digits of
# 1 − σ at 50 digits, σ(300) none). The table's form is what is shown; this is what is computed.
_A = PLACEHOLDERS[0]
STABLE_PARTIALS = {"sigmoid": sigmoid(_A) * sigmoid(-_A), "tanh": 1 / sp.cosh(_A) ** 2}


def _local_partial(graph: Graph, edge: Edge, values: dict[int, Value]) -> LocalPartial:
    node = graph.node(edge.consumer)
    args = _arg_values(node, values)
    expr = STABLE_PARTIALS.get(node.op, local_partials(node.op)[edge.position])
    what = f"its derivative ∂{vname(node.index)}/∂{vname(edge.source)} is undefined: "
    value = _evaluate_node(graph, node, args, what, expr, values[node.index])
    kink = RULES[node.op].kink
    at_kink = kink is not None and kink.at(*(common(args) + [None])[:2])
    return LocalPartial(edge, value, kink.text if at_kink and kink else "")


def run_tangent(forward: Forward, wrt: str) -> Tangent:
    """Forward mode: seed ẋ = 1 for ``wrt`` and 0 for the other inputs; sweep in order."""
    graph = forward.graph
    dots: dict[int, Value] = {}
    rows: list[TangentRow] = []
    for node in graph.inputs:
        dots[node.index] = Fraction(1 if node.name == wrt else 0)
        rows.append(TangentRow(node.index, (), dots[node.index], seed=True))
    incoming: dict[int, list[LocalPartial]] = {}
    for partial in forward.partials:
        incoming.setdefault(partial.edge.consumer, []).append(partial)
    for node in graph.steps:
        terms = tuple(TangentTerm(p, dots[p.edge.source], mul(p.value, dots[p.edge.source]))
                      for p in incoming.get(node.index, []))
        total: Value = Fraction(0)
        for term in terms:
            total = add(total, term.amount)
        dots[node.index] = total
        rows.append(TangentRow(node.index, terms, total))
    return Tangent(wrt, tuple(rows))
