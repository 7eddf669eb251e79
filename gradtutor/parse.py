"""Stage 1, parse: text → syntax tree (whitelisted grammar, never eval) → SymPy on request."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .errors import LimitError, ParseError, caret_location
from .syntax import (
    MAX_EXACT_DIGITS,
    Assign,
    Call,
    Const,
    Name,
    Num,
    Program,
    Syntax,
    free_names,
    guard_power,
    input_names,
)

__all__ = [
    "CONSTANTS", "FUNCTIONS", "MAX_EXACT_DIGITS", "Assign", "Call", "Const", "Name", "Num",
    "Program", "Syntax", "free_names", "guard_power", "input_names", "parse_expression",
    "parse_program",
]

MAX_SOURCE_CHARS = 200_000
MAX_DEPTH = 100
MAX_LITERAL_DIGITS = 400

# The language's functions: surface name → (operation, number of arguments).
FUNCTIONS: dict[str, tuple[str, int]] = {
    "sin": ("sin", 1), "cos": ("cos", 1), "tan": ("tan", 1),
    "exp": ("exp", 1), "log": ("log", 1), "ln": ("log", 1), "sqrt": ("sqrt", 1),
    "tanh": ("tanh", 1), "sigmoid": ("sigmoid", 1), "relu": ("relu", 1),
    "softplus": ("softplus", 1), "abs": ("abs", 1), "erf": ("erf", 1),
    "leaky_relu": ("leaky_relu", 1), "max": ("max", 2), "min": ("min", 2),
}
CONSTANTS = ("pi", "e")
OPERATORS = {"+": "add", "-": "sub", "*": "mul", "/": "div"}


_TOKEN = re.compile(
    r"(?P<space>[ \t\r]+)|(?P<newline>\n)"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^(),;=])"
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # num name op end
    text: str
    offset: int


def _tokenize(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            _bad_character(source, pos)
        kind = m.lastgroup or ""
        if kind == "newline":
            tokens.append(_Tok("op", ";", pos))
        elif kind != "space":
            tokens.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Tok("end", "", len(source)))
    return tokens


def _bad_character(source: str, pos: int) -> None:
    ch = source[pos]
    hints = {
        "'": "strings are not part of the language; write numbers and names only",
        '"': "strings are not part of the language; write numbers and names only",
        ".": "attribute access is not part of the language; use a function like sin(x)",
        "[": "subscripts are not part of the language; name variables like x1, w_2",
        "_": "names start with a letter, e.g. w_1",
    }
    raise ParseError(
        f"unexpected character {ch!r}",
        location=caret_location(source, pos),
        hint=hints.get(ch, "use numbers, names, + - * / ^ ( ) and functions like sin(x)"),
    )


class _Parser:
    """Recursive descent with precedence: + - < * / < unary - < ^ (right-assoc)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.i]

    def advance(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: _Tok, hint: str = "") -> ParseError:
        return ParseError(
            message,
            location=caret_location(self.source, tok.offset, max(1, len(tok.text))),
            hint=hint,
        )

    def expect(self, text: str, hint: str = "") -> _Tok:
        if self.tok.text != text or self.tok.kind not in ("op",):
            raise self.error(f"expected {text!r} but found {_describe(self.tok)}", self.tok, hint)
        return self.advance()

    def program(self) -> Program:
        statements: list[Assign] = []
        bare = False
        while self.tok.kind != "end":
            if self.tok.text == ";":
                self.advance()
                continue
            if bare:
                raise self.error(
                    "a bare expression must be the last statement", self.tokens[self.i - 1],
                    "give it a name, e.g. z = w*x + b",
                )
            statement, bare = self.statement()
            statements.append(statement)
            if self.tok.kind != "end" and self.tok.text != ";":
                raise self.error(f"unexpected {_describe(self.tok)}", self.tok,
                                 "write an operator between terms, e.g. 2*x rather than 2x")
        if not statements:
            raise ParseError("the input is empty", hint='write an expression, e.g. "x*y + 1"')
        return Program(tuple(statements), statements[-1].target, self.source, not bare)

    def statement(self) -> tuple[Assign, bool]:
        nxt = self.tokens[self.i + 1]
        if self.tok.kind == "name" and nxt.text == "=":
            name_tok = self.advance()
            _check_assignable(self, name_tok)
            self.advance()
            return Assign(name_tok.text, self.expression(), name_tok.offset), False
        start = self.tok.offset
        return Assign("", self.expression(), start), True

    def expression(self) -> Syntax:
        left = self.term()
        while self.tok.text in ("+", "-"):
            op = self.advance()
            left = Call(OPERATORS[op.text], (left, self.term()), op.offset)
        return left

    def term(self) -> Syntax:
        left = self.unary()
        while self.tok.text in ("*", "/"):
            op = self.advance()
            left = Call(OPERATORS[op.text], (left, self.unary()), op.offset)
        return left

    def unary(self) -> Syntax:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LimitError(
                f"the expression is nested more than {MAX_DEPTH} levels deep",
                location=caret_location(self.source, self.tok.offset),
                hint="split it into named steps: a = ...; b = ...",
            )
        try:
            if self.tok.text in ("-", "+"):
                op = self.advance()
                operand = self.unary()
                return operand if op.text == "+" else Call("neg", (operand,), op.offset)
            return self.power()
        finally:
            self.depth -= 1

    def power(self) -> Syntax:
        base = self.atom()
        if self.tok.text in ("^", "**"):
            op = self.advance()
            return Call("pow", (base, self.unary()), op.offset, len(op.text))
        return base

    def atom(self) -> Syntax:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return Num(_literal(self, tok), tok.offset, tok.text)
        if tok.kind == "name":
            self.advance()
            if self.tok.text == "(":
                return self.call(tok)
            if tok.text in FUNCTIONS:
                raise self.error(f"function {tok.text!r} needs an argument in parentheses", tok,
                                 f"write {tok.text}(x)")
            return Const(tok.text, tok.offset) if tok.text in CONSTANTS else Name(tok.text,
                                                                                   tok.offset)
        if tok.text == "(":
            self.advance()
            inner = self.expression()
            self.expect(")", "close every '(' with a ')'")
            return inner
        raise self.error(f"expected a number, a name or '(' but found {_describe(tok)}", tok,
                         _hint_for(tok))

    def call(self, name_tok: _Tok) -> Call:
        fname = name_tok.text
        if fname not in FUNCTIONS:
            raise _unknown_function(self, name_tok)
        op, arity = FUNCTIONS[fname]
        self.advance()  # "("
        args = [self.expression()]
        while self.tok.text == ",":
            self.advance()
            args.append(self.expression())
        self.expect(")", "close every '(' with a ')'")
        if len(args) != arity:
            raise self.error(f"{fname} takes {arity} argument{'s' if arity > 1 else ''}, "
                             f"got {len(args)}", name_tok, f"write {_usage(fname)}")
        return Call(op, tuple(args), name_tok.offset, len(fname))


