"""Answer sheets take a tensor table cell in the mapping form `--table` files accept:
``z1: {definition: W@x, value: [1, 4]}``, as well as the inline ``z1: W@x = [1, 4]``.

examples/tensor_table_problem.yaml at W = [[1,−1],[2,0]], x = [2,1], b = [0,−5]: by hand
W@x = [1, 4], h = [1, −1], and (examples/tensor_sheets/ada.yaml) W̄ = z̄1 xᵀ = [[2, 1], [0, 0]].
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHEET = """student: Dee
problem: tensor_table_problem
parts:
  table:
    forward:
      z1: {definition: W@x, value: [1, 4]}
      z2: {definition: z1 + b, value: [1, -1]}
      q: {definition: "W@@x", value: 3}
    reverse:
      W: {definition: z̄1 xᵀ, value: [[2, 1], [0, 0]]}
"""


def _check(cli, tmp_path: Path, sheet: str):
    shutil.copy(ROOT / "examples" / "tensor_table_problem.yaml", tmp_path)
    path = tmp_path / "dee.yaml"
    path.write_text(sheet, encoding="utf-8")
    return cli("check", str(tmp_path / "tensor_table_problem.yaml"), "--answers", str(path))


def test_mapping_cells_are_checked_like_inline_ones(cli, tmp_path: Path) -> None:
    result = _check(cli, tmp_path, SHEET)
    assert result.code == 1, result.err  # rows left out: not answered
    assert "✓ right  table: v₁ (your z1) = W@x = [1, 4]" in result.out
    assert "✓ right  table: v₂ (h) (your z2) = z1 + b = [1, -1]" in result.out
    assert "✓ right  table: v̄₋₃ (W) = z̄1 xᵀ = [[2, 1], [0, 0]]" in result.out
    assert "Your definition W@@x could not be read" in result.out  # costs only its own row


def test_an_unknown_key_in_a_cell_names_the_path(cli, tmp_path: Path) -> None:
    result = _check(cli, tmp_path, SHEET.replace("value: [1, 4]", "valu: [1, 4]"))
    assert result.code == 2
    assert "parts.table.forward.z1.valu: unknown key 'valu'" in result.err
    assert "did you mean 'value'?" in result.err and "Traceback" not in result.err
