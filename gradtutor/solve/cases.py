"""Solve stage, cases and limit parts: piecewise formula → derivative per case; f → limit + verdict.

A function with max, relu, |·| … is rewritten as SymPy's Piecewise; each branch is
differentiated on its own, with the condition under which it applies, and each boundary
between cases is examined: do the one-sided derivatives agree there (a kink or not)?
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import InputError
from ..numeric import OutsideDomain
from ..problems import Part, Problem
from ..sym import symbol
from .common import Check, number_check, point, resolve, sample_points, smooth, text, tidy
from .derivative import rewrite_in


@dataclass(frozen=True)
class Case:
    when: sp.Basic  # the condition, e.g. w*x*y < 1
    f: sp.Expr  # the function on this case
    derivative: sp.Expr


@dataclass(frozen=True)
class Kink:
    boundary: sp.Expr  # where two cases meet: boundary = 0, e.g. x + 1
    left: sp.Expr  # the derivative just left of it (smaller values of the variable)
    right: sp.Expr  # … and just right of it
    jump: sp.Expr  # right − left; 0 means differentiable there


@dataclass(frozen=True)
class CasesResult:
    f: sp.Expr
    wrt: str
    cases: tuple[Case, ...]
    kinks: tuple[Kink, ...]
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class LimitResult:
    f: sp.Expr  # the expression whose limit is taken (after differentiating, rewriting)
    var: str
    to: str
    substituted: sp.Expr
    value: sp.Expr
    verdict: str  # vanishes, finite, diverges
    checks: tuple[Check, ...]


def piecewise(f: sp.Expr) -> sp.Piecewise:
    pw = sp.piecewise_fold(smooth(f).rewrite(sp.Piecewise))
    if not isinstance(pw, sp.Piecewise):
        raise InputError("the function has no cases (no max, min, relu, abs …)",
                         hint="use kind: derivative for smooth functions")
    return pw


def _conditions(pw: sp.Piecewise) -> list[sp.Basic]:
    """Each branch's own condition: its clause and not any earlier one."""
    conditions, earlier = [], sp.true
    for _, cond in pw.args:
        own = sp.simplify_logic(sp.And(cond, sp.Not(earlier))) if earlier is not sp.true \
            else cond
        if earlier is sp.true:
            earlier = sp.false
        conditions.append(own)
        earlier = sp.Or(earlier, cond)
    return conditions


def solve_cases(problem: Problem, part: Part) -> CasesResult:
    wrt = part.spec["wrt"]
    f = resolve(problem, part.spec["f"], keep=(wrt,))
    pw = piecewise(f)
    v = symbol(wrt)
    cases = tuple(Case(cond, tidy(expr), tidy(sp.diff(expr, v)))
                  for (expr, _), cond in zip(pw.args, _conditions(pw), strict=True)
                  if cond is not sp.false)
    kinks = _kinks(cases, v)
    answers = [{"when": resolve(problem, c["when"], keep=(wrt,)),
                 "derivative": resolve(problem, c["derivative"], keep=(wrt,))}
                for c in (part.answer or {}).get("cases", ())]
    checks = tuple(_case_check(i, c, pw, v) for i, c in enumerate(answers))
    return CasesResult(f, wrt, cases, kinks, checks)


MAX_KINKS = 20


def _kinks(cases: tuple[Case, ...], v: sp.Symbol) -> tuple[Kink, ...]:
    """Each point where the case changes, left to right, with the derivative on each side.

    Sides are decided at points just left and right of the boundary; other symbols (y, x of a
    hinge in w) are taken positive there, as 3/2, 5/2, … so the order never depends on hashing.
    """
    others = sorted({s for c in cases for s in (c.when.free_symbols | c.derivative.free_symbols)
                     if s != v}, key=lambda s: s.name)
    sample = {s: sp.Rational(2 * i + 3, 2) for i, s in enumerate(others)}
    points = _boundaries(cases, v, sample)
    values = [p.xreplace(sample) for p in points]
    gaps = [b - a for a, b in zip(values, values[1:], strict=False)]
    delta = min([sp.Rational(1, 4), *(g / 4 for g in gaps)])
    kinks = []
    for at, value in zip(points, values, strict=True):
        left, right = (_case_at(cases, v, value + d, sample) for d in (-delta, delta))
        if left is None or right is None or left is right:
            continue
        jump = tidy((right.derivative - left.derivative).subs(v, at))
        kinks.append(Kink(tidy(v - at), left.derivative, right.derivative, jump))
    return tuple(kinks)


