"""Answer sheets with a tensor table part (issue 7): per-cell follow-through marks in sheets,
class runs and the Gradescope / PrairieLearn outputs; one bad cell or sheet costs only itself.

examples/tensor_table_problem.yaml: h = W@x + b; a = relu(h); L = sum((a - y)^2)/2 at
W = [[1,-1],[2,0]], x = [2,1], b = [0,-5], y = [0,1]. Hand-computed: v1 = W@x = [1,4],
h = [1,-1], a = [1,0], v4 = [1,-1], v5 = [1,1], v6 = 2, L = 1; ā = [1,-1], h̄ = ā ⊙ [h > 0]
= [1,0] = v̄1 = b̄, W̄ = h̄ xᵀ = [[2,1],[0,0]], x̄ = Wᵀh̄ = [1,-1]: 7 forward + 11 reverse rows.
Ben forgets the mask (h̄ = ā = [1,-1]), so v̄1 = b̄ = [1,-1] and x̄ = Wᵀ[1,-1] = [-1,-1] follow
through, and writes W̄ = x h̄ᵀ = [[2,-2],[1,-1]] (the transposed rule).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from gradtutor.check.sheet import check_sheet

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = str(ROOT / "examples" / "tensor_table_problem.yaml")
SHEETS = ROOT / "examples" / "tensor_sheets"
SCHEMAS = ROOT / "tests" / "schemas"


@pytest.fixture(autouse=True)
def _no_autograder(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADTUTOR_AUTOGRADER_DIR", str(tmp_path / "not-there"))


def statuses(part) -> dict:
    return {v.item: (v.status, v.mistake) for v in part.verdicts}


def test_a_full_right_table_in_the_students_own_names_scores_full_marks() -> None:
    result = check_sheet(PROBLEM, SHEETS / "ada.yaml")
    assert result.correct and result.item_score == (21, 21)
    table = result.parts[0]
    assert table.status == "right" and table.score == (18, 18)
    assert "table: v̄₋₃ (W)" in statuses(table)


def test_one_wrong_adjoint_follows_through_and_the_transposed_rule_is_named() -> None:
    result = check_sheet(PROBLEM, SHEETS / "ben.yaml")
    table, sizes = result.parts
    got = statuses(table)
    assert got["table: v̄₂ (h)"] == ("wrong", "missing-factor")
    for item in ("table: v̄₁", "table: v̄₋₁ (b)", "table: v̄₋₂ (x)"):
        assert got[item] == ("follows-through", "follows-through"), item
    assert got["table: v̄₋₃ (W)"] == ("wrong", "transpose")
    assert table.score == (16, 18) and sizes.status == "right"
    assert result.item_score == (19, 21)


def test_bad_cells_cost_only_themselves_and_missing_rows_are_not_answered() -> None:
    table, sizes = check_sheet(PROBLEM, SHEETS / "cleo.yaml").parts
    got = statuses(table)
    assert got["table: h"] == ("unreadable", "unreadable")  # [1, two]
    assert got["table: W (adjoint)"] == ("unreadable", "unreadable")  # ragged [[2, 1], [0]]
    assert got["table: q (adjoint)"] == ("unreadable", "unreadable")  # no such node
    assert got["table: v̄₋₁ (b)"] == ("wrong", "shape")  # [[1, 0]]
    right = [k for k, (s, _) in got.items() if s == "right"]
    assert sorted(right) == sorted(["table: v₁", "table: v₃ (a)", "table: v̄₇ (L)",
                                    "table: v̄₃ (a)", "table: v̄₂ (h)",
                                    "table: v̄₋₂ (x)"])
    # 18 rows: 7 judged + h and W̄ unreadable; the other 9 are not answered (q is no row)
    assert sum(s == "not-answered" for s, _ in got.values()) == 9
    assert "table: v₂ (h)" not in got and "table: v̄₋₃ (W)" not in got
    assert table.score == (6, 19) and sizes.score == (1, 3)
    cell = next(v for v in table.verdicts if v.item == "table: W (adjoint)")
    assert cell.given == "[[2, 1], [0]]" and "ragged" in cell.feedback[0]
    assert cell.feedback[1].endswith("cleo.yaml:15 parts.table.reverse.W")


def test_a_table_on_a_part_without_a_scalar_output_is_one_unchecked_item() -> None:
    # vector_node_two_layers' relu_jacobian: h1 = relu(W1@v) is a vector, so no reverse table
    sheet = {"parts": {"relu_jacobian": {
        "gradient": {"v": [[1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 1, -1]]},
        "forward": {"h1": [3, 0, 4]}}}}
    part = next(p for p in check_sheet("vector_node_two_layers", sheet).parts
                if p.id == "relu_jacobian")
    got = statuses(part)
    assert got["relu_jacobian.gradient.v"][0] == "right"
    assert got["relu_jacobian: table"] == ("unreadable", "unreadable")
    table = next(v for v in part.verdicts if v.item == "relu_jacobian: table")
    assert "needs a scalar output" in table.feedback[0]


def test_a_class_run_with_a_broken_sheet_loses_nothing(cli, tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("ada", "ben", "cleo"):
        (subs / f"{name}.yaml").write_text((SHEETS / f"{name}.yaml").read_text("utf-8"),
                                           encoding="utf-8")
    (subs / "dora.yaml").write_text("parts:\n  table: {reverse: {W: [1\n", encoding="utf-8")
    grades = tmp_path / "grades.csv"
    out = cli("check", PROBLEM, "--answers", str(subs), "--summary-csv", str(grades))
    assert out.code == 2 and "dora.yaml" in out.err
    rows = {r["student"]: r for r in csv.DictReader(grades.open(encoding="utf-8"))}
    assert [(rows[s]["table"], rows[s]["items_right"], rows[s]["items_total"])
            for s in ("Ada", "Ben", "Cleo")] == [("right", "21", "21"), ("wrong", "19", "21"),
                                                 ("wrong", "7", "22")]
    assert "not valid YAML" in rows["dora"]["error"]


def test_gradescope_results_for_a_tensor_table_sheet_validate(cli) -> None:
    schema = json.loads((SCHEMAS / "gradescope_results.schema.json").read_text())
    out = cli("check", PROBLEM, "--answers", str(SHEETS / "ben.yaml"), "--format", "gradescope")
    assert out.code == 1
    data = json.loads(out.out)
    jsonschema.validate(data, schema)
    cells = [t for t in data["tests"] if t["number"].startswith("1.")]
    assert len(cells) == 18 and all(t["max_score"] == 1 for t in cells)
    failed = {t["name"] for t in cells if t["status"] == "failed"}
    assert failed == {"Part table — table: v̄₂ (h)", "Part table — table: v̄₋₃ (W)"}
    assert (data["score"], sum(t["max_score"] for t in data["tests"])) == (19, 21)
    w = next(t for t in cells if t["name"].endswith("(W)"))
    assert "transpose" in w["output"]


def test_prairielearn_results_for_a_tensor_table_sheet_validate(cli) -> None:
    schema = json.loads((SCHEMAS / "prairielearn_results.schema.json").read_text())
    out = cli("check", PROBLEM, "--answers", str(SHEETS / "cleo.yaml"),
              "--format", "prairielearn")
    data = json.loads(out.out)
    jsonschema.validate(data, schema)
    assert data["gradable"] is True and data["score"] == pytest.approx(7 / 22)


def test_a_trace_part_given_matrices_is_told_to_use_a_tensor_part(cli, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("title: t\nparts:\n  - id: t\n    kind: trace\n"
                    "    f: h = W@x; L = sum(h)\n    at: {W: [[1, 2], [3, 4]], x: [1, 1]}\n",
                    encoding="utf-8")
    out = cli("solve", str(path))
    assert out.code == 2 and "p.yaml:6 parts[0].at.W: expected a number, got a list" in out.err
    assert "kind: tensor" in out.err and "Traceback" not in out.err
