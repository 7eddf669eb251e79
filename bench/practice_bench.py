"""In-process timings of `gradtutor practice`: building an exercise and judging every cell.

A session on the sin/cos ladder of depth L (from bench.py) answers every cell right, one line
at a time, through the same ``step`` the CLI calls. Nothing is asserted: the figures show
whether the time per cell stays flat as the table grows (the session must be linear).

    python bench/practice_bench.py                # L = 5, 20, 80
    python bench/practice_bench.py --ladders 10,40,160
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


def right_answer(cell: object) -> str:
    return cell.answer.replace("−", "-")  # type: ignore[attr-defined]


def session_seconds(layers: int) -> tuple[int, float, float]:
    """(cells, seconds to build the exercise, seconds to answer every cell right)."""
    from gradtutor.practice.build import expression_exercise
    from gradtutor.practice.session import start, step

    began = time.perf_counter()
    exercise = expression_exercise(ladder_program(layers), "x=1")
    built = time.perf_counter() - began
    state = start(exercise)
    began = time.perf_counter()
    for cell in exercise.cells:
        state, said = step(state, right_answer(cell))
        if said[0].kind != "right":
            raise SystemExit(f"L={layers}: {cell.id} = {cell.answer} judged {said}")
    return len(exercise.cells), built, time.perf_counter() - began


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ladders", default=",".join(map(str, LADDERS)))
    args = parser.parse_args(argv)
    session_seconds(1)  # warm up imports and caches
    print(f"{'ladder':<8} {'cells':>6} {'build s':>9} {'answer s':>9} {'ms/cell':>8}")
    for layers in (int(p) for p in args.ladders.split(",") if p.strip()):
        cells, built, answered = session_seconds(layers)
        print(f"L={layers:<6} {cells:>6} {built:>9.3f} {answered:>9.3f} "
              f"{1000 * answered / cells:>8.2f}")


if __name__ == "__main__":
    main()
