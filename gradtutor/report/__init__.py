"""Stage 4c, report: sheet and class results → documents graders import (files, never printing).

One result model (``model.graded``: a submission as tests with points and markdown output)
feeds every writer: Gradescope ``results.json``, PrairieLearn external-grader results, the class
summary CSV and an LMS gradebook (Canvas, Moodle) filled in place of its own export. Files are
written atomically and never over an input (``files.write_atomic``).
"""

from __future__ import annotations

__all__ = ["files", "gradebook", "gradescope", "model", "prairielearn"]
