"""Robustness, CLI entrances: nasty arguments and files → exit 0/1/2, a message, no traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gradtutor.cli.encoding import transliterate
from gradtutor.errors import InputError, LimitError, as_user_error, printable

BIN = [sys.executable, "-m", "gradtutor"]


def assert_clean(outcome, codes=(0, 1, 2)) -> None:
    assert outcome.code in codes, (outcome.code, outcome.err[-800:])
    assert "Traceback" not in outcome.err and "Internal error" not in outcome.err
    if outcome.code == 2:
        assert outcome.err.startswith(("Error:", "Usage:")), outcome.err[:300]


# --- arguments: a leading minus is an expression, an option value may be negative ----------

def test_an_expression_may_start_with_a_minus(cli) -> None:
    got = cli("trace", "-log(p)", "--at", "p=0.3", "--format", "json")
    assert got.code == 0 and '"p": "-10/3"' in got.out  # d(-log p)/dp = -1/p = -10/3


def test_check_takes_a_leading_minus_and_a_negative_answer(cli) -> None:
    assert cli("check", "-x^2", "--wrt", "x", "--answer", "-2*x").code == 0
    assert cli("check", "-x^2", "--wrt", "x", "--answer", "2*x").code == 1
    got = cli("check", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--wrt", "w",
              "--answer", "-4.8")
    assert got.code == 0


def test_options_before_and_after_a_minus_expression(cli) -> None:
    a = cli("trace", "--at", "x=2", "-x^3", "--format", "json")
    b = cli("trace", "-x^3", "--format=json", "--at=x=2")
    c = cli("trace", "--at", "x=2", "--format", "json", "--", "-x^3")
    assert a.code == b.code == c.code == 0 and a.out == b.out == c.out
    assert '"x": "-12"' in a.out


def test_an_unknown_long_option_is_still_a_usage_error(cli) -> None:
    got = cli("trace", "x", "--nope")
    assert got.code == 2 and "No such option" in got.err


# --- files: one guarded reader names the file and the line, never echoes the content -------

def _write(tmp: Path, name: str, data: bytes) -> str:
    path = tmp / name
    path.write_bytes(data)
    return str(path)


def bad_files(tmp: Path) -> dict[str, tuple[str, str]]:
    """name → (path, a phrase the message must contain)."""
    fifo = tmp / "pipe.yaml"
    os.mkfifo(fifo)
    return {
        "nul": (_write(tmp, "nul.yaml", b"title: x\x00\n"), "NUL byte"),
        "escape": (_write(tmp, "esc.yaml", b"title: \x1b[31mred\n"), "control character"),
        "latin-1": (_write(tmp, "latin.yaml", b"title: caf\xe9\n"), "is not UTF-8"),
        "utf-16 no bom": (_write(tmp, "u16.yaml", "title: x\n".encode("utf-16-le")),
                          "UTF-16"),
        "surrogate": (_write(tmp, "sur.yaml", b"title: \xed\xb0\x80\n"), "is not UTF-8"),
        "fifo": (str(fifo), "not a regular file"),
        "device": ("/dev/zero", "not a regular file"),
        "folder": (str(tmp), "is a folder"),
        "proc": ("/proc/self/environ", "NUL byte"),
        "missing": (str(tmp / "missing.yaml"), "no such file"),
        "too long": ("a" * 300 + ".yaml", "too long"),
        "passwd": ("/etc/passwd", "expected a mapping of keys, got text of"),
        "deep": (_write(tmp, "deep.yaml", b"title: x\nparts: " + b"[" * 900 + b"]" * 900),
                 "nested more than"),
        "alias": (_write(tmp, "alias.yaml", b"a: &a [1]\nb: *a\n"), "anchors"),
        "empty": (_write(tmp, "empty.yaml", b""), "empty"),
        "yaml escape": (_write(tmp, "yesc.yaml", b'title: "\\e]0;pwned\\a"\nparts: []\n'),
                        "U+001B, which cannot be printed"),
    }


@pytest.mark.parametrize("command", ["solve", "show"])
def test_bad_problem_files_exit_2_naming_the_file(cli, tmp_path: Path, command: str) -> None:
    for label, (path, phrase) in bad_files(tmp_path).items():
        if not os.path.exists(path) and label not in ("missing", "too long"):
            continue
        got = cli(command, path)
        assert_clean(got, codes=(2,))
        assert phrase in got.err, (label, got.err)
        assert "root:" not in got.err and "\x1b" not in got.err


def test_bad_tables_and_sheets_exit_2(cli, tmp_path: Path) -> None:
    files = bad_files(tmp_path)
    for label in ("nul", "latin-1", "fifo", "device", "folder", "too long"):
        path = files[label][0]
        table = cli("check", "x*y", "--at", "x=1,y=2", "--table", path)
        assert_clean(table, codes=(2,))
        assert files[label][1] in table.err, (label, table.err)
    for label in ("nul", "latin-1", "fifo", "device", "too long"):
        sheet = cli("check", "ad_table", "--answers", files[label][0])
        assert_clean(sheet, codes=(1, 2))


def test_a_utf16_file_with_a_byte_order_mark_is_read(cli, tmp_path: Path) -> None:
    text = "title: t\nparts:\n- id: a\n  kind: derivative\n  f: x^2\n  wrt: x\n"
    path = _write(tmp_path, "u16bom.yaml", text.encode("utf-16"))
    got = cli("solve", path)
    assert got.code == 0 and "2*x" in got.out.replace("2·x", "2*x")


def test_escapes_in_errors_are_shown_not_sent(cli) -> None:
    got = cli("trace", "\x1b[2Jx", "--at", "x=1")
    assert got.code == 2 and "\x1b" not in got.err and "\\x1b" in got.err


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "sheet.yaml"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    run = subprocess.run([*BIN, "solve", str(fifo)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2 and "not a regular file" in run.stderr


# --- the one place that turns limits into messages ------------------------------------------

@pytest.mark.parametrize(("failure", "kind", "phrase"), [
    (MemoryError(), LimitError, "memory"),
    (RecursionError("maximum recursion depth exceeded"), LimitError, "nested too deeply"),
    (ValueError("Exceeds the limit (4300 digits) for integer string conversion"), LimitError,
     "4300 digits"),
    (OverflowError("int too large to convert to float"), LimitError, "too large"),
    (TimeoutError(), LimitError, "too long"),
    (NotImplementedError("multiple generators"), InputError, "closed form"),
    (OSError(36, "File name too long", "a" * 500), InputError, "File name too long"),
])
def test_limits_become_user_errors(failure: BaseException, kind: type, phrase: str) -> None:
    err = as_user_error(failure)
    assert type(err) is kind and phrase in err.describe() and len(err.describe()) < 600


def test_other_failures_stay_bugs() -> None:
    assert as_user_error(KeyError("x")) is None and as_user_error(ValueError("x")) is None


def test_printable_escapes_controls_and_surrogates() -> None:
    assert printable("a\x1b[31mb\x07\udcff\n\tc") == "a\\x1b[31mb\\x07\\udcff\n\tc"


@pytest.mark.parametrize(("text", "ascii_text"), [
    ("∂y/∂x = −7", "dy/dx = -7"), ("v̄₋₂ = v̄₁·v₋₁", "v_bar-2 = v_bar1*v-1"),
    ("x² + y⁻¹", "x^2 + y^-1"), ("σ(1 − σ)", "sigma(1 - sigma)"),
    ("╭─┬─╮│x│╰─┴─╯", "+-+-+|x|+-+-+"), ("✓ ok, ✗ wrong", "ok ok, X wrong"),
    ("ȳ = 1, ẋ = 1", "y_bar = 1, x_dot = 1"), ("3/2 × η", "3/2 x eta"), ("café", "cafe"),
])
def test_transliteration_is_readable(text: str, ascii_text: str) -> None:
    assert transliterate(text) == ascii_text


def test_bad_values_files_exit_2(cli, tmp_path: Path) -> None:
    latin = _write(tmp_path, "v.json", b'{"x": "caf\xe9"}')
    for path, phrase in ((latin, "is not UTF-8"), ("/proc/self/environ", "NUL byte")):
        got = cli("trace", "x*2", "--at-file", path)
        assert_clean(got, codes=(2,))
        assert phrase in got.err
