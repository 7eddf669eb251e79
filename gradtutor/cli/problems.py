"""Stage 5, cli: problems, show, solve, schema — arguments → problem files → printed text."""

from __future__ import annotations

import json
import os
import sys

import typer

from ..errors import InputError

FORMATS = ("table", "json", "markdown", "latex")

SOLVE_EXAMPLE = """Example:

    gradtutor solve ad_table
    gradtutor solve squared_error_logistic --part f --format markdown
    gradtutor solve my_sheet.yaml --format json
"""


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("problems", help="List the bundled problems.",
                epilog="Example:\n\n    gradtutor problems --format json\n")(problems)
    app.command("show", help="Print a problem's statement only (try it first).",
                epilog="Example:\n\n    gradtutor show lagrange_multipliers\n")(show)
    app.command("solve", help="Solve a problem file part by part, as a model solution.",
                epilog=SOLVE_EXAMPLE)(solve)
    app.command("schema", help="Print the JSON Schema of problem files (for editors).",
                epilog="Example:\n\n    gradtutor schema > problem.schema.json\n")(schema)


def problems(
    fmt: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """List the bundled problems: name, title, topics, number of parts."""
    _choice(fmt, ("table", "json"))
    from ..problems import list_outlines

    found = list_outlines()
    if fmt == "json":
        rows = [{"name": p.name, "title": p.title, "topics": list(p.topics),
                 "parts": len(p.parts)} for p in found]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    table = Table(title="Bundled problems (gradtutor solve NAME)", title_justify="left")
    for head in ("name", "title", "topics", "parts"):
        table.add_column(head)
    for p in found:
        table.add_row(p.name, p.title, ", ".join(p.topics), str(len(p.parts)))
    _print(table)


def show(problem: str = typer.Argument(..., help="A bundled name or a YAML file.")) -> None:
    """Print the statement of PROBLEM and its parts, without solutions."""
    from ..problems import read_outline

    p = read_outline(problem)
    lines = [f"# {p.title}", "", p.statement.strip(), ""]
    for part_id, kind, statement in p.parts:
        lines += [f"## Part {part_id}", "", statement.strip() or f"({kind})", ""]
    text = "\n".join(lines) + "\n"
    if _styled():
        from rich.markdown import Markdown

        _print(Markdown(text))
    else:
        sys.stdout.write(text)


def solve(
    problem: str = typer.Argument(..., help="A bundled name or a YAML file."),
    part: str = typer.Option(None, "--part", help="Solve only the part with this id."),
    fmt: str = typer.Option("table", "--format", help="table, json, markdown or latex."),
) -> None:
    """Solve every part of PROBLEM (or one) and print the worked solution."""
    _choice(fmt, FORMATS)
    from ..render.solve import solution_renderable, solution_text
    from ..solve import solve as run_solve

    solution = run_solve(problem, part)
    if fmt == "table" and _styled():
        _print(solution_renderable(solution))
    else:
        sys.stdout.write(solution_text(solution, fmt, width=_width()))
    if not solution.answers_ok:  # the file's model answer disagrees with the solver
        raise typer.Exit(1)


def schema() -> None:
    """Print the JSON Schema of the problem-file format."""
    from ..problem_schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


def _styled() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _print(renderable: object) -> None:
    from rich.console import Console

    if _styled():
        Console(width=min(Console().width, MAX_WIDTH)).print(renderable)
    else:
        Console(file=sys.stdout, width=_width(), color_system=None).print(renderable)


MAX_WIDTH = 1000  # COLUMNS past this is a mistake (and rich would allocate for it)


def _width() -> int:
    try:
        return min(max(80, int(os.environ.get("COLUMNS", ""))), MAX_WIDTH)
    except ValueError:
        return 100


def _choice(value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError(f"--format {value!r} is not one of: {', '.join(allowed)}",
                         hint=f"e.g. --format {allowed[0]}")
