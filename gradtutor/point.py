"""Stage 0, the point: --at texts and --at-file files → name → number or nested list.

``x=[1,2,3],W=[[1,-1,2],[0,1,-1]],b=1/2``: pairs are split at top-level commas only (commas
inside brackets belong to the value); ``--at`` may be repeated. Files: a JSON or YAML object
(name → number or nested list), or a numpy ``.npz`` archive. Never eval: brackets are read
here, each entry as a number by the expression grammar's value reader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError, caret_location

MAX_FILE_BYTES = 200_000_000


def split_pairs(text: str) -> list[tuple[int, str]]:
    """Top-level comma-separated items with their offsets; brackets must balance."""
    items: list[tuple[int, str]] = []
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                raise InputError("a ']' without its '['", location=caret_location(text, i),
                                 hint="--at x=[1,2,3]")
        elif char == "," and depth == 0:
            items.append((start, text[start:i]))
            start = i + 1
    if depth:
        raise InputError("a '[' is never closed", location=caret_location(text, len(text)),
                         hint="--at W=[[1,2],[3,4]]")
    items.append((start, text[start:]))
    return items


def read_list(text: str, offset: int, source: str, label: str = "--at value") -> Any:
    """``[[1,2],[3,4]]`` → [["1","2"],["3","4"]]; entries stay text for the value reader."""
    stack: list[list[Any]] = []
    result: Any = None
    entry_start = -1
    last = ""  # the previous character that is not a space
    for i, char in enumerate(text + " "):
        if (char == "," and last in ("[", ",")) or (char == "]" and last == ","):
            _bad(source, offset + i, "an empty entry (two commas, or a comma next to a "
                 "bracket)", label)
        last = char if not char.isspace() else last
        if char in "[],":
            if entry_start >= 0:
                stack[-1].append(text[entry_start:i].strip())
                entry_start = -1
            if char == "[":
                stack.append([])
            elif char == "]":
                done = stack.pop()
                if not stack:
                    result = done
                    if text[i + 1:].strip():
                        _bad(source, offset + i + 1, "text after the closing ']'", label)
                else:
                    stack[-1].append(done)
            elif not stack:
                _bad(source, offset + i, "a ',' outside the brackets", label)
        elif not char.isspace() and entry_start < 0 and stack:
            entry_start = i
        elif not stack and not char.isspace() and result is None:
            _bad(source, offset + i, "a value list starts with '['", label)
    if stack or result is None:
        _bad(source, offset + len(text), "a '[' is never closed", label)
    return result


def _bad(source: str, offset: int, what: str, label: str) -> None:
    hint = "--at x=[1,2,3] --at W=[[1,-1,2],[0,1,-1]]" if label.startswith("--at") else \
        "a vector [1, 2, 3] or a matrix [[1, -1, 2], [0, 1, -1]]"
    raise InputError(f"{label}: {what}", location=caret_location(source, offset), hint=hint)


def read_at(texts: list[str], parse_value: Any) -> dict[str, Any]:
    """Every --at text → name → SymPy number or nested lists of entry texts, in order."""
    point: dict[str, Any] = {}
    for text in texts:
        if not text.strip():
            continue
        for start, item in split_pairs(text):
            lead = start + len(item) - len(item.lstrip())
            where = caret_location(text, lead, len(item.strip()))
            name, eq, value = item.partition("=")
            name, value = name.strip(), value.strip()
            if not eq or not name or not value:
                raise InputError(f"--at expects name=value pairs, got {item.strip()!r}",
                                 location=where, hint="--at x=0.3,w=0.5 or --at x=[1,2,3]")
            if not name.isidentifier() or name.startswith("_"):
                raise InputError(f"{name!r} is not a variable name", location=where,
                                 hint="--at x=0.3,w=0.5")
            if name in point:
                raise InputError(f"{name!r} is given twice in --at", location=where,
                                 hint="give each variable one value")
            offset = item.index("=") + start + 1
            offset += len(item[item.index("=") + 1:]) - len(item[item.index("=") + 1:].lstrip())
            point[name] = (read_list(value, offset, text) if value.startswith("[")
                           else parse_value(name, value, where))
    return point


def read_file(path_text: str) -> dict[str, Any]:
    """A values file (.json, .yaml/.yml, .npz) → name → number or nested list / array."""
    path = Path(path_text)
    if not path.is_file():
        raise InputError(f"--at-file {path_text}: no such file", hint="check the path")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"--at-file {path_text}: larger than {MAX_FILE_BYTES} bytes")
    suffix = path.suffix.lower()
    if suffix == ".npz":
        return _read_npz(path)
    from .textfile import read_text

    text = read_text(path, "values file", max_bytes=MAX_FILE_BYTES, error=InputError,
                     hint="give a .json or .yaml file of name → value")
    try:
        data = json.loads(text) if suffix == ".json" else _yaml(text)
    except ValueError as err:
        raise InputError(f"--at-file {path_text}: not valid {suffix[1:].upper()}: {err}",
                         hint='write an object such as {"x": [1, 2, 3], "b": 0.5}') from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise InputError(f"--at-file {path_text}: expected an object of name → value",
                         hint='{"x": [1, 2, 3], "W": [[1, -1, 2], [0, 1, -1]]}')
    return data


def _yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ValueError(str(err).splitlines()[0]) from None


def _read_npz(path: Path) -> dict[str, Any]:
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (ValueError, OSError) as err:
        raise InputError(f"--at-file {path}: not a readable .npz archive: {err}") from None
