"""Check, tensor tables: tensor trace + a table with nested-list cells → one Verdict per cell.

The scalar table's rules (table.py) for vector and matrix nodes: a cell is right when every
entry matches to the precision written; it *follows through* when it is wrong only because an
earlier cell was, recomputed from the student's own primals (forward rules) and adjoints (the
tensor engine's VJPs); a cell of the wrong shape is told the shape it should have; the classic
tensor mistakes (transpose, missing ReLU mask/σ′, sum not broadcast, sign) are named.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ..errors import DomainError, GradtutorError, InputError
from ..graph import Graph, Node, vname
from ..tensor import shape_text, tensor_text
from ..tensor_api import TensorTraceResult
from ..tensor_sweep import evaluate_node, node_args, vjp
from .number import policy_for
from .rows import UNMATCHED, match_cells, normalize_key
from .tablefile import ADJOINT, PRIMAL
from .tensor import ACTIVATIONS
from .tensor_rows import in_our_numbering, lost_row, unreadable_row
from .tensor_table_text import entry_value, first_difference, line_of_working, unchecked
from .tensor_tablefile import (
    TensorCell,
    by_name,
    first_of_each,
    not_a_node,
    read_tensor_table,
    tensor_cells,
    unknown_rows,
)
from .tensor_working import working_value
from .verdict import FOLLOWS, RIGHT, WRONG, CheckResult, Verdict

POLICY = "entry by entry, to the precision each entry is written"


def check_tensor_table(source: str, result: TensorTraceResult,
                       table: str | Path | dict) -> CheckResult:
    """A table for a tensor program (YAML or CSV file, or a loaded mapping) → verdicts."""
    cells = tensor_cells(table, result.graph) if isinstance(table, dict) else \
        read_tensor_table(table, result.graph)
    verdicts, given = tensor_table_verdicts(result, cells)
    return CheckResult("table", f"table for {source}", verdicts,
                       unchecked(result.graph, given) + ("a gradient has the shape of its "
                                                          "variable",))


def tensor_table_verdicts(result: TensorTraceResult, cells: list[TensorCell],
                          lenient: bool = False) -> tuple[tuple[Verdict, ...], list[TensorCell]]:
    """Rows matched by definition (rows.py), then each cell judged; also the cells judged."""
    if not result.scalar_output:
        raise InputError("a table needs a scalar output (a loss) to seed the reverse sweep",
                         hint="end the program with a scalar, e.g. L = sum((a - y)^2)/2")
    bad = [c for c in cells if c.error]
    everything = by_name(match_cells([c for c in cells if not c.error], result.graph),
                         result.graph)
    unknown = unknown_rows(everything, result.graph, lenient)
    lost = [c for c in everything if c.index == UNMATCHED and c not in unknown]
    everything = in_our_numbering(result, everything, lambda cs: _fits(result, cs))
    cells, twice = first_of_each([c for c in everything if c.index != UNMATCHED], lenient)
    sheet = _Sheet(result, cells)
    order = {node.index: i for i, node in enumerate(result.graph.nodes)}
    cells = sorted(cells, key=lambda c: (c.kind == ADJOINT,
                                         order[c.index] * (-1 if c.kind == ADJOINT else 1)))
    return tuple(_verdict(sheet, cell) for cell in cells) + tuple(
        lost_row(c, everything, result.graph) for c in lost) + tuple(
        unreadable_row(c, c.error) for c in bad) + tuple(
        unreadable_row(c, not_a_node(c, result.graph)) for c in unknown) + tuple(
        unreadable_row(c, f"{c.key} is given twice in the table ({c.where})") for c in twice), cells


def _fits(result: TensorTraceResult, cells: list[TensorCell]) -> int:
    """How many cells hold the true value of the node they are read as."""
    truth = _Sheet(result, [])
    return sum(c.index != UNMATCHED and matches(truth.true(c), c.values, c.texts)
               for c in cells)


def matches(true: np.ndarray, given: np.ndarray, texts: tuple[str, ...]) -> bool:
    """Same shape, and every entry right to the precision it is written."""
    if np.shape(true) != np.shape(given):
        return False
    pairs = zip(np.ravel(np.asarray(true, dtype=object)),
                np.ravel(np.asarray(given, dtype=object)), texts, strict=True)
    return all(policy_for(t).matches(entry_value(a), entry_value(b)) for a, b, t in pairs)


class _Sheet:
    """The student's arrays (right-shaped cells only), the true ones wherever they left none."""

    def __init__(self, result: TensorTraceResult, cells: list[TensorCell]) -> None:
        self.result, self.k, self.cells = result, result.forward.backend, cells
        graph = result.graph
        ok = [c for c in cells if c.shape == graph.node(c.index).shape]
        self.primal = {c.index: c.values for c in ok if c.kind == PRIMAL}
        self.adjoint = {c.index: c.values for c in ok if c.kind == ADJOINT}
        self.true_bar = {row.index: row.v_bar for row in result.rows}

    def true(self, cell: TensorCell) -> np.ndarray:
        if cell.kind == PRIMAL:
            return self.result.forward.value(cell.index)
        return self.true_bar[cell.index]

    def p(self, index: int) -> np.ndarray:
        return self.primal.get(index, self.result.forward.value(index))

    def a(self, index: int) -> np.ndarray:
        return self.adjoint.get(index, self.true_bar[index])

    def own(self, cell: TensorCell, mask: bool = True) -> np.ndarray | None:
        """The cell recomputed from the student's own earlier cells (None if it cannot be)."""
        graph, node = self.result.graph, self.result.graph.node(cell.index)
        values = {n.index: self.p(n.index) for n in graph.nodes}
        try:
            if cell.kind == PRIMAL:
                if node.op == "input":
                    return self.result.forward.value(node.index)
                return evaluate_node(graph, node, node_args(node, values, self.k), self.k)
            return self._own_adjoint(node, values, mask)
        except (DomainError, ValueError, TypeError, ZeroDivisionError, ArithmeticError):
            return None

    def _own_adjoint(self, node: Node, values: dict, mask: bool) -> np.ndarray:
        if node.index == self.result.graph.output.index:
            return self.k.full((), 1)
        total = self.k.full(node.shape, 0)
        for _, amount in self.contributions(node, values, mask):
            total = self.k.wrap(total + amount)
        return total

    def contributions(self, node: Node, values: dict | None = None,
                      mask: bool = True) -> list[tuple[int, np.ndarray]]:
        """(consumer, VJP of the student's adjoint of it) for every edge out of ``node``."""
        graph = self.result.graph
        values = values or {n.index: self.p(n.index) for n in graph.nodes}
        found = []
        for edge in (e for e in graph.edges if e.source == node.index):
            consumer = graph.node(edge.consumer)
            g = self.a(consumer.index)
            skip = not mask and consumer.op in ACTIVATIONS and consumer.shape == node.shape
            found.append((consumer.index, g if skip else
                          vjp(self.result.forward, consumer, edge.position, g, values)))
        return found


