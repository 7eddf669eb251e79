"""Solve stage, solve parts: equations (or ∇f = 0) + unknowns → every real solution.

Known values are substituted first, activations are written with exp so SymPy can invert
them, and complex solutions are reported separately so "no real solution" is said plainly.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..budget import deadline
from ..errors import InputError
from ..problems import Part, Problem
from ..sym import symbol
from .common import Check, point, resolve, same_number, smooth, text, tidy


@dataclass(frozen=True)
class SolveResult:
    unknowns: tuple[str, ...]
    stationary: sp.Expr | None  # the function whose gradient is set to 0, if any
    equations: tuple[sp.Expr, ...]  # each "= 0", symbolic
    substituted: tuple[sp.Expr, ...]  # with the known values put in
    solutions: tuple[dict[str, sp.Expr], ...]  # real ones
    complex_count: int
    checks: tuple[Check, ...]


def solve_equations(problem: Problem, part: Part) -> SolveResult:
    spec = part.spec
    unknowns = spec["unknowns"]
    symbols = [symbol(n) for n in unknowns]
    stationary = resolve(problem, spec["stationary"]) if "stationary" in spec else None
    if stationary is not None:
        equations = tuple(tidy(sp.diff(stationary, s)) for s in symbols)
    elif "equations" in spec:
        equations = tuple(resolve(problem, e) for e in spec["equations"])
    else:
        raise InputError(f"{part.where['kind']}: a solve part needs equations: or stationary:",
                         hint="e.g. equations: [sigmoid(z) = 1/2]")
    values = point(problem, part, sp.Add(*equations), skip=tuple(unknowns))
    substituted = tuple(tidy(e.xreplace(values)) for e in equations)
    plain = [sp.Dummy(n) for n in unknowns]  # not real=True, so complex roots are found too
    back = dict(zip(plain, symbols, strict=True))
    found = _closed_form(part, [smooth(e).xreplace(dict(zip(symbols, plain, strict=True)))
                                for e in substituted], plain)
    found = [{back[k]: v.xreplace(back) for k, v in sol.items()} for sol in found]
    real, complex_count = [], 0
    for solution in found:
        if len(solution) < len(symbols):
            raise InputError(f"{part.where['kind']}: infinitely many solutions",
                             hint="add an equation or fix more values in at:")
        if all(solution[s].is_real for s in symbols):
            real.append({s.name: sp.nsimplify(solution[s]) if solution[s].is_Float
                         else solution[s] for s in symbols})
        else:
            complex_count += 1
    real.sort(key=lambda sol: [float(sol[n]) for n in unknowns])
    checks = _checks(part, real, unknowns)
    return SolveResult(tuple(unknowns), stationary, equations, substituted, tuple(real),
                       complex_count, tuple(checks))


SOLVE_SECONDS = 10.0  # SymPy's solve can search for minutes before giving up


def _closed_form(part: Part, equations: list[sp.Expr], unknowns: list[sp.Dummy]) -> list[dict]:
    """Every solution SymPy finds in closed form, or a clear error when it finds none."""
    try:
        with deadline(SOLVE_SECONDS):
            return sp.solve(equations, unknowns, dict=True)
    except (NotImplementedError, TimeoutError) as err:
        why = "gave up" if isinstance(err, NotImplementedError) else \
            f"found none within {SOLVE_SECONDS:g} s of computing time"
        raise InputError(f"{part.where['kind']}: SymPy {why} looking for a closed-form "
                         "solution (a transcendental equation?)",
                         hint="solve numerically, or rewrite the equations") from None


def _checks(part: Part, real: list[dict[str, sp.Expr]], unknowns: list[str]) -> list[Check]:
    answer = part.answer or {}
    if "solutions" not in answer:
        return []
    wanted = answer["solutions"]
    shown = "; ".join(", ".join(f"{n} = {text(sol[n])}" for n in unknowns) for sol in real)
    expected = "; ".join(", ".join(f"{n} = {q.text}" for n, q in sol.items()) for sol in wanted)
    ok = len(wanted) == len(real) and all(
        any(set(want) == set(unknowns) and all(same_number(want[n], sol[n]) for n in unknowns)
            for sol in real) for want in wanted)
    return [Check("solutions", ok, expected or "no real solution",
                  shown or "no real solution")]
