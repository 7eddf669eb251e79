"""Likely mistakes (feeds diagnose): the derivative's structure → what a typical slip would give.

Each candidate is the formula a student would write after one typical mistake: the sign
flipped, the function itself, the derivative for another variable, a chain-rule factor left
out, a product-rule term dropped or the derivatives multiplied. SymPy builds them from the
expression; formula checks compare them at random points, number checks at the given point.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..sym import symbol
from .problem import Problem
from .verdict import show

MAX_SUBEXPRESSIONS = 40


@dataclass(frozen=True)
class Candidate:
    mistake: str  # sign | value | wrong-variable | chain-factor | product-rule
    message: str
    expr: sp.Expr  # the formula that mistake produces, in the inputs


def in_names(expr: sp.Expr, problem: Problem) -> str:
    """Show a formula using the program's names where they fit (σ(w·x) → p)."""
    named = sorted(((k, v) for k, v in problem.formulas.items()
                    if k != problem.output_name and not v.is_Atom),
                   key=lambda item: -sp.count_ops(item[1]))
    for name, formula in named:
        expr = expr.xreplace({formula: symbol(name)})
    return show(expr)


def candidates(problem: Problem) -> list[Candidate]:
    """Every one-slip variant of the derivative, most specific first."""
    if problem.truth is None or problem.wrt is None:
        return []
    found = [*_basic(problem), *_chain(problem), *_product(problem)]
    unique: dict[str, Candidate] = {}
    for c in found:
        unique.setdefault(c.message, c)
    return list(unique.values())


def _basic(problem: Problem) -> list[Candidate]:
    truth, out, wrt = problem.truth, problem.output_name, problem.wrt
    found = [Candidate("sign", "The sign is wrong: your answer is −1 × the derivative.", -truth),
             Candidate("value", f"That is the function {out} itself, not its derivative.",
                       problem.f)]
    for name in problem.inputs:
        if name != wrt:
            found.append(Candidate(
                "wrong-variable", f"That is ∂{out}/∂{name}, the derivative with respect to "
                f"{name}; the question asks for ∂{out}/∂{wrt}.", sp.diff(problem.f, symbol(name))))
    return found


def _subexpressions(problem: Problem) -> list[sp.Expr]:
    w = symbol(problem.wrt or "")
    subs = [e for e in sp.preorder_traversal(problem.f)
            if not e.is_Atom and e.has(w) and e != problem.f]
    return list(dict.fromkeys(subs))[:MAX_SUBEXPRESSIONS]


def _chain(problem: Problem) -> list[Candidate]:
    w, out = symbol(problem.wrt or ""), problem.output_name
    s = sp.Dummy("s", real=True)
    found = []
    for u in _subexpressions(problem):
        outer = problem.f.xreplace({u: s})
        inner = sp.diff(u, w)
        if outer.has(w) or not outer.has(s) or inner.is_Number:
            continue
        shown = in_names(u, problem)
        name = shown if shown.isidentifier() else f"({shown})"
        found.append(Candidate(
            "chain-factor", f"Missing chain-rule factor: your answer is ∂{out}/∂{name}, the "
            f"outer derivative alone; multiply by ∂{name}/∂{problem.wrt} = "
            f"{in_names(inner, problem)}.", sp.diff(outer, s).xreplace({s: u})))
    return found + _dropped_links(problem)


def _dropped_links(problem: Problem) -> list[Candidate]:
    """The derivative with one function's own derivative (σ′, 2·(…), cos …) left out."""
    w, truth = symbol(problem.wrt or ""), problem.truth
    s = sp.Dummy("s", real=True)
    found = []
    for e in _subexpressions(problem) + [problem.f]:
        if not (isinstance(e, sp.Function) or (e.is_Pow and not e.exp.has(w))):
            continue
        arg = e.args[0]
        local = sp.diff(e.xreplace({arg: s}), s).xreplace({s: arg})
        if local.is_Number or not arg.has(w):
            continue
        found.append(Candidate(
            "chain-factor", f"Missing chain-rule factor {in_names(local, problem)}: the "
            f"derivative of {in_names(e, problem)} with respect to its inside "
            f"{in_names(arg, problem)} is not in your answer.", truth / local))
    return found


def _product(problem: Problem) -> list[Candidate]:
    w, truth = symbol(problem.wrt or ""), problem.truth
    s = sp.Dummy("s", real=True)
    found = []
    for m in [e for e in _subexpressions(problem) + [problem.f] if e.is_Mul]:
        deps = [a for a in m.args if a.has(w)]
        if len(deps) < 2:
            continue
        u, v = deps[0], m / deps[0]
        adjoint = sp.diff(problem.f.xreplace({m: s}), s).xreplace({s: m})
        du, dv = sp.diff(u, w), sp.diff(v, w)
        pu, pv = in_names(u, problem), in_names(v, problem)
        found += [
            Candidate("product-rule", f"Product rule: you multiplied the derivatives of {pu} "
                      f"and {pv}; the rule is (u·v)′ = u′·v + u·v′.",
                      truth - adjoint * (du * v + u * dv) + adjoint * du * dv),
            Candidate("product-rule", f"Product rule with a term missing: the term with the "
                      f"derivative of {pv} (that is {pu}·({in_names(dv, problem)})) is not "
                      "there.", truth - adjoint * u * dv),
            Candidate("product-rule", f"Product rule with a term missing: the term with the "
                      f"derivative of {pu} (that is ({in_names(du, problem)})·{pv}) is not "
                      "there.", truth - adjoint * du * v)]
    return found
