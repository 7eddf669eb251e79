"""Report model (feeds every writer): a SheetResult (or an unreadable sheet) → Graded tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MARKS = {"right": "✓ right", "wrong": "✗ wrong", "follows-through": "→ follows through",
         "not-checked": "? not checked", "not-answered": "– not answered",
         "unreadable": "✗ could not read"}


@dataclass(frozen=True)
class Test:
    """One graded test: a part, or one cell of a table part; points are items with credit."""

    name: str
    number: str
    score: int
    max_score: int
    output: str  # markdown
    passed: bool


@dataclass(frozen=True)
class Graded:
    """One submission: its tests, or the reason it could not be read (then no tests)."""

    student: str
    sheet: str
    tests: tuple[Test, ...]
    error: str = ""

    @property
    def score(self) -> int:
        return sum(t.score for t in self.tests)

    @property
    def max_score(self) -> int:
        return sum(t.max_score for t in self.tests)

    @property
    def gradable(self) -> bool:
        return not self.error


def graded(result: Any) -> Graded:
    """Tests of a SheetResult: one per part; a trace part with a table, one per cell."""
    tests: list[Test] = []
    for number, part in enumerate(result.parts, start=1):
        title = f"Part {part.id}: {_first_line(part.statement)}"
        if (part.kind == "trace" or _has_table(part)) and len(part.verdicts) > 1:
            tests += [_test(f"Part {part.id} — {v.item}", f"{number}.{k}", (v,), ())
                      for k, v in enumerate(part.verdicts, start=1)]
        else:
            tests.append(_test(title, str(number), part.verdicts, part.notes))
    return Graded(result.student, result.sheet, tuple(tests))


def _has_table(part: Any) -> bool:
    """A tensor part answered with a table: its cells' items are "<part id>: <cell>"."""
    return any(v.item.startswith(f"{part.id}: ") for v in part.verdicts)


def unreadable(sheet: str, student: str, message: str) -> Graded:
    return Graded(student, sheet, (), message)


def _test(name: str, number: str, verdicts: tuple, notes: tuple[str, ...]) -> Test:
    counted = [v for v in verdicts if v.status != "not-checked"]
    score = sum(bool(v.credit) for v in counted)
    lines = []
    for v in verdicts:
        lines.append(f"**{MARKS.get(v.status, v.status)}** `{v.item}`"
                     + (f" = `{_code(v.given)}`" if v.given else ""))
        if v.status != "right" and v.expected:
            lines.append(f"expected: `{_code(v.expected)}`")
        lines += [f"`{line.strip()}`" if line.startswith(" ") else line for line in v.feedback]
    lines += [f"_{note}_" for note in notes]
    return Test(name, number, score, len(counted), "\n\n".join(lines).strip() + "\n",
                score == len(counted))


def _code(text: str) -> str:
    return text.replace("`", "'")


def _first_line(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    for end in (". ", "? ", ": "):
        if end in flat:
            flat = flat[:flat.index(end) + 1]
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"
