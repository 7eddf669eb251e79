"""PrairieLearn writer (feed cli): Graded → the external grader's results.json document.

Spec: docs.prairielearn.com/externalGrading/ — ``gradable``, ``score`` in [0, 1], ``message``,
``tests[]`` with ``name``, ``points``, ``max_points``, ``message`` and ``output``. A submission
that cannot be read is ``gradable: false`` with the reason in ``message`` and ``format_errors``.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Graded


def results(graded: Graded) -> dict[str, Any]:
    if not graded.gradable:
        return {"gradable": False, "score": 0.0, "message": graded.error,
                "format_errors": [graded.error], "tests": []}
    total = graded.max_score
    return {"gradable": True, "score": graded.score / total if total else 0.0,
            "message": f"{graded.student}: {graded.score} of {total} points.",
            "tests": [{"name": t.name, "points": t.score, "max_points": t.max_score,
                       "message": "right" if t.passed else "not right yet",
                       "output": t.output} for t in graded.tests]}


def results_json(graded: Graded) -> str:
    return json.dumps(results(graded), indent=2, ensure_ascii=False) + "\n"
