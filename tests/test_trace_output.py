"""Output that fits: --show, --compact, piped width, plain tables, edges labelled by argument,
--file and standard input."""

from __future__ import annotations

import io
import sys
import unicodedata

import mpmath
import pytest

import gradtutor
from gradtutor.numeric import to_mpf
from gradtutor.render.trace import trace_text
from gradtutor.render.trace_plain import fit_widths, wrap
from gradtutor.render.trace_view import Options

README = ("trace", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1")
BAYDIN = ("trace", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2,x2=5", "--mode", "both",
          "--wrt", "x1")
TITLES = {"primal": "Forward primal trace", "partials": "Local partials",
          "adjoint": "Reverse adjoint trace", "tangent": "Forward tangent trace",
          "result": "Result"}


def _columns(text: str) -> int:
    return max(sum(1 for c in line if not unicodedata.combining(c))
               for line in text.splitlines())


@pytest.mark.parametrize("show", ["primal", "adjoint,result", "partials,tangent",
                                  "result", "primal,partials,adjoint,tangent,result"])
def test_show_prints_exactly_the_parts_asked_for(cli, show: str) -> None:
    result = cli(*BAYDIN, "--show", show)
    assert result.code == 0, result.err
    asked = show.split(",")
    for part, title in TITLES.items():
        assert (f"\n{title}" in result.out) == (part in asked), (part, result.out)
    md = cli(*BAYDIN, "--show", show, "--format", "markdown").out
    assert ("### Reverse adjoint trace" in md) == ("adjoint" in asked)


def test_show_refuses_an_unknown_part(cli) -> None:
    result = cli(*README, "--show", "primal,adjoints")
    assert result.code == 2 and "'adjoints'" in result.err and "Try:" in result.err


def test_compact_drops_the_row_rules(cli) -> None:
    full = cli(*README).out
    compact = cli(*README, "--compact").out
    assert "─┼─" in full and "─┼─" not in compact
    assert [line for line in full.splitlines() if "─┼─" not in line] == compact.splitlines()
    rich_text = trace_text(gradtutor.trace("x*y", x=1, y=2), "table",
                           Options(compact=True), width=100)
    assert "├" not in rich_text and "┡" in rich_text  # header rule kept, row rules gone


def test_piped_output_is_80_columns_unless_columns_says_otherwise(cli, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS")
    assert _columns(cli(*BAYDIN).out) <= 80
    assert _columns(cli(*README).out) <= 80
    monkeypatch.setenv("COLUMNS", "60")
    out = cli(*BAYDIN).out
    assert _columns(out) <= 60 and "∂y/∂x2 = 1.71634" in out


@pytest.mark.parametrize("columns,limit", [("99999999999", 1000), ("abc", 80), ("-5", 80),
                                           ("20", 40), ("9" * 400, 1000)])
def test_odd_columns_values_are_clamped(cli, monkeypatch, columns: str, limit: int) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = cli(*BAYDIN)
    assert result.code == 0, result.err
    assert _columns(result.out) <= limit


def test_plain_rows_keep_every_value_and_line(cli) -> None:
    out = cli(*README).out
    for fragment in ("v₃      │ 1/v₂       │ 1/0.25       │ 4", "→ −7", "∂y/∂w = −4.8",
                     "(fan-out: v₋₂ feeds v₄, v₁;"):
        assert fragment in out


def test_summary_and_full(cli) -> None:
    program = "; ".join(["a0 = x"] + [f"a{k} = sin(a{k - 1})" for k in range(1, 80)])
    short = cli("trace", program, "--at", "x=1").out
    assert "more rows (use --full to show all)" in short and "a40" not in short
    full = cli("trace", program, "--at", "x=1", "--full").out
    assert "more rows" not in full and all(f"(a{k})" in full for k in range(80))


def test_wrap_and_widths() -> None:
    for width in (5, 10, 33):
        for line in wrap("v̄₋₂ += v̄₁·∂v₁/∂v₋₂ = v̄₁·v₋₁ = (−16)·0.5 = −8  → −7 " + "x" * 40, width):
            assert len(line) - line.count("\u0304") <= width
    assert fit_widths([5, 10, 100], 200) == [5, 10, 100]
    widths = fit_widths([5, 10, 100, 80], 80)
    assert sum(widths) <= 80 and widths[:2] == [5, 10]


def test_the_same_source_twice_is_labelled_by_argument(cli) -> None:
    out = cli("trace", "x^x", "--at", "x=2").out
    assert "∂v₁/∂v₀ (as base)" in out and "∂v₁/∂v₀ (as exponent)" in out
    r = gradtutor.trace("x^x", x=2)
    base, exponent = (p.value for p in r.forward.partials)
    assert base == 4  # b·a^(b−1) = 2·2
    assert abs(mpmath.mpf(exponent) - 4 * mpmath.log(2)) < mpmath.mpf("1e-14")  # a^b·ln a
    assert "(as 1st factor)" in cli("trace", "x*x", "--at", "x=3").out
    assert "(as" not in cli(*README).out


def test_file_and_stdin_give_the_same_trace(cli, tmp_path, monkeypatch) -> None:
    program = "z = w*x + b\ny = sigmoid(z)\n"
    path = tmp_path / "model.txt"
    path.write_text(program, encoding="utf-8")
    direct = cli("trace", program, "--at", "w=0.5,x=2,b=1")
    from_file = cli("trace", "--file", str(path), "--at", "w=0.5,x=2,b=1")
    assert from_file.code == 0 and from_file.out == direct.out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(program.encode())))
    from_stdin = cli("trace", "-f", "-", "--at", "w=0.5,x=2,b=1")
    assert from_stdin.code == 0 and from_stdin.out == direct.out


