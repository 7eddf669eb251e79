"""Class runs (feed sheet): answer-sheet paths → ClassResult, one row per sheet, none lost.

Each sheet is checked in a forked worker process (the problem is solved once, before the fork,
and inherited). A worker that overruns the per-sheet time budget is killed and replaced; one
that dies (out of memory, a crash) costs only the sheet it was checking. Every sheet gives an
outcome: its result, or an error naming what went wrong, in the order the sheets were given.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..errors import GradtutorError, ProblemFileError
from .sheet import SheetResult, check_sheet, solved

SHEET_SECONDS = 120.0
WORKER_MEMORY = 4 << 30  # bytes of address space a worker may add: a bomb fails alone
Check = Callable[[str], Any]  # path → SheetResult | SheetError (never raises)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SheetError:
    """A sheet that could not be read: the class summary lists it and exits 2."""

    sheet: str
    message: str


@dataclass(frozen=True)
class ClassResult:
    """Several sheets for one problem, in the order given."""

    problem: str
    title: str
    part_ids: tuple[str, ...]
    sheets: tuple[SheetResult, ...]
    errors: tuple[SheetError, ...]

    @property
    def kind(self) -> str:
        return "class"

    files: tuple[str, ...] = ()  # every sheet, in the order given (results and errors)

    @property
    def correct(self) -> bool:
        return bool(self.sheets) and not self.errors and all(s.correct for s in self.sheets)

    def outcomes(self) -> list[SheetResult | SheetError]:
        """Every sheet's result or error, in the order the sheets were given."""
        found = {o.sheet: o for o in (*self.sheets, *self.errors)}
        order = [f for f in self.files if f in found] or list(found)
        return [found[f] for f in order]

    def assert_correct(self) -> None:
        """Raise AssertionError with the first wrong sheet's feedback (for notebooks)."""
        if not self.sheets and not self.errors:
            raise AssertionError("no answer sheets were checked")
        for outcome in self.outcomes():
            if isinstance(outcome, SheetError):
                raise AssertionError(f"{outcome.sheet}: {outcome.message}")
            outcome.assert_correct()


def cores() -> int:
    """The cores this process may run on (affinity, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class _Worker:
    process: Any
    conn: Connection
    job: int | None = None
    started: float = 0.0


@dataclass
class _Run:
    check: Check
    files: Sequence[str]
    budget: float
    failed: Callable[[str, str], Any]
    outcomes: dict[int, Any] = field(default_factory=dict)


def run_class(check: Check, files: Sequence[str], failed: Callable[[str, str], Any], *,
              workers: int | None = None, budget: float | None = None,
              progress: Progress | None = None) -> list[Any]:
    """``check(path)`` for every file on ``workers`` processes; outcomes in the given order."""
    run = _Run(check, files, budget or SHEET_SECONDS, failed)
    count = max(1, min(workers or cores(), len(files)))
    if "fork" not in multiprocessing.get_all_start_methods():  # Windows: one at a time, here
        return [_tick(progress, i + 1, len(files)) or check(path) for i, path in enumerate(files)]
    context = multiprocessing.get_context("fork")
    pool = [_spawn(context, check) for _ in range(count)]
    todo = list(range(len(files)))
    if progress is not None:
        progress(0, len(files))
    try:
        while len(run.outcomes) < len(files):
            for worker in pool:
                if worker.job is None and todo:
                    worker.job, worker.started = todo.pop(0), time.monotonic()
                    worker.conn.send(files[worker.job])
            _collect(run, pool, context)
            if progress is not None:
                progress(len(run.outcomes), len(files))
    finally:
        for worker in pool:
            _stop(worker)
    return [run.outcomes[i] for i in range(len(files))]


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _collect(run: _Run, pool: list[_Worker], context: Any) -> None:
    """Wait for a result or a deadline; replace workers that died or ran out of time."""
    busy = [w for w in pool if w.job is not None]
    deadline = min(w.started for w in busy) + run.budget
    ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.monotonic()))
    now = time.monotonic()
    for i, worker in enumerate(pool):
        if worker.job is None:
            continue
        path = run.files[worker.job]
        if worker.conn in ready:
            try:
                run.outcomes[worker.job] = worker.conn.recv()
                worker.job = None
                continue
            except (EOFError, OSError):
                reason = ("the checker process stopped while checking this sheet "
                          "(out of memory?)")
        elif now - worker.started >= run.budget:
            reason = f"checking this sheet took longer than {run.budget:g} s (the time budget)"
        else:
            continue
        run.outcomes[worker.job] = run.failed(path, reason)
        _stop(worker)
        pool[i] = _spawn(context, run.check)


def _spawn(context: Any, check: Check) -> _Worker:
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, check), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _serve(conn: Connection, check: Check) -> None:  # pragma: no cover - runs in the child
    """Check paths until told to stop; Ctrl-C is the parent's to handle, and a worker that
    fails (a result that cannot be sent, memory) leaves quietly: the parent writes its row."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory()
    try:
        while True:
            path = conn.recv()
            if path is None:
                return
            conn.send(check(path))
    except BaseException:  # noqa: BLE001 - no traceback from a worker, ever
        os._exit(1)


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = _address_space() + WORKER_MEMORY  # what the fork inherited, plus the budget
        wanted = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, ValueError, OSError):
        pass


