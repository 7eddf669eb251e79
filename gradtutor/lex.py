"""Stage 1a, lex: text → tokens (ASCII and gradtutor's own printed notation, never eval).

gradtutor prints formulas with − · × ² ³ √ σ π and subscript digits (v₂, x₁); those characters
are read back here as the ASCII they stand for, so a line copied from a table parses again; a
module prefix (``math.exp``, ``np.tanh``, ``torch.sigmoid``) is read as the bare function name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .errors import LimitError, ParseError, caret_location

MAX_LITERAL_DIGITS = 400
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
# Printed operators and letters → the ASCII token they stand for.
_NOTATION = {"−": "-", "·": "*", "⋅": "*", "∙": "*", "×": "*", "÷": "/", "≤": "<=",
             "≥": ">=", "√": "√", "σ": "sigmoid", "π": "pi"}

_TOKEN = re.compile(
    r"(?P<space>[ \t\r]+|\#[^\n]*|(?:math|np|numpy|torch|jnp)\.(?=[A-Za-z]))|(?P<newline>\n)"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_₀-₉]*)"
    r"|(?P<sup>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|(?P<op>\*\*|[-+*/]=|[<>=]=|\.T(?![A-Za-z0-9_])|[-+*/^(),;=<>@\[\]|])"
    r"|(?P<note>[−·⋅∙×÷≤≥√σπ])"
)


@dataclass(frozen=True)
class Tok:
    kind: str  # num name op end
    text: str  # normalised: "−" is "-", "x₁" is "x1"
    offset: int
    length: int = 1  # characters in the source (for the caret)


def tokenize(source: str) -> list[Tok]:
    """All tokens of ``source``, a newline becoming ';'; comments (# …) are skipped."""
    tokens: list[Tok] = []
    pos = 0
    match = _TOKEN.match
    while pos < len(source):
        m = match(source, pos)
        if m is None:
            _bad_character(source, pos)
        kind, text = m.lastgroup or "", m.group()
        if kind == "newline":
            tokens.append(Tok("op", ";", pos))
        elif kind == "name":
            tokens.append(Tok("name", text.translate(_SUBSCRIPTS), pos, len(text)))
        elif kind == "sup":  # x² → x ^ 2, x⁻¹ → x ^ -1
            tokens.append(Tok("op", "^", pos, len(text)))
            digits = text.translate(_SUPERSCRIPTS)
            if digits.startswith("-"):
                tokens.append(Tok("op", "-", pos, 1))
            tokens.append(Tok("num", digits.lstrip("-"), pos, len(text)))
        elif kind == "note":
            word = _NOTATION[text]
            tokens.append(Tok("name" if word.isalpha() else "op", word, pos, 1))
        elif kind != "space":
            tokens.append(Tok(kind, text, pos, len(text)))
        pos = m.end()
    tokens.append(Tok("end", "", len(source), 1))
    return tokens


def _bad_character(source: str, pos: int) -> None:
    ch = source[pos]
    hints = {
        "'": "strings are not part of the language; write numbers and names only",
        '"': "strings are not part of the language; write numbers and names only",
        ".": "attribute access is not part of the language (only .T); use a function like "
             "relu(x) instead of x.relu()",
        "_": "names start with a letter, e.g. w_1",
        "!": "comparisons are < > <= >= ==, inside where(cond, a, b)",
    }
    raise ParseError(
        f"unexpected character {ch!r}",
        location=caret_location(source, pos),
        hint=hints.get(ch, "use numbers, names, + - * / ^ ( ) and functions like sin(x)"),
    )


def describe(tok: Tok) -> str:
    return "the end of the input" if tok.kind == "end" else repr(tok.text)


def hint_for(tok: Tok) -> str:
    if tok.kind == "end":
        return "the expression is incomplete; finish it after the last operator"
    if tok.text == "=":
        return "assignments look like name = expression, one per statement"
    return "check for a doubled operator or a missing operand"


def literal(source: str, tok: Tok) -> Fraction:
    """A number token's exact value (bounded: huge literals are a LimitError)."""
    mantissa, _, exponent = tok.text.lower().partition("e")
    if len(mantissa) > MAX_LITERAL_DIGITS or (exponent and abs(int(exponent)) > MAX_LITERAL_DIGITS):
        raise LimitError(f"the number {tok.text[:20]}… is too large to handle",
                         location=caret_location(source, tok.offset, len(tok.text)),
                         hint=f"numbers may have at most {MAX_LITERAL_DIGITS} digits "
                              f"and exponents up to ±{MAX_LITERAL_DIGITS}")
    return Fraction(mantissa) * Fraction(10) ** int(exponent or 0)
