"""Robustness, environments: every command under ASCII/C locales, narrow terminals, closed pipes,
a pseudo-terminal → readable output, exit 0/1/2, no traceback (real subprocesses)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

BIN = [sys.executable, "-m", "gradtutor"]
TIMEOUT = 120  # a hang guard, not a speed assertion

COMMANDS = {
    "trace": ["trace", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1"],
    "check": ["check", "x^2", "--wrt", "x", "--answer", "3*x"],
    "solve": ["solve", "ad_table"],
    "show": ["show", "ad_table"],
    "schema": ["schema"],
    "problems": ["problems"],
    "error": ["trace", "sinh(x)·σ", "--at", "x=1"],
}
OTHER = {"latin-1": ("trace", "error"), "C": ("trace",), "narrow": ("trace", "problems"),
         "huge": ("solve",)}
EXPECTED_CODE = {"check": 1, "error": 2}
ENVIRONMENTS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "C": {"LC_ALL": "C", "LANG": "C"},
    "narrow": {"COLUMNS": "20"},
    "huge": {"COLUMNS": "99999999999"},
}


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "COLUMNS", "NO_COLOR")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str], subprocess.CompletedProcess]:
    """Every command in every environment, started together (bytes, to check encodings)."""
    jobs = {}
    for env_name, extra in ENVIRONMENTS.items():
        for name, args in COMMANDS.items():
            if env_name != "ascii" and name not in OTHER.get(env_name, ()):
                continue
            jobs[env_name, name] = subprocess.Popen(
                [*BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=_env(extra))
    done = {}
    for key, proc in jobs.items():
        out, err = proc.communicate(timeout=TIMEOUT)
        done[key] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


@pytest.mark.parametrize("name", list(COMMANDS))
def test_ascii_output_is_readable(runs, name: str) -> None:
    run = runs["ascii", name]
    assert run.returncode == EXPECTED_CODE.get(name, 0), run.stderr[-500:]
    out, err = run.stdout.decode("ascii"), run.stderr.decode("ascii")  # no encoding error
    assert "Traceback" not in err and "Internal error" not in err
    assert "??" not in out and "??" not in err  # stand-ins, not question marks
    if name == "trace":
        assert "v_bar-2 += " in out and "dy/dx = -7" in out and "+--" in out and "ok agrees" in out
    if name == "check":
        assert "X wrong" in out and "dy/dx" in out
    if name == "error":
        assert err.startswith("Error: ") and "\\xb7" not in err and "*sigma" in err


@pytest.mark.parametrize(("env_name", "name"),
                         [(env, name) for env, names in OTHER.items() for name in names])
def test_other_environments(runs, env_name: str, name: str) -> None:
    run = runs[env_name, name]
    assert run.returncode == EXPECTED_CODE.get(name, 0), run.stderr[-500:]
    err = run.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "Internal error" not in err
    if env_name == "latin-1":
        run.stdout.decode("latin-1")
        assert b"?" * 2 not in run.stdout


@pytest.mark.parametrize("args", [COMMANDS["trace"], COMMANDS["solve"], COMMANDS["check"]])
def test_a_closed_pipe_is_not_an_error(args: list[str]) -> None:
    """``gradtutor … | head -0``: the reader left; no message, and the exit code is the one the
    output would have had (issue 11: "exit as if the output had been read"; check: 1, wrong)."""
    proc = subprocess.Popen([*BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=TIMEOUT) == EXPECTED_CODE.get(args[0], 0) and err == b""


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux script")
def test_a_pseudo_terminal_run_works() -> None:
    command = " ".join([sys.executable, "-m", "gradtutor", "trace", "x*y", "--at", "x=1,y=2"])
    run = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True,
                         timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stdout[-500:]
    assert b"Internal error" not in run.stdout and "∂f/∂x".encode() in run.stdout


def test_ctrl_c_exits_130_quietly() -> None:
    import signal

    # The program is read from a standard input that never ends, so the run cannot finish
    # before the interrupt arrives, however fast the machine.
    # A shell without job control starts background jobs with SIGINT ignored, and a child
    # inherits that; a student's terminal delivers Ctrl-C to a default handler.
    proc = subprocess.Popen([*BIN, "trace", "--file", "-", "--at", "x=1"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_until_reading_stdin(proc.pid)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=TIMEOUT)  # standard input stays open: no end of input races it
    err = proc.stderr.read()
    proc.stdin.close()
    assert code == 130, err[-500:]
    assert b"Traceback" not in err and len(err) < 200


def _wait_until_reading_stdin(pid: int) -> None:
    """Past start-up: the process sleeps in a system call on file descriptor 0 (Linux)."""
    import time

    deadline = time.monotonic() + TIMEOUT
    time.sleep(0.5)
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/syscall") as handle:
                fields = handle.read().split()
        except OSError:
            fields = []
        # read(2) is system call 0 on x86-64 and 63 on arm64; its first argument is the fd
        if len(fields) > 1 and fields[0] in ("0", "63") and fields[1] == "0x0":
            time.sleep(0.2)
            return
        time.sleep(0.1)
