"""The CLI's one error boundary: GradtutorError → exit 2 with a message; a bug → exit 3."""

from __future__ import annotations

import sys

import typer

from ..errors import GradtutorError

REPORT = "This is a bug in gradtutor; please report it with the command you ran."


def run(app: typer.Typer, args: list[str] | None = None) -> int:
    """Run ``app`` and turn every outcome into an exit code; never show a traceback."""
    try:
        result = app(args=args, standalone_mode=False)
    except GradtutorError as err:
        print(f"Error: {err.describe()}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 - the boundary exists to catch everything
        return _click_outcome(err)
    return result if isinstance(result, int) else 0


def _click_outcome(err: Exception) -> int:
    """Click's own outcomes (typer may vendor click, so match by name, not by class)."""
    names = {cls.__name__ for cls in type(err).__mro__}
    if "Exit" in names:
        return int(getattr(err, "exit_code", 0))
    if "ClickException" in names:  # usage errors: unknown option, missing argument …
        err.show(file=sys.stderr)  # type: ignore[attr-defined]
        return 2
    if "Abort" in names:
        print("Aborted.", file=sys.stderr)
        return 130
    print(f"Internal error: {type(err).__name__}: {err}\n{REPORT}", file=sys.stderr)
    return 3
