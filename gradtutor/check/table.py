"""Table check: EXPR + --at + a student's primal/adjoint table → one Verdict per cell.

Each cell is compared with the true value from the trace core, then recomputed from the
student's OWN earlier cells (their primals feed later primals and every local partial; their
adjoints feed the adjoints upstream). A cell that is wrong only because an earlier cell was
wrong, yet computed correctly from it, *follows through* and keeps its mark.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from ..api import TraceResult, trace
from ..errors import InputError
from ..graph import Edge, Node, build_graph, definition, vname
from ..local import edge_partial
from ..numeric import Value, add, evaluate, format_value, from_sympy, mul
from ..parse import parse_program
from ..rules import OUT, PLACEHOLDERS, formula, local_partials
from ..sym import source_text
from .number import Policy, number_slips, parse_number, policy_for
from .rows import (
    UNMATCHED,
    describe_unmatched,
    is_number_key,
    match_cells,
    normalize_key,
    renumbering,
)
from .tablefile import ADJOINT, PRIMAL, Cell, read_table, table_cells
from .verdict import FOLLOWS, RIGHT, WRONG, CheckResult, Verdict


@dataclass(frozen=True)
class Sheet:
    """The student's numbers, with the true values wherever they left a cell empty."""

    result: TraceResult
    primal: dict[int, Value]
    adjoint: dict[int, Value]

    def p(self, index: int) -> Value:
        return self.primal.get(index, self.result.forward.value(index))

    def a(self, index: int) -> Value:
        return self.adjoint.get(index, self.result.reverse.adjoints[index])


def check_table(source: str, at: str | dict, table: str | dict) -> CheckResult:
    """Check a table file (or a loaded mapping) for ``source`` at the point ``at``."""
    result = trace(source, at)
    if not isinstance(result, TraceResult):  # vectors/matrices: nested-list cells
        from .tensor_table import check_tensor_table

        return check_tensor_table(source, result, table)
    cells = table_cells(table, result.graph) if isinstance(table, dict) else \
        read_table(table, result.graph)
    return CheckResult("table", f"table for {source}", table_verdicts(result, cells),
                       _unchecked(result, cells))


def table_verdicts(result: TraceResult, cells: list[Cell]) -> tuple[Verdict, ...]:
    """Rows matched to nodes by what they are (rows.py), then each cell judged."""
    cells = everything = _in_our_numbering(result, match_cells(cells, result.graph))
    lost = [c for c in cells if c.index == UNMATCHED]
    cells = [c for c in cells if c.index != UNMATCHED]
    sheet = Sheet(result, *_values(cells))
    order = {node.index: i for i, node in enumerate(result.graph.nodes)}
    cells = sorted(cells, key=lambda c: (c.kind == ADJOINT,
                                         order[c.index] * (-1 if c.kind == ADJOINT else 1)))
    return tuple(_cell_verdict(sheet, cell) for cell in cells) + tuple(
        Verdict(c.key, WRONG, c.text, "", (describe_unmatched(c, everything),), "not-a-step")
        for c in lost)


def _in_our_numbering(result: TraceResult, cells: list[Cell]) -> list[Cell]:
    """Rows keyed v1, v2 … in another valid order (as written) are renumbered if that fits."""
    graph = result.graph
    numbered = [i for i, c in enumerate(cells) if is_number_key(c.key, graph)]
    if not numbered or any(c.definition for c in cells):
        return cells
    written = build_graph(parse_program(graph.source), [n.name for n in graph.inputs],
                          numbering="written")
    perm = renumbering(graph, written)
    if perm is None or all(perm[k] == k for k in perm):
        return cells
    moved = [replace(c, index=perm[c.index]) if i in numbered else c
             for i, c in enumerate(cells)]
    return moved if _fits(result, moved) > _fits(result, cells) else cells


def _fits(result: TraceResult, cells: list[Cell]) -> int:
    """How many cells hold the true value of the node they are read as."""
    count = 0
    for c in cells:
        true = result.forward.value(c.index) if c.kind == PRIMAL else \
            result.reverse.adjoints[c.index]
        try:
            count += policy_for(c.text).matches(true, parse_number(c.text))
        except InputError:
            pass
    return count


