"""Render helpers: values (exact Fraction or 50-digit mpf) → display strings."""

from __future__ import annotations

from fractions import Fraction

import mpmath

from ..numeric import Value

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


def json_number(value: Value) -> float | int:
    """The value as a JSON number (int when it is a whole number, else the nearest float)."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return float(value)


def exact_text(value: Value) -> str | None:
    """"-24/5" for exact values, None for numeric ones."""
    return str(value) if isinstance(value, Fraction) else None
