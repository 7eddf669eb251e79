"""Stage 1, index form: text such as ``delta(k,i)*x[j]`` → an index expression (never eval).

A small whitelisted grammar beside the program language: numbers, entries ``x[j]``,
``W[k,i]`` (letters are free or summed indices, whole numbers count from 0), the Kronecker
delta ``delta(k,i)``, scalar functions of entries (``sigmoid(z[k])``), explicit sums
``sum(W[k,m]*x[m], m)``, with + - * / ^. gradtutor's own printed notation reads back:
``δ_ki·x_j``, ``σ(z_k)``, ``Σ_m(W_km·x_m)``, ``1 − s_i``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .errors import LimitError, ParseError, caret_location
from .lex import literal
from .vocab import FUNCTIONS, TENSOR_OPS

MAX_CHARS = 2000
MAX_DEPTH = 60
Index = str | int  # a letter (free or summed) or a fixed 0-based position


@dataclass(frozen=True)
class INum:
    value: Fraction
    offset: int


@dataclass(frozen=True)
class IEntry:
    """An entry of a named value: ``x[j]``, ``W[k,i]``, or a scalar name (no indices)."""

    name: str
    indices: tuple[Index, ...]
    offset: int
    length: int
    subscript: bool = False  # written x_j: the split into name and indices is tentative


@dataclass(frozen=True)
class IDelta:
    a: Index
    b: Index
    offset: int


@dataclass(frozen=True)
class ICall:
    op: str  # add sub mul div pow neg, or a scalar function's operation
    args: tuple[IExpr, ...]
    offset: int


@dataclass(frozen=True)
class ISum:
    body: IExpr
    index: str
    offset: int


IExpr = INum | IEntry | IDelta | ICall | ISum

_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<delta>δ_(?:\{[A-Za-z0-9]+,?[A-Za-z0-9]+\}|[A-Za-z0-9]{2}))"
    r"|(?P<sigma>Σ_(?:\{[A-Za-z]\w*\}|[A-Za-z]))"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*|[δσ])"
    r"|(?P<sup>[²³])"
    r"|(?P<op>\*\*|[-+*/^(),\[\]·⋅×−])"
)
_OPS = {"·": "*", "⋅": "*", "×": "*", "−": "-", "**": "^"}


@dataclass(frozen=True)
class Tok:
    kind: str
    text: str
    offset: int


def _tokens(source: str) -> list[Tok]:
    out, pos = [], 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            raise ParseError(f"unexpected character {source[pos]!r} in an index expression",
                             location=caret_location(source, pos),
                             hint="write entries x[j], W[k,i], delta(k,i), sum(…, m) and "
                                  "+ - * / ^")
        kind, text = m.lastgroup or "", m.group()
        if kind == "op":
            text = _OPS.get(text, text)
        elif kind == "sup":
            out.append(Tok("op", "^", pos))
            kind, text = "num", "2" if text == "²" else "3"
        if kind != "space":
            out.append(Tok(kind, text, pos))
        pos = m.end()
    return out + [Tok("end", "", len(source))]


def _split_pair(text: str) -> tuple[str, str]:
    inner = text.strip("{}")
    if "," in inner:
        a, b = inner.split(",")
        return a, b
    return inner[0], inner[1:]


def as_index(text: str) -> Index:
    return int(text) if text.isdigit() else text


class _Parser:
    def __init__(self, source: str) -> None:
        self.source, self.tokens, self.i, self.depth = source, _tokens(source), 0, 0

    @property
    def tok(self) -> Tok:
        return self.tokens[self.i]

    def take(self) -> Tok:
        self.i += 1
        return self.tokens[self.i - 1]

    def fail(self, message: str, tok: Tok, hint: str = "") -> ParseError:
        width = max(1, len(tok.text))
        return ParseError(message, location=caret_location(self.source, tok.offset, width),
                          hint=hint or "e.g. delta(k,i)*x[j]")

    def expect(self, text: str) -> Tok:
        if self.tok.text != text or self.tok.kind != "op":
            found = "the end" if self.tok.kind == "end" else repr(self.tok.text)
            raise self.fail(f"expected {text!r} but found {found}", self.tok)
        return self.take()

    def whole(self) -> IExpr:
        if self.tok.kind == "end":
            raise self.fail("the index expression is empty", self.tok)
        expr = self.sum()
        if self.tok.kind != "end":
            raise self.fail(f"unexpected {self.tok.text!r}", self.tok,
                            "write an operator between factors, e.g. delta(k,i)*x[j]")
        return expr

    def sum(self) -> IExpr:
        left = self.term()
        while self.tok.text in ("+", "-") and self.tok.kind == "op":
            op = self.take()
            left = ICall("add" if op.text == "+" else "sub", (left, self.term()), op.offset)
        return left

    def term(self) -> IExpr:
        left = self.unary()
        while self.tok.text in ("*", "/") and self.tok.kind == "op":
            op = self.take()
            left = ICall("mul" if op.text == "*" else "div", (left, self.unary()), op.offset)
        return left

    def unary(self) -> IExpr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LimitError(f"the index expression is nested more than {MAX_DEPTH} levels "
                             "deep", location=caret_location(self.source, self.tok.offset),
                             hint="write it flatter: a product of a few factors")
        try:
            if self.tok.text in ("-", "+") and self.tok.kind == "op":
                op = self.take()
                inner = self.unary()
                return inner if op.text == "+" else ICall("neg", (inner,), op.offset)
            base = self.atom()
            if self.tok.text == "^":
                op = self.take()
                return ICall("pow", (base, self.unary()), op.offset)
            return base
        finally:
            self.depth -= 1

    def atom(self) -> IExpr:
        tok = self.take()
        if tok.kind == "num":
            return INum(literal(self.source, _lex_tok(tok)), tok.offset)
        if tok.kind == "delta":
            a, b = _split_pair(tok.text[2:])
            return IDelta(as_index(a), as_index(b), tok.offset)
        if tok.kind == "sigma":
            self.expect("(")
            body = self.sum()
            self.expect(")")
            return ISum(body, tok.text[2:].strip("{}"), tok.offset)
        if tok.kind == "name":
            return self.named(tok)
        if tok.text == "(":
            inner = self.sum()
            self.expect(")")
            return inner
        found = "the end of the input" if tok.kind == "end" else repr(tok.text)
        raise self.fail(f"expected a number, an entry such as x[j] or '(' but found {found}",
                        tok)

    def named(self, tok: Tok) -> IExpr:
        if self.tok.text == "(":
            return self.call(tok)
        if self.tok.text == "[":
            self.take()
            indices = [self.index()]
            while self.tok.text == ",":
                self.take()
                indices.append(self.index())
            end = self.expect("]")
            return IEntry(tok.text, tuple(indices), tok.offset, end.offset + 1 - tok.offset)
        if tok.text in FUNCTIONS or tok.text in ("δ", "σ", "delta"):
            raise self.fail(f"{tok.text!r} needs its arguments in parentheses", tok,
                            "delta(k,i), sigmoid(z[k])")
        return IEntry(tok.text, (), tok.offset, len(tok.text), subscript="_" in tok.text)

    def index(self) -> Index:
        tok = self.take()
        if tok.kind == "name" and tok.text.isalnum() and tok.text not in FUNCTIONS:
            return tok.text
        if tok.kind == "num" and tok.text.isdigit():
            return int(tok.text)
        raise self.fail("an index is a letter (k, i, j …) or a whole number counting from 0",
                        tok, "x[j], W[k,i], z[0]")

    def call(self, tok: Tok) -> IExpr:
        name = {"δ": "delta", "σ": "sigmoid"}.get(tok.text, tok.text)
        self.take()  # "("
        if name == "delta":
            a = self.index()
            self.expect(",")
            b = self.index()
            self.expect(")")
            return IDelta(a, b, tok.offset)
        if name == "sum":
            body = self.sum()
            self.expect(",")
            index = self.index()
            self.expect(")")
            if not isinstance(index, str):
                raise self.fail("sum(…, m) names the summed index with a letter", tok)
            return ISum(body, index, tok.offset)
        op, arity = FUNCTIONS.get(name, ("", 0))
        if not op or op in TENSOR_OPS or arity != 1:
            raise self.fail(f"{name!r} is not a function of one entry", tok,
                            "scalar functions such as sigmoid, exp, log, tanh; delta(k,i); "
                            "sum(…, m)")
        arg = self.sum()
        self.expect(")")
        return ICall(op, (arg,), tok.offset)


def _lex_tok(tok: Tok) -> object:
    from .lex import Tok as LexTok

    return LexTok("num", tok.text, tok.offset, len(tok.text))


def parse_index(source: str) -> IExpr:
    """Parse an index expression (the answer of an index part)."""
    if len(source) > MAX_CHARS:
        raise LimitError(f"the index expression is {len(source)} characters long; the limit "
                         f"is {MAX_CHARS}", hint="write the pattern for one entry")
    return _Parser(source).whole()


def parse_entry(source: str) -> IEntry:
    """``z[k]``, ``W[i,j]``, ``z_k`` or a scalar name ``L``: what an index part differentiates."""
    expr = parse_index(source)
    if not isinstance(expr, IEntry):
        raise ParseError(f"{source!r} is not an entry", location=caret_location(source, 0),
                         hint="write the entry with letters for its indices: z[k], W[i,j]")
    return expr

