"""Side entrance, program files: a path (or ``-`` for standard input) → the program's text.

Used by ``trace --file`` (and reusable by ``check``): the file goes through the one guarded
reader (regular files only, bounded size, UTF-8 checked with file:line:byte messages), and
standard input is read with the same bound and the same decoding checks.
"""

from __future__ import annotations

import sys

from .errors import InputError
from .parse import MAX_SOURCE_CHARS
from .textfile import _decode, read_text

HINT = "give the path of a text file holding the program, or - to read standard input"


def read_program(path: str) -> str:
    """The program in ``path`` (``-``: standard input); InputError naming the file otherwise."""
    limit = MAX_SOURCE_CHARS * 4  # UTF-8 bytes; the parser applies its own character limit
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"the program on standard input is longer than {limit:,} bytes",
                             hint="split the model into smaller pieces")
        text = _decode(data, "<stdin>", "program", InputError)
    else:
        text = read_text(path, "program file", max_bytes=limit, hint=HINT, error=InputError)
    if not text.strip():
        raise InputError(f"the program file '{path}' is empty", hint=HINT)
    return text
