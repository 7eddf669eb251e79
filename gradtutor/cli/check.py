"""Stage 5, cli: the `check` command — arguments → gradtutor.check → verdicts; exit 1 if wrong."""

from __future__ import annotations

import typer

from ..errors import InputError

FORMATS = ("table", "json", "markdown", "gradescope", "prairielearn")
GRADERS = ("gradescope", "prairielearn")
LMS = ("canvas", "moodle")

EXAMPLE = """Example:

    gradtutor check "(y - sigmoid(w*x))^2" --wrt w --answer "2*(sigmoid(w*x) - y)*x"

    gradtutor check "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1 --wrt w --answer -4.8

    gradtutor check "x + 1/(w*x+b)" --at x=0.3,w=0.5,b=0.1 --table my_table.yaml

    gradtutor check squared_error_logistic --answers examples/sheets/ben.yaml

    gradtutor check linear_layer_index_form --part dz_dW --answer "x[j]*delta(i,k)"

    gradtutor check squared_error_logistic --answers submissions/ --summary-csv grades.csv

    gradtutor check squared_error_logistic --answers answers.yaml --format gradescope

    gradtutor check NAME --answers subs/ --lms canvas --roster export.csv --output import.csv

Exit codes: 0 all right, 1 something is wrong, 2 bad input (a class run: some sheet could not
be read; its row says why). Files are written (atomically) before anything is printed.
"""


def register(app: typer.Typer) -> None:
    app.command("check", help="Check a derivative, a number, a table or an answer sheet.",
                epilog=EXAMPLE)(check)


def check(
    expression: str = typer.Argument(..., help="Expression or program (or a problem NAME|FILE "
                                               "with --answers)."),
    more: list[str] = typer.Argument(None, help="More answer sheets (a shell glob after "  # noqa: B008
                                                "--answers)."),
    wrt: str = typer.Option(None, "--wrt", help="Differentiate with respect to this variable."),
    answer: str = typer.Option(None, "--answer", help="Your answer: a formula or a number."),
    at: str = typer.Option("", "--at", help="The point, e.g. x=0.3,w=0.5 (checks a number)."),
    table: str = typer.Option(None, "--table", help="Your forward/reverse table (YAML or CSV)."),
    answers: list[str] = typer.Option(None, "--answers", help="Answer sheet (YAML) or a "  # noqa: B008
                                      "folder of them, for the problem NAME|FILE; repeatable."),
    summary_csv: str = typer.Option(None, "--summary-csv", help="Write the class summary "
                                                                "(one row per sheet) as CSV."),
    rtol: str = typer.Option(None, "--rtol", help="Relative tolerance for numbers."),
    atol: str = typer.Option(None, "--atol", help="Absolute tolerance for numbers."),
    sigfigs: int = typer.Option(None, "--sigfigs", help="Compare numbers to N significant "
                                                        "figures."),
    fmt: str = typer.Option("table", "--format", help="table, json, markdown, gradescope or "
                                                      "prairielearn."),
    output: str = typer.Option(None, "--output", help="Write the output (or the filled LMS "
                                                      "gradebook) to this file."),
    lms: str = typer.Option(None, "--lms", help="canvas or moodle: fill the --roster export."),
    roster: str = typer.Option(None, "--roster", help="The gradebook CSV exported from the "
                                                      "LMS."),
    assume: str = typer.Option(None, "--assume", help="Conditions of the exercise, e.g. "
                               "y=binary,theta=positive,\"alpha=0<alpha<1\"."),
    part: str = typer.Option(None, "--part", help="With a problem NAME|FILE: check --answer "
                                                  "against this part (index parts)."),
) -> int:
    """Check your answer to EXPRESSION and explain what went wrong."""
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r} is not one of: {', '.join(FORMATS)}",
                         hint="e.g. --format json")
    if more and not answers:
        raise InputError(f"unexpected extra arguments: {' '.join(more)}",
                         hint="quote the expression, e.g. \"x*y + 1\"")
    if answers:
        from .check_sheets import Request, run_sheets

        return run_sheets(Request(expression, (*answers, *(more or [])), fmt, summary_csv, output,
                                  lms, roster))
    for option, value in (("--summary-csv", summary_csv), ("--lms", lms), ("--roster", roster)):
        if value is not None:
            raise InputError(f"{option} needs answer sheets",
                             hint="gradtutor check NAME --answers FOLDER --summary-csv grades.csv")
    if fmt in GRADERS:
        raise InputError(f"--format {fmt} needs an answer sheet",
                         hint=f"gradtutor check NAME --answers answers.yaml --format {fmt}")
    from ..check import check as run_check
    from ..render.check import check_text
    from .check_sheets import emit

    result = run_check(expression, wrt=wrt, answer=answer, at=at or None, table=table,
                       rtol=rtol, atol=atol, sigfigs=sigfigs, assume=assume, part=part)
    emit(check_text(result, fmt), output, [table] if table else [])
    return 0 if result.correct else 1
