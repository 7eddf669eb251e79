"""Check, index parts: a student's index pattern → verdict with the index-form diagnoses.

The pattern is expanded at the part's sizes (the same cases solve uses) and compared entry by
entry with the Jacobian. A wrong pattern is changed in the ways students slip — two free
indices swapped, a missing δ, a matrix entry transposed, a δ too many, the sign — and if the
changed pattern is right, the feedback names that slip; a pattern that is right with an
activation's derivative replaced by 1 has left out the elementwise factor (σ′, the ReLU mask).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np

from ..errors import DomainError, GradtutorError, InputError
from ..graph import Graph
from ..index_cases import IndexSetup, index_setup
from ..index_eval import MAX_EVALUATIONS, check_ranges, expand, first_difference, same
from ..index_form import ICall, IDelta, IEntry, IExpr, INum, ISum
from ..index_show import show_index
from ..solve.index import compare, derivative_text, read_pattern
from ..tensor_sweep import TensorForward, gradient_of, jacobian_sweeps, run_tensor_reverse
from .verdict import RIGHT, WRONG, CheckResult, Verdict

Slip = tuple[IExpr, str, str]  # (changed pattern, feedback if it is right, mistake tag)


def part_setup(part: Any) -> IndexSetup:
    spec = part.spec
    return _setup(spec["f"], spec["of"], spec["wrt"], tuple(spec.get("shapes", {}).items()))


@lru_cache(maxsize=16)
def _setup(f: str, of: str, wrt: str, shapes: tuple) -> IndexSetup:
    return index_setup(f, of, wrt, dict(shapes))  # a class of sheets builds its cases once


def check_index_part(problem: Any, part: Any, answer: str) -> CheckResult:
    """``gradtutor check NAME --part ID --answer "delta(k,i)*x[j]"``."""
    setup = part_setup(part)
    verdict = judge_pattern(setup, answer, (part.answer or {}).get("pattern", ""))
    labels = "; ".join(case.label for case in setup.cases)
    return CheckResult("index", f"{verdict.item} (part {part.id})", (verdict,), (
        f"compared entry by entry with the Jacobian at sizes {labels} (random rational "
        "values)",))


def check_index_sheet(problem: Any, part: Any, solved: Any, given: dict) -> list[Verdict]:
    """An answer sheet's index part: ``dz_dW: {pattern: "delta(k,i)*x[j]"}``."""
    verdicts = []
    for key, answer in given.items():
        if key == "pattern":
            verdict = judge_pattern(part_setup(part), answer.text,
                                    (part.answer or {}).get("pattern", ""))
            verdicts.append(replace(verdict, item=f"{part.id}.pattern"))
    return verdicts


def judge_pattern(setup: IndexSetup, answer: str, model: str) -> Verdict:
    item = derivative_text(setup.of, setup.wrt)
    expected = show_index(read_pattern(model, setup)) if model else "(see the Jacobian)"
    expr = read_pattern(answer, setup)  # a bad expression is an error with a caret (exit 2)
    try:
        rows = compare(expr, setup, answer)
    except DomainError as err:  # undefined where the derivative is defined: wrong, not bad
        return Verdict(item, WRONG, answer, expected, (
            f"your pattern cannot be evaluated at some entries (random values): {err.message}, "
            "but the derivative is defined at every entry",), "undefined")
    except InputError as err:  # an index on the wrong axis: a slip that fixes it is named
        found = diagnose(expr, setup)
        if found is None:
            raise
        return Verdict(item, WRONG, answer, expected, (found[0], err.message), found[1])
    if all(r[2] == "agrees" for r in rows):
        return Verdict(item, RIGHT, answer, expected, policy="every entry, exactly")
    found = diagnose(expr, setup)
    first = next(f"at sizes {r[0]} (random values), the pattern "
                 f"{r[2].replace('the pattern gives', 'yours gives')}"
                 for r in rows if r[2] != "agrees")
    if found is None:
        return Verdict(item, WRONG, answer, expected, (first,))
    return Verdict(item, WRONG, answer, expected, (found[0], first), found[1])


def agrees(expr: IExpr, setup: IndexSetup, budget: list[int],
           truths: list[np.ndarray] | None = None) -> bool:
    """Right at every case (against ``truths`` if given); spends the shared ``budget``."""
    try:
        for n, case in enumerate(setup.cases):
            check_ranges(expr, case, "")
            values = expand(expr, case, setup.free, budget)
            if first_difference(values, case.jacobian if truths is None else truths[n]) \
                    is not None:
                return False
    except GradtutorError:
        return False
    return True


def diagnose(expr: IExpr, setup: IndexSetup) -> tuple[str, str] | None:
    budget = [MAX_EVALUATIONS]  # one budget for every diagnosis together
    for changed, feedback, tag in slips(expr, setup):
        if agrees(changed, setup, budget):
            return feedback, tag
    return _missing_factor(expr, setup, budget) or _diagonal_only(expr, setup, budget)


def _diagonal_only(expr: IExpr, setup: IndexSetup, budget: list[int]
                   ) -> tuple[str, str] | None:
    """Right wherever an output index equals an input index, wrong elsewhere."""
    for a in setup.of.indices:
        for b in setup.wrt.indices:
            pa, pb = setup.free.index(a), setup.free.index(b)
            try:
                ok = all(all(same(v, t) for combo, v, t in _entries_of(expr, case, setup, budget)
                             if combo[pa] == combo[pb]) for case in setup.cases)
            except GradtutorError:
                return None
            if ok:
                return (f"your pattern is right only where {a} = {b}: off that diagonal the "
                        f"derivative is different (does a δ_{a}{b} belong somewhere?)",
                        "diagonal-only")
    return None


