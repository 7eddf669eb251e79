"""Stage 1 data: the syntax tree the parser builds (numbers, constants, names, calls, programs)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .errors import LimitError

MAX_EXACT_DIGITS = 100_000


@dataclass(frozen=True)
class Num:
    value: Fraction
    offset: int
    text: str


@dataclass(frozen=True)
class Const:
    name: str  # "pi" or "e"
    offset: int


@dataclass(frozen=True)
class Name:
    id: str
    offset: int


@dataclass(frozen=True)
class Call:
    op: str  # add sub mul div pow neg, or a function's operation
    args: tuple[Syntax, ...]
    offset: int
    length: int = 1


Syntax = Num | Const | Name | Call


@dataclass(frozen=True)
class Assign:
    target: str
    value: Syntax
    offset: int


@dataclass(frozen=True)
class Program:
    statements: tuple[Assign, ...]
    output: str
    source: str
    named_output: bool  # False when the last statement was a bare expression
    notes: tuple[str, ...] = ()  # things the reader should know (a constant reassigned …)


def postorder(root: Syntax) -> list[Syntax]:
    """Every node after its arguments, left to right (iterative: any depth, linear time)."""
    out: list[Syntax] = []
    stack: list[tuple[Syntax, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded or not isinstance(node, Call):
            out.append(node)
            continue
        stack.append((node, True))
        stack.extend((arg, False) for arg in reversed(node.args))
    return out


def free_names(node: Syntax) -> list[Name]:
    """Names in first-appearance order (with repeats), left to right."""
    return [n for n in postorder(node) if isinstance(n, Name)]


def input_names(program: Program) -> list[str]:
    """The program's free inputs, in order of first appearance."""
    assigned = {st.target for st in program.statements}
    seen: dict[str, None] = {}
    for st in program.statements:
        for name in free_names(st.value):
            if name.id not in assigned:
                seen.setdefault(name.id)
    return list(seen)


def guard_power(base: Fraction, exponent: Fraction, where: str = "") -> None:
    """Refuse exact powers whose result would have more than MAX_EXACT_DIGITS digits."""
    if base == 0 or exponent.denominator != 1:
        return
    size = max(abs(base.numerator), base.denominator)
    if size == 1:  # ±1 to any integer power is ±1
        return
    # bit lengths, not float(int) or str(int): both fail on numbers like 2^65536
    digits = abs(exponent.numerator).bit_length() > 64 or \
        abs(exponent.numerator) * math.log10(max(size, 2)) > MAX_EXACT_DIGITS
    if digits:
        shown = f"{base}^{exponent}" if size.bit_length() + exponent.numerator.bit_length() < 200 \
            else "a power"
        raise LimitError(
            f"{shown} is too large to compute exactly (more than {MAX_EXACT_DIGITS} digits)",
            location=where,
            hint=f"keep exact powers below {MAX_EXACT_DIGITS} digits, e.g. use smaller exponents",
        )
