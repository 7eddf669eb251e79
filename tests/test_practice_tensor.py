"""Practice with vectors and matrices: whole sessions through `step`, hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gradtutor.errors import InputError
from gradtutor.practice.build import expression_exercise
from gradtutor.practice.session import finish, start, step
from gradtutor.practice.summary import summarize
from tests.test_practice_session import drive

PROGRAM = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1],[2,0]],x=[2,1],b=[0,-5],y=[0,1]"
# Worked by hand (examples/tensor_table.yaml): v1 = W@x = [1·2 − 1·1, 2·2 + 0·1] = [1, 4],
# h = [1, −1], a = relu(h) = [1, 0], v4 = a − y = [1, −1], v5 = v4² = [1, 1], v6 = Σ = 2,
# L = 1. Back: L̄ = 1, v̄6 = 1/2, v̄5 = [1/2, 1/2] (broadcast), v̄4 = v̄5 ⊙ 2v4 = [1, −1],
# ā = [1, −1], h̄ = ā ⊙ [h > 0] = [1, 0], v̄1 = [1, 0], ȳ = −v̄4 = [−1, 1], b̄ = [1, 0],
# x̄ = Wᵀv̄1 = [1, −1], W̄ = v̄1 xᵀ = [[2, 1], [0, 0]].
FORWARD = ["[1, 4]", "[1, -1]", "[1, 0]", "[1, -1]", "[1, 1]", "2", "1"]
REVERSE = ["1", "0.5", "[0.5, 0.5]", "[1, -1]", "[1, -1]", "[1, 0]", "[1, 0]", "[-1, 1]",
           "[1, 0]", "[1, -1]", "[[2, 1], [0, 0]]"]
RIGHT = FORWARD + REVERSE


@pytest.fixture(scope="module")
def layer():
    return expression_exercise(PROGRAM, AT)


def test_one_cell_per_tensor_node_with_definition_and_shape(layer) -> None:
    ids = [c.id for c in layer.cells]
    assert ids == [f"v{i}" for i in range(1, 8)] + [f"v_bar{i}" for i in range(7, -4, -1)]
    assert layer.cell("v1").prompt == "v₁ = v₋₃ @ v₋₂, a vector of 2 entries = ?"
    assert layer.cell("v6").prompt == "v₆ = Σ v₅, a scalar = ?"
    assert layer.cell("v_bar-3").prompt == "v̄₋₃ (W̄), a 2×2 matrix like v₋₃ = ?"
    assert layer.cell("v_bar-3").shape == (2, 2)
    assert [c.answer.replace("−", "-") for c in layer.cells] == RIGHT


def test_right_answers_score_full_marks(layer) -> None:
    state, said = drive(layer, RIGHT)
    assert state.ended and all(m[0].kind == "right" for m in said), said
    summary = summarize(state)
    assert (summary.right, summary.right_first, summary.cells) == (18, 18, 18)
    assert summary.passed


def test_entries_may_be_fractions_expressions_and_unicode_minus(layer) -> None:
    state, said = drive(layer, ["[2/2, 2^2]", "[1,−1]", " [ 1 , 0 ] "])
    assert [m[0].kind for m in said] == ["right"] * 3


def test_wrong_cell_then_follow_through_names_the_cell_to_revisit(layer) -> None:
    # The slip of examples/tensor_table.yaml: v̄4 = v̄5 ⊙ 2·v4 written [1, 1].
    state, said = drive(layer, FORWARD + REVERSE[:3] + ["[1, 1]", "[1, 1]", "[1, 1]", "[1, 0]",
                                                        "[1, 0]", "[-1, -1]"])
    first = said[10]
    assert first[0].kind == "wrong" and first[-1].text.startswith("Try again")
    assert "−1" not in first[0].text  # the first try does not give the entry away
    assert "Entry [1]" in first[0].text
    assert said[11][-1].kind == "answer" and "[1, −1]" in said[11][-1].text
    assert said[12][0].kind == "follows" and "revisit v̄₄" in said[12][0].text  # ā = v̄4
    assert said[13][0].kind == "right"  # h̄ = [1, 1] ⊙ [1, 0] = [1, 0] is right anyway
    assert said[15][0].kind == "follows" and "revisit v̄₄" in said[15][0].text  # ȳ = −v̄4
    records = {r.id: r.status for r in state.records}
    assert records["v_bar4"] == "wrong" and records["v_bar3"] == "follows-through"
    assert records["v_bar0"] == "follows-through"


def test_transposed_w_bar_is_named(layer) -> None:
    state, said = drive(layer, RIGHT[:-1] + ["[[2, 0], [1, 0]]"])
    assert said[-1][0].kind == "wrong"
    assert "transpose" in said[-1][0].text and "W̄ = h̄ xᵀ" in said[-1][0].text
    assert state.mistakes == ("transpose",)


def test_missing_relu_mask_is_named(layer) -> None:
    state, said = drive(layer, RIGHT[:12] + ["[1, -1]"])  # h̄ = ā without the ReLU mask
    assert "elementwise factor relu′" in said[-1][0].text
    assert state.mistakes == ("missing-factor",)
    assert "the ReLU mask" in summarize(finish(state)).review


def test_wrong_shape_says_the_shape_expected(layer) -> None:
    state, said = drive(layer, RIGHT[:16] + ["[[1, -1]]"])  # x̄ as a 1×2 matrix
    assert said[-1][0].kind == "wrong"
    assert "should have shape 2, yours has shape 1×2" in said[-1][0].text
    assert state.mistakes == ("shape",)


def test_summed_instead_of_broadcast(layer) -> None:
    state, said = drive(layer, RIGHT[:9] + ["1"])  # v̄5 written as v̄6 summed: a scalar
    assert "sum's rule broadcasts" in said[-1][0].text
    assert state.mistakes == ("sum-not-broadcast",)


@pytest.mark.parametrize("line, says", [
    ("[[1, 2], [3]]", "ragged"), ("[1, , 2]", "empty entry"), ("[1, 2", "never closed"),
    ("[]", "empty vector"), ("(1, 2)", "square brackets"), ("abc", "not a number"),
    ("[1, abc]", "not a number"), ("[[[1]]]", "more than 2 dimensions"),
    ("[1, 2] 3", "after the closing"), ("[" * 5000, "never closed")])
def test_unreadable_answers_are_asked_again_without_using_a_try(layer, line, says) -> None:
    state, said = drive(layer, [line])
    assert state.position == 0 and state.tries == () and said[0][0].kind == "error"
    assert says in said[0][0].text and "[5, -1]" in said[0][0].text


def test_hints_go_from_the_rule_to_the_numbers_to_the_answer(layer) -> None:
    state, said = drive(layer, RIGHT[:17] + ["hint"] * 4)
    hints = [m[0].text for m in said[17:]]
    assert hints[0].startswith("Hint 1: v₋₃ is used by v₁ = v₋₃ @ v₋₂ (matrix product)")
    assert "a 2×2 matrix" in hints[0]
    assert hints[1] == "Hint 2: The backward rule: v̄₋₃ += v̄₁ v₋₂ᵀ"
    assert "v̄₁ = [1, 0], v₋₂ = [2, 1]" in hints[2]
    assert said[-1][0].kind == "answer" and "[[2, 1], [0, 0]]" in hints[3]
    assert state.ended and state.records[-1].status == "shown"


def test_primal_hints_show_the_values(layer) -> None:
    _, said = drive(layer, ["hint", "hint", "hint"])
    texts = [m[0].text for m in said]
    assert "matrix product to a 2×2 matrix and a vector of 2 entries" in texts[0]
    assert "v₋₃ = [[1, −1], [2, 0]], v₋₂ = [2, 1]" in texts[1]
    assert texts[2] == "Hint 3: v₁ = [[1, −1], [2, 0]] @ [2, 1]"


def test_fan_out_hint_and_working() -> None:
    exercise = expression_exercise("L = dot(x, x) + sum(x)", "x=[1,2]")
    cell = exercise.cell("v_bar0")  # x feeds dot twice and sum once
    assert "used 3 times (fan-out)" in cell.hints[0]
    assert cell.answer == "[3, 5]"  # 2x + 1


def test_modes_and_json(layer) -> None:
    forward = expression_exercise(PROGRAM, AT, "forward")
    reverse = expression_exercise(PROGRAM, [AT], "reverse")
    assert len(forward.cells) == 7 and len(reverse.cells) == 11
    doc = layer.to_json()
    w_bar = doc["cells"][-1]
    assert (w_bar["shape"], w_bar["value"]) == ([2, 2], [[2, 1], [0, 0]])
    assert doc["cells"][8]["value"] == 0.5 and doc["cells"][8]["shape"] == []
    assert doc["at"]["W"] == "[[1, -1], [2, 0]]"


def test_a_vector_output_cannot_be_practised_as_a_table() -> None:
    with pytest.raises(InputError, match="needs a scalar output"):
        expression_exercise("h = W@x", "W=[[1,2],[3,4]],x=[1,1]")


def test_irrational_cells_ask_for_decimals() -> None:
    exercise = expression_exercise("L = sum(sigmoid(x))", "x=[0,1]")
    cell = exercise.cell("v1")
    assert cell.prompt.endswith("(to 3 decimals)")
    state, said = drive(exercise, ["[0.5, 0.731]", "1.231"])
    assert [m[0].kind for m in said] == ["right", "right"]


def test_stopping_midway_records_every_cell(layer) -> None:
    state, _ = drive(layer, RIGHT[:3] + ["[9, 9]"])
    state = finish(state)
    assert [r.id for r in state.records] == [c.id for c in layer.cells]
    assert state.records[3].answers == ("[9, 9]",)
    assert not summarize(state).completed


# --- problem parts of kind tensor ------------------------------------------------------------

# vector_node_two_layers, worked in its explain: W₁v = [3, −2, 4] masks the middle entry, W₂v = 0
# so σ′ = 1/4; ∂L/∂v = W₁ᵀ[−2, 0, 4] + W₂ᵀ[1/4, 3/4, 1/2] = [−2, 0, 4, −6] + [3/4, 1, −1/2, −2].
TWO_LAYERS = ["4", "3x4", "3 × 4", "[-5/4, 1, 7/2, -8]",
              "[[1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 1, -1]]",  # diag([W₁v > 0]) W₁
              "[[0.25, -0.25, 0, 0.25], [0, 0.25, 0, -0.75], [0.25, 0.25, -0.25, 0]]"]  # W₂/4


@pytest.fixture(scope="module")
def two_layers():
    from gradtutor.practice.problem import problem_exercise

    return problem_exercise("vector_node_two_layers")


def test_tensor_parts_ask_shapes_then_gradients_and_jacobians(two_layers) -> None:
    assert [c.id for c in two_layers.cells] == [
        "sizes_and_gradient.shapes.v", "sizes_and_gradient.shapes.W1",
        "sizes_and_gradient.shapes.W2", "sizes_and_gradient.gradient.v",
        "relu_jacobian.gradient.v", "sigmoid_jacobian.gradient.v"]
    assert [c.kind for c in two_layers.cells] == ["shape"] * 3 + ["tensor"] * 3
    assert two_layers.cells[3].prompt.endswith("∂L/∂v, a vector of 4 entries = ?")
    assert "the Jacobian ∂h1/∂v (rows = entries of h1)" in two_layers.cells[4].prompt
    assert not two_layers.notes


def test_tensor_parts_right_answers_pass(two_layers) -> None:
    state, said = drive(two_layers, TWO_LAYERS)
    assert all(m[0].kind == "right" for m in said), said
    assert summarize(state).passed


def test_tensor_part_mistakes_are_named(two_layers) -> None:
    transposed = "[[1, 0, 0], [0, 0, 0], [0, 0, 1], [1, 0, -1]]"
    # σ′ left out: W₁ᵀ[−2, 0, 4] + W₂ᵀ[1, 3, 2] = [−2, 0, 4, −6] + [3, 4, −2, −8].
    state, said = drive(two_layers, ["3", "abc", "4", "3x4", "3x4", "[1, 4, 2, -14]",
                                     "[5/4, -1, -7/2, 8]", transposed])
    assert said[0][0].kind == "wrong" and "shape of its variable" in said[0][0].text
    assert said[1][0].kind == "error" and "2x3, 4 or scalar" in said[1][0].text
    assert "elementwise factor σ′" in said[5][0].text
    assert "opposite sign" in said[6][0].text
    assert "transpose of the Jacobian" in said[7][0].text
    assert "one row per entry of the output (3)" in said[7][0].text
    records = {r.id: r.mistakes for r in state.records}
    assert records["sizes_and_gradient.shapes.v"] == ("shape",)
    assert records["sizes_and_gradient.gradient.v"] == ("missing-sigmoid-factor", "sign")
    assert state.mistakes == ("transpose",)
    assert summarize(finish(state)).review.startswith("shapes: a gradient has the shape")


def test_tensor_part_value_and_a_wrong_shape(two_layers) -> None:
    from gradtutor.practice.problem import problem_exercise

    exercise = problem_exercise("softmax_three_samples")
    assert [c.id for c in exercise.cells] == ["templates.value", "templates.shapes.T",
                                              "templates.gradient.T"]
    # L = 3 log 3 = 3.2958…; Θ̄ = Xᵀ(softmax(Z) − Y) = [[−1/3, 2/3, −1/3], [2/3, −1/3, −1/3]]
    state, said = drive(exercise, ["3.296", "2x3", "[[-1/3, 2/3], [2/3, -1/3], [-1/3, -1/3]]",
                                   "[[-0.333, 0.667, -0.333], [0.667, -0.333, -0.333]]"])
    assert [m[0].kind for m in said[:2]] == ["right", "right"]
    assert "transpose of ∂/∂T" in said[2][0].text and "2×3" in said[2][0].text
    assert said[3][0].kind == "right"


def test_one_tensor_part_with_part() -> None:
    from gradtutor.practice.problem import problem_exercise

    exercise = problem_exercise("linear_layer_index_form", "layer_jacobians")
    assert [c.id for c in exercise.cells] == [f"layer_jacobians.jacobian.{n}" for n in "Wxb"]
    assert exercise.cells[0].shape == (2, 6)
    # Row k of ∂z/∂W holds x = [1, 1, 2] in the block of row k of W: δ_ki x_j.
    state, said = drive(exercise, ["[[1, 1, 2, 0, 0, 0], [0, 0, 0, 1, 1, 2]]",
                                   "[[1, -1, 0], [2, 0, -1]]", "[[1, 0], [0, 1]]"])
    assert all(m[0].kind == "right" for m in said)


# --- independent routes ----------------------------------------------------------------------

SMALL = st.integers(-3, 3)


def _loss(W, x, b, y) -> float:
    """The program in plain floats: L = Σ (relu(Wx + b) − y)² / 2."""
    h = [sum(W[i][j] * x[j] for j in range(len(x))) + b[i] for i in range(len(b))]
    return sum((max(v, 0.0) - t) ** 2 for v, t in zip(h, y, strict=True)) / 2


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_cells_agree_with_plain_arithmetic_and_finite_differences(rows, cols, data) -> None:
    W = [[data.draw(SMALL) for _ in range(cols)] for _ in range(rows)]
    x, b, y = ([data.draw(SMALL) for _ in range(n)] for n in (cols, rows, rows))
    h = [sum(W[i][j] * x[j] for j in range(cols)) + b[i] for i in range(rows)]
    assume(all(v != 0 for v in h))  # away from ReLU's kink, where the difference is one-sided
    exercise = expression_exercise(PROGRAM, [f"W={W}".replace(" ", ""), f"x={x},b={b},y={y}"])
    assert exercise.cell("v2").nested == h  # the forward pass by hand
    assert exercise.cell("v7").nested == pytest.approx(_loss(W, x, b, y))
    eps = 1e-6

    def central(name, idx):
        point = {"W": [r[:] for r in W], "x": x[:], "b": b[:], "y": y[:]}
        target = point[name]
        cell = target[idx[0]] if len(idx) == 2 else target
        k = idx[-1]
        cell[k] += eps
        up = _loss(**point)
        cell[k] -= 2 * eps
        return (up - _loss(**point)) / (2 * eps)

    for name, index in (("W", -3), ("x", -2), ("b", -1), ("y", 0)):
        got = np.asarray(exercise.cell(f"v_bar{index}").nested, dtype=float)
        for idx in np.ndindex(got.shape):
            assert got[idx] == pytest.approx(central(name, idx), abs=1e-6)
    state, said = drive(exercise, [c.answer for c in exercise.cells])
    assert all(m[0].kind == "right" for m in said)  # the shown answers are accepted


TYPED = st.sampled_from(["hint", "skip", "show", "table", "[1, 4]", "[1,-1]", "[[2, 1], [0, 0]]",
                         "[[1,2],[3]]", "[1,,2]", "[", "]", "[[[1]]]", "1e99999", "[1/0]", "",
                         "abc", "(1, 2)", "0.5", "[0.5, 0.5]", "[" * 200])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TYPED, st.text(max_size=12)), max_size=30))
def test_any_input_keeps_a_tensor_session_sound(layer, lines) -> None:
    state = start(layer)
    for line in lines:
        state, said = step(state, line)
        assert all(m.text or m.kind == "table" for m in said)
    state = finish(state)
    assert [r.id for r in state.records] == [c.id for c in layer.cells]
    summary = summarize(state)
    assert 0 <= summary.right <= summary.credit <= summary.cells


def test_the_practice_bench_runs_a_whole_tensor_session() -> None:
    """bench/practice_bench.py's tensor networks stay valid (no timing is asserted)."""
    from tests.bench_scripts import load_bench

    cells, _, _ = load_bench("practice_bench.py").tensor_session_seconds(3, 2)
    assert cells == 7 + 10  # per layer @, +1, relu; then sum — and an adjoint per node
