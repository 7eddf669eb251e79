"""The graph layout's geometry: every edge drawn once, from its source's side to its consumer's,
no wire through a box, no boxes overlapping — on hand-picked and random graphs, both ways."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtutor.graph import graph_from_text
from gradtutor.layout import layer_of, layout
from gradtutor.render.graph_text import draw, node_texts
from tests.test_properties import any_source

CASES = [
    "x + 1/(w*x+b)",
    "x*x + sin(x)*y",
    "z = w1*x1 + w2*x2 + b; y = sigmoid(z)",
    "-(y*log(sigmoid(theta*x)) + (1 - y)*log(1 - sigmoid(theta*x)))",
    "t1 = sin(x); b1 = cos(x); s1 = t1 + b1; t2 = sin(s1); b2 = cos(s1); o = t2*b2",
    "max(0.1*(x + 1) - 1, min(0.1*(x - 1) + 1, x))",
    "relu(x) + max(x, y)",
]


def _inside(box, x: int, y: int) -> bool:
    return box.x <= x < box.x + box.width and box.y <= y < box.y + box.height


def _cells(points):
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        assert x0 == x1 or y0 == y1, "wires run along rows and columns"
        dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
        x, y = x0, y0
        while (x, y) != (x1, y1):
            yield x, y
            x, y = x + dx, y + dy
    yield points[-1]


def check_geometry(graph, direction: str, values: bool = False) -> None:
    texts = node_texts(graph)
    picture = layout(graph, texts, direction)
    boxes = {box.index: box for box in picture.boxes}
    assert sorted(boxes) == sorted(node.index for node in graph.nodes)
    for a in picture.boxes:
        for b in picture.boxes:
            if a.index < b.index:
                apart = (a.x + a.width <= b.x or b.x + b.width <= a.x or
                         a.y + a.height <= b.y or b.y + b.height <= a.y)
                assert apart, f"boxes v{a.index} and v{b.index} overlap"
    wires = sorted((w.source, w.consumer, w.position) for w in picture.wires)
    assert wires == sorted((e.source, e.consumer, e.position) for e in graph.edges)
    layer = layer_of(graph)
    for wire in picture.wires:
        src, dst = boxes[wire.source], boxes[wire.consumer]
        (x0, y0), (x1, y1) = wire.points[0], wire.points[-1]
        if direction == "LR":
            assert x0 == src.x + src.width and src.y < y0 < src.y + src.height - 1
            assert x1 == dst.x - 1 and dst.y < y1 < dst.y + dst.height - 1
            assert all(b[0] >= a[0] for a, b in zip(wire.points, wire.points[1:], strict=False))
        else:
            assert y0 == src.y + src.height and src.x < x0 < src.x + src.width - 1
            assert y1 == dst.y - 1 and dst.x < x1 < dst.x + dst.width - 1
            assert all(b[1] >= a[1] for a, b in zip(wire.points, wire.points[1:], strict=False))
        for x, y in _cells(wire.points):
            assert 0 <= x < picture.width and 0 <= y < picture.height
            assert not any(_inside(box, x, y) for box in picture.boxes), (wire, x, y)
        assert layer[wire.consumer] > layer[wire.source]
    ends = [w.points[-1] for w in picture.wires]
    assert len(set(ends)) == len(ends), "each argument has its own arrowhead"
    drawing = "\n".join(draw(picture))
    assert drawing.count("▶" if direction == "LR" else "▼") == len(graph.edges)


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("source", CASES)
def test_geometry_of_examples(source: str, direction: str) -> None:
    check_geometry(graph_from_text(source), direction)
    check_geometry(graph_from_text(source, expand=True), direction)


@settings(max_examples=40, deadline=None)
@given(case=any_source(), direction=st.sampled_from(["LR", "TB"]))
def test_geometry_of_random_graphs(case, direction: str) -> None:
    source, _ = case
    check_geometry(graph_from_text(source), direction)


def test_layers_are_longest_paths_from_the_inputs() -> None:
    graph = graph_from_text("x + 1/(w*x+b)")
    assert layer_of(graph) == {-2: 0, -1: 0, 0: 0, 1: 1, 2: 2, 3: 3, 4: 4}


def test_fan_out_is_two_wires_leaving_one_box() -> None:
    graph = graph_from_text("x + 1/(w*x+b)")
    picture = layout(graph, node_texts(graph))
    leaving_x = [w for w in picture.wires if w.source == -2]
    assert len(leaving_x) == 2
    assert leaving_x[0].points[0] == leaving_x[1].points[0]  # one trunk, then two branches
    assert {w.consumer for w in leaving_x} == {1, 4}
