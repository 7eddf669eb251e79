"""where(cond, a, b) on vectors and matrices (was exit 3: the backend only had two argument
symbols), its unrolled form, and == printed as it is typed (never SymPy's Eq(x, 1)).

Values by hand:
- where(h > 0, h, h/10) at h = [1, −1] is [1, −0.1]: sum 0.9, gradient [1, 0.1];
- where(h < y, h², y) at h = [1, −1], y = [0, 2] picks y₀ = 0 and h₁² = 1: sum 1,
  ∂/∂h = [0, 2·(−1)] = [0, −2], ∂/∂y = [1, 0];
- where(h > 0, h, 0)·(W@h) at h = [1, −1], W = [[1,2],[3,4]]: relu(h) = [1, 0], W@h = [−1, −1],
  sum −1; ∂/∂h = relu′(h) ⊙ (W@h) + Wᵀ relu(h) = [−1, 0] + [1, 2] = [0, 2],
  ∂/∂W = relu(h) hᵀ = [[1, −1], [0, 0]];
- where(W >= 2, W, −W) at W = [[1,2],[3,4]] is [[−1,2],[3,4]]: sum 8, gradient [[−1,1],[1,1]].
"""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("program, at, value, gradient", [
    ("L = sum(where(h > 0, h, h/10))", "h=[1,-1]", 0.9, {"h": [1, 0.1]}),
    ("L = sum(where(h < y, h^2, y))", "h=[1,-1],y=[0,2]", 1, {"h": [0, -2], "y": [1, 0]}),
    ("L = sum(where(h > 0, h, 0)*(W@h))", "h=[1,-1],W=[[1,2],[3,4]]", -1,
     {"h": [0, 2], "W": [[1, -1], [0, 0]]}),
    ("L = sum(where(W >= 2, W, -W))", "W=[[1,2],[3,4]]", 8, {"W": [[-1, 1], [1, 1]]}),
])
def test_where_on_tensors_by_hand(cli, program: str, at: str, value, gradient) -> None:
    result = cli("trace", program, "--at", at, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["value"] == pytest.approx(value)
    assert _rounded(data["gradient"]) == gradient


def _rounded(value):
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return round(value, 12)


def test_where_unrolls_into_scalar_where(cli) -> None:
    result = cli("trace", "L = sum(where(h == 1, h, 3*h))", "--at", "h=[1,-1]", "--unroll")
    assert result.code == 0, result.err
    assert "where(v₋₁ == 1, v₋₁, v₁)" in result.out
    assert "Eq(" not in result.out and "(max difference 0.0e+00)" in result.out


def test_scalar_where_eq_is_printed_as_typed(cli) -> None:
    result = cli("check", "where(x == 1, x, 3*x)", "--wrt", "x", "--answer", "1")
    assert result.code == 1
    assert "expected: where(x == 1, 1, 3)" in result.out and "Eq(" not in result.out
    again = cli("check", "where(x == 1, x, 3*x)", "--wrt", "x",
                "--answer", "where(x == 1, 1, 3)")  # our own output pasted back
    assert again.code == 0, again.out + again.err
