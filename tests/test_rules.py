"""The rules table: every operation's local partials against sympy.diff and finite differences.

Three independent routes meet here for each operation in ``RULES``:

* ``sympy.diff`` of the operation's formula, taken in this file (fresh symbols), compared with
  ``rules.local_partials`` (where a partial is written in ``out``, out = formula is put back);
* central finite differences of a hand-written mpmath reference of the operation (50 digits);
* the whole pipeline, ``gradtutor.trace``, on a one-operation expression.

Kinks (relu, leaky_relu, abs, max, min) are checked through ``gradtutor.trace``: the gradient
uses the convention stated in the rule's text and the text appears in ``result.forward.notes``.
The ``expand`` programs (sigmoid, tanh, softplus) must give the same value and gradient as the
unexpanded operation and build graphs of elementary operations only.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

import gradtutor
import gradtutor.functions
from gradtutor.parse import FUNCTIONS
from gradtutor.rules import OUT, PLACEHOLDERS, RULES, A, formula, local_partials
from gradtutor.sym import parse_formula
from gradtutor.vocab import TENSOR_OPS

F = Fraction
MP = mpmath.MPContext()
MP.dps = 50
DIGITS = 60  # sympy evalf precision for the symbolic side

# --- independent numeric references (mpmath), one per operation ---------------------------

# SELU's α and λ from the closed forms of Klambauer et al. (2017), eq. 14, computed in mpmath
_C = MP.erfc(1 / MP.sqrt(2))
SELU_A = -MP.sqrt(2 / MP.pi) / (_C * MP.exp(MP.mpf(1) / 2) - 1)
SELU_L = (1 - _C * MP.sqrt(MP.e)) * MP.sqrt(2 * MP.pi) / MP.sqrt(
    2 * MP.erfc(MP.sqrt(2)) * MP.e**2 + MP.pi * _C**2 * MP.e
    - 2 * (2 + MP.pi) * _C * MP.sqrt(MP.e) + MP.pi + 2)

REFERENCE = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "neg": lambda a: -a,
    "pow": lambda a, b: MP.power(a, b),
    "id": lambda a: a,
    "exp": lambda a: MP.exp(a),
    "log": lambda a: MP.log(a),
    "sqrt": lambda a: MP.sqrt(a),
    "sin": lambda a: MP.sin(a),
    "cos": lambda a: MP.cos(a),
    "tan": lambda a: MP.tan(a),
    "tanh": lambda a: MP.tanh(a),
    "sigmoid": lambda a: 1 / (1 + MP.exp(-a)),
    "softplus": lambda a: MP.log(1 + MP.exp(a)),
    "erf": lambda a: MP.erf(a),
    "relu": lambda a: a if a > 0 else MP.mpf(0),
    "leaky_relu": lambda a: a if a > 0 else a / 100,
    "abs": lambda a: abs(a),
    "max": lambda a, b: a if a >= b else b,
    "min": lambda a, b: a if a <= b else b,
    "asin": lambda a: MP.asin(a),
    "acos": lambda a: MP.acos(a),
    "atan": lambda a: MP.atan(a),
    "sinh": lambda a: (MP.exp(a) - MP.exp(-a)) / 2,
    "cosh": lambda a: (MP.exp(a) + MP.exp(-a)) / 2,
    "log10": lambda a: MP.log10(a),
    "log2": lambda a: MP.log(a, 2),
    "logb": lambda a, b: MP.log(a, b),
    "sign": lambda a: MP.sign(a),
    "step": lambda a: MP.mpf(1) if a > 0 else MP.mpf(0),
    "elu": lambda a: a if a > 0 else MP.expm1(a),
    "selu": lambda a: SELU_L * (a if a > 0 else SELU_A * MP.expm1(a)),
    "gelu": lambda a: a * MP.ncdf(a),
    "silu": lambda a: a / (1 + MP.exp(-a)),
    "softsign": lambda a: a / (1 + abs(a)),
    "where_lt": lambda p, q, a, b: a if p < q else b,
    "where_gt": lambda p, q, a, b: a if p > q else b,
    "where_le": lambda p, q, a, b: a if p <= q else b,
    "where_ge": lambda p, q, a, b: a if p >= q else b,
    "where_eq": lambda p, q, a, b: a if p == q else b,
}

# Points inside each operation's domain and away from its kinks (exact, so trace stays exact
# where the operation is rational).
UNARY_POINTS = [F(-17, 10), F(-3, 10), F(2, 5), F(22, 10)]
POINTS: dict[str, list[tuple[Fraction, ...]]] = {
    "add": [(F(3, 2), F(-1, 2)), (F(-2), F(1, 4)), (F(3, 10), F(4))],
    "sub": [(F(3, 2), F(-1, 2)), (F(-2), F(1, 4)), (F(3, 10), F(4))],
    "mul": [(F(3, 2), F(-1, 2)), (F(-2), F(1, 4)), (F(3, 10), F(4))],
    "div": [(F(3, 2), F(-1, 2)), (F(-2), F(1, 4)), (F(3, 10), F(4))],
    "pow": [(F(3, 2), F(2)), (F(7, 10), F(-13, 10)), (F(5, 2), F(1, 2)), (F(3), F(1, 3))],
    "log": [(F(1, 5),), (F(3, 2),), (F(7),)],
    "sqrt": [(F(1, 5),), (F(3, 2),), (F(7),)],
    "tan": [(F(-6, 5),), (F(-3, 10),), (F(2, 5),), (F(13, 10),)],
    "relu": [(F(-3, 2),), (F(-1, 4),), (F(1, 2),), (F(3),)],
    "leaky_relu": [(F(-3, 2),), (F(-1, 4),), (F(1, 2),), (F(3),)],
    "abs": [(F(-3, 2),), (F(-1, 4),), (F(1, 2),), (F(3),)],
    "max": [(F(1), F(2)), (F(5, 2), F(-1)), (F(-3, 10), F(-1, 5))],
    "min": [(F(1), F(2)), (F(5, 2), F(-1)), (F(-3, 10), F(-1, 5))],
    "asin": [(F(-7, 10),), (F(-3, 10),), (F(2, 5),), (F(9, 10),)],
    "acos": [(F(-7, 10),), (F(-3, 10),), (F(2, 5),), (F(9, 10),)],
    "log10": [(F(1, 5),), (F(3, 2),), (F(7),)],
    "log2": [(F(1, 5),), (F(3, 2),), (F(7),)],
    "logb": [(F(3, 2), F(5)), (F(7), F(1, 2)), (F(1, 5), F(3))],
    **{f"where_{c}": [(F(1), F(2), F(3, 2), F(-1, 2)), (F(5, 2), F(-1), F(-7, 3), F(4))]
       for c in ("lt", "gt", "le", "ge", "eq")},
}

# How each operation is written in the language (x, y are the arguments).
SOURCE = {"add": "x + y", "sub": "x - y", "mul": "x * y", "div": "x / y", "pow": "x ^ y",
          "neg": "-x", "id": "z = x; z", "max": "max(x, y)", "min": "min(x, y)",
          "logb": "log(x, y)",
          "where_lt": "where(x < y, z, w)", "where_gt": "where(x > y, z, w)",
          "where_le": "where(x <= y, z, w)", "where_ge": "where(x ≥ y, z, w)",
          "where_eq": "where(x == y, z, w)"}
NAMES = "xyzw"

RATIONAL_OPS = {"add", "sub", "mul", "div", "neg", "id", "relu", "leaky_relu", "abs", "max",
                "min", "sign", "step", "softsign", "where_lt", "where_gt", "where_le", "where_ge",
                "where_eq"}
ELEMENTARY = {"add", "sub", "mul", "div", "neg", "exp", "log"}


def points(op: str) -> list[tuple[Fraction, ...]]:
    if op in POINTS:
        return POINTS[op]
    assert RULES[op].arity == 1
    return [(p,) for p in UNARY_POINTS]


def source(op: str) -> str:
    if op in SOURCE:
        return SOURCE[op]
    names = [name for name, (fop, _) in FUNCTIONS.items() if fop == op]
    assert names, f"operation {op!r} has no surface syntax"
    return f"{names[0]}(x)"


CASES = [(op, point) for op in RULES for point in points(op)]
IDS = [f"{op}-{','.join(map(str, point))}" for op, point in CASES]


def to_mp(q: Fraction) -> mpmath.mpf:
    return MP.mpf(q.numerator) / q.denominator


def as_mp(value) -> mpmath.mpf:
    return to_mp(value) if isinstance(value, Fraction) else MP.mpf(value)


def sym_number(expr: sp.Expr) -> mpmath.mpf:
    """A numeric SymPy expression at DIGITS digits, as an mpf."""
    value = sp.N(expr.doit(), DIGITS)
    assert value.is_real and value.is_finite, f"not a finite real number: {expr} = {value}"
    return MP.mpf(sp.Float(value, DIGITS)._mpf_)


def close(actual, expected, rel: str = "1e-30") -> bool:
    actual, expected = as_mp(actual), as_mp(expected)
    return abs(actual - expected) <= MP.mpf(rel) * max(1, abs(expected))


def central_difference(fn, args: list[mpmath.mpf], position: int) -> mpmath.mpf:
    h = MP.mpf("1e-15") * max(1, abs(args[position]))
    ahead, behind = list(args), list(args)
    ahead[position] += h
    behind[position] -= h
    return (fn(*ahead) - fn(*behind)) / (2 * h)


def partial_value(op: str, position: int, point: tuple[Fraction, ...]) -> mpmath.mpf:
    """local_partials(op)[position] at the point, ``out`` replaced by the formula's value."""
    subs = {sym: sp.Rational(q.numerator, q.denominator) for sym, q in zip(PLACEHOLDERS, point,
                                                                               strict=False)}
    subs[OUT] = formula(op).xreplace(subs)
    return sym_number(local_partials(op)[position].xreplace(subs))


