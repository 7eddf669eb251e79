"""bench/bench_tensor.py cannot silently rot: its layer program and values still trace, and the
gradient it times is right (numpy, written here), without timing anything."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from bench_tensor import LAYER, MLP, MLP_AT, layer_values  # noqa: E402

import gradtutor  # noqa: E402


def test_bench_layer_traces_and_its_gradient_is_softmax_minus_onehot() -> None:
    values = layer_values(20, 6, 10)
    r = gradtutor.trace(LAYER, **values)
    W1, b1, x = np.array(values["W1"]), np.array(values["b1"]), np.array(values["x"])  # noqa: N806
    W2, b2 = np.array(values["W2"]), np.array(values["b2"])  # noqa: N806
    h = np.maximum(W1 @ x + b1, 0)
    z = W2 @ h + b2
    z_bar = np.exp(z - z.max()) / np.exp(z - z.max()).sum() - np.eye(10)[3]
    assert np.allclose(np.array(r.gradient["W2"].tolist(), dtype=float), np.outer(z_bar, h))
    assert r.gradient["W1"].shape == (6, 20)


def test_bench_mlp_is_exact() -> None:
    r = gradtutor.trace(MLP, list(MLP_AT))
    assert r.route == "exact" and r.verification.agrees


def test_mlp_only_run_prints_the_pair_line(capsys, monkeypatch) -> None:
    import bench_tensor

    monkeypatch.setattr(bench_tensor, "gradtutor_command",
                        lambda: [sys.executable, "-m", "gradtutor"])  # this venv's gradtutor
    bench_tensor.main(["--mlp-only", "--runs", "1"])
    out = capsys.readouterr().out
    assert 'python -c "import sympy"' in out
    assert "MLP 3→4→2 exact, full table" in out and "median of 1 alternating pairs" in out
    assert "layer 784" not in out  # --mlp-only skips the layer rows
