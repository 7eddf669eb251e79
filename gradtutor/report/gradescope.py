"""Gradescope writer (feed cli): Graded → the autograder's results.json document.

Spec: gradescope-autograders.readthedocs.io/en/latest/specs/ — top-level ``score``, ``output``,
``visibility``, ``tests[]`` with ``name``, ``number``, ``score``, ``max_score``, ``status``
(passed | failed), ``output`` and ``output_format``. Inside the autograder (the /autograder
folder exists) the file goes to /autograder/results/results.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .model import Graded

AUTOGRADER_ENV = "GRADTUTOR_AUTOGRADER_DIR"  # overrides /autograder (tests)


def autograder_results() -> Path | None:
    """/autograder/results/results.json when running inside Gradescope's autograder."""
    root = Path(os.environ.get(AUTOGRADER_ENV) or "/autograder")
    return root / "results" / "results.json" if root.is_dir() else None


def results(graded: Graded, visibility: str = "visible") -> dict[str, Any]:
    if not graded.gradable:
        return {"score": 0, "output": f"Your answer sheet could not be read:\n\n"
                                      f"```\n{graded.error}\n```\n",
                "output_format": "md", "visibility": visibility,
                "tests": [{"name": "Reading the answer sheet", "number": "0", "score": 0,
                           "max_score": 0, "status": "failed", "output": graded.error,
                           "output_format": "md", "visibility": visibility}]}
    return {"score": graded.score,
            "output": f"{graded.student}: {graded.score} of {graded.max_score} points.",
            "output_format": "md", "visibility": visibility,
            "tests": [{"name": t.name, "number": t.number, "score": t.score,
                       "max_score": t.max_score, "status": "passed" if t.passed else "failed",
                       "output": t.output, "output_format": "md", "visibility": visibility}
                      for t in graded.tests]}


def results_json(graded: Graded) -> str:
    return json.dumps(results(graded), indent=2, ensure_ascii=False) + "\n"