# --- the table ----------------------------------------------------------------------------


def test_every_operation_has_a_reference_and_every_function_a_rule():
    assert set(REFERENCE) == set(RULES)
    for name, (op, arity) in FUNCTIONS.items():
        if op in TENSOR_OPS or op == "where":  # tensors: their own rules; where: where_<cmp>
            continue
        assert op in RULES, name
        assert RULES[op].arity == arity, name
    for op, rule in RULES.items():
        assert rule.op == op
        assert len(local_partials(op)) == rule.arity
        assert rule.in_out or all(OUT not in p.free_symbols for p in local_partials(op)), op


@pytest.mark.parametrize(("op", "point"), CASES, ids=IDS)
def test_formula_matches_reference(op, point):
    subs = {sym: sp.Rational(q.numerator, q.denominator) for sym, q in zip(PLACEHOLDERS, point,
                                                                               strict=False)}
    assert close(sym_number(formula(op).xreplace(subs)), REFERENCE[op](*map(to_mp, point)),
                 "1e-45")


@pytest.mark.parametrize(("op", "point"), CASES, ids=IDS)
def test_local_partials_match_sympy_diff(op, point):
    rule = RULES[op]
    fresh = sp.symbols("p q r s", real=True)  # nothing shared with the rules module
    args = fresh[: rule.arity]
    whole = rule.build(*args)
    subs = {sym: sp.Rational(v.numerator, v.denominator) for sym, v in zip(args, point,
                                                                             strict=True)}
    for position, arg in enumerate(args):
        expected = sym_number(sp.diff(whole, arg).xreplace(subs))
        partial = local_partials(op)[position]
        written = partial.xreplace({OUT: formula(op)}) if rule.in_out else partial
        written = written.xreplace(dict(zip(PLACEHOLDERS, args, strict=False)))
        assert close(sym_number(written.xreplace(subs)), expected, "1e-45"), (op, position)
        assert close(partial_value(op, position, point), expected, "1e-45"), (op, position)


