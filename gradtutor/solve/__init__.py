"""Solve stage: a Problem (or a bundled name, or a YAML path) → a worked solution per part.

``gradtutor.solve("squared_error_logistic")`` returns a frozen ``Solution``; each part's
result is the kind's own frozen result object, plus the comparison with the file's model
answer. This module stays light: the kind modules (SymPy) load on first use, so the problem
loader stays light too.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from ..budget import deadline
from ..callable_module import make_callable
from ..errors import GradtutorError, LimitError, as_user_error, guarded

PART_SECONDS = 30.0  # per part: SymPy has no limit of its own (series, high orders, solve)

_SOLVERS = {
    "trace": ("edges", "solve_trace"), "edges": ("edges", "solve_edges"),
    "derivative": ("derivative", "solve_derivative"),
    "gradient": ("derivative", "solve_gradient"),
    "cases": ("cases", "solve_cases"), "limit": ("cases", "solve_limit"),
    "solve": ("equations", "solve_equations"), "descent": ("descent", "solve_descent"),
    "identity": ("identity", "solve_identity"), "series": ("identity", "solve_series"),
    "plot": ("plot", "solve_plot"),
    "tensor": ("tensor", "solve_tensor"), "index": ("index", "solve_index"),
    "set": ("sets", "solve_set"),
}


@dataclass(frozen=True)
class PartSolution:
    part: Any  # problems.Part
    result: Any  # the kind's result: DerivativeResult, SolveResult, TracePart …

    @property
    def checks(self) -> tuple[Any, ...]:
        return self.result.checks

    @property
    def answer_ok(self) -> bool | None:
        """True/False when the file has a model answer, None when it has none."""
        return all(c.ok for c in self.checks) if self.checks else None


@dataclass(frozen=True)
class Solution:
    problem: Any  # problems.Problem
    parts: tuple[PartSolution, ...]

    @property
    def answers_ok(self) -> bool:
        return all(p.answer_ok is not False for p in self.parts)


def solve_part(problem: Any, part: Any) -> PartSolution:
    """One part's solution, within PART_SECONDS; every failure names the file and the part."""
    module, name = _SOLVERS[part.kind]
    solver = getattr(import_module(f"{__name__}.{module}"), name)
    try:
        with deadline(PART_SECONDS):
            return PartSolution(part, solver(problem, part))
    except GradtutorError as err:
        if part.where.get("kind", "") in err.message or problem.path in err.message:
            raise
        raise type(err)(f"{problem.path} part {part.id!r}: {err.message}",
                        location=err.location, hint=err.hint) from None
    except TimeoutError:
        raise LimitError(f"{problem.path} part {part.id!r}: solving needs more than "
                         f"{PART_SECONDS:g} s of computing time, the limit per part",
                         hint="ask for less: a lower order, fewer steps or a smaller "
                              "formula") from None
    except (ArithmeticError, NotImplementedError, RecursionError, MemoryError,
            ValueError) as err:
        user = as_user_error(err)
        if user is None:
            raise
        raise type(user)(f"{problem.path} part {part.id!r}: {user.message}",
                         hint=user.hint) from None


@guarded
def solve(problem: Any, part: str | None = None) -> Solution:
    """Solve every part (or the one with id ``part``) of a Problem, bundled name or path."""
    from ..problems import Problem, load_problem

    if not isinstance(problem, Problem):
        problem = load_problem(problem)
    parts = (problem.part(part),) if part is not None else problem.parts
    return Solution(problem, tuple(solve_part(problem, p) for p in parts))


__all__ = ["PartSolution", "Solution", "solve", "solve_part"]

make_callable(__name__, solve)
