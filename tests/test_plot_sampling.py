"""Plot sampling: float values agree with SymPy's evalf and f′ with central differences;
jumps split the curve, undefined points leave gaps or holes, poles are refused."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtutor.errors import DomainError, InputError
from gradtutor.plotting import make_plot, parse_range
from gradtutor.sampling import float_function, sample, special_points, value_at
from gradtutor.sym import parse_formula

FUNCTIONS = ["sigmoid(x)", "tanh(x)", "relu(x)", "leaky_relu(x)", "softplus(x)", "erf(x)",
             "abs(x) - 1", "max(0.1*(x + 1) - 1, min(0.1*(x - 1) + 1, x))", "exp(-x^2)",
             "sin(x)*cos(2*x)", "max(0, 1 - x)", "log(1 + exp(-x))", "x^3 - 2*x", "sqrt(x^2 + 1)"]


def _curve(source: str, derivative: bool = False):
    expr = parse_formula(source)
    (var,) = expr.free_symbols
    return (sp.diff(expr, var) if derivative else expr), var


@settings(max_examples=60, deadline=None)
@given(source=st.sampled_from(FUNCTIONS), x=st.floats(-6, 6).filter(lambda v: abs(v) > 1e-3))
def test_float_values_agree_with_sympy_evalf(source: str, x: float) -> None:
    for derivative in (False, True):
        expr, var = _curve(source, derivative)
        expected = float(expr.subs(var, sp.Float(x, 30)).rewrite(sp.exp).evalf(30))
        got = float_function(expr, var)(x)
        assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12), (source, x)


@settings(max_examples=60, deadline=None)
@given(source=st.sampled_from(FUNCTIONS), x=st.floats(-4, 4))
def test_derivative_agrees_with_central_differences(source: str, x: float) -> None:
    f, var = _curve(source)
    fprime = float_function(sp.diff(f, var), var)
    fn = float_function(f, var)
    kinks = special_points(f, var, -10, 10)
    if any(abs(x - k) < 1e-3 for k in kinks):
        return  # one-sided there; the kink conventions are tested in test_rules
    h = 1e-6
    estimate = (fn(x + h) - fn(x - h)) / (2 * h)
    assert math.isclose(fprime(x), estimate, rel_tol=1e-5, abs_tol=1e-6), (source, x)


def test_relu_derivative_jumps_at_zero_without_a_vertical_line() -> None:
    expr, var = _curve("relu(x)", derivative=True)
    runs = sample(expr, var, -5, 5, 100).runs
    assert len(runs) == 2
    assert runs[0][-1] == (0.0, 0.0)  # the step at 0 is sampled exactly: relu′(0) = 0
    assert all(y == 0 for _, y in runs[0]) and all(y == 1 for _, y in runs[1])


def test_steps_found_between_samples() -> None:
    expr, var = _curve("relu(sin(x))", derivative=True)  # steps at −π, 0, π: not sampled
    runs = sample(expr, var, -5, 5, 33).runs
    assert len(runs) == 4
    assert [round(run[0][0], 3) for run in runs[1:]] < [-math.pi + 0.4, 0.4, math.pi + 0.4]


def test_a_tie_is_sampled_exactly_with_the_half_convention() -> None:
    expr, var = _curve("max(0, 1 - x)", derivative=True)  # step at x = 1, derivative −1 → 0
    runs = sample(expr, var, -5, 5, 7).runs
    assert [len(run) for run in runs] == [5, 1, 3]
    assert runs[1] == ((1.0, -0.5),)  # at the tie, each side gets 1/2


def test_continuous_curves_are_one_run() -> None:
    for source in ["sigmoid(x)", "tanh(10*x)", "relu(x)", "abs(x)", "exp(-x^2)"]:
        expr, var = _curve(source)
        assert len(sample(expr, var, -5, 5, 240).runs) == 1, source


def test_undefined_region_is_a_gap_and_removable_point_a_hole() -> None:
    expr, var = _curve("sqrt(x)")
    samples = sample(expr, var, -2, 2, 40)
    assert len(samples.runs) == 1 and samples.runs[0][0] == (0.0, 0.0)
    assert samples.holes == ()
    expr, var = _curve("(x^2 - 1)/(x - 1)")
    samples = sample(expr, var, -2, 3, 40)
    assert len(samples.runs) == 2
    ((x, y),) = samples.holes
    assert x == 1.0 and math.isclose(y, 2.0)


@pytest.mark.parametrize(("source", "range_text", "at"), [
    ("1/x", "-5,5", 0.0), ("log(x)", "0,5", 0.0), ("tan(x)", "-2,2", -math.pi / 2),
    ("1/(x^2 - 1)", "0,3", 1.0)])
def test_range_with_a_pole_is_refused(source: str, range_text: str, at: float) -> None:
    with pytest.raises(DomainError, match="pole") as err:
        make_plot([source], range_text)
    assert f"≈ {at:.6g}" in err.value.message


def test_derivative_pole_is_refused_but_f_alone_is_fine() -> None:
    make_plot(["sqrt(x)"], "0,4")
    with pytest.raises(DomainError, match="the derivative of sqrt"):
        make_plot(["sqrt(x)"], "0,4", derivative=True)


@pytest.mark.parametrize(("text", "message"), [
    ("5,5", "is empty"), ("5,-5", "is empty"), ("1", "two numbers"), ("a,2", "not a number"),
    ("0,", "two numbers")])
def test_bad_ranges(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_range(text)


def test_range_accepts_constants() -> None:
    assert parse_range("-pi,pi") == (-sp.pi, sp.pi)
    assert parse_range(None) == (-5, 5)


def test_tangent_line_is_exact() -> None:
    plot = make_plot(["x^2"], "-2,2", tangent_at="1")
    (tangent,) = plot.tangents
    assert (tangent.value, tangent.slope) == (1, 2)
    plot = make_plot(["sigmoid(x)"], tangent_at="0")
    assert plot.tangents[0].slope == sp.Rational(1, 4)  # σ′(0) = 1/4
    with pytest.raises(InputError, match="outside the range"):
        make_plot(["x"], "0,1", tangent_at="2")


def test_value_at_is_none_outside_the_domain() -> None:
    expr, var = _curve("log(x)")
    assert value_at(float_function(expr, var), -1.0) is None


@pytest.mark.parametrize("source", ["sinh(x)", "atan(x)", "gelu(x)", "elu(x)", "softsign(x)",
                                    "silu(x)", "log2(x + 6)"])
def test_every_function_of_the_language_samples(source: str) -> None:
    for derivative in (False, True):
        expr, var = _curve(source, derivative)
        fn = float_function(expr, var)
        for x in (-1.5, 0.3, 2.0):
            expected = float(sp.N(expr.subs(var, sp.Rational(str(x))), 20))
            assert math.isclose(fn(x), expected, rel_tol=1e-9, abs_tol=1e-12), (source, x)
