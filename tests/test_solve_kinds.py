"""Solver results against independent routes: finite differences, path sums, substitution."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtutor.numeric import to_mpf
from gradtutor.problems import parse_problem
from gradtutor.solve import solve
from gradtutor.sym import symbol

mpmath.mp.dps = 30
SIGMOID = {"sigmoid": lambda t: 1 / (1 + mpmath.exp(-t))}


def numeric(expr: sp.Expr, names: list[str]):  # an mpmath function of the named variables
    smooth = expr.replace(sp.Function("sigmoid"), lambda a: 1 / (1 + sp.exp(-a)))
    return sp.lambdify([symbol(n) for n in names], smooth.rewrite(sp.exp),
                       modules=[SIGMOID, "mpmath"])


def one(text: str):
    return solve(parse_problem(text)).parts[0].result


@pytest.mark.parametrize("f", ["sigmoid(w*x + b)^2", "log(1 + exp(-y*w*x))", "tanh(x*w) * b",
                               "erf(w) + sin(x*w)/(1 + b^2)"])
def test_derivative_value_matches_central_differences(f: str) -> None:
    r = one(f"title: T\nparts:\n  - {{id: a, kind: derivative, f: '{f}', wrt: w,\n"
            "      at: {w: 0.7, x: -1.3, b: 0.4, y: 1}}\n")
    fn = numeric(r.f, ["w", "x", "b", "y"])
    fd = mpmath.diff(lambda w: fn(w, mpmath.mpf("-1.3"), mpmath.mpf("0.4"), 1), mpmath.mpf("0.7"))
    assert abs(to_mpf(r.value) - fd) < 1e-20
    assert r.steps[-1].expr == r.f and sp.simplify(r.steps[-1].derivative - r.derivative) == 0


def test_gradient_is_exact_when_rational() -> None:
    r = one("title: T\nparts:\n  - {id: a, kind: gradient, f: x + 1/(w*x + b),\n"
            "      at: {x: 0.3, w: 0.5, b: 0.1}}\n")
    assert r.values == {"b": -16, "w": sp.Rational(-24, 5), "x": -7}


def test_descent_first_step_by_hand() -> None:
    r = one("title: T\nparts:\n  - {id: a, kind: descent, f: (sigmoid(w*x + b) - z)^2/2,\n"
            "      params: [w, b], start: {w: 0.2, b: -0.1}, rate: 0.5, steps: 2,\n"
            "      at: {x: 2, z: 1}}\n")
    loss = lambda w, b: (SIGMOID["sigmoid"](2 * w + b) - 1) ** 2 / 2  # noqa: E731
    w0, b0 = mpmath.mpf("0.2"), mpmath.mpf("-0.1")
    gw = mpmath.diff(lambda w: loss(w, b0), w0)
    gb = mpmath.diff(lambda b: loss(w0, b), b0)
    assert abs(to_mpf(r.steps[1].params["w"]) - (w0 - gw / 2)) < 1e-20
    assert abs(to_mpf(r.steps[1].params["b"]) - (b0 - gb / 2)) < 1e-20
    assert abs(to_mpf(r.steps[0].loss) - loss(w0, b0)) < 1e-25


def test_solutions_satisfy_the_equations() -> None:
    r = solve("lagrange_multipliers").parts[1].result
    for solution in r.solutions:
        values = {symbol(n): v for n, v in solution.items()}
        assert all(e.xreplace(values) == 0 for e in r.equations)


def test_limit_agrees_with_small_p() -> None:
    r = solve("squared_error_logistic", "f").parts[0].result
    fn = numeric(r.substituted, ["p", "x"])
    assert abs(fn(mpmath.mpf("1e-12"), 3)) < 1e-10 and r.value == 0


def test_cases_derivatives_match_finite_differences_inside_each_case() -> None:
    r = solve("activation_functions", "plu").parts[0].result
    fn = numeric(r.f.rewrite(sp.Piecewise), ["x"])
    for x in ("-3", "0.25", "2.5"):
        case = next(c for c in r.cases if bool(c.when.subs(symbol("x"), sp.Rational(x))))
        fd = mpmath.diff(fn, mpmath.mpf(x))
        assert abs(fd - float(case.derivative)) < 1e-15


def test_series_coefficients_match_mpmath_taylor() -> None:
    r = solve("taylor_activations", "tanh").parts[0].result
    coefficients = mpmath.taylor(mpmath.tanh, 0, 5)
    poly = sp.Poly(r.expansion, symbol("x"))
    for k, c in enumerate(coefficients):
        assert abs(float(poly.coeff_monomial(symbol("x") ** k)) - c) < 1e-15


def test_identity_that_fails_gives_a_counterexample() -> None:
    r = one("title: T\nparts:\n  - {id: a, kind: identity, lhs: tanh(z), rhs: 2*sigmoid(z) - 1}\n")
    assert not r.holds and "z" in r.counterexample


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=6, max_size=6))
def test_edge_adjoints_equal_the_sum_over_paths(labels: list[int]) -> None:
    edges = [("x1", "h1"), ("x1", "h2"), ("x2", "h1"), ("x2", "h2"), ("h1", "o"), ("h2", "o")]
    text = "\n".join(f"      - {{from: {a}, to: {b}, d: {d}}}"
                     for (a, b), d in zip(edges, labels, strict=True))
    r = one(f"title: T\nparts:\n  - id: a\n    kind: edges\n    output: o\n    loss: o^2\n"
            f"    value: 3\n    edges:\n{text}\n")
    adjoints = {row.node: row.adjoint for row in r.rows}
    for name in ("x1", "x2"):
        assert adjoints[name] == sum(v for i, _, v in r.paths if i == name)
