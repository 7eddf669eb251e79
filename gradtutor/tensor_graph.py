"""Stage 2, tensor graph: parsed program + input shapes → Wengert list whose nodes carry shapes.

The same Graph and Node as the scalar path: one node per operation as the user wrote it
(W@x is one node, not six), each with its ``shape``. Shapes are checked here, so a mismatch
is an input error with both shapes and a caret, before any value is computed.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from .errors import InputError, ShapeError, caret_location
from .graph import Arg, Constant, Graph, Node, _Builder, build_graph, output_name, vname
from .order import order_steps
from .parse import Call, Program, input_names
from .rules import RULES
from .tensor import Shape
from .tensor_hint import missing_tensor_values
from .tensor_ops import TENSOR_OPS, uses_tensor_ops
from .tensor_rules import TENSOR_RULES, ShapeMismatch, broadcast_shape


class _TensorBuilder(_Builder):
    def __init__(self, source: str, inputs: list[str], shapes: dict[str, Shape],
                 expand: bool) -> None:
        super().__init__(source, inputs, expand)
        self.nodes = [replace(node, shape=tuple(shapes.get(node.name, ())))
                      for node in self.nodes]

    def operation(self, syntax: Call, parts: list) -> Arg | tuple[str, Arg, Arg]:
        if syntax.op in TENSOR_OPS:
            return self.add(syntax.op, tuple(parts), syntax.offset)
        return super().operation(syntax, parts)

    def shape_of(self, arg: Arg) -> Shape:
        return () if isinstance(arg, Constant) else self.node_at(arg).shape

    def node_at(self, index: int) -> Node:
        return self.nodes[index + self.n_inputs - 1]

    def label(self, arg: Arg) -> str:
        if isinstance(arg, Constant):
            return str(arg.value)
        node = self.node_at(arg)
        return node.name or vname(node.index)

    def add(self, op: str, args: tuple[Arg, ...], offset: int) -> int:
        try:
            shape = self.out_shape(op, args)
            if op == "index" and _index_constant(args[1]) < 0:  # z[-1] → z[n − 1]
                size = self.shape_of(args[0])[0]
                args = (args[0], Constant(sp.Integer(_index_constant(args[1]) + size)))
        except ShapeMismatch as err:
            labels = [self.label(arg) for arg in args]
            written = (f"{labels[0]}@{labels[1]}" if op == "matmul"
                       else f"{labels[0]}[{labels[1]}]" if op == "index"
                       else f"{op}({', '.join(labels)})")
            hint = ("z[0] is the first entry, z[-1] the last; W[1] is W's second row"
                    if op == "index" else "check the sizes: a gradient has the shape of its "
                    "variable, and W@x needs W's columns = x's entries")
            raise ShapeError(f"{written}: {err}", location=caret_location(self.source, offset),
                             hint=hint) from None
        index = super().add(op, args, offset)
        self.nodes[-1] = replace(self.nodes[-1], shape=shape)
        return index

    def out_shape(self, op: str, args: tuple[Arg, ...]) -> Shape:
        shapes = [self.shape_of(arg) for arg in args]
        if op == "index":
            return TENSOR_RULES[op].shape(shapes[0], _index_constant(args[1]))
        if op in TENSOR_RULES:
            return TENSOR_RULES[op].shape(*shapes)
        if op not in RULES:
            raise InputError(f"the operation {op!r} has no rule yet")
        result: Shape = ()
        for shape in shapes:
            result = broadcast_shape(result, shape)
        return result


def _index_constant(arg: Arg) -> int:
    value = arg.value if isinstance(arg, Constant) else None
    if value is None or not isinstance(value, sp.Integer):
        raise ShapeMismatch("an index must be a whole number such as z[0]")
    return int(value)


def build_tensor_graph(program: Program, inputs: list[str], shapes: dict[str, Shape],
                       expand: bool = False, numbering: str = "paper") -> Graph:
    """Program → Graph with a shape on every node; shape mismatches are input errors."""
    if not any(shapes.values()) and not uses_tensor_ops(program):
        return build_graph(program, inputs, expand, numbering)
    free = input_names(program)
    free_set = set(free)
    order = [name for name in dict.fromkeys(inputs) if name in free_set]
    chosen = set(order)
    missing = [name for name in free if name not in chosen]
    if missing:  # no value, no shape: W@x cannot be sized (say so, not "(scalar) @ (3)")
        raise missing_tensor_values(program, missing, len(chosen))
    builder = _TensorBuilder(program.source, order, shapes, expand)
    taken = set(order) | {st.target for st in program.statements}
    for statement in program.statements:
        result = builder.emit(statement.value)
        builder.name_last(statement.target or output_name(taken), result, statement.offset)
    if not order:
        raise InputError("the expression has no variables, so there is nothing to "
                         "differentiate", hint="use names for the inputs")
    nodes = order_steps(tuple(builder.nodes), len(order), numbering)
    return Graph(nodes, len(order), nodes[-1].name, program.source)
