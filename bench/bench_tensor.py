"""Whole-process timings of tensor traces: a real layer, its scaling, and a small exact MLP.

Every figure is the median of ``--runs`` fresh ``gradtutor`` processes (start-up, imports,
reading the values file, the sweeps, the checks, the output to a pipe), next to
``python -c "import sympy"`` measured the same way on the same machine. Nothing is asserted.

    python bench/bench_tensor.py            # 3 runs each
    python bench/bench_tensor.py --runs 5
    python bench/bench_tensor.py --mlp-only --runs 9   # just the MLP line (9 pairs)

Lines printed:
* the layer 784→128→10 (ReLU, softmax cross-entropy on one sample, values from --at-file
  JSON), ``trace --format json``: target ≤ 10 × import sympy;
* the same network shape at about 10k, 100k and 1M weights (hidden width scaled): seconds
  and µs per weight, to read whether time grows linearly with the number of weights;
* a small MLP 3→4→2 (exact values, full table) against the scalar README example:
  target ≤ 1.5 ×. The two are timed in alternating pairs (MLP, scalar, MLP, scalar, …) so a
  busy machine slows both alike; the line gives both medians and the median of the per-pair
  ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import gradtutor_command  # noqa: E402

LAYER = "h = relu(W1@x + b1); z = W2@h + b2; L = -log_softmax(z)[3]"
MLP = "h = tanh(W1@x + b1); z = W2@h + b2; L = logsumexp(z) - z[0]"
MLP_AT = ["W1=[[1,-1,0],[0,1,1],[1,0,-1],[1,1,1]],b1=[0,1/2,-1/2,0],x=[1,2,-1]",
          "W2=[[1,0,-1,1],[0,1,1,-1]],b2=[0,1]"]
README = ["x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1"]


def layer_values(inputs: int, hidden: int, classes: int, seed: int = 0) -> dict:
    rng = random.Random(seed)

    def matrix(rows: int, cols: int, scale: float) -> list[list[float]]:
        return [[round(rng.gauss(0, scale), 6) for _ in range(cols)] for _ in range(rows)]

    return {"W1": matrix(hidden, inputs, inputs ** -0.5), "b1": [0.0] * hidden,
            "x": [round(rng.random(), 4) for _ in range(inputs)],
            "W2": matrix(classes, hidden, hidden ** -0.5), "b2": [0.0] * classes}


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"failed ({result.returncode}): {' '.join(cmd)[:200]}\n{result.stderr}")
    return statistics.median(times)


def layer_time(folder: Path, inputs: int, hidden: int, runs: int) -> tuple[int, float]:
    values = layer_values(inputs, hidden, 10)
    path = folder / f"layer_{inputs}_{hidden}.json"
    path.write_text(json.dumps(values))
    weights = inputs * hidden + hidden * 10
    cmd = [*gradtutor_command(), "trace", LAYER, "--at-file", str(path), "--format", "json"]
    return weights, timed(cmd, runs)


def timed_pairs(first: list[str], second: list[str], runs: int) -> tuple[float, float, float]:
    """Medians of ``runs`` alternating runs of two commands, and the median per-pair ratio."""
    pairs = [(timed(first, 1), timed(second, 1)) for _ in range(runs)]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(a / b for a, b in pairs))


def mlp_line(runs: int) -> str:
    mlp, scalar, ratio = timed_pairs(
        [*gradtutor_command(), "trace", MLP, "--at", MLP_AT[0], "--at", MLP_AT[1]],
        [*gradtutor_command(), "trace", *README], runs)
    verdict = "met" if ratio <= 1.5 else "NOT met"
    return (f"{'MLP 3→4→2 exact, full table':44} {mlp:7.3f} s   {ratio:5.2f} × the scalar "
            f"README example ({scalar:.3f} s; median of {runs} alternating pairs; target "
            f"≤ 1.5 ×: {verdict})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mlp-only", action="store_true",
                        help="only the MLP line (skip the layer and its scaling)")
    args = parser.parse_args(argv)
    runs = args.runs
    sympy = timed([sys.executable, "-c", "import sympy"], runs)
    baseline = 'python -c "import sympy"'
    print(f"{baseline:44} {sympy:7.3f} s   1.00 ×")
    if not args.mlp_only:
        layer_lines(sympy, runs)
    print(mlp_line(runs))


def layer_lines(sympy: float, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        weights, seconds = layer_time(folder, 784, 128, runs)
        verdict = "met" if seconds <= 10 * sympy else "NOT met"
        print(f"{'layer 784→128→10 trace --format json':44} {seconds:7.3f} s "
              f"{seconds / sympy:6.2f} ×   ({weights} weights; target ≤ 10 ×: {verdict})")
        for inputs, hidden in ((784, 12), (784, 128), (784, 1270)):
            weights, seconds = layer_time(folder, inputs, hidden, runs)
            print(f"{f'  scaling: {weights} weights':44} {seconds:7.3f} s "
                  f"{seconds / sympy:6.2f} ×   {1e6 * seconds / weights:8.2f} µs/weight")


if __name__ == "__main__":
    main()
