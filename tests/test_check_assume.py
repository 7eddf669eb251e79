"""Assumptions: labels y ∈ {0, 1}, θ > 0, 0 < α < 1 — test points, proofs and feedback."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from gradtutor.assume import parse_assumptions
from gradtutor.check import check
from gradtutor.check.sheet import check_sheet
from gradtutor.cli import app
from gradtutor.cli.boundary import run
from gradtutor.errors import InputError
from gradtutor.problems import parse_problem
from gradtutor.solve import solve

ONLY = "Holds only under the assumptions"


def feedback(**kwargs) -> tuple[str, tuple[str, ...]]:
    v = check(**kwargs).verdicts[0]
    return v.status, v.feedback


def test_binary_label_makes_y_squared_equal_y(capsys):
    # ∂/∂z (y·z)²/2 = y²·z, which is y·z exactly when y ∈ {0, 1}
    status, lines = feedback(source="(y*z)^2/2", wrt="z", answer="y*z", assume="y=binary")
    assert status == "right" and lines[1].startswith(f"{ONLY} y ∈ {{0, 1}}")
    assert feedback(source="(y*z)^2/2", wrt="z", answer="y*z")[0] == "wrong"
    assert run(app, ["check", "(y*z)^2/2", "--wrt", "z", "--answer", "y*z",
                     "--assume", "y=binary"]) == 0
    assert ONLY in capsys.readouterr().out


def test_positive_parameter_is_used_in_the_proof():
    status, lines = feedback(source="sqrt(theta^2*x)", wrt="x", answer="theta/(2*sqrt(x))",
                             assume={"theta": "positive"})
    assert status == "right" and lines == ("Right (proved by simplification).",
                                           f"{ONLY} theta > 0: without them your answer "
                                           "differs from the derivative.")


def test_an_answer_right_in_general_gets_no_note():
    status, lines = feedback(source="theta*x^2", wrt="x", answer="2*theta*x",
                             assume="theta=positive")
    assert status == "right" and not any(ONLY in line for line in lines)


def test_interval_points_stay_inside():
    status, lines = feedback(source="abs(alpha - 1)*x", wrt="x", answer="1 - alpha",
                             assume="alpha=0<alpha<1")
    assert status == "right" and ONLY in lines[1]
    v = check("abs(alpha - 1)*x^2", wrt="x", answer="(alpha - 1)*x",
              assume="alpha=0<alpha<1").verdicts[0]
    alpha = dict(v.counterexample.point)["alpha"]
    assert 0 < alpha < 1


def test_draws_respect_every_domain():
    domains = parse_assumptions({"y": "binary", "a": "0 < a < 1", "t": "t >= 2", "n": "negative",
                                 "z": "nonzero", "b": "0 < b"})
    rng = random.Random(3)
    for _ in range(300):
        assert domains["y"].draw(rng) in (0, 1)
        assert 0 < domains["a"].draw(rng) < 1
        assert domains["t"].draw(rng) >= 2 and domains["n"].draw(rng) < 0
        assert domains["z"].draw(rng) != 0 and domains["b"].draw(rng) > 0
    assert domains["t"].low == Fraction(2)


@pytest.mark.parametrize(("spec", "message"), [
    ("alpha=cheese", "cannot read the assumption alpha: 'cheese'"),
    ("binary", "cannot read the assumption 'binary'"),
    ("beta=positive", "the assumption on 'beta' names no input"),
])
def test_bad_assumptions_are_clear_errors(spec, message):
    with pytest.raises(InputError, match=message):
        check("abs(alpha - 1)*x", wrt="x", answer="1", assume=spec)


def test_problem_file_assume(tmp_path):
    problem = tmp_path / "p.yaml"
    problem.write_text("title: Squared label\nassume: {y: binary}\nparts:\n  - id: a\n"
                       "    kind: derivative\n    f: (y*z)^2/2\n    wrt: z\n", encoding="utf-8")
    sheet = tmp_path / "s.yaml"
    sheet.write_text("parts:\n  a: y*z\n", encoding="utf-8")
    result = check_sheet(str(problem), str(sheet))
    assert result.correct
    assert any(ONLY in line for line in result.parts[0].verdicts[0].feedback)


def test_solve_checks_model_answers_under_the_problems_assumptions():
    text = ("title: T\nassume: {y: binary}\nparts:\n  - id: a\n    kind: derivative\n"
            "    f: (y*z)^2/2\n    wrt: z\n    answer: {expr: ANSWER}\n")
    assert solve(parse_problem(text.replace("ANSWER", "y*z"))).parts[0].answer_ok
    assert not solve(parse_problem(text.replace("ANSWER", "2*y*z"))).parts[0].answer_ok
    # without the assumption y·z is not y²·z
    plain = text.replace("assume: {y: binary}\n", "").replace("ANSWER", "y*z")
    assert not solve(parse_problem(plain)).parts[0].answer_ok
