"""Tensor table files (feed tensor_table): a YAML or CSV table with nested-list cells → TensorCells.

``forward:`` and ``reverse:`` map a node (a v-number, a name from the program, or the student's
own name when the row has a definition) to a number or a nested list (``h: [1, -1]``,
``W: [[2, 1], [0, 0]]``), or to a definition and working before the value, as in scalar tables
(``v1: W@x = [1, 4]``, ``h: v1 + b = [1, 4] + [0, -5] = [1, -1]``, ``W: h̄ xᵀ = [[2, 1], [0, 0]]``,
or ``{definition: W@x, value: [1, 4]}``). CSV: the scalar tables' header ``node,primal,adjoint``
(optionally ``definition``), a vector or matrix cell a bracketed list in a quoted field. Each
entry is kept as written (0.50 keeps its zero). A cell that cannot be read (ragged, empty,
not a number) is an input error with its place, or, for answer sheets (``lenient``), a cell
carrying its error so that the other cells are still graded.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..errors import GradtutorError, InputError, ProblemFileError
from ..graph import Graph
from ..numeric import Value
from ..point import read_list
from ..tensor import Shape, nested_shape
from ..textfile import read_text
from ..yaml_nodes import compose_yaml
from .number import parse_number
from .rows import UNMATCHED, key_index, normalize_key, split_cell
from .tablefile import ADJOINT, MAX_TABLE_BYTES, PRIMAL, node_index

SECTIONS = {"forward": PRIMAL, "primal": PRIMAL, "reverse": ADJOINT, "adjoint": ADJOINT}
HINT = "e.g. [5, -1], [[2, 1], [0, 0]] or v1 + b = [1, -1]"
MAX_SHOWN = 200  # characters of a cell shown back in feedback
_PLAIN = re.compile(r"-?\d{1,30}(\.\d{1,30}|/[1-9]\d{0,30})?")


@dataclass(frozen=True, eq=False)
class TensorCell:
    kind: str  # primal | adjoint
    index: int  # UNMATCHED until a definition is matched to a node
    texts: tuple[str, ...]  # the entries as written, row by row
    shape: Shape
    where: str  # e.g. "At key: reverse.W" or "line 3, adjoint"
    key: str
    definition: str = ""  # a primal row's definition (W@x): matched by rows.match_cells
    rule: str = ""  # an adjoint row's working (h̄ xᵀ): used to diagnose
    error: str = ""  # why the cell could not be read (lenient reading only)

    @property
    def text(self) -> str:
        if not self.shape:
            return self.texts[0] if self.texts else ""
        width = self.shape[-1]
        rows = ["[" + ", ".join(self.texts[i:i + width]) + "]"
                for i in range(0, len(self.texts), width)]
        text = rows[0] if len(self.shape) == 1 else "[" + ", ".join(rows) + "]"
        return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"

    @property
    def written(self) -> str:
        """The cell as the student wrote it: its definition or working, then the value."""
        form = self.definition or self.rule
        return f"{form[:MAX_SHOWN]} = {self.text}" if form else self.text

    @property
    def values(self) -> np.ndarray:
        entries = [entry_number(t, self.key) for t in self.texts]
        array = np.empty(len(entries), dtype=object)
        array[:] = entries
        return array.reshape(self.shape)


def unknown_rows(cells: list[TensorCell], graph: Graph, lenient: bool) -> list[TensorCell]:
    """Rows that name no node and have no definition: an error (for sheets, their verdicts)."""
    defined = {normalize_key(c.key) for c in cells if c.definition}
    unknown = [c for c in cells if c.index == UNMATCHED and normalize_key(c.key) not in defined]
    if unknown and not lenient:
        node_index(unknown[0].key, graph, unknown[0].where)  # raises: not a node
    return unknown


def by_name(cells: list[TensorCell], graph: Graph) -> list[TensorCell]:
    """A row whose definition matched no step, keyed by a program name: judged by its name."""
    named = {n.name for n in graph.nodes if n.name}
    return [replace(c, index=key_index(c.key, graph)) if c.index == UNMATCHED and
            normalize_key(c.key) in named else c for c in cells]


def entry_number(text: str, key: str) -> Value:
    """One entry: plain decimals and fractions directly, anything else by the number reader."""
    if _PLAIN.fullmatch(text):
        return Fraction(text)
    return parse_number(text, f"entry of {key}")

def read_tensor_table(path: str | Path, graph: Graph) -> list[TensorCell]:
    name = str(path)
    text = read_text(path, "table", max_bytes=MAX_TABLE_BYTES,
                     hint="give the path of a .yaml or .csv file")
    if Path(path).suffix.lower() == ".csv":
        return _from_csv(text, graph, name)
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


def tensor_cells(data: dict, graph: Graph, prefix: str = "",
                 lenient: bool = False) -> list[TensorCell]:
    """Cells of a loaded mapping; ``lenient``: a bad cell carries its error instead."""
    cells: list[TensorCell] = []
    for section, rows in data.items():
        kind = SECTIONS.get(str(section))
        if kind is None or not isinstance(rows, dict):
            raise ProblemFileError(f"{section!r} is not a forward: or reverse: mapping",
                                   location=f"At key: {prefix}{section}",
                                   hint="forward: {h: [1, -1]}")
        for key, value in rows.items():
            where = f"At key: {prefix}{section}.{key}"
            cells.append(read_cell(kind, str(key), value, graph, where, lenient))
    return cells


def read_cell(kind: str, key: str, value: Any, graph: Graph, where: str,
              lenient: bool = False, definition: str = "") -> TensorCell:
    """One row: a list, ``def = … = [1, -1]`` or ``{definition: …, value: …}``."""
    try:
        return _cell(kind, key, value, graph, where, definition)
    except GradtutorError as err:
        if not lenient:
            raise
        return TensorCell(kind, UNMATCHED, (_shown(value)[:MAX_SHOWN],), (), where, key,
                          error=err.describe())


def _shown(value: Any) -> str:
    """A cell as written, for feedback: nested lists as [1, two], not ['1', 'two']."""
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value[:MAX_SHOWN]) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in list(value.items())[:8])
    return str(value)


def not_a_node(cell: TensorCell, graph: Graph) -> str:
    """Why a row names no node, with the names it could use."""
    try:
        node_index(cell.key, graph, cell.where)
    except GradtutorError as err:
        return err.describe()
    return f"{cell.key!r} is not a node of the expression"


def _cell(kind: str, key: str, value: Any, graph: Graph, where: str,
          definition: str) -> TensorCell:
    if isinstance(value, dict) and "value" in value:
        definition, value = str(value.get("definition") or ""), value["value"]
    if value is None or isinstance(value, dict):
        raise ProblemFileError("expected a number or a nested list of numbers",
                               location=where, hint=HINT)
    if isinstance(value, str):
        form, value = split_cell(value, key)
        definition = definition or form
        value = _list_text(value, where) if value.lstrip().startswith("[") else value
    index = key_index(key, graph)  # None: a row in the student's own name, matched later
    shape, texts = _entries(value, key, where)
    primal = kind == PRIMAL
    return TensorCell(kind, UNMATCHED if index is None else index, texts, shape, where, key,
                      definition if primal else "", "" if primal else definition)


def _list_text(text: str, where: str) -> Any:
    try:
        return read_list(text.strip(), 0, text.strip(), "the cell")
    except InputError as err:
        raise InputError(err.message, location=f"{where}\n{err.location}", hint=HINT) from None


def _entries(value: Any, key: str, where: str) -> tuple[Shape, tuple[str, ...]]:
    try:
        shape = nested_shape(value, key) if isinstance(value, list) else ()
    except GradtutorError as err:
        raise type(err)(err.message, location=where, hint=err.hint) from None
    flat = [value] if not shape else value if len(shape) == 1 else \
        [e for row in value for e in row]
    if any(isinstance(e, list | dict) or e is None or str(e).strip() == "" for e in flat):
        raise ProblemFileError("expected numbers in the list", location=where, hint=HINT)
    texts = tuple(str(e).strip() for e in flat)
    for text in texts:
        try:
            entry_number(text, key)
        except InputError as err:
            raise InputError(err.message, location=where, hint="e.g. 0.5, -3 or 1/4") from None
    return shape, texts


def first_of_each(cells: list[TensorCell],
                  lenient: bool) -> tuple[list[TensorCell], list[TensorCell]]:
    """The first cell for each node; a second one is an error (a verdict, for sheets)."""
    seen: set[tuple[str, int]] = set()
    first, again = [], []
    for cell in cells:
        if (cell.kind, cell.index) in seen:
            if not lenient:
                raise InputError(f"{cell.key} is given twice in the {cell.kind} table",
                                 location=cell.where)
            again.append(cell)
        else:
            seen.add((cell.kind, cell.index))
            first.append(cell)
    return first, again


def _from_csv(text: str, graph: Graph, name: str) -> list[TensorCell]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as err:
        raise ProblemFileError(f"{name}:{reader.line_num}: not a readable CSV row: {err}",
                               hint='one row per node: h,"[1, -1]","[1, 0]"') from None
    if not rows or "node" not in rows[0]:
        raise ProblemFileError(f"{name}: the CSV table needs a header: node,primal,adjoint",
                               hint='node,primal,adjoint\nh,"[1, -1]","[1, 0]"')
    cells = []
    for number, row in enumerate(rows, start=2):
        for column, kind in (("primal", PRIMAL), ("adjoint", ADJOINT)):
            value = (row.get(column) or "").strip()
            if value:
                definition = (row.get("definition") or "").strip() if kind == PRIMAL else ""
                cells.append(read_cell(kind, (row["node"] or "").strip(), value, graph,
                                       f"{name}:{number}, {column}", definition=definition))
    return cells
