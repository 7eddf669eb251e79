"""Robustness, problem files and solvers: hostile or unlucky files → clear errors, bounded time."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gradtutor.solve as solve_module
from gradtutor.budget import deadline
from gradtutor.errors import DomainError, GradtutorError, InputError, LimitError, ProblemFileError
from gradtutor.problems import parse_problem, read_outline
from gradtutor.solve import solve


def write(tmp: Path, text: str, name: str = "p.yaml") -> str:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_descent_step_leaving_the_domain_names_the_step(tmp_path: Path) -> None:
    path = write(tmp_path, "title: d\nparts:\n- {id: a, kind: descent, f: log(w), params: w,"
                 " start: {w: 0.5}, rate: 1, steps: 3}\n")
    with pytest.raises(DomainError, match=r"after 1 step\(s\) the parameters \(w = −1.5\)"):
        solve(path)


def test_a_transcendental_equation_is_solved_or_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "title: t\nparts:\n- {id: a, kind: solve, "
                 "equations: [exp(x) + x = 3], unknowns: x}\n")
    root = solve(path).parts[0].result.solutions[0]["x"]
    assert abs(float(root) + float(__import__("sympy").exp(root)) - 3) < 1e-12


def test_sympy_giving_up_is_an_input_error(tmp_path: Path, monkeypatch) -> None:
    import gradtutor.solve.equations as equations

    def give_up(*args, **kwargs):
        raise NotImplementedError("could not solve -x + 2*sin(x)")

    monkeypatch.setattr(equations.sp, "solve", give_up)
    path = write(tmp_path, "title: t\nparts:\n- {id: a, kind: solve, "
                 "equations: [sin(x) = x/2], unknowns: x}\n")
    with pytest.raises(InputError, match=r"p.yaml:3 parts\[0\].kind: SymPy gave up looking"):
        solve(path)


@pytest.mark.parametrize("value", ["''", "' '", "~", "[]"])
def test_an_empty_limit_value_is_a_file_error(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "title: t\nparts:\n- id: a\n  kind: limit\n  f: sin(x)/x\n"
                 f"  var: x\n  to: 0\n  answer:\n    value: {value}\n")
    with pytest.raises(ProblemFileError, match=r"p.yaml:9 parts\[0\].answer.value"):
        solve(path)


def test_a_value_for_the_output_of_a_trace_part_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "title: t\nparts:\n- {id: a, kind: trace, f: 'y = x*2', "
                 "at: {x: 1, y: 2}}\n")
    with pytest.raises(InputError, match="'y' has a value but is not an input"):
        solve(path)


def test_a_part_over_its_time_budget_is_a_limit_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(solve_module, "PART_SECONDS", 1.0)
    path = write(tmp_path, "title: t\nparts:\n- {id: a, kind: derivative, "
                 "f: sigmoid(sigmoid(sigmoid(x))), wrt: x, order: 8}\n")
    start = time.monotonic()
    with pytest.raises(LimitError, match="more than 1 s of computing time, the limit per part"):
        solve(path)
    assert time.monotonic() - start < 30  # a hang guard


def test_a_thousand_parts_are_outlined_without_sympy(tmp_path: Path) -> None:
    lines = ["title: many", "parts:"]
    for i in range(1000):
        lines += [f"- id: p{i}", "  kind: derivative", f"  f: x^{i % 7 + 2}", "  wrt: x"]
    path = write(tmp_path, "\n".join(lines) + "\n")
    outline = read_outline(path)
    assert len(outline.parts) == 1000 and outline.parts[-1] == ("p999", "derivative", "")
    assert len(parse_problem(Path(path).read_text(), path).parts) == 1000


def test_problems_and_show_do_not_import_sympy() -> None:
    import subprocess

    code = ("import sys; from gradtutor.cli import app; from gradtutor.cli.boundary import run;"
            "run(app, ['problems']); run(app, ['show', 'ad_table']);"
            "print('SYMPY' if 'sympy' in sys.modules else 'NO-SYMPY', file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stderr.strip().endswith("NO-SYMPY"), done.stderr


@pytest.mark.parametrize(("text", "phrase"), [
    ("title: [unclosed\nparts: x\n", "not valid YAML"),
    ("- a\n- b\n", "expected a mapping of keys, got a list"),
    ("just a line of text that is long and should not be shown back to anyone at all\n",
     "got text of"),
    ("title: t\nparts: []\n", "at least one part"),
    ("title: t\nparts:\n- {id: a, kind: nope}\n", "expected one of"),
    ("title: t\nparts:\n- {id: a, kind: derivative, f: '2**2**2**2**2**2', wrt: x}\n",
     "too large"),
    ("title: t\nparts:\n- {id: a, kind: derivative, f: x, wrt: x, order: 99999}\n",
     "whole number"),
    ("title: t\nparts:\n- {id: a, kind: series, f: x, var: x, order: -1}\n", "whole number"),
    ("title: t\ngiven: {x: " + "[" * 100 + "]" * 100 + "}\nparts: []\n", "nested more than"),
])
def test_bad_problem_texts(tmp_path: Path, text: str, phrase: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProblemFileError) as err:
        solve(path)
    assert phrase in err.value.describe()
    assert "should not be shown" not in err.value.describe()


def test_a_long_exact_descent_continues_numerically(tmp_path: Path) -> None:
    """w ← w − η(4w³ + 1) triples the digits of an exact w each step; 200 steps must neither
    hang nor overflow printing, and end at the minimiser −(1/4)^(1/3)."""
    path = write(tmp_path, "title: d\nparts:\n- {id: a, kind: descent, f: w^4 + w, params: w,"
                 " start: {w: 0.5}, rate: 0.1, steps: 200}\n")
    result = solve(path).parts[0].result
    assert abs(float(result.final["w"]) + 0.25 ** (1 / 3)) < 1e-12


def test_a_closed_form_search_over_budget_is_an_input_error(tmp_path: Path, monkeypatch) -> None:
    import gradtutor.solve.equations as equations

    monkeypatch.setattr(equations, "SOLVE_SECONDS", 0.3)
    path = write(tmp_path, "title: t\nparts:\n- {id: a, kind: solve, "
                 "equations: ['sin(x) = x/2 + cos(x)^3'], unknowns: x}\n")
    with pytest.raises(InputError, match="found none within 0.3 s of computing time"):
        solve(path)


YAML_BITS = ["title: t\n", "parts:\n", "- ", "  ", "id: a\n", "kind: derivative\n", "f: x^2\n",
             "wrt: x\n", "{", "}", "[", "]", ": ", ", ", "'", '"', "&a ", "*a", "!!python/name:os",
             "\t", "\x00", "\x1b", "é", "\ud800", "#", "- id: b\n", "kind: limit\n", "to: \n",
             "value: ''\n", "order: 99999\n", "1e99999", "---\n", "...\n", "? ", "|\n", ">\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(YAML_BITS), max_size=30))
def test_random_problem_texts_never_crash(bits: list[str]) -> None:
    """Any text → a solution or a GradtutorError (never a traceback, never a hang)."""
    text = "".join(bits)
    try:
        with deadline(60):
            problem = parse_problem(text, "random.yaml")
            solve(problem)
    except GradtutorError as err:
        assert err.describe()
