"""Tensor engine: VJP adjoints vs an independent SymPy oracle, shapes, routes, Jacobians.

The oracle in this file shares nothing with gradtutor's tensor rules: it writes the same
program with SymPy matrices and lists (W*x as a Matrix product, softmax as exp(zᵢ)/Σexp(z)),
differentiates each entry with ``sympy.diff`` and evaluates at 50 digits. Hypothesis draws
random programs (random sizes ≤ 4, every tensor function) and random rational points.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradtutor.api import trace
from gradtutor.errors import InputError
from gradtutor.numeric import to_sympy
from gradtutor.parse import input_names
from gradtutor.syntax import Assign, Call, Const, Name, Num, Program
from gradtutor.tensor import Tensor
from gradtutor.tensor_api import trace_tensor
from gradtutor.tensor_backend import BACKENDS
from gradtutor.tensor_ops import TENSOR_OPS
from gradtutor.tensor_rules import TENSOR_RULES

pytestmark = pytest.mark.usefixtures("generous_budgets")  # see conftest.py


def N(name: str) -> Name:  # noqa: N802 - reads like the grammar's Name
    return Name(name, 0)


def C(op: str, *args) -> Call:  # noqa: N802
    return Call(op, tuple(args), 0)


def K(value: int) -> Num:  # noqa: N802
    return Num(Fraction(value), 0, str(value))


def program(*steps: tuple[str, object]) -> Program:
    return Program(tuple(Assign(t, v, 0) for t, v in steps), steps[-1][0], "test", True)


def test_tensor_ops_names_match_the_rules_table() -> None:
    assert frozenset(TENSOR_RULES) == TENSOR_OPS


def test_linear_layer_relu_squared_error_by_hand() -> None:
    # h = W@x + b = [6, −2]; a = relu(h) = [6, 0]; L = ((6−1)² + (0−2)²)/2 = 29/2
    # ā = a − y = [5, −2]; h̄ = ā ⊙ [h > 0] = [5, 0]; W̄ = h̄ xᵀ; x̄ = Wᵀ h̄; b̄ = h̄; ȳ = −ā
    prog = program(("h", C("add", C("matmul", N("W"), N("x")), N("b"))),
                   ("a", C("relu", N("h"))),
                   ("L", C("div", C("sum", C("pow", C("sub", N("a"), N("y")), K(2))), K(2))))
    r = trace_tensor(prog, _point(W=[[1, -1, 2], [0, 1, -1]], x=[1, 2, 3], b=[1, -1],
                                  y=[1, 2]), "exact")
    assert r.value == Fraction(29, 2)
    assert r.gradient["W"].tolist() == [[5, 10, 15], [0, 0, 0]]
    assert r.gradient["x"].tolist() == [5, -5, 10]
    assert r.gradient["b"].tolist() == [5, 0]
    assert r.gradient["y"].tolist() == [-5, 2]
    assert all(isinstance(v, Fraction) for v in r.gradient["W"].array.ravel())
    assert r.verification.agrees and r.verification.sympy_error == 0


def _point(**values) -> dict:
    from gradtutor.tensor import exact_tensor

    out = {}
    for name, value in values.items():
        if isinstance(value, list):
            arr = np.array(value, dtype=object)
            out[name] = exact_tensor([Fraction(v) for v in arr.ravel()], arr.shape)
        else:
            out[name] = Fraction(value)
    return out


def test_softmax_cross_entropy_gradient_is_softmax_minus_onehot() -> None:
    # L = −log_softmax(z)[1]: ∂L/∂z = softmax(z) − e₁, the classic result
    prog = program(("L", C("neg", C("index", C("log_softmax", N("z")), K(1)))))
    r = trace_tensor(prog, _point(z=[1, 2, -1]), "exact")
    z = np.array([1.0, 2.0, -1.0])
    expected = np.exp(z) / np.exp(z).sum() - np.array([0, 1, 0])
    assert np.allclose(np.array(r.gradient["z"].tolist(), dtype=float), expected, atol=1e-15)


def test_shape_mismatch_names_both_shapes_and_the_caret() -> None:
    prog = Program((Assign("y", C("sum", Call("matmul", (N("W"), N("x")), 2)), 0),), "y",
                   "y = W@x", True)
    with pytest.raises(InputError) as err:
        trace_tensor(prog, _point(W=[[1, 2, 3], [4, 5, 6]], x=[1, 2]), "exact")
    text = err.value.describe()
    assert "W@x: (2×3) @ (2) — the inner sizes 3 and 2 differ" in text
    assert "y = W@x\n    ^" in text


@pytest.mark.parametrize("prog, point, fragment", [
    (program(("y", C("add", N("a"), N("b")))), dict(a=[1, 2], b=[1, 2, 3]),
     "elementwise operations need equal shapes"),
    (program(("y", C("dot", N("a"), N("b")))), dict(a=[1, 2], b=[1, 2, 3]),
     "the vectors' sizes 2 and 3 differ"),
    (program(("y", C("index", N("a"), K(2)))), dict(a=[1, 2]), "the index must be 0 … 1"),
    (program(("y", C("softmax", N("s")))), dict(s=2), "softmax takes a vector"),
    (program(("y", C("matmul", N("s"), N("a")))), dict(s=2, a=[1, 2]), "use \\* to scale"),
])
def test_shape_errors(prog: Program, point: dict, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        trace_tensor(prog, _point(**point), "exact")


def test_vector_output_gets_its_jacobian_by_one_sweep_per_entry() -> None:
    prog = program(("y", C("matmul", N("W"), C("sigmoid", N("x")))))
    r = trace_tensor(prog, _point(W=[[1, 2], [3, 4], [5, 6]], x=[0, 0]), "exact")
    # ∂(W σ(x))/∂x = W · diag(σ′(0)) = W/4; ∂yᵢ/∂W_jk = δᵢⱼ σ(x_k) = δᵢⱼ/2
    assert r.gradient["x"].tolist() == [[Fraction(1, 4), Fraction(1, 2)],
                                        [Fraction(3, 4), 1], [Fraction(5, 4), Fraction(3, 2)]]
    jw = np.array(r.gradient["W"].tolist(), dtype=object)
    assert jw.shape == (3, 3, 2)
    assert jw[1, 1, 0] == Fraction(1, 2) and jw[1, 0, 0] == 0
    assert r.verification.agrees


def test_float_route_matches_exact_route() -> None:
    prog = program(("z", C("matmul", N("W"), N("x"))),
                   ("L", C("logsumexp", C("tanh", N("z")))))
    point = _point(W=[[1, -2, 3], [Fraction(1, 2), 1, 0]], x=[1, 2, -1])
    exact = trace_tensor(prog, point, "exact")
    floats = trace_tensor(prog, {k: Tensor(np.array(v.tolist(), dtype=float))
                                 for k, v in point.items()}, "float")
    for name in ("W", "x"):
        assert np.allclose(np.array(exact.gradient[name].tolist(), dtype=float),
                           floats.gradient[name].array, rtol=1e-12)
    assert floats.verification.agrees and floats.verification.sympy_error is None


def test_fan_out_accumulates_contributions() -> None:
    # L = sum(x ⊙ x) + dot(x, x): x̄ = 2x + 2x = 4x, from two consumers (three edges)
    prog = program(("L", C("add", C("sum", C("mul", N("x"), N("x"))), C("dot", N("x"),
                                                                         N("x")))))
    r = trace_tensor(prog, _point(x=[1, -2, 3]), "exact")
    assert r.gradient["x"].tolist() == [4, -8, 12]
    row = next(row for row in r.rows if row.index == r.graph.inputs[0].index)
    assert len(row.contributions) == 4
    assert [list(c.running) for c in row.contributions][-1] == [4, -8, 12]


# --- random programs vs the independent SymPy oracle ------------------------------------------

STEPS = ["sigmoid", "tanh", "softplus", "sin", "relu_shift", "hadamard", "plus_u",
         "minus_s", "times_s", "div", "softmax", "log_softmax", "square"]
FINALS = ["sum", "mean", "logsumexp", "dot", "index", "outer", "matmul_back", "vec_mat",
          "mat_mat", "exp_log"]


def _syntax(step: str, v: object) -> object:
    return {
        "sigmoid": lambda: C("sigmoid", v), "tanh": lambda: C("tanh", v),
        "softplus": lambda: C("softplus", v), "sin": lambda: C("sin", v),
        "relu_shift": lambda: C("relu", C("add", v, Const("pi", 0))),  # never exactly 0
        "hadamard": lambda: C("mul", v, N("u")), "plus_u": lambda: C("add", v, N("u")),
        "minus_s": lambda: C("sub", v, N("s")), "times_s": lambda: C("mul", N("s"), v),
        "div": lambda: C("div", v, C("add", K(2), C("mul", N("u"), N("u")))),
        "softmax": lambda: C("softmax", v), "log_softmax": lambda: C("log_softmax", v),
        "square": lambda: C("pow", v, K(2)),
    }[step]()


def _final(step: str, v: object) -> object:
    return {
        "sum": lambda: C("sum", v), "mean": lambda: C("mean", v),
        "logsumexp": lambda: C("logsumexp", v), "dot": lambda: C("dot", v, N("u")),
        "index": lambda: C("index", v, K(0)),
        "outer": lambda: C("sum", C("mul", C("outer", v, N("x")), N("W"))),
        "matmul_back": lambda: C("dot", C("matmul", C("transpose", N("W")), v), N("x")),
        "vec_mat": lambda: C("sum", C("matmul", v, N("W"))),
        "mat_mat": lambda: C("sum", C("matmul", C("outer", v, N("x")), C("transpose", N("W")))),
        "exp_log": lambda: C("log", C("sum", C("exp", v))),
    }[step]()


def _oracle_step(step: str, v: list, env: dict) -> list:
    u, s = env["u"], env["s"]
    f = {"sigmoid": lambda a: 1 / (1 + sp.exp(-a)), "tanh": sp.tanh,
         "softplus": lambda a: sp.log(1 + sp.exp(a)), "sin": sp.sin,
         "relu_shift": lambda a: sp.Max(a + sp.pi, 0)}
    if step in f:
        return [f[step](a) for a in v]
    if step in ("softmax", "log_softmax"):
        total = sum(sp.exp(a) for a in v)
        return [sp.exp(a) / total if step == "softmax" else a - sp.log(total) for a in v]
    return {"hadamard": lambda: [a * b for a, b in zip(v, u, strict=True)],
            "plus_u": lambda: [a + b for a, b in zip(v, u, strict=True)],
            "minus_s": lambda: [a - s for a in v], "times_s": lambda: [s * a for a in v],
            "div": lambda: [a / (2 + b * b) for a, b in zip(v, u, strict=True)],
            "square": lambda: [a**2 for a in v]}[step]()


def _oracle_final(step: str, v: list, env: dict) -> sp.Expr:
    W, x, u = env["W"], env["x"], env["u"]  # noqa: N806
    vm = sp.Matrix(v)
    return {"sum": lambda: sum(v), "mean": lambda: sum(v) / len(v),
            "logsumexp": lambda: sp.log(sum(sp.exp(a) for a in v)),
            "dot": lambda: sum(a * b for a, b in zip(v, u, strict=True)), "index": lambda: v[0],
            "outer": lambda: sum((vm * sp.Matrix(x).T).multiply_elementwise(W)),
            "matmul_back": lambda: (W.T * vm).dot(sp.Matrix(x)),
            "vec_mat": lambda: sum(vm.T * W),
            "mat_mat": lambda: sum((vm * sp.Matrix(x).T) * W.T),
            "exp_log": lambda: sp.log(sum(sp.exp(a) for a in v))}[step]()


def random_program(m: int, n: int, steps: list[str], final: str, data: st.DataObject):
    """W@x (W m×n) through ``steps`` to the scalar ``final``, and rational values of W, x, u, s."""
    values = {"W": [[data.draw(rationals) for _ in range(n)] for _ in range(m)],
              "x": [data.draw(rationals) for _ in range(n)],
              "u": [data.draw(rationals) for _ in range(m)], "s": data.draw(rationals)}
    v: object = C("matmul", N("W"), N("x"))
    for step in steps:
        v = _syntax(step, v)
    return program(("L", _final(final, v))), values


sizes = st.integers(1, 5)  # the issue: random shapes ≤ 5
rationals = st.fractions(min_value=-2, max_value=2, max_denominator=4)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m=sizes, n=sizes, steps=st.lists(st.sampled_from(STEPS), max_size=3),
       final=st.sampled_from(FINALS), data=st.data())
def test_random_programs_agree_with_sympy_diff(m, n, steps, final, data) -> None:
    prog, values = random_program(m, n, steps, final, data)
    used = set(input_names(prog))
    result = trace_tensor(prog, _point(**{k: v for k, v in values.items() if k in used}),
                          "exact")
    symbols = {"W": sp.Matrix(m, n, lambda i, j: sp.Symbol(f"W{i}{j}", real=True)),
               "x": [sp.Symbol(f"x{j}", real=True) for j in range(n)],
               "u": [sp.Symbol(f"u{i}", real=True) for i in range(m)],
               "s": sp.Symbol("s", real=True)}
    vec = list(symbols["W"] * sp.Matrix(symbols["x"]))
    for step in steps:
        vec = _oracle_step(step, vec, symbols)
    loss = _oracle_final(final, vec, symbols)
    subs = {symbols["W"][i, j]: sp.Rational(values["W"][i][j]) for i in range(m)
            for j in range(n)}
    subs.update({symbols["x"][j]: sp.Rational(values["x"][j]) for j in range(n)})
    subs.update({symbols["u"][i]: sp.Rational(values["u"][i]) for i in range(m)})
    subs[symbols["s"]] = sp.Rational(values["s"])
    checks = [(result.gradient["W"][i, j], symbols["W"][i, j]) for i in range(m)
              for j in range(n)]
    checks += [(result.gradient["x"][j], symbols["x"][j]) for j in range(n)]
    if "u" in result.gradient:
        checks += [(result.gradient["u"][i], symbols["u"][i]) for i in range(m)]
    if "s" in result.gradient:
        checks.append((result.gradient["s"], symbols["s"]))
    for ours, symbol in data.draw(st.permutations(checks))[:6]:  # bounded oracle cost
        rest = {k: v for k, v in subs.items() if k != symbol}
        expected = sp.diff(loss.xreplace(rest), symbol).xreplace(subs).evalf(50)
        assert abs(to_sympy(ours) - expected) < 1e-25, (steps, final, symbol)
    assert all(np.shape(result.jacobian_arrays[n_.name]) == n_.shape
               for n_ in result.graph.inputs)


def test_python_api_takes_lists_and_numpy_arrays() -> None:
    r = trace("x*y + x", x=[1, 2], y=np.array([3, 4]))
    assert isinstance(r.value, Tensor) and r.value.tolist() == [4, 10]
    assert r.gradient["x"].shape == (2, 2)


def test_backends_listed() -> None:
    assert set(BACKENDS) == {"exact", "float", "symbolic"}


def test_readme_python_api_example() -> None:
    import gradtutor

    r = gradtutor.trace("sum(W@x)", W=[[1, 2], [3, 4]], x=[1, 1])
    assert r.value == 10
    assert r.gradient["W"].shape == (2, 2) and r.gradient["W"].tolist() == [[1, 1], [1, 1]]
    assert r.gradient["x"].tolist() == [4, 6]  # Wᵀ·𝟏: the column sums


def test_large_inputs_take_the_float_route_and_say_so() -> None:
    rng = np.random.default_rng(0)
    w = rng.normal(size=(70, 70)).round(3).tolist()  # 4900 + 70 entries > 4096
    r = trace("L = sum(tanh(W@x))", W=w, x=[0.01] * 70)
    assert r.route == "float" and r.gradient["W"].array.dtype == np.float64
    check = r.verification
    assert check.agrees and check.fd_checked == 24 and check.fd_total == 4970
    # ∂/∂W_ij = (1 − tanh²(h_i))·x_j, written here with numpy directly
    h = np.array(w) @ np.full(70, 0.01)
    assert np.allclose(r.gradient["W"].array, np.outer(1 - np.tanh(h) ** 2, np.full(70, 0.01)))