def _address_space() -> int:  # pragma: no cover - runs in the child
    """This process's virtual size in bytes (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _stop(worker: _Worker) -> None:
    try:
        if worker.job is None and worker.process.is_alive():
            worker.conn.send(None)
            worker.process.join(timeout=1)
    except (OSError, ValueError):
        pass
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join(timeout=5)
    worker.conn.close()


def sheet_paths(paths: Sequence[str | Path]) -> list[str]:
    """Files as given, folders as their *.yaml entries (sorted); duplicates dropped.

    Anything in a folder named *.yaml is kept, even a pipe or a folder: it becomes a row with
    its error rather than stopping (or hanging) the run.
    """
    found: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not inside:
                raise ProblemFileError(f"no .yaml answer sheets in the folder {str(path)!r}")
            found += [str(p) for p in inside]
        elif path.exists() or path.is_symlink():  # a broken link is a row with its error
            found.append(str(path))
        else:
            raise ProblemFileError(f"no such answer sheet: {str(path)!r}",
                                   hint="give .yaml files, a shell glob or a folder")
    return list(dict.fromkeys(found))


def check_one(problem: str, path: str) -> SheetResult | SheetError:
    """One sheet's result, or its error; never raises (a class run loses no sheet)."""
    try:
        return check_sheet(problem, path)
    except GradtutorError as err:
        return SheetError(path, err.describe())
    except RecursionError:
        return SheetError(path, f"{path}: the sheet is nested too deeply to check")
    except MemoryError:
        return SheetError(path, f"{path}: checking this sheet ran out of memory")
    except Exception as err:  # noqa: BLE001 - one sheet's bug must not cost the class
        return SheetError(path, f"{path}: internal error ({type(err).__name__}: "
                                f"{str(err)[:200]}); this is a bug in gradtutor, please "
                                "report it with the sheet")


def check_sheets(problem: str, paths: Sequence[str | Path], *, workers: int | None = None,
                 budget: float | None = None, progress: Progress | None = None) -> ClassResult:
    """Check many sheets (files or folders) on every core; every sheet is a result or an error."""
    solution = solved(str(problem))  # a bad problem fails here, once; workers inherit it
    files = sheet_paths(paths)
    if not files:
        raise ProblemFileError("no answer sheets given", hint="--answers FOLDER or files")
    outcomes = run_class(lambda path: check_one(str(problem), path), files,
                         lambda path, why: SheetError(path, f"{path}: {why}"), workers=workers,
                         budget=budget, progress=progress)
    p = solution.problem
    return ClassResult(p.name, p.title, tuple(part.id for part in p.parts),
                       tuple(o for o in outcomes if isinstance(o, SheetResult)),
                       tuple(o for o in outcomes if isinstance(o, SheetError)), tuple(files))
