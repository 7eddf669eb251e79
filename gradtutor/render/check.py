"""Render, check: CheckResult → rich renderables, JSON and markdown (never computes)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..check.verdict import CheckResult, Verdict
from .numbers import format_value, json_number

MARKS = {"right": "✓ right", "wrong": "✗ wrong", "follows-through": "→ follows through",
         "not-checked": "? not checked", "not-answered": "– not answered",
         "unreadable": "✗ could not read", "partly-answered": "– partly answered"}


def check_renderable(result: Any) -> Group:
    if result.kind in ("sheet", "class"):
        return sheet_renderable(result) if result.kind == "sheet" else class_renderable(result)
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
        note = v.feedback[0] if v.feedback else ""  # a right cell: only a remark on its working
        table.add_row(*(Text(cell) for cell in (v.item, v.given, MARKS[v.status], v.expected,
                                                note)))  # Text: a student's [..] is no markup
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


def check_text(result: Any, fmt: str, width: int = 100) -> str:
    """The result (a check, an answer sheet or a class) as plain text (table), JSON or markdown."""
    sheets = result.kind in ("sheet", "class")
    if sheets and fmt != "table":
        return sheet_markdown(result) if fmt == "markdown" else \
            json.dumps(sheet_document(result), indent=2, ensure_ascii=False) + "\n"
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


# Answer sheets and class summaries (results of gradtutor.check.sheet).

def sheet_renderable(sheet: Any) -> Group:
    lines: list[Any] = [Text(f"Check {sheet.problem}, answers of {sheet.student} "
                             f"({sheet.sheet})", style="bold"),
                        Text(f"Score: {_sheet_score(sheet)}", style="bold")]
    for part in sheet.parts:
        lines.append(Text(f"Part {part.id}: {MARKS[part.status]}"
                          f"{_items(part) if len(part.verdicts) > 1 else ''}"
                          f" — {_first_line(part.statement)}"))
        if part.status == "not-answered":
            continue
        for verdict in part.verdicts:
            lines += [Text(f"  {line}") for line in _sheet_lines(verdict)]
        lines += [Text(f"  {note}", style="dim") for note in part.notes]
    return Group(*lines)


def _sheet_score(sheet: Any) -> str:
    (right, parts), (items, total) = sheet.score, sheet.item_score
    return f"{right} of {parts} parts right ({items} of {total} items)"


def _items(part: Any) -> str:
    got, total = part.score
    return f" ({got} of {total})"


def _first_line(text: str, width: int = 72) -> str:
    """The statement's first sentence, cut to ``width`` characters."""
    flat = " ".join(text.split())
    for end in (". ", "? ", ": "):
        if end in flat:
            flat = flat[:flat.index(end) + 1]
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"


def _sheet_lines(verdict: Verdict) -> list[str]:
    shown = f" = {verdict.given}" if verdict.given or verdict.status != "not-answered" else ""
    lines = [f"{MARKS[verdict.status]}  {verdict.item}{shown}"]
    if verdict.status == "right":
        return lines + [f"  {f}" for f in verdict.feedback if not f.startswith("Right")]
    if verdict.expected:
        lines.append(f"  expected: {verdict.expected}")
    lines += [f"  {line}" for line in verdict.feedback]
    if verdict.policy and verdict.status == "wrong":
        lines.append(f"  precision: {verdict.policy}")
    return lines


SHORT = {"right": "✓", "wrong": "✗", "not-answered": "–", "not-checked": "?",
         "partly-answered": "½"}


def class_renderable(result: Any) -> Group:
    table = Table(show_header=True, header_style="bold")
    for column in ("student", *result.part_ids, "parts", "items"):
        table.add_column(column)
    for sheet in result.sheets:
        status = {p.id: SHORT[p.status] for p in sheet.parts}
        (right, parts), (items, total) = sheet.score, sheet.item_score
        table.add_row(Text(sheet.student), *(status[i] for i in result.part_ids),
                      f"{right}/{parts}", f"{items}/{total}")
    counts = _part_counts(result)
    table.add_row("right", *(f"{counts[i]}/{len(result.sheets)}" for i in result.part_ids),
                  "", "")
    lines: list[Any] = [Text(f"Check {result.problem}: {len(result.sheets)} answer sheet"
                             f"{'s' * (len(result.sheets) != 1)}", style="bold"), table,
                        Text("✓ right  ✗ wrong  ½ partly answered  – not answered  ? not checked",
                             style="dim")]
    lines += [Text(f"Not checked (bad sheet, see the errors): {e.sheet}") for e in result.errors]
    return Group(*lines)


