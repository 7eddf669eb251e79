"""Stage 5, cli: the `plot` command — functions (+ range) → a terminal plot or a PNG/SVG file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from ..errors import InputError

EXAMPLE = """Example:

    gradtutor plot "sigmoid(x)" --derivative

    gradtutor plot "sigmoid(x)" "tanh(x)" "relu(x)" --derivative --range -4,4

    gradtutor plot "x^2" --tangent-at 1 --output tangent.png

Derivatives come from SymPy (the same route as trace), never from finite differences.
"""


def register(app: typer.Typer) -> None:
    app.command("plot", help="Plot functions of one variable, their derivatives, tangent lines.",
                epilog=EXAMPLE)(plot)


def plot(
    functions: list[str] = typer.Argument(..., help='Functions, e.g. "sigmoid(x)".'),  # noqa: B008
    derivative: bool = typer.Option(False, "--derivative", help="Also plot each derivative."),
    range_: str = typer.Option(None, "--range", help="lo,hi for the variable (default -5,5)."),
    tangent_at: str = typer.Option(None, "--tangent-at", help="Draw the tangent line here."),
    output: str = typer.Option(None, "--output", help="Write a .png or .svg file instead."),
    height: int = typer.Option(16, "--height", help="Terminal plot height in lines."),
) -> None:
    """Plot FUNCTIONS over --range, with derivatives and tangent lines."""
    if output and Path(output).suffix.lower() not in (".png", ".svg"):
        raise InputError(f"--output {output}: the file name must end in .png or .svg",
                         hint="--output plot.png")
    if not 6 <= height <= 100:
        raise InputError(f"--height must be between 6 and 100, got {height}")
    from ..plotting import make_plot

    result = make_plot(list(functions), range_, derivative, tangent_at,
                       samples=600 if output else 240)
    if output:
        _write(result, output)
        return
    from ..render.plot_text import plot_renderable, plot_text

    width = min(_width(), 100)
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console

        Console().print(plot_renderable(result, width, height), end="")
        return
    sys.stdout.write(plot_text(result, width, height))


def _write(result, output: str) -> None:
    from ..outfile import write_with
    from ..render.plot_file import write_plot

    path = write_with(output, lambda tmp: write_plot(result, tmp))
    print(f"Wrote the plot to {path}")


def _width() -> int:
    from .graph import terminal_width

    return max(50, terminal_width())
