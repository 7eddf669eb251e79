"""Stage 3d, check: student answers (formula, number, table, answer sheet) → verdicts with feedback.

``gradtutor.check("(y - sigmoid(w*x))^2", wrt="w", answer="…")`` picks the mode from the
arguments: a formula without ``at``, a number with ``at``, a table with ``table``, and an
answer sheet for a problem file with ``answers`` (``problem=`` names the problem)::

    gradtutor.check(problem="squared_error_logistic", answers="examples/sheets/ben.yaml")

One sheet gives a ``SheetResult``; a list of sheets or a folder gives a ``ClassResult``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..callable_module import make_callable
from .formula import check_formula
from .number import Tolerance, check_number, parse_tolerance
from .table import check_table
from .verdict import CheckResult, Counterexample, Verdict

__all__ = ["check", "check_formula", "check_number", "check_table", "CheckResult",
           "Counterexample", "Verdict", "Tolerance"]


def check(source: str | None = None, *, wrt: str | None = None, answer: str | None = None,
          at: str | dict | None = None, table: str | dict | None = None,
          rtol: str | None = None, atol: str | None = None,
          sigfigs: int | None = None, problem: str | Path | None = None,
          answers: str | Path | dict | list | None = None,
          assume: str | dict | None = None) -> Any:
    """Check an answer to ``source``: a formula, a number at ``at``, a table, or answer sheets."""
    from ..errors import InputError

    if answers is not None:
        return _sheets(problem if problem is not None else source, answers)
    if source is None:
        raise InputError("nothing to check", hint="give an expression, or problem= and answers=")
    if table is not None:
        if not at:
            raise InputError("checking a table needs the point", hint="add --at x=0.3,w=0.5")
        return check_table(source, at, table)
    if answer is None:
        raise InputError("nothing to check", hint='give --answer "…" (or --table FILE)')
    if at:
        return check_number(source, at, answer, wrt, parse_tolerance(rtol, atol, sigfigs))
    if wrt is None:
        wrt = _only_input(source)
    if wrt is None:
        raise InputError("checking a formula needs the variable to differentiate by",
                         hint="add --wrt NAME, e.g. --wrt w")
    return check_formula(source, wrt, answer, assume)


def _only_input(source: str) -> str | None:
    """With a single input there is only one derivative to mean: --wrt may be left out."""
    from ..parse import input_names, parse_program

    names = input_names(parse_program(source))
    return names[0] if len(names) == 1 else None


def _sheets(problem: str | Path | None, answers: str | Path | dict | list) -> Any:
    from ..errors import InputError
    from .sheet import check_sheet, check_sheets

    if problem is None:
        raise InputError("checking answer sheets needs the problem",
                         hint='problem="squared_error_logistic" (a bundled name or a path)')
    if isinstance(answers, dict) or (not isinstance(answers, list) and Path(answers).is_file()):
        return check_sheet(str(problem), answers)
    return check_sheets(str(problem), answers if isinstance(answers, list) else [answers])


make_callable(__name__, check)
