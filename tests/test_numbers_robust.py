"""Right numbers or a clear refusal: poles, tiny and huge values, the finite-difference check.

Every number asserted here comes from a route that shares nothing with gradtutor's sweeps:
mpmath at 80 digits, exact integer arithmetic, sympy.diff, or a hand-written dual-number
evaluation of the sin/cos ladder.
"""

from __future__ import annotations

import json
import time
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

import gradtutor
from gradtutor import finite_diff
from gradtutor.numeric import to_mpf

MP = mpmath.MPContext()
MP.dps = 80


def test_tan_at_its_pole_is_a_domain_error(cli) -> None:
    result = cli("trace", "tan(x)", "--at", "x=pi/2")
    assert result.code == 2 and result.out == ""
    assert "pole" in result.err and "Try:" in result.err
    assert cli("trace", "tan(x)", "--at", "x=3*pi/2").code == 2


def test_tan_near_its_pole_is_a_number() -> None:
    r = gradtutor.trace("tan(x)", x=1.5707963267948966)  # the float nearest π/2 is not π/2
    expected = MP.tan(MP.mpf("1.5707963267948966"))
    # condition number x/(sin x cos x) ≈ 2.6e16 times the 50-digit rounding of x
    assert abs(to_mpf(r.value) - expected) / expected < MP.mpf("1e-30")


def test_log_of_a_tiny_input_is_not_rounded_first(cli) -> None:
    result = cli("trace", "log(x)", "--at", "x=1e-20")
    assert result.code == 0, result.err
    assert "−46.0517" in result.out and "✗" not in result.out
    r = gradtutor.trace("log(x)", "x=1e-20")
    assert abs(to_mpf(r.value) - MP.log(MP.mpf("1e-20"))) < MP.mpf("1e-45")
    assert r.gradient["x"] == Fraction(10**20)  # 1/x, exact


@pytest.mark.parametrize("source,at", [
    ("exp(x)", "x=30"), ("x^10", "x=100"), ("1/x", "x=1e-10"), ("exp(-x)", "x=300"),
    ("sqrt(x)", "x=1e-30"), ("sin(x)*x^3", "x=1e8"), ("log(x+1) - x", "x=1e-12"),
    ("x*y + exp(y/x)", "x=1e-3,y=2e-2"), ("(x + 10^30) - 10^30", "x=1"),
])
def test_finite_differences_agree_at_ordinary_points(cli, source: str, at: str) -> None:
    result = cli("trace", source, "--at", at)
    assert result.code == 0, result.err
    assert "✓ agrees with central finite differences" in result.out
    assert "✗" not in result.out
    r = gradtutor.trace(source, at)
    from gradtutor.sym import parse_formula, symbol

    expr = parse_formula(source)
    subs = {symbol(k): sp.Rational(str(v.numerator)) / v.denominator for k, v in r.point.items()}
    for name, value in r.gradient.items():
        exact = sp.diff(expr, symbol(name)).xreplace(subs).evalf(60)
        assert abs(to_mpf(value) - MP.mpf(str(exact))) <= MP.mpf("1e-40") * max(1, abs(exact))


def test_a_wrong_adjoint_is_exit_3_with_the_report(cli, monkeypatch) -> None:
    from gradtutor import forward

    real = forward.local_partials

    def wrong(op: str):
        parts = real(op)
        return tuple(2 * p for p in parts) if op == "sin" else parts

    monkeypatch.setattr(forward, "local_partials", wrong)
    result = cli("trace", "sin(x)", "--at", "x=1")
    assert result.code == 3
    assert "✗ DISAGREES with central finite differences" in result.out
    assert "✓ agrees with central" not in result.out
    assert "bug in gradtutor" in result.err
    assert cli("trace", "sin(x)", "--at", "x=1", "--format", "json").code == 3


def _ladder(layers: int) -> str:
    lines = ["t1 = sin(x)", "b1 = cos(x)"]
    for k in range(2, layers + 1):
        lines += [f"t{k} = sin(t{k - 1} + b{k - 1})", f"b{k} = cos(t{k - 1} + b{k - 1})"]
    return "\n".join(lines + [f"o = t{layers}*b{layers}"])


def _ladder_derivative(layers: int, x: int) -> mpmath.mpf:
    """Forward mode with (value, derivative) pairs, written out by hand at 600 digits."""
    ctx = mpmath.MPContext()
    ctx.dps = 600
    t, dt = ctx.sin(x), ctx.cos(x)
    b, db = ctx.cos(x), -ctx.sin(x)
    for _ in range(layers - 1):
        s, ds = t + b, dt + db
        t, dt, b, db = ctx.sin(s), ctx.cos(s) * ds, ctx.cos(s), -ctx.sin(s) * ds
    return t * db + dt * b


def test_ladder_gradient_far_below_float_range_is_checked_and_kept() -> None:
    layers = 2200
    r = gradtutor.trace(_ladder(layers), x=1)
    expected = _ladder_derivative(layers, 1)
    assert expected != 0 and abs(expected) < mpmath.mpf("1e-400")
    assert abs(to_mpf(r.gradient["x"]) - expected) / abs(expected) < mpmath.mpf("1e-30")
    check = r.verification
    assert check.fd_error is not None and check.agrees, check.fd_note
    from gradtutor.render.trace_json import trace_json_text

    doc = json.loads(trace_json_text(r))
    text = doc["gradient"]["x"]
    assert isinstance(text, str) and doc["gradient_text"]["x"] == text  # never 0.0
    assert abs(mpmath.mpf(text) - expected) / abs(expected) < mpmath.mpf("1e-15")


