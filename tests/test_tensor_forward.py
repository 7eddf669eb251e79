"""Forward mode for tensor programs: one JVP sweep along a seed direction (--wrt x=[1,0,0]).

The output's tangent is checked against two independent routes: reverse mode's gradient
(Jacobian) times the seed, exactly, and central finite differences of the primal along the
seed; every node's tangent in the LaTeX equals the sweep's own.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gradtutor
from gradtutor.numeric import to_sympy
from gradtutor.parse import input_names
from gradtutor.tensor_api import trace_tensor
from gradtutor.tensor_jvp import run_tensor_tangent
from gradtutor.tensor_rules import TENSOR_RULES
from tests.test_tensor_engine import FINALS, STEPS, _point, random_program
from tests.test_tensor_latex import value
from tests.test_trace_latex import _check_structure

MLP = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1,2],[0,1,-1]],x=[1,2,3],b=[0,1],y=[1,0]"
PROGRAMS = [  # every tensor operation, scalar and vector outputs
    (MLP, {"W": [[1, -1, 2], [0, 1, -1]], "x": [1, 2, 3], "b": [0, 2], "y": [1, 0]}),  # no kink
    ("u = W@x; L = sum(u*u) + dot(x, x) + mean(transpose(W)@u) - sum(outer(x, u)[1]) + u[0]",
     {"W": [[1, 2, -1], [0, 1, 3]], "x": [Fraction(1, 2), -1, 2]}),
    ("z = W@x + b; L = -log_softmax(z)[1] + logsumexp(z)/4 + sum(softmax(z)*c)",
     {"W": [[Fraction(1, 2), -1], [2, Fraction(1, 4)], [1, 1]], "x": [1, 2],
      "b": [Fraction(1, 10), 0, Fraction(-3, 10)], "c": [1, -2, 3]}),
    ("y = sigmoid(A@B)*s", {"A": [[1, 2], [0, -1]], "B": [[1, 0, 2], [-1, 1, 0]], "s": 3}),
]


def _primal(program: str, point: dict) -> np.ndarray:
    floats = {k: np.asarray(v, dtype=float) for k, v in point.items()}
    return np.asarray(np.asarray(gradtutor.trace(program, **floats).forward.output,
                                 dtype=object), dtype=float)


@pytest.mark.parametrize(("program", "point"), PROGRAMS)
def test_tangent_equals_jacobian_times_seed_and_finite_differences(program, point) -> None:
    rng = np.random.default_rng(7)
    for name, entry in point.items():
        shape = np.shape(entry)
        seed = rng.integers(-2, 3, shape).tolist() if shape else 1
        text = json.dumps(seed).replace(" ", "")
        result = gradtutor.trace(program, point, mode="forward", wrt=f"{name}={text}")
        tangent = np.asarray(result.tangent.output, dtype=object)
        jac = np.asarray(result.jacobian_arrays[name], dtype=object)
        direction = np.asarray(seed, dtype=object)
        expected = np.tensordot(jac, direction, axes=direction.ndim) if shape else jac * seed
        assert np.allclose(np.asarray(tangent, dtype=float), np.asarray(expected, dtype=float),
                           rtol=1e-40, atol=1e-40), name
        h = 1e-5
        up = {**point, name: np.asarray(entry, dtype=float) + h * np.asarray(seed)}
        down = {**point, name: np.asarray(entry, dtype=float) - h * np.asarray(seed)}
        fd = (_primal(program, up) - _primal(program, down)) / (2 * h)
        assert np.allclose(np.asarray(tangent, dtype=float), fd, rtol=1e-6, atol=1e-6), name


def test_every_tensor_operation_has_a_jvp() -> None:
    from gradtutor.render.tensor_tangent import _TERMS
    from gradtutor.tensor_jvp import JVPS

    assert set(TENSOR_RULES) == set(JVPS) == set(_TERMS)


def test_the_table_shows_the_tangents_instead_of_the_adjoints(cli) -> None:
    out = cli("trace", MLP, "--at", AT, "--mode", "forward", "--wrt", "x=[1,0,0]")
    assert out.code == 0, out.err
    assert "Forward tangent trace" in out.out and "Reverse adjoint trace" not in out.out
    assert "Backward rules" not in out.out
    for cells in (("v̇₁", "2", "v₋₃ @ v̇₋₂", "[1, 0]"), ("v̇₃", "a", "2", "step(v₂) ⊙ v̇₂"),
                  ("v̇₅", "2", "2·v₄ ⊙ v̇₄", "[8, 0]"), ("v̇₇", "L", "scalar", "1/2·v̇₆", "4")):
        line = next(ln for ln in out.out.splitlines() if ln.startswith(cells[0] + " "))
        assert all(c in line for c in cells), line
    assert "forward mode: seed x\u0307 = [1, 0, 0]; L\u0307 = 4" in out.out  # ∂L/∂x₀ = 4
    assert "tangent agrees with reverse mode's gradient · seed" in out.out
    both = cli("trace", MLP, "--at", AT, "--mode", "both", "--wrt", "W=[[0,1,0],[0,0,0]]")
    assert "Forward tangent trace" in both.out and "Reverse adjoint trace" in both.out
    assert "L\u0307 = 8" in both.out  # ∂L/∂W₀₁ = 8


def test_json_carries_every_tangent(cli) -> None:
    doc = json.loads(cli("trace", MLP, "--at", AT, "--mode", "forward", "--wrt",
                         "x=[0,0,1]", "--format", "json").out)
    assert doc["mode"] == "forward" and doc["tangent"]["wrt"] == "x"
    assert doc["tangent"]["seed"] == [0, 0, 1] and doc["tangent"]["output"] == 8
    assert doc["tangent"]["reverse_mode_max_difference"] == 0
    by_name = {n["v"]: n for n in doc["nodes"]}
    assert by_name["v₁"]["tangent"] == [2, -1] and by_name["v₋₃"]["tangent"] == [[0] * 3] * 2


def test_latex_tangent_rows_are_the_sweeps_own(cli) -> None:
    args = ("trace", MLP, "--at", AT, "--mode", "forward", "--wrt", "W=[[0,1,0],[0,0,1]]",
            "--format", "latex", "--exact")
    out = cli(*args).out
    result = gradtutor.trace(MLP, AT, mode="forward", wrt="W=[[0,1,0],[0,0,1]]")
    block = out.split("Forward tangent trace", 1)[1].split(r"\end{tabular}")[0]
    rows = [line for line in block.splitlines() if line.startswith("$")]
    assert len(rows) == len(result.tangent.rows)
    for line, row in zip(rows, result.tangent.rows, strict=True):
        cell = line.rsplit(" = ", 1)[1]
        cell = cell[:cell.rindex("$")].split(r"\quad")[0]
        assert value(cell) == list(np.ravel(np.asarray(row.v_dot, dtype=object))), line
    assert r"\dot{v}_{1} = \dot{v}_{-3} v_{-2} = " in out
    assert "Reverse adjoint trace" not in out and r"$\dot{L}$ & scalar & $= 8$" in out
    _check_structure(out)
    doc = cli(*args, "--standalone")
    assert doc.code == 0 and doc.out.rstrip().endswith(r"\end{document}")


@pytest.mark.parametrize(("wrt", "fragment"), [
    (None, "forward mode needs the input to seed"),
    ("x", "x has shape 3, so forward mode needs a direction for it"),
    ("x=[1,0]", "the direction has shape 2, but x has shape 3"),
    ("z=[1]", "--wrt 'z' is not an input of the program"),
    ("x=[1,[0],0]", "x"),
])
def test_bad_seeds_are_clear_errors(cli, wrt, fragment) -> None:
    args = ["trace", MLP, "--at", AT, "--mode", "forward"] + (["--wrt", wrt] if wrt else [])
    result = cli(*args)
    assert result.code == 2 and fragment in result.err and "Traceback" not in result.err
    assert result.err.count("Try: ") == 1


def test_unroll_is_reverse_mode_only(cli) -> None:
    result = cli("trace", MLP, "--at", AT, "--mode", "forward", "--wrt", "x=[1,0,0]",
                 "--unroll")
    assert result.code == 2 and "--unroll traces the unrolled scalar program in reverse " \
        "mode only" in result.err and not result.out



sizes = st.integers(1, 5)
rationals = st.fractions(min_value=-2, max_value=2, max_denominator=4)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m=sizes, n=sizes, steps=st.lists(st.sampled_from(STEPS), max_size=3),
       final=st.sampled_from(FINALS), data=st.data())
def test_random_programs_tangents_equal_gradient_dot_seed(m, n, steps, final, data) -> None:
    """Random tensor programs (the engine's generator, shapes ≤ 5): for a random seed of
    each input, the JVP sweep's output equals Σ gradient ⊙ seed from the reverse sweep."""
    prog, values = random_program(m, n, steps, final, data)
    used = {k: val for k, val in values.items() if k in set(input_names(prog))}
    result = trace_tensor(prog, _point(**used), "exact")
    k = result.forward.backend
    for name, entry in used.items():
        seed = k.wrap(np.asarray(data.draw(st.lists(rationals, min_size=np.size(entry),
                                                     max_size=np.size(entry))),
                                 dtype=object).reshape(np.shape(entry)))
        tangent = run_tensor_tangent(result.forward, name, seed)
        expected = np.sum(np.asarray(result.jacobian_arrays[name], dtype=object) * seed)
        assert abs(to_sympy(tangent.output[()]) - to_sympy(expected)) < 1e-30, (steps, final)
