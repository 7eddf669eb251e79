"""Gradebook writers (feed cli): ClassResult → the summary CSV, or an LMS export filled in.

Every cell we write is safe in a spreadsheet: text starting with = + - @ (or a tab or carriage
return) gets a leading ' so it cannot run as a formula, and control characters are shown as
\\x.. escapes. Canvas and Moodle gradebooks are filled in their own exported layout: each row is
matched to a sheet by the roster's id, login and email columns (and the student's name).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ProblemFileError

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LMS_KEYS = {
    "canvas": ("ID", "SIS User ID", "SIS Login ID", "Login ID", "Email", "Student"),
    "moodle": ("ID number", "Username", "Email address"),
}


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: no formula, no control characters."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text):
        return "'" + text
    return text


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [[safe_cell(c) for c in row] for row in rows])
    return buffer.getvalue()


def summary_csv(result: Any) -> str:
    """One row per sheet in the order given; an unreadable sheet is a row with its error."""
    header = ["student", "sheet", *result.part_ids, "parts_right", "parts_total",
              "items_right", "items_total", "error"]
    rows = [header]
    for outcome in result.outcomes():
        if hasattr(outcome, "parts"):
            status = {p.id: p.status.replace("-", " ") for p in outcome.parts}
            (right, parts), (items, total) = outcome.score, outcome.item_score
            rows.append([outcome.student, outcome.sheet,
                         *(status.get(i, "") for i in result.part_ids),
                         str(right), str(parts), str(items), str(total), ""])
        else:
            rows.append([Path(outcome.sheet).stem, outcome.sheet,
                         *("" for _ in result.part_ids), "", "", "", "",
                         " ".join(outcome.message.split())])
    return _csv(rows)


@dataclass(frozen=True)
class Filled:
    text: str  # the roster as CSV with the score column
    matched: int
    unmatched: tuple[str, ...]  # sheets with no roster row (or several)


def read_roster(text: str, lms: str, name: str) -> list[list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise ProblemFileError(f"{name}: not a CSV file the way {lms} exports it: {err}") \
            from None
    if not rows or not set(rows[0]) & set(LMS_KEYS[lms]):
        raise ProblemFileError(f"{name}: no {lms} identity column in the header",
                               hint=f"export the gradebook from {lms.title()}; its header has "
                                    f"{', '.join(LMS_KEYS[lms][:3])}")
    return rows


def fill_roster(result: Any, rows: list[list[str]], lms: str, column: str) -> Filled:
    """Add (or replace) ``column`` with each matched student's points (items with credit)."""
    header = rows[0]
    keys = [i for i, h in enumerate(header) if h.strip() in LMS_KEYS[lms]]
    at = header.index(column) if column in header else len(header)
    sheets = list(result.sheets)
    owner: dict[int, list[int]] = {}
    for r, row in enumerate(rows[1:], start=1):
        names = _row_names(row, keys, header)
        hits = [k for k, s in enumerate(sheets) if names & _sheet_names(s)]
        for k in hits:
            owner.setdefault(k, []).append(r)
    out = [list(row) + [""] * (at + 1 - len(row)) for row in rows]
    out[0][at] = column
    total = max((s.item_score[1] for s in sheets), default=0)
    for row in out[1:]:
        if row[0].strip() == "Points Possible":
            row[at] = str(total)
    matched, unmatched = 0, []
    for k, sheet in enumerate(sheets):
        places = owner.get(k, [])
        if len(places) != 1:
            unmatched.append(sheet.sheet)
            continue
        out[places[0]][at] = str(sheet.item_score[0])
        matched += 1
    unmatched += [e.sheet for e in result.errors]
    return Filled(_csv(out), matched, tuple(unmatched))


def _row_names(row: list[str], keys: list[int], header: list[str]) -> set[str]:
    names = {row[i].strip().casefold() for i in keys if i < len(row) and row[i].strip()}
    cells = {h.strip(): row[i].strip() for i, h in enumerate(header) if i < len(row)}
    if "," in cells.get("Student", ""):  # Canvas: "Last, First"
        last, first = cells["Student"].split(",", 1)
        names.add(f"{first.strip()} {last.strip()}".casefold())
    if cells.get("First name") and cells.get("Last name"):
        names.add(f"{cells['First name']} {cells['Last name']}".casefold())
    names |= {n.split("@")[0] for n in set(names) if "@" in n}
    return names


def _sheet_names(sheet: Any) -> set[str]:
    stem = Path(sheet.sheet).stem.casefold()
    tokens = set(re.split(r"[_\-. ]+", stem)) - {""}
    return {sheet.student.casefold(), stem, *tokens, *(i.casefold() for i in sheet.ids)}
