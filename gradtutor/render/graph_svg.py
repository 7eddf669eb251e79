"""Stage 4, render: laid-out graph → a standalone SVG document (no Graphviz needed).

The geometry is the terminal drawing's (gradtutor.layout, in character cells), scaled to
pixels: rounded boxes with their lines of text, wires through cell centres with arrowheads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..graph import Graph
from ..layout import Picture
from .graph_text import LEGEND_PLAIN, LEGEND_VALUES, graph_picture

if TYPE_CHECKING:
    from ..api import TraceResult

CW, CH = 9, 18  # pixels per character cell
TOP = 3 * CH  # room for the title and legend


def _px(col: float, row: float) -> str:
    return f"{col * CW + CW / 2:.1f},{row * CH + CH / 2 + TOP:.1f}"


def graph_svg(graph: Graph, result: TraceResult | None = None, digits: int = 4) -> str:
    picture = graph_picture(graph, result, digits)
    title = "Computation graph: " + " ".join(graph.source.split())
    legend = LEGEND_VALUES if result is not None else LEGEND_PLAIN
    width = (max(picture.width, len(title), len(legend)) + 2) * CW
    height = picture.height * CH + TOP + CH
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, monospace" '
           'font-size="14">',
           f"<title>{escape(title)}</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>'
           "</defs>",
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{CW / 2}" y="{CH}" font-weight="bold">{escape(title)}</text>',
           f'<text x="{CW / 2}" y="{2 * CH}" fill="#555">{escape(legend)}</text>']
    for wire in picture.wires:
        points = list(wire.points)
        first, last = points[0], points[-1]
        dx, dy = (0.5, 0) if picture.direction == "LR" else (0, 0.5)
        ends = [_px(first[0] - dx, first[1] - dy), *(_px(*p) for p in points),
                _px(last[0] + dx, last[1] + dy)]
        out.append(f'<polyline points="{" ".join(ends)}" fill="none" stroke="#333" '
                   'stroke-width="1.4" marker-end="url(#arrow)"/>')
    out += _boxes(picture)
    return "\n".join(out + ["</svg>"]) + "\n"


def _boxes(picture: Picture) -> list[str]:
    out = []
    colours = ("#000", "#444", "#1f5fa8", "#b3361b")  # head, operation, primal, adjoint
    for box in picture.boxes:
        x, y = box.x * CW + CW / 2, box.y * CH + CH / 2 + TOP
        w, h = (box.width - 1) * CW, (box.height - 1) * CH
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
                   'fill="#f7f7f2" stroke="#333" stroke-width="1.2"/>')
        for i, line in enumerate(box.lines, start=1):
            tx, ty = (box.x + 2) * CW - CW / 2, (box.y + i) * CH + CH / 2 + TOP + 5
            out.append(f'<text x="{tx:.1f}" y="{ty:.1f}" fill="{colours[min(i - 1, 3)]}">'
                       f"{escape(line)}</text>")
    return out
