"""Stage 5, cli: the `practice` command — an exercise asked cell by cell → summary; exit 0|1.

In a terminal the table grows above a rich prompt; with stdin not a terminal, answers are read
one per line and everything is printed as plain text (with ``--format json`` only the summary).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import typer

from ..errors import InputError

FORMATS = ("text", "json")

EXAMPLE = """Example:

    gradtutor practice --level 3 --seed 7

    gradtutor practice "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1 --mode reverse

    gradtutor practice ad_table --record progress.jsonl

    printf '0.15\\n0.25\\n' | gradtutor practice "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1

    gradtutor practice "h = W@x + b; L = sum(relu(h))" --at W=[[1,-1],[2,0]] --at x=[2,1],b=[0,-5]

    gradtutor practice --stats progress.jsonl

While practising type an answer (-16, -24/5, 1/(0.25); vectors [5, -1], matrices
[[1, 2], [3, 4]]) or: hint, skip, show, table, quit.
Exit codes: 0 every cell right, 1 some cell missed, 2 bad input.
"""


def register(app: typer.Typer) -> None:
    app.command("practice", help="Practise a forward/reverse table (or a problem) cell by cell, "
                                 "with hints.", epilog=EXAMPLE)(practice)


def practice(
    target: str = typer.Argument(None, help="An expression (with --at) or a problem NAME|FILE; "
                                            "none: a generated exercise."),
    at: list[str] = typer.Option(  # noqa: B008 - typer reads the default, never mutates it
        None, "--at", help="The point for an expression, e.g. x=0.3,w=0.5 or "
        "W=[[1,-1],[2,0]],x=[2,1]; repeatable."),
    at_file: str = typer.Option(None, "--at-file", help="Values from a .json, .yaml or .npz "
                                "file (name → number or nested list)."),
    part: str = typer.Option(None, "--part", help="Practise only this part of the problem."),
    level: int = typer.Option(1, "--level", help="Generated exercise level, 1 … 5."),
    seed: int = typer.Option(None, "--seed", help="Seed of the generated exercise."),
    mode: str = typer.Option("both", "--mode", help="both, forward or reverse."),
    print_json: bool = typer.Option(False, "--print-json", help="Print the exercise and its "
                                                                 "cells as JSON; ask nothing."),
    fmt: str = typer.Option("text", "--format", help="text, or json (only the summary)."),
    record: str = typer.Option(None, "--record", help="Append the session to this JSON-lines "
                                                       "file."),
    stats: str = typer.Option(None, "--stats", help="Summarise a record file and exit."),
) -> int:
    """Practise step by step: the tutor asks each cell, judges it, hints, and follows through."""
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r} is not one of: {', '.join(FORMATS)}",
                         hint="--format json")
    if stats:
        return _stats(stats, fmt)
    exercise = _exercise(target, [a for a in at or [] if a.strip()], at_file, part, level,
                         seed, mode)
    if print_json:
        sys.stdout.write(json.dumps(exercise.to_json(), indent=2, ensure_ascii=False) + "\n")
        return 0
    if record:
        from ..practice.record import check_writable

        check_writable(record)  # before the session, so that none is lost
    # A student at a terminal whose stdout is a file or pipe talks to the tutor on stderr.
    aside = fmt == "json" or not sys.stdout.isatty()  # stdout is kept for the result
    state = _terminal(exercise, _console(stderr=aside)) if sys.stdin.isatty() else \
        _piped(exercise, quiet=fmt == "json")
    return _report(state, fmt, record)


def _report(state: Any, fmt: str, record: str | None) -> int:
    """The summary (and the record line) of a finished session; the exit code."""
    from ..practice.record import append_record, session_record
    from ..practice.summary import summarize
    from ..render.practice import plain, summary_json, summary_renderable

    summary = summarize(state)
    if record:
        append_record(record, session_record(state, summary))
    if fmt == "json":
        sys.stdout.write(summary_json(state, summary))
    elif sys.stdout.isatty():
        _console().print(summary_renderable(summary))
    else:
        sys.stdout.write(plain(summary_renderable(summary)))
    return 0 if summary.passed else 1


def _exercise(target: str | None, at: list[str], at_file: str | None, part: str | None,
              level: int, seed: int | None, mode: str) -> Any:
    from ..practice.build import check_mode, expression_exercise, level_exercise

    check_mode(mode)
    if (at or at_file) and target is None:
        raise InputError("--at gives the point of an expression", hint='gradtutor practice '
                         '"h = W@x; L = sum(h)" --at W=[[1,2],[3,4]],x=[1,-1]')
    if part and (target is None or at or at_file):
        raise InputError("--part belongs to a problem", hint="gradtutor practice ad_table "
                                                             "--part table")
    if target is None:
        return level_exercise(level, seed, mode)
    if at or at_file:
        return expression_exercise(target, at, mode, at_file)
    if _is_problem(target):
        from ..practice.problem import problem_exercise

        return problem_exercise(target, part, mode)
    from ..tensor_hint import refuse_tensor_program

    refuse_tensor_program(target, at_file=True)  # vectors and matrices: say which values
    raise InputError(f"{target!r} is not a bundled problem, and an expression needs its point",
                     hint=f'gradtutor practice "{target}" --at x=1,y=2 (or see gradtutor '
                          "problems)")


def _is_problem(target: str) -> bool:
    from ..problems import bundled_names

    path = Path(target)
    return target in bundled_names() or path.suffix in (".yaml", ".yml") or path.is_file()


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(highlight=False, stderr=stderr)


def _terminal(exercise: Any, console: Any) -> Any:
    """The rich loop: the table so far, the prompt, the replies; Ctrl-C or EOF end it."""
    from rich.prompt import Prompt
    from rich.text import Text

    class Ask(Prompt):
        prompt_suffix = " "

    from ..practice.session import finish, start, step
    from ..render.practice import header, progress, reply

    state, shown = start(exercise), -1
    console.print(header(exercise))
    try:
        while state.current is not None:
            if state.position != shown:
                console.print()
                console.print(progress(state))
                shown = state.position
            began = time.monotonic()
            line = Ask.ask(Text(state.current.prompt, style="bold"), console=console)
            state, said = step(state, line, time.monotonic() - began)
            for message in said:
                console.print(progress(state) if message.kind == "table" else reply(message))
    except (EOFError, KeyboardInterrupt):
        console.print()
    return finish(state)


def _piped(exercise: Any, quiet: bool) -> Any:
    """Answers one per line from stdin; prompts and replies as plain text on stdout."""
    from ..practice.session import finish, start, step
    from ..render.practice import header, plain, progress, reply

    def say(renderable: Any) -> None:
        if not quiet:
            sys.stdout.write(plain(renderable))

    state = start(exercise)
    say(header(exercise))
    lines = iter(_read_line, "")
    while state.current is not None:
        began = time.monotonic()
        line = next(lines, None)
        if line is None:
            say("(end of input)")
            break
        line = line.rstrip("\r\n")
        if not quiet:
            sys.stdout.write(f"{state.current.prompt} {line}\n")
        state, said = step(state, line, time.monotonic() - began)
        for message in said:
            say(progress(state) if message.kind == "table" else reply(message))
    return finish(state)


def _read_line() -> str:
    """The next line of stdin; "" at its end, or when there is no stdin to read."""
    try:
        return sys.stdin.readline()
    except (OSError, ValueError):
        return ""


def _stats(path: str, fmt: str) -> int:
    from ..practice.stats import record_stats
    from ..render.practice import plain, stats_json, stats_renderable

    stats = record_stats(path)
    if fmt == "json":
        sys.stdout.write(stats_json(stats))
    else:
        sys.stdout.write(plain(stats_renderable(stats)))
    return 0
