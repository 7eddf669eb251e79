"""Practice, summary: a finished session's cell records → score, mistakes, one thing to review."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .exercise import Exercise
from .judge import FOLLOWS, RIGHT
from .session import UNANSWERED, CellRecord, State

ADVICE = {
    "fan-out": "fan-out: a node used by several others gets one contribution per use, and its "
               "adjoint is their sum",
    "no-upstream": "the chain rule: multiply each local partial by the upstream adjoint v̄ᵢ",
    "seed": "the seed: the output's adjoint is ∂y/∂y = 1",
    "sign": "signs: check the sign of each local partial (∂(a − b)/∂b = −1)",
    "sign-slip": "subtraction: ∂(a − b)/∂b = −1, so the contribution to b changes sign",
    "copied": "keep the rows apart: each vᵢ is computed from its own arguments",
    "decimal-slip": "place value: recheck where the decimal point goes",
    "constant-factor": "factors of 2 (from squares and halves)",
    "truncated": "rounding: round the last digit instead of cutting it off",
    "arithmetic": "the forward pass: compute each vᵢ from its arguments' values (type table "
                  "to see them)",
    "local-partial": "the local partial of each rule (type hint on a cell to see it)",
    "other": "the rules used in this exercise (type hint to see them)",
    "transpose": "matrix gradients: for h = W@x, W̄ = h̄ xᵀ (the shape of W) and x̄ = Wᵀh̄",
    "shape": "shapes: a gradient has the shape of its variable (W̄ like W, x̄ like x)",
    "missing-factor": "elementwise functions: backprop multiplies ḡ ⊙ f′ entry by entry (the "
                      "ReLU mask, σ′ = σ(1 − σ))",
    "sum-not-broadcast": "sum's rule: ḡ is broadcast back to every entry, not summed",
    "missing-sum": "broadcast variables: add up the contributions of every row (sample)",
}


GENERIC = ("arithmetic", "local-partial", "other")


@dataclass(frozen=True)
class Summary:
    cells: int
    right: int  # right on the first or second try
    credit: int  # right, or following through from an earlier mistake
    right_first: int
    hints: int
    mistakes: tuple[tuple[str, int], ...]  # mistake kind → times, most frequent first
    review: str
    completed: bool

    @property
    def passed(self) -> bool:
        return self.right == self.cells


def summarize(state: State) -> Summary:
    records: tuple[CellRecord, ...] = state.records
    mistakes = Counter(m for r in records for m in r.mistakes)
    return Summary(
        cells=len(state.exercise.cells),
        right=sum(r.status == RIGHT for r in records),
        credit=sum(r.status in (RIGHT, FOLLOWS) for r in records),
        right_first=sum(r.first_try for r in records),
        hints=sum(r.hints for r in records),
        mistakes=tuple(mistakes.most_common()),
        review=_review(records, mistakes, state.exercise),
        completed=not any(r.status == UNANSWERED for r in records))


def _review(records: tuple[CellRecord, ...], mistakes: Counter, exercise: Exercise) -> str:
    if mistakes:
        # On a tie, a named mistake (fan-out, seed …) teaches more than plain arithmetic.
        kind = max(mistakes, key=lambda k: (mistakes[k], k not in GENERIC))
        if kind.startswith("missing-") and kind.endswith("-factor"):
            kind = "missing-factor"  # missing-relu-factor, missing-sigmoid-factor …
        return ADVICE.get(kind, f"{kind} mistakes ({ADVICE['other']})")
    missed = [exercise.cell(r.id).label for r in records if r.status not in (RIGHT, FOLLOWS)]
    if missed:
        return f"the cells you did not answer: {', '.join(missed[:4])}" + \
            (" …" if len(missed) > 4 else "")
    if any(r.hints for r in records):
        return "the same table again without hints"
    level = exercise.level
    nxt = f" — try --level {level + 1}" if level and level < 5 else ""
    return f"nothing: every cell right{nxt}"
