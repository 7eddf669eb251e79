"""Solve stage, shared: a part's formulas + the problem's givens → SymPy inputs; answers → checks.

Every kind resolves its formulas the same way (definitions substituted, the variable being
differentiated kept), evaluates at a point the same way (exact while rational), and compares
a model answer the same way (exact, or to the digits the answer was written with).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from ..budget import deadline
from ..errors import InputError
from ..functions import leaky_relu, relu, sigmoid, softplus
from ..numeric import DIGITS, OutsideDomain, Value, evaluate, from_sympy, to_mpf
from ..problem_schema import Quantity
from ..problems import Part, Problem
from ..sym import source_text, symbol

MAX_OPS = 400  # skip sp.simplify on larger expressions (it can take minutes)
# simplify is tried only between these sizes of the shortest cheap form: below, it has little
# to add; above, it costs ~0.2 s a call and rarely finds shorter (solve on a 1,000-part file)
SHORT_OPS, SIMPLIFY_OPS = 3, 19
SIMPLIFY_SECONDS = 2.0  # the display form's budget; past it the shortest cheap form is shown


@dataclass(frozen=True)
class Check:
    """One key of the model answer compared with the solver's result."""

    key: str
    ok: bool
    expected: str  # the model answer as written
    got: str  # the solver's result, as text


def resolve(problem: Problem, expr: sp.Expr, keep: tuple[str, ...] = ()) -> sp.Expr:
    """Substitute the problem's definitions into ``expr`` (repeatedly), except names in keep."""
    defs = {symbol(n): e for n, e in problem.definitions.items() if n not in keep}
    for _ in range(len(defs) + 1):
        new = expr.xreplace(defs)
        if new == expr:
            break
        expr = new
    return expr


def point(problem: Problem, part: Part, expr: sp.Expr, skip: tuple[str, ...] = (),
          strict: bool = True) -> dict[sp.Symbol, sp.Expr]:
    """Values for the free symbols of ``expr``: the part's ``at`` over the problem's given.

    ``strict``: every free symbol needs a value; otherwise the known ones are returned.
    """
    values = {n: q.value for n, q in problem.values.items()}
    values.update({n: q.value for n, q in part.spec.get("at", {}).items()})
    names = sorted(s.name for s in expr.free_symbols if s.name not in skip)
    missing = [n for n in names if n not in values]
    if not strict:
        names = [n for n in names if n in values]
    elif missing:
        where = part.where.get("at", part.where.get("kind", problem.path))
        raise InputError(f"{where}: no value for {', '.join(repr(m) for m in missing)}",
                         hint=f"add it to at: or given:, e.g. at: {{{missing[0]}: 1}}")
    return {symbol(n): values[n] for n in names}


