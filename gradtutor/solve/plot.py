"""Solve stage, plot parts: functions → the picture plus the numbers a student reads off it.

For each function: its range f(ℝ) (limits at ±∞ from SymPy, extremes located on samples and
confirmed exactly), the largest value of f′ (σ′(0) = 1/4, exact where SymPy can), and its
zeros inside the plotted range. The picture itself is the ``plot`` command's (gradtutor.plotting).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from ..plotting import Plot, make_plot, one_variable
from ..problems import Part, Problem
from ..sampling import Fn, float_function, special_points, value_at
from .common import Check, number_check, text

WIDE = 40.0  # the range f(ℝ) is read from samples on [−WIDE, WIDE] plus the limits at ±∞
INSIDE = 30.0  # an extreme found within this is attained at a point, not only approached


@dataclass(frozen=True)
class Bound:
    value: sp.Expr  # exact where SymPy confirms it, else a Float
    attained: bool  # reached at a point (a closed end) or only approached (open)


@dataclass(frozen=True)
class FunctionFacts:
    source: str
    f: sp.Expr
    derivative: sp.Expr  # sympy.diff of f
    low: Bound
    high: Bound
    max_slope: Bound  # the largest value of f′ (its supremum)
    max_slope_at: str  # where f′ reaches it ("" when only approached at ±∞)
    zeros: tuple[str, ...]  # zeros of f inside the plotted range, as text

    @property
    def range_text(self) -> str:
        return interval_text(self.low, self.high)


@dataclass(frozen=True)
class PlotResult:
    functions: tuple[str, ...]
    range_text: str
    derivative: bool
    facts: tuple[FunctionFacts, ...]
    checks: tuple[Check, ...]

    @cached_property
    def plot(self) -> Plot:
        return make_plot(list(self.functions), self.range_text, self.derivative)


def interval_text(low: Bound, high: Bound) -> str:
    def end(bound: Bound) -> str:
        return "∞" if bound.value == sp.oo else "−∞" if bound.value == -sp.oo else \
            _short(bound.value)
    return (("[" if low.attained else "(") + end(low) + ", " + end(high)
            + ("]" if high.attained else ")"))


def _short(value: sp.Expr) -> str:
    shown = value.evalf(6) if isinstance(value, sp.Float) else value
    return text(shown).replace("-", "−").replace("pi", "π").replace("sqrt", "√")


def solve_plot(problem: Problem, part: Part) -> PlotResult:
    functions = tuple(part.spec["functions"])
    range_text = part.spec.get("range") or "-5,5"
    derivative = bool(part.spec.get("derivative", True))
    plot = make_plot(list(functions), range_text, derivative)
    facts = tuple(function_facts(source, plot.lo, plot.hi) for source in functions)
    return PlotResult(functions, range_text, derivative, facts, _checks(part, facts))


def function_facts(source: str, lo: float, hi: float) -> FunctionFacts:
    f, x = one_variable(source)
    df = sp.diff(f, x)
    low, high = extremes(f, x)
    slope = extremes(df, x)[1]
    at = _where(df, x, slope) if slope.attained else ""
    return FunctionFacts(source, f, df, low, high, slope, at, zeros(f, x, lo, hi))


def _grid(expr: sp.Expr, x: sp.Symbol, lo: float, hi: float, n: int) -> list[float]:
    return sorted(set([lo + (hi - lo) * i / n for i in range(n + 1)]
                      + special_points(expr, x, lo, hi)))


def extremes(expr: sp.Expr, x: sp.Symbol) -> tuple[Bound, Bound]:
    """inf and sup of ``expr`` over ℝ, each attained or only approached at ±∞."""
    fn = float_function(expr, x)
    points = [(t, y) for t in _grid(expr, x, -WIDE, WIDE, 4000)
              if (y := value_at(fn, t)) is not None]
    ends = [_limit(expr, x, side) for side in (-sp.oo, sp.oo)]
    return (_bound(expr, x, fn, points, ends, min), _bound(expr, x, fn, points, ends, max))


def _limit(expr: sp.Expr, x: sp.Symbol, side: sp.Expr) -> sp.Expr | None:
    try:
        value = sp.limit(expr.rewrite(sp.exp), x, side)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if isinstance(value, sp.AccumBounds):
        return None  # oscillates: the samples decide
    return value if value.is_extended_real else None


def _bound(expr: sp.Expr, x: sp.Symbol, fn: Fn, points: list[tuple[float, float]],
           ends: list[sp.Expr | None], pick) -> Bound:
    """The extreme ``pick`` (min or max): approached at ±∞ (a limit), or reached at a point."""
    y = pick(value for _, value in points)
    known = [e for e in ends if e is not None]
    lim = pick(known, key=float) if known else None
    if lim is not None and pick(float(lim), y) == float(lim):
        if lim.is_infinite or not _close(y, float(lim)):
            return Bound(lim, False)  # beyond every sample: only approached
        nearest = min((t for t, v in points if _close(v, float(lim))), key=abs)
        return Bound(lim, _at_rational(expr, x, nearest) == lim)
    t = next(t for t, v in points if v == y)
    if abs(t) >= WIDE and _runs_away(fn, t, pick):
        return Bound(-sp.oo if pick is min else sp.oo, False)
    t = _refine(fn, t, pick)
    exact = _exact_at(expr, x, fn, t, fn(t))
    if exact:
        return Bound(exact[1], True)
    value = _at_rational(expr, x, t)  # a flat stretch: the same number all along it
    return Bound(value if value is not None and value.is_Rational and _close(float(value), fn(t))
                 else sp.Float(fn(t), 15), True)


def _runs_away(fn: Fn, edge: float, pick) -> bool:
    """No limit from SymPy, extreme at the sampled edge: does it keep growing further out?"""
    far = [value_at(fn, edge * k) for k in (1, 10, 1000, 100000)]
    return all(v is not None for v in far) and all(
        pick(a, b) == b and abs(b - a) > 1e-9 for a, b in zip(far, far[1:], strict=False))


def _at_rational(expr: sp.Expr, x: sp.Symbol, t: float) -> sp.Expr | None:
    """The exact value at the sample ``t`` read as the decimal it prints as."""
    value = sp.simplify(expr.subs(x, sp.Rational(repr(t))).rewrite(sp.exp))
    return value if value.is_number and value.is_finite else None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _refine(fn: Fn, t: float, pick, width: float = 0.05) -> float:
    """Golden-section search for the extreme near the sample ``t``."""
    a, b = t - width, t + width
    sign = -1 if pick is max else 1
    for _ in range(60):
        c, d = b - (b - a) * 0.618, a + (b - a) * 0.618
        fc, fd = value_at(fn, c), value_at(fn, d)
        if fc is None or fd is None:
            break
        if sign * fc < sign * fd:
            b = d
        else:
            a = c
    return (a + b) / 2


def _exact_at(expr: sp.Expr, x: sp.Symbol, fn: Fn, t: float,
              y: float) -> tuple[sp.Expr, sp.Expr] | None:
    """A simple exact point near ``t`` (0, 1/2, π/2 …) where the exact value matches ``y``."""
    guess = _simple(t)
    if guess is None:
        return None
    value = sp.simplify(expr.subs(x, guess).rewrite(sp.exp))
    if not value.is_real or not value.is_finite:
        return None
    exact_y = value_at(fn, float(guess))
    if exact_y is None or abs(float(value) - y) > 1e-6 * max(1.0, abs(y)) or \
            abs(exact_y - y) > 1e-6 * max(1.0, abs(y)):
        return None
    return guess, value


def _simple(t: float) -> sp.Expr | None:
    """0, 1/2, −√2/2, π/2 … within 1e-6 of ``t``; None if ``t`` is no such simple number."""
    for constants in ([], [sp.pi]):
        guess = sp.nsimplify(round(t, 7), constants, tolerance=1e-6, rational=False)
        small = all(r.q <= 12 and abs(r.p) <= 100 for r in guess.atoms(sp.Rational))
        if small and sp.count_ops(guess) <= 4 and abs(float(guess) - t) < 1e-6:
            return guess
    return None


def _where(expr: sp.Expr, x: sp.Symbol, bound: Bound) -> str:
    """Where f′ reaches its largest value: one point, or every x past a kink."""
    fn = float_function(expr, x)
    grid = _grid(expr, x, -WIDE, WIDE, 4000)
    best = [i for i, t in enumerate(grid) if (v := value_at(fn, t)) is not None and
            _close(v, float(bound.value))]
    if len(best) > 2:
        first, last = grid[best[0]], grid[best[-1]]
        kinks = special_points(expr, x, -WIDE, WIDE)
        before = grid[best[0] - 1] if best[0] else None
        after = grid[best[-1] + 1] if best[-1] + 1 < len(grid) else None
        low = f"{_num(before)} < " if before in kinks else f"{_num(first)} ≤ "
        high = f" < {_num(after)}" if after in kinks else f" ≤ {_num(last)}"
        return (low if first > -WIDE else "") + str(x) + (high if last < WIDE else "")
    top = max((t for t in grid if value_at(fn, t) is not None), key=fn)
    t = _refine(fn, top, max)
    exact = _exact_at(expr, x, fn, t, fn(t))
    return f"{x} = {_short(exact[0])}" if exact else f"{x} ≈ {_num(t)}"


def zeros(expr: sp.Expr, x: sp.Symbol, lo: float, hi: float) -> tuple[str, ...]:
    """Zeros of ``expr`` in [lo, hi]: isolated points (exact where simple) or flat intervals."""
    fn = float_function(expr, x)
    grid = _grid(expr, x, lo, hi, 800)
    ys = [value_at(fn, t) for t in grid]
    found: list[str] = []
    flat: list[float] = []
    for i, (t, y) in enumerate(zip(grid, ys, strict=True)):
        if y == 0:
            flat.append(t)
            continue
        if len(flat) > 2:
            found.append(f"every {x} in [{_num(flat[0])}, {_num(flat[-1])}]")
        elif flat:
            found += [_zero_text(expr, x, fn, z) for z in flat]
        flat = []
        prev = ys[i - 1] if i else None
        if prev is not None and y is not None and prev * y < 0:
            found.append(_zero_text(expr, x, fn, _bisect(fn, grid[i - 1], t)))
    if len(flat) > 2:
        found.append(f"every {x} in [{_num(flat[0])}, {_num(flat[-1])}]")
    else:
        found += [_zero_text(expr, x, fn, z) for z in flat]
    return tuple(found)


def _bisect(fn: Fn, a: float, b: float) -> float:
    fa = value_at(fn, a) or 0.0
    for _ in range(80):
        m = (a + b) / 2
        fm = value_at(fn, m)
        if fm is None or fm == 0:
            return m
        a, b, fa = (m, b, fm) if fa * fm > 0 else (a, m, fa)
    return (a + b) / 2


def _zero_text(expr: sp.Expr, x: sp.Symbol, fn: Fn, t: float) -> str:
    exact = _exact_at(expr, x, fn, t, 0.0)
    return f"{x} = {_short(exact[0])}" if exact and exact[1] == 0 else f"{x} ≈ {_num(t)}"


def _num(t: float) -> str:
    return f"{t:.6g}".replace("-", "−") if not math.isclose(t, round(t)) else \
        str(round(t)).replace("-", "−")


def _checks(part: Part, facts: tuple[FunctionFacts, ...]) -> tuple[Check, ...]:
    """The model answer lists one entry per function, in the part's order."""
    answer = part.answer or {}
    checks: list[Check] = []
    for i, quantity in enumerate(answer.get("max_slope") or []):
        key = f"max_slope[{i}]"
        checks.append(number_check(key, quantity, facts[i].max_slope.value) if i < len(facts)
                      else Check(key, False, quantity.text, "(no such function)"))
    for i, written in enumerate(answer.get("range") or []):
        got = facts[i].range_text if i < len(facts) else "(no such function)"
        checks.append(Check(f"range[{i}]", _same_interval(written, got), written, got))
    return tuple(checks)


def _same_interval(written: str, got: str) -> bool:
    def norm(s: str) -> str:
        return s.replace(" ", "").replace("−", "-").replace("inf", "∞").replace("oo", "∞")
    return norm(written) == norm(got)
