"""Functions only once differentiable at a point still verify on the exact route.

softsign(x) = x/(1 + |x|) has softsign′(0) = 1 but no second derivative at 0, so a central
difference there is only O(h) accurate; with the old 1e-15 step that error (1e-15) exceeded
the 1e-20 tolerance and `trace "logsumexp(softsign(b))" --at b=[0,0.5]` exited 3. By hand
∂/∂b sum(softsign(b)) at b = [0, 1/2] is [1/(1+0)², 1/(1+1/2)²] = [1, 4/9].
"""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("program", ["logsumexp(softsign(b))", "sum(softsign(b))",
                                     "sum(elu(b))", "sum(softsign(b)^2)"])
def test_once_differentiable_points_verify(cli, program: str) -> None:
    result = cli("trace", program, "--at", "b=[0,0.5]")
    assert result.code == 0, result.out + result.err
    out = " ".join(result.out.split())
    assert "Verified: the adjoints agree" in out and "central finite differences" in out


def test_softsign_gradient_by_hand(cli) -> None:
    result = cli("trace", "sum(softsign(b))", "--at", "b=[0,1/2]", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["gradient"]["b"] == [1, pytest.approx(4 / 9, rel=1e-15)]
