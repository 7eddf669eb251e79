"""Stage 5, cli: printing a tensor trace (tables, markdown, JSON, LaTeX; --jacobians, --unroll)."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from ..errors import InputError


def print_tensor(result: Any, fmt: str, options: Any, jacobians: bool, unroll: bool,
                 width: int) -> None:
    from ..tensor_api import TensorTraceResult

    if not isinstance(result, TensorTraceResult):
        raise InputError("--unroll is for programs with vectors or matrices",
                         hint="give a vector value, e.g. --at x=[1,2]")
    if unroll and result.mode != "reverse":
        raise InputError("--unroll traces the unrolled scalar program in reverse mode only",
                         hint="drop --unroll for the tensor forward trace (JVPs), or drop "
                              "--mode to unroll")
    if unroll:
        _print_unrolled(result, fmt, options, width)
        return
    from ..render.tensor_trace import tensor_renderable, tensor_text

    if fmt == "latex":
        from ..render.tensor_latex import tensor_latex

        sys.stdout.write(tensor_latex(result, options, jacobians))
    elif fmt == "table" and sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console

        Console().print(tensor_renderable(result, options, jacobians))
    else:  # not a terminal (or NO_COLOR): plain fixed-width tables, as the scalar trace's
        sys.stdout.write(tensor_text(result, "text" if fmt == "table" else fmt, options,
                                     width, jacobians))
    from ..render.tensor_tangent import tangent_agrees

    if not result.verification.agrees or not tangent_agrees(result):  # a bug, as for scalars
        sys.stdout.flush()
        sys.stderr.write("Internal error: the adjoints disagree with an independent check "
                         "(see the report above).\nThis is a bug in gradtutor; please report "
                         "it with the command you ran.\n")
        raise typer.Exit(3)


def _print_unrolled(result: Any, fmt: str, options: Any, width: int) -> None:
    from ..tensor_unroll import unrolled_difference, unrolled_trace
    from .trace import print_scalar

    scalar = unrolled_trace(result)
    print_scalar(scalar, fmt, options, width)
    if fmt == "json":
        return
    gap = unrolled_difference(result, scalar)
    verdict = "equal" if gap <= 1e-30 else "DIFFER from"
    comment = "% " if fmt == "latex" else ""  # LaTeX ignores it, even after \end{document}
    sys.stdout.write(f"{comment}Unrolled: one scalar node per entry; its adjoints {verdict} "
                     f"the tensor trace's gradients entry by entry (max difference "
                     f"{gap:.1e}).\n")
