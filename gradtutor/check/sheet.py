"""Answer-sheet check: a problem file + students' YAML answer sheets → per-part verdicts, scores.

Each part is solved once (the solver is the truth), and each answer is checked by the mode
that fits its kind: formulas by the formula check (proof or test points, counterexample,
likely mistake), numbers by the number check (precision as written), a trace part's table by
the table check (follow-through). Several sheets are checked on two worker processes; the
results come back in the order the sheets were given.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import GradtutorError, ProblemFileError
from ..numeric import CTX
from .sets import check_set
from .sheet_file import MAIN, AnswerSheet, parse_sheet, read_sheet
from .sheet_formulas import check_cases, check_derivative, check_gradient, check_series
from .sheet_numbers import (
    check_descent,
    check_edges,
    check_identity,
    check_limit,
    check_solve,
    check_trace,
)
from .verdict import RIGHT, WRONG, Verdict

NOT_ANSWERED, NOT_CHECKED = "not-answered", "not-checked"
WORKERS = 2
_CHECKERS: dict[str, Callable[..., list[Verdict]]] = {
    "derivative": check_derivative, "gradient": check_gradient, "cases": check_cases,
    "series": check_series, "trace": check_trace, "limit": check_limit, "solve": check_solve,
    "descent": check_descent, "edges": check_edges, "identity": check_identity,
    "set": check_set}


@dataclass(frozen=True)
class PartResult:
    """One part of one sheet: its verdicts (one per item) and the part's status."""

    id: str
    kind: str
    statement: str
    status: str  # right | wrong | not-answered | not-checked
    verdicts: tuple[Verdict, ...]
    notes: tuple[str, ...] = ()

    @property
    def counted(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.status != NOT_CHECKED)

    @property
    def score(self) -> tuple[int, int]:
        """Items with credit (right or follows through) out of the items checked."""
        return sum(v.credit for v in self.counted), len(self.counted)


@dataclass(frozen=True)
class SheetResult:
    """One student's sheet: every part of the problem, in the problem's order."""

    problem: str
    title: str
    student: str
    sheet: str
    parts: tuple[PartResult, ...]

    @property
    def kind(self) -> str:
        return "sheet"

    @property
    def correct(self) -> bool:
        return all(p.status in (RIGHT, NOT_CHECKED) for p in self.parts) and any(
            p.status == RIGHT for p in self.parts)

    @property
    def score(self) -> tuple[int, int]:
        """Parts right out of the parts that count (not-checked parts do not)."""
        counted = [p for p in self.parts if p.status != NOT_CHECKED]
        return sum(p.status == RIGHT for p in counted), len(counted)

    @property
    def item_score(self) -> tuple[int, int]:
        scores = [p.score for p in self.parts]
        return sum(s[0] for s in scores), sum(s[1] for s in scores)


@dataclass(frozen=True)
class SheetError:
    """A sheet that could not be read: the class summary lists it and exits 2."""

    sheet: str
    message: str


@dataclass(frozen=True)
class ClassResult:
    """Several sheets for one problem, in the order given."""

    problem: str
    title: str
    part_ids: tuple[str, ...]
    sheets: tuple[SheetResult, ...]
    errors: tuple[SheetError, ...]

    @property
    def kind(self) -> str:
        return "class"

    @property
    def correct(self) -> bool:
        return not self.errors and all(s.correct for s in self.sheets)


def _make_mpf(raw: tuple) -> Any:
    return CTX.make_mpf(raw)


# 50-digit numbers in verdicts cross the process boundary by their raw tuple.
copyreg.pickle(type(CTX.mpf(1)), lambda v: (_make_mpf, (v._mpf_,)))


@lru_cache(maxsize=8)
def _solved(ref: str, stamp: float) -> Any:
    from ..solve import solve

    return solve(ref)


def solved(ref: str) -> Any:
    """The problem's solution (cached per process; a changed file is solved again)."""
    path = Path(ref)
    return _solved(ref, path.stat().st_mtime if path.is_file() else 0.0)