def _part_counts(result: Any) -> dict[str, int]:
    return {i: sum(p.status == "right" for s in result.sheets for p in s.parts if p.id == i)
            for i in result.part_ids}


def sheet_document(result: Any) -> dict[str, Any]:
    """JSON for graders: one sheet, or a class with every sheet and a per-part count."""
    if result.kind == "sheet":
        return _sheet_json(result)
    counts = _part_counts(result)
    return {"kind": "class", "problem": result.problem, "title": result.title,
            "correct": result.correct,
            "parts": [{"id": i, "right": counts[i], "of": len(result.sheets)}
                      for i in result.part_ids],
            "students": [_sheet_json(s) for s in result.sheets],
            "errors": [{"sheet": e.sheet, "error": e.message} for e in result.errors]}


def _sheet_json(sheet: Any) -> dict[str, Any]:
    (right, parts), (items, total) = sheet.score, sheet.item_score
    return {"kind": "sheet", "problem": sheet.problem, "title": sheet.title,
            "student": sheet.student, "sheet": sheet.sheet, "correct": sheet.correct,
            "score": {"parts": right, "parts_out_of": parts, "items": items,
                      "items_out_of": total},
            "parts": [{"id": p.id, "kind": p.kind, "verdict": p.status,
                       "correct": p.status == "right", "score": p.score[0],
                       "out_of": p.score[1], "notes": list(p.notes),
                       "items": [_verdict_json(v) for v in p.verdicts]} for p in sheet.parts]}


def sheet_markdown(result: Any) -> str:
    if result.kind == "class":
        ids = result.part_ids
        lines = [f"## Check {result.problem}: {len(result.sheets)} answer sheets", "",
                 f"| student | {' | '.join(ids)} | parts | items |",
                 f"| --- | {' | '.join('---' for _ in ids)} | --- | --- |"]
        for row in summary_rows(result):
            lines.append("| " + " | ".join(row[:1] + row[2:2 + len(ids)]) +
                         f" | {row[-5]}/{row[-4]} | {row[-3]}/{row[-2]} |")
        return "\n".join(lines) + "\n"
    lines = [f"## Check {result.problem}, answers of {result.student}: {_sheet_score(result)}",
             "", "| item | yours | verdict | right | feedback |", "| --- | --- | --- | --- | --- |"]
    for part in result.parts:
        for v in part.verdicts:
            feedback = " ".join(v.feedback).replace("|", "\\|")
            lines.append(f"| {v.item} | `{v.given}` | {MARKS[v.status]} | `{v.expected}` | "
                         f"{feedback} |")
    return "\n".join(lines) + "\n"


def summary_rows(result: Any) -> list[list[str]]:
    """Gradebook rows: student, sheet, one verdict per part, scores, error."""
    rows = []
    for sheet in result.sheets:
        status = {p.id: p.status.replace("-", " ") for p in sheet.parts}
        (right, parts), (items, total) = sheet.score, sheet.item_score
        rows.append([sheet.student, sheet.sheet, *(status[i] for i in result.part_ids),
                     str(right), str(parts), str(items), str(total), ""])
    for error in result.errors:
        from pathlib import Path

        rows.append([Path(error.sheet).stem, error.sheet, *("" for _ in result.part_ids),
                     "", "", "", "", error.message.splitlines()[0]])
    return rows


def summary_csv(result: Any) -> str:
    import csv
    from io import StringIO

    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "sheet", *result.part_ids, "parts_right", "parts_total",
                     "items_right", "items_total", "error"])
    writer.writerows(summary_rows(result))
    return buffer.getvalue()


__all__ = ["check_renderable", "check_json", "check_text", "check_markdown", "format_value",
           "sheet_document", "summary_csv"]
