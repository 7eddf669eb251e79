"""Stage 2, graph: parsed program → Wengert list (inputs v₁₋ₙ … v₀, steps v₁ … v_l).

One node per elementary operation, in the order and form the user wrote it. A name used twice
is one node with two outgoing edges (fan-out). Operations on constants alone are folded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cache, cached_property

import sympy as sp

from .errors import DomainError, InputError, LimitError, caret_location
from .numeric import OutsideDomain, format_value, from_sympy
from .order import order_steps
from .parse import (
    Call,
    Const,
    Name,
    Num,
    Program,
    Syntax,
    guard_power,
    input_names,
    parse_program,
    postorder,
)
from .rules import RULES, Rule, rule_for
from .sym import to_sympy
from .vocab import COMPARISON_OPS

MAX_NODES = 200_000


@dataclass(frozen=True)
class Constant:
    """A constant argument of a node (folded from literals: 2, 1/2, π, 2π …)."""

    value: sp.Expr


Arg = int | Constant  # an int is the index of the node it refers to


@dataclass(frozen=True)
class Node:
    index: int  # Baydin's numbering: inputs 1-n … 0, steps 1 … l
    op: str  # "input" or an operation of the rules table
    args: tuple[Arg, ...] = ()
    name: str = ""  # the user's name for it (an input, or an assigned intermediate)
    offset: int = -1  # where in the source the operation was written
    shape: tuple[int, ...] = ()  # () for a scalar, (3,) a vector, (2, 3) a matrix


@dataclass(frozen=True)
class Edge:
    """An edge j → i: argument ``position`` of node ``consumer`` is node ``source``."""

    consumer: int
    position: int
    source: int


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    n_inputs: int
    output_name: str
    source: str
    notes: tuple[str, ...] = ()  # about the program itself (a constant reassigned …)

    def node(self, index: int) -> Node:
        return self.nodes[index + self.n_inputs - 1]

    @property
    def inputs(self) -> tuple[Node, ...]:
        return self.nodes[: self.n_inputs]

    @property
    def steps(self) -> tuple[Node, ...]:
        return self.nodes[self.n_inputs:]

    @property
    def output(self) -> Node:
        return self.nodes[-1]

    @cached_property
    def edges(self) -> tuple[Edge, ...]:
        return tuple(Edge(node.index, pos, arg) for node in self.steps
                     for pos, arg in enumerate(node.args) if isinstance(arg, int))

    def where(self, node: Node) -> str:
        return caret_location(self.source, node.offset) if node.offset >= 0 else ""


_SUB = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")


def vname(index: int) -> str:
    """Baydin's name of node ``index``: v₋₂, v₀, v₃."""
    return "v" + str(index).translate(_SUB)


def constant_text(value: sp.Expr) -> str:
    """A constant argument as written in a definition: 2, 0.5 → 1/2, π; parenthesised if needed."""
    if value.is_Rational and max(abs(value.p), value.q).bit_length() > 3000:  # no str(huge)
        return f"({format_value(Fraction(int(value.p), int(value.q)), 17, unicode=False)})"
    text = str(value).replace("pi", "π").replace("E", "e").replace("**", "^")
    simple = text.replace(".", "").isdigit() or text in ("π", "e")
    return text if simple else f"({text})"


def arg_text(arg: Arg) -> str:
    return vname(arg) if isinstance(arg, int) else constant_text(arg.value)


def definition(node: Node) -> str:
    """The node's definition in v's, e.g. "1/v₂" (inputs: their name)."""
    if node.op == "input":
        return node.name
    return RULES[node.op].text.format(*(arg_text(arg) for arg in node.args))


class _Builder:
    def __init__(self, source: str, inputs: list[str], expand: bool) -> None:
        self.source = source
        self.expand = expand
        self.n_inputs = len(inputs)
        self.nodes = [Node(i + 1 - len(inputs), "input", name=name)
                      for i, name in enumerate(inputs)]
        self.names: dict[str, int] = {node.name: node.index for node in self.nodes}

    def add(self, op: str, args: tuple[Arg, ...], offset: int) -> int:
        if len(self.nodes) >= MAX_NODES:
            raise LimitError(f"the graph has more than {MAX_NODES} nodes",
                             hint="trace a smaller model")
        index = len(self.nodes) - self.n_inputs + 1
        self.nodes.append(Node(index, op, args, offset=offset))
        return index

    def emit(self, syntax: Syntax, scope: dict[str, Arg] | None = None) -> Arg:
        """Add the nodes computing ``syntax``; returns a node index or a folded constant.

        Iterative (arguments before their operation, left to right), so a flat sum of any
        length builds in linear time without recursion.
        """
        names = scope if scope is not None else self.names
        results: dict[int, Arg | tuple[str, Arg, Arg]] = {}
        for item in postorder(syntax):
            if isinstance(item, Num | Const):
                results[id(item)] = Constant(to_sympy(item))
            elif isinstance(item, Name):
                results[id(item)] = names[item.id]
            else:
                results[id(item)] = self.operation(item, [results.pop(id(a)) for a in item.args])
        return results[id(syntax)]  # type: ignore[return-value]

    def operation(self, syntax: Call, parts: list) -> Arg | tuple[str, Arg, Arg]:
        if syntax.op in COMPARISON_OPS:  # kept for the where that uses it
            return (syntax.op, *parts)
        op, args = syntax.op, tuple(parts)
        if op == "where":  # where(p < q, a, b) is one node where_lt(p, q, a, b)
            op, args = f"where_{parts[0][0]}", (*parts[0][1:], *parts[1:])
        rule = self.rule(op, syntax.offset)
        if all(isinstance(arg, Constant) for arg in args):
            return self.fold(op, args, syntax.offset)
        if self.expand and rule.expand:
            return self.inline(op, args, syntax.offset)
        return self.add(op, args, syntax.offset)

    def rule(self, op: str, offset: int) -> Rule:
        try:
            return rule_for(op)
        except InputError as err:
            raise InputError(err.message, location=caret_location(self.source, offset),
                             hint=err.hint) from None

    def fold(self, op: str, args: tuple[Constant, ...], offset: int) -> Constant:
        """A constant-only operation becomes one constant argument, if it is a real number."""
        values = [arg.value for arg in args]
        if op == "pow" and all(v.is_Rational for v in values):
            guard_power(Fraction(int(values[0].p), int(values[0].q)),
                        Fraction(int(values[1].p), int(values[1].q)),
                        caret_location(self.source, offset))
        value = RULES[op].build(*values)
        try:
            from_sympy(value)
        except OutsideDomain:
            reason = "division by zero" if value.has(sp.zoo) else "not a real number"
            raise DomainError(f"this constant part of the expression is undefined ({reason})",
                              location=caret_location(self.source, offset),
                              hint="check divisions by zero and logs or square roots of "
                                   "negative numbers") from None
        return Constant(value)

    def inline(self, op: str, args: tuple[Arg, ...], offset: int) -> Arg:
        """Split a composite operation into the elementary ones of its ``expand`` program."""
        scope: dict[str, Arg] = dict(zip("ab", args, strict=False))
        for statement in _expansion(op).statements:
            result = self.emit(_at(statement.value, offset), scope)
            scope[statement.target] = result
        return result

    def name_last(self, target: str, arg: Arg, offset: int) -> None:
        """Attach an assigned name to the node computing it (a copy node if it has one)."""
        needs_copy = not isinstance(arg, int) or arg <= 0 or self.nodes[-1].index != arg \
            or self.nodes[-1].name
        if needs_copy:
            arg = self.add("id", (arg,), offset)
        last = self.nodes[-1]
        self.nodes[-1] = replace(last, name=target)
        self.names[target] = arg


