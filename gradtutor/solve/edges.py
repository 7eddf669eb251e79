"""Solve stage, edges and trace parts: edge-labelled graph → adjoints (sweep + paths); trace.

An ``edges`` graph has no formulas, only the local partial on each edge, so backpropagation
is pure bookkeeping: seed ∂L/∂o from the loss, walk the nodes in reverse topological order,
and add one contribution per outgoing edge. For small graphs the same numbers are shown as
a sum over paths (the product of the labels along each path), an independent route.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..errors import InputError
from ..problems import Part, Problem
from ..sym import symbol
from .common import Check, map_checks, number_check, point

MAX_PATHS = 200


@dataclass(frozen=True)
class AdjointRow:
    node: str
    contributions: tuple[tuple[str, sp.Expr, sp.Expr], ...]  # (consumer, its adjoint, label)
    adjoint: sp.Expr


@dataclass(frozen=True)
class EdgesResult:
    output: str
    loss: sp.Expr
    seed: sp.Expr  # ∂L/∂o at the output's value
    rows: tuple[AdjointRow, ...]  # reverse order: the output first
    inputs: tuple[str, ...]
    paths: tuple[tuple[str, tuple[str, ...], sp.Expr], ...]  # (input, path, product)
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class TracePart:
    source: str
    result: Any  # gradtutor.api.TraceResult
    checks: tuple[Check, ...]


def _order(part: Part, edges: tuple[dict, ...], output: str) -> list[str]:
    """Topological order of the nodes (Kahn); refuses cycles and dead ends."""
    nodes = list(dict.fromkeys(n for e in edges for n in (e["from"], e["to"])))
    incoming = {n: sum(1 for e in edges if e["to"] == n) for n in nodes}
    order, ready = [], [n for n in nodes if incoming[n] == 0]
    while ready:
        node = ready.pop(0)
        order.append(node)
        for e in edges:
            if e["from"] == node:
                incoming[e["to"]] -= 1
                if incoming[e["to"]] == 0:
                    ready.append(e["to"])
    where = part.where.get("edges", "")
    if len(order) < len(nodes):
        raise InputError(f"{where}: the edges form a cycle", hint="a graph flows one way")
    if output not in nodes or any(e["from"] == output for e in edges):
        raise InputError(f"{where}: {output!r} must be a node with no outgoing edges",
                         hint="output: names the last node")
    return order


def solve_edges(problem: Problem, part: Part) -> EdgesResult:
    spec = part.spec
    edges, output = spec["edges"], spec["output"]
    order = _order(part, edges, output)
    loss = spec["loss"]
    seed = sp.diff(loss, symbol(output)).xreplace({symbol(output): spec["value"].value})
    adjoint: dict[str, sp.Expr] = {output: sp.nsimplify(seed)}
    rows = [AdjointRow(output, (), adjoint[output])]
    for node in reversed(order[:-1] if order[-1] == output else order):
        if node == output:
            continue
        outs = [e for e in edges if e["from"] == node]
        contributions = tuple((e["to"], adjoint[e["to"]], e["d"].value) for e in outs)
        adjoint[node] = sp.Add(*(a * d for _, a, d in contributions))
        rows.append(AdjointRow(node, contributions, adjoint[node]))
    inputs = tuple(n for n in order if not any(e["to"] == n for e in edges))
    paths = _paths(edges, inputs, output, seed) if spec.get("paths", True) else ()
    checks = map_checks("adjoints", (part.answer or {}).get("adjoints", {}), adjoint)
    return EdgesResult(output, loss, adjoint[output], tuple(rows), inputs, paths, tuple(checks))


def _paths(edges: tuple[dict, ...], inputs: tuple[str, ...], output: str, seed: sp.Expr
           ) -> tuple[tuple[str, tuple[str, ...], sp.Expr], ...]:
    found: list[tuple[str, tuple[str, ...], sp.Expr]] = []

    def walk(start: str, path: tuple[str, ...], product: sp.Expr) -> None:
        if len(found) > MAX_PATHS:
            return
        if path[-1] == output:
            found.append((start, path, product * seed))
        for e in edges:
            if e["from"] == path[-1]:
                walk(start, (*path, e["to"]), product * e["d"].value)

    for start in inputs:
        walk(start, (start,), sp.S.One)
    return tuple(found) if len(found) <= MAX_PATHS else ()


def solve_trace(problem: Problem, part: Part) -> TracePart:
    from ..api import trace
    from ..parse import input_names, parse_program

    source = part.spec["f"]
    names = input_names(parse_program(source))
    extra = [n for n in part.spec.get("at", {}) if n not in names]
    if extra:  # e.g. at: {y: 2} for the program "y = x*2", whose output is y
        raise InputError(f"{part.where.get('at', problem.path)}: {extra[0]!r} has a value but is "
                         "not an input of the program (it is assigned in it, or unused)",
                         hint=f"the program's inputs are: {', '.join(names) or '(none)'}")
    expr = sp.Add(*(symbol(n) for n in names))
    values = point(problem, part, expr)
    by_name = {s.name: v for s, v in values.items()}
    result = trace(source, {n: by_name[n] for n in names},
                   expand=part.spec.get("expand", False), mode=part.spec.get("mode", "reverse"),
                   wrt=part.spec.get("wrt"))
    answer = part.answer or {}
    checks = map_checks("gradient", answer.get("gradient", {}), result.gradient)
    if "value" in answer:
        checks.insert(0, number_check("value", answer["value"], result.value))
    return TracePart(source, result, tuple(checks))

