"""Robustness, the trace/check/solve entrances in-process: a table of nasty inputs → exit 0/1/2,
a message on stderr for 2, no traceback, and a hang guard (budget.deadline)."""

from __future__ import annotations

import pytest

from gradtutor.budget import deadline

HANG_GUARD = 90.0  # seconds: a hang guard, not a speed assertion

SUM = "+".join(["x"] * 1000)
SQUARES = "; ".join(f"a{i + 1} = a{i}*a{i}" for i in range(40)).replace("a0 ", "x ")
SQUARES = SQUARES.replace("= a0*a0", "= x*x")

CASES: dict[str, tuple[list[str], int]] = {
    # expressions
    "tower of powers": (["trace", "2**2**2**2**2**2", "--at", "x=1"], 2),
    "exp of exp": (["trace", "exp(exp(exp(exp(x))))", "--at", "x=10"], 2),
    "repeated squaring": (["trace", SQUARES, "--at", "x=3"], 2),
    "flat sum of 1000": (["trace", SUM, "--at", "x=1", "--format", "json"], 0),
    "nested 200 deep": (["trace", "(" * 200 + "x" + ")" * 200, "--at", "x=1"], 2),
    "5000 minus signs": (["trace", "-" * 5000 + "x", "--at", "x=1"], 2),
    "power tower of x": (["trace", "x" + "^x" * 300, "--at", "x=1.01"], 2),
    "empty": (["trace", "", "--at", "x=1"], 2),
    "blank": (["trace", "   ", "--at", "x=1"], 2),
    "NUL": (["trace", "\x00", "--at", "x=1"], 2),
    "escape sequence": (["trace", "\x1b]0;title\x07x", "--at", "x=1"], 2),
    "lone surrogate": (["trace", "x\udcff", "--at", "x=1"], 2),
    "python": (["trace", "__import__('os').system('true')", "--at", "x=1"], 2),
    "attribute": (["trace", "x.real", "--at", "x=1"], 2),
    "lambda": (["trace", "lambda: x", "--at", "x=1"], 2),
    "constant only": (["trace", "a = 1", "--at", "x=1"], 2),
    "unknown function": (["trace", "sinhh(x)", "--at", "x=1"], 2),
    "leading minus": (["trace", "-log(p)", "--at", "p=0.3"], 0),
    # points
    "pole of tan": (["trace", "tan(x)", "--at", "x=pi/2"], 2),
    "sqrt of negative": (["trace", "sqrt(x)", "--at", "x=-1"], 2),
    "0^0": (["trace", "x^y", "--at", "x=0,y=0"], 2),
    "division by zero": (["trace", "x/0", "--at", "x=1"], 2),
    "huge exponent": (["trace", "x", "--at", "x=1e999999"], 2),
    "exp(exp(exp(10)))": (["trace", "x", "--at", "x=exp(exp(exp(10)))"], 2),
    "5000 digits": (["trace", "x", "--at", "x=" + "9" * 5000], 2),
    "tiny": (["trace", "x", "--at", "x=1e-400"], 0),
    "exp at 30": (["trace", "exp(x)", "--at", "x=30"], 0),
    "1/x at 1e-10": (["trace", "1/x", "--at", "x=1e-10"], 0),
    "saturated activations": (["trace", "erf(x)*softplus(x)*sigmoid(x)", "--at", "x=1000"], 0),
    "1/0 as a value": (["trace", "x", "--at", "x=1/0"], 2),
    "no value": (["trace", "x", "--at", "x"], 2),
    "only separators": (["trace", "x", "--at", "=,=,"], 2),
    "twice": (["trace", "x", "--at", "x=1,x=2"], 2),
    "missing value": (["trace", "x*y", "--at", "x=1"], 2),
    # options
    "digits huge": (["trace", "x", "--at", "x=1", "--digits", "99999999999999999999999"], 2),
    "digits negative": (["trace", "x", "--at", "x=1", "--digits", "-1"], 2),
    "digits text": (["trace", "x", "--at", "x=1", "--digits", "many"], 2),
    "bad mode": (["trace", "x", "--at", "x=1", "--mode", "sideways"], 2),
    "forward without wrt": (["trace", "x*y", "--at", "x=1,y=2", "--mode", "forward"], 2),
    "bad wrt": (["trace", "x*y", "--at", "x=1,y=2", "--mode", "forward", "--wrt", "z"], 2),
    "bad format": (["trace", "x", "--at", "x=1", "--format", "pdf"], 2),
    "unknown option": (["trace", "x", "--at", "x=1", "--colour"], 2),
    "missing option value": (["trace", "x", "--at"], 2),
    "unknown command": (["nope"], 2),
    "no arguments": ([], 0),
    # check
    "long wrong answer": (["check", "x^2", "--wrt", "x", "--answer",
                           "1+" + "+".join(["x"] * 200)], 1),
    "empty answer": (["check", "x^2", "--wrt", "x", "--answer", ""], 2),
    "huge answer": (["check", "x^2", "--wrt", "x", "--answer", "10^5000"], 2),
    "rtol huge": (["check", "x^2", "--at", "x=1", "--wrt", "x", "--answer", "2",
                   "--rtol", "10^5000"], 2),
    "sigfigs huge": (["check", "x^2", "--at", "x=1", "--wrt", "x", "--answer", "2",
                      "--sigfigs", "1000000000"], 2),
    "negative answer": (["check", "-x^2", "--wrt", "x", "--answer", "-2*x"], 0),
    # problems
    "empty part": (["solve", "ad_table", "--part", ""], 2),
    "empty name": (["show", ""], 2),
    "dot": (["solve", "."], 2),
    "schema with an argument": (["schema", "extra"], 2),
    "problems as xml": (["problems", "--format", "xml"], 2),
}


@pytest.mark.parametrize("name", list(CASES))
def test_nasty_input(cli, name: str) -> None:
    args, expected = CASES[name]
    with deadline(HANG_GUARD):
        got = cli(*args)
    assert got.code == expected, (got.code, got.err[-600:])
    assert "Traceback" not in got.err and "Internal error" not in got.err
    if got.code == 2:
        assert got.err.startswith(("Error: ", "Usage: ")) and len(got.err) < 3000
        assert "\x1b" not in got.err and "\x00" not in got.err
