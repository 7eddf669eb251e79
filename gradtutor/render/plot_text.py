"""Stage 4, render: Plot → a terminal plot on a braille canvas (2×4 dots per character cell).

Curves are drawn run by run, so a jump leaves a gap instead of a vertical line; f is a solid
line, f′ dashed, a tangent line dotted; each curve carries a letter that the legend explains,
so the plot reads without colour. ``○`` marks a removable hole, ``●`` the point of tangency.
"""

from __future__ import annotations

import math

import sympy as sp

from ..plotting import Curve, Plot
from .formula import text as formula_text

DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row % 4][column % 2]
PATTERNS = {"f": None, "derivative": (3, 2), "tangent": (1, 2)}  # pixels on, pixels off
STYLES = {"f": "───", "derivative": "╌╌╌", "tangent": "┄┄┄"}
PALETTE = ("blue", "red", "green", "magenta", "cyan", "yellow", "bright_blue", "bright_red")

Cell = tuple[str, int | None]  # a character and the curve it belongs to


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]."""
    raw = (hi - lo) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    while first + len(ticks) * step <= hi + step * 1e-9:
        ticks.append(round(first + len(ticks) * step, 12))
    return ticks


def tick_text(value: float) -> str:
    text = f"{value:.4g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def y_limits(plot: Plot) -> tuple[float, float]:
    ys = [y for curve in plot.curves for run in curve.samples.runs for _, y in run]
    lo, hi = min(ys), max(ys)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.04
    return lo - pad, hi + pad


def curve_label(curve: Curve) -> str:
    var = str(curve.variable)
    if curve.kind == "derivative":
        return f"d/d{var} {curve.source} = {formula_text(curve.formula)}"
    if curve.kind == "tangent":
        line = curve.formula
        if line.has(sp.Float):
            line = line.evalf(6)
        return f"tangent to {curve.source}: y = {formula_text(line)}"
    return curve.source


def title(plot: Plot) -> str:
    sources = list(dict.fromkeys(curve.source for curve in plot.curves))
    kinds = {curve.kind for curve in plot.curves}
    what = ", ".join(sources[:-1]) + (" and " if len(sources) > 1 else "") + sources[-1]
    if "derivative" in kinds:
        what += " with " + ("its derivative" if len(sources) == 1 else "their derivatives")
    return f"{what} on [{tick_text(plot.lo)}, {tick_text(plot.hi)}]"


class Canvas:
    """Braille dots on a grid of ``width`` × ``height`` cells; y grows upwards."""

    def __init__(self, width: int, height: int, xlim: tuple[float, float],
                 ylim: tuple[float, float]) -> None:
        self.width, self.height, self.xlim, self.ylim = width, height, xlim, ylim
        self.bits = [[0] * width for _ in range(height)]
        self.owner: list[list[int | None]] = [[None] * width for _ in range(height)]
        self.marks: dict[tuple[int, int], Cell] = {}

    def pixel(self, x: float, y: float) -> tuple[int, int]:
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        px = round((x - x0) / (x1 - x0) * (2 * self.width - 1))
        py = round((y1 - y) / (y1 - y0) * (4 * self.height - 1))
        return px, py

    def dot(self, px: int, py: int, who: int) -> None:
        if 0 <= px < 2 * self.width and 0 <= py < 4 * self.height:
            self.bits[py // 4][px // 2] |= DOTS[py % 4][px % 2]
            self.owner[py // 4][px // 2] = who

    def line(self, points: list[tuple[int, int]], who: int,
             pattern: tuple[int, int] | None) -> None:
        count = 0
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            steps = max(abs(x1 - x0), abs(y1 - y0), 1)
            for i in range(steps):
                if pattern is None or count % sum(pattern) < pattern[0]:
                    self.dot(round(x0 + (x1 - x0) * i / steps),
                             round(y0 + (y1 - y0) * i / steps), who)
                count += 1
        if len(points) == 1 or pattern is None:
            self.dot(*points[-1], who)

    def mark(self, x: float, y: float, char: str, who: int | None) -> None:
        px, py = self.pixel(x, y)
        if 0 <= px < 2 * self.width and 0 <= py < 4 * self.height:
            self.marks[(py // 4, px // 2)] = (char, who)

    def cells(self) -> list[list[Cell]]:
        rows = []
        for r in range(self.height):
            row: list[Cell] = []
            for c in range(self.width):
                bits = self.bits[r][c]
                row.append(self.marks.get((r, c), (chr(0x2800 + bits) if bits else " ",
                                                  self.owner[r][c])))
            rows.append(row)
        return rows


def _draw_curves(canvas: Canvas, plot: Plot) -> None:
    for who, curve in enumerate(plot.curves):
        for run in curve.samples.runs:
            canvas.line([canvas.pixel(x, y) for x, y in run], who, PATTERNS[curve.kind])
        for x, y in curve.samples.holes:
            canvas.mark(x, y, "○", who)
    for tangent in plot.tangents:
        who = next(i for i, c in enumerate(plot.curves)
                   if c.source == tangent.source and c.kind == "f")
        canvas.mark(float(tangent.at), float(tangent.value), "●", who)
    _tag_curves(canvas, plot)


def _tag_curves(canvas: Canvas, plot: Plot) -> None:
    """Write each curve's letter next to it, spread along the x axis."""
    count = len(plot.curves)
    for who, curve in enumerate(plot.curves):
        points = [p for run in curve.samples.runs for p in run]
        x, y = points[int(len(points) * (who + 0.5) / count)]
        px, py = canvas.pixel(x, y)
        row, col = py // 4, min(px // 2, canvas.width - 1)
        for r in (row - 1, row + 1, row):
            if 0 <= r < canvas.height and (r, col) not in canvas.marks and \
                    (canvas.bits[r][col] == 0 or r == row):
                canvas.marks[(r, col)] = (chr(ord("a") + who), who)
                break


