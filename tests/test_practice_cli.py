"""`gradtutor practice` through stdin: exit codes, plain output, JSON, problems, errors."""

from __future__ import annotations

import json

import pytest

NEURON = "z = w*x + b; p = sigmoid(z); r = p - y; L = r*r"
AT = "x=2,w=0.5,b=-1,y=1"
RIGHT = ["1", "0", "0.5", "-0.5", "0.25", "1", "-1", "-1", "-0.25", "-0.25", "1", "-0.25",
         "-0.5", "-0.125"]


def test_right_answers_exit_0_with_plain_text(practise) -> None:
    out = practise(RIGHT, NEURON, "--at", AT)
    assert out.code == 0, out.err
    assert "\x1b[" not in out.out  # no colour codes when piped
    assert "v₁ = v₋₂·v₋₃ = ? 1\n  Right!" in out.out
    assert "v̄₋₃ = ? -0.125\n  Right!" in out.out
    assert "Score: 14/14" in out.out and "Right first time: 14 of 14" in out.out
    assert out.err == ""


def test_fan_out_mistake_diagnosed_then_followed_through(practise) -> None:
    out = practise(RIGHT[:6] + ["-0.5", "-0.5", "-0.5"] + RIGHT[8:], NEURON, "--at", AT)
    assert out.code == 1
    assert out.out.count("Forgot to sum over fan-out") == 2
    assert "Follows through: right from your own earlier value; revisit v̄₄." in out.out
    assert "Score: 13/14" in out.out and "Mistakes: fan-out ×2" in out.out
    assert "Review: fan-out" in out.out


def test_hints_in_order(practise) -> None:
    out = practise(["hint", "hint", "hint", "hint"] + RIGHT[1:], NEURON, "--at", AT)
    positions = [out.out.index(f"Hint {n}") for n in (1, 2, 3, 4)]
    assert positions == sorted(positions)
    assert "Hint 2: v₁ = v₋₂·v₋₃, with v₋₂ = 0.5, v₋₃ = 2." in out.out
    assert "Hint 3: v₁ = 0.5·2" in out.out
    assert "Hint 4, the answer: v₁ = v₋₂·v₋₃ = 0.5·2 = 1" in out.out
    assert "Hints used: 4" in out.out and out.code == 1  # a revealed cell is not right


def test_quit_halfway(practise) -> None:
    out = practise(RIGHT[:3] + ["quit", "1"], NEURON, "--at", AT)
    assert out.code == 1
    assert "Stopped here." in out.out and "Score: 3/14" in out.out
    assert "Stopped before the end" in out.out


def test_end_of_input_ends_cleanly(practise) -> None:
    out = practise(RIGHT[:2], NEURON, "--at", AT)
    assert out.code == 1 and "(end of input)" in out.out and "Score: 2/14" in out.out
    assert "Traceback" not in out.out + out.err


def test_bad_answer_is_asked_again(practise) -> None:
    out = practise(["abc", "1"] + RIGHT[1:], NEURON, "--at", AT)
    assert out.code == 0
    assert ("v₁ = v₋₂·v₋₃ = ? abc\n  'abc' is not a number. Type a number such as -16, -24/5 "
            "or 1/(0.25), or one of: hint, skip, show, table, quit.\nv₁ = v₋₂·v₋₃ = ? 1\n"
            ) in out.out


def test_table_command_prints_the_table_so_far(practise) -> None:
    out = practise(RIGHT[:2] + ["table"], NEURON, "--at", AT)
    table = out.out.split("v₃ = σ(v₂) = ? table\n")[1]
    assert table.splitlines()[0].split() == ["node", "definition", "primal", "adjoint", "v̄"]
    assert "v₁       v₋₂·v₋₃     1 ✓" in table and "v₃ (p)   σ(v₂)       ?" in table


def test_print_json_lists_cells_in_asking_order(cli) -> None:
    out = cli("practice", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--print-json")
    doc = json.loads(out.out)
    assert doc["expression"] == "x + 1/(w*x+b)" and doc["at"] == {"x": "0.3", "w": "0.5",
                                                                   "b": "0.1"}
    assert [c["id"] for c in doc["cells"]] == ["v1", "v2", "v3", "v4", "v_bar4", "v_bar3",
                                               "v_bar2", "v_bar1", "v_bar0", "v_bar-1",
                                               "v_bar-2"]
    assert doc["cells"][2] == {"id": "v3", "kind": "primal", "label": "v₃",
                               "prompt": "v₃ = 1/v₂ = ?", "answer": "4"}
    assert doc["cells"][-1]["kind"] == "adjoint" and doc["cells"][-1]["answer"] == "−7"


def test_generated_exercise_print_json_is_reproducible(cli) -> None:
    first = cli("practice", "--level", "4", "--seed", "11", "--print-json").out
    assert first == cli("practice", "--level", "4", "--seed", "11", "--print-json").out
    assert json.loads(first)["level"] == 4 and json.loads(first)["seed"] == 11


def test_format_json_prints_only_the_summary(practise) -> None:
    out = practise(RIGHT, NEURON, "--at", AT, "--format", "json")
    doc = json.loads(out.out)
    assert out.code == 0 and doc["passed"] is True and doc["score"] == [14, 14]
    assert [r["status"] for r in doc["records"]] == ["right"] * 14


def test_mode_forward_asks_primals_only(practise) -> None:
    out = practise(RIGHT[:5], NEURON, "--at", AT, "--mode", "forward")
    assert out.code == 0 and "Score: 5/5" in out.out


def test_problem_trace_part_and_formula_part(practise) -> None:
    out = practise(["0.15", "0.25", "4", "4.3"], "ad_table", "--mode", "forward")
    assert out.code == 0 and "Score: 4/4" in out.out
    out = practise(["2*p", "2*(p - y)"], "squared_error_logistic", "--part", "a")
    assert out.code == 0, out.out
    assert "Part a: Find dl/dp." in out.out and "Right, on the second try." in out.out


@pytest.mark.parametrize(("args", "message"), [
    (["x*y"], "an expression needs its point"),
    (["--level", "9"], "--level must be 1 … 5"),
    (["--mode", "sideways"], "--mode 'sideways' is not one of"),
    (["--format", "xml"], "--format 'xml' is not one of"),
    (["ad_table", "--part", "zz"], "has no part 'zz'"),
    (["x*y", "--at", "x=1,y=2", "--part", "a"], "--part belongs to a problem"),
    (["--stats", "no-such-file.jsonl"], "no such record file"),
])
def test_bad_usage_exits_2_with_one_message(cli, args, message) -> None:
    out = cli("practice", *args)
    assert out.code == 2 and message in out.err and "Traceback" not in out.err
    assert out.err.startswith("Error: ") and "Try: " in out.err


def test_problem_gradient_and_limit_parts(practise) -> None:
    out = practise(["2", "hint", "3"], "cs577_neurons", "--part", "normal")
    assert out.code == 0, out.out
    assert "∂/∂x1 (a formula) = ? 2\n  Right!" in out.out
    assert "Hint 1: Differentiate with respect to x2, holding the other variables constant." \
        in out.out
    out = practise(["hint", "1", "0"], "squared_error_logistic", "--part", "f")
    assert "Hint 1: Write the expression in p, then let it go to 0+." in out.out
    assert "Right, on the second try." in out.out and out.code == 0
