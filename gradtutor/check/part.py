"""Check, one part of a problem: problem NAME|FILE + part id + --answer → that kind's verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError


def check_part(problem: str | Path | None, part_id: str, answer: str | None) -> Any:
    from ..problems import load_problem

    if problem is None:
        raise InputError("--part needs the problem", hint="gradtutor check NAME --part ID "
                         '--answer "…"')
    if answer is None:
        raise InputError(f"nothing to check for part {part_id!r}",
                         hint='give --answer "…", e.g. --answer "delta(k,i)*x[j]"')
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        answer = str(answer)  # a number is a (constant) pattern too
    if not isinstance(answer, str):
        raise InputError(f"answer= must be text such as \"delta(k,i)*x[j]\", not "
                         f"{type(answer).__name__}", hint='answer="delta(k,i)*x[j]"')
    loaded = load_problem(str(problem))
    part = loaded.part(part_id)
    if part.kind != "index":
        raise InputError(f"part {part_id!r} is a {part.kind} part; --part with --answer checks "
                         "index parts", hint=f"write an answer sheet and use gradtutor check "
                         f"{loaded.name} --answers my.yaml")
    from .index import check_index_part

    return check_index_part(loaded, part, answer)
