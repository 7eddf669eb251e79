"""Diagnose (feeds formula and number checks): a wrong answer → the likely mistake, in words.

Formula answers are compared with each candidate mistake at the same random points used for
the verdict; a match must hold at every point. Then come checks on the answer as written: a
name used where another belongs (y·(1 − v) for y·(1 − y)), one term with the wrong
coefficient, an antiderivative, a constant factor, a formula right only on part of the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from itertools import combinations, islice

import sympy as sp

from ..numeric import Value, add, format_value, mul, to_mpf
from ..parse import Call, Name, Syntax, free_names
from ..sym import source_text, symbol, to_sympy
from ..verify import simplest, time_budget
from .candidates import RANK, in_names, search
from .points import Env, same, value_at
from .problem import Problem

Finding = tuple[str, str]  # (mistake tag, message)
MAX_SWAPS = 150
MAX_TERMS = 60  # terms of an answer looked at one by one


def values(expr: sp.Expr, points: Sequence[Env]) -> list[Value | None]:
    try:
        return [value_at(expr, env) for env in points]
    except NotImplementedError:  # a formula numeric.evaluate has no rule for (DiracDelta …)
        return [None] * len(points)


def matches(expr: sp.Expr, points: Sequence[Env], given: Sequence[Value | None]) -> bool:
    got = values(expr, points)
    pairs = [(a, b) for a, b in zip(got, given, strict=True) if a is not None and b is not None]
    return len(pairs) == len(points) and all(same(a, b) for a, b in pairs)


def diagnose_formula(problem: Problem, syntax: Syntax, answer: sp.Expr, points: Sequence[Env],
                     truth: Sequence[Value], given: Sequence[Value | None]) -> list[Finding]:
    """The likely mistake (first match wins), then generic hints."""
    capped: list[Finding] = []
    steps: list[Callable[[], Finding | list[Finding] | None]] = [
        lambda: _factor(truth, given),
        lambda: _candidate(problem, points, given, capped),
        lambda: _undifferentiated(problem, syntax, answer, points, truth),
        lambda: _integrated(problem, answer, points),
        lambda: _swapped_name(problem, syntax, points, truth, capped),
        lambda: _term_coefficient(problem, syntax, points, truth, given),
    ]
    for step in steps:
        found = step()
        if found:
            return found if isinstance(found, list) else [found]
    generic = [f for f in (_partial(truth, given), _difference(problem, answer)) if f]
    return generic + capped


def _ratio(a: Sequence[Value | None], b: Sequence[Value]) -> Value | None:
    """The constant c with a = c·b at every point, if there is one."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y != 0]
    if len(pairs) < 3:
        return None
    ratios = [x / y if isinstance(x, Fraction) and isinstance(y, Fraction)
              else to_mpf(x) / to_mpf(y) for x, y in pairs]
    return ratios[0] if all(same(r, ratios[0]) for r in ratios) else None


def _factor(truth: Sequence[Value], given: Sequence[Value | None]) -> Finding | None:
    c = _ratio(given, truth)
    if c is None or same(c, Fraction(1)) or same(c, Fraction(0)):
        return None
    if same(c, Fraction(-1)):
        return "sign", "The sign is wrong: your answer is −1 × the derivative."
    shown = format_value(c, 8, exact=True)
    why = {Fraction(2): " (a factor 2 counted twice?)", Fraction(1, 2): " (a factor 2 lost, "
           "e.g. from the power rule?)"}.get(c, "") if isinstance(c, Fraction) else ""
    return "constant-factor", f"Off by a constant factor: your answer is {shown} × the " \
                              f"derivative{why}."


def _candidate(problem: Problem, points: Sequence[Env], given: Sequence[Value | None],
               capped: list[Finding]) -> list[Finding] | None:
    """The likeliest matching mistake; "equals another partial" only as a second remark."""
    tried, stopped = search(problem)
    if stopped:
        capped.append(("stopped", f"Stopped looking for a typical mistake after {len(tried)} "
                                  "candidates (the expression is large)."))
    found = [c for c in tried if matches(c.expr, points, given)]
    if found:
        found.sort(key=lambda c: RANK.get(c.mistake, 8))
        first = found[0]
        other = [c for c in found[1:] if c.mistake == "wrong-variable"]
        remark = [("remark", f"(Your answer also equals {other[0].message.split(',')[0][8:]}.)")
                  ] if other and first.mistake != "wrong-variable" else []
        return [(first.mistake, first.message), *remark]
    f_values = values(problem.f, points)
    k = _ratio(given, [v for v in f_values]) if None not in f_values else None
    if k is not None:
        return "value", (f"That is {format_value(k, 8, exact=True)} × the function "
                         f"{problem.output_name} itself, not its derivative.")
    return None


def _undifferentiated(problem: Problem, syntax: Syntax, answer: sp.Expr,
                      points: Sequence[Env], truth: Sequence[Value]) -> Finding | None:
    """A term of the function copied into the answer without differentiating it."""
    w = symbol(problem.wrt or "")
    pieces = sp.Add.make_args(sp.expand(problem.f))
    for sign, term in _terms(syntax)[:MAX_TERMS]:
        written = sign * problem.answer(term)
        if not written.has(w) or not any(sp.expand(written - p) == 0 for p in pieces):
            continue
        derivative = sp.diff(written, w)
        if matches(answer - written + derivative, points, truth):
            head = written.func.__name__ if isinstance(written, sp.Function) else ""
            what = {"log": "ln"}.get(head, head) or show_term(written)
            return "undifferentiated", (f"You forgot to differentiate {what}: the term "
                                        f"{show_term(written)} is copied from "
                                        f"{problem.output_name} unchanged; its derivative is "
                                        f"{in_names(derivative, problem)}.")
    return None


