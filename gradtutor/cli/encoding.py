"""Stage 5, cli: printed text → the output stream's encoding, with readable ASCII stand-ins.

When stdout or stderr cannot carry ∂, v̄₋₂, ², σ or box drawing (``PYTHONIOENCODING=ascii``,
a latin-1 terminal), a codecs error handler writes ``d``, ``v_bar-2``, ``^2``, ``sigma`` and
``+-|`` instead of failing or printing ``?``. It is registered once, at CLI start.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

HANDLER = "gradtutor-ascii"

_TABLE = {
    "∂": "d", "−": "-", "·": "*", "×": "x", "÷": "/", "…": "...", "→": "->", "←": "<-",
    "↦": "->", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "∞": "oo", "√": "sqrt", "∑": "sum",
    "∏": "prod", "∇": "grad", "✓": "ok", "✗": "X", "✔": "ok", "✘": "X", "•": "*", "—": "--",
    "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "′": "'", "″": "''", "°": "deg",
    "\u0304": "_bar", "\u0305": "_bar", "\u0307": "_dot", "\u0302": "_hat", "\u0303": "_tilde",
    "\u00a0": " ", "▏": "|", "█": "#", "±": "+/-", "∈": " in ", "ε": "eps",
}
_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni")


def transliterate(text: str) -> str:
    """ASCII stand-ins for ``text`` (a run of characters the stream cannot encode)."""
    out: list[str] = []
    superscript = False
    for char in text:
        is_super = char in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"
        if is_super:
            out.append(("" if superscript else "^") + char.translate(_SUPER))
        else:
            out.append(_one(char))
        superscript = is_super
    return "".join(out)


def _one(char: str) -> str:
    if char.isascii():
        return char
    if char in _TABLE:
        return _TABLE[char]
    if "\ud800" <= char <= "\udfff":  # a lone surrogate: an undecodable byte from argv
        code = ord(char)
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
    if "\u2500" <= char <= "\u257f":  # box drawing
        words = set(unicodedata.name(char, "").split())
        if words & {"AND", "ARC", "DIAGONAL"}:
            return "+"
        if "VERTICAL" in words:
            return "|"
        return "=" if "DOUBLE" in words else "-"
    name = unicodedata.name(char, "")
    if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")):
        word = name.rsplit(" ", 1)[1].lower()
        return word if "SMALL" in name else word.capitalize()
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed != char:
        return "".join(c if c.isascii() else _one(c) for c in decomposed)
    return "" if unicodedata.combining(char) else "?"


def _handler(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    return transliterate(err.object[err.start:err.end]), err.end


def prepare_streams() -> None:
    """Register the handler and let stdout/stderr fall back to it (encoding unchanged)."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _handler)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=HANDLER)
            except (ValueError, OSError):
                pass
