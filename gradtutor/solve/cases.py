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
    boundary: sp.Expr  # where two cases meet: boundary = 0
    left: sp.Expr  # the derivative on each side
    right: sp.Expr
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
    kinks = tuple(_kink(a, b, v) for a, b in zip(cases, cases[1:], strict=False))
    answers = [{"when": resolve(problem, c["when"], keep=(wrt,)),
                 "derivative": resolve(problem, c["derivative"], keep=(wrt,))}
                for c in (part.answer or {}).get("cases", ())]
    checks = tuple(_case_check(i, c, pw, v) for i, c in enumerate(answers))
    return CasesResult(f, wrt, cases, kinks, checks)


def _kink(a: Case, b: Case, v: sp.Symbol) -> Kink:
    relation = next(iter(a.when.atoms(sp.core.relational.Relational)), None) \
        if not isinstance(a.when, sp.core.relational.Relational) else a.when
    boundary = tidy(relation.lhs - relation.rhs) if relation is not None else sp.S.Zero
    jump = tidy(b.derivative - a.derivative)
    roots = sp.solve(boundary, v) if v in boundary.free_symbols else []
    if roots:
        jump = tidy(jump.subs(v, roots[0]))
    return Kink(boundary, a.derivative, b.derivative, jump)


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
