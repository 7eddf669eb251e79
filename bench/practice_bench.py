"""In-process timings of `gradtutor practice`: building an exercise and judging every cell.

A session on the sin/cos ladder of depth L (from bench.py) answers every cell right, one line
at a time, through the same ``step`` the CLI calls. Nothing is asserted: the figures show
whether the time per cell stays flat as the table grows (the session must be linear).

    python bench/practice_bench.py                # L = 5, 20, 80
    python bench/practice_bench.py --ladders 10,40,160

The tensor session does the same on a ReLU network of ``depth`` layers ``width`` wide
(one cell per tensor node): time per cell as the layers get wider and the network deeper.

    python bench/practice_bench.py --tensor 4x2,4x8,4x32,16x2,32x2
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ladder_program  # noqa: E402

LADDERS = (5, 20, 80)
TENSORS = ((4, 2), (4, 8), (4, 32), (16, 2), (32, 2))  # (width, depth)


def right_answer(cell: object) -> str:
    return cell.answer.replace("−", "-")  # type: ignore[attr-defined]


def session_seconds(layers: int) -> tuple[int, float, float]:
    """(cells, seconds to build the exercise, seconds to answer every cell right)."""
    return _timed_session(ladder_program(layers), "x=1", f"L={layers}")


def relu_network(width: int, depth: int) -> tuple[str, list[str]]:
    """h1 = relu(W1@x); … hd = relu(Wd@h(d-1)); L = sum(hd): the program and its --at texts."""
    lines, previous, at = [], "x", [f"x={[(i % 3) - 1 for i in range(width)]}"]
    for k in range(1, depth + 1):
        lines.append(f"h{k} = relu(W{k}@{previous} + 1)")
        matrix = [[((i + 2 * j + k) % 5) - 2 for j in range(width)] for i in range(width)]
        at.append(f"W{k}={matrix}".replace(" ", ""))
        previous = f"h{k}"
    lines.append(f"L = sum({previous})")
    return "; ".join(lines), [a.replace(" ", "") for a in at]


def tensor_session_seconds(width: int, depth: int) -> tuple[int, float, float]:
    """(cells, seconds to build, seconds to answer every cell right) for a ReLU network."""
    program, at = relu_network(width, depth)
    return _timed_session(program, at, f"{width}x{depth}")


def _timed_session(program: str, at: str | list[str], label: str) -> tuple[int, float, float]:
    """(cells, seconds to build the exercise, seconds to answer every cell right)."""
    from gradtutor.practice.build import expression_exercise
    from gradtutor.practice.session import start, step

    began = time.perf_counter()
    exercise = expression_exercise(program, at)
    built = time.perf_counter() - began
    state = start(exercise)
    began = time.perf_counter()
    for cell in exercise.cells:
        state, said = step(state, right_answer(cell))
        if said[0].kind != "right":
            raise SystemExit(f"{label}: {cell.id} = {cell.answer} judged {said}")
    return len(exercise.cells), built, time.perf_counter() - began


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ladders", default=",".join(map(str, LADDERS)))
    parser.add_argument("--tensor", default=",".join(f"{w}x{d}" for w, d in TENSORS),
                        help="ReLU networks WIDTHxDEPTH")
    args = parser.parse_args(argv)
    session_seconds(1)  # warm up imports and caches
    print(f"{'ladder':<8} {'cells':>6} {'build s':>9} {'answer s':>9} {'ms/cell':>8}")
    for layers in (int(p) for p in args.ladders.split(",") if p.strip()):
        cells, built, answered = session_seconds(layers)
        print(f"L={layers:<6} {cells:>6} {built:>9.3f} {answered:>9.3f} "
              f"{1000 * answered / cells:>8.2f}")
    print(f"\n{'width×depth':<12} {'cells':>6} {'build s':>9} {'answer s':>9} {'ms/cell':>8}")
    for spec in (p for p in args.tensor.split(",") if p.strip()):
        width, depth = (int(n) for n in spec.split("x"))
        cells, built, answered = tensor_session_seconds(width, depth)
        print(f"{spec:<12} {cells:>6} {built:>9.3f} {answered:>9.3f} "
              f"{1000 * answered / cells:>8.2f}")


if __name__ == "__main__":
    main()
