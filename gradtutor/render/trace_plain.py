"""Render, plain tables: trace sections → fixed-width text for pipes and files (no rich layout).

rich lays out every cell of every row to size its columns, about 1.4 ms a row; a 3 000-row
trace piped to a file or a pager does not need that. This writer sizes columns from the
longest line in each, shrinks the widest to fit the width, wraps cells that do not fit, and
writes each row in time proportional to its text.
"""

from __future__ import annotations

from collections.abc import Sequence

from .trace_view import Section

BAR, DOT = "\u0304", "\u0307"  # the combining bar and dot over v̄ and v̇ take no column
MIN_COLUMN = 5
SEPARATOR = " │ "


def display_width(text: str) -> int:
    return len(text) - text.count(BAR) - text.count(DOT)


def fit_widths(natural: Sequence[int], available: int) -> list[int]:
    """Column widths within ``available``: narrow columns keep their width, wide ones share."""
    if sum(natural) <= available:
        return list(natural)
    widths = list(natural)
    remaining = available
    order = sorted(range(len(natural)), key=lambda i: natural[i])
    for k, i in enumerate(order):
        share = remaining // (len(order) - k)
        widths[i] = min(natural[i], max(share, MIN_COLUMN))
        remaining -= widths[i]
    return widths


def _lines(cell: str, width: int) -> list[str]:
    out: list[str] = []
    for line in cell.split("\n"):
        out += [line] if display_width(line) <= width else wrap(line, width)
    return out


def wrap(line: str, width: int, indent: str = "  ") -> list[str]:
    """Greedy wrap at spaces (words longer than a line are cut); continuation lines indented.
    Linear in the line's length, unlike textwrap's general machinery."""
    indent = indent if width >= 4 * len(indent) else ""
    lead = line[:len(line) - len(line.lstrip(" "))]  # a line's own indent is kept
    out: list[str] = []
    current, size = lead, len(lead)
    for word in line[len(lead):].split(" "):
        need = display_width(word)
        if current.strip() and size + 1 + need <= width:
            current, size = f"{current} {word}", size + 1 + need
            continue
        if current.strip():
            out.append(current)
            current, size = indent, len(indent)
            if size + need <= width:
                current, size = current + word, size + need
                continue
        while size + need > width:  # cut a word that does not fit on a line of its own
            room = max(1, width - size)
            out.append(current + word[:room])
            word, current, size = word[room:], indent, len(indent)
            need = display_width(word)
        current, size = current + word, size + need
    out.append(current)
    return out


def _row(cells: Sequence[str], widths: list[int]) -> list[str]:
    wrapped = [_lines(cell, w) for cell, w in zip(cells, widths, strict=False)]
    height = max((len(lines) for lines in wrapped), default=1)
    out = []
    for k in range(height):
        parts = [(lines[k] if k < len(lines) else "") for lines in wrapped]
        padded = [p + " " * (w - display_width(p)) for p, w in zip(parts, widths, strict=False)]
        out.append(SEPARATOR.join(padded).rstrip())
    return out


def plain_section(section: Section, width: int, compact: bool) -> list[str]:
    """A section as lines: title, header, a rule, rows (a light rule between rows unless
    ``compact``), and the '… N more rows' line of a summary."""
    columns = len(section.headers)
    natural = [display_width(h) for h in section.headers]
    for row in section.rows:
        for i, cell in enumerate(row.cells[:columns]):
            natural[i] = max(natural[i], max(display_width(x) for x in cell.split("\n")))
    widths = fit_widths(natural, max(columns * MIN_COLUMN, width - 3 * (columns - 1)))
    rule = "─┼─".join("─" * w for w in widths)
    out = [*_lines(section.title, width), *_row(section.headers, widths),
           "═╪═".join("═" * w for w in widths)]
    for i, row in enumerate(section.rows):
        if section.omitted and i == len(section.rows) // 2:
            out.append(f"… {section.omitted} more rows (use --full to show all)")
        elif i and not compact:
            out.append(rule)
        out += _row(row.cells, widths)
    return out + [""]


def plain_block(title: str, lines: list[str], width: int) -> list[str]:
    """A titled block of lines (the result), each wrapped to ``width``."""
    out = [title]
    for line in lines:
        out += wrap(line, width, "    ") if display_width(line) > width else [line]
    return out
