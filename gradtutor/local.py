"""Stage 2b, local partials: graph edge → symbolic ∂vᵢ/∂vⱼ, in v's and in the inputs.

The rules table holds each operation's partials once, in placeholders a, b, out; an edge's
partial is that formula with the placeholders replaced by the node's arguments (v-symbols or
constants) and its own primal vᵢ. Only the renderer asks for these, and only for graphs it shows.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from .graph import Edge, Graph, Node, vname
from .rules import OUT, PLACEHOLDERS, RULES, local_partials
from .sym import symbol

MAX_INLINE_OPS = 60  # longer partials "in the inputs" are not worth printing


@cache
def v_symbol(index: int) -> sp.Symbol:
    return sp.Symbol(vname(index), real=True)


def node_formula(node: Node) -> sp.Expr:
    """vᵢ's definition as a SymPy expression in v-symbols (unevaluated: keeps the user's form)."""
    args = [v_symbol(a) if isinstance(a, int) else a.value for a in node.args]
    with sp.evaluate(False):
        return RULES[node.op].build(*args)


def edge_partial(graph: Graph, edge: Edge) -> sp.Expr:
    """∂v_consumer/∂v_source in v-symbols, e.g. −1/v₂² for v₃ = 1/v₂."""
    node = graph.node(edge.consumer)
    subs: dict[sp.Symbol, sp.Expr] = {OUT: v_symbol(node.index)}
    for placeholder, arg in zip(PLACEHOLDERS, node.args, strict=False):
        subs[placeholder] = v_symbol(arg) if isinstance(arg, int) else arg.value
    return local_partials(node.op)[edge.position].xreplace(subs)


def inputs_form(graph: Graph) -> dict[sp.Symbol, sp.Expr]:
    """Each v-symbol → its node's expression in the inputs (for small graphs only)."""
    forms: dict[sp.Symbol, sp.Expr] = {}
    for node in graph.nodes:
        if node.op == "input":
            forms[v_symbol(node.index)] = symbol(node.name)
        else:
            args = [forms[v_symbol(a)] if isinstance(a, int) else a.value for a in node.args]
            forms[v_symbol(node.index)] = RULES[node.op].build(*args)
    return forms


def edge_partial_in_inputs(partial: sp.Expr, forms: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """The edge's partial written in the original inputs; None when it is too long to show."""
    try:
        expr = partial.xreplace(forms)
        return expr if sp.count_ops(expr) <= MAX_INLINE_OPS else None
    except RecursionError:
        return None
