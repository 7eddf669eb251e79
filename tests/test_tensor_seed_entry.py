"""Forward mode along one entry: --wrt x[0], --wrt W[1,0] seed the unit direction there.

For h = W@x + b, L = sum(relu(h)) at W = [[1,−1],[2,0]], x = [2,1], b = [0,−5]: h = [1, −1],
so relu′(h) = [1, 0]. Along ẋ = e₀: Wẋ = [1, 2], masked [1, 0], L̇ = 1 (= ∂L/∂x₀ = (Wᵀ[1,0])₀).
Along ẋ = e₋₁ = e₁: Wẋ = [−1, 0], L̇ = −1. Along Ẇ = e₁₀: Ẇx = [0, 2], masked [0, 0],
L̇ = 0; along Ẇ = e₀₁: Ẇx = [x₁, 0] = [1, 0], L̇ = 1.
"""

from __future__ import annotations

import json

import pytest

PROGRAM = "h = W@x + b; L = sum(relu(h))"
AT = "W=[[1,-1],[2,0]],x=[2,1],b=[0,-5]"


@pytest.mark.parametrize("wrt, seed, output", [
    ("x[0]", [1, 0], 1), ("x[-1]", [0, 1], -1), ("W[1,0]", [[0, 0], [1, 0]], 0),
    ("W[1][0]", [[0, 0], [1, 0]], 0), ("W[0, -1]", [[0, 1], [0, 0]], 1),
])
def test_one_entry_seeds_its_unit_direction(cli, wrt: str, seed, output) -> None:
    result = cli("trace", PROGRAM, "--at", AT, "--mode", "forward", "--wrt", wrt,
                 "--format", "json")
    assert result.code == 0, result.err
    tangent = json.loads(result.out)["tangent"]
    assert tangent["seed"] == seed and tangent["output"] == output


@pytest.mark.parametrize("wrt, fragment", [
    ("x[2]", "x has shape 2, so this is no entry of it"),
    ("b[0,0]", "b has shape 2, so this is no entry of it"),
    ("x[a]", "an entry is whole numbers in brackets"),
    ("x[0]=[1,0]", "give an entry (x[1]) or a direction (x=[0,1]), not both"),
    ("x[99999999999]", "an entry is whole numbers in brackets"),
])
def test_bad_entries_are_exit_2(cli, wrt: str, fragment: str) -> None:
    result = cli("trace", PROGRAM, "--at", AT, "--mode", "forward", "--wrt", wrt)
    assert result.code == 2, result.out
    assert fragment in result.err and "Traceback" not in result.err
