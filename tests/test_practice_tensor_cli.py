"""`gradtutor practice` with vectors and matrices through the CLI: exit codes 0, 1, 2, never 3."""

from __future__ import annotations

import io
import json

import pytest

from tests.test_practice_tensor import AT, PROGRAM, RIGHT

AT_PARTS = ["W=[[1,-1],[2,0]]", "x=[2,1]", "b=[0,-5],y=[0,1]"]


def test_a_whole_session_exits_0(practise) -> None:
    out = practise(RIGHT, PROGRAM, "--at", AT)
    assert out.code == 0, out.err
    assert "v₁ = v₋₃ @ v₋₂, a vector of 2 entries = ? [1, 4]\n  Right!" in out.out
    assert "v̄₋₃ (W̄), a 2×2 matrix like v₋₃ = ? [[2, 1], [0, 0]]\n  Right!" in out.out
    assert "Score: 18/18" in out.out and out.err == ""


def test_repeated_at_and_at_file(practise, tmp_path) -> None:
    assert practise(RIGHT, PROGRAM, *[a for p in AT_PARTS for a in ("--at", p)]).code == 0
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"W": [[1, -1], [2, 0]], "x": [2, 1], "b": [0, -5]}))
    out = practise(RIGHT, PROGRAM, "--at-file", str(values), "--at", "y=[0,1]")
    assert out.code == 0, out.err


def test_a_missed_cell_exits_1_and_the_table_shows_shapes(practise) -> None:
    lines = RIGHT[:3] + ["[1,-1]"] + RIGHT[4:10] + ["[1, 1]", "table", "[1, 1]"]
    out = practise(lines, PROGRAM, "--at", AT)
    assert out.code == 1
    assert "v₋₃ (W)  2×2     W" in out.out  # the table: node, shape, definition, primal
    assert "v₄       2       v₃ − v₀     [1, −1] ✓" in out.out  # typed [1,-1], shown spaced
    assert "(end of input)" in out.out and "Stopped before the end" in out.out


def test_print_json_cells_have_shapes_and_nested_values(cli) -> None:
    out = cli("practice", PROGRAM, "--at", AT, "--print-json", "--mode", "reverse")
    doc = json.loads(out.out)
    assert doc["mode"] == "reverse" and len(doc["cells"]) == 11
    assert doc["cells"][-1] == {
        "id": "v_bar-3", "kind": "adjoint", "label": "v̄₋₃",
        "prompt": "v̄₋₃ (W̄), a 2×2 matrix like v₋₃ = ?", "answer": "[[2, 1], [0, 0]]",
        "shape": [2, 2], "value": [[2, 1], [0, 0]]}


def test_format_json_record_and_stats(practise, tmp_path) -> None:
    record = tmp_path / "progress.jsonl"
    out = practise(RIGHT[:-1] + ["[[2, 0], [1, 0]]", "[[2, 1], [0, 0]]"], PROGRAM, "--at", AT,
                   "--format", "json", "--record", str(record))
    assert out.code == 0, out.err
    doc = json.loads(out.out)
    assert doc["passed"] and doc["score"] == [18, 18] and doc["mistakes"] == {"transpose": 1}
    assert doc["exercise"]["cells"][0]["shape"] == [2]
    line = json.loads(record.read_text().splitlines()[0])
    assert line["cells"][-1]["answers"] == ["[[2, 0], [1, 0]]", "[[2, 1], [0, 0]]"]
    stats = json.loads(cli_stats(practise, record).out)
    assert stats["sessions"] == 1 and stats["mistakes"][0]["kind"] == "transpose"


def cli_stats(practise, record):
    return practise([], "--stats", str(record), "--format", "json")


def test_problem_tensor_part(practise) -> None:
    out = practise(["[[1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 1, -1]]"], "vector_node_two_layers",
                   "--part", "relu_jacobian")
    assert out.code == 0, out.err
    assert "a 3×4 matrix = ?" in out.out and "Score: 1/1" in out.out


@pytest.mark.parametrize("args, message", [
    ((PROGRAM, "--at", "W=[[1,-1,2],[0,1,-1]],x=[2,1],b=[0,-5],y=[0,1]"), "inner sizes 3 and 2"),
    ((PROGRAM, "--at", "W=[[1,-1],[2]],x=[2,1],b=[0,-5],y=[0,1]"), "ragged"),
    ((PROGRAM, "--at", "W=[],x=[2,1],b=[0,-5],y=[0,1]"), "empty"),
    (("h = W@x", "--at", "W=[[1,2],[3,4]],x=[1,1]"), "needs a scalar output"),
    ((PROGRAM, "--at-file", "no-such-file.json"), "no-such-file.json"),
    (("--at", "x=[1,2]"), "--at gives the point"),
    (("vector_node_two_layers", "--part", "nope"), "nope"),
    ((PROGRAM, "--at", "W=[[1,-1],[2,0]],x=[2,,1],b=[0,-5],y=[0,1]"), "an empty entry"),
    ((PROGRAM, "--at", "W=[[1,-1],[2,0]],x=[2,1,],b=[0,-5],y=[0,1]"), "an empty entry"),
])
def test_bad_input_exits_2_with_one_message(practise, args, message) -> None:
    out = practise([], *args)
    assert out.code == 2, out.err
    assert message in out.err and "Traceback" not in out.err


@pytest.mark.parametrize("lines", [
    ["[[1, 2], [3]]", "[1,,4]", "", "   ", "[1, 4", "[[[1]]]", "1e999999", "[1/0, 1]",
     "\x00", "[" * 3000, "]]]]", "[1, 4]"],
    ["quit"], [], ["[1, 4]", "hint", "show", "skip", "table", "help", "q"],
])
def test_nasty_lines_never_exit_3(practise, lines) -> None:
    out = practise(lines, PROGRAM, "--at", AT)
    assert out.code in (0, 1), out.err
    assert "Traceback" not in out.err and "Internal error" not in out.err


def test_ctrl_c_at_a_terminal_ends_the_session_cleanly(cli, monkeypatch) -> None:
    from rich.prompt import Prompt

    typed = iter(["[1, 4]", "[9, 9]"])

    def ask(*args, **kwargs):
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(Prompt, "ask", classmethod(lambda cls, *a, **k: ask()))
    out = cli("practice", PROGRAM, "--at", AT, "--format", "json")
    assert out.code == 1, out.err
    doc = json.loads(out.out)
    assert not doc["completed"] and len(doc["records"]) == 18
    assert doc["records"][0]["status"] == "right"
    assert doc["records"][1]["answers"] == ["[9, 9]"]
