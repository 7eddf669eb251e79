"""Solver faults the checker relies on: kinks (where, which side), identity steps, θ/4."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sympy as sp

from gradtutor.problems import parse_problem
from gradtutor.solve import solve

X, W, Y = sp.symbols("x w y", real=True)


def one(text: str):
    return solve(parse_problem(text)).parts[0].result


def cases(f: str, wrt: str = "x"):
    return one(f'title: T\nparts:\n  - {{id: a, kind: cases, f: "{f}", wrt: {wrt}}}\n')


def plu_kinks(seed: str) -> list:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-m", "gradtutor", "solve", "activation_functions",
                          "--part", "plu", "--format", "json"], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)["parts"][0]["result"]["kinks"]


def test_plu_kinks_are_deterministic_and_right():
    zero, one_ = plu_kinks("0"), plu_kinks("1")
    assert zero == one_
    assert [(k["boundary"], k["left"]["exact"], k["right"]["exact"]) for k in zero] == [
        ("1 + x", "1/10", "1"), ("−1 + x", "1", "1/10")]


def one_sided(f: sp.Expr, v: sp.Symbol, at: sp.Expr, sample: dict) -> tuple[float, float]:
    """Slopes of f just left and right of ``at``, by differences (an independent route)."""
    g = sp.lambdify(v, f.subs(sample))
    a, h = float(at.subs(sample)), 1e-6
    return (g(a) - g(a - h)) / h, (g(a + h) - g(a)) / h


@pytest.mark.parametrize(("text", "f", "wrt", "at"), [
    ("abs(x - 1)", sp.Abs(X - 1), X, sp.Integer(1)),
    ("max(0, -x)", sp.Max(0, -X), X, sp.Integer(0)),
    ("min(x, 0)", sp.Min(X, 0), X, sp.Integer(0)),
    ("max(0, 1 - y*x*w)", sp.Max(0, 1 - Y * X * W), W, 1 / (X * Y)),
])
def test_kink_sides_are_left_and_right(text, f, wrt, at):
    (kink,) = cases(text, wrt.name).kinks
    # the other symbols positive, as documented (x = 3/2, y = 5/2 in name order)
    sample = {s: v for s, v in ((X, sp.Rational(3, 2)), (Y, sp.Rational(5, 2))) if s != wrt}
    left, right = one_sided(f, wrt, at, sample)
    assert sp.simplify(kink.boundary.subs(wrt, at)) == 0
    assert abs(float(kink.left.subs(sample)) - left) < 1e-5
    assert abs(float(kink.right.subs(sample)) - right) < 1e-5
    assert sp.simplify(kink.jump - (kink.right - kink.left)) == 0


def test_identity_steps_agree_with_the_verdict():
    r = one('title: T\nparts:\n  - {id: a, kind: identity, lhs: "log(x*y)", '
            'rhs: "log(x) + log(y)"}\n')
    assert r.holds and all(s.ok for s in r.steps)
    r = one("title: T\nparts:\n  - {id: a, kind: identity, lhs: tanh(z), rhs: 2*sigmoid(z) - 1,"
            " steps: [2*sigmoid(2*z) - 1]}\n")
    assert not r.holds and [s.ok for s in r.steps] == [True, False]


def test_value_with_a_symbol_left_is_simplified_and_accepted_as_model_answer():
    text = ("title: T\nparts:\n  - id: a\n    kind: derivative\n    f: theta*sigmoid(w*x)\n"
            "    wrt: w\n    at: {w: 0, x: 1}\n    answer: {value: VALUE}\n")
    part = solve(parse_problem(text.replace("VALUE", "theta/4"))).parts[0]
    assert part.result.value == sp.Symbol("theta", real=True) / 4 and part.answer_ok
    assert not solve(parse_problem(text.replace("VALUE", "theta/3"))).parts[0].answer_ok
