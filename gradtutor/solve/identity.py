"""Solve stage, identity and series parts: two formulas → equal or not (with steps); f → Taylor.

An identity is proved by simplifying lhs − rhs to 0 (activations written with exp); each
intermediate form the file gives is checked against the previous one. A function with a
kink at the expansion point (ReLU, SELU) gets one expansion per side.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..numeric import OutsideDomain, to_mpf
from ..problems import Part, Problem
from ..sym import symbol
from .common import MAX_OPS, Check, resolve, sample_points, smooth, text, tidy, value_at


@dataclass(frozen=True)
class IdentityStep:
    expr: sp.Expr
    ok: bool  # equal to the previous form


@dataclass(frozen=True)
class IdentityResult:
    lhs: sp.Expr
    rhs: sp.Expr
    steps: tuple[IdentityStep, ...]
    difference: sp.Expr  # lhs − rhs, simplified
    holds: bool
    proved: bool  # by simplification (else: by sample points)
    counterexample: dict[str, str]
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class SeriesResult:
    f: sp.Expr
    var: str
    about: sp.Expr
    order: int
    expansion: sp.Expr | None  # two-sided; None when the sides differ
    left: sp.Expr
    right: sp.Expr
    checks: tuple[Check, ...]


def solve_identity(problem: Problem, part: Part) -> IdentityResult:
    lhs, rhs = (resolve(problem, part.spec[k]) for k in ("lhs", "rhs"))
    forms = [lhs, *(resolve(problem, s) for s in part.spec.get("steps", ())), rhs]
    # one judgment for the steps and the verdict, so they can never contradict each other
    steps = tuple(IdentityStep(b, _equal(a, b)[0]) for a, b in zip(forms, forms[1:],
                                                                    strict=False))
    difference = tidy(sp.simplify(smooth(lhs - rhs)))
    holds, proved, counter = _equal(lhs, rhs, difference)
    answer = part.answer or {}
    checks = [Check("holds", answer["holds"] == holds, str(answer["holds"]).lower(),
                    str(holds).lower())] if "holds" in answer else []
    checks += [Check(f"steps[{i}]", s.ok, text(s.expr), "equal" if s.ok else "not equal")
               for i, s in enumerate(steps[:-1])]
    return IdentityResult(lhs, rhs, steps, difference, holds, proved, counter, tuple(checks))


def _equal(a: sp.Expr, b: sp.Expr, difference: sp.Expr | None = None
           ) -> tuple[bool, bool, dict[str, str]]:
    """(equal, proved by simplification, a counterexample): equal where both are defined."""
    if difference is None:
        difference = smooth(a - b)
        difference = sp.simplify(difference) if sp.count_ops(difference) <= MAX_OPS \
            else difference
    if difference == 0:
        return True, True, {}
    counter = _counterexample(a, b)
    return not counter, False, counter


def _counterexample(lhs: sp.Expr, rhs: sp.Expr) -> dict[str, str]:
    symbols = sorted((lhs - rhs).free_symbols, key=lambda s: s.name)
    for values in sample_points(symbols, 24):
        try:
            a, b = to_mpf(value_at(lhs, values)), to_mpf(value_at(rhs, values))
        except (OutsideDomain, ZeroDivisionError):
            continue
        if abs(a - b) > 1e-30 * max(1, abs(a)):
            return {s.name: str(v) for s, v in values.items()}
    return {}


def _side(f: sp.Expr, x: sp.Symbol, about: sp.Expr, order: int, sign: int) -> sp.Expr:
    """Taylor polynomial of f on one side of ``about`` (x = about ± t with t > 0)."""
    t = sp.Dummy("t", positive=True)
    g = sp.piecewise_fold(smooth(f).xreplace({x: about + sign * t}))
    poly = sp.series(g, t, 0, order).removeO()
    return sp.expand(poly.xreplace({t: sign * (x - about)}))


def solve_series(problem: Problem, part: Part) -> SeriesResult:
    spec = part.spec
    f = resolve(problem, spec["f"])
    x, order = symbol(spec["var"]), spec["order"]
    about = spec["about"].value if "about" in spec else sp.S.Zero
    left, right = (_side(f, x, about, order, s) for s in (-1, 1))
    expansion = right if sp.expand(left - right) == 0 else None
    answer = part.answer or {}
    checks = []
    for key, got in (("expansion", expansion), ("left", left), ("right", right)):
        if key in answer:
            ok = got is not None and sp.expand(answer[key] - got) == 0
            checks.append(Check(key, ok, text(answer[key]),
                                text(got) if got is not None else "(the sides differ)"))
    return SeriesResult(f, spec["var"], about, order, expansion, left, right, tuple(checks))
