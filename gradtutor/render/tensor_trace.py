"""Render, tensor trace: TensorTraceResult → rich tables, plain text tables, markdown or JSON."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np

from ..graph import vname
from ..tensor import shape_text
from ..tensor_api import TensorTraceResult
from .numbers import exact_text, json_number
from .tensor_view import TensorView, array_text, tensor_definition
from .trace_view import Options, Section


def sections(view: TensorView, jacobians: bool) -> list[Section]:
    result = view.result
    found = [view.forward_section()]
    if result.tangent is not None:  # forward mode (--mode forward|both): the JVP sweep
        from .tensor_tangent import tangent_section

        found.append(tangent_section(result, view.options))
    if result.mode != "forward":
        found.append(view.rules_section())
    if jacobians:
        found.append(view.jacobian_section())
    if result.rows and result.mode != "forward":
        found.append(view.adjoint_section())
    return found


def header(result: TensorTraceResult, options: Options) -> str:
    point = ", ".join(f"{name} = {array_text(_array(v), options)}".replace("\n ", " ")
                      if not _big(v) else f"{name} ({shape_text(np.shape(_array(v)))})"
                      for name, v in result.point.items())
    shown = "; ".join(line.strip() for line in result.graph.source.splitlines() if line.strip())
    shown = shown if len(shown) <= 100 else shown[:97] + "…"
    steps = len(result.graph.steps)
    return (f"{shown}   at {point}\n{len(result.graph.inputs)} inputs, {steps} tensor "
            f"operation{'s' if steps != 1 else ''}")


def _array(value: Any) -> Any:
    return value.array if hasattr(value, "array") else value


def _big(value: Any) -> bool:
    return np.size(_array(value)) > 12


def tensor_renderable(result: TensorTraceResult, options: Options | None = None,
                      jacobians: bool = False) -> Any:
    """rich tables and a Result panel (for a terminal; rich is imported only here)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from .trace import _table

    options = options or Options()
    view = TensorView(result, options)
    parts: list[Any] = [Text(header(result, options), style="bold")]
    parts += [_table(section) for section in sections(view, jacobians)]
    parts.append(Panel("\n".join(view.result_lines()), title="Result", title_align="left",
                       expand=False))
    return Group(*parts)


def tensor_text(result: TensorTraceResult, fmt: str, options: Options | None = None,
                width: int = 120, jacobians: bool = False) -> str:
    options = options or Options()
    if fmt == "json":  # large (float) documents compact: indenting 10⁶ numbers takes seconds
        indent = 2 if result.route == "exact" else None
        return json.dumps(tensor_json(result), indent=indent, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(result, options, jacobians)
    if fmt == "text":
        return _plain(result, options, width, jacobians)
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, legacy_windows=False).print(
        tensor_renderable(result, options, jacobians))
    return buffer.getvalue()


def _plain(result: TensorTraceResult, options: Options, width: int, jacobians: bool) -> str:
    """Plain fixed-width tables, as the scalar trace writes them to a pipe (no rich layout)."""
    from .trace_plain import plain_block, plain_section

    view = TensorView(result, options)
    out = [line for part in header(result, options).splitlines()
           for line in plain_block("", [part], width)[1:]] + [""]
    for section in sections(view, jacobians):
        out += plain_section(section, width, options.compact)
    lines = [part for line in view.result_lines() for part in line.split("\n")]
    out += plain_block("Result", ["  " + line for line in lines], width)
    return "\n".join(out) + "\n"


def _markdown(result: TensorTraceResult, options: Options, jacobians: bool) -> str:
    view = TensorView(result, options)
    out = [f"**{header(result, options).splitlines()[0]}**", ""]
    for section in sections(view, jacobians):
        out += [f"### {section.title}", "", "| " + " | ".join(section.headers) + " |",
                "|" + "---|" * len(section.headers)]
        for row in section.rows:
            cells = [c.replace("\n", "<br>").replace("|", "\\|") for c in row.cells]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out += ["### Result", ""] + [f"- {line}" for line in view.result_lines()]
    return "\n".join(out) + "\n"


def nested(array: Any) -> Any:
    """A value as JSON: a number, or nested lists of numbers in its shape."""
    if np.asarray(array).dtype != object:
        return np.asarray(array, dtype=float).tolist()
    array = np.asarray(array, dtype=object)
    if array.ndim == 0:
        return json_number(array[()])
    return [nested(item) for item in array]


def _exact(array: Any) -> Any:
    array = np.asarray(array, dtype=object)
    if array.ndim == 0:
        return exact_text(array[()])
    return [_exact(item) for item in array]


def tensor_json(result: TensorTraceResult) -> dict[str, Any]:
    """The same stable document as the scalar trace, with shapes and nested lists."""
    graph = result.graph
    adjoints = {row.index: row.v_bar for row in result.rows}
    nodes = []
    for node, value in zip(graph.nodes, result.forward.values, strict=True):
        item: dict[str, Any] = {"id": node.index, "v": vname(node.index), "name": node.name,
                                "op": node.op, "shape": list(node.shape),
                                "definition": tensor_definition(node), "value": nested(value)}
        if node.index in adjoints:
            item["adjoint"] = nested(adjoints[node.index])
        nodes.append(item)
    check = result.verification
    forward = {} if result.tangent is None else _tangent_json(result, nodes)
    return {**forward,
        "expression": graph.source, "output": graph.output_name,
        "shape": list(graph.output.shape), "route": result.route,
        "inputs": {k: nested(_array(v)) for k, v in result.point.items()},
        "value": nested(result.forward.output),
        "gradient": {k: nested(v) for k, v in result.jacobian_arrays.items()},
        "gradient_exact": {k: _exact(v) for k, v in result.jacobian_arrays.items()}
        if result.route == "exact" else {},
        "layout": "numerator (output entries first, then input entries)"
        if graph.output.shape else "gradient (the input's shape)",
        "nodes": nodes,
        "notes": list(result.forward.notes),
        "verified": {"sympy_max_error": check.sympy_error,
                     "finite_difference_max_error": check.fd_error,
                     "finite_difference_entries": [check.fd_checked, check.fd_total],
                     "agrees": check.agrees, "notes": list(check.notes)},
    }


def _tangent_json(result: TensorTraceResult, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """Forward mode: each node's "tangent", and the seed and the output's tangent."""
    from .tensor_tangent import tangent_gap

    tangent = result.tangent
    assert tangent is not None
    for item, row in zip(nodes, tangent.rows, strict=True):
        item["tangent"] = nested(row.v_dot)
    return {"mode": result.mode, "tangent": {
        "wrt": tangent.wrt, "seed": nested(tangent.direction), "output": nested(tangent.output),
        "reverse_mode_max_difference": tangent_gap(result)}}

