"""Tables matched by what each row is: the paper's order, any other valid order, own names."""

from __future__ import annotations

import math
from pathlib import Path

from gradtutor.check import check_table
from gradtutor.check.rows import normalize_key, split_cell
from gradtutor.check.sheet import check_sheet

DATA = Path(__file__).parent / "data" / "check"
BAYDIN, AT = "ln(x1) + x1*x2 - sin(x2)", "x1=2,x2=5"
# The true values, computed here by another route (math, floats) and rounded as the paper does
LN2, SIN5, COS5 = math.log(2), math.sin(5), math.cos(5)


def statuses(result) -> dict[str, str]:
    return {v.item: v.status for v in result.verdicts}


def test_the_paper_values_are_right():
    assert (round(LN2, 3), round(SIN5, 3), round(LN2 + 10 - SIN5, 3)) == (0.693, -0.959, 11.652)
    assert (round(2 - COS5, 3), 1 / 2 + 5, round(-COS5, 3)) == (1.716, 5.5, -0.284)


def test_baydins_tables_typed_in_verbatim_score_full_marks():
    result = check_table(BAYDIN, AT, DATA / "baydin_tables.yaml")
    assert result.correct and result.score == (14, 14)
    assert statuses(result)["v₃"] == "right"  # sin v₀, numbered as the paper does


def test_any_topological_order_and_own_names_with_definitions():
    table = {"forward": {"v1": f"sin v0 = {SIN5:.3f}", "v2": "ln v-1 = 0.693",
                         "v3": "v-1 * v0 = 10", "v4": "v3 + v2 = 10.693",
                         "f": "v4 - v1 = 11.652"},
             "reverse": {"f": 1, "v4": 1, "v1": -1, "v3": 1, "v2": 1, "x2": 1.716, "x1": 5.5}}
    result = check_table(BAYDIN, AT, table)
    assert result.correct and result.score == (12, 12)
    s = statuses(result)
    assert s["v₃ (your v1)"] == s["v₁ (your v2)"] == s["v₅ (y) (your f)"] == "right"
    assert s["v̄₃ (your v1)"] == "right"


def test_the_written_order_without_definitions_is_recognised():
    # gradtutor's earlier numbering: v₃ = v₁ + v₂, v₄ = sin v₀, v₅ = v₃ − v₄
    table = {"forward": {"v1": 0.693, "v2": 10, "v3": 10.693, "v4": -0.959, "v5": 11.652},
             "reverse": {"v5": 1, "v4": -1, "v3": 1, "v2": 1, "v1": 1, "v0": 1.716}}
    result = check_table(BAYDIN, AT, table)
    assert result.correct, [(v.item, v.feedback) for v in result.verdicts]
    assert statuses(result)["v₃ (your v4)"] == "right"


def test_a_wrong_definition_is_marked_not_a_step():
    table = {"forward": {"v1": "ln v0 = 1.609", "v2": "v-1 * v0 = 10"}}
    result = check_table(BAYDIN, AT, table)
    wrong = [v for v in result.verdicts if v.status == "wrong"]
    assert [v.mistake for v in wrong] == ["not-a-step"]
    assert wrong[0].feedback[0].startswith("Your row v1 = ln v0 is not a step")


def test_csv_definition_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("node,definition,primal,adjoint\nv1,sin(v0),-0.959,-1\nv2,ln(v-1),0.693,1\n"
                    "v3,v-1*v0,10,1\nv4,v2 + v3,10.693,1\nv5,v4 - v1,11.652,1\n",
                    encoding="utf-8")
    assert check_table(BAYDIN, AT, str(path)).correct


def test_inputs_named_v1_are_inputs_and_the_cs577_sheet_scores_full_marks():
    result = check_sheet("cs577_regression_network", str(DATA / "sheets" / "cs577_right.yaml"))
    assert result.correct and result.score == (3, 3)
    numeric = next(p for p in result.parts if p.id == "numeric")
    items = {v.item: v.status for v in numeric.verdicts}
    assert items["numeric: v̄₋₃ (v1)"] == items["numeric: v̄₋₂ (v2)"] == "right"


def test_row_keys_and_cells_as_students_write_them():
    assert [normalize_key(k) for k in ("v₋₁", "v_{-1}", "v_-1", "v̄3", "v3_bar", "h1")] == [
        "v-1", "v-1", "v-1", "v3", "v3", "h1"]
    assert split_cell("ln v-1 = ln 2 = 0.693", "v1") == ("ln v-1", "0.693")
    assert split_cell("v5 = v4 - v3 = 11.652", "v5") == ("v4 - v3", "11.652")
    assert split_cell("0.693", "v1") == ("", "0.693")
