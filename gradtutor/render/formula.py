"""Render helpers: SymPy expressions → readable unicode text and LaTeX."""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..sym import WherePrinting

_SUPER = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_NAMES = {"pi": "π", "sigmoid": "σ", "sqrt": "√", "log": "ln"}


def _big(expr: sp.Rational) -> str | None:
    """Numbers of more than ~900 digits in scientific notation (str(int) refuses 4 300)."""
    if max(abs(expr.p), expr.q).bit_length() <= 3000:
        return None
    from ..numeric import format_value

    return format_value(Fraction(int(expr.p), int(expr.q)), 17, unicode=False)


class _TextPrinter(WherePrinting):
    """StrPrinter with ^ for powers (so the output reads like the input language)."""

    def _print_Rational(self, expr: sp.Rational) -> str:
        return _big(expr) or super()._print_Rational(expr)

    def _print_Integer(self, expr: sp.Integer) -> str:
        return _big(expr) or super()._print_Integer(expr)

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"step({self._print(expr.args[0])})"

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "e"

    def _print_Abs(self, expr: sp.Expr) -> str:
        return f"|{self._print(expr.args[0])}|"



def text(expr: sp.Expr | int) -> str:
    """``-1/v₂**2`` → ``−1/v₂²``; ``a*b`` → ``a·b``; small integer powers as superscripts."""
    raw = _TextPrinter({"order": "none"}).doprint(sp.Integer(expr) if isinstance(expr, int)
                                                  else expr)
    raw = re.sub(r"\*\*\((-?\d+)\)", lambda m: m.group(1).translate(_SUPER), raw)
    raw = re.sub(r"\*\*(\d+)", lambda m: m.group(1).translate(_SUPER), raw)
    raw = raw.replace("**", "^").replace("*", "·")
    raw = re.sub(r"\b(pi|sigmoid|sqrt|log)\b", lambda m: _NAMES[m.group(1)], raw)
    raw = re.sub(r"\b(Max|Min)\(", lambda m: m.group(1).lower() + "(", raw)
    # SymPy writes (−1 + p); a textbook writes (p − 1)
    raw = re.sub(r"\(-(\d+) \+ ((?:\w|σ|√)+(?:\([^()]*\))?)\)", r"(\2 - \1)", raw)
    return raw.replace("-", "−")


class _Latex(LatexPrinter):
    def _print_Rational(self, expr: sp.Rational) -> str:
        big = _big(expr)
        return big.replace("e+", r"\cdot 10^{").replace("e-", r"\cdot 10^{-") + "}" if big \
            else super()._print_Rational(expr)

    def _print_sigmoid(self, expr: sp.Expr, exp: str | None = None) -> str:
        inner = self._print(expr.args[0])
        return rf"\sigma\left({inner}\right)" + (f"^{{{exp}}}" if exp else "")

    def _print_relu(self, expr: sp.Expr, exp: str | None = None) -> str:
        return rf"\operatorname{{ReLU}}\left({self._print(expr.args[0])}\right)"

    def _print_leaky_relu(self, expr: sp.Expr, exp: str | None = None) -> str:
        return rf"\operatorname{{leaky\_ReLU}}\left({self._print(expr.args[0])}\right)"

    def _print_Heaviside(self, expr: sp.Expr, exp: str | None = None) -> str:
        return rf"\operatorname{{step}}\left({self._print(expr.args[0])}\right)"


def latex(expr: sp.Expr, names: dict[sp.Symbol, str] | None = None) -> str:
    """LaTeX with v-symbols written v_{-2} (``names`` maps symbols to their LaTeX)."""
    return _Latex({"symbol_names": names or {}, "ln_notation": True, "order": "none",
                   "mul_symbol": "dot"}).doprint(expr)
