"""Stage 3e, index form: index expression + concrete sizes → its value at every index combination.

An index pattern (``delta(k,i)*x[j]`` for ∂z_k/∂W_ij) is expanded over every combination of
its free indices at a few small sizes and compared entry by entry with the Jacobian the tensor
engine computes by its VJP rules: two independent routes to the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import DomainError, InputError, LimitError, caret_location
from .index_form import ICall, IDelta, IEntry, IExpr, INum, ISum
from .numeric import CTX, OutsideDomain, to_mpf
from .tensor import shape_text
from .tensor_backend import BACKENDS

MAX_EVALUATIONS = 100_000  # entries × operations × summed terms, per check
_K = BACKENDS["exact"]


@dataclass(frozen=True, eq=False)
class Case:
    """One concrete size: named values, each free index's range, the engine's Jacobian."""

    label: str  # "W 2×3, x 3, b 2"
    env: dict[str, np.ndarray]  # inputs and named steps → their values
    ranges: dict[str, int]  # free index → how many values it takes
    jacobian: np.ndarray  # axes: the output entry's indices, then the input entry's
    result: Any  # the TensorTraceResult (for diagnoses)


def _children(expr: IExpr) -> tuple[IExpr, ...]:
    if isinstance(expr, ICall):
        return expr.args
    return (expr.body,) if isinstance(expr, ISum) else ()


def resolve(expr: IExpr, ndims: dict[str, int], source: str) -> IExpr:
    """Names checked against the program: ``x_j`` split into x[j] where x is a vector …"""
    if isinstance(expr, ICall):
        return replace(expr, args=tuple(resolve(a, ndims, source) for a in expr.args))
    if isinstance(expr, ISum):
        return replace(expr, body=resolve(expr.body, ndims, source))
    if not isinstance(expr, IEntry):
        return expr
    if expr.subscript and expr.name not in ndims:
        base, _, sub = expr.name.rpartition("_")
        if base in ndims and len(sub) == ndims[base] and sub.isalnum():
            return replace(expr, name=base, indices=tuple(
                int(c) if c.isdigit() else c for c in sub), subscript=False)
    where = caret_location(source, expr.offset, expr.length)
    if expr.name not in ndims:
        raise InputError(f"{expr.name!r} is not a name of the program", location=where,
                         hint=f"use its values: {', '.join(ndims)}")
    want = ndims[expr.name]
    if len(expr.indices) != want:
        kind = ("a number (no index)", "a vector: one index", "a matrix: two indices")[want]
        raise InputError(f"{expr.name} takes {want} ind{'ex' if want == 1 else 'ices'}, "
                         f"got {len(expr.indices)}", location=where, hint=f"{expr.name} is "
                         f"{kind}, e.g. {_example(expr.name, want)}")
    return expr


def _example(name: str, ndim: int) -> str:
    return name if ndim == 0 else f"{name}[{', '.join('kij'[:ndim])}]"


def check_indices(expr: IExpr, free: dict[str, str], source: str,
                  bound: frozenset[str] = frozenset()) -> None:
    """Every index letter is free (from the entries differentiated) or summed; else a message."""
    letters: list[tuple[Any, int]] = []
    if isinstance(expr, IEntry):
        letters = [(i, expr.offset) for i in expr.indices]
    elif isinstance(expr, IDelta):
        letters = [(expr.a, expr.offset), (expr.b, expr.offset)]
    elif isinstance(expr, ISum):
        if expr.index in free:
            raise InputError(f"the summed index {expr.index} is already a free index",
                             location=caret_location(source, expr.offset),
                             hint="sum over a letter of its own, e.g. sum(W[k,m]*x[m], m)")
        bound = bound | {expr.index}
    for letter, offset in letters:
        if isinstance(letter, str) and letter not in free and letter not in bound:
            names = ", ".join(f"{k} ({v})" for k, v in free.items()) or "none"
            raise InputError(f"the index {letter} is not one of the free indices",
                             location=caret_location(source, offset),
                             hint=f"the free indices are {names}; a summed index needs "
                                  "sum(…, m)")
    for child in _children(expr):
        check_indices(child, free, source, bound)


def check_ranges(expr: IExpr, case: Case, source: str, ranges: dict[str, int] | None = None
                 ) -> None:
    """Each index sits on an axis as long as its range (at this case's sizes)."""
    ranges = dict(case.ranges if ranges is None else ranges)
    if isinstance(expr, ISum):
        ranges[expr.index] = _sum_range(expr, case, source)
    if isinstance(expr, IEntry):
        shape = np.shape(case.env[expr.name])
        for axis, (index, size) in enumerate(zip(expr.indices, shape, strict=True)):
            got = ranges.get(index) if isinstance(index, str) else None
            if isinstance(index, int) and index >= size or got is not None and got != size:
                what = f"{index} is past the end" if isinstance(index, int) else (
                    f"the index {index} takes {got} values")
                raise InputError(f"{expr.name}[{', '.join(map(str, expr.indices))}]: {what}, "
                                 f"but axis {axis} of {expr.name} has {size} entries "
                                 f"(sizes {case.label})",
                                 location=caret_location(source, expr.offset, expr.length),
                                 hint="put each index where it belongs: the right axis of "
                                      "the right name")
    for child in _children(expr):
        check_ranges(child, case, source, ranges)


def _sum_range(expr: ISum, case: Case, source: str) -> int:
    for node in _walk(expr.body):
        if isinstance(node, IEntry) and expr.index in node.indices:
            return int(np.shape(case.env[node.name])[node.indices.index(expr.index)])
    raise InputError(f"the summed index {expr.index} appears in no entry",
                     location=caret_location(source, expr.offset),
                     hint="sum(W[k,m]*x[m], m): m must index an entry")


def _walk(expr: IExpr) -> list[IExpr]:
    out, stack = [], [expr]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(_children(node))
    return out


class Evaluator:
    """Evaluates an index expression at one binding of its indices (exact route)."""

    def __init__(self, case: Case, budget: list[int]) -> None:
        self.case, self.budget = case, budget

    def value(self, expr: IExpr, at: dict[str, int]) -> Any:
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise LimitError(f"expanding the index pattern takes more than {MAX_EVALUATIONS} "
                             "steps", hint="smaller shapes, or fewer nested sums")
        if isinstance(expr, INum):
            return expr.value
        if isinstance(expr, IDelta):
            return Fraction(int(_at(expr.a, at) == _at(expr.b, at)))
        if isinstance(expr, IEntry):
            return self.case.env[expr.name][tuple(_at(i, at) for i in expr.indices)]
        if isinstance(expr, ISum):
            total: Any = Fraction(0)
            for m in range(_sum_range(expr, self.case, "")):
                total = _apply("add", [total, self.value(expr.body, {**at, expr.index: m})])
            return total
        return _apply(expr.op, [self.value(a, at) for a in expr.args])


def _at(index: Any, at: dict[str, int]) -> int:
    return index if isinstance(index, int) else at[index]


def _apply(op: str, args: list[Any]) -> Any:
    try:
        return _K.elementwise(op, [_K.wrap(a) for a in args])[()]
    except (OutsideDomain, ZeroDivisionError) as err:
        raise DomainError(f"{op} is undefined there ({err})") from None


def expand(expr: IExpr, case: Case, free: tuple[str, ...], budget: list[int]) -> np.ndarray:
    """The pattern's value at every combination of the free indices (axes in ``free`` order)."""
    shape = tuple(case.ranges[i] for i in free)
    out = np.empty(shape, dtype=object)
    run = Evaluator(case, budget)
    for combo in np.ndindex(shape):
        out[combo] = run.value(expr, dict(zip(free, combo, strict=True)))
    return out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    x, y = to_mpf(a), to_mpf(b)
    return bool(abs(x - y) <= CTX.mpf(10) ** -30 * max(CTX.mpf(1), abs(y)))


def first_difference(values: np.ndarray, truth: np.ndarray) -> tuple[int, ...] | None:
    for combo in np.ndindex(truth.shape):
        if not same(values[combo], truth[combo]):
            return combo
    return None


def sizes_label(shapes: dict[str, tuple[int, ...]]) -> str:
    return ", ".join(f"{n} {shape_text(s)}" for n, s in shapes.items() if s)
