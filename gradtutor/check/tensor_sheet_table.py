"""Check, tensor table answers: a sheet's forward:/reverse: table for a tensor part → cell verdicts.

The part's program is traced at the part's values (as ``solve`` does), and the table is judged
as ``check --table`` judges one (tensor_table.py): entry by entry, with follow-through from the
student's own cells, definitions matched, workings diagnosed. One cell that cannot be read
(ragged, not a number, an unknown node, given twice) is its own "could not read" item and
the other cells are graded; a row left out is "not answered"; a part whose program has no
scalar output cannot hold a table: one "could not check" item, the part's other answers graded.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import GradtutorError
from ..graph import Graph, vname
from ..tensor_api import TensorTraceResult
from .rows import key_index
from .sheet_file import Answer
from .tablefile import ADJOINT, PRIMAL
from .tensor_rows import UNREADABLE
from .tensor_table import tensor_table_verdicts
from .tensor_tablefile import read_cell
from .verdict import Verdict

NOT_ANSWERED = "not-answered"  # as sheet.py: no credit, counted
_KINDS = {"forward": PRIMAL, "reverse": ADJOINT}
_TRACES: dict[tuple[str, str, str], TensorTraceResult] = {}  # per process: the part's trace


def check_table_answers(problem: Any, part: Any, given: dict) -> list[Verdict]:
    """Verdicts for the part's forward:/reverse: tables (none if it gives neither)."""
    tables = {key: rows for key, rows in given.items() if key in _KINDS}
    if not tables:
        return []
    try:
        result = part_trace(problem, part)
        cells = [read_cell(_KINDS[key], str(node), _plain(value), result.graph,
                           _where(value, f"parts.{part.id}.{key}.{node}"), lenient=True)
                 for key, rows in tables.items() for node, value in rows.items()]
        verdicts, judged = tensor_table_verdicts(result, cells, lenient=True)
    except GradtutorError as err:
        lines = f"Could not check the table: {err.describe()}".splitlines()
        return [Verdict(f"{part.id}: table", UNREADABLE, "", "", tuple(lines), UNREADABLE)]
    given = {(c.kind, c.index) for c in judged} | {
        (c.kind, key_index(c.key, result.graph)) for c in cells if c.error}
    return [replace(v, item=f"{part.id}: {v.item}") for v in verdicts] + _missing(
        part.id, result.graph, given)


def _missing(pid: str, graph: Graph, given: set[tuple[str, int]]) -> list[Verdict]:
    """Every step's primal and every node's adjoint the table leaves out: not answered."""
    rows = [(PRIMAL, n) for n in graph.steps] + [(ADJOINT, n) for n in graph.nodes]
    found = []
    for kind, node in rows:
        if (kind, node.index) not in given:
            name = vname(node.index) if kind == PRIMAL else "v\u0304" + vname(node.index)[1:]
            label = f"{name} ({node.name})" if node.name else name
            found.append(Verdict(f"{pid}: {label}", NOT_ANSWERED, "", "",
                                 ("Not answered: this row is not in the table.",),
                                 NOT_ANSWERED))
    return found


def part_trace(problem: Any, part: Any) -> TensorTraceResult:
    """The tensor trace of the part's program at its values, once per process."""
    key = (str(problem.path), part.id, part.spec["f"])
    if key not in _TRACES:
        from ..api import _as_value
        from ..parse import parse_program
        from ..solve.tensor import _point
        from ..sym import parse_value
        from ..tensor_api import trace_tensor
        from ..tensor_values import tensor_point

        point, route = tensor_point(_point(problem, part), _as_value, parse_value)
        _TRACES[key] = trace_tensor(parse_program(part.spec["f"]), point, route)
    return _TRACES[key]


def _plain(value: Any) -> Any:
    """Sheet answers → the text as written: a cell's text, or nested lists of entry texts."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):  # {definition: W@x, value: [1, 4]}
        return {key: _plain(item) for key, item in value.items()}
    return value.text if isinstance(value, Answer) else value


def _where(value: Any, path: str) -> str:
    first = value.get("value", next(iter(value.values()), None)) if isinstance(value, dict) \
        else value
    while isinstance(first, list) and first:
        first = first[0]
    return first.where.rsplit(" ", 1)[0] + f" {path}" if isinstance(first, Answer) else path