@pytest.mark.parametrize("args,words", [
    (("--file", "/no/such/model.txt"), "no such file"),
    (("x", "--file", "model.txt"), "either as the argument or with --file"),
    ((), "give an expression"),
])
def test_file_mistakes_are_clear(cli, args, words: str) -> None:
    result = cli("trace", *args, "--at", "x=1")
    assert result.code == 2 and words in result.err and "Traceback" not in result.err


def test_a_binary_program_file_names_the_byte(cli, tmp_path) -> None:
    path = tmp_path / "model.txt"
    path.write_bytes(b"y = x\xff + 1\n")
    result = cli("trace", "--file", str(path), "--at", "x=1")
    assert result.code == 2 and "byte" in result.err and "UTF-8" in result.err


LSE = "m = max(a, b); y = m + log(exp(a - m) + exp(b - m))"


def test_a_kink_that_cancels_is_said_so_not_warned(cli) -> None:
    out = cli("trace", LSE, "--at", "a=1,b=1").out
    assert "the kink cancels" in out and "not differentiable" not in out
    assert "✓ agrees with central finite differences" in out
    r = gradtutor.trace(LSE, a=1, b=1)
    # independent: ∂/∂a log(e^a + e^b) = e^a/(e^a + e^b) = 1/2 at a tie
    assert abs(to_mpf(r.gradient["a"]) - mpmath.mpf(1) / 2) < mpmath.mpf("1e-40")
    assert r.verification.kink == "cancels"
    assert "the kink cancels" in cli("trace", LSE, "--at", "a=1,b=1", "--format", "json").out


@pytest.mark.parametrize("source,at", [("relu(x)", "x=0"), ("max(x, y)", "x=0,y=0"),
                                       ("relu(x)*10^-40", "x=0"), ("abs(x) + y", "x=0,y=1")])
def test_a_real_kink_keeps_its_note(cli, source: str, at: str) -> None:
    out = cli("trace", source, "--at", at).out
    assert "not differentiable" in out and "finite differences skipped" in out
    assert "cancels" not in out


def test_kinks_that_cancel_under_another_convention_are_explained(cli) -> None:
    out = " ".join(cli("trace", "relu(x) - relu(-x)", "--at", "x=0").out.split())  # = x
    assert "the conventions below give a different gradient" in out
    assert "∂y/∂x = 0" in out and "relu is not differentiable at 0" in out
    smooth = cli("trace", "abs(x)^2 + x", "--at", "x=0").out
    assert "the kink cancels" in smooth and "∂y/∂x = 1" in smooth


def test_ascii_stream_gets_aligned_stand_ins() -> None:
    import os
    import subprocess

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "80"}
    run = subprocess.run([sys.executable, "-m", "gradtutor", *README, "--show", "adjoint"],
                         capture_output=True, env=env, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode("ascii")  # nothing but ASCII
    assert "v_bar-2 += v_bar1*dv1/dv-2" in out
    rows = [line for line in out.splitlines() if " | " in line]
    bars = {tuple(i for i, c in enumerate(line) if c == "|") for line in rows}
    assert len(rows) > 8 and len(bars) == 1  # every row's column bars line up
