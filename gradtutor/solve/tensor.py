"""Solve stage, tensor parts: program with vector/matrix values → value, gradients, shapes,
Jacobians, each compared with the file's model answer entry by entry.

The solution is the tensor trace itself (same pipeline as ``gradtutor trace``); the part keeps
plain nested lists so the worked solution renders and serialises like the other kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ..parse import input_names, parse_program
from ..problem_schema import Quantity
from ..problems import Part, Problem
from ..tensor import shape_text, tensor_text
from .common import Check, same_number


@dataclass(frozen=True)
class TensorPart:
    source: str
    value: Any  # a number or nested lists
    gradient: dict[str, Any]  # input → nested lists in the input's shape
    shapes: dict[str, str]  # input → its gradient's shape, e.g. "2×3"
    jacobians: dict[str, Any]  # input → ∂output/∂input as a matrix (rows = output entries)
    route: str
    verified: str
    checks: tuple[Check, ...]


def _plain(quantity: Any) -> Any:
    if isinstance(quantity, tuple):
        return [_plain(item) for item in quantity]
    return quantity.value


def _point(problem: Problem, part: Part) -> dict[str, Any]:
    names = input_names(parse_program(part.spec["f"]))
    values: dict[str, Any] = {n: q.value for n, q in problem.values.items()}
    values.update({n: _plain(q) for n, q in part.spec.get("at", {}).items()})
    missing = [n for n in names if n not in values]
    if missing:
        where = part.where.get("at", part.where.get("kind", problem.path))
        raise InputError(f"{where}: no value for {', '.join(repr(m) for m in missing)}",
                         hint=f"add it to at:, e.g. at: {{{missing[0]}: [1, 2]}}")
    return {n: values[n] for n in names}


def part_trace(problem: Problem, part: Part) -> Any:
    """The tensor part's program traced at its point (a TensorTraceResult)."""
    from ..api import _as_value
    from ..sym import parse_value
    from ..tensor_api import trace_tensor
    from ..tensor_values import tensor_point

    point, route = tensor_point(_point(problem, part), _as_value, parse_value)
    return trace_tensor(parse_program(part.spec["f"]), point, route)


def solve_tensor(problem: Problem, part: Part) -> TensorPart:
    result = part_trace(problem, part)
    wanted = part.spec.get("wrt") or tuple(result.jacobian_arrays)
    grads = {n: result.jacobian_arrays[n] for n in wanted if n in result.jacobian_arrays}
    out_size = max(1, int(np.prod(result.graph.output.shape)))
    jacobians = {n: g.reshape(out_size, -1) for n, g in grads.items()}
    check = result.verification
    verified = ("the gradients agree with central finite differences"
                + (" and sympy.diff of the unrolled expression" if check.sympy_error is not None
                   else "") if check.agrees else "VERIFICATION FAILED")
    checks = _checks(part.answer or {}, result.forward.output, grads, jacobians)
    return TensorPart(part.spec["f"], _nested(result.forward.output),
                      {n: _nested(g) for n, g in grads.items()},
                      {n: shape_text(np.shape(g)) for n, g in grads.items()},
                      {n: _nested(j) for n, j in jacobians.items()} if part.spec.get(
                          "jacobians") else {}, result.route, verified, tuple(checks))


def _nested(array: Any) -> Any:
    return np.asarray(array, dtype=object).tolist()


def _checks(answer: dict, value: Any, grads: dict, jacobians: dict) -> list[Check]:
    checks = [tensor_check("value", answer["value"], value)] if "value" in answer else []
    for key, results in (("gradient", grads), ("jacobian", jacobians)):
        for name, given in answer.get(key, {}).items():
            checks.append(tensor_check(f"{key}.{name}", given, results[name])
                          if name in results else Check(f"{key}.{name}", False,
                                                        _text(given), "(not an input)"))
    for name, shape in answer.get("shapes", {}).items():
        got = shape_text(np.shape(grads[name])) if name in grads else "(not an input)"
        said = shape.replace("x", "×").replace("*", "×").replace(" ", "")
        checks.append(Check(f"shapes.{name}", said == got, shape, got))
    return checks


def tensor_check(key: str, given: Any, result: Any) -> Check:
    """Entry by entry: same shape, and each entry exact or right to its written decimals."""
    result = np.asarray(result, dtype=object)
    shape = _shape(given)
    ok = shape == result.shape and all(
        same_number(q, result[idx]) for idx, q in zip(np.ndindex(shape), _flat(given),
                                                      strict=True))
    return Check(key, ok, _text(given), tensor_text(result))


def _shape(given: Any) -> tuple[int, ...]:
    if not isinstance(given, tuple):
        return ()
    inner = {_shape(item) for item in given}
    return (len(given), *inner.pop()) if len(inner) == 1 else (-1,)


def _flat(given: Any) -> list[Quantity]:
    if isinstance(given, tuple):
        return [q for item in given for q in _flat(item)]
    return [given]


def _text(given: Any) -> str:
    if isinstance(given, tuple):
        return "[" + ", ".join(_text(item) for item in given) + "]"
    return given.text
