"""Tensor operation names (shared, numpy-free): which calls make a program a tensor program."""

from __future__ import annotations

from .syntax import Call, Program, Syntax

# The tensor rules table (gradtutor/tensor_rules.py) registers exactly these operations.
TENSOR_OPS = frozenset({"matmul", "dot", "outer", "transpose", "sum", "mean", "softmax",
                        "log_softmax", "logsumexp", "index"})


def uses_tensor_ops(program: Program) -> bool:
    """Does the program call any tensor operation (@, sum, softmax, z[k] …)?"""
    stack: list[Syntax] = [st.value for st in program.statements]
    while stack:
        node = stack.pop()
        if isinstance(node, Call):
            if node.op in TENSOR_OPS:
                return True
            stack.extend(node.args)
    return False


def is_tensor_check(source: str, at: object) -> bool:
    """Does checking ``source`` at ``at`` need the tensor checker (list values or tensor ops)?

    numpy-free, so scalar checks do not pay for importing it."""
    from .parse import parse_program

    if isinstance(at, str) and "[" in at:
        return True
    if isinstance(at, dict) and any(isinstance(v, list | tuple) or hasattr(v, "shape")
                                    for v in at.values()):
        return True
    return uses_tensor_ops(parse_program(source))