def _values(cells: list[Cell]) -> tuple[dict[int, Value], dict[int, Value]]:
    primal: dict[int, Value] = {}
    adjoint: dict[int, Value] = {}
    for cell in cells:
        target = primal if cell.kind == PRIMAL else adjoint
        if cell.index in target:
            raise InputError(f"{_item(cell)} is given twice in the table", location=cell.where)
        target[cell.index] = parse_number(cell.text, f"value of {_item(cell)}")
    return primal, adjoint


def _item(cell: Cell, node: Node | None = None) -> str:
    name = vname(cell.index)
    text = name if cell.kind == PRIMAL else "v\u0304" + name[1:]
    label = f"{text} ({node.name})" if node is not None and node.name else text
    key = normalize_key(cell.key)
    ours = {f"v{cell.index}", node.name if node is not None else ""}
    return label if not cell.key or key in ours else f"{label} (your {key})"


def _unchecked(result: TraceResult, cells: list[Cell]) -> tuple[str, ...]:
    given = {(c.kind, c.index) for c in cells}
    steps = [n.index for n in result.graph.steps]
    missing = [vname(i) for i in steps if (PRIMAL, i) not in given]
    missing += ["v\u0304" + vname(n.index)[1:] for n in result.graph.nodes
                if (ADJOINT, n.index) not in given]
    return (f"Not in the table, so not checked: {', '.join(missing)}.",) if missing else ()


def _cell_verdict(sheet: Sheet, cell: Cell) -> Verdict:
    result = sheet.result
    node = result.graph.node(cell.index)
    given = sheet.primal[cell.index] if cell.kind == PRIMAL else sheet.adjoint[cell.index]
    true = result.forward.value(cell.index) if cell.kind == PRIMAL else \
        result.reverse.adjoints[cell.index]
    own, working = (_own_primal(sheet, node) if cell.kind == PRIMAL
                    else _own_adjoint(sheet, node))
    policy = policy_for(cell.text)
    item, shown = _item(cell, node), format_value(true, 12)
    if policy.matches(true, given):
        return Verdict(item, RIGHT, cell.text, shown, (), policy=policy.text, working=working)
    if own is not None and policy.matches(own, given):
        return Verdict(item, FOLLOWS, cell.text, shown, (
            f"Follows through: wrong only because an earlier cell was wrong; from your own "
            f"earlier values it is {format_value(own, 12)}.",), "follows-through",
            policy=policy.text, working=working)
    findings = _slips(sheet, cell, node, given, own if own is not None else true, policy)
    feedback = [m for _, m in findings] + [f"The right value is {shown}: {working}"]
    return Verdict(item, WRONG, cell.text, shown, tuple(feedback),
                   findings[0][0] if findings else "", policy=policy.text, working=working)


def _arg_value(sheet: Sheet, arg: int | object) -> Value:
    return sheet.p(arg) if isinstance(arg, int) else from_sympy(arg.value)  # type: ignore


def _own_primal(sheet: Sheet, node: Node) -> tuple[Value | None, str]:
    if node.op == "input":
        true = sheet.result.point[node.name]
        return true, f"{vname(node.index)} = {node.name} = {format_value(true, 12)}"
    args = [_arg_value(sheet, a) for a in node.args]
    value = evaluate(formula(node.op), dict(zip(PLACEHOLDERS, args, strict=False)))
    true_args = [sheet.result.forward.value(a) if isinstance(a, int) else from_sympy(a.value)
                 for a in node.args]
    true = evaluate(formula(node.op), dict(zip(PLACEHOLDERS, true_args, strict=False)))
    shown = ", ".join(f"{vname(a)} = {format_value(v, 12)}"
                      for a, v in zip(node.args, true_args, strict=True) if isinstance(a, int))
    return value, (f"{vname(node.index)} = {definition(node)} with {shown} gives "
                   f"{format_value(true, 12)}")


def _partial(sheet: Sheet, edge: Edge, own: bool) -> Value:
    node = sheet.result.graph.node(edge.consumer)
    if not own:
        return next(p.value for p in sheet.result.forward.partials if p.edge == edge)
    env = dict(zip(PLACEHOLDERS, [_arg_value(sheet, a) for a in node.args], strict=False))
    env[OUT] = sheet.p(node.index)
    return evaluate(local_partials(node.op)[edge.position], env)


