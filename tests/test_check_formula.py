"""Formula checks: equivalent forms accepted, wrong ones rejected with the likely mistake."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtutor.check import check_formula
from gradtutor.errors import InputError, ParseError

LOSS = "(y - sigmoid(w*x))^2"
SEED004 = "a = w*x; p = sigmoid(a); l = (y - p)^2"


def verdict(source: str, wrt: str, answer: str):
    return check_formula(source, wrt, answer).verdicts[0]


@pytest.mark.parametrize("answer", [
    "sigmoid(x)*(1 - sigmoid(x))",
    "exp(-x)/(1 + exp(-x))^2",
    "1/(1 + exp(-x)) - 1/(1 + exp(-x))^2",
    "exp(x)/(1 + exp(x))^2",
])
def test_sigmoid_derivative_in_every_form_is_right(answer):
    v = verdict("sigmoid(x)", "x", answer)
    assert v.status == "right", v.feedback


@pytest.mark.parametrize("answer", ["sigmoid(x)", "sigmoid(x)*(1 + sigmoid(x))",
                                    "exp(-x)/(1 + exp(-x))", "sigmoid(x)^2"])
def test_sigmoid_derivative_wrong_forms_are_rejected_with_a_counterexample(answer):
    v = verdict("sigmoid(x)", "x", answer)
    assert v.status == "wrong"
    c = v.counterexample
    assert c is not None and c.given != c.expected
    assert v.feedback[-1].startswith("At x = ")


def test_unusual_right_form_shows_the_simplest_form():
    # Seed 000, exercise 8.2: the student's tanh' via 2σ(2z) − 1 is right, in an unusual form.
    v = verdict("tanh(z)", "z", "4*exp(-2*z)/(1 + exp(-2*z))^2")
    assert v.status == "right"
    assert "the simplest form is 1 - tanh(z)^2" in v.feedback[-1]


# --- real student answers from ../shared/seeds/, restated in gradtutor's syntax --------------
SEED_CASES = [
    # 004 1e: dl/dw = 2p³e^(−a)x − 3p²e^(−a)yx — the 3 should be 2.
    (SEED004, "w", "2*p^3*exp(-a)*x - 3*p^2*exp(-a)*y*x", "wrong", "term-coefficient",
     "should have the coefficient -2, not -3"),
    # 004 1e, the student's line before the slip: right, unsimplified.
    (SEED004, "w", "(2*p - 2*y)*(exp(-a)*p^2)*x", "right", "", ""),
    # 004 1a: dl/dp = 2p − 2y (wrt an intermediate name: the adjoint of p).
    (SEED004, "p", "2*p - 2*y", "right", "", ""),
    # 004 2b: hinge loss, case y·a < 1 only — right on part of the domain.
    ("max(0, 1 - y*w*x) + w^2", "w", "-y*x + 2*w", "wrong", "partly-right", "part of the domain"),
    # 001: dy/dv = σ(v)(1 − σ(u)) = y(1 − v) — v written where y belongs.
    ("y = sigmoid(v)", "v", "y*(1 - v)", "wrong", "wrong-name", "You wrote v where y belongs"),
    # 001: ∂J/∂y = y − t, but the target is called z.
    ("v = w*x + b; y = sigmoid(v); J = (y - z)^2/2", "y", "y - t", "wrong", "wrong-variable",
     "uses t"),
    # 001: the same derivative with the right name is right.
    ("v = w*x + b; y = sigmoid(v); J = (y - z)^2/2", "w", "(y - z)*y*(1 - y)*x", "right", "", ""),
    # 001 (2012/06/16): ∂L/∂o = 1/o for L = −log(o) — sign error.
    ("-log(o)", "o", "1/o", "wrong", "sign", "sign is wrong"),
    # 003 Q5: ∂E/∂ŷ written as (ŷ − y)² for E = ½(ŷ − y)² — the function, not its derivative.
    ("(yh - y)^2/2", "yh", "(yh - y)^2", "wrong", "value", "the function"),
    # 003 6(b): an extra product-rule term p(1 − p)log(p) in d(y·log σ(s))/ds.
    ("p = sigmoid(s); E = y*log(p)", "s", "p*(1-p)*log(p) + y*(1-p)", "wrong", "extra-term",
     "should not be there"),
    # 003 6(b): ∂z/∂w written with the output's ŷ(1 − ŷ) instead of z(1 − z).
    ("z = sigmoid(w*x); yh = sigmoid(v*z)", "w", "yh*(1-yh)*v*yh*(1-yh)*x", "wrong",
     "wrong-name", "You wrote yh where z belongs"),
    # 003 Q14 with h = σ(θx): right; with h = θx literally (as written): wrong, and the
    # counterexample must lie inside the domain of both logs.
    ("h = sigmoid(t*x); l = y*log(h) + (1-y)*log(1-h)", "t", "(y - h)*x", "right", "", ""),
    ("y*log(t*x) + (1-y)*log(1-t*x)", "t", "y*(1 - t*x)*x - (1-y)*t*x*x", "wrong", "", ""),
    # 003 Q10: ∂/∂x of 3(x − 5y)(xy) = 6xy − 15y² (right).
    ("3*(x - 5*y)*(x*y)", "x", "6*x*y - 15*y^2", "right", "", ""),
    # 002 1e: ∂ log(1 + e^(−ya))/∂a = −y e^(−ya) σ(ya): right, unusual form.
    ("log(1 + exp(-y*a))", "a", "-y*exp(-y*a)*sigmoid(y*a)", "right", "", ""),
    # 002 1d: (1 + e^(−a))^(−2) e^(−a): right.
    ("(1 + exp(-a))^(-1)", "a", "(1 + exp(-a))^(-2)*exp(-a)", "right", "", ""),
    # 000 8.3: ∂L/∂x and ∂L/∂y of the Lagrangian (right).
    ("x^3 + x*y^2 + lam*(2*x + y^2 - 2)", "x", "3*x^2 + y^2 + 2*lam", "right", "", ""),
    ("x^3 + x*y^2 + lam*(2*x + y^2 - 2)", "y", "2*x*y + 2*lam*y", "right", "", ""),
]


@pytest.mark.parametrize(("source", "wrt", "answer", "status", "mistake", "text"), SEED_CASES)
def test_seed_student_answers(source, wrt, answer, status, mistake, text):
    v = verdict(source, wrt, answer)
    assert v.status == status, v.feedback
    assert v.mistake == mistake
    assert text in " ".join(v.feedback)


def test_counterexample_respects_the_domain_of_logs():
    v = verdict("y*log(t*x) + (1-y)*log(1-t*x)", "t", "y*(1 - t*x)*x - (1-y)*t*x*x")
    point = dict(v.counterexample.point)
    assert 0 < point["t"] * point["x"] < 1


@pytest.mark.parametrize(("answer", "mistake", "text"), [
    ("-2*(y - sigmoid(w*x))*sigmoid(w*x)*(1 - sigmoid(w*x))", "chain-factor",
     "multiply by ∂(w*x)/∂w = x"),
    ("-2*(y - sigmoid(w*x))*x", "chain-factor", "Missing chain-rule factor"),
    ("2*(y - sigmoid(w*x))*sigmoid(w*x)*(1 - sigmoid(w*x))*x", "sign", "sign is wrong"),
    ("-6*(y - sigmoid(w*x))*sigmoid(w*x)*(1 - sigmoid(w*x))*x", "constant-factor", "3 ×"),
    ("-2*(y - sigmoid(w*x))*sigmoid(w*x)*(1 - sigmoid(w*x))*w", "wrong-variable", "∂f/∂x"),
])
def test_likely_mistakes_in_the_loss(answer, mistake, text):
    v = verdict(LOSS, "w", answer)
    assert (v.status, v.mistake) == ("wrong", mistake), v.feedback
    assert text in v.feedback[0]


@pytest.mark.parametrize(("source", "answer", "mistake"), [
    ("x^2*sin(x)", "2*x*cos(x)", "product-rule"),
    ("x^2*sin(x)", "2*x*sin(x)", "product-rule"),
    ("x^3", "x^4/4", "integrated"),
    ("x^3", "x^3", "value"),
    ("x^2", "x", "constant-factor"),
])
def test_calculus_slips(source, answer, mistake):
    v = verdict(source, "x", answer)
    assert (v.status, v.mistake) == ("wrong", mistake), v.feedback


def test_bad_input_raises_errors_for_people():
    with pytest.raises(ParseError):
        verdict(LOSS, "w", "2*(y - sigmoid(w*x)")
    with pytest.raises(ParseError, match="unknown function"):
        verdict(LOSS, "w", "sigmod(w*x)")
    with pytest.raises(InputError, match="not a variable"):
        verdict(LOSS, "q", "1")


_LEAVES = st.sampled_from(["x", "w", "2", "x*w", "(x + 1/2)"])
_FUNCS = st.sampled_from(["sin", "cos", "exp", "sigmoid", "tanh"])


@st.composite
def _expressions(draw, depth=2):
    if depth == 0 or draw(st.booleans()):
        return draw(_LEAVES)
    left, right = draw(_expressions(depth=depth - 1)), draw(_expressions(depth=depth - 1))
    return draw(st.sampled_from([f"{draw(_FUNCS)}({left})", f"({left})*({right})",
                                 f"({left}) + ({right})", f"({left})^2"]))


@settings(max_examples=15, deadline=None)
@given(_expressions())
def test_random_expressions_accept_sympys_derivative_and_reject_a_wrong_one(expression):
    import sympy as sp

    from gradtutor.sym import parse_formula, symbol

    source = f"({expression})*w"  # always depends on w
    truth = sp.diff(parse_formula(source), symbol("w"))
    text = sp.sstr(truth).replace("**", "^")
    assert verdict(source, "w", text).status == "right"
    assert verdict(source, "w", f"{text} + x").status == "wrong"
