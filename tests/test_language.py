"""The language: reassignment, comments, pasted notation, tensor syntax, where, long inputs.

Values are checked against hand-derived numbers and against the same program written in plain
ASCII without reassignment (an independent spelling of the same function).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

import gradtutor
from gradtutor.errors import GradtutorError, InputError, ParseError
from gradtutor.graph import build_graph, graph_from_text
from gradtutor.parse import Call, Name, Num, parse_expression, parse_program
from gradtutor.rules import rule_for
from gradtutor.sym import parse_formula, symbol

F = Fraction


# --- reassignment ----------------------------------------------------------------------------


def test_reassignment_makes_new_nodes_named_by_version():
    text = "c = x + 1; c = c + c + 1  # a comment\nc += 2; y = c*x"
    result = gradtutor.trace(text, x=2)
    # c = 3, c₂ = 7, c₃ = 9, y = 18; y = (2x + 5)·x so dy/dx = 4x + 5 = 13
    assert result.value == 18
    assert result.gradient == {"x": 13}
    assert [n.name for n in result.nodes] == ["x", "c", "", "c₂", "c₃", "y"]


@pytest.mark.parametrize(("text", "at", "value", "gradient", "output"), [
    ("x = x + 1", {"x": 1}, 2, {"x": 1}, "x₂"),
    ("a = a + 1; y = a*x", {"a": 2, "x": 5}, 15, {"a": 5, "x": 3}, "y"),
    ("y = y*2", {"y": 3}, 6, {"y": 2}, "y₂"),
    ("a = x; a -= 1; a *= 3; a /= 2", {"x": 5}, 6, {"x": F(3, 2)}, "a₄"),
    ("y*f*out*result", {"y": 1, "f": 2, "out": 3, "result": 4}, 24,
     {"y": 24, "f": 12, "out": 8, "result": 6}, "output"),
])
def test_programs_that_reuse_names(text, at, value, gradient, output):
    result = gradtutor.trace(text, **at)
    assert result.value == value
    assert result.gradient == gradient
    assert result.graph.output_name == output


def test_augmented_assignment_takes_the_whole_right_side():
    # a *= b + 1 is a = a*(b + 1), not a*b + 1
    assert parse_formula("a = x; a *= x + 1; a") == parse_formula("x*(x + 1)")


def test_use_before_any_definition_is_an_error_with_a_caret():
    with pytest.raises(ParseError) as err:
        parse_program("y = a*x; a = 2")
    assert "'a' is used before it is assigned" in err.value.message
    assert "column 5" in err.value.location


def test_constants_may_be_assigned_and_it_is_said_once():
    program = parse_program("y = e*x; e = 2; z = e*y; e = 3; w = e*z")
    assert parse_formula("y = e*x; e = 2; z = e*y; e = 3; w = e*z") == 6 * symbol("x") * \
        parse_formula("e")
    assert len(program.notes) == 1 and "not the constant e" in program.notes[0]
    assert gradtutor.trace("pi = 2; y = pi*x", x=3).value == 6


def test_a_long_assignment_program_builds_one_node_per_line():
    text = "\n".join(["a0 = x"] + [f"a{i + 1} = a{i} + x" for i in range(2000)])
    result = gradtutor.trace(text, x=F(1, 2))
    assert result.value == F(2001, 2)
    assert result.gradient == {"x": 2001}


# --- notation --------------------------------------------------------------------------------


@pytest.mark.parametrize(("pasted", "ascii_text"), [
    ("x² + 3·x − √x + σ(x₁)", "x^2 + 3*x - sqrt(x) + sigmoid(x1)"),
    ("v₂⁻¹ × v₃³", "v2^-1 * v3^3"),
    ("|x − 1|·π ÷ 2", "abs(x - 1)*pi/2"),
    ("√(x + 1)²", "sqrt((x + 1)^2)"),
    ("||x| − 2|", "abs(abs(x) - 2)"),
    ("x + 1 # the bias\n", "x + 1"),
])
def test_our_printed_notation_pastes_back(pasted, ascii_text):
    assert parse_formula(pasted) == parse_formula(ascii_text)


@pytest.mark.parametrize("text", ["x ∑ y", "x + y\u00a0", "x + ∂y"])
def test_unknown_characters_keep_the_caret_error(text):
    with pytest.raises(ParseError) as err:
        parse_formula(text)
    assert "unexpected character" in err.value.message
    assert "^" in err.value.location


# --- tensor surface syntax and where -----------------------------------------------------------


def test_tensor_syntax_parses_to_named_operations():
    tree = parse_expression("-log_softmax(W@x + b)[2] + sum(A.T)")
    assert isinstance(tree, Call) and tree.op == "add"
    neg, total = tree.args
    assert neg.op == "neg" and neg.args[0].op == "index"
    indexed, k = neg.args[0].args
    assert isinstance(k, Num) and k.value == 2
    assert indexed.op == "log_softmax" and indexed.args[0].args[0].op == "matmul"
    assert total.op == "sum" and total.args[0].op == "transpose"
    assert total.args[0].args[0] == Name("A", total.args[0].args[0].offset)
    ops = {parse_expression(f"{f}(u)").op for f in ("transpose", "mean", "softmax",
                                                    "logsumexp")}
    assert ops == {"transpose", "mean", "softmax", "logsumexp"}
    assert parse_expression("dot(u, v) * outer(u, v)").args[1].op == "outer"


def test_matmul_has_the_precedence_of_times():
    tree = parse_expression("A@x + b*c")
    assert tree.op == "add" and tree.args[0].op == "matmul" and tree.args[1].op == "mul"


@pytest.mark.parametrize("text", ["z[x]", "z[--1]", "z[1.5]", "z[0", "z[1,]"])
def test_an_index_is_a_whole_number(text):
    with pytest.raises(ParseError):
        parse_expression(text)


def test_an_operation_without_a_rule_is_an_input_error():
    with pytest.raises(InputError) as err:
        rule_for("no_such_op")
    assert "cannot be traced" in err.value.message
    with pytest.raises(GradtutorError):
        gradtutor.trace("W@x", W=1, x=2)


@pytest.mark.parametrize(("x", "value", "slope"), [
    (F(-2), F(-2, 100), F(1, 100)), (F(3), F(3), F(1)), (F(0), F(0), F(1, 100)),
])
def test_where_selects_a_branch_and_differentiates_it(x, value, slope):
    result = gradtutor.trace("where(x > 0, x, 0.01*x)", x=x)
    assert result.value == value
    assert result.gradient == {"x": slope}
    assert bool(result.forward.notes) == (x == 0)


def test_where_with_every_comparison():
    for op, expected in (("<", 1), ("<=", 1), (">", 2), (">=", 2), ("==", 2)):
        assert gradtutor.trace(f"where(x {op} y, 1*x, 2*x)", x=1, y=2).gradient["x"] == expected


@pytest.mark.parametrize(("text", "words"), [
    ("y = x < 1", "can only be the condition of where"),
    ("where(x, 1, 2)", "must be a comparison"),
    ("where(x < y < 1, 1, 2)", "cannot be chained"),
])
def test_comparisons_only_as_conditions(text, words):
    with pytest.raises(ParseError) as err:
        parse_program(text)
    assert words in err.value.message


# --- long input: linear, no recursion limit ----------------------------------------------------


@pytest.mark.parametrize("n", [10_000])
def test_flat_sums_and_products_of_many_terms(n):
    text = "+".join(f"x{i}" for i in range(n))
    graph = build_graph(parse_program(text))
    assert len(graph.steps) == n - 1
    assert len(parse_formula(text).args) == n
    product = "*".join(["x"] * 3000)
    assert parse_formula(product) == symbol("x") ** 3000
    result = gradtutor.trace("+".join(["x"] * n), x=F(1, 3))
    assert result.value == F(n, 3) and result.gradient == {"x": n}


def test_a_chain_of_unary_steps_is_not_a_recursion():
    text = "\n".join(["a0 = x"] + [f"a{i + 1} = sin(a{i})" for i in range(3000)])
    graph = graph_from_text(text)
    assert len(graph.steps) == 3001


# --- pasted examples with their published numbers ----------------------------------------------

MICROGRAD = """\
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + relu(b + a)   # was (b + a).relu()
d += 3 * d + relu(b - a)   # was (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
"""


def test_micrograd_readme_example_gives_its_published_numbers():
    result = gradtutor.trace(MICROGRAD, a=-4, b=2)
    assert f"{float(result.value):.4f}" == "24.7041"
    assert f"{float(result.gradient['a']):.4f}" == "138.8338"
    assert f"{float(result.gradient['b']):.4f}" == "645.5773"
    assert result.graph.output_name == "g₂"
    assert any("not the constant e" in note for note in result.graph.notes)


CS231N = """\
sigy = 1.0 / (1 + math.exp(-y)) # sigmoid in numerator   #(1)
num = x + sigy # numerator                               #(2)
sigx = 1.0 / (1 + math.exp(-x)) # sigmoid in denominator #(3)
xpy = x + y                                              #(4)
xpysqr = xpy**2                                          #(5)
den = sigx + xpysqr # denominator                        #(6)
invden = 1.0 / den                                       #(7)
f = num * invden # done!                                 #(8)
"""


def test_cs231n_staged_example_matches_sympy_diff():
    x, y = symbol("x"), symbol("y")
    sig = lambda t: 1 / (1 + sp.exp(-t))  # noqa: E731
    whole = (x + sig(y)) / (sig(x) + (x + y) ** 2)
    result = gradtutor.trace(CS231N, x=3, y=-4)
    at = {x: 3, y: -4}
    assert abs(result.value - sp.N(whole.subs(at), 50)) < 1e-40
    for name, var in (("x", x), ("y", y)):
        assert abs(result.gradient[name] - sp.N(sp.diff(whole, var).subs(at), 50)) < 1e-40


def test_baydin_example_pasted_in_our_notation():
    result = gradtutor.trace("ln(x₁) + x₁·x₂ − sin(x₂)", x1=2, x2=5)
    assert f"{float(result.value):.3f}" == "11.652"
    assert result.gradient["x1"] == F(11, 2)
    assert f"{float(result.gradient['x2']):.3f}" == "1.716"


# --- reassignment against an independent renaming (Hypothesis) ----------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NAMES = ("a", "b", "x")
_STATEMENT = st.tuples(st.sampled_from(("a", "b")), st.sampled_from(("=", "+=", "-=", "*=")),
                       st.sampled_from(_NAMES), st.sampled_from(("+", "-", "*")),
                       st.sampled_from((*_NAMES, "2", "1/2")))


def _renamed(statements) -> tuple[str, str]:
    """The program as written, and the same with a fresh name per assignment (SSA by hand).

    A name not assigned yet is read as x, and an augmented assignment to it becomes '='.
    """
    written, fresh, current = [], [], {"x": "x"}
    for count, (target, op, left, binop, right) in enumerate(statements, 1):
        left = left if left in current else "x"
        right = right if right in current or right not in _NAMES else "x"
        op = op if target in current else "="
        written.append(f"{target} {op} {left} {binop} {right}")
        rhs = f"{current[left]} {binop} {current.get(right, right)}"
        if op != "=":
            rhs = f"{current[target]} {op[0]} ({rhs})"
        current[target] = f"t{count}"
        fresh.append(f"t{count} = {rhs}")
    return "; ".join(written), "; ".join(fresh)


@settings(max_examples=40, deadline=None)
@given(st.lists(_STATEMENT, min_size=1, max_size=8), st.fractions(-3, 3, max_denominator=5))
def test_reassignment_is_a_renaming(statements, x):
    written, fresh = _renamed(statements)
    assert parse_formula(written) == parse_formula(fresh)
    mine, theirs = gradtutor.trace(written, x=x), gradtutor.trace(fresh, x=x)
    assert mine.value == theirs.value and mine.gradient == theirs.gradient


def test_a_long_answer_is_checked_without_recursion():
    answer = "1+" + "+".join(["x"] * 3000)
    result = gradtutor.check("x^2", wrt="x", answer=answer)
    assert not result.correct


def test_pasted_inputs_assigned_numbers_get_a_hint_to_use_at(cli) -> None:
    result = cli("trace", "a = -4.0\nb = 2.0\n" + MICROGRAD, "--at", "a=-4,b=2")
    assert result.code == 2
    assert "'a', 'b' are assigned a number" in result.err
    assert "delete the line 'a = …'" in result.err and "--at a=-4" in result.err
