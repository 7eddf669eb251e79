"""Stage 4, render: graph (+ trace values) → Graphviz DOT text (every ID and label quoted)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..graph import Graph
from .graph_text import edge_labels, node_texts

if TYPE_CHECKING:
    from ..api import TraceResult


def node_id(index: int) -> str:
    """A stable identifier for node ``index`` that no format treats as a keyword: v_m2, v_3."""
    return f"v_m{-index}" if index < 0 else f"v_{index}"


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
