"""Check, tensor tables: rows that are no node → verdicts (not a step, could not read, twice).

A row whose definition matches no step of the program is wrong ("not a step", or "could not
be read" with the parse error); a cell that could not be read or names no node is a "could
not read" item (sheets), labelled by the row as the student keyed it.
"""

from __future__ import annotations

from ..graph import Graph
from .rows import describe_unmatched, normalize_key
from .tablefile import PRIMAL
from .tensor_tablefile import TensorCell
from .tensor_working import unread_definition
from .verdict import WRONG, Verdict

UNREADABLE = "unreadable"  # as sheet.py: no credit, the reason as feedback


def lost_row(cell: TensorCell, cells: list[TensorCell], graph: Graph) -> Verdict:
    """A row whose definition is no step of the program (or cannot be read)."""
    definition = next(c.definition for c in cells if c.definition and
                      normalize_key(c.key) == normalize_key(cell.key))
    why = unread_definition(definition, graph)
    return Verdict(_row(cell), WRONG, cell.written, "", (why or describe_unmatched(cell, cells),),
                   "unreadable-definition" if why else "not-a-step")


def unreadable_row(cell: TensorCell, message: str) -> Verdict:
    lines = f"Could not read: {message}".splitlines()
    return Verdict(_row(cell), UNREADABLE, cell.text, "", tuple(lines), UNREADABLE)


def _row(cell: TensorCell) -> str:
    """A row that is no node, as the student keyed it (its adjoint cell marked so)."""
    return cell.key if cell.kind == PRIMAL else f"{cell.key} (adjoint)"
