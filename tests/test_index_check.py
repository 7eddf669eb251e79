"""Checking index patterns: right forms, student-style slips named, bad input exit 2 (never 3)."""

from __future__ import annotations

import time

import pytest
import yaml

from gradtutor.check import check
from gradtutor.check.verdict import RIGHT, WRONG
from gradtutor.cli import app
from gradtutor.cli.boundary import run
from gradtutor.errors import GradtutorError, LimitError

LAYER = "linear_layer_index_form"


def verdict(part: str, answer: str, problem: str = LAYER):
    result = check(problem, part=part, answer=answer)
    assert result.kind == "index" and len(result.verdicts) == 1
    return result.verdicts[0]


@pytest.mark.parametrize(("part", "answer"), [
    ("dz_dW", "delta(k,i)*x[j]"), ("dz_dW", "x[j]*delta(i,k)"), ("dz_dW", "δ_ki·x_j"),
    ("dz_db", "delta(i,k)"), ("dz_dx", "W[k,i]"), ("dz_dx", "W_ki"),
    ("dL_dW_index", "-y*sigmoid(-y*sum(w[m]*h[m], m))*w[i]*h[i]*(1 - h[i])*x[j]"),
    ("dL_dW_index", "-y*sigmoid(-y*sum(w[m]*h[m], m))*w[i]*sigmoid(z[i])*(1 - sigmoid(z[i]))"
                    "*x[j]"),
])
def test_right_patterns(part: str, answer: str) -> None:
    v = verdict(part, answer)
    assert v.status == RIGHT, v.feedback


def test_right_softmax_pattern_in_the_bundled_seed_problem() -> None:
    assert verdict("softmax_index", "s[k]*(delta(k,j) - s[j])", "cs577_softmax").correct
    assert verdict("softmax_index", "s_k·(δ_kj − s_j)", "cs577_softmax").correct


# Student-style mistakes and the words the feedback must use.
SLIPS = [
    ("dz_dW", "delta(k,j)*x[i]", "you swapped i and j", "swapped-indices"),
    ("dz_dW", "δ_kj·x_i", "you swapped i and j", "swapped-indices"),
    ("dz_dW", "x[j]", "true only where k = i; elsewhere the derivative is 0", "missing-delta"),
    ("dz_dx", "W[i,k]", "W_ik should be W_ki: you used the transpose of W", "transpose"),
    ("dz_dx", "W[k,i]*delta(k,i)", "δ_ki does not belong", "extra-delta"),
    ("dz_db", "-delta(k,i)", "opposite sign", "sign"),
    ("dL_dW_index", "-y*sigmoid(-y*sum(w[m]*h[m], m))*w[i]*x[j]",
     "you left out the elementwise factor σ′ = σ(1 − σ) of h = sigmoid(…)",
     "missing-sigmoid-factor"),
]


@pytest.mark.parametrize(("part", "answer", "words", "tag"), SLIPS)
def test_slips_are_named(part: str, answer: str, words: str, tag: str) -> None:
    v = verdict(part, answer)
    assert v.status == WRONG and v.mistake == tag
    assert words in v.feedback[0]


def test_softmax_slips() -> None:
    one = verdict("softmax_index", "s[k]*(1 - s[j])", "cs577_softmax")
    assert one.mistake == "one-for-delta" and "where you wrote 1, δ_kj belongs" in one.feedback[0]
    diagonal = verdict("softmax_index", "s[k]*delta(k,j) - s[k]*s[k]", "cs577_softmax")
    assert diagonal.mistake == "diagonal-only"
    assert "right only where k = j" in diagonal.feedback[0]


