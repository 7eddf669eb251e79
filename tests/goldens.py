"""Golden files, read and checked by hand; GRADTUTOR_REGOLD=1 rewrites them (read the diff)."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(text: str, name: str, width: int | None = None) -> None:
    """``text`` equals tests/golden/NAME.txt (and no line is wider than ``width``)."""
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("GRADTUTOR_REGOLD"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    if width is not None:
        assert max(len(line) for line in text.splitlines()) <= width
