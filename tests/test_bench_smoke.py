"""The bench's ladder program still traces and differentiates correctly (no timing here).

bench/bench.py is not part of the suite; this keeps its generator from rotting: if the
ladder stops being valid input, or its gradient goes wrong, this test fails.
"""

from __future__ import annotations

from pathlib import Path

import mpmath
import pytest
import sympy as sp

import gradtutor
from gradtutor.sym import parse_formula
from tests.bench_scripts import load_bench

MP = mpmath.MPContext()
MP.dps = 60


@pytest.fixture(scope="module")
def bench():
    return load_bench("bench.py")


def test_ladder_program_shape(bench):
    program = bench.ladder_program(3)
    assert program.splitlines() == [
        "t1 = sin(x)", "b1 = cos(x)",
        "t2 = sin(t1 + b1)", "b2 = cos(t1 + b1)",
        "t3 = sin(t2 + b2)", "b3 = cos(t2 + b2)",
        "o = t3*b3",
    ]
    with pytest.raises(ValueError):
        bench.ladder_program(0)


def test_ladder_traces_and_its_gradient_matches_sympy_diff(bench):
    program = bench.ladder_program(3)
    result = gradtutor.trace(program, x=1)
    assert result.graph.output_name == "o"
    assert len(result.nodes) == 1 + 2 + 2 * 4 + 1  # input, layer 1, two layers of 4, o
    x = sp.Symbol("x", real=True)
    expr = parse_formula(program)
    value = expr.evalf(60, subs={x: 1})
    derivative = sp.diff(expr, x).evalf(60, subs={x: 1})
    tolerance = MP.mpf("1e-40")
    assert abs(MP.mpf(result.value) - MP.mpf(sp.Float(value, 60)._mpf_)) < tolerance
    assert abs(MP.mpf(result.gradient["x"]) - MP.mpf(sp.Float(derivative, 60)._mpf_)) < tolerance
    assert MP.mpf(result.gradient["x"]) != 0
    # fan-out: t2 and b2 each feed two additions
    t2 = next(node for node in result.graph.steps if node.name == "t2")
    assert len(result.reverse.row(t2.index).contributions) == 2


def test_ladder_nodes_grow_linearly(bench):
    sizes = [len(gradtutor.trace(bench.ladder_program(n), x=1).nodes) for n in (1, 2, 10)]
    assert sizes == [4, 8, 40]


def test_the_bench_runs_and_prints_its_figures():
    """The README's `python bench/bench.py`, once, tiny: it prints every line (times unread)."""
    import subprocess
    import sys

    bench_py = Path(__file__).resolve().parent.parent / "bench" / "bench.py"
    out = subprocess.run([sys.executable, str(bench_py), "--runs", "1", "--ladders", "3,10"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    for line in ('python -c "import sympy"', "trace README example (table)",
                 "--help imports sympy: no", "L=3", "L=10", "marginal cost L=3→10"):
        assert line in out.stdout


def test_bench_class_sheets_are_what_they_claim(tmp_path):
    """bench/bench_class.py's generated class: right sheets score full marks, malformed ones
    are error rows (checked in-process, without timing)."""
    from gradtutor.check.class_run import check_sheets

    module = load_bench("bench_class.py")
    module.make_sheets(tmp_path, 8, bad_every=4)
    result = check_sheets(module.PROBLEM, [tmp_path])
    assert len(result.outcomes()) == 8 and len(result.errors) == 2
    right = [s for s in result.sheets if "_right" in s.sheet]
    assert right and all(s.correct and s.item_score == (7, 7) for s in right)
    assert not any(s.correct for s in result.sheets if "_right" not in s.sheet)
