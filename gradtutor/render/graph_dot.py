"""Stage 4, render: graph (+ trace values) → Graphviz DOT text (every ID and label quoted)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..graph import Graph, vname
from ..numeric import format_value
from .graph_text import node_texts

if TYPE_CHECKING:
    from ..api import TraceResult


def node_id(index: int) -> str:
    """A stable identifier for node ``index`` that no format treats as a keyword: v_m2, v_3."""
    return f"v_m{-index}" if index < 0 else f"v_{index}"


def edge_labels(graph: Graph, result: TraceResult | None, digits: int) -> list[str]:
    """The local partial ∂vᵢ/∂vⱼ on each edge (aligned with graph.edges), once it is known."""
    if result is None or not hasattr(result.forward, "partials"):  # tensors: Jacobians
        return ["" for _ in graph.edges]
    return [f"∂{vname(p.edge.consumer)}/∂{vname(p.edge.source)} = {format_value(p.value, digits)}"
            for p in result.forward.partials]


def dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def graph_dot(graph: Graph, result: TraceResult | None = None, digits: int = 4) -> str:
    texts = node_texts(graph, result, digits)
    lines = ["digraph gradtutor {", "  rankdir=LR;",
             '  node [shape=box, style=rounded, fontname="monospace"];',
             f"  label={dot_quote(' '.join(graph.source.split()))};"]
    for node in graph.nodes:
        lines.append(f"  {dot_quote(node_id(node.index))} "
                     f"[label={dot_quote(chr(10).join(texts[node.index]))}];")
    for edge, label in zip(graph.edges, edge_labels(graph, result, digits), strict=True):
        attrs = f" [label={dot_quote(label)}]" if label else ""
        lines.append(f"  {dot_quote(node_id(edge.source))} -> "
                     f"{dot_quote(node_id(edge.consumer))}{attrs};")
    return "\n".join(lines + ["}"]) + "\n"
