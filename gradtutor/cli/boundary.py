"""The CLI's one error boundary: argv → app run → exit code (errors → messages, bugs → exit 3).

Exit codes: 0 ok, 1 a checked answer is wrong, 2 bad input or usage (one message on stderr),
3 internal error (a bug), 130 interrupted. Failures that are really limits (memory, recursion,
huge numbers, SymPy giving up) become ``LimitError``/``InputError`` in ``errors.as_user_error``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

import typer

from ..errors import GradtutorError, as_user_error, printable

_OPTION = re.compile(r"--[A-Za-z][\w-]*(=|\Z)")  # looks like an option, e.g. --nope (stays one)
REPORT = "This is a bug in gradtutor; please report it with the command you ran."


def run(app: typer.Typer, args: Sequence[str] | None = None) -> int:
    """Run ``app`` and turn every outcome into an exit code; never show a traceback."""
    argv = list(sys.argv[1:] if args is None else args) or ["--help"]  # no arguments: help
    global _stdout_at_start
    _stdout_at_start = _stdout_identity()
    try:
        result = app(args=positionals_last(app, argv), standalone_mode=False)
    except GradtutorError as err:
        return _report(err)
    except (KeyboardInterrupt, SystemExit, BrokenPipeError, MemoryError, RecursionError,
            Exception) as err:  # noqa: BLE001 - the boundary exists to catch everything
        return _outcome(err)
    return result if isinstance(result, int) else 0


def _report(err: GradtutorError) -> int:
    print(f"Error: {printable(err.describe())}", file=sys.stderr)
    return err.exit_code


def _outcome(err: BaseException) -> int:
    if isinstance(err, KeyboardInterrupt):
        return 130
    if isinstance(err, BrokenPipeError) or stdout_closed():
        silence_stdout()
        return 0  # the reader stopped reading (| head): as if the output had been read
    if isinstance(err, SystemExit):
        return err.code if isinstance(err.code, int) else 0
    user = as_user_error(err)
    if user is not None:
        return _report(user)
    return _click_outcome(err)


def _click_outcome(err: BaseException) -> int:
    """Click's own outcomes (typer may vendor click, so match by name, not by class)."""
    names = {cls.__name__ for cls in type(err).__mro__}
    if "Exit" in names:
        return int(getattr(err, "exit_code", 0))
    if "ClickException" in names:  # usage errors: unknown option, missing argument …
        err.show(file=sys.stderr)  # type: ignore[attr-defined]
        return 2
    if "Abort" in names:  # Ctrl-C inside click: it already ended the line
        return 130
    message = printable(f"{type(err).__name__}: {err}")[:2000]
    print(f"Internal error: {message}\n{REPORT}", file=sys.stderr)
    return 3


_stdout_at_start: tuple[int, int] | None = None


def _stdout_identity() -> tuple[int, int] | None:
    try:
        info = os.fstat(sys.__stdout__.fileno() if sys.__stdout__ else 1)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def stdout_closed() -> bool:
    """True once writing to stdout failed with a closed pipe: click swaps in a pacifier, rich
    points fd 1 at /dev/null (both then exit 1, which would mean "answer wrong")."""
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        return True
    now = _stdout_identity()
    return _stdout_at_start is not None and now is not None and now != _stdout_at_start


def silence_stdout() -> None:
    """Point fd 1 at /dev/null so the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass


def positionals_last(app: typer.Typer, argv: list[str]) -> list[str]:
    """Let an expression start with a minus: ``trace "-log(p)" --at p=0.3``.

    Click reads ``-log(p)`` as an unknown option. When a token starting with ``-`` is not an
    option of the command (nor an option's value, e.g. ``--answer -4.8``), every positional
    argument is moved, in order, after a ``--`` at the end, where click reads them as text.
    """
    if len(argv) < 2 or not any(a[:1] == "-" and len(a) > 1 for a in argv[1:]):
        return argv
    options = _options(app, argv[0])
    if options is None:
        return argv
    keep, positionals, dashed, i = [argv[0]], [], False, 1
    while i < len(argv):
        token = argv[i]
        if token == "--":
            positionals += argv[i + 1:]
            break
        name = token.split("=", 1)[0]
        if name in options:
            takes_value = options[name] and "=" not in token and i + 1 < len(argv)
            keep += argv[i:i + 2] if takes_value else [token]
            i += 2 if takes_value else 1
            continue
        dashed = dashed or (token[:1] == "-" and len(token) > 1 and not _OPTION.match(token))
        positionals.append(token)
        i += 1
    return keep + ["--", *positionals] if dashed else argv


def _options(app: typer.Typer, command: str) -> dict[str, bool] | None:
    """Option name → takes a value, for ``command`` (None for an unknown command)."""
    group = typer.main.get_command(app)
    found = getattr(group, "commands", {}).get(command)
    if found is None:
        return None
    options = {"--help": False}
    for param in found.params:
        if param.param_type_name == "option":
            for name in (*param.opts, *param.secondary_opts):
                options[name] = not (param.is_flag or param.count)  # type: ignore[attr-defined]
    return options
