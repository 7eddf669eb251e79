"""check with vectors and matrices: literal and formula answers, and the classic mistakes.

Every wrong answer below is one a student writes for the layer h = W@x + b, a = relu(h),
L = ½‖a − y‖² at W = [[1,−1,2],[0,1,−1]], x = [1,2,3], b = [1,−1], y = [1,2], where by hand
h = [6, −2], a = [6, 0], ā = a − y = [5, −2], h̄ = ā ⊙ [h > 0] = [5, 0], W̄ = h̄ xᵀ.
"""

from __future__ import annotations

import pytest

PROGRAM = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1,2],[0,1,-1]],x=[1,2,3],b=[1,-1],y=[1,2]"


@pytest.mark.parametrize("answer", ["[[5,10,15],[0,0,0]]", "[[5.0,10,15],[0,0,0.0]]",
                                    "outer(h_bar, x)", "outer(h_bar, x) + 0*W"])
def test_right_answers_exit_0(cli, answer: str) -> None:
    result = cli("check", PROGRAM, "--at", AT, "--wrt", "W", "--answer", answer)
    assert result.code == 0, result.out + result.err
    assert "✓ right" in result.out


@pytest.mark.parametrize("wrt, answer, fragment", [
    ("W", "[[5,0],[10,0],[15,0]]", "your answer is the transpose of ∂/∂W: it has shape 3×2"),
    ("W", "outer(x, h_bar)", "your answer is the transpose of ∂/∂W"),
    ("W", "outer(a_bar, x)", "you left out the elementwise factor relu′ = [input > 0]"),
    ("W", "outer(a - y, x)", "the ReLU mask"),
    ("W", "sum(outer(h_bar, x))", "you summed the entries of ∂/∂W"),
    ("W", "-outer(h_bar, x)", "opposite sign"),
    ("W", "[[5,10,15],[0,0,1]]", "entry [1, 2] differs: the right value is 0, yours is 1"),
    ("W", "[5, 10, 15]", "your answer has shape 3, which cannot be right: ∂/∂W has the shape "
                         "of W, 2×3"),
    ("x", "W@h_bar", "(2×3) @ (2) — the inner sizes 3 and 2 differ"),
    ("x", "transpose(W)@a_bar", "left out the elementwise factor"),
    ("W", "outer(h_bar, b[0]*x)", "right at the given point, but not in general"),
])
def test_student_mistakes_are_named(cli, wrt: str, answer: str, fragment: str) -> None:
    result = cli("check", PROGRAM, "--at", AT, "--wrt", wrt, "--answer", answer)
    assert result.code in (1, 2), result.out
    assert fragment in (result.out + result.err).replace("\n", " ").replace("  ", " ")


def test_x_bar_formula_and_intermediate_wrt(cli) -> None:
    assert cli("check", PROGRAM, "--at", AT, "--wrt", "x", "--answer", "W.T@h_bar").code == 0
    assert cli("check", PROGRAM, "--at", AT, "--wrt", "h", "--answer", "[5, 0]").code == 0
    assert cli("check", PROGRAM, "--at", AT, "--wrt", "b", "--answer", "h_bar").code == 0


def test_unknown_names_in_the_answer_are_input_errors(cli) -> None:
    result = cli("check", PROGRAM, "--at", AT, "--wrt", "W", "--answer", "outer(g, x)")
    assert result.code == 2
    assert "the answer uses 'g'" in result.err and "h_bar" in result.err


def test_batch_bias_gradient_must_be_summed_over_samples(cli) -> None:
    # three samples as rows: H = X@W.T + b = [[2,2],[3,3],[4,6]] (b broadcast over rows);
    # H̄ = H, so b̄ = Σ_rows H̄ = [9, 11]
    program = "H = X@W.T + b; L = sum(H^2)/2"
    at = "X=[[1,0],[0,1],[1,1]],W=[[1,2],[3,4]],b=[1,-1]"
    assert cli("check", program, "--at", at, "--wrt", "b", "--answer", "[9, 11]").code == 0
    result = cli("check", program, "--at", at, "--wrt", "b", "--answer", "H")
    assert result.code == 1
    assert "sum over the rows (the samples)" in result.out


@pytest.mark.parametrize("args, fragment", [
    (["L = sum(W@x)", "--wrt", "W", "--answer", "x"], "needs the point (the shapes come"),
    (["L = sum(W@x)", "--at", "W=[[1,2]],x=[1,1]", "--wrt", "W", "--answer", "[[1,1]"],
     "the answer: a '[' is never closed"),
    (["L = sum(W@x)", "--at", "W=[[1,2]],x=[1,1]", "--wrt", "W", "--answer", "[[1,1],[2]]"],
     "the answer is ragged"),
    (["L = sum(W@x)", "--at", "W=[[1,2]],x=[1,1]", "--wrt", "Q", "--answer", "[[1,1]]"],
     "--wrt 'Q' is not a name in the program"),
])
def test_bad_tensor_checks_exit_2(cli, args: list[str], fragment: str) -> None:
    result = cli("check", *args)
    assert result.code == 2 and fragment in result.err and "Traceback" not in result.err
