"""Pictures, plotting: functions of one variable (+ range) → curves of f, f′ and tangent lines.

Each function is parsed by gradtutor's grammar and built in SymPy (gradtutor.sym, as for
``trace``); f′ is ``sympy.diff`` of it, never a finite difference. The curves are sampled by
gradtutor.sampling; render/ draws them in the terminal or through matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .errors import DomainError, InputError
from .numeric import OutsideDomain, from_sympy, to_sympy
from .sampling import Pole, Samples, sample
from .sym import parse_formula, parse_value

MAX_FUNCTIONS = 8
DEFAULT_RANGE = (-5.0, 5.0)


@dataclass(frozen=True)
class Curve:
    source: str  # what the user wrote, e.g. "sigmoid(x)"
    formula: sp.Expr  # f, f′ or the tangent line, in ``variable``
    variable: sp.Symbol
    kind: str  # "f", "derivative" or "tangent"
    samples: Samples


@dataclass(frozen=True)
class Tangent:
    source: str
    at: sp.Expr  # the point a
    value: sp.Expr  # f(a)
    slope: sp.Expr  # f′(a)


@dataclass(frozen=True)
class Plot:
    lo: float
    hi: float
    curves: tuple[Curve, ...]
    tangents: tuple[Tangent, ...]


def parse_range(text: str | None) -> tuple[sp.Expr, sp.Expr]:
    """``-5,5`` or ``-pi,pi`` → (lo, hi), exact; an empty or reversed range is refused."""
    if text is None or not text.strip():
        return sp.Integer(-5), sp.Integer(5)
    parts = text.split(",")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise InputError(f"--range expects two numbers lo,hi, got {text!r}",
                         hint="--range -5,5 (or -pi,pi)")
    lo, hi = (parse_value(p.strip(), "--range bound") for p in parts)
    if not bool(lo < hi):
        raise InputError(f"--range {text} is empty: its lower bound must be below its upper one",
                         hint=f"--range {parts[1].strip()},{parts[0].strip()}"
                         if bool(lo > hi) else "--range -5,5")
    return lo, hi


def one_variable(source: str) -> tuple[sp.Expr, sp.Symbol]:
    expr = parse_formula(source)
    names = sorted(expr.free_symbols, key=str)
    if len(names) != 1:
        which = ", ".join(map(str, names)) or "none"
        raise InputError(f"a plot needs a function of one variable; {source!r} has: {which}",
                         hint='plot one variable at a time, e.g. "sigmoid(x)"')
    return expr, names[0]


def make_plot(sources: list[str], range_text: str | None = None, derivative: bool = False,
              tangent_at: str | None = None, samples: int = 240) -> Plot:
    """Sample each function (and its derivative, tangent line) over the range."""
    if not sources:
        raise InputError("nothing to plot", hint='gradtutor plot "sigmoid(x)" --derivative')
    if len(sources) > MAX_FUNCTIONS:
        raise InputError(f"at most {MAX_FUNCTIONS} functions fit in one plot, got "
                         f"{len(sources)}", hint="split them over several plots")
    lo, hi = parse_range(range_text)
    flo, fhi = float(lo), float(hi)
    at = parse_value(tangent_at, "--tangent-at point") if tangent_at else None
    if at is not None and not bool(lo <= at <= hi):
        raise InputError(f"--tangent-at {tangent_at} lies outside the range [{lo}, {hi}]",
                         hint="choose a point inside --range")
    curves, tangents = [], []
    for source in sources:
        expr, var = one_variable(source)
        forms = [("f", expr)] + ([("derivative", sp.diff(expr, var))] if derivative else [])
        if at is not None:
            tangent = tangent_line(source, expr, var, at)
            tangents.append(tangent)
            forms.append(("tangent", tangent.value + tangent.slope * (var - at)))
        for kind, formula in forms:
            curves.append(Curve(source, formula, var, kind,
                                _sampled(source, kind, formula, var, flo, fhi, samples)))
    return Plot(flo, fhi, tuple(curves), tuple(tangents))


def _sampled(source: str, kind: str, formula: sp.Expr, var: sp.Symbol, lo: float, hi: float,
             n: int) -> Samples:
    try:
        result = sample(formula, var, lo, hi, n)
    except Pole as pole:
        what = "the derivative of " if kind == "derivative" else ""
        raise DomainError(f"{what}{source} has a pole at {var} ≈ {pole.at:.6g} inside the "
                          f"range [{lo:g}, {hi:g}]: it grows without bound there",
                          hint="choose a range that stays away from it, e.g. "
                               f"--range {_away(pole.at, lo, hi)}") from None
    if not result.runs:
        raise DomainError(f"{source} is undefined everywhere on [{lo:g}, {hi:g}]",
                          hint="choose a range inside its domain (log and sqrt of positive "
                               "numbers)")
    return result


def _away(at: float, lo: float, hi: float) -> str:
    margin = (hi - lo) / 50
    return f"{at + margin:.3g},{hi:g}" if hi - at >= at - lo else f"{lo:g},{at - margin:.3g}"


def tangent_line(source: str, expr: sp.Expr, var: sp.Symbol, at: sp.Expr) -> Tangent:
    """f(a) and f′(a) by gradtutor's numbers: exact where rational (σ′(0) = 1/4), else 50
    digits; at a kink, the derivative's convention (relu′(0) = 0)."""
    numbers = []
    for formula in (expr, sp.diff(expr, var)):
        try:
            numbers.append(to_sympy(from_sympy(formula.subs(var, at))))
        except (OutsideDomain, ZeroDivisionError):
            raise DomainError(f"{source} has no tangent line at {var} = {at}: it is not "
                              "defined or not differentiable there",
                              hint="choose another --tangent-at point") from None
    return Tangent(source, at, numbers[0], numbers[1])
