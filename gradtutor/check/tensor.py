"""Check, tensors: program with vector/matrix values + answer → verdict with tensor diagnoses.

The answer is a vector or matrix literal (``[[4.5, 9, 13.5], [0, 0, 0]]``), a number, or a
formula in the program's names, where ``h_bar`` is the adjoint of the node named ``h``
(``outer(h_bar, x)``, ``W.T @ h_bar``). Formulas are evaluated at the given point and at two
random points of the same shapes. A wrong answer gets the classic tensor diagnoses: the
transpose, a shape that cannot be right (and what it should be), a sum that should have been
broadcast, a missing elementwise factor (the ReLU mask, σ′), a flipped sign.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import DomainError, InputError, ShapeError
from ..graph import Graph
from ..parse import input_names, parse_program
from ..tensor import Tensor, shape_text, tensor_text
from ..tensor_api import TensorTraceResult, trace_tensor
from ..tensor_graph import build_tensor_graph
from ..tensor_sweep import TensorForward, gradient_of, primal_arrays, run_tensor_reverse
from .verdict import RIGHT, WRONG, CheckResult, Verdict

ACTIVATIONS = {"relu": "relu′ = [input > 0] (the ReLU mask)", "leaky_relu": "leaky_relu′",
               "sigmoid": "σ′ = σ(1 − σ)", "tanh": "tanh′ = 1 − tanh²",
               "softplus": "softplus′ = σ", "exp": "exp′ = exp", "abs": "sign(a)"}
RANDOM_POINTS = 2


def check_tensor(source: str, at: Any, wrt: str | None, answer: str) -> CheckResult:
    from ..api import trace

    result = trace(source, at)
    if not isinstance(result, TensorTraceResult):
        raise InputError("this program has no vectors or matrices", hint="use --at x=0.3")
    wrt = wrt or _only_input(result)
    expected = expected_gradient(result, wrt)
    item = f"∂{result.graph.output_name}/∂{wrt}"
    literal = answer.strip().startswith("[") or _is_number(answer)
    try:
        given = _literal(answer) if literal else evaluate_answer(result, answer)
    except ShapeError as error:  # W@h_bar for x̄: a wrong answer, not bad input
        from .tensor_repair import unfit_verdict

        verdict = unfit_verdict(result, wrt, expected, item, answer, error)
    else:
        verdict = _verdict(source, result, wrt, expected, item, answer, literal, given)
    shape = shape_text(np.shape(expected))
    return CheckResult("formula" if not literal else "number", f"{item} ({shape})",
                       (verdict,), ("a gradient has the shape of its variable",))


def _verdict(source: str, result: TensorTraceResult, wrt: str, expected: np.ndarray, item: str,
             answer: str, literal: bool, given: np.ndarray) -> Verdict:
    status, feedback, mistake = judge(result, wrt, expected, given, exact=not literal)
    if status == RIGHT and not literal:
        status, feedback = _at_random_points(source, result, wrt, answer)
    return Verdict(item, status, answer, tensor_text(expected), feedback, mistake,
                   policy="entries to 6 significant figures" if literal else "")


def _only_input(result: TensorTraceResult) -> str:
    names = [node.name for node in result.graph.inputs]
    if len(names) != 1:
        raise InputError("checking a gradient needs the variable it is taken with respect to",
                         hint=f"add --wrt NAME, one of: {', '.join(names)}")
    return names[0]


def expected_gradient(result: TensorTraceResult, wrt: str) -> np.ndarray:
    if wrt in result.jacobian_arrays:
        return result.jacobian_arrays[wrt]
    named = {node.name: node.index for node in result.graph.nodes if node.name}
    if wrt in named and result.rows:
        return next(row.v_bar for row in result.rows if row.index == named[wrt])
    raise InputError(f"--wrt {wrt!r} is not a name in the program",
                     hint=f"use one of: {', '.join(named)}")


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _is_number(text: str) -> bool:
    """Plain numerals only; their value is read by the guarded reader (no 10**huge)."""
    return _NUMBER.fullmatch(text.strip()) is not None


def _literal(text: str) -> np.ndarray:
    from ..point import read_list
    from ..sym import parse_value
    from ..tensor import exact_tensor, flatten, nested_shape, number_entry

    if not text.strip().startswith("["):
        entry = number_entry(text.strip(), "the answer", parse_value)
        return exact_tensor([entry], ()).array
    nested = read_list(text.strip(), 0, text.strip(), "the answer")
    shape = nested_shape(nested, "the answer")

    entries = [number_entry(e, "the answer", parse_value) for e in flatten(nested, shape)]
    return exact_tensor(entries, shape).array


def answer_environment(result: TensorTraceResult) -> dict[str, np.ndarray]:
    """Names an answer may use: inputs, named intermediates, and name_bar adjoints."""
    env: dict[str, np.ndarray] = {}
    adjoints = {row.index: row.v_bar for row in result.rows}
    for node, value in zip(result.graph.nodes, result.forward.values, strict=True):
        if node.name:
            env[node.name] = value
            if node.index in adjoints:
                env[f"{node.name}_bar"] = adjoints[node.index]
    return env


def evaluate_answer(result: TensorTraceResult, answer: str) -> np.ndarray:
    env = answer_environment(result)
    program = parse_program(answer)
    if not input_names(program):  # a constant such as 3/4 or -pi/2
        return _literal(answer)
    unknown = [name for name in input_names(program) if name not in env]
    if unknown:
        raise InputError(f"the answer uses {', '.join(map(repr, unknown))}, which the program "
                         "does not define", hint=f"use these names: {', '.join(env)}")
    used = {name: env[name] for name in input_names(program)}
    graph = build_tensor_graph(program, list(used), {n: np.shape(v) for n, v in used.items()})
    return primal_arrays(graph, used, result.forward.backend)[graph.output.index]


def close(a: Any, b: Any, exact: bool) -> bool:
    if np.shape(a) != np.shape(b):
        return False
    rtol = 1e-12 if exact else 5e-7
    pairs = zip(np.ravel(np.asarray(a, dtype=object)), np.ravel(np.asarray(b, dtype=object)),
                strict=True)
    return all(abs(float(x) - float(y)) <= rtol * max(1.0, abs(float(y))) for x, y in pairs)


def judge(result: TensorTraceResult, wrt: str, expected: np.ndarray, given: np.ndarray,
          exact: bool) -> tuple[str, tuple[str, ...], str]:
    """(status, feedback, mistake tag) for one answer at the trace's point."""
    if close(given, expected, exact):
        return RIGHT, (), ""
    for diagnose in (shape_mistakes, same_shape_mistakes, _missing_factor):
        found = diagnose(result, wrt, expected, given, exact)
        if found:
            return WRONG, (found[0],), found[1]
    return WRONG, (_first_difference(expected, given),), ""