def substitute(expr: sp.Expr, values: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    return expr.xreplace(values)


def value_at(expr: sp.Expr, values: dict[sp.Symbol, Any]) -> Value:
    """Evaluate exactly while rational, else to DIGITS digits (numeric.evaluate)."""
    env = {s: from_sympy(v) if isinstance(v, sp.Basic) else v for s, v in values.items()}
    try:
        return evaluate(expr, env)
    except NotImplementedError:
        return from_sympy(sp.N(expr.xreplace(values).rewrite(sp.exp), DIGITS + 10))


def smooth(expr: sp.Expr) -> sp.Expr:
    """Activations written with exp, and kinks as Max, so SymPy's algorithms apply."""
    for head, form in _SMOOTH.items():
        expr = expr.replace(head, form)
    return expr


def numeric_calls(expr: sp.Expr) -> sp.Expr:
    """Activations of plain numbers written out so they evaluate: θ·σ(0)·(1 − σ(0)) → θ/4."""
    return expr.replace(lambda e: isinstance(e, sp.Function) and bool(e.args)
                        and all(a.is_number for a in e.args), smooth)


_SMOOTH = {sigmoid: lambda a: 1 / (1 + sp.exp(-a)), softplus: lambda a: sp.log(1 + sp.exp(a)),
           sp.tanh: lambda a: (sp.exp(2 * a) - 1) / (sp.exp(2 * a) + 1),
           relu: lambda a: sp.Max(0, a), leaky_relu: lambda a: sp.Max(a, a / 100)}


def tidy(expr: sp.Expr) -> sp.Expr:
    """A short form of ``expr`` for display: cheap forms first; ``simplify`` only when they are
    still long, and within SIMPLIFY_SECONDS (never on huge expressions)."""
    if sp.count_ops(expr) > MAX_OPS:
        return expr
    heads = _heads(expr)
    forms = [expr]
    try:
        with deadline(SIMPLIFY_SECONDS):
            forms += [sp.factor_terms(expr), sp.together(expr)]
            if SHORT_OPS < min(sp.count_ops(f) for f in forms) <= SIMPLIFY_OPS:
                forms.append(sp.simplify(expr))
    except (TimeoutError, RecursionError, sp.PolynomialError):
        pass
    return min((f for f in forms if _heads(f) <= heads), key=sp.count_ops)


def _heads(expr: sp.Expr) -> set[type]:
    return {a.func for a in sp.preorder_traversal(expr) if isinstance(a, sp.Function)}


def sample_points(symbols: list[sp.Symbol], count: int = 12, seed: int = 7
                  ) -> list[dict[sp.Symbol, Fraction]]:
    rng = random.Random(seed)
    return [{s: Fraction(rng.randint(-2400, 2400), 1000) for s in symbols} for _ in range(count)]


def same_function(a: sp.Expr, b: sp.Expr, assume: Any = None) -> bool:
    """True if a = b for all values: proved by simplify, or else checked at sample points.
    With the problem's ``assume`` (y: binary, theta: positive …): in every case they allow."""
    if assume:
        from ..assume import cases, parse_assumptions

        return all(same_function(a.xreplace(c), b.xreplace(c))
                   for c in cases(parse_assumptions(assume)))
    diff = smooth(a - b)
    if sp.count_ops(diff) <= MAX_OPS and sp.simplify(diff) == 0:
        return True
    agreed = 0
    symbols = sorted(diff.free_symbols, key=lambda s: s.name)
    for values in sample_points(symbols, 24):
        try:
            x, y = to_mpf(value_at(a, values)), to_mpf(value_at(b, values))
        except (OutsideDomain, ZeroDivisionError):
            continue
        if abs(x - y) > 1e-30 * max(1, abs(x)):
            return False
        agreed += 1
    return agreed >= 6


def decimals(text: str) -> int | None:
    """Digits after the point of a plain decimal such as 0.8022, else None (exact)."""
    match = re.fullmatch(r"\s*[-+]?\d*\.(\d+)\s*", text)
    return len(match.group(1)) if match else None


def same_number(answer: Quantity, result: sp.Expr | Value) -> bool:
    """Exactly equal, or equal once rounded to the decimals the answer was written with."""
    if answer.value.free_symbols or (isinstance(result, sp.Basic) and result.free_symbols):
        return sp.simplify(smooth(answer.value - result)) == 0  # theta/4 = θ·(1 − σ(0))·σ(0)
    if isinstance(result, sp.Basic) and (result.is_infinite or answer.value.is_infinite):
        return bool(result == answer.value)
    got = result if not isinstance(result, sp.Basic) else from_sympy(result)
    want = from_sympy(answer.value)
    if isinstance(got, Fraction) and isinstance(want, Fraction) and got == want:
        return True
    places = decimals(answer.text)
    tolerance = 0.5 * to_mpf(Fraction(1, 10 ** places)) if places is not None else \
        to_mpf(Fraction(1, 10 ** 30)) * max(1, abs(to_mpf(want)))
    return abs(to_mpf(got) - to_mpf(want)) <= tolerance * (1 + 1e-12)


def text(expr: Any) -> str:
    """A formula as the user would type it (^ for powers)."""
    return source_text(expr) if isinstance(expr, sp.Basic) else str(expr)


def number_check(key: str, answer: Quantity, result: sp.Expr | Value) -> Check:
    shown = text(result) if isinstance(result, sp.Basic) and not result.is_Number else \
        str(result)
    return Check(key, same_number(answer, result), answer.text, shown)


def map_checks(key: str, answers: dict[str, Quantity], results: dict[str, Any]) -> list[Check]:
    checks = []
    for name, answer in answers.items():
        if name not in results:
            checks.append(Check(f"{key}.{name}", False, answer.text, "(no such result)"))
        else:
            checks.append(number_check(f"{key}.{name}", answer, results[name]))
    return checks
