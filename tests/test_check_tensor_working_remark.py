"""A tensor table cell whose number is right but whose working is not: full credit, and a
remark that the working gives another value (a TA wants to see the slip in the rule).

At W = [[1,−1],[2,0]], x = [2,1], b = [0,−5], y = [0,1] (examples/tensor_table.yaml): by hand
h̄ = v̄1 = [1, 0], so W̄ = v̄1 xᵀ = [[2, 1], [0, 0]] while x v̄1ᵀ = [[2, 0], [1, 0]] (the
transpose); ȳ = −v̄4 = [−1, 1] while v̄4 = [1, −1].
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PROGRAM = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1],[2,0]],x=[2,1],b=[0,-5],y=[0,1]"
REVERSE = {"L": "1", "v6": "0.5", "v5": "[0.5, 0.5]", "v4": "v̄5 ⊙ 2v4 = [1, -1]",
           "a": "v̄4 = [1, -1]", "h": "ā ⊙ [h > 0] = [1, 0]", "v1": "h̄ = [1, 0]",
           "b": "h̄ = [1, 0]", "x": "Wᵀ v̄1 = [1, -1]"}


def _check(cli, tmp_path: Path, w_cell: str, y_cell: str) -> dict:
    rows = {**REVERSE, "W": w_cell, "y": y_cell}
    text = "reverse:\n" + "".join(f"  {k}: {v}\n" for k, v in rows.items())
    path = tmp_path / "table.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("check", PROGRAM, "--at", AT, "--table", str(path), "--format", "json")
    assert result.code == 0, result.out + result.err  # every number is right
    return {item["item"]: item for item in json.loads(result.out)["items"]}


def test_wrong_working_with_the_right_number_gets_a_remark(cli, tmp_path: Path) -> None:
    items = _check(cli, tmp_path, "x v̄1ᵀ = [[2, 1], [0, 0]]", "v̄4 = [-1, 1]")
    w, y = items["v̄₋₃ (W)"], items["v̄₀ (y)"]
    assert w["verdict"] == "right" and w["credit"]
    assert w["feedback"] == ["The value is right, but your working x v̄1ᵀ gives "
                             "[[2, 0], [1, 0]]: check the rule you wrote."]
    assert y["feedback"] == ["The value is right, but your working v̄4 gives [1, −1]: "
                             "check the rule you wrote."]


@pytest.mark.parametrize("w_cell, y_cell", [
    ("v̄1 xᵀ = [[2, 1], [0, 0]]", "-v̄4 = [-1, 1]"),  # right working: nothing to say
    ("[[2, 1], [0, 0]]", "[-1, 1]"),  # no working
    ("(v̄1 xᵀ = [[2, 1], [0, 0]]", "v̄4 @@ 2 = [-1, 1]"),  # working we cannot read: silent
])
def test_right_or_unreadable_working_is_silent(cli, tmp_path: Path, w_cell: str,
                                               y_cell: str) -> None:
    items = _check(cli, tmp_path, w_cell, y_cell)
    assert not items["v̄₋₃ (W)"]["feedback"] and not items["v̄₀ (y)"]["feedback"]