def _boundaries(cases: tuple[Case, ...], v: sp.Symbol, sample: dict) -> list[sp.Expr]:
    """Where some condition's two sides meet, sorted along v (deterministic)."""
    relations = sorted({r for c in cases for r in c.when.atoms(sp.core.relational.Relational)},
                       key=sp.default_sort_key)
    roots: list[sp.Expr] = []
    for relation in relations:
        gap = relation.lhs - relation.rhs
        if v not in gap.free_symbols:
            continue
        try:
            found = sp.solve(gap, v)
        except NotImplementedError:
            continue
        roots += [r for r in found if r.xreplace(sample).is_real and r not in roots]
    return sorted(roots, key=lambda r: (r.xreplace(sample), sp.default_sort_key(r)))[:MAX_KINKS]


def _case_at(cases: tuple[Case, ...], v: sp.Symbol, value: sp.Expr,
             sample: dict) -> Case | None:
    for case in cases:
        try:
            if bool(case.when.xreplace({**sample, v: value})):
                return case
        except TypeError:  # undecidable there
            continue
    return None


def _case_check(i: int, answer: dict, pw: sp.Piecewise, v: sp.Symbol) -> Check:
    """The answer's derivative must equal the solver's wherever the answer's condition holds."""
    when, want = answer["when"], answer["derivative"]
    derivative = sp.diff(pw, v)
    symbols = sorted(derivative.free_symbols | when.free_symbols | want.free_symbols,
                     key=lambda s: s.name)
    tested = 0
    for values in sample_points(symbols, 60, seed=11 + i):
        try:
            if not bool(when.xreplace(values)):
                continue
            gap = sp.N((derivative - want).xreplace(values), 40)
            ok = gap.is_number and abs(gap) < 1e-30
        except (OutsideDomain, TypeError):
            continue
        if not ok:
            return Check(f"cases[{i}]", False, f"{text(want)} if {text(when)}",
                         f"differs at {', '.join(f'{s}={x}' for s, x in values.items())}")
        tested += 1
    return Check(f"cases[{i}]", tested >= 5, f"{text(want)} if {text(when)}",
                 f"agrees at {tested} sample points")


def _verdict(value: sp.Expr) -> str:
    if value.is_infinite:
        return "diverges"
    return "vanishes" if value == 0 else "finite"


def solve_limit(problem: Problem, part: Part) -> LimitResult:
    spec = part.spec
    var, to = spec["var"], spec["to"]
    keep = (spec["wrt"],) if spec.get("wrt") else (var,)
    f = resolve(problem, spec["f"], keep=keep)
    if spec.get("wrt"):
        f = tidy(sp.diff(f, symbol(spec["wrt"])))
    if spec.get("in_terms_of"):
        f = rewrite_in(problem, part, f, spec["in_terms_of"], spec.get("wrt") or var)
    values = point(problem, part, f, skip=(var,), strict=False)
    substituted = tidy(f.xreplace(values))
    direction = {"+": "+", "-": "-"}.get(to.side, "+-") if to.value.is_finite else "+"
    value = sp.limit(smooth(substituted), symbol(var), to.value, dir=direction)
    if value is sp.nan or isinstance(value, sp.AccumBounds) or value.has(sp.zoo):
        raise InputError(f"{part.where.get('to', problem.path)}: the limit does not exist",
                         hint="try a one-sided limit such as 0+")
    answer = part.answer or {}
    checks = []
    if "value" in answer:
        checks.append(number_check("value", answer["value"], value))
    if "verdict" in answer:
        checks.append(Check("verdict", answer["verdict"] == _verdict(value), answer["verdict"],
                            _verdict(value)))
    return LimitResult(f, var, to.text, substituted, value, _verdict(value), tuple(checks))
