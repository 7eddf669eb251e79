"""Side entrances' file reading: a path → checked UTF-8 text, or one error naming file, line, byte.

Problem files, answer sheets and table files all come through ``read_text``: it refuses what is
not a regular file (folders, FIFOs, devices such as /dev/zero), reads at most ``max_bytes``,
decodes UTF-8 (or UTF-16 with a byte-order mark) and refuses NUL and other control characters.
Messages say where the problem is and never echo the file's content.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path

from .errors import GradtutorError, ProblemFileError

MAX_BYTES = 4_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def read_text(path: str | Path, what: str = "file", *, max_bytes: int = MAX_BYTES,
              hint: str = "give the path of a .yaml file",
              error: type[GradtutorError] = ProblemFileError) -> str:
    """The text of the regular file at ``path``; ``error`` (file:line, byte) for anything else."""
    name = _shown(path)
    try:
        data = _read_bytes(path, name, what, max_bytes, hint, error)
    except OSError as err:
        raise error(f"cannot read the {what} '{name}': {_reason(err)}", hint=hint) from None
    return _decode(data, name, what, error)


def _read_bytes(path: str | Path, name: str, what: str, max_bytes: int, hint: str,
                error: type[GradtutorError]) -> bytes:
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise error(f"the {what} '{name}' is a folder, not a file", hint=hint)
    if not stat.S_ISREG(info.st_mode):
        raise error(f"the {what} '{name}' is not a regular file (a device, pipe or socket)",
                    hint=hint)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        data = handle.read(max_bytes + 1)  # bounded: /proc files report size 0
    if len(data) > max_bytes:
        raise error(f"the {what} '{name}' is larger than {max_bytes:,} bytes",
                    hint="split it into smaller files")
    return data


def _decode(data: bytes, name: str, what: str, error: type[GradtutorError]) -> str:
    encoding = "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):] if codec == "utf-8" else data, codec
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        guess = " (it looks like UTF-16 without a byte-order mark)" if b"\x00" in data else ""
        raise error(f"{name}:{line}: byte {err.start} (0x{data[err.start]:02x}) is not UTF-8"
                    f"{guess}", hint=f"save the {what} as UTF-8 text") from None
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        kind = f"a control character (U+{ord(bad.group()):04X})"
        if bad.group() == "\x00":
            kind = "a NUL byte" + (" (UTF-16 without a byte-order mark, or a binary file?)"
                                   if text.count("\x00") * 4 >= len(text) else "")
        raise error(f"{name}:{line}: column {column} holds {kind}; the {what} must be plain "
                    "text", hint=f"remove it, or save the {what} as UTF-8 text")
    return text


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOENT:
        return "no such file"
    if err.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    return err.strerror or type(err).__name__


def _shown(path: str | Path) -> str:
    """The path as the user gave it, shortened and with control characters escaped."""
    from .errors import printable

    text = printable(str(path))
    return text if len(text) <= 120 else f"{text[:60]}…{text[-40:]}"