def test_finite_differences_cost_a_few_sweeps_whatever_the_inputs(monkeypatch) -> None:
    calls = []
    real = finite_diff.primal_values

    def counting(graph, point):
        calls.append(1)
        return real(graph, point)

    monkeypatch.setattr(finite_diff, "primal_values", counting)
    source = " + ".join(f"x{i}*x{i + 1}" for i in range(60))
    r = gradtutor.trace(source, {f"x{i}": i + 1 for i in range(61)})
    assert r.verification.fd_error is not None and r.verification.agrees
    assert len(calls) == 1 + 2 * finite_diff.DIRECTIONS  # not 2 per input (122)


def test_huge_exact_power_prints_in_scientific_notation(cli) -> None:
    r = gradtutor.trace("x^100000", x=10)
    assert r.value == Fraction(10) ** 100000  # exact
    assert r.gradient["x"] == 100000 * Fraction(10) ** 99999
    result = cli("trace", "x^100000", "--at", "x=10")
    assert result.code == 0, result.err
    assert "y = 1e+100000" in result.out and "✗" not in result.out
    doc = json.loads(cli("trace", "x^100000", "--at", "x=10", "--format", "json").out)
    assert doc["value"] == "1e+100000" and doc["value_text"] == "1e+100000"
    assert doc["gradient_text"]["x"] == "1e+100004"


@pytest.mark.parametrize("args,words", [
    (("2**2**2**2**2**2*x", "--at", "x=1"), "too large to compute exactly"),
    (("exp(exp(exp(exp(x))))", "--at", "x=10"), "10^±1,000,000"),
    (("x", "--at", "x=exp(exp(exp(10)))"), "10^±1,000,000"),
    (("; ".join(["a0 = x"] + [f"a{k} = a{k - 1}*a{k - 1}" for k in range(1, 31)]),
      "--at", "x=10"), "10^±1,000,000"),
    (("sin(x)", "--at", "x=10^5000"), "up to about 10^1000"),
])
def test_huge_values_are_a_clear_limit_error_fast(cli, args, words) -> None:
    start = time.perf_counter()
    result = cli("trace", *args)
    assert time.perf_counter() - start < 10
    assert result.code == 2, result.err
    assert words in result.err and "Traceback" not in result.err


def test_repeated_squaring_continues_past_the_exact_limit() -> None:
    source = "; ".join(["a0 = x"] + [f"a{k} = a{k - 1}*a{k - 1}" for k in range(1, 19)])
    r = gradtutor.trace(source, x=10)  # 10^(2^18): beyond exact fractions, within the limit
    assert abs(MP.log10(to_mpf(r.value)) - 2**18) < MP.mpf("1e-40")
    # d/dx x^(2^18) = 2^18 · x^(2^18 − 1): log10 = log10(2^18) + 2^18 − 1
    expected = MP.log10(2**18) + 2**18 - 1
    assert abs(MP.log10(to_mpf(r.gradient["x"])) - expected) < MP.mpf("1e-40")
    assert r.verification.agrees
    exact = gradtutor.trace("; ".join(["a0 = x"] + [f"a{k} = a{k - 1}*a{k - 1}"
                                                     for k in range(1, 15)]), x=10)
    assert exact.value == Fraction(10) ** 2**14


def test_format_of_big_and_small_values() -> None:
    from gradtutor.numeric import decimal_text, format_value

    assert format_value(Fraction(10) ** 100000) == "1e+100000"
    assert format_value(Fraction(-24, 5)) == "−4.8"
    assert format_value(Fraction(-24, 5), exact=True) == "−24/5"
    third = format_value(Fraction(1, 3), digits=40)
    assert third == "0." + "3" * 40  # all 40 digits right, not a float's 16
    assert decimal_text(Fraction(3, 10)) == "0.3"
    assert decimal_text(to_mpf(Fraction(3, 2)) / to_mpf(Fraction(10) ** 417)) == "1.5e-417"


@pytest.mark.parametrize("source,x", [("sigmoid(x)", 100), ("sigmoid(x)", 300),
                                      ("sigmoid(x)", -300), ("tanh(x)", 30),
                                      ("tanh(x)", -200)])
def test_saturated_sigmoid_and_tanh_keep_every_digit(source: str, x: int) -> None:
    """σ·(1 − σ) and 1 − tanh² cancel at large |x|; the partial is computed as σ(a)·σ(−a)
    and 1/cosh²(a). Independent: e^−x/(1 + e^−x)² and 1/cosh²(x) at 200 digits."""
    ctx = mpmath.MPContext()
    ctx.dps = 200
    at = ctx.mpf(x)
    expected = ctx.exp(-at) / (1 + ctx.exp(-at)) ** 2 if source.startswith("sigmoid") \
        else 1 / ctx.cosh(at) ** 2
    r = gradtutor.trace(source, x=x)
    assert abs(to_mpf(r.gradient["x"]) - expected) / expected < mpmath.mpf("1e-45")
    assert r.verification.agrees
    assert gradtutor.trace("sigmoid(x)", x=0).gradient["x"] == Fraction(1, 4)  # still exact
