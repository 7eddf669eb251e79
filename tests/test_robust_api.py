"""Robustness, Python API: bad arguments of trace/solve/check → GradtutorError subclasses only."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from typing import Any

import pytest
import sympy

import gradtutor
from gradtutor.errors import DomainError, GradtutorError, InputError, LimitError, guarded

SHEET = "examples/sheets/ben.yaml"

BAD: dict[str, Callable[[], Any]] = {
    "trace source None": lambda: gradtutor.trace(None, x=1),
    "trace source int": lambda: gradtutor.trace(5, x=1),
    "trace source bytes": lambda: gradtutor.trace(b"x*y", x=1, y=2),
    "trace source list": lambda: gradtutor.trace(["x"], x=1),
    "value None": lambda: gradtutor.trace("x*y", x=None, y=2),
    "value bytes": lambda: gradtutor.trace("x*y", x=b"1", y=2),
    "value complex": lambda: gradtutor.trace("x", x=1j),
    "value nan": lambda: gradtutor.trace("x", x=float("nan")),
    "value symbol": lambda: gradtutor.trace("x", x=sympy.Symbol("z")),
    "value decimal inf": lambda: gradtutor.trace("x", x=decimal.Decimal("Infinity")),
    "value 5000 digits as text": lambda: gradtutor.trace("x*y", x="1" + "0" * 5000, y=2),
    "bad keyword name": lambda: gradtutor.trace("x", **{"1x": 1}),
    "at list of ints": lambda: gradtutor.trace("x", at=[1, 2]),
    "at int": lambda: gradtutor.trace("x", at=5),
    "at dict with int key": lambda: gradtutor.trace("x", at={1: 2}),
    "mode int": lambda: gradtutor.trace("x", x=1, mode=3),
    "wrt int": lambda: gradtutor.trace("x", x=1, mode="forward", wrt=3),
    "expand text": lambda: gradtutor.trace("x", x=1, expand="yes"),
    "unknown keyword": lambda: gradtutor.solve("ad_table", parts="a"),
    "log of negative": lambda: gradtutor.trace("log(x)", x=-1),
    "nested 5000 deep": lambda: gradtutor.trace("(" * 5000 + "x" + ")" * 5000, x=1),
    "solve None": lambda: gradtutor.solve(None),
    "solve int": lambda: gradtutor.solve(3),
    "solve bytes": lambda: gradtutor.solve(b"ad_table"),
    "solve long name": lambda: gradtutor.solve("a" * 5000),
    "solve long path": lambda: gradtutor.solve("a" * 5000 + ".yaml"),
    "solve NUL in path": lambda: gradtutor.solve("a\x00b.yaml"),
    "solve part int": lambda: gradtutor.solve("ad_table", part=3),
    "solve folder": lambda: gradtutor.solve("/tmp"),
    "check nothing": lambda: gradtutor.check(None),
    "check source int": lambda: gradtutor.check(3, wrt="x", answer="1"),
    "check answer bytes": lambda: gradtutor.check("x^2", wrt="x", answer=b"2*x"),
    "check answer list": lambda: gradtutor.check("x^2", wrt="x", answer=["2*x"]),
    "check wrt int": lambda: gradtutor.check("x^2", wrt=1, answer="2*x"),
    "check zero sheets": lambda: gradtutor.check(problem="ad_table", answers=[]),
    "check answers int": lambda: gradtutor.check(problem="ad_table", answers=3),
    "check sigfigs text": lambda: gradtutor.check("x", at="x=1", answer="1", sigfigs="3"),
    "check at int": lambda: gradtutor.check("x", at=3, answer="1"),
    "check table int": lambda: gradtutor.check("x", at="x=1", table=3),
    "check 6000-digit answer": lambda: gradtutor.check("x", at="x=1", wrt="x",
                                                       answer="1" * 6000),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_arguments_raise_gradtutor_errors(name: str) -> None:
    with pytest.raises(GradtutorError) as err:
        BAD[name]()
    assert err.value.describe() and len(err.value.describe()) < 2000


def test_type_errors_name_the_argument() -> None:
    with pytest.raises(InputError, match=r"trace\(\): mode must be 'reverse'"):
        gradtutor.trace("x", x=1, mode=3)
    with pytest.raises(InputError, match="problem must be a bundled name or a path"):
        gradtutor.solve(b"ad_table")


def test_leaks_inside_become_user_errors_and_bugs_stay_bugs() -> None:
    @guarded
    def deep(source: str) -> None:
        raise RecursionError

    @guarded
    def outside(source: str) -> None:
        raise ZeroDivisionError("division by zero")

    @guarded
    def buggy(source: str) -> None:
        raise KeyError("x")

    with pytest.raises(LimitError, match="nested too deeply"):
        deep("x")
    with pytest.raises(DomainError, match="division by zero"):
        outside("x")
    with pytest.raises(KeyError):
        buggy("x")


def test_good_calls_still_work() -> None:
    assert gradtutor.trace("x*y", x=2, y=decimal.Decimal("0.5")).gradient["x"] == \
        sympy.Rational(1, 2)
    assert gradtutor.trace("x*y", at=["x=2", "y=3"]).value == 6
    assert gradtutor.check("x^2", wrt="x", answer="2*x").correct
    assert gradtutor.solve("ad_table", part="table").answers_ok