def _partial_text(sheet: Sheet, edge: Edge) -> str:
    return source_text(edge_partial(sheet.result.graph, edge))


def _consumers(sheet: Sheet, node: Node) -> list[Edge]:
    return [e for e in sheet.result.graph.edges if e.source == node.index]


def _own_adjoint(sheet: Sheet, node: Node) -> tuple[Value | None, str]:
    bar = "v\u0304" + vname(node.index)[1:]
    if node.index == sheet.result.graph.output.index:
        return Fraction(1), f"{bar} = 1 (the seed: ∂y/∂y = 1)"
    total: Value = Fraction(0)
    terms, numbers = [], []
    for edge in _consumers(sheet, node):
        total = add(total, mul(sheet.a(edge.consumer), _partial(sheet, edge, own=True)))
        up = "v\u0304" + vname(edge.consumer)[1:]
        terms.append(f"{up}·({_partial_text(sheet, edge)})")
        numbers.append(f"({format_value(sheet.result.reverse.adjoints[edge.consumer], 12)})"
                       f"·({format_value(_partial(sheet, edge, own=False), 12)})")
    true = sheet.result.reverse.adjoints[node.index]
    if not terms:
        return total, f"{bar} = 0 (the output does not depend on it)"
    return total, (f"{bar} = {' + '.join(terms)} = {' + '.join(numbers)} = "
                   f"{format_value(true, 12)}")


def _slips(sheet: Sheet, cell: Cell, node: Node, given: Value, own: Value,
           policy: Policy) -> list[tuple[str, str]]:
    if cell.kind == ADJOINT:
        found = _adjoint_slips(sheet, node, given, policy)
        if found:
            return found
    else:
        forward = sheet.result.forward
        for other in sheet.result.graph.nodes:
            # a copy goes from a cell already written into a later one: the later is to blame
            copied = other.index < node.index and other.index in sheet.primal
            if other.index != node.index and other.op != "input" and (
                    policy.matches(forward.value(other.index), given)
                    or (copied and policy.matches(sheet.p(other.index), given))):
                label = f"{vname(other.index)} ({other.name})" if other.name else \
                    vname(other.index)
                return [("copied", f"That is the value of {label}, not of "
                                   f"{vname(node.index)}: values swapped or copied?")]
    return number_slips(own, given, policy)


def _adjoint_slips(sheet: Sheet, node: Node, given: Value,
                   policy: Policy) -> list[tuple[str, str]]:
    bar = "v\u0304" + vname(node.index)[1:]
    if node.index == sheet.result.graph.output.index:
        return [("seed", f"Wrong seed: the output's adjoint {bar} = ∂y/∂y is 1.")]
    edges = _consumers(sheet, node)
    parts = [mul(sheet.a(e.consumer), _partial(sheet, e, own=True)) for e in edges]
    for edge, part in zip(edges, parts, strict=True):
        up = "v\u0304" + vname(edge.consumer)[1:]
        consumer = sheet.result.graph.node(edge.consumer)
        local = _partial(sheet, edge, own=True)
        if len(edges) > 1 and policy.matches(part, given):
            return [("fan-out", f"Forgot to sum over fan-out: {vname(node.index)} feeds "
                     f"{', '.join(vname(e.consumer) for e in edges)}, and {bar} is the sum of "
                     f"one contribution from each; you have only the one from "
                     f"{vname(edge.consumer)}.")]
        if policy.matches(local, given) and not policy.matches(sheet.a(edge.consumer), 1):
            return [("no-upstream", f"You used the local derivative ∂{vname(edge.consumer)}/"
                     f"∂{vname(node.index)} = {format_value(local, 12)} without multiplying "
                     f"by the upstream adjoint {up}.")]
        if consumer.op in ("sub", "neg") and _flip_matches(parts, part, given, policy):
            return [("sign-slip", f"Sign slip on the subtraction {vname(consumer.index)} = "
                     f"{definition(consumer)}: its partial for this argument is "
                     f"{format_value(local, 12)}.")]
    return []


def _flip_matches(parts: list[Value], part: Value, given: Value, policy: Policy) -> bool:
    total: Value = Fraction(0)
    for p in parts:
        total = add(total, p)
    return policy.matches(add(total, mul(part, Fraction(-2))), given)
