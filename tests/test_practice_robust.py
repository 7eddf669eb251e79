"""Whatever a student types, a session never crashes and always ends with every cell recorded."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradtutor.practice.build import expression_exercise
from gradtutor.practice.session import finish, start, step
from gradtutor.practice.summary import summarize

EXERCISE = expression_exercise("x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1")
WORDS = st.sampled_from(["hint", "skip", "show", "table", "help", "-16", "1", "0.15", "1/0",
                         "abc", "", "(", "1e999999", "x", "-24/5", "2^2^2^2^2", "sin(1)"])
LINES = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_any_input_keeps_the_session_sound(lines: list[str]) -> None:
    state = start(EXERCISE)
    for line in lines:
        state, said = step(state, line)
        assert all(m.text or m.kind == "table" for m in said)
        assert len(state.records) <= len(EXERCISE.cells)
    state = finish(state)
    assert [r.id for r in state.records] == [c.id for c in EXERCISE.cells]
    summary = summarize(state)
    assert 0 <= summary.right <= summary.credit <= summary.cells


def test_the_practice_bench_still_runs_a_whole_session() -> None:
    """bench/practice_bench.py is not collected; this keeps it from rotting (no timing)."""
    from tests.bench_scripts import load_bench

    module = load_bench("practice_bench.py")
    cells, _, _ = module.session_seconds(2)
    assert cells == 7 + 8  # primals: sin, cos, two sums, sin, cos, product; adjoints: + x
