"""Errors (shared by every stage): what went wrong, where, and what to try."""

from __future__ import annotations

import functools
import inspect
import os
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeVar


class GradtutorError(Exception):
    """A problem with the user's input: the CLI prints it and exits with code 2.

    ``message`` says what is wrong, ``location`` where (a column with a caret line, or a
    YAML key path), ``hint`` what to try.
    """

    exit_code = 2

    def __init__(self, message: str, *, location: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The whole message as the user sees it: one paragraph, no traceback."""
        parts = [self.message]
        if self.location:
            parts.append(self.location)
        if self.hint:
            parts.append(f"Try: {self.hint}")
        return "\n".join(parts)


class ParseError(GradtutorError):
    """The text is not in gradtutor's expression language."""


class InputError(GradtutorError):
    """The input is well-formed but unusable (a name without a value, a bad --at value …)."""


class ShapeError(InputError):
    """Operands whose shapes an operation cannot take (W@x with W's columns ≠ x's entries)."""


class DomainError(GradtutorError):
    """A node is evaluated outside its domain (division by zero, log of a negative …)."""


class LimitError(GradtutorError):
    """The input is too large to handle safely (length, nesting depth, huge powers)."""


class ProblemFileError(GradtutorError):
    """A YAML problem file or answer sheet does not follow the declared format."""


# Python refuses to print ints past this many digits (sys.get_int_max_str_digits).
INT_DIGITS = 4300

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """User text made safe for a terminal: control characters (ESC …) and lone surrogates
    are shown as escapes (``\\x1b``), so input cannot move the cursor or recolour the screen."""
    return _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)


def as_user_error(err: BaseException) -> GradtutorError | None:
    """A failure that is really a limit or an impossible request → the user's error, or None.

    The one place that names the limit: memory, recursion depth, huge numbers, time budgets,
    SymPy's "not implemented", and the operating system refusing a file.
    """
    text = str(err).splitlines()[0][:300] if str(err) else ""
    if isinstance(err, MemoryError):
        return LimitError("gradtutor ran out of memory (the input needs more than the "
                          "memory available to it)",
                          hint="try a smaller expression, program or file, or allow more "
                               "memory (ulimit -v)")
    if isinstance(err, RecursionError):
        return LimitError("the input is nested too deeply to handle (Python's recursion "
                          "limit)", hint="split it into a program of shorter steps: a = ...; "
                                         "b = ...")
    if isinstance(err, ValueError) and "integer string conversion" in text:
        return LimitError(f"a number has more than {INT_DIGITS} digits, too many to print",
                          hint="use smaller numbers or exponents, or a decimal point "
                               "(1e5000 is refused too)")
    if isinstance(err, OverflowError):
        return LimitError(f"a number is too large to handle ({text or 'overflow'})",
                          hint="use smaller numbers or exponents")
    if isinstance(err, ArithmeticError):  # numeric.OutsideDomain, ZeroDivisionError
        return DomainError(f"a value is outside its domain: {text or 'division by zero'}",
                           hint="choose a point where every step is defined")
    if isinstance(err, TimeoutError):
        return LimitError(f"this takes too long{': ' + text if text else ''}",
                          hint="simplify the input or ask for less (a lower order, fewer "
                               "steps)")
    if isinstance(err, NotImplementedError):
        return InputError(f"SymPy cannot do this in closed form{': ' + text if text else ''}",
                          hint="rewrite the question, or ask for a number at a point")
    if isinstance(err, ValueError) and "null byte" in text:
        return InputError("a path contains a NUL character", hint="check the path")
    if isinstance(err, OSError) and not isinstance(err, BrokenPipeError):
        name = f" {printable(str(err.filename))[:200]}" if err.filename else ""
        return InputError(f"cannot use{name}: {err.strerror or type(err).__name__}",
                          hint="check the path and the file's permissions")
    return None


CARET_WINDOW = 80  # characters of a long line shown around the error's column


