"""Stage 3d, check: student answers (formula, number, table, answer sheet) → verdicts with feedback.

``gradtutor.check("(y - sigmoid(w*x))^2", wrt="w", answer="…")`` picks the mode from the
arguments: a formula without ``at``, a number with ``at``, a table with ``table``.
"""

from __future__ import annotations

from .formula import check_formula
from .number import Tolerance, check_number, parse_tolerance
from .table import check_table
from .verdict import CheckResult, Counterexample, Verdict

__all__ = ["check", "check_formula", "check_number", "check_table", "CheckResult",
           "Counterexample", "Verdict", "Tolerance"]


def check(source: str, *, wrt: str | None = None, answer: str | None = None,
          at: str | dict | None = None, table: str | dict | None = None,
          rtol: str | None = None, atol: str | None = None,
          sigfigs: int | None = None) -> CheckResult:
    """Check an answer to ``source``: a formula, a number at ``at``, or a whole table."""
    from ..errors import InputError

    if table is not None:
        if not at:
            raise InputError("checking a table needs the point", hint="add --at x=0.3,w=0.5")
        return check_table(source, at, table)
    if answer is None:
        raise InputError("nothing to check", hint='give --answer "…" (or --table FILE)')
    if at:
        return check_number(source, at, answer, wrt, parse_tolerance(rtol, atol, sigfigs))
    if wrt is None:
        raise InputError("checking a formula needs the variable to differentiate by",
                         hint="add --wrt NAME, e.g. --wrt w")
    return check_formula(source, wrt, answer)
