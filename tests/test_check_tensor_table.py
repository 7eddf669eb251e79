"""Tensor tables: nested-list cells judged right, wrong or follows-through, with tensor slips.

Hand-computed for h = W@x + b; a = relu(h); L = sum((a - y)^2)/2 at W = [[1,-1],[2,0]],
x = [2,1], b = [0,-5], y = [0,1]: v1 = W@x = [1,4], h = [1,-1], a = [1,0], v4 = a - y =
[1,-1], v5 = v4^2 = [1,1], v6 = 2, L = 1; L̄ = 1, v̄6 = 1/2, v̄5 = [1/2,1/2], v̄4 = v̄5 ⊙ 2·v4 =
[1,-1], ā = [1,-1], ȳ = [-1,1], h̄ = ā ⊙ [h > 0] = [1,0], v̄1 = b̄ = [1,0], W̄ = h̄ xᵀ =
[[2,1],[0,0]], x̄ = Wᵀh̄ = [1,-1].
"""

from __future__ import annotations

from pathlib import Path

from gradtutor.check import check_table

ROOT = Path(__file__).resolve().parent.parent
SRC = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1],[2,0]],x=[2,1],b=[0,-5],y=[0,1]"
FORWARD = {"v1": [1, 4], "h": [1, -1], "a": [1, 0], "v4": [1, -1], "v5": [1, 1], "v6": 2,
           "L": 1}
REVERSE = {"L": 1, "v6": "1/2", "v5": [0.5, 0.5], "v4": [1, -1], "a": [1, -1], "y": [-1, 1],
           "h": [1, 0], "v1": [1, 0], "b": [1, 0], "W": [[2, 1], [0, 0]], "x": [1, -1]}


def table(**reverse: object) -> dict:
    return {"forward": dict(FORWARD), "reverse": {**REVERSE, **reverse}}


def verdicts(result) -> dict:
    return {v.item: (v.status, v.mistake) for v in result.verdicts}


def test_a_full_right_table_scores_full_marks() -> None:
    result = check_table(SRC, AT, table())
    assert result.correct and result.score == (18, 18)
    assert not any(n.startswith("Not in the table") for n in result.notes)


def test_wrong_adjoint_and_later_cells_follow_through_from_the_students_own_values() -> None:
    # h̄ written [2, 0]: then v̄1 = b̄ = [2, 0], W̄ = [2,0] xᵀ = [[4,2],[0,0]], x̄ = Wᵀ[2,0] = [2,-2]
    result = check_table(SRC, AT, table(h=[2, 0], v1=[2, 0], b=[2, 0], W=[[4, 2], [0, 0]],
                                        x=[2, -2]))
    got = verdicts(result)
    assert got["v̄₂ (h)"][0] == "wrong"
    for item in ("v̄₁", "v̄₋₁ (b)", "v̄₋₃ (W)", "v̄₋₂ (x)"):
        assert got[item] == ("follows-through", "follows-through"), item
    assert result.score == (17, 18)
    assert result.first_wrong.expected == "[1, 0]"


def test_a_wrong_primal_carries_forward_into_later_primals_and_adjoints() -> None:
    # h written [1, 1]: a = relu = [1, 1], v4 = [1, 0], v5 = [1, 0], v6 = 1, L = 1/2;
    # v̄4 = v̄5 ⊙ 2·v4 = [1, 0], ā = [1, 0], h̄ = [1, 0] (mask of the student's h is [1, 1])
    forward = {**FORWARD, "h": [1, 1], "a": [1, 1], "v4": [1, 0], "v5": [1, 0], "v6": 1,
               "L": "1/2"}
    reverse = {**REVERSE, "v4": [1, 0], "a": [1, 0], "y": [-1, 0]}
    got = verdicts(check_table(SRC, AT, {"forward": forward, "reverse": reverse}))
    assert got["v₂ (h)"][0] == "wrong"
    for item in ("v₃ (a)", "v₄", "v₅", "v₆", "v₇ (L)", "v̄₄", "v̄₃ (a)", "v̄₀ (y)"):
        assert got[item][0] == "follows-through", item


def test_a_transposed_weight_gradient_is_named() -> None:
    got = check_table(SRC, AT, table(W=[[2, 0], [1, 0]]))
    wrong = got.first_wrong
    assert (wrong.item, wrong.mistake) == ("v̄₋₃ (W)", "transpose")
    assert "W̄ is the transpose" in wrong.feedback[0]


def test_a_transposed_non_square_gradient_is_told_its_shape() -> None:
    # W 2×3, x = [1,2,3]: h = [6,-2], a = [6,0], ā = a - y = [5,-2], h̄ = [5,0], W̄ = h̄ xᵀ
    src_at = "W=[[1,-1,2],[0,1,-1]],x=[1,2,3],b=[1,-1],y=[1,2]"
    right = check_table(SRC, src_at, {"reverse": {"W": [[5, 10, 15], [0, 0, 0]]}})
    assert right.correct
    result = check_table(SRC, src_at, {"reverse": {"W": [[5, 0], [10, 0], [15, 0]]}})
    wrong = result.first_wrong
    assert wrong.mistake == "transpose"
    assert "shape 3×2" in wrong.feedback[0] and "should have shape 2×3" in wrong.feedback[0]


