"""Render, check: CheckResult → rich renderables, JSON and markdown (never computes)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..check.verdict import CheckResult, Verdict
from .numbers import format_value, json_number

MARKS = {"right": "✓ right", "wrong": "✗ wrong", "follows-through": "→ follows through"}


def check_renderable(result: CheckResult) -> Group:
    parts: list[Any] = [Text(_headline(result), style="bold")]
    if result.kind == "table":
        parts.append(_cells(result))
        first = result.first_wrong
        if first is not None:
            parts.append(Text(f"First wrong cell: {first.item}"))
            parts += [Text(f"  {line}") for line in first.feedback]
    else:
        for verdict in result.verdicts:
            parts += _verdict_lines(verdict)
    parts += [Text(note, style="dim") for note in result.notes]
    return Group(*parts)


def _headline(result: CheckResult) -> str:
    got, total = result.score
    state = "all right" if result.correct else f"{got} of {total} right" if total > 1 \
        else "wrong"
    return f"Check {result.title}: {state}"


def _verdict_lines(verdict: Verdict) -> list[Text]:
    lines = [Text(f"{MARKS[verdict.status]}  {verdict.item} = {verdict.given}")]
    if not verdict.correct:
        lines.append(Text(f"  expected: {verdict.expected}"))
    lines += [Text(f"  {line}") for line in verdict.feedback]
    if verdict.policy:
        lines.append(Text(f"  precision: {verdict.policy}", style="dim"))
    return lines


def _cells(result: CheckResult) -> Table:
    table = Table(show_header=True, header_style="bold")
    for column in ("cell", "yours", "verdict", "right value", "note"):
        table.add_column(column)
    for v in result.verdicts:
        note = v.feedback[0] if v.feedback and v.status != "right" else ""
        table.add_row(v.item, v.given, MARKS[v.status], v.expected, note)
    return table


def check_json(result: CheckResult) -> dict[str, Any]:
    got, total = result.score
    return {"kind": result.kind, "title": result.title, "correct": result.correct,
            "score": got, "out_of": total, "notes": list(result.notes),
            "items": [_verdict_json(v) for v in result.verdicts]}


def _verdict_json(v: Verdict) -> dict[str, Any]:
    item: dict[str, Any] = {"item": v.item, "verdict": v.status, "correct": v.correct,
                            "credit": v.credit, "given": v.given, "expected": v.expected,
                            "mistake": v.mistake or None, "feedback": list(v.feedback)}
    if v.policy:
        item["precision"] = v.policy
    if v.working:
        item["working"] = v.working
    if v.counterexample is not None:
        c = v.counterexample
        item["counterexample"] = {
            "point": {name: json_number(value) for name, value in c.point},
            "expected": json_number(c.expected),
            "given": None if c.given is None else json_number(c.given)}
    return item


def check_text(result: CheckResult, fmt: str, width: int = 100) -> str:
    """The result as plain text (table), JSON or markdown."""
    if fmt == "json":
        return json.dumps(check_json(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return check_markdown(result)
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(
        check_renderable(result))
    return buffer.getvalue()


def check_markdown(result: CheckResult) -> str:
    lines = [f"## {_headline(result)}", "", "| item | yours | verdict | right | feedback |",
             "| --- | --- | --- | --- | --- |"]
    for v in result.verdicts:
        feedback = " ".join(v.feedback).replace("|", "\\|")
        lines.append(f"| {v.item} | `{v.given}` | {MARKS[v.status]} | `{v.expected}` | "
                     f"{feedback} |")
    lines += ["", *(f"_{note}_" for note in result.notes)]
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["check_renderable", "check_json", "check_text", "check_markdown", "format_value"]
