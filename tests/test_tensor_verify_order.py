"""Tests for the order of the unrolled sympy.diff check: one entry of each input in turn."""

from __future__ import annotations

import numpy as np

from gradtutor.api import trace
from gradtutor.tensor_verify import _interleaved, sympy_check

MLP = "h = tanh(W1@x + b1); L = sum(h)"
AT = "W1=[[1,-1],[0,1],[2,1]],b1=[0,1/2,-1/2],x=[1,2]"


def _point(result):
    k = result.forward.backend
    return {n.name: k.wrap(result.forward.value(n.index)) for n in result.graph.inputs}


def test_entries_alternate_between_inputs_and_cover_all() -> None:
    point = {"W": np.zeros((2, 2)), "b": np.zeros(3), "s": np.zeros(())}
    order = _interleaved(point)
    assert order[:3] == [("W", (0, 0)), ("b", (0,)), ("s", ())]
    assert order[3:] == [("W", (0, 1)), ("b", (1,)), ("W", (1, 0)), ("b", (2,)),
                         ("W", (1, 1))]


def test_first_entries_checked_touch_every_input() -> None:
    r = trace(MLP, at=AT)
    names = {name for name, _ in _interleaved(_point(r))[:3]}
    assert names == {"W1", "b1", "x"}


def test_a_wrong_entry_of_the_last_input_is_still_caught() -> None:
    r = trace(MLP, at=AT)
    point = _point(r)
    error, checked, total = sympy_check(r.graph, point, r.jacobian_arrays, 30.0)
    assert checked == total == 11 and error is not None and error <= 1e-30
    wrong = dict(r.jacobian_arrays)
    wrong["x"] = np.array(wrong["x"], dtype=object, copy=True)
    wrong["x"][1] = wrong["x"][1] + 1
    error, checked, _ = sympy_check(r.graph, point, wrong, 30.0)
    assert checked == 11 and error is not None and abs(error - 1) < 1e-30
