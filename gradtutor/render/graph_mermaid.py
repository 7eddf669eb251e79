"""Stage 4, render: graph (+ trace values) → a Mermaid flowchart (renders in GitHub markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..graph import Graph
from .graph_dot import node_id
from .graph_text import edge_labels, node_texts

if TYPE_CHECKING:
    from ..api import TraceResult

# Mermaid's entity codes: inside a quoted label these are the characters it would parse.
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
             "|": "#124;", "`": "#96;"}


def mermaid_quote(text: str) -> str:
    return '"' + "".join(_ENTITIES.get(ch, ch) for ch in text) + '"'


def graph_mermaid(graph: Graph, result: TraceResult | None = None, digits: int = 4) -> str:
    texts = node_texts(graph, result, digits)
    lines = ["flowchart LR"]
    for node in graph.nodes:
        label = mermaid_quote("\n".join(texts[node.index])).replace("\n", "<br/>")
        lines.append(f"  {node_id(node.index)}[{label}]")
    for edge, label in zip(graph.edges, edge_labels(graph, result, digits), strict=True):
        arrow = f"-->|{mermaid_quote(label)}|" if label else "-->"
        lines.append(f"  {node_id(edge.source)} {arrow} {node_id(edge.consumer)}")
    return "\n".join(lines) + "\n"
