"""Stage 3c, verify: graph + point + gradient → a central-difference check along random directions.

The check is linear in the graph: along a direction d it compares the directional derivative
∇y·d from the adjoints with (y(x + h·d) − y(x − h·d)) / 2h, so each direction costs two primal
sweeps whatever the number of inputs. Each input moves in proportion to its own size (x = 1e−20
moves by about 1e−45, never across zero), and the working precision grows with the ratio of the
largest primal value to |∇y·d| so the difference resolves derivatives as small as 1e−417.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

from .errors import GradtutorError
from .forward import primal_values
from .graph import Graph
from .numeric import CTX, DIGITS, Value, add, binary_exponent, mul, to_mpf

DIRECTIONS = 2  # random directions (one when there is a single input)
STEP_DIGITS = 25  # h = 10^−25 in units of each input's size
GUARD_DIGITS = 30  # digits beyond DIGITS so that rounding stays far below the step
MAX_EXTRA_DIGITS = 3_000  # extra digits for derivatives much smaller than the values
TOLERANCE = CTX.mpf("1e-20")  # relative to Σ|∂y/∂xᵢ·dᵢ|
SEED = 20_241_125


def finite_difference_error(graph: Graph, point: dict[str, Value],
                            gradient: dict[str, Value]) -> tuple[Value | None, str]:
    """(max relative difference over the directions, "") or (None, why it was skipped)."""
    values = primal_values(graph, point)
    largest = max((binary_exponent(v) for v in values.values() if v != 0), default=0)
    rng = random.Random(SEED)
    worst = CTX.mpf(0)
    for _ in range(min(DIRECTIONS, len(graph.inputs))):
        direction = {name: _component(rng, x) for name, x in point.items()}
        error, note = _along(graph, point, gradient, direction, largest)
        if error is None:
            return None, note
        worst = max(worst, error)
    return worst, ""


def kink_effect(graph: Graph, point: dict[str, Value], gradient: dict[str, Value]) -> str:
    """At a kink of some node, is the whole output's derivative really ambiguous?

    Along each random direction d, the one-sided derivatives (y(x + h·d) − y(x))/h and
    (y(x) − y(x − h·d))/h are taken at two steps h. Where the output is smooth their gap
    shrinks with h; at a real kink it does not. "real" (relu at 0, max at a tie), "cancels"
    (the stable log-sum-exp with m = max(a, b) at a tie: smooth, and the adjoints give its
    derivative), or "convention" (smooth, but the conventions at the kinks give another
    gradient: relu(x) − relu(−x) at 0).
    """
    values = primal_values(graph, point)
    largest = max((binary_exponent(v) for v in values.values() if v != 0), default=0)
    rng = random.Random(SEED)
    found = "cancels"
    for _ in range(min(DIRECTIONS, len(graph.inputs))):
        direction = {name: _component(rng, x) for name, x in point.items()}
        slope, _spread = _slope(gradient, direction)
        try:
            gaps = [_one_sided(graph, point, direction, step, largest, slope)
                    for step in KINK_STEPS]
        except GradtutorError:
            return "real"
        if _persists(gaps[0][0], gaps[1][0]):
            return "real"
        if _persists(gaps[0][1], gaps[1][1]):
            found = "convention"
    return found


KINK_STEPS = (20, 30)  # h = 10^−20 and 10^−30 in units of each input's size


def _persists(first: Value, second: Value) -> bool:
    """A gap that does not shrink with the step (1e10 times smaller) is real, not O(h)."""
    return second > 0 and second > first * CTX.mpf("1e-3")


def _one_sided(graph: Graph, point: dict[str, Value], direction: dict[str, Value], step: int,
               largest: int, slope: Value) -> tuple[Value, Value]:
    """(|right − left|, |right − ∇y·d|) at h = 10^−step, with gaps below rounding set to 0."""
    digits = DIGITS + GUARD_DIGITS + 2 * step
    with CTX.workdps(digits):
        h = CTX.mpf(10) ** -step
        ahead, here, behind = (_output(graph, point, direction, sign * h)
                               for sign in (1, 0, -1))
        right, left = (ahead - here) / h, (here - behind) / h
        floor = CTX.mpf(10) ** (GUARD_DIGITS - digits) * CTX.mpf(2) ** largest / h
        gaps = abs(right - left), abs(right - to_mpf(slope))
        return tuple(g if g > floor else CTX.mpf(0) for g in gaps)  # type: ignore[return-value]


def _slope(gradient: dict[str, Value], direction: dict[str, Value]) -> tuple[Value, Value]:
    """∇y·d and Σ|∂y/∂xᵢ·dᵢ| (the size of the terms, against which differences are judged)."""
    slope: Value = Fraction(0)
    spread = CTX.mpf(0)
    for name, d in direction.items():
        term = mul(gradient[name], d)
        slope, spread = add(slope, term), spread + abs(to_mpf(term))
    return slope, spread


def _output(graph: Graph, point: dict[str, Value], direction: dict[str, Value],
            t: Value) -> Value:
    moved = {name: to_mpf(x) + t * to_mpf(direction[name]) for name, x in point.items()}
    return to_mpf(primal_values(graph, moved)[graph.output.index])


def _component(rng: random.Random, x: Value) -> Value:
    """±(0.5 … 1) times the input's size (1 at zero), so every input moves relatively."""
    size = abs(x) if x != 0 else Fraction(1)
    return mul(Fraction(rng.choice((-1, 1)) * rng.randint(500, 1000), 1000), size)


def _along(graph: Graph, point: dict[str, Value], gradient: dict[str, Value],
           direction: dict[str, Value], largest: int) -> tuple[Value | None, str]:
    slope, spread = _slope(gradient, direction)
    reference = spread if spread else CTX.mpf(2) ** largest
    extra = max(0, math.ceil((largest - binary_exponent(reference)) * math.log10(2)))
    if extra > MAX_EXTRA_DIGITS:
        return None, (f"finite differences skipped: the derivative is about 10^−{extra} of the "
                      f"values, beyond the {MAX_EXTRA_DIGITS} extra digits the check may use")
    for step in (STEP_DIGITS, 2 * STEP_DIGITS):  # a smaller step near the edge of the domain
        with CTX.workdps(DIGITS + GUARD_DIGITS + step - STEP_DIGITS + extra):
            estimate = _central(graph, point, direction, CTX.mpf(10) ** -step)
            if estimate is not None:
                return abs(estimate - to_mpf(slope)) / reference, ""
    return None, ("finite differences skipped: the point is too close to the edge of the "
                  "domain to step around it")


def _central(graph: Graph, point: dict[str, Value], direction: dict[str, Value],
             h: Value) -> Value | None:
    try:
        ahead, behind = (_output(graph, point, direction, sign * h) for sign in (1, -1))
    except GradtutorError:
        return None
    return (ahead - behind) / (2 * h)