@pytest.mark.parametrize(("op", "point"), CASES, ids=IDS)
def test_local_partials_match_finite_differences(op, point):
    args = [to_mp(q) for q in point]
    for position in range(RULES[op].arity):
        estimate = central_difference(REFERENCE[op], args, position)
        assert close(partial_value(op, position, point), estimate, "1e-25"), (op, position)


@pytest.mark.parametrize(("op", "point"), CASES, ids=IDS)
def test_trace_of_one_operation(op, point):
    values = dict(zip(NAMES, point, strict=False))
    result = gradtutor.trace(source(op), **values)
    args = [to_mp(q) for q in point]
    assert close(result.value, REFERENCE[op](*args), "1e-45")
    assert result.forward.notes == ()
    assert set(result.gradient) == set(values)
    for position, name in enumerate(values):
        estimate = central_difference(REFERENCE[op], args, position)
        assert close(result.gradient[name], estimate, "1e-25"), (op, name)
        assert close(result.gradient[name], partial_value(op, position, point), "1e-40")
    if op in RATIONAL_OPS:
        assert isinstance(result.value, Fraction)
        assert all(isinstance(g, Fraction) for g in result.gradient.values())


# --- kinks --------------------------------------------------------------------------------

# (operation, one-sided derivatives (left, right) of the first argument, convention, words
# the rule's text uses for the convention)
KINKS = {
    "relu": ((F(0), F(1)), F(0), "uses 0 there"),
    "leaky_relu": ((F(1, 100), F(1)), F(1, 100), "uses 0.01 there"),
    "abs": ((F(-1), F(1)), F(0), "uses 0 there"),
    "max": ((F(0), F(1)), F(1, 2), "gives each 1/2"),
    "min": ((F(1), F(0)), F(1, 2), "gives each 1/2"),
    "selu": ((SELU_L * SELU_A, SELU_L), SELU_L * SELU_A, "uses λα there"),
    "step": ((F(0), F(0)), F(0), "uses step(0) = 0"),
    "sign": ((F(0), F(0)), F(0), "uses sign(0) = 0"),
    **{f"where_{c}": ((F(0), F(0)), F(0), "the branch the condition selects")
       for c in ("lt", "gt", "le", "ge", "eq")},
}