def _integrated(problem: Problem, answer: sp.Expr, points: Sequence[Env]) -> Finding | None:
    w = symbol(problem.wrt or "")
    if not answer.has(w) or not matches(sp.diff(answer, w), points, values(problem.f, points)):
        return None
    return "integrated", ("You integrated instead of differentiating: the derivative of your "
                          f"answer is {problem.output_name} itself.")


def _rename(node: Syntax, offsets: set[int], new: str) -> Syntax:
    if isinstance(node, Name):
        return Name(new, node.offset) if node.offset in offsets else node
    if isinstance(node, Call):
        return Call(node.op, tuple(_rename(a, offsets, new) for a in node.args), node.offset,
                    node.length)
    return node


def _swaps(problem: Problem, syntax: Syntax) -> Iterator[tuple[str, str, tuple[int, ...]]]:
    """Names replaced at 1 … 4 of their uses, generated lazily (never all built at once)."""
    occurrences: dict[str, list[int]] = {}
    for name in free_names(syntax):
        occurrences.setdefault(name.id, []).append(name.offset)
    known = [*problem.inputs, *problem.formulas]
    for old, offsets in occurrences.items():
        others = [new for new in known if new != old]
        for k in range(1, min(len(offsets), 4) + 1) if others else ():
            for subset in combinations(offsets, k):
                yield from ((old, new, subset) for new in others)


def _swapped_name(problem: Problem, syntax: Syntax, points: Sequence[Env],
                  truth: Sequence[Value], capped: list[Finding]) -> Finding | None:
    swaps = _swaps(problem, syntax)
    for old, new, offsets in islice(swaps, MAX_SWAPS):
        fixed = problem.answer(_rename(syntax, set(offsets), new))
        if value_at(fixed, points[0]) is None or not same(value_at(fixed, points[0]), truth[0]):
            continue
        if matches(fixed, points, truth):
            cols = ", ".join(str(o + 1) for o in offsets)
            where = f"at column {cols}" if len(offsets) == 1 else f"at columns {cols}"
            return "wrong-name", (f"You wrote {old} where {new} belongs ({where}); with {new} "
                                  "there the answer is right.")
    if next(swaps, None) is not None:
        capped.append(("stopped", f"Stopped looking for a misplaced name after {MAX_SWAPS} "
                                  "tries: the hints above may not be all."))
    return None


def _terms(node: Syntax, sign: int = 1) -> list[tuple[int, Syntax]]:
    """The signed terms of a sum, left to right (iterative: a sum of any length)."""
    terms: list[tuple[int, Syntax]] = []
    stack = [(node, sign)]
    while stack:
        item, s = stack.pop()
        if isinstance(item, Call) and item.op in ("add", "sub"):
            stack.append((item.args[1], -s if item.op == "sub" else s))
            stack.append((item.args[0], s))
        elif isinstance(item, Call) and item.op == "neg":
            stack.append((item.args[0], -s))
        else:
            terms.append((s, item))
    return terms


def _term_coefficient(problem: Problem, syntax: Syntax, points: Sequence[Env],
                      truth: Sequence[Value], given: Sequence[Value | None]) -> Finding | None:
    terms = _terms(syntax)[:MAX_TERMS]
    if len(terms) < 2 or None in given:
        return None
    gap = [add(t, mul(g, Fraction(-1))) for t, g in zip(truth, given, strict=True)]  # type: ignore[arg-type]
    for sign, term in terms:
        lam = _ratio(gap, values(sign * problem.answer(term), points))  # type: ignore[arg-type]
        if lam is None:
            continue
        written = sign * to_sympy(term)
        coeff, rest = written.as_coeff_Mul()
        if same(lam, Fraction(-1)):
            return "extra-term", f"The term {show_term(written)} should not be there; the " \
                                 "rest of your answer is right."
        factor = _rational(1 + lam)
        if factor is not None:
            new = coeff * sp.Rational(factor.numerator, factor.denominator)
            return "term-coefficient", (f"The term {show_term(written)} should have the "
                                        f"coefficient {show_term(new)}, not {show_term(coeff)}; "
                                        "the rest of your answer is right.")
    return None


def _rational(value: Value) -> Fraction | None:
    """A 50-digit value that is really a simple fraction (−1/3), else None."""
    guess = value if isinstance(value, Fraction) else \
        Fraction(str(to_mpf(value))).limit_denominator(1000)
    return guess if same(guess, value) else None


def show_term(expr: sp.Expr) -> str:
    return source_text(expr)


def _partial(truth: Sequence[Value], given: Sequence[Value | None]) -> Finding | None:
    agree = sum(1 for t, g in zip(truth, given, strict=True) if g is not None and same(t, g))
    if 0 < agree < len(truth):
        return "partly-right", (f"Your answer agrees with the derivative at {agree} of "
                                f"{len(truth)} test points: it may be right on part of the "
                                "domain only (a missing case, e.g. of max, relu or abs?).")
    return None


def _difference(problem: Problem, answer: sp.Expr) -> Finding | None:
    try:
        with time_budget(0.5):
            gap = sp.factor(problem.truth - answer)
    except (TimeoutError, RecursionError):
        return None
    gap = simplest(gap)
    if sp.count_ops(gap) > 8 or gap.has(sp.Heaviside, sp.Piecewise):
        return None
    return "difference", f"The right answer is yours plus {in_names(gap, problem)}."