def shape_mistakes(result: Any, wrt: str, expected: np.ndarray, given: np.ndarray,
                    exact: bool) -> tuple[str, str] | None:
    want, got = np.shape(expected), np.shape(given)
    if want == got:
        return None
    if np.ndim(given) == 2 and got[::-1] == want and close(np.transpose(given), expected, exact):
        return (f"your answer is the transpose of ∂/∂{wrt}: it has shape {shape_text(got)}, "
                f"but a gradient has the shape of its variable, {shape_text(want)} (for "
                "h = W@x, W̄ = h̄ xᵀ, not x h̄ᵀ)", "transpose")
    if got == () and close(given, _total(expected), exact):
        return (f"you summed the entries of ∂/∂{wrt}; the gradient is not a scalar but has "
                f"{wrt}'s shape {shape_text(want)} (sum's rule broadcasts ḡ back to every "
                "entry)", "sum-not-broadcast")
    if len(got) == len(want) + 1 and close(_total(given, axis=0), expected, exact):
        return (f"sum over the rows (the samples): ∂/∂{wrt} has shape {shape_text(want)}; "
                "a broadcast variable's gradient adds the contributions of every row",
                "missing-sum")
    return (f"your answer has shape {shape_text(got)}, which cannot be right: ∂/∂{wrt} "
            f"has the shape of {wrt}, {shape_text(want)}", "shape")


