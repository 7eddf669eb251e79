"""Tests for the unrolled sympy.diff check: one diff per output along a line, or one per entry
(one entry of each input in turn)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from gradtutor.api import trace
from gradtutor.numeric import to_mpf
from gradtutor.tensor_line import line_partials
from gradtutor.tensor_verify import (
    _interleaved,
    _line_check,
    entry_symbol,
    sympy_check,
    unrolled_output,
)

pytestmark = pytest.mark.usefixtures("generous_budgets")  # see conftest.py

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


def test_line_partials_equal_sympy_diff_entry_by_entry() -> None:
    r = trace("h = tanh(W1@x + b1); z = W2@h; L = logsumexp(z) - z[0]",
              at=[AT, "W2=[[1,0,-1],[0,1,1]]"])
    point = _point(r)
    entries = _interleaved(point)
    env = {entry_symbol(n, idx): point[n][idx] for n, idx in entries}
    shapes = {name: np.shape(arr) for name, arr in point.items()}
    partials = line_partials(r.graph, shapes, entries, entry_symbol, env)
    output = unrolled_output(r.graph, shapes)[()]
    subs = {s: sp.Rational(str(v)) if isinstance(v, Fraction) else sp.Float(str(v), 50)
            for s, v in env.items()}
    for number, (name, idx) in enumerate(entries):
        expected = sp.diff(output, entry_symbol(name, idx)).xreplace(subs).evalf(40)
        assert abs(float(partials[number]) - float(expected)) < 1e-12
        assert abs(to_mpf(partials[number]) - to_mpf(r.jacobian_arrays[name][idx])) < 1e-30


def test_kinks_fall_back_to_one_diff_per_entry_and_still_catch_a_wrong_entry() -> None:
    r = trace("L = sum(relu(W@x) * abs(x))", at="W=[[1,-1],[2,1]],x=[1,-3]")
    point = _point(r)
    with pytest.raises(NotImplementedError):
        _line_check(r.graph, point, r.jacobian_arrays, _interleaved(point))
    error, checked, total = sympy_check(r.graph, point, r.jacobian_arrays, 30.0)
    assert checked == total == 6 and error is not None and error <= 1e-30
    wrong = dict(r.jacobian_arrays)
    wrong["W"] = np.array(wrong["W"], dtype=object, copy=True)
    wrong["W"][1, 0] = wrong["W"][1, 0] + Fraction(1, 2)
    error, _, _ = sympy_check(r.graph, point, wrong, 30.0)
    assert error is not None and abs(error - 0.5) < 1e-30


def test_a_wrong_vjp_rule_is_caught_by_both_routes_and_exits_3(monkeypatch, cli) -> None:
    from dataclasses import replace

    from gradtutor.tensor_rules import TENSOR_RULES

    rule = TENSOR_RULES["matmul"]

    def swapped(k, g, out, a, b):  # W̄ += h̄ xᵀ with x's entries in the wrong order
        return k.wrap(np.outer(g, b[::-1])) if a.ndim == 2 and b.ndim == 1 else \
            rule.vjps[0](k, g, out, a, b)

    monkeypatch.setitem(TENSOR_RULES, "matmul", replace(rule, vjps=(swapped, rule.vjps[1])))
    program = "h = tanh(W1@x + b1); z = W2@h; L = logsumexp(z) - z[0]"
    at = [AT, "W2=[[1,0,-1],[0,1,1]]"]
    check = trace(program, at=at).verification
    assert not check.agrees
    assert check.sympy_error is not None and check.sympy_error > 1e-3
    assert check.fd_error is not None and check.fd_error > 1e-3
    result = cli("trace", program, "--at", at[0], "--at", at[1])
    assert result.code == 3
    assert "Verified: the adjoints DISAGREE" in result.out
    assert "Internal error: the adjoints disagree" in result.err
