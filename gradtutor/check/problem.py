"""Check setup (feeds formula, number, diagnose): EXPR + --wrt → the derivative to check against.

EXPR may be a program; its assigned names (p, a …) may appear in an answer and stand for their
formulas. ``--wrt`` is an input, or an assigned name, whose derivative is then the adjoint
∂output/∂name with everything upstream of it held fixed (dl/dp in a = w*x; p = σ(a); l = …).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..assume import Domain, parse_assumptions
from ..errors import InputError
from ..graph import output_name
from ..parse import Name, Program, Syntax, free_names, input_names, parse_program
from ..sym import symbol, to_sympy


@dataclass(frozen=True)
class Problem:
    source: str
    program: Program
    inputs: tuple[str, ...]
    f: sp.Expr  # the output, in the inputs
    formulas: dict[str, sp.Expr]  # each assigned name → its formula in the inputs
    wrt: str | None
    truth: sp.Expr | None  # ∂output/∂wrt in the inputs (None: checking the value)
    domains: dict[str, Domain] = field(default_factory=dict)  # assumptions: y ∈ {0, 1} …

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(symbol(name) for name in self.inputs)

    @property
    def output_name(self) -> str:
        if self.program.output:
            return self.program.output
        return output_name(list(self.inputs))

    @property
    def item(self) -> str:
        return f"∂{self.output_name}/∂{self.wrt}" if self.wrt else self.output_name

    def answer(self, syntax: Syntax) -> sp.Expr:
        """The student's formula in the inputs (assigned names replaced by their formulas)."""
        return to_sympy(syntax, self.formulas)

    def unknown_names(self, syntax: Syntax) -> list[Name]:
        known = set(self.inputs) | set(self.formulas)
        return [n for n in free_names(syntax) if n.id not in known]


def build_problem(source: str, wrt: str | None, assume: str | dict | None = None) -> Problem:
    program = parse_program(source)
    inputs = tuple(input_names(program))
    formulas: dict[str, sp.Expr] = {}
    for statement in program.statements:
        formulas[statement.target] = to_sympy(statement.value, formulas)
    f = formulas[program.output]
    truth = None if wrt is None else _derivative(program, inputs, formulas, wrt)
    named = {k: v for k, v in formulas.items() if k}
    domains = parse_assumptions(assume)
    unknown = [name for name in domains if name not in inputs]
    if unknown:
        raise InputError(f"the assumption on {unknown[0]!r} names no input of the expression",
                         hint=f"the inputs are: {', '.join(inputs)}")
    return Problem(source, program, inputs, f, named, wrt, truth, domains)


def _derivative(program: Program, inputs: tuple[str, ...], formulas: dict[str, sp.Expr],
                wrt: str) -> sp.Expr:
    if wrt in inputs:
        return sp.diff(formulas[program.output], symbol(wrt))
    if wrt in formulas and wrt:
        return _adjoint(program, formulas, wrt)
    names = ", ".join(list(inputs) + [k for k in formulas if k and k != program.output])
    raise InputError(f"--wrt {wrt!r} is not a variable of the expression",
                     hint=f"use one of: {names or '(no variables)'}")


def _adjoint(program: Program, formulas: dict[str, sp.Expr], wrt: str) -> sp.Expr:
    """∂output/∂wrt holding wrt's own inputs fixed, written back in the inputs."""
    held = symbol(wrt)
    env: dict[str, sp.Expr] = {}
    for statement in program.statements:
        env[statement.target] = held if statement.target == wrt else to_sympy(statement.value, env)
    return sp.diff(env[program.output], held).xreplace({held: formulas[wrt]})