JUMPS = {"step", "sign"}


def test_kinks_are_the_operations_with_a_kink():
    assert {op for op, rule in RULES.items() if rule.kink} == set(KINKS)


@pytest.mark.parametrize("op", sorted(KINKS))
def test_kink_convention_is_a_one_sided_value_and_is_stated(op):
    (left, right), convention, words = KINKS[op]
    rule = RULES[op]
    kink_point = [MP.mpf(0)] * rule.arity
    assert rule.kink.at(*([F(0)] * rule.arity + [None])[:2])
    assert not rule.kink.at(*([F(1, 3), F(0)][: rule.arity] + [None])[:2])
    if op in JUMPS:  # a jump: no one-sided derivative at 0, flat on either side
        h = MP.mpf("1e-3")
        assert REFERENCE[op](h) != REFERENCE[op](-h)
        assert central_difference(REFERENCE[op], [h], 0) == 0 == left == right
        assert central_difference(REFERENCE[op], [-h], 0) == 0
        assert REFERENCE[op](kink_point[0]) == 0 == convention
        assert words in rule.kink.text
        return
    h = MP.mpf("1e-35")  # with expm1 in the references, 50 digits resolve this step
    ahead = [kink_point[0] + h] + kink_point[1:]
    behind = [kink_point[0] - h] + kink_point[1:]
    f0 = REFERENCE[op](*kink_point)
    assert close((REFERENCE[op](*ahead) - f0) / h, right, "1e-30")
    assert close((f0 - REFERENCE[op](*behind)) / h, left, "1e-30")
    assert min(left, right) <= convention <= max(left, right)
    assert words in rule.kink.text


