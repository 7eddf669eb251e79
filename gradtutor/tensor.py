"""Tensor values (shared by the tensor stages): nested lists / arrays → Tensor, and back.

A tensor's entries live in one numpy array. Two routes, chosen in one place
(:func:`choose_route`): *exact* — an object array of Fractions (and 50-digit mpmath numbers as
soon as an irrational function enters), as the scalar tables are — for small rational inputs;
*float* — a float64 array, for real layers (more than ``EXACT_MAX_ENTRIES`` entries in all, or
values that arrive as binary floats from a .npz file).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import InputError, LimitError
from .numeric import Value, from_sympy, to_mpf

EXACT_MAX_ENTRIES = 4096  # all inputs together; beyond this values are float64
MAX_ENTRIES = 5_000_000  # per tensor
MAX_NDIM = 2  # vectors and matrices

Shape = tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Tensor:
    """A vector or matrix value: ``shape`` and entries (exact objects or float64)."""

    array: np.ndarray

    @property
    def shape(self) -> Shape:
        return tuple(self.array.shape)

    @property
    def exact(self) -> bool:
        return self.array.dtype == object

    def tolist(self) -> Any:
        """Nested lists of numbers in the tensor's shape (a number for shape ())."""
        return self.array.tolist()

    def __getitem__(self, index: Any) -> Any:
        return self.array[index]

    def __eq__(self, other: object) -> bool:
        other_array = other.array if isinstance(other, Tensor) else np.asarray(other)
        return self.shape == other_array.shape and bool(np.all(self.array == other_array))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tensor(shape={self.shape}, {self.tolist()!r})"


def shape_text(shape: Shape) -> str:
    """() → "scalar", (3,) → "3", (2, 3) → "2×3"."""
    return "×".join(str(n) for n in shape) if shape else "scalar"


def nested_shape(value: Any, name: str) -> Shape:
    """The shape of nested lists, refusing ragged, empty and too deep or too large ones."""
    shape: list[int] = []
    level = value
    while isinstance(level, list | tuple):
        if not level:
            raise InputError(f"{name} has an empty {'vector' if not shape else 'row'}",
                             hint="give at least one entry, e.g. x=[1,2,3]")
        shape.append(len(level))
        if len(shape) > MAX_NDIM:
            raise InputError(f"{name} has more than {MAX_NDIM} dimensions",
                             hint="use vectors [1,2] and matrices [[1,2],[3,4]]")
        level = level[0]
    size = int(np.prod(shape)) if shape else 1
    if size > MAX_ENTRIES:
        raise LimitError(f"{name} has {size} entries, more than {MAX_ENTRIES}",
                         hint="trace a smaller layer")
    _check_rows(value, tuple(shape), name)
    return tuple(shape)


def _check_rows(value: Any, shape: Shape, name: str) -> None:
    if len(shape) == 2:
        for i, row in enumerate(value):
            if not isinstance(row, list | tuple) or len(row) != shape[1]:
                got = len(row) if isinstance(row, list | tuple) else "a number, not a list"
                raise InputError(f"{name} is ragged: row 0 has {shape[1]} entries, row {i} "
                                 f"has {got}", hint="every row of a matrix needs the same "
                                 "length, e.g. [[1,2],[3,4]]")
    for entry in (e for row in value for e in row) if len(shape) == 2 else value:
        if isinstance(entry, list | tuple):
            raise InputError(f"{name} is ragged: it mixes numbers and lists",
                             hint="e.g. [[1,2],[3,4]], not [1,[2,3]]")


def choose_route(sizes: list[int], floats: bool) -> str:
    """The one place the numeric route is chosen: "exact" for small rational inputs."""
    return "float" if floats or sum(sizes) > EXACT_MAX_ENTRIES else "exact"


def exact_tensor(entries: list[Value], shape: Shape) -> Tensor:
    array = np.empty(len(entries), dtype=object)
    array[:] = entries
    return Tensor(array.reshape(shape))


def float_tensor(array: Any) -> Tensor:
    result = np.asarray(array, dtype=np.float64)
    if not np.all(np.isfinite(result)):
        raise InputError("a tensor value has an entry that is not a finite number")
    return Tensor(result)


def as_float(tensor: Tensor) -> Tensor:
    if not tensor.exact:
        return tensor
    return Tensor(np.vectorize(entry_float, otypes=[np.float64])(tensor.array)
                  if tensor.array.size else tensor.array.astype(np.float64))


def entry_float(value: Any) -> float:
    return float(value) if isinstance(value, Fraction) else float(to_mpf(value))


def flatten(value: Any, shape: Shape) -> list[Any]:
    if len(shape) == 2:
        return [e for row in value for e in row]
    return list(value) if shape else [value]


_FAST_TEXT = 60  # longer text or an exponent goes through the guarded reader


def number_entry(value: Any, name: str, from_text: Any) -> Value:
    """One entry of a tensor value: int, float (as written), Fraction, or text (1/3, pi/4)."""
    if isinstance(value, bool):
        raise InputError(f"{name} has an entry that is not a number: {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(f"{name} has an entry that is not a finite number: {value}")
        return Fraction(repr(value))
    if hasattr(value, "is_Number"):  # a SymPy number read from a problem file
        return from_sympy(value)
    if isinstance(value, str):
        if len(value) <= _FAST_TEXT and "e" not in value.lower():
            try:
                return Fraction(value.strip())  # plain decimals and fractions: fast path
            except (ValueError, ZeroDivisionError):
                pass
        return from_sympy(from_text(value, f"entry of {name}"))  # guarded: 1e999999999 refused
    raise InputError(f"{name} has an entry that is not a number: {value!r}")


def tensor_text(array: Any, digits: int = 6) -> str:
    """Nested-list text of a value, for feedback: [[4.5, 9, 13.5], [0, 0, 0]]."""
    from .numeric import format_value

    array = np.asarray(array, dtype=object)
    if array.ndim == 0:
        value = array[()]
        return format_value(float(value) if isinstance(value, np.floating) else value, digits)
    return "[" + ", ".join(tensor_text(item, digits) for item in array) + "]"