def _entries_of(expr: IExpr, case: Any, setup: IndexSetup, budget: list[int]
                ) -> Iterator[tuple]:
    check_ranges(expr, case, "")
    values = expand(expr, case, setup.free, budget)
    for combo in np.ndindex(values.shape):
        yield combo, values[combo], case.jacobian[combo]


def slips(expr: IExpr, setup: IndexSetup) -> Iterator[Slip]:
    for entry in _entries(expr):
        if len(entry.indices) == 2 and entry.indices[0] != entry.indices[1]:
            flipped = replace(entry, indices=entry.indices[::-1])
            yield (_swap_node(expr, entry, flipped), f"{show_index(entry)} should be "
                   f"{show_index(flipped)}: you used the transpose of {entry.name}", "transpose")
    for a, b in combinations(setup.free, 2):
        yield (rename(expr, {a: b, b: a}), f"you swapped {a} and {b}: with them exchanged "
               "your pattern is right", "swapped-indices")
    of, wrt = setup.of.indices, setup.wrt.indices
    for one in [n for n in _walk(expr) if isinstance(n, INum) and n.value == 1]:
        for a in of:
            for b in wrt:
                delta = show_index(IDelta(a, b, 0))
                yield (_swap_node(expr, one, IDelta(a, b, 0)), f"where you wrote 1, {delta} "
                       f"belongs: the 1 holds only where {a} = {b}", "one-for-delta")
    for a in of:
        for b in wrt:
            delta = show_index(IDelta(a, b, 0))
            yield (ICall("mul", (expr, IDelta(a, b, 0)), 0), f"true only where {a} = {b}; "
                   f"elsewhere the derivative is 0: the pattern needs {delta}", "missing-delta")
    for node in _walk(expr):
        if isinstance(node, IDelta):
            yield (_swap_node(expr, node, INum(_ONE, 0)), f"{show_index(node)} does not belong: "
                   "the derivative is not zero off that diagonal", "extra-delta")
    yield ICall("neg", (expr,), 0), "your pattern has the opposite sign of the right one", "sign"


_ONE = Fraction(1)


def rename(expr: IExpr, mapping: dict[str, str]) -> IExpr:
    if isinstance(expr, IEntry):
        return replace(expr, indices=tuple(mapping.get(i, i) if isinstance(i, str) else i
                                           for i in expr.indices))
    if isinstance(expr, IDelta):
        return replace(expr, a=_get(mapping, expr.a), b=_get(mapping, expr.b))
    if isinstance(expr, ICall):
        return replace(expr, args=tuple(rename(a, mapping) for a in expr.args))
    if isinstance(expr, ISum):
        return replace(expr, body=rename(expr.body, mapping))
    return expr


def _get(mapping: dict[str, str], index: Any) -> Any:
    return mapping.get(index, index) if isinstance(index, str) else index


def _walk(expr: IExpr) -> list[IExpr]:
    out, stack = [], [expr]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.args if isinstance(node, ICall) else
                     (node.body,) if isinstance(node, ISum) else ())
    return out[::-1]


def _entries(expr: IExpr) -> list[IEntry]:
    seen: dict[tuple, IEntry] = {}
    for node in _walk(expr):
        if isinstance(node, IEntry):
            seen.setdefault((node.name, node.indices), node)
    return list(seen.values())


def _swap_node(expr: IExpr, old: IExpr, new: IExpr) -> IExpr:
    """Every occurrence of ``old`` (same name and indices, any position) replaced by ``new``."""
    if _same(expr, old):
        return new
    if isinstance(expr, ICall):
        return replace(expr, args=tuple(_swap_node(a, old, new) for a in expr.args))
    if isinstance(expr, ISum):
        return replace(expr, body=_swap_node(expr.body, old, new))
    return expr


def _same(a: IExpr, b: IExpr) -> bool:
    if isinstance(a, INum) and isinstance(b, INum):
        return a is b
    if isinstance(a, IEntry) and isinstance(b, IEntry):
        return (a.name, a.indices) == (b.name, b.indices)
    return isinstance(a, IDelta) and isinstance(b, IDelta) and (a.a, a.b) == (b.a, b.b)


def _missing_factor(expr: IExpr, setup: IndexSetup, budget: list[int]
                    ) -> tuple[str, str] | None:
    from .tensor import ACTIVATIONS

    graph = setup.cases[0].result.graph
    for node in graph.steps:
        if node.op in ACTIVATIONS and node.shape:
            truths = [_jacobian_without(case, node.index, setup) for case in setup.cases]
            if agrees(expr, setup, budget, truths):
                return (f"you left out the elementwise factor {ACTIVATIONS[node.op]} of "
                        f"{node.name or 'the node'} = {node.op}(…): the chain rule multiplies "
                        "by f′ of every entry it passes", f"missing-{node.op}-factor")
    return None


def _jacobian_without(case: Any, index: int, setup: IndexSetup) -> np.ndarray:
    """The Jacobian with node ``index``'s elementwise derivative replaced by 1."""
    result = case.result
    graph = result.graph
    nodes = tuple(replace(n, op="id") if n.index == index else n for n in graph.nodes)
    plain = Graph(nodes, graph.n_inputs, graph.output_name, graph.source)
    forward = TensorForward(plain, result.forward.backend, result.forward.values, ())
    if graph.output.shape == ():
        jacobian = gradient_of(plain, run_tensor_reverse(forward))[setup.wrt.name]
    else:
        jacobian = jacobian_sweeps(forward)[setup.wrt.name]
    return np.asarray(jacobian, dtype=object).reshape(case.jacobian.shape)
