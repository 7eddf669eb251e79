"""Step numbering: the paper's (ASAP levels, Baydin et al. Tables 2–3) and the written order."""

from __future__ import annotations

import pytest

import gradtutor
from gradtutor.cli import app
from gradtutor.cli.boundary import run
from gradtutor.graph import definition, vname
from gradtutor.order import asap_levels

BAYDIN, BAYDIN_AT = "ln(x1) + x1*x2 - sin(x2)", "x1=2,x2=5"
# Baydin et al. (2018), Table 2, as printed
PAPER = ["ln(v₋₁)", "v₋₁·v₀", "sin(v₀)", "v₁ + v₂", "v₄ − v₃"]
WRITTEN = ["ln(v₋₁)", "v₋₁·v₀", "v₁ + v₂", "sin(v₀)", "v₃ − v₄"]
SOURCES = [
    (BAYDIN, BAYDIN_AT),
    ("x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1"),
    ("z = w1*x1 + w2*x2 + b; y = sigmoid(z)", "w1=0.25,x1=1,w2=0.3,x2=0.5,b=1"),
    ("a = x*y; b = sin(x); c = a + b; d = exp(y); out = c*d + a", "x=1/2,y=3/2"),
    ("sin(x)*cos(x) + x^2 - exp(x*x)", "x=1/3"),
]


def steps(order: str) -> list[str]:
    result = gradtutor.trace(BAYDIN, BAYDIN_AT, order=order)
    return [definition(node) for node in result.graph.steps]


def test_paper_order_is_baydins_table_2():
    assert steps("paper") == PAPER
    assert steps("written") == WRITTEN
    result = gradtutor.trace(BAYDIN, BAYDIN_AT)  # paper is the default
    assert [vname(n.index) for n in result.graph.nodes] == [
        "v₋₁", "v₀", "v₁", "v₂", "v₃", "v₄", "v₅"]
    # Table 3's adjoints by node: v̄₄ = 1, v̄₃ = −1, v̄₁ = v̄₂ = 1, v̄₀ = 1.716, v̄₋₁ = 5.5
    a = result.reverse.adjoints
    assert (a[5], a[4], a[3], a[2], a[1], a[-1]) == (1, 1, -1, 1, 1, 5.5)
    assert abs(float(a[0]) - 1.7163378145367738) < 1e-15


@pytest.mark.parametrize(("source", "at"), SOURCES)
def test_both_orders_are_topological_and_agree(source, at):
    paper = gradtutor.trace(source, at)
    written = gradtutor.trace(source, at, order="written")
    for result in (paper, written):
        for node in result.graph.steps:
            assert all(arg < node.index for arg in node.args if isinstance(arg, int))
    levels = asap_levels(paper.graph.nodes, paper.graph.n_inputs)
    order = [levels[n.index] for n in paper.graph.steps[:-1]]
    assert order == sorted(order)  # ASAP levels never go down (the output stays last)
    assert paper.value == written.value and paper.gradient == written.gradient
    assert sorted(definition(n).count("v") for n in paper.graph.steps) == \
        sorted(definition(n).count("v") for n in written.graph.steps)
    assert paper.graph.output.name == written.graph.output.name


def test_cli_order_option(capsys):
    assert run(app, ["trace", BAYDIN, "--at", BAYDIN_AT, "--format", "markdown"]) == 0
    paper = capsys.readouterr().out
    assert "| v₃ | sin(v₀) |" in paper and "| v₅ (y) | v₄ − v₃ |" in paper
    assert run(app, ["trace", BAYDIN, "--at", BAYDIN_AT, "--order", "written",
                     "--format", "markdown"]) == 0
    assert "| v₃ | v₁ + v₂ |" in capsys.readouterr().out
    assert run(app, ["trace", BAYDIN, "--at", BAYDIN_AT, "--order", "asap"]) == 2
    assert "unknown order 'asap'" in capsys.readouterr().err
