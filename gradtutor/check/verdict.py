"""Check results (every check): student answer → Verdict with feedback; display helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..numeric import Value, format_value

RIGHT, WRONG, FOLLOWS = "right", "wrong", "follows-through"


@dataclass(frozen=True)
class Counterexample:
    """A point where the answer and the right result differ, with both values."""

    point: tuple[tuple[str, Value], ...]
    expected: Value
    given: Value | None  # None: the answer is undefined there

    def describe(self) -> str:
        where = ", ".join(f"{name} = {format_value(v, exact=True)}" for name, v in self.point)
        given = "undefined" if self.given is None else format_value(self.given, 8)
        return (f"At {where}: the derivative is {format_value(self.expected, 8)}, "
                f"your answer gives {given}.")


@dataclass(frozen=True)
class Verdict:
    """One checked item: a formula, a number, a table cell or a sheet part."""

    item: str  # what was checked: "∂l/∂w", "v̄₋₁", "part b"
    status: str  # right | wrong | follows-through
    given: str  # the student's answer as written
    expected: str  # the right answer: simplest formula or value
    feedback: tuple[str, ...] = ()
    mistake: str = ""  # tag of the likely mistake: sign, chain-factor, fan-out …
    counterexample: Counterexample | None = None
    policy: str = ""  # how numbers were compared
    working: str = ""  # the correct line of working (table cells)

    @property
    def correct(self) -> bool:
        return self.status == RIGHT

    @property
    def credit(self) -> bool:
        """Right, or wrong only because of an earlier mistake (error carried forward)."""
        return self.status in (RIGHT, FOLLOWS)


@dataclass(frozen=True)
class CheckResult:
    """All verdicts of one check (a formula, a number, a table or a whole answer sheet)."""

    kind: str  # formula | number | table | sheet
    title: str
    verdicts: tuple[Verdict, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def correct(self) -> bool:
        return all(v.correct for v in self.verdicts)

    @property
    def score(self) -> tuple[int, int]:
        return sum(v.credit for v in self.verdicts), len(self.verdicts)

    @property
    def first_wrong(self) -> Verdict | None:
        return next((v for v in self.verdicts if v.status == WRONG), None)

    def assert_correct(self) -> None:
        """Raise AssertionError with the feedback unless all is right (notebook graders)."""
        if self.verdicts and self.correct:
            return
        wrong = [v for v in self.verdicts if not v.correct]
        raise AssertionError("\n".join([f"{self.title}: not right"] + [
            f"{v.item} = {v.given}: {' '.join(v.feedback)}" for v in wrong]))


def show(expr: sp.Expr) -> str:
    """A SymPy formula in gradtutor's own syntax (^ for powers), for feedback text."""
    from ..sym import source_text

    return source_text(expr, order="none")
