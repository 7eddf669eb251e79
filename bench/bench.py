"""Whole-process timings of the gradtutor CLI: what a student waits for at the prompt.

Every figure is a fresh ``subprocess`` run timed with ``time.perf_counter`` (interpreter start,
imports, work, output to a pipe), the median of ``--runs`` runs. Nothing is asserted: the
figures are printed next to the targets so a change can be judged by reading them.

    python bench/bench.py            # 5 runs each
    python bench/bench.py --runs 9

Not part of the test suite (tests/test_bench_smoke.py only checks that the ladder program
still traces correctly, without timing anything).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

README_EXPR = "x + 1/(w*x+b)"
README_AT = "x=0.3,w=0.5,b=0.1"
LADDERS = (10, 100, 1000)
TARGET_README = 1.3  # README example ≤ 1.3 × `import sympy`
TARGET_LADDER = 4.0  # L = 1000 ladder ≤ 4 × `import sympy`


def ladder_program(layers: int) -> str:
    """The sin/cos ladder: t1 = sin(x), b1 = cos(x); tk = sin(t(k-1) + b(k-1)),
    bk = cos(t(k-1) + b(k-1)); o = tL*bL. Every t and b is used twice (fan-out)."""
    if layers < 1:
        raise ValueError("a ladder has at least one layer")
    lines = ["t1 = sin(x)", "b1 = cos(x)"]
    for k in range(2, layers + 1):
        lines.append(f"t{k} = sin(t{k - 1} + b{k - 1})")
        lines.append(f"b{k} = cos(t{k - 1} + b{k - 1})")
    lines.append(f"o = t{layers}*b{layers}")
    return "\n".join(lines)


def gradtutor_command() -> list[str]:
    """The gradtutor of this interpreter's environment (its script), else the one on PATH."""
    beside = Path(sys.executable).with_name("gradtutor")
    exe = str(beside) if beside.exists() else shutil.which("gradtutor")
    return [exe] if exe else [sys.executable, "-m", "gradtutor"]


def timed(cmd: Sequence[str], runs: int) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Median wall time of ``runs`` fresh processes (output captured: a pipe, not a tty)."""
    times = []
    result: subprocess.CompletedProcess[str] | None = None
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(list(cmd), capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"command failed ({result.returncode}): {' '.join(cmd)[:200]}\n"
                     f"{result.stderr[-2000:]}")
    assert result is not None
    return statistics.median(times), result


def sympy_imported_by_help() -> bool:
    """Does ``gradtutor --help`` import SymPy? (``-X importtime`` lists every import.)"""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "gradtutor", "--help"],
                            capture_output=True, text=True, check=False)
    return "sympy" in result.stderr


def row(label: str, seconds: float, baseline: float, extra: str = "") -> str:
    return f"  {label:<44} {seconds * 1000:9.1f} ms  {seconds / baseline:6.2f}×  {extra}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--ladders", default=",".join(map(str, LADDERS)),
                        help="ladder depths L, comma-separated")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    ladders = [int(part) for part in args.ladders.split(",") if part.strip()]
    cli = gradtutor_command()

    print(f"gradtutor bench: median of {runs} runs, whole process, output to a pipe")
    print(f"  python {sys.version.split()[0]}; gradtutor = {' '.join(cli)}")
    print(f"  {'':<44} {'time':>12}  {'÷sympy':>7}")
    sympy_s, _ = timed([sys.executable, "-c", "import sympy"], runs)
    print(row('python -c "import sympy"', sympy_s, sympy_s, "(baseline)"))

    trace = [*cli, "trace", README_EXPR, "--at", README_AT]
    readme_s, _ = timed(trace, runs)
    print(row("trace README example (table)", readme_s, sympy_s,
              f"target ≤ {TARGET_README}×: {_verdict(readme_s / sympy_s, TARGET_README)}"))
    readme_json_s, _ = timed([*trace, "--format", "json"], runs)
    print(row("trace README example --format json", readme_json_s, sympy_s))

    help_s, _ = timed([*cli, "--help"], runs)
    print(row("gradtutor --help", help_s, sympy_s))
    version_s, version = timed([*cli, "--version"], runs)
    print(row("gradtutor --version", version_s, sympy_s, version.stdout.strip()))
    print(f"  --help imports sympy: {'yes' if sympy_imported_by_help() else 'no'}")

    print()
    print(f"  {'ladder':<8} {'nodes':>7} {'time':>11} {'µs/node':>9} {'÷sympy':>7}")
    per_node: dict[int, float] = {}
    measured: dict[int, tuple[int, float]] = {}
    for layers in ladders:
        cmd = [*cli, "trace", ladder_program(layers), "--format", "json", "--at", "x=1"]
        seconds, result = timed(cmd, runs)
        nodes = len(json.loads(result.stdout)["nodes"])
        per_node[layers] = seconds / nodes
        measured[layers] = (nodes, seconds)
        note = ""
        if layers == 1000:
            note = (f"target ≤ {TARGET_LADDER}×: "
                    f"{_verdict(seconds / sympy_s, TARGET_LADDER)}")
        print(f"  L={layers:<6} {nodes:>7} {seconds * 1000:8.1f} ms {per_node[layers] * 1e6:9.1f}"
              f" {seconds / sympy_s:6.2f}×  {note}")
    if 100 in per_node and 1000 in per_node:
        print(f"  linearity: time per node at L=1000 ÷ at L=100 = "
              f"{per_node[1000] / per_node[100]:.2f} (start-up is shared by fewer nodes at "
              f"L=100, so < 1 is expected)")
    for small, large in zip(ladders, ladders[1:], strict=False):
        (n1, t1), (n2, t2) = measured[small], measured[large]
        print(f"  marginal cost L={small}→{large}: {(t2 - t1) / (n2 - n1) * 1e6:.1f} µs/node "
              f"(equal figures across steps = linear)")


def _verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f}× {'met' if ratio <= target else 'NOT met'}"


if __name__ == "__main__":
    main()
