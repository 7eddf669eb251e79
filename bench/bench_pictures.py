"""Whole-process timings of the pictures: `graph` and `plot` next to the README `trace`.

Each figure is the median of ``--runs`` fresh processes (interpreter start, imports, work,
output to a pipe), measured interleaved so a busy machine slows all three alike. Nothing is
asserted; the ratios are printed against the target (each ≤ 1.5 × the trace cold start).

    python bench/bench_pictures.py            # 5 runs each
    python bench/bench_pictures.py --runs 9

A third line times `plot --output` to a PNG (matplotlib is imported only then), and a ladder
of plots with 1, 2, 4 and 8 functions shows the cost per function stays flat (linear).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
README = ["trace", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1"]
GRAPH = ["graph", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1"]
PLOT3 = ["plot", "sigmoid(x)", "tanh(x)", "relu(x)", "--derivative"]
FUNCTIONS = ["sigmoid(x)", "tanh(x)", "relu(x)", "erf(x)", "sin(x)", "exp(-x^2)",
             "softplus(x)", "abs(x)"]


def gradtutor() -> list[str]:
    """The gradtutor of this interpreter's environment (its script, as a student runs it)."""
    beside = Path(sys.executable).with_name("gradtutor")
    exe = str(beside) if beside.exists() else shutil.which("gradtutor")
    return [exe] if exe else [sys.executable, "-m", "gradtutor"]


def once(args: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(gradtutor() + args, capture_output=True, text=True, check=False,
                            env={**os.environ, "COLUMNS": "80"})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): gradtutor {' '.join(args)}\n{result.stderr}")
    return elapsed


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved: the same load for every command
        for name, args in commands.items():
            times[name].append(once(args))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        png = os.path.join(folder, "plot.png")
        commands = {"trace README example": README, "graph README example": GRAPH,
                    "plot 3 functions + derivatives": PLOT3,
                    "plot 3 functions → PNG": PLOT3 + ["--output", png]}
        result = medians(commands, runs)
    base = result["trace README example"]
    print(f"{'command':34} {'seconds':>8} {'÷trace':>7}  target")
    for name, seconds in result.items():
        ratio = seconds / base
        target = "" if name.startswith("trace") or "PNG" in name else \
            f"≤ {TARGET}× {'met' if ratio <= TARGET else 'NOT met'}"
        print(f"{name:34} {seconds:8.3f} {ratio:7.2f}  {target}")
    ladder = medians({str(n): ["plot", *FUNCTIONS[:n]] for n in (1, 2, 4, 8)}, runs)
    print("\nplot with n functions (linearity: seconds per extra function)")
    previous = None
    for n, seconds in ladder.items():
        extra = "" if previous is None else \
            f"  +{(seconds - previous[1]) / (int(n) - previous[0]) * 1000:.0f} ms/function"
        print(f"  n = {n}: {seconds:.3f} s{extra}")
        previous = (int(n), seconds)


if __name__ == "__main__":
    main()
