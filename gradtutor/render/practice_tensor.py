"""Render, practice with tensors: a tensor session's state → the table so far (rich renderable)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from ..graph import vname
from ..practice.exercise import adjoint_id, primal_id
from ..practice.session import State
from ..practice.tensor import array_answer
from ..tensor import shape_text
from .tensor_view import tensor_definition


def tensor_progress(state: State, result: Any, value: Any) -> Table:
    """Node, shape, definition, primal, adjoint: the student's values, "?" on the asked cell.

    ``value(filled, asked, cell_id, state)`` is the scalar table's cell renderer.
    """
    cell = state.current
    filled, asked = state.filled(), cell.id if cell is not None else ""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("node", "shape", "definition", "primal", "adjoint v̄"):
        table.add_column(column)
    for node in result.graph.nodes:
        label = f"{vname(node.index)} ({node.name})" if node.name else vname(node.index)
        primal = _spaced(value(filled, asked, primal_id(node.index), state)) if node.op != \
            "input" else Text(array_answer(result.forward.value(node.index)))
        adjoint = _spaced(value(filled, asked, adjoint_id(node.index), state))
        table.add_row(label, shape_text(node.shape), tensor_definition(node), primal, adjoint)
    return table


def _spaced(text: Text) -> Text:
    """A typed [1,−1] shown as [1, −1] (the student's entries, evenly spaced)."""
    plain = text.plain.replace(" ", "").replace(",", ", ")
    mark = plain[-1] if plain and plain[-1] in "✓→✗·" else ""
    shown = f"{plain[:-1]} {mark}" if mark and len(plain) > 1 else plain
    return Text(shown, style=text.style)
