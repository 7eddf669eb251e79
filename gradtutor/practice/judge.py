"""Practice, judge: a cell + the student's answer (+ their earlier values) → check's verdict.

Table cells go through the table check with every value the student still holds, so a cell
computed correctly from their own wrong value *follows through*; problem parts go through the
answer-sheet check. The tutor adds which earlier cell to revisit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..check.number import normalize, number_slips, parse_number, policy_for
from ..check.table import table_verdicts
from ..check.tablefile import Cell as TableCell
from ..check.verdict import FOLLOWS, RIGHT, WRONG, Verdict
from ..errors import InputError
from .exercise import ADJOINT, FORMULA, NUMBER, PRIMAL, Cell, Exercise

_ANSWER_LINES = ("The right value is", "Follows through:", "Right:")


@dataclass(frozen=True)
class Judgement:
    status: str  # right | follows-through | wrong
    mistake: str  # check's tag of the likely mistake (fan-out, sign, seed …), or ""
    diagnosis: tuple[str, ...]  # what check says about it, without giving the answer away
    expected: str  # the right answer as check shows it


def parse_answer(cell: Cell, text: str) -> None:
    """Raise InputError unless ``text`` can be an answer to ``cell`` (checked before judging)."""
    if not text.strip():
        raise InputError("empty answer")
    if cell.shape is not None or cell.kind == "shape":
        from .tensor_problem import sheet_answer

        sheet_answer(cell, text)
        return
    if cell.kind in (PRIMAL, ADJOINT) or (
            cell.kind == NUMBER and text.strip().lstrip("+-") not in ("oo", "inf")):
        parse_number(text, "answer")


def judge(exercise: Exercise, held: Mapping[str, str], cell: Cell, text: str) -> Judgement:
    if cell.shape is not None and cell.kind in (PRIMAL, ADJOINT):
        from .tensor_judge import tensor_table_verdict

        verdict = tensor_table_verdict(exercise, held, cell, text)
    elif cell.kind in (PRIMAL, ADJOINT):
        verdict = _table_verdict(exercise, held, cell, text)
        if verdict.mistake == "copied" and not _copied_earlier(exercise, cell, text):
            verdict = _without_copied(verdict, cell, text)
    else:
        from .problem import part_verdict

        verdict = part_verdict(exercise, cell, text)
    diagnosis = tuple(line for line in verdict.feedback if not line.startswith(_ANSWER_LINES))
    if verdict.status == WRONG and cell.kind in (FORMULA, NUMBER):
        diagnosis = tuple(line for line in diagnosis if not line.startswith("The "))
    return Judgement(verdict.status, verdict.mistake if verdict.status == WRONG else "",
                     diagnosis, verdict.expected or cell.answer)


def _table_verdict(exercise: Exercise, held: Mapping[str, str], cell: Cell,
                   text: str) -> Verdict:
    # Only the cells this one is computed from matter for its verdict (and follow-through);
    # judging just those keeps a session linear in the size of the table.
    others = [exercise.cell(cid) for cid in dict.fromkeys(cell.depends) if cid in held]
    cells = [_table_cell(c, held[c.id]) for c in others]
    cells.append(_table_cell(cell, text))
    verdicts = table_verdicts(exercise.trace_of(cell), cells)
    return next(v for v in verdicts if v.item.split(" (")[0] == cell.label)


def _copied_earlier(exercise: Exercise, cell: Cell, text: str) -> bool:
    """Is the answer the value of a cell the student has already seen (not a later one)?"""
    given, result = parse_number(text), exercise.trace_of(cell)
    policy = policy_for(normalize(text))
    seen = [c.index for c in exercise.cells[:exercise.cells.index(cell)]
            if c.kind == PRIMAL and c.part == cell.part]
    seen += [n.index for n in result.graph.inputs]
    return any(policy.matches(result.forward.value(i), given) for i in seen)


def _without_copied(verdict: Verdict, cell: Cell, text: str) -> Verdict:
    """Copied from a cell not asked yet cannot be: use the number check's other slips."""
    assert cell.value is not None
    slips = number_slips(cell.value, parse_number(text), policy_for(normalize(text)))
    return replace(verdict, feedback=tuple(m for _, m in slips), mistake=slips[0][0] if slips
                   else "")


def _table_cell(cell: Cell, text: str) -> TableCell:
    assert cell.index is not None
    return TableCell(cell.kind, cell.index, text.replace("\u2212", "-").strip(), cell.id)


def revisit(exercise: Exercise, cell: Cell, off: Mapping[str, str]) -> tuple[str, ...]:
    """The earlier wrong cells a follow-through comes from (through other followed cells).

    ``off`` maps each held cell whose value is not the true one to its status.
    """
    found: list[str] = []
    seen: set[str] = set()
    todo = list(cell.depends)
    while todo:
        cid = todo.pop(0)
        if cid in seen or cid not in off:
            continue
        seen.add(cid)
        if off[cid] == FOLLOWS:
            todo += exercise.cell(cid).depends
        else:
            found.append(exercise.cell(cid).label)
    return tuple(found)


__all__ = ["Judgement", "judge", "parse_answer", "revisit", "RIGHT", "WRONG", "FOLLOWS"]
