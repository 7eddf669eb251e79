"""Whole-process timings as inputs grow: flat sums, long programs, sums of products, --full.

Each figure is the median of ``--runs`` fresh ``gradtutor`` processes writing to a pipe
(programs are passed with ``--file``), next to ``python -c "import sympy"``. Nothing is asserted;
targets from issue 11 are printed with "met" or "NOT met".

    python bench/bench_scaling.py             # 3 runs each
    python bench/bench_scaling.py --runs 5 --quick
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

SUMS = (1_000, 10_000, 100_000)  # nodes of the flat sum x + x + … + x
ASSIGNMENTS = (1_000, 10_000)  # one assignment per line
PRODUCTS = (100, 1_000)  # x0*w0 + x1*w1 + …
TARGET_PRODUCTS = 4.0  # sum of 1 000 products ≤ 4 × import sympy
TARGET_FULL = 2.0  # --full of the L = 1000 ladder, piped, ≤ 2 × its JSON


def flat_sum(nodes: int) -> str:
    return "+".join(["x"] * nodes)  # one input and nodes − 1 additions


def assignments(count: int) -> str:
    lines = ["a0 = x"] + [f"a{k} = a{k - 1}*x + 1" if k % 2 else f"a{k} = a{k - 1} - x"
                          for k in range(1, count)]
    return "\n".join(lines)


def products(count: int) -> tuple[str, str]:
    """The program and its --at text: x0*w0 + … with xi = 1/(i+1), wi = i."""
    program = " + ".join(f"x{i}*w{i}" for i in range(count))
    at = ",".join(f"x{i}=1/{i + 1},w{i}={i}" for i in range(count))
    return program, at


def ladder(layers: int) -> str:
    lines = ["t1 = sin(x)", "b1 = cos(x)"]
    for k in range(2, layers + 1):
        lines += [f"t{k} = sin(t{k - 1} + b{k - 1})", f"b{k} = cos(t{k - 1} + b{k - 1})"]
    return "\n".join(lines + [f"o = t{layers}*b{layers}"])


def command() -> list[str]:
    """The gradtutor of this interpreter's environment (its script), else the one on PATH."""
    beside = Path(sys.executable).with_name("gradtutor")
    exe = str(beside) if beside.exists() else shutil.which("gradtutor")
    return [exe] if exe else [sys.executable, "-m", "gradtutor"]


def timed(args: Sequence[str], runs: int) -> tuple[float, subprocess.CompletedProcess[str]]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(list(args), capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result


def trace_file(folder: Path, name: str, program: str, at: str, runs: int,
               *extra: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    path = folder / f"{name}.txt"
    path.write_text(program, encoding="utf-8")
    return timed([*command(), "trace", "--file", str(path), "--at", at, *extra], runs)


def report(label: str, seconds: float, base: float, result: subprocess.CompletedProcess[str],
           nodes: int) -> None:
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[0] if result.stderr.strip() else "?"
        print(f"  {label:<34} refused (exit {result.returncode}): {reason[:70]}")
        return
    print(f"  {label:<34} {seconds * 1000:9.0f} ms  {seconds / base:6.2f}× sympy  "
          f"{nodes:>7} nodes  {seconds / nodes * 1e6:8.1f} µs/node")


def nodes_of(result: subprocess.CompletedProcess[str]) -> int:
    return len(json.loads(result.stdout)["nodes"]) if result.returncode == 0 else 0


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "NOT met"


def run_sums(folder: Path, runs: int, base: float, sizes: Sequence[int]) -> None:
    print("flat sum x + x + … (JSON)")
    for n in sizes:
        seconds, result = trace_file(folder, f"sum{n}", flat_sum(n), "x=1", runs,
                                     "--format", "json")
        report(f"{n:,} nodes", seconds, base, result, nodes_of(result))


def run_programs(folder: Path, runs: int, base: float, sizes: Sequence[int]) -> None:
    print("one assignment per line (JSON)")
    for n in sizes:
        seconds, result = trace_file(folder, f"prog{n}", assignments(n), "x=1/2", runs,
                                     "--format", "json")
        report(f"{n:,} assignments", seconds, base, result, nodes_of(result))


def run_products(folder: Path, runs: int, base: float, sizes: Sequence[int]) -> None:
    print("sum of products x0*w0 + x1*w1 + … (JSON)")
    for n in sizes:
        program, at = products(n)
        seconds, result = trace_file(folder, f"prod{n}", program, at, runs, "--format", "json")
        report(f"{n:,} products", seconds, base, result, nodes_of(result))
        if n == 1_000 and result.returncode == 0:
            print(f"  target ≤ {TARGET_PRODUCTS:g}× import sympy: "
                  f"{verdict(seconds / base, TARGET_PRODUCTS)}")


def run_full(folder: Path, runs: int) -> None:
    print("sin/cos ladder L = 1000, piped")
    json_s, result = trace_file(folder, "ladder", ladder(1000), "x=1", runs, "--format", "json")
    full_s, full = trace_file(folder, "ladder", ladder(1000), "x=1", runs, "--full")
    print(f"  {'--format json':<34} {json_s * 1000:9.0f} ms")
    print(f"  {'--full (plain tables)':<34} {full_s * 1000:9.0f} ms  {full_s / json_s:6.2f}× "
          f"its JSON  ({len(full.stdout.splitlines()):,} lines)  target ≤ {TARGET_FULL:g}×: "
          f"{verdict(full_s / json_s, TARGET_FULL)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    args = parser.parse_args(argv)
    base, _ = timed([sys.executable, "-c", "import sympy"], args.runs)
    print(f"python -c \"import sympy\": {base * 1000:.0f} ms (median of {args.runs})")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run_sums(folder, args.runs, base, SUMS[:1] if args.quick else SUMS)
        run_programs(folder, args.runs, base, ASSIGNMENTS[:1] if args.quick else ASSIGNMENTS)
        run_products(folder, args.runs, base, PRODUCTS[:1] if args.quick else PRODUCTS)
        if not args.quick:
            run_full(folder, args.runs)


if __name__ == "__main__":
    main()
