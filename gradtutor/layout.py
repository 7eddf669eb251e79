"""Pictures, layout: graph + box texts → layered left-to-right positions on a character grid.

Sugiyama's recipe on a Wengert list: each node's layer is the longest path from the inputs
(the list is already topologically sorted); an edge spanning several layers passes through
one-row dummy slots; barycenter sweeps order each layer to reduce crossings; rows follow the
sources so chains run straight; each gap between layers gets vertical channels, one per
source that needs one, so a fan-out is a trunk with a branch per consumer. The result is
geometry only (cells); render/ draws it as text or SVG.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .graph import Graph

Point = tuple[int, int]  # (column, row) in character cells
DIRECTIONS = ("LR", "TB")  # layers left to right, or top to bottom


@dataclass(frozen=True)
class Box:
    index: int  # the node's v-number
    x: int
    y: int
    width: int
    height: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Wire:
    """An edge source → consumer (argument ``position``) as an axis-aligned polyline."""

    source: int
    consumer: int
    position: int
    points: tuple[Point, ...]  # from the cell after the source box to the cell before the target


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    boxes: tuple[Box, ...]
    wires: tuple[Wire, ...]
    layers: int
    direction: str = "LR"


def text_width(text: str) -> int:
    """Terminal columns of ``text``: combining marks take none, wide characters two."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class _Slot:
    """A box or a dummy (one cell of a long edge) in one layer.

    Sizes and positions are along the layers (``main``: x for LR) and across them
    (``cross``: y for LR); TB swaps the two at the end.
    """

    key: tuple
    cross: int
    main: int
    at: int = 0  # position across the layers

    def port(self, position: int | None, arity: int) -> int:
        """Where an edge ends across the layers: out (position None) or an argument's in-port."""
        inner = self.cross - 2
        if inner < 1:
            return self.at
        if position is None or arity < 2:
            return self.at + 1 + (inner - 1) // 2
        return self.at + 1 + position * (inner - 1) // (arity - 1)


def layer_of(graph: Graph) -> dict[int, int]:
    """Longest path from the inputs: inputs 0, a step one more than its deepest argument."""
    layer = {node.index: 0 for node in graph.inputs}
    for node in graph.steps:
        layer[node.index] = 1 + max((layer[a] for a in node.args if isinstance(a, int)),
                                    default=-1)
    return layer


def layout(graph: Graph, texts: dict[int, tuple[str, ...]], direction: str = "LR") -> Picture:
    """Place every node's box (``texts``: its lines) and route every edge."""
    layer = layer_of(graph)
    depth = max(layer.values()) + 1
    slots: list[list[_Slot]] = [[] for _ in range(depth)]
    by_key: dict[tuple, _Slot] = {}
    for node in graph.nodes:
        lines = texts[node.index]
        height, width = len(lines) + 2, max(map(text_width, lines)) + 4
        slot = _Slot(("n", node.index), *((height, width) if direction == "LR" else
                                          (width, height)))
        slots[layer[node.index]].append(slot)
        by_key[slot.key] = slot
    chains = []
    for number, edge in enumerate(graph.edges):
        chain = [("n", edge.source)]
        for k in range(layer[edge.source] + 1, layer[edge.consumer]):
            dummy = _Slot(("d", number, k), 1, 0)
            slots[k].append(dummy)
            by_key[dummy.key] = dummy
            chain.append(dummy.key)
        chain.append(("n", edge.consumer))
        chains.append((edge, chain))
    arity = {node.index: sum(isinstance(a, int) for a in node.args) for node in graph.nodes}
    _order(slots, chains, arity)
    _place_rows(slots, chains, by_key, arity)
    picture = _route(slots, chains, by_key, arity, texts)
    return picture if direction == "LR" else _transpose(picture)


def _links(chains: list, arity: dict[int, int]) -> list[tuple[tuple, tuple, float]]:
    """Each link of every chain, with where it enters (−¼ first argument, +¼ second one)."""
    return [(chain[i], chain[i + 1], (edge.position - 0.5) / 2
             if i == len(chain) - 2 and arity[edge.consumer] == 2 else 0.0)
            for edge, chain in chains for i in range(len(chain) - 1)]


def _order(slots: list[list[_Slot]], chains: list, arity: dict[int, int],
           sweeps: int = 4) -> None:
    """Barycenter heuristic: sort each layer by the mean position of its neighbours."""
    links = _links(chains, arity)
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        layers = range(1, len(slots)) if down else range(len(slots) - 2, -1, -1)
        for k in layers:
            near = {slot.key: i for i, slot in enumerate(slots[k - 1 if down else k + 1])}
            sums: dict[tuple, list[float]] = {}
            for a, b, enters in links:
                mine, other = (b, a) if down else (a, b)
                if other in near:
                    sums.setdefault(mine, []).append(near[other] + (0 if down else enters))
            current = {slot.key: i for i, slot in enumerate(slots[k])}
            slots[k].sort(key=lambda s: (sum(sums.get(s.key, [current[s.key]])) /
                                         len(sums.get(s.key, [0])), current[s.key]))


