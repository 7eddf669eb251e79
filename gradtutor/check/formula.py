"""Formula check: EXPR + --wrt + answer formula → Verdict (symbolic proof, then random points).

The answer is parsed with the same safe parser as expressions and may use the program's
assigned names. It is right when SymPy simplifies answer − derivative to 0, or, failing a proof
within the time budget, when both agree to 30 digits at every random test point inside the
domain. Otherwise the first point where they differ is the counterexample.
"""

from __future__ import annotations

import sympy as sp

from ..assume import cases as assume_cases
from ..assume import describe
from ..numeric import Value
from ..parse import Syntax, parse_expression
from ..verify import simplest, time_budget
from .candidates import in_names
from .diagnose import diagnose_formula, values
from .points import Env, NoPoints, same, sample_points
from .problem import Problem, build_problem
from .verdict import RIGHT, WRONG, CheckResult, Counterexample, Verdict, show

POINTS = 8
PROOF_SECONDS = 1.0


def check_formula(source: str, wrt: str, answer: str,
                  assume: str | dict | None = None) -> CheckResult:
    """Is ``answer`` the derivative of ``source`` with respect to ``wrt`` (under ``assume``)?"""
    problem = build_problem(source, wrt, assume)
    return CheckResult("formula", f"{problem.item} of {source}",
                       (formula_verdict(problem, answer),))


def formula_verdict(problem: Problem, answer: str, item: str = "") -> Verdict:
    syntax = parse_expression(answer)
    item = item or problem.item
    expected = expected_text(problem)
    unknown = problem.unknown_names(syntax)
    if unknown:
        names = ", ".join(dict.fromkeys(n.id for n in unknown))
        known = ", ".join([*problem.inputs, *(k for k in problem.formulas)])
        return Verdict(item, WRONG, answer, expected, (
            f"Your answer uses {names}, which is not a variable of the expression (its "
            f"variables are {known}): differentiated with respect to the wrong variable, or "
            "a typo?",), "wrong-variable")
    return _compare(problem, syntax, answer, item, expected)


def expected_text(problem: Problem) -> str:
    best = simplest(problem.truth)
    plain, named = show(best), in_names(best, problem)
    return plain if plain == named else f"{named}  (= {plain})"


def _compare(problem: Problem, syntax: Syntax, answer: str, item: str, expected: str) -> Verdict:
    formula = problem.answer(syntax)
    if _proved_equal(problem.truth, formula, problem.domains):
        return _right(problem, syntax, answer, item, expected, "proved by simplification")
    points = _points(problem)
    truth = values(problem.truth, points)
    given = values(formula, points)
    wrong = [i for i, (t, g) in enumerate(zip(truth, given, strict=True))
             if g is None or not same(t, g)]  # type: ignore[arg-type]
    if not wrong:
        return _right(problem, syntax, answer, item, expected,
                      f"equal at {len(points)} random points to 30 digits")
    i = wrong[0]
    example = Counterexample(tuple((s.name, v) for s, v in points[i].items()), truth[i],
                             given[i])  # type: ignore[arg-type]
    findings = diagnose_formula(problem, syntax, formula, points, truth, given)  # type: ignore
    return Verdict(item, WRONG, answer, expected,
                   tuple(message for _, message in findings) + (example.describe(),),
                   findings[0][0] if findings else "", example)


def _points(problem: Problem, assumed: bool = True) -> list[Env]:
    try:
        return sample_points(problem.symbols, [problem.f, problem.truth], POINTS,
                             domains=problem.domains if assumed else None)
    except NoPoints:
        from ..errors import InputError

        raise InputError(f"{problem.source!r} is not defined at any real point",
                         hint="check the expression, e.g. log and sqrt of negative "
                              "numbers") from None


def _proved_equal(truth: sp.Expr, formula: sp.Expr, domains: dict | None = None) -> bool:
    """answer − derivative simplifies to 0 (in every case the assumptions allow)."""
    if domains:
        return all(_proved_equal(truth.xreplace(c), formula.xreplace(c))
                   for c in assume_cases(domains))
    difference = truth - formula
    if difference == 0 or sp.expand(difference) == 0:
        return True
    try:
        with time_budget(PROOF_SECONDS):
            return sp.simplify(difference.rewrite(sp.exp)) == 0
    except (TimeoutError, RecursionError):
        return False


def _right(problem: Problem, syntax: Syntax, answer: str, item: str, expected: str,
           how: str) -> Verdict:
    feedback = [f"Right ({how})."]
    if problem.domains and not _right_in_general(problem, problem.answer(syntax)):
        feedback.append(f"Holds only under the assumptions {describe(problem.domains)}: "
                        "without them your answer differs from the derivative.")
    written = sp.count_ops(_as_written(syntax))
    best = simplest(problem.truth)
    if written > sp.count_ops(best) + 2:
        feedback.append(f"Your form is unusual; the simplest form is {expected}.")
    return Verdict(item, RIGHT, answer, expected, tuple(feedback))


def _right_in_general(problem: Problem, formula: sp.Expr) -> bool:
    if _proved_equal(problem.truth, formula):
        return True
    points = _points(problem, assumed=False)
    truth, given = values(problem.truth, points), values(formula, points)
    return all(g is not None and same(t, g) for t, g in zip(truth, given, strict=True))


def _as_written(syntax: Syntax) -> sp.Expr:
    from ..sym import to_sympy

    return to_sympy(syntax)


__all__ = ["check_formula", "formula_verdict", "Value"]
