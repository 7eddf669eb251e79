"""Core bugs found by the property tests, each kept as a minimal regression."""

from __future__ import annotations

from fractions import Fraction

import pytest

import gradtutor
from gradtutor.errors import DomainError


@pytest.mark.parametrize("source,at,gradient", [
    ("x^2", 0, 0),  # ∂(aᵇ)/∂a was evaluated as aᵇ·b/a: undefined at a = 0
    ("(x-1)^2", 1, 0),  # a squared loss at zero error
    ("x^(3/2)", 0, 0),
    ("x^10^10", 1, 10**10),  # 1 to a huge power is 1, not "too large"
])
def test_power_partials_at_a_zero_base(source: str, at: int, gradient: int) -> None:
    result = gradtutor.trace(source, x=at)
    assert result.gradient == {"x": Fraction(gradient)}


@pytest.mark.parametrize("source,value", [
    ("x + relu(2)", Fraction(3)),
    ("x*sigmoid(0)", Fraction(1, 2)),
    ("x + leaky_relu(-2)", Fraction(49, 50)),
    ("x + sin(pi/6)", Fraction(3, 2)),
])
def test_folded_constants_stay_exact(source: str, value: Fraction) -> None:
    result = gradtutor.trace(source, x=1)
    assert isinstance(result.value, Fraction) and result.value == value


@pytest.mark.parametrize("source,expected", [
    ("x*tan(sin(1))", "1.11893960318495231729"),  # SymPy cannot tell tan(sin 1) is finite
    ("x + sigmoid(sin(1))", "1.69877493193067514500"),  # evalf leaves a 1e-76·i residue
])
def test_folded_irrational_constants(source: str, expected: str) -> None:
    assert str(gradtutor.trace(source, x=1).value).startswith(expected)


@pytest.mark.parametrize("source", ["x + log(-1)", "x + 1/0", "x + sqrt(-1)", "x + tan(pi/2)"])
def test_undefined_constants_are_domain_errors(source: str) -> None:
    with pytest.raises(DomainError, match="constant part of the expression is undefined"):
        gradtutor.trace(source, x=1)


def test_symbolic_gradient_prefers_the_power_rule_form() -> None:
    import sympy as sp

    derivative = gradtutor.trace("x^y", x=2, y=3).derivatives["x"]
    x, y = sp.symbols("x y", real=True)
    assert derivative == y * x ** (y - 1)


def test_the_node_limit_is_a_clear_exit_2(cli, monkeypatch) -> None:
    import gradtutor.graph

    monkeypatch.setattr(gradtutor.graph, "MAX_NODES", 50)
    result = cli("trace", "+".join(["x"] * 60), "--at", "x=1")
    assert result.code == 2 and "more than 50 nodes" in result.err
    assert cli("trace", "+".join(["x"] * 40), "--at", "x=1").code == 0
