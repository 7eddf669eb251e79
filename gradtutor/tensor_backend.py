"""Tensor arithmetic backends (shared by the tensor stages): entries → elementwise values.

Three kinds of entries flow through the same tensor rules: *exact* (object arrays of Fraction /
50-digit mpf, each scalar function evaluated by the scalar rules table's own evaluator),
*float* (float64 arrays, numpy functions; the fast route for real layers) and *symbolic*
(object arrays of SymPy expressions: the unrolled scalar expression, used as an oracle).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from .numeric import CTX, OutsideDomain, evaluate, is_finite
from .rules import OUT, RULES, A, B, C, D, formula, local_partials


class Backend:
    """Exact entries: Fractions while rational, then 50-digit mpmath numbers."""

    name = "exact"

    def wrap(self, value: Any) -> np.ndarray:
        if isinstance(value, np.ndarray):
            return value
        array = np.empty((), dtype=object)
        array[()] = value
        return array

    def const(self, value: sp.Expr | Fraction | int) -> np.ndarray:
        from .numeric import from_sympy

        if isinstance(value, int | Fraction):
            return self.wrap(Fraction(value))
        return self.wrap(from_sympy(value))

    def full(self, shape: tuple[int, ...], value: int | Fraction) -> np.ndarray:
        return np.full(shape, Fraction(value), dtype=object)

    def scalar_fn(self, expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> Callable[..., Any]:
        def apply(*values: Any) -> Any:
            env = dict(zip(symbols, values, strict=True))
            result = evaluate(expr, env)
            if not is_finite(result):
                raise OutsideDomain("the result overflows")
            return result
        return apply

    def elementwise(self, op: str, args: list[np.ndarray]) -> np.ndarray:
        fn = self.scalar_fn(formula(op), (A, B, C, D)[: len(args)])
        return self.wrap(np.frompyfunc(fn, len(args), 1)(*args))

    def partial(self, op: str, position: int, args: list[np.ndarray],
                out: np.ndarray) -> np.ndarray:
        symbols = (A, B, C, D)[: len(args)] + (OUT,)
        fn = self.scalar_fn(local_partials(op)[position], symbols)
        return self.wrap(np.frompyfunc(fn, len(args) + 1, 1)(*args, out))


class SymbolicBackend(Backend):
    """SymPy entries: the same program written out one scalar expression per entry."""

    name = "symbolic"

    def const(self, value: sp.Expr | Fraction | int) -> np.ndarray:
        if isinstance(value, int | Fraction):
            value = sp.Rational(Fraction(value).numerator, Fraction(value).denominator)
        return self.wrap(value)

    def full(self, shape: tuple[int, ...], value: int | Fraction) -> np.ndarray:
        return np.full(shape, sp.Rational(value), dtype=object)

    def elementwise(self, op: str, args: list[np.ndarray]) -> np.ndarray:
        return self.wrap(np.frompyfunc(RULES[op].build, len(args), 1)(*args))


def _erf(a: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[np.float64])(a)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -a))


# op → (value(a), ∂/∂a (a, out)); anything else falls back to the exact evaluator per entry.
_FLOAT_UNARY: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "id": (lambda a: a, lambda a, o: np.ones_like(a)),
    "neg": (np.negative, lambda a, o: -np.ones_like(a)),
    "exp": (np.exp, lambda a, o: o),
    "log": (np.log, lambda a, o: 1 / a),
    "sqrt": (np.sqrt, lambda a, o: 0.5 / o),
    "sin": (np.sin, lambda a, o: np.cos(a)),
    "cos": (np.cos, lambda a, o: -np.sin(a)),
    "tan": (np.tan, lambda a, o: 1 + o * o),
    "tanh": (np.tanh, lambda a, o: 1 - o * o),
    "sigmoid": (_sigmoid, lambda a, o: o * (1 - o)),
    "softplus": (lambda a: np.logaddexp(0.0, a), lambda a, o: _sigmoid(a)),
    "erf": (_erf, lambda a, o: 2 / math.sqrt(math.pi) * np.exp(-a * a)),
    "relu": (lambda a: np.where(a > 0, a, 0.0), lambda a, o: np.where(a > 0, 1.0, 0.0)),
    "leaky_relu": (lambda a: np.where(a > 0, a, 0.01 * a),
                   lambda a, o: np.where(a > 0, 1.0, 0.01)),
    "abs": (np.abs, lambda a, o: np.sign(a)),
}


def _tie(a: np.ndarray, b: np.ndarray, when: np.ndarray) -> np.ndarray:
    return np.where(a == b, 0.5, np.where(when, 1.0, 0.0))


# op → (value(a, b), (∂/∂a, ∂/∂b) as functions of (a, b, out))
_FLOAT_BINARY: dict[str, tuple[Callable[..., Any], tuple[Callable[..., Any], ...]]] = {
    "add": (np.add, (lambda a, b, o: np.ones_like(o), lambda a, b, o: np.ones_like(o))),
    "sub": (np.subtract, (lambda a, b, o: np.ones_like(o), lambda a, b, o: -np.ones_like(o))),
    "mul": (np.multiply, (lambda a, b, o: b + 0 * a, lambda a, b, o: a + 0 * b)),
    "div": (np.divide, (lambda a, b, o: 1 / b + 0 * a, lambda a, b, o: -a / (b * b))),
    "pow": (np.power, (lambda a, b, o: b * np.power(a, b - 1),
                       lambda a, b, o: o * np.log(np.where(a > 0, a, 1.0)))),
    "max": (np.maximum, (lambda a, b, o: _tie(a, b, a > b), lambda a, b, o: _tie(a, b, b > a))),
    "min": (np.minimum, (lambda a, b, o: _tie(a, b, a < b), lambda a, b, o: _tie(a, b, b < a))),
}


class FloatBackend(Backend):
    """float64 entries: numpy all the way, for layers with thousands of weights."""

    name = "float"

    def wrap(self, value: Any) -> np.ndarray:
        return np.asarray(value, dtype=np.float64)

    def const(self, value: sp.Expr | Fraction | int) -> np.ndarray:
        return self.wrap(float(value))

    def full(self, shape: tuple[int, ...], value: int | Fraction) -> np.ndarray:
        return np.full(shape, float(value))

    def elementwise(self, op: str, args: list[np.ndarray]) -> np.ndarray:
        with np.errstate(all="ignore"):
            if len(args) == 1 and op in _FLOAT_UNARY:
                return self._finite(_FLOAT_UNARY[op][0](args[0]))
            if len(args) == 2 and op in _FLOAT_BINARY:
                return self._finite(_FLOAT_BINARY[op][0](*args))
        return self._fallback(formula(op), (A, B, C, D)[: len(args)], args)

    def partial(self, op: str, position: int, args: list[np.ndarray],
                out: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            if len(args) == 1 and op in _FLOAT_UNARY:
                return self._finite(_FLOAT_UNARY[op][1](args[0], out))
            if len(args) == 2 and op in _FLOAT_BINARY:
                return self._finite(_FLOAT_BINARY[op][1][position](*args, out))
        symbols = (A, B, C, D)[: len(args)] + (OUT,)
        return self._fallback(local_partials(op)[position], symbols, args + [out])

    def _fallback(self, expr: sp.Expr, symbols: tuple[sp.Symbol, ...],
                  args: list[np.ndarray]) -> np.ndarray:
        fn = self.scalar_fn(expr, symbols)
        wrapped = np.frompyfunc(lambda *v: float(fn(*(CTX.mpf(float(x)) for x in v))),
                                len(args), 1)
        return self.wrap(wrapped(*args).astype(np.float64))

    def _finite(self, array: np.ndarray) -> np.ndarray:
        if not np.all(np.isfinite(array)):
            raise OutsideDomain("an entry is undefined or overflows in float64")
        return self.wrap(array)


BACKENDS: dict[str, Backend] = {"exact": Backend(), "float": FloatBackend(),
                                "symbolic": SymbolicBackend()}
