"""Render helpers: values (exact Fraction or 50-digit mpf) → display strings and JSON values."""

from __future__ import annotations

import math
from fractions import Fraction

from ..numeric import SHORT_BITS, Value, decimal_text, format_value, to_mpf

__all__ = ["format_value", "json_number", "exact_text", "decimal_text"]

EXACT_TEXT_BITS = 3_400  # exact fractions up to ~1 000 digits a part are written out


def json_number(value: Value) -> float | int | str:
    """The value as a JSON number: an int when whole and short, else the nearest float.

    A value a float cannot carry (it would underflow to 0.0 or overflow to infinity) is
    written as decimal text instead ("1.2345678901234567e-417"), so it is never silently 0.
    """
    if isinstance(value, Fraction) and value.denominator == 1 and \
            value.numerator.bit_length() <= SHORT_BITS:
        return int(value)
    number = _as_float(value)
    if number is not None and (number != 0 or value == 0):
        return number
    return decimal_text(value)


def _as_float(value: Value) -> float | None:
    try:  # float(Fraction) divides the integers, correctly rounded, without an mpf
        number = float(value) if isinstance(value, Fraction) else float(to_mpf(value))
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def exact_text(value: Value) -> str | None:
    """"-24/5" for exact values, None for numeric ones (and exact ones too long to write)."""
    if not isinstance(value, Fraction):
        return None
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > EXACT_TEXT_BITS:
        return None
    return str(value)
