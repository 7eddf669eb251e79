"""Stage timings of the language on long input: parse, graph, SymPy, trace, verification.

Generated programs at 1k / 10k / 100k nodes; each figure is the median of ``--runs`` runs,
printed with the time per node so linear growth reads as a constant column. Nothing is
asserted. The graph limit (50 000 nodes) is lifted for the 100k row, which therefore shows
parse and graph building only (the source-size limit is lifted too); trace rows stop at 10k.

    python bench/bench_language.py
    python bench/bench_language.py --runs 3 --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from fractions import Fraction

import gradtutor
import gradtutor.graph as graph_module
import gradtutor.parse as parse_module
from gradtutor.graph import build_graph
from gradtutor.parse import parse_program
from gradtutor.sym import parse_formula

PROGRAMS: dict[str, Callable[[int], str]] = {
    "flat sum x+x+…": lambda n: "+".join(["x"] * n),
    "product x*x*…": lambda n: "*".join(["x"] * n),
    "assignments a_k = a_(k-1) + x": lambda n: "\n".join(
        ["a0 = x"] + [f"a{k + 1} = a{k} + x" for k in range(n - 1)]),
    "reassignment c += x": lambda n: "\n".join(["c = x"] + ["c += x"] * (n - 1)),
    "flat sum x0+x1+…": lambda n: "+".join(f"x{k}" for k in range(n)),
}


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, n: int, runs: int) -> str:
    text = PROGRAMS[name](n)
    program = parse_program(text)
    inputs = {name: Fraction(1, 2) for name in gradtutor.parse.input_names(program)}
    figures = {
        "parse": median_seconds(lambda: parse_program(text), runs),
        "graph": median_seconds(lambda: build_graph(program), runs),
    }
    if n <= 10_000:
        figures["sympy"] = median_seconds(lambda: parse_formula(text), runs)
        if len(inputs) <= 1000:
            figures["trace"] = median_seconds(lambda: gradtutor.trace(text, inputs).gradient,
                                              runs)
            figures["trace+verify"] = median_seconds(
                lambda: gradtutor.trace(text, inputs).verification, 1)
    cells = "  ".join(f"{stage} {seconds:7.3f}s ({seconds / n * 1e6:6.1f} µs/node)"
                      for stage, seconds in figures.items())
    return f"{name:32} n={n:>7}  {cells}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args(argv)
    graph_module.MAX_NODES = max(graph_module.MAX_NODES, 2 * max(args.sizes) + 10)
    parse_module.MAX_SOURCE_CHARS = max(parse_module.MAX_SOURCE_CHARS, 30 * max(args.sizes))
    sys.setrecursionlimit(1000)  # the default: nothing here may need more
    for name in PROGRAMS:
        for n in args.sizes:
            print(row(name, n, args.runs), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
