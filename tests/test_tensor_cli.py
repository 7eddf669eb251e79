"""Tensor values on the command line: --at with brackets, --at-file, clear errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from gradtutor.point import split_pairs

pytestmark = pytest.mark.usefixtures("generous_budgets")  # see conftest.py


def test_pairs_split_at_top_level_commas_only() -> None:
    items = [item for _, item in split_pairs("x=[1,2,3],W=[[1,-1],[0,1]],b=1/2")]
    assert items == ["x=[1,2,3]", "W=[[1,-1],[0,1]]", "b=1/2"]


def test_repeated_at_and_json_output_shapes(cli) -> None:
    result = cli("trace", "x*y + x", "--at", "x=[1,2]", "--at", "y=[3,1/3]", "--format",
                 "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["value"] == [4, pytest.approx(8 / 3)]
    assert doc["shape"] == [2]
    assert doc["gradient"]["x"] == [[4, 0], [0, pytest.approx(4 / 3)]]  # Jacobian: y + 1
    assert doc["gradient_exact"]["y"] == [["1", "0"], ["0", "2"]]
    assert [node["shape"] for node in doc["nodes"]] == [[2], [2], [2], [2]]
    assert doc["verified"]["agrees"] is True


def test_at_file_json_yaml_npz_combine_with_at(cli, tmp_path: Path) -> None:
    (tmp_path / "v.json").write_text('{"x": [1, 2]}')
    (tmp_path / "v.yaml").write_text("x: [1, 2]\n")
    np.savez(tmp_path / "v.npz", x=np.array([1.0, 2.0]))
    for name in ("v.json", "v.yaml", "v.npz"):
        result = cli("trace", "x*y", "--at-file", str(tmp_path / name), "--at", "y=[3,4]",
                     "--format", "json")
        assert result.code == 0, result.err
        assert json.loads(result.out)["value"] == [3, 8]
    assert json.loads(result.out)["route"] == "float"  # .npz values are binary floats


@pytest.mark.parametrize("at, fragments", [
    ("x=[[1,2],[3]],y=1", ["'x' is ragged: row 0 has 2 entries, row 1 has 1"]),
    ("x=[],y=1", ["'x' has an empty vector"]),
    ("x=[1,2,y=1", ["a '[' is never closed", "^"]),
    ("x=[1,2]],y=1", ["a ']' without its '['"]),
    ("x=[1,abc],y=1", ["not a number"]),
    ("x=[1,[2,3]],y=1", ["ragged"]),
    ("x=[[[1]]],y=1", ["more than 2 dimensions"]),
])
def test_bad_tensor_values_exit_2(cli, at: str, fragments: list[str]) -> None:
    result = cli("trace", "x*y", "--at", at)
    assert result.code == 2
    assert "Traceback" not in result.err and result.out == ""
    for fragment in fragments:
        assert fragment in result.err


def test_huge_tensor_is_a_limit_error(cli, tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(json.dumps({"x": [[0] * 3000] * 2000}))
    result = cli("trace", "x*y", "--at-file", str(tmp_path / "big.json"), "--at", "y=1")
    assert result.code == 2
    assert "more than 5000000" in result.err


def test_shape_mismatch_on_the_command_line(cli) -> None:
    result = cli("trace", "x*y", "--at", "x=[1,2],y=[1,2,3]")
    assert result.code == 2
    assert "(2) and (3) — elementwise operations need equal shapes" in result.err


def test_cross_entropy_as_written_gives_softmax_minus_onehot(cli) -> None:
    result = cli("trace", "z = W@x; L = -log_softmax(z)[1]", "--at",
                 "W=[[1,2],[0,1],[1,-1]],x=[1,1/2]", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    z = np.array([2.0, 0.5, 0.5])
    z_bar = np.exp(z) / np.exp(z).sum() - np.array([0, 1, 0])
    assert np.allclose(doc["gradient"]["W"], np.outer(z_bar, [1, 0.5]), atol=1e-15)
    assert doc["gradient"]["x"] == pytest.approx(
        (np.array([[1, 2], [0, 1], [1, -1]]).T @ z_bar).tolist())
    assert [n["shape"] for n in doc["nodes"]] == [[3, 2], [2], [3], [3], [], []]


def test_table_shows_shapes_vjp_rules_and_adjoints(cli) -> None:
    result = cli("trace", "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2", "--at",
                 "W=[[1,-1,2],[0,1,-1]],x=[1,2,3]", "--at", "b=[1,-1],y=[1,2]")
    assert result.code == 0, result.err
    out = result.out
    for fragment in ("\nv₋₃ │ W    │ 2×3    │ W          │ [[1, −1, 2],\n",  # piped: plain tables
                     "\nv₁  │      │ 2      │ v₋₃ @ v₋₂  │ [5, −1]\n",
                     "v̄₋₃ += v̄₁ v₋₂ᵀ", "v̄₋₂ += v₋₃ᵀ v̄₁", "v̄₂ += v̄₃ ⊙ step(v₂)",
                     "∂L/∂W (2×3) = [[5, 10, 15],", "∂L/∂x (3) = [5, −5, 10]",
                     "agree with sympy.diff of the unrolled expression"):
        assert fragment in out, fragment


def test_unroll_gives_the_same_adjoints_entry_by_entry(cli) -> None:
    result = cli("trace", "h = W@x + b; L = sum(sigmoid(h))", "--at",
                 "W=[[1,-1],[0,1]],x=[1,2],b=[0,1]", "--unroll", "--format", "json")
    assert result.code == 0, result.err
    scalar = json.loads(result.out)
    tensor = json.loads(cli("trace", "h = W@x + b; L = sum(sigmoid(h))", "--at",
                            "W=[[1,-1],[0,1]],x=[1,2],b=[0,1]", "--format", "json").out)
    assert scalar["gradient"]["W_0_1"] == pytest.approx(tensor["gradient"]["W"][0][1])
    assert scalar["gradient"]["x_1"] == pytest.approx(tensor["gradient"]["x"][1])
    assert len(scalar["gradient"]) == 8
    assert "h_1" in [n["name"] for n in scalar["nodes"]]
    table = cli("trace", "h = W@x + b; L = sum(sigmoid(h))", "--at",
                "W=[[1,-1],[0,1]],x=[1,2],b=[0,1]", "--unroll").out
    assert "its adjoints equal the tensor trace's gradients entry by entry" in table


def test_jacobians_in_numerator_layout(cli) -> None:
    result = cli("trace", "L = sum(W@x)", "--at", "W=[[1,2],[3,4]],x=[5,6]", "--jacobians")
    assert result.code == 0, result.err
    assert "Local Jacobians (numerator layout)" in result.out
    assert "rows = entries of vᵢ, columns = entries of vⱼ" in result.out
    assert "∂v₁/∂v₋₁ │ 2×4  │ [[5, 6, 0, 0]," in result.out  # ∂(Wx)ᵢ/∂W_jk = δᵢⱼ x_k
    assert "∂v₁/∂v₀  │ 2×2  │ [[1, 2]," in result.out  # ∂(Wx)/∂x = W


def test_matrix_output_shows_its_jacobian_in_numerator_layout(cli) -> None:
    result = cli("trace", "W*2", "--at", "W=[[1,2],[3,4]]")
    assert result.code == 0, result.err
    assert "Jacobian ∂y/∂W (4×4) = [[2, 0, 0, 0]," in result.out
    doc = json.loads(cli("trace", "W*2", "--at", "W=[[1,2],[3,4]]", "--format", "json").out)
    assert np.array(doc["gradient"]["W"]).shape == (2, 2, 2, 2)
    assert doc["layout"].startswith("numerator")


@pytest.mark.parametrize("args, fragment", [
    (["x+1", "--at", "x=[1,2]", "--unroll"], "--unroll needs a scalar output"),
    (["x+1", "--at", "x=1", "--jacobians"], "--jacobians is for programs with vectors"),
])
def test_options_that_need_another_kind_of_program(cli, args: list[str], fragment: str) -> None:
    result = cli("trace", *args)
    assert result.code == 2 and fragment in result.err


def test_a_huge_vector_output_is_a_limit_error(cli, tmp_path: Path) -> None:
    (tmp_path / "v.json").write_text(json.dumps({"x": list(range(5000))}))
    result = cli("trace", "x*2", "--at-file", str(tmp_path / "v.json"))
    assert result.code == 2
    assert "one reverse sweep per entry" in result.err and "sum(...)" in result.err


def test_scalar_json_nodes_have_the_empty_shape(cli) -> None:
    doc = json.loads(cli("trace", "x*y", "--at", "x=2,y=3", "--format", "json").out)
    assert [node["shape"] for node in doc["nodes"]] == [[], [], []]


def test_terminal_gets_rich_tables_and_a_pipe_plain_ones_with_the_same_cells() -> None:
    from gradtutor.api import trace
    from gradtutor.render.tensor_trace import tensor_text

    result = trace("L = sum(W@x)", at=["W=[[1,2],[3,4]],x=[5,6]"])
    boxed = tensor_text(result, "table", width=100)  # what a terminal gets (rich layout)
    plain = tensor_text(result, "text", width=100)  # what a pipe gets
    assert "┃ v   ┃ name ┃ shape  ┃" in boxed and "╭─ Result" in boxed
    assert "┃" not in plain and "╭" not in plain
    assert "v   │ name │ shape  │ definition │ value\n" in plain
    for text in (boxed, plain):
        assert "∂L/∂W (2×2) = [[5, 6]," in text
        assert "v̄₋₁ += v̄₁ v₀ᵀ" in text