def check_sheet(problem: str, sheet: str | Path | dict) -> SheetResult:
    """Check one answer sheet (a path, or an already loaded mapping) against a problem."""
    solution = solved(str(problem))
    if isinstance(sheet, dict):
        import yaml

        answers = parse_sheet(yaml.safe_dump(sheet, sort_keys=False), "<answers>",
                              solution.problem)
    else:
        answers = read_sheet(sheet, solution.problem)
    parts = tuple(_check_part(solution.problem, s, answers) for s in solution.parts)
    p = solution.problem
    return SheetResult(p.name, p.title, answers.student, answers.path, parts)


def _check_part(problem: Any, solved_part: Any, sheet: AnswerSheet) -> PartResult:
    part = solved_part.part
    given = sheet.parts.get(part.id)
    if given is None:
        return PartResult(part.id, part.kind, part.statement, NOT_ANSWERED, (Verdict(
            part.id, WRONG, "", "", ("Not answered.",), NOT_ANSWERED),))
    notes = ("Not checked: a written explanation needs a human reader.",) \
        if "explain" in given else ()
    try:
        verdicts = _CHECKERS[part.kind](problem, part, solved_part.result, given)
    except GradtutorError as err:
        raise ProblemFileError(f"{sheet.where[part.id]}: {err.message}", location=err.location,
                               hint=err.hint) from None
    verdicts += _unanswered(part, given)
    counted = [v for v in verdicts if v.status != NOT_CHECKED]
    status = NOT_CHECKED if not counted else RIGHT if all(v.correct for v in counted) else WRONG
    return PartResult(part.id, part.kind, part.statement, status, tuple(verdicts), notes)


def _unanswered(part: Any, given: dict) -> list[Verdict]:
    """Keys (and names in maps) of the model answer that the sheet leaves out."""
    model = dict(part.answer) if part.answer else {MAIN[part.kind]: None}
    if part.kind == "trace" and ({"forward", "reverse"} & set(given)):
        return []  # a whole table answers the value and the gradient
    missing = []
    for key, value in model.items():
        if key not in given:
            if set(given) - {"explain"}:
                missing.append(f"{part.id}.{key}")
        elif isinstance(value, dict) and isinstance(given[key], dict):
            missing += [f"{part.id}.{key}.{n}" for n in value if n not in given[key]]
    return [Verdict(item, WRONG, "", "", ("Not answered.",), NOT_ANSWERED) for item in missing]


def sheet_paths(paths: Sequence[str | Path]) -> list[str]:
    """Files as given, folders as their *.yaml files (sorted); duplicates dropped."""
    found: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not inside:
                raise ProblemFileError(f"no .yaml answer sheets in the folder {str(path)!r}")
            found += [str(p) for p in inside]
        elif path.is_file():
            found.append(str(path))
        else:
            raise ProblemFileError(f"no such answer sheet: {str(path)!r}",
                                   hint="give .yaml files, a shell glob or a folder")
    return list(dict.fromkeys(found))


def _check_one(problem: str, path: str) -> SheetResult | SheetError:
    try:
        return check_sheet(problem, path)
    except GradtutorError as err:
        return SheetError(path, err.describe())


def check_sheets(problem: str, paths: Sequence[str | Path]) -> ClassResult:
    """Check many sheets (files or folders) on two processes; results in the given order."""
    solution = solved(str(problem))  # a bad problem fails here, once; workers inherit it
    files = sheet_paths(paths)
    if len(files) == 1:
        outcomes = [_check_one(str(problem), files[0])]
    else:
        with ProcessPoolExecutor(max_workers=WORKERS) as pool:
            outcomes = list(pool.map(_check_one, [str(problem)] * len(files), files))
    p = solution.problem
    return ClassResult(p.name, p.title, tuple(part.id for part in p.parts),
                       tuple(o for o in outcomes if isinstance(o, SheetResult)),
                       tuple(o for o in outcomes if isinstance(o, SheetError)))
