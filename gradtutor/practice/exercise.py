"""Practice, exercise: TraceResult → the cells a student fills in, in asking order, with hints.

A table exercise asks the forward primals v₁ … v_l (the inputs are given), then the adjoints
from the seed v̄_l down to the inputs. Each cell carries everything the tutor may say about it:
the prompt, the right answer, the progressive hints and the line of working.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from typing import Any

import sympy as sp

from ..graph import Node, definition, vname
from ..local import edge_partial
from ..numeric import Value, format_value
from ..rules import RULES

PRIMAL, ADJOINT, FORMULA, NUMBER = "primal", "adjoint", "formula", "number"
MODES = ("both", "forward", "reverse")
BAR = "\u0304"


@dataclass(frozen=True)
class Cell:
    """One blank of the exercise: what is asked, the answer, and what to say about it."""

    id: str  # v3, v_bar-2, or part.key for problem parts
    kind: str  # primal | adjoint | formula | number
    label: str  # v₃, v̄₂, part a (expr)
    prompt: str  # "v₃ = 1/v₂ = ?"
    answer: str  # the right answer as shown
    hints: tuple[str, ...]  # rule's name → local partial in symbols → numbers → (answer)
    working: str  # the line of working shown with the answer
    index: int | None = None  # the node, for table cells
    value: Value | None = None  # the true value, for table and number cells
    depends: tuple[str, ...] = ()  # ids of the cells its value is computed from
    part: str = ""  # the problem part it belongs to (problem exercises)
    shape: tuple[int, ...] | None = None  # tensor cells: the answer's shape (() a scalar)
    nested: Any = None  # tensor cells: the right value as a number or nested lists


@dataclass(frozen=True)
class Exercise:
    """An expression at a point (or a problem's parts) and its cells in asking order."""

    expression: str
    at: tuple[tuple[str, str], ...]  # input name → value as written
    mode: str
    cells: tuple[Cell, ...]
    level: int | None = None
    seed: int | None = None
    title: str = ""
    result: Any = field(default=None, compare=False)  # the TraceResult of table exercises
    problem: str = ""  # a problem reference for problem exercises
    traces: tuple[tuple[str, Any], ...] = field(default=(), compare=False)  # part → result
    notes: tuple[str, ...] = ()
    statement: str = ""  # a problem's statement, shown before the first part

    def cell(self, cell_id: str) -> Cell:
        return self._by_id[cell_id]

    @cached_property
    def _by_id(self) -> dict[str, Cell]:
        return {c.id: c for c in self.cells}

    def trace_of(self, cell: Cell) -> Any:
        """The TraceResult a table cell belongs to."""
        return dict(self.traces)[cell.part] if cell.part else self.result

    def to_json(self) -> dict[str, Any]:
        """The --print-json document: the exercise and its cells in asking order."""
        doc: dict[str, Any] = {"expression": self.expression, "at": dict(self.at),
                               "mode": self.mode, "level": self.level, "seed": self.seed}
        if self.problem:
            doc["problem"] = self.problem
        doc["cells"] = [_cell_json(c) for c in self.cells]
        return doc


def _cell_json(cell: Cell) -> dict[str, Any]:
    doc = {"id": cell.id, "kind": cell.kind, "label": cell.label, "prompt": cell.prompt,
           "answer": cell.answer}
    if cell.shape is not None:
        doc.update(shape=list(cell.shape), value=cell.nested)
    return doc


def answer_text(value: Value) -> str:
    """Exact decimals as decimals (−4.8), other fractions as fractions (1/3), else 6 digits."""
    if isinstance(value, Fraction):
        d = value.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        if d != 1:
            return format_value(value, exact=True)
        return _decimal(value)
    return format_value(value, 6)


def _decimal(value: Fraction) -> str:
    """The exact decimal of a fraction whose denominator divides a power of 10: −4.8, 0.125."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    digits = str(abs(value.numerator * 10**places // value.denominator)).rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}"
    return ("−" if value < 0 else "") + text


def _paren(value: Value) -> str:
    text = answer_text(value)
    return f"({text})" if text.startswith("−") or "/" in text else text


def expr_text(expr: sp.Expr) -> str:
    """A local partial as a student writes it: −1/v₂^2, v₋₁·v₋₂."""
    return sp.sstr(expr, order="none").replace("**", "^").replace("*", "·").replace("-", "−")


def primal_id(index: int, part: str = "") -> str:
    return f"{part}.v{index}" if part else f"v{index}"


def adjoint_id(index: int, part: str = "") -> str:
    return f"{part}.v_bar{index}" if part else f"v_bar{index}"


def vbar(index: int) -> str:
    return "v" + BAR + vname(index)[1:]


def table_exercise(result: Any, mode: str = "both", **extra: Any) -> Exercise:
    """The cells of a forward/reverse table for a traced expression."""
    at = tuple((name, answer_text(v).replace("−", "-")) for name, v in result.point.items())
    return Exercise(result.graph.source, at, mode, table_cells(result, mode), result=result,
                    **extra)


def table_cells(result: Any, mode: str, part: str = "") -> tuple[Cell, ...]:
    graph = result.graph
    cells: list[Cell] = []
    if mode in ("both", "forward"):
        cells += [_primal_cell(result, node) for node in graph.steps]
    if mode in ("both", "reverse"):
        cells += [_adjoint_cell(result, node) for node in reversed(graph.nodes)]
    if not part:
        return tuple(cells)
    return tuple(replace(c, id=f"{part}.{c.id}", part=part,
                         depends=tuple(f"{part}.{d}" for d in c.depends)) for c in cells)


def _primal_cell(result: Any, node: Node) -> Cell:
    value = result.forward.value(node.index)
    name, text = vname(node.index), definition(node)
    numbers = RULES[node.op].text.format(*(
        _paren(result.forward.value(a)) if isinstance(a, int) else _constant(a.value)
        for a in node.args))
    rule = RULES[node.op]
    hints = (f"{name} applies the {rule.rule.replace(' rule', '')} operation: "
             f"{name} = {text}.",
             f"{name} = {text}, with " + ", ".join(
                 f"{vname(a)} = {answer_text(result.forward.value(a))}"
                 for a in node.args if isinstance(a, int)) + ".",
             f"{name} = {numbers}")
    working = f"{name} = {text} = {numbers} = {answer_text(value)}"
    depends = tuple(dict.fromkeys(primal_id(a) for a in node.args if isinstance(a, int)
                                  and a > 0))
    decimals = "" if isinstance(value, Fraction) else " (3 decimals)"
    return Cell(primal_id(node.index), PRIMAL, name, f"{name} = {text} = ?{decimals}",
                answer_text(value), hints, working, node.index, value, depends)


def _constant(value: sp.Expr) -> str:
    return sp.sstr(value).replace("**", "^").replace("pi", "π")


def _end_adjoint(node: Node, value: Value, seed: bool) -> Cell:
    """The seed (the output's adjoint), or a node nothing uses."""
    bar = vbar(node.index)
    if seed:
        hints = ("The output's adjoint is the seed.",
                 f"{bar} = ∂y/∂y, the derivative of the output with respect to itself.")
        return Cell(adjoint_id(node.index), ADJOINT, bar, f"{bar} = ?", "1", hints,
                    f"{bar} = 1 (the seed: ∂y/∂y = 1)", node.index, value)
    return Cell(adjoint_id(node.index), ADJOINT, bar, f"{bar} = ?", "0",
                ("Nothing uses this node.", "The output does not depend on it."),
                f"{bar} = 0 (the output does not depend on it)", node.index, value)


def _adjoint_cell(result: Any, node: Node) -> Cell:
    graph, bar = result.graph, vbar(node.index)
    value = result.reverse.adjoints[node.index]
    row = result.reverse.row(node.index)
    if row.seed or not row.contributions:
        return _end_adjoint(node, value, row.seed)
    users = list(dict.fromkeys(graph.node(c.consumer) for c in row.contributions))
    rules = "; ".join(f"{vname(u.index)} = {definition(u)} ({RULES[u.op].rule})" for u in users)
    uses = len(row.contributions)
    fan = (f" It is used {uses} times (fan-out): add one contribution per use."
           if uses > 1 else "")
    terms = [f"{vbar(c.consumer)}·∂{vname(c.consumer)}/∂{vname(node.index)}"
             for c in row.contributions]
    symbolic = [f"{vbar(c.consumer)}·({expr_text(edge_partial(graph, c.partial.edge))})"
                for c in row.contributions]
    numbers = " + ".join(f"{_paren(c.upstream)}·{_paren(c.partial.value)}"
                         for c in row.contributions)
    hints = (f"{vname(node.index)} is used by {rules}.{fan} {bar} = {' + '.join(terms)}",
             f"{bar} = {' + '.join(symbolic)}",
             f"{bar} = {numbers}")
    working = f"{bar} = {' + '.join(symbolic)} = {numbers} = {answer_text(value)}"
    depends = tuple(dict.fromkeys(
        [adjoint_id(c.consumer) for c in row.contributions]
        + [primal_id(a) for u in users for a in (u.index, *u.args)
           if isinstance(a, int) and a > 0]))
    return Cell(adjoint_id(node.index), ADJOINT, bar, f"{bar} = ?", answer_text(value), hints,
                working, node.index, value, depends)
