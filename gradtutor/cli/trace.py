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

Programs: separate steps with ';' (or lines) and name them, e.g.
"z = w1*x1 + w2*x2 + b; y = sigmoid(z)"; or read one from a file: --file model.txt
(--file - reads standard input). Functions: sin cos tan exp log (ln) sqrt
tanh sigmoid relu softplus abs erf leaky_relu max min; constants pi, e.
"""


def register(app: typer.Typer) -> None:
    app.command("trace", help="Trace an expression: forward primal, local partials, "
                              "reverse adjoints, gradient.", epilog=EXAMPLE)(trace)


def trace(
    expression: str = typer.Argument(None, help='Expression or program, e.g. "x*y + sin(x)".'),
    file: str = typer.Option(None, "--file", "-f", help="Read the program from a file "
                             "('-' for standard input) instead of the argument."),
    at: list[str] = typer.Option(  # noqa: B008 - typer reads the default, never mutates it
        None, "--at", help="The point: name=value pairs, e.g. x=0.3,w=1/2 or "
        "x=[1,2,3],W=[[1,0],[0,1]]; repeatable."),
    at_file: str = typer.Option(None, "--at-file", help="Values from a .json, .yaml or .npz "
                                "file (name → number or nested list)."),
    mode: str = typer.Option("reverse", "--mode", help="reverse, forward or both."),
    wrt: str = typer.Option(None, "--wrt", help="Input to seed in forward mode (a vector "
                            "or matrix with its direction, e.g. x=[1,0,0])."),
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
    show: str = typer.Option("", "--show", help="Parts to print, comma-separated: primal, "
                             "partials, adjoint, tangent, result (default: all)."),
    compact: bool = typer.Option(False, "--compact", help="No rules between table rows."),
    standalone: bool = typer.Option(False, "--standalone", help="With --format latex: a "
                                    "whole document for pdflatex, not tables to paste."),
    graph: bool = typer.Option(False, "--graph", help="Draw the computation graph above the "
                               "tables (values above, adjoints below)."),
) -> None:
    """Trace EXPRESSION (or the program in --file) at a point, step by step."""
    _choice("--format", fmt, FORMATS)
    _choice("--mode", mode, MODES)
    if not 1 <= digits <= 40:
        raise InputError(f"--digits must be between 1 and 40, got {digits}")
    from ..api import trace as run_trace
    from ..render.trace_view import Options

    expression = program_text(expression, file)
    if standalone and fmt != "latex":
        raise InputError("--standalone writes a LaTeX document", hint="add --format latex")
    options = Options(digits=digits, exact=exact, full=full, show=_show(show), compact=compact,
                      standalone=standalone, transform=_stand_ins())

    from ..tensor_hint import MissingValues

    try:
        result = run_trace(expression, list(at or []), expand=expand, mode=mode, wrt=wrt,
                           at_file=at_file, order=order)
    except MissingValues as err:  # the trace command also reads --at-file
        raise err.for_trace() from None
    from ..api import TraceResult

    if unroll or not isinstance(result, TraceResult):
        from .trace_tensor import print_tensor

        print_tensor(result, fmt, options, jacobians, unroll, _width())
        return
    if jacobians:
        raise InputError("--jacobians is for programs with vectors or matrices",
                         hint="drop --jacobians, or give a vector value, e.g. --at x=[1,2]")
    if graph:
        from .graph import print_graph_above

        print_graph_above(result, fmt, _width())
    print_scalar(result, fmt, options, _width())
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

        console = Console(width=width if "COLUMNS" in os.environ else None)
        console.print(trace_renderable(result, options))
        return
    from ..render.trace import trace_text

    # not a terminal (or NO_COLOR): plain fixed-width tables, no rich layout
    sys.stdout.write(trace_text(result, "text" if fmt == "table" else fmt, options,
                                width=width))


MIN_WIDTH, MAX_WIDTH, PIPE_WIDTH = 40, 1000, 80


def _width() -> int:
    """COLUMNS clamped to 40…1000 (a huge or invalid value never sizes a buffer); 80 when
    COLUMNS is unset and the output is not a terminal."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isdigit() and len(text) < 12:
        return min(MAX_WIDTH, max(MIN_WIDTH, int(text)))
    if sys.stdout.isatty():
        import shutil

        return min(MAX_WIDTH, max(MIN_WIDTH, shutil.get_terminal_size().columns))
    return PIPE_WIDTH


def _stand_ins() -> Any:
    """ASCII stand-ins applied before layout when stdout cannot encode ∂, v̄₋₂, σ (so plain
    tables stay aligned); None when it can."""
    try:
        "∂v̄₋₂σ²→✓".encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        from .encoding import transliterate

        return transliterate
    return None


def _show(text: str) -> tuple[str, ...]:
    from ..render.trace_view import SHOWABLE

    if not text.strip():
        return SHOWABLE
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    for part in parts:
        if part not in SHOWABLE:
            raise InputError(f"--show {part!r} is not one of: {', '.join(SHOWABLE)}",
                             hint="e.g. --show primal,adjoint,result")
    return parts


def program_text(expression: str | None, file: str | None) -> str:
    """The program from the argument, or from ``--file`` (``-`` reads standard input)."""
    if file is None:
        if expression is None:
            raise InputError("give an expression, or a program with --file",
                             hint='gradtutor trace "x*y + sin(x)" --at x=1,y=2')
        return expression
    if expression is not None:
        raise InputError("give the program either as the argument or with --file, not both",
                         hint=f"drop {expression!r} or drop --file")
    from ..program_file import read_program

    return read_program(file)


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError(f"{option} {value!r} is not one of: {', '.join(allowed)}",
                         hint=f"e.g. {option} {allowed[0]}")
