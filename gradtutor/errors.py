"""Errors (shared by every stage): what went wrong, where, and what to try."""

from __future__ import annotations

import re


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
        return LimitError("the input needs more memory than is available",
                          hint="try a smaller expression, program or file")
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
    if isinstance(err, OSError) and not isinstance(err, BrokenPipeError):
        name = f" {printable(str(err.filename))[:200]}" if err.filename else ""
        return InputError(f"cannot use{name}: {err.strerror or type(err).__name__}",
                          hint="check the path and the file's permissions")
    return None


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
    width = max(1, min(length, len(text) - (col - 1)))
    return f"{where}:\n  {text}\n  {' ' * (col - 1)}{'^' * width}"
