"""plot parts: the numbers read off the picture, each against an independent route —
ranges from SymPy limits and exact values, the largest f′ against a dense float scan."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from gradtutor.functions import sigmoid
from gradtutor.problems import parse_problem
from gradtutor.solve import solve
from gradtutor.solve.plot import function_facts

CASES = {  # function: (range f(ℝ), largest f′ exactly, zeros on [−5, 5])
    "sigmoid(x)": ("(0, 1)", sp.Rational(1, 4), ()),
    "tanh(x)": ("(−1, 1)", sp.Integer(1), ("x = 0",)),
    "relu(x)": ("[0, ∞)", sp.Integer(1), ("every x in [−5, 0]",)),
    "erf(x)": ("(−1, 1)", 2 / sp.sqrt(sp.pi), ("x = 0",)),
    "exp(-x^2)": ("(0, 1]", sp.sqrt(2) * sp.exp(-sp.Rational(1, 2)), ()),
    "sin(x)": ("[−1, 1]", sp.Integer(1), ("x = −π", "x = 0", "x = π")),
    "x^2 - 1": ("[−1, ∞)", sp.oo, ("x = −1", "x = 1")),
    "max(0, 1 - x)": ("[0, ∞)", sp.Integer(0), ("every x in [1, 5]",)),
    "softplus(x)": ("(0, ∞)", sp.Integer(1), ()),
}


@pytest.mark.parametrize("source", sorted(CASES))
def test_facts(source: str) -> None:
    facts = function_facts(source, -5.0, 5.0)
    interval, slope, zeros = CASES[source]
    assert facts.range_text == interval
    assert sp.simplify(facts.max_slope.value - slope) == 0 if slope != sp.oo else \
        facts.max_slope.value == sp.oo
    assert facts.zeros == zeros


@pytest.mark.parametrize("source", ["sigmoid(x)", "tanh(x)", "erf(x)", "exp(-x^2)",
                                    "sin(x)*exp(-x^2/4)"])
def test_largest_slope_agrees_with_a_dense_scan(source: str) -> None:
    facts = function_facts(source, -5.0, 5.0)
    x = next(iter(facts.f.free_symbols))
    plain = facts.derivative.replace(sigmoid, lambda a: 1 / (1 + sp.exp(-a)))
    fn = sp.lambdify(x, plain, "mpmath")  # test oracle only: SymPy's own printer and mpmath
    scan = max(float(fn(-8 + 16 * i / 20000)) for i in range(20001))
    assert math.isclose(float(facts.max_slope.value), scan, rel_tol=1e-6)


def test_sup_only_approached_is_open() -> None:
    facts = function_facts("softplus(x)", -5.0, 5.0)
    assert facts.max_slope.attained is False and facts.max_slope_at == ""  # σ < 1 everywhere
    relu = function_facts("relu(x)", -5.0, 5.0)
    assert relu.max_slope.attained and relu.max_slope_at == "0 < x"


def test_bundled_plot_exercises_solve_and_agree() -> None:
    for name in ("activation_plots", "hinge_logistic_plot"):
        solution = solve(name)
        assert solution.answers_ok and all(p.checks for p in solution.parts)


def test_a_wrong_model_answer_is_caught() -> None:
    text = """
title: t
parts:
  - id: a
    kind: plot
    functions: [sigmoid(x)]
    answer: {max_slope: [0.5], range: ["[0, 1]"]}
"""
    (part,) = solve(parse_problem(text, "t.yaml")).parts
    assert part.answer_ok is False
    assert {c.key: c.ok for c in part.checks} == {"max_slope[0]": False, "range[0]": False}


def test_solution_text_has_the_picture_and_the_table(cli) -> None:
    result = cli("solve", "activation_plots", "--part", "together")
    assert result.code == 0
    assert "d/dx sigmoid(x) = (1 − σ(x))·σ(x)" in result.out
    assert "│ sigmoid(x) │ (0, 1)     │ 1/4" in result.out or "(0, 1)" in result.out
    markdown = cli("solve", "activation_plots", "--part", "tanh", "--format", "markdown").out
    assert "```text\n" in markdown and "| tanh(x) | (−1, 1) |" in markdown
    assert cli("solve", "activation_plots", "--part", "tanh", "--format", "json").code == 0
