"""Problem files: schema errors name file:line key.path (verbatim), and valid files load exactly."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from gradtutor.errors import ProblemFileError
from gradtutor.problem_schema import KINDS, json_schema
from gradtutor.problems import bundled_names, load_problem, parse_problem

DATA = Path(__file__).parent / "data" / "problems"


@pytest.mark.parametrize(("file", "message"), [
    ("bad_number.yaml", "bad_number.yaml:13 parts[1].at.w1: expected a number, got 'abc'"),
    ("unknown_key.yaml", "unknown_key.yaml:7 parts[0].answr: unknown key 'answr'"),
    ("bad_kind.yaml", "bad_kind.yaml:4 parts[0].kind: expected one of trace, derivative, "
                      "gradient, cases, limit, solve, descent, identity, series, edges, "
                      "tensor, set, plot, index, got 'derivtive'"),
    ("bad_formula.yaml", "bad_formula.yaml:5 parts[0].f: expected ')' but found the end of "
                         "the input"),
    ("bad_yaml.yaml", "bad_yaml.yaml:2: not valid YAML: expected ',' or ']', but got "
                      "'<stream end>'"),
    ("alias.yaml", "alias.yaml:2: YAML anchors and aliases are not supported"),
    ("missing_key.yaml", "missing_key.yaml:3 parts[0]: missing required key 'order'"),
])
def test_error_names_file_line_and_key_path(file: str, message: str) -> None:
    with pytest.raises(ProblemFileError) as caught:
        load_problem(str(DATA / file))
    assert caught.value.message == f"{DATA / file}"[: -len(file)] + message


def test_hints_suggest_the_near_miss() -> None:
    with pytest.raises(ProblemFileError) as caught:
        load_problem(str(DATA / "unknown_key.yaml"))
    assert caught.value.hint == "did you mean 'answer'?"


def test_formula_errors_keep_the_caret() -> None:
    with pytest.raises(ProblemFileError) as caught:
        load_problem(str(DATA / "bad_formula.yaml"))
    assert caught.value.location == "at column 9:\n  x*(y + 1\n          ^"


@pytest.mark.parametrize(("text", "message"), [
    ("title: T\nparts: []\n", "<problem>:2 parts: expected a list of at least one part"),
    ("title: T\nparts:\n  - 3\n", "<problem>:3 parts[0]: expected a mapping of keys, got '3'"),
    ("title: T\nparts:\n  - {id: a, kind: series, f: x, var: x, order: -1}\n",
     "<problem>:3 parts[0].order: expected a whole number from 0 to 20, got '-1'"),
    ("title: T\nparts:\n  - {id: a, kind: identity, lhs: x, rhs: x}\n"
     "  - {id: a, kind: identity, lhs: x, rhs: x}\n",
     "<problem>:4 parts[1].id: part id 'a' is used twice"),
    ("title: T\nparts:\n  - {id: a, kind: trace, f: x, expand: maybe}\n",
     "<problem>:3 parts[0].expand: expected true or false, got 'maybe'"),
    ("title: T\ngiven: {2x: 1}\nparts:\n  - {id: a, kind: trace, f: x}\n",
     "<problem>:2 given.2x: '2x' is not a variable name"),
    ("", "<problem>: the file is empty"),
])
def test_schema_messages_verbatim(text: str, message: str) -> None:
    with pytest.raises(ProblemFileError) as caught:
        parse_problem(text)
    assert caught.value.message == message


def test_numbers_are_exact_and_keep_their_text() -> None:
    problem = parse_problem("title: T\ngiven: {x: 0.3, z: w*x}\nparts:\n"
                            "  - {id: a, kind: gradient, f: z, at: {w: -1/3}}\n")
    assert problem.values["x"].value == sp.Rational(3, 10)
    assert problem.values["x"].text == "0.3"
    assert Fraction(str(problem.parts[0].spec["at"]["w"].value)) == Fraction(-1, 3)
    assert str(problem.definitions["z"]) == "w*x"


def test_unknown_bundled_name_suggests_the_closest() -> None:
    with pytest.raises(ProblemFileError) as caught:
        load_problem("ad_tabel")
    assert caught.value.message == "no bundled problem named 'ad_tabel'"
    assert caught.value.hint == "did you mean 'ad_table'?"


def test_every_bundled_file_loads_and_is_named_by_its_stem() -> None:
    for name in bundled_names():
        assert load_problem(name).name == name


def test_json_schema_lists_every_kind_and_its_keys() -> None:
    schema = json_schema()
    variants = schema["properties"]["parts"]["items"]["oneOf"]
    assert [v["properties"]["kind"]["const"] for v in variants] == list(KINDS)
    derivative = variants[list(KINDS).index("derivative")]
    assert set(derivative["required"]) == {"id", "kind", "f", "wrt"}
    assert derivative["additionalProperties"] is False
    assert schema["required"] == ["title", "parts"]
