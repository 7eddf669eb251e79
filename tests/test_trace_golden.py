"""Golden renders (fixed width, no colour) of the two textbook traces, read and verified by hand.

tests/golden/readme_example.txt: y = x + 1/(w*x+b) at (0.3, 0.5, 0.1) — v₁ = 0.15, v₂ = 0.25,
v₃ = 4, v₄ = 4.3; ∂v₃/∂v₂ = −1/v₂² = −16; adjoints v̄₂ = v̄₁ = v̄₀ = −16, v̄₋₁ = −16·0.3 = −4.8,
v̄₋₂ = 1 + (−16)·0.5 = −7 (fan-out: two contributions).
tests/golden/baydin.txt: Baydin et al. Table 2–3, y = ln(x1) + x1*x2 − sin(x2) at (2, 5) —
y = 11.6521, x̄₁ = 5.5, x̄₂ = 5 − cos 5 ·1 … = 1.71634; tangent ẏ = 5.5 for x1.
Regenerate with GRADTUTOR_REGOLD=1 and read the diff before committing.
"""

from __future__ import annotations

import pytest

import gradtutor
from gradtutor.render.trace import trace_text
from tests.goldens import GOLDEN, assert_golden

CASES = {
    "readme_example": ("x + 1/(w*x+b)", "x=0.3,w=0.5,b=0.1", "reverse", None),
    "baydin": ("ln(x1) + x1*x2 - sin(x2)", "x1=2,x2=5", "both", "x1"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_table(name: str) -> None:
    source, at, mode, wrt = CASES[name]
    text = trace_text(gradtutor.trace(source, at, mode=mode, wrt=wrt), "table", width=110)
    assert_golden(text, name)


def test_golden_values_are_the_textbook_ones() -> None:
    """The numbers in the goldens, asserted independently of the rendering."""
    readme = (GOLDEN / "readme_example.txt").read_text(encoding="utf-8")
    for fragment in ("│ 4.3 ", "∂y/∂x = −7 ", "∂y/∂w = −4.8 ", "∂y/∂b = −16 ", "→ −7"):
        assert fragment in readme
    baydin = (GOLDEN / "baydin.txt").read_text(encoding="utf-8")
    for fragment in ("y = 11.6521", "∂y/∂x1 = 5.5 ", "∂y/∂x2 = 1.71634 ", "0.693147"):
        assert fragment in baydin
