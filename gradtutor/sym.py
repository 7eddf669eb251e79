"""Stage 1b: syntax tree → SymPy expression, built node by node (never sympify).

Used wherever a whole formula is needed: answers to check, problem-file definitions, and the
whole-expression oracle that the graph's adjoints are verified against.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from .errors import InputError, ParseError, caret_location
from .parse import Const, Name, Num, Program, Syntax, guard_power, parse_program
from .rules import RULES


def symbol(name: str) -> sp.Symbol:
    """The one way to make a variable's symbol (real, so |x|, √x² behave as in class)."""
    return sp.Symbol(name, real=True)


def to_sympy(node: Syntax, env: dict[str, sp.Expr] | None = None) -> sp.Expr:
    """Build the SymPy expression of ``node``; names in ``env`` are replaced by their value."""
    env = env or {}
    if isinstance(node, Num):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, Const):
        return sp.pi if node.name == "pi" else sp.E
    if isinstance(node, Name):
        return env[node.id] if node.id in env else symbol(node.id)
    args = [to_sympy(arg, env) for arg in node.args]
    if node.op == "pow" and args[0].is_Rational and args[1].is_Rational:
        guard_power(Fraction(int(args[0].p), int(args[0].q)),
                    Fraction(int(args[1].p), int(args[1].q)))
    return RULES[node.op].build(*args)


def program_to_sympy(program: Program) -> tuple[sp.Expr, dict[str, sp.Expr]]:
    """The output expression in the inputs, and each assigned name's expression."""
    env: dict[str, sp.Expr] = {}
    for statement in program.statements:
        env[statement.target] = to_sympy(statement.value, env)
    return env[program.output], env


def parse_formula(source: str) -> sp.Expr:
    """Text (an expression or a program) → SymPy expression of its output, in its inputs."""
    expr, _ = program_to_sympy(parse_program(source))
    return expr


def parse_value(source: str, what: str = "value") -> sp.Expr:
    """A constant such as 0.3, -1/3, 2^-1 or pi/4 → an exact SymPy number."""
    program = parse_program(source)
    expr, _ = program_to_sympy(program)
    if expr.free_symbols or len(program.statements) != 1:
        raise InputError(f"the {what} is not a number: {source!r}",
                         hint="write a number or a fraction, e.g. 0.3 or 1/3")
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or expr.is_real is False:
        raise InputError(f"the {what} is not a finite real number: {source!r}",
                         hint="write a finite number, e.g. 0.3 or 1/3")
    return expr


def parse_point(text: str, option: str = "--at") -> dict[str, sp.Expr]:
    """``x=0.3,w=1/2`` → {"x": 3/10, "w": 1/2} in the order given; duplicates refused."""
    point: dict[str, sp.Expr] = {}
    offset = 0
    for item in text.split(","):
        where = caret_location(text, offset + len(item) - len(item.lstrip()), len(item.strip()))
        name, eq, value = item.partition("=")
        name = name.strip()
        if not eq or not name or not value.strip():
            raise InputError(f"{option} expects name=value pairs, got {item.strip()!r}",
                             location=where, hint=f"{option} x=0.3,w=0.5,b=0.1")
        if not name.isidentifier() or name.startswith("_"):
            raise InputError(f"{name!r} is not a variable name", location=where,
                             hint=f"{option} x=0.3,w=0.5")
        if name in point:
            raise InputError(f"{name!r} is given twice in {option}", location=where,
                             hint="give each variable one value")
        try:
            point[name] = parse_value(value.strip(), f"value of {name!r}")
        except ParseError as err:
            raise InputError(f"the value of {name!r} is not a number: {err.message}",
                             location=where,
                             hint="write a number or a fraction, e.g. 0.3 or 1/3") from None
        offset += len(item) + 1
    return point
