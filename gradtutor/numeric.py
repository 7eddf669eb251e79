"""Numbers (shared by all stages): SymPy formula + values → exact or 50-digit value.

A value is a ``Fraction`` while everything stays rational (0.3 is 3/10, so the README example
is exact) and an mpmath number with ``DIGITS`` significant digits as soon as an irrational
function enters. Formulas are walked node by node; user text never reaches this module.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache
from math import isqrt

import mpmath
import sympy as sp

from .errors import LimitError
from .functions import (
    elu,
    gelu,
    leaky_relu,
    relu,
    selu,
    sigmoid,
    sign,
    silu,
    softplus,
    softsign,
    step,
)

DIGITS = 50
CTX = mpmath.MPContext()
CTX.dps = DIGITS

Value = Fraction | mpmath.mpf

MAX_EXPONENT10 = 1_000_000  # values are refused beyond 10^±1 000 000
MAX_EXACT_BITS = 340_000  # an exact fraction beyond ~100 000 digits continues as a 50-digit mpf
MAX_PERIODIC_BITS = 3_400  # sin, cos, tan of |a| > ~10^1000 need that many digits to reduce
_LOG2_10 = 3.321928094887362


class OutsideDomain(ArithmeticError):
    """A formula was evaluated outside its domain; the caller names the node."""


def binary_exponent(value: Value) -> int:
    """⌊log₂|value|⌋ give or take one, without converting big integers to text or float."""
    if isinstance(value, Fraction):
        return value.numerator.bit_length() - value.denominator.bit_length()
    _sign, man, exp, bc = value._mpf_ if value else (0, 0, 0, 0)
    return exp + bc if man else 0


def guard_magnitude(value: Value) -> Value:
    """Refuse values beyond 10^±MAX_EXPONENT10 (LimitError), return the others unchanged."""
    if value != 0 and abs(binary_exponent(value)) > MAX_EXPONENT10 * _LOG2_10:
        size = "large" if binary_exponent(value) > 0 else "small"
        raise LimitError(f"a value is too {size}: its size is beyond 10^±{MAX_EXPONENT10:,}",
                         hint="choose a point where the values stay within 10^±1 000 000")
    return value


def is_exact(value: Value) -> bool:
    return isinstance(value, Fraction)


def to_mpf(value: Value) -> mpmath.mpf:
    if isinstance(value, Fraction):
        return _big_int(value.numerator) / _big_int(value.denominator)
    return CTX.mpf(value)


def _big_int(n: int) -> mpmath.mpf:
    """An int as an mpf at the working precision; a huge one keeps only its leading bits
    (converting all 10 000 bits of a long exact value costs more than the whole sweep)."""
    keep = CTX.prec + 64
    shift = n.bit_length() - keep if n > 0 else abs(n).bit_length() - keep
    if shift <= 0:
        return CTX.mpf(n)
    return CTX.ldexp(CTX.mpf(n >> shift if n > 0 else -(-n >> shift)), shift)


def from_sympy(number: sp.Expr) -> Value:
    """A SymPy number → exact Fraction if rational, else a DIGITS-digit mpf.

    Numbers and π, e go through SymPy's evalf; anything built from functions (tan(sin 1),
    σ(0), relu(2)) goes through :func:`evaluate`, so constants follow the same arithmetic
    as the forward sweep and stay exact where it does.
    """
    if number.is_Rational:
        return guard_magnitude(Fraction(int(number.p), int(number.q)))
    if number.is_Number or number.is_NumberSymbol:
        if not number.is_finite:
            raise OutsideDomain(f"{number} is not a finite real number")
        return guard_magnitude(CTX.mpf(sp.Float(number.evalf(DIGITS + 10), DIGITS + 10)._mpf_))
    if number.free_symbols:
        raise OutsideDomain(f"{number} is not a number")
    try:
        value = evaluate(number, {})
    except NotImplementedError:
        raise OutsideDomain(f"{number} is not a finite real number") from None
    except OverflowError:
        raise LimitError(f"a value is too large: its size is beyond 10^±{MAX_EXPONENT10:,}",
                         hint="use a smaller number") from None
    if not is_finite(value):
        raise OutsideDomain(f"{number} is not a finite real number")
    return guard_magnitude(value)


def to_sympy(value: Value) -> sp.Expr:
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    return sp.Float(value._mpf_, DIGITS)


def to_float(value: Value) -> float:
    return float(value) if isinstance(value, Fraction) else float(value)


def add(a: Value, b: Value) -> Value:
    if isinstance(a, Fraction) and isinstance(b, Fraction) and _small(a, b):
        return a + b
    return to_mpf(a) + to_mpf(b)


def mul(a: Value, b: Value) -> Value:
    if isinstance(a, Fraction) and isinstance(b, Fraction) and _small(a, b):
        return a * b
    return to_mpf(a) * to_mpf(b)


def _small(a: Fraction, b: Fraction) -> bool:
    """Whether a + b or a·b stays within MAX_EXACT_BITS (else it continues as an mpf)."""
    bits = (a.numerator.bit_length() + a.denominator.bit_length()
            + b.numerator.bit_length() + b.denominator.bit_length())
    return bits <= MAX_EXACT_BITS


def is_finite(value: Value) -> bool:
    return isinstance(value, Fraction) or bool(CTX.isfinite(value))


def _pow(base: Value, exponent: Value) -> Value:
    if isinstance(base, Fraction) and isinstance(exponent, Fraction):
        if base == 0 and exponent < 0:
            raise OutsideDomain("division by zero")
        if exponent.denominator == 1 and _exact_power_fits(base, exponent):
            return base ** int(exponent)
        root = _exact_sqrt(base) if exponent.denominator == 2 and base >= 0 else None
        if root is not None:
            return root ** exponent.numerator if exponent > 0 else 1 / root ** -exponent.numerator
    if base < 0 and not (isinstance(exponent, Fraction) and exponent.denominator == 1):
        raise OutsideDomain("a negative base to a fractional power")
    if base == 0 and exponent < 0:
        raise OutsideDomain("division by zero")
    return CTX.power(to_mpf(base), to_mpf(exponent))


def _exact_power_fits(base: Fraction, exponent: Fraction) -> bool:
    if abs(base) == 1 or base == 0:
        return True
    if exponent.numerator.bit_length() > 64:
        return False
    bits = max(math.log2(abs(base.numerator)), math.log2(base.denominator))
    return abs(exponent.numerator) * bits <= MAX_EXACT_BITS


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


def _periodic(fn):  # sin, cos, tan: reducing a huge argument costs digits in proportion
    def apply(x: mpmath.mpf) -> mpmath.mpf:
        if binary_exponent(x) > MAX_PERIODIC_BITS:
            raise LimitError("sin, cos and tan are computed for arguments up to about 10^1000",
                             hint="use a smaller argument")
        return fn(x)
    return apply


def _tan(x: mpmath.mpf) -> mpmath.mpf:
    """tan, refusing the poles: cos(x) zero to within the working precision means x = π/2 + kπ."""
    if abs(CTX.cos(x)) <= CTX.mpf(10) ** (10 - CTX.dps) * max(1, abs(x)):
        raise OutsideDomain("tan has a pole there (x = π/2 + kπ)")
    return CTX.tan(x)


def _smooth(fn):  # an irrational function: exact 0 ↦ exact value, otherwise mpmath
    def apply(a: Value, at_zero: Fraction | None) -> Value:
        if a == 0 and at_zero is not None:
            return at_zero
        return fn(to_mpf(a))
    return apply


def _within_one(fn):  # asin, acos: defined on [−1, 1]
    def checked(x):
        if abs(x) > 1:
            raise OutsideDomain("asin/acos of a number outside [−1, 1]")
        return fn(x)
    return checked


_UNARY = {
    sp.asin: (_smooth(_within_one(CTX.asin)), Fraction(0)),
    sp.acos: (_smooth(_within_one(CTX.acos)), None),
    sp.atan: (_smooth(CTX.atan), Fraction(0)),
    sp.sinh: (_smooth(CTX.sinh), Fraction(0)),
    sp.cosh: (_smooth(CTX.cosh), Fraction(1)),
    gelu: (_smooth(lambda x: x * (1 + CTX.erf(x / CTX.sqrt(2))) / 2), Fraction(0)),
    silu: (_smooth(lambda x: x / (1 + CTX.exp(-x))), Fraction(0)),
    sp.exp: (_smooth(CTX.exp), Fraction(1)),
    sp.sin: (_smooth(_periodic(CTX.sin)), Fraction(0)),
    sp.cos: (_smooth(_periodic(CTX.cos)), Fraction(1)),
    sp.tan: (_smooth(_periodic(_tan)), Fraction(0)),
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
    if expr.is_Number or expr.is_NumberSymbol:
        return from_sympy(expr)
    args = [evaluate(arg, env) for arg in expr.args] if not expr.is_Piecewise else []
    return _apply(expr, args, env)


def _apply(expr: sp.Expr, args: list[Value], env: dict[sp.Symbol, Value]) -> Value:
    head = expr.func
    if head is sp.Add:
        return _fold(args, add)
    if head is sp.Mul:
        return _fold(args, mul)
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
    if head in _PIECEWISE:
        return _PIECEWISE[head](args[0])
    if head is relu:
        return args[0] if args[0] > 0 else Fraction(0)
    if head is leaky_relu:
        return args[0] if args[0] > 0 else args[0] / 100
    if head is sp.Piecewise:
        for branch, condition in expr.args:
            if _holds(condition, env):
                return evaluate(branch, env)
    raise NotImplementedError(f"no numeric rule for {head}")


def _elu(a: Value) -> Value:
    return a if a > 0 else Fraction(0) if a == 0 else CTX.expm1(to_mpf(a))


@cache
def _selu_constants() -> tuple[mpmath.mpf, mpmath.mpf]:
    """SELU's λ and α at DIGITS digits; computed on first use (import stays fast)."""
    lam = CTX.mpf(sp.Float(selu(1).evalf(DIGITS + 10), DIGITS + 10)._mpf_)
    alpha = CTX.mpf(sp.Float((selu(-1) / selu(1) / (sp.exp(-1) - 1)).evalf(DIGITS + 10),
                             DIGITS + 10)._mpf_)
    return lam, alpha


