"""Report files (feed cli): text → a file written atomically, never over an input, or a refusal."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError


def check_target(path: str, option: str, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse an empty path, a folder, or a file that is one of the inputs (a student's sheet)."""
    if not path.strip():
        raise InputError(f"{option} needs a file name, got an empty one",
                         hint=f"{option} grades.csv")
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{option} {path!r} is a folder", hint=f"{option} {target / 'out.csv'}")
    for given in inputs:
        if _same(target, Path(given)):
            raise InputError(f"{option} {path!r} is one of the input files; it would be "
                             "overwritten", hint=f"write to another file, e.g. {option} out.csv")
    return target


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        return False
    return a.resolve() == b.resolve()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename: all of it or nothing."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = None, None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            handle = None
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
        temp = None
    except OSError as err:
        old = " (the old file is unchanged)" if path.exists() else ""
        raise InputError(f"cannot write {str(path)!r}: {err.strerror or err}{old}",
                         hint="check the folder exists, is writable and the disk has room") \
            from None
    finally:
        if handle is not None:
            os.close(handle)
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
