"""The bundled tensor and index problems: their model answers, typed into an answer sheet
exactly as the problem file writes them, are accepted by `check --answers` item by item.

This is the issue's "solve with model answers that the checker accepts": solve compares the
model answer with the solver (tests/test_solve_bank.py); here the checker, the other side
entrance, marks the same text as a student's sheet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("tensor", "index")


def _bundled() -> list[str]:
    names = []
    for path in sorted((ROOT / "problems").glob("*.yaml")):
        parts = yaml.safe_load(path.read_text(encoding="utf-8")).get("parts", [])
        if any(part.get("kind") in KINDS for part in parts):
            names.append(path.stem)
    return names


def _sheet(name: str) -> tuple[dict, int]:
    problem = yaml.safe_load((ROOT / "problems" / f"{name}.yaml").read_text(encoding="utf-8"))
    answers, items = {}, 0
    for part in problem["parts"]:
        if part.get("kind") not in KINDS or not part.get("answer"):
            continue
        answer = part["answer"]
        if part["kind"] == "index":
            answers[part["id"]] = answer["pattern"] if isinstance(answer, dict) else answer
            items += 1
        else:
            answers[part["id"]] = answer
            items += sum(len(v) if isinstance(v, dict) else 1 for v in answer.values())
    return {"student": "Model", "problem": name, "parts": answers}, items


def test_there_are_bundled_tensor_and_index_problems() -> None:
    assert {"vector_node_two_layers", "linear_layer_index_form", "softmax_three_samples",
            "deep_linear_collapse", "cs577_softmax"} <= set(_bundled())


@pytest.mark.parametrize("name", _bundled())
def test_model_answers_as_a_sheet_are_all_right(cli, tmp_path: Path, name: str) -> None:
    sheet, items = _sheet(name)
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    result = cli("check", name, "--answers", str(path))
    assert result.code in (0, 1), result.err  # 1 only for the parts left unanswered
    assert "✗ wrong" not in result.out, result.out
    assert "could not" not in result.out, result.out
    assert result.out.count("✓ right") >= items, result.out
