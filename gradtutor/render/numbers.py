"""Render helpers: values (exact Fraction or 50-digit mpf) → display strings."""

from __future__ import annotations

from fractions import Fraction

from ..numeric import Value, format_value

__all__ = ["format_value", "json_number", "exact_text"]


def json_number(value: Value) -> float | int:
    """The value as a JSON number (int when it is a whole number, else the nearest float)."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return float(value)


def exact_text(value: Value) -> str | None:
    """"-24/5" for exact values, None for numeric ones."""
    return str(value) if isinstance(value, Fraction) else None
