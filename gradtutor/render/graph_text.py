"""Stage 4, render: graph (+ trace values) → the computation graph in box-drawing characters.

Every picture format starts from :func:`node_texts` (what a box says) and, for text and SVG,
from gradtutor.layout (where it goes). Here the geometry becomes a character grid: rounded
boxes for nodes, line-drawing wires between them, ``▶`` where a wire enters its consumer.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..errors import LimitError
from ..graph import Graph, Node, definition, vname
from ..layout import Picture, layout, text_width
from ..numeric import format_value
from ..rules import RULES

if TYPE_CHECKING:
    from ..api import TraceResult

MAX_DRAWN = 60  # nodes; beyond this no layout is legible in a terminal

LEGEND_VALUES = "Each box: v-number and name / operation / primal value / adjoint v̄ = ∂y/∂v"
LEGEND_PLAIN = "Each box: v-number and name / operation"

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
_LINES = {
    LEFT | RIGHT: "─", UP | DOWN: "│", DOWN | RIGHT: "┌", DOWN | LEFT: "┐", UP | RIGHT: "└",
    UP | LEFT: "┘", UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤", LEFT | RIGHT | DOWN: "┬",
    LEFT | RIGHT | UP: "┴", UP | DOWN | LEFT | RIGHT: "┼", LEFT: "─", RIGHT: "─", UP: "│",
    DOWN: "│",
}


def node_head(node: Node) -> str:
    """First line of a box: v-number, the user's name, and a tensor's shape if it has one."""
    shape = getattr(node, "shape", ())
    head = vname(node.index) + (f" {node.name}" if node.name else "")
    return head + (f" [{'×'.join(map(str, shape))}]" if shape else "")


def node_op(node: Node) -> str:
    if node.op == "input":
        return "input"
    if node.op in RULES and not getattr(node, "shape", ()):
        return definition(node)
    from .tensor_view import tensor_definition  # numpy: only for tensor programs

    return tensor_definition(node)


def node_texts(graph: Graph, result: TraceResult | None = None,
               digits: int = 4) -> dict[int, tuple[str, ...]]:
    """Each node's box lines: head, operation, and after the passes its primal and adjoint."""
    texts = {}
    adjoints = _adjoints(result) if result is not None else {}
    for node in graph.nodes:
        lines = [node_head(node), node_op(node)]
        if result is not None:
            lines.append(_number(result.forward.value(node.index), digits))
            lines.append(_number(adjoints[node.index], digits) if node.index in adjoints
                         else "—")
        texts[node.index] = tuple(lines)
    return texts


def _adjoints(result: object) -> dict[int, object]:
    """Scalar traces keep adjoints in ``reverse``; tensor traces in ``rows`` (v̄ per node)."""
    reverse = getattr(result, "reverse", None)
    if reverse is not None:
        return reverse.adjoints
    return {row.index: row.v_bar for row in getattr(result, "rows", ())}


def _number(value: object, digits: int) -> str:
    """A scalar with ``digits`` digits; a short vector entry by entry; else its shape."""
    if isinstance(value, Fraction) or hasattr(value, "_mpf_"):
        return format_value(value, digits)  # type: ignore[arg-type]
    if isinstance(value, float | int):
        return format_value(Fraction(repr(float(value))), digits)
    import numpy as np

    array = np.asarray(value, dtype=object)
    if array.ndim == 0:
        return _number(array.item(), digits)
    if array.ndim == 1 and array.size <= 3:
        return "[" + ", ".join(_number(v, 3) for v in array) + "]"
    return "×".join(map(str, array.shape)) + " values"


def graph_picture(graph: Graph, result: TraceResult | None = None, digits: int = 4,
                  width: int | None = None) -> Picture:
    """Left to right if it fits in ``width`` columns (or no width is given), else top to bottom.

    Deep graphs (an expanded sigmoid neuron has 8 layers) fit 80 columns only top to bottom.
    """
    if len(graph.nodes) > MAX_DRAWN:
        raise _too_large(f"the graph has {len(graph.nodes)} nodes, more than the "
                         f"{MAX_DRAWN} a drawing can show legibly")
    texts = node_texts(graph, result, digits)
    picture = layout(graph, texts)
    if width is None or picture.width <= width:
        return picture
    upright = layout(graph, texts, "TB")
    if upright.width <= width:
        return upright
    raise _too_large(f"the graph ({len(graph.nodes)} nodes in {picture.layers} layers) needs "
                     f"{min(picture.width, upright.width)} columns to draw legibly; this "
                     f"terminal has {width}")


