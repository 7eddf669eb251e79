"""Tensor table files (feed tensor_table): a YAML table with nested-list cells → TensorCells.

``forward:`` and ``reverse:`` map a node (a v-number or a name from the program, as in scalar
tables) to a number or a nested list (``h: [1, -1]``, ``W: [[2, 1], [0, 0]]``); each entry is
kept as written (0.50 keeps its zero). Ragged and empty lists, non-numbers and unknown nodes
are input errors with the key path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..errors import InputError, ProblemFileError
from ..graph import Graph
from ..tensor import Shape, nested_shape
from ..textfile import read_text
from ..yaml_nodes import compose_yaml
from .number import parse_number
from .tablefile import ADJOINT, MAX_TABLE_BYTES, PRIMAL, node_index

SECTIONS = {"forward": PRIMAL, "primal": PRIMAL, "reverse": ADJOINT, "adjoint": ADJOINT}


@dataclass(frozen=True, eq=False)
class TensorCell:
    kind: str  # primal | adjoint
    index: int
    texts: tuple[str, ...]  # the entries as written, row by row
    shape: Shape
    where: str  # e.g. "At key: reverse.W"
    key: str

    @property
    def text(self) -> str:
        if not self.shape:
            return self.texts[0]
        width = self.shape[-1]
        rows = ["[" + ", ".join(self.texts[i:i + width]) + "]"
                for i in range(0, len(self.texts), width)]
        return rows[0] if len(self.shape) == 1 else "[" + ", ".join(rows) + "]"

    @property
    def values(self) -> np.ndarray:
        entries = [parse_number(t, f"entry of {self.key}") for t in self.texts]
        array = np.empty(len(entries), dtype=object)
        array[:] = entries
        return array.reshape(self.shape)


def read_tensor_table(path: str | Path, graph: Graph) -> list[TensorCell]:
    name = str(path)
    if Path(path).suffix.lower() == ".csv":
        raise ProblemFileError(f"{name}: a table with vector or matrix cells is a YAML file",
                               hint="forward: {h: [1, -1]}  reverse: {W: [[2, 1], [0, 0]]}")
    text = read_text(path, "table", max_bytes=MAX_TABLE_BYTES,
                     hint="give the path of a .yaml file")
    data = _plain(compose_yaml(text, name, max_chars=MAX_TABLE_BYTES, what="table",
                               empty_hint="forward: {h: [1, -1]}"))
    if not isinstance(data, dict) or not set(map(str, data)) & set(SECTIONS):
        raise ProblemFileError(f"{name} has no forward: or reverse: section",
                               hint="forward: {h: [1, -1]}  reverse: {W: [[2, 1], [0, 0]]}")
    return tensor_cells(data, graph)


def _plain(node: yaml.Node) -> Any:
    """Composed YAML → dicts and lists of the text as written (0.50 keeps its zero)."""
    if isinstance(node, yaml.MappingNode):
        return {str(_plain(k)): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    return None if node.tag.endswith(":null") else node.value


def tensor_cells(data: dict, graph: Graph) -> list[TensorCell]:
    cells: list[TensorCell] = []
    seen: set[tuple[str, int]] = set()
    for section, rows in data.items():
        kind = SECTIONS.get(str(section))
        if kind is None or not isinstance(rows, dict):
            raise ProblemFileError(f"{section!r} is not a forward: or reverse: mapping",
                                   location=f"At key: {section}", hint="forward: {h: [1, -1]}")
        for key, value in rows.items():
            where = f"At key: {section}.{key}"
            index = node_index(key, graph, where)
            if (kind, index) in seen:
                raise InputError(f"{key} is given twice in the {section} table", location=where)
            seen.add((kind, index))
            cells.append(_cell(kind, index, str(key), value, where))
    return cells


def _cell(kind: str, index: int, key: str, value: Any, where: str) -> TensorCell:
    if value is None or isinstance(value, dict):
        raise ProblemFileError("expected a number or a nested list of numbers",
                               location=where, hint="e.g. [5, -1] or [[2, 1], [0, 0]]")
    try:
        shape = nested_shape(value, key) if isinstance(value, list) else ()
    except InputError as err:
        raise type(err)(err.message, location=where, hint=err.hint) from None
    flat = value if len(shape) < 2 else [e for row in value for e in row]
    texts = tuple(str(e) for e in (flat if shape else [value]))
    if any(isinstance(e, list | dict) or e is None for e in (flat if shape else [value])):
        raise ProblemFileError("expected numbers in the list", location=where,
                               hint="e.g. [5, -1] or [[2, 1], [0, 0]]")
    cell = TensorCell(kind, index, texts, shape, where, key)
    try:
        cell.values  # noqa: B018 — every entry must read as a number
    except InputError as err:
        raise InputError(err.message, location=where, hint="e.g. 0.5, -3 or 1/4") from None
    return cell