def test_a_wrong_pattern_without_a_known_slip_says_where_it_differs() -> None:
    v = verdict("dz_dW", "2*delta(k,i)*x[j]")
    assert v.status == WRONG and v.mistake == ""
    assert v.feedback[0].startswith("at sizes W 2×3, x 3, b 2 (random values), the pattern "
                                    "differs at k = 0, i = 0, j = 0")


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(app, ["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_codes(capsys) -> None:
    code, out, err = cli(capsys, LAYER, "--part", "dz_dW", "--answer", "x[j]*delta(i,k)")
    assert (code, err) == (0, "") and "✓ right  ∂z_k/∂W_ij = x[j]*delta(i,k)" in out
    code, out, err = cli(capsys, LAYER, "--part", "dz_dW", "--answer", "delta(k,j)*x[i]")
    assert (code, err) == (1, "") and "you swapped i and j" in out


NASTY = [
    ("delta(k,q)*x[j]", "the index q is not one of the free indices"),
    ("x[k]*delta(k,i)", "x[k]: the index k takes 2 values, but axis 0 of x has 3 entries"),
    ("x[j", "expected ']'"),
    ("W[k,i,j]", "W takes 2 indices, got 3"),
    ("exec('x')", "unexpected character"),
    ("softmax(z[k])", "is not a function of one entry"),
    ("(" * 500 + "x[j]" + ")" * 500, "nested more than"),
    ("x[j]*" * 3000 + "1", "characters long"),
    ("sum(sum(sum(sum(W[a,b]*W[c,d]*W[e,f]*x[b]*x[d]*x[f], a), b), c), d)", "the index e is "),
    ("x[99999999999999999999]", "past the end"),
    ("", "empty"),
]


@pytest.mark.parametrize(("answer", "message"), NASTY)
def test_nasty_answers_exit_2_with_one_clear_message(capsys, answer: str, message: str) -> None:
    code, out, err = cli(capsys, LAYER, "--part", "dz_dW", "--answer", answer)
    assert code == 2 and out == "" and message in err, err
    assert "Traceback" not in err and "Internal error" not in err


def test_part_mistakes_exit_2(capsys) -> None:
    for args, message in [
        (("--part", "nope", "--answer", "1"), "has no part 'nope'"),
        (("--part", "logistic_loss", "--answer", "1"), "is a tensor part"),
        (("--part", "dz_dW"), "nothing to check"),
        (("--part", "dz_dW", "--wrt", "W", "--answer", "x[j]"), "--wrt is not used with --part"),
    ]:
        code, _, err = cli(capsys, LAYER, *args)
        assert code == 2 and message in err, err


def test_deep_sums_hit_the_budget_not_the_clock() -> None:
    letters = "abcdefghmn"  # ten nested sums over 3 values each: 3^10 terms an entry
    nested = "sum(" * 10 + "x[a]" + "".join(f"*x[{m}], {m})" if m != "a" else ", a)"
                                           for m in letters)
    started = time.process_time()
    with pytest.raises(LimitError) as caught:
        verdict("dz_dW", nested)
    assert "more than 100000 steps" in caught.value.message
    assert time.process_time() - started < 20


SHEET = {"student": "Dana", "problem": LAYER, "parts": {
    "dz_dW": "δ_kj·x_i", "dz_db": {"pattern": "delta(k,i)"}, "dz_dx": "W[k,i",
    "dL_dW_index": "-y*sigmoid(-y*sum(w[m]*h[m], m))*w[i]*x[j]"}}


def test_answer_sheets_carry_index_parts(tmp_path) -> None:
    path = tmp_path / "dana.yaml"
    path.write_text(yaml.safe_dump(SHEET, allow_unicode=True), encoding="utf-8")
    result = check(LAYER, answers=str(path))
    parts = {p.id: p for p in result.parts}
    assert parts["dz_db"].status == RIGHT
    assert parts["dz_dW"].verdicts[0].mistake == "swapped-indices"
    assert parts["dL_dW_index"].verdicts[0].mistake == "missing-sigmoid-factor"
    unread = parts["dz_dx"].verdicts[0]  # one unreadable pattern costs only its own part
    assert unread.status == "unreadable" and "expected ']'" in " ".join(unread.feedback)


def test_a_wrong_answer_just_under_the_budget_is_diagnosed_in_bounded_time() -> None:
    letters = "abcdef"  # six nested sums: up to 4^6 terms an entry, under the budget once
    nested = "sum(" * 6 + "x[a]" + "".join(f"*x[{m}], {m})" if m != "a" else ", a)"
                                          for m in letters)
    started = time.process_time()
    v = verdict("dz_dW", nested)
    assert v.status == WRONG and time.process_time() - started < 30


def test_a_scalar_derivative_with_no_free_index(tmp_path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("title: t\nparts:\n  - id: a\n    kind: index\n    f: L = sum(x*x)\n"
                    "    of: L\n    wrt: c\n    shapes: {x: \"3\"}\n", encoding="utf-8")
    with pytest.raises(GradtutorError) as caught:  # c is no input of L
        check(str(path), part="a", answer="0")
    assert "not an input" in caught.value.message
    path.write_text("title: t\nparts:\n  - id: a\n    kind: index\n    f: L = c*sum(x*x)\n"
                    "    of: L\n    wrt: c\n    shapes: {x: \"3\"}\n", encoding="utf-8")
    assert check(str(path), part="a", answer="sum(x[m]^2, m)").correct
    wrong = check(str(path), part="a", answer="sum(x[m], m)").verdicts[0]
    assert wrong.status == WRONG and "the only entry" in wrong.feedback[0]


RELU = """title: t
parts:
  - id: a
    kind: index
    f: z = W@x; h = relu(z)
    of: h[k]
    wrt: W[i,j]
    shapes: {W: 2x3, x: "3"}
    answer:
      pattern: step(z[k])*delta(k,i)*x[j]
"""


def test_a_missing_relu_mask_is_named(tmp_path) -> None:
    path = tmp_path / "relu.yaml"
    path.write_text(RELU, encoding="utf-8")
    assert check(str(path), part="a", answer="step(z[k])*delta(k,i)*x[j]").correct
    v = check(str(path), part="a", answer="delta(k,i)*x[j]").verdicts[0]
    assert v.mistake == "missing-relu-factor" and "the ReLU mask" in v.feedback[0]


def test_undefined_answers_are_wrong_not_errors(capsys) -> None:
    code, out, err = cli(capsys, LAYER, "--part", "dz_dW", "--answer", "delta(k,i)*x[j]/0")
    assert (code, err) == (1, "") and "cannot be evaluated at some entries" in out


def test_python_api_takes_problem_part_and_answer() -> None:
    result = check(problem=LAYER, part="dz_db", answer="delta(k,i)")
    assert result.correct
    with pytest.raises(AssertionError, match="not right"):
        check(problem=LAYER, part="dz_db", answer="1").assert_correct()


def test_the_seed_students_softmax_template_slip() -> None:
    """Seed sheet 003, question 18: ŷ_k subtracted where ŷ_i (the differentiated class) belongs."""
    right = verdict("templates_index", "(δ_ki − s_i)·x_j", "cs577_softmax")
    assert right.correct
    slip = verdict("templates_index", "(delta(k,i) - s[k])*x[j]", "cs577_softmax")
    assert slip.status == WRONG and slip.mistake == "swapped-indices"


def test_python_api_answers_that_are_not_text() -> None:
    assert not check(problem=LAYER, part="dz_db", answer=1).correct  # a number is a pattern
    with pytest.raises(GradtutorError, match="answer must be a formula or a number"):
        check(problem=LAYER, part="dz_db", answer=["delta(k,i)"])