def _describe(tok: _Tok) -> str:
    return "the end of the input" if tok.kind == "end" else repr(tok.text)


def _hint_for(tok: _Tok) -> str:
    if tok.kind == "end":
        return "the expression is incomplete; finish it after the last operator"
    if tok.text == "=":
        return "assignments look like name = expression, one per statement"
    return "check for a doubled operator or a missing operand"


def _usage(fname: str) -> str:
    return f"{fname}(a, b)" if FUNCTIONS[fname][1] == 2 else f"{fname}(x)"


def _unknown_function(parser: _Parser, tok: _Tok) -> ParseError:
    import difflib  # only on this error path

    supported = ", ".join(sorted(FUNCTIONS))
    close = difflib.get_close_matches(tok.text.lower(), list(FUNCTIONS), n=1)
    if tok.text in CONSTANTS:
        return parser.error(f"{tok.text!r} is a constant, not a function", tok,
                            f"multiply explicitly: {tok.text}*(...)")
    if close:
        hint = f"did you mean {close[0]!r}? Supported functions: {supported}"
        return parser.error(f"unknown function {tok.text!r}", tok, hint)
    if len(tok.text) <= 2 or tok.text[0].islower():
        hint = (f"if {tok.text} is a variable, multiply explicitly: {tok.text}*(...). "
                f"Supported functions: {supported}")
        return parser.error(f"unknown function {tok.text!r} (a variable cannot be called)",
                            tok, hint)
    return parser.error(f"unknown function {tok.text!r}", tok, f"supported: {supported}")


def _check_assignable(parser: _Parser, tok: _Tok) -> None:
    if tok.text in FUNCTIONS or tok.text in CONSTANTS:
        raise parser.error(f"{tok.text!r} is a built-in name and cannot be assigned", tok,
                           "choose another name, e.g. z1")


def _literal(parser: _Parser, tok: _Tok) -> Fraction:
    mantissa, _, exponent = tok.text.lower().partition("e")
    if len(mantissa) > MAX_LITERAL_DIGITS or (exponent and abs(int(exponent)) > MAX_LITERAL_DIGITS):
        raise LimitError(f"the number {tok.text[:20]}… is too large to handle",
                         location=caret_location(parser.source, tok.offset, len(tok.text)),
                         hint=f"numbers may have at most {MAX_LITERAL_DIGITS} digits "
                              f"and exponents up to ±{MAX_LITERAL_DIGITS}")
    return Fraction(mantissa) * Fraction(10) ** int(exponent or 0)


def parse_program(source: str) -> Program:
    """Parse ``a = ...; b = ...; expr`` (or a single expression) into a Program."""
    if len(source) > MAX_SOURCE_CHARS:
        raise LimitError(f"the input is {len(source)} characters long; the limit is "
                         f"{MAX_SOURCE_CHARS}", hint="split the model into smaller pieces")
    program = _Parser(source).program()
    _check_names(program)
    return program


def parse_expression(source: str) -> Syntax:
    """Parse a single expression (no assignments)."""
    program = parse_program(source)
    if len(program.statements) != 1 or program.named_output:
        raise ParseError("expected a single expression, not a program",
                         location=caret_location(source, program.statements[-1].offset),
                         hint='write just the expression, e.g. "x*y + 1"')
    return program.statements[0].value


def _check_names(program: Program) -> None:
    defined: dict[str, int] = {}
    for st in program.statements:
        for name in free_names(st.value):
            if name.id in defined or name.id == st.target:
                continue
            if any(later.target == name.id for later in program.statements):
                raise ParseError(f"{name.id!r} is used before it is assigned",
                                 location=caret_location(program.source, name.offset,
                                                         len(name.id)),
                                 hint="assign each name before the statement that uses it")
        if st.target in defined:
            raise ParseError(f"{st.target!r} is assigned twice",
                             location=caret_location(program.source, st.offset, len(st.target)),
                             hint="give each step its own name")
        if st.target:
            defined[st.target] = st.offset


