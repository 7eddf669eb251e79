"""Index-form derivatives: hand-computed patterns against the tensor engine's Jacobians."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtutor.errors import GradtutorError, InputError, LimitError, ParseError
from gradtutor.index_cases import index_setup, size_sets
from gradtutor.index_eval import MAX_EVALUATIONS, expand, first_difference
from gradtutor.index_form import parse_index
from gradtutor.index_show import show_index
from gradtutor.problems import parse_problem
from gradtutor.solve import solve
from gradtutor.solve.index import compare, read_pattern

LAYER = ("z = W@x + b", {"W": "2x3", "x": "3", "b": "2"})
SIGMOID = ("z = W@x; h = sigmoid(z)", {"W": "2x3", "x": "3"})
SOFTMAX = ("s = softmax(z)", {"z": "3"})
SQUARES = ("z = W@x + b; L = sum(z*z)", {"W": "2x3", "x": "3", "b": "2"})

RIGHT = [
    (LAYER, "z[k]", "W[i,j]", "delta(k,i)*x[j]"),
    (LAYER, "z[k]", "W[i,j]", "x[j]*delta(i,k)"),
    (LAYER, "z[k]", "W[i,j]", "δ_ki·x_j"),
    (LAYER, "z[k]", "b[i]", "delta(k,i)"),
    (LAYER, "z[k]", "x[i]", "W[k,i]"),
    (LAYER, "z[k]", "x[i]", "W_ki"),
    (SIGMOID, "h[k]", "W[i,j]", "sigmoid(z[k])*(1-sigmoid(z[k]))*delta(k,i)*x[j]"),
    (SIGMOID, "h[k]", "W[i,j]", "σ(z_k)·(1 − σ(z_k))·δ_ki·x_j"),
    (SIGMOID, "h[k]", "W[i,j]", "h[k]*(1 - h[k])*delta(k,i)*x[j]"),
    (SIGMOID, "h[k]", "x[i]", "h[k]*(1 - h[k])*W[k,i]"),
    (SOFTMAX, "s[k]", "z[i]", "s[k]*(delta(k,i) - s[i])"),
    (SOFTMAX, "s[k]", "z[i]", "exp(z[k])*delta(k,i)/sum(exp(z[m]), m) - s[k]*s[i]"),
    (SOFTMAX, "s[k]", "z[i]", "s[i]*(delta(k,i) - s[k])"),  # the Jacobian is symmetric
    (SQUARES, "L", "x[i]", "sum(2*z[m]*W[m,i], m)"),
    (SQUARES, "L", "x[i]", "Σ_m(2·z_m·W_mi)"),
    (SQUARES, "L", "W[i,j]", "2*z[i]*x[j]"),
    (SQUARES, "z[k]", "W[i,j]", "delta(k,i)*x[j]"),  # of: an intermediate, the program is cut
]


@pytest.mark.parametrize(("program", "of", "wrt", "pattern"), RIGHT)
def test_hand_patterns_equal_the_jacobian_at_every_size(program: tuple, of: str, wrt: str,
                                                        pattern: str) -> None:
    setup = index_setup(program[0], of, wrt, program[1])
    rows = compare(read_pattern(pattern, setup), setup, pattern)
    assert len(rows) == 3 and all(r[2] == "agrees" for r in rows), rows


WRONG = [
    (LAYER, "z[k]", "W[i,j]", "x[j]"),  # the δ is missing
    (LAYER, "z[k]", "W[i,j]", "delta(k,i)*x[i]"),  # the right index is j
    (LAYER, "z[k]", "x[i]", "W[k,i]*delta(k,i)"),  # a δ too many
    (SIGMOID, "h[k]", "W[i,j]", "delta(k,i)*x[j]"),  # σ′ left out
    (SIGMOID, "h[k]", "W[i,j]", "sigmoid(z[k])*delta(k,i)*x[j]"),  # σ for σ′
    (SOFTMAX, "s[k]", "z[i]", "s[k]*(1 - s[i])"),  # δ dropped: the usual slip
    (SQUARES, "L", "x[i]", "sum(2*z[m]*W[i,m], m)"),  # W transposed
]


@pytest.mark.parametrize(("program", "of", "wrt", "pattern"), WRONG)
def test_wrong_patterns_differ_somewhere(program: tuple, of: str, wrt: str,
                                         pattern: str) -> None:
    setup = index_setup(program[0], of, wrt, program[1])
    try:
        rows = compare(read_pattern(pattern, setup), setup, pattern)
    except InputError as err:  # an index on an axis of another length is found first
        assert "entries" in err.message
        return
    assert any(r[2] != "agrees" for r in rows), rows


def test_expansion_matches_hand_numbers() -> None:
    """δ_ki·x_j at the given sizes is, entry by entry, 0 or x_j: read the numbers."""
    setup = index_setup(*LAYER[:1], "z[k]", "W[i,j]", LAYER[1])
    case = setup.cases[0]
    values = expand(read_pattern("delta(k,i)*x[j]", setup), case, setup.free,
                    [MAX_EVALUATIONS])
    x = case.env["x"]
    assert values.shape == (2, 2, 3)
    assert list(values[0, 0]) == list(x) and list(values[1, 1]) == list(x)
    assert all(v == 0 for v in values[0, 1]) and all(v == 0 for v in values[1, 0])
    assert first_difference(values, case.jacobian) is None
    values[1, 1, 2] += Fraction(1, 10**40)  # one entry off by a hair is found
    assert first_difference(values, case.jacobian) == (1, 1, 2)


def test_other_sizes_map_each_size_to_another() -> None:
    sets = size_sets({"W": (2, 3), "x": (3,), "b": (2,)})
    assert sets[:3] == [{"W": (2, 3), "x": (3,), "b": (2,)}, {"W": (3, 2), "x": (2,), "b": (3,)},
                    {"W": (1, 4), "x": (4,), "b": (1,)}]
    assert size_sets({"z": (3,)})[:3] == [{"z": (3,)}, {"z": (1,)}, {"z": (4,)}]


def test_a_square_coincidence_is_caught_at_other_sizes() -> None:
    """W 2×2: δ_kj·x_i has the right ranges; the values still differ."""
    setup = index_setup("z = W@x + b", "z[k]", "W[i,j]", {"W": "2x2", "x": "2", "b": "2"})
    rows = compare(read_pattern("delta(k,j)*x[i]", setup), setup, "delta(k,j)*x[i]")
    assert rows[0][2].startswith("differs at k = 0, i = 0, j = 1")


@pytest.mark.parametrize("text", ["delta(k,i)*x[j]", "σ(z_k)·(1 − σ(z_k))·δ_ki·x_j",
                                  "Σ_m(W_km·x_m)", "−x_j²/(1 + exp(−z_k))", "a − (b − c)",
                                  "(a·b)^c", "1/2·x_j"])
def test_printed_notation_reads_back(text: str) -> None:
    once = show_index(parse_index(text))
    assert show_index(parse_index(once)) == once


def test_printed_notation_of_the_layer_patterns() -> None:
    assert show_index(parse_index("delta(k,i)*x[j]")) == "δ_ki·x_j"
    assert show_index(parse_index("sigmoid(z[k])*(1-sigmoid(z[k]))")) == "σ(z_k)·(1 − σ(z_k))"
    assert show_index(parse_index("sum(W[k,m]*x[m], m)")) == "Σ_m(W_km·x_m)"


NASTY = [
    ("delta(k,q)*x[j]", InputError, "the index q is not one of the free indices"),
    ("x[k]*delta(k,i)", InputError, "x[k]: the index k takes 2 values, but axis 0 of x has 3"),
    ("W[k]", InputError, "W takes 2 indices, got 1"),
    ("v[j]", InputError, "'v' is not a name of the program"),
    ("x[j", ParseError, "expected ']'"),
    ("delta(k,i)*x[j]; import os", ParseError, "unexpected character ';'"),
    ("__import__('os')", ParseError, "unexpected character '_'"),
    ("softmax(z[k])", ParseError, "'softmax' is not a function of one entry"),
    ("sum(x[j], j)", InputError, "the summed index j is already a free index"),
    ("sum(2, m)", InputError, "the summed index m appears in no entry"),
    ("(" * 200 + "x[j]" + ")" * 200, LimitError, "nested more than"),
    ("x[j]" + "+x[j]" * 1000, LimitError, "characters long"),
    ("", ParseError, "empty"),
]


@pytest.mark.parametrize(("text", "error", "message"), NASTY)
def test_nasty_patterns_are_clear_errors(text: str, error: type, message: str) -> None:
    setup = index_setup(*LAYER[:1], "z[k]", "W[i,j]", LAYER[1])
    with pytest.raises(error) as caught:
        compare(read_pattern(text, setup), setup, text)
    assert message in caught.value.message
    if error is not LimitError or "nested" in message:
        assert "^" in caught.value.location


@pytest.mark.parametrize(("of", "wrt", "shapes", "message"), [
    ("z[k]", "W[i,j]", {"W": "200x300", "x": "300", "b": "200"}, "each size must be between"),
    ("Z[k,l]", "W[i,j]", {"W": "12x12", "V": "12x12"}, "checks at most"),
    ("z[k]", "W[i,i]", {"W": "2x3", "x": "3", "b": "2"}, "distinct letters"),
    ("z[k]", "W[i]", {"W": "2x3", "x": "3", "b": "2"}, "takes 2 indices, not 1"),
    ("y[k]", "W[i,j]", {"W": "2x3", "x": "3", "b": "2"}, "not a name the program assigns"),
    ("z[k]", "v[i]", {"W": "2x3", "x": "3", "b": "2"}, "not an input"),
    ("z[k]", "W[i,j]", {"W": "2x3", "x": "2", "b": "2"}, "inner sizes"),
    ("z[k]", "W[i,j]", {"W": "two", "x": "3", "b": "2"}, "is not a shape"),
])
def test_bad_parts_are_input_errors(of: str, wrt: str, shapes: dict, message: str) -> None:
    program = "Z = W@V" if of.startswith("Z") else "z = W@x + b"
    with pytest.raises(GradtutorError) as caught:
        index_setup(program, of, wrt, shapes)
    assert message in caught.value.message


def test_bundled_index_parts_solve_and_agree() -> None:
    solution = solve("linear_layer_index_form")
    index = [p for p in solution.parts if p.part.kind == "index"]
    assert [p.part.id for p in index] == ["dz_dW", "dz_db", "dz_dx", "dL_dW_index"]
    assert solve("cs577_softmax").answers_ok
    assert solution.answers_ok and all(p.answer_ok for p in index)
    assert index[0].result.pattern == "δ_ki·x_j"
    assert [r[:2] for r in index[0].result.sizes] == [("W 2×3, x 3, b 2", 12),
                                                     ("W 3×2, x 2, b 3", 18),
                                                     ("W 1×4, x 4, b 1", 4)]
    softmax = solve("cs577_softmax", part="softmax_index").parts[0]
    assert softmax.answer_ok and softmax.result.pattern == "s_k·(δ_kj − s_j)"


WRONG_FILE = """title: t
parts:
  - id: a
    kind: index
    f: s = softmax(a)
    of: s[k]
    wrt: a[j]
    shapes: {a: "3"}
    answer:
      pattern: s[k]*(1 - s[j])
