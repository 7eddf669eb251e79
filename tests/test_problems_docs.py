"""docs/problem-format.md: every kind has a complete example, and every example solves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradtutor.problem_schema import KINDS
from gradtutor.problems import parse_problem
from gradtutor.solve import solve

DOC = Path(__file__).parent.parent / "docs" / "problem-format.md"
EXAMPLES = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_every_kind_has_an_example() -> None:
    kinds = {part.kind for text in EXAMPLES for part in parse_problem(text).parts}
    assert kinds == set(KINDS)


@pytest.mark.parametrize("text", EXAMPLES)
def test_example_solves_and_its_answers_agree(text: str) -> None:
    solution = solve(parse_problem(text, "docs/problem-format.md"))
    assert solution.answers_ok and all(p.checks for p in solution.parts)