def graph_text(graph: Graph, result: TraceResult | None = None, digits: int = 4,
               width: int = 80, partials: bool = False) -> str:
    """The drawing, with a title and a legend; refused plainly if wider than ``width``.

    With ``partials`` the wires' local partials follow the drawing, one line per edge (a
    label on the wire itself would not stay legible at 80 columns)."""
    picture = graph_picture(graph, result, digits, width)
    title = "Computation graph: " + " ".join(graph.source.split())
    if len(title) > width:
        title = title[: width - 1] + "…"
    legend = LEGEND_VALUES if result is not None else LEGEND_PLAIN
    lines = [title, legend, "", *draw(picture)]
    if partials:
        lines += ["", "Wires (source → consumer) and their local partials:",
                  *edge_legend(graph, result, digits)]
    return "\n".join(lines) + "\n"


def edge_labels(graph: Graph, result: TraceResult | None, digits: int) -> list[str]:
    """The local partial ∂vᵢ/∂vⱼ on each edge (aligned with graph.edges), once it is known."""
    if result is None or not hasattr(result.forward, "partials"):  # tensors: Jacobians
        return ["" for _ in graph.edges]
    return [f"∂{vname(p.edge.consumer)}/∂{vname(p.edge.source)} = {format_value(p.value, digits)}"
            for p in result.forward.partials]


def edge_legend(graph: Graph, result: TraceResult | None, digits: int) -> list[str]:
    """One line per wire: ``v₋₂ → v₁   ∂v₁/∂v₋₂ = v₋₁ = 0.5`` (symbolic, then its value)."""
    from ..local import edge_partial
    from .formula import text as formula_text
    from .trace_view import edge_name

    if result is not None and not hasattr(result.forward, "partials"):
        return _vjp_legend(graph, result)
    lines = []
    for edge, value in zip(graph.edges, edge_labels(graph, result, digits), strict=True):
        symbolic = formula_text(edge_partial(graph, edge))
        number = value.rpartition(" = ")[2] if value else ""
        shown = f"{symbolic} = {number}" if number and number != symbolic else symbolic
        wire = f"{vname(edge.source)} → {vname(edge.consumer)}"
        lines.append(f"  {wire:<12} {edge_name(graph, edge)} = {shown}")
    return lines


def _vjp_legend(graph: Graph, result: object) -> list[str]:
    """Tensor graphs: each wire's backward rule, a vector-Jacobian product (v̄₋₃ += v̄₁ v₋₂ᵀ)."""
    from .tensor_view import TensorView
    from .trace_view import Options

    view = TensorView(result, Options())  # type: ignore[arg-type]
    return [f"  {vname(edge.source) + ' → ' + vname(edge.consumer):<12} {view.backward_text(edge)}"
            for edge in graph.edges]


def _too_large(message: str) -> LimitError:
    return LimitError(message, hint="read the tables (gradtutor trace …), write a picture file "
                                    "(--format svg --output graph.svg), or widen the terminal "
                                    "(COLUMNS=160)")


def draw(picture: Picture) -> list[str]:
    """Rasterise boxes and wires onto a character grid; returns its lines, right-trimmed."""
    grid = [[" "] * picture.width for _ in range(picture.height)]
    masks: dict[tuple[int, int], int] = {}
    across = picture.direction == "LR"
    for wire in picture.wires:
        start = wire.points[0]
        masks[start] = masks.get(start, 0) | (LEFT if across else UP)  # leaves its source
        _trace_wire(wire.points, masks)
    for (x, y), mask in masks.items():
        grid[y][x] = _LINES[mask]
    for wire in picture.wires:
        x, y = wire.points[-1]
        grid[y][x] = "▶" if across else "▼"
    for box in picture.boxes:
        _draw_box(grid, box.x, box.y, box.width, box.lines)
    return ["".join(row).rstrip() for row in grid]


def _trace_wire(points: tuple[tuple[int, int], ...], masks: dict[tuple[int, int], int]) -> None:
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
        x, y = x0, y0
        while (x, y) != (x1, y1):
            nx, ny = x + dx, y + dy
            masks[(x, y)] = masks.get((x, y), 0) | _direction(dx, dy)
            masks[(nx, ny)] = masks.get((nx, ny), 0) | _direction(-dx, -dy)
            x, y = nx, ny


def _direction(dx: int, dy: int) -> int:
    return RIGHT if dx > 0 else LEFT if dx < 0 else DOWN if dy > 0 else UP


def _draw_box(grid: list[list[str]], x: int, y: int, width: int, lines: tuple[str, ...]) -> None:
    inner = width - 2
    grid[y][x: x + width] = ["╭", *("─" * inner), "╮"]
    for i, line in enumerate(lines, start=1):
        cells = list(" " + line) + [" "] * (inner - 1 - text_width(line))
        grid[y + i][x: x + width] = ["│", *_cells(cells), "│"]
    grid[y + len(lines) + 1][x: x + width] = ["╰", *("─" * inner), "╯"]


def _cells(chars: list[str]) -> list[str]:
    """Attach combining marks (the bar of v̄) to the character before them: one cell each."""
    cells: list[str] = []
    for ch in chars:
        if cells and text_width(ch) == 0:
            cells[-1] += ch
        else:
            cells.append(ch)
    return cells
