"""Number checks: right to the precision written, the policy reported, slips named."""

from __future__ import annotations

import pytest

from gradtutor.check import check_number, parse_tolerance
from gradtutor.check.number import policy_for
from gradtutor.errors import InputError

AD = "x + 1/(w*x+b)"
AT = "x=0.3,w=0.5,b=0.1"


def verdict(source, at, answer, wrt=None, **tolerance):
    return check_number(source, at, answer, wrt, parse_tolerance(
        tolerance.get("rtol"), tolerance.get("atol"), tolerance.get("sigfigs"))).verdicts[0]


@pytest.mark.parametrize(("answer", "status"), [
    ("0.802", "right"), ("0.80", "right"), ("0.8022", "right"), ("0.8", "right"),
    ("0.803", "wrong"), ("0.801", "wrong"), ("0.8021", "wrong"), ("1", "wrong"),
])
def test_sigmoid_value_to_the_precision_written(answer, status):
    # Seed 000, 8.1(b): f = σ(1.4) = 0.80218…; the student wrote 0.802 (right).
    v = verdict("sigmoid(x1*w1 + x2*w2 + b)", "x1=1,x2=0.5,w1=0.25,w2=0.3,b=1", answer)
    assert v.status == status
    assert v.policy


def test_rounding_at_the_edge_of_the_stated_precision():
    # 0.5 + 1/2000 is exactly halfway between 0.500 and 0.501 at 3 decimals: both accepted.
    assert verdict("x", "x=0.5005", "0.501").status == "right"
    assert verdict("x", "x=0.5005", "0.500").status == "right"
    assert verdict("x", "x=0.50051", "0.500").status == "wrong"
    assert verdict("x", "x=0.50049", "0.501").status == "wrong"


def test_exact_values_and_policies():
    assert verdict(AD, AT, "-4.8", "w").status == "right"  # exactly −24/5
    assert verdict(AD, AT, "−4.8", "w").status == "right"  # a pasted typographic minus
    assert verdict(AD, AT, "-24/5", "w").policy.startswith("exact")
    assert verdict(AD, AT, "-7", "x").status == "right"
    assert verdict(AD, AT, "-5", "w").status == "wrong"  # an integer must be exact
    assert policy_for("0.802").text == "compared to the 3 decimal places written, ± 0.0005"


def test_overrides_replace_the_written_precision():
    assert verdict(AD, AT, "-4.7", "w", rtol="0.05").status == "right"
    assert verdict(AD, AT, "-4.7", "w", rtol="0.01").status == "wrong"
    assert verdict(AD, AT, "-5", "w", atol="0.25").status == "right"
    v = verdict("sigmoid(a)", "a=1.4", "0.16", "a", sigfigs=2)
    assert v.status == "right" and "2 significant figures" in v.policy
    assert verdict("sigmoid(a)", "a=1.4", "0.16", "a", sigfigs=3).status == "wrong"


# --- real student numbers from ../shared/seeds/ ---------------------------------------------
def test_seed000_sigmoid_gate_derivative_is_right():
    # 000, 8.1(b): "Sigmoid Gate ⇒ 0.802(1 − 0.802) = 0.159".
    assert verdict("sigmoid(a)", "a=1.4", "0.159", "a").status == "right"


def test_seed001_edge_sign_slip():
    # 001: L = −log(o), o = 0.1; "∂L/∂v₁ = ∂L/∂o · 1 = −10·1 = 10".
    v = verdict("o = v1 + v2; L = -log(o)", "v1=0.05,v2=0.05", "10", "v1")
    assert (v.status, v.mistake) == ("wrong", "sign")


def test_seed001_sigmoid_gradient_entry():
    # 001: σ'(z) where σ(z) = 0.3 is 0.3·0.7 = 0.21 (right).
    assert verdict("sigmoid(z)", "z=log(3/7)", "0.21", "z").status == "right"


def test_seed003_sign_dropped_and_truncated():
    # 003, 13d: "∂L/∂y = 2(8 − y) = 15.8" for L = (8 − y)², y = 0.05675: −15.8865…
    v = verdict("(t - y)^2", "t=8,y=0.05675", "15.8", "y")
    assert (v.status, v.mistake) == ("wrong", "sign")
    assert "rounds to −15.9" in v.feedback[0]


def test_seed004_adjoints_are_right():
    # 004, exercise 3: w̄ = −4.8, x̄ = −7, b̄ = −16.
    for wrt, answer in (("w", "-4.8"), ("x", "-7"), ("b", "-16")):
        assert verdict(AD, AT, answer, wrt).status == "right"


@pytest.mark.parametrize(("answer", "mistake"), [
    ("4.8", "sign"), ("-0.48", "decimal-slip"), ("-48", "decimal-slip"),
    ("-9.6", "constant-factor"),
])
def test_number_slips(answer, mistake):
    v = verdict(AD, AT, answer, "w")
    assert (v.status, v.mistake) == ("wrong", mistake), v.feedback


def test_value_instead_of_derivative_and_wrong_variable():
    assert verdict(AD, AT, "4.3", "w").mistake == "value"
    assert verdict(AD, AT, "-7", "w").mistake == "wrong-variable"
    assert verdict("sigmoid(a)", "a=1.4", "0.158", "a").mistake == "truncated"


def test_bad_number_input():
    with pytest.raises(InputError, match="not a number"):
        verdict(AD, AT, "-y*x", "w")
    with pytest.raises(InputError, match="negative"):
        verdict(AD, AT, "1", "w", rtol="-1")
    with pytest.raises(InputError):
        verdict(AD, "x=0.3,w=0.5", "1", "w")
