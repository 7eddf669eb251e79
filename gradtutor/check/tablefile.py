"""Table files (feed table): a student's YAML or CSV table → cells keyed by node index.

YAML: ``forward:`` and ``reverse:`` mappings from a node (v-number such as v-2, v_1, v₃, or a
name from the program such as x, a, p) to its value. CSV: a header ``node,primal,adjoint`` and
one row per node; empty cells are not checked. Values are read as the student wrote them
(quote a YAML value, '0.80', to keep a trailing zero significant).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import GradtutorError, ProblemFileError
from ..graph import Graph
from ..textfile import read_text

PRIMAL, ADJOINT = "primal", "adjoint"
_SECTIONS = {"forward": PRIMAL, "primal": PRIMAL, "reverse": ADJOINT, "adjoint": ADJOINT}
_SUBSCRIPT = str.maketrans("₋₀₁₂₃₄₅₆₇₈₉", "-0123456789")
_VKEY = re.compile(r"^v_?\{?(-?\d+)\}?$")


@dataclass(frozen=True)
class Cell:
    kind: str  # primal | adjoint
    index: int
    text: str  # the value as written
    where: str  # e.g. "reverse.v3" or "row 4, adjoint"


def read_table(path: str | Path, graph: Graph) -> list[Cell]:
    path = Path(path)
    text = read_text(path, "table", hint="give the path of a .yaml or .csv file")
    if path.suffix.lower() == ".csv":
        return _from_csv(text, graph)
    return _from_yaml(text, graph, str(path))


def _from_yaml(text: str, graph: Graph, name: str) -> list[Cell]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ProblemFileError(f"{name} is not valid YAML: {err}") from None
    if not isinstance(data, dict) or not set(data) & set(_SECTIONS):
        raise ProblemFileError(f"{name} has no forward: or reverse: section",
                               hint="write forward: {v1: 0.15, …} and reverse: {v4: 1, …}")
    return table_cells(data, graph)


def table_cells(data: dict, graph: Graph, prefix: str = "") -> list[Cell]:
    """Cells from an already loaded mapping (a table file, or a table part of an answer sheet)."""
    cells = []
    for section, rows in data.items():
        kind = _SECTIONS.get(str(section))
        where = f"{prefix}{section}"
        if kind is None:
            raise ProblemFileError(f"unknown section {section!r}", location=f"At key: {where}",
                                   hint="use forward: and reverse:")
        if not isinstance(rows, dict):
            raise ProblemFileError(f"{section} must map nodes to values",
                                   location=f"At key: {where}", hint="v1: 0.15")
        for key, value in rows.items():
            at = f"At key: {where}.{key}"
            cells.append(Cell(kind, node_index(key, graph, at), _text(value, at), at))
    return cells


def _text(value: object, where: str) -> str:
    if isinstance(value, bool) or value is None or not isinstance(value, int | float | str):
        raise ProblemFileError(f"expected a number, got {value!r}", location=where,
                               hint="write the value, e.g. 0.15 or -24/5")
    return repr(value) if isinstance(value, float) else str(value)


def node_index(key: object, graph: Graph, where: str) -> int:
    """v-number or program name → the node's index."""
    if isinstance(key, int) and not isinstance(key, bool):
        index = key
    else:
        text = str(key).strip().translate(_SUBSCRIPT)
        m = _VKEY.match(text)
        named = [n.index for n in graph.nodes if n.name and n.name == text]
        if m is None and not named:
            raise _unknown(key, graph, where)
        index = int(m.group(1)) if m else named[0]
    if not graph.nodes[0].index <= index <= graph.output.index:
        raise _unknown(key, graph, where)
    return index


def _unknown(key: object, graph: Graph, where: str) -> GradtutorError:
    low, high = graph.nodes[0].index, graph.output.index
    names = ", ".join(n.name for n in graph.nodes if n.name)
    return ProblemFileError(f"{key!r} is not a node of the expression", location=where,
                            hint=f"use v{low} … v{high} or a name: {names}")


def _from_csv(text: str, graph: Graph) -> list[Cell]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or "node" not in (rows[0].keys()):
        raise ProblemFileError("the CSV table needs a header: node,primal,adjoint",
                               hint="node,primal,adjoint\nv1,0.15,-16")
    cells = []
    for number, row in enumerate(rows, start=2):
        at = f"line {number}"
        index = node_index(row["node"], graph, at)
        for column, kind in (("primal", PRIMAL), ("adjoint", ADJOINT)):
            value = (row.get(column) or "").strip()
            if value:
                cells.append(Cell(kind, index, value, f"{at}, {column}"))
    return cells
