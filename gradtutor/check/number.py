"""Number check: EXPR + --at (+ --wrt) + a number → Verdict, to the precision the student wrote.

0.802 means 0.802 ± 0.0005 (three decimal places written), so it is right for 0.80218…;
−4.8 is right for exactly −24/5; an integer, fraction or constant (−7, 1/3, pi/4) must be
exact. ``--rtol``/``--atol`` or ``--sigfigs`` replace that policy, and every verdict says which
policy was used. True values come from the trace core, so kinks follow its conventions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from ..api import trace
from ..errors import InputError
from ..numeric import Value, format_value, from_sympy, to_mpf
from ..sym import parse_value, symbol
from .candidates import RANK, candidates
from .points import same, value_at
from .problem import Problem, build_problem
from .verdict import RIGHT, WRONG, CheckResult, Verdict

_DECIMAL = re.compile(r"^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")
Alternative = tuple[str, str, Value]  # (mistake tag, message, the value that mistake gives)


@dataclass(frozen=True)
class Tolerance:
    """What the user asked for on the command line (all None: precision as written)."""

    rtol: Fraction | None = None
    atol: Fraction | None = None
    sigfigs: int | None = None


@dataclass(frozen=True)
class Policy:
    kind: str  # exact | decimals | sigfigs | tolerance
    text: str
    atol: Fraction = Fraction(0)
    rtol: Fraction = Fraction(0)
    sigfigs: int = 0
    decimals: int = 0

    def allowed(self, true: Value) -> Value:
        if self.kind == "sigfigs":
            if true == 0:
                return Fraction(0)
            exponent = int(mpmath.floor(mpmath.log10(abs(to_mpf(true))))) - self.sigfigs + 1
            return Fraction(1, 2) * Fraction(10) ** exponent
        return self.atol + self.rtol * abs(true)

    def matches(self, true: Value, given: Value) -> bool:
        if self.kind == "exact":
            return same(true, given)
        allowed = self.allowed(true) * (1 + Fraction(1, 10**20))  # 50-digit rounding room
        if isinstance(true, Fraction) and isinstance(given, Fraction):
            return abs(true - given) <= allowed
        return abs(to_mpf(true) - to_mpf(given)) <= to_mpf(allowed)


def policy_for(answer: str, tolerance: Tolerance = Tolerance()) -> Policy:
    """How to compare: the overrides if given, else the precision the answer is written to."""
    if tolerance.sigfigs is not None:
        return Policy("sigfigs", f"{tolerance.sigfigs} significant figures (--sigfigs)",
                      sigfigs=tolerance.sigfigs)
    if tolerance.rtol is not None or tolerance.atol is not None:
        rtol, atol = tolerance.rtol or Fraction(0), tolerance.atol or Fraction(0)
        return Policy("tolerance", f"within atol {format_value(atol, exact=False)} + rtol "
                      f"{format_value(rtol)} × |true value| (--atol/--rtol)", atol, rtol)
    m = _DECIMAL.match(normalize(answer))
    if m is None or (m.group(2) is None and m.group(3) is None) or not (m.group(1) or m.group(2)):
        return Policy("exact", "exact (an integer, fraction or formula must be exactly right)")
    decimals = len(m.group(2) or "") - int(m.group(3) or 0)
    atol = Fraction(1, 2) * Fraction(10) ** -decimals
    places = f"the {decimals} decimal place{'s' if decimals != 1 else ''}" if decimals > 0 \
        else "the precision"
    return Policy("decimals", f"compared to {places} written, ± {_plain(decimals)}",
                  atol=atol, decimals=decimals)


def _plain(decimals: int) -> str:
    """Half a unit in the last written place as a decimal: 3 → "0.0005", −2 → "50"."""
    return f"0.{'0' * decimals}5" if decimals >= 0 else str(5 * 10 ** (-decimals - 1))


def parse_number(answer: str, what: str = "answer") -> Value:
    try:
        return from_sympy(parse_value(normalize(answer), what))
    except InputError as err:
        if "is not a number" not in err.message:
            raise
        raise InputError(err.message, hint="with --at the answer is a number such as 0.802 "
                         "or -24/5; leave out --at to check a formula") from None


def normalize(text: str) -> str:
    """Accept the typographic minus students paste from notes (−4.8)."""
    return text.replace("\u2212", "-").strip()


def check_number(source: str, at: str | dict, answer: str, wrt: str | None = None,
                 tolerance: Tolerance = Tolerance()) -> CheckResult:
    """Is ``answer`` the value (or, with ``wrt``, the derivative) of ``source`` at ``at``?"""
    problem = build_problem(source, wrt)
    true, env = true_value(problem, at)
    alternatives = alternatives_at(problem, env)
    verdict = judge(problem.item, true, answer, tolerance, alternatives)
    return CheckResult("number", f"{problem.item} of {source} at {_point_text(env)}",
                       (verdict,))


def true_value(problem: Problem, at: str | dict) -> tuple[Value, dict]:
    result = trace(problem.source, at)
    env = {symbol(name): value for name, value in result.point.items()}
    if problem.wrt is None:
        return result.value, env
    if problem.wrt in result.gradient:
        return result.gradient[problem.wrt], env
    node = next(n for n in result.graph.nodes if n.name == problem.wrt)
    return result.reverse.adjoints[node.index], env


def _point_text(env: dict) -> str:
    return ", ".join(f"{s.name} = {format_value(v, exact=True)}" for s, v in env.items())


def alternatives_at(problem: Problem, env: dict) -> list[Alternative]:
    found = []
    for c in candidates(problem):
        try:
            value = value_at(c.expr, env)
        except NotImplementedError:
            value = None
        if value is not None:
            found.append((c.mistake, c.message, value))
    return sorted(found, key=lambda f: RANK.get(f[0], 8))  # the likeliest mistake first


def judge(item: str, true: Value, answer: str, tolerance: Tolerance,
          alternatives: Sequence[Alternative] = ()) -> Verdict:
    """One number against its true value, with the likely slip when it is wrong."""
    given = parse_number(answer)
    policy = policy_for(normalize(answer), tolerance)
    shown = format_value(true, 12)
    if policy.matches(true, given):
        return Verdict(item, RIGHT, answer, shown, (f"Right: the value is {shown}.",),
                       policy=policy.text)
    findings = number_slips(true, given, policy, alternatives)
    feedback = [message for _, message in findings]
    feedback.append(f"The value is {shown}; {answer} does not match it.")
    return Verdict(item, WRONG, answer, shown, tuple(feedback),
                   findings[0][0] if findings else "", policy=policy.text)


def number_slips(true: Value, given: Value, policy: Policy,
                 alternatives: Sequence[Alternative] = ()) -> list[tuple[str, str]]:
    if true != 0 and policy.matches(-true, given):
        return [("sign", "The sign is wrong; the size is right.")]
    if true != 0 and (true < 0) != (given < 0) and _truncated(-true, given, policy):
        return [("sign", "The sign is wrong, and the size is cut off instead of rounded: "
                         f"{format_value(true, 12)} rounds to "
                         f"{format_value(true, policy.decimals + 2)}.")]
    for mistake, message, value in alternatives:
        if policy.matches(value, given):
            return [(mistake, message)]
    for k in (1, -1, 2, -2, 3, -3):
        if true != 0 and policy.matches(true * Fraction(10) ** k, given):
            return [("decimal-slip", f"A decimal slip: your number is the value × 10^{k}.")]
    for factor, words in ((Fraction(2), "twice"), (Fraction(1, 2), "half")):
        if true != 0 and policy.matches(true * factor, given):
            return [("constant-factor", f"Your number is {words} the value.")]
    return _truncated(true, given, policy)


def _truncated(true: Value, given: Value, policy: Policy) -> list[tuple[str, str]]:
    if policy.kind != "decimals" or policy.decimals < 0:
        return []
    scale = Fraction(10) ** policy.decimals
    cut = int(to_mpf(abs(true)) * to_mpf(scale)) / scale  # toward zero
    if true < 0:
        cut = -cut
    if isinstance(given, Fraction) and given == cut:
        return [("truncated", f"You cut the value off instead of rounding it: "
                              f"{format_value(true, 12)} rounds to "
                              f"{format_value(true, policy.decimals + 1)}.")]
    return []


def parse_tolerance(rtol: str | None, atol: str | None, sigfigs: int | None) -> Tolerance:
    def fraction(text: str | None, option: str) -> Fraction | None:
        if text is None:
            return None
        value = parse_number(text, f"value of {option}")
        if value < 0:
            raise InputError(f"{option} must not be negative", hint=f"{option} 1e-3")
        return Fraction(str(to_mpf(value))) if not isinstance(value, Fraction) else value
    if sigfigs is not None and sigfigs < 1:
        raise InputError("--sigfigs must be at least 1", hint="--sigfigs 3")
    return Tolerance(fraction(rtol, "--rtol"), fraction(atol, "--atol"), sigfigs)
