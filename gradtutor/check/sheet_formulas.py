"""Sheet parts with formulas (feed sheet): derivative, gradient, cases, series answers → Verdicts.

A problem file's part becomes the formula check's own ``Problem``: the part's function with
the file's definitions substituted, the solver's derivative as the truth, and the defined
names (p, a …) allowed in the answer. So an answer on a sheet gets exactly the feedback of
``gradtutor check EXPR --wrt V --answer …``: a proof or test points, a counterexample and
the likely mistake.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from ..assume import parse_assumptions
from ..parse import Program, free_names, parse_expression
from ..solve.common import resolve, sample_points
from ..sym import symbol
from .formula import formula_verdict
from .number import Tolerance, alternatives_at, judge, normalize
from .problem import Problem as FormulaProblem
from .sheet_file import Answer
from .verdict import RIGHT, WRONG, Verdict, show


def formula_problem(problem: Any, part: Any, wrt: str, f: sp.Expr, truth: sp.Expr,
                    keep: tuple[str, ...] = ()) -> FormulaProblem:
    """The formula check's view of a part: inputs, named intermediates, the truth."""
    formulas = {n: resolve(problem, e, keep=keep) for n, e in problem.definitions.items()
                if n not in keep}
    symbols = set().union(*(e.free_symbols for e in (f, truth, *formulas.values())))
    inputs = sorted(({s.name for s in symbols} | set(problem.values) | {wrt}) - set(formulas))
    raw = part.spec.get("f")
    out = raw.name if isinstance(raw, sp.Symbol) and raw.name in problem.definitions else "f"
    program = Program((), out, f"{problem.name} part {part.id}", True)
    return FormulaProblem(program.source, program, tuple(inputs), f, formulas, wrt, truth,
                          parse_assumptions(getattr(problem, "assume", None)))


def point_env(problem: Any, part: Any, names: tuple[str, ...]) -> dict | None:
    """The part's point for every input (the file's given, then the part's at), else None."""
    from ..numeric import from_sympy

    values = {n: q.value for n, q in problem.values.items()}
    values.update({n: q.value for n, q in part.spec.get("at", {}).items()})
    if any(n not in values for n in names):
        return None
    return {symbol(n): from_sympy(values[n]) for n in names}


