"""Public API, trace: expression text + point → TraceResult (graph, sweeps, checks).

``gradtutor.trace("x + 1/(w*x+b)", x=0.3, w=0.5, b=0.1)`` runs the whole pipeline
parse → graph → forward → reverse (→ tangents) → verify and returns one frozen result that
notebooks, graders, the renderer and the CLI all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from numbers import Number
from typing import Any

import sympy as sp

from .errors import InputError, ParseError, guarded
from .forward import Forward, Tangent, run_forward, run_tangent
from .graph import Graph, Node, build_graph, check_values
from .numeric import Value, from_sympy
from .parse import input_names, parse_program
from .reverse import Reverse, run_reverse
from .sym import parse_value
from .verify import Verification, verify

MODES = ("reverse", "forward", "both")


@dataclass(frozen=True)
class TraceResult:
    graph: Graph
    point: dict[str, Value]
    mode: str
    forward: Forward
    reverse: Reverse
    tangent: Tangent | None

    @property
    def value(self) -> Value:
        """The output's primal value."""
        return self.forward.output

    @property
    def gradient(self) -> dict[str, Value]:
        """∂y/∂input for every input, from the reverse sweep."""
        return self.reverse.gradient

    @property
    def nodes(self) -> tuple[Node, ...]:
        return self.graph.nodes

    @cached_property
    def verification(self) -> Verification:
        return verify(self.graph, self.point, self.gradient, bool(self.forward.notes))

    @property
    def derivatives(self) -> dict[str, sp.Expr]:
        """∂y/∂input of the whole expression, symbolic ({} when the graph is too large)."""
        return self.verification.symbolic

    def __rich__(self) -> Any:
        from .render.trace import trace_renderable

        return trace_renderable(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        from .render.trace import trace_text

        return {"text/plain": trace_text(self, "table"), "text/markdown": trace_text(self,
                                                                                       "markdown")}


@guarded
def trace(source: str, at: dict[str, Any] | str | list[str] | None = None, *,
          expand: bool = False, mode: str = "reverse", wrt: str | None = None,
          at_file: str | None = None, order: str = "paper", **values: Any) -> Any:
    """Trace ``source`` (an expression or program) at a point given by ``at`` and/or keywords.

    ``order="paper"`` numbers the steps as Baydin et al. do (each as soon as its arguments
    exist), ``"written"`` in the order the expression is written.

    Values may be vectors and matrices (nested lists or numpy arrays): the result is then a
    TensorTraceResult whose gradients have the shapes of their inputs.
    """
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}", hint=f"use one of: {', '.join(MODES)}")
    raw = _raw_point(at, values, at_file)
    program = parse_program(source)
    if _is_tensor(raw, program):
        return _trace_tensor(program, raw, expand, mode, order, wrt)
    point = {name: _as_value(name, value) for name, value in raw.items()}
    graph = build_graph(program, list(point), expand, order)
    check_values(graph, list(point))
    forward = run_forward(graph, point)
    tangent = None
    if mode in ("forward", "both"):
        tangent = run_tangent(forward, _wrt(graph, wrt))
    return TraceResult(graph, point, mode, forward, run_reverse(forward), tangent)


def _is_tensor(raw: dict[str, Any], program: Any) -> bool:
    from .tensor_ops import uses_tensor_ops

    lists = any(isinstance(v, list | tuple) or hasattr(v, "shape") for v in raw.values())
    return lists or uses_tensor_ops(program)


def _trace_tensor(program: Any, raw: dict[str, Any], expand: bool, mode: str,
                  order: str, wrt: str | None = None) -> Any:
    from .tensor_api import trace_tensor
    from .tensor_values import tensor_point

    missing = [name for name in input_names(program) if name not in raw]
    if missing:
        from .tensor_hint import missing_tensor_values

        raise missing_tensor_values(program, missing, len(raw))
    point, route = tensor_point(raw, _as_value, parse_value)
    result = trace_tensor(program, point, route, expand, order)
    if mode == "reverse":
        return result
    from .point import read_at
    from .tensor_seed import with_tangent

    return with_tangent(result, mode, wrt, lambda text: tensor_point(
        read_at([text], _scalar_text), _as_value, parse_value))


def _raw_point(at: Any, values: dict[str, Any], at_file: str | None) -> dict[str, Any]:
    from .point import read_at, read_file

    raw: dict[str, Any] = dict(read_file(at_file)) if at_file else {}
    texts = [at] if isinstance(at, str) else at if isinstance(at, list) else []
    given = read_at(texts, _scalar_text) if texts else dict(at or {}) if not isinstance(
        at, list | str) else {}
    for source in (given, values):
        for name, value in source.items():
            if name in raw:
                raise InputError(f"{name!r} is given twice", hint="give each variable one value")
            raw[name] = value
    return raw


def _scalar_text(name: str, text: str, where: str) -> sp.Expr:
    try:
        return parse_value(text, f"value of {name!r}")
    except ParseError as err:
        raise InputError(f"the value of {name!r} is not a number: {err.message}",
                         location=where,
                         hint="write a number or a fraction, e.g. 0.3 or 1/3") from None


def _wrt(graph: Graph, wrt: str | None) -> str:
    names = [node.name for node in graph.inputs]
    if wrt is None:
        if len(names) == 1:
            return names[0]
        raise InputError("forward mode needs the input to differentiate with respect to",
                         hint=f"add --wrt NAME, one of: {', '.join(names)}")
    if wrt not in names:
        raise InputError(f"--wrt {wrt!r} is not an input of the expression",
                         hint=f"use one of: {', '.join(names) or '(no inputs)'}")
    return wrt


def _as_value(name: str, value: Any) -> Value:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise InputError(f"the value of {name!r} must be a number, not {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(f"the value of {name!r} is not a finite number: {value}")
        return Fraction(repr(value))  # 0.3 means 3/10, as the user wrote it
    if isinstance(value, str):
        return from_sympy(parse_value(value, f"value of {name!r}"))
    if isinstance(value, sp.Basic | Number):
        return from_sympy(sp.Number(value) if not isinstance(value, sp.Basic) else value)
    raise InputError(f"the value of {name!r} must be a number, got {type(value).__name__}")
