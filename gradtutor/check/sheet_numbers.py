"""Sheet parts with numbers (feed sheet): trace, limit, solve, descent, edges, identity → Verdicts.

Every number is judged by the number check's policy (to the precision the student wrote, or
exactly) and its slips; a trace part's forward/reverse table goes through the table check,
cell by cell with follow-through.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import sympy as sp

from ..numeric import Value, format_value, from_sympy, mul
from ..sym import symbol
from .number import Alternative, Tolerance, alternatives_at, judge, normalize, parse_number
from .number import policy_for as _policy
from .problem import build_problem
from .sheet_file import Answer
from .table import table_verdicts
from .tablefile import table_cells
from .verdict import RIGHT, WRONG, Verdict


def number_verdict(item: str, true: Value, answer: Answer,
                   alternatives: list[Alternative] | None = None) -> Verdict:
    verdict = judge(item, true, normalize(answer.text), Tolerance(), alternatives or [])
    return replace(verdict, given=answer.text)


def check_trace(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    trace = result.result
    verdicts = []
    if "value" in given:
        verdicts.append(number_verdict(f"{part.id}.value", trace.value, given["value"]))
    env = {symbol(n): v for n, v in trace.point.items()}
    for name, answer in given.get("gradient", {}).items():
        item = f"{part.id}.gradient.{name}"
        if name not in trace.gradient:
            verdicts.append(_no_such(item, answer, "input", list(trace.gradient)))
            continue
        slips = alternatives_at(build_problem(result.source, name), env)
        verdicts.append(number_verdict(item, trace.gradient[name], answer, slips))
    table = {k: {node: a.text for node, a in given[k].items()}
             for k in ("forward", "reverse") if k in given}
    if table:
        cells = table_cells(table, trace.graph, prefix=f"parts.{part.id}.")
        verdicts += [replace(v, item=f"{part.id}: {v.item}")
                     for v in table_verdicts(trace, cells)]
    return verdicts


def _no_such(item: str, answer: Answer, what: str, names: list[str]) -> Verdict:
    return Verdict(item, WRONG, answer.text, "", (
        f"This part has no such {what}; they are {', '.join(names)}.",), "wrong-variable")


def check_limit(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    verdicts = []
    shown = _limit_text(result.value)
    if "value" in given:
        answer, item = given["value"], f"{part.id}.value"
        text = normalize(answer.text).replace(" ", "")
        if result.value.is_infinite or text.lstrip("+-") in ("oo", "inf", "infinity"):
            mine = text.lstrip("+").replace("infinity", "oo").replace("inf", "oo")
            ok = mine == shown
            verdicts.append(Verdict(item, RIGHT if ok else WRONG, answer.text, shown, (
                f"{'Right: t' if ok else 'T'}he limit is {shown}.",), "" if ok else "limit"))
        else:
            verdicts.append(number_verdict(item, from_sympy(result.value), answer))
    if "verdict" in given:
        answer = given["verdict"]
        ok = answer.text == result.verdict
        why = {"vanishes": "the limit is 0: the gradient vanishes, so learning stalls",
               "finite": f"the limit is {shown}, finite and not 0",
               "diverges": f"the limit is {shown}"}[result.verdict]
        verdicts.append(Verdict(f"{part.id}.verdict", RIGHT if ok else WRONG, answer.text,
                                result.verdict, (f"{'Right: ' if ok else 'No: '}{why}.",),
                                "" if ok else "verdict"))
    return verdicts


def _limit_text(value: sp.Expr) -> str:
    if value.is_infinite:
        return "-oo" if value.is_extended_negative else "oo"
    return format_value(from_sympy(value), 12)


def check_solve(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    if "solutions" not in given:
        return []
    unknowns, truths = result.unknowns, result.solutions
    mine = given["solutions"]
    used: set[int] = set()
    verdicts = []
    for j, truth in enumerate(truths):
        expected = _solution_text({n: format_value(from_sympy(truth[n]), 12) for n in unknowns})
        i = next((i for i, s in enumerate(mine) if i not in used and _same(s, truth, unknowns)),
                 None)
        if i is None:
            verdicts.append(Verdict(f"{part.id}.solutions[{j}]", WRONG, "", expected, (
                f"Missing solution: {expected}.",), "missing-solution"))
            continue
        used.add(i)
        verdicts.append(Verdict(f"{part.id}.solutions[{j}]", RIGHT,
                                _solution_text({n: a.text for n, a in mine[i].items()}),
                                expected, ("Right.",)))
    every = "; ".join(_solution_text({n: format_value(from_sympy(t[n]), 12) for n in unknowns})
                      for t in truths) or "there is no real solution"
    for i, s in enumerate(mine):
        if i not in used:
            verdicts.append(Verdict(f"{part.id}.solutions (yours [{i}])", WRONG,
                                    _solution_text({n: a.text for n, a in s.items()}), every,
                                    (f"Not a solution; the real solutions are: {every}.",),
                                    "not-a-solution"))
    if not truths and not mine:
        verdicts.append(Verdict(f"{part.id}.solutions", RIGHT, "[]", "no real solution",
                                ("Right: there is no real solution.",)))
    return verdicts


def _solution_text(values: dict[str, str]) -> str:
    return ", ".join(f"{n} = {v}" for n, v in values.items())


def _same(mine: dict[str, Answer], truth: dict[str, sp.Expr], unknowns: tuple) -> bool:
    if set(mine) != set(unknowns):
        return False
    return all(_policy(normalize(mine[n].text)).matches(from_sympy(truth[n]),
                                                        parse_number(mine[n].text))
               for n in unknowns)


def check_descent(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    verdicts = []
    for name, answer in given.get("final", {}).items():
        item = f"{part.id}.final.{name}"
        if name not in result.final:
            verdicts.append(_no_such(item, answer, "parameter", list(result.final)))
            continue
        steps = [(f"steps-{k}", f"That is {name} after {k} update{'s' * (k != 1)}, not "
                  f"{len(result.steps)}: count the steps.", row.params[name])
                 for k, row in enumerate(result.steps)]
        verdicts.append(number_verdict(item, result.final[name], answer, steps))
    if "loss" in given:
        answer, item = given["loss"], f"{part.id}.loss"
        if result.final_loss is None:
            from .sheet_formulas import not_checked

            verdicts.append(not_checked(item, answer, "with SGD the loss depends on the sample"))
        else:
            verdicts.append(number_verdict(item, result.final_loss, answer))
    return verdicts


def check_edges(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    rows = {row.node: row for row in result.rows}
    verdicts = []
    for name, answer in given.get("adjoints", {}).items():
        item = f"{part.id}.adjoints.{name}"
        if name not in rows:
            verdicts.append(_no_such(item, answer, "node", list(rows)))
            continue
        verdicts.append(number_verdict(item, from_sympy(rows[name].adjoint), answer,
                                       _edge_slips(name, rows[name])))
    return verdicts


def _edge_slips(name: str, row: Any) -> list[Alternative]:
    slips: list[Alternative] = []
    for consumer, adjoint, label in row.contributions:
        local, up = from_sympy(label), from_sympy(adjoint)
        if len(row.contributions) > 1:
            slips.append(("fan-out", f"Forgot to sum over fan-out: {name} feeds "
                          f"{', '.join(c for c, _, _ in row.contributions)}; you have only the "
                          f"contribution through {consumer}.", mul(up, local)))
        if up != Fraction(1):
            slips.append(("no-upstream", f"You used the local derivative ∂{consumer}/∂{name} = "
                          f"{format_value(local, 12)} without multiplying by the upstream "
                          f"adjoint of {consumer}.", local))
    return slips


def check_identity(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    if "holds" not in given:
        return []
    answer = given["holds"]
    mine = answer.text.lower() in ("true", "yes", "on")
    truth = "true" if result.holds else "false"
    if mine == result.holds:
        return [Verdict(f"{part.id}.holds", RIGHT, answer.text, truth, ("Right.",))]
    if result.holds:
        how = "simplifies to 0" if result.proved else "is 0 at every test point"
        why = f"It is an identity: lhs − rhs {how}."
    else:
        where = ", ".join(f"{n} = {v}" for n, v in result.counterexample.items())
        why = f"It is not an identity: the two sides differ at {where or 'some points'}."
    return [Verdict(f"{part.id}.holds", WRONG, answer.text, truth, (why,), "identity")]
