"""Solve stage, descent parts: loss + start + learning rate → iterates, loss and gradient per step.

The update rule is shown symbolically (p ← p − η·∂f/∂p) and then run exactly while the
numbers stay rational, with DIGITS-digit arithmetic once an exp or σ enters. With
``samples`` it is stochastic gradient descent: step k uses sample k (cycling).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from ..errors import DomainError
from ..numeric import OutsideDomain, Value, format_value, from_sympy, to_mpf
from ..problems import Part, Problem
from ..sym import symbol
from .common import Check, map_checks, number_check, point, resolve, tidy, value_at


@dataclass(frozen=True)
class DescentStep:
    step: int
    params: dict[str, Value]  # before the update
    data: dict[str, Value]  # the sample used (SGD), else the fixed values
    loss: Value
    gradient: dict[str, Value]


@dataclass(frozen=True)
class DescentResult:
    f: sp.Expr
    partials: dict[str, sp.Expr]
    rate: sp.Expr
    steps: tuple[DescentStep, ...]
    final: dict[str, Value]
    final_loss: Value | None  # None in SGD (the loss depends on the sample)
    checks: tuple[Check, ...]


def solve_descent(problem: Problem, part: Part) -> DescentResult:
    spec = part.spec
    params = spec["params"]
    f = resolve(problem, spec["f"])
    partials = {n: tidy(sp.diff(f, symbol(n))) for n in params}
    rate = from_sympy(spec["rate"].value)
    current = {n: from_sympy(spec["start"][n].value) if n in spec["start"] else None
               for n in params}
    samples = spec.get("samples") or ({},)
    fixed = point(problem, part, f, skip=tuple(params), strict=False)
    rows = []
    for k in range(spec["steps"] + 1):
        data = {symbol(n): q.value for n, q in samples[k % len(samples)].items()}
        env = {**fixed, **data, **{symbol(n): v for n, v in current.items()}}
        _require(problem, part, f, env)
        loss, gradient = _evaluate(problem, part, k, f, partials, env, current)
        rows.append(DescentStep(k, dict(current), {s.name: from_sympy(v) for s, v in
                                                   {**fixed, **data}.items()}, loss, gradient))
        current = {n: _bounded(_minus(current[n], _times(rate, gradient[n]))) for n in params}
    final = dict(rows[-1].params)
    final_loss = rows[-1].loss if len(samples) == 1 else None
    answer = part.answer or {}
    checks = map_checks("final", answer.get("final", {}), final)
    if "loss" in answer:
        checks.append(number_check("loss", answer["loss"], final_loss) if final_loss is not None
                      else Check("loss", False, answer["loss"].text, "(SGD: no single loss)"))
    return DescentResult(f, partials, spec["rate"].value, tuple(rows[:-1]), final, final_loss,
                         tuple(checks))


def _evaluate(problem: Problem, part: Part, k: int, f: sp.Expr, partials: dict[str, sp.Expr],
              env: dict, current: dict[str, Value]) -> tuple[Value, dict[str, Value]]:
    """The loss and its gradient at step ``k``; a step that left the domain says so."""
    try:
        return value_at(f, env), {n: value_at(d, env) for n, d in partials.items()}
    except (OutsideDomain, ZeroDivisionError) as err:
        where = ", ".join(f"{n} = {format_value(v)}" for n, v in current.items())
        raise DomainError(f"{part.where.get('rate', problem.path)}: after {k} step(s) the "
                          f"parameters ({where}) leave the loss's domain: {err}",
                          hint="use a smaller rate or another start") from None


EXACT_BITS = 3_400  # ~1,000 digits: past this an iterate continues as a DIGITS-digit number


def _bounded(value: Value) -> Value:
    """Exact while the fraction stays small; iterates of a polynomial loss grow in digits
    geometrically (w − η·4w³ triples them each step), so large ones continue numerically."""
    if isinstance(value, Fraction) and \
            max(value.numerator.bit_length(), value.denominator.bit_length()) > EXACT_BITS:
        return to_mpf(value)
    return value


def _times(a: Value, b: Value) -> Value:
    return a * b if type(a) is type(b) else to_mpf(a) * to_mpf(b)


def _minus(a: Value, b: Value) -> Value:
    return a - b if type(a) is type(b) else to_mpf(a) - to_mpf(b)


def _require(problem: Problem, part: Part, f: sp.Expr, env: dict) -> None:
    missing = sorted(s.name for s in f.free_symbols if s not in env or env[s] is None)
    if missing:
        from ..errors import InputError

        raise InputError(f"{part.where.get('start', problem.path)}: no value for "
                         f"{', '.join(repr(m) for m in missing)}",
                         hint="give every parameter a start value and every other "
                              "variable a value in at:, given: or samples:")