def _item(graph: Graph, cell: TensorCell) -> str:
    node = graph.node(cell.index)
    name = vname(cell.index)
    text = name if cell.kind == PRIMAL else "v\u0304" + name[1:]
    label = f"{text} ({node.name})" if node.name else text
    key = normalize_key(cell.key)
    return label if key in (f"v{cell.index}", node.name) else f"{label} (your {key})"


def _verdict(sheet: _Sheet, cell: TensorCell) -> Verdict:
    graph = sheet.result.graph
    item, true = _item(graph, cell), sheet.true(cell)
    shown, working = tensor_text(true, 12), line_of_working(graph, cell, true)
    given = cell.values
    if matches(true, given, cell.texts):
        remark = _working_remark(sheet, cell, true) if cell.rule else None
        return Verdict(item, RIGHT, cell.written, shown, (remark,) if remark else (),
                       policy=POLICY, working=working)
    own = sheet.own(cell) if np.shape(given) == np.shape(true) else None
    if own is not None and matches(own, given, cell.texts):
        return Verdict(item, FOLLOWS, cell.written, shown, (
            "Follows through: wrong only because an earlier cell was wrong; from your own "
            f"earlier values it is {tensor_text(own, 12)}.",), "follows-through",
            policy=POLICY, working=working)
    message, tag = _diagnose(sheet, cell, given, own if own is not None else true)
    if cell.rule:
        message, tag = _from_working(sheet, cell, true) or (message, tag)
    return Verdict(item, WRONG, cell.written, shown,
                   (message, f"The right value is {shown}: {working}"), tag,
                   policy=POLICY, working=working)


def _working(sheet: _Sheet, cell: TensorCell, true: np.ndarray) -> np.ndarray | str:
    """The student's adjoint working evaluated with the true values, or why it cannot be."""
    truth = _Sheet(sheet.result, [])
    keys = {c.key: c.index for c in sheet.cells}
    try:
        return working_value(cell.rule, sheet.result.graph, keys, truth.p, truth.a, sheet.k,
                             np.shape(true))
    except (GradtutorError, ArithmeticError, ValueError, TypeError) as err:
        return err.message if isinstance(err, GradtutorError) else "it cannot be evaluated"


def _exactly(true: np.ndarray, value: np.ndarray) -> bool:
    return matches(true, value, ("0.000000000",) * int(np.size(value)))


def _from_working(sheet: _Sheet, cell: TensorCell, true: np.ndarray) -> tuple[str, str] | None:
    """The student's adjoint working, evaluated with the true values, diagnosed."""
    value = _working(sheet, cell, true)
    if isinstance(value, str):
        return f"Your working {cell.rule} could not be read: {value}", "unreadable-working"
    if _exactly(true, value):
        return None  # the rule is right: the slip is in the numbers
    exact = replace(cell, texts=("0.000000000",) * int(np.size(value)), shape=np.shape(value))
    message, tag = _diagnose(_Sheet(sheet.result, []), exact, value, true)
    return f"Your working {cell.rule} is not the rule for this adjoint. {message}", tag


