"""Check, tensor repair: a formula answer whose shapes do not fit → a wrong verdict and its fix.

``W@h_bar`` for x̄ cannot even be computed when W is 2×3 and h̄ has 2 entries. That is not bad
input but the classic transpose slip, so it is marked wrong (exit 1), with the reason and, where
one small change makes it right, that change: transpose one matrix (``W.T@h_bar``), swap the
two sides of ``@``, or write the outer product (``outer(h_bar, x)`` for ``h_bar@x``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..errors import GradtutorError, ShapeError
from ..tensor import shape_text
from .verdict import WRONG, Verdict

MAX_CANDIDATES = 40
_SUBSCRIPTED = re.compile("v[₋]?[₀₁₂₃₄₅₆₇₈₉]+")


def unfit_verdict(result: Any, wrt: str, expected: np.ndarray, item: str, answer: str,
                  error: ShapeError) -> Verdict:
    """The verdict for an answer that raised ``error`` while its shapes were worked out."""
    message = _SUBSCRIPTED.sub("(…)", error.message)  # W@v₂: v₂ is no name the student wrote
    feedback = [f"your formula cannot be computed: {message}",
                f"∂/∂{wrt} has the shape of {wrt}: {shape_text(np.shape(expected))}"]
    fix = _repair(result, expected, answer)
    mistake = "shape"
    if fix is not None:
        written, mistake = fix
        feedback.append(f"{written} gives the right gradient ({_lesson(mistake)})")
    from ..tensor import tensor_text

    return Verdict(item, WRONG, answer, tensor_text(expected), tuple(feedback), mistake)


def _lesson(mistake: str) -> str:
    if mistake == "outer":
        return "for h = W@x, W̄ = h̄ xᵀ is an outer product, not @ of two vectors"
    if mistake == "transpose":
        return "for h = W@x, W̄ = h̄ xᵀ and x̄ = Wᵀh̄: a gradient has the shape of its variable"
    return "the two sides of @ were the wrong way round"


def _repair(result: Any, expected: np.ndarray, answer: str) -> tuple[str, str] | None:
    from .tensor import answer_environment, close, evaluate_answer

    env = answer_environment(result)
    for candidate, mistake in _candidates(answer, env):
        try:
            value = evaluate_answer(result, candidate)
        except GradtutorError:
            continue
        if close(value, expected, True):
            return candidate, mistake
    return None


def _candidates(answer: str, env: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Answers one slip away, most likely first, at most MAX_CANDIDATES of them."""
    matrices = [name for name, value in env.items() if np.ndim(value) == 2
                and re.search(rf"\b{re.escape(name)}\b", answer)]
    count = 0
    for candidate, mistake in _one_slip(answer, matrices):
        if candidate != answer:
            count += 1
            if count > MAX_CANDIDATES:
                return
            yield candidate, mistake


def _one_slip(answer: str, matrices: list[str]) -> Iterator[tuple[str, str]]:
    for name in matrices:
        yield _toggle_transpose(answer, name), "transpose"
    product = _product_sides(answer, "*")
    if product is not None:
        yield f"outer({product[0]}, {product[1]})", "outer"
        yield f"outer({product[1]}, {product[0]})", "outer"
    sides = _product_sides(answer, "@")
    if sides is None:
        return
    left, right = sides
    yield f"outer({left}, {right})", "outer"
    yield f"outer({right}, {left})", "outer"
    swapped = f"{right}@{left}"
    yield swapped, "swapped"
    for name in matrices:
        yield _toggle_transpose(swapped, name), "transpose"


def _toggle_transpose(answer: str, name: str) -> str:
    """``W`` ↔ ``W.T`` (and ``transpose(W)`` → ``W``) for one name, everywhere it is written."""
    pattern = re.compile(rf"transpose\(\s*{re.escape(name)}\s*\)|\b{re.escape(name)}\b(\.T\b)?")

    def flip(match: re.Match[str]) -> str:
        return name if match.group(0) != name else f"{name}.T"

    return pattern.sub(flip, answer)


def _product_sides(answer: str, operator: str) -> tuple[str, str] | None:
    """The two sides of the one top-level ``@`` (or ``*``) in the answer, if it has one."""
    depth, at = 0, []
    for position, char in enumerate(answer):
        depth += (char in "([") - (char in ")]")
        if char == operator and depth == 0 and "**" not in answer[position - 1:position + 2]:
            at.append(position)
    if len(at) != 1:
        return None
    left, right = answer[:at[0]].strip(), answer[at[0] + 1:].strip()
    return (left, right) if left and right else None
