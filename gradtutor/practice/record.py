"""Practice, record: a finished session → one JSON line appended to a record file; stats of one.

Appending is atomic: the file's old bytes plus the new line go to a temporary file in the same
folder, which then replaces the file, so a crash never leaves half a line behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InputError
from .session import State
from .summary import Summary

RECORD_VERSION = 1
MAX_RECORD_BYTES = 50_000_000


def session_record(state: State, summary: Summary, when: datetime | None = None) -> dict:
    """The JSON object of one session (the format is in docs/practice.md)."""
    ex = state.exercise
    stamp = (when or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    return {
        "version": RECORD_VERSION, "when": stamp,
        "exercise": {"expression": ex.expression, "at": dict(ex.at), "mode": ex.mode,
                     "level": ex.level, "seed": ex.seed, "problem": ex.problem or None},
        "cells": [asdict(r) | {"answers": list(r.answers), "mistakes": list(r.mistakes)}
                  for r in state.records],
        "score": [summary.credit, summary.cells], "right": summary.right,
        "right_first": summary.right_first, "hints": summary.hints,
        "mistakes": dict(summary.mistakes), "review": summary.review,
        "completed": summary.completed}


def append_record(path: str | Path, record: dict) -> None:
    """Append one line to ``path`` atomically (temp file + rename)."""
    path = Path(path)
    old = _read_bytes(path)
    if old and not old.endswith(b"\n"):
        old += b"\n"  # a file cut short elsewhere: keep its lines apart from ours
    line = json.dumps(record, ensure_ascii=False, sort_keys=False).encode("utf-8") + b"\n"
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(old + line)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as err:
        raise InputError(f"cannot write the record file {str(path)!r}: {err.strerror}",
                         hint="give a path in a folder you can write to") from None


def check_writable(path: str | Path) -> None:
    """Refuse a record path that cannot be written, before any session is spent on it."""
    path = Path(path)
    _read_bytes(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise InputError(f"cannot write the record file {str(path)!r}: no such folder, or it "
                         "is not writable", hint="--record progress.jsonl")


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        return b""
    if path.is_dir():
        raise InputError(f"the record file {str(path)!r} is a folder",
                         hint="--record progress.jsonl")
    if path.stat().st_size > MAX_RECORD_BYTES:
        raise InputError(f"the record file {str(path)!r} is larger than 50 MB",
                         hint="start a new record file")
    return path.read_bytes()


def read_records(path: str | Path) -> tuple[list[dict[str, Any]], list[int]]:
    """The sessions in a record file, and the line numbers of lines that are not sessions."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such record file: {str(path)!r}",
                         hint="record sessions with --record FILE first")
    text = _read_bytes(path).decode("utf-8", errors="replace")
    sessions, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            bad.append(number)
            continue
        if isinstance(item, dict) and isinstance(item.get("cells"), list):
            sessions.append(item)
        else:
            bad.append(number)
    return sessions, bad
