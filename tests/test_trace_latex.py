"""LaTeX that is right: tangent tables in forward mode, fan-out rows that are true equations,
names with underscores as words, and a standalone document that pdflatex compiles.

The structural checks always run; where pdflatex is installed the document is also compiled.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction

import pytest

from gradtutor.render.trace_latex import latex_name, latex_number

README = ("trace", "x + 1/(w*x+b)", "--at", "x=0.3,w=0.5,b=0.1", "--format", "latex")
BAYDIN = ("trace", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2,x2=5", "--format", "latex")


def _number(tex: str) -> Fraction:
    tex = tex.strip().removeprefix(r"\left(").removesuffix(r"\right)")
    match = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", tex)
    if match:
        return Fraction(int(match.group(2)), int(match.group(3))) * (-1 if match.group(1) else 1)
    return Fraction(tex)


def _adjoint_rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(r"$\bar{v}_{")
            and r"\bar{y}" not in line]


def _check_structure(text: str) -> None:
    assert text.isascii()
    assert text.count(r"\begin{tabular}") == text.count(r"\end{tabular}") > 0
    for line in text.splitlines():
        if not line.startswith("%"):
            assert line.count("{") == line.count("}"), line
            assert line.replace(r"\$", "").count("$") % 2 == 0, line
            assert line.count(r"\left(") == line.count(r"\right)"), line


def test_every_adjoint_row_is_a_true_equation(cli) -> None:
    out = cli(*README).out
    rows = _adjoint_rows(out)
    assert len(rows) == 6
    for row in rows:
        numbers, total = row.rstrip(r" \$").rstrip("$").split(" = ")[-2:]
        terms = [t.split(r" \cdot ") for t in numbers.split(" + ")]
        assert sum(_number(a) * _number(b) for a, b in terms) == _number(total), row


def test_fan_out_row_sums_its_contributions(cli) -> None:
    out = cli(*README).out
    fan_out = next(r for r in _adjoint_rows(out) if r.startswith(r"$\bar{v}_{-2}"))
    assert (r"= \bar{v}_{4} \frac{\partial v_{4}}{\partial v_{-2}} + \bar{v}_{1} "
            r"\frac{\partial v_{1}}{\partial v_{-2}} = ") in fan_out
    assert fan_out.endswith(r"= 1 \cdot 1 + \left(-16\right) \cdot 0.5 = -7$ \\")
    assert "+ =" not in out and r"\bar{v}_{-2} + " not in out  # the old, false form


def test_forward_mode_prints_the_tangent_table(cli) -> None:
    forward = cli(*BAYDIN, "--mode", "forward", "--wrt", "x1").out
    assert "Forward tangent trace" in forward and "Reverse adjoint trace" not in forward
    assert r"$\dot{v}_{5} = " in forward and forward.count(r"\dot{v}_{") >= 7
    assert r"= 1 \cdot 5.5 + \left(-1\right) \cdot 0 = 5.5$" in forward  # v̇₅ = v̇₄ − v̇₃
    both = cli(*BAYDIN, "--mode", "both", "--wrt", "x1").out
    assert "Forward tangent trace" in both and "Reverse adjoint trace" in both
    _check_structure(both)


def test_local_partials_and_result_are_included(cli) -> None:
    out = cli(*README).out
    assert r"\textbf{Local partials}" in out and r"\textbf{Result}" in out
    assert r"$\frac{\partial v_{3}}{\partial v_{2}}$ & $= - \frac{1}{v_{2}^{2}}$ & $= -16$" in out
    assert r"$\frac{\partial y}{\partial w}$ & $= -4.8$" in out
    assert "% ok: agrees with sympy.diff" in out
    _check_structure(out)


def test_names_with_underscores_are_words(cli) -> None:
    out = cli("trace", "y_hat = sigmoid(w*x); leaky_out = leaky_relu(y_hat - t)", "--at",
              "w=2,x=1,t=3", "--format", "latex").out
    assert r"\mathit{y\_hat}" in out and r"\mathit{leaky\_out}" in out
    assert r"\operatorname{leaky\_ReLU}" in out
    assert "_{hat}" not in out and "leaky}_{relu" not in out
    _check_structure(out)


def test_name_and_number_helpers() -> None:
    assert latex_name("x") == "x" and latex_name("x1") == "x_{1}"
    assert latex_name("y_hat") == r"\mathit{y\_hat}" and latex_name("alpha") == r"\mathit{alpha}"
    assert latex_number("-4.8") == "-4.8" and latex_number("-24/5") == r"-\frac{24}{5}"
    assert latex_number("1.5e-17") == r"1.5 \cdot 10^{-17}"
    assert latex_number("1e+100000") == "10^{100000}"


def test_show_and_standalone_options(cli) -> None:
    out = cli(*README, "--show", "adjoint").out
    assert "Reverse adjoint trace" in out and "Forward primal trace" not in out
    result = cli("trace", "x", "--at", "x=1", "--standalone")
    assert result.code == 2 and "--format latex" in result.err


def _standalone(cli, *args: str) -> str:
    result = cli(*args, "--standalone")
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("args", [README, BAYDIN + ("--mode", "both", "--wrt", "x1"),
                                  ("trace", "y_hat = relu(w*x - b)^2", "--at", "w=2,x=1,b=3",
                                   "--format", "latex")])
def test_standalone_document_structure(cli, args) -> None:
    doc = _standalone(cli, *args)
    lines = doc.splitlines()
    assert lines[0] == r"\documentclass[10pt]{article}" and r"\usepackage{amsmath}" in lines
    assert lines.count(r"\begin{document}") == 1 and lines[-1] == r"\end{document}"
    assert "Local partials" in doc and "Result" in doc and "Forward primal trace" in doc
    _check_structure(doc)


def test_standalone_document_compiles_with_pdflatex(cli, tmp_path) -> None:
    """Structure is checked above in every environment; here, where pdflatex exists, the real
    compiler must accept every document without an error."""
    pdflatex = shutil.which("pdflatex")
    docs = {"readme": _standalone(cli, *README),
            "baydin": _standalone(cli, *BAYDIN, "--mode", "both", "--wrt", "x1"),
            "names": _standalone(cli, "trace", "y_hat = leaky_relu(w*x - b)", "--at",
                                 "w=2,x=1,b=3", "--format", "latex")}
    for name, doc in docs.items():
        (tmp_path / f"{name}.tex").write_text(doc, encoding="ascii")
        if pdflatex is None:
            continue
        run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                              f"{name}.tex"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stdout[-2000:]
        assert (tmp_path / f"{name}.pdf").stat().st_size > 1000
    assert len(list(tmp_path.glob("*.tex"))) == 3
