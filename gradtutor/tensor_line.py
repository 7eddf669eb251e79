"""Stage 3c, tensor verify: graph + point → every ∂output/∂entry from one sympy.diff per output.

The program is unrolled (one SymPy expression per output entry) along the line
``entry = e + t·d`` with a symbol ``e`` and a direction symbol ``d`` per input entry, and
SymPy differentiates each output once with respect to ``t``. At ``t = 0`` the result is
``Σ ∂y/∂e · d`` — linear in the directions — so one walk of it at the point (``t = 0`` there:
no rebuilt copy of the derivative) reads off the coefficient of every ``d``: each entry's
partial derivative, taken by SymPy's own chain rule (nothing shared with the VJP rules).
Anything that is not a plain linear form in the directions (kinks, Piecewise) raises
:class:`NotImplementedError` and the caller falls back to one ``sympy.diff`` per entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from .graph import Graph
from .numeric import Value, evaluate
from .tensor_backend import BACKENDS
from .tensor_sweep import primal_arrays

Entry = tuple[str, tuple[int, ...]]
Linear = dict[int, Any]  # direction number → coefficient; -1 → the constant part
CONSTANT = -1
KINKS = (sp.Heaviside, sp.sign, sp.Piecewise, sp.Max, sp.Min, sp.DiracDelta, sp.Abs)


def line_partials(graph: Graph, shapes: dict[str, tuple[int, ...]], entries: list[Entry],
                  symbol: Callable[[str, tuple[int, ...]], sp.Symbol],
                  env: dict[sp.Symbol, Value]) -> np.ndarray:
    """∂output/∂entry for every output entry (leading axes) and input entry (last axis, in
    the order of ``entries``, which must list every entry of every input)."""
    t = sp.Dummy("t", real=True)
    directions = [sp.Dummy(f"d{i}", real=True) for i in range(len(entries))]
    point = {name: np.empty(shape, dtype=object) for name, shape in shapes.items()}
    for number, (name, idx) in enumerate(entries):
        point[name][idx] = symbol(name, idx) + t * directions[number]
    output = primal_arrays(graph, point, BACKENDS["symbolic"])[graph.output.index]
    found = np.empty(output.shape + (len(entries),), dtype=object)
    position = {d: i for i, d in enumerate(directions)}
    at_zero = {**env, t: 0, **{d: 0 for d in directions}}  # t = 0: every t·d term vanishes
    for out_idx in np.ndindex(output.shape):
        along = sp.diff(output[out_idx], t)
        if along.has(*KINKS):
            raise NotImplementedError("a kink function in the derivative")
        form = _linear(along, Walk(position, t, at_zero, {}, {}))
        if form.get(CONSTANT, 0) != 0:
            raise NotImplementedError("the derivative along the line is not linear")
        for number in range(len(entries)):
            found[out_idx + (number,)] = form.get(number, 0)
    return found


@dataclass(frozen=True)
class Walk:
    """What one walk of a derivative needs: the directions, ``t`` and the point with
    ``t = 0`` (and every direction 0, which only multiplies ``t`` wherever it is evaluated)."""

    position: dict[sp.Symbol, int]
    t: sp.Symbol
    at_zero: dict[sp.Symbol, Value]
    memo: dict[sp.Expr, Linear]
    guarded: dict[sp.Expr, bool]


def _linear(node: sp.Expr, walk: Walk) -> Linear:
    """``node`` at the point (t = 0) as a linear form in the direction symbols."""
    if node in walk.memo:
        return walk.memo[node]
    if node in walk.position:
        form: Linear = {walk.position[node]: 1}
    elif node.func is sp.Add:
        form = {}
        for arg in node.args:
            for key, value in _linear(arg, walk).items():
                form[key] = form.get(key, 0) + value
    elif node.func is sp.Mul and walk.t in node.args:
        form = {}  # a multiple of t: 0 at t = 0, whatever the directions in it
    elif node.func is sp.Mul:
        form = {CONSTANT: 1}
        for arg in node.args:
            form = _times(form, _linear(arg, walk))
    elif _t_guarded(node, walk):
        form = {CONSTANT: evaluate(node, walk.at_zero)}
    else:
        raise NotImplementedError(f"{node.func} around a direction")
    walk.memo[node] = form
    return form


def _t_guarded(node: sp.Expr, walk: Walk) -> bool:
    """Whether every direction in ``node`` sits in a product with ``t`` (so at t = 0 the
    node's value does not depend on the directions: e.g. tanh(e + t·d))."""
    if node in walk.guarded:
        return walk.guarded[node]
    if node in walk.position:
        found = False
    elif node.func is sp.Mul and walk.t in node.args:
        found = True
    else:
        found = all(_t_guarded(arg, walk) for arg in node.args)
    walk.guarded[node] = found
    return found


def _times(left: Linear, right: Linear) -> Linear:
    if not left or not right:
        return {}  # a factor that is 0 at t = 0
    if set(right) == {CONSTANT}:
        left, right = right, left
    if set(left) != {CONSTANT}:
        raise NotImplementedError("a product of two directions")
    factor = left[CONSTANT]
    return {key: factor * value for key, value in right.items()}