def _place_rows(slots: list[list[_Slot]], chains: list, by_key: dict, arity: dict) -> None:
    """Top to bottom in each layer, each slot as near the rows of its sources as it can."""
    incoming: dict[tuple, list[tuple[tuple, int]]] = {}
    for edge, chain in chains:
        for i in range(len(chain) - 1):
            position = edge.position if i == len(chain) - 2 else None
            incoming.setdefault(chain[i + 1], []).append((chain[i], position))
    for column in slots:
        bottom = -1  # the last row used in this layer
        for slot in column:
            wanted = [by_key[src].port(None, 1) - (slot.port(pos, _arity(slot, arity)) - slot.at)
                      for src, pos in incoming.get(slot.key, [])]
            desired = max(0, round(sum(wanted) / len(wanted))) if wanted else 0
            slot.at = max(desired, bottom + 2 if bottom >= 0 else 0)  # one blank line between
            bottom = slot.at + slot.cross - 1


def _arity(slot: _Slot, arity: dict[int, int]) -> int:
    return arity[slot.key[1]] if slot.key[0] == "n" else 1


@dataclass(frozen=True)
class _Link:
    chain: int
    src: tuple
    dst: tuple
    r1: int
    r2: int


def _gap_links(k: int, slots: list[list[_Slot]], chains: list, by_key: dict,
               arity: dict) -> list[_Link]:
    here = {slot.key for slot in slots[k]}
    links = []
    for number, (edge, chain) in enumerate(chains):
        for i in range(len(chain) - 1):
            if chain[i] in here:
                position = edge.position if i == len(chain) - 2 else None
                dst = by_key[chain[i + 1]]
                links.append(_Link(number, chain[i], chain[i + 1], by_key[chain[i]].port(None, 1),
                                   dst.port(position, _arity(dst, arity))))
    return links


def _channels(links: list[_Link]) -> dict[tuple, int]:
    """A vertical channel per source that changes rows; overlapping spans get separate ones.

    A source whose row is another's target row goes left of it, so the two horizontal lines
    on that row do not run into each other.
    """
    spans: dict[tuple, list[int]] = {}
    targets: dict[tuple, set[int]] = {}
    for link in links:
        spans.setdefault(link.src, [link.r1]).append(link.r2)
        targets.setdefault(link.src, set()).add(link.r2)
    moving = {src: (min(rows), max(rows)) for src, rows in spans.items() if min(rows) < max(rows)}
    rows = {src: spans[src][0] for src in moving}
    order = sorted(moving, key=lambda s: sum(r in targets[s] for r in rows.values()))
    channel: dict[tuple, int] = {}
    for src in order:
        left = [channel[o] for o in channel if rows[o] in targets[src]]
        c = max(left, default=-1) + 1
        while any(channel[o] == c and _touch(moving[o], moving[src]) for o in channel):
            c += 1
        channel[src] = c
    return channel


def _touch(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] + 1 and b[0] <= a[1] + 1


def _route(slots: list[list[_Slot]], chains: list, by_key: dict, arity: dict,
           texts: dict) -> Picture:
    """Positions along the layers (gaps sized by their channels), then every wire's path."""
    widths = [max([slot.main for slot in column] + [1]) for column in slots]
    gaps = [_gap_links(k, slots, chains, by_key, arity) for k in range(len(slots) - 1)]
    channels = [_channels(links) for links in gaps]
    xs = [0]
    for k, chan in enumerate(channels):
        xs.append(xs[k] + widths[k] + 3 + max(chan.values(), default=-1) + 1)
    paths: dict[int, list[Point]] = {}
    for k, links in enumerate(gaps):
        for link in links:
            start = (xs[k] + by_key[link.src].main, link.r1)
            end = (xs[k + 1] - 1, link.r2)
            if link.src in channels[k]:
                cx = xs[k] + widths[k] + 1 + channels[k][link.src]
                paths.setdefault(link.chain, []).extend(
                    [start, (cx, link.r1), (cx, link.r2), end])
            else:
                paths.setdefault(link.chain, []).extend([start, end])
    wires = tuple(Wire(edge.source, edge.consumer, edge.position, _simplify(paths[number]))
                  for number, (edge, _) in enumerate(chains))
    boxes = tuple(Box(slot.key[1], xs[k], slot.at, slot.main, slot.cross,
                      texts[slot.key[1]]) for k, column in enumerate(slots)
                  for slot in column if slot.key[0] == "n")
    height = max(slot.at + slot.cross for column in slots for slot in column)
    return Picture(xs[-1] + widths[-1], height, boxes, wires, len(slots))


def _simplify(points: list[Point]) -> tuple[Point, ...]:
    """Drop repeated points and the middle of three collinear ones."""
    out: list[Point] = []
    for p in points:
        if out and out[-1] == p:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == p[0] or out[-2][1] == out[-1][1] == p[1]):
            out[-1] = p
            continue
        out.append(p)
    return tuple(out)


def _transpose(picture: Picture) -> Picture:
    """Swap columns and rows: layers laid out left to right become top to bottom."""
    boxes = tuple(Box(b.index, b.y, b.x, b.height, b.width, b.lines) for b in picture.boxes)
    wires = tuple(Wire(w.source, w.consumer, w.position, tuple((y, x) for x, y in w.points))
                  for w in picture.wires)
    return Picture(picture.height, picture.width, boxes, wires, picture.layers, "TB")
