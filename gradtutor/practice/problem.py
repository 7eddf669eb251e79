"""Practice, problem: a problem file (bundled name or path) + part → an Exercise; part verdicts.

Trace parts become table cells; derivative and gradient parts ask for formulas, limit parts
and derivative values at a point ask for numbers. Answers are marked by the answer-sheet check.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..check.sheet import check_sheet, solved
from ..check.verdict import Verdict, show
from ..numeric import Value, format_value, from_sympy
from .exercise import FORMULA, NUMBER, Cell, Exercise, answer_text, table_cells

PRACTISED = ("trace", "derivative", "gradient", "limit", "tensor")


def problem_exercise(ref: str, part_id: str | None = None, mode: str = "both") -> Exercise:
    solution = solved(ref)
    problem = solution.problem
    parts = [p for p in solution.parts if part_id is None or p.part.id == part_id]
    if part_id is not None and not parts:
        problem.part(part_id)  # raises: no such part, with the list of parts
    cells: list[Cell] = []
    traces: list[tuple[str, Any]] = []
    notes = []
    for solved_part in parts:
        part, result = solved_part.part, solved_part.result
        if part.kind == "trace":
            traces.append((part.id, result.result))
            table = table_cells(result.result, mode, part.id)
            intro = f"Part {part.id}: {' '.join(part.statement.split())}\n"
            cells += [replace(table[0], prompt=intro + table[0].prompt), *table[1:]]
        elif part.kind == "tensor":
            from ..solve.tensor import part_trace
            from .tensor_problem import tensor_part_cells

            traced = part_trace(problem, part)
            traces.append((part.id, traced))
            cells += tensor_part_cells(part, result, traced)
        elif part.kind in PRACTISED:
            cells += _part_cells(part, result)
        else:
            notes.append(f"Part {part.id} ({part.kind}) is not practised here; "
                         f"see it solved with: gradtutor solve {problem.name} --part {part.id}")
    return Exercise(problem.title, (), mode, tuple(cells), title=problem.title,
                    problem=ref, traces=tuple(traces), notes=tuple(notes),
                    statement=problem.statement.strip())


def _part_cells(part: Any, result: Any) -> list[Cell]:
    statement = " ".join(part.statement.split())
    if part.kind == "derivative":
        model = (part.answer or {}).get("expr")
        answer = show(model) if model is not None else show(result.rewritten or
                                                            result.derivative)
        cells = [_formula(part, "expr", f"∂/∂{part.spec['wrt']} (a formula)", answer,
                          _steps(result), statement)]
        if _is_value(result.value):
            cells.append(_number(part, "value", "its value at the point",
                                 answer_text(result.value), statement, (
                                     "Put the point's values into the derivative.",)))
        return cells
    if part.kind == "gradient":
        return [_formula(part, f"partials.{n}", f"∂/∂{n} (a formula)", show(d), (
            f"Differentiate with respect to {n}, holding the other variables constant.",),
            statement) for n, d in result.partials.items()]
    value = "oo" if result.value.is_infinite and result.value > 0 else "-oo" \
        if result.value.is_infinite else answer_text(from_sympy(result.value))
    to = part.spec.get("to")
    hint = f"Write the expression in {part.spec.get('var', 'the variable')}, then let it go " \
           f"to {getattr(to, 'text', to)}."
    return [_number(part, "value", "the limit (a number, oo or -oo)", value, statement, (hint,))]


def _is_value(value: Any) -> bool:
    return isinstance(value, Value)  # a formula when some symbols have no value


def _steps(result: Any) -> tuple[str, ...]:
    rules = list(dict.fromkeys(step.rule for step in result.steps))
    explains = [step.explain for step in result.steps if step.explain][:3]
    return tuple(h for h in (("Rules: " + ", ".join(rules) + ".") if rules else "",
                             " ".join(explains)) if h)


def _formula(part: Any, key: str, what: str, answer: str, hints: tuple[str, ...],
             statement: str) -> Cell:
    return Cell(f"{part.id}.{key}", FORMULA, f"part {part.id} ({key})",
                f"Part {part.id}: {statement}\n{what} = ?", answer, hints,
                f"{part.id}.{key} = {answer}", part=part.id)


def _number(part: Any, key: str, what: str, answer: str, statement: str,
            hints: tuple[str, ...]) -> Cell:
    return Cell(f"{part.id}.{key}", NUMBER, f"part {part.id} ({key})",
                f"Part {part.id}: {statement}\n{what} = ?", answer, hints,
                f"{part.id}.{key} = {answer}", part=part.id)


def part_verdict(exercise: Exercise, cell: Cell, text: str) -> Verdict:
    """Mark one answer with the answer-sheet check (only this part, only this key)."""
    nested: Any = text
    if cell.kind in ("tensor", "shape"):
        from .tensor_problem import sheet_answer

        nested = sheet_answer(cell, text)
    for key in reversed(cell.id.split(".")[1:]):
        nested = {key: nested}
    sheet = check_sheet(exercise.problem, {"student": "practice", "parts": {cell.part: nested}})
    verdicts = [v for p in sheet.parts if p.id == cell.part for v in p.verdicts]
    verdict = next(v for v in verdicts if v.item == cell.id)
    if cell.kind in ("tensor", "shape"):
        from .tensor_problem import tensor_part_verdict

        return tensor_part_verdict(exercise, cell, verdict, text)
    return verdict


__all__ = ["problem_exercise", "part_verdict", "format_value"]