KINK_TRACES = [
    ("relu(x)", {"x": 0}, {"x": F(0)}, "relu"),
    ("leaky_relu(x)", {"x": 0}, {"x": F(1, 100)}, "leaky_relu"),
    ("abs(x)", {"x": 0}, {"x": F(0)}, "abs"),
    ("max(x, y)", {"x": 2, "y": 2}, {"x": F(1, 2), "y": F(1, 2)}, "max"),
    ("min(x, y)", {"x": F(-1, 3), "y": F(-1, 3)}, {"x": F(1, 2), "y": F(1, 2)}, "min"),
    ("max(x, 2)", {"x": 2}, {"x": F(1, 2)}, "max"),
    ("relu(x - 1) * y", {"x": 1, "y": 3}, {"x": F(0), "y": F(0)}, "relu"),
    ("y * leaky_relu(x*y - 2)", {"x": 1, "y": 2}, {"x": F(4, 100), "y": F(2, 100)},
     "leaky_relu"),
    ("abs(sin(x))", {"x": 0}, {"x": F(0)}, "abs"),
    ("min(x^2, 2*x - 1)", {"x": 1}, {"x": F(2)}, "min"),  # ½·2x + ½·2 at x = 1
]


@pytest.mark.parametrize(("text", "at", "gradient", "op"), KINK_TRACES,
                         ids=[t[0] for t in KINK_TRACES])
def test_trace_at_a_kink_uses_the_convention_and_says_so(text, at, gradient, op):
    result = gradtutor.trace(text, **at)
    assert result.gradient == gradient
    assert all(isinstance(g, Fraction) for g in result.gradient.values())
    assert result.forward.notes == (RULES[op].kink.text,)
    tangents = {name: gradtutor.trace(text, mode="forward", wrt=name, **at).tangent.output
                for name in at}
    assert tangents == gradient


@pytest.mark.parametrize(("text", "at"), [
    ("relu(x)", {"x": F(1, 1000)}), ("relu(x)", {"x": F(-1, 1000)}),
    ("abs(x)", {"x": F(-1, 1000)}), ("leaky_relu(x)", {"x": F(-1, 1000)}),
    ("max(x, y)", {"x": F(1, 1000), "y": 0}), ("min(x, y)", {"x": 0, "y": F(-1, 1000)}),
])
def test_no_note_next_to_a_kink(text, at):
    assert gradtutor.trace(text, **at).forward.notes == ()


# --- expand -------------------------------------------------------------------------------

EXPANDED = sorted(op for op, rule in RULES.items() if rule.expand)
EXPAND_SOURCES = ["y*{f}(x)", "{f}(x*y) - {f}(x)/y", "z = {f}(-x); z*z + {f}(z*y)",
                  "{f}({f}(x) + y)"]
EXPAND_POINTS = [F(-5, 2), F(-1, 2), F(0), F(7, 10), F(3)]


def test_composite_operations_have_expansions():
    assert {"sigmoid", "tanh", "softplus"} <= set(EXPANDED)


@pytest.mark.parametrize("op", EXPANDED)
def test_expansion_program_is_the_formula(op):
    expanded = parse_formula(RULES[op].expand)
    assert expanded.free_symbols <= {A}
    for q in EXPAND_POINTS:
        value = {A: sp.Rational(q.numerator, q.denominator)}
        assert close(sym_number(expanded.xreplace(value)),
                     sym_number(formula(op).xreplace(value)), "1e-50")


