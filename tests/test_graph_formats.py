"""DOT, Mermaid and SVG of the computation graph: exactly the graph's nodes and edges, labels
escaped so that names like `end`, quotes and unicode survive, and each document parses."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pydot
import pytest

import gradtutor
from gradtutor.graph import graph_from_text
from gradtutor.render.graph_dot import graph_dot, node_id
from gradtutor.render.graph_mermaid import graph_mermaid, mermaid_quote
from gradtutor.render.graph_svg import graph_svg

SOURCES = ["x + 1/(w*x+b)", "end = x*y; node = end + x; graph = sin(node)",
           "z = w1*x1 + w2*x2 + b; y = sigmoid(z)", "x*x"]


def _edges(graph) -> list[tuple[str, str]]:
    return sorted((node_id(e.source), node_id(e.consumer)) for e in graph.edges)


@pytest.mark.parametrize("source", SOURCES)
def test_dot_parses_with_exactly_the_graphs_nodes_and_edges(source: str) -> None:
    graph = graph_from_text(source)
    (parsed,) = pydot.graph_from_dot_data(graph_dot(graph))
    names = sorted(n.get_name().strip('"') for n in parsed.get_nodes()
                   if n.get_name() not in ("node", "edge", "graph"))
    assert names == sorted(node_id(node.index) for node in graph.nodes)
    edges = sorted((e.get_source().strip('"'), e.get_destination().strip('"'))
                   for e in parsed.get_edges())
    assert edges == _edges(graph)


def test_dot_labels_keep_names_unicode_and_values() -> None:
    result = gradtutor.trace("end = x*y; node = end + x", x=2, y=3)
    (parsed,) = pydot.graph_from_dot_data(graph_dot(result.graph, result))
    labels = {n.get_name().strip('"'): n.get_label() for n in parsed.get_nodes()}
    assert labels["v_1"] == '"v₁ end\\nv₋₁·v₀\\n6\\n1"'  # end = 6, its adjoint ∂node/∂end = 1
    assert labels["v_m1"] == '"v₋₁ x\\ninput\\n2\\n4"'  # x̄ = y + 1 = 4
    edge_labels = sorted(e.get_label() for e in parsed.get_edges())
    assert '"∂v₂/∂v₋₁ = 1"' in edge_labels and '"∂v₁/∂v₀ = 2"' in edge_labels


def test_dot_escapes_quotes_and_backslashes() -> None:
    from gradtutor.render.graph_dot import dot_quote

    assert dot_quote('say "hi"\\') == '"say \\"hi\\"\\\\"'
    label = dot_quote('a"b')
    (parsed,) = pydot.graph_from_dot_data("digraph g { a [label=" + label + "]; }")
    assert parsed.get_nodes()[0].get_label() == '"a\\"b"'


@pytest.mark.parametrize("source", SOURCES)
def test_mermaid_has_exactly_the_graphs_nodes_and_edges(source: str) -> None:
    graph = graph_from_text(source)
    text = graph_mermaid(graph)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = sorted(re.match(r"  (\w+)\[", line).group(1) for line in lines if "[" in line)
    assert nodes == sorted(node_id(node.index) for node in graph.nodes)
    edges = sorted(tuple(re.match(r"  (\w+) -->(?:\|.*\|)? (\w+)$", line).groups())
                   for line in lines if "-->" in line)
    assert edges == _edges(graph)
    assert not re.search(r"^\s*end\b", text, flags=re.M)  # `end` would close a subgraph


def test_mermaid_escapes_what_it_would_parse() -> None:
    assert mermaid_quote('a "b" <c> #d') == '"a #quot;b#quot; #lt;c#gt; #35;d"'
    result = gradtutor.trace("x*y", x=2, y=3)
    text = graph_mermaid(result.graph, result)
    assert '  v_1["v₁ f<br/>v₋₁·v₀<br/>6<br/>1"]' in text
    assert '  v_m1 -->|"∂v₁/∂v₋₁ = 3"| v_1' in text


@pytest.mark.parametrize("source", SOURCES)
def test_svg_is_xml_with_a_box_per_node_and_a_wire_per_edge(source: str) -> None:
    result = gradtutor.trace(source, **{n.name: 1 for n in graph_from_text(source).inputs})
    root = ET.fromstring(graph_svg(result.graph, result))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert len(root.findall(f"{ns}rect")) == len(result.graph.nodes) + 1  # + the background
    assert len(root.findall(f"{ns}polyline")) == len(result.graph.edges)
    texts = [t.text for t in root.findall(f"{ns}text")]
    assert any(t and t.startswith("v₀") for t in texts)
