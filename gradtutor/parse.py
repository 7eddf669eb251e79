"""Stage 1, parse: tokens → syntax tree (whitelisted grammar, never eval) → SymPy on request.

A name assigned again (``c = c + 1``, ``c += 1``) gets a new version, written c, c₂, c₃ …: each
reads the previous binding, so the tables show the history. Loops over sums and products are
iterative, so a flat sum of any length parses in linear time.
"""

from __future__ import annotations

from fractions import Fraction

from .errors import LimitError, ParseError, caret_location
from .lex import Tok, describe, hint_for, literal, tokenize
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
    postorder,
)
from .vocab import (
    AUGMENTED,
    COMPARISONS,
    CONSTANTS,
    FUNCTIONS,
    OPERATORS,
    OVERLOADS,
    unknown_function,
    usage,
)

__all__ = [
    "CONSTANTS", "FUNCTIONS", "MAX_EXACT_DIGITS", "Assign", "Call", "Const", "Name", "Num",
    "Program", "Syntax", "free_names", "guard_power", "input_names", "parse_expression",
    "parse_program", "postorder", "version_name",
]

MAX_SOURCE_CHARS = 1_000_000  # 20 000 one-line assignments fit
MAX_DEPTH = 100
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_CONSTANT_WORDS = {"e": "the constant e ≈ 2.71828", "pi": "the constant π"}


def version_name(name: str, version: int) -> str:
    """The n-th binding of a name: c, c₂, c₃ …"""
    return name if version == 1 else name + str(version).translate(_SUB)


