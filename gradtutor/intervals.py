"""Sets of reals as students write them: `(-1, 1)`, `w1 < -1.15`, `x >= 0` → interval pieces.

Forms: intervals with ( [ ) ], endpoints numbers or ±oo (∞, inf); inequalities in one
variable, also chained (`0 < a <= 1`); unions with `U`, `∪` or `or`; `R` (all reals) and `{}`
(empty). Numbers go through the project's safe parser; each endpoint keeps the text it was
written as, so a checker can compare it to the precision written. SymPy sets convert to the
same pieces for comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from .errors import InputError
from .sym import parse_value

MAX_PIECES = 20
HINT = "write an interval such as (-1, 1) or [0, oo), or an inequality such as w1 < -1.15"
_OPS = {"<=": "<=", ">=": ">=", "≤": "<=", "≥": ">=", "<": "<", ">": ">"}
_INTERVAL = re.compile(r"^\s*([(\[])\s*([^,]+?)\s*,\s*([^,]+?)\s*([)\]])\s*$")
_COMPARE = re.compile(r"(<=|>=|≤|≥|<|>)")
_NAME = re.compile(r"^[A-Za-z_]\w*$")
_INFINITE = {"oo": sp.oo, "+oo": sp.oo, "-oo": -sp.oo, "∞": sp.oo, "+∞": sp.oo, "-∞": -sp.oo,
             "inf": sp.oo, "+inf": sp.oo, "-inf": -sp.oo}


@dataclass(frozen=True)
class Bound:
    value: sp.Expr  # a real number, or ±oo
    closed: bool
    text: str = ""  # as written ("-1.15"), for the precision; "" for one we made up


@dataclass(frozen=True)
class Piece:
    low: Bound
    high: Bound


def parse_set(text: str) -> tuple[Piece, ...]:
    """The set a student wrote, as sorted interval pieces (empty tuple: the empty set)."""
    clean = text.replace("\u2212", "-").strip()
    if clean in ("{}", "∅", "empty"):
        return ()
    parts = [p for p in re.split(r"\s+(?:U|or)\s+|∪", clean) if p.strip()]
    if not parts or len(parts) > MAX_PIECES:
        raise InputError(f"cannot read the set {text!r}", hint=HINT)
    pieces = [_piece(p.strip(), text) for p in parts]
    return tuple(sorted(pieces, key=lambda p: p.low.value))


def _piece(part: str, whole: str) -> Piece:
    if part in ("R", "ℝ", "reals"):
        return Piece(Bound(-sp.oo, False), Bound(sp.oo, False))
    m = _INTERVAL.match(part)
    if m:
        low, high = _end(m.group(2), whole), _end(m.group(3), whole)
        piece = Piece(Bound(low, m.group(1) == "[" and low.is_finite, m.group(2)),
                      Bound(high, m.group(4) == "]" and high.is_finite, m.group(3)))
        if low > high or (low == high and not (piece.low.closed and piece.high.closed)):
            raise InputError(f"the interval {part!r} is empty or reversed", hint=HINT)
        return piece
    return _inequality(part, whole)


def _inequality(part: str, whole: str) -> Piece:
    tokens = [t.strip() for t in _COMPARE.split(part)]
    terms, ops = tokens[0::2], [_OPS[t] for t in tokens[1::2]]
    names = [i for i, t in enumerate(terms) if _NAME.match(t) and t not in _INFINITE]
    if len(names) != 1 or not ops or len(ops) > 2 or (len(ops) == 2 and names != [1]):
        raise InputError(f"cannot read the set {whole!r}", hint=HINT)
    low, high = Bound(-sp.oo, False), Bound(sp.oo, False)
    at = names[0]
    for i, op in enumerate(ops):
        other = i if i < at else i + 1  # the term on the far side of this operator
        bound = Bound(_end(terms[other], whole), "=" in op, terms[other])
        var_is_left = other > at
        upper = (op.startswith("<") and var_is_left) or (op.startswith(">") and not var_is_left)
        low, high = (low, bound) if upper else (bound, high)
    if low.value > high.value:
        raise InputError(f"the set {part!r} is empty", hint=HINT)
    return Piece(low, high)


def _end(text: str, whole: str) -> sp.Expr:
    text = text.strip()
    if text in _INFINITE:
        return _INFINITE[text]
    try:
        return parse_value(text, f"endpoint in {whole!r}")
    except InputError:
        raise InputError(f"cannot read the endpoint {text!r} in {whole!r}", hint=HINT) from None


def pieces_of(s: sp.Set) -> tuple[Piece, ...]:
    """A SymPy set of reals (intervals, unions, points) → the same pieces."""
    items = s.args if isinstance(s, sp.Union) else (s,)
    pieces: list[Piece] = []
    for item in items:
        if item is sp.S.EmptySet:
            continue
        if item is sp.S.Reals:
            pieces.append(Piece(Bound(-sp.oo, False), Bound(sp.oo, False)))
        elif isinstance(item, sp.Interval):
            pieces.append(Piece(Bound(item.start, not item.left_open and item.start.is_finite),
                                Bound(item.end, not item.right_open and item.end.is_finite)))
        elif isinstance(item, sp.FiniteSet):
            pieces += [Piece(Bound(p, True), Bound(p, True)) for p in item.args]
        else:
            raise InputError(f"the set {item} is not a union of intervals",
                             hint="ask for a set of real numbers in one variable")
    return tuple(sorted(pieces, key=lambda p: p.low.value))


def show(pieces: tuple[Piece, ...]) -> str:
    """Pieces as a textbook writes them: (−1, 1) ∪ [2, ∞)."""
    if not pieces:
        return "∅"
    return " ∪ ".join(f"{'[' if p.low.closed else '('}{show_number(p.low.value)}, "
                      f"{show_number(p.high.value)}{']' if p.high.closed else ')'}" for p in pieces)


def show_number(value: sp.Expr) -> str:
    if value.is_infinite:
        return "−∞" if value < 0 else "∞"
    text = str(value) if value.is_Rational else f"{str(value)} ≈ {sp.N(value, 6)}"
    return text.replace("-", "−").replace("**", "^")