def _working_remark(sheet: _Sheet, cell: TensorCell, true: np.ndarray) -> str | None:
    """A right number whose working, read cleanly, gives another value: say so (no credit
    lost). Working that cannot be read stays silent: the number is what is marked."""
    value = _working(sheet, cell, true)
    if isinstance(value, str) or np.shape(value) != np.shape(true) or _exactly(true, value):
        return None
    return (f"The value is right, but your working {cell.rule} gives "
            f"{tensor_text(value, 12)}: check the rule you wrote.")


def _diagnose(sheet: _Sheet, cell: TensorCell, given: np.ndarray,
              want: np.ndarray) -> tuple[str, str]:
    node = sheet.result.graph.node(cell.index)
    name = node.name or vname(node.index)
    what = f"{name}\u0304" if cell.kind == ADJOINT and node.name else \
        ("v\u0304" + vname(node.index)[1:] if cell.kind == ADJOINT else name)
    if np.shape(given) != np.shape(want):
        return _shape_slip(what, cell, given, want)
    if cell.kind == ADJOINT and node.index == sheet.result.graph.output.index:
        return f"Wrong seed: the output's adjoint {what} = ∂{name}/∂{name} is 1.", "seed"
    copied = _copied(sheet, cell, node, given) if cell.kind == PRIMAL else None
    if copied:
        return copied
    if np.ndim(given) == 2 and matches(np.transpose(want), given, cell.texts):
        return (f"Your {what} is the transpose of the right one: for h = W@x, W̄ = h̄ xᵀ "
                "(the shape of W) and x̄ = Wᵀh̄.", "transpose")
    found = _adjoint_slip(sheet, cell, node, given, want) if cell.kind == ADJOINT else None
    if found:
        return found
    if matches(-np.asarray(want, dtype=object), given, cell.texts):
        return "Your value has the opposite sign of the right one.", "sign"
    return first_difference(want, given), ""


def _copied(sheet: _Sheet, cell: TensorCell, node: Node,
            given: np.ndarray) -> tuple[str, str] | None:
    """A primal that is another step's value: copied from it, or swapped with it."""
    for other in sheet.result.graph.steps:
        if other.index != node.index and other.shape == node.shape and \
                matches(sheet.result.forward.value(other.index), given, cell.texts):
            label = f"{vname(other.index)} ({other.name})" if other.name else vname(other.index)
            return (f"That is the value of {label}, not of {vname(node.index)}: values swapped "
                    "or copied?", "copied")
    return None


def _adjoint_slip(sheet: _Sheet, cell: TensorCell, node: Node, given: np.ndarray,
                  want: np.ndarray) -> tuple[str, str] | None:
    """A missing elementwise factor (ReLU mask, σ′) or a fan-out left unsummed."""
    graph = sheet.result.graph
    unmasked = sheet.own(cell, mask=False)
    if unmasked is not None and not matches(want, unmasked, cell.texts) and \
            matches(unmasked, given, cell.texts):
        ops = {graph.node(e.consumer).op for e in graph.edges
               if e.source == node.index} & set(ACTIVATIONS)
        factor = ACTIVATIONS[sorted(ops)[0]] if ops else "f′"
        return (f"You left out the elementwise factor {factor}: backprop multiplies "
                "ḡ ⊙ f′ entry by entry.", "missing-factor")
    try:
        parts = sheet.contributions(node)
    except (DomainError, ValueError, TypeError, ZeroDivisionError, ArithmeticError):
        return None
    users = ", ".join(vname(i) for i, _ in parts)
    for consumer, amount in parts if len(parts) > 1 else ():
        if matches(amount, given, cell.texts):
            return (f"Forgot to sum over fan-out: {vname(node.index)} feeds {users}, and its "
                    "adjoint is the sum of one VJP from each; you have only the one from "
                    f"{vname(consumer)}.", "fan-out")
    return None


def _shape_slip(what: str, cell: TensorCell, given: np.ndarray,
                want: np.ndarray) -> tuple[str, str]:
    want_shape, got = np.shape(want), np.shape(given)
    if len(got) == 2 and got[::-1] == want_shape and \
            matches(np.transpose(want), given, cell.texts):
        return (f"Your {what} is the transpose of the right one: it has shape "
                f"{shape_text(got)}, but it should have shape {shape_text(want_shape)} (a "
                "gradient has the shape of its variable: W̄ = h̄ xᵀ, not x h̄ᵀ).", "transpose")
    if got == () and want_shape and matches(np.asarray(np.sum(want), dtype=object),
                                            given, cell.texts):
        return (f"You summed the entries: {what} should have shape {shape_text(want_shape)} "
                "(sum's rule broadcasts ḡ back to every entry).", "sum-not-broadcast")
    return (f"Wrong shape: {what} should have shape {shape_text(want_shape)}, yours has "
            f"shape {shape_text(got)}.", "shape")


__all__ = ["check_tensor_table", "matches", "tensor_table_verdicts"]
