"""Tensor tables with definitions and working, and as CSV (issue 7: tables with vector nodes
work as the scalar ones do).

Hand-computed for h = W@x + b; a = relu(h); L = sum((a - y)^2)/2 at W = [[1,-1],[2,0]],
x = [2,1], b = [0,-5], y = [0,1] (as in test_check_tensor_table.py): v1 = W@x = [1,4],
h = [1,-1], a = [1,0], v4 = a - y = [1,-1], v5 = [1,1], v6 = 2, L = 1; L̄ = 1, v̄6 = 1/2,
v̄5 = [1/2,1/2], v̄4 = [1,-1], ā = [1,-1], ȳ = [-1,1], h̄ = ā ⊙ [h > 0] = [1,0], v̄1 = b̄ = [1,0],
W̄ = h̄ xᵀ = [[2,1],[0,0]], x̄ = Wᵀh̄ = [1,-1].
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtutor.check import check_table

ROOT = Path(__file__).resolve().parent.parent
SRC = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1],[2,0]],x=[2,1],b=[0,-5],y=[0,1]"
# the student's own names and a 0-based numbering of their own: v0 is THEIR W@x
FORWARD = {"v0": "W@x = [1, 4]", "v1": "v0 + b = [1, 4] + [0, -5] = [1, -1]",
           "r": "relu(v1) = [1, 0]", "d": "r - y = [1, -1]", "q": "d^2 = [1, 1]",
           "s": "sum(q) = 2", "L": "s/2 = 1"}
REVERSE = {"L": 1, "s": "1/2", "q": "s̄ = [0.5, 0.5]", "d": "q̄ ⊙ 2d = [1, -1]",
           "r": "d̄ = [1, -1]", "y": "-d̄ = [-1, 1]", "v1": "r̄ ⊙ [v1 > 0] = [1, 0]",
           "v0": "v̄1 = [1, 0]", "b": "v̄1 = [1, 0]", "W": "v̄₀ xᵀ = [[2, 1], [0, 0]]",
           "x": "Wᵀ v̄₀ = [1, -1]"}


def table(**reverse: object) -> dict:
    return {"forward": dict(FORWARD), "reverse": {**REVERSE, **reverse}}


def verdicts(result) -> dict:
    return {v.item: (v.status, v.mistake) for v in result.verdicts}


def test_rows_with_definitions_in_the_students_own_names_and_numbering_score_full() -> None:
    result = check_table(SRC, AT, table())
    assert result.correct and result.score == (18, 18)
    got = verdicts(result)
    assert "v₁ (your v0)" in got and "v₂ (h) (your v1)" in got and "v̄₋₃ (W)" in got
    assert not any(n.startswith("Not in the table") for n in result.notes)


def test_a_definition_as_a_mapping_and_working_before_the_value() -> None:
    data = {"forward": {"h": {"definition": "v1 + b", "value": [1, -1]},
                        "v1": "W@x = [[1,-1],[2,0]] @ [2,1] = [1, 4]"}}
    assert check_table(SRC, AT, data).score == (2, 2)


def test_a_working_without_the_relu_mask_is_named_and_later_cells_follow_through() -> None:
    # h̄ = ā written [1, -1]: then v̄0 = b̄ = [1, -1], W̄ = [1,-1] xᵀ = [[2,1],[-2,-1]],
    # x̄ = Wᵀ[1,-1] = [1 - 2, -1 + 0] = [-1, -1]
    result = check_table(SRC, AT, table(v1="r̄ = [1, -1]", v0="v̄1 = [1, -1]",
                                        b="[1, -1]", W="v̄₀ xᵀ = [[2, 1], [-2, -1]]",
                                        x="[-1, -1]"))
    got = verdicts(result)
    assert got["v̄₂ (h) (your v1)"] == ("wrong", "missing-factor")
    for item in ("v̄₁ (your v0)", "v̄₋₁ (b)", "v̄₋₃ (W)", "v̄₋₂ (x)"):
        assert got[item][0] == "follows-through", item
    assert result.score == (17, 18)
    wrong = result.first_wrong
    assert "Your working r̄" in wrong.feedback[0] and "relu′" in wrong.feedback[0]


def test_a_transposed_working_is_named_even_when_the_numbers_hide_it() -> None:
    # x v̄₀ᵀ = [2,1]ᵀ[1,0] = [[2,0],[1,0]]: the transpose of W̄ = [[2,1],[0,0]]
    wrong = check_table(SRC, AT, table(W="x v̄₀ᵀ = [[2, 0], [1, 0]]")).first_wrong
    assert (wrong.item, wrong.mistake) == ("v̄₋₃ (W)", "transpose")
    assert wrong.feedback[0].startswith("Your working x v̄₀ᵀ is not the rule")
    # a right rule with an arithmetic slip: the numbers are diagnosed instead
    slip = check_table(SRC, AT, table(W="v̄₀ xᵀ = [[2, 1], [0, 7]]")).first_wrong
    assert slip.feedback[0] == "Entry [1, 1] differs: it should be 0, yours is 7."


def test_a_definition_that_is_no_step_and_a_working_that_does_not_parse() -> None:
    # x@W = [2·1 + 1·2, 2·(−1) + 1·0] = [4, -2]: a product, but not the program's W@x
    data = {"forward": {"v0": "x@W = [4, -2]", "h": "v0 + b = [4, -7]", "L": "s/2 = 1"},
            "reverse": {"W": "v̄₁ x^^T = [[2, 1], [0, 0]]", "x": "Wᵀ h̄ = [1, 0]"}}
    result = check_table(SRC, AT, data)
    got = verdicts(result)
    assert got["v0"] == ("wrong", "not-a-step")
    lost = next(v for v in result.verdicts if v.item == "v0")
    assert lost.feedback[0].startswith("Your row v0 = x@W is not a step of the expression")
    # h is built on the lost row, but is a name of the program: its value is still judged
    assert got["v₂ (h)"][0] == "wrong" and got["v₇ (L)"] == ("right", "")
    assert got["v̄₋₃ (W)"] == ("right", "")  # the numbers are right; the working is not read
    wrong_x = next(v for v in result.verdicts if v.item == "v̄₋₂ (x)")
    assert wrong_x.status == "wrong" and wrong_x.mistake != "unreadable-working"
    unread = check_table(SRC, AT, {"reverse": {"W": "h̄ x^^T = [[2, 1], [1, 0]]"}}).first_wrong
    assert unread.mistake == "unreadable-working"
    assert unread.feedback[0].startswith("Your working h̄ x^^T could not be read:")


def test_a_definition_that_does_not_parse_is_its_rows_verdict_not_an_error() -> None:
    data = {"forward": {"z1": "W@@x = [1, 4]", "a": "relu v2 = [1, 0]"},
            "reverse": {"z1": [1, 0], "h": [1, 0]}}
    result = check_table(SRC, AT, data)
    got = verdicts(result)
    assert got["z1"] == got["z1 (adjoint)"] == ("wrong", "unreadable-definition")
    z1 = next(v for v in result.verdicts if v.item == "z1")
    assert z1.feedback[0].startswith("Your definition W@@x could not be read: expected")
    assert got["v₃ (a)"] == ("right", "") and got["v̄₂ (h)"] == ("right", "")  # relu(v2)


def test_the_same_table_as_csv_gets_the_same_verdicts(tmp_path: Path) -> None:
    lines = ["node,definition,primal,adjoint"]
    for key, text in FORWARD.items():
        definition, value = text.split(" = ", 1)
        lines.append(f'{key},{definition},"{value.split(" = ")[-1]}","{REVERSE[key]}"')
    lines += [f'{key},,,"{REVERSE[key]}"' for key in ("y", "b", "W", "x")]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check_table(SRC, AT, str(path))
    assert result.correct and result.score == (18, 18)
    yaml_result = check_table(SRC, AT, str(ROOT / "examples/tensor_table_defs.yaml"))
    csv_result = check_table(SRC, AT, str(ROOT / "examples/tensor_table_defs.csv"))
    assert verdicts(yaml_result) == verdicts(csv_result)
    assert csv_result.score == (16, 18)
    assert verdicts(csv_result)["v̄₋₃ (W)"] == ("wrong", "transpose")


def test_bad_csv_tables_are_clear_errors(cli, tmp_path: Path) -> None:
    cases = {"unquoted.csv": ("node,primal,adjoint\nh,[1, -1],\n", "never closed"),
             "ragged.csv": ('node,primal,adjoint\nW,,"[[1, 2], [3]]"\n', "ragged"),
             "word.csv": ('node,primal,adjoint\nh,"[1, two]",\n', "not a number"),
             "header.csv": ("name,value\nh,1\n", "header"),
             "node.csv": ('node,primal,adjoint\nq,"[1, 2]",\n', "not a node")}
    for name, (text, said) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out = cli("check", SRC, "--at", AT, "--table", str(path))
        assert out.code == 2 and said in out.err and "Traceback" not in out.err, (name, out.err)
        assert f"{name}:2" in out.err or name == "header.csv", (name, out.err)


def test_a_huge_cell_is_a_wrong_shape_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("reverse:\n  x: [" + ", ".join(["1"] * 100_000) + "]\n", encoding="utf-8")
    wrong = check_table(SRC, AT, str(path)).first_wrong
    assert wrong.mistake == "shape" and "yours has shape 100000" in wrong.feedback[0]
    assert len(wrong.given) <= 200


# An independent route: the layer's table written out with plain integer numpy (not the
# tensor engine), at random small integer points; the checker must mark it all right, and a
# slip in h̄ must make v̄1, b̄, W̄ and x̄ follow through when they are computed from it.
@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=10, max_size=10),
       st.integers(-2, 2).filter(bool))
def test_random_layers_tables_by_hand_rules_are_right_and_follow_through(values, slip) -> None:
    w = np.array(values[:4], dtype=object).reshape(2, 2)
    x, b, y = (np.array(values[i:i + 2], dtype=object) for i in (4, 6, 8))
    h = w.dot(x) + b
    a = np.array([max(e, 0) for e in h], dtype=object)
    a_bar = a - y
    h_bar = a_bar * np.array([int(e > 0) for e in h], dtype=object)
    at = (f"W={w.tolist()},x={x.tolist()},b={b.tolist()},y={y.tolist()}").replace(" ", "")

    def rows(hb: np.ndarray) -> dict:
        return {"h": hb.tolist(), "v1": hb.tolist(), "b": hb.tolist(),
                "W": np.outer(hb, x).tolist(), "x": w.T.dot(hb).tolist()}

    forward = {"v1": w.dot(x).tolist(), "h": h.tolist(), "a": a.tolist(),
               "L": sum(e * e for e in a_bar) / 2}
    forward["L"] = str(Fraction(forward["L"]))
    reverse = {"a": a_bar.tolist(), "y": (-a_bar).tolist(), **rows(h_bar)}
    assert check_table(SRC, at, {"forward": forward, "reverse": reverse}).correct
    wrong = h_bar + np.array([slip, 0], dtype=object)
    got = verdicts(check_table(SRC, at, {"forward": forward,
                                         "reverse": {**reverse, **rows(wrong)}}))
    assert got["v̄₂ (h)"][0] == "wrong"
    for item in ("v̄₁", "v̄₋₁ (b)", "v̄₋₃ (W)", "v̄₋₂ (x)"):
        assert got[item][0] in ("follows-through", "right"), item
    assert got["v̄₋₁ (b)"][0] == "follows-through"


@pytest.mark.parametrize(("working", "plain"), [
    ("h̄ xᵀ", "h_bar @ x.T"), ("v̄₁ v₋₂ᵀ", "v1_bar @ vm2.T"), ("Wᵀ·v̄1", "W.T @ v1_bar"),
    ("ā ⊙ [h > 0]", "a_bar * step(h)"), ("ā ⊙ relu′(h)", "a_bar * (step(h))"),
    ("q̄ ⊙ 2d", "q_bar * 2*d"), ("0.5 x", "0.5 * x"), ("v1_bar x^T", "v1_bar @ x.T"),
    ("relu v2", "relu(v2)"), ("h̄ᵀW", "h_bar.T @ W")])
def test_lecture_notation_is_read_into_the_grammar(working: str, plain: str) -> None:
    from gradtutor.api import trace
    from gradtutor.check.tensor_working import plain_working

    assert plain_working(working, trace(SRC, AT).graph).strip() == plain


def test_workings_evaluate_with_vectors_as_columns() -> None:
    # h̄ = [1, 0], x = [2, 1]: h̄ xᵀ = [[2, 1], [0, 0]]; x h̄ᵀ = [[2, 0], [1, 0]];
    # Wᵀ h̄ = [1, -1]; h̄ᵀ W = [1, -1] (a row, read back as the vector)
    from gradtutor.api import trace
    from gradtutor.check.tensor_working import working_value

    result = trace(SRC, AT)
    bars = {row.index: row.v_bar for row in result.rows}

    def value(working: str, shape: tuple) -> list:
        return working_value(working, result.graph, {}, result.forward.value, bars.__getitem__,
                             result.forward.backend, shape).tolist()

    assert value("h̄ xᵀ", (2, 2)) == [[2, 1], [0, 0]]
    assert value("x h̄ᵀ", (2, 2)) == [[2, 0], [1, 0]]
    assert value("Wᵀ h̄", (2,)) == value("h̄ᵀ W", (2,)) == [1, -1]
    assert value("outer(h_bar, x)", (2, 2)) == [[2, 1], [0, 0]]


def test_v_numbers_in_the_written_order_are_read_as_written() -> None:
    # + sum(h) at the end: ours numbers it v4 (as soon as h exists), the written order v8.
    # Written: v4 = a - y = [1,-1], v5 = [1,1], v6 = 2, v7 = 1, v8 = sum(h) = 0, v9 = L = 1;
    # adjoints v̄9 = v̄8 = v̄7 = 1, v̄6 = 1/2, v̄5 = [1/2,1/2], v̄4 = [1,-1]
    src = SRC + " + sum(h)"
    data = {"forward": {"v4": [1, -1], "v5": [1, 1], "v6": 2, "v7": 1, "v8": 0, "v9": 1},
            "reverse": {"v9": 1, "v8": 1, "v7": 1, "v6": "1/2", "v5": ["1/2", "1/2"],
                        "v4": [1, -1]}}
    result = check_table(src, AT, data)
    assert result.correct and result.score == (12, 12)
    assert "v₄ (your v8)" in verdicts(result)  # our v4 is sum(h)
    ours = {"forward": {"v4": 0, "v5": [1, -1]}, "reverse": {"v4": 1, "v5": [1, -1]}}
    assert check_table(src, AT, ours).correct  # our own numbering still reads as ours
