"""Check, tensor tables: a student's adjoint working (``h̄ xᵀ``, ``Wᵀ v̄₁``) → its value.

The working is lecture-note notation, read into the project's grammar (never eval'd): ``ᵀ``
and ``^T`` → transpose, ``⊙`` → elementwise ``*``, ``·``, ``×`` and juxtaposition → the
matrix product ``@``, ``h̄``/``v̄₁`` → the adjoint of that row; names are the program's, the
v-numbers or the student's own row keys. Vectors are read as columns first (so ``h̄ xᵀ`` is
an outer product), then as numpy's 1-D vectors (so ``outer(h_bar, x)`` works too).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np

from ..errors import GradtutorError, InputError
from ..graph import Graph
from ..parse import FUNCTIONS, input_names, parse_program
from ..tensor import Shape
from ..tensor_backend import Backend
from ..tensor_graph import build_tensor_graph
from ..tensor_sweep import primal_arrays
from .rows import normalize_key

MAX_WORKING = 200
_SUBSCRIPTS = str.maketrans("₋₀₁₂₃₄₅₆₇₈₉−", "-0123456789-")
_PRODUCT = re.compile(r"\s*[·×⋅]\s*")
_VNUMBER = re.compile(r"(?<![\w])v(\u0304)?_?\{?(-?\d+)\}?(_?bar)?(?![\w])")
_BARRED = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\u0304([0-9]*)")
_JUXTAPOSED = re.compile(r"([A-Za-z0-9_]+|\))(\s+)(?=[A-Za-z_(])")
_BARE_CALL = re.compile(r"(?<![\w.])([a-z_]+)\s+([A-Za-z_]\w*)(?![\w(])")  # relu v2
_COEFFICIENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?!e\d)([A-Za-z_])")
_SCALED = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*@|@\s*\d+(?:\.\d+)?(?![\w.])")
_MASK = re.compile(r"(?<![\w.])(?:1\s*)?[\[(]([^\[\]()]+?)\s*>\s*0\s*[\])]")  # [h > 0], (h > 0)
_PRIME = re.compile(r"(relu|σ|sigmoid|tanh)\s*[′']\s*\(([^()]+)\)")
_PRIMES = {"relu": "step({0})", "σ": "sigmoid({0})*(1 - sigmoid({0}))",
           "sigmoid": "sigmoid({0})*(1 - sigmoid({0}))", "tanh": "(1 - tanh({0})^2)"}
Lookup = Callable[[int], np.ndarray]


def plain_working(working: str, graph: Graph) -> str:
    """Lecture notation → the project's grammar, with v-numbers as names vN / vmN."""
    if len(working) > MAX_WORKING:
        raise InputError(f"the working is longer than {MAX_WORKING} characters")
    text = unicodedata.normalize("NFD", working).translate(_SUBSCRIPTS)
    text = text.replace("ᵀ", ".T ").replace("⊙", "*")
    text = text.replace("∘", "*").replace(".*", "*")
    text = _PRIME.sub(lambda m: "(" + _PRIMES[m.group(1)].format(m.group(2)) + ")", text)
    text = _MASK.sub(r"step(\1)", text)
    if "T" not in {n.name for n in graph.nodes}:
        text = re.sub(r"\^\s*T(?![\w])", ".T", text)
    text = _PRODUCT.sub(" @ ", text)
    text = _VNUMBER.sub(lambda m: _vname(int(m.group(2))) + (
        "_bar" if m.group(1) or m.group(3) else ""), text)
    text = _BARRED.sub(r"\1\2_bar", text)
    text = _COEFFICIENT.sub(r"\1*\2", text)  # 2d → 2*d
    text = _BARE_CALL.sub(lambda m: f"{m.group(1)}({m.group(2)})" if m.group(1) in FUNCTIONS
                          else m.group(0), text)
    text = _JUXTAPOSED.sub(lambda m: m.group(0) if m.group(1) in FUNCTIONS
                           else f"{m.group(1)} @ ", text)
    return _SCALED.sub(lambda m: m.group(0).replace("@", "*"), text)  # 0.5 x: a scalar times


def _vname(index: int) -> str:
    return f"v{index}" if index >= 0 else f"vm{-index}"


def working_names(graph: Graph, keys: dict[str, int]) -> dict[str, tuple[int, bool]]:
    """Every name a working may use → (node index, adjoint?): ours, then the student's keys."""
    names = {_vname(node.index): (node.index, False) for node in graph.nodes}
    names.update({node.name: (node.index, False) for node in graph.nodes if node.name})
    for key, index in keys.items():  # the student's own row names win in their working
        key = normalize_key(key)
        number = re.fullmatch(r"v(-?\d+)", key)
        names[_vname(int(number.group(1))) if number else key] = (index, False)
    names.update({f"{name}_bar": (index, True) for name, (index, _) in list(names.items())})
    return names


def working_value(working: str, graph: Graph, keys: dict[str, int], primal: Lookup,
                  adjoint: Lookup, k: Backend, shape: Shape) -> np.ndarray:
    """The working evaluated with these primals and adjoints, in the cell's shape if it fits."""
    program = parse_program(plain_working(working, graph))
    names = working_names(graph, keys)
    used = input_names(program)
    unknown = [n for n in used if n not in names]
    if unknown:
        raise InputError(f"your working uses {', '.join(map(repr, unknown))}, which is no "
                         "row of the table", hint="use the program's names, v-numbers and "
                         "adjoints written h̄ or h_bar")
    values = {n: (adjoint if names[n][1] else primal)(names[n][0]) for n in used}
    error: GradtutorError | None = None
    for column in (True, False):
        point = {n: _column(v) if column else np.asarray(v, dtype=object)
                 for n, v in values.items()}
        try:
            graph_w = build_tensor_graph(program, used, {n: np.shape(v) for n, v in
                                                         point.items()})
            out = primal_arrays(graph_w, point, k)[graph_w.output.index]
        except GradtutorError as err:
            error = error or err
            continue
        return _reshaped(np.asarray(out, dtype=object), shape)
    assert error is not None
    raise error


def _column(value: np.ndarray) -> np.ndarray:
    value = np.asarray(value, dtype=object)
    return value.reshape(-1, 1) if value.ndim == 1 else value


def _reshaped(out: np.ndarray, shape: Shape) -> np.ndarray:
    """A column or row vector read back as a vector; a 1×1 as a scalar."""
    if out.shape == shape:
        return out
    if not shape and out.size == 1:
        return out.reshape(())
    if len(shape) == 1 and out.ndim == 2 and 1 in out.shape and out.size == shape[0]:
        return out.reshape(shape)
    return out


def unread_definition(definition: str, graph: Graph) -> str:
    """Why a row's definition cannot be read ("" when it can: then it is just no step)."""
    try:
        parse_program(plain_working(definition, graph))
    except GradtutorError as err:
        return f"Your definition {definition} could not be read: {err.message}"
    return ""
