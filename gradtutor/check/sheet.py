"""Answer-sheet check: a problem file + students' YAML answer sheets → per-part verdicts, scores.

Each part is solved once (the solver is the truth), and each answer is checked by the mode
that fits its kind: formulas by the formula check (proof or test points, counterexample,
likely mistake), numbers by the number check (precision as written), a trace part's table by
the table check (follow-through). An answer that cannot be read is its own item ("could not
read", with the parse error) and the rest of the sheet is graded. Several sheets are checked on
every core (check/class_run.py), where every sheet gives a row, in the order the sheets were given.
"""

from __future__ import annotations

import copyreg
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import GradtutorError
from ..numeric import CTX
from .sets import check_set
from .sheet_file import MAIN, Answer, AnswerSheet, Unreadable, parse_sheet, read_sheet
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

NOT_ANSWERED, NOT_CHECKED, UNREADABLE = "not-answered", "not-checked", "unreadable"
PARTLY = "partly-answered"
_DERIVATIVE_NOTATION = re.compile(r"\bd\s*/\s*d\w")
NOTATION = ("write the derivative itself as a formula (e.g. 2*x*cos(x^2)), not the notation "
            "d/da(…)")
_CHECKERS: dict[str, Callable[..., list[Verdict]]] = {
    "derivative": check_derivative, "gradient": check_gradient, "cases": check_cases,
    "series": check_series, "trace": check_trace, "limit": check_limit, "solve": check_solve,
    "descent": check_descent, "edges": check_edges, "identity": check_identity,
    "set": check_set, "tensor": lambda *args: _tensor_part(*args),
    "index": lambda *args: _index_part(*args)}


def _index_part(*args: Any) -> list[Verdict]:
    from .index import check_index_sheet

    return check_index_sheet(*args)


def _tensor_part(*args: Any) -> list[Verdict]:
    from .tensor_sheet import check_tensor_part  # numpy loads only for sheets with tensor parts

    return check_tensor_part(*args)


@dataclass(frozen=True)
class PartResult:
    """One part of one sheet: its verdicts (one per item) and the part's status."""

    id: str
    kind: str
    statement: str
    status: str  # right | wrong | partly-answered | not-answered | not-checked
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
    ids: tuple[str, ...] = ()  # the sheet's id: and email:

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

    def assert_correct(self) -> None:
        """Raise AssertionError with the feedback of every item that is not right."""
        if self.correct:
            return
        lines = [f"{self.student}: {self.score[0]} of {self.score[1]} parts right"]
        for part in self.parts:
            for v in part.verdicts:
                if v.status not in (RIGHT, NOT_CHECKED):
                    lines.append(f"{v.item} ({v.status.replace('-', ' ')}): "
                                 + " ".join(v.feedback))
        raise AssertionError("\n".join(lines))


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
    return SheetResult(p.name, p.title, answers.student, answers.path, parts, answers.ids)


def _check_part(problem: Any, solved_part: Any, sheet: AnswerSheet) -> PartResult:
    part = solved_part.part
    given = sheet.parts.get(part.id)
    if given is None:
        return PartResult(part.id, part.kind, part.statement, NOT_ANSWERED,
                          tuple(_unanswered(part, {})))
    notes = ("Not checked: a written explanation needs a human reader.",) \
        if "explain" in given else ()
    readable, unreadable = split_unreadable(part.id, given)
    try:
        verdicts = _CHECKERS[part.kind](problem, part, solved_part.result, readable)
    except GradtutorError as err:
        verdicts = [_unchecked(part.id, readable, sheet.where[part.id], err.describe())]
    except (RecursionError, OverflowError, MemoryError, ValueError) as err:
        if isinstance(err, ValueError) and "digits" not in str(err):
            raise
        why = TOO_BIG.get(type(err), TOO_BIG[ValueError])
        verdicts = [_unchecked(part.id, readable, sheet.where[part.id], why)]
    verdicts += unreadable + _unanswered(part, given)
    return PartResult(part.id, part.kind, part.statement, _status(verdicts), tuple(verdicts),
                      notes)


def _status(verdicts: list[Verdict]) -> str:
    """right; wrong (an item wrong or unreadable); partly answered (the rest right)."""
    counted = [v for v in verdicts if v.status != NOT_CHECKED]
    answered = [v for v in counted if v.status != NOT_ANSWERED]
    if not counted:
        return NOT_CHECKED
    if not all(v.correct for v in answered):
        return WRONG
    return RIGHT if len(answered) == len(counted) else PARTLY


TOO_BIG = {RecursionError: "the answer is too long or nested too deeply to check",
           MemoryError: "checking the answer needs more memory than allowed",
           OverflowError: "a number in the answer is too large to check",
           ValueError: "a number in the answer has too many digits to check"}


def _unchecked(pid: str, readable: dict, where: str, why: str) -> Verdict:
    """The whole part could not be checked: the answers as written, the reason and where."""
    texts = "; ".join(a.text for a in _leaves(readable) if isinstance(a, Answer))
    shown = texts if len(texts) <= 80 else texts[:79] + "…"
    return could_not(pid, shown, f"{why} (at {where})", "could not check this part")


def could_not(item: str, given: str, message: str, what: str = "could not read") -> Verdict:
    """An item that could not be read or checked: no credit, the reason as feedback lines."""
    lines = f"{what[0].upper()}{what[1:]}: {message}".splitlines()
    return Verdict(item, UNREADABLE, given, "", tuple(lines), UNREADABLE)


def split_unreadable(pid: str, given: dict) -> tuple[dict, list[Verdict]]:
    """The answers that could be read, and a "could not read" verdict for each other one."""
    found: list[Verdict] = []

    def keep(value: Any, path: str) -> bool:
        bad = [u for u in _leaves(value) if isinstance(u, Unreadable)]
        for u in bad:
            hint = NOTATION if _DERIVATIVE_NOTATION.search(u.text) else u.hint
            detail = "\n".join(x for x in (f"{u.message} (at {u.where})", u.location,
                                            f"Try: {hint}" if hint else "") if x)
            found.append(could_not(path, u.text, detail))
        return not bad

    readable: dict = {}
    for key, value in given.items():
        if isinstance(value, dict):
            readable[key] = {k: v for k, v in value.items() if keep(v, f"{pid}.{key}.{k}")}
        elif isinstance(value, list):
            readable[key] = [v for i, v in enumerate(value) if keep(v, f"{pid}.{key}[{i}]")]
        elif keep(value, f"{pid}.{key}"):
            readable[key] = value
    return readable, found


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _unanswered(part: Any, given: dict) -> list[Verdict]:
    """Keys (and names in maps) of the model answer that the sheet leaves out."""
    model = dict(part.answer) if part.answer else {MAIN[part.kind]: None}
    if part.kind in ("trace", "tensor") and ({"forward", "reverse"} & set(given)):
        return []  # a whole table answers the value and the gradient
    missing = []
    for key, value in model.items():
        if key not in given:
            if set(given) - {"explain"} or not given:
                names = list(value) if isinstance(value, dict) else [None]
                missing += [f"{part.id}.{key}" + (f".{n}" if n else "") for n in names]
        elif isinstance(value, dict) and isinstance(given[key], dict):
            missing += [f"{part.id}.{key}.{n}" for n in value if n not in given[key]]
    return [Verdict(item, NOT_ANSWERED, "", "", ("Not answered.",), NOT_ANSWERED)
            for item in missing]