class _Parser:
    """Recursive descent: comparison < + - < * / @ < unary - √ < ^ (right) < postfix [k] .T."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0
        self.statement_no = 0
        self.bound: dict[str, str] = {}  # name → its current version
        self.versions: dict[str, int] = {}
        self.free_use: dict[str, tuple[int, Tok]] = {}  # first use while unbound
        self.notes: list[str] = []

    @property
    def tok(self) -> Tok:
        return self.tokens[self.i]

    def advance(self) -> Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: Tok, hint: str = "") -> ParseError:
        return ParseError(message, location=caret_location(self.source, tok.offset,
                                                           max(1, tok.length)), hint=hint)

    def expect(self, text: str, hint: str = "") -> Tok:
        if self.tok.text != text or self.tok.kind != "op":
            raise self.error(f"expected {text!r} but found {describe(self.tok)}", self.tok, hint)
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
            self.statement_no += 1
            if self.tok.kind != "end" and self.tok.text != ";":
                raise self.error(f"unexpected {describe(self.tok)}", self.tok,
                                 "write an operator between terms, e.g. 2*x rather than 2x")
        if not statements:
            raise ParseError("the input is empty", hint='write an expression, e.g. "x*y + 1"')
        return Program(tuple(statements), statements[-1].target, self.source, not bare,
                       tuple(dict.fromkeys(self.notes)))

    def statement(self) -> tuple[Assign, bool]:
        nxt = self.tokens[self.i + 1]
        if self.tok.kind == "name" and (nxt.text == "=" or nxt.text in AUGMENTED):
            name_tok = self.advance()
            op_tok = self.advance()
            value = self.expression()
            if op_tok.text in AUGMENTED:  # c += e is c = c + (e)
                value = Call(AUGMENTED[op_tok.text], (self.read_name(name_tok), value),
                             op_tok.offset, len(op_tok.text))
            return Assign(self.bind(name_tok), value, name_tok.offset), False
        start = self.tok.offset
        return Assign("", self.expression(), start), True

    def bind(self, tok: Tok) -> str:
        """A new version of the assigned name (the first keeps the plain name)."""
        name = tok.text
        first_use = self.free_use.get(name)
        if name not in self.versions and first_use and first_use[0] < self.statement_no:
            use = first_use[1]
            raise self.error(f"{name!r} is used before it is assigned", use,
                             "assign each name before the statement that uses it")
        if name not in self.versions:
            self.note_shadowing(name)
        # x = x + 1 with x never assigned: x is an input and the new binding is x₂
        if name in self.versions:
            version = self.versions[name] + 1
        else:
            version = 2 if first_use else 1
        self.versions[name] = version
        self.bound[name] = version_name(name, version)
        return self.bound[name]

    def note_shadowing(self, name: str) -> None:
        if name in CONSTANTS:
            self.notes.append(f"{name} is assigned in this program, so after that assignment "
                              f"{name} is that variable, not {_CONSTANT_WORDS[name]}")
        elif name in FUNCTIONS:
            self.notes.append(f"{name} is assigned in this program: the name {name} is that "
                              f"variable, while {name}(…) still calls the function")

    def read_name(self, tok: Tok) -> Syntax:
        if tok.text in self.bound:
            return Name(self.bound[tok.text], tok.offset)
        if tok.text in CONSTANTS:
            return Const(tok.text, tok.offset)
        self.free_use.setdefault(tok.text, (self.statement_no, tok))
        return Name(tok.text, tok.offset)

    def expression(self, condition: bool = False) -> Syntax:
        start = self.tok
        left = self.sum()
        if self.tok.text in COMPARISONS:
            op = self.advance()
            right = self.sum()
            if self.tok.text in COMPARISONS:
                raise self.error("comparisons cannot be chained", self.tok,
                                 "compare two things: where(x > 0, a, b)")
            if not condition:
                raise self.error("a comparison is not a number; it can only be the condition "
                                 "of where(cond, a, b)", op, "where(x > 0, x, 0.01*x)")
            return Call(COMPARISONS[op.text], (left, right), op.offset, len(op.text))
        if condition:
            raise self.error("the condition of where must be a comparison", start,
                             "where(x > 0, a, b); comparisons are < > <= >= ==")
        return left

    def sum(self) -> Syntax:
        left = self.term()
        while self.tok.text in ("+", "-"):
            op = self.advance()
            left = Call(OPERATORS[op.text], (left, self.term()), op.offset)
        return left

    def term(self) -> Syntax:
        left = self.unary()
        while self.tok.text in ("*", "/", "@"):
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
            if self.tok.text in ("-", "+", "√") and self.tok.kind == "op":
                op = self.advance()
                operand = self.unary()
                if op.text == "√":
                    return Call("sqrt", (operand,), op.offset)
                return operand if op.text == "+" else Call("neg", (operand,), op.offset)
            return self.power()
        finally:
            self.depth -= 1

    def power(self) -> Syntax:
        base = self.postfix(self.atom())
        if self.tok.text in ("^", "**"):
            op = self.advance()
            return Call("pow", (base, self.unary()), op.offset, op.length)
        return base

    def postfix(self, base: Syntax) -> Syntax:
        """Indexing z[0], z[-1], W[1, 0] (= W[1][0]; 0-based, as in numpy) and A.T."""
        while self.tok.text in ("[", ".T"):
            op = self.advance()
            if op.text == ".T":
                base = Call("transpose", (base,), op.offset, 2)
                continue
            base = Call("index", (base, self.index_number()), op.offset)
            while self.tok.text == ",":  # W[1, 0]: row 1, then entry 0 of that row
                self.advance()
                base = Call("index", (base, self.index_number()), op.offset)
            self.expect("]", "close the index with ']'")
        return base

    def index_number(self) -> Num:
        """A whole number, optionally negative (z[-1] is the last entry, as in numpy)."""
        sign = self.advance() if self.tok.text == "-" else None
        index = self.tok
        if index.kind != "num" or not index.text.isdigit():
            raise self.error("an index is a whole number written out, counting from 0",
                             index, "z[0] is the first element, z[-1] the last (as in numpy)")
        self.advance()
        value = -int(index.text) if sign else int(index.text)
        start = sign.offset if sign else index.offset
        return Num(Fraction(value), start, ("-" if sign else "") + index.text)

    def atom(self) -> Syntax:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return Num(literal(self.source, tok), tok.offset, tok.text)
        if tok.kind == "name":
            self.advance()
            if self.tok.text == "(":
                return self.call(tok)
            if tok.text in FUNCTIONS and tok.text not in self.bound:
                raise self.error(f"function {tok.text!r} needs an argument in parentheses", tok,
                                 f"write {usage(tok.text)}")
            return self.read_name(tok)
        if tok.text in ("(", "|"):
            self.advance()
            inner = self.expression()
            if tok.text == "|":
                self.expect("|", "close |x| with a second '|'")
                return Call("abs", (inner,), tok.offset)
            self.expect(")", "close every '(' with a ')'")
            return inner
        raise self.error(f"expected a number, a name or '(' but found {describe(tok)}", tok,
                         hint_for(tok))

    def call(self, name_tok: Tok) -> Call:
        fname = name_tok.text
        if fname not in FUNCTIONS:
            raise _unknown_function(self, name_tok)
        op, arity = FUNCTIONS[fname]
        self.advance()  # "("
        args = [self.expression(condition=fname == "where")]
        while self.tok.text == ",":
            self.advance()
            args.append(self.expression())
        self.expect(")", "close every '(' with a ')'")
        if len(args) != arity:
            if (fname, len(args)) in OVERLOADS:
                return Call(OVERLOADS[fname, len(args)], tuple(args), name_tok.offset,
                            len(fname))
            raise self.error(f"{fname} takes {arity} argument{'s' if arity > 1 else ''}, "
                             f"got {len(args)}", name_tok, f"write {usage(fname)}")
        return Call(op, tuple(args), name_tok.offset, len(fname))


def _unknown_function(parser: _Parser, tok: Tok) -> ParseError:
    kind = "constant" if tok.text in CONSTANTS else "variable" if tok.text in parser.bound else ""
    message, hint = unknown_function(tok.text, kind)
    return parser.error(message, tok, hint)


def parse_program(source: str) -> Program:
    """Parse ``a = ...; b = ...; expr`` (or a single expression) into a Program."""
    if len(source) > MAX_SOURCE_CHARS:
        raise LimitError(f"the input is {len(source)} characters long; the limit is "
                         f"{MAX_SOURCE_CHARS}", hint="split the model into smaller pieces")
    return _Parser(source).program()


def parse_expression(source: str) -> Syntax:
    """Parse a single expression (no assignments)."""
    program = parse_program(source)
    if len(program.statements) != 1 or program.named_output:
        raise ParseError("expected a single expression, not a program",
                         location=caret_location(source, program.statements[-1].offset),
                         hint='write just the expression, e.g. "x*y + 1"')
    return program.statements[0].value
