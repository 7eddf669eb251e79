"""Shared test helpers: run the CLI in-process through its real error boundary."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Call ``cli("trace", "x*y", "--at", "x=1,y=2")`` → Outcome(code, stdout, stderr)."""
    from gradtutor.cli import app
    from gradtutor.cli.boundary import run

    monkeypatch.setenv("COLUMNS", "120")  # the same line wrapping on every terminal

    def invoke(*args: str) -> Outcome:
        capsys.readouterr()
        code = run(app, list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def generous_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPU-time budgets of the independent checks raised, so that what a test asserts about
    them (sympy.diff covered every entry) does not depend on how busy the machine is."""
    monkeypatch.setattr("gradtutor.tensor_verify.SYMBOLIC_SECONDS", 30.0)


@pytest.fixture
def practise(cli, monkeypatch: pytest.MonkeyPatch):
    """``practise(lines, "EXPR", "--at", …)``: a practice session fed ``lines`` on stdin."""
    def run(lines: list[str], *args: str) -> Outcome:
        monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
        return cli("practice", *args)
    return run
