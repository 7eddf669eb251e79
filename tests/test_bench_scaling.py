"""bench/bench_scaling.py's generators still make valid input with the right gradient
(the bench itself is timed by hand, never in the suite)."""

from __future__ import annotations

from fractions import Fraction

import pytest

import gradtutor
from tests.bench_scripts import load_bench


@pytest.fixture(scope="module")
def bench():
    return load_bench("bench_scaling.py")


def test_flat_sum_and_program_and_products(bench) -> None:
    r = gradtutor.trace(bench.flat_sum(300), x=1)
    assert len(r.graph.nodes) == 300 and r.gradient["x"] == 300
    # a0 = x; a(odd) = a·x + 1; a(even) = a − x: by hand for 5 lines at x = 1/2
    r = gradtutor.trace(bench.assignments(5), x=Fraction(1, 2))
    half = Fraction(1, 2)
    a, da = half, Fraction(1)
    for k in range(1, 5):
        a, da = (a * half + 1, da * half + a) if k % 2 else (a - half, da - 1)
    assert r.value == a and r.gradient["x"] == da
    program, at = bench.products(20)
    r = gradtutor.trace(program, at)
    assert r.gradient["w3"] == Fraction(1, 4) and r.gradient["x3"] == 3
    assert r.verification.agrees


def test_quick_run_prints_its_figures(bench, capsys, monkeypatch) -> None:
    monkeypatch.setattr(bench, "SUMS", (50,))
    monkeypatch.setattr(bench, "ASSIGNMENTS", (20,))
    monkeypatch.setattr(bench, "PRODUCTS", (10,))
    bench.main(["--runs", "1", "--quick"])
    out = capsys.readouterr().out
    assert "import sympy" in out and "50 nodes" in out and "20 assignments" in out
    assert "refused" not in out
