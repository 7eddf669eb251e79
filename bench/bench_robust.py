"""Whole-process timings of the side entrances: ``problems`` and ``show`` (no SymPy), ``solve``.

Prints the median of ``--runs`` fresh processes next to ``python -c "import sympy"``, and
whether SymPy was imported at all (``-X importtime``). Nothing is asserted.

    python bench/bench_robust.py
    python bench/bench_robust.py --runs 9
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRADTUTOR = [sys.executable, "-m", "gradtutor"]


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def imports_sympy(cmd: list[str]) -> bool:
    run = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True,
                         text=True, check=False)
    return any(line.split("|")[-1].strip() == "sympy" for line in run.stderr.splitlines())


def many_parts(folder: Path, count: int = 1000) -> str:
    lines = ["title: many parts", "parts:"]
    for i in range(count):
        lines += [f"- id: p{i}", "  kind: derivative", f"  f: x^{i % 7 + 2}*sin(x)",
                  "  wrt: x", "  at: {x: 0.5}"]
    path = folder / "many.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        big = many_parts(Path(tmp))
        cases = {
            'python -c "import sympy"': [sys.executable, "-c", "import sympy"],
            "gradtutor problems": [*GRADTUTOR, "problems"],
            "gradtutor show lagrange_multipliers": [*GRADTUTOR, "show", "lagrange_multipliers"],
            "gradtutor show (1,000 parts)": [*GRADTUTOR, "show", big],
            "gradtutor solve (1,000 parts) --part p999": [*GRADTUTOR, "solve", big, "--part",
                                                         "p999"],
            "gradtutor solve cs577_regression_network": [*GRADTUTOR, "solve",
                                                         "cs577_regression_network"],
        }
        base = median_seconds(cases['python -c "import sympy"'], runs)
        print(f"{'command':48} {'median s':>9} {'× sympy':>8}  imports SymPy")
        for label, cmd in cases.items():
            seconds = base if label.startswith("python") else median_seconds(cmd, runs)
            print(f"{label:48} {seconds:9.3f} {seconds / base:8.2f}  "
                  f"{'yes' if imports_sympy(cmd) else 'no'}")


if __name__ == "__main__":
    main()
