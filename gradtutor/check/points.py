"""Test points (used by formula and diagnose): formulas → random points inside their domain.

Values are simple decimals (0.3, −1.7, 12.5) so that rational formulas stay exact and a
counterexample is easy to read. Sampling moves through several ranges (mixed signs, positive,
small, large) and retries until enough points lie inside every formula's domain; logs, roots
and denominators are respected because a point only counts when everything evaluates there.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction

import sympy as sp

from ..assume import Domain
from ..numeric import CTX, OutsideDomain, Value, evaluate, is_finite, to_mpf

Env = dict[sp.Symbol, Value]
MAX_TRIES = 4000
# (numerator range, denominator): −3…3, 0…3, 0…1, −1…1, −30…30, 0…0.1
_RANGES = ((-30, 30, 10), (1, 30, 10), (1, 9, 10), (-9, 9, 10), (-300, 300, 10), (1, 99, 1000))
RELATIVE = CTX.mpf(10) ** -30


class NoPoints(ArithmeticError):
    """No point makes every formula defined (e.g. log(−x²)): the caller explains."""


def value_at(expr: sp.Expr, env: Env) -> Value | None:
    """The formula's value, or None where it is undefined (outside its domain)."""
    try:
        value = evaluate(expr, env)
    except (OutsideDomain, ZeroDivisionError, OverflowError, ValueError):
        return None
    return value if is_finite(value) else None


def same(a: Value, b: Value) -> bool:
    """Equal: exactly for fractions, to 30 significant digits for 50-digit values."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    x, y = to_mpf(a), to_mpf(b)
    return abs(x - y) <= RELATIVE * max(1, abs(x), abs(y))


def sample_points(symbols: Sequence[sp.Symbol], formulas: Sequence[sp.Expr], count: int = 8,
                  seed: int = 0, domains: dict[str, Domain] | None = None) -> list[Env]:
    """``count`` distinct points where every formula is defined (fewer only if none exist),
    each variable drawn from its assumed domain if it has one (y ∈ {0, 1}, 0 < α < 1 …)."""
    rng = random.Random(seed)
    domains = domains or {}
    points: list[Env] = []
    seen: set[tuple[Value, ...]] = set()
    for attempt in range(MAX_TRIES):
        low, high, denominator = _RANGES[(attempt // 8) % len(_RANGES)]
        values = tuple(domains[s.name].draw(rng) if s.name in domains
                       else _draw(rng, low, high, denominator) for s in symbols)
        if values in seen:
            continue
        seen.add(values)
        env = dict(zip(symbols, values, strict=True))
        if all(value_at(f, env) is not None for f in formulas):
            points.append(env)
            if len(points) == count:
                return points
    if not points:
        raise NoPoints("no point found where the formulas are defined")
    return points


def _draw(rng: random.Random, low: int, high: int, denominator: int) -> Fraction:
    numerator = 0
    while numerator == 0:  # 0 is a kink or a degenerate point for many formulas
        numerator = rng.randint(low, high)
    return Fraction(numerator, denominator)
