"""Check, tensor tables: rows that are no node → verdicts (not a step, could not read, twice).

A row whose definition matches no step of the program is wrong ("not a step", or "could not
be read" with the parse error); a cell that could not be read or names no node is a "could
not read" item (sheets), labelled by the row as the student keyed it. Rows keyed by
v-numbers in the program's written order (``trace --order written``) are renumbered into
ours when that fits more of their values, as scalar tables are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..graph import Graph
from ..parse import parse_program
from ..tensor_api import TensorTraceResult
from ..tensor_graph import build_tensor_graph
from .rows import UNMATCHED, describe_unmatched, is_number_key, normalize_key, renumbering
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


def in_our_numbering(result: TensorTraceResult, cells: list[TensorCell],
                     fits: Callable[[list[TensorCell]], int]) -> list[TensorCell]:
    """v-number rows read in the written numbering, if that fits more cells than ours."""
    graph = result.graph
    numbered = [i for i, c in enumerate(cells)
                if c.index != UNMATCHED and is_number_key(c.key, graph)]
    if not numbered or any(c.definition for c in cells):
        return cells
    written = build_tensor_graph(parse_program(graph.source), [n.name for n in graph.inputs],
                                 {n.name: n.shape for n in graph.inputs}, numbering="written")
    perm = renumbering(graph, written)
    if perm is None or all(perm[k] == k for k in perm):
        return cells
    moved = [replace(c, index=perm[c.index]) if i in numbered else c
             for i, c in enumerate(cells)]
    return moved if fits(moved) > fits(cells) else cells