def caret_location(source: str, offset: int, length: int = 1) -> str:
    """Show ``source`` with a caret under ``offset`` (0-based); multi-line aware."""
    offset = max(0, min(offset, len(source)))
    line_start = source.rfind("\n", 0, offset) + 1
    line_end = source.find("\n", offset)
    if line_end == -1:
        line_end = len(source)
    line_no = source.count("\n", 0, offset) + 1
    col = offset - line_start + 1
    text = source[line_start:line_end]
    where = f"at line {line_no}, column {col}" if "\n" in source else f"at column {col}"
    width = max(1, min(length, len(text) - (col - 1), CARET_WINDOW // 2))
    start = max(0, min(col - 1 - CARET_WINDOW // 2, len(text) - CARET_WINDOW))
    end = min(len(text), start + CARET_WINDOW)
    # long lines are shown as a window around the column; control characters as escapes
    before = ("…" if start else "") + printable(text[start:col - 1])
    shown = before + printable(text[col - 1:end]) + ("…" if end < len(text) else "")
    caret = "^" * max(1, len(printable(text[col - 1:col - 1 + width])))
    return f"{where}:\n  {shown}\n  {' ' * len(before)}{caret}"


# The public API's arguments: name → (accepted types, what to write). Anything else, and every
# limit-like failure inside, becomes a GradtutorError (``guarded``).
_PATH = (str, os.PathLike)
_ARGS: dict[str, tuple[tuple[type, ...], str]] = {
    "source": ((str,), "an expression or program as text, e.g. 'x*y + 1'"),
    "at": ((str, dict, list, tuple), "'x=0.3,w=0.5' or a dict {'x': 0.3}"),
    "wrt": ((str,), "a variable name such as 'x'"),
    "mode": ((str,), "'reverse', 'forward' or 'both'"),
    "order": ((str,), "'paper' or 'written'"),
    "expand": ((bool,), "True or False"),
    "at_file": (_PATH, "the path of a file of values"),
    "part": ((str,), "a part id such as 'a'"),
    "answer": ((str, int, float, Fraction), "a formula or a number, e.g. '2*x' or -4.8"),
    "table": ((*_PATH, dict), "the path of a table file, or a dict"),
    "rtol": ((str, int, float, Fraction), "a number such as '1e-3'"),
    "atol": ((str, int, float, Fraction), "a number such as '0.01'"),
    "sigfigs": ((int,), "a whole number such as 3"),
    "answers": ((*_PATH, dict, list, tuple), "a sheet's path, a folder, a dict, or a list"),
    "assume": ((str, dict), "'x > 0' or a dict"),
}
_F = TypeVar("_F", bound=Callable[..., Any])
_LEAKS = (ArithmeticError, RecursionError, MemoryError, OSError, NotImplementedError,
          TimeoutError, ValueError)


def guarded(function: _F) -> _F:
    """A public API function whose bad arguments and limit failures raise GradtutorError."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as err:
            raise InputError(f"{function.__name__}(): {err}") from None
        for name, value in bound.arguments.items():
            _check_argument(function.__name__, name, value)
        try:
            return function(*args, **kwargs)
        except _LEAKS as err:
            user = as_user_error(err)
            if user is None:
                raise
            raise user from None

    return wrapper  # type: ignore[return-value]


def _check_argument(function: str, name: str, value: Any) -> None:
    if name in ("source", "problem") and value is None:
        if function == "check":
            return  # check(problem=…, answers=…) without a source; check says what it needs
        raise InputError(f"{function}(): {name} is None", hint=f"give the {name} as text")
    if name == "problem":
        if value is None or isinstance(value, bytes | int | float | list | dict | tuple):
            raise InputError(f"{function}(): problem must be a bundled name or a path, "
                             f"not {type(value).__name__}", hint="e.g. 'ad_table'")
        return
    if isinstance(value, dict) and name not in _ARGS:  # **values: names are text
        bad = next((k for k in value if not isinstance(k, str)), None)
        if bad is not None:
            raise InputError(f"{function}(): a variable name must be text, got {bad!r}")
        for key, item in value.items():
            if isinstance(item, complex | bytes) or item is None:
                raise InputError(f"{function}(): the value of {key!r} must be a real number, "
                                 f"not {type(item).__name__}", hint=f"{key}=0.3")
        return
    if name not in _ARGS or value is None:
        return
    types, example = _ARGS[name]
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        raise InputError(f"{function}(): {name} must be {example}, not "
                         f"{type(value).__name__}", hint=f"{name}={example.split(',')[0]}")
    if isinstance(value, list | tuple) and name == "at" and \
            not all(isinstance(item, str) for item in value):
        raise InputError(f"{function}(): at as a list holds texts such as 'x=0.3'")
    if isinstance(value, dict) and name in ("at", "answers", "assume", "table"):
        bad = next((k for k in value if not isinstance(k, str)), None)
        if bad is not None:
            raise InputError(f"{function}(): the keys of {name} must be text, got {bad!r}")
