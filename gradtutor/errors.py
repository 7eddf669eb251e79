"""Errors (shared by every stage): what went wrong, where, and what to try."""

from __future__ import annotations


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