@pytest.mark.parametrize("op", EXPANDED)
@pytest.mark.parametrize("template", EXPAND_SOURCES)
def test_expand_gives_the_same_value_and_gradient(op, template):
    text = template.format(f=op)
    for x in EXPAND_POINTS:
        plain = gradtutor.trace(text, x=x, y=F(3, 2))
        expanded = gradtutor.trace(text, x=x, y=F(3, 2), expand=True)
        ops = {node.op for node in expanded.nodes}
        assert ops - {"input"} <= ELEMENTARY, (text, ops)
        assert op in {node.op for node in plain.nodes}
        assert len(expanded.nodes) > len(plain.nodes)
        assert close(expanded.value, plain.value, "1e-45"), (text, x)
        assert expanded.gradient.keys() == plain.gradient.keys()
        for name in plain.gradient:
            assert close(expanded.gradient[name], plain.gradient[name], "1e-40"), (text, x, name)


# --- the functions of issue 11: derivatives against their explicit formulas -------------------

CUSTOM = ["step", "sign", "elu", "selu", "gelu", "silu", "softsign"]


@pytest.mark.parametrize("name", CUSTOM)
def test_written_derivative_is_sympy_diff_of_the_explicit_formula(name):
    """fdiff (what the rules table uses) against sympy.diff of Piecewise/Heaviside/erf forms."""
    cls = getattr(gradtutor.functions, name)
    x = sp.Symbol("x", real=True)
    explicit = sp.diff(cls.formula(x), x)
    written = sp.diff(cls(x), x)
    for q in (F(-17, 10), F(-3, 10), F(2, 5), F(22, 10)):
        at = {x: sp.Rational(q.numerator, q.denominator)}
        assert close(sym_number(written.xreplace(at)), sym_number(explicit.xreplace(at)),
                     "1e-45"), (name, q)
        assert close(sym_number(cls(at[x])), sym_number(cls.formula(x).xreplace(at)),
                     "1e-45"), (name, q)


def test_selu_constants_are_pytorchs():
    assert str(sym_number(RULES["selu"].build(sp.Integer(1))))[:33] == \
        "1.0507009873554804934193349852946"[:33]
    assert abs(SELU_A - MP.mpf("1.6732632423543772848170429916717")) < MP.mpf("1e-30")


@pytest.mark.parametrize(("text", "gradient"), [
    ("step(x)", F(0)), ("sign(x)", F(0)), ("elu(x)", F(1)), ("softsign(x)", F(1)),
])
def test_step_and_sign_at_zero_follow_the_stated_convention(text, gradient):
    result = gradtutor.trace(text, x=0)
    assert result.value == 0
    assert result.gradient == {"x": gradient}
    op = text.split("(")[0]
    assert result.forward.notes == ((RULES[op].kink.text,) if RULES[op].kink else ())


def test_selu_at_zero_takes_the_left_slope_as_pytorch():
    result = gradtutor.trace("selu(x)", x=0)
    assert close(result.gradient["x"], SELU_L * SELU_A, "1e-45")
    assert result.forward.notes == (RULES["selu"].kink.text,)


@pytest.mark.parametrize(("text", "x"), [("asin(x)", F(3, 2)), ("acos(x)", F(-11, 10)),
                                         ("log2(x)", F(0)), ("log(x, 1)", F(2))])
def test_outside_the_domain_is_a_domain_error(text, x):
    from gradtutor.errors import DomainError

    with pytest.raises(DomainError):
        gradtutor.trace(text, x=x)


@pytest.mark.parametrize(("written", "meant"), [
    ("arctan", "did you mean 'atan'"), ("Heaviside", "did you mean 'step'"),
    ("arcsin", "did you mean 'asin'"), ("sigma", "did you mean 'sigmoid'"),
    ("sgn", "did you mean 'sign'"), ("log1p", "write log(1 + x)"),
    ("sinn", "did you mean 'sin'"), ("Relu", "did you mean 'relu'"),
])
def test_did_you_mean_by_meaning_and_spelling(written, meant):
    from gradtutor.errors import ParseError

    with pytest.raises(ParseError) as err:
        parse_formula(f"{written}(x)")
    assert meant in err.value.hint
