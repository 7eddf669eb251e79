"""Tensor values hint, program + names without a value → the InputError that says what to give.

A tensor program takes its shapes from its values: without them, W@x has no sizes to check,
so every entrance (trace, graph, check, solve) says which values are missing and shows the
form to give them in — a matrix for the left side of @, a vector where a tensor operation
takes the name directly, a number or a list otherwise.
"""

from __future__ import annotations

from .errors import InputError
from .syntax import Call, Name, Program, postorder
from .tensor_ops import TENSOR_OPS

MATRIX, VECTOR, ANY = "[[…]]", "[…]", "…"


def value_forms(program: Program, names: list[str]) -> dict[str, str]:
    """Each name → the form a student most likely means: W=[[…]] for W@x, x=[…] inside a
    tensor operation (sum((a − y)²) takes y as a vector), b=… elsewhere."""
    forms = dict.fromkeys(names, ANY)
    for statement in program.statements:
        for node in postorder(statement.value):
            if not isinstance(node, Call) or node.op not in TENSOR_OPS:
                continue
            for position, arg in enumerate(node.args):
                matrix = node.op == "transpose" or (node.op == "matmul" and position == 0)
                for name in (n for n in postorder(arg) if isinstance(n, Name)):
                    if name.id in forms and forms[name.id] != MATRIX:
                        forms[name.id] = MATRIX if matrix and name is arg else VECTOR
    return forms


class MissingValues(InputError):
    """A tensor program without (some of) its values; ``trace`` also offers --at-file."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message, hint=f"{hint})")
        self.trace_hint = f"{hint}; or --at-file values.json)"

    def for_trace(self) -> InputError:
        return InputError(self.message, hint=self.trace_hint)


def missing_tensor_values(program: Program, missing: list[str], given: int) -> MissingValues:
    """The error for a tensor program whose inputs ``missing`` have no value."""
    forms = value_forms(program, missing)
    listed = ", ".join(repr(name) for name in missing)
    what = "no values" if given == 0 else f"no value for {listed}"
    example = ",".join(f"{name}={forms[name]}" for name in missing)
    return MissingValues(f"this program uses vectors or matrices and has {what}: a tensor "
                         "program takes its shapes from its values",
                         f"--at {example} (numbers, vectors [1,2] or matrices [[1,2],[3,4]]")


def refuse_tensor_program(source: str, at_file: bool = False) -> None:
    """A command given no values at all: if ``source`` is a tensor program, say what to give
    (a source that does not parse is left to the command's own message)."""
    from .errors import GradtutorError
    from .parse import input_names, parse_program
    from .tensor_ops import uses_tensor_ops

    try:
        program = parse_program(source)
    except GradtutorError:
        return
    if uses_tensor_ops(program):
        error = missing_tensor_values(program, input_names(program), 0)
        raise error.for_trace() if at_file else error

