"""Render, practice: session state, replies, summary, record stats → rich renderables / text."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..graph import definition, vname
from ..practice.exercise import ADJOINT, PRIMAL, Exercise, adjoint_id, answer_text, primal_id
from ..practice.generate import LEVELS
from ..practice.session import Message, State
from ..practice.stats import Stats
from ..practice.summary import Summary

STYLES = {"right": "green", "follows-through": "yellow", "wrong": "red", "shown": "cyan",
          "skipped": "dim", "follows": "yellow", "hint": "magenta", "answer": "cyan",
          "info": "dim", "error": "bold red"}
MARKS = {"right": "✓", "follows-through": "→", "wrong": "✗", "shown": "·", "skipped": "·"}


def header(exercise: Exercise) -> Text:
    text = Text("Practice: ", style="bold")
    text.append(exercise.title or exercise.expression, style="bold")
    if exercise.at:
        text.append("  at " + ", ".join(f"{n} = {v}" for n, v in exercise.at))
    if exercise.level:
        text.append(f"\nLevel {exercise.level}: {LEVELS[exercise.level]}.", style="dim")
        text.append(f"\nThe same exercise again: gradtutor practice --level {exercise.level} "
                    f"--seed {exercise.seed}", style="dim")
    what = {"both": "the forward primals, then the adjoints", "forward": "the forward primals",
            "reverse": "the adjoints (the primals are given)"}[exercise.mode]
    if exercise.statement:
        text.append(f"\n{exercise.statement}")
    if exercise.result is not None:
        text.append(f"\nFill in {what}, one cell at a time.")
    for note in exercise.notes:
        text.append(f"\n{note}", style="dim")
    answers = "a formula (2*(p - y)) or a number" if any(
        c.kind == "formula" for c in exercise.cells) else "a number (-16, -24/5, 1/(0.25))"
    if any(c.shape for c in exercise.cells):
        answers += " or a nested list ([5, -1], [[1, 2], [3, 4]])"
    if any(c.kind == "shape" for c in exercise.cells):
        answers += " or a shape (2x3, 4, scalar)"
    text.append(f"\nType {answers} or: hint, skip, show, table, quit.", style="dim")
    return text


def progress(state: State) -> RenderableType:
    """The table so far: the student's values coloured by verdict, "?" on the asked cell."""
    cell = state.current
    part = cell.part if cell is not None else ""
    result = state.exercise.trace_of(cell) if cell is not None and cell.kind in (
        PRIMAL, ADJOINT) else state.exercise.result
    if result is None:
        return _parts(state)
    if hasattr(result, "jacobian_arrays"):  # a TensorTraceResult: vector and matrix cells
        from .practice_tensor import tensor_progress

        return tensor_progress(state, result, _value)
    filled, asked = state.filled(), cell.id if cell is not None else ""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("node", "definition", "primal", "adjoint v̄"):
        table.add_column(column)
    for node in result.graph.nodes:
        label = f"{vname(node.index)} ({node.name})" if node.name else vname(node.index)
        primal = _value(filled, asked, primal_id(node.index, part), state) if node.op != \
            "input" else Text(answer_text(result.forward.value(node.index)))
        adjoint = _value(filled, asked, adjoint_id(node.index, part), state)
        table.add_row(label, definition(node), primal, adjoint)
    return table


def _value(filled: dict[str, tuple[str, str]], asked: str, cid: str, state: State) -> Text:
    if cid == asked:
        return Text("?", style="bold reverse")
    if cid in filled:
        text, status = filled[cid]
        shown = text.replace("-", "−")
        return Text(f"{shown} {MARKS.get(status, '')}".strip(), style=STYLES.get(status, ""))
    known = {c.id for c in state.exercise.cells}
    return Text("" if cid in known else "·", style="dim")


def _parts(state: State) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("part")
    table.add_column("yours")
    filled = state.filled()
    for cell in state.exercise.cells:
        text, status = filled.get(cell.id, ("?" if cell is state.current else "", ""))
        table.add_row(cell.label, Text(f"{text} {MARKS.get(status, '')}".strip(),
                                       style=STYLES.get(status, "")))
    return table


def reply(message: Message) -> Text:
    return Text(("  " if message.kind != "table" else "") + message.text,
                style=STYLES.get(message.kind, ""))


def summary_renderable(summary: Summary) -> Group:
    lines = [Text(f"Score: {summary.credit}/{summary.cells}", style="bold"),
             Text(f"Right first time: {summary.right_first} of {summary.cells}"),
             Text(f"Hints used: {summary.hints}")]
    if summary.mistakes:
        lines.append(Text("Mistakes: " + ", ".join(f"{k} ×{n}" for k, n in summary.mistakes)))
    if not summary.completed:
        lines.append(Text("Stopped before the end; the cells not done count as unanswered.",
                          style="dim"))
    lines.append(Text(f"Review: {summary.review}", style="bold cyan"))
    return Group(Text(""), *lines)


def summary_json(state: State, summary: Summary) -> str:
    doc: dict[str, Any] = {"passed": summary.passed, "score": [summary.credit, summary.cells],
                           **{k: v for k, v in asdict(summary).items() if k != "mistakes"},
                           "mistakes": dict(summary.mistakes),
                           "exercise": state.exercise.to_json(),
                           "records": [asdict(r) for r in state.records]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def stats_renderable(stats: Stats) -> Group:
    share = (lambda a, b: f"{100 * a / b:.0f}%" if b else "–")  # noqa: E731
    lines: list[RenderableType] = [Text(f"Record file: {stats.path}"), Text(
        f"{stats.sessions} sessions, {stats.cells} cells, right first time "
        f"{share(stats.right_first, stats.cells)}, with credit {share(stats.credit, stats.cells)}"
        f", hints {stats.hints}", style="bold")]
    levels = Table("level", "sessions", "cells", "right first", "credit", "first → latest",
                   header_style="bold", box=None, pad_edge=False)
    for lv in stats.levels:
        levels.add_row(lv.level, str(lv.sessions), str(lv.cells), share(lv.right_first, lv.cells),
                       share(lv.credit, lv.cells), f"{lv.first:.0%} → {lv.last:.0%}")
    lines += [Text(""), levels]
    if stats.mistakes:
        kinds = Table("mistake", "times", "sessions", "last seen", header_style="bold",
                      box=None, pad_edge=False)
        for m in stats.mistakes:
            kinds.add_row(m.kind, str(m.times), str(m.sessions), m.last_seen)
        lines += [Text(""), kinds]
    if stats.bad_lines:
        lines.append(Text(f"Skipped lines that are not sessions: "
                          f"{', '.join(map(str, stats.bad_lines))}", style="dim"))
    return Group(*lines)


def stats_json(stats: Stats) -> str:
    return json.dumps(asdict(stats), indent=2, ensure_ascii=False) + "\n"


def plain(renderable: RenderableType, width: int = 1000) -> str:
    """Plain text (no colour, no control codes, lines not wrapped) for pipes and tests."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, force_terminal=False).print(renderable)
    return out.getvalue()
