"""Tensor values on the command line: --at with brackets, --at-file, clear errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from gradtutor.point import split_pairs


def test_pairs_split_at_top_level_commas_only() -> None:
    items = [item for _, item in split_pairs("x=[1,2,3],W=[[1,-1],[0,1]],b=1/2")]
    assert items == ["x=[1,2,3]", "W=[[1,-1],[0,1]]", "b=1/2"]


def test_repeated_at_and_json_output_shapes(cli) -> None:
    result = cli("trace", "x*y + x", "--at", "x=[1,2]", "--at", "y=[3,1/3]", "--format",
                 "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["value"] == [4, pytest.approx(8 / 3)]
    assert doc["shape"] == [2]
    assert doc["gradient"]["x"] == [[4, 0], [0, pytest.approx(4 / 3)]]  # Jacobian: y + 1
    assert doc["gradient_exact"]["y"] == [["1", "0"], ["0", "2"]]
    assert [node["shape"] for node in doc["nodes"]] == [[2], [2], [2], [2]]
    assert doc["verified"]["agrees"] is True


def test_at_file_json_yaml_npz_combine_with_at(cli, tmp_path: Path) -> None:
    (tmp_path / "v.json").write_text('{"x": [1, 2]}')
    (tmp_path / "v.yaml").write_text("x: [1, 2]\n")
    np.savez(tmp_path / "v.npz", x=np.array([1.0, 2.0]))
    for name in ("v.json", "v.yaml", "v.npz"):
        result = cli("trace", "x*y", "--at-file", str(tmp_path / name), "--at", "y=[3,4]",
                     "--format", "json")
        assert result.code == 0, result.err
        assert json.loads(result.out)["value"] == [3, 8]
    assert json.loads(result.out)["route"] == "float"  # .npz values are binary floats


@pytest.mark.parametrize("at, fragments", [
    ("x=[[1,2],[3]],y=1", ["'x' is ragged: row 0 has 2 entries, row 1 has 1"]),
    ("x=[],y=1", ["'x' has an empty vector"]),
    ("x=[1,2,y=1", ["a '[' is never closed", "^"]),
    ("x=[1,2]],y=1", ["a ']' without its '['"]),
    ("x=[1,abc],y=1", ["not a number"]),
    ("x=[1,[2,3]],y=1", ["ragged"]),
    ("x=[[[1]]],y=1", ["more than 2 dimensions"]),
])
def test_bad_tensor_values_exit_2(cli, at: str, fragments: list[str]) -> None:
    result = cli("trace", "x*y", "--at", at)
    assert result.code == 2
    assert "Traceback" not in result.err and result.out == ""
    for fragment in fragments:
        assert fragment in result.err


def test_huge_tensor_is_a_limit_error(cli, tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(json.dumps({"x": [[0] * 3000] * 2000}))
    result = cli("trace", "x*y", "--at-file", str(tmp_path / "big.json"), "--at", "y=1")
    assert result.code == 2
    assert "more than 5000000" in result.err


def test_shape_mismatch_on_the_command_line(cli) -> None:
    result = cli("trace", "x*y", "--at", "x=[1,2],y=[1,2,3]")
    assert result.code == 2
    assert "(2) and (3) — elementwise operations need equal shapes" in result.err
