"""Diagnoses ranked by how students really go wrong, each from a real student-style mistake."""

from __future__ import annotations

import sympy as sp

from gradtutor.check import check, check_formula, check_number, check_table
from gradtutor.check.diagnose import MAX_SWAPS
from gradtutor.cli import app
from gradtutor.cli.boundary import run as run_cli


def run(capsys, *args: str) -> tuple[int, str]:
    code = run_cli(app, list(args))
    return code, capsys.readouterr().out


def verdict(source: str, wrt: str, answer: str):
    return check_formula(source, wrt, answer).verdicts[0]


def test_forgot_to_differentiate_ln_is_named_not_an_internal_error(capsys):
    v = verdict("ln(x) + x", "x", "ln(x) + 1")
    assert (v.status, v.mistake) == ("wrong", "undifferentiated")
    assert v.feedback[0].startswith("You forgot to differentiate ln:")
    assert "its derivative is 1/x" in v.feedback[0]
    code, out = run(capsys, "check", "ln(x) + x", "--wrt", "x", "--answer", "ln(x) + 1")
    assert code == 1 and "forgot to differentiate ln" in out


def test_missing_chain_factor_beats_equals_another_partial():
    # tanh(w·x + b) without the inner factor x is also ∂y/∂b: that is only a remark
    v = verdict("tanh(w*x+b)", "w", "1 - tanh(w*x+b)^2")
    assert v.mistake == "chain-factor"
    assert "multiply by ∂(b + w*x)/∂w = x" in v.feedback[0]
    assert v.feedback[1] == "(Your answer also equals ∂y/∂b.)"


def test_dropped_factor_of_a_bias_network_is_named():
    v = verdict("z = w1*x0 + w2; f = sigmoid(z)", "w1", "sigmoid(z)*(1 - sigmoid(z))")
    assert v.mistake == "chain-factor" and "∂f/∂w2" in v.feedback[-2]
    v = verdict("f = w2*x0*w1 + b", "w1", "w2")
    assert v.mistake == "chain-factor" and "lacks the factor x0" in v.feedback[0]


def test_missing_weight_factor_is_not_a_swapped_name():
    v = verdict("z1 = w1*x; h1 = sigmoid(z1); yhat = v1*h1; L = (yhat - y)^2", "w1",
                "2*(yhat-y)*h1*(1-h1)*x")
    assert v.mistake == "chain-factor" and "lacks the factor v1" in v.feedback[0]
    assert not any("You wrote" in line for line in v.feedback)


def test_missing_fan_out_path_is_named_fan_out():
    v = verdict("x + 1/(w*x+b)", "x", "-w/(w*x+b)^2")
    assert v.mistake == "fan-out"
    assert "column 1" in v.feedback[0] and "its contribution is 1" in v.feedback[0]


X, W, B, X1, X2 = sp.symbols("x w b x1 x2", real=True)


def test_number_mode_names_a_dropped_fan_out_contribution():
    # README example: ∂y/∂x = 1 − w/(wx+b)² = −7; without the direct path (1) it is −8
    point = {X: sp.Rational(3, 10), W: sp.Rational(1, 2), B: sp.Rational(1, 10)}
    truth = sp.diff(X + 1 / (W * X + B), X).subs(point)
    assert truth == -7 and truth - 1 == -8
    v = check_number("x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1", "-8", "x").verdicts[0]
    assert v.mistake == "fan-out"


def test_number_mode_names_a_flipped_local_partial_sign():
    # Baydin's example: ∂y/∂x₂ = x₁ − cos x₂ = 1.7163; with +cos x₂ it is 2.2837
    truth = sp.diff(sp.log(X1) + X1 * X2 - sp.sin(X2), X2).subs({X1: 2, X2: 5})
    flipped = 2 + sp.cos(5)
    assert abs(float(truth) - 1.71634) < 1e-5 and round(float(flipped), 3) == 2.284
    v = check_number("ln(x1) + x1*x2 - sin(x2)", "x1=2,x2=5", "2.284", "x2").verdicts[0]
    assert v.mistake == "sign-flip" and "-cos(x2)" in v.feedback[0]


def test_product_rule_term_is_parenthesised():
    v = verdict("sin(x)*(1+b*x)", "x", "b*sin(x)")
    assert v.mistake == "product-rule"
    assert "(that is (1 + b*x)·cos(x))" in v.feedback[0]


def test_long_answer_is_diagnosed_with_a_bounded_search():
    answer = "1" + "+x+y" * 200
    v = verdict("x^2*y", "x", answer)
    assert v.status == "wrong"
    assert f"Stopped looking for a misplaced name after {MAX_SWAPS} tries" in " ".join(v.feedback)
    v = verdict("x^2", "x", "1" + "+x" * 200)
    assert v.feedback[0] == "The right answer is yours plus -(1 + 198*x)."


def test_precision_is_said_once(capsys):
    code, out = run(capsys, "check", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--wrt",
                    "w", "--answer", "-4.7")
    assert code == 1 and out.count("decimal place written") == 1


def test_single_input_needs_no_wrt(capsys):
    v = check("x^2", answer="3*x").verdicts[0]
    assert v.item == "∂y/∂x" and v.status == "wrong"
    assert run(capsys, "check", "x^2", "--answer", "2*x")[0] == 0
    assert run(capsys, "check", "x*y", "--answer", "y")[0] == 2


def test_a_copied_value_is_blamed_on_the_cell_it_was_copied_into():
    # h1 = σ(0.5) = 0.6225 computed wrongly as 0.71, then copied into yhat (= v1·h1 = 1.245)
    result = check_table("z1 = w*x; h1 = sigmoid(z1); yhat = v1*h1", "w=0.5,x=1,v1=2",
                         {"forward": {"z1": 0.5, "h1": 0.71, "yhat": 0.71}})
    s = {v.item: (v.status, v.mistake) for v in result.verdicts}
    assert s["v₂ (h1)"] == ("wrong", "")
    assert s["v₃ (yhat)"] == ("wrong", "copied")


def test_number_mode_names_a_local_partial_without_its_upstream_adjoint():
    # ∂(w·x)/∂x = w = 0.5 alone, not multiplied by ∂y/∂(w·x) = −16 (README example)
    v = check_number("x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1", "0.5", "x").verdicts[0]
    assert v.mistake == "no-upstream" and "∂(w*x)/∂x = w without" in v.feedback[0]
    # where the upstream adjoint is 1 (x1·x2 in Baydin's sum) the slip is the dropped path
    v = check_number("ln(x1) + x1*x2 - sin(x2)", "x1=2,x2=5", "2", "x2").verdicts[0]
    assert v.mistake == "fan-out"


def test_the_candidate_search_says_when_its_work_cap_stopped_it():
    source = "+".join(f"x{i}" for i in range(1, 260))  # 258 "derivative for another input"s
    v = verdict(source, "x1", "x2*x3")
    assert v.status == "wrong"
    assert "Stopped looking for a typical mistake after 200 candidates" in " ".join(v.feedback)
