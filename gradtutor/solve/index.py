"""Solve stage, index parts: program + of/wrt entries + pattern → the general pattern, checked.

The model answer's pattern (∂z_k/∂W_ij = δ_ki·x_j) is shown in index notation and expanded at
every index combination at the given shapes and two other small sizes, with random rational
values, and compared with the Jacobian entries of the tensor engine. A pattern that disagrees
anywhere flags the problem file, as any model answer that disagrees with its solver does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import GradtutorError
from ..index_cases import IndexSetup, index_setup
from ..index_eval import (
    MAX_EVALUATIONS,
    check_indices,
    check_ranges,
    expand,
    first_difference,
    resolve,
)
from ..index_form import IEntry, IExpr, parse_index
from ..index_show import show_index
from ..problems import Part, Problem
from ..tensor import tensor_text
from .common import Check


@dataclass(frozen=True)
class IndexPart:
    source: str
    derivative: str  # ∂z_k/∂W_ij
    pattern: str  # the model pattern in index notation, "" without one
    free: str  # what each free index runs over
    sizes: tuple[tuple[str, int, str], ...]  # (sizes, entries compared, verdict)
    verified: str
    checks: tuple[Check, ...]


def derivative_text(of: IEntry, wrt: IEntry) -> str:
    return f"∂{show_index(of)}/∂{show_index(wrt)}"


def free_text(setup: IndexSetup) -> str:
    first = setup.cases[0]
    return ", ".join(f"{i} = 0…{first.ranges[i] - 1} (from {setup.origin[i]})"
                     for i in setup.free)


def read_pattern(text: str, setup: IndexSetup) -> IExpr:
    """Parse and resolve a pattern against the program's names and the free indices."""
    ndims = {name: int(np.ndim(v)) for name, v in setup.cases[0].env.items()}
    expr = resolve(parse_index(text), ndims, text)
    check_indices(expr, setup.origin, text)
    return expr


def compare(expr: IExpr, setup: IndexSetup, text: str) -> list[tuple[str, int, str]]:
    """Per case: (sizes, entries compared, "agrees" or where it first differs)."""
    rows, budget = [], [MAX_EVALUATIONS]
    for case in setup.cases:
        check_ranges(expr, case, text)
        values = expand(expr, case, setup.free, budget)
        where = first_difference(values, case.jacobian)
        rows.append((case.label, int(case.jacobian.size), "agrees" if where is None else
                     difference_text(setup, where, case.jacobian[where], values[where])))
    return rows


def difference_text(setup: IndexSetup, where: tuple[int, ...], truth: object,
                    given: object) -> str:
    at = ", ".join(f"{i} = {n}" for i, n in zip(setup.free, where, strict=True))
    return (f"differs at {at or 'the only entry'}: the Jacobian entry is "
            f"{tensor_text(np.asarray(truth, dtype=object))}, the pattern gives "
            f"{tensor_text(np.asarray(given, dtype=object))}")


def solve_index(problem: Problem, part: Part) -> IndexPart:
    spec = part.spec
    setup = index_setup(spec["f"], spec["of"], spec["wrt"], dict(spec.get("shapes", {})))
    text = (part.answer or {}).get("pattern", "")
    try:
        rows = compare(read_pattern(text, setup), setup, text) if text else []
    except GradtutorError as err:  # the model answer is wrong: name its file, line and key
        where = part.where.get("answer", part.where.get("kind", ""))
        raise type(err)(f"{where}.pattern: {err.message}", location=err.location,
                        hint=err.hint) from None
    ok = bool(rows) and all(r[2] == "agrees" for r in rows)
    checks = (Check("pattern", ok, text, "agrees with the Jacobian at every size" if ok else
                    "; ".join(f"{r[0]}: {r[2]}" for r in rows if r[2] != "agrees")),
              ) if text else ()
    pattern = show_index(read_pattern(text, setup)) if text else ""
    verified = (f"the pattern equals the tensor engine's Jacobian (VJP rules) entry by entry "
                f"at {len(rows)} sizes with random rational values" if ok else
                "no pattern to check (add answer: {pattern: …})" if not text else
                "the pattern DISAGREES with the Jacobian")
    return IndexPart(spec["f"], derivative_text(setup.of, setup.wrt), pattern,
                     free_text(setup), tuple(rows), verified, checks)
