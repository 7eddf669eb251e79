"""Stage 5, cli: the `trace` command — arguments → gradtutor.trace → printed trace."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from ..errors import InputError

FORMATS = ("table", "json", "markdown", "latex")
MODES = ("reverse", "forward", "both")

EXAMPLE = """Example:

    gradtutor trace "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1

Programs: separate steps with ';' and name them, e.g.
"z = w1*x1 + w2*x2 + b; y = sigmoid(z)". Functions: sin cos tan exp log (ln) sqrt
tanh sigmoid relu softplus abs erf leaky_relu max min; constants pi, e.
"""


def register(app: typer.Typer) -> None:
    app.command("trace", help="Trace an expression: forward primal, local partials, "
                              "reverse adjoints, gradient.", epilog=EXAMPLE)(trace)


def trace(
    expression: str = typer.Argument(..., help='Expression or program, e.g. "x*y + sin(x)".'),
    at: list[str] = typer.Option(  # noqa: B008 - typer reads the default, never mutates it
        None, "--at", help="The point: name=value pairs, e.g. x=0.3,w=1/2 or "
        "x=[1,2,3],W=[[1,0],[0,1]]; repeatable."),
    at_file: str = typer.Option(None, "--at-file", help="Values from a .json, .yaml or .npz "
                                "file (name → number or nested list)."),
    mode: str = typer.Option("reverse", "--mode", help="reverse, forward or both."),
    wrt: str = typer.Option(None, "--wrt", help="Input to seed in forward mode."),
    expand: bool = typer.Option(False, "--expand",
                                help="Split sigmoid, tanh, softplus into elementary ops."),
    fmt: str = typer.Option("table", "--format", help="table, json, markdown or latex."),
    digits: int = typer.Option(6, "--digits", help="Significant digits shown."),
    exact: bool = typer.Option(False, "--exact", help="Show exact fractions where exact."),
    full: bool = typer.Option(False, "--full", help="Print every row of large graphs."),
    order: str = typer.Option("paper", "--order", help="Number the steps as the paper does "
                              "(paper: each as soon as its arguments exist) or as written."),
    jacobians: bool = typer.Option(False, "--jacobians", help="Tensor programs: show each "
                                   "node's local Jacobian (rows = outputs)."),
    unroll: bool = typer.Option(False, "--unroll", help="Tensor programs: trace the same "
                                "program written out one scalar node per entry."),
) -> None:
    """Trace EXPRESSION at a point, step by step."""
    _choice("--format", fmt, FORMATS)
    _choice("--mode", mode, MODES)
    if not 1 <= digits <= 40:
        raise InputError(f"--digits must be between 1 and 40, got {digits}")
    from ..api import trace as run_trace
    from ..render.trace_view import Options

    result = run_trace(expression, list(at or []), expand=expand, mode=mode, wrt=wrt,
                       at_file=at_file, order=order)
    from ..api import TraceResult

    if unroll or not isinstance(result, TraceResult):
        from .trace_tensor import print_tensor

        print_tensor(result, fmt, digits, exact, full, jacobians, unroll, _width())
        return
    if jacobians:
        raise InputError("--jacobians is for programs with vectors or matrices",
                         hint="drop --jacobians, or give a vector value, e.g. --at x=[1,2]")
    print_scalar(result, fmt, Options(digits=digits, exact=exact, full=full), _width())
    if not result.verification.agrees:  # printed above with ✗ on the check that failed
        sys.stdout.flush()
        sys.stderr.write("Internal error: the adjoints disagree with an independent check "
                         "(see the report above).\nThis is a bug in gradtutor; please report "
                         "it with the command you ran.\n")
        raise typer.Exit(3)


def print_scalar(result: Any, fmt: str, options: Any, width: int) -> None:
    if fmt == "json":
        from ..render.trace_json import trace_json_text

        sys.stdout.write(trace_json_text(result))
        return
    if fmt == "table" and sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console

        from ..render.trace import trace_renderable

        Console().print(trace_renderable(result, options))
        return
    from ..render.trace import trace_text

    sys.stdout.write(trace_text(result, fmt, options, width=width))


def _width() -> int:
    try:
        return max(80, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 120


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError(f"{option} {value!r} is not one of: {', '.join(allowed)}",
                         hint=f"e.g. {option} {allowed[0]}")
