"""Stage 5, cli: `check NAME --answers …` — sheets → files written atomically, then printed.

Order matters for graders: every file (summary CSV, LMS gradebook, --output) is written, all of
it or none, before anything is printed, so a closed pipe (`… | true`) or a full disk never costs
a file. A closed stdout is not an error: the exit code is the one the output would have had.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GradtutorError, InputError
from ..report.files import check_target, write_atomic


@dataclass(frozen=True)
class Request:
    problem: str
    paths: tuple[str, ...]
    fmt: str
    summary_csv: str | None
    output: str | None
    lms: str | None
    roster: str | None


def emit(text: str, output: str | None, inputs: list[str]) -> None:
    """To --output (atomically), else to stdout."""
    if output is not None:
        write_atomic(check_target(output, "--output", inputs), text)
    else:
        say(text)


def say(text: str) -> None:
    """Print to stdout; a reader that went away (`| head`, `| true`) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


def run_sheets(request: Request) -> int:
    from ..check.sheet import check_sheet
    from ..render.check import check_text

    _validate(request)
    if request.fmt in ("gradescope", "prairielearn"):
        return _grader(request)
    paths = request.paths
    if len(paths) == 1 and Path(paths[0]).is_file() and request.summary_csv is None \
            and request.lms is None:
        result = check_sheet(request.problem, paths[0])
        emit(check_text(result, request.fmt), request.output, [*paths, request.problem])
        return 0 if result.correct else 1
    summary = _class(request)
    shown = check_text(summary, request.fmt)
    if request.output is not None and request.lms is None:
        emit(shown, request.output, _inputs(request, summary))
    else:
        say(shown)
    for error in summary.errors:
        print(f"Error: {error.message}", file=sys.stderr)
    return 2 if summary.errors else 0 if summary.correct else 1


def _validate(request: Request) -> None:
    from .check import FORMATS, LMS

    if request.lms is not None and request.lms not in LMS:
        raise InputError(f"--lms {request.lms!r} is not one of: {', '.join(LMS)}",
                         hint="--lms canvas --roster export.csv --output import.csv")
    if (request.lms is None) != (request.roster is None):
        raise InputError("--lms and --roster go together",
                         hint="--lms canvas --roster export.csv --output import.csv")
    if request.lms is not None and request.output is None:
        raise InputError("--lms needs --output for the filled gradebook",
                         hint=f"--lms {request.lms} --roster {request.roster} --output "
                              "import.csv")
    if request.fmt in FORMATS[3:] and (request.summary_csv or request.lms):
        raise InputError(f"--format {request.fmt} is for one submission; --summary-csv and "
                         "--lms are for a class")
    inputs = [*request.paths, request.problem, *([request.roster] if request.roster else [])]
    for option, value in (("--summary-csv", request.summary_csv), ("--output", request.output)):
        if value is not None:
            check_target(value, option, inputs)
    if request.summary_csv is not None and request.summary_csv == request.output:
        raise InputError("--summary-csv and --output name the same file")


def _inputs(request: Request, summary: Any) -> list[str]:
    return [*request.paths, request.problem, *summary.files,
            *([request.roster] if request.roster else [])]


def _class(request: Request) -> Any:
    """Check every sheet, then write the files (before anything is printed)."""
    from ..check.class_run import check_sheets
    from ..report.gradebook import summary_csv

    with _progress() as tick:
        summary = check_sheets(request.problem, list(request.paths), progress=tick)
    inputs = _inputs(request, summary)
    if request.summary_csv is not None:
        write_atomic(check_target(request.summary_csv, "--summary-csv", inputs),
                     summary_csv(summary))
    if request.lms is not None:
        _fill(request, summary, inputs)
    return summary


def _fill(request: Request, summary: Any, inputs: list[str]) -> None:
    from ..report.gradebook import fill_roster, read_roster
    from ..textfile import read_text

    roster = str(request.roster)
    text = read_text(roster, "roster", max_bytes=20_000_000,
                     hint=f"export the gradebook from {request.lms} as CSV")
    filled = fill_roster(summary, read_roster(text, str(request.lms), roster), str(request.lms),
                         summary.problem)
    write_atomic(check_target(str(request.output), "--output", inputs), filled.text)
    for sheet in filled.unmatched:
        print(f"Warning: no single row of {roster} matches {sheet}; its score is only in "
              "the summary", file=sys.stderr)


def _progress() -> Any:
    """A rich progress bar on stderr, only when stderr is a terminal."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import Progress

    @contextlib.contextmanager
    def bar() -> Any:
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Marking answer sheets", total=None)

            def tick(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            yield tick

    return bar()


def _grader(request: Request) -> int:
    """One submission → a Gradescope or PrairieLearn results.json, whatever the sheet holds."""
    from ..report import gradescope, prairielearn

    if len(request.paths) != 1:
        raise InputError("--format gradescope/prairielearn checks one submission at a time",
                         hint="give one --answers file (or a folder holding one .yaml)")
    path, document, code = _grade_one(request)
    writer = gradescope if request.fmt == "gradescope" else prairielearn
    text = writer.results_json(document)
    target = request.output or (str(gradescope.autograder_results() or "")
                                if request.fmt == "gradescope" else "")
    if not target:
        say(text)
        return code
    try:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create the folder of {target!r}: {err.strerror}") from None
    write_atomic(check_target(target, "--output", [path, request.problem]), text)
    say(f"Wrote {target}: {document.score} of {document.max_score} points"
        f"{'' if document.gradable else ' (the sheet could not be read)'}.\n")
    return code


def _grade_one(request: Request) -> tuple[str, Any, int]:
    """(path, Graded, exit code). The sheet is checked in a worker under the time budget, so a
    sheet that hangs or exhausts memory still gets a results file saying so."""
    from ..check.class_run import SheetError, check_one, run_class
    from ..check.sheet import solved
    from ..report.model import graded, unreadable

    path = request.paths[0]
    try:
        path = _submission(path)
        solved(request.problem)  # once, before the worker forks: a bad problem file is said here
        (result,) = run_class(lambda p: check_one(request.problem, p), [path],
                              lambda p, why: SheetError(p, f"{p}: {why}"))
    except GradtutorError as err:
        return path, unreadable(path, Path(path).stem, err.describe()), 2
    except Exception as err:  # noqa: BLE001 - the grader must always get its file
        return path, unreadable(path, Path(path).stem, f"internal error in gradtutor "
                                f"({type(err).__name__}); please report it"), 3
    if isinstance(result, SheetError):  # unreadable, too slow, or the worker died
        code = 3 if "internal error" in result.message else 2
        return path, unreadable(path, Path(path).stem, result.message), code
    return path, graded(result), 0 if result.correct else 1


def _submission(path: str) -> str:
    """The one answer sheet: a file, or a folder (e.g. /autograder/submission) holding one."""
    folder = Path(path)
    if not folder.is_dir():
        return path
    inside = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if len(inside) != 1:
        raise InputError(f"the submission {path!r} holds {len(inside)} .yaml files; one "
                         "answer sheet is expected", hint="submit exactly one .yaml file")
    return str(inside[0])
