"""Practice, tensor parts: a problem's `kind: tensor` part → cells for its value, shapes,
gradients or Jacobians (numbers and nested lists), and the tensor diagnoses of a wrong one.

Each answer is marked by the answer-sheet check's tensor part (check/tensor.py, entry by entry
to the precision written); a wrong gradient also gets the classic tensor diagnoses (transpose,
a shape that cannot be right, a missing ReLU mask or σ′, a sum not broadcast, the sign).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import numpy as np

from ..check.number import parse_number
from ..check.verdict import WRONG, Verdict
from ..errors import InputError
from ..render.tensor_view import TensorView
from ..render.trace_view import Options
from ..tensor import exact_tensor
from .exercise import Cell, Exercise
from .tensor import array_answer, json_value, shape_phrase
from .tensor_judge import read_tensor

TENSOR, SHAPE = "tensor", "shape"
_SHAPE = re.compile(r"^\(?\s*(\d+)\s*(?:[x×*,]\s*(\d+)\s*)?,?\s*\)?$")


def read_shape(text: str) -> str:
    """2x3, 2×3, (2, 3), 4, scalar or () → the check's spelling ("2×3", "4", "scalar")."""
    words = text.strip().lower()
    if words in ("scalar", "()", "a scalar", "1x1 scalar"):
        return "scalar"
    found = _SHAPE.match(words)
    if not found:
        raise InputError("not a shape", hint="write a shape such as 2x3, 4 or scalar")
    return "×".join(g for g in found.groups() if g)


def tensor_part_cells(part: Any, solved: Any, result: Any) -> list[Cell]:
    """Value (if the answer has one), then shapes (if asked), gradients or Jacobians."""
    statement = " ".join((part.statement or "").split())
    answer = part.answer or {}
    out = result.graph.output.name or "y"
    rules = _rules(result)
    cells = []
    if "value" in answer:
        cells.append(_tensor_cell(part, "value", f"the value of {out}", solved.value, statement,
                                  (f"Run the program forward: {part.spec['f']}.",)))
    jacobians = bool(part.spec.get("jacobians"))
    key = "jacobian" if jacobians else "gradient"
    asked = {n: g for n, g in (solved.jacobians if jacobians else solved.gradient).items()
             if np.ndim(np.asarray(g, dtype=object)) <= 2 and n in answer.get(key, {n: 0})}
    cells += [_shape_cell(part, name, out, shape, statement)
              for name, shape in solved.shapes.items() if name in answer.get("shapes", {})]
    what = "the Jacobian ∂{0}/∂{1} (rows = entries of {0})" if jacobians or \
        not result.scalar_output else "∂{0}/∂{1}"
    for name, value in asked.items():
        hints = (f"A gradient has the shape of its variable: ∂{out}/∂{name} is "
                 f"{shape_phrase(np.shape(np.asarray(value, dtype=object)))}."
                 if not jacobians else "Numerator layout: one row per entry of the output, "
                 "one column per entry of the input (a matrix input flattened row by row).",
                 rules.get(name, ""), " ".join((part.explain or "").split()))
        cells.append(_tensor_cell(part, f"{key}.{name}", what.format(out, name), value,
                                  statement, tuple(h for h in hints if h)))
    return cells


def _rules(result: Any) -> dict[str, str]:
    """Input name → the backward rules of the edges out of it, as the trace prints them."""
    view, graph = TensorView(result, Options()), result.graph
    found = {}
    for node in graph.inputs:
        edges = [e for e in graph.edges if e.source == node.index]
        if edges:
            found[node.name] = "Backward rules: " + "; ".join(view.backward_text(e)
                                                              for e in edges) + "."
    return found


def _tensor_cell(part: Any, key: str, what: str, value: Any, statement: str,
                 hints: tuple[str, ...]) -> Cell:
    array = np.asarray(value, dtype=object)
    shape = tuple(array.shape)
    phrase = shape_phrase(shape)
    answer = array_answer(array)
    return Cell(f"{part.id}.{key}", TENSOR, f"part {part.id} ({key})",
                f"Part {part.id}: {statement}\n{what}, {phrase} = ?", answer, hints,
                f"{part.id}.{key} = {answer}", part=part.id, shape=shape,
                nested=json_value(array))


def _shape_cell(part: Any, name: str, out: str, shape: str, statement: str) -> Cell:
    hints = (f"A gradient has the shape of its variable: look at the size of {name}.",)
    return Cell(f"{part.id}.shapes.{name}", SHAPE, f"part {part.id} (shape of ∂{out}/∂{name})",
                f"Part {part.id}: {statement}\nthe shape of ∂{out}/∂{name} (e.g. 2x3, 4 or "
                "scalar) = ?", shape, hints, f"∂{out}/∂{name} has the shape of {name}: {shape}",
                part=part.id)


def sheet_answer(cell: Cell, text: str) -> Any:
    """The student's line as the answer sheet holds it: a shape, a number or nested lists."""
    return read_shape(text) if cell.kind == SHAPE else read_tensor(text)


def tensor_diagnosis(exercise: Exercise, cell: Cell, text: str) -> tuple[str, str]:
    """(what is wrong, mistake tag) for a wrong gradient or Jacobian: check's tensor judge."""
    from ..check.tensor import judge

    result = dict(exercise.traces).get(cell.part)
    key, _, name = cell.id.split(".", 1)[1].partition(".")
    if result is None or key not in ("gradient", "jacobian") or cell.shape is None:
        return "", ""
    given = _array(read_tensor(text))
    expected = np.asarray(result.jacobian_arrays[name], dtype=object).reshape(cell.shape)
    _, feedback, tag = judge(result, name, expected, given, exact=True)
    message = feedback[0] if feedback else ""
    if tag == "transpose" and not result.scalar_output:
        rows, cols = cell.shape if len(cell.shape) == 2 else (1, 1)
        message = (f"your answer is the transpose of the Jacobian: in numerator layout it has "
                   f"one row per entry of the output ({rows}) and one column per entry of "
                   f"{name} ({cols})")
    if tag == "" and np.shape(given) == np.shape(expected):
        message = ""  # the first differing entry would give the answer away
    elif tag == "" and message.startswith("your answer has shape"):
        tag = "shape"
    return (message[:1].upper() + message[1:] + "." if message else ""), tag


def _array(value: Any) -> np.ndarray:
    if not isinstance(value, list):
        return np.asarray(parse_number(value, "answer"), dtype=object)
    flat = [e for row in value for e in row] if value and isinstance(value[0], list) else value
    shape = (len(value), len(value[0])) if isinstance(value[0], list) else (len(value),)
    return exact_tensor([parse_number(e, "entry") for e in flat], shape).array


def tensor_part_verdict(exercise: Exercise, cell: Cell, verdict: Verdict, text: str) -> Verdict:
    """The sheet check's verdict, with what is wrong said (and the answer not given away)."""
    if verdict.status != WRONG:
        return verdict
    if cell.kind == SHAPE:
        return replace(verdict, feedback=("A gradient has the shape of its variable.",),
                       mistake="shape")
    message, tag = tensor_diagnosis(exercise, cell, text)
    return replace(verdict, feedback=(message,) if message else (), mistake=tag)
