"""Solve stage, derivative and gradient parts: formula → ∂f/∂v with rule-by-rule steps, values.

SymPy does the calculus (``sympy.diff``); this module names the rule used at each
sub-expression, using the rules table's teaching text, and rewrites results in a named
intermediate when the exercise asks ("dp/da as a function of p only").
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import InputError
from ..functions import leaky_relu, relu, sigmoid, softplus
from ..numeric import Value
from ..problems import Part, Problem
from ..rules import RULES
from ..sym import symbol
from .common import (
    Check,
    map_checks,
    number_check,
    numeric_calls,
    point,
    resolve,
    same_function,
    smooth,
    text,
    tidy,
    value_at,
)

_HEADS = {sp.Add: "add", sp.Mul: "mul", sp.Pow: "pow", sp.exp: "exp", sp.log: "log",
          sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.tanh: "tanh", sigmoid: "sigmoid",
          softplus: "softplus", sp.erf: "erf", relu: "relu", leaky_relu: "leaky_relu",
          sp.Abs: "abs", sp.Max: "max", sp.Min: "min"}

_OTHER = {"scale": "constant-multiple rule"}


@dataclass(frozen=True)
class Step:
    """One sub-expression u of f, the rule that differentiates it, and du/dv."""

    expr: sp.Expr
    rule: str
    explain: str
    derivative: sp.Expr


@dataclass(frozen=True)
class DerivativeResult:
    f: sp.Expr
    wrt: str
    order: int
    steps: tuple[Step, ...]
    derivative: sp.Expr
    in_exp: sp.Expr | None  # the same written with exp, when f uses sigmoid, tanh …
    in_terms_of: str
    rewritten: sp.Expr | None
    point: dict[str, sp.Expr]
    value: Value | sp.Expr | None  # a formula when some symbols have no value
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class GradientResult:
    f: sp.Expr
    partials: dict[str, sp.Expr]
    point: dict[str, sp.Expr]
    values: dict[str, Value]
    checks: tuple[Check, ...]


def rule_steps(f: sp.Expr, v: sp.Symbol) -> tuple[Step, ...]:
    """Sub-expressions that depend on v, innermost first, each with its rule and du/dv."""
    steps: list[Step] = []
    seen: set[sp.Expr] = set()
    for sub in sp.postorder_traversal(f):
        if sub in seen or sub.is_Atom or v not in sub.free_symbols:
            continue
        seen.add(sub)
        op = _op(sub)
        rule = RULES[op] if op in RULES else None
        name = rule.rule if rule else _OTHER.get(op, f"derivative of {sub.func.__name__}")
        if any(v in a.free_symbols and not a.is_Atom for a in sub.args) and op not in (
                "add", "mul", "scale"):
            name += " + chain rule"
        steps.append(Step(sub, name, rule.explain if rule else "", tidy(sp.diff(sub, v))))
    return tuple(steps)


def _op(sub: sp.Expr) -> str:
    if sub.is_Mul and sum(1 for a in sub.args if not a.is_number) == 1:
        return "scale"
    if sub.is_Pow and sub.exp == -1:
        return "div"
    if sub.is_Pow and sub.exp == sp.Rational(1, 2):
        return "sqrt"
    return _HEADS.get(sub.func, "")


def rewrite_in(problem: Problem, part: Part, expr: sp.Expr, name: str, wrt: str) -> sp.Expr:
    """Write ``expr`` (in wrt) in terms of the defined intermediate ``name`` only."""
    if name not in problem.definitions:
        raise InputError(f"{part.where.get('in_terms_of', problem.path)}: {name!r} is not "
                         "defined in given", hint=f"add e.g. given: {{{name}: sigmoid(a)}}")
    definition = resolve(problem, problem.definitions[name], keep=(wrt,))
    p, v = symbol(name), symbol(wrt)
    candidates = [expr.subs(definition, p)]
    for inverse in sp.solve(sp.Eq(definition.rewrite(sp.exp), p), v):
        candidates.append(expr.rewrite(sp.exp).subs(v, inverse))
    for candidate in candidates:
        candidate = sp.factor(tidy(candidate))
        if v not in candidate.free_symbols and same_function(candidate.subs(p, definition),
                                                             expr):
            return candidate
    raise InputError(f"{part.where.get('in_terms_of', problem.path)}: cannot write the "
                     f"result in terms of {name} alone", hint="remove in_terms_of")


def solve_derivative(problem: Problem, part: Part) -> DerivativeResult:
    wrt, spec = part.spec["wrt"], part.spec
    f = resolve(problem, spec["f"], keep=(wrt,))
    v = symbol(wrt)
    order = spec.get("order", 1)
    steps = rule_steps(f, v) if order == 1 else ()
    derivative = tidy(sp.diff(f, v, order))
    name = spec.get("in_terms_of", "")
    rewritten = rewrite_in(problem, part, derivative, name, wrt) if name else None
    values: dict = {}
    value = None
    if "at" in spec:
        values = point(problem, part, derivative, strict=False)
        partly = derivative.xreplace(values)  # symbols without a value stay symbolic
        value = tidy(numeric_calls(partly)) if partly.free_symbols else \
            value_at(derivative, values)
    checks = _derivative_checks(problem, part, derivative, rewritten, value)
    in_exp = tidy(smooth(derivative))
    in_exp = in_exp if in_exp != derivative else None
    return DerivativeResult(f, wrt, order, steps, derivative, in_exp, name, rewritten,
                            {s.name: x for s, x in values.items()}, value, tuple(checks))


def _derivative_checks(problem: Problem, part: Part, derivative: sp.Expr,
                       rewritten: sp.Expr | None, value: Value | None) -> list[Check]:
    answer = part.answer or {}
    checks = []
    if "expr" in answer:
        got = rewritten if rewritten is not None else derivative
        keep = (part.spec["wrt"], part.spec.get("in_terms_of", ""))
        want = resolve(problem, answer["expr"], keep=keep)
        checks.append(Check("expr", same_function(want, got, problem.assume), text(want),
                            text(got)))
    if "value" in answer:
        checks.append(number_check("value", answer["value"], value) if value is not None
                      else Check("value", False, answer["value"].text, "(no at: given)"))
    return checks


def solve_gradient(problem: Problem, part: Part) -> GradientResult:
    f = resolve(problem, part.spec["f"])
    names = part.spec.get("wrt") or tuple(sorted(s.name for s in f.free_symbols))
    partials = {n: tidy(sp.diff(f, symbol(n))) for n in names}
    values: dict = {}
    results: dict[str, Value] = {}
    if "at" in part.spec:
        values = point(problem, part, f)
        results = {n: value_at(d, values) for n, d in partials.items()}
    answer = part.answer or {}
    wanted = {n: resolve(problem, e) for n, e in answer.get("partials", {}).items()}
    checks = [Check(f"partials.{n}", n in partials and same_function(e, partials[n],
                                                                    problem.assume), text(e),
                    text(partials.get(n, "(not a variable)"))) for n, e in wanted.items()]
    checks += map_checks("values", answer.get("values", {}), results)
    return GradientResult(f, partials, {s.name: x for s, x in values.items()}, results,
                          tuple(checks))
