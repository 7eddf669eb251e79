"""Pictures, sampling: SymPy formula of one variable → samples split into continuous runs.

The formula (f, or f′ from ``sympy.diff``) is walked once into nested float closures (no
``lambdify``, so no generated code). Sampling adds the points where something happens
(kinks, zero denominators, log arguments at zero), splits the curve where it jumps (so no
vertical line is drawn through a step), leaves gaps where it is undefined, marks removable
holes, and refuses a range containing a pole.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .functions import leaky_relu, relu, sigmoid, softplus

Fn = Callable[[float], float]
Run = tuple[tuple[float, float], ...]


class Pole(ArithmeticError):
    """The formula grows without bound near ``at``."""

    def __init__(self, at: float) -> None:
        super().__init__(f"pole near {at}")
        self.at = at


def _sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))


def _softplus(a: float) -> float:
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))


_UNARY: dict[object, Fn] = {
    sp.exp: math.exp, sp.log: math.log, sp.sin: math.sin, sp.cos: math.cos, sp.tan: math.tan,
    sp.tanh: math.tanh, sp.erf: math.erf, sigmoid: _sigmoid, softplus: _softplus,
    relu: lambda a: max(a, 0.0), leaky_relu: lambda a: a if a > 0 else a / 100, sp.Abs: abs,
    sp.sign: lambda a: float((a > 0) - (a < 0)), sp.sinh: math.sinh, sp.cosh: math.cosh,
    sp.asin: math.asin, sp.acos: math.acos, sp.atan: math.atan,
}
_COMPARE = {sp.StrictGreaterThan: float.__gt__, sp.StrictLessThan: float.__lt__,
            sp.GreaterThan: float.__ge__, sp.LessThan: float.__le__}


def float_function(expr: sp.Expr, var: sp.Symbol) -> Fn:
    """``expr`` as a float function of ``var``; raises ValueError etc. outside the domain."""
    if expr == var:
        return lambda x: x
    if not expr.has(var):
        value = float(expr.evalf(20))
        return lambda x: value
    head = expr.func
    if head is sp.Piecewise:
        return _piecewise(expr, var)
    args = [float_function(arg, var) for arg in expr.args]
    if head is sp.Add:
        return lambda x: math.fsum(a(x) for a in args)
    if head is sp.Mul:
        return lambda x: math.prod(a(x) for a in args)
    if head is sp.Pow:
        base, power = args
        return lambda x: math.pow(base(x), power(x))
    if head in (sp.Max, sp.Min):
        pick = max if head is sp.Max else min
        return lambda x: pick(a(x) for a in args)
    if head is sp.Heaviside:
        at_zero = args[1] if len(args) > 1 else (lambda x: 0.5)
        return lambda x: _step(args[0](x), at_zero(x))
    if head in _UNARY:
        fn, (inner,) = _UNARY[head], args
        return lambda x: fn(inner(x))
    return _by_numeric(expr, args)


def _by_numeric(expr: sp.Expr, args: list[Fn]) -> Fn:
    """Any other function of the language: gradtutor's own evaluator (numeric.evaluate)."""
    from .numeric import CTX, OutsideDomain, evaluate

    holes = sp.symbols(f"_a0:{len(args)}", real=True)
    shape = expr.func(*holes)

    def apply(x: float) -> float:
        env = {h: CTX.mpf(a(x)) for h, a in zip(holes, args, strict=True)}
        try:
            return float(evaluate(shape, env))
        except (OutsideDomain, NotImplementedError) as err:
            raise ValueError(str(err)) from None
    return apply


def _step(a: float, at_zero: float) -> float:
    return 1.0 if a > 0 else 0.0 if a < 0 else at_zero


def _piecewise(expr: sp.Expr, var: sp.Symbol) -> Fn:
    branches = []
    for branch, condition in expr.args:
        if condition is sp.true:
            branches.append((float_function(branch, var), None))
            continue
        test = _COMPARE[type(condition)]
        lhs, rhs = float_function(condition.lhs, var), float_function(condition.rhs, var)
        branches.append((float_function(branch, var),
                         lambda x, t=test, u=lhs, v=rhs: t(float(u(x)), float(v(x)))))
    return lambda x: next(f(x) for f, holds in branches if holds is None or holds(x))


def value_at(fn: Fn, x: float) -> float | None:
    """fn(x), or None where it is undefined (domain, division by zero, overflow, not real)."""
    try:
        y = fn(x)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return y if isinstance(y, float | int) and math.isfinite(y) else None


