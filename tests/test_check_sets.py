"""Interval and inequality answers, compared as sets with endpoints to the written precision."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from gradtutor.check.sets import compare_sets
from gradtutor.check.sheet import check_sheet
from gradtutor.errors import GradtutorError, InputError
from gradtutor.intervals import parse_set, pieces_of
from gradtutor.problems import parse_problem
from gradtutor.solve import solve

OO = sp.oo
FLIP = sp.Interval.open(-OO, sp.Rational(-23, 20))


def shape(pieces) -> list[tuple]:
    return [(p.low.value, p.low.closed, p.high.value, p.high.closed) for p in pieces]


@pytest.mark.parametrize(("text", "expected"), [
    ("(-1, 1)", sp.Interval.open(-1, 1)),
    ("[0, oo)", sp.Interval(0, OO)),
    ("x >= 0", sp.Interval(0, OO)),
    ("w1 < -1.15", FLIP),
    ("-1.15 > w1", FLIP),
    ("0 < a <= 1/4", sp.Interval.Lopen(0, sp.Rational(1, 4))),
    ("(−∞, 2] ∪ (3, 4)", sp.Union(sp.Interval(-OO, 2), sp.Interval.open(3, 4))),
    ("x <= -1 or x > 1", sp.Union(sp.Interval(-OO, -1), sp.Interval.open(1, OO))),
    ("R", sp.S.Reals),
    ("{}", sp.S.EmptySet),
])
def test_forms_students_write(text, expected):
    assert shape(parse_set(text)) == shape(pieces_of(expected))
    assert compare_sets(text, expected) == (True, "")


@pytest.mark.parametrize(("text", "why"), [
    ("w1 < -1.16", "the upper end is −23/20, not -1.16"),
    ("w1 <= -1.15", "the upper end -1.15 should be open"),
    ("w1 > -1.15", "the lower end is −∞"),
    ("(-oo, -1.15) U (2, 3)", "the set has 1 piece, yours 2"),
])
def test_wrong_sets_say_what_differs(text, why):
    ok, said = compare_sets(text, FLIP)
    assert not ok and said.startswith(why)


def test_closed_where_open():
    assert compare_sets("[-1, 1]", sp.Interval.open(-1, 1)) == (
        False, "the lower end -1 should be open (the end is not in the set)")


def test_endpoints_to_the_written_precision():
    boundary = sp.Interval.open(-OO, -sp.Rational(53, 46))  # −1.152173…
    assert compare_sets("w1 < -1.15", boundary)[0]
    assert compare_sets("w1 < -1.152", boundary)[0]
    assert not compare_sets("w1 < -1.15", sp.Interval.open(-OO, -sp.Rational(116, 100)))[0]
    assert not compare_sets("w1 < -23/20", boundary)[0]  # a fraction must be exact


@pytest.mark.parametrize("text", ["(1, -1)", "x < y < z", "hello", "(1, 2", "x < eval(1)",
                                  "(0, 0)"])
def test_unreadable_sets_are_clear_errors(text):
    with pytest.raises(GradtutorError):
        parse_set(text)


def test_the_bundled_set_problem_against_other_routes():
    parts = {p.part.id: p for p in solve("sets_and_ranges").parts}
    assert all(p.answer_ok for p in parts.values())
    # tanh: increasing, tends to ±1 (mpmath-free: math at large |z|), never reaches it
    assert math.tanh(20) > 0.999999 and math.tanh(-20) < -0.999999
    assert parts["tanh_range"].result.set == sp.Interval.open(-1, 1)
    # σ′ = σ(1 − σ) peaks at z = 0 with 1/4 and tends to 0
    s = [1 / (1 + math.exp(-z / 10)) for z in range(-100, 101)]
    assert max(v * (1 - v) for v in s) == 0.25
    assert parts["sigmoid_slope"].result.set == sp.Interval.Lopen(0, sp.Rational(1, 4))
    # 2·w1 + 0.5·1 + 1.8 < 0 ⇔ w1 < −1.15
    assert parts["flip"].result.set == FLIP


def test_answer_sheet_with_sets(tmp_path):
    sheet = tmp_path / "dana.yaml"
    sheet.write_text('parts:\n  tanh_range: "[-1, 1]"\n  sigmoid_slope: "0 < s <= 0.25"\n'
                     '  flip: "w1 < -1.15"\n', encoding="utf-8")
    result = check_sheet("sets_and_ranges", str(sheet))
    status = {p.id: p.status for p in result.parts}
    assert status == {"tanh_range": "wrong", "sigmoid_slope": "right", "flip": "right"}
    wrong = result.parts[0].verdicts[0]
    assert wrong.feedback == ("Not the same set: the lower end -1 should be open (the end is "
                              "not in the set).",)


def test_problem_file_set_answer_is_validated():
    text = ("title: T\nparts:\n  - id: a\n    kind: set\n    range: tanh(z)\n    var: z\n"
            "    answer: {set: \"(1, 2\"}\n")
    with pytest.raises(GradtutorError) as err:
        parse_problem(text, "t.yaml")
    assert "t.yaml:7" in str(err.value.location) + err.value.message
    with pytest.raises(InputError, match="either condition: or range:"):
        solve(parse_problem("title: T\nparts:\n  - {id: a, kind: set, var: z}\n"))
