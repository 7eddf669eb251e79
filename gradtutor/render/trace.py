"""Render, trace: TraceResult → rich tables, markdown, LaTeX (Baydin-style) or JSON text."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..api import TraceResult
from ..local import node_formula
from ..numeric import format_value
from . import formula
from .trace_view import Options, Section, View

FORMATS = ("table", "json", "markdown", "latex")


def sections(view: View) -> list[Section]:
    result = view.result
    found = [view.forward_section(), view.partial_section(), view.rules_section()]
    if result.mode in ("reverse", "both"):
        found.append(view.adjoint_section())
    tangent = view.tangent_section()
    return found + ([tangent] if tangent is not None else [])


def header(result: TraceResult, options: Options) -> str:
    point = ", ".join(f"{k} = {format_value(v, options.digits, options.exact)}"
                      for k, v in result.point.items())
    shown = "; ".join(line.strip() for line in result.graph.source.splitlines() if line.strip())
    shown = shown if len(shown) <= 100 else shown[:97] + "…"
    return (f"{shown}   at {point}\n{_count(len(result.graph.inputs), 'input')}, "
            f"{_count(len(result.graph.steps), 'operation')}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def trace_renderable(result: TraceResult, options: Options | None = None) -> Group:
    """The whole trace as one rich renderable."""
    options = options or Options()
    view = View(result, options)
    parts: list[Any] = [Text(header(result, options), style="bold")]
    for section in sections(view):
        parts.append(_table(section))
    parts.append(Panel("\n".join(view.result_lines()), title="Result", title_align="left",
                       expand=False))
    return Group(*parts)


def _table(section: Section) -> Table:
    table = Table(title=section.title, title_justify="left", title_style="bold",
                  show_lines=True)
    for head in section.headers:
        table.add_column(head)
    for i, row in enumerate(section.rows):
        if section.omitted and i == len(section.rows) // 2:
            table.add_row(f"… {section.omitted} more rows (use --full to show all)")
        table.add_row(*row.cells)
    return table


def trace_text(result: TraceResult, fmt: str, options: Options | None = None,
               width: int = 120) -> str:
    """The trace in ``fmt`` (table, json, markdown, latex) as text without colour."""
    options = options or Options()
    if fmt == "markdown":
        return _markdown(result, options)
    if fmt == "latex":
        return _latex(result, options)
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, legacy_windows=False).print(
        trace_renderable(result, options))
    return buffer.getvalue()


def _markdown(result: TraceResult, options: Options) -> str:
    view = View(result, options)
    out = [f"**{header(result, options).splitlines()[0]}**", ""]
    for section in sections(view):
        out += [f"### {section.title}", "", "| " + " | ".join(section.headers) + " |",
                "|" + "---|" * len(section.headers)]
        for row in section.rows:
            cells = [c.replace("\n", "<br>").replace("|", "\\|") for c in row.cells]
            out.append("| " + " | ".join(cells) + " |")
        if section.omitted:
            out.append(f"\n… {section.omitted} more rows (use --full to show all)")
        out.append("")
    out += ["### Result", ""] + [f"- {line}" for line in view.result_lines()]
    return "\n".join(out) + "\n"


def _latex(result: TraceResult, options: Options) -> str:
    """Baydin, Tables 2–3 layout: forward primal trace and reverse adjoint trace."""
    from .trace_latex import latex_tables

    return latex_tables(result, options, node_formula, formula)
