"""Render, trace: TraceResult → rich tables, markdown, LaTeX (Baydin-style) or JSON text."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..api import TraceResult
from ..numeric import format_value
from . import formula
from .trace_view import Options, Row, Section, View

FORMATS = ("table", "json", "markdown", "latex")


def sections(view: View) -> list[Section]:
    """The tables ``--show`` asks for (all by default), in reading order."""
    result, show = view.result, view.options.show
    found = []
    if "primal" in show:
        found.append(view.forward_section())
    if "partials" in show:
        found += [view.partial_section(), view.rules_section()]
    if result.mode in ("reverse", "both") and "adjoint" in show:
        found.append(view.adjoint_section())
    tangent = view.tangent_section() if "tangent" in show else None
    return found + ([tangent] if tangent is not None else [])


def header(result: TraceResult, options: Options) -> str:
    point = ", ".join(f"{k} = {format_value(v, options.digits, options.exact)}"
                      for k, v in result.point.items())
    lines = (line.split("#")[0].strip() for line in result.graph.source.splitlines())
    shown = "; ".join(line for line in lines if line)
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
        parts.append(_table(section, options.compact))
    if "result" in options.show:
        parts.append(Panel("\n".join(view.result_lines()), title="Result", title_align="left",
                           expand=False))
    return Group(*parts)


def _table(section: Section, compact: bool = False) -> Table:
    table = Table(title=section.title, title_justify="left", title_style="bold",
                  show_lines=not compact)
    for head in section.headers:
        table.add_column(head)
    for i, row in enumerate(section.rows):
        if section.omitted and i == len(section.rows) // 2:
            table.add_row(f"… {section.omitted} more rows (use --full to show all)")
        table.add_row(*row.cells)
    return table


def trace_text(result: TraceResult, fmt: str, options: Options | None = None,
               width: int = 120) -> str:
    """The trace in ``fmt`` as text without colour: table (rich's layout), text (plain
    fixed-width tables, what a pipe gets), markdown or latex."""
    options = options or Options()
    if fmt == "markdown":
        return _markdown(result, options)
    if fmt == "latex":
        return _latex(result, options)
    if fmt == "text":
        return _plain(result, options, width)
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, legacy_windows=False).print(
        trace_renderable(result, options))
    return buffer.getvalue()


def _plain(result: TraceResult, options: Options, width: int) -> str:
    from .trace_plain import plain_block, plain_section

    view = View(result, options)
    fix = options.transform or (lambda text: text)
    out = [line for part in fix(header(result, options)).splitlines()
           for line in plain_block("", [part], width)[1:]] + [""]
    for section in sections(view):
        out += plain_section(_transformed(section, fix), width, options.compact)
    if "result" in options.show:
        out += plain_block("Result", ["  " + fix(line) for line in view.result_lines()], width)
    return "\n".join(out) + "\n"


def _transformed(section: Section, fix: Callable[[str], str]) -> Section:
    rows = tuple(Row(tuple(fix(cell) for cell in row.cells)) for row in section.rows)
    return Section(fix(section.title), tuple(fix(h) for h in section.headers), rows,
                   section.omitted)


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
    if "result" in options.show:
        out += ["### Result", ""] + [f"- {line}" for line in view.result_lines()]
    return "\n".join(out) + "\n"


def _latex(result: TraceResult, options: Options) -> str:
    """Baydin, Tables 2–3 layout, plus the local partials, tangents and the result."""
    from .trace_latex import latex_tables

    checks = View(result, options).verification_lines() if "result" in options.show else []
    return latex_tables(result, options, formula, checks, options.standalone)
