"""Stage 5, cli: command-line arguments → core call → printed renderables; the one error boundary.

Exit codes: 0 ok, 1 a checked answer is wrong, 2 bad input or usage, 3 internal error.
Heavy modules (SymPy, the core) are imported inside the commands, so ``--help`` and
``--version`` stay fast.
"""

from __future__ import annotations

import gc
import os
import sys

import typer

from .. import __version__
from . import check as check_cmd
from . import graph as graph_cmd
from . import plot as plot_cmd
from . import practice as practice_cmd
from . import problems as problems_cmd
from . import trace as trace_cmd

app = typer.Typer(
    name="gradtutor",
    help="Step-by-step derivatives and backpropagation: trace, solve and check.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"gradtutor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Step-by-step derivatives and backpropagation: trace, solve and check."""


trace_cmd.register(app)
problems_cmd.register(app)
check_cmd.register(app)
practice_cmd.register(app)
graph_cmd.register(app)
plot_cmd.register(app)


def main() -> None:
    """Run the app inside the one error boundary, then leave without interpreter teardown.

    Tearing down the many objects SymPy creates at import takes a noticeable share of a short
    run; everything is flushed first, and nothing else is left to clean up.
    """
    from .boundary import run
    from .encoding import prepare_streams

    prepare_streams()
    # A short-lived process: collecting cycles while SymPy builds its import-time objects
    # costs more than the memory it saves.
    gc.set_threshold(200_000, 50, 50)
    code = run(app)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: exit as if the output had been read
            pass
    os._exit(code)
