"""Stage 3d, check: student answers (formula, number, table, answer sheet) → verdicts with feedback.

``gradtutor.check("(y - sigmoid(w*x))^2", wrt="w", answer="…")`` picks the mode from the
arguments: a formula without ``at``, a number with ``at``, a table with ``table``, and an
answer sheet for a problem file with ``answers`` (``problem=`` names the problem)::

    gradtutor.check(problem="squared_error_logistic", answers="examples/sheets/ben.yaml")

One sheet gives a ``SheetResult``; a list of sheets or a folder gives a ``ClassResult``.
Every result has ``assert_correct()`` (for nbgrader / otter-grader notebook cells): it raises
AssertionError with the feedback when something is not right.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from ..callable_module import make_callable
from ..errors import guarded
from .formula import check_formula
from .number import Tolerance, check_number, parse_tolerance
from .table import check_table
from .verdict import CheckResult, Counterexample, Verdict

__all__ = ["check", "check_formula", "check_number", "check_table", "CheckResult",
           "Counterexample", "Verdict", "Tolerance"]


@guarded
def check(source: str | None = None, *, wrt: str | None = None, answer: str | None = None,
          at: str | dict | None = None, table: str | dict | None = None,
          rtol: str | None = None, atol: str | None = None,
          sigfigs: int | None = None, problem: str | Path | None = None,
          answers: str | Path | dict | list | None = None,
          assume: str | dict | None = None, part: str | None = None) -> Any:
    """Check an answer to ``source``: a formula, a number at ``at``, a table, or answer sheets."""
    from ..errors import InputError

    if part is not None and answers is None:  # one part of a problem: check/part.py
        from .part import check_part

        extra = [o for o, v in (("--at", at), ("--wrt", wrt), ("--table", table)) if v]
        if extra:
            raise InputError(f"{extra[0]} is not used with --part: the part says what to "
                             "differentiate and where", hint="gradtutor check NAME --part ID "
                             '--answer "…"')
        return check_part(problem if problem is not None else source, part, answer)
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
        from ..tensor_ops import is_tensor_check

        if is_tensor_check(source, at):  # vectors and matrices: check/tensor.py
            from .tensor import check_tensor

            return check_tensor(source, at, wrt, answer)
        return check_number(source, at, answer, wrt, _tolerance(rtol, atol, sigfigs))
    from ..tensor_ops import is_tensor_check

    if is_tensor_check(source, None):
        raise InputError("checking a program with vectors or matrices needs the point (the "
                         "shapes come from the values)",
                         hint='add --at, e.g. --at "W=[[1,2],[3,4]],x=[1,1]"')
    if wrt is None:
        wrt = _only_input(source)
    if wrt is None:
        raise InputError("checking a formula needs the variable to differentiate by",
                         hint="add --wrt NAME, e.g. --wrt w")
    return check_formula(source, wrt, answer, assume)


MAX_SIGFIGS = 50  # numbers are computed to 50 digits
MAX_TOLERANCE = {"--rtol": Fraction(1), "--atol": Fraction(10) ** 100}


def _tolerance(rtol: str | None, atol: str | None, sigfigs: int | None) -> Tolerance:
    """The number policy's overrides, within bounds (clear errors, never a huge computation)."""
    from ..errors import InputError

    if sigfigs is not None and not 1 <= sigfigs <= MAX_SIGFIGS:
        raise InputError(f"--sigfigs must be between 1 and {MAX_SIGFIGS} (numbers are "
                         f"computed to {MAX_SIGFIGS} digits), got {sigfigs}", hint="--sigfigs 3")
    for option, text in (("--rtol", rtol), ("--atol", atol)):
        if text is not None and len(text) > 40:
            raise InputError(f"{option} is longer than 40 characters", hint=f"{option} 1e-3")
    try:
        tolerance = parse_tolerance(rtol, atol, sigfigs)
    except (ValueError, OverflowError, ArithmeticError):
        raise InputError("--rtol/--atol is too large", hint="--rtol 1e-3 (at most 1) or "
                         "--atol 0.01 (at most 10^100)") from None
    for option, value in (("--rtol", tolerance.rtol), ("--atol", tolerance.atol)):
        if value is not None and value > MAX_TOLERANCE[option]:
            raise InputError(f"{option} must be at most {MAX_TOLERANCE[option]}"
                             f"{' (100%)' if option == '--rtol' else ''}",
                             hint=f"{option} 1e-3")
    return tolerance


def _only_input(source: str) -> str | None:
    """With a single input there is only one derivative to mean: --wrt may be left out."""
    from ..parse import input_names, parse_program

    names = input_names(parse_program(source))
    return names[0] if len(names) == 1 else None


def _sheets(problem: str | Path | None, answers: str | Path | dict | list) -> Any:
    from ..errors import InputError
    from .class_run import check_sheets
    from .sheet import check_sheet

    if problem is None:
        raise InputError("checking answer sheets needs the problem",
                         hint='problem="squared_error_logistic" (a bundled name or a path)')
    if isinstance(answers, list | tuple) and not answers:
        raise InputError("answers= is an empty list: there are no answer sheets to check",
                         hint='answers="my.yaml", a list of paths or a folder')
    if isinstance(answers, dict) or (not isinstance(answers, list) and Path(answers).is_file()):
        return check_sheet(str(problem), answers)
    return check_sheets(str(problem), answers if isinstance(answers, list) else [answers])


make_callable(__name__, check)
