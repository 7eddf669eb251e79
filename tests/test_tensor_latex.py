"""LaTeX for tensor traces: true numbers (parsed back and compared with the trace itself and
with its JSON), VJP equations as lecture notes write them, adjoint rows that add up, the
summaries of large values, and a standalone document that pdflatex compiles.

The structural checks always run; where pdflatex is installed the documents are compiled.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from fractions import Fraction

import numpy as np
import pytest

import gradtutor
from gradtutor.render.tensor_latex import matrix_tex
from gradtutor.render.tensor_latex_rules import VJPS
from gradtutor.render.trace_view import Options
from gradtutor.tensor_rules import TENSOR_RULES
from tests.test_trace_latex import _check_structure

MLP = "h = W@x + b; a = relu(h); L = sum((a - y)^2)/2"
AT = "W=[[1,-1,2],[0,1,-1]],x=[1,2,3],b=[0,1],y=[1,0]"
FAN = ("u = W@x; L = sum(u*u) + dot(x, x) + mean(transpose(W)@u) - sum(outer(x, u)[1]) "
       "+ u[0]")
FAN_AT = "W=[[1,2,-1],[0,1,3]],x=[1/2,-1,2]"
ARRAY = re.compile(r"\\left\[\\begin\{array\}\{r+\} (.*?) \\end\{array\}\\right\]")


def number(tex: str) -> Fraction:
    tex = tex.strip().removeprefix(r"\left(").removesuffix(r"\right)").strip()
    frac = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", tex)
    if frac:
        return Fraction(int(frac.group(2)), int(frac.group(3))) * (-1 if frac.group(1) else 1)
    sci = re.fullmatch(r"(-?)(?:([\d.]+) \\cdot )?10\^\{(-?\d+)\}", tex)
    if sci:
        value = Fraction(sci.group(2) or 1) * Fraction(10) ** int(sci.group(3))
        return -value if sci.group(1) else value
    return Fraction(tex)


def value(tex: str) -> list[Fraction]:
    """A LaTeX number or bracketed array → its entries, row-major."""
    tex = tex.strip().removeprefix(r"\left(").removesuffix(r"\right)").strip()
    match = ARRAY.fullmatch(tex)
    if match is None:
        return [number(tex)]
    return [number(cell) for row in match.group(1).split(r" \\ ") for cell in row.split(" & ")]


def flat(array) -> list:
    return list(np.ravel(np.asarray(array, dtype=object)))


def rows_of(out: str, title: str) -> list[str]:
    block = out.split(title, 1)[1].split(r"\end{tabular}", 1)[0]
    return [line for line in block.splitlines()[1:] if line.startswith("$")]


def primal_values(out: str) -> dict[int, list[Fraction]]:
    found = {}
    for row in rows_of(out, "Forward primal trace"):
        index = int(re.match(r"\$v_\{(-?\d+)\}", row).group(1))
        cell = row.rpartition(" & $= ")[2]
        found[index] = value(cell[:cell.rindex("$")])
    return found


def adjoint_rows(out: str) -> dict[int, tuple[list[list[Fraction]], list[Fraction]]]:
    """v̄ index → (the contributions' values, the adjoint), read from the LaTeX."""
    found = {}
    for row in rows_of(out, "Reverse adjoint trace"):
        index = int(re.match(r"\$\\bar\{v\}_\{(-?\d+)\}", row).group(1))
        if r"\begin{aligned}" not in row:
            total = row[:row.rindex("$")].split(" = ")[-1]
            found[index] = ([], value(total))
            continue
        steps = row.split(r"\end{aligned}")[0].split("&= ")
        amounts = steps[-2].replace(r"\\ &\quad", "").strip().removesuffix(r"\\").split(" + ")
        found[index] = ([value(a) for a in amounts], value(steps[-1].strip()))
    return found


def test_every_number_is_the_traces_own_exactly(cli) -> None:
    """With --exact every entry is a fraction: parsed back, it equals the trace's value."""
    for program, at in ((MLP, AT), (FAN, FAN_AT)):
        out = cli("trace", program, "--at", at, "--format", "latex", "--exact").out
        result = gradtutor.trace(program, at)
        primals = primal_values(out)
        assert sorted(primals) == [n.index for n in result.graph.nodes]
        for node, array in zip(result.graph.nodes, result.forward.values, strict=True):
            assert primals[node.index] == flat(array), node
        adjoints = adjoint_rows(out)
        assert len(adjoints) == len(result.rows)
        for row in result.rows:
            amounts, total = adjoints[row.index]
            assert total == flat(row.v_bar), row.index
            if len(row.contributions) > 1:  # the row adds up: Σ contributions = adjoint
                assert amounts == [flat(c.amount) for c in row.contributions]
                assert [sum(column) for column in zip(*amounts, strict=True)] == total


def test_numbers_agree_with_the_json_output(cli) -> None:
    """Default 6 digits (softmax: irrational values) against the JSON document."""
    program = "z = W@x + b; L = -log_softmax(z)[1] + logsumexp(z)/4"
    at = "W=[[0.5,-1],[2,0.25],[1,1]],x=[1,2],b=[0.1,0,-0.3]"
    out = cli("trace", program, "--at", at, "--format", "latex").out
    doc = json.loads(cli("trace", program, "--at", at, "--format", "json").out)
    primals, adjoints = primal_values(out), adjoint_rows(out)
    for node in doc["nodes"]:
        for got, want in zip(primals[node["id"]], np.ravel(node["value"]), strict=True):
            assert float(got) == pytest.approx(want, rel=1e-5, abs=1e-12)
        for got, want in zip(adjoints[node["id"]][1], np.ravel(node["adjoint"]), strict=True):
            assert float(got) == pytest.approx(want, rel=1e-5, abs=1e-12)
    result = out.split(r"\textbf{Result}")[1]
    assert r"$\frac{\partial L}{\partial W}$ & $3 \times 2$ & " in result
    assert "Verified: the adjoints agree with" in result
    _check_structure(out)


def test_backward_rules_are_vector_jacobian_products(cli) -> None:
    out = cli("trace", MLP, "--at", AT, "--format", "latex").out
    rules = "\n".join(rows_of(out, "Backward rules"))
    for rule in (r"$v_{1} \to v_{-3}$ & matrix product & $\bar{v}_{-3} \mathrel{+}= "
                 r"\bar{v}_{1} v_{-2}^\top$",
                 r"$\bar{v}_{-2} \mathrel{+}= v_{-3}^\top \bar{v}_{1}$",
                 r"$\bar{v}_{2} \mathrel{+}= \bar{v}_{3} \odot "
                 r"\operatorname{step}\left(v_{2}\right)$",
                 r"$\bar{v}_{5} \mathrel{+}= \bar{v}_{6} \mathbf{1}$",
                 r"$\bar{v}_{0} \mathrel{+}= -\bar{v}_{4}$",
                 r"$\bar{v}_{6} \mathrel{+}= \frac{1}{2} \bar{v}_{7}$"):
        assert rule in rules, rule
    forward = "\n".join(rows_of(out, "Forward primal trace"))
    assert r"$v_{1}$ & $2$ & $= v_{-3} v_{-2}$" in forward  # W@x is one node, W x
    assert r"$v_{-3}$ & $2 \times 3$ & $= W$" in forward and "& scalar &" in forward
    _check_structure(out)


def test_every_tensor_operation_has_its_vjp_in_latex(cli) -> None:
    assert set(TENSOR_RULES) <= set(VJPS)
    out = cli("trace", FAN, "--at", FAN_AT, "--format", "latex").out
    for text in (r"\bar{v}_{0} \mathrel{+}= \bar{v}_{2} v_{0}",  # x̄ += ḡ x (dot)
                 r"\bar{v}_{-1} \mathrel{+}= \bar{v}_{3}^\top",  # transpose
                 r"\bar{v}_{5} \mathrel{+}= \frac{\bar{v}_{9}}{3} \mathbf{1}",  # mean of 3
                 r"\bar{v}_{1} \mathrel{+}= \bar{v}_{7} \mathbf{e}_{0}",  # u[0] scatters back
                 r"\bar{v}_{6} \mathrel{+}= \mathbf{e}_{1} \bar{v}_{10}^\top",  # a row back
                 r"\bar{v}_{0} \mathrel{+}= \bar{v}_{6} v_{1}",  # outer(x, u): x̄ += Ḡ u
                 r"\bar{v}_{1} \mathrel{+}= \bar{v}_{6}^\top v_{0}",  # ū += Ḡᵀ x
                 r"\bar{v}_{1} \mathrel{+}= \bar{v}_{4} \odot v_{1}"):  # u*u, entrywise
        assert text in out, text
    _check_structure(out)


def test_fan_out_rows_are_sums_three_to_a_line(cli) -> None:
    out = cli("trace", FAN, "--at", FAN_AT, "--format", "latex").out
    x_bar = next(r for r in rows_of(out, "Reverse adjoint trace")
                 if r.startswith(r"$\bar{v}_{0}"))
    assert r"\begin{aligned}[t] \bar{v}_{0} &= " in x_bar and x_bar.count("&= ") == 3
    assert r"\\ &\quad + " in x_bar  # four contributions: a second line


def test_large_values_are_summarised_unless_full() -> None:
    big = np.arange(600).reshape(20, 30)
    short = matrix_tex(big, Options())
    assert r"\cdots" in short and r"\vdots" in short and r"\ddots" in short
    assert short.count(" & ") == 7 * 6 and short.count(r" \\ ") == 6
    whole = matrix_tex(big, Options(full=True))
    assert whole.count(" & ") == 20 * 29 and r"\cdots" not in whole
    assert value(whole) == list(range(600))
    assert matrix_tex(np.array([Fraction(-1, 3)]), Options(exact=True)) == \
        r"\left[\begin{array}{r} -\frac{1}{3} \end{array}\right]"


def test_jacobians_unroll_show_and_a_vector_output(cli) -> None:
    out = cli("trace", MLP, "--at", AT, "--format", "latex", "--jacobians").out
    jac = "\n".join(rows_of(out, "Local Jacobians"))
    assert (r"$\frac{\partial v_{1}}{\partial v_{-3}}$ & $2 \times 6$ & $= \left[\begin"
            r"{array}{rrrrrr} 1 & 2 & 3 & 0 & 0 & 0 \\ 0 & 0 & 0 & 1 & 2 & 3 \end{array}"
            r"\right]$") in jac
    unrolled = cli("trace", MLP, "--at", AT, "--format", "latex", "--unroll").out
    assert r"\textbf{Reverse adjoint trace" in unrolled
    assert unrolled.rstrip().splitlines()[-1].startswith("% Unrolled: one scalar node per "
                                                         "entry; its adjoints equal")
    shown = cli("trace", MLP, "--at", AT, "--format", "latex", "--show", "adjoint").out
    assert "Reverse adjoint trace" in shown and "Forward primal trace" not in shown
    vector = cli("trace", "y = W@x", "--at", "W=[[1,2],[3,4]],x=[1,1]", "--format",
                 "latex").out
    assert "Reverse adjoint trace" not in vector and "the output is not a scalar" in vector
    assert (r"$\frac{\partial y}{\partial W}$ & $2 \times 4$ & $= \left[\begin{array}{rrrr} "
            r"1 & 1 & 0 & 0 \\ 0 & 0 & 1 & 1 \end{array}\right]$") in vector
    for text in (out, unrolled, vector):
        _check_structure(text)


def _documents(cli, tmp_path) -> dict[str, str]:
    rng = np.random.default_rng(3)
    values = {"W": rng.integers(-9, 9, (20, 30)).tolist(), "x": rng.integers(-9, 9, 30).tolist()}
    (tmp_path / "values.json").write_text(json.dumps(values), encoding="utf-8")
    runs = {"mlp": ("trace", MLP, "--at", AT, "--jacobians"),
            "fan": ("trace", FAN, "--at", FAN_AT),
            "layer": ("trace", "z = W@x; L = -log_softmax(z)[3]", "--at-file",
                      str(tmp_path / "values.json")),
            "unroll": ("trace", MLP, "--at", AT, "--unroll")}
    docs = {}
    for name, args in runs.items():
        run = cli(*args, "--format", "latex", "--standalone")
        assert run.code == 0, run.err
        docs[name] = run.out
    return docs


def test_standalone_documents_structure_and_pdflatex(cli, tmp_path) -> None:
    docs = _documents(cli, tmp_path)
    for name, doc in docs.items():
        lines = [line for line in doc.splitlines() if not line.startswith("%")]
        assert lines[0] == r"\documentclass[10pt]{article}" and lines[-1] == r"\end{document}"
        assert lines.count(r"\begin{document}") == 1, name
        if name != "unroll":
            assert doc.count(r"\begin{longtable}") == doc.count(r"\end{longtable}") >= 3
            assert r"\usepackage{longtable}" in doc and r"\begin{tabular}" not in doc
        _check_structure(doc.replace("longtable", "tabular"))
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:  # structure is checked above in every environment
        return
    for name, doc in docs.items():
        (tmp_path / f"{name}.tex").write_text(doc, encoding="ascii")
        run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                              f"{name}.tex"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stdout[-2000:]
        assert (tmp_path / f"{name}.pdf").stat().st_size > 1000
