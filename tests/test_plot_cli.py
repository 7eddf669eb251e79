"""`gradtutor plot`: golden terminal plots (read and checked by hand), PNG/SVG files, errors.

tests/golden/plot_sigmoid.txt: σ(x) and σ′(x) = σ(1 − σ) on [−5, 5] — σ rises from 0.0067 to
0.9933 through 0.5 at 0 (the "0.5" tick row); σ′ is a dashed bump peaking at 1/4 at x = 0.
tests/golden/plot_relu.txt: relu and its derivative on [−2, 2] — relu′ is 0 up to 0 and 1
after it, with a gap and no vertical line at the jump.
Regenerate with GRADTUTOR_REGOLD=1 and read the diff before committing.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.goldens import assert_golden

CASES = {
    "plot_sigmoid": ["sigmoid(x)", "--derivative"],
    "plot_relu": ["relu(x)", "--derivative", "--range", "-2,2", "--height", "10"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_plot_at_80_columns(cli, monkeypatch, name: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("plot", *CASES[name])
    assert result.code == 0, result.err
    assert_golden(result.out, name, width=80)


def test_relu_derivative_has_no_vertical_line(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = cli("plot", "relu(x)", "--derivative", "--range", "-2,2").out.splitlines()
    canvas = [line[5:] for line in lines[2:18]]
    middle = {line[len(line) // 2 - 1: len(line) // 2 + 2] for line in canvas if len(line) > 40}
    assert not any("⡇" in cells or "⢸" in cells for cells in middle)


def test_several_functions_each_with_a_letter_in_the_legend(cli) -> None:
    out = cli("plot", "sigmoid(x)", "tanh(x)", "relu(x)", "--derivative").out
    legend = [line for line in out.splitlines() if line.startswith("  ") and " d/dx " in line]
    assert [line.split()[0] for line in legend] == ["b", "d", "f"]
    assert "d/dx tanh(x) = 1 − tanh(x)²" in out
    assert "sigmoid(x), tanh(x) and relu(x) with their derivatives on [−5, 5]" in out


def test_png_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "act.png"
    result = cli("plot", "sigmoid(x)", "tanh(x)", "relu(x)", "--derivative", "--output",
                 str(target))
    assert result.code == 0 and "act.png" in result.out
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (800, 500)
    assert [p.name for p in tmp_path.iterdir()] == ["act.png"]


def test_svg_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "tangent.svg"
    result = cli("plot", "x^2", "--tangent-at", "1", "--range", "-2,2", "--output", str(target))
    assert result.code == 0
    root = ET.parse(target).getroot()
    assert root.tag.endswith("svg")
    assert "tangent to x^2: y = −1 + 2·x" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["sinc(x)"], "unknown function 'sinc'"),
    (["x", "--range", "5,5"], "is empty"),
    (["1/x"], "has a pole at x ≈ 0"),
    (["x", "--output", "/no/such/folder/p.png"], "cannot write"),
    (["x", "--output", "plot.pdf"], "must end in .png or .svg"),
    (["x*y"], "one variable"),
    (["sqrt(x)", "--range", "-3,-1"], "undefined everywhere"),
    (["x", "--tangent-at", "9"], "outside the range"),
])
def test_bad_input_exits_2(cli, args: list[str], message: str) -> None:
    result = cli("plot", *args)
    assert result.code == 2, result.err
    assert message in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_missing_matplotlib_is_a_clear_error_not_a_bug(cli, tmp_path, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib → ImportError
    target = tmp_path / "p.png"
    result = cli("plot", "x^2", "--output", str(target))
    assert result.code == 2, result.err
    assert "needs matplotlib" in result.err and "Internal error" not in result.err
    assert not target.exists()
