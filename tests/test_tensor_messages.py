"""A tensor program without its values: every entrance says the shapes come from the values
and shows the form to give them in (exit 2, one message, no traceback) — never the stale
"cannot be traced yet" nor the misleading "(scalar) @ (scalar)"."""

from __future__ import annotations

import pytest

from gradtutor.errors import InputError
from gradtutor.parse import parse_program
from gradtutor.rules import rule_for
from gradtutor.tensor_hint import value_forms

MLP = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
SHAPES = "takes its shapes from its values"


def _refused(outcome) -> str:
    assert outcome.code == 2, (outcome.code, outcome.err)
    assert "Traceback" not in outcome.err and not outcome.out.strip()
    assert outcome.err.startswith("Error: ")
    assert "cannot be traced yet" not in outcome.err and "(scalar) @" not in outcome.err
    return outcome.err


def test_trace_without_values_names_them_all_with_their_forms(cli) -> None:
    err = _refused(cli("trace", MLP))
    assert "uses vectors or matrices and has no values: a tensor program " + SHAPES in err
    assert "Try: --at W=[[…]],x=[…],b=…,y=[…] (numbers, vectors [1,2] or matrices " \
           "[[1,2],[3,4]]; or --at-file values.json)" in err


def test_trace_with_some_values_names_the_missing_ones(cli) -> None:
    err = _refused(cli("trace", MLP, "--at", "x=[1,2,3]"))
    assert "has no value for 'W', 'b', 'y'" in err and SHAPES in err
    assert "Try: --at W=[[…]],b=…,y=[…]" in err


def test_graph_without_values_says_what_to_give(cli) -> None:
    err = _refused(cli("graph", MLP))
    assert SHAPES in err and "Try: --at W=[[…]],x=[…],b=…,y=[…]" in err
    assert "--at-file" not in err  # graph reads --at only
    err = _refused(cli("graph", "L = sum(x^2)", "--format", "dot"))
    assert "Try: --at x=[…]" in err


def test_graph_with_values_still_draws(cli) -> None:
    out = cli("graph", MLP, "--at", "W=[[1,-1,2],[0,1,-1]],x=[1,2,3],b=[0,1],y=[1,0]")
    assert out.code == 0 and "v₋₃ W [2×3]" in out.out


def test_practice_without_values_says_what_to_give(cli) -> None:
    err = _refused(cli("practice", MLP))
    assert SHAPES in err and "Try: --at W=[[…]],x=[…],b=…,y=[…]" in err
    assert "or --at-file values.json" in err  # practice reads --at-file too
    err = _refused(cli("practice", MLP, "--at", "x=[1,2,3]", "--print-json"))
    assert "has no value for 'W', 'b', 'y'" in err
    scalar = cli("practice", "x*y")  # a scalar expression keeps its own message
    assert scalar.code == 2 and "an expression needs its point" in scalar.err


def test_check_with_some_values_names_the_missing_ones(cli) -> None:
    err = _refused(cli("check", MLP, "--at", "x=[1,2,3]", "--wrt", "x", "--answer",
                       "[1,2,3]"))
    assert "has no value for 'W', 'b', 'y'" in err and SHAPES in err
    assert "--at-file" not in err  # check reads --at only


def test_check_without_a_point_still_asks_for_it(cli) -> None:
    err = _refused(cli("check", MLP, "--wrt", "W", "--answer", "outer(h_bar, x)"))
    assert "shapes come from the values" in err


def test_a_scalar_command_names_the_commands_that_take_tensors(cli) -> None:
    err = _refused(cli("plot", "sum(x)"))
    assert "'sum' is an operation on vectors and matrices, which this command does not " \
           "take" in err
    assert 'gradtutor trace "sum(x^2)" --at x=[1,2,3]' in err


def test_the_api_raises_the_same_input_error() -> None:
    import gradtutor

    with pytest.raises(InputError, match=SHAPES):
        gradtutor.trace(MLP, x=[1, 2, 3])
    with pytest.raises(InputError, match="is an operation on vectors and matrices"):
        rule_for("matmul")


@pytest.mark.parametrize(("source", "forms"), [
    (MLP, {"W": "[[…]]", "x": "[…]", "b": "…", "y": "[…]"}),
    ("L = sum(transpose(A)@v) + c", {"A": "[[…]]", "v": "[…]", "c": "…"}),
    ("z = u@V; L = z[0]", {"u": "[[…]]", "V": "[…]"}),  # the left side of @ is the matrix
])
def test_value_forms(source: str, forms: dict[str, str]) -> None:
    assert value_forms(parse_program(source), list(forms)) == forms
