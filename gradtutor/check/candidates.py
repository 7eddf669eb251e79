"""Likely mistakes (feeds diagnose): the derivative's structure → what a typical slip would give.

Each candidate is the formula a student would write after one typical mistake: the sign
flipped, the function itself, the derivative for another variable, a chain-rule factor left
out, a product-rule term dropped or the derivatives multiplied. SymPy builds them from the
expression; formula checks compare them at random points, number checks at the given point.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import sympy as sp

from ..parse import Call, Name, Syntax, free_names
from ..sym import symbol, to_sympy
from .problem import Problem
from .verdict import show

MAX_SUBEXPRESSIONS = 40
MAX_CANDIDATES = 200  # the work cap: candidates are built lazily, at most this many
MAX_OCCURRENCES = 30
# How students really go wrong, most likely first; "equals another partial" only as a remark.
RANK = {"chain-factor": 0, "product-rule": 1, "fan-out": 2, "sign-flip": 3, "no-upstream": 4,
        "undifferentiated": 5, "sign": 6, "value": 7, "wrong-variable": 9}
_HELD = "held__"


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


def candidates(problem: Problem) -> Iterator[Candidate]:
    """One-slip variants of the derivative, built lazily, at most MAX_CANDIDATES of them."""
    if problem.truth is None or problem.wrt is None:
        return iter(())
    return islice(_unique(problem), MAX_CANDIDATES)


def search(problem: Problem) -> tuple[list[Candidate], bool]:
    """The candidates within the work cap, and whether the cap stopped the search."""
    if problem.truth is None or problem.wrt is None:
        return [], False
    found = _unique(problem)
    first = list(islice(found, MAX_CANDIDATES))
    return first, next(found, None) is not None


def _unique(problem: Problem) -> Iterator[Candidate]:
    seen: set[str] = set()
    for c in _all(problem):
        if c.message not in seen:
            seen.add(c.message)
            yield c


def _all(problem: Problem) -> Iterator[Candidate]:
    yield from _basic(problem)
    yield from _paths(problem)
    yield from _chain(problem)
    yield from _dropped_factors(problem)
    yield from _product(problem)


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


def _dropped_factors(problem: Problem) -> Iterator[Candidate]:
    """The derivative with one of its factors (a weight, an input, σ′ …) left out."""
    factors = [f for f in sp.Mul.make_args(sp.factor_terms(problem.truth)) if not f.is_Number]
    if len(factors) < 2:
        return
    for factor in factors:
        yield Candidate("chain-factor", f"A factor is missing: your answer lacks the factor "
                        f"{in_names(factor, problem)} (the chain rule multiplies every local "
                        f"partial along the path).", problem.truth / factor)


def _factor_text(expr: sp.Expr, problem: Problem) -> str:
    """A factor of a product as written: parenthesised unless it is a name, number or call."""
    text = in_names(expr, problem)
    atomic = expr.is_Atom or isinstance(expr, sp.Function) or text.isidentifier()
    return text if atomic and not text.startswith("-") else f"({text})"


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
        pu, pv = _factor_text(u, problem), _factor_text(v, problem)
        found += [
            Candidate("product-rule", f"Product rule: you multiplied the derivatives of {pu} "
                      f"and {pv}; the rule is (u·v)′ = u′·v + u·v′.",
                      truth - adjoint * (du * v + u * dv) + adjoint * du * dv),
            Candidate("product-rule", f"Product rule with a term missing: the term with the "
                      f"derivative of {pv} (that is {pu}·{_factor_text(dv, problem)}) is not "
                      "there.", truth - adjoint * u * dv),
            Candidate("product-rule", f"Product rule with a term missing: the term with the "
                      f"derivative of {pu} (that is {_factor_text(du, problem)}·{pv}) is not "
                      "there.", truth - adjoint * du * v)]
    return found


def _occurrences(problem: Problem) -> list[tuple[int, Name]]:
    """(statement, name) for each use of wrt or of an assigned name that depends on it."""
    w = symbol(problem.wrt or "")
    depends = {k for k, v in problem.formulas.items() if v.has(w) and k != problem.wrt}
    return [(k, n) for k, st in enumerate(problem.program.statements)
            for n in free_names(st.value) if n.id == problem.wrt or n.id in depends]


def _contribution(problem: Problem, k: int, use: Name) -> sp.Expr:
    """The part of the derivative that flows through this one use (one fan-out edge)."""
    held = symbol(_HELD)
    env: dict[str, sp.Expr] = {}
    for i, st in enumerate(problem.program.statements):
        value = st.value if i != k else _hold(st.value, use.offset)
        env[st.target] = to_sympy(value, env)
    inner = problem.formulas.get(use.id, symbol(use.id))
    outer = sp.diff(env[problem.program.output], held).xreplace({held: inner})
    return outer * sp.diff(inner, symbol(problem.wrt or ""))


def _local(problem: Problem, k: int, use: Name) -> Candidate | None:
    """The local partial of the operation using ``wrt`` here, with no upstream adjoint."""
    parent = _parent(problem.program.statements[k].value, use.offset)
    if parent is None or use.id != problem.wrt:
        return None
    held = symbol(_HELD)
    op = to_sympy(_hold(parent, use.offset), problem.formulas)
    local = sp.diff(op, held).xreplace({held: symbol(use.id)})
    if local == problem.truth or sp.simplify(local - _contribution(problem, k, use)) == 0:
        return None  # the upstream adjoint is 1 here: leaving it out changes nothing
    shown = in_names(op.xreplace({held: symbol(use.id)}), problem)
    return Candidate("no-upstream", f"You used the local derivative ∂({shown})/∂{use.id} = "
                     f"{in_names(local, problem)} without multiplying by the upstream adjoint "
                     f"∂{problem.output_name}/∂({shown}).", local)


def _parent(node: Syntax, offset: int) -> Call | None:
    """The operation that takes the name written at ``offset`` as an argument."""
    stack = [node]
    while stack:
        here = stack.pop()
        if isinstance(here, Call):
            if any(isinstance(a, Name) and a.offset == offset for a in here.args):
                return here
            stack.extend(here.args)
    return None


def _hold(node: Syntax, offset: int) -> Syntax:
    if isinstance(node, Name):
        return Name(_HELD, node.offset) if node.offset == offset else node
    if isinstance(node, Call):
        return Call(node.op, tuple(_hold(a, offset) for a in node.args), node.offset,
                    node.length)
    return node


def _paths(problem: Problem) -> Iterator[Candidate]:
    """A fan-out contribution dropped, or one path's local partial with its sign flipped."""
    uses = _occurrences(problem)
    if len(uses) > MAX_OCCURRENCES:
        return
    for k, use in uses:
        local = _local(problem, k, use)
        if local is not None:
            yield local
    if len(uses) < 2:
        return
    truth, wrt = problem.truth, problem.wrt
    for k, use in uses:
        part = _contribution(problem, k, use)
        if part == 0:
            continue
        where = f"the use of {use.id} at column {use.offset + 1}"
        shown = in_names(part, problem)
        yield Candidate("fan-out", f"Missing fan-out contribution: {wrt} reaches the output "
                        f"along several paths and the derivative is the sum of one contribution "
                        f"per path; yours leaves out the path through {where} "
                        f"(its contribution is {shown}).", truth - part)
        yield Candidate("sign-flip", f"Sign slip on one path: the contribution through {where} "
                        f"should be {shown}, yours has the opposite sign.", truth - 2 * part)
