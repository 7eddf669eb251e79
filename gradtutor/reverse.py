"""Stage 3b, reverse: forward sweep → adjoints v̄ⱼ = ∂y/∂vⱼ, one row per node, output first.

Seed ȳ = 1, then walk the Wengert list reversed. Node i sends a contribution
v̄ᵢ · ∂vᵢ/∂vⱼ to each of its arguments j; a node used more than once (fan-out) receives one
contribution per use, and its adjoint is their running sum. Because every consumer of vⱼ comes
after it in the list, v̄ⱼ is complete by the time the reversed walk reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .forward import Forward, LocalPartial
from .numeric import Value, add, mul


@dataclass(frozen=True)
class Contribution:
    """One term of v̄ⱼ: v̄ᵢ · ∂vᵢ/∂vⱼ from consumer i, and v̄ⱼ's running total after it."""

    partial: LocalPartial
    upstream: Value  # v̄ᵢ
    amount: Value  # v̄ᵢ · ∂vᵢ/∂vⱼ
    running: Value

    @property
    def consumer(self) -> int:
        return self.partial.edge.consumer


@dataclass(frozen=True)
class AdjointRow:
    index: int
    contributions: tuple[Contribution, ...]
    v_bar: Value
    seed: bool = False  # the output's row: v̄ = ȳ = 1


@dataclass(frozen=True)
class Reverse:
    rows: tuple[AdjointRow, ...]  # reversed node order: output first, inputs last
    gradient: dict[str, Value]  # input name → ∂y/∂input, in input order

    def row(self, index: int) -> AdjointRow:
        return next(row for row in self.rows if row.index == index)

    @property
    def adjoints(self) -> dict[int, Value]:
        return {row.index: row.v_bar for row in self.rows}


def run_reverse(forward: Forward) -> Reverse:
    """Reverse sweep over ``forward``'s graph, seeded with ȳ = 1."""
    graph = forward.graph
    v_bar: dict[int, Value] = {graph.output.index: Fraction(1)}
    received: dict[int, list[Contribution]] = {node.index: [] for node in graph.nodes}
    by_consumer: dict[int, list[LocalPartial]] = {}
    for partial in forward.partials:
        by_consumer.setdefault(partial.edge.consumer, []).append(partial)
    rows: list[AdjointRow] = []
    for node in reversed(graph.nodes):
        seed = node.index == graph.output.index
        total = v_bar.setdefault(node.index, Fraction(0))
        rows.append(AdjointRow(node.index, tuple(received[node.index]), total, seed))
        for partial in by_consumer.get(node.index, []):
            source = partial.edge.source
            amount = mul(total, partial.value)
            v_bar[source] = add(v_bar.get(source, Fraction(0)), amount)
            received[source].append(Contribution(partial, total, amount, v_bar[source]))
    gradient = {node.name: v_bar[node.index] for node in graph.inputs}
    return Reverse(tuple(rows), gradient)