def _total(array: np.ndarray, axis: int | None = None) -> np.ndarray:
    return np.asarray(np.asarray(array, dtype=object).sum(axis=axis), dtype=object)


def same_shape_mistakes(result: Any, wrt: str, expected: np.ndarray, given: np.ndarray,
                         exact: bool) -> tuple[str, str] | None:
    if np.ndim(given) == 2 and close(np.transpose(given), expected, exact):
        return (f"your answer is the transpose of ∂/∂{wrt} (for h = W@x, W̄ = h̄ xᵀ and "
                "x̄ = Wᵀh̄)", "transpose")
    if close(-np.asarray(given, dtype=object), expected, exact):
        return "your answer has the opposite sign of the right one", "sign"
    return None


def _missing_factor(result: TensorTraceResult, wrt: str, expected: np.ndarray,
                    given: np.ndarray, exact: bool) -> tuple[str, str] | None:
    for node in result.graph.steps:
        if node.op in ACTIVATIONS and node.shape:
            without = _gradient_without(result, node.index)
            if wrt in without and close(given, without[wrt], exact):
                name = node.name or "the node"
                return (f"you left out the elementwise factor {ACTIVATIONS[node.op]} of "
                        f"{name} = {node.op}(…): backprop multiplies ḡ ⊙ f′(a) entry by "
                        "entry", f"missing-{node.op}-factor")
    return None


def _gradient_without(result: TensorTraceResult, index: int) -> dict[str, np.ndarray]:
    """The gradient with node ``index``'s elementwise derivative replaced by 1."""
    graph = result.graph
    nodes = tuple(replace(n, op="id") if n.index == index else n for n in graph.nodes)
    plain = Graph(nodes, graph.n_inputs, graph.output_name, graph.source)
    forward = TensorForward(plain, result.forward.backend, result.forward.values, ())
    return gradient_of(plain, run_tensor_reverse(forward)) if result.rows else {}


def _first_difference(expected: np.ndarray, given: np.ndarray) -> str:
    for idx in np.ndindex(np.shape(expected)):
        if not close(np.asarray(given, dtype=object)[idx], expected[idx], True):
            where = f"entry [{', '.join(map(str, idx))}]" if idx else "the value"
            return (f"{where} differs: the right value is {tensor_text(expected[idx])}, "
                    f"yours is {tensor_text(np.asarray(given, dtype=object)[idx])}")
    return "the values differ"


def _at_random_points(source: str, result: TensorTraceResult, wrt: str,
                      answer: str) -> tuple[str, tuple[str, ...]]:
    rng = random.Random(0)
    for _ in range(RANDOM_POINTS):
        point = {name: _random_like(value, rng) for name, value in result.point.items()}
        try:
            other = trace_tensor(parse_program(source), point, "exact")
            given = evaluate_answer(other, answer)
        except DomainError:
            continue
        expected = expected_gradient(other, wrt)
        if not close(given, expected, True):
            where = ", ".join(f"{n} = {tensor_text(_arr(v))}" for n, v in point.items())
            return WRONG, (f"right at the given point, but not in general: at {where} the "
                           f"gradient is {tensor_text(expected)}, your formula gives "
                           f"{tensor_text(given)}",)
    return RIGHT, ()


def _arr(value: Any) -> Any:
    return value.array if isinstance(value, Tensor) else value


def _random_like(value: Any, rng: random.Random) -> Any:
    from ..tensor import exact_tensor

    def draw() -> Fraction:
        return Fraction(rng.randint(-12, 12), rng.choice((2, 3, 4)))

    if isinstance(value, Tensor):
        return exact_tensor([draw() for _ in range(value.array.size)], value.shape)
    return draw()
