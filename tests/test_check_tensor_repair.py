"""check with tensor formulas whose shapes do not fit, and number answers that must not hang.

The layer of tests/test_tensor_check.py: h = W@x + b, a = relu(h), L = ½‖a − y‖² at
W = [[1,−1,2],[0,1,−1]], x = [1,2,3], b = [1,−1], y = [1,2]. By hand h̄ = [5, 0], so
W̄ = h̄ xᵀ = [[5,10,15],[0,0,0]] and x̄ = Wᵀh̄ = [5, −5, 10]. A formula a student writes with
the shapes wrong (``W@h_bar`` for x̄) is a wrong answer (exit 1) with the fix named, not bad input.
"""

from __future__ import annotations

import pytest

from gradtutor.check.tensor_repair import _candidates, _toggle_transpose

PROGRAM = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1,2],[0,1,-1]],x=[1,2,3],b=[1,-1],y=[1,2]"


@pytest.mark.parametrize("wrt, answer, fix", [
    ("x", "W@h_bar", "W.T@h_bar gives the right gradient"),
    ("x", "W@(h_bar*step(h))", "W.T@(h_bar*step(h)) gives the right gradient"),
    ("W", "h_bar@x", "outer(h_bar, x) gives the right gradient"),
    ("W", "x@h_bar", "outer(h_bar, x) gives the right gradient"),
    ("W", "h_bar*x", "outer(h_bar, x) gives the right gradient"),
    ("x", "transpose(W)@W@x", None),
])
def test_unfit_formula_is_wrong_with_its_fix(cli, wrt: str, answer: str, fix: str | None) -> None:
    result = cli("check", PROGRAM, "--at", AT, "--wrt", wrt, "--answer", answer)
    if answer == "transpose(W)@W@x":  # computable, but a 3-vector of other values
        assert result.code == 1 and "✗ wrong" in result.out
        return
    assert result.code == 1, result.out + result.err
    assert "your formula cannot be computed" in result.out
    assert f"has the shape of {wrt}" in result.out
    assert fix in result.out.replace("\n", " ")
    assert "Traceback" not in result.err


def test_unfit_part_of_a_formula_is_not_named_by_an_internal_v_number(cli) -> None:
    result = cli("check", PROGRAM, "--at", AT, "--wrt", "x", "--answer", "W@(h_bar*step(h))")
    assert "W@(…): (2×3) @ (2) — the inner sizes 3 and 2 differ" in result.out
    assert "v₂" not in result.out


def test_unfit_without_a_one_slip_fix_still_says_the_shape(cli) -> None:
    result = cli("check", PROGRAM, "--at", AT, "--wrt", "x", "--answer", "W@y@x")
    assert result.code == 1, result.out + result.err
    assert "cannot be computed" in result.out and "has the shape of x: 3" in result.out
    assert "gives the right gradient" not in result.out


def test_the_suggested_fix_is_itself_checked_right(cli) -> None:
    assert cli("check", PROGRAM, "--at", AT, "--wrt", "x", "--answer", "W.T@h_bar").code == 0
    assert cli("check", PROGRAM, "--at", AT, "--wrt", "W",
               "--answer", "outer(h_bar, x)").code == 0


def test_transpose_toggle_is_per_name_and_both_ways() -> None:
    assert _toggle_transpose("W@h_bar + W_bar", "W") == "W.T@h_bar + W_bar"
    assert _toggle_transpose("W.T@h_bar", "W") == "W@h_bar"
    assert _toggle_transpose("transpose(W)@h_bar", "W") == "W@h_bar"


def test_candidates_are_bounded() -> None:
    env = {f"M{i}": [[1, 2], [3, 4]] for i in range(100)}
    answer = "@".join(env)
    assert len(list(_candidates(answer, env))) <= 40


@pytest.mark.parametrize("answer", ["1e999999999", "-1e-999999999", "[1e999999999, 0]",
                                    "[[1e400000,1,1],[1,1,1]]"])
def test_huge_exponents_are_refused_at_once(cli, answer: str) -> None:
    result = cli("check", PROGRAM, "--at", AT, "--wrt", "y", "--answer", answer)
    assert result.code == 2, result.out + result.err
    assert "too large" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("answer, code", [("3/4", 1), ("-pi/2", 1), ("2^3", 1), ("1e3", 1),
                                          ("[-5, 2]", 0), ("[-5.0, 2e0]", 0)])
def test_constant_answers_are_numbers(cli, answer: str, code: int) -> None:
    """ȳ = −(a − y) = [−5, 2]; a scalar constant for it is wrong, not 'no variables'."""
    result = cli("check", PROGRAM, "--at", AT, "--wrt", "y", "--answer", answer)
    assert result.code == code, result.out + result.err
    assert "no variables" not in result.err


@pytest.mark.parametrize("args", [("check", PROGRAM, "--at", AT, "--wrt", "y", "--answer", "1/0"),
                                  ("check", PROGRAM, "--at", AT, "--wrt", "y",
                                   "--answer", "[1/0, 1]"),
                                  ("trace", "z = sum(x)", "--at", "x=[1/0, 2]"),
                                  ("trace", "z = sum(x)", "--at", "x=[1e999999999, 2]")])
def test_division_by_zero_and_huge_entries_are_plain_errors(cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 2, result.out + result.err
    assert "Fraction(" not in result.err and "Traceback" not in result.err


def test_answer_sheet_tensor_parts_get_the_tensor_diagnoses(cli, tmp_path) -> None:
    """linear_layer_index_form's logistic loss: W̄ = [[−1/8,−1/8,−1/4],[1/8,1/8,1/4]],
    b̄ = [−1/8, 1/8], x̄ = [1/8, 1/8, −1/8] (worked in the problem's explain)."""
    sheet = tmp_path / "tess.yaml"
    sheet.write_text("student: Tess\nproblem: linear_layer_index_form\nparts:\n"
                     "  logistic_loss:\n"
                     "    gradient: {W: [[-1/8, 1/8], [-1/8, 1/8], [-1/4, 1/4]], "
                     "b: [0.125, -0.125], x: 0.125, w: [[1]]}\n"
                     "    shapes: {W: 2*3}\n", encoding="utf-8")
    result = cli("check", "linear_layer_index_form", "--answers", str(sheet))
    assert result.code == 1, result.err
    out = result.out.replace("\n", " ")
    assert "your answer is the transpose of ∂/∂W: it has shape 3×2" in out
    assert "opposite sign" in out
    assert "you summed the entries of ∂/∂x" in out
    assert "shape 1×1, which cannot be right: ∂/∂w has the shape of w, 2" in out
    assert "✓ right  logistic_loss.shapes.W = 2*3" in result.out
