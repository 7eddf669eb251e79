"""Practice, tensor judge: a tensor cell + the student's nested list (+ earlier values) → Verdict.

The student's line is read with the project's own list reader (never eval): a number, or a
vector/matrix literal ``[5, -1]``, ``[[1, 2], [3, 4]]``; ragged and empty lists are refused with
a message. Table cells are judged by the tensor table check with the student's own earlier
values, so a cell computed right from a wrong earlier one follows through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..check.number import parse_number
from ..check.tensor_table import check_tensor_table
from ..check.verdict import Verdict
from ..errors import InputError
from ..point import read_list
from ..tensor import nested_shape
from .exercise import PRIMAL, Cell, Exercise

MAX_ANSWER_CHARS = 20_000
_DIFFERS = re.compile(r"^(Entry \[[\d, ]*\]|The value) differs: it should be .*, yours is (.*)\.$")


def read_tensor(text: str) -> Any:
    """A typed answer → a number's text or nested lists of entry texts; InputError if unreadable."""
    text = text.strip().replace("\u2212", "-")
    if len(text) > MAX_ANSWER_CHARS:
        raise InputError(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    if not text.startswith("["):
        if text.startswith(("(", "{")) and "," in text:
            raise InputError("write a vector or matrix with square brackets, e.g. [5, -1]")
        parse_number(text, "answer")
        return text
    nested = read_list(text, 0, text, "your answer")
    shape = nested_shape(nested, "your answer")
    for entry in [e for row in nested for e in row] if len(shape) == 2 else nested:
        parse_number(entry, "entry")
    return nested


def tensor_table_verdict(exercise: Exercise, held: Mapping[str, str], cell: Cell,
                         text: str) -> Verdict:
    """The tensor table check on this cell and the earlier cells it is computed from."""
    result = exercise.trace_of(cell)
    table: dict[str, dict[str, Any]] = {"forward": {}, "reverse": {}}
    others = [exercise.cell(cid) for cid in dict.fromkeys(cell.depends) if cid in held]
    for other, given in [*((c, held[c.id]) for c in others), (cell, text)]:
        node = result.graph.node(other.index)
        key = node.name or f"v{node.index}"
        table["forward" if other.kind == PRIMAL else "reverse"][key] = read_tensor(given)
    checked = check_tensor_table(result.graph.source, result, table)
    verdict = next(v for v in checked.verdicts if v.item.split(" (")[0] == cell.label)
    return replace(verdict, feedback=tuple(_unspoiled(line) for line in verdict.feedback))


def _unspoiled(line: str) -> str:
    """Entry [1] differs: it should be −1, yours is 1. → without the right entry (a try is left)."""
    found = _DIFFERS.match(line)
    return f"{found.group(1)} is not right (yours is {found.group(2)})." if found else line