def check_derivative(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    wrt, name = part.spec["wrt"], part.spec.get("in_terms_of", "")
    fp = formula_problem(problem, part, wrt, result.f, result.derivative, keep=(wrt,))
    verdicts = []
    if "expr" in given:
        verdict = formula_verdict(fp, normalize(given["expr"].text), f"{part.id}.expr")
        rewritten = show(result.rewritten) if name and result.rewritten is not None else ""
        verdict = replace(verdict, given=given["expr"].text,
                          expected=_model_text(part, result) or rewritten or verdict.expected)
        if rewritten:
            verdict = _in_terms_of(problem, wrt, name, verdict)
        verdicts.append(verdict)
    if "value" in given:
        verdicts.append(_value(problem, part, fp, result.value, given["value"],
                               f"{part.id}.value"))
    return verdicts


def _in_terms_of(problem: Any, wrt: str, name: str, verdict: Verdict) -> Verdict:
    """Right in value but not in the form asked for (dp/da "as a function of p only")."""
    expected = verdict.expected
    upstream = {wrt} | {n for n in _upstream(problem, name)
                        if symbol(wrt) in resolve(problem, problem.definitions[n]).free_symbols}
    used = sorted({n.id for n in free_names(parse_expression(normalize(verdict.given)))}
                  & upstream)
    if verdict.status != RIGHT or not used:
        return verdict
    return replace(verdict, status=WRONG, mistake="form", feedback=(
        f"Your answer equals the derivative, but the part asks for it in terms of {name}: it "
        f"still uses {', '.join(used)}. In terms of {name} it is {expected}.",))


def _model_text(part: Any, result: Any) -> str:
    """The file's model answer as written, when the solver agrees with it (nicer to read)."""
    model = (part.answer or {}).get("expr")
    agreed = any(c.key == "expr" and c.ok for c in result.checks)
    return show(model) if model is not None and agreed else ""


def _upstream(problem: Any, name: str) -> set[str]:
    """The defined names that ``name`` is computed from (a for p = sigmoid(a))."""
    found: set[str] = set()
    todo = [s.name for s in problem.definitions[name].free_symbols]
    while todo:
        n = todo.pop()
        if n in problem.definitions and n not in found:
            found.add(n)
            todo += [s.name for s in problem.definitions[n].free_symbols]
    return found


def _value(problem: Any, part: Any, fp: FormulaProblem, true: Any, answer: Answer,
           item: str) -> Verdict:
    if true is None or isinstance(true, sp.Basic):
        return not_checked(item, answer, "this part has no point to evaluate at")
    env = point_env(problem, part, fp.inputs)
    alternatives = alternatives_at(fp, env) if env is not None else []
    return replace(judge(item, true, normalize(answer.text), Tolerance(), alternatives),
                   given=answer.text)


def not_checked(item: str, answer: Answer, why: str) -> Verdict:
    """An honest non-verdict; the sheet lists it apart and it does not count in the score."""
    return Verdict(item, "not-checked", answer.text, "", (f"Not checked: {why}.",))


def check_gradient(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    verdicts = []
    for name, answer in given.get("partials", {}).items():
        item = f"{part.id}.partials.{name}"
        if name not in result.partials:
            verdicts.append(_not_a_variable(item, answer, list(result.partials)))
            continue
        fp = formula_problem(problem, part, name, result.f, result.partials[name])
        verdicts.append(replace(formula_verdict(fp, normalize(answer.text), item),
                                given=answer.text))
    for name, answer in given.get("values", {}).items():
        item = f"{part.id}.values.{name}"
        if name not in result.values:
            verdicts.append(_not_a_variable(item, answer, list(result.values)))
            continue
        fp = formula_problem(problem, part, name, result.f, result.partials[name])
        verdicts.append(_value(problem, part, fp, result.values[name], answer, item))
    return verdicts


def _not_a_variable(item: str, answer: Answer, names: list[str]) -> Verdict:
    return Verdict(item, WRONG, answer.text, "", (
        f"This part has no such variable; its variables are {', '.join(names)}.",),
        "wrong-variable")


def check_series(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    x = symbol(result.var)
    verdicts = []
    for key in ("expansion", "left", "right"):
        if key not in given:
            continue
        truth = result.expansion if key == "expansion" else getattr(result, key)
        answer = given[key]
        if truth is None:
            verdicts.append(Verdict(f"{part.id}.{key}", WRONG, answer.text, "", (
                "The two sides differ at the expansion point (a kink): give left: and "
                f"right: instead; they are {show(result.left)} and {show(result.right)}.",),
                "one-sided"))
            continue
        mine = resolve(problem, _formula(answer.text))
        verdicts.append(_series_verdict(f"{part.id}.{key}", answer.text, mine, truth, x,
                                        result.about, result.order))
    return verdicts


def _formula(text: str) -> sp.Expr:
    from ..sym import to_sympy

    return to_sympy(parse_expression(normalize(text)))


def _series_verdict(item: str, text: str, mine: sp.Expr, truth: sp.Expr, x: sp.Symbol,
                    about: sp.Expr, order: int) -> Verdict:
    expected = show(truth)
    if sp.expand(mine - truth) == 0:
        return Verdict(item, RIGHT, text, expected, ("Right.",))
    t = sp.Dummy("t")
    gap = sp.expand((mine - truth).xreplace({x: t + about}))
    if gap.free_symbols - {t} or not gap.is_polynomial(t):
        return Verdict(item, WRONG, text, expected, (
            f"A Taylor polynomial in {x} is expected; the expansion is {expected}.",), "form")
    feedback = []
    for k in sorted(sp.Poly(gap, t).monoms(), key=lambda m: m[0]):
        power = k[0]
        want, got = truth_coeff(truth, x, about, power), truth_coeff(mine, x, about, power)
        term = "the constant term" if power == 0 else \
            f"the coefficient of {show((x - about) ** power)}"
        if power >= order:
            feedback.append(f"Keep terms below {show((x - about) ** order)} only: your "
                            f"answer has a term in {show((x - about) ** power)}.")
        else:
            feedback.append(f"Wrong value of {term}: it is {show(want)}, yours is {show(got)}.")
    return Verdict(item, WRONG, text, expected, tuple(feedback), "coefficient")


def truth_coeff(expr: sp.Expr, x: sp.Symbol, about: sp.Expr, power: int) -> sp.Expr:
    t = sp.Dummy("t")
    return sp.expand(expr.xreplace({x: t + about})).coeff(t, power)


def check_cases(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    """Each true case gets the student's case whose condition lands in it, checked as a formula."""
    wrt = result.wrt
    matched: dict[int, tuple[int, dict]] = {}
    verdicts = []
    for i, case in enumerate(given.get("cases", [])):
        item = f"{part.id}.cases[{i}]"
        j, message = _which_case(problem, wrt, case["when"].text, result.cases)
        if j is None:
            verdicts.append(Verdict(item, WRONG, _case_text(case), "", (message,), "condition"))
        else:
            matched.setdefault(j, (i, case))
    for j, true_case in enumerate(result.cases):
        expected = f"{show(true_case.derivative)} if {show(true_case.when)}"
        if j not in matched:
            verdicts.append(Verdict(f"{part.id}.cases (when {show(true_case.when)})", WRONG,
                                    "", expected, (f"Missing case: when {show(true_case.when)}"
                                                   f", the derivative is "
                                                   f"{show(true_case.derivative)}.",),
                                    "missing-case"))
            continue
        i, case = matched[j]
        fp = formula_problem(problem, part, wrt, true_case.f, true_case.derivative, keep=(wrt,))
        verdict = formula_verdict(fp, normalize(case["derivative"].text), f"{part.id}.cases[{i}]")
        verdicts.append(replace(verdict, given=_case_text(case), expected=expected))
    return verdicts


def _case_text(case: dict) -> str:
    return f"{case['derivative'].text} if {case['when'].text}"


def _which_case(problem: Any, wrt: str, when: str, cases: Any) -> tuple[int | None, str]:
    from ..problem_schema import CONVERT, Field

    condition = resolve(problem, CONVERT["condition"](normalize(when), Field("condition", "")),
                        keep=(wrt,))
    symbols = sorted(set().union(condition.free_symbols,
                                 *(c.when.free_symbols for c in cases)), key=lambda s: s.name)
    hits: set[int] = set()
    for values in sample_points(symbols, 60, seed=5):
        env = {s: sp.Rational(v.numerator, v.denominator) for s, v in values.items()}
        if bool(condition.xreplace(env)):
            hits |= {j for j, c in enumerate(cases) if bool(c.when.xreplace(env))}
    if len(hits) == 1:
        return hits.pop(), ""
    if not hits:
        return None, f"The condition {when} never holds where the function is defined."
    shown = " and ".join(show(cases[j].when) for j in sorted(hits))
    return None, f"The condition {when} mixes cases with different derivatives ({shown})."
