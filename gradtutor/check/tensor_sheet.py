"""Check, tensor sheet parts: a sheet's answers to a tensor part → verdicts with tensor diagnoses.

Value, gradients, Jacobians and shapes are compared entry by entry with the solver's result, to
the precision written (as ``solve`` compares a model answer). A wrong gradient or Jacobian also
gets the diagnoses ``check --answer`` gives: transposed, summed instead of broadcast, a shape
that cannot be right, the opposite sign.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .verdict import RIGHT, WRONG, Verdict


def check_tensor_part(problem: Any, part: Any, solved: Any, given: dict) -> list[Verdict]:
    """An answer sheet's tensor part: value, gradients, shapes, Jacobians, entry by entry."""
    results = {"value": {"": solved.value}, "gradient": solved.gradient,
               "jacobian": solved.jacobians}
    from .tensor_sheet_table import check_table_answers  # forward:/reverse: tables

    verdicts: list[Verdict] = []
    for key, answers in given.items():
        if key in ("explain", "forward", "reverse"):
            continue
        if key == "shapes":
            verdicts += [_shape_verdict(part.id, solved, name, said)
                         for name, said in answers.items()]
            continue
        for name, answer in (answers.items() if key != "value" else [("", answers)]):
            item = f"{part.id}.{key}" + (f".{name}" if name else "")
            if name not in results[key]:
                verdicts.append(Verdict(item, WRONG, str(answer), "(not asked)"))
            else:
                verdicts.append(_entry_verdict(item, name, answer, results[key][name]))
    return verdicts + check_table_answers(problem, part, given)


def _shape_verdict(part_id: str, solved: Any, name: str, said: Any) -> Verdict:
    got = solved.shapes.get(name, "(not an input)")
    ok = said.text.replace("x", "×").replace("*", "×").replace(" ", "") == got
    return Verdict(f"{part_id}.shapes.{name}", RIGHT if ok else WRONG, said.text, got,
                   () if ok else (f"∂/∂{name} has the shape of {name}: {got}",))


def _entry_verdict(item: str, name: str, answer: Any, expected: Any) -> Verdict:
    from ..solve.tensor import tensor_check

    given = _quantity(answer)
    check = tensor_check(item, given, expected)
    if check.ok:
        return Verdict(item, RIGHT, check.expected, check.got)
    found = _diagnosis(name, given, expected)
    feedback, mistake = ((found[0],), found[1]) if found else ((), "")
    return Verdict(item, WRONG, check.expected, check.got, feedback, mistake)


def _quantity(answer: Any) -> Any:
    from ..problem_schema import Field, number

    if isinstance(answer, list):
        return tuple(_quantity(item) for item in answer)
    return number(answer.text, Field("number", ""))


def _diagnosis(name: str, given: Any, expected: Any) -> tuple[str, str] | None:
    """The transpose / sum / shape / sign diagnoses, on the values as written (6 figures)."""
    from .tensor import same_shape_mistakes, shape_mistakes

    array = _array(given)
    if array is None:
        return None
    want = np.asarray(expected, dtype=object)
    for diagnose in (shape_mistakes, same_shape_mistakes):
        found = diagnose(None, name, want, array, False)
        if found:
            return found
    return None


def _array(given: Any) -> np.ndarray | None:
    """Nested tuples of quantities → an object array of floats; None when ragged."""
    def plain(item: Any) -> Any:
        return [plain(i) for i in item] if isinstance(item, tuple) else float(item.value)

    try:
        values = plain(given)
        array = np.array(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return array.astype(object)
