"""Stage 3c, tensor verify: graph + point + gradient → independent checks of every entry.

Two routes that share nothing with the VJP rules: central finite differences of the primal
sweep (every entry, or an evenly spread sample of large tensors, at 50 digits on the exact
route, in float64 on the float route) and, for small sizes, ``sympy.diff`` of the unrolled
scalar expression (the program written out one SymPy expression per entry).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .graph import Graph
from .numeric import CTX, from_sympy, to_mpf
from .tensor_backend import BACKENDS, Backend
from .tensor_line import line_partials
from .tensor_sweep import downstream, primal_again, primal_arrays
from .verify import time_budget

MAX_FD_ENTRIES = 60  # finite-difference checks per trace; larger inputs are sampled
MAX_FD_FLOAT = 24  # on the float route (each check is two sweeps of a whole layer)
MAX_SYMBOLIC_ENTRIES = 40  # input entries beyond which the unrolled sympy.diff is skipped
SYMBOLIC_SECONDS = 0.25
EXACT_STEP = CTX.mpf("1e-25")  # in units of each entry's size; O(h) stays far below 1e-20
EXACT_GUARD_DIGITS = 30  # where a function is only once differentiable (softsign at 0, elu)


@dataclass(frozen=True)
class TensorVerification:
    sympy_error: float | None
    fd_error: float | None
    fd_checked: int
    fd_total: int
    notes: tuple[str, ...]
    route: str

    @property
    def agrees(self) -> bool:
        sympy_ok = self.sympy_error is None or self.sympy_error <= 1e-30
        fd_limit = 1e-20 if self.route == "exact" else 1e-5
        return sympy_ok and (self.fd_error is None or self.fd_error <= fd_limit)


def entry_symbol(name: str, index: tuple[int, ...]) -> sp.Symbol:
    """The scalar name of one entry: W[0, 1] → W_0_1 (x for a scalar input)."""
    return sp.Symbol("_".join([name, *map(str, index)]), real=True)


def _entries(point: dict[str, np.ndarray]) -> list[tuple[str, tuple[int, ...]]]:
    return [(name, idx) for name, arr in point.items() for idx in np.ndindex(np.shape(arr))]


def _interleaved(point: dict[str, np.ndarray]) -> list[tuple[str, tuple[int, ...]]]:
    """Every input entry, taking one from each input in turn (W[0,0], b[0], x[0], W[0,1], …),
    so a time budget that runs out still leaves every input checked."""
    per_input = [[(name, idx) for idx in np.ndindex(np.shape(arr))] for name, arr in point.items()]
    longest = max((len(entries) for entries in per_input), default=0)
    return [entries[i] for i in range(longest) for entries in per_input if i < len(entries)]


def _sample(point: dict[str, np.ndarray], limit: int) -> list[tuple[str, tuple[int, ...]]]:
    """At most ``limit`` input entries, evenly spread over all of them (without listing a
    million entries first)."""
    sizes = [(name, int(np.size(arr)), np.shape(arr)) for name, arr in point.items()]
    total = sum(size for _, size, _ in sizes)
    chosen = range(total) if total <= limit else (int(i * total / limit) for i in range(limit))
    found = []
    for flat in chosen:
        for name, size, shape in sizes:
            if flat < size:
                found.append((name, tuple(int(i) for i in np.unravel_index(flat, shape))))
                break
            flat -= size
    return found


def finite_differences(graph: Graph, point: dict[str, np.ndarray], k: Backend,
                       jacobian: dict[str, np.ndarray]) -> tuple[float | None, int, int]:
    """Max difference (relative above 1) between the sweep and central differences."""
    if k.name != "exact":
        return _differences(graph, point, k, jacobian)
    with CTX.workdps(CTX.dps + EXACT_GUARD_DIGITS):  # rounding ≪ the step's O(h) error
        return _differences(graph, point, k, jacobian)


def _differences(graph: Graph, point: dict[str, np.ndarray], k: Backend,
                 jacobian: dict[str, np.ndarray]) -> tuple[float | None, int, int]:
    worst = 0.0
    chosen = _sample(point, MAX_FD_ENTRIES if k.name == "exact" else MAX_FD_FLOAT)
    fd_k = BACKENDS["exact"] if k.name == "exact" else k
    if k.name == "exact":  # 50-digit entries throughout: no Fraction·mpf mixing per sweep
        point = {name: _as_mpf(arr) for name, arr in point.items()}
    base = primal_arrays(graph, point, fd_k)
    index = {n.name: n.index for n in graph.inputs}
    steps = {name: downstream(graph, name) for name in point}
    for name, idx in chosen:
        x = point[name]
        size = max(1.0, abs(float(x[idx])))
        step = EXACT_STEP * size if k.name == "exact" else 1e-6 * size
        sides = []
        for sign in (1, -1):
            arr = np.array(x, dtype=object if k.name == "exact" else np.float64, copy=True)
            arr[idx] = arr[idx] + sign * step
            again = primal_again(graph, base, index[name], arr, steps[name], fd_k)
            sides.append(again[graph.output.index])
        numeric = _difference_quotient(sides[0], sides[1], step)
        analytic = jacobian[name][(...,) + idx]
        scale = max(1.0, _max_abs(analytic))
        worst = max(worst, _max_abs(numeric - analytic) / scale)
    return worst, len(chosen), sum(int(np.size(arr)) for arr in point.values())


def _as_mpf(array: np.ndarray) -> np.ndarray:
    converted = np.empty(np.shape(array), dtype=object)
    for idx in np.ndindex(np.shape(array)):
        converted[idx] = to_mpf(array[idx])
    return converted


def _difference_quotient(plus: np.ndarray, minus: np.ndarray, step: object) -> np.ndarray:
    if plus.dtype != object:
        return (plus - minus) / (2 * step)
    quotient = np.frompyfunc(lambda p, m: (to_mpf(p) - to_mpf(m)) / (2 * step), 2, 1)
    return np.asarray(quotient(plus, minus), dtype=object)


def _max_abs(values: object) -> float:
    return max(abs(float(v)) for v in np.ravel(np.asarray(values, dtype=object)))


def unrolled_output(graph: Graph, shapes: dict[str, tuple[int, ...]]) -> np.ndarray:
    """The output as SymPy expressions in one symbol per input entry."""
    k = BACKENDS["symbolic"]
    point = {}
    for name, shape in shapes.items():
        array = np.empty(shape, dtype=object)
        for idx in np.ndindex(shape):
            array[idx] = entry_symbol(name, idx)
        point[name] = array
    return primal_arrays(graph, point, k)[graph.output.index]


def sympy_check(graph: Graph, point: dict[str, np.ndarray], jacobian: dict[str, np.ndarray],
                seconds: float) -> tuple[float | None, int, int]:
    """Max |adjoint − sympy.diff| over the input entries checked within ``seconds``, the
    number checked and the number of entries. One ``sympy.diff`` per output along a line
    (:mod:`.tensor_line`) when the derivative is smooth there, else one per entry (one entry
    of each input in turn)."""
    entries = _interleaved(point)
    try:
        with time_budget(seconds):
            return _line_check(graph, point, jacobian, entries)
    except NotImplementedError:
        pass
    except (TimeoutError, RecursionError):
        return None, 0, len(entries)
    return _entry_check(graph, point, jacobian, seconds)


def _line_check(graph: Graph, point: dict[str, np.ndarray], jacobian: dict[str, np.ndarray],
                entries: list[tuple[str, tuple[int, ...]]]) -> tuple[float, int, int]:
    env = {entry_symbol(n, idx): point[n][idx] for n, idx in entries}
    shapes = {name: np.shape(arr) for name, arr in point.items()}
    partials = line_partials(graph, shapes, entries, entry_symbol, env)
    worst = CTX.mpf(0)
    for out_idx in np.ndindex(partials.shape[:-1]):
        for number, (name, idx) in enumerate(entries):
            error = to_mpf(partials[out_idx + (number,)]) - to_mpf(jacobian[name][out_idx + idx])
            worst = max(worst, abs(error))
    return float(worst), len(entries), len(entries)


def _entry_check(graph: Graph, point: dict[str, np.ndarray], jacobian: dict[str, np.ndarray],
                 seconds: float) -> tuple[float | None, int, int]:
    output = unrolled_output(graph, {name: np.shape(arr) for name, arr in point.items()})
    subs = {entry_symbol(n, idx): _rational(point[n][idx]) for n, idx in _entries(point)}
    worst, checked, entries = CTX.mpf(0), 0, _interleaved(point)
    try:
        with time_budget(seconds):
            for name, idx in entries:
                for out_idx in np.ndindex(output.shape):
                    derivative = sp.diff(output[out_idx], entry_symbol(name, idx))
                    at = derivative.xreplace(subs)
                    if at.has(sp.Heaviside, sp.sign, sp.Piecewise, sp.Max, sp.Min):
                        at = at.doit()
                    error = abs(to_mpf(from_sympy(at)) - to_mpf(jacobian[name][out_idx + idx]))
                    worst = max(worst, error)
                checked += 1
    except (TimeoutError, RecursionError):
        pass
    return (float(worst) if checked else None), checked, len(entries)


def _rational(value: object) -> sp.Expr:
    from fractions import Fraction

    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    return sp.Float(to_mpf(value)._mpf_, 50)


def verify_tensor(graph: Graph, point: dict[str, np.ndarray], k: Backend,
                  jacobian: dict[str, np.ndarray], kinks: bool) -> TensorVerification:
    notes: list[str] = []
    fd_error, checked, total = (None, 0, sum(np.size(a) for a in point.values()))
    if kinks:
        notes.append("finite differences skipped: the point is at a non-differentiable kink")
    else:
        fd_error, checked, total = finite_differences(graph, point, k, jacobian)
        if checked < total:
            notes.append(f"finite differences checked {checked} of {total} input entries "
                         "(evenly spread)")
    sympy_error = None
    if k.name != "exact" or total > MAX_SYMBOLIC_ENTRIES:
        notes.append(f"sympy.diff of the unrolled expression skipped (more than "
                     f"{MAX_SYMBOLIC_ENTRIES} input entries, or float values)")
    else:
        sympy_error, done, total = sympy_check(graph, point, jacobian, SYMBOLIC_SECONDS)
        if done < total:
            notes.append(f"sympy.diff of the unrolled expression checked {done} of {total} "
                         f"input entries within its {SYMBOLIC_SECONDS} s budget")
    return TensorVerification(sympy_error, fd_error, checked, total, tuple(notes), k.name)
