"""Table checks: each cell right, wrong or follows-through; the first wrong cell pinpointed."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradtutor.check import check_table
from gradtutor.errors import ProblemFileError

DATA = Path(__file__).parent / "data" / "check"
AD, AT = "x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1"
SUB, SUB_AT = "d = y - w*x; l = d^2", "y=1,w=2,x=3"


def statuses(result):
    return {v.item: (v.status, v.mistake) for v in result.verdicts}


def test_seed004_student_table_is_all_right():
    result = check_table(AD, AT, DATA / "seed004_table.yaml")
    assert result.correct and result.score == (14, 14)


def test_one_slip_costs_one_mark_and_later_cells_follow_through():
    result = check_table(AD, AT, DATA / "slip_table.yaml")
    assert result.score == (10, 11)
    first = result.first_wrong
    assert first.item == "v₂" and first.given == "0.35"
    assert first.working == "v₂ = v₁ + v₀ with v₁ = 0.15, v₀ = 0.1 gives 0.25"
    s = statuses(result)
    assert s["v₃"] == ("follows-through", "follows-through")
    assert s["v̄₋₂ (x)"][0] == "follows-through"


def test_forgot_to_sum_over_fan_out_csv():
    result = check_table(AD, AT, DATA / "fanout_table.csv")
    v = result.first_wrong
    assert (v.item, v.mistake) == ("v̄₋₂ (x)", "fan-out")
    assert "feeds v₁, v₄" in v.feedback[0]
    assert v.working == "v̄₋₂ = v̄₁·(v₋₁) + v̄₄·(1) = (−16)·(0.5) + (1)·(1) = −7"


def test_sign_slip_on_a_subtraction_then_follow_through():
    result = check_table(SUB, SUB_AT, DATA / "subtraction_slip.csv")
    s = statuses(result)
    assert s["v̄₁"] == ("wrong", "sign-slip")
    assert s["v̄₋₁ (w)"][0] == s["v̄₀ (x)"][0] == "follows-through"
    assert result.score == (11, 12)


@pytest.mark.parametrize(("reverse", "item", "mistake"), [
    ({"l": 0}, "v̄₃ (l)", "seed"),
    ({"l": 1, "d": -10, "v1": 10, "w": 3}, "v̄₋₁ (w)", "no-upstream"),
    ({"l": 1, "d": -10, "v1": 10, "x": 2}, "v̄₀ (x)", "no-upstream"),  # ∂v₁/∂x = w = 2
    ({"l": 1, "d": -10, "v1": 10, "x": 200}, "v̄₀ (x)", "decimal-slip"),
    ({"l": 1, "d": -7}, "v̄₂ (d)", ""),
])
def test_table_mistakes(reverse, item, mistake):
    result = check_table(SUB, SUB_AT, {"reverse": reverse})
    assert statuses(result)[item] == ("wrong", mistake)


def test_seed003_swapped_hidden_units():
    source = ("z1 = sigmoid(w10 + w11*x1 + w12*x2); z2 = sigmoid(w20 + w21*x1 + w22*x2); "
              "z3 = sigmoid(w30 + w31*x1 + w32*x2); yh = v0 + v1*z1 + v2*z2 + v3*z3; "
              "L = (t - yh)^2")
    at = ("w10=0.01,w11=0.02,w12=0.03,w20=0.03,w21=0.01,w22=0.02,w30=0.02,w31=0.03,"
          "w32=0.01,v0=0.01,v1=0.02,v2=0.03,v3=0.04,x1=1,x2=3,t=11")
    s = statuses(check_table(source, at, DATA / "seed003_forward.yaml"))
    assert s["v₁₃ (z1)"] == ("wrong", "copied") and s["v₁₄ (z2)"] == ("wrong", "copied")
    assert s["v₁₅ (z3)"][0] == s["v₂₁ (yh)"][0] == "right"
    assert s["v₂₃ (L)"][0] == "wrong"  # 119.74559; (11 − 0.05715)² = 119.74597…


def test_seed001_cos_written_as_sin():
    source = "t1 = sin(x); b1 = cos(x); s1 = t1 + b1; t2 = sin(s1); b2 = cos(s1); o = t2*b2"
    s = statuses(check_table(source, "x=1", DATA / "seed001_forward.yaml"))
    assert s["v₂ (b1)"] == ("wrong", "copied")
    assert s["v₃ (s1)"][0] == s["v₄ (t2)"][0] == "right"


def test_bad_tables_name_the_key():
    with pytest.raises(ProblemFileError) as err:
        check_table(AD, AT, {"forward": {"v9": 1}})
    assert err.value.location == "At key: forward.v9"
    with pytest.raises(ProblemFileError, match="unknown section"):
        check_table(AD, AT, {"backward": {"v1": 1}})
    with pytest.raises(ProblemFileError, match="expected a number"):
        check_table(AD, AT, {"forward": {"v1": [1, 2]}})
    with pytest.raises(ProblemFileError, match="cannot read"):
        check_table(AD, AT, DATA / "missing.yaml")
