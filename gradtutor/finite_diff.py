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


def _component(rng: random.Random, x: Value) -> Value:
    """±(0.5 … 1) times the input's size (1 at zero), so every input moves relatively."""
    size = abs(x) if x != 0 else Fraction(1)
    return mul(Fraction(rng.choice((-1, 1)) * rng.randint(500, 1000), 1000), size)


def _along(graph: Graph, point: dict[str, Value], gradient: dict[str, Value],
           direction: dict[str, Value], largest: int) -> tuple[Value | None, str]:
    slope: Value = Fraction(0)
    spread = CTX.mpf(0)
    for name, d in direction.items():
        term = mul(gradient[name], d)
        slope, spread = add(slope, term), spread + abs(to_mpf(term))
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
        ahead, behind = (primal_values(graph, {name: to_mpf(x) + sign * h * to_mpf(
            direction[name]) for name, x in point.items()})[graph.output.index]
            for sign in (1, -1))
    except GradtutorError:
        return None
    return (to_mpf(ahead) - to_mpf(behind)) / (2 * h)
