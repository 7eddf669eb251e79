"""Numbers (shared by all stages): SymPy formula + values → exact or 50-digit value.

A value is a ``Fraction`` while everything stays rational (0.3 is 3/10, so the README example
is exact) and an mpmath number with ``DIGITS`` significant digits as soon as an irrational
function enters. Formulas are walked node by node; user text never reaches this module.
"""

from __future__ import annotations

from fractions import Fraction
from math import isqrt

import mpmath
import sympy as sp

from .functions import leaky_relu, relu, sigmoid, softplus

DIGITS = 50
CTX = mpmath.MPContext()
CTX.dps = DIGITS

Value = Fraction | mpmath.mpf


class OutsideDomain(ArithmeticError):
    """A formula was evaluated outside its domain; the caller names the node."""


def is_exact(value: Value) -> bool:
    return isinstance(value, Fraction)


def to_mpf(value: Value) -> mpmath.mpf:
    if isinstance(value, Fraction):
        return CTX.mpf(value.numerator) / value.denominator
    return CTX.mpf(value)


def from_sympy(number: sp.Expr) -> Value:
    """A SymPy number → exact Fraction if rational, else a DIGITS-digit mpf.

    Numbers and π, e go through SymPy's evalf; anything built from functions (tan(sin 1),
    σ(0), relu(2)) goes through :func:`evaluate`, so constants follow the same arithmetic
    as the forward sweep and stay exact where it does.
    """
    if number.is_Rational:
        return Fraction(int(number.p), int(number.q))
    if number.is_Number or number in (sp.pi, sp.E):
        if not number.is_finite:
            raise OutsideDomain(f"{number} is not a finite real number")
        return CTX.mpf(sp.Float(number.evalf(DIGITS + 10), DIGITS + 10)._mpf_)
    if number.free_symbols:
        raise OutsideDomain(f"{number} is not a number")
    try:
        value = evaluate(number, {})
    except NotImplementedError:
        raise OutsideDomain(f"{number} is not a finite real number") from None
    if not is_finite(value):
        raise OutsideDomain(f"{number} is not a finite real number")
    return value


def to_sympy(value: Value) -> sp.Expr:
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    return sp.Float(value._mpf_, DIGITS)


def to_float(value: Value) -> float:
    return float(value) if isinstance(value, Fraction) else float(value)


def add(a: Value, b: Value) -> Value:
    return a + b if isinstance(a, Fraction) and isinstance(b, Fraction) else to_mpf(a) + to_mpf(b)


def mul(a: Value, b: Value) -> Value:
    return a * b if isinstance(a, Fraction) and isinstance(b, Fraction) else to_mpf(a) * to_mpf(b)


def is_finite(value: Value) -> bool:
    return isinstance(value, Fraction) or bool(CTX.isfinite(value))


def _pow(base: Value, exponent: Value) -> Value:
    if isinstance(base, Fraction) and isinstance(exponent, Fraction):
        if base == 0 and exponent < 0:
            raise OutsideDomain("division by zero")
        if exponent.denominator == 1:
            from .parse import guard_power

            guard_power(base, exponent)
            return base ** int(exponent)
        root = _exact_sqrt(base) if exponent.denominator == 2 and base >= 0 else None
        if root is not None:
            return root ** exponent.numerator if exponent > 0 else 1 / root ** -exponent.numerator
    if base < 0 and not (isinstance(exponent, Fraction) and exponent.denominator == 1):
        raise OutsideDomain("a negative base to a fractional power")
    if base == 0 and exponent < 0:
        raise OutsideDomain("division by zero")
    return CTX.power(to_mpf(base), to_mpf(exponent))


def _exact_sqrt(q: Fraction) -> Fraction | None:
    n, d = isqrt(q.numerator), isqrt(q.denominator)
    return Fraction(n, d) if n * n == q.numerator and d * d == q.denominator else None


def _log(a: Value) -> Value:
    if a <= 0:
        raise OutsideDomain("log of a number that is not positive")
    return Fraction(0) if a == 1 else CTX.log(to_mpf(a))


def _step(a: Value, at_zero: Value) -> Value:
    return Fraction(1) if a > 0 else Fraction(0) if a < 0 else at_zero


def _sign(a: Value) -> Value:
    return Fraction((a > 0) - (a < 0))


def _smooth(fn):  # an irrational function: exact 0 ↦ exact value, otherwise mpmath
    def apply(a: Value, at_zero: Fraction | None) -> Value:
        if a == 0 and at_zero is not None:
            return at_zero
        return fn(to_mpf(a))
    return apply


