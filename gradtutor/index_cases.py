"""Stage 3e, index form: program + of/wrt entries + shapes → concrete cases with their Jacobians.

The sizes are the given shapes and two more built from them: each distinct size is mapped to
another (2×3 → 3×2 and 1×4), so that a pattern true only because a matrix happens to be
square, or only at one size, is caught. Values are random rationals (seeded: reproducible).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .errors import DomainError, GradtutorError, InputError, LimitError
from .index_eval import Case, sizes_label
from .index_form import IEntry, parse_entry
from .parse import Program, input_names, parse_program
from .tensor import exact_tensor

MAX_SIDE = 12  # the largest size of one axis in an index part
MAX_ENTRIES = 4096  # the largest Jacobian (output entries × input entries) per case
OTHER_SIZES = ((1, 4, 2, 5, 3, 6), (4, 2, 5, 3, 6, 1))
_SHAPE = re.compile(r"\s*(\d{1,7})\s*(?:[x×*]\s*(\d{1,7})\s*)?\Z")


@dataclass(frozen=True, eq=False)
class IndexSetup:
    """What an index part differentiates, and the concrete cases it is checked on."""

    of: IEntry
    wrt: IEntry
    free: tuple[str, ...]  # the output entry's indices, then the input entry's
    origin: dict[str, str]  # free index → where it comes from: "z[k]"
    cases: tuple[Case, ...]


def parse_shape(text: str, name: str) -> tuple[int, ...]:
    if text.strip().lower() in ("scalar", "()"):
        return ()
    m = _SHAPE.match(text)
    if m is None:
        raise InputError(f"shape of {name}: {text!r} is not a shape",
                         hint="write 3 for a vector, 2x3 for a matrix, scalar for a number")
    shape = tuple(int(g) for g in m.groups() if g is not None)
    if not all(1 <= s <= MAX_SIDE for s in shape):
        raise LimitError(f"shape of {name}: {text!r} — an index part checks every entry, so "
                         f"each size must be between 1 and {MAX_SIDE}",
                         hint="the pattern is the same at any size: use small ones, e.g. 2x3")
    return shape


def truncated(source: str, of: str) -> Program:
    """The program up to the statement that assigns ``of`` (its output)."""
    program = parse_program(source)
    for n, statement in enumerate(program.statements):
        if statement.target == of:
            return Program(program.statements[: n + 1], of, program.source, True)
    names = [s.target for s in program.statements if s.target]
    raise InputError(f"of: {of!r} is not a name the program assigns",
                     hint=f"one of: {', '.join(names)}")


def size_sets(given: dict[str, tuple[int, ...]]) -> list[dict[str, tuple[int, ...]]]:
    """The given shapes, then the same shapes with each distinct size mapped to another."""
    sizes = sorted({s for shape in given.values() for s in shape})
    maps = [dict(zip(sizes, reversed(sizes), strict=True))]
    maps += [dict(zip(sizes, pool, strict=False)) for pool in OTHER_SIZES
             if len(sizes) <= len(pool)]
    out = [given]
    for mapping in maps:
        other = {n: tuple(mapping[s] for s in shape) for n, shape in given.items()}
        if other not in out:
            out.append(other)
    return out


def index_setup(source: str, of_text: str, wrt_text: str, shapes: dict[str, str],
                seed: int = 0) -> IndexSetup:
    of, wrt = parse_entry(of_text), parse_entry(wrt_text)
    free = (*of.indices, *wrt.indices)
    if not all(isinstance(i, str) for i in free) or len(set(free)) != len(free):
        raise InputError(f"of: {of_text} and wrt: {wrt_text} need distinct letters as indices",
                         hint="of: z[k], wrt: W[i,j]")
    program = truncated(source, of.name)
    inputs = input_names(program)
    if wrt.name not in inputs:
        raise InputError(f"wrt: {wrt.name!r} is not an input of {of.name} = …",
                         hint=f"the inputs it depends on: {', '.join(inputs)}")
    unknown = [n for n in shapes if n not in input_names(parse_program(source))]
    if unknown:
        raise InputError(f"shapes: {unknown[0]!r} is not an input of the program",
                         hint=f"the inputs: {', '.join(inputs)}")
    given = {n: parse_shape(shapes.get(n, "scalar"), n) for n in inputs}
    rng = random.Random(seed)
    cases = []
    for number, sizes in enumerate(size_sets(given)):
        case = _case(program, sizes, of, wrt, rng, first=number == 0)
        if case is not None:
            cases.append(case)
        if len(cases) == 3:
            break
    origin = {i: f"{of.name}[{','.join(map(str, of.indices))}]" for i in of.indices}
    origin.update({i: f"{wrt.name}[{','.join(map(str, wrt.indices))}]" for i in wrt.indices})
    return IndexSetup(of, wrt, free, origin, tuple(cases))  # type: ignore[arg-type]


def _case(program: Program, sizes: dict[str, tuple[int, ...]], of: IEntry, wrt: IEntry,
          rng: random.Random, first: bool) -> Case | None:
    """One size: random values, the trace, the Jacobian ∂of/∂wrt; None if the sizes don't fit."""
    from .tensor_api import trace_tensor

    if not _fits(program, sizes, of, wrt, first):
        return None
    last: GradtutorError | None = None
    for _ in range(4):  # random values may leave a domain (log of a negative): draw again
        point = {n: _random(shape, rng) for n, shape in sizes.items()}
        try:
            result = trace_tensor(program, point, "exact")
        except DomainError as err:
            last = err
            continue
        return _with_jacobian(result, sizes, of, wrt)
    if first and last is not None:
        raise last
    return None


