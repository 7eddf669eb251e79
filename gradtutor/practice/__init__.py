"""Stage 3e, practice: an exercise (generated, EXPR + point, or a problem) → a tutoring session."""

from __future__ import annotations
