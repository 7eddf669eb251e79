"""Table rows (feeds table): a student's row keys and definitions → the graph's nodes.

A row is matched by what it IS, not by our v-numbers: a row with a definition (``v3: sin v0 =
-0.959``) is matched by its operation and the rows or inputs it uses, so any valid order and
any names (f, L, h1) grade right; a row without one by the program's name (an input called
``v1`` is that input, not node v₁), the output's usual names (y, f, L …), or a v-number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import GradtutorError
from ..graph import Constant, Graph
from ..parse import Call, Const, Name, Num, Syntax, parse_expression
from ..sym import to_sympy

if TYPE_CHECKING:
    from .tablefile import Cell

OUTPUT_NAMES = ("y", "f", "L", "l", "J", "E", "out", "loss", "result", "output")
COMMUTATIVE = ("add", "mul", "max", "min")
UNMATCHED = -(10**9)  # a row whose definition is not a step of the expression
_SUBSCRIPT = str.maketrans("₋₀₁₂₃₄₅₆₇₈₉×·−", "-0123456789**-")
_VKEY = re.compile(r"^v_?\{?(-?\d+)\}?$")
_VTOKEN = re.compile(r"v_?\{?(-?\d+)\}?(?![\w])")
_BARE_CALL = re.compile(r"\b(ln|log|sin|cos|tan|exp|sqrt|tanh|sigmoid|relu|abs)\s+([\w-]+)")
MAX_DEFINITION = 200


def normalize_key(key: object) -> str:
    """v₋₁, v_{-1}, v_-1 → v-1; v̄3, v3_bar, v3bar (an adjoint's row) → v3."""
    text = str(key).strip().translate(_SUBSCRIPT).replace("\u0304", "")
    text = re.sub(r"_?bar$", "", text)
    m = _VKEY.match(text)
    return f"v{int(m.group(1))}" if m else text


def split_cell(text: str, key: object) -> tuple[str, str]:
    """``ln v-1 = ln 2 = 0.693`` → (``ln v-1``, ``0.693``): the first form in v's, the value."""
    parts = [p.strip() for p in text.split("=")]
    if len(parts) < 2:
        return "", text
    forms = [p for p in parts[:-1] if normalize_key(p) != normalize_key(key) and p]
    return (forms[0] if forms else ""), parts[-1]


def key_index(key: object, graph: Graph) -> int | None:
    """The node a row key names without a definition: a name first, then a v-number."""
    text = normalize_key(f"v{key}" if isinstance(key, int) and not isinstance(key, bool) else key)
    named = [n.index for n in graph.nodes if n.name and n.name == text]
    if named:
        return named[0]
    if text in OUTPUT_NAMES and text not in {n.name for n in graph.nodes}:
        return graph.output.index
    m = _VKEY.match(text)
    if m and graph.nodes[0].index <= int(m.group(1)) <= graph.output.index:
        return int(m.group(1))
    return None


def is_number_key(key: object, graph: Graph) -> bool:
    """A row keyed by a v-number (v3, v-1), not by one of the program's names."""
    text = normalize_key(key)
    return bool(_VKEY.match(text)) and text not in {n.name for n in graph.nodes}


def signatures(graph: Graph) -> dict[int, object]:
    """Node index → what the node is: an input's name, or its operation on what its args are."""
    sig: dict[int, object] = {}
    for node in graph.nodes:
        if node.op == "input":
            sig[node.index] = ("input", node.name)
        elif node.op == "id":
            sig[node.index] = _arg_sig(node.args[0], sig)
        else:
            sig[node.index] = _op_sig(node.op, [_arg_sig(a, sig) for a in node.args])
    return sig


def _arg_sig(arg: int | Constant, sig: dict[int, object]) -> object:
    return sig[arg] if isinstance(arg, int) else ("const", arg.value)


def _op_sig(op: str, args: list[object]) -> object:
    if op in COMMUTATIVE:
        args = sorted(args, key=repr)
    return (op, tuple(args))


def match_cells(cells: Sequence[Cell], graph: Graph) -> list[Cell]:
    """Cells whose rows carry definitions, re-pointed at the node each definition describes."""
    defined = {normalize_key(c.key): c.definition for c in cells if c.definition}
    if not defined:
        return list(cells)
    matcher = _Matcher(graph, defined)
    resolved = {k: matcher.by_sig.get(matcher.row(k, ()), UNMATCHED) for k in defined}
    return [replace(c, index=resolved[normalize_key(c.key)])
            if normalize_key(c.key) in resolved else c for c in cells]


class _Matcher:
    """What each student row is, built from its definition and the rows it uses."""

    def __init__(self, graph: Graph, defined: dict[str, str]) -> None:
        self.graph, self.defined = graph, defined
        self.sigs = signatures(graph)
        self.by_sig = {s: i for i, s in self.sigs.items()}  # a named copy wins over its source
        self.memo: dict[str, object] = {}

    def row(self, key: str, seen: tuple[str, ...]) -> object:
        if key in self.memo:
            return self.memo[key]
        if key in seen or len(seen) > 500:
            return ("cycle", key)
        try:
            syntax = parse_expression(self.plain(self.defined[key]))
        except GradtutorError:
            self.memo[key] = ("unreadable", key)
            return self.memo[key]
        self.memo[key] = self.syntax(syntax, (*seen, key))
        return self.memo[key]

    def plain(self, definition: str) -> str:
        """The definition in the project's grammar: row keys made names, ln v0 → ln(v0)."""
        text = definition[:MAX_DEFINITION].translate(_SUBSCRIPT)
        text = _BARE_CALL.sub(lambda m: f"{m.group(1)}({m.group(2)})", text)
        return _VTOKEN.sub(self._token, text)

    def _token(self, m: re.Match[str]) -> str:
        """v-1 is a row (if the student defines it) or an input, never v minus 1."""
        key = f"v{int(m.group(1))}"
        names = {n.name for n in self.graph.nodes}
        if m.group(0) in names or key in names:
            return m.group(0)
        return _ident(key) if key in self.defined or int(m.group(1)) <= 0 else m.group(0)

    def syntax(self, node: Syntax, seen: tuple[str, ...]) -> object:
        if isinstance(node, Num | Const):
            return ("const", to_sympy(node))
        if isinstance(node, Name):
            key = node.id[5:].replace("m", "-") if node.id.startswith("row__") else node.id
            if key in self.defined:
                return self.row(key, seen)
            index = key_index(key, self.graph)
            if node.id.startswith("row__") and (index is None or index > 0):
                return ("unknown", key)  # a step the student did not define
            return self.sigs[index] if index is not None else ("unknown", key)
        assert isinstance(node, Call)
        args = [self.syntax(a, seen) for a in node.args]
        first = args[0]
        if node.op == "neg" and isinstance(first, tuple) and first[0] == "const":
            return ("const", -first[1])
        return _op_sig(node.op, args)


def _ident(key: str) -> str:
    return "row__" + key.replace("-", "m")


def renumbering(graph: Graph, other: Graph) -> dict[int, int] | None:
    """Node index in ``other`` (the same expression numbered otherwise) → index in ``graph``."""
    ours = {s: i for i, s in signatures(graph).items()}
    theirs = signatures(other)
    if len(theirs) != len(ours) or any(s not in ours for s in theirs.values()):
        return None
    return {i: ours[s] for i, s in theirs.items()}


def describe_unmatched(cell: Cell, cells: Sequence[Cell]) -> str:
    key = normalize_key(cell.key)
    definition = next(c.definition for c in cells if c.definition and normalize_key(c.key) == key)
    return (f"Your row {key} = {definition} is not a step of the expression: check its "
            "operation and the rows it uses.")