def _selu(a: Value) -> Value:
    if a == 0:
        return Fraction(0)
    lam, alpha = _selu_constants()
    return lam * (to_mpf(a) if a > 0 else alpha * _elu(a))


_PIECEWISE = {
    elu: _elu,
    selu: _selu,
    softsign: lambda a: a / (1 + abs(a)),
    step: lambda a: _step(a, Fraction(0)),
    sign: _sign,
}


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
    result = args[0]
    for a in args[1:]:
        result = op(result, a)
    return result


MINUS = "−"
SHORT_BITS = 100  # whole numbers up to ~30 digits are printed in full
EXACT_BITS = 3_000  # --exact prints fractions up to ~900 digits a part


def format_value(value: Value, digits: int = 6, exact: bool = False, unicode: bool = True) -> str:
    """``Fraction(-24, 5)`` → "−4.8" (or "−24/5" with ``exact``); mpf → ``digits`` significant.

    Big exact numbers are written in scientific notation without ``str(int)`` (which is
    quadratic and refuses more than 4 300 digits): 10^100000 → "1e+100000".
    """
    if isinstance(value, Fraction) and _prints_exactly(value, exact):
        text = str(value)
    else:
        text = _significant(value, digits)
    return text.replace("-", MINUS) if unicode else text


def _prints_exactly(value: Fraction, exact: bool) -> bool:
    bits = max(value.numerator.bit_length(), value.denominator.bit_length())
    if value.denominator == 1:
        return bits <= (EXACT_BITS if exact else SHORT_BITS)
    return exact and bits <= EXACT_BITS


def _significant(value: Value, digits: int) -> str:
    number = to_mpf(value)
    if number == 0:
        return "0"
    text = CTX.nstr(number, digits, strip_zeros=True, min_fixed=-4, max_fixed=digits)
    mantissa, e, exponent = text.partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    return mantissa + e + exponent


def decimal_text(value: Value, digits: int = 17) -> str:
    """The value as JSON-number-like text ("-4.8", "1.2345678901234567e-417"), never rounded
    to a float first: tiny and huge values keep their size. Short whole numbers in full."""
    if isinstance(value, Fraction) and value.denominator == 1 and \
            value.numerator.bit_length() <= SHORT_BITS:
        return str(value.numerator)
    return _significant(value, digits)
