"""Stage 0b, tensor point: raw values (numbers, nested lists, arrays) → one route's arrays.

Vectors and matrices arrive as nested lists (from --at, JSON, YAML or Python) or numpy arrays
(.npz, Python). All are checked (ragged, empty, too large), then converted on the route
:func:`gradtutor.tensor.choose_route` picks for the whole point: exact or float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InputError
from .numeric import Value
from .tensor import (
    MAX_ENTRIES,
    MAX_NDIM,
    Shape,
    Tensor,
    as_float,
    choose_route,
    exact_tensor,
    flatten,
    float_tensor,
    nested_shape,
    number_entry,
)


def is_tensor_value(value: Any) -> bool:
    return isinstance(value, list | tuple | np.ndarray | Tensor)


def _array_shape(array: np.ndarray, name: str) -> Shape:
    if array.ndim > MAX_NDIM:
        raise InputError(f"{name!r} has {array.ndim} dimensions; vectors and matrices only")
    if array.size == 0:
        raise InputError(f"{name!r} is empty", hint="give at least one entry")
    if array.size > MAX_ENTRIES:
        raise InputError(f"{name!r} has {array.size} entries, more than {MAX_ENTRIES}")
    if array.dtype.kind not in "iuf" and array.dtype != object:
        raise InputError(f"{name!r} holds {array.dtype} values, not numbers")
    return tuple(array.shape)


def tensor_point(raw: dict[str, Any], scalar: Any, from_text: Any
                 ) -> tuple[dict[str, Value | Tensor], str]:
    """name → Value or Tensor on one route, and the route ("exact" or "float")."""
    shapes: dict[str, Shape] = {}
    floats = False
    for name, value in raw.items():
        if isinstance(value, Tensor):
            shapes[name], floats = value.shape, floats or not value.exact
        elif isinstance(value, np.ndarray):
            shapes[name] = _array_shape(value, name)
            floats = floats or value.dtype.kind == "f"
        elif isinstance(value, list | tuple):
            shapes[name] = nested_shape(value, repr(name))
    sizes = [int(np.prod(s)) for s in shapes.values()]
    route = choose_route(sizes, floats)
    point: dict[str, Value | Tensor] = {}
    for name, value in raw.items():
        if name not in shapes:
            point[name] = scalar(name, value)
        else:
            point[name] = _convert(value, shapes[name], route, repr(name), from_text)
    return point, route


def _convert(value: Any, shape: Shape, route: str, name: str, from_text: Any) -> Tensor:
    if isinstance(value, Tensor):
        return as_float(value) if route == "float" else value
    if route == "float" and isinstance(value, np.ndarray):
        return float_tensor(value)
    if route == "float":
        try:
            return float_tensor(np.asarray(value, dtype=np.float64))
        except (TypeError, ValueError):
            pass  # entries written as text (1/3, pi/4): read each one exactly first
    entries = [number_entry(v.item() if isinstance(v, np.generic) else v, name, from_text)
               for v in (value.ravel().tolist() if isinstance(value, np.ndarray)
                         else flatten(value, shape))]
    tensor = exact_tensor(entries, shape)
    return as_float(tensor) if route == "float" else tensor