_UNARY = {
    sp.exp: (_smooth(CTX.exp), Fraction(1)),
    sp.sin: (_smooth(CTX.sin), Fraction(0)),
    sp.cos: (_smooth(CTX.cos), Fraction(1)),
    sp.tan: (_smooth(CTX.tan), Fraction(0)),
    sp.tanh: (_smooth(CTX.tanh), Fraction(0)),
    sp.erf: (_smooth(CTX.erf), Fraction(0)),
    sigmoid: (_smooth(lambda x: 1 / (1 + CTX.exp(-x))), Fraction(1, 2)),
    softplus: (_smooth(lambda x: CTX.log1p(CTX.exp(x))), None),
}


def evaluate(expr: sp.Expr, env: dict[sp.Symbol, Value]) -> Value:
    """Evaluate a formula built from the rules table at the values in ``env``."""
    if expr.is_Symbol:
        return env[expr]
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.is_Number or expr in (sp.pi, sp.E):
        return from_sympy(expr)
    args = [evaluate(arg, env) for arg in expr.args] if not expr.is_Piecewise else []
    return _apply(expr, args, env)


def _apply(expr: sp.Expr, args: list[Value], env: dict[sp.Symbol, Value]) -> Value:
    head = expr.func
    if head is sp.Add:
        return _fold(args, lambda x, y: x + y)
    if head is sp.Mul:
        return _fold(args, lambda x, y: x * y)
    if head is sp.Pow:
        return _pow(args[0], args[1])
    if head in _UNARY:
        fn, at_zero = _UNARY[head]
        return fn(args[0], at_zero)
    return _apply_piecewise_linear(expr, args, env)


def _apply_piecewise_linear(expr: sp.Expr, args: list[Value], env: dict) -> Value:
    head = expr.func
    if head is sp.log:
        return _log(args[0])
    if head is sp.Heaviside:
        return _step(args[0], args[1] if len(args) > 1 else Fraction(1, 2))
    if head is sp.sign:
        return _sign(args[0])
    if head is sp.Abs:
        return abs(args[0])
    if head is sp.Max:
        return max(common(args))
    if head is sp.Min:
        return min(common(args))
    if head is relu:
        return args[0] if args[0] > 0 else Fraction(0)
    if head is leaky_relu:
        return args[0] if args[0] > 0 else args[0] / 100
    if head is sp.Piecewise:
        for branch, condition in expr.args:
            if _holds(condition, env):
                return evaluate(branch, env)
    raise NotImplementedError(f"no numeric rule for {head}")


def _holds(condition: sp.Basic, env: dict[sp.Symbol, Value]) -> bool:
    if condition is sp.true:
        return True
    lhs, rhs = common([evaluate(condition.lhs, env), evaluate(condition.rhs, env)])
    return bool({sp.StrictGreaterThan: lhs > rhs, sp.StrictLessThan: lhs < rhs,
                 sp.GreaterThan: lhs >= rhs, sp.LessThan: lhs <= rhs,
                 sp.Eq: lhs == rhs}[type(condition)])


def common(args: list[Value]) -> list[Value]:
    """Make values comparable: all exact, or all mpf."""
    if all(isinstance(a, Fraction) for a in args):
        return args
    return [to_mpf(a) for a in args]


def _fold(args: list[Value], op) -> Value:
    exact = [a for a in args if isinstance(a, Fraction)]
    if len(exact) == len(args):
        result = args[0]
        for a in args[1:]:
            result = op(result, a)
        return result
    result = to_mpf(args[0])
    for a in args[1:]:
        result = op(result, to_mpf(a))
    return result


MINUS = "−"


def format_value(value: Value, digits: int = 6, exact: bool = False, unicode: bool = True) -> str:
    """``Fraction(-24, 5)`` → "−4.8" (or "−24/5" with ``exact``); mpf → ``digits`` significant."""
    if isinstance(value, Fraction) and (exact or value.denominator == 1):
        text = str(value)
    else:
        text = _significant(value, digits)
    return text.replace("-", MINUS) if unicode else text


def _significant(value: Value, digits: int) -> str:
    number = mpmath.mpf(value.numerator) / value.denominator if isinstance(value, Fraction) \
        else mpmath.mpf(value)
    if number == 0:
        return "0"
    text = mpmath.nstr(number, digits, strip_zeros=True, min_fixed=-4, max_fixed=digits)
    mantissa, e, exponent = text.partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    return mantissa + e + exponent
