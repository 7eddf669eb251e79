"""The bank checks itself: every bundled problem solves and every model answer matches."""

from __future__ import annotations

import pytest

from gradtutor.problems import bundled_dir, bundled_names, load_problem, parse_problem
from gradtutor.solve import solve

NAMES = bundled_names()


def test_the_bank_covers_the_seed_sheets() -> None:
    assert len(NAMES) >= 15
    kinds = {part.kind for name in NAMES for part in load_problem(name).parts}
    assert kinds == {"trace", "derivative", "gradient", "cases", "limit", "solve", "descent",
                     "identity", "series", "edges", "tensor", "set", "plot", "index"}


@pytest.mark.parametrize("name", NAMES)
def test_every_model_answer_matches_the_solver(name: str) -> None:
    solution = solve(name)
    for part in solution.parts:
        assert part.checks, f"{name}.{part.part.id} has no model answer"
        failed = [c for c in part.checks if not c.ok]
        assert not failed, f"{name}.{part.part.id}: {failed}"


@pytest.mark.parametrize(("name", "old", "new"), [
    ("ad_table", "gradient: {x: -7,", "gradient: {x: -6,"),
    ("lagrange_multipliers", "solutions: [{x: 1, y: 0, lam: -3/2}]", "solutions: []"),
    ("hinge_loss_penalty", "derivative: -y*x + 2*w}", "derivative: -y*x}"),
    ("squared_error_logistic", "answer: {expr: p*(1 - p)}", "answer: {expr: p*(1 + p)}"),
    ("taylor_activations", "1/2 + x/4 - x^3/48", "1/2 + x/4 + x^3/48"),
    ("edge_network", "x1: -20,", "x1: -100,"),
    ("sigmoid_neuron", "loss: 0.0854311", "loss: 0.0854312"),
    ("softmax_shift", "answer: {holds: true}", "answer: {holds: false}"),
    ("logsumexp_hinge", "to: oo\n    answer: {value: 0}", "to: oo\n    answer: {value: 1}"),
    ("activation_plots", "max_slope: [1/4, 1, 1]", "max_slope: [1/2, 1, 1]"),
    ("hinge_logistic_plot", 'range: ["[0, ∞)", "(0', 'range: ["(0, ∞)", "(0'),
])
def test_a_wrong_model_answer_fails(name: str, old: str, new: str) -> None:
    text = (bundled_dir() / f"{name}.yaml").read_text(encoding="utf-8")
    assert old in text
    problem = parse_problem(text.replace(old, new, 1), f"problems/{name}.yaml", name)
    assert not solve(problem).answers_ok
