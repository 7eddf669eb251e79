"""Assumptions (feed check and solve): `y=binary,theta=positive` or a YAML map → domains.

An exercise's conditions — labels y ∈ {0, 1} (so y² = y), θ > 0, 0 < α < 1 — make answers
right that are wrong in general. Each assumption gives the values test points draw from and
the SymPy symbol (or, for binary, the two cases) that a proof simplifies under.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .errors import InputError
from .sym import parse_value, symbol

KINDS = ("binary", "positive", "negative", "nonnegative", "nonzero")
_BOUND = r"([-+]?[\w./]+)"
_BETWEEN = re.compile(rf"^\s*{_BOUND}\s*(<=?)\s*([A-Za-z_]\w*)\s*(<=?)\s*{_BOUND}\s*$")
_SIDE = re.compile(rf"^\s*([A-Za-z_]\w*)\s*(<=?|>=?)\s*{_BOUND}\s*$")
_FLIPPED = re.compile(rf"^\s*{_BOUND}\s*(<=?|>=?)\s*([A-Za-z_]\w*)\s*$")
HINT = ("y=binary, theta=positive (also negative, nonnegative, nonzero) or "
        '"0 < alpha < 1", "x >= 0"')


@dataclass(frozen=True)
class Domain:
    """The values one variable may take."""

    name: str
    kind: str  # binary | interval
    low: Fraction | None = None
    high: Fraction | None = None
    text: str = ""  # as the user wrote it, for feedback

    def draw(self, rng: random.Random) -> Fraction:
        if self.kind == "binary":
            return Fraction(rng.randint(0, 1))
        low = self.low if self.low is not None else \
            (self.high - 30 if self.high is not None else Fraction(-30))
        high = self.high if self.high is not None else low + (30 if self.low is not None else 60)
        while True:  # strictly inside: endpoints (and 0) are often kinks or poles
            value = low + (high - low) * Fraction(rng.randint(1, 99), 100)
            if value != 0:
                return value

    def sympy_symbol(self) -> sp.Symbol:
        """The symbol a proof uses: positive=True for θ > 0, 0 < α < 1 …; real otherwise."""
        if self.low is not None and self.low >= 0:
            return sp.Symbol(self.name, positive=True)
        if self.high is not None and self.high <= 0:
            return sp.Symbol(self.name, negative=True)
        return symbol(self.name)


def parse_assumptions(spec: str | dict | None) -> dict[str, Domain]:
    """``y=binary,theta=positive`` (CLI) or ``{y: binary, alpha: "0 < alpha < 1"}`` (YAML)."""
    if not spec:
        return {}
    items = spec.items() if isinstance(spec, dict) else \
        [_pair(part) for part in str(spec).split(",") if part.strip()]
    domains = [domain(str(name).strip(), str(text).strip()) for name, text in items]
    return {d.name: d for d in domains}


def _pair(part: str) -> tuple[str, str]:
    name, _, text = part.partition("=")
    if not text.strip() or not re.fullmatch(r"\s*[A-Za-z_]\w*\s*", name):
        raise InputError(f"cannot read the assumption {part.strip()!r}", hint=f"use {HINT}")
    return name, text


def domain(name: str, text: str) -> Domain:
    """One variable's assumption: a kind word, or a comparison naming it."""
    shown = {"positive": f"{name} > 0", "negative": f"{name} < 0", "nonnegative": f"{name} ≥ 0",
             "nonzero": f"{name} ≠ 0"}.get(text, text)
    if text == "binary":
        return Domain(name, "binary", text="y ∈ {0, 1}".replace("y", name))
    bounds = {"positive": (0, None), "negative": (None, 0), "nonnegative": (0, None),
              "nonzero": (None, None)}
    if text in bounds:
        low, high = bounds[text]
        return Domain(name, "interval", _frac(low), _frac(high), shown)
    low, high = _comparison(name, text)
    return Domain(name, "interval", low, high, text)


def _comparison(name: str, text: str) -> tuple[Fraction | None, Fraction | None]:
    m = _BETWEEN.match(text)
    if m and m.group(3) == name:
        return _number(m.group(1), text), _number(m.group(5), text)
    m = _SIDE.match(text)
    if m and m.group(1) == name:
        bound = _number(m.group(3), text)
        return (bound, None) if m.group(2).startswith(">") else (None, bound)
    m = _FLIPPED.match(text)
    if m and m.group(3) == name:  # 0 < alpha
        bound = _number(m.group(1), text)
        return (bound, None) if m.group(2).startswith("<") else (None, bound)
    raise InputError(f"cannot read the assumption {name}: {text!r}", hint=f"use {HINT}")


def _number(text: str, where: str) -> Fraction:
    value = parse_value(text, f"bound in {where!r}")
    if not value.is_Rational:
        value = sp.Rational(str(sp.N(value, 30)))
    return Fraction(int(value.p), int(value.q))


def _frac(value: int | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def describe(domains: dict[str, Domain]) -> str:
    return ", ".join(d.text for d in domains.values())


def cases(domains: dict[str, Domain]) -> list[dict[sp.Symbol, sp.Expr]]:
    """Substitutions a proof must hold for: each binary variable 0 and 1; others as symbols."""
    subs: list[dict[sp.Symbol, sp.Expr]] = [{}]
    for d in domains.values():
        if d.kind == "binary":
            subs = [{**s, symbol(d.name): sp.Integer(v)} for s in subs for v in (0, 1)]
        else:
            subs = [{**s, symbol(d.name): d.sympy_symbol()} for s in subs]
    return subs[:16]
