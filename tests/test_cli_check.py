"""The check command: exit codes, stdout/stderr, JSON for graders, README commands."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from gradtutor.cli import app
from gradtutor.cli.boundary import run

ROOT = Path(__file__).parent.parent
AD, AT = "x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1"

# The commands of README's "Checking answers with `gradtutor check`" section, with exit codes.
README_COMMANDS = [
    ('gradtutor check "(y - sigmoid(w*x))^2" --wrt w '
     '--answer "-2*(y - sigmoid(w*x))*sigmoid(w*x)*(1 - sigmoid(w*x))*x"', 0),
    ('gradtutor check "a = w*x; p = sigmoid(a); l = (y - p)^2" --wrt w '
     '--answer "2*p^3*exp(-a)*x - 3*p^2*exp(-a)*y*x"', 1),
    ('gradtutor check "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1 --wrt w --answer -4.8', 0),
    ('gradtutor check "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1 --table examples/my_table.yaml',
     1),
]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(app, ["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("command", "code"), README_COMMANDS)
def test_readme_commands(capsys, monkeypatch, command, code):
    monkeypatch.chdir(ROOT)
    args = shlex.split(command)
    assert args[:2] == ["gradtutor", "check"]
    got, out, err = cli(capsys, *args[2:])
    assert (got, err) == (code, "")
    assert out.startswith("Check ")


def test_right_formula_exits_0_and_says_right(capsys):
    code, out, err = cli(capsys, "sigmoid(x)", "--wrt", "x", "--answer",
                         "exp(-x)/(1 + exp(-x))^2")
    assert code == 0 and err == ""
    assert "✓ right  ∂y/∂x = exp(-x)/(1 + exp(-x))^2" in out
    assert "the simplest form is (1 - sigmoid(x))*sigmoid(x)" in out


def test_wrong_formula_exits_1_with_feedback(capsys):
    code, out, _ = cli(capsys, "a = w*x; p = sigmoid(a); l = (y - p)^2", "--wrt", "w",
                       "--answer", "2*p^3*exp(-a)*x - 3*p^2*exp(-a)*y*x")
    assert code == 1
    assert "should have the coefficient -2, not -3" in out
    assert "your answer gives" in out


def test_json_for_graders(capsys):
    code, out, _ = cli(capsys, AD, "--at", AT, "--wrt", "w", "--answer", "4.8", "--format",
                       "json")
    data = json.loads(out)
    assert code == 1 and data["correct"] is False
    item = data["items"][0]
    assert (item["verdict"], item["mistake"]) == ("wrong", "sign")
    assert item["precision"] == "compared to the 1 decimal place written, ± 0.05"
    assert item["feedback"][0] == "The sign is wrong; the size is right."


def test_json_counterexample_and_table(capsys):
    _, out, _ = cli(capsys, "x^2", "--wrt", "x", "--answer", "x", "--format", "json")
    example = json.loads(out)["items"][0]["counterexample"]
    assert example["expected"] == 2 * example["point"]["x"] != example["given"]
    code, out, _ = cli(capsys, AD, "--at", AT, "--table", "tests/data/check/seed004_table.yaml",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["correct"] and data["score"] == data["out_of"] == 14


def test_markdown(capsys):
    code, out, _ = cli(capsys, AD, "--at", AT, "--wrt", "x", "--answer", "-7", "--format",
                       "markdown")
    assert code == 0
    assert out.splitlines()[0] == ("## Check ∂y/∂x of x + 1/(w*x+b) at x = 3/10, w = 1/2, "
                                   "b = 1/10: all right")


def test_table_output_pinpoints_the_first_wrong_cell(capsys):
    code, out, _ = cli(capsys, AD, "--at", AT, "--table", "examples/my_table.yaml")
    assert code == 1
    assert "First wrong cell: v₂" in out
    assert "v₂ = v₁ + v₀ with v₁ = 0.15, v₀ = 0.1 gives 0.25" in out


@pytest.mark.parametrize(("args", "message"), [
    ([AD, "--wrt", "q", "--answer", "1"], "Error: --wrt 'q' is not a variable"),
    ([AD, "--wrt", "w", "--answer", "sin(x"], "Error: expected ')'"),
    ([AD, "--wrt", "w", "--answer", "sigmod(x)"], "Error: unknown function 'sigmod'"),
    ([AD, "--at", AT, "--wrt", "w", "--answer", "w*x"], "Error: the answer is not a number"),
    ([AD, "--at", "x=0.3", "--wrt", "w", "--answer", "1"], "Error: no value given for"),
    ([AD, "--wrt", "w"], "Error: nothing to check"),
    ([AD, "--answer", "1"], "Error: checking a formula needs the variable"),
    ([AD, "--wrt", "w", "--answer", "1", "--format", "xml"], "Error: --format 'xml'"),
    ([AD, "--at", AT, "--table", "nope.yaml"], "Error: cannot read the table"),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(capsys, args, message):
    code, out, err = cli(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith(message)
    assert "Traceback" not in err