def special_points(expr: sp.Expr, var: sp.Symbol, lo: float, hi: float) -> list[float]:
    """Where something happens: arguments of kinks and logs at 0, denominators at 0, ties."""
    found: set[float] = set()
    for sub in sp.preorder_traversal(expr):
        if isinstance(sub, relu | leaky_relu | sp.Abs | sp.sign | sp.Heaviside | sp.log):
            zeros = [sub.args[0]]
        elif isinstance(sub, sp.Max | sp.Min):
            zeros = [a - b for a in sub.args for b in sub.args if a != b]
        elif isinstance(sub, sp.Pow) and sub.exp.is_negative:
            zeros = [sub.base]
        elif isinstance(sub, sp.core.relational.Relational):  # a Piecewise condition
            zeros = [sub.lhs - sub.rhs]
        else:
            continue
        for zero in zeros:
            found |= _roots(zero, var, lo, hi)
    return sorted(found)


def _roots(expr: sp.Expr, var: sp.Symbol, lo: float, hi: float) -> set[float]:
    if not expr.has(var) or not expr.is_polynomial(var) or sp.degree(expr, var) > 4:
        return set()  # transcendental: left to the jump detection between samples
    roots = sp.Poly(expr, var).nroots(n=30)
    return {float(r) for r in roots if abs(sp.im(r)) < 1e-12 and lo <= float(sp.re(r)) <= hi}


@dataclass(frozen=True)
class Samples:
    runs: tuple[Run, ...]  # continuous pieces, left to right
    holes: tuple[tuple[float, float], ...]  # removable: (x, the limit there)


def sample(expr: sp.Expr, var: sp.Symbol, lo: float, hi: float, n: int) -> Samples:
    """``n`` even steps plus the special points; runs split at jumps and undefined points."""
    fn = float_function(expr, var)
    xs = sorted(set([lo + (hi - lo) * i / n for i in range(n + 1)]
                    + special_points(expr, var, lo, hi)))
    ys = [value_at(fn, x) for x in xs]
    scale = _scale([y for y in ys if y is not None])
    holes = []
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            _check_pole(fn, x, hi - lo, scale, lo, hi)
            limit = _limit(fn, x, hi - lo)
            if limit is not None:
                holes.append((x, limit))
    runs: list[list[tuple[float, float]]] = []
    previous: tuple[float, float] | None = None
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            previous = None
            continue
        if previous is None or _jumps(fn, previous, (x, y), scale, hi - lo):
            runs.append([])
        runs[-1].append((x, y))
        previous = (x, y)
    return Samples(tuple(tuple(run) for run in runs), tuple(holes))


def _scale(ys: list[float]) -> float:
    return max(1.0, max(ys) - min(ys)) if ys else 1.0


def _jumps(fn: Fn, a: tuple[float, float], b: tuple[float, float], scale: float,
           span: float) -> bool:
    """Bisect towards the bigger half of the rise: a continuous function's rise shrinks."""
    (x0, y0), (x1, y1) = a, b
    rise = abs(y1 - y0)
    if rise < 0.02 * scale:
        return False
    for _ in range(40):
        mid = (x0 + x1) / 2
        ym = value_at(fn, mid)
        if ym is None:
            _check_pole(fn, mid, span, scale, a[0], b[0])
            return True
        if abs(ym - y0) > abs(y1 - ym):
            x1, y1 = mid, ym
        else:
            x0, y0 = mid, ym
        if abs(y1 - y0) < 0.25 * rise:
            return False
    if max(abs(y0), abs(y1)) > 1e3 * scale:
        raise Pole((x0 + x1) / 2)
    return True


def _check_pole(fn: Fn, x: float, span: float, scale: float, lo: float, hi: float) -> None:
    """Near an undefined point, values that keep growing as we close in mean a pole."""
    for side in (-1, 1):
        near = [value_at(fn, x + side * span * 10.0 ** -k) for k in (3, 6, 9, 12)]
        inside = [lo <= x + side * span * 10.0 ** -k <= hi for k in (3, 6, 9, 12)]
        values = [abs(v) for v, ok in zip(near, inside, strict=True) if ok and v is not None]
        if len(values) == 4 and values[-1] > 2 * scale and \
                all(b > a * 1.2 for a, b in zip(values, values[1:], strict=False)):
            raise Pole(x)


def _limit(fn: Fn, x: float, span: float) -> float | None:
    """The common value from both sides, if the function is defined on both and they agree."""
    eps = span * 1e-7
    left, right = value_at(fn, x - eps), value_at(fn, x + eps)
    if left is None or right is None or abs(left - right) > 1e-4 * max(1.0, abs(left)):
        return None
    return (left + right) / 2
