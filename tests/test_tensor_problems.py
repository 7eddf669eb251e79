"""Tensor parts in problem files: list values, gradients, shapes, Jacobians, model answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradtutor.solve import solve

LAYER = """title: layer
parts:
  - id: a
    kind: tensor
    f: h = W@x + b; a = relu(h); L = sum((a - y)^2)/2
    at: {W: [[1, -1, 2], [0, 1, -1]], x: [1, 2, 3], b: [1, -1], y: [1, 2]}
    jacobians: true
    answer:
      %s
"""


def _write(tmp_path: Path, answer: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(LAYER % answer, encoding="utf-8")
    return path


def test_right_answers_agree(tmp_path: Path) -> None:
    path = _write(tmp_path, "gradient: {W: [[5, 10, 15], [0, 0, 0]], b: [5, 0]}\n"
                            "      shapes: {W: 2x3, x: '3', b: '2'}\n"
                            "      jacobian: {x: [[5, -5, 10]]}\n      value: 14.5")
    solution = solve(str(path))
    assert solution.answers_ok
    part = solution.parts[0].result
    assert part.shapes == {"W": "2×3", "x": "3", "b": "2", "y": "2"}
    assert part.gradient["W"] == [[5, 10, 15], [0, 0, 0]]


@pytest.mark.parametrize("answer, key", [
    ("gradient: {W: [[5, 0], [10, 0], [15, 0]]}", "gradient.W"),  # the transpose
    ("gradient: {x: [5, -5, 11]}", "gradient.x"),
    ("shapes: {W: 3x2}", "shapes.W"),
    ("value: 14.4", "value"),
])
def test_wrong_model_answers_exit_1(cli, tmp_path: Path, answer: str, key: str) -> None:
    result = cli("solve", str(_write(tmp_path, answer)))
    assert result.code == 1
    assert f"Model answer DISAGREES: {key}: file says" in result.out.replace("\n", " ")


@pytest.mark.parametrize("at, fragment", [
    ("{W: [[1, -1, 2], [0, 1]], x: [1, 2, 3], b: [1, -1], y: [1, 2]}", "ragged"),
    ("{W: [[1, -1, 2], [0, 1, -1]], x: [1, 2], b: [1, -1], y: [1, 2]}",
     "(2×3) @ (2) — the inner sizes 3 and 2 differ"),
    ("{W: [[1, -1, 2], [0, 1, -1]], x: [1, abc, 3], b: [1, -1], y: [1, 2]}",
     "p.yaml:6 parts[0].at.x[1]: expected a number"),
])
def test_bad_tensor_values_in_files_exit_2(cli, tmp_path: Path, at: str, fragment: str) -> None:
    text = (LAYER % "value: 14.5").replace(
        "{W: [[1, -1, 2], [0, 1, -1]], x: [1, 2, 3], b: [1, -1], y: [1, 2]}", at)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("solve", str(path))
    assert result.code == 2, result.out
    assert fragment in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("name", ["vector_node_two_layers", "deep_linear_collapse",
                                  "linear_layer_index_form", "softmax_three_samples"])
def test_bundled_tensor_problems_solve_with_their_model_answers(cli, name: str) -> None:
    result = cli("solve", name)
    assert result.code == 0, result.out + result.err
    assert "DISAGREES" not in result.out
    assert "Verified: the gradients agree" in result.out


def test_answer_sheets_check_tensor_parts_entry_by_entry(cli, tmp_path: Path) -> None:
    sheet = tmp_path / "tess.yaml"
    sheet.write_text("student: Tess\nproblem: linear_layer_index_form\nparts:\n"
                     "  logistic_loss:\n"
                     "    gradient: {W: [[-1/8, -1/8, -1/4], [1/8, 1/8, 1/4]], "
                     "b: [-0.125, 0.125], x: [1/8, 1/8, 1/8]}\n"
                     "    shapes: {W: 3x2}\n", encoding="utf-8")
    result = cli("check", "linear_layer_index_form", "--answers", str(sheet))
    assert result.code == 1, result.err
    out = result.out
    assert "✓ right  logistic_loss.gradient.W = [[-1/8, -1/8, -1/4], [1/8, 1/8, 1/4]]" in out
    assert "✓ right  logistic_loss.gradient.b" in out
    assert "✗ wrong  logistic_loss.gradient.x" in out
    assert "✗ wrong  logistic_loss.shapes.W = 3x2" in out and "expected: 2×3" in out


def test_a_one_value_tensor_sheet_never_crashes(cli, tmp_path: Path) -> None:
    sheet = tmp_path / "s.yaml"
    sheet.write_text("student: S\nproblem: softmax_three_samples\nparts:\n"
                     "  templates: {value: 3.2958}\n", encoding="utf-8")
    result = cli("check", "softmax_three_samples", "--answers", str(sheet))
    assert result.code == 1 and "✓ right  templates.value = 3.2958" in result.out