def test_a_wrong_shape_cell_says_which_shape_it_should_have() -> None:
    result = check_table(SRC, AT, table(b=[[1, 0]]))
    wrong = result.first_wrong
    assert (wrong.item, wrong.mistake) == ("v̄₋₁ (b)", "shape")
    assert "should have shape 2, yours has shape 1×2" in wrong.feedback[0]
    assert result.score == (17, 18)  # the later cells use the true b̄, not the bad one


def test_a_sum_that_should_have_been_broadcast() -> None:
    wrong = check_table(SRC, AT, table(v5=1)).first_wrong
    assert (wrong.item, wrong.mistake) == ("v̄₅", "sum-not-broadcast")


def test_a_missing_relu_mask() -> None:
    wrong = check_table(SRC, AT, table(h=[1, -1])).first_wrong
    assert (wrong.item, wrong.mistake) == ("v̄₂ (h)", "missing-factor")
    assert "relu′" in wrong.feedback[0]


def test_a_flipped_sign_and_a_first_differing_entry() -> None:
    got = check_table(SRC, AT, table(x=[-1, 1])).first_wrong
    assert got.mistake == "sign"
    other = check_table(SRC, AT, table(x=[1, 7])).first_wrong
    assert other.feedback[0] == "Entry [1] differs: it should be −1, yours is 7."


def test_missing_cells_are_listed_not_checked_and_precision_is_as_written() -> None:
    forward = {k: v for k, v in FORWARD.items() if k != "a"}
    result = check_table(SRC, AT, {"forward": forward, "reverse": {"v6": "0.50"}})
    assert result.correct and result.score == (7, 7)
    assert "v₃" in result.notes[0] and "v̄₋₃" in result.notes[0]
    wrong = check_table(SRC, AT, {"reverse": {"v6": "0.6"}})
    assert not wrong.correct


def test_cli_example_table(cli) -> None:
    out = cli("check", SRC, "--at", AT, "--table", str(ROOT / "examples/tensor_table.yaml"))
    assert out.code == 1 and "16 of 18 right" in out.out
    assert "follows through" in out.out and "transpose" in out.out


def test_bad_tensor_tables_are_clear_errors(cli, tmp_path: Path) -> None:
    cases = {"ragged.yaml": ("reverse:\n  W: [[1, 2], [3]]\n", "ragged"),
             "where.yaml": ("reverse:\n  W: [[1, 2], [3]]\n", "reverse.W"),
             "word.yaml": ("reverse:\n  x: [1, two]\n", "reverse.x"),
             "node.yaml": ("reverse:\n  q: [1, 2]\n", "not a node"),
             "t.csv": ("node,primal,adjoint\nh,[1, -1],2\n", "never closed"),
             "twice.yaml": ("reverse:\n  h: [1, 0]\n  v2: [1, 0]\n", "given twice")}
    for name, (text, said) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out = cli("check", SRC, "--at", AT, "--table", str(path))
        assert out.code == 2 and said in out.err and "Traceback" not in out.err, name


def test_irrational_entries_are_right_to_the_decimals_written() -> None:
    # h = [1, -1], a = σ(h) = [0.7311, 0.2689], h̄ = σ′(h) = [0.1966, 0.1966] (σ′(1) = σ′(-1)),
    # W̄ = h̄ xᵀ = [[0.3932, 0.1966], [0.3932, 0.1966]], x̄ = Wᵀh̄ = [0, 0]
    src, at = "h = W@x; a = sigmoid(h); L = sum(a)", "W=[[1,-1],[-1,1]],x=[2,1]"
    data = {"forward": {"a": ["0.731", "0.269"], "L": "1.000"},
            "reverse": {"h": ["0.197", "0.197"], "W": [["0.393", "0.197"], ["0.393", "0.197"]],
                        "x": ["0.590", "-0.197"]}}
    got = verdicts(check_table(src, at, data))
    assert got["v₂ (a)"][0] == got["v̄₁ (h)"][0] == got["v̄₋₁ (W)"][0] == "right"
    assert got["v̄₀ (x)"][0] == "wrong"
    data["forward"]["a"] = ["0.73", "0.260"]
    assert verdicts(check_table(src, at, data))["v₂ (a)"][0] == "wrong"


def test_forgot_to_sum_over_fan_out() -> None:
    # x feeds W@x and sum(x): x̄ = Wᵀh̄ + 1 = Wᵀ[1, 1] + [1, 1] = [3, -1] + [1, 1] = [4, 0]
    src, at = "h = W@x; L = sum(h) + sum(x)", "W=[[1,-1],[2,0]],x=[2,1]"
    assert check_table(src, at, {"reverse": {"x": [4, 0], "h": [1, 1]}}).correct
    wrong = check_table(src, at, {"reverse": {"x": [3, -1]}}).first_wrong
    assert wrong.mistake == "fan-out" and "only the one from v₁" in wrong.feedback[0]


def test_a_wrong_seed_and_a_copied_primal_are_named() -> None:
    seed = check_table(SRC, AT, table(L=0)).first_wrong
    assert (seed.item, seed.mistake) == ("v̄₇ (L)", "seed")
    assert "Wrong seed" in seed.feedback[0]
    # a written as h's value [1, -1] (relu skipped): that is v₂ (h)'s value
    forward = {**FORWARD, "a": [1, -1]}
    wrong = check_table(SRC, AT, {"forward": forward}).first_wrong
    assert (wrong.item, wrong.mistake) == ("v₃ (a)", "copied")
    assert wrong.feedback[0].startswith("That is the value of v₂ (h), not of v₃")
