"""Practice, build: level/seed, EXPR + point, or a problem → an Exercise ready to ask."""

from __future__ import annotations

import random
from fractions import Fraction

from ..api import TraceResult, trace
from ..errors import DomainError, InputError
from ..numeric import Value
from .exercise import MODES, Exercise, table_exercise
from .generate import LEVELS, MAX_TRIES, Generated, candidate


def nice(value: Value, allow_irrational: bool = False) -> bool:
    """A short exact decimal (≤ 3 places), or a simple fraction (denominator ≤ 12)."""
    if not isinstance(value, Fraction):
        return allow_irrational
    if abs(value) > 1000:
        return False
    return 1000 % value.denominator == 0 or value.denominator <= 12


def generate(level: int, seed: int) -> Generated:
    """The first candidate of ``random.Random(seed)`` whose every cell is a nice number."""
    check_level(level)
    rng = random.Random(seed)
    for _ in range(MAX_TRIES):
        found = candidate(level, rng)
        try:
            result = trace(found.source, dict(found.at))
        except (DomainError, InputError):
            continue
        values = [*result.forward.values, *result.reverse.adjoints.values()]
        if len(result.graph.steps) >= 3 and all(nice(v, level == 5) for v in values):
            return found
    raise InputError(f"no exercise found for level {level} and seed {seed}",  # pragma: no cover
                     hint="try another --seed")


def check_level(level: int) -> None:
    if level not in LEVELS:
        raise InputError(f"--level must be 1 … 5, got {level}", hint="--level 3")


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise InputError(f"--mode {mode!r} is not one of: {', '.join(MODES)}",
                         hint="--mode reverse")


def level_exercise(level: int, seed: int | None, mode: str = "both") -> Exercise:
    """A generated exercise; without a seed, one is drawn (and recorded) so it can be redone."""
    check_mode(mode)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    found = generate(level, seed)
    result = trace(found.source, dict(found.at))
    return table_exercise(result, mode, level=level, seed=seed)


def expression_exercise(source: str, at: str | list[str], mode: str = "both",
                        at_file: str | None = None) -> Exercise:
    """Practise a given expression at a given point (vectors and matrices too)."""
    check_mode(mode)
    texts = [at] if isinstance(at, str) else list(at)
    if not any(t.strip() for t in texts) and not at_file:
        raise InputError("practising an expression needs the point",
                         hint=f'gradtutor practice "{source}" --at x=0.3,w=0.5')
    result = trace(source, [t for t in texts if t.strip()], at_file=at_file)
    if not isinstance(result, TraceResult):
        from .tensor import tensor_table_exercise

        return tensor_table_exercise(result, mode)
    return table_exercise(result, mode)
