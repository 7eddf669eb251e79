"""Solve stage, set parts: a condition or a function → the set it defines (interval pieces).

`condition: 2*w1 + 2.3 < 0` with `var: w1` gives the w1 that satisfy it, here w1 < −1.15;
`range: tanh(x)` gives the values the function takes over the reals, here (−1, 1). The model
answer (`set:`, an interval or inequality) is compared as a set, endpoints to the precision
written (check/sets.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import InputError, LimitError
from ..intervals import show
from ..problems import Part, Problem
from ..sym import symbol
from ..verify import time_budget
from .common import Check, point, resolve, smooth, text

SECONDS = 10.0


@dataclass(frozen=True)
class SetResult:
    var: str
    what: str  # "solutions of …" or "range of …"
    expr: sp.Basic  # the condition or function, with the given values substituted
    set: sp.Set
    text: str  # the set as a textbook writes it: (−1, 1)
    checks: tuple[Check, ...]


def solve_set(problem: Problem, part: Part) -> SetResult:
    spec = part.spec
    var = spec["var"]
    v = symbol(var)
    if ("condition" in spec) == ("range" in spec):
        raise InputError(f"{part.where.get('kind', problem.path)}: a set part needs either "
                         "condition: or range:", hint="condition: 2*w1 + 2.3 < 0, or "
                         "range: tanh(x)")
    expr = _given(problem, part, spec.get("condition", spec.get("range")), var)
    truth = _solve(expr, v, "condition" in spec)
    answer = part.answer or {}
    checks = []
    if "set" in answer:
        from ..check.sets import compare_sets

        ok, why = compare_sets(answer["set"], truth)
        checks.append(Check("set", ok, answer["set"], show_set(truth) + (f" ({why})" if why
                                                                         else "")))
    what = f"solutions of {text(expr)}" if "condition" in spec else f"range of {text(expr)}"
    return SetResult(var, what, expr, truth, show_set(truth), tuple(checks))


def _given(problem: Problem, part: Part, expr: sp.Basic, var: str) -> sp.Basic:
    if isinstance(expr, sp.core.relational.Relational):
        return expr.func(_given(problem, part, expr.lhs, var),
                         _given(problem, part, expr.rhs, var), evaluate=False)
    if isinstance(expr, sp.And):
        return sp.And(*(_given(problem, part, a, var) for a in expr.args))
    expr = resolve(problem, expr, keep=(var,))
    return expr.xreplace(point(problem, part, expr, skip=(var,), strict=False))


def _solve(expr: sp.Basic, v: sp.Symbol, condition: bool) -> sp.Set:
    if (expr.free_symbols - {v}):
        names = ", ".join(sorted(s.name for s in expr.free_symbols - {v}))
        raise InputError(f"the set depends on {names}, which have no value",
                         hint="give them in given: or at:")
    try:
        with time_budget(SECONDS):
            if condition:
                return sp.solve_univariate_inequality(smooth(expr), v, relational=False)
            from sympy.calculus.util import function_range

            return function_range(smooth(expr), v, sp.S.Reals)
    except TimeoutError:
        raise LimitError(f"finding the set took more than {SECONDS:g} s",
                         hint="use a simpler condition or function") from None
    except (NotImplementedError, ValueError, TypeError) as err:
        raise InputError(f"SymPy cannot find this set ({type(err).__name__})",
                         hint="use a polynomial, rational or monotone condition") from None


def show_set(s: sp.Set) -> str:
    from ..intervals import pieces_of

    return show(pieces_of(s))
