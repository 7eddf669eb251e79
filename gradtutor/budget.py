"""Time budgets (shared by the solvers): a block of work → done, or TimeoutError at its deadline.

SymPy has no cancellation, so a budget is a SIGPROF timer on the process's CPU time (main
thread only; elsewhere the block simply runs): CPU time, not wall time, so a busy machine does
not change what is solved. Budgets nest: the innermost deadline that has passed fires. A
timeout that SymPy swallows in a broad ``except`` fires again 50 ms later until its block is
left, so an expired budget always ends the work.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_deadlines: list[float] = []
_RETRY = 0.05


def _arm() -> None:
    if _deadlines:
        signal.setitimer(signal.ITIMER_PROF, max(min(_deadlines) - time.process_time(), 0.001))
    else:
        signal.setitimer(signal.ITIMER_PROF, 0)


def _expire(signum: int, frame: object) -> None:
    if _deadlines and time.process_time() >= min(_deadlines) - 0.001:
        signal.setitimer(signal.ITIMER_PROF, _RETRY)  # again, should this one be swallowed
        raise TimeoutError(f"over the budget of {_budget_seconds():g} s of computing time")
    _arm()


_sizes: list[float] = []


def _budget_seconds() -> float:
    return _sizes[_deadlines.index(min(_deadlines))] if _deadlines else 0.0


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError inside the block once ``seconds`` have passed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outermost = not _deadlines
    previous = signal.signal(signal.SIGPROF, _expire) if outermost else None
    _deadlines.append(time.process_time() + seconds)
    _sizes.append(seconds)
    _arm()
    try:
        yield
    finally:
        _deadlines.pop()
        _sizes.pop()
        _arm()
        if outermost:
            signal.signal(signal.SIGPROF, previous or signal.SIG_DFL)
