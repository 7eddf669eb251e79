"""Practice, stats: the sessions of a record file → accuracy per level and per mistake kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .record import read_records


@dataclass(frozen=True)
class LevelStats:
    level: str  # "1" … "5", or "expression"/"problem" for given exercises
    sessions: int
    cells: int
    right_first: int
    credit: int
    first: float  # share of cells right first time in the first session of this level
    last: float  # … and in the latest one


@dataclass(frozen=True)
class MistakeStats:
    kind: str
    times: int
    sessions: int
    last_seen: str  # the date of the latest session with it


@dataclass(frozen=True)
class Stats:
    path: str
    sessions: int
    cells: int
    right_first: int
    credit: int
    hints: int
    levels: tuple[LevelStats, ...]
    mistakes: tuple[MistakeStats, ...]
    bad_lines: tuple[int, ...]


def _level(session: dict[str, Any]) -> str:
    ex = session.get("exercise") or {}
    if ex.get("level"):
        return str(ex["level"])
    return "problem" if ex.get("problem") else "expression"


def _share(session: dict[str, Any]) -> float:
    cells = session.get("cells") or []
    return sum(bool(c.get("first_try")) for c in cells) / len(cells) if cells else 0.0


def _level_stats(level: str, sessions: list[dict[str, Any]]) -> LevelStats:
    cells = [c for s in sessions for c in s["cells"]]
    return LevelStats(level, len(sessions), len(cells),
                      sum(bool(c.get("first_try")) for c in cells),
                      sum(c.get("status") in ("right", "follows-through") for c in cells),
                      _share(sessions[0]), _share(sessions[-1]))


def _mistake_stats(sessions: list[dict[str, Any]]) -> tuple[MistakeStats, ...]:
    times: Counter = Counter()
    seen: Counter = Counter()
    last: dict[str, str] = {}
    for s in sessions:
        kinds = Counter(m for c in s["cells"] for m in c.get("mistakes") or [])
        times.update(kinds)
        seen.update(kinds.keys())
        last.update({k: str(s.get("when", ""))[:10] for k in kinds})
    return tuple(MistakeStats(k, n, seen[k], last[k]) for k, n in times.most_common())


def record_stats(path: str) -> Stats:
    sessions, bad = read_records(path)
    by_level: dict[str, list[dict[str, Any]]] = {}
    for s in sessions:
        by_level.setdefault(_level(s), []).append(s)
    cells = [c for s in sessions for c in s["cells"]]
    return Stats(path, len(sessions), len(cells),
                 sum(bool(c.get("first_try")) for c in cells),
                 sum(c.get("status") in ("right", "follows-through") for c in cells),
                 sum(int(c.get("hints") or 0) for c in cells),
                 tuple(_level_stats(k, v) for k, v in sorted(by_level.items())),
                 _mistake_stats(sessions), tuple(bad))
