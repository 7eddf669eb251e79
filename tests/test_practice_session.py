"""Practice state machine, driven line by line: verdicts, follow-through, hints, commands."""

from __future__ import annotations

from fractions import Fraction

import pytest

from gradtutor.practice.build import expression_exercise
from gradtutor.practice.session import SHOWN, SKIPPED, UNANSWERED, finish, start, step
from gradtutor.practice.summary import summarize

NEURON = "z = w*x + b; p = sigmoid(z); r = p - y; L = r*r"
AT = "x=2,w=0.5,b=-1,y=1"
# Worked by hand: z = 0.5·2 − 1 = 0, p = σ(0) = 1/2, r = −1/2, L = 1/4; r̄ = 2r = −1,
# p̄ = −1, z̄ = p̄·p(1 − p) = −1/4, b̄ = −1/4, w̄ = z̄·x = −1/2, x̄ = z̄·w = −1/8, ȳ = −r̄ = 1.
RIGHT = ["1", "0", "0.5", "-0.5", "0.25",  # v1 … v5
         "1", "-1", "-1", "-0.25", "-0.25",  # v̄5 … v̄1
         "1", "-0.25", "-0.5", "-0.125"]  # v̄0 (y), v̄-1 (b), v̄-2 (w), v̄-3 (x)


@pytest.fixture(scope="module")
def neuron():
    return expression_exercise(NEURON, AT)


def drive(exercise, lines):
    state, said = start(exercise), []
    for line in lines:
        state, messages = step(state, line)
        said.append(messages)
    return state, said


def test_cells_in_table_order_with_stable_ids(neuron) -> None:
    ids = [c.id for c in neuron.cells]
    assert ids == ["v1", "v2", "v3", "v4", "v5", "v_bar5", "v_bar4", "v_bar3", "v_bar2",
                   "v_bar1", "v_bar0", "v_bar-1", "v_bar-2", "v_bar-3"]
    assert neuron.cell("v3").prompt == "v₃ = σ(v₂) = ?"
    assert neuron.cell("v_bar-2").prompt == "v̄₋₂ = ?"
    assert [c.value for c in neuron.cells] == [Fraction(x) for x in RIGHT]


def test_right_answers_score_full_marks(neuron) -> None:
    state, said = drive(neuron, RIGHT)
    assert state.ended and all(m[0].kind == "right" for m in said)
    summary = summarize(state)
    assert (summary.right, summary.right_first, summary.cells) == (14, 14, 14)
    assert summary.passed and summary.review.startswith("nothing")


def test_answers_may_be_fractions_or_small_expressions(neuron) -> None:
    state, said = drive(neuron, ["2/2", "0", "1/(2)", "−1/2", "(0.5)^2"])
    assert [m[0].kind for m in said] == ["right"] * 5


def test_fan_out_mistake_is_diagnosed_then_followed_through(neuron) -> None:
    state, said = drive(neuron, RIGHT[:6] + ["-0.5", "-0.5", "-0.5"])
    first, second, third = said[6], said[7], said[8]
    assert first[0].kind == "wrong" and "Forgot to sum over fan-out" in first[0].text
    assert first[-1].text.startswith("Try again")
    assert second[-1].kind == "answer" and "= −1" in second[-1].text
    assert third[0].kind == "follows" and "revisit v̄₄" in third[0].text
    records = {r.id: r for r in state.records}
    assert records["v_bar4"].status == "wrong"
    assert records["v_bar4"].mistakes == ("fan-out", "fan-out")
    assert records["v_bar3"].status == "follows-through"


def test_follow_through_chains_back_to_the_first_wrong_cell(neuron) -> None:
    lines = RIGHT[:6] + ["-0.5", "-0.5", "-0.5", "-0.125"]
    state, said = drive(neuron, lines)
    assert said[-1][0].kind == "follows" and "revisit v̄₄" in said[-1][0].text