def _fits(program: Program, sizes: dict[str, tuple[int, ...]], of: IEntry, wrt: IEntry,
          first: bool) -> bool:
    """The shapes build (the given ones must), and the Jacobian is small enough to expand."""
    from .tensor_graph import build_tensor_graph

    try:
        graph = build_tensor_graph(program, list(sizes), sizes)
    except GradtutorError:
        if first:
            raise
        return False  # a coincidence of the given sizes that other sizes do not share
    entries = int(np.prod(graph.output.shape)) * int(np.prod(sizes[wrt.name]))
    if entries > MAX_ENTRIES:
        raise LimitError(f"∂{of.name}/∂{wrt.name} has {entries} entries at sizes "
                         f"{sizes_label(sizes)}; an index part checks at most {MAX_ENTRIES}",
                         hint="use small shapes, e.g. 2x3: the pattern is the same")
    return True


def _with_jacobian(result: object, sizes: dict[str, tuple[int, ...]], of: IEntry,
                   wrt: IEntry) -> Case:
    graph = result.graph  # type: ignore[attr-defined]
    jacobian = result.jacobian_arrays[wrt.name]  # type: ignore[attr-defined]
    out_shape, in_shape = graph.output.shape, sizes[wrt.name]
    for entry, shape in ((of, out_shape), (wrt, in_shape)):
        if len(entry.indices) != len(shape):
            raise InputError(f"{entry.name} has shape {shape or 'scalar'}, so its entry takes "
                             f"{len(shape)} ind{'ex' if len(shape) == 1 else 'ices'}, not "
                             f"{len(entry.indices)}", hint="of: z[k] for a vector, W[i,j] "
                             "for a matrix, L for a number")
    env = {n.name: v for n, v in zip(graph.nodes, result.forward.values,  # type: ignore
                                     strict=True) if n.name}
    ranges = dict(zip((*of.indices, *wrt.indices), (*out_shape, *in_shape), strict=True))
    return Case(sizes_label(sizes) or "scalars", env, ranges,  # type: ignore[arg-type]
                np.asarray(jacobian, dtype=object).reshape(out_shape + in_shape), result)


def _random(shape: tuple[int, ...], rng: random.Random) -> object:
    def draw() -> Fraction:
        return Fraction(rng.choice((-1, 1)) * rng.randint(1, 4), rng.choice((2, 3, 4)))

    if not shape:
        return draw()
    return exact_tensor([draw() for _ in range(int(np.prod(shape)))], shape)
