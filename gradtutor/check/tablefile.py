"""Table files (feed table): a student's YAML or CSV table → cells keyed by node index.

YAML: ``forward:`` and ``reverse:`` mappings from a node (v-number such as v-2, v_1, v₃, or a
name from the program such as x, a, p) to its value, or to its definition and value
(``sin v0 = -0.959``, matched by what it is: rows.py). CSV: a header ``node,primal,adjoint``
(and optionally ``definition``) and one row per node; empty cells are not checked. Values are
read as the student wrote them (0.80 keeps its trailing zero). Files are bounded (1 MB), UTF-8
(or BOM-marked UTF-16); YAML anchors/aliases are refused as in answer sheets.
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
from ..yaml_nodes import compose_yaml
from .rows import UNMATCHED, key_index, split_cell

MAX_TABLE_BYTES = 1_000_000
PRIMAL, ADJOINT = "primal", "adjoint"
_SECTIONS = {"forward": PRIMAL, "primal": PRIMAL, "reverse": ADJOINT, "adjoint": ADJOINT}


@dataclass(frozen=True)
class Cell:
    kind: str  # primal | adjoint
    index: int
    text: str  # the value as written
    where: str  # e.g. "reverse.v3" or "row 4, adjoint"
    key: str = ""  # the row as the student keyed it (v3, h1, f)
    definition: str = ""  # what the row is, if written (sin v0): matched by rows.match_cells


def read_table(path: str | Path, graph: Graph) -> list[Cell]:
    path = Path(path)
    text = read_text(path, "table", max_bytes=MAX_TABLE_BYTES,
                     hint="give the path of a .yaml or .csv file")
    if path.suffix.lower() == ".csv":
        return _from_csv(text, graph, str(path))
    return _from_yaml(text, graph, str(path))


def _from_yaml(text: str, graph: Graph, name: str) -> list[Cell]:
    root = compose_yaml(text, name, max_chars=MAX_TABLE_BYTES, what="table",
                        empty_hint="forward: {v1: 0.15}")
    data = _plain(root, name)
    if not isinstance(data, dict) or not set(data) & set(_SECTIONS):
        raise ProblemFileError(f"{name} has no forward: or reverse: section",
                               hint="write forward: {v1: 0.15, …} and reverse: {v4: 1, …}")
    return table_cells(data, graph)


def _key(node: yaml.Node, name: str) -> object:
    """A row key: a node number written bare (3, -2) is an int, like v3 and v-2."""
    key = _plain(node, name)
    if node.tag.endswith(":int") and re.fullmatch(r"[+-]?\d{1,6}", str(key)):
        return int(str(key))
    return key


def _plain(node: yaml.Node, name: str) -> object:
    """Composed nodes → dicts of the text as written (0.80 keeps its zero); lists refused."""
    if isinstance(node, yaml.MappingNode):
        return {_key(k, name): _plain(v, name) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        raise ProblemFileError(f"{name}:{node.start_mark.line + 1}: a list is not a table row",
                               hint="write node: value, e.g. v1: 0.15")
    if node.tag.endswith(":null"):
        return None
    if node.tag.endswith(":bool"):
        return node.value.lower() in ("true", "yes", "on")
    return node.value


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
            cells.append(_cell(kind, key, value, graph, at))
    return cells


def _cell(kind: str, key: object, value: object, graph: Graph, at: str,
          definition: str = "") -> Cell:
    """One row: ``0.693``, ``ln v-1 = 0.693`` or ``{definition: ln v-1, value: 0.693}``."""
    if isinstance(value, dict) and "value" in value:
        definition, value = str(value.get("definition", "")), value["value"]
    text = _text(value, at)
    if not definition:
        definition, text = split_cell(text, key)
    definition = definition if kind == PRIMAL else ""  # an adjoint row is keyed by its node
    index = key_index(key, graph)
    if index is None and not definition:
        raise _unknown(key, graph, at)
    return Cell(kind, UNMATCHED if index is None else index, text, at, str(key), definition)


def _text(value: object, where: str) -> str:
    if isinstance(value, bool) or value is None or not isinstance(value, int | float | str):
        raise ProblemFileError(f"expected a number, got {value!r}", location=where,
                               hint="write the value, e.g. 0.15 or -24/5")
    return repr(value) if isinstance(value, float) else str(value)


def node_index(key: object, graph: Graph, where: str) -> int:
    """Program name or v-number → the node's index (a name wins: an input may be called v1)."""
    index = key_index(key, graph)
    if index is None:
        raise _unknown(key, graph, where)
    return index


def _unknown(key: object, graph: Graph, where: str) -> GradtutorError:
    low, high = graph.nodes[0].index, graph.output.index
    names = ", ".join(n.name for n in graph.nodes if n.name)
    return ProblemFileError(f"{key!r} is not a node of the expression", location=where,
                            hint=f"use v{low} … v{high} or a name: {names}")


def _from_csv(text: str, graph: Graph, name: str = "the CSV table") -> list[Cell]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as err:
        raise ProblemFileError(f"{name}:{reader.line_num}: not a readable CSV row: {err}",
                               hint="one row per node: v1,0.15,-16") from None
    if not rows or "node" not in (rows[0].keys()):
        raise ProblemFileError("the CSV table needs a header: node,primal,adjoint",
                               hint="node,primal,adjoint\nv1,0.15,-16")
    cells = []
    for number, row in enumerate(rows, start=2):
        at = f"line {number}"
        for column, kind in (("primal", PRIMAL), ("adjoint", ADJOINT)):
            value = (row.get(column) or "").strip()
            if value:
                cells.append(_cell(kind, row["node"], value, graph, f"{at}, {column}",
                                   (row.get("definition") or "").strip()))
    return cells
