"""Stage 5, cli: the `graph` command — expression (+ point) → the computation graph drawn."""

from __future__ import annotations

import os
import shutil
import sys

import typer

from ..errors import InputError

FORMATS = ("text", "dot", "mermaid", "svg")

EXAMPLE = """Example:

    gradtutor graph "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1

    gradtutor graph "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1 --format svg --output graph.svg

Without --at the drawing shows the graph's structure only; with it, each box shows the
primal value (forward pass) above the adjoint v̄ = ∂y/∂v (reverse pass).
"""


def register(app: typer.Typer) -> None:
    app.command("graph", help="Draw the computation graph: terminal, DOT, Mermaid or SVG.",
                epilog=EXAMPLE)(graph)


def graph(
    expression: str = typer.Argument(..., help='Expression or program, e.g. "x*y + sin(x)".'),
    at: str = typer.Option("", "--at", help="The point: name=value pairs, e.g. x=0.3,w=1/2."),
    expand: bool = typer.Option(False, "--expand",
                                help="Split sigmoid, tanh, softplus into elementary ops."),
    fmt: str = typer.Option("text", "--format", help="text, dot, mermaid or svg."),
    output: str = typer.Option(None, "--output", help="Write to this file (needed for svg)."),
    digits: int = typer.Option(4, "--digits", help="Significant digits shown."),
    partials: bool = typer.Option(False, "--partials",
                                  help="List each wire's local partial below the drawing."),
) -> None:
    """Draw the computation graph of EXPRESSION, with values and adjoints at --at."""
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r} is not one of: {', '.join(FORMATS)}",
                         hint="e.g. --format dot")
    if not 1 <= digits <= 12:
        raise InputError(f"--digits must be between 1 and 12, got {digits}")
    if fmt == "svg" and not output:
        raise InputError("--format svg writes a file", hint="add --output graph.svg")
    if partials and fmt != "text":
        raise InputError("--partials lists the wires below the terminal drawing",
                         hint="DOT and Mermaid already label each edge with its local partial "
                              "when --at is given; drop --partials")
    text = graph_document(expression, at, expand, fmt, digits, terminal_width(), partials)
    if output:
        from ..outfile import write_atomic

        path = write_atomic(output, text)
        print(f"Wrote the computation graph ({fmt}) to {path}")
        return
    sys.stdout.write(text)


def graph_document(expression: str, at: str, expand: bool, fmt: str, digits: int,
                   width: int, partials: bool = False) -> str:
    from ..graph import check_values, graph_from_text

    result = None
    if at.strip():
        from ..api import trace

        result = trace(expression, at, expand=expand)
        graph = result.graph
    else:
        from ..tensor_hint import refuse_tensor_program

        refuse_tensor_program(expression)  # drawn from its values (graph reads --at only)
        graph = graph_from_text(expression, expand=expand)
        check_values(graph, [node.name for node in graph.inputs])
    if fmt == "dot":
        from ..render.graph_dot import graph_dot

        return graph_dot(graph, result, digits)
    if fmt == "mermaid":
        from ..render.graph_mermaid import graph_mermaid

        return graph_mermaid(graph, result, digits)
    if fmt == "svg":
        from ..render.graph_svg import graph_svg

        return graph_svg(graph, result, digits)
    from ..render.graph_text import graph_text

    return graph_text(graph, result, digits, width, partials)


def terminal_width() -> int:
    """COLUMNS if set, else the terminal's width; 80 when output is not a terminal."""
    try:
        return max(40, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        return shutil.get_terminal_size((80, 24)).columns


def print_graph_above(result: object, fmt: str, width: int) -> None:
    """`trace --graph`: the drawing above the tables; a graph too large to draw is a note."""
    from ..errors import LimitError
    from ..render.graph_text import graph_text

    if fmt != "table":
        raise InputError("--graph draws in the terminal, above the tables",
                         hint='drop --format, or use gradtutor graph … --format dot|mermaid')
    try:
        sys.stdout.write(graph_text(result.graph, result, 4, width) + "\n")  # type: ignore
    except LimitError as err:
        sys.stdout.write(f"(No graph drawn: {err.message}.)\n\n")
