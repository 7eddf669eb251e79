"""Tensor forward mode entrance: a traced tensor program + --wrt NAME[=DIRECTION] → its tangents.

``--wrt x`` seeds a scalar input with ẋ = 1; a vector or matrix input needs its direction,
``--wrt x=[1,0,0]`` (read as --at values are), shaped like it, or one entry, ``--wrt x[0]`` /
``--wrt W[1,0]`` (the unit direction there). The other inputs get 0.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .errors import InputError


def with_tangent(result: Any, mode: str, wrt: str | None, read: Any) -> Any:
    """``result`` (a TensorTraceResult) with the forward sweep along the seed ``wrt``;
    ``read("x=[1,0]")`` reads a value as --at does (→ point, route)."""
    from .tensor_jvp import run_tensor_tangent

    names = [node.name for node in result.graph.inputs]
    text = wrt if wrt is not None else names[0] if len(names) == 1 else None
    if text is None:
        raise InputError("forward mode needs the input to seed (and, for a vector or a "
                         "matrix, the direction)", hint=f"add --wrt NAME, one of: "
                         f"{', '.join(names)}, e.g. --wrt {_example(result, names[0])}")
    name, _, direction = text.partition("=")
    name, entry = _entry(name.strip())
    if name not in names:
        raise InputError(f"--wrt {name!r} is not an input of the program",
                         hint=f"use one of: {', '.join(names)}")
    shape = result.graph.node(next(n.index for n in result.graph.inputs
                                   if n.name == name)).shape
    if entry is not None:  # --wrt x[1]: the unit direction e₁, one column of the Jacobian
        if direction.strip():
            raise InputError(f"--wrt {text}: give an entry (x[1]) or a direction (x=[0,1]), "
                             "not both", hint=f"--wrt {name}[0]")
        direction = _unit(name, shape, entry)
    if not direction.strip():
        if shape:
            raise InputError(f"--wrt {name}: {name} has shape {'×'.join(map(str, shape))}, "
                             "so forward mode needs a direction for it",
                             hint=f"--wrt {_example(result, name)} (ẋ = that direction, 0 "
                                  "for the other inputs)")
        direction = "1"
    seed = _direction(name, direction, shape, read, result)
    tangent = run_tensor_tangent(result.forward, name, seed)
    return replace(result, mode=mode, tangent=tangent)


def _direction(name: str, text: str, shape: tuple[int, ...], read: Any, result: Any) -> Any:
    from .tensor import Tensor

    point, _ = read(f"{name}={text}")
    value = point[name]
    array = value.array if isinstance(value, Tensor) else np.asarray(value, dtype=object)
    if tuple(np.shape(array)) != shape:
        raise InputError(f"--wrt {name}: the direction has shape "
                         f"{'×'.join(map(str, np.shape(array))) or 'scalar'}, but {name} has "
                         f"shape {'×'.join(map(str, shape)) or 'scalar'}",
                         hint=f"--wrt {_example(result, name)}")
    return result.forward.backend.wrap(array)


def _example(result: Any, name: str) -> str:
    node = next(n for n in result.graph.inputs if n.name == name)
    if not node.shape:
        return name
    size = int(np.prod(node.shape))
    entries = ["1"] + ["0"] * (size - 1)
    if len(node.shape) == 1:
        return f"{name}=[{','.join(entries)}]"
    rows = [entries[i:i + node.shape[1]] for i in range(0, size, node.shape[1])]
    return f"{name}=[" + ",".join("[" + ",".join(r) + "]" for r in rows) + "]"


def _entry(text: str) -> tuple[str, tuple[int, ...] | None]:
    """``x[1]`` → ("x", (1,)); ``W[1, -1]`` → ("W", (1, -1)); ``x`` → ("x", None)."""
    if not text.endswith("]") or "[" not in text:
        return text, None
    name, _, inside = text[:-1].partition("[")
    parts = [p.strip() for p in inside.replace("][", ",").split(",")]
    if not all(p.lstrip("-").isdigit() and len(p) <= 6 for p in parts):
        raise InputError(f"--wrt {text}: an entry is whole numbers in brackets, counting from 0",
                         hint=f"--wrt {name.strip()}[0]")
    return name.strip(), tuple(int(p) for p in parts)


def _unit(name: str, shape: tuple[int, ...], entry: tuple[int, ...]) -> str:
    """The direction text that is 1 at ``entry`` (negative counts from the end) and 0 elsewhere."""
    shown = ",".join(map(str, entry))
    if len(entry) != len(shape) or not all(-n <= k < n for k, n in zip(entry, shape,
                                                                       strict=True)):
        size = "×".join(map(str, shape)) or "scalar"
        raise InputError(f"--wrt {name}[{shown}]: {name} has shape {size}, so this is no entry "
                         "of it", hint=f"--wrt {name}[{','.join('0' * len(shape)) or '0'}]"
                         if shape else f"--wrt {name}")
    unit = np.zeros(shape, dtype=int)
    unit[entry] = 1
    return str(unit.tolist()).replace(" ", "")
