"""Output files (shared by the CLI's writers): bytes or text → a file, written atomically.

The data goes to a temporary file in the target's folder, which then replaces the target in
one rename: a reader never sees half a file, and a failed write leaves the old one intact.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import InputError


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` (text as UTF-8); returns the path written."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return write_with(path, lambda tmp: Path(tmp).write_bytes(raw))


def write_with(path: str | Path, writer: Callable[[str], object]) -> Path:
    """Let ``writer`` fill a temporary file, then rename it to ``path``.

    Folders that do not exist or cannot be written are the user's to fix: exit 2.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(f"cannot write {path}: it is a folder", hint="--output picture.svg")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix or ".tmp",
                                   dir=folder)
        os.close(fd)
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror or err}",
                         hint="choose a file in a folder that exists and that you can write"
                         ) from None
    try:
        writer(tmp)
        os.replace(tmp, target)
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror or err}",
                         hint="choose a file in a folder that exists and that you can write"
                         ) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
