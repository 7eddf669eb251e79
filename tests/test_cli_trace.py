"""CLI `trace`: output, formats, exit codes and messages on stderr (never a traceback)."""

from __future__ import annotations

import json

import pytest

README = ("trace", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1")


def test_readme_example_table(cli) -> None:
    result = cli(*README)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "Reverse adjoint trace" in result.out
    assert "∂y/∂w = −4.8" in result.out
    assert "agrees with sympy.diff" in result.out


def test_json_document(cli) -> None:
    result = cli(*README, "--format", "json")
    doc = json.loads(result.out)
    assert doc["value"] == 4.3
    assert doc["gradient"] == {"x": -7, "w": -4.8, "b": -16}
    assert doc["gradient_exact"] == {"x": "-7", "w": "-24/5", "b": "-16"}
    assert set(doc["derivatives"]) == {"x", "w", "b"}
    assert [n["id"] for n in doc["nodes"]] == [-2, -1, 0, 1, 2, 3, 4]
    assert {"id", "name", "op", "definition", "value", "adjoint"} <= set(doc["nodes"][3])
    assert doc["nodes"][5]["definition"] == "1/v₂" and doc["nodes"][5]["value"] == 4
    assert doc["verified"]["agrees"] is True


def test_forward_mode_json_has_tangents(cli) -> None:
    result = cli("trace", "x*y + sin(x)", "--at", "x=0,y=3", "--mode", "forward", "--wrt", "x",
                 "--format", "json")
    doc = json.loads(result.out)
    assert doc["tangent"] == {"wrt": "x", "value": 4}  # y + cos(0) = 4
    assert all("tangent" in node for node in doc["nodes"])


@pytest.mark.parametrize("fmt,marker", [("markdown", "### Reverse adjoint trace"),
                                        ("latex", r"\begin{tabular}")])
def test_text_formats(cli, fmt: str, marker: str) -> None:
    result = cli(*README, "--format", fmt)
    assert result.code == 0 and marker in result.out


def test_latex_adjoint_line(cli) -> None:
    out = cli(*README, "--format", "latex").out
    assert r"\bar{v}_{2} = \bar{v}_{3} \frac{\partial v_{3}}{\partial v_{2}}" in out
    assert r"- \frac{1}{v_{2}^{2}}" in out


def test_exact_and_digits(cli) -> None:
    assert "−24/5" in cli(*README, "--exact").out
    out = cli("trace", "sin(x)", "--at", "x=1", "--digits", "12").out
    assert "0.841470984808" in out


def test_expand_splits_sigmoid(cli) -> None:
    doc = json.loads(cli("trace", "sigmoid(z)", "--at", "z=0", "--expand", "--format",
                         "json").out)
    assert [n["op"] for n in doc["nodes"]] == ["input", "neg", "exp", "add", "div"]
    assert doc["gradient"] == {"z": 0.25}


def test_kink_is_explained(cli) -> None:
    out = cli("trace", "relu(x)", "--at", "x=0").out
    assert "relu is not differentiable at 0" in out
    assert "finite differences skipped" in out


def test_large_graph_is_summarised(cli) -> None:
    program = "; ".join(f"a{i} = sin(a{i - 1}) + x" if i else "a0 = x" for i in range(80))
    out = cli("trace", program, "--at", "x=1").out
    assert "more rows (use --full to show all)" in out
    assert "more rows" not in cli("trace", program, "--at", "x=1", "--full").out


@pytest.mark.parametrize("args,fragments", [
    (("trace", "sinn(x)", "--at", "x=1"),
     ["unknown function 'sinn'", "^^^^", "did you mean 'sin'"]),
    (("trace", "x(2)", "--at", "x=1"), ["a variable cannot be called", "x*(...)"]),
    (("trace", "x +* 2", "--at", "x=1"), ["column 4", "missing operand"]),
    (("trace", "x*y", "--at", "x=1"), ["no value given for 'y'", "--at y=1"]),
    (("trace", "x", "--at", "x=abc"), ["value of 'x' is not a number"]),
    (("trace", "x", "--at", "x=1,x=2"), ["'x' is given twice"]),
    (("trace", "x", "--at", "x=1,z=2"), ["'z' is not in the expression"]),
    (("trace", "x", "--at", "x=1/0"), ["not a finite real number"]),
    (("trace", "1/(x-1)", "--at", "x=1"), ["v₂ = 1/v₁ cannot be evaluated at v₁ = 0",
                                            "division by zero", "column 2"]),
    (("trace", "log(x)", "--at", "x=-1"), ["log of a number that is not positive"]),
    (("trace", "sqrt(x)", "--at", "x=-4"), ["negative base to a fractional power"]),
    (("trace", "x^0.5", "--at", "x=-4"), ["negative base to a fractional power"]),
    (("trace", "__import__('os').system('true')", "--at", "x=1"), ["unexpected character"]),
    (("trace", "x.real", "--at", "x=1"), ["attribute access"]),
    (("trace", "2+3"), ["no variables", "nothing to differentiate"]),
    (("trace", "x*2^10^10", "--at", "x=1"), ["too large to compute exactly"]),
    (("trace", "x", "--at", "x=1", "--format", "xml"), ["--format 'xml' is not one of"]),
    (("trace", "x*y", "--at", "x=1,y=2", "--mode", "forward"), ["add --wrt NAME"]),
    (("trace", "x", "--at", "x=1", "--mode", "forward", "--wrt", "q"), ["not an input"]),
])
def test_bad_input_exits_2_with_one_message(cli, args, fragments) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("Error: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err


def test_usage_error_exits_2(cli) -> None:
    result = cli("trace", "--bogus")
    assert result.code == 2 and "Traceback" not in result.err


def test_internal_error_exits_3(cli, monkeypatch) -> None:
    import gradtutor.api

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(gradtutor.api, "trace", explode)
    result = cli(*README)
    assert result.code == 3
    assert "please report" in result.err and "Traceback" not in result.err


def test_help_and_version_do_not_import_sympy() -> None:
    import subprocess
    import sys

    for flag in ("--help", "--version"):
        code = ("import io, sys, contextlib\n"
                "from gradtutor.cli import app\n"
                "from gradtutor.cli.boundary import run\n"
                "with contextlib.redirect_stdout(io.StringIO()):\n"
                f"    run(app, [{flag!r}])\n"
                "print('SYMPY' if 'sympy' in sys.modules else 'NO-SYMPY')")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == "NO-SYMPY", out.stdout + out.stderr


def test_console_script_flushes_everything_before_exiting() -> None:
    """main() leaves with os._exit (no teardown): all output and the exit code must survive."""
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "gradtutor", *README, "--format", "json"],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["value"] == 4.3
    bad = subprocess.run([sys.executable, "-m", "gradtutor", "trace", "sinn(x)", "--at", "x=1"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("Error: unknown function 'sinn'")