@cache
def _expansion(op: str) -> Program:
    return parse_program(RULES[op].expand)


def _at(syntax: Syntax, offset: int) -> Syntax:
    """Expansion nodes report the position of the function the user wrote."""
    if isinstance(syntax, Call):
        return Call(syntax.op, tuple(_at(a, offset) for a in syntax.args), offset)
    return syntax


def build_graph(program: Program, inputs: list[str] | None = None,
                expand: bool = False, numbering: str = "paper") -> Graph:
    """Program → Graph. ``inputs`` orders the input nodes (default: first appearance);
    ``numbering`` orders the steps as the paper does (ASAP levels, see order.py) or as written."""
    free = input_names(program)
    free_set = set(free)
    order = list(dict.fromkeys(name for name in (inputs or []) if name in free_set))
    chosen = set(order)
    order += [name for name in free if name not in chosen]
    builder = _Builder(program.source, order, expand)
    taken = set(order) | {st.target for st in program.statements}
    for statement in program.statements:
        result = builder.emit(statement.value)
        target = statement.target or output_name(taken)
        builder.name_last(target, result, statement.offset)
    if not order:
        raise _no_variables(program)
    nodes = order_steps(tuple(builder.nodes), len(order), numbering)
    return Graph(nodes, len(order), nodes[-1].name, program.source, program.notes)


def _no_variables(program: Program) -> InputError:
    """Nothing to differentiate; pasted code often assigns its inputs numbers (a = -4.0)."""
    from .syntax import free_names

    numbers = {st.target: st.value for st in program.statements
               if st.target and not free_names(st.value)}
    constants = list(numbers)
    if constants:
        first = constants[0]
        try:
            value = str(to_sympy(numbers[first])).replace("**", "^")
        except (ValueError, TypeError, ArithmeticError):
            value = "…"
        return InputError(
            "the program has no variables, so there is nothing to differentiate: "
            f"{', '.join(repr(c) for c in constants[:5])} "
            f"{'is' if len(constants) == 1 else 'are'} assigned a number, which makes "
            f"{'it a constant' if len(constants) == 1 else 'them constants'}",
            hint=f"to differentiate with respect to {first}, delete the line "
                 f"'{first} = …' and give its value with --at, e.g. --at {first}={value}")
    return InputError("the expression has no variables, so there is nothing to "
                      "differentiate", hint='use names for the inputs, e.g. "x*y + 1" '
                      "with --at x=2,y=3")


def output_name(taken: Iterable[str]) -> str:
    """The name a bare expression's output gets: y, unless that name is already used."""
    taken = set(taken)
    fixed = ("y", "f", "out", "result", "output")
    return next(name for name in (*fixed, *(f"y_{k}" for k in range(len(taken) + 1)))
                if name not in taken)


def graph_from_text(source: str, inputs: list[str] | None = None,
                    expand: bool = False) -> Graph:
    return build_graph(parse_program(source), inputs, expand)


def check_values(graph: Graph, given: list[str]) -> None:
    """Every input needs a value, and every value an input."""
    names = [node.name for node in graph.inputs]
    given_set, name_set = set(given), set(names)
    missing = [name for name in names if name not in given_set]
    extra = [name for name in given if name not in name_set]
    if missing:
        raise InputError(f"no value given for {', '.join(repr(m) for m in missing)}",
                         hint=f"add it to --at, e.g. --at {','.join(f'{m}=1' for m in missing)}")
    if extra:
        raise InputError(f"{', '.join(repr(e) for e in extra)} "
                         f"{'is' if len(extra) == 1 else 'are'} not in the expression",
                         hint=f"the expression's inputs are: {', '.join(names) or 'none'}")
