"""CLI: problems, show, solve, schema — exit codes, stdout and stderr checked separately."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gradtutor.cli import app
from gradtutor.cli.boundary import run

DATA = Path(__file__).parent / "data" / "problems"


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(app, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_problems_json_lists_name_and_title(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "problems", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and err == ""
    assert {"name": "ad_table", "title": "Reverse-mode AD table for y = x + 1/(wx + b)",
            "topics": ["automatic differentiation", "reverse mode", "adjoints"],
            "parts": 1} in rows


def test_problems_table_is_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "problems")
    assert code == 0 and "lagrange_multipliers" in out and "\x1b[" not in out


def test_show_prints_the_statement_without_answers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "show", "lagrange_multipliers")
    assert code == 0 and err == ""
    assert out.startswith("# Critical points with a Lagrange multiplier\n")
    assert "## Part critical" in out and "-3/2" not in out and "λ = −3/2" not in out


def test_solve_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "solve", "ad_table")
    assert code == 0 and err == ""
    assert "Model answer: agrees with the solution." in out
    assert "−4.8" in out and "−16" in out and "−7" in out


def test_solve_one_part_as_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "solve", "squared_error_logistic", "--part", "f",
                        "--format", "markdown")
    assert code == 0
    assert "## Part f (limit)" in out and "## Part e" not in out
    assert "Limit as p → 0+: 0 (the gradient vanishes)." in out


def test_solve_json_is_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "solve", "lagrange_multipliers", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["answers_ok"] is True
    critical = doc["parts"][1]["result"]
    assert critical["solutions"] == [{"x": {"value": 1, "exact": "1"},
                                      "y": {"value": 0, "exact": "0"},
                                      "lam": {"value": -1.5, "exact": "-3/2"}}]
    assert critical["complex_count"] == 4


def test_solve_latex(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "solve", "edge_network", "--format", "latex")
    assert code == 0 and out.startswith("\\section*{Backpropagation on a graph")
    assert "\\begin{tabular}" in out


def test_solve_a_file_whose_model_answer_is_wrong_exits_1(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "solve", str(DATA / "wrong_answer.yaml"))
    assert code == 1 and err == ""
    assert "Model answer DISAGREES: expr: file says 3*x, solver gives 3*x^2" in out


@pytest.mark.parametrize(("args", "first_line"), [
    (["solve", "nope"], "Error: no bundled problem named 'nope'"),
    (["solve", "ad_table", "--part", "zz"], "Error: ad_table has no part 'zz'"),
    (["solve", "ad_table", "--format", "pdf"],
     "Error: --format 'pdf' is not one of: table, json, markdown, latex"),
    (["show", "missing.yaml"], "Error: cannot read the problem file 'missing.yaml': no such file"),
])
def test_bad_input_exits_2_with_one_message(capsys: pytest.CaptureFixture[str],
                                            args: list[str], first_line: str) -> None:
    code, out, err = call(capsys, *args)
    assert code == 2 and out == ""
    assert err.splitlines()[0] == first_line and "Traceback" not in err


def test_schema_error_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "solve", str(DATA / "bad_number.yaml"))
    assert code == 2 and out == ""
    assert err.splitlines()[0].endswith(
        "bad_number.yaml:13 parts[1].at.w1: expected a number, got 'abc'")


def test_missing_value_found_while_solving_names_the_key(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(capsys, "solve", str(DATA / "missing_value.yaml"))
    assert code == 2
    assert err.splitlines()[0].endswith("missing_value.yaml:6 parts[0].at: no value for 'y'")


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "gradtutor problem file"
    assert len(schema["properties"]["parts"]["items"]["oneOf"]) == 14
