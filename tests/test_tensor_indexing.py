"""Indexing as numpy writes it: W[1, 0] is W[1][0], z[-1] is the last entry.

By hand, L = 2·W[1,0] + W[-1][-2] + z[-1] at W = [[1,2],[3,4]], z = [5,6,7]:
W[1,0] = 3 and W[-1][-2] = W[1][0] = 3, z[-1] = 7, so L = 6 + 3 + 7 = 16,
∂L/∂W = [[0,0],[2 + 1, 0]] = [[0,0],[3,0]] and ∂L/∂z = [0,0,1].
"""

from __future__ import annotations

import json

import pytest

PROGRAM = "L = 2*W[1,0] + W[-1][-2] + z[-1]"
AT = "W=[[1,2],[3,4]],z=[5,6,7]"


def test_comma_and_negative_indices_by_hand(cli) -> None:
    result = cli("trace", PROGRAM, "--at", AT, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["value"] == 16
    assert data["gradient"] == {"W": [[0, 0], [3, 0]], "z": [0, 0, 1]}


def test_unrolled_scalar_trace_agrees(cli) -> None:
    result = cli("trace", PROGRAM, "--at", AT, "--unroll")
    assert result.code == 0, result.err
    assert "∂L/∂W_1_0 = 3" in result.out and "∂L/∂z_2 = 1" in result.out
    assert "(max difference 0.0e+00)" in result.out  # entries never read (z_0 …) count as 0


@pytest.mark.parametrize("program, fragment", [
    ("L = z[-4]", "z[-4]: [-4] on (3) — the index must be 0 … 2 (0-based, as in numpy), "
                  "or −3 … −1 from the end"),
    ("L = z[3]", "the index must be 0 … 2"),
    ("L = z[0][0]", "only a vector or a matrix can be indexed"),
    ("L = z[1,]", "an index is a whole number written out"),
    ("L = z[1.5]", "an index is a whole number written out"),
    ("L = z[--1]", "an index is a whole number written out"),
    ("L = z[x]", "an index is a whole number written out"),
])
def test_bad_indices_are_exit_2_with_the_rule(cli, program: str, fragment: str) -> None:
    result = cli("trace", program, "--at", "z=[1,2,3]")
    assert result.code == 2, result.out
    assert fragment in result.err and "Traceback" not in result.err