def test_hints_are_progressive_then_reveal(neuron) -> None:
    state, said = drive(neuron, RIGHT[:7] + ["hint", "hint", "hint", "hint"])
    hints = [m[0].text for m in said[7:]]
    assert hints[0].startswith("Hint 1: v₃ is used by v₄ = v₃ − v₀ (difference rule)")
    assert hints[1] == "Hint 2: v̄₃ = v̄₄·(1)"
    assert hints[2] == "Hint 3: v̄₃ = (−1)·1"
    assert hints[3].startswith("Hint 4, the answer: v̄₃ = ") and hints[3].endswith("= −1")
    assert state.records[-1].status == SHOWN and state.records[-1].hints == 4
    assert state.current.id == "v_bar2"


def test_sigmoid_hint_names_the_rule_and_its_local_partial(neuron) -> None:
    state, said = drive(neuron, RIGHT[:8] + ["hint", "hint", "hint"])
    texts = [m[0].text for m in said[8:]]
    assert "sigmoid rule" in texts[0]
    assert texts[1] == "Hint 2: v̄₂ = v̄₃·(v₃·(1 − v₃))"
    assert texts[2] == "Hint 3: v̄₂ = (−1)·0.25"


def test_bad_answer_is_asked_again_without_using_a_try(neuron) -> None:
    state, said = drive(neuron, ["abc", "", "1"])
    assert said[0][0].kind == "error" and "'abc' is not a number" in said[0][0].text
    assert said[1][0].kind == "error"
    assert said[2][0].kind == "right"
    assert state.records[0].first_try


def test_skip_show_table_and_quit(neuron) -> None:
    state, said = drive(neuron, ["skip", "show", "table", "quit"])
    assert said[0][0].text == "Skipped; v₁ = 1."
    assert said[1][0].text == "The answer: v₂ = v₁ + v₋₁ = 1 + (−1) = 0"
    assert said[2][0].kind == "table"
    assert said[3][0].text == "Stopped here."
    statuses = [r.status for r in state.records]
    assert statuses[:2] == [SKIPPED, SHOWN] and set(statuses[2:]) == {UNANSWERED}
    summary = summarize(state)
    assert not summary.completed and not summary.passed and summary.credit == 0


def test_finish_midway_counts_the_rest_as_unanswered(neuron) -> None:
    state, _ = drive(neuron, RIGHT[:3] + ["7"])
    state = finish(state)
    assert len(state.records) == 14
    assert state.records[3].answers == ("7",) and state.records[3].status == UNANSWERED
    assert summarize(state).right == 3


def test_review_names_the_most_frequent_mistake(neuron) -> None:
    state, _ = drive(neuron, RIGHT[:5] + ["2", "2"])
    summary = summarize(finish(state))
    assert dict(summary.mistakes) == {"seed": 2}
    assert summary.review.startswith("the seed")


def test_copied_is_only_said_of_cells_already_seen(neuron) -> None:
    # 0 is v₂'s value, but v₂ has not been asked when v₁ is: no "copied" diagnosis then.
    _, said = drive(neuron, ["0"])
    assert "copied" not in said[0][0].text
    _, said = drive(neuron, RIGHT[:2] + ["1"])  # v₃ = 1 is v₁'s value, already filled in
    assert "That is the value of v₁" in said[2][0].text


def test_reverse_mode_asks_only_adjoints() -> None:
    exercise = expression_exercise("x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1", mode="reverse")
    assert [c.answer for c in exercise.cells] == ["1", "1", "−16", "−16", "−16", "−4.8", "−7"]


def test_review_prefers_a_named_mistake_on_a_tie(neuron) -> None:
    state, _ = drive(neuron, ["0", "1"] + RIGHT[1:6] + ["-0.5"])
    summary = summarize(finish(state))
    assert dict(summary.mistakes) == {"arithmetic": 1, "fan-out": 1}
    assert summary.review.startswith("fan-out")
