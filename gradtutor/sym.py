"""Stage 1b: syntax tree → SymPy expression, built node by node (never sympify).

Used wherever a whole formula is needed: answers to check, problem-file definitions, and the
whole-expression oracle that the graph's adjoints are verified against.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from sympy.printing.str import StrPrinter

from .errors import InputError, ParseError, caret_location
from .parse import Call, Const, Num, Program, Syntax, guard_power, parse_program, postorder
from .rules import rule_for


def symbol(name: str) -> sp.Symbol:
    """The one way to make a variable's symbol (real, so |x|, √x² behave as in class)."""
    return sp.Symbol(name, real=True)


_RELATIONS = {"lt": sp.StrictLessThan, "gt": sp.StrictGreaterThan, "le": sp.LessThan,
              "ge": sp.GreaterThan, "eq": sp.Eq}


class _Terms(list):
    """A flat sum (or product) being collected: a + b + c … is one Add, built once."""

    def __init__(self, kind: str, first: sp.Expr) -> None:
        super().__init__([first])
        self.kind = kind

    def done(self) -> sp.Expr:
        return sp.Add(*self) if self.kind == "add" else sp.Mul(*self)


def _done(value: sp.Expr | _Terms) -> sp.Expr:
    return value.done() if isinstance(value, _Terms) else value


def _leaf(node: Syntax, env: dict[str, sp.Expr]) -> sp.Expr:
    if isinstance(node, Num):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, Const):
        return sp.pi if node.name == "pi" else sp.E
    return env[node.id] if node.id in env else symbol(node.id)


def _chain(op: str, left: sp.Expr | _Terms, right: sp.Expr) -> _Terms:
    """Extend a flat sum/product by one operand (O(1), where sympy would rebuild it)."""
    kind = "add" if op in ("add", "sub") else "mul"
    terms = left if isinstance(left, _Terms) and left.kind == kind else _Terms(kind, _done(left))
    terms.append({"add": right, "sub": -right, "mul": right, "div": 1 / right}[op])
    return terms


def _call(node: Call, args: list[sp.Expr]) -> sp.Expr:
    if node.op in _RELATIONS:
        return _RELATIONS[node.op](*args)
    if node.op == "where":
        return sp.Piecewise((args[1], args[0]), (args[2], True))
    if node.op == "pow" and args[0].is_Rational and args[1].is_Rational:
        guard_power(Fraction(int(args[0].p), int(args[0].q)),
                    Fraction(int(args[1].p), int(args[1].q)))
    return rule_for(node.op).build(*args)


def to_sympy(node: Syntax, env: dict[str, sp.Expr] | None = None) -> sp.Expr:
    """Build the SymPy expression of ``node``; names in ``env`` are replaced by their value.

    Iterative, and flat sums/products are built in one go: linear in the size of the text.
    """
    env = env or {}
    values: dict[int, sp.Expr | _Terms] = {}
    for item in postorder(node):
        if not isinstance(item, Call):
            values[id(item)] = _leaf(item, env)
        elif item.op in ("add", "sub", "mul", "div"):
            left, right = (values.pop(id(arg)) for arg in item.args)
            values[id(item)] = _chain(item.op, left, _done(right))
        else:
            values[id(item)] = _call(item, [_done(values.pop(id(arg))) for arg in item.args])
    return _done(values[id(node)])


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


class WherePrinting(StrPrinter):
    """Piecewise((a, c), (b, True)) → where(c, a, b) and Eq(x, 1) → x == 1, as they are typed."""

    def _print_Equality(self, expr: sp.Expr) -> str:
        return f"{self._print(expr.lhs)} == {self._print(expr.rhs)}"

    def _print_Piecewise(self, expr: sp.Expr) -> str:
        *branches, (last, cond) = expr.args
        text = self._print(last) if cond is sp.true else "undefined"
        for value, condition in reversed(branches):
            text = f"where({self._print(condition)}, {self._print(value)}, {text})"
        return text


class _SourcePrinter(WherePrinting):
    """SymPy → text in gradtutor's language (never Abs, Heaviside, Piecewise, re, im)."""

    def _print_Abs(self, expr: sp.Expr) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"step({self._print(expr.args[0])})"

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "e"

    def _print_Max(self, expr: sp.Expr) -> str:
        return self._nest("max", expr.args)

    def _print_Min(self, expr: sp.Expr) -> str:
        return self._nest("min", expr.args)

    def _nest(self, name: str, args: tuple[sp.Expr, ...]) -> str:
        text = self._print(args[-1])
        for arg in reversed(args[:-1]):
            text = f"{name}({self._print(arg)}, {text})"
        return text

    def _print_re(self, expr: sp.Expr) -> str:  # our variables are real
        return self._print(expr.args[0]) if expr.args[0].is_extended_real else \
            f"re({self._print(expr.args[0])})"



def source_text(expr: sp.Expr, order: str | None = None) -> str:
    """A formula as the user would type it in gradtutor's language: abs(x)^3, step(x), ^."""
    settings = {"order": order} if order else {}
    return _SourcePrinter(settings).doprint(expr).replace("**", "^")
