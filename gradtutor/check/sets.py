"""Set check (feeds sheets and solve): an interval or inequality answer → right or wrong.

The answer's pieces are compared with the true set's: the same number of pieces, each end
open or closed as it should be, each finite endpoint equal to the precision it is written
to (−1.15 means −1.15 ± 0.005, so it is right for −1.1522…; 1/4 must be exact).
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import GradtutorError
from ..intervals import Bound, parse_set, pieces_of, show_number
from ..numeric import from_sympy
from .number import policy_for
from .verdict import RIGHT, WRONG, Verdict


def compare_sets(answer: str, truth: sp.Set) -> tuple[bool, str]:
    """(right, what differs) for a written set against the true one."""
    written, true = parse_set(answer), pieces_of(truth)
    if len(written) != len(true):
        return False, (f"the set has {len(true)} piece{'s' * (len(true) != 1)}, yours "
                       f"{len(written)}")
    for mine, right in zip(written, true, strict=True):
        for side, a, b in (("lower", mine.low, right.low), ("upper", mine.high, right.high)):
            why = _end(side, a, b)
            if why:
                return False, why
    return True, ""


def _end(side: str, mine: Bound, right: Bound) -> str:
    if mine.value.is_infinite or right.value.is_infinite:
        return "" if mine.value == right.value else \
            f"the {side} end is {show_number(right.value)}, not {show_number(mine.value)}"
    policy = policy_for(mine.text or str(mine.value))
    if not policy.matches(from_sympy(right.value), from_sympy(mine.value)):
        return f"the {side} end is {show_number(right.value)}, not {mine.text} ({policy.text})"
    if mine.closed != right.closed:
        kind = "closed (the end belongs to the set)" if right.closed else \
            "open (the end is not in the set)"
        return f"the {side} end {mine.text} should be {kind}"
    return ""


def check_set(problem: Any, part: Any, result: Any, given: dict) -> list[Verdict]:
    """Answer-sheet checker for a set part: ``set: "w1 < -1.15"``."""
    answer = given.get("set")
    if answer is None:
        return []
    text = answer.text if hasattr(answer, "text") else str(answer)
    try:
        ok, why = compare_sets(text, result.set)
    except GradtutorError as err:
        return [Verdict(f"{part.id}.set", WRONG, text, result.text,
                        (f"Could not read your set: {err.message}", f"Try: {err.hint}"),
                        "unreadable")]
    feedback = ("Right: the same set.",) if ok else (f"Not the same set: {why}.",)
    return [Verdict(f"{part.id}.set", RIGHT if ok else WRONG, text, result.text, feedback,
                    "" if ok else "set")]