"""


def test_a_wrong_model_pattern_flags_the_file() -> None:
    part = solve(parse_problem(WRONG_FILE, "t.yaml")).parts[0]
    assert part.answer_ok is False
    assert "differs at k = 0, j = 1" in part.checks[0].got


def test_the_random_values_are_rational_and_reproducible() -> None:
    one = index_setup(*SOFTMAX[:1], "s[k]", "z[i]", SOFTMAX[1])
    two = index_setup(*SOFTMAX[:1], "s[k]", "z[i]", SOFTMAX[1])
    z1, z2 = one.cases[0].env["z"], two.cases[0].env["z"]
    assert all(isinstance(v, Fraction) for v in np.ravel(z1)) and list(z1) == list(z2)


@pytest.mark.parametrize(("f", "derivative"), [
    ("sigmoid", "sigmoid(z[k])*(1 - sigmoid(z[k]))"), ("tanh", "1 - tanh(z[k])^2"),
    ("exp", "exp(z[k])"), ("softplus", "sigmoid(z[k])"), ("sin", "cos(z[k])"),
    ("relu", "step(z[k])"), ("softsign", "1/(1 + abs(z[k]))^2"),
])
def test_elementwise_layers_by_hand(f: str, derivative: str) -> None:
    """∂h_k/∂W_ij = f′(z_k)·δ_ki·x_j for h = f(Wx), f′ written by hand."""
    setup = index_setup(f"z = W@x; h = {f}(z)", "h[k]", "W[i,j]", {"W": "2x3", "x": "3"})
    pattern = f"({derivative})*delta(k,i)*x[j]"
    assert all(r[2] == "agrees" for r in compare(read_pattern(pattern, setup), setup, pattern))
    wrong = f"({derivative})*delta(k,j)*x[i]"
    with pytest.raises(InputError):  # x[i] with i over 2 rows, x of 3 entries
        compare(read_pattern(wrong, setup), setup, wrong)


@settings(max_examples=8, deadline=None)
@given(rows=st.integers(1, 4), cols=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_the_layer_pattern_at_random_shapes_and_values(rows: int, cols: int, seed: int) -> None:
    setup = index_setup("z = W@x + b", "z[k]", "W[i,j]",
                        {"W": f"{rows}x{cols}", "x": str(cols), "b": str(rows)}, seed)
    for pattern, right in (("delta(k,i)*x[j]", True), ("x[j]", False),  # other sizes catch it
                           ("delta(k,i)*x[j]*(1 + delta(i,0))", False)):
        rows_ = compare(read_pattern(pattern, setup), setup, pattern)
        assert all(r[2] == "agrees" for r in rows_) == right, (pattern, rows_)


SHORT = WRONG_FILE.replace("    answer:\n      pattern: s[k]*(1 - s[j])\n",
                           "    answer: s[k]*(delta(k,j) - s[j])\n")


def test_a_scalar_answer_is_the_pattern_and_the_json_schema_allows_it() -> None:
    import jsonschema
    import yaml

    from gradtutor.problem_schema import json_schema

    problem = parse_problem(SHORT, "short.yaml")
    assert problem.parts[0].answer == {"pattern": "s[k]*(delta(k,j) - s[j])"}
    assert solve(problem).answers_ok
    jsonschema.validate(yaml.safe_load(SHORT), json_schema())
    jsonschema.validate(yaml.safe_load(WRONG_FILE), json_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(SHORT.replace("answer: s[k]*(delta(k,j) - s[j])",
                                                         "answer: [1]")),
                            json_schema())
