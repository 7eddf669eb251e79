"""Stage 5, cli: the `trace` command — arguments → gradtutor.trace → printed trace."""

from __future__ import annotations

import os
import sys

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
    at: str = typer.Option("", "--at", help="The point: name=value pairs, e.g. x=0.3,w=1/2."),
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
) -> None:
    """Trace EXPRESSION at a point, step by step."""
    _choice("--format", fmt, FORMATS)
    _choice("--mode", mode, MODES)
    if not 1 <= digits <= 40:
        raise InputError(f"--digits must be between 1 and 40, got {digits}")
    from ..api import trace as run_trace

    result = run_trace(expression, at, expand=expand, mode=mode, wrt=wrt, order=order)
    if fmt == "json":
        from ..render.trace_json import trace_json_text

        sys.stdout.write(trace_json_text(result))
        return
    from ..render.trace import trace_text
    from ..render.trace_view import Options

    options = Options(digits=digits, exact=exact, full=full)
    if fmt == "table" and sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console

        from ..render.trace import trace_renderable

        Console().print(trace_renderable(result, options))
        return
    sys.stdout.write(trace_text(result, fmt, options, width=_width()))


def _width() -> int:
    try:
        return max(80, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 120


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError(f"{option} {value!r} is not one of: {', '.join(allowed)}",
                         hint=f"e.g. {option} {allowed[0]}")
