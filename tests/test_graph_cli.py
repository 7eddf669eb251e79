"""`gradtutor graph`: golden terminal drawings (read and checked by hand), files, and errors.

tests/golden/graph_readme.txt: x + 1/(w*x+b) at (0.3, 0.5, 0.1), left to right — primals
v₁ = 0.15, v₂ = 0.25, v₃ = 4, v₄ = 4.3; adjoints v̄₃ = 1, v̄₂ = v̄₁ = v̄₀ = −16, v̄₋₁ = −4.8,
v̄₋₂ = −7; x (v₋₂) fans out: one trunk, branches into v₁ and v₄.
tests/golden/graph_neuron_expanded.txt: seed 000's neuron σ(x1·w1 + x2·w2 + b) with --expand
at x1=1, x2=0.5, w1=0.25, w2=0.3, b=1 (13 nodes, 9 layers): too deep for 80 columns left to
right, so drawn top to bottom — z = 1.4, y = σ(1.4) = 0.8022, σ′ = 0.1587 = v̄ of b,
x̄1 = 0.1587·0.25 = 0.03967, v̄₆ = −1/1.247² = −0.6435.
tests/golden/graph_fan_out.txt: x*x + sin(x)*y without values (structure only).
Regenerate with GRADTUTOR_REGOLD=1 and read the diff before committing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.goldens import GOLDEN, assert_golden

CASES = {
    "graph_readme": ["x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1"],
    "graph_neuron_expanded": ["sigmoid(x1*w1 + x2*w2 + b)", "--expand", "--at",
                              "x1=1,x2=0.5,w1=0.25,w2=0.3,b=1"],
    "graph_fan_out": ["x*x + sin(x)*y"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_drawing_at_80_columns(cli, monkeypatch, name: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("graph", *CASES[name])
    assert result.code == 0, result.err
    assert_golden(result.out, name, width=80)


def test_wide_terminal_keeps_left_to_right(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    args = CASES["graph_neuron_expanded"]
    out = cli("graph", *args).out
    assert "▶" in out and "▼" not in out


def test_too_large_to_draw_is_said_plainly(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    wide_and_deep = " + ".join(f"x{i}*y{i}" for i in range(10))  # 39 nodes, 11 layers
    result = cli("graph", wide_and_deep)
    assert result.code == 2
    assert "to draw legibly" in result.err and "Try: read the tables" in result.err
    many = " + ".join(f"x{i}*y{i}" for i in range(40))
    result = cli("graph", many)
    assert result.code == 2 and "more than the 60" in result.err


def test_svg_file_written(cli, tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    result = cli("graph", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--format", "svg",
                 "--output", str(target))
    assert result.code == 0 and "graph.svg" in result.out
    ET.parse(target)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.svg"]  # no temporary file left


@pytest.mark.parametrize(("args", "message"), [
    (["sinn(x)"], "unknown function 'sinn'"),
    (["x*y", "--format", "png"], "--format 'png' is not one of"),
    (["x*y", "--format", "svg"], "Try: add --output graph.svg"),
    (["x*y", "--at", "x=1"], "no value given for 'y'"),
    (["x*y", "--format", "dot", "--output", "/no/such/folder/g.dot"], "cannot write"),
    (["x*y", "--digits", "0"], "--digits must be between"),
])
def test_bad_input_exits_2_with_one_message(cli, args: list[str], message: str) -> None:
    result = cli("graph", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_output_to_a_folder_is_refused(cli, tmp_path: Path) -> None:
    result = cli("graph", "x*y", "--format", "dot", "--output", str(tmp_path))
    assert result.code == 2 and "it is a folder" in result.err


def test_trace_graph_flag_draws_above_the_tables(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("trace", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--graph").out
    drawing = (GOLDEN / "graph_readme.txt").read_text(encoding="utf-8")
    assert out.startswith(drawing)
    assert out.index("Forward primal trace") > len(drawing)


def test_trace_graph_flag_with_a_graph_too_large_is_a_note(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    wide = " + ".join(f"x{i}*y{i}" for i in range(10))
    at = ",".join(f"x{i}=1,y{i}=2" for i in range(10))
    result = cli("trace", wide, "--at", at, "--graph")
    assert result.code == 0
    assert result.out.startswith("(No graph drawn: the graph (39 nodes")
    assert "Forward primal trace" in result.out


def test_trace_graph_flag_needs_the_table_format(cli) -> None:
    result = cli("trace", "x*y", "--at", "x=1,y=2", "--graph", "--format", "json")
    assert result.code == 2 and "--graph draws in the terminal" in result.err


def test_tensor_nodes_show_their_shapes_and_short_vectors(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    program = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
    at = "W=[[1,-1,2],[0,1,-1]],x=[1,2,3],b=[1,-1],y=[1,2]"
    out = cli("graph", program, "--at", at).out
    assert "│ v₋₃ W [2×3] │" in out and "│ v₁ [2]    │" in out and "│ v₋₃ @ v₋₂ │" in out
    assert "│ [5, −5, 10] │" in out  # ∂L/∂x, as the README's tensor trace gives it
    import pydot

    (parsed,) = pydot.graph_from_dot_data(cli("graph", program, "--at", at, "--format",
                                              "dot").out)
    assert len(parsed.get_edges()) == 10  # W, x → @; @, b → +; relu; a, y → −; ^2; Σ; /2


def test_partials_list_every_wire_with_its_local_partial(cli) -> None:
    import math

    out = cli("graph", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--partials").out
    wires = [line.strip() for line in out.split("local partials:\n")[1].splitlines()]
    assert len(wires) == 7  # the graph's edges: 2 into v₁, 2 into v₂, 1 into v₃, 2 into v₄
    # by hand: w·x + b = 0.25, so ∂(1/v₂)/∂v₂ = −1/0.25² = −16; ∂(w·x)/∂w = x = 0.3
    assert "v₂ → v₃      ∂v₃/∂v₂ = −1/v₂² = −16" in wires
    assert "v₋₁ → v₁     ∂v₁/∂v₋₁ = v₋₂ = 0.3" in wires
    both = cli("graph", "x^x", "--at", "x=2", "--partials").out
    assert "(as base) = v₀·v₀^(v₀ − 1) = 4" in both  # 2·2¹
    assert f"(as exponent) = v₀^v₀·ln(v₀) = {4 * math.log(2):.4g}" in both  # 2²·ln 2


def test_partials_of_a_tensor_graph_are_its_backward_rules(cli) -> None:
    out = cli("graph", "h = W@x; L = sum(h*h)", "--at", "W=[[1,2],[3,4]],x=[1,1]",
              "--partials").out
    assert "v₋₁ → v₁     v̄₋₁ += v̄₁ v₀ᵀ" in out and "v₀ → v₁      v̄₀ += v₋₁ᵀ v̄₁" in out


def test_partials_belong_to_the_terminal_drawing(cli) -> None:
    result = cli("graph", "x*y", "--format", "dot", "--partials")
    assert result.code == 2 and "--partials" in result.err
