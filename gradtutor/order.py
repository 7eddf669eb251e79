"""Stage 2b, order: Wengert list as written → steps numbered the way the paper numbers them.

Baydin et al. (Tables 2–3) number each operation as soon as its arguments exist, in the
order written: the steps are sorted by ASAP level (an operation on inputs only is level 1; any
other is one more than its deepest argument), ties in the order the user wrote them. For
ln(x1) + x1*x2 − sin(x2) that is v₁ = ln v₋₁, v₂ = v₋₁×v₀, v₃ = sin v₀, v₄ = v₁ + v₂,
v₅ = v₄ − v₃, where the written order computes v₁ + v₂ before sin v₀. The output stays last.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # graph.py calls this module while it builds; no import at run time
    from .graph import Node

ORDERS = ("paper", "written")


def asap_levels(nodes: tuple[Node, ...], n_inputs: int) -> dict[int, int]:
    """Node index → ASAP level: 0 for inputs, 1 + the deepest node argument for steps."""
    level: dict[int, int] = {}
    for node in nodes[:n_inputs]:
        level[node.index] = 0
    for node in nodes[n_inputs:]:
        level[node.index] = 1 + max((level[a] for a in node.args if isinstance(a, int)),
                                    default=0)
    return level


def order_steps(nodes: tuple[Node, ...], n_inputs: int, order: str = "paper") -> tuple[Node, ...]:
    """The nodes with the steps in ``order`` ("paper": ASAP levels; "written": as given)."""
    if order not in ORDERS:
        from .errors import InputError

        raise InputError(f"unknown order {order!r}", hint="use --order paper or --order written")
    if order == "written" or len(nodes) <= n_inputs + 1:
        return nodes
    level = asap_levels(nodes, n_inputs)
    steps = list(nodes[n_inputs:-1])
    steps.sort(key=lambda n: level[n.index])  # stable: ties keep the written order
    moved = [*nodes[:n_inputs], *steps, nodes[-1]]
    new = {n.index: 1 + i for i, n in enumerate(moved[n_inputs:])}
    new.update({n.index: n.index for n in nodes[:n_inputs]})
    return tuple(node if i < n_inputs else _renumbered(node, new)
                 for i, node in enumerate(moved))


def _renumbered(node: Node, new: dict[int, int]) -> Node:
    args = tuple(new[a] if isinstance(a, int) else a for a in node.args)
    return replace(node, index=new[node.index], args=args)