def plot_cells(plot: Plot, width: int = 80, height: int = 16) -> list[list[Cell]]:
    """Title, y labels, the canvas, x axis with ticks, and the legend, as rows of cells."""
    ylim = y_limits(plot)
    yticks = nice_ticks(*ylim)
    labels = [tick_text(t) for t in yticks]
    margin = max(map(len, labels)) + 1
    canvas = Canvas(width - margin - 1, height, (plot.lo, plot.hi), ylim)
    _draw_curves(canvas, plot)
    tick_rows = {canvas.pixel(plot.lo, t)[1] // 4: label for t, label in zip(yticks, labels,
                                                                             strict=True)}
    rows: list[list[Cell]] = [_plain(title(plot)), []]
    for r, cells in enumerate(canvas.cells()):
        label = tick_rows.get(r, "")
        rows.append(_plain(label.rjust(margin - 1) + (" ┤" if label else "  │")[-2:])
                    + cells)
    rows += _x_axis(canvas, plot, margin)
    for who, curve in enumerate(plot.curves):
        rows.append([(f"  {chr(ord('a') + who)} {STYLES[curve.kind]} ", who)]
                    + _plain(curve_label(curve)))
    return rows


def _x_axis(canvas: Canvas, plot: Plot, margin: int) -> list[list[Cell]]:
    axis = [" "] * (margin - 1) + ["└"] + ["─"] * canvas.width
    under = [" "] * (margin + canvas.width + 8)
    for tick in nice_ticks(plot.lo, plot.hi, 7):
        col = margin + canvas.pixel(tick, 0)[0] // 2
        axis[col] = "┬"
        label = tick_text(tick)
        start = max(0, min(col - len(label) // 2, len(under) - len(label)))
        if all(ch == " " for ch in under[max(0, start - 1): start + len(label) + 1]):
            under[start: start + len(label)] = list(label)
    return [_plain("".join(axis)), _plain("".join(under).rstrip())]


def _plain(text: str) -> list[Cell]:
    return [(text, None)] if text else []


def plot_text(plot: Plot, width: int = 80, height: int = 16) -> str:
    lines = ["".join(ch for ch, _ in row).rstrip() for row in plot_cells(plot, width, height)]
    return "\n".join(lines) + "\n"


def plot_renderable(plot: Plot, width: int = 80, height: int = 16):
    """The same plot as rich Text, each curve in its own colour."""
    from rich.text import Text

    out = Text()
    for row in plot_cells(plot, width, height):
        for chars, who in row:
            out.append(chars, style=PALETTE[who % len(PALETTE)] if who is not None else "")
        out.append("\n")
    return out
